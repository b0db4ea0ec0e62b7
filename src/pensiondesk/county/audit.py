"""Checking a village laptop's audit chain head (审计链头核对) and the alerts it raises.

Each sync (and each USB batch file) carries the laptop's audit chain head and its recomputed chain hash at every
``seq`` where the county saw a head before (``sync.audit_head``). The county keeps the heads per device
(``audit_head``) and compares:

* ``tampered`` (篡改) — the laptop's chain no longer gives the hash the county saw at some seq it still has (an
  entry the county had seen was edited or deleted), or the laptop's own stored hashes do not match its entries;
* ``rolled_back`` (回退) — every head the laptop still covers matches, but its chain ends before the newest head the
  county saw: the newest entries are gone; or the heads differ only above the newest checkpoint this database had
  been told of (``known_seq``), i.e. the database is older than the one that reported them and has new entries.
  A laptop restored from an older backup looks exactly like this, and so does deleting the newest entries or
  emptying the log; the county cannot tell them apart, so it records an alert of this milder kind and a person
  checks (a restore is normal, a deletion is not);
* ``ok`` — the chain continues every head the county saw.

An alert stays open until an administrator closes it (``pensiondesk-county audit-alerts --resolve``); while it is
open the laptop is told so and shows a warning. After an alert the earlier heads are marked superseded and the new
head becomes the baseline, so the same event is reported once and later syncs are compared with the chain as it
now is. Nothing else about the sync changes: the data still flows.
"""

from __future__ import annotations

import logging

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from pensiondesk.county.models import AuditAlert, AuditHeadRow, Device, utcnow
from pensiondesk.sync.protocol import AUDIT_MAX_CHECKPOINTS, AuditHeadAnswer, AuditHeadReport, AuditStatus

log = logging.getLogger("pensiondesk.county")

KIND_LABELS = {AuditStatus.TAMPERED.value: "篡改", AuditStatus.ROLLED_BACK.value: "回退"}


def _live_heads(session: Session, device_id: str) -> list[AuditHeadRow]:
    return list(
        session.scalars(
            select(AuditHeadRow)
            .where(AuditHeadRow.device_id == device_id, AuditHeadRow.superseded.is_(False))
            .order_by(AuditHeadRow.seq, AuditHeadRow.id)
        )
    )


def checkpoints_for(session: Session, device_id: str) -> list[int]:
    """The seqs at which the laptop should report its chain hash: the newest heads the county holds."""
    seqs = sorted({h.seq for h in _live_heads(session, device_id)})
    return seqs[-AUDIT_MAX_CHECKPOINTS:]


def open_alerts(session: Session, device_id: str) -> int:
    """How many of a device's audit alerts are not closed yet."""
    count = session.scalar(
        select(func.count()).where(AuditAlert.device_id == device_id, AuditAlert.resolved_at.is_(None))
    )
    return int(count or 0)


def judge(heads: list[AuditHeadRow], report: AuditHeadReport) -> tuple[AuditStatus, str]:
    """The verdict on ``report`` against the heads the county saw, with a Chinese explanation."""
    if report.broken_seq is not None:
        return AuditStatus.TAMPERED, f"本机审计日志第 {report.broken_seq} 条与前后记录对不上（被改动过）。"
    given = {c.seq: c.hash for c in report.checkpoints}
    given[report.head_seq] = report.head_hash
    latest = heads[-1] if heads else None
    mismatched = [h for h in heads if h.seq <= report.head_seq and h.seq in given and given[h.seq] != h.hash]
    if mismatched:
        first = mismatched[0]
        known = report.known_seq
        if known is not None and latest is not None and known < latest.seq and first.seq > known:
            # Every head up to the last one this database was told of still holds; it differs only after that:
            # the database is older than the one that reported those heads, and has new entries since.
            return (
                AuditStatus.ROLLED_BACK,
                f"本机数据库比县里第 {first.seq} 条时收到的旧：第 {known} 条以前一致，之后县里收到过的"
                f"审计记录在本机已不同（县里收到到第 {latest.seq} 条，本机现在到第 {report.head_seq} 条）。"
                "如果本机从备份恢复过，这是恢复造成的，请告知县社保局核实。",
            )
        return (
            AuditStatus.TAMPERED,
            f"县里收到过的第 {first.seq} 条及以前的审计记录，在本机已被改动或删除"
            f"（县里当时收到 {first.count} 条，本机现在共 {report.count} 条）。",
        )
    if latest is not None and report.head_seq < latest.seq:
        return (
            AuditStatus.ROLLED_BACK,
            f"县里已收到到第 {latest.seq} 条审计记录（共 {latest.count} 条），本机现在只到第 {report.head_seq} 条"
            f"（共 {report.count} 条），较新的记录不见了。如果本机刚从备份恢复，这是恢复造成的，请告知县社保局核实。",
        )
    return AuditStatus.OK, "审计日志与县里上次收到的一致。"


