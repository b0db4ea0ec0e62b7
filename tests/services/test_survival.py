"""Survival certification through the services (领取资格认证): lists, checks, suspension pending, back pay."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pensiondesk.domain.codes import (
    PersonStatus,
    ReviewState,
    SurvivalMethod,
    SurvivalResult,
    SuspensionReason,
)
from pensiondesk.domain.pension import YearMonth
from pensiondesk.domain.survival import SurvivalStatus
from pensiondesk.services.pensioner_demo import add_resident, small_village
from pensiondesk.services.people_types import ServiceError
from pensiondesk.services.recording import Actor
from pensiondesk.services.survival import (
    CheckInput,
    attachments_dir_for,
    checks_for_person,
    mark_overdue_suspensions,
    parse_method,
    record_check,
    record_checks,
    survival_rows,
)
from pensiondesk.store.db import Database, open_database
from pensiondesk.store.models import AuditEntry, BenefitCase, OutboxEntry, Person, SurvivalCheck

ACTOR = Actor("li")


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = open_database(tmp_path / "village.sqlite")
    yield database
    database.close()


def _pensioner(
    session: Session,
    village_id: str,
    group_id: str,
    name: str,
    approved_on: date,
    *,
    status: PersonStatus = PersonStatus.RECEIVING,
    status_reason: str | None = None,
    status_since: date | None = None,
    sequence: int = 1,
) -> Person:
    person = add_resident(
        session,
        village_id=village_id,
        group_id=group_id,
        name=name,
        birth_date=date(1960, 1, 15),
        status=status,
        status_reason=status_reason,
        status_since=status_since,
        sequence=sequence,
    )
    session.add(
        BenefitCase(
            person_id=person.id,
            reaches_60_on=date(2020, 1, 15),
            review_state=ReviewState.APPROVED,
            approved_on=approved_on,
            approved_monthly_fen=163_00,
            start_month="2020-02",
        )
    )
    session.flush()
    return person


def _check(
    person: Person,
    day: date,
    *,
    result: SurvivalResult = SurvivalResult.ALIVE,
    witness: str | None = None,
    attachment: Path | None = None,
) -> CheckInput:
    return CheckInput(
        person_id=person.id,
        checked_on=day,
        method=SurvivalMethod.HOME_VISIT,
        certifier="协办员李秀英",
        result=result,
        witness=witness,
        attachment=attachment,
    )


def test_worked_example_lapse_pending_and_back_pay(db: Database) -> None:
    # Approved 2025-03-15: cycle 2025-04 … 2026-03. On 2026-04-02 the cycle has lapsed → suspension pending from
    # April. Certified 2026-07-10 → back pay April–July (4 months), new cycle 2026-08 … 2027-07.
    with db.session() as s:
        village_id, (g1, _g2) = small_village(s)
        person = _pensioner(s, village_id, g1, "张建国", date(2025, 3, 15))
        pid = person.id
    with db.session() as s:
        assert survival_rows(s, as_of=date(2026, 2, 28))[0].state is SurvivalStatus.CURRENT
        assert survival_rows(s, as_of=date(2026, 3, 1))[0].state is SurvivalStatus.DUE
        row = survival_rows(s, as_of=date(2026, 4, 2))[0]
        assert row.state is SurvivalStatus.OVERDUE and row.cycle_end == date(2026, 3, 31)
    with db.session() as s:
        marked = mark_overdue_suspensions(s, as_of=date(2026, 4, 2), actor=ACTOR)
        assert [m.person_id for m in marked] == [pid]
        assert mark_overdue_suspensions(s, as_of=date(2026, 4, 3), actor=ACTOR) == []  # only once
    with db.session() as s:
        p = s.get(Person, pid)
        assert p is not None
        assert (p.status, p.status_reason, p.status_since) == (
            PersonStatus.RECEIVING,
            SuspensionReason.NO_SURVIVAL_PROOF.value,
            date(2026, 4, 1),
        )
        assert survival_rows(s, as_of=date(2026, 4, 3))[0].pending
    with db.session() as s:
        outcome = record_check(s, _check(person, date(2026, 7, 10)), actor=ACTOR, today=date(2026, 7, 10))
        assert outcome.resumed and outcome.back_pay_months == 4
        assert outcome.first_unpaid_month == YearMonth(2026, 4)
        assert outcome.new_cycle is not None and outcome.new_cycle.start == YearMonth(2026, 8)
        assert "补发 4 个月" in outcome.message
    with db.session() as s:
        p = s.get(Person, pid)
        assert p is not None and p.status is PersonStatus.RECEIVING and p.status_reason is None
        check = checks_for_person(s, pid)[0]
        assert check.back_pay_months == 4
        assert survival_rows(s, as_of=date(2026, 7, 11))[0].state is SurvivalStatus.CURRENT
        actions = s.scalars(select(AuditEntry.action).order_by(AuditEntry.seq)).all()
        assert actions == ["person.suspension_pending", "survival_check.record", "person.resume"]
        assert s.scalar(select(func.count()).select_from(OutboxEntry)) == 3


def test_suspended_pensioner_resumes_with_back_pay_from_the_suspension(db: Database) -> None:
    # Suspended (暂停 1201) since 2026-01-01; certified 2026-03-05 → January, February, March back-paid.
    with db.session() as s:
        village_id, (g1, _) = small_village(s)
        person = _pensioner(
            s,
            village_id,
            g1,
            "王秀英",
            date(2024, 5, 10),
            status=PersonStatus.SUSPENDED,
            status_reason=SuspensionReason.NO_SURVIVAL_PROOF.value,
            status_since=date(2026, 1, 1),
        )
        assert survival_rows(s, as_of=date(2026, 2, 1))[0].state is SurvivalStatus.SUSPENDED
        outcome = record_check(s, _check(person, date(2026, 3, 5)), actor=ACTOR, today=date(2026, 3, 5))
        assert (outcome.resumed, outcome.back_pay_months) == (True, 3)
        assert person.status is PersonStatus.RECEIVING


def test_imprisonment_is_not_lifted_by_a_certification(db: Database) -> None:
    with db.session() as s:
        village_id, (g1, _) = small_village(s)
        person = _pensioner(
            s,
            village_id,
            g1,
            "赵明",
            date(2024, 5, 10),
            status=PersonStatus.SUSPENDED,
            status_reason=SuspensionReason.IMPRISONED.value,
            status_since=date(2025, 9, 1),
        )
        outcome = record_check(s, _check(person, date(2026, 3, 5)), actor=ACTOR, today=date(2026, 3, 5))
        assert not outcome.resumed and outcome.back_pay_months == 0
        assert person.status is PersonStatus.SUSPENDED
        assert "服刑" in outcome.message


def test_lapsed_but_never_marked_still_reports_back_pay(db: Database) -> None:
    # Certified 2025-01-20 → cycle 2025-02 … 2026-01; nobody ran the sweep; certified 2026-03-02 → Feb, Mar.
    with db.session() as s:
        village_id, (g1, _) = small_village(s)
        person = _pensioner(s, village_id, g1, "刘华", date(2024, 1, 5))
        s.add(
            SurvivalCheck(
                person_id=person.id,
                checked_on=date(2025, 1, 20),
                method=SurvivalMethod.FACE_SELF_SERVICE,
                certifier="本人",
            )
        )
        s.flush()
        outcome = record_check(s, _check(person, date(2026, 3, 2)), actor=ACTOR, today=date(2026, 3, 2))
        assert outcome.back_pay_months == 2 and outcome.first_unpaid_month == YearMonth(2026, 2)


def test_refusals_are_explained_and_write_nothing(db: Database) -> None:
    with db.session() as s:
        village_id, (g1, _) = small_village(s)
        ok = _pensioner(s, village_id, g1, "陈芳", date(2025, 1, 5), sequence=1)
        contributor = add_resident(s, village_id=village_id, group_id=g1, name="杨军", birth_date=date(1980, 1, 1))
        ids = (ok.id, contributor.id)
    with db.session() as s, pytest.raises(ServiceError) as caught:
        record_checks(
            s,
            [
                CheckInput(ids[0], date(2026, 5, 1), SurvivalMethod.HOME_VISIT, "协办员"),
                CheckInput(ids[1], date(2026, 5, 1), SurvivalMethod.HOME_VISIT, "协办员"),
                CheckInput(ids[0], date(2030, 1, 1), SurvivalMethod.ELSEWHERE, " "),
            ],
            actor=ACTOR,
            today=date(2026, 5, 2),
        )
    messages = caught.value.user_message
    assert "不是待遇领取人员" in messages
    assert "不能晚于今天" in messages
    assert "认证机构" in messages  # 异地 names the certifying office
    assert "两次" in messages
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(SurvivalCheck)) == 0
        assert s.scalar(select(func.count()).select_from(AuditEntry)) == 0


def test_a_day_of_home_visits_in_one_go(db: Database) -> None:
    with db.session() as s:
        village_id, (g1, g2) = small_village(s)
        people = [
            _pensioner(s, village_id, (g1, g2)[i % 2], f"王{i}强", date(2025, 6, 1), sequence=i) for i in range(5)
        ]
        entries = [_check(p, date(2026, 5, 20), witness="组长") for p in people]
        outcomes = record_checks(s, entries, actor=ACTOR, today=date(2026, 5, 20))
        assert len(outcomes) == 5 and all(o.new_cycle and o.new_cycle.last_day == date(2027, 5, 31) for o in outcomes)
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(SurvivalCheck)) == 5
        with pytest.raises(ServiceError, match="已有一条同样的认证记录"):
            record_check(s, entries[0], actor=ACTOR, today=date(2026, 5, 21))


def test_attachment_is_kept_beside_the_database_with_its_hash(db: Database, tmp_path: Path) -> None:
    photo = tmp_path / "visit.JPG"
    photo.write_bytes(b"\xff\xd8\xff photo of the visit")
    with db.session() as s:
        village_id, (g1, _) = small_village(s)
        person = _pensioner(s, village_id, g1, "孙丽", date(2025, 6, 1))
        outcome = record_check(
            s, _check(person, date(2026, 5, 20), attachment=photo), actor=ACTOR, today=date(2026, 5, 20)
        )
        check = outcome.check
        digest = hashlib.sha256(photo.read_bytes()).hexdigest()
        assert check.attachment_sha256 == digest
        assert check.attachment_path == f"survival/{digest}.jpg"
        stored = attachments_dir_for(s) / check.attachment_path
        assert stored.read_bytes() == photo.read_bytes()
        assert stored.parent.parent == db.path.parent / "attachments"
    with db.session() as s, pytest.raises(ServiceError, match="找不到附件"):
        record_check(
            s,
            _check(person, date(2026, 5, 21), attachment=tmp_path / "missing.jpg"),
            actor=ACTOR,
            today=date(2026, 5, 21),
        )


def test_deceased_result_asks_for_a_death_report(db: Database) -> None:
    with db.session() as s:
        village_id, (g1, _) = small_village(s)
        person = _pensioner(s, village_id, g1, "周平", date(2025, 6, 1))
        outcome = record_check(
            s, _check(person, date(2026, 5, 20), result=SurvivalResult.DECEASED), actor=ACTOR, today=date(2026, 5, 20)
        )
        assert outcome.needs_death_report and "死亡注销" in outcome.message
        assert outcome.new_cycle is None


def test_lists_by_state_and_group(db: Database) -> None:
    with db.session() as s:
        village_id, (g1, g2) = small_village(s)
        _pensioner(s, village_id, g1, "甲", date(2025, 12, 20), sequence=1)  # cycle ends 2026-12-31: current
        _pensioner(s, village_id, g2, "乙", date(2025, 10, 10), sequence=2)  # ends 2026-10-31: due on 10-15
        _pensioner(s, village_id, g2, "丙", date(2025, 8, 10), sequence=3)  # ends 2026-08-31: overdue
        _pensioner(
            s,
            village_id,
            g1,
            "丁",
            date(2024, 8, 10),
            sequence=4,
            status=PersonStatus.SUSPENDED,
            status_reason=SuspensionReason.NO_SURVIVAL_PROOF.value,
        )
        on = date(2026, 10, 15)
        states = {r.name: r.state for r in survival_rows(s, as_of=on)}
        assert states == {
            "甲": SurvivalStatus.CURRENT,
            "乙": SurvivalStatus.DUE,
            "丙": SurvivalStatus.OVERDUE,
            "丁": SurvivalStatus.SUSPENDED,
        }
        assert [r.name for r in survival_rows(s, as_of=on, states={SurvivalStatus.DUE})] == ["乙"]
        assert [r.name for r in survival_rows(s, as_of=on, group_id=g1)] == ["丁", "甲"]


@pytest.mark.parametrize(
    ("text", "method"),
    [
        ("上门", SurvivalMethod.HOME_VISIT),
        ("实地", SurvivalMethod.ON_SITE),
        ("异地认证", SurvivalMethod.ELSEWHERE),
        ("人脸", SurvivalMethod.FACE_SELF_SERVICE),
        ("数据比对", SurvivalMethod.DATA_COMPARISON),
        ("face_family", SurvivalMethod.FACE_FAMILY),
        ("人脸识别(协办员协助)", SurvivalMethod.FACE_COORDINATOR),
    ],
)
def test_methods_as_typed(text: str, method: SurvivalMethod) -> None:
    assert parse_method(text) is method


def test_unknown_method_lists_the_choices() -> None:
    with pytest.raises(ServiceError, match="上门"):
        parse_method("电话")
