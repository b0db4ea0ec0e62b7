"""The shared printing base (打印基础) of every PensionDesk document: font, styles, pages, footer, title, stamp.

Receipts (票据), public notices (公示), forms (表格) and announcements (通知/宣传单) are all ReportLab
documents with the same needs: the bundled Chinese font embedded so that any printer shows the same glyphs,
paragraphs that wrap between Chinese characters, a "第 x 页 共 y 页" footer that needs the page count before
it can be drawn, a centred title, and the village committee's signature and stamp area (村委会盖章处). This
module provides exactly those parts and nothing about any one document.

How a document uses it::

    from pensiondesk.documents.base import (
        A4_PORTRAIT, PageFooter, SignatureBlock, TitleBlock, build_document, document_styles,
    )

    styles = document_styles(body_size=14)               # registers the font on first use
    story = [
        TitleBlock("红旗村2027年度待遇领取资格公示", styles),
        Paragraph("……", styles.body),
        data_table(header, rows, styles, A4_PORTRAIT.frame_width),
        SignatureBlock(committee="红旗村村民委员会", date_text=chinese_date(today), styles=styles),
    ]
    pages = build_document(out, story, A4_PORTRAIT, PageFooter(printed_on=today, left_text="红旗村"),
                           title="待遇领取资格公示", author="红旗村村民委员会")

``build_document(..., two_up=True)`` on :data:`A4_LANDSCAPE_TWO_UP` lays the story out on A5 pages and prints
each A5 page twice on one A4 landscape sheet with a dashed cut line between the copies (一纸两份): one print
run gives two leaflets. The copies are one PDF form XObject placed twice, so both halves are identical.

Sizes are points (1/72 inch); ``mm`` from ``reportlab.lib.units`` converts. The font covers Simplified
Chinese, Latin, digits and ￥; :func:`unsupported_characters` finds anything else (a rare character typed in a
name, an emoji) before it would print as an empty box.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import IO, Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, A5, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Paragraph, Table, TableStyle

from pensiondesk.resources import resource_path, shipped_dir_candidates

__all__ = [
    "A4_LANDSCAPE",
    "A4_LANDSCAPE_TWO_UP",
    "A4_PORTRAIT",
    "A5_PORTRAIT",
    "CHINESE_NO_LINE_START",
    "FONT_FILE",
    "FONT_NAME",
    "FORMS_TEMPLATES_ENV_VAR",
    "BoldParagraph",
    "DocumentStyles",
    "PageFooter",
    "PageSetup",
    "SignatureBlock",
    "TitleBlock",
    "build_document",
    "chinese_date",
    "data_table",
    "document_styles",
    "escape_text",
    "forms_templates_dir",
    "numbered_canvas",
    "register_fonts",
    "split_cjk_lines",
    "unsupported_characters",
]

#: The family name under which the bundled font is registered with ReportLab.
FONT_NAME = "PDCJK"
#: The bundled font (文泉驿微米黑, Apache-2.0), relative to ``resources/``; a TrueType collection.
FONT_FILE = ("fonts", "wqy-microhei.ttc")
#: Overrides where the printable layouts (``forms_templates/``) are read from: a county's adapted copy.
FORMS_TEMPLATES_ENV_VAR = "PENSIONDESK_FORMS_TEMPLATES"

#: Line spacing of the 落款 lines, as a multiple of the type size.
_SIGNATURE_LINE_GAP = 1.8
#: Faux bold (the font has no bold face): glyph outlines are stroked as well as filled, this share of the size.
_FAUX_BOLD_STROKE = 0.028


# --- font -----------------------------------------------------------------------------------------------------


@cache
def register_fonts() -> str:
    """Register the bundled CJK font with ReportLab once per process and return its name (:data:`FONT_NAME`).

    The same face is registered as its own bold and italic so that ``<b>`` in a paragraph never falls back to
    a Latin-only font (titles and headings get their weight from :class:`TitleBlock`'s stroke instead).
    ReportLab embeds the glyphs used as a subset, so every PDF carries its own font.
    """
    _teach_chinese_line_breaking()
    path = resource_path(*FONT_FILE)
    if not path.is_file():
        raise FileNotFoundError(f"找不到打印用的中文字体文件：{path}；请重新安装本程序")
    pdfmetrics.registerFont(TTFont(FONT_NAME, str(path), subfontIndex=0))
    pdfmetrics.registerFontFamily(FONT_NAME, normal=FONT_NAME, bold=FONT_NAME, italic=FONT_NAME, boldItalic=FONT_NAME)
    return FONT_NAME


#: Full-width Chinese punctuation that must not begin a line (标点禁则, GB/T 15834); ReportLab's own list is
#: made for Japanese and lacks most of these, so "，" or "：" could start a line.
CHINESE_NO_LINE_START = "，。、；：？！）》」』】〕〉”’…—·％‰℃"


def _teach_chinese_line_breaking() -> None:
    """Add :data:`CHINESE_NO_LINE_START` to the marks ReportLab's CJK wrap keeps on the line before.

    ReportLab reads the list from module globals of ``reportlab.lib.textsplit`` and
    ``reportlab.platypus.paragraph``; a mark that would begin a line is instead hung in the margin at the end
    of the previous one, as Chinese typesetting allows.
    """
    from reportlab.lib import textsplit
    from reportlab.platypus import paragraph

    for module in (textsplit, paragraph):  # one-style paragraphs wrap in textsplit, mixed ones in paragraph
        missing = "".join(mark for mark in CHINESE_NO_LINE_START if mark not in module.ALL_CANNOT_START)
        if missing:
            module.ALL_CANNOT_START += missing


def unsupported_characters(text: str) -> list[str]:
    """Characters of ``text`` the bundled font cannot print (they would come out as empty boxes), in order."""
    register_fonts()
    face = pdfmetrics.getFont(FONT_NAME).face
    glyphs: dict[int, int] = face.charToGlyph
    missing: list[str] = []
    for char in text:
        if char not in missing and not char.isspace() and ord(char) not in glyphs:
            missing.append(char)
    return missing


def escape_text(text: str) -> str:
    """Plain text as ReportLab paragraph markup: ``&``, ``<`` and ``>`` escaped, so typed text prints as typed."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def forms_templates_dir() -> Path:
    """The ``forms_templates/`` directory in use, the first of:

    ``$PENSIONDESK_FORMS_TEMPLATES``; ``forms_templates`` in the data folder, where a county's adapted copy lives
    (an upgrade of the program replaces the installed folder, never the data folder); the bundle's, the installed
    package's (a wheel) or the checkout's (:func:`pensiondesk.resources.shipped_dir_candidates`).
    """
    override = os.environ.get(FORMS_TEMPLATES_ENV_VAR)
    if override:
        return Path(override)
    from pensiondesk.paths import data_dir

    county_copy = data_dir() / "forms_templates"
    if county_copy.is_dir():
        return county_copy
    candidates = shipped_dir_candidates("forms_templates")
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    return candidates[0]


def chinese_date(day: date) -> str:
    """A date as Chinese documents write it: 2026年11月23日 (no leading zeros)."""
    return f"{day.year}年{day.month}月{day.day}日"


# --- styles ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DocumentStyles:
    """The paragraph styles of one document size; every one wraps between Chinese characters (CJK)."""

    title_size: float
    body: ParagraphStyle  # 正文: first line indented two characters, justified
    plain: ParagraphStyle  # no indent (称呼, list items)
    heading: ParagraphStyle  # 小标题, kept with the paragraph that follows
    caption: ParagraphStyle  # 表题, centred
    cell: ParagraphStyle  # table cell, centred
    cell_left: ParagraphStyle  # table cell, left
    header_cell: ParagraphStyle  # table header cell
    note: ParagraphStyle  # 注: small print under a table
    signature: ParagraphStyle  # 落款 lines

    @property
    def body_size(self) -> float:
        return float(self.body.fontSize)


def document_styles(body_size: float, *, title_size: float | None = None, leading: float = 1.6) -> DocumentStyles:
    """Styles scaled from the body size: 16 pt for a poster read from two metres, 10.5 pt (五号) for a leaflet.

    ``leading`` is the line height as a multiple of the size (1.6 reads well in Chinese); tables are a little
    smaller and tighter than the body.
    """
    font = register_fonts()
    table_size = round(body_size * 0.875, 1)

    def style(name: str, size: float, **options: Any) -> ParagraphStyle:
        options.setdefault("leading", size * leading)
        return ParagraphStyle(name, fontName=font, fontSize=size, wordWrap="CJK", **options)

    return DocumentStyles(
        title_size=title_size or round(body_size * 1.75, 1),
        body=style("body", body_size, firstLineIndent=2 * body_size, alignment=TA_JUSTIFY, spaceAfter=body_size * 0.15),
        plain=style("plain", body_size, alignment=TA_LEFT, spaceAfter=body_size * 0.2),
        heading=style(
            "heading",
            body_size * 1.08,
            keepWithNext=True,
            spaceBefore=body_size * 0.45,
            spaceAfter=body_size * 0.2,
            textColor=colors.black,
        ),
        caption=style(
            "caption", table_size, alignment=TA_CENTER, keepWithNext=True, spaceBefore=body_size * 0.3, spaceAfter=3
        ),
        cell=style("cell", table_size, alignment=TA_CENTER, leading=table_size * 1.3),
        cell_left=style("cell_left", table_size, alignment=TA_LEFT, leading=table_size * 1.3),
        header_cell=style("header_cell", table_size, alignment=TA_CENTER, leading=table_size * 1.3),
        note=style("note", round(body_size * 0.75, 1), alignment=TA_LEFT, leading=body_size * 0.75 * 1.45),
        signature=style("signature", body_size, alignment=TA_RIGHT),
    )


# --- pages ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PageSetup:
    """A sheet size and its margins; the footer sits inside the bottom margin, ``footer_y`` above the edge.

    With ``two_up`` the content is laid out on the left half of the sheet and repeated on the right half.
    """

    name: str
    size: tuple[float, float]
    left: float
    right: float
    top: float
    bottom: float
    footer_y: float
    footer_size: float = 10
    two_up: bool = False

    @property
    def content_size(self) -> tuple[float, float]:
        """The area one copy is laid out on: the sheet, or its left half when two-up."""
        width, height = self.size
        return (width / 2, height) if self.two_up else (width, height)

    @property
    def frame_width(self) -> float:
        return self.content_size[0] - self.left - self.right

    @property
    def frame_height(self) -> float:
        return self.content_size[1] - self.top - self.bottom

    @property
    def copy_offsets(self) -> tuple[float, ...]:
        """The x offset of each copy on the sheet: one, or two for the left and right halves."""
        return (0.0, self.content_size[0]) if self.two_up else (0.0,)

    def frame(self) -> Frame:
        return Frame(
            self.left,
            self.bottom,
            self.frame_width,
            self.frame_height,
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
            id="content",
        )


#: A4 portrait, for notices posted on the village board (村务公开栏).
A4_PORTRAIT = PageSetup("A4", A4, left=22 * mm, right=22 * mm, top=20 * mm, bottom=22 * mm, footer_y=11 * mm)
#: A4 landscape, for wide lists.
A4_LANDSCAPE = PageSetup(
    "A4 landscape", landscape(A4), left=18 * mm, right=18 * mm, top=18 * mm, bottom=20 * mm, footer_y=10 * mm
)
#: A5 portrait on its own sheet.
A5_PORTRAIT = PageSetup(
    "A5", A5, left=13 * mm, right=13 * mm, top=12 * mm, bottom=15 * mm, footer_y=7 * mm, footer_size=7.5
)
#: Two A5 portrait copies side by side on one A4 landscape sheet (宣传单一纸两份).
A4_LANDSCAPE_TWO_UP = PageSetup(
    "A5 two-up on A4 landscape",
    landscape(A4),
    left=12 * mm,
    right=12 * mm,
    top=10 * mm,
    bottom=13 * mm,
    footer_y=6 * mm,
    footer_size=7.5,
    two_up=True,
)


@dataclass(frozen=True)
class PageFooter:
    """第 x 页 共 y 页 in the middle, ``left_text`` (e.g. the village) on the left, the printed date on the right."""

    printed_on: date
    left_text: str = ""

    def draw(self, canvas: Canvas, setup: PageSetup, page: int, total: int, x_offset: float = 0.0) -> None:
        font = register_fonts()
        width = setup.content_size[0]
        y = setup.footer_y
        canvas.saveState()
        canvas.setFillColor(colors.black)
        canvas.setFont(font, setup.footer_size)
        canvas.drawCentredString(x_offset + width / 2, y, f"第 {page} 页 共 {total} 页")
        canvas.setFillColor(colors.Color(0.3, 0.3, 0.3))
        if self.left_text:
            canvas.drawString(x_offset + setup.left, y, self.left_text)
        canvas.drawRightString(x_offset + width - setup.right, y, f"打印日期：{self.printed_on.isoformat()}")
        canvas.restoreState()


def numbered_canvas(setup: PageSetup, footer: PageFooter) -> type[Canvas]:
    """A canvas class that holds every page back until the end, then draws the footer with the page count.

    The classic two-pass "page x of y" canvas: ``showPage`` keeps the page's state, ``save`` replays each one
    with its footer (on every copy when the setup is two-up) and only then writes it.
    """

    class NumberedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._held_pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._held_pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._held_pages)
            for number, state in enumerate(self._held_pages, start=1):
                self.__dict__.update(state)
                for offset in setup.copy_offsets:
                    footer.draw(self, setup, number, total, offset)
                Canvas.showPage(self)
            Canvas.save(self)

    return NumberedCanvas


