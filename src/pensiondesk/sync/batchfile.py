"""Offline transfer by USB stick (U盘离线传输), sync-protocol.md property 16.

``pensiondesk sync export --out FILE`` writes the next batch (the in-flight one again if it was never answered)
as a signed, sequence-numbered file; ``pensiondesk-county import-batch FILE --ack OUT`` applies it through the same
``push_batch`` as the network (same exactly-once rules) and writes a signed acknowledgement;
``pensiondesk sync import-ack FILE`` applies the answer. Signatures are Ed25519 (``sync.signing``): the laptop's key
pair is made at enrolment (the county holds its public key), the county's public key comes with the enrolment.

Refused: a file whose signature does not verify (tampered, or signed by another device), a batch file whose
sequence number is not above the last one imported from that device (replayed), an acknowledgement for another
device or one already imported.

Encrypted (``sync.filecrypt``): the signed document travels inside an AES-256-GCM envelope (``pensiondesk-batch/2``,
``pensiondesk-ack/2``) under a key only this laptop and the county can derive, so a lost stick shows no ID number or
name. New files are always encrypted; plain ``/1`` files of older laptops are still read, and the county answers a
plain batch file with a plain acknowledgement (an older laptop could not open a sealed one).

Each batch file also carries the audit chain head (``sync.audit_head``) for the checkpoints the laptop last heard of;
the acknowledgement brings the county's verdict back.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from pensiondesk.store.db import Database
from pensiondesk.store.models import Setting, SyncState, utcnow
from pensiondesk.sync import outbox
from pensiondesk.sync.audit_head import chain_report, known_checkpoints, remember_verdict
from pensiondesk.sync.filecrypt import TO_COUNTY, TO_LAPTOP, FileDecryptError, file_key, is_sealed, open_sealed, seal
from pensiondesk.sync.protocol import PROTOCOL_VERSION, AuditHeadAnswer, PushRequest, PushResponse, canonical_json
from pensiondesk.sync.signing import sign, verify

#: The signed documents, and the encrypted envelopes that carry them (the ``/2`` formats).
BATCH_FORMAT = "pensiondesk-batch/1"
ACK_FORMAT = "pensiondesk-ack/1"
SEALED_BATCH_FORMAT = "pensiondesk-batch/2"
SEALED_ACK_FORMAT = "pensiondesk-ack/2"
LAST_ACK_SETTING = "sync_last_ack_seq"


class BatchFileError(Exception):
    """A transfer file is refused; ``user_message`` says why in Chinese."""

    def __init__(self, user_message: str) -> None:
        super().__init__(user_message)
        self.user_message = user_message


def signed_document(body: dict[str, Any], private_key: str) -> dict[str, Any]:
    """``body`` plus the signature of its canonical JSON."""
    return {**body, "signature": sign(private_key, canonical_json(body).encode("utf-8"))}


def read_transfer_file(path: Path) -> dict[str, Any]:
    """The parsed JSON of a transfer file (an encrypted envelope or an old plain document)."""
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BatchFileError(f"无法读取文件 {path}：{exc}") from exc
    if not isinstance(doc, dict):
        raise BatchFileError("文件格式不对：这不是本程序的同步文件或回执文件。")
    return doc


def unseal(envelope: dict[str, Any], key: bytes | None, sealed_format: str) -> dict[str, Any]:
    """The signed document inside an envelope, checked against the envelope's device and sequence number."""
    if envelope.get("format") != sealed_format:
        raise BatchFileError("文件格式不对：这不是本程序的同步文件或回执文件。")
    try:
        if key is None:
            raise FileDecryptError("no key")
        doc = open_sealed(envelope, key)
    except FileDecryptError as exc:
        raise BatchFileError(
            "文件无法解密：它不是写给这台电脑（或县级服务器）的，或者文件已损坏/被改动，已拒绝。"
        ) from exc
    if doc.get("device_id") != envelope.get("device_id") or doc.get("file_seq") != envelope.get("file_seq"):
        raise BatchFileError("文件内外的设备或序号不一致，文件可能被改动过，已拒绝。")
    return doc


def read_signed(path: Path, public_key: str | None, expected_format: str) -> dict[str, Any]:
    """Parse a plain transfer file and check its format and signature; returns the body without the signature."""
    return check_signed(read_transfer_file(path), public_key, expected_format)


