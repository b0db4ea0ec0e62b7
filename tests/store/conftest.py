"""Fixtures for the store tests: real SQLite files in ``tmp_path``, and test-only later revisions.

Tests import nothing from here (pytest runs with ``--import-mode=importlib``); what they share comes as
fixtures: ``db``, ``baseline_copy``, ``add_revision``, ``rebuild_person`` and ``files`` (read-only looks at a
SQLite file without the program's engine).
"""

from __future__ import annotations

import shutil
import sqlite3
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from pensiondesk.store.db import Database, open_database
from pensiondesk.store.migrate import MIGRATIONS_ENV_VAR, head_revision, migrations_dir

DATA_DIR = Path(__file__).resolve().parent / "data"
BASELINE_FIXTURE = DATA_DIR / "schema_0001.sqlite"

#: A later revision that rebuilds ``person`` and ``household`` (the FK cycle) the way SQLite batch mode does:
#: create a copy, move the rows, drop the original, rename. Thirteen tables point at ``person``.
REBUILD_PERSON_UP = """
with op.batch_alter_table("person", recreate="always") as batch_op:
    batch_op.add_column(sa.Column("wechat", sa.String(length=64), nullable=True))
with op.batch_alter_table("household", recreate="always") as batch_op:
    batch_op.add_column(sa.Column("note", sa.String(length=200), nullable=True))
"""
REBUILD_PERSON_DOWN = """
with op.batch_alter_table("household") as batch_op:
    batch_op.drop_column("note")
with op.batch_alter_table("person") as batch_op:
    batch_op.drop_column("wechat")
"""
REBUILD_PERSON_ID = "9001_test_rebuild_person"


class SqliteFiles:
    """Read-only looks at SQLite files with the plain ``sqlite3`` module, so looking never writes."""

    @staticmethod
    def read_only(path: Path) -> sqlite3.Connection:
        """A connection that cannot write to ``path``; close it."""
        return sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)

    def _query(self, path: Path, sql: str) -> list[tuple[object, ...]]:
        connection = self.read_only(path)
        try:
            return connection.execute(sql).fetchall()
        finally:
            connection.close()

    def revision(self, path: Path) -> str | None:
        """The Alembic revision stamped in the file."""
        rows = self._query(path, "SELECT version_num FROM alembic_version")
        return str(rows[0][0]) if rows else None

    def tables(self, path: Path) -> set[str]:
        """Table names, without SQLite's own and without ``alembic_version``."""
        sql = "SELECT name FROM sqlite_master WHERE type = 'table' AND substr(name, 1, 7) != 'sqlite_'"
        return {str(name) for (name,) in self._query(path, sql)} - {"alembic_version"}

    def rows(self, path: Path, table: str, columns: list[str] | None = None) -> list[tuple[object, ...]]:
        """The rows of ``table`` (all columns, or ``columns``), sorted."""
        selected = ", ".join(f'"{column}"' for column in columns) if columns else "*"
        return sorted(self._query(path, f'SELECT {selected} FROM "{table}"'), key=repr)

    def all_rows(self, path: Path) -> dict[str, list[tuple[object, ...]]]:
        """Every table's rows, ``alembic_version`` included."""
        return {table: self.rows(path, table) for table in [*self.tables(path), "alembic_version"]}

    def columns(self, path: Path, table: str) -> list[str]:
        """Column names of ``table`` in declaration order."""
        return [str(row[1]) for row in self._query(path, f'PRAGMA table_info("{table}")')]

    def pragma(self, path: Path, name: str) -> object:
        """One PRAGMA's value."""
        return self._query(path, f"PRAGMA {name}")[0][0]

    def schema(self, path: Path) -> list[tuple[object, ...]]:
        """Every object's CREATE statement."""
        return self._query(path, "SELECT type, name, sql FROM sqlite_master ORDER BY type, name")


@pytest.fixture
def files() -> SqliteFiles:
    """Read-only helpers for looking inside SQLite files."""
    return SqliteFiles()


@pytest.fixture
def data_dir() -> Path:
    """``tests/store/data``: database files at every shipped schema, and the scripts that made them."""
    return DATA_DIR


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    """A new database file built by the migrations, opened the way the program opens it."""
    database = open_database(tmp_path / "village.sqlite")
    yield database
    database.close()


@pytest.fixture
def baseline_copy(tmp_path: Path) -> Path:
    """A private copy of the committed database at revision 0001_baseline (with rows in most tables)."""
    target = tmp_path / "old" / BASELINE_FIXTURE.name
    target.parent.mkdir()
    shutil.copyfile(BASELINE_FIXTURE, target)
    return target


@pytest.fixture
def add_revision(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., str]:
    """Add a test-only revision after our head, as a later release would.

    The real migrations are copied to ``tmp_path`` and ``PENSIONDESK_MIGRATIONS`` points the program at the
    copy, so the repository is never touched. ``add_revision("9002_x", upgrade="...", downgrade="...")``
    writes the revision (bodies are Python using ``op`` and ``sa``) and returns its id.
    """
    scripts = tmp_path / "migrations"
    shutil.copytree(migrations_dir(), scripts, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setenv(MIGRATIONS_ENV_VAR, str(scripts))

    def add(revision: str, *, upgrade: str, downgrade: str = "pass") -> str:
        parent = head_revision()
        source = f'''\
"""Test-only revision {revision}."""

import sqlalchemy as sa
from alembic import op

revision = {revision!r}
down_revision = {parent!r}
branch_labels = None
depends_on = None


def upgrade() -> None:
{textwrap.indent(textwrap.dedent(upgrade).strip(), "    ")}


def downgrade() -> None:
{textwrap.indent(textwrap.dedent(downgrade).strip(), "    ")}
'''
        (scripts / "versions" / f"{revision}.py").write_text(source, encoding="utf-8")
        assert head_revision() == revision
        return revision

    return add


@pytest.fixture
def rebuild_person(add_revision: Callable[..., str]) -> str:
    """A later revision that adds a column to ``person`` and ``household`` by rebuilding both tables."""
    return add_revision(REBUILD_PERSON_ID, upgrade=REBUILD_PERSON_UP, downgrade=REBUILD_PERSON_DOWN)
