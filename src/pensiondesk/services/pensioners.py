"""Reaching 60 (待遇领取资格确认, domain.md §8): the monthly list, the case sent up, the county's answer.

Each month the coordinator lists the residents who reach 60 next month (or within the pack's
``reaching_60_lead_months``, up to 3, so missing years can still be paid), with their contribution years
(累计缴费年限) and the years still missing (尚缺年限). Each one is notified with the 《待遇领取通知表》 (signed or
fingerprinted), the ID card and 户口簿 are collected and the case is sent up (上报). The county checks for
duplicates, computes the amount and answers: approved (monthly amount and start month) or returned with a reason.
:func:`apply_benefit_answer` records that answer, typed in by the coordinator or delivered by sync.

Rules decided here:

* **The window.** "Reaching 60 in the next *n* months" means a 60th birthday from the first day of next month to
  the last day of the *n*-th month after this one. Residents who have already turned 60 within the last
  12 months without an approved case are listed too (已到龄未办结), so nobody drops off the list.
* **Who is listed.** Residents not terminated and not yet receiving; those excluded from the scheme (职工养老保险,
  other state pension, 机关事业单位, hukou elsewhere) are left out. Residents never enrolled are listed: they may
  still enrol and pay the missing years (domain.md §7).
* **Years paid** are distinct natural years with a contribution that counts (neither a reversal nor reversed).
  **Years missing** = the pack's ``min_years_for_pension`` (15) minus years paid, never negative. Local rules that
  ask fewer years of those who were already old when the scheme started are for the county to apply.
* **Start month.** Payment starts the month after the 60th birthday at the earliest (domain.md §7); an approval
  with an earlier start month is refused.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from pensiondesk.domain.codes import PersonStatus, ReviewState, Sex
from pensiondesk.domain.pension import YearMonth, add_months, benefit_start_month, birthday_at_age
from pensiondesk.domain.policy import PolicyPack
from pensiondesk.services.pensioner_common import group_names, policy_pack_for, village_info, years_paid
from pensiondesk.services.people_types import ServiceError
from pensiondesk.services.recording import SYSTEM, Actor, record_change, snapshot
from pensiondesk.store.models import AccountBalance, BenefitCase, Person, utcnow

__all__ = [
    "BenefitAnswer",
    "NotificationFormData",
    "Reaching60Row",
    "apply_benefit_answer",
    "benefit_case_for",
    "notification_form_data",
    "open_benefit_case",
    "reaching_60_list",
    "record_notification",
    "submit_benefit_case",
]

#: Residents who turned 60 this long ago without an approved case stay on the list.
LOOK_BACK_MONTHS = 12

_OPEN_STATES = (ReviewState.ENTERED, ReviewState.VILLAGE_CHECKED, ReviewState.SUBMITTED, ReviewState.TOWNSHIP_CHECKED)


@dataclass(frozen=True, slots=True)
class Reaching60Row:
    """One line of the reaching-60 list (即将年满60周岁人员名单)."""

    person_id: str
    name: str
    sex: Sex
    id_number: str
    group_name: str
    birth_date: date
    reaches_60_on: date
    earliest_start: YearMonth  # 最早待遇起始年月
    status: PersonStatus
    years_paid: int
    years_missing: int
    case_id: str | None
    case_state: ReviewState | None
    notified_on: date | None
    overdue: bool  # already 60 and not yet approved (已到龄未办结)

    @property
    def note(self) -> str:
        """备注 for the printed list."""
        parts = []
        if self.status is PersonStatus.NOT_ENROLLED:
            parts.append("未参保")
        if self.overdue:
            parts.append("已到龄未办结")
        if self.years_missing:
            parts.append(f"尚缺{self.years_missing}年")
        if self.case_state is not None:
            parts.append(self.case_state.label)
        return "；".join(parts)


def _window(as_of: date, within_months: int) -> tuple[date, date]:
    first = add_months(YearMonth(as_of.year, as_of.month), 1)
    last = add_months(YearMonth(as_of.year, as_of.month), within_months)
    return date(first.year, first.month, 1), date(last.year, last.month, calendar.monthrange(*last)[1])


def _birth_range(start: date, end: date, age: int) -> tuple[date, date]:
    """Birth dates whose birthday at ``age`` can fall in [start, end] (whole months, so 29 Feb is kept)."""
    end_year = end.year - age
    return date(start.year - age, start.month, 1), date(
        end_year, end.month, calendar.monthrange(end_year, end.month)[1]
    )


def reaching_60_list(
    session: Session,
    *,
    as_of: date,
    within_months: int | None = None,
    pack: PolicyPack | None = None,
    group_id: str | None = None,
    include_overdue: bool = True,
) -> list[Reaching60Row]:
    """Residents reaching the pension age in the next ``within_months`` months (default: the pack's lead).

    Sorted by the day they reach it, then name. See the module docstring for who is listed.
    """
    pack = pack or policy_pack_for(session, as_of)
    months = within_months if within_months is not None else pack.reaching_60_lead_months
    if not 1 <= months <= 12:
        raise ServiceError("提前月数应在 1 到 12 个月之间")
    age = pack.pension_age
    window_start, window_end = _window(as_of, months)
    look_back = add_months(YearMonth(as_of.year, as_of.month), -LOOK_BACK_MONTHS)
    range_start = date(look_back.year, look_back.month, 1) if include_overdue else window_start
    birth_from, birth_to = _birth_range(range_start, window_end, age)

    query = select(Person).where(
        Person.birth_date >= birth_from,
        Person.birth_date <= birth_to,
        Person.status.in_((PersonStatus.NOT_ENROLLED, PersonStatus.CONTRIBUTING)),
        Person.local_hukou.is_(True),
        Person.has_employee_pension.is_(False),
        Person.has_other_state_pension.is_(False),
        Person.is_public_staff.is_(False),
    )
    if group_id is not None:
        query = query.where(Person.group_id == group_id)
    people = session.scalars(query).all()
    names = group_names(session)
    paid = years_paid(session, [p.id for p in people])
    cases = _latest_cases(session, [p.id for p in people])

    rows: list[Reaching60Row] = []
    for person in people:
        turns = birthday_at_age(person.birth_date, age)
        case = cases.get(person.id)
        overdue = turns <= as_of
        if case is not None and case.review_state is ReviewState.APPROVED:
            continue
        if not (range_start <= turns <= window_end):
            continue
        years = paid.get(person.id, 0)
        rows.append(
            Reaching60Row(
                person_id=person.id,
                name=person.name,
                sex=person.sex,
                id_number=person.id_number,
                group_name=names.get(person.group_id or "", ""),
                birth_date=person.birth_date,
                reaches_60_on=turns,
                earliest_start=benefit_start_month(person.birth_date, age),
                status=person.status,
                years_paid=years,
                years_missing=max(0, pack.min_years_for_pension - years),
                case_id=case.id if case else None,
                case_state=case.review_state if case else None,
                notified_on=case.notified_on if case else None,
                overdue=overdue,
            )
        )
    rows.sort(key=lambda row: (row.reaches_60_on, row.name))
    return rows


def _latest_cases(session: Session, person_ids: list[str]) -> dict[str, BenefitCase]:
    found: dict[str, BenefitCase] = {}
    for start in range(0, len(person_ids), 500):
        chunk = person_ids[start : start + 500]
        for case in session.scalars(
            select(BenefitCase).where(BenefitCase.person_id.in_(chunk)).order_by(BenefitCase.created_at)
        ):
            found[case.person_id] = case  # the latest wins
    return found


def benefit_case_for(session: Session, person_id: str) -> BenefitCase | None:
    """The person's latest benefit case (待遇领取资格确认), or ``None``."""
    return session.scalars(
        select(BenefitCase).where(BenefitCase.person_id == person_id).order_by(BenefitCase.created_at.desc()).limit(1)
    ).first()


def _person(session: Session, person_id: str) -> Person:
    person = session.get(Person, person_id)
    if person is None:
        raise ServiceError("找不到这个人员，可能已被删除")
    return person


def _case(session: Session, case_id: str) -> BenefitCase:
    case = session.get(BenefitCase, case_id)
    if case is None:
        raise ServiceError("找不到这件待遇领取申请")
    return case


def open_benefit_case(
    session: Session, person_id: str, *, actor: Actor, as_of: date, pack: PolicyPack | None = None
) -> BenefitCase:
    """Open the reaching-60 case of a person (or return the one still open), with years paid and missing."""
    pack = pack or policy_pack_for(session, as_of)
    person = _person(session, person_id)
    if person.status is PersonStatus.TERMINATED:
        raise ServiceError(f"{person.name}已终止参保，不能办理待遇领取")
    if person.status in (PersonStatus.RECEIVING, PersonStatus.SUSPENDED):
        raise ServiceError(f"{person.name}已在领取待遇，无需再办理")
    existing = benefit_case_for(session, person_id)
    if existing is not None and existing.review_state in _OPEN_STATES:
        return existing
    if existing is not None and existing.review_state is ReviewState.APPROVED:
        raise ServiceError(f"{person.name}的待遇领取申请已审核通过")
    years = years_paid(session, [person_id]).get(person_id, 0)
    case = BenefitCase(
        person_id=person_id,
        reaches_60_on=birthday_at_age(person.birth_date, pack.pension_age),
        years_paid=years,
        years_missing=max(0, pack.min_years_for_pension - years),
        review_state=ReviewState.ENTERED,
        created_by=actor.username,
        updated_by=actor.username,
    )
    session.add(case)
    session.flush()
    record_change(
        session,
        actor=actor,
        action="benefit_case.open",
        entity_type="benefit_case",
        entity_id=case.id,
        before=None,
        after=snapshot(case),
    )
    return case


def record_notification(session: Session, case_id: str, *, notified_on: date, actor: Actor) -> BenefitCase:
    """The person was notified and signed (or fingerprinted) the 待遇领取通知表 on ``notified_on``."""
    case = _case(session, case_id)
    if case.review_state not in (ReviewState.ENTERED, ReviewState.RETURNED, ReviewState.VILLAGE_CHECKED):
        raise ServiceError("申请已上报，不能再修改通知日期")
    if notified_on > date.today():
        raise ServiceError("通知日期不能晚于今天")
    before = snapshot(case)
    case.notified_on = notified_on
    case.updated_by = actor.username
    record_change(
        session,
        actor=actor,
        action="benefit_case.notified",
        entity_type="benefit_case",
        entity_id=case.id,
        before=before,
        after=snapshot(case),
    )
    return case


def submit_benefit_case(session: Session, case_id: str, *, actor: Actor, at: datetime | None = None) -> BenefitCase:
    """上报: send the case up to the township and county, after the person has been notified."""
    case = _case(session, case_id)
    if case.review_state not in (ReviewState.ENTERED, ReviewState.VILLAGE_CHECKED, ReviewState.RETURNED):
        raise ServiceError(f"这件申请目前是“{case.review_state.label}”，不能再上报")
    if case.notified_on is None:
        raise ServiceError("请先登记通知日期（本人已在待遇领取通知表上签字或按手印），再上报")
    before = snapshot(case)
    case.review_state = ReviewState.SUBMITTED
    case.submitted_at = at or utcnow()
    case.return_reason = None
    case.updated_by = actor.username
    record_change(
        session,
        actor=actor,
        action="benefit_case.submit",
        entity_type="benefit_case",
        entity_id=case.id,
        before=before,
        after=snapshot(case),
    )
    return case


@dataclass(frozen=True, slots=True)
class BenefitAnswer:
    """The county's answer to a case (待遇审核结果): approved with amount and start month, or returned."""

    case_id: str
    approved: bool
    answered_on: date
    monthly_fen: int | None = None
    start_month: YearMonth | None = None
    reason: str | None = None


def apply_benefit_answer(
    session: Session, answer: BenefitAnswer, *, actor: Actor = SYSTEM, from_sync: bool = False
) -> BenefitCase:
    """Record the county's answer; an approval makes the person a pensioner (待遇领取) from the start month.

    ``from_sync`` marks an answer delivered by the county itself: the answer is audited but not queued to send
    back; the person's resulting status change is queued, like any local effect of county data.
    """
    case = _case(session, answer.case_id)
    person = _person(session, case.person_id)
    if case.review_state is ReviewState.APPROVED and not from_sync:
        raise ServiceError("这件申请已审核通过，不能再登记审核结果")
    before_case, before_person = snapshot(case), snapshot(person)
    if answer.approved:
        if answer.monthly_fen is None or answer.monthly_fen <= 0:
            raise ServiceError("审核通过时必须填写核定的月养老金（大于 0 元）")
        if answer.start_month is None:
            raise ServiceError("审核通过时必须填写待遇起始年月")
        earliest = benefit_start_month(person.birth_date)
        if answer.start_month < earliest:
            raise ServiceError(f"待遇起始年月不能早于 {earliest}（年满60周岁的次月）")
        case.review_state = ReviewState.APPROVED
        case.approved_monthly_fen = answer.monthly_fen
        case.start_month = str(answer.start_month)
        case.approved_on = answer.answered_on
        case.return_reason = None
        person.status = PersonStatus.RECEIVING
        person.status_reason = None
        person.status_since = date(answer.start_month.year, answer.start_month.month, 1)
        person.version += 1
        person.updated_by = actor.username
    else:
        if not (answer.reason or "").strip():
            raise ServiceError("退回时必须写明退回原因")
        case.review_state = ReviewState.RETURNED
        case.return_reason = (answer.reason or "").strip()
    case.updated_by = actor.username
    record_change(
        session,
        actor=actor,
        action="benefit_case.answer",
        entity_type="benefit_case",
        entity_id=case.id,
        before=before_case,
        after=snapshot(case),
        reason=answer.reason,
        sync=not from_sync,
    )
    if answer.approved:
        record_change(
            session,
            actor=actor,
            action="person.status",
            entity_type="person",
            entity_id=person.id,
            before=before_person,
            after=snapshot(person),
            reason="待遇领取资格审核通过",
            # Queued even when the answer came by sync: the person's new status is the laptop's own change (the
            # county approved a case, not a person record), and the version bumped above must reach the county,
            # or the next edit of this person would conflict with a version the county never saw.
            sync=True,
            base_version=before_person["version"],
        )
    return case


@dataclass(frozen=True, slots=True)
class NotificationFormData:
    """What the 《待遇领取通知表》 of one person shows."""

    name: str
    sex: Sex
    id_number: str
    birth_date: date
    group_name: str
    address: str
    reaches_60_on: date
    earliest_start: YearMonth
    years_paid: int
    years_missing: int
    min_years: int
    account_balance_fen: int | None
    basic_pension_fen: int
    village: str
    township: str


def notification_form_data(
    session: Session, person_ids: list[str], *, as_of: date, pack: PolicyPack | None = None
) -> list[NotificationFormData]:
    """The notification forms of ``person_ids``, in the order given."""
    pack = pack or policy_pack_for(session, as_of)
    place = village_info(session)
    names = group_names(session)
    paid = years_paid(session, person_ids)
    forms: list[NotificationFormData] = []
    for person_id in person_ids:
        person = _person(session, person_id)
        start = benefit_start_month(person.birth_date, pack.pension_age)
        balance = session.get(AccountBalance, person_id)
        years = paid.get(person_id, 0)
        forms.append(
            NotificationFormData(
                name=person.name,
                sex=person.sex,
                id_number=person.id_number,
                birth_date=person.birth_date,
                group_name=names.get(person.group_id or "", ""),
                address=person.residence_address or person.hukou_address or "",
                reaches_60_on=birthday_at_age(person.birth_date, pack.pension_age),
                earliest_start=start,
                years_paid=years,
                years_missing=max(0, pack.min_years_for_pension - years),
                min_years=pack.min_years_for_pension,
                account_balance_fen=balance.balance_fen if balance else None,
                basic_pension_fen=pack.basic_pension_on(date(start.year, start.month, 1)),
                village=place.name,
                township=place.township,
            )
        )
    return forms
