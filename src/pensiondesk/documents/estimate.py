"""The benefit estimate (算账): the tiers side by side on one A4 landscape page, to help a family choose.

For each tier one row: what the person pays each year, what the government adds (缴费补贴, 政府代缴) and the
village (集体补助), what goes into the account each year, what the person pays in total until the pension age,
the account balance expected at that age and the monthly pension (basic + account part). Above the table the
person (or only the birth date), the years counted and when the pension would start; under it the assumptions
(interest rate, basic pension in force today) and the warnings, e.g. fewer than 15 years. It is an estimate and
says so.
"""

from __future__ import annotations

import os
from datetime import date
from typing import IO

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer

from pensiondesk.documents.base import (
    A4_LANDSCAPE,
    PageFooter,
    TitleBlock,
    build_document,
    chinese_date,
    data_table,
    document_styles,
    escape_text,
)
from pensiondesk.domain.money import format_yuan
from pensiondesk.services.contributions import BenefitEstimate, tier_text

__all__ = ["ESTIMATE_HEADER", "estimate_rows", "render_estimate"]

ESTIMATE_HEADER = (
    "缴费档次",
    "个人每年缴",
    "政府补贴/年",
    "政府代缴/年",
    "集体补助/年",
    "每年记入账户",
    "个人累计缴",
    "到龄时账户余额",
    "个人账户养老金/月",
    "月养老金合计",
)


def estimate_rows(estimate: BenefitEstimate) -> list[list[str]]:
    """The table of the estimate as text (元), one row per tier; the GUI shows the same rows."""
    return [
        [
            f"{tier_text(t.tier_fen)} 元",
            format_yuan(t.personal_per_year_fen),
            format_yuan(t.subsidy_per_year_fen),
            format_yuan(t.government_paid_per_year_fen),
            format_yuan(t.collective_per_year_fen),
            format_yuan(t.credited_per_year_fen),
            format_yuan(t.total_personal_fen),
            format_yuan(t.balance_fen),
            format_yuan(t.account_pension_fen),
            format_yuan(t.monthly_pension_fen),
        ]
        for t in estimate.tiers
    ]


def render_estimate(
    estimate: BenefitEstimate, out: str | os.PathLike[str] | IO[bytes], *, printed_on: date | None = None
) -> int:
    """Write the 算账 page to ``out``; returns the number of pages (one for every pack's tier list)."""
    styles = document_styles(body_size=10.5, title_size=17)
    width = A4_LANDSCAPE.frame_width
    who = estimate.person_name or "测算对象"
    start = estimate.pension_start
    facts = (
        f"{who}，出生日期 {chinese_date(estimate.birth_date)}；测算日期 {chinese_date(estimate.as_of)}。"
        f"今后按年缴费 {estimate.future_years} 年（{estimate.first_year}–{estimate.last_year} 年）"
        + (f"，此前已缴 {estimate.years_already} 年" if estimate.years_already else "")
        + f"，合计 {estimate.total_years} 年；"
        + f"年满 {estimate.pension_age} 周岁后从 {start.year}年{start.month}月起按月领取。"
    )
    if estimate.opening_balance_fen:
        facts += f"已计入账户余额 {format_yuan(estimate.opening_balance_fen)} 元。"
    story: list[Flowable] = [
        TitleBlock("城乡居民基本养老保险缴费档次测算表（算账）", styles, space_after=6),
        Paragraph(escape_text(facts), styles.plain),
        Spacer(1, 2 * mm),
        data_table(
            list(ESTIMATE_HEADER),
            estimate_rows(estimate),
            styles,
            width,
            column_weights=[1.0, 1.0, 1.0, 1.0, 1.0, 1.1, 1.1, 1.3, 1.3, 1.2],
        ),
        Spacer(1, 3 * mm),
        Paragraph("金额单位：元。", styles.note),
    ]
    basic = format_yuan(estimate.basic_pension_fen)
    notes = [
        f"月养老金 = 基础养老金 {basic} 元（{estimate.as_of.year} 年现行标准，今后调整未计入）"
        f"+ 到龄时个人账户余额 ÷ {estimate.divisor}。",
        f"每年的缴费、补贴在当年 6 月记入个人账户，次月起计息；{estimate.rate_text}。",
        "补缴以前年度不享受政府缴费补贴。政府代缴只适用于当地规定的困难群体。",
        f"依据：{estimate.pack_name}。本表为测算，仅供参考，实际待遇以县社会保险经办机构核定为准。",
        *estimate.warnings,
    ]
    for note in notes:
        story.append(Paragraph(escape_text("・" + note), styles.plain))
    story += [
        Spacer(1, 4 * mm),
        Paragraph(
            "测算人：＿＿＿＿＿＿　　　　参保人（家属）：＿＿＿＿＿＿　　　　日期：　　年　　月　　日", styles.plain
        ),
    ]
    footer = PageFooter(printed_on=printed_on or date.today(), left_text="算账：缴费档次测算")
    return build_document(out, story, A4_LANDSCAPE, footer, title="缴费档次测算表", author="PensionDesk")
