"""参保登记 and its review on a real SQLite file: who may register, entry ≠ review, submission, the county's answer.

Every refusal leaves the database as it was; every change made on the laptop writes an audit entry and an outbox
row in the same commit; the county's answer is audited but not queued for upload.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import func, select

from pensiondesk.domain.codes import PersonStatus, Relation, ReviewState, TerminationReason, UserRole
from pensiondesk.domain.idnumber import check_character
from pensiondesk.services.demo import create_demo_village
from pensiondesk.services.people import add_category, add_person, update_general_fields
from pensiondesk.services.people_types import PersonInput, ServiceError
from pensiondesk.services.recording import Actor, verify_audit_chain
from pensiondesk.services.registration import (
    COUNTY,
    apply_county_answer,
    checked_registrations,
    common_tiers,
    register,
    register_many,
    registration_options,
    returned_registrations,
    review_queue,
    submit,
    village_check,
    village_return,
)
from pensiondesk.store.db import Database
from pensiondesk.store.models import AuditEntry, OutboxEntry, Person, Registration

TODAY = date(2026, 11, 22)
WANG = Actor("wang", UserRole.COORDINATOR, "王协办")  # enters
LI = Actor("li", UserRole.REVIEWER, "李复核")  # reviews
ZHANG = Actor("zhang", UserRole.ADMIN, "张管理")  # 管理员: may enter and review (not the same registration)


def make_id(birth: date, seq: int) -> str:
    first17 = f"411099{birth:%Y%m%d}{seq:03d}"
    return first17 + check_character(first17)


def counts(db: Database) -> tuple[int, int, int, int]:
    with db.session() as s:
        return (
            s.scalar(select(func.count()).select_from(Registration)) or 0,
            s.scalar(select(func.count()).select_from(Person)) or 0,
            s.scalar(select(func.count()).select_from(AuditEntry)) or 0,
            s.scalar(select(func.count()).select_from(OutboxEntry)) or 0,
        )


def person(db: Database, village_id: str, name: str, birth: date, seq: int = 11, **flags: bool) -> str:
    with db.session() as s:
        inp = PersonInput(
            name=name, id_number=make_id(birth, seq), group_name="第一村民小组", relation=Relation.HEAD, **flags
        )  # type: ignore[arg-type]
        return add_person(s, WANG, inp, village_id=village_id, today=TODAY).id


@pytest.fixture
def adult(db: Database, village_id: str) -> str:
    return person(db, village_id, "张三", date(1980, 5, 1))


def entered(db: Database, person_id: str, **kw: object) -> str:
    with db.session() as s:
        return register(s, WANG, person_id, registered_on=date(2026, 3, 1), today=TODAY, **kw).id  # type: ignore[arg-type]


def submitted(db: Database, person_id: str) -> str:
    registration_id = entered(db, person_id)
    with db.session() as s:
        village_check(s, LI, registration_id)
        submit(s, WANG, [registration_id])
    return registration_id


# --- register ---


def test_register_enters_the_form_and_leaves_the_status(db: Database, adult: str) -> None:
    before = counts(db)
    with db.session() as s:
        registration = register(s, WANG, adult, registered_on=date(2026, 3, 1), tier_yuan="300", today=TODAY)
        assert registration.review_state is ReviewState.ENTERED
        assert (registration.entered_by, registration.tier_fen, registration.category_code) == ("wang", 30000, None)
    assert counts(db) == (before[0] + 1, before[1], before[2] + 1, before[3] + 1)
    with db.session() as s:
        assert s.get(Person, adult).status is PersonStatus.NOT_ENROLLED  # type: ignore[union-attr]
        outbox = s.scalars(select(OutboxEntry).where(OutboxEntry.record_type == "registration")).one()
        assert outbox.payload["review_state"] == "entered" and outbox.payload["_operator"] == "wang"
        assert verify_audit_chain(s) is None


def test_register_as_ordinary_stores_no_category(db: Database, adult: str) -> None:
    """Choosing 普通 (011) is having no other category: stored as none, as the form, the import and the default do."""
    with db.session() as s:
        chosen = register(s, WANG, adult, registered_on=date(2026, 3, 1), category_code=" 011 ", tier_yuan="300")
        assert (chosen.category_code, chosen.tier_fen) == (None, 30000)
    with db.session() as s:
        outbox = s.scalars(select(OutboxEntry).where(OutboxEntry.record_type == "registration")).one()
        assert outbox.payload["category_code"] is None
        entry = s.scalars(select(AuditEntry).where(AuditEntry.entity_type == "registration")).one()
        assert entry.after is not None and entry.after["category_code"] is None


@pytest.mark.parametrize(
    ("birth", "flags", "expected"),
    [
        # 16th birthday 2026-07-01 is after the cut-off 2026-06-30: still 15 for the 2026 campaign.
        (date(2010, 7, 1), {}, "按2026年6月30日计算未满16周岁"),
        (date(2005, 1, 1), {"is_student": True}, "不符合参保条件：学生"),
        (date(1980, 1, 1), {"has_employee_pension": True}, "已参加职工养老保险"),
        (date(1980, 1, 1), {"local_hukou": False}, "户籍不在本村"),
    ],
)
def test_register_refuses_who_may_not_enrol(
    db: Database, village_id: str, birth: date, flags: dict[str, bool], expected: str
) -> None:
    person_id = person(db, village_id, "赵六", birth, **flags)
    before = counts(db)
    with pytest.raises(ServiceError) as refused, db.session() as s:
        register(s, WANG, person_id, registered_on=date(2026, 9, 1), today=TODAY)
    assert expected in refused.value.user_message
    assert counts(db) == before


def test_born_30_june_2010_may_register_in_2026(db: Database, village_id: str) -> None:
    person_id = person(db, village_id, "钱七", date(2010, 6, 30))
    assert entered(db, person_id)


def test_terminated_and_enrolled_people_are_refused(db: Database, village_id: str) -> None:
    dead = person(db, village_id, "孙八", date(1940, 1, 1))
    enrolled = person(db, village_id, "周九", date(1975, 1, 1), seq=13)
    with db.session() as s:
        dead_person = s.get(Person, dead)
        enrolled_person = s.get(Person, enrolled)
        assert dead_person is not None and enrolled_person is not None
        dead_person.status = PersonStatus.TERMINATED
        dead_person.status_reason = TerminationReason.DEATH.value
        enrolled_person.status = PersonStatus.CONTRIBUTING
    before = counts(db)
    with pytest.raises(ServiceError) as refused, db.session() as s:
        register(s, WANG, dead, registered_on=date(2026, 3, 1), today=TODAY)
    assert "已终止参保（死亡）" in refused.value.user_message
    with pytest.raises(ServiceError) as refused, db.session() as s:
        register(s, WANG, enrolled, registered_on=date(2026, 3, 1), today=TODAY)
    assert "已经参保（状态：参保缴费）" in refused.value.user_message
    assert counts(db) == before


def test_one_registration_at_a_time(db: Database, adult: str) -> None:
    first = entered(db, adult)
    before = counts(db)
    with pytest.raises(ServiceError) as refused, db.session() as s:
        register(s, WANG, adult, registered_on=date(2026, 4, 1), today=TODAY)
    assert "已有一份参保登记（2026-03-01，已录入），不能重复登记" in refused.value.user_message
    assert counts(db) == before
    # Once returned, a corrected new form may be entered.
    with db.session() as s:
        village_return(s, LI, first, reason="缴费档次未填")
    assert entered(db, adult)


def test_register_checks_date_category_and_tier(db: Database, adult: str) -> None:
    before = counts(db)
    cases = [
        ({"registered_on": date(2026, 12, 1)}, "登记日期不能晚于今天"),
        ({"category_code": "999"}, "参保身份代码“999”在当前策略包中没有定义"),
        ({"category_code": "061"}, "没有“低保对象（061）”身份：请先在人员信息中添加该身份及证明材料"),
        ({"tier_yuan": "250"}, "缴费档次 250 元不能选择"),
        ({"tier_yuan": "abc"}, "不是有效的金额"),
    ]
    for kwargs, message in cases:
        args = {"registered_on": date(2026, 3, 1), **kwargs}
        with pytest.raises(ServiceError) as refused, db.session() as s:
            register(s, WANG, adult, today=TODAY, **args)  # type: ignore[arg-type]
        assert message in refused.value.user_message
    assert counts(db) == before


def test_hardship_category_is_taken_from_the_person(db: Database, adult: str) -> None:
    with db.session() as s:
        add_category(s, WANG, adult, "061", "低保证-8", date(2025, 1, 1))
        add_category(s, WANG, adult, "021", "残疾证-3", date(2025, 1, 1))
    with db.session() as s:
        registration = register(s, WANG, adult, registered_on=date(2026, 3, 1), today=TODAY)
        # Counted once: the category with the larger government-paid amount — in the default pack 021 (残疾一级)
        # has 100 元 paid by the government, 061 (低保) none.
        assert registration.category_code == "021"


# --- review ---


def test_entry_and_village_check_must_be_different_people(db: Database, adult: str) -> None:
    registration_id = entered(db, adult)
    before = counts(db)
    with pytest.raises(ServiceError) as refused, db.session() as s:
        village_check(s, WANG, registration_id)
    assert refused.value.user_message.startswith("录入人和初审人不能是同一人")
    with pytest.raises(ServiceError) as refused, db.session() as s:
        village_return(s, WANG, registration_id, reason="自己退回自己")
    assert "录入人和初审人不能是同一人" in refused.value.user_message
    assert counts(db) == before
    with db.session() as s:
        checked = village_check(s, LI, registration_id)
        assert (checked.review_state, checked.checked_by) == (ReviewState.VILLAGE_CHECKED, "li")
        assert checked.checked_at is not None
    with pytest.raises(ServiceError) as refused, db.session() as s:
        village_check(s, LI, registration_id)
    assert "只有“已录入”的登记才能初审" in refused.value.user_message


def test_village_return_needs_a_reason(db: Database, adult: str) -> None:
    registration_id = entered(db, adult)
    with pytest.raises(ServiceError) as refused, db.session() as s:
        village_return(s, LI, registration_id, reason="  ")
    assert "退回必须写明原因" in refused.value.user_message
    with db.session() as s:
        returned = village_return(s, LI, registration_id, reason="户口簿复印件不清楚，请重新提供")
        assert returned.review_state is ReviewState.RETURNED and returned.answered_at is None
    with db.session() as s:
        (item,) = returned_registrations(s)
        assert (item.name, item.return_reason, item.returned_by_county) == (
            "张三",
            "户口簿复印件不清楚，请重新提供",
            False,
        )


def test_review_queue_shows_only_what_the_actor_may_check(db: Database, village_id: str, adult: str) -> None:
    other = person(db, village_id, "李梅", date(1982, 2, 2), seq=22)
    mine = entered(db, adult)
    with db.session() as s:
        theirs = register(s, ZHANG, other, registered_on=date(2026, 3, 2), today=TODAY).id
    with db.session() as s:
        assert [i.registration_id for i in review_queue(s, WANG)] == [theirs]
        assert [i.registration_id for i in review_queue(s, ZHANG)] == [mine]
        assert [i.registration_id for i in review_queue(s, LI)] == [mine, theirs]
        assert [i.registration_id for i in review_queue(s, Actor("zhao"))] == [mine, theirs]


def test_submit_is_all_or_nothing(db: Database, village_id: str, adult: str) -> None:
    other = person(db, village_id, "李梅", date(1982, 2, 2), seq=22)
    ready = entered(db, adult)
    not_ready = entered(db, other)
    with db.session() as s:
        village_check(s, LI, ready)
    before = counts(db)
    with pytest.raises(ServiceError) as refused, db.session() as s:
        submit(s, WANG, [ready, not_ready])
    assert "以下参保登记还没有通过村级初审，不能上报：李梅（已录入）" in refused.value.user_message
    with pytest.raises(ServiceError), db.session() as s:
        submit(s, WANG, [])
    assert counts(db) == before
    with db.session() as s:
        (done,) = submit(s, WANG, [ready])
        assert done.review_state is ReviewState.SUBMITTED and done.submitted_at is not None


def test_checked_registrations_are_those_waiting_to_be_submitted(db: Database, village_id: str, adult: str) -> None:
    other = person(db, village_id, "李梅", date(1982, 2, 2), seq=22)
    ready = entered(db, adult)
    entered(db, other)  # not checked yet: not listed
    with db.session() as s:
        assert checked_registrations(s) == []
        village_check(s, LI, ready)
    with db.session() as s:
        (item,) = checked_registrations(s, village_id=village_id)
        assert (item.registration_id, item.name, item.checked_by) == (ready, "张三", "li")
        assert item.review_state is ReviewState.VILLAGE_CHECKED
        assert checked_registrations(s, village_id="elsewhere") == []
        submit(s, WANG, [ready])
    with db.session() as s:
        assert checked_registrations(s) == []


def test_registration_options_say_who_and_what_may_be_chosen(db: Database, adult: str) -> None:
    before = counts(db)
    with db.session() as s:
        add_category(s, WANG, adult, "061", "低保证-8", date(2025, 1, 1))
    with db.session() as s:
        options = registration_options(s, adult, registered_on=date(2026, 3, 1))
    assert (options.name, options.age, options.status) == ("张三", 45, PersonStatus.NOT_ENROLLED)
    assert options.default_category == "061"  # what register() would use with no category given
    held = {c.code for c in options.categories if c.held}
    assert held == {"061"} and "011" in {c.code for c in options.categories}
    assert options.tiers[None][0] == 100_00 and set(options.tiers) >= {None, "011", "061"}
    assert counts(db)[0] == before[0]  # nothing registered
    with pytest.raises(ServiceError), db.session() as s:
        registration_options(s, "no-such-person", registered_on=date(2026, 3, 1))


# --- the county's answer ---


def test_county_approval_enrols_the_person(db: Database, adult: str) -> None:
    registration_id = submitted(db, adult)
    before = counts(db)
    answered = datetime(2026, 4, 10, 8, 30)
    with db.session() as s:
        registration = apply_county_answer(s, registration_id, approved=True, reason=None, answered_at=answered)
        assert (registration.review_state, registration.answered_at) == (ReviewState.APPROVED, answered)
    with db.session() as s:
        enrolled = s.get(Person, adult)
        assert enrolled is not None
        assert (enrolled.status, enrolled.status_since, enrolled.version) == (
            PersonStatus.CONTRIBUTING,
            date(2026, 4, 10),
            1,  # county-driven: the base version of both-sides fields is not bumped
        )
        assert verify_audit_chain(s) is None
        entries = s.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(2)).all()
        assert {e.action for e in entries} == {"county_answer", "enrolled_by_county"}
        assert {e.user for e in entries} == {COUNTY.username}
    after = counts(db)
    assert after[2] == before[2] + 2 and after[3] == before[3]  # audited, not queued for upload
    # The same answer again (a pull page re-applied) changes nothing.
    with db.session() as s:
        apply_county_answer(s, registration_id, approved=True, reason=None, answered_at=answered)
    assert counts(db) == after
    # A contradicting answer is refused.
    with pytest.raises(ServiceError) as refused, db.session() as s:
        apply_county_answer(s, registration_id, approved=False, reason="重复参保", answered_at=answered)
    assert "已有县级答复（审核通过" in refused.value.user_message
    assert counts(db) == after
    # A later general-field edit still works with the version the form loaded.
    with db.session() as s:
        assert update_general_fields(s, WANG, adult, phone="13900000000", base_version=1).version == 2


def test_county_return_needs_a_reason_and_is_listed(db: Database, adult: str) -> None:
    registration_id = submitted(db, adult)
    before = counts(db)
    with pytest.raises(ServiceError) as refused, db.session() as s:
        apply_county_answer(s, registration_id, approved=False, reason="", answered_at=datetime(2026, 4, 1))
    assert "县级退回必须附带退回原因" in refused.value.user_message
    assert counts(db) == before
    with db.session() as s:
        apply_county_answer(
            s, registration_id, approved=False, reason="已在外省参保，请核实", answered_at=datetime(2026, 4, 1)
        )
        assert s.get(Person, adult).status is PersonStatus.NOT_ENROLLED  # type: ignore[union-attr]
    with db.session() as s:
        (item,) = returned_registrations(s)
        assert (item.return_reason, item.returned_by_county, item.checked_by) == ("已在外省参保，请核实", True, "li")
    # Once a corrected form is entered, the return no longer needs action.
    entered(db, adult)
    with db.session() as s:
        assert returned_registrations(s) == []


def test_answer_for_a_form_not_submitted_is_refused(db: Database, adult: str) -> None:
    registration_id = entered(db, adult)

    def answer() -> None:
        with pytest.raises(ServiceError) as refused, db.session() as s:
            apply_county_answer(s, registration_id, approved=True, reason=None, answered_at=datetime(2026, 4, 1))
        assert "还没有上报，不能登记县级答复" in refused.value.user_message

    before = counts(db)
    answer()  # 已录入
    assert counts(db) == before
    with db.session() as s:
        village_check(s, LI, registration_id)
    before = counts(db)
    answer()  # 村级已初审
    assert counts(db) == before


def test_sixty_plus_registers_and_becomes_a_contributor_on_approval(db: Database, village_id: str) -> None:
    # 62 at the 2026 cut-off: may enrol, must pay the missing years, then a pension case makes them a receiver.
    elder = person(db, village_id, "吴老汉", date(1964, 1, 5))
    registration_id = submitted(db, elder)
    with db.session() as s:
        apply_county_answer(s, registration_id, approved=True, reason=None, answered_at=datetime(2026, 5, 1))
        assert s.get(Person, elder).status is PersonStatus.CONTRIBUTING  # type: ignore[union-attr]


def test_the_whole_workflow_on_a_demo_village(db: Database) -> None:
    with db.session() as s:
        create_demo_village(s, persons=400, seed=2, as_of=TODAY)
        candidates = s.scalars(
            select(Person)
            .where(Person.status == PersonStatus.NOT_ENROLLED, Person.is_student.is_(False))
            .where(Person.has_employee_pension.is_(False), Person.birth_date <= date(2000, 1, 1))
            .order_by(Person.id_number)
            .limit(5)
        ).all()
        ids = [p.id for p in candidates]
    assert len(ids) == 5
    registration_ids = []
    for person_id in ids:
        with db.session() as s:
            registration_ids.append(register(s, WANG, person_id, registered_on=date(2026, 3, 1), today=TODAY).id)
    with db.session() as s:
        assert len(review_queue(s, LI)) == 5
        for registration_id in registration_ids:
            village_check(s, LI, registration_id)
        submit(s, WANG, registration_ids)
    with db.session() as s:
        for i, registration_id in enumerate(registration_ids):
            apply_county_answer(
                s,
                registration_id,
                approved=i % 2 == 0,
                reason=None if i % 2 == 0 else "材料不全",
                answered_at=datetime(2026, 4, 1),
            )
    with db.session() as s:
        statuses = [s.get(Person, p).status for p in ids]  # type: ignore[union-attr]
        assert statuses == [PersonStatus.CONTRIBUTING, PersonStatus.NOT_ENROLLED] * 2 + [PersonStatus.CONTRIBUTING]
        assert len(returned_registrations(s)) == 2
        assert verify_audit_chain(s) is None


# --- register_many (批量参保登记) ---


def test_register_many_enters_each_it_may_and_lists_the_refusals(db: Database, village_id: str) -> None:
    adults = [person(db, village_id, name, date(1980 + i, 5, 1), seq=21 + i) for i, name in enumerate("甲乙丙")]
    enrolled = person(db, village_id, "周九", date(1975, 1, 1), seq=31)
    child = person(db, village_id, "小明", date(2012, 1, 1), seq=32)
    with db.session() as s:
        s.get_one(Person, enrolled).status = PersonStatus.CONTRIBUTING
    chosen = [adults[0], enrolled, adults[1], child, adults[2]]
    before = counts(db)
    seen: list[int] = []
    with db.session() as s:
        assert common_tiers(s, chosen, registered_on=date(2026, 3, 1))  # the tiers all five may choose
        result = register_many(
            s,
            WANG,
            chosen,
            registered_on=date(2026, 3, 1),
            tier_yuan="300",
            today=TODAY,
            progress=lambda done: seen.append(done) is None,
        )
    assert seen == [1, 2, 3, 4, 5] and not result.stopped
    assert len(result.registration_ids) == 3
    assert [(r.person_id, r.name) for r in result.refused] == [(enrolled, "周九"), (child, "小明")]
    assert "已经参保（状态：参保缴费）" in result.refused[0].reason
    assert "未满16周岁" in result.refused[1].reason
    assert counts(db) == (before[0] + 3, before[1], before[2] + 3, before[3] + 3)
    with db.session() as s:
        stored = s.scalars(select(Registration)).all()
        assert sorted(r.person_id for r in stored) == sorted(adults)
        assert {(r.review_state, r.entered_by, r.tier_fen) for r in stored} == {(ReviewState.ENTERED, "wang", 30000)}
        assert sorted(r.id for r in stored) == sorted(result.registration_ids)
        audited = s.scalars(select(AuditEntry.entity_id).where(AuditEntry.action == "register")).all()
        assert sorted(audited) == sorted(result.registration_ids)
        queued = s.scalars(select(OutboxEntry.record_id).where(OutboxEntry.record_type == "registration")).all()
        assert sorted(queued) == sorted(result.registration_ids)
        assert verify_audit_chain(s) is None
        assert s.get_one(Person, enrolled).status is PersonStatus.CONTRIBUTING


def test_register_many_stops_when_asked_and_keeps_what_was_entered(db: Database, village_id: str) -> None:
    chosen = [person(db, village_id, name, date(1980 + i, 5, 1), seq=41 + i) for i, name in enumerate("甲乙丙")]
    with db.session() as s:
        result = register_many(s, WANG, chosen, registered_on=date(2026, 3, 1), today=TODAY, progress=lambda d: d < 1)
    assert len(result.registration_ids) == 1 and result.not_tried == 2 and result.stopped
    with db.session() as s:
        assert s.scalars(select(Registration.person_id)).all() == [chosen[0]]
