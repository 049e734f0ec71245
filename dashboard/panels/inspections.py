"""Annual inspections (年检年报) handed in, per street, for the year's work."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from federation import selectors_stats as stats

from ..links import changelist
from ..registry import Cell, Chart, Figure, Filters, Panel, PanelData, Series, register_panel


def inspections_by_street(filters: Filters) -> PanelData:
    rows = stats.inspection_count_by_street(year=filters.year, street=filters.street)
    links = [
        changelist(
            "federation.annualinspection",
            year__exact=filters.year,
            organisation__street__id__exact=s.pk,
        )
        for s, _counts in rows
    ]
    submitted = sum(counts["submitted"] for _s, counts in rows)
    outstanding = sum(counts["outstanding"] for _s, counts in rows)
    return PanelData(
        columns=[
            _("Street"),
            _("Active members"),
            _("Handed in"),
            _("Qualified"),
            _("Outstanding"),
        ],
        rows=[
            [
                Cell(str(street)),
                Cell(counts["members"]),
                Cell(counts["submitted"], link),
                Cell(counts["qualified"]),
                Cell(counts["outstanding"]),
            ]
            for (street, counts), link in zip(rows, links, strict=True)
        ],
        figures=[
            Figure(
                _("Handed in"),
                submitted,
                changelist("federation.annualinspection", year__exact=filters.year),
            ),
            Figure(_("Outstanding"), outstanding),
        ],
        chart=Chart(
            "hbar",
            [str(street) for street, _counts in rows],
            [
                Series(_("Handed in"), [c["submitted"] for _s, c in rows], links),
                Series(_("Outstanding"), [c["outstanding"] for _s, c in rows], links),
            ],
        ),
        note=_("Reports on the year's work, handed in early the next year."),
    )


register_panel(
    Panel("inspections", gettext_lazy("Annual inspections per street"), inspections_by_street, 70)
)