class _TwoUpTemplate(PageTemplate):
    """Lays a page out on the left half inside a form, then places the form on both halves with a cut line."""

    def __init__(self, setup: PageSetup) -> None:
        super().__init__(id="two-up", frames=[setup.frame()], pagesize=setup.size)
        self._setup = setup

    def _form_name(self, doc: BaseDocTemplate) -> str:
        return f"copy-{doc.page}"

    def beforeDrawPage(self, canv: Canvas, doc: BaseDocTemplate) -> None:
        width, height = self._setup.content_size
        canv.beginForm(self._form_name(doc), 0, 0, width, height)

    def afterDrawPage(self, canv: Canvas, doc: BaseDocTemplate) -> None:
        canv.endForm()
        name = self._form_name(doc)
        for offset in self._setup.copy_offsets:
            canv.saveState()
            canv.translate(offset, 0)
            canv.doForm(name)
            canv.restoreState()
        self._draw_cut_line(canv)

    def _draw_cut_line(self, canv: Canvas) -> None:
        x = self._setup.content_size[0]
        height = self._setup.size[1]
        canv.saveState()
        canv.setStrokeColor(colors.Color(0.55, 0.55, 0.55))
        canv.setLineWidth(0.5)
        canv.setDash(4, 3)
        canv.line(x, 6 * mm, x, height - 6 * mm)
        canv.setFillColor(colors.Color(0.45, 0.45, 0.45))
        canv.setFont(register_fonts(), 6.5)
        canv.translate(x - 1.2 * mm, height / 2)
        canv.rotate(90)
        canv.drawCentredString(0, 0, "沿 虚 线 剪 开")
        canv.restoreState()


