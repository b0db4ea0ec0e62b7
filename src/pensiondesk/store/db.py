"""The village database file: engine, sessions, migrate-at-startup (数据库的打开、升级与会话).

:func:`open_database` is the one way in. It looks at the file read-only first
(:func:`schema_status`), then:

* missing (or empty) → create it by running the Alembic migrations to head, so a new file has exactly the
  schema an upgraded one has;
* current → open it;
* behind → copy it to ``backups/<stem>-before-<from>-to-<head>-<YYYYmmdd-HHMMSS>.sqlite`` with SQLite's backup
  API (a plain file copy of a WAL database can miss committed data still in ``-wal``), then upgrade it in one
  transaction over one connection;
* newer (its Alembic revision is unknown to this program) → :class:`DatabaseTooNew`, without writing a byte;
* foreign (a SQLite file with tables but no ``alembic_version``) → :class:`DatabaseUnreadable`.

Every pooled connection gets the same pragmas (see :func:`create_sqlite_engine`), and SQLAlchemy rather than
the ``sqlite3`` module decides when a transaction begins, so that a transaction is a real SQLite transaction —
reads included, DDL included.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import Any, Literal

from sqlalchemy import URL, Connection, Engine, create_engine, event, func, select
from sqlalchemy import exc as sa_exc
from sqlalchemy.orm import Session, sessionmaker

from pensiondesk.store import cipher
from pensiondesk.store import migrate as migrations
from pensiondesk.store.errors import (
    BackupFailed,
    DatabaseLocked,
    DatabaseNotFound,
    DatabaseTooNew,
    DatabaseUnreadable,
    ReadOnlyDatabase,
    StoreError,
    translate_operational_error,
)
from pensiondesk.store.models import Person, Setting, Village

SchemaStatus = Literal["missing", "current", "behind", "newer", "foreign"]

#: How long a connection waits for another one's write lock before "database is locked" (milliseconds).
BUSY_TIMEOUT_MS = 5000

#: Execution option read by the ``begin`` listener: the statement that opens a transaction.
BEGIN_STATEMENT_OPTION = "pensiondesk_begin"

BACKUP_DIR_NAME = "backups"

_FOREIGN_MESSAGE = (
    "文件 {path} 是一个 SQLite 数据库，但不是城乡居保村级工作台的数据库（缺少版本信息），"
    "程序不会打开或修改它。请确认选择的文件是否正确。"
)


# --- Engine ------------------------------------------------------------------------------------------------


def _set_pragmas(dbapi_connection: sqlite3.Connection, busy_timeout_ms: int) -> None:
    """Pragmas for every new DBAPI connection; they are per connection, so the pool cannot share them.

    * ``isolation_level = None`` stops the ``sqlite3`` module from issuing its own BEGIN (it would skip it for
      SELECT and DDL); :func:`_on_begin` issues it instead. This is SQLAlchemy's documented recipe for the
      pysqlite driver before Python 3.12's ``autocommit`` attribute.
    * ``busy_timeout`` first, so that switching the journal mode already waits for a lock instead of failing.
    * ``foreign_keys=ON``: SQLite enforces foreign keys only when asked, on each connection.
    * ``journal_mode=WAL``: readers do not block the writer (the GUI can page through the person list while a
      background import writes), and a commit is one append to the ``-wal`` file. Persistent in the file.
      WAL needs shared memory between connections, so the file must be on a local disk, not a network share.
    * ``synchronous=NORMAL``: in WAL mode this syncs only at checkpoints, not at every commit. WAL with NORMAL
      cannot corrupt the database on a power cut or OS crash (each WAL frame is checksummed and a checkpoint
      syncs the WAL before it overwrites the file); the worst case is that the last transactions committed
      just before the cut roll back. A crash of the program itself loses nothing. FULL would fsync the WAL on
      every commit — slow on the cheap laptops and USB disks villages use, for no integrity gain.
    """
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
    finally:
        cursor.close()


def _on_begin(conn: Connection) -> None:
    """Emit BEGIN ourselves (the ``sqlite3`` module no longer does, see :func:`_set_pragmas`).

    ``BEGIN`` is deferred (takes the write lock at the first write); a session that will write can ask for
    ``BEGIN IMMEDIATE`` so that it waits for the lock up front rather than failing at its first write when
    another connection wrote in between (SQLITE_BUSY_SNAPSHOT is not retried by ``busy_timeout``).
    """
    conn.exec_driver_sql(conn.get_execution_options().get(BEGIN_STATEMENT_OPTION, "BEGIN"))


def create_sqlite_engine(path: Path | str, *, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> Engine:
    """A SQLAlchemy engine on the SQLite file ``path`` with our pragmas and transaction handling.

    An encrypted file (see ``store.cipher``) is opened through ``sqlcipher3`` with its unlocked key: ``PRAGMA key``
    runs first on every new connection (the ``creator``), before the pragmas above. SQLAlchemy is given
    ``sqlcipher3`` as the DBAPI module so that its errors are recognised and wrapped like ``sqlite3``'s. Like the
    plain file's (SQLAlchemy does this itself for a file URL), its connections may be used by another thread than
    the one that opened them: the pool hands them to worker threads (roster import, sync).
    """
    absolute = Path(path).expanduser().absolute()
    key = cipher.needed_key(absolute)
    if key is None:
        engine = create_engine(
            URL.create("sqlite", database=str(path)), connect_args={"timeout": busy_timeout_ms / 1000}
        )
    else:
        engine = create_engine(
            URL.create("sqlite", database=str(absolute)),
            module=cipher.sqlcipher,
            creator=lambda: cipher.connect(absolute, key=key, timeout=busy_timeout_ms / 1000, check_same_thread=False),
        )

    def on_connect(dbapi_connection: sqlite3.Connection, _connection_record: object) -> None:
        _set_pragmas(dbapi_connection, busy_timeout_ms)

    event.listen(engine, "connect", on_connect)
    event.listen(engine, "begin", _on_begin)
    return engine


# --- Looking at a file without changing it -----------------------------------------------------------------


def _read_only_connection(path: Path) -> sqlite3.Connection:
    """A connection that cannot write to ``path`` (and does not create it); keyed when the file is encrypted."""
    connection: sqlite3.Connection = cipher.connect(path, read_only=True, timeout=BUSY_TIMEOUT_MS / 1000)
    connection.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    return connection


def _known_error(exc: BaseException, path: Path) -> StoreError:
    return translate_operational_error(exc, path=path) or DatabaseUnreadable(path=path, detail=str(exc))


def _probe(path: Path) -> tuple[SchemaStatus, tuple[str, ...]]:
    """The file's schema status and the revision(s) stamped in it; reads only."""
    if not path.exists():
        return "missing", ()
    if not path.is_file():
        raise DatabaseUnreadable(path=path, detail="not a regular file")
    try:
        connection = _read_only_connection(path)
        try:
            tables = {
                name
                for (name,) in connection.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' AND substr(name, 1, 7) != 'sqlite_'"
                )
            }
            revisions: tuple[str, ...] = ()
            if "alembic_version" in tables:
                revisions = tuple(
                    row[0] for row in connection.execute("SELECT version_num FROM alembic_version ORDER BY 1")
                )
        finally:
            connection.close()
    except cipher.DRIVER_ERRORS as exc:
        raise _known_error(exc, path) from exc
    if not revisions:
        # No stamp: nothing at all (a new or fully downgraded file: safe to build on) or someone else's data.
        return ("foreign" if tables - {"alembic_version"} else "missing"), ()
    if not set(revisions) <= migrations.known_revisions():
        return "newer", revisions
    if revisions == (migrations.head_revision(),):
        return "current", revisions
    return "behind", revisions


