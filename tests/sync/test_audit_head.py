"""The audit chain head travels with every sync (审计链头): the county notices edited, deleted or truncated history.

Real county server on loopback, real laptop SQLite files. Tampering is done the way someone with the file would do
it: SQL straight into ``audit_entry``, bypassing the program. Each tamper case is counted in
``docs/reliability.md`` (审计链头核对).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
import requests
from sqlalchemy import func, select, text

from pensiondesk.cli import run as laptop_cli
from pensiondesk.county.audit import list_alerts, resolve_alert
from pensiondesk.county.cli import run as county_cli
from pensiondesk.services.backups import create_backup, restore_backup
from pensiondesk.store.db import Database, open_database
from pensiondesk.store.models import AuditEntry
from pensiondesk.sync.audit_head import audit_warning, chain_report
from pensiondesk.sync.client import SyncClient
from pensiondesk.sync.engine import run_sync
from pensiondesk.sync.protocol import PROTOCOL_VERSION

from .conftest import CountyServer
from .test_push_pull import enrolled
from .work import contribute, edit_person, person_ids


def alerts(server: CountyServer) -> list[tuple[str, str]]:
    with server.session() as s:
        return [(a.kind, a.detail) for a in list_alerts(s, include_resolved=True)]


def head(db: Database) -> tuple[int, int]:
    with db.session() as s:
        return int(s.scalar(select(func.max(AuditEntry.seq))) or 0), int(
            s.scalar(select(func.count(AuditEntry.seq))) or 0
        )


def raw_sql(db: Database, sql: str, **params: object) -> None:
    """Change the file behind the program's back (no audit entry, no outbox row)."""
    with db.engine.begin() as conn:
        conn.execute(text(sql), params)


def test_untouched_laptop_never_raises_an_alert(server: CountyServer, laptop_factory: Callable[..., Database]) -> None:
    db, client, _village = enrolled(server, laptop_factory, persons=8)
    ids = person_ids(db)
    for i in range(4):
        edit_person(db, ids[i], phone=f"1390000000{i}")
        contribute(db, ids[i])
        report = run_sync(db, client)
        assert report.audit_warning is None
        assert "审计日志" not in report.text()
    assert alerts(server) == []
    with server.session() as s:
        heads = s.execute(text("SELECT seq, superseded FROM audit_head ORDER BY id")).all()
    assert [seq for seq, _ in heads] == sorted({seq for seq, _ in heads})  # one head per new chain end
    assert heads[-1][0] == head(db)[0] and not any(sup for _, sup in heads)
    with db.session() as s:
        assert audit_warning(s) is None
        assert chain_report(s, []).broken_seq is None


def test_edited_old_entry_is_detected(server: CountyServer, laptop_factory: Callable[..., Database]) -> None:
    db, client, _ = enrolled(server, laptop_factory, persons=8)
    run_sync(db, client)
    edit_person(db, person_ids(db)[0], phone="13900000001")
    run_sync(db, client)
    assert alerts(server) == []
    # Edit an early entry's ``after`` and, to be thorough, recompute every stored hash so that the laptop's own
    # ``audit verify`` passes: only the county's memory of the chain can tell.
    with db.session() as s:
        first = s.scalars(select(AuditEntry).order_by(AuditEntry.seq).limit(1)).one()
        after = dict(first.after or {})
    after["name"] = "改过的名字"
    raw_sql(
        db, "UPDATE audit_entry SET after = :a WHERE seq = :s", a=json.dumps(after, ensure_ascii=False), s=first.seq
    )
    _rehash(db)
    with db.session() as s:
        assert chain_report(s, []).broken_seq is None  # locally consistent
    report = run_sync(db, client)
    assert report.audit_warning is not None and "审计日志与县里上次收到的不一致" in report.audit_warning
    assert "请联系县社保局" in report.text()
    [(kind, detail)] = alerts(server)
    assert kind == "tampered" and "改动或删除" in detail
    # The warning stays while the county's alert is open, also offline and in ``sync status``; once a person at
    # the county closes it, the next sync clears it.
    again = run_sync(db, client)
    assert again.audit_warning is not None and len(alerts(server)) == 1
    with server.session() as s:
        [alert] = list_alerts(s)
        resolve_alert(s, alert.id, "county-admin", "已核实")
    assert run_sync(db, client).audit_warning is None


