"""The staff quarterly plan: alliance × quarter, team building and training held/scheduled/missing."""

import datetime
import itertools

import pytest

from alliances.models import Alliance
from core.timezone import SHANGHAI
from events.models import Event
from events.reminders import missing_kinds
from events.selectors import PlanState, alliance_quarter_plan
from tests.alliances.factories import secretary_of
from tests.federation.factories import FederationStaffFactory, UserFactory

from .factories import EventFactory

pytestmark = pytest.mark.django_db

TB, TR = Event.Kind.TEAM_BUILDING, Event.Kind.TRAINING
S = Event.Status
HELD, SCHEDULED, MISSING = PlanState.HELD, PlanState.SCHEDULED, PlanState.MISSING
NOW = datetime.datetime(2026, 5, 15, 12, 0, tzinfo=SHANGHAI)  # mid Q2 2026


def local(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=SHANGHAI)


@pytest.fixture
def frozen_now(clock):
    clock.set(NOW)
    return NOW


def activity(alliance, kind, starts_at, status=S.PUBLISHED, hours=2):
    return EventFactory(
        alliance=alliance,
        kind=kind,
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=hours),
        status=status,
        cancelled_reason="场地取消" if status == S.CANCELLED else "",
    )


def row_of(plan, alliance):
    (row,) = [row for row in plan if row.alliance == alliance]
    return row


def cell(alliance, quarter, year=2026, now=NOW):
    return row_of(alliance_quarter_plan(year=year, now=now), alliance).cells[quarter - 1]


@pytest.fixture
def elderly():
    return Alliance.objects.get(code="elderly")


# --- the selector ----------------------------------------------------------------------


def test_plan_has_the_seven_alliances_in_order_with_four_quarters():
    plan = alliance_quarter_plan(year=2026, now=NOW)
    assert [row.alliance.code for row in plan] == list(
        Alliance.objects.order_by("position", "code").values_list("code", flat=True)
    )
    assert all([c.quarter for c in row.cells] == [1, 2, 3, 4] for row in plan)


def test_quarter_without_any_activity_misses_both_kinds(elderly):
    empty = cell(elderly, 1)
    assert (empty.team_building, empty.training) == (MISSING, MISSING)
    assert empty.missing_kinds == [TB, TR]
    assert empty.is_missing


@pytest.mark.parametrize(("kind", "missing"), [(TB, [TR]), (TR, [TB])])
def test_quarter_with_only_one_kind_misses_the_other(elderly, kind, missing):
    activity(elderly, kind, local(2026, 2, 10, 9))
    assert cell(elderly, 1).missing_kinds == missing
    assert cell(elderly, 1).is_missing


def test_quarter_with_both_kinds_is_not_missing(elderly):
    activity(elderly, TB, local(2026, 2, 10, 9), status=S.COMPLETED)
    activity(elderly, TR, local(2026, 3, 5, 14))
    q1 = cell(elderly, 1)
    assert q1.missing_kinds == []
    assert not q1.is_missing
    assert (q1.team_building, q1.training) == (HELD, HELD)


STATUSES = [None, S.DRAFT, S.CANCELLED, S.PUBLISHED, S.COMPLETED]


@pytest.mark.parametrize(("team_building", "training"), list(itertools.product(STATUSES, STATUSES)))
def test_quarter_is_missing_exactly_when_a_kind_is_neither_held_nor_scheduled(
    elderly, team_building, training
):
    """Acceptance: missing iff no published/completed team building or no such training."""
    # Q3 2026 lies after NOW, so a published event there is scheduled, a completed one held.
    for kind, status in ((TB, team_building), (TR, training)):
        if status is not None:
            activity(elderly, kind, local(2026, 8, 1, 9), status=status)
    counts = {S.PUBLISHED, S.COMPLETED}
    expected_missing = [
        kind for kind, status in ((TB, team_building), (TR, training)) if status not in counts
    ]
    q3 = cell(elderly, 3)
    assert q3.missing_kinds == expected_missing
    assert q3.is_missing == bool(expected_missing)
    for kind, status in ((TB, team_building), (TR, training)):
        expected = {S.PUBLISHED: SCHEDULED, S.COMPLETED: HELD}.get(status, MISSING)
        assert q3.states[kind] == expected


