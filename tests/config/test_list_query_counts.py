"""Every list page runs the same number of queries at two data sizes (issue 17).

``LIST_PAGES`` are checked here against one shared world grown from two to six of
everything; the pages an app's own tests already check at two sizes are named in
``CHECKED_IN_THEIR_APP``. A new list page (a URL name that reads like one) fails
``test_every_list_page_is_checked`` until it is in one of the two.
"""

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import get_resolver, reverse

from alliances.models import AllianceMembership
from core.timezone import SHANGHAI
from events.models import Participant, Registration
from tests.alliances.factories import AllianceMembershipFactory, alliance, secretary_of
from tests.caravan.factories import caravan_on, hosted, in_days, slot_for
from tests.catalogue.factories import OfferingFactory
from tests.events.factories import EventFactory, ParticipantFactory, RegistrationFactory
from tests.events.factories import in_days as event_in_days
from tests.federation.factories import (
    FederationStaffFactory,
    OrgAdminFactory,
    OrganisationFactory,
    OrganisationMemberFactory,
)
from tests.festival.factories import EditionFactory
from tests.news.factories import ArticleFactory

pytestmark = pytest.mark.django_db

# name: who asks (anonymous, admin = org A's admin, staff, secretary of "elderly").
LIST_PAGES = {
    "events:event-feed": "anonymous",
    "news:feed-rss": "anonymous",
    "news:feed-atom": "anonymous",
    "festival:history": "anonymous",
    "festival:honour-roll": "anonymous",
    "federation:my-member-list": "admin",
    "federation:my-inspection-list": "admin",
    "events:registration-list": "admin",
    "events:participant-list": "admin",
    "catalogue:my-offering-list": "admin",
    "volunteers:my-volunteer-list": "admin",
    "alliances:my-alliances": "admin",
    "caravan:my-booth-list": "admin",
    "alliances:manage-list": "staff",
    "events:check-in-index": "staff",
    "catalogue:review-list": "staff",
    "catalogue:offering-list": "anonymous",
    "volunteers:volunteer-list": "staff",
    "festival:nomination-review": "staff",
    "caravan:totals": "staff",
    "portal:workbench": "staff",
    "events:secretary-event-list": "secretary",
}

# Pages whose own app's tests count their queries at two sizes.
CHECKED_IN_THEIR_APP = {
    "portal:home": "tests/portal/test_home.py::test_home_query_count_does_not_grow_with_news",
    "federation:organisation-list": "tests/federation/test_directory.py",
    "alliances:list": "tests/alliances/test_views.py::test_public_pages_keep_a_constant_query_count",
    "alliances:matrix": "tests/alliances/test_matrix.py",
    "events:event-list": "tests/events/test_views_public.py",
    "events:event-calendar": "tests/events/test_views_public.py",
    "events:hours-overview": "tests/events/test_views_attendance.py",
    "events:quarterly-plan": "tests/events/test_quarterly_plan.py",
    "member_events:list": "tests/events/test_member_events.py",
    "member_events:review-list": "tests/events/test_member_events.py",
    "caravan:public": "tests/caravan/test_views.py",
    "caravan:matrix": "tests/caravan/test_views.py",
    "news:article-list": "tests/news/test_views.py",
    "streets:hub-list": "tests/streets/test_pages.py::test_query_count_is_constant",
    "streets:hub-home": "tests/streets/test_pages.py::test_query_count_is_constant",
    "streets:hub-registry": "tests/streets/test_pages.py::test_query_count_is_constant",
    "streets:hub-application-list": "tests/streets/test_pages.py::test_query_count_is_constant",
    "streets:hub-inspections": "tests/streets/test_pages.py::test_query_count_is_constant",
    "streets:hub-event-list": "tests/streets/test_pages.py::test_query_count_is_constant",
    "streets:hub-caravans": "tests/streets/test_caravan_records.py",
    "streets:review": "tests/streets/test_pages.py::test_query_count_is_constant",
    "dashboard:index": "tests/dashboard/test_views.py",
    # The fund's pages and their query counts: tests/funds (test_public, test_views,
    # test_partners); the fund's own pagination and reports are reworked there.
    "funds:*": "tests/funds",
}

