"""County data that comes down, applied through the services: the roster (县级花名册), benefit answers, death notices.

Against a real county server process; the pull handlers in ``sync/apply.py`` hand benefit answers to
``services.pensioners.apply_benefit_answer`` and death notices to ``services.deaths.report_death``, and a change a
service refuses is skipped without blocking the rest of the pull.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import func, select

from pensiondesk.county import admin
from pensiondesk.domain.codes import DeathSource, PersonStatus, ReviewState
from pensiondesk.domain.pension import benefit_start_month
from pensiondesk.services.pensioners import open_benefit_case, record_notification, submit_benefit_case
from pensiondesk.services.syncing import county_resident_by_id_number
from pensiondesk.store.db import Database
from pensiondesk.store.models import (
    AuditEntry,
    BenefitCase,
    Cancellation,
    CountyResident,
    Person,
    ReceiptBook,
    SyncState,
)
from pensiondesk.sync.apply import apply_page
from pensiondesk.sync.engine import run_sync
from pensiondesk.sync.protocol import Change, ChangeKind, ChangeOp, PullResponse

from .conftest import CountyServer
from .test_push_pull import enrolled
from .work import CLERK, person_ids


def test_the_county_roster_comes_down_for_duplicate_checks(
    server: CountyServer, laptop_factory: Callable[..., Database]
) -> None:
    db, client, _village = enrolled(server, laptop_factory, persons=5)
    run_sync(db, client)
    run_sync(db, client)  # the roster changes published by the first upload
    with db.session() as s:
        persons = s.scalars(select(Person)).all()
        assert s.scalar(select(func.count()).select_from(CountyResident)) == len(persons)
        person = persons[0]
        known = county_resident_by_id_number(s, person.id_number)
        assert known is not None and known.person_id == person.id and known.name == person.name
        assert county_resident_by_id_number(s, person.id_number, exclude_person_id=person.id) is None
        assert county_resident_by_id_number(s, "110101199003071234") is None
    # A tombstone (the county deleted the person) removes the row; applying the page again is harmless.
    with db.session(immediate=True) as s:
        state = s.get(SyncState, 1)
        assert state is not None
        seq = state.pull_cursor + 1
        change = Change(seq=seq, kind=ChangeKind.ROSTER, key=person.id, op=ChangeOp.TOMBSTONE, at=datetime.now(UTC))
        page = PullResponse(epoch=state.server_epoch or "", changes=[change], next_cursor=seq, has_more=False)
        assert apply_page(s, state, page)["roster"] == 1
        state.pull_cursor = seq - 1
        assert apply_page(s, state, page)["roster"] == 0
        assert county_resident_by_id_number(s, person.id_number) is None


def _submitted_case(db: Database, person_id: str) -> str:
    with db.session(immediate=True) as s:
        case = open_benefit_case(s, person_id, actor=CLERK, as_of=date(2026, 3, 1))
        record_notification(s, case.id, notified_on=date(2026, 3, 2), actor=CLERK)
        submit_benefit_case(s, case.id, actor=CLERK)
        return case.id


def test_benefit_answers_go_through_the_pensioners_service(
    server: CountyServer, laptop_factory: Callable[..., Database]
) -> None:
    db, client, village = enrolled(server, laptop_factory, persons=20)
    with db.session() as s:
        open_statuses = (PersonStatus.CONTRIBUTING, PersonStatus.NOT_ENROLLED)
        candidates = s.scalars(select(Person.id).where(Person.status.in_(open_statuses)).order_by(Person.id)).all()
    pid_ok, pid_back, pid_bad = candidates[:3]
    case_ok, case_back, case_bad = (_submitted_case(db, pid) for pid in (pid_ok, pid_back, pid_bad))
    run_sync(db, client)
    with db.session() as s:
        person = s.get(Person, pid_ok)
        assert person is not None
        start = str(benefit_start_month(person.birth_date))
    with server.session() as s:
        admin.answer(s, "benefit_case", case_ok, approved=True, reason=None, by="county", monthly_fen=23456,
                     start_month=start)  # fmt: skip
        admin.answer(s, "benefit_case", case_back, approved=False, reason="缺户口簿复印件", by="county")
        # An approval without an amount: the service refuses it; it must not block what follows.
        admin.answer(s, "benefit_case", case_bad, approved=True, reason=None, by="county")
        admin.issue_receipt_block(s, village, "豫B", 2001, 2100, "xiezhu", date(2026, 1, 5))
    report = run_sync(db, client)
    assert report.error is None
    assert report.pulled.get("benefit_answer") == 2 and report.pulled.get("receipt_block") == 1
    with db.session() as s:
        ok, back, bad = (s.get(BenefitCase, c) for c in (case_ok, case_back, case_bad))
        assert ok is not None and back is not None and bad is not None
        assert ok.review_state is ReviewState.APPROVED and ok.approved_monthly_fen == 23456 and ok.start_month == start
        approved_person = s.get(Person, pid_ok)
        assert approved_person is not None and approved_person.status is PersonStatus.RECEIVING
        assert back.review_state is ReviewState.RETURNED and back.return_reason == "缺户口簿复印件"
        assert bad.review_state is ReviewState.SUBMITTED  # refused by the service, skipped
        answers = s.scalars(select(AuditEntry.entity_id).where(AuditEntry.action == "benefit_case.answer")).all()
        assert sorted(answers) == sorted([case_ok, case_back])
        assert s.scalar(select(ReceiptBook.start_no).where(ReceiptBook.series == "豫B")) == 2001
    # The approved person's new status (a local effect of the answer) went up; the county's roster entry for that
    # person comes back down once; nothing else comes again: the cursor moved past the bad change too.
    again = run_sync(db, client)
    assert again.error is None and again.results.get("accepted", 0) >= 1 and not again.results.get("conflict")
    assert again.pulled == {"roster": 1}
    assert server.records(village)[("person", pid_ok)]["status"] == "receiving"
    last = run_sync(db, client)
    assert last.pulled == {} and not last.mismatches


def test_death_notices_go_through_the_deaths_service(
    server: CountyServer, laptop_factory: Callable[..., Database], tmp_path: Path
) -> None:
    db, client, village = enrolled(server, laptop_factory, persons=4)
    run_sync(db, client)
    pid = person_ids(db, 1)[0]
    with db.session() as s:
        person = s.get(Person, pid)
        assert person is not None
        line = f"{person.name},{person.id_number},2026-02-03"
    deaths = tmp_path / "deaths.csv"
    deaths.write_text(f"姓名,身份证号,死亡日期\n{line}\n", encoding="utf-8")
    with server.session() as s:
        assert admin.import_death_list(s, deaths).matched == 1
    assert run_sync(db, client).pulled.get("death_notice") == 1
    with db.session() as s:
        (cancellation,) = s.scalars(select(Cancellation).where(Cancellation.person_id == pid)).all()
        assert cancellation.source is DeathSource.CIVIL_AFFAIRS
        assert cancellation.death_date == date(2026, 2, 3)
        assert cancellation.stop_month is not None  # settled by services.deaths, not a bare row
        dead = s.get(Person, pid)
        assert dead is not None and dead.status is PersonStatus.TERMINATED
        assert s.scalar(select(AuditEntry.id).where(AuditEntry.action == "cancellation.report")) is not None
    # Its local effects went up; nothing comes down twice, and both sides agree.
    again = run_sync(db, client)
    assert again.pulled.get("death_notice") is None and not again.mismatches
    assert server.records(village)[("person", pid)]["status"] == "terminated"
    assert server.records(village, "cancellation")[("cancellation", cancellation.id)]["stop_month"]


def test_a_roster_page_is_applied_in_bulk_exactly_as_line_by_line(
    server: CountyServer, laptop_factory: Callable[..., Database]
) -> None:
    """Lines for one person in one page: the last wins; a removal of a row never held counts for nothing."""
    db, _client, _village = enrolled(server, laptop_factory, persons=2)
    now = datetime.now(UTC)

    def line(seq: int, key: str, name: str | None, number: str = "", version: int = 1) -> Change:
        if name is None:
            return Change(seq=seq, kind=ChangeKind.ROSTER, key=key, op=ChangeOp.TOMBSTONE, at=now)
        data = {"name": name, "id_number": number, "status": "contributing", "version": version}
        return Change(seq=seq, kind=ChangeKind.ROSTER, key=key, op=ChangeOp.UPSERT, data=data, at=now)

    with db.session(immediate=True) as s:
        state = s.get(SyncState, 1)
        assert state is not None
        base = state.pull_cursor
        changes = [
            line(base + 1, "p-a", "甲", "110101199003070000"),
            line(base + 2, "p-b", "乙", "110101199003071111"),
            line(base + 3, "p-a", "甲改", "110101199003072222", version=2),  # the later line wins
            line(base + 4, "p-b", None),  # added then removed in the same page
            line(base + 5, "p-z", None),  # never held: nothing to remove
            line(base + 6, "p-c", "丙"),
            line(base + 7, "p-c", None),
            line(base + 8, "p-c", "丙又来"),  # removed, then back
        ]
        page = PullResponse(epoch=state.server_epoch or "", changes=changes, next_cursor=base + 8, has_more=False)
        counts = apply_page(s, state, page)
        assert counts["roster"] == 7  # every line but the removal of p-z
        rows = {r.person_id: r for r in s.scalars(select(CountyResident).where(CountyResident.person_id.like("p-%")))}
        assert set(rows) == {"p-a", "p-c"}
        assert (rows["p-a"].name, rows["p-a"].id_number, rows["p-a"].version) == ("甲改", "110101199003072222", 2)
        assert rows["p-c"].name == "丙又来" and rows["p-c"].id_number is None
        assert state.pull_cursor == base + 8
        assert apply_page(s, state, page) == {}  # the same page again: nothing
