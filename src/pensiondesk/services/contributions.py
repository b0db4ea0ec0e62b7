"""Contributions (缴费): quote, collect, reverse and correct; the unpaid list (催缴名单); the benefit estimator (算账).

Rules (domain.md §4–§7), each checked before anything is written:

* **One tier per person per natural year.** A second contribution for the same year is refused unless the first
  was reversed (冲正). A paid contribution is never edited: a correction is a reversal (a new record with every
  amount negated, ``reverses_id`` pointing at the original) plus a new record, both audited
  (sync-protocol.md §10).
* **Tiers come from the policy pack in force**; a tier reserved for hardship groups (``allowed_categories``) is
  refused for anyone outside them, naming the groups.
* **Amounts from the pack**, shown before confirming (:func:`quote_contribution`): the subsidy of the tier by
  level (省/市/县级补贴), the government-paid amount for hardship categories (政府代缴) and the collective
  subsidy (集体补助).
* **政府代缴 reduces what the person pays, never below zero.** domain.md §4 says the government pays “part or all
  of the minimum-tier contribution” for hardship groups, and §6 credits the 代缴 amount to the account as a source
  of its own. So the person pays ``tier − 代缴`` (a 特困 person with 100 元 代缴 choosing the 300 元 tier pays
  200 元; choosing the 100 元 tier pays nothing), the account is credited ``tier + subsidy + collective``. A
  person in several groups gets the largest single 代缴, never a sum (§4: counted once). When nothing is left to
  pay no village receipt is written.
* **Catch-up years (补缴)**, any year before the current one, need the township's approval reference and earn no
  subsidy, no 代缴 and no collective subsidy (§5: “earns no subsidy in all local rules found”): the person pays the
  whole tier. Years after the current one (预缴) and years before the person turned 16 are refused.
* **Payer** (缴费人): the person (本人), a relative (亲属代缴) or someone else, with the payer's name.
* **Channel**: cash at the village gets the next number of the collector's open receipt book; bank and
  tax-bureau payments are recorded without a village receipt.
* Who may pay: persons contributing (参保缴费), or not yet enrolled with a registration on file (a new enrollee's
  first payment). Pensioners, suspended and terminated persons are refused with the reason.

The estimator (:func:`estimate_benefits`) projects, for each tier side by side, the yearly cost to the person,
the subsidies, the personal account balance at the pension age under the pack's interest rates, and the monthly
pension (basic pension in force today + balance ÷ 139), with the method written next to the figures.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from pensiondesk.domain.codes import PayerKind, PaymentChannel, PersonStatus, ReceiptStatus, ReviewState
from pensiondesk.domain.idnumber import InvalidIdNumber, normalize, parse
from pensiondesk.domain.money import format_yuan
from pensiondesk.domain.pension import (
    AccountCredit,
    CreditKind,
    YearMonth,
    account_pension,
    age_on,
    benefit_start_month,
    birthday_at_age,
    projected_balance,
    yearly_credits,
)
from pensiondesk.domain.policy import PolicyLookupError, PolicyPack, SubsidySplit
from pensiondesk.services.people import policy_pack_in_force
from pensiondesk.services.people_types import Problem, ServiceError
from pensiondesk.services.receipts import (
    is_day_closed,
    issue_receipt,
    receipt_label,
    void_receipt,
)
from pensiondesk.services.recording import Actor, record_change, snapshot
from pensiondesk.store.models import (
    AccountBalance,
    Contribution,
    Household,
    Person,
    PersonCategory,
    Receipt,
    Registration,
    Setting,
    Village,
    VillagerGroup,
)

__all__ = [
    "MIN_AGE",
    "PAY_MONTH",
    "BenefitEstimate",
    "CollectResult",
    "ContributionLine",
    "ContributionQuote",
    "ContributorCard",
    "HouseholdMember",
    "ReversalResult",
    "TierEstimate",
    "UnpaidList",
    "UnpaidRow",
    "active_contribution",
    "collect_contribution",
    "contribution_history",
    "contributor_card",
    "correct_contribution",
    "estimate_benefits",
    "estimate_for_person",
    "find_contributors",
    "quote_contribution",
    "record_reversal",
    "reverse_contribution",
    "tier_text",
    "unpaid_list",
    "write_unpaid_xlsx",
]

#: Youngest age at which one may contribute (domain.md §3).
MIN_AGE = 16
#: Month in which the estimator assumes the yearly contribution is credited (the campaigns run to 30 June).
PAY_MONTH = 6
_PAYABLE = (PersonStatus.CONTRIBUTING,)
_STATUS_REFUSAL = {
    PersonStatus.RECEIVING: "已按月领取待遇，不再缴费",
    PersonStatus.SUSPENDED: "待遇已暂停（暂停发放），不能缴费",
    PersonStatus.TERMINATED: "已终止参保，不能缴费",
}


def _today(on: date | None) -> date:
    return on or date.today()


def _refuse(message: str, field_name: str = "") -> ServiceError:
    return ServiceError([Problem(field_name, message)])


def _yuan(fen: int) -> str:
    return f"{format_yuan(fen)} 元"


def tier_text(fen: int) -> str:
    """A tier as people say it: 300 (whole yuan without decimals), 300.50 otherwise."""
    whole, cents = divmod(fen, 100)
    return str(whole) if not cents else format_yuan(fen, grouping=False)


def _tiers_text(tiers: Iterable[int]) -> str:
    return "、".join(tier_text(t) for t in tiers) + " 元"


# --- who and what ---------------------------------------------------------------------------------------------------


def _categories_on(session: Session, person_id: str, on: date) -> tuple[str, ...]:
    """The person's 参保身份 codes valid on ``on``."""
    rows = session.scalars(
        select(PersonCategory.category_code).where(
            PersonCategory.person_id == person_id,
            (PersonCategory.valid_from.is_(None)) | (PersonCategory.valid_from <= on),
            (PersonCategory.valid_to.is_(None)) | (PersonCategory.valid_to >= on),
        )
    )
    return tuple(sorted(set(rows)))


