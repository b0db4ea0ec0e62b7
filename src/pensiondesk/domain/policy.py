"""Policy packs (政策参数包): a dated, versioned description of every local rule (domain.md [local]).

A county's tiers (缴费档次), identity categories (参保身份) and government-paid amounts (政府代缴),
subsidy schedule (缴费补贴), collective subsidy (集体补助), basic pension history (基础养老金), top-ups
(加发), interest rates (记账利率), the age cut-off date, notice and certification periods and the funeral
grant (丧葬补助金) are data, read from a JSON file, never code. ``resources/policy/README.md`` explains the
file for a county official.

JSON conventions:

* amounts are yuan, written as strings (``"200.00"``; whole numbers and decimal numbers are accepted too, at
  most two decimals) in fields ending ``_yuan``; in Python they are ``int`` fen on the attribute without the
  suffix (``Tier.amount``). Floats never appear: the loader reads JSON decimals as ``Decimal``;
* dates are ``"YYYY-MM-DD"``; month-days (``age_cutoff``, ``migrant_documents_deadline``) are ``"MM-DD"``;
* interest rates are decimal strings (``"0.0275"`` for 2.75 %);
* every list item has an optional ``source`` note; top-level values are noted in the ``sources`` map keyed by
  field name. Unknown fields are refused so that a misspelt field is not silently ignored.

Errors are :class:`InvalidPolicyPack`, whose message names each bad field by its path in the file, e.g.
``策略包字段 tiers[2].amount_yuan 无效：必须是正数``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    ValidationError,
    model_validator,
)

from pensiondesk.domain.money import format_yuan, parse_yuan, to_fen

__all__ = [
    "ORDINARY_NAME",
    "AgeTopUp",
    "BasicPensionStep",
    "CollectiveSubsidy",
    "ExtraYearsTopUp",
    "FuneralGrant",
    "IdentityCategory",
    "InterestRate",
    "InvalidPolicyPack",
    "PolicyLookupError",
    "PolicyPack",
    "Region",
    "SubsidyRow",
    "SubsidySplit",
    "Tier",
    "parse_policy_pack",
    "policy_pack_from_data",
]

#: domain.md §4: the 参保身份 of a person with no special category (普通), the default when none applies.
ORDINARY_NAME = "普通"
_NAME_BRACKETS = re.compile(r"[（(][^）)]*[）)]")

#: domain.md §5: the national floor of the government subsidy.
MIN_SUBSIDY_LOWEST_TIER_FEN = 30_00
MIN_SUBSIDY_FROM_500_FEN = 60_00
TIER_500_FEN = 500_00


# --- value types ---


def _yuan_to_fen(value: object) -> int:
    """Read a yuan amount from JSON (string, int or Decimal) as fen; refuse floats and booleans."""
    if isinstance(value, bool | float):
        raise ValueError('金额必须写成字符串形式的元，例如 "200.00"')
    if isinstance(value, str):
        return parse_yuan(
            value, allow_negative=True
        )  # InvalidAmount is a ValueError: its message is reported
    if isinstance(value, Decimal | int):
        return to_fen(value)
    raise ValueError('必须是金额（元），例如 "200.00"')


def _non_negative(fen: int) -> int:
    if fen < 0:
        raise ValueError("不能是负数")
    return fen


def _positive(fen: int) -> int:
    if fen <= 0:
        raise ValueError("必须是正数（大于 0 元）")
    return fen


def _fen_to_yuan_text(fen: int) -> str:
    return format_yuan(fen, grouping=False)


_FenSerializer = PlainSerializer(_fen_to_yuan_text, return_type=str)
#: Fen in Python, a non-negative yuan amount in JSON.
Fen = Annotated[int, BeforeValidator(_yuan_to_fen), AfterValidator(_non_negative), _FenSerializer]
#: Fen in Python, a positive yuan amount in JSON.
PositiveFen = Annotated[int, BeforeValidator(_yuan_to_fen), AfterValidator(_positive), _FenSerializer]


def _read_rate(value: object) -> Decimal:
    if isinstance(value, bool | float):
        raise ValueError('利率必须写成字符串形式的小数，例如 "0.0275"（即 2.75%）')
    if isinstance(value, Decimal):
        rate = value
    elif isinstance(value, int | str):
        try:
            rate = Decimal(str(value).strip())
        except InvalidOperation:
            raise ValueError('利率必须是小数，例如 "0.0275"（即 2.75%）') from None
    else:
        raise ValueError('利率必须是小数，例如 "0.0275"（即 2.75%）')
    if not rate.is_finite() or not Decimal(0) <= rate <= Decimal("0.2"):
        raise ValueError('利率必须在 0 到 0.2 之间：2.75% 写作 "0.0275"')
    return rate


Rate = Annotated[Decimal, BeforeValidator(_read_rate), PlainSerializer(str, return_type=str)]

_MONTH_DAY = re.compile(r"(\d{2})-(\d{2})")


def _month_day(text: str) -> str:
    match = _MONTH_DAY.fullmatch(text)
    if match is None:
        raise ValueError('必须是“月-日”，例如 "06-30"')
    try:
        date(2001, int(match.group(1)), int(match.group(2)))  # 2001 is not a leap year: 02-29 is refused
    except ValueError:
        raise ValueError(f"{text} 不是每年都有的日期（不能用 02-29）") from None
    return text


MonthDay = Annotated[str, AfterValidator(_month_day)]
NonEmptyText = Annotated[str, Field(min_length=1)]
CategoryCode = Annotated[str, Field(min_length=1, pattern=r"^\S+$")]


class PolicyLookupError(LookupError):
    """A value the pack does not define (a year without a rate, a date before the first basic pension)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidPolicyPack(Exception):
    """A policy pack that cannot be used. ``problems`` lists (field path, reason); the message names them.

    Deliberately not a ``ValueError``: raised from inside pydantic validation it must pass through unchanged.
    """

    def __init__(self, problems: Sequence[tuple[str, str]], *, source: str = "") -> None:
        self.problems = list(problems)
        self.source = source
        super().__init__(self.message)

    @property
    def message(self) -> str:
        lines = [
            f"策略包字段 {path} 无效：{reason}" if path else f"策略包无效：{reason}"
            for path, reason in self.problems
        ]
        text = "\n".join(lines)
        return f"{self.source}：{text}" if self.source else text


