"""Events, registrations, attendance rate and volunteer hours by month and by alliance."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from events import selectors_stats as stats

from ..links import changelist, events_in_month, month_axis, month_labels, street_param
from ..registry import Cell, Chart, Figure, Filters, Panel, PanelData, Series, register_panel


def _columns() -> list[str]:
    return [
        _("Events"),
        _("Registrations"),
        _("Attended"),
        _("No-shows"),
        _("Attendance rate (%)"),
        _("Volunteer hours"),
    ]


def _cells(figures: stats.EventFigures, link: str) -> list[Cell]:
    rate = figures.attendance_rate
    return [
        Cell(figures.events, link),
        Cell(figures.registrations),
        Cell(figures.attended),
        Cell(figures.no_show),
        Cell(rate if rate is not None else "–"),
        Cell(figures.hours),
    ]


def _months(filters: Filters) -> list[stats.EventFigures]:
    """The twelve months' figures, one grouped query shared by the month panels."""
    return filters.shared(
        "event_figures_by_month",
        lambda: stats.event_figures_by_month(year=filters.year, street=filters.street),
    )


def _year_total(months: list[stats.EventFigures]) -> stats.EventFigures:
    """The year's figures added up from its months (an event counts in one month only)."""
    total = stats.EventFigures()
    for month in months:
        total.events += month.events
        total.registrations += month.registrations
        total.attended += month.attended
        total.no_show += month.no_show
        total.hours += month.hours
    return total


def events_by_month(filters: Filters) -> PanelData:
    months = _months(filters)
    total = _year_total(months)
    labels = month_labels()
    links = [events_in_month(filters, month) for month in range(1, 13)]
    year_link = changelist("events.event", starts_at__year=filters.year, **street_param(filters))
    rows = [
        [Cell(label), *_cells(figures, link)]
        for label, figures, link in zip(labels, months, links, strict=True)
    ]
    rows.append([Cell(_("Total")), *_cells(total, year_link)])
    rate = total.attendance_rate
    return PanelData(
        columns=[_("Month"), *_columns()],
        rows=rows,
        figures=[
            Figure(_("Events"), total.events, year_link),
            Figure(_("Registrations"), total.registrations),
            Figure(_("Attendance rate"), f"{rate}%" if rate is not None else "–"),
            Figure(_("Volunteer hours"), total.hours),
        ],
        chart=Chart(
            kind="bar",
            series=[
                Series(_("Registrations"), [m.registrations for m in months], links),
                Series(_("Attended"), [m.attended for m in months], links),
            ],
            **month_axis(),
        ),
    )


def hours_by_month(filters: Filters) -> PanelData:
    months = _months(filters)
    labels = month_labels()
    links = [events_in_month(filters, month) for month in range(1, 13)]
    return PanelData(
        columns=[_("Month"), _("Volunteer hours"), _("Attended")],
        rows=[
            [Cell(label), Cell(m.hours, link), Cell(m.attended)]
            for label, m, link in zip(labels, months, links, strict=True)
        ],
        chart=Chart(
            kind="bar",
            series=[Series(_("Volunteer hours"), [m.hours for m in months], links)],
            **month_axis(),
        ),
        note=_("Credited hours of attended registrations, in the month the event starts."),
    )


def events_by_alliance(filters: Filters) -> PanelData:
    rows = stats.event_figures_by_alliance(year=filters.year, street=filters.street)
    labels, links, table = [], [], []
    for alliance, figures in rows:
        label = str(alliance) if alliance is not None else _("No alliance")
        link = changelist(
            "events.event",
            starts_at__year=filters.year,
            alliance__id__exact=alliance.pk if alliance is not None else None,
            alliance__isnull="True" if alliance is None else None,
            **street_param(filters),
        )
        labels.append(label)
        links.append(link)
        table.append([Cell(label), *_cells(figures, link)])
    return PanelData(
        columns=[_("Alliance"), *_columns()],
        rows=table,
        chart=Chart(
            "hbar",
            labels,
            [Series(_("Volunteer hours"), [figures.hours for _a, figures in rows], links)],
        ),
    )


_EVENTS_READ = ("events", "alliances", "organisations", "streets")
register_panel(
    Panel(
        "events",
        gettext_lazy("Events and attendance by month"),
        events_by_month,
        30,
        reads=_EVENTS_READ,
    )
)
register_panel(
    Panel("hours", gettext_lazy("Volunteer hours by month"), hours_by_month, 31, reads=_EVENTS_READ)
)
register_panel(
    Panel(
        "events-alliance",
        gettext_lazy("Events and hours by alliance"),
        events_by_alliance,
        32,
        reads=_EVENTS_READ,
    )
)
