"""What the street pages need: one hub's public page, its figures, its staff's overview.

Composes the readers of the apps below (federation, events, catalogue, news),
each already scoped to the street.
"""

from dataclasses import dataclass

from django.utils import timezone

from catalogue.selectors import CatalogueFilters, offering_list_public
from events.selectors_hubs import StreetEventFigures, street_event_figures
from federation.models import StreetHub
from federation.selectors_hubs import CountRow, organisation_counts_for_street
from federation.street_figures import street_figures


@dataclass
class HubFigures:
    year: int
    organisation_count: int
    by_form: list[CountRow]
    by_field: list[CountRow]
    events: StreetEventFigures
    offering_count: int
    extra: list  # (label, value) from federation.street_figures (e.g. caravan people served)


def hub_figures(*, hub: StreetHub, year: int | None = None, public_only: bool) -> HubFigures:
    """The street's figures for ``year`` (this year by default); a fixed number of queries."""
    year = year or timezone.localdate().year
    counts = organisation_counts_for_street(street_id=hub.street_id)
    return HubFigures(
        year=year,
        organisation_count=counts["total"],
        by_form=counts["by_form"],
        by_field=counts["by_field"],
        events=street_event_figures(street_id=hub.street_id, year=year),
        offering_count=offering_list_public(
            filters=CatalogueFilters(street=hub.street.code)
        ).count(),
        extra=street_figures(street_id=hub.street_id, year=year, public_only=public_only),
    )