# --- parts of a pack ---


class _Part(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Region(_Part):
    """Where the pack applies; all empty for the national default."""

    province: str | None = None
    city: str | None = None
    county: str | None = None

    @property
    def display_name(self) -> str:
        """省市县 joined, or 全国 when none is set."""
        return "".join(part for part in (self.province, self.city, self.county) if part) or "全国"


class Tier(_Part):
    """缴费档次: an annual contribution amount and who may choose it (``None``: everyone)."""

    amount: PositiveFen = Field(alias="amount_yuan")
    allowed_categories: tuple[CategoryCode, ...] | None = None
    source: str = ""

    def allows(self, categories: Iterable[str]) -> bool:
        """True when a person in ``categories`` (参保身份 codes) may choose this tier."""
        return self.allowed_categories is None or not set(self.allowed_categories).isdisjoint(categories)


class IdentityCategory(_Part):
    """参保身份 with its local code; ``government_paid`` is what the government pays per year (政府代缴)."""

    code: CategoryCode
    name: NonEmptyText
    hardship: bool = False
    government_paid: Fen = Field(default=0, alias="government_paid_yuan")
    source: str = ""


@dataclass(frozen=True, slots=True)
class SubsidySplit:
    """缴费补贴 for one tier, by paying level (省/市/县级补贴), in fen."""

    province: int = 0
    city: int = 0
    county: int = 0

    @property
    def total(self) -> int:
        return self.province + self.city + self.county


class SubsidyRow(_Part):
    """One line of the subsidy schedule: the subsidy for the tier ``tier`` split by level."""

    tier: PositiveFen = Field(alias="tier_yuan")
    province: Fen = Field(default=0, alias="province_yuan")
    city: Fen = Field(default=0, alias="city_yuan")
    county: Fen = Field(default=0, alias="county_yuan")
    source: str = ""

    @property
    def split(self) -> SubsidySplit:
        return SubsidySplit(province=self.province, city=self.city, county=self.county)


class CollectiveSubsidy(_Part):
    """集体补助 per person per year, as decided by the villagers' meeting."""

    amount: PositiveFen = Field(alias="amount_yuan")
    source: str = ""


class BasicPensionStep(_Part):
    """基础养老金 from a date on (monthly). Steps are added, never overwritten."""

    effective_from: date
    monthly: PositiveFen = Field(alias="monthly_yuan")
    source: str = ""


class ExtraYearsTopUp(_Part):
    """长缴多得: extra basic pension per month for each contribution year beyond ``beyond_years``."""

    monthly_per_year: PositiveFen = Field(alias="monthly_yuan_per_year")
    beyond_years: int = Field(default=15, ge=0)
    max_monthly: PositiveFen | None = Field(default=None, alias="max_monthly_yuan")
    source: str = ""


class AgeTopUp(_Part):
    """高龄加发: extra basic pension per month from age ``min_age`` on (bands, not cumulative)."""

    min_age: int = Field(ge=0, le=130)
    monthly: PositiveFen = Field(alias="monthly_yuan")
    source: str = ""


class InterestRate(_Part):
    """记账利率 for one natural year (0.0275 = 2.75 % a year)."""

    year: int = Field(ge=1990, le=2200)
    rate: Rate
    source: str = ""


class FuneralGrant(_Part):
    """丧葬补助金: a one-off amount to the heir and the conditions under which it is paid."""

    amount: PositiveFen = Field(alias="amount_yuan")
    conditions: str = ""
    source: str = ""


# --- the pack ---


class PolicyPack(_Part):
    """Everything local about the scheme for one region from one date; see :func:`parse_policy_pack`."""

    format_version: Literal[1]
    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9._-]*$")]
    name: NonEmptyText
    version: int = Field(ge=1)
    region: Region = Region()
    effective_from: date
    published: date
    notes: str = ""

    tiers: tuple[Tier, ...] = Field(min_length=1)
    identity_categories: tuple[IdentityCategory, ...] = Field(min_length=1)
    subsidy_schedule: tuple[SubsidyRow, ...] = Field(min_length=1)
    collective_subsidy: CollectiveSubsidy | None = None

    basic_pension: tuple[BasicPensionStep, ...] = Field(min_length=1)
    extra_years_top_up: ExtraYearsTopUp | None = None
    age_top_ups: tuple[AgeTopUp, ...] = ()
    interest_rates: tuple[InterestRate, ...] = ()

    age_cutoff: MonthDay = "06-30"
    notice_days: int = Field(default=7, ge=1, le=60)
    survival_cycle_months: int = Field(default=12, ge=1, le=24)
    reaching_60_lead_months: int = Field(default=1, ge=1, le=3)
    funeral_grant: FuneralGrant | None = None
    advance_cap: Fen = Field(default=1000_00, alias="advance_cap_yuan")
    migrant_documents_deadline: MonthDay = "10-31"
    min_years_for_pension: int = Field(default=15, ge=1, le=50)
    pension_age: int = Field(default=60, ge=40, le=80)
    divisor: int = Field(default=139, ge=1, le=1000)

    sources: dict[str, str] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _check_rules(self) -> PolicyPack:
        problems = _rule_problems(self)
        if problems:
            raise InvalidPolicyPack(problems)
        return self

    # --- tiers and categories ---

    @property
    def tier_amounts(self) -> tuple[int, ...]:
        """All tiers in fen, lowest first."""
        return tuple(sorted(tier.amount for tier in self.tiers))

    @property
    def lowest_tier(self) -> int:
        return self.tier_amounts[0]

    @property
    def top_tier(self) -> int:
        return self.tier_amounts[-1]

    def tiers_for(self, categories: Iterable[str]) -> tuple[int, ...]:
        """The tiers (fen, lowest first) a person in ``categories`` may choose."""
        codes = set(categories)
        return tuple(sorted(tier.amount for tier in self.tiers if tier.allows(codes)))

    def category(self, code: str) -> IdentityCategory:
        """The identity category with this code; :class:`PolicyLookupError` if the pack does not define it."""
        for category in self.identity_categories:
            if category.code == code:
                return category
        raise PolicyLookupError(f"策略包“{self.name}”中没有参保身份代码 {code}")

    @property
    def ordinary_code(self) -> str | None:
        """The code of 普通 (011 in the default pack): the 参保身份 of everyone with no special category.

        普通 is what a person *is* when no category applies (domain.md §4), so it is never stored on a person —
        a roster's 普通 and a form left unticked mean the same — and is shown wherever a person holds nothing
        else. It is the category named 普通 (a code in brackets aside) that is neither a hardship group nor paid
        for by government; ``None`` when the pack has none.
        """
        for category in self.identity_categories:
            name = _NAME_BRACKETS.sub("", category.name).strip()
            if name == ORDINARY_NAME and not category.hardship and not category.government_paid:
                return category.code
        return None

    def special_codes(self, codes: Iterable[str]) -> list[str]:
        """``codes`` (stripped, each once, in order) without :attr:`ordinary_code`: the categories worth storing."""
        ordinary = self.ordinary_code
        found: list[str] = []
        for raw in codes:
            code = raw.strip()
            if code and code != ordinary and code not in found:
                found.append(code)
        return found

    def government_paid_for(self, categories: Iterable[str]) -> int:
        """政府代缴 per year in fen for a person in ``categories``.

        A person in several groups is counted once (domain.md §4): the largest single amount applies, the
        amounts are never added. No category (or only ones without 代缴) gives 0. Unknown codes raise
        :class:`PolicyLookupError`.
        """
        return max((self.category(code).government_paid for code in set(categories)), default=0)

    def is_hardship(self, categories: Iterable[str]) -> bool:
        """True when any of ``categories`` is a hardship group (困难群体)."""
        return any(self.category(code).hardship for code in set(categories))

    # --- subsidies ---

    def subsidy_for(self, tier_fen: int, *, catch_up: bool = False) -> SubsidySplit:
        """缴费补贴 for a contribution at ``tier_fen``; catch-up years (补缴) earn none (domain.md §5)."""
        if catch_up:
            return SubsidySplit()
        for row in self.subsidy_schedule:
            if row.tier == tier_fen:
                return row.split
        raise PolicyLookupError(f"策略包“{self.name}”中没有 {format_yuan(tier_fen)} 元这个缴费档次")

    @property
    def collective_fen(self) -> int:
        """集体补助 per person per year in fen (0 when the pack sets none)."""
        return self.collective_subsidy.amount if self.collective_subsidy else 0

    # --- benefits ---

    def basic_pension_on(self, day: date) -> int:
        """Monthly basic pension (fen) in force on ``day``: the latest step that started on or before it."""
        in_force = [step for step in self.basic_pension if step.effective_from <= day]
        if not in_force:
            first = min(step.effective_from for step in self.basic_pension)
            raise PolicyLookupError(
                f"{day.isoformat()} 早于策略包中最早的基础养老金标准（{first.isoformat()} 起），无法确定金额"
            )
        return max(in_force, key=lambda step: step.effective_from).monthly

    def extra_years_top_up_for(self, contribution_years: int) -> int:
        """Monthly top-up (fen) for contribution years beyond the threshold, capped if the pack says so."""
        top_up = self.extra_years_top_up
        if top_up is None or contribution_years <= top_up.beyond_years:
            return 0
        amount = (contribution_years - top_up.beyond_years) * top_up.monthly_per_year
        return min(amount, top_up.max_monthly) if top_up.max_monthly is not None else amount

    def age_top_up_for(self, age: int) -> int:
        """Monthly age top-up (fen): the band with the highest ``min_age`` ≤ ``age`` (bands do not add up)."""
        bands = [band for band in self.age_top_ups if band.min_age <= age]
        return max(bands, key=lambda band: band.min_age).monthly if bands else 0

    # --- interest and dates ---

    def interest_rate(self, year: int, *, fallback_to_latest: bool = False) -> Decimal:
        """记账利率 for ``year``.

        A missing year raises :class:`PolicyLookupError` by default: crediting a real account with a guessed
        rate would disagree with the county's books. Estimators projecting into years not yet published pass
        ``fallback_to_latest=True`` to use the latest year before ``year``.
        """
        rates = {entry.year: entry.rate for entry in self.interest_rates}
        if year in rates:
            return rates[year]
        earlier = [known for known in rates if known < year]
        if fallback_to_latest and earlier:
            return rates[max(earlier)]
        raise PolicyLookupError(f"策略包“{self.name}”中没有 {year} 年的记账利率；请更新策略包")

    def cutoff_date(self, year: int) -> date:
        """The date in ``year`` at which ages are counted (e.g. 30 June)."""
        month, day = _split_month_day(self.age_cutoff)
        return date(year, month, day)

    def migrant_documents_deadline_in(self, year: int) -> date:
        """The date in ``year`` by which migrant workers' documents must reach the village."""
        month, day = _split_month_day(self.migrant_documents_deadline)
        return date(year, month, day)

    def source_of(self, field: str) -> str:
        """The source note for a top-level field (its JSON name), or an empty string."""
        return self.sources.get(field, "")


