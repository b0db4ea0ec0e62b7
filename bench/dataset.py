"""County-sized benchmark dataset (基准测试数据集): 100,000 persons with ten years of history.

The database is built the way the product builds one: :func:`~pensiondesk.store.db.open_database` runs the real
migrations, and :func:`~pensiondesk.services.demo.create_demo_village` writes households, villager groups and
persons of every age and status. On top of that this module adds, with Core bulk inserts, the history a
township laptop holds after ten years of work:

* contributions (缴费记录) for every enrolled person, for each of the last ten natural years in which they were
  16–59: tiers drawn from the policy pack's tiers, the subsidy split from :meth:`PolicyPack.subsidy_for`,
  政府代缴 for hardship categories, a mix of channels (village cash giving way to the tax bureau), some unpaid
  years, some catch-up payments (补缴, no subsidy), and a current year that is only partly collected;
* survival-check histories (生存认证) for pensioners, one or more a year with mixed methods; suspended
  pensioners' last check is more than a cycle ago; the dead stop certifying at death;
* deaths (注销登记) for terminated persons: stop month, overpayment when the death was reported late, funeral
  subsidy and its offset, heir;
* benefit cases (待遇领取资格确认) for persons who turned 60 in the last two years or reach 60 soon.

Everything is drawn from seeded random streams against a fixed reference date, so the same size and seed give
the same database. Built files are cached under ``bench/out/`` (named by size, seed, generator version and
schema revision) and reused by later runs.
"""

from __future__ import annotations

import json
import random
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Connection, Table, bindparam, func, insert, select, update

from pensiondesk.domain.codes import (
    DeathSource,
    PayerKind,
    PaymentChannel,
    PersonStatus,
    ReviewState,
    SurvivalMethod,
    SurvivalResult,
    TerminationReason,
)
from pensiondesk.domain.policy import PolicyPack
from pensiondesk.resources import load_default_policy_pack
from pensiondesk.services.demo import create_demo_village
from pensiondesk.store.db import open_database
from pensiondesk.store.migrate import head_revision
from pensiondesk.store.models import (
    Base,
    BenefitCase,
    Cancellation,
    Contribution,
    Household,
    Person,
    PersonCategory,
    SurvivalCheck,
    Village,
    VillagerGroup,
)

__all__ = [
    "AS_OF",
    "DEFAULT_SEED",
    "FULL_PERSONS",
    "GENERATOR_VERSION",
    "OUT_DIR",
    "QUICK_PERSONS",
    "YEARS",
    "DatasetInfo",
    "build_dataset",
    "dataset_path",
    "ensure_dataset",
    "table_counts",
    "village_structure",
]

#: Bump when the generated data changes, so cached files from an older generator are not reused.
GENERATOR_VERSION = 1
#: The fixed "today" of the dataset: ages, the current campaign year and the history all count from it.
AS_OF = date(2026, 11, 1)
#: Natural years of contribution history, ending with the current (partly collected) year.
YEARS = 10
FULL_PERSONS = 100_000
QUICK_PERSONS = 10_000
DEFAULT_SEED = 20261101
#: Cached databases and generated files (gitignored).
OUT_DIR = Path(__file__).resolve().parent / "out"

_CHUNK = 20_000
_ENROLLED = {PersonStatus.CONTRIBUTING, PersonStatus.RECEIVING, PersonStatus.SUSPENDED, PersonStatus.TERMINATED}
_PENSIONER = {PersonStatus.RECEIVING, PersonStatus.SUSPENDED, PersonStatus.TERMINATED}
# Most people pay the lowest tiers; a few choose the top ones (yuan → weight).
_TIER_WEIGHTS = {100: 14, 200: 30, 300: 20, 400: 6, 500: 10, 600: 4, 700: 2, 800: 3, 900: 1, 1000: 6, 1500: 2, 2000: 2}
_METHOD_WEIGHTS = {
    SurvivalMethod.FACE_SELF_SERVICE: 35,
    SurvivalMethod.FACE_FAMILY: 20,
    SurvivalMethod.FACE_COORDINATOR: 15,
    SurvivalMethod.HOME_VISIT: 10,
    SurvivalMethod.ON_SITE: 8,
    SurvivalMethod.ELSEWHERE: 4,
    SurvivalMethod.DATA_COMPARISON: 8,
}
_DEATH_SOURCES = {DeathSource.FAMILY: 50, DeathSource.CIVIL_AFFAIRS: 25, DeathSource.POLICE: 15, DeathSource.COUNTY: 10}
_CERTIFIERS = ("王协办", "李协办", "张协办", "刘协办", "陈协办")


