"""What goes out: grants to member organisations, their approvals, reports and progress."""

import datetime
import zipfile
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from PIL import Image

from core.files import private_storage, unguessable_name
from core.timezone import quarter_days, quarter_ends_between
from federation.models import Organisation

from ..fields import MoneyField
from ..masking import mask_person_name
from .ledger import Fund, JournalEntry

ATTACHMENT_EXTENSIONS = (".pdf", ".jpg", ".jpeg", ".png", ".docx", ".xlsx")
ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024


def validate_attachment(upload) -> None:
    """PDF, image, Word or Excel file of at most 10 MB, whose content matches its name."""
    extension = Path(upload.name).suffix.lower()
    if extension not in ATTACHMENT_EXTENSIONS:
        raise ValidationError(
            _("Upload a PDF, JPG, PNG, DOCX or XLSX file."), code="attachment_type"
        )
    if upload.size > ATTACHMENT_MAX_BYTES:
        raise ValidationError(_("The file is larger than 10 MB."), code="attachment_size")
    if not _content_matches(upload, extension):
        raise ValidationError(
            _("The file's content is not a %(kind)s file.")
            % {"kind": extension.lstrip(".").upper()},
            code="attachment_content",
        )


def _content_matches(upload, extension: str) -> bool:
    """Sniff the first bytes (PDF, Office zip) or let Pillow check the image."""
    upload.seek(0)
    try:
        if extension == ".pdf":
            return upload.read(5) == b"%PDF-"
        if extension in (".docx", ".xlsx"):
            return zipfile.is_zipfile(upload)
        try:
            with Image.open(upload) as image:
                image.verify()
                expected = "PNG" if extension == ".png" else "JPEG"
                return image.format == expected
        except Exception:  # Pillow raises many kinds for a broken or foreign file
            return False
    finally:
        upload.seek(0)


class GrantQuerySet(models.QuerySet):
    def committed(self):
        """Grants whose commitment stands (approved and not cancelled)."""
        return self.filter(commitment_entry__isnull=False, cancellation_entry__isnull=True)


