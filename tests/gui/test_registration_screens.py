"""参保登记 and 上报 on screen: the registration dialog (Ctrl+G on the person list) and the review page's 上报 tab.

Every test runs on a real SQLite file made by ``store.db.open_database`` and filled with
``services.demo.create_demo_village``; what the screens did is read back from the database (registration, audit).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from pensiondesk.domain.codes import PersonStatus, ReviewState, UserRole
from pensiondesk.domain.pension import age_on
from pensiondesk.gui import review_page
from pensiondesk.gui.main_window import MainWindow
from pensiondesk.gui.qt import QApplication, QDialog, QItemSelectionModel, Qt, QTableWidget, QTimer
from pensiondesk.gui.registration_dialog import BulkRegistrationDialog, RegistrationDialog
from pensiondesk.gui.review_page import ReviewPage
from pensiondesk.services import accounts
from pensiondesk.services.demo import create_demo_village
from pensiondesk.services.recording import Actor
from pensiondesk.store.db import Database, open_database
from pensiondesk.store.models import AuditEntry, OutboxEntry, Person, Registration

pytestmark = pytest.mark.gui

ALICE = Actor("alice", UserRole.COORDINATOR, "爱丽丝")  # enters
BOB = Actor("bob", UserRole.REVIEWER, "鲍伯")  # reviews


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = open_database(tmp_path / "village.db")
    with database.session() as session:
        create_demo_village(session, persons=300, seed=3)
    yield database
    database.close()
    accounts.set_current_actor(None)


def counts(db: Database) -> tuple[int, int, int]:
    with db.session() as session:
        return (
            session.scalar(select(func.count()).select_from(Registration)) or 0,
            session.scalar(select(func.count()).select_from(AuditEntry)) or 0,
            session.scalar(select(func.count()).select_from(OutboxEntry)) or 0,
        )


def may_enrol(db: Database, n: int = 1) -> list[Person]:
    """``n`` residents of 20–50 who are 未参保, local and excluded by nothing, with no registration."""
    today = date.today()
    with db.session() as session:
        registered = select(Registration.person_id)
        found = session.scalars(
            select(Person)
            .where(
                Person.status == PersonStatus.NOT_ENROLLED,
                Person.local_hukou.is_(True),
                Person.is_student.is_(False),
                Person.has_employee_pension.is_(False),
                Person.has_other_state_pension.is_(False),
                Person.is_public_staff.is_(False),
                Person.birth_date.between(today - timedelta(days=50 * 365), today - timedelta(days=20 * 365)),
                Person.id.not_in(registered),
            )
            .order_by(Person.id_number)
            .limit(n)
        ).all()
        for person in found:
            session.expunge(person)
    assert len(found) == n, "the demo village has too few residents who may enrol"
    return list(found)


def cell(table: QTableWidget, row: int, column: int) -> str:
    item = table.item(row, column)
    return item.text() if item is not None else ""


def dialog_for(qtbot: QtBot, db: Database, person_id: str, actor: Actor = ALICE) -> RegistrationDialog:
    dialog = RegistrationDialog(db.session, person_id, actor=lambda: actor)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


# --- the registration dialog --------------------------------------------------------------------------------------


def test_registering_through_the_dialog_enters_the_form(qtbot: QtBot, db: Database) -> None:
    (person,) = may_enrol(db)
    before = counts(db)
    dialog = dialog_for(qtbot, db, person.id)
    assert dialog.name_label.text() == person.name
    assert dialog.id_label.text() == person.id_number
    assert dialog.age_label.text().startswith(f"{age_on(person.birth_date, date.today())} 周岁")
    assert dialog.date_edit.date().toString("yyyy-MM-dd") == date.today().isoformat()
    assert dialog.date_edit.maximumDate() == dialog.date_edit.date()  # not after today
    assert dialog.category_combo.currentData() is None and "自动" in dialog.category_combo.currentText()
    assert dialog.tier_combo.currentText() == "暂不选择"
    assert dialog.choose_tier(300_00)
    assert dialog.tier_combo.currentText() == "300 元"

    qtbot.keyClick(dialog.tier_combo, Qt.Key.Key_Return)  # Enter submits
    assert dialog.result() == RegistrationDialog.DialogCode.Accepted
    assert dialog.registration_id is not None
    assert counts(db) == (before[0] + 1, before[1] + 1, before[2] + 1)
    with db.session() as session:
        stored = session.get(Registration, dialog.registration_id)
        assert stored is not None
        assert (stored.person_id, stored.review_state, stored.entered_by) == (person.id, ReviewState.ENTERED, "alice")
        assert (stored.tier_fen, stored.registered_on, stored.category_code) == (300_00, date.today(), None)
        audit = session.scalars(select(AuditEntry).where(AuditEntry.entity_id == stored.id)).one()
        assert (audit.action, audit.user) == ("register", "alice")
        again = session.get(Person, person.id)
        assert again is not None and again.status is PersonStatus.NOT_ENROLLED  # until the county approves


def test_someone_past_pension_age_is_told_what_registering_means(qtbot: QtBot, db: Database) -> None:
    """QA: an 86-year-old was registered at 300 元 without a word. The dialog says what follows (到龄办理)."""
    from pensiondesk.domain.codes import Relation
    from pensiondesk.domain.idnumber import check_character
    from pensiondesk.services import people
    from pensiondesk.services.people_types import PersonInput
    from pensiondesk.services.person_queries import current_village_id

    born = date(1940, 3, 8)
    first17 = f"411099{born:%Y%m%d}531"
    with db.session() as session:
        village_id = current_village_id(session)
        assert village_id is not None
        old = people.add_person(
            session,
            ALICE,
            PersonInput(
                name="韩老汉",
                id_number=first17 + check_character(first17),
                group_name="第一村民小组",
                relation=Relation.HEAD,
            ),
            village_id=village_id,
        ).id
    dialog = dialog_for(qtbot, db, old)
    age = age_on(born, date.today())
    assert dialog.age_note.isVisible()
    assert dialog.age_note.text().startswith(f"已满60周岁（{age} 岁）：登记后不按参保缴费人员每年缴费")
    assert "待遇/认证 → 到龄" in dialog.age_note.text()
    (young,) = may_enrol(db)
    assert not dialog_for(qtbot, db, young.id).age_note.isVisible()


def test_a_refusal_is_shown_in_the_dialog_and_writes_nothing(qtbot: QtBot, db: Database) -> None:
    with db.session() as session:
        enrolled = session.scalars(
            select(Person.id).where(Person.status == PersonStatus.CONTRIBUTING).order_by(Person.id_number)
        ).first()
        child = session.scalars(
            select(Person.id)
            .where(Person.birth_date > date.today() - timedelta(days=15 * 365))
            .order_by(Person.id_number)
        ).first()
    assert enrolled is not None and child is not None
    before = counts(db)
    for person_id, message in ((enrolled, "已经参保"), (child, "未满16周岁")):
        dialog = dialog_for(qtbot, db, person_id)
        assert not dialog.submit()
        assert dialog.isVisible()  # kept open, saying why
        assert dialog.problem_label.isVisible() and message in dialog.problem_label.text()
        assert dialog.registration_id is None
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)  # Esc cancels
        assert dialog.result() == RegistrationDialog.DialogCode.Rejected
    assert counts(db) == before


def test_ctrl_g_on_the_person_list_registers_and_says_so(qtbot: QtBot, db: Database) -> None:
    (person,) = may_enrol(db)
    accounts.set_current_actor(ALICE)
    window = MainWindow(db.session, db.path)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    actions = window.person_page.person_actions
    assert actions.select_person(person.id)
    assert actions.register_action.shortcut().toString() == "Ctrl+G"
    assert any(entry.text().endswith("\tCtrl+G") for entry in window.person_menu_actions)
    seen: list[str] = []

    def fill_in() -> None:
        dialog = actions.last_dialog
        try:
            assert isinstance(dialog, RegistrationDialog)
            seen.append(dialog.name_label.text())
            dialog.choose_tier(200_00)
            qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
        finally:
            for widget in QApplication.topLevelWidgets():  # never leave a modal open: the test would hang
                if isinstance(widget, QDialog) and widget.isVisible():
                    widget.reject()

    QTimer.singleShot(0, fill_in)
    qtbot.keyClick(window.person_page.table, Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier)
    assert seen == [person.name]
    assert window.statusBar().currentMessage() == f"已录入{person.name}的参保登记，请另一位工作人员在“审核”中初审"
    with db.session() as session:
        stored = session.scalars(select(Registration).where(Registration.person_id == person.id)).one()
        assert (stored.review_state, stored.entered_by, stored.tier_fen) == (ReviewState.ENTERED, "alice", 200_00)


def test_ctrl_g_on_several_rows_registers_them_all_and_lists_the_refusals(qtbot: QtBot, db: Database) -> None:
    adults = may_enrol(db, 3)
    with db.session() as session:
        enrolled = session.scalars(
            select(Person).where(Person.status == PersonStatus.CONTRIBUTING).order_by(Person.id_number)
        ).first()
        child = session.scalars(
            select(Person).where(Person.birth_date > date.today() - timedelta(days=15 * 365)).order_by(Person.id_number)
        ).first()
        assert enrolled is not None and child is not None
        refused_names = {enrolled.name, child.name}
        refused_ids = {enrolled.id, child.id}
    chosen = [adults[0].id, enrolled.id, adults[1].id, child.id, adults[2].id]
    accounts.set_current_actor(ALICE)
    window = MainWindow(db.session, db.path)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    page = window.person_page
    actions = page.person_actions
    assert page.table.selectionMode() is page.table.SelectionMode.ExtendedSelection
    assert actions.select_person(chosen[0])
    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    for person_id in chosen[1:]:
        row = page.model.row_of(person_id)
        assert row is not None
        page.table.selectionModel().select(page.model.index(row, 0), flags)
    assert sorted(actions.selected_person_ids()) == sorted(chosen)
    before = counts(db)
    seen: list[tuple[str, list[str], list[str], str]] = []

    def fill_in() -> None:
        dialog = actions.last_dialog
        try:
            assert isinstance(dialog, BulkRegistrationDialog)
            tiers = [dialog.tier_combo.itemText(i) for i in range(dialog.tier_combo.count())]
            assert dialog.date_edit.maximumDate() == dialog.date_edit.date()  # today, not later
            assert dialog.choose_tier(200_00)
            qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
            assert dialog.finished_run and dialog.isVisible()  # open, showing the result
            refusals = [dialog.refusal_list.item(i).text() for i in range(dialog.refusal_list.count())]
            seen.append((dialog.heading.text(), tiers, refusals, dialog.summary_label.text()))
            qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)  # 关闭
        finally:
            for widget in QApplication.topLevelWidgets():  # never leave a modal open: the test would hang
                if isinstance(widget, QDialog) and widget.isVisible():
                    widget.reject()

    QTimer.singleShot(0, fill_in)
    qtbot.keyClick(page.table, Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier)
    ((heading, tiers, refusals, summary),) = seen
    assert heading == "为选中的 5 人办理参保登记"
    assert tiers[0] == "暂不选择" and "200 元" in tiers
    assert summary.startswith("已录入 3 人，2 人未登记。")
    assert len(refusals) == 2
    assert {text.split("：", 1)[0] for text in refusals} == refused_names
    assert any("已经参保" in text for text in refusals) and any("未满16周岁" in text for text in refusals)
    assert window.statusBar().currentMessage().startswith("已录入 3 人的参保登记，2 人未登记")
    assert counts(db) == (before[0] + 3, before[1] + 3, before[2] + 3)
    with db.session() as session:
        stored = session.scalars(select(Registration).where(Registration.person_id.in_(chosen))).all()
        assert sorted(r.person_id for r in stored) == sorted(p.id for p in adults)
        assert {(r.review_state, r.entered_by, r.tier_fen) for r in stored} == {(ReviewState.ENTERED, "alice", 200_00)}
        assert not set(r.person_id for r in stored) & refused_ids
    # Ctrl+click takes the current row out of a two-row selection: the one left selected is the one meant.
    assert actions.select_person(chosen[0])
    second = page.model.row_of(chosen[2])
    assert second is not None
    page.table.selectionModel().select(page.model.index(second, 0), flags)
    deselect = QItemSelectionModel.SelectionFlag.Deselect | QItemSelectionModel.SelectionFlag.Rows
    page.table.selectionModel().select(page.table.currentIndex(), deselect)
    assert actions.selected_person_ids() == [chosen[2]] and actions.selected_person_id() == chosen[2]
    page.model.load_rest()
    qtbot.keyClick(page.table, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)  # Ctrl+A selects the whole list
    assert len(actions.selected_person_ids()) == page.model.rowCount() > 5


# --- 上报 on the review page --------------------------------------------------------------------------------------


def entered_and_checked(db: Database, qtbot: QtBot, n: int) -> list[str]:
    """``n`` registrations entered by alice through the dialog and checked by bob on the review page."""
    ids = []
    for person in may_enrol(db, n):
        dialog = dialog_for(qtbot, db, person.id)
        assert dialog.submit() and dialog.registration_id is not None
        ids.append(dialog.registration_id)
    reviewer = ReviewPage(db.session, actor=lambda: BOB)
    qtbot.addWidget(reviewer)
    for registration_id in ids:
        assert reviewer.select_registration(registration_id)
        assert reviewer.approve_selected()
    return ids


def states(db: Database, ids: list[str]) -> list[ReviewState]:
    with db.session() as session:
        return [session.get_one(Registration, i).review_state for i in ids]


def test_submitting_after_another_users_check_sends_them_up(
    qtbot: QtBot, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = entered_and_checked(db, qtbot, 2)
    asked: list[tuple[str, str, str | None]] = []

    def go_ahead(_parent: object, title: str, text: str, *, yes: str | None = None) -> bool:
        asked.append((title, text, yes))
        return True

    monkeypatch.setattr(review_page, "confirm", go_ahead)
    page = ReviewPage(db.session, actor=lambda: ALICE)  # the coordinator sends them up
    qtbot.addWidget(page)
    assert page.tabs.tabText(1) == "待上报（2）"
    assert page.checked_table.rowCount() == 2 and cell(page.checked_table, 0, 6) == "bob"
    assert {item.registration_id for item in page.selected_checked()} == set(ids)  # all selected at first
    assert page.submit_button.isEnabled()
    names = [cell(page.checked_table, row, 0) for row in range(2)]
    assert all(names)
    before = counts(db)
    qtbot.mouseClick(page.submit_button, Qt.MouseButton.LeftButton)
    ((title, question, yes),) = asked
    assert title == "上报" and question.startswith("确定要把 2 人的参保登记上报乡镇和县社保机构吗？")
    assert all(name in question for name in names)
    assert yes == "上报 2 人(&Y)"
    assert states(db, ids) == [ReviewState.SUBMITTED] * 2
    assert counts(db) == (before[0], before[1] + 2, before[2] + 2)  # an audit entry and an outbox row each
    with db.session() as session:
        assert all(session.get_one(Registration, i).submitted_at is not None for i in ids)
    assert page.checked_table.rowCount() == 0 and page.tabs.tabText(1) == "待上报（0）"
    assert not page.submit_button.isEnabled()
    assert "已上报 2 人的参保登记" in page.message_label.text()


def test_cancelling_the_confirmation_submits_nothing(
    qtbot: QtBot, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    (registration_id,) = entered_and_checked(db, qtbot, 1)
    with db.session() as session:
        registered = session.get_one(Registration, registration_id)
        name = session.get_one(Person, registered.person_id).name
    asked: list[str] = []

    def cancel(_parent: object, _title: str, text: str, *, yes: str | None = None) -> bool:
        asked.append(text)
        return False

    monkeypatch.setattr(review_page, "confirm", cancel)
    page = ReviewPage(db.session, actor=lambda: ALICE)
    qtbot.addWidget(page)
    before = counts(db)
    assert page.submit_selected() == 0
    assert len(asked) == 1 and name in asked[0] and "不能再修改或撤回" in asked[0]
    assert states(db, [registration_id]) == [ReviewState.VILLAGE_CHECKED]
    assert counts(db) == before
    page.checked_table.clearSelection()
    assert page.submit_selected() == 0 and len(asked) == 1  # nothing selected: said, not asked
    assert "请先在“待上报”中选择" in page.message_label.text()


def test_the_bulk_dialog_stays_on_the_screen_with_many_refusals(qtbot: QtBot, db: Database) -> None:
    """QA at 1366×768: after 登记 the dialog grew to 624 px at y=210 and its 关闭 was below the screen."""
    with db.session() as session:
        children = session.scalars(
            select(Person.id).where(Person.birth_date > date.today() - timedelta(days=15 * 365)).limit(30)
        ).all()
    assert len(children) >= 15
    dialog = BulkRegistrationDialog(db.session, list(children), actor=lambda: ALICE)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    available = dialog.screen().availableGeometry()
    dialog.move(dialog.x(), available.top() + available.height() // 2)  # low on the screen, as over the list
    assert dialog.submit()
    QApplication.processEvents()
    assert dialog.refusal_list.count() == len(children)
    frame = dialog.frameGeometry()
    assert available.top() <= frame.top() and frame.bottom() <= available.bottom(), (frame, available)
    close = dialog.cancel_button
    bottom_of_close = close.mapTo(dialog, close.rect().bottomLeft()).y()
    assert bottom_of_close < dialog.height() and close.isVisible()
    assert dialog.refusal_list.verticalScrollBar().maximum() > 0  # the rest of the refusals scroll
