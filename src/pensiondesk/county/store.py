"""The county server's storage and sync rules (县级服务端存储与同步规则), independent of HTTP.

``app.py`` (network) and ``import-batch`` (USB files) both call :func:`push_batch`, so a batch gets the same
exactly-once treatment whichever way it arrives. Every function takes the caller's ``Session``; the caller owns
the transaction, so the batch's writes and its stored response commit together (sync-protocol.md property 3).
"""

from __future__ import annotations

import base64
import hashlib
import logging
import secrets
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeGuard

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, or_, select, update
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from pensiondesk.county.models import (
    BatchRow,
    ChangeRow,
    DeathNotice,
    DeferredChange,
    Device,
    ReceivedChange,
    RecordRow,
    SecurityEvent,
    ServerMeta,
    VillageRow,
    utcnow,
)
from pensiondesk.sync.protocol import (
    IMMUTABLE_TYPES,
    MAX_PULL_LIMIT,
    RECORD_PARENTS,
    Change,
    ChangeKind,
    ChangeOp,
    Operation,
    PullResponse,
    PushRecord,
    PushRequest,
    PushResponse,
    RecordResult,
    ResultStatus,
    SummaryResponse,
    TypeSummary,
    canonical_json,
    payload_hash,
    record_digest,
)

log = logging.getLogger("pensiondesk.county")
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
DEFAULT_SQLITE_NAME = "county.sqlite"


class SyncRefused(Exception):
    """The whole request is refused: ``status`` is the HTTP status, ``code`` a stable code, ``message`` Chinese."""

    def __init__(self, status: int, code: str, message: str, detail: Any = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.detail = detail


# --- Engine and schema -------------------------------------------------------------------------------------


def create_county_engine(url: str) -> Engine:
    """An engine for ``url``: SQLite gets WAL, a busy timeout, foreign keys and ``BEGIN IMMEDIATE`` transactions
    (so two writers queue instead of failing half-way); PostgreSQL is used as it comes."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True)
    engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection: Any, _record: object) -> None:
        dbapi_connection.isolation_level = None
        cur = dbapi_connection.cursor()
        cur.execute("PRAGMA busy_timeout=30000")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=FULL")  # the county acknowledges: a commit must survive a power cut
        cur.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def alembic_config(connection: Any = None, url: str | None = None) -> Config:
    """The Alembic configuration of the county database (its own migrations, not the desktop's)."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if url:
        cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def upgrade_database(engine: Engine) -> None:
    """Bring the county database to the newest schema and make sure it has its epoch and signing key."""
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), "head")
    with session_scope(sessionmaker(bind=engine)) as session:
        if session.get(ServerMeta, 1) is None:
            session.add(
                ServerMeta(
                    id=1,
                    epoch=new_epoch_value(),
                    change_seq=0,
                    private_key=base64.b64encode(secrets.token_bytes(32)).decode(),
                )
            )


def new_epoch_value() -> str:
    """A fresh server epoch: a timestamp for people, random bits for uniqueness."""
    return f"{utcnow():%Y%m%d%H%M%S}-{secrets.token_hex(4)}"