def build_document(
    out: str | os.PathLike[str] | IO[bytes],
    story: Sequence[Flowable],
    setup: PageSetup,
    footer: PageFooter,
    *,
    title: str = "",
    author: str = "",
    subject: str = "",
) -> int:
    """Lay ``story`` out on ``setup``'s pages with ``footer`` and write the PDF to ``out``; returns the page count.

    ``out`` is a path or a binary file object. The PDF carries ``title``/``author``/``subject`` as metadata.
    """
    register_fonts()
    target: str | IO[bytes] = os.fspath(out) if isinstance(out, str | os.PathLike) else out
    doc = BaseDocTemplate(
        target,
        pagesize=setup.size,
        leftMargin=setup.left,
        rightMargin=setup.right,
        topMargin=setup.top,
        bottomMargin=setup.bottom,
        title=title,
        author=author,
        subject=subject,
        creator="PensionDesk 城乡居保村级工作台",
        initialFontName=FONT_NAME,
    )
    template = _TwoUpTemplate(setup) if setup.two_up else PageTemplate(id="page", frames=[setup.frame()])
    doc.addPageTemplates([template])
    doc.build(list(story), canvasmaker=numbered_canvas(setup, footer))
    return int(doc.page)


# --- flowables ------------------------------------------------------------------------------------------------

