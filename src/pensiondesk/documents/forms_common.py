"""Parts shared by the printed forms (表格): a ruled form table of label and value cells, a fingerprint box.

The forms (《待遇领取通知表》, 《注销登记暨丧葬补助金申请表》) are grids of 项目/内容 cells as county forms are: labels
shaded, values plain, some spanning several columns, sections headed by a full-width shaded row. :func:`form_table`
builds one from rows of :class:`Cell` so that each form only says what goes where.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Table, TableStyle

from pensiondesk.documents.base import FONT_NAME, DocumentStyles, escape_text, register_fonts
from pensiondesk.domain.money import format_yuan

__all__ = ["Cell", "FingerprintBox", "form_table", "yuan_text"]

_LABEL_FILL = colors.Color(0.93, 0.93, 0.93)
_SECTION_FILL = colors.Color(0.85, 0.85, 0.85)
_GRID = colors.Color(0.2, 0.2, 0.2)


@dataclass(frozen=True)
class Cell:
    """One cell of a form row: text, how many columns it spans, whether it is a label, a section head, its height."""

    text: str = ""
    span: int = 1
    label: bool = False
    section: bool = False
    align: str = "left"
    flowable: Flowable | list[Flowable] | None = None


def _keep_spaces(text: str) -> str:
    """Full-width spaces (　) as no-break spaces of the same width: paragraphs collapse ordinary white space,
    and forms use these spaces to leave room for handwriting (　　年　　月　　日)."""
    return text.replace("\u3000", "\xa0" * 4)


def yuan_text(fen: int | None) -> str:
    """An amount for a form: 1,234.50 元, or an empty string when unknown."""
    if fen is None:
        return ""
    return f"{format_yuan(fen)} 元"


def form_table(
    rows: Sequence[Sequence[Cell]],
    styles: DocumentStyles,
    width: float,
    *,
    column_weights: Sequence[float],
    row_heights: Sequence[float | None] | None = None,
) -> Table:
    """A ruled form filling ``width``; every row's spans must add up to the number of columns."""
    register_fonts()
    total = sum(column_weights)
    widths = [width * weight / total for weight in column_weights]
    columns = len(widths)
    data: list[list[Any]] = []
    commands: list[tuple[Any, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), FONT_NAME),
        ("GRID", (0, 0), (-1, -1), 0.7, _GRID),
        ("BOX", (0, 0), (-1, -1), 1.2, _GRID),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
    ]
    centred = styles.cell
    left = styles.cell_left
    for r, row in enumerate(rows):
        line: list[Any] = []
        column = 0
        for cell in row:
            if cell.flowable is not None:
                content: Any = cell.flowable
            else:
                style = centred if (cell.label or cell.section or cell.align == "center") else left
                content = Paragraph(_keep_spaces(escape_text(cell.text)).replace("\n", "<br/>"), style)
            line.append(content)
            line.extend([""] * (cell.span - 1))
            if cell.span > 1:
                commands.append(("SPAN", (column, r), (column + cell.span - 1, r)))
            if cell.section:
                commands.append(("BACKGROUND", (column, r), (column + cell.span - 1, r), _SECTION_FILL))
            elif cell.label:
                commands.append(("BACKGROUND", (column, r), (column + cell.span - 1, r), _LABEL_FILL))
            column += cell.span
        if column != columns:
            raise ValueError(f"form row {r} spans {column} columns, the form has {columns}")
        data.append(line)
    table = Table(data, colWidths=widths, rowHeights=list(row_heights) if row_heights else None, hAlign="CENTER")
    table.setStyle(TableStyle(commands))
    return table


class FingerprintBox(Flowable):
    """签字/指印: a line to sign on and a square box to press a fingerprint in (按手印处)."""

    def __init__(self, styles: DocumentStyles, *, box: float = 24 * mm, label: str = "指印") -> None:
        super().__init__()
        self.box = box
        self.label = label
        self.size = styles.note.fontSize

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = availWidth
        self.height = self.box + 4
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        font = register_fonts()
        x = self.width - self.box - 2
        canvas.saveState()
        canvas.setStrokeColor(colors.Color(0.35, 0.35, 0.35))
        canvas.setLineWidth(0.8)
        canvas.setDash(2, 2)
        canvas.rect(x, 2, self.box, self.box, stroke=1, fill=0)
        canvas.setDash()
        canvas.setFillColor(colors.Color(0.55, 0.55, 0.55))
        canvas.setFont(font, float(self.size))
        canvas.drawCentredString(x + self.box / 2, 2 + self.box / 2 - float(self.size) / 3, self.label)
        canvas.setStrokeColor(colors.black)
        canvas.setDash()
        canvas.line(4, 8, x - 10, 8)
        canvas.restoreState()
