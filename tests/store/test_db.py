"""The engine, its pragmas and transactions, sessions, info and backups (store/db.py), on real files."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from pensiondesk.domain.codes import Sex
from pensiondesk.store.db import (
    BUSY_TIMEOUT_MS,
    Database,
    backup_database,
    create_sqlite_engine,
    open_database,
)
from pensiondesk.store.errors import DatabaseLocked, DiskFull
from pensiondesk.store.migrate import head_revision
from pensiondesk.store.models import Base, County, Person, Township, Village

if TYPE_CHECKING:
    from tests.store.conftest import SqliteFiles


def _add_village(session: Session, code: str = "410323101201") -> Village:
    """A county → township → village chain (the minimum a person needs)."""
    county = County(id=f"county-{code}", code=code[:6], name="新安县")
    township = Township(id=f"township-{code}", county_id=county.id, code=code[:9], name="城关镇")
    village = Village(id=f"village-{code}", township_id=township.id, code=code, name="石井村")
    session.add_all([county, township, village])
    session.flush()
    return village


def _person(village_id: str, id_number: str = "34052419800101001X") -> Person:
    return Person(
        village_id=village_id, name="李建国", id_number=id_number, sex=Sex.MALE, birth_date=date(1980, 1, 1)
    )


def _count(db: Database, model: type[Base]) -> int:
    with db.session() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


# --- Pragmas -----------------------------------------------------------------------------------------------


def test_pragmas_are_on_for_every_pooled_connection(db: Database) -> None:
    connections = [db.engine.connect() for _ in range(4)]  # held at once, so four distinct DBAPI connections
    try:
        drivers = {id(conn.connection.driver_connection) for conn in connections}
        assert len(drivers) == 4
        for conn in connections:
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == BUSY_TIMEOUT_MS
    finally:
        for conn in connections:
            conn.close()
    db.engine.dispose()  # new connections after the pool is emptied get them too
    with db.session() as session:
        assert session.connection().exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


# --- Transactions ------------------------------------------------------------------------------------------


def test_a_foreign_key_violation_raises(db: Database) -> None:
    with pytest.raises(IntegrityError, match="FOREIGN KEY"), db.session() as session:
        session.add(_person(village_id="no-such-village"))
    assert _count(db, Person) == 0


def test_an_exception_in_a_session_leaves_nothing_half_written(db: Database, files: SqliteFiles) -> None:
    with pytest.raises(RuntimeError, match="printer jammed"), db.session() as session:
        village = _add_village(session)
        session.add(_person(village.id))
        session.flush()  # the rows are written inside the transaction ...
        raise RuntimeError("printer jammed")  # ... and then the use case fails
    assert _count(db, Person) == 0
    assert _count(db, Village) == 0
    assert all(not files.rows(db.path, table) for table in files.tables(db.path))


def test_a_session_commits_and_its_objects_stay_readable(db: Database) -> None:
    with db.session() as session:
        village = _add_village(session)
        person = _person(village.id)
        session.add(person)
    assert person.name == "李建国" and person.version == 1  # loaded attributes survive the session
    with db.session() as session:
        assert session.scalars(select(Person.id_number)).all() == ["34052419800101001X"]


def test_reads_in_one_session_see_one_snapshot(db: Database) -> None:
    """A SELECT starts the transaction too (our BEGIN), so a session's reads are repeatable."""
    with db.session() as session:
        _add_village(session)
    other = sqlite3.connect(db.path, isolation_level=None)
    try:
        with db.session() as session:
            assert session.scalar(select(func.count()).select_from(Village)) == 1
            other.execute("INSERT INTO county (id, code, name) VALUES ('c2', '410324', '栾川县')")
            other.execute(
                "INSERT INTO township (id, county_id, code, name) VALUES ('t2', 'c2', '410324100', '城关镇')"
            )
            other.execute(
                "INSERT INTO village (id, township_id, code, name) VALUES ('v2', 't2', '410324100201', '东')"
            )
            assert session.scalar(select(func.count()).select_from(Village)) == 1
        assert _count(db, Village) == 2
    finally:
        other.close()


