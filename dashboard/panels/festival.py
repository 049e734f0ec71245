"""The annual festival: participants per edition and the running total since the first."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from federation.models import Organisation
from festival import selectors_stats as stats

from ..links import changelist
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


def festival_editions(filters: Filters) -> PanelData:
    rows = stats.edition_rows_until(year=filters.year)
    links = [changelist("festival.edition", year=row.edition.year) for row in rows]
    this_year = next((row for row in rows if row.edition.year == filters.year), None)
    return PanelData(
        columns=[
            _("Edition"),
            _("Year"),
            _("Attended registrations"),
            _("Walk-ins"),
            _("Recorded"),
            _("Participants"),
            _("Running total"),
        ],
        rows=[
            [
                Cell(row.edition.number, link),
                Cell(row.edition.year),
                Cell(row.attended),
                Cell(row.walk_ins),
                Cell(row.recorded),
                Cell(row.participants),
                Cell(row.running_total),
            ]
            for row, link in zip(rows, links, strict=True)
        ],
        figures=[
            Figure(
                _("Participants this year"),
                this_year.participants if this_year else 0,
                changelist("festival.edition", year=filters.year) if this_year else "",
            ),
            Figure(
                _("Participants since the first edition"), rows[-1].running_total if rows else 0
            ),
        ],
        chart=Chart(
            kind="bar",
            x_labels=[str(row.edition.year) for row in rows],
            series=[Series(_("Participants"), [row.participants for row in rows], links)],
            x_title=_("Year"),
        ),
        note=_("Festival-wide: the same whatever street is chosen."),
    )


register_panel(
    Panel(
        "festival",
        gettext_lazy("Festival participants per edition"),
        festival_editions,
        45,
        street_scoped=False,
        reads=("festival", "events", "organisations"),
    )
)


def awards(organisation: Organisation, year: int) -> PanelData:
    found = stats.award_list_for_organisation(organisation=organisation, year=year)
    return PanelData(
        columns=[_("Award number"), _("Honour"), _("Recipient"), _("Awarded on")],
        rows=[
            [
                Cell(award.number),
                Cell(award.award_type.name),
                Cell(award.recipient_name),
                Cell(award.awarded_on),
            ]
            for award in found
        ],
        figures=[Figure(_("Awards"), len(found))],
        note=_("Honours of the year to the organisation or to its people, revoked ones left out."),
    )


register_evidence_section(EvidenceSection("awards", gettext_lazy("Awards"), awards, 60))
