"""Writes for the Spring Bud Fund. Nothing else writes to the ledger.

Invariants owned here (and, on PostgreSQL, also by the triggers of migrations 0002
and 0008):
- every journal entry has two or more postings of a positive Decimal amount and
  its debits equal its credits;
- entries are append-only: a mistake is corrected by a reversing entry linked
  to the original (``reverses``), a grant by its cancellation entry;
- entries are numbered per fund and year without gaps (``SBF-2024-0001``): the
  number comes from a counter row locked until the posting transaction ends;
- no entry is dated in a closed year, nor in the future; an entry's postings are
  fixed when it is posted (none added later, none added in a closed year);
- closing a year seals it (counts, debit total, a digest chained to the previous
  closed year's); the nightly integrity check alerts when a seal no longer matches;
- money is Decimal with two places: a float raises TypeError wherever it enters;
- every business form (donation, charity sale, performance, pledge receipt,
  grant commitment, payment, cancellation) posts exactly one entry;
- a grant needs two approvals by two different fund managers, neither of whom
  applied for or entered it; approvals lock the fund row, so the available
  balance (cash less grants payable) never goes below zero;
- a bank reference is recorded once per fund; a statement import is all or nothing.
- a staff form posts once: its ``submission_key`` (minted when the form is shown,
  unique on the entry) is checked after the fund lock, so a double click, a
  retried POST or a second tab is refused with ``duplicate_submission``.

Every service locks the fund row first (one lock, taken before the counter
row), so postings of a fund are serialised.
"""

from .bank import StatementRow, bank_statement_import
from .gifts import (
    NewDonor,
    acknowledgement_letter_issue,
    charity_performance_record,
    charity_sale_record,
    donation_receipt_update,
    donation_record,
    pledge_cancel,
    pledge_create,
    pledge_instalment_receive,
)
from .grants import (
    grant_apply,
    grant_approve,
    grant_cancel,
    grant_enter,
    grant_pay,
    grant_progress_submit,
    grant_reject,
    grant_report_submit,
    grant_review,
    grant_withdraw,
)
from .ledger import (
    IntegrityReport,
    fund_role_check,
    fund_role_grant,
    journal_entry_post,
    journal_entry_reverse,
    ledger_integrity_check,
    period_close,
)

__all__ = [
    "IntegrityReport",
    "NewDonor",
    "StatementRow",
    "acknowledgement_letter_issue",
    "bank_statement_import",
    "charity_performance_record",
    "charity_sale_record",
    "donation_receipt_update",
    "donation_record",
    "fund_role_check",
    "fund_role_grant",
    "grant_apply",
    "grant_approve",
    "grant_cancel",
    "grant_enter",
    "grant_pay",
    "grant_progress_submit",
    "grant_reject",
    "grant_report_submit",
    "grant_review",
    "grant_withdraw",
    "journal_entry_post",
    "journal_entry_reverse",
    "ledger_integrity_check",
    "period_close",
    "pledge_cancel",
    "pledge_create",
    "pledge_instalment_receive",
]
