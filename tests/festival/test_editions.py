"""Participants per edition = attended registrations + walk-ins (+ recorded figures); totals."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from festival import selectors, services
from festival.models import Edition
from tests.events.factories import ParticipantFactory, RegistrationFactory
from tests.federation.factories import FederationStaffFactory

from .factories import EditionFactory, activity_of, festival_event

pytestmark = pytest.mark.django_db


def _attend(event, count):
    for _ in range(count):
        RegistrationFactory(event=event, participant=ParticipantFactory(), status="attended")


def test_participants_are_attended_registrations_plus_walk_ins():
    staff = FederationStaffFactory()
    festival = festival_event()
    first, second = activity_of(festival), activity_of(festival)
    edition = EditionFactory(year=2026, number=18, event=festival)
    _attend(festival, 2)
    _attend(first, 3)
    _attend(second, 1)
    RegistrationFactory(event=first, status="confirmed")  # not attended: not counted
    RegistrationFactory(event=first, status="no_show")
    RegistrationFactory(event=activity_of(festival_event()), status="attended")  # other festival
    services.walk_in_add(activity=first, delta=5, acting_user=staff)
    services.walk_in_add(activity=second, delta=7, acting_user=staff)
    services.walk_in_add(activity=second, delta=-1, acting_user=staff)

    [row] = selectors.edition_rows()
    assert row.edition == edition
    assert (row.attended, row.walk_ins, row.recorded) == (6, 11, 0)
    assert row.participants == 17


def test_running_total_adds_recorded_past_editions_and_the_current_one():
    staff = FederationStaffFactory()
    EditionFactory(number=1, year=2009, recorded_count=1200)
    EditionFactory(number=2, year=2010, recorded_count=1800)
    festival = festival_event()
    activity = activity_of(festival)
    EditionFactory(number=3, year=2011, event=festival, recorded_count=100)
    _attend(activity, 4)
    services.walk_in_add(activity=activity, delta=6, acting_user=staff)

    rows = selectors.edition_rows()
    assert [row.participants for row in rows] == [1200, 1800, 110]
    assert [row.running_total for row in rows] == [1200, 3000, 3110]


def test_home_figures_count_only_editions_already_held():
    EditionFactory(number=1, year=2009, recorded_count=20000)
    EditionFactory(number=2, year=2010, recorded_count=21000)
    EditionFactory(number=3, year=2011, recorded_count=999)
    figures = selectors.festival_figures(today=datetime.date(2011, 9, 1))
    assert (figures.edition_count, figures.first_year, figures.participants) == (2, 2009, 41000)


def test_home_page_shows_the_selector_figures_not_fixed_text(client):
    EditionFactory(number=1, year=2009, recorded_count=12345)
    EditionFactory(number=2, year=2010, recorded_count=30000)
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    content = response.content.decode().replace(",", "")  # grouping depends on the locale
    assert "42345" in content
    assert "40000" not in content
    assert reverse("festival:history") in content


def test_history_page_lists_editions_totals_and_programme(
    ordinary_day, client, django_assert_max_num_queries
):
    for number in range(1, 15):
        EditionFactory(number=number, year=2008 + number, recorded_count=3000)
    festival = festival_event(title="年年·公益节 2026")
    activity_of(festival, title="公益集市（测试）")
    activity_of(festival, title="亲子志愿服务体验（测试）")
    EditionFactory(number=18, year=timezone.localdate().year, event=festival)
    # Eight: the figures reuse the page's own edition rows (four queries, once).
    with django_assert_max_num_queries(8):
        response = client.get(reverse("festival:history"))
    content = response.content.decode().replace(",", "")
    assert response.status_code == 200
    assert "42000" in content  # running total after 14 editions
    assert "公益集市（测试）" in content and "亲子志愿服务体验（测试）" in content
    assert Edition.objects.count() == 15


def test_history_figures_from_the_page_rows_match_the_home_page_figures(ordinary_day):
    for number in range(1, 6):
        EditionFactory(number=number, year=2008 + number, recorded_count=1000 + number)
    EditionFactory(number=6, year=timezone.localdate().year + 1, recorded_count=7)
    rows = selectors.edition_rows()
    assert selectors.festival_figures(rows=rows) == selectors.festival_figures()
    assert selectors.festival_figures(rows=rows).participants == 5015
