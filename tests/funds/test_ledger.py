"""The ledger: balanced, numbered, append-only, reversible, closable; floats refused."""

import datetime
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.utils import InternalError
from django.utils import timezone

from funds import services
from funds.models import Account, JournalEntry, NumberSeries, Posting
from funds.money import money
from funds.services import _common

from .factories import give, past_day

pytestmark = pytest.mark.django_db


def _accounts(fund):
    return {account.role: account for account in Account.objects.filter(fund=fund)}


def _lines(fund, debit="100.00", credit="100.00"):
    accounts = _accounts(fund)
    return [
        (accounts["cash"], "debit", Decimal(debit)),
        (accounts["opening_balance"], "credit", Decimal(credit)),
    ]


def test_spring_bud_fund_is_seeded_with_its_chart(fund):
    roles = set(Account.objects.filter(fund=fund).values_list("role", flat=True))
    assert fund.code == "SBF"
    assert {
        "cash",
        "pledges_receivable",
        "in_kind_goods",
        "grants_payable",
        "opening_balance",
        "donation_income",
        "charity_sale_income",
        "performance_income",
        "talent_grant_expense",
        "project_grant_expense",
        "fee_expense",
    } <= roles


def test_entries_are_numbered_per_fund_and_year(fund, manager):
    year = timezone.localdate().year
    first = services.journal_entry_post(
        fund=fund, entry_on=past_day(0), description="期初", lines=_lines(fund), acting_user=manager
    )
    second = give(fund, manager, days_ago=0)
    last_year = services.journal_entry_post(
        fund=fund,
        entry_on=datetime.date(year - 1, 12, 31),
        description="上年",
        lines=_lines(fund),
        acting_user=manager,
    )
    assert first.number == f"SBF-{year}-0001"
    assert second.entry.number == f"SBF-{year}-0002"
    assert last_year.number == f"SBF-{year - 1}-0001"
    assert first.posted_by == manager and first.posted_at is not None


def test_unbalanced_entry_is_refused_by_the_service(fund, manager):
    with pytest.raises(ValidationError) as exc:
        services.journal_entry_post(
            fund=fund,
            entry_on=past_day(),
            description="错账",
            lines=_lines(fund, debit="100.00", credit="99.99"),
            acting_user=manager,
        )
    assert exc.value.code == "unbalanced"
    with pytest.raises(ValidationError) as exc:
        services.journal_entry_post(
            fund=fund,
            entry_on=past_day(),
            description="单边",
            lines=_lines(fund)[:1],
            acting_user=manager,
        )
    assert exc.value.code == "too_few_postings"
    assert not JournalEntry.objects.exists()


@pytest.mark.parametrize("amount", ["0.00", "-5.00", "1.005"])
def test_non_positive_or_sub_fen_amounts_are_refused(fund, manager, amount):
    with pytest.raises(ValidationError) as exc:
        services.journal_entry_post(
            fund=fund,
            entry_on=past_day(),
            description="x",
            lines=_lines(fund, debit=amount, credit=amount),
            acting_user=manager,
        )
    assert exc.value.code in {"not_positive", "too_many_decimals"}


def test_a_float_amount_raises_everywhere_money_enters(fund, manager):
    accounts = _accounts(fund)
    with pytest.raises(TypeError):
        money(100.0)
    with pytest.raises(TypeError):
        services.journal_entry_post(
            fund=fund,
            entry_on=past_day(),
            description="float",
            lines=[
                (accounts["cash"], "debit", 10.5),
                (accounts["opening_balance"], "credit", 10.5),
            ],
            acting_user=manager,
        )
    with pytest.raises(TypeError):
        services.donation_record(
            fund=fund,
            new_donor=services.NewDonor(kind="individual", name="李四"),
            amount=36000.0,
            channel="cash",
            received_on=past_day(),
            acting_user=manager,
        )
    with pytest.raises(TypeError):
        services.charity_sale_record(
            fund=fund,
            new_company=services.NewDonor(kind="company", name="某公司"),
            title="义卖",
            starts_on=past_day(5),
            ends_on=past_day(1),
            turnover=Decimal("180000"),
            share_percent=20.0,
            received_on=past_day(1),
            acting_user=manager,
        )
    # The ORM itself refuses a float, so no path around the services takes one either.
    with pytest.raises(TypeError):
        Posting(amount=1.5).full_clean()
    with pytest.raises(TypeError):
        Posting.objects.filter(amount=1.5).exists()
    assert not JournalEntry.objects.exists()


