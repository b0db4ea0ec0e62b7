"""``pensiondesk backup …`` and ``pensiondesk audit verify`` run as a user runs them: the console script, real files."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from pensiondesk.domain.codes import Relation
from pensiondesk.domain.idnumber import check_character
from pensiondesk.services.accounts import log_in
from pensiondesk.services.people import add_person
from pensiondesk.services.people_types import PersonInput
from pensiondesk.services.recording import Actor
from pensiondesk.store import cipher
from pensiondesk.store.db import open_database
from pensiondesk.store.models import Setting

SCRIPT = shutil.which("pensiondesk", path=str(Path(sys.executable).parent)) or "pensiondesk"


def run_cli(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PENSIONDESK_HOME": str(home), "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run([SCRIPT, *args], capture_output=True, text=True, env=env, timeout=300, check=False)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("template")
    path = home / "village.sqlite"
    made = run_cli("--db", str(path), "demo", "--persons", "60", "--seed", "5", home=home)
    assert made.returncode == 0, made.stderr
    return path


@pytest.fixture
def village(template: Path, tmp_path: Path) -> Path:
    path = tmp_path / "village.sqlite"
    shutil.copyfile(template, path)
    cipher.copy_key_file(template, path)  # the demo database is encrypted: its key file goes with it
    log_in(path, "demo", "demo")  # unlocks its key (and its backups') in this test process too
    return path


def add_people(path: Path, *names: str, first_seq: int = 1) -> None:
    """Register people through the service, as the GUI would: audit entries and pending outbox rows."""
    db = open_database(path)
    try:
        with db.session(immediate=True) as s:
            setting = s.get(Setting, "village_id")
            assert setting is not None
            for i, name in enumerate(names):
                first17 = f"429901{date(1975, 5, 1):%Y%m%d}{first_seq + 2 * i:03d}"
                inp = PersonInput(
                    name=name,
                    id_number=first17 + check_character(first17),
                    group_name="第一村民小组",
                    relation=Relation.HEAD,
                )
                add_person(s, Actor("wang"), inp, village_id=setting.value)
    finally:
        db.close()


def query(path: Path, sql: str) -> list[tuple[object, ...]]:
    connection = cipher.connect(path, read_only=True)
    try:
        return list(connection.execute(sql).fetchall())
    finally:
        connection.close()


def execute(path: Path, sql: str) -> None:
    connection = cipher.connect(path)
    try:
        with connection:
            connection.execute(sql)
    finally:
        connection.close()


def data_digest(path: Path) -> str:
    wal = path.with_name(path.name + "-wal")
    return hashlib.sha256(path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")).hexdigest()


def created_path(result: subprocess.CompletedProcess[str]) -> Path:
    assert result.returncode == 0, result.stderr
    first = result.stdout.splitlines()[0]
    assert first.startswith("已备份：")
    return Path(first.removeprefix("已备份："))


def test_create_list_restore_round_trip(village: Path, tmp_path: Path) -> None:
    made = run_cli("--db", str(village), "backup", "create", home=tmp_path)
    backup = created_path(made)
    assert backup.parent == village.parent / "backups" and "检查通过" in made.stdout
    persons = query(village, "SELECT count(*) FROM person")[0][0]

    listed = run_cli("--db", str(village), "backup", "list", home=tmp_path)
    assert listed.returncode == 0, listed.stderr
    assert "共 1 个备份" in listed.stdout and backup.name in listed.stdout and "手动" in listed.stdout

    execute(village, "UPDATE person SET phone = '13900000000'")  # damage done outside the program
    restored = run_cli("--db", str(village), "backup", "restore", str(backup), home=tmp_path)
    assert restored.returncode == 0, restored.stderr
    assert "已用备份恢复数据库" in restored.stdout and "恢复后检查：通过" in restored.stdout
    assert "恢复前的数据库已另存为" in restored.stdout
    assert query(village, "SELECT count(*) FROM person")[0][0] == persons
    assert query(village, "SELECT count(*) FROM person WHERE phone = '13900000000'") == [(0,)]
    assert query(village, "PRAGMA integrity_check") == [("ok",)]


def test_export_to_a_folder_and_list_it(village: Path, tmp_path: Path) -> None:
    usb = tmp_path / "usb"
    backup = created_path(run_cli("--db", str(village), "backup", "create", "--to", str(usb), home=tmp_path))
    assert backup.parent == usb
    listed = run_cli("--db", str(village), "backup", "list", "--dir", str(usb), home=tmp_path)
    assert backup.name in listed.stdout
    empty = run_cli("--db", str(village), "backup", "list", home=tmp_path)
    assert empty.returncode == 0 and "还没有备份" in empty.stdout


def test_restore_with_unsynced_records_stops_without_yes(village: Path, tmp_path: Path) -> None:
    backup = created_path(run_cli("--db", str(village), "backup", "create", home=tmp_path))
    add_people(village, "王五", "赵六")
    before = data_digest(village)

    refused = run_cli("--db", str(village), "backup", "restore", str(backup), home=tmp_path)
    assert refused.returncode == 1
    assert "尚未被县里接收" in refused.stdout and "王五" in refused.stdout and "赵六" in refused.stdout
    assert "--yes" in refused.stderr and "未做任何改动" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert data_digest(village) == before

    accepted = run_cli("--db", str(village), "backup", "restore", str(backup), "--yes", home=tmp_path)
    assert accepted.returncode == 0, accepted.stderr
    assert "放弃" in accepted.stdout
    assert query(village, "SELECT count(*) FROM person WHERE name IN ('王五', '赵六')")[0][0] == 0


def test_a_corrupted_backup_is_refused(village: Path, tmp_path: Path) -> None:
    backup = created_path(run_cli("--db", str(village), "backup", "create", home=tmp_path))
    size = backup.stat().st_size
    with backup.open("r+b") as f:
        f.seek(size // 2 // 4096 * 4096)
        f.write(b"\xa5" * 4096 * 16)
    before = data_digest(village)
    result = run_cli("--db", str(village), "backup", "restore", str(backup), "--yes", home=tmp_path)
    assert result.returncode == 2
    assert "损坏" in result.stderr and "当前数据库未做任何改动" in result.stderr
    assert "Traceback" not in result.stderr
    assert data_digest(village) == before


def test_a_backup_with_an_edited_audit_entry_is_refused(village: Path, tmp_path: Path) -> None:
    add_people(village, "张三")
    backup = created_path(run_cli("--db", str(village), "backup", "create", home=tmp_path))
    seq = query(backup, "SELECT max(seq) FROM audit_entry WHERE entity_type = 'person'")[0][0]
    execute(backup, f"UPDATE audit_entry SET reason = '补录' WHERE seq = {seq}")
    result = run_cli("--db", str(village), "backup", "restore", str(backup), "--yes", home=tmp_path)
    assert result.returncode == 2
    assert f"第 {seq} 条审计记录" in result.stderr and "不可信" in result.stderr


def test_missing_database(tmp_path: Path) -> None:
    result = run_cli("--db", str(tmp_path / "nothing.sqlite"), "backup", "create", home=tmp_path)
    assert result.returncode == 2 and "找不到数据库文件" in result.stderr


# --- audit verify ---


def test_audit_verify_on_a_clean_demo_database(village: Path, tmp_path: Path) -> None:
    count = query(village, "SELECT count(*) FROM audit_entry")[0][0]
    result = run_cli("--db", str(village), "audit", "verify", home=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"审计记录完整：共 {count} 条"


def test_audit_verify_names_an_edited_entry(village: Path, tmp_path: Path) -> None:
    add_people(village, "张三", "李四")
    seq = query(
        village,
        "SELECT seq FROM audit_entry WHERE entity_type = 'person' AND json_extract(after, '$.name') = '张三'",
    )[0][0]
    execute(village, f"UPDATE audit_entry SET after = json_set(after, '$.phone', '13800000000') WHERE seq = {seq}")
    result = run_cli("--db", str(village), "audit", "verify", home=tmp_path)
    assert result.returncode == 1
    assert f"第 {seq} 条审计记录" in result.stdout and "wang" in result.stdout and "被改动" in result.stdout
    assert "Traceback" not in result.stderr


def test_audit_verify_names_the_entry_after_a_deleted_one(village: Path, tmp_path: Path) -> None:
    add_people(village, "张三", "李四")
    seqs = [row[0] for row in query(village, "SELECT seq FROM audit_entry ORDER BY seq")]
    deleted = seqs[len(seqs) // 2]
    execute(village, f"DELETE FROM audit_entry WHERE seq = {deleted}")
    result = run_cli("--db", str(village), "audit", "verify", home=tmp_path)
    assert result.returncode == 1
    assert f"第 {deleted + 1} 条审计记录" in result.stdout
    assert f"第 {deleted} 条已不存在" in result.stdout
