"""Tests for pension arithmetic (待遇计算): worked examples with their derivations, and properties."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pensiondesk.domain.pension import (
    AccountCredit,
    CreditKind,
    YearMonth,
    account_pension,
    add_months,
    age_at_cutoff,
    age_on,
    benefit_start_month,
    birthday_at_age,
    monthly_pension,
    months_between,
    projected_balance,
    sixtieth_birthday,
    yearly_credits,
)
from pensiondesk.domain.policy import PolicyPack
from pensiondesk.resources import load_default_policy_pack


@pytest.fixture(scope="module")
def pack() -> PolicyPack:
    return load_default_policy_pack()


# --- the monthly pension ---


def test_monthly_pension_worked_example() -> None:
    # basic 143.00 + 30,000.00 / 139 = 143.00 + 215.8273… → 143.00 + 215.83 = 358.83
    assert monthly_pension(143_00, 30000_00) == 358_83


def test_monthly_pension_with_an_empty_account() -> None:
    assert monthly_pension(143_00, 0) == 143_00


def test_account_pension_rounds_half_up_to_the_fen() -> None:
    # 13,969 / 139 = 100.496… → 100 fen ; 13,970 / 139 = 100.503… → 101 fen
    assert account_pension(13969) == 100
    assert account_pension(13970) == 101
    # an exact half: 3 / 2 = 1.5 → 2 (half up, not to even); 5 / 2 = 2.5 → 3
    assert account_pension(3, divisor=2) == 2
    assert account_pension(5, divisor=2) == 3


def test_monthly_pension_refuses_nonsense() -> None:
    with pytest.raises(ValueError):
        monthly_pension(143_00, -1)
    with pytest.raises(ValueError):
        monthly_pension(-1, 0)
    with pytest.raises(ValueError):
        monthly_pension(143_00, 100, divisor=0)


# --- ages and dates ---


def test_age_on_around_a_birthday() -> None:
    birth = date(1965, 3, 15)
    assert age_on(birth, date(2025, 3, 14)) == 59
    assert age_on(birth, date(2025, 3, 15)) == 60
    assert age_on(birth, birth) == 0
    with pytest.raises(ValueError):
        age_on(birth, date(1965, 3, 14))


def test_29_february() -> None:
    leapling = date(1964, 2, 29)
    # 2024 is a leap year: the 60th birthday is the real 29 February.
    assert sixtieth_birthday(leapling) == date(2024, 2, 29)
    # 2025 is not: the 61st birthday is 28 February, and the age changes that day.
    assert birthday_at_age(leapling, 61) == date(2025, 2, 28)
    assert age_on(leapling, date(2025, 2, 27)) == 60
    assert age_on(leapling, date(2025, 2, 28)) == 61
    # 2100 is not a leap year (century rule): someone born 29 Feb 2040 turns 60 on 28 Feb 2100.
    assert sixtieth_birthday(date(2040, 2, 29)) == date(2100, 2, 28)


def test_age_at_cutoff(pack: PolicyPack) -> None:
    # Ages are counted at 30 June of the campaign year (national default pack).
    assert age_at_cutoff(date(1965, 6, 30), 2025, pack) == 60
    assert age_at_cutoff(date(1965, 7, 1), 2025, pack) == 59
    assert age_at_cutoff(date(2009, 6, 30), 2025, pack) == 16


def test_benefit_start_month() -> None:
    # Reaches 60 on 15 March 2025 → paid from April 2025.
    assert benefit_start_month(date(1965, 3, 15)) == YearMonth(2025, 4)
    # Also on the 1st: the month after the month of the birthday.
    assert benefit_start_month(date(1965, 3, 1)) == YearMonth(2025, 4)
    # Across the year end.
    assert benefit_start_month(date(1965, 12, 31)) == YearMonth(2026, 1)
    assert benefit_start_month(date(1964, 2, 29)) == YearMonth(2024, 3)
    assert benefit_start_month(date(1970, 5, 20), pension_age=65) == YearMonth(2035, 6)
    assert str(YearMonth(2025, 4)) == "2025-04"


def test_months_between_and_add_months() -> None:
    assert months_between(YearMonth(2025, 3), YearMonth(2025, 6)) == 3
    assert months_between(date(2024, 11, 30), date(2025, 2, 1)) == 3  # days are ignored
    assert months_between((2025, 6), (2025, 3)) == -3
    assert add_months(YearMonth(2025, 11), 3) == YearMonth(2026, 2)
    assert add_months(YearMonth(2025, 1), -1) == YearMonth(2024, 12)
    assert add_months(YearMonth(2025, 1), 0) == YearMonth(2025, 1)


# --- the account estimate ---


def test_projected_balance_two_years_at_three_percent() -> None:
    # 2,060.00 (tier 2,000 + subsidy 60) credited in June 2020 and June 2021, 3 % a year, to December 2021.
    # 2020: the June credit earns July–December = 6 months: 2,060.00 × 0.03 × 6/12 = 30.90 → 2,090.90
    # 2021: 2,090.90 brought forward earns a full year: 2,090.90 × 0.03 = 62.727
    #       the June credit earns 6 months: 30.90
    #       2,090.90 + 62.727 + 2,060.00 + 30.90 = 4,244.527 → 4,244.53
    credits = [AccountCredit(2020, 6, 2060_00), AccountCredit(2021, 6, 2060_00)]
    rates = {2020: Decimal("0.03"), 2021: Decimal("0.03")}
    assert projected_balance(credits, until=YearMonth(2021, 12), rates=rates) == 4244_53


def test_projected_balance_partial_last_year_and_pension(pack: PolicyPack) -> None:
    # Tier 500 + subsidy 60 = 560.00 in June 2023 and June 2024; pension starts July 2025, so the balance
    # is taken at the end of June 2025. Pack placeholder rates: 2.55 % for 2023, 2024 and 2025.
    # 2023: 560.00 × 0.0255 × 6/12 = 7.14                                  → 567.14
    # 2024: 567.14 × 0.0255 = 14.46207 ; 560.00 × 0.0255 × 6/12 = 7.14     → 1,148.74207
    # 2025 (6 months): 1,148.74207 × 0.0255 × 6/12 = 14.6464613925         → 1,163.3885313925 → 1,163.39
    credits = yearly_credits(pack, tier_fen=500_00, first_year=2023, last_year=2024, month=6)
    assert sum(c.amount_fen for c in credits) == 2 * 560_00
    balance = projected_balance(credits, until=YearMonth(2025, 6), rates=pack.interest_rate)
    assert balance == 1163_39
    # Monthly pension from July 2025: 143.00 + 1,163.39 / 139 = 143.00 + 8.3697… → 143.00 + 8.37 = 151.37
    assert monthly_pension(pack.basic_pension_on(date(2025, 7, 1)), balance) == 151_37


def test_projected_balance_opening_balance_for_three_months() -> None:
    # 10,000.00 at the start of 2025, 2.55 %, to the end of March: 10,000.00 × 0.0255 × 3/12 = 63.75.
    # A credit made in March earns nothing yet (from April on).
    result = projected_balance(
        [AccountCredit(2025, 3, 100_00)],
        until=YearMonth(2025, 3),
        rates={2025: Decimal("0.0255")},
        opening_balance_fen=10000_00,
    )
    assert result == 10000_00 + 63_75 + 100_00


def test_december_credit_earns_from_january() -> None:
    # Credited in December 2024: nothing in 2024; a full year in 2025: 200.00 × 0.03 = 6.00.
    credits = [AccountCredit(2024, 12, 200_00)]
    rates = {2024: Decimal("0.03"), 2025: Decimal("0.03")}
    assert projected_balance(credits, until=YearMonth(2024, 12), rates=rates) == 200_00
    assert projected_balance(credits, until=YearMonth(2025, 12), rates=rates) == 206_00


def test_projected_balance_guards() -> None:
    rates = {2025: Decimal("0.03")}
    with pytest.raises(ValueError):
        projected_balance([AccountCredit(2025, 7, 100)], until=YearMonth(2025, 6), rates=rates)
    with pytest.raises(ValueError):
        projected_balance([AccountCredit(2024, 7, 100)], until=YearMonth(2025, 6), rates=rates)
    with pytest.raises(ValueError):
        projected_balance([], until=YearMonth(2025, 6), rates=rates, opening_balance_fen=100)
    assert projected_balance([], until=YearMonth(2025, 6), rates=rates) == 0
    with pytest.raises(ValueError):
        AccountCredit(2025, 13, 100)
    with pytest.raises(ValueError):
        AccountCredit(2025, 1, -100)


def test_yearly_credits_with_government_paid(pack: PolicyPack) -> None:
    # 特困 (031): the government pays 100.00 of the 200.00 tier, the person 100.00, subsidy 30.00.
    credits = yearly_credits(pack, tier_fen=200_00, first_year=2025, last_year=2025, categories={"031"})
    assert {(c.kind, c.amount_fen) for c in credits} == {
        (CreditKind.PERSONAL, 100_00),
        (CreditKind.GOVERNMENT_PAID, 100_00),
        (CreditKind.SUBSIDY, 30_00),
    }
    # At the 100.00 tier the government pays it all: no personal credit at all.
    credits = yearly_credits(pack, tier_fen=100_00, first_year=2025, last_year=2026, categories={"031"})
    assert sorted((c.year, c.kind) for c in credits) == [
        (2025, CreditKind.GOVERNMENT_PAID),
        (2025, CreditKind.SUBSIDY),
        (2026, CreditKind.GOVERNMENT_PAID),
        (2026, CreditKind.SUBSIDY),
    ]
    with pytest.raises(ValueError):
        yearly_credits(pack, tier_fen=250_00, first_year=2025, last_year=2025)


# --- properties ---


@given(
    birth=st.dates(min_value=date(1900, 1, 1), max_value=date(2030, 12, 31)),
    age=st.integers(min_value=1, max_value=110),
)
def test_age_changes_exactly_on_the_birthday(birth: date, age: int) -> None:
    birthday = birthday_at_age(birth, age)
    assert age_on(birth, birthday) == age
    assert age_on(birth, birthday - timedelta(days=1)) == age - 1


@given(birth=st.dates(min_value=date(1900, 1, 1), max_value=date(2030, 12, 31)))
def test_benefit_starts_the_month_after_the_sixtieth_birthday(birth: date) -> None:
    start = benefit_start_month(birth)
    birthday = sixtieth_birthday(birth)
    assert months_between(birthday, start) == 1


_credit = st.builds(
    AccountCredit,
    year=st.integers(min_value=2010, max_value=2024),
    month=st.integers(min_value=1, max_value=12),
    amount_fen=st.integers(min_value=0, max_value=10_000_00),
)


@given(
    credits=st.lists(_credit, max_size=20), rate=st.decimals(min_value=0, max_value=Decimal("0.05"), places=4)
)
def test_balance_is_never_below_the_credits(credits: list[AccountCredit], rate: Decimal) -> None:
    total = sum(c.amount_fen for c in credits)
    until = YearMonth(2025, 6)
    zero = projected_balance(credits, until=until, rates=lambda _year: Decimal(0), opening_year=2010)
    assert zero == total
    assert projected_balance(credits, until=until, rates=lambda _year: rate, opening_year=2010) >= total