@contextmanager
def session_scope(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One transaction: commit on success, roll back on any exception."""
    with factory() as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def sqlite_url(path: Path | str) -> str:
    """The SQLAlchemy URL of a SQLite file."""
    return f"sqlite:///{Path(path).expanduser().absolute()}"


# --- Small helpers -----------------------------------------------------------------------------------------


def token_hash(token: str) -> str:
    """Device tokens and enrolment codes are random and long, so SHA-256 is enough to store them safely."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def content_hash(payload: dict[str, Any]) -> str:
    """Hash of a record's content, without the operator (who typed it is not what it says)."""
    return hashlib.sha256(canonical_json(_content(payload)).encode("utf-8")).hexdigest()


def _content(payload: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in payload.items() if not k.startswith("_")}


def meta(session: Session) -> ServerMeta:
    """The server's one meta row."""
    row = session.get(ServerMeta, 1)
    if row is None:
        raise SyncRefused(503, "not_initialised", "县级服务器数据库尚未初始化。")
    return row


def security_event(session: Session, device: Device | None, kind: str, detail: str) -> None:
    """Record and log a refusal that an administrator should see."""
    log.warning(
        "security: %s device=%s village=%s %s", kind, device and device.id, device and device.village_code, detail
    )
    session.add(
        SecurityEvent(
            device_id=device.id if device else None,
            village_code=device.village_code if device else None,
            kind=kind,
            detail=detail[:1000],
        )
    )


def publish(
    session: Session, village_code: str | None, kind: ChangeKind, key: str, op: ChangeOp, data: dict[str, Any]
) -> int:
    """Append a change to the global sequence.

    The first change of a transaction bumps the meta row's counter (``UPDATE … RETURNING``), which locks that row
    until commit: publishers are serialised, so sequence numbers become visible in commit order and a pull never
    skips a smaller number committed later. Further changes of the same transaction count on in Python and the
    final value is written just before commit. A rolled-back savepoint only leaves a gap, which pulls tolerate.
    """
    info = session.info
    if "seq_next" not in info:
        first = session.execute(
            update(ServerMeta)
            .where(ServerMeta.id == 1)
            .values(change_seq=ServerMeta.change_seq + 1)
            .returning(ServerMeta.change_seq)
        ).scalar_one()
        info["seq_next"] = int(first)
        if not info.get("seq_listening"):
            info["seq_listening"] = True
            event.listen(session, "before_commit", _store_seq)
            event.listen(session, "after_transaction_end", _forget_seq)
    seq = info["seq_next"]
    info["seq_next"] = seq + 1
    session.add(
        ChangeRow(seq=seq, village_code=village_code, kind=kind.value, key=key, op=op.value, data=data, at=utcnow())
    )
    return int(seq)


def _store_seq(session: Session) -> None:
    if session.in_nested_transaction():
        return  # a savepoint: the outer transaction writes the counter
    last = session.info.get("seq_next")
    if last is not None:
        session.execute(update(ServerMeta).where(ServerMeta.id == 1).values(change_seq=last - 1))


def _forget_seq(session: Session, transaction: Any) -> None:
    if transaction.parent is None:
        session.info.pop("seq_next", None)


# --- Authentication ----------------------------------------------------------------------------------------


def authenticate(session: Session, token: str | None) -> Device:
    """The device a bearer token belongs to; 401 for an unknown token, 403 for a revoked one (logged)."""
    if not token:
        raise SyncRefused(401, "unauthorized", "缺少设备令牌，请先登记本机（pensiondesk sync enroll）。")
    device = session.scalar(select(Device).where(Device.token_hash == token_hash(token)))
    if device is None:
        raise SyncRefused(401, "unauthorized", "设备令牌无效。请联系县社保局重新登记本机。")
    if device.revoked_at is not None:
        security_event(session, device, "revoked_device", "request with a revoked token")
        raise SyncRefused(
            403, "device_revoked", "本机的同步授权已被县社保局撤销。如需继续使用，请联系县社保局重新登记。"
        )
    return device


def lock_device(session: Session, device: Device) -> None:
    """One sync per device at a time (property 13): PostgreSQL row lock without waiting; SQLite serialises
    every writer already (``BEGIN IMMEDIATE``)."""
    if session.get_bind().dialect.name != "postgresql":
        return
    try:
        session.execute(select(Device.id).where(Device.id == device.id).with_for_update(nowait=True))
    except OperationalError as exc:
        raise SyncRefused(409, "sync_in_progress", "本机的另一次同步正在进行，请稍后再试。") from exc


# --- Push --------------------------------------------------------------------------------------------------


def request_hash(req: PushRequest) -> str:
    """Hash of a batch's records, to tell a re-send (same content) from a reused batch ID."""
    body = [r.model_dump(mode="json") for r in req.records]
    return hashlib.sha256(canonical_json(body).encode("utf-8")).hexdigest()


def push_batch(session: Session, device: Device, req: PushRequest, *, via_file: bool = False) -> PushResponse:
    """Apply one batch for ``device`` and store its response, all in the caller's transaction.

    A batch ID seen before returns the stored response (``replayed``) without touching anything; a batch ID
    reused with other content is refused (409). Records are processed in order; one record's database error
    becomes its own ``rejected`` result and never blocks the rest (see :func:`_push_records`).
    """
    server = meta(session)
    lock_device(session, device)
    stored = session.get(BatchRow, (device.id, req.batch_id))
    rhash = request_hash(req)
    if stored is not None:
        if stored.request_hash != rhash:
            security_event(session, device, "batch_id_reused", f"batch {req.batch_id} re-sent with other content")
            raise SyncRefused(409, "batch_id_reused", "同一批次号的内容与上次不同，已拒收。请联系技术支持。")
        response = PushResponse.model_validate(stored.response)
        return response.model_copy(update={"replayed": True})
    if req.epoch is not None and req.epoch != server.epoch:
        raise SyncRefused(
            409,
            "epoch_changed",
            "县级服务器已从备份恢复（数据版本已变），请重新同步：本机会重新上传所有未在新版本下确认的记录。",
            {"server_epoch": server.epoch},
        )
    now = utcnow()
    # Per-batch knowledge that saves a query per record: are there unmatched death notices, and what is waiting.
    session.info["unmatched_deaths"] = (
        session.scalar(select(DeathNotice.id).where(DeathNotice.person_id.is_(None)).limit(1)) is not None
    )
    session.info["deferred_keys"] = set(
        tuple(row) for row in session.execute(select(DeferredChange.waiting_type, DeferredChange.waiting_id))
    )
    _preload(session, req)
    try:
        results = _push_records(session, device, req, now)
    finally:
        for key in _BATCH_KEYS:  # the batch's caches must not outlive it (they hold its rows)
            session.info.pop(key, None)
    response = PushResponse(batch_id=req.batch_id, epoch=server.epoch, received_at=now, results=results)
    session.add(
        BatchRow(
            device_id=device.id,
            batch_id=req.batch_id,
            request_hash=rhash,
            response=response.model_dump(mode="json"),
            received_at=now,
            via_file=via_file,
        )
    )
    device.last_seen_at = now
    return response


#: ``session.info`` keys that describe the batch being pushed (see :func:`_preload`).
_BATCH_KEYS = (
    "absent_changes",
    "absent_records",
    "known_records",
    "written_records",
    "unmatched_deaths",
    "death_checked",
    "death_noticed",
    "id_numbers_checked",
    "id_numbers_unmatched",
)


def _push_records(session: Session, device: Device, req: PushRequest, now: datetime) -> list[RecordResult]:
    """The results of the batch's records, in order.

    Fast path: the whole batch in one savepoint, flushed once at the end (a savepoint and a flush per record cost
    more than the work itself). The rules are the very same code as the record-by-record path, so when nothing
    fails the results and rows are the same. If anything fails (a row the database refuses, e.g. an over-long
    value on PostgreSQL), the savepoint is rolled back, the batch's bookkeeping restored as it was, and the batch
    is applied again record by record, each in its own savepoint, so that the failing record alone becomes
    ``rejected`` exactly as before.
    """
    saved = _save_batch_state(session.info)
    try:
        with session.begin_nested():
            return [_push_one(session, device, rec, now, i, fast=True) for i, rec in enumerate(req.records)]
    except Exception as exc:
        log.warning(
            "batch %s of device %s: applying record by record after %s", req.batch_id, device.id, type(exc).__name__
        )
    _restore_batch_state(session.info, saved)
    return [_push_one(session, device, rec, now, i) for i, rec in enumerate(req.records)]


def _save_batch_state(info: dict[Any, Any]) -> dict[str, Any]:
    saved: dict[str, Any] = {}
    for key in (*_BATCH_KEYS, "deferred_keys", "seq_next"):
        if key in info:
            value = info[key]
            saved[key] = value.copy() if isinstance(value, set | dict) else value
    return saved


def _restore_batch_state(info: dict[Any, Any], saved: dict[str, Any]) -> None:
    """Undo what a rolled-back attempt told ``session.info`` (rows it created, sequence numbers it counted)."""
    for key in (*_BATCH_KEYS, "deferred_keys", "seq_next"):
        if key in saved:
            value = saved[key]
            info[key] = value.copy() if isinstance(value, set | dict) else value
        else:
            info.pop(key, None)


def _preload(session: Session, req: PushRequest) -> None:
    """Find the batch's known changes, and load its records and their parents, in a few queries. The rows are kept
    (the session's identity map holds unchanged rows only weakly), so parents are looked up in memory instead of
    one query each; a record about to be changed is still read afresh (see :func:`_record`)."""
    change_ids = [r.change_id for r in req.records]
    record_ids = {r.record_id for r in req.records}
    for r in req.records:
        for field in RECORD_PARENTS.get(r.record_type, {}):
            value = r.payload.get(field)
            if _bindable(value):
                record_ids.add(value)
    found_changes: set[str] = set()
    for chunk in _chunks(sorted(set(change_ids))):
        found_changes.update(
            session.scalars(select(ReceivedChange.change_id).where(ReceivedChange.change_id.in_(chunk)))
        )
    known_records: dict[tuple[str, str], RecordRow] = {}
    for chunk in _chunks(sorted(record_ids)):
        for row in session.scalars(select(RecordRow).where(RecordRow.record_id.in_(chunk))):
            known_records[(row.record_type, row.record_id)] = row
    session.info["known_records"] = known_records
    session.info["written_records"] = set()
    session.info["absent_changes"] = set(change_ids) - found_changes
    session.info["absent_records"] = record_ids - {record_id for _type, record_id in known_records}
    # Survival checks: which of their persons have a death notice at all (most have none: no query each).
    checked = {
        r.payload["person_id"]
        for r in req.records
        if r.record_type == "survival_check" and _bindable(r.payload.get("person_id"))
    }
    noticed: set[str] = set()
    for chunk in _chunks(sorted(checked)):
        noticed.update(
            session.scalars(select(DeathNotice.person_id).where(DeathNotice.person_id.in_(chunk)).distinct())
        )
    session.info["death_checked"] = checked
    session.info["death_noticed"] = noticed
    # Persons: which of their ID numbers an unmatched death notice names (most: none, so no query each).
    id_numbers = {
        number
        for r in req.records
        if r.record_type == "person" and _bindable(number := _id_number(r.record_type, r.payload))
    }
    unmatched: set[str] = set()
    if session.info.get("unmatched_deaths", True):
        for chunk in _chunks(sorted(id_numbers)):
            unmatched.update(
                session.scalars(
                    select(DeathNotice.id_number)
                    .where(DeathNotice.id_number.in_(chunk), DeathNotice.person_id.is_(None))
                    .distinct()
                )
            )
    session.info["id_numbers_checked"] = id_numbers
    session.info["id_numbers_unmatched"] = unmatched


def _bindable(value: object) -> TypeGuard[str]:
    """A payload value the batch's look-ups may send to the database: a string PostgreSQL accepts (no NUL). Others
    are left to the record's own look-up, where the database's refusal rejects that record alone."""
    return isinstance(value, str) and "\x00" not in value


def _record(session: Session, record_type: str, record_id: str, *, fresh: bool = False) -> RecordRow | None:
    """``session.get`` for a record, answered from the batch's rows when it can, and none without a query when the
    preload proved the record absent.

    ``fresh``: the record is about to be checked against (version, last writer, content) and maybe changed, so a
    preloaded row is read again from the database, as one query each always did: on PostgreSQL another device's
    commit since the preload must count. Rows this transaction wrote are current as they are (it holds them).
    """
    key = (record_type, record_id)
    row = session.info.get("known_records", {}).get(key)
    if row is not None and row in session:  # not a row of a rolled-back savepoint
        if not fresh or key in session.info.get("written_records", ()):
            return row
        return session.get(RecordRow, key, populate_existing=True)
    if record_id in session.info.get("absent_records", ()):
        return None
    return session.get(RecordRow, key)


def _remember_record(session: Session, row: RecordRow) -> None:
    """A row this transaction created or changed: later records of the batch find it without a query."""
    session.info.get("absent_records", set()).discard(row.record_id)
    key = (row.record_type, row.record_id)
    known, written = session.info.get("known_records"), session.info.get("written_records")
    if known is not None and written is not None:
        known[key] = row
        written.add(key)


def _received(session: Session, change_id: str) -> ReceivedChange | None:
    """``session.get`` for a received change, skipping the query when the batch preload proved it absent."""
    if change_id in session.info.get("absent_changes", ()):
        return None
    return session.get(ReceivedChange, change_id)


def _remember_change(session: Session, received: ReceivedChange) -> None:
    session.info.get("absent_changes", set()).discard(received.change_id)


def _chunks(items: list[str], size: int = 400) -> Iterator[list[str]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _result(rec: PushRecord, status: ResultStatus, code: str, message: str, **extra: Any) -> RecordResult:
    return RecordResult(
        change_id=rec.change_id, record_id=rec.record_id, status=status, code=code, message=message, **extra
    )


def _push_one(
    session: Session, device: Device, rec: PushRecord, now: datetime, position: int, *, fast: bool = False
) -> RecordResult:
    """One record of a batch. ``fast``: inside the batch's savepoint, no savepoint of its own, new rows left to the
    batch's one flush, and any error propagates (the caller then re-applies the batch record by record); otherwise
    the record runs in its own savepoint and a database error becomes its ``rejected`` result."""
    phash = payload_hash(rec.record_type, rec.record_id, rec.operation.value, rec.payload, rec.base_version)
    seen = _received(session, rec.change_id)
    if seen is not None:
        return _repeat_result(session, rec, seen, phash)
    if fast:
        return _public(_apply_and_receive(session, device, rec, now, position, phash, flush=False))
    try:
        with session.begin_nested():
            result = _apply_and_receive(session, device, rec, now, position, phash, flush=True)
    except Exception as exc:  # a database error on one record must not sink the batch
        log.exception("record %s of device %s failed", rec.change_id, device.id)
        result = _result(
            rec, ResultStatus.REJECTED, "server_error", f"县里保存该记录时出错，已隔离待处理：{type(exc).__name__}"
        )
        received = ReceivedChange(
            change_id=rec.change_id,
            device_id=device.id,
            record_type=rec.record_type,
            record_id=rec.record_id,
            payload_hash=phash,
            status=result.status.value,
            code=result.code,
            message=result.message,
            received_at=now,
        )
        session.add(received)
        _remember_change(session, received)
    return _public(result)


def _apply_and_receive(
    session: Session, device: Device, rec: PushRecord, now: datetime, position: int, phash: str, *, flush: bool
) -> RecordResult:
    """Apply a new change and store its receipt (and, when it must wait for its parent, the deferred change)."""
    result = _apply_change(session, device, rec, now)
    received = ReceivedChange(
        change_id=rec.change_id,
        device_id=device.id,
        record_type=rec.record_type,
        record_id=rec.record_id,
        payload_hash=phash,
        status=result.status.value,
        code=result.code,
        message=result.message,
        server_version=result.server_version,
        received_at=now,
    )
    session.add(received)
    _remember_change(session, received)
    if flush or result.status is ResultStatus.DEFERRED:
        session.flush()  # the deferred change's foreign key needs its receipt written first
    if result.status is ResultStatus.DEFERRED:
        assert isinstance(result, _DeferredResult)
        waiting_type, waiting_id = result.code_detail
        session.add(
            DeferredChange(
                change_id=rec.change_id,
                device_id=device.id,
                village_code=device.village_code,
                record_type=rec.record_type,
                record_id=rec.record_id,
                operation=rec.operation.value,
                payload=rec.payload,
                base_version=rec.base_version,
                captured_at=_naive(rec.captured_at),
                waiting_type=waiting_type,
                waiting_id=waiting_id,
                received_at=now,
                position=position,
            )
        )
        if flush:
            session.flush()
        session.info.setdefault("deferred_keys", set()).add((waiting_type, waiting_id))
    elif result.status is ResultStatus.CREATED and (rec.record_type, rec.record_id) in session.info.get(
        "deferred_keys", {(rec.record_type, rec.record_id)}
    ):
        _release_deferred(session, rec.record_type, rec.record_id, now)
    return result


class _DeferredResult(RecordResult):
    """A deferred result that also says what it waits for (not sent on the wire)."""

    code_detail: tuple[str, str] = ("", "")


def _public(result: RecordResult) -> RecordResult:
    if isinstance(result, _DeferredResult):
        return RecordResult.model_validate(result.model_dump(exclude={"code_detail"}))
    return result


def _repeat_result(session: Session, rec: PushRecord, seen: ReceivedChange, phash: str) -> RecordResult:
    """A change UUID seen before: same content → duplicate (or its earlier verdict), other content → conflict."""
    if seen.payload_hash != phash:
        return _result(
            rec,
            ResultStatus.CONFLICT,
            "change_id_reused",
            "县里已收到同一编号但内容不同的修改，未覆盖。请核对两份内容后由人工决定。",
        )
    if seen.status == ResultStatus.DEFERRED.value and session.get(DeferredChange, seen.change_id) is not None:
        return _result(rec, ResultStatus.DEFERRED, "waiting_parent", seen.message)
    if seen.status in (ResultStatus.REJECTED.value, ResultStatus.CONFLICT.value):
        return _result(rec, ResultStatus(seen.status), seen.code, seen.message, server_version=seen.server_version)
    return _result(
        rec,
        ResultStatus.DUPLICATE,
        "duplicate",
        "县里已有此记录（重复上传，已忽略）。",
        server_version=seen.server_version,
    )


def _naive(moment: datetime | None) -> datetime | None:
    """Aware moments become naive UTC (how every moment is stored)."""
    if moment is None or moment.tzinfo is None:
        return moment
    return moment.astimezone(UTC).replace(tzinfo=None)


def _apply_change(session: Session, device: Device, rec: PushRecord, now: datetime) -> RecordResult:
    """The rules of one change (properties 4, 6, 10) and the village scope (a device writes only its village)."""
    rtype = rec.record_type
    if rtype not in RECORD_PARENTS:
        return _result(
            rec, ResultStatus.REJECTED, "unknown_type", f"县里不接收此类记录（{rtype}）。请升级本程序或联系技术支持。"
        )
    existing = _record(session, rtype, rec.record_id, fresh=True)
    if existing is not None and existing.village_code != device.village_code:
        security_event(
            session, device, "foreign_village_write", f"{rtype} {rec.record_id} belongs to {existing.village_code}"
        )
        return _result(
            rec, ResultStatus.REJECTED, "forbidden_village", "该记录属于其他村，本机无权修改，已拒收并记录。"
        )
    notes: list[str] = []
    for field, parent_type in RECORD_PARENTS[rtype].items():
        parent_id = rec.payload.get(field)
        if not isinstance(parent_id, str) or not parent_id:
            continue
        parent = _record(session, parent_type, parent_id)
        if parent is None:
            return _DeferredResult(
                change_id=rec.change_id,
                record_id=rec.record_id,
                status=ResultStatus.DEFERRED,
                code="waiting_parent",
                message=f"已送达县里，等待所属记录（{parent_type}）到达后自动入账，无需处理。",
                code_detail=(parent_type, parent_id),
            )
        if parent.village_code != device.village_code:
            security_event(
                session, device, "foreign_village_parent", f"{rtype} {rec.record_id} → {parent_type} {parent_id}"
            )
            return _result(
                rec, ResultStatus.REJECTED, "forbidden_village", "该记录指向其他村的人员或数据，已拒收并记录。"
            )
        if parent.deleted:
            notes.append("parent_deleted")
    op = rec.operation
    operator = rec.payload.get("_operator")
    chash = content_hash(rec.payload)
    if op in (Operation.CREATE, Operation.REVERSE):
        if existing is not None:
            if existing.content_hash == chash:
                return _result(
                    rec,
                    ResultStatus.DUPLICATE,
                    "duplicate",
                    "县里已有内容相同的此记录。",
                    server_version=existing.version,
                )
            return _result(
                rec,
                ResultStatus.CONFLICT,
                "record_exists",
                "县里已有同一编号、内容不同的记录，未覆盖。请对照两边内容，由人工决定保留哪一份。",
                server_version=existing.version,
                server_payload=_content(existing.payload),
            )
        row = RecordRow(
            record_type=rtype,
            record_id=rec.record_id,
            village_code=device.village_code,
            version=1,
            payload=rec.payload,
            content_hash=chash,
            deleted=False,
            created_by_device=device.id,
            updated_by_device=device.id,
            operator=operator if isinstance(operator, str) else None,
            captured_at=_naive(rec.captured_at),
            received_at=now,
            updated_at=now,
            id_number=_id_number(rtype, rec.payload),
        )
        session.add(row)
        _remember_record(session, row)
        _after_write(session, row)
        code, message = "created", "县里已接收。"
        if "parent_deleted" in notes:
            code, message = "parent_deleted", "县里已接收；但所属人员已被县里删除，请与县社保局核对。"
        warning = _survival_after_death(session, rtype, rec.payload)
        if warning:
            code, message = "after_death", warning
        return _result(rec, ResultStatus.CREATED, code, message, server_version=1)
    # update / delete
    if existing is None:
        return _DeferredResult(
            change_id=rec.change_id,
            record_id=rec.record_id,
            status=ResultStatus.DEFERRED,
            code="waiting_parent",
            message="已送达县里，等待该记录的新建到达后自动入账，无需处理。",
            code_detail=(rtype, rec.record_id),
        )
    if existing.deleted:
        return _result(
            rec, ResultStatus.REJECTED, "record_deleted", "该记录在县里已被删除，修改未被接收。请与县社保局核对。"
        )
    if rtype in IMMUTABLE_TYPES:
        return _result(rec, ResultStatus.REJECTED, "immutable", "缴费、认证等记录不能修改，请录入一条冲正记录。")
    if rec.base_version is not None:
        if rec.base_version != existing.version:
            return _result(
                rec,
                ResultStatus.CONFLICT,
                "version_mismatch",
                "该记录在县里已被他人修改（版本不一致），未覆盖。请对照两边内容，由人工决定。",
                server_version=existing.version,
                server_payload=_content(existing.payload),
            )
    elif existing.updated_by_device != device.id:
        return _result(
            rec,
            ResultStatus.CONFLICT,
            "version_mismatch",
            "该记录最近一次由另一台电脑修改，未覆盖。请对照两边内容，由人工决定。",
            server_version=existing.version,
            server_payload=_content(existing.payload),
        )
    existing.version += 1
    existing.updated_by_device = device.id
    existing.updated_at = now
    existing.operator = operator if isinstance(operator, str) else existing.operator
    if op is Operation.DELETE:
        existing.deleted = True
    else:
        existing.payload = rec.payload
        existing.content_hash = chash
        existing.id_number = _id_number(rtype, rec.payload)
    session.flush()  # at once, also in the batch's fast path: from its check to its row lock, as short as ever
    _remember_record(session, existing)
    _after_write(session, existing)
    return _result(rec, ResultStatus.CREATED, "applied", "县里已接收此修改。", server_version=existing.version)


def _id_number(rtype: str, payload: dict[str, Any]) -> str | None:
    value = payload.get("id_number") if rtype == "person" else None
    return value[:18] if isinstance(value, str) else None


def _survival_after_death(session: Session, rtype: str, payload: dict[str, Any]) -> str | None:
    """A survival check dated on or after a known death: accepted (it is a fact) but flagged."""
    if rtype != "survival_check":
        return None
    person_id, checked_on = payload.get("person_id"), payload.get("checked_on")
    if not isinstance(person_id, str) or not isinstance(checked_on, str):
        return None
    if person_id in session.info.get("death_checked", ()) and person_id not in session.info.get("death_noticed", ()):
        return None  # the batch's preload found no death notice for this person, and none was matched since
    notice = session.scalar(select(DeathNotice).where(DeathNotice.person_id == person_id))
    if notice is not None and notice.death_date.isoformat() <= checked_on:
        return f"县里已接收；但民政死亡名单显示此人已于 {notice.death_date.isoformat()} 死亡，请核实该认证。"
    return None


def _after_write(session: Session, row: RecordRow) -> None:
    """Side effects of a person landing or changing: the village roster change, an earlier death notice."""
    if row.record_type != "person":
        return
    p = row.payload
    if row.deleted:
        publish(session, row.village_code, ChangeKind.ROSTER, row.record_id, ChangeOp.TOMBSTONE, {})
    else:
        publish(
            session,
            row.village_code,
            ChangeKind.ROSTER,
            row.record_id,
            ChangeOp.UPSERT,
            {
                "person_id": row.record_id,
                "name": p.get("name"),
                "id_number": p.get("id_number"),
                "status": p.get("status"),
                "version": row.version,
            },
        )
    if (
        row.id_number
        and not row.deleted
        and session.info.get("unmatched_deaths", True)
        and (
            row.id_number in session.info.get("id_numbers_unmatched", ())
            or row.id_number not in session.info.get("id_numbers_checked", ())
        )
    ):
        for notice in session.scalars(
            select(DeathNotice).where(DeathNotice.id_number == row.id_number, DeathNotice.person_id.is_(None))
        ):
            notice.person_id = row.record_id
            session.info.get("death_noticed", set()).add(row.record_id)
            notice.village_code = row.village_code
            publish_death_notice(session, notice)


def publish_death_notice(session: Session, notice: DeathNotice) -> None:
    """Send a matched death notice to its village."""
    publish(
        session,
        notice.village_code,
        ChangeKind.DEATH_NOTICE,
        notice.id,
        ChangeOp.UPSERT,
        {
            "notice_id": notice.id,
            "person_id": notice.person_id,
            "name": notice.name,
            "id_number": notice.id_number,
            "death_date": notice.death_date.isoformat(),
            "source": notice.source,
        },
    )


def _release_deferred(session: Session, rtype: str, record_id: str, now: datetime) -> None:
    """Apply the changes that were waiting for (rtype, record_id), and in turn those waiting for them."""
    queue = [(rtype, record_id)]
    while queue:
        waiting_type, waiting_id = queue.pop(0)
        waiting = session.scalars(
            select(DeferredChange)
            .where(DeferredChange.waiting_type == waiting_type, DeferredChange.waiting_id == waiting_id)
            .order_by(DeferredChange.received_at, DeferredChange.position)
        ).all()
        for d in waiting:
            device = session.get(Device, d.device_id)
            if device is None:  # pragma: no cover - devices are never deleted
                continue
            rec = PushRecord(
                change_id=d.change_id,
                record_type=d.record_type,
                record_id=d.record_id,
                operation=Operation(d.operation),
                payload=d.payload,
                base_version=d.base_version,
                captured_at=d.captured_at or now,
            )
            result = _apply_change(session, device, rec, now)
            received = session.get(ReceivedChange, d.change_id)
            if isinstance(result, _DeferredResult):
                d.waiting_type, d.waiting_id = result.code_detail
                session.info.setdefault("deferred_keys", set()).add(result.code_detail)
                continue
            session.delete(d)
            if received is not None:
                received.status = result.status.value
                received.code = result.code
                received.message = result.message
                received.server_version = result.server_version
            session.flush()
            if result.status is ResultStatus.CREATED:
                queue.append((d.record_type, d.record_id))


# --- Pull and summary --------------------------------------------------------------------------------------


def pull_changes(session: Session, device: Device, since: int, limit: int) -> PullResponse:
    """Changes for the device's village (and county-wide ones) after ``since``, in sequence order."""
    limit = max(1, min(limit, MAX_PULL_LIMIT))
    rows = session.scalars(
        select(ChangeRow)
        .where(
            ChangeRow.seq > since, or_(ChangeRow.village_code == device.village_code, ChangeRow.village_code.is_(None))
        )
        .order_by(ChangeRow.seq)
        .limit(limit + 1)
    ).all()
    has_more = len(rows) > limit
    rows = rows[:limit]
    changes = [
        Change(seq=r.seq, kind=ChangeKind(r.kind), key=r.key, op=ChangeOp(r.op), data=r.data, at=r.at) for r in rows
    ]
    next_cursor = rows[-1].seq if rows else since
    device.last_seen_at = utcnow()
    return PullResponse(epoch=meta(session).epoch, changes=changes, next_cursor=next_cursor, has_more=has_more)


def village_summary(session: Session, village_code: str) -> SummaryResponse:
    """Per record type: count and digest of the village's live records (property 15)."""
    by_type: dict[str, list[tuple[str, str]]] = {}
    for record_type, record_id, chash in session.execute(
        select(RecordRow.record_type, RecordRow.record_id, RecordRow.content_hash).where(
            RecordRow.village_code == village_code, RecordRow.deleted.is_(False)
        )
    ):
        by_type.setdefault(record_type, []).append((record_id, chash))
    types = {t: TypeSummary(count=len(items), digest=record_digest(items)) for t, items in sorted(by_type.items())}
    return SummaryResponse(epoch=meta(session).epoch, village_code=village_code, types=types)


@dataclass(frozen=True)
class EnrolResult:
    """What enrolment created."""

    device: Device
    token: str
    village: VillageRow


def new_device_id() -> str:
    """A device UUID."""
    return str(uuid.uuid4())
