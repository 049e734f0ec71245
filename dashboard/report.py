"""The annual report and the evidence pack as ``.xlsx``: a sheet per topic.

Text cells go through ``core.spreadsheets.escape_formula`` (an organisation's
name or an event title starting with ``=`` is shown, never run); money and
hours stay numbers (``Decimal`` written as such), so totals add up to the fen.
"""

import io
import re
from datetime import date, datetime
from decimal import Decimal

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from core.spreadsheets import escape_formula

from .registry import PanelData

_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def _sheet_title(title: str, used: set[str]) -> str:
    base = _SHEET_FORBIDDEN.sub(" ", str(title))[:28].strip() or "sheet"
    name, n = base, 2
    while name in used:
        name, n = f"{base[:26]} {n}", n + 1
    used.add(name)
    return name


def _cell_value(value):
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, Decimal | int | float | date):
        return value
    return escape_formula(str(value))


def _write_section(sheet, title: str, data: PanelData) -> None:
    sheet.append([escape_formula(str(title))])
    sheet["A1"].font = Font(bold=True, size=13)
    if data.note:
        sheet.append([escape_formula(str(data.note))])
    for figure in data.figures:
        sheet.append([escape_formula(str(figure.label)), _cell_value(figure.value)])
    sheet.append([])
    sheet.append([escape_formula(str(column)) for column in data.columns])
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for row in data.rows:
        sheet.append([_cell_value(cell.value) for cell in row])
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, Decimal):
                cell.number_format = "#,##0.00"
    sheet.column_dimensions["A"].width = 28
    for letter in "BCDEFG":
        sheet.column_dimensions[letter].width = 16


def workbook_bytes(*, title: str, meta: list[tuple[str, str]], sections) -> bytes:
    """A summary sheet (title, ``meta`` lines), then one sheet per ``(title, PanelData)``."""
    workbook = Workbook()
    summary = workbook.active
    used: set[str] = set()
    summary.title = _sheet_title(_("Summary"), used)
    summary.append([escape_formula(title)])
    summary["A1"].font = Font(bold=True, size=14)
    for label, value in meta:
        summary.append([escape_formula(str(label)), escape_formula(str(value))])
    summary.append([])
    for section_title, data in sections:
        for figure in data.figures:
            summary.append(
                [escape_formula(f"{section_title} · {figure.label}"), _cell_value(figure.value)]
            )
        _write_section(
            workbook.create_sheet(_sheet_title(section_title, used)), section_title, data
        )
    summary.column_dimensions["A"].width = 40
    summary.column_dimensions["B"].width = 24
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
