"""Users, logins and encryption at rest on real database files (services.accounts, store.cipher).

Each test forgets every unlocked key first and afterwards, as a new process (or a thief) would start.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from datetime import date
from pathlib import Path

import pytest
import sqlcipher3.dbapi2 as sqlcipher
from sqlalchemy import select

from pensiondesk.domain.codes import Relation, UserRole
from pensiondesk.domain.idnumber import check_character
from pensiondesk.services import accounts
from pensiondesk.services.accounts import AccountError, LoginFailed, PermissionDenied
from pensiondesk.services.backups import create_backup, restore_backup
from pensiondesk.services.database import create_demo_database
from pensiondesk.services.people import add_person
from pensiondesk.services.people_types import PersonInput
from pensiondesk.services.recording import Actor
from pensiondesk.store import cipher
from pensiondesk.store import migrate as migrations
from pensiondesk.store.db import create_sqlite_engine, open_database, schema_status
from pensiondesk.store.errors import DatabaseUnreadable
from pensiondesk.store.models import AuditEntry, Person, Setting

ADMIN = ("admin1", "张管理", "Huangshan-2026")


@pytest.fixture(autouse=True)
def _fresh_process() -> Iterator[None]:
    cipher.forget_keys()
    accounts.set_current_actor(None)
    yield
    cipher.forget_keys()
    accounts.set_current_actor(None)


@pytest.fixture(scope="module")
def plain_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("plain") / "village.sqlite"
    create_demo_database(path, persons=40, seed=4)
    return path


@pytest.fixture
def plain(plain_template: Path, tmp_path: Path) -> Path:
    path = tmp_path / "village.sqlite"
    shutil.copyfile(plain_template, path)
    return path


@pytest.fixture(scope="module")
def encrypted_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    path = tmp_path_factory.mktemp("encrypted") / "village.sqlite"
    create_demo_database(path, persons=40, seed=4)
    recovery = accounts.setup_first_user(path, *ADMIN)
    cipher.forget_keys()
    accounts.set_current_actor(None)
    return path, recovery


@pytest.fixture
def encrypted(encrypted_template: tuple[Path, str], tmp_path: Path) -> tuple[Path, str]:
    template, recovery = encrypted_template
    path = tmp_path / "village.sqlite"
    shutil.copyfile(template, path)
    cipher.copy_key_file(template, path)
    return path, recovery


def first_person(path: Path) -> tuple[str, str]:
    with closing(sqlite3.connect(path)) as conn:  # ``with`` on a connection alone commits but never closes it
        name, id_number = conn.execute("SELECT name, id_number FROM person ORDER BY id_number LIMIT 1").fetchone()
    return str(name), str(id_number)


def login_admin(path: Path) -> Actor:
    return accounts.log_in(path, ADMIN[0], ADMIN[2])


# --- Encryption at rest -----------------------------------------------------------------------------------------


def test_a_stolen_database_file_opens_to_nothing_without_the_key(plain: Path) -> None:
    name, id_number = first_person(plain)
    assert id_number.encode() in plain.read_bytes() and name.encode() in plain.read_bytes()  # before: in clear
    early_backup = create_backup(plain, label="daily").path  # a plain backup made before logins existed

    recovery = accounts.setup_first_user(plain, *ADMIN)
    cipher.forget_keys()  # the thief's process knows no key

    data = plain.read_bytes()
    assert data[:16] != cipher.SQLITE_HEADER
    for secret in (id_number, name, id_number[:6] + id_number[6:14]):
        assert secret.encode() not in data
    assert name.encode("utf-16-le") not in data
    leftovers = sorted(p.name for p in plain.parent.iterdir() if p.is_file())
    assert leftovers == ["village.sqlite", "village.sqlite.keys.json"]  # no -wal, -shm or plain copy left behind
    key_file = plain.with_name("village.sqlite.keys.json").read_text(encoding="utf-8")
    assert ADMIN[2] not in key_file and recovery.replace("-", "") not in key_file.replace("-", "")

    with pytest.raises(sqlite3.DatabaseError, match="not a database"):
        sqlite3.connect(plain).execute("SELECT count(*) FROM person").fetchone()
    with pytest.raises(sqlcipher.DatabaseError, match="not a database"):
        sqlcipher.connect(str(plain)).execute("SELECT count(*) FROM person").fetchone()
    wrong_key = sqlcipher.connect(str(plain))
    wrong_key.execute(cipher.key_pragma(b"\x01" * 32))
    with pytest.raises(sqlcipher.DatabaseError):
        wrong_key.execute("SELECT count(*) FROM person").fetchone()

    with pytest.raises(cipher.DatabaseEncrypted) as refused:
        open_database(plain)
    assert "已加密" in refused.value.user_message and "登录" in refused.value.user_message
    without_key_file = plain.parent / "copy.sqlite"
    shutil.copyfile(plain, without_key_file)  # the file alone, without its key file
    with pytest.raises(DatabaseUnreadable) as unreadable:
        open_database(without_key_file)
    assert "无法读取数据库文件" in unreadable.value.user_message

    # The plain backup made earlier is encrypted too: the laptop carries no readable copy.
    assert early_backup.read_bytes()[:16] != cipher.SQLITE_HEADER
    assert id_number.encode() not in early_backup.read_bytes()

    db, actor = accounts.open_with_login(plain, ADMIN[0], ADMIN[2])
    try:
        assert actor == Actor(ADMIN[0], UserRole.ADMIN, ADMIN[1])
        assert accounts.current_actor() == actor
        with db.session() as session:
            assert session.scalar(select(Person.name).where(Person.id_number == id_number)) == name
    finally:
        db.close()
    with cipher.connect(early_backup, read_only=True) as backup:
        assert backup.execute("SELECT count(*) FROM person WHERE id_number = ?", (id_number,)).fetchone() == (1,)


def test_a_new_database_is_made_encrypted_with_its_first_user(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite"
    assert not accounts.needs_login(path)
    recovery = accounts.setup_first_user(path, *ADMIN)
    assert len(recovery) == 35 and recovery.count("-") == 5
    assert accounts.is_encrypted(path) and accounts.needs_login(path)
    cipher.forget_keys()
    with pytest.raises(cipher.DatabaseEncrypted):
        schema_status(path)  # even the schema version needs the key
    login_admin(path)
    assert schema_status(path) == "current"
    with pytest.raises(AccountError, match="已经设置过用户"):
        accounts.setup_first_user(path, "other", "别人", "Another-pass-1")


def test_wrong_password_and_unknown_user_are_refused_alike(encrypted: tuple[Path, str]) -> None:
    path, _ = encrypted
    with pytest.raises(LoginFailed) as wrong:
        accounts.log_in(path, ADMIN[0], "not-the-password")
    with pytest.raises(LoginFailed) as unknown:
        accounts.log_in(path, "nobody", ADMIN[2])
    assert wrong.value.user_message == unknown.value.user_message == accounts.WRONG_LOGIN
    assert cipher.key_for(path) is None  # nothing unlocked
    with pytest.raises(cipher.DatabaseEncrypted):
        open_database(path)


def test_forgotten_password_is_reset_with_the_recovery_key(encrypted: tuple[Path, str]) -> None:
    path, recovery = encrypted
    typed = " " + recovery.lower().replace("-", " ") + " "  # as someone might type it from the paper
    with pytest.raises(LoginFailed, match="恢复密钥不对"):
        accounts.reset_password_with_recovery(path, "AAAAA-AAAAA-AAAAA-AAAAA-AAAAA-AAAAA", ADMIN[0], "Brand-new-pass-7")
    actor = accounts.reset_password_with_recovery(path, typed, ADMIN[0], "Brand-new-pass-7")
    assert actor.username == ADMIN[0]
    cipher.forget_keys()
    with pytest.raises(LoginFailed):
        accounts.log_in(path, ADMIN[0], ADMIN[2])
    db, _ = accounts.open_with_login(path, ADMIN[0], "Brand-new-pass-7")
    try:
        with db.session() as session:
            assert session.scalar(select(Person.id).limit(1)) is not None  # nothing was lost
            entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "user.password")).one()
            assert entry.reason == "用恢复密钥重设密码"
    finally:
        db.close()


def test_changing_a_password_rewraps_the_key_only(encrypted: tuple[Path, str]) -> None:
    path, recovery = encrypted
    key_file = cipher.key_file_path(path)
    before = json.loads(key_file.read_text(encoding="utf-8"))
    key_before = accounts.recover_key(path, recovery)
    salt_before = path.read_bytes()[:16]  # SQLCipher's per-file salt: re-encrypting would change it
    cipher.forget_keys()

    with pytest.raises(LoginFailed):
        accounts.change_password(path, ADMIN[0], "wrong-old-password", "Next-password-8")
    with pytest.raises(AccountError, match="太短"):
        accounts.change_password(path, ADMIN[0], ADMIN[2], "short")
    accounts.change_password(path, ADMIN[0], ADMIN[2], "Next-password-8")

    after = json.loads(key_file.read_text(encoding="utf-8"))
    assert after["key_id"] == before["key_id"] and after["recovery"] == before["recovery"]
    assert after["users"][ADMIN[0]] != before["users"][ADMIN[0]]
    cipher.forget_keys()
    assert accounts.recover_key(path, recovery) == key_before  # the database key itself did not change
    assert path.read_bytes()[:16] == salt_before
    cipher.forget_keys()
    with pytest.raises(LoginFailed):
        accounts.log_in(path, ADMIN[0], ADMIN[2])
    assert accounts.log_in(path, ADMIN[0], "Next-password-8").username == ADMIN[0]


def test_roles_disabled_users_and_the_audit(encrypted: tuple[Path, str]) -> None:
    path, _ = encrypted
    db, admin = accounts.open_with_login(path, ADMIN[0], ADMIN[2])
    try:
        accounts.add_user(db, admin, "lihua", "李华", UserRole.COORDINATOR, "Lihua-pass-2026")
        accounts.add_user(db, admin, "zhaofu", "赵复", UserRole.REVIEWER, "Zhaofu-pass-2026")
        with pytest.raises(AccountError, match="已经有人用了"):
            accounts.add_user(db, admin, "lihua", "李华二", UserRole.COORDINATOR, "Lihua-pass-2026")
        with pytest.raises(AccountError, match="太常见"):
            accounts.add_user(db, admin, "wang", "王", UserRole.COORDINATOR, "12345678")
        with pytest.raises(AccountError, match="用户名"):
            accounts.add_user(db, admin, "王 五", "王五", UserRole.COORDINATOR, "Wangwu-pass-2026")

        coordinator = accounts.log_in(path, "lihua", "Lihua-pass-2026")
        reviewer = accounts.log_in(path, "zhaofu", "Zhaofu-pass-2026")
        assert (coordinator.role, reviewer.role) == (UserRole.COORDINATOR, UserRole.REVIEWER)
        for who in (coordinator, reviewer, Actor("lihua", UserRole.ADMIN, "李华")):  # the last one only claims admin
            with pytest.raises(PermissionDenied, match="只有管理员"):
                accounts.add_user(db, who, "sneaky", "某人", UserRole.ADMIN, "Sneaky-pass-2026")
            with pytest.raises(PermissionDenied):
                accounts.set_active(db, who, ADMIN[0], False)

        accounts.set_active(db, admin, "lihua", False)
        with pytest.raises(LoginFailed) as disabled:
            accounts.log_in(path, "lihua", "Lihua-pass-2026")
        assert disabled.value.user_message == accounts.DISABLED
        with pytest.raises(AccountError, match="不能停用自己"):
            accounts.set_active(db, admin, ADMIN[0], False)
        accounts.set_active(db, admin, "lihua", True)
        assert accounts.log_in(path, "lihua", "Lihua-pass-2026").username == "lihua"

        assert [(u.username, u.role, u.active) for u in accounts.list_users(db)] == [
            (ADMIN[0], UserRole.ADMIN, True),
            ("zhaofu", UserRole.REVIEWER, True),
            ("lihua", UserRole.COORDINATOR, True),
        ]
        with db.session() as session:
            entries = session.scalars(
                select(AuditEntry).where(AuditEntry.entity_type == "app_user").order_by(AuditEntry.seq)
            ).all()
        actions = [e.action for e in entries]
        assert actions == ["user.create", "user.create", "user.create", "user.disable", "user.enable"]
        assert [e.user for e in entries] == [ADMIN[0]] * 5
        text = json.dumps([(e.before, e.after, e.reason) for e in entries], ensure_ascii=False)
        assert "argon2" not in text and "Lihua-pass-2026" not in text and "password_hash" not in text
    finally:
        db.close()


def test_a_plain_database_without_users_needs_no_login(plain: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert not accounts.needs_login(plain) and not accounts.is_encrypted(plain)
    monkeypatch.delenv("PENSIONDESK_USER", raising=False)
    assert accounts.current_actor() == Actor("coordinator")
    monkeypatch.setenv("PENSIONDESK_USER", "wang")
    assert accounts.current_actor().username == "wang"
    db = open_database(plain)  # as before logins existed
    db.close()


# --- Backups and migrations of an encrypted database ---------------------------------------------------------------


def _add_person(path: Path, name: str) -> None:
    db = open_database(path)
    try:
        with db.session(immediate=True) as s:
            setting = s.get(Setting, "village_id")
            assert setting is not None
            first17 = f"429901{date(1975, 5, 1):%Y%m%d}001"
            inp = PersonInput(
                name=name,
                id_number=first17 + check_character(first17),
                group_name="第一村民小组",
                relation=Relation.HEAD,
            )
            add_person(s, Actor(ADMIN[0]), inp, village_id=setting.value)
    finally:
        db.close()


def test_backup_and_restore_of_an_encrypted_database(encrypted: tuple[Path, str]) -> None:
    path, _ = encrypted
    login_admin(path)
    backup = create_backup(path).path
    assert backup.read_bytes()[:16] != cipher.SQLITE_HEADER
    assert cipher.key_file_path(backup).is_file()  # the key file travels with the backup
    _add_person(path, "钱新来")

    cipher.forget_keys()  # a new process: the backup is unreadable until someone logs in
    with pytest.raises(cipher.DatabaseEncrypted):
        schema_status(backup)
    login_admin(path)
    report = restore_backup(backup, path, accept_loss=True)
    assert report.integrity == "ok" and report.plan.unsynced_by_type["person"] == 1
    assert path.read_bytes()[:16] != cipher.SQLITE_HEADER  # still encrypted after the restore
    cipher.forget_keys()
    db, _ = accounts.open_with_login(path, ADMIN[0], ADMIN[2])
    try:
        with db.session() as session:
            assert session.scalar(select(Person).where(Person.name == "钱新来")) is None
    finally:
        db.close()


def test_a_plain_backup_restored_over_an_encrypted_database_is_encrypted(plain: Path, tmp_path: Path) -> None:
    name, id_number = first_person(plain)
    old = create_backup(plain, tmp_path / "usb").path  # exported to a USB stick before logins existed
    accounts.setup_first_user(plain, *ADMIN)
    db, admin = accounts.open_with_login(plain, ADMIN[0], ADMIN[2])
    try:
        accounts.add_user(db, admin, "lihua", "李华", UserRole.COORDINATOR, "Lihua-pass-2026")
    finally:
        db.close()
    restore_backup(old, plain, accept_loss=True)

    data = plain.read_bytes()
    assert data[:16] != cipher.SQLITE_HEADER and id_number.encode() not in data and name.encode() not in data
    cipher.forget_keys()
    with pytest.raises(cipher.DatabaseEncrypted):
        open_database(plain)
    # The backup had no users; this laptop's users are carried over, so both can still log in.
    assert accounts.log_in(plain, "lihua", "Lihua-pass-2026").role is UserRole.COORDINATOR
    db, _ = accounts.open_with_login(plain, ADMIN[0], ADMIN[2])
    try:
        with db.session() as session:
            assert session.scalar(select(Person.name).where(Person.id_number == id_number)) == name
    finally:
        db.close()


def test_an_encrypted_database_behind_head_is_backed_up_then_upgraded(encrypted: tuple[Path, str]) -> None:
    path, _ = encrypted
    login_admin(path)
    engine = create_sqlite_engine(path)
    try:
        migrations.downgrade(engine, "-1")
    finally:
        engine.dispose()
    assert schema_status(path) == "behind"
    cipher.forget_keys()

    db, _ = accounts.open_with_login(path, ADMIN[0], ADMIN[2])
    try:
        assert db.migrated_from is not None and db.backup_path is not None
        assert db.revision() == migrations.head_revision()
        assert db.backup_path.read_bytes()[:16] != cipher.SQLITE_HEADER  # the safety copy is encrypted too
        assert cipher.key_file_path(db.backup_path).is_file()
        with db.session() as session:
            assert session.scalar(select(Person.id).limit(1)) is not None
    finally:
        db.close()
    with cipher.connect(db.backup_path, read_only=True) as backup:
        assert backup.execute("SELECT version_num FROM alembic_version").fetchone() == (db.migrated_from,)


_KILL_AT = """
import os, signal, sys
from pathlib import Path
from pensiondesk.services import accounts
from pensiondesk.store import cipher

