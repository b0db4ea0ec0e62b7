"""The failure cases of sync-protocol.md, each against a real county server process."""

from __future__ import annotations

import contextlib
import sqlite3
import threading
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import requests
from sqlalchemy import select

from pensiondesk.county import admin
from pensiondesk.county.models import SecurityEvent
from pensiondesk.domain.codes import OutboxState
from pensiondesk.store.db import Database
from pensiondesk.store.models import OutboxEntry, SyncState
from pensiondesk.sync import outbox
from pensiondesk.sync.apply import apply_page
from pensiondesk.sync.client import SyncClient, SyncHttpError
from pensiondesk.sync.engine import run_sync
from pensiondesk.sync.protocol import PROTOCOL_VERSION, Operation, PushRecord, PushRequest
from pensiondesk.sync.worker import SyncWorker

from .conftest import CountyServer
from .faultproxy import FaultProxy
from .test_push_pull import enrolled
from .work import certify, contribute, edit_person, expected_records, new_id, outbox_states, person_ids, register


def _token(db: Database) -> str:
    with db.session() as s:
        state = s.get(SyncState, 1)
        assert state is not None and state.device_token
        return state.device_token


def _push(client: SyncClient, records: list[PushRecord], epoch: str | None = None) -> list:
    req = PushRequest(protocol_version=PROTOCOL_VERSION, batch_id=new_id(), epoch=epoch, records=records)
    return client.push(req).results


def _rec(
    record_type: str, record_id: str, payload: dict, op: Operation = Operation.CREATE, base: int | None = None
) -> PushRecord:
    return PushRecord(
        change_id=new_id(),
        record_type=record_type,
        record_id=record_id,
        operation=op,
        payload=payload,
        base_version=base,
        captured_at=datetime.now(UTC),
    )


def test_same_uuid_changed_payload_is_conflict_never_overwrite(server: CountyServer, laptop_factory) -> None:
    db, client, village = enrolled(server, laptop_factory, persons=2)
    run_sync(db, client)
    with db.session() as s:
        row = s.scalar(select(OutboxEntry).where(OutboxEntry.record_type == "person"))
        assert row is not None
        same = PushRecord(
            change_id=row.id,
            record_type=row.record_type,
            record_id=row.record_id,
            operation=Operation.CREATE,
            payload=row.payload,
            captured_at=row.created_at,
        )
        changed = same.model_copy(update={"payload": {**row.payload, "name": "改过的名字"}})
        other_change = changed.model_copy(update={"change_id": new_id()})
    dup, reused, exists = _push(client, [same, changed, other_change])
    assert dup.status == "duplicate"
    assert reused.status == "conflict" and reused.code == "change_id_reused"
    assert (
        exists.status == "conflict" and exists.code == "record_exists" and exists.server_payload["name"] != "改过的名字"
    )
    assert server.records(village)[("person", row.record_id)]["name"] == row.payload["name"]


def test_child_before_parent_across_batches_and_devices(server: CountyServer, laptop_factory) -> None:
    _db, client, village = enrolled(server, laptop_factory, persons=1)
    pid = new_id()
    receipt_parent = new_id()
    child = _rec("contribution", receipt_parent, {"person_id": pid, "year": 2026, "tier_fen": 20000})
    update = _rec("contribution", receipt_parent, {"x": 1}, Operation.UPDATE)
    first = _push(client, [child])
    assert first[0].status == "deferred"
    # A second laptop of the same village brings the parent.
    other_db = laptop_factory("b", village_code=village, persons=1, seed=2)
    from pensiondesk.sync.engine import enroll

    enroll(other_db, server.url, server.enrol_code(village), device_name="b")
    client_b = SyncClient(server.url, _token(other_db), retries=0)
    parent = _rec("person", pid, {"name": "新人", "id_number": "11010519491231002X"})
    assert _push(client_b, [parent])[0].status == "created"
    held = server.records(village)
    assert ("contribution", receipt_parent) in held
    assert held[("contribution", receipt_parent)]["person_id"] == pid
    # Re-sending the deferred child now reports a duplicate; an update to an immutable fact is refused.
    assert _push(client, [child])[0].status == "duplicate"
    assert _push(client, [update])[0].code == "immutable"


