"""A 复核员 on screen: sees everything, changes nothing (domain.md §14: a reviewer approves or returns, never edits).

On a real demo village: the person list's 新增人员, 参保登记 and 导入花名册… are disabled for a reviewer with the reason
as tooltip (buttons and 文件 menu alike), Ctrl+G does nothing, 修改 becomes 查看 and opens the form read-only (Enter
closes it), and 家庭's buttons are off; a 录入/初审员 has all of them. The database is read back each time.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from pensiondesk.domain.codes import UserRole
from pensiondesk.gui.household_view import HouseholdDialog
from pensiondesk.gui.main_window import MainWindow
from pensiondesk.gui.person_form import PersonForm
from pensiondesk.gui.qt import QApplication, QDialog, QPushButton, Qt, QTimer
from pensiondesk.services import accounts
from pensiondesk.services.demo import create_demo_village
from pensiondesk.services.recording import Actor
from pensiondesk.store.db import Database, open_database
from pensiondesk.store.models import AuditEntry, Person

pytestmark = pytest.mark.gui

ALICE = Actor("alice", UserRole.COORDINATOR, "爱丽丝")
BOB = Actor("bob", UserRole.REVIEWER, "鲍伯")
REASON = "复核员只审核（通过或退回），不能录入或修改人员信息；请由录入/初审员或管理员登录后办理"


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = open_database(tmp_path / "village.db")
    with database.session() as session:
        create_demo_village(session, persons=120, seed=5)
    yield database
    database.close()
    accounts.set_current_actor(None)


def audit_count(db: Database) -> int:
    with db.session() as session:
        return session.scalar(select(func.count()).select_from(AuditEntry)) or 0


def window_for(qtbot: QtBot, db: Database, actor: Actor) -> MainWindow:
    accounts.set_current_actor(actor)
    window = MainWindow(db.session, db.path)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return window


def close_dialogs() -> None:
    for widget in QApplication.topLevelWidgets():  # never leave a modal open: the test would hang
        if isinstance(widget, QDialog) and widget.isVisible():
            widget.reject()


def button(window: MainWindow, name: str) -> QPushButton:
    found = window.findChild(QPushButton, name)
    assert isinstance(found, QPushButton), name
    return found


def menu_entry(window: MainWindow, text: str) -> bool:
    (entry,) = [e for e in window.person_menu_actions if e.text().startswith(text)]
    return entry.isEnabled()


def test_a_reviewer_sees_entry_actions_disabled_with_the_reason(qtbot: QtBot, db: Database) -> None:
    window = window_for(qtbot, db, BOB)
    actions = window.person_page.person_actions
    for act, name, text in (
        (actions.new_action, "newPersonButton", "新增人员"),
        (actions.register_action, "registrationButton", "参保登记"),
        (actions.import_action, "importButton", "导入花名册"),
    ):
        assert not act.isEnabled() and act.toolTip() == REASON
        assert not button(window, name).isEnabled() and button(window, name).toolTip() == REASON
        assert not menu_entry(window, text)
    assert actions.edit_action.text() == "查看" and button(window, "editPersonButton").text().startswith("查看")
    for name in ("exportButton", "reviewButton", "householdButton"):
        assert button(window, name).isEnabled()

    # Ctrl+G on a row: nothing opens, nothing is written.
    with db.session() as session:
        person_id = session.scalars(select(Person.id).order_by(Person.name)).first()
    assert person_id is not None and actions.select_person(person_id)
    before = audit_count(db)
    actions.last_dialog = None
    qtbot.keyClick(window.person_page.table, Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(window.person_page.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.wait(50)
    assert actions.last_dialog is None and audit_count(db) == before


def test_a_reviewer_opens_the_form_read_only_and_enter_closes_it(qtbot: QtBot, db: Database) -> None:
    window = window_for(qtbot, db, BOB)
    actions = window.person_page.person_actions
    with db.session() as session:
        person = session.scalars(select(Person).order_by(Person.name)).first()
        assert person is not None
        phone_before = person.phone
    assert actions.select_person(person.id)
    before = audit_count(db)
    seen: dict[str, object] = {}

    def look() -> None:
        form = actions.last_dialog
        try:
            assert isinstance(form, PersonForm)
            seen["title"] = form.windowTitle()
            seen["save"] = form.save_button.isEnabled()
            seen["key"] = form.key_button.isEnabled()
            seen["close"] = form.cancel_button.text()
            seen["summary"] = form.summary_label.text()
            form.phone_edit.setFocus()
            qtbot.keyClicks(form.phone_edit, "13911112222")
            seen["phone"] = form.phone_edit.text()
            seen["saved"] = form.save()
            qtbot.keyClick(form.phone_edit, Qt.Key.Key_Return)  # Enter closes a read-only form
            seen["open_after_enter"] = form.isVisible()
        finally:
            close_dialogs()

    QTimer.singleShot(0, look)
    qtbot.keyClick(window.person_page.table, Qt.Key.Key_Return)
    assert seen["title"] == f"查看人员信息 — {person.name}"
    assert seen["save"] is False and seen["key"] is False and seen["close"] == "关闭"
    assert seen["summary"] == REASON
    assert seen["phone"] == (phone_before or "") and seen["saved"] is False
    assert seen["open_after_enter"] is False
    assert audit_count(db) == before


def test_a_reviewer_cannot_change_a_household(qtbot: QtBot, db: Database) -> None:
    accounts.set_current_actor(BOB)
    with db.session() as session:
        person_id = session.scalars(select(Person.id).where(Person.household_id.is_not(None))).first()
    assert person_id is not None
    dialog = HouseholdDialog(db.session, person_id)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.selected_person_id() == person_id
    for each in (dialog.move_button, dialog.head_button, dialog.relation_button, dialog.new_household_button):
        assert not each.isEnabled() and each.toolTip() == REASON
    # Not even the member selected: 改关系 stays off for every row.
    for row in range(dialog.table.rowCount()):
        dialog.table.selectRow(row)
        assert not dialog.relation_button.isEnabled() and dialog.relation_button.toolTip() == REASON


def test_a_coordinator_has_every_entry_action(qtbot: QtBot, db: Database) -> None:
    window = window_for(qtbot, db, ALICE)
    actions = window.person_page.person_actions
    for act, name, text in (
        (actions.new_action, "newPersonButton", "新增人员"),
        (actions.register_action, "registrationButton", "参保登记"),
        (actions.import_action, "importButton", "导入花名册"),
    ):
        assert act.isEnabled() and act.toolTip() != REASON
        assert button(window, name).isEnabled() and menu_entry(window, text)
    assert actions.edit_action.text() == "修改"
    with db.session() as session:
        person = session.scalars(select(Person).order_by(Person.name)).first()
    assert person is not None and actions.select_person(person.id)
    seen: dict[str, object] = {}

    def look() -> None:
        form = actions.last_dialog
        try:
            assert isinstance(form, PersonForm)
            seen["title"] = form.windowTitle()
            seen["read_only"] = form.phone_edit.isReadOnly()
            seen["close"] = form.cancel_button.text()
        finally:
            close_dialogs()

    QTimer.singleShot(0, look)
    qtbot.keyClick(window.person_page.table, Qt.Key.Key_Return)
    assert seen == {"title": f"修改人员信息 — {person.name}", "read_only": False, "close": "取消"}