def parse_policy_pack(text: str, *, source: str = "") -> PolicyPack:
    """Read a policy pack from JSON text; ``source`` (e.g. the file name) prefixes error messages."""
    try:
        data = json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as error:
        raise InvalidPolicyPack(
            [("", f"不是有效的 JSON：第 {error.lineno} 行第 {error.colno} 列附近有格式错误（{error.msg}）")],
            source=source,
        ) from None
    if not isinstance(data, dict):
        raise InvalidPolicyPack([("", "文件内容必须是一个 JSON 对象 {…}")], source=source)
    return policy_pack_from_data(data, source=source)


def policy_pack_from_data(data: Mapping[str, Any], *, source: str = "") -> PolicyPack:
    """Build a pack from already-decoded JSON data (decimals as ``Decimal`` or strings, never floats)."""
    try:
        return PolicyPack.model_validate(dict(data))
    except ValidationError as error:
        problems = [(_path(item["loc"]), _reason(item)) for item in error.errors()]
        raise InvalidPolicyPack(problems, source=source) from None
    except InvalidPolicyPack as error:
        raise InvalidPolicyPack(error.problems, source=source) from None


# --- helpers ---


def _split_month_day(text: str) -> tuple[int, int]:
    month, day = text.split("-")
    return int(month), int(day)


