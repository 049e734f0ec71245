"""Writes for series and their caravans: generate, publish."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.pagecache import page_cache_invalidates
from core.timezone import SHANGHAI
from events.models import Event
from federation.models import User

from ..calendar import occurrence_for, rule_dates
from ..models import BoothSlot, Caravan, Series, Shift, VolunteerPost
from ._common import in_transaction, require_staff


def _aware(day: datetime.date, at: datetime.time) -> datetime.datetime:
    return datetime.datetime.combine(day, at, tzinfo=SHANGHAI)


def _unique_slug(base: str) -> str:
    slug, n = base, 2
    while Event.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _event_new(**fields) -> Event:
    """A draft event saved here, in the generation's own transaction.

    ``events.services.event_create`` is durable (one transaction per call), and a
    caravan, its slots and its shifts must appear together or not at all.
    """
    in_transaction()
    event = Event(status=Event.Status.DRAFT, **fields)
    event.full_clean()
    event.save()
    return event


def shift_add(
    *, post: VolunteerPost, starts_at, ends_at, headcount: int, acting_user: User
) -> Shift:
    """A shift of ``post``: a members-only event of its own, sized to its headcount."""
    in_transaction()
    parent = post.event
    event = _event_new(
        kind=Event.Kind.VOLUNTEER_SHIFT,
        title=_("Volunteer post: %(post)s · %(event)s") % {"post": post.title, "event": parent},
        slug=_unique_slug(f"{parent.slug[:60]}-post{post.pk}-{starts_at:%H%M}"),
        summary=_("A volunteer shift of %(event)s.") % {"event": parent},
        starts_at=starts_at,
        ends_at=ends_at,
        venue_name=parent.venue_name,
        address=parent.address,
        street=parent.street,
        audience=Event.Audience.MEMBERS,
        capacity=headcount,
        waitlist_enabled=True,
        created_by=acting_user,
    )
    return Shift.objects.create(post=post, event=event)


def _plan_add(series: Series, caravan: Caravan, acting_user: User) -> None:
    """The series' default booth slots and volunteer posts, on a new caravan."""
    event, day = caravan.event, caravan.held_on
    BoothSlot.objects.bulk_create(
        BoothSlot(caravan=caravan, service_kind_id=booth.service_kind_id, position=n)
        for booth in series.booths.all()
        for n in range(1, booth.slot_count + 1)
    )
    posts: dict[str, VolunteerPost] = {}
    for default in series.posts.all():
        post = posts.get(default.title)
        if post is None:
            post = posts[default.title] = VolunteerPost.objects.create(
                event=event, title=default.title
            )
        shift = shift_add(
            post=post,
            starts_at=_aware(day, default.starts_at_time),
            ends_at=_aware(day, default.ends_at_time),
            headcount=default.headcount,
            acting_user=acting_user,
        )
        if event.status == Event.Status.PUBLISHED:
            shift.event.status = Event.Status.PUBLISHED
            shift.event.save(update_fields=["status", "updated_at"])


def _caravan_new(series: Series, occurrence, index: int, acting_user: User) -> Caravan:
    venues = series.venue_list() or [("", "")]
    venue, address = venues[index % len(venues)]
    day = occurrence.held_on
    title = _("Monthly caravan %(year)s-%(month)02d") % {
        "year": occurrence.scheduled_on.year,
        "month": occurrence.scheduled_on.month,
    }
    description = occurrence.moved_reason
    event = _event_new(
        kind=Event.Kind.CARAVAN,
        title=title,
        slug=_unique_slug(f"caravan-{day:%Y%m%d}-s{series.pk}"),
        summary=series.title,
        description=description,
        starts_at=_aware(day, series.starts_at_time),
        ends_at=_aware(day, series.ends_at_time),
        venue_name=venue,
        address=address,
        street=series.street,
        created_by=acting_user,
    )
    caravan = Caravan.objects.create(
        event=event,
        series=series,
        scheduled_on=occurrence.scheduled_on,
        held_on=day,
        moved_reason=occurrence.moved_reason,
        is_calendar_checked=occurrence.is_calendar_checked,
        withdraw_until=_aware(
            day - datetime.timedelta(days=series.withdraw_days_before), datetime.time(18, 0)
        ),
    )
    _plan_add(series, caravan, acting_user)
    return caravan


