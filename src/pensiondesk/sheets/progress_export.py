"""The progress report as .xlsx (工作进度表导出), in a shape the township can merge.

Sheet ``进度汇总`` has its header in row 1 and one row per villager group plus a ``合计`` row, with the county,
township, village and statistics date on every row and no merged cells, title rows or formulas: the township
stacks the sheets of all its villages (copy-paste or Power Query) and totals them. Counts are numbers; each rate
is a number of percent with two decimals (97.05 for 97.05 %), rounded half up, empty when it has no denominator.

Then one sheet per list behind a figure (未参保名单, 催缴名单, 未正常发放名单, 未认证名单), also header-in-row-1,
with the full 公民身份号码 and phone as text, so the township can match them against its own system. These are
working lists for the township and the village, not public notices: they must not be posted.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, Protocol

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

__all__ = ["LIST_SHEETS", "SUMMARY_COLUMNS", "SUMMARY_SHEET", "write_progress_xlsx"]

SUMMARY_SHEET = "进度汇总"
_MEASURES = (
    ("enrolment", "参保率", "应参保人数", "已参保人数"),
    ("payment", "缴费率", "应缴费人数", "已缴费人数"),
    ("benefit", "发放率", "应发放人数", "正常发放人数"),
    ("certification", "认证率", "应认证人数", "已认证人数"),
)
SUMMARY_COLUMNS: tuple[str, ...] = (
    "县（区）",
    "乡镇（街道）",
    "行政村",
    "村民小组",
    "统计日期",
    *(title for _key, rate, den, num in _MEASURES for title in (den, num, f"{rate}(%)")),
)
LIST_SHEETS: dict[str, str] = {
    "enrolment": "未参保名单",
    "payment": "催缴名单",
    "benefit": "未正常发放名单",
    "certification": "未认证名单",
}
_LIST_COLUMNS = ("序号", "村民小组", "姓名", "性别", "公民身份号码", "联系电话", "参保状态", "情况")
_LIST_WIDTHS = (6, 14, 10, 6, 21, 14, 10, 24)
_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)


class _Figure(Protocol):
    @property
    def numerator(self) -> int: ...
    @property
    def denominator(self) -> int: ...

    @property
    def rate(self) -> Decimal | None: ...


class _Group(Protocol):
    @property
    def name(self) -> str: ...

    def __getitem__(self, measure: str) -> _Figure: ...


class _Person(Protocol):
    @property
    def name(self) -> str: ...
    @property
    def id_number(self) -> str: ...
    @property
    def group_name(self) -> str: ...
    @property
    def phone(self) -> str | None: ...
    @property
    def detail(self) -> str: ...

    @property
    def sex(self) -> Any: ...
    @property
    def status(self) -> Any: ...


class _Report(Protocol):
    @property
    def as_of(self) -> date: ...

    @property
    def village(self) -> Any: ...
    @property
    def groups(self) -> Sequence[_Group]: ...
    @property
    def total(self) -> _Group: ...


def _header(ws: WriteOnlyWorksheet, titles: Sequence[str]) -> list[WriteOnlyCell]:
    cells = []
    for title in titles:
        cell = WriteOnlyCell(ws, value=title)
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        cell.alignment = _CENTER
        cells.append(cell)
    return cells


def _text(ws: WriteOnlyWorksheet, value: str | None) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=value or "")
    cell.number_format = "@"
    return cell


def write_progress_xlsx(
    report: _Report, path: Path | str | os.PathLike[str], *, lists: Mapping[str, Sequence[_Person]] | None = None
) -> Path:
    """Write the summary sheet and the list sheets to ``path`` (a temporary name first, then moved)."""
    target = Path(path)
    place = report.village
    wb = Workbook(write_only=True)
    ws: WriteOnlyWorksheet = wb.create_sheet(SUMMARY_SHEET)
    for index, width in enumerate((10, 12, 12, 14, 12, *([11] * 12)), start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.freeze_panes = "E2"
    ws.append(_header(ws, SUMMARY_COLUMNS))
    for group in [*report.groups, report.total]:
        day = WriteOnlyCell(ws, value=report.as_of)
        day.number_format = "yyyy-mm-dd"
        row: list[Any] = [
            getattr(place, "county", ""),
            getattr(place, "township", ""),
            getattr(place, "name", ""),
            "合计" if group is report.total else group.name,
            day,
        ]
        for key, *_ in _MEASURES:
            figure = group[key]
            rate = figure.rate
            rate_cell = WriteOnlyCell(ws, value=rate)
            rate_cell.number_format = "0.00"
            row += [figure.denominator, figure.numerator, rate_cell]
        ws.append(row)
    for key, sheet_name in LIST_SHEETS.items():
        if lists is None or key not in lists:
            continue
        sheet: WriteOnlyWorksheet = wb.create_sheet(sheet_name)
        for index, width in enumerate(_LIST_WIDTHS, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        sheet.freeze_panes = "A2"
        sheet.append(_header(sheet, _LIST_COLUMNS))
        for number, person in enumerate(lists[key], start=1):
            sheet.append(
                [
                    number,
                    person.group_name,
                    person.name,
                    str(getattr(person.sex, "label", person.sex)),
                    _text(sheet, person.id_number),
                    _text(sheet, person.phone),
                    str(getattr(person.status, "label", person.status)),
                    person.detail,
                ]
            )
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".part")
    wb.save(partial)
    partial.replace(target)
    return target
