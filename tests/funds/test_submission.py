"""A staff money form posts once: the same submission key twice is refused, never posted twice."""

import threading
import uuid
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from funds import services
from funds.models import Account, CharitySale, Donation, JournalEntry

from .factories import give, past_day

pytestmark = pytest.mark.django_db

DONATION_URL = "/fund/manage/SBF/donations/new/"
SALE_URL = "/fund/manage/SBF/charity-sales/new/"
ENTRY_URL = "/fund/manage/SBF/ledger/new/"
PERFORMANCE_URL = "/fund/manage/SBF/performances/new/"


def _post_manual(fund, manager, key):
    accounts = {account.role: account for account in Account.objects.filter(fund=fund)}
    return services.journal_entry_post(
        fund=fund,
        entry_on=past_day(),
        description="期初余额",
        lines=[
            (accounts["cash"], "debit", Decimal("100.00")),
            (accounts["opening_balance"], "credit", Decimal("100.00")),
        ],
        submission_key=key,
        acting_user=manager,
    )


def _post_donation(fund, manager, key):
    return give(fund, manager, submission_key=key).entry


def _post_sale(fund, manager, key):
    return services.charity_sale_record(
        fund=fund,
        new_company=services.NewDonor(kind="company", name="上海塞沃斯户外用品（虚构）"),
        title="爱心义卖",
        starts_on=past_day(14),
        ends_on=past_day(10),
        turnover=Decimal("1000.00"),
        share_percent=Decimal("20"),
        received_on=past_day(9),
        submission_key=key,
        acting_user=manager,
    ).entry


def _post_performance(fund, manager, key):
    return services.charity_performance_record(
        fund=fund,
        title="公益演出",
        performed_on=past_day(3),
        ticket_income=Decimal("500.00"),
        gift_income=Decimal("0.00"),
        costs=Decimal("100.00"),
        received_on=past_day(2),
        submission_key=key,
        acting_user=manager,
    ).entry


@pytest.mark.parametrize(
    "post", [_post_manual, _post_donation, _post_sale, _post_performance], ids=lambda f: f.__name__
)
def test_the_same_submission_key_posts_once(fund, manager, post):
    key = uuid.uuid4()
    entry = post(fund, manager, key)
    assert entry.submission_key == key

    with pytest.raises(ValidationError) as exc:
        post(fund, manager, key)

    assert exc.value.code == "duplicate_submission"
    assert exc.value.params == {"number": entry.number}
    assert JournalEntry.objects.count() == 1
    assert post(fund, manager, uuid.uuid4()).number != entry.number  # another form posts


def test_callers_without_a_key_keep_their_own_rules(fund, manager):
    give(fund, manager)
    give(fund, manager)
    assert JournalEntry.objects.filter(submission_key__isnull=True).count() == 2


def _donation_data(key):
    return {
        "donor_type": "individual",
        "donor_name": "赵爱心",
        "public_display": "named",
        "form": "money",
        "amount": "888.80",
        "channel": "bank_transfer",
        "received_on": past_day().isoformat(),
        "receipt_status": "pending",
        "submission_key": key,
    }


def test_each_shown_form_gets_its_own_key(client, fund, manager):
    client.force_login(manager)
    first = client.get(DONATION_URL).context["form"]["submission_key"].value()
    second = client.get(DONATION_URL).context["form"]["submission_key"].value()
    assert uuid.UUID(str(first)) != uuid.UUID(str(second))


def test_a_form_shown_again_with_errors_keeps_its_key(client, fund, manager):
    client.force_login(manager)
    key = str(uuid.uuid4())
    response = client.post(DONATION_URL, {**_donation_data(key), "amount": "-1"})
    assert response.status_code == 200
    assert response.context["form"]["submission_key"].value() == key
    assert f'value="{key}"' in response.content.decode()


def test_a_form_without_a_key_is_renewed_not_posted(client, fund, manager):
    client.force_login(manager)
    response = client.post(DONATION_URL, {**_donation_data(""), "submission_key": ""})
    assert response.status_code == 200
    assert not Donation.objects.exists()
    renewed = response.context["form"]["submission_key"].value()
    assert uuid.UUID(renewed)
    assert client.post(DONATION_URL, _donation_data(renewed)).status_code == 302
    assert Donation.objects.count() == 1


