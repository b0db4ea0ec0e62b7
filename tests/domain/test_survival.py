"""Survival certification cycles (认证周期) against the worked examples of domain/survival.py."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from pensiondesk.domain.pension import YearMonth, add_months
from pensiondesk.domain.survival import (
    Cycle,
    SurvivalStatus,
    back_pay_months,
    classify,
    current_cycle,
    cycle_after,
)


def test_first_cycle_starts_the_month_after_approval() -> None:
    # Approved 2025-03-15: April 2025 is the first month of the cycle, March 2026 the twelfth.
    cycle = cycle_after(date(2025, 3, 15), 12)
    assert cycle == Cycle(YearMonth(2025, 4), YearMonth(2026, 3))
    assert cycle.first_day == date(2025, 4, 1)
    assert cycle.last_day == date(2026, 3, 31)
    assert cycle.first_unpaid_month == YearMonth(2026, 4)


def test_a_certification_restarts_the_cycle_the_month_after() -> None:
    # Certified 2025-10-20, later than the approval: the cycle becomes 2025-11 … 2026-10.
    cycle = current_cycle(date(2025, 3, 15), date(2025, 10, 20), 12)
    assert cycle == Cycle(YearMonth(2025, 11), YearMonth(2026, 10))
    assert cycle.last_day == date(2026, 10, 31)
    # A certification older than the approval does not move the cycle back.
    assert current_cycle(date(2025, 3, 15), date(2024, 1, 5), 12) == cycle_after(date(2025, 3, 15), 12)


def test_no_anchor_means_no_cycle() -> None:
    assert current_cycle(None, None) is None
    assert classify(None, date(2026, 1, 1)) is SurvivalStatus.NO_RECORD


def test_cycle_ending_in_february_of_a_leap_year() -> None:
    assert cycle_after(date(2027, 2, 28), 12).last_day == date(2028, 2, 29)


def test_classification_around_the_end_of_the_cycle() -> None:
    # Cycle ends 2026-10-31: 31 days before is current, 30 days before is due, the day after is overdue.
    cycle = Cycle(YearMonth(2025, 11), YearMonth(2026, 10))
    assert classify(cycle, date(2026, 9, 30)) is SurvivalStatus.CURRENT
    assert classify(cycle, date(2026, 10, 1)) is SurvivalStatus.DUE
    assert classify(cycle, date(2026, 10, 31)) is SurvivalStatus.DUE
    assert classify(cycle, date(2026, 11, 1)) is SurvivalStatus.OVERDUE
    assert classify(cycle, date(2026, 11, 1), suspended=True) is SurvivalStatus.SUSPENDED


def test_back_pay_worked_example() -> None:
    # Cycle ended 2026-03-31, so April is the first unpaid month; certified 2026-07-10:
    # April, May, June, July are back-paid (4 months), regular payment resumes in August with the new cycle.
    lapsed = Cycle(YearMonth(2025, 4), YearMonth(2026, 3))
    assert back_pay_months(lapsed.first_unpaid_month, date(2026, 7, 10)) == 4
    assert cycle_after(date(2026, 7, 10)).start == YearMonth(2026, 8)
    # Certified in the first unpaid month: that month alone is back-paid.
    assert back_pay_months(YearMonth(2026, 4), date(2026, 4, 2)) == 1
    # A certification dated inside the old cycle but entered late: nothing to back-pay.
    assert back_pay_months(YearMonth(2026, 4), date(2026, 3, 20)) == 0


@given(
    anchor=st.dates(min_value=date(2010, 1, 1), max_value=date(2040, 12, 31)),
    months=st.integers(min_value=1, max_value=24),
    gap=st.integers(min_value=0, max_value=900),
)
def test_every_month_is_paid_exactly_once_across_a_suspension(anchor: date, months: int, gap: int) -> None:
    # Regular months of the old cycle + back-paid months + the new cycle's months tile the calendar.
    old = cycle_after(anchor, months)
    certified = old.last_day + timedelta(days=gap)
    back = back_pay_months(old.first_unpaid_month, certified)
    new = cycle_after(certified, months)
    assert add_months(old.first_unpaid_month, back) == new.start
    assert classify(old, old.last_day) is SurvivalStatus.DUE
    assert classify(old, old.last_day + timedelta(days=1)) is SurvivalStatus.OVERDUE
