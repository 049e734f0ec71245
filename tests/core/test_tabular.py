"""core.tabular: spreadsheets as office workers make them (issue 11)."""

import datetime
import io
import re
import zipfile

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from core.tabular import locate_header, normalise_text, parse_date, read_table


def test_full_width_digits_and_spaces_fold_to_ascii():
    assert normalise_text("１３９ １２３４\u30005678 ") == "139 1234 5678"
    assert normalise_text("０２１－６２３４５６７８") == "021-62345678"
    assert normalise_text("\ufeff统一社会信用代码（18位）") == "统一社会信用代码(18位)"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_is_read_in_every_encoding_chinese_excel_saves(encoding):
    text = "序号,单位名称,联系电话\n1,静安区示例协会（虚构）,１３９１２３４５６７８\n"
    table = read_table(text.encode(encoding), name="名单.CSV")
    assert table.rows[1] == ["1", "静安区示例协会（虚构）", "１３９１２３４５６７８"]


def test_unreadable_csv_is_refused_in_chinese():
    with translation.override("zh-hans"), pytest.raises(ValidationError) as exc:
        read_table(b"name\n\xff\xfe\xff\n", name="x.csv")
    assert exc.value.code == "unreadable_encoding"
    assert "GBK" in exc.value.messages[0] and "无法" in exc.value.messages[0]


def test_blank_rows_are_dropped_and_rows_keep_their_numbers():
    text = "标题\n\n名称,电话\n甲,1\n,\n  ,\u3000\n乙,2\n"
    table = read_table(text.encode(), name="x.csv")
    assert [row[0] for row in table.rows] == ["标题", "名称", "甲", "乙"]
    assert table.numbers == [1, 3, 4, 7]
    assert locate_header(table, is_header=lambda cell: cell in {"名称", "电话"}) == 1


def test_no_header_in_the_top_rows_is_refused_with_advice():
    table = read_table(b"a,b\n1,2\n", name="x.csv")
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        locate_header(table, is_header=lambda cell: cell == "名称")
    assert exc.value.code == "header_not_found"
    assert "title row" in exc.value.messages[0]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2015-02-03", datetime.date(2015, 2, 3)),
        ("2015/2/3", datetime.date(2015, 2, 3)),
        ("2015.2.3", datetime.date(2015, 2, 3)),
        ("20150203", datetime.date(2015, 2, 3)),
        ("2015年2月3日", datetime.date(2015, 2, 3)),
        ("２０１５年２月３日", datetime.date(2015, 2, 3)),
        ("2015-02-03 00:00:00", datetime.date(2015, 2, 3)),
        (42038, datetime.date(2015, 2, 3)),  # an Excel serial day number
        (42038.0, datetime.date(2015, 2, 3)),
        ("42038", datetime.date(2015, 2, 3)),
        (datetime.datetime(2015, 2, 3, 0, 0, tzinfo=datetime.UTC), datetime.date(2015, 2, 3)),
        ("", None),
        (None, None),
    ],
)
def test_dates_as_people_write_them(value, expected):
    assert parse_date(value) == expected


def test_an_impossible_date_is_named_as_such():
    with translation.override("en"), pytest.raises(ValueError, match="there is no such date"):
        parse_date("2015年2月30日")
    with translation.override("zh-hans"), pytest.raises(ValueError, match="没有这一天"):
        parse_date("2015-02-30")
    with translation.override("en"), pytest.raises(ValueError, match="is not a date"):
        parse_date("去年春天")


def _xlsx(rows) -> bytes:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_a_zip_bomb_is_refused_before_it_is_read():
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(_xlsx([["a"]]))) as source,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as bomb,
    ):
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                # 60 MB of whitespace packs into a few dozen KB.
                data = data.replace(b"<sheetData>", b"<sheetData>" + b" " * 60_000_000)
            bomb.writestr(item.filename, data)
    assert len(buffer.getvalue()) < 1_000_000
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        read_table(buffer.getvalue(), name="bomb.xlsx")
    assert exc.value.code == "xlsx_too_large"
    assert "malicious" in exc.value.messages[0]


def test_a_sheet_claiming_a_huge_dimension_is_refused():
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(_xlsx([["名称"], ["甲"]]))) as source,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as huge,
    ):
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(
                    rb'<dimension ref="A1:A2"\s*/>', b'<dimension ref="A1:XFD1048576"/>', data
                )
                assert b"XFD1048576" in data
            huge.writestr(item.filename, data)
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        read_table(buffer.getvalue(), name="huge.xlsx", max_rows=2000)
    assert exc.value.code == "xlsx_too_large"
    assert "1048576 rows" in exc.value.messages[0]


def test_not_a_workbook_is_refused_clearly():
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        read_table(b"PK\x03\x04 not really", name="x.xlsx")
    assert exc.value.code == "unreadable_xlsx"
    with pytest.raises(ValidationError) as exc:
        read_table(b"%PDF", name="x.pdf")
    assert exc.value.code == "file_type"


def test_too_many_rows_are_refused():
    text = "名称\n" + "甲\n" * 30
    with pytest.raises(ValidationError) as exc:
        read_table(text.encode(), name="x.csv", max_rows=20)
    assert exc.value.code == "too_many_rows"