@dataclass(frozen=True)
class DatasetInfo:
    """A benchmark database on disk and how it came to be."""

    path: Path
    persons: int
    seed: int
    as_of: date
    built: bool  # False: reused from the cache
    seconds: float  # how long generating it took (when reused: as recorded when it was built)
    counts: dict[str, int] = field(default_factory=dict)


def dataset_path(persons: int, seed: int = DEFAULT_SEED, out_dir: Path = OUT_DIR) -> Path:
    """Where the database for ``persons`` and ``seed`` is cached (the schema head is part of the name)."""
    return out_dir / f"county-{persons}-s{seed}-g{GENERATOR_VERSION}-{head_revision()}.sqlite"


def ensure_dataset(
    persons: int,
    *,
    seed: int = DEFAULT_SEED,
    out_dir: Path = OUT_DIR,
    rebuild: bool = False,
    progress: Callable[[str], None] | None = None,
) -> DatasetInfo:
    """The cached database for ``persons`` and ``seed``, built first when missing (or when ``rebuild``)."""
    path = dataset_path(persons, seed, out_dir)
    meta = path.with_suffix(".json")
    if path.exists() and not rebuild:
        seconds = 0.0
        with suppress(OSError, ValueError, KeyError):
            seconds = float(json.loads(meta.read_text(encoding="utf-8"))["seconds"])
        return DatasetInfo(path, persons, seed, AS_OF, built=False, seconds=seconds, counts=table_counts(path))
    out_dir.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".part")
    for leftover in (partial, *(partial.with_name(partial.name + s) for s in ("-wal", "-shm"))):
        leftover.unlink(missing_ok=True)
    started = time.perf_counter()
    counts = build_dataset(partial, persons=persons, seed=seed, progress=progress)
    seconds = time.perf_counter() - started
    partial.replace(path)
    meta.write_text(json.dumps({"seconds": seconds, "counts": counts}), encoding="utf-8")
    return DatasetInfo(path, persons, seed, AS_OF, built=True, seconds=seconds, counts=counts)


def table_counts(path: Path) -> dict[str, int]:
    """Rows per table of interest in the database at ``path``."""
    db = open_database(path, create=False)
    try:
        with db.engine.connect() as conn:
            return {
                model.__tablename__: int(conn.scalar(select(func.count()).select_from(model.__table__)) or 0)
                for model in (
                    VillagerGroup,
                    Household,
                    Person,
                    PersonCategory,
                    Contribution,
                    SurvivalCheck,
                    Cancellation,
                    BenefitCase,
                )
            }
    finally:
        db.close()


# --- generation ----------------------------------------------------------------------------------------------


@dataclass(slots=True)
class _P:
    """What the generator needs to know of one person."""

    id: str
    birth: date
    status: PersonStatus
    reason: str | None
    household_id: str | None
    id_number: str
    name: str
    hardship_paid_fen: int  # 政府代缴 per year from the pack (0 for most)


