"""The person form from the keyboard and on a small screen (QA walk-through at 1366×768).

Alt+S in the 村民小组 box saves and never types an "s"; a group the village does not have is created only after a
question; Esc on a filled-in form asks before throwing the typing away (an open list's Esc only closes the list);
editing starts in the first field that can be typed into; the problems under 姓名 and 公民身份号码 get the lines
they need and cover nothing; the 修改关键信息 dialog grows for its problems. Real SQLite demo village throughout.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from pensiondesk.gui import person_form
from pensiondesk.gui.person_form import KeyFieldDialog, PersonForm, mnemonic_of
from pensiondesk.gui.qt import QApplication, QMessageBox, QPalette, Qt, QTimer, QWidget
from pensiondesk.services.demo import create_demo_village
from pensiondesk.services.person_queries import person_detail
from pensiondesk.store.db import Database, open_database
from pensiondesk.store.models import Person, VillagerGroup

pytestmark = pytest.mark.gui

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def valid_id(first17: str) -> str:
    return first17 + "10X98765432"[sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True)) % 11]


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = open_database(tmp_path / "village.db")
    with database.session() as session:
        create_demo_village(session, persons=300, seed=3)
    yield database
    database.close()


def count(db: Database, model: type) -> int:
    with db.session() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def a_person(db: Database) -> Person:
    with db.session() as session:
        person = session.scalars(select(Person).order_by(Person.id_number)).first()
        assert person is not None
        session.expunge(person)
        return person


def new_id(db: Database) -> str:
    """An ID number nobody in the village has, not one digit away from anyone's (born 1971-02-03)."""
    with db.session() as session:
        taken = set(session.scalars(select(Person.id_number)))
    for order in range(100, 999, 7):
        number = valid_id(f"41052219710203{order:03d}")
        if number not in taken:
            return number
    raise AssertionError("no free ID number")


def open_form(qtbot: QtBot, db: Database, person_id: str | None = None) -> PersonForm:
    form = PersonForm(db.session, person_id)
    qtbot.addWidget(form)
    form.show()
    qtbot.waitExposed(form)
    return form


def fill_new_person(form: PersonForm, db: Database, group: str) -> None:
    form.name_edit.insert("吴新组")  # as an input method commits Chinese
    form.id_edit.setText(new_id(db))
    group_edit = form.group_combo.lineEdit()
    assert group_edit is not None
    group_edit.setFocus()
    group_edit.insert(group)
    form.validate_now()  # as after the pause the form waits for


def questions_answered(monkeypatch: pytest.MonkeyPatch, answer: bool) -> list[str]:
    """Answer person_form's confirm() with ``answer`` and record what it asked."""
    asked: list[str] = []

    def fake_confirm(_parent: object, _title: str, text: str, *, yes: str | None = None) -> bool:
        asked.append(text)
        return answer

    monkeypatch.setattr(person_form, "confirm", fake_confirm)
    return asked


# --- Alt+S and new villager groups --------------------------------------------------------------------------------


