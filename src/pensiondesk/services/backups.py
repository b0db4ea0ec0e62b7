"""Backups of the village database: make, list, rotate, and restore with checks (数据库备份与恢复).

Where backups go: ``backups/`` next to the database file (the folder ``store.db`` already uses for the copy it
makes before a migration), or any folder the coordinator names, such as a USB stick (导出到U盘). Every backup is
one self-contained SQLite file named ``<库名>-<label>-<YYYYmmdd-HHMMSS>.sqlite`` (local time), made with SQLite's
online backup API by :func:`pensiondesk.store.db.backup_database`, so it is consistent even while the program runs.

Kinds, read from the label:

* ``daily`` — 每日自动备份, at most one per calendar day (:func:`daily_backup_if_due`);
* ``manual`` — 手动备份 (``pensiondesk backup create``), including exports to a USB folder;
* ``before-<from>-to-<to>`` — 升级前备份, made by ``store.db`` before every schema migration;
* ``before-restore`` — 恢复前备份, the current database saved just before a restore replaces it.

Rotation rule (轮换规则): :func:`rotate_backups` deletes only what the program made on its own and can make again
— daily backups beyond the newest ``keep_daily`` (7) of each database. Manual backups are deleted only when the
caller explicitly passes ``keep_manual`` (nothing does by default), and pre-migration and pre-restore backups are
never deleted by rotation: they may be the only copy of data from before a change, so only a person removes them.
Every deleted file is returned, so callers can say what they removed.

Restore (恢复) never trusts the backup blindly (:func:`check_backup`): the file must be a PensionDesk database not
newer than this program, pass ``PRAGMA integrity_check``, and have an unbroken audit chain. It never loses work
silently (:func:`plan_restore`): changes in the current database's sync outbox that the county has not accepted
and that the backup does not contain are counted and listed, and :func:`restore_backup` refuses unless the caller
passes ``accept_loss=True``. The current database is backed up first, then replaced in one ``os.replace``.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import sqlite3
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path

from pensiondesk.services.audit import AuditCheck, local_time, read_only_connection, verify_audit_file
from pensiondesk.store import cipher
from pensiondesk.store.db import BACKUP_DIR_NAME, backup_database, schema_status
from pensiondesk.store.errors import (
    BackupFailed,
    DatabaseLocked,
    DatabaseNotFound,
    StoreError,
    translate_operational_error,
)
from pensiondesk.store.migrate import head_revision

DAILY_LABEL = "daily"
MANUAL_LABEL = "manual"
SAFETY_LABEL = "before-restore"
MIGRATION_LABEL_PREFIX = "before-"
KEEP_DAILY = 7

#: ``<stem>-<label>-<YYYYmmdd-HHMMSS>[-n].sqlite``: the names ``store.db.backup_database`` gives.
_BACKUP_NAME = re.compile(r"^(?P<rest>.+)-(?P<stamp>\d{8}-\d{6})(?:-(?P<n>\d+))?\.sqlite$")
_LABEL = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.+-]*")
_STAMP_FORMAT = "%Y%m%d-%H%M%S"

#: How many unsynced records a restore report names one by one.
EXAMPLES = 5

_RECORD_LABELS = {
    "person": "人员",
    "household": "户",
    "villager_group": "村民小组",
    "person_category": "参保身份",
    "migrant_document": "外出务工材料",
    "key_field_change": "关键信息变更",
    "registration": "参保登记",
    "contribution": "缴费记录",
    "receipt": "收据",
    "receipt_book": "票据本",
    "day_close": "日结",
    "advance": "垫付",
    "benefit_case": "待遇领取资格确认",
    "survival_check": "领取资格认证",
    "cancellation": "注销登记",
    "public_notice": "公示",
    "notice_objection": "公示异议",
    "announcement": "通知",
    "setting": "设置",
}

_STATE_LABELS = {"pending": "待上传", "in_flight": "已发送待确认", "rejected": "被拒收", "conflict": "有冲突"}


def record_label(record_type: str) -> str:
    """The Chinese name of a synced record type (``person`` → 人员)."""
    return _RECORD_LABELS.get(record_type, record_type)


def _size_text(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB"
    return f"{max(size, 1) / 1024:.0f} KB"


class BackupRejected(StoreError):
    """The backup cannot be trusted (damaged, tampered with, too new, not ours); nothing was changed."""

    default_message = "备份文件 {path} 不能用来恢复。当前数据库未做任何改动。"


class RestoreRefused(StoreError):
    """Restoring would lose changes the county does not have yet, and the caller did not accept that."""

    def __init__(self, plan: RestorePlan) -> None:
        self.plan = plan
        super().__init__(
            f"恢复未进行，当前数据库未做任何改动：{plan.loss_summary()}。如确认要放弃这些修改，请明确确认后再恢复。",
            path=plan.db_path,
            detail=f"{plan.unsynced_count} unsynced outbox rows",
        )


# --- Making and listing ----------------------------------------------------------------------------------------


class BackupKind(StrEnum):
    """What made a backup, read from its label."""

    DAILY = "daily"
    MANUAL = "manual"
    MIGRATION = "migration"
    SAFETY = "safety"

    @property
    def label(self) -> str:
        return {"daily": "每日自动", "manual": "手动", "migration": "升级前", "safety": "恢复前"}[self.value]


def kind_of_label(label: str) -> BackupKind:
    """The kind of backup a file label stands for; unknown labels count as manual (a person asked for them)."""
    if label == DAILY_LABEL:
        return BackupKind.DAILY
    if label.startswith(SAFETY_LABEL):  # before-restore, before-restore-damaged
        return BackupKind.SAFETY
    if label.startswith(MIGRATION_LABEL_PREFIX):
        return BackupKind.MIGRATION
    return BackupKind.MANUAL


@dataclass(frozen=True)
class BackupInfo:
    """One backup file: where it is, when it was made (local time), how big, and its label."""

    path: Path
    created: datetime
    size_bytes: int
    label: str

    @property
    def kind(self) -> BackupKind:
        return kind_of_label(self.label)

    @property
    def size_text(self) -> str:
        return _size_text(self.size_bytes)


def default_backup_dir(db_path: Path | str) -> Path:
    """``backups/`` next to the database file, the same folder ``store.db`` uses before a migration."""
    return Path(db_path).expanduser().absolute().parent / BACKUP_DIR_NAME


def _parse(path: Path, stem: str | None = None) -> BackupInfo | None:
    """A backup's facts from its name, or ``None`` when the name is not ours (or not of database ``stem``)."""
    match = _BACKUP_NAME.match(path.name)
    if match is None:
        return None
    rest = match["rest"]
    if stem is not None:
        if not rest.startswith(stem + "-") or len(rest) == len(stem) + 1:
            return None
        label = rest[len(stem) + 1 :]
    else:
        label = rest  # the database's name cannot be told apart from the label without it
    try:
        created = datetime.strptime(match["stamp"], _STAMP_FORMAT)
        size = path.stat().st_size
    except (ValueError, OSError):
        return None
    return BackupInfo(path=path, created=created, size_bytes=size, label=label)


