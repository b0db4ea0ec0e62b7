"""Demo histories for pensioners (演示用的缴费、待遇、认证、注销记录), on top of a demo village.

:func:`pensiondesk.services.demo.create_demo_village` makes residents with statuses but no history. This adds
what the pensioner pages and notices need to show something real, deterministically from a seed:

* contributions (缴费记录) for contributors over the past years, most of them paid this year, a collective
  subsidy (集体补助) in the first two groups this year, and registrations for those who enrolled this year;
* an approved benefit case (待遇核定) for every pensioner, with a monthly amount and a bank card;
* survival certifications (领取资格认证): most pensioners certified within the cycle, some due within 30 days,
  some overdue, the suspended ones (暂停 1201) certified long ago with the first unpaid month kept;
* a cancellation (注销登记) for each deceased resident (1401) with stop month, overpayment, funeral subsidy and
  offset, heir and review state; account balances (个人账户余额) and two advances (垫付) still owed.

Like the demo village itself these are not captured work: nothing is audited or queued for sync.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from pensiondesk.domain.cancellation import BenefitAtDeath, funeral_settlement, overpayment, stop_month
from pensiondesk.domain.codes import (
    AdvanceState,
    DeathSource,
    PaymentChannel,
    PersonStatus,
    ReviewState,
    Sex,
    SurvivalMethod,
    SurvivalResult,
    SuspensionReason,
    TerminationReason,
)
from pensiondesk.domain.idnumber import check_character
from pensiondesk.domain.names import pinyin_initials
from pensiondesk.domain.pension import YearMonth, benefit_start_month, birthday_at_age
from pensiondesk.domain.policy import PolicyPack
from pensiondesk.domain.survival import cycle_after, month_of
from pensiondesk.resources import load_default_policy_pack
from pensiondesk.store.models import (
    AccountBalance,
    Advance,
    BenefitCase,
    Cancellation,
    Contribution,
    County,
    Person,
    Registration,
    Setting,
    SurvivalCheck,
    Township,
    Village,
    VillagerGroup,
    utcnow,
)

__all__ = ["HistorySummary", "add_resident", "seed_pensioner_histories", "small_village"]

_TIERS = (100_00, 200_00, 200_00, 200_00, 300_00, 300_00, 500_00, 1000_00)
_METHODS = (
    (SurvivalMethod.FACE_SELF_SERVICE, 35),
    (SurvivalMethod.FACE_FAMILY, 15),
    (SurvivalMethod.FACE_COORDINATOR, 15),
    (SurvivalMethod.HOME_VISIT, 15),
    (SurvivalMethod.ON_SITE, 10),
    (SurvivalMethod.ELSEWHERE, 5),
    (SurvivalMethod.DATA_COMPARISON, 5),
)
_CERTIFIERS = {
    SurvivalMethod.FACE_SELF_SERVICE: "本人（手机自助）",
    SurvivalMethod.FACE_FAMILY: "亲属协助",
    SurvivalMethod.FACE_COORDINATOR: "协办员李秀英",
    SurvivalMethod.HOME_VISIT: "协办员李秀英",
    SurvivalMethod.ON_SITE: "协办员李秀英",
    SurvivalMethod.ELSEWHERE: "广州市白云区社保中心",
    SurvivalMethod.DATA_COMPARISON: "县社保局数据比对",
}
_COLLECTIVE_FEN = 50_00
#: The scheme started locally in this year: older pensioners were approved then.
_SCHEME_START = date(2011, 7, 1)
_SEEDER = "demo"


@dataclass
class HistorySummary:
    """What was added."""

    contributions: int = 0
    registrations: int = 0
    benefit_cases: int = 0
    survival_checks: int = 0
    cancellations: int = 0
    account_balances: int = 0
    advances: int = 0


class _Ids:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def __call__(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))


def _stamp(now: Any) -> dict[str, Any]:
    return {"created_at": now, "updated_at": now, "created_by": _SEEDER, "updated_by": _SEEDER}


def _bank_card(rng: random.Random) -> str:
    return "621700" + "".join(rng.choice("0123456789") for _ in range(13))


def _day_between(rng: random.Random, first: date, last: date) -> date:
    if last <= first:
        return first
    return first + timedelta(days=rng.randrange((last - first).days + 1))


def seed_pensioner_histories(
    session: Session, *, as_of: date, seed: int = 1, pack: PolicyPack | None = None
) -> HistorySummary:
    """Add contribution, benefit, certification and cancellation histories to the demo village in ``session``."""
    pack = pack or load_default_policy_pack()
    rng = random.Random(seed)
    new_id = _Ids(rng)
    now = utcnow()
    summary = HistorySummary()
    people = session.execute(
        select(
            Person.id,
            Person.birth_date,
            Person.status,
            Person.status_reason,
            Person.group_id,
            Person.household_id,
            Person.name,
            Person.id_number,
        ).order_by(Person.id_number)
    ).all()
    first_groups = set(session.scalars(select(VillagerGroup.id).order_by(VillagerGroup.sort_order).limit(2)).all())
    by_household: dict[str | None, list[Any]] = {}
    for p in people:
        by_household.setdefault(p.household_id, []).append(p)

    contributions: list[dict[str, Any]] = []
    registrations: list[dict[str, Any]] = []
    cases: list[dict[str, Any]] = []
    checks: list[dict[str, Any]] = []
    cancellations: list[dict[str, Any]] = []
    balances: list[dict[str, Any]] = []
    advances: list[dict[str, Any]] = []
    person_updates: list[dict[str, Any]] = []

    for p in people:
        if p.status is PersonStatus.CONTRIBUTING:
            balance = _contributions(rng, new_id, pack, p, as_of, first_groups, contributions, registrations, now)
            balances.append({"person_id": p.id, "as_of": as_of, "balance_fen": balance, "synced_at": now})
        elif p.status in (PersonStatus.RECEIVING, PersonStatus.SUSPENDED) or (
            p.status is PersonStatus.TERMINATED and p.status_reason == TerminationReason.DEATH.value
        ):
            case = _approved_case(rng, new_id, pack, p, as_of, now)
            cases.append(case)
            card = _bank_card(rng)
            update_row: dict[str, Any] = {"id": p.id, "bank_card": card}
            balance = rng.randrange(0, 9000_00)
            balances.append({"person_id": p.id, "as_of": as_of, "balance_fen": balance, "synced_at": now})
            if p.status is PersonStatus.TERMINATED:
                death = _cancellation(rng, new_id, pack, p, case, balance, by_household, as_of, cancellations, now)
                update_row["status_since"] = death
            else:
                since = _checks(rng, new_id, p, case["approved_on"], as_of, pack, checks, now)
                if since is not None:
                    update_row["status_since"] = since
            person_updates.append(update_row)

    receiving = [p for p in people if p.status is PersonStatus.RECEIVING]
    if receiving:
        advances.append(_advance(new_id, receiving[0].id, 800_00, 300_00, as_of, now))
    if cancellations:
        advances.append(_advance(new_id, cancellations[0]["person_id"], 600_00, 150_00, as_of, now))
        cancellations[0]["advance_owed_fen"] = 600_00 - 150_00

    for table, rows in (
        (Contribution, contributions),
        (Registration, registrations),
        (BenefitCase, cases),
        (SurvivalCheck, checks),
        (Cancellation, cancellations),
        (AccountBalance, balances),
        (Advance, advances),
    ):
        for start in range(0, len(rows), 5000):
            session.execute(insert(table), rows[start : start + 5000])
    if person_updates:
        session.execute(update(Person), person_updates)
    summary.contributions = len(contributions)
    summary.registrations = len(registrations)
    summary.benefit_cases = len(cases)
    summary.survival_checks = len(checks)
    summary.cancellations = len(cancellations)
    summary.account_balances = len(balances)
    summary.advances = len(advances)
    return summary


def _contributions(
    rng: random.Random,
    new_id: _Ids,
    pack: PolicyPack,
    p: Any,
    as_of: date,
    collective_groups: set[str],
    out: list[dict[str, Any]],
    registrations: list[dict[str, Any]],
    now: Any,
) -> int:
    """Contributions of one contributor; returns a rough account balance (sum of credits)."""
    turned_16 = birthday_at_age(p.birth_date, 16).year
    new_this_year = rng.random() < 0.05
    first_year = as_of.year if new_this_year else max(_SCHEME_START.year + 1, turned_16 + rng.randint(0, 4))
    first_year = min(first_year, as_of.year)
    tier = rng.choice(_TIERS)
    balance = 0
    if new_this_year or first_year == as_of.year:
        registrations.append(
            {
                "id": new_id(),
                "person_id": p.id,
                "registered_on": _day_between(rng, date(as_of.year, 1, 2), as_of),
                "category_code": "011",
                "tier_fen": tier,
                "review_state": ReviewState.APPROVED,
                "entered_by": _SEEDER,
                **_stamp(now),
            }
        )
    for year in range(first_year, as_of.year + 1):
        current = year == as_of.year
        if rng.random() > (0.72 if current else 0.88):
            continue
        paid_on = (
            _day_between(rng, date(year, 1, 5), min(as_of, date(year, 11, 30)))
            if current
            else _day_between(rng, date(year, 3, 1), date(year, 11, 30))
        )
        split = pack.subsidy_for(tier)
        collective = _COLLECTIVE_FEN if current and p.group_id in collective_groups else 0
        out.append(
            {
                "id": new_id(),
                "person_id": p.id,
                "year": year,
                "tier_fen": tier,
                "personal_fen": tier,
                "subsidy_province_fen": split.province,
                "subsidy_city_fen": split.city,
                "subsidy_county_fen": split.county,
                "government_paid_fen": 0,
                "collective_fen": collective,
                "channel": PaymentChannel.TAX_BUREAU if rng.random() < 0.6 else PaymentChannel.VILLAGE_CASH,
                "is_catch_up": False,
                "paid_on": paid_on,
                "policy_pack_id": pack.id,
                "policy_pack_version": pack.version,
                **_stamp(now),
            }
        )
        balance += tier + split.total + collective
    return balance


def _approved_case(rng: random.Random, new_id: _Ids, pack: PolicyPack, p: Any, as_of: date, now: Any) -> dict[str, Any]:
    sixty = birthday_at_age(p.birth_date, pack.pension_age)
    approved_on = max(sixty + timedelta(days=rng.randint(12, 40)), _SCHEME_START + timedelta(days=rng.randint(0, 40)))
    approved_on = min(approved_on, as_of - timedelta(days=1))
    start = max(benefit_start_month(p.birth_date, pack.pension_age), month_of(_SCHEME_START))
    basic = pack.basic_pension_on(as_of)
    years = rng.randint(0, 18)
    return {
        "id": new_id(),
        "person_id": p.id,
        "reaches_60_on": sixty,
        "years_paid": years,
        "years_missing": max(0, pack.min_years_for_pension - years),
        "notified_on": approved_on - timedelta(days=rng.randint(20, 40)),
        "review_state": ReviewState.APPROVED,
        "submitted_at": None,
        "approved_monthly_fen": basic + rng.randrange(0, 60_00, 1),
        "start_month": str(start),
        "approved_on": approved_on,
        **_stamp(now),
    }


def _pick_method(rng: random.Random) -> SurvivalMethod:
    total = sum(weight for _, weight in _METHODS)
    point = rng.randrange(total)
    for method, weight in _METHODS:
        if point < weight:
            return method
        point -= weight
    return _METHODS[0][0]


def _check_row(new_id: _Ids, person_id: str, day: date, method: SurvivalMethod, now: Any) -> dict[str, Any]:
    return {
        "id": new_id(),
        "person_id": person_id,
        "checked_on": day,
        "method": method,
        "result": SurvivalResult.ALIVE,
        "certifier": _CERTIFIERS[method],
        "witness": "村民小组长" if method is SurvivalMethod.HOME_VISIT else None,
        "back_pay_months": 0,
        **_stamp(now),
    }


def _checks(
    rng: random.Random,
    new_id: _Ids,
    p: Any,
    approved_on: date,
    as_of: date,
    pack: PolicyPack,
    out: list[dict[str, Any]],
    now: Any,
) -> date | None:
    """Certifications of one pensioner; returns ``status_since`` for a suspended one (first unpaid month)."""
    if p.status is PersonStatus.SUSPENDED:
        age_days = rng.randint(450, 900)
    else:
        r = rng.random()
        if r < 0.85:
            age_days = rng.randint(5, 300)
        elif r < 0.95:
            age_days = rng.randint(338, 362)
        else:
            age_days = rng.randint(400, 520)
    last = as_of - timedelta(days=age_days)
    if last <= approved_on:
        return None
    previous = last - timedelta(days=rng.randint(300, 360))
    if previous > approved_on:
        out.append(_check_row(new_id, p.id, previous, _pick_method(rng), now))
    out.append(_check_row(new_id, p.id, last, _pick_method(rng), now))
    if p.status is PersonStatus.SUSPENDED and p.status_reason == SuspensionReason.NO_SURVIVAL_PROOF.value:
        first_unpaid = cycle_after(last, pack.survival_cycle_months).first_unpaid_month
        return date(first_unpaid.year, first_unpaid.month, 1)
    return None


def _cancellation(
    rng: random.Random,
    new_id: _Ids,
    pack: PolicyPack,
    p: Any,
    case: dict[str, Any],
    balance: int,
    by_household: dict[str | None, list[Any]],
    as_of: date,
    out: list[dict[str, Any]],
    now: Any,
) -> date:
    earliest = max(case["approved_on"] + timedelta(days=30), as_of - timedelta(days=720))
    death = _day_between(rng, earliest, as_of - timedelta(days=10))
    reported = min(as_of, death + timedelta(days=rng.randint(5, 75)))
    stop = stop_month(death)
    paid_through = YearMonth(reported.year, reported.month)
    over = overpayment(stop, paid_through, case["approved_monthly_fen"])
    grant = pack.funeral_grant.amount if pack.funeral_grant else None
    funeral = funeral_settlement(grant, benefit_at_death=BenefitAtDeath.RECEIVING, overpaid_fen=over.amount_fen)
    heirs = [m for m in by_household.get(p.household_id, []) if m.id != p.id and m.birth_date.year < as_of.year - 18]
    heir = heirs[0] if heirs else None
    age_days = (as_of - reported).days
    state = (
        ReviewState.APPROVED
        if age_days > 90
        else ReviewState.TOWNSHIP_CHECKED
        if age_days > 45
        else ReviewState.SUBMITTED
        if age_days > 20
        else ReviewState.ENTERED
    )
    out.append(
        {
            "id": new_id(),
            "person_id": p.id,
            "death_date": death,
            "reported_on": reported,
            "source": DeathSource.FAMILY if rng.random() < 0.7 else DeathSource.CIVIL_AFFAIRS,
            "evidence_ref": f"死亡证明 {rng.randrange(100000, 999999)}",
            "stop_month": str(stop),
            "overpaid_months": over.months,
            "overpaid_fen": over.amount_fen,
            "funeral_subsidy_fen": funeral.grant_fen,
            "funeral_offset_fen": funeral.offset_fen,
            "funeral_refusal_reason": funeral.refusal_reason,
            "account_balance_fen": balance,
            "advance_owed_fen": 0,
            "heir_name": heir.name if heir else None,
            "heir_id_number": heir.id_number if heir else None,
            "heir_bank_card": _bank_card(rng) if heir else None,
            "review_state": state,
            **_stamp(now),
        }
    )
    return death


def _advance(new_id: _Ids, person_id: str, amount: int, repaid: int, as_of: date, now: Any) -> dict[str, Any]:
    return {
        "id": new_id(),
        "person_id": person_id,
        "amount_fen": amount,
        "applied_on": as_of - timedelta(days=400),
        "approved_on": as_of - timedelta(days=380),
        "repaid_fen": repaid,
        "state": AdvanceState.APPROVED,
        **_stamp(now),
    }


# --- building small villages by hand (worked examples, tests) --------------------------------------------------


def small_village(session: Session, *, groups: Sequence[str] = ("一组", "二组")) -> tuple[str, list[str]]:
    """An empty village (安和县 青山镇 红旗村) with the named villager groups; returns (village id, group ids)."""
    county = County(code="411099", name="安和县")
    session.add(county)
    session.flush()
    township = Township(code="411099101", name="青山镇", county_id=county.id)
    session.add(township)
    session.flush()
    village = Village(code="411099101201", name="红旗村", township_id=township.id)
    session.add(village)
    session.flush()
    made = [VillagerGroup(village_id=village.id, name=name, sort_order=i) for i, name in enumerate(groups, start=1)]
    session.add_all(made)
    session.merge(Setting(key="village_id", value=village.id))
    session.flush()
    return village.id, [g.id for g in made]


def add_resident(
    session: Session,
    *,
    village_id: str,
    name: str,
    birth_date: date,
    sex: Sex = Sex.MALE,
    group_id: str | None = None,
    status: PersonStatus = PersonStatus.CONTRIBUTING,
    status_reason: str | None = None,
    status_since: date | None = None,
    sequence: int = 1,
    phone: str | None = None,
    bank_card: str | None = None,
) -> Person:
    """One resident with a valid 公民身份号码 (area 411099) made from the birth date, sex and ``sequence``."""
    order = sequence * 2 + (1 if sex is Sex.MALE else 0)
    first17 = f"411099{birth_date:%Y%m%d}{order % 1000:03d}"
    number = first17 + check_character(first17)
    person = Person(
        village_id=village_id,
        group_id=group_id,
        name=name,
        name_initials=pinyin_initials(name),
        id_number=number,
        id_number_rev=number[::-1],
        sex=sex,
        birth_date=birth_date,
        status=status,
        status_reason=status_reason,
        status_since=status_since,
        phone=phone,
        bank_card=bank_card,
        residence_address="红旗村1号",
    )
    session.add(person)
    session.flush()
    return person
