"""core.spreadsheets: the one streamed .xlsx writer (issue 17) and formula escaping."""

import datetime
import io
import tracemalloc
import zipfile
from decimal import Decimal

from openpyxl import load_workbook

from core.spreadsheets import xlsx_table, xlsx_write


def _sheet(content: bytes):
    return load_workbook(io.BytesIO(content)).active


def test_xlsx_table_keeps_types_formats_and_escapes_formulas():
    moment = datetime.datetime(2025, 3, 1, 1, 30, tzinfo=datetime.UTC)  # 09:30 in Shanghai
    rows = [
        [
            "=cmd|' /C calc'!A0",
            Decimal("1234.56"),
            datetime.date(2025, 2, 28),
            moment,
            7,
            True,
            None,
            "",
            "A&B <c> 捐款",
        ],
        ["-2", "+SUM(A1)", "@x", Decimal("-5.00"), 2.5, "bell\x07 tab\x0b", " padded "],
    ]
    sheet = _sheet(
        xlsx_table(title="Ledger: 2025/1", header=["=h", "b"], rows=rows, money_columns=(1, 3))
    )
    assert sheet.title == "Ledger  2025 1"  # Excel refuses : / in a sheet name
    assert [cell.value for cell in sheet[1]][:3] == ["'=h", "b", None]
    assert sheet["A1"].font.bold and sheet.freeze_panes == "A2"
    first, second = (list(row) for row in sheet.iter_rows(min_row=2, values_only=True))
    assert first[0] == "'=cmd|' /C calc'!A0"
    assert Decimal(str(first[1])) == Decimal("1234.56") and sheet["B2"].number_format == "#,##0.00"
    assert (
        first[2].isoformat() == "2025-02-28T00:00:00" and sheet["C2"].number_format == "yyyy-mm-dd"
    )
    assert first[3].isoformat() == "2025-03-01T09:30:00"  # local time, as staff read it
    assert first[4:8] == [7, True, None, None]
    assert first[8] == "A&B <c> 捐款"
    assert second[:3] == ["'-2", "'+SUM(A1)", "'@x"]  # escaped, also in a money column
    assert second[3] == -5 and sheet["D3"].number_format == "#,##0.00"
    assert second[4] == 2.5 and sheet["E3"].number_format == "General"
    assert second[5:7] == ["bell tab", " padded "]  # characters XML cannot hold are dropped


def test_xlsx_table_freezes_the_given_cell():
    sheet = _sheet(xlsx_table(title="t", header=["a", "b"], rows=[["x", 1]], freeze="B2"))
    assert sheet.freeze_panes == "B2"


def test_xlsx_write_streams_to_a_file_and_holds_no_row_in_memory(tmp_path):
    """Issue 17: a year's ledger is 77k rows; the writer's peak must not grow with them."""

    def peak_for(count: int) -> tuple[int, bytes]:
        rows = ([index, f"第{index}行 donation", Decimal("1.00")] for index in range(count))
        path = tmp_path / f"{count}.xlsx"
        with path.open("wb") as target:
            tracemalloc.start()
            try:
                xlsx_write(target, title="t", header=["a", "b", "c"], rows=rows, money_columns=(2,))
                _current, peak = tracemalloc.get_traced_memory()
            finally:
                tracemalloc.stop()
        return peak, path.read_bytes()

    small, _content = peak_for(2_000)
    large, content = peak_for(40_000)
    assert large < small + 512 * 1024
    assert large < 2 * 1024 * 1024
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert archive.testzip() is None
    sheet = _sheet(content)
    assert sheet.max_row == 40_001 and sheet["C40001"].number_format == "#,##0.00"
    assert sheet["B40001"].value == "第39999行 donation"
