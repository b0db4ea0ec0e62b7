"""Deaths and cancellation (死亡注销登记, domain.md §10): report, settle, review, and the 民政 death list.

A death is reported by the family (家属报告) or found on the civil-affairs monthly death list (民政死亡名单).
Reporting records the cancellation with everything the application form (注销登记暨丧葬补助金申请表) needs:

* the stop month and the overpayment (:mod:`pensiondesk.domain.cancellation`). The month the pension was last
  paid (*paid through*) is what the bank statement shows; when the coordinator does not give it, it is taken as
  the month of the report for a pensioner being paid (the pension of that month has normally gone out), and as
  the month before the suspension for a suspended one. The monthly amount is the county's approved amount
  (待遇核定) or, when this laptop has none, the basic pension in force on the day of death (the least the person
  was paid), which the county corrects;
* the funeral subsidy from the policy pack with the offset of the overpayment and the refusal cases
  (服刑 — also when the person is suspended for 1202; 死亡前已停发; 尚未领取; 已享受其他丧葬补助);
* the remaining personal account balance for the heir (个人账户余额, as last synced from the county) and any
  payment advance still owed (垫付未还: approved advances less what was repaid);
* the heir (继承人), the heir's ID and bank or social security card (the subsidy is never paid in cash).

The person becomes 终止 (1401 死亡) from the day of death. The review goes village → township → county:
录入 → 村级初审 (by someone other than who entered it, domain.md §14) → 已上报 → 乡镇复审 → 审核通过 (归档),
or 退回 with a reason from any stage after the village check, and back to 录入 to be corrected.

**Matching the 民政 list.** A row is matched only when its ID number (15-digit numbers converted) belongs to a
resident *and* the name agrees (after removing spaces and unifying the dots of minority names). A row whose ID
belongs to a resident with another name, or whose ID is unknown or unreadable but whose name is a resident's,
is *ambiguous* and listed with the candidates for the coordinator to decide; anything else is *unmatched*.
Residents already reported are listed apart; rows without a readable death date are listed as problems.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pensiondesk.domain.cancellation import (
    BenefitAtDeath,
    FuneralSettlement,
    Overpayment,
    funeral_settlement,
    overpayment,
    stop_month,
)
from pensiondesk.domain.codes import (
    AdvanceState,
    DeathSource,
    PersonStatus,
    ReviewState,
    Sex,
    SuspensionReason,
    TerminationReason,
)
from pensiondesk.domain.idnumber import InvalidIdNumber, parse
from pensiondesk.domain.pension import YearMonth, add_months
from pensiondesk.domain.policy import PolicyPack
from pensiondesk.domain.survival import month_of
from pensiondesk.services.pensioner_common import group_names, policy_pack_for, village_info
from pensiondesk.services.people_types import Problem, ServiceError
from pensiondesk.services.recording import Actor, record_change, snapshot
from pensiondesk.store.models import AccountBalance, Advance, BenefitCase, Cancellation, Person

__all__ = [
    "REVIEW_STEPS",
    "CancellationRow",
    "DeathApplication",
    "DeathListResult",
    "DeathListRow",
    "DeathMatch",
    "DeathReport",
    "HeirInput",
    "advance_cancellation_review",
    "cancellation_for",
    "death_application",
    "import_death_list",
    "list_cancellations",
    "match_death_list",
    "read_death_list",
    "report_death",
    "settle",
    "update_heir",
]

#: Allowed review steps (审核流程): state → the states it may move to.
REVIEW_STEPS: dict[ReviewState, tuple[ReviewState, ...]] = {
    ReviewState.ENTERED: (ReviewState.VILLAGE_CHECKED,),
    ReviewState.VILLAGE_CHECKED: (ReviewState.SUBMITTED, ReviewState.RETURNED),
    ReviewState.SUBMITTED: (ReviewState.TOWNSHIP_CHECKED, ReviewState.RETURNED),
    ReviewState.TOWNSHIP_CHECKED: (ReviewState.APPROVED, ReviewState.RETURNED),
    ReviewState.RETURNED: (ReviewState.ENTERED,),
    ReviewState.APPROVED: (),
}
#: The stage names on the application form for each state.
STAGE_LABELS: dict[ReviewState, str] = {
    ReviewState.ENTERED: "已录入，待村级初审",
    ReviewState.VILLAGE_CHECKED: "村级已初审，待上报",
    ReviewState.SUBMITTED: "已上报，待乡镇复审",
    ReviewState.TOWNSHIP_CHECKED: "乡镇已复审，待县级审核",
    ReviewState.APPROVED: "县级审核通过，已归档",
    ReviewState.RETURNED: "已退回",
}

_BANK_CARD = re.compile(r"^\d{12,19}$")


@dataclass(frozen=True)
class HeirInput:
    """继承人: name, 公民身份号码 and the bank or social security card the subsidy is paid to."""

    name: str
    id_number: str
    bank_card: str


@dataclass(frozen=True)
class DeathReport:
    """A death as reported (死亡报告)."""

    person_id: str
    death_date: date
    reported_on: date
    source: DeathSource = DeathSource.FAMILY
    evidence_ref: str | None = None  # 死亡证明 / 火化证明 / 户口注销证明 编号
    paid_through: YearMonth | None = None  # 养老金已发放至 (bank statement); None: the default rule
    monthly_fen: int | None = None  # 月养老金; None: the approved amount, else the basic pension
    imprisoned: bool = False  # 死亡时正在服刑
    other_funeral_grant: bool = False  # 已享受其他丧葬补助
    heir: HeirInput | None = None


@dataclass(frozen=True)
class Settlement:
    """The money of a cancellation: overpayment, funeral subsidy with its offset, account, advance."""

    stop_month: YearMonth
    paid_through: YearMonth | None
    monthly_fen: int
    monthly_is_estimate: bool
    overpaid: Overpayment
    funeral: FuneralSettlement
    account_balance_fen: int | None
    advance_owed_fen: int


def _benefit_at_death(person: Person, death_date: date) -> BenefitAtDeath:
    if person.status is PersonStatus.RECEIVING:
        pending = person.status_reason == SuspensionReason.NO_SURVIVAL_PROOF.value
        if pending and person.status_since is not None and person.status_since <= death_date:
            return BenefitAtDeath.STOPPED  # the cycle had lapsed: payment was stopped before death
        return BenefitAtDeath.RECEIVING
    if person.status is PersonStatus.SUSPENDED:
        return BenefitAtDeath.STOPPED
    return BenefitAtDeath.NOT_RECEIVING


def settle(session: Session, person: Person, report: DeathReport, pack: PolicyPack) -> Settlement:
    """Compute the money of a cancellation for ``person`` (nothing is written)."""
    stop = stop_month(report.death_date)
    state = _benefit_at_death(person, report.death_date)
    case = session.scalars(
        select(BenefitCase)
        .where(BenefitCase.person_id == person.id, BenefitCase.review_state == ReviewState.APPROVED)
        .order_by(BenefitCase.approved_on.desc())
        .limit(1)
    ).first()
    estimate = False
    if report.monthly_fen is not None:
        monthly = report.monthly_fen
    elif case is not None and case.approved_monthly_fen:
        monthly = case.approved_monthly_fen
    elif state is BenefitAtDeath.NOT_RECEIVING:
        monthly = 0
    else:
        monthly = pack.basic_pension_on(report.death_date)
        estimate = True
    paid_through = report.paid_through
    if paid_through is None:
        if state is BenefitAtDeath.RECEIVING:
            paid_through = month_of(report.reported_on)
        elif state is BenefitAtDeath.STOPPED and person.status_since is not None:
            paid_through = add_months(month_of(person.status_since), -1)
    over = overpayment(stop, paid_through, monthly) if state is not BenefitAtDeath.NOT_RECEIVING else Overpayment(0, 0)
    imprisoned = report.imprisoned or (
        person.status is PersonStatus.SUSPENDED and person.status_reason == SuspensionReason.IMPRISONED.value
    )
    funeral = funeral_settlement(
        pack.funeral_grant.amount if pack.funeral_grant else None,
        benefit_at_death=state,
        imprisoned=imprisoned,
        other_funeral_grant=report.other_funeral_grant,
        overpaid_fen=over.amount_fen,
    )
    balance = session.get(AccountBalance, person.id)
    owed = session.scalar(
        select(func.coalesce(func.sum(Advance.amount_fen - Advance.repaid_fen), 0)).where(
            Advance.person_id == person.id, Advance.state == AdvanceState.APPROVED
        )
    )
    return Settlement(
        stop_month=stop,
        paid_through=paid_through,
        monthly_fen=monthly,
        monthly_is_estimate=estimate,
        overpaid=over,
        funeral=funeral,
        account_balance_fen=balance.balance_fen if balance else None,
        advance_owed_fen=max(0, int(owed or 0)),
    )


def _heir_problems(heir: HeirInput | None) -> list[Problem]:
    if heir is None:
        return []
    problems: list[Problem] = []
    if not heir.name.strip():
        problems.append(Problem("heir_name", "请填写继承人姓名"))
    if heir.id_number.strip():
        try:
            parse(heir.id_number)
        except InvalidIdNumber as exc:
            problems.append(Problem("heir_id_number", f"继承人身份证号无效：{exc.message}"))
    card = "".join(heir.bank_card.split())
    if card and not _BANK_CARD.match(card):
        problems.append(Problem("heir_bank_card", "继承人银行卡（社保卡）号应为 12 到 19 位数字"))
    return problems


def _clean_heir(heir: HeirInput) -> tuple[str, str | None, str | None]:
    number = parse(heir.id_number).number if heir.id_number.strip() else None
    card = "".join(heir.bank_card.split()) or None
    return heir.name.strip(), number, card


@dataclass(frozen=True)
class CancellationRow:
    """One line of the cancellations list: the record and who it is about."""

    cancellation: Cancellation
    name: str
    id_number: str


def list_cancellations(session: Session) -> list[CancellationRow]:
    """Every cancellation (注销登记), latest report first."""
    rows = session.execute(
        select(Cancellation, Person.name, Person.id_number)
        .join(Person, Person.id == Cancellation.person_id)
        .order_by(Cancellation.reported_on.desc(), Cancellation.created_at.desc())
    ).all()
    return [CancellationRow(c, name, number) for c, name, number in rows]


def cancellation_for(session: Session, person_id: str) -> Cancellation | None:
    """The person's cancellation (注销登记), or ``None``."""
    return session.scalars(
        select(Cancellation).where(Cancellation.person_id == person_id).order_by(Cancellation.created_at.desc())
    ).first()


