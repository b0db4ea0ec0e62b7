"""Survival certification (领取资格认证 / 生存认证, domain.md §9): lists, recording checks, suspensions.

Every pensioner (待遇领取 or 暂停) has a rolling cycle (see :mod:`pensiondesk.domain.survival`). This module
lists pensioners by their state on a day — due within 30 days (即将到期), overdue (已逾期，待暂停), suspended
(已暂停) — records a certification (one at a time, or a day of home visits at once), and marks lapsed cycles.

How states are stored:

* **Suspension pending (待暂停).** A pensioner whose cycle lapsed keeps status 待遇领取 and gets the reason code
  1201 (未提供生存证明) with ``status_since`` on the first day of the first unpaid month
  (:func:`mark_overdue_suspensions`). The county suspends payment itself; when its answer arrives the status
  becomes 暂停 with the same reason. Either way the first unpaid month is kept.
* **Resuming (恢复发放).** A successful certification (认证通过) of a pensioner whose cycle had lapsed — marked
  pending, suspended for 1201, or simply lapsed — sets the status back to 待遇领取 and stores on the check the
  months to back-pay (补发月数): from the first unpaid month through the certification month. A suspension for
  another reason (服刑 1202) is not lifted by a certification.
* **Evidence.** An optional photo or scan is copied next to the database (``attachments/survival/<sha256>.<ext>``,
  content-addressed so the same file is stored once) and its SHA-256 kept on the record, so a later change to
  the file can be detected.
* Checks are immutable facts (sync-protocol.md §10): a wrong one is corrected by a new record, never edited.
"""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pensiondesk.domain.codes import PersonStatus, ReviewState, Sex, SurvivalMethod, SurvivalResult, SuspensionReason
from pensiondesk.domain.pension import YearMonth
from pensiondesk.domain.policy import PolicyPack
from pensiondesk.domain.survival import (
    DUE_WITHIN_DAYS,
    Cycle,
    SurvivalStatus,
    back_pay_months,
    classify,
    current_cycle,
    cycle_after,
    month_of,
)
from pensiondesk.services.pensioner_common import group_names, policy_pack_for
from pensiondesk.services.people_types import Problem, ServiceError
from pensiondesk.services.recording import Actor, record_change, snapshot
from pensiondesk.store.models import BenefitCase, Person, SurvivalCheck

__all__ = [
    "MAX_ATTACHMENT_BYTES",
    "CheckInput",
    "CheckOutcome",
    "SurvivalRow",
    "attachments_dir_for",
    "checks_for_person",
    "is_suspension_pending",
    "mark_overdue_suspensions",
    "parse_method",
    "record_check",
    "record_checks",
    "survival_rows",
]

#: Largest photo or scan kept with a check (a phone photo is 2–8 MB).
MAX_ATTACHMENT_BYTES = 30 * 1024 * 1024
PENSIONER_STATUSES = (PersonStatus.RECEIVING, PersonStatus.SUSPENDED)
_PENDING_REASON = SuspensionReason.NO_SURVIVAL_PROOF.value

# What a coordinator types for a method: the Chinese short forms of the issue, the labels, the codes.
_METHOD_WORDS: dict[str, SurvivalMethod] = {
    "上门": SurvivalMethod.HOME_VISIT,
    "入户": SurvivalMethod.HOME_VISIT,
    "实地": SurvivalMethod.ON_SITE,
    "现场": SurvivalMethod.ON_SITE,
    "异地": SurvivalMethod.ELSEWHERE,
    "人脸": SurvivalMethod.FACE_SELF_SERVICE,
    "自助": SurvivalMethod.FACE_SELF_SERVICE,
    "数据比对": SurvivalMethod.DATA_COMPARISON,
    "比对": SurvivalMethod.DATA_COMPARISON,
}


def parse_method(text: str) -> SurvivalMethod:
    """认证方式 from a code (``home_visit``), a label (上门认证) or a short word (上门, 实地, 异地, 人脸, 数据比对)."""
    key = text.strip()
    for method in SurvivalMethod:
        if key in (method.value, method.label):
            return method
    for word, method in _METHOD_WORDS.items():
        if key in (word, word + "认证"):
            return method
    choices = "、".join(_METHOD_WORDS)
    raise ServiceError(f"认证方式“{key}”无法识别：可以写 {choices}")


