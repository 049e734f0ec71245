"""iCalendar (RFC 5545) for one event or a feed, times in Asia/Shanghai."""

import zoneinfo
from collections.abc import Iterable
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Timezone, vText
from icalendar import Event as CalendarEvent

from core.links import absolute_url
from core.timezone import SHANGHAI

from .models import Event

# The time-zone block every calendar carries, built once: generating it from the zone's
# transitions took longer than the rest of a 20-event feed.
SHANGHAI_VTIMEZONE = Timezone.from_tzinfo(SHANGHAI, tzid="Asia/Shanghai")


def calendar_bytes(events: Iterable[Event], *, name: str) -> bytes:
    host = urlsplit(settings.SITE_URL).hostname or "yilu.example"
    calendar = Calendar()
    calendar.add("prodid", "-//Yilu//Jing'an District Social Organization Federation//ZH")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    # icalendar writes unknown X- properties raw; X-WR-CALNAME is TEXT (RFC 5545 3.3.11),
    # so an event title's "," ";" "\\" must be escaped or other parsers cut it short.
    calendar.add("x-wr-calname", vText(name))
    calendar.add("x-wr-timezone", vText("Asia/Shanghai"))
    calendar.add_component(SHANGHAI_VTIMEZONE)
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
    return calendar.to_ical()
