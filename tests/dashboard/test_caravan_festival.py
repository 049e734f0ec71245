"""The caravan and festival panels and evidence sections against hand-computed fixtures."""

import datetime
import io

import pytest
from django.utils import translation
from openpyxl import load_workbook

from caravan import selectors_stats as caravan_stats
from caravan.models import BoothApplication, ServiceKind
from dashboard import documents
from dashboard.panels.caravan import booths_hosted, caravans_by_month
from dashboard.panels.festival import awards, festival_editions
from dashboard.registry import Filters
from events.models import Event, Registration
from federation.models import Street
from festival import selectors_stats as festival_stats
from festival.models import Award, WalkInCount
from festival.selectors import edition_rows
from tests.caravan.factories import caravan_on, hosted, kind, record, slot_for
from tests.events.factories import ParticipantFactory, RegistrationFactory
from tests.federation.factories import OrganisationFactory
from tests.festival.factories import (
    EditionFactory,
    activity_of,
    award_type,
    festival_event,
    honour_round,
)

from .test_stats import shanghai

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def caravans():
    """Street A: 15 Mar (30 blood pressure by X, 5 legal by Y), a cancelled day in May.
    Street B: 19 Apr (12 blood pressure by X; X's pending legal offer does not count).
    Imported: 21 Jun, 40 at X's charity sale (no street). 2024: 100 (another year).
    """
    street_a, street_b = Street.objects.order_by("code")[:2]
    x, y = OrganisationFactory(name="X"), OrganisationFactory(name="Y")
    march = caravan_on(D(2025, 3, 15), street=street_a)
    april = caravan_on(D(2025, 4, 19), street=street_b)
    caravan_on(
        D(2025, 5, 17), street=street_a, status=Event.Status.CANCELLED, cancelled_reason="雨天"
    )
    for day, slot, host, people in (
        (D(2025, 3, 15), slot_for(march), x, 30),
        (D(2025, 3, 15), slot_for(march, "legal"), y, 5),
        (D(2025, 4, 19), slot_for(april), x, 12),
    ):
        booth = hosted(slot, host)
        record(slot.service_kind.code, day, people, organisation=host, application=booth)
    hosted(slot_for(april, "legal"), x, status=BoothApplication.Status.PENDING)
    record("brand-sale", D(2025, 6, 21), 40, organisation=x, source="import")
    record("blood-pressure", D(2024, 12, 21), 100, organisation=x, source="import")
    return {"a": street_a, "b": street_b, "x": x, "y": y}


def test_caravan_days_and_people_served_per_kind_and_month(caravans):
    figures = caravan_stats.caravan_figures_by_month(year=2025)
    bp, legal, sale = kind("blood-pressure"), kind("legal"), kind("brand-sale")

    assert figures.caravans == [0, 0, 1, 1] + [0] * 8  # the cancelled day counts nowhere
    assert figures.people == {(bp.pk, 3): 30, (legal.pk, 3): 5, (bp.pk, 4): 12, (sale.pk, 6): 40}
    assert figures.people_total == 87
    assert set(figures.kinds) == {bp, legal, sale}
    assert figures.kinds == sorted(figures.kinds, key=lambda k: (k.position, k.code))


def test_the_street_filter_keeps_that_streets_caravans_and_their_booths(caravans):
    figures = caravan_stats.caravan_figures_by_month(year=2025, street=caravans["a"])
    bp, legal = kind("blood-pressure"), kind("legal")

    assert figures.caravans == [0, 0, 1] + [0] * 9
    assert figures.people == {(bp.pk, 3): 30, (legal.pk, 3): 5}


def test_the_caravan_panel_has_a_column_per_kind_and_a_total_row(caravans):
    with translation.override("zh-hans"):
        data = caravans_by_month(Filters(year=2025))

    kinds = [str(column) for column in data.columns[2:-1]]
    assert set(kinds) == {"血压检测", *(k.name_zh for k in ServiceKind.objects.filter(
        code__in=["legal", "brand-sale"]))}  # fmt: skip
    total = [cell.value for cell in data.rows[-1]]
    assert total[1] == 2 and total[-1] == 87 and sum(total[2:-1]) == 87
    march = [cell.value for cell in data.rows[2]]
    assert march[1] == 1 and march[-1] == 35
    assert [figure.value for figure in data.figures] == [2, 87]
    assert "/admin/caravan/servicerecord/" in data.rows[2][-1].url


def test_the_annual_workbook_has_the_caravan_sheet_with_the_same_total(caravans):
    with translation.override("zh-hans"):
        content = documents.annual_report_xlsx(Filters(year=2025))
    workbook = load_workbook(io.BytesIO(content), data_only=True)

    sheet = workbook["大篷车场次与服务人次（按月）"]
    total = next(row for row in sheet.iter_rows(values_only=True) if row[0] == "合计")
    assert total[1] == 2 and total[len([c for c in total if c is not None]) - 1] == 87
    assert "公益节各届参与人数" in workbook.sheetnames


