"""Importing a village's USB batch file at the county (U盘同步文件导入) and writing the signed acknowledgement.

The batch goes through :func:`pensiondesk.county.store.push_batch`, exactly like a network push, in the caller's
transaction together with the device's file sequence number, so a file is applied once and only once.
"""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy.orm import Session

from pensiondesk.county.models import Device
from pensiondesk.county.store import meta, push_batch, security_event
from pensiondesk.sync.batchfile import ACK_FORMAT, BATCH_FORMAT, BatchFileError, read_signed, signed_document
from pensiondesk.sync.protocol import PushRequest


def import_batch_file(session: Session, path: Path, ack_path: Path) -> str:
    """Verify and apply one batch file and write its acknowledgement to ``<ack>.part``; returns a summary.

    The caller renames ``.part`` to the final name only after its transaction committed (see
    :func:`finish_ack`), so an acknowledgement never exists for a batch the county did not keep.
    """
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BatchFileError(f"无法读取文件 {path}：{exc}") from exc
    device = session.get(Device, str(raw.get("device_id"))) if isinstance(raw, dict) else None
    if device is None:
        raise BatchFileError("文件中的设备未在本县登记，已拒绝。")
    try:
        doc = read_signed(path, device.public_key, BATCH_FORMAT)
    except BatchFileError:
        security_event(session, device, "bad_batch_file", f"signature check failed for {path.name}")
        session.commit()
        raise
    if device.revoked_at is not None:
        raise BatchFileError("该设备的同步授权已被撤销，文件已拒绝。")
    seq = int(doc.get("file_seq", 0))
    if seq <= device.file_seq:
        security_event(session, device, "replayed_batch_file", f"file_seq {seq} <= {device.file_seq}")
        session.commit()
        raise BatchFileError(f"该文件（序号 {seq}）已导入过或早于已导入的文件，已拒绝（防止重复导入）。")
    request = PushRequest.model_validate(doc["request"])
    response = push_batch(session, device, request, via_file=True)
    device.file_seq = seq
    ack = {"format": ACK_FORMAT, "device_id": device.id, "file_seq": seq, "response": response.model_dump(mode="json")}
    ack_path.parent.mkdir(parents=True, exist_ok=True)
    partial_ack(ack_path).write_text(
        json.dumps(signed_document(ack, meta(session).private_key), ensure_ascii=False), encoding="utf-8"
    )
    counts: dict[str, int] = {}
    for r in response.results:
        counts[r.status.value] = counts.get(r.status.value, 0) + 1
    return f"已导入 {len(response.results)} 条（{counts}），回执已写入 {ack_path}"


def partial_ack(ack_path: Path) -> Path:
    """Where the acknowledgement waits until the transaction has committed."""
    return ack_path.with_name(ack_path.name + ".part")


def finish_ack(ack_path: Path) -> None:
    """Give the committed acknowledgement its final name."""
    partial_ack(ack_path).replace(ack_path)
