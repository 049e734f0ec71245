"""Demo caravan: the 武定路 series at 翰林府邸, its past and coming months, hosts and records.

Runs after the events demo (whose hand-typed 2026 caravan events the series
adopts, as staff would on switching to series) and the funds demo (the
brand-name sales' proceeds are posted to the Spring Bud Fund from their
records). History since 2009 is imported as the federation's spreadsheet would
be. Qualification numbers, people and figures are fictitious. Idempotent:
everything is looked up before it is created.
"""

import contextlib
import datetime
import hashlib
from decimal import Decimal
from unittest import mock

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from core.timezone import SHANGHAI
from events.models import Event, Participant
from federation.models import Organisation, Street, User

from . import services
from .calendar import rule_dates
from .models import (
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

SERIES_TITLE = "月月·大篷车 · 武定路站"
BOOTH_PLAN = [
    ("blood-pressure", 2),
    ("dental", 1),
    ("legal", 1),
    ("counselling", 1),
    ("brand-sale", 1),
    ("jewellery", 1),
    ("fire-drill", 1),
    ("vegetable-basket", 1),
]
POSTS = [
    # title, start, end, headcount
    ("引导员", datetime.time(8, 30), datetime.time(10, 30), 2),
    ("引导员", datetime.time(10, 30), datetime.time(12, 0), 2),
    ("秩序维护", datetime.time(9, 0), datetime.time(12, 0), 2),
    ("义卖吆喝", datetime.time(9, 0), datetime.time(12, 0), 2),
]
QUALIFICATIONS = [
    # kind, issuer
    ("nurse", "上海市卫生健康委员会（虚构）"),
    ("doctor", "上海市卫生健康委员会（虚构）"),
    ("lawyer", "上海市司法局（虚构）"),
    ("counsellor", "上海市心理卫生学会（虚构）"),
]
# Kinds left open in the coming months, so the matrix and reminders have something to show.
LEFT_OPEN = {"counselling", "fire-drill"}
HISTORY_KINDS = ["blood-pressure", "dental", "legal", "counselling", "jewellery", "fire-drill"]


@contextlib.contextmanager
def _at(moment: datetime.datetime, *, history: bool = False):
    """Replay a call as if made at ``moment``, without e-mail (demo history only).

    ``history``: the events demo has already completed last months' caravans, so
    their booths are replayed past the “caravan closed” guard.
    """
    with contextlib.ExitStack() as stack:
        stack.enter_context(mock.patch("django.utils.timezone.now", return_value=moment))
        stack.enter_context(
            mock.patch("caravan.services._common.message_enqueue", return_value=None)
        )
        if history:
            stack.enter_context(mock.patch("caravan.services.booths._check_open"))
        yield


def _figure(*parts, low: int, high: int) -> int:
    """A stable pseudo-random figure for a demo record (same on every run)."""
    digest = hashlib.sha256("|".join(str(p) for p in parts).encode()).digest()
    return low + int.from_bytes(digest[:4], "big") % (high - low + 1)


def _staff() -> User | None:
    for user in User.objects.filter(is_active=True, is_staff=True).order_by("-is_superuser", "pk"):
        if user.has_perm("caravan.manage_caravan"):
            return user
    return None


def _series() -> Series:
    series = Series.objects.filter(title=SERIES_TITLE).first()
    if series is None:
        series = Series.objects.create(
            title=SERIES_TITLE,
            weekday=Series.Weekday.SATURDAY,
            week_of_month=3,
            starts_at_time=datetime.time(9, 0),
            ends_at_time=datetime.time(12, 0),
            venues="翰林府邸 | 静安区武定路",
            street=Street.objects.filter(name_zh="江宁路街道").first()
            or Street.objects.order_by("code").first(),
        )
        kinds = {kind.code: kind for kind in ServiceKind.objects.all()}
        for code, count in BOOTH_PLAN:
            SeriesBooth.objects.create(series=series, service_kind=kinds[code], slot_count=count)
        for title, start, end, headcount in POSTS:
            SeriesPost.objects.create(
                series=series,
                title=title,
                starts_at_time=start,
                ends_at_time=end,
                headcount=headcount,
            )
    return series


def _qualify(staff: User, people: list[Participant]) -> None:
    """The first person of each organisation holds a qualification (one expires soon)."""
    today = timezone.localdate()
    for index, person in enumerate(people):
        kind, issuer = QUALIFICATIONS[index % len(QUALIFICATIONS)]
        if Qualification.objects.filter(participant=person, kind=kind).exists():
            continue
        # The fourth organisation's licence runs out within weeks: the matrix flags it.
        expires_on = today + (datetime.timedelta(days=40) if index == 3 else relativedelta(years=3))
        services.qualification_add(
            participant=person,
            kind=kind,
            number=f"DEMO-{kind[:2].upper()}-{person.pk:05d}（虚构）",
            issuer=issuer,
            expires_on=expires_on,
            acting_user=staff,
        )


def _host_for(slot: BoothSlot, leads: list[Participant], turn: int) -> Participant | None:
    """A lead able to host ``slot`` (qualified where needed), rotating by ``turn``."""
    required = slot.service_kind.qualification
    able = [
        person
        for person in leads
        if not required
        or any(
            q.kind == required and q.expires_on >= slot.caravan.held_on
            for q in person.qualifications.all()
        )
    ]
    return able[turn % len(able)] if able else None


def _hosts(staff: User, caravan: Caravan, leads: list[Participant], *, upcoming: bool) -> None:
    slots = list(
        caravan.slots.select_related("service_kind", "caravan__event").order_by(
            "service_kind__position", "position"
        )
    )
    moment = min(caravan.event.starts_at - datetime.timedelta(days=20), timezone.now())
    for turn, slot in enumerate(slots):
        if slot.applications.exists() or (upcoming and slot.service_kind.code in LEFT_OPEN):
            continue
        person = _host_for(slot, leads, caravan.held_on.month + turn)
        if person is None:
            continue
        with _at(moment, history=not upcoming):
            application = services.booth_apply(
                slot=slot, organisation=person.organisation, people=[person], acting_user=staff
            )
            services.booth_confirm(application=application, acting_user=staff)


def _records(staff: User, fund_user: User | None, caravan: Caravan) -> None:
    applications = BoothApplication.objects.filter(
        slot__caravan=caravan, status=BoothApplication.Status.CONFIRMED, record__isnull=True
    ).select_related("slot__service_kind")
    after = datetime.datetime.combine(
        caravan.held_on + datetime.timedelta(days=1), datetime.time(10), tzinfo=SHANGHAI
    )
    for application in applications:
        code = application.slot.service_kind.code
        people = _figure(caravan.held_on, code, application.pk, low=18, high=65)
        turnover = None
        if code == "vegetable-basket":
            turnover = Decimal(20 * _figure(caravan.held_on, "basket", low=28, high=35))
        elif code == "brand-sale":
            turnover = Decimal(_figure(caravan.held_on, "sale", low=1200, high=3600))
        with _at(after):
            record = services.service_record_save(
                application=application,
                people_served=people,
                turnover=turnover,
                note="演示数据（虚构）",
                acting_user=staff,
            )
        # Brand-name sales go to the fund from the record; the vegetable baskets' money
        # arrives through 城市福祉社's monthly pledge in the funds demo (not twice).
        if code == "brand-sale" and fund_user is not None:
            services.service_record_post_proceeds(
                record=record,
                received_on=caravan.held_on + datetime.timedelta(days=2),
                acting_user=fund_user,
            )


def _history(staff: User) -> int:
    """Monthly records from June 2009 to last year, as the old spreadsheet holds them."""
    if ServiceRecord.objects.filter(source=ServiceRecord.Source.IMPORT).exists():
        return 0
    last_year = timezone.localdate().year - 1
    rows = []
    for year in range(2009, last_year + 1):
        first = datetime.date(year, 6 if year == 2009 else 1, 1)
        months = 13 - first.month
        for day in rule_dates(weekday_index=5, week_of_month=3, first_month=first, months=months):
            for code in HISTORY_KINDS[: 3 + (year - 2009) // 5]:
                rows.append(
                    services.HistoryRow(
                        held_on=day,
                        service_code=code,
                        people_served=_figure(day, code, low=15, high=55),
                        note="历史台账导入（演示，虚构）",
                    )
                )
    return services.service_record_import(rows=rows, acting_user=staff)


def seed(stdout) -> None:
    staff = _staff()
    if staff is None:
        stdout.write("caravan: no caravan staff user; no demo caravan created.")
        return
    series = _series()
    for event in Event.objects.filter(kind=Event.Kind.CARAVAN, caravan__isnull=True).order_by(
        "starts_at"
    ):
        services.caravan_adopt(event=event, series=series, acting_user=staff)
    today = timezone.localdate()
    services.caravan_generate(
        series=series, months=6, first_month=today.replace(day=1), acting_user=staff
    )
    horizon = today + relativedelta(months=2)
    for caravan in series.caravans.filter(event__status=Event.Status.DRAFT, held_on__lt=horizon):
        services.caravan_publish(caravan=caravan, acting_user=staff)

    organisations = Organisation.objects.active().order_by("pk")[:8]
    leads = []
    for organisation in organisations:
        first = Participant.objects.filter(organisation=organisation).order_by("pk").first()
        if first is not None:
            leads.append(first)
    _qualify(staff, leads)
    leads = list(
        Participant.objects.filter(pk__in=[p.pk for p in leads])
        .select_related("organisation")
        .prefetch_related("qualifications")
        .order_by("pk")
    )
    fund_user = User.objects.filter(email="fund@yilu.example", is_active=True).first()
    for caravan in series.caravans.select_related("event").order_by("held_on"):
        if caravan.event.status in (Event.Status.DRAFT, Event.Status.CANCELLED):
            continue
        upcoming = caravan.held_on >= today
        _hosts(staff, caravan, leads, upcoming=upcoming)
        if not upcoming:
            _records(staff, fund_user, caravan)
    imported = _history(staff)
    stdout.write(
        f"  caravan: {series.caravans.count()} caravans in “{SERIES_TITLE}”, "
        f"{ServiceRecord.objects.count()} service records ({imported} history rows imported); "
        "qualifications and figures are fictitious."
    )
