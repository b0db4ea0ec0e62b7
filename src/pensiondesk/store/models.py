"""Typed SQLAlchemy 2 models of the village database (村级数据库表).

The whole domain is modelled here, even where later work adds behaviour, so that every record the laptop creates
has a UUID from the moment it is captured (sync-protocol.md §1) and every table has named constraints (SQLite needs
names for batch migrations). Money is integer fen (分); dates are ``date``; moments are naive UTC ``datetime``.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Enum,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from pensiondesk.domain.codes import (
    AdvanceState,
    DeathSource,
    MigrantDocumentKind,
    NoticeKind,
    OutboxState,
    PayerKind,
    PaymentChannel,
    PersonStatus,
    ReceiptBookStatus,
    ReceiptStatus,
    Relation,
    ReviewState,
    Sex,
    SurvivalMethod,
    SurvivalResult,
    UserRole,
)

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def new_uuid() -> str:
    """A laptop-made record ID (sync-protocol.md §1)."""
    return str(uuid.uuid4())


def utcnow() -> datetime:
    """Naive UTC now: SQLite has no time zones, so every stored moment is UTC by convention."""
    return datetime.now(UTC).replace(tzinfo=None)


def coded(enum: type[StrEnum], length: int = 24) -> Enum:
    """A column type for one of the coded values in ``domain.codes``.

    Stored as its value (``"receiving"``, ``"1401"``), validated in Python, without a CHECK constraint so that a
    new code is a data change rather than a table rebuild.
    """
    return Enum(
        enum,
        native_enum=False,
        create_constraint=False,
        length=length,
        validate_strings=True,
        values_callable=lambda e: [m.value for m in e],
    )


UUID_LEN = 36


class Base(DeclarativeBase):
    """Declarative base carrying the naming convention."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Stamped:
    """Who created and last changed a record, and when (laptop time, UTC)."""

    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
    created_by: Mapped[str | None] = mapped_column(String(64))
    updated_by: Mapped[str | None] = mapped_column(String(64))


# --- Places (行政区划) -------------------------------------------------------------------------------------------


class County(Base):
    """县/区."""

    __tablename__ = "county"
    id: Mapped[str] = mapped_column(String(UUID_LEN), primary_key=True, default=new_uuid)
    code: Mapped[str] = mapped_column(String(12), unique=True)
    name: Mapped[str] = mapped_column(String(64))


class Township(Base):
    """乡镇/街道."""

    __tablename__ = "township"
    id: Mapped[str] = mapped_column(String(UUID_LEN), primary_key=True, default=new_uuid)
    county_id: Mapped[str] = mapped_column(ForeignKey("county.id"))
    code: Mapped[str] = mapped_column(String(12), unique=True)
    name: Mapped[str] = mapped_column(String(64))


class Village(Base):
    """行政村/社区: the coordinator's unit of work."""

    __tablename__ = "village"
    id: Mapped[str] = mapped_column(String(UUID_LEN), primary_key=True, default=new_uuid)
    township_id: Mapped[str] = mapped_column(ForeignKey("township.id"))
    code: Mapped[str] = mapped_column(String(12), unique=True)
    name: Mapped[str] = mapped_column(String(64))
    township: Mapped[Township] = relationship()
    groups: Mapped[list[VillagerGroup]] = relationship(back_populates="village", order_by="VillagerGroup.sort_order")


class VillagerGroup(Stamped, Base):
    """村民小组/自然村: notices and lists are grouped by it."""

    __tablename__ = "villager_group"
    __table_args__ = (UniqueConstraint("village_id", "name"),)
    id: Mapped[str] = mapped_column(String(UUID_LEN), primary_key=True, default=new_uuid)
    village_id: Mapped[str] = mapped_column(ForeignKey("village.id"), index=True)
    name: Mapped[str] = mapped_column(String(64))
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    village: Mapped[Village] = relationship(back_populates="groups")


# --- People (人员) -----------------------------------------------------------------------------------------------


class Household(Stamped, Base):
    """户: one head (户主) and members, each with a relation to the head."""

    __tablename__ = "household"
    id: Mapped[str] = mapped_column(String(UUID_LEN), primary_key=True, default=new_uuid)
    village_id: Mapped[str] = mapped_column(ForeignKey("village.id"), index=True)
    group_id: Mapped[str | None] = mapped_column(ForeignKey("villager_group.id"), index=True)
    number: Mapped[str | None] = mapped_column(String(32))  # 户号 on the 户口簿
    address: Mapped[str | None] = mapped_column(String(200))
    head_person_id: Mapped[str | None] = mapped_column(
        ForeignKey("person.id", use_alter=True, name="fk_household_head_person_id_person")
    )
    version: Mapped[int] = mapped_column(Integer, default=1)


