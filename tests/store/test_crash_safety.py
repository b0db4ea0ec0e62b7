"""Crash safety (断电/强杀安全): kill the program mid-write, fill the disk, make the file read-only.

* **Kill trials.** ``crash_writer.py`` (a child process) writes through the real services — add a resident,
  enter their registration, collect their contribution with a receipt — and reports each use case only after
  its commit. The parent kills it with SIGKILL after a random delay, then reopens the file: ``PRAGMA
  integrity_check`` is ``ok``, foreign keys hold, every reported operation is there with its audit entry and
  outbox row, nothing is half there (a person without its audit entry, a contribution without its receipt), the
  audit chain verifies, and the next child carries on writing in the same file. Trials run in chains of
  ``CHAIN`` on one file, so most of them start on a database that has already been killed once.

  ``PENSIONDESK_KILL_TRIALS`` (default 20) sets the number of trials, ``PENSIONDESK_KILL_SEED`` the random seed;
  the summary line (``kill trials: …``) is printed (``pytest -s`` shows it). ``docs/reliability.md`` has the
  figures of a 300-trial run.
* **Disk full** during a real use case: :class:`DiskFull`, the receipt number not used up, nothing written.
* **Read-only** file, folder and missing folder: :class:`ReadOnlyDatabase` with its Chinese message, the file
  byte for byte unchanged. Root ignores file permissions, so as root the attempt runs as ``nobody``.

POSIX only (SIGKILL, file modes).
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from select import select as wait_readable

import pytest
from sqlalchemy import event, func, select

from pensiondesk.domain.codes import Relation
from pensiondesk.domain.idnumber import check_character
from pensiondesk.services.contributions import collect_contribution
from pensiondesk.services.database import DEMO_OPERATOR, create_demo_database
from pensiondesk.services.people import add_person
from pensiondesk.services.people_types import PersonInput
from pensiondesk.services.recording import Actor, verify_audit_chain
from pensiondesk.services.registration import register
from pensiondesk.store.db import Database, create_sqlite_engine, open_database
from pensiondesk.store.errors import DiskFull
from pensiondesk.store.models import AuditEntry, Contribution, OutboxEntry, Person, Receipt, ReceiptBook, Setting

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL and POSIX file modes")

HERE = Path(__file__).resolve().parent
WRITER = HERE / "crash_writer.py"
SRC = HERE.parents[1] / "src"

TRIALS = int(os.environ.get("PENSIONDESK_KILL_TRIALS", "20"))
SEED = int(os.environ.get("PENSIONDESK_KILL_SEED", "20260302"))
#: Trials per database file before starting again from the demo copy (the receipt book holds 500 numbers).
CHAIN = 5
#: The kill lands this long (seconds, uniform) after the child reported READY; a cycle of three writes takes ~60 ms.
MAX_DELAY = 1.0
START_TIMEOUT = 60.0
#: This share of the kills is timed from the start instead, to land in start-up and the first writes.
EARLY_SHARE = 0.15
EARLY_MAX_DELAY = 0.3

#: The audit action and outbox record type each reported kind must have.
EXPECTED = {
    "person": ("person", "add_person", "person"),
    "registration": ("registration", "register", "registration"),
    "contribution": ("contribution", "contribution.collect", "contribution"),
}


def _child_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(SRC), env.get("PYTHONPATH")]))
    return env


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo village of 100 residents with an open receipt book, closed cleanly (no ``-wal``)."""
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    create_demo_database(path, persons=100, seed=11)
    return path


# --- Kill trials ---------------------------------------------------------------------------------------------


@dataclass
class Tally:
    trials: int = 0
    reported: Counter[str] = field(default_factory=Counter)
    lost: list[str] = field(default_factory=list)
    unreported_commits: int = 0  # committed, killed before the report line: allowed, and counted for interest
    killed_before_first_write: int = 0
    early: int = 0
    chain_ids: set[str] = field(default_factory=set)  # every id reported on the current file


