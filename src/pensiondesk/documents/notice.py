"""Printing a public notice (公示名单) for the 村务公开栏: A4, portrait or landscape, one table per villager group.

Each villager group (村民小组/自然村) starts on a new page, so its pages can be posted in that group: the title,
the village, the period and the posting period (公示期), the introduction, the group's name and count, the table
with its header repeated on every page, then the closing text and the committee's signature and stamp area
(村民委员会盖章). Every page has "第 x 页 共 y 页", the village and the printing date at the foot.

Speed: a notice can list thousands of residents, and ReportLab's platypus ``Table`` splits a long table in time
that grows with its length. The table is therefore laid out here and drawn straight onto the canvas: column
widths come from the measured text (``stringWidth``, with a per-character cache), rows that fit one line keep
one height, and the page count is known before the first page is drawn, so "共 y 页" needs no second pass.
The title, introduction and signature block are the shared flowables of :mod:`pensiondesk.documents.base`.

Layout rules: columns get their natural width (the widest cell or half the header, which may wrap onto two
lines); spare width is shared out by the columns' weights; when the natural widths do not fit, the table font
steps down from 10.5 pt to 9 pt, and a cell still too wide (a very long name) wraps onto more lines in its row.

Privacy (domain.md §12): the renderer prints only the snapshot, which holds masked identity numbers; as a last
guard it refuses any cell holding 11 or more consecutive digits (a full ID, a phone or a bank number).
"""

from __future__ import annotations

import io
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import IO, Any

from reportlab.lib import colors
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph

from pensiondesk.documents.base import (
    A4_LANDSCAPE,
    A4_PORTRAIT,
    PageFooter,
    PageSetup,
    SignatureBlock,
    TitleBlock,
    chinese_date,
    document_styles,
    escape_text,
    register_fonts,
    split_cjk_lines,
)

__all__ = ["CELL_SIZES", "NoticeLeak", "render_notice", "render_notice_bytes"]

#: Table font sizes tried in turn until the natural column widths fit the page.
CELL_SIZES = (10.5, 10.0, 9.5, 9.0)
_PAD = 3.2  # horizontal padding inside a cell
_ROW_PAD = 3.6  # vertical padding above and below the text of a row
_LEADING = 1.25
#: Baseline below the middle of a line, as a share of the size: centres CJK glyphs in their line.
_CENTRE_DROP = 0.36
_LONG_DIGITS = re.compile(r"\d{11,}")
_GRID = colors.Color(0.25, 0.25, 0.25)
_HEADER_FILL = colors.Color(0.88, 0.88, 0.88)
_STRIPE = colors.Color(0.955, 0.955, 0.955)


class NoticeLeak(ValueError):
    """A cell of a notice would print a full identity, phone or bank number: nothing is printed."""

    def __init__(self, text: str) -> None:
        super().__init__("公示名单中出现了完整的身份证号、电话或银行卡号，已停止打印。请重新生成公示名单。")
        self.user_message = str(self)
        self.text = text


# --- measuring ------------------------------------------------------------------------------------------------


class _Measure:
    """String widths at one font size, from a per-character cache (names and IDs repeat their characters)."""

    def __init__(self, font: str, size: float) -> None:
        self.font = font
        self.size = size
        self._chars: dict[str, float] = {}

    def __call__(self, text: str) -> float:
        chars = self._chars
        total = 0.0
        for char in text:
            width = chars.get(char)
            if width is None:
                width = chars[char] = pdfmetrics.stringWidth(char, self.font, self.size)
            total += width
        return total


# --- layout ---------------------------------------------------------------------------------------------------


@dataclass
class _Columns:
    widths: list[float]
    aligns: list[str]
    size: float
    measure: _Measure
    header_lines: list[list[str]]
    header_height: float

    @property
    def row_height(self) -> float:
        return self.size * _LEADING + 2 * _ROW_PAD


def _fit_columns(
    titles: Sequence[str], weights: Sequence[float], aligns: Sequence[str], rows: Sequence[Sequence[str]], width: float
) -> _Columns:
    font = register_fonts()
    count = len(titles)
    for index, size in enumerate(CELL_SIZES):
        measure = _Measure(font, size)
        content = [0.0] * count
        for row in rows:
            for column, text in enumerate(row):
                if text:
                    w = measure(text)
                    if w > content[column]:
                        content[column] = w
        header_need = [max(measure(title) / 2, measure(title[:2])) for title in titles]
        need = [max(c, h) + 2 * _PAD for c, h in zip(content, header_need, strict=True)]
        last = index == len(CELL_SIZES) - 1
        if sum(need) <= width or last:
            if sum(need) <= width:
                widths = _share(need, weights, width)
            else:
                widths = _squeeze(need, _least_widths(titles, rows, measure), width)
            header_lines = [
                split_cjk_lines(title, w - 2 * _PAD, size) if measure(title) > w - 2 * _PAD else [title]
                for title, w in zip(titles, widths, strict=True)
            ]
            height = max(len(lines) for lines in header_lines) * size * _LEADING + 2 * _ROW_PAD
            return _Columns(widths, list(aligns), size, measure, header_lines, height)
    raise AssertionError("unreachable: the last size always returns")


