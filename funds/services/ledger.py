"""Ledger services: manual entries, reversals, closing a year, the nightly integrity check."""

import datetime
import logging
import uuid
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.links import absolute_url
from core.pagecache import page_cache_invalidates
from federation.models import User

from ..models import Account, ClosedPeriod, Fund, JournalEntry, PledgeInstalment, Posting
from ..roles import FUND_AUDITORS, FUND_MANAGERS
from ..seal import Seal, seal_compute
from ..totals import closed_year_totals_mismatched, year_totals_store
from . import _common

logger = logging.getLogger(__name__)


@transaction.atomic(durable=True)
@page_cache_invalidates("funds")
def journal_entry_post(
    *,
    fund: Fund,
    entry_on: datetime.date,
    description: str,
    lines: list[tuple[Account, str, Decimal]],
    source_reference: str = "",
    submission_key: uuid.UUID | None = None,
    acting_user: User,
) -> JournalEntry:
    """Post a manual entry (opening balances, fees, corrections). Refuses unbalanced ones."""
    _common.require_manager(acting_user)
    if not description.strip():
        raise ValidationError(_("Describe the entry."), code="description_missing")
    kind = JournalEntry.Kind.MANUAL
    return _common.entry_post(
        fund=fund,
        entry_on=entry_on,
        kind=kind,
        description=description.strip(),
        lines=lines,
        posted_by=acting_user,
        source_reference=source_reference,
        submission_key=submission_key,
    )


@transaction.atomic(durable=True)
@page_cache_invalidates("funds")
def journal_entry_reverse(
    *,
    entry: JournalEntry,
    reversed_on: datetime.date | None = None,
    reason: str,
    acting_user: User,
) -> JournalEntry:
    """Post the mirror image of ``entry``, linked to it. Refuses a second reversal,

    reversing a reversal, and grant entries (cancel the grant instead).
    """
    _common.require_manager(acting_user)
    fund = _common.fund_lock(entry.fund)
    entry = JournalEntry.objects.select_related("fund").get(pk=entry.pk)
    if entry.kind == JournalEntry.Kind.REVERSAL:
        raise ValidationError(_("A reversal cannot be reversed."), code="is_reversal")
    if entry.kind in JournalEntry.GRANT_KINDS:
        raise ValidationError(
            _("Grant entries are corrected by cancelling the grant."), code="grant_entry"
        )
    if JournalEntry.objects.filter(reverses=entry).exists():
        raise ValidationError(_("This entry has already been reversed."), code="already_reversed")
    if not reason.strip():
        raise ValidationError(_("Give the reason for the reversal."), code="reason_missing")
    if entry.kind == JournalEntry.Kind.PLEDGE_RECEIPT:
        # The instalment is due again once its receipt is undone.
        PledgeInstalment.objects.filter(entry=entry).update(
            status=PledgeInstalment.Status.DUE, entry=None, received_amount=None, received_on=None
        )
    return _common.entry_post(
        fund=fund,
        entry_on=reversed_on or timezone.localdate(),
        kind=JournalEntry.Kind.REVERSAL,
        description=_("Reversal of %(number)s: %(reason)s")
        % {"number": entry.number, "reason": reason.strip()},
        lines=_common.reversal_lines(entry),
        posted_by=acting_user,
        source_reference=entry.number,
        reverses=entry,
    )


@transaction.atomic(durable=True)
@page_cache_invalidates("funds")
def period_close(*, fund: Fund, year: int, acting_user: User) -> ClosedPeriod:
    """Close a finished year: afterwards no entry may be dated in it. Refuses the current year."""
    _common.require_manager(acting_user)
    fund = _common.fund_lock(fund)
    if year >= timezone.localdate().year:
        raise ValidationError(_("Only a year that has ended can be closed."), code="year_not_ended")
    if ClosedPeriod.objects.filter(fund=fund, year=year).exists():
        raise ValidationError(
            _("%(year)s is already closed.") % {"year": year}, code="already_closed"
        )
    seal = _seal(fund=fund, year=year, previous=_previous_digest(fund=fund, year=year))
    # The year's totals, stored once: reports read them instead of its postings.
    year_totals_store(fund=fund, year=year)
    return ClosedPeriod.objects.create(
        fund=fund,
        year=year,
        closed_by=acting_user,
        closed_at=timezone.now(),
        entry_count=seal.entry_count,
        posting_count=seal.posting_count,
        debit_total=seal.debit_total,
        digest=seal.digest,
    )


def _seal(*, fund: Fund, year: int, previous: str) -> Seal:
    return seal_compute(
        entry_model=JournalEntry,
        posting_model=Posting,
        fund_id=fund.pk,
        year=year,
        previous=previous,
    )


