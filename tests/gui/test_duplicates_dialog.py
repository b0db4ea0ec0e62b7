"""疑似重复登记排查 on screen (Ctrl+D on the person list), on a demo village with two likely duplicates added.

By keyboard and clicks as a coordinator: the pairs are listed with their reasons, 不是同一人… asks how it was
checked and writes the decision (read back from the database), 显示已判定的 and 撤销判定 bring it back, 查看乙 closes
the window and selects that person in the list; a 复核员 may look but not decide.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from pensiondesk.domain.codes import Relation, UserRole
from pensiondesk.domain.idnumber import check_character
from pensiondesk.gui.duplicates_dialog import DismissDialog, DuplicatesDialog
from pensiondesk.gui.main_window import MainWindow
from pensiondesk.gui.qt import QApplication, QDialog, Qt, QTimer
from pensiondesk.services import accounts, people
from pensiondesk.services.demo import create_demo_village
from pensiondesk.services.people_types import PersonInput
from pensiondesk.services.recording import Actor
from pensiondesk.store.db import Database, open_database
from pensiondesk.store.models import DuplicateDismissal, Setting

pytestmark = pytest.mark.gui

ALICE = Actor("alice", UserRole.COORDINATOR, "爱丽丝")
BOB = Actor("bob", UserRole.REVIEWER, "鲍伯")


def make_id(birth: date, seq: int, area: str = "411099") -> str:
    first17 = f"{area}{birth:%Y%m%d}{seq:03d}"
    return first17 + check_character(first17)


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = open_database(tmp_path / "village.db")
    with database.session() as session:
        create_demo_village(session, persons=120, seed=5)
        setting = session.get(Setting, "village_id")
        assert setting is not None
        village_id = setting.value
    for name, number in (
        ("欧阳明", make_id(date(1980, 1, 1), 211)),
        ("欧阳明", make_id(date(1980, 1, 1), 257)),  # same name and birth date
        ("钱小溪", make_id(date(1975, 6, 6), 331, "411099")),
        ("钱晓曦", make_id(date(1975, 6, 6), 331, "411098")),  # ID one digit apart, names read alike
    ):
        with database.session() as session:
            inp = PersonInput(name=name, id_number=number, group_name="第二村民小组", relation=Relation.HEAD)
            people.add_person(session, Actor("coordinator"), inp, village_id=village_id)
    yield database
    database.close()
    accounts.set_current_actor(None)


def close_dialogs() -> None:
    for widget in QApplication.topLevelWidgets():  # never leave a modal open: the test would hang
        if isinstance(widget, QDialog) and widget.isVisible():
            widget.reject()


def window_for(qtbot: QtBot, db: Database, actor: Actor) -> MainWindow:
    accounts.set_current_actor(actor)
    window = MainWindow(db.session, db.path)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return window


def rows(dialog: DuplicatesDialog) -> list[tuple[str, str, str]]:
    table = dialog.table
    return [
        (table.item(r, 0).text(), table.item(r, 1).text().split("\n")[0], table.item(r, 4).text())
        for r in range(table.rowCount())
    ]


def test_ctrl_d_lists_the_pairs_and_not_the_same_person_is_written(qtbot: QtBot, db: Database) -> None:
    window = window_for(qtbot, db, ALICE)
    actions = window.person_page.person_actions
    assert actions.duplicates_action.shortcut().toString() == "Ctrl+D"
    assert any(entry.text().endswith("\tCtrl+D") for entry in window.person_menu_actions)
    seen: dict[str, object] = {}

    def fill_note() -> None:
        note = next(w for w in QApplication.topLevelWidgets() if isinstance(w, DismissDialog) and w.isVisible())
        note.activateWindow()
        qtbot.waitUntil(note.isActiveWindow)
        seen["asked"] = note.windowTitle()
        note.note_edit.insert("核对户口簿，是两个人")  # Chinese arrives whole, as an input method commits it
        qtbot.keyClick(note.note_edit, Qt.Key.Key_Return)  # Enter confirms

    def work() -> None:
        dialog = actions.last_dialog
        try:
            assert isinstance(dialog, DuplicatesDialog)
            dialog.activateWindow()
            qtbot.waitUntil(dialog.isActiveWindow)
            seen["summary"] = dialog.summary.text()
            seen["before"] = rows(dialog)
            dialog.table.setFocus()
            dialog.table.selectRow(0)
            QTimer.singleShot(400, fill_note)  # inside the note dialog's own event loop
            qtbot.keyClick(dialog.table, Qt.Key.Key_D, Qt.KeyboardModifier.AltModifier)  # 不是同一人(&D)…
            qtbot.waitUntil(lambda: "asked" in seen and not dialog.dismiss_button.isDown(), timeout=3000)
            qtbot.wait(100)
            seen["after"] = rows(dialog)
            dialog.show_dismissed.setChecked(True)
            seen["with_dismissed"] = rows(dialog)
            assert dialog.undo_button.isVisible()
        finally:
            close_dialogs()

    QTimer.singleShot(0, work)
    qtbot.keyClick(window.person_page.table, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert "发现 2 对疑似重复登记" in str(seen["summary"])
    before = seen["before"]
    assert isinstance(before, list) and len(before) == 2
    assert {name for _, name, _ in before} <= {"欧阳明", "钱小溪", "钱晓曦"}
    assert {reason for reason, _, _ in before} == {
        "姓名（欧阳明）和出生日期（1980-01-01）都相同，身份证号不同",
        "身份证号前 17 位只有第 6 位数字不同，姓名读音相近",
    }
    assert all(verdict == "" for _, _, verdict in before)
    assert seen["asked"] == "判定不是同一人"
    assert seen["after"] == before[1:]
    assert sorted(seen["with_dismissed"]) == sorted([before[1], (*before[0][:2], "不是同一人（核对户口簿，是两个人）")])  # type: ignore[arg-type]
    with db.session() as session:
        (stored,) = session.scalars(select(DuplicateDismissal))
        assert (stored.note, stored.created_by) == ("核对户口簿，是两个人", "alice")


def test_undo_brings_the_pair_back(qtbot: QtBot, db: Database) -> None:
    accounts.set_current_actor(ALICE)
    dialog = DuplicatesDialog(db.session, ask_note=lambda _parent, _item: "")
    qtbot.addWidget(dialog)
    dialog.table.selectRow(0)
    assert dialog.dismiss_selected()
    assert dialog.table.rowCount() == 1 and not dialog.undo_button.isVisible()
    dialog.show_dismissed.setChecked(True)
    dismissed = next(r for r, item in enumerate(dialog.items) if item.dismissed)
    dialog.table.selectRow(dismissed)
    assert dialog.undo_button.isEnabled() and not dialog.dismiss_button.isEnabled()
    assert dialog.undo_selected()
    assert not any(item.dismissed for item in dialog.items) and len(dialog.items) == 2
    with db.session() as session:
        assert session.scalars(select(DuplicateDismissal)).first() is None


def test_show_second_selects_that_person_in_the_list(qtbot: QtBot, db: Database) -> None:
    window = window_for(qtbot, db, ALICE)
    actions = window.person_page.person_actions
    wanted: list[str] = []

    def work() -> None:
        dialog = actions.last_dialog
        try:
            assert isinstance(dialog, DuplicatesDialog)
            dialog.activateWindow()
            qtbot.waitUntil(dialog.isActiveWindow)
            dialog.table.selectRow(1)
            item = dialog.selected_item()
            assert item is not None
            wanted.append(item.pair.second.person_id)
            qtbot.keyClick(dialog.table, Qt.Key.Key_2, Qt.KeyboardModifier.AltModifier)  # 查看乙(&2)
            qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=3000)
        finally:
            close_dialogs()

    QTimer.singleShot(0, work)
    qtbot.keyClick(window.person_page.table, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert wanted and actions.selected_person_id() == wanted[0]


def test_a_reviewer_may_look_but_not_decide(qtbot: QtBot, db: Database) -> None:
    accounts.set_current_actor(BOB)
    asked: list[object] = []
    dialog = DuplicatesDialog(db.session, ask_note=lambda _parent, item: asked.append(item) or "")
    qtbot.addWidget(dialog)
    dialog.table.selectRow(0)
    assert dialog.first_button.isEnabled() and dialog.second_button.isEnabled()
    assert not dialog.dismiss_button.isEnabled() and "复核员只审核" in dialog.dismiss_button.toolTip()
    assert not dialog.dismiss_selected() and asked == []
    with db.session() as session:
        assert session.scalars(select(DuplicateDismissal)).first() is None
