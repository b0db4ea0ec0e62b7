"""Death cancellation arithmetic (注销): stop month, overpayment, funeral subsidy, with their derivations."""

from __future__ import annotations

from datetime import date

import pytest

from pensiondesk.domain.cancellation import (
    BenefitAtDeath,
    FuneralRefusal,
    funeral_settlement,
    overpayment,
    stop_month,
)
from pensiondesk.domain.pension import YearMonth

GRANT = 600_00  # Longjing: 600 元 (domain.md §10)
MONTHLY = 163_00  # 143 basic + 20 from the account


@pytest.mark.parametrize(
    ("death", "stop"),
    [
        (date(2026, 3, 15), YearMonth(2026, 4)),
        (date(2026, 3, 1), YearMonth(2026, 4)),
        (date(2026, 3, 31), YearMonth(2026, 4)),
        (date(2026, 12, 5), YearMonth(2027, 1)),
    ],
)
def test_pension_stops_the_month_after_death(death: date, stop: YearMonth) -> None:
    assert stop_month(death) == stop


def test_overpayment_worked_example() -> None:
    # Died 2026-03-15 → stop month April; paid through June → April, May, June = 3 × 163.00 = 489.00.
    over = overpayment(stop_month(date(2026, 3, 15)), YearMonth(2026, 6), MONTHLY)
    assert (over.months, over.amount_fen) == (3, 489_00)


def test_no_overpayment_when_reported_in_time_or_never_paid() -> None:
    assert overpayment(YearMonth(2026, 4), YearMonth(2026, 3), MONTHLY).months == 0  # March was still due
    assert overpayment(YearMonth(2026, 4), None, MONTHLY).amount_fen == 0
    with pytest.raises(ValueError):
        overpayment(YearMonth(2026, 4), YearMonth(2026, 6), -1)


def test_funeral_subsidy_first_offsets_the_overpayment() -> None:
    # 600.00 grant, 489.00 overpaid: 489.00 offset, 111.00 to the heir's card, nothing left to recover.
    s = funeral_settlement(GRANT, benefit_at_death=BenefitAtDeath.RECEIVING, overpaid_fen=489_00)
    assert (s.grant_fen, s.offset_fen, s.payable_fen, s.to_recover_fen) == (600_00, 489_00, 111_00, 0)
    assert s.refusal is None and s.refusal_reason is None


def test_overpayment_larger_than_the_grant_leaves_the_rest_to_recover() -> None:
    # 5 months × 163.00 = 815.00 overpaid: the whole 600.00 offsets, 215.00 is still to recover.
    over = overpayment(YearMonth(2026, 4), YearMonth(2026, 8), MONTHLY)
    s = funeral_settlement(GRANT, benefit_at_death=BenefitAtDeath.RECEIVING, overpaid_fen=over.amount_fen)
    assert (s.offset_fen, s.payable_fen, s.to_recover_fen) == (600_00, 0, 215_00)


def test_no_overpayment_pays_the_whole_grant() -> None:
    s = funeral_settlement(GRANT, benefit_at_death=BenefitAtDeath.RECEIVING)
    assert (s.offset_fen, s.payable_fen) == (0, 600_00)


@pytest.mark.parametrize(
    ("kwargs", "refusal"),
    [
        ({"benefit_at_death": BenefitAtDeath.STOPPED}, FuneralRefusal.STOPPED_BEFORE_DEATH),
        ({"benefit_at_death": BenefitAtDeath.RECEIVING, "imprisoned": True}, FuneralRefusal.IMPRISONED),
        ({"benefit_at_death": BenefitAtDeath.STOPPED, "imprisoned": True}, FuneralRefusal.IMPRISONED),
        ({"benefit_at_death": BenefitAtDeath.RECEIVING, "other_funeral_grant": True}, FuneralRefusal.OTHER_GRANT),
        ({"benefit_at_death": BenefitAtDeath.NOT_RECEIVING}, FuneralRefusal.NOT_RECEIVING),
    ],
)
def test_refusal_cases_pay_nothing_and_offset_nothing(kwargs: dict[str, object], refusal: FuneralRefusal) -> None:
    s = funeral_settlement(GRANT, overpaid_fen=326_00, **kwargs)  # type: ignore[arg-type]
    assert s.refusal is refusal
    assert (s.grant_fen, s.offset_fen, s.payable_fen, s.to_recover_fen) == (0, 0, 0, 326_00)
    assert s.refusal_reason and "不" in s.refusal_reason


def test_a_pack_without_a_funeral_grant() -> None:
    s = funeral_settlement(None, benefit_at_death=BenefitAtDeath.RECEIVING, overpaid_fen=100_00)
    assert s.refusal is FuneralRefusal.NO_LOCAL_GRANT
    assert s.to_recover_fen == 100_00
