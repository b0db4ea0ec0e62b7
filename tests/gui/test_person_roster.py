"""services.roster (人员花名册查询): the queries behind the person list, on a real SQLite file.

These tests need no Qt; they live beside the GUI tests because they share the village database fixture.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from sqlalchemy import delete, event

from pensiondesk.services import roster
from pensiondesk.services.roster import FETCH_CHUNK, PersonFilter
from pensiondesk.store.models import Setting

if TYPE_CHECKING:
    from .conftest import VillageDb


def captured_selects(db: VillageDb, run: Any) -> list[tuple[str, Any]]:
    """Run ``run(session)`` and return the SELECT statements it sent, with their parameters."""
    seen: list[tuple[str, Any]] = []

    def listener(_conn: object, _cursor: object, statement: str, parameters: Any, *_args: object) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        with db.session_factory() as session:
            run(session)
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    return seen


@pytest.mark.parametrize(
    ("typed", "index"),
    [
        ("张三", "ix_person_name"),
        ("zsf", "ix_person_name_initials"),
        ("1768", "ix_person_id_number_rev"),
        ("410522194001010011", "sqlite_autoindex_person"),  # the UNIQUE constraint on id_number
    ],
)
def test_each_kind_of_search_walks_an_index(village_db: VillageDb, typed: str, index: str) -> None:
    (statement, parameters), *_ = captured_selects(
        village_db, lambda s: roster.list_person_ids(s, PersonFilter(text=typed))
    )
    with village_db.engine.connect() as conn:
        plan = [row[3] for row in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)]
    person_steps = [step for step in plan if " person " in f" {step} "]
    assert person_steps, plan
    assert all(step.startswith(("SEARCH", "MULTI-INDEX")) or index in step for step in person_steps), plan
    assert any(index in step for step in plan), plan
    assert not any(step.startswith("SCAN person") for step in plan), plan


def test_list_ids_selects_only_ids(village_db: VillageDb) -> None:
    statements = captured_selects(village_db, lambda s: roster.list_person_ids(s))
    assert len(statements) == 1
    select_list = statements[0][0].split("FROM")[0]
    assert select_list.split() == ["SELECT", "person.id"]


def test_fetch_rows_one_query_per_chunk(village_db: VillageDb) -> None:
    with village_db.session_factory() as session:
        ids = roster.list_person_ids(session)
    wanted = ids * 4  # 1,200 ids with repeats: duplicates are asked for once
    result: dict[str, roster.PersonRow] = {}
    statements = captured_selects(village_db, lambda s: result.update(roster.fetch_person_rows(s, wanted)))
    assert len(result) == 300
    assert len(statements) == -(-300 // FETCH_CHUNK)
    row = result[ids[0]]
    assert row.relation == "户主"
    assert row.household_head == row.name
    assert row.group_name == "一组"


def test_fetch_rows_with_no_ids_asks_nothing(village_db: VillageDb) -> None:
    statements = captured_selects(village_db, lambda s: roster.fetch_person_rows(s, []))
    assert statements == []


def test_count_and_village_summary(village_db: VillageDb) -> None:
    with village_db.session_factory() as session:
        assert roster.count_persons(session) == 300
        assert roster.village_summary(session) == ("红旗村", "城关镇")


def test_village_summary_without_a_village(village_db: VillageDb) -> None:
    with village_db.session_factory() as session:
        session.execute(delete(Setting).where(Setting.key == "village_id"))
    with village_db.session_factory() as session:
        assert roster.village_summary(session) is None
