"""Spreadsheets: staff exports (.xlsx, formula-escaped) and reading a bank statement."""

import datetime
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.files import private_storage
from core.spreadsheets import xlsx_table, xlsx_write
from core.tabular import Table, locate_header, normalise_text, parse_date, read_table

from . import selectors
from .models import Account, Fund, JournalEntry, Posting
from .money import CENT
from .services import StatementRow

# Postings read from the database at a time by the ledger export.
LEDGER_CHUNK = 2000

STATEMENT_MAX_BYTES = 5 * 1024 * 1024
STATEMENT_MAX_ROWS = 5000

# Column names the custodian's statements use, in English or Chinese.
STATEMENT_COLUMNS = {
    "date": ("date", "booked on", "日期", "交易日期", "记账日期", "入账日期"),
    "reference": ("reference", "bank reference", "流水号", "交易流水号", "参考号", "凭证号"),
    "amount": ("amount", "金额", "交易金额", "发生额"),
    "payer": ("payer", "付款人", "对方户名", "对方名称", "付款方"),
    "memo": ("memo", "摘要", "附言", "备注", "用途"),
}


def ledger_xlsx(*, fund: Fund, year: int) -> bytes:
    """The year's ledger as the bytes of an .xlsx file: see :func:`ledger_xlsx_write`."""
    buffer = io.BytesIO()
    ledger_xlsx_write(buffer, fund=fund, year=year)
    return buffer.getvalue()


def ledger_xlsx_write(target: BinaryIO, *, fund: Fund, year: int) -> None:
    """Every posting of the year, entry by entry, as an .xlsx file written to ``target``.

    Streamed: plain tuples read in chunks (no model instances, no query per row) into a
    write-only sheet, so a year of 77k postings neither holds the whole ledger in memory
    nor takes a minute and a half (issue 17).
    """
    header = [
        _("Number"),
        _("Date"),
        _("Kind"),
        _("Description"),
        _("Source document"),
        _("Account"),
        _("Account name"),
        _("Debit"),
        _("Credit"),
        _("Reverses"),
        _("Posted by"),
    ]
    xlsx_write(
        target,
        title=_("Ledger %(year)s") % {"year": year},
        header=header,
        rows=_ledger_rows(fund=fund, year=year),
        money_columns=(7, 8),
    )


# A year's ledger up to this many entries is written while the manager waits (well under
# a second); a larger one by a Celery task into private storage (issue 17: 38k entries,
# 77k postings take seconds, and a staff page should answer in 300 ms).
LEDGER_WAIT_MAX_ENTRIES = 2000
# A prepared ledger file is served for a day at most, then written anew.
LEDGER_FILE_MAX_AGE = datetime.timedelta(days=1)


@dataclass(frozen=True)
class LedgerFile:
    """Where the year's ledger, as it stands now, is (or will be) kept in private storage.

    The ledger is append-only with gapless numbers, so the last entry's sequence number
    names its state: a file named for an older number is never served.
    """

    name: str
    entry_count: int

    @property
    def queued_key(self) -> str:
        """Cache key set while a task is writing the file (so it is queued once)."""
        return f"funds:ledger-file:{self.name}"

    @property
    def is_large(self) -> bool:
        return self.entry_count > LEDGER_WAIT_MAX_ENTRIES

    def is_ready(self) -> bool:
        storage = private_storage()
        if not storage.exists(self.name):
            return False
        return timezone.now() - storage.get_modified_time(self.name) < LEDGER_FILE_MAX_AGE


def ledger_file(*, fund: Fund, year: int) -> LedgerFile:
    """The ledger file of the year in the active language (one index-only query)."""
    last = (
        JournalEntry.objects.filter(fund=fund, year=year)
        .order_by("-sequence")
        .values_list("sequence", flat=True)
        .first()
    ) or 0
    language = translation.get_language() or settings.LANGUAGE_CODE
    return LedgerFile(
        name=f"{_ledger_folder(fund)}/ledger-{year}-{language}-{last}.xlsx", entry_count=last
    )