def _reversed_ids(session: Session, person_id: str) -> set[str]:
    return set(
        session.scalars(
            select(Contribution.reverses_id).where(
                Contribution.person_id == person_id, Contribution.reverses_id.is_not(None)
            )
        )
    )


def active_contribution(session: Session, person_id: str, year: int) -> Contribution | None:
    """The person's standing contribution for ``year``: an original record that has not been reversed."""
    reversal = aliased(Contribution)
    return session.scalar(
        select(Contribution)
        .outerjoin(reversal, reversal.reverses_id == Contribution.id)
        .where(
            Contribution.person_id == person_id,
            Contribution.year == year,
            Contribution.reverses_id.is_(None),
            reversal.id.is_(None),
        )
        .limit(1)
    )


def _issued_receipt(session: Session, contribution_id: str) -> Receipt | None:
    return session.scalar(
        select(Receipt).where(Receipt.contribution_id == contribution_id, Receipt.status == ReceiptStatus.ISSUED)
    )


def _may_pay(session: Session, person: Person) -> str | None:
    """Why ``person`` cannot pay, or ``None``."""
    if person.status in _PAYABLE:
        return None
    if person.status is PersonStatus.NOT_ENROLLED:
        registered = session.scalar(
            select(Registration.id).where(
                Registration.person_id == person.id, Registration.review_state != ReviewState.RETURNED
            )
        )
        return None if registered else "尚未参保登记：请先办理参保登记，再收缴费用"
    return _STATUS_REFUSAL.get(person.status, f"参保状态为“{person.status.label}”，不能缴费")


@dataclass(frozen=True)
class ContributionLine:
    """One contribution of a person, for the history list; reversals show negative amounts."""

    id: str
    year: int
    tier_fen: int
    personal_fen: int
    credited_fen: int
    paid_on: date
    channel: PaymentChannel
    payer_name: str
    is_catch_up: bool
    is_reversal: bool
    reversed: bool
    receipt_label: str | None


def _line(session: Session, contribution: Contribution, reversed_ids: set[str]) -> ContributionLine:
    receipt = session.scalar(
        select(Receipt)
        .where(Receipt.contribution_id == contribution.id)
        .order_by(Receipt.status != ReceiptStatus.ISSUED, Receipt.number.desc())
        .limit(1)
    )
    return ContributionLine(
        id=contribution.id,
        year=contribution.year,
        tier_fen=contribution.tier_fen,
        personal_fen=contribution.personal_fen,
        credited_fen=_credited(contribution),
        paid_on=contribution.paid_on,
        channel=contribution.channel,
        payer_name=contribution.payer_name or "",
        is_catch_up=contribution.is_catch_up,
        is_reversal=contribution.reverses_id is not None,
        reversed=contribution.id in reversed_ids,
        receipt_label=receipt_label(receipt.series, receipt.number) if receipt is not None else None,
    )


def _credited(c: Contribution) -> int:
    return (
        c.personal_fen
        + c.subsidy_province_fen
        + c.subsidy_city_fen
        + c.subsidy_county_fen
        + c.government_paid_fen
        + c.collective_fen
    )


def contribution_history(session: Session, person_id: str) -> list[ContributionLine]:
    """Every contribution record of the person, newest year first (reversals next to what they reverse)."""
    reversed_ids = _reversed_ids(session, person_id)
    rows = session.scalars(
        select(Contribution)
        .where(Contribution.person_id == person_id)
        .order_by(Contribution.year.desc(), Contribution.created_at)
    )
    return [_line(session, row, reversed_ids) for row in rows]


@dataclass(frozen=True)
class HouseholdMember:
    """A member of the payer's household, as shown beside the collection form."""

    person_id: str
    name: str
    relation: str
    age: int
    status: str
    paid_tier_fen: int | None  # this year's standing contribution, if any


@dataclass(frozen=True)
class ContributorCard:
    """The person found in the collection flow (收款): who they are, their household and what they may pay."""

    person_id: str
    name: str
    sex: str
    birth_date: date
    age: int
    id_number: str
    group_name: str
    status: PersonStatus
    categories: tuple[tuple[str, str], ...]  # (code, name)
    household: tuple[HouseholdMember, ...]
    paid_this_year: ContributionLine | None
    last_tier_fen: int | None
    allowed_tiers: tuple[int, ...]
    default_tier_fen: int | None
    government_paid_fen: int
    refusal: str | None  # why this person cannot pay, or None

    @property
    def can_pay(self) -> bool:
        return self.refusal is None and self.paid_this_year is None