def is_suspension_pending(person: Person) -> bool:
    """待暂停: still 待遇领取 but marked 1201 because the cycle lapsed."""
    return person.status is PersonStatus.RECEIVING and person.status_reason == _PENDING_REASON


@dataclass(frozen=True, slots=True)
class SurvivalRow:
    """One pensioner on a day: the cycle in force and its state."""

    person_id: str
    name: str
    sex: Sex
    id_number: str
    group_id: str | None
    group_name: str
    status: PersonStatus
    status_reason: str | None
    status_since: date | None
    approved_on: date | None
    last_certified_on: date | None
    last_method: SurvivalMethod | None
    cycle: Cycle | None
    state: SurvivalStatus

    @property
    def pending(self) -> bool:
        return self.status is PersonStatus.RECEIVING and self.status_reason == _PENDING_REASON

    @property
    def cycle_end(self) -> date | None:
        return self.cycle.last_day if self.cycle else None

    def days_left(self, on: date) -> int | None:
        return self.cycle.days_left(on) if self.cycle else None


def _approvals(session: Session, person_ids: Sequence[str] | None = None) -> dict[str, date]:
    query = (
        select(BenefitCase.person_id, func.max(BenefitCase.approved_on))
        .where(BenefitCase.review_state == ReviewState.APPROVED, BenefitCase.approved_on.is_not(None))
        .group_by(BenefitCase.person_id)
    )
    if person_ids is not None:
        query = query.where(BenefitCase.person_id.in_(person_ids))
    return {person_id: day for person_id, day in session.execute(query) if day is not None}


def _last_checks(session: Session, person_ids: Sequence[str] | None = None) -> dict[str, tuple[date, SurvivalMethod]]:
    latest = (
        select(SurvivalCheck.person_id, func.max(SurvivalCheck.checked_on).label("day"))
        .where(SurvivalCheck.result == SurvivalResult.ALIVE)
        .group_by(SurvivalCheck.person_id)
    )
    if person_ids is not None:
        latest = latest.where(SurvivalCheck.person_id.in_(person_ids))
    sub = latest.subquery()
    rows = session.execute(
        select(SurvivalCheck.person_id, SurvivalCheck.checked_on, SurvivalCheck.method)
        .join(sub, (sub.c.person_id == SurvivalCheck.person_id) & (sub.c.day == SurvivalCheck.checked_on))
        .where(SurvivalCheck.result == SurvivalResult.ALIVE)
    )
    return {person_id: (day, method) for person_id, day, method in rows}


def survival_rows(
    session: Session,
    *,
    as_of: date,
    pack: PolicyPack | None = None,
    group_id: str | None = None,
    states: Iterable[SurvivalStatus] | None = None,
    person_ids: Sequence[str] | None = None,
) -> list[SurvivalRow]:
    """Every pensioner (or those of ``group_id`` / ``person_ids``) with the state of their cycle on ``as_of``.

    ``states`` keeps only those states (e.g. ``{DUE}`` for the due list). Sorted by group, then by the end of
    the cycle (the most urgent first), then name.
    """
    pack = pack or policy_pack_for(session, as_of)
    wanted = set(states) if states is not None else None
    query = select(Person).where(Person.status.in_(PENSIONER_STATUSES))
    if group_id is not None:
        query = query.where(Person.group_id == group_id)
    if person_ids is not None:
        query = query.where(Person.id.in_(person_ids))
    people = session.scalars(query).all()
    approvals = _approvals(session, person_ids)
    checks = _last_checks(session, person_ids)
    names = group_names(session)
    order = {gid: index for index, gid in enumerate(names)}
    rows: list[SurvivalRow] = []
    for person in people:
        check = checks.get(person.id)
        approved_on = approvals.get(person.id)
        cycle = current_cycle(approved_on, check[0] if check else None, pack.survival_cycle_months)
        suspended = person.status is PersonStatus.SUSPENDED
        state = classify(cycle, as_of, suspended=suspended, due_within_days=DUE_WITHIN_DAYS)
        if person.status is PersonStatus.RECEIVING and person.status_reason == _PENDING_REASON:
            state = SurvivalStatus.OVERDUE  # marked pending: overdue until a certification, whatever the data says
        if wanted is not None and state not in wanted:
            continue
        rows.append(
            SurvivalRow(
                person_id=person.id,
                name=person.name,
                sex=person.sex,
                id_number=person.id_number,
                group_id=person.group_id,
                group_name=names.get(person.group_id or "", ""),
                status=person.status,
                status_reason=person.status_reason,
                status_since=person.status_since,
                approved_on=approved_on,
                last_certified_on=check[0] if check else None,
                last_method=check[1] if check else None,
                cycle=cycle,
                state=state,
            )
        )
    far = date.max
    rows.sort(key=lambda r: (order.get(r.group_id or "", len(order)), r.cycle_end or far, r.name))
    return rows