def ledger_file_write(*, fund: Fund, year: int) -> str:
    """Write the year's ledger into private storage (unless a fresh copy is there) and
    remove the fund's older or expired copies; the stored name."""
    target = ledger_file(fund=fund, year=year)
    storage = private_storage()
    if not target.is_ready():
        path = Path(storage.path(target.name))
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".part")
        with partial.open("wb") as stream:
            ledger_xlsx_write(stream, fund=fund, year=year)
        partial.replace(path)  # whole or nothing: a reader never sees half a file
    cache.delete(target.queued_key)
    prefix = target.name.rsplit("-", 1)[0] + "-"
    folder = Path(storage.path(_ledger_folder(fund)))
    for other in folder.glob("ledger-*.xlsx"):
        name = f"{_ledger_folder(fund)}/{other.name}"
        expired = timezone.now() - storage.get_modified_time(name) >= LEDGER_FILE_MAX_AGE
        if name != target.name and (name.startswith(prefix) or expired):
            other.unlink(missing_ok=True)
    return target.name


def _ledger_folder(fund: Fund) -> str:
    return f"exports/funds/{fund.pk}"


def _ledger_rows(*, fund: Fund, year: int) -> Iterator[list]:
    # Code and name (in the reader's language) once per account, not once per posting.
    accounts = {
        account.pk: (account.code, account.name) for account in Account.objects.filter(fund=fund)
    }
    kinds = {value: str(label) for value, label in JournalEntry.Kind.choices}
    postings = selectors.ledger_posting_rows(fund=fund, year=year)
    for (
        number,
        entry_on,
        kind,
        description,
        source,
        account_id,
        side,
        amount,
        reverses,
        email,
    ) in postings.iterator(chunk_size=LEDGER_CHUNK):
        account_code, account_name = accounts[account_id]
        yield [
            number,
            entry_on,
            kinds.get(kind, kind),
            description,
            source,
            account_code,
            account_name,
            amount if side == Posting.Side.DEBIT else None,
            amount if side == Posting.Side.CREDIT else None,
            reverses or "",
            email,
        ]


def trial_balance_xlsx(*, fund: Fund, as_of: datetime.date) -> bytes:
    balance = selectors.trial_balance(fund=fund, as_of=as_of)
    header = [_("Account"), _("Account name"), _("Kind"), _("Debit"), _("Credit"), _("Balance")]
    rows = [
        [
            row.account.code,
            row.account.name,
            row.account.get_kind_display(),
            row.debit,
            row.credit,
            row.balance,
        ]
        for row in balance.rows
    ]
    rows.append(["", _("Total"), "", balance.debit, balance.credit, balance.difference])
    return xlsx_table(
        title=_("Trial balance"),
        header=header,
        rows=rows,
        money_columns=(
            3,
            4,
            5,
        ),
    )


def income_expense_xlsx(*, fund: Fund) -> bytes:
    """Income and expense per account and year, with the year totals."""
    header = [_("Year"), _("Account"), _("Account name"), _("Kind"), _("Amount")]
    rows = []
    for totals, accounts in selectors.fund_accounts_by_year(fund=fund):
        for row in accounts:
            if row.account.kind in ("income", "expense") and (row.debit or row.credit):
                rows.append(
                    [
                        totals.year,
                        row.account.code,
                        row.account.name,
                        row.account.get_kind_display(),
                        row.balance,
                    ]
                )
        rows.append([totals.year, "", _("Total income"), "", totals.income])
        rows.append([totals.year, "", _("Total expense"), "", totals.expense])
        rows.append([totals.year, "", _("Balance at year end"), "", totals.balance])
    return xlsx_table(title=_("Income and expense"), header=header, rows=rows, money_columns=(4,))