def test_an_immediate_session_takes_the_write_lock_at_once(db: Database) -> None:
    other = sqlite3.connect(db.path, isolation_level=None, timeout=0)
    try:
        with db.session() as session:
            session.connection()  # BEGIN (deferred): only a reader so far
            other.execute("BEGIN IMMEDIATE")
            other.execute("ROLLBACK")
        with db.session(immediate=True) as session:
            session.connection()  # BEGIN IMMEDIATE
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")
    finally:
        other.close()


def test_a_locked_database_is_a_known_error(db: Database) -> None:
    impatient = Database(db.path, create_sqlite_engine(db.path, busy_timeout_ms=50))
    holder = sqlite3.connect(db.path, isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")
        with pytest.raises(DatabaseLocked) as caught, impatient.session() as session:
            _add_village(session)
        assert "另一个程序" in caught.value.user_message
        assert caught.value.path == db.path
        holder.execute("ROLLBACK")
    finally:
        holder.close()
        impatient.close()
    assert _count(db, Village) == 0


def test_a_full_disk_is_a_known_error_and_rolls_back(db: Database) -> None:
    with db.session() as session:
        village = _add_village(session)
    limited = Database(db.path, create_sqlite_engine(db.path))  # its own pool: the limit dies with it
    try:
        with pytest.raises(DiskFull) as caught, limited.session() as session:
            connection = session.connection()
            pages = connection.exec_driver_sql("PRAGMA page_count").scalar()
            connection.exec_driver_sql(
                f"PRAGMA max_page_count = {pages + 2}"
            )  # "the disk" has two pages left
            rows = [
                {"id": f"p{n}", "village_id": village.id, "name": "测试" * 20, "id_number": f"{n:018d}",
                 "sex": Sex.FEMALE, "birth_date": date(1950, 1, 1)}
                for n in range(2000)
            ]  # fmt: skip
            session.execute(insert(Person), rows)
        assert "磁盘空间已满" in caught.value.user_message
    finally:
        limited.close()
    assert _count(db, Person) == 0


# --- Facts, backups, closing -------------------------------------------------------------------------------


def test_info_describes_the_file(baseline_copy: Path) -> None:
    open_database(baseline_copy).close()  # upgrade first: the upgrade's WAL checkpoint changes the file size
    with open_database(baseline_copy) as db:
        info = db.info()
    assert info == {
        "path": str(baseline_copy),
        "size_bytes": baseline_copy.stat().st_size,
        "revision": head_revision(),
        "head": head_revision(),
        "status": "current",
        "persons": 3,
        "village": "石井村",
        "journal_mode": "wal",
    }


def test_info_without_a_village_setting(db: Database) -> None:
    info = db.info()
    assert info["persons"] == 0 and info["village"] is None and info["revision"] == head_revision()


def test_a_backup_includes_commits_still_in_the_wal(db: Database, tmp_path: Path, files: SqliteFiles) -> None:
    with db.session() as session:
        village = _add_village(session)
        session.add(_person(village.id))
    wal = Path(f"{db.path}-wal")
    assert wal.exists() and wal.stat().st_size > 0  # the pool keeps a connection open: no checkpoint yet

    backup = backup_database(db.path, tmp_path / "manual", "manual")

    assert backup.name.startswith("village-manual-") and backup.suffix == ".sqlite"
    assert not Path(f"{backup}-wal").exists()
    assert files.rows(backup, "person", ["id_number"]) == [("34052419800101001X",)]
    assert files.pragma(backup, "journal_mode") == "delete"


def test_two_backups_in_the_same_second_do_not_overwrite_each_other(db: Database, tmp_path: Path) -> None:
    first = backup_database(db.path, tmp_path / "b", "manual")
    second = backup_database(db.path, tmp_path / "b", "manual")
    assert first != second and first.exists() and second.exists()


def test_close_folds_the_wal_back_into_the_file(tmp_path: Path, files: SqliteFiles) -> None:
    db = open_database(tmp_path / "village.sqlite")
    with db.session() as session:
        _add_village(session)
    db.close()
    assert not Path(f"{db.path}-wal").exists()
    assert files.rows(db.path, "village")
