"""Importing a village's USB batch file at the county (U盘同步文件导入) and writing the signed acknowledgement.

Encrypted files are opened with the key derived from the county's and the device's enrolment keys
(``sync.filecrypt``); the audit chain head the file carries is checked like a network sync's (``county.audit``).

The batch goes through :func:`pensiondesk.county.store.push_batch`, exactly like a network push, in the caller's
transaction together with the device's file sequence number, so a file is applied once and only once.
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import ValidationError
from sqlalchemy.orm import Session

from pensiondesk.county.audit import check_audit_head
from pensiondesk.county.models import Device
from pensiondesk.county.store import meta, push_batch, security_event
from pensiondesk.sync.batchfile import (
    ACK_FORMAT,
    BATCH_FORMAT,
    SEALED_ACK_FORMAT,
    SEALED_BATCH_FORMAT,
    BatchFileError,
    check_signed,
    read_transfer_file,
    signed_document,
    unseal,
)
from pensiondesk.sync.filecrypt import TO_COUNTY, TO_LAPTOP, file_key, is_sealed, seal
from pensiondesk.sync.protocol import AuditHeadReport, PushRequest


def import_batch_file(session: Session, path: Path, ack_path: Path) -> str:
    """Verify and apply one batch file and write its acknowledgement to ``<ack>.part``; returns a summary.

    The caller renames ``.part`` to the final name only after its transaction committed (see
    :func:`finish_ack`), so an acknowledgement never exists for a batch the county did not keep. An encrypted
    batch file gets an encrypted acknowledgement, an old plain one a plain acknowledgement.
    """
    raw = read_transfer_file(path)
    device = session.get(Device, str(raw.get("device_id")))
    if device is None:
        raise BatchFileError("文件中的设备未在本县登记，已拒绝。")
    server_key = meta(session).private_key
    sealed = is_sealed(raw)
    try:
        if sealed:
            key = file_key(server_key, device.public_key, device.id, TO_COUNTY) if device.public_key else None
            raw = unseal(raw, key, SEALED_BATCH_FORMAT)
        doc = check_signed(raw, device.public_key, BATCH_FORMAT)
    except BatchFileError:
        security_event(session, device, "bad_batch_file", f"decryption or signature check failed for {path.name}")
        session.commit()
        raise
    if device.revoked_at is not None:
        raise BatchFileError("该设备的同步授权已被撤销，文件已拒绝。")
    seq = int(doc.get("file_seq", 0))
    if seq <= device.file_seq:
        security_event(session, device, "replayed_batch_file", f"file_seq {seq} <= {device.file_seq}")
        session.commit()
        raise BatchFileError(f"该文件（序号 {seq}）已导入过或早于已导入的文件，已拒绝（防止重复导入）。")
    try:
        request = PushRequest.model_validate(doc["request"])
        report = AuditHeadReport.model_validate(doc["audit"]) if isinstance(doc.get("audit"), dict) else None
    except (KeyError, ValidationError) as exc:
        raise BatchFileError(f"同步文件的内容格式不对，已拒绝：{exc}") from exc
    response = push_batch(session, device, request, via_file=True)
    device.file_seq = seq
    ack = {"format": ACK_FORMAT, "device_id": device.id, "file_seq": seq, "response": response.model_dump(mode="json")}
    audit_note = ""
    if report is not None:
        verdict = check_audit_head(session, device, report, via_file=True)
        ack["audit"] = verdict.model_dump(mode="json")
        if verdict.status.value != "ok":
            audit_note = f"；注意：该村电脑的审计日志与县里上次收到的不一致（{verdict.message}），已记入审计提醒"
    signed = signed_document(ack, server_key)
    if sealed and device.public_key:
        signed = seal(
            signed, file_key(server_key, device.public_key, device.id, TO_LAPTOP), SEALED_ACK_FORMAT, device.id, seq
        )
    ack_path.parent.mkdir(parents=True, exist_ok=True)
    partial_ack(ack_path).write_text(json.dumps(signed, ensure_ascii=False), encoding="utf-8")
    counts: dict[str, int] = {}
    for r in response.results:
        counts[r.status.value] = counts.get(r.status.value, 0) + 1
    return f"已导入 {len(response.results)} 条（{counts}），回执已写入 {ack_path}{audit_note}"


def partial_ack(ack_path: Path) -> Path:
    """Where the acknowledgement waits until the transaction has committed."""
    return ack_path.with_name(ack_path.name + ".part")


def finish_ack(ack_path: Path) -> None:
    """Give the committed acknowledgement its final name."""
    partial_ack(ack_path).replace(ack_path)