def find_contributors(session: Session, text: str, *, limit: int = 20) -> list[Person]:
    """Persons an ID typed or pasted in the collection flow names: a full 公民身份号码 (15 or 18 digits), or its
    last 4–17 digits. An empty list when nothing matches; several when a tail is ambiguous.
    """
    typed = normalize(text)
    if not typed:
        return []
    if len(typed) in (15, 18):
        try:
            number = parse(typed).number
        except InvalidIdNumber as error:
            raise _refuse(error.message, "id_number") from None
        person = session.scalar(select(Person).where(Person.id_number == number))
        return [person] if person is not None else []
    if not (4 <= len(typed) <= 17 and typed[:-1].isdigit() and (typed[-1].isdigit() or typed[-1] == "X")):
        raise _refuse("请输入 18 位身份证号，或身份证号的后 4 位以上", "id_number")
    reversed_tail = typed[::-1]
    return list(
        session.scalars(
            select(Person)
            .where(Person.id_number_rev.startswith(reversed_tail, autoescape=True))
            .order_by(Person.name)
            .limit(limit)
        )
    )


def contributor_card(session: Session, person_id: str, year: int, *, on: date | None = None) -> ContributorCard:
    """Everything the collection form shows about a person for ``year``."""
    day = _today(on)
    person = session.get(Person, person_id)
    if person is None:
        raise _refuse("找不到这个人")
    pack = policy_pack_in_force(session, day)
    codes = _categories_on(session, person.id, day)
    categories = tuple((code, _category_name(pack, code)) for code in codes)
    group = session.get(VillagerGroup, person.group_id) if person.group_id else None
    members: list[HouseholdMember] = []
    if person.household_id:
        others = session.scalars(
            select(Person).where(Person.household_id == person.household_id).order_by(Person.birth_date)
        ).all()
        paid = dict(
            session.execute(
                select(Contribution.person_id, Contribution.tier_fen).where(
                    Contribution.person_id.in_([p.id for p in others]),
                    Contribution.year == year,
                    Contribution.reverses_id.is_(None),
                    Contribution.id.not_in(
                        select(Contribution.reverses_id).where(Contribution.reverses_id.is_not(None))
                    ),
                )
            ).all()
        )
        members = [
            HouseholdMember(
                person_id=other.id,
                name=other.name,
                relation=other.relation.label if other.relation else "",
                age=age_on(other.birth_date, day) if other.birth_date <= day else 0,
                status=other.status.label,
                paid_tier_fen=paid.get(other.id),
            )
            for other in others
        ]
    standing = active_contribution(session, person.id, year)
    paid_line = _line(session, standing, set()) if standing is not None else None
    last_tier = session.scalar(
        select(Contribution.tier_fen)
        .where(Contribution.person_id == person.id, Contribution.reverses_id.is_(None), Contribution.year < year)
        .order_by(Contribution.year.desc())
        .limit(1)
    )
    try:
        allowed = pack.tiers_for(codes)
        government = pack.government_paid_for(codes)
    except PolicyLookupError as error:
        raise _refuse(error.message) from None
    default = last_tier if last_tier in allowed else (allowed[0] if allowed else None)
    return ContributorCard(
        person_id=person.id,
        name=person.name,
        sex=person.sex.label,
        birth_date=person.birth_date,
        age=age_on(person.birth_date, day) if person.birth_date <= day else 0,
        id_number=person.id_number,
        group_name=group.name if group else "",
        status=person.status,
        categories=categories,
        household=tuple(members),
        paid_this_year=paid_line,
        last_tier_fen=last_tier,
        allowed_tiers=allowed,
        default_tier_fen=default,
        government_paid_fen=government,
        refusal=_may_pay(session, person),
    )


def _category_name(pack: PolicyPack, code: str) -> str:
    try:
        return pack.category(code).name
    except PolicyLookupError:
        return code


# --- quote ----------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ContributionQuote:
    """What a contribution will be (缴费测算), shown before the coordinator confirms; amounts in fen."""

    person_id: str
    person_name: str
    year: int
    tier_fen: int
    personal_fen: int  # 个人实缴 (what the payer hands over)
    subsidy: SubsidySplit  # 缴费补贴 by level
    government_paid_fen: int  # 政府代缴
    collective_fen: int  # 集体补助
    is_catch_up: bool  # 补缴
    categories: tuple[str, ...]
    pack_id: str
    pack_version: int
    notes: tuple[str, ...] = ()

    @property
    def credited_fen(self) -> int:
        """记入个人账户: personal + subsidy + 代缴 + collective."""
        return self.personal_fen + self.subsidy.total + self.government_paid_fen + self.collective_fen

    def lines(self) -> list[tuple[str, str]]:
        """The quote as (label, amount) lines, in the order a receipt lists them."""
        return [
            ("缴费档次", _yuan(self.tier_fen)),
            ("政府代缴", _yuan(self.government_paid_fen)),
            ("个人应缴", _yuan(self.personal_fen)),
            ("省级补贴", _yuan(self.subsidy.province)),
            ("市级补贴", _yuan(self.subsidy.city)),
            ("县级补贴", _yuan(self.subsidy.county)),
            ("集体补助", _yuan(self.collective_fen)),
            ("记入个人账户", _yuan(self.credited_fen)),
        ]


