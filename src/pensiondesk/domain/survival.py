"""Survival certification cycles (领取资格认证周期 / 生存认证), domain.md §9.

The rules, stated once:

* **Rolling cycle (滚动认证周期).** A cycle is ``months`` calendar months long (the policy pack's
  ``survival_cycle_months``, 12). The first cycle starts the month after approval (待遇审核通过); each later one
  starts the month after the last successful certification (认证通过). Several certifications in one cycle
  are fine: only the latest counts. The *anchor* of the current cycle is therefore the later of the approval
  date and the last successful certification, and the cycle runs from the month after the anchor's month to
  the end of the month ``months`` months after it.

  Worked example: approved 2025-03-15 → first cycle 2025-04 … 2026-03 (ends 2026-03-31). Certified
  2025-10-20 → the cycle becomes 2025-11 … 2026-10 (ends 2026-10-31).

* **Classification on a day (认证状态).** With the cycle's last day ``L`` and the day ``d``:
  ``d > L`` → :attr:`SurvivalStatus.OVERDUE` (已逾期，待暂停: suspension pending);
  ``L − d ≤ 30 days`` → :attr:`SurvivalStatus.DUE` (即将到期); otherwise :attr:`SurvivalStatus.CURRENT`.
  A pensioner already suspended (暂停发放) is :attr:`SurvivalStatus.SUSPENDED`; one without an approval date or
  any certification on this laptop is :attr:`SurvivalStatus.NO_RECORD` (never marked for suspension: the
  record may be in the county's system).

  Worked example: cycle ends 2026-10-31. On 2026-09-30 it is 31 days away → CURRENT; on 2026-10-01 (30 days)
  → DUE; on 2026-11-01 → OVERDUE.

* **Suspension and back pay (暂停与补发).** When a cycle lapses, payment is suspended from the month after its
  last month (the *first unpaid month*). A later successful certification resumes payment: every month from
  the first unpaid month up to and including the certification month is back-paid (补发), and regular payment
  resumes the month after, when the new cycle starts. So each month is paid exactly once.

  Worked example: cycle ended 2026-03-31 → first unpaid month 2026-04. Certified 2026-07-10 → back pay for
  2026-04, 05, 06, 07 = 4 months; the new cycle (and regular payment) starts 2026-08. A certification dated
  inside the old cycle but entered late gives 0 months.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from pensiondesk.domain.pension import YearMonth, add_months, months_between

__all__ = [
    "DUE_WITHIN_DAYS",
    "Cycle",
    "SurvivalStatus",
    "back_pay_months",
    "classify",
    "current_cycle",
    "cycle_after",
    "month_of",
]

#: A cycle ending within this many days is due (即将到期), issue §2.
DUE_WITHIN_DAYS = 30


class SurvivalStatus(StrEnum):
    """认证状态 of a pensioner on a day."""

    CURRENT = "current"  # 认证有效
    DUE = "due"  # 即将到期
    OVERDUE = "overdue"  # 已逾期，待暂停
    SUSPENDED = "suspended"  # 已暂停发放
    NO_RECORD = "no_record"  # 无认证记录

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    SurvivalStatus.CURRENT: "认证有效",
    SurvivalStatus.DUE: "即将到期",
    SurvivalStatus.OVERDUE: "已逾期（待暂停）",
    SurvivalStatus.SUSPENDED: "已暂停发放",
    SurvivalStatus.NO_RECORD: "无认证记录",
}


def month_of(day: date) -> YearMonth:
    """The calendar month (年月) a day falls in."""
    return YearMonth(day.year, day.month)


@dataclass(frozen=True, slots=True)
class Cycle:
    """One certification cycle: ``start`` … ``end`` inclusive, whole calendar months."""

    start: YearMonth
    end: YearMonth

    @property
    def first_day(self) -> date:
        return date(self.start.year, self.start.month, 1)

    @property
    def last_day(self) -> date:
        return date(self.end.year, self.end.month, calendar.monthrange(self.end.year, self.end.month)[1])

    @property
    def first_unpaid_month(self) -> YearMonth:
        """The month payment stops if nobody certifies in this cycle (暂停发放起始月)."""
        return add_months(self.end, 1)

    def days_left(self, on: date) -> int:
        """Days from ``on`` to the cycle's last day (negative once it has lapsed)."""
        return (self.last_day - on).days


def cycle_after(anchor: date, months: int = 12) -> Cycle:
    """The cycle that starts the month after ``anchor`` (an approval or a successful certification)."""
    if months < 1:
        raise ValueError(f"a cycle must last at least one month, got {months}")
    start = add_months(month_of(anchor), 1)
    return Cycle(start, add_months(start, months - 1))


def current_cycle(approved_on: date | None, last_certified_on: date | None, months: int = 12) -> Cycle | None:
    """The cycle in force: anchored on the later of approval and last certification; ``None`` if neither."""
    anchors = [day for day in (approved_on, last_certified_on) if day is not None]
    if not anchors:
        return None
    return cycle_after(max(anchors), months)


def classify(
    cycle: Cycle | None, on: date, *, suspended: bool = False, due_within_days: int = DUE_WITHIN_DAYS
) -> SurvivalStatus:
    """The status on ``on`` (see the module docstring): suspended first, then no record, overdue, due, current."""
    if suspended:
        return SurvivalStatus.SUSPENDED
    if cycle is None:
        return SurvivalStatus.NO_RECORD
    left = cycle.days_left(on)
    if left < 0:
        return SurvivalStatus.OVERDUE
    if left <= due_within_days:
        return SurvivalStatus.DUE
    return SurvivalStatus.CURRENT


def back_pay_months(first_unpaid_month: YearMonth, certified_on: date) -> int:
    """补发月数: months from the first unpaid month through the certification month, inclusive (0 if earlier)."""
    return max(0, months_between(first_unpaid_month, month_of(certified_on)) + 1)
