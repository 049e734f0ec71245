"""Where a volunteer's hours come from: a registry, so higher apps add their own.

The volunteers app counts attended event registrations (``events``) itself.
Another app that records service time (the caravan's volunteer shifts)
registers a source from its ``AppConfig.ready()``::

    from volunteers.sources import ServiceLine, register_service_source

    def caravan_shift_lines(*, participant_ids, since, until):
        # one query; attended shifts of these participant rows in [since, until]
        return [ServiceLine(...), ...]

    register_service_source("caravan_shifts", caravan_shift_lines)

A source gets the participant row ids (``events.Participant``) of one
volunteer, or of one organisation's rows, and an inclusive date range (either
end may be None), and returns :class:`ServiceLine` objects. Totals, star
levels and the certificate's list are built from every source's lines.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class ServiceLine:
    day: datetime.date
    activity: str
    organisation_id: int
    organisation_name: str
    participant_id: int
    hours: Decimal


ServiceSource = Callable[..., Iterable[ServiceLine]]

_SOURCES: dict[str, ServiceSource] = {}


def register_service_source(code: str, source: ServiceSource) -> None:
    """Add (or replace) the source named ``code``."""
    _SOURCES[code] = source


def service_lines(
    *,
    participant_ids: list[int],
    since: datetime.date | None = None,
    until: datetime.date | None = None,
) -> list[ServiceLine]:
    """Every source's lines for these participant rows, by date then activity."""
    if not participant_ids:
        return []
    lines: list[ServiceLine] = []
    for source in _SOURCES.values():
        lines.extend(source(participant_ids=participant_ids, since=since, until=until))
    return sorted(lines, key=lambda line: (line.day, line.activity, line.participant_id))