def _order_key(info: BackupInfo) -> tuple[datetime, int, int, str]:
    """Oldest first: by the time in the name, then (two backups in one second) the counter and the file's age."""
    match = _BACKUP_NAME.match(info.path.name)
    counter = int(match["n"]) if match and match["n"] else 0
    try:
        modified = info.path.stat().st_mtime_ns
    except OSError:
        modified = 0
    return (info.created, counter, modified, info.path.name)


def list_backups(db_path: Path | str, directory: Path | str | None = None) -> list[BackupInfo]:
    """The backups of the database at ``db_path`` in ``directory`` (default: its ``backups/``), newest first."""
    stem = Path(db_path).stem
    folder = Path(directory).expanduser().absolute() if directory is not None else default_backup_dir(db_path)
    if not folder.is_dir():
        return []
    found = [info for p in folder.glob("*.sqlite") if (info := _parse(p, stem)) is not None]
    return sorted(found, key=_order_key, reverse=True)


def create_backup(db_path: Path | str, directory: Path | str | None = None, label: str = MANUAL_LABEL) -> BackupInfo:
    """Back up the database at ``db_path`` into ``directory`` (default: ``backups/`` next to it).

    A ``directory`` on a USB stick is the export (导出到U盘). The copy is checked (``quick_check``) before it gets
    its final name, so a file with our name is a whole backup. Raises :class:`DatabaseNotFound` when there is
    nothing to back up and :class:`BackupFailed` (or :class:`DatabaseLocked`) when the copy cannot be made.
    """
    if not _LABEL.fullmatch(label):
        raise ValueError(f"backup label must be letters, digits, '.', '_', '+' or '-': {label!r}")
    path = Path(db_path).expanduser().absolute()
    if not path.is_file():
        raise DatabaseNotFound(path=path)
    folder = Path(directory).expanduser().absolute() if directory is not None else default_backup_dir(path)
    try:
        target = backup_database(path, folder, label)
    except BackupFailed as exc:
        # store.db's message is about migrations; say what this backup was for.
        raise BackupFailed(
            f"无法创建备份（备份到 {folder}）。数据库未做任何改动。"
            "请检查备份文件夹是否存在、可写（U盘是否插好、是否写保护），磁盘是否有空间，然后重试。",
            path=path,
            detail=exc.detail,
        ) from exc
    info = _parse(target, path.stem)
    assert info is not None, target  # backup_database names files the way _BACKUP_NAME reads them
    return info


