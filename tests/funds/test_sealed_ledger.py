"""The sealed ledger: closed years are sealed, and the database refuses changing them.

Issue 11: a balanced pair of postings added by hand to an entry of a closed
year was accepted, TRUNCATE was not refused, and the nightly check said ok.
"""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.utils import InternalError
from django.utils import timezone

from funds import services
from funds.models import Account, ClosedPeriod, JournalEntry, Posting
from funds.seal import seal_compute

from .factories import give

pytestmark = pytest.mark.django_db

REFUSED = (IntegrityError, InternalError)


def _accounts(fund):
    return {account.role: account for account in Account.objects.filter(fund=fund)}


def _last_year_entry(fund, manager, amount="500.00"):
    accounts = _accounts(fund)
    return services.journal_entry_post(
        fund=fund,
        entry_on=datetime.date(timezone.localdate().year - 1, 6, 1),
        description="期初余额",
        lines=[
            (accounts["cash"], "debit", Decimal(amount)),
            (accounts["opening_balance"], "credit", Decimal(amount)),
        ],
        acting_user=manager,
    )


def _balanced_pair(cursor, entry, fund):
    accounts = _accounts(fund)
    for account, side in ((accounts["cash"], "debit"), (accounts["fee_expense"], "credit")):
        cursor.execute(
            "INSERT INTO funds_posting (entry_id, account_id, side, amount, entry_on) "
            "VALUES (%s, %s, %s, 100.00, %s)",
            [entry.pk, account.pk, side, entry.entry_on],
        )


def test_period_close_seals_the_year(fund, manager):
    entry = _last_year_entry(fund, manager)
    period = services.period_close(fund=fund, year=entry.year, acting_user=manager)
    assert (period.entry_count, period.posting_count) == (1, 2)
    assert period.debit_total == Decimal("500.00")
    assert len(period.digest) == 64
    expected = seal_compute(
        entry_model=JournalEntry,
        posting_model=Posting,
        fund_id=fund.pk,
        year=entry.year,
        previous="",
    )
    assert period.digest == expected.digest


def test_seals_form_a_chain(fund, manager):
    year = timezone.localdate().year
    accounts = _accounts(fund)
    services.journal_entry_post(
        fund=fund,
        entry_on=datetime.date(year - 2, 3, 1),
        description="期初",
        lines=[(accounts["cash"], "debit", Decimal(1)), (accounts["opening_balance"], "credit", 1)],
        acting_user=manager,
    )
    older = services.period_close(fund=fund, year=year - 2, acting_user=manager)
    newer = services.period_close(fund=fund, year=year - 1, acting_user=manager)
    empty = seal_compute(
        entry_model=JournalEntry, posting_model=Posting, fund_id=fund.pk, year=year - 1, previous=""
    )
    # An empty year's digest still depends on the year before it.
    assert newer.entry_count == 0
    assert newer.digest != empty.digest
    assert older.digest != newer.digest


def _tamper(entry, fund):
    """Add a balanced pair of postings around the services and, on PostgreSQL, the triggers."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Rolled back with the test: as if the triggers had been dropped.
            cursor.execute("SET LOCAL session_replication_role = replica")
        _balanced_pair(cursor, entry, fund)
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = origin")


def test_integrity_check_finds_a_closed_year_changed_after_closing(fund, manager, mailoutbox):
    from notifications.models import Message

    entry = _last_year_entry(fund, manager)
    give(fund, manager)
    services.period_close(fund=fund, year=entry.year, acting_user=manager)
    assert all(report.ok for report in services.ledger_integrity_check())

    _tamper(entry, fund)
    # Still balanced, so only the seal can tell.
    assert not JournalEntry.objects.filter(fund=fund).unbalanced().exists()
    (report,) = services.ledger_integrity_check()
    assert not report.ok
    assert report.broken_seal_years == [entry.year]
    assert report.unbalanced_numbers == []
    message = Message.objects.get(kind="fund_integrity_alert")
    assert message.recipient == manager
    assert str(entry.year) in str(message.context)


def test_integrity_alert_names_the_broken_seal(fund, manager):
    from notifications.models import Message
    from notifications.rendering import message_render

    report = services.IntegrityReport(fund=fund, broken_seal_years=[2014])
    with transaction.atomic():
        from funds.services.ledger import _alert

        _alert(report, timezone.localdate())
    message = Message.objects.get(kind="fund_integrity_alert")
    message.language = "en"
    rendered = message_render(message)
    assert "no longer match their seal" in rendered.text
    assert "2014" in rendered.text


# --- PostgreSQL: the database itself refuses ------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_database_refuses_postings_added_to_an_entry_of_a_closed_year(postgres_only, fund, manager):
    entry = _last_year_entry(fund, manager)
    services.period_close(fund=fund, year=entry.year, acting_user=manager)
    with (
        pytest.raises(REFUSED, match="funds_posting_open_period"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        _balanced_pair(cursor, entry, fund)
    assert entry.postings.count() == 2
    assert all(report.ok for report in services.ledger_integrity_check())


@pytest.mark.django_db(transaction=True)
def test_database_refuses_postings_added_to_an_entry_posted_earlier(postgres_only, fund, manager):
    entry = give(fund, manager).entry  # an open year
    with (
        pytest.raises(REFUSED, match="funds_posting_entry_posted"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        _balanced_pair(cursor, entry, fund)
    assert entry.postings.count() == 2


@pytest.mark.django_db(transaction=True)
def test_database_still_takes_postings_with_their_new_entry(postgres_only, fund, manager):
    # The services post an entry and its postings in one transaction, and so may raw SQL.
    give(fund, manager)
    give(fund, manager, amount="2.00")
    assert JournalEntry.objects.count() == 2
    assert Posting.objects.count() == 4


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("table", ["funds_posting", "funds_journalentry", "funds_closedperiod"])
def test_database_refuses_truncate_of_the_ledger(postgres_only, fund, manager, table):
    give(fund, manager)
    with (
        pytest.raises(REFUSED, match="funds_append_only: TRUNCATE"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(f"TRUNCATE {table} CASCADE")
    assert Posting.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_database_refuses_reopening_or_resealing_a_closed_year(postgres_only, fund, manager):
    entry = _last_year_entry(fund, manager)
    period = services.period_close(fund=fund, year=entry.year, acting_user=manager)
    for sql in (
        "UPDATE funds_closedperiod SET digest = '' WHERE id = %s",
        "DELETE FROM funds_closedperiod WHERE id = %s",
    ):
        with (
            pytest.raises(REFUSED, match="funds_append_only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [period.pk])
    assert ClosedPeriod.objects.filter(pk=period.pk).exists()
