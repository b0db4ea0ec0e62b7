"""Reading real roster files: header under title rows, merged two-row headers, encodings, bad files."""

from __future__ import annotations

import codecs
import re
import zipfile
from datetime import date
from pathlib import Path

import make_fixtures as mf
import pytest
from openpyxl import Workbook

from pensiondesk.sheets.columns import RosterField, propose_mapping
from pensiondesk.sheets.reader import SheetError, find_header, read_table

FORMATS = ["xlsx", "xls", "ods", "csv-gbk", "csv-utf8bom"]


@pytest.mark.parametrize("kind", FORMATS)
def test_messy_roster_header_and_rows_in_every_format(messy_files: dict[str, Path], kind: str) -> None:
    table = read_table(messy_files[kind])
    assert table.header_rows == (3, 4)
    assert table.first_data_row == 5
    assert table.headers[:5] == ("序号", "姓名", "身份证号", "性别", "出生日期")
    mapping = propose_mapping(table.headers)
    assert mapping.column_of(RosterField.ID_NUMBER) == 2
    assert mapping.column_of(RosterField.SEX) == 3
    assert mapping.column_of(RosterField.NAME) == 1
    assert mapping.column_of(RosterField.PHONE) == 11
    assert mapping.missing_required == ()
    names = [row[1] for row in table.rows[:11]]
    assert names[0] == "李建华" and names[9] == mf.SAMPLE_SAME.name and names[10] == mf.SAMPLE_RENAMED.name + "改"
    assert table.row_number(0) == 5
    # The number cell: xlsx, xls and ods give a float; CSV gives what Excel showed.
    son_id = table.rows[2][2]
    assert son_id == "4.10102E+17" if kind.startswith("csv") else isinstance(son_id, float)


@pytest.mark.parametrize("kind", ["xlsx", "xls", "ods"])
def test_typed_cells_come_back_typed(messy_files: dict[str, Path], kind: str) -> None:
    rows = read_table(messy_files[kind]).rows
    assert rows[0][4] == mf.HEAD_BIRTH  # a date cell is a date
    assert rows[0][10] in (200, 200.0)


def test_first_sheet_without_header_is_skipped_and_said(messy_files: dict[str, Path]) -> None:
    table = read_table(messy_files["xlsx"])
    assert table.sheet_name == "花名册"
    assert table.sheet_names == ("填表说明", "花名册")
    assert any("填表说明" in note and "花名册" in note for note in table.notes)


def test_a_named_sheet(messy_files: dict[str, Path]) -> None:
    assert read_table(messy_files["xlsx"], sheet="花名册").sheet_name == "花名册"
    with pytest.raises(SheetError, match="没有名为“人员”的工作表；现有工作表：“填表说明”、“花名册”"):
        read_table(messy_files["xlsx"], sheet="人员")
    with pytest.raises(SheetError, match="找不到花名册的表头"):
        read_table(messy_files["xlsx"], sheet="填表说明")


def test_header_row_can_be_given(messy_files: dict[str, Path]) -> None:
    table = read_table(messy_files["csv-gbk"], header_row=4)
    assert table.header_rows == (4,)
    assert table.first_data_row == 5


def test_csv_encodings_are_detected(messy_files: dict[str, Path], tmp_path: Path) -> None:
    assert read_table(messy_files["csv-gbk"]).encoding == "gb18030"
    assert read_table(messy_files["csv-utf8bom"]).encoding == "utf-8-sig"
    plain = tmp_path / "plain.csv"
    plain.write_bytes(messy_files["csv-utf8bom"].read_bytes()[len(codecs.BOM_UTF8) :])
    assert read_table(plain).encoding == "utf-8"
    # Excel's "Unicode text": UTF-16 with a BOM, tab-separated.
    text = "姓名\t身份证号\t性别\n张三\t11010519491231002X\t女\n"
    unicode_text = tmp_path / "unicode.txt"
    unicode_text.write_bytes(codecs.BOM_UTF16_LE + text.encode("utf-16-le"))
    table = read_table(unicode_text)
    assert table.encoding == "utf-16"
    assert table.rows == [["张三", "11010519491231002X", "女"]]


