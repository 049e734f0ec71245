"""Bank statement import (idempotent, all or nothing) and the .xlsx exports (formula-escaped)."""

import datetime
import io
import tracemalloc
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation
from openpyxl import Workbook, load_workbook

from core.spreadsheets import escape_formula, xlsx_table
from funds import resources, services
from funds.models import BankTransaction, Donor, JournalEntry, Pledge

from .factories import give, past_day

pytestmark = pytest.mark.django_db


@pytest.fixture
def pledge(fund, manager):
    return services.pledge_create(
        fund=fund,
        new_donor=services.NewDonor(kind=Donor.Kind.COMPANY, name="上海城市福祉社"),
        description="每月20筐生蔬",
        income_kind=Pledge.IncomeKind.CHARITY_SALE,
        starts_on=past_day(70),
        instalment_count=6,
        acting_user=manager,
    )


def _csv(rows, header="date,reference,amount,payer,memo"):
    text = "\n".join([header, *[",".join(row) for row in rows]])
    return SimpleUploadedFile("statement.csv", text.encode("utf-8-sig"), "text/csv")


def _import(fund, manager, upload):
    rows = resources.statement_read(upload)
    return services.bank_statement_import(
        fund=fund, rows=rows, file_name=upload.name, acting_user=manager
    )


def test_bank_import_twice_posts_once(fund, manager, pledge):
    donation = give(
        fund,
        manager,
        amount="500.00",
        new_donor=services.NewDonor(kind=Donor.Kind.INDIVIDUAL, name="王小明"),
        days_ago=20,
    )
    day = past_day(18).isoformat()
    rows = [
        (day, "BK-001", "1860.00", "上海城市福祉社", f"{pledge.code} 一月生蔬义卖"),
        (day, "BK-002", "1720.50", "上海城市福祉社", f"{pledge.code} 二月"),
        (day, "BK-003", "500.00", "王小明", "捐款"),
    ]
    entries_before = JournalEntry.objects.count()

    batch = _import(fund, manager, _csv(rows))
    assert (batch.posted_count, batch.matched_count, batch.skipped_count) == (2, 1, 0)
    assert JournalEntry.objects.count() == entries_before + 2
    received = list(pledge.instalments.filter(status="received").order_by("sequence"))
    assert [i.received_amount for i in received] == [Decimal("1860.00"), Decimal("1720.50")]
    assert BankTransaction.objects.get(reference="BK-003").entry == donation.entry

    again = _import(fund, manager, _csv(rows))
    assert (again.posted_count, again.matched_count, again.skipped_count) == (0, 0, 3)
    assert JournalEntry.objects.count() == entries_before + 2


def test_bank_import_is_all_or_nothing_with_row_errors(fund, manager, pledge):
    day = past_day(5).isoformat()
    rows = [
        (day, "BK-10", "100.00", "上海城市福祉社", pledge.code),  # fine on its own
        ("not-a-date", "BK-11", "1.00", "x", ""),
        (day, "BK-12", "1.005", "x", ""),
        (day, "BK-13", "-50.00", "某机构", "资助款"),
        (day, "BK-14", "77.00", "陌生人", "无备注"),
        (day, "BK-10", "100.00", "上海城市福祉社", pledge.code),
        (day, "", "1.00", "x", ""),
    ]
    with pytest.raises(ValidationError) as exc:
        _import(fund, manager, _csv(rows))
    codes = [error.code for error in exc.value.error_list]
    assert codes == [
        "invalid_date",
        "invalid_amount",
        "outgoing_unmatched",
        "unmatched",
        "duplicate_row",
        "reference_missing",
    ]
    assert [error.params["row"] for error in exc.value.error_list] == [3, 4, 5, 6, 7, 8]
    assert not JournalEntry.objects.exists()
    assert not BankTransaction.objects.exists()