# --- Rotation ------------------------------------------------------------------------------------------------


def rotate_backups(
    directory: Path | str,
    keep_daily: int = KEEP_DAILY,
    keep_manual: int | None = None,
    *,
    stem: str | None = None,
) -> list[Path]:
    """Delete old backups in ``directory`` by the rule in the module docstring; returns the deleted files.

    Daily backups: the newest ``keep_daily`` of each database are kept. Manual backups: all kept unless
    ``keep_manual`` is given, then the newest ``keep_manual`` of each database. Pre-migration and pre-restore
    backups: never deleted here. ``stem`` limits rotation to the backups of one database (``pensiondesk`` for
    ``pensiondesk.sqlite``); by default every database with backups in the folder is rotated separately.
    """
    if keep_daily < 1 or (keep_manual is not None and keep_manual < 1):
        raise ValueError("rotation keeps at least one backup of each kind it rotates")
    folder = Path(directory)
    if not folder.is_dir():
        return []
    groups: dict[tuple[str, str], list[BackupInfo]] = {}
    for path in folder.glob("*.sqlite"):
        match = _BACKUP_NAME.match(path.name)
        if match is None:
            continue
        for label, keep in ((DAILY_LABEL, keep_daily), (MANUAL_LABEL, keep_manual)):
            suffix = "-" + label
            if keep is None or not match["rest"].endswith(suffix):
                continue
            owner = match["rest"][: -len(suffix)]
            if stem is not None and owner != stem:
                continue
            info = _parse(path, owner)
            if info is not None:
                groups.setdefault((owner, label), []).append(info)
    deleted: list[Path] = []
    for (_owner, label), infos in groups.items():
        keep = keep_daily if label == DAILY_LABEL else keep_manual
        assert keep is not None
        for old in sorted(infos, key=_order_key, reverse=True)[keep:]:
            with contextlib.suppress(FileNotFoundError):
                old.path.unlink()
                cipher.remove_key_file(old.path)  # an encrypted backup's copy of the key file goes with it
                deleted.append(old.path)
    return sorted(deleted)


