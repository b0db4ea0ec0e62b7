"""Tables of the county server (县级服务端数据库): places, devices, received batches, records, county answers.

The county keeps what the laptops send as *records* (record type, record UUID, village, version, the JSON payload
exactly as sent) rather than re-modelling the village schema: the county's view of a village is then comparable,
record for record, with the laptop's, and a new village table needs no server migration. What the county owns
(answers to registrations and pension cases, death notices, balances, receipt blocks, policy packs) lives in its
own tables and is published to the laptops through the global change sequence (``change``).

Works on SQLite (a pilot county) and PostgreSQL; every constraint is named (see ``NAMING_CONVENTION``).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    """Naive UTC now (all stored moments are UTC)."""
    return datetime.now(UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    """Declarative base of the county database."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class ServerMeta(Base):
    """One row: the epoch (changed after a restore from backup) and the last allocated change sequence number.

    Allocating a sequence number updates this row, so writers that publish changes are serialised and sequence
    numbers become visible in commit order: a pull never skips a change committed later with a smaller number.
    """

    __tablename__ = "server_meta"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    epoch: Mapped[str] = mapped_column(String(64))
    change_seq: Mapped[int] = mapped_column(BigInteger, default=0)
    private_key: Mapped[str] = mapped_column(String(200))  # Ed25519 seed (base64) that signs ack files
    county_code: Mapped[str] = mapped_column(String(12), default="")
    county_name: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class TownshipRow(Base):
    """乡镇."""

    __tablename__ = "township"
    code: Mapped[str] = mapped_column(String(12), primary_key=True)
    name: Mapped[str] = mapped_column(String(64))


class VillageRow(Base):
    """行政村."""

    __tablename__ = "village"
    code: Mapped[str] = mapped_column(String(12), primary_key=True)
    township_code: Mapped[str] = mapped_column(ForeignKey("township.code"))
    name: Mapped[str] = mapped_column(String(64))


class EnrolmentCode(Base):
    """A one-time enrolment code (stored hashed) for one village; used once."""

    __tablename__ = "enrolment_code"
    code_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    village_code: Mapped[str] = mapped_column(ForeignKey("village.code"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    used_at: Mapped[datetime | None] = mapped_column(DateTime)
    device_id: Mapped[str | None] = mapped_column(String(36))


class Device(Base):
    """An enrolled laptop: bound to one village; its token is stored only as SHA-256 and can be revoked."""

    __tablename__ = "device"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    village_code: Mapped[str] = mapped_column(ForeignKey("village.code"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    public_key: Mapped[str | None] = mapped_column(String(200))
    enrolled_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime)
    last_seen_at: Mapped[datetime | None] = mapped_column(DateTime)
    file_seq: Mapped[int] = mapped_column(Integer, default=0)  # last offline batch file imported


class BatchRow(Base):
    """A received batch and the exact response given, stored in the batch's own transaction (property 3)."""

    __tablename__ = "batch"
    device_id: Mapped[str] = mapped_column(ForeignKey("device.id"), primary_key=True)
    batch_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    request_hash: Mapped[str] = mapped_column(String(64))
    response: Mapped[dict[str, Any]] = mapped_column(JSON)
    received_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    via_file: Mapped[bool] = mapped_column(Boolean, default=False)


class ReceivedChange(Base):
    """Every change (outbox row) ever received, by its UUID: same UUID + same hash = duplicate, else conflict."""

    __tablename__ = "received_change"
    change_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    device_id: Mapped[str] = mapped_column(ForeignKey("device.id"), index=True)
    record_type: Mapped[str] = mapped_column(String(32))
    record_id: Mapped[str] = mapped_column(String(36))
    payload_hash: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16))
    code: Mapped[str] = mapped_column(String(32))
    message: Mapped[str] = mapped_column(String(500))
    server_version: Mapped[int | None] = mapped_column(Integer)
    received_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class RecordRow(Base):
    """The county's copy of one village record: payload as last applied, version, owner village."""

    __tablename__ = "record"
    __table_args__ = (Index("ix_record_village_type", "village_code", "record_type"),)
    record_type: Mapped[str] = mapped_column(String(32), primary_key=True)
    record_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    village_code: Mapped[str] = mapped_column(ForeignKey("village.code"))
    version: Mapped[int] = mapped_column(Integer, default=1)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    content_hash: Mapped[str] = mapped_column(String(64))
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by_device: Mapped[str] = mapped_column(String(36))
    updated_by_device: Mapped[str] = mapped_column(String(36))
    operator: Mapped[str | None] = mapped_column(String(64))
    captured_at: Mapped[datetime | None] = mapped_column(DateTime)  # laptop time
    received_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)  # server time
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    id_number: Mapped[str | None] = mapped_column(String(18), index=True)  # persons: for death-list matching


class DeferredChange(Base):
    """A change waiting for its parent (property 6); applied when the parent lands, in that transaction."""

    __tablename__ = "deferred_change"
    change_id: Mapped[str] = mapped_column(ForeignKey("received_change.change_id"), primary_key=True)
    device_id: Mapped[str] = mapped_column(String(36))
    village_code: Mapped[str] = mapped_column(String(12), index=True)
    record_type: Mapped[str] = mapped_column(String(32))
    record_id: Mapped[str] = mapped_column(String(36))
    operation: Mapped[str] = mapped_column(String(16))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    base_version: Mapped[int | None] = mapped_column(Integer)
    captured_at: Mapped[datetime | None] = mapped_column(DateTime)
    waiting_type: Mapped[str] = mapped_column(String(32))
    waiting_id: Mapped[str] = mapped_column(String(36), index=True)
    received_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    position: Mapped[int] = mapped_column(Integer, default=0)  # place in its batch: keeps arrival order


