"""Death cancellation through the services (死亡注销登记): settlement, review chain, the 民政 death list."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pensiondesk.domain.codes import (
    AdvanceState,
    DeathSource,
    PersonStatus,
    ReviewState,
    SuspensionReason,
    TerminationReason,
)
from pensiondesk.domain.pension import YearMonth
from pensiondesk.services.deaths import (
    DeathReport,
    HeirInput,
    advance_cancellation_review,
    death_application,
    import_death_list,
    read_death_list,
    report_death,
    update_heir,
)
from pensiondesk.services.pensioner_demo import add_resident, small_village
from pensiondesk.services.people_types import ServiceError
from pensiondesk.services.recording import Actor
from pensiondesk.store.db import Database, open_database
from pensiondesk.store.models import AccountBalance, Advance, AuditEntry, BenefitCase, Cancellation, OutboxEntry, Person

ENTRY = Actor("wang")
REVIEWER = Actor("zhao")
TODAY = date(2026, 7, 20)
HEIR = HeirInput("张小明", "11010519491231002X", "6217 0000 1234 5678 901")


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = open_database(tmp_path / "village.sqlite")
    yield database
    database.close()


def _pensioner(
    session: Session,
    village_id: str,
    group_id: str,
    *,
    name: str = "张建国",
    monthly_fen: int | None = 163_00,
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
        birth_date=date(1955, 4, 2),
        status=status,
        status_reason=status_reason,
        status_since=status_since,
        sequence=sequence,
    )
    if monthly_fen is not None:
        session.add(
            BenefitCase(
                person_id=person.id,
                reaches_60_on=date(2015, 4, 2),
                review_state=ReviewState.APPROVED,
                approved_on=date(2015, 4, 20),
                approved_monthly_fen=monthly_fen,
                start_month="2015-05",
            )
        )
        session.flush()
    return person


def test_worked_example_overpayment_and_funeral_offset(db: Database) -> None:
    # Died 2026-03-15 → stop month 2026-04. Reported in July, the bank paid through June:
    # 3 months × 163.00 = 489.00 overpaid. Funeral subsidy 600.00 (default pack) offsets 489.00, pays 111.00.
    with db.session() as s:
        village_id, (g1, _) = small_village(s)
        person = _pensioner(s, village_id, g1)
        s.add(AccountBalance(person_id=person.id, as_of=date(2026, 6, 30), balance_fen=5_808_21))
        s.add(
            Advance(
                person_id=person.id,
                amount_fen=600_00,
                applied_on=date(2024, 1, 2),
                repaid_fen=150_00,
                state=AdvanceState.APPROVED,
            )
        )
        report = DeathReport(
            person.id,
            death_date=date(2026, 3, 15),
            reported_on=date(2026, 7, 10),
            paid_through=YearMonth(2026, 6),
            evidence_ref="死亡证明 A123",
            heir=HEIR,
        )
        c = report_death(s, report, actor=ENTRY, today=TODAY)
        assert c.stop_month == "2026-04"
        assert (c.overpaid_months, c.overpaid_fen) == (3, 489_00)
        assert (c.funeral_subsidy_fen, c.funeral_offset_fen) == (600_00, 489_00)
        assert c.funeral_refusal_reason is None
        assert c.account_balance_fen == 5_808_21
        assert c.advance_owed_fen == 450_00
        assert (c.heir_id_number, c.heir_bank_card) == ("11010519491231002X", "6217000012345678901")
        assert (person.status, person.status_reason, person.status_since) == (
            PersonStatus.TERMINATED,
            TerminationReason.DEATH.value,
            date(2026, 3, 15),
        )
        form = death_application(s, c.id)
        assert (form.funeral_payable_fen, form.to_recover_fen, form.monthly_fen) == (111_00, 0, 163_00)
        assert s.scalars(select(AuditEntry.action).order_by(AuditEntry.seq)).all() == [
            "cancellation.report",
            "person.terminate",
        ]
        assert s.scalar(select(func.count()).select_from(OutboxEntry)) == 2


def test_default_paid_through_is_the_month_of_the_report(db: Database) -> None:
    with db.session() as s:
        village_id, (g1, _) = small_village(s)
        person = _pensioner(s, village_id, g1)
        c = report_death(
            s, DeathReport(person.id, date(2026, 3, 15), reported_on=date(2026, 4, 20)), actor=ENTRY, today=TODAY
        )
        assert (c.overpaid_months, c.overpaid_fen, c.funeral_offset_fen) == (1, 163_00, 163_00)


def test_overpayment_larger_than_the_grant_is_left_to_recover(db: Database) -> None:
    with db.session() as s:
        village_id, (g1, _) = small_village(s)
        person = _pensioner(s, village_id, g1)
        report = DeathReport(person.id, date(2026, 3, 15), date(2026, 9, 1), paid_through=YearMonth(2026, 8))
        c = report_death(s, report, actor=ENTRY, today=date(2026, 9, 1))
        form = death_application(s, c.id)
        assert (c.overpaid_fen, c.funeral_offset_fen, form.funeral_payable_fen, form.to_recover_fen) == (
            815_00,
            600_00,
            0,
            215_00,
        )


@pytest.mark.parametrize(
    ("status", "reason", "flags", "refusal"),
    [
        (PersonStatus.SUSPENDED, SuspensionReason.NO_SURVIVAL_PROOF.value, {}, "停发"),
        (PersonStatus.SUSPENDED, SuspensionReason.IMPRISONED.value, {}, "服刑"),
        (PersonStatus.RECEIVING, None, {"imprisoned": True}, "服刑"),
        (PersonStatus.RECEIVING, None, {"other_funeral_grant": True}, "其他丧葬补助"),
    ],
)
def test_refusal_cases(
    db: Database, status: PersonStatus, reason: str | None, flags: dict[str, bool], refusal: str
) -> None:
    with db.session() as s:
        village_id, (g1, _) = small_village(s)
        person = _pensioner(s, village_id, g1, status=status, status_reason=reason, status_since=date(2026, 1, 1))
        report = DeathReport(person.id, date(2026, 3, 15), date(2026, 4, 2), **flags)
        c = report_death(s, report, actor=ENTRY, today=TODAY)
        assert c.funeral_refusal_reason is not None and refusal in c.funeral_refusal_reason
        assert (c.funeral_subsidy_fen, c.funeral_offset_fen) == (0, 0)
        if status is PersonStatus.SUSPENDED:
            # Paid through December, the month before the suspension: nothing overpaid.
            assert c.overpaid_fen == 0


def test_pending_suspension_before_death_counts_as_stopped(db: Database) -> None:
    with db.session() as s:
        village_id, (g1, _) = small_village(s)
        person = _pensioner(
            s,
            village_id,
            g1,
            status_reason=SuspensionReason.NO_SURVIVAL_PROOF.value,
            status_since=date(2026, 2, 1),
        )
        c = report_death(s, DeathReport(person.id, date(2026, 3, 15), date(2026, 4, 2)), actor=ENTRY, today=TODAY)
        assert c.funeral_refusal_reason is not None and "停发" in c.funeral_refusal_reason


def test_contributor_death_has_no_pension_but_the_account_is_noted(db: Database) -> None:
    with db.session() as s:
        village_id, (g1, _) = small_village(s)
        person = add_resident(s, village_id=village_id, group_id=g1, name="李强", birth_date=date(1975, 1, 1))
        s.add(AccountBalance(person_id=person.id, as_of=date(2026, 6, 30), balance_fen=3_200_00))
        c = report_death(s, DeathReport(person.id, date(2026, 5, 1), date(2026, 5, 9)), actor=ENTRY, today=TODAY)
        assert (c.overpaid_months, c.overpaid_fen, c.funeral_subsidy_fen) == (0, 0, 0)
        assert c.funeral_refusal_reason is not None and "尚未领取" in c.funeral_refusal_reason
        assert c.account_balance_fen == 3_200_00


def test_without_an_approved_amount_the_basic_pension_is_used(db: Database) -> None:
    with db.session() as s:
        village_id, (g1, _) = small_village(s)
        person = _pensioner(s, village_id, g1, monthly_fen=None)
        report = DeathReport(person.id, date(2026, 3, 15), date(2026, 6, 1), paid_through=YearMonth(2026, 5))
        c = report_death(s, report, actor=ENTRY, today=TODAY)
        assert c.overpaid_fen == 2 * 143_00  # the national minimum in force in 2026 (default pack)


def test_report_refusals(db: Database) -> None:
    with db.session() as s:
        village_id, (g1, _) = small_village(s)
        person = _pensioner(s, village_id, g1)
        pid = person.id
    with db.session() as s, pytest.raises(ServiceError) as caught:
        report_death(
            s,
            DeathReport(
                pid,
                date(2026, 8, 1),
                date(2026, 7, 30),
                heir=HeirInput("张小明", "110105194912310025", "62170000abc"),
            ),
            actor=ENTRY,
            today=TODAY,
        )
    text = caught.value.user_message
    assert "死亡日期不能晚于今天" in text
    assert "报告日期不能早于死亡日期" in text
    assert "继承人身份证号无效" in text
    assert "12 到 19 位数字" in text
    with db.session() as s:
        report_death(s, DeathReport(pid, date(2026, 7, 1), date(2026, 7, 2)), actor=ENTRY, today=TODAY)
    with db.session() as s, pytest.raises(ServiceError, match="已于 2026-07-02 登记过"):
        report_death(s, DeathReport(pid, date(2026, 7, 1), date(2026, 7, 3)), actor=ENTRY, today=TODAY)


def test_review_goes_village_township_county(db: Database) -> None:
    with db.session() as s:
        village_id, (g1, _) = small_village(s)
        person = _pensioner(s, village_id, g1)
        c = report_death(s, DeathReport(person.id, date(2026, 6, 1), date(2026, 6, 5)), actor=ENTRY, today=TODAY)
        cid = c.id
    with db.session() as s, pytest.raises(ServiceError, match="不同的人"):
        advance_cancellation_review(s, cid, ReviewState.VILLAGE_CHECKED, actor=ENTRY)
    with db.session() as s:
        advance_cancellation_review(s, cid, ReviewState.VILLAGE_CHECKED, actor=REVIEWER)
    with db.session() as s, pytest.raises(ServiceError, match="继承人"):
        advance_cancellation_review(s, cid, ReviewState.SUBMITTED, actor=ENTRY)
    with db.session() as s, pytest.raises(ServiceError, match="不能再修改继承人"):
        update_heir(s, cid, HEIR, actor=ENTRY)
    with db.session() as s:
        advance_cancellation_review(s, cid, ReviewState.RETURNED, actor=REVIEWER, reason="缺继承人信息")
        advance_cancellation_review(s, cid, ReviewState.ENTERED, actor=ENTRY)
        update_heir(s, cid, HEIR, actor=ENTRY)
        advance_cancellation_review(s, cid, ReviewState.VILLAGE_CHECKED, actor=REVIEWER)
        advance_cancellation_review(s, cid, ReviewState.SUBMITTED, actor=ENTRY)
    with db.session() as s, pytest.raises(ServiceError, match="必须写明原因"):
        advance_cancellation_review(s, cid, ReviewState.RETURNED, actor=REVIEWER)
    with db.session() as s, pytest.raises(ServiceError, match="不能改为"):
        advance_cancellation_review(s, cid, ReviewState.APPROVED, actor=REVIEWER)
    with db.session() as s:
        advance_cancellation_review(s, cid, ReviewState.TOWNSHIP_CHECKED, actor=Actor("township"), from_sync=True)
        advance_cancellation_review(s, cid, ReviewState.APPROVED, actor=Actor("county"), from_sync=True)
        c = s.get(Cancellation, cid)
        assert c is not None and c.review_state is ReviewState.APPROVED
        # County answers arrive by sync: audited, not sent back.
        last = s.scalars(select(OutboxEntry.operation).order_by(OutboxEntry.seq.desc())).first()
        assert s.scalar(select(func.count()).select_from(AuditEntry)) == 10
        assert s.scalar(select(func.count()).select_from(OutboxEntry)) == 8
        assert last == "update"


# --- the 民政 death list ---------------------------------------------------------------------------------------


def _death_list(path: Path, rows: list[list[object]]) -> Path:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["安和县民政局2026年6月死亡人员名单"])
    ws.append(["序号", "姓名", "性别", "身份证号码", "死亡日期", "备注"])
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def test_death_list_matching_and_import(db: Database, tmp_path: Path) -> None:
    with db.session() as s:
        village_id, (g1, g2) = small_village(s)
        exact = _pensioner(s, village_id, g1, name="阿卜杜·热合曼", sequence=1)
        renamed = _pensioner(s, village_id, g1, name="王秀英", sequence=2)
        namesake = _pensioner(s, village_id, g2, name="刘华", sequence=3)
        gone = _pensioner(s, village_id, g2, name="陈平", sequence=4, status=PersonStatus.TERMINATED)
        fifteen = _pensioner(s, village_id, g2, name="赵明", sequence=5)
        legacy = fifteen.id_number[:6] + fifteen.id_number[8:17]  # the same person's 15-digit number
        ids = {p.name: (p.id, p.id_number) for p in (exact, renamed, namesake, gone, fifteen)}
    path = _death_list(
        tmp_path / "deaths.xlsx",
        [
            [1, "阿卜杜•热合曼", "男", ids["阿卜杜·热合曼"][1], "2026-06-03", ""],  # other dot: still a match
            [2, "王秀兰", "女", ids["王秀英"][1], "2026/6/5", ""],  # ID matches, name does not: ambiguous
            [3, "刘华", "男", "110105194912310029", "2026年6月8日", ""],  # ID unknown, same name: ambiguous
            [4, "孙悟空", "男", "11010519491231002X", "2026-06-09", ""],  # nobody: unmatched
            [5, "陈平", "男", ids["陈平"][1], "2026-06-10", ""],  # already terminated
            [6, "赵明", "男", legacy, "2026-06-11", ""],  # 15-digit number converted: match
            [7, "周平", "男", "11010519491231002X", "六月", ""],  # unreadable date: problem
            [None, None, None, None, None, None],
        ],
    )
    rows, _notes = read_death_list(path)
    assert [r.row_number for r in rows] == [3, 4, 5, 6, 7, 8, 9]
    with db.session() as s:
        result = import_death_list(s, path, actor=ENTRY, reported_on=date(2026, 7, 1), today=TODAY)
        assert sorted(m.person_name for m in result.matched) == ["赵明", "阿卜杜·热合曼"]
        assert len(result.reported) == 2
        assert [m.row.name for m in result.ambiguous] == ["王秀兰", "刘华"]
        assert "姓名不同" in result.ambiguous[0].reason and result.ambiguous[0].candidates[0][1] == "王秀英"
        assert "同名" in result.ambiguous[1].reason
        assert [m.row.name for m in result.unmatched] == ["孙悟空"]
        assert [m.row.name for m in result.already_reported] == ["陈平"]
        assert [m.row.row_number for m in result.problems] == [9]
        assert result.total == 7
    with db.session() as s:
        cancellations = s.scalars(select(Cancellation)).all()
        assert {c.source for c in cancellations} == {DeathSource.CIVIL_AFFAIRS}
        assert {c.death_date for c in cancellations} == {date(2026, 6, 3), date(2026, 6, 11)}
        assert all(c.evidence_ref and "deaths.xlsx" in c.evidence_ref for c in cancellations)
        assert s.get(Person, ids["王秀英"][0]).status is PersonStatus.RECEIVING  # type: ignore[union-attr]


def test_death_list_without_a_death_date_column(db: Database, tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["姓名", "身份证号"])
    ws.append(["张三", "11010519491231002X"])
    path = tmp_path / "bad.xlsx"
    wb.save(path)
    with pytest.raises(ServiceError, match="死亡日期"):
        read_death_list(path)