def test_bank_import_reads_xlsx_with_chinese_headers(fund, manager, pledge):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["交易日期", "流水号", "金额", "对方户名", "摘要"])
    sheet.append(
        [
            datetime.datetime.combine(past_day(3), datetime.time()),
            "X-1",
            1234.56,
            "上海城市福祉社",
            pledge.code,
        ]
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    upload = SimpleUploadedFile("statement.xlsx", buffer.getvalue())
    batch = _import(fund, manager, upload)
    assert batch.posted_count == 1
    assert pledge.instalments.get(sequence=1).received_amount == Decimal("1234.56")


def test_statement_needs_known_columns_and_type(fund, manager):
    with pytest.raises(ValidationError) as exc:
        resources.statement_read(_csv([("2024-01-01", "1")], header="when,what"))
    assert exc.value.code == "missing_columns"
    with pytest.raises(ValidationError) as exc:
        resources.statement_read(SimpleUploadedFile("s.pdf", b"%PDF"))
    assert exc.value.code == "file_type"


def test_bank_import_refuses_a_pledge_row_in_a_closed_year(fund, manager):
    last_year = timezone.localdate().year - 1
    pledge = services.pledge_create(
        fund=fund,
        new_donor=services.NewDonor(kind=Donor.Kind.COMPANY, name="某公司"),
        description="月捐",
        starts_on=datetime.date(last_year, 11, 1),
        instalment_count=3,
        acting_user=manager,
    )
    services.period_close(fund=fund, year=last_year, acting_user=manager)
    rows = [(f"{last_year}-12-01", "C-1", "10.00", "某公司", pledge.code)]
    with pytest.raises(ValidationError) as exc:
        _import(fund, manager, _csv(rows))
    assert [error.code for error in exc.value.error_list] == ["period_closed"]


# --- Exports ---------------------------------------------------------------------


def _sheet(content: bytes):
    return load_workbook(io.BytesIO(content)).active


def test_ledger_export_escapes_formulas_and_keeps_numbers(fund, manager):
    accounts = {account.role: account for account in fund.accounts.all()}
    services.journal_entry_post(
        fund=fund,
        entry_on=past_day(),
        description="=cmd|' /C calc'!A0",
        source_reference="+SUM(A1:A9)",
        lines=[
            (accounts["cash"], "debit", Decimal("1234.56")),
            (accounts["opening_balance"], "credit", Decimal("1234.56")),
        ],
        acting_user=manager,
    )
    sheet = _sheet(resources.ledger_xlsx(fund=fund, year=past_day().year))
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 2
    assert rows[0][3] == "'=cmd|' /C calc'!A0"
    assert rows[0][4] == "'+SUM(A1:A9)"
    assert Decimal(str(rows[0][7])) == Decimal("1234.56")  # a number, not text
    assert rows[1][8] is not None and Decimal(str(rows[1][8])) == Decimal("1234.56")
    assert sheet["H2"].number_format == "#,##0.00"


def test_ledger_export_reads_the_postings_in_one_query(fund, manager, django_assert_num_queries):
    for amount in ("1.00", "2.00", "3.00"):
        give(fund, manager, amount=amount)
    with django_assert_num_queries(2):  # the accounts, the postings (in chunks)
        sheet = _sheet(resources.ledger_xlsx(fund=fund, year=past_day().year))
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 6
    assert rows[0][0].endswith("-0001") and rows[0][5] == "1001" and rows[0][7] == 1
    assert sheet["I3"].number_format == "#,##0.00"


def test_exports_are_written_row_by_row():
    """Issue 17: the ledger of a year (77k postings) took 93 s and 638 MB in an ordinary
    workbook, every cell an object; written row by row, memory stays flat."""
    rows = ([index, f"第{index}行", Decimal("1.00")] for index in range(3000))
    tracemalloc.start()
    try:
        content = xlsx_table(title="t", header=["a", "b", "c"], rows=rows, money_columns=(2,))
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 2 * 1024 * 1024  # an ordinary workbook: over 4 MB
    sheet = _sheet(content)
    assert sheet.max_row == 3001 and sheet["C3001"].number_format == "#,##0.00"
    assert sheet["A1"].font.bold and sheet.freeze_panes == "A2"


def test_escape_formula():
    assert escape_formula("=1+1") == "'=1+1"
    assert escape_formula("-2") == "'-2"
    assert escape_formula("@SUM(A1)") == "'@SUM(A1)"
    assert escape_formula("捐款") == "捐款"
    assert escape_formula(Decimal("-5.00")) == Decimal("-5.00")


def test_trial_balance_and_income_expense_exports(fund, manager):
    give(fund, manager, amount="100.00")
    trial = list(_sheet(resources.trial_balance_xlsx(fund=fund, as_of=timezone.localdate())).values)
    total = trial[-1]
    assert total[3] == total[4] == 100 and total[5] == 0
    report = list(_sheet(resources.income_expense_xlsx(fund=fund)).values)
    assert [row[4] for row in report if row[1] == "4101"] == [100]  # donation income
    totals = [row[4] for row in report[1:] if not row[1]]
    assert totals == [100, 0, 100]  # income, expense, balance at year end


def test_a_gbk_statement_with_a_title_row_blank_rows_and_chinese_dates_is_read(fund, manager):
    """Issue 11: the bank's export as Chinese Excel saves it."""
    day = past_day(3)
    text = "\r\n".join(
        [
            "上海银行 账户交易明细（虚构）",
            "",
            "交易日期,交易流水号,交易金额,对方户名,摘要",
            f"{day.year}年{day.month}月{day.day}日,ＢＫ－１０１,１，２００．００,某公司,捐款",
            ",,,,",
            f"{day:%Y%m%d},BK-102,300.00,王小明,捐款",
            f"{day.year}年2月30日,BK-103,1.00,某人,捐款",
        ]
    )
    upload = SimpleUploadedFile("明细.csv", text.encode("gbk"), "text/csv")
    with translation.override("en"):
        rows = resources.statement_read(upload)
    assert [row.row_number for row in rows] == [4, 6, 7]  # as the spreadsheet shows them
    assert (rows[0].booked_on, rows[0].reference, rows[0].amount) == (
        day,
        "BK-101",
        Decimal("1200.00"),
    )
    assert rows[0].error is None and rows[1].error is None
    assert rows[1].booked_on == day
    assert rows[2].error.code == "invalid_date"
    assert "no such date" in rows[2].error.messages[0]
