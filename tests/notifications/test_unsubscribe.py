"""Unsubscribing from optional kinds; confirmations and decisions ignore it."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from notifications.models import Message, Unsubscription
from notifications.tokens import unsubscribe_token_make
from tests.federation.factories import UserFactory
from tests.notifications.factories import enqueue

pytestmark = pytest.mark.django_db


def send(capture, **kwargs):
    with capture(execute=True):
        message = enqueue(**kwargs)
    message.refresh_from_db()
    return message


def link_path(body: str) -> str:
    return re.search(r"https?://[^/\s]+(/notifications/unsubscribe/[^\s]+/)", body).group(1)


def test_unsubscribe_link_stops_that_kind_only(client, django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    user = UserFactory()
    send(capture, recipient=user, optional=True, dedupe_key="r1")
    path = link_path(mail.outbox[0].body)

    client.cookies["django_language"] = "en"
    page = client.get(path)
    assert page.status_code == 200
    assert not Unsubscription.objects.exists()  # a GET (a mail scanner) changes nothing
    client.cookies["django_language"] = "en"
    done = client.post(path)
    assert done.status_code == 200
    assert b'data-state="done"' in done.content
    assert Unsubscription.objects.filter(recipient=user, kind="event_starts").exists()
    assert client.post(path).status_code == 200  # twice is fine

    skipped = send(capture, recipient=user, optional=True, dedupe_key="r2")
    assert (skipped.state, skipped.skip_reason) == (Message.State.SKIPPED, "unsubscribed")
    other_kind = send(
        capture, recipient=user, optional=True, kind="registration_closes", dedupe_key="r3"
    )
    assert other_kind.state == Message.State.SENT
    assert len(mail.outbox) == 2


def test_confirmations_are_sent_even_to_someone_who_unsubscribed(
    client, django_capture_on_commit_callbacks
):
    user = UserFactory()
    Unsubscription.objects.create(recipient=user, kind="registration_confirmed")
    Unsubscription.objects.create(recipient=user, kind="event_starts")
    confirmation = send(
        django_capture_on_commit_callbacks,
        recipient=user,
        kind="registration_confirmed",
        optional=True,
        dedupe_key="c1",
    )
    assert confirmation.state == Message.State.SENT
    # a non-optional message of an otherwise optional kind is sent too
    notice = send(django_capture_on_commit_callbacks, recipient=user, dedupe_key="c2")
    assert notice.state == Message.State.SENT
    assert len(mail.outbox) == 2


def test_a_token_for_a_confirmation_kind_is_refused(client):
    user = UserFactory()
    token = unsubscribe_token_make(kind="registration_confirmed", recipient_id=user.pk)
    path = reverse("notifications:unsubscribe", args=[token])
    client.cookies["django_language"] = "en"
    response = client.post(path)
    assert response.status_code == 400
    assert not Unsubscription.objects.exists()


def test_a_forged_token_is_not_found(client):
    token = unsubscribe_token_make(kind="event_starts", recipient_id=1)
    forged = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    path = reverse("notifications:unsubscribe", args=[forged])
    assert client.get(path).status_code == 404
    assert client.post(path).status_code == 404
    assert not Unsubscription.objects.exists()


def test_a_visitor_without_account_can_unsubscribe(client, django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    send(capture, email="Visitor@Example.com", optional=True, dedupe_key="v1")
    client.post(link_path(mail.outbox[0].body))
    assert Unsubscription.objects.filter(
        recipient=None, email="visitor@example.com", kind="event_starts"
    ).exists()
    skipped = send(capture, email="visitor@example.com", optional=True, dedupe_key="v2")
    assert skipped.skip_reason == "unsubscribed"


def test_a_damaged_link_gets_a_page_that_says_so(client):
    token = unsubscribe_token_make(kind="event_starts", recipient_id=1)
    path = reverse("notifications:unsubscribe", args=[token[:-3] + "xyz"])
    client.cookies["django_language"] = "en"
    for response in (client.get(path), client.post(path)):
        assert response.status_code == 404
        assert b'data-state="error"' in response.content
        assert b"This unsubscribe link is not valid." in response.content
        assert b"Stop receiving" not in response.content


def test_a_confirmation_kind_link_explains_on_get_without_a_form(client):
    user = UserFactory()
    token = unsubscribe_token_make(kind="registration_confirmed", recipient_id=user.pk)
    client.cookies["django_language"] = "en"
    response = client.get(reverse("notifications:unsubscribe", args=[token]))
    assert response.status_code == 200
    assert b'data-state="error"' in response.content
    assert b"Stop receiving" not in response.content


def test_a_link_of_a_deleted_account_is_refused_cleanly(client):
    user = UserFactory()
    token = unsubscribe_token_make(kind="event_starts", recipient_id=user.pk)
    user.delete()
    response = client.post(reverse("notifications:unsubscribe", args=[token]))
    assert response.status_code == 404
    assert b'data-state="error"' in response.content
    assert not Unsubscription.objects.exists()