def test_reversal_posts_the_mirror_entry_linked_to_the_original(fund, manager):
    donation = give(fund, manager, amount="800.00")
    cash = Posting.objects.filter(account__fund=fund, account__role="cash")
    assert cash.debit_minus_credit() == Decimal("800.00")

    reversal = services.journal_entry_reverse(
        entry=donation.entry, reason="金额录错", acting_user=manager
    )

    assert reversal.reverses == donation.entry
    assert donation.entry.reversed_by == reversal
    assert reversal.kind == JournalEntry.Kind.REVERSAL
    assert cash.debit_minus_credit() == Decimal("0.00")
    assert sorted(reversal.postings.values_list("side", "amount")) == [
        ("credit", Decimal("800.00")),
        ("debit", Decimal("800.00")),
    ]
    with pytest.raises(ValidationError) as exc:
        services.journal_entry_reverse(entry=donation.entry, reason="again", acting_user=manager)
    assert exc.value.code == "already_reversed"
    with pytest.raises(ValidationError) as exc:
        services.journal_entry_reverse(entry=reversal, reason="undo", acting_user=manager)
    assert exc.value.code == "is_reversal"


def test_closed_period_refuses_entries_dated_in_it(fund, manager):
    last_year = timezone.localdate().year - 1
    old = give(fund, manager, received_on=datetime.date(last_year, 6, 1))
    services.period_close(fund=fund, year=last_year, acting_user=manager)

    with pytest.raises(ValidationError) as exc:
        give(fund, manager, received_on=datetime.date(last_year, 12, 31))
    assert exc.value.code == "period_closed"
    with pytest.raises(ValidationError) as exc:
        services.journal_entry_reverse(
            entry=old.entry,
            reversed_on=datetime.date(last_year, 12, 31),
            reason="x",
            acting_user=manager,
        )
    assert exc.value.code == "period_closed"
    # The correction goes into the open year instead.
    reversal = services.journal_entry_reverse(entry=old.entry, reason="x", acting_user=manager)
    assert reversal.year == timezone.localdate().year

    with pytest.raises(ValidationError) as exc:
        services.period_close(fund=fund, year=last_year, acting_user=manager)
    assert exc.value.code == "already_closed"
    with pytest.raises(ValidationError) as exc:
        services.period_close(fund=fund, year=timezone.localdate().year, acting_user=manager)
    assert exc.value.code == "year_not_ended"


def test_future_dates_are_refused(fund, manager):
    with pytest.raises(ValidationError) as exc:
        give(fund, manager, received_on=timezone.localdate() + datetime.timedelta(days=1))
    assert exc.value.code == "date_in_future"


def test_only_fund_managers_post(fund, auditor, manager):
    with pytest.raises(ValidationError) as exc:
        services.journal_entry_post(
            fund=fund, entry_on=past_day(), description="x", lines=_lines(fund), acting_user=auditor
        )
    assert exc.value.code == "not_allowed"
    with pytest.raises(ValidationError) as exc:
        give(fund, auditor)
    assert exc.value.code == "not_allowed"


def test_a_rolled_back_posting_gives_its_number_back(fund, manager):
    with pytest.raises(RuntimeError), transaction.atomic():
        _common.entry_post(
            fund=fund,
            entry_on=past_day(0),
            kind="manual",
            description="rolled back",
            lines=_lines(fund),
            posted_by=manager,
        )
        raise RuntimeError
    entry = give(fund, manager, days_ago=0).entry
    assert entry.sequence == 1


def test_integrity_check_passes_a_sound_ledger(fund, manager, mailoutbox):
    give(fund, manager)
    reports = services.ledger_integrity_check()
    assert all(report.ok for report in reports)
    assert mailoutbox == []


def test_integrity_check_alerts_managers_about_an_unbalanced_entry(fund, manager, mailoutbox):
    from notifications.models import Message

    donation = give(fund, manager)
    if connection.vendor == "postgresql":
        # Simulate a broken database: switch the balance trigger off (rolled back with the test).
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # check what is pending now
            cursor.execute("ALTER TABLE funds_posting DISABLE TRIGGER funds_posting_balanced")
    # Sneak in an extra posting around the services.
    Posting.objects.bulk_create(
        [
            Posting(
                entry=donation.entry,
                account=_accounts(fund)["cash"],
                side="debit",
                amount=Decimal("1.00"),
                entry_on=donation.entry.entry_on,
            )
        ]
    )
    from funds.tasks import ledger_integrity_check

    ledger_integrity_check.delay()

    messages = Message.objects.filter(kind="fund_integrity_alert")
    assert list(messages.values_list("recipient", flat=True)) == [manager.pk]
    assert donation.entry.number in str(messages.get().context)


def test_nightly_integrity_task_is_scheduled(settings):
    schedule = settings.CELERY_BEAT_SCHEDULE
    assert any(item["task"] == "funds.tasks.ledger_integrity_check" for item in schedule.values())


