"""Events, the organisations' participants and their registrations.

``Event`` is deliberately generic: the caravan's booths and volunteer posts,
the festival's specifics and honours live in their own models with a foreign
key to ``Event`` (later issues), never as columns here.

Capacity is guarded twice: ``services.registration_create`` locks the event
row, and the database refuses a registration whose ``seat`` is taken (unique
``(event, seat)``) or beyond the event's capacity (a trigger created in
migration 0002), so even a raw INSERT cannot overbook.
"""

import datetime
import secrets
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from alliances.models import Alliance
from federation.models import Organisation, Street, StreetHub
from federation.validators import mask_phone

from .check_in_codes import check_in_code_display, check_in_code_new
from .validators import validate_cover_image, validate_mobile


def registration_token() -> str:
    """An unguessable ticket token (128 bits, URL-safe)."""
    return secrets.token_urlsafe(16)


def hours_between(starts_at: datetime.datetime, ends_at: datetime.datetime) -> Decimal:
    """Length of an interval in hours, two decimal places."""
    seconds = Decimal((ends_at - starts_at).total_seconds())
    return (seconds / Decimal(3600)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


class EventQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Event.Status.PUBLISHED)

    def listed(self):
        """Events the public may see: published, completed or cancelled (never drafts)."""
        return self.exclude(status=Event.Status.DRAFT)

    def in_lists(self):
        """Events that appear in lists, calendars and feeds (volunteer shifts do not)."""
        return self.exclude(kind=Event.Kind.VOLUNTEER_SHIFT)

    def upcoming(self, now: datetime.datetime | None = None):
        return self.filter(ends_at__gte=now or timezone.now())


