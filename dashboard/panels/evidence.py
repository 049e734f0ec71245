"""An organisation's evidence pack (its year at the federation), section by section.

Caravan booths hosted and festival awards are sections of ``caravan.py`` and
``festival.py`` beside their panels.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alliances.selectors import alliance_membership_list_for_organisation
from core.timezone import local_date
from events import selectors_stats as event_stats
from federation import selectors_stats as federation_stats
from federation.models import Organisation

from ..registry import Cell, EvidenceSection, Figure, PanelData, register_evidence_section


def organisation_profile(organisation: Organisation, year: int) -> PanelData:
    rating = organisation.get_rating_display() if organisation.rating else "–"
    if organisation.rating and organisation.rating_year:
        rating = f"{rating} ({organisation.rating_year})"
    rows = [
        (_("Full name"), organisation.name),
        (_("Unified social credit code"), organisation.credit_code or "–"),
        (_("Legal form"), organisation.get_legal_form_display()),
        (_("Street"), str(organisation.street) if organisation.street_id else "–"),
        (_("Membership status"), organisation.get_status_display()),
        (_("Joined the federation on"), organisation.joined_on or "–"),
        (_("Rating"), rating),
        (
            _("Annual inspection for %(year)s") % {"year": year},
            federation_stats.inspection_status_for_organisation(
                organisation=organisation, year=year
            ),
        ),
    ]
    return PanelData(
        columns=[_("Item"), _("Value")],
        rows=[[Cell(label), Cell(value)] for label, value in rows],
    )


def alliance_memberships(organisation: Organisation, year: int) -> PanelData:
    memberships = alliance_membership_list_for_organisation(organisation=organisation)
    return PanelData(
        columns=[_("Alliance"), _("Status"), _("Joined on"), _("Left on")],
        rows=[
            [
                Cell(str(membership.alliance)),
                Cell(membership.get_status_display()),
                Cell(local_date(membership.joined_at) if membership.joined_at else "–"),
                Cell(local_date(membership.left_at) if membership.left_at else "–"),
            ]
            for membership in memberships
        ],
    )


def events_attended(organisation: Organisation, year: int) -> PanelData:
    events = event_stats.event_list_attended_by_organisation(organisation=organisation, year=year)
    return PanelData(
        columns=[_("Date"), _("Event"), _("Kind"), _("Alliance"), _("People"), _("Hours")],
        rows=[
            [
                Cell(local_date(event.starts_at)),
                Cell(event.title),
                Cell(event.kind),
                Cell(event.alliance or "–"),
                Cell(event.people),
                Cell(event.hours),
            ]
            for event in events
        ],
        figures=[
            Figure(_("Events attended"), len(events)),
            Figure(_("Volunteer hours"), sum((event.hours for event in events), start=0)),
        ],
    )


def hours_by_person(organisation: Organisation, year: int) -> PanelData:
    rows = event_stats.volunteer_hours_by_person(organisation=organisation, year=year)
    return PanelData(
        columns=[_("Name (as registered)"), _("Events attended"), _("Hours")],
        rows=[[Cell(name), Cell(events), Cell(hours)] for name, events, hours in rows],
        note=_("Hours actually served, from check-in or corrected by the organiser."),
    )


register_evidence_section(
    EvidenceSection("organisation", gettext_lazy("The organisation"), organisation_profile, 10)
)
register_evidence_section(
    EvidenceSection("alliances", gettext_lazy("Alliance memberships"), alliance_memberships, 20)
)
register_evidence_section(
    EvidenceSection("events", gettext_lazy("Events attended"), events_attended, 30)
)
register_evidence_section(
    EvidenceSection("hours", gettext_lazy("Volunteer hours by person"), hours_by_person, 40)
)