def test_one_invalid_record_in_a_batch_of_500(server: CountyServer, laptop_factory) -> None:
    _db, client, village = enrolled(server, laptop_factory, persons=1)
    records = [_rec("villager_group", new_id(), {"name": f"组{i}"}) for i in range(499)]
    records.insert(250, _rec("no_such_type", new_id(), {}))
    results = _push(client, records)
    assert len(results) == 500
    assert [r.status for r in results].count("created") == 499
    bad = results[250]
    assert bad.status == "rejected" and bad.code == "unknown_type" and bad.message
    assert len(server.records(village, "villager_group")) >= 499


def test_401_403_revoked_and_foreign_village(server: CountyServer, laptop_factory) -> None:
    db_a, client_a, village_a = enrolled(server, laptop_factory, name="a", persons=2)
    db_b, client_b, village_b = enrolled(server, laptop_factory, name="b", persons=2)
    run_sync(db_a, client_a)
    run_sync(db_b, client_b)
    b_person = person_ids(db_b, 1)[0]
    # A's token writing B's person: refused per record and logged.
    res = _push(
        client_a,
        [
            _rec("person", b_person, {"name": "x"}, Operation.UPDATE, base=1),
            _rec("registration", new_id(), {"person_id": b_person}),
        ],
    )
    assert [r.code for r in res] == ["forbidden_village", "forbidden_village"]
    assert server.records(village_b)[("person", b_person)]["name"] != "x"
    # Pull and summary only ever show the device's own village.
    assert set(client_a.summary().types) and client_a.summary().village_code == village_a
    with server.session() as s:
        kinds = {e.kind for e in s.scalars(select(SecurityEvent))}
        assert {"foreign_village_write", "foreign_village_parent"} <= kinds
    with pytest.raises(SyncHttpError) as e401:
        SyncClient(server.url, "not-a-token", retries=0).handshake()
    assert e401.value.status == 401 and not e401.value.retryable
    with server.session() as s:
        device_id = s.scalar(select(SyncState.device_id)) if False else None
        devices = [d for d in admin.list_devices(s) if d.village_code == village_a]
        admin.revoke_device(s, devices[0].id)
    with pytest.raises(SyncHttpError) as e403:
        run_sync(db_a, client_a)
    assert e403.value.status == 403 and "撤销" in e403.value.message
    assert device_id is None


def test_5xx_and_dropped_responses_through_the_proxy(server: CountyServer, laptop_factory) -> None:
    db, _client, village = enrolled(server, laptop_factory, persons=30)
    proxy = FaultProxy(
        server.port, script=["error_503", "drop_response", "cut_response", "cut_request", "error_502"]
    ).start()
    try:
        client = SyncClient(proxy.url, _token(db), retries=10, backoff_base=0.01, backoff_cap=0.05)
        report = run_sync(db, client)
        assert report.error is None
    finally:
        proxy.stop()
    assert server.records(village) == expected_records(db)
    assert set(outbox_states(db)) == {"accepted"}


def test_401_403_409_412_are_not_retried(server: CountyServer) -> None:
    calls: list[float] = []
    client = SyncClient(server.url, "bad", retries=5, sleep=calls.append)
    with pytest.raises(SyncHttpError):
        client.handshake()
    assert calls == []