def test_cancelled_and_draft_events_do_not_count(elderly):
    activity(elderly, TB, local(2026, 1, 20, 9), status=S.CANCELLED)
    activity(elderly, TR, local(2026, 1, 21, 9), status=S.DRAFT)
    q1 = cell(elderly, 1)
    assert q1.missing_kinds == [TB, TR]
    assert q1.events == []


def test_other_kinds_and_other_alliances_do_not_count(elderly):
    youth = Alliance.objects.get(code="youth")
    activity(elderly, Event.Kind.OUTREACH, local(2026, 2, 1, 9))
    activity(youth, TB, local(2026, 2, 1, 9))
    activity(youth, TR, local(2026, 2, 2, 9))
    activity(None, TR, local(2026, 2, 3, 9))  # the federation's own training
    assert cell(elderly, 1).missing_kinds == [TB, TR]
    assert cell(youth, 1).missing_kinds == []


def test_held_scheduled_follow_status_and_end(elderly):
    past_published = activity(elderly, TB, local(2026, 4, 2, 9))
    ongoing = activity(elderly, TR, NOW - datetime.timedelta(hours=1))
    q2 = cell(elderly, 2)
    assert q2.states == {TB: HELD, TR: SCHEDULED}  # over vs still running
    assert q2.events == [past_published, ongoing]
    # seen after the training has ended, it is held too
    later = NOW + datetime.timedelta(days=1)
    assert cell(elderly, 2, now=later).states == {TB: HELD, TR: HELD}
    # a completed event counts as held even when its end lies ahead
    activity(elderly, TB, local(2026, 11, 1, 9), status=S.COMPLETED)
    activity(elderly, TR, local(2026, 11, 2, 9))
    assert cell(elderly, 4).states == {TB: HELD, TR: SCHEDULED}
    # one held and one scheduled of the same kind: held
    activity(elderly, TR, local(2026, 4, 20, 9), status=S.COMPLETED)
    assert cell(elderly, 2).states[TR] == HELD


def test_quarter_boundaries_are_in_shanghai_time(elderly):
    q1_end = activity(elderly, TB, local(2026, 3, 31, 23, 30))  # 15:30 UTC on 31 March
    q2_start = activity(elderly, TR, local(2026, 4, 1, 0, 10))  # 16:10 UTC on 31 March
    plan = row_of(alliance_quarter_plan(year=2026, now=NOW), elderly)
    assert plan.cells[0].events == [q1_end]
    assert plan.cells[0].missing_kinds == [TR]
    assert plan.cells[1].events == [q2_start]
    assert plan.cells[1].missing_kinds == [TB]


def test_year_boundaries_are_in_shanghai_time(elderly):
    last_year = activity(elderly, TB, local(2025, 12, 31, 23, 30))
    in_q4 = activity(elderly, TR, local(2026, 12, 31, 23, 30))
    next_year = activity(elderly, TB, local(2027, 1, 1, 0, 10))  # 2026-12-31 UTC
    row = row_of(alliance_quarter_plan(year=2026, now=NOW), elderly)
    assert row.cells[0].events == []
    assert row.cells[3].events == [in_q4]
    assert row.cells[3].missing_kinds == [TB]
    assert row_of(alliance_quarter_plan(year=2025, now=NOW), elderly).cells[3].events == [last_year]
    assert row_of(alliance_quarter_plan(year=2027, now=NOW), elderly).cells[0].events == [next_year]


def test_plan_for_one_alliance_is_its_row(elderly):
    activity(elderly, TB, local(2026, 2, 1, 9))
    (row,) = alliance_quarter_plan(year=2026, alliance=elderly, now=NOW)
    assert row.alliance == elderly
    assert (
        row.cells[0].states
        == row_of(alliance_quarter_plan(year=2026, now=NOW), elderly).cells[0].states
    )
    assert row.missing_count == 7  # Q1 training, Q2–Q4 both


@pytest.mark.parametrize("per_alliance", [1, 12])
def test_plan_query_count_is_constant_in_the_number_of_events(
    django_assert_num_queries, per_alliance
):
    for alliance in Alliance.objects.all():
        for index in range(per_alliance):
            activity(alliance, (TB, TR)[index % 2], local(2026, 1 + index % 12, 3, 9))
    with django_assert_num_queries(2):
        plan = alliance_quarter_plan(year=2026, now=NOW)
        total = sum(len(c.events) for row in plan for c in row.cells)
    assert total == 7 * per_alliance


# --- one definition of "missing": the reminder rule agrees ----------------------------


