"""The monthly caravan (月月·大篷车): series, booths, hosts, volunteer posts, service records.

A caravan day is an ``events.Event`` (kind ``caravan``) with a ``Caravan`` row
beside it. Its booth slots are offered per ``ServiceKind``; one organisation
hosts a slot (``caravan_boothapplication_one_host_per_slot``). Volunteer posts
belong to any event; each shift is its own members-only ``Event`` so that the
registration engine (capacity, waiting list, check-in, hours) runs it unchanged
and hours are credited per shift.
"""

import datetime
import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from events.models import Event, Participant
from federation.models import Organisation, Street

from .validators import validate_scan


class QualificationKind(models.TextChoices):
    DOCTOR = "doctor", _("doctor")
    NURSE = "nurse", _("nurse")
    LAWYER = "lawyer", _("lawyer")
    COUNSELLOR = "counsellor", _("psychological counsellor")
    SOCIAL_WORKER = "social_worker", _("social worker")


class ServiceKind(models.Model):
    """A kind of booth (血压检测, 法律咨询, 名品特卖 …), bilingual and staff-editable."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=60)
    name_en = models.CharField(_("name (English)"), max_length=80)
    qualification = models.CharField(
        _("qualification required"),
        max_length=20,
        choices=QualificationKind.choices,
        blank=True,
        help_text=_("At least one person on duty must hold it, valid on the day."),
    )
    is_sale = models.BooleanField(
        _("charity sale"), default=False, help_text=_("Proceeds go to the Spring Bud Fund.")
    )
    default_share_percent = models.DecimalField(
        _("share for the fund (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("100.00"),
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("100"))],
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("service kind")
        verbose_name_plural = _("service kinds")
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_zh if (get_language() or "zh").startswith("zh") else self.name_en


class Qualification(models.Model):
    """A participant's professional qualification: number, issuer, expiry, optional scan."""

    participant = models.ForeignKey(
        Participant,
        on_delete=models.CASCADE,
        related_name="qualifications",
        verbose_name=_("participant"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=QualificationKind.choices)
    number = models.CharField(_("certificate number"), max_length=60)
    issuer = models.CharField(_("issued by"), max_length=120)
    expires_on = models.DateField(_("valid until"))
    scan = models.FileField(
        _("scan"),
        upload_to="caravan/qualifications/%Y/",
        blank=True,
        validators=[validate_scan],
        help_text=_("Optional: a PDF, JPEG or PNG of the certificate."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("qualification")
        verbose_name_plural = _("qualifications")
        ordering = ["participant", "kind", "-expires_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "kind", "number"], name="caravan_qualification_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"

    def is_valid_on(self, day: datetime.date) -> bool:
        return self.expires_on >= day


class Series(models.Model):
    """A recurring caravan: e.g. every third Saturday, 09:00–11:30, venues in rotation."""

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Monday")
        TUESDAY = 1, _("Tuesday")
        WEDNESDAY = 2, _("Wednesday")
        THURSDAY = 3, _("Thursday")
        FRIDAY = 4, _("Friday")
        SATURDAY = 5, _("Saturday")
        SUNDAY = 6, _("Sunday")

    title = models.CharField(_("title"), max_length=120)
    weekday = models.PositiveSmallIntegerField(
        _("weekday"), choices=Weekday.choices, default=Weekday.SATURDAY
    )
    week_of_month = models.SmallIntegerField(
        _("week of the month"),
        default=3,
        validators=[MinValueValidator(-1), MaxValueValidator(4)],
        help_text=_("1–4 for the first to fourth, -1 for the last."),
    )
    starts_at_time = models.TimeField(_("starts at"), default=datetime.time(9, 0))
    ends_at_time = models.TimeField(_("ends at"), default=datetime.time(11, 30))
    venues = models.TextField(
        _("venues"),
        help_text=_("One per line, “venue | address”; the months take them in turn."),
    )
    street = models.ForeignKey(
        Street, on_delete=models.PROTECT, related_name="+", verbose_name=_("street")
    )
    withdraw_days_before = models.PositiveSmallIntegerField(
        _("hosts may withdraw until (days before)"), default=3
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("caravan series")
        verbose_name_plural = _("caravan series")
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at_time__gt=models.F("starts_at_time")),
                name="caravan_series_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def venue_list(self) -> list[tuple[str, str]]:
        """``(venue, address)`` pairs from the text field, in rotation order."""
        pairs = []
        for line in self.venues.splitlines():
            if not line.strip():
                continue
            name, _sep, address = line.replace("｜", "|").partition("|")
            pairs.append((name.strip(), address.strip()))
        return pairs


class SeriesBooth(models.Model):
    """The default booth plan: how many slots of a service kind each caravan offers."""

    series = models.ForeignKey(
        Series, on_delete=models.CASCADE, related_name="booths", verbose_name=_("series")
    )
    service_kind = models.ForeignKey(
        ServiceKind, on_delete=models.PROTECT, related_name="+", verbose_name=_("service kind")
    )
    slot_count = models.PositiveSmallIntegerField(
        _("slots"), default=1, validators=[MinValueValidator(1)]
    )

    class Meta:
        verbose_name = _("default booth")
        verbose_name_plural = _("default booth plan")
        ordering = ["series", "service_kind__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["series", "service_kind"], name="caravan_seriesbooth_unique_kind"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service_kind} × {self.slot_count}"


class SeriesPost(models.Model):
    """A default volunteer post of the series, with one shift's times and headcount."""

    series = models.ForeignKey(
        Series, on_delete=models.CASCADE, related_name="posts", verbose_name=_("series")
    )
    title = models.CharField(_("post"), max_length=60)
    headcount = models.PositiveSmallIntegerField(
        _("headcount"), default=2, validators=[MinValueValidator(1)]
    )
    starts_at_time = models.TimeField(_("shift starts at"))
    ends_at_time = models.TimeField(_("shift ends at"))

    class Meta:
        verbose_name = _("default volunteer post")
        verbose_name_plural = _("default volunteer posts")
        ordering = ["series", "starts_at_time", "title"]

    def __str__(self) -> str:
        return self.title


class CaravanQuerySet(models.QuerySet):
    def in_month(self, day: datetime.date):
        return self.filter(held_on__year=day.year, held_on__month=day.month)


class Caravan(models.Model):
    """One caravan day: the event, the date its rule gave, and why it moved."""

    event = models.OneToOneField(
        Event, on_delete=models.PROTECT, related_name="caravan", verbose_name=_("event")
    )
    series = models.ForeignKey(
        Series,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="caravans",
        verbose_name=_("series"),
    )
    scheduled_on = models.DateField(_("date by the rule"))
    held_on = models.DateField(_("held on"))
    moved_reason = models.CharField(_("why the date moved"), max_length=200, blank=True)
    is_calendar_checked = models.BooleanField(
        _("checked against the holiday calendar"),
        default=True,
        help_text=_("False when the official holiday calendar for that year was not yet known."),
    )
    withdraw_until = models.DateTimeField(_("hosts may withdraw until"))

    objects = CaravanQuerySet.as_manager()

    class Meta:
        verbose_name = _("caravan")
        verbose_name_plural = _("caravans")
        ordering = ["held_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["series", "scheduled_on"], name="caravan_caravan_unique_occurrence"
            ),
        ]

    def __str__(self) -> str:
        return str(self.event)


class BoothSlot(models.Model):
    """One booth a caravan offers for a service kind; at most one host."""

    caravan = models.ForeignKey(
        Caravan, on_delete=models.CASCADE, related_name="slots", verbose_name=_("caravan")
    )
    service_kind = models.ForeignKey(
        ServiceKind, on_delete=models.PROTECT, related_name="slots", verbose_name=_("service kind")
    )
    position = models.PositiveSmallIntegerField(_("number"), default=1)

    class Meta:
        verbose_name = _("booth slot")
        verbose_name_plural = _("booth slots")
        ordering = ["caravan", "service_kind__position", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["caravan", "service_kind", "position"], name="caravan_boothslot_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.caravan} · {self.service_kind} {self.position}"


class BoothApplication(models.Model):
    """An organisation's offer to host a slot, with the people on duty."""

    class Status(models.TextChoices):
        PENDING = "pending", _("awaiting confirmation")
        CONFIRMED = "confirmed", _("confirmed")
        DECLINED = "declined", _("declined")
        WITHDRAWN = "withdrawn", _("withdrawn")

    LIVE_STATUSES = (Status.PENDING, Status.CONFIRMED)

    slot = models.ForeignKey(
        BoothSlot, on_delete=models.PROTECT, related_name="applications", verbose_name=_("slot")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="booth_applications",
        verbose_name=_("organisation"),
    )
    people = models.ManyToManyField(
        Participant, related_name="booth_duties", verbose_name=_("people on duty")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    decline_reason = models.CharField(_("reason for declining"), max_length=300, blank=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("applied by"),
    )
    applied_at = models.DateTimeField(_("applied at"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("booth application")
        verbose_name_plural = _("booth applications")
        ordering = ["-applied_at", "-pk"]
        constraints = [
            # One host per slot: a pending or confirmed application holds it.
            models.UniqueConstraint(
                fields=["slot"],
                condition=Q(status__in=["pending", "confirmed"]),
                name="caravan_boothapplication_one_host_per_slot",
            ),
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(decline_reason=""),
                name="caravan_boothapplication_declined_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.slot} · {self.organisation}"

    @property
    def is_live(self) -> bool:
        return self.status in self.LIVE_STATUSES


class VolunteerPost(models.Model):
    """A volunteer post (志愿服务岗位) at any event: guide, order keeping, sale crier …"""

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="volunteer_posts", verbose_name=_("event")
    )
    title = models.CharField(_("post"), max_length=60)
    description = models.CharField(_("description"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("volunteer post")
        verbose_name_plural = _("volunteer posts")
        ordering = ["event", "title", "pk"]

    def __str__(self) -> str:
        return self.title


class Shift(models.Model):
    """One shift of a post; its own event carries capacity, registrations and hours."""

    post = models.ForeignKey(
        VolunteerPost, on_delete=models.CASCADE, related_name="shifts", verbose_name=_("post")
    )
    event = models.OneToOneField(
        Event, on_delete=models.PROTECT, related_name="shift", verbose_name=_("shift event")
    )

    class Meta:
        verbose_name = _("shift")
        verbose_name_plural = _("shifts")
        ordering = ["post", "event__starts_at", "pk"]

    def __str__(self) -> str:
        return str(self.event)


class ServiceRecord(models.Model):
    """People served at one booth (and, for a sale, turnover); imported history too."""

    class Source(models.TextChoices):
        HOST = "host", _("entered by the host")
        IMPORT = "import", _("imported history")

    application = models.OneToOneField(
        BoothApplication,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="record",
        verbose_name=_("booth"),
    )
    service_kind = models.ForeignKey(
        ServiceKind, on_delete=models.PROTECT, related_name="records", verbose_name=_("service")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="caravan_records",
        verbose_name=_("host organisation"),
    )
    held_on = models.DateField(_("caravan day"), db_index=True)
    people_served = models.PositiveIntegerField(_("people served"))
    turnover = models.DecimalField(
        _("turnover (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    share_percent = models.DecimalField(
        _("share for the fund (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    proceeds = models.DecimalField(
        _("proceeds for the fund (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    # The fund's journal entry carries this key: the proceeds are posted at most once.
    posting_key = models.UUIDField(
        _("posting key"), default=uuid.uuid4, unique=True, editable=False
    )
    source = models.CharField(
        _("source"), max_length=10, choices=Source.choices, default=Source.HOST
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("service record")
        verbose_name_plural = _("service records")
        ordering = ["-held_on", "service_kind__position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(turnover__isnull=True) | Q(turnover__gte=0),
                name="caravan_servicerecord_turnover_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(proceeds__isnull=True) | Q(proceeds__gte=0),
                name="caravan_servicerecord_proceeds_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.held_on} · {self.service_kind}"
