"""Channels carry a rendered message to its recipient.

Only e-mail exists. SMS or WeChat would be another class with the same two
methods, registered in ``CHANNELS`` under a new ``Channel`` choice; there is
deliberately no placeholder implementation.
"""

from dataclasses import dataclass, field
from typing import Protocol

from django.conf import settings
from django.core.mail import EmailMultiAlternatives

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

    def send(self, message: Message, rendered: RenderedMessage) -> None:
        """Hand the message over; raise on any failure (the caller retries)."""


class EmailChannel:
    def address(self, message: Message) -> str:
        if message.recipient_id is not None:
            return message.recipient.email
        return message.email

    def send(self, message: Message, rendered: RenderedMessage) -> None:
        mail = EmailMultiAlternatives(
            subject=rendered.subject,
            body=rendered.text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[self.address(message)],
            headers=rendered.headers,
        )
        mail.attach_alternative(rendered.html, "text/html")
        mail.send(fail_silently=False)


CHANNELS: dict[str, MessageChannel] = {Channel.EMAIL: EmailChannel()}