def report_death(
    session: Session, report: DeathReport, *, actor: Actor, today: date | None = None, pack: PolicyPack | None = None
) -> Cancellation:
    """Record a death: the cancellation with its settlement, and the person 终止 (1401) from the day of death."""
    today = today or date.today()
    person = session.get(Person, report.person_id)
    if person is None:
        raise ServiceError("找不到这个人员，可能已被删除")
    problems: list[Problem] = []
    existing = cancellation_for(session, person.id)
    if existing is not None:
        problems.append(Problem("person_id", f"{person.name}的死亡已于 {existing.reported_on.isoformat()} 登记过"))
    elif person.status is PersonStatus.TERMINATED:
        problems.append(Problem("person_id", f"{person.name}已终止参保，不能再登记死亡"))
    if report.death_date > today:
        problems.append(Problem("death_date", "死亡日期不能晚于今天"))
    if report.death_date < person.birth_date:
        problems.append(Problem("death_date", "死亡日期早于出生日期"))
    if report.reported_on < report.death_date:
        problems.append(Problem("reported_on", "报告日期不能早于死亡日期"))
    if report.reported_on > today:
        problems.append(Problem("reported_on", "报告日期不能晚于今天"))
    if report.monthly_fen is not None and report.monthly_fen < 0:
        problems.append(Problem("monthly_fen", "月养老金不能是负数"))
    problems += _heir_problems(report.heir)
    if problems:
        raise ServiceError(problems)

    pack = pack or policy_pack_for(session, report.death_date)
    money = settle(session, person, report, pack)
    heir_name = heir_id = heir_card = None
    if report.heir is not None:
        heir_name, heir_id, heir_card = _clean_heir(report.heir)
    cancellation = Cancellation(
        person_id=person.id,
        death_date=report.death_date,
        reported_on=report.reported_on,
        source=report.source,
        evidence_ref=(report.evidence_ref or "").strip() or None,
        stop_month=str(money.stop_month),
        overpaid_months=money.overpaid.months,
        overpaid_fen=money.overpaid.amount_fen,
        funeral_subsidy_fen=money.funeral.grant_fen,
        funeral_offset_fen=money.funeral.offset_fen,
        funeral_refusal_reason=money.funeral.refusal_reason,
        account_balance_fen=money.account_balance_fen,
        advance_owed_fen=money.advance_owed_fen,
        heir_name=heir_name,
        heir_id_number=heir_id,
        heir_bank_card=heir_card,
        review_state=ReviewState.ENTERED,
        created_by=actor.username,
        updated_by=actor.username,
    )
    session.add(cancellation)
    session.flush()
    record_change(
        session,
        actor=actor,
        action="cancellation.report",
        entity_type="cancellation",
        entity_id=cancellation.id,
        before=None,
        after=snapshot(cancellation),
        reason=report.source.label,
    )
    before = snapshot(person)
    person.status = PersonStatus.TERMINATED
    person.status_reason = TerminationReason.DEATH.value
    person.status_since = report.death_date
    person.version += 1
    person.updated_by = actor.username
    record_change(
        session,
        actor=actor,
        action="person.terminate",
        entity_type="person",
        entity_id=person.id,
        before=before,
        after=snapshot(person),
        reason=f"死亡（{report.death_date.isoformat()}，{report.source.label}）",
        base_version=before["version"],
    )
    return cancellation


