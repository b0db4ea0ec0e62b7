"""参保登记 entered by a roster import (导入花名册时按缴费档次录入参保登记), on a real SQLite file and real .xlsx files.

A registration roster has 参保身份 and 缴费档次: importing it enters the registrations those rows ask for (state
已录入, entered by the importing user, with their audit entries and outbox rows — the same as
``registration.register`` writes), says why for the rows whose person may not register (the person is imported all
the same), enters nothing when switched off, and enters nothing the second time the same file is imported.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from python_calamine import CalamineWorkbook
from sqlalchemy import func, select

from pensiondesk.domain.codes import PersonStatus, Relation, ReviewState, UserRole
from pensiondesk.domain.idnumber import check_character
from pensiondesk.services.audit import verify_audit_file
from pensiondesk.services.people import add_person
from pensiondesk.services.people_types import PersonInput, ServiceError
from pensiondesk.services.recording import Actor, verify_audit_chain
from pensiondesk.services.registration import (
    apply_county_answer,
    checked_registrations,
    register,
    review_queue,
    submit,
    village_check,
)
from pensiondesk.services.roster_import import ImportPlan, ImportResult, execute_import, plan_import, write_report
from pensiondesk.store.db import Database, open_database
from pensiondesk.store.models import AuditEntry, County, OutboxEntry, Person, Registration, Township, Village

TODAY = date(2026, 11, 22)  # the cut-off of 2026 is 30 June
CLERK = Actor("zhao", UserRole.COORDINATOR, "赵协办")  # imports
REVIEWER = Actor("qian", UserRole.REVIEWER, "钱复核")  # checks
HEADER = ["序号", "姓名", "性别", "公民身份号码", "村民小组", "与户主关系", "户主姓名", "参保身份", "缴费档次"]


def make_id(birth: date, seq: int) -> str:
    first17 = f"411099{birth:%Y%m%d}{seq:03d}"
    return first17 + check_character(first17)


HEAD_ID = make_id(date(1980, 5, 1), 11)
SPOUSE_ID = make_id(date(1985, 7, 9), 22)
ELDER_ID = make_id(date(1960, 2, 3), 31)
CHILD_ID = make_id(date(2011, 1, 1), 41)  # 15 at the cut-off
NO_TIER_ID = make_id(date(1990, 9, 9), 51)
ENROLLED_ID = make_id(date(1975, 3, 3), 61)


@dataclass(frozen=True)
class VillageDb:
    db: Database
    village_id: str
    enrolled_id: str  # a resident already 参保缴费 (county-approved registration, tier 300)


@pytest.fixture
def village(tmp_path: Path) -> Iterator[VillageDb]:
    db = open_database(tmp_path / "village.sqlite")
    with db.session() as s:
        county = County(code="411099", name="安和县")
        s.add(county)
        s.flush()
        township = Township(county_id=county.id, code="411099101", name="青山镇")
        s.add(township)
        s.flush()
        village = Village(township_id=township.id, code="411099101201", name="红旗村")
        s.add(village)
        s.flush()
        village_id = village.id
        enrolled = add_person(
            s,
            CLERK,
            PersonInput(name="孙老大", id_number=ENROLLED_ID, group_name="第一村民小组", relation=Relation.HEAD),
            village_id=village_id,
            today=TODAY,
        )
        enrolled_id = enrolled.id
    with db.session() as s:
        registration = register(s, CLERK, enrolled_id, registered_on=date(2026, 3, 1), tier_yuan="300", today=TODAY)
        village_check(s, REVIEWER, registration.id)
        submit(s, CLERK, [registration.id])
        apply_county_answer(s, registration.id, approved=True, reason=None, answered_at=datetime(2026, 4, 1, 9, 30))
    with db.session() as s:
        assert s.get(Person, enrolled_id).status is PersonStatus.CONTRIBUTING  # type: ignore[union-attr]
    yield VillageDb(db, village_id, enrolled_id)
    db.close()


def write_roster(path: Path, rows: list[list[object]]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["红旗村2026年城乡居民养老保险参保登记花名册"])
    sheet.append(HEADER)
    for number, row in enumerate(rows, start=1):
        sheet.append([number, *row])
    book.save(path)
    return path


def five_rows() -> list[list[object]]:
    """3 who may register (200/300/500), a 15-year-old, a row without a tier, and a resident already enrolled."""
    return [
        ["张大山", "男", HEAD_ID, "第一村民小组", "户主", None, "011", 200],
        ["王秀英", "女", SPOUSE_ID, "第一村民小组", "配偶", "张大山", "061", "300元"],
        ["李老汉", "男", ELDER_ID, "第二村民小组", None, None, None, 500],
        ["张小明", "男", CHILD_ID, "第一村民小组", "子", "张大山", "011", 200],
        ["周无档", "男", NO_TIER_ID, "第二村民小组", None, None, "011", None],
        ["孙老大", "男", ENROLLED_ID, "第一村民小组", "户主", None, "011", 500],
    ]


def plan(village: VillageDb, path: Path) -> ImportPlan:
    with village.db.session() as s:
        return plan_import(s, path, village_id=village.village_id, today=TODAY)


def run_import(village: VillageDb, path: Path, **kwargs: bool) -> ImportResult:
    with village.db.session(immediate=True) as s:
        the_plan = plan_import(s, path, village_id=village.village_id, today=TODAY)
        return execute_import(s, CLERK, the_plan, **kwargs)


def counts(db: Database) -> tuple[int, int, int, int]:
    with db.session() as s:
        return (
            s.scalar(select(func.count()).select_from(Person)) or 0,
            s.scalar(select(func.count()).select_from(Registration)) or 0,
            s.scalar(select(func.count()).select_from(AuditEntry)) or 0,
            s.scalar(select(func.count()).select_from(OutboxEntry)) or 0,
        )


def registrations_by_id_number(db: Database) -> dict[str, Registration]:
    with db.session() as s:
        rows = s.execute(select(Person.id_number, Registration).join(Person, Person.id == Registration.person_id))
        found = {number: registration for number, registration in rows}
        s.expunge_all()
        return found


def test_a_registration_roster_enters_the_registrations_it_asks_for(village: VillageDb, tmp_path: Path) -> None:
    roster = write_roster(tmp_path / "花名册.xlsx", five_rows())
    before = counts(village.db)

    the_plan = plan(village, roster)
    assert the_plan.summary() == "新增 5 人，未变 1 人，拒绝 0 行"
    assert the_plan.asks_registration
    assert [r.row_number for r in the_plan.to_register] == [3, 4, 5]
    assert [r.row_number for r in the_plan.registration_refused] == [6, 8]
    assert counts(village.db) == before  # planning writes nothing

    result = run_import(village, roster)
    assert result.summary() == "新增 5 人，未变 1 人，拒绝 0 行"
    assert (result.registered, result.not_registered) == (3, 2)
    assert result.registration_summary() == "录入参保登记 3 人（已录入，待初审），2 人不能录入（原因见各行的问题说明）"
    persons, registrations, audit, outbox = counts(village.db)
    assert (persons, registrations) == (before[0] + 5, before[1] + 3)
    assert audit - before[2] == outbox - before[3] > 5 + 3  # persons, households, …, registrations: all queued

    stored = registrations_by_id_number(village.db)
    entered = {number: stored[number] for number in (HEAD_ID, SPOUSE_ID, ELDER_ID)}
    assert {n: r.tier_fen for n, r in entered.items()} == {HEAD_ID: 20000, SPOUSE_ID: 30000, ELDER_ID: 50000}
    # None is 普通: the row's 011 is having no other category (PolicyPack.ordinary_code)
    assert {n: r.category_code for n, r in entered.items()} == {HEAD_ID: None, SPOUSE_ID: "061", ELDER_ID: None}
    for registration in entered.values():
        assert registration.review_state is ReviewState.ENTERED
        assert registration.registered_on == TODAY
        assert (registration.entered_by, registration.created_by, registration.updated_by) == ("zhao",) * 3
        assert registration.checked_by is None and registration.submitted_at is None
    assert CHILD_ID not in stored and NO_TIER_ID not in stored
    assert stored[ENROLLED_ID].tier_fen == 30000  # only the approved registration of March

    with village.db.session() as s:
        ids = [r.id for r in entered.values()]
        audited = s.scalars(select(AuditEntry).where(AuditEntry.entity_id.in_(ids))).all()
        assert sorted((a.action, a.entity_type, a.user) for a in audited) == [("register", "registration", "zhao")] * 3
        queued = s.scalars(select(OutboxEntry).where(OutboxEntry.record_id.in_(ids))).all()
        assert (
            sorted((o.record_type, o.operation, o.payload["_operator"]) for o in queued)
            == [("registration", "create", "zhao")] * 3
        )
        assert verify_audit_chain(s) is None
        # Nothing changes the persons' status until the county approves.
        assert {p.status for p in s.scalars(select(Person).where(Person.id_number.in_(list(entered))))} == {
            PersonStatus.NOT_ENROLLED
        }
        # The 15-year-old is imported all the same.
        assert s.scalar(select(Person.name).where(Person.id_number == CHILD_ID)) == "张小明"
    assert verify_audit_file(village.db.path).ok

    # The reasons are in the result (the rows' warnings) and in the written report.
    rows = {r.row_number: r for r in result.plan.rows}
    assert "不能按表中的缴费档次录入参保登记：张小明按2026年6月30日计算未满16周岁" in rows[6].describe()
    assert "孙老大已经参保（状态：参保缴费），不需要再办理参保登记" in rows[8].describe()
    assert rows[7].registration is None and "参保登记" not in rows[7].describe()
    report = write_report(result.plan, tmp_path / "报告.xlsx")
    table = CalamineWorkbook.from_path(str(report)).get_sheet_by_index(0).to_python()
    header = [str(h) for h in table[0]]
    names, notes, results = header.index("姓名"), header.index("问题说明"), header.index("结果")
    by_name = {row[names]: (row[results], row[notes]) for row in table[1:]}
    assert by_name["张小明"][0] == "新增"
    assert "提示：不能按表中的缴费档次录入参保登记：张小明按2026年6月30日计算未满16周岁" in by_name["张小明"][1]
    assert "已经参保" in by_name["孙老大"][1]
    assert by_name["张大山"][1] == ""

    # Importing the same file again enters nothing and says nothing new.
    after_first = counts(village.db)
    again = run_import(village, roster)
    assert again.summary() == "新增 0 人，未变 6 人，拒绝 0 行"
    assert (again.registered, again.not_registered) == (0, 2)
    assert counts(village.db) == after_first
    again_rows = {r.row_number: r for r in again.plan.rows}
    assert again_rows[3].registration is not None and again_rows[3].registration.already
    assert again_rows[3].describe() == ""
    with village.db.session() as s:
        assert verify_audit_chain(s) is None


def test_switched_off_it_enters_none(village: VillageDb, tmp_path: Path) -> None:
    roster = write_roster(tmp_path / "花名册.xlsx", five_rows())
    before = counts(village.db)
    result = run_import(village, roster, enter_registrations=False)
    assert (result.added, result.registered, result.not_registered) == (5, 0, 0)
    assert result.registration_summary() == ""
    assert counts(village.db)[:2] == (before[0] + 5, before[1])

    # Imported again with registration on, the persons now in the database get theirs (unchanged rows register).
    later = run_import(village, roster)
    assert (later.added, later.unchanged, later.registered, later.not_registered) == (0, 6, 3, 2)
    assert set(registrations_by_id_number(village.db)) == {HEAD_ID, SPOUSE_ID, ELDER_ID, ENROLLED_ID}


def test_a_roster_without_a_tier_column_asks_for_nothing(village: VillageDb, tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["姓名", "公民身份号码"])
    sheet.append(["张大山", HEAD_ID])
    book.save(tmp_path / "无档次.xlsx")
    result = run_import(village, tmp_path / "无档次.xlsx")
    assert not result.plan.asks_registration
    assert (result.added, result.registered) == (1, 0)
    assert result.registration_summary() == ""


def test_persons_already_there_are_decided_on_what_the_database_holds(village: VillageDb, tmp_path: Path) -> None:
    with village.db.session() as s:
        entered = add_person(s, CLERK, PersonInput(name="吴已录", id_number=HEAD_ID), village_id=village.village_id)
        add_person(
            s, CLERK, PersonInput(name="郑学生", id_number=SPOUSE_ID, is_student=True), village_id=village.village_id
        )
        add_person(s, CLERK, PersonInput(name="冯档次", id_number=ELDER_ID), village_id=village.village_id)
        entered_id = entered.id
    with village.db.session() as s:
        register(s, CLERK, entered_id, registered_on=date(2026, 10, 1), tier_yuan="300", today=TODAY)
    roster = write_roster(
        tmp_path / "花名册.xlsx",
        [
            ["吴已录", "男", HEAD_ID, None, None, None, None, 500],  # a registration under way, another tier
            ["郑学生", "女", SPOUSE_ID, None, None, None, None, 200],  # excluded: a full-time student
            ["冯档次", "男", ELDER_ID, None, None, None, None, 250],  # not a tier of the pack
            ["陈新来", "男", NO_TIER_ID, None, None, None, None, 250],  # a new person: imported, not registered
        ],
    )
    the_plan = plan(village, roster)
    rows = {r.row_number: r for r in the_plan.rows}
    assert rows[3].describe() == (
        "提示：不能按表中的缴费档次录入参保登记：吴已录已有一份参保登记（2026-10-01，已录入），不能重复登记"
        "（已登记的缴费档次是 300 元，表中是 500 元）"
    )
    assert "郑学生不符合参保条件：学生" in rows[4].describe()
    assert "冯档次的缴费档次 250 元不能选择；可选：100、200、300" in rows[5].describe()
    # For a new person the people checks' tier error does not reject the row: the 缴费档次 only asks for a 参保登记.
    assert rows[6].status.value == "add"
    assert rows[6].describe() == (
        "提示：不能按表中的缴费档次录入参保登记：陈新来的缴费档次 250 元不能选择；"
        "可选：100、200、300、400、500、600、700、800、900、1000、1500、2000 元"
    )
    assert the_plan.to_register == []
    before = counts(village.db)
    with village.db.session(immediate=True) as s:
        result = execute_import(s, CLERK, the_plan)
    assert (result.added, result.registered, result.not_registered) == (1, 0, 4)
    assert counts(village.db)[:2] == (before[0] + 1, before[1])


def test_a_plan_made_stale_by_a_registration_is_refused(village: VillageDb, tmp_path: Path) -> None:
    with village.db.session() as s:
        person_id = add_person(
            s, CLERK, PersonInput(name="张大山", id_number=HEAD_ID), village_id=village.village_id
        ).id
    roster = write_roster(tmp_path / "花名册.xlsx", [["张大山", "男", HEAD_ID, None, None, None, None, 200]])
    the_plan = plan(village, roster)
    assert [r.row_number for r in the_plan.to_register] == [3]
    with village.db.session() as s:  # meanwhile someone enters it by hand (Ctrl+G)
        register(s, CLERK, person_id, registered_on=TODAY, tier_yuan="300", today=TODAY)
    before = counts(village.db)
    with pytest.raises(ServiceError, match="参保登记情况发生了变化（如第3行张大山）"), village.db.session() as s:
        execute_import(s, CLERK, the_plan)
    assert counts(village.db) == before


def test_a_bulk_entered_registration_is_what_register_writes(village: VillageDb, tmp_path: Path) -> None:
    roster = write_roster(
        tmp_path / "花名册.xlsx", [["张大山", "男", HEAD_ID, "第一村民小组", "户主", None, "061", 300]]
    )
    bulk_id = run_import(village, roster).registration_ids[0]
    with village.db.session() as s:
        twin = add_person(
            s,
            CLERK,
            PersonInput(name="王秀英", id_number=SPOUSE_ID, group_name="第一村民小组", category_codes=["061"]),
            village_id=village.village_id,
            today=TODAY,
        )
        one_id = register(s, CLERK, twin.id, registered_on=TODAY, category_code="061", tier_yuan="300", today=TODAY).id

    def written(registration_id: str) -> tuple[AuditEntry, OutboxEntry]:
        with village.db.session() as s:
            audit = s.scalars(select(AuditEntry).where(AuditEntry.entity_id == registration_id)).one()
            outbox = s.scalars(select(OutboxEntry).where(OutboxEntry.record_id == registration_id)).one()
            s.expunge_all()
            return audit, outbox

    (bulk_audit, bulk_outbox), (one_audit, one_outbox) = written(bulk_id), written(one_id)
    differs = {"id", "person_id", "created_at", "updated_at"}
    assert bulk_audit.after is not None and one_audit.after is not None
    assert set(bulk_audit.after) == set(one_audit.after)
    assert {k: v for k, v in bulk_audit.after.items() if k not in differs} == {
        k: v for k, v in one_audit.after.items() if k not in differs
    }
    assert bulk_audit.after["id"] == bulk_id and one_audit.after["id"] == one_id
    for key in ("created_at", "updated_at"):
        assert date.fromisoformat(bulk_audit.after[key][:10]) == date.fromisoformat(one_audit.after[key][:10])
    same = ("action", "entity_type", "user", "before", "reason")
    assert [getattr(bulk_audit, k) for k in same] == [getattr(one_audit, k) for k in same]
    assert set(bulk_outbox.payload) == set(one_outbox.payload)
    assert {k: v for k, v in bulk_outbox.payload.items() if k not in differs} == {
        k: v for k, v in one_outbox.payload.items() if k not in differs
    }
    assert bulk_outbox.payload == {**bulk_audit.after, "_operator": "zhao"}
    same = ("record_type", "operation", "base_version", "state", "attempts")
    assert [getattr(bulk_outbox, k) for k in same] == [getattr(one_outbox, k) for k in same]
    with village.db.session() as s:
        assert verify_audit_chain(s) is None


def test_imported_registrations_go_through_review_and_submission(village: VillageDb, tmp_path: Path) -> None:
    roster = write_roster(tmp_path / "花名册.xlsx", five_rows())
    ids = run_import(village, roster).registration_ids
    with village.db.session() as s:
        assert review_queue(s, CLERK) == []  # the importing user may not check their own entries
        queue = review_queue(s, REVIEWER)
        assert {item.registration_id for item in queue} == set(ids)
        for registration_id in ids:
            village_check(s, REVIEWER, registration_id)
    with village.db.session() as s:
        assert {item.registration_id for item in checked_registrations(s)} == set(ids)
        submit(s, CLERK, ids)
    with village.db.session() as s:
        states = s.scalars(select(Registration.review_state).where(Registration.id.in_(ids))).all()
        assert states == [ReviewState.SUBMITTED] * 3
        assert verify_audit_chain(s) is None
