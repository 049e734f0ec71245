"""Writes for the monthly caravan.

Invariants owned here (each backed by a database constraint where one can say it):

- a series generates one caravan per month and rule date
  (``caravan_caravan_unique_occurrence``): generating twice creates nothing twice,
  and a month already generated (maybe edited since) is never rewritten;
- a date on a statutory holiday or make-up working day moves to the next
  suitable day, and the caravan says why (``moved_reason``);
- one host per booth slot: a pending or confirmed application holds it
  (``caravan_boothapplication_one_host_per_slot``); applications lock the slot;
- a booth of a kind that needs a qualification has at least one person on
  duty holding it, valid on the caravan day;
- volunteer shifts are events of their own, so capacity, waiting list,
  check-in and hours (per shift) are the registration engine's;
- a sale record's proceeds are posted to the fund at most once (the record's
  ``posting_key`` is the journal entry's unique submission key);
- cancelling a day tells every host, volunteer and registrant once.
"""

from .booths import (
    booth_apply,
    booth_confirm,
    booth_decline,
    booth_withdraw,
    check_qualification,
    qualification_add,
)
from .cancel import caravan_cancel
from .posts import volunteer_post_create
from .records import (
    HistoryRow,
    record_is_posted,
    service_record_import,
    service_record_post_proceeds,
    service_record_save,
)
from .series import caravan_adopt, caravan_generate, caravan_publish

__all__ = [
    "HistoryRow",
    "booth_apply",
    "booth_confirm",
    "booth_decline",
    "booth_withdraw",
    "caravan_adopt",
    "caravan_cancel",
    "caravan_generate",
    "caravan_publish",
    "check_qualification",
    "qualification_add",
    "record_is_posted",
    "service_record_import",
    "service_record_post_proceeds",
    "service_record_save",
    "volunteer_post_create",
]