class Person(Stamped, Base):
    """人员: a resident of the village, enrolled or not.

    Key fields (姓名, 公民身份号码, 出生日期, 性别) change only through a service that records reason and evidence
    (domain.md §14). ``version`` is the base version carried by sync for fields editable on both sides.
    """

    __tablename__ = "person"
    __table_args__ = (
        Index("ix_person_name_initials", "name_initials"),
        Index("ix_person_group_status", "group_id", "status"),
        Index("ix_person_id_number_rev", "id_number_rev"),
    )
    id: Mapped[str] = mapped_column(String(UUID_LEN), primary_key=True, default=new_uuid)
    village_id: Mapped[str] = mapped_column(ForeignKey("village.id"), index=True)
    group_id: Mapped[str | None] = mapped_column(ForeignKey("villager_group.id"))
    household_id: Mapped[str | None] = mapped_column(ForeignKey("household.id"), index=True)
    relation: Mapped[Relation | None] = mapped_column(coded(Relation))
    name: Mapped[str] = mapped_column(String(64), index=True)
    name_initials: Mapped[str] = mapped_column(String(64), default="")  # pinyin initials, e.g. 张三丰 → zsf
    id_number: Mapped[str] = mapped_column(String(18), unique=True)
    # The ID reversed, so "ends with 1768" is an indexed prefix search on "8671%".
    id_number_rev: Mapped[str] = mapped_column(String(18), default="")
    sex: Mapped[Sex] = mapped_column(coded(Sex, 1))
    birth_date: Mapped[date] = mapped_column(Date)
    ethnicity: Mapped[str | None] = mapped_column(String(16))  # 民族
    hukou_address: Mapped[str | None] = mapped_column(String(200))  # 户籍所在地
    residence_address: Mapped[str | None] = mapped_column(String(200))  # 居住地址
    phone: Mapped[str | None] = mapped_column(String(32))
    status: Mapped[PersonStatus] = mapped_column(coded(PersonStatus), default=PersonStatus.NOT_ENROLLED)
    status_reason: Mapped[str | None] = mapped_column(String(8))  # 1201, 1401 … (TerminationReason/Suspension)
    status_since: Mapped[date | None] = mapped_column(Date)
    local_hukou: Mapped[bool] = mapped_column(Boolean, default=True)
    is_student: Mapped[bool] = mapped_column(Boolean, default=False)
    has_employee_pension: Mapped[bool] = mapped_column(Boolean, default=False)  # 职工养老保险
    has_other_state_pension: Mapped[bool] = mapped_column(Boolean, default=False)
    is_public_staff: Mapped[bool] = mapped_column(Boolean, default=False)  # 机关事业单位在编
    is_migrant_worker: Mapped[bool] = mapped_column(Boolean, default=False)  # 外出务工
    bank_card: Mapped[str | None] = mapped_column(String(32))
    notes: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, default=1)

    group: Mapped[VillagerGroup | None] = relationship()
    household: Mapped[Household | None] = relationship(foreign_keys=[household_id])
    categories: Mapped[list[PersonCategory]] = relationship(back_populates="person")


class PersonCategory(Stamped, Base):
    """参保身份: a person's identity category (code from the policy pack) with its proof and validity."""

    __tablename__ = "person_category"
    id: Mapped[str] = mapped_column(String(UUID_LEN), primary_key=True, default=new_uuid)
    person_id: Mapped[str] = mapped_column(ForeignKey("person.id"), index=True)
    category_code: Mapped[str] = mapped_column(String(8))
    proof_ref: Mapped[str | None] = mapped_column(String(200))  # 证明材料编号
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    person: Mapped[Person] = relationship(back_populates="categories")


class MigrantDocument(Stamped, Base):
    """外出务工人员材料: a document a migrant worker owes, its deadline and when it arrived."""

    __tablename__ = "migrant_document"
    __table_args__ = (UniqueConstraint("person_id", "kind", "year"),)
    id: Mapped[str] = mapped_column(String(UUID_LEN), primary_key=True, default=new_uuid)
    person_id: Mapped[str] = mapped_column(ForeignKey("person.id"), index=True)
    kind: Mapped[MigrantDocumentKind] = mapped_column(coded(MigrantDocumentKind))
    year: Mapped[int] = mapped_column(Integer)
    due_date: Mapped[date] = mapped_column(Date)
    received_on: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(String(200))


