import datetime

import factory
from django.utils import timezone

from caravan.models import (
    BoothApplication,
    BoothSlot,
    Caravan,
    Qualification,
    Series,
    SeriesBooth,
    SeriesPost,
    ServiceKind,
    ServiceRecord,
)
from core.timezone import SHANGHAI
from federation.models import Street
from tests.events.factories import EventFactory, ParticipantFactory
from tests.federation.factories import OrganisationFactory


def kind(code: str) -> ServiceKind:
    return ServiceKind.objects.get(code=code)


class SeriesFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Series

    title = "月月·大篷车（翰林府邸）"
    weekday = Series.Weekday.SATURDAY
    week_of_month = 3
    starts_at_time = datetime.time(9, 0)
    ends_at_time = datetime.time(11, 30)
    venues = "翰林府邸 | 武定路\n江宁路街道社区广场 | 江宁路"
    street = factory.LazyFunction(lambda: Street.objects.order_by("code").first())


def series_with_plan(**kwargs) -> Series:
    series = SeriesFactory(**kwargs)
    for code, count in (("blood-pressure", 2), ("legal", 1), ("brand-sale", 1)):
        SeriesBooth.objects.create(series=series, service_kind=kind(code), slot_count=count)
    SeriesPost.objects.create(
        series=series,
        title="引导员",
        headcount=2,
        starts_at_time=datetime.time(8, 30),
        ends_at_time=datetime.time(10, 0),
    )
    SeriesPost.objects.create(
        series=series,
        title="引导员",
        headcount=2,
        starts_at_time=datetime.time(10, 0),
        ends_at_time=datetime.time(11, 30),
    )
    return series


def caravan_on(day: datetime.date, **event_kwargs) -> Caravan:
    """A published caravan (event + row) on ``day``, written directly."""
    starts = datetime.datetime.combine(day, datetime.time(9), tzinfo=SHANGHAI)
    event = EventFactory(
        starts_at=starts, ends_at=starts + datetime.timedelta(hours=2, minutes=30), **event_kwargs
    )
    return Caravan.objects.create(
        event=event,
        scheduled_on=day,
        held_on=day,
        withdraw_until=starts - datetime.timedelta(days=3),
    )


def in_days(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


def slot_for(caravan: Caravan, code: str = "blood-pressure", position: int = 1) -> BoothSlot:
    return BoothSlot.objects.create(caravan=caravan, service_kind=kind(code), position=position)


def qualified(organisation, qualification="nurse", expires_on=None, **kwargs):
    person = ParticipantFactory(organisation=organisation, **kwargs)
    Qualification.objects.create(
        participant=person,
        kind=qualification,
        number=f"Q{person.pk:06d}",
        issuer="上海市卫生健康委员会（虚构）",
        expires_on=expires_on or in_days(365),
    )
    return person


def hosted(slot: BoothSlot, organisation=None, status=BoothApplication.Status.CONFIRMED, **kw):
    organisation = organisation or OrganisationFactory()
    return BoothApplication.objects.create(
        slot=slot, organisation=organisation, status=status, **kw
    )


def record(kind_code: str, held_on: datetime.date, people: int, organisation=None, **kwargs):
    return ServiceRecord.objects.create(
        service_kind=kind(kind_code),
        held_on=held_on,
        people_served=people,
        organisation=organisation,
        **kwargs,
    )
