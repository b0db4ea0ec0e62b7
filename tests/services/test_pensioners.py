"""Reaching 60 (待遇领取资格确认): the monthly list, years paid and missing, the case and the county's answer."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pensiondesk.domain.codes import PersonStatus, ReviewState, Sex
from pensiondesk.domain.pension import YearMonth
from pensiondesk.services.pensioner_demo import add_resident, small_village
from pensiondesk.services.pensioners import (
    BenefitAnswer,
    apply_benefit_answer,
    notification_form_data,
    open_benefit_case,
    reaching_60_list,
    record_notification,
    submit_benefit_case,
)
from pensiondesk.services.people_types import ServiceError
from pensiondesk.services.recording import Actor
from pensiondesk.store.db import Database, open_database
from pensiondesk.store.models import AuditEntry, Contribution, OutboxEntry, Person

ACTOR = Actor("wang")
AS_OF = date(2026, 11, 20)


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = open_database(tmp_path / "village.sqlite")
    yield database
    database.close()


def _pay(session: Session, person: Person, years: range, *, reversed_year: int | None = None) -> None:
    for year in years:
        session.add(
            Contribution(person_id=person.id, year=year, tier_fen=200_00, personal_fen=200_00, paid_on=date(year, 5, 1))
        )
    if reversed_year is not None:
        original = Contribution(
            person_id=person.id, year=reversed_year, tier_fen=200_00, personal_fen=200_00, paid_on=date(2025, 5, 1)
        )
        session.add(original)
        session.flush()
        session.add(
            Contribution(
                person_id=person.id,
                year=reversed_year,
                tier_fen=200_00,
                personal_fen=-200_00,
                paid_on=date(2025, 6, 1),
                reverses_id=original.id,
            )
        )
    session.flush()


@pytest.fixture
def village(db: Database) -> dict[str, str]:
    with db.session() as s:
        village_id, (g1, g2) = small_village(s)

        def add(name: str, birth: date, seq: int, **kw: object) -> Person:
            return add_resident(
                s,
                village_id=village_id,
                group_id=g1 if seq % 2 else g2,
                name=name,
                birth_date=birth,
                sequence=seq,
                **kw,
            )  # type: ignore[arg-type]

        next_month = add("张建国", date(1966, 12, 5), 1)  # 60 on 2026-12-05
        _pay(s, next_month, range(2012, 2025), reversed_year=2025)  # 13 counting years, 2025 reversed
        in_three = add("王秀英", date(1967, 2, 10), 2, sex=Sex.FEMALE)  # 60 on 2027-02-10
        _pay(s, in_three, range(2011, 2026))  # 15 years
        this_month = add("李明", date(1966, 11, 25), 3)  # 60 in five days
        overdue = add("赵华", date(1966, 6, 1), 4)  # 60 in June, no case yet
        old = add("钱平", date(1965, 1, 1), 5)  # 60 long ago: outside the look-back
        never = add("孙丽", date(1966, 12, 20), 6, status=PersonStatus.NOT_ENROLLED, sex=Sex.FEMALE)
        excluded = add("周强", date(1966, 12, 9), 7)
        excluded.has_employee_pension = True
        dead = add("吴刚", date(1966, 12, 11), 8, status=PersonStatus.TERMINATED)
        s.flush()
        return {p.name: p.id for p in (next_month, in_three, this_month, overdue, old, never, excluded, dead)} | {
            "g1": g1
        }


def test_the_monthly_list(db: Database, village: dict[str, str]) -> None:
    with db.session() as s:
        rows = reaching_60_list(s, as_of=AS_OF, within_months=1)
        assert [r.name for r in rows] == ["赵华", "李明", "张建国", "孙丽"]
        by_name = {r.name: r for r in rows}
        assert by_name["赵华"].overdue and "已到龄未办结" in by_name["赵华"].note
        assert not by_name["李明"].overdue
        assert (by_name["张建国"].years_paid, by_name["张建国"].years_missing) == (13, 2)
        assert by_name["张建国"].earliest_start == YearMonth(2027, 1)
        assert by_name["孙丽"].years_missing == 15 and "未参保" in by_name["孙丽"].note
        three = reaching_60_list(s, as_of=AS_OF, within_months=3, include_overdue=False)
        assert [r.name for r in three] == ["张建国", "孙丽", "王秀英"]
        assert three[-1].years_missing == 0
        assert [r.name for r in reaching_60_list(s, as_of=AS_OF, group_id=village["g1"])] == ["李明", "张建国"]
        with pytest.raises(ServiceError):
            reaching_60_list(s, as_of=AS_OF, within_months=0)


def test_case_notified_sent_up_and_approved(db: Database, village: dict[str, str]) -> None:
    pid = village["张建国"]
    with db.session() as s:
        case = open_benefit_case(s, pid, actor=ACTOR, as_of=AS_OF)
        assert (case.years_paid, case.years_missing, case.reaches_60_on) == (13, 2, date(2026, 12, 5))
        assert open_benefit_case(s, pid, actor=ACTOR, as_of=AS_OF).id == case.id  # still open: the same case
        with pytest.raises(ServiceError, match="通知日期"):
            submit_benefit_case(s, case.id, actor=ACTOR)
        case_id = case.id
    with db.session() as s:
        record_notification(s, case_id, notified_on=date(2026, 11, 18), actor=ACTOR)
        case = submit_benefit_case(s, case_id, actor=ACTOR)
        assert case.review_state is ReviewState.SUBMITTED and case.submitted_at is not None
        row = reaching_60_list(s, as_of=AS_OF)[2]
        assert (row.case_id, row.case_state, row.notified_on) == (case_id, ReviewState.SUBMITTED, date(2026, 11, 18))
    with db.session() as s, pytest.raises(ServiceError, match="不能早于 2027-01"):
        apply_benefit_answer(s, BenefitAnswer(case_id, True, date(2026, 12, 20), 165_32, YearMonth(2026, 12)))
    with db.session() as s:
        apply_benefit_answer(
            s, BenefitAnswer(case_id, True, date(2026, 12, 20), 165_32, YearMonth(2027, 1)), actor=ACTOR
        )
        person = s.get(Person, pid)
        assert person is not None
        assert (person.status, person.status_since) == (PersonStatus.RECEIVING, date(2027, 1, 1))
        assert [r.name for r in reaching_60_list(s, as_of=AS_OF)] == ["赵华", "李明", "孙丽"]
        actions = s.scalars(select(AuditEntry.action).order_by(AuditEntry.seq)).all()
        assert actions == [
            "benefit_case.open",
            "benefit_case.notified",
            "benefit_case.submit",
            "benefit_case.answer",
            "person.status",
        ]


def test_returned_case_needs_a_reason_and_can_be_sent_again(db: Database, village: dict[str, str]) -> None:
    with db.session() as s:
        case = open_benefit_case(s, village["赵华"], actor=ACTOR, as_of=AS_OF)
        record_notification(s, case.id, notified_on=date(2026, 11, 1), actor=ACTOR)
        submit_benefit_case(s, case.id, actor=ACTOR)
        with pytest.raises(ServiceError, match="退回原因"):
            apply_benefit_answer(s, BenefitAnswer(case.id, False, date(2026, 11, 19)))
        outbox_before = s.scalar(select(func.count()).select_from(OutboxEntry))
        apply_benefit_answer(
            s, BenefitAnswer(case.id, False, date(2026, 11, 19), reason="缴费年限不足15年"), from_sync=True
        )
        assert case.review_state is ReviewState.RETURNED and case.return_reason == "缴费年限不足15年"
        assert s.scalar(select(func.count()).select_from(OutboxEntry)) == outbox_before  # came from the county
        submit_benefit_case(s, case.id, actor=ACTOR)
        assert case.review_state is ReviewState.SUBMITTED


def test_pensioners_and_the_terminated_get_no_case(db: Database, village: dict[str, str]) -> None:
    with db.session() as s, pytest.raises(ServiceError, match="终止"):
        open_benefit_case(s, village["吴刚"], actor=ACTOR, as_of=AS_OF)


def test_notification_form_data(db: Database, village: dict[str, str]) -> None:
    with db.session() as s:
        (form,) = notification_form_data(s, [village["张建国"]], as_of=AS_OF)
        assert (form.name, form.years_paid, form.years_missing, form.min_years) == ("张建国", 13, 2, 15)
        assert form.earliest_start == YearMonth(2027, 1) and form.reaches_60_on == date(2026, 12, 5)
        assert form.basic_pension_fen == 143_00 and form.village == "红旗村" and form.township == "青山镇"
