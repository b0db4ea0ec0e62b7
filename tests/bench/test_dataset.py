"""The generator makes a consistent county: contributions, survival checks, deaths and cases where they belong."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path

import pytest
from bench.dataset import AS_OF, YEARS, build_dataset, ensure_dataset
from sqlalchemy import select

from pensiondesk.domain.codes import PersonStatus, ReviewState, TerminationReason
from pensiondesk.resources import load_default_policy_pack
from pensiondesk.store.db import open_database
from pensiondesk.store.models import BenefitCase, Cancellation, Contribution, Person, SurvivalCheck

PERSONS = 300
PENSIONER = {PersonStatus.RECEIVING, PersonStatus.SUSPENDED, PersonStatus.TERMINATED}


def _sixtieth(birth: date) -> date:
    return date(birth.year + 60, birth.month, 28 if (birth.month, birth.day) == (2, 29) else birth.day)


@pytest.fixture(scope="module")
def county(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list]:
    path = tmp_path_factory.mktemp("bench") / "county.sqlite"
    counts = build_dataset(path, persons=PERSONS, seed=5)
    assert counts["person"] == PERSONS
    db = open_database(path, create=False)
    try:
        with db.session() as s:
            return {
                "persons": list(s.scalars(select(Person))),
                "contributions": list(s.scalars(select(Contribution))),
                "checks": list(s.scalars(select(SurvivalCheck))),
                "cancellations": list(s.scalars(select(Cancellation))),
                "cases": list(s.scalars(select(BenefitCase))),
            }
    finally:
        db.close()


def test_every_kind_of_history_is_there(county: dict[str, list]) -> None:
    for kind in ("contributions", "checks", "cancellations", "cases"):
        assert county[kind], f"no {kind} in a {PERSONS}-person county"
    assert len(county["contributions"]) > PERSONS  # years of history, not one payment each


def test_contributions_only_for_enrolled_people_of_working_age(county: dict[str, list]) -> None:
    persons = {p.id: p for p in county["persons"]}
    for c in county["contributions"]:
        person = persons[c.person_id]
        assert person.status is not PersonStatus.NOT_ENROLLED
        assert AS_OF.year - YEARS < c.year <= AS_OF.year
        assert 16 <= c.year - person.birth_date.year <= 59
        assert c.paid_on <= AS_OF
        assert c.paid_on.year >= c.year


def test_contribution_money_follows_the_policy_pack(county: dict[str, list]) -> None:
    pack = load_default_policy_pack()
    catch_ups = 0
    for c in county["contributions"]:
        assert c.tier_fen in pack.tier_amounts
        assert c.personal_fen + c.government_paid_fen == c.tier_fen
        assert c.personal_fen >= 0 and c.government_paid_fen >= 0
        split = pack.subsidy_for(c.tier_fen, catch_up=c.is_catch_up)
        assert (c.subsidy_province_fen, c.subsidy_city_fen, c.subsidy_county_fen) == (
            split.province,
            split.city,
            split.county,
        )
        if c.is_catch_up:
            catch_ups += 1
            assert split.total == 0 and c.catch_up_approval_ref
    channels = {c.channel for c in county["contributions"]}
    assert len(channels) == 3, "a mix of village cash, bank and tax bureau"
    assert catch_ups < len(county["contributions"]) // 5


def test_survival_checks_only_for_pensioners_while_alive(county: dict[str, list]) -> None:
    persons = {p.id: p for p in county["persons"]}
    deaths = {c.person_id: c.death_date for c in county["cancellations"]}
    last: dict[str, date] = defaultdict(lambda: date.min)
    for check in county["checks"]:
        person = persons[check.person_id]
        assert person.status in PENSIONER
        assert check.checked_on > _sixtieth(person.birth_date)
        assert check.checked_on <= deaths.get(person.id, AS_OF)
        last[person.id] = max(last[person.id], check.checked_on)
    assert len({c.method for c in county["checks"]}) > 3, "methods are mixed"
    for pid, day in last.items():
        if persons[pid].status is PersonStatus.SUSPENDED:
            assert AS_OF - day > timedelta(days=365), "a suspended pensioner's cycle has lapsed"


def test_cancellations_only_for_the_dead(county: dict[str, list]) -> None:
    persons = {p.id: p for p in county["persons"]}
    dead = {
        p.id
        for p in county["persons"]
        if p.status is PersonStatus.TERMINATED and p.status_reason == TerminationReason.DEATH.value
    }
    assert {c.person_id for c in county["cancellations"]} == dead
    for c in county["cancellations"]:
        assert persons[c.person_id].status_since == c.death_date
        assert c.death_date <= c.reported_on <= AS_OF
        stop = date(c.death_date.year + (c.death_date.month == 12), c.death_date.month % 12 + 1, 1)
        assert c.stop_month == f"{stop:%Y-%m}"
        assert c.overpaid_fen >= 0 and (c.overpaid_fen > 0) == (c.overpaid_months > 0)
        assert c.funeral_offset_fen == min(c.funeral_subsidy_fen, c.overpaid_fen)


def test_benefit_cases_for_those_reaching_60(county: dict[str, list]) -> None:
    persons = {p.id: p for p in county["persons"]}
    for case in county["cases"]:
        person = persons[case.person_id]
        assert case.reaches_60_on == _sixtieth(person.birth_date)
        assert AS_OF - timedelta(days=731) <= case.reaches_60_on <= AS_OF + timedelta(days=92)
        if case.review_state is ReviewState.APPROVED:
            assert case.approved_monthly_fen and case.start_month and case.reaches_60_on <= AS_OF


def test_the_same_seed_gives_the_same_county(tmp_path: Path) -> None:
    def dump(path: Path) -> list[tuple]:
        db = open_database(path, create=False)
        try:
            with db.engine.connect() as conn:
                table = Contribution.__table__
                return [tuple(r) for r in conn.execute(select(table).order_by(table.c.id))]
        finally:
            db.close()

    first = ensure_dataset(60, seed=9, out_dir=tmp_path / "a")
    second = ensure_dataset(60, seed=9, out_dir=tmp_path / "b")
    assert first.built and second.built
    assert dump(first.path) == dump(second.path)
    again = ensure_dataset(60, seed=9, out_dir=tmp_path / "a")
    assert not again.built and again.counts == first.counts