def _cancellation(session: Session, cancellation_id: str) -> Cancellation:
    found = session.get(Cancellation, cancellation_id)
    if found is None:
        raise ServiceError("找不到这条注销登记")
    return found


def update_heir(session: Session, cancellation_id: str, heir: HeirInput, *, actor: Actor) -> Cancellation:
    """Fill in or correct the heir (继承人); only before the village check or after a return."""
    cancellation = _cancellation(session, cancellation_id)
    if cancellation.review_state not in (ReviewState.ENTERED, ReviewState.RETURNED):
        raise ServiceError(f"注销登记目前“{cancellation.review_state.label}”，不能再修改继承人信息")
    problems = _heir_problems(heir)
    if problems:
        raise ServiceError(problems)
    before = snapshot(cancellation)
    cancellation.heir_name, cancellation.heir_id_number, cancellation.heir_bank_card = _clean_heir(heir)
    cancellation.updated_by = actor.username
    record_change(
        session,
        actor=actor,
        action="cancellation.heir",
        entity_type="cancellation",
        entity_id=cancellation.id,
        before=before,
        after=snapshot(cancellation),
    )
    return cancellation


def advance_cancellation_review(
    session: Session,
    cancellation_id: str,
    to_state: ReviewState,
    *,
    actor: Actor,
    reason: str | None = None,
    from_sync: bool = False,
) -> Cancellation:
    """Move the review one step (see :data:`REVIEW_STEPS`); a return needs a reason.

    The village check (村级初审) must be done by someone other than who entered the report; submitting needs
    the heir and the heir's card. ``from_sync`` marks the township's or county's answer arriving by sync.
    """
    cancellation = _cancellation(session, cancellation_id)
    current = cancellation.review_state
    if to_state not in REVIEW_STEPS[current]:
        raise ServiceError(f"注销登记目前“{current.label}”，不能改为“{to_state.label}”")
    if to_state is ReviewState.RETURNED and not (reason or "").strip():
        raise ServiceError("退回时必须写明原因")
    if to_state is ReviewState.VILLAGE_CHECKED and actor.username == cancellation.created_by:
        raise ServiceError("录入和初审须由不同的人办理：请由另一位工作人员进行村级初审")
    if to_state is ReviewState.SUBMITTED and not (cancellation.heir_name and cancellation.heir_bank_card):
        raise ServiceError("上报前请填写继承人姓名和银行卡（社保卡）号")
    before = snapshot(cancellation)
    cancellation.review_state = to_state
    cancellation.return_reason = (reason or "").strip() or None if to_state is ReviewState.RETURNED else None
    cancellation.updated_by = actor.username
    record_change(
        session,
        actor=actor,
        action=f"cancellation.{to_state.value}",
        entity_type="cancellation",
        entity_id=cancellation.id,
        before=before,
        after=snapshot(cancellation),
        reason=reason,
        sync=not from_sync,
    )
    return cancellation