# Characters that must not begin a line (行首禁则) or end one (行尾禁则).
_NO_LINE_START = set(CHINESE_NO_LINE_START + ",.;:?!)%")
_NO_LINE_END = set("（《「『【〔“‘(")


def _tokens(text: str) -> list[str]:
    """Break points of ``text``: each CJK character alone; runs of Latin letters and digits kept whole."""
    tokens: list[str] = []
    for char in text:
        previous = tokens[-1][-1] if tokens else ""
        latin_run = char.isascii() and char.isalnum() and previous.isascii() and previous.isalnum()
        if tokens and (latin_run or char in _NO_LINE_START or previous in _NO_LINE_END):
            tokens[-1] += char
        else:
            tokens.append(char)
    return tokens


def _greedy_lines(tokens: list[str], width: float, measure: Callable[[str], float]) -> list[str]:
    lines: list[str] = []
    current = ""
    for token in tokens:
        if current and measure(current + token) > width:
            lines.append(current)
            current = token
        else:
            current += token
    if current:
        lines.append(current)
    return lines


def split_cjk_lines(text: str, width: float, font_size: float, *, balanced: bool = True) -> list[str]:
    """Break ``text`` into lines no wider than ``width``, never before a closing mark or inside 2027.

    With ``balanced`` the lines are made as even as possible (a long title breaks in the middle rather than
    leaving 通知 alone on the second line).
    """
    font = register_fonts()

    def measure(part: str) -> float:
        return float(pdfmetrics.stringWidth(part, font, font_size))

    tokens = _tokens(text.strip())
    lines = _greedy_lines(tokens, width, measure)
    if not balanced or len(lines) < 2:
        return lines
    low, high = measure(max(tokens, key=measure)), width
    while high - low > 0.5:
        middle = (low + high) / 2
        if len(_greedy_lines(tokens, middle, measure)) <= len(lines):
            high = middle
        else:
            low = middle
    return _greedy_lines(tokens, high, measure)