def daily_backup_if_due(db_path: Path | str, *, keep_daily: int = KEEP_DAILY) -> BackupInfo | None:
    """Make today's daily backup if there is none yet, then rotate the daily backups; ``None`` when not due.

    Meant for program start-up (one call after the database is open). Nothing is done for a database that does
    not exist yet. Failures come out as :class:`StoreError` (the caller decides whether to warn and go on).
    """
    path = Path(db_path).expanduser().absolute()
    if not path.is_file() or schema_status(path) == "missing":
        return None
    day = date.today()  # backup names carry local time, so the day is the local calendar day
    folder = default_backup_dir(path)
    if any(b.label == DAILY_LABEL and b.created.date() == day for b in list_backups(path, folder)):
        return None
    info = create_backup(path, folder, DAILY_LABEL)
    rotate_backups(folder, keep_daily=keep_daily, stem=path.stem)
    return info


# --- Checking a backup -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BackupCheck:
    """What :func:`check_backup` found in a backup that passed every check."""

    path: Path
    revision: str
    upgrade_needed: bool  # an older schema: opening it after the restore upgrades it (with its own backup)
    audit: AuditCheck
    persons: int
    village_id: str | None
    made_at: datetime  # local time, from the name (or the file's modification time)


def _rejected(path: Path, why: str, detail: str = "") -> BackupRejected:
    return BackupRejected(f"不能用备份文件 {path} 恢复：{why}当前数据库未做任何改动。", path=path, detail=detail)


_TRY_ANOTHER = "请换一个备份文件（例如更早的备份，或U盘上的备份）。"
_DAMAGED = "备份文件已损坏或不是本程序的数据库文件。" + _TRY_ANOTHER


def _facts(path: Path) -> tuple[int, str | None]:
    """Number of people and the ``village_id`` setting (raw JSON text) of a database file."""
    connection = read_only_connection(path)
    try:
        persons = connection.execute("SELECT count(*) FROM person").fetchone()[0]
        row = connection.execute("SELECT value FROM setting WHERE key = 'village_id'").fetchone()
    finally:
        connection.close()
    return int(persons), (str(row[0]) if row else None)


def check_backup(backup_path: Path | str) -> BackupCheck:
    """Check that a backup can be trusted, reading it only; raises :class:`BackupRejected` saying why not.

    In order: it is a PensionDesk database (not empty, not someone else's SQLite file) whose schema this program
    knows (not written by a newer version); ``PRAGMA integrity_check`` says ``ok``; its audit chain is unbroken.
    """
    path = Path(backup_path).expanduser().absolute()
    if not path.is_file():
        raise _rejected(path, "找不到这个文件。")
    try:
        status = schema_status(path)
    except cipher.DatabaseEncrypted as exc:
        raise _rejected(
            path,
            "这个备份是加密的，而当前登录的数据库的密钥打不开它（它属于另一个数据库）。"
            "请用这个备份当时的用户名和密码登录后再恢复。",
            exc.detail,
        ) from exc
    except StoreError as exc:
        raise _rejected(path, _DAMAGED, exc.detail) from exc
    if status == "missing":
        raise _rejected(path, "这是一个空的数据库文件，里面没有数据。")
    if status == "foreign":
        raise _rejected(path, "这不是城乡居保村级工作台的数据库文件。")
    if status == "newer":
        raise _rejected(path, "它是由更新版本的城乡居保村级工作台创建的，请先把本程序升级到最新版本。")
    try:
        connection = read_only_connection(path)
        try:
            problems = [str(row[0]) for row in connection.execute("PRAGMA integrity_check(20)")]
            revision = str(connection.execute("SELECT version_num FROM alembic_version").fetchone()[0])
        finally:
            connection.close()
    except cipher.DRIVER_ERRORS as exc:
        raise _rejected(path, _DAMAGED, f"{type(exc).__name__}: {exc}") from exc
    if problems != ["ok"]:
        raise _rejected(path, "备份文件已损坏（数据库完整性检查未通过）。" + _TRY_ANOTHER, "; ".join(problems[:5]))
    try:
        audit = verify_audit_file(path)
        persons, village_id = _facts(path)
    except StoreError as exc:
        raise _rejected(path, _DAMAGED, exc.detail) from exc
    except cipher.DRIVER_ERRORS as exc:
        raise _rejected(path, _DAMAGED, f"{type(exc).__name__}: {exc}") from exc
    if audit.broken is not None:
        raise _rejected(
            path,
            f"备份中的审计记录被改动过——{audit.broken.describe()}。这个备份不可信。",
            f"audit chain broken at seq {audit.broken.seq}",
        )
    info = _parse(path)
    made_at = info.created if info is not None else datetime.fromtimestamp(path.stat().st_mtime)
    return BackupCheck(
        path=path,
        revision=revision,
        upgrade_needed=revision != head_revision(),
        audit=audit,
        persons=persons,
        village_id=village_id,
        made_at=made_at,
    )


