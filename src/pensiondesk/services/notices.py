"""Public notices (公示, domain.md §12): build the list, keep it as a snapshot, record objections.

The coordinator picks a kind, a period and the villager groups; :func:`build_notice` computes the list, masks it
and stores it on the :class:`~pensiondesk.store.models.PublicNotice` as a snapshot, so printing it again later
gives exactly the same list even after the data has changed. The snapshot holds only what may be posted:

* names in full, or with the 2nd character as ``*`` when asked (``mask_names``);
* the 公民身份号码 as its first 6 and last 4 characters (440401********1768), never more;
* no phone, address, bank account or hardship category, ever: no kind has such a column.

The kinds and what they list (rows per villager group, in the groups' order):

* 待遇领取资格公示 — benefit cases not returned whose 60th birthday or approval falls in the period:
  年满60周岁日期, 累计缴费年限, 待遇起始年月, 月养老金 (or 待核定), 办理状态;
* 领取资格认证结果公示 — every pensioner of the groups: the latest successful certification in the period
  (date and method) or 未认证, and the end of the cycle;
* 参保登记及缴费情况公示 — every enrolled contributor: tier and whether this year's contribution is paid, and
  新参保 for those registered in the period;
* 死亡注销公示 — cancellations whose date of death falls in the period: 死亡日期, 停发年月;
* 集体补助公示 — contributions of the period's year with a collective subsidy (集体补助), with group totals.

The posting period (公示期) is ``days`` days (the pack's ``notice_days``, 7) counted from the posting day
itself: posted on 1 November for 7 days → ends on 7 November. Objections (异议) are recorded with the day they
were raised (not before the posting day) and later their resolution.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from pensiondesk.domain.codes import NoticeKind, PersonStatus, ReviewState, Sex
from pensiondesk.domain.masking import mask_id_number, mask_name
from pensiondesk.domain.money import format_yuan
from pensiondesk.domain.policy import PolicyPack
from pensiondesk.domain.survival import SurvivalStatus
from pensiondesk.services.pensioner_common import counting_contribution, group_names, policy_pack_for, village_info
from pensiondesk.services.people_types import ServiceError
from pensiondesk.services.recording import Actor, record_change, snapshot
from pensiondesk.services.survival import survival_rows
from pensiondesk.store.models import (
    BenefitCase,
    Cancellation,
    Contribution,
    NoticeObjection,
    Person,
    PublicNotice,
    Registration,
    utcnow,
)

__all__ = [
    "SNAPSHOT_FORMAT",
    "NoticeColumn",
    "NoticePeriod",
    "add_objection",
    "build_notice",
    "default_period",
    "list_notices",
    "notice_content",
    "objections_of",
    "parse_period",
    "resolve_objection",
]

SNAPSHOT_FORMAT = 1
UNGROUPED = "未分组"


@dataclass(frozen=True, slots=True)
class NoticePeriod:
    """公示所涉期间: a month or a natural year, with its label (2026年11月 / 2026年度)."""

    start: date
    end: date
    label: str

    def contains(self, day: date | None) -> bool:
        return day is not None and self.start <= day <= self.end

    @classmethod
    def month(cls, year: int, month: int) -> NoticePeriod:
        return cls(date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1]), f"{year}年{month}月")

    @classmethod
    def year(cls, year: int) -> NoticePeriod:
        return cls(date(year, 1, 1), date(year, 12, 31), f"{year}年度")


_PERIOD = re.compile(r"^\s*(\d{4})\s*(?:年度?)?\s*(?:[-/.]?\s*(\d{1,2})\s*月?)?\s*$")


def parse_period(text: str) -> NoticePeriod:
    """``2026`` / ``2026年度`` → the year; ``2026-11`` / ``2026年11月`` → the month."""
    match = _PERIOD.match(text)
    if match is None:
        raise ServiceError(f"“{text.strip()}”不是有效的期间：请写成 2026（年度）或 2026-11（月份）")
    year = int(match.group(1))
    if not 2000 <= year <= 2200:
        raise ServiceError(f"“{text.strip()}”的年份不对")
    if match.group(2) is None:
        return NoticePeriod.year(year)
    month = int(match.group(2))
    if not 1 <= month <= 12:
        raise ServiceError(f"“{text.strip()}”中的月份应在 1 到 12 之间")
    return NoticePeriod.month(year, month)


def default_period(kind: NoticeKind, today: date) -> NoticePeriod:
    """待遇领取资格: this month; the others: this year."""
    if kind is NoticeKind.BENEFIT:
        return NoticePeriod.month(today.year, today.month)
    return NoticePeriod.year(today.year)


@dataclass(frozen=True, slots=True)
class NoticeColumn:
    """A column of a notice: title, relative width and alignment (left/center/right)."""

    title: str
    weight: float
    align: str = "center"

    def as_json(self) -> dict[str, Any]:
        return {"title": self.title, "weight": self.weight, "align": self.align}


_SEQ = NoticeColumn("序号", 0.6)
_NAME = NoticeColumn("姓名", 1.2)
_SEX = NoticeColumn("性别", 0.55)
_ID = NoticeColumn("公民身份号码", 2.3)

_INTRO: dict[NoticeKind, str] = {
    NoticeKind.BENEFIT: (
        "根据城乡居民基本养老保险有关规定，经本人申请、村级初审，下列人员已年满60周岁并申请按月领取"
        "城乡居民基本养老保险待遇，现将有关情况予以公示。"
    ),
    NoticeKind.SURVIVAL: (
        "根据城乡居民基本养老保险待遇领取资格认证有关规定，现将本村待遇领取人员{period}领取资格认证结果予以公示。"
        "未认证人员请尽快到村委会认证或通过手机自助认证，逾期未认证的将暂停发放养老金。"
    ),
    NoticeKind.ENROLMENT: "现将本村{period}城乡居民基本养老保险参保登记及缴费情况予以公示，请参保人员核对。",
    NoticeKind.DEATH: (
        "下列参保人员已死亡，按规定自死亡次月起停发养老金，办理注销登记，个人账户余额由继承人依法继承，现予以公示。"
    ),
    NoticeKind.COLLECTIVE: "经村民会议决定，对本村{period}参保缴费人员给予集体补助，现将补助名单予以公示。",
}


@dataclass
class _Person:
    id: str
    name: str
    sex: Sex
    id_number: str
    group_id: str | None
    initials: str


def _people(session: Session, person_ids: Sequence[str]) -> dict[str, _Person]:
    found: dict[str, _Person] = {}
    ids = list(dict.fromkeys(person_ids))
    for start in range(0, len(ids), 500):
        for row in session.execute(
            select(Person.id, Person.name, Person.sex, Person.id_number, Person.group_id, Person.name_initials).where(
                Person.id.in_(ids[start : start + 500])
            )
        ):
            found[row[0]] = _Person(*row)
    return found


Rows = list[tuple[str, list[str]]]  # (person_id, cells after 序号/姓名/性别/身份证号)


def _benefit_rows(
    session: Session, period: NoticePeriod, pack: PolicyPack, as_of: date
) -> tuple[list[NoticeColumn], Rows]:
    cases = session.scalars(
        select(BenefitCase)
        .where(
            BenefitCase.review_state != ReviewState.RETURNED,
            or_(
                BenefitCase.reaches_60_on.between(period.start, period.end),
                BenefitCase.approved_on.between(period.start, period.end),
            ),
        )
        .order_by(BenefitCase.reaches_60_on)
    ).all()
    rows: Rows = []
    for case in cases:
        amount = format_yuan(case.approved_monthly_fen) if case.approved_monthly_fen else "待核定"
        rows.append(
            (
                case.person_id,
                [
                    case.reaches_60_on.isoformat(),
                    str(case.years_paid),
                    _month_text(case.start_month) if case.start_month else "待核定",
                    amount,
                    case.review_state.label,
                ],
            )
        )
    columns = [
        NoticeColumn("年满60周岁日期", 1.35),
        NoticeColumn("累计缴费年限", 1.0),
        NoticeColumn("待遇起始年月", 1.1),
        NoticeColumn("月养老金（元）", 1.1, "right"),
        NoticeColumn("办理状态", 1.2),
    ]
    return columns, rows


def _month_text(text: str) -> str:
    year, _, month = text.partition("-")
    return f"{year}年{int(month)}月" if month.isdigit() else text


def _survival_rows(
    session: Session, period: NoticePeriod, pack: PolicyPack, as_of: date
) -> tuple[list[NoticeColumn], Rows]:
    rows: Rows = []
    for row in survival_rows(session, as_of=as_of, pack=pack):
        certified_in_period = period.contains(row.last_certified_on)
        if row.state is SurvivalStatus.SUSPENDED:
            result = "未认证，已暂停发放"
        elif row.state is SurvivalStatus.OVERDUE:
            result = "未认证（已逾期）"
        elif certified_in_period:
            result = "已认证"
        elif (
            row.last_certified_on is not None
            and row.cycle is not None
            and row.last_certified_on > (row.approved_on or date.min)
        ):
            result = "上期已认证，本期待认证" if row.state is SurvivalStatus.DUE else "已认证（上期）"
        elif row.state in (SurvivalStatus.CURRENT, SurvivalStatus.DUE):
            result = "新领取待遇，周期内有效"
        else:
            result = "无认证记录"
        method = row.last_method.label if row.last_method and row.last_certified_on else ""
        day = row.last_certified_on.isoformat() if row.last_certified_on else ""
        rows.append((row.person_id, [method, day, result, row.cycle.last_day.isoformat() if row.cycle else ""]))
    columns = [
        NoticeColumn("认证方式", 1.75),
        NoticeColumn("最近认证日期", 1.2),
        NoticeColumn("认证结果", 1.75),
        NoticeColumn("下次认证截止", 1.2),
    ]
    return columns, rows


def _enrolment_rows(
    session: Session, period: NoticePeriod, pack: PolicyPack, as_of: date
) -> tuple[list[NoticeColumn], Rows]:
    year = period.end.year
    contributors = [
        person_id
        for (person_id,) in session.execute(select(Person.id).where(Person.status == PersonStatus.CONTRIBUTING))
    ]
    paid: dict[str, tuple[int, date]] = {}
    for person_id, paid_tier, paid_on in session.execute(
        select(Contribution.person_id, Contribution.tier_fen, Contribution.paid_on).where(
            Contribution.year == year, counting_contribution()
        )
    ):
        paid[person_id] = (paid_tier, paid_on)
    registered: dict[str, int | None] = {
        person_id: tier
        for person_id, tier in session.execute(
            select(Registration.person_id, Registration.tier_fen).where(
                Registration.registered_on.between(period.start, period.end),
                Registration.review_state != ReviewState.RETURNED,
            )
        )
    }
    rows: Rows = []
    for person_id in contributors:
        tier_paid = paid.get(person_id)
        tier = tier_paid[0] if tier_paid else registered.get(person_id)
        rows.append(
            (
                person_id,
                [
                    format_yuan(tier, grouping=False) if tier else "",
                    "已缴费" if tier_paid else "未缴费",
                    tier_paid[1].isoformat() if tier_paid else "",
                    "本期新参保" if person_id in registered else "",
                ],
            )
        )
    columns = [
        NoticeColumn(f"{year}年缴费档次（元）", 1.45, "right"),
        NoticeColumn("缴费状态", 1.0),
        NoticeColumn("缴费日期", 1.15),
        NoticeColumn("备注", 1.2),
    ]
    return columns, rows


def _death_rows(
    session: Session, period: NoticePeriod, pack: PolicyPack, as_of: date
) -> tuple[list[NoticeColumn], Rows]:
    rows: Rows = []
    for c in session.scalars(
        select(Cancellation)
        .where(Cancellation.death_date.between(period.start, period.end))
        .order_by(Cancellation.death_date)
    ):
        rows.append(
            (
                c.person_id,
                [c.death_date.isoformat(), _month_text(c.stop_month) if c.stop_month else "", c.review_state.label],
            )
        )
    columns = [NoticeColumn("死亡日期", 1.2), NoticeColumn("停发年月", 1.15), NoticeColumn("办理状态", 1.4)]
    return columns, rows


def _collective_rows(
    session: Session, period: NoticePeriod, pack: PolicyPack, as_of: date
) -> tuple[list[NoticeColumn], Rows]:
    year = period.end.year
    rows: Rows = []
    for person_id, personal, collective in session.execute(
        select(Contribution.person_id, Contribution.personal_fen, Contribution.collective_fen)
        .where(Contribution.year == year, Contribution.collective_fen > 0, counting_contribution())
        .order_by(Contribution.paid_on)
    ):
        rows.append((person_id, [str(year), format_yuan(personal), format_yuan(collective)]))
    columns = [
        NoticeColumn("缴费年度", 0.9),
        NoticeColumn("个人缴费（元）", 1.2, "right"),
        NoticeColumn("集体补助（元）", 1.2, "right"),
    ]
    return columns, rows


_BUILDERS: dict[NoticeKind, Callable[[Session, NoticePeriod, PolicyPack, date], tuple[list[NoticeColumn], Rows]]] = {
    NoticeKind.BENEFIT: _benefit_rows,
    NoticeKind.SURVIVAL: _survival_rows,
    NoticeKind.ENROLMENT: _enrolment_rows,
    NoticeKind.DEATH: _death_rows,
    NoticeKind.COLLECTIVE: _collective_rows,
}
#: Kinds listing everyone of a status are in name order (拼音首字母); the others keep their date order.
_BY_NAME = {NoticeKind.SURVIVAL, NoticeKind.ENROLMENT}
#: Kinds with many columns print landscape by default.
_LANDSCAPE = {NoticeKind.BENEFIT, NoticeKind.SURVIVAL}


def notice_content(
    session: Session,
    *,
    kind: NoticeKind,
    period: NoticePeriod,
    group_ids: Sequence[str] = (),
    mask_names: bool = False,
    pack: PolicyPack | None = None,
    as_of: date | None = None,
) -> dict[str, Any]:
    """The masked list of a notice as it will be stored (see :func:`build_notice`); nothing is written.

    ``as_of`` is the day the states are counted on (the posting day; default today).
    """
    pack = pack or policy_pack_for(session, period.end)
    place = village_info(session)
    names = group_names(session, place.id)
    wanted = [gid for gid in group_ids if gid]
    unknown = [gid for gid in wanted if gid not in names]
    if unknown:
        raise ServiceError("所选的村民小组不存在，请刷新后重新选择")
    columns, rows = _BUILDERS[kind](session, period, pack, as_of or date.today())
    people = _people(session, [person_id for person_id, _ in rows])
    order = {gid: index for index, gid in enumerate(names)}
    if kind in _BY_NAME:
        rows = sorted(rows, key=lambda row: _name_order(people.get(row[0])))
    grouped: dict[str | None, list[tuple[str, list[str]]]] = {}
    for person_id, cells in rows:
        person = people.get(person_id)
        if person is None or (wanted and person.group_id not in wanted):
            continue
        shown = mask_name(person.name) if mask_names else person.name
        grouped.setdefault(person.group_id, []).append(
            (person.id_number, [shown, person.sex.label, mask_id_number(person.id_number), *cells])
        )
    groups: list[dict[str, Any]] = []
    for group_id in sorted(grouped, key=lambda gid: order.get(gid or "", len(order))):
        members = grouped[group_id]
        body = [[str(number), *cells] for number, (_, cells) in enumerate(members, start=1)]
        entry: dict[str, Any] = {"id": group_id, "name": names.get(group_id or "", UNGROUPED), "rows": body}
        if kind is NoticeKind.COLLECTIVE:
            total = sum(_fen(cells[-1]) for cells in body)
            entry["summary"] = f"共 {len(body)} 人，集体补助合计 {format_yuan(total)} 元"
        else:
            entry["summary"] = f"共 {len(body)} 人"
        groups.append(entry)
    all_columns = [_SEQ, _NAME, _SEX, _ID, *columns]
    return {
        "format": SNAPSHOT_FORMAT,
        "kind": kind.value,
        "village": place.name,
        "township": place.township,
        "county": place.county,
        "period": period.label,
        "period_start": period.start.isoformat(),
        "period_end": period.end.isoformat(),
        "columns": [column.as_json() for column in all_columns],
        "groups": groups,
        "total": sum(len(group["rows"]) for group in groups),
        "intro": _INTRO[kind].format(period=period.label),
        "mask_names": mask_names,
        "landscape": kind in _LANDSCAPE,
        "generated_at": utcnow().isoformat(timespec="seconds"),
    }


def _name_order(person: _Person | None) -> tuple[str, str]:
    return (person.initials, person.name) if person else ("", "")


def _fen(text: str) -> int:
    whole, _, cents = text.replace(",", "").partition(".")
    return int(whole) * 100 + int((cents or "0").ljust(2, "0")[:2])


def build_notice(
    session: Session,
    *,
    kind: NoticeKind,
    posted_on: date,
    actor: Actor,
    period: NoticePeriod | None = None,
    group_ids: Sequence[str] = (),
    days: int | None = None,
    mask_names: bool = False,
    title: str | None = None,
    pack: PolicyPack | None = None,
) -> PublicNotice:
    """Compute, mask and store a notice with its snapshot; ``days`` defaults to the pack's ``notice_days``."""
    period = period or default_period(kind, posted_on)
    pack = pack or policy_pack_for(session, posted_on)
    length = days if days is not None else pack.notice_days
    if not 1 <= length <= 60:
        raise ServiceError("公示天数应在 1 到 60 天之间")
    content = notice_content(
        session, kind=kind, period=period, group_ids=group_ids, mask_names=mask_names, pack=pack, as_of=posted_on
    )
    ends_on = posted_on + timedelta(days=length - 1)
    heading = (title or "").strip() or f"{content['village']}{period.label}{kind.label}"
    content["title"] = heading
    content["posted_on"] = posted_on.isoformat()
    content["ends_on"] = ends_on.isoformat()
    content["days"] = length
    notice = PublicNotice(
        village_id=village_info(session).id,
        kind=kind,
        title=heading[:200],
        period=period.label,
        group_ids=list(group_ids),
        posted_on=posted_on,
        ends_on=ends_on,
        snapshot=content,
        created_by=actor.username,
        updated_by=actor.username,
    )
    session.add(notice)
    session.flush()
    record_change(
        session,
        actor=actor,
        action="public_notice.create",
        entity_type="public_notice",
        entity_id=notice.id,
        before=None,
        after=snapshot(notice),
    )
    return notice


