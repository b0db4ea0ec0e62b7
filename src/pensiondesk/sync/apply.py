"""Applying what comes down from the county (下发数据入库), one pull page per local transaction.

:func:`apply_page` applies every change of a page *and* stores the page's ``next_cursor`` in the caller's
transaction (property 8). Every handler is idempotent (keyed by the county's IDs), so a crash after applying a
page but before committing the cursor simply re-applies that page. County-owned data always wins (property 10).

Mapping (change kind → local effect):

=====================  ==========================================================================================
registration_answer    ``Registration.review_state`` approved / returned + ``return_reason``, ``answered_at``
                       (through ``services.registration.apply_county_answer`` when that service exists)
benefit_answer         ``services.pensioners.apply_benefit_answer`` (``from_sync``): the case approved (amount,
                       start month; the person becomes a pensioner) or returned with its reason
death_notice           ``services.deaths.report_death`` (source 民政): the ``Cancellation`` with its settlement
                       and the person's status 终止/1401, with audit + outbox rows under the system operator so
                       the county sees them; a person already reported or terminated is left as it is
account_balance        ``AccountBalance`` (county-owned, read-only)
receipt_block          ``ReceiptBook`` with ``from_county``; a tombstone closes an unused book
policy_pack            a new ``PolicyPackRecord`` version (origin ``county``); versions are never overwritten
roster                 ``CountyResident`` (县级花名册, for duplicate checks); a tombstone deletes the row
=====================  ==========================================================================================

Answers about records this laptop does not hold (e.g. entered on another laptop of the village) are skipped.
Each change is applied in a savepoint: a change a service refuses (``ServiceError``, e.g. an answer that
contradicts one already recorded) is rolled back alone, logged and skipped, so one bad change never blocks the
pull (property 6) — the cursor still moves past it.
"""

from __future__ import annotations

import importlib
import logging
from collections import Counter
from collections.abc import Callable
from datetime import date, datetime

from sqlalchemy import delete, select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from pensiondesk.domain.codes import DeathSource, PersonStatus, ReceiptBookStatus, ReviewState, TerminationReason
from pensiondesk.domain.pension import YearMonth
from pensiondesk.services.deaths import DeathReport, cancellation_for, report_death
from pensiondesk.services.pensioners import BenefitAnswer, apply_benefit_answer
from pensiondesk.services.people_types import ServiceError
from pensiondesk.services.recording import SYSTEM, record_change, snapshot
from pensiondesk.store.models import (
    AccountBalance,
    BenefitCase,
    Cancellation,
    CountyResident,
    Person,
    PolicyPackRecord,
    ReceiptBook,
    Registration,
    SyncState,
    utcnow,
)
from pensiondesk.sync.protocol import Change, ChangeKind, ChangeOp, PullResponse

log = logging.getLogger(__name__)


def apply_page(session: Session, state: SyncState, page: PullResponse) -> Counter[str]:
    """Apply a pull page and advance the cursor, in the caller's transaction; returns counts by kind."""
    counts: Counter[str] = Counter()
    roster: list[Change] = []  # consecutive roster lines, applied together (in order) before anything else
    for change in page.changes:
        if change.seq <= state.pull_cursor:
            continue  # already applied (a page fetched twice)
        if change.kind is ChangeKind.ROSTER:
            roster.append(change)
            continue
        if roster:
            counts[ChangeKind.ROSTER.value] += _apply_roster(session, roster)
            roster = []
        handler = HANDLERS.get(change.kind)
        if handler is None:
            continue
        try:
            with session.begin_nested():
                applied = handler(session, change)
        except ServiceError as exc:
            log.warning("county change %s %s %s not applied: %s", change.seq, change.kind, change.key, exc)
            continue
        if applied:
            counts[change.kind.value] += 1
    if roster:
        counts[ChangeKind.ROSTER.value] += _apply_roster(session, roster)
    counts += Counter()  # drop zero counts (a page of removals of rows never held)
    state.pull_cursor = max(state.pull_cursor, page.next_cursor)
    return counts


