"""The 待遇/认证 page (到龄, 资格认证, 死亡注销) over a real demo village with histories."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from pensiondesk.domain.codes import PersonStatus, ReviewState, SurvivalMethod
from pensiondesk.domain.pension import YearMonth
from pensiondesk.gui import pensioners_page
from pensiondesk.gui.pensioner_widgets import RowsModel
from pensiondesk.gui.pensioners_page import DeathReportDialog, PensionersPage
from pensiondesk.gui.qt import QMessageBox, Qt
from pensiondesk.services.deaths import HeirInput
from pensiondesk.services.demo import create_demo_village
from pensiondesk.services.pensioner_demo import add_resident, seed_pensioner_histories
from pensiondesk.services.pensioners import BenefitAnswer, reaching_60_list
from pensiondesk.services.recording import Actor
from pensiondesk.services.survival import overdue_to_mark, survival_rows
from pensiondesk.store.db import Database, open_database
from pensiondesk.store.models import Cancellation, Person, SurvivalCheck

pytestmark = pytest.mark.gui
AS_OF = date(2026, 11, 20)


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("gui") / "demo.sqlite"
    db = open_database(path)
    with db.session() as s:
        create_demo_village(s, persons=700, seed=21, as_of=AS_OF)
        seed_pensioner_histories(s, as_of=AS_OF, seed=21)
        village_id, group_id = s.execute(select(Person.village_id, Person.group_id).limit(1)).one()
        for n, (name, born) in enumerate((("周建国", date(1966, 12, 10)), ("吴秀英", date(1967, 1, 15))), start=1):
            add_resident(s, village_id=village_id, group_id=group_id, name=name, birth_date=born, sequence=400 + n)
    db.close()
    return path


@pytest.fixture
def db(demo_file: Path, tmp_path: Path) -> Iterator[Database]:
    copy = tmp_path / "demo.sqlite"
    shutil.copyfile(demo_file, copy)
    database = open_database(copy)
    yield database
    database.close()


@pytest.fixture
def warnings(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    shown: list[str] = []

    def warn(_parent: Any, _title: str, text: str, *_args: Any) -> QMessageBox.StandardButton:
        shown.append(text)
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "warning", warn)
    monkeypatch.setattr(QMessageBox, "information", warn)
    return shown


@pytest.fixture(autouse=True)
def confirmations(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """The 确定要…吗？ questions asked (title, text), each answered 确定; a test may swap in its own answer."""
    asked: list[tuple[str, str]] = []

    def answer(_parent: Any, title: str, text: str, *, yes: str | None = None) -> bool:
        asked.append((title, text))
        return True

    monkeypatch.setattr(pensioners_page, "confirm", answer)
    return asked


@pytest.fixture
def page(qtbot: QtBot, db: Database) -> PensionersPage:
    widget = PensionersPage(db.session, today=lambda: AS_OF, actor=lambda: Actor("wang"))
    qtbot.addWidget(widget)
    widget.resize(1200, 800)
    widget.show()
    return widget


def test_models_are_sound(qtmodeltester: Any, page: PensionersPage) -> None:
    page.tabs.setCurrentWidget(page.survival)
    qtmodeltester.check(page.survival.model)
    qtmodeltester.check(page.reaching.model)


def test_reaching_60_notified_submitted_answered(page: PensionersPage, db: Database, warnings: list[str]) -> None:
    tab = page.reaching
    tab.months.setValue(3)
    with db.session() as s:
        expected = reaching_60_list(s, as_of=AS_OF, within_months=3)
    assert tab.model.rowCount() == len(expected) > 0
    assert tab.print_forms()
    assert tab.preview.preview.page_count() == len(expected)  # one form per person when none is selected
    tab.table.selectRow(0)
    assert tab.submit_selected() == 0 and any("通知日期" in w for w in warnings)  # not notified yet
    assert tab.mark_notified(date(2026, 11, 18)) == 1
    tab.table.selectRow(0)
    assert tab.model.row_cells(0)[8] == "2026-11-18"
    assert tab.submit_selected() == 1
    tab.table.selectRow(0)
    assert tab.model.row_cells(0)[9] == ReviewState.SUBMITTED.label
    person_id = tab.model.row_id(0)
    start = expected[0].earliest_start
    tab.table.selectRow(0)
    case_id = tab._case_ids[0]
    assert case_id is not None
    assert tab.record_answer(BenefitAnswer(case_id, True, AS_OF, 165_32, YearMonth(start.year, start.month)))
    with db.session() as s:
        person = s.get(Person, person_id)
        assert person is not None and person.status is PersonStatus.RECEIVING
    assert person_id not in [tab.model.row_id(r) for r in range(tab.model.rowCount())]


def test_survival_fast_entry_for_a_day_of_visits(
    qtbot: QtBot, page: PensionersPage, db: Database, warnings: list[str]
) -> None:
    tab = page.survival
    page.tabs.setCurrentWidget(tab)
    tab.state.setCurrentIndex(tab.state.count() - 1)  # everyone
    with db.session() as s:
        everyone = survival_rows(s, as_of=AS_OF)
    assert tab.model.rowCount() == len(everyone)
    receiving = [r for r in everyone if r.status is PersonStatus.RECEIVING][:3]
    for row in receiving:
        tab.find_box.setText(row.id_number[-8:])
        qtbot.keyClick(tab.find_box, Qt.Key.Key_Return)
    assert tab.selection_label.text() == "已选 3 人"
    tab.method.setCurrentIndex(tab.method.findData(SurvivalMethod.HOME_VISIT))
    tab.certifier.setText("协办员李秀英")
    tab.witness.setText("村民小组长")
    outcomes = tab.record_selected()
    assert len(outcomes) == 3 and not warnings
    assert all("认证通过" in o.message for o in outcomes)
    assert tab.messages.toPlainText().count("认证通过") == 3
    with db.session() as s:
        checks = s.scalars(select(SurvivalCheck).where(SurvivalCheck.checked_on == AS_OF)).all()
        assert {c.person_id for c in checks} >= {r.person_id for r in receiving}
    tab.find_box.setText("没有这个人")
    assert not tab.add_match_to_selection()


def test_survival_lists_and_marking_overdue(page: PensionersPage, db: Database) -> None:
    tab = page.survival
    page.tabs.setCurrentWidget(tab)
    tab.state.setCurrentIndex(1)  # 已逾期
    overdue = tab.model.rowCount()
    assert overdue > 0
    marked = tab.mark_overdue()
    assert 0 < marked <= overdue
    assert "待暂停" in [tab.model.row_cells(r)[4] for r in range(tab.model.rowCount())]
    tab.state.setCurrentIndex(0)
    assert all(tab.model.row_cells(r)[4] == "即将到期" for r in range(tab.model.rowCount()))


def test_marking_overdue_asks_first_with_how_many_and_who(
    page: PensionersPage, db: Database, monkeypatch: pytest.MonkeyPatch, confirmations: list[tuple[str, str]]
) -> None:
    tab = page.survival
    page.tabs.setCurrentWidget(tab)
    with db.session() as s:
        pending = overdue_to_mark(s, as_of=AS_OF)
        receiving = s.scalars(select(Person.id).where(Person.status_reason.is_(None))).all()
    assert pending

    answers: list[str | None] = []

    def cancel(_parent: Any, _title: str, text: str, *, yes: str | None = None) -> bool:
        answers.append(yes)
        confirmations.append((_title, text))
        return False

    monkeypatch.setattr(pensioners_page, "confirm", cancel)
    assert tab.mark_overdue() == 0
    title, question = confirmations[-1]
    assert title == "标记待暂停" and question.startswith(
        f"确定要把 {len(pending)} 名逾期未认证的人员标记为“待暂停”吗？"
    )
    assert pending[0].name in question and "不能撤销" in question
    assert answers == [f"标记 {len(pending)} 人待暂停(&Y)"]
    assert "没有标记任何人待暂停" in tab.messages.toPlainText()
    with db.session() as s:  # cancelling changed no one
        assert s.scalars(select(Person.id).where(Person.status_reason.is_(None))).all() == receiving
        assert len(overdue_to_mark(s, as_of=AS_OF)) == len(pending)

    monkeypatch.setattr(pensioners_page, "confirm", lambda *_args, **_kwargs: True)
    assert tab.mark_overdue() == len(pending)
    with db.session() as s:
        assert overdue_to_mark(s, as_of=AS_OF) == []
    assert tab.mark_overdue() == 0  # nothing left: nothing to ask
    assert "没有需要标记为待暂停" in tab.messages.toPlainText()


def test_submitting_asks_first_and_cancelling_submits_nothing(
    page: PensionersPage, monkeypatch: pytest.MonkeyPatch, warnings: list[str]
) -> None:
    asked: list[tuple[str, str, str | None]] = []

    def cancel(_parent: Any, title: str, text: str, *, yes: str | None = None) -> bool:
        asked.append((title, text, yes))
        return False

    monkeypatch.setattr(pensioners_page, "confirm", cancel)
    tab = page.reaching
    tab.table.selectRow(0)
    assert tab.submit_selected() == 0 and not asked  # not notified yet: said before anything is asked
    assert "通知日期" in warnings[-1]
    assert tab.mark_notified(date(2026, 11, 18)) == 1
    tab.table.selectRow(0)
    name, state = tab.model.row_cells(0)[0], tab.model.row_cells(0)[9]
    assert tab.submit_selected() == 0
    ((title, question, yes),) = asked
    assert title == "上报" and question.startswith("确定要把 1 人的待遇领取申请上报乡镇和县社保机构吗？")
    assert name in question and "不能再修改或撤回" in question and yes == "上报 1 人(&Y)"
    assert tab.model.row_cells(0)[9] == state != ReviewState.SUBMITTED.label


def test_refused_entry_is_a_message_not_a_crash(page: PensionersPage, warnings: list[str]) -> None:
    tab = page.survival
    page.tabs.setCurrentWidget(tab)
    tab.table.selectRow(0)
    tab.certifier.setText("")
    assert tab.record_selected() == []
    assert warnings and "认证人" in warnings[-1]


def test_deaths_report_review_import_print(
    page: PensionersPage, db: Database, tmp_path: Path, warnings: list[str], confirmations: list[tuple[str, str]]
) -> None:
    tab = page.deaths
    page.tabs.setCurrentWidget(tab)
    before = tab.model.rowCount()
    with db.session() as s:
        person = s.scalars(
            select(Person).where(Person.status == PersonStatus.RECEIVING).order_by(Person.id_number)
        ).first()
        assert person is not None
        name, number = person.name, person.id_number
    dialog = DeathReportDialog(tab, AS_OF)
    dialog.id_number.setText(number)
    dialog.death_date.setDate(dialog.death_date.date().addDays(-50))
    dialog.paid_through.setText("2026-11")
    assert tab.report(dialog)
    title, question = confirmations[-1]
    assert title == "登记死亡" and question.startswith(f"确定要登记 {name}（{number}）死亡吗？")
    assert "不能撤销" in question
    assert "已登记死亡" in tab.messages.toPlainText()
    assert tab.model.rowCount() == before + 1
    tab.table.selectRow(0)
    assert tab.fill_heir(HeirInput("张小明", "11010519491231002X", "6217000012345678901"))
    tab.table.selectRow(0)
    assert not tab.village_check("wang") and "不同的人" in warnings[-1]
    tab.table.selectRow(0)
    assert tab.village_check("zhao")
    tab.table.selectRow(0)
    assert tab.submit()
    tab.table.selectRow(0)
    assert tab.record_answer(ReviewState.TOWNSHIP_CHECKED)
    tab.table.selectRow(0)
    assert tab.model.row_cells(0)[-1] == ReviewState.TOWNSHIP_CHECKED.label
    assert tab.print_application()
    assert tab.preview.preview.page_count() == 1

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["姓名", "身份证号", "死亡日期"])
    ws.append(["查无此人", "11010519491231002X", (AS_OF - timedelta(days=9)).isoformat()])
    source = tmp_path / "deaths.xlsx"
    wb.save(source)
    result = tab.import_list(source)
    assert result is not None and len(result.unmatched) == 1
    assert "本村无此人" in tab.messages.toPlainText()
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(Cancellation)) == before + 1


def test_unknown_id_in_the_death_dialog(
    page: PensionersPage, warnings: list[str], confirmations: list[tuple[str, str]]
) -> None:
    tab = page.deaths
    dialog = DeathReportDialog(tab, AS_OF)
    dialog.id_number.setText("11010519491231002X")
    assert not tab.report(dialog)
    assert "本村没有" in warnings[-1]
    assert not confirmations  # nothing to confirm: the ID is refused first


def test_a_cancelled_death_report_changes_nothing(
    page: PensionersPage, db: Database, monkeypatch: pytest.MonkeyPatch, warnings: list[str]
) -> None:
    asked: list[str] = []

    def cancel(_parent: Any, _title: str, text: str, *, yes: str | None = None) -> bool:
        asked.append(text)
        return False

    monkeypatch.setattr(pensioners_page, "confirm", cancel)
    tab = page.deaths
    page.tabs.setCurrentWidget(tab)
    before = tab.model.rowCount()
    with db.session() as s:
        person = s.scalars(
            select(Person).where(Person.status == PersonStatus.RECEIVING).order_by(Person.id_number)
        ).first()
        assert person is not None
        person_id, name, number = person.id, person.name, person.id_number
    dialog = DeathReportDialog(tab, AS_OF)
    dialog.id_number.setText(number)
    assert not tab.report(dialog)
    assert len(asked) == 1 and name in asked[0]
    assert f"没有登记 {name} 的死亡" in tab.messages.toPlainText()
    assert tab.model.rowCount() == before and not warnings
    with db.session() as s:
        assert s.get(Person, person_id).status is PersonStatus.RECEIVING
        assert s.scalar(select(func.count()).select_from(Cancellation).where(Cancellation.person_id == person_id)) == 0


def _death_list(db: Database, tmp_path: Path, receiving: int) -> tuple[Path, list[str]]:
    """A 民政 death list naming ``receiving`` pensioners of the village and one stranger; their person ids."""
    with db.session() as s:
        people = s.scalars(
            select(Person).where(Person.status == PersonStatus.RECEIVING).order_by(Person.id_number).limit(receiving)
        ).all()
        rows = [(p.name, p.id_number, p.id) for p in people]
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["姓名", "身份证号", "死亡日期"])
    for name, number, _id in rows:
        ws.append([name, number, (AS_OF - timedelta(days=20)).isoformat()])
    ws.append(["查无此人", "11010519491231002X", (AS_OF - timedelta(days=9)).isoformat()])
    source = tmp_path / "民政死亡名单.xlsx"
    wb.save(source)
    return source, [person_id for _name, _number, person_id in rows]


def test_a_death_list_asks_first_naming_how_many_and_who(
    page: PensionersPage, db: Database, tmp_path: Path, confirmations: list[tuple[str, str]]
) -> None:
    source, person_ids = _death_list(db, tmp_path, 3)
    with db.session() as s:
        names = [s.get(Person, person_id).name for person_id in person_ids]
    result = page.deaths.import_list(source)
    assert result is not None and len(result.reported) == 3 and len(result.unmatched) == 1
    ((title, question),) = confirmations
    assert title == "导入死亡名单"
    assert question.startswith("确定要按民政死亡名单 民政死亡名单.xlsx 登记 3 人死亡吗？")
    assert all(name in question for name in names) and "不能撤销" in question
    assert "本村无此人或有问题的 1 行不会登记" in question
    with db.session() as s:
        assert all(s.get(Person, person_id).status is PersonStatus.TERMINATED for person_id in person_ids)


def test_a_cancelled_death_list_reports_no_one(
    page: PensionersPage, db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[tuple[str, str | None]] = []

    def cancel(_parent: Any, _title: str, text: str, *, yes: str | None = None) -> bool:
        asked.append((text, yes))
        return False

    monkeypatch.setattr(pensioners_page, "confirm", cancel)
    source, person_ids = _death_list(db, tmp_path, 2)
    with db.session() as s:
        cancellations = s.scalar(select(func.count()).select_from(Cancellation))
    assert page.deaths.import_list(source) is None
    assert len(asked) == 1 and asked[0][1] == "登记 2 人死亡(&Y)"
    assert "没有导入死亡名单 民政死亡名单.xlsx" in page.deaths.messages.toPlainText()
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(Cancellation)) == cancellations
        assert all(s.get(Person, person_id).status is PersonStatus.RECEIVING for person_id in person_ids)


def test_rows_model_basics(qtmodeltester: Any) -> None:
    model = RowsModel(("甲", "乙"))
    model.set_rows([("a", ("1", "2")), ("b", ("3", "4"))])
    qtmodeltester.check(model)
    assert model.row_id(1) == "b" and model.data(model.index(1, 1)) == "4"
