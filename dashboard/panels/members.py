"""Member organisations by status, street and legal form; applications waiting."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from federation import selectors_stats as stats
from federation.models import Organisation

from ..links import changelist, street_param
from ..registry import Cell, Chart, Figure, Filters, Panel, PanelData, Series, register_panel


def _org_list(filters: Filters, **params) -> str:
    return changelist("federation.organisation", **street_param(filters), **params)


def members_by_status(filters: Filters) -> PanelData:
    rows = stats.organisation_count_by_status(street=filters.street)
    counts = {value: count for value, _label, count in rows}
    links = [_org_list(filters, status__exact=value) for value, _label, _count in rows]
    return PanelData(
        columns=[_("Status"), _("Organisations")],
        rows=[
            [Cell(label), Cell(count, link)]
            for (_value, label, count), link in zip(rows, links, strict=True)
        ],
        figures=[
            Figure(
                _("Active members"),
                counts[Organisation.Status.ACTIVE],
                _org_list(filters, status__exact=Organisation.Status.ACTIVE),
            ),
            Figure(
                _("Applications waiting"),
                counts[Organisation.Status.APPLIED],
                _org_list(filters, status__exact=Organisation.Status.APPLIED),
            ),
        ],
        chart=Chart(
            "hbar",
            [label for _value, label, _count in rows],
            [Series(_("Organisations"), [count for *_rest, count in rows], links)],
        ),
    )


def members_by_street(filters: Filters) -> PanelData:
    rows = stats.organisation_count_by_street(street=filters.street)
    links = [
        changelist("federation.organisation", status__exact="active", street__id__exact=s.pk)
        for s, _count in rows
    ]
    return PanelData(
        columns=[_("Street"), _("Active members")],
        rows=[
            [Cell(str(street)), Cell(count, link)]
            for (street, count), link in zip(rows, links, strict=True)
        ],
        chart=Chart(
            "hbar",
            [str(street) for street, _count in rows],
            [Series(_("Active members"), [count for _street, count in rows], links)],
        ),
    )


def members_by_legal_form(filters: Filters) -> PanelData:
    rows = stats.organisation_count_by_legal_form(street=filters.street)
    links = [
        _org_list(filters, status__exact="active", legal_form__exact=value)
        for value, _label, _count in rows
    ]
    return PanelData(
        columns=[_("Legal form"), _("Active members")],
        rows=[
            [Cell(label), Cell(count, link)]
            for (_value, label, count), link in zip(rows, links, strict=True)
        ],
        chart=Chart(
            "hbar",
            [label for _value, label, _count in rows],
            [Series(_("Active members"), [count for *_rest, count in rows], links)],
        ),
    )


_MEMBERS_READ = ("organisations", "streets")
register_panel(
    Panel(
        "members",
        gettext_lazy("Member organisations"),
        members_by_status,
        10,
        reads=_MEMBERS_READ,
    )
)
register_panel(
    Panel(
        "members-street",
        gettext_lazy("Members by street"),
        members_by_street,
        11,
        reads=_MEMBERS_READ,
    )
)
register_panel(
    Panel(
        "members-form",
        gettext_lazy("Members by legal form"),
        members_by_legal_form,
        12,
        reads=_MEMBERS_READ,
    )
)
