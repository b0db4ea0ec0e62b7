"""导入花名册 with a 缴费档次 column: the wizard's 同时按表中的缴费档次录入参保登记 box, driven from the keyboard.

On a real demo village file (``services.demo``) and a real .xlsx: with the box on (the default) the registrations
are entered by the importing user and the result page says how many and why the others could not be; with it off
(Space) none are; a roster already imported is imported again only to enter its registrations; and the entered
registrations are in another user's 审核 queue, where they pass 初审 and 上报.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from pensiondesk.domain.codes import ReviewState, Sex, UserRole
from pensiondesk.gui import review_page
from pensiondesk.gui.import_wizard import ImportWizard
from pensiondesk.gui.qt import QApplication, Qt, QWidget
from pensiondesk.gui.review_page import ReviewPage
from pensiondesk.services.demo import create_demo_village
from pensiondesk.services.recording import Actor
from pensiondesk.store.db import Database, open_database
from pensiondesk.store.models import Person, Registration

from .conftest import make_id_number
from .test_person_screens import cell, roster_id
from .test_tab_order import _shown
from .test_tab_order_forms import backward_steps, key_walk, names

pytestmark = pytest.mark.gui

ALICE = Actor("alice", UserRole.COORDINATOR, "艾协办")
BOB = Actor("bob", UserRole.REVIEWER, "鲍复核")


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = open_database(tmp_path / "village.db")
    with database.session() as session:
        create_demo_village(session, persons=300, seed=3)
    yield database
    database.close()


def write_registration_roster(path: Path) -> Path:
    """Three adults with tiers 200/300/500, a child of ten with a tier, and an adult without one."""
    child = make_id_number(date(date.today().year - 10, 1, 1), 123, Sex.MALE)
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["红旗村参保登记花名册"])
    sheet.append(["序号", "姓名", "性别", "身份证号码", "村民小组", "参保身份", "缴费档次"])
    sheet.append([1, "赵大山", "男", roster_id(10), "第一村民小组", "011", 200])
    sheet.append([2, "钱秀英", "女", roster_id(11, male=False), "第一村民小组", "011", 300])
    sheet.append([3, "孙小明", "男", roster_id(12), "第二村民小组", None, "500元"])
    sheet.append([4, "李小宝", "男", child, "第二村民小组", "011", 200])
    sheet.append([5, "周无档", "男", roster_id(14), "第二村民小组", "011", None])
    book.save(path)
    return path


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None
    return widget


def to_preview(qtbot: QtBot, db: Database, roster: Path) -> ImportWizard:
    wizard = _shown(qtbot, ImportWizard(db.session, actor=lambda: ALICE))
    assert isinstance(wizard, ImportWizard)
    wizard.file_page.path_edit.setText(str(roster))
    qtbot.keyClick(focused(), Qt.Key.Key_Return)  # 下一步: read and check the file
    assert wizard.currentPage() is wizard.mapping_page, wizard.file_page.message.text()
    qtbot.keyClick(focused(), Qt.Key.Key_Return)
    assert wizard.currentPage() is wizard.preview_page
    return wizard


def start_import(qtbot: QtBot, wizard: ImportWizard) -> None:
    qtbot.keyClick(focused(), Qt.Key.Key_I, Qt.KeyboardModifier.AltModifier)  # 开始导入 is Alt+I
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.result_page, timeout=30_000)


def registrations(db: Database) -> list[tuple[str, int | None, ReviewState, str | None]]:
    with db.session() as session:
        rows = session.execute(
            select(Person.name, Registration.tier_fen, Registration.review_state, Registration.entered_by)
            .join(Person, Person.id == Registration.person_id)
            .where(Registration.entered_by == "alice")
            .order_by(Registration.tier_fen)
        ).all()
    return [tuple(row) for row in rows]  # type: ignore[misc]


def count(db: Database, model: type) -> int:
    with db.session() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def test_the_box_on_enters_the_registrations_and_review_takes_them(
    qtbot: QtBot, db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    roster = write_registration_roster(tmp_path / "登记花名册.xlsx")
    wizard = to_preview(qtbot, db, roster)
    preview = wizard.preview_page
    box = preview.register_box
    assert box.isVisible() and box.isEnabled() and box.isChecked()
    assert box.text() == "同时按表中的缴费档次录入参保登记（3 人）(&G)"
    assert "1 人不能录入参保登记" in preview.register_note.text()
    assert wizard.button(wizard.WizardButton.CommitButton).text() == "开始导入 5 人(&I)"
    problems = " ".join(cell(preview.table, r, 4) for r in range(preview.table.rowCount()))
    assert "不能按表中的缴费档次录入参保登记：李小宝按" in problems and "未满16周岁" in problems
    # The cursor reaches the box with Tab from 只看有问题的行, before the list.
    assert focused() is preview.only_problems
    qtbot.keyClick(focused(), Qt.Key.Key_Tab)
    assert focused() is box
    persons = count(db, Person)

    start_import(qtbot, wizard)
    result = wizard.result_page
    assert result.summary.text() == "导入完成：新增 5 人，未变 0 人，拒绝 0 行"
    text = result.registrations.text()
    assert "已按表中的缴费档次录入参保登记 3 人；请另一位工作人员在“审核”（Ctrl+R）中初审后上报。" in text
    assert "1 人不能录入参保登记，原因见下表（问题报告中也有）；不影响人员导入。" in text
    assert result.refusals.isVisible() and result.refusals.rowCount() == 1
    assert cell(result.refusals, 0, 0) == "6" and cell(result.refusals, 0, 1) == "李小宝"
    assert "未满16周岁" in cell(result.refusals, 0, 2)
    walked = key_walk(qtbot, result.refusals, 4)  # the list of refusals, then 保存问题报告…, then 完成
    assert names(walked) == ["registrationRefusals", "保存问题报告…", "完成", "registrationRefusals"]
    assert backward_steps(walked[:-1]) == []
    assert count(db, Person) == persons + 5
    assert registrations(db) == [
        ("赵大山", 20000, ReviewState.ENTERED, "alice"),
        ("钱秀英", 30000, ReviewState.ENTERED, "alice"),
        ("孙小明", 50000, ReviewState.ENTERED, "alice"),
    ]

    # 审核: not in the importer's own queue to check; another user checks them and sends them up.
    with db.session() as session:
        ids = list(session.scalars(select(Registration.id).where(Registration.entered_by == "alice")))
    own = _shown(qtbot, ReviewPage(db.session, actor=lambda: ALICE))
    assert isinstance(own, ReviewPage)
    assert all(own.select_registration(i) for i in ids)
    assert not own.approve_selected()  # 录入人和初审人不能是同一人
    page = _shown(qtbot, ReviewPage(db.session, actor=lambda: BOB))
    assert isinstance(page, ReviewPage)
    queued = {cell(page.queue_table, r, 0) for r in range(page.queue_table.rowCount())}
    assert {"赵大山", "钱秀英", "孙小明"} <= queued
    for registration_id in ids:
        assert page.select_registration(registration_id)
        assert page.approve_selected(), page.message_label.text()
    monkeypatch.setattr(review_page, "confirm", lambda *_args, **_kwargs: True)
    submitter = _shown(qtbot, ReviewPage(db.session, actor=lambda: ALICE))
    assert isinstance(submitter, ReviewPage)
    assert submitter.submit_selected() == 3
    assert {state for _name, _tier, state, _by in registrations(db)} == {ReviewState.SUBMITTED}


def test_the_box_off_enters_none_and_a_second_import_enters_them(qtbot: QtBot, db: Database, tmp_path: Path) -> None:
    roster = write_registration_roster(tmp_path / "登记花名册.xlsx")
    wizard = to_preview(qtbot, db, roster)
    preview = wizard.preview_page
    qtbot.keyClick(focused(), Qt.Key.Key_Tab)
    assert focused() is preview.register_box
    qtbot.keyClick(preview.register_box, Qt.Key.Key_Space)  # off
    assert not preview.register_box.isChecked() and not preview.registering()
    before = count(db, Registration)
    start_import(qtbot, wizard)
    result = wizard.result_page
    assert result.registrations.text() == "没有录入参保登记（导入前取消了“同时按表中的缴费档次录入参保登记”）。"
    assert not result.refusals.isVisible()
    assert count(db, Registration) == before

    # The same roster again: nobody to add, the three registrations still to enter.
    again = to_preview(qtbot, db, roster)
    assert again.preview_page.register_box.text() == "同时按表中的缴费档次录入参保登记（3 人）(&G)"
    assert again.button(again.WizardButton.CommitButton).text() == "录入参保登记 3 人(&I)"
    start_import(qtbot, again)
    assert again.result_page.summary.text() == "导入完成：新增 0 人，未变 5 人，拒绝 0 行"
    assert "已按表中的缴费档次录入参保登记 3 人" in again.result_page.registrations.text()
    assert count(db, Registration) == before + 3

    # And a third time there is nothing left to enter: the box is off and says 0.
    third = to_preview(qtbot, db, roster)
    box = third.preview_page.register_box
    assert box.text() == "同时按表中的缴费档次录入参保登记（0 人）(&G)" and not box.isEnabled()
    assert "3 人已有相同档次的参保登记，不重复录入。" in third.preview_page.register_note.text()
    assert third.button(third.WizardButton.CommitButton).text() == "完成检查(&I)"
    start_import(qtbot, third)
    assert count(db, Registration) == before + 3
    assert "没有新录入的参保登记。" in third.result_page.registrations.text()


def test_a_roster_without_tiers_shows_no_box(qtbot: QtBot, db: Database, tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["姓名", "身份证号码"])
    sheet.append(["赵大山", roster_id(10)])
    book.save(tmp_path / "无档次.xlsx")
    wizard = to_preview(qtbot, db, tmp_path / "无档次.xlsx")
    assert not wizard.preview_page.register_box.isVisible()
    assert not wizard.preview_page.register_note.isVisible()
    start_import(qtbot, wizard)
    assert not wizard.result_page.registrations.isVisible()
    assert not wizard.result_page.refusals.isVisible()
