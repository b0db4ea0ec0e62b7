"""Recording a change (留痕): the audit entry and the sync outbox row, written in the use case's own transaction.

Every use case that changes data calls ``record_change`` once per changed record before its transaction commits, so
the change, its audit entry (who, when, what, before/after, why) and its outbox row (what to send to the county)
are one atomic unit (sync-protocol.md §1). Audit entries are hash-chained: each entry's hash covers the previous
entry's hash and the entry's own canonical content, so an edit or deletion anywhere breaks the chain from there on.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from pensiondesk.domain.codes import UserRole
from pensiondesk.store.models import AuditEntry, OutboxEntry, new_uuid, utcnow


@dataclass(frozen=True)
class Actor:
    """Who is doing the work (操作员): recorded on every change, separately from the device."""

    username: str
    role: UserRole = UserRole.COORDINATOR
    display_name: str = ""


SYSTEM = Actor("system", UserRole.ADMIN, "系统")


def jsonable(value: Any) -> Any:
    """A JSON-safe form of a column value: dates as ISO text, enums as their code, Decimal as text."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    return value


def snapshot(obj: object, *, exclude: frozenset[str] = frozenset()) -> dict[str, Any]:
    """The column values of a mapped object, JSON-safe (relationships are not followed)."""
    mapper = inspect(obj).mapper
    return {attr.key: jsonable(getattr(obj, attr.key)) for attr in mapper.column_attrs if attr.key not in exclude}


def canonical(data: Any) -> str:
    """Canonical JSON: sorted keys, no spaces, UTF-8 kept; the form that is hashed."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def audit_hash(prev_hash: str | None, entry: dict[str, Any]) -> str:
    """SHA-256 over the previous hash and the entry's canonical content."""
    return hashlib.sha256(((prev_hash or "") + canonical(entry)).encode("utf-8")).hexdigest()


def _audit_content(e: AuditEntry) -> dict[str, Any]:
    return {
        "id": e.id,
        "at": jsonable(e.at),
        "user": e.user,
        "action": e.action,
        "entity_type": e.entity_type,
        "entity_id": e.entity_id,
        "before": e.before,
        "after": e.after,
        "reason": e.reason,
    }


def record_change(
    session: Session,
    *,
    actor: Actor,
    action: str,
    entity_type: str,
    entity_id: str,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    reason: str | None = None,
    operation: str | None = None,
    sync: bool = True,
    base_version: int | None = None,
) -> AuditEntry:
    """Append the audit entry and, unless ``sync`` is false, the outbox row for one changed record.

    ``operation`` defaults to create/update/delete from which of before/after is present. The outbox payload is
    ``after`` (the record as it now is), or the last known state for a delete.
    """
    session.flush()  # the change itself gets its defaults before we snapshot around it
    prev_hash = session.scalar(select(AuditEntry.hash).order_by(AuditEntry.seq.desc()).limit(1))
    entry = AuditEntry(
        id=new_uuid(),
        at=utcnow(),
        user=actor.username,
        action=action,
        entity_type=entity_type,
        entity_id=entity_id,
        before=jsonable(before) if before is not None else None,
        after=jsonable(after) if after is not None else None,
        reason=reason,
        prev_hash=prev_hash,
    )
    entry.hash = audit_hash(prev_hash, _audit_content(entry))
    session.add(entry)
    if sync:
        op = operation or ("create" if before is None else "delete" if after is None else "update")
        payload = jsonable(after if after is not None else before) or {}
        session.add(
            OutboxEntry(
                record_type=entity_type,
                record_id=entity_id,
                operation=op,
                payload={**payload, "_operator": actor.username},
                base_version=base_version,
            )
        )
    return entry


def verify_audit_chain(session: Session) -> int | None:
    """The ``seq`` of the first entry whose link is broken, or ``None`` when the whole chain holds."""
    prev: str | None = None
    for e in session.scalars(select(AuditEntry).order_by(AuditEntry.seq)):
        if e.prev_hash != prev or e.hash != audit_hash(prev, _audit_content(e)):
            return e.seq
        prev = e.hash
    return None
