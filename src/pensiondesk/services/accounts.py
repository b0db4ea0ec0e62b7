"""Users, roles and logging in (操作员账号、角色与登录), and the database key each login unlocks.

Roles (domain.md §14): 协办员 ``coordinator`` enters and first-checks (录入/初审), 复核 ``reviewer`` reviews, 管理员
``admin`` also manages the users. The person who entered a case cannot first-check it (``services.registration``).

How a password protects the data. The first user is made by :func:`setup_first_user`, which also encrypts the
database (``store.cipher``): a random 32-byte database key, wrapped in the key file ``<database>.keys.json`` once
per user under a key derived from the password with argon2id (:data:`KDF_PARAMS`) and once under the recovery key
(恢复密钥) shown at setup for the village safe. Logging in (:func:`log_in`) derives the key-encryption key from the
password and unwraps the database key (AES-GCM: a wrong password fails the tag), then reads the user's row (role,
active). The row also holds an argon2id hash of the password (``argon2.PasswordHasher``), which is what logs in to a
plain database that has users (one made before encryption existed, or whose encryption was interrupted).

Changing a password (:func:`change_password`) writes that user's key-file entry and hash only; the database key and
the encrypted file stay as they are. A forgotten password is reset with the recovery key
(:func:`reset_password_with_recovery`). Every change to a user writes an audit entry (never a password or a key);
user records stay on this laptop (no sync outbox row).

The logged-in operator of this process is :func:`current_actor`; without a login (a database without users: test
fixtures, databases from before logins) it is ``$PENSIONDESK_USER`` or ``coordinator``, as before logins existed.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pensiondesk.domain.codes import UserRole
from pensiondesk.paths import data_dir
from pensiondesk.services.recording import Actor, record_change
from pensiondesk.store import cipher
from pensiondesk.store.db import BACKUP_DIR_NAME, Database, open_database
from pensiondesk.store.models import User

#: argon2id for each user's key-encryption key (RFC 9106's second recommended option: 3 passes over 64 MiB, 4 lanes).
#: About 0.2 s on the development machine; stored in each key-file entry, so it can be raised later per user.
KDF_PARAMS: dict[str, Any] = {"name": "argon2id", "time_cost": 3, "memory_cost": 65536, "parallelism": 4}
_HASHER = PasswordHasher(time_cost=3, memory_cost=65536, parallelism=4)

MIN_PASSWORD_LENGTH = 8
_COMMON_PASSWORDS = frozenset(
    {"12345678", "123456789", "1234567890", "87654321", "password", "password1", "qwertyui", "abcdefgh", "abcd1234",
     "a1234567", "11223344", "woaini1314", "iloveyou", "00000000"}
)  # fmt: skip
_USERNAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{1,31}")
_RECOVERY_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"  # base32: no 0/1/8/9, so nothing to confuse with O/I/B
RECOVERY_GROUPS = 6
RECOVERY_GROUP_LEN = 5

_USER_AAD = b"pensiondesk database key for user "
_RECOVERY_AAD = b"pensiondesk database key for recovery"

DEFAULT_OPERATOR = "coordinator"


# --- Errors ---------------------------------------------------------------------------------------------------


class AccountError(Exception):
    """A request about users that cannot be done; ``user_message`` says why and what to do (Chinese)."""

    def __init__(self, user_message: str) -> None:
        super().__init__(user_message)
        self.user_message = user_message


class LoginFailed(AccountError):
    """Wrong user name or password, a disabled user, or a wrong recovery key."""


class PermissionDenied(AccountError):
    """The operator's role does not allow this (only an administrator manages users)."""


WRONG_LOGIN = "用户名或密码不对，请重新输入。注意大小写；忘记密码请找管理员，或用恢复密钥重设。"
DISABLED = "该用户已停用，不能登录。如需继续使用，请让管理员在“设置 → 用户”中重新启用。"


# --- The operator of this process -------------------------------------------------------------------------------

_current: Actor | None = None