# --- Planning a restore ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class UnsyncedRecord:
    """A change in the current database that the county has not accepted and the backup does not hold."""

    record_type: str
    record_id: str
    operation: str
    state: str
    created_at: str  # as stored (UTC)
    person_name: str | None

    def describe(self) -> str:
        who = f"，{self.person_name}" if self.person_name else ""
        state = _STATE_LABELS.get(self.state, self.state)
        return f"{record_label(self.record_type)} {self.record_id}{who}（{state}）"


@dataclass
class RestorePlan:
    """What restoring ``backup`` over ``db_path`` would do, worked out without changing anything."""

    backup: BackupCheck
    db_path: Path
    current_exists: bool
    unsynced_count: int = 0
    unsynced_by_type: dict[str, int] = field(default_factory=dict)
    unsynced_examples: list[UnsyncedRecord] = field(default_factory=list)
    #: Why the current database could not be compared (then nothing is known about what would be lost).
    unknown_reason: str | None = None
    newer_audit_count: int = 0
    newer_audit_first: datetime | None = None
    newer_audit_last: datetime | None = None
    other_village: bool = False

    @property
    def needs_consent(self) -> bool:
        """Restoring would (or might) lose changes the county does not have."""
        return self.unsynced_count > 0 or self.unknown_reason is not None

    def loss_summary(self) -> str:
        if self.unknown_reason is not None:
            return f"无法读取当前数据库（{self.unknown_reason}），不能确认是否有尚未上传到县里的记录"
        kinds = "，".join(f"{record_label(t)} {n} 条" for t, n in sorted(self.unsynced_by_type.items()))
        return f"当前数据库中有 {self.unsynced_count} 条修改尚未被县里接收，且备份中没有（{kinds}），恢复后会丢失"

    def lines(self) -> list[str]:
        """The plan in plain Chinese, one line each, for the CLI and the GUI."""
        b = self.backup
        out = [
            f"备份文件：{b.path}",
            f"备份时间：{b.made_at:%Y-%m-%d %H:%M:%S}；{b.persons} 人；{b.audit.message()}；完整性检查通过",
        ]
        if b.upgrade_needed:
            out.append("该备份是旧版本程序的数据库，恢复后第一次打开时会自动升级（升级前另做备份）。")
        if not self.current_exists:
            out.append(f"当前数据库 {self.db_path} 不存在，将直接用备份恢复。")
            return out
        if self.other_village:
            out.append("注意：该备份属于另一个村（与当前数据库的村不同）。")
        if self.newer_audit_count:
            out.append(
                f"当前数据库中有 {self.newer_audit_count} 条审计记录晚于该备份（{local_time(self.newer_audit_first)}"
                f" 至 {local_time(self.newer_audit_last)}），恢复后本机不再有这些记录。"
            )
        else:
            out.append("当前数据库中没有晚于该备份的修改。")
        if self.needs_consent:
            out.append(self.loss_summary() + "：")
            out.extend(f"  - {r.describe()}" for r in self.unsynced_examples)
            if self.unsynced_count > len(self.unsynced_examples):
                out.append(f"  …… 另有 {self.unsynced_count - len(self.unsynced_examples)} 条")
        elif self.newer_audit_count:
            out.append("这些修改县里都已接收，恢复后可以通过同步再次取得。")
        return out


