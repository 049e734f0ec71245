"""Demo events: a year of monthly caravans, quarterly alliance trainings and team
building, the 2026 charity festival with its activities, an outreach trip and
International Volunteer Day.

Every participant here is fictitious, and so is every mobile number (China has
no reserved fictitious range, so the names carry “（虚构）” and the numbers
follow the obviously made-up pattern 1390000xxxx). Runs after the federation
and alliances demos and uses whatever active organisations, secretaries and
staff they left; with none, the events are still created, just without people.

Past events are replayed through the services at the moment they happened
(``_at``), so registrations, check-ins, no-shows and hours are exactly what
the services would have recorded then. Idempotent: an event whose slug exists
is left alone, with its registrations.
"""

import contextlib
import datetime
from decimal import Decimal
from unittest import mock

from django.utils import timezone

from alliances.models import Alliance
from federation.models import Organisation, OrganisationMember, Street, User

from . import services
from .models import Event, Participant, Registration

PEOPLE = [
    "陈思远", "王雅琴", "李建国", "张晓燕", "刘志强", "杨丽华", "赵海峰", "黄美玲",
    "周文博", "吴秀英", "徐国平", "孙慧敏", "朱立新", "胡佳怡", "郭明辉", "何静怡",
    "高振宇", "林晓梅", "罗家豪", "郑玉兰", "梁子涵", "谢宏伟", "宋雨桐", "唐志华",
]  # fmt: skip
PEOPLE_PER_ORGANISATION = 3
ORGANISATIONS_USED = 8

CARAVAN_DESCRIPTION = """\
“月月·大篷车”自 2009 年起每月一次、风雨无阻，把社会组织的专业服务送到街头。

本期服务摊位：

- 血压检测、口腔检查（持证医护人员）
- 法律咨询、心理疏导（持证律师、心理咨询师）
- 首饰清洗、名品特卖（义卖所得注入春芽基金）
- 消防演练
- 城市福祉社蔬菜义卖：每月 20 篮，所得 100% 注入春芽基金

志愿者请提前 15 分钟到场签到。
"""

FESTIVAL_ACTIVITIES = [
    # slug suffix, title, start hour, end hour, capacity, summary
    ("market", "公益集市", 10, 16, 60, "社会组织展示与义卖，所得注入春芽基金"),
    ("treasury", "《百益宝藏》服务体验", 10, 15, 80, "145 项公益服务中的精选体验"),
    ("pioneers", "百益先锋表彰仪式", 14, 16, 120, "为公益榜样颁发光荣证"),
    ("family", "亲子志愿服务体验", 9, 12, 40, "家长带孩子体验社区志愿服务"),
]

ALLIANCE_PLAN = {
    # alliance code -> (training title, team building title)
    "elderly": ("为老服务技能培训：认知障碍照护入门", "为老服务联盟团队建设：城市定向"),
    "youth": ("青年志愿者骨干培训：活动策划与安全", "青年志愿联盟团队建设：静安寻访"),
    "community": ("社区服务联盟培训：居民需求调研方法", "社区服务联盟团队建设：协作工作坊"),
    "mediation": ("社区调处联盟培训：邻里纠纷调解实务", "社区调处联盟团队建设：案例沙龙"),
}


@contextlib.contextmanager
def _at(moment: datetime.datetime):
    """Replay a service call as if made at ``moment`` (demo history only).

    History is replayed without e-mail: nobody should hear today about a
    registration for last March's caravan.
    """
    with (
        mock.patch("django.utils.timezone.now", return_value=moment),
        mock.patch("events.services._common.message_enqueue", return_value=None),
    ):
        yield


_nothing = contextlib.nullcontext


