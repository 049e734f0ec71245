"""Check-in, no-shows and hours (events.views.attendance)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from events import services
from events.models import Event, Registration
from tests.alliances.factories import alliance, secretary_of
from tests.federation.factories import FederationStaffFactory, OrgAdminFactory

from .factories import EventFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


# --- Check-in -------------------------------------------------------------------------------------


@pytest.fixture
def running_event():
    start = timezone.now() - datetime.timedelta(minutes=30)
    return EventFactory(
        kind=Event.Kind.TRAINING,
        alliance=alliance("community"),
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
    )


def _confirmed(event, mobile="13812341234", name="孙*（虚构）"):
    return RegistrationFactory(event=event, mobile=mobile, name=name)


def test_check_in_by_token_then_already_checked_in_with_time(client, running_event):
    registration = _confirmed(running_event)
    client.force_login(FederationStaffFactory())
    url = reverse("events:check-in", args=[running_event.slug])
    scanned = f"http://testserver{url}?token={registration.token}"
    client.cookies["django_language"] = "en"
    first = client.post(url, {"q": scanned}, follow=True)
    registration.refresh_from_db()
    assert registration.status == "attended"
    at = timezone.localtime(registration.checked_in_at).strftime("%H:%M")
    assert f"checked in at {at}" in first.content.decode()
    client.cookies["django_language"] = "en"
    second = client.post(url, {"q": registration.token}, follow=True)
    assert f"already checked in at {at}" in second.content.decode()
    registration.refresh_from_db()
    assert timezone.localtime(registration.checked_in_at).strftime("%H:%M") == at


def test_check_in_search_by_name_and_last_four_digits(client, running_event):
    registration = _confirmed(running_event, mobile="13800004321", name="周*（虚构）")
    _confirmed(running_event, mobile="13800001111", name="吴*（虚构）")
    client.force_login(FederationStaffFactory())
    url = reverse("events:check-in", args=[running_event.slug])
    assert client.get(url, {"q": "4321"}).context["results"] == [registration]
    assert client.get(url, {"q": "周"}).context["results"] == [registration]
    client.post(url, {"registration": registration.pk})
    registration.refresh_from_db()
    assert registration.status == "attended"


def test_check_in_page_is_for_staff_and_the_alliance_secretary(client, running_event):
    url = reverse("events:check-in", args=[running_event.slug])
    client.force_login(OrgAdminFactory().user)
    assert client.get(url).status_code == 404
    client.force_login(secretary_of("elderly"))
    assert client.get(url).status_code == 404
    client.force_login(secretary_of("community"))
    assert client.get(url).status_code == 200


def test_no_shows_and_hours_correction_pages(client, running_event):
    came, missed = _confirmed(running_event), _confirmed(running_event, mobile="13800002222")
    staff = FederationStaffFactory()
    services.registration_check_in(registration=came, acting_user=staff)
    client.force_login(staff)
    client.post(reverse("events:mark-no-shows", args=[running_event.slug]))
    missed.refresh_from_db()
    assert missed.status == "no_show"
    url = reverse("events:hours-correct", args=[running_event.slug, came.pk])
    client.post(url, {"hours": "5", "note": ""})
    came.refresh_from_db()
    assert came.hours == 2 and not came.hours_corrected  # refused: above the length
    answer = client.post(url, {"hours": "1.5", "note": "迟到"}, follow=True)
    came.refresh_from_db()
    assert came.hours == 1.5 and came.hours_corrected
    assert f"已将{came.name}的服务时长更正为 1.5 小时。" in answer.content.decode()
    page = client.get(reverse("events:attendance", args=[running_event.slug]))
    assert page.status_code == 200


def test_check_in_search_redirect_keeps_the_csrf_token_out_of_the_url(client, running_event):
    _confirmed(running_event, name="郑*（虚构）")
    client.force_login(FederationStaffFactory())
    url = reverse("events:check-in", args=[running_event.slug])
    response = client.post(url, {"q": "郑", "csrfmiddlewaretoken": "secret-token-value"})
    assert response.status_code == 302
    assert "secret-token-value" not in response["Location"]
    assert "csrfmiddlewaretoken" not in response["Location"]
    assert len(client.get(response["Location"]).context["results"]) == 1


def test_marking_no_shows_asks_for_confirmation_first(client, running_event):
    waiting = _confirmed(running_event)
    url = reverse("events:mark-no-shows", args=[running_event.slug])
    client.force_login(OrgAdminFactory().user)
    assert client.get(url).status_code == 404
    client.force_login(FederationStaffFactory())
    page = client.get(url)
    assert page.status_code == 200 and f'action="{url}"' in page.content.decode()
    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.CONFIRMED
    client.post(url)
    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.NO_SHOW


def test_check_in_index_is_for_staff_and_secretaries_only(client, running_event):
    url = reverse("events:check-in-index")
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(OrgAdminFactory().user)
    assert client.get(url).status_code == 404
    other = EventFactory(
        kind=Event.Kind.TRAINING,
        alliance=alliance("elderly"),
        starts_at=running_event.starts_at,
        ends_at=running_event.ends_at,
    )
    client.force_login(secretary_of("community"))
    assert list(client.get(url).context["events"]) == [running_event]
    client.force_login(FederationStaffFactory())
    assert set(client.get(url).context["events"]) == {running_event, other}


# --- Hours overview (staff) ------------------------------------------------------------


def _organisations_with_hours(count: int) -> None:
    from decimal import Decimal as D

    for index in range(count):
        # Each event lasts three hours: at most three can be credited.
        RegistrationFactory(status=Registration.Status.ATTENDED, hours=D(index % 3 + 1))


@pytest.mark.parametrize("count", [3, 60])
def test_hours_overview_pages_with_totals_at_a_constant_query_count(
    client, django_assert_max_num_queries, count
):
    _organisations_with_hours(count)
    client.force_login(FederationStaffFactory())
    with django_assert_max_num_queries(6):  # session, user, staff check, count, page, totals
        response = client.get(reverse("events:hours-overview"))
    page = list(response.context["organisations"])
    assert len(page) == min(count, 50)
    assert page[0].total_hours == 3
    assert [o.total_hours for o in page] == sorted((o.total_hours for o in page), reverse=True)
    assert response.context["paginator"].count == count
    assert response.context["totals"]["hours"] == sum(index % 3 + 1 for index in range(count))
    assert response.context["totals"]["people"] == count
