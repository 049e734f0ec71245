"""No personal data in logs (PIPL; docs/privacy.md): a journey's every log record is scanned.

Every record the configured loggers emit is captured for the whole journey,
with the root logger at DEBUG (the most a deployment can ask for with
DJANGO_LOG_LEVEL): a visitor signs up (and hits the rate limit),
opens the ticket, a person creates an account and mistypes the password,
staff search and check the visitor in, the outbox sends what is due, and
staff erase the person on request. No record may carry the person's name,
mobile or e-mail address.
"""

import datetime
import logging

import pytest
from django.urls import reverse
from django.utils import timezone

from events.models import Event, Registration
from events.services.retention import anonymise_visitor_registrations
from notifications import services as outbox
from tests.alliances.factories import alliance
from tests.events.factories import EventFactory
from tests.federation.factories import FederationStaffFactory

pytestmark = pytest.mark.django_db

NAME = "欧阳测试（虚构）"
MOBILE = "13712345678"
EMAIL = "private.person@example.com"


class _Everything(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record):
        text = record.getMessage()
        if record.exc_info:
            text += logging.Formatter().formatException(record.exc_info)
        self.lines.append(f"{record.name}: {text}")


@pytest.fixture
def every_log_line():
    handler = _Everything()
    loggers = [logging.getLogger()] + [
        logger
        for logger in logging.root.manager.loggerDict.values()
        if isinstance(logger, logging.Logger)
    ]
    root_level = logging.getLogger().level
    logging.getLogger().setLevel(logging.DEBUG)
    for logger in loggers:
        logger.addHandler(handler)
    yield handler.lines
    for logger in loggers:
        logger.removeHandler(handler)
    logging.getLogger().setLevel(root_level)


def _journey(client):
    start = timezone.now() + datetime.timedelta(days=2)
    event = EventFactory(
        kind=Event.Kind.TRAINING,
        alliance=alliance("community"),
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
        visitor_signup=True,
        capacity=None,
    )
    signup = reverse("events:visitor-signup", args=[event.slug])
    for _ in range(5):  # the last ones are refused by the per-mobile rate limit
        client.post(signup, {"name": NAME, "mobile": MOBILE, "consent": "on"})
    registration = Registration.objects.get(mobile=MOBILE)
    client.get(reverse("events:ticket", args=[registration.token]))
    client.get(reverse("events:ticket", args=["no-such-token"]))

    client.post(
        reverse("account_signup"),
        {
            "email": EMAIL,
            "name": NAME,
            "password1": "Pw-for-logs-2026",
            "password2": "Pw-for-logs-2026",
        },
    )
    client.logout()
    client.post(reverse("account_login"), {"login": EMAIL, "password": "wrong-password"})

    # The day comes: the event is running when staff check people in.
    start = timezone.now() - datetime.timedelta(minutes=30)
    Event.objects.filter(pk=event.pk).update(
        starts_at=start, ends_at=start + datetime.timedelta(hours=2)
    )
    client.force_login(FederationStaffFactory())
    check_in = reverse("events:check-in", args=[event.slug])
    client.get(check_in, {"q": MOBILE[-4:]})
    client.post(check_in, {"q": registration.token})
    client.get(reverse("events:attendance", args=[event.slug]))

    for message_id, token in outbox.message_claim_due(limit=100):
        outbox.message_deliver(message_id=message_id, claim_token=token)

    anonymise_visitor_registrations([registration.pk])
    return registration


def test_a_whole_journey_logs_no_name_mobile_or_email(ordinary_day, client, every_log_line):
    registration = _journey(client)
    registration.refresh_from_db()
    assert registration.status == "attended"  # the journey really ran
    assert every_log_line, "nothing was logged: the capture is broken"
    leaks = [
        line
        for line in every_log_line
        if MOBILE in line or NAME in line or EMAIL in line or MOBILE[3:] in line
    ]
    assert leaks == []
