"""iCalendar (RFC 5545) for one event or a feed, times in Asia/Shanghai."""

import zoneinfo
from collections.abc import Iterable
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar
from icalendar import Event as CalendarEvent

from core.links import absolute_url
from core.timezone import SHANGHAI

from .models import Event


def calendar_bytes(events: Iterable[Event], *, name: str) -> bytes:
    host = urlsplit(settings.SITE_URL).hostname or "yilu.example"
    calendar = Calendar()
    calendar.add("prodid", "-//Yilu//Jing'an District Social Organization Federation//ZH")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Asia/Shanghai")
    for event in events:
        entry = CalendarEvent()
        entry.add("uid", f"event-{event.pk}@{host}")
        entry.add("dtstamp", timezone.now().astimezone(zoneinfo.ZoneInfo("UTC")))
        entry.add("last-modified", event.updated_at.astimezone(zoneinfo.ZoneInfo("UTC")))
        entry.add("dtstart", event.starts_at.astimezone(SHANGHAI))
        entry.add("dtend", event.ends_at.astimezone(SHANGHAI))
        entry.add("summary", event.title)
        url = absolute_url(event.get_absolute_url())
        description = "\n\n".join(part for part in (event.summary, url) if part)
        entry.add("description", description)
        location = " ".join(part for part in (event.venue_name, event.address) if part)
        if location:
            entry.add("location", location)
        entry.add("url", url)
        entry.add(
            "organizer",
            f"mailto:{settings.YILU_CONTACT_EMAIL}",
            parameters={"CN": event.organiser_name},
        )
        entry.add("status", "CANCELLED" if event.status == Event.Status.CANCELLED else "CONFIRMED")
        calendar.add_component(entry)
    calendar.add_missing_timezones()
    return calendar.to_ical()
