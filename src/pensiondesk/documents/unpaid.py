"""The unpaid list (催缴名单): who has not paid this year, by villager group, for the coordinator's round.

A4 portrait, the village and the year in the title, the counts behind the payment rate (缴费率) under it, one table
per villager group with the person's name, sex, age, ID number, household head, phone, last payment and an empty
备注 column for notes taken at the door, page x of y in the footer and lines for who made and who checked the list.
ID numbers are masked (first 6 + last 4, domain.md §12) unless ``full_ids`` is asked for: a printed list leaves the
office; the .xlsx export for the township carries the full numbers.
"""

from __future__ import annotations

import os
from datetime import date
from typing import IO

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, Paragraph, Spacer

from pensiondesk.documents.base import (
    A4_PORTRAIT,
    PageFooter,
    TitleBlock,
    build_document,
    chinese_date,
    data_table,
    document_styles,
    escape_text,
)
from pensiondesk.domain.masking import mask_id_number
from pensiondesk.services.contributions import UnpaidList, tier_text

__all__ = ["render_unpaid_list"]


def render_unpaid_list(
    unpaid: UnpaidList,
    out: str | os.PathLike[str] | IO[bytes],
    *,
    full_ids: bool = False,
    printed_on: date | None = None,
) -> int:
    """Write the 催缴名单 to ``out``; returns the number of pages."""
    styles = document_styles(body_size=11, title_size=17)
    width = A4_PORTRAIT.frame_width
    subtitle = (
        f"统计日期：{chinese_date(unpaid.as_of)}　参保缴费人员 {unpaid.contributors} 人，已缴 {unpaid.paid} 人，"
        f"未缴 {len(unpaid.rows)} 人，缴费率 {unpaid.payment_rate}%"
    )
    story: list[Flowable] = [
        TitleBlock(f"{unpaid.village_name}{unpaid.year}年度城乡居民养老保险未缴费人员名单", styles, subtitle=subtitle)
    ]
    header = ["序号", "姓名", "性别", "年龄", "公民身份号码", "户主", "联系电话", "上次缴费", "备注"]
    weights = [0.55, 1.0, 0.6, 0.6, 2.3, 0.95, 1.45, 1.1, 1.45]
    if not unpaid.rows:
        story.append(Paragraph(f"{unpaid.year} 年度参保缴费人员已全部缴费。", styles.plain))
    # keepWithNext would move a heading and its whole (multi-page) table to the next page, leaving a blank
    # first page: start a group on a new page only when less than a few rows' space is left instead.
    heading = ParagraphStyle("group_heading", parent=styles.heading, keepWithNext=False)
    number = 0
    for group_name, rows in unpaid.by_group():
        story.append(CondPageBreak(35 * mm))
        story.append(Paragraph(escape_text(f"{group_name}（{len(rows)} 人）"), heading))
        lines = []
        for row in rows:
            number += 1
            last = f"{row.last_paid_year}年 {tier_text(row.last_tier_fen)}元" if row.last_tier_fen is not None else "无"
            lines.append(
                [
                    str(number),
                    row.name,
                    row.sex,
                    str(row.age),
                    row.id_number if full_ids else mask_id_number(row.id_number),
                    row.household_head,
                    row.phone,
                    last,
                    row.categories,
                ]
            )
        story.append(data_table(header, lines, styles, width, column_weights=weights, left_columns=[8]))
    story += [
        Spacer(1, 8 * mm),
        Paragraph("制表人：＿＿＿＿＿＿　　审核人：＿＿＿＿＿＿　　日期：　　年　　月　　日", styles.plain),
        Paragraph("本名单供村协办员催缴使用，注意保护个人信息，不得张贴公示。", styles.note),
    ]
    footer = PageFooter(printed_on=printed_on or date.today(), left_text=f"{unpaid.village_name} 催缴名单")
    return build_document(
        out,
        story,
        A4_PORTRAIT,
        footer,
        title=f"{unpaid.year}年度催缴名单",
        author=f"{unpaid.village_name}村民委员会",
    )