def _quote(session: Session, person: Person, year: int, tier_fen: int, day: date) -> ContributionQuote:
    pack = policy_pack_in_force(session, day)
    problems: list[Problem] = []
    refusal = _may_pay(session, person)
    if refusal:
        problems.append(Problem("person", f"{person.name}{refusal}"))
    if year > day.year:
        problems.append(Problem("year", f"不能预缴 {year} 年度的费用：只能缴纳本年度（{day.year}）或补缴以前年度"))
    if year < person.birth_date.year + MIN_AGE:
        problems.append(Problem("year", f"{person.name} 在 {year} 年未满 {MIN_AGE} 周岁，不能缴纳该年度的费用"))
    standing = active_contribution(session, person.id, year)
    if standing is not None:
        receipt = _issued_receipt(session, standing.id)
        where = f"，收据 {receipt_label(receipt.series, receipt.number)}" if receipt else ""
        problems.append(
            Problem(
                "year",
                f"{person.name} 的 {year} 年度已缴费（{tier_text(standing.tier_fen)} 元档{where}）；"
                "同一年度只能缴一次，如需更正请先冲正原记录",
            )
        )
    codes = _categories_on(session, person.id, day)
    try:
        allowed = pack.tiers_for(codes)
        government_max = pack.government_paid_for(codes)
    except PolicyLookupError as error:
        raise _refuse(error.message) from None
    if tier_fen not in pack.tier_amounts:
        problems.append(
            Problem("tier", f"策略包中没有 {tier_text(tier_fen)} 元这个缴费档次；可选档次：{_tiers_text(allowed)}")
        )
    elif tier_fen not in allowed:
        tier = next(t for t in pack.tiers if t.amount == tier_fen)
        groups = "、".join(_category_name(pack, code) for code in tier.allowed_categories or ())
        own = "、".join(_category_name(pack, code) for code in codes) or "普通（无特殊参保身份）"
        problems.append(
            Problem(
                "tier",
                f"{tier_text(tier_fen)} 元档次只限 {groups} 选择；{person.name} 的参保身份是 {own}，"
                f"可选档次：{_tiers_text(allowed)}",
            )
        )
    if problems:
        raise ServiceError(problems)
    catch_up = year < day.year
    notes: list[str] = []
    if catch_up:
        # domain.md §5: catch-up years earn no subsidy; the person pays the whole tier (no 代缴, no collective).
        subsidy, government, collective = SubsidySplit(), 0, 0
        notes.append(f"{year} 年度为补缴：不享受缴费补贴、政府代缴和集体补助，须经乡镇审批")
    else:
        subsidy = pack.subsidy_for(tier_fen)
        government = min(government_max, tier_fen)
        collective = pack.collective_fen
        if government:
            notes.append(f"政府代缴 {_yuan(government)}，个人只需缴 {_yuan(tier_fen - government)}")
    return ContributionQuote(
        person_id=person.id,
        person_name=person.name,
        year=year,
        tier_fen=tier_fen,
        personal_fen=tier_fen - government,
        subsidy=subsidy,
        government_paid_fen=government,
        collective_fen=collective,
        is_catch_up=catch_up,
        categories=codes,
        pack_id=pack.id,
        pack_version=pack.version,
        notes=tuple(notes),
    )


def _person(session: Session, person_id: str) -> Person:
    person = session.get(Person, person_id)
    if person is None:
        raise _refuse("找不到这个人", "person")
    return person


def quote_contribution(
    session: Session, person_id: str, year: int, tier_fen: int, *, on: date | None = None
) -> ContributionQuote:
    """缴费测算: what paying ``tier_fen`` for ``year`` means for the person, or why it is refused."""
    return _quote(session, _person(session, person_id), year, tier_fen, _today(on))


# --- collect --------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CollectResult:
    """A recorded contribution, its receipt (``None`` for non-cash or nothing to pay) and the quote it followed."""

    contribution: Contribution
    receipt: Receipt | None
    quote: ContributionQuote

    @property
    def receipt_label(self) -> str | None:
        return receipt_label(self.receipt.series, self.receipt.number) if self.receipt is not None else None


def collect_contribution(
    session: Session,
    actor: Actor,
    *,
    person_id: str,
    year: int,
    tier_fen: int,
    payer_kind: PayerKind = PayerKind.SELF,
    payer_name: str | None = None,
    channel: PaymentChannel = PaymentChannel.VILLAGE_CASH,
    catch_up_approval_ref: str | None = None,
    received_fen: int | None = None,
    on: date | None = None,
) -> CollectResult:
    """收款: record the person's contribution for ``year`` at ``tier_fen`` and, for cash, issue the next receipt.

    ``received_fen`` is the amount the coordinator confirmed (typed); it must equal what the person owes.
    A relative or other payer needs a name. Catch-up years need ``catch_up_approval_ref``.
    """
    day = _today(on)
    person = _person(session, person_id)
    quote = _quote(session, person, year, tier_fen, day)
    problems: list[Problem] = []
    name = " ".join((payer_name or "").split()) or None
    if payer_kind is PayerKind.SELF:
        name = person.name
    elif not name:
        problems.append(Problem("payer_name", f"{payer_kind.label}时请填写缴费人姓名"))
    elif len(name) > 64:
        problems.append(Problem("payer_name", "缴费人姓名太长"))
    approval = " ".join((catch_up_approval_ref or "").split()) or None
    if quote.is_catch_up and not approval:
        problems.append(
            Problem("catch_up_approval_ref", f"{year} 年度为补缴，须先经乡镇审批：请填写审批文号（审批编号）")
        )
    if approval and not quote.is_catch_up:
        approval = None  # only catch-up years carry an approval
    if received_fen is not None and received_fen != quote.personal_fen:
        problems.append(
            Problem("received", f"实收金额 {_yuan(received_fen)} 与应缴金额 {_yuan(quote.personal_fen)} 不一致")
        )
    if problems:
        raise ServiceError(problems)
    contribution = Contribution(
        person_id=person.id,
        year=year,
        tier_fen=tier_fen,
        personal_fen=quote.personal_fen,
        subsidy_province_fen=quote.subsidy.province,
        subsidy_city_fen=quote.subsidy.city,
        subsidy_county_fen=quote.subsidy.county,
        government_paid_fen=quote.government_paid_fen,
        collective_fen=quote.collective_fen,
        payer_kind=payer_kind,
        payer_name=name,
        channel=channel,
        is_catch_up=quote.is_catch_up,
        catch_up_approval_ref=approval,
        paid_on=day,
        policy_pack_id=quote.pack_id,
        policy_pack_version=quote.pack_version,
        created_by=actor.username,
        updated_by=actor.username,
    )
    session.add(contribution)
    session.flush()
    receipt = None
    if channel is PaymentChannel.VILLAGE_CASH and quote.personal_fen > 0:
        receipt = issue_receipt(session, actor, contribution, amount_fen=quote.personal_fen, on=day)
    record_change(
        session,
        actor=actor,
        action="contribution.collect",
        entity_type="contribution",
        entity_id=contribution.id,
        before=None,
        after=snapshot(contribution),
        reason=approval,
    )
    return CollectResult(contribution, receipt, quote)