class WriterServer:
    """``crash_writer.py --serve``: forks one writer per trial from a process that has done its imports once."""

    def __init__(self) -> None:
        self.stderr = tempfile.TemporaryFile()  # noqa: SIM115 - lives as long as the server; close() closes it
        self.process = subprocess.Popen(
            [sys.executable, str(WRITER), "--serve"],
            env=_child_env(),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.stderr,
            bufsize=0,
        )
        self._buffer = b""
        assert self.line(START_TIMEOUT) == "SERVING", self.errors()

    def line(self, timeout: float | None) -> str | None:
        """The next line from the server, or ``None`` if none came within ``timeout`` seconds."""
        assert self.process.stdout is not None
        deadline = None if timeout is None else time.monotonic() + timeout
        while b"\n" not in self._buffer:
            left = None if deadline is None else max(0.0, deadline - time.monotonic())
            if not wait_readable([self.process.stdout], [], [], left)[0]:
                return None
            chunk = os.read(self.process.stdout.fileno(), 4096)
            if not chunk:
                pytest.fail(f"the writer server died:\n{self.errors()}")
            self._buffer += chunk
        first, self._buffer = self._buffer.split(b"\n", 1)
        return first.decode()

    def start(self, db_path: Path, report: Path, seed: int) -> int:
        assert self.process.stdin is not None
        self.process.stdin.write(f"{db_path} {report} {seed}\n".encode())
        answer = self.line(START_TIMEOUT)
        assert answer is not None and answer.startswith("PID "), answer
        return int(answer.split()[1])

    def errors(self) -> str:
        self.stderr.seek(0)
        return self.stderr.read().decode(errors="replace")

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait(timeout=30)
        self.stderr.close()


@pytest.fixture(scope="module")
def writer_server() -> Iterator[WriterServer]:
    server = WriterServer()
    try:
        yield server
    finally:
        server.close()


def _run_child(server: WriterServer, db_path: Path, report: Path, seed: int, delay: float, *, early: bool) -> list[str]:
    """Fork a writer, SIGKILL it, and return the operations it reported.

    The kill comes ``delay`` seconds after READY (writing), or, when ``early``, ``delay`` seconds after the fork
    (opening the file and replaying the last kill's ``-wal``, the first writes).
    """
    report.unlink(missing_ok=True)
    pid = server.start(db_path, report, seed)
    exited = None
    deadline = time.monotonic() + START_TIMEOUT
    while not early and b"READY\n" not in (report.read_bytes() if report.exists() else b""):
        exited = server.line(0.005)
        if exited is not None or time.monotonic() > deadline:
            break
    if exited is None:
        exited = server.line(delay)  # the writer writes on for ``delay`` seconds (unless it stops by itself)
    if exited is None:
        os.kill(pid, signal.SIGKILL)
        exited = server.line(START_TIMEOUT)
    assert exited == f"EXIT {pid} {-signal.SIGKILL}", f"the writer stopped by itself ({exited}):\n{server.errors()}"
    lines = report.read_text(encoding="ascii").splitlines() if report.exists() else []
    # A line cut in half by the kill was never fully reported: only whole "OK kind id" lines count.
    return [line for line in lines if line.startswith("OK ") and len(line.split()) == 3 and len(line.split()[2]) == 36]


def _scalar(connection: sqlite3.Connection, sql: str, *args: object) -> int:
    return int(connection.execute(sql, args).fetchone()[0])