def schema_status(path: Path | str) -> SchemaStatus:
    """Where the database at ``path`` stands against this program's migrations, without changing it.

    ``missing``: no file, or a SQLite file without any table. ``current``: at our head. ``behind``: an older
    revision we can upgrade. ``newer``: a revision we do not know (written by a newer PensionDesk).
    ``foreign``: a SQLite file with tables but no Alembic stamp. A file that is not SQLite at all raises
    :class:`DatabaseUnreadable`; a locked one :class:`DatabaseLocked`.
    """
    return _probe(Path(path).expanduser().absolute())[0]


# --- Backup ------------------------------------------------------------------------------------------------


def backup_database(path: Path | str, backup_dir: Path | str, label: str) -> Path:
    """Copy the database to ``<backup_dir>/<stem>-<label>-<YYYYmmdd-HHMMSS>.sqlite`` and return that path.

    Uses SQLite's online backup API from a read-only connection, so the copy is a consistent snapshot that
    includes transactions still in the ``-wal`` file. The copy is switched to the rollback journal so it is
    one self-contained file, checked with ``PRAGMA quick_check``, and only then given its final name.

    The backup of an encrypted database is encrypted with the same key, and a copy of the key file is written
    beside it (``<backup>.keys.json``) before the backup gets its name, so the passwords and the recovery key of the
    time open it.
    """
    source_path = Path(path).expanduser().absolute()
    directory = Path(backup_dir).expanduser().absolute()
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")  # local time: the coordinator reads these names
    target = directory / f"{source_path.stem}-{label}-{stamp}.sqlite"
    counter = 1
    while target.exists():
        target = directory / f"{source_path.stem}-{label}-{stamp}-{counter}.sqlite"
        counter += 1
    partial = target.with_name(target.name + ".part")
    try:
        directory.mkdir(parents=True, exist_ok=True)
        key = cipher.needed_key(source_path)
        source = _read_only_connection(source_path)
        try:
            copy = cipher.connect(partial, key=key, use_key=False)
            try:
                source.backup(copy)
                copy.execute("PRAGMA journal_mode=DELETE")
                verdict = copy.execute("PRAGMA quick_check").fetchone()[0]
            finally:
                copy.close()
        finally:
            source.close()
        if verdict != "ok":
            raise BackupFailed(path=source_path, detail=f"quick_check of the backup said {verdict!r}")
        if key is not None and cipher.copy_key_file(source_path, target) is None:
            raise BackupFailed(path=source_path, detail="the encrypted database has no key file to copy")
        os.replace(partial, target)
    except (OSError, sqlite3.Error, cipher.sqlcipher.Error) as exc:
        with suppress(OSError):
            partial.unlink(missing_ok=True)
        known = translate_operational_error(exc, path=source_path)
        if isinstance(known, DatabaseLocked):
            raise known from exc
        raise BackupFailed(path=source_path, detail=f"{type(exc).__name__}: {exc}") from exc
    except BaseException:
        with suppress(OSError):
            partial.unlink(missing_ok=True)
        raise
    return target