# --- reverse and correct --------------------------------------------------------------------------------------------


def record_reversal(
    session: Session, actor: Actor, original: Contribution, *, reason: str, on: date | None = None
) -> Contribution:
    """The reversing record (冲正记录) of ``original``: every amount negated, ``reverses_id`` set, audited.

    Low level: the receipt is the caller's business (``void_receipt`` calls this after voiding it). Use
    :func:`reverse_contribution` from a face.
    """
    if original.reverses_id is not None:
        raise _refuse("这是一条冲正记录，不能再冲正")
    if original.id in _reversed_ids(session, original.person_id):
        raise _refuse("这条缴费记录已经冲正过了")
    reversal = Contribution(
        person_id=original.person_id,
        year=original.year,
        tier_fen=original.tier_fen,
        personal_fen=-original.personal_fen,
        subsidy_province_fen=-original.subsidy_province_fen,
        subsidy_city_fen=-original.subsidy_city_fen,
        subsidy_county_fen=-original.subsidy_county_fen,
        government_paid_fen=-original.government_paid_fen,
        collective_fen=-original.collective_fen,
        payer_kind=original.payer_kind,
        payer_name=original.payer_name,
        channel=original.channel,
        is_catch_up=original.is_catch_up,
        catch_up_approval_ref=original.catch_up_approval_ref,
        paid_on=_today(on),
        policy_pack_id=original.policy_pack_id,
        policy_pack_version=original.policy_pack_version,
        reverses_id=original.id,
        created_by=actor.username,
        updated_by=actor.username,
    )
    session.add(reversal)
    session.flush()
    record_change(
        session,
        actor=actor,
        action="contribution.reverse",
        entity_type="contribution",
        entity_id=reversal.id,
        before=None,
        after=snapshot(reversal),
        reason=reason,
    )
    return reversal


@dataclass(frozen=True)
class ReversalResult:
    """A reversal (冲正) and the receipt it voided, if the contribution had one."""

    reversal: Contribution
    voided_receipt: Receipt | None


def reverse_contribution(
    session: Session, actor: Actor, contribution_id: str, reason: str, *, on: date | None = None
) -> ReversalResult:
    """冲正: reverse a contribution with ``reason``. Its issued receipt, if any, is voided in the same transaction.

    Refused when that receipt lies in a closed day (the cash has been handed over; a refund goes through the
    county).
    """
    text = " ".join((reason or "").split())
    if not text:
        raise _refuse("请填写冲正原因", "reason")
    original = session.get(Contribution, contribution_id)
    if original is None:
        raise _refuse("找不到这条缴费记录")
    receipt = _issued_receipt(session, original.id)
    if receipt is not None:
        label = receipt_label(receipt.series, receipt.number)
        if is_day_closed(session, receipt.day, receipt.collector):
            raise _refuse(
                f"收据 {label} 所在的 {receipt.day.isoformat()} 已日结，现金已经交出，不能在村里冲正；"
                "退费请按县社保局的退费流程办理"
            )
        result = void_receipt(session, actor, label, text, on=on)
        assert result.reversal is not None
        return ReversalResult(result.reversal, result.receipt)
    return ReversalResult(record_reversal(session, actor, original, reason=text, on=on), None)


def correct_contribution(
    session: Session,
    actor: Actor,
    contribution_id: str,
    reason: str,
    *,
    tier_fen: int | None = None,
    year: int | None = None,
    payer_kind: PayerKind | None = None,
    payer_name: str | None = None,
    channel: PaymentChannel | None = None,
    catch_up_approval_ref: str | None = None,
    on: date | None = None,
) -> tuple[ReversalResult, CollectResult]:
    """更正: reverse a contribution and record the corrected one (another tier, year, payer or channel), both
    audited, in one transaction. Unchanged fields are taken from the original.
    """
    original = session.get(Contribution, contribution_id)
    if original is None:
        raise _refuse("找不到这条缴费记录")
    reversal = reverse_contribution(session, actor, contribution_id, f"更正：{reason}", on=on)
    kind = payer_kind or original.payer_kind
    collected = collect_contribution(
        session,
        actor,
        person_id=original.person_id,
        year=year if year is not None else original.year,
        tier_fen=tier_fen if tier_fen is not None else original.tier_fen,
        payer_kind=kind,
        payer_name=payer_name if payer_name is not None else original.payer_name,
        channel=channel or original.channel,
        catch_up_approval_ref=catch_up_approval_ref or original.catch_up_approval_ref,
        on=on,
    )
    return reversal, collected