class KeyFieldChange(Base):
    """关键信息变更: before/after of a key field with its reason and evidence (domain.md §14)."""

    __tablename__ = "key_field_change"
    id: Mapped[str] = mapped_column(String(UUID_LEN), primary_key=True, default=new_uuid)
    person_id: Mapped[str] = mapped_column(ForeignKey("person.id"), index=True)
    field: Mapped[str] = mapped_column(String(32))
    before: Mapped[str | None] = mapped_column(String(200))
    after: Mapped[str | None] = mapped_column(String(200))
    reason: Mapped[str] = mapped_column(String(200))
    evidence_ref: Mapped[str] = mapped_column(String(200))
    changed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    changed_by: Mapped[str | None] = mapped_column(String(64))


class DuplicateDismissal(Stamped, Base):
    """不是同一人: a coordinator looked at a likely duplicate pair and decided they are two people.

    The pair is stored once (``first_person_id`` < ``second_person_id``) per reason it was flagged (``kind``: a
    ``services.people.DuplicateKind`` value), so the village-wide check (疑似重复登记排查) stops showing it; deleting
    the row (撤销) shows it again. Village working data: audited, not sent to the county.
    """

    __tablename__ = "duplicate_dismissal"
    __table_args__ = (UniqueConstraint("first_person_id", "second_person_id", "kind"),)
    id: Mapped[str] = mapped_column(String(UUID_LEN), primary_key=True, default=new_uuid)
    village_id: Mapped[str] = mapped_column(ForeignKey("village.id"), index=True)
    first_person_id: Mapped[str] = mapped_column(ForeignKey("person.id"), index=True)
    second_person_id: Mapped[str] = mapped_column(ForeignKey("person.id"), index=True)
    kind: Mapped[str] = mapped_column(String(24))
    note: Mapped[str | None] = mapped_column(String(200))  # how it was checked, e.g. 核对户口簿，系双胞胎


class RelationCheck(Stamped, Base):
    """与户主关系待核对: a member whose 与户主关系 is still stated against an earlier head (变更户主后).

    Written by the head change (``services.people.set_household_head``) for every member it did not give a new
    relation, with the relation ``domain.households`` suggests where the old relations tell it; deleted when a
    person confirms or changes the relation (``set_relation``), or when the member leaves the household or
    becomes its head. ``created_at`` is when the relation began to need checking; ``old_head_person_id`` is the
    head the stored relation refers to. One row per person at most. Village working data: audited, not sent to
    the county (the relation itself is, when it changes) and never a change of the person's record or version.
    """

    __tablename__ = "relation_check"
    person_id: Mapped[str] = mapped_column(ForeignKey("person.id"), primary_key=True)
    old_head_person_id: Mapped[str | None] = mapped_column(ForeignKey("person.id"))
    suggested_relation: Mapped[Relation | None] = mapped_column(coded(Relation))


class Registration(Stamped, Base):
    """参保登记: the registration form and its review (录入 → 初审 → 上报 → 审核/退回)."""

    __tablename__ = "registration"
    id: Mapped[str] = mapped_column(String(UUID_LEN), primary_key=True, default=new_uuid)
    person_id: Mapped[str] = mapped_column(ForeignKey("person.id"), index=True)
    registered_on: Mapped[date] = mapped_column(Date)
    category_code: Mapped[str | None] = mapped_column(String(8))  # 参保身份 at registration
    tier_fen: Mapped[int | None] = mapped_column(Integer)  # chosen 缴费档次
    review_state: Mapped[ReviewState] = mapped_column(coded(ReviewState), default=ReviewState.ENTERED)
    entered_by: Mapped[str | None] = mapped_column(String(64))
    checked_by: Mapped[str | None] = mapped_column(String(64))
    checked_at: Mapped[datetime | None] = mapped_column(DateTime)
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime)
    answered_at: Mapped[datetime | None] = mapped_column(DateTime)
    return_reason: Mapped[str | None] = mapped_column(String(500))
    person: Mapped[Person] = relationship()


# --- Money (缴费与票据) -----------------------------------------------------------------------------------------


