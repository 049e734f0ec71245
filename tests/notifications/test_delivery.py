"""Sending: language, time zone, HTML + text, retries with backoff, the failure cap."""

import datetime
import smtplib

import pytest
from django.core import mail

from notifications import services
from notifications.channels import EmailChannel
from notifications.models import Message
from notifications.tasks import message_dispatch_due, message_send
from tests.federation.factories import UserFactory
from tests.notifications.factories import enqueue, shanghai

pytestmark = pytest.mark.django_db

STARTS_UTC = datetime.datetime(2030, 3, 1, 2, 0, tzinfo=datetime.UTC)  # 10:00 in Shanghai, a Friday


def send_now(django_capture_on_commit_callbacks, **kwargs):
    kwargs.setdefault("context", {"event_title": "静安公益节 & 义卖", "starts_at": STARTS_UTC})
    with django_capture_on_commit_callbacks(execute=True):
        message = enqueue(**kwargs)
    message.refresh_from_db()
    return message


def test_mail_is_written_in_the_recipients_language(django_capture_on_commit_callbacks):
    english = UserFactory(language="en")
    chinese = UserFactory(language="zh-hans")
    send_now(django_capture_on_commit_callbacks, recipient=english, dedupe_key="en")
    send_now(django_capture_on_commit_callbacks, recipient=chinese, dedupe_key="zh")
    english_mail, chinese_mail = mail.outbox
    # Django's own catalogue names the weekday: proof of the active language.
    assert "Friday" in english_mail.body
    assert "星期五" in chinese_mail.body
    assert 'lang="en"' in english_mail.alternatives[0][0]
    assert 'lang="zh-hans"' in chinese_mail.alternatives[0][0]


def test_mail_language_defaults_to_chinese_and_can_be_forced(django_capture_on_commit_callbacks):
    visitor = send_now(django_capture_on_commit_callbacks, email="visitor@example.com")
    forced = send_now(
        django_capture_on_commit_callbacks,
        recipient=UserFactory(language="zh-hans"),
        language="en",
        dedupe_key="forced",
    )
    assert visitor.language == "zh-hans"
    assert forced.language == "en"
    assert "星期五" in mail.outbox[0].body
    assert "Friday" in mail.outbox[1].body


def test_mail_shows_times_in_shanghai(django_capture_on_commit_callbacks):
    send_now(django_capture_on_commit_callbacks, email="visitor@example.com")
    assert "2030-03-01" in mail.outbox[0].body
    assert "10:00" in mail.outbox[0].body
    assert "02:00" not in mail.outbox[0].body


def test_mail_has_text_and_html_alternatives(django_capture_on_commit_callbacks):
    send_now(
        django_capture_on_commit_callbacks,
        email="visitor@example.com",
        context={
            "event_title": "静安公益节 & 义卖",
            "starts_at": STARTS_UTC,
            "url": "https://yilu.example/events/1/",
        },
    )
    sent = mail.outbox[0]
    html, mimetype = sent.alternatives[0]
    assert mimetype == "text/html"
    assert "静安公益节 &amp; 义卖" in html
    assert "静安公益节 & 义卖" in sent.body  # plain text is not HTML-escaped
    # Links in the text are clickable in the HTML alternative.
    assert '<a href="https://yilu.example/events/1/"' in html
    assert "\n" not in sent.subject
    assert "静安公益节 & 义卖" in sent.subject


def test_optional_messages_carry_an_unsubscribe_link_and_mandatory_ones_do_not(
    django_capture_on_commit_callbacks,
):
    user = UserFactory()
    send_now(django_capture_on_commit_callbacks, recipient=user, optional=True, dedupe_key="a")
    send_now(
        django_capture_on_commit_callbacks,
        recipient=user,
        kind="registration_confirmed",
        optional=True,  # ignored: confirmations are always sent
        dedupe_key="b",
    )
    reminder, confirmation = mail.outbox
    assert "/notifications/unsubscribe/" in reminder.body
    assert "/notifications/unsubscribe/" in reminder.alternatives[0][0]
    assert reminder.extra_headers["List-Unsubscribe"].startswith("<http")
    assert reminder.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/notifications/unsubscribe/" not in confirmation.body
    assert "List-Unsubscribe" not in confirmation.extra_headers
    assert Message.objects.get(dedupe_key="b").optional is False


def test_unsubscribe_footer_does_not_speak_of_an_account_to_a_visitor(
    django_capture_on_commit_callbacks,
):
    user = UserFactory(language="en")
    send_now(django_capture_on_commit_callbacks, recipient=user, optional=True, dedupe_key="u")
    send_now(
        django_capture_on_commit_callbacks,
        email="visitor@example.com",
        language="en",
        optional=True,
        dedupe_key="v",
    )
    member, visitor = mail.outbox
    assert "because of your account" in member.body
    assert "because of your account" not in visitor.body
    assert "because this address was given when registering" in visitor.body
    assert "because this address was given when registering" in visitor.alternatives[0][0]


