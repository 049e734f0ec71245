"""Volunteers as people, and their numbered service-record certificates.

Hours stay where they are recorded: on each organisation's registrations
(``events.Registration.hours``) and, once the caravan records shifts, wherever
``volunteers.sources`` is told to look. A :class:`Volunteer` joins the
participant rows of one person across organisations (one row per
organisation), so the person has one total and one star level while every
organisation still keeps and sees only its own rows.

Rows are joined only by a verified mobile (the volunteer proves the number
with a one-time code) or by an explicit merge by staff, never by a guess.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from events.models import Participant
from federation.models import Organisation
from federation.validators import mask_phone


class Volunteer(models.Model):
    """One person who volunteers, for one organisation or several."""

    name = models.CharField(_("name"), max_length=100)
    mobile = models.CharField(_("verified mobile"), max_length=11, blank=True)
    mobile_verified_at = models.DateTimeField(_("mobile verified at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("volunteer")
        verbose_name_plural = _("volunteers")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["mobile"],
                condition=~Q(mobile=""),
                name="volunteers_volunteer_unique_mobile",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def masked_mobile(self) -> str:
        return mask_phone(self.mobile) if self.mobile else ""


class VolunteerLink(models.Model):
    """One organisation's participant row belongs to one volunteer."""

    class Method(models.TextChoices):
        SINGLE = "single", _("own row (no match)")
        MOBILE = "mobile", _("verified mobile")
        MERGE = "merge", _("merged by staff")

    volunteer = models.ForeignKey(
        Volunteer, on_delete=models.CASCADE, related_name="links", verbose_name=_("volunteer")
    )
    participant = models.OneToOneField(
        Participant,
        on_delete=models.CASCADE,
        related_name="volunteer_link",
        verbose_name=_("participant"),
    )
    method = models.CharField(_("joined by"), max_length=10, choices=Method.choices)
    linked_at = models.DateTimeField(_("joined at"), auto_now_add=True)
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("joined by user"),
    )

    class Meta:
        verbose_name = _("volunteer's organisation row")
        verbose_name_plural = _("volunteers' organisation rows")
        ordering = ["volunteer", "pk"]

    def __str__(self) -> str:
        return f"{self.volunteer} · {self.participant.organisation}"


class ServiceCertificate(models.Model):
    """A 志愿服务记录证明: numbered, frozen at issue, verifiable by its number."""

    PREFIX = "ZYFW"

    number = models.CharField(_("certificate number"), max_length=30, unique=True)
    year = models.PositiveIntegerField(_("year"))
    serial = models.PositiveIntegerField(_("serial"))
    volunteer = models.ForeignKey(
        Volunteer,
        on_delete=models.PROTECT,
        related_name="certificates",
        verbose_name=_("volunteer"),
    )
    # The issuer: a member organisation (its own rows), or blank for the federation (all rows).
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="service_certificates",
        verbose_name=_("issuing organisation"),
    )
    issuer_name = models.CharField(_("issuer"), max_length=200)
    person_in_charge = models.CharField(_("person in charge"), max_length=100)
    handler = models.CharField(_("handler"), max_length=100)
    contact = models.CharField(_("issuer's contact"), max_length=100)
    volunteer_name = models.CharField(_("volunteer's name"), max_length=100)
    period_from = models.DateField(_("from"))
    period_to = models.DateField(_("to"))
    total_hours = models.DecimalField(_("total hours"), max_digits=8, decimal_places=2)
    # Frozen lines: [{"date": "2026-03-05", "activity": "...", "organisation": "...", "hours": "3.00"}]
    lines = models.JSONField(_("service lines"), default=list)
    issued_on = models.DateField(_("issued on"))
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("issued by"),
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_reason = models.CharField(_("reason for revoking"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("service-record certificate")
        verbose_name_plural = _("service-record certificates")
        ordering = ["-year", "-serial"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "serial"], name="volunteers_servicecertificate_unique_serial"
            ),
            models.CheckConstraint(
                condition=Q(period_to__gte=models.F("period_from")),
                name="volunteers_servicecertificate_period_order",
            ),
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | ~Q(revoked_reason=""),
                name="volunteers_servicecertificate_revoked_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None


class CertificateRequest(models.Model):
    """A volunteer's request, made after proving their mobile, for a certificate."""

    class Status(models.TextChoices):
        PENDING = "pending", _("awaiting issue")
        ISSUED = "issued", _("issued")
        CLOSED = "closed", _("closed")

    volunteer = models.ForeignKey(
        Volunteer, on_delete=models.CASCADE, related_name="requests", verbose_name=_("volunteer")
    )
    period_from = models.DateField(_("from"))
    period_to = models.DateField(_("to"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    certificate = models.ForeignKey(
        ServiceCertificate,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("certificate"),
    )
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)

    class Meta:
        verbose_name = _("certificate request")
        verbose_name_plural = _("certificate requests")
        ordering = ["-created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.volunteer} · {self.period_from}–{self.period_to}"
