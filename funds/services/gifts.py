"""Income services: each business form posts exactly one journal entry."""

import datetime
import uuid
from dataclasses import dataclass
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.pagecache import page_cache_invalidates
from federation.models import User

from ..models import (
    Account,
    AcknowledgementLetter,
    BankTransaction,
    CharityPerformance,
    CharitySale,
    Donation,
    Donor,
    Fund,
    JournalEntry,
    NumberSeries,
    Pledge,
    PledgeInstalment,
    Posting,
)
from ..money import charity_sale_proceeds, money
from . import _common

DEBIT, CREDIT = Posting.Side.DEBIT, Posting.Side.CREDIT


@dataclass(frozen=True)
class NewDonor:
    """Details of a donor not on file yet, created with the gift."""

    kind: str
    name: str
    public_display: str = Donor.PublicDisplay.NAMED
    email: str = ""
    phone: str = ""


def _donor_resolve(donor: Donor | None, new_donor: NewDonor | None) -> Donor | None:
    if donor is not None and new_donor is not None:
        raise ValueError("give donor or new_donor, not both")
    if new_donor is None:
        return donor
    if new_donor.kind not in Donor.Kind.values:
        raise ValidationError(_("Choose the kind of donor."), code="donor_kind")
    if new_donor.public_display not in Donor.PublicDisplay.values:
        raise ValidationError(_("Choose how the donor is shown."), code="donor_display")
    if not new_donor.name.strip():
        raise ValidationError(_("Enter the donor's name."), code="donor_name_missing")
    return Donor.objects.create(
        kind=new_donor.kind,
        name=new_donor.name.strip(),
        public_display=new_donor.public_display,
        email=new_donor.email.strip(),
        phone=new_donor.phone.strip(),
    )


def _bank_reference_add(
    *, fund: Fund, reference: str, entry: JournalEntry, amount: Decimal, payer: str
) -> None:
    reference = reference.strip()
    if not reference:
        return
    if BankTransaction.objects.filter(fund=fund, reference=reference).exists():
        raise ValidationError(
            _("Bank reference %(reference)s is already recorded.") % {"reference": reference},
            code="duplicate_bank_reference",
        )
    BankTransaction.objects.create(
        fund=fund,
        reference=reference,
        booked_on=entry.entry_on,
        amount=amount,
        payer=payer[:200],
        entry=entry,
    )


def _receipt_status_for(donor: Donor | None, receipt_status: str) -> str:
    """An anonymous gift's receipt is "anonymous"; a known donor's never is."""
    if donor is None:
        return Donation.ReceiptStatus.ANONYMOUS
    if receipt_status == Donation.ReceiptStatus.ANONYMOUS:
        raise ValidationError(
            _(
                "A gift with a known donor is not anonymous; the donor may choose to be shown anonymously."
            ),
            code="receipt_anonymous_with_donor",
        )
    return receipt_status


def _check_donation_details(
    *,
    form: str,
    channel: str,
    goods_description: str,
    receipt_status: str,
    receipt_number: str,
    receipt_issued_on: datetime.date | None,
) -> None:
    """Refuse an unknown form or channel, undescribed goods, an incomplete issued receipt."""
    if form not in Donation.Form.values or channel not in Donation.Channel.values:
        raise ValidationError(_("Choose the form and the channel."), code="invalid_choice")
    if form == Donation.Form.IN_KIND and not goods_description.strip():
        raise ValidationError(_("Describe the goods."), code="goods_missing")
    if receipt_status == Donation.ReceiptStatus.ISSUED and not (
        receipt_number.strip() and receipt_issued_on
    ):
        raise ValidationError(
            _("An issued receipt needs its number and date."), code="receipt_incomplete"
        )