def check_audit_head(
    session: Session, device: Device, report: AuditHeadReport, *, via_file: bool = False
) -> AuditHeadAnswer:
    """Compare, record the head (and an alert if the chain does not hold), in the caller's transaction."""
    heads = _live_heads(session, device.id)
    status, message = judge(heads, report)
    if status != AuditStatus.OK:
        detail = f"{message}（本机报告：第 {report.head_seq} 条，共 {report.count} 条，链头 {report.head_hash[:12]}）"
        log.warning("audit alert: %s device=%s village=%s %s", status, device.id, device.village_code, detail)
        if not _already_open(session, device, status, message):
            session.add(
                AuditAlert(
                    device_id=device.id,
                    village_code=device.village_code,
                    kind=status.value,
                    detail=detail[:1000],
                    via_file=via_file,
                )
            )
        session.execute(update(AuditHeadRow).where(AuditHeadRow.device_id == device.id).values(superseded=True))
        heads = []
    if report.head_seq > 0 and not any(h.seq == report.head_seq and h.hash == report.head_hash for h in heads):
        session.add(
            AuditHeadRow(
                device_id=device.id,
                seq=report.head_seq,
                hash=report.head_hash,
                count=report.count,
                seen_at=utcnow(),
                via_file=via_file,
            )
        )
    session.flush()
    return AuditHeadAnswer(
        status=status,
        message=message,
        alerts_open=open_alerts(session, device.id),
        checkpoints=checkpoints_for(session, device.id),
    )


def _already_open(session: Session, device: Device, status: AuditStatus, message: str) -> bool:
    """The same finding is still open (a locally broken chain stays broken until someone repairs it)."""
    rows = session.scalars(
        select(AuditAlert.detail).where(
            AuditAlert.device_id == device.id, AuditAlert.kind == status.value, AuditAlert.resolved_at.is_(None)
        )
    )
    return any(detail.startswith(message) for detail in rows)


def list_alerts(
    session: Session, *, include_resolved: bool = False, village_code: str | None = None
) -> list[AuditAlert]:
    """Audit alerts, newest first (open ones only unless ``include_resolved``)."""
    query = select(AuditAlert).order_by(AuditAlert.id.desc())
    if not include_resolved:
        query = query.where(AuditAlert.resolved_at.is_(None))
    if village_code:
        query = query.where(AuditAlert.village_code == village_code)
    return list(session.scalars(query))


class AlertNotFound(Exception):
    """No such alert; ``user_message`` in Chinese."""

    def __init__(self, alert_id: int) -> None:
        super().__init__(alert_id)
        self.user_message = f"没有编号为 {alert_id} 的审计提醒（用 pensiondesk-county audit-alerts --all 查看）。"


def resolve_alert(session: Session, alert_id: int, by: str, note: str) -> AuditAlert:
    """Close an alert after a person checked it (the laptop's warning goes away at its next sync)."""
    alert = session.get(AuditAlert, alert_id)
    if alert is None:
        raise AlertNotFound(alert_id)
    alert.resolved_at = utcnow()
    alert.resolved_by = by[:64]
    alert.resolution = note[:500]
    return alert