def checks_for_person(session: Session, person_id: str) -> list[SurvivalCheck]:
    """A pensioner's certifications, newest first."""
    return list(
        session.scalars(
            select(SurvivalCheck)
            .where(SurvivalCheck.person_id == person_id)
            .order_by(SurvivalCheck.checked_on.desc(), SurvivalCheck.created_at.desc())
        )
    )


@dataclass(frozen=True)
class CheckInput:
    """One certification as entered: who, when, how, who certified, the witness, evidence, result."""

    person_id: str
    checked_on: date
    method: SurvivalMethod
    certifier: str  # 认证人 (for 异地: the certifying office, 认证机构)
    result: SurvivalResult = SurvivalResult.ALIVE
    witness: str | None = None  # 见证人
    attachment: Path | None = None  # photo or scanned document (照片/扫描件)
    notes: str | None = None


@dataclass(frozen=True)
class CheckOutcome:
    """What recording a check did."""

    check: SurvivalCheck
    person_name: str
    resumed: bool = False  # payment resumes (恢复发放)
    back_pay_months: int = 0  # 补发月数
    first_unpaid_month: YearMonth | None = None
    new_cycle: Cycle | None = None
    needs_death_report: bool = False
    notes: list[str] = field(default_factory=list)

    @property
    def message(self) -> str:
        """One plain-Chinese sentence about the result."""
        if self.needs_death_report:
            return f"{self.person_name}：认证结果为已死亡，请办理死亡注销登记"
        if self.check.result is SurvivalResult.NOT_FOUND:
            return f"{self.person_name}：未找到本人，认证未通过，请尽快再次认证"
        parts = [f"{self.person_name}：认证通过"]
        if self.new_cycle is not None:
            parts.append(f"下次认证截止 {self.new_cycle.last_day.isoformat()}")
        if self.resumed:
            if self.first_unpaid_month is not None:
                parts.append(f"恢复发放，补发 {self.back_pay_months} 个月（自 {self.first_unpaid_month} 起）")
            else:
                parts.append("恢复发放；暂停起始月份不详，补发月数以县级核定为准")
        return "，".join(parts) + ("。" + "；".join(self.notes) if self.notes else "")


def attachments_dir_for(session: Session) -> Path:
    """``attachments/`` beside the database file this session works on."""
    database = session.get_bind().engine.url.database
    if not database or database == ":memory:":
        raise ServiceError("内存数据库无法保存附件")
    return Path(database).expanduser().absolute().parent / "attachments"


def _store_attachment(source: Path, directory: Path) -> tuple[str, str]:
    """Copy ``source`` to ``directory/survival/<sha256><suffix>``; returns (relative path, sha256)."""
    try:
        size = source.stat().st_size
        if size > MAX_ATTACHMENT_BYTES:
            limit = MAX_ATTACHMENT_BYTES // (1024 * 1024)
            raise ServiceError(f"附件“{source.name}”太大（超过 {limit} MB），请压缩后再选")
        digest = hashlib.sha256()
        with source.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        sha = digest.hexdigest()
        relative = Path("survival") / f"{sha}{source.suffix.lower()}"
        target = directory / relative
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            partial = target.with_name(target.name + ".part")
            shutil.copyfile(source, partial)
            partial.replace(target)
    except FileNotFoundError:
        raise ServiceError(f"找不到附件文件：{source}") from None
    except OSError as exc:
        raise ServiceError(f"附件“{source.name}”无法保存：{exc.strerror or exc}") from None
    return relative.as_posix(), sha