@transaction.atomic(durable=True)
@page_cache_invalidates("funds")
def donation_record(
    *,
    fund: Fund,
    donor: Donor | None = None,
    new_donor: NewDonor | None = None,
    form: str = Donation.Form.MONEY,
    amount: Decimal,
    goods_description: str = "",
    channel: str,
    received_on: datetime.date,
    restricted_purpose: str = "",
    receipt_status: str = Donation.ReceiptStatus.PENDING,
    receipt_number: str = "",
    receipt_issued_on: datetime.date | None = None,
    bank_reference: str = "",
    submission_key: uuid.UUID | None = None,
    acting_user: User,
) -> Donation:
    """Record a gift and post it (cash or goods / donation income).

    Without a donor the gift is anonymous and its receipt status is "anonymous".
    Refuses a float or non-positive amount, undescribed goods, an incomplete
    receipt, a closed period, a known bank reference, a form already sent (``submission_key``).
    """
    _common.require_manager(acting_user)
    amount = money(amount)
    donor = _donor_resolve(donor, new_donor)
    receipt_status = _receipt_status_for(donor, receipt_status)
    _check_donation_details(
        form=form,
        channel=channel,
        goods_description=goods_description,
        receipt_status=receipt_status,
        receipt_number=receipt_number,
        receipt_issued_on=receipt_issued_on,
    )
    debit_role = Account.Role.IN_KIND_GOODS if form == Donation.Form.IN_KIND else Account.Role.CASH
    donor_name = donor.name if donor else _("anonymous")
    entry = _common.entry_post(
        fund=fund,
        entry_on=received_on,
        kind=JournalEntry.Kind.DONATION,
        description=_("Donation from %(donor)s") % {"donor": donor_name},
        lines=[
            (_common.account_for(fund, debit_role), DEBIT, amount),
            (_common.account_for(fund, Account.Role.DONATION_INCOME), CREDIT, amount),
        ],
        posted_by=acting_user,
        source_reference=bank_reference.strip() or receipt_number.strip(),
        submission_key=submission_key,
    )
    donation = Donation.objects.create(
        fund=entry.fund,
        donor=donor,
        form=form,
        amount=amount,
        goods_description=goods_description.strip(),
        channel=channel,
        received_on=received_on,
        restricted_purpose=restricted_purpose.strip(),
        receipt_status=receipt_status,
        receipt_number=receipt_number.strip(),
        receipt_issued_on=receipt_issued_on,
        entry=entry,
        created_by=acting_user,
    )
    _bank_reference_add(
        fund=entry.fund,
        reference=bank_reference,
        entry=entry,
        amount=amount,
        payer=donor.name if donor else "",
    )
    return donation


@transaction.atomic(durable=True)
@page_cache_invalidates("funds")
def donation_receipt_update(
    *,
    donation: Donation,
    receipt_status: str,
    receipt_number: str = "",
    receipt_issued_on: datetime.date | None = None,
    acting_user: User,
) -> Donation:
    """Record the custodian's official receipt, or the donor declining one."""
    _common.require_manager(acting_user)
    donation = Donation.objects.select_for_update(no_key=True).get(pk=donation.pk)
    if donation.donor_id is None:
        raise ValidationError(_("An anonymous gift has no receipt."), code="anonymous_gift")
    if receipt_status not in (
        Donation.ReceiptStatus.ISSUED,
        Donation.ReceiptStatus.DECLINED,
        Donation.ReceiptStatus.PENDING,
    ):
        raise ValidationError(_("Choose the receipt status."), code="invalid_choice")
    if receipt_status == Donation.ReceiptStatus.ISSUED and not (
        receipt_number.strip() and receipt_issued_on
    ):
        raise ValidationError(
            _("An issued receipt needs its number and date."), code="receipt_incomplete"
        )
    issued = receipt_status == Donation.ReceiptStatus.ISSUED
    donation.receipt_status = receipt_status
    donation.receipt_number = receipt_number.strip() if issued else ""
    donation.receipt_issued_on = receipt_issued_on if issued else None
    donation.save(update_fields=["receipt_status", "receipt_number", "receipt_issued_on"])
    return donation


