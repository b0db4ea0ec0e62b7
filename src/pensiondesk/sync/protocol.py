"""The village ↔ county sync protocol (同步协议): versioned JSON messages shared by the laptop and the county server.

Both sides import these pydantic models, so a message the laptop sends is validated by exactly the schema the
server checks. Every request carries ``protocol_version``; the server answers its supported range in the handshake
and refuses an unsupported version with ``412 unsupported_protocol`` and a readable message. The full description,
with examples, is ``docs/sync-protocol.md``.

Messages:

* enrolment — ``EnrolRequest`` (one-time code) → ``EnrolResponse`` (device id, device token, village, epoch);
* handshake — ``HandshakeRequest`` → ``HandshakeResponse`` (version range, epoch, server time, clock skew, limits);
* push — ``PushRequest`` (batch id, records) → ``PushResponse`` (one ``RecordResult`` per record);
* pull — ``GET /v1/pull?since=cursor`` → ``PullResponse`` (ordered changes, tombstones, next cursor, has_more);
* summary — ``SummaryResponse``: per record type counts and hashes for the check after sync (property 15).
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

#: The protocol version this program speaks, and the range a server of this program accepts.
PROTOCOL_VERSION = 1
PROTOCOL_MIN = 1
PROTOCOL_MAX = 1

#: Limits (property 14): a batch holds at most this many records and this many bytes of JSON body.
MAX_BATCH_RECORDS = 500
MAX_BODY_BYTES = 4 * 1024 * 1024
#: The largest pull page a client may ask for.
MAX_PULL_LIMIT = 1000

#: Request header by which a client says it understands the app-version fields of the handshake answer.
#: ``HandshakeResponse`` of clients before this feature forbids unknown fields, so a server sends
#: ``min_app_version`` / ``latest_app_version`` only to a client that sends this header (old servers ignore it).
APP_VERSION_HEADER = "PensionDesk-App-Versions"
#: Request header by which a client says it reports its audit chain head (审计链头). A server that understands it
#: adds ``audit_checkpoints`` to the handshake answer, and only then does the client call ``POST /v1/audit-head``;
#: old servers ignore the header and never get the call, old clients never send it.
AUDIT_HEAD_HEADER = "PensionDesk-Audit-Head"

#: The most audit checkpoints the county asks for (its newest heads of one device).
AUDIT_MAX_CHECKPOINTS = 32

UUID_PATTERN = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
NAME_PATTERN = r"^[a-z][a-z0-9_]{0,31}$"

#: The record types a laptop may push, each with its parent references (field → parent record type).
#: A record whose parent has not reached the server yet is *deferred* (property 6) and applied when it lands.
RECORD_PARENTS: dict[str, dict[str, str]] = {
    "villager_group": {},
    "household": {"group_id": "villager_group"},
    "person": {"group_id": "villager_group", "household_id": "household"},
    "person_category": {"person_id": "person"},
    "migrant_document": {"person_id": "person"},
    "key_field_change": {"person_id": "person"},
    "registration": {"person_id": "person"},
    "contribution": {"person_id": "person"},
    "receipt": {"contribution_id": "contribution"},
    "receipt_book": {},
    "day_close": {},
    "advance": {"person_id": "person"},
    "benefit_case": {"person_id": "person"},
    "survival_check": {"person_id": "person"},
    "cancellation": {"person_id": "person"},
    "public_notice": {},
    "notice_objection": {"notice_id": "public_notice"},
}

#: Immutable facts (property 10): never updated in place; a correction is a new (reversing) record.
IMMUTABLE_TYPES = frozenset({"contribution", "survival_check", "key_field_change"})


class Operation(StrEnum):
    """What an outbox row does to its record."""

    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"
    REVERSE = "reverse"


class ResultStatus(StrEnum):
    """Per-record result of a push (property 5)."""

    CREATED = "created"  # stored now
    DUPLICATE = "duplicate"  # the server already had exactly this (duplicate_ok)
    CONFLICT = "conflict"  # same ID, other content, or a stale base version: a person decides
    REJECTED = "rejected"  # invalid or not allowed; the reason says what to do
    DEFERRED = "deferred"  # stored, waiting for its parent record


class ChangeKind(StrEnum):
    """County-owned data that comes down in a pull (property 10)."""

    REGISTRATION_ANSWER = "registration_answer"  # 参保登记审核结果 (approved / returned with a reason)
    BENEFIT_ANSWER = "benefit_answer"  # 待遇领取资格审核结果
    DEATH_NOTICE = "death_notice"  # 民政死亡名单比对结果
    ACCOUNT_BALANCE = "account_balance"  # 个人账户余额
    RECEIPT_BLOCK = "receipt_block"  # 县里下发的票据号段
    POLICY_PACK = "policy_pack"  # 政策参数包 (versioned, dated)
    ROSTER = "roster"  # 县里掌握的本村人员名单 (for duplicate checks)


class ChangeOp(StrEnum):
    """An upsert carries data; a tombstone says the thing was deleted or revoked (property 9)."""

    UPSERT = "upsert"
    TOMBSTONE = "tombstone"


class _Message(BaseModel):
    model_config = ConfigDict(extra="forbid", str_max_length=200_000)


class ErrorBody(_Message):
    """The body of every non-2xx answer: a stable code and a readable (Chinese) message."""

    code: str
    message: str
    detail: Any = None


class EnrolRequest(_Message):
    """Exchange a one-time enrolment code (设备登记码) for a device token bound to one village."""

    protocol_version: int = Field(ge=1, le=1000)
    code: str = Field(min_length=4, max_length=64)
    device_name: str = Field(min_length=1, max_length=100)
    #: The laptop's Ed25519 public key (base64, raw 32 bytes) used to verify its offline batch files.
    public_key: str | None = Field(default=None, max_length=200)


class EnrolResponse(_Message):
    """The device identity; the token is shown once and stored on the server only as a hash."""

    device_id: str
    device_token: str
    village_code: str
    village_name: str
    township_name: str
    county_name: str
    server_epoch: str
    #: The server's Ed25519 public key (base64) that signs acknowledgement files.
    server_public_key: str


class HandshakeRequest(_Message):
    """First call of every sync: the client's protocol version and its clock (property 11, 13)."""

    protocol_version: int = Field(ge=1, le=1000)
    client_time: datetime
    app_version: str = Field(default="", max_length=40)