def _problems(session: Session, entry: CheckInput, person: Person | None, today: date) -> list[Problem]:
    problems: list[Problem] = []
    if person is None:
        return [Problem("person_id", "找不到这个人员，可能已被删除")]
    if person.status is PersonStatus.TERMINATED:
        problems.append(Problem("person_id", f"{person.name}已注销（终止参保），不能再认证"))
    elif person.status not in PENSIONER_STATUSES:
        problems.append(Problem("person_id", f"{person.name}不是待遇领取人员，无需领取资格认证"))
    if entry.checked_on > today:
        problems.append(Problem("checked_on", "认证日期不能晚于今天"))
    if entry.checked_on < person.birth_date:
        problems.append(Problem("checked_on", "认证日期早于出生日期"))
    if not entry.certifier.strip():
        what = "认证机构" if entry.method is SurvivalMethod.ELSEWHERE else "认证人"
        problems.append(Problem("certifier", f"请填写{what}"))
    duplicate = session.scalar(
        select(SurvivalCheck.id).where(
            SurvivalCheck.person_id == entry.person_id,
            SurvivalCheck.checked_on == entry.checked_on,
            SurvivalCheck.method == entry.method,
            SurvivalCheck.result == entry.result,
        )
    )
    if duplicate is not None:
        problems.append(Problem("checked_on", f"{person.name}在 {entry.checked_on.isoformat()} 已有一条同样的认证记录"))
    return problems


def record_check(
    session: Session,
    entry: CheckInput,
    *,
    actor: Actor,
    today: date | None = None,
    pack: PolicyPack | None = None,
    attachments_dir: Path | None = None,
) -> CheckOutcome:
    """Record one certification and what follows from it (see the module docstring)."""
    return record_checks(session, [entry], actor=actor, today=today, pack=pack, attachments_dir=attachments_dir)[0]


def record_checks(
    session: Session,
    entries: Sequence[CheckInput],
    *,
    actor: Actor,
    today: date | None = None,
    pack: PolicyPack | None = None,
    attachments_dir: Path | None = None,
) -> list[CheckOutcome]:
    """Record several certifications in one transaction (a day of home visits, 批量录入).

    Every entry is checked first; if any is wrong nothing is written and :class:`ServiceError` lists every
    problem, each prefixed with the person's name.
    """
    today = today or date.today()
    if not entries:
        raise ServiceError("没有要登记的认证")
    people = {p.id: p for p in session.scalars(select(Person).where(Person.id.in_({e.person_id for e in entries})))}
    problems: list[Problem] = []
    seen: set[str] = set()
    for entry in entries:
        person = people.get(entry.person_id)
        problems += _problems(session, entry, person, today)
        if entry.person_id in seen:
            name = person.name if person else entry.person_id
            problems.append(Problem("person_id", f"{name}在这批认证中出现了两次"))
        seen.add(entry.person_id)
    if problems:
        raise ServiceError(problems)

    pack = pack or policy_pack_for(session, today)
    rows = {row.person_id: row for row in survival_rows(session, as_of=today, pack=pack, person_ids=list(people))}
    outcomes: list[CheckOutcome] = []
    for entry in entries:
        person = people[entry.person_id]
        row = rows.get(person.id)
        attachment_path = attachment_sha = None
        if entry.attachment is not None:
            directory = attachments_dir or attachments_dir_for(session)
            attachment_path, attachment_sha = _store_attachment(Path(entry.attachment), directory)
        outcome_fields: dict[str, object] = {}
        notes: list[str] = []
        back_pay = 0
        if entry.result is SurvivalResult.ALIVE:
            if person.status is PersonStatus.SUSPENDED and person.status_reason != _PENDING_REASON:
                reason = _suspension_label(person.status_reason)
                notes.append(f"暂停原因为“{reason}”，认证不能恢复发放")
            else:
                first_unpaid = _first_unpaid_month(person, row, entry.checked_on)
                if first_unpaid is not None or person.status_reason == _PENDING_REASON:
                    back_pay = back_pay_months(first_unpaid, entry.checked_on) if first_unpaid else 0
                    outcome_fields.update(resumed=True, back_pay_months=back_pay, first_unpaid_month=first_unpaid)
            last = row.last_certified_on if row is not None else None
            outcome_fields["new_cycle"] = cycle_after(
                max(entry.checked_on, last or entry.checked_on), pack.survival_cycle_months
            )
        check = SurvivalCheck(
            person_id=person.id,
            checked_on=entry.checked_on,
            method=entry.method,
            result=entry.result,
            certifier=entry.certifier.strip(),
            witness=(entry.witness or "").strip() or None,
            attachment_path=attachment_path,
            attachment_sha256=attachment_sha,
            notes=(entry.notes or "").strip() or None,
            back_pay_months=back_pay,
            created_by=actor.username,
            updated_by=actor.username,
        )
        session.add(check)
        session.flush()
        record_change(
            session,
            actor=actor,
            action="survival_check.record",
            entity_type="survival_check",
            entity_id=check.id,
            before=None,
            after=snapshot(check),
        )
        if outcome_fields.get("resumed"):
            _resume(session, person, entry.checked_on, actor)
        outcomes.append(
            CheckOutcome(
                check=check,
                person_name=person.name,
                needs_death_report=entry.result is SurvivalResult.DECEASED,
                notes=notes,
                **outcome_fields,  # type: ignore[arg-type]
            )
        )
    return outcomes


