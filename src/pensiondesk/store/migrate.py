"""Alembic, driven from code (数据库迁移).

The desktop program upgrades its database at startup (``store.db.open_database``), so it cannot rely on an
``alembic.ini`` in the current directory: :func:`make_config` builds the Alembic ``Config`` in code and finds
the ``migrations`` directory wherever this copy of PensionDesk keeps it (see :func:`migrations_dir`).

Every upgrade or downgrade runs over ONE connection inside ONE transaction (MLflow's pattern: the connection
is handed to ``migrations/env.py`` through ``config.attributes["connection"]``). The engine from ``store.db``
emits its own ``BEGIN``, so SQLite's DDL is transactional too: a failed migration leaves the file as it was.
Foreign-key enforcement is switched off for the duration, as SQLite's own procedure for table rebuilds
(https://sqlite.org/lang_altertable.html#otheralter) requires for batch migrations, and
``PRAGMA foreign_key_check`` must find no new dangling reference before the transaction commits.
"""

from __future__ import annotations

import os
import sqlite3
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlcipher3.dbapi2 as sqlcipher
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine

from pensiondesk.resources import shipped_dir_candidates

#: Environment variable naming a ``migrations`` directory to use instead of the built-in one.
MIGRATIONS_ENV_VAR = "PENSIONDESK_MIGRATIONS"


class MigrationIntegrityError(RuntimeError):
    """A migration left rows pointing at nothing and was rolled back: our bug, not the user's."""


def _candidate_dirs() -> Iterator[Path]:
    override = os.environ.get(MIGRATIONS_ENV_VAR)
    if override:
        yield Path(override)
    yield from shipped_dir_candidates("migrations")


def migrations_dir() -> Path:
    """The Alembic script directory (the one holding ``env.py``).

    An explicit ``PENSIONDESK_MIGRATIONS`` wins; then a PyInstaller bundle, the installed package (a wheel) and the
    source checkout (:func:`pensiondesk.resources.shipped_dir_candidates`).
    """
    tried = []
    for candidate in _candidate_dirs():
        if (candidate / "env.py").is_file():
            return candidate
        tried.append(str(candidate))
    raise FileNotFoundError(f"Alembic migrations directory not found; looked in: {', '.join(tried)}")


def make_config(connection: Connection | None = None) -> Config:
    """An Alembic ``Config`` for our migrations; given ``connection``, ``env.py`` migrates over it."""
    config = Config()
    # ConfigParser interpolates "%", which may appear in a Windows user's folder name.
    config.set_main_option("script_location", str(migrations_dir()).replace("%", "%%"))
    config.set_main_option("path_separator", "os")
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def script_directory() -> ScriptDirectory:
    """The revisions this copy of PensionDesk knows."""
    return ScriptDirectory.from_config(make_config())


def head_revision() -> str:
    """The newest revision this program knows (there is exactly one head)."""
    head = script_directory().get_current_head()
    if head is None:
        raise RuntimeError("the migrations directory has no revisions")
    return head


def known_revisions() -> frozenset[str]:
    """Every revision id in our script directory; anything else in a database means it is newer than us."""
    return frozenset(script.revision for script in script_directory().walk_revisions())


def current_revision(conn: Connection) -> str | None:
    """The revision stamped in the database behind ``conn`` (``None`` for an empty database)."""
    return MigrationContext.configure(conn).get_current_revision()


def _dbapi_connection(conn: Connection) -> Any:
    """The driver's connection, for PRAGMAs that must run outside any transaction."""
    return conn.connection.driver_connection


def _foreign_key_violations(conn: Connection) -> Counter[tuple[str, str]]:
    """Rows whose foreign key points at nothing, counted per (child table, parent table).

    Counted rather than listed by rowid because a table rebuild may renumber rows. Violations already in the
    file before a migration (written by some other tool) are tolerated so that they cannot block every
    future upgrade; the migration must not add any.
    """
    return Counter((str(row[0]), str(row[2])) for row in conn.exec_driver_sql("PRAGMA foreign_key_check"))


@contextmanager
def migration_transaction(bind: Engine | Connection) -> Iterator[Connection]:
    """One connection, one transaction, foreign keys checked once at the end instead of on every statement.

    A ``Connection`` that is already inside a transaction is used as is: its owner commits or rolls back, and
    foreign-key enforcement cannot be changed mid-transaction, so it stays as it is.
    """
    if isinstance(bind, Engine):
        with bind.connect() as conn, migration_transaction(conn) as same_conn:
            yield same_conn
        return
    conn = bind
    if conn.in_transaction():
        yield conn
        return
    driver = _dbapi_connection(conn)
    # PRAGMA foreign_keys is a no-op inside a transaction, so it is set on the driver connection before BEGIN.
    was_on = driver.execute("PRAGMA foreign_keys").fetchone()[0]
    driver.execute("PRAGMA foreign_keys=OFF")
    try:
        with conn.begin():
            already_broken = _foreign_key_violations(conn)
            yield conn
            introduced = _foreign_key_violations(conn) - already_broken
            if introduced:
                counts = dict(introduced)
                raise MigrationIntegrityError(f"migration left dangling references (child, parent): {counts}")
    finally:
        try:
            driver.execute(f"PRAGMA foreign_keys={'ON' if was_on else 'OFF'}")
        except (sqlite3.Error, sqlcipher.Error):
            # Never hand a connection with the wrong enforcement back to the pool.
            conn.invalidate()


def upgrade(bind: Engine | Connection, target: str = "head") -> None:
    """Upgrade the database to ``target`` in one transaction (see :func:`migration_transaction`)."""
    with migration_transaction(bind) as conn:
        command.upgrade(make_config(conn), target)


def downgrade(bind: Engine | Connection, target: str) -> None:
    """Downgrade the database to ``target`` (``"base"`` drops everything) in one transaction.

    For development and tests: the program itself never downgrades a coordinator's database.
    """
    with migration_transaction(bind) as conn:
        command.downgrade(make_config(conn), target)