class ReceiptBook(Stamped, Base):
    """票据本: a range of receipt numbers issued by the county to a collector."""

    __tablename__ = "receipt_book"
    __table_args__ = (
        UniqueConstraint("series", "start_no"),
        CheckConstraint("end_no >= start_no", name="range"),
    )
    id: Mapped[str] = mapped_column(String(UUID_LEN), primary_key=True, default=new_uuid)
    series: Mapped[str] = mapped_column(String(32))  # 票据字轨/批次
    start_no: Mapped[int] = mapped_column(Integer)
    end_no: Mapped[int] = mapped_column(Integer)
    collector: Mapped[str] = mapped_column(String(64))
    issued_on: Mapped[date] = mapped_column(Date)
    status: Mapped[ReceiptBookStatus] = mapped_column(coded(ReceiptBookStatus), default=ReceiptBookStatus.ISSUED)
    next_no: Mapped[int] = mapped_column(Integer)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime)
    from_county: Mapped[bool] = mapped_column(Boolean, default=False)


class DayClose(Stamped, Base):
    """日结 / 票款结报: a day's receipts against the cash handed over. A closed day is locked."""

    __tablename__ = "day_close"
    __table_args__ = (UniqueConstraint("day", "collector"),)
    id: Mapped[str] = mapped_column(String(UUID_LEN), primary_key=True, default=new_uuid)
    day: Mapped[date] = mapped_column(Date)
    collector: Mapped[str] = mapped_column(String(64))
    receipt_count: Mapped[int] = mapped_column(Integer)
    void_count: Mapped[int] = mapped_column(Integer)
    receipts_total_fen: Mapped[int] = mapped_column(Integer)
    cash_handed_fen: Mapped[int] = mapped_column(Integer)
    difference_note: Mapped[str | None] = mapped_column(String(500))
    closed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class Contribution(Stamped, Base):
    """缴费记录: one person, one natural year, one tier; never edited (a correction reverses and re-records)."""

    __tablename__ = "contribution"
    __table_args__ = (Index("ix_contribution_year_person", "year", "person_id"),)
    id: Mapped[str] = mapped_column(String(UUID_LEN), primary_key=True, default=new_uuid)
    person_id: Mapped[str] = mapped_column(ForeignKey("person.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    tier_fen: Mapped[int] = mapped_column(Integer)
    personal_fen: Mapped[int] = mapped_column(Integer)  # 个人缴费 actually paid by the payer
    subsidy_province_fen: Mapped[int] = mapped_column(Integer, default=0)
    subsidy_city_fen: Mapped[int] = mapped_column(Integer, default=0)
    subsidy_county_fen: Mapped[int] = mapped_column(Integer, default=0)
    government_paid_fen: Mapped[int] = mapped_column(Integer, default=0)  # 政府代缴
    collective_fen: Mapped[int] = mapped_column(Integer, default=0)  # 集体补助
    payer_kind: Mapped[PayerKind] = mapped_column(coded(PayerKind), default=PayerKind.SELF)
    payer_name: Mapped[str | None] = mapped_column(String(64))
    channel: Mapped[PaymentChannel] = mapped_column(coded(PaymentChannel), default=PaymentChannel.VILLAGE_CASH)
    is_catch_up: Mapped[bool] = mapped_column(Boolean, default=False)  # 补缴
    catch_up_approval_ref: Mapped[str | None] = mapped_column(String(100))
    paid_on: Mapped[date] = mapped_column(Date)
    policy_pack_id: Mapped[str | None] = mapped_column(String(64))
    policy_pack_version: Mapped[int | None] = mapped_column(Integer)
    reverses_id: Mapped[str | None] = mapped_column(ForeignKey("contribution.id"))  # 冲正 of that record
    person: Mapped[Person] = relationship()


class Receipt(Stamped, Base):
    """票据: one number of a book, used once, in order; a void keeps its number (作废)."""

    __tablename__ = "receipt"
    __table_args__ = (UniqueConstraint("series", "number"),)
    id: Mapped[str] = mapped_column(String(UUID_LEN), primary_key=True, default=new_uuid)
    book_id: Mapped[str] = mapped_column(ForeignKey("receipt_book.id"), index=True)
    series: Mapped[str] = mapped_column(String(32))
    number: Mapped[int] = mapped_column(Integer)
    contribution_id: Mapped[str | None] = mapped_column(ForeignKey("contribution.id"), index=True)
    issued_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    day: Mapped[date] = mapped_column(Date, index=True)
    amount_fen: Mapped[int] = mapped_column(Integer)
    collector: Mapped[str] = mapped_column(String(64))
    status: Mapped[ReceiptStatus] = mapped_column(coded(ReceiptStatus), default=ReceiptStatus.ISSUED)
    void_reason: Mapped[str | None] = mapped_column(String(200))
    reprint_count: Mapped[int] = mapped_column(Integer, default=0)
    day_close_id: Mapped[str | None] = mapped_column(ForeignKey("day_close.id"))


class Advance(Stamped, Base):
    """缴费资金垫付: county advance of a lump sum, repaid by withholding pension (domain.md §5)."""

    __tablename__ = "advance"
    id: Mapped[str] = mapped_column(String(UUID_LEN), primary_key=True, default=new_uuid)
    person_id: Mapped[str] = mapped_column(ForeignKey("person.id"), index=True)
    amount_fen: Mapped[int] = mapped_column(Integer)
    applied_on: Mapped[date] = mapped_column(Date)
    approved_on: Mapped[date | None] = mapped_column(Date)
    repaid_fen: Mapped[int] = mapped_column(Integer, default=0)
    state: Mapped[AdvanceState] = mapped_column(coded(AdvanceState), default=AdvanceState.APPLIED)


class AccountBalance(Base):
    """个人账户余额 as last synced from the county (county-owned, read-only on the laptop)."""

    __tablename__ = "account_balance"
    person_id: Mapped[str] = mapped_column(ForeignKey("person.id"), primary_key=True)
    as_of: Mapped[date] = mapped_column(Date)
    balance_fen: Mapped[int] = mapped_column(Integer)
    synced_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


# --- Pensioners (待遇与认证) -------------------------------------------------------------------------------------


class BenefitCase(Stamped, Base):
    """待遇领取资格确认: a person reaching 60, notified, sent up, and the county's answer (domain.md §8)."""

    __tablename__ = "benefit_case"
    id: Mapped[str] = mapped_column(String(UUID_LEN), primary_key=True, default=new_uuid)
    person_id: Mapped[str] = mapped_column(ForeignKey("person.id"), index=True)
    reaches_60_on: Mapped[date] = mapped_column(Date)
    years_paid: Mapped[int] = mapped_column(Integer, default=0)
    years_missing: Mapped[int] = mapped_column(Integer, default=0)
    notified_on: Mapped[date | None] = mapped_column(Date)
    review_state: Mapped[ReviewState] = mapped_column(coded(ReviewState), default=ReviewState.ENTERED)
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime)
    approved_monthly_fen: Mapped[int | None] = mapped_column(Integer)
    start_month: Mapped[str | None] = mapped_column(String(7))  # YYYY-MM
    return_reason: Mapped[str | None] = mapped_column(String(500))
    approved_on: Mapped[date | None] = mapped_column(Date)


class SurvivalCheck(Stamped, Base):
    """领取资格认证 (生存认证): an immutable fact; a correction is a new record."""

    __tablename__ = "survival_check"
    __table_args__ = (Index("ix_survival_check_person_date", "person_id", "checked_on"),)
    id: Mapped[str] = mapped_column(String(UUID_LEN), primary_key=True, default=new_uuid)
    person_id: Mapped[str] = mapped_column(ForeignKey("person.id"))
    checked_on: Mapped[date] = mapped_column(Date)
    method: Mapped[SurvivalMethod] = mapped_column(coded(SurvivalMethod))
    result: Mapped[SurvivalResult] = mapped_column(coded(SurvivalResult), default=SurvivalResult.ALIVE)
    certifier: Mapped[str] = mapped_column(String(64))
    witness: Mapped[str | None] = mapped_column(String(64))
    attachment_path: Mapped[str | None] = mapped_column(String(260))
    attachment_sha256: Mapped[str | None] = mapped_column(String(64))
    notes: Mapped[str | None] = mapped_column(String(500))
    back_pay_months: Mapped[int] = mapped_column(Integer, default=0)


class Cancellation(Stamped, Base):
    """注销登记 (death): stop month, overpayment, funeral subsidy with its offset, heir, review (domain.md §10)."""

    __tablename__ = "cancellation"
    id: Mapped[str] = mapped_column(String(UUID_LEN), primary_key=True, default=new_uuid)
    person_id: Mapped[str] = mapped_column(ForeignKey("person.id"), index=True)
    death_date: Mapped[date] = mapped_column(Date)
    reported_on: Mapped[date] = mapped_column(Date)
    source: Mapped[DeathSource] = mapped_column(coded(DeathSource))
    evidence_ref: Mapped[str | None] = mapped_column(String(200))  # 死亡证明/火化证明/户口注销
    stop_month: Mapped[str | None] = mapped_column(String(7))  # YYYY-MM, first month not paid
    overpaid_months: Mapped[int] = mapped_column(Integer, default=0)
    overpaid_fen: Mapped[int] = mapped_column(Integer, default=0)
    funeral_subsidy_fen: Mapped[int] = mapped_column(Integer, default=0)
    funeral_offset_fen: Mapped[int] = mapped_column(Integer, default=0)
    funeral_refusal_reason: Mapped[str | None] = mapped_column(String(200))
    account_balance_fen: Mapped[int | None] = mapped_column(Integer)
    advance_owed_fen: Mapped[int] = mapped_column(Integer, default=0)
    heir_name: Mapped[str | None] = mapped_column(String(64))
    heir_id_number: Mapped[str | None] = mapped_column(String(18))
    heir_bank_card: Mapped[str | None] = mapped_column(String(32))
    review_state: Mapped[ReviewState] = mapped_column(coded(ReviewState), default=ReviewState.ENTERED)
    return_reason: Mapped[str | None] = mapped_column(String(500))


# --- Public notices (公示) ---------------------------------------------------------------------------------------


class PublicNotice(Stamped, Base):
    """公示: kind, period, posting dates and the exact list printed (a snapshot, so a reprint is identical)."""

    __tablename__ = "public_notice"
    id: Mapped[str] = mapped_column(String(UUID_LEN), primary_key=True, default=new_uuid)
    village_id: Mapped[str] = mapped_column(ForeignKey("village.id"), index=True)
    kind: Mapped[NoticeKind] = mapped_column(coded(NoticeKind))
    title: Mapped[str] = mapped_column(String(200))
    period: Mapped[str] = mapped_column(String(64))  # e.g. 2026年度 / 2026年10月
    group_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    posted_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class NoticeObjection(Stamped, Base):
    """公示期间的异议."""

    __tablename__ = "notice_objection"
    id: Mapped[str] = mapped_column(String(UUID_LEN), primary_key=True, default=new_uuid)
    notice_id: Mapped[str] = mapped_column(ForeignKey("public_notice.id"), index=True)
    raised_on: Mapped[date] = mapped_column(Date)
    raised_by: Mapped[str | None] = mapped_column(String(64))
    content: Mapped[str] = mapped_column(Text)
    resolution: Mapped[str | None] = mapped_column(Text)


# --- Users, audit, policy, settings, sync (系统) -------------------------------------------------------------------


class User(Base):
    """操作员: a login on this laptop with a role; passwords are stored only as a KDF hash."""

    __tablename__ = "app_user"
    id: Mapped[str] = mapped_column(String(UUID_LEN), primary_key=True, default=new_uuid)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(64))
    role: Mapped[UserRole] = mapped_column(coded(UserRole))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class AuditEntry(Base):
    """操作日志: who did what to which record, before/after and why; append-only, hash-chained."""

    __tablename__ = "audit_entry"
    __table_args__ = (Index("ix_audit_entry_entity", "entity_type", "entity_id"),)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(String(UUID_LEN), unique=True, default=new_uuid)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    user: Mapped[str | None] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(64))
    entity_type: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[str] = mapped_column(String(UUID_LEN))
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    reason: Mapped[str | None] = mapped_column(String(500))
    prev_hash: Mapped[str | None] = mapped_column(String(64))
    hash: Mapped[str | None] = mapped_column(String(64))


