"""Reading the audit trail (操作日志查询) for the 操作日志 viewer: filters, pages of rows, one entry's before/after.

Qt-free; ``gui.audit_viewer`` shows it. Like the person list, a filter yields only entry numbers (``seq``, newest
first) and the rows of a page are read when they are shown, so 100,000 entries open at once.

Filters: a person (name, or part of the ID number) matches entries about that person — the person record itself
and every record that carries the person's ID (``person_id``: registrations, contributions, survival checks …);
an operator; a date range (local dates, inclusive).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session

from pensiondesk.domain.codes import PersonStatus, Relation, ReviewState, Sex, SurvivalMethod, SurvivalResult
from pensiondesk.services.audit import local_time
from pensiondesk.services.syncing import FIELD_LABELS, RECORD_TYPE_LABELS
from pensiondesk.store.models import AuditEntry, Person

#: Chinese names of the actions the services record; an action not listed is shown as recorded.
ACTION_LABELS = {
    "add_person": "新增人员",
    "update_general_fields": "修改人员信息",
    "key_field_change": "变更关键信息",
    "edit_person": "修改人员信息",
    "register": "参保登记",
    "add_category": "增加人员类别",
    "end_category": "结束人员类别",
    "complete_category": "补登人员类别证明",
    "add_migrant_document": "登记外出务工证明",
    "receive_migrant_document": "收到外出务工证明",
    "mark_migrant_worker": "标记外出务工",
    "create_household": "新建户",
    "set_household_head": "设定户主",
    "move_to_household": "迁入其他户",
    "set_relation": "变更与户主关系",
    "mark_relation_check": "与户主关系待核对（户主已变更）",
    "confirm_relation": "已核对与户主关系",
    "relation_check_settled": "与户主关系不再待核对（户主变更时已定）",
    "relation_check_left": "与户主关系不再待核对（已离开该户）",
    "create_group": "新建村民小组",
    "rename_group": "村民小组改名",
    "enrolled_by_county": "县里已参保",
    "contribution.collect": "收缴费",
    "contribution.reverse": "缴费冲正",
    "receipt.issue": "开具票据",
    "receipt.void": "作废票据",
    "receipt.print": "打印票据",
    "receipt.reprint": "补打票据",
    "receipt.day_closed": "票据已日结",
    "receipt_book.register": "登记票据本",
    "receipt_book.open": "启用票据本",
    "receipt_book.close": "停用票据本",
    "receipt_book.use": "使用票据号",
    "receipt_book.used_up": "票据本用完",
    "receipt_book.write_off": "票据本核销",
    "day_close.close": "日结",
    "advance.apply": "申请垫付",
    "advance.approve": "批准垫付",
    "advance.refuse": "拒绝垫付",
    "survival_check.record": "资格认证",
    "person.resume": "恢复待遇",
    "person.suspension_pending": "待暂停待遇",
    "person.status": "参保状态变更",
    "person.terminate": "终止参保",
    "cancellation.report": "报告死亡/注销",
    "cancellation.heir": "登记继承人",
    "benefit_case.open": "受理待遇申请",
    "benefit_case.notified": "已告知待遇申请",
    "benefit_case.submit": "上报待遇申请",
    "benefit_case.answer": "县里审核待遇申请",
    "public_notice.create": "发布公示",
    "notice_objection.create": "登记公示异议",
    "notice_objection.resolve": "处理公示异议",
    "announcement.print": "打印通知",
    "user.create": "新建用户",
    "user.enable": "启用用户",
    "user.disable": "停用用户",
    "user.password": "修改密码",
    "village_check": "村级初审通过",
    "village_return": "初审退回",
    "submit": "上报参保登记",
    "county_answer": "县里审核参保登记",
    "household_emptied": "户已无成员",
    "dismiss_duplicate": "判定不是同一人",
    "undo_dismiss_duplicate": "撤销“不是同一人”判定",
    "death_notice_received": "收到死亡通知",
    "announcement_settings.save": "保存通知设置",
    "receipt.void_blank": "作废空白票据",
    "receipt.lost": "票据遗失登记",
    "receipt.overlay_calibrate": "套打校准",
    "receipt.print_mode": "设置票据打印方式",
    "receipt.signing_key_created": "生成票据验真密钥",
    "advance.repay.withholding": "垫付还款（扣发养老金）",
    "advance.repay.agreement": "垫付还款（协议还款）",
    "setting.idle_lock": "设置自动锁定",
    "setup.village_offline": "离线设置本村",
}

_EXTRA_FIELD_LABELS = {
    "person_id": "人员",
    "amount_fen": "金额（分）",
    "tier_fen": "缴费档次（分）",
    "year": "年度",
    "paid_on": "缴费日期",
    "registered_on": "登记日期",
    "receipt_no": "票据号",
    "series": "票据系列",
    "reason": "原因",
    "checked_on": "认证日期",
    "method": "认证方式",
    "result": "认证结果",
    "entered_by": "录入人",
    "reviewed_by": "复核人",
    "head_person_id": "户主",
    "old_head_person_id": "原户主",
    "suggested_relation": "建议的关系",
    "category": "人员类别",
    "code": "编码",
    "created_at": "创建时间",
    "updated_at": "修改时间",
    "created_by": "创建人",
    "updated_by": "修改人",
}


#: Coded fields shown by their Chinese label (the code itself when it is not one the program knows).
_CODED_FIELDS: dict[str, type[Sex | Relation | PersonStatus | ReviewState | SurvivalMethod | SurvivalResult]] = {
    "sex": Sex,
    "relation": Relation,
    "suggested_relation": Relation,
    "status": PersonStatus,
    "review_state": ReviewState,
    "method": SurvivalMethod,
    "result": SurvivalResult,
}


def field_label(key: str) -> str:
    """A field's Chinese name where the program has one, else its key."""
    return FIELD_LABELS.get(key) or _EXTRA_FIELD_LABELS.get(key) or key