_UNSYNCED_WHERE = (
    "FROM main.sync_outbox o WHERE o.state != 'accepted' "
    "AND NOT EXISTS (SELECT 1 FROM bk.sync_outbox b WHERE b.id = o.id)"
)


def _compare(plan: RestorePlan) -> None:
    """Fill in what the current database holds that the backup does not (read-only on both files)."""
    backup_key = cipher.needed_key(plan.backup.path)
    current_key = cipher.needed_key(plan.db_path)
    if backup_key is not None and current_key is None:
        # A plain current database and an encrypted backup: only sqlcipher3 can read both on one connection.
        connection = cipher.sqlcipher.connect(f"{plan.db_path.as_uri()}?mode=ro", uri=True, timeout=5)
    else:
        connection = read_only_connection(plan.db_path)
    try:
        connection.execute(
            "ATTACH DATABASE ? AS bk" + cipher.attach_key_clause(backup_key, current_key is not None),
            (f"{plan.backup.path.as_uri()}?mode=ro",),
        )
        plan.unsynced_by_type = {
            str(t): int(n)
            for t, n in connection.execute(f"SELECT o.record_type, count(*) {_UNSYNCED_WHERE} GROUP BY 1")
        }
        plan.unsynced_count = sum(plan.unsynced_by_type.values())
        rows = connection.execute(
            "SELECT o.record_type, o.record_id, o.operation, o.state, o.created_at, "
            "coalesce(CASE WHEN o.record_type = 'person' THEN json_extract(o.payload, '$.name') END, "
            "(SELECT p.name FROM main.person p WHERE p.id = "
            "coalesce(json_extract(o.payload, '$.person_id'), json_extract(o.payload, '$.head_person_id')))) "
            f"{_UNSYNCED_WHERE} ORDER BY o.seq LIMIT ?",
            (EXAMPLES,),
        )
        plan.unsynced_examples = [
            UnsyncedRecord(str(t), str(i), str(op), str(st), str(at), str(name) if name else None)
            for t, i, op, st, at, name in rows
        ]
        count, first, last = connection.execute(
            "SELECT count(*), min(a.at), max(a.at) FROM main.audit_entry a "
            "WHERE NOT EXISTS (SELECT 1 FROM bk.audit_entry b WHERE b.id = a.id)"
        ).fetchone()
        plan.newer_audit_count = int(count)
        plan.newer_audit_first = datetime.fromisoformat(first) if first else None
        plan.newer_audit_last = datetime.fromisoformat(last) if last else None
        row = connection.execute("SELECT value FROM main.setting WHERE key = 'village_id'").fetchone()
        current_village = str(row[0]) if row else None
        plan.other_village = None not in (current_village, plan.backup.village_id) and (
            current_village != plan.backup.village_id
        )
    finally:
        connection.close()


def plan_restore(backup_path: Path | str, db_path: Path | str) -> RestorePlan:
    """Check the backup and work out what restoring it over ``db_path`` would lose; changes nothing.

    Raises :class:`BackupRejected` when the backup cannot be trusted.
    """
    check = check_backup(backup_path)
    target = Path(db_path).expanduser().absolute()
    if target.exists() and target.resolve() == check.path.resolve():
        raise _rejected(check.path, "这个文件就是当前正在使用的数据库，不是备份。")
    plan = RestorePlan(backup=check, db_path=target, current_exists=target.is_file())
    if plan.current_exists:
        try:
            _compare(plan)
        except cipher.DRIVER_ERRORS as exc:
            known = translate_operational_error(exc, path=target)
            if isinstance(known, DatabaseLocked):
                raise known from exc
            plan.unknown_reason = f"{type(exc).__name__}: {exc}"
    return plan


