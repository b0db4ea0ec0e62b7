"""与户主关系待核对: the marks a change of household head leaves, kept in the database until a person checks them.

A real SQLite file (``tests/services/conftest.py``); the household is built with ``people.add_person`` and changed
with the services the GUI and the CLI call.
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from pensiondesk.domain.codes import Relation, UserRole
from pensiondesk.domain.idnumber import check_character
from pensiondesk.services.people import (
    add_person,
    create_household,
    move_to_household,
    set_household_head,
    set_relation,
)
from pensiondesk.services.people_types import PersonInput, ServiceError
from pensiondesk.services.person_queries import household_of, relations_to_check
from pensiondesk.services.recording import Actor, verify_audit_chain
from pensiondesk.services.roster import PersonFilter, fetch_person_rows, list_person_ids
from pensiondesk.store.db import Database
from pensiondesk.store.models import AuditEntry, Base, OutboxEntry, Person, RelationCheck

TODAY = date(2026, 11, 22)
WANG = Actor("wang", UserRole.COORDINATOR, "王协办")
REVIEWER = Actor("bob", UserRole.REVIEWER, "白复核")


def make_id(birth: date, seq: int) -> str:
    first17 = f"411099{birth:%Y%m%d}{seq:03d}"
    return first17 + check_character(first17)


@pytest.fixture
def family(db: Database, village_id: str) -> dict[str, str]:
    """张三 (head), his wife 李梅, son 张强, daughter 张丽 and the son's wife 王芳: person ids by given name."""
    members = [
        ("张三", make_id(date(1950, 3, 15), 11), Relation.HEAD),
        ("李梅", make_id(date(1952, 8, 1), 22), Relation.SPOUSE),
        ("张强", make_id(date(1975, 6, 1), 31), Relation.SON),
        ("张丽", make_id(date(1978, 2, 9), 42), Relation.DAUGHTER),
        ("王芳", make_id(date(1976, 4, 4), 52), Relation.DAUGHTER_IN_LAW),
    ]
    ids: dict[str, str] = {}
    with db.session() as s:
        for name, number, relation in members:
            inp = (
                PersonInput(name=name, id_number=number, group_name="第一村民小组", relation=Relation.HEAD)
                if relation is Relation.HEAD
                else PersonInput(name=name, id_number=number, relation=relation, household_head_name="张三")
            )
            ids[name] = add_person(s, WANG, inp, village_id=village_id, today=TODAY).id
        ids["household"] = str(s.get(Person, ids["张三"]).household_id)  # type: ignore[union-attr]
    return ids


def marks(db: Database) -> dict[str, tuple[str | None, Relation | None]]:
    with db.session() as s:
        return {m.person_id: (m.old_head_person_id, m.suggested_relation) for m in s.scalars(select(RelationCheck))}


def versions(db: Database) -> dict[str, int]:
    with db.session() as s:
        return {pid: version for pid, version in s.execute(select(Person.id, Person.version))}


def count(db: Database, model: type[Base]) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(model)) or 0


def son_takes_over(db: Database, family: dict[str, str]) -> None:
    with db.session() as s:
        set_household_head(s, WANG, family["household"], family["张强"], old_head_relation=Relation.PARENT)


def test_a_head_change_marks_the_others_with_suggestions(db: Database, family: dict[str, str]) -> None:
    before_versions = versions(db)
    outbox_before = count(db, OutboxEntry)
    son_takes_over(db, family)
    old_head = family["张三"]
    assert marks(db) == {
        family["李梅"]: (old_head, Relation.PARENT),  # the old head's wife is the new head's mother
        family["张丽"]: (old_head, Relation.SIBLING),
        family["王芳"]: (old_head, None),  # not the only child: whose wife she is, the old relations do not tell
    }
    # The marks are no change of the persons: their records, versions and the outbox hold only the head change.
    after_versions = versions(db)
    for name in ("李梅", "张丽", "王芳"):
        assert after_versions[family[name]] == before_versions[family[name]]
    assert count(db, OutboxEntry) == outbox_before + 3  # old head, new head, household
    with db.session() as s:
        entries = s.scalars(select(AuditEntry).where(AuditEntry.entity_type == "relation_check")).all()
        assert sorted(e.entity_id for e in entries) == sorted(family[n] for n in ("李梅", "张丽", "王芳"))
        assert all(e.action == "mark_relation_check" and e.user == "wang" and e.before is None for e in entries)
        assert s.scalar(select(func.count()).where(OutboxEntry.record_type == "relation_check")) == 0
        assert verify_audit_chain(s) is None
        # What the household window and the CLI read.
        view = household_of(s, family["张强"])
        assert view is not None
        pending = {m.person_id: (m.suggested, m.old_head_name, m.check_since) for m in view.to_check}
        assert pending[family["李梅"]][:2] == (Relation.PARENT, "张三")
        assert all(since is not None for _s, _n, since in pending.values())
        listed = relations_to_check(s)
        assert [item.name for item in listed] == ["张丽", "李梅", "王芳"]  # one household: by name
        first = next(item for item in listed if item.name == "李梅")
        assert (first.head_name, first.relation, first.old_head_name, first.suggested) == (
            "张强",
            Relation.SPOUSE,
            "张三",
            Relation.PARENT,
        )


