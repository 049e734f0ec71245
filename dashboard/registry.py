"""The dashboard's panels and the evidence pack's sections: registries filled by modules.

A panel is one question staff ask ("how many events, month by month?") with its
figures, its table and its chart. Each module in ``dashboard/panels/`` registers
its panels (and evidence-pack sections) when imported; ``DashboardConfig.ready()``
imports every module of that package. A new topic (the caravan, the festival,
street hubs) is one new file there, reading its app's ``selectors_stats``.

Every builder runs a fixed number of queries (grouped aggregates), whatever the
amount of data, so the dashboard's query count does not grow with the data.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.functional import Promise

from federation.models import Organisation, Street

Number = int | Decimal


@dataclass(frozen=True)
class Filters:
    year: int
    street: Street | None = None
    street_only: bool = False  # a street hub's staff: district-wide panels left out
    # Figures several panels of one page share (``shared``): computed once per Filters.
    _shared: dict = field(default_factory=dict, compare=False, repr=False)

    def shared(self, key: str, compute: Callable[[], Any]) -> Any:
        """``compute()`` the first time ``key`` is asked for these filters, then its result."""
        if key not in self._shared:
            self._shared[key] = compute()
        return self._shared[key]


@dataclass
class Cell:
    value: object
    url: str = ""


@dataclass
class Figure:
    """A headline number with the filtered list behind it."""

    label: str | Promise
    value: object
    url: str = ""


@dataclass
class Series:
    name: str | Promise
    values: list[Number]
    links: list[str] = field(default_factory=list)


@dataclass
class Chart:
    """What to draw: ``bar`` (grouped), ``stacked``, ``line`` or ``hbar`` (categories)."""

    kind: str
    x_labels: list[str]
    series: list[Series]
    money: bool = False
    x_title: str | Promise = ""


@dataclass
class PanelData:
    columns: list[str | Promise]
    rows: list[list[Cell]]
    figures: list[Figure] = field(default_factory=list)
    chart: Chart | None = None
    note: str | Promise = ""

    @property
    def is_empty(self) -> bool:
        return not self.rows


@dataclass(frozen=True)
class Panel:
    key: str
    title: str | Promise
    build: Callable[[Filters], PanelData]
    order: int = 100
    # False: district-wide figures (the fund), the same whatever street is chosen.
    street_scoped: bool = True
    # The page-cache namespaces (core.pagecache) whose writes change the figures: the
    # panel is then kept until one of them is bumped (YILU_FRAGMENT_CACHE_SECONDS at
    # most). Empty: built on every visit (what it reads announces no write).
    reads: tuple[str, ...] = ()


@dataclass(frozen=True)
class EvidenceSection:
    key: str
    title: str | Promise
    build: Callable[[Organisation, int], PanelData]
    order: int = 100


_PANELS: dict[str, Panel] = {}
_EVIDENCE: dict[str, EvidenceSection] = {}


def register_panel(panel: Panel) -> None:
    """Add a panel to the dashboard and the annual report (once per key)."""
    _PANELS.setdefault(panel.key, panel)


def panel_list() -> list[Panel]:
    return sorted(_PANELS.values(), key=lambda panel: (panel.order, panel.key))


def register_evidence_section(section: EvidenceSection) -> None:
    """Add a section to every organisation's evidence pack (once per key)."""
    _EVIDENCE.setdefault(section.key, section)


def evidence_section_list() -> list[EvidenceSection]:
    return sorted(_EVIDENCE.values(), key=lambda section: (section.order, section.key))