def _rehash(db: Database) -> None:
    """Recompute every stored hash from the entries as they now are (what a careful forger would do)."""
    from pensiondesk.services.recording import _audit_content, audit_hash

    with db.session(immediate=True) as s:
        prev: str | None = None
        for e in s.scalars(select(AuditEntry).order_by(AuditEntry.seq)):
            e.prev_hash = prev
            e.hash = audit_hash(prev, _audit_content(e))
            prev = e.hash


def test_edit_without_rehash_is_detected_even_before_the_county_saw_it(
    server: CountyServer, laptop_factory: Callable[..., Database]
) -> None:
    db, client, _ = enrolled(server, laptop_factory, persons=5)
    run_sync(db, client)
    edit_person(db, person_ids(db)[0], phone="13900000002")  # newer than the county's head
    last, _ = head(db)
    raw_sql(db, "UPDATE audit_entry SET reason = '改' WHERE seq = :s", s=last)
    report = run_sync(db, client)
    assert report.audit_warning and f"第 {last} 条" in report.audit_warning
    assert [k for k, _ in alerts(server)] == ["tampered"]
    run_sync(db, client)  # the same finding is not reported twice
    assert len(alerts(server)) == 1


@pytest.mark.parametrize("how", ["delete_last", "delete_middle", "truncate"])
def test_deleted_entries_are_detected(server: CountyServer, laptop_factory: Callable[..., Database], how: str) -> None:
    db, client, _ = enrolled(server, laptop_factory, persons=6)
    for pid in person_ids(db, 3):
        contribute(db, pid)
    run_sync(db, client)
    last, _ = head(db)
    if how == "delete_last":
        raw_sql(db, "DELETE FROM audit_entry WHERE seq > :s", s=last - 3)
    elif how == "delete_middle":
        raw_sql(db, "DELETE FROM audit_entry WHERE seq = :s", s=last // 2)
        _rehash(db)
    else:
        raw_sql(db, "DELETE FROM audit_entry")
    report = run_sync(db, client)
    assert report.audit_warning is not None
    [(kind, _detail)] = alerts(server)
    assert kind == ("tampered" if how == "delete_middle" else "rolled_back")
    out = _status(db)
    assert "审计日志与县里上次收到的不一致" in out and "请联系县社保局" in out


def _status(db: Database) -> str:
    import contextlib
    import io

    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        assert laptop_cli(["--db", str(db.path), "sync", "status"]) == 0
    return buf.getvalue()


def test_restore_from_an_older_backup_is_reported_as_rolled_back(
    server: CountyServer, laptop_factory: Callable[..., Database], tmp_path: Path
) -> None:
    db, client, _ = enrolled(server, laptop_factory, persons=6)
    run_sync(db, client)
    backup = create_backup(db.path, tmp_path / "backups")
    contribute(db, person_ids(db, 1)[0])
    run_sync(db, client)  # the county now saw a longer chain than the backup holds
    path = db.path
    db.close()
    restore_backup(backup.path, path, accept_loss=True)
    db = open_database(path)
    try:
        report = run_sync(db, client)
        assert report.audit_warning is not None and "从备份恢复" in report.audit_warning
        [(kind, detail)] = alerts(server)
        assert kind == "rolled_back" and "较新的记录不见了" in detail
        # Work after the restore goes on from the restored chain: the county compares with it from now on.
        contribute(db, person_ids(db, 2)[1])
        run_sync(db, client)
        assert len(alerts(server)) == 1
    finally:
        db.close()


def test_restore_then_new_work_before_the_next_sync_is_still_a_rollback(
    server: CountyServer, laptop_factory: Callable[..., Database], tmp_path: Path
) -> None:
    db, client, _ = enrolled(server, laptop_factory, persons=6)
    ids = person_ids(db)
    contribute(db, ids[0])
    run_sync(db, client)
    backup = create_backup(db.path, tmp_path / "backups")
    for pid in ids[1:4]:
        contribute(db, pid)
    run_sync(db, client)
    path = db.path
    db.close()
    restore_backup(backup.path, path, accept_loss=True)
    db = open_database(path)
    try:
        for pid in ids[1:5]:  # new work reuses entry numbers the county saw, with other content, and goes beyond
            contribute(db, pid, year=2027)
        report = run_sync(db, client)
        assert report.audit_warning is not None and "从备份恢复" in report.audit_warning
        [(kind, detail)] = alerts(server)
        assert kind == "rolled_back" and "比县里" in detail
    finally:
        db.close()


def test_an_edit_where_the_laptop_knew_the_county_head_stays_tampering(
    server: CountyServer, laptop_factory: Callable[..., Database]
) -> None:
    """``known_seq`` only softens differences *above* what this database was told: an edit below it is tampering."""
    db, client, _ = enrolled(server, laptop_factory, persons=6)
    ids = person_ids(db)
    contribute(db, ids[0])
    run_sync(db, client)
    contribute(db, ids[1])
    run_sync(db, client)
    last, _ = head(db)
    raw_sql(db, "UPDATE audit_entry SET reason = '改' WHERE seq = :s", s=last)
    _rehash(db)
    run_sync(db, client)
    assert [k for k, _ in alerts(server)] == ["tampered"]


def test_alerts_are_listed_and_closed_by_the_county_cli(
    server: CountyServer, laptop_factory: Callable[..., Database], capsys: pytest.CaptureFixture[str]
) -> None:
    db, client, village = enrolled(server, laptop_factory, persons=5)
    contribute(db, person_ids(db, 1)[0])
    run_sync(db, client)
    raw_sql(db, "DELETE FROM audit_entry")
    run_sync(db, client)
    capsys.readouterr()
    assert county_cli(["--db", server.db_url, "audit-alerts"]) == 1
    out = capsys.readouterr().out
    assert "回退" in out and village in out
    alert_id = out.split()[0]
    assert county_cli(["--db", server.db_url, "devices"]) == 0
    assert "审计提醒 1 条未处理" in capsys.readouterr().out
    assert county_cli(["--db", server.db_url, "audit-alerts", "--resolve", alert_id, "--note", "已核实，重装"]) == 0
    capsys.readouterr()
    assert county_cli(["--db", server.db_url, "audit-alerts"]) == 0
    assert "没有未处理" in capsys.readouterr().out
    assert county_cli(["--db", server.db_url, "devices"]) == 0
    assert "审计提醒" not in capsys.readouterr().out


def test_old_client_and_old_server_keep_working(server: CountyServer, laptop_factory: Callable[..., Database]) -> None:
    db, client, _ = enrolled(server, laptop_factory, persons=3)
    # An old laptop: no header → no audit field in the handshake, which its strict model would refuse.
    from datetime import UTC, datetime

    body: dict[str, str | int] = {
        "protocol_version": PROTOCOL_VERSION,
        "client_time": datetime.now(UTC).isoformat(),
        "app_version": "0.1",
    }
    answer = requests.post(
        server.url + "/v1/handshake", json=body, headers={"Authorization": f"Bearer {client.token}"}, timeout=10
    ).json()
    assert "audit_checkpoints" not in answer
    # A new laptop against a server that does not announce the feature skips the report and syncs as before.
    original = SyncClient.handshake

    def old_server_handshake(self: SyncClient):  # type: ignore[no-untyped-def]
        return original(self).model_copy(update={"audit_checkpoints": None})

    SyncClient.handshake = old_server_handshake  # type: ignore[method-assign]
    try:
        report = run_sync(db, client)
    finally:
        SyncClient.handshake = original  # type: ignore[method-assign]
    assert report.error is None and report.audit_warning is None and report.results
    with server.session() as s:
        assert s.execute(text("SELECT count(*) FROM audit_head")).scalar() == 0


def test_the_reported_chain_agrees_with_audit_verify(laptop_factory: Callable[..., Database]) -> None:
    """The fast recomputation sent to the county finds exactly the break ``pensiondesk audit verify`` finds."""
    from pensiondesk.services.audit import check_audit_chain

    db = laptop_factory("verify", village_code="411099100001", persons=6)
    ids = person_ids(db)
    for pid in ids[:4]:
        edit_person(db, pid, notes='备注 "引号" \\ 与换行\n', phone=None)
        contribute(db, pid)
    with db.session() as s:
        clean = chain_report(s, [1, 3, 5])
        assert clean.broken_seq is None and check_audit_chain(s).broken is None
        assert clean.count == clean.head_seq == head(db)[0]
        assert [c.seq for c in clean.checkpoints] == [1, 3, 5]
    raw_sql(db, "UPDATE audit_entry SET user = 'someone' WHERE seq = 4")
    with db.session() as s:
        assert chain_report(s, []).broken_seq == check_audit_chain(s).broken.seq == 4  # type: ignore[union-attr]
        assert chain_report(s, [3]).checkpoints[0].hash == clean.checkpoints[1].hash  # before the edit: unchanged
        assert chain_report(s, [5]).checkpoints[0].hash != clean.checkpoints[2].hash  # after it: changed