def test_confirming_or_changing_a_relation_removes_its_mark(db: Database, family: dict[str, str]) -> None:
    son_takes_over(db, family)
    outbox_before = count(db, OutboxEntry)
    version = versions(db)[family["张丽"]]
    with db.session() as s:  # confirmed as it is (a person looked at the 户口簿): only the mark goes
        set_relation(s, WANG, family["王芳"], Relation.DAUGHTER_IN_LAW)
    with db.session() as s:  # changed: the relation is saved and synced, the mark goes
        set_relation(s, WANG, family["张丽"], Relation.SIBLING, base_version=version)
    assert set(marks(db)) == {family["李梅"]}
    assert count(db, OutboxEntry) == outbox_before + 1  # 张丽's new relation only
    with db.session() as s:
        actions = [
            e.action
            for e in s.scalars(
                select(AuditEntry).where(AuditEntry.entity_type == "relation_check").order_by(AuditEntry.seq)
            )
        ][-2:]
        assert actions == ["confirm_relation", "confirm_relation"]
        assert s.get(Person, family["王芳"]).relation is Relation.DAUGHTER_IN_LAW  # type: ignore[union-attr]


def test_a_refused_change_keeps_the_mark(db: Database, family: dict[str, str]) -> None:
    son_takes_over(db, family)
    before = marks(db)
    with pytest.raises(ServiceError) as refused, db.session() as s:
        set_relation(s, REVIEWER, family["李梅"], Relation.PARENT)
    assert "复核员" in refused.value.user_message
    with pytest.raises(ServiceError), db.session() as s:
        set_relation(s, WANG, family["李梅"], Relation.PARENT, base_version=99)
    assert marks(db) == before


def test_leaving_the_household_removes_the_mark(db: Database, family: dict[str, str]) -> None:
    son_takes_over(db, family)
    with db.session() as s:
        create_household(s, WANG, family["张丽"])  # 张丽 starts her own household
    assert family["张丽"] not in marks(db)
    with db.session() as s:
        move_to_household(s, WANG, family["李梅"], str(s.get(Person, family["张丽"]).household_id), Relation.PARENT)  # type: ignore[union-attr]
    assert set(marks(db)) == {family["王芳"]}
    with db.session() as s:
        left = s.scalars(select(AuditEntry.action).where(AuditEntry.entity_type == "relation_check")).all()
        assert left.count("relation_check_left") == 2


def test_a_second_head_change_keeps_the_first_old_head_and_an_undo_clears(db: Database, family: dict[str, str]) -> None:
    son_takes_over(db, family)
    # Before anyone checks, the daughter becomes head: the marks still refer to 张三, now without a suggestion
    # (worked out against 张强 they would be wrong); 张强 (the head before) is asked for in the call.
    with db.session() as s:
        set_household_head(s, WANG, family["household"], family["张丽"], old_head_relation=Relation.SIBLING)
    assert marks(db) == {
        family["李梅"]: (family["张三"], None),
        family["王芳"]: (family["张三"], None),
        family["张三"]: (family["张强"], None),  # his relation (父母) was to 张强; 张强 was still 待核对 himself
    }
    # Back to 张三 as head (the change was a mistake): the relations that refer to him are right again.
    with db.session() as s:
        set_household_head(s, WANG, family["household"], family["张三"], old_head_relation=Relation.DAUGHTER)
    assert marks(db) == {family["张强"]: (family["张丽"], None)}


def test_relations_given_with_the_head_change_are_not_marked(db: Database, family: dict[str, str]) -> None:
    with db.session() as s:
        set_household_head(
            s,
            WANG,
            family["household"],
            family["张强"],
            old_head_relation=Relation.PARENT,
            relations={family["李梅"]: Relation.PARENT, family["王芳"]: Relation.SPOUSE},
        )
    assert set(marks(db)) == {family["张丽"]}


def test_the_person_list_filters_and_marks_relations_to_check(db: Database, family: dict[str, str]) -> None:
    with db.session() as s:
        assert list_person_ids(s, PersonFilter(relation_to_check=True)) == []
    son_takes_over(db, family)
    with db.session() as s:
        ids = list_person_ids(s, PersonFilter(relation_to_check=True))
        assert set(ids) == {family["李梅"], family["张丽"], family["王芳"]}
        assert list_person_ids(s, PersonFilter(text="张", relation_to_check=True)) == [family["张丽"]]
        rows = fetch_person_rows(s, [family["李梅"], family["张强"]])
        assert rows[family["李梅"]].relation_to_check and rows[family["李梅"]].relation == "配偶"
        assert not rows[family["张强"]].relation_to_check
