"""Recording a change: audit entry and outbox row land with the change or not at all; the audit chain detects edits."""

from __future__ import annotations

import json
import sqlite3
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from pensiondesk.domain.codes import OutboxState, Sex
from pensiondesk.domain.idnumber import check_character
from pensiondesk.services.recording import Actor, record_change, snapshot, verify_audit_chain
from pensiondesk.store.db import Database, open_database
from pensiondesk.store.models import AuditEntry, County, OutboxEntry, Person, Township, Village, new_uuid

ACTOR = Actor("wang")


def _id(first17: str) -> str:
    return first17 + check_character(first17)


@pytest.fixture
def db(tmp_path: Path) -> Database:
    database = open_database(tmp_path / "v.sqlite")
    with database.session() as s:
        county = County(id=new_uuid(), code="411099", name="安和县")
        township = Township(id=new_uuid(), county_id=county.id, code="411099101", name="青山镇")
        village = Village(id=new_uuid(), township_id=township.id, code="411099101201", name="红旗村")
        s.add_all([county, township, village])
    return database


def _add_person(db: Database, name: str, first17: str) -> str:
    with db.session() as s:
        village_id = s.scalars(select(Village.id)).one()
        person = Person(
            village_id=village_id,
            name=name,
            id_number=_id(first17),
            sex=Sex.MALE,
            birth_date=date(1960, 1, 1),
        )
        s.add(person)
        s.flush()
        record_change(
            s,
            actor=ACTOR,
            action="person.add",
            entity_type="person",
            entity_id=person.id,
            before=None,
            after=snapshot(person),
        )
        return person.id


def test_change_audit_and_outbox_commit_together(db: Database) -> None:
    person_id = _add_person(db, "张三", "41109919600101001")
    with db.session() as s:
        entry = s.scalars(select(AuditEntry)).one()
        outbox = s.scalars(select(OutboxEntry)).one()
        assert entry.entity_id == person_id and entry.user == "wang" and entry.before is None
        assert entry.after is not None and entry.after["name"] == "张三"
        assert entry.after["birth_date"] == "1960-01-01" and entry.after["sex"] == "1"
        assert outbox.record_id == person_id and outbox.operation == "create"
        assert outbox.state is OutboxState.PENDING
        assert outbox.payload["_operator"] == "wang" and outbox.payload["id_number"].startswith("411099")


def test_failure_after_recording_leaves_nothing(db: Database) -> None:
    with pytest.raises(RuntimeError), db.session() as s:
        village_id = s.scalars(select(Village.id)).one()
        person = Person(
            village_id=village_id,
            name="李四",
            id_number=_id("41109919600101003"),
            sex=Sex.MALE,
            birth_date=date(1960, 1, 1),
        )
        s.add(person)
        s.flush()
        record_change(
            s,
            actor=ACTOR,
            action="person.add",
            entity_type="person",
            entity_id=person.id,
            before=None,
            after=snapshot(person),
        )
        raise RuntimeError("power cut before commit")
    with db.session() as s:
        for model in (Person, AuditEntry, OutboxEntry):
            assert s.scalar(select(func.count()).select_from(model)) == 0


def test_update_and_delete_operations_and_unsynced_changes(db: Database) -> None:
    person_id = _add_person(db, "王五", "41109919600101005")
    with db.session() as s:
        person = s.get(Person, person_id)
        assert person is not None
        before = snapshot(person)
        person.phone = "13800000000"
        record_change(
            s,
            actor=ACTOR,
            action="person.update",
            entity_type="person",
            entity_id=person_id,
            before=before,
            after=snapshot(person),
            reason="本人来电更正",
            base_version=1,
        )
        record_change(
            s,
            actor=ACTOR,
            action="local.note",
            entity_type="person",
            entity_id=person_id,
            before=None,
            after={"note": "只在本机"},
            sync=False,
        )
    with db.session() as s:
        ops = s.scalars(select(OutboxEntry.operation).order_by(OutboxEntry.seq)).all()
        assert ops == ["create", "update"]  # the sync=False change is audited but not queued
        assert s.scalar(select(func.count()).select_from(AuditEntry)) == 3
        update = s.scalars(select(OutboxEntry).where(OutboxEntry.operation == "update")).one()
        assert update.base_version == 1 and update.payload["phone"] == "13800000000"


