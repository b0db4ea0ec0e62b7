"""The laptop's outbox state machine (同步待上传队列), sync-protocol.md property 7.

``pending → in_flight → accepted | rejected | conflict``:

* :func:`claim_batch` moves pending rows to ``in_flight`` under a new batch ID and commits that *before* anything
  is sent. Rows already in flight are re-sent first, unchanged, under their old batch ID: the server answers a
  batch ID it has seen with the stored response, so a lost answer or a killed laptop never duplicates anything.
* :func:`record_answer` changes states only from a server answer, in the transaction that stores the answer.
  A timeout changes nothing: the rows stay in flight and are re-sent as the same batch.
* An edit while a record is in flight is a new *pending* row (``services.recording.record_change`` appends one),
  so the record counts as pending again; in-flight rows are never rewritten, which keeps a re-send byte-identical.
* :func:`restart_for_new_epoch`: the server was restored from a backup, so everything not confirmed under the new
  epoch (accepted and in-flight rows) goes back to pending and is re-sent; the server answers ``duplicate`` for
  what it still has.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from pensiondesk.domain.codes import OutboxState
from pensiondesk.services.recording import snapshot
from pensiondesk.store.models import Base, OutboxEntry, Setting, utcnow
from pensiondesk.sync.protocol import (
    MAX_BATCH_RECORDS,
    MAX_BODY_BYTES,
    RECORD_PARENTS,
    PushRecord,
    PushResponse,
    ResultStatus,
)

#: Room kept in a batch for the envelope (batch ID, version, JSON punctuation).
_ENVELOPE_BYTES = 1024
CONFLICT_SETTING_PREFIX = "sync_conflict:"

_STATE_OF_RESULT = {
    ResultStatus.CREATED: OutboxState.ACCEPTED,
    ResultStatus.DUPLICATE: OutboxState.ACCEPTED,
    ResultStatus.DEFERRED: OutboxState.ACCEPTED,  # stored by the county; it applies it when the parent lands
    ResultStatus.CONFLICT: OutboxState.CONFLICT,
    ResultStatus.REJECTED: OutboxState.REJECTED,
}


@dataclass
class ClaimedBatch:
    """A batch ready to send: its ID and the records in outbox order."""

    batch_id: str
    records: list[PushRecord]
    resend: bool = False
    seqs: list[int] = field(default_factory=list)


def to_push_record(row: OutboxEntry) -> PushRecord:
    """The wire form of an outbox row (a pure function of the row, so a re-send is identical)."""
    return PushRecord(
        change_id=row.id,
        record_type=row.record_type,
        record_id=row.record_id,
        operation=row.operation,  # type: ignore[arg-type]
        payload=row.payload,
        base_version=row.base_version,
        captured_at=row.created_at.replace(tzinfo=UTC),
    )


def claim_batch(
    session: Session, *, max_records: int = MAX_BATCH_RECORDS, max_bytes: int = MAX_BODY_BYTES
) -> ClaimedBatch | None:
    """The next batch to send: the oldest in-flight batch again, else up to the limits of pending rows.

    The caller commits the session before sending (the rows must be ``in_flight`` before they leave).
    """
    in_flight_batch = session.scalar(
        select(OutboxEntry.batch_id)
        .where(OutboxEntry.state == OutboxState.IN_FLIGHT)
        .order_by(OutboxEntry.seq)
        .limit(1)
    )
    if in_flight_batch is not None:
        rows = session.scalars(
            select(OutboxEntry)
            .where(OutboxEntry.batch_id == in_flight_batch, OutboxEntry.state == OutboxState.IN_FLIGHT)
            .order_by(OutboxEntry.seq)
        ).all()
        for row in rows:
            row.attempts += 1
        return ClaimedBatch(in_flight_batch, [to_push_record(r) for r in rows], resend=True, seqs=[r.seq for r in rows])
    rows = session.scalars(
        select(OutboxEntry).where(OutboxEntry.state == OutboxState.PENDING).order_by(OutboxEntry.seq).limit(max_records)
    ).all()
    if not rows:
        return None
    batch_id = str(uuid.uuid4())
    chosen: list[OutboxEntry] = []
    records: list[PushRecord] = []  # built once: sized here, sent as they are
    size = _ENVELOPE_BYTES
    for row in rows:
        record = to_push_record(row)
        row_size = len(record.model_dump_json().encode("utf-8")) + 1
        if chosen and size + row_size > max_bytes:
            break
        size += row_size
        chosen.append(row)
        records.append(record)
    for row in chosen:
        row.state = OutboxState.IN_FLIGHT
        row.batch_id = batch_id
        row.attempts += 1
    return ClaimedBatch(batch_id, records, seqs=[r.seq for r in chosen])


def record_answer(session: Session, response: PushResponse) -> dict[str, int]:
    """Apply a server answer to the in-flight rows of its batch; returns counts by new state.

    Only rows still in flight under this batch ID change, so an answer that arrives twice (a replay, or a
    network answer after the USB acknowledgement) is harmless.
    """
    counts: dict[str, int] = {}
    received = (
        response.received_at.astimezone(UTC).replace(tzinfo=None)
        if response.received_at.tzinfo
        else response.received_at
    )
    in_flight = {
        row.id: row
        for row in session.scalars(
            select(OutboxEntry).where(
                OutboxEntry.batch_id == response.batch_id, OutboxEntry.state == OutboxState.IN_FLIGHT
            )
        )
    }
    for result in response.results:
        row = in_flight.get(result.change_id)
        if row is None:
            continue
        state = _STATE_OF_RESULT[result.status]
        row.state = state
        row.result_code = result.code[:32]
        row.result_message = result.message[:500]
        row.server_received_at = received
        if state is OutboxState.CONFLICT:
            session.merge(
                Setting(
                    key=CONFLICT_SETTING_PREFIX + row.id,
                    value={"server_version": result.server_version, "server_payload": result.server_payload},
                )
            )
        counts[state.value] = counts.get(state.value, 0) + 1
    return counts


def restart_for_new_epoch(session: Session) -> int:
    """Everything not confirmed under the new server epoch goes back to pending; returns how many rows."""
    result = session.execute(
        update(OutboxEntry)
        .where(OutboxEntry.state.in_([OutboxState.ACCEPTED, OutboxState.IN_FLIGHT]))
        .values(state=OutboxState.PENDING, batch_id=None)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def counts_by_state(session: Session) -> dict[str, int]:
    """Number of outbox rows in each state."""
    rows = session.execute(select(OutboxEntry.state, func.count()).group_by(OutboxEntry.state)).all()
    return {OutboxState(state).value: int(n) for state, n in rows}


def problems(session: Session) -> list[OutboxEntry]:
    """Rejected and conflicting rows, oldest first: each needs a person."""
    return list(
        session.scalars(
            select(OutboxEntry)
            .where(OutboxEntry.state.in_([OutboxState.REJECTED, OutboxState.CONFLICT]))
            .order_by(OutboxEntry.seq)
        )
    )


def conflict_detail(session: Session, row: OutboxEntry) -> dict[str, Any]:
    """The county's side of a conflict (its version and content) as stored with the answer."""
    setting = session.get(Setting, CONFLICT_SETTING_PREFIX + row.id)
    return dict(setting.value) if setting is not None and isinstance(setting.value, dict) else {}


