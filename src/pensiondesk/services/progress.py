"""Progress figures for the township (工作进度, domain.md §15): the four rates by group and for the village.

Definitions, exactly as computed (``as_of`` is the statistics date, ``Y`` its year):

* **参保率** = 已参保 ÷ 应参保. 应参保: residents not terminated (终止), with local hukou, not full-time students,
  not in the employee pension (职工养老保险), not staff of state organs or public institutions, without another
  state basic pension, and aged 16 or over at the policy pack's cut-off date of ``Y`` (30 June: the age the
  campaign counts, domain.md §3). 已参保: those of them whose status is 参保缴费, 待遇领取 or 暂停.
* **缴费率** = 本年已缴费 ÷ 应缴费. 应缴费: every resident whose status is 参保缴费 (an enrolled contributor).
  本年已缴费: those with a contribution for ``Y`` that counts (not a reversal, not reversed).
* **发放率** = 正常发放 ÷ 应发放. 应发放: every resident whose benefit is approved, status 待遇领取 or 暂停.
  正常发放: 待遇领取 without a suspension mark (neither 暂停 nor 待暂停 1201).
* **认证率** = 周期内已认证 ÷ 待遇领取人员 (the same 待遇领取 + 暂停 residents). Certified within the cycle: the later
  of the last successful certification and the approval falls on or after the first day of the month
  ``survival_cycle_months`` months before ``as_of``'s month, i.e. the cycle in force has not lapsed on ``as_of``
  (the same rule as :mod:`pensiondesk.domain.survival`).

A rate is shown with two decimals, rounded half up (``Decimal``), and as "—" when its denominator is 0. Each
figure has two lists behind it: who is counted (``done``) and who is missing (``missing``: 未参保名单, 催缴名单,
未正常发放名单, 未认证名单). All counts are SQL aggregates (one grouped query), so 100,000 residents take well
under a second.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, select, union_all
from sqlalchemy.orm import Session

from pensiondesk.domain.codes import PersonStatus, ReviewState, Sex, SurvivalResult
from pensiondesk.domain.pension import YearMonth, add_months
from pensiondesk.domain.policy import PolicyPack
from pensiondesk.services.pensioner_common import (
    VillageInfo,
    group_names,
    policy_pack_for,
    village_info,
)
from pensiondesk.store.models import BenefitCase, Contribution, Person, SurvivalCheck

__all__ = [
    "Figure",
    "GroupFigures",
    "Measure",
    "ProgressPerson",
    "ProgressReport",
    "progress_list",
    "progress_report",
]

UNGROUPED = "未分组"
MIN_AGE = 16


class Measure(StrEnum):
    """The four figures (四率)."""

    ENROLMENT = "enrolment"  # 参保率
    PAYMENT = "payment"  # 缴费率
    BENEFIT = "benefit"  # 发放率
    CERTIFICATION = "certification"  # 认证率

    @property
    def label(self) -> str:
        return _LABELS[self][0]

    @property
    def denominator_label(self) -> str:
        return _LABELS[self][1]

    @property
    def numerator_label(self) -> str:
        return _LABELS[self][2]

    @property
    def missing_label(self) -> str:
        """The list of those not counted, as the township calls it."""
        return _LABELS[self][3]


_LABELS = {
    Measure.ENROLMENT: ("参保率", "应参保", "已参保", "未参保名单"),
    Measure.PAYMENT: ("缴费率", "应缴费", "已缴费", "催缴名单"),
    Measure.BENEFIT: ("发放率", "应发放", "正常发放", "未正常发放名单"),
    Measure.CERTIFICATION: ("认证率", "应认证", "已认证", "未认证名单"),
}


@dataclass(frozen=True, slots=True)
class Figure:
    """One figure: numerator ÷ denominator."""

    numerator: int
    denominator: int

    @property
    def rate(self) -> Decimal | None:
        """The percentage with two decimals (87.35), half up; ``None`` when there is no denominator."""
        if not self.denominator:
            return None
        return (Decimal(self.numerator) * 100 / Decimal(self.denominator)).quantize(
            Decimal("0.01"), rounding=ROUND_HALF_UP
        )

    @property
    def rate_text(self) -> str:
        rate = self.rate
        return "—" if rate is None else f"{rate}%"

    @property
    def missing(self) -> int:
        return self.denominator - self.numerator


@dataclass(frozen=True)
class GroupFigures:
    """The four figures of one villager group (or of the village: ``group_id`` None, name 全村合计)."""

    group_id: str | None
    name: str
    figures: dict[Measure, Figure]

    def __getitem__(self, measure: Measure | str) -> Figure:
        return self.figures[Measure(measure)]


@dataclass(frozen=True)
class ProgressReport:
    """The progress report (工作进度统计表) on a day."""

    village: VillageInfo
    as_of: date
    year: int
    cutoff: date
    groups: list[GroupFigures]
    total: GroupFigures
    definitions: dict[Measure, str] = field(default_factory=dict)


@dataclass(frozen=True)
class _Rules:
    year: int
    cutoff: date
    born_by: date  # 16 at the cut-off: born on or before this day
    certified_since: date  # anchor on or after this day: certified within the cycle


def _rules(as_of: date, pack: PolicyPack) -> _Rules:
    cutoff = pack.cutoff_date(as_of.year)
    born_by = _born_by(cutoff)
    since = add_months(YearMonth(as_of.year, as_of.month), -pack.survival_cycle_months)
    return _Rules(as_of.year, cutoff, born_by, date(since.year, since.month, 1))


def _born_by(cutoff: date) -> date:
    """The last birth date of someone 16 on ``cutoff``: the same day 16 years earlier.

    Leap years repeat every 4 years, so the day exists unless the cut-off is 29 February (packs refuse 02-29;
    28 February is used then, and someone born on 29 February turns 16 on the 28th in a common year).
    """
    try:
        return cutoff.replace(year=cutoff.year - MIN_AGE)
    except ValueError:
        return date(cutoff.year - MIN_AGE, 2, 28)


def _conditions(rules: _Rules) -> dict[Measure, tuple[ColumnElement[bool], ColumnElement[bool]]]:
    """(denominator, numerator) conditions per measure over one row of ``person``.

    The numerators that look at other tables are ``person.id IN (subquery)``: SQLite builds each list once, as an
    in-memory index, and never joins row by row.

    * paid this year: the persons whose rows for the year are more than twice their reversals (冲正): every
      reversal cancels one original of the same person and year (it carries the original's year), so
      ``originals − reversals > 0`` ⟺ ``rows − 2 × reversals > 0``. The rows come from the (year, person_id) index;
    * certified within the cycle: a successful certification on or after the window's first day, or an approval
      on or after it (the first cycle starts with the approval).
    """
    paid = (
        select(Contribution.person_id)
        .where(Contribution.year == rules.year)
        .group_by(Contribution.person_id)
        .having(func.count() > 2 * func.sum(case((Contribution.reverses_id.is_not(None), 1), else_=0)))
    )
    certified_ids = union_all(
        select(SurvivalCheck.person_id).where(
            SurvivalCheck.checked_on >= rules.certified_since, SurvivalCheck.result == SurvivalResult.ALIVE
        ),
        select(BenefitCase.person_id).where(
            BenefitCase.approved_on >= rules.certified_since, BenefitCase.review_state == ReviewState.APPROVED
        ),
    )
    eligible = and_(
        Person.status != PersonStatus.TERMINATED,
        Person.local_hukou.is_(True),
        Person.is_student.is_(False),
        Person.has_employee_pension.is_(False),
        Person.is_public_staff.is_(False),
        Person.has_other_state_pension.is_(False),
        Person.birth_date <= rules.born_by,
    )
    enrolled = Person.status.in_((PersonStatus.CONTRIBUTING, PersonStatus.RECEIVING, PersonStatus.SUSPENDED))
    contributor = Person.status == PersonStatus.CONTRIBUTING
    pensioner = Person.status.in_((PersonStatus.RECEIVING, PersonStatus.SUSPENDED))
    paid_normally = and_(Person.status == PersonStatus.RECEIVING, Person.status_reason.is_(None))
    return {
        Measure.ENROLMENT: (eligible, and_(eligible, enrolled)),
        Measure.PAYMENT: (contributor, and_(contributor, Person.id.in_(paid))),
        Measure.BENEFIT: (pensioner, and_(pensioner, paid_normally)),
        Measure.CERTIFICATION: (pensioner, and_(pensioner, Person.id.in_(certified_ids))),
    }


def progress_report(session: Session, *, as_of: date, pack: PolicyPack | None = None) -> ProgressReport:
    """The four figures for every villager group and the whole village on ``as_of``."""
    pack = pack or policy_pack_for(session, as_of)
    rules = _rules(as_of, pack)
    place = village_info(session)
    measures = _conditions(rules)
    # Grouped by an expression, not the column: SQLite then reads the table once in order instead of walking the
    # (group_id, status) index with a random lookup per person for the other columns (about twice as fast).
    group_key = func.coalesce(Person.group_id, "")
    columns: list[Any] = [group_key]
    for denominator, numerator in measures.values():
        columns.append(func.sum(case((denominator, 1), else_=0)))
        columns.append(func.sum(case((numerator, 1), else_=0)))
    query = select(*columns).select_from(Person).group_by(group_key)
    counts: dict[str | None, list[int]] = {
        (row[0] or None): [int(value or 0) for value in row[1:]] for row in session.execute(query)
    }
    names = group_names(session, place.id)
    order: list[str | None] = [*names, *(gid for gid in counts if gid not in names)]

    def figures(values: list[int]) -> dict[Measure, Figure]:
        return {
            measure: Figure(numerator=values[2 * index + 1], denominator=values[2 * index])
            for index, measure in enumerate(measures)
        }

    groups = [
        GroupFigures(gid, names.get(gid or "", UNGROUPED), figures(counts.get(gid, [0] * 2 * len(measures))))
        for gid in order
        if gid in names or gid in counts
    ]
    totals = [sum(values[i] for values in counts.values()) for i in range(2 * len(measures))]
    total = GroupFigures(None, "全村合计", figures(totals))
    definitions = {
        Measure.ENROLMENT: f"参保率＝已参保人数÷应参保人数（{rules.cutoff.isoformat()}年满16周岁、户籍在本村、"
        "非在校学生、未参加职工养老保险、非机关事业单位在编、未享受其他国家基本养老保障的居民）",
        Measure.PAYMENT: f"缴费率＝{rules.year}年已缴费人数÷参保缴费人数",
        Measure.BENEFIT: "发放率＝正常发放人数÷待遇领取人员（含暂停）",
        Measure.CERTIFICATION: (
            f"认证率＝{rules.certified_since.isoformat()}以来已认证（或新核定）人数÷待遇领取人员（含暂停）"
        ),
    }
    return ProgressReport(place, as_of, rules.year, rules.cutoff, groups, total, definitions)


@dataclass(frozen=True, slots=True)
class ProgressPerson:
    """One person on a list behind a figure."""

    person_id: str
    name: str
    sex: Sex
    id_number: str
    group_name: str
    status: PersonStatus
    phone: str | None
    detail: str  # 上次缴费年度 / 上次认证日期 / 暂停原因 …


def progress_list(
    session: Session,
    measure: Measure,
    *,
    as_of: date,
    missing: bool = True,
    group_id: str | None = None,
    all_groups: bool = True,
    pack: PolicyPack | None = None,
) -> list[ProgressPerson]:
    """The residents behind a figure: those missing (default) or those counted; one group or the village.

    ``group_id`` None with ``all_groups`` False means the residents without a group.
    """
    pack = pack or policy_pack_for(session, as_of)
    rules = _rules(as_of, pack)
    denominator, numerator = _conditions(rules)[measure]
    condition = and_(denominator, ~numerator) if missing else numerator
    # Plain table columns run through the connection: no ORM row handling for the 16,000 rows of a 催缴名单.
    person = Person.__table__.c
    columns: list[Any] = [
        person.id,
        person.name,
        person.sex,
        person.id_number,
        person.group_id,
        person.status,
        person.status_reason,
        person.phone,
        person.name_initials,
    ]
    query = select(*columns).where(condition)
    if group_id is not None:
        query = query.where(Person.group_id == group_id)
    elif not all_groups:
        query = query.where(Person.group_id.is_(None))
    names = group_names(session)
    order = {gid: index for index, gid in enumerate(names)}
    found = session.connection().execute(query).all()
    rows = sorted(found, key=lambda r: (order.get(r[4] or "", len(order)), r[8], r[1]))
    details = _details(session, measure, [row[0] for row in rows])
    return [
        ProgressPerson(
            pid,
            name,
            sex,
            number,
            names.get(gid or "", UNGROUPED),
            status,
            phone,
            details(pid, status, reason),
        )
        for pid, name, sex, number, gid, status, reason, phone, _initials in rows
    ]


Detail = Callable[[str, PersonStatus, str | None], str]


def _last_paid_years(session: Session, person_ids: list[str]) -> dict[str, int]:
    """The last year each listed person paid for: a (person, year) counts when its originals outnumber its
    reversals (冲正), as for the figure. The ids go to SQLite as one JSON list (no limit on bound parameters)."""
    listed = func.json_each(json.dumps(person_ids)).table_valued("value")
    net = func.sum(case((Contribution.reverses_id.is_(None), 1), else_=-1))
    years = (
        select(Contribution.person_id, Contribution.year)
        .where(Contribution.person_id.in_(select(listed.c.value)))
        .group_by(Contribution.person_id, Contribution.year)
        .having(net > 0)
        .subquery()
    )
    rows = session.execute(select(years.c.person_id, func.max(years.c.year)).group_by(years.c.person_id))
    return {pid: int(year) for pid, year in rows}


def _details(session: Session, measure: Measure, person_ids: list[str]) -> Detail:
    """情况 of each listed person: last year paid, last certification, suspension reason or status."""
    if measure is Measure.PAYMENT:
        last_year = _last_paid_years(session, person_ids)
        return lambda pid, _status, _reason: f"上次缴费 {last_year[pid]} 年" if pid in last_year else "从未缴费"
    if measure is Measure.CERTIFICATION:
        checked: dict[str, date] = {}
        approved: dict[str, date | None] = {}
        for chunk in _chunks(person_ids):
            checked.update(
                (pid, day)
                for pid, day in session.execute(
                    select(SurvivalCheck.person_id, func.max(SurvivalCheck.checked_on))
                    .where(SurvivalCheck.person_id.in_(chunk), SurvivalCheck.result == SurvivalResult.ALIVE)
                    .group_by(SurvivalCheck.person_id)
                )
                if day is not None
            )
            approved.update(
                session.execute(
                    select(BenefitCase.person_id, func.max(BenefitCase.approved_on))
                    .where(BenefitCase.person_id.in_(chunk), BenefitCase.review_state == ReviewState.APPROVED)
                    .group_by(BenefitCase.person_id)
                ).all()
            )

        def certification(pid: str, _status: PersonStatus, _reason: str | None) -> str:
            if pid in checked:
                return f"上次认证 {checked[pid].isoformat()}"
            day = approved.get(pid)
            if day is not None:
                return f"核定 {day.isoformat()}，未认证"
            return "无认证记录"

        return certification
    if measure is Measure.BENEFIT:

        def benefit(_pid: str, status: PersonStatus, reason: str | None) -> str:
            if status is PersonStatus.SUSPENDED:
                return "暂停发放" + (f"（{reason}）" if reason else "")
            return "待暂停（未认证）" if reason else status.label

        return benefit
    return lambda _pid, status, _reason: status.label


def _chunks(ids: list[str], size: int = 500) -> Iterator[list[str]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]
