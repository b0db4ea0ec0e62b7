"""Written rosters open in Excel as the county expects: IDs as text, dates as dates, merged title, frozen header."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

from pensiondesk.sheets.columns import RosterField, propose_mapping
from pensiondesk.sheets.export import ROSTER_COLUMNS, ColumnKind, ListColumn, RosterLine, write_list, write_roster
from pensiondesk.sheets.reader import read_table

LINES = [
    RosterLine(
        name="张三",
        sex="女",
        ethnicity="汉族",
        birth_date=date(1949, 12, 31),
        id_number="11010519491231002X",
        hukou_address="红旗村8号",
        residence_address="红旗村8号",
        phone="13812345678",
        group_name="第一村民小组",
        household_head_name="张三",
        relation="户主",
        category="061 低保对象（061）",
        tier=200,
        notes=None,
    ),
    RosterLine(name="李四", sex="男", ethnicity=None, birth_date=date(1980, 1, 1), id_number="340524198001010013"),
    RosterLine(
        name="王五", sex="男", ethnicity="回族", birth_date=None, id_number="011105198001010015", phone="0371-1234567"
    ),
]


@pytest.fixture()
def roster_file(tmp_path: Path) -> Path:
    path = tmp_path / "花名册.xlsx"
    assert write_roster(path, iter(LINES), village_name="红旗村", year=2026, made_on=date(2026, 11, 22)) == 3
    return path


def test_roster_layout(roster_file: Path) -> None:
    ws = openpyxl.load_workbook(roster_file).active
    assert ws is not None
    assert ws["A1"].value == "红旗村2026年城乡居民养老保险参保花名册"
    assert {str(r) for r in ws.merged_cells.ranges} == {"A1:O1", "A2:O2"}
    assert "2026-11-22" in ws["A2"].value
    assert [c.value for c in ws[3]] == [c.title for c in ROSTER_COLUMNS]
    assert [c.value for c in ws[3]] == [
        "序号", "姓名", "性别", "民族", "出生日期", "公民身份号码", "户籍所在地", "居住地址", "联系电话",
        "村民小组", "户主姓名", "与户主关系", "参保身份", "缴费档次", "备注",
    ]  # fmt: skip
    assert ws.freeze_panes == "A4"
    assert ws.print_title_rows == "$3:$3"
    assert ws.column_dimensions["F"].width >= 20  # the ID column is wide enough for 18 characters
    assert ws["A7"].value == "共 3 人"


def test_ids_and_phones_are_text_and_dates_are_dates(roster_file: Path) -> None:
    ws = openpyxl.load_workbook(roster_file).active
    assert ws is not None
    for row in (4, 5, 6):
        cell = ws[f"F{row}"]
        assert isinstance(cell.value, str) and len(cell.value) == 18
        assert cell.number_format == "@"
        assert ws[f"I{row}"].number_format == "@"
    assert ws["F6"].value == "011105198001010015"  # the leading zero survives
    assert ws["I4"].value == "13812345678"
    assert ws["E4"].is_date and ws["E4"].value == datetime(1949, 12, 31)
    assert ws["E4"].number_format == "yyyy-mm-dd"
    assert ws["E6"].value is None
    assert ws["A4"].value == 1 and ws["N4"].value == 200


def test_roster_reads_back_through_the_importers_reader(roster_file: Path) -> None:
    table = read_table(roster_file)
    assert table.header_rows == (3,)
    mapping = propose_mapping(table.headers)
    # Every exported column is recognised (the roster has no 户主身份证号 column).
    assert set(mapping.columns) == set(RosterField) - {RosterField.HOUSEHOLD_HEAD_ID_NUMBER}
    assert mapping.unmapped == ()
    ids = [row[mapping.columns[RosterField.ID_NUMBER]] for row in table.rows[:3]]
    assert ids == [line.id_number for line in LINES]
    assert table.rows[3][0] == "共 3 人"  # the closing line (the importer skips it: no name, no ID)


def test_generic_list_writer(tmp_path: Path) -> None:
    path = tmp_path / "名单.xlsx"
    progress: list[int] = []
    columns = [
        ListColumn("姓名", 10),
        ListColumn("公民身份号码", 21, ColumnKind.TEXT),
        ListColumn("年满60周岁日期", 14, ColumnKind.DATE),
        ListColumn("金额", 8, ColumnKind.NUMBER),
    ]
    rows = ((f"人{i}", f"01010219660101{i:04d}", date(2026, 1, 1), i) for i in range(2500))
    count = write_list(
        path,
        title="即将年满60周岁人员名单",
        columns=columns,
        rows=rows,
        footer=lambda n: f"合计 {n} 人",
        progress=progress.append,
    )
    assert count == 2500
    assert progress[-1] == 2500 and 1000 in progress
    ws = openpyxl.load_workbook(path, read_only=False).active
    assert ws is not None
    assert ws["A1"].value == "即将年满60周岁人员名单"
    assert ws.freeze_panes == "A3"
    assert ws["B3"].value == "010102196601010000" and ws["B3"].number_format == "@"
    assert ws["C3"].is_date
    assert ws["A2503"].value == "合计 2500 人"
    assert not (tmp_path / "名单.xlsx.part").exists()


def test_a_failed_write_leaves_no_file(tmp_path: Path) -> None:
    path = tmp_path / "half.xlsx"

    def rows():  # type: ignore[no-untyped-def]
        yield ("张三",)
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        write_list(path, title="t", columns=[ListColumn("姓名")], rows=rows())
    assert not path.exists()
    assert not (tmp_path / "half.xlsx.part").exists()
