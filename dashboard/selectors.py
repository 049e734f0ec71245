"""What the dashboard, the annual report and the evidence pack show: the registries, run."""

import datetime
from dataclasses import dataclass
from functools import partial

from django.utils import timezone
from django.utils.translation import get_language

from core.pagecache import fragment_cache_seconds, fragments_cached
from core.timezone import SHANGHAI
from federation.models import Organisation, Street, User
from federation.selectors_hubs import hub_get_for_user

from .registry import EvidenceSection, Filters, Panel, PanelData, evidence_section_list, panel_list
from .rules import is_federation_staff

FIRST_YEAR = 2007  # the federation was founded in 2007


def this_year() -> int:
    return timezone.localdate(timezone=SHANGHAI).year


def year_choices() -> list[int]:
    return list(range(this_year(), FIRST_YEAR - 1, -1))


def year_from(value: str | None) -> int:
    """A year from a query string; this year when missing or out of range."""
    try:
        year = int(value or "")
    except ValueError:
        return this_year()
    return year if FIRST_YEAR <= year <= this_year() + 1 else this_year()


def street_list() -> list[Street]:
    return list(Street.objects.order_by("code"))


def street_forced_for(user: User) -> Street | None:
    """The street a user may see only (a street hub's staff); None: every street."""
    if user.is_superuser or is_federation_staff(user):
        return None
    hub = hub_get_for_user(user=user)
    return hub.street if hub is not None else None


def street_from(value: str | None, *, streets: list[Street]) -> Street | None:
    return next((street for street in streets if street.code == value), None)


@dataclass
class PanelResult:
    panel: Panel
    data: PanelData


def panel_results(filters: Filters) -> list[PanelResult]:
    """Every registered panel, built for ``filters`` (each a fixed number of queries).

    A street hub's view (``filters.street_only``) has only the panels that follow the street.
    A panel that names what it ``reads`` is kept until a write to one of those namespaces
    (core.pagecache), for the same filters, language and day.
    """
    panels = [panel for panel in panel_list() if panel.street_scoped or not filters.street_only]
    scope = ":".join(
        [
            str(filters.year),
            filters.street.code if filters.street else "",
            "street-only" if filters.street_only else "all",
            get_language() or "",
            timezone.localdate(timezone=SHANGHAI).isoformat(),
        ]
    )
    kept = fragments_cached(
        {
            f"dashboard:{panel.key}:{scope}": (panel.reads, partial(panel.build, filters))
            for panel in panels
            if panel.reads
        },
        fragment_cache_seconds(),
    )
    return [
        PanelResult(
            panel=panel,
            data=kept[f"dashboard:{panel.key}:{scope}"] if panel.reads else panel.build(filters),
        )
        for panel in panels
    ]


@dataclass
class EvidenceResult:
    section: EvidenceSection
    data: PanelData


def evidence_results(*, organisation: Organisation, year: int) -> list[EvidenceResult]:
    return [
        EvidenceResult(section=section, data=section.build(organisation, year))
        for section in evidence_section_list()
    ]


def organisation_get_by_slug(slug: str) -> Organisation | None:
    return Organisation.objects.select_related("street").filter(slug=slug).first()


def generated_at() -> datetime.datetime:
    return timezone.localtime(timezone=SHANGHAI)
