"""Writing rosters and lists as .xlsx (导出花名册和名单), with openpyxl in write-only mode.

Every sheet written here has the same shape, the one county offices expect: a merged title row, an optional line
under it (unit, date), the header row — frozen, repeated on every printed page — then the rows, and a closing
line with the count. Columns have set widths. ID numbers and phone numbers are written as text (cell format
``@`` and ``str`` values), so Excel, WPS and LibreOffice never show ``1.10105E+17`` nor drop a leading zero; dates
are real dates shown as ``yyyy-mm-dd``.

:func:`write_roster` writes the registration roster (参保花名册) in the column layout of domain.md §16, and the
file reads back through :mod:`pensiondesk.sheets.reader` (the round trip is tested). :func:`write_list` is the
generic writer behind it, for any list given as column titles and rows (eligibility lists, notices …).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.worksheet import Worksheet

__all__ = [
    "ROSTER_COLUMNS",
    "CellStyles",
    "ColumnKind",
    "ListColumn",
    "RosterLine",
    "write_list",
    "write_roster",
]

TEXT_FORMAT = "@"
DATE_FORMAT = "yyyy-mm-dd"

_THIN = Side(style="thin", color="808080")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_TITLE_FONT = Font(name="宋体", size=16, bold=True)
_HEADER_FONT = Font(name="宋体", size=11, bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)


class ColumnKind(StrEnum):
    """How a column's values are written."""

    TEXT = "text"  # str values, cell format '@' (ID numbers, phones, codes)
    DATE = "date"  # date values, shown yyyy-mm-dd
    NUMBER = "number"  # numbers as numbers
    GENERAL = "general"  # as given


@dataclass(frozen=True)
class ListColumn:
    """One column of a written list: its title, width in characters and kind."""

    title: str
    width: float = 12
    kind: ColumnKind = ColumnKind.GENERAL


#: The registration roster's columns, domain.md §16, in order.
ROSTER_COLUMNS: tuple[ListColumn, ...] = (
    ListColumn("序号", 6, ColumnKind.NUMBER),
    ListColumn("姓名", 10),
    ListColumn("性别", 6),
    ListColumn("民族", 8),
    ListColumn("出生日期", 12, ColumnKind.DATE),
    ListColumn("公民身份号码", 21, ColumnKind.TEXT),
    ListColumn("户籍所在地", 24),
    ListColumn("居住地址", 24),
    ListColumn("联系电话", 14, ColumnKind.TEXT),
    ListColumn("村民小组", 14),
    ListColumn("户主姓名", 10),
    ListColumn("与户主关系", 11),
    ListColumn("参保身份", 16),
    ListColumn("缴费档次", 9, ColumnKind.NUMBER),
    ListColumn("备注", 20),
)


@dataclass(frozen=True)
class RosterLine:
    """One person's line in the registration roster (参保花名册), as display values."""

    name: str
    sex: str  # 男/女
    ethnicity: str | None
    birth_date: date | None
    id_number: str
    hukou_address: str | None = None
    residence_address: str | None = None
    phone: str | None = None
    group_name: str | None = None
    household_head_name: str | None = None
    relation: str | None = None  # 与户主关系 label, e.g. 户主, 配偶, 子
    category: str | None = None  # 参保身份, e.g. "061 低保对象"
    tier: int | None = None  # 缴费档次 in whole yuan, e.g. 200
    notes: str | None = None


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


class CellStyles:
    """Styled cells for one write-only sheet, fast: each distinct style is built once and then copied.

    Setting ``cell.fill`` or ``cell.number_format`` on every cell makes openpyxl hash the style objects each
    time, which for 50,000 rows takes longer than everything else; copying a ready style array does not.
    """

    def __init__(self, ws: WriteOnlyWorksheet) -> None:
        self.ws = ws
        self._styles: dict[tuple[Any, ...], Any] = {}

    def style(self, **attributes: Any) -> Any:
        """The style array for these cell attributes (``number_format``, ``fill``, ``font`` …), made once."""
        key = tuple(sorted((name, repr(value)) for name, value in attributes.items()))
        found = self._styles.get(key)
        if found is None:
            template = WriteOnlyCell(self.ws)
            for name, value in attributes.items():
                setattr(template, name, value)
            found = self._styles[key] = template._style
        return found

    def cell(self, value: Any, style: Any = None) -> Cell:
        """A write-only cell holding ``value`` with a style from :meth:`style` (``None``: unstyled)."""
        return Cell(self.ws, row=1, column=1, value=value, style_array=style)