@transaction.atomic(durable=True)
@page_cache_invalidates("funds")
def charity_sale_record(
    *,
    fund: Fund,
    company: Donor | None = None,
    new_company: NewDonor | None = None,
    title: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    turnover: Decimal,
    share_percent: Decimal,
    received_on: datetime.date,
    expected_proceeds: Decimal | None = None,
    event=None,
    bank_reference: str = "",
    submission_key: uuid.UUID | None = None,
    acting_user: User,
) -> CharitySale:
    """Record a company's charity sale; proceeds = turnover × share %, half-up to the fen.

    ``expected_proceeds`` is what the preview showed: a different result is refused.
    """
    _common.require_manager(acting_user)
    turnover = money(turnover)
    if isinstance(share_percent, float):
        raise TypeError("share_percent must be a Decimal, never a float")
    share_percent = Decimal(share_percent)
    if not (0 < share_percent <= 100):
        raise ValidationError(_("The share is between 0 and 100 %."), code="share_range")
    if ends_on < starts_on:
        raise ValidationError(_("The sale ends before it starts."), code="period_order")
    company = _donor_resolve(company, new_company)
    if company is None:
        raise ValidationError(_("Name the company."), code="company_missing")
    proceeds = charity_sale_proceeds(turnover=turnover, share_percent=share_percent)
    if proceeds <= 0:
        raise ValidationError(_("The proceeds round to nothing."), code="not_positive")
    if expected_proceeds is not None and money(expected_proceeds) != proceeds:
        raise ValidationError(
            _("The proceeds differ from the preview; check the figures again."),
            code="proceeds_changed",
        )
    entry = _common.entry_post(
        fund=fund,
        entry_on=received_on,
        kind=JournalEntry.Kind.CHARITY_SALE,
        description=_("Charity sale: %(title)s (%(company)s)")
        % {"title": title, "company": company.name},
        lines=[
            (_common.account_for(fund, Account.Role.CASH), DEBIT, proceeds),
            (_common.account_for(fund, Account.Role.CHARITY_SALE_INCOME), CREDIT, proceeds),
        ],
        posted_by=acting_user,
        source_reference=bank_reference.strip(),
        submission_key=submission_key,
    )
    sale = CharitySale.objects.create(
        fund=entry.fund,
        company=company,
        title=title.strip(),
        event=event,
        starts_on=starts_on,
        ends_on=ends_on,
        turnover=turnover,
        share_percent=share_percent,
        proceeds=proceeds,
        received_on=received_on,
        entry=entry,
        created_by=acting_user,
    )
    _bank_reference_add(
        fund=entry.fund, reference=bank_reference, entry=entry, amount=proceeds, payer=company.name
    )
    return sale


@transaction.atomic(durable=True)
@page_cache_invalidates("funds")
def charity_performance_record(
    *,
    fund: Fund,
    title: str,
    performed_on: datetime.date,
    ticket_income: Decimal,
    gift_income: Decimal,
    costs: Decimal,
    received_on: datetime.date,
    event=None,
    bank_reference: str = "",
    submission_key: uuid.UUID | None = None,
    acting_user: User,
) -> CharityPerformance:
    """Record a charity performance; its net proceeds (tickets + gifts − costs) are posted."""
    _common.require_manager(acting_user)
    ticket_income = money(ticket_income, allow_zero=True)
    gift_income = money(gift_income, allow_zero=True)
    costs = money(costs, allow_zero=True)
    net = ticket_income + gift_income - costs
    if net <= 0:
        raise ValidationError(_("The net proceeds must be more than zero."), code="not_positive")
    entry = _common.entry_post(
        fund=fund,
        entry_on=received_on,
        kind=JournalEntry.Kind.PERFORMANCE,
        description=_("Charity performance: %(title)s") % {"title": title},
        lines=[
            (_common.account_for(fund, Account.Role.CASH), DEBIT, net),
            (_common.account_for(fund, Account.Role.PERFORMANCE_INCOME), CREDIT, net),
        ],
        posted_by=acting_user,
        source_reference=bank_reference.strip(),
        submission_key=submission_key,
    )
    performance = CharityPerformance.objects.create(
        fund=entry.fund,
        title=title.strip(),
        event=event,
        performed_on=performed_on,
        ticket_income=ticket_income,
        gift_income=gift_income,
        costs=costs,
        net_proceeds=net,
        received_on=received_on,
        entry=entry,
        created_by=acting_user,
    )
    _bank_reference_add(
        fund=entry.fund, reference=bank_reference, entry=entry, amount=net, payer=""
    )
    return performance


