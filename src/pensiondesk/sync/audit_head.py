"""The audit chain head that travels with every sync (审计链头随同步上报).

The laptop recomputes its hash chain from the entries as they are now — not from the stored ``hash`` column, which
someone editing the file could leave as it was — and reports the head (newest ``seq`` and hash) and the hash at each
``seq`` where the county saw a head before (checkpoints). The county compares (``county.audit``): an edited or
deleted entry the county has already seen changes the hash at every later checkpoint; a shorter chain goes
backwards. The county's answer is kept in ``setting`` rows so the warning shows offline (同步 page, ``sync status``)
and so a USB batch file can cover the same checkpoints.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from json.encoder import encode_basestring

from sqlalchemy.orm import Session

from pensiondesk.services.recording import canonical
from pensiondesk.store.models import Setting
from pensiondesk.sync.protocol import (
    AUDIT_MAX_CHECKPOINTS,
    AuditCheckpoint,
    AuditHeadAnswer,
    AuditHeadReport,
    AuditStatus,
)

#: ``setting`` keys: the seqs the county last asked for, and its last verdict (status, message, alerts open).
CHECKPOINTS_SETTING = "sync_audit_checkpoints"
VERDICT_SETTING = "sync_audit_verdict"


def chain_report(session: Session, checkpoints: list[int]) -> AuditHeadReport:
    """Recompute the chain in one pass and report its head, the hash at each checkpoint and the first broken link.

    Reads the stored text and rebuilds each entry's canonical JSON (what ``services.recording`` hashes) with the
    keys in their sorted order, so the whole log is hashed in one quick pass (a few seconds for 100,000 entries).
    """
    wanted = sorted({s for s in checkpoints if s >= 0})[-AUDIT_MAX_CHECKPOINTS:]
    at_checkpoint: dict[int, str] = {}
    rows = session.connection().exec_driver_sql(
        "SELECT seq, id, at, user, action, entity_type, entity_id, before, after, reason, prev_hash, hash "
        "FROM audit_entry ORDER BY seq"
    )
    prev = ""
    head_seq = 0
    count = 0
    broken: int | None = None
    i = 0
    for seq, entry_id, at, user, action, entity_type, entity_id, before, after, reason, prev_hash, stored in rows:
        while i < len(wanted) and wanted[i] < seq:
            at_checkpoint[wanted[i]] = prev
            i += 1
        content = (
            f'{{"action":{_text(action)},"after":{_json(after)},"at":{_moment(at)},"before":{_json(before)},'
            f'"entity_id":{_text(entity_id)},"entity_type":{_text(entity_type)},"id":{_text(entry_id)},'
            f'"reason":{_text(reason)},"user":{_text(user)}}}'
        )
        digest = hashlib.sha256((prev + content).encode("utf-8")).hexdigest()
        if broken is None and ((prev_hash or "") != prev or stored != digest):
            broken = int(seq)
        prev = digest
        head_seq = int(seq)
        count += 1
    for seq in wanted[i:]:
        if seq <= head_seq:
            at_checkpoint[seq] = prev
    return AuditHeadReport(
        head_seq=head_seq,
        head_hash=prev,
        count=count,
        checkpoints=[AuditCheckpoint(seq=s, hash=h) for s, h in sorted(at_checkpoint.items())],
        broken_seq=broken,
        known_seq=max(known_checkpoints(session), default=None),
    )


def _text(value: str | None) -> str:
    return "null" if value is None else encode_basestring(value)


def _json(stored: str | bytes | None) -> str:
    """Stored JSON text in canonical form; text that is not JSON is hashed as the string it is (so it breaks)."""
    if stored is None:
        return "null"
    try:
        return canonical(json.loads(stored))
    except ValueError:
        return _text(stored if isinstance(stored, str) else stored.decode("utf-8", "replace"))


def _moment(stored: str | None) -> str:
    """A stored DateTime as ``jsonable`` gives it (ISO format)."""
    if stored is None:
        return "null"
    try:
        return _text(datetime.fromisoformat(stored).isoformat())
    except (TypeError, ValueError):
        return _text(str(stored))


def known_checkpoints(session: Session) -> list[int]:
    """The seqs the county asked for last time (handshake or acknowledgement file)."""
    row = session.get(Setting, CHECKPOINTS_SETTING)
    value = row.value if row is not None else None
    return [int(v) for v in value if isinstance(v, int)] if isinstance(value, list) else []


def remember_verdict(session: Session, answer: AuditHeadAnswer) -> None:
    """Keep the county's verdict and its next checkpoints (in the caller's transaction)."""
    session.merge(Setting(key=CHECKPOINTS_SETTING, value=list(answer.checkpoints)))
    session.merge(
        Setting(
            key=VERDICT_SETTING,
            value={"status": answer.status.value, "message": answer.message, "alerts_open": answer.alerts_open},
        )
    )


def audit_warning(session: Session) -> str | None:
    """The warning to show while the county holds an open audit alert for this laptop, else ``None``."""
    row = session.get(Setting, VERDICT_SETTING)
    value = row.value if row is not None else None
    if not isinstance(value, dict):
        return None
    return warning_text(
        str(value.get("status") or ""), str(value.get("message") or ""), int(value.get("alerts_open") or 0)
    )


def warning_text(status: str, message: str, alerts_open: int) -> str | None:
    """The coordinator's warning for a verdict (``None`` when all is well)."""
    if status == AuditStatus.OK and alerts_open == 0:
        return None
    if status == AuditStatus.OK:
        return f"县社保局记录了本机审计日志的 {alerts_open} 条异常提醒，尚未核实关闭，请联系县社保局。"
    return f"审计日志与县里上次收到的不一致：{message} 请联系县社保局。"
