"""E-ticket links and QR codes (segno, inline SVG)."""

import segno
from django.urls import reverse
from django.utils.http import urlencode

from core.links import absolute_url

from .models import Registration


def ticket_path(registration: Registration) -> str:
    """The holder's own page: by token for a visitor, under /my/ for an organisation."""
    if registration.is_visitor:
        return reverse("events:ticket", kwargs={"token": registration.token})
    return reverse("events:registration-detail", kwargs={"pk": registration.pk})


def ticket_url(registration: Registration) -> str:
    return absolute_url(ticket_path(registration))


def check_in_url(registration: Registration) -> str:
    """What the QR code holds: the check-in page with the token filled in.

    A hand scanner types it into the check-in box (which accepts a token or
    this URL); a phone camera opens it for a logged-in staff member.
    """
    path = reverse("events:check-in", kwargs={"slug": registration.event.slug})
    return absolute_url(f"{path}?{urlencode({'token': registration.token})}")


def qr_svg(url: str, *, title: str) -> str:
    """A QR code holding ``url`` as an inline ``<svg>`` element."""
    return segno.make(url, error="m").svg_inline(scale=4, title=title)


def ticket_qr_svg(registration: Registration) -> str:
    """The ticket's QR code as an inline ``<svg>`` element."""
    return qr_svg(check_in_url(registration), title=registration.event.title)