@transaction.atomic(durable=True)
@page_cache_invalidates("caravan")
def caravan_generate(
    *, series: Series, months: int, acting_user: User, first_month: datetime.date | None = None
) -> list[Caravan]:
    """Draft caravans for ``months`` months from ``first_month`` (default: this month).

    Each month's date comes from the series' rule, moved off statutory holidays and
    make-up working days. A month already generated is left alone (its caravan may
    have been edited), so generating twice creates nothing twice.
    """
    require_staff(acting_user)
    if not 1 <= months <= 24:
        raise ValidationError(_("Generate between 1 and 24 months."), code="months_range")
    # Lock the series: two staff generating at once queue here.
    series = Series.objects.select_for_update().get(pk=series.pk)
    first_month = first_month or timezone.localdate()
    dates = rule_dates(
        weekday_index=series.weekday,
        week_of_month=series.week_of_month,
        first_month=first_month,
        months=months,
    )
    existing = set(series.caravans.values_list("scheduled_on", flat=True))
    index = series.caravans.count()
    created = []
    for day in dates:
        if day in existing:
            continue
        created.append(_caravan_new(series, occurrence_for(day), index, acting_user))
        index += 1
    return created


@transaction.atomic(durable=True)
@page_cache_invalidates("caravan")
def caravan_publish(*, caravan: Caravan, acting_user: User) -> Caravan:
    """Publish a draft caravan and its volunteer shifts (hosts may then apply)."""
    require_staff(acting_user)
    event = Event.objects.select_for_update(no_key=True).get(pk=caravan.event_id)
    if event.status != Event.Status.DRAFT:
        raise ValidationError(_("Only a draft can be published."), code="not_draft")
    shift_events = Event.objects.filter(
        shift__post__event=event, status=Event.Status.DRAFT
    ).order_by("pk")
    for each in [
        event,
        *Event.objects.select_for_update(no_key=True)
        .filter(pk__in=shift_events.values("pk"))
        .order_by("pk"),
    ]:
        each.status = Event.Status.PUBLISHED
        each.save(update_fields=["status", "updated_at"])
    caravan.event = event
    return caravan


@transaction.atomic(durable=True)
@page_cache_invalidates("caravan")
def caravan_adopt(*, event: Event, series: Series, acting_user: User) -> Caravan:
    """Attach a caravan event typed by hand (before the series) to ``series``.

    It gets the series' booth slots and posts; generation then skips its month.
    Refuses not_caravan and already_adopted.
    """
    require_staff(acting_user)
    event = Event.objects.select_for_update(no_key=True).get(pk=event.pk)
    if event.kind != Event.Kind.CARAVAN:
        raise ValidationError(_("Only a caravan event can join a series."), code="not_caravan")
    if Caravan.objects.filter(event=event).exists():
        raise ValidationError(_("This event is already a series caravan."), code="already_adopted")
    day = timezone.localtime(event.starts_at).date()
    rule_day = next(
        iter(
            rule_dates(
                weekday_index=series.weekday,
                week_of_month=series.week_of_month,
                first_month=day,
                months=1,
            )
        ),
        day,
    )
    if series.caravans.filter(scheduled_on=rule_day).exists():
        rule_day = day
    caravan = Caravan.objects.create(
        event=event,
        series=series,
        scheduled_on=rule_day,
        held_on=day,
        withdraw_until=_aware(
            day - datetime.timedelta(days=series.withdraw_days_before), datetime.time(18, 0)
        ),
    )
    _plan_add(series, caravan, acting_user)
    return caravan