# --- Restoring -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RestoreReport:
    """What :func:`restore_backup` did."""

    plan: RestorePlan
    safety_backup: Path | None  # the current database as it was just before the restore
    integrity: str  # quick_check of the restored file

    def lines(self) -> list[str]:
        out = [f"已用备份恢复数据库：{self.plan.db_path}"]
        if self.safety_backup is not None:
            out.append(f"恢复前的数据库已另存为：{self.safety_backup}")
        out.append(f"恢复后检查：{'通过' if self.integrity == 'ok' else self.integrity}；{self.plan.backup.persons} 人")
        if self.plan.unsynced_count:
            out.append(f"已按确认放弃 {self.plan.unsynced_count} 条尚未被县里接收的修改（仍保存在恢复前的备份中）。")
        return out


_SIDE_FILES = ("-wal", "-shm", "-journal")


def _stage(backup: Path, staging: Path, current_key: bytes | None) -> None:
    """Copy the backup next to the database (same disk, so the final rename is atomic), one self-contained file.

    An encrypted backup stays encrypted with its own key. A plain backup restored over an encrypted database is
    encrypted with the current key on the way (``sqlcipher_export``), so a restore never leaves a plain file behind.
    """
    staging.unlink(missing_ok=True)
    backup_key = cipher.needed_key(backup)
    if backup_key is None and current_key is not None:
        cipher.export_encrypted(backup, staging, current_key)
        return
    source = read_only_connection(backup)
    try:
        copy = cipher.connect(staging, key=backup_key, use_key=False)
        try:
            source.backup(copy)
            copy.execute("PRAGMA journal_mode=DELETE")
            verdict = str(copy.execute("PRAGMA quick_check").fetchone()[0])
        finally:
            copy.close()
    finally:
        source.close()
    if verdict != "ok":
        raise BackupFailed(f"复制备份文件时检查未通过（{verdict}），恢复已取消。", path=backup, detail=verdict)


_USER_COLUMNS = "id, username, display_name, role, password_hash, active, created_at"


def _keep_users(staging: Path, current: Path, key: bytes) -> None:
    """Carry this laptop's users (操作员) into a restored file that will keep the current key file.

    Users are local (never synced) and the key file holds today's passwords, so the restored file must hold today's
    user rows: otherwise restoring a backup from before a user was added, or from before logins existed, would leave
    nobody able to log in. The rows are copied as they are (no audit entry, so the backup's audit chain is intact).
    """
    connection = cipher.connect(staging, key=key, use_key=False)
    try:
        connection.isolation_level = None
        connection.execute(
            "ATTACH DATABASE ? AS cur" + cipher.attach_key_clause(key, True), (str(current),)
        )
        connection.execute("BEGIN")
        connection.execute("DELETE FROM main.app_user WHERE username IN (SELECT username FROM cur.app_user)")
        connection.execute(f"INSERT INTO main.app_user ({_USER_COLUMNS}) SELECT {_USER_COLUMNS} FROM cur.app_user")
        connection.execute("COMMIT")
        connection.execute("DETACH DATABASE cur")
    finally:
        connection.close()


def _raw_copy(db_path: Path, folder: Path) -> Path:
    """A byte copy of a database the backup API cannot read (a damaged one), with its WAL, before replacing it."""
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime(_STAMP_FORMAT)
    target = folder / f"{db_path.stem}-{SAFETY_LABEL}-damaged-{stamp}.sqlite"
    shutil.copy2(db_path, target)
    for suffix in _SIDE_FILES:
        side = db_path.with_name(db_path.name + suffix)
        if side.exists():
            shutil.copy2(side, target.with_name(target.name + suffix))
    return target


def _safety_backup(db_path: Path, folder: Path) -> Path:
    try:
        return backup_database(db_path, folder, SAFETY_LABEL)
    except DatabaseLocked:
        raise
    except StoreError:
        try:
            return _raw_copy(db_path, folder)
        except OSError as exc:
            raise BackupFailed(
                f"无法为当前数据库做恢复前备份（{folder}），恢复已取消，数据库未做任何改动。"
                "请检查磁盘空间和文件夹权限后重试。",
                path=db_path,
                detail=str(exc),
            ) from exc


