"""《城乡居民基本养老保险注销登记暨丧葬补助金申请表》 (cancellation and funeral subsidy application), domain.md §10.

One A4 page per death: the deceased, the settlement (停发年月, 多领月数和金额, 丧葬补助金, 抵扣, 实发, 仍需追回,
不予支付原因, 个人账户余额, 垫付未还), the heir (继承人) with the bank or social security card the money goes to,
the documents attached, the heir's promise with signature and fingerprint, and the three review boxes —
村级初审, 乡镇复审, 县级审核 — each with the reviewer's signature, the stamp and the date. The form goes to the
township and the county, so identity and card numbers are printed in full.
"""

from __future__ import annotations

import io
import os
from datetime import date
from typing import IO, Protocol

from reportlab.platypus import Flowable, Paragraph, Spacer

from pensiondesk.documents.base import (
    A4_PORTRAIT,
    PageFooter,
    TitleBlock,
    build_document,
    chinese_date,
    document_styles,
    escape_text,
)
from pensiondesk.documents.forms_common import Cell, FingerprintBox, form_table, yuan_text
from pensiondesk.domain.codes import DeathSource, ReviewState, Sex

__all__ = ["PrintableDeathApplication", "render_death_application", "render_death_application_bytes"]


class PrintableDeathApplication(Protocol):
    """What the form shows (see ``services.deaths.DeathApplication``)."""

    @property
    def village(self) -> str: ...
    @property
    def township(self) -> str: ...
    @property
    def county(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def sex(self) -> Sex: ...
    @property
    def id_number(self) -> str: ...
    @property
    def birth_date(self) -> date: ...
    @property
    def group_name(self) -> str: ...
    @property
    def address(self) -> str: ...
    @property
    def death_date(self) -> date: ...
    @property
    def reported_on(self) -> date: ...
    @property
    def source(self) -> DeathSource: ...
    @property
    def evidence_ref(self) -> str | None: ...
    @property
    def stop_month(self) -> str: ...
    @property
    def overpaid_months(self) -> int: ...
    @property
    def overpaid_fen(self) -> int: ...
    @property
    def funeral_subsidy_fen(self) -> int: ...
    @property
    def funeral_offset_fen(self) -> int: ...
    @property
    def funeral_refusal_reason(self) -> str | None: ...
    @property
    def account_balance_fen(self) -> int | None: ...
    @property
    def advance_owed_fen(self) -> int: ...
    @property
    def heir_name(self) -> str | None: ...
    @property
    def heir_id_number(self) -> str | None: ...
    @property
    def heir_bank_card(self) -> str | None: ...
    @property
    def review_state(self) -> ReviewState: ...
    @property
    def return_reason(self) -> str | None: ...


def _month(text: str) -> str:
    year, _, month = text.partition("-")
    return f"{year}年{int(month)}月" if month.isdigit() else text


def _grouped_card(card: str | None) -> str:
    if not card:
        return ""
    return " ".join(card[i : i + 4] for i in range(0, len(card), 4))


def _review_box(stage: str) -> str:
    return f"{stage}意见：\n\n\n\n经办人：　　　　　（盖章）\n　　　　年　　月　　日"


def _story(a: PrintableDeathApplication, printed_on: date, width: float) -> list[Flowable]:
    styles = document_styles(10.5)
    payable = a.funeral_subsidy_fen - a.funeral_offset_fen
    recover = a.overpaid_fen - a.funeral_offset_fen
    funeral = yuan_text(a.funeral_subsidy_fen) if not a.funeral_refusal_reason else "不予支付"
    rows = [
        [Cell("一、死亡人员信息", span=6, section=True)],
        [
            Cell("姓　名", label=True),
            Cell(a.name, align="center"),
            Cell("性　别", label=True),
            Cell(a.sex.label, align="center"),
            Cell("出生日期", label=True),
            Cell(a.birth_date.isoformat(), align="center"),
        ],
        [
            Cell("公民身份号码", label=True),
            Cell(a.id_number, span=3, align="center"),
            Cell("村民小组", label=True),
            Cell(a.group_name, align="center"),
        ],
        [
            Cell("死亡日期", label=True),
            Cell(a.death_date.isoformat(), align="center"),
            Cell("报告日期", label=True),
            Cell(a.reported_on.isoformat(), align="center"),
            Cell("信息来源", label=True),
            Cell(a.source.label, align="center"),
        ],
        [
            Cell("户籍地址", label=True),
            Cell(a.address, span=3),
            Cell("证明材料", label=True),
            Cell(a.evidence_ref or "", align="center"),
        ],
        [Cell("二、待遇结算", span=6, section=True)],
        [
            Cell("停发年月", label=True),
            Cell(_month(a.stop_month), align="center"),
            Cell("多领月数", label=True),
            Cell(f"{a.overpaid_months} 个月", align="center"),
            Cell("多领金额", label=True),
            Cell(yuan_text(a.overpaid_fen), align="center"),
        ],
        [
            Cell("丧葬补助金", label=True),
            Cell(funeral, align="center"),
            Cell("抵扣多领", label=True),
            Cell(yuan_text(a.funeral_offset_fen), align="center"),
            Cell("实发补助金", label=True),
            Cell(yuan_text(max(0, payable)), align="center"),
        ],
        [
            Cell("仍需追回", label=True),
            Cell(yuan_text(max(0, recover)), align="center"),
            Cell("不予支付原因", label=True),
            Cell(a.funeral_refusal_reason or "无", span=3),
        ],
        [
            Cell("个人账户余额", label=True),
            Cell(
                yuan_text(a.account_balance_fen) + "（由继承人依法继承）"
                if a.account_balance_fen is not None
                else "以县级数据为准（由继承人依法继承）",
                span=3,
            ),
            Cell("垫付未还", label=True),
            Cell(yuan_text(a.advance_owed_fen) if a.advance_owed_fen else "无", align="center"),
        ],
        [Cell("三、继承人信息", span=6, section=True)],
        [
            Cell("继承人姓名", label=True),
            Cell(a.heir_name or "", align="center"),
            Cell("与死者关系", label=True),
            Cell("", align="center"),
            Cell("联系电话", label=True),
            Cell(""),
        ],
        [
            Cell("公民身份号码", label=True),
            Cell(a.heir_id_number or "", span=2, align="center"),
            Cell("银行卡（社保卡）号", label=True),
            Cell(_grouped_card(a.heir_bank_card), span=2, align="center"),
        ],
        [
            Cell("所附材料", label=True),
            Cell(
                "□ 死亡证明　□ 火化证明　□ 户口注销证明　□ 继承人身份证复印件　□ 银行卡（社保卡）复印件　"
                "□ 亲属关系证明",
                span=5,
            ),
        ],
        [
            Cell("继承人承诺", label=True),
            Cell(
                "以上情况属实。丧葬补助金请打入上列银行卡（社保卡），不领取现金；多领的养老金同意从丧葬补助金中"
                "抵扣，不足部分按规定退还。\n继承人签字（或按手印）：",
                span=3,
            ),
            Cell("", span=2, flowable=FingerprintBox(styles)),
        ],
        [Cell("四、审核意见", span=6, section=True)],
        [
            Cell(_review_box("村级初审"), span=2),
            Cell(_review_box("乡镇复审"), span=2),
            Cell(_review_box("县级审核"), span=2),
        ],
    ]
    table = form_table(rows, styles, width, column_weights=[1.2, 1.45, 1.2, 1.3, 1.15, 1.5])
    state = f"办理状态：{a.review_state.label}"
    if a.review_state is ReviewState.RETURNED and a.return_reason:
        state += f"（退回原因：{a.return_reason}）"
    return [
        TitleBlock(
            "城乡居民基本养老保险\n注销登记暨丧葬补助金申请表",
            styles,
            subtitle=f"{a.county}{a.township}{a.village}　　填表日期：{chinese_date(printed_on)}",
        ),
        table,
        Spacer(1, 6),
        Paragraph(
            escape_text(
                f"{state}。注：养老金自死亡次月起停发；丧葬补助金先抵扣因迟报多领的养老金，只打入继承人银行卡"
                "（社保卡）；死亡前已停发待遇、正在服刑或已享受其他丧葬补助的不予支付。"
            ),
            styles.note,
        ),
    ]


def render_death_application(
    application: PrintableDeathApplication, out: str | os.PathLike[str] | IO[bytes], *, printed_on: date
) -> int:
    """Print the application form; returns the number of pages (one)."""
    story = _story(application, printed_on, A4_PORTRAIT.frame_width)
    footer = PageFooter(printed_on=printed_on, left_text=f"{application.village}　注销登记申请表")
    return build_document(
        out,
        story,
        A4_PORTRAIT,
        footer,
        title="城乡居民基本养老保险注销登记暨丧葬补助金申请表",
        author=f"{application.village}村民委员会",
    )


def render_death_application_bytes(application: PrintableDeathApplication, *, printed_on: date) -> bytes:
    """The form as PDF bytes (for the preview)."""
    buffer = io.BytesIO()
    render_death_application(application, buffer, printed_on=printed_on)
    return buffer.getvalue()