class HandshakeResponse(_Message):
    """The server's supported range, epoch, time and limits; ``clock_skew_seconds`` = client − server.

    Unknown fields are ignored (unlike the other messages) so that a later server may add optional fields.
    """

    model_config = ConfigDict(extra="ignore", str_max_length=200_000)

    protocol_min: int
    protocol_max: int
    compatible: bool
    message: str
    server_epoch: str
    server_time: datetime
    clock_skew_seconds: int
    device_id: str
    village_code: str
    max_batch_records: int
    max_body_bytes: int
    #: Optional (sent only to clients that send ``APP_VERSION_HEADER``; absent when the county set none):
    #: a laptop below ``min_app_version`` must update before it syncs; below ``latest_app_version`` it may.
    min_app_version: str | None = Field(default=None, max_length=40)
    latest_app_version: str | None = Field(default=None, max_length=40)
    #: Optional (sent only to clients that send ``AUDIT_HEAD_HEADER``): the audit ``seq`` numbers at which the
    #: county holds this device's chain hashes; the client answers with its recomputed hash at each of them.
    audit_checkpoints: list[int] | None = Field(default=None, max_length=AUDIT_MAX_CHECKPOINTS)


class AuditCheckpoint(_Message):
    """The laptop's chain hash at one ``seq`` (after every entry with a number up to it); "" for an empty chain."""

    seq: int = Field(ge=0)
    hash: str = Field(max_length=64)


class AuditHeadReport(_Message):
    """The laptop's audit chain (审计链) as recomputed from its current log (docs/sync-protocol.md, 审计链头).

    ``head_seq``/``head_hash``: the newest entry and the chain hash there (0 and "" for an empty log);
    ``checkpoints``: the hash at each seq the county asked for (the heads it saw before), so that an edit or a
    deletion of history the county has already seen shows up; ``broken_seq``: the first entry whose stored hash
    does not match the recomputed one (the laptop's own ``audit verify``), ``None`` when the chain holds.
    """

    head_seq: int = Field(ge=0)
    head_hash: str = Field(max_length=64)
    count: int = Field(ge=0)
    checkpoints: list[AuditCheckpoint] = Field(default_factory=list, max_length=AUDIT_MAX_CHECKPOINTS)
    broken_seq: int | None = Field(default=None, ge=0)
    #: The newest county checkpoint this laptop's database had been told about (``None``: never told). Lower than
    #: the county's newest head means the database is older than the one that last reported (restored from a
    #: backup): what differs above it is reported as a rollback, not as tampering.
    known_seq: int | None = Field(default=None, ge=0)


