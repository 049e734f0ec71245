"""Spreadsheets: formula escaping (OWASP CSV/formula injection) and the one .xlsx writer."""

import io
from collections.abc import Iterable

from openpyxl import Workbook
from openpyxl.styles import Font

# Text a spreadsheet would run as a formula when it starts with one of these.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def escape_formula(value):
    """``=cmd|...`` -> ``'=cmd|...``: a spreadsheet shows the text instead of running it."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def unescape_formula(value):
    """Undo :func:`escape_formula` on a cell read back from our own export."""
    if isinstance(value, str) and len(value) > 1 and value[0] == "'" and value[1] in "=+-@\t\r":
        return value[1:]
    return value


XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

MONEY_FORMAT = "#,##0.00"


def put_cell(sheet, row: int, column: int, value) -> None:
    """Write one cell of a laid-out sheet; text that looks like a formula is stored as
    quoted text (escaped, and marked so a spreadsheet shows it as typed)."""
    cell = sheet.cell(row=row, column=column)
    escaped = escape_formula(value)
    cell.value = escaped
    if escaped is not value:
        cell.data_type = "s"
        cell.quotePrefix = True


def workbook_bytes(workbook) -> bytes:
    """An openpyxl workbook as the bytes of an .xlsx file."""
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_table(
    *,
    title: str,
    header: list,
    rows: Iterable[list],
    money_columns: Iterable[int] = (),
    freeze: str = "A2",
) -> bytes:
    """One sheet: a bold header row, then ``rows``; every text cell formula-escaped,
    ``money_columns`` (0-based) formatted as yuan, the header (and ``freeze``) kept in view."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(title)[:31]
    sheet.append([escape_formula(str(cell)) for cell in header])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([escape_formula(value) for value in row])
    for column in money_columns:
        for (cell,) in sheet.iter_rows(min_row=2, min_col=column + 1, max_col=column + 1):
            cell.number_format = MONEY_FORMAT
    sheet.freeze_panes = freeze
    return workbook_bytes(workbook)