class _Writer:
    """Writes list rows: text columns as '@' text, date columns as dates, the rest as given."""

    def __init__(self, ws: WriteOnlyWorksheet, columns: Sequence[ListColumn]) -> None:
        self.ws = ws
        self.columns = columns
        self.styles = CellStyles(ws)
        self.text_style = self.styles.style(number_format=TEXT_FORMAT)
        self.date_style = self.styles.style(number_format=DATE_FORMAT)

    def cell(self, value: Any, **attributes: Any) -> Cell:
        return self.styles.cell(value, self.styles.style(**attributes) if attributes else None)

    def row(self, values: Sequence[object]) -> list[Any]:
        out: list[Any] = []
        cell = self.styles.cell
        for column, value in zip(self.columns, values, strict=False):
            kind = column.kind
            if kind is ColumnKind.TEXT:
                out.append(cell(_text(value), self.text_style))
            elif kind is ColumnKind.DATE and isinstance(value, date):
                day = value.date() if isinstance(value, datetime) else value
                out.append(cell(day, self.date_style))
            elif value is None:
                out.append(None)
            else:
                out.append(value)
        return out


def write_list(
    path: Path | str,
    *,
    title: str,
    columns: Sequence[ListColumn],
    rows: Iterable[Sequence[object]],
    subtitle: str | None = None,
    sheet_name: str = "名单",
    footer: Callable[[int], str] | None = None,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Write a list to ``path`` (.xlsx): merged ``title``, optional ``subtitle``, frozen header, rows, footer.

    ``rows`` are sequences of values in the order of ``columns`` and may be a generator (the file is streamed,
    so 100,000 rows need little memory). ``footer(count)`` gives the closing line (default ``共 N 人``);
    ``progress(count)`` is called every 1,000 rows. Returns the number of rows written. The file is written to a
    temporary name first and moved into place, so a failure never leaves half a file under ``path``.
    """
    path = Path(path)
    wb = Workbook(write_only=True)
    ws: WriteOnlyWorksheet = wb.create_sheet(sheet_name[:31])
    width = len(columns)
    last = get_column_letter(width)
    for index, column in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(index)].width = column.width
    header_row = 3 if subtitle else 2
    ws.freeze_panes = f"A{header_row + 1}"
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.merged_cells.add(f"A1:{last}1")
    writer = _Writer(ws, columns)
    ws.row_dimensions[1].height = 30
    ws.append([writer.cell(title, font=_TITLE_FONT, alignment=_CENTER)])
    if subtitle:
        ws.merged_cells.add(f"A2:{last}2")
        ws.append([writer.cell(subtitle)])
    ws.append(
        [writer.cell(c.title, font=_HEADER_FONT, fill=_HEADER_FILL, alignment=_CENTER, border=_BORDER) for c in columns]
    )
    count = 0
    try:
        for values in rows:
            ws.append(writer.row(values))
            count += 1
            if progress is not None and count % 1000 == 0:
                progress(count)
    except BaseException:
        ws.close()  # ends openpyxl's row writer and its temporary file now, not at garbage collection
        raise
    closing = footer(count) if footer is not None else f"共 {count} 人"
    ws.append([writer.cell(closing)])
    if progress is not None:
        progress(count)
    partial = path.with_name(path.name + ".part")
    try:
        wb.save(partial)
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)
    return count


def write_roster(
    path: Path | str,
    lines: Iterable[RosterLine],
    *,
    village_name: str,
    year: int,
    made_on: date | None = None,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Write the registration roster (参保花名册) of a village: title ``<村><年>年城乡居民养老保险参保花名册``.

    Columns as :data:`ROSTER_COLUMNS` (domain.md §16); 序号 counts from 1. Returns the number of persons written.
    """
    made_on = made_on or date.today()

    def values() -> Iterable[Sequence[object]]:
        for seq, line in enumerate(lines, start=1):
            yield (
                seq,
                line.name,
                line.sex,
                line.ethnicity,
                line.birth_date,
                line.id_number,
                line.hukou_address,
                line.residence_address,
                line.phone,
                line.group_name,
                line.household_head_name,
                line.relation,
                line.category,
                line.tier,
                line.notes,
            )

    return write_list(
        path,
        title=f"{village_name}{year}年城乡居民养老保险参保花名册",
        subtitle=f"填报单位：{village_name}　　　制表日期：{made_on.isoformat()}",
        columns=ROSTER_COLUMNS,
        rows=values(),
        sheet_name="参保花名册",
        progress=progress,
    )