def _check_after_kill(db_path: Path, reported: list[str], tally: Tally) -> None:
    """The file opens, is intact, holds every reported operation whole, and nothing half-done."""
    connection = sqlite3.connect(db_path)  # read-write: SQLite replays the -wal as any next start would
    try:
        assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
        for line in reported:
            _, kind, record_id = line.split()
            table, action, record_type = EXPECTED[kind]
            present = (
                _scalar(connection, f"SELECT count(*) FROM {table} WHERE id = ?", record_id) == 1
                and _scalar(
                    connection,
                    "SELECT count(*) FROM audit_entry WHERE entity_id = ? AND action = ?",
                    record_id,
                    action,
                )
                == 1
                and _scalar(
                    connection,
                    "SELECT count(*) FROM sync_outbox WHERE record_id = ? AND record_type = ?",
                    record_id,
                    record_type,
                )
                == 1
            )
            if kind == "contribution":
                present = (
                    present
                    and _scalar(connection, "SELECT count(*) FROM receipt WHERE contribution_id = ?", record_id) == 1
                )
            if not present:
                tally.lost.append(line)
            tally.reported[kind] += 1
        # Atomicity: whatever committed is whole, reported or not.
        for kind, (table, action, record_type) in EXPECTED.items():
            without_audit = _scalar(
                connection,
                f"SELECT count(*) FROM {table} t WHERE t.created_by = ? AND NOT EXISTS "
                "(SELECT 1 FROM audit_entry a WHERE a.entity_id = t.id AND a.action = ?)",
                DEMO_OPERATOR,
                action,
            )
            without_outbox = _scalar(
                connection,
                f"SELECT count(*) FROM {table} t WHERE t.created_by = ? AND NOT EXISTS "
                "(SELECT 1 FROM sync_outbox o WHERE o.record_id = t.id AND o.record_type = ?)",
                DEMO_OPERATOR,
                record_type,
            )
            assert (without_audit, without_outbox) == (0, 0), kind
        assert (
            _scalar(
                connection,
                "SELECT count(*) FROM contribution c WHERE c.created_by = ? AND NOT EXISTS "
                "(SELECT 1 FROM receipt r WHERE r.contribution_id = c.id)",
                DEMO_OPERATOR,
            )
            == 0
        )
        committed = {
            row[0]
            for row in connection.execute(
                "SELECT entity_id FROM audit_entry WHERE action IN ('add_person', 'register', 'contribution.collect')"
            )
        }
    finally:
        connection.close()
    tally.chain_ids |= {line.split()[2] for line in reported}
    tally.unreported_commits += len(committed - tally.chain_ids)
    tally.chain_ids |= committed  # counted once
    with open_database(db_path, create=False) as db, db.session() as session:
        assert verify_audit_chain(session) is None


def test_killing_the_writer_loses_no_reported_operation(
    demo_file: Path, writer_server: WriterServer, tmp_path: Path
) -> None:
    rng = random.Random(SEED)
    tally = Tally()
    db_path = tmp_path / "village.sqlite"
    started = time.monotonic()
    for trial in range(TRIALS):
        if trial % CHAIN == 0:
            for leftover in tmp_path.glob("village.sqlite*"):
                leftover.unlink()
            shutil.copyfile(demo_file, db_path)
            tally.chain_ids = set()
        early = rng.random() < EARLY_SHARE
        delay = rng.uniform(0, EARLY_MAX_DELAY) if early else rng.uniform(0, MAX_DELAY)
        reported = _run_child(
            writer_server, db_path, tmp_path / "report.txt", rng.randrange(1 << 30), delay, early=early
        )
        tally.early += early
        if not reported:
            tally.killed_before_first_write += 1
        _check_after_kill(db_path, reported, tally)
        tally.trials += 1
    elapsed = time.monotonic() - started
    summary = {
        "trials": tally.trials,
        "seed": SEED,
        "reported": sum(tally.reported.values()),
        "by_kind": dict(tally.reported),
        "lost": len(tally.lost),
        "committed_but_not_yet_reported": tally.unreported_commits,
        "killed_during_start_up": tally.early,
        "killed_before_first_report": tally.killed_before_first_write,
        "seconds": round(elapsed, 1),
    }
    print(f"\nkill trials: {json.dumps(summary, ensure_ascii=False)}")
    assert tally.lost == []
    assert tally.trials == TRIALS
    assert sum(tally.reported.values()) > 0


# --- Disk full through a real use case -----------------------------------------------------------------------

ACTOR = Actor(DEMO_OPERATOR)


