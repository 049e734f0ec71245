"""Reading spreadsheets as office workers make them: every import goes through here.

- ``.csv``: UTF-8 with or without a BOM, else GB18030 (a superset of GBK, what
  Chinese Excel saves as "CSV"); comma, tab or semicolon separated.
- ``.xlsx``: the first sheet, values not formulas; a zip bomb (a member that
  unpacks to far more than the file, or to more than 100 MB) or a sheet that
  claims millions of rows or thousands of columns is refused before it is read.
- Text cells are stripped (ideographic spaces too) and lose invisible
  characters; names keep their full-width brackets. Codes, phone numbers,
  numbers, dates, headers and choices go through ``normalise_text`` (NFKC:
  ``１３９`` → ``139``, ``０２１－`` → ``021-``) before they are checked.
- Blank rows are dropped; each row keeps its spreadsheet row number.
- A title row above the header (often merged cells) is skipped when the header
  is found lower down (``locate_header``).
- Dates: ISO, ``2015/2/3``, ``2015.2.3``, ``20150203``, ``2015年2月3日``, a date
  cell, or an Excel serial number (``42038``); an impossible date
  (``2015年2月30日``) is reported as such, not as a format problem.

Errors are ``ValidationError`` with a code and a message in the user's language.
"""

import csv
import datetime
import io
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_PACKING_RATIO = 100  # a real sheet packs 5–20 times; a bomb packs thousands of times
MAX_COLUMNS = 200
HEADER_SEARCH_ROWS = 10
INVISIBLE = dict.fromkeys(map(ord, "\ufeff\u200b\u200c\u200d\u2060"), None)
EXCEL_EPOCH = datetime.date(1899, 12, 30)


@dataclass
class Table:
    """The non-blank rows of a sheet: ``rows[i]`` was spreadsheet row ``numbers[i]``."""

    rows: list[list] = field(default_factory=list)
    numbers: list[int] = field(default_factory=list)


