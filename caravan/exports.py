"""Spreadsheets: the booth matrix out, history records in (formula-safe, NFKC-normalised)."""

import datetime
import io
import unicodedata
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

from core.spreadsheets import escape_formula, unescape_formula

from .selectors import Matrix
from .services import HistoryRow


def matrix_xlsx(matrix: Matrix) -> bytes:
    """Months × service kinds, each cell the hosts (or “open”), then the fairness sheet."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(matrix.year)
    sheet.append([_("Date"), _("Venue"), *[kind.name for kind in matrix.kinds]])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in matrix.rows:
        cells = []
        for slots in row.cells:
            names = [slot.host.organisation.name if slot.host else _("open") for slot in slots]
            cells.append("；".join(names))
        sheet.append(
            [
                row.caravan.held_on,
                escape_formula(row.caravan.event.venue_name),
                *[escape_formula(value) for value in cells],
            ]
        )
    sheet.freeze_panes = "C2"
    fairness = workbook.create_sheet(_("Booths per organisation")[:31])
    fairness.append([_("Organisation"), _("Booths")])
    for organisation, count in matrix.fairness:
        fairness.append([escape_formula(organisation.name), count])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _text(value) -> str:
    if value is None:
        return ""
    return unicodedata.normalize("NFKC", str(unescape_formula(value))).strip()


def _date(value, number: int) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(_text(value).replace("/", "-"))
    except ValueError as exc:
        raise ValidationError(
            _("Row %(row)s: the date is not YYYY-MM-DD.") % {"row": number}, code="bad_date"
        ) from exc


def history_rows(upload) -> list[HistoryRow]:
    """Rows of an uploaded .xlsx (header on the first row); refuses bad dates and numbers."""
    try:
        workbook = load_workbook(upload, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a foreign file
        raise ValidationError(_("Upload an .xlsx spreadsheet."), code="not_xlsx") from exc
    rows = []
    for number, values in enumerate(workbook.active.iter_rows(min_row=2, values_only=True), 2):
        values = list(values) + [None] * 6
        if not any(v not in (None, "") for v in values[:6]):
            continue
        try:
            people = int(_text(values[2]) or "0")
            turnover = Decimal(_text(values[4])) if _text(values[4]) else None
        except (ValueError, InvalidOperation) as exc:
            raise ValidationError(
                _("Row %(row)s: enter numbers for people and turnover.") % {"row": number},
                code="bad_number",
            ) from exc
        rows.append(
            HistoryRow(
                held_on=_date(values[0], number),
                service_code=_text(values[1]),
                people_served=people,
                organisation_name=_text(values[3]),
                turnover=turnover,
                note=_text(values[5]),
            )
        )
    return rows