def _new_residents(db: Database, count: int) -> list[str]:
    """``count`` new residents (户主 each) with their registration entered, so each may pay this year."""
    today = date.today()
    rng = random.Random(7)
    ids: list[str] = []
    with db.session(immediate=True) as session:
        village_id = session.scalar(select(Setting.value).where(Setting.key == "village_id"))
        assert isinstance(village_id, str)
        for n in range(count):
            first17 = f"41109919{70 + n % 20:02d}0{1 + n % 9}{10 + n % 18:02d}{600 + n:03d}"
            person = add_person(
                session,
                ACTOR,
                PersonInput(
                    name=rng.choice("王李张刘陈") + rng.choice("秀兰建国桂英"),
                    id_number=first17 + check_character(first17),
                    relation=Relation.HEAD,
                    group_name="第一村民小组",
                ),
                village_id=village_id,
                today=today,
            )
            register(session, ACTOR, person.id, registered_on=today, tier_yuan="200", today=today)
            ids.append(person.id)
    return ids


def _counts(db: Database) -> dict[str, int]:
    with db.session() as session:
        counts = {
            model.__tablename__: session.scalar(select(func.count()).select_from(model)) or 0
            for model in (Person, Contribution, Receipt, AuditEntry, OutboxEntry)
        }
        counts["next_receipt_no"] = (
            session.scalar(select(ReceiptBook.next_no).where(ReceiptBook.collector == DEMO_OPERATOR)) or 0
        )
        return counts