def list_notices(session: Session, *, kind: NoticeKind | None = None) -> list[PublicNotice]:
    """Notices, newest posting first."""
    query = select(PublicNotice).order_by(PublicNotice.posted_on.desc(), PublicNotice.created_at.desc())
    if kind is not None:
        query = query.where(PublicNotice.kind == kind)
    return list(session.scalars(query))


def objections_of(session: Session, notice_id: str) -> list[NoticeObjection]:
    """A notice's objections, in the order raised."""
    return list(
        session.scalars(
            select(NoticeObjection)
            .where(NoticeObjection.notice_id == notice_id)
            .order_by(NoticeObjection.raised_on, NoticeObjection.created_at)
        )
    )


def add_objection(
    session: Session,
    notice_id: str,
    *,
    raised_on: date,
    content: str,
    actor: Actor,
    raised_by: str | None = None,
) -> NoticeObjection:
    """Record an objection (异议) raised about a notice; not before it was posted."""
    notice = session.get(PublicNotice, notice_id)
    if notice is None:
        raise ServiceError("找不到这份公示")
    if not content.strip():
        raise ServiceError("请填写异议内容")
    if raised_on < notice.posted_on:
        raise ServiceError(f"异议日期不能早于公示张贴日期 {notice.posted_on.isoformat()}")
    if raised_on > date.today():
        raise ServiceError("异议日期不能晚于今天")
    objection = NoticeObjection(
        notice_id=notice.id,
        raised_on=raised_on,
        raised_by=(raised_by or "").strip() or None,
        content=content.strip(),
        created_by=actor.username,
        updated_by=actor.username,
    )
    session.add(objection)
    session.flush()
    record_change(
        session,
        actor=actor,
        action="notice_objection.create",
        entity_type="notice_objection",
        entity_id=objection.id,
        before=None,
        after=snapshot(objection),
    )
    return objection


def resolve_objection(session: Session, objection_id: str, *, resolution: str, actor: Actor) -> NoticeObjection:
    """Record how an objection was resolved (处理结果)."""
    objection = session.get(NoticeObjection, objection_id)
    if objection is None:
        raise ServiceError("找不到这条异议")
    if not resolution.strip():
        raise ServiceError("请填写处理结果")
    before = snapshot(objection)
    objection.resolution = resolution.strip()
    objection.updated_by = actor.username
    record_change(
        session,
        actor=actor,
        action="notice_objection.resolve",
        entity_type="notice_objection",
        entity_id=objection.id,
        before=before,
        after=snapshot(objection),
    )
    return objection
