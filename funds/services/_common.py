"""Private helpers shared by the fund services; each runs inside the caller's transaction."""

import datetime
import uuid
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from federation.models import User

from ..models import Account, ClosedPeriod, Fund, JournalEntry, NumberSeries, Posting
from ..money import money

Line = tuple[Account, str, Decimal]


def _assert_in_transaction() -> None:
    assert transaction.get_connection().in_atomic_block, "call inside a transaction"


def require_manager(user: User) -> None:
    """Refuse anyone who is not a fund manager (superusers are)."""
    if not (
        user and user.is_authenticated and user.is_active and user.has_perm("funds.manage_fund")
    ):
        raise ValidationError(_("Only fund managers may do this."), code="not_allowed")


def fund_lock(fund: Fund) -> Fund:
    """Lock the fund row: the one lock that serialises its balance and period rules."""
    _assert_in_transaction()
    return Fund.objects.select_for_update(no_key=True).get(pk=fund.pk)


def account_for(fund: Fund, role: str) -> Account:
    try:
        return Account.objects.get(fund=fund, role=role, is_active=True)
    except Account.DoesNotExist:
        raise ValidationError(
            _("The fund has no active account for %(role)s.") % {"role": role},
            code="account_missing",
        ) from None


def next_number(fund: Fund, series: str, year: int) -> int:
    """The next number of a gapless series; the counter row stays locked until commit."""
    _assert_in_transaction()
    # A concurrent first use of a year waits here for the other insert, then does nothing.
    NumberSeries.objects.bulk_create(
        [NumberSeries(fund=fund, series=series, year=year, last_number=0)],
        ignore_conflicts=True,
    )
    counter = NumberSeries.objects.select_for_update(no_key=True).get(
        fund=fund, series=series, year=year
    )
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number


def check_open_date(fund: Fund, day: datetime.date, *, allow_future: bool = False) -> None:
    if not isinstance(day, datetime.date) or isinstance(day, datetime.datetime):
        raise TypeError("entry dates are datetime.date")
    if not allow_future and day > timezone.localdate():
        raise ValidationError(_("The date is in the future."), code="date_in_future")
    if ClosedPeriod.objects.filter(fund=fund, year=day.year).exists():
        raise ValidationError(
            _("%(year)s is closed: no entry may be dated in it.") % {"year": day.year},
            code="period_closed",
        )


def _checked_lines(fund: Fund, lines: Iterable[Line]) -> list[Line]:
    """The lines with amounts as money; refuses too few, foreign, closed or unbalanced."""
    lines = list(lines)
    if len(lines) < 2:
        raise ValidationError(_("An entry needs at least two postings."), code="too_few_postings")
    debit = credit = Decimal("0.00")
    checked: list[Line] = []
    for account, side, amount in lines:
        amount = money(amount)
        if account.fund_id != fund.pk:
            raise ValidationError(
                _("Account %(code)s belongs to another fund.") % {"code": account.code},
                code="foreign_account",
            )
        if not account.is_active:
            raise ValidationError(
                _("Account %(code)s is closed.") % {"code": account.code}, code="inactive_account"
            )
        if side == Posting.Side.DEBIT:
            debit += amount
        elif side == Posting.Side.CREDIT:
            credit += amount
        else:
            raise ValueError(f"unknown side {side!r}")
        checked.append((account, side, amount))
    if debit != credit:
        raise ValidationError(
            _("Debits (%(debit)s) and credits (%(credit)s) differ.")
            % {"debit": debit, "credit": credit},
            code="unbalanced",
        )
    return checked


def _refuse_posted_submission(submission_key: uuid.UUID | None) -> None:
    """Refuse a form already posted (``duplicate_submission``); call it under the fund lock."""
    if submission_key is None:
        return
    posted = (
        JournalEntry.objects.filter(submission_key=submission_key)
        .values_list("number", flat=True)
        .first()
    )
    if posted is not None:
        raise ValidationError(
            _("This form was already sent; the entry is %(number)s."),
            code="duplicate_submission",
            params={"number": posted},
        )


def entry_post(
    *,
    fund: Fund,
    entry_on: datetime.date,
    kind: str,
    description: str,
    lines: Iterable[Line],
    posted_by: User,
    source_reference: str = "",
    reverses: JournalEntry | None = None,
    submission_key: uuid.UUID | None = None,
) -> JournalEntry:
    """Post a balanced, numbered entry. Locks the fund; refuses unbalanced or closed-period,

    and a ``submission_key`` already posted (the same form sent twice).
    """
    _assert_in_transaction()
    checked = _checked_lines(fund, lines)
    fund = fund_lock(fund)
    # After the lock: a racing request with the same key waits here until the first commits.
    _refuse_posted_submission(submission_key)
    check_open_date(fund, entry_on)
    sequence = next_number(fund, NumberSeries.Series.ENTRY, entry_on.year)
    try:
        entry = JournalEntry.objects.create(
            fund=fund,
            number=f"{fund.code}-{entry_on.year}-{sequence:04d}",
            year=entry_on.year,
            sequence=sequence,
            entry_on=entry_on,
            kind=kind,
            description=description[:300],
            source_reference=source_reference[:100],
            reverses=reverses,
            posted_by=posted_by,
            posted_at=timezone.now(),
            submission_key=submission_key,
        )
    except IntegrityError as exc:
        # Only a race across two funds gets past the check; the aborted transaction
        # cannot look the entry up, so the refusal does not name it.
        if submission_key is None or "submission_key" not in str(exc):
            raise
        raise ValidationError(
            _("This form was already sent."), code="duplicate_submission"
        ) from exc
    Posting.objects.bulk_create(
        Posting(entry=entry, account=account, side=side, amount=amount, entry_on=entry_on)
        for account, side, amount in checked
    )
    return entry


def reversal_lines(entry: JournalEntry) -> list[Line]:
    """The entry's postings with debit and credit swapped."""
    swap = {Posting.Side.DEBIT: Posting.Side.CREDIT, Posting.Side.CREDIT: Posting.Side.DEBIT}
    return [
        (posting.account, swap[posting.side], posting.amount)
        for posting in entry.postings.select_related("account").order_by("pk")
    ]


def available_balance(fund: Fund) -> Decimal:
    """Money not yet promised: cash at the custodian less grants approved but unpaid."""
    from ..totals import account_totals

    accounts = list(
        Account.objects.filter(fund=fund, role__in=(Account.Role.CASH, Account.Role.GRANTS_PAYABLE))
    )
    totals = account_totals(fund=fund, accounts=accounts)
    return sum((debit - credit for debit, credit in totals.values()), Decimal("0.00"))
