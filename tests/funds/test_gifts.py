"""Business forms that bring money in: each posts exactly one balanced entry."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from funds import services
from funds.letters import NOT_A_RECEIPT_EN, letter_pdf
from funds.masking import mask_person_name
from funds.models import Donation, Donor, JournalEntry, Pledge, PledgeInstalment, Posting
from funds.money import charity_sale_proceeds, round_fen
from funds.selectors import pledge_instalment_list_overdue

from .factories import give, past_day

pytestmark = pytest.mark.django_db


def _balance(fund, role):
    return Posting.objects.filter(account__fund=fund, account__role=role).debit_minus_credit()


# --- Charity-sale arithmetic ---------------------------------------------------


def test_sws_charity_sale_arithmetic():
    assert charity_sale_proceeds(
        turnover=Decimal("180000"), share_percent=Decimal("20")
    ) == Decimal("36000.00")


def test_proceeds_round_half_up_to_the_fen():
    assert round_fen(Decimal("1234.565")) == Decimal("1234.57")
    assert charity_sale_proceeds(
        turnover=Decimal("12345.65"), share_percent=Decimal("10")
    ) == Decimal("1234.57")
    # Half-up, not banker's rounding: .005 always goes up.
    assert round_fen(Decimal("0.125")) == Decimal("0.13")
    with pytest.raises(TypeError):
        charity_sale_proceeds(turnover=180000.0, share_percent=Decimal("20"))


def test_charity_sale_posts_the_proceeds(fund, manager):
    sale = services.charity_sale_record(
        fund=fund,
        new_company=services.NewDonor(kind="company", name="上海塞沃斯户外用品（SWS）"),
        title="春芽工程首场爱心义卖",
        starts_on=past_day(14),
        ends_on=past_day(10),
        turnover=Decimal("180000.00"),
        share_percent=Decimal("20"),
        expected_proceeds=Decimal("36000.00"),
        received_on=past_day(9),
        acting_user=manager,
    )
    assert sale.proceeds == Decimal("36000.00")
    assert sale.days == 5
    assert sale.entry.kind == JournalEntry.Kind.CHARITY_SALE
    assert _balance(fund, "cash") == Decimal("36000.00")
    assert _balance(fund, "charity_sale_income") == Decimal("-36000.00")


def test_charity_sale_refuses_proceeds_that_differ_from_the_preview(fund, manager):
    with pytest.raises(ValidationError) as exc:
        services.charity_sale_record(
            fund=fund,
            new_company=services.NewDonor(kind="company", name="某公司"),
            title="义卖",
            starts_on=past_day(3),
            ends_on=past_day(2),
            turnover=Decimal("12345.65"),
            share_percent=Decimal("10"),
            expected_proceeds=Decimal("1234.56"),
            received_on=past_day(1),
            acting_user=manager,
        )
    assert exc.value.code == "proceeds_changed"
    assert not JournalEntry.objects.exists()


@pytest.mark.parametrize(
    ("share", "starts", "ends", "code"),
    [("0", 3, 2, "share_range"), ("100.01", 3, 2, "share_range"), ("20", 2, 3, "period_order")],
)
def test_charity_sale_refusals(fund, manager, share, starts, ends, code):
    with pytest.raises(ValidationError) as exc:
        services.charity_sale_record(
            fund=fund,
            new_company=services.NewDonor(kind="company", name="某公司"),
            title="义卖",
            starts_on=past_day(starts),
            ends_on=past_day(ends),
            turnover=Decimal("1000.00"),
            share_percent=Decimal(share),
            received_on=past_day(1),
            acting_user=manager,
        )
    assert exc.value.code == code


# --- Donations -------------------------------------------------------------------


def test_donation_in_money_and_in_kind(fund, manager):
    money = give(fund, manager, amount="5000.00", restricted_purpose="一线社工培训")
    goods = services.donation_record(
        fund=fund,
        new_donor=services.NewDonor(kind="company", name="城市超市（虚构）"),
        form=Donation.Form.IN_KIND,
        amount=Decimal("1200.00"),
        goods_description="冬衣30件",
        channel=Donation.Channel.GOODS,
        received_on=past_day(),
        acting_user=manager,
    )
    assert money.restricted_purpose == "一线社工培训"
    assert _balance(fund, "cash") == Decimal("5000.00")
    assert _balance(fund, "in_kind_goods") == Decimal("1200.00")
    assert _balance(fund, "donation_income") == Decimal("-6200.00")
    assert goods.entry.postings.count() == 2


def test_anonymous_gift_is_recorded_with_anonymous_receipt_status(fund, manager):
    donation = services.donation_record(
        fund=fund,
        amount=Decimal("200.00"),
        channel=Donation.Channel.DONATION_BOX,
        received_on=past_day(),
        acting_user=manager,
    )
    assert donation.donor is None
    assert donation.receipt_status == Donation.ReceiptStatus.ANONYMOUS
    with pytest.raises(ValidationError) as exc:
        services.donation_receipt_update(
            donation=donation, receipt_status="declined", acting_user=manager
        )
    assert exc.value.code == "anonymous_gift"


def test_donation_receipt_issued_declined_and_incomplete(fund, manager):
    with pytest.raises(ValidationError) as exc:
        give(fund, manager, receipt_status="issued", receipt_number="")
    assert exc.value.code == "receipt_incomplete"
    donation = give(fund, manager)
    donation = services.donation_receipt_update(
        donation=donation,
        receipt_status="issued",
        receipt_number="沪慈票2024-0001（虚构）",
        receipt_issued_on=past_day(1),
        acting_user=manager,
    )
    assert donation.receipt_status == "issued"
    donation = services.donation_receipt_update(
        donation=donation, receipt_status="declined", acting_user=manager
    )
    assert donation.receipt_number == "" and donation.receipt_issued_on is None
    with pytest.raises(ValidationError) as exc:
        give(fund, manager, receipt_status="anonymous")
    assert exc.value.code == "receipt_anonymous_with_donor"


def test_in_kind_needs_goods_and_duplicate_bank_reference_is_refused(fund, manager):
    with pytest.raises(ValidationError) as exc:
        give(fund, manager, form="in_kind")
    assert exc.value.code == "goods_missing"
    give(fund, manager, bank_reference="B-1")
    with pytest.raises(ValidationError) as exc:
        give(fund, manager, bank_reference="B-1")
    assert exc.value.code == "duplicate_bank_reference"


def test_charity_performance_posts_net_proceeds(fund, manager):
    performance = services.charity_performance_record(
        fund=fund,
        title="公益节义演",
        performed_on=past_day(3),
        ticket_income=Decimal("8000.00"),
        gift_income=Decimal("1500.00"),
        costs=Decimal("500.00"),
        received_on=past_day(2),
        acting_user=manager,
    )
    assert performance.net_proceeds == Decimal("9000.00")
    assert _balance(fund, "performance_income") == Decimal("-9000.00")
    with pytest.raises(ValidationError) as exc:
        services.charity_performance_record(
            fund=fund,
            title="亏本",
            performed_on=past_day(3),
            ticket_income=Decimal("100.00"),
            gift_income=Decimal("0"),
            costs=Decimal("100.00"),
            received_on=past_day(2),
            acting_user=manager,
        )
    assert exc.value.code == "not_positive"


def test_charity_performance_links_an_event(fund, manager):
    from events.models import Event

    event = Event.objects.create(
        kind=Event.Kind.FESTIVAL,
        title="公益节（虚构）",
        slug="festival-test",
        starts_at=timezone.now() - datetime.timedelta(days=3),
        ends_at=timezone.now() - datetime.timedelta(days=3, hours=-2),
        status=Event.Status.COMPLETED,
    )
    performance = services.charity_performance_record(
        fund=fund,
        title="义演",
        event=event,
        performed_on=past_day(3),
        ticket_income=Decimal("100.00"),
        gift_income=Decimal("0"),
        costs=Decimal("0"),
        received_on=past_day(2),
        acting_user=manager,
    )
    assert event.charity_performances.get() == performance


# --- Pledges -----------------------------------------------------------------------


def _vegetable_pledge(fund, manager, starts_on, count=12):
    return services.pledge_create(
        fund=fund,
        new_donor=services.NewDonor(kind="company", name="上海城市福祉社"),
        description="每月20筐生蔬，义卖所得100%进入春芽基金",
        income_kind=Pledge.IncomeKind.CHARITY_SALE,
        share_percent=Decimal("100"),
        starts_on=starts_on,
        instalment_count=count,
        acting_user=manager,
    )


def test_pledge_schedule_receipts_and_overdue(fund, manager):
    today = timezone.localdate()
    starts_on = today - datetime.timedelta(days=100)
    pledge = _vegetable_pledge(fund, manager, starts_on)
    dues = list(pledge.instalments.values_list("due_on", flat=True))
    assert len(dues) == 12 and dues[0] == starts_on and dues[1].month == (starts_on.month % 12) + 1
    assert pledge.code == f"SBF-P-{starts_on.year}-01"

    first = pledge.instalments.get(sequence=1)
    services.pledge_instalment_receive(
        instalment=first,
        amount=Decimal("1860.00"),
        received_on=first.due_on + datetime.timedelta(days=2),
        acting_user=manager,
    )
    first.refresh_from_db()
    assert first.status == PledgeInstalment.Status.RECEIVED
    assert first.entry.kind == JournalEntry.Kind.PLEDGE_RECEIPT
    assert _balance(fund, "charity_sale_income") == Decimal("-1860.00")

    overdue = list(pledge_instalment_list_overdue(fund=fund, today=today))
    assert [i.sequence for i in overdue] == [
        i.sequence for i in pledge.instalments.filter(status="due", due_on__lt=today)
    ]
    assert 1 not in [i.sequence for i in overdue] and overdue

    with pytest.raises(ValidationError) as exc:
        services.pledge_instalment_receive(
            instalment=first, amount=Decimal("1.00"), received_on=today, acting_user=manager
        )
    assert exc.value.code == "instalment_not_due"


def test_reversing_a_pledge_receipt_makes_the_instalment_due_again(fund, manager):
    pledge = _vegetable_pledge(fund, manager, past_day(40), count=2)
    first = pledge.instalments.get(sequence=1)
    services.pledge_instalment_receive(
        instalment=first, amount=Decimal("100.00"), received_on=past_day(30), acting_user=manager
    )
    first.refresh_from_db()
    services.journal_entry_reverse(entry=first.entry, reason="到账退回", acting_user=manager)
    first.refresh_from_db()
    assert first.status == "due" and first.entry is None


def test_pledge_completes_and_cancel_waives(fund, manager):
    pledge = _vegetable_pledge(fund, manager, past_day(40), count=1)
    services.pledge_instalment_receive(
        instalment=pledge.instalments.get(),
        amount=Decimal("100.00"),
        received_on=past_day(30),
        acting_user=manager,
    )
    pledge.refresh_from_db()
    assert pledge.status == Pledge.Status.COMPLETED
    other = _vegetable_pledge(fund, manager, past_day(40), count=3)
    services.pledge_cancel(pledge=other, acting_user=manager)
    assert set(other.instalments.values_list("status", flat=True)) == {"waived"}
    assert not pledge_instalment_list_overdue(fund=fund).filter(pledge=other).exists()


# --- Acknowledgement letters ------------------------------------------------------------


def test_acknowledgement_letter_is_numbered_and_not_a_tax_receipt(fund, manager):
    donation = give(
        fund, manager, new_donor=services.NewDonor(kind=Donor.Kind.INDIVIDUAL, name="赵爱心")
    )
    letter = services.acknowledgement_letter_issue(donation=donation, acting_user=manager)
    second = services.acknowledgement_letter_issue(
        donation=give(fund, manager), acting_user=manager
    )
    year = timezone.localdate().year
    assert letter.number == f"SBF-L-{year}-0001"
    assert second.number == f"SBF-L-{year}-0002"
    pdf = letter_pdf(letter)
    assert pdf.startswith(b"%PDF")
    assert letter.number.encode() in pdf
    assert NOT_A_RECEIPT_EN.encode() in pdf
    assert b"STSong-Light" in pdf
    with pytest.raises(ValidationError) as exc:
        services.acknowledgement_letter_issue(donation=donation, acting_user=manager)
    assert exc.value.code == "already_issued"


def test_no_letter_for_an_anonymous_gift(fund, manager):
    donation = services.donation_record(
        fund=fund,
        amount=Decimal("50.00"),
        channel="cash",
        received_on=past_day(),
        acting_user=manager,
    )
    with pytest.raises(ValidationError) as exc:
        services.acknowledgement_letter_issue(donation=donation, acting_user=manager)
    assert exc.value.code == "anonymous_gift"


# --- Masking -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "masked"),
    [
        ("张三", "张*"),
        ("张三明", "张*明"),
        ("欧阳娜娜", "欧**娜"),
        ("王", "王*"),
        ("John Smith", "J***"),
        ("刘思远（虚构）", "刘*远（虚构）"),
    ],
)
def test_mask_person_name(name, masked):
    assert mask_person_name(name) == masked
