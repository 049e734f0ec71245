"""Demo street hubs: fictitious office contacts for the 14 hubs, two hub staff logins,
a first-level recommendation and one hub event each way (approval on and off).

Addresses, phones and people are invented (marked 虚构); phones use the made-up
pattern 021-6000xxxx. Idempotent: what exists is left alone.
"""

import datetime

from django.utils import timezone

from events.models import Event
from events.services import hub_events
from federation.models import HubRecommendation, Organisation, StreetHub, User
from federation.services import (
    hub_profile_update,
    hub_recommendation_record,
    hub_settings_update,
    hub_staff_add,
    user_create_verified,
)

DEMO_PASSWORD = "yilu-demo-2026"
STAFF_EMAIL = "staff@yilu.example"
# e-mail, name, street code, whether the hub's events need the federation's approval
HUB_LOGINS = [
    ("hub-jiangning@yilu.example", "蒋雅琴（虚构）", "310106006", True),
    ("hub-pengpu@yilu.example", "陈志强（虚构）", "310106100", False),
]
FICTITIOUS = "（演示数据：地址、电话与人员均为虚构。）"


def _contacts() -> None:
    for number, hub in enumerate(StreetHub.objects.select_related("street"), start=1):
        if hub.contact_phone:
            continue
        hub_profile_update(
            hub=hub,
            acting_user=None,
            address=f"上海市静安区{hub.street.name_zh}社区服务中心{number}楼（虚构地址）",
            contact_person="秘书处",
            contact_phone=f"021-6000{number:04d}",
            contact_email=f"hub{hub.street.code}@yilu.example",
            description=(
                f"{hub.name}是{hub.street.name_zh}的社区社会组织枢纽，联系、服务、"
                f"培育本街道（镇）的社区社会组织，承接大篷车进社区与公益伙伴月活动。{FICTITIOUS}"
            ),
        )


def _staff() -> list[tuple[User, StreetHub]]:
    result = []
    for email, name, code, needs_approval in HUB_LOGINS:
        hub = StreetHub.objects.select_related("street").get(street__code=code)
        user = User.objects.filter(email=email).first()
        if user is None:
            user = user_create_verified(email=email, password=DEMO_PASSWORD, name=name)
            # The federation's setting, changed as staff would in the back office.
            hub = hub_settings_update(
                hub=hub,
                acting_user=User.objects.get(email=STAFF_EMAIL),
                events_need_approval=needs_approval,
            )
        hub_staff_add(hub=hub, user=user, acting_user=None)
        result.append((user, hub))
    return result


def _recommendation(user: User, hub: StreetHub) -> None:
    application = (
        Organisation.objects.filter(street=hub.street, status=Organisation.Status.APPLIED)
        .order_by("pk")
        .first()
    )
    if application is None or HubRecommendation.objects.filter(organisation=application).exists():
        return
    hub_recommendation_record(
        organisation=application,
        verdict=HubRecommendation.Verdict.RECOMMEND,
        note="已上门走访，服务规范，居民反映良好（虚构示例）。",
        acting_user=user,
    )


def _event(user: User, hub: StreetHub, title: str) -> None:
    if Event.objects.filter(hub=hub, title=title).exists():
        return
    day = timezone.localdate() + datetime.timedelta(days=21)
    starts_at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, 30)))
    event = hub_events.hub_event_create(
        hub=hub,
        acting_user=user,
        kind=Event.Kind.OUTREACH,
        title=title,
        summary="面向本街道（镇）居民的公益服务（虚构示例）",
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=2, minutes=30),
        venue_name=f"{hub.street.name_zh}社区服务中心（虚构）",
        capacity=40,
        visitor_signup=True,
    )
    hub_events.hub_event_submit(event=event, acting_user=user)


def seed(stdout) -> None:
    _contacts()
    for user, hub in _staff():
        _recommendation(user, hub)
        _event(user, hub, f"{hub.street.name_zh}社区社会组织公益集市")
    stdout.write(
        "streets: hub staff logins "
        + ", ".join(f"{email} / {DEMO_PASSWORD}" for email, *_rest in HUB_LOGINS)
    )
