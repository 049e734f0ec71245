"""Hub staff find /streets/hub/ in the header; nobody's pages pay a query for it (issue 16)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.federation.factories import UserFactory

from .factories import hub_staff

pytestmark = pytest.mark.django_db

PAGE = "/news/"
HUB_URL = "/streets/hub/"


def _queries(client, path=PAGE) -> list[str]:
    with CaptureQueriesContext(connection) as context:
        assert client.get(path).status_code == 200
    return [query["sql"] for query in context.captured_queries]


def test_hub_staff_see_the_link_after_logging_in(client):
    person = hub_staff("310106006").user
    client.force_login(person)
    html = client.get(PAGE).content.decode()
    assert f'href="{reverse("streets:hub-home")}"' in html and 'id="nav-hub"' in html


def test_others_do_not_see_the_link(client):
    client.force_login(UserFactory())
    assert 'id="nav-hub"' not in client.get(PAGE).content.decode()


def test_a_page_costs_the_same_queries_with_or_without_the_link(client, django_assert_num_queries):
    """The answer is asked once at login: pages read it from the session, for everyone."""
    client.force_login(UserFactory())
    client.get(PAGE)  # warm caches shared by every visitor
    plain = _queries(client)
    assert not any("hubstaff" in sql for sql in plain)

    client.force_login(hub_staff("310106006").user)
    with django_assert_num_queries(len(plain)):
        response = client.get(PAGE)
    assert 'id="nav-hub"' in response.content.decode()


def test_the_link_comes_at_once_after_opening_the_hub_area(client):
    staff = hub_staff("310106006").user
    client.force_login(staff)
    session = client.session
    session.pop("yilu_hub_staff", None)  # made hub staff after logging in
    session.save()
    assert 'id="nav-hub"' not in client.get(PAGE).content.decode()
    assert client.get(HUB_URL).status_code == 200
    assert 'id="nav-hub"' in client.get(PAGE).content.decode()