def check_signed(doc: dict[str, Any], public_key: str | None, expected_format: str) -> dict[str, Any]:
    """Check a transfer document's format and signature; returns the body without the signature."""
    doc = dict(doc)
    if doc.get("format") != expected_format:
        raise BatchFileError("文件格式不对：这不是本程序的同步文件或回执文件。")
    signature = doc.pop("signature", None)
    if (
        not public_key
        or not isinstance(signature, str)
        or not verify(public_key, canonical_json(doc).encode("utf-8"), signature)
    ):
        raise BatchFileError("文件签名校验失败：文件可能被改动过，或不是由这台设备/县级服务器生成的，已拒绝。")
    return doc


def _setting(db: Database, key: str) -> Any:
    with db.session() as s:
        row = s.get(Setting, key)
        return None if row is None else row.value


def export_batch(db: Database, out: Path) -> int:
    """Write the next batch to ``out``; returns the number of records (0: nothing to send, no file written)."""
    from pensiondesk.sync.engine import PRIVATE_KEY_SETTING, SERVER_KEY_SETTING, NotEnrolled

    private_key = _setting(db, PRIVATE_KEY_SETTING)
    server_key = _setting(db, SERVER_KEY_SETTING)
    with db.session() as s:  # read before the write transaction: hashing a long log must not hold the lock
        audit = chain_report(s, known_checkpoints(s)).model_dump(mode="json")
    with db.session(immediate=True) as s:
        state = s.get(SyncState, 1)
        if state is None or not state.device_id or not isinstance(private_key, str) or not isinstance(server_key, str):
            raise NotEnrolled()
        batch = outbox.claim_batch(s)
        if batch is None:
            return 0
        state.batch_file_seq += 1
        request = PushRequest(
            protocol_version=PROTOCOL_VERSION, batch_id=batch.batch_id, epoch=state.server_epoch, records=batch.records
        )
        body = {
            "format": BATCH_FORMAT,
            "device_id": state.device_id,
            "file_seq": state.batch_file_seq,
            "created_at": utcnow().isoformat(),
            "request": request.model_dump(mode="json"),
            "audit": audit,
        }
        key = file_key(private_key, server_key, state.device_id, TO_COUNTY)
        envelope = seal(
            signed_document(body, private_key), key, SEALED_BATCH_FORMAT, state.device_id, state.batch_file_seq
        )
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = out.with_name(out.name + ".part")
        tmp.write_text(json.dumps(envelope), encoding="utf-8")
        tmp.replace(out)  # only a complete file gets the final name; the sequence number commits with it
        return len(batch.records)


def import_ack(db: Database, path: Path) -> dict[str, int]:
    """Apply a signed acknowledgement from the county; returns counts by new outbox state."""
    from pensiondesk.sync.engine import PRIVATE_KEY_SETTING, SERVER_KEY_SETTING

    server_key = _setting(db, SERVER_KEY_SETTING)
    private_key = _setting(db, PRIVATE_KEY_SETTING)
    with db.session() as s:
        state = s.get(SyncState, 1)
        device_id = state.device_id if state is not None else None
    raw = read_transfer_file(path)
    if raw.get("device_id") != device_id:
        raise BatchFileError("这份回执属于另一台设备，已拒绝。")
    if is_sealed(raw):
        key = None
        if isinstance(private_key, str) and isinstance(server_key, str) and device_id:
            key = file_key(private_key, server_key, device_id, TO_LAPTOP)
        raw = unseal(raw, key, SEALED_ACK_FORMAT)
    doc = check_signed(raw, server_key if isinstance(server_key, str) else None, ACK_FORMAT)
    with db.session(immediate=True) as s:
        state = s.get(SyncState, 1)
        if state is None or doc.get("device_id") != state.device_id:
            raise BatchFileError("这份回执属于另一台设备，已拒绝。")
        seq = int(doc.get("file_seq", 0))
        last = s.get(Setting, LAST_ACK_SETTING)
        if seq > state.batch_file_seq or (last is not None and isinstance(last.value, int) and seq <= last.value):
            raise BatchFileError(f"这份回执（序号 {seq}）已导入过或不属于本机导出的文件，已拒绝。")
        response = PushResponse.model_validate(doc["response"])
        counts = outbox.record_answer(s, response)
        if isinstance(doc.get("audit"), dict):
            try:
                remember_verdict(s, AuditHeadAnswer.model_validate(doc["audit"]))
            except ValidationError as exc:
                raise BatchFileError("回执中的审计核对结果格式不对，已拒绝。") from exc
        s.merge(Setting(key=LAST_ACK_SETTING, value=seq))
        state.last_result = f"已导入U盘回执（序号 {seq}）"
        return counts