@pytest.fixture
def flaky_channel(monkeypatch):
    """E-mail that fails ``failures`` times, then works; records the retry countdowns."""
    state = {"failures": 0, "calls": 0, "countdowns": []}
    real_send = EmailChannel.send
    real_countdown = services.retry_countdown

    def send(self, message, rendered):
        state["calls"] += 1
        if state["calls"] <= state["failures"]:
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        real_send(self, message, rendered)

    def countdown(attempt):
        value = real_countdown(attempt)
        state["countdowns"].append((attempt, value))
        return value

    monkeypatch.setattr(EmailChannel, "send", send)
    monkeypatch.setattr(services, "retry_countdown", countdown)
    return state


def test_send_retries_with_backoff_until_it_works(
    flaky_channel, django_capture_on_commit_callbacks
):
    flaky_channel["failures"] = 2
    message = send_now(django_capture_on_commit_callbacks, email="visitor@example.com")
    assert message.state == Message.State.SENT
    assert message.attempts == 3
    assert len(mail.outbox) == 1
    assert [attempt for attempt, _value in flaky_channel["countdowns"]] == [1, 2]
    (_a1, first), (_a2, second) = flaky_channel["countdowns"]
    assert 15 <= first <= 30
    assert 30 <= second <= 60


def test_send_gives_up_after_the_attempt_cap_and_marks_failed(
    flaky_channel, django_capture_on_commit_callbacks, settings
):
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 4
    flaky_channel["failures"] = 100
    message = send_now(django_capture_on_commit_callbacks, email="visitor@example.com")
    assert message.state == Message.State.FAILED
    assert message.attempts == 4
    assert message.last_error.startswith("SMTPServerDisconnected")
    assert flaky_channel["calls"] == 4
    assert mail.outbox == []
    # nothing picks a failed message up again by itself
    assert message_dispatch_due() == 0


def test_retry_countdown_is_exponential_with_jitter_and_capped(settings):
    settings.NOTIFICATIONS_RETRY_BASE_SECONDS = 10
    settings.NOTIFICATIONS_RETRY_MAX_SECONDS = 100
    for attempt, ceiling in ((1, 10), (2, 20), (3, 40), (4, 80), (5, 100), (9, 100)):
        values = {services.retry_countdown(attempt) for _ in range(50)}
        assert all(ceiling / 2 <= value <= ceiling for value in values)
        assert len(values) > 1  # jitter


def test_a_stale_send_task_changes_nothing(django_capture_on_commit_callbacks):
    message = send_now(django_capture_on_commit_callbacks, email="visitor@example.com")
    assert message_send.delay(message.pk, "00000000-0000-0000-0000-000000000000").get() == "stale"
    assert len(mail.outbox) == 1


def test_inactive_recipient_is_skipped(django_capture_on_commit_callbacks):
    user = UserFactory(is_active=False)
    message = send_now(django_capture_on_commit_callbacks, recipient=user)
    assert message.state == Message.State.SKIPPED
    assert message.skip_reason == Message.SkipReason.INACTIVE
    assert mail.outbox == []


def test_missing_template_fails_after_the_cap_without_raising(
    django_capture_on_commit_callbacks, settings
):
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 2
    message = send_now(
        django_capture_on_commit_callbacks,
        email="visitor@example.com",
        template="notifications/email/does_not_exist",
    )
    assert message.state == Message.State.FAILED
    assert message.last_error.startswith("TemplateDoesNotExist")


def test_context_refuses_naive_datetimes_and_unknown_types():
    with pytest.raises(ValueError):
        enqueue(email="v@example.com", context={"at": datetime.datetime(2030, 1, 1)})  # noqa: DTZ001
    with pytest.raises(TypeError):
        enqueue(email="v@example.com", context={"user": object()})


def test_enqueue_refuses_a_message_without_address_or_key():
    with pytest.raises(ValueError):
        enqueue()
    with pytest.raises(ValueError):
        enqueue(email="v@example.com", dedupe_key="")


def test_future_message_waits_for_its_time(clock, django_capture_on_commit_callbacks):
    clock.set(shanghai(2030, 2, 1, 8))
    with django_capture_on_commit_callbacks(execute=True):
        message = enqueue(email="v@example.com", due_at=shanghai(2030, 2, 1, 9))
    assert message_dispatch_due() == 0
    clock.set(shanghai(2030, 2, 1, 9))
    assert message_dispatch_due() == 1
    message.refresh_from_db()
    assert message.state == Message.State.SENT