def test_csv_keeps_excel_text_formulas_as_text(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text('姓名,身份证号\n张三,"=""11010519491231002X"""\n', encoding="utf-8")
    assert read_table(path).rows == [["张三", "11010519491231002X"]]


def test_xlsx_with_the_wrong_extension_is_read_by_content(messy_files: dict[str, Path], tmp_path: Path) -> None:
    renamed = tmp_path / "roster.xls"
    renamed.write_bytes(messy_files["xlsx"].read_bytes())
    table = read_table(renamed)
    assert table.file_format == "xlsx"
    assert table.header_rows == (3, 4)


def test_vertical_merges_in_data_rows_are_carried_down(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["姓名", "身份证号", "户主姓名", "户籍地址"])
    ws.append(["张三", "11010519491231002X", "张三", "红旗村8号"])
    ws.append(["李四", "34052419800101001X", None, None])
    ws.append(["制表人：王五", None, None, None])
    ws.merge_cells("C2:C3")
    ws.merge_cells("D2:D3")
    ws.merge_cells("A4:D4")  # a footer merged across: stays in its first cell
    path = tmp_path / "merged.xlsx"
    wb.save(path)
    rows = read_table(path).rows
    assert rows[1][2:] == ["张三", "红旗村8号"]
    assert rows[2] == ["制表人：王五", "", "", ""]


def test_find_header_picks_the_row_with_most_column_names() -> None:
    rows = [
        ["某某村花名册", "", ""],
        ["姓名", "性别", ""],  # a decoy: fewer names
        ["", "", ""],
        ["姓名", "身份证号", "性别"],
        ["张三", "11010519491231002X", "女"],
    ]
    guess = find_header(rows)
    assert guess is not None
    assert guess.rows == (3,)
    assert guess.data_start == 4
    assert find_header([["标题"], ["张三", "11010519491231002X"]]) is None
    # A data row whose relation cell says 户主 is never taken for a header.
    assert find_header([["张三", "户主", "11010519491231002X"]]) is None


# --- files that cannot be read ----------------------------------------------------------------------------------


def _assert_plain_chinese(error: SheetError) -> None:
    assert "Traceback" not in error.user_message
    assert any("\u4e00" <= ch <= "\u9fff" for ch in error.user_message)


def test_truncated_xlsx(messy_files: dict[str, Path], tmp_path: Path) -> None:
    broken = tmp_path / "broken.xlsx"
    data = messy_files["xlsx"].read_bytes()
    broken.write_bytes(data[: len(data) // 2])
    with pytest.raises(SheetError, match="已损坏或不完整") as caught:
        read_table(broken)
    _assert_plain_chinese(caught.value)


def test_corrupt_sheet_inside_a_valid_zip(messy_files: dict[str, Path], tmp_path: Path) -> None:
    corrupt = tmp_path / "corrupt.xlsx"
    with zipfile.ZipFile(messy_files["xlsx"]) as source, zipfile.ZipFile(corrupt, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                data = data[: len(data) // 3]
            target.writestr(item, data)
    with pytest.raises(SheetError) as caught:
        read_table(corrupt)
    _assert_plain_chinese(caught.value)


def test_text_file_renamed_xlsx(tmp_path: Path) -> None:
    fake = tmp_path / "花名册.xlsx"
    fake.write_text("姓名,身份证号\n张三,11010519491231002X\n", encoding="utf-8")
    with pytest.raises(SheetError, match=re.escape("扩展名是 .xlsx，但内容不是 Excel 表格")) as caught:
        read_table(fake)
    _assert_plain_chinese(caught.value)


def test_html_saved_as_xls(tmp_path: Path) -> None:
    page = tmp_path / "导出.xls"
    page.write_text("<html><body><table><tr><td>姓名</td></tr></table></body></html>", encoding="utf-8")
    with pytest.raises(SheetError, match="网页"):
        read_table(page)


def test_empty_file_and_empty_sheet(tmp_path: Path) -> None:
    empty = tmp_path / "empty.xlsx"
    empty.write_bytes(b"")
    with pytest.raises(SheetError, match="是空的"):
        read_table(empty)
    blank = tmp_path / "blank.xlsx"
    Workbook().save(blank)
    with pytest.raises(SheetError, match="没有任何数据"):
        read_table(blank)


def test_password_protected_workbook(tmp_path: Path) -> None:
    # An encrypted .xlsx is an OLE container holding an "EncryptedPackage" stream.
    locked = tmp_path / "locked.xlsx"
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    locked.write_bytes(header + "EncryptedPackage".encode("utf-16-le") + bytes(1024))
    with pytest.raises(SheetError, match="设置了打开密码"):
        read_table(locked)


def test_missing_file_and_unknown_format(tmp_path: Path) -> None:
    with pytest.raises(SheetError, match="找不到文件"):
        read_table(tmp_path / "nowhere.xlsx")
    odd = tmp_path / "roster.pdf"
    odd.write_bytes(b"%PDF-1.4 ...")
    with pytest.raises(SheetError, match="不能识别文件"):
        read_table(odd)


def test_no_header_anywhere(tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_text("甲,乙\n1,2\n", encoding="utf-8")
    with pytest.raises(SheetError, match="找不到花名册的表头") as caught:
        read_table(path)
    assert "姓名" in caught.value.user_message


def test_large_date_cells_and_numbers(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["姓名", "身份证号", "出生日期"])
    ws.append(["张三", "11010519491231002X", date(1949, 12, 31)])
    path = tmp_path / "d.xlsx"
    wb.save(path)
    assert read_table(path).rows[0][2] == date(1949, 12, 31)