class TitleBlock(Flowable):
    """A document title (标题): centred, faux bold, broken into balanced lines, with space below."""

    def __init__(self, text: str, styles: DocumentStyles, *, subtitle: str = "", space_after: float | None = None):
        super().__init__()
        self.text = text
        self.subtitle = subtitle
        self.size = styles.title_size
        self.subtitle_size = styles.body_size
        self.space_after = styles.body_size * 1.1 if space_after is None else space_after
        self._lines: list[str] = []
        self._subtitle_lines: list[str] = []

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = availWidth
        # A line break written in the title (in a template) is kept; each part still wraps if too long.
        self._lines = [
            line
            for part in self.text.split("\n")
            if part.strip()
            for line in split_cjk_lines(part, availWidth, self.size)
        ]
        self._subtitle_lines = split_cjk_lines(self.subtitle, availWidth, self.subtitle_size) if self.subtitle else []
        self.height = (
            len(self._lines) * self.size * 1.4 + len(self._subtitle_lines) * self.subtitle_size * 1.5 + self.space_after
        )
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        font = register_fonts()
        y = self.height - self.size
        canvas.saveState()
        canvas.setFillColor(colors.black)
        canvas.setStrokeColor(colors.black)
        canvas.setLineWidth(self.size * _FAUX_BOLD_STROKE)
        for line in self._lines:
            text = canvas.beginText()
            text.setTextRenderMode(2)  # fill and stroke: a heavier face than the font has
            text.setFont(font, self.size)
            text.setTextOrigin((self.width - pdfmetrics.stringWidth(line, font, self.size)) / 2, y)
            text.textOut(line)
            canvas.drawText(text)
            y -= self.size * 1.4
        canvas.setFont(font, self.subtitle_size)
        y += self.size * 1.4 - self.size * 0.35 - self.subtitle_size * 1.5
        for line in self._subtitle_lines:
            canvas.drawCentredString(self.width / 2, y, line)
            y -= self.subtitle_size * 1.5
        canvas.restoreState()


class BoldParagraph(Paragraph):
    """A paragraph printed in faux bold (加粗): headings and table headers, since the font has no bold face.

    The text render mode "fill then stroke" (PDF ``2 Tr``) thickens each glyph by its outline; it is part of
    the graphics state, so ``saveState``/``restoreState`` confine it to this paragraph.
    """

    def draw(self) -> None:
        canvas = self.canv
        canvas.saveState()
        canvas.setStrokeColor(self.style.textColor)
        canvas.setLineWidth(float(self.style.fontSize) * _FAUX_BOLD_STROKE)
        canvas.addLiteral("2 Tr")
        super().draw()
        canvas.restoreState()