def normalise_text(value) -> str:
    """NFKC (full-width to ASCII, ideographic space to space), invisible characters out, stripped."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFKC", str(value)).translate(INVISIBLE)
    return text.strip()


def clean_cell(value):
    """Text stripped (ideographic spaces too), invisible characters out; the rest as it is."""
    if isinstance(value, str):
        return value.translate(INVISIBLE).strip()
    return value


def is_blank(row: Iterable) -> bool:
    return all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in row)


# --- Files -------------------------------------------------------------------------------


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM), else GB18030; refuses what is neither."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        raise ValidationError(
            _(
                "The file cannot be read as text: it is neither UTF-8 nor GBK/GB18030. "
                "In Excel, save it as “CSV UTF-8” or as .xlsx and upload it again."
            ),
            code="unreadable_encoding",
        ) from None


def _csv_rows(data: bytes) -> Iterable[list]:
    text = decode_text(data)
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    return csv.reader(io.StringIO(text), dialect)


def _refuse_bomb(data: bytes) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise ValidationError(
            _("The file is not a readable .xlsx workbook. Save it again from Excel as .xlsx."),
            code="unreadable_xlsx",
        ) from None
    unpacked = 0
    for member in archive.infolist():
        unpacked += member.file_size
        ratio = member.file_size / max(member.compress_size, 1)
        if unpacked > MAX_UNPACKED_BYTES or (
            member.file_size > 1024 * 1024 and ratio > MAX_PACKING_RATIO
        ):
            raise ValidationError(
                _(
                    "The workbook unpacks to far more data than an import sheet holds "
                    "(a damaged or malicious file); it was not read."
                ),
                code="xlsx_too_large",
            )


def _xlsx_rows(data: bytes, max_rows: int) -> Iterable[list]:
    from openpyxl import load_workbook

    _refuse_bomb(data)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        claimed_rows, claimed_columns = sheet.max_row or 0, sheet.max_column or 0
    except Exception:  # noqa: BLE001 - any broken workbook is the same problem for the user
        raise ValidationError(
            _("The file is not a readable .xlsx workbook. Save it again from Excel as .xlsx."),
            code="unreadable_xlsx",
        ) from None
    if claimed_columns > MAX_COLUMNS or claimed_rows > max_rows * 5 + 1000:
        raise ValidationError(
            _(
                "The sheet claims %(rows)s rows and %(columns)s columns, far more than can be "
                "imported; copy the rows that matter into a new workbook."
            )
            % {"rows": claimed_rows, "columns": claimed_columns},
            code="xlsx_too_large",
        )
    return sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS)


def read_table(data: bytes, *, name: str, max_rows: int = 5000) -> Table:
    """The non-blank rows of a ``.csv`` or ``.xlsx`` file, normalised, with their row numbers.

    Refuses another type, an unreadable file, and more than ``max_rows`` rows
    (blank rows not counted; a header and a title row allowed for).
    """
    lower = name.lower()
    if lower.endswith(".csv"):
        source = _csv_rows(data)
    elif lower.endswith(".xlsx"):
        source = _xlsx_rows(data, max_rows)
    else:
        raise ValidationError(_("Upload a .csv or .xlsx file."), code="file_type")
    table = Table()
    for number, row in enumerate(source, start=1):
        cells = [clean_cell(cell) for cell in row]
        while cells and (cells[-1] is None or cells[-1] == ""):
            cells.pop()
        if is_blank(cells):
            continue
        if len(table.rows) > max_rows + 2:
            raise ValidationError(
                _("The file has more than %(limit)s rows; import at most %(limit)s at a time.")
                % {"limit": max_rows},
                code="too_many_rows",
            )
        table.rows.append(cells)
        table.numbers.append(number)
    return table


def locate_header(table: Table, *, is_header: Callable[[object], bool], minimum: int = 2) -> int:
    """The index in ``table.rows`` of the header row: the first of the top rows where at

    least ``minimum`` cells are known headers. Rows above it (a title, often
    merged cells) are skipped. Refuses a file where no such row is found.
    """
    for index, row in enumerate(table.rows[:HEADER_SEARCH_ROWS]):
        if sum(1 for cell in row if is_header(cell)) >= minimum:
            return index
    raise ValidationError(
        _(
            "No header row was found in the first %(count)s rows: the first row must be the "
            "column headers (delete any title row above them)."
        )
        % {"count": HEADER_SEARCH_ROWS},
        code="header_not_found",
    )


# --- Cells -------------------------------------------------------------------------------

_DATE_PARTS = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_SERIAL = re.compile(r"^\d{4,5}(\.0+)?$")


def parse_date(value) -> datetime.date | None:
    """A date from a cell (see the module docstring); ``None`` for a blank cell.

    Raises ``ValueError`` with a message for the user: a date that does not
    exist is named as such.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _from_serial(value)
    text = normalise_text(value)
    text = re.sub(r"[ T]0?0:00(:00)?$", "", text)  # a date written with midnight
    match = _DATE_PARTS.match(text) or _COMPACT_DATE.match(text)
    if match:
        year, month, day = (int(part) for part in match.groups())
        try:
            return datetime.date(year, month, day)
        except ValueError:
            raise ValueError(
                _("“%(value)s”: there is no such date (%(year)s-%(month)s-%(day)s).")
                % {"value": text, "year": year, "month": f"{month:02d}", "day": f"{day:02d}"}
            ) from None
    if _SERIAL.match(text):
        return _from_serial(float(text))
    raise ValueError(_("“%(value)s” is not a date; write it as 2024-03-31.") % {"value": text})


def _from_serial(number: float) -> datetime.date:
    """An Excel serial day number (1900 system, as Excel on Windows and WPS save)."""
    if number != int(number) or not 1 <= number <= 2958465:
        raise ValueError(
            _("“%(value)s” is not a date; write it as 2024-03-31.") % {"value": number}
        )
    return EXCEL_EPOCH + datetime.timedelta(days=int(number))