# --- the application form -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DeathApplication:
    """What the 注销登记暨丧葬补助金申请表 shows."""

    village: str
    township: str
    county: str
    name: str
    sex: Sex
    id_number: str
    birth_date: date
    group_name: str
    address: str
    death_date: date
    reported_on: date
    source: DeathSource
    evidence_ref: str | None
    stop_month: str
    overpaid_months: int
    overpaid_fen: int
    funeral_subsidy_fen: int
    funeral_offset_fen: int
    funeral_refusal_reason: str | None
    account_balance_fen: int | None
    advance_owed_fen: int
    heir_name: str | None
    heir_id_number: str | None
    heir_bank_card: str | None
    review_state: ReviewState
    return_reason: str | None

    @property
    def funeral_payable_fen(self) -> int:
        return self.funeral_subsidy_fen - self.funeral_offset_fen

    @property
    def to_recover_fen(self) -> int:
        return self.overpaid_fen - self.funeral_offset_fen

    @property
    def monthly_fen(self) -> int | None:
        return self.overpaid_fen // self.overpaid_months if self.overpaid_months else None


def death_application(session: Session, cancellation_id: str) -> DeathApplication:
    """The application form's content for one cancellation."""
    c = _cancellation(session, cancellation_id)
    person = session.get(Person, c.person_id)
    if person is None:
        raise ServiceError("找不到注销登记对应的人员")
    place = village_info(session)
    return DeathApplication(
        village=place.name,
        township=place.township,
        county=place.county,
        name=person.name,
        sex=person.sex,
        id_number=person.id_number,
        birth_date=person.birth_date,
        group_name=group_names(session).get(person.group_id or "", ""),
        address=person.hukou_address or person.residence_address or "",
        death_date=c.death_date,
        reported_on=c.reported_on,
        source=c.source,
        evidence_ref=c.evidence_ref,
        stop_month=c.stop_month or str(stop_month(c.death_date)),
        overpaid_months=c.overpaid_months,
        overpaid_fen=c.overpaid_fen,
        funeral_subsidy_fen=c.funeral_subsidy_fen,
        funeral_offset_fen=c.funeral_offset_fen,
        funeral_refusal_reason=c.funeral_refusal_reason,
        account_balance_fen=c.account_balance_fen,
        advance_owed_fen=c.advance_owed_fen,
        heir_name=c.heir_name,
        heir_id_number=c.heir_id_number,
        heir_bank_card=c.heir_bank_card,
        review_state=c.review_state,
        return_reason=c.return_reason,
    )


