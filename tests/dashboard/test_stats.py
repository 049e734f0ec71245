"""Each figure against hand-computed fixtures (the owning apps' selectors_stats)."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from alliances.models import Alliance
from core.timezone import SHANGHAI
from events import selectors_stats as event_stats
from events.models import Event, Registration
from federation import selectors_stats as federation_stats
from federation.models import AnnualInspection, Organisation, Street
from funds import selectors_stats as fund_stats
from funds.models import Grant
from funds.selectors import account_balances
from notifications.models import Message
from notifications.selectors_stats import message_count_by_month
from tests.events.factories import EventFactory, ParticipantFactory, RegistrationFactory
from tests.federation.factories import OrgAdminFactory, OrganisationFactory, UserFactory
from tests.funds.factories import give, grant_under_review

pytestmark = pytest.mark.django_db


def shanghai(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=SHANGHAI)


def _event(starts_at, **kwargs):
    return EventFactory(
        starts_at=starts_at, ends_at=starts_at + datetime.timedelta(hours=3), **kwargs
    )


def _registrations(event, organisation, *statuses, hours="2.00"):
    for status in statuses:
        participant = ParticipantFactory(organisation=organisation)
        RegistrationFactory(
            event=event,
            participant=participant,
            status=status,
            hours=Decimal(hours) if status == Registration.Status.ATTENDED else None,
        )


def test_an_event_at_2330_on_new_years_eve_in_shanghai_counts_in_that_year():
    # 2024-12-31 23:30 in Shanghai is 15:30 UTC: December 2024.
    _event(shanghai(2024, 12, 31, 23, 30))
    # 2025-01-01 00:30 in Shanghai is still 2024-12-31 16:30 UTC, but belongs to January 2025.
    _event(shanghai(2025, 1, 1, 0, 30))

    months_2024 = event_stats.event_figures_by_month(year=2024)
    months_2025 = event_stats.event_figures_by_month(year=2025)

    assert [m.events for m in months_2024] == [0] * 11 + [1]
    assert [m.events for m in months_2025] == [1] + [0] * 11
    assert event_stats.event_figures_for_year(year=2024).events == 1


def test_month_figures_count_seats_attendance_and_hours_and_skip_drafts_and_cancelled():
    organisation = OrganisationFactory()
    march = _event(shanghai(2025, 3, 8, 9, 0))
    A, N, C, X = (
        Registration.Status.ATTENDED,
        Registration.Status.NO_SHOW,
        Registration.Status.CONFIRMED,
        Registration.Status.CANCELLED,
    )
    _registrations(march, organisation, A, A, A, N, C, X, hours="2.50")
    draft = _event(shanghai(2025, 3, 9, 9, 0), status=Event.Status.DRAFT)
    _registrations(draft, organisation, A)
    _event(shanghai(2025, 3, 10, 9, 0), status=Event.Status.CANCELLED, cancelled_reason="雨")

    march_figures = event_stats.event_figures_by_month(year=2025)[2]

    assert march_figures.events == 1
    assert march_figures.registrations == 5  # three attended, a no-show, a confirmed place
    assert march_figures.attended == 3
    assert march_figures.no_show == 1
    assert march_figures.attendance_rate == Decimal("75.0")
    assert march_figures.hours == Decimal("7.50")


def test_figures_by_alliance_list_all_seven_then_events_of_no_alliance():
    organisation = OrganisationFactory()
    elderly = Alliance.objects.get(code="elderly")
    training = _event(shanghai(2025, 5, 1, 9), alliance=elderly, kind=Event.Kind.TRAINING)
    _registrations(training, organisation, Registration.Status.ATTENDED, hours="3.00")
    _event(shanghai(2025, 6, 1, 9))

    rows = event_stats.event_figures_by_alliance(year=2025)

    assert len(rows) == Alliance.objects.count() + 1
    by_code = {a.code if a else None: f for a, f in rows}
    assert by_code["elderly"].events == 1
    assert by_code["elderly"].hours == Decimal("3.00")
    assert by_code["youth"].events == 0
    assert by_code[None].events == 1


def test_street_filter_keeps_only_that_streets_events():
    first, second = Street.objects.order_by("code")[:2]
    _event(shanghai(2025, 4, 1, 9), street=first)
    _event(shanghai(2025, 4, 2, 9), street=second)
    _event(shanghai(2025, 4, 3, 9), street=second)

    assert event_stats.event_figures_for_year(year=2025, street=first).events == 1
    assert event_stats.event_figures_for_year(year=2025, street=second).events == 2
    assert event_stats.event_figures_for_year(year=2025).events == 3


def test_volunteer_hours_by_person_use_the_names_the_organisation_registered():
    organisation, other = OrganisationFactory(), OrganisationFactory()
    one = _event(shanghai(2025, 2, 1, 9))
    two = _event(shanghai(2025, 9, 1, 9))
    volunteer = ParticipantFactory(organisation=organisation, name="李小红（虚构）")
    for event, hours in ((one, "2.00"), (two, "1.50")):
        RegistrationFactory(
            event=event,
            participant=volunteer,
            status=Registration.Status.ATTENDED,
            hours=Decimal(hours),
        )
    _registrations(one, other, Registration.Status.ATTENDED)

    rows = event_stats.volunteer_hours_by_person(organisation=organisation, year=2025)
    attended = event_stats.event_list_attended_by_organisation(organisation=organisation, year=2025)

    assert rows == [("李小红（虚构）", 2, Decimal("3.50"))]
    assert [(event.title, event.people, event.hours) for event in attended] == [
        (one.title, 1, Decimal("2.00")),
        (two.title, 1, Decimal("1.50")),
    ]


def test_members_by_status_legal_form_and_street():
    first, second = Street.objects.order_by("code")[:2]
    before = {v: n for v, _l, n in federation_stats.organisation_count_by_status()}
    OrganisationFactory(street=first)
    OrganisationFactory(street=first, legal_form=Organisation.LegalForm.FOUNDATION)
    OrganisationFactory(street=second, status=Organisation.Status.APPLIED)

    statuses = {v: n for v, _l, n in federation_stats.organisation_count_by_status()}
    forms = {v: n for v, _l, n in federation_stats.organisation_count_by_legal_form(street=first)}
    streets = dict(federation_stats.organisation_count_by_street())

    assert statuses["active"] - before.get("active", 0) == 2
    assert statuses["applied"] - before.get("applied", 0) == 1
    assert forms[Organisation.LegalForm.FOUNDATION] == 1
    assert forms[Organisation.LegalForm.SERVICE_AGENCY] == 1
    assert streets[first] == 2
    assert streets[second] == 0  # the applicant is not a member yet
    assert len(streets) == Street.objects.count()


def test_inspections_per_street_count_reports_handed_in_for_the_year():
    street = Street.objects.order_by("code").first()
    handed, qualified, owing = (OrganisationFactory(street=street) for _ in range(3))
    at = shanghai(2026, 3, 1, 9)
    AnnualInspection.objects.create(
        organisation=handed, year=2025, status="submitted", submitted_at=at
    )
    AnnualInspection.objects.create(
        organisation=qualified, year=2025, status="qualified", submitted_at=at
    )
    AnnualInspection.objects.create(
        organisation=owing, year=2024, status="qualified", submitted_at=at
    )

    ((row_street, counts),) = federation_stats.inspection_count_by_street(year=2025, street=street)

    assert row_street == street
    assert counts == {"members": 3, "submitted": 2, "qualified": 1, "outstanding": 1}


def test_messages_sent_and_failed_by_month_of_their_due_moment():
    user = UserFactory()
    for n, (due, state) in enumerate(
        [
            (shanghai(2025, 1, 31, 23, 50), Message.State.SENT),  # 15:50 UTC: still January
            (shanghai(2025, 2, 1, 0, 10), Message.State.SENT),  # Feb in Shanghai, Jan in UTC
            (shanghai(2025, 2, 3, 9, 0), Message.State.FAILED),
            (shanghai(2025, 2, 4, 9, 0), Message.State.PENDING),
        ]
    ):
        Message.objects.create(
            kind="test",
            recipient=user,
            email=user.email,
            template="t",
            language="zh-hans",
            dedupe_key=f"test-{n}",
            due_at=due,
            state=state,
        )

    rows = message_count_by_month(year=2025)

    assert rows[0] == (1, 1, 0)
    assert rows[1] == (2, 1, 1)
    assert sum(sent for _m, sent, _f in rows) == 2


def test_fund_year_totals_balance_and_grants_by_purpose_match_the_ledger(fund, manager, manager2):
    today = timezone.localdate()
    year = today.year
    give(fund, manager, amount="1000.10", received_on=today)
    give(fund, manager, amount="250.25", received_on=today)
    member = OrgAdminFactory()
    admin, organisation = member.user, member.organisation
    grant = grant_under_review(
        fund,
        admin,
        organisation,
        manager,
        amount="600.00",
        purpose=Grant.Purpose.TRAINING,
    )
    from funds import services

    services.grant_approve(grant=grant, acting_user=manager)
    services.grant_approve(grant=grant, acting_user=manager2)

    income, expense = fund_stats.year_totals(fund=fund, year=year)
    ledger = {row.account.kind: 0 for row in account_balances(fund=fund, year=year)}
    for row in account_balances(fund=fund, year=year):
        ledger[row.account.kind] += row.balance
    balances = fund_stats.balance_by_month(fund=fund, year=year)
    purposes = fund_stats.grants_by_purpose_for_year(fund=fund, year=year)

    assert income == Decimal("1250.35") == ledger["income"]
    assert expense == Decimal("600.00") == ledger["expense"]
    # Net assets: cash in less the grant promised, from the month of the gifts on.
    assert balances[today.month - 1] == (today.month, Decimal("650.35"))
    assert balances[11][1] == Decimal("650.35")
    assert purposes == [("training", str(Grant.Purpose.TRAINING.label), 1, Decimal("600.00"))]
    assert fund_stats.grants_by_purpose_for_year(fund=fund, year=year - 1) == []


def test_the_fund_income_panel_sums_the_years_postings_once(fund, manager):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from dashboard.panels.funds import income_by_channel
    from dashboard.registry import Filters

    today = timezone.localdate()
    give(fund, manager, amount="1000.10", received_on=today)

    with CaptureQueriesContext(connection) as queries:
        data = income_by_channel(Filters(year=today.year))

    sums = [q["sql"] for q in queries if 'FROM "funds_posting"' in q["sql"]]
    assert len(sums) == 1  # the channels and the two totals share one grouped sum
    assert data.figures[0].value == Decimal("1000.10")


def test_the_month_panels_share_one_grouped_query_and_the_total_adds_up_the_months():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from dashboard.panels.events import events_by_month, hours_by_month
    from dashboard.registry import Filters

    organisation = OrganisationFactory()
    A, N = Registration.Status.ATTENDED, Registration.Status.NO_SHOW
    _registrations(_event(shanghai(2025, 1, 1, 0, 30)), organisation, A, N, hours="1.25")
    _registrations(_event(shanghai(2025, 3, 8, 9)), organisation, A, A, hours="2.50")
    _registrations(_event(shanghai(2025, 12, 31, 23, 30)), organisation, N)
    _event(shanghai(2024, 12, 31, 23, 30))  # the year before, in Shanghai
    filters = Filters(year=2025)

    with CaptureQueriesContext(connection) as queries:
        events = events_by_month(filters)
        hours = hours_by_month(filters)

    assert len([q for q in queries if 'FROM "events_event"' in q["sql"]]) == 1
    year = event_stats.event_figures_for_year(year=2025)
    assert [figure.value for figure in events.figures] == [
        year.events,
        year.registrations,
        f"{year.attendance_rate}%",
        year.hours,
    ]
    assert (year.events, year.registrations, year.hours) == (3, 5, Decimal("6.25"))
    assert [cell.value for cell in events.rows[-1][1:]] == [3, 5, 3, 2, Decimal("60.0"), year.hours]
    assert hours.rows[2][1].value == Decimal("5.00")
    # A new Filters (the next request) asks again.
    with CaptureQueriesContext(connection) as queries:
        hours_by_month(Filters(year=2025))
    assert len(queries) == 1


def test_the_fund_income_and_balance_panels_share_one_pass_over_the_postings(fund, manager):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from dashboard.panels.funds import balance_by_month, income_by_channel
    from dashboard.registry import Filters

    today = timezone.localdate()
    give(fund, manager, amount="1000.10", received_on=today)
    filters = Filters(year=today.year)

    with CaptureQueriesContext(connection) as queries:
        income = income_by_channel(filters)
        balance = balance_by_month(filters)

    sums = [q["sql"] for q in queries if 'FROM "funds_posting"' in q["sql"]]
    assert len(sums) == 1
    assert len([q for q in queries if 'FROM "funds_fund"' in q["sql"]]) == 1
    assert income.figures[0].value == Decimal("1000.10")
    assert balance.rows[today.month - 1][1].value == Decimal("1000.10")
    assert [cell.value for _label, cell in balance.rows] == [
        balance for _month, balance in fund_stats.balance_by_month(fund=fund, year=today.year)
    ]
