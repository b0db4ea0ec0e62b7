"""Payment advances (缴费资金垫付) — domain.md §5, the Longjing rule in the seed documents.

A new enrollee who is already past the pension age must pay the missing years in one lump sum before the pension
can start. The county may advance that money: at most the minimum tier for each missing year, and never more than
the pack's cap (``advance_cap``, 1,000 元 in the default pack). The advance is repaid by withholding the full monthly
pension until it is settled (扣发养老金), or by agreement (协议还款).

On the laptop: the coordinator records the application (申请) with the amount and the limit it was checked
against; the county's decision (批准/不批准) and each withholding the county reports are recorded as they arrive
(entered by hand now, delivered by sync later). The balance still owed is ``amount − repaid``; it reaches zero and
the advance becomes 已还清 exactly when the repayments add up to the amount. Every step is audited and outboxed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from pensiondesk.domain.codes import AdvanceState, PersonStatus
from pensiondesk.domain.money import format_yuan
from pensiondesk.domain.pension import age_on
from pensiondesk.domain.policy import PolicyLookupError
from pensiondesk.services.people import policy_pack_in_force
from pensiondesk.services.people_types import Problem, ServiceError
from pensiondesk.services.recording import Actor, record_change, snapshot
from pensiondesk.store.models import Advance, Contribution, Person, PersonCategory

__all__ = [
    "AdvanceLimit",
    "AdvanceView",
    "RepaymentSource",
    "advance_limit",
    "apply_advance",
    "decide_advance",
    "list_advances",
    "open_advance_of",
    "record_repayment",
]

_OPEN_STATES = (AdvanceState.APPLIED, AdvanceState.APPROVED)


class RepaymentSource(StrEnum):
    """How an advance is repaid (domain.md §5)."""

    WITHHOLDING = "withholding"  # 扣发养老金: the county withholds the monthly pension
    AGREEMENT = "agreement"  # 协议还款: repaid by agreement

    @property
    def label(self) -> str:
        return {"withholding": "扣发养老金", "agreement": "协议还款"}[self.value]


def _refuse(message: str, field_name: str = "") -> ServiceError:
    return ServiceError([Problem(field_name, message)])


def _yuan(fen: int) -> str:
    return f"{format_yuan(fen)} 元"


@dataclass(frozen=True)
class AdvanceLimit:
    """How much may be advanced to a person: the lump sum at the minimum tier, capped by the pack."""

    missing_years: int
    lowest_tier_fen: int
    lump_sum_fen: int  # missing years × minimum tier
    cap_fen: int  # the pack's cap
    refusal: str | None  # why the person cannot have an advance, or None

    @property
    def max_fen(self) -> int:
        return min(self.lump_sum_fen, self.cap_fen)


def _paid_years(session: Session, person_id: str) -> int:
    reversed_ids = select(Contribution.reverses_id).where(Contribution.reverses_id.is_not(None))
    years = session.scalars(
        select(Contribution.year)
        .where(
            Contribution.person_id == person_id,
            Contribution.reverses_id.is_(None),
            Contribution.id.not_in(reversed_ids),
        )
        .distinct()
    )
    return len(list(years))


def advance_limit(session: Session, person_id: str, *, on: date | None = None) -> AdvanceLimit:
    """The advance limit for the person on ``on``, with the reason if they may not have one."""
    day = on or date.today()
    person = session.get(Person, person_id)
    if person is None:
        raise _refuse("找不到这个人", "person")
    pack = policy_pack_in_force(session, day)
    codes = set(session.scalars(select(PersonCategory.category_code).where(PersonCategory.person_id == person.id)))
    try:
        tiers = pack.tiers_for(codes)
    except PolicyLookupError as error:
        raise _refuse(error.message) from None
    lowest = tiers[0] if tiers else pack.lowest_tier
    missing = max(0, pack.min_years_for_pension - _paid_years(session, person.id))
    refusal = None
    age = age_on(person.birth_date, day) if person.birth_date <= day else 0
    if age < pack.pension_age:
        refusal = f"{person.name} 未满 {pack.pension_age} 周岁（现 {age} 岁），垫付只适用于已超过领取年龄的新参保人员"
    elif person.status in (PersonStatus.RECEIVING, PersonStatus.SUSPENDED, PersonStatus.TERMINATED):
        refusal = f"{person.name} 的参保状态为“{person.status.label}”，不能申请缴费资金垫付"
    elif person.has_employee_pension or person.has_other_state_pension:
        refusal = f"{person.name} 已享有职工养老保险或其他国家基本养老保障，不能参加城乡居保，也不能申请垫付"
    elif missing == 0:
        refusal = f"{person.name} 已累计缴费满 {pack.min_years_for_pension} 年，不需要垫付"
    return AdvanceLimit(
        missing_years=missing,
        lowest_tier_fen=lowest,
        lump_sum_fen=missing * lowest,
        cap_fen=pack.advance_cap,
        refusal=refusal,
    )


@dataclass(frozen=True)
class AdvanceView:
    """An advance with its person and the balance still owed (待还余额)."""

    advance: Advance
    person_name: str
    id_number: str

    @property
    def balance_fen(self) -> int:
        return self.advance.amount_fen - self.advance.repaid_fen


def open_advance_of(session: Session, person_id: str) -> Advance | None:
    """The person's advance that is applied for or approved and not yet repaid, if any."""
    return session.scalar(
        select(Advance).where(Advance.person_id == person_id, Advance.state.in_(_OPEN_STATES)).limit(1)
    )


