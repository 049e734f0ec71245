"""The alliance pages' activities and figures, filled from the events app's tags."""

import datetime
from decimal import Decimal

import pytest

from core.timezone import SHANGHAI
from events.models import Event, Registration
from tests.events.factories import EventFactory, RegistrationFactory
from tests.federation.factories import FederationStaffFactory

from .factories import AllianceMembershipFactory, alliance, secretary_of

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 5, 15, 12, 0, tzinfo=SHANGHAI)
S = Event.Status
R = Registration.Status


def local(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def frozen_now(clock):
    clock.set(NOW)


def activity(organiser, starts_at, kind=Event.Kind.TRAINING, status=S.PUBLISHED, hours=3):
    return EventFactory(
        alliance=organiser,
        kind=kind,
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=hours),
        status=status,
        cancelled_reason="暴雨" if status == S.CANCELLED else "",
    )


def attended(event, hours):
    return RegistrationFactory(event=event, status=R.ATTENDED, hours=hours)


@pytest.fixture
def elderly_year():
    """The elderly alliance's events around NOW, and others' that must not show."""
    elderly, youth = alliance("elderly"), alliance("youth")
    events = {
        "completed": activity(
            elderly, local(2026, 3, 10, 9), Event.Kind.TEAM_BUILDING, S.COMPLETED
        ),
        "over": activity(elderly, local(2026, 5, 1, 14)),  # published, already over
        "last_year": activity(elderly, local(2025, 11, 10, 9), status=S.COMPLETED),
        "ongoing": activity(elderly, NOW - datetime.timedelta(hours=1)),
        "upcoming": activity(elderly, local(2026, 6, 1, 9), Event.Kind.TEAM_BUILDING),
        "draft": activity(elderly, local(2026, 6, 10, 9), status=S.DRAFT),
        "cancelled": activity(elderly, local(2026, 4, 10, 9), status=S.CANCELLED),
        "other_alliance": activity(youth, local(2026, 4, 12, 9), status=S.COMPLETED),
        "federation": activity(None, local(2026, 4, 14, 9), Event.Kind.CARAVAN, S.COMPLETED),
    }
    attended(events["completed"], Decimal("3.00"))
    attended(events["completed"], Decimal("2.50"))
    RegistrationFactory(event=events["completed"], status=R.NO_SHOW)
    RegistrationFactory(event=events["completed"], status=R.CANCELLED)
    attended(events["over"], Decimal("2.00"))
    RegistrationFactory(event=events["upcoming"], status=R.CONFIRMED)
    attended(events["last_year"], Decimal("2.00"))
    attended(events["other_alliance"], Decimal("2.00"))
    attended(events["federation"], Decimal("3.00"))
    return events


def test_alliance_detail_lists_upcoming_and_past_activities_linked_to_events(client, elderly_year):
    client.cookies["django_language"] = "en"
    response = client.get("/alliances/elderly/")
    assert response.status_code == 200
    e = elderly_year
    assert response.context["upcoming"] == [e["ongoing"], e["upcoming"]]
    assert response.context["past"] == [e["over"], e["completed"], e["last_year"]]
    html = response.content.decode()
    for name in ("ongoing", "upcoming", "over", "completed", "last_year"):
        assert f'href="/events/{e[name].slug}/"' in html
    for name in ("draft", "cancelled", "other_alliance", "federation"):
        assert f'href="/events/{e[name].slug}/"' not in html
    assert "Upcoming activities" in html


def test_alliance_detail_shows_this_year_figures(client, elderly_year):
    client.cookies["django_language"] = "en"
    response = client.get("/alliances/elderly/")
    figures = response.context["figures"]
    assert figures.year == 2026
    assert figures.held_count == 2  # completed + published and over; not the ongoing one
    assert figures.participant_count == 3  # attended only, this year's events of this alliance
    assert figures.volunteer_hours == Decimal("7.50")
    html = response.content.decode()
    assert '<dd class="col-sm-9" data-figure="held">2</dd>' in html
    assert '<dd class="col-sm-9" data-figure="participants">3</dd>' in html
    assert '<dd class="col-sm-9" data-figure="hours">7.50</dd>' in html
    assert "Activities held in 2026" in html


