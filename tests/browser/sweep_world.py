"""What the sweep adds to the permission world: objects and a role the walk does not have.

The permission walk's world holds one object of each kind its table needs; some
pages need objects it lacks (a caravan's open slot, a booth, a visitor's ticket,
an award, a certificate) or a person who is no role of the walk (a street hub's
staff). ``add_sweep_objects`` makes them and answers, for each role, the pages
they open there: ``role -> {URL name: path}``.
"""

import datetime
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from caravan.models import BoothApplication
from federation.models import Organisation
from festival import services as festival_services
from notifications.tokens import unsubscribe_token_make
from tests.caravan.factories import caravan_on, hosted, in_days, slot_for
from tests.events.factories import EventFactory, ParticipantFactory, RegistrationFactory
from tests.festival.factories import (
    EditionFactory,
    activity_of,
    award_type,
    festival_event,
    honour_round,
)
from tests.streets.conftest import STREET_A, _side
from volunteers import services as volunteer_services


def _hub_staff_pages(world) -> dict[str, str]:
    """A hub's staff member of 江宁路街道, with an organisation, an application, a draft
    event of the hub, an event under way in the street and a booth at its caravan."""
    side = _side(STREET_A, "sweep")
    world.users["hub_staff"] = side.user
    pages = {
        name: reverse(name)
        for name in (
            "streets:hub-home",
            "streets:hub-profile",
            "streets:hub-registry",
            "streets:hub-application-list",
            "streets:hub-inspections",
            "streets:hub-event-list",
            "streets:hub-event-create",
            "streets:hub-caravans",
        )
    }
    pages["streets:hub-registry-detail"] = reverse(
        "streets:hub-registry-detail", args=[side.organisation.slug]
    )
    pages["streets:hub-recommend"] = reverse("streets:hub-recommend", args=[side.application.pk])
    pages["streets:hub-event-update"] = reverse(
        "streets:hub-event-update", args=[side.hub_event.pk]
    )
    pages["streets:hub-check-in"] = reverse("streets:hub-check-in", args=[side.street_event.slug])
    pages["streets:hub-booth-record"] = reverse("streets:hub-booth-record", args=[side.booth.pk])
    return pages


def _caravan_pages(world, org_a) -> dict[str, dict[str, str]]:
    """An upcoming caravan with an open slot and org A's confirmed booth at last week's."""
    upcoming = caravan_on(in_days(10), slug="sweep-caravan")
    slot = slot_for(upcoming, "legal")
    held = caravan_on(in_days(-7), slug="sweep-caravan-held")
    booth = hosted(slot_for(held), organisation=org_a, status=BoothApplication.Status.CONFIRMED)
    return {
        "admin_a": {
            "caravan:my-apply": reverse("caravan:my-apply", args=[slot.pk]),
            "caravan:my-record": reverse("caravan:my-record", args=[booth.pk]),
        },
        "federation_staff": {"caravan:cancel": reverse("caravan:cancel", args=[upcoming.pk])},
    }


def _visitor_pages() -> dict[str, str]:
    """An open day that takes visitors' sign-ups, and a visitor's ticket for it."""
    event = EventFactory(
        slug="sweep-open-day", title="社区开放日", visitor_signup=True, organisation_id=None
    )
    ticket = RegistrationFactory(
        event=event, participant=None, organisation=None, name="刘阿姨", mobile="13611112222"
    )
    return {
        "events:visitor-signup": reverse("events:visitor-signup", args=[event.slug]),
        "events:ticket": reverse("events:ticket", args=[ticket.token]),
        "events:ticket-cancel": reverse("events:ticket-cancel", args=[ticket.token]),
    }


def _honours(world, org_a) -> dict[str, dict[str, str]]:
    """An open round of 优秀志愿者, an award granted last year, this year's festival
    with one activity."""
    year = timezone.localdate().year
    open_round = honour_round(award_type("YXZYZ", "优秀志愿者"), year=year)
    award = festival_services.award_grant(
        round=honour_round(year=year - 1),
        recipient_name="王志华（虚构）",
        organisation=org_a,
        acting_user=world.users["federation_staff"],
    )
    festival = festival_event(slug="sweep-festival", title="公益伙伴日")
    EditionFactory(year=year, event=festival)  # its programme links the counter
    activity = activity_of(festival, slug="sweep-activity", title="社区义诊")
    return {
        "anonymous": {
            "festival:honour-verify": reverse("festival:honour-verify", args=[award.number])
        },
        "admin_a": {
            "festival:nomination-create": reverse(
                "festival:nomination-create", args=[open_round.pk]
            )
        },
        "federation_staff": {
            "festival:walk-in-counter": reverse("festival:walk-in-counter", args=[activity.slug])
        },
    }


def _volunteer_pages(world, org_a) -> dict[str, dict[str, str]]:
    """A volunteer of org A with hours, and the certificate org A issued them."""
    person = ParticipantFactory(organisation=org_a, name="欧阳*（虚构）", mobile="13955550000")
    start = timezone.now() - datetime.timedelta(days=3)
    event = EventFactory(
        title="公益集市", starts_at=start, ends_at=start + datetime.timedelta(hours=4)
    )
    RegistrationFactory(event=event, participant=person, status="attended", hours=Decimal("3.00"))
    volunteer = volunteer_services.volunteer_verify_mobile(mobile="13955550000")
    certificate = volunteer_services.service_certificate_issue(
        volunteer=volunteer,
        organisation=org_a,
        period_from=timezone.localdate() - datetime.timedelta(days=30),
        period_to=timezone.localdate(),
        person_in_charge="王*华（虚构）",
        handler="陈*（虚构）",
        contact="021-00000000",
        acting_user=world.users["admin_a"],
    )
    return {
        "anonymous": {"volunteers:verify": reverse("volunteers:verify", args=[certificate.number])},
        "federation_staff": {
            "volunteers:volunteer-detail": reverse(
                "volunteers:volunteer-detail", args=[volunteer.pk]
            )
        },
    }


def add_sweep_objects(world) -> dict[str, dict[str, str]]:
    """Make the objects and the hub's staff member: ``role -> {URL name: path}`` to sweep."""
    org_a = Organisation.objects.get(slug=world.kwargs["org_slug"])
    pages: dict[str, dict[str, str]] = {"hub_staff": _hub_staff_pages(world)}
    token = unsubscribe_token_make(kind="event_starts", recipient_id=world.users["member_a"].pk)
    pages["anonymous"] = {
        **_visitor_pages(),
        "notifications:unsubscribe": reverse("notifications:unsubscribe", args=[token]),
    }
    for found in (
        _caravan_pages(world, org_a),
        _honours(world, org_a),
        _volunteer_pages(world, org_a),
    ):
        for role, more in found.items():
            pages.setdefault(role, {}).update(more)
    return pages
