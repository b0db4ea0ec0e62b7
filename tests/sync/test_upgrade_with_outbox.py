"""A schema upgrade on the laptop while outbox rows are unsent (sync-protocol.md, failure cases).

``tests/store/data/schema_0001.sqlite`` is a real database as the first release wrote it, with two outbox rows
still ``pending``. Opened by this program it is upgraded (backup first); enrolled with a real county server and
synced, both rows must reach the county exactly once, with the content they had before the upgrade.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

from sqlalchemy import func, select

from pensiondesk.county.models import ReceivedChange, RecordRow
from pensiondesk.domain.codes import OutboxState
from pensiondesk.store.db import open_database
from pensiondesk.store.migrate import head_revision
from pensiondesk.store.models import OutboxEntry
from pensiondesk.sync.client import SyncClient
from pensiondesk.sync.engine import client_for, enroll, run_sync

from .conftest import CountyServer

OLD_FILE = Path(__file__).resolve().parents[1] / "store" / "data" / "schema_0001.sqlite"


def _pending_rows(path: Path) -> dict[str, tuple[str, str, str]]:
    """change ID → (record type, record ID, payload JSON) of the unsent rows, read with plain sqlite3."""
    with sqlite3.connect(path) as conn:
        rows = conn.execute(
            "SELECT id, record_type, record_id, payload FROM sync_outbox WHERE state = 'pending'"
        ).fetchall()
        return {r[0]: (r[1], r[2], r[3]) for r in rows}


def test_unsent_rows_survive_the_upgrade_and_reach_the_county_once(server: CountyServer, tmp_path: Path) -> None:
    path = tmp_path / "village.sqlite"
    shutil.copyfile(OLD_FILE, path)
    pending = _pending_rows(path)
    assert len(pending) == 2
    with sqlite3.connect(path) as conn:
        (village_code,) = conn.execute("SELECT code FROM village").fetchone()
    server.add_village(village_code, "石井村")

    db = open_database(path, migrate=True)
    try:
        assert db.migrated_from == "0001_baseline" and db.revision() == head_revision()
        assert db.backup_path is not None and db.backup_path.exists()
        with db.session() as s:
            rows = s.scalars(select(OutboxEntry).where(OutboxEntry.id.in_(pending))).all()
            assert {r.id for r in rows} == set(pending)
            assert all(r.state is OutboxState.PENDING for r in rows)

        enroll(db, server.url, server.enrol_code(village_code), device_name="石井村-升级后")
        client: SyncClient = client_for(db, retries=0)
        try:
            report = run_sync(db, client)
            assert report.error is None and not report.mismatches
            assert run_sync(db, client).pushed_batches == 0  # nothing left, nothing re-sent
        finally:
            client.close()

        with db.session() as s:
            rows = s.scalars(select(OutboxEntry).where(OutboxEntry.id.in_(pending))).all()
            assert {r.id: r.state for r in rows} == dict.fromkeys(pending, OutboxState.ACCEPTED)
            # The baseline queued at enrolment did not queue those records a second time.
            for _change_id, (record_type, record_id, _payload) in pending.items():
                queued = s.scalar(
                    select(func.count())
                    .select_from(OutboxEntry)
                    .where(OutboxEntry.record_type == record_type, OutboxEntry.record_id == record_id)
                )
                assert queued == 1
    finally:
        db.close()

    with server.session() as s:
        received = s.scalars(select(ReceivedChange).where(ReceivedChange.change_id.in_(pending))).all()
        assert sorted(r.change_id for r in received) == sorted(pending)
        assert all(r.status == "created" for r in received)  # once each, never as a duplicate of itself
        for change_id, (record_type, record_id, payload_json) in pending.items():
            record = s.get(RecordRow, (record_type, record_id))
            assert record is not None and not record.deleted and record.village_code == village_code
            sent = {k: v for k, v in json.loads(payload_json).items() if not k.startswith("_")}
            stored = {k: v for k, v in record.payload.items() if not k.startswith("_")}
            assert stored == sent, change_id
            copies = s.scalar(
                select(func.count())
                .select_from(ReceivedChange)
                .where(ReceivedChange.record_type == record_type, ReceivedChange.record_id == record_id)
            )
            assert copies == 1