#: Runs that must not be broken inside a cell: numbers, masked IDs, dates, amounts.
_UNBREAKABLE = re.compile(r"[0-9A-Za-z*.,:/%+\-]+")


def _least_widths(titles: Sequence[str], rows: Sequence[Sequence[str]], measure: _Measure) -> list[float]:
    """Each column's narrowest width: its longest unbreakable run (an ID, a date) or two Chinese characters."""
    two_chars = measure("国国")
    least = [max(two_chars, max((measure(run) for run in _UNBREAKABLE.findall(t)), default=0.0)) for t in titles]
    for row in rows:
        for column, text in enumerate(row):
            for run in _UNBREAKABLE.findall(text):
                w = measure(run)
                if w > least[column]:
                    least[column] = w
    return [w + 2 * _PAD for w in least]


def _share(need: list[float], weights: Sequence[float], width: float) -> list[float]:
    """Widths summing to ``width``: each column its need, the spare shared out by the columns' weights."""
    spare = width - sum(need)
    total_weight = sum(weights) or 1.0
    return [n + spare * w / total_weight for n, w in zip(need, weights, strict=True)]


def _squeeze(need: list[float], least: list[float], width: float) -> list[float]:
    """Widths summing to ``width`` when the needs do not fit: columns of text give up width, numbers do not.

    Every column keeps its least width (its IDs and dates stay on one line). The room left is given first to
    the columns that need the least extra (a name column short by a few points gets all it needs), so only the
    columns with the longest Chinese text wrap.
    """
    least = [min(lo, n) for lo, n in zip(least, need, strict=True)]
    room = width - sum(least)
    if room <= 0:
        return [lo * width / sum(least) for lo in least]  # nothing fits: shrink all alike
    widths = list(least)
    pending = sorted(range(len(need)), key=lambda i: need[i] - least[i])
    while pending:
        share = room / len(pending)
        column = pending[0]
        extra = need[column] - least[column]
        if extra <= share:
            widths[column] += extra
            room -= extra
            pending.pop(0)
            continue
        for column in pending:  # the rest cannot all be satisfied: split what is left evenly
            widths[column] += share
        break
    return widths


@dataclass
class _Row:
    cells: Sequence[str]
    height: float
    lines: list[list[str]] | None = None  # set when a cell wraps
    index: int = 0


@dataclass
class _Page:
    group: int
    first_of_group: bool
    rows: list[_Row] = field(default_factory=list)
    closing: bool = False
    top: float = 0.0  # y of the table's top edge


@dataclass
class _Section:
    name: str
    summary: str
    rows: list[_Row]