class ChangeRow(Base):
    """The global change sequence (property 8): county-owned changes addressed to one village (or all)."""

    __tablename__ = "change"
    __table_args__ = (Index("ix_change_village_seq", "village_code", "seq"),)
    seq: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    village_code: Mapped[str | None] = mapped_column(String(12))  # None: every village (policy packs)
    kind: Mapped[str] = mapped_column(String(32))
    key: Mapped[str] = mapped_column(String(100))
    op: Mapped[str] = mapped_column(String(16))
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class CountyAnswer(Base):
    """县级审核结果 for a registration or a pension case: approved, or returned with a reason."""

    __tablename__ = "county_answer"
    record_type: Mapped[str] = mapped_column(String(32), primary_key=True)
    record_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    approved: Mapped[bool] = mapped_column(Boolean)
    reason: Mapped[str | None] = mapped_column(String(500))
    monthly_fen: Mapped[int | None] = mapped_column(Integer)
    start_month: Mapped[str | None] = mapped_column(String(7))
    answered_by: Mapped[str] = mapped_column(String(64))
    answered_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class DeathNotice(Base):
    """A line of a 民政 death list, matched (or not) to a person the county holds."""

    __tablename__ = "death_notice"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    id_number: Mapped[str] = mapped_column(String(18), index=True)
    name: Mapped[str] = mapped_column(String(64))
    death_date: Mapped[date] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(32))
    person_id: Mapped[str | None] = mapped_column(String(36))
    village_code: Mapped[str | None] = mapped_column(String(12))
    imported_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class ReceiptBlock(Base):
    """票据号段 issued by the county to a village."""

    __tablename__ = "receipt_block"
    __table_args__ = (UniqueConstraint("series", "start_no"),)
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    village_code: Mapped[str] = mapped_column(ForeignKey("village.code"))
    series: Mapped[str] = mapped_column(String(32))
    start_no: Mapped[int] = mapped_column(Integer)
    end_no: Mapped[int] = mapped_column(Integer)
    collector: Mapped[str] = mapped_column(String(64))
    issued_on: Mapped[date] = mapped_column(Date)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime)


class PolicyPackRow(Base):
    """A published policy pack version: never overwritten (a change is a new version with its effective date)."""

    __tablename__ = "policy_pack"
    pack_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    effective_from: Mapped[date] = mapped_column(Date)
    content: Mapped[str] = mapped_column(Text)
    published_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class AccountBalanceRow(Base):
    """个人账户余额 as the county computed it."""

    __tablename__ = "account_balance"
    person_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    village_code: Mapped[str] = mapped_column(String(12))
    as_of: Mapped[date] = mapped_column(Date)
    balance_fen: Mapped[int] = mapped_column(BigInteger)


class SecurityEvent(Base):
    """A refused request worth a look: another village's data, a revoked token, a tampered file."""

    __tablename__ = "security_event"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    device_id: Mapped[str | None] = mapped_column(String(36))
    village_code: Mapped[str | None] = mapped_column(String(12))
    kind: Mapped[str] = mapped_column(String(32))
    detail: Mapped[str] = mapped_column(String(1000))


class AuditHeadRow(Base):
    """A head of a device's audit chain (审计链头) as the county saw it: the chain hash at ``seq``.

    Kept per device, newest last. After an alert the device's earlier heads are marked ``superseded`` (kept for the
    record) so that later syncs are compared with the chain as it now is and the same event is not reported again.
    """

    __tablename__ = "audit_head"
    __table_args__ = (Index("ix_audit_head_device_seq", "device_id", "seq"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    device_id: Mapped[str] = mapped_column(ForeignKey("device.id"))
    seq: Mapped[int] = mapped_column(BigInteger)
    hash: Mapped[str] = mapped_column(String(64))
    count: Mapped[int] = mapped_column(BigInteger, default=0)
    seen_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    via_file: Mapped[bool] = mapped_column(Boolean, default=False)
    superseded: Mapped[bool] = mapped_column(Boolean, default=False)


class AuditAlert(Base):
    """审计日志异常提醒: a device's audit chain no longer matches what the county saw (edited, deleted, rolled back).

    Open until an administrator closes it (``pensiondesk-county audit-alerts --resolve ID``); while open, the laptop
    shows a warning on its 同步 page.
    """

    __tablename__ = "audit_alert"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    device_id: Mapped[str] = mapped_column(ForeignKey("device.id"), index=True)
    village_code: Mapped[str] = mapped_column(String(12))
    kind: Mapped[str] = mapped_column(String(16))  # tampered | rolled_back
    detail: Mapped[str] = mapped_column(String(1000))
    via_file: Mapped[bool] = mapped_column(Boolean, default=False)
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime)
    resolved_by: Mapped[str | None] = mapped_column(String(64))
    resolution: Mapped[str | None] = mapped_column(String(500))
