"""The monthly caravan: caravan days and people served per service kind, month by month."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from caravan import selectors_stats as stats
from federation.models import Organisation

from ..links import changelist, month_axis, month_labels
from ..registry import (
    Cell,
    Chart,
    EvidenceSection,
    Figure,
    Filters,
    Panel,
    PanelData,
    Series,
    register_evidence_section,
    register_panel,
)


def _records(filters: Filters, **params) -> str:
    return changelist("caravan.servicerecord", held_on__year=filters.year, **params)


def caravans_by_month(filters: Filters) -> PanelData:
    figures = stats.caravan_figures_by_month(year=filters.year, street=filters.street)
    month_links = [_records(filters, held_on__month=month) for month in range(1, 13)]
    caravan_links = [
        changelist("caravan.caravan", held_on__year=filters.year, held_on__month=month)
        for month in range(1, 13)
    ]
    rows = []
    for month, label in enumerate(month_labels(), start=1):
        rows.append(
            [
                Cell(label),
                Cell(figures.caravans[month - 1], caravan_links[month - 1]),
                *(
                    Cell(
                        figures.people.get((kind.pk, month), 0),
                        _records(filters, held_on__month=month, service_kind__id__exact=kind.pk),
                    )
                    for kind in figures.kinds
                ),
                Cell(figures.people_in_month(month), month_links[month - 1]),
            ]
        )
    rows.append(
        [
            Cell(_("Total")),
            Cell(sum(figures.caravans)),
            *(Cell(figures.people_of_kind(kind.pk)) for kind in figures.kinds),
            Cell(figures.people_total, _records(filters)),
        ]
    )
    return PanelData(
        columns=[_("Month"), _("Caravan days"), *(kind.name for kind in figures.kinds), _("Total")],
        rows=rows,
        figures=[
            Figure(
                _("Caravan days"),
                sum(figures.caravans),
                changelist("caravan.caravan", held_on__year=filters.year),
            ),
            Figure(_("People served"), figures.people_total, _records(filters)),
        ],
        chart=Chart(
            kind="stacked",
            series=[
                Series(
                    kind.name,
                    [figures.people.get((kind.pk, month), 0) for month in range(1, 13)],
                    month_links,
                )
                for kind in figures.kinds
            ],
            **month_axis(),
        ),
        note=_(
            "People served from the hosts' service records (imported history included); "
            "with a street chosen, only booths at that street's caravans."
        ),
    )


register_panel(
    Panel(
        "caravan",
        gettext_lazy("Caravans and people served by month"),
        caravans_by_month,
        40,
        reads=("caravan", "organisations", "streets"),
    )
)


def booths_hosted(organisation: Organisation, year: int) -> PanelData:
    booths = stats.booth_list_hosted_by_organisation(organisation=organisation, year=year)
    return PanelData(
        columns=[_("Caravan day"), _("Service"), _("People served"), _("Source")],
        rows=[
            [
                Cell(booth.held_on),
                Cell(booth.service),
                Cell(booth.people_served if booth.people_served is not None else "–"),
                Cell(_("imported history") if booth.imported else _("on the platform")),
            ]
            for booth in booths
        ],
        figures=[
            Figure(_("Booths hosted"), len(booths)),
            Figure(_("People served"), sum(booth.people_served or 0 for booth in booths)),
        ],
        note=_("Confirmed booths at the monthly caravan, with the people served as recorded."),
    )


register_evidence_section(
    EvidenceSection("caravan", gettext_lazy("Caravan booths hosted"), booths_hosted, 50)
)
