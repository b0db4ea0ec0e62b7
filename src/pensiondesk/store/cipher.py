"""Encryption at rest (数据库加密): SQLCipher connections, the database key and the key file next to the database.

A village database with users is a SQLCipher file. Its key is 32 random bytes used as a *raw* key
(``PRAGMA key = "x'<64 hex>'"``), so opening a connection costs no key derivation. The key itself is never stored
in clear: the key file ``<database>.keys.json`` beside the database holds it wrapped (AES-256-GCM) once per user,
under a key derived from that user's password with argon2id, and once under the recovery key shown at setup
(恢复密钥, kept in the village safe). Changing a password rewrites one entry of the key file; the database file is
not re-encrypted.

This module knows nothing about users or passwords (``services.accounts`` does); it keeps, for this process, the
keys that a login has unlocked (:func:`remember_key`), and every place that opens a database file asks
:func:`connect` for its connection, which uses the standard ``sqlite3`` module for a plain file and ``sqlcipher3``
with the key for an encrypted one. A backup of an encrypted database is encrypted with the same key and carries a
copy of the key file, so an unlocked key also opens its backups (:func:`key_for` matches them by ``key_id``).
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import json
import os
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import sqlcipher3.dbapi2 as sqlcipher

from pensiondesk.store.errors import StoreError

#: The first 16 bytes of every plain SQLite file; an encrypted file starts with random bytes instead.
SQLITE_HEADER = b"SQLite format 3\x00"
KEY_FILE_SUFFIX = ".keys.json"
KEY_FILE_FORMAT = 1
KEY_BYTES = 32

#: Errors of either driver, for ``except`` clauses around connections that may be plain or encrypted.
DRIVER_ERRORS: tuple[type[Exception], ...] = (sqlite3.Error, sqlcipher.Error)


class DatabaseEncrypted(StoreError):
    """The file is encrypted and this process has not unlocked its key (nobody has logged in)."""

    default_message = (
        "数据库文件 {path} 已加密，需要登录后才能打开。"
        "请用有权限的用户名和密码登录（命令行：--user 用户名，密码在提示时输入或放在 PENSIONDESK_PASSWORD 中）。"
    )


class KeyFileMissing(StoreError):
    """An encrypted file without its key file: nobody's password can open it, only the key itself."""

    default_message = (
        "数据库文件 {path} 已加密，但旁边缺少密钥文件（{path}.keys.json），无法解密。"
        "请把与数据库一起保存的 .keys.json 文件放回数据库所在的文件夹，或从备份（备份文件自带密钥文件）恢复。"
    )


# --- Files --------------------------------------------------------------------------------------------------


def key_file_path(db_path: Path | str) -> Path:
    """``<database>.keys.json`` beside the database (or beside a backup)."""
    path = Path(db_path)
    return path.with_name(path.name + KEY_FILE_SUFFIX)