def apply_advance(
    session: Session, actor: Actor, person_id: str, *, amount_fen: int | None = None, on: date | None = None
) -> Advance:
    """垫付申请: apply for an advance of ``amount_fen`` (default: the most allowed), checked against the limit."""
    day = on or date.today()
    limit = advance_limit(session, person_id, on=day)
    if limit.refusal:
        raise _refuse(limit.refusal, "person")
    if open_advance_of(session, person_id) is not None:
        raise _refuse("此人已有一笔未还清的垫付，不能重复申请", "person")
    amount = limit.max_fen if amount_fen is None else amount_fen
    if amount <= 0:
        raise _refuse("垫付金额必须大于 0", "amount")
    if amount > limit.max_fen:
        raise _refuse(
            f"垫付金额 {_yuan(amount)} 超过上限 {_yuan(limit.max_fen)}：最多垫付 {limit.missing_years} 年 × 最低档 "
            f"{_yuan(limit.lowest_tier_fen)} = {_yuan(limit.lump_sum_fen)}，且不超过 {_yuan(limit.cap_fen)}",
            "amount",
        )
    advance = Advance(
        person_id=person_id,
        amount_fen=amount,
        applied_on=day,
        repaid_fen=0,
        state=AdvanceState.APPLIED,
        created_by=actor.username,
        updated_by=actor.username,
    )
    session.add(advance)
    session.flush()
    record_change(
        session,
        actor=actor,
        action="advance.apply",
        entity_type="advance",
        entity_id=advance.id,
        before=None,
        after=snapshot(advance),
        reason=f"缺缴 {limit.missing_years} 年，上限 {_yuan(limit.max_fen)}",
    )
    return advance


def _advance(session: Session, advance_id: str) -> Advance:
    advance = session.get(Advance, advance_id)
    if advance is None:
        raise _refuse("找不到这笔垫付")
    return advance


def decide_advance(
    session: Session,
    actor: Actor,
    advance_id: str,
    *,
    approved: bool,
    on: date | None = None,
    reason: str | None = None,
) -> Advance:
    """Record the county's decision on an application (县社保局审批): 已批准 or 未批准 (with the reason)."""
    advance = _advance(session, advance_id)
    if advance.state is not AdvanceState.APPLIED:
        raise _refuse(f"这笔垫付的状态是“{advance.state.label}”，只能对“已申请”的垫付登记审批结果")
    note = " ".join((reason or "").split()) or None
    if not approved and not note:
        raise _refuse("请填写县社保局不予批准的原因", "reason")
    before = snapshot(advance)
    advance.state = AdvanceState.APPROVED if approved else AdvanceState.REFUSED
    advance.approved_on = (on or date.today()) if approved else None
    advance.updated_by = actor.username
    record_change(
        session,
        actor=actor,
        action="advance.approve" if approved else "advance.refuse",
        entity_type="advance",
        entity_id=advance.id,
        before=before,
        after=snapshot(advance),
        reason=note,
    )
    return advance


def record_repayment(
    session: Session,
    actor: Actor,
    advance_id: str,
    amount_fen: int,
    *,
    source: RepaymentSource = RepaymentSource.WITHHOLDING,
    month: str | None = None,
) -> Advance:
    """Record a repayment: the county's withholding of the pension for ``month`` (YYYY-MM), or a repayment by
    agreement. It reduces the balance, never below zero; at zero the advance is 已还清.
    """
    advance = _advance(session, advance_id)
    if advance.state is not AdvanceState.APPROVED:
        raise _refuse(f"这笔垫付的状态是“{advance.state.label}”，只有已批准、未还清的垫付可以登记还款")
    balance = advance.amount_fen - advance.repaid_fen
    if amount_fen <= 0:
        raise _refuse("还款金额必须大于 0", "amount")
    if amount_fen > balance:
        raise _refuse(f"还款金额 {_yuan(amount_fen)} 超过待还余额 {_yuan(balance)}", "amount")
    before = snapshot(advance)
    advance.repaid_fen += amount_fen
    if advance.repaid_fen == advance.amount_fen:
        advance.state = AdvanceState.REPAID
    advance.updated_by = actor.username
    when = f"{month} " if month else ""
    record_change(
        session,
        actor=actor,
        action=f"advance.repay.{source.value}",
        entity_type="advance",
        entity_id=advance.id,
        before=before,
        after=snapshot(advance),
        reason=f"{when}{source.label} {_yuan(amount_fen)}，余额 {_yuan(advance.amount_fen - advance.repaid_fen)}",
    )
    return advance


def list_advances(session: Session, *, person_id: str | None = None) -> list[AdvanceView]:
    """Advances (of one person, or all), newest application first."""
    query = select(Advance, Person.name, Person.id_number).join(Person, Person.id == Advance.person_id)
    if person_id is not None:
        query = query.where(Advance.person_id == person_id)
    rows = session.execute(query.order_by(Advance.applied_on.desc(), Advance.created_at.desc()))
    return [AdvanceView(advance, name, id_number) for advance, name, id_number in rows]
