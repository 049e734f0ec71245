"""The fund's public figures kept between visits (funds.selectors_shown) and refreshed by
every ledger write: the page cache is off here, only the figures are kept."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from funds.money import format_yuan

from .factories import give

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _figures_kept(settings):
    settings.YILU_FRAGMENT_CACHE_SECONDS = 300


def _get(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), len(queries)


@pytest.mark.parametrize("url", ["/", "/fund/"])
def test_a_second_visit_reads_the_kept_figures(client, fund, manager, url):
    give(fund, manager, amount="36000.00")
    first, first_queries = _get(client, url)
    second, second_queries = _get(client, url)
    assert second_queries < first_queries
    assert format_yuan(Decimal("36000.00")) in second


@pytest.mark.parametrize("url", ["/", "/fund/"])
def test_a_gift_shows_at_once(client, fund, manager, url, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        give(fund, manager, amount="36000.00")
    _get(client, url)
    with django_capture_on_commit_callbacks(execute=True):
        give(fund, manager, amount="1000.00")
    content, _queries = _get(client, url)
    assert format_yuan(Decimal("37000.00")) in content
