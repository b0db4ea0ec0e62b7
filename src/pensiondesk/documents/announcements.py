"""Printing announcements (通知/宣传单): an A4 poster for the village board and an A5 leaflet two to a sheet.

* :func:`render_poster` — A4 portrait in large type, readable from two metres on the 村务公开栏: title
  28 pt, body 16 pt, tables 14 pt; 第 x 页 共 y 页, the printing date, the committee's signature and a dashed
  40 mm circle where the seal goes.
* :func:`render_leaflet` — an A5 leaflet for households (宣传单), body 10.5 pt (五号), printed twice on one
  A4 landscape sheet with a cut line between the copies (一纸两份).

Both embed the bundled Chinese font. The renderer reads only what it prints, through
:class:`PrintableAnnouncement` (the shape of :class:`pensiondesk.services.announcements.Announcement`), so
documents do not depend on services.
"""

from __future__ import annotations

import io
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import IO, Literal, Protocol

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer

from pensiondesk.documents.base import (
    A4_LANDSCAPE_TWO_UP,
    A4_PORTRAIT,
    BoldParagraph,
    DocumentStyles,
    PageFooter,
    PageSetup,
    SignatureBlock,
    TitleBlock,
    build_document,
    data_table,
    document_styles,
    escape_text,
)

__all__ = [
    "LAYOUTS",
    "PrintableAnnouncement",
    "PrintableBlock",
    "PrintableTable",
    "render",
    "render_bytes",
    "render_leaflet",
    "render_poster",
]

_CHINESE_ORDINALS = "一二三四五六七八九十"


class PrintableTable(Protocol):
    """A computed table or list to print (see ``AnnouncementTable``)."""

    @property
    def caption(self) -> str: ...
    @property
    def header(self) -> tuple[str, ...]: ...
    @property
    def rows(self) -> tuple[tuple[str, ...], ...]: ...
    @property
    def note(self) -> str: ...
    @property
    def style(self) -> Literal["grid", "list"]: ...
    @property
    def column_weights(self) -> tuple[float, ...]: ...
    @property
    def left_columns(self) -> tuple[int, ...]: ...


class PrintableBlock(Protocol):
    """One piece of the body: ``kind`` is text, heading or table."""

    @property
    def kind(self) -> Literal["text", "heading", "table"]: ...
    @property
    def text(self) -> str: ...
    @property
    def table(self) -> PrintableTable | None: ...


class PrintableAnnouncement(Protocol):
    """What an announcement must offer to be printed."""

    @property
    def title(self) -> str: ...
    @property
    def subtitle(self) -> str: ...
    @property
    def salutation(self) -> str: ...
    @property
    def village(self) -> str: ...
    @property
    def committee(self) -> str: ...
    @property
    def issued_on(self) -> date: ...
    @property
    def date_text(self) -> str: ...
    def blocks(self) -> Sequence[PrintableBlock]: ...


@dataclass(frozen=True)
class _Look:
    """The sizes of one layout."""

    setup: PageSetup
    body_size: float
    title_size: float
    stamp_diameter: float
    leading: float


#: The two layouts by name: ``poster`` (A4 大字张贴) and ``leaflet`` (A5 宣传单, 一张 A4 印两份).
LAYOUTS: Mapping[str, _Look] = {
    "poster": _Look(A4_PORTRAIT, body_size=16, title_size=28, stamp_diameter=40 * mm, leading=1.5),
    "leaflet": _Look(A4_LANDSCAPE_TWO_UP, body_size=10.5, title_size=17, stamp_diameter=30 * mm, leading=1.5),
}


def _ordinal(number: int) -> str:
    """（一）…（十）, then （11）: list items numbered as Chinese notices number them."""
    return f"（{_CHINESE_ORDINALS[number - 1]}）" if number <= len(_CHINESE_ORDINALS) else f"（{number}）"


def _folded(table: PrintableTable) -> tuple[list[str], list[list[str]]]:
    """A long narrow table printed as two halves side by side (12 tiers become 6 lines), as leaflets do."""
    header, rows = list(table.header), [list(row) for row in table.rows]
    if len(rows) < _FOLD_FROM_ROWS or len(header) > _FOLD_MAX_COLUMNS or table.column_weights:
        return header, rows
    half = (len(rows) + 1) // 2
    blank = [""] * len(header)
    left, right = rows[:half], rows[half:] + [blank] * (2 * half - len(rows))
    return header + header, [a + b for a, b in zip(left, right, strict=True)]


