"""A volunteer asks without an account: code by SMS, rate-limited, never tells who exists."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from tests.events.factories import EventFactory, ParticipantFactory, RegistrationFactory
from volunteers import verification
from volunteers.models import CertificateRequest, Volunteer

pytestmark = pytest.mark.django_db
URL = "/volunteers/certificate/"


@pytest.fixture(autouse=True)
def _outbox(settings):
    settings.VOLUNTEERS_SMS_BACKEND = "volunteers.verification.locmem_send"
    verification.outbox.clear()
    yield verification.outbox


@pytest.fixture
def known():
    person = ParticipantFactory(mobile="13966660000")
    RegistrationFactory(
        event=EventFactory(), participant=person, status="attended", hours=Decimal("2")
    )
    return person


def _page(response) -> str:
    """The page without its per-session CSRF token."""
    return re.sub(r'value="[^"]{40,}"', "", response.content.decode())


def _ask(client, mobile):
    return client.post(
        URL, {"mobile": mobile, "period_from": "2026-01-01", "period_to": "2026-12-31"}
    )


def test_known_and_unknown_mobiles_get_the_same_answer(client, known, _outbox):
    known_response = _ask(client, "139 6666 0000")
    known_page = client.get(known_response["Location"])
    other = client.__class__()
    unknown_response = _ask(other, "13977770000")
    unknown_page = other.get(unknown_response["Location"])
    assert known_response.status_code == unknown_response.status_code == 302
    assert known_response["Location"] == unknown_response["Location"]
    assert _page(known_page) == _page(unknown_page)
    assert [mobile for mobile, _text in _outbox] == ["13966660000"]  # only a known one is texted
    # A wrong code reads the same for both.
    wrong_known = client.post(reverse("volunteers:request-confirm"), {"code": "000000"})
    wrong_unknown = other.post(reverse("volunteers:request-confirm"), {"code": "000000"})
    assert _page(wrong_known) == _page(wrong_unknown)


def test_the_right_code_records_the_request_and_joins_the_rows(client, known, _outbox):
    ParticipantFactory(mobile="13966660000")  # the same person at a second organisation
    _ask(client, "13966660000")
    code = _outbox[-1][1].split("为 ")[-1][:6] if "为 " in _outbox[-1][1] else None
    code = code or "".join(ch for ch in _outbox[-1][1] if ch.isdigit())[:6]
    response = client.post(reverse("volunteers:request-confirm"), {"code": code})
    assert response.status_code == 302 and response["Location"] == reverse(
        "volunteers:request-done"
    )
    request = CertificateRequest.objects.get()
    assert request.volunteer.links.count() == 2
    assert Volunteer.objects.get().mobile == "13966660000"


def test_code_guesses_are_limited(known, _outbox):
    verification.code_send("13966660000")
    for _ in range(verification.CODE_GUESSES):
        assert not verification.code_check("13966660000", "999999x")
    real = "".join(ch for ch in _outbox[-1][1] if ch.isdigit())[:6]
    assert not verification.code_check("13966660000", real)  # the code is gone


def test_requests_are_rate_limited_per_mobile_and_never_reveal(client, known, _outbox):
    statuses = [_ask(client, "13966660000").status_code for _ in range(4)]
    assert statuses == [302, 302, 302, 429]
    assert len(_outbox) == 3
    statuses = [_ask(client, "13988880000").status_code for _ in range(4)]
    assert statuses == [302, 302, 302, 429]  # an unknown number is limited the same way


def test_requests_are_rate_limited_per_address(client):
    statuses = [_ask(client, f"1398888{n:04d}").status_code for n in range(11)]
    assert statuses[:10] == [302] * 10 and statuses[10] == 429