def build_dataset(
    path: Path,
    *,
    persons: int,
    seed: int = DEFAULT_SEED,
    as_of: date = AS_OF,
    pack: PolicyPack | None = None,
    progress: Callable[[str], None] | None = None,
) -> dict[str, int]:
    """Build the benchmark database at ``path`` (which must not exist); returns rows per table."""
    say = progress or (lambda _msg: None)
    pack = pack or load_default_policy_pack()
    db = open_database(path, create=True)
    try:
        say(f"demo village: {persons} persons")
        with db.session() as session:
            create_demo_village(session, persons=persons, seed=seed, as_of=as_of)
        history = _History(random.Random(seed * 1_000_003 + 17), as_of, pack)
        with db.engine.begin() as conn:
            people = _load_people(conn, pack)
            say("contributions")
            _insert(conn, _table(Contribution), history.contributions(people))
            say("survival checks, deaths, benefit cases")
            _insert(conn, _table(SurvivalCheck), history.survival_checks(people))
            _insert(conn, _table(Cancellation), history.cancellations(people))
            _insert(conn, _table(BenefitCase), history.benefit_cases(people))
            since = history.status_since
            if since:
                table = _table(Person)
                conn.execute(
                    update(table).where(table.c.id == bindparam("pid")).values(status_since=bindparam("since")),
                    [{"pid": pid, "since": day} for pid, day in since.items()],
                )
    finally:
        db.close()
    return table_counts(path)


def _load_people(conn: Connection, pack: PolicyPack) -> list[_P]:
    person = Person.__table__.c
    categories: dict[str, set[str]] = defaultdict(set)
    category = PersonCategory.__table__.c
    for pid, code in conn.execute(select(category.person_id, category.category_code)):
        categories[pid].add(code)
    rows = conn.execute(
        select(
            person.id,
            person.birth_date,
            person.status,
            person.status_reason,
            person.household_id,
            person.id_number,
            person.name,
        ).order_by(person.id_number)
    )
    known = {c.code for c in pack.identity_categories}
    return [
        _P(
            pid,
            birth,
            PersonStatus(status),
            reason,
            household,
            id_number,
            name,
            pack.government_paid_for(categories[pid] & known),
        )
        for pid, birth, status, reason, household, id_number, name in rows
    ]


def _table(model: type[Base]) -> Table:
    """The Core table of a mapped class (typed as a ``Table``, which every model here is)."""
    return cast(Table, model.__table__)


def _insert(conn: Connection, table: Table, rows: Iterable[dict[str, Any]]) -> None:
    """Insert ``rows`` in chunks through Core ``executemany``."""
    chunk: list[dict[str, Any]] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= _CHUNK:
            conn.execute(insert(table), chunk)
            chunk = []
    if chunk:
        conn.execute(insert(table), chunk)


def _sixtieth(birth: date) -> date:
    """The 60th birthday (28 February for those born on 29 February)."""
    day = 28 if (birth.month, birth.day) == (2, 29) else birth.day
    return date(birth.year + 60, birth.month, day)


def _month_after(day: date) -> date:
    return date(day.year + (day.month == 12), day.month % 12 + 1, 1)


def _months_between(first: date, second: date) -> int:
    """Whole calendar months from the month of ``first`` to the month of ``second``."""
    return (second.year - first.year) * 12 + second.month - first.month