# --- PostgreSQL: the database refuses what the services refuse -----------------


def _raw_entry(cursor, fund, manager, number="SBF-RAW-1", entry_on=None, sequence=9999):
    entry_on = entry_on or past_day()
    cursor.execute(
        "INSERT INTO funds_journalentry (fund_id, number, year, sequence, entry_on, kind, "
        "description, source_reference, posted_by_id, posted_at) "
        "VALUES (%s, %s, %s, %s, %s, 'manual', 'raw', '', %s, now()) RETURNING id",
        [fund.pk, number, entry_on.year, sequence, entry_on, manager.pk],
    )
    return cursor.fetchone()[0], entry_on


def _raw_posting(cursor, entry_id, account, side, amount, entry_on):
    cursor.execute(
        "INSERT INTO funds_posting (entry_id, account_id, side, amount, entry_on) "
        "VALUES (%s, %s, %s, %s, %s)",
        [entry_id, account.pk, side, amount, entry_on],
    )


@pytest.mark.django_db(transaction=True)
def test_database_refuses_an_unbalanced_entry_at_commit(postgres_only, fund, manager):
    accounts = _accounts(fund)
    with (
        pytest.raises(IntegrityError, match="funds_entry_balanced"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        entry_id, day = _raw_entry(cursor, fund, manager)
        _raw_posting(cursor, entry_id, accounts["cash"], "debit", "100.00", day)
        _raw_posting(cursor, entry_id, accounts["opening_balance"], "credit", "99.99", day)
    with (
        pytest.raises(IntegrityError, match="funds_entry_balanced"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        _raw_entry(cursor, fund, manager, number="SBF-RAW-2")  # no postings at all
    # A balanced raw entry commits: the trigger is about balance, not about the path.
    with transaction.atomic(), connection.cursor() as cursor:
        entry_id, day = _raw_entry(cursor, fund, manager, number="SBF-RAW-3")
        _raw_posting(cursor, entry_id, accounts["cash"], "debit", "100.00", day)
        _raw_posting(cursor, entry_id, accounts["opening_balance"], "credit", "100.00", day)
    assert JournalEntry.objects.filter(number__startswith="SBF-RAW").count() == 1


@pytest.mark.django_db(transaction=True)
def test_database_refuses_update_and_delete_of_posted_rows(postgres_only, fund, manager):
    donation = give(fund, manager)
    posting = donation.entry.postings.first()
    statements = [
        ("UPDATE funds_posting SET amount = amount + 1 WHERE id = %s", posting.pk),
        ("DELETE FROM funds_posting WHERE id = %s", posting.pk),
        ("UPDATE funds_journalentry SET description = 'x' WHERE id = %s", donation.entry_id),
        ("DELETE FROM funds_journalentry WHERE id = %s", donation.entry_id),
    ]
    for sql, pk in statements:
        with (
            pytest.raises(IntegrityError, match="funds_append_only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [pk])
    posting.refresh_from_db()
    assert posting.amount == Decimal("1000.00")


@pytest.mark.django_db(transaction=True)
def test_database_refuses_an_entry_in_a_closed_year(postgres_only, fund, manager):
    last_year = timezone.localdate().year - 1
    services.period_close(fund=fund, year=last_year, acting_user=manager)
    with (
        pytest.raises((IntegrityError, InternalError), match="funds_journalentry_open_period"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        _raw_entry(cursor, fund, manager, entry_on=datetime.date(last_year, 3, 1))


@pytest.mark.django_db(transaction=True)
def test_numbering_has_no_gaps_under_concurrency(postgres_only, fund, manager):
    rounds = 20
    barrier = threading.Barrier(rounds)
    errors = []

    def post(index):
        try:
            barrier.wait()
            give(fund, manager, amount=f"{index + 1}.00", days_ago=0)
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(i,)) for i in range(rounds)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    year = timezone.localdate().year
    sequences = sorted(
        JournalEntry.objects.filter(fund=fund, year=year).values_list("sequence", flat=True)
    )
    assert sequences == list(range(1, rounds + 1))
    assert NumberSeries.objects.get(fund=fund, series="entry", year=year).last_number == rounds


def test_integrity_alert_renders(fund, manager):
    from notifications.models import Message
    from notifications.rendering import message_render

    report = services.IntegrityReport(
        fund=fund, unbalanced_numbers=["SBF-2024-0007"], trial_balance_difference=Decimal("1.00")
    )
    with transaction.atomic():
        from funds.services.ledger import _alert

        _alert(report, timezone.localdate())
    message = Message.objects.get(kind="fund_integrity_alert")
    message.language = "en"
    rendered = message_render(message)
    assert "SBF" in rendered.subject
    assert "SBF-2024-0007" in rendered.text and "1.00" in rendered.text
