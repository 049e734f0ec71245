"""Bench organisations (valid, fictitious credit codes), their people and alliance memberships."""

import datetime

from alliances.models import Alliance, AllianceMembership
from events.models import Participant
from federation.creditcode import CIVIL_AFFAIRS_CATEGORY, make_credit_code
from federation.models import Organisation, ServiceField, Street
from federation.pinyin import pinyin_full, pinyin_search_text

from .common import BENCH_MARK, Plan, bulk, local_moment, mobile

THEMES = [
    "乐龄",
    "邻里",
    "心晴",
    "青苗",
    "助残",
    "绿色",
    "文体",
    "睦邻",
    "科普",
    "阳光",
    "春晖",
    "安康",
    "和谐",
    "同心",
    "暖心",
    "益行",
]
FORMS = [
    (Organisation.LegalForm.SERVICE_AGENCY, "服务中心"),
    (Organisation.LegalForm.SOCIAL_GROUP, "协会"),
    (Organisation.LegalForm.SERVICE_AGENCY, "服务社"),
    (Organisation.LegalForm.FOUNDATION, "基金会"),
    (Organisation.LegalForm.COMMUNITY_GROUP, "志愿团队"),
]
SLUG_PREFIX = "bench-org-"


def credit_code(number: int, legal_form: str) -> str:
    """A code passing both GB 32100 and GB 11714 checks; ``MK`` marks it a bench code."""
    if legal_form == Organisation.LegalForm.COMMUNITY_GROUP:
        return ""  # filed community groups have none
    category = CIVIL_AFFAIRS_CATEGORY[legal_form]
    return make_credit_code(f"5{category}310106MK{number:06d}")


def _organisation(number: int, streets: list[Street], today: datetime.date) -> Organisation:
    legal_form, label = FORMS[number % len(FORMS)]
    name = f"上海市静安区{THEMES[number % len(THEMES)]}{label}第{number}号{BENCH_MARK}"
    short_name = f"{THEMES[number % len(THEMES)]}{number}"
    status = (
        Organisation.Status.ACTIVE
        if number % 10 < 8
        else [Organisation.Status.APPLIED, Organisation.Status.LAPSED][number % 2]
    )
    founded = today - datetime.timedelta(days=400 + (number * 37) % 9000)
    return Organisation(
        name=name,
        short_name=short_name,
        slug=f"{SLUG_PREFIX}{number}",
        status=status,
        legal_form=legal_form,
        credit_code=credit_code(number, legal_form),
        registration_status=(
            Organisation.RegistrationStatus.FILED
            if legal_form == Organisation.LegalForm.COMMUNITY_GROUP
            else Organisation.RegistrationStatus.REGISTERED
        ),
        established_on=founded,
        joined_on=founded + datetime.timedelta(days=200),
        street=streets[number % len(streets)],
        description=f"虚构的基准测试机构，第{number}号。",
        contact_person=f"联系人{number}{BENCH_MARK}",
        contact_email=f"org{number}@bench.example",
        name_pinyin=pinyin_full(name),
        pinyin_search=pinyin_search_text(name, short_name),
    )


def seed_organisations(plan: Plan) -> list[Organisation]:
    streets = list(Street.objects.order_by("code"))
    organisations = bulk(
        Organisation,
        (_organisation(number, streets, plan.today) for number in range(1, plan.organisations + 1)),
    )
    fields = list(ServiceField.objects.order_by("position", "pk"))
    if fields:
        through = Organisation.service_fields.through
        bulk(
            through,
            (
                through(organisation_id=org.pk, servicefield_id=fields[index % len(fields)].pk)
                for index, org in enumerate(organisations)
            ),
        )
    return organisations


def seed_memberships(plan: Plan, organisations: list[Organisation]) -> int:
    """Most active organisations belong to one alliance, every fifth to a second one."""
    alliances = list(Alliance.objects.order_by("position", "pk"))
    if not alliances:
        return 0
    joined = local_moment(datetime.date(plan.first_year, 3, 1), 10)
    rows = []
    for index, org in enumerate(organisations):
        if org.status != Organisation.Status.ACTIVE:
            continue
        picks = {index % len(alliances)}
        if index % 5 == 0:
            picks.add((index + 3) % len(alliances))
        rows += [
            AllianceMembership(
                organisation_id=org.pk,
                alliance=alliances[pick],
                status=AllianceMembership.Status.ACTIVE,
                decided_at=joined,
                joined_at=joined,
            )
            for pick in sorted(picks)
        ]
    return len(bulk(AllianceMembership, rows))


def seed_participants(plan: Plan, organisations: list[Organisation]) -> list[Participant]:
    """A few staff and volunteers per active organisation, each with a unique mobile."""
    rows = []
    for org in organisations:
        if org.status != Organisation.Status.ACTIVE:
            continue
        for person in range(plan.participants_per_organisation):
            number = org.pk * 10 + person
            rows.append(
                Participant(
                    organisation_id=org.pk,
                    name=f"志愿者{number}{BENCH_MARK}",
                    mobile=mobile(number),
                    role=Participant.Role.STAFF if person == 0 else Participant.Role.VOLUNTEER,
                )
            )
    return bulk(Participant, rows)