def test_a_donation_form_sent_twice_lands_on_the_posted_entry(client, fund, manager):
    client.force_login(manager)
    client.cookies["django_language"] = "en"
    data = _donation_data(str(uuid.uuid4()))
    assert client.post(DONATION_URL, data).status_code == 302

    again = client.post(DONATION_URL, data, follow=True)

    entry = Donation.objects.get().entry
    assert again.redirect_chain == [(f"/fund/manage/SBF/ledger/{entry.number}/", 302)]
    shown = [str(message) for message in again.context["messages"]]
    assert shown[-1] == f"This form was already sent; the entry is {entry.number}."
    assert JournalEntry.objects.count() == 1


def test_a_manual_entry_sent_twice_is_posted_once(client, fund, manager):
    client.force_login(manager)
    accounts = {account.role: account.pk for account in fund.accounts.all()}
    data = {
        "entry_on": past_day().isoformat(),
        "description": "期初余额",
        "source_reference": "",
        "submission_key": str(uuid.uuid4()),
        "lines-TOTAL_FORMS": "2",
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "2",
        "lines-MAX_NUM_FORMS": "20",
        "lines-0-account": accounts["cash"],
        "lines-0-side": "debit",
        "lines-0-amount": "100.00",
        "lines-1-account": accounts["opening_balance"],
        "lines-1-side": "credit",
        "lines-1-amount": "100.00",
    }
    first = client.post(ENTRY_URL, data)
    second = client.post(ENTRY_URL, data)
    entry = JournalEntry.objects.get()
    assert first["Location"] == second["Location"] == f"/fund/manage/SBF/ledger/{entry.number}/"


def test_a_performance_form_sent_twice_is_posted_once(client, fund, manager):
    client.force_login(manager)
    data = {
        "title": "公益演出",
        "performed_on": past_day(3).isoformat(),
        "ticket_income": "500.00",
        "gift_income": "0",
        "costs": "100.00",
        "received_on": past_day(2).isoformat(),
        "submission_key": str(uuid.uuid4()),
    }
    assert client.post(PERFORMANCE_URL, data)["Location"] == "/fund/manage/SBF/"
    again = client.post(PERFORMANCE_URL, data)
    entry = JournalEntry.objects.get()
    assert entry.kind == "performance"
    assert again["Location"] == f"/fund/manage/SBF/ledger/{entry.number}/"


def test_the_sale_preview_keeps_the_key_through_confirm(client, fund, manager):
    client.force_login(manager)
    key = str(client.get(SALE_URL).context["form"]["submission_key"].value())
    data = {
        "donor_type": "company",
        "donor_name": "上海塞沃斯户外用品（虚构）",
        "public_display": "named",
        "title": "首场爱心义卖",
        "starts_on": past_day(14).isoformat(),
        "ends_on": past_day(10).isoformat(),
        "turnover": "180000",
        "share_percent": "20",
        "received_on": past_day(9).isoformat(),
        "submission_key": key,
    }
    preview = client.post(SALE_URL, data)
    assert preview.context["preview"] is True
    assert preview.context["form"]["submission_key"].value() == key
    confirmed = {**data, "expected_proceeds": "36000.00", "confirm": "1"}

    assert client.post(SALE_URL, confirmed).status_code == 302
    again = client.post(SALE_URL, confirmed)

    sale = CharitySale.objects.get()
    assert sale.entry.submission_key == uuid.UUID(key)
    assert again["Location"] == f"/fund/manage/SBF/ledger/{sale.entry.number}/"


@pytest.mark.django_db(transaction=True)
def test_racing_requests_with_one_key_post_one_entry(postgres_only, fund, manager):
    """Eight requests with one key at once: one entry, seven refusals naming it.

    Without the key check after the fund lock the losers reach only the unique
    constraint and cannot name the entry, so the view cannot take the user to it
    (and without the constraint as well, all eight post): verified by removing them.
    """
    rounds = 8
    key = uuid.uuid4()
    barrier = threading.Barrier(rounds)
    entries, refusals, errors = [], [], []

    def post():
        try:
            barrier.wait()
            entries.append(give(fund, manager, submission_key=key).entry)
        except ValidationError as exc:
            refusals.append(exc)
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=post) for _ in range(rounds)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert len(entries) == 1
    assert [exc.code for exc in refusals] == ["duplicate_submission"] * (rounds - 1)
    assert {(exc.params or {}).get("number") for exc in refusals} == {entries[0].number}
    assert JournalEntry.objects.count() == Donation.objects.count() == 1
    assert give(fund, manager, submission_key=uuid.uuid4()).entry.sequence == 2