def test_alliance_detail_without_activities_shows_zero_figures(client):
    client.cookies["django_language"] = "en"
    response = client.get("/alliances/youth/")
    figures = response.context["figures"]
    assert (figures.held_count, figures.participant_count) == (0, 0)
    assert figures.volunteer_hours == Decimal("0.00")
    assert "No upcoming activities." in response.content.decode()


def _card(html: str, code: str) -> str:
    return html.split(f'href="/alliances/{code}/"')[1].split('class="card h-100')[0]


def test_alliance_list_shows_each_alliance_activities_this_year(client, elderly_year):
    client.cookies["django_language"] = "en"
    response = client.get("/alliances/")
    html = response.content.decode()
    elderly_card = _card(html, "elderly")
    assert 'data-activities-held="2" data-activities-scheduled="2"' in elderly_card
    assert f'href="/events/{elderly_year["ongoing"].slug}/"' in elderly_card  # the next one
    assert 'data-activities-held="1" data-activities-scheduled="0"' in _card(html, "youth")
    assert 'data-activities-held="0" data-activities-scheduled="0"' in _card(html, "owners")


def test_manage_page_shows_the_alliance_quarter_plan_row(client):
    elderly = alliance("elderly")
    activity(elderly, local(2026, 2, 1, 9), Event.Kind.TEAM_BUILDING, S.COMPLETED)
    activity(elderly, local(2026, 3, 1, 9))
    activity(elderly, local(2026, 8, 1, 9), Event.Kind.TEAM_BUILDING)
    activity(elderly, local(2026, 8, 2, 9), status=S.DRAFT)
    activity(alliance("youth"), local(2026, 8, 3, 9))
    client.force_login(secretary_of("elderly"))
    client.cookies["django_language"] = "en"
    response = client.get("/alliances/elderly/manage/")
    row = response.context["row"]
    assert row.alliance == elderly
    assert [cell.missing_kinds for cell in row.cells] == [
        [],
        ["team_building", "training"],
        ["training"],
        ["team_building", "training"],
    ]
    html = response.content.decode().split('id="quarter-plan-title"')[1].split("</section>")[0]
    assert html.count('data-plan-state="held"') == 2
    assert html.count('data-plan-state="scheduled"') == 1
    assert html.count('data-plan-state="missing"') == 5
    assert html.count('class="yilu-stack-block table-danger"') == 3
    assert 'href="/my/alliance-events/new/"' in html
    assert "/events/quarterly-plan/" not in html  # the full matrix is for staff

    client.force_login(FederationStaffFactory())
    html = client.get("/alliances/elderly/manage/").content.decode()
    assert 'href="/events/quarterly-plan/?year=2026"' in html
    assert 'href="/my/alliance-events/new/"' not in html


FIRST = local(2026, 1, 5, 9)


def _make_activities(count):
    elderly = alliance("elderly")
    kinds = (Event.Kind.TRAINING, Event.Kind.TEAM_BUILDING)
    for index in range(count):
        event = activity(elderly, FIRST + datetime.timedelta(days=9 * index), kinds[index % 2])
        if event.ends_at < NOW:
            attended(event, Decimal("1.00"))
    for _ in range(3):
        AllianceMembershipFactory(alliance=elderly)


@pytest.mark.parametrize("count", [2, 40])
def test_alliance_pages_keep_a_constant_query_count_across_event_counts(
    client, django_assert_max_num_queries, count
):
    _make_activities(count)
    held = sum(
        1 for index in range(count) if FIRST + datetime.timedelta(days=9 * index, hours=3) < NOW
    )
    with django_assert_max_num_queries(2):
        html = client.get("/alliances/").content.decode()
    assert f'data-activities-held="{held}" data-activities-scheduled="{count - held}"' in _card(
        html, "elderly"
    )
    with django_assert_max_num_queries(6):  # + the registered sections (news: one query)
        response = client.get("/alliances/elderly/")
    assert response.context["figures"].held_count == held
    assert response.context["figures"].participant_count == held
    assert len(response.context["past"]) == min(held, 10)
    client.force_login(secretary_of("elderly"))
    # Pending, a page of members (and its count), the latest closed (and their count),
    # with their histories; plus one for the plan row.
    with django_assert_max_num_queries(11):
        response = client.get("/alliances/elderly/manage/")
    assert sum(len(cell.events) for cell in response.context["row"].cells) == count
