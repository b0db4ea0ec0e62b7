"""Messy county rosters (花名册) as real files: .xlsx (openpyxl), .xls (xlwt), .ods (odfpy), .csv (GBK, UTF-8-BOM).

The same content in every format, made the way rosters arrive: a merged title row, a unit/date line, a two-row
header whose 身份信息 spans 身份证号 | 性别 (the other header cells merged over both rows), then rows with the
problems villages actually send — an ID stored as a number, full-width digits and stray spaces, a 15-digit ID, the
same ID twice, a wrong check character, a birth date in the future, a sex that contradicts the ID, persons already
in the database (one identical, one with a different name), a blank line and footer lines.

:func:`messy_roster` builds the content from two persons already in the database; :data:`EXPECTED` says what the
import must do with each row (Excel row numbers, counting the title rows). Run as a script to write the files into
a folder for a look by hand::

    /work/venv/bin/python tests/sheets/make_fixtures.py OUT_DIR
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from pensiondesk.domain.idnumber import check_character

AS_OF = date(2026, 11, 22)
AREA = "410102"  # any code: the program never checks the address code


def id18(birth: date, sequence: int) -> str:
    """A valid 18-character ID for a birth date and a 3-digit sequence (odd: male, even: female)."""
    first17 = f"{AREA}{birth:%Y%m%d}{sequence:03d}"
    return first17 + check_character(first17)


def id15(birth: date, sequence: int) -> str:
    """The legacy 15-digit form (YYMMDD) of the same person."""
    return f"{AREA}{birth:%y%m%d}{sequence:03d}"


def wrong_check(number: str) -> str:
    """The number with a wrong check character."""
    right = number[-1]
    return number[:-1] + ("1" if right != "1" else "2")


def full_width(text: str) -> str:
    return "".join(chr(ord(ch) + 0xFEE0) if "0" <= ch <= "9" or ch == "X" else ch for ch in text)


def excel_serial(day: date) -> int:
    return (day - date(1899, 12, 30)).days


@dataclass(frozen=True)
class KnownPerson:
    """A person already in the database, as a roster row must repeat them."""

    name: str
    id_number: str
    sex: str  # 男/女
    birth_date: date
    group_name: str | None


@dataclass(frozen=True)
class Expected:
    """What the import does with one row: status (add/unchanged/rejected) and a phrase its problems contain."""

    row: int
    status: str
    reason: str = ""


@dataclass
class Roster:
    """A roster's cells row by row (None: empty), and merged ranges as (first_row, first_col, last_row, last_col),
    all 0-based."""

    rows: list[list[Any]]
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    sheet_name: str = "花名册"


HEADER_TOP = ["序号", "姓名", "身份信息", None, "出生日期", "民族", "村民小组", "户主姓名", "与户主关系",
              "参保身份", "缴费档次", "联系电话", "备注"]  # fmt: skip
HEADER_SUB = [None, None, "身份证号", "性别", None, None, None, None, None, None, None, None, None]
WIDTH = len(HEADER_TOP)

# The persons the fixture invents (born well before AS_OF), and their IDs.
HEAD_BIRTH = date(1965, 3, 12)
SPOUSE_BIRTH = date(1967, 8, 9)
SON_BIRTH = date(1990, 5, 6)
DAUGHTER_BIRTH = date(1995, 7, 1)
LEGACY_BIRTH = date(1958, 6, 23)
HEAD_ID = id18(HEAD_BIRTH, 11)
SPOUSE_ID = id18(SPOUSE_BIRTH, 22)
SON_ID = id18(SON_BIRTH, 31)
DAUGHTER_ID = id18(DAUGHTER_BIRTH, 42)
LEGACY_ID15 = id15(LEGACY_BIRTH, 51)
LEGACY_ID18 = id18(LEGACY_BIRTH, 51)
BAD_CHECK_ID = wrong_check(id18(date(1980, 1, 2), 61))
# In the future both for AS_OF and for the real today (the CLI tests run the program on today's date).
FUTURE_BIRTH = max(AS_OF, date.today()) + timedelta(days=60)
FUTURE_ID = id18(FUTURE_BIRTH, 71)
WRONG_SEX_ID = id18(date(1975, 4, 4), 81)  # 081: odd → male

#: What the import must do with each row of :func:`messy_roster` (1-based Excel rows; data starts at row 5).
EXPECTED: tuple[Expected, ...] = (
    Expected(5, "add"),
    Expected(6, "add"),
    Expected(7, "rejected", "存成了数字"),
    Expected(8, "add", "已自动更正"),
    Expected(9, "add", "15位"),
    Expected(10, "rejected", "与第5行"),
    Expected(11, "rejected", "校验码"),
    Expected(12, "rejected", "晚于今天"),
    Expected(13, "rejected", "性别与身份证号不一致"),
    Expected(14, "unchanged"),
    Expected(15, "rejected", "已存在，信息不同"),
)
#: Rows that hold no person (a total, a signature line): skipped and listed.
SKIPPED_ROWS = (17, 18)
ADDED_IDS = (HEAD_ID, SPOUSE_ID, DAUGHTER_ID, LEGACY_ID18)


def messy_roster(same: KnownPerson, renamed: KnownPerson, *, village: str = "红旗村") -> Roster:
    """The messy roster: ``same`` is repeated exactly (unchanged), ``renamed`` with another name (rejected)."""
    title = [f"{village}2026年城乡居民养老保险参保花名册"] + [None] * (WIDTH - 1)
    unit = [f"填报单位：{village}（盖章）      填报日期：2026年11月20日"] + [None] * (WIDTH - 1)
    g1, g2 = "第一村民小组", "第二村民小组"
    head = "李建华"

    def line(seq: int, *cells: Any) -> list[Any]:
        row = [seq, *cells]
        return row + [None] * (WIDTH - len(row))

    data = [
        # 5: a household head — date cell, phone as text.
        line(1, head, HEAD_ID, "男", HEAD_BIRTH, "汉族", g1, head, "户主", "011", 200, "13812345678"),
        # 6: spouse — birth date as text with slashes, 汉 for 汉族, category by name.
        line(2, "王秀英", SPOUSE_ID, "女", "1967/8/9", "汉", g1, head, "配偶", "普通", 200),
        # 7: son — the ID stored as a number (digits lost), birth date as an 8-digit number.
        line(3, "李明", float(SON_ID), "男", 19900506, "汉族", g1, head, "长子", "011", 300),
        # 8: daughter — padded name, full-width digits and spaces in the ID, 年月日 date, phone as a number.
        line(
            4,
            "李  娜",
            " " + full_width(DAUGHTER_ID[:6]) + " " + DAUGHTER_ID[6:] + "　",
            "女",
            "1995年7月1日",
            "汉族",
            g1,
            head,
            "次女",
            "011",
            200,
            13900001111.0,
        ),
        # 9: another household head with a 15-digit legacy ID, birth date as an Excel serial, 低保 by name.
        line(
            5,
            "赵大山",
            LEGACY_ID15,
            "男",
            excel_serial(LEGACY_BIRTH),
            "回族",
            g2,
            "赵大山",
            "户主",
            "低保对象（061）",
            100,
        ),
        # 10: the ID of row 5 again.
        line(6, "孙悦", HEAD_ID, "男", HEAD_BIRTH, "汉族", g1),
        # 11: a wrong check character.
        line(7, "周强", BAD_CHECK_ID, "男", date(1980, 1, 2), "汉族", g1),
        # 12: a birth date in the future (in the ID).
        line(8, "吴婷", FUTURE_ID, "女", None, "汉族", g1),
        # 13: the ID says male, the row says female.
        line(9, "郑伟", WRONG_SEX_ID, "女", date(1975, 4, 4), "汉族", g2),
        # 14: a person already in the database, exactly as stored.
        line(10, same.name, same.id_number, same.sex, same.birth_date, None, same.group_name),
        # 15: a person already in the database under another name.
        line(11, renamed.name + "改", renamed.id_number, renamed.sex, renamed.birth_date, None, renamed.group_name),
        # 16: blank; 17–18: footer lines.
        [None] * WIDTH,
        ["合计：11人"] + [None] * (WIDTH - 1),
        ["制表人：张会计      审核人：王主任"] + [None] * (WIDTH - 1),
    ]
    merges = [(0, 0, 0, WIDTH - 1), (2, 2, 2, 3)]
    merges += [(2, c, 3, c) for c in range(WIDTH) if c not in (2, 3)]
    return Roster([title, unit, HEADER_TOP, HEADER_SUB, *data], merges)


# --- writers --------------------------------------------------------------------------------------------------


def write_xlsx(roster: Roster, path: Path) -> Path:
    """openpyxl, as Excel saves it: numbers as numbers, dates as date cells, merged ranges."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = roster.sheet_name
    for r, row in enumerate(roster.rows, start=1):
        for c, value in enumerate(row, start=1):
            if value is not None:
                cell = ws.cell(row=r, column=c, value=value)
                if isinstance(value, date):
                    cell.number_format = "yyyy-mm-dd"
    for top, left, bottom, right in roster.merges:
        ws.merge_cells(f"{get_column_letter(left + 1)}{top + 1}:{get_column_letter(right + 1)}{bottom + 1}")
    # A second, empty-ish sheet in front is common ("说明"); the reader must skip it.
    notes = wb.create_sheet("填表说明", 0)
    notes["A1"] = "身份证号一列请设为文本格式"
    wb.save(path)
    return path


