"""Who may enrol (参保资格): classify a resident at the policy pack's age cut-off date (domain.md §3, §7, §8).

One resident, one year, one answer. The age is counted in completed years (周岁) on the pack's cut-off date of
the year (``pack.cutoff_date(year)``, e.g. 30 June), as the campaigns in the seed documents count it. The kinds,
checked in this order:

1. :attr:`EligibilityKind.TERMINATED` — the person's insurance has ended (终止: death, settled abroad, joined the
   employee pension, other); nothing else matters.
2. :attr:`EligibilityKind.UNDER_AGE` — younger than 16 at the cut-off (未满16周岁), including someone born after it.
3. :attr:`EligibilityKind.INELIGIBLE` — 16 or older but excluded, for every reason that applies: 户籍不在本村,
   全日制在校学生, 已参加职工养老保险, 机关事业单位在编人员, 享受其他国家基本养老保障.
4. :attr:`EligibilityKind.PENSION_AGE` — at or above the pack's pension age (60) at the cut-off.
5. :attr:`EligibilityKind.REACHING_60` — below the pension age at the cut-off, and reaching it no later than
   ``reaching_within_months`` months after the list date (the cut-off unless a ``list_date`` is given). Only
   asked for when ``reaching_within_months`` is given (待遇领取资格确认 lists, domain.md §8). Someone who has
   already become a pension case (待遇领取 or 暂停, after a birthday past the cut-off) is not on it: they are
   listed with :attr:`EligibilityKind.PENSION_AGE`, the reason saying so.
6. :attr:`EligibilityKind.CONTRIBUTOR` — everyone else: 16 up to the pension age, may enrol and pay (参保缴费).

Reasons are short plain-Chinese phrases a coordinator can print in a list's 备注 column.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from pensiondesk.domain.codes import PersonStatus, TerminationReason
from pensiondesk.domain.pension import age_on, birthday_at_age
from pensiondesk.domain.policy import PolicyPack

__all__ = [
    "MIN_ENROL_AGE",
    "Classifier",
    "Eligibility",
    "EligibilityKind",
    "ResidentFacts",
    "add_months_to_date",
    "classify",
]

#: Youngest age at which a resident may enrol (domain.md §3).
MIN_ENROL_AGE = 16

REASON_UNDER_AGE = "未满16周岁"
REASON_NOT_LOCAL = "户籍不在本村"
REASON_STUDENT = "学生"
REASON_EMPLOYEE_PENSION = "已参加职工养老保险"
REASON_OTHER_STATE_PENSION = "享受其他国家基本养老保障"
REASON_PUBLIC_STAFF = "机关事业单位在编人员"
REASON_TERMINATED = "已终止参保"


class EligibilityKind(StrEnum):
    """Which list a resident belongs on for a year (参保资格分类)."""

    CONTRIBUTOR = "contributor"  # 应参保缴费人员 (16 up to the pension age)
    PENSION_AGE = "pension_age"  # 达到领取年龄 (60+)
    REACHING_60 = "reaching_60"  # 即将年满60周岁
    UNDER_AGE = "under_age"  # 未满16周岁
    INELIGIBLE = "ineligible"  # 不符合参保条件
    TERMINATED = "terminated"  # 已终止参保

    @property
    def label(self) -> str:
        """The Chinese title of the list."""
        return _KIND_LABELS[self]


_KIND_LABELS: dict[EligibilityKind, str] = {
    EligibilityKind.CONTRIBUTOR: "应参保缴费人员（16–59周岁）",
    EligibilityKind.PENSION_AGE: "达到领取年龄人员（60周岁及以上）",
    EligibilityKind.REACHING_60: "即将年满60周岁人员",
    EligibilityKind.UNDER_AGE: "未满16周岁人员",
    EligibilityKind.INELIGIBLE: "不符合参保条件人员",
    EligibilityKind.TERMINATED: "已终止参保人员",
}


@dataclass(frozen=True, slots=True)
class ResidentFacts:
    """What the rules need to know about a resident (no names, no IDs: this is all eligibility looks at)."""

    birth_date: date
    local_hukou: bool = True  # 户籍在本村
    is_student: bool = False  # 全日制在校学生
    has_employee_pension: bool = False  # 已参加职工养老保险
    has_other_state_pension: bool = False  # 享受其他国家基本养老保障
    is_public_staff: bool = False  # 机关事业单位在编人员
    status: PersonStatus = PersonStatus.NOT_ENROLLED
    status_reason: str | None = None  # 1401 死亡 … when terminated


@dataclass(frozen=True, slots=True)
class Eligibility:
    """The answer: the kind, the reasons (Chinese), the age counted at the cut-off, and the dates used."""

    kind: EligibilityKind
    reasons: list[str] = field(default_factory=list)
    age_at_cutoff: int = 0  # 周岁 at the cut-off; 0 for someone not yet born then
    cutoff: date = date.min
    pension_age_on: date = date.min  # the day the person reaches the pack's pension age

    @property
    def may_enrol(self) -> bool:
        """True for the kinds that may register now (参保登记): contributors and those at pension age.

        A resident at or above the pension age enrols too: they pay the missing years and become a pension case
        (待遇领取资格确认) handled afterwards (domain.md §7).
        """
        return self.kind in (EligibilityKind.CONTRIBUTOR, EligibilityKind.REACHING_60, EligibilityKind.PENSION_AGE)


#: Statuses of a resident whose pension case is already handled (待遇领取, 暂停).
_PENSION_CASE_DONE = frozenset({PersonStatus.RECEIVING, PersonStatus.SUSPENDED})


class Classifier:
    """:func:`classify` for many residents of one year: the dates that do not depend on the person are worked out
    once (the cut-off, the end of the reaching-60 window), so a list of 100,000 residents is one quick pass."""

    def __init__(
        self,
        pack: PolicyPack,
        year: int,
        *,
        reaching_within_months: int | None = None,
        list_date: date | None = None,
    ) -> None:
        if reaching_within_months is not None and reaching_within_months < 0:
            raise ValueError(f"reaching_within_months must not be negative: {reaching_within_months}")
        self.pack = pack
        self.year = year
        self.cutoff = cutoff = pack.cutoff_date(year)
        self.pension_age = pack.pension_age
        self.window_end = (
            add_months_to_date(list_date or cutoff, reaching_within_months)
            if reaching_within_months is not None
            else None
        )
        self._pension_age_reason = f"{cutoff.year}年{cutoff.month}月{cutoff.day}日已满{{age}}周岁"

    def __call__(self, facts: ResidentFacts) -> Eligibility:
        """Classify one resident (see the module docstring for the order of the rules)."""
        cutoff = self.cutoff
        birth = facts.birth_date
        pension_age_on = birthday_at_age(birth, self.pension_age)
        age = age_on(birth, cutoff) if birth <= cutoff else 0
        if facts.status is PersonStatus.TERMINATED:
            reasons = [_terminated_reason(facts.status_reason)]
            return Eligibility(EligibilityKind.TERMINATED, reasons, age, cutoff, pension_age_on)
        if birth > cutoff or age < MIN_ENROL_AGE:
            return Eligibility(EligibilityKind.UNDER_AGE, [REASON_UNDER_AGE], age, cutoff, pension_age_on)
        if (
            not facts.local_hukou
            or facts.is_student
            or facts.has_employee_pension
            or facts.is_public_staff
            or facts.has_other_state_pension
        ):
            exclusions = []
            if not facts.local_hukou:
                exclusions.append(REASON_NOT_LOCAL)
            if facts.is_student:
                exclusions.append(REASON_STUDENT)
            if facts.has_employee_pension:
                exclusions.append(REASON_EMPLOYEE_PENSION)
            if facts.is_public_staff:
                exclusions.append(REASON_PUBLIC_STAFF)
            if facts.has_other_state_pension:
                exclusions.append(REASON_OTHER_STATE_PENSION)
            return Eligibility(EligibilityKind.INELIGIBLE, exclusions, age, cutoff, pension_age_on)
        if age >= self.pension_age:
            reasons = [self._pension_age_reason.format(age=age)]
            return Eligibility(EligibilityKind.PENSION_AGE, reasons, age, cutoff, pension_age_on)
        if self.window_end is not None and pension_age_on <= self.window_end:
            reasons = [f"{pension_age_on.isoformat()} 年满{self.pension_age}周岁"]
            if facts.status in _PENSION_CASE_DONE:
                # Turned 60 after the cut-off and already a pension case (待遇领取/暂停): nothing left to handle,
                # so not on the 即将年满60周岁 list (domain.md §8) but with those of pension age.
                reasons.append(f"已{facts.status.label}")
                return Eligibility(EligibilityKind.PENSION_AGE, reasons, age, cutoff, pension_age_on)
            return Eligibility(EligibilityKind.REACHING_60, reasons, age, cutoff, pension_age_on)
        return Eligibility(EligibilityKind.CONTRIBUTOR, [], age, cutoff, pension_age_on)


def classify(
    facts: ResidentFacts,
    pack: PolicyPack,
    year: int,
    *,
    reaching_within_months: int | None = None,
    list_date: date | None = None,
) -> Eligibility:
    """Classify a resident for ``year`` at ``pack.cutoff_date(year)`` (see the module docstring for the order).

    ``reaching_within_months`` asks for the REACHING_60 kind: someone below the pension age at the cut-off who
    reaches it on or before ``list_date`` (default: the cut-off) plus that many months. A 60th birthday already
    past the list date but after the cut-off still counts as reaching 60 (the case has not been handled yet).
    For many residents of one year, build one :class:`Classifier` and call it for each.
    """
    return Classifier(pack, year, reaching_within_months=reaching_within_months, list_date=list_date)(facts)


def add_months_to_date(day: date, months: int) -> date:
    """The same day ``months`` months later, clipped to the month's end (30 Nov + 3 months → 28/29 Feb)."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _terminated_reason(code: str | None) -> str:
    try:
        label = TerminationReason(code).label if code else ""
    except ValueError:
        label = ""
    return f"{REASON_TERMINATED}（{label}）" if label else REASON_TERMINATED