def current_actor() -> Actor:
    """Who is working: the logged-in user, or ``$PENSIONDESK_USER`` (default ``coordinator``) when nobody logged in."""
    if _current is not None:
        return _current
    return Actor(os.environ.get("PENSIONDESK_USER", DEFAULT_OPERATOR))


def set_current_actor(actor: Actor | None) -> None:
    """Set (``None``: clear) the logged-in operator of this process."""
    global _current
    _current = actor


def is_logged_in(db_path: Path) -> bool:
    """True when someone logged in to this database in this process (its key is unlocked, if it is encrypted)."""
    path = _abs(db_path)
    if _current is None:
        return False
    return not cipher.is_encrypted_file(path) or cipher.key_for(path) is not None


LOGINS_FILE = "logins.json"


def last_username(db_path: Path, folder: Path | None = None) -> str | None:
    """Who logged in to this database last on this computer (to prefill the login window), or ``None``."""
    try:
        stored = json.loads(((folder or data_dir()) / LOGINS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    name = stored.get(str(_abs(db_path))) if isinstance(stored, dict) else None
    return name if isinstance(name, str) else None


def remember_username(db_path: Path, username: str, folder: Path | None = None) -> None:
    """Remember the user name (never the password) for the next login window; failures are ignored."""
    path = (folder or data_dir()) / LOGINS_FILE
    try:
        stored = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(stored, dict):
            stored = {}
    except (OSError, ValueError):
        stored = {}
    stored[str(_abs(db_path))] = username
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(path.name + ".part")
        temporary.write_text(json.dumps(stored, ensure_ascii=False, indent=2), encoding="utf-8")
        os.replace(temporary, path)


# --- Rules ----------------------------------------------------------------------------------------------------


def check_username(username: str) -> str:
    """The user name, stripped, or :class:`AccountError` saying what a user name may contain."""
    name = username.strip()
    if not _USERNAME.fullmatch(name):
        raise AccountError(
            f"用户名“{name}”不能用：用户名要 2 到 32 个字符，只能用英文字母、数字、下划线、点或减号，"
            "以字母或数字开头（例如 zhangsan 或 li.hua）。姓名请填在“姓名”里。"
        )
    return name


def check_password(password: str, username: str = "") -> None:
    """The minimum rules for a password; :class:`AccountError` says which one it breaks and how to fix it."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(
            f"密码太短：至少要 {MIN_PASSWORD_LENGTH} 个字符（现在 {len(password)} 个）。"
            "可以用字母、数字和符号组合，例如一句好记的拼音加几个数字。"
        )
    if len(set(password)) == 1:
        raise AccountError("密码不能全是同一个字符，请换一个。")
    if username and password.strip().lower() == username.strip().lower():
        raise AccountError("密码不能和用户名相同，请换一个。")
    if password.lower() in _COMMON_PASSWORDS:
        raise AccountError("这个密码太常见，很容易被猜到，请换一个。")


def check_display_name(display_name: str) -> str:
    name = display_name.strip()
    if not name or len(name) > 64:
        raise AccountError("请填写姓名（1 到 64 个字，例如 张明）。")
    return name


# --- Key wrapping -----------------------------------------------------------------------------------------------


def _derive(password: str, salt: bytes, params: dict[str, Any]) -> bytes:
    if params.get("name") != "argon2id":
        raise AccountError("密钥文件使用了本程序不认识的密钥算法，请把程序升级到最新版本。")
    return hash_secret_raw(
        password.encode("utf-8"),
        salt,
        time_cost=int(params["time_cost"]),
        memory_cost=int(params["memory_cost"]),
        parallelism=int(params["parallelism"]),
        hash_len=32,
        type=Type.ID,
    )


def _seal(kek: bytes, db_key: bytes, aad: bytes) -> dict[str, str]:
    nonce = os.urandom(12)
    return {"nonce": cipher.b64(nonce), "wrapped": cipher.b64(AESGCM(kek).encrypt(nonce, db_key, aad))}


def _open_seal(kek: bytes, entry: dict[str, Any], aad: bytes) -> bytes:
    return AESGCM(kek).decrypt(cipher.unb64(entry["nonce"]), cipher.unb64(entry["wrapped"]), aad)


def _user_entry(username: str, password: str, db_key: bytes) -> dict[str, Any]:
    salt = os.urandom(16)
    kek = _derive(password, salt, KDF_PARAMS)
    return {"kdf": dict(KDF_PARAMS), "salt": cipher.b64(salt), **_seal(kek, db_key, _USER_AAD + username.encode())}


def _unwrap_for_user(data: dict[str, Any], username: str, password: str) -> bytes | None:
    entry = data.get("users", {}).get(username)
    if not isinstance(entry, dict):
        _derive(password, b"\x00" * 16, KDF_PARAMS)  # the same time for an unknown name as for a wrong password
        return None
    kek = _derive(password, cipher.unb64(entry["salt"]), entry["kdf"])
    try:
        return _open_seal(kek, entry, _USER_AAD + username.encode())
    except (InvalidTag, KeyError, ValueError):
        return None


def new_recovery_key() -> str:
    """A recovery key: 6 groups of 5 base32 characters (150 random bits), e.g. ``K7QM2-...``."""
    chars = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(RECOVERY_GROUPS * RECOVERY_GROUP_LEN))
    return "-".join(chars[i : i + RECOVERY_GROUP_LEN] for i in range(0, len(chars), RECOVERY_GROUP_LEN))


def normalize_recovery_key(text: str) -> str:
    """Upper case, separators and spaces removed; 0/1/8 typed for O/I/B are read as the letters."""
    cleaned = re.sub(r"[\s\-_]", "", text).upper().translate(str.maketrans("018", "OIB"))
    return cleaned


def _recovery_kek(recovery_key: str, salt: bytes) -> bytes:
    # 150 random bits need no slow KDF; HKDF binds the key to this file's salt.
    material = normalize_recovery_key(recovery_key).encode("ascii")
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=_RECOVERY_AAD).derive(material)


def _recovery_entry(recovery_key: str, db_key: bytes) -> dict[str, Any]:
    salt = os.urandom(16)
    sealed = _seal(_recovery_kek(recovery_key, salt), db_key, _RECOVERY_AAD)
    return {"kdf": {"name": "hkdf-sha256"}, "salt": cipher.b64(salt), **sealed}


# --- Looking at a database --------------------------------------------------------------------------------------


def _abs(db_path: Path | str) -> Path:
    return Path(db_path).expanduser().absolute()


def is_encrypted(db_path: Path) -> bool:
    """True when the database file is encrypted (SQLCipher)."""
    return cipher.is_encrypted_file(_abs(db_path))


def _plain_user_count(path: Path) -> int:
    try:
        connection = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, timeout=5)
        try:
            row = connection.execute("SELECT count(*) FROM app_user WHERE password_hash IS NOT NULL").fetchone()
        finally:
            connection.close()
    except sqlite3.Error:
        return 0  # no such table (an empty or foreign file): opening it reports what is wrong
    return int(row[0])


def needs_login(db_path: Path) -> bool:
    """True when the database has users, so that only someone who logs in may open it (encrypted or not)."""
    path = _abs(db_path)
    if not path.is_file():
        return False
    if cipher.is_encrypted_file(path):
        # Without its key file no password can open it: not a login question (a damaged or foreign file, or a lost
        # key file); opening it says what is wrong.
        return cipher.read_key_file(path) is not None
    return _plain_user_count(path) > 0


def _user_row(path: Path, username: str) -> tuple[str, str, bool, str | None] | None:
    """(display_name, role, active, password_hash) of ``username`` read from the file (key already unlocked)."""
    connection = cipher.connect(path, read_only=True)
    try:
        row = connection.execute(
            "SELECT display_name, role, active, password_hash FROM app_user WHERE username = ?", (username,)
        ).fetchone()
    finally:
        connection.close()
    if row is None:
        return None
    return str(row[0]), str(row[1]), bool(row[2]), (str(row[3]) if row[3] is not None else None)


def _actor(username: str, row: tuple[str, str, bool, str | None]) -> Actor:
    return Actor(username, UserRole(row[1]), row[0])


# --- Logging in ---------------------------------------------------------------------------------------------------


def log_in(db_path: Path, username: str, password: str) -> Actor:
    """Check the user name and password against the database and unlock its key for this process.

    Returns the user as an :class:`Actor` (does not change :func:`current_actor`). Raises :class:`LoginFailed`
    (wrong name or password, disabled user) or a ``StoreError`` (the key file is missing, the file is damaged).
    """
    path = _abs(db_path)
    username = username.strip()
    if cipher.is_encrypted_file(path):
        data = cipher.read_key_file(path)
        if data is None:
            raise cipher.KeyFileMissing(path=path)
        key = _unwrap_for_user(data, username, password)
        if key is None:
            raise LoginFailed(WRONG_LOGIN)
        cipher.remember_key(path, key)
        row = _user_row(path, username)
        if row is None:
            raise LoginFailed(WRONG_LOGIN)
    else:
        row = _user_row(path, username) if path.is_file() else None
        if row is None or row[3] is None:
            _derive(password, b"\x00" * 16, KDF_PARAMS)
            raise LoginFailed(WRONG_LOGIN)
        try:
            _HASHER.verify(row[3], password)
        except (VerificationError, InvalidHashError) as exc:
            raise LoginFailed(WRONG_LOGIN) from exc
    if not row[2]:
        raise LoginFailed(DISABLED)
    return _actor(username, row)


def verify_password(db_path: Path, username: str, password: str) -> Actor:
    """Re-authenticate (unlocking after idle): the same checks as logging in; raises :class:`LoginFailed`."""
    return log_in(db_path, username, password)


def open_with_login(db_path: Path, username: str, password: str) -> tuple[Database, Actor]:
    """Log in and open the database (upgrading it, with a backup first, like ``open_database``); sets the operator."""
    actor = log_in(db_path, username, password)
    db = open_database(_abs(db_path))
    set_current_actor(actor)
    return db, actor


# --- Setting up ---------------------------------------------------------------------------------------------------


def _snapshot(user: User) -> dict[str, Any]:
    """What the audit entry says about a user: never the password hash."""
    return {"username": user.username, "display_name": user.display_name, "role": user.role, "active": user.active}


def _new_key_file(db_key: bytes, users: dict[str, Any], recovery_key: str) -> dict[str, Any]:
    return {
        "format": cipher.KEY_FILE_FORMAT,
        "key_id": cipher.key_id(db_key),
        "cipher": "sqlcipher4 raw key",
        "users": users,
        "recovery": _recovery_entry(recovery_key, db_key),
    }


def setup_first_user(
    db_path: Path,
    username: str,
    display_name: str,
    password: str,
    *,
    enforce_password_rules: bool = True,
) -> str:
    """Create the first user (管理员) in a database without users, encrypt the database, return the recovery key.

    Works on a new database (created at the current schema first) and on an existing plain one (its data is
    kept): the plain file is exported into an encrypted one, checked, swapped in atomically and its bytes
    overwritten; plain backups in its ``backups/`` folder are encrypted too. The recovery key is returned once
    (show it, have it written down); it is not stored anywhere. ``enforce_password_rules=False`` is for the demo.
    """
    path = _abs(db_path)
    username = check_username(username)
    display_name = check_display_name(display_name)
    if enforce_password_rules:
        check_password(password, username)
    if cipher.is_encrypted_file(path):
        raise AccountError("这个数据库已经设置过用户并已加密，请用已有的用户登录；新用户由管理员添加。")
    actor = Actor(username, UserRole.ADMIN, display_name)
    db = open_database(path)  # a new file is created at the current schema; an old one is upgraded
    try:
        with db.session() as session:
            if session.scalar(select(func.count()).select_from(User)):
                raise AccountError("这个数据库已经有用户了，请用已有的用户登录；新用户由管理员添加。")
    finally:
        db.close()
    password_hash = _HASHER.hash(password)

    def add_first_user(encrypted_copy: Path) -> None:
        # In the encrypted copy, before it replaces the plain file: killed before the swap, the plain file has no
        # user and setup starts again; after it, the user, the encryption and the key file are all there.
        copy = open_database(encrypted_copy, migrate=False)
        try:
            with copy.session(immediate=True) as session:
                user = User(
                    username=username,
                    display_name=display_name,
                    role=UserRole.ADMIN,
                    password_hash=password_hash,
                    active=True,
                )
                session.add(user)
                session.flush()
                record_change(
                    session, actor=actor, action="user.create", entity_type="app_user", entity_id=user.id,
                    before=None, after=_snapshot(user), reason="设置第一个管理员（数据库同时加密）", sync=False,
                )  # fmt: skip
        finally:
            copy.close()

    db_key = cipher.new_key()
    recovery_key = new_recovery_key()
    key_file = _new_key_file(db_key, {username: _user_entry(username, password, db_key)}, recovery_key)
    cipher.encrypt_in_place(path, db_key, key_file, prepare=add_first_user)
    cipher.remember_key(path, db_key)
    _encrypt_plain_backups(path, db_key, key_file)
    set_current_actor(actor)
    return recovery_key


def _encrypt_plain_backups(path: Path, db_key: bytes, key_file: dict[str, Any]) -> list[Path]:
    """Encrypt the plain backups of this database in its ``backups/`` folder (a stolen laptop carries them too)."""
    folder = path.parent / BACKUP_DIR_NAME
    done: list[Path] = []
    if not folder.is_dir():
        return done
    for backup in sorted(folder.glob(f"{path.stem}-*.sqlite")):
        if not backup.is_file() or cipher.is_encrypted_file(backup):
            continue
        try:
            cipher.encrypt_in_place(backup, db_key, key_file)
        except (OSError, sqlite3.Error, cipher.sqlcipher.Error, cipher.StoreError):
            continue  # a damaged old backup stays as it is; the database itself is encrypted
        done.append(backup)
    return done


# --- Managing users -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class UserInfo:
    """One user as the users page shows it."""

    username: str
    display_name: str
    role: UserRole
    active: bool
    created_at: datetime

    @property
    def role_label(self) -> str:
        return self.role.label


def list_users(db: Database) -> list[UserInfo]:
    """Every user of the database, administrators first, then by user name."""
    order = {UserRole.ADMIN: 0, UserRole.REVIEWER: 1, UserRole.COORDINATOR: 2}
    with db.session() as session:
        users = [
            UserInfo(u.username, u.display_name, u.role, bool(u.active), u.created_at)
            for u in session.scalars(select(User))
        ]
    return sorted(users, key=lambda u: (order.get(u.role, 9), u.username))


def display_names(session: Session) -> dict[str, str]:
    """Each user's name as people know it (显示名), by user name: the lists show 演示复核员, not ``reviewer``.

    A name recorded by someone who is not (or no longer) a user of this database is not in the map; show it as
    it was recorded.
    """
    return {
        username: display_name or username
        for username, display_name in session.execute(select(User.username, User.display_name))
    }


def _require_admin(db: Database, actor: Actor) -> None:
    """Only an active administrator of this database manages users (the row is checked, not just the claim)."""
    if actor.role is not UserRole.ADMIN:
        raise PermissionDenied(f"只有管理员可以管理用户；当前用户 {actor.username} 是{actor.role.label}。")
    with db.session() as session:
        row = session.scalar(select(User).where(User.username == actor.username))
    if row is None or row.role is not UserRole.ADMIN or not row.active:
        raise PermissionDenied(f"只有管理员可以管理用户；{actor.username} 不是这个数据库的在用管理员。")


def _key_file_for_change(db: Database) -> tuple[dict[str, Any], bytes] | None:
    """The key file and the unlocked key of an encrypted database (``None`` for a plain one)."""
    if not cipher.is_encrypted_file(db.path):
        return None
    key = cipher.key_for(db.path)
    data = cipher.read_key_file(db.path)
    if key is None or data is None:
        raise cipher.DatabaseEncrypted(path=db.path)
    return data, key


def add_user(
    db: Database,
    actor: Actor,
    username: str,
    display_name: str,
    role: UserRole,
    password: str,
    *,
    enforce_password_rules: bool = True,
) -> UserInfo:
    """Add a user (administrators only); an encrypted database's key is wrapped for the new user's password too."""
    _require_admin(db, actor)
    username = check_username(username)
    display_name = check_display_name(display_name)
    if enforce_password_rules:
        check_password(password, username)
    keys = _key_file_for_change(db)
    entry = _user_entry(username, password, keys[1]) if keys else None
    with db.session(immediate=True) as session:
        if session.scalar(select(User).where(User.username == username)) is not None:
            raise AccountError(f"用户名“{username}”已经有人用了，请换一个（停用的用户也占着名字）。")
        user = User(
            username=username, display_name=display_name, role=role, password_hash=_HASHER.hash(password), active=True
        )
        session.add(user)
        session.flush()
        record_change(
            session, actor=actor, action="user.create", entity_type="app_user", entity_id=user.id,
            before=None, after=_snapshot(user), sync=False,
        )  # fmt: skip
        if keys and entry:
            data = keys[0]
            data.setdefault("users", {})[username] = entry
            cipher.write_key_file(db.path, data)  # inside the transaction: if this fails, no user is added
        info = UserInfo(user.username, user.display_name, user.role, True, user.created_at)
    return info


def set_active(db: Database, actor: Actor, username: str, active: bool) -> None:
    """Disable (停用) or re-enable a user (administrators only); the last active administrator stays active."""
    _require_admin(db, actor)
    with db.session(immediate=True) as session:
        user = session.scalar(select(User).where(User.username == username.strip()))
        if user is None:
            raise AccountError(f"没有用户名为“{username}”的用户。")
        if user.active == active:
            return
        if not active:
            if user.username == actor.username:
                raise AccountError("不能停用自己正在使用的账号。")
            if user.role is UserRole.ADMIN:
                admins = session.scalar(
                    select(func.count()).select_from(User).where(User.role == UserRole.ADMIN, User.active.is_(True))
                )
                if (admins or 0) <= 1:
                    raise AccountError("不能停用唯一的管理员，请先添加另一位管理员。")
        before = _snapshot(user)
        user.active = active
        record_change(
            session, actor=actor, action="user.enable" if active else "user.disable", entity_type="app_user",
            entity_id=user.id, before=before, after=_snapshot(user), sync=False,
        )  # fmt: skip


def _set_password(path: Path, actor: Actor, username: str, new_password: str, key: bytes | None, reason: str) -> None:
    """Write the new hash (and key-file entry) for ``username``, with an audit entry that names no secret."""
    entry = _user_entry(username, new_password, key) if key is not None else None
    db = open_database(path)
    try:
        with db.session(immediate=True) as session:
            user = session.scalar(select(User).where(User.username == username))
            if user is None:
                raise AccountError(f"没有用户名为“{username}”的用户。")
            user.password_hash = _HASHER.hash(new_password)
            record_change(
                session, actor=actor, action="user.password", entity_type="app_user", entity_id=user.id,
                before=None, after={"username": username, "password": "已更改"}, reason=reason, sync=False,
                operation="update",
            )  # fmt: skip
            if entry is not None:
                data = cipher.read_key_file(path)
                if data is None:
                    raise cipher.KeyFileMissing(path=path)
                data.setdefault("users", {})[username] = entry
                cipher.write_key_file(path, data)
    finally:
        db.close()


def change_password(db_path: Path, username: str, old_password: str, new_password: str) -> None:
    """Change one's own password: checks the old one, re-wraps the database key for the new one (nothing else)."""
    path = _abs(db_path)
    actor = log_in(path, username, old_password)
    check_password(new_password, actor.username)
    key = cipher.key_for(path) if cipher.is_encrypted_file(path) else None
    _set_password(path, actor, actor.username, new_password, key, "本人修改密码")


def reset_password(db: Database, actor: Actor, username: str, new_password: str) -> None:
    """An administrator sets a new password for another user (who forgot theirs)."""
    _require_admin(db, actor)
    check_password(new_password, username.strip())
    keys = _key_file_for_change(db)
    _set_password(db.path, actor, username.strip(), new_password, keys[1] if keys else None, "管理员重设密码")


def recover_key(db_path: Path, recovery_key: str) -> bytes:
    """Unwrap the database key with the recovery key (and unlock it for this process); :class:`LoginFailed` if wrong."""
    path = _abs(db_path)
    if not cipher.is_encrypted_file(path):
        raise AccountError("这个数据库没有加密，也就没有恢复密钥；请让管理员直接重设密码。")
    data = cipher.read_key_file(path)
    if data is None:
        raise cipher.KeyFileMissing(path=path)
    entry = data.get("recovery")
    try:
        if not isinstance(entry, dict):
            raise KeyError("recovery")
        key = _open_seal(_recovery_kek(recovery_key, cipher.unb64(entry["salt"])), entry, _RECOVERY_AAD)
    except (InvalidTag, KeyError, ValueError, UnicodeEncodeError) as exc:
        raise LoginFailed(
            "恢复密钥不对。请对照设置时抄下的恢复密钥（6 组，每组 5 个字母或数字）重新输入；分隔符和大小写不要紧。"
        ) from exc
    cipher.remember_key(path, key)
    return key


def reset_password_with_recovery(db_path: Path, recovery_key: str, username: str, new_password: str) -> Actor:
    """Set a new password for ``username`` with the recovery key, so a forgotten password loses nothing.

    A disabled user stays disabled (the administrator decides that). Returns the user.
    """
    path = _abs(db_path)
    key = recover_key(path, recovery_key)
    name = username.strip()
    check_password(new_password, name)
    row = _user_row(path, name)
    if row is None:
        raise AccountError(f"没有用户名为“{name}”的用户。")
    actor = _actor(name, row)
    _set_password(path, actor, name, new_password, key, "用恢复密钥重设密码")
    return actor


def recovery_key_text(recovery_key: str) -> str:
    """The recovery key as it should be written down (groups of five)."""
    raw = normalize_recovery_key(recovery_key)
    return "-".join(raw[i : i + RECOVERY_GROUP_LEN] for i in range(0, len(raw), RECOVERY_GROUP_LEN))


# --- The demo -------------------------------------------------------------------------------------------------


DEMO_ADMIN = ("demo", "演示管理员", "demo")
DEMO_REVIEWER = ("reviewer", "演示复核员", "reviewer")


def setup_demo_accounts(db_path: Path) -> str:
    """The demo database's users: ``demo``/``demo`` (管理员) and ``reviewer``/``reviewer`` (复核); encrypts it."""
    username, display_name, password = DEMO_ADMIN
    recovery = setup_first_user(db_path, username, display_name, password, enforce_password_rules=False)
    admin = Actor(username, UserRole.ADMIN, display_name)
    db = open_database(_abs(db_path))
    try:
        name, shown, secret = DEMO_REVIEWER
        add_user(db, admin, name, shown, UserRole.REVIEWER, secret, enforce_password_rules=False)
    finally:
        db.close()
    return recovery


__all__ = [
    "AccountError",
    "LoginFailed",
    "PermissionDenied",
    "UserInfo",
    "add_user",
    "change_password",
    "current_actor",
    "display_names",
    "is_encrypted",
    "is_logged_in",
    "last_username",
    "list_users",
    "log_in",
    "needs_login",
    "open_with_login",
    "remember_username",
    "reset_password",
    "reset_password_with_recovery",
    "set_active",
    "set_current_actor",
    "setup_demo_accounts",
    "setup_first_user",
    "verify_password",
]
