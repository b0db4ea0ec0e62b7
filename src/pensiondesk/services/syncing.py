"""Sync as the coordinator sees it (同步工作台): status, problems to resolve, enrolment, USB files, auto-sync.

The GUI's 同步 page talks to this module only (gui → services → sync). It turns the outbox and the enrolment row
into plain values with Chinese text — what is waiting, what the county refused and *what to do about it* — and
passes the long-running work (``enroll``, one sync) through to :mod:`pensiondesk.sync`, which the page runs on a
worker thread. Nothing here imports Qt.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pensiondesk.domain.codes import OutboxState
from pensiondesk.store.db import Database, open_database
from pensiondesk.store.models import CountyResident, Person, Setting, Village
from pensiondesk.sync import outbox
from pensiondesk.sync.audit_head import audit_warning
from pensiondesk.sync.batchfile import BatchFileError, export_batch, import_ack
from pensiondesk.sync.client import SyncError
from pensiondesk.sync.engine import CLOCK_WARNING_SECONDS, SyncReport, clock_warning, enroll, sync_state
from pensiondesk.sync.update import update_notice
from pensiondesk.sync.worker import Outcome, SyncWorker

__all__ = [
    "AUTO_SYNC_SETTING",
    "BatchFileError",
    "ConflictField",
    "ConflictView",
    "Database",
    "Outcome",
    "ProblemRow",
    "SyncError",
    "SyncOverview",
    "SyncReport",
    "SyncWorker",
    "auto_sync_enabled",
    "conflict_view",
    "county_resident_by_id_number",
    "database_for",
    "enroll",
    "export_batch",
    "import_ack",
    "overview",
    "problem_rows",
    "resolve_conflict",
    "set_auto_sync",
]

#: Setting key of the 自动同步 checkbox (bool).
AUTO_SYNC_SETTING = "sync_auto"

SessionFactory = Callable[[], AbstractContextManager[Session]]

#: Chinese names of the record types that travel (sync.protocol.RECORD_PARENTS).
RECORD_TYPE_LABELS = {
    "villager_group": "村民小组",
    "household": "户",
    "person": "人员",
    "person_category": "人员类别",
    "migrant_document": "外出务工证明",
    "key_field_change": "关键信息变更",
    "registration": "参保登记",
    "contribution": "缴费",
    "receipt": "收款票据",
    "receipt_book": "票据本",
    "day_close": "日结",
    "advance": "垫付",
    "benefit_case": "待遇申请",
    "survival_check": "资格认证",
    "cancellation": "注销登记",
    "public_notice": "公示",
    "notice_objection": "公示异议",
}

#: What the coordinator should do for each result code the county gives (property 6: shown, never hidden).
ADVICE = {
    "immutable": "缴费、认证等记录不能修改。请在本机录入一条冲正（更正）记录，原记录保持不变。",
    "forbidden_village": "该记录不属于本机登记的村。请核对后联系县社保局，不要重复上传。",
    "unknown_type": "县里的服务器不认识此类记录。请升级本程序后再同步，或联系技术支持。",
    "record_deleted": "县里已删除该记录。请与县社保局核对是否应当删除。",
    "server_error": "县里保存时出错，已隔离待处理。请联系县社保局。",
    "record_exists": "县里已有内容不同的同一记录。请打开对照两边内容，选择保留本机或采用县级。",
    "version_mismatch": "县里的这条记录已被别人修改。请打开对照两边内容，选择保留本机或采用县级。",
    "change_id_reused": "县里收到过同一编号但内容不同的修改。请打开对照两边内容，选择保留本机或采用县级。",
}
DEFAULT_REJECTED_ADVICE = "请按上面的原因核对该记录；若不明白原因，请联系县社保局。"
DEFAULT_CONFLICT_ADVICE = "请打开对照两边内容，选择保留本机或采用县级。"

#: Field names shown in the side-by-side conflict view; others are shown by their key.
FIELD_LABELS = {
    "name": "姓名",
    "id_number": "公民身份号码",
    "sex": "性别",
    "birth_date": "出生日期",
    "ethnicity": "民族",
    "hukou_address": "户籍所在地",
    "residence_address": "居住地址",
    "phone": "联系电话",
    "status": "参保状态",
    "status_reason": "状态原因",
    "status_since": "状态起始日期",
    "relation": "与户主关系",
    "group_id": "村民小组",
    "household_id": "户",
    "bank_card": "银行卡号",
    "notes": "备注",
    "review_state": "审核状态",
    "return_reason": "退回原因",
    "version": "版本",
    "local_hukou": "本地户籍",
    "is_student": "在校学生",
    "is_migrant_worker": "外出务工",
}
#: Bookkeeping fields that differ on every save and say nothing to the coordinator.
_HIDDEN_FIELDS = {"id", "created_at", "updated_at", "created_by", "updated_by", "name_initials", "id_number_rev"}


def database_for(session_factory: SessionFactory, path: Path) -> Database:
    """The :class:`Database` behind ``session_factory`` (``Database.session``), else a new one on ``path``.

    The sync engine needs the database itself (it opens its own short write transactions); the GUI is handed
    only the session factory. A new handle is opened without migrating (the program already upgraded the file).
    """
    owner = getattr(session_factory, "__self__", None)
    if isinstance(owner, Database):
        return owner
    return open_database(path, migrate=False, create=False)


# --- Status --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SyncOverview:
    """Everything the top of the 同步 page shows."""

    enrolled: bool
    server_url: str | None = None
    village: str | None = None
    device_id: str | None = None
    last_sync_at: datetime | None = None  # local time, aware
    last_result: str | None = None
    clock_warning: str | None = None
    counts: dict[str, int] = field(default_factory=dict)
    #: 请先升级… / 有新版本… from the county's last handshake, against this program (shown offline too).
    update_notice: str | None = None
    #: 审计日志与县里上次收到的不一致… while the county holds an open audit alert for this laptop.
    audit_warning: str | None = None

    @property
    def waiting(self) -> int:
        """Rows not yet confirmed by the county (pending + sent, unanswered)."""
        return self.counts.get("pending", 0) + self.counts.get("in_flight", 0)

    @property
    def to_resolve(self) -> int:
        """Rows the county refused or disputed: a person must act."""
        return self.counts.get("rejected", 0) + self.counts.get("conflict", 0)


def overview(session: Session) -> SyncOverview:
    """Enrolment, last sync and outbox counts, read in one session."""
    counts = outbox.counts_by_state(session)
    state = sync_state(session)
    if state is None or not state.device_token:
        return SyncOverview(enrolled=False, counts=counts)
    village = session.get(Village, state.village_id) if state.village_id else None
    skew = state.clock_skew_seconds
    last = state.last_sync_at.replace(tzinfo=UTC).astimezone() if state.last_sync_at else None
    return SyncOverview(
        enrolled=True,
        server_url=state.server_url,
        village=f"{village.name}（{village.code}）" if village is not None else None,
        device_id=state.device_id,
        last_sync_at=last,
        last_result=state.last_result,
        clock_warning=clock_warning(skew) if skew is not None and abs(skew) > CLOCK_WARNING_SECONDS else None,
        counts=counts,
        update_notice=update_notice(session),
        audit_warning=audit_warning(session),
    )


# --- Problems ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProblemRow:
    """A record the county refused (被拒绝) or disputed (有冲突), with the reason and what to do."""

    outbox_id: str
    is_conflict: bool
    record_type: str
    record_label: str  # 人员、缴费 …
    subject: str  # whose record: a name, or the short record ID
    captured_at: datetime
    reason: str
    advice: str


def _subject(session: Session, record_type: str, payload: dict[str, Any], record_id: str) -> str:
    if record_type == "person" and payload.get("name"):
        return str(payload["name"])
    person_id = payload.get("person_id")
    if isinstance(person_id, str):
        person = session.get(Person, person_id)
        if person is not None:
            return person.name
    if payload.get("name"):
        return str(payload["name"])
    return f"编号 {record_id[:8]}"


def problem_rows(session: Session) -> list[ProblemRow]:
    """Every rejected or conflicting outbox row, oldest first, in plain Chinese."""
    rows = []
    for row in outbox.problems(session):
        conflict = row.state == OutboxState.CONFLICT
        code = row.result_code or ""
        rows.append(
            ProblemRow(
                outbox_id=row.id,
                is_conflict=conflict,
                record_type=row.record_type,
                record_label=RECORD_TYPE_LABELS.get(row.record_type, row.record_type),
                subject=_subject(session, row.record_type, row.payload, row.record_id),
                captured_at=row.created_at.replace(tzinfo=UTC).astimezone(),
                reason=row.result_message or ("县里认为两边内容不一致" if conflict else "县里拒收，未说明原因"),
                advice=ADVICE.get(code, DEFAULT_CONFLICT_ADVICE if conflict else DEFAULT_REJECTED_ADVICE),
            )
        )
    return rows


# --- Conflicts -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ConflictField:
    """One line of the side-by-side view."""

    key: str
    label: str
    laptop: str
    county: str

    @property
    def differs(self) -> bool:
        """Whether the two sides disagree on this field."""
        return self.laptop != self.county


@dataclass(frozen=True)
class ConflictView:
    """The laptop's and the county's content of one disputed record."""

    outbox_id: str
    title: str
    reason: str
    fields: list[ConflictField]


def _shown(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value)


def conflict_view(session: Session, outbox_id: str) -> ConflictView:
    """Both sides of a conflict, differing fields first; raises ``ValueError`` if it is not an open conflict."""
    row = next((r for r in outbox.problems(session) if r.id == outbox_id and r.state == OutboxState.CONFLICT), None)
    if row is None:
        raise ValueError("该记录不是待处理的冲突")
    laptop = {k: v for k, v in row.payload.items() if not k.startswith("_")}
    county = outbox.conflict_detail(session, row).get("server_payload") or {}
    keys = [k for k in dict.fromkeys([*laptop, *county]) if k not in _HIDDEN_FIELDS]
    fields = [ConflictField(k, FIELD_LABELS.get(k, k), _shown(laptop.get(k)), _shown(county.get(k))) for k in keys]
    fields.sort(key=lambda f: not f.differs)  # stable: the differences on top, each group in payload order
    label = RECORD_TYPE_LABELS.get(row.record_type, row.record_type)
    subject = _subject(session, row.record_type, row.payload, row.record_id)
    return ConflictView(row.id, f"{label}：{subject}", row.result_message or "", fields)


def resolve_conflict(db: Database, outbox_id: str, *, keep: str, operator: str) -> None:
    """Close a conflict in one transaction: ``keep="laptop"`` re-sends ours, ``keep="county"`` takes theirs."""
    with db.session(immediate=True) as session:
        outbox.resolve_conflict(session, outbox_id, keep=keep, operator=operator)


# --- Auto-sync -----------------------------------------------------------------------------------------------


def auto_sync_enabled(session: Session) -> bool:
    """Whether the coordinator turned 自动同步 on (off by default: a village link may cost money)."""
    row = session.get(Setting, AUTO_SYNC_SETTING)
    return bool(row.value) if row is not None else False


def set_auto_sync(session: Session, enabled: bool) -> None:
    """Remember the 自动同步 choice in this database."""
    session.merge(Setting(key=AUTO_SYNC_SETTING, value=bool(enabled)))


# --- County roster (县级花名册) ------------------------------------------------------------------------------


def county_resident_by_id_number(
    session: Session, id_number: str, *, exclude_person_id: str | None = None
) -> CountyResident | None:
    """The resident the county knows under ``id_number`` (for 'already known to the county' warnings), if any.

    ``exclude_person_id``: the person being edited (the county's record of that same person is no duplicate).
    The roster arrives with each sync (``roster`` changes), so it is as fresh as the last sync.
    """
    query = select(CountyResident).where(CountyResident.id_number == id_number.strip().upper())
    if exclude_person_id is not None:
        query = query.where(CountyResident.person_id != exclude_person_id)
    return session.scalars(query.order_by(CountyResident.person_id).limit(1)).first()
