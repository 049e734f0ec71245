"""Bank statement import: match the custodian's lines to pledges and donations.

All or nothing: every row is checked first; any row error refuses the whole
file with the list of errors. A bank reference is imported once per fund, so a
second import of the same statement posts nothing.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from core.pagecache import page_cache_invalidates
from federation.models import User

from ..models import (
    BankImport,
    BankTransaction,
    Donation,
    Fund,
    JournalEntry,
    Pledge,
    PledgeInstalment,
)
from . import _common
from .gifts import _instalment_receive

DONATION_MATCH_DAYS = 31


@dataclass
class StatementRow:
    """One parsed line; ``error`` is set when the line could not be read."""

    row_number: int
    booked_on: datetime.date | None = None
    reference: str = ""
    amount: Decimal | None = None
    payer: str = ""
    memo: str = ""
    error: ValidationError | None = None


@dataclass
class _Plan:
    skip: list[StatementRow] = field(default_factory=list)
    link: list[tuple[StatementRow, Donation]] = field(default_factory=list)
    receive: list[tuple[StatementRow, PledgeInstalment]] = field(default_factory=list)


def _row_error(row: StatementRow, message: str, code: str) -> ValidationError:
    return ValidationError(
        _("Row %(row)s: %(problem)s") % {"row": row.row_number, "problem": message},
        code=code,
        params={"row": row.row_number},
    )


def _find_pledge(fund: Fund, row: StatementRow, pledges: list[Pledge]) -> Pledge | None:
    text = f"{row.memo} {row.payer}".upper()
    return next((pledge for pledge in pledges if pledge.code.upper() in text), None)


def _find_donation(fund: Fund, row: StatementRow, taken: set[int]) -> Donation | None:
    window = datetime.timedelta(days=DONATION_MATCH_DAYS)
    candidates = (
        Donation.objects.filter(
            fund=fund,
            form=Donation.Form.MONEY,
            amount=row.amount,
            donor__name=row.payer.strip(),
            received_on__range=(row.booked_on - window, row.booked_on + window),
        )
        # NOT EXISTS, not the LEFT JOIN … IS NULL of ``entry__…__isnull`` (misestimated):
        # not yet linked to a bank line, and not reversed.
        .filter(
            ~Exists(BankTransaction.objects.filter(entry=OuterRef("entry_id"))),
            ~Exists(JournalEntry.objects.filter(reverses=OuterRef("entry_id"))),
        )
        .exclude(pk__in=taken)
        .order_by("received_on", "pk")
    )
    return candidates.first()


def _statement_plan(fund: Fund, rows: list[StatementRow]) -> tuple[_Plan, list[ValidationError]]:
    """What to do with each row (skip, link, receive), and what is wrong with the others."""
    known = set(
        BankTransaction.objects.filter(
            fund=fund, reference__in=[row.reference for row in rows if row.reference]
        ).values_list("reference", flat=True)
    )
    pledges = list(Pledge.objects.filter(fund=fund, status=Pledge.Status.ACTIVE))
    errors: list[ValidationError] = []
    plan = _Plan()
    seen: set[str] = set()
    taken_donations: set[int] = set()
    taken_instalments: set[int] = set()
    for row in rows:
        if row.error is not None:
            errors.append(row.error)
            continue
        if row.reference in seen:
            errors.append(_row_error(row, _("the reference appears twice."), "duplicate_row"))
            continue
        seen.add(row.reference)
        if row.reference in known:
            plan.skip.append(row)
            continue
        if row.amount <= 0:
            errors.append(
                _row_error(
                    row,
                    _("an outgoing payment; record grant payments with their bank reference."),
                    "outgoing_unmatched",
                )
            )
            continue
        pledge = _find_pledge(fund, row, pledges)
        if pledge is not None:
            instalment = (
                pledge.instalments.filter(status=PledgeInstalment.Status.DUE)
                .exclude(pk__in=taken_instalments)
                .order_by("sequence")
                .first()
            )
            if instalment is None:
                errors.append(
                    _row_error(
                        row,
                        _("pledge %(code)s has no instalment due.") % {"code": pledge.code},
                        "no_instalment_due",
                    )
                )
                continue
            try:
                _common.check_open_date(fund, row.booked_on)
            except ValidationError as exc:
                errors.append(_row_error(row, exc.messages[0], exc.code))
                continue
            taken_instalments.add(instalment.pk)
            plan.receive.append((row, instalment))
            continue
        donation = _find_donation(fund, row, taken_donations)
        if donation is not None:
            taken_donations.add(donation.pk)
            plan.link.append((row, donation))
            continue
        errors.append(
            _row_error(
                row,
                _(
                    "no pledge code in the memo and no recorded donation of this amount from this payer."
                ),
                "unmatched",
            )
        )
    return plan, errors


def _statement_apply(fund: Fund, plan: _Plan, *, batch: BankImport, acting_user: User) -> None:
    """Link the matched donations and receive the matched pledge instalments."""
    assert transaction.get_connection().in_atomic_block
    for row, donation in plan.link:
        BankTransaction.objects.create(
            fund=fund,
            reference=row.reference,
            booked_on=row.booked_on,
            amount=row.amount,
            payer=row.payer[:200],
            memo=row.memo[:300],
            entry=donation.entry,
            bank_import=batch,
        )
    for row, instalment in plan.receive:
        _instalment_receive(
            instalment=instalment,
            amount=row.amount,
            received_on=row.booked_on,
            bank_reference=row.reference,
            acting_user=acting_user,
        )
        BankTransaction.objects.filter(fund=fund, reference=row.reference).update(
            bank_import=batch, memo=row.memo[:300]
        )


@transaction.atomic(durable=True)
@page_cache_invalidates("funds")
def bank_statement_import(
    *, fund: Fund, rows: list[StatementRow], file_name: str, acting_user: User
) -> BankImport:
    """Import a statement: pledge receipts are posted, recorded donations are linked,

    known references are skipped. Refuses the whole file (ValidationError with
    one error per bad row) when any row is unreadable, duplicated, outgoing,
    unmatched or dated in a closed period.
    """
    _common.require_manager(acting_user)
    fund = _common.fund_lock(fund)
    if not rows:
        raise ValidationError(_("The statement has no rows."), code="empty_file")
    plan, errors = _statement_plan(fund, rows)
    if errors:
        raise ValidationError(errors)
    batch = BankImport.objects.create(
        fund=fund,
        file_name=file_name[:200],
        row_count=len(rows),
        skipped_count=len(plan.skip),
        matched_count=len(plan.link),
        posted_count=len(plan.receive),
        imported_by=acting_user,
    )
    _statement_apply(fund, plan, batch=batch, acting_user=acting_user)
    return batch