def is_encrypted_file(path: Path | str) -> bool:
    """True when ``path`` is a non-empty file that does not start with SQLite's plain header (SQLCipher's is random)."""
    try:
        with open(path, "rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        return False
    return bool(header) and header != SQLITE_HEADER


def key_id(key: bytes) -> str:
    """A public fingerprint of a database key, written in the key file so backups can be matched to a known key."""
    return hmac.new(key, b"pensiondesk database key id", hashlib.sha256).hexdigest()[:32]


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"))


def read_key_file(db_path: Path | str) -> dict[str, Any] | None:
    """The key file of ``db_path`` as a dict, or ``None`` when there is none (a damaged one counts as none)."""
    try:
        data = json.loads(key_file_path(db_path).read_text(encoding="utf-8"))
    except (FileNotFoundError, NotADirectoryError):
        return None
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and data.get("format") == KEY_FILE_FORMAT else None


def write_key_file(db_path: Path | str, data: dict[str, Any]) -> Path:
    """Write the key file atomically (a temporary file, fsync, ``os.replace``); returns its path."""
    target = key_file_path(db_path)
    partial = target.with_name(target.name + ".part")
    text = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True)
    with open(partial, "w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(partial, target)
    return target


def copy_key_file(db_path: Path | str, target_db_path: Path | str) -> Path | None:
    """Copy the key file of ``db_path`` so that it belongs to ``target_db_path``; ``None`` when there is none."""
    data = read_key_file(db_path)
    return write_key_file(target_db_path, data) if data is not None else None


def remove_key_file(db_path: Path | str) -> None:
    with contextlib.suppress(FileNotFoundError):
        key_file_path(db_path).unlink()


# --- Keys unlocked in this process ------------------------------------------------------------------------


_keys_by_path: dict[str, bytes] = {}
_keys_by_id: dict[str, bytes] = {}


def _norm(path: Path | str) -> str:
    return str(Path(path).expanduser().absolute())


def remember_key(db_path: Path | str, key: bytes) -> None:
    """Keep ``key`` for ``db_path`` (and for every file whose key file names the same key) for this process."""
    _keys_by_path[_norm(db_path)] = key
    _keys_by_id[key_id(key)] = key


def forget_keys() -> None:
    """Forget every unlocked key (logging out; tests)."""
    _keys_by_path.clear()
    _keys_by_id.clear()


def key_for(db_path: Path | str) -> bytes | None:
    """The unlocked key for ``db_path``: its own, or a known key named by its key file (a backup's); else ``None``."""
    key = _keys_by_path.get(_norm(db_path))
    if key is not None:
        return key
    data = read_key_file(db_path)
    if data is not None:
        return _keys_by_id.get(str(data.get("key_id")))
    return None


def new_key() -> bytes:
    return os.urandom(KEY_BYTES)


# --- Connections ------------------------------------------------------------------------------------------


def key_pragma(key: bytes) -> str:
    """``PRAGMA key`` with a raw key: SQLCipher uses the bytes as they are (no passphrase derivation)."""
    return f"PRAGMA key = \"x'{key.hex()}'\""


def needed_key(path: Path) -> bytes | None:
    """The key to open ``path`` with (``None`` for a plain or missing file); raises if it is encrypted and locked."""
    if not is_encrypted_file(path):
        return None
    key = key_for(path)
    if key is not None:
        return key
    if read_key_file(path) is None:
        # No key file: either a damaged/foreign file or an encrypted one whose key file was lost. Only the second is
        # worth a special message, and it cannot be told apart here, so let SQLite say "not a database".
        return None
    raise DatabaseEncrypted(path=path)


def connect(
    path: Path | str,
    *,
    read_only: bool = False,
    timeout: float = 5.0,
    key: bytes | None = None,
    use_key: bool = True,
    check_same_thread: bool = True,
) -> Any:
    """A DBAPI connection to ``path``: ``sqlite3`` for a plain file, ``sqlcipher3`` keyed for an encrypted one.

    ``key`` forces an encrypted connection with that key (for a new file, e.g. a backup being written);
    otherwise the key comes from :func:`needed_key`. ``read_only`` opens with ``mode=ro`` (never creates the file).
    ``use_key=False`` skips key lookup (a file that must be treated as plain). ``check_same_thread=False`` lets a
    connection pool hand the connection to another thread (the driver's own check refuses that).
    """
    path = Path(path).expanduser().absolute()
    if key is None and use_key:
        key = needed_key(path)
    target: str = f"{path.as_uri()}?mode=ro" if read_only else str(path)
    if key is None:
        return sqlite3.connect(target, uri=read_only, timeout=timeout, check_same_thread=check_same_thread)
    connection = sqlcipher.connect(target, uri=read_only, timeout=timeout, check_same_thread=check_same_thread)
    try:
        connection.execute(key_pragma(key))
    except BaseException:
        connection.close()
        raise
    return connection


def attach_key_clause(key: bytes | None, main_encrypted: bool) -> str:
    """The ``KEY`` clause for ``ATTACH``: the attached file's raw key, ``KEY ''`` for a plain file attached to an
    encrypted connection (SQLCipher would otherwise use the main key), nothing when both are plain."""
    if key is not None:
        return f" KEY \"x'{key.hex()}'\""
    return " KEY ''" if main_encrypted else ""


def dbapi_module(path: Path | str) -> Any:
    """The DBAPI module :func:`connect` would use for ``path`` (SQLAlchemy needs it to recognise driver errors)."""
    return sqlcipher if is_encrypted_file(Path(path).expanduser().absolute()) else sqlite3


def is_driver_error(exc: BaseException) -> bool:
    return isinstance(exc, DRIVER_ERRORS)


# --- Encrypting a plain file ------------------------------------------------------------------------------


def _table_counts(connection: Any) -> dict[str, int]:
    names = [
        str(row[0])
        for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND substr(name, 1, 7) != 'sqlite_' ORDER BY 1"
        )
    ]
    return {name: int(connection.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]) for name in names}