class _NoticeLayout:
    """Computes the pages first (so the page count is known), then draws them."""

    def __init__(self, content: Mapping[str, Any], setup: PageSetup, printed_on: date) -> None:
        self.content = content
        self.setup = setup
        self.printed_on = printed_on
        self.font = register_fonts()
        self.styles = document_styles(12)
        columns = content["columns"]
        self.titles = [str(column["title"]) for column in columns]
        all_rows = [row for group in content["groups"] for row in group["rows"]]
        for row in all_rows:
            for text in row:
                if _LONG_DIGITS.search(text):
                    raise NoticeLeak(text)
        self.cols = _fit_columns(
            self.titles,
            [float(column.get("weight", 1.0)) for column in columns],
            [str(column.get("align", "center")) for column in columns],
            all_rows,
            setup.frame_width,
        )
        self.sections = [self._section(group) for group in content["groups"]]
        if not self.sections:
            self.sections = [_Section("", "本期没有需要公示的人员", [])]
        self._prepare_blocks()

    # --- blocks shared with base -------------------------------------------------------------------------

    def _prepare_blocks(self) -> None:
        c = self.content
        width = self.setup.frame_width
        self.title = TitleBlock(str(c.get("title") or ""), self.styles, space_after=4)
        self.title_height = self.title.wrap(width, self.setup.frame_height)[1]
        village = f"{c.get('county', '')}{c.get('township', '')}{c.get('village', '')}"
        posted, ends = c.get("posted_on"), c.get("ends_on")
        period = f"公示期：{posted} 至 {ends}" if posted and ends else ""
        self.info_line = "　　".join(
            part for part in (f"单位：{village}", f"期间：{c.get('period', '')}", period) if part
        )
        self.intro = Paragraph(escape_text(str(c.get("intro", ""))), self.styles.body)
        self.intro_height = self.intro.wrap(width, self.setup.frame_height)[1]
        closing = "公示期间如有异议，请向村民委员会或乡镇人社所反映。"
        if posted and ends:
            closing = f"公示期为 {posted} 至 {ends}。" + closing
        self.closing = Paragraph(escape_text(closing), self.styles.body)
        self.closing_height = self.closing.wrap(width, self.setup.frame_height)[1]
        committee = f"{c.get('village', '')}村民委员会" if c.get("village") else "村民委员会"
        day = date.fromisoformat(str(posted)) if posted else self.printed_on
        self.signature: Flowable = SignatureBlock(committee=committee, date_text=chinese_date(day), styles=self.styles)
        self.signature_height = self.signature.wrap(width, self.setup.frame_height)[1]
        self.small = 10.5
        self.line_gap = self.small * 1.7
        self.head_first = self.title_height + self.line_gap + self.intro_height + self.line_gap * 1.2
        self.head_next = self.line_gap * 1.6

    def _section(self, group: Mapping[str, Any]) -> _Section:
        cols = self.cols
        inner = [w - 2 * _PAD for w in cols.widths]
        measure = cols.measure
        rows: list[_Row] = []
        base_height = cols.row_height
        line_height = cols.size * _LEADING
        for index, cells in enumerate(group["rows"]):
            row = _Row(cells, base_height, index=index)
            for column, text in enumerate(cells):
                if text and measure(text) > inner[column]:
                    if row.lines is None:
                        row.lines = [[t] for t in cells]
                    row.lines[column] = split_cjk_lines(text, inner[column], cols.size)
            if row.lines is not None:
                row.height = max(len(lines) for lines in row.lines) * line_height + 2 * _ROW_PAD
            rows.append(row)
        name = str(group.get("name") or "")
        return _Section(name, str(group.get("summary") or f"共 {len(rows)} 人"), rows)

    # --- pagination ----------------------------------------------------------------------------------------

    def paginate(self) -> list[_Page]:
        setup = self.setup
        top = setup.size[1] - setup.top
        bottom = setup.bottom
        closing_need = self.closing_height + self.signature_height + 6
        pages: list[_Page] = []
        for number, section in enumerate(self.sections):
            page = _Page(number, True, top=top - self.head_first)
            y = page.top - self.cols.header_height
            for row in section.rows:
                if y - row.height < bottom:
                    pages.append(page)
                    page = _Page(number, False, top=top - self.head_next)
                    y = page.top - self.cols.header_height
                page.rows.append(row)
                y -= row.height
            if y - closing_need < bottom:
                pages.append(page)
                page = _Page(number, False, top=top - self.head_next)
                page.rows = []
            page.closing = True
            pages.append(page)
        return pages

    # --- drawing -------------------------------------------------------------------------------------------

    def draw(self, canvas: Canvas, pages: list[_Page]) -> None:
        footer = PageFooter(printed_on=self.printed_on, left_text=str(self.content.get("village", "")))
        total = len(pages)
        for number, page in enumerate(pages, start=1):
            section = self.sections[page.group]
            self._draw_head(canvas, page, section)
            y = self._draw_table(canvas, page) if page.rows or not page.closing else page.top
            if page.closing:
                self._draw_closing(canvas, y, page)
            footer.draw(canvas, self.setup, number, total)
            canvas.showPage()

    def _draw_head(self, canvas: Canvas, page: _Page, section: _Section) -> None:
        setup = self.setup
        left = setup.left
        width = setup.frame_width
        y = setup.size[1] - setup.top
        canvas.setFillColor(colors.black)
        if page.first_of_group:
            self.title.drawOn(canvas, left, y - self.title_height)
            y -= self.title_height
            canvas.setFont(self.font, self.small)
            canvas.drawCentredString(left + width / 2, y - self.small, self.info_line)
            y -= self.line_gap
            self.intro.drawOn(canvas, left, y - self.intro_height)
            y -= self.intro_height
        else:
            canvas.setFont(self.font, self.small)
            canvas.setFillColor(colors.Color(0.3, 0.3, 0.3))
            canvas.drawString(left, y - self.small, f"{self.content.get('title', '')}（续）")
            canvas.setFillColor(colors.black)
        if section.name:
            canvas.setFont(self.font, 12)
            text = f"{section.name}（{section.summary}）"
            canvas.drawString(left, page.top + 5, text)
        elif section.summary and not section.rows:
            canvas.setFont(self.font, 12)
            canvas.drawString(left, page.top + 5, section.summary)

    def _draw_table(self, canvas: Canvas, page: _Page) -> float:
        cols = self.cols
        left = self.setup.left
        widths = cols.widths
        right = left + sum(widths)
        xs = [left]
        for w in widths:
            xs.append(xs[-1] + w)
        top = page.top
        header_bottom = top - cols.header_height
        # Header: shaded, wrapped titles centred.
        canvas.setFillColor(_HEADER_FILL)
        canvas.rect(left, header_bottom, right - left, cols.header_height, stroke=0, fill=1)
        # Stripes first, text and rules over them.
        y = header_bottom
        canvas.setFillColor(_STRIPE)
        row_tops: list[float] = []
        for row in page.rows:
            row_tops.append(y)
            if row.index % 2 == 1:
                canvas.rect(left, y - row.height, right - left, row.height, stroke=0, fill=1)
            y -= row.height
        table_bottom = y
        text = canvas.beginText()
        text.setFont(self.font, cols.size)
        text.setFillColor(colors.black)
        size = cols.size
        line_height = size * _LEADING
        drop = size * _CENTRE_DROP
        measure = cols.measure
        header_middle = top - cols.header_height / 2
        for column, lines in enumerate(cols.header_lines):
            first = header_middle + (len(lines) - 1) * line_height / 2 - drop
            for n, line in enumerate(lines):
                text.setTextOrigin(xs[column] + (widths[column] - measure(line)) / 2, first - n * line_height)
                text.textOut(line)
        aligns = cols.aligns
        for row, row_top in zip(page.rows, row_tops, strict=True):
            middle = row_top - row.height / 2
            if row.lines is None:
                baseline = middle - drop
                for column, cell in enumerate(row.cells):
                    if not cell:
                        continue
                    align = aligns[column]
                    if align == "left":
                        x = xs[column] + _PAD
                    elif align == "right":
                        x = xs[column + 1] - _PAD - measure(cell)
                    else:
                        x = xs[column] + (widths[column] - measure(cell)) / 2
                    text.setTextOrigin(x, baseline)
                    text.textOut(cell)
                continue
            for column, lines in enumerate(row.lines):
                first = middle + (len(lines) - 1) * line_height / 2 - drop
                align = "left" if len(lines) > 1 else aligns[column]
                for n, line in enumerate(lines):
                    if align == "left":
                        x = xs[column] + _PAD
                    elif align == "right":
                        x = xs[column + 1] - _PAD - measure(line)
                    else:
                        x = xs[column] + (widths[column] - measure(line)) / 2
                    text.setTextOrigin(x, first - n * line_height)
                    text.textOut(line)
        canvas.drawText(text)
        # Rules: one path for every line of the page.
        canvas.setStrokeColor(_GRID)
        canvas.setLineWidth(0.6)
        rules: list[tuple[float, float, float, float]] = [(left, top, right, top)]
        rules.append((left, header_bottom, right, header_bottom))
        for row, row_top in zip(page.rows, row_tops, strict=True):
            rules.append((left, row_top - row.height, right, row_top - row.height))
        rules += [(x, top, x, table_bottom) for x in xs]
        canvas.lines(rules)
        return table_bottom

    def _draw_closing(self, canvas: Canvas, y: float, page: _Page) -> None:
        left = self.setup.left
        y -= 8
        self.closing.drawOn(canvas, left, y - self.closing_height)
        y -= self.closing_height
        self.signature.drawOn(canvas, left, y - self.signature_height)


