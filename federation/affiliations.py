"""Where a higher app lets the kernel's directory group organisations, without the
kernel importing it.

The alliances app registers itself from ``AlliancesConfig.ready()``::

    from federation.affiliations import register_affiliation
    register_affiliation(
        choices=selectors.alliance_list_for_filter,          # () -> [obj with .code, .name]
        filter=selectors.organisation_filter_by_alliance,     # (queryset, code) -> queryset
        prefetch=selectors.organisation_prefetch_active_alliances,  # (queryset) -> queryset
    )

Without a registration (the alliances app absent) the directory has no
alliance filter and profiles list no alliances.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import QuerySet


@dataclass(frozen=True)
class Affiliation:
    choices: Callable[[], list]
    filter: Callable[[QuerySet, str], QuerySet]
    prefetch: Callable[[QuerySet], QuerySet]


_AFFILIATIONS: list[Affiliation] = []


def register_affiliation(
    *,
    choices: Callable[[], list],
    filter: Callable[[QuerySet, str], QuerySet],
    prefetch: Callable[[QuerySet], QuerySet],
) -> None:
    """Declare the one grouping the directory filters by (idempotent: the first one stays)."""
    if not _AFFILIATIONS:
        _AFFILIATIONS.append(Affiliation(choices, filter, prefetch))


def affiliation_get() -> Affiliation | None:
    return _AFFILIATIONS[0] if _AFFILIATIONS else None
