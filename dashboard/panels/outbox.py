"""Reminders and other messages sent and failed, month by month (the outbox)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from notifications.selectors_stats import message_count_by_month

from ..links import changelist, month_axis, month_labels
from ..registry import Cell, Chart, Figure, Filters, Panel, PanelData, Series, register_panel


def messages_by_month(filters: Filters) -> PanelData:
    rows = message_count_by_month(year=filters.year)
    labels = month_labels()

    def link(month: int, state: str) -> str:
        return changelist(
            "notifications.message",
            due_at__year=filters.year,
            due_at__month=month,
            state__exact=state,
        )

    sent_links = [link(month, "sent") for month, _s, _f in rows]
    failed_links = [link(month, "failed") for month, _s, _f in rows]
    year_failed = changelist(
        "notifications.message", due_at__year=filters.year, state__exact="failed"
    )
    return PanelData(
        columns=[_("Month"), _("Sent"), _("Failed")],
        rows=[
            [Cell(label), Cell(sent, sent_links[i]), Cell(failed, failed_links[i])]
            for i, (label, (_month, sent, failed)) in enumerate(zip(labels, rows, strict=True))
        ],
        figures=[
            Figure(_("Sent"), sum(sent for _m, sent, _f in rows)),
            Figure(_("Failed"), sum(failed for _m, _s, failed in rows), year_failed),
        ],
        chart=Chart(
            kind="stacked",
            series=[
                Series(_("Sent"), [sent for _m, sent, _f in rows], sent_links),
                Series(_("Failed"), [failed for _m, _s, failed in rows], failed_links),
            ],
            **month_axis(),
        ),
    )


register_panel(
    Panel(
        "outbox",
        gettext_lazy("Reminders and messages sent"),
        messages_by_month,
        60,
        street_scoped=False,
    )
)
