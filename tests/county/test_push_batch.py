"""``push_batch`` in process: the one-flush batch path and its record-by-record fallback give the same answers.

A batch is applied in one savepoint and flushed once; when the database refuses a row, the batch is applied again
record by record, so only that record is ``rejected`` and everything else is as if nothing had failed.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, select, text
from sqlalchemy.orm import Session, sessionmaker

from pensiondesk.county import admin
from pensiondesk.county.models import ChangeRow, DeathNotice, DeferredChange, ReceivedChange, RecordRow, ServerMeta
from pensiondesk.county.store import (
    authenticate,
    create_county_engine,
    push_batch,
    session_scope,
    sqlite_url,
    upgrade_database,
)
from pensiondesk.sync.protocol import EnrolRequest, Operation, PushRecord, PushRequest, PushResponse

PG_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
VILLAGE = "411099101201"
BAD_ID = "00000000-0000-4000-8000-00000000dead"


def new_id() -> str:
    return str(uuid.uuid4())


class County:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        upgrade_database(engine)
        self.factory = sessionmaker(bind=engine, expire_on_commit=False)
        with session_scope(self.factory) as s:
            admin.set_county(s, "411099", "安和县")
            admin.add_township(s, VILLAGE[:9], "青山镇")
            admin.add_village(s, VILLAGE, "红旗村", VILLAGE[:9])
            code = admin.issue_enrolment_code(s, VILLAGE)
        with session_scope(self.factory) as s:
            enrolled = admin.enrol_device(s, EnrolRequest(protocol_version=1, code=code, device_name="a"))
            self.token = enrolled.device_token

    def push(self, records: list[PushRecord], batch_id: str | None = None) -> PushResponse:
        req = PushRequest(protocol_version=1, batch_id=batch_id or new_id(), records=records)
        with session_scope(self.factory) as s:
            return push_batch(s, authenticate(s, self.token), req)

    def session(self) -> Session:
        return self.factory()


def _sqlite(tmp_path: Path) -> Iterator[County]:
    engine = create_county_engine(sqlite_url(tmp_path / "c.sqlite"))
    county = County(engine)
    # The database refuses one record ID, as it would a row it cannot store.
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "CREATE TRIGGER refuse_bad BEFORE INSERT ON record "
            f"WHEN NEW.record_id = '{BAD_ID}' BEGIN SELECT RAISE(ABORT, 'refused'); END"
        )
    yield county
    engine.dispose()


def _postgres() -> Iterator[County]:
    try:
        admin_engine = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
        with admin_engine.connect() as conn:
            conn.execute(text("select 1"))
    except Exception:
        pytest.skip("PostgreSQL is not reachable on 127.0.0.1:5432 (trust auth, database `test`)")
    name = f"pd_push_{uuid.uuid4().hex[:12]}"
    with admin_engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine = create_county_engine(PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}")
    try:
        county = County(engine)
        with engine.begin() as conn:
            conn.execute(
                text(
                    "CREATE FUNCTION refuse_bad() RETURNS trigger AS $$ BEGIN "
                    f"IF NEW.record_id = '{BAD_ID}' THEN RAISE EXCEPTION 'refused'; END IF; RETURN NEW; END $$ "
                    "LANGUAGE plpgsql"
                )
            )
            conn.execute(
                text("CREATE TRIGGER refuse_bad BEFORE INSERT ON record FOR EACH ROW EXECUTE FUNCTION refuse_bad()")
            )
        yield county
    finally:
        engine.dispose()
        with admin_engine.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin_engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def county(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[County]:
    if request.param == "postgres":
        yield from _postgres()
    else:
        yield from _sqlite(tmp_path)


def rec(
    record_type: str,
    record_id: str,
    payload: dict[str, object],
    op: Operation = Operation.CREATE,
    base: int | None = None,
) -> PushRecord:
    return PushRecord(
        change_id=new_id(),
        record_type=record_type,
        record_id=record_id,
        operation=op,
        payload=payload,
        base_version=base,
        captured_at=datetime(2026, 3, 1, tzinfo=UTC),
    )


def statuses(response: PushResponse) -> list[tuple[str, str]]:
    return [(r.status.value, r.code) for r in response.results]


def test_a_mixed_batch_gets_the_same_answers_as_record_by_record(county: County) -> None:
    """Parents and children in one batch, a child before its parent, a repeated change, an update and a conflict:
    the one-flush path answers each exactly as the rules say."""
    group, person, late_parent = new_id(), new_id(), new_id()
    first = county.push(
        [
            rec("villager_group", group, {"name": "一组"}),
            rec("person", person, {"name": "张三", "group_id": group, "id_number": "11010519491231002X"}),
        ]
    )
    assert statuses(first) == [("created", "created"), ("created", "created")]
    child_first = rec("contribution", new_id(), {"person_id": late_parent, "year": 2026, "tier_fen": 20000})
    parent_later = rec("person", late_parent, {"name": "李四", "group_id": group})
    repeated = rec("registration", new_id(), {"person_id": person})
    batch = [
        child_first,
        rec("registration", new_id(), {"person_id": person}),
        repeated,
        repeated,
        rec("person", person, {"name": "张三改", "group_id": group}, Operation.UPDATE, base=1),
        rec("person", person, {"name": "张三又改", "group_id": group}, Operation.UPDATE, base=1),
        parent_later,
        rec("survival_check", new_id(), {"person_id": person, "checked_on": "2026-02-01"}),
        rec("no_such_type", new_id(), {}),
    ]
    answer = county.push(batch)
    assert statuses(answer) == [
        ("deferred", "waiting_parent"),
        ("created", "created"),
        ("created", "created"),
        ("duplicate", "duplicate"),
        ("created", "applied"),
        ("conflict", "version_mismatch"),
        ("created", "created"),
        ("created", "created"),
        ("rejected", "unknown_type"),
    ]
    with county.session() as s:
        # The deferred child landed when its parent arrived later in the same batch.
        assert s.get(RecordRow, ("contribution", child_first.record_id)) is not None
        assert s.scalar(select(DeferredChange).limit(1)) is None
        assert s.get(RecordRow, ("person", person)).version == 2  # type: ignore[union-attr]
    # The same batch again: the stored answer; the same changes in a new batch: duplicates or earlier verdicts.
    assert county.push(batch, answer.batch_id).results == answer.results
    again = county.push(batch)
    assert [r.status.value for r in again.results] == [
        "duplicate",
        "duplicate",
        "duplicate",
        "duplicate",
        "duplicate",
        "conflict",
        "duplicate",
        "duplicate",
        "rejected",
    ]


def test_a_row_the_database_refuses_is_rejected_alone(county: County) -> None:
    group = new_id()
    persons = [new_id() for _ in range(4)]
    records = [rec("villager_group", group, {"name": "一组"})]
    records += [rec("person", p, {"name": f"人{i}", "group_id": group}) for i, p in enumerate(persons[:2])]
    records.append(rec("person", BAD_ID, {"name": "坏", "group_id": group}))
    records += [rec("person", p, {"name": f"人{i}", "group_id": group}) for i, p in enumerate(persons[2:])]
    records.append(rec("registration", new_id(), {"person_id": persons[3]}))
    with county.session() as s:
        seq_before = s.get(ServerMeta, 1).change_seq  # type: ignore[union-attr]
    answer = county.push(records)
    assert (
        statuses(answer) == [("created", "created")] * 3 + [("rejected", "server_error")] + [("created", "created")] * 3
    )
    with county.session() as s:
        held = {r.record_id for r in s.scalars(select(RecordRow))}
        assert held == {group, *persons, records[-1].record_id}
        bad = s.get(ReceivedChange, records[3].change_id)
        assert bad is not None and bad.status == "rejected" and bad.code == "server_error"
        assert s.scalar(select(ReceivedChange).where(ReceivedChange.change_id == records[0].change_id)) is not None
        # One roster change per person that landed, numbered on from where the counter was, in batch order.
        roster = s.execute(select(ChangeRow.seq, ChangeRow.key).order_by(ChangeRow.seq)).all()
        assert [key for _seq, key in roster] == persons
        assert roster[0].seq > seq_before
        assert s.get(ServerMeta, 1).change_seq == roster[-1].seq  # type: ignore[union-attr]
    # Re-sent: the stored answer; the refused change in a new batch keeps its verdict.
    assert county.push(records, answer.batch_id).results == answer.results
    assert statuses(county.push([records[3]])) == [("rejected", "server_error")]


def test_survival_check_after_a_death_matched_in_the_same_batch(county: County) -> None:
    with session_scope(county.factory) as s:
        s.add(
            DeathNotice(
                id=new_id(), id_number="11010519491231002X", name="王五", death_date=date(2026, 1, 5), source="民政"
            )
        )
    group, person, other = new_id(), new_id(), new_id()
    answer = county.push(
        [
            rec("villager_group", group, {"name": "一组"}),
            rec("survival_check", new_id(), {"person_id": person, "checked_on": "2026-02-01"}),
            rec("person", person, {"name": "王五", "group_id": group, "id_number": "11010519491231002X"}),
            rec("person", other, {"name": "赵六", "group_id": group}),
            rec("survival_check", new_id(), {"person_id": person, "checked_on": "2026-02-02"}),
            rec("survival_check", new_id(), {"person_id": other, "checked_on": "2026-02-02"}),
        ]
    )
    assert statuses(answer) == [
        ("created", "created"),
        ("deferred", "waiting_parent"),
        ("created", "created"),
        ("created", "created"),
        ("created", "after_death"),
        ("created", "created"),
    ]
    # A later batch: the notice is matched now.
    late = county.push([rec("survival_check", new_id(), {"person_id": person, "checked_on": "2026-03-01"})])
    assert statuses(late) == [("created", "after_death")]


def test_a_reference_the_database_cannot_compare_blocks_nothing(county: County) -> None:
    """PostgreSQL refuses a NUL in a text value: the batch's look-ups leave such a value to its own record, which
    is then refused alone (on SQLite it simply waits for a parent that never comes) — never a failed batch."""
    with session_scope(county.factory) as s:
        s.add(DeathNotice(id=new_id(), id_number="999", name="某", death_date=date(2020, 1, 1), source="民政"))
    group = new_id()
    answer = county.push(
        [
            rec("villager_group", group, {"name": "一组"}),
            rec("person", new_id(), {"name": "甲", "group_id": "a\x00b"}),
            rec("survival_check", new_id(), {"person_id": "p\x00", "checked_on": "2026-02-01"}),
            rec("person", new_id(), {"name": "乙", "group_id": group}),
        ]
    )
    got = statuses(answer)
    assert got[0] == got[3] == ("created", "created")
    assert {got[1][0], got[2][0]} <= {"rejected", "deferred"}