class OutboxEntry(Base):
    """同步待上传: one change to send, written in the same transaction as the change (sync-protocol.md §1, §7)."""

    __tablename__ = "sync_outbox"
    __table_args__ = (Index("ix_sync_outbox_state_seq", "state", "seq"),)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(String(UUID_LEN), unique=True, default=new_uuid)
    record_type: Mapped[str] = mapped_column(String(32))
    record_id: Mapped[str] = mapped_column(String(UUID_LEN), index=True)
    operation: Mapped[str] = mapped_column(String(16))  # create | update | delete | reverse
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    base_version: Mapped[int | None] = mapped_column(Integer)
    state: Mapped[OutboxState] = mapped_column(coded(OutboxState), default=OutboxState.PENDING)
    batch_id: Mapped[str | None] = mapped_column(String(UUID_LEN))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    result_code: Mapped[str | None] = mapped_column(String(32))
    result_message: Mapped[str | None] = mapped_column(String(500))
    server_received_at: Mapped[datetime | None] = mapped_column(DateTime)


class SyncState(Base):
    """同步状态: one row per server this laptop is enrolled with (normally one)."""

    __tablename__ = "sync_state"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    server_url: Mapped[str | None] = mapped_column(String(300))
    device_id: Mapped[str | None] = mapped_column(String(UUID_LEN))
    device_token: Mapped[str | None] = mapped_column(String(200))
    village_id: Mapped[str | None] = mapped_column(ForeignKey("village.id"))
    pull_cursor: Mapped[int] = mapped_column(Integer, default=0)
    server_epoch: Mapped[str | None] = mapped_column(String(64))
    last_sync_at: Mapped[datetime | None] = mapped_column(DateTime)
    last_result: Mapped[str | None] = mapped_column(String(500))
    clock_skew_seconds: Mapped[int | None] = mapped_column(Integer)
    batch_file_seq: Mapped[int] = mapped_column(Integer, default=0)