@transaction.atomic(durable=True)
@page_cache_invalidates("funds")
def pledge_create(
    *,
    fund: Fund,
    donor: Donor | None = None,
    new_donor: NewDonor | None = None,
    description: str,
    income_kind: str = Pledge.IncomeKind.DONATION,
    share_percent: Decimal = Decimal("100"),
    expected_amount: Decimal | None = None,
    starts_on: datetime.date,
    instalment_count: int,
    acting_user: User,
) -> Pledge:
    """Record a recurring promise with its monthly schedule (no entry until money arrives)."""
    _common.require_manager(acting_user)
    donor = _donor_resolve(donor, new_donor)
    if donor is None:
        raise ValidationError(_("A pledge needs a donor."), code="donor_missing")
    if not 1 <= instalment_count <= 120:
        raise ValidationError(_("Between 1 and 120 monthly instalments."), code="count_range")
    if isinstance(share_percent, float):
        raise TypeError("share_percent must be a Decimal, never a float")
    if not (0 < Decimal(share_percent) <= 100):
        raise ValidationError(_("The share is between 0 and 100 %."), code="share_range")
    if expected_amount is not None:
        expected_amount = money(expected_amount)
    fund = _common.fund_lock(fund)
    number = _common.next_number(fund, NumberSeries.Series.PLEDGE, starts_on.year)
    pledge = Pledge.objects.create(
        fund=fund,
        code=f"{fund.code}-P-{starts_on.year}-{number:02d}",
        donor=donor,
        description=description.strip(),
        income_kind=income_kind,
        share_percent=Decimal(share_percent),
        expected_amount=expected_amount,
        starts_on=starts_on,
        instalment_count=instalment_count,
        created_by=acting_user,
    )
    PledgeInstalment.objects.bulk_create(
        PledgeInstalment(
            pledge=pledge, sequence=index + 1, due_on=starts_on + relativedelta(months=index)
        )
        for index in range(instalment_count)
    )
    return pledge


def _instalment_receive(
    *,
    instalment: PledgeInstalment,
    amount: Decimal,
    received_on: datetime.date,
    bank_reference: str,
    acting_user: User,
) -> PledgeInstalment:
    """Post a pledge receipt against ``instalment`` (fund already locked by the caller)."""
    _common._assert_in_transaction()
    instalment = PledgeInstalment.objects.select_related("pledge__donor", "pledge__fund").get(
        pk=instalment.pk
    )
    pledge = instalment.pledge
    if pledge.status != Pledge.Status.ACTIVE:
        raise ValidationError(_("The pledge is not active."), code="pledge_not_active")
    if instalment.status != PledgeInstalment.Status.DUE:
        raise ValidationError(
            _("Instalment %(number)s is not due any more.") % {"number": instalment.sequence},
            code="instalment_not_due",
        )
    income_role = (
        Account.Role.CHARITY_SALE_INCOME
        if pledge.income_kind == Pledge.IncomeKind.CHARITY_SALE
        else Account.Role.DONATION_INCOME
    )
    entry = _common.entry_post(
        fund=pledge.fund,
        entry_on=received_on,
        kind=JournalEntry.Kind.PLEDGE_RECEIPT,
        description=_("Pledge %(code)s, instalment %(number)s (%(donor)s)")
        % {"code": pledge.code, "number": instalment.sequence, "donor": pledge.donor.name},
        lines=[
            (_common.account_for(pledge.fund, Account.Role.CASH), DEBIT, amount),
            (_common.account_for(pledge.fund, income_role), CREDIT, amount),
        ],
        posted_by=acting_user,
        source_reference=bank_reference.strip() or pledge.code,
    )
    instalment.status = PledgeInstalment.Status.RECEIVED
    instalment.received_amount = amount
    instalment.received_on = received_on
    instalment.entry = entry
    instalment.save(update_fields=["status", "received_amount", "received_on", "entry"])
    _bank_reference_add(
        fund=pledge.fund,
        reference=bank_reference,
        entry=entry,
        amount=amount,
        payer=pledge.donor.name,
    )
    if not pledge.instalments.filter(status=PledgeInstalment.Status.DUE).exists():
        Pledge.objects.filter(pk=pledge.pk).update(status=Pledge.Status.COMPLETED)
    return instalment


