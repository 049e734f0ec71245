"""The alliances' quarterly duty (季季·益联盟): team building and training each quarter."""

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from events.selectors import PlanState, alliance_quarter_plan

from ..links import changelist
from ..registry import Cell, Chart, Figure, Filters, Panel, PanelData, Series, register_panel


def _state_label(state: str) -> str:
    return str(PlanState(state).label)


def quarterly_duty(filters: Filters) -> PanelData:
    plan = alliance_quarter_plan(year=filters.year)
    plan_url = reverse("events:quarterly-plan") + "?" + urlencode({"year": filters.year})
    rows, met_counts, links = [], [], []
    for row in plan:
        met = sum(1 for cell in row.cells if not cell.is_missing)
        link = changelist(
            "events.event", starts_at__year=filters.year, alliance__id__exact=row.alliance.pk
        )
        cells = [
            Cell(
                _("team building: %(tb)s; training: %(tr)s")
                % {"tb": _state_label(cell.team_building), "tr": _state_label(cell.training)}
            )
            for cell in row.cells
        ]
        rows.append([Cell(str(row.alliance), link), *cells, Cell(met, plan_url)])
        met_counts.append(met)
        links.append(link)
    complete = sum(1 for count in met_counts if count == 4)
    missing = sum(row.missing_count for row in plan)
    return PanelData(
        columns=[_("Alliance"), _("Q1"), _("Q2"), _("Q3"), _("Q4"), _("Quarters on track")],
        rows=rows,
        figures=[
            Figure(_("Alliances on track all year"), f"{complete} / {len(plan)}", plan_url),
            Figure(_("Activities missing"), missing, plan_url),
        ],
        chart=Chart(
            "hbar",
            [str(row.alliance) for row in plan],
            [Series(_("Quarters on track"), met_counts, links)],
        ),
        note=_(
            "A quarter is on track when its team building and its training are each held "
            "or scheduled (published); drafts and cancelled events do not count."
        ),
    )


register_panel(
    Panel(
        "alliances",
        gettext_lazy("Alliances' quarterly duty"),
        quarterly_duty,
        20,
        street_scoped=False,
        reads=("alliances", "events", "organisations"),
    )
)