def _json_names() -> frozenset[str]:
    return frozenset(field.alias or name for name, field in PolicyPack.model_fields.items())


def _rule_problems(pack: PolicyPack) -> list[tuple[str, str]]:
    """Rules across fields (domain.md §4, §5); each problem names the field path as written in the file."""
    problems: list[tuple[str, str]] = []
    codes = [category.code for category in pack.identity_categories]
    problems += _duplicates(codes, "identity_categories", "code", "参保身份代码")
    problems += _duplicates([t.amount for t in pack.tiers], "tiers", "amount_yuan", "缴费档次")
    problems += _duplicates([r.tier for r in pack.subsidy_schedule], "subsidy_schedule", "tier_yuan", "档次")
    problems += _duplicates(
        [s.effective_from for s in pack.basic_pension], "basic_pension", "effective_from", "起始日期"
    )
    problems += _duplicates([r.year for r in pack.interest_rates], "interest_rates", "year", "年份")
    problems += _duplicates([b.min_age for b in pack.age_top_ups], "age_top_ups", "min_age", "年龄")

    known_codes = set(codes)
    for index, tier in enumerate(pack.tiers):
        if tier.allowed_categories is None:
            continue
        path = f"tiers[{index}].allowed_categories"
        if not tier.allowed_categories:
            problems.append((path, "不能是空列表；所有人都可以选择时请写 null"))
        unknown = [code for code in tier.allowed_categories if code not in known_codes]
        if unknown:
            problems.append((path, f"参保身份代码 {'、'.join(unknown)} 没有在 identity_categories 中定义"))

    top = pack.top_tier
    for index, category in enumerate(pack.identity_categories):
        if category.government_paid > top:
            problems.append(
                (
                    f"identity_categories[{index}].government_paid_yuan",
                    f"政府代缴 {format_yuan(category.government_paid)} 元"
                    f"超过了最高档次 {format_yuan(top)} 元",
                )
            )

    problems += _subsidy_problems(pack)

    if pack.collective_subsidy is not None:
        top_subsidy = max(row.split.total for row in pack.subsidy_schedule)
        if pack.collective_subsidy.amount + top_subsidy > top:
            problems.append(
                (
                    "collective_subsidy.amount_yuan",
                    f"集体补助 {format_yuan(pack.collective_subsidy.amount)} 元加上最高的政府补贴 "
                    f"{format_yuan(top_subsidy)} 元，超过了最高缴费档次 {format_yuan(top)} 元",
                )
            )

    for index, band in enumerate(pack.age_top_ups):
        if band.min_age < pack.pension_age:
            problems.append(
                (f"age_top_ups[{index}].min_age", f"不能小于领取养老金的年龄 {pack.pension_age} 岁")
            )

    names = _json_names()
    for key in pack.sources:
        if key not in names:
            problems.append((f"sources.{key}", "不是策略包中的字段名，无法对应来源说明"))
    return problems


