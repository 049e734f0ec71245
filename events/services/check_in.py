"""Check-in from what was scanned or typed at the door, told back as a result panel.

The panel (green ``ok``, amber ``already``, red ``refused``) is what the event's
and the street hub's check-in pages show; its dict form is JSON-safe so a view
can carry it through the session to the page after a redirect.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from core.forms import error_text
from core.masking import mask_person_name
from federation.models import User

from ..check_in_codes import check_in_code_display, check_in_code_normalise
from ..models import Event, Registration
from ..selectors import CheckInLookup
from .registrations import registration_check_in


@dataclass(frozen=True)
class CheckInOutcome:
    state: str  # "ok", "already" or "refused"
    text: str
    registration: Registration | None = None

    def panel(self) -> dict:
        """What the panel shows: the name masked as on public pages, the seat, the text."""
        registration = self.registration
        return {
            "state": self.state,
            "name": mask_person_name(registration.name) if registration else "",
            "seat": registration.seat if registration and registration.seat else None,
            "text": self.text,
        }


def registration_check_in_from_entry(
    *, lookup: CheckInLookup, value: str = "", acting_user: User
) -> CheckInOutcome:
    """Check in the ticket ``lookup`` found (``selectors.registration_find_for_check_in``).

    Never raises for the door's ordinary troubles: a ticket of another event, an
    unknown code, a cancelled or waitlisted place, check-in not open yet are all
    a ``refused`` outcome with the reason.
    """
    registration = lookup.registration
    if registration is None:
        return CheckInOutcome("refused", _refusal(lookup.other_event, value))
    try:
        result = registration_check_in(registration=registration, acting_user=acting_user)
    except ValidationError as error:
        return CheckInOutcome("refused", error_text(error), registration)
    registration = result.registration
    name = mask_person_name(registration.name)
    at = timezone.localtime(registration.checked_in_at).strftime("%H:%M")
    if result.already_checked_in:
        text = _("%(name)s: already checked in at %(time)s.") % {"name": name, "time": at}
        return CheckInOutcome("already", text, registration)
    text = _("%(name)s: checked in at %(time)s.") % {"name": name, "time": at}
    return CheckInOutcome("ok", text, registration)


def _refusal(other_event: Event | None, value: str) -> str:
    if other_event is not None:
        return _("This ticket is for another event: %(event)s.") % {"event": other_event.title}
    if code := check_in_code_normalise(value):
        return _("No ticket with the code %(code)s for this event.") % {
            "code": check_in_code_display(code)
        }
    return _("No registration with this ticket for this event.")