# --- unpaid list ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class UnpaidRow:
    """One enrolled contributor without a standing contribution for the year (催缴名单的一行)."""

    person_id: str
    group_name: str
    name: str
    sex: str
    birth_date: date
    age: int
    id_number: str
    household_head: str
    phone: str
    last_tier_fen: int | None
    last_paid_year: int | None
    categories: str


@dataclass(frozen=True)
class UnpaidList:
    """催缴名单: who has not paid ``year`` yet, by villager group; with the counts behind 缴费率."""

    year: int
    village_name: str
    as_of: date
    rows: list[UnpaidRow]
    contributors: int  # enrolled contributors counted
    paid: int

    def by_group(self) -> list[tuple[str, list[UnpaidRow]]]:
        groups: dict[str, list[UnpaidRow]] = {}
        for row in self.rows:
            groups.setdefault(row.group_name, []).append(row)
        return list(groups.items())

    @property
    def payment_rate(self) -> Decimal:
        """缴费率 in percent, one decimal."""
        if not self.contributors:
            return Decimal(0)
        return (Decimal(self.paid) * 100 / self.contributors).quantize(Decimal("0.1"))


def unpaid_list(session: Session, year: int, *, group_id: str | None = None, on: date | None = None) -> UnpaidList:
    """The unpaid list (催缴名单) for ``year``: enrolled contributors (参保缴费) who have no standing contribution.

    Persons who reached the pension age before the year began are left out (they no longer pay). Ordered by
    villager group, then household and name, so the list follows the coordinator's round of the village.
    """
    day = _today(on)
    pack = policy_pack_in_force(session, day)
    head = aliased(Person)
    query = (
        select(Person, VillagerGroup.name, VillagerGroup.sort_order, head.name)
        .outerjoin(VillagerGroup, VillagerGroup.id == Person.group_id)
        .outerjoin(Household, Household.id == Person.household_id)
        .outerjoin(head, head.id == Household.head_person_id)
        .where(Person.status == PersonStatus.CONTRIBUTING)
    )
    if group_id is not None:
        query = query.where(Person.group_id == group_id)
    reversed_ids = select(Contribution.reverses_id).where(Contribution.reverses_id.is_not(None))
    paid_ids = set(
        session.scalars(
            select(Contribution.person_id).where(
                Contribution.year == year, Contribution.reverses_id.is_(None), Contribution.id.not_in(reversed_ids)
            )
        )
    )
    last = dict(
        (person_id, (tier, paid_year))
        for person_id, tier, paid_year in session.execute(
            select(Contribution.person_id, Contribution.tier_fen, Contribution.year)
            .where(Contribution.year < year, Contribution.reverses_id.is_(None), Contribution.id.not_in(reversed_ids))
            .order_by(Contribution.year)
        )
    )
    categories: dict[str, list[str]] = {}
    for person_id, code in session.execute(select(PersonCategory.person_id, PersonCategory.category_code)):
        categories.setdefault(person_id, []).append(_category_name(pack, code))
    first_day = date(year, 1, 1)
    rows: list[tuple[tuple[int, str, str, str], UnpaidRow]] = []
    contributors = paid = 0
    for person, group_name, sort_order, head_name in session.execute(query):
        if birthday_at_age(person.birth_date, pack.pension_age) < first_day:
            continue
        contributors += 1
        if person.id in paid_ids:
            paid += 1
            continue
        tier, paid_year = last.get(person.id, (None, None))
        row = UnpaidRow(
            person_id=person.id,
            group_name=group_name or "未分村民小组",
            name=person.name,
            sex=person.sex.label,
            birth_date=person.birth_date,
            age=age_on(person.birth_date, day) if person.birth_date <= day else 0,
            id_number=person.id_number,
            household_head=head_name or "",
            phone=person.phone or "",
            last_tier_fen=tier,
            last_paid_year=paid_year,
            categories="、".join(categories.get(person.id, [])),
        )
        rows.append(
            ((sort_order if sort_order is not None else 10**6, group_name or "", head_name or "", person.name), row)
        )
    rows.sort(key=lambda item: item[0])
    return UnpaidList(
        year=year,
        village_name=_village_name(session),
        as_of=day,
        rows=[row for _, row in rows],
        contributors=contributors,
        paid=paid,
    )


def _village_name(session: Session) -> str:
    village_id = session.scalar(select(Setting.value).where(Setting.key == "village_id"))
    village = session.get(Village, village_id) if isinstance(village_id, str) else None
    return village.name if village else "本村"


