import datetime
import io

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from events import services
from events.models import Event, Registration
from tests.federation.factories import FederationStaffFactory, StaffFactory

from .factories import EventFactory, ParticipantFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(StaffFactory(is_superuser=True))
    return client


def _rows(response) -> list[tuple]:
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook.worksheets[0]
    return [tuple(cell for cell in row) for row in sheet.iter_rows(min_row=5)]


def test_event_changelist_and_change_page_with_inline_registrations(admin_client):
    event = EventFactory()
    RegistrationFactory(event=event, name="郑*（虚构）", mobile="13811112222")
    assert admin_client.get(reverse("admin:events_event_changelist")).status_code == 200
    response = admin_client.get(reverse("admin:events_event_change", args=[event.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "郑*（虚构）" in body and "138****2222" in body and "13811112222" not in body
    for flt in ("kind=training", "status__exact=published", "audience__exact=members"):
        assert (
            admin_client.get(reverse("admin:events_event_changelist") + "?" + flt).status_code
            == 200
        )


def _add_data(**overrides):
    data = {
        "kind": "caravan",
        "title": "月月·大篷车 后台新建",
        "slug": "",
        "summary": "",
        "description": "",
        "starts_at_0": "2027-04-18",
        "starts_at_1": "09:00",
        "ends_at_0": "2027-04-18",
        "ends_at_1": "12:00",
        "venue_name": "翰林府邸",
        "address": "武定路",
        "audience": "public",
        "capacity": "30",
        "waitlist_enabled": "on",
        "registrations-TOTAL_FORMS": "0",
        "registrations-INITIAL_FORMS": "0",
        "registrations-MIN_NUM_FORMS": "0",
        "registrations-MAX_NUM_FORMS": "1000",
    }
    data.update(overrides)
    return data


def test_admin_add_goes_through_the_service(admin_client):
    response = admin_client.post(reverse("admin:events_event_add"), _add_data())
    assert response.status_code == 302, response.context["adminform"].form.errors
    event = Event.objects.get()
    assert event.status == Event.Status.DRAFT
    assert event.created_by is not None
    assert event.slug.startswith("20270418-")


def test_admin_shows_service_refusals_as_form_errors(admin_client):
    event = EventFactory(capacity=3)
    for _ in range(2):
        RegistrationFactory(event=event)
    data = _add_data(title=event.title, slug=event.slug, capacity="1")
    response = admin_client.post(reverse("admin:events_event_change", args=[event.pk]), data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors.as_data()
    assert errors["capacity"][0].code == "capacity_below_confirmed"
    response = admin_client.post(
        reverse("admin:events_event_add"), _add_data(kind="festival_activity")
    )
    assert response.context["adminform"].form.errors.as_data()["parent"][0].code == (
        "activity_without_festival"
    )


def test_admin_publish_and_cancel_actions(admin_client):
    draft = EventFactory(status=Event.Status.DRAFT)
    url = reverse("admin:events_event_changelist")
    admin_client.post(url, {"action": "publish", ACTION_CHECKBOX_NAME: [draft.pk]})
    draft.refresh_from_db()
    assert draft.status == Event.Status.PUBLISHED
    registration = RegistrationFactory(event=draft)
    confirm = admin_client.post(url, {"action": "cancel", ACTION_CHECKBOX_NAME: [draft.pk]})
    assert confirm.status_code == 200 and "reason" in confirm.content.decode()
    admin_client.post(
        url, {"action": "cancel", ACTION_CHECKBOX_NAME: [draft.pk], "reason": "场地临时关闭"}
    )
    draft.refresh_from_db()
    registration.refresh_from_db()
    assert draft.status == Event.Status.CANCELLED and draft.cancelled_reason == "场地临时关闭"
    assert registration.status == Registration.Status.CANCELLED


def test_sign_in_sheet_masks_mobiles_and_escapes_formulae(admin_client):
    event = EventFactory()
    RegistrationFactory(event=event, name='=HYPERLINK("http://evil","x")', mobile="13812345678")
    RegistrationFactory(event=event, name="王*（虚构）", mobile="13900001111")
    RegistrationFactory(event=event, name="候补", mobile="13900002222", status="waitlisted")
    response = admin_client.post(
        reverse("admin:events_event_changelist"),
        {"action": "export_sign_in_sheet", ACTION_CHECKBOX_NAME: [event.pk]},
    )
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    rows = _rows(response)
    assert len(rows) == 2  # people with a place; the waiting list does not sign in
    cells = [cell for row in rows for cell in row]
    values = [str(cell.value) for cell in cells if cell.value is not None]
    assert "138****5678" in values and "139****1111" in values
    assert not any("12345678" in value or "00001111" in value for value in values)
    formula = next(cell for cell in cells if "HYPERLINK" in str(cell.value))
    assert formula.data_type == "s"
    assert not str(formula.value).startswith("=")


def test_attendance_export_has_status_time_and_hours(admin_client):
    start = timezone.now() - datetime.timedelta(hours=1)
    event = EventFactory(starts_at=start, ends_at=start + datetime.timedelta(hours=2))
    staff = FederationStaffFactory()
    came = RegistrationFactory(event=event, name="到场者", mobile="13800003333")
    RegistrationFactory(event=event, name="缺席者", mobile="13800004444")
    services.registration_check_in(registration=came, acting_user=staff)
    services.registration_mark_no_shows(event=event, acting_user=staff)
    admin_client.cookies["django_language"] = "en"
    response = admin_client.post(
        reverse("admin:events_event_changelist"),
        {"action": "export_attendance", ACTION_CHECKBOX_NAME: [event.pk]},
    )
    rows = {row[1].value: row for row in _rows(response)}
    assert rows["到场者"][5].value == "attended"
    assert rows["到场者"][6].value.endswith(
        timezone.localtime(Registration.objects.get(pk=came.pk).checked_in_at).strftime("%H:%M")
    )
    assert rows["到场者"][7].value == 2
    assert rows["缺席者"][5].value == "no-show"
    assert rows["到场者"][4].value == "138****3333"


def test_registration_admin_masks_and_finds_by_last_four_digits(admin_client):
    registration = RegistrationFactory(mobile="13866667777")
    url = reverse("admin:events_registration_changelist")
    response = admin_client.get(url, {"q": "7777"})
    body = response.content.decode()
    assert registration.name in body and "138****7777" in body and "13866667777" not in body
    change = admin_client.get(reverse("admin:events_registration_change", args=[registration.pk]))
    assert change.status_code == 200 and "13866667777" not in change.content.decode()


def test_participant_admin_shows_hours_and_stars(admin_client):
    participant = ParticipantFactory()
    start = timezone.now() - datetime.timedelta(days=30)
    event = EventFactory(starts_at=start, ends_at=start + datetime.timedelta(hours=400))
    RegistrationFactory(event=event, participant=participant, status="attended", hours=350)
    response = admin_client.get(reverse("admin:events_participant_changelist"))
    assert "★★" in response.content.decode()


def test_admin_change_goes_through_the_service(admin_client):
    event = EventFactory(capacity=3)
    waiting = [RegistrationFactory(event=event) for _ in range(3)]
    extra = RegistrationFactory(event=event, status="waitlisted")
    data = _add_data(title="改过的标题", slug=event.slug, capacity="4")
    data["starts_at_0"] = data["ends_at_0"] = timezone.localdate(event.starts_at).isoformat()
    response = admin_client.post(reverse("admin:events_event_change", args=[event.pk]), data)
    assert response.status_code == 302
    event.refresh_from_db()
    extra.refresh_from_db()
    assert event.title == "改过的标题" and event.capacity == 4
    assert extra.status == "confirmed"  # the service promoted the waiting list
    assert len(waiting) == 3


def test_federation_staff_group_reaches_the_events_back_office(client):
    staff = FederationStaffFactory()
    client.force_login(staff)
    for name in ("event", "registration", "participant"):
        assert client.get(reverse(f"admin:events_{name}_changelist")).status_code == 200
    assert client.get(reverse("admin:events_event_add")).status_code == 200
    assert client.get(reverse("admin:events_registration_add")).status_code == 403


def test_admin_and_service_refuse_a_capacity_cut_with_the_same_code_and_message(admin_client):
    event = EventFactory(capacity=4)
    for _ in range(3):
        RegistrationFactory(event=event)
    data = _add_data(title=event.title, slug=event.slug, capacity="2")
    response = admin_client.post(reverse("admin:events_event_change", args=[event.pk]), data)
    admin_error = response.context["adminform"].form.errors.as_data()["capacity"][0]

    with pytest.raises(ValidationError) as excinfo:
        services.event_update(event=event, acting_user=FederationStaffFactory(), capacity=2)
    service_error = excinfo.value.error_dict["capacity"][0]

    assert admin_error.code == service_error.code == "capacity_below_confirmed"
    assert list(admin_error) == list(service_error)
    assert "3" in list(service_error)[0]
    event.refresh_from_db()
    assert event.capacity == 4


def test_registration_search_finds_a_check_in_code_as_typed(admin_client):
    wanted = RegistrationFactory(check_in_code="K7PM3Q")
    RegistrationFactory(check_in_code="X9RT2W")
    url = reverse("admin:events_registration_changelist")
    response = admin_client.get(url, {"q": "k7p-m3q"})
    assert list(response.context["cl"].result_list) == [wanted]
