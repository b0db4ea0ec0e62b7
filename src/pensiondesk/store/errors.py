"""Database errors sorted by whose fault they are (数据库错误).

A :class:`StoreError` is something the coordinator can understand and act on: the disk is full, another copy
of PensionDesk has the file open, the file was written by a newer version. It carries a ``user_message`` in
plain Simplified Chinese (what is wrong, what to do) that the GUI and the command line show as is, never a
traceback. Anything else that comes out of the store (a constraint violation, "no such table") is a bug in
PensionDesk and goes to the crash report. This is the split qutebrowser makes in ``misc/sql.py``
(``KnownError`` vs ``BugError``).

:func:`translate_operational_error` turns the sqlite3 / SQLAlchemy errors that mean "known trouble with the
file or the disk" into the matching :class:`StoreError`, and returns ``None`` for the rest.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import ClassVar

import sqlcipher3.dbapi2 as sqlcipher
from sqlalchemy import exc as sa_exc


class StoreError(Exception):
    """Known trouble with the database file; ``user_message`` says what happened and what to do."""

    #: Shown when the raiser gives no message; ``{path}`` is replaced by the database path.
    default_message: ClassVar[str] = (
        "数据库出现问题（{path}）。请关闭程序后重试；如仍不能解决，请联系县经办机构。"
    )

    def __init__(
        self,
        user_message: str | None = None,
        *,
        path: Path | str | None = None,
        detail: str = "",
    ) -> None:
        self.path = Path(path) if path is not None else None
        self.detail = detail
        self.user_message = user_message or self.default_message.format(path=self.path or "数据库文件")
        super().__init__(f"{self.user_message} [{detail}]" if detail else self.user_message)


class DatabaseNotFound(StoreError):
    """The file does not exist and the caller asked not to create it."""

    default_message = "找不到数据库文件：{path}（或该文件是空的）。请检查文件位置，或从备份中恢复。"


class DatabaseTooNew(StoreError):
    """The file was written by a newer PensionDesk; this version refuses it and leaves it untouched."""

    default_message = (
        "数据库文件 {path} 是由更新版本的城乡居保村级工作台创建或升级的，当前程序无法打开。"
        "文件未做任何改动。请先把本程序升级到最新版本，再打开该文件。"
    )

    def __init__(
        self,
        user_message: str | None = None,
        *,
        path: Path | str | None = None,
        detail: str = "",
        found_revision: str | None = None,
        known_head: str | None = None,
    ) -> None:
        self.found_revision = found_revision
        self.known_head = known_head
        if not detail and found_revision is not None:
            detail = f"database revision {found_revision!r} is unknown to this program (head {known_head!r})"
        super().__init__(user_message, path=path, detail=detail)


class DatabaseUnreadable(StoreError):
    """Not a SQLite file, a damaged one, or a SQLite file that is not a PensionDesk database."""

    default_message = (
        "无法读取数据库文件 {path}：它不是本程序的数据库，或文件已损坏。"
        "请确认选择的文件是否正确；如文件损坏，请从 backups 文件夹中的备份恢复，或联系县经办机构。"
    )


class DatabaseLocked(StoreError):
    """Another PensionDesk (or another program) holds the file's write lock."""

    default_message = (
        "数据库文件 {path} 正被另一个程序使用（可能已打开了另一个城乡居保村级工作台窗口）。"
        "请关闭其他窗口或程序后重试。"
    )


class DiskFull(StoreError):
    """No space left for the database, its journal or a backup."""

    default_message = (
        "磁盘空间已满，数据未能保存（{path}），本次操作已撤销。请删除不需要的文件腾出空间后重试。"
    )


class DiskIOError(StoreError):
    """The system failed to read or write the file (USB stick pulled out, failing disk, network share)."""

    default_message = (
        "读写数据库文件 {path} 时磁盘出错，本次操作已撤销。"
        "如果数据库在U盘或网络位置上，请确认设备仍然连接；否则请检查磁盘，并尽快备份数据。"
    )


class ReadOnlyDatabase(StoreError):
    """The file, its folder or the medium is read-only."""

    default_message = (
        "数据库文件 {path} 只能读取、不能写入（文件或文件夹是只读的，或放在了只读的位置）。"
        "请把数据库放到可写的文件夹，或检查文件属性后重试。"
    )


