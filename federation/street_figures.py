"""A registry of per-street figures that apps above the kernel contribute.

The streets app shows a hub's figures (organisations by form and field,
events, participants, hours) from the apps it reads directly. Apps that must
not depend on it (a caravan app's people served, say) register a figure here
from their ``AppConfig.ready()``; hub pages list every registered one.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise


@dataclass(frozen=True)
class StreetFigure:
    code: str
    label: str | Promise
    # (street_id, year) -> a number for that street and year.
    compute: Callable[..., int | float]
    public: bool = True


_FIGURES: dict[str, StreetFigure] = {}


def register_street_figure(
    code: str, label: str | Promise, compute: Callable[..., int | float], *, public: bool = True
) -> None:
    """Declare a figure (idempotent): ``compute(street_id=..., year=...)``."""
    _FIGURES.setdefault(code, StreetFigure(code, label, compute, public))


def street_figures(*, street_id: int, year: int, public_only: bool) -> list[tuple[str, object]]:
    """(label, value) of every registered figure for the street and year."""
    return [
        (figure.label, figure.compute(street_id=street_id, year=year))
        for figure in _FIGURES.values()
        if figure.public or not public_only
    ]
