"""Where higher apps plug into an offering's page without the catalogue importing them.

“Where it is next offered”: an app that schedules services (caravan booths,
festival activities) registers, from its ``AppConfig.ready()``, a callable
that answers for one offering::

    from catalogue.sections import NextOffered, register_next_offered

    def next_booths(offering) -> list[NextOffered]:
        ...

    register_next_offered(next_booths)

Each callable gets the offering and returns a few upcoming occasions; the
offering page lists them in date order. A callable must make a constant
number of queries (one, ideally), whatever the offering.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.utils.functional import Promise


@dataclass(frozen=True)
class NextOffered:
    title: str | Promise
    url: str
    starts_at: datetime.datetime


NextOfferedSource = Callable[..., Iterable[NextOffered]]

_SOURCES: list[NextOfferedSource] = []


def register_next_offered(source: NextOfferedSource) -> None:
    """Add a source of upcoming occasions for offerings (once)."""
    if source not in _SOURCES:
        _SOURCES.append(source)


def next_offered(offering, *, limit: int = 5) -> list[NextOffered]:
    """Upcoming occasions of ``offering`` from every registered source, soonest first."""
    found: list[NextOffered] = []
    for source in _SOURCES:
        found.extend(source(offering))
    return sorted(found, key=lambda item: item.starts_at)[:limit]
