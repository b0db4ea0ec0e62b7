"""Push and pull against a real county server: enrolment, exactly-once, per-record results, county data down."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from sqlalchemy import select

from pensiondesk.county import admin
from pensiondesk.domain.codes import OutboxState, PersonStatus, ReviewState
from pensiondesk.store.db import Database
from pensiondesk.store.models import Cancellation, Person, PolicyPackRecord, ReceiptBook, Registration, SyncState
from pensiondesk.sync.client import SyncClient
from pensiondesk.sync.engine import enroll, run_sync

from .conftest import CountyServer
from .work import edit_person, expected_records, outbox_states, person_ids, register


def enrolled(
    server: CountyServer,
    laptop_factory: Callable[..., Database],
    name: str = "a",
    persons: int = 20,
    village: str | None = None,
) -> tuple[Database, SyncClient, str]:
    village = village or server.add_village()
    db = laptop_factory(name, village_code=village, persons=persons, seed=sum(map(ord, name)))
    enroll(db, server.url, server.enrol_code(village), device_name=name)
    with db.session() as s:
        state = s.get(SyncState, 1)
        assert state is not None
        client = SyncClient(server.url, state.device_token, retries=0)
    return db, client, village


def test_enrol_sync_and_county_view_matches(any_server: CountyServer, laptop_factory: Callable[..., Database]) -> None:
    db, client, village = enrolled(any_server, laptop_factory)
    report = run_sync(db, client)
    assert report.error is None and not report.mismatches
    assert outbox_states(db) == {"accepted": len(expected_records(db))}
    assert any_server.records(village) == expected_records(db)
    # A second run sends nothing and changes nothing.
    again = run_sync(db, client)
    assert again.pushed_batches == 0
    assert any_server.records(village) == expected_records(db)


def test_answers_death_notice_blocks_and_policy_come_down(
    any_server: CountyServer, laptop_factory: Callable[..., Database], tmp_path
) -> None:
    db, client, village = enrolled(any_server, laptop_factory)
    pid_ok, pid_back, pid_dead = person_ids(db, 3)
    reg_ok, reg_back = register(db, pid_ok), register(db, pid_back)
    run_sync(db, client)
    with db.session() as s:
        dead = s.get(Person, pid_dead)
        assert dead is not None
        dead_id_number, dead_name = dead.id_number, dead.name
    deaths = tmp_path / "deaths.csv"
    deaths.write_text(f"姓名,身份证号,死亡日期\n{dead_name},{dead_id_number},2026-02-03\n", encoding="utf-8")
    with any_server.session() as s:
        submitted = {x.record_id for x in admin.list_submitted(s, village)}
        assert {reg_ok, reg_back} <= submitted
        admin.answer(s, "registration", reg_ok, approved=True, reason=None, by="county")
        admin.answer(s, "registration", reg_back, approved=False, reason="缺户口簿复印件", by="county")
        assert admin.import_death_list(s, deaths).matched == 1
        admin.issue_receipt_block(s, village, "豫A", 1001, 1100, "xiezhu", date(2026, 1, 5))
        admin.publish_policy_pack(s, '{"pack_id": "henan", "version": 1, "effective_from": "2025-01-01"}')
        admin.publish_policy_pack(s, '{"pack_id": "henan", "version": 2, "effective_from": "2026-01-01"}')
    report = run_sync(db, client)
    assert report.pulled["registration_answer"] == 2
    with db.session() as s:
        ok, back = s.get(Registration, reg_ok), s.get(Registration, reg_back)
        assert ok is not None and back is not None
        assert ok.review_state == ReviewState.APPROVED
        assert back.review_state == ReviewState.RETURNED and back.return_reason == "缺户口簿复印件"
        person = s.get(Person, pid_dead)
        assert person is not None and person.status == PersonStatus.TERMINATED
        assert s.scalar(select(Cancellation).where(Cancellation.person_id == pid_dead)) is not None
        assert s.scalar(select(ReceiptBook).where(ReceiptBook.from_county.is_(True))).start_no == 1001  # type: ignore[union-attr]
        # Policy versions are kept side by side, an old one (effective in the past) is never overwritten.
        versions = s.scalars(select(PolicyPackRecord.version).where(PolicyPackRecord.pack_id == "henan")).all()
        assert sorted(versions) == [1, 2]
    # The death notice's local effects went back up, so both sides agree again.
    run_sync(db, client)
    assert any_server.records(village) == expected_records(db)
    assert any_server.records(village)[("person", pid_dead)]["status"] == "terminated"


def test_edit_while_in_flight_returns_to_pending(server: CountyServer, laptop_factory: Callable[..., Database]) -> None:
    from pensiondesk.sync import outbox

    db, client, village = enrolled(server, laptop_factory, persons=3)
    run_sync(db, client)
    pid = person_ids(db, 1)[0]
    edit_person(db, pid, phone="13800000001")
    with db.session(immediate=True) as s:
        batch = outbox.claim_batch(s)
    assert batch is not None
    edit_person(db, pid, phone="13800000002")  # edited while the first edit is in flight
    assert outbox_states(db)["in_flight"] == 1 and outbox_states(db)["pending"] == 1
    run_sync(db, client)  # re-sends the in-flight batch first, then the new edit
    assert outbox_states(db) == {"accepted": outbox_states(db)["accepted"]}
    assert server.records(village)[("person", pid)]["phone"] == "13800000002"
    assert server.records(village) == expected_records(db)


def test_reupload_after_answer_lost_gives_identical_results(
    server: CountyServer, laptop_factory: Callable[..., Database]
) -> None:
    """Laptop killed between sending and recording the answer: the re-send gets the stored answer."""
    from pensiondesk.sync import outbox
    from pensiondesk.sync.protocol import PROTOCOL_VERSION, PushRequest

    db, client, village = enrolled(server, laptop_factory, persons=5)
    with db.session(immediate=True) as s:
        batch = outbox.claim_batch(s)
    assert batch is not None
    req = PushRequest(protocol_version=PROTOCOL_VERSION, batch_id=batch.batch_id, records=batch.records)
    first = client.push(req)  # the laptop "dies" here: the answer is never recorded
    assert outbox_states(db) == {"in_flight": len(batch.records)}
    with db.session(immediate=True) as s:
        again = outbox.claim_batch(s)
    assert again is not None and again.batch_id == batch.batch_id and again.resend
    second = client.push(PushRequest(protocol_version=PROTOCOL_VERSION, batch_id=again.batch_id, records=again.records))
    assert second.replayed and second.results == first.results
    run_sync(db, client)
    assert server.records(village) == expected_records(db)


@pytest.mark.parametrize("persons", [3])
def test_state_changes_only_on_answer(
    server: CountyServer, laptop_factory: Callable[..., Database], persons: int
) -> None:
    """A timeout (server down) advances nothing: rows stay in flight and keep their batch."""
    from pensiondesk.sync.client import SyncNetworkError

    db, client, _village = enrolled(server, laptop_factory, persons=persons)
    server.stop()
    with pytest.raises(SyncNetworkError):
        run_sync(db, client)
    states = outbox_states(db)
    assert OutboxState.ACCEPTED.value not in states


def test_two_villages_one_county_views_match_exactly(
    any_server: CountyServer, laptop_factory: Callable[..., Database], tmp_path
) -> None:
    """The issue's "done when": villages A and B enrol, work offline, sync, get approvals and a death notice."""
    db_a, client_a, village_a = enrolled(any_server, laptop_factory, name="a", persons=60)
    db_b, client_b, village_b = enrolled(any_server, laptop_factory, name="b", persons=60)
    regs = {}
    for db in (db_a, db_b):  # offline work
        pid = person_ids(db, 1)[0]
        regs[db] = register(db, pid)
        edit_person(db, pid, phone="13700000000")
    run_sync(db_a, client_a)
    run_sync(db_b, client_b)
    with db_b.session() as s:
        dead = s.get(Person, person_ids(db_b)[5])
        assert dead is not None
        line = f"{dead.name},{dead.id_number},2026-06-30"
    deaths = tmp_path / "deaths.csv"
    deaths.write_text(f"姓名,身份证号,死亡日期\n{line}\n", encoding="utf-8")
    with any_server.session() as s:
        admin.answer(s, "registration", regs[db_a], approved=True, reason=None, by="county")
        admin.answer(s, "registration", regs[db_b], approved=False, reason="缺材料", by="county")
        admin.import_death_list(s, deaths)
    for db, client in ((db_a, client_a), (db_b, client_b)):
        run_sync(db, client)
        assert run_sync(db, client).mismatches == []
    with db_a.session() as s:
        assert s.get(Registration, regs[db_a]).review_state == ReviewState.APPROVED  # type: ignore[union-attr]
    with db_b.session() as s:
        assert s.get(Registration, regs[db_b]).review_state == ReviewState.RETURNED  # type: ignore[union-attr]
    assert any_server.records(village_a) == expected_records(db_a)
    assert any_server.records(village_b) == expected_records(db_b)
    assert not set(any_server.records(village_a)) & set(any_server.records(village_b))
