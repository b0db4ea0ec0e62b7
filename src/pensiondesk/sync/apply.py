"""Applying what comes down from the county (下发数据入库), one pull page per local transaction.

:func:`apply_page` applies every change of a page *and* stores the page's ``next_cursor`` in the caller's
transaction (property 8). Every handler is idempotent (keyed by the county's IDs), so a crash after applying a
page but before committing the cursor simply re-applies that page. County-owned data always wins (property 10).

Mapping (change kind → local effect):

=====================  ==========================================================================================
registration_answer    ``Registration.review_state`` approved / returned + ``return_reason``, ``answered_at``
                       (through ``services.registration.apply_county_answer`` when that service exists)
benefit_answer         ``BenefitCase.review_state``, ``approved_monthly_fen``, ``start_month``, ``approved_on``,
                       ``return_reason``
death_notice           a ``Cancellation`` (source 民政, ID = the notice's ID) and the person's status 终止/1401,
                       both recorded with audit + outbox rows under the system operator so the county sees them
account_balance        ``AccountBalance`` (county-owned, read-only)
receipt_block          ``ReceiptBook`` with ``from_county``; a tombstone closes an unused book
policy_pack            a new ``PolicyPackRecord`` version (origin ``county``); versions are never overwritten
roster                 counted only: the laptop schema has no county-roster table yet (see the report)
=====================  ==========================================================================================

Answers about records this laptop does not hold (e.g. entered on another laptop of the village) are skipped.
"""

from __future__ import annotations

import importlib
import logging
from collections import Counter
from collections.abc import Callable
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from pensiondesk.domain.codes import (
    DeathSource,
    PersonStatus,
    ReceiptBookStatus,
    ReviewState,
    TerminationReason,
)
from pensiondesk.services.recording import SYSTEM, record_change, snapshot
from pensiondesk.store.models import (
    AccountBalance,
    BenefitCase,
    Cancellation,
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
    for change in page.changes:
        if change.seq <= state.pull_cursor:
            continue  # already applied (a page fetched twice)
        handler = HANDLERS.get(change.kind)
        if handler is not None and handler(session, change):
            counts[change.kind.value] += 1
    state.pull_cursor = max(state.pull_cursor, page.next_cursor)
    return counts


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
    case.review_state = ReviewState.APPROVED if approved else ReviewState.RETURNED
    case.return_reason = None if approved else str(data.get("reason") or "")
    if approved:
        case.approved_monthly_fen = data.get("monthly_fen")
        case.start_month = data.get("start_month")
        case.approved_on = answered_at.date()
    return True


def _death_notice(session: Session, change: Change) -> bool:
    data = change.data
    person = session.get(Person, str(data.get("person_id")))
    if person is None or change.op is ChangeOp.TOMBSTONE:
        return False
    death_date = date.fromisoformat(str(data["death_date"]))
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


def _roster(_session: Session, _change: Change) -> bool:
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
    ChangeKind.ROSTER: _roster,
}
