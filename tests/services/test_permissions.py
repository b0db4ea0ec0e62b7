"""A reviewer approves or returns, never edits (domain.md §14): every entry use case refuses a 复核员.

On a real SQLite file: each refusal says why in plain Chinese and leaves every table as it was; 录入/初审员,
管理员 and the operator of a database without users (no login) may enter; a 复核员 may still 初审 and 上报.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pensiondesk.domain.codes import Relation, ReviewState, UserRole
from pensiondesk.domain.idnumber import check_character
from pensiondesk.services import people, registration
from pensiondesk.services import roster_import as ri
from pensiondesk.services.people_types import PersonInput, ServiceError
from pensiondesk.services.permissions import entry_refusal, may_enter
from pensiondesk.services.recording import SYSTEM, Actor, verify_audit_chain
from pensiondesk.store.db import Database
from pensiondesk.store.models import (
    AuditEntry,
    Household,
    MigrantDocument,
    OutboxEntry,
    Person,
    PersonCategory,
    Registration,
    VillagerGroup,
)

TODAY = date(2026, 11, 22)
WANG = Actor("wang", UserRole.COORDINATOR, "王协办")
LI = Actor("li", UserRole.REVIEWER, "李复核")
ZHAO = Actor("zhao", UserRole.ADMIN, "赵管理")
NO_LOGIN = Actor("coordinator")  # a database without users: roles do not apply

TABLES = (Person, Household, VillagerGroup, PersonCategory, MigrantDocument, Registration, AuditEntry, OutboxEntry)


def make_id(birth: date, seq: int) -> str:
    first17 = f"411099{birth:%Y%m%d}{seq:03d}"
    return first17 + check_character(first17)


def counts(db: Database) -> tuple[int, ...]:
    with db.session() as s:
        return tuple(s.scalar(select(func.count()).select_from(model)) or 0 for model in TABLES)


def head(name: str, number: str) -> PersonInput:
    return PersonInput(name=name, id_number=number, group_name="第一村民小组", relation=Relation.HEAD)


@pytest.fixture
def zhang(db: Database, village_id: str) -> str:
    with db.session() as s:
        return people.add_person(s, WANG, head("张三", make_id(date(1970, 3, 15), 11)), village_id=village_id).id


def test_who_may_enter() -> None:
    assert [may_enter(a) for a in (WANG, LI, ZHAO, NO_LOGIN, SYSTEM)] == [True, False, True, True, True]
    assert entry_refusal(WANG) == ""
    assert entry_refusal(LI, "录入参保登记") == (
        "李复核是复核员：复核员只审核（通过或退回），不能录入参保登记；请由录入/初审员或管理员登录后办理"
    )


def _roster(tmp_path: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["姓名", "公民身份号码", "村民小组", "与户主关系"])
    ws.append(["王五", make_id(date(1980, 1, 2), 31), "第二村民小组", "户主"])
    path = tmp_path / "roster.xlsx"
    wb.save(path)
    return path


def entry_cases(village_id: str, zhang: str, tmp_path: Path) -> dict[str, Callable[[Session, Actor], object]]:
    """Every entry use case, as a reviewer would try it."""
    newcomer = head("李四", make_id(date(1975, 5, 5), 21))

    def import_roster(s: Session, actor: Actor) -> object:
        plan = ri.plan_import(s, _roster(tmp_path), village_id=village_id, today=TODAY)
        assert isinstance(plan, ri.ImportPlan) and len(plan.to_add) == 1
        return ri.execute_import(s, actor, plan)

    return {
        "新增人员": lambda s, a: people.add_person(s, a, newcomer, village_id=village_id, today=TODAY),
        "新增或导入人员": lambda s, a: people.add_persons(s, a, [newcomer], village_id=village_id, today=TODAY),
        "导入花名册": import_roster,
        "修改人员信息": lambda s, a: people.update_general_fields(s, a, zhang, phone="13900001111"),
        "修改关键信息": lambda s, a: people.change_key_field(
            s, a, zhang, "name", "张叁", reason="户口本更正", evidence_ref="户口簿2026-01", today=TODAY
        ),
        "调整家庭户": lambda s, a: people.create_household(s, a, zhang),
        "调整村民小组": lambda s, a: people.create_group(s, a, village_id, "第九村民小组"),
        "登记参保身份": lambda s, a: people.add_category(s, a, zhang, "071", None, date(2026, 1, 1)),
        "登记外出务工人员": lambda s, a: people.mark_migrant_worker(s, a, zhang, 2026),
        "录入参保登记": lambda s, a: registration.register(s, a, zhang, registered_on=TODAY, today=TODAY),
    }


CASES = (
    "新增人员",
    "新增或导入人员",
    "导入花名册",
    "修改人员信息",
    "修改关键信息",
    "调整家庭户",
    "调整村民小组",
    "登记参保身份",
    "登记外出务工人员",
    "录入参保登记",
)


@pytest.mark.parametrize("case", CASES, ids=range(len(CASES)))
def test_a_reviewer_is_refused_and_nothing_is_written(
    db: Database, village_id: str, zhang: str, tmp_path: Path, case: str
) -> None:
    action = entry_cases(village_id, zhang, tmp_path)[case]
    before = counts(db)
    with pytest.raises(ServiceError) as refused, db.session() as s:
        action(s, LI)
    message = refused.value.user_message
    assert message.startswith("李复核是复核员：复核员只审核（通过或退回），不能")
    assert "请由录入/初审员或管理员登录后办理" in message
    assert refused.value.problems[0].code == "role"
    assert counts(db) == before


@pytest.mark.parametrize("actor", [WANG, ZHAO, NO_LOGIN], ids=["coordinator", "admin", "no-login"])
@pytest.mark.parametrize("case", CASES, ids=range(len(CASES)))
def test_entry_roles_may_do_it(
    db: Database, village_id: str, zhang: str, tmp_path: Path, case: str, actor: Actor
) -> None:
    before = counts(db)
    with db.session() as s:
        action = entry_cases(village_id, zhang, tmp_path)[case]
        action(s, actor)
    after = counts(db)
    assert after[-2] > before[-2] and after[-1] > before[-1]  # an audit entry and an outbox row at least
    with db.session() as s:
        assert verify_audit_chain(s) is None


def test_a_reviewer_still_reviews_and_submits(db: Database, zhang: str) -> None:
    with db.session() as s:
        entered = registration.register(s, WANG, zhang, registered_on=TODAY, today=TODAY).id
    with db.session() as s:
        registration.village_check(s, LI, entered)
    with db.session() as s:
        (done,) = registration.submit(s, LI, [entered])
        assert done.review_state is ReviewState.SUBMITTED


def test_bulk_registration_refuses_a_reviewer_before_trying_anyone(db: Database, zhang: str) -> None:
    before = counts(db)
    tried: list[int] = []
    with pytest.raises(ServiceError) as refused, db.session() as s:
        registration.register_many(s, LI, [zhang], registered_on=TODAY, today=TODAY, progress=tried.append)  # type: ignore[arg-type]
    assert "不能录入参保登记" in refused.value.user_message
    assert tried == [] and counts(db) == before


def test_a_reviewer_cannot_enter_registrations_through_a_reimport(
    db: Database, village_id: str, tmp_path: Path
) -> None:
    """A roster whose persons are all in already still enters their 参保登记: refused for a 复核员 too."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["姓名", "公民身份号码", "村民小组", "与户主关系", "缴费档次"])
    ws.append(["赵六", make_id(date(1985, 3, 3), 51), "第二村民小组", "户主", 300])
    path = tmp_path / "tiers.xlsx"
    wb.save(path)
    with db.session() as s:
        plan = ri.plan_import(s, path, village_id=village_id, today=TODAY)
        assert isinstance(plan, ri.ImportPlan)
        ri.execute_import(s, WANG, plan, enter_registrations=False)  # persons in, no registration yet
    before = counts(db)
    with db.session() as s:
        again = ri.plan_import(s, path, village_id=village_id, today=TODAY)
    assert isinstance(again, ri.ImportPlan) and not again.to_add and again.to_register
    with pytest.raises(ServiceError) as refused, db.session() as s:
        ri.execute_import(s, LI, again)
    assert "不能录入参保登记" in refused.value.user_message
    assert counts(db) == before
    with db.session() as s:
        ri.execute_import(s, WANG, again)
    assert counts(db)[5] == before[5] + 1  # the coordinator's import enters it