def _previous_digest(*, fund: Fund, year: int) -> str:
    previous = ClosedPeriod.objects.filter(fund=fund, year__lt=year).order_by("-year").first()
    return previous.digest if previous else ""


def _broken_seals(fund: Fund) -> list[int]:
    """Closed years whose entries or postings no longer match the seal taken at closing."""
    broken, previous = [], ""
    for period in ClosedPeriod.objects.filter(fund=fund).order_by("year"):
        seal = _seal(fund=fund, year=period.year, previous=previous)
        stored = Seal(
            entry_count=period.entry_count,
            posting_count=period.posting_count,
            debit_total=period.debit_total,
            digest=period.digest,
        )
        if seal != stored:
            broken.append(period.year)
        previous = period.digest
    return broken


def fund_role_check(
    *, user: User, role: str, acting_user: User | None, is_staff: bool | None = None
) -> None:
    """Refuse giving ``role`` to ``user`` unless an administrator gives it to staff.

    The one rule for fund roles: the service below and the user admin (through
    ``federation.group_guards``) both call it. ``is_staff`` is the value about to
    be saved when it differs from the stored one (a form changing both at once).
    """
    if role not in (FUND_MANAGERS, FUND_AUDITORS):
        raise ValueError(f"unknown fund role {role!r}")
    if acting_user is not None and not acting_user.is_superuser:
        raise ValidationError(_("Only an administrator may give fund roles."), code="not_allowed")
    if not (user.is_staff if is_staff is None else is_staff):
        raise ValidationError(_("Fund roles are for federation staff."), code="not_staff")


@transaction.atomic(durable=True)
@page_cache_invalidates("funds")
def fund_role_grant(*, user: User, role: str, acting_user: User | None) -> None:
    """Put ``user`` in the fund managers or auditors group (staff only)."""
    fund_role_check(user=user, role=role, acting_user=acting_user)
    group, _created = Group.objects.get_or_create(name=role)
    user.groups.add(group)


@dataclass
class IntegrityReport:
    """What the nightly check found for one fund."""

    fund: Fund
    unbalanced_numbers: list[str] = field(default_factory=list)
    trial_balance_difference: Decimal = Decimal("0.00")
    broken_seal_years: list[int] = field(default_factory=list)
    # Closed years whose stored totals no longer match their postings.
    broken_total_years: list[int] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return (
            not self.unbalanced_numbers
            and self.trial_balance_difference == 0
            and not self.broken_seal_years
            and not self.broken_total_years
        )


@transaction.atomic(durable=True)
@page_cache_invalidates("funds")
def ledger_integrity_check(*, today: datetime.date | None = None) -> list[IntegrityReport]:
    """Re-check every entry balances, each trial balance is zero, every closed year

    still matches its seal and its stored totals; alert managers if not.
    """
    today = today or timezone.localdate()
    reports = []
    for fund in Fund.objects.order_by("pk"):
        report = IntegrityReport(fund=fund)
        report.unbalanced_numbers = list(
            JournalEntry.objects.filter(fund=fund).unbalanced().values_list("number", flat=True)
        )
        report.trial_balance_difference = Posting.objects.filter(
            account__fund=fund
        ).debit_minus_credit()
        report.broken_seal_years = _broken_seals(fund)
        report.broken_total_years = closed_year_totals_mismatched(fund)
        reports.append(report)
        if report.ok:
            continue
        logger.error(
            "fund %s integrity: %d unbalanced entries, trial balance off by %s, seals broken: %s,"
            " stored totals off: %s",
            fund.code,
            len(report.unbalanced_numbers),
            report.trial_balance_difference,
            report.broken_seal_years,
            report.broken_total_years,
        )
        _alert(report, today)
    return reports


def _alert(report: IntegrityReport, today: datetime.date) -> None:
    from notifications.services import message_enqueue

    from ..selectors import fund_manager_list

    for user in fund_manager_list():
        message_enqueue(
            kind="fund_integrity_alert",
            recipient=user,
            template="funds/email/fund_integrity_alert",
            context={
                "fund_name": report.fund.name_zh,
                "fund_code": report.fund.code,
                "unbalanced_numbers": report.unbalanced_numbers[:50],
                "unbalanced_count": len(report.unbalanced_numbers),
                "difference": report.trial_balance_difference,
                "broken_seal_years": report.broken_seal_years,
                "broken_total_years": report.broken_total_years,
                "checked_on": today,
                "url": absolute_url(
                    reverse("funds:manage-dashboard", kwargs={"fund": report.fund.code})
                ),
            },
            dedupe_key=f"fund_integrity_alert:{report.fund.code}:{today.isoformat()}:{user.pk}",
        )
