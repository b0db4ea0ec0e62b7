"""Errors by whose fault (store/errors.py): real SQLite failures become messages a coordinator can act on."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy import exc as sa_exc

from pensiondesk.store import errors
from pensiondesk.store.errors import (
    DatabaseLocked,
    DatabaseTooNew,
    DatabaseUnreadable,
    DiskFull,
    DiskIOError,
    ReadOnlyDatabase,
    StoreError,
    translate_operational_error,
)


@pytest.fixture
def sample(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "sample.sqlite"
    connection = sqlite3.connect(path)
    with connection:
        connection.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT)")
    connection.close()
    yield path


def _raised(action: Callable[[], object]) -> BaseException:
    try:
        action()
    except BaseException as exc:
        return exc
    raise AssertionError("expected an error")


def test_writing_through_a_read_only_connection(sample: Path) -> None:
    connection = sqlite3.connect(f"{sample.as_uri()}?mode=ro", uri=True)
    try:
        exc = _raised(lambda: connection.execute("INSERT INTO t (body) VALUES ('x')"))
    finally:
        connection.close()
    known = translate_operational_error(exc, path=sample)
    assert isinstance(known, ReadOnlyDatabase)
    assert known.path == sample and "只能读取" in known.user_message and str(sample) in known.user_message


def test_a_write_lock_held_elsewhere(sample: Path) -> None:
    holder = sqlite3.connect(sample, isolation_level=None)
    waiter = sqlite3.connect(sample, isolation_level=None, timeout=0)
    try:
        holder.execute("BEGIN EXCLUSIVE")
        exc = _raised(lambda: waiter.execute("INSERT INTO t (body) VALUES ('x')"))
    finally:
        holder.close()
        waiter.close()
    assert isinstance(translate_operational_error(exc), DatabaseLocked)


def test_a_full_database(sample: Path) -> None:
    connection = sqlite3.connect(sample)
    try:
        pages = connection.execute("PRAGMA page_count").fetchone()[0]
        connection.execute(f"PRAGMA max_page_count = {pages}")
        exc = _raised(lambda: connection.executemany("INSERT INTO t (body) VALUES (?)", [("x" * 500,)] * 100))
    finally:
        connection.close()
    assert isinstance(translate_operational_error(exc), DiskFull)


def test_a_file_that_is_not_a_database(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("这不是数据库" * 200, encoding="utf-8")
    connection = sqlite3.connect(path)
    try:
        exc = _raised(lambda: connection.execute("SELECT * FROM sqlite_master").fetchall())
    finally:
        connection.close()
    assert isinstance(translate_operational_error(exc), DatabaseUnreadable)


def test_a_folder_that_does_not_exist(tmp_path: Path) -> None:
    exc = _raised(lambda: sqlite3.connect(tmp_path / "no" / "such" / "folder" / "x.sqlite"))
    known = translate_operational_error(exc, path=tmp_path / "x.sqlite")
    assert isinstance(known, DatabaseUnreadable)
    assert "文件夹" in known.user_message


def test_sqlalchemy_wrapped_errors_are_translated(sample: Path) -> None:
    engine = create_engine(f"sqlite:///file:{sample}?mode=ro&uri=true")
    try:
        with engine.connect() as conn:
            exc = _raised(lambda: conn.execute(text("INSERT INTO t (body) VALUES ('x')")))
    finally:
        engine.dispose()
    assert isinstance(exc, sa_exc.OperationalError)
    known = translate_operational_error(exc)
    assert isinstance(known, ReadOnlyDatabase)
    assert "readonly" in known.detail


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("database is locked", DatabaseLocked),
        ("disk I/O error", DiskIOError),
        ("database or disk is full", DiskFull),
        ("attempt to write a readonly database", ReadOnlyDatabase),
        ("file is not a database", DatabaseUnreadable),
        ("database disk image is malformed", DatabaseUnreadable),
    ],
)
def test_messages_without_a_result_code(message: str, expected: type[StoreError]) -> None:
    """Older drivers and re-raised errors carry only the text."""
    assert type(translate_operational_error(sqlite3.OperationalError(message))) is expected
    wrapped = sa_exc.OperationalError("INSERT ...", {}, sqlite3.OperationalError(message))
    assert type(translate_operational_error(wrapped)) is expected


def test_bugs_are_not_translated(sample: Path) -> None:
    connection = sqlite3.connect(sample)
    try:
        no_table = _raised(lambda: connection.execute("SELECT * FROM no_such_table"))
        connection.execute("INSERT INTO t (id, body) VALUES (1, 'a')")
        duplicate = _raised(lambda: connection.execute("INSERT INTO t (id, body) VALUES (1, 'b')"))
    finally:
        connection.close()
    assert isinstance(duplicate, sqlite3.IntegrityError)
    assert translate_operational_error(no_table) is None
    assert translate_operational_error(duplicate) is None
    assert translate_operational_error(ValueError("database is locked")) is None


def test_every_known_error_speaks_chinese_to_the_user() -> None:
    classes = [cls for cls in vars(errors).values() if isinstance(cls, type) and issubclass(cls, StoreError)]
    assert len(classes) >= 9
    for cls in classes:
        error = cls(path=Path("/data/石井村.sqlite"))
        assert "/data/石井村.sqlite" in error.user_message, cls
        assert any("\u4e00" <= ch <= "\u9fff" for ch in error.user_message), cls
        assert str(error) == error.user_message
    assert StoreError("自定义说明", detail="why").user_message == "自定义说明"


def test_too_new_remembers_what_it_found() -> None:
    error = DatabaseTooNew(path="/x.sqlite", found_revision="0042_later", known_head="0001_baseline")
    assert error.found_revision == "0042_later" and error.known_head == "0001_baseline"
    assert "0042_later" in str(error)  # the technical detail goes to the log, not the user message
    assert "0042_later" not in error.user_message