def render_notice(
    content: Mapping[str, Any],
    out: str | os.PathLike[str] | IO[bytes],
    *,
    landscape: bool | None = None,
    printed_on: date | None = None,
) -> int:
    """Print a notice snapshot (see :func:`pensiondesk.services.notices.notice_content`) to ``out``.

    ``landscape`` None follows the snapshot's suggestion. Returns the number of pages. Raises
    :class:`NoticeLeak` if a cell holds a full identity, phone or bank number.
    """
    wide = bool(content.get("landscape")) if landscape is None else landscape
    setup = A4_LANDSCAPE if wide else A4_PORTRAIT
    layout = _NoticeLayout(content, setup, printed_on or date.today())
    pages = layout.paginate()
    target: str | IO[bytes] = os.fspath(out) if isinstance(out, str | os.PathLike) else out
    canvas = Canvas(target, pagesize=setup.size, pageCompression=1, initialFontName=layout.font)
    canvas.setTitle(str(content.get("title") or "公示"))
    canvas.setAuthor(f"{content.get('village', '')}村民委员会")
    canvas.setCreator("PensionDesk 城乡居保村级工作台")
    canvas.setSubject(str(content.get("period") or ""))
    layout.draw(canvas, pages)
    canvas.save()
    return len(pages)


def render_notice_bytes(
    content: Mapping[str, Any], *, landscape: bool | None = None, printed_on: date | None = None
) -> bytes:
    """The notice as PDF bytes (for the in-app preview)."""
    buffer = io.BytesIO()
    render_notice(content, buffer, landscape=landscape, printed_on=printed_on)
    return buffer.getvalue()