class BackupFailed(StoreError):
    """The safety copy made before an upgrade failed, so the upgrade was not attempted."""

    default_message = (
        "升级数据库前无法创建备份，数据库未做任何改动（{path}）。"
        "请检查备份文件夹是否可写、磁盘是否有空间后重试。"
    )


# SQLite primary result codes (https://sqlite.org/rescode.html); Python 3.11+ exposes them on sqlite3 errors.
_SQLITE_BUSY = 5
_SQLITE_LOCKED = 6
_SQLITE_READONLY = 8
_SQLITE_IOERR = 10
_SQLITE_CORRUPT = 11
_SQLITE_FULL = 13
_SQLITE_CANTOPEN = 14
_SQLITE_NOTADB = 26

_BY_CODE: dict[int, type[StoreError]] = {
    _SQLITE_BUSY: DatabaseLocked,
    _SQLITE_LOCKED: DatabaseLocked,
    _SQLITE_READONLY: ReadOnlyDatabase,
    _SQLITE_IOERR: DiskIOError,
    _SQLITE_CORRUPT: DatabaseUnreadable,
    _SQLITE_FULL: DiskFull,
    _SQLITE_CANTOPEN: DatabaseUnreadable,
    _SQLITE_NOTADB: DatabaseUnreadable,
}

# Fallback for errors without a result code (older drivers, errors re-raised as text).
_BY_MESSAGE: tuple[tuple[str, type[StoreError]], ...] = (
    ("database is locked", DatabaseLocked),
    ("database table is locked", DatabaseLocked),
    ("database or disk is full", DiskFull),
    ("disk i/o error", DiskIOError),
    ("attempt to write a readonly database", ReadOnlyDatabase),
    ("readonly database", ReadOnlyDatabase),
    ("file is not a database", DatabaseUnreadable),
    ("file is encrypted or is not a database", DatabaseUnreadable),
    ("database disk image is malformed", DatabaseUnreadable),
    ("unable to open database file", DatabaseUnreadable),
)

_CANTOPEN_MESSAGE = "无法打开数据库文件 {path}。请检查文件所在的文件夹是否存在、是否有访问权限。"


def _driver_error(exc: BaseException) -> BaseException:
    """The sqlite3 exception underneath a SQLAlchemy wrapper (or ``exc`` itself)."""
    if isinstance(exc, sa_exc.DBAPIError) and isinstance(exc.orig, BaseException):
        return exc.orig
    return exc


def translate_operational_error(exc: BaseException, *, path: Path | str | None = None) -> StoreError | None:
    """The :class:`StoreError` that ``exc`` means, or ``None`` if it is not a known file/disk problem (a bug).

    Accepts ``sqlite3`` errors and SQLAlchemy's wrappers of them (``OperationalError``, ``DatabaseError``).
    Integrity errors (a foreign key or unique violation) are never translated: the services must prevent them.
    """
    if isinstance(exc, StoreError):
        return exc
    driver_exc = _driver_error(exc)
    # Either driver: sqlite3 for plain files, sqlcipher3 (a separate exception hierarchy) for encrypted ones.
    if not isinstance(driver_exc, sqlite3.DatabaseError | sqlcipher.DatabaseError) or isinstance(
        driver_exc, sqlite3.IntegrityError | sqlcipher.IntegrityError
    ):
        return None
    detail = str(driver_exc)
    lowered = detail.lower()
    error_class: type[StoreError] | None = None
    cannot_open = False
    code = getattr(driver_exc, "sqlite_errorcode", None)
    if isinstance(code, int):
        error_class = _BY_CODE.get(code & 0xFF)
        cannot_open = code & 0xFF == _SQLITE_CANTOPEN
    if error_class is None:
        error_class = next((cls for fragment, cls in _BY_MESSAGE if fragment in lowered), None)
        cannot_open = "unable to open" in lowered
    if error_class is None:
        return None
    message = _CANTOPEN_MESSAGE.format(path=path or "数据库文件") if cannot_open else None
    return error_class(message, path=path, detail=detail)
