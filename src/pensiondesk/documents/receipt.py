"""The receipt (收款收据): three parts on one A4 page, the overlay (套打) onto pre-printed paper, and the overlay
calibration test page (套打校准页).

The plain-paper receipt has the three parts of a paper receipt book — 第一联 存根 (kept by the village),
第二联 收据 (the payer's copy), 第三联 记账 (for the township's accounts) — one above the other on an A4 sheet,
separated by dashed cut lines. Each part shows the receipt number, the date, the insured person and the payer, the
ID number (masked on the payer's copy, domain.md §12), the year and tier, the subsidy breakdown, the amount in
figures and in Chinese capitals (大写), the collector, and on the payer's and the accounting copies the signed
verification code (:mod:`pensiondesk.domain.receipt_signature`). A reprint is marked “重打 第N次”, a void receipt
carries a large 作废 across every part.

The overlay prints only the values, at the positions of ``forms_templates/receipt.toml`` ``[overlay]``, shifted by
the calibration offset the coordinator measured on the test page. Geometry lives in that file; this module only
draws. Drawing goes straight to the canvas (no platypus) so that 500 receipts in one file cost little more than
their text: see ``bench/bench_receipts.py``.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import IO, Any

from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from pensiondesk.documents.base import chinese_date, forms_templates_dir, register_fonts
from pensiondesk.documents.qr import QrCode, draw_qr, encode_qr
from pensiondesk.domain.codes import PayerKind, ReceiptStatus
from pensiondesk.domain.masking import mask_id_number
from pensiondesk.domain.money import format_yuan, to_chinese_capital
from pensiondesk.services.receipts import OverlayOffset, ReceiptPrint

__all__ = [
    "LAYOUT_FILE",
    "OverlayField",
    "ReceiptLayout",
    "load_receipt_layout",
    "overlay_values",
    "render_overlay",
    "render_overlay_test_page",
    "render_receipt",
    "render_receipts",
    "sample_receipt",
]

LAYOUT_FILE = "receipt.toml"
_CUT_DASH = (3, 2.5)
_FAUX_BOLD = 0.028
_VOID_RED = (0.85, 0.15, 0.15)
_REPRINT_RED = (0.75, 0.05, 0.05)


# --- layout ----------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OverlayField:
    """Where one value goes on the pre-printed paper (mm from the part's top-left corner; baseline)."""

    x_mm: float
    y_mm: float
    size_pt: float
    align: str = "left"


@dataclass(frozen=True)
class ReceiptLayout:
    """``forms_templates/receipt.toml`` read once: the page, the plain-paper layout and the overlay positions."""

    page_width_mm: float
    page_height_mm: float
    full: dict[str, Any]
    overlay_size_mm: tuple[float, float]
    overlay_origins_mm: tuple[tuple[float, float], ...]
    overlay_masked_parts: frozenset[int]
    overlay_fields: dict[str, OverlayField]

    @property
    def page_size(self) -> tuple[float, float]:
        return self.page_width_mm * mm, self.page_height_mm * mm

    def f(self, key: str) -> float:
        """A number of the plain-paper layout."""
        return float(self.full[key])


def _plain(value: Any) -> Any:
    """TOML read with Decimal floats, turned into floats for drawing (geometry, never money)."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    return value


@lru_cache(maxsize=4)
def _load(path: str, _mtime: float) -> ReceiptLayout:
    with open(path, "rb") as handle:
        data = _plain(tomllib.load(handle, parse_float=Decimal))
    overlay = data["overlay"]
    fields = {
        name: OverlayField(
            x_mm=float(spec["x_mm"]),
            y_mm=float(spec["y_mm"]),
            size_pt=float(spec.get("size_pt", 10)),
            align=str(spec.get("align", "left")),
        )
        for name, spec in overlay["fields"].items()
    }
    return ReceiptLayout(
        page_width_mm=float(data["page"]["width_mm"]),
        page_height_mm=float(data["page"]["height_mm"]),
        full=data["full"],
        overlay_size_mm=(float(overlay["page_width_mm"]), float(overlay["page_height_mm"])),
        overlay_origins_mm=tuple((float(x), float(y)) for x, y in overlay["part_origins_mm"]),
        overlay_masked_parts=frozenset(int(p) for p in overlay.get("masked_id_parts", [])),
        overlay_fields=fields,
    )


def load_receipt_layout(path: Path | None = None) -> ReceiptLayout:
    """The receipt layout from ``forms_templates/receipt.toml`` (or ``path``), re-read when the file changes."""
    target = path or forms_templates_dir() / LAYOUT_FILE
    if not target.is_file():
        raise FileNotFoundError(f"找不到收据版式文件：{target}；请重新安装本程序")
    return _load(str(target), target.stat().st_mtime)


# --- values ----------------------------------------------------------------------------------------------------------


def _yuan(fen: int) -> str:
    return f"{format_yuan(fen)} 元"


def _payer(data: ReceiptPrint) -> str:
    kind = {PayerKind.SELF: "本人", PayerKind.RELATIVE: "亲属代缴", PayerKind.OTHER: "他人代缴"}[data.payer_kind]
    return f"{data.payer_name}（{kind}）"


def overlay_values(data: ReceiptPrint, *, masked: bool) -> dict[str, str]:
    """The text of each overlay field for ``data`` (also what the plain receipt prints in its cells)."""
    year = f"{data.year} 年度" + ("（补缴）" if data.is_catch_up else "")
    return {
        "number": f"No. {data.number:08d}",
        "date": chinese_date(data.day),
        "person_name": data.person_name,
        "id_number": mask_id_number(data.id_number) if masked else data.id_number,
        "payer": _payer(data),
        "group": data.group_name,
        "year": year,
        "tier": _yuan(data.tier_fen),
        "subsidy": (
            f"省级 {_yuan(data.subsidy_province_fen)}　市级 {_yuan(data.subsidy_city_fen)}　"
            f"县级 {_yuan(data.subsidy_county_fen)}"
        ),
        "other_credit": (
            f"政府代缴 {_yuan(data.government_paid_fen)}　集体补助 {_yuan(data.collective_fen)}　"
            f"记入个人账户 {_yuan(data.credited_fen)}"
        ),
        "amount_capital": f"人民币 {to_chinese_capital(data.amount_fen)}",
        "amount_figures": f"￥{format_yuan(data.amount_fen)}",
        "collector": data.collector_name,
        "reprint": f"重打 第{data.reprint_no}次" if data.reprint_no else "",
    }


def sample_receipt(day: date | None = None) -> ReceiptPrint:
    """A made-up receipt for the calibration test page and previews (clearly a sample: 样例)."""
    return ReceiptPrint(
        series="YANGLI",
        number=12345678,
        day=day or date.today(),
        village_code="000000000000",
        village_name="样例村",
        township_name="样例镇",
        person_name="张三丰",
        id_number="11010519491231002X",
        group_name="第一村民小组",
        payer_name="张三丰",
        payer_kind=PayerKind.SELF,
        year=(day or date.today()).year,
        tier_fen=300_00,
        amount_fen=300_00,
        subsidy_province_fen=30_00,
        subsidy_city_fen=0,
        subsidy_county_fen=0,
        government_paid_fen=0,
        collective_fen=0,
        is_catch_up=False,
        collector_name="王红",
        status=ReceiptStatus.ISSUED,
        void_reason=None,
        reprint_no=1,  # so that the test page shows where the reprint mark goes
        qr_payload="",
    )


# --- drawing helpers -------------------------------------------------------------------------------------------------


@lru_cache(maxsize=2048)
def _width(text: str, font: str, size: float) -> float:
    """Width in points of a text, remembered: labels, titles and the vertical notes repeat on every receipt."""
    return float(pdfmetrics.stringWidth(text, font, size))


class _Pen:
    """Drawing in millimetres from the top-left of a part, on a canvas in points from the bottom-left."""

    def __init__(self, canvas: Canvas, font: str, page_height: float) -> None:
        self.canvas = canvas
        self.font = font
        self.page_height = page_height
        self.origin_x = 0.0
        self.origin_y = 0.0  # mm from the top of the page
        self._size = 0.0

    def at(self, x_mm: float, top_mm: float) -> None:
        self.origin_x, self.origin_y = x_mm, top_mm

    def x(self, x_mm: float) -> float:
        return (self.origin_x + x_mm) * mm

    def y(self, y_mm: float) -> float:
        return self.page_height - (self.origin_y + y_mm) * mm

    def size(self, size: float) -> None:
        if size != self._size:
            self.canvas.setFont(self.font, size)
            self._size = size

    def reset(self) -> None:
        self._size = 0.0

    def text(self, x_mm: float, y_mm: float, text: str, size: float, align: str = "left") -> None:
        if not text:
            return
        self.size(size)
        x = self.x(x_mm)
        if align == "right":
            x -= _width(text, self.font, size)
        elif align == "centre":
            x -= _width(text, self.font, size) / 2
        self.canvas.drawString(x, self.y(y_mm), text)

    def fitted(self, x_mm: float, y_mm: float, text: str, size: float, width_mm: float) -> None:
        """Text shrunk (never below 70 %) so that it fits ``width_mm``.

        No glyph of the font is wider than one em, so text of fewer characters than fit at one em each is not
        measured: most values are short, and measuring is the costly part of printing 500 receipts.
        """
        room = width_mm * mm
        if len(text) * size > room:
            width = pdfmetrics.stringWidth(text, self.font, size)
            if width > room:
                size = max(size * 0.7, size * room / width)
        self.text(x_mm, y_mm, text, size)


# --- the plain-paper receipt -----------------------------------------------------------------------------------------


def _draw_title(pen: _Pen, x_mm: float, y_mm: float, text: str, size: float) -> None:
    canvas = pen.canvas
    width = _width(text, pen.font, size)
    canvas.saveState()  # the text render mode is graphics state: it must not leak into the values
    obj = canvas.beginText()
    obj.setTextRenderMode(2)  # fill and stroke: a heavier face than the font has
    obj.setFont(pen.font, size)
    obj.setTextOrigin(pen.x(x_mm) - width / 2, pen.y(y_mm))
    obj.textOut(text)
    canvas.setLineWidth(size * _FAUX_BOLD)
    canvas.drawText(obj)
    canvas.restoreState()
    pen.reset()


def _table_geometry(layout: ReceiptLayout) -> tuple[list[float], float, float, float]:
    """Column edges, top, row height and the baseline offset inside a row (mm)."""
    columns = [float(c) for c in layout.full["columns_mm"]]
    row_h = layout.f("row_height_mm")
    return columns, layout.f("table_top_mm"), row_h, row_h / 2 + 1.3


_ROWS = 6
_LABELS = (
    ("参保人", "公民身份号码"),
    ("缴费人", "村民小组"),
    ("缴费年度", "缴费档次"),
    ("缴费补贴", None),
    ("其他记账", None),
    ("金额（大写）", "金额（小写）"),
)
_PART_NOTES = {1: "存根联由村委会留存备查，作废票据各联均须保留。", 3: "记账联随日结交款单交乡镇经办机构。"}


def _draw_part_form(pen: _Pen, layout: ReceiptLayout, part: int) -> None:
    """What every receipt has in common on one part: title, rules, labels, notes (drawn once, as a form)."""
    full = layout.full
    canvas = pen.canvas
    colour = full["part_colours"][part - 1]
    left, right = layout.f("margin_left_mm"), layout.f("margin_right_mm")
    canvas.setStrokeColorRGB(*colour)
    canvas.setFillColorRGB(*colour)

    centre = (left + right) / 2 - 3
    title_size = layout.f("title_size_pt")
    _draw_title(pen, centre, layout.f("title_y_mm"), full["title"], title_size)
    half = _width(full["title"], pen.font, title_size) / mm / 2
    underline = layout.f("title_y_mm") + 1.6
    canvas.setLineWidth(0.5)
    for y in (underline, underline + 0.7):
        canvas.line(pen.x(centre - half), pen.y(y), pen.x(centre + half), pen.y(y))
    pen.text(layout.f("part_label_x_mm"), layout.f("part_label_y_mm"), full["parts"][part - 1], 10)

    # Vertical note at the right edge: 第二联 收据 交缴费人收执, one character under another.
    note = f"{full['parts'][part - 1]}　{full['part_notes'][part - 1]}".replace(" ", "")
    for index, char in enumerate(note):
        pen.text(layout.f("vertical_note_x_mm"), 24.0 + index * 3.3, char, 7.5, "centre")

    # The table: outer box, row lines, column lines (rows 4–5 span the value columns).
    columns, top_mm, row_h, baseline = _table_geometry(layout)
    bottom_mm = top_mm + _ROWS * row_h
    canvas.setLineWidth(1.0)
    canvas.rect(pen.x(columns[0]), pen.y(bottom_mm), (columns[-1] - columns[0]) * mm, _ROWS * row_h * mm)
    canvas.setLineWidth(0.5)
    lines = [
        (pen.x(columns[0]), pen.y(top_mm + r * row_h), pen.x(columns[-1]), pen.y(top_mm + r * row_h))
        for r in range(1, _ROWS)
    ]
    lines.append((pen.x(columns[1]), pen.y(top_mm), pen.x(columns[1]), pen.y(bottom_mm)))
    for c in (2, 3):
        lines.append((pen.x(columns[c]), pen.y(top_mm), pen.x(columns[c]), pen.y(top_mm + 3 * row_h)))
        lines.append((pen.x(columns[c]), pen.y(top_mm + 5 * row_h), pen.x(columns[c]), pen.y(bottom_mm)))
    canvas.lines(lines)
    label_size = layout.f("label_size_pt")
    for r, (first, second) in enumerate(_LABELS):
        y = top_mm + r * row_h + baseline
        pen.text((columns[0] + columns[1]) / 2, y, first, label_size, "centre")
        if second:
            pen.text((columns[2] + columns[3]) / 2, y, second, label_size, "centre")

    footer = layout.f("footer_y_mm")
    pen.text(left, footer, "收款人：", 9.5)
    pen.text(left + 62, footer, "收款单位（盖章）：", 9.5)
    pen.text(left + 124, footer, "缴费人签字：", 9.5)
    pen.text(left, layout.f("note_y_mm"), _PART_NOTES.get(part, full["payer_note"]), layout.f("note_size_pt"))
    if part in full["qr_parts"]:
        size = layout.f("qr_size_mm")
        pen.text(layout.f("qr_x_mm") + size / 2, layout.f("qr_y_mm") + size + 3.0, full["qr_caption"], 7.5, "centre")


def _draw_part_values(
    pen: _Pen, layout: ReceiptLayout, data: ReceiptPrint, part: int, qr: QrCode | None, values: dict[str, str]
) -> None:
    """What this receipt prints on one part: unit, date, number, the values in the table, collector, code."""
    full = layout.full
    canvas = pen.canvas
    colour = full["part_colours"][part - 1]
    left, right = layout.f("margin_left_mm"), layout.f("margin_right_mm")
    canvas.setFillColorRGB(*colour)
    unit = f"收款单位：{data.township_name}{data.village_name}村民委员会"
    pen.text(left, layout.f("unit_y_mm"), unit, 9)
    pen.text(right, layout.f("unit_y_mm"), f"开票日期：{values['date']}", 9, "right")
    canvas.setFillColorRGB(*_REPRINT_RED)
    pen.text(right, layout.f("number_y_mm"), f"{data.series}  {values['number']}", layout.f("number_size_pt"), "right")
    if values["reprint"]:
        pen.text(right, layout.f("reprint_y_mm"), f"【{values['reprint']}】", 9, "right")

    canvas.setFillColorRGB(0, 0, 0)
    columns, top_mm, row_h, baseline = _table_geometry(layout)
    value_size = layout.f("value_size_pt")
    pad = 1.8
    wide = columns[-1] - columns[1] - 2 * pad
    first_w, second_w = columns[2] - columns[1] - 2 * pad, columns[4] - columns[3] - 2 * pad
    id_text = mask_id_number(data.id_number) if part in full["masked_id_parts"] else data.id_number
    cells = ((values["person_name"], id_text), (values["payer"], values["group"]), (values["year"], values["tier"]))
    for r, (first_value, second_value) in enumerate(cells):
        y = top_mm + r * row_h + baseline
        pen.fitted(columns[1] + pad, y, first_value, value_size, first_w)
        pen.fitted(columns[3] + pad, y, second_value, value_size, second_w)
    pen.fitted(columns[1] + pad, top_mm + 3 * row_h + baseline, values["subsidy"], value_size - 0.5, wide)
    pen.fitted(columns[1] + pad, top_mm + 4 * row_h + baseline, values["other_credit"], value_size - 0.5, wide)
    pen.fitted(columns[1] + pad, top_mm + 5 * row_h + baseline, values["amount_capital"], value_size + 0.5, first_w)
    pen.fitted(columns[3] + pad, top_mm + 5 * row_h + baseline, values["amount_figures"], value_size + 0.5, second_w)
    pen.text(left + 15, layout.f("footer_y_mm"), values["collector"], 10)

    if part in full["qr_parts"] and qr is not None:
        size = layout.f("qr_size_mm")
        draw_qr(canvas, qr, pen.x(layout.f("qr_x_mm")), pen.y(layout.f("qr_y_mm") + size), size * mm)


def _draw_void(pen: _Pen, layout: ReceiptLayout, reason: str | None) -> None:
    canvas = pen.canvas
    canvas.saveState()
    canvas.setFillColorRGB(*_VOID_RED)
    canvas.setFillAlpha(0.35)
    canvas.translate(pen.x(95), pen.y(55))
    canvas.rotate(18)
    canvas.setFont(pen.font, 60)
    canvas.drawCentredString(0, -20, "作　废")
    canvas.restoreState()
    pen.reset()
    canvas.setFillColorRGB(*_VOID_RED)
    pen.text(layout.f("margin_left_mm"), layout.f("reprint_y_mm"), f"【作废】原因：{reason or ''}", 9)


def _draw_receipt_page(canvas: Canvas, layout: ReceiptLayout, data: ReceiptPrint, font: str) -> None:
    page_w, page_h = layout.page_size
    pen = _Pen(canvas, font, page_h)
    values = overlay_values(data, masked=False)
    qr = encode_qr(data.qr_payload) if data.qr_payload else None
    part_h = layout.f("part_height_mm")
    for part in (1, 2, 3):
        pen.at(0, (part - 1) * part_h)
        # The printed form of each part is the same on every receipt: drawn once per file as a form XObject
        # and placed on every page, so a file of 500 receipts carries (and costs) it once.
        form = f"PensionDeskReceiptPart{part}"
        if not canvas.hasForm(form):
            canvas.beginForm(form)
            pen.reset()
            _draw_part_form(pen, layout, part)
            canvas.endForm()
            pen.reset()
        canvas.doForm(form)
        _draw_part_values(pen, layout, data, part, qr, values)
        if data.status is not ReceiptStatus.ISSUED:
            _draw_void(pen, layout, data.void_reason)
    # Cut lines between the parts.
    canvas.saveState()
    canvas.setStrokeColorRGB(0.5, 0.5, 0.5)
    canvas.setLineWidth(0.4)
    canvas.setDash(*_CUT_DASH)
    for part in (1, 2):
        y = page_h - part * part_h * mm
        canvas.line(6 * mm, y, page_w - 6 * mm, y)
    canvas.restoreState()
    pen.reset()
    canvas.setFillColorRGB(0.45, 0.45, 0.45)
    pen.size(6.5)
    for part in (1, 2):
        canvas.drawString(8 * mm, page_h - part * part_h * mm + 1.2 * mm, "沿虚线裁开")


def _target(out: str | os.PathLike[str] | IO[bytes]) -> str | IO[bytes]:
    return os.fspath(out) if isinstance(out, str | os.PathLike) else out


def _canvas(out: str | os.PathLike[str] | IO[bytes], size: tuple[float, float], title: str) -> Canvas:
    # initialFontName: else every page starts by selecting Helvetica, a font that is never embedded.
    canvas = Canvas(_target(out), pagesize=size, pageCompression=1, initialFontName=register_fonts())
    canvas.setTitle(title)
    canvas.setAuthor("PensionDesk 城乡居保村级工作台")
    canvas.setCreator("PensionDesk 城乡居保村级工作台")
    return canvas


def render_receipts(
    receipts: Iterable[ReceiptPrint],
    out: str | os.PathLike[str] | IO[bytes],
    *,
    layout: ReceiptLayout | None = None,
    canvas_class: type[Canvas] | None = None,
) -> int:
    """Write one A4 page (存根 / 收据 / 记账) per receipt to ``out``; returns the number of pages."""
    chosen = layout or load_receipt_layout()
    font = register_fonts()
    canvas = (canvas_class or Canvas)(_target(out), pagesize=chosen.page_size, pageCompression=1, initialFontName=font)
    canvas.setTitle("城乡居民基本养老保险费收款收据")
    canvas.setAuthor("PensionDesk 城乡居保村级工作台")
    canvas.setCreator("PensionDesk 城乡居保村级工作台")
    pages = 0
    for data in receipts:
        _draw_receipt_page(canvas, chosen, data, font)
        canvas.showPage()
        pages += 1
    canvas.save()
    return pages


# --- overlay (套打) and its calibration page -------------------------------------------------------------------------


def _draw_overlay_values(
    pen: _Pen, layout: ReceiptLayout, data: ReceiptPrint, offset: OverlayOffset, *, anchors: bool = False
) -> None:
    canvas = pen.canvas
    dx, dy = float(offset.x_mm), float(offset.y_mm)
    for part, (ox, oy) in enumerate(layout.overlay_origins_mm, start=1):
        values = overlay_values(data, masked=part in layout.overlay_masked_parts)
        pen.at(ox + dx, oy + dy)
        canvas.setFillColorRGB(0, 0, 0)
        for name, spot in layout.overlay_fields.items():
            text = values.get(name, "")
            if name == "number":
                text = f"{data.series} {text}"
            pen.text(spot.x_mm, spot.y_mm, text, spot.size_pt, spot.align)
            if anchors:
                canvas.saveState()
                canvas.setStrokeColorRGB(0.1, 0.35, 0.8)
                canvas.setLineWidth(0.3)
                x, y = pen.x(spot.x_mm), pen.y(spot.y_mm)
                canvas.line(x - 1.5 * mm, y, x + 1.5 * mm, y)
                canvas.line(x, y - 1.5 * mm, x, y + 1.5 * mm)
                canvas.restoreState()


def render_overlay(
    receipts: Iterable[ReceiptPrint],
    out: str | os.PathLike[str] | IO[bytes],
    offset: OverlayOffset,
    *,
    layout: ReceiptLayout | None = None,
) -> int:
    """套打: only the values, one sheet of the county's pre-printed paper per receipt, shifted by ``offset``."""
    chosen = layout or load_receipt_layout()
    font = register_fonts()
    size = (chosen.overlay_size_mm[0] * mm, chosen.overlay_size_mm[1] * mm)
    canvas = _canvas(out, size, "收据套打")
    pages = 0
    for data in receipts:
        pen = _Pen(canvas, font, size[1])
        _draw_overlay_values(pen, chosen, data, offset)
        canvas.showPage()
        pages += 1
    canvas.save()
    return pages


def _rulers(canvas: Canvas, font: str, width_mm: float, height_mm: float) -> None:
    """Millimetre rulers along the bottom and left edges of the sheet (fixed to the paper, never shifted).

    Not along the top: the number and the reprint mark are printed there. Both scales count from the top-left
    corner, as the layout file does, so a position read on the ruler can be written into receipt.toml as it is.
    """
    page_h = height_mm * mm
    canvas.saveState()
    canvas.setStrokeColorRGB(0, 0, 0)
    canvas.setFillColorRGB(0, 0, 0)
    canvas.setLineWidth(0.25)
    canvas.setFont(font, 5.5)
    ticks: list[tuple[float, float, float, float]] = []
    for x in range(0, int(width_mm) + 1):
        length = 5 if x % 10 == 0 else 3 if x % 5 == 0 else 1.6
        ticks.append((x * mm, 0, x * mm, length * mm))
        if x % 10 == 0 and 0 < x < width_mm:
            canvas.drawCentredString(x * mm, 6 * mm, str(x))
    for y in range(0, int(height_mm) + 1):
        length = 5 if y % 10 == 0 else 3 if y % 5 == 0 else 1.6
        ticks.append((0, page_h - y * mm, length * mm, page_h - y * mm))
        if y % 10 == 0 and 0 < y < height_mm:
            canvas.drawString(6 * mm, page_h - y * mm - 0.7 * mm, str(y))
    canvas.lines(ticks)
    canvas.restoreState()


def render_overlay_test_page(
    out: str | os.PathLike[str] | IO[bytes],
    offset: OverlayOffset,
    *,
    layout: ReceiptLayout | None = None,
    sample: ReceiptPrint | None = None,
) -> None:
    """套打校准页: sample values at the overlay positions (shifted by ``offset``) with a cross at each anchor, the
    outline of each part, millimetre rulers on two edges and instructions for measuring the offset.
    """
    chosen = layout or load_receipt_layout()
    font = register_fonts()
    width_mm, height_mm = chosen.overlay_size_mm
    page_h = height_mm * mm
    canvas = _canvas(out, (width_mm * mm, page_h), "收据套打校准页")
    _rulers(canvas, font, width_mm, height_mm)
    pen = _Pen(canvas, font, page_h)
    # Part outlines (unshifted: where the pre-printed parts are), light grey.
    canvas.saveState()
    canvas.setStrokeColorRGB(0.7, 0.7, 0.7)
    canvas.setLineWidth(0.4)
    canvas.setDash(2, 2)
    origins = chosen.overlay_origins_mm
    for index, (ox, oy) in enumerate(origins):
        bottom = origins[index + 1][1] if index + 1 < len(origins) else height_mm
        canvas.rect((ox + 10) * mm, page_h - (bottom - 1) * mm, (width_mm - 20) * mm, (bottom - oy - 11) * mm)
    canvas.restoreState()
    _draw_overlay_values(pen, chosen, sample or sample_receipt(), offset, anchors=True)
    # Instructions in the empty band of the first part.
    canvas.setFillColorRGB(0.1, 0.35, 0.8)
    lines = [
        f"套打校准页　当前偏移：水平 {offset.x_mm} 毫米（向右为正），垂直 {offset.y_mm} 毫米（向下为正）。"
        "用预印收据纸打印本页，或把本页叠在预印纸上对着光看。",
        "蓝色十字是各项内容的定位点，应落在预印纸对应格子的左下角（右对齐的内容落在右下角）。",
        "量出文字偏离格子多少毫米：偏右 2 毫米就把水平偏移减 2，偏下 1.5 毫米就把垂直偏移减 1.5；",
        "在“票据本 → 套打校准”中输入新的偏移，再打一页核对，直到对齐为止。四周的刻度以毫米为单位。",
    ]
    pen.at(0, 0)
    for index, line in enumerate(lines):
        pen.text(14, 86 + index * 3.3, line, 7)
    canvas.showPage()
    canvas.save()


def render_receipt(
    data: ReceiptPrint, out: str | os.PathLike[str] | IO[bytes], *, layout: ReceiptLayout | None = None
) -> None:
    """One receipt, three parts on one A4 page."""
    render_receipts([data], out, layout=layout)