@transaction.atomic(durable=True)
@page_cache_invalidates("funds")
def pledge_instalment_receive(
    *,
    instalment: PledgeInstalment,
    amount: Decimal,
    received_on: datetime.date,
    bank_reference: str = "",
    acting_user: User,
) -> PledgeInstalment:
    """Match a month's receipt to its instalment and post it. Refuses one already received."""
    _common.require_manager(acting_user)
    amount = money(amount)
    _common.fund_lock(instalment.pledge.fund)
    return _instalment_receive(
        instalment=instalment,
        amount=amount,
        received_on=received_on,
        bank_reference=bank_reference,
        acting_user=acting_user,
    )


@transaction.atomic(durable=True)
@page_cache_invalidates("funds")
def pledge_cancel(*, pledge: Pledge, acting_user: User) -> Pledge:
    """Stop a pledge: its open instalments are waived, received ones stay."""
    _common.require_manager(acting_user)
    pledge = Pledge.objects.select_for_update(no_key=True).get(pk=pledge.pk)
    if pledge.status != Pledge.Status.ACTIVE:
        raise ValidationError(_("The pledge is not active."), code="pledge_not_active")
    pledge.instalments.filter(status=PledgeInstalment.Status.DUE).update(
        status=PledgeInstalment.Status.WAIVED
    )
    pledge.status = Pledge.Status.CANCELLED
    pledge.save(update_fields=["status"])
    return pledge


@transaction.atomic(durable=True)
@page_cache_invalidates("funds")
def acknowledgement_letter_issue(
    *,
    donation: Donation | None = None,
    charity_sale: CharitySale | None = None,
    issued_on: datetime.date | None = None,
    acting_user: User,
) -> AcknowledgementLetter:
    """Number and keep a thank-you letter for a named gift. Refuses anonymous gifts and repeats."""
    _common.require_manager(acting_user)
    if (donation is None) == (charity_sale is None):
        raise ValueError("give exactly one of donation or charity_sale")
    gift = donation or charity_sale
    fund = _common.fund_lock(gift.fund)
    issued_on = issued_on or timezone.localdate()
    if AcknowledgementLetter.objects.filter(donation=donation, charity_sale=charity_sale).exists():
        raise ValidationError(
            _("A letter was already issued for this gift."), code="already_issued"
        )
    if donation is not None:
        donation = Donation.objects.select_related("donor", "entry").get(pk=donation.pk)
        if donation.donor is None:
            raise ValidationError(_("An anonymous gift gets no letter."), code="anonymous_gift")
        recipient, amount, gift_on = donation.donor.name, donation.amount, donation.received_on
        description = donation.goods_description or _("donation")
        reversed_entry = JournalEntry.objects.filter(reverses=donation.entry_id).exists()
    else:
        charity_sale = CharitySale.objects.select_related("company").get(pk=charity_sale.pk)
        recipient, amount, gift_on = (
            charity_sale.company.name,
            charity_sale.proceeds,
            charity_sale.received_on,
        )
        description = _("charity sale: %(title)s") % {"title": charity_sale.title}
        reversed_entry = JournalEntry.objects.filter(reverses=charity_sale.entry_id).exists()
    if reversed_entry:
        raise ValidationError(_("The gift's entry was reversed."), code="gift_reversed")
    number = _common.next_number(fund, NumberSeries.Series.LETTER, issued_on.year)
    return AcknowledgementLetter.objects.create(
        fund=fund,
        number=f"{fund.code}-L-{issued_on.year}-{number:04d}",
        donation=donation,
        charity_sale=charity_sale,
        recipient_name=recipient,
        gift_description=description[:300],
        amount=amount,
        gift_on=gift_on,
        issued_on=issued_on,
        issued_by=acting_user,
    )