#: Tables with at least this many rows and at most this many columns are folded (see :func:`_folded`).
_FOLD_FROM_ROWS = 8
_FOLD_MAX_COLUMNS = 4
#: A table with up to this many rows is kept whole (on one page, with its caption and note).
_KEEP_WHOLE_ROWS = 16
#: With this share of the page left, a table's heading and introduction are not moved with it to the next page.
_FILL_FROM = 0.25


def _table_flowables(table: PrintableTable, styles: DocumentStyles, width: float) -> list[Flowable]:
    """The flowables of one table or list: a grid with its caption and note, or one paragraph per item."""
    if table.style == "list":
        items: list[Flowable] = []
        for number, row in enumerate(table.rows, start=1):
            text = f"{row[0]}：{row[1]}" if len(row) > 1 else row[0]
            items.append(Paragraph(escape_text(f"{_ordinal(number)}{text}"), styles.body))
        return items
    header, rows = _folded(table)
    parts: list[Flowable] = []
    if table.caption:
        parts.append(BoldParagraph(escape_text(table.caption), styles.caption))
    grid = data_table(
        header,
        rows,
        styles,
        width,
        column_weights=table.column_weights or None,
        left_columns=table.left_columns,
    )
    if len(header) > len(table.header):  # folded: a heavier rule between the two halves
        middle = len(table.header) - 1
        grid.setStyle([("LINEAFTER", (middle, 0), (middle, -1), 1.6, colors.black)])
    parts.append(grid)
    if table.note:
        parts.append(Paragraph(escape_text(f"注：{table.note}"), styles.note))
    parts.append(Spacer(0, styles.body_size * 0.3))
    return parts


def _story(announcement: PrintableAnnouncement, look: _Look) -> list[Flowable]:
    styles = document_styles(look.body_size, title_size=look.title_size, leading=look.leading)
    width = look.setup.frame_width
    story: list[Flowable] = [TitleBlock(announcement.title, styles, subtitle=announcement.subtitle)]
    if announcement.salutation:
        story.append(Paragraph(escape_text(announcement.salutation), styles.plain))
    # Each unit is printed on one page when it holds several flowables (KeepTogether).
    units: list[list[Flowable]] = []
    previous = ""
    for block in announcement.blocks():
        if block.kind == "heading":
            units.append([BoldParagraph(escape_text(block.text), styles.heading)])
        elif block.kind == "table" and block.table is not None:
            flowables = _table_flowables(block.table, styles, width)
            if block.table.style == "list":
                units.extend([flowable] for flowable in flowables)
            elif len(block.table.rows) > _KEEP_WHOLE_ROWS:
                units.append(flowables)  # long: may break between rows, its header repeated
            elif previous == "text":
                units[-1].append(_Stack(flowables))  # "……标准如下：" goes with its table when it can
            else:
                units.append([_Stack(flowables)])
        else:
            units.append([Paragraph(escape_text(block.text), styles.body)])
        previous = block.kind
    signature = SignatureBlock(
        committee=announcement.committee,
        date_text=announcement.date_text,
        styles=styles,
        stamp_diameter=look.stamp_diameter,
    )
    # The last paragraph (特此通知。) goes with the signature: a 落款 never stands alone on a page.
    if units and len(units[-1]) == 1 and isinstance(units[-1][0], Paragraph):
        units[-1].append(signature)
    else:
        units.append([signature])
    # A heading (小标题) is never left at the foot of a page: it goes on the page of what follows it.
    merged: list[list[Flowable]] = []
    for unit in units:
        if merged and len(merged[-1]) == 1 and isinstance(merged[-1][0], BoldParagraph):
            merged[-1].extend(unit)
        else:
            merged.append(list(unit))
    # A unit holding a table stays on one page when it fits there; when it does not and at least a quarter of
    # the page is left, its heading and introduction fill that space and the (whole) table starts the next.
    room = look.setup.frame_height * _FILL_FROM
    for unit in merged:
        if len(unit) == 1:
            story.append(unit[0])
        elif any(isinstance(flowable, _Stack) for flowable in unit):
            story.append(_KeepOrFill(unit, room))
        else:
            story.append(KeepTogether(unit))
    return story


