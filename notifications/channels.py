"""Channels carry a rendered message to its recipient.

Only e-mail exists. SMS or WeChat would be another class with the same three
methods, registered in ``CHANNELS`` under a new ``Channel`` choice; there is
deliberately no placeholder implementation.
"""

import smtplib
from contextlib import suppress
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection

from .models import Channel, Message


@dataclass(frozen=True)
class RenderedMessage:
    subject: str
    text: str
    html: str
    headers: dict[str, str] = field(default_factory=dict)


class MessageChannel(Protocol):
    def address(self, message: Message) -> str:
        """Where the message goes, or "" when the recipient cannot be reached."""

    def connect(self) -> Any:
        """A connection for a batch: opened by the first send, closed by the caller."""

    def send(self, message: Message, rendered: RenderedMessage, connection: Any = None) -> None:
        """Hand the message over (on ``connection`` when given); raise on any failure."""


def _session_ended(exc: Exception) -> bool:
    """Whether the SMTP session is over after ``exc`` (the next message needs a new one)."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return any(code == 421 for code, _text in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPResponseException):
        return exc.smtp_code == 421
    # Disconnected, refused, timed out; a ValueError (an address Django refuses) is not.
    return isinstance(exc, OSError)


class EmailChannel:
    def address(self, message: Message) -> str:
        if message.recipient_id is not None:
            return message.recipient.email
        return message.email

    def connect(self):
        return get_connection(fail_silently=False)

    def send(self, message: Message, rendered: RenderedMessage, connection=None) -> None:
        mail = EmailMultiAlternatives(
            subject=rendered.subject,
            body=rendered.text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[self.address(message)],
            headers=rendered.headers,
            connection=connection,
        )
        mail.attach_alternative(rendered.html, "text/html")
        if connection is None:
            mail.send(fail_silently=False)
            return
        # open() is False when the connection was open already (SMTP), None for locmem.
        reused = connection.open() is False
        try:
            connection.send_messages([mail])
        except Exception as exc:
            if not _session_ended(exc):
                raise  # e.g. a refused address: the session goes on for the next message
            with suppress(Exception):
                connection.close()
            if not reused:
                raise
            # The server ended a session that had carried earlier messages (an idle
            # timeout, a per-connection limit): once more on a fresh one.
            try:
                connection.open()
                connection.send_messages([mail])
            except Exception:
                with suppress(Exception):
                    connection.close()
                raise


CHANNELS: dict[str, MessageChannel] = {Channel.EMAIL: EmailChannel()}