# --- Reading a bank statement ---------------------------------------------


def _statement_error(row_number: int, message: str, code: str) -> ValidationError:
    return ValidationError(
        _("Row %(row)s: %(problem)s") % {"row": row_number, "problem": message},
        code=code,
        params={"row": row_number},
    )


def _parse_amount(value) -> Decimal:
    if isinstance(value, float):
        # openpyxl gives numeric cells as floats: take the shortest decimal text of it,
        # never the binary value, and refuse what is not a whole number of fen.
        value = repr(value)
    if isinstance(value, int):
        value = str(value)
    if not isinstance(value, str | Decimal):
        raise InvalidOperation
    amount = Decimal(normalise_text(value).replace(",", "").replace("¥", "").strip())
    if not amount.is_finite() or amount != amount.quantize(CENT):
        raise InvalidOperation
    return amount.quantize(CENT)


def _statement_header_key(value) -> str:
    return re.sub(r"\([^)]*\)", "", normalise_text(value).lower()).strip()


_STATEMENT_HEADERS = {alias for aliases in STATEMENT_COLUMNS.values() for alias in aliases}


def _table(upload) -> Table:
    if upload.size > STATEMENT_MAX_BYTES:
        raise ValidationError(_("The statement is larger than 5 MB."), code="file_too_large")
    name = Path(upload.name).name
    if not name.lower().endswith((".csv", ".xlsx")):
        raise ValidationError(_("Upload a .csv or .xlsx statement."), code="file_type")
    return read_table(upload.read(), name=name, max_rows=STATEMENT_MAX_ROWS)


def statement_read(upload) -> list[StatementRow]:
    """Parse a statement into rows; unreadable lines carry their error (row numbers as shown).

    Read by ``core.tabular``: GBK or UTF-8, blank rows skipped, a bank's title
    rows above the header skipped, dates as people and banks write them.
    """
    table = _table(upload)
    if not table.rows:
        raise ValidationError(_("The statement has no rows."), code="empty_file")
    try:
        start = locate_header(
            table, is_header=lambda cell: _statement_header_key(cell) in _STATEMENT_HEADERS
        )
    except ValidationError:
        start = 0  # named below: the columns that are missing
    header = [_statement_header_key(cell) for cell in table.rows[start]]
    positions = {}
    for name, aliases in STATEMENT_COLUMNS.items():
        for index, title in enumerate(header):
            if title in aliases:
                positions[name] = index
                break
    missing = [name for name in ("date", "reference", "amount") if name not in positions]
    if missing:
        raise ValidationError(
            _("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)},
            code="missing_columns",
        )
    if len(table.rows) - 1 - start > STATEMENT_MAX_ROWS:
        raise ValidationError(_("At most 5,000 rows at a time."), code="too_many_rows")

    def cell(row, name):
        index = positions.get(name)
        if index is None or index >= len(row) or row[index] is None:
            return ""
        return row[index]

    rows = []
    for number, raw in zip(table.numbers[start + 1 :], table.rows[start + 1 :], strict=True):
        row = StatementRow(row_number=number)
        row.reference = normalise_text(cell(raw, "reference"))
        row.payer = str(cell(raw, "payer")).strip()
        row.memo = str(cell(raw, "memo")).strip()
        if not row.reference:
            row.error = _statement_error(number, _("no bank reference."), "reference_missing")
        else:
            try:
                row.booked_on = parse_date(cell(raw, "date"))
                if row.booked_on is None:
                    raise ValueError(_("the date cannot be read."))
            except ValueError as exc:
                row.error = _statement_error(number, str(exc), "invalid_date")
            else:
                try:
                    row.amount = _parse_amount(cell(raw, "amount"))
                except (InvalidOperation, ValueError):
                    row.error = _statement_error(
                        number, _("the amount is not in yuan and fen."), "invalid_amount"
                    )
        rows.append(row)
    return rows