def _subsidy_problems(pack: PolicyPack) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    tiers = set(pack.tier_amounts)
    rows = {row.tier: (index, row) for index, row in enumerate(pack.subsidy_schedule)}
    for tier_fen, (index, _row) in rows.items():
        if tier_fen not in tiers:
            problems.append(
                (f"subsidy_schedule[{index}].tier_yuan", f"tiers 中没有 {format_yuan(tier_fen)} 元这个档次")
            )
    missing = [format_yuan(tier_fen) for tier_fen in pack.tier_amounts if tier_fen not in rows]
    if missing:
        problems.append(("subsidy_schedule", f"缺少这些档次的补贴标准：{'、'.join(missing)} 元"))

    previous: tuple[int, int] | None = None  # (tier, total) of the next lower tier that has a row
    for tier_fen in pack.tier_amounts:
        if tier_fen not in rows:
            continue
        index, row = rows[tier_fen]
        total = row.split.total
        path = f"subsidy_schedule[{index}]"
        if tier_fen == pack.lowest_tier and total < MIN_SUBSIDY_LOWEST_TIER_FEN:
            problems.append(
                (
                    path,
                    f"最低档次 {format_yuan(tier_fen)} 元的补贴合计 {format_yuan(total)} 元，"
                    f"低于国家规定的 {format_yuan(MIN_SUBSIDY_LOWEST_TIER_FEN)} 元",
                )
            )
        if tier_fen >= TIER_500_FEN and total < MIN_SUBSIDY_FROM_500_FEN:
            problems.append(
                (
                    path,
                    f"{format_yuan(tier_fen)} 元档次的补贴合计 {format_yuan(total)} 元，"
                    f"低于国家规定的 500 元及以上档次至少 {format_yuan(MIN_SUBSIDY_FROM_500_FEN)} 元",
                )
            )
        if previous is not None and total < previous[1]:
            problems.append(
                (
                    path,
                    f"{format_yuan(tier_fen)} 元档次的补贴 {format_yuan(total)} 元低于较低的 "
                    f"{format_yuan(previous[0])} 元档次（{format_yuan(previous[1])} 元）；多缴应多补",
                )
            )
        previous = (tier_fen, total)
    return problems