def _first_unpaid_month(person: Person, row: SurvivalRow | None, checked_on: date) -> YearMonth | None:
    """The first month not paid because the cycle lapsed before ``checked_on``, when it is known.

    A person marked 1201 (pending or suspended) keeps it in ``status_since``; otherwise it follows from the cycle
    in force, when that cycle ended before the certification.
    """
    if person.status_reason == _PENDING_REASON and person.status_since is not None:
        return month_of(person.status_since)
    cycle = row.cycle if row is not None else None
    if cycle is not None and cycle.last_day < checked_on:
        return cycle.first_unpaid_month
    return None


def _suspension_label(code: str | None) -> str:
    try:
        return SuspensionReason(code).label if code else "其他"
    except ValueError:
        return code or "其他"


def _resume(session: Session, person: Person, checked_on: date, actor: Actor) -> None:
    """Lift a 1201 mark (pending or suspended); a lapsed cycle never marked leaves the person as it is."""
    if person.status_reason != _PENDING_REASON:
        return
    before = snapshot(person)
    person.status = PersonStatus.RECEIVING
    person.status_reason = None
    person.status_since = checked_on
    person.version += 1
    person.updated_by = actor.username
    record_change(
        session,
        actor=actor,
        action="person.resume",
        entity_type="person",
        entity_id=person.id,
        before=before,
        after=snapshot(person),
        reason="领取资格认证通过，恢复发放",
        base_version=before["version"],
    )


def overdue_to_mark(session: Session, *, as_of: date, pack: PolicyPack | None = None) -> list[SurvivalRow]:
    """The pensioners :func:`mark_overdue_suspensions` would mark now (nothing is written): to ask first."""
    pack = pack or policy_pack_for(session, as_of)
    return [
        row
        for row in survival_rows(session, as_of=as_of, pack=pack, states={SurvivalStatus.OVERDUE})
        if row.status is PersonStatus.RECEIVING and row.status_reason is None and row.cycle is not None
    ]


def mark_overdue_suspensions(
    session: Session, *, as_of: date, actor: Actor, pack: PolicyPack | None = None
) -> list[SurvivalRow]:
    """Mark every pensioner whose cycle lapsed as suspension pending (待暂停); returns those marked now."""
    marked: list[SurvivalRow] = []
    for row in overdue_to_mark(session, as_of=as_of, pack=pack):
        if row.cycle is None:
            continue  # never: overdue_to_mark keeps only rows with a cycle; kept for the type checker
        person = session.get(Person, row.person_id)
        if person is None:
            continue
        before = snapshot(person)
        first_unpaid = row.cycle.first_unpaid_month
        person.status_reason = _PENDING_REASON
        person.status_since = date(first_unpaid.year, first_unpaid.month, 1)
        person.version += 1
        person.updated_by = actor.username
        record_change(
            session,
            actor=actor,
            action="person.suspension_pending",
            entity_type="person",
            entity_id=person.id,
            before=before,
            after=snapshot(person),
            reason=f"认证周期已于 {row.cycle.last_day.isoformat()} 届满未认证，待暂停发放",
            base_version=before["version"],
        )
        marked.append(row)
    return marked