# --- the 民政 death list -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DeathListRow:
    """One row of a 民政 death list as read: Excel row number, name, ID text, death date or the problem."""

    row_number: int
    name: str
    id_text: str
    death_date: date | None
    problem: str | None = None


@dataclass(frozen=True)
class DeathMatch:
    """A row and what it matched: the person, or the candidates and why it is not certain."""

    row: DeathListRow
    person_id: str | None = None
    person_name: str = ""
    group_name: str = ""
    reason: str = ""
    candidates: tuple[tuple[str, str, str], ...] = ()  # (person_id, name, id_number)


@dataclass
class DeathListResult:
    """The outcome of matching (and, on import, reporting) a death list."""

    matched: list[DeathMatch] = field(default_factory=list)
    ambiguous: list[DeathMatch] = field(default_factory=list)
    unmatched: list[DeathMatch] = field(default_factory=list)
    already_reported: list[DeathMatch] = field(default_factory=list)
    problems: list[DeathMatch] = field(default_factory=list)
    reported: list[str] = field(default_factory=list)  # cancellation ids written by an import
    notes: tuple[str, ...] = ()

    @property
    def total(self) -> int:
        return sum(
            len(part) for part in (self.matched, self.ambiguous, self.unmatched, self.already_reported, self.problems)
        )


_MIDDLE_DOTS = str.maketrans({"•": "·", "・": "·", "‧": "·", "∙": "·", "．": "·", "⋅": "·", ".": "·"})


def _name_key(name: str) -> str:
    return "".join(name.split()).translate(_MIDDLE_DOTS)


def _death_date_column(headers: tuple[str, ...]) -> int | None:
    for index, header in enumerate(headers):
        text = "".join(str(header).split())
        if "死亡" in text and ("日期" in text or "时间" in text):
            return index
    for index, header in enumerate(headers):
        if "死亡" in "".join(str(header).split()):
            return index
    return None


