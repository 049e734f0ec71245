"""Writes for events, participants and registrations.

Invariants owned here (each also a database constraint or trigger where one
can express it):

- An event never has more seat-holding registrations (confirmed, attended,
  no-show) than its capacity: every change to seats happens with the event
  row locked (``SELECT ... FOR NO KEY UPDATE``), seats are numbered 1..capacity
  and unique per event (``events_registration_unique_seat`` and the trigger
  ``events_registration_check``).
- One live (not cancelled) registration per person per event
  (``events_registration_unique_live_mobile`` / ``..._participant``).
- When a seat frees up, the oldest waitlisted registration takes it in the
  same transaction (first come, first served).
- Credited hours never exceed the event's length; staff corrections are
  marked as such.
- Every registration e-mail goes through the notifications outbox, inside the
  transaction that made the change.
"""

from ._common import CHECK_IN_OPENS_BEFORE
from .check_in import CheckInOutcome, registration_check_in_from_entry
from .events import (
    EVENT_EDITABLE_FIELDS,
    event_cancel,
    event_capacity_check,
    event_check_rules,
    event_complete,
    event_create,
    event_publish,
    event_update,
)
from .participants import participant_create, participant_update
from .registrations import (
    CheckInResult,
    registration_cancel,
    registration_check_in,
    registration_create,
    registration_create_for_visitor,
    registration_hours_correct,
    registration_mark_no_shows,
)

__all__ = [
    "CHECK_IN_OPENS_BEFORE",
    "EVENT_EDITABLE_FIELDS",
    "CheckInOutcome",
    "CheckInResult",
    "event_cancel",
    "event_capacity_check",
    "event_check_rules",
    "event_complete",
    "event_create",
    "event_publish",
    "event_update",
    "participant_create",
    "participant_update",
    "registration_cancel",
    "registration_check_in",
    "registration_check_in_from_entry",
    "registration_create",
    "registration_create_for_visitor",
    "registration_hours_correct",
    "registration_mark_no_shows",
]