def test_audit_chain_verifies_and_finds_the_first_broken_link(db: Database) -> None:
    for i in range(5):
        _add_person(db, f"赵{'一二三四五'[i]}", f"4110991960010101{i}")
    with db.session() as s:
        assert verify_audit_chain(s) is None
        seqs = s.scalars(select(AuditEntry.seq).order_by(AuditEntry.seq)).all()

    # Someone edits the third entry with a plain SQLite tool: the chain breaks exactly there.
    with sqlite3.connect(db.path) as conn:
        conn.execute("update audit_entry set user = 'mallory' where seq = ?", (seqs[2],))
    with db.session() as s:
        assert verify_audit_chain(s) == seqs[2]

    # Deleting an entry breaks the link of the one after it.
    with sqlite3.connect(db.path) as conn:
        conn.execute("update audit_entry set user = 'wang' where seq = ?", (seqs[2],))
        conn.execute("delete from audit_entry where seq = ?", (seqs[1],))
    with db.session() as s:
        assert verify_audit_chain(s) == seqs[2]


def test_bulk_recorder_writes_the_text_it_always_wrote(db: Database) -> None:
    """BulkRecorder writes each record's ``after`` as ``canonical`` (json.dumps, sorted keys) text, byte for byte,
    and the outbox payload as that text with ``_operator`` added at the end, for every kind of value — the plain
    ones it writes itself and the rest (floats, enums, nested values) it leaves to json — so the hashes chain."""
    from enum import StrEnum

    from pensiondesk.services.recording import BulkRecorder, audit_hash, canonical

    class Kind(StrEnum):
        A = "a"

    records: list[dict[str, Any]] = [
        {"name": "张三", "z": None, "a": True, "b": False, "n": 0, "m": -17, "big": 10**30, "version": 1},
        {"text": 'quote " backslash \\ slash / tab \t newline \n nul \x00 bell \x07 del \x7f', "e": "é ü ß"},
        {"odd": "\u2028\u2029 \ufeff \U0001f600 𠀀", "empty": "", "space": " "},
        {"B": 1, "a": 2, "_x": 3, "Z": 4, "中": 5, "ä": 6, "1": 7},
        {},
        {"float": 1.5, "name": "x"},
        {"enum": Kind.A},
        {"nested": {"b": 1, "a": [1, "二", None]}, "name": "y"},
        {"name": "张三", "z": None, "a": True, "b": False, "n": 3, "m": -1, "big": 2, "version": 2},
    ]
    with db.session() as s:
        recorder = BulkRecorder(s, ACTOR)
        prev = recorder.prev_hash
        for number, after in enumerate(records):
            recorder.created("thing", f"id-{number}", after, action="add_thing")
        recorder.write()
    with db.session() as s:
        raw = s.connection().exec_driver_sql("SELECT entity_id, after, prev_hash, hash FROM audit_entry ORDER BY seq")
        audit = {entity_id: (after, prev_hash, digest) for entity_id, after, prev_hash, digest in raw}
        raw = s.connection().exec_driver_sql("SELECT record_id, payload FROM sync_outbox")
        outbox = dict(raw.all())
        entries = {e.entity_id: e for e in s.scalars(select(AuditEntry))}
        for number, after in enumerate(records):
            entity_id = f"id-{number}"
            text, prev_hash, digest = audit[entity_id]
            assert text == canonical(after)
            assert outbox[entity_id] == canonical(after)[:-1] + ("," if after else "") + '"_operator":"wang"}'
            entry = entries[entity_id]
            content = {
                "id": entry.id,
                "at": entry.at.isoformat(),
                "user": "wang",
                "action": "add_thing",
                "entity_type": "thing",
                "entity_id": entity_id,
                "before": None,
                "after": json.loads(canonical(after)),
                "reason": None,
            }
            assert prev_hash == prev and digest == audit_hash(prev, content)
            prev = digest
        assert verify_audit_chain(s) is None
