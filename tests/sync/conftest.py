"""Sync test fixtures: a real county server process on loopback (SQLite, or PostgreSQL when reachable) and laptops.

The server runs as ``pensiondesk-county serve`` in a subprocess on a free port, exactly as a county runs it.
Administration (villages, enrolment codes, answers) goes straight to the county database through
``pensiondesk.county.admin``, as the admin commands do.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import requests
from sqlalchemy import create_engine, select, text, update
from sqlalchemy.orm import Session, sessionmaker

from pensiondesk.county import admin
from pensiondesk.county.store import create_county_engine, session_scope, sqlite_url, upgrade_database
from pensiondesk.services.demo import create_demo_village
from pensiondesk.store.db import Database, open_database
from pensiondesk.store.models import Township, Village

PG_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def postgres_available() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=1):
            pass
        engine = create_engine(PG_ADMIN_URL)
        with engine.connect() as conn:
            conn.execute(text("select 1"))
        engine.dispose()
        return True
    except Exception:
        return False


@contextmanager
def postgres_database() -> Iterator[str]:
    """A fresh PostgreSQL database for one test, dropped afterwards."""
    name = f"pd_county_{uuid.uuid4().hex[:12]}"
    admin_engine = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin_engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin_engine.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin_engine.dispose()


class CountyServer:
    """A county server process and direct access to its database for administration."""

    def __init__(self, db_url: str, workdir: Path) -> None:
        self.db_url = db_url
        self.workdir = workdir
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.engine = create_county_engine(db_url)
        upgrade_database(self.engine)
        self.factory = sessionmaker(bind=self.engine, expire_on_commit=False)
        self.proc: subprocess.Popen[bytes] | None = None
        with self.session() as s:
            admin.set_county(s, "411099", "安和县")

    @contextmanager
    def session(self) -> Iterator[Session]:
        with session_scope(self.factory) as s:
            yield s

    def start(self, *serve_args: str, env: dict[str, str] | None = None) -> CountyServer:
        """Run ``serve`` (with ``serve_args`` added, and ``env`` added to the environment) until it answers."""
        log = (self.workdir / "server.log").open("ab")
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-c",
                "from pensiondesk.county.cli import main; main()",
                "--db",
                self.db_url,
                "serve",
                "--port",
                str(self.port),
                "--log-level",
                "warning",
                *serve_args,
            ],
            stdout=log,
            stderr=log,
            env={**os.environ, **env} if env else None,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError((self.workdir / "server.log").read_text(errors="replace"))
            try:
                if requests.get(self.url + "/v1/health", timeout=1).status_code == 200:
                    return self
            except requests.RequestException:
                time.sleep(0.05)
        raise RuntimeError("county server did not start")

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(10)
        self.proc = None

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        self.proc = None

    def close(self) -> None:
        self.stop()
        self.engine.dispose()

    def add_village(self, code: str | None = None, name: str = "测试村") -> str:
        code = code or f"4110991{uuid.uuid4().int % 10**5:05d}"
        with self.session() as s:
            admin.add_township(s, code[:9], "测试镇")
            admin.add_village(s, code, name, code[:9])
        return code

    def enrol_code(self, village_code: str) -> str:
        with self.session() as s:
            return admin.issue_enrolment_code(s, village_code)

    def records(self, village_code: str, record_type: str | None = None) -> dict[tuple[str, str], dict[str, Any]]:
        with self.session() as s:
            return admin.village_records(s, village_code, record_type)


def _make_server(kind: str, tmp_path: Path) -> Iterator[CountyServer]:
    if kind == "postgres":
        if not postgres_available():
            pytest.skip("PostgreSQL is not reachable on 127.0.0.1:5432 (trust auth, database `test`)")
        with postgres_database() as url:
            server = CountyServer(url, tmp_path).start()
            try:
                yield server
            finally:
                server.close()
        return
    server = CountyServer(sqlite_url(tmp_path / "county.sqlite"), tmp_path).start()
    try:
        yield server
    finally:
        server.close()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def any_server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[CountyServer]:
    """A county server on SQLite, and again on PostgreSQL when it is reachable."""
    yield from _make_server(request.param, tmp_path)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[CountyServer]:
    """A county server on a SQLite file."""
    yield from _make_server("sqlite", tmp_path)


def make_laptop(path: Path, *, village_code: str, persons: int = 20, seed: int = 1, name: str = "测试村") -> Database:
    """A laptop database holding a demo village re-coded as ``village_code``."""
    db = open_database(path)
    with db.session(immediate=True) as s:
        create_demo_village(s, persons=persons, seed=seed)
        s.execute(update(Township).values(code=village_code[:9]))
        s.execute(update(Village).values(code=village_code, name=name))
    return db


@pytest.fixture
def laptop_factory(tmp_path: Path) -> Iterator[Callable[..., Database]]:
    """Make laptop databases; all are closed after the test."""
    made: list[Database] = []

    def make(name: str = "laptop", **kwargs: Any) -> Database:
        db = make_laptop(tmp_path / f"{name}.sqlite", **kwargs)
        made.append(db)
        return db

    yield make
    for db in made:
        db.close()


def village_id(db: Database) -> str:
    with db.session() as s:
        return str(s.scalar(select(Village.id)))