def _apply_roster(session: Session, changes: list[Change]) -> int:
    """Apply roster lines (县级花名册) in bulk: one upsert for the rows, one delete for removals; returns lines applied.

    The same as applying them line by line (the last line for a person wins; a removal of a row never held counts
    for nothing), without a savepoint and a lookup per person: a county roster is 100,000 lines. County-owned and
    read-only on the laptop (sync-protocol.md §10): the row is keyed by the county's person ID.
    """
    session.flush()
    keys = list(dict.fromkeys(change.key for change in changes))
    held: set[str] = set()
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        held.update(session.scalars(select(CountyResident.person_id).where(CountyResident.person_id.in_(chunk))))
    latest: dict[str, dict[str, object] | None] = {}  # person → row values, or None: removed
    applied = 0
    now = utcnow()
    for change in changes:
        if change.op is ChangeOp.TOMBSTONE:
            if change.key in held or latest.get(change.key) is not None:
                applied += 1
            latest[change.key] = None
            held.discard(change.key)
            continue
        data = change.data
        number, status = data.get("id_number"), data.get("status")
        latest[change.key] = {
            "person_id": change.key,
            "name": str(data.get("name") or ""),
            "id_number": str(number) if number else None,
            "status": str(status) if status else None,
            "version": int(str(data.get("version") or 1)),
            "received_at": now,
        }
        applied += 1
    removed = [key for key, values in latest.items() if values is None]
    rows = [values for values in latest.values() if values is not None]
    for start in range(0, len(removed), 500):
        session.execute(delete(CountyResident).where(CountyResident.person_id.in_(removed[start : start + 500])))
    if rows:
        upsert = sqlite_insert(CountyResident)
        columns = ("name", "id_number", "status", "version", "received_at")
        session.execute(
            upsert.on_conflict_do_update(
                index_elements=[CountyResident.person_id], set_={name: upsert.excluded[name] for name in columns}
            ),
            rows,
        )
    for obj in list(session.identity_map.values()):  # rows this session may hold are now stale
        if isinstance(obj, CountyResident):
            session.expire(obj)
    return applied


def _dt(text: object) -> datetime | None:
    return datetime.fromisoformat(text) if isinstance(text, str) else None


def _registration_answer(session: Session, change: Change) -> bool:
    data = change.data
    reg = session.get(Registration, change.key)
    if reg is None or change.op is ChangeOp.TOMBSTONE:
        return False
    approved = bool(data.get("approved"))
    reason = data.get("reason")
    answered_at = _dt(data.get("answered_at")) or utcnow()
    service = _service("pensiondesk.services.registration", "apply_county_answer")
    if service is not None:
        service(session, change.key, approved=approved, reason=reason, answered_at=answered_at)
        return True
    reg.review_state = ReviewState.APPROVED if approved else ReviewState.RETURNED
    reg.return_reason = None if approved else str(reason or "")
    reg.answered_at = answered_at
    return True


def _benefit_answer(session: Session, change: Change) -> bool:
    data = change.data
    case = session.get(BenefitCase, change.key)
    if case is None or change.op is ChangeOp.TOMBSTONE:
        return False
    approved = bool(data.get("approved"))
    answered_at = _dt(data.get("answered_at")) or utcnow()
    reason = None if approved else str(data.get("reason") or "")
    if case.review_state is ReviewState.APPROVED and approved:
        return False  # already recorded (a page applied twice)
    if case.review_state is ReviewState.RETURNED and not approved and case.return_reason == reason:
        return False
    monthly = data.get("monthly_fen")
    start = data.get("start_month")
    answer = BenefitAnswer(
        case_id=case.id,
        approved=approved,
        answered_on=answered_at.date(),
        monthly_fen=int(monthly) if monthly is not None else None,
        start_month=_year_month(start) if start else None,
        reason=reason,
    )
    apply_benefit_answer(session, answer, actor=SYSTEM, from_sync=True)
    return True


def _year_month(value: object) -> YearMonth:
    """``2026-05`` / ``202605`` as a :class:`YearMonth`; a ``ServiceError`` (skip the change) otherwise."""
    digits = str(value).replace("-", "").replace("/", "").strip()
    if len(digits) != 6 or not digits.isdigit() or not 1 <= int(digits[4:]) <= 12:
        raise ServiceError(f"县里下发的待遇起始年月无法识别：{value}")
    return YearMonth(int(digits[:4]), int(digits[4:]))


def _death_notice(session: Session, change: Change) -> bool:
    data = change.data
    person = session.get(Person, str(data.get("person_id")))
    if person is None or change.op is ChangeOp.TOMBSTONE:
        return False
    if person.status is PersonStatus.TERMINATED or cancellation_for(session, person.id) is not None:
        return False  # reported already, here or by an earlier page
    death_date = date.fromisoformat(str(data["death_date"]))
    today = utcnow().date()
    report = DeathReport(
        person_id=person.id,
        death_date=death_date,
        reported_on=max(today, death_date),
        source=DeathSource.CIVIL_AFFAIRS,
        evidence_ref="县级下发：民政死亡名单",
    )
    try:
        with session.begin_nested():
            report_death(session, report, actor=SYSTEM, today=max(today, death_date))
    except ServiceError as exc:
        log.warning("death notice %s: report_death refused (%s); recording it without a settlement", change.key, exc)
        return _record_death_directly(session, change, person, death_date)
    return True


