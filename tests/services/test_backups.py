"""Backups and restore on real SQLite files: round trip, damaged and tampered backups, unsynced work, rotation."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import update

from pensiondesk.domain.codes import OutboxState, Relation
from pensiondesk.domain.idnumber import check_character
from pensiondesk.services.audit import verify_audit_file
from pensiondesk.services.backups import (
    BackupKind,
    BackupRejected,
    RestoreRefused,
    check_backup,
    create_backup,
    daily_backup_if_due,
    list_backups,
    plan_restore,
    restore_backup,
    rotate_backups,
)
from pensiondesk.services.database import create_demo_database
from pensiondesk.services.people import add_person
from pensiondesk.services.people_types import PersonInput
from pensiondesk.services.recording import Actor
from pensiondesk.store.db import open_database
from pensiondesk.store.errors import DatabaseLocked
from pensiondesk.store.models import OutboxEntry, Setting

WANG = Actor("wang")
AREA = "429901"  # not the demo's area code, so new people never collide with demo residents


def make_id(birth: date, seq: int) -> str:
    first17 = f"{AREA}{birth:%Y%m%d}{seq:03d}"
    return first17 + check_character(first17)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "village.sqlite"
    create_demo_database(path, persons=60, seed=3)
    return path


@pytest.fixture
def village(template: Path, tmp_path: Path) -> Path:
    path = tmp_path / "village.sqlite"
    shutil.copyfile(template, path)
    return path


def add_people(path: Path, *names: str, first_seq: int = 1) -> list[str]:
    """Register people through the service (audit entries and pending outbox rows included)."""
    db = open_database(path)
    try:
        with db.session(immediate=True) as s:
            setting = s.get(Setting, "village_id")
            assert setting is not None
            ids = []
            for i, name in enumerate(names):
                inp = PersonInput(
                    name=name,
                    id_number=make_id(date(1975, 5, 1), first_seq + 2 * i),
                    group_name="第一村民小组",
                    relation=Relation.HEAD,
                )
                ids.append(add_person(s, WANG, inp, village_id=setting.value).id)
            return ids
    finally:
        db.close()


def county_accepts_everything(path: Path) -> None:
    """What a successful sync leaves behind: every outbox row accepted by the county."""
    db = open_database(path)
    try:
        with db.session(immediate=True) as s:
            s.execute(update(OutboxEntry).values(state=OutboxState.ACCEPTED))
    finally:
        db.close()


def table_counts(path: Path) -> dict[str, int]:
    connection = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        tables = [
            name
            for (name,) in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {t: connection.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
    finally:
        connection.close()


def person_names(path: Path) -> set[str]:
    connection = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        return {name for (name,) in connection.execute("SELECT name FROM person")}
    finally:
        connection.close()


def fingerprint(path: Path) -> str:
    """The database file and its write-ahead log, byte for byte (a missing log counts as an empty one: a read-only
    look at a WAL database leaves an empty ``-wal`` and the ``-shm`` index behind, which change no data)."""
    digest = hashlib.sha256(path.read_bytes())
    for suffix in ("-wal", "-journal"):
        side = path.with_name(path.name + suffix)
        digest.update(side.read_bytes() if side.exists() else b"")
    return digest.hexdigest()


def corrupt_middle(path: Path, pages: int = 16) -> None:
    size = path.stat().st_size
    start = (size // 2) // 4096 * 4096
    with path.open("r+b") as f:
        f.seek(start)
        f.write(bytes(range(256)) * 16 * pages)


# --- round trip ---


def test_backup_then_restore_round_trip(village: Path, tmp_path: Path) -> None:
    add_people(village, "张三")
    county_accepts_everything(village)
    backup = create_backup(village)
    assert backup.path.parent == village.parent / "backups"
    assert backup.kind is BackupKind.MANUAL and backup.size_bytes > 0
    saved = table_counts(backup.path)
    assert saved == table_counts(village)

    add_people(village, "李四", first_seq=31)
    county_accepts_everything(village)  # already at the county: restoring loses nothing the county lacks
    assert table_counts(village) != saved

    report = restore_backup(backup.path, village)
    assert report.integrity == "ok"
    assert not report.plan.needs_consent
    assert report.plan.newer_audit_count >= 1  # 李四's registration (and his household) happened after the backup
    assert table_counts(village) == saved
    assert "李四" not in person_names(village)
    assert verify_audit_file(village).ok
    # The database as it was just before the restore is kept, 李四 included.
    assert report.safety_backup is not None and "李四" in person_names(report.safety_backup)
    assert [b.kind for b in list_backups(village)] == [BackupKind.SAFETY, BackupKind.MANUAL]
    # The restored file opens and works as usual.
    add_people(village, "王五", first_seq=51)
    assert verify_audit_file(village).ok


def test_export_to_another_folder_and_restore_into_a_missing_database(village: Path, tmp_path: Path) -> None:
    usb = tmp_path / "usb"
    exported = create_backup(village, usb)
    assert exported.path.parent == usb
    assert list_backups(village, usb) == [exported]
    assert list_backups(village) == []

    new_laptop = tmp_path / "new" / "village.sqlite"
    report = restore_backup(exported.path, new_laptop)
    assert report.safety_backup is None and not report.plan.current_exists
    assert table_counts(new_laptop) == table_counts(village)


# --- the backup is checked first ---


def test_a_corrupted_backup_is_refused_and_the_database_untouched(village: Path) -> None:
    backup = create_backup(village)
    corrupt_middle(backup.path)
    before = fingerprint(village)
    with pytest.raises(BackupRejected) as caught:
        restore_backup(backup.path, village, accept_loss=True)
    message = caught.value.user_message
    assert "损坏" in message and "未做任何改动" in message and str(backup.path) in message
    assert fingerprint(village) == before
    assert [b.kind for b in list_backups(village)] == [BackupKind.MANUAL]  # no safety copy, nothing replaced


def test_a_file_that_is_not_a_database_is_refused(village: Path, tmp_path: Path) -> None:
    junk = tmp_path / "village-manual-20240101-080000.sqlite"
    junk.write_bytes(b"these are not the pages you are looking for" * 100)
    with pytest.raises(BackupRejected, match="损坏或不是本程序的数据库"):
        check_backup(junk)


def test_a_backup_with_an_edited_audit_entry_is_refused_naming_it(village: Path) -> None:
    add_people(village, "张三", "李四")
    backup = create_backup(village)
    with sqlite3.connect(backup.path) as conn:
        seq = conn.execute(
            "SELECT min(seq) FROM audit_entry WHERE entity_type = 'person' AND json_extract(after, '$.name') = '李四'"
        ).fetchone()[0]
        conn.execute("UPDATE audit_entry SET after = json_set(after, '$.name', '李思') WHERE seq = ?", (seq,))
    conn.close()
    before = fingerprint(village)
    with pytest.raises(BackupRejected) as caught:
        restore_backup(backup.path, village, accept_loss=True)
    assert f"第 {seq} 条审计记录" in caught.value.user_message
    assert "wang" in caught.value.user_message
    assert fingerprint(village) == before


def test_a_backup_from_a_newer_program_is_refused(village: Path) -> None:
    backup = create_backup(village)
    with sqlite3.connect(backup.path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    conn.close()
    with pytest.raises(BackupRejected, match="更新版本"):
        plan_restore(backup.path, village)


def test_the_database_itself_is_not_a_backup(village: Path) -> None:
    with pytest.raises(BackupRejected, match="正在使用的数据库"):
        plan_restore(village, village)


# --- never lose unsynced work silently ---


def test_restore_refuses_to_drop_records_the_county_does_not_have(village: Path) -> None:
    county_accepts_everything(village)
    backup = create_backup(village)
    add_people(village, "王五", "赵六")  # registered after the backup, not yet synced
    before = fingerprint(village)

    plan = plan_restore(backup.path, village)
    assert plan.needs_consent
    assert plan.unsynced_count >= 2 and plan.unsynced_by_type["person"] == 2
    named = {r.person_name for r in plan.unsynced_examples if r.record_type == "person"}
    assert named == {"王五", "赵六"}
    text = "\n".join(plan.lines())
    assert "尚未被县里接收" in text and "王五" in text and "人员" in text

    with pytest.raises(RestoreRefused) as caught:
        restore_backup(backup.path, village)
    assert "未做任何改动" in caught.value.user_message
    assert fingerprint(village) == before
    assert [b.kind for b in list_backups(village)] == [BackupKind.MANUAL]

    report = restore_backup(backup.path, village, accept_loss=True)
    assert person_names(village).isdisjoint({"王五", "赵六"})
    assert report.safety_backup is not None and {"王五", "赵六"} <= person_names(report.safety_backup)
    assert any("放弃" in line for line in report.lines())


def test_records_still_in_the_backups_outbox_are_not_losses(village: Path) -> None:
    add_people(village, "王五")  # pending, and the backup has the same pending rows: they will still be sent
    backup = create_backup(village)
    plan = plan_restore(backup.path, village)
    assert plan.unsynced_count == 0 and not plan.needs_consent and plan.newer_audit_count == 0


def test_restore_refuses_while_the_database_is_open(village: Path) -> None:
    backup = create_backup(village)
    db = open_database(village)  # as the running program holds it
    try:
        with pytest.raises(DatabaseLocked, match="关闭"):
            restore_backup(backup.path, village)
        assert [b.kind for b in list_backups(village)] == [BackupKind.MANUAL]
    finally:
        db.close()


# --- rotation and the daily backup ---


def _touch(folder: Path, name: str) -> Path:
    path = folder / name
    path.write_bytes(b"x")
    return path


def test_rotation_deletes_only_old_daily_backups_unless_told(tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    folder.mkdir()
    start = datetime(2024, 3, 1, 8, 0, 0)
    stamps = [(start + timedelta(days=i)).strftime("%Y%m%d-%H%M%S") for i in range(10)]
    daily = [_touch(folder, f"village-daily-{s}.sqlite") for s in stamps]
    other_daily = [_touch(folder, f"demo-daily-{s}.sqlite") for s in stamps[:3]]
    manual = [_touch(folder, f"village-manual-{s}.sqlite") for s in stamps[:5]]
    migration = [_touch(folder, f"village-before-0002-to-0003-{s}.sqlite") for s in stamps[:2]]
    safety = [_touch(folder, f"village-before-restore-{s}.sqlite") for s in stamps[:2]]
    stranger = _touch(folder, "notes.sqlite")

    deleted = rotate_backups(folder, keep_daily=7)
    assert deleted == sorted(daily[:3])  # the three oldest daily backups of village; demo has only three
    survivors = set(folder.iterdir())
    assert survivors == {*daily[3:], *other_daily, *manual, *migration, *safety, stranger}

    # Manual backups go only when the caller asks, and then only beyond the number it keeps.
    deleted = rotate_backups(folder, keep_manual=2, stem="village")
    assert deleted == sorted(manual[:3])
    assert set(folder.iterdir()) == survivors - set(manual[:3])


def test_daily_backup_is_made_once_a_day_and_rotated(village: Path) -> None:
    folder = village.parent / "backups"
    folder.mkdir()
    old = [_touch(folder, f"village-daily-2020010{i}-120000.sqlite") for i in range(1, 9)]
    first = daily_backup_if_due(village)
    assert first is not None and first.kind is BackupKind.DAILY
    assert first.created.date() == date.today()
    assert daily_backup_if_due(village) is None  # already done today
    daily = [b for b in list_backups(village) if b.kind is BackupKind.DAILY]
    assert len(daily) == 7 and daily[0] == first
    assert {b.path for b in daily[1:]} == set(old[-6:])
    assert daily_backup_if_due(village.parent / "missing.sqlite") is None


def test_audit_check_names_an_entry_whose_content_is_not_json(village: Path) -> None:
    add_people(village, "张三")
    connection = sqlite3.connect(village)
    with connection:
        connection.execute("UPDATE audit_entry SET after = '{not json' WHERE seq = 2")
    connection.close()
    check = verify_audit_file(village)
    assert check.broken is not None and check.broken.seq == 2 and check.broken.unreadable
    assert "无法读取" in check.message()


def test_damage_only_the_integrity_check_finds_is_refused(village: Path) -> None:
    # An index that no longer matches its table: every page still reads, only PRAGMA integrity_check can tell.
    backup = create_backup(village)
    connection = sqlite3.connect(backup.path)
    connection.execute("PRAGMA writable_schema = ON")
    with connection:
        connection.execute(
            "UPDATE sqlite_master SET sql = replace(sql, '(name)', '(phone)') WHERE name = 'ix_person_name'"
        )
    connection.close()
    with pytest.raises(BackupRejected, match="完整性检查未通过") as caught:
        check_backup(backup.path)
    assert "ix_person_name" in caught.value.detail  # what integrity_check said, for the log


def test_a_damaged_current_database_can_be_replaced_once_the_loss_is_accepted(village: Path) -> None:
    backup = create_backup(village)
    with village.open("r+b") as f:
        f.write(b"\xa5" * 100)  # the header: SQLite no longer recognises the file at all
    damaged = village.read_bytes()

    plan = plan_restore(backup.path, village)
    assert plan.needs_consent and plan.unknown_reason is not None
    assert "无法读取当前数据库" in "\n".join(plan.lines())
    with pytest.raises(RestoreRefused):
        restore_backup(backup.path, village)

    report = restore_backup(backup.path, village, accept_loss=True)
    assert report.integrity == "ok" and verify_audit_file(village).ok
    assert report.safety_backup is not None and "damaged" in report.safety_backup.name
    assert report.safety_backup.read_bytes() == damaged  # kept byte for byte, for whoever tries to rescue it
    assert [b.kind for b in list_backups(village)] == [BackupKind.SAFETY, BackupKind.MANUAL]