class Grant(models.Model):
    """A member organisation's application and, once approved, the fund's grant."""

    class Kind(models.TextChoices):
        TALENT = "talent", _("development of a frontline staff member")
        PROJECT = "project", _("public-good project")

    class Purpose(models.TextChoices):
        STAFF_DEVELOPMENT = "staff_development", _("staff development")
        TRAINING = "training", _("training and study")
        VOLUNTEER_SUPPORT = "volunteer_support", _("volunteer support")
        HARDSHIP = "hardship", _("hardship relief")
        COMMUNITY_PROJECT = "community_project", _("community service project")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("submitted")
        UNDER_REVIEW = "under_review", _("under review")
        APPROVED = "approved", _("approved")
        PAID = "paid", _("paid")
        REPORTED = "reported", _("final report received")
        REJECTED = "rejected", _("rejected")
        WITHDRAWN = "withdrawn", _("withdrawn")
        CANCELLED = "cancelled", _("cancelled")

    OPEN_STATUSES = (Status.SUBMITTED, Status.UNDER_REVIEW)
    # Projects running longer than this disclose progress every quarter (DOMAIN.md §8).
    LONG_RUNNING_DAYS = 183

    fund = models.ForeignKey(
        Fund, on_delete=models.PROTECT, related_name="grants", verbose_name=_("fund")
    )
    number = models.CharField(_("number"), max_length=30, unique=True)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="grants",
        verbose_name=_("organisation"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    purpose = models.CharField(_("purpose"), max_length=30, choices=Purpose.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("what the grant is for"))
    beneficiary_name = models.CharField(
        _("staff member"),
        max_length=100,
        blank=True,
        help_text=_("For a staff member's development: their name (masked on public pages)."),
    )
    beneficiary_role = models.CharField(_("their post"), max_length=100, blank=True)
    amount_requested = MoneyField(_("amount requested (yuan)"))
    amount_approved = MoneyField(_("amount approved (yuan)"), null=True, blank=True)
    project_starts_on = models.DateField(_("starts on"))
    project_ends_on = models.DateField(_("ends on"))
    report_due_on = models.DateField(_("final report due on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED
    )
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("applied by"),
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entered by staff"),
    )
    submitted_at = models.DateTimeField(_("submitted at"))
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_note = models.TextField(_("review note"), blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("reason given"), blank=True)
    commitment_entry = models.OneToOneField(
        JournalEntry, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    payment_entry = models.OneToOneField(
        JournalEntry, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    cancellation_entry = models.OneToOneField(
        JournalEntry, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    report_text = models.TextField(_("final report"), blank=True)
    report_submitted_at = models.DateTimeField(
        _("final report submitted at"), null=True, blank=True
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = GrantQuerySet.as_manager()

    class Meta:
        verbose_name = _("grant")
        verbose_name_plural = _("grants")
        ordering = ["-submitted_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_requested__gt=0), name="funds_grant_requested_positive"
            ),
            models.CheckConstraint(
                condition=Q(amount_approved__isnull=True) | Q(amount_approved__gt=0),
                name="funds_grant_approved_positive",
            ),
            models.CheckConstraint(
                condition=Q(project_ends_on__gte=F("project_starts_on")),
                name="funds_grant_period_order",
            ),
            models.CheckConstraint(
                condition=Q(applied_by__isnull=False) | Q(entered_by__isnull=False),
                name="funds_grant_has_requester",
            ),
            models.CheckConstraint(
                condition=~Q(kind="talent") | ~Q(beneficiary_name=""),
                name="funds_grant_talent_names_person",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["approved", "paid", "reported"])
                | (Q(commitment_entry__isnull=False) & Q(amount_approved__isnull=False)),
                name="funds_grant_approved_is_committed",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["paid", "reported"]) | Q(payment_entry__isnull=False),
                name="funds_grant_paid_has_entry",
            ),
        ]
        indexes = [
            # Each grant list's filter and sort: staff (by status or not), public, organisation.
            models.Index(
                fields=["fund", "status", "-submitted_at", "-id"], name="funds_grant_fund_status"
            ),
            models.Index(fields=["fund", "-submitted_at", "-id"], name="funds_grant_fund_list"),
            models.Index(fields=["fund", "-decided_at", "-id"], name="funds_grant_fund_decided"),
            models.Index(
                fields=["organisation", "-submitted_at", "-id"], name="funds_grant_org_list"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def amount(self):
        return self.amount_approved if self.amount_approved is not None else self.amount_requested

    @property
    def public_beneficiary(self) -> str:
        return mask_person_name(self.beneficiary_name)

    @property
    def is_long_running(self) -> bool:
        return (self.project_ends_on - self.project_starts_on).days >= self.LONG_RUNNING_DAYS

    def requesters(self) -> set[int]:
        """Users who asked for or entered this grant: never among its approvers."""
        return {pk for pk in (self.applied_by_id, self.entered_by_id) if pk}

    def quarter_ends(self, today: datetime.date) -> list[datetime.date]:
        """Ends of the project's quarters that have passed by ``today`` (progress is due)."""
        return [
            end
            for year, quarter, end in quarter_ends_between(self.project_starts_on, today)
            if quarter_days(year, quarter)[0] <= self.project_ends_on
        ]


class GrantApproval(models.Model):
    """One staff member's approval; a grant needs two from two different people."""

    grant = models.ForeignKey(
        Grant, on_delete=models.PROTECT, related_name="approvals", verbose_name=_("grant")
    )
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(_("approved at"))

    class Meta:
        verbose_name = _("grant approval")
        verbose_name_plural = _("grant approvals")
        ordering = ["grant", "approved_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["grant", "approver"], name="funds_grantapproval_unique_approver"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.grant.number} ✓ {self.approver}"


def grant_attachment_path(instance, filename: str) -> str:
    return unguessable_name("funds/grants", filename)


class GrantAttachment(models.Model):
    """A file sent with an application or a final report."""

    class Kind(models.TextChoices):
        APPLICATION = "application", _("application")
        REPORT = "report", _("final report")

    grant = models.ForeignKey(
        Grant, on_delete=models.PROTECT, related_name="attachments", verbose_name=_("grant")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    # Private: outside MEDIA_ROOT, served only by the permission-checking views.
    file = models.FileField(
        _("file"), upload_to=grant_attachment_path, storage=private_storage, max_length=200
    )
    original_name = models.CharField(_("file name"), max_length=200)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("grant attachment")
        verbose_name_plural = _("grant attachments")
        ordering = ["grant", "uploaded_at"]

    def __str__(self) -> str:
        return self.original_name


class GrantProgress(models.Model):
    """A quarter's progress of a long-running grant, disclosed on the public page."""

    grant = models.ForeignKey(
        Grant, on_delete=models.PROTECT, related_name="progress_reports", verbose_name=_("grant")
    )
    quarter_ends_on = models.DateField(_("quarter ending"))
    summary = models.TextField(_("progress"))
    spent_amount = MoneyField(_("spent so far (yuan)"), default=0)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("quarterly progress")
        verbose_name_plural = _("quarterly progress")
        ordering = ["grant", "quarter_ends_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["grant", "quarter_ends_on"], name="funds_grantprogress_unique_quarter"
            ),
            models.CheckConstraint(
                condition=Q(spent_amount__gte=0), name="funds_grantprogress_spent_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.grant.number} {self.quarter_ends_on}"