def test_reminder_rule_missing_kinds_is_the_plan_definition(frozen_now):
    alliances = list(Alliance.objects.all()[:4])
    a, b, c, d = alliances
    activity(a, TB, local(2026, 3, 31, 23, 30))
    activity(a, TR, local(2026, 4, 1, 0, 10))
    activity(b, TB, local(2026, 5, 1, 9), status=S.COMPLETED)
    activity(b, TR, local(2026, 5, 2, 9), status=S.CANCELLED)
    activity(c, TB, local(2026, 7, 1, 9), status=S.DRAFT)
    activity(c, TR, local(2026, 7, 2, 9))
    activity(d, TB, local(2026, 10, 1, 9))
    activity(d, TR, local(2026, 12, 31, 23, 30))
    plan = alliance_quarter_plan(year=2026)
    seen = set()
    for row in plan:
        for quarter_cell in row.cells:
            rule = missing_kinds(
                alliance_id=row.alliance.pk, year=2026, quarter=quarter_cell.quarter
            )
            assert rule == quarter_cell.missing_kinds
            seen.add(tuple(rule))
    assert seen == {(), (TB,), (TR,), (TB, TR)}


# --- the staff page ------------------------------------------------------------------


URL = "/events/quarterly-plan/"


def test_quarterly_plan_page_is_for_staff_only(client):
    assert client.get(URL).status_code == 302  # to the login page
    client.force_login(UserFactory())
    assert client.get(URL).status_code == 403
    client.force_login(secretary_of("elderly"))
    assert client.get(URL).status_code == 403
    client.force_login(FederationStaffFactory())
    assert client.get(URL).status_code == 200


def test_quarterly_plan_page_shows_the_chosen_year_and_highlights_missing(client, elderly):
    activity(elderly, TB, local(2024, 2, 1, 9), status=S.COMPLETED)
    activity(elderly, TR, local(2024, 3, 1, 9), status=S.COMPLETED)
    activity(elderly, TB, local(2024, 5, 1, 9), status=S.COMPLETED)
    client.force_login(FederationStaffFactory())
    client.cookies["django_language"] = "en"
    response = client.get(URL, {"year": 2024})
    assert response.status_code == 200
    assert response.context["year"] == 2024
    row = row_of(response.context["rows"], elderly)
    assert [c.is_missing for c in row.cells] == [False, True, True, True]
    html = response.content.decode()
    elderly_row = html.split('data-alliance="elderly"')[1].split("</tr>")[0]
    assert '<td data-quarter="1" class="yilu-stack-block" ' in elderly_row
    assert '<td data-quarter="2" class="yilu-stack-block table-danger" ' in elderly_row
    assert elderly_row.count('data-plan-state="held"') == 3
    assert elderly_row.count('data-plan-state="missing"') == 5
    assert "Team building: missing" in html


@pytest.mark.parametrize("value", ["", "abc", "1900", "99999"])
def test_quarterly_plan_page_defaults_to_this_year_in_shanghai(client, frozen_now, value):
    client.force_login(FederationStaffFactory())
    response = client.get(URL, {"year": value} if value else {})
    assert response.context["year"] == 2026


@pytest.mark.parametrize("per_alliance", [1, 12])
def test_quarterly_plan_page_query_count_is_constant(
    client, django_assert_max_num_queries, per_alliance
):
    client.force_login(FederationStaffFactory())
    for alliance in Alliance.objects.all():
        for index in range(per_alliance):
            activity(alliance, (TB, TR)[index % 2], local(2026, 1 + index % 12, 3, 9))
    with django_assert_max_num_queries(5):  # session, user, staff role, alliances, events
        response = client.get(URL, {"year": 2026})
    assert sum(len(c.events) for row in response.context["rows"] for c in row.cells) == (
        7 * per_alliance
    )


def test_cross_alliance_overview_links_to_the_quarterly_plan(client):
    client.force_login(FederationStaffFactory())
    assert f'href="{URL}"' in client.get("/alliances/overview/").content.decode()


def test_quarterly_plan_page_links_years_only_within_range(client):
    client.force_login(FederationStaffFactory())
    first = client.get(URL, {"year": 2007}).content.decode()
    assert "?year=2006" not in first and "?year=2008" in first
    last = client.get(URL, {"year": 2100}).content.decode()
    assert "?year=2101" not in last and "?year=2099" in last
