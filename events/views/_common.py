"""What every events page shares."""

from django.utils.translation import gettext as _


class NavEventsMixin:
    nav_current = "events"

    def get_context_data(self, **kwargs):
        kwargs.setdefault("nav_current", self.nav_current)
        return super().get_context_data(**kwargs)


def cancellation_message(registration, *, organisation_id: int | None = None) -> str:
    """What a cancellation did, a promotion from the waiting list included.

    ``organisation_id`` is the organisation that cancelled (None: a visitor's
    own ticket). A promoted person is named only to their own organisation;
    anyone else reads that someone on the waiting list moved up, no name.
    """
    promoted = getattr(registration, "promoted", [])
    own = [r.name for r in promoted if organisation_id and r.organisation_id == organisation_id]
    values = {"name": registration.name, "promoted": "、".join(own)}
    if organisation_id is None:
        if promoted:
            return _("Your registration is cancelled; a person on the waiting list has the place.")
        return _("Your registration is cancelled.")
    if not promoted:
        return _("The registration of %(name)s is cancelled.") % values
    if len(own) == len(promoted):
        return (
            _("The registration of %(name)s is cancelled; %(promoted)s, waitlisted, has the place.")
            % values
        )
    return (
        _("The registration of %(name)s is cancelled; a person on the waiting list has the place.")
        % values
    )
