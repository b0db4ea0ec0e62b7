"""Eligibility lists (参保资格名单) by villager group, on a real SQLite file: a demo village and hand-made people."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from pensiondesk.domain.codes import PersonStatus, Relation
from pensiondesk.domain.eligibility import EligibilityKind, ResidentFacts, classify
from pensiondesk.domain.idnumber import check_character
from pensiondesk.resources import load_default_policy_pack
from pensiondesk.services.demo import create_demo_village
from pensiondesk.services.eligibility import eligibility_lists
from pensiondesk.services.people import add_persons
from pensiondesk.services.people_types import PersonInput
from pensiondesk.services.recording import Actor
from pensiondesk.store.db import Database, open_database
from pensiondesk.store.models import Person, Village, VillagerGroup

TODAY = date(2026, 11, 22)
Kind = EligibilityKind


def make_id(birth: date, seq: int) -> str:
    first17 = f"411099{birth:%Y%m%d}{seq:03d}"
    return first17 + check_character(first17)


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = open_database(tmp_path / "v.sqlite")
    yield database
    database.close()


@pytest.fixture
def demo(db: Database) -> str:
    with db.session() as s:
        create_demo_village(s, persons=2500, seed=21, as_of=TODAY)
        village_id = s.scalar(select(Village.id))
        assert village_id is not None
        return village_id


def test_every_resident_is_on_exactly_one_list(db: Database, demo: str) -> None:
    with db.session() as s:
        lists = eligibility_lists(s, demo, 2026, reaching_within_months=3, list_date=TODAY)
        total = s.scalar(select(func.count()).select_from(Person))
        people = {p.id: p for p in s.scalars(select(Person))}
    assert set(lists) == set(Kind)
    ids = [row.person_id for rows in lists.values() for row in rows]
    assert len(ids) == len(set(ids)) == total
    pack = load_default_policy_pack()
    for kind, rows in lists.items():
        for row in rows:
            p = people[row.person_id]
            facts = ResidentFacts(
                p.birth_date,
                p.local_hukou,
                p.is_student,
                p.has_employee_pension,
                p.has_other_state_pension,
                p.is_public_staff,
                p.status,
                p.status_reason,
            )
            expected = classify(facts, pack, 2026, reaching_within_months=3, list_date=TODAY)
            assert (kind, row.age_at_cutoff, list(row.reasons)) == (
                expected.kind,
                expected.age_at_cutoff,
                expected.reasons,
            )
            assert (row.name, row.id_number, row.birth_date, row.status) == (
                p.name,
                p.id_number,
                p.birth_date,
                p.status,
            )
    # The demo village has every kind of resident.
    assert all(lists[kind] for kind in Kind)
    assert all(row.reasons for row in lists[Kind.INELIGIBLE])


def test_lists_are_ordered_by_group_then_name(db: Database, demo: str) -> None:
    with db.session() as s:
        order = {g.name: g.sort_order for g in s.scalars(select(VillagerGroup))}
        lists = eligibility_lists(s, demo, 2026)
    for rows in lists.values():
        keys = [(order[row.group_name or ""], row.name, row.id_number) for row in rows]
        assert keys == sorted(keys)


def test_reaching_60_list_only_when_asked(db: Database, demo: str) -> None:
    with db.session() as s:
        without = eligibility_lists(s, demo, 2026)
        within = eligibility_lists(s, demo, 2026, reaching_within_months=3)
        later = eligibility_lists(s, demo, 2026, reaching_within_months=3, list_date=date(2026, 11, 1))
    assert without[Kind.REACHING_60] == []
    assert later[Kind.REACHING_60]
    assert all(date(2026, 6, 30) < row.pension_age_on <= date(2026, 9, 30) for row in within[Kind.REACHING_60])
    assert all(row.pension_age_on <= date(2027, 2, 1) for row in later[Kind.REACHING_60])
    done = (PersonStatus.RECEIVING, PersonStatus.SUSPENDED)
    for lists in (within, later):
        # Nobody already receiving a pension is listed as reaching 60: they are with pension age, saying so.
        assert not [row for row in lists[Kind.REACHING_60] if row.status in done]
        moved = [row for row in lists[Kind.PENSION_AGE] if row.age_at_cutoff < 60]
        assert all(row.status in done and row.reasons[-1] in ("已待遇领取", "已暂停") for row in moved)
        assert len(lists[Kind.CONTRIBUTOR]) + len(lists[Kind.REACHING_60]) + len(moved) == len(
            without[Kind.CONTRIBUTOR]
        )
    # The demo's residents who turned 60 between the cut-off and today are pension cases already.
    assert [row for row in within[Kind.PENSION_AGE] if row.age_at_cutoff < 60]


def test_worked_examples_by_group(db: Database) -> None:
    with db.session() as s:
        create_demo_village(s, persons=1, seed=1, as_of=TODAY)
        village_id = s.scalar(select(Village.id))
        assert village_id is not None
        add_persons(
            s,
            Actor("wang"),
            [
                # 15 at 2026-06-30 (16 on 1 July).
                PersonInput(name="周小", id_number=make_id(date(2010, 7, 1), 11), group_name="东庄"),
                # 16 on the cut-off day.
                PersonInput(name="吴大", id_number=make_id(date(2010, 6, 30), 11), group_name="东庄"),
                # 59 at the cut-off, 60 on 2026-07-15.
                PersonInput(name="郑老", id_number=make_id(date(1966, 7, 15), 11), group_name="西庄"),
                PersonInput(name="王生", id_number=make_id(date(2004, 9, 9), 11), group_name="西庄", is_student=True),
                PersonInput(
                    name="冯翁", id_number=make_id(date(1950, 1, 1), 11), group_name="西庄", relation=Relation.HEAD
                ),
            ],
            village_id=village_id,
            today=TODAY,
        )
        lists = eligibility_lists(s, village_id, 2026, reaching_within_months=3, list_date=date(2026, 6, 1))

    def names(kind: Kind) -> list[tuple[str | None, str, int]]:
        return [(r.group_name, r.name, r.age_at_cutoff) for r in lists[kind] if r.group_name in {"东庄", "西庄"}]

    assert names(Kind.UNDER_AGE) == [("东庄", "周小", 15)]
    assert names(Kind.CONTRIBUTOR) == [("东庄", "吴大", 16)]
    assert names(Kind.REACHING_60) == [("西庄", "郑老", 59)]
    assert names(Kind.INELIGIBLE) == [("西庄", "王生", 21)]
    assert names(Kind.PENSION_AGE) == [("西庄", "冯翁", 76)]
    student = next(r for r in lists[Kind.INELIGIBLE] if r.name == "王生")
    assert student.reasons == ("学生",)
    reaching = next(r for r in lists[Kind.REACHING_60] if r.name == "郑老")
    assert (reaching.pension_age_on, reaching.reasons) == (date(2026, 7, 15), ("2026-07-15 年满60周岁",))


def test_terminated_residents_have_their_own_list(db: Database, demo: str) -> None:
    with db.session() as s:
        lists = eligibility_lists(s, demo, 2026)
        terminated = s.scalar(select(func.count()).select_from(Person).where(Person.status == PersonStatus.TERMINATED))
    assert len(lists[Kind.TERMINATED]) == terminated
    assert all(row.reasons[0].startswith("已终止参保") for row in lists[Kind.TERMINATED])


def test_another_village_is_not_listed(db: Database, demo: str) -> None:
    with db.session() as s:
        lists = eligibility_lists(s, "no-such-village", 2026)
    assert all(rows == [] for rows in lists.values())
