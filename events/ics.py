"""iCalendar (RFC 5545) for one event or a feed, times in Asia/Shanghai."""

import zoneinfo
from collections.abc import Iterable
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from icalendar import Timezone
from icalendar.parser import param_value

from core.links import absolute_url
from core.timezone import SHANGHAI

from .models import Event

# The time-zone block every calendar carries, built once: generating it from the zone's
# transitions took longer than the rest of a 20-event feed.
SHANGHAI_VTIMEZONE = Timezone.from_tzinfo(SHANGHAI, tzid="Asia/Shanghai")


_UTC = zoneinfo.ZoneInfo("UTC")
# The block as written, once: every calendar carries the same bytes.
_VTIMEZONE_LINES = SHANGHAI_VTIMEZONE.to_ical().decode().rstrip("\r\n")
_TEXT_ESCAPES = str.maketrans({"\\": "\\\\", ";": "\\;", ",": "\\,", "\n": "\\n", "\r": ""})


def _text(value: str) -> str:
    """A TEXT value (RFC 5545 3.3.11): backslash, ``;``, ``,`` and newlines escaped."""
    return value.translate(_TEXT_ESCAPES)


def _common_name(value: str) -> str:
    """A CN parameter as icalendar writes it: RFC 6868 escapes, quoted when it holds a
    space or an apostrophe as well as ``,`` ``;`` ``:``."""
    return param_value(value, always_quote=any(c in value for c in " '"))


def _fold(line: str) -> str:
    """Content lines under 75 octets (RFC 5545 3.1) folded where icalendar folds them:
    never inside a UTF-8 character, nor right after a ``\\`` or ``^`` escape."""
    if len(line.encode()) < 75:
        return line
    parts, current, size = [], [], 0
    for character in line:
        width = len(character.encode())
        if current and size + width >= 75:
            carried = current.pop() if len(current) > 1 and current[-1] in "\\^" else ""
            parts.append("".join(current))
            current, size = ([carried] if carried else []), len(carried)
        current.append(character)
        size += width
    parts.append("".join(current))
    return "\r\n ".join(parts)


def _utc(moment) -> str:
    return moment.astimezone(_UTC).strftime("%Y%m%dT%H%M%SZ")


def _local(moment) -> str:
    return moment.astimezone(SHANGHAI).strftime("%Y%m%dT%H%M%S")


def _event_lines(event: Event, *, host: str, stamp: str) -> list[str]:
    # Written by hand, in icalendar's property order: its serialiser took ~1 ms an event.
    url = absolute_url(event.get_absolute_url())
    description = "\n\n".join(part for part in (event.summary, url) if part)
    location = " ".join(part for part in (event.venue_name, event.address) if part)
    lines = [
        "BEGIN:VEVENT",
        f"SUMMARY:{_text(event.title)}",
        f"DTSTART;TZID=Asia/Shanghai:{_local(event.starts_at)}",
        f"DTEND;TZID=Asia/Shanghai:{_local(event.ends_at)}",
        f"DTSTAMP:{stamp}",
        f"UID:event-{event.pk}@{host}",
        f"DESCRIPTION:{_text(description)}",
        f"LAST-MODIFIED:{_utc(event.updated_at)}",
    ]
    if location:
        lines.append(f"LOCATION:{_text(location)}")
    lines += [
        f"ORGANIZER;CN={_common_name(event.organiser_name)}:mailto:{settings.YILU_CONTACT_EMAIL}",
        "STATUS:" + ("CANCELLED" if event.status == Event.Status.CANCELLED else "CONFIRMED"),
        f"URL:{url}",
        "END:VEVENT",
    ]
    return lines


def calendar_bytes(events: Iterable[Event], *, name: str) -> bytes:
    host = urlsplit(settings.SITE_URL).hostname or "yilu.example"
    stamp = _utc(timezone.now())
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Yilu//Jing'an District Social Organization Federation//ZH",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        # X-WR-CALNAME is TEXT (RFC 5545 3.3.11): a title's "," ";" "\\" must be escaped
        # or other parsers cut it short.
        f"X-WR-CALNAME:{_text(name)}",
        "X-WR-TIMEZONE:Asia/Shanghai",
    ]
    body = [_VTIMEZONE_LINES]
    for event in events:
        body.extend(_event_lines(event, host=host, stamp=stamp))
    text = "\r\n".join([*map(_fold, lines), body[0], *map(_fold, body[1:]), "END:VCALENDAR", ""])
    return text.encode()
