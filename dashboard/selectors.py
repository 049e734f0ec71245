"""What the dashboard, the annual report and the evidence pack show: the registries, run."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from core.timezone import SHANGHAI
from federation.models import Organisation, Street, User

from .registry import EvidenceSection, Filters, Panel, PanelData, evidence_section_list, panel_list

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
    """The street a user may see only (a street hub's staff); None: every street.

    Street hubs (issue 15) are not built yet: nobody is limited to one street today.
    Their module will answer here, and the dashboard filters on it whatever is asked.
    """
    return None


def street_from(value: str | None, *, streets: list[Street]) -> Street | None:
    return next((street for street in streets if street.code == value), None)


@dataclass
class PanelResult:
    panel: Panel
    data: PanelData


def panel_results(filters: Filters) -> list[PanelResult]:
    """Every registered panel, built for ``filters`` (each a fixed number of queries)."""
    return [PanelResult(panel=panel, data=panel.build(filters)) for panel in panel_list()]


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