def test_an_organisations_evidence_pack_lists_its_booths_and_people_served(caravans):
    with translation.override("zh-hans"):
        data = booths_hosted(caravans["x"], 2025)

    assert [[cell.value for cell in row[:3]] for row in data.rows] == [
        [D(2025, 3, 15), "血压检测", 30],
        [D(2025, 4, 19), "血压检测", 12],
        [D(2025, 6, 21), kind("brand-sale").name_zh, 40],
    ]
    assert [figure.value for figure in data.figures] == [3, 82]
    assert [figure.value for figure in booths_hosted(caravans["y"], 2025).figures] == [1, 5]
    assert booths_hosted(caravans["y"], 2024).rows == []
    with translation.override("zh-hans"):
        pack = documents.evidence_pack_xlsx(organisation=caravans["x"], year=2025)
    sheets = load_workbook(io.BytesIO(pack)).sheetnames
    assert "大篷车承办摊位" in sheets and "所获荣誉" in sheets


def _attended(event, n):
    for _ in range(n):
        RegistrationFactory(
            event=event, participant=ParticipantFactory(), status=Registration.Status.ATTENDED
        )


@pytest.fixture
def editions():
    """2023: 500 recorded. 2024: 2 + 3 attended, walk-ins 10 + 4 = 19. 2025: 1 + 7 = 8."""
    EditionFactory(number=1, year=2023, recorded_count=500)
    festival_2024 = festival_event(
        starts_at=shanghai(2024, 9, 7, 9), ends_at=shanghai(2024, 9, 7, 17)
    )
    EditionFactory(number=2, year=2024, event=festival_2024)
    first = activity_of(festival_2024, starts_at=shanghai(2024, 9, 7, 10))
    second = activity_of(festival_2024, starts_at=shanghai(2024, 9, 7, 14))
    _attended(festival_2024, 2)
    _attended(first, 3)
    RegistrationFactory(event=first, status=Registration.Status.NO_SHOW)
    WalkInCount.objects.create(activity=first, count=10)
    WalkInCount.objects.create(activity=second, count=4)
    festival_2025 = festival_event(
        starts_at=shanghai(2025, 9, 6, 9), ends_at=shanghai(2025, 9, 6, 17)
    )
    EditionFactory(number=3, year=2025, event=festival_2025)
    _attended(activity_of(festival_2025, starts_at=shanghai(2025, 9, 6, 10)), 1)
    WalkInCount.objects.create(activity=festival_2025, count=7)


def test_festival_participants_per_edition_and_the_running_total(editions):
    rows = festival_stats.edition_rows_until(year=2025)

    assert [(r.edition.year, r.participants, r.running_total) for r in rows] == [
        (2023, 500, 500),
        (2024, 19, 519),
        (2025, 8, 527),
    ]
    assert [(r.attended, r.walk_ins) for r in rows] == [(0, 0), (5, 14), (1, 7)]
    assert [r.running_total for r in rows] == [r.running_total for r in edition_rows()]


def test_the_festival_panel_stops_at_the_chosen_year(editions):
    data = festival_editions(Filters(year=2024))

    assert [[cell.value for cell in row] for row in data.rows] == [
        [1, 2023, 0, 0, 500, 500, 500],
        [2, 2024, 5, 14, 0, 19, 519],
    ]
    assert [figure.value for figure in data.figures] == [19, 519]
    assert festival_editions(Filters(year=2022)).figures[1].value == 0


def test_the_evidence_pack_lists_the_years_standing_awards():
    x, y = OrganisationFactory(), OrganisationFactory()
    honour = award_type()

    def give(organisation, year, serial, **kwargs):
        return Award.objects.create(
            round=honour_round(honour, year=year),
            award_type=honour,
            year=year,
            serial=serial,
            number=f"BYXF-{year}-{serial:03d}",
            recipient_name=f"张{serial}（虚构）",
            organisation=organisation,
            awarded_on=D(year, 12, 1),
            **kwargs,
        )

    give(x, 2025, 1)
    give(x, 2025, 2, revoked_at=shanghai(2025, 12, 2, 9), revoked_reason="核实有误")
    give(x, 2024, 1)
    give(y, 2025, 3)

    data = awards(x, 2025)

    assert [[cell.value for cell in row] for row in data.rows] == [
        ["BYXF-2025-001", "百益先锋", "张1（虚构）", D(2025, 12, 1)]
    ]
    assert data.figures[0].value == 1


def test_festival_counts_read_only_the_registrations_of_festival_events(editions):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        festival_stats.edition_rows_until(year=2025)

    counts = [q["sql"] for q in queries if 'FROM "events_registration"' in q["sql"]]
    # One count keyed on the festival events' ids: no join over every registration.
    assert len(counts) == 1
    assert '"events_registration"."event_id" IN (SELECT' in counts[0]
    assert 'INNER JOIN "events_event"' not in counts[0]