def _local(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _third_saturday(year: int, month: int) -> datetime.date:
    first = datetime.date(year, month, 1)
    first_saturday = first + datetime.timedelta(days=(5 - first.weekday()) % 7)
    return first_saturday + datetime.timedelta(days=14)


def _months(start: datetime.date, end: datetime.date):
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        yield year, month
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


class _Demo:
    def __init__(self, stdout):
        self.stdout = stdout
        self.staff = (
            User.objects.filter(is_staff=True, is_active=True)
            .order_by("-is_superuser", "pk")
            .first()
        )
        self.streets = {s.name_zh: s for s in Street.objects.all()}
        self.organisations = list(Organisation.objects.active().order_by("pk")[:ORGANISATIONS_USED])
        self.admins = {
            m.organisation_id: m.user
            for m in OrganisationMember.objects.filter(organisation__in=self.organisations)
            .select_related("user")
            .order_by("-role", "pk")  # "member" sorts after "admin": admins win below
        }
        self.created = 0

    # --- people -------------------------------------------------------------------------

    def actor_for(self, organisation: Organisation) -> User | None:
        return self.admins.get(organisation.pk) or self.staff

    def participants(self) -> list[Participant]:
        people = []
        for index, organisation in enumerate(self.organisations):
            actor = self.actor_for(organisation)
            if actor is None:
                continue
            for n in range(PEOPLE_PER_ORGANISATION):
                number = index * PEOPLE_PER_ORGANISATION + n
                mobile = f"1390000{number:04d}"
                participant = Participant.objects.filter(
                    organisation=organisation, mobile=mobile
                ).first()
                if participant is None:
                    participant = services.participant_create(
                        organisation=organisation,
                        name=f"{PEOPLE[number % len(PEOPLE)]}（虚构）",
                        mobile=mobile,
                        role="staff" if n == 0 else "volunteer",
                        acting_user=actor,
                    )
                people.append(participant)
        return people

    # --- events -------------------------------------------------------------------------

    def event(self, *, slug: str, actor: User | None = None, **fields) -> Event | None:
        """Create and publish an event once; None when it existed already (or nobody can)."""
        actor = actor or self.staff
        if actor is None or Event.objects.filter(slug=slug).exists():
            return None
        starts_at = fields["starts_at"]
        fields.setdefault("registration_opens_at", starts_at - datetime.timedelta(days=30))
        with _at(min(timezone.now(), starts_at - datetime.timedelta(days=45))):
            event = services.event_create(acting_user=actor, slug=slug, **fields)
            event = services.event_publish(event=event, acting_user=actor)
        self.created += 1
        return event

    def register(self, event: Event, people: list[Participant]) -> list[Registration]:
        """Past events: registered three days ahead; open ones: now; not yet open: nobody."""
        now = timezone.now()
        if now < event.registration_opens_at:
            return []
        past = now >= event.starts_at
        moment = event.starts_at - datetime.timedelta(days=3)
        registrations = []
        for offset, participant in enumerate(people):
            replay = _at(moment + datetime.timedelta(minutes=offset)) if past else _nothing()
            with replay:
                registrations.append(
                    services.registration_create(
                        event=event,
                        participant=participant,
                        acting_user=self.actor_for(participant.organisation),
                    )
                )
        return registrations

    def hold(self, event: Event, registrations: list[Registration], manager: User) -> None:
        """Replay the day: most check in, one leaves early, the rest are no-shows."""
        if event.ends_at > timezone.now():
            return
        present = [r for r in registrations if r.status == Registration.Status.CONFIRMED]
        attending, absent = present[: max(len(present) - 2, 0)], present[-2:]
        for minute, registration in enumerate(attending):
            with _at(event.starts_at + datetime.timedelta(minutes=minute - 20)):
                services.registration_check_in(registration=registration, acting_user=manager)
        with _at(event.ends_at):
            if attending:
                early = attending[0]
                hours = max(event.length_hours - Decimal("1.00"), Decimal("0.50"))
                services.registration_hours_correct(
                    registration=early, hours=hours, note="提前离开（虚构）", acting_user=manager
                )
            if absent:
                services.registration_mark_no_shows(event=event, acting_user=manager)
        with _at(event.ends_at + datetime.timedelta(hours=1)):
            services.event_complete(event=event, acting_user=manager)

    def run_event(self, people, slug, *, manager=None, take=10, **fields) -> Event | None:
        event = self.event(slug=slug, actor=manager, **fields)
        if event is None:
            return None
        chosen = people[:take]
        registrations = self.register(event, chosen) if chosen else []
        self.hold(event, registrations, manager or self.staff)
        return event

    # --- the plan -----------------------------------------------------------------------

    def seed(self) -> None:
        if self.staff is None:
            self.stdout.write("events: no staff user; no demo events created.")
            return
        people = self.participants()
        self.caravans(people)
        self.alliance_quarters(people)
        self.festival(people)
        self.outreach_and_volunteer_day(people)
        self.stdout.write(
            f"events: {self.created} new events ({Event.objects.count()} in all), "
            f"{Registration.objects.count()} registrations; participants and their "
            "mobile numbers are fictitious."
        )

    def caravans(self, people) -> None:
        today = timezone.localdate()
        end = today + datetime.timedelta(days=92)
        for year, month in _months(datetime.date(2026, 1, 1), end):
            day = _third_saturday(year, month)
            rotated = people[month % max(len(people), 1) :] + people[: month % max(len(people), 1)]
            self.run_event(
                rotated,
                f"caravan-{year}-{month:02d}",
                take=10 if _local(day, 12) < timezone.now() else 4,
                kind=Event.Kind.CARAVAN,
                title=f"月月·大篷车 {year}年{month}月 · 武定路站",
                summary="街头一站式便民服务：健康检测、法律咨询、心理疏导、义卖",
                description=CARAVAN_DESCRIPTION,
                starts_at=_local(day, 9),
                ends_at=_local(day, 12),
                venue_name="翰林府邸",
                address="静安区武定路",
                street=self.streets.get("江宁路街道"),
                capacity=40,
                per_organisation_limit=6,
            )

    def alliance_quarters(self, people) -> None:
        alliances = {a.code: a for a in Alliance.objects.filter(code__in=ALLIANCE_PLAN)}
        for code, (training_title, team_title) in ALLIANCE_PLAN.items():
            alliance = alliances.get(code)
            if alliance is None:
                continue
            manager = alliance.secretary or self.staff
            offset = list(ALLIANCE_PLAN).index(code)
            for year, quarter in [(2026, 1), (2026, 2), (2026, 3), (2026, 4), (2027, 1)]:
                month = 3 * (quarter - 1) + 2  # the middle month of the quarter
                training_day = datetime.date(year, month, 10 + offset)
                team_day = datetime.date(year, month + 1, 12 + offset)
                self.run_event(
                    people[offset:] + people[:offset],
                    f"{code}-training-{year}-q{quarter}",
                    manager=manager,
                    take=8,
                    kind=Event.Kind.TRAINING,
                    alliance=alliance,
                    title=f"{training_title}（{year}年第{quarter}季度）",
                    summary="季季·益联盟：联盟志愿者季度技能培训",
                    starts_at=_local(training_day, 14),
                    ends_at=_local(training_day, 16, 30),
                    venue_name="静安区社会组织联合会 培训室",
                    address="静安区武定路（示意地址）",
                    street=self.streets.get("江宁路街道"),
                    audience=Event.Audience.MEMBERS,
                    capacity=30,
                )
                self.run_event(
                    people[offset + 1 :] + people[: offset + 1],
                    f"{code}-team-{year}-q{quarter}",
                    manager=manager,
                    take=8,
                    kind=Event.Kind.TEAM_BUILDING,
                    alliance=alliance,
                    title=f"{team_title}（{year}年第{quarter}季度）",
                    summary="季季·益联盟：联盟志愿者季度团队建设",
                    starts_at=_local(team_day, 9, 30),
                    ends_at=_local(team_day, 11, 30),
                    venue_name="静安雕塑公园",
                    address="静安区北京西路",
                    street=self.streets.get("石门二路街道"),
                    audience=Event.Audience.MEMBERS,
                    capacity=25,
                )

    def festival(self, people) -> None:
        day = datetime.date(2026, 9, 5)  # China Charity Day, in Public Welfare Partner Month
        festival = Event.objects.filter(slug="festival-2026").first()
        if festival is None:
            festival = self.run_event(
                people,
                "festival-2026",
                take=0,
                kind=Event.Kind.FESTIVAL,
                title="年年·公益节 2026 第十八届静安公益节",
                summary="中华慈善日与公益伙伴月：集市、服务体验与百益先锋表彰",
                description=(
                    "静安公益节自 2009 年起每年举办，至 2022 年已办 14 届、"
                    "累计参与者逾 4 万人次。\n\n今年的活动见下方各分会场。"
                ),
                starts_at=_local(day, 9),
                ends_at=_local(day, 17),
                venue_name="静安公园",
                address="静安区南京西路",
                street=self.streets.get("静安寺街道"),
                capacity=None,
            )
        if festival is None:
            return
        for n, (suffix, title, start, end, capacity, summary) in enumerate(FESTIVAL_ACTIVITIES):
            self.run_event(
                people[n * 2 :] + people[: n * 2],
                f"festival-2026-{suffix}",
                take=6,
                kind=Event.Kind.FESTIVAL_ACTIVITY,
                parent=festival,
                title=title,
                summary=summary,
                starts_at=_local(day, start),
                ends_at=_local(day, end),
                venue_name="静安公园",
                address="静安区南京西路",
                street=self.streets.get("静安寺街道"),
                capacity=capacity,
                visitor_signup=suffix == "family",
            )

    def outreach_and_volunteer_day(self, people) -> None:
        self.run_event(
            people,
            "outreach-2026-xujiachong",
            take=5,
            kind=Event.Kind.OUTREACH,
            title="三峡移民扶贫项目：许家冲村公平贸易手工艺培训",
            summary="赴湖北宜昌夷陵区许家冲村，开展公平贸易手工艺培训",
            starts_at=_local(datetime.date(2026, 6, 9), 9),
            ends_at=_local(datetime.date(2026, 6, 9), 16),
            venue_name="许家冲村村民活动中心",
            address="湖北省宜昌市夷陵区许家冲村",
            capacity=12,
            audience=Event.Audience.MEMBERS,
        )
        day = datetime.date(2026, 12, 5)  # International Volunteer Day
        self.run_event(
            people,
            "volunteer-day-2026",
            take=6,
            kind=Event.Kind.OTHER,
            title="国际志愿者日 · 静安志愿服务分享会",
            summary="志愿者故事分享与星级志愿者交流，欢迎市民报名参加",
            starts_at=_local(day, 14),
            ends_at=_local(day, 16),
            venue_name="翰林府邸",
            address="静安区武定路",
            street=self.streets.get("江宁路街道"),
            capacity=80,
            visitor_signup=True,
        )


def seed(stdout) -> None:
    _Demo(stdout).seed()