def test_two_sync_triggers_at_once(server: CountyServer, laptop_factory) -> None:
    db, _client, village = enrolled(server, laptop_factory, persons=200)
    worker = SyncWorker(db, lambda _db: SyncClient(server.url, _token(db), retries=0))
    outcomes = []
    barrier = threading.Barrier(2)

    def go() -> None:
        barrier.wait()
        outcomes.append(worker.trigger())

    threads = [threading.Thread(target=go) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(o.busy for o in outcomes) == [False, True]
    assert server.records(village) == expected_records(db)


def test_crash_after_applying_a_pull_page_before_the_cursor(server: CountyServer, laptop_factory) -> None:
    db, client, _village = enrolled(server, laptop_factory, persons=3)
    reg = register(db, person_ids(db, 1)[0])
    run_sync(db, client)
    with server.session() as s:
        admin.answer(s, "registration", reg, approved=False, reason="照片不清", by="county")
    page = client.pull(0)
    with db.session(immediate=True) as s:  # applied, then the laptop dies before committing the cursor
        state = s.get(SyncState, 1)
        assert state is not None
        apply_page(s, state, page)
        s.rollback()
    with db.session(immediate=True) as s:
        state = s.get(SyncState, 1)
        assert state is not None
        apply_page(s, state, page)
        apply_page(s, state, page)  # and re-applying is harmless
    run_sync(db, client)
    from pensiondesk.store.models import Registration

    with db.session() as s:
        r = s.get(Registration, reg)
        assert r is not None and r.return_reason == "照片不清"


def test_tombstone_for_person_with_queued_receipts_and_death_vs_survival(
    server: CountyServer, laptop_factory, tmp_path
) -> None:
    db, client, village = enrolled(server, laptop_factory, persons=3)
    run_sync(db, client)
    pid = person_ids(db, 1)[0]
    # The laptop deletes the person (a tombstone goes up) while a contribution is still queued.
    contribution = contribute(db, pid)
    check = certify(db, pid, on=date(2026, 5, 1))
    with db.session(immediate=True) as s:
        from pensiondesk.services.recording import record_change, snapshot
        from pensiondesk.store.models import Person

        from .work import CLERK

        p = s.get(Person, pid)
        assert p is not None
        record_change(
            s,
            actor=CLERK,
            action="delete",
            entity_type="person",
            entity_id=pid,
            before=snapshot(p),
            after=None,
            base_version=p.version,
        )
    with db.session() as s:
        p = s.get(Person, pid)
        assert p is not None
        idn, name = p.id_number, p.name
    deaths = tmp_path / "d.csv"
    deaths.write_text(f"姓名,身份证号,死亡日期\n{name},{idn},2026-04-01\n", encoding="utf-8")
    with server.session() as s:
        admin.import_death_list(s, deaths)
    run_sync(db, client)
    with db.session() as s:
        rows = {
            r.record_id: r
            for r in s.scalars(select(OutboxEntry).where(OutboxEntry.record_id.in_([contribution, check])))
        }
    assert rows[contribution].state == OutboxState.ACCEPTED  # never lost: money was collected
    assert rows[check].state == OutboxState.ACCEPTED and rows[check].result_code == "after_death"
    assert ("person", pid) not in server.records(village)


def test_clock_off_by_a_day_is_reported_not_used(server: CountyServer, laptop_factory, monkeypatch) -> None:
    db, client, _ = enrolled(server, laptop_factory, persons=1)
    import pensiondesk.sync.client as client_module

    class Tomorrow(datetime):
        @classmethod
        def now(cls, tz=None):  # type: ignore[no-untyped-def, override]
            return datetime.now(tz) + timedelta(days=1, hours=8)

    monkeypatch.setattr(client_module, "datetime", Tomorrow)
    report = run_sync(db, client)
    assert report.clock_skew_seconds is not None and abs(report.clock_skew_seconds - 32 * 3600) < 120
    assert "时钟" in report.text()


def test_server_restored_from_backup_gets_everything_again(server: CountyServer, laptop_factory, tmp_path) -> None:
    db, client, village = enrolled(server, laptop_factory, persons=10)
    run_sync(db, client)
    server.stop()
    backup = tmp_path / "backup.sqlite"
    db_file = tmp_path / "county.sqlite"
    _sqlite_copy(db_file, backup)
    server.start()
    for pid in person_ids(db, 4):
        edit_person(db, pid, phone="13900000000")
    register(db, person_ids(db, 1)[0])
    run_sync(db, client)
    server.stop()
    server.engine.dispose()
    _sqlite_copy(backup, db_file)  # restored: the last sync is gone from the county
    with server.session() as s:
        admin.new_epoch(s)
    server.start()
    report = run_sync(db, client)
    assert report.epoch_restarted > 0
    assert server.records(village) == expected_records(db)


def _sqlite_copy(source: Path, target: Path) -> None:
    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()


def test_laptop_reinstalled_from_backup(server: CountyServer, laptop_factory, tmp_path) -> None:
    db, client, village = enrolled(server, laptop_factory, persons=5)
    from pensiondesk.store.db import backup_database, open_database

    backup = backup_database(db.path, tmp_path / "bk", "test")  # outbox all pending in the backup
    run_sync(db, client)
    db.close()
    restored = open_database(backup)
    try:
        report = run_sync(restored, client)  # re-sends what the county already has: duplicates, nothing twice
        assert report.results.get("accepted") == len(expected_records(restored))
        assert server.records(village) == expected_records(restored)
    finally:
        restored.close()


def test_two_laptops_of_one_village_edit_the_same_person(server: CountyServer, laptop_factory, tmp_path) -> None:
    from pensiondesk.store.db import backup_database, open_database
    from pensiondesk.sync.engine import enroll

    village = server.add_village()
    db_a = laptop_factory("a", village_code=village, persons=2)
    # Laptop B starts as a copy of A's database (same village data), enrolled as its own device.
    db_b = open_database(backup_database(db_a.path, tmp_path / "copy", "b"))
    try:
        enroll(db_a, server.url, server.enrol_code(village), device_name="a")
        enroll(db_b, server.url, server.enrol_code(village), device_name="b")
        client_a = SyncClient(server.url, _token(db_a), retries=0)
        client_b = SyncClient(server.url, _token(db_b), retries=0)
        run_sync(db_a, client_a)
        assert run_sync(db_b, client_b).results == {"accepted": len(expected_records(db_b))}  # duplicates
        _edit_both(server, village, db_a, db_b, client_a, client_b)
    finally:
        db_b.close()


def _edit_both(
    server: CountyServer, village: str, db_a: Database, db_b: Database, client_a: SyncClient, client_b: SyncClient
) -> None:
    pid = person_ids(db_a, 1)[0]
    edit_person(db_a, pid, phone="111")
    edit_person(db_b, pid, phone="222")
    run_sync(db_a, client_a)
    report = run_sync(db_b, client_b)
    assert report.results.get("conflict") == 1
    assert server.records(village)[("person", pid)]["phone"] == "111"
    with db_b.session(immediate=True) as s:
        (row,) = outbox.problems(s)
        detail = outbox.conflict_detail(s, row)
        assert detail["server_payload"]["phone"] == "111"
        outbox.resolve_conflict(s, row.id, keep="laptop", operator="reviewer")
    run_sync(db_b, client_b)
    assert server.records(village)[("person", pid)]["phone"] == "222"


def test_old_client_and_new_server_and_reverse(server: CountyServer) -> None:
    for version in (0, 99):
        r = requests.post(
            server.url + "/v1/handshake",
            json={"protocol_version": version, "client_time": "2026-01-01T00:00:00Z"},
            headers={"Authorization": "Bearer x"},
            timeout=5,
        )
        assert r.status_code == 412 if version == 99 else r.status_code in (412, 422)
    r = requests.post(
        server.url + "/v1/handshake", json={"protocol_version": 99, "client_time": "2026-01-01T00:00:00Z"}, timeout=5
    )
    body = r.json()
    assert body["code"] == "unsupported_protocol" and body["detail"]["protocol_max"] == PROTOCOL_VERSION


def test_server_killed_part_way_through_a_batch(server: CountyServer, laptop_factory) -> None:
    db, _client, village = enrolled(server, laptop_factory, persons=400)
    slow = SyncClient(server.url, _token(db), retries=0, timeout=(2, 5))
    t = threading.Thread(target=lambda: _swallow(lambda: run_sync(db, slow)))
    t.start()
    time.sleep(0.4)
    server.kill()
    t.join()
    server.start()
    run_sync(db, SyncClient(server.url, _token(db), retries=3, backoff_base=0.05))
    assert server.records(village) == expected_records(db)


def _swallow(fn: Callable[[], object]) -> None:
    with contextlib.suppress(Exception):
        fn()


@pytest.mark.slow
def test_10000_record_backlog(server: CountyServer, laptop_factory) -> None:
    db, client, village = enrolled(server, laptop_factory, persons=3300)  # persons + households + groups ≈ 4.5k
    pids = person_ids(db, 2000)
    for pid in pids[:1500]:
        contribute(db, pid)
    with db.session() as s:
        n = s.scalar(select(OutboxEntry.seq).order_by(OutboxEntry.seq.desc()).limit(1))
    assert n is not None and n >= 5000
    report = run_sync(db, client)
    assert report.pushed_batches >= 10 and not report.mismatches
    assert server.records(village) == expected_records(db)
