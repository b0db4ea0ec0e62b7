"""The handover sheet (票款结报交款单 / 交款单) of a daily close (日结).

One A4 page (more when the day had many receipts) that the collector hands over with the cash and the 记账 copies:
the village, the collector and the date; the counts of valid, void and lost receipts and the number range used;
the receipts total and the cash handed over, in figures and in Chinese capitals, the difference and its
explanation; every receipt number of the day with its status; and signature lines for the one who hands over
(交款人), the one who receives (收款人) and the reviewer (复核人). Before the day is closed the sheet is marked as a
preview (预览，尚未日结), so a preview can never pass for a close.
"""

from __future__ import annotations

import os
from datetime import date
from typing import IO

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from pensiondesk.documents.base import (
    A4_PORTRAIT,
    FONT_NAME,
    DocumentStyles,
    PageFooter,
    TitleBlock,
    build_document,
    chinese_date,
    data_table,
    document_styles,
    escape_text,
)
from pensiondesk.domain.codes import ReceiptStatus
from pensiondesk.domain.money import format_yuan, to_chinese_capital
from pensiondesk.services.receipts import DaySummary

__all__ = ["render_handover"]


def _money(fen: int) -> str:
    sign = "负 " if fen < 0 else ""
    return f"￥{format_yuan(fen)}（大写：{sign}{to_chinese_capital(abs(fen))}）"


def _summary_table(summary: DaySummary, styles: DocumentStyles, width: float) -> Table:
    close = summary.closed
    labels = [line.label for line in summary.lines]
    number_range = f"{labels[0]} 至 {labels[-1]}" if labels else "（当天没有使用票据）"
    rows: list[tuple[str, str]] = [
        ("有效收据", f"{summary.issued_count} 张"),
        ("作废收据", f"{summary.void_count} 张（作废票据各联均附后）"),
        ("遗失登记", f"{summary.lost_count} 张"),
        ("使用号码", number_range),
        ("收据金额合计", _money(summary.issued_total_fen)),
    ]
    if close is not None:
        difference = close.cash_handed_fen - close.receipts_total_fen
        rows.append(("实交现金", _money(close.cash_handed_fen)))
        rows.append(("差额", f"{format_yuan(difference)} 元" + ("（相符）" if difference == 0 else "")))
        if close.difference_note:
            rows.append(("差额说明", close.difference_note))
    else:
        rows.append(("实交现金", "￥＿＿＿＿＿＿（大写：＿＿＿＿＿＿＿＿＿＿）"))
    data = [
        [Paragraph(escape_text(label), styles.header_cell), Paragraph(escape_text(value), styles.cell_left)]
        for label, value in rows
    ]
    table = Table(data, colWidths=[width * 0.22, width * 0.78], hAlign="CENTER")
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), FONT_NAME),
                ("GRID", (0, 0), (-1, -1), 0.6, colors.Color(0.25, 0.25, 0.25)),
                ("BACKGROUND", (0, 0), (0, -1), colors.Color(0.92, 0.92, 0.92)),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
            ]
        )
    )
    return table


def _signatures(styles: DocumentStyles, width: float) -> Table:
    line = "＿" * 9
    cells = [
        [
            Paragraph(f"交款人签字：<br/>{line}", styles.plain),
            Paragraph(f"接收人签字：<br/>{line}", styles.plain),
            Paragraph(f"复核人签字：<br/>{line}", styles.plain),
        ],
        [
            Paragraph("日期：　　年　　月　　日", styles.plain),
            Paragraph("日期：　　年　　月　　日", styles.plain),
            Paragraph("日期：　　年　　月　　日", styles.plain),
        ],
    ]
    table = Table(cells, colWidths=[width / 3] * 3, hAlign="CENTER")
    table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), FONT_NAME), ("TOPPADDING", (0, 0), (-1, -1), 8)]))
    return table


def render_handover(
    summary: DaySummary, out: str | os.PathLike[str] | IO[bytes], *, printed_on: date | None = None
) -> int:
    """Write the 交款单 of ``summary`` to ``out``; returns the number of pages."""
    styles = document_styles(body_size=11, title_size=18)
    width = A4_PORTRAIT.frame_width
    closed = summary.closed is not None
    subtitle = (
        f"{summary.village_name}村民委员会　收款员：{summary.collector_name}　收款日期：{chinese_date(summary.day)}"
        + ("" if closed else "　（预览，尚未日结）")
    )
    story: list[Flowable] = [
        TitleBlock("城乡居民养老保险费票款结报交款单", styles, subtitle=subtitle),
        _summary_table(summary, styles, width),
        Spacer(1, 5 * mm),
        Paragraph("当日票据明细", styles.heading),
    ]
    status_text = {ReceiptStatus.ISSUED: "有效", ReceiptStatus.VOID: "作废", ReceiptStatus.LOST: "遗失"}
    rows = []
    for index, line in enumerate(summary.lines, start=1):
        notes = []
        if line.void_reason:
            notes.append(line.void_reason)
        if line.reprint_count:
            notes.append(f"重打 {line.reprint_count} 次")
        rows.append(
            [
                str(index),
                line.label,
                status_text[line.status],
                line.person_name,
                str(line.year) if line.year else "",
                format_yuan(line.tier_fen) if line.tier_fen else "",
                format_yuan(line.amount_fen) if line.status is ReceiptStatus.ISSUED else "—",
                "；".join(notes),
            ]
        )
    if rows:
        rows.append(
            ["", "合计", "", f"有效 {summary.issued_count} 张", "", "", format_yuan(summary.issued_total_fen), ""]
        )
        story.append(
            data_table(
                ["序号", "票据号码", "状态", "参保人", "年度", "档次（元）", "金额（元）", "备注"],
                rows,
                styles,
                width,
                column_weights=[0.6, 2.0, 0.8, 1.2, 0.8, 1.1, 1.2, 2.0],
                left_columns=[7],
            )
        )
    else:
        story.append(Paragraph("当天没有开具、作废或遗失的票据。", styles.plain))
    story += [Spacer(1, 9 * mm), _signatures(styles, width)]
    if not closed:
        story.append(Paragraph("此为预览：日结完成后打印的交款单才能作为交款凭证。", styles.note))
    footer = PageFooter(printed_on=printed_on or date.today(), left_text=f"{summary.village_name} 交款单")
    return build_document(
        out,
        story,
        A4_PORTRAIT,
        footer,
        title=f"票款结报交款单 {summary.day.isoformat()}",
        author=f"{summary.village_name}村民委员会",
    )