# Names that read like a list but are not one page of rows.
NOT_LIST_PAGES = {
    "alliances:matrix-export": "a spreadsheet of every row (the export)",
    "caravan:matrix-xlsx": "a spreadsheet of every row (the export)",
    "caravan:history-import": "an upload form",
    "streets:hub-registry-export": "a spreadsheet of every row (the export)",
    "streets:hub-registry-detail": "one organisation",
    "streets:review-approve": "a POST action",
    "streets:review-return": "a POST action",
    "catalogue:review-detail": "one offering",
    "member_events:review": "one event",
    "festival:honour-roll-year": "the honour roll's own view (festival:honour-roll)",
    "federation:my-home": "one organisation's home",
    "dashboard:evidence-search": "a search box: at most 30 matches",
}

LIST_LIKE = re.compile(
    r"(list|index|overview|matrix|history|roll|review|totals|feed|calendar|gifts|partners"
    r"|plan|caravans|inspections|registry|search|home|workbench|public)"
)


def _url_names(patterns, namespace=None, route=""):
    for pattern in patterns:
        if hasattr(pattern, "url_patterns"):
            inner = pattern.namespace or namespace
            yield from _url_names(pattern.url_patterns, inner, route + str(pattern.pattern))
        elif pattern.name:
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            yield name, route + str(pattern.pattern)


def test_every_list_page_is_checked():
    unchecked = []
    for name, route in _url_names(get_resolver().url_patterns):
        if route.startswith(("admin/", "accounts/", "i18n/")) or not LIST_LIKE.search(name):
            continue
        namespace = name.split(":")[0]
        if not (
            name in LIST_PAGES
            or name in CHECKED_IN_THEIR_APP
            or f"{namespace}:*" in CHECKED_IN_THEIR_APP
            or name in NOT_LIST_PAGES
        ):
            unchecked.append(name)
    assert unchecked == []


@dataclass
class World:
    organisation: object
    admin: object
    staff: object
    secretary: object
    grown: int = 0


@pytest.fixture
def world(clock):
    clock.set(datetime.datetime(2026, 6, 10, 10, 0, tzinfo=SHANGHAI))
    organisation = OrganisationFactory()
    staff = FederationStaffFactory()
    return World(
        organisation=organisation,
        admin=OrgAdminFactory(organisation=organisation).user,
        staff=staff,
        secretary=secretary_of("elderly"),
    )


def _grow(world: World, count: int) -> None:
    """``count`` more of everything the pages list, much of it org A's."""
    mine = world.organisation
    for index in range(world.grown, world.grown + count):
        other = OrganisationFactory()
        AllianceMembershipFactory(organisation=other)
        AllianceMembershipFactory(
            organisation=other, alliance=alliance("youth"), status=AllianceMembership.Status.PENDING
        )
        OrganisationMemberFactory(organisation=mine)
        upcoming = EventFactory(capacity=None)
        today = EventFactory(capacity=None, starts_at=event_in_days(0, 9))
        past = EventFactory(
            capacity=None,
            starts_at=event_in_days(-30 - index),
            ends_at=event_in_days(-30 - index, 12),
        )
        EventFactory(alliance=alliance("elderly"), kind="training")
        volunteer = ParticipantFactory(organisation=mine, role=Participant.Role.VOLUNTEER)
        RegistrationFactory(event=upcoming, participant=volunteer)
        RegistrationFactory(event=today, participant=ParticipantFactory(organisation=mine))
        RegistrationFactory(
            event=past, participant=volunteer, status=Registration.Status.ATTENDED, hours=Decimal(2)
        )
        ArticleFactory()
        OfferingFactory(organisation=mine)
        OfferingFactory(organisation=other, status="submitted")
        caravan = caravan_on(in_days(5 + index))
        hosted(slot_for(caravan), organisation=mine)
        EditionFactory(year=2000 + index)
    world.grown += count


def _count(client, name) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse(name))
    assert response.status_code == 200, (name, response.status_code)
    return len(queries)


@pytest.mark.parametrize("name", sorted(LIST_PAGES))
def test_list_page_query_count_is_the_same_at_two_sizes(name, client, world):
    who = LIST_PAGES[name]
    if who != "anonymous":
        client.force_login({"admin": world.admin, "staff": world.staff}.get(who, world.secretary))
    _grow(world, 2)
    _count(client, name)  # the first visit also picks the current organisation (session)
    small = _count(client, name)
    _grow(world, 4)
    large = _count(client, name)
    assert small == large, (name, small, large)