def read_death_list(path: Path | str) -> tuple[list[DeathListRow], tuple[str, ...]]:
    """Read a 民政 monthly death list (.xlsx/.xls/.csv): rows with name, ID and death date, and reader notes."""
    from pensiondesk.sheets.cells import CellValueError, clean_name, id_text, parse_birth_date
    from pensiondesk.sheets.columns import RosterField, propose_mapping
    from pensiondesk.sheets.reader import read_table

    table = read_table(path)
    mapping = propose_mapping(table.headers)
    name_col = mapping.column_of(RosterField.NAME)
    id_col = mapping.column_of(RosterField.ID_NUMBER)
    date_col = _death_date_column(table.headers)
    missing = [
        label for label, column in (("姓名", name_col), ("身份证号", id_col), ("死亡日期", date_col)) if column is None
    ]
    if missing:
        raise ServiceError(f"死亡名单中找不到这些列：{'、'.join(missing)}。请确认表头中有姓名、身份证号和死亡日期")
    if name_col is None or id_col is None or date_col is None:  # for the type checker: refused just above
        raise ServiceError("死亡名单缺少必需的列")

    def cell(row: list[object], column: int) -> object:
        return row[column] if column < len(row) else None

    rows: list[DeathListRow] = []
    for index, raw in enumerate(table.rows):
        name = clean_name(cell(raw, name_col))
        problem = None
        try:
            number = id_text(cell(raw, id_col)) or ""
        except CellValueError as exc:
            number, problem = "", exc.message
        if not name and not number:
            continue  # an empty line or a footer
        death: date | None = None
        value = cell(raw, date_col)
        try:
            parsed = parse_birth_date(value)
        except CellValueError:
            parsed = None
        if isinstance(parsed, date):
            death = parsed
        elif problem is None:
            shown = "" if value is None else str(value).strip()
            problem = f"死亡日期“{shown}”无法识别：请写成 2026-10-03 或 2026年10月3日" if shown else "缺少死亡日期"
        rows.append(DeathListRow(table.row_number(index), name, number.strip(), death, problem))
    return rows, tuple(table.notes)


def match_death_list(session: Session, rows: list[DeathListRow]) -> DeathListResult:
    """Match the rows to residents (see the module docstring); nothing is written."""
    result = DeathListResult()
    names = group_names(session)
    for row in rows:
        number: str | None = None
        try:
            number = parse(row.id_text).number if row.id_text else None
        except InvalidIdNumber:
            number = None
        person = session.scalar(select(Person).where(Person.id_number == number)) if number else None
        if row.problem is not None:
            result.problems.append(DeathMatch(row, reason=row.problem))
            continue
        if person is not None:
            group = names.get(person.group_id or "", "")
            if _name_key(person.name) != _name_key(row.name):
                result.ambiguous.append(
                    DeathMatch(
                        row,
                        reason=f"身份证号属于本村的{person.name}，但姓名不同",
                        candidates=((person.id, person.name, person.id_number),),
                    )
                )
                continue
            match = DeathMatch(row, person.id, person.name, group)
            if person.status is PersonStatus.TERMINATED or cancellation_for(session, person.id) is not None:
                result.already_reported.append(
                    DeathMatch(row, person.id, person.name, group, reason="已登记死亡或已终止参保")
                )
            else:
                result.matched.append(match)
            continue
        same_name = session.scalars(select(Person).where(Person.name == row.name)).all() if row.name else []
        if same_name:
            why = "身份证号无效或未填" if not number else "身份证号不是本村人员的"
            result.ambiguous.append(
                DeathMatch(
                    row,
                    reason=f"{why}，本村有 {len(same_name)} 位同名人员，请核实",
                    candidates=tuple((p.id, p.name, p.id_number) for p in same_name),
                )
            )
        else:
            result.unmatched.append(DeathMatch(row, reason="本村没有此人（身份证号和姓名都对不上）"))
    return result


def import_death_list(
    session: Session,
    path: Path | str,
    *,
    actor: Actor,
    reported_on: date | None = None,
    today: date | None = None,
) -> DeathListResult:
    """Read, match and report every matched row (source 民政死亡名单) in the caller's transaction."""
    today = today or date.today()
    rows, notes = read_death_list(path)
    result = match_death_list(session, rows)
    result.notes = notes
    file_name = Path(path).name
    for match in result.matched:
        if match.person_id is None or match.row.death_date is None:
            continue  # matched rows always have both; kept for the type checker
        report = DeathReport(
            person_id=match.person_id,
            death_date=match.row.death_date,
            reported_on=reported_on or today,
            source=DeathSource.CIVIL_AFFAIRS,
            evidence_ref=f"民政死亡名单 {file_name} 第{match.row.row_number}行",
        )
        try:
            cancellation = report_death(session, report, actor=actor, today=today)
        except ServiceError as exc:
            result.problems.append(DeathMatch(match.row, match.person_id, match.person_name, reason=exc.user_message))
            continue
        result.reported.append(cancellation.id)
    failed = {id(problem.row) for problem in result.problems}
    result.matched = [m for m in result.matched if id(m.row) not in failed]
    return result