def _record_death_directly(session: Session, change: Change, person: Person, death_date: date) -> bool:
    """The notice without a settlement: the cancellation (ID = the notice's ID) and the person 终止/1401.

    Used only when ``services.deaths.report_death`` refuses the notice (e.g. no policy pack covers the date of
    death), so that a death the county reports is never dropped; the settlement is then worked out by hand.
    """
    if (
        session.get(Cancellation, change.key) is None
        and session.scalar(select(Cancellation.id).where(Cancellation.person_id == person.id)) is None
    ):
        cancellation = Cancellation(
            id=change.key,
            person_id=person.id,
            death_date=death_date,
            reported_on=utcnow().date(),
            source=DeathSource.CIVIL_AFFAIRS,
            evidence_ref="县级下发：民政死亡名单",
            review_state=ReviewState.ENTERED,
        )
        session.add(cancellation)
        session.flush()
        record_change(
            session,
            actor=SYSTEM,
            action="death_notice_received",
            entity_type="cancellation",
            entity_id=cancellation.id,
            before=None,
            after=snapshot(cancellation),
            reason="县级下发的民政死亡名单",
        )
    if person.status != PersonStatus.TERMINATED:
        before = snapshot(person)
        base = person.version
        person.status = PersonStatus.TERMINATED
        person.status_reason = TerminationReason.DEATH.value
        person.status_since = death_date
        person.version = base + 1
        session.flush()
        record_change(
            session,
            actor=SYSTEM,
            action="death_notice_received",
            entity_type="person",
            entity_id=person.id,
            before=before,
            after=snapshot(person),
            reason="县级下发的民政死亡名单",
            base_version=base,
        )
    return True


def _account_balance(session: Session, change: Change) -> bool:
    data = change.data
    if session.get(Person, change.key) is None or change.op is ChangeOp.TOMBSTONE:
        return False
    row = session.get(AccountBalance, change.key) or AccountBalance(person_id=change.key)
    row.as_of = date.fromisoformat(str(data["as_of"]))
    row.balance_fen = int(data["balance_fen"])
    row.synced_at = utcnow()
    session.add(row)
    return True


def _receipt_block(session: Session, change: Change) -> bool:
    book = session.get(ReceiptBook, change.key)
    if change.op is ChangeOp.TOMBSTONE:
        if book is not None and book.next_no == book.start_no and book.status != ReceiptBookStatus.CLOSED:
            book.status = ReceiptBookStatus.CLOSED
            book.closed_at = utcnow()
            return True
        return False
    if book is not None:
        return False
    data = change.data
    clash = session.scalar(
        select(ReceiptBook.id).where(ReceiptBook.series == data["series"], ReceiptBook.start_no == data["start_no"])
    )
    if clash is not None:
        log.warning("receipt block %s clashes with local book %s", change.key, clash)
        return False
    session.add(
        ReceiptBook(
            id=change.key,
            series=str(data["series"]),
            start_no=int(data["start_no"]),
            end_no=int(data["end_no"]),
            next_no=int(data["start_no"]),
            collector=str(data["collector"]),
            issued_on=date.fromisoformat(str(data["issued_on"])),
            status=ReceiptBookStatus.ISSUED,
            from_county=True,
            created_by="county",
        )
    )
    return True


def _policy_pack(session: Session, change: Change) -> bool:
    data = change.data
    pack_id, version = str(data["pack_id"]), int(data["version"])
    exists = session.scalar(
        select(PolicyPackRecord.id).where(PolicyPackRecord.pack_id == pack_id, PolicyPackRecord.version == version)
    )
    if exists is not None or change.op is ChangeOp.TOMBSTONE:
        return False
    session.add(
        PolicyPackRecord(
            pack_id=pack_id,
            version=version,
            effective_from=date.fromisoformat(str(data["effective_from"])),
            content=str(data["content"]),
            origin="county",
        )
    )
    return True


def _service(module: str, name: str) -> Callable[..., object] | None:
    try:
        mod = importlib.import_module(module)
    except ImportError:
        return None
    fn = getattr(mod, name, None)
    return fn if callable(fn) else None


HANDLERS: dict[ChangeKind, Callable[[Session, Change], bool]] = {
    ChangeKind.REGISTRATION_ANSWER: _registration_answer,
    ChangeKind.BENEFIT_ANSWER: _benefit_answer,
    ChangeKind.DEATH_NOTICE: _death_notice,
    ChangeKind.ACCOUNT_BALANCE: _account_balance,
    ChangeKind.RECEIPT_BLOCK: _receipt_block,
    ChangeKind.POLICY_PACK: _policy_pack,
}