def test_a_full_disk_during_collection_writes_nothing(demo_file: Path, tmp_path: Path) -> None:
    """Collect until the disk is full: the failing collection leaves no row and uses up no receipt number."""
    path = tmp_path / "village.sqlite"
    shutil.copyfile(demo_file, path)
    with open_database(path, create=False) as db:
        residents = _new_residents(db, 80)
    engine = create_sqlite_engine(path)

    @event.listens_for(engine, "connect")
    def no_room_to_grow(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        pages = dbapi_connection.execute("PRAGMA page_count").fetchone()[0]
        dbapi_connection.execute(f"PRAGMA max_page_count = {pages}")  # "the disk" is full at today's size

    collected: list[str] = []
    full = Database(path, engine)
    try:
        for person_id in residents:
            before = _counts(full)
            try:
                with full.session(immediate=True) as session:
                    collect_contribution(session, ACTOR, person_id=person_id, year=date.today().year, tier_fen=20000)
            except DiskFull as exc:
                assert "磁盘空间已满" in exc.user_message and "已撤销" in exc.user_message
                assert _counts(full) == before
                failed = person_id
                break
            collected.append(person_id)
        else:
            pytest.fail("80 collections fitted in the free pages: the disk never filled")
    finally:
        full.close()
    with open_database(path, create=False) as db:  # space freed: the same collection now goes through
        with db.session() as session:
            assert session.scalar(select(func.count()).where(Contribution.person_id == failed)) == 0
            assert set(
                session.scalars(select(Contribution.person_id).where(Contribution.person_id.in_(collected)))
            ) == set(collected)
            assert verify_audit_chain(session) is None
        next_no = _counts(db)["next_receipt_no"]
        with db.session(immediate=True) as session:
            result = collect_contribution(session, ACTOR, person_id=failed, year=date.today().year, tier_fen=20000)
        assert result.receipt is not None and result.receipt.number == next_no  # no gap in the receipt numbers


# --- Read-only file, folder, medium --------------------------------------------------------------------------

#: Run in a separate process (as ``nobody`` when the tests run as root, who may write to any file anyway).
READ_ONLY_ATTEMPT = """
import json, sys
from datetime import date
from pathlib import Path
from sqlalchemy import select
from pensiondesk.domain.codes import Relation
from pensiondesk.domain.idnumber import check_character
from pensiondesk.services.people import add_person
from pensiondesk.services.people_types import PersonInput
from pensiondesk.services.recording import Actor
from pensiondesk.store.db import open_database
from pensiondesk.store.errors import StoreError
from pensiondesk.store.models import Setting

def result(stage, exc):
    print(json.dumps({"stage": stage, "error": type(exc).__name__, "store_error": isinstance(exc, StoreError),
                      "message": getattr(exc, "user_message", str(exc))}, ensure_ascii=False))

try:
    db = open_database(Path(sys.argv[1]))
except Exception as exc:
    result("open", exc)
    raise SystemExit(0)
try:
    with db.session() as session:
        village_id = session.scalar(select(Setting.value).where(Setting.key == "village_id"))
    with db.session(immediate=True) as session:
        add_person(session, Actor("coordinator"),
                   PersonInput(name="周桂英", id_number="411099197203154028", relation=Relation.HEAD),
                   village_id=village_id)
except Exception as exc:
    result("write", exc)
else:
    print(json.dumps({"stage": "none"}))
finally:
    db.close()
"""


def _unprivileged_prefix() -> list[str]:
    """How to start the attempt without root's right to write anything: ``setpriv`` to ``nobody`` when root.

    (``subprocess``'s own ``user=`` drops the rights before it looks up the interpreter, which may sit in a
    folder only root can read; ``setpriv`` drops them as it starts the interpreter.)
    """
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: root may write to read-only files")
    return [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups"]


@pytest.fixture
def shared_dir() -> Iterator[Path]:
    """A folder the unprivileged user can reach (pytest's own tmp folders are private to root)."""
    folder = Path(tempfile.mkdtemp(prefix="pensiondesk-ro-"))
    folder.chmod(0o777)
    try:
        yield folder
    finally:
        for path in (folder, *folder.rglob("*")):
            if path.is_dir():
                path.chmod(0o777)
        shutil.rmtree(folder)


def _attempt(path: Path) -> dict[str, object]:
    done = subprocess.run(
        [*_unprivileged_prefix(), sys.executable, "-c", READ_ONLY_ATTEMPT, str(path)],
        env=_child_env(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd="/",
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def _fingerprint(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.name.endswith("-shm")  # the shared-memory index is not data
    }


def _refused_as_read_only(outcome: dict[str, object]) -> None:
    assert outcome["error"] == "ReadOnlyDatabase", outcome
    assert outcome["store_error"] is True
    message = str(outcome["message"])
    assert "只能读取、不能写入" in message and "可写的文件夹" in message


def test_a_read_only_file_is_refused_at_the_first_write(demo_file: Path, shared_dir: Path) -> None:
    path = shared_dir / "village.sqlite"
    shutil.copyfile(demo_file, path)
    path.chmod(0o444)
    before = _fingerprint(shared_dir)
    outcome = _attempt(path)
    assert outcome["stage"] == "write"  # reading still works: the coordinator can look, not change
    _refused_as_read_only(outcome)
    after = _fingerprint(shared_dir)
    assert after.pop("village.sqlite-wal", "") in ("", hashlib.sha256(b"").hexdigest())
    assert after == before
    path.chmod(0o644)
    with open_database(path, create=False) as db:
        assert db.info()["persons"] == 100


def test_a_read_only_folder_is_refused_when_opening(demo_file: Path, shared_dir: Path) -> None:
    folder = shared_dir / "u-disk"
    folder.mkdir()
    path = folder / "village.sqlite"
    shutil.copyfile(demo_file, path)
    path.chmod(0o666)
    folder.chmod(0o555)  # the -wal and -shm files cannot be made
    before = _fingerprint(folder)
    outcome = _attempt(path)
    assert outcome["stage"] == "open"
    _refused_as_read_only(outcome)
    assert _fingerprint(folder) == before


def test_a_new_database_in_a_read_only_folder_is_refused(shared_dir: Path) -> None:
    folder = shared_dir / "locked"
    folder.mkdir()
    folder.chmod(0o555)
    outcome = _attempt(folder / "new" / "village.sqlite")
    assert outcome["stage"] == "open"
    _refused_as_read_only(outcome)
    assert list(folder.iterdir()) == []