class PolicyPackRecord(Base):
    """策略包: a versioned, dated policy pack as received or bundled; never overwritten in place."""

    __tablename__ = "policy_pack"
    __table_args__ = (UniqueConstraint("pack_id", "version"),)
    id: Mapped[str] = mapped_column(String(UUID_LEN), primary_key=True, default=new_uuid)
    pack_id: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer)
    effective_from: Mapped[date] = mapped_column(Date)
    content: Mapped[str] = mapped_column(Text)  # the JSON text exactly as received
    origin: Mapped[str] = mapped_column(String(16))  # bundled | county
    received_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class Setting(Base):
    """设置: small key/value settings of this database (current village, printer offsets …)."""

    __tablename__ = "setting"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON)


# --- Announcements (通知/宣传单) -----------------------------------------------------------------------------------


class Announcement(Stamped, Base):
    """通知/宣传单打印记录: an announcement exactly as printed, so the village can show what it posted and when.

    ``content`` is the printed text itself (title, salutation, paragraphs, the tables as rendered, the 落款) and
    the fields filled in; the template and the policy pack it came from are kept beside it. Never edited: a
    reprint with other wording is a new record.
    """

    __tablename__ = "announcement"
    __table_args__ = (Index("ix_announcement_printed_on", "printed_on"),)
    id: Mapped[str] = mapped_column(String(UUID_LEN), primary_key=True, default=new_uuid)
    village_id: Mapped[str] = mapped_column(ForeignKey("village.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # collection | certification | letter | meeting
    layout: Mapped[str] = mapped_column(String(16))  # poster (A4) | leaflet (A5 two-up)
    title: Mapped[str] = mapped_column(String(200))
    printed_on: Mapped[date] = mapped_column(Date)
    content: Mapped[dict[str, Any]] = mapped_column(JSON)
    template_name: Mapped[str] = mapped_column(String(64))
    template_version: Mapped[int] = mapped_column(Integer)
    policy_pack_id: Mapped[str] = mapped_column(String(64))
    policy_pack_version: Mapped[int] = mapped_column(Integer)


# --- County roster (县里掌握的本村人员名单) -----------------------------------------------------------------------


class CountyResident(Base):
    """县级花名册: a resident of this village as the county knows them, pulled down for duplicate checks.

    County-owned and read-only on the laptop (sync-protocol.md §10): written only by the ``roster`` pull handler
    (``sync/apply.py``), keyed by the county's person ID; a tombstone deletes the row. ``id_number`` is not unique
    here: the county may briefly hold two records with one number, and that is exactly what a duplicate check
    must see.
    """

    __tablename__ = "county_resident"
    person_id: Mapped[str] = mapped_column(String(UUID_LEN), primary_key=True)
    name: Mapped[str] = mapped_column(String(64), default="")
    id_number: Mapped[str | None] = mapped_column(String(18), index=True)
    status: Mapped[str | None] = mapped_column(String(24))  # the county's PersonStatus value, as sent
    version: Mapped[int] = mapped_column(Integer, default=1)
    received_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
