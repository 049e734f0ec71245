"""Dashboard panels kept between visits (YILU_FRAGMENT_CACHE_SECONDS) and dropped by the
writes that change them: the namespaces of core.pagecache."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dashboard.selectors import this_year
from notifications.models import Message
from tests.funds.factories import give
from tests.notifications.factories import enqueue

pytestmark = pytest.mark.django_db
URL = "/staff/"


@pytest.fixture(autouse=True)
def _panels_kept(settings):
    settings.YILU_FRAGMENT_CACHE_SECONDS = 300


def _visit(client, **params):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, {"year": this_year(), **params})
    assert response.status_code == 200
    panels = {result.panel.key: result.data for result, _svg in response.context["panels"]}
    return response, panels, len(queries)


def test_a_second_visit_reuses_the_panels_and_shows_the_same_page(staff_client):
    first, first_panels, first_queries = _visit(staff_client)
    second, second_panels, second_queries = _visit(staff_client)
    assert second_queries < first_queries - 10
    assert second_panels == first_panels
    assert second.content == first.content


def test_a_gift_recorded_through_the_fund_shows_at_once(
    staff_client, fund, manager, django_capture_on_commit_callbacks
):
    _response, before, _queries = _visit(staff_client)
    with django_capture_on_commit_callbacks(execute=True):
        give(fund, manager, "8888.00", days_ago=0)
    response, after, _queries = _visit(staff_client)
    assert after["fund-income"] != before["fund-income"]
    assert after["fund-balance"] != before["fund-balance"]
    assert "8,888" in response.content.decode()
    assert after["members"] == before["members"]  # other panels stay kept


def test_a_panel_reading_no_namespace_is_built_on_every_visit(staff_client):
    _response, before, _queries = _visit(staff_client)
    message = enqueue(email="someone@example.com", due_at=timezone.now())
    Message.objects.filter(pk=message.pk).update(state=Message.State.FAILED)
    _response, after, _queries = _visit(staff_client)
    assert after["outbox"] != before["outbox"]


def test_another_year_or_street_is_built_for_itself(staff_client):
    _response, _panels, first_queries = _visit(staff_client)
    _response, _panels, other_year = _visit(staff_client, year=this_year() - 1)
    assert other_year == first_queries
    _response, _panels, kept = _visit(staff_client, year=this_year() - 1)
    assert kept < other_year


def test_off_builds_every_panel_on_every_visit(staff_client, settings):
    settings.YILU_FRAGMENT_CACHE_SECONDS = 0
    _response, _panels, first = _visit(staff_client)
    _response, _panels, second = _visit(staff_client)
    assert second == first
