from django import template
from django.utils.safestring import mark_safe

from ..markup import render_markdown
from ..selectors import event_list_for_organiser, event_list_upcoming_for_home, places_left
from ..tickets import qr_svg

register = template.Library()


@register.filter
def markdown(text: str):
    """``{{ event.description|markdown }}``: sanitised HTML."""
    return render_markdown(text)


@register.filter
def seats_left(event):
    """Free places of an event annotated with ``taken_count``; None when unlimited."""
    return places_left(event)


@register.inclusion_tag("events/includes/upcoming_events.html", takes_context=True)
def upcoming_events(context, limit: int = 3):
    """The home page's “upcoming events” section."""
    return {"events": event_list_upcoming_for_home(limit=limit), "request": context.get("request")}


@register.filter
def stars(level: int) -> str:
    return "★" * int(level or 0)


@register.simple_tag
def organisation_events(organisation, limit: int = 5):
    """Upcoming published events a member organisation organises (its public profile)."""
    return event_list_for_organiser(organisation=organisation, limit=limit)


@register.simple_tag
def ticket_qr(url: str, title: str = ""):
    """``{% ticket_qr check_in_url event_title %}``: the QR code, drawn when the e-mail is
    rendered (by the dispatcher, after the sign-up committed), not inside the sign-up."""
    # segno escapes the title and writes only its own markup.
    return mark_safe(qr_svg(url, title=title))  # noqa: S308  # nosec B308 B703
