"""Pension arithmetic (待遇计算): ages, reaching 60, the benefit start month, the monthly pension, and an
estimate of the personal account (个人账户) balance (domain.md §6, §7).

Conventions, stated once:

* Amounts are ``int`` fen; interest is computed in ``Decimal`` and rounded once, half up, to the fen.
* A birthday on 29 February falls on 28 February in common years (the person is a year older on the last day
  of February, never in March). :func:`age_on` and :func:`birthday_at_age` share this rule.
* The monthly pension is ``basic + balance ÷ divisor`` where the account part is rounded half up to the fen
  (21,582.73 fen → 21,583 fen); the basic pension is already a whole amount.
* Payment starts the month after the month in which the person reaches pension age (domain.md §7: "the month
  after the conditions are met"), also when the birthday is on the 1st.
* Interest (记账利息): money earns from the month after it is credited; within a year a credit made in
  month *m* earns (12 − m) months × rate / 12, and the balance brought forward earns the full annual rate.
  The county rounds interest when it closes each year, so its books may differ from this estimate by a few
  fen.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import NamedTuple

from pensiondesk.domain.policy import PolicyPack

__all__ = [
    "AccountCredit",
    "CreditKind",
    "YearMonth",
    "account_pension",
    "add_months",
    "age_at_cutoff",
    "age_on",
    "benefit_start_month",
    "birthday_at_age",
    "monthly_pension",
    "months_between",
    "projected_balance",
    "sixtieth_birthday",
    "yearly_credits",
]

#: 计发系数 for the personal account pension at 60 (domain.md §7).
DEFAULT_DIVISOR = 139


class YearMonth(NamedTuple):
    """A calendar month (年月), the unit in which pensions are paid."""

    year: int
    month: int

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


def account_pension(balance_fen: int, divisor: int = DEFAULT_DIVISOR) -> int:
    """个人账户养老金: ``balance ÷ divisor`` rounded half up to the fen."""
    if balance_fen < 0:
        raise ValueError(f"account balance cannot be negative: {balance_fen} fen")
    if divisor <= 0:
        raise ValueError(f"divisor must be positive: {divisor}")
    quotient, remainder = divmod(balance_fen, divisor)
    return quotient + (1 if 2 * remainder >= divisor else 0)


def monthly_pension(basic_fen: int, balance_fen: int, divisor: int = DEFAULT_DIVISOR) -> int:
    """月养老金 = 基础养老金 + 个人账户养老金 (balance ÷ divisor, rounded half up to the fen)."""
    if basic_fen < 0:
        raise ValueError(f"basic pension cannot be negative: {basic_fen} fen")
    return basic_fen + account_pension(balance_fen, divisor)


def birthday_at_age(birth: date, age: int) -> date:
    """The day on which someone born on ``birth`` turns ``age`` (29 Feb → 28 Feb in common years)."""
    year = birth.year + age
    try:
        return birth.replace(year=year)
    except ValueError:  # 29 February in a common year
        return date(year, 2, 28)


def sixtieth_birthday(birth: date) -> date:
    """The 60th birthday (年满 60 周岁之日)."""
    return birthday_at_age(birth, 60)


def age_on(birth: date, on: date) -> int:
    """Age in completed years (周岁) on ``on``; ``ValueError`` if ``on`` is before the birth."""
    if on < birth:
        raise ValueError(f"{on.isoformat()} is before the birth date {birth.isoformat()}")
    years = on.year - birth.year
    return years if on >= birthday_at_age(birth, years) else years - 1


def age_at_cutoff(birth: date, year: int, pack: PolicyPack) -> int:
    """Age at the pack's cut-off date in ``year`` (e.g. 30 June), as campaigns count it (domain.md §3)."""
    return age_on(birth, pack.cutoff_date(year))