where = sys.argv[2]
real_replace = os.replace


def replace(src, dst):
    # SIGKILL at the chosen moment of the first-user setup: before the encrypted copy replaces the plain file,
    # or just after it (before the plain bytes are erased and the backups encrypted).
    if str(src).endswith(".encrypting"):
        if where == "before-swap":
            os.kill(os.getpid(), signal.SIGKILL)
        real_replace(src, dst)
        os.kill(os.getpid(), signal.SIGKILL)
    real_replace(src, dst)


cipher.os.replace = replace
accounts.setup_first_user(Path(sys.argv[1]), "wang", "王红", "hongqi-2027")
"""


@pytest.mark.parametrize("where", ["before-swap", "after-swap"])
def test_killed_while_setting_up_the_first_user(tmp_path: Path, where: str) -> None:
    """A SIGKILL while the first user is set up never leaves a plain file with users (which would stay unencrypted
    for good, with no recovery key): before the swap the file is as it was (no user, plain, nothing lost) and setup
    runs again; after it the user, the encryption and the key file are all there and the password opens it."""
    import subprocess
    import sys

    path = tmp_path / "village.sqlite"
    create_demo_database(path, persons=30, seed=3)
    with closing(sqlite3.connect(path)) as plain:
        persons = plain.execute("select count(*) from person").fetchone()[0]
    killed = subprocess.run([sys.executable, "-c", _KILL_AT, str(path), where], capture_output=True, timeout=120)
    assert killed.returncode == -9, killed.stderr.decode(errors="replace")

    if where == "before-swap":
        assert not cipher.is_encrypted_file(path)
        with closing(sqlite3.connect(path)) as plain:
            assert plain.execute("select count(*) from app_user").fetchone()[0] == 0
            assert plain.execute("select count(*) from person").fetchone()[0] == persons
        recovery = accounts.setup_first_user(path, "wang", "王红", "hongqi-2027")
        assert recovery
    accounts.set_current_actor(None)
    cipher.forget_keys()
    assert cipher.is_encrypted_file(path)
    accounts.log_in(path, "wang", "hongqi-2027")
    db = open_database(path)
    try:
        with db.session() as session:
            assert len(session.scalars(select(Person)).all()) == persons
        assert [u.username for u in accounts.list_users(db)] == ["wang"]
    finally:
        db.close()