def _duplicates(values: Sequence[object], field: str, key: str, what: str) -> list[tuple[str, str]]:
    seen: dict[object, int] = {}
    problems: list[tuple[str, str]] = []
    for index, value in enumerate(values):
        if value in seen:
            shown = format_yuan(value) + " 元" if key.endswith("_yuan") and isinstance(value, int) else value
            problems.append((f"{field}[{index}].{key}", f"{what} {shown} 与 {field}[{seen[value]}] 重复"))
        else:
            seen[value] = index
    return problems


def _path(loc: tuple[int | str, ...]) -> str:
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else str(part)
    return path


_REASONS: dict[str, str] = {
    "missing": "缺少此字段",
    "extra_forbidden": "不认识这个字段（是否拼写错误？）",
    "int_type": "必须是整数",
    "int_parsing": "必须是整数",
    "int_from_float": "必须是整数",
    "bool_type": "必须是 true 或 false",
    "bool_parsing": "必须是 true 或 false",
    "string_type": "必须是带引号的文字",
    "string_too_short": "不能为空",
    "string_pattern_mismatch": "格式不对（不能有空格；id 只能用小写字母、数字、点、横线和下划线）",
    "date_type": '必须是日期，格式为 "YYYY-MM-DD"',
    "date_parsing": '必须是日期，格式为 "YYYY-MM-DD"',
    "date_from_datetime_parsing": '必须是真实的日期，格式为 "YYYY-MM-DD"',
    "date_from_datetime_inexact": '必须是日期，格式为 "YYYY-MM-DD"（不带时间）',
    "tuple_type": "必须是列表 […]",
    "list_type": "必须是列表 […]",
    "dict_type": "必须是一个对象 {…}",
    "model_type": "必须是一个对象 {…}",
    "model_attributes_type": "必须是一个对象 {…}",
}


def _reason(error: Any) -> str:
    kind = error["type"]
    ctx = error.get("ctx") or {}
    if kind == "value_error" and "error" in ctx:
        return str(ctx["error"])
    if kind == "too_short":
        return f"至少要有 {ctx.get('min_length', 1)} 项"
    if kind == "greater_than_equal":
        return f"不能小于 {ctx.get('ge')}"
    if kind == "greater_than":
        return f"必须大于 {ctx.get('gt')}"
    if kind == "less_than_equal":
        return f"不能大于 {ctx.get('le')}"
    if kind == "less_than":
        return f"必须小于 {ctx.get('lt')}"
    if kind == "literal_error":
        return f"只能是 {ctx.get('expected')}"
    return _REASONS.get(kind, str(error["msg"]))