def add_months(month: YearMonth, count: int) -> YearMonth:
    """The month ``count`` months after (or before, if negative) ``month``."""
    index = month.year * 12 + (month.month - 1) + count
    return YearMonth(index // 12, index % 12 + 1)


def benefit_start_month(birth: date, pension_age: int = 60) -> YearMonth:
    """The first month paid: the month after the month in which the person reaches ``pension_age``."""
    birthday = birthday_at_age(birth, pension_age)
    return add_months(YearMonth(birthday.year, birthday.month), 1)


def months_between(start: date | tuple[int, int], end: date | tuple[int, int]) -> int:
    """Calendar months from ``start``'s month to ``end``'s month (days ignored; negative if earlier).

    ``months_between(YearMonth(2025, 3), YearMonth(2025, 6)) == 3``: April, May and June follow March.
    """
    first = _as_year_month(start)
    last = _as_year_month(end)
    return (last.year - first.year) * 12 + (last.month - first.month)


class CreditKind(StrEnum):
    """Source of an amount credited to the personal account (记账来源, domain.md §6)."""

    PERSONAL = "personal"  # 个人缴费
    GOVERNMENT_PAID = "government_paid"  # 政府代缴
    SUBSIDY = "subsidy"  # 政府缴费补贴
    COLLECTIVE = "collective"  # 集体补助
    OTHER = "other"  # 其他资助


@dataclass(frozen=True, slots=True)
class AccountCredit:
    """An amount credited to the personal account in a month (记账)."""

    year: int
    month: int
    amount_fen: int
    kind: CreditKind = CreditKind.PERSONAL

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12:
            raise ValueError(f"month must be 1..12, got {self.month}")
        if self.amount_fen < 0:
            raise ValueError(f"a credit cannot be negative: {self.amount_fen} fen")


def yearly_credits(
    pack: PolicyPack,
    *,
    tier_fen: int,
    first_year: int,
    last_year: int,
    month: int = 6,
    categories: Iterable[str] = (),
    include_collective: bool = True,
) -> list[AccountCredit]:
    """Credits of a person paying ``tier_fen`` every year from ``first_year`` to ``last_year`` in ``month``.

    Each year: the government-paid part (政府代缴, at most the tier) and the rest as personal contribution,
    the subsidy for the tier, and the pack's collective subsidy. For an estimator; real accounts come from
    the county.
    """
    codes = set(categories)
    if tier_fen not in pack.tiers_for(codes):
        raise ValueError(f"{tier_fen} fen is not a tier this person may choose in pack {pack.id}")
    government = min(pack.government_paid_for(codes), tier_fen)
    subsidy = pack.subsidy_for(tier_fen).total
    collective = pack.collective_fen if include_collective else 0
    parts = [
        (CreditKind.PERSONAL, tier_fen - government),
        (CreditKind.GOVERNMENT_PAID, government),
        (CreditKind.SUBSIDY, subsidy),
        (CreditKind.COLLECTIVE, collective),
    ]
    return [
        AccountCredit(year, month, amount, kind)
        for year in range(first_year, last_year + 1)
        for kind, amount in parts
        if amount
    ]


def projected_balance(
    credits: Iterable[AccountCredit],
    *,
    until: YearMonth,
    rates: Mapping[int, Decimal] | Callable[[int], Decimal],
    opening_balance_fen: int = 0,
    opening_year: int | None = None,
) -> int:
    """Estimated account balance (fen) at the end of the month ``until``.

    ``opening_balance_fen`` is the balance at the start of ``opening_year`` (default: the first credit's
    year). Each year the balance brought forward earns the year's rate for the months of the year up to
    ``until`` (12 for a full year, ``until.month`` in the last year), and each credit earns from the month
    after it arrives, months × rate / 12. Interest stays in ``Decimal`` and the result is rounded half up to
    the fen once. ``rates`` maps a year to its annual rate (``Decimal("0.0275")``), or is a function such as
    ``lambda year: pack.interest_rate(year, fallback_to_latest=True)``.
    """
    items = sorted(credits, key=lambda credit: (credit.year, credit.month))
    late = [credit for credit in items if YearMonth(credit.year, credit.month) > until]
    if late:
        raise ValueError(f"credit in {late[0].year}-{late[0].month:02d} is after the end month {until}")
    if opening_year is None:
        if not items:
            if opening_balance_fen:
                raise ValueError("opening_year is needed when there are no credits")
            return 0
        opening_year = items[0].year
    if items and items[0].year < opening_year:
        raise ValueError(f"credit in {items[0].year} is before the opening year {opening_year}")

    rate_of = rates if callable(rates) else _lookup(rates)
    balance = Decimal(opening_balance_fen)
    twelve = Decimal(12)
    for year in range(opening_year, until.year + 1):
        rate = Decimal(rate_of(year))
        months = 12 if year < until.year else until.month
        interest = balance * rate * months / twelve
        for credit in items:
            if credit.year == year:
                balance += credit.amount_fen
                interest += Decimal(credit.amount_fen) * rate * (months - credit.month) / twelve
        balance += interest
    return int(balance.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _lookup(rates: Mapping[int, Decimal]) -> Callable[[int], Decimal]:
    def rate_of(year: int) -> Decimal:
        try:
            return rates[year]
        except KeyError:
            raise ValueError(f"no interest rate for {year}") from None

    return rate_of


def _as_year_month(value: date | tuple[int, int]) -> YearMonth:
    if isinstance(value, date):
        return YearMonth(value.year, value.month)
    year, month = value
    return YearMonth(year, month)