def export_encrypted(plain_path: Path, target: Path, key: bytes) -> None:
    """Write an encrypted copy of the plain database ``plain_path`` to ``target`` and check it (SQLCipher's
    ``sqlcipher_export``: the documented way to encrypt an existing plain database)."""
    target.unlink(missing_ok=True)
    source = sqlcipher.connect(str(plain_path), isolation_level=None)
    try:
        expected = _table_counts(source)
        source.execute("ATTACH DATABASE ? AS encrypted KEY \"x'" + key.hex() + "'\"", (str(target),))
        source.execute("SELECT sqlcipher_export('encrypted')")
        version = int(source.execute("PRAGMA main.user_version").fetchone()[0])
        source.execute(f"PRAGMA encrypted.user_version = {version}")
        source.execute("DETACH DATABASE encrypted")
    finally:
        source.close()
    check = connect(target, key=key)
    try:
        verdict = str(check.execute("PRAGMA integrity_check").fetchone()[0])
        found = _table_counts(check)
    finally:
        check.close()
    if verdict != "ok" or found != expected:
        target.unlink(missing_ok=True)
        raise StoreError(
            "加密数据库时检查未通过，数据库未做任何改动。请重试；如仍失败，请联系县经办机构。",
            path=plain_path,
            detail=f"integrity {verdict!r}; rows {found} vs {expected}",
        )


def _erase(path: Path) -> None:
    """Overwrite a file's bytes with zeros before unlinking it, so the plain copy does not linger in its blocks."""
    with contextlib.suppress(OSError):
        size = path.stat().st_size
        with open(path, "r+b") as handle:
            chunk = b"\x00" * (1 << 20)
            left = size
            while left > 0:
                n = min(left, len(chunk))
                handle.write(chunk[:n])
                left -= n
            handle.flush()
            os.fsync(handle.fileno())
    with contextlib.suppress(FileNotFoundError):
        path.unlink()


SIDE_SUFFIXES = ("-wal", "-shm", "-journal")


def side_files(path: Path) -> Iterator[Path]:
    for suffix in SIDE_SUFFIXES:
        yield path.with_name(path.name + suffix)


def encrypt_in_place(
    path: Path, key: bytes, key_file: dict[str, Any], *, prepare: Callable[[Path], None] | None = None
) -> None:
    """Replace the plain database at ``path`` by an encrypted copy and write its key file; nothing plain is left.

    Steps: fold the WAL into the file (so the export sees everything and no plain ``-wal`` is left), export an
    encrypted copy next to it and check it, let ``prepare`` change that copy (its key is known for it; the first
    user is added there, so a crash never leaves a plain file with users), write the key file, then swap the copy
    in with ``os.replace`` and overwrite the old plain bytes before deleting them. Until the swap the plain file is
    untouched; after it the key file already exists, so the database is never without its key file. Nobody may
    have the file open.
    """
    path = path.expanduser().absolute()
    plain = sqlite3.connect(path, timeout=5)
    try:
        plain.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        plain.execute("PRAGMA journal_mode=DELETE").fetchone()
    finally:
        plain.close()
    staging = path.with_name(f".{path.name}.encrypting")
    export_encrypted(path, staging, key)
    if prepare is not None:
        remember_key(staging, key)
        try:
            prepare(staging)
            folded = connect(staging, key=key)
            try:
                folded.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                folded.execute("PRAGMA journal_mode=DELETE").fetchone()
            finally:
                folded.close()
        except BaseException:
            staging.unlink(missing_ok=True)
            for side in side_files(staging):
                side.unlink(missing_ok=True)
            raise
        finally:
            _keys_by_path.pop(_norm(staging), None)
    with open(staging, "rb") as handle:
        os.fsync(handle.fileno())
    write_key_file(path, key_file)
    doomed = path.with_name(f".{path.name}.plain-erase")
    doomed.unlink(missing_ok=True)
    try:
        os.link(path, doomed)  # a second name for the plain bytes, to overwrite them once the swap is done
    except OSError:
        doomed = None  # type: ignore[assignment]
    os.replace(staging, path)
    for side in side_files(path):
        side.unlink(missing_ok=True)
    if doomed is not None:
        _erase(doomed)


def encrypted_file_opens(path: Path, key: bytes) -> bool:
    """True when ``key`` opens the encrypted file at ``path``."""
    try:
        connection = connect(path, read_only=True, key=key)
        try:
            connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
        finally:
            connection.close()
    except DRIVER_ERRORS:
        return False
    return True