def write_xls(roster: Roster, path: Path) -> Path:
    """xlwt: the old Excel 97–2003 format, with merged ranges and date formats."""
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet(roster.sheet_name)
    date_style = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    merged_away = {
        (r, c)
        for top, left, bottom, right in roster.merges
        for r in range(top, bottom + 1)
        for c in range(left, right + 1)
        if (r, c) != (top, left)
    }
    for top, left, bottom, right in roster.merges:
        value = roster.rows[top][left]
        ws.write_merge(top, bottom, left, right, "" if value is None else value)
    starts = {(top, left) for top, left, _, _ in roster.merges}
    for r, row in enumerate(roster.rows):
        for c, value in enumerate(row):
            if value is None or (r, c) in merged_away or (r, c) in starts:
                continue
            if isinstance(value, date):
                ws.write(r, c, value, date_style)
            else:
                ws.write(r, c, value)
    wb.save(str(path))
    return path


def write_ods(roster: Roster, path: Path) -> Path:
    """odfpy: an OpenDocument spreadsheet with typed cells and spanned (merged) cells."""
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import CoveredTableCell, Table, TableCell, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    table = Table(name=roster.sheet_name)
    spans = {(top, left): (bottom - top + 1, right - left + 1) for top, left, bottom, right in roster.merges}
    covered = {
        (r, c)
        for top, left, bottom, right in roster.merges
        for r in range(top, bottom + 1)
        for c in range(left, right + 1)
        if (r, c) != (top, left)
    }
    for r, row in enumerate(roster.rows):
        tr = TableRow()
        for c, value in enumerate(row):
            if (r, c) in covered:
                tr.addElement(CoveredTableCell())
                continue
            attributes: dict[str, Any] = {}
            if (r, c) in spans:
                rows, cols = spans[(r, c)]
                attributes.update(numberrowsspanned=rows, numbercolumnsspanned=cols)
            if value is None:
                cell = TableCell(**attributes)
            elif isinstance(value, bool):
                cell = TableCell(valuetype="boolean", booleanvalue=str(value).lower(), **attributes)
                cell.addElement(P(text=str(value)))
            elif isinstance(value, int | float):
                cell = TableCell(valuetype="float", value=repr(value), **attributes)
                cell.addElement(P(text=f"{value:g}"))
            elif isinstance(value, date):
                cell = TableCell(valuetype="date", datevalue=value.isoformat(), **attributes)
                cell.addElement(P(text=value.isoformat()))
            else:
                cell = TableCell(valuetype="string", **attributes)
                cell.addElement(P(text=str(value)))
            tr.addElement(cell)
        table.addElement(tr)
    doc.spreadsheet.addElement(table)
    doc.save(str(path))
    return path