# --- The database ------------------------------------------------------------------------------------------


class Database:
    """An open village database: the engine, a session factory and facts about the file.

    If opening upgraded the file, ``migrated_from`` is the revision it had and ``backup_path`` the safety copy
    made first; both are ``None`` otherwise.
    """

    def __init__(
        self,
        path: Path,
        engine: Engine,
        *,
        backup_path: Path | None = None,
        migrated_from: str | None = None,
    ) -> None:
        self.path = path
        self.engine = engine
        self.backup_path = backup_path
        self.migrated_from = migrated_from
        # Objects stay readable after the session that loaded them ends: services return them to the GUI.
        self.sessionmaker: sessionmaker[Session] = sessionmaker(bind=engine, expire_on_commit=False)
        self._immediate_sessionmaker: sessionmaker[Session] = sessionmaker(
            bind=engine.execution_options(**{BEGIN_STATEMENT_OPTION: "BEGIN IMMEDIATE"}),
            expire_on_commit=False,
        )

    @contextmanager
    def session(self, *, immediate: bool = False) -> Iterator[Session]:
        """One unit of work: commits if the block succeeds, rolls everything back if it raises.

        ``immediate=True`` takes the write lock at the start (``BEGIN IMMEDIATE``); use it for use cases that
        write. Known file/disk trouble comes out as a :class:`StoreError`; anything else propagates unchanged.
        """
        factory = self._immediate_sessionmaker if immediate else self.sessionmaker
        with factory() as session:
            try:
                yield session
                session.commit()
            except sa_exc.DBAPIError as exc:
                session.rollback()
                known = translate_operational_error(exc, path=self.path)
                if known is None:
                    raise
                raise known from exc
            except BaseException:
                session.rollback()
                raise

    def revision(self) -> str | None:
        """The Alembic revision stamped in the file."""
        with self.engine.connect() as conn:
            return migrations.current_revision(conn)

    def info(self) -> dict[str, Any]:
        """Facts about the file for ``pensiondesk db info``; works on a file opened with ``migrate=False``.

        Keys: ``path``, ``size_bytes``, ``revision``, ``head``, ``status`` (``current``/``behind``),
        ``persons``, ``village`` (name of the village in the ``village_id`` setting, or ``None``),
        ``journal_mode``.
        """
        head = migrations.head_revision()
        setting = Setting.__table__.c
        village = Village.__table__.c
        with self.engine.connect() as conn:
            revision = migrations.current_revision(conn)
            persons = conn.scalar(select(func.count()).select_from(Person.__table__)) or 0
            village_id = conn.scalar(select(setting.value).where(setting.key == "village_id"))
            village_name = (
                conn.scalar(select(village.name).where(village.id == village_id))
                if isinstance(village_id, str)
                else None
            )
            journal_mode = str(conn.exec_driver_sql("PRAGMA journal_mode").scalar())
        return {
            "path": str(self.path),
            "size_bytes": self.path.stat().st_size,
            "revision": revision,
            "head": head,
            "status": "current" if revision == head else "behind",
            "persons": int(persons),
            "village": village_name,
            "journal_mode": journal_mode,
        }

    def close(self) -> None:
        """Close the pooled connections; the last one to close checkpoints the WAL into the file."""
        self.engine.dispose()

    def __enter__(self) -> Database:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Database({str(self.path)!r})"


