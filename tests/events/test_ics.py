"""iCalendar text escaping (issue 11): X-WR-CALNAME was written raw."""

import pytest
from django.urls import reverse

from .factories import EventFactory

pytestmark = pytest.mark.django_db

TITLE = "Tea, talk; and a back\\slash 茶话会"


def _unfolded_lines(content: bytes) -> list[str]:
    return content.decode().replace("\r\n ", "").split("\r\n")


def _first_text_value(line: str) -> str:
    """What a plain RFC 5545 TEXT reader keeps: up to the first unescaped , or ;."""
    value, escaped = [], False
    for character in line.split(":", 1)[1]:
        if escaped:
            value.append({"n": "\n", "N": "\n"}.get(character, character))
            escaped = False
        elif character == "\\":
            escaped = True
        elif character in ",;":
            break
        else:
            value.append(character)
    return "".join(value)


def test_single_event_calendar_name_is_escaped_as_text(client):
    event = EventFactory(title=TITLE)
    content = client.get(reverse("events:event-ics", args=[event.slug])).content
    lines = _unfolded_lines(content)
    (calname,) = [line for line in lines if line.startswith("X-WR-CALNAME")]
    assert calname == "X-WR-CALNAME:Tea\\, talk\\; and a back\\\\slash 茶话会"
    assert _first_text_value(calname) == TITLE
    (summary,) = [line for line in lines if line.startswith("SUMMARY")]
    assert _first_text_value(summary) == TITLE


def test_time_zone_block_is_built_once_and_written_once_per_calendar(client, monkeypatch):
    from icalendar import Calendar, Timezone

    from events import ics

    EventFactory()
    EventFactory()

    def rebuilt(*args, **kwargs):
        raise AssertionError("the time-zone block is rebuilt per request")

    monkeypatch.setattr(Timezone, "from_tzinfo", rebuilt)
    monkeypatch.setattr(Calendar, "add_missing_timezones", rebuilt)
    content = client.get(reverse("events:event-feed")).content
    calendar = Calendar.from_ical(content)
    (block,) = calendar.walk("VTIMEZONE")
    assert block["TZID"] == "Asia/Shanghai"
    assert block.to_ical() == ics.SHANGHAI_VTIMEZONE.to_ical()
    assert calendar.get_missing_tzids() == set()