def action_label(action: str) -> str:
    """An action's Chinese name, or the action as recorded.

    ``change_<key field>`` (关键信息变更) reads 变更 and the field's name; ``cancellation.<state>`` reads 注销登记
    and the state.
    """
    if action in ACTION_LABELS:
        return ACTION_LABELS[action]
    field = action.removeprefix("change_")
    if field != action and field_label(field) != field:
        return f"变更{field_label(field)}"
    state = action.removeprefix("cancellation.")
    if state != action and state in {s.value for s in ReviewState}:
        return f"注销登记：{ReviewState(state).label}"
    return action


@dataclass(frozen=True)
class AuditFilter:
    """What the 操作日志 shows: everything, or entries about a person, by an operator, within dates."""

    person: str = ""  # name, or part of an ID number
    user: str | None = None
    date_from: date | None = None
    date_to: date | None = None


@dataclass(frozen=True)
class AuditRow:
    """One line of the viewer."""

    seq: int
    at: str  # local time
    user: str
    action: str
    entity: str
    person_name: str
    reason: str


@dataclass(frozen=True)
class FieldChange:
    """One field of an entry's before/after."""

    key: str
    label: str
    before: str
    after: str

    @property
    def changed(self) -> bool:
        return self.before != self.after


@dataclass(frozen=True)
class AuditDetail:
    """One entry in full, for the detail pane."""

    row: AuditRow
    entity_type: str
    entity_id: str
    fields: list[FieldChange]


def _utc(day: date) -> datetime:
    """Local midnight of ``day`` as naive UTC (how moments are stored)."""
    return datetime.combine(day, time()).astimezone().astimezone(UTC).replace(tzinfo=None)


def _person_key() -> ColumnElement[Any]:
    """The person an entry concerns: the person record itself, or the ``person_id`` its content carries."""
    t = AuditEntry.__table__.c
    return func.coalesce(func.json_extract(t.after, "$.person_id"), func.json_extract(t.before, "$.person_id"))


def _conditions(flt: AuditFilter) -> list[ColumnElement[bool]]:
    t = AuditEntry.__table__.c
    out: list[ColumnElement[bool]] = []
    if flt.user:
        out.append(t.user == flt.user)
    if flt.date_from:
        out.append(t.at >= _utc(flt.date_from))
    if flt.date_to:
        out.append(t.at < _utc(flt.date_to + timedelta(days=1)))
    text = flt.person.strip()
    if text:
        like = f"%{text.upper() if text[-1:].lower() == 'x' else text}%"
        people = select(Person.id).where(or_(Person.name.like(f"%{text}%"), Person.id_number.like(like)))
        out.append(or_(and_(t.entity_type == "person", t.entity_id.in_(people)), _person_key().in_(people)))
    return out