class Event(models.Model):
    """Anything the federation, an alliance or a member organisation runs."""

    class Kind(models.TextChoices):
        CARAVAN = "caravan", _("monthly caravan")
        TRAINING = "training", _("training")
        TEAM_BUILDING = "team_building", _("team building")
        FESTIVAL = "festival", _("charity festival")
        FESTIVAL_ACTIVITY = "festival_activity", _("festival activity")
        OUTREACH = "outreach", _("outreach")
        # A shift of another event's volunteer post (the caravan's guides, …): its own
        # capacity, sign-up and hours, but never listed as an event of its own.
        VOLUNTEER_SHIFT = "volunteer_shift", _("volunteer shift")
        OTHER = "other", _("other")

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", _("published")
        COMPLETED = "completed", _("completed")
        CANCELLED = "cancelled", _("cancelled")

    class Audience(models.TextChoices):
        PUBLIC = "public", _("public")
        MEMBERS = "members", _("member organisations only")

    class Review(models.TextChoices):
        """A member organisation's own event: staff review it before it is public."""

        NONE = "", _("not submitted")
        SUBMITTED = "submitted", _("awaiting review")
        RETURNED = "returned", _("returned for changes")
        APPROVED = "approved", _("approved")

    # Kinds an alliance secretary may create for their own alliance.
    ALLIANCE_KINDS = (Kind.TRAINING, Kind.TEAM_BUILDING)

    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    description = models.TextField(
        pgettext_lazy("event", "description"),
        blank=True,
        help_text=_("Markdown; unsafe HTML is removed."),
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    venue_name = models.CharField(_("venue"), max_length=200, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    street = models.ForeignKey(
        Street,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("street"),
    )
    # Organiser: an alliance, a member organisation, or (both empty) the federation.
    alliance = models.ForeignKey(
        Alliance,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("organising alliance"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organised_events",
        verbose_name=_("organising member organisation"),
    )
    hub = models.ForeignKey(
        StreetHub,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("organising street hub"),
        help_text=_("A street hub's own event, held in its street."),
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent event"),
        help_text=_("For a festival's activities: the festival."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    cancelled_reason = models.CharField(_("reason for cancelling"), max_length=300, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    audience = models.CharField(
        _("audience"), max_length=20, choices=Audience.choices, default=Audience.PUBLIC
    )
    visitor_signup = models.BooleanField(
        _("visitors may sign up"),
        default=False,
        help_text=_("Members of the public register themselves with name and mobile."),
    )
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Blank means unlimited.")
    )
    per_organisation_limit = models.PositiveIntegerField(
        _("places per organisation"), null=True, blank=True, help_text=_("Blank means no limit.")
    )
    registration_opens_at = models.DateTimeField(
        _("registration opens at"), null=True, blank=True, help_text=_("Blank: on publication.")
    )
    registration_closes_at = models.DateTimeField(
        _("registration closes at"), null=True, blank=True, help_text=_("Blank: at the start.")
    )
    waitlist_enabled = models.BooleanField(_("waiting list"), default=True)
    is_alliance_only = models.BooleanField(
        _("alliance members only"),
        default=False,
        help_text=_("Only the organising alliance's member organisations may register."),
    )
    review_state = models.CharField(
        _("review"), max_length=10, choices=Review.choices, default=Review.NONE, blank=True
    )
    review_reason = models.CharField(_("reason for returning"), max_length=300, blank=True)
    submitted_at = models.DateTimeField(_("submitted for review at"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    cover_image = models.ImageField(
        _("cover image"),
        upload_to="events/covers/%Y/",
        blank=True,
        validators=[validate_cover_image],
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["status", "starts_at"], name="events_event_status_start")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="events_event_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(alliance__isnull=True) | Q(organisation__isnull=True),
                name="events_event_single_organiser",
            ),
            models.CheckConstraint(
                condition=Q(hub__isnull=True) | Q(alliance__isnull=True, organisation__isnull=True),
                name="events_event_hub_organises_alone",
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gte=1),
                name="events_event_capacity_positive",
            ),
            models.CheckConstraint(
                condition=Q(per_organisation_limit__isnull=True) | Q(per_organisation_limit__gte=1),
                name="events_event_per_organisation_limit_positive",
            ),
            models.CheckConstraint(
                condition=Q(registration_opens_at__isnull=True)
                | Q(registration_closes_at__isnull=True)
                | Q(registration_closes_at__gt=models.F("registration_opens_at")),
                name="events_event_window_order",
            ),
            models.CheckConstraint(
                condition=~Q(status="cancelled") | ~Q(cancelled_reason=""),
                name="events_event_cancelled_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(is_alliance_only=False) | Q(alliance__isnull=False),
                name="events_event_alliance_only_has_alliance",
            ),
            models.CheckConstraint(
                condition=~Q(review_state="returned") | ~Q(review_reason=""),
                name="events_event_returned_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(review_state="submitted") | Q(status="draft"),
                name="events_event_submitted_is_draft",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("events:event-detail", kwargs={"slug": self.slug})

    def clean(self) -> None:
        """Field errors for what the check constraints refuse, so forms show them in place."""
        errors = {}
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = ValidationError(
                _("The event must end after it starts."), code="ends_before_start"
            )
        if self.capacity == 0:
            errors["capacity"] = ValidationError(
                _("Enter at least 1, or leave blank for no limit."), code="capacity_zero"
            )
        if self.per_organisation_limit == 0:
            errors["per_organisation_limit"] = ValidationError(
                _("Enter at least 1, or leave blank for no limit."), code="organisation_limit_zero"
            )
        opens, closes = self.registration_opens_at, self.registration_closes_at
        if opens and closes and closes <= opens:
            errors["registration_closes_at"] = ValidationError(
                _("Registration must close after it opens."), code="window_order"
            )
        if self.is_alliance_only and not self.alliance_id:
            errors["is_alliance_only"] = ValidationError(
                _("Only an alliance's own event can be limited to its members."),
                code="alliance_only_without_alliance",
            )
        if errors:
            raise ValidationError(errors)

    @property
    def length_hours(self) -> Decimal:
        """The event's length: the default and the upper bound of credited hours."""
        return hours_between(self.starts_at, self.ends_at)

    @property
    def organiser_name(self) -> str:
        if self.alliance_id:
            return str(self.alliance)
        if self.organisation_id:
            return str(self.organisation)
        if self.hub_id:
            return str(self.hub)
        return str(settings.YILU_SITE_NAME)

    @property
    def is_members_only(self) -> bool:
        return self.audience == self.Audience.MEMBERS

    def registration_closes(self) -> datetime.datetime:
        return self.registration_closes_at or self.starts_at

    def registration_refusal(self, now: datetime.datetime | None = None) -> ValidationError | None:
        """Why registration is not open at ``now``, or None when it is.

        The one definition of "registration open": :meth:`is_registration_open`
        (pages) and the registration service (which raises this error) both use it.
        """
        now = now or timezone.now()
        if self.status == self.Status.DRAFT:
            return ValidationError(
                _("This event is not published yet."), code="event_not_published"
            )
        if self.status == self.Status.CANCELLED:
            return ValidationError(_("This event has been cancelled."), code="event_cancelled")
        if self.status != self.Status.PUBLISHED:
            return ValidationError(
                _("Registration for this event has closed."), code="registration_closed"
            )
        if self.registration_opens_at and now < self.registration_opens_at:
            opens = timezone.localtime(self.registration_opens_at)
            return ValidationError(
                _("Registration opens on %(date)s.") % {"date": opens.strftime("%Y-%m-%d %H:%M")},
                code="registration_not_open",
            )
        if now >= self.registration_closes():
            return ValidationError(
                _("Registration for this event has closed."), code="registration_closed"
            )
        return None

    def is_registration_open(self, now: datetime.datetime | None = None) -> bool:
        return self.registration_refusal(now) is None


class Participant(models.Model):
    """A member organisation's staff member or volunteer, kept for reuse."""

    class Role(models.TextChoices):
        STAFF = "staff", _("staff")
        VOLUNTEER = "volunteer", _("volunteer")

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="participants",
        verbose_name=_("organisation"),
    )
    name = models.CharField(_("name"), max_length=100)
    mobile = models.CharField(_("mobile"), max_length=11, validators=[validate_mobile])
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.VOLUNTEER)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # Set by the retention job (events.services.retention): name replaced, mobile cleared.
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["organisation", "name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "mobile"],
                condition=Q(anonymised_at__isnull=True),
                name="events_participant_unique_mobile",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def masked_mobile(self) -> str:
        return mask_phone(self.mobile)


class RegistrationQuerySet(models.QuerySet):
    def live(self):
        return self.exclude(status=Registration.Status.CANCELLED)

    def holding_seat(self):
        return self.filter(status__in=Registration.SEAT_STATUSES)


class Registration(models.Model):
    """One person's place at one event: an organisation's participant or a visitor."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("confirmed")
        WAITLISTED = "waitlisted", _("waitlisted")
        CANCELLED = "cancelled", _("cancelled")
        ATTENDED = "attended", _("attended")
        NO_SHOW = "no_show", _("no-show")

    # Statuses that occupy a numbered seat (and count against capacity).
    SEAT_STATUSES = (Status.CONFIRMED, Status.ATTENDED, Status.NO_SHOW)

    event = models.ForeignKey(
        Event, on_delete=models.PROTECT, related_name="registrations", verbose_name=_("event")
    )
    participant = models.ForeignKey(
        Participant,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="registrations",
        verbose_name=_("participant"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="event_registrations",
        verbose_name=_("organisation"),
    )
    # A snapshot of who registered (a visitor has no participant row).
    name = models.CharField(_("name"), max_length=100)
    mobile = models.CharField(_("mobile"), max_length=11, validators=[validate_mobile])
    email = models.EmailField(_("e-mail address"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    seat = models.PositiveIntegerField(_("seat"), null=True, blank=True, editable=False)
    token = models.CharField(
        _("ticket token"), max_length=32, unique=True, default=registration_token, editable=False
    )
    # Short code for typing at the door (events.check_in_codes); unique per event.
    check_in_code = models.CharField(
        _("check-in code"), max_length=8, default=check_in_code_new, editable=False
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registered by"),
    )
    created_at = models.DateTimeField(_("registered at"), default=timezone.now, db_index=True)
    promoted_at = models.DateTimeField(
        _("promoted from the waiting list at"), null=True, blank=True
    )
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("checked in by"),
    )
    hours = models.DecimalField(
        _("volunteer hours"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    hours_corrected = models.BooleanField(_("hours corrected"), default=False)
    hours_corrected_at = models.DateTimeField(_("hours corrected at"), null=True, blank=True)
    hours_corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("hours corrected by"),
    )
    hours_note = models.CharField(_("note on the hours"), max_length=200, blank=True)
    # Set by the retention job: name, mobile, e-mail and note cleared; status and hours kept.
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True, editable=False)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["event", "created_at", "pk"]
        indexes = [
            models.Index(fields=["event", "status"], name="events_registration_ev_status"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "seat"], name="events_registration_unique_seat"
            ),
            models.UniqueConstraint(
                fields=["event", "check_in_code"], name="events_registration_unique_check_in_code"
            ),
            models.CheckConstraint(
                condition=Q(seat__isnull=True) | Q(seat__gte=1),
                name="events_registration_seat_positive",
            ),
            models.CheckConstraint(
                condition=(
                    Q(status__in=["confirmed", "attended", "no_show"], seat__isnull=False)
                    | (~Q(status__in=["confirmed", "attended", "no_show"]) & Q(seat__isnull=True))
                ),
                name="events_registration_seat_matches_status",
            ),
            # The same person (by mobile, and by participant row) holds at most
            # one live registration per event.
            models.UniqueConstraint(
                fields=["event", "mobile"],
                condition=~Q(status="cancelled") & Q(anonymised_at__isnull=True),
                name="events_registration_unique_live_mobile",
            ),
            models.UniqueConstraint(
                fields=["event", "participant"],
                condition=~Q(status="cancelled") & Q(participant__isnull=False),
                name="events_registration_unique_live_participant",
            ),
            models.CheckConstraint(
                condition=Q(participant__isnull=False, organisation__isnull=False)
                | Q(participant__isnull=True, organisation__isnull=True),
                name="events_registration_participant_or_visitor",
            ),
            models.CheckConstraint(
                condition=Q(hours__isnull=True) | Q(hours__gte=0),
                name="events_registration_hours_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event} · {self.get_status_display()}"

    @property
    def masked_mobile(self) -> str:
        return mask_phone(self.mobile)

    @property
    def is_visitor(self) -> bool:
        return self.participant_id is None

    @property
    def check_in_code_display(self) -> str:
        return check_in_code_display(self.check_in_code)

    @property
    def holds_seat(self) -> bool:
        return self.status in self.SEAT_STATUSES
