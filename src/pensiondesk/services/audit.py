"""Checking the audit trail (审计记录核验): is the hash chain whole, and if not, where does it first break?

``services.recording`` writes the chain and :func:`~pensiondesk.services.recording.verify_audit_chain` finds the
first broken link; this module turns that into something a coordinator can read (which entry: number, time, user,
action) for ``pensiondesk audit verify`` and for checking a backup before it is restored. Files are opened
read-only, so checking never changes the database it checks.

What the chain can and cannot show: an edited entry breaks the chain at that entry, a deleted entry breaks it at the
next one (and leaves a gap in the numbers). Removing the newest entries leaves a shorter chain that still holds;
comparing counts with a backup or with the county is what catches that.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session

from pensiondesk.services.recording import verify_audit_chain
from pensiondesk.store import cipher
from pensiondesk.store.errors import DatabaseNotFound, DatabaseUnreadable, StoreError, translate_operational_error
from pensiondesk.store.models import AuditEntry


def local_time(at: datetime | None) -> str:
    """A stored (naive UTC) moment as local wall-clock text, the way the coordinator reads times."""
    if at is None:
        return "时间不详"
    return at.replace(tzinfo=UTC).astimezone().strftime("%Y-%m-%d %H:%M:%S")


@dataclass(frozen=True)
class BrokenLink:
    """The first audit entry whose link to the chain does not hold (审计链断点)."""

    seq: int
    at: datetime | None
    user: str | None
    action: str | None
    entity_type: str | None
    entity_id: str | None
    previous_seq: int | None  # the entry before it that still exists
    unreadable: bool = False  # its stored content is not even valid JSON

    @property
    def missing_seqs(self) -> tuple[int, int] | None:
        """The range of entry numbers missing just before this one (deleted entries), if any."""
        first = (self.previous_seq or 0) + 1
        return (first, self.seq - 1) if first < self.seq else None

    def describe(self) -> str:
        """One Chinese sentence naming the entry and what probably happened."""
        who = self.user or "不详"
        what = self.action or "不详"
        if self.entity_type:
            what += f"，对象 {self.entity_type} {self.entity_id or ''}".rstrip()
        head = f"第 {self.seq} 条审计记录（{local_time(self.at)}，操作员 {who}，操作 {what}）"
        missing = self.missing_seqs
        if missing is not None:
            span = f"第 {missing[0]} 条" if missing[0] == missing[1] else f"第 {missing[0]}–{missing[1]} 条"
            return f"{head}前面的{span}已不存在（被删除），审计链从这里断开"
        if self.unreadable:
            return f"{head}的内容已无法读取（被改动过），审计链从这里断开"
        return f"{head}与审计链对不上：这一条或它前面的记录被改动过"


@dataclass(frozen=True)
class AuditCheck:
    """The verdict on one database's audit trail."""

    count: int
    broken: BrokenLink | None

    @property
    def ok(self) -> bool:
        return self.broken is None

    def message(self) -> str:
        """``审计记录完整：共 N 条`` or the first broken entry, in Chinese."""
        if self.broken is None:
            return f"审计记录完整：共 {self.count} 条"
        return f"审计记录不完整（共 {self.count} 条）：{self.broken.describe()}"


def _first_unreadable_seq(session: Session) -> int | None:
    """The first entry whose before/after is not valid JSON (the ORM cannot even load it)."""
    row = session.connection().exec_driver_sql(
        "SELECT min(seq) FROM audit_entry WHERE coalesce(json_valid(before), 1) = 0 "
        "OR coalesce(json_valid(after), 1) = 0"
    )
    value = row.scalar()
    return int(value) if value is not None else None


def check_audit_chain(session: Session) -> AuditCheck:
    """Verify the whole chain in ``session``'s database and describe the first broken link, if any."""
    count = session.scalar(select(func.count()).select_from(AuditEntry)) or 0
    unreadable = False
    try:
        broken_seq = verify_audit_chain(session)
    except ValueError:  # json.JSONDecodeError: someone wrote text that is not JSON into before/after
        broken_seq = _first_unreadable_seq(session)
        unreadable = broken_seq is not None
        if broken_seq is None:
            raise
    if broken_seq is None:
        return AuditCheck(int(count), None)
    table = AuditEntry.__table__.c
    row = session.execute(
        select(table.seq, table.at, table.user, table.action, table.entity_type, table.entity_id).where(
            table.seq == broken_seq
        )
    ).one()
    previous = session.scalar(select(func.max(table.seq)).where(table.seq < broken_seq))
    link = BrokenLink(
        seq=row.seq,
        at=row.at,
        user=row.user,
        action=row.action,
        entity_type=row.entity_type,
        entity_id=row.entity_id,
        previous_seq=previous,
        unreadable=unreadable,
    )
    return AuditCheck(int(count), link)


def read_only_connection(path: Path) -> sqlite3.Connection:
    """A connection that can neither write to ``path`` nor create it (keyed when the file is encrypted)."""
    connection: sqlite3.Connection = cipher.connect(path, read_only=True, timeout=5)
    return connection


@contextmanager
def read_only_session(path: Path) -> Iterator[Session]:
    """An ORM session on ``path`` opened read-only (for checking files, including backups, without changing them)."""
    engine = create_engine(
        "sqlite://", creator=lambda: read_only_connection(path), module=cipher.dbapi_module(path)
    )
    try:
        with Session(engine) as session:
            yield session
    finally:
        engine.dispose()


def verify_audit_file(path: Path | str) -> AuditCheck:
    """Check the audit chain of the database file at ``path`` without changing it.

    Raises :class:`DatabaseNotFound` for a missing file and another :class:`StoreError` for a file that cannot be
    read (damaged, not a database, locked).
    """
    path = Path(path).expanduser().absolute()
    if not path.is_file():
        raise DatabaseNotFound(path=path)
    try:
        with read_only_session(path) as session:
            return check_audit_chain(session)
    except StoreError:
        raise
    except Exception as exc:
        known = translate_operational_error(exc, path=path)
        if known is not None:
            raise known from exc
        if "no such table" in str(exc):
            raise DatabaseUnreadable(path=path, detail=str(exc)) from exc
        raise
