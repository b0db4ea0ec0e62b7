"""《城乡居民基本养老保险待遇领取通知表》 (notice of pension entitlement), one A4 page per person (domain.md §8).

The coordinator hands it to a resident who reaches 60 next month: who they are, the day they reach 60, the
earliest month the pension can start, the contribution years counted and those still missing, what to bring
(居民身份证, 户口簿, bank or social security card) and by when, and a box where the resident signs or presses a
fingerprint (本人签字或按手印) to confirm being notified. The coordinator and the village committee sign and stamp
below. The full identity number is printed: this form goes to the person, it is never posted.
"""

from __future__ import annotations

import calendar
import io
import os
from collections.abc import Sequence
from datetime import date
from typing import IO, Protocol

from reportlab.platypus import Flowable, PageBreak, Paragraph, Spacer

from pensiondesk.documents.base import (
    A4_PORTRAIT,
    PageFooter,
    SignatureBlock,
    TitleBlock,
    build_document,
    chinese_date,
    document_styles,
    escape_text,
)
from pensiondesk.documents.forms_common import Cell, FingerprintBox, form_table, yuan_text
from pensiondesk.domain.codes import Sex
from pensiondesk.domain.pension import YearMonth

__all__ = ["PrintableNotification", "render_notification_forms", "render_notification_forms_bytes"]


class PrintableNotification(Protocol):
    """What one form shows (see ``services.pensioners.NotificationFormData``)."""

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
    def reaches_60_on(self) -> date: ...
    @property
    def earliest_start(self) -> YearMonth: ...
    @property
    def years_paid(self) -> int: ...
    @property
    def years_missing(self) -> int: ...
    @property
    def min_years(self) -> int: ...
    @property
    def account_balance_fen(self) -> int | None: ...
    @property
    def basic_pension_fen(self) -> int: ...
    @property
    def village(self) -> str: ...
    @property
    def township(self) -> str: ...


def _month(month: YearMonth) -> str:
    return f"{month.year}年{month.month}月"


def _form(person: PrintableNotification, issued_on: date, deadline: date, width: float) -> list[Flowable]:
    styles = document_styles(11.5)
    cells = [
        [
            Cell("姓　名", label=True),
            Cell(person.name, align="center"),
            Cell("性　别", label=True),
            Cell(person.sex.label, align="center"),
            Cell("出生日期", label=True),
            Cell(person.birth_date.isoformat(), align="center"),
        ],
        [
            Cell("公民身份号码", label=True),
            Cell(person.id_number, span=3, align="center"),
            Cell("村民小组", label=True),
            Cell(person.group_name, align="center"),
        ],
        [Cell("户籍地址", label=True), Cell(person.address or person.village, span=5)],
        [Cell("待遇核定情况（村级初核，以县社保局核定为准）", span=6, section=True)],
        [
            Cell("年满60周岁", label=True),
            Cell(chinese_date(person.reaches_60_on), align="center"),
            Cell("最早起始年月", label=True),
            Cell(_month(person.earliest_start), align="center"),
            Cell("基础养老金", label=True),
            Cell(yuan_text(person.basic_pension_fen) + "/月", align="center"),
        ],
        [
            Cell("累计缴费年限", label=True),
            Cell(f"{person.years_paid} 年", align="center"),
            Cell("尚缺缴费年限", label=True),
            Cell(f"{person.years_missing} 年" if person.years_missing else "无", align="center"),
            Cell("个人账户余额", label=True),
            Cell(yuan_text(person.account_balance_fen) or "以县级数据为准", align="center"),
        ],
    ]
    missing = (
        f"经核查，您累计缴费 {person.years_paid} 年，距 {person.min_years} 年尚差 {person.years_missing} 年。"
        "请在办理前按规定补缴（补缴需经乡镇审核），缴满后方可按月领取养老金。"
        if person.years_missing
        else f"经核查，您累计缴费 {person.years_paid} 年，已满 {person.min_years} 年。"
    )
    paragraphs = [
        f"您将于{chinese_date(person.reaches_60_on)}年满60周岁。根据城乡居民基本养老保险有关规定，年满60周岁、"
        f"累计缴费满{person.min_years}年且未领取其他国家规定的基本养老保障待遇的参保人员，可以按月领取城乡居民"
        "基本养老保险待遇，待遇自符合条件的次月起发放。",
        missing,
        f"请您于{chinese_date(deadline)}前携带本人居民身份证、户口簿和本人银行卡（或社会保障卡）到村委会"
        "办理待遇领取手续。本人行动不便的，可由家属代办或联系村协办员上门办理。",
        "特此通知。",
    ]
    notice: list[Flowable] = [Paragraph(escape_text(f"{person.name}同志："), styles.plain)]
    notice += [Paragraph(escape_text(text), styles.body) for text in paragraphs]
    cells.append([Cell("通知事项", label=True), Cell(span=5, flowable=notice)])
    cells.append(
        [
            Cell("本人确认", label=True),
            Cell("本人已收到此通知，知晓办理事项。\n本人签字（或按手印）：", span=3),
            Cell("", span=2, flowable=FingerprintBox(styles)),
        ]
    )
    cells.append(
        [
            Cell("签收日期", label=True),
            Cell("　　　　年　　月　　日", span=2, align="center"),
            Cell("代签人及关系", label=True),
            Cell("", span=2),
        ]
    )
    table = form_table(cells, styles, width, column_weights=[1.2, 1.65, 1.2, 1.25, 1.15, 1.45])
    title = TitleBlock(
        "城乡居民基本养老保险\n待遇领取通知表",
        styles,
        subtitle=f"{person.township}{person.village}　　通知日期：{chinese_date(issued_on)}",
    )
    return [
        title,
        table,
        Spacer(1, 10),
        Paragraph(
            escape_text("注：本表一式两份，本人和村委会各留存一份；待遇金额以县社会保险经办机构核定为准。"),
            styles.note,
        ),
        Spacer(1, 6),
        SignatureBlock(committee=f"{person.village}村民委员会", date_text=chinese_date(issued_on), styles=styles),
    ]


def render_notification_forms(
    people: Sequence[PrintableNotification],
    out: str | os.PathLike[str] | IO[bytes],
    *,
    issued_on: date,
    deadline: date | None = None,
) -> int:
    """One page per person; ``deadline`` (default: the end of the month the person reaches 60) is when to come.

    Returns the number of pages.
    """
    if not people:
        raise ValueError("no person to print a notification form for")
    story: list[Flowable] = []
    for index, person in enumerate(people):
        if index:
            story.append(PageBreak())
        due = deadline or _month_end(person.reaches_60_on)
        story += _form(person, issued_on, due, A4_PORTRAIT.frame_width)
    village = people[0].village
    footer = PageFooter(printed_on=issued_on, left_text=f"{village}　待遇领取通知表")
    return build_document(
        out, story, A4_PORTRAIT, footer, title="城乡居民基本养老保险待遇领取通知表", author=f"{village}村民委员会"
    )


def render_notification_forms_bytes(
    people: Sequence[PrintableNotification], *, issued_on: date, deadline: date | None = None
) -> bytes:
    """The forms as PDF bytes (for the preview)."""
    buffer = io.BytesIO()
    render_notification_forms(people, buffer, issued_on=issued_on, deadline=deadline)
    return buffer.getvalue()


def _month_end(day: date) -> date:
    return date(day.year, day.month, calendar.monthrange(day.year, day.month)[1])