def write_unpaid_xlsx(unpaid: UnpaidList, path: Path | str) -> int:
    """Export the unpaid list as .xlsx (full ID numbers as text, for the township); returns the row count."""
    from pensiondesk.sheets.export import ColumnKind, ListColumn, write_list

    columns = (
        ListColumn("序号", 6, ColumnKind.NUMBER),
        ListColumn("村民小组", 14, ColumnKind.TEXT),
        ListColumn("姓名", 10, ColumnKind.TEXT),
        ListColumn("性别", 6, ColumnKind.TEXT),
        ListColumn("年龄", 6, ColumnKind.NUMBER),
        ListColumn("公民身份号码", 21, ColumnKind.TEXT),
        ListColumn("户主姓名", 10, ColumnKind.TEXT),
        ListColumn("联系电话", 14, ColumnKind.TEXT),
        ListColumn("上次缴费年度", 12, ColumnKind.NUMBER),
        ListColumn("上次缴费档次（元）", 16, ColumnKind.TEXT),
        ListColumn("参保身份", 14, ColumnKind.TEXT),
    )
    rows = (
        (
            index,
            row.group_name,
            row.name,
            row.sex,
            row.age,
            row.id_number,
            row.household_head,
            row.phone,
            row.last_paid_year,
            format_yuan(row.last_tier_fen, grouping=False) if row.last_tier_fen is not None else "",
            row.categories,
        )
        for index, row in enumerate(unpaid.rows, start=1)
    )
    return write_list(
        path,
        title=f"{unpaid.village_name}{unpaid.year}年度城乡居保未缴费人员名单（催缴名单）",
        subtitle=(
            f"统计日期：{unpaid.as_of.isoformat()}　参保缴费人员 {unpaid.contributors} 人，已缴 {unpaid.paid} 人，"
            f"未缴 {len(unpaid.rows)} 人，缴费率 {unpaid.payment_rate}%"
        ),
        columns=columns,
        rows=rows,
        sheet_name="催缴名单",
        footer=lambda count: f"共 {count} 人未缴费",
    )


# --- benefit estimator ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TierEstimate:
    """One tier of the estimate (算账的一列); amounts in fen."""

    tier_fen: int
    personal_per_year_fen: int  # 每年个人缴
    subsidy_per_year_fen: int  # 每年政府补贴
    government_paid_per_year_fen: int  # 每年政府代缴
    collective_per_year_fen: int  # 每年集体补助
    years: int  # future paying years
    balance_fen: int  # projected account balance at the pension age
    basic_fen: int  # basic pension (with top-ups) per month
    account_pension_fen: int  # balance ÷ divisor per month

    @property
    def credited_per_year_fen(self) -> int:
        return (
            self.personal_per_year_fen
            + self.subsidy_per_year_fen
            + self.government_paid_per_year_fen
            + self.collective_per_year_fen
        )

    @property
    def total_personal_fen(self) -> int:
        return self.personal_per_year_fen * self.years

    @property
    def monthly_pension_fen(self) -> int:
        return self.basic_fen + self.account_pension_fen


@dataclass(frozen=True)
class BenefitEstimate:
    """算账: the tiers side by side for one person (or one birth date), with the assumptions used."""

    birth_date: date
    person_name: str | None
    as_of: date
    first_year: int
    last_year: int  # last paying year (the year before the pension age is reached)
    pension_age: int
    pension_start: YearMonth
    years_already: int
    opening_balance_fen: int
    basic_pension_fen: int
    divisor: int
    rate_text: str
    pack_name: str
    categories: tuple[str, ...]
    tiers: list[TierEstimate]
    warnings: list[str] = field(default_factory=list)

    @property
    def future_years(self) -> int:
        return max(0, self.last_year - self.first_year + 1)

    @property
    def total_years(self) -> int:
        return self.years_already + self.future_years


def _rate_function(pack: PolicyPack, warnings: list[str]) -> tuple[Callable[[int], Decimal], str]:
    known = sorted(pack.interest_rates, key=lambda entry: entry.year)
    if not known:
        warnings.append("策略包没有记账利率，测算不计利息")

    def rate_of(year: int) -> Decimal:
        try:
            return pack.interest_rate(year, fallback_to_latest=True)
        except PolicyLookupError:
            return Decimal(0)

    if known:
        latest = known[-1]
        text = f"今后各年按策略包中最近公布的 {latest.year} 年记账利率 {latest.rate * 100:.2f}% 计算"
    else:
        text = "不计利息"
    return rate_of, text