def open_database(
    path: Path | str,
    *,
    migrate: bool = True,
    backup_dir: Path | None = None,
    create: bool = True,
) -> Database:
    """Open the village database at ``path``, creating or upgrading it as the module docstring describes.

    ``migrate=False`` opens an older file without upgrading it (for inspection such as ``db info``; the models
    describe the newest schema, so do not run services on it); a missing file is still built at head.
    ``create=False`` refuses a missing (or empty) file with :class:`DatabaseNotFound`. ``backup_dir`` defaults
    to ``backups/`` next to the file. Raises :class:`StoreError` subclasses for everything the coordinator can
    act on; a failing migration (our bug) propagates as it is, after rolling back.
    """
    path = Path(path).expanduser().absolute()
    status, revisions = _probe(path)
    head = migrations.head_revision()
    if status == "newer":
        raise DatabaseTooNew(path=path, found_revision=",".join(revisions), known_head=head)
    if status == "foreign":
        raise DatabaseUnreadable(
            _FOREIGN_MESSAGE.format(path=path), path=path, detail="tables but no alembic_version"
        )
    if status == "missing" and not create:
        raise DatabaseNotFound(path=path)

    upgrading = status == "missing" or (status == "behind" and migrate)
    backup_path = migrated_from = None
    if status == "behind" and migrate:
        migrated_from = "+".join(revisions)
        label = f"before-{migrated_from}-to-{head}"
        backup_path = backup_database(path, backup_dir or path.parent / BACKUP_DIR_NAME, label)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except PermissionError as exc:
        raise ReadOnlyDatabase(path=path, detail=str(exc)) from exc

    engine = create_sqlite_engine(path)
    try:
        if upgrading:
            migrations.upgrade(engine)
        else:
            # Connect now so that a locked or read-only file is reported here, not at the first click.
            with engine.connect() as conn:
                conn.exec_driver_sql("SELECT 1")
    except BaseException as exc:
        engine.dispose()
        known = translate_operational_error(exc, path=path)
        if known is None or known is exc:
            raise
        raise known from exc
    return Database(path, engine, backup_path=backup_path, migrated_from=migrated_from)