class _History:
    """Draws ten years of history for the persons of a demo village from one seeded stream."""

    def __init__(self, rng: random.Random, as_of: date, pack: PolicyPack) -> None:
        self.rng = rng
        self.as_of = as_of
        self.pack = pack
        self.first_year = as_of.year - YEARS + 1
        allowed = set(pack.tier_amounts)
        tiers = [(fen, weight) for yuan, weight in _TIER_WEIGHTS.items() if (fen := yuan * 100) in allowed]
        tiers = tiers or [(fen, 1) for fen in pack.tier_amounts]
        self.tiers = [fen for fen, _ in tiers]
        self.tier_weights = [weight for _, weight in tiers]
        self.subsidy = {fen: pack.subsidy_for(fen) for fen in pack.tier_amounts}
        self.now = datetime.combine(as_of, datetime.min.time())
        #: person id → status_since to set (pensioners and the dead).
        self.status_since: dict[str, date] = {}
        #: person id → date of death, for those with a cancellation.
        self.deaths: dict[str, date] = {}
        self._contribution_years: dict[str, int] = defaultdict(int)

    def uuid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def _stamp(self, day: date) -> dict[str, Any]:
        moment = datetime.combine(day, datetime.min.time()) + timedelta(hours=9)
        return {"created_at": moment, "updated_at": moment, "created_by": "bench", "updated_by": "bench"}

    def _day_in(self, year: int, first: tuple[int, int] = (3, 1), last: tuple[int, int] = (12, 20)) -> date:
        start = date(year, *first)
        end = min(date(year, *last), self.as_of)
        if end <= start:
            return end
        return start + timedelta(days=self.rng.randrange((end - start).days + 1))

    # --- deaths first: contributions and checks stop at death ------------------------------------------------

    def _death_of(self, p: _P) -> date | None:
        if p.status is not PersonStatus.TERMINATED or p.reason != TerminationReason.DEATH.value:
            return None
        if p.id not in self.deaths:
            start = max(_month_after(_sixtieth(p.birth)), self.as_of - timedelta(days=5 * 365))
            end = self.as_of - timedelta(days=10)
            span = (end - start).days
            self.deaths[p.id] = start + timedelta(days=self.rng.randrange(span)) if span > 0 else end
        return self.deaths[p.id]

    # --- contributions ----------------------------------------------------------------------------------------

    def contributions(self, people: list[_P]) -> Iterator[dict[str, Any]]:
        """缴费记录 for every enrolled person, for the years they were 16–59 within the last ten years."""
        rng = self.rng
        pack = self.pack
        for p in people:
            death = self._death_of(p)
            if p.status not in _ENROLLED:
                continue
            # Enrolled the year they turned 16 or, for older people, at some point before or during the window.
            enrol_year = p.birth.year + 16 + (rng.choice((0, 0, 0, 1, 2, 4)) if p.birth.year + 16 >= 2000 else 0)
            last_year = min(p.birth.year + 59, self.as_of.year)
            if death is not None:
                last_year = min(last_year, death.year)
            reliability = rng.choice((0.99, 0.97, 0.95, 0.9, 0.8, 0.6))
            tier = rng.choices(self.tiers, self.tier_weights)[0]
            missed: list[int] = []
            for year in range(max(self.first_year, enrol_year), last_year + 1):
                current = year == self.as_of.year
                if rng.random() > (0.72 if current else reliability):
                    if not current:
                        missed.append(year)
                    continue
                if rng.random() < 0.04:  # a few move up (rarely down) a tier from one year to the next
                    tier = rng.choices(self.tiers, self.tier_weights)[0]
                yield self._contribution(p, year, tier, self._day_in(year), catch_up=False)
            # Those approaching 60 catch up missed years (补缴) after township approval; no subsidy for them.
            if missed and last_year >= p.birth.year + 55 and rng.random() < 0.5:
                for year in missed[: rng.randint(1, len(missed))]:
                    paid_year = rng.randint(year + 1, min(last_year, self.as_of.year)) if year < last_year else year
                    yield self._contribution(p, year, pack.lowest_tier, self._day_in(paid_year), catch_up=True)

    def _contribution(self, p: _P, year: int, tier: int, paid_on: date, *, catch_up: bool) -> dict[str, Any]:
        rng = self.rng
        government = 0
        if p.hardship_paid_fen and not catch_up:
            tier = self.pack.lowest_tier  # hardship groups pay the lowest tier, partly or wholly paid for them
            government = min(p.hardship_paid_fen, tier)
        subsidy = self.pack.subsidy_for(tier, catch_up=catch_up) if catch_up else self.subsidy[tier]
        share_tax = 0.6 * (year - self.first_year) / max(1, YEARS - 1)
        draw = rng.random()
        channel = (
            PaymentChannel.TAX_BUREAU
            if draw < share_tax
            else PaymentChannel.BANK
            if draw < share_tax + 0.2
            else PaymentChannel.VILLAGE_CASH
        )
        payer = rng.random()
        payer_kind = PayerKind.SELF if payer < 0.85 else PayerKind.RELATIVE if payer < 0.98 else PayerKind.OTHER
        self._contribution_years[p.id] += 1
        return {
            "id": self.uuid(),
            "person_id": p.id,
            "year": year,
            "tier_fen": tier,
            "personal_fen": tier - government,
            "subsidy_province_fen": subsidy.province,
            "subsidy_city_fen": subsidy.city,
            "subsidy_county_fen": subsidy.county,
            "government_paid_fen": government,
            "collective_fen": self.pack.collective_fen,
            "payer_kind": payer_kind,
            "payer_name": None if payer_kind is PayerKind.SELF else "亲属",
            "channel": channel,
            "is_catch_up": catch_up,
            "catch_up_approval_ref": f"补缴审批-{year}-{rng.randrange(10000, 99999)}" if catch_up else None,
            "paid_on": paid_on,
            "policy_pack_id": self.pack.id,
            "policy_pack_version": self.pack.version,
            "reverses_id": None,
            **self._stamp(paid_on),
        }

    # --- survival checks --------------------------------------------------------------------------------------

    def survival_checks(self, people: list[_P]) -> Iterator[dict[str, Any]]:
        """生存认证 histories: pensioners certify about once a cycle, some twice; the suspended lapsed."""
        rng = self.rng
        window_start = date(self.first_year, 1, 1)
        for p in people:
            if p.status not in _PENSIONER:
                continue
            start = _month_after(_sixtieth(p.birth))
            if start > self.as_of:
                continue
            death = self._death_of(p)
            if p.status is PersonStatus.TERMINATED and death is None:
                continue  # terminated for another reason: no longer a pensioner here
            self.status_since[p.id] = start
            if death is not None:
                end = death
                self.status_since[p.id] = death
            elif p.status is PersonStatus.SUSPENDED:
                end = self.as_of - timedelta(days=rng.randint(400, 700))  # the cycle lapsed (暂停发放)
                self.status_since[p.id] = min(self.as_of, end + timedelta(days=366))
            else:
                end = self.as_of
            # The certification rhythm is the person's own; only the part inside the window is kept.
            day = start + timedelta(days=rng.randint(0, 60))
            while day <= end:
                if day >= window_start:
                    yield self._check(p, day)
                    if rng.random() < 0.15:
                        extra = day + timedelta(days=rng.randint(30, 150))
                        if extra <= end:
                            yield self._check(p, extra)
                day += timedelta(days=rng.randint(300, 362))

    def _check(self, p: _P, day: date) -> dict[str, Any]:
        rng = self.rng
        method = rng.choices(list(_METHOD_WEIGHTS), list(_METHOD_WEIGHTS.values()))[0]
        return {
            "id": self.uuid(),
            "person_id": p.id,
            "checked_on": day,
            "method": method,
            "result": SurvivalResult.ALIVE,
            "certifier": rng.choice(_CERTIFIERS),
            "witness": "家属" if method in (SurvivalMethod.HOME_VISIT, SurvivalMethod.FACE_FAMILY) else None,
            "attachment_path": None,
            "attachment_sha256": None,
            "notes": None,
            "back_pay_months": 0,
            **self._stamp(day),
        }

    # --- deaths -------------------------------------------------------------------------------------------------

    def cancellations(self, people: list[_P]) -> Iterator[dict[str, Any]]:
        """注销登记 for each death: stop month, overpayment if reported late, funeral subsidy, heir."""
        rng = self.rng
        by_household: dict[str, list[_P]] = defaultdict(list)
        for p in people:
            if p.household_id is not None:
                by_household[p.household_id].append(p)
        grant = self.pack.funeral_grant.amount if self.pack.funeral_grant else 0
        for p in people:
            death = self._death_of(p)
            if death is None:
                continue
            late = rng.random() < 0.3
            reported = min(self.as_of, death + timedelta(days=rng.randint(31, 240) if late else rng.randint(2, 30)))
            stop = _month_after(death)
            overpaid_months = max(0, _months_between(stop, reported))
            balance = rng.randrange(3_000_00, 30_000_00)
            monthly = self.pack.basic_pension_on(death) + balance // self.pack.divisor
            overpaid = overpaid_months * monthly
            heirs = [h for h in by_household.get(p.household_id or "", []) if h.id != p.id and h.id not in self.deaths]
            heir = rng.choice(heirs) if heirs else None
            recent = (self.as_of - reported).days < 60
            yield {
                "id": self.uuid(),
                "person_id": p.id,
                "death_date": death,
                "reported_on": reported,
                "source": rng.choices(list(_DEATH_SOURCES), list(_DEATH_SOURCES.values()))[0],
                "evidence_ref": f"死亡证明-{rng.randrange(100000, 999999)}",
                "stop_month": f"{stop:%Y-%m}",
                "overpaid_months": overpaid_months,
                "overpaid_fen": overpaid,
                "funeral_subsidy_fen": grant,
                "funeral_offset_fen": min(grant, overpaid),
                "funeral_refusal_reason": None,
                "account_balance_fen": balance,
                "advance_owed_fen": 0,
                "heir_name": heir.name if heir else None,
                "heir_id_number": heir.id_number if heir else None,
                "heir_bank_card": None,
                "review_state": rng.choice((ReviewState.ENTERED, ReviewState.SUBMITTED))
                if recent
                else ReviewState.APPROVED,
                "return_reason": None,
                **self._stamp(reported),
            }

    # --- reaching 60 --------------------------------------------------------------------------------------------

    def benefit_cases(self, people: list[_P]) -> Iterator[dict[str, Any]]:
        """待遇领取资格确认 for those who turned 60 in the last two years (approved) or turn 60 soon (open)."""
        rng = self.rng
        soon = self.as_of + timedelta(days=92)
        since = self.as_of - timedelta(days=730)
        for p in people:
            if p.status not in _ENROLLED:
                continue
            sixty = _sixtieth(p.birth)
            if not since <= sixty <= soon or self._death_of(p) is not None:
                continue
            # Years before the window are not generated; most who reach 60 had paid for them.
            earlier = max(0, min(15, (self.first_year - 1) - (p.birth.year + 16) + 1))
            years_paid = self._contribution_years.get(p.id, 0) + rng.randint(max(0, earlier - 3), earlier)
            notified = sixty - timedelta(days=rng.randint(20, 40))
            start = _month_after(sixty)
            decided = sixty <= self.as_of and p.status in _PENSIONER
            balance = rng.randrange(2_000_00, 25_000_00)
            yield {
                "id": self.uuid(),
                "person_id": p.id,
                "reaches_60_on": sixty,
                "years_paid": years_paid,
                "years_missing": max(0, self.pack.min_years_for_pension - years_paid),
                "notified_on": notified if notified <= self.as_of else None,
                "review_state": ReviewState.APPROVED
                if decided
                else rng.choice((ReviewState.ENTERED, ReviewState.VILLAGE_CHECKED, ReviewState.SUBMITTED)),
                "submitted_at": datetime.combine(min(notified + timedelta(days=10), self.as_of), datetime.min.time())
                if decided
                else None,
                "approved_monthly_fen": self.pack.basic_pension_on(start) + balance // self.pack.divisor
                if decided
                else None,
                "start_month": f"{start:%Y-%m}" if decided else None,
                "return_reason": None,
                "approved_on": min(self.as_of, sixty + timedelta(days=rng.randint(5, 25))) if decided else None,
                **self._stamp(min(notified, self.as_of)),
            }


def village_structure(path: Path) -> tuple[str, list[str]]:
    """(village id, villager group names in order) of a benchmark database."""
    db = open_database(path, create=False)
    try:
        with db.engine.connect() as conn:
            village_id = conn.scalar(select(Village.__table__.c.id))
            group = VillagerGroup.__table__.c
            names = list(conn.scalars(select(group.name).order_by(group.sort_order)))
    finally:
        db.close()
    return str(village_id), names