def entry_seqs(session: Session, flt: AuditFilter) -> list[int]:
    """The entry numbers matching ``flt``, newest first."""
    t = AuditEntry.__table__.c
    query = select(t.seq).order_by(t.seq.desc())
    conditions = _conditions(flt)
    if conditions:
        query = query.where(and_(*conditions))
    return [int(s) for s in session.scalars(query)]


def operators(session: Session) -> list[str]:
    """Every operator that appears in the log."""
    t = AuditEntry.__table__.c
    return [u for u in session.scalars(select(t.user).where(t.user.is_not(None)).distinct().order_by(t.user)) if u]


def _names(session: Session, ids: set[str]) -> dict[str, str]:
    names: dict[str, str] = {}
    chunk = sorted(ids)
    for i in range(0, len(chunk), 500):
        for pid, name in session.execute(select(Person.id, Person.name).where(Person.id.in_(chunk[i : i + 500]))):
            names[pid] = name
    return names


def _person_of(entity_type: str, entity_id: str, before: Any, after: Any) -> str | None:
    if entity_type == "person":
        return entity_id
    for content in (after, before):
        if isinstance(content, dict) and isinstance(content.get("person_id"), str):
            return str(content["person_id"])
    return None


#: Village working records that are not synced (so not in ``RECORD_TYPE_LABELS``) but are audited.
_LOCAL_RECORD_LABELS = {"relation_check": "关系待核对", "duplicate_dismissal": "不是同一人判定"}


def _entity_text(entity_type: str, entity_id: str) -> str:
    label = RECORD_TYPE_LABELS.get(entity_type) or _LOCAL_RECORD_LABELS.get(entity_type, entity_type)
    return f"{label} {entity_id[:8]}"


def entry_rows(session: Session, seqs: Sequence[int]) -> dict[int, AuditRow]:
    """The rows of ``seqs`` (those still present), by seq."""
    if not seqs:
        return {}
    t = AuditEntry.__table__.c
    raw = session.execute(
        select(t.seq, t.at, t.user, t.action, t.entity_type, t.entity_id, t.before, t.after, t.reason).where(
            t.seq.in_(list(seqs))
        )
    ).all()
    persons = {r.seq: _person_of(r.entity_type, r.entity_id, r.before, r.after) for r in raw}
    names = _names(session, {p for p in persons.values() if p})
    return {
        r.seq: AuditRow(
            seq=r.seq,
            at=local_time(r.at),
            user=r.user or "",
            action=action_label(r.action),
            entity=_entity_text(r.entity_type, r.entity_id),
            person_name=names.get(persons[r.seq] or "", ""),
            reason=r.reason or "",
        )
        for r in raw
    }


def _text(value: Any, key: str = "") -> str:
    coded = _CODED_FIELDS.get(key)
    if coded is not None and isinstance(value, str):
        try:
            return coded(value).label
        except ValueError:
            return value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def entry_detail(session: Session, seq: int) -> AuditDetail | None:
    """One entry with its before/after field by field: the changed fields first, then the others (labelled ones
    in the record's order, then the rest by key); coded values by their Chinese names."""
    t = AuditEntry.__table__.c
    try:
        entry = session.execute(select(t.entity_type, t.entity_id, t.before, t.after).where(t.seq == seq)).one_or_none()
        row = entry_rows(session, [seq]).get(seq)
    except ValueError:  # before/after is not JSON any more: someone wrote into the file
        return None
    if entry is None or row is None:
        return None
    before = entry.before if isinstance(entry.before, dict) else {}
    after = entry.after if isinstance(entry.after, dict) else {}
    keys = list(dict.fromkeys([*before, *after]))
    labelled = [k for k in keys if k in FIELD_LABELS or k in _EXTRA_FIELD_LABELS]
    others = sorted(k for k in keys if k not in labelled)
    fields = [
        FieldChange(key=k, label=field_label(k), before=_text(before.get(k), k), after=_text(after.get(k), k))
        for k in [*labelled, *others]
    ]
    fields.sort(key=lambda f: not f.changed)  # what changed first, the rest in the same order below
    return AuditDetail(row=row, entity_type=entry.entity_type, entity_id=entry.entity_id, fields=fields)