# --- Baseline: records that existed before this laptop enrolled -------------------------------------------


def enqueue_baseline(session: Session, operator: str = "system") -> int:
    """Queue a ``create`` for every syncable record that has never been queued (data from before enrolment).

    Parents are queued before children (``RECORD_PARENTS`` order); nothing is written to the audit log, since
    nothing changed.
    """
    tables = {mapper.local_table.name: mapper.class_ for mapper in Base.registry.mappers}  # type: ignore[attr-defined]
    queued = set(session.scalars(select(OutboxEntry.record_id)))
    now = utcnow()
    n = 0
    for record_type in RECORD_PARENTS:
        model = tables.get(record_type)
        if model is None:
            continue
        for obj in session.scalars(select(model)):
            record_id = obj.id
            if record_id in queued:
                continue
            payload = snapshot(obj)
            session.add(
                OutboxEntry(
                    record_type=record_type,
                    record_id=record_id,
                    operation="create",
                    payload={**payload, "_operator": operator},
                    base_version=None,
                    state=OutboxState.PENDING,
                    created_at=now,
                    updated_at=now,
                )
            )
            n += 1
        session.flush()
    return n


# --- Resolving a conflict (a person decides, side by side) ------------------------------------------------


def resolve_conflict(session: Session, outbox_id: str, *, keep: str, operator: str) -> None:
    """Close a conflict: ``keep="county"`` takes the county's content into the local record; ``keep="laptop"``
    re-sends the laptop's content as a deliberate change on top of the county's version."""
    row = session.scalar(select(OutboxEntry).where(OutboxEntry.id == outbox_id))
    if row is None or row.state != OutboxState.CONFLICT:
        raise ValueError("该记录不是待处理的冲突")
    detail = conflict_detail(session, row)
    server_version = detail.get("server_version")
    tables = {mapper.local_table.name: mapper.class_ for mapper in Base.registry.mappers}  # type: ignore[attr-defined]
    model = tables.get(row.record_type)
    obj = session.get(model, row.record_id) if model is not None else None
    if keep == "county":
        server_payload = detail.get("server_payload") or {}
        if obj is not None and server_payload:
            _assign(obj, server_payload)
            if hasattr(obj, "version") and isinstance(server_version, int):
                obj.version = server_version
        row.result_code = "resolved_county"
    elif keep == "laptop":
        payload = dict(row.payload)
        if obj is not None:
            payload = {**snapshot(obj), "_operator": operator}
            if hasattr(obj, "version") and isinstance(server_version, int):
                obj.version = server_version + 1
                payload["version"] = obj.version
        session.add(
            OutboxEntry(
                record_type=row.record_type,
                record_id=row.record_id,
                operation="update" if row.operation != "delete" else "delete",
                payload=payload,
                base_version=server_version if isinstance(server_version, int) else None,
            )
        )
        row.result_code = "resolved_laptop"
    else:
        raise ValueError(keep)
    row.state = OutboxState.ACCEPTED
    row.result_message = f"冲突已由 {operator} 处理（保留{'县里' if keep == 'county' else '本机'}的内容）"
    setting = session.get(Setting, CONFLICT_SETTING_PREFIX + row.id)
    if setting is not None:
        session.delete(setting)


def _assign(obj: Any, payload: dict[str, Any]) -> None:
    """Copy JSON values onto a mapped object, converting dates and coded values back by column type."""
    from sqlalchemy import inspect as sa_inspect

    mapper = sa_inspect(obj).mapper
    for attr in mapper.column_attrs:
        key = attr.key
        if key not in payload or key in ("id",):
            continue
        value = payload[key]
        column = attr.columns[0]
        try:
            python_type = column.type.python_type
        except NotImplementedError:
            python_type = object
        if value is not None:
            if python_type is date and isinstance(value, str):
                value = date.fromisoformat(value)
            elif python_type is datetime and isinstance(value, str):
                value = datetime.fromisoformat(value)
            elif hasattr(column.type, "enum_class") and column.type.enum_class is not None:
                value = column.type.enum_class(value)
        setattr(obj, key, value)


def payload_size(record: PushRecord) -> int:
    """Bytes of a record on the wire."""
    return len(json.dumps(record.model_dump(mode="json"), ensure_ascii=False).encode("utf-8"))