def test_alt_s_with_the_group_list_open_saves_without_typing_an_s(
    qtbot: QtBot, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked = questions_answered(monkeypatch, True)
    form = open_form(qtbot, db)
    fill_new_person(form, db, "第二村民小组")
    form.group_combo.showPopup()
    qtbot.waitUntil(form.group_combo.view().isVisible)
    before = count(db, Person)
    qtbot.keyClick(form.group_combo.view(), Qt.Key.Key_S, Qt.KeyboardModifier.AltModifier)
    # Qt's own Alt+S (a button's shortcut clicks after a moment) or the form's guard (at once): either way saved.
    qtbot.waitUntil(lambda: form.saved_person_id is not None)
    assert not form.group_combo.view().isVisible()  # the list closed
    assert form.group_combo.currentText() == "第二村民小组"
    assert asked == []  # an existing group: nothing to ask
    assert count(db, Person) == before + 1
    with db.session() as session:
        stored = session.get(Person, form.saved_person_id)
        assert stored is not None and stored.group_id is not None
        group = session.get(VillagerGroup, stored.group_id)
        assert group is not None and group.name == "第二村民小组"


def test_alt_s_in_the_group_box_never_types_the_letter(
    qtbot: QtBot, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The key reaches the field itself when the form is not the active window (a list just closed): still no "s"."""
    asked = questions_answered(monkeypatch, False)
    form = open_form(qtbot, db)
    fill_new_person(form, db, "第二村民小组二")  # a typo: no such group
    form.validate_now()
    groups_before, persons_before = count(db, VillagerGroup), count(db, Person)
    group_edit = form.group_combo.lineEdit()
    assert group_edit is not None
    qtbot.keyClick(group_edit, Qt.Key.Key_S, Qt.KeyboardModifier.AltModifier)
    assert form.group_combo.currentText() == "第二村民小组二"
    assert len(asked) == 1 and "一个新的村民小组“第二村民小组二”将被创建，确定吗？" in asked[0]
    assert form.saved_person_id is None and form.isVisible()  # 取消 (the default): nothing saved, form open
    assert (count(db, VillagerGroup), count(db, Person)) == (groups_before, persons_before)
    assert form.focusWidget() in (form.group_combo, group_edit)  # back where the typo is

    monkeypatch.setattr(person_form, "confirm", lambda *_args, **_kwargs: True)
    qtbot.keyClick(group_edit, Qt.Key.Key_S, Qt.KeyboardModifier.AltModifier)
    assert form.saved_person_id is not None
    assert (count(db, VillagerGroup), count(db, Person)) == (groups_before + 1, persons_before + 1)


def test_the_new_group_question_defaults_to_cancel(qtbot: QtBot, db: Database) -> None:
    form = open_form(qtbot, db)
    fill_new_person(form, db, "第二村民小祖")
    before = count(db, VillagerGroup)
    seen: list[str] = []

    def press_enter() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            seen.append(box.text())
            default = box.defaultButton()
            seen.append(default.text() if default is not None else "")
            qtbot.keyClick(box, Qt.Key.Key_Return)

    QTimer.singleShot(100, press_enter)
    assert not form.save()
    assert seen and "第二村民小祖" in seen[0] and seen[1] == "取消(&N)"
    assert count(db, VillagerGroup) == before


# --- Esc -----------------------------------------------------------------------------------------------------------


def answer_discard_question(qtbot: QtBot, button_text: str, seen: list[str]) -> None:
    def answer() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            return
        seen.append(box.text())
        default = box.defaultButton()
        seen.append(default.text() if default is not None else "")
        for button in box.buttons():
            if button.text() == button_text:
                button.click()

    QTimer.singleShot(100, answer)


def test_esc_on_a_filled_in_form_asks_and_keeps_the_typing(qtbot: QtBot, db: Database) -> None:
    form = open_form(qtbot, db)
    qtbot.keyClicks(form.phone_edit, "13912345678")
    seen: list[str] = []
    answer_discard_question(qtbot, "继续填写(&C)", seen)
    qtbot.keyClick(form.phone_edit, Qt.Key.Key_Escape)
    assert seen[0].startswith("放弃填写的内容？") and seen[1] == "继续填写(&C)"
    assert form.isVisible() and form.phone_edit.text() == "13912345678"

    seen.clear()
    answer_discard_question(qtbot, "放弃(&D)", seen)
    qtbot.mouseClick(form.cancel_button, Qt.MouseButton.LeftButton)  # 取消 asks the same
    assert seen and not form.isVisible()
    assert form.result() == PersonForm.DialogCode.Rejected


def test_esc_in_an_open_list_only_closes_the_list(qtbot: QtBot, db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[bool] = []
    monkeypatch.setattr(PersonForm, "_discard_confirmed", lambda self: asked.append(True) or False)
    form = open_form(qtbot, db)
    qtbot.keyClicks(form.phone_edit, "139")
    form.relation_combo.setFocus()
    form.relation_combo.showPopup()
    qtbot.waitUntil(form.relation_combo.view().isVisible)
    qtbot.keyClick(form.relation_combo.view(), Qt.Key.Key_Escape)
    assert not form.relation_combo.view().isVisible()
    assert form.isVisible() and asked == []


def test_esc_on_an_untouched_form_closes_at_once(qtbot: QtBot, db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[bool] = []
    monkeypatch.setattr(PersonForm, "_discard_confirmed", lambda self: asked.append(True) or False)
    form = open_form(qtbot, db)
    qtbot.keyClick(form.name_edit, Qt.Key.Key_Escape)
    assert not form.isVisible() and asked == []


# --- editing ---------------------------------------------------------------------------------------------------------


def test_editing_starts_in_the_first_editable_field_and_read_only_fields_look_it(qtbot: QtBot, db: Database) -> None:
    person = a_person(db)
    form = open_form(qtbot, db, person.id)
    assert form.focusWidget() is form.ethnicity_edit
    for edit in (form.name_edit, form.id_edit, form.birth_edit):
        assert edit.isReadOnly()
        palette = edit.palette()
        assert palette.color(QPalette.ColorRole.Base) == palette.color(QPalette.ColorRole.Window)
    assert form.phone_edit.palette().color(QPalette.ColorRole.Base) != form.phone_edit.palette().color(
        QPalette.ColorRole.Window
    )
    assert mnemonic_of(form.key_button.text()) == "e"
    assert mnemonic_of(form.view_duplicate_button.text()) == "v"


# --- room for the problems -----------------------------------------------------------------------------------------


def below(first: QWidget, second: QWidget) -> bool:
    """True when ``second`` starts at or below the bottom of ``first`` (in window coordinates)."""
    top_of_second = second.mapTo(second.window(), second.rect().topLeft()).y()
    bottom_of_first = first.mapTo(first.window(), first.rect().bottomLeft()).y()
    return top_of_second > bottom_of_first


def test_likely_duplicate_warnings_get_their_lines_and_cover_nothing(qtbot: QtBot, db: Database) -> None:
    existing = a_person(db)
    form = open_form(qtbot, db)
    name_problem, id_problem = form.problem_labels["name"], form.problem_labels["id_number"]
    # The same name and birth date, another sequence number: the warning under 姓名.
    other = valid_id(existing.id_number[:14] + "".join(str((int(c) + 5) % 10) for c in existing.id_number[14:17]))
    form.name_edit.insert(existing.name)
    form.id_edit.setText(other)
    form.validate_now()
    qtbot.waitUntil(name_problem.isVisible)
    QApplication.processEvents()
    qtbot.wait(50)
    assert name_problem.text().startswith("⚠")
    assert name_problem.height() >= name_problem.heightForWidth(name_problem.width())
    assert below(name_problem, form.id_edit)
    # The ID one digit away (the 16th) as well: one warning for the one person, under 公民身份号码 (QA: said twice).
    digit = str((int(existing.id_number[15]) + 1) % 10)
    form.id_edit.setText(valid_id(existing.id_number[:15] + digit + existing.id_number[16]))
    form.validate_now()
    qtbot.waitUntil(lambda: id_problem.isVisible() and not name_problem.isVisible())
    QApplication.processEvents()
    qtbot.wait(50)
    assert id_problem.text().startswith("⚠") and id_problem.text().count("疑似重复登记") == 1
    assert id_problem.height() >= id_problem.heightForWidth(id_problem.width())
    assert below(id_problem, form.sex_combo)
    available, frame = form.screen().availableGeometry(), form.frameGeometry()
    assert available.top() <= frame.top() and frame.bottom() <= available.bottom()
    # Alt+letter to a field out of view scrolls it into view.
    qtbot.keyClick(form.name_edit, Qt.Key.Key_U, Qt.KeyboardModifier.AltModifier)
    assert form.focusWidget() is form.head_id_edit
    viewport = form.scroll_area.viewport()
    top_left = form.head_id_edit.mapTo(viewport, form.head_id_edit.rect().topLeft())
    assert viewport.rect().contains(top_left)


def test_the_key_field_dialog_grows_for_its_problems(qtbot: QtBot, db: Database) -> None:
    person = a_person(db)
    with db.session() as session:
        detail = person_detail(session, person.id)
    assert detail is not None
    dialog = KeyFieldDialog(db.session, detail)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.field_combo.setCurrentIndex(dialog.field_combo.findData("birth_date"))
    dialog.value_edit.setText("1900-01-02")  # disagrees with the ID number: a long, wrapped reason
    assert not dialog.apply()
    dialog.field_combo.setCurrentIndex(dialog.field_combo.findData("name"))
    dialog.value_edit.setText("王更正")
    assert not dialog.apply()  # no reason, no evidence
    QApplication.processEvents()
    shown = [label for label in dialog.problem_labels.values() if label.isVisible()]
    assert len(shown) >= 2
    for label in shown:
        assert label.height() >= label.heightForWidth(label.width()), label.text()
    available, frame = dialog.screen().availableGeometry(), dialog.frameGeometry()
    assert available.top() <= frame.top() and frame.bottom() <= available.bottom()

    dialog.field_combo.setCurrentIndex(dialog.field_combo.findData("birth_date"))
    dialog.value_edit.setText("1900-01-02")
    dialog.reason_edit.setText("户口簿更正")
    dialog.evidence_edit.setText("2026-HQ-001")
    assert not dialog.apply()
    QApplication.processEvents()
    value_problem = dialog.problem_labels["value"]
    assert value_problem.isVisible() and "身份证" in value_problem.text()
    assert value_problem.height() >= value_problem.heightForWidth(value_problem.width())