def _release(db_path: Path) -> None:
    """Make sure no one else has the database open and fold its WAL into the file before it is replaced.

    Leaving WAL mode needs the only connection to the file, so this fails with "locked" while the program (or
    anything else) has it open. A damaged file may refuse; its side files are then moved aside by the caller.
    """
    try:
        connection = cipher.connect(db_path, timeout=2)
    except cipher.DRIVER_ERRORS:
        return
    try:
        connection.execute("PRAGMA journal_mode=DELETE").fetchone()
    except cipher.DRIVER_ERRORS as exc:
        known = translate_operational_error(exc, path=db_path)
        if isinstance(known, DatabaseLocked):
            raise DatabaseLocked(
                f"数据库 {db_path} 正被城乡居保村级工作台或其他程序使用，恢复已取消，数据库未做任何改动。"
                "请先关闭程序窗口，再运行恢复。",
                path=db_path,
                detail=str(exc),
            ) from exc
    finally:
        connection.close()


def restore_backup(
    backup_path: Path | str,
    db_path: Path | str,
    *,
    accept_loss: bool = False,
    safety_dir: Path | str | None = None,
) -> RestoreReport:
    """Replace the database at ``db_path`` with a checked copy of ``backup_path``.

    Steps: :func:`plan_restore` (checks the backup, raises :class:`BackupRejected`); refuse with
    :class:`RestoreRefused` when changes not yet accepted by the county would be lost and ``accept_loss`` is
    false; copy the backup next to the database; make sure nobody has the current database open (raises
    :class:`DatabaseLocked` otherwise); back up the current database (``before-restore``, into ``safety_dir`` or
    ``backups/``); ``os.replace`` the copy over it (stale
    ``-wal``/``-shm`` files are moved aside first so they cannot be replayed into the restored file).
    Until the final rename, the current database is left as it was.
    """
    plan = plan_restore(backup_path, db_path)
    if plan.needs_consent and not accept_loss:
        raise RestoreRefused(plan)
    target = plan.db_path
    staging = target.with_name(f".{target.name}.restoring")
    folder = Path(safety_dir).expanduser().absolute() if safety_dir is not None else default_backup_dir(target)
    safety: Path | None = None
    current_key = cipher.needed_key(target) if plan.current_exists else None
    backup_key = cipher.needed_key(plan.backup.path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        _stage(plan.backup.path, staging, current_key)
        if current_key is not None and (backup_key is None or cipher.key_id(backup_key) == cipher.key_id(current_key)):
            _keep_users(staging, target, current_key)
        if plan.current_exists:
            _release(target)  # first, so that a database still open elsewhere leaves no stray safety copy
            safety = _safety_backup(target, folder)
            for suffix in _SIDE_FILES:
                side = target.with_name(target.name + suffix)
                if side.exists():
                    shutil.move(side, folder / f"{safety.name}.old{suffix}")  # may be another disk
        os.replace(staging, target)
        # The key file that opens the restored file: the current one when the key is the same (it has today's
        # passwords) or the backup was plain (it was encrypted with the current key); else the backup's own.
        if backup_key is not None and (current_key is None or cipher.key_id(current_key) != cipher.key_id(backup_key)):
            cipher.copy_key_file(plan.backup.path, target)
            cipher.remember_key(target, backup_key)
        elif backup_key is None and current_key is None:
            cipher.remove_key_file(target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            staging.unlink(missing_ok=True)
        if isinstance(exc, OSError | sqlite3.Error | cipher.sqlcipher.Error):
            known = translate_operational_error(exc, path=target)
            raise known or BackupFailed(
                f"恢复未能完成（{exc.strerror if isinstance(exc, OSError) else exc}），当前数据库未被替换。"
                "请关闭所有程序窗口、检查磁盘后重试。",
                path=target,
                detail=f"{type(exc).__name__}: {exc}",
            ) from exc
        raise
    connection = read_only_connection(target)
    try:
        integrity = str(connection.execute("PRAGMA quick_check").fetchone()[0])
    finally:
        connection.close()
    return RestoreReport(plan=plan, safety_backup=safety, integrity=integrity)