def estimate_benefits(
    pack: PolicyPack,
    *,
    birth_date: date,
    as_of: date,
    tiers: Sequence[int] | None = None,
    categories: Iterable[str] = (),
    first_year: int | None = None,
    years_already: int = 0,
    opening_balance_fen: int = 0,
    opening_year: int | None = None,
    past_credits: Sequence[AccountCredit] = (),
    person_name: str | None = None,
) -> BenefitEstimate:
    """算账: for each tier, the yearly cost, the subsidies, the balance at the pension age and the monthly pension.

    Method (stated on the printout): the person pays every year from ``first_year`` (default: the year of
    ``as_of``) to the year before the one in which they reach the pension age; each year's money is credited in
    June (:data:`PAY_MONTH`) and earns interest from the month after (``domain.pension.projected_balance``), at the
    pack's rate for the year or the latest published one for future years. ``opening_balance_fen`` is the account
    balance at the start of ``opening_year`` (default ``first_year``) and ``past_credits`` are amounts already
    paid; both count for every tier. The balance is projected to the month of the birthday; the monthly pension is
    the basic pension in force on ``as_of`` (plus the pack's top-ups for long contribution and for the pension
    age) + balance ÷ divisor (139). Future rises of the basic pension are not guessed.
    """
    codes = tuple(sorted(set(categories)))
    start = max(first_year if first_year is not None else as_of.year, birth_date.year + MIN_AGE)
    birthday = birthday_at_age(birth_date, pack.pension_age)
    last = birthday.year - 1
    try:
        allowed = pack.tiers_for(codes)
        government_max = pack.government_paid_for(codes)
    except PolicyLookupError as error:
        raise _refuse(error.message) from None
    chosen = sorted(set(tiers)) if tiers else list(allowed)
    bad = [t for t in chosen if t not in allowed]
    if bad:
        raise _refuse(
            f"这些档次不能选择：{_tiers_text(bad)}；可选档次：{_tiers_text(allowed)}",
            "tiers",
        )
    warnings: list[str] = []
    rate_of, rate_text = _rate_function(pack, warnings)
    future = max(0, last - start + 1)
    total_years = years_already + future
    if birthday <= as_of:
        warnings.append(
            f"已年满 {pack.pension_age} 周岁，不再按年缴费；累计缴费不足 {pack.min_years_for_pension} 年的可按规定补缴"
        )
        until = YearMonth(as_of.year, as_of.month)
    else:
        until = YearMonth(birthday.year, birthday.month)
        if total_years < pack.min_years_for_pension:
            warnings.append(
                f"到 {pack.pension_age} 周岁时累计缴费只有 {total_years} 年，不满 {pack.min_years_for_pension} 年，"
                f"须补缴 {pack.min_years_for_pension - total_years} 年才能按月领取养老金"
            )
    basic = (
        pack.basic_pension_on(as_of) + pack.extra_years_top_up_for(total_years) + pack.age_top_up_for(pack.pension_age)
    )
    past = [credit for credit in past_credits if YearMonth(credit.year, credit.month) <= until]
    results: list[TierEstimate] = []
    for tier in chosen:
        government = min(government_max, tier)
        future_credits = (
            yearly_credits(pack, tier_fen=tier, first_year=start, last_year=last, month=PAY_MONTH, categories=codes)
            if future
            else []
        )
        credits = [*past, *future_credits]
        balance = 0
        if credits or opening_balance_fen:
            balance = projected_balance(
                credits,
                until=until,
                rates=rate_of,
                opening_balance_fen=opening_balance_fen,
                opening_year=(opening_year or start) if opening_balance_fen else None,
            )
        results.append(
            TierEstimate(
                tier_fen=tier,
                personal_per_year_fen=tier - government,
                subsidy_per_year_fen=pack.subsidy_for(tier).total,
                government_paid_per_year_fen=government,
                collective_per_year_fen=pack.collective_fen,
                years=future,
                balance_fen=balance,
                basic_fen=basic,
                account_pension_fen=account_pension(balance, pack.divisor),
            )
        )
    return BenefitEstimate(
        birth_date=birth_date,
        person_name=person_name,
        as_of=as_of,
        first_year=start,
        last_year=last,
        pension_age=pack.pension_age,
        pension_start=benefit_start_month(birth_date, pack.pension_age),
        years_already=years_already,
        opening_balance_fen=opening_balance_fen,
        basic_pension_fen=basic,
        divisor=pack.divisor,
        rate_text=rate_text,
        pack_name=pack.name,
        categories=codes,
        tiers=results,
        warnings=warnings,
    )


def estimate_for_person(
    session: Session, person_id: str, *, tiers: Sequence[int] | None = None, on: date | None = None
) -> BenefitEstimate:
    """算账 for a registered person: their categories (代缴 and reserved tiers), the years already paid and the
    money already in the account.

    The account is the balance last synced from the county (taken at the end of its ``as_of`` year when that is
    31 December, else at the start of it) plus contributions recorded here after that date; without a synced
    balance, every standing contribution recorded here, credited in the month it was paid. When this year is
    already paid, the future years start next year.
    """
    day = _today(on)
    person = _person(session, person_id)
    pack = policy_pack_in_force(session, day)
    codes = _categories_on(session, person.id, day)
    reversed_ids = _reversed_ids(session, person.id)
    standing = [
        c
        for c in session.scalars(
            select(Contribution).where(Contribution.person_id == person.id, Contribution.reverses_id.is_(None))
        )
        if c.id not in reversed_ids
    ]
    first_year = day.year + 1 if any(c.year == day.year for c in standing) else day.year
    years_already = len({c.year for c in standing if c.year < first_year})
    synced = session.get(AccountBalance, person.id)
    opening_year: int | None = None
    if synced is not None:
        opening = synced.balance_fen
        year_end = (synced.as_of.month, synced.as_of.day) == (12, 31)
        opening_year = synced.as_of.year + 1 if year_end else synced.as_of.year
        recorded = [c for c in standing if c.paid_on > synced.as_of]
    else:
        opening = 0
        recorded = standing
    past = [
        AccountCredit(c.paid_on.year, c.paid_on.month, _credited(c), CreditKind.PERSONAL)
        for c in recorded
        if _credited(c) > 0
    ]
    if opening_year is not None and past:
        opening_year = min(opening_year, min(credit.year for credit in past))
    estimate = estimate_benefits(
        pack,
        birth_date=person.birth_date,
        as_of=day,
        tiers=tiers,
        categories=codes,
        first_year=first_year,
        years_already=years_already,
        opening_balance_fen=opening,
        opening_year=opening_year,
        past_credits=past,
        person_name=person.name,
    )
    if synced is not None:
        estimate.warnings.append(
            f"已计入县社保局同步的账户余额 {_yuan(synced.balance_fen)}（截至 {synced.as_of.isoformat()}）"
        )
    return estimate