class AuditStatus(StrEnum):
    """The county's verdict on a reported audit chain."""

    OK = "ok"  # continues every head the county saw
    ROLLED_BACK = "rolled_back"  # a prefix of what the county saw: newest entries gone (restore from backup?)
    TAMPERED = "tampered"  # history the county saw was changed, or the laptop's own chain is broken


class AuditHeadAnswer(_Message):
    """The county's verdict; ``alerts_open`` counts this device's alerts not yet closed by the county."""

    status: AuditStatus
    message: str
    alerts_open: int = 0
    #: The seqs to report hashes for next time (also what a USB file should cover).
    checkpoints: list[int] = Field(default_factory=list, max_length=AUDIT_MAX_CHECKPOINTS)


class PushRecord(_Message):
    """One outbox row on the wire: ``change_id`` is the outbox row's UUID, ``record_id`` the record's UUID."""

    change_id: str = Field(pattern=UUID_PATTERN)
    record_type: str = Field(pattern=NAME_PATTERN)
    record_id: str = Field(pattern=UUID_PATTERN)
    operation: Operation
    payload: dict[str, Any]
    base_version: int | None = Field(default=None, ge=0)
    captured_at: datetime  # laptop time (UTC) when the change was made


class PushRequest(_Message):
    """A bounded batch (property 14). ``batch_id`` is made by the laptop; re-sending it is always safe."""

    protocol_version: int = Field(ge=1, le=1000)
    batch_id: str = Field(pattern=UUID_PATTERN)
    epoch: str | None = Field(default=None, max_length=64)
    records: list[PushRecord] = Field(max_length=MAX_BATCH_RECORDS)


class RecordResult(_Message):
    """The server's answer for one record, with a code and a message the coordinator can act on."""

    change_id: str
    record_id: str
    status: ResultStatus
    code: str
    message: str
    server_version: int | None = None
    #: For a conflict: the county's current content, shown side by side with the laptop's.
    server_payload: dict[str, Any] | None = None


class PushResponse(_Message):
    """All per-record results of one batch, in the order sent. Stored by the server and replayed on a re-send."""

    batch_id: str
    epoch: str
    received_at: datetime
    replayed: bool = False
    results: list[RecordResult]


class Change(_Message):
    """One county-owned change for this village, in global sequence order."""

    seq: int
    kind: ChangeKind
    key: str  # the thing's ID (registration ID, person ID, block ID, pack_id:version …)
    op: ChangeOp
    data: dict[str, Any] = Field(default_factory=dict)
    at: datetime


class PullResponse(_Message):
    """A page of changes after ``since``; store ``next_cursor`` in the same transaction as the page is applied."""

    epoch: str
    changes: list[Change]
    next_cursor: int
    has_more: bool


class TypeSummary(_Message):
    """Count and order-independent hash of the live records of one type (property 15)."""

    count: int
    digest: str


class SummaryResponse(_Message):
    """What the county holds for this village, by record type."""

    epoch: str
    village_code: str
    types: dict[str, TypeSummary]


def payload_hash(record_type: str, record_id: str, operation: str, payload: dict[str, Any], base: int | None) -> str:
    """SHA-256 of a change's canonical JSON: what "same content" means for duplicate vs conflict (property 4)."""
    body = {"t": record_type, "r": record_id, "o": operation, "p": payload, "b": base}
    return hashlib.sha256(canonical_json(body).encode("utf-8")).hexdigest()


def canonical_json(data: Any) -> str:
    """Sorted keys, no spaces, UTF-8 kept (the same form ``services.recording.canonical`` hashes)."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def record_digest(items: list[tuple[str, str]]) -> str:
    """Order-independent digest of (record_id, content hash) pairs, for the check after sync."""
    h = hashlib.sha256()
    for record_id, content in sorted(items):
        h.update(f"{record_id}:{content}\n".encode())
    return h.hexdigest()