class _Stack(Flowable):
    """Flowables printed as one block that never splits: a table with its caption and note."""

    def __init__(self, parts: list[Flowable]) -> None:
        super().__init__()
        self._parts = parts
        self._heights: list[float] = []
        self._gaps: list[float] = []

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self._heights = [part.wrapOn(self.canv, availWidth, availHeight)[1] for part in self._parts]
        self._gaps = [
            max(before.getSpaceAfter(), after.getSpaceBefore())
            for before, after in zip(self._parts, self._parts[1:], strict=False)
        ]
        self.width = availWidth
        self.height = sum(self._heights) + sum(self._gaps)
        return self.width, self.height

    def getSpaceBefore(self) -> float:
        return float(self._parts[0].getSpaceBefore())

    def getSpaceAfter(self) -> float:
        return float(self._parts[-1].getSpaceAfter())

    def draw(self) -> None:
        top = self.height
        for index, (part, height) in enumerate(zip(self._parts, self._heights, strict=True)):
            top -= height
            part.drawOn(self.canv, 0, top)
            if index < len(self._gaps):
                top -= self._gaps[index]


class _KeepOrFill(KeepTogether):
    """Kept on one page when it fits; when it does not but ``room`` is left, its lead (heading, introduction)
    fills the page and its table, a :class:`_Stack`, starts the next one whole."""

    def __init__(self, flowables: list[Flowable], room: float) -> None:
        super().__init__(flowables)
        self._room = room

    def split(self, aW: float, aH: float) -> list[Flowable]:
        if getattr(self, "_wrapInfo", None) != (aW, aH):
            self.wrap(aW, aH)
        if self._H > aH >= self._room:
            return list(self._content)
        return list(super().split(aW, aH))


def render(announcement: PrintableAnnouncement, out: str | os.PathLike[str] | IO[bytes], layout: str = "poster") -> int:
    """Print ``announcement`` in ``layout`` (``poster`` or ``leaflet``) to ``out``; returns the number of sheets.

    If slightly tighter line spacing (down to :data:`_TIGHTEST_LEADING_STEP` less) saves a sheet, it is used:
    a last sheet holding only 特此通知 and the signature wastes paper on every copy.
    """
    try:
        look = LAYOUTS[layout]
    except KeyError:
        raise ValueError(f"unknown layout {layout!r}; expected one of {', '.join(LAYOUTS)}") from None
    pdf, pages = _build(announcement, look)
    if pages > 1:
        for step in (_TIGHTEST_LEADING_STEP / 2, _TIGHTEST_LEADING_STEP):
            tighter, fewer = _build(announcement, replace(look, leading=look.leading - step))
            if fewer < pages:
                pdf, pages = tighter, fewer
                break
    if isinstance(out, str | os.PathLike):
        with open(out, "wb") as file:
            file.write(pdf)
    else:
        out.write(pdf)
    return pages


#: How much the line spacing (a multiple of the type size) may be tightened to save a sheet.
_TIGHTEST_LEADING_STEP = 0.1


def _build(announcement: PrintableAnnouncement, look: _Look) -> tuple[bytes, int]:
    title = announcement.title.replace("\n", "")
    buffer = io.BytesIO()
    pages = build_document(
        buffer,
        _story(announcement, look),
        look.setup,
        PageFooter(printed_on=announcement.issued_on, left_text=announcement.committee),
        title=title,
        author=announcement.committee,
        subject=f"{title}（{announcement.village}）",
    )
    return buffer.getvalue(), pages


def render_poster(announcement: PrintableAnnouncement, out: str | os.PathLike[str] | IO[bytes]) -> int:
    """A4 portrait poster in large type for the village board; returns the page count."""
    return render(announcement, out, "poster")


def render_leaflet(announcement: PrintableAnnouncement, out: str | os.PathLike[str] | IO[bytes]) -> int:
    """A5 leaflet, two copies on each A4 landscape sheet with a cut line; returns the sheet count."""
    return render(announcement, out, "leaflet")


def render_bytes(announcement: PrintableAnnouncement, layout: str = "poster") -> bytes:
    """The PDF as bytes (for the in-app preview and the printer)."""
    buffer = io.BytesIO()
    render(announcement, buffer, layout)
    return buffer.getvalue()