class SignatureBlock(Flowable):
    """落款: the committee (盖章), the person in charge (经办人) and the date, with a dashed circle for the stamp.

    Laid out at the right of the frame as Chinese notices are; the circle (``stamp_diameter``, by default 42 mm:
    the size of a village committee's seal) is centred on the committee name and the date, where the seal is
    pressed.
    """

    def __init__(
        self,
        *,
        committee: str,
        date_text: str,
        styles: DocumentStyles,
        handler_label: str = "经办人：",
        stamp_diameter: float = 42 * mm,
    ) -> None:
        super().__init__()
        self.committee = committee
        self.date_text = date_text
        self.handler_label = handler_label
        self.size = styles.body_size
        self.stamp_diameter = stamp_diameter

    @property
    def _lines(self) -> list[str]:
        handler = f"{self.handler_label}{'　' * 6}"
        return [handler, f"{self.committee}（盖章）", self.date_text]

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = availWidth
        line_gap = self.size * _SIGNATURE_LINE_GAP
        self.height = max(line_gap * len(self._lines), self.stamp_diameter) + self.size * 0.4
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        font = register_fonts()
        widths = [pdfmetrics.stringWidth(line, font, self.size) for line in self._lines]
        block_width = max(widths)
        right = self.width - self.size  # a character's space from the right margin, as 公文 落款 is
        left = right - block_width
        line_gap = self.size * _SIGNATURE_LINE_GAP
        top = self.height - self.size * 1.2
        baselines = [top - index * line_gap for index in range(len(self._lines))]

        # The stamp area first, so the text is printed over its dashed outline.
        centre_x = right - widths[1] / 2
        centre_y = (baselines[1] + baselines[2]) / 2 + self.size * 0.35
        radius = self.stamp_diameter / 2
        centre_x = min(centre_x, self.width - radius)
        centre_y = min(max(centre_y, radius), self.height - radius)  # inside the block: never over the text above
        canvas.saveState()
        canvas.setStrokeColor(colors.Color(0.6, 0.6, 0.6))
        canvas.setLineWidth(0.7)
        canvas.setDash(3, 3)
        canvas.circle(centre_x, centre_y, radius, stroke=1, fill=0)
        canvas.restoreState()

        canvas.saveState()
        canvas.setFillColor(colors.black)
        canvas.setFont(font, self.size)
        handler_width = pdfmetrics.stringWidth(self.handler_label, font, self.size)
        canvas.drawString(left, baselines[0], self.handler_label)
        canvas.setLineWidth(0.6)
        canvas.line(left + handler_width, baselines[0] - 2, right, baselines[0] - 2)
        for line, width, baseline in zip(self._lines[1:], widths[1:], baselines[1:], strict=True):
            canvas.drawString(right - width, baseline, line)
        canvas.restoreState()


@dataclass(frozen=True)
class _TableLook:
    grid: colors.Color = field(default_factory=lambda: colors.Color(0.25, 0.25, 0.25))
    header_background: colors.Color = field(default_factory=lambda: colors.Color(0.88, 0.88, 0.88))
    stripe: colors.Color = field(default_factory=lambda: colors.Color(0.96, 0.96, 0.96))


def data_table(
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    styles: DocumentStyles,
    width: float,
    *,
    column_weights: Sequence[float] | None = None,
    left_columns: Sequence[int] = (),
) -> Table:
    """A ruled table (表格) filling ``width``: shaded header repeated on each page, lightly striped rows.

    Cells are centred paragraphs (they wrap inside the column, and a ``\n`` in the text is a line break);
    ``left_columns`` are left-aligned instead.
    ``column_weights`` share the width between the columns (equal by default).
    """
    weights = list(column_weights or [1.0] * len(header))
    total = sum(weights)
    widths = [width * weight / total for weight in weights]
    left = set(left_columns)

    def markup(text: str) -> str:
        return escape_text(text).replace("\n", "<br/>")  # a line break written in a header is kept

    def cell(text: str, column: int) -> Paragraph:
        return Paragraph(markup(text), styles.cell_left if column in left else styles.cell)

    data: list[list[Paragraph]] = [
        [BoldParagraph(markup(text), styles.header_cell) for text in header],
    ]
    data += [[cell(text, column) for column, text in enumerate(row)] for row in rows]
    look = _TableLook()
    commands: list[tuple[Any, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), FONT_NAME),  # else the table sets Helvetica, which is never embedded
        ("GRID", (0, 0), (-1, -1), 0.6, look.grid),
        ("BACKGROUND", (0, 0), (-1, 0), look.header_background),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), styles.cell.fontSize * 0.2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), styles.cell.fontSize * 0.3),
        ("LEFTPADDING", (0, 0), (-1, -1), styles.cell.fontSize * 0.3),
        ("RIGHTPADDING", (0, 0), (-1, -1), styles.cell.fontSize * 0.3),
    ]
    commands += [("BACKGROUND", (0, row), (-1, row), look.stripe) for row in range(2, len(data), 2)]
    table = Table(data, colWidths=widths, repeatRows=1, hAlign="CENTER")
    table.setStyle(TableStyle(commands))
    return table
