"""Offline transfer by USB stick (U盘离线传输), sync-protocol.md property 16.

``pensiondesk sync export --out FILE`` writes the next batch (the in-flight one again if it was never answered)
as a signed, sequence-numbered file; ``pensiondesk-county import-batch FILE --ack OUT`` applies it through the same
``push_batch`` as the network (same exactly-once rules) and writes a signed acknowledgement;
``pensiondesk sync import-ack FILE`` applies the answer. Signatures are Ed25519 (``sync.signing``): the laptop's key
pair is made at enrolment (the county holds its public key), the county's public key comes with the enrolment.

Refused: a file whose signature does not verify (tampered, or signed by another device), a batch file whose
sequence number is not above the last one imported from that device (replayed), an acknowledgement for another
device or one already imported.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pensiondesk.store.db import Database
from pensiondesk.store.models import Setting, SyncState, utcnow
from pensiondesk.sync import outbox
from pensiondesk.sync.protocol import PROTOCOL_VERSION, PushRequest, PushResponse, canonical_json
from pensiondesk.sync.signing import sign, verify

BATCH_FORMAT = "pensiondesk-batch/1"
ACK_FORMAT = "pensiondesk-ack/1"
LAST_ACK_SETTING = "sync_last_ack_seq"


class BatchFileError(Exception):
    """A transfer file is refused; ``user_message`` says why in Chinese."""

    def __init__(self, user_message: str) -> None:
        super().__init__(user_message)
        self.user_message = user_message


def signed_document(body: dict[str, Any], private_key: str) -> dict[str, Any]:
    """``body`` plus the signature of its canonical JSON."""
    return {**body, "signature": sign(private_key, canonical_json(body).encode("utf-8"))}


def read_signed(path: Path, public_key: str | None, expected_format: str) -> dict[str, Any]:
    """Parse a transfer file and check its format and signature; returns the body without the signature."""
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BatchFileError(f"无法读取文件 {path}：{exc}") from exc
    if not isinstance(doc, dict) or doc.get("format") != expected_format:
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
    from pensiondesk.sync.engine import PRIVATE_KEY_SETTING, NotEnrolled

    private_key = _setting(db, PRIVATE_KEY_SETTING)
    with db.session(immediate=True) as s:
        state = s.get(SyncState, 1)
        if state is None or not state.device_id or not isinstance(private_key, str):
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
        }
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = out.with_name(out.name + ".part")
        tmp.write_text(json.dumps(signed_document(body, private_key), ensure_ascii=False), encoding="utf-8")
        tmp.replace(out)  # only a complete file gets the final name; the sequence number commits with it
        return len(batch.records)


def import_ack(db: Database, path: Path) -> dict[str, int]:
    """Apply a signed acknowledgement from the county; returns counts by new outbox state."""
    from pensiondesk.sync.engine import SERVER_KEY_SETTING

    doc = read_signed(path, _setting(db, SERVER_KEY_SETTING), ACK_FORMAT)
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
        s.merge(Setting(key=LAST_ACK_SETTING, value=seq))
        state.last_result = f"已导入U盘回执（序号 {seq}）"
        return counts