def csv_text(value: Any) -> str:
    """A cell as Excel writes it into CSV: numbers as displayed (an 18-digit number in scientific notation)."""
    if value is None:
        return ""
    if isinstance(value, float):
        # Excel's General format: up to 11 digits as they are, longer numbers in scientific notation.
        if value.is_integer() and abs(value) < 1e11:
            return str(int(value))
        return f"{value:.5E}" if abs(value) >= 1e11 else f"{value:g}"
    if isinstance(value, date):
        return f"{value.year}/{value.month}/{value.day}"
    return str(value)


def write_csv(roster: Roster, path: Path, encoding: str) -> Path:
    """CSV as Excel saves it on Chinese Windows (``gbk``) or as "CSV UTF-8" (``utf-8-sig``)."""
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle)
        for row in roster.rows:
            writer.writerow([csv_text(v) for v in row])
    return path


def write_all(roster: Roster, folder: Path) -> dict[str, Path]:
    """Every format of ``roster`` in ``folder``: keys xlsx, xls, ods, csv-gbk, csv-utf8bom."""
    folder.mkdir(parents=True, exist_ok=True)
    return {
        "xlsx": write_xlsx(roster, folder / "roster.xlsx"),
        "xls": write_xls(roster, folder / "roster.xls"),
        "ods": write_ods(roster, folder / "roster.ods"),
        "csv-gbk": write_csv(roster, folder / "roster-gbk.csv", "gbk"),
        "csv-utf8bom": write_csv(roster, folder / "roster-utf8.csv", "utf-8-sig"),
    }


#: Stand-ins for the two database persons when no database is involved (reader tests, the script).
SAMPLE_SAME = KnownPerson("王伟", id18(date(1970, 2, 2), 91), "男", date(1970, 2, 2), "第一村民小组")
SAMPLE_RENAMED = KnownPerson("陈芳", id18(date(1972, 3, 3), 92), "女", date(1972, 3, 3), "第一村民小组")


def _main(argv: Sequence[str]) -> int:
    if len(argv) != 1:
        print(__doc__)
        return 2
    for kind, written in write_all(messy_roster(SAMPLE_SAME, SAMPLE_RENAMED), Path(argv[0])).items():
        print(f"{kind}\t{written}")
    return 0


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
