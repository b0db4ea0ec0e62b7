"""The demo village is realistic enough to try every page on: valid IDs, sensible households, all ages and statuses."""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from pensiondesk.domain.codes import PersonStatus, Relation
from pensiondesk.domain.idnumber import parse
from pensiondesk.domain.names import pinyin_initials
from pensiondesk.services.database import create_demo_database
from pensiondesk.services.demo import DemoError, create_demo_village
from pensiondesk.store.db import open_database
from pensiondesk.store.models import Household, Person, PersonCategory, Setting, Village, VillagerGroup

AS_OF = date(2026, 11, 22)


def _age(birth: date, on: date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    db = open_database(path)
    with db.session() as session:
        create_demo_village(session, persons=1500, seed=11, as_of=AS_OF)
    db.close()
    return path


def test_every_id_is_valid_and_agrees_with_birth_and_sex(demo_db: Path) -> None:
    db = open_database(demo_db)
    with db.session() as s:
        people = s.scalars(select(Person)).all()
        assert len(people) == 1500
        for p in people:
            rid = parse(p.id_number, today=AS_OF)
            assert rid.birth_date == p.birth_date
            assert rid.sex == p.sex
            assert p.id_number_rev == p.id_number[::-1]
            assert p.name_initials == pinyin_initials(p.name)
    db.close()


def test_statuses_follow_age(demo_db: Path) -> None:
    db = open_database(demo_db)
    with db.session() as s:
        people = s.scalars(select(Person)).all()
    db.close()
    ages = Counter()
    statuses = Counter()
    for p in people:
        age = _age(p.birth_date, AS_OF)
        ages["child" if age < 16 else "working" if age < 60 else "old"] += 1
        statuses[p.status] += 1
        if age < 16:
            assert p.status is PersonStatus.NOT_ENROLLED
        if p.status is PersonStatus.CONTRIBUTING:
            assert 16 <= age < 60
        if p.status in (PersonStatus.RECEIVING, PersonStatus.SUSPENDED):
            assert age >= 60
        if p.is_student:
            assert p.status is PersonStatus.NOT_ENROLLED and age <= 22
    # All ages and every status a village has are present.
    assert min(ages.values()) > 50
    assert set(statuses) == {
        PersonStatus.NOT_ENROLLED,
        PersonStatus.CONTRIBUTING,
        PersonStatus.RECEIVING,
        PersonStatus.SUSPENDED,
        PersonStatus.TERMINATED,
    }
    assert statuses[PersonStatus.CONTRIBUTING] > statuses[PersonStatus.RECEIVING] > statuses[PersonStatus.SUSPENDED]


def test_households_groups_and_categories(demo_db: Path) -> None:
    db = open_database(demo_db)
    with db.session() as s:
        village = s.scalars(select(Village)).one()
        assert s.get(Setting, "village_id").value == village.id
        groups = s.scalars(select(VillagerGroup)).all()
        assert len(groups) >= 3
        assert {g.village_id for g in groups} == {village.id}
        for household in s.scalars(select(Household)):
            members = s.scalars(select(Person).where(Person.household_id == household.id)).all()
            heads = [m for m in members if m.relation is Relation.HEAD]
            assert len(heads) == 1 and heads[0].id == household.head_person_id
            assert {m.group_id for m in members} == {household.group_id}
        categories = s.scalar(select(func.count()).select_from(PersonCategory))
        assert 0 < categories < 200
    db.close()


def test_refuses_a_database_that_has_people(demo_db: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy.sqlite"
    copy.write_bytes(demo_db.read_bytes())
    with pytest.raises(DemoError, match="已有 1500 人"):
        create_demo_database(copy, persons=10, seed=1)


def test_the_demo_database_has_histories_and_a_receipt_book_in_use(tmp_path: Path) -> None:
    """What ``pensiondesk --demo`` opens: every page has something to show, and collecting works at once."""
    from pensiondesk.services.database import DEMO_OPERATOR
    from pensiondesk.services.receipts import open_book_of
    from pensiondesk.store.models import BenefitCase, Contribution, SurvivalCheck

    path = tmp_path / "demo.sqlite"
    create_demo_database(path, persons=400, seed=5)
    db = open_database(path)
    try:
        with db.session() as s:
            assert s.scalar(select(func.count()).select_from(Contribution)) > 400  # years of them
            assert s.scalar(select(func.count()).select_from(SurvivalCheck)) > 0
            assert s.scalar(select(func.count()).select_from(BenefitCase)) > 0
            book = open_book_of(s, DEMO_OPERATOR)
            assert book is not None and (book.series, book.start_no, book.end_no) == ("DEMO", 1, 500)
    finally:
        db.close()
