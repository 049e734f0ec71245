"""Demo festival: editions since 2009, this year's with walk-ins, honours and the 2021 roll.

All figures of past editions are invented (``is_demo_figure``), chosen so the
editions to 2022 pass 40,000 participants as the federation reports; the 100
百益先锋 of 2021 are fictitious names marked （虚构）. Idempotent: editions by
year, rounds by type and year, awards only while a round has none.
"""

import datetime

from events.models import Event, Participant
from federation.models import OrganisationMember, User

from . import services
from .models import AwardType, Edition, HonourRound, Nomination, WalkInCount

# number, year, theme, participants (fictitious demo figures)
PAST_EDITIONS = [
    (1, 2009, "公益从身边开始", 1200),
    (2, 2010, "世博志愿·静安同行", 1800),
    (3, 2011, "社会组织进社区", 2100),
    (4, 2012, "公益伙伴·携手成长", 2400),
    (5, 2013, "百姓身边的公益", 2600),
    (6, 2014, "春芽萌发·青年公益", 2900),
    (7, 2015, "静闸融合·公益同心", 3100),
    (8, 2016, "慈善法实施·公益新起点", 3300),
    (9, 2017, "公益伙伴月·共创美好", 3500),
    (10, 2018, "十年公益路", 3900),
    (11, 2019, "公益让城市更温暖", 3800),
    (12, 2020, "守望相助·抗疫同行", 2200),
    (13, 2021, "百益先锋·榜样力量", 3700),
    (14, 2022, "云上公益节", 3900),
    (15, 2023, "公益回归街头", 3600),
    (16, 2024, "公益伙伴·共建共享", 3800),
    (17, 2025, "志愿服务·星光静安", 4000),
]
CURRENT = (18, 2026, "中华慈善日 · 公益伙伴月", "festival-2026")

AWARD_TYPES = [
    ("BYXF", "百益先锋", AwardType.Recipient.PERSON, "公益节表彰的百名公益榜样"),
    ("YXZYZ", "优秀志愿者", AwardType.Recipient.PERSON, "年度优秀志愿者"),
    ("YXSHZZ", "优秀社会组织", AwardType.Recipient.ORGANISATION, "年度优秀社会组织"),
]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = ["志华", "秀英", "建平", "丽娟", "海燕", "国强", "晓明", "玉兰", "文杰", "雅静"]
WALK_INS = {"market": 180, "treasury": 95, "pioneers": 40, "family": 25}


def _editions() -> int:
    created = 0
    for number, year, theme, count in PAST_EDITIONS:
        _edition, made = Edition.objects.get_or_create(
            year=year,
            defaults={
                "number": number,
                "theme": theme,
                "starts_on": datetime.date(year, 9, 5),
                "ends_on": datetime.date(year, 9, 5),
                "recorded_count": count,
                "is_demo_figure": True,
                "note": "演示数据（虚构人数）",
            },
        )
        created += made
    number, year, theme, slug = CURRENT
    _edition, made = Edition.objects.get_or_create(
        year=year,
        defaults={
            "number": number,
            "theme": theme,
            "starts_on": datetime.date(year, 9, 5),
            "ends_on": datetime.date(year, 9, 5),
            "event": Event.objects.filter(slug=slug).first(),
        },
    )
    return created + made


def _walk_ins(staff: User) -> None:
    for suffix, count in WALK_INS.items():
        activity = Event.objects.filter(slug=f"festival-2026-{suffix}").first()
        if activity is None or WalkInCount.objects.filter(activity=activity).exists():
            continue
        services.walk_in_add(
            activity=activity, delta=100 if count >= 100 else count, acting_user=staff
        )
        if count > 100:
            services.walk_in_add(activity=activity, delta=count - 100, acting_user=staff)


def _award_types() -> dict[str, AwardType]:
    types = {}
    for code, name, recipient, description in AWARD_TYPES:
        types[code], _made = AwardType.objects.get_or_create(
            code=code, defaults={"name": name, "recipient": recipient, "description": description}
        )
    return types


def _round(award_type: AwardType, year: int, status: str) -> HonourRound:
    found, _made = HonourRound.objects.get_or_create(
        award_type=award_type,
        year=year,
        defaults={"title": f"{year}年度{award_type.name}", "status": status},
    )
    return found


def _pioneers_2021(types, staff: User) -> int:
    round = _round(types["BYXF"], 2021, HonourRound.Status.CLOSED)
    if round.awards.exists():
        return 0
    # The 2021 decision was taken at the time: staff record the awards in the closed round.
    for n in range(100):
        name = f"{SURNAMES[n % len(SURNAMES)]}{GIVEN[n // len(SURNAMES) % len(GIVEN)]}（虚构）"
        services.award_grant(
            round=round,
            recipient_name=name,
            organisation=None,
            acting_user=staff,
            awarded_on=datetime.date(2021, 9, 5),
        )
    return 100


def _nominations_2026(types, staff: User) -> None:
    volunteers = _round(types["YXZYZ"], 2026, HonourRound.Status.OPEN)
    _round(types["YXSHZZ"], 2026, HonourRound.Status.OPEN)
    if volunteers.nominations.exists():
        return
    admins = (
        OrganisationMember.objects.filter(role=OrganisationMember.Role.ADMIN)
        .select_related("user", "organisation")
        .order_by("pk")[:3]
    )
    for index, admin in enumerate(admins):
        person = (
            Participant.objects.filter(
                organisation=admin.organisation, role=Participant.Role.VOLUNTEER
            )
            .order_by("pk")
            .first()
        )
        if person is None:
            continue
        nomination = services.nomination_create(
            round=volunteers,
            reason="常年参与月月·大篷车血压检测志愿服务，服务时长居机构首位（虚构）",
            nominated_by_organisation=admin.organisation,
            nominee_participant=person,
            acting_user=admin.user,
        )
        if index == 0:
            services.nomination_decide(nomination=nomination, accept=True, acting_user=staff)


def seed(stdout) -> None:
    staff = User.objects.filter(email="staff@yilu.example", is_active=True).first()
    created = _editions()
    if staff is None:
        stdout.write("festival: no demo staff user; editions only.")
        return
    _walk_ins(staff)
    types = _award_types()
    pioneers = _pioneers_2021(types, staff)
    _nominations_2026(types, staff)
    stdout.write(
        f"festival: {created} new edition(s), {pioneers} new 2021 百益先锋 awards, "
        f"{Nomination.objects.count()} nominations; all figures and names are fictitious."
    )
