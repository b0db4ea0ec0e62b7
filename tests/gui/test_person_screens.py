"""The person screens (人员/登记): the form, key-field changes, filters, household, import wizard, review, keyboard.

Every test runs on a real SQLite file made by ``store.db.open_database`` (migrations) and filled with
``services.demo.create_demo_village``; rosters are real .xlsx files written with openpyxl.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from pensiondesk.domain.codes import PersonStatus, Relation, ReviewState
from pensiondesk.gui.household_view import HouseholdDialog, MoveDialog, NewHeadDialog, RelationDialog
from pensiondesk.gui.import_wizard import ImportWizard
from pensiondesk.gui.main_window import MainWindow
from pensiondesk.gui.person_form import ERROR_COLOUR, KeyFieldDialog, PersonForm
from pensiondesk.gui.person_model import Column
from pensiondesk.gui.qt import QApplication, QDialog, QLineEdit, QMessageBox, Qt, QTableWidget, QTimer, QWidget
from pensiondesk.gui.review_page import ReviewPage
from pensiondesk.services import people, registration
from pensiondesk.services.demo import create_demo_village
from pensiondesk.services.person_queries import person_detail
from pensiondesk.services.recording import Actor
from pensiondesk.store.db import Database, open_database
from pensiondesk.store.models import AuditEntry, Base, Household, KeyFieldChange, OutboxEntry, Person, Registration

pytestmark = pytest.mark.gui

_SURNAMES = "赵钱孙李周吴郑王冯陈"
_GIVEN = "一二三四五六七八九十"
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def valid_id(first17: str) -> str:
    """A 公民身份号码 with the right check character."""
    return first17 + "10X98765432"[sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True)) % 11]


def roster_id(n: int, *, male: bool = True) -> str:
    """The n-th ID of the test rosters: area 410522 (not the demo village's 411099), born 1970-1989."""
    birth = date(1970 + n % 20, 1 + n % 12, 1 + n % 28)
    order = (n // 420) * 2 + (1 if male else 2)  # 420 = the cycle of the birth dates above
    return valid_id(f"410522{birth:%Y%m%d}{order % 1000:03d}")


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


def some_person(db: Database, **where: object) -> Person:
    with db.session() as session:
        query = select(Person).order_by(Person.id_number)
        for key, value in where.items():
            query = query.where(getattr(Person, key) == value)
        person = session.scalars(query).first()
        assert person is not None
        session.expunge(person)
        return person


def type_into(qtbot: QtBot, edit: QLineEdit, text: str) -> None:
    """Type ``text``: key by key when it is ASCII, as an input method commits it when it is Chinese.

    (QTest cannot synthesise key events for characters outside Latin-1; ``insert`` edits as the user does.)
    """
    if text.isascii():
        qtbot.keyClicks(edit, text)
    else:
        edit.insert(text)


def cell(table: QTableWidget, row: int, column: int) -> str:
    """The text of one cell of a table widget ("" when empty)."""
    item = table.item(row, column)
    return item.text() if item is not None else ""


def form_for(qtbot: QtBot, db: Database, person_id: str | None = None) -> PersonForm:
    form = PersonForm(db.session, person_id)
    qtbot.addWidget(form)
    form.show()
    return form


# --- the form ---------------------------------------------------------------------------------------------------


def test_typing_an_id_fills_sex_and_birth_date(qtbot: QtBot, db: Database) -> None:
    form = form_for(qtbot, db)
    qtbot.keyClicks(form.id_edit, "11010519491231002x")
    assert form.sex_combo.currentText() == "女"
    assert form.birth_edit.text() == "1949-12-31"


def test_an_invalid_id_is_explained_beside_the_field_and_blocks_saving(qtbot: QtBot, db: Database) -> None:
    form = form_for(qtbot, db)
    type_into(qtbot, form.name_edit, "王小明")
    qtbot.keyClicks(form.id_edit, "110105194912310021")
    label = form.problem_labels["id_number"]
    qtbot.waitUntil(label.isVisible)
    assert "校验码" in label.text()
    assert ERROR_COLOUR in label.styleSheet()
    assert not form.save_button.isEnabled()
    assert not form.save()


def test_a_registered_id_names_the_person_and_offers_to_show_them(qtbot: QtBot, db: Database) -> None:
    existing = some_person(db)
    form = form_for(qtbot, db)
    type_into(qtbot, form.name_edit, "李四")
    qtbot.keyClicks(form.id_edit, existing.id_number)
    label = form.problem_labels["id_number"]
    qtbot.waitUntil(lambda: "已登记" in label.text())
    assert existing.name in label.text()
    assert form.view_duplicate_button.isVisible()
    assert not form.save_button.isEnabled()
    with qtbot.waitSignal(form.show_person_requested) as shown:
        qtbot.mouseClick(form.view_duplicate_button, Qt.MouseButton.LeftButton)
    assert shown.args == [existing.id]


def test_saving_a_new_person_records_it_and_the_list_shows_it(qtbot: QtBot, db: Database) -> None:
    window = MainWindow(db.session, db.path)
    qtbot.addWidget(window)
    before = count(db, Person)
    form = form_for(qtbot, db)
    form.name_edit.setText("欧阳新华")
    form.id_edit.setText(roster_id(1))
    form.phone_edit.setText("13912345678")
    form.group_combo.setCurrentText("第一村民小组")
    form.relation_combo.setCurrentIndex(form.relation_combo.findData(Relation.HEAD.value))
    assert form.save()
    person_id = form.saved_person_id
    assert person_id is not None
    assert count(db, Person) == before + 1
    with db.session() as session:
        assert session.scalar(select(func.count()).where(AuditEntry.entity_id == person_id)) == 1
        assert session.scalar(select(func.count()).where(OutboxEntry.record_id == person_id)) == 1
        stored = session.get(Person, person_id)
        assert stored is not None and stored.relation is Relation.HEAD and stored.household_id is not None
    page = window.person_page
    assert page.person_actions.select_person(person_id)
    assert page.model.person_id(page.table.currentIndex().row()) == person_id
    assert page.count_label.text() == f"共 {before + 1} 人"


def test_editing_changes_general_fields_and_keeps_key_fields_read_only(qtbot: QtBot, db: Database) -> None:
    person = some_person(db)
    form = form_for(qtbot, db, person.id)
    assert form.name_edit.isReadOnly() and form.id_edit.isReadOnly()
    assert form.key_button.isVisible()
    form.phone_edit.setText("13800001111")
    assert form.save()
    with db.session() as session:
        stored = session.get(Person, person.id)
        assert stored is not None and stored.phone == "13800001111" and stored.version == person.version + 1


def test_a_key_field_change_needs_a_reason_and_evidence(qtbot: QtBot, db: Database) -> None:
    person = some_person(db)
    with db.session() as session:
        detail = person_detail(session, person.id)
    assert detail is not None
    dialog = KeyFieldDialog(db.session, detail)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.field_combo.setCurrentIndex(dialog.field_combo.findData("name"))
    dialog.value_edit.setText("王更正")
    assert not dialog.apply()
    assert "变更原因" in dialog.problem_labels["reason"].text()
    assert "证明材料" in dialog.problem_labels["evidence_ref"].text()
    assert count(db, KeyFieldChange) == 0

    dialog.reason_edit.setText("登记时姓名录错，按户口簿更正")
    dialog.evidence_edit.setText("2024-红旗-015")
    assert dialog.apply()
    with db.session() as session:
        change = session.scalars(select(KeyFieldChange)).one()
        assert (change.field, change.before, change.after) == ("name", person.name, "王更正")
        assert change.evidence_ref == "2024-红旗-015"


# --- the list's filters -----------------------------------------------------------------------------------------


def test_filters_narrow_the_list(qtbot: QtBot, db: Database) -> None:
    window = MainWindow(db.session, db.path)
    qtbot.addWidget(window)
    page = window.person_page
    bar = page.filter_bar
    total = page.model.rowCount()
    assert total == 300

    bar.group_combo.setCurrentIndex(1)
    in_group = page.model.rowCount()
    assert 0 < in_group < total
    assert "找到" in page.count_label.text()
    rows = [page.model.index(r, 5).data() for r in range(in_group)]
    assert set(rows) == {bar.group_combo.currentText()}
    bar.clear()
    assert page.model.rowCount() == total

    bar.status_combo.setCurrentIndex(bar.status_combo.findData(PersonStatus.RECEIVING.value))
    receiving = page.model.rowCount()
    assert 0 < receiving < total
    assert {page.model.index(r, 7).data() for r in range(receiving)} == {"待遇领取"}
    bar.clear()

    hardship = next(i for i in range(1, bar.category_combo.count()) if bar.category_combo.itemData(i) == "061")
    bar.category_combo.setCurrentIndex(hardship)
    assert page.model.rowCount() < total
    bar.clear()

    # 即将到龄: someone aged 59 turns 60 two months after the chosen day.
    person = some_person(db, status=PersonStatus.CONTRIBUTING)
    birth = person.birth_date
    bar.today = date(birth.year + 60, birth.month, 1) if birth.month > 2 else date(birth.year + 59, 11, 1)
    bar.reaching_box.setChecked(True)
    listed = {page.model.person_id(r) for r in range(page.model.rowCount())}
    assert person.id in listed and len(listed) < total
    bar.clear()

    # 材料未交齐: a migrant worker whose documents for this year are not all in.
    with db.session() as session:
        people.mark_migrant_worker(session, Actor("tester"), person.id, date.today().year)
    bar.today = None
    bar.documents_box.setChecked(True)
    assert [page.model.person_id(r) for r in range(page.model.rowCount())] == [person.id]


def test_relations_to_check_are_a_filter_and_a_mark_in_the_list(
    qtbot: QtBot, qtmodeltester: object, db: Database
) -> None:
    family = family_household(db)
    with db.session() as session:
        household_id = session.get(Person, family["son"]).household_id  # type: ignore[union-attr]
        people.set_household_head(
            session, Actor("tester"), str(household_id), family["son"], old_head_relation=Relation.PARENT
        )
    window = MainWindow(db.session, db.path)
    qtbot.addWidget(window)
    page = window.person_page
    bar = page.filter_bar
    assert bar.relation_box.text() == "关系待核对" and not bar.clear_button.isEnabled()
    bar.relation_box.setChecked(True)
    assert bar.clear_button.isEnabled()
    listed = [page.model.person_id(r) for r in range(page.model.rowCount())]
    assert set(listed) == {family["spouse"], family["daughter"]}
    qtmodeltester.check(page.model)  # type: ignore[attr-defined]
    row = listed.index(family["spouse"])
    relation = page.model.index(row, Column.RELATION)
    assert relation.data() == "配偶（待核对）"
    assert relation.data(Qt.ItemDataRole.BackgroundRole) is not None
    assert "Ctrl+H" in relation.data(Qt.ItemDataRole.ToolTipRole)
    assert page.model.index(row, Column.NAME).data(Qt.ItemDataRole.BackgroundRole) is None
    # Checked (here through the service, as 改关系 does): the person leaves the filtered list.
    with db.session() as session:
        people.set_relation(session, Actor("tester"), family["spouse"], Relation.PARENT)
    page.refresh()
    assert [page.model.person_id(r) for r in range(page.model.rowCount())] == [family["daughter"]]
    bar.clear()
    assert not bar.relation_box.isChecked() and page.model.rowCount() == 300


# --- household ----------------------------------------------------------------------------------------------------


def test_household_view_lists_head_first_and_makes_a_new_household(qtbot: QtBot, db: Database) -> None:
    member = some_person(db, relation=Relation.SPOUSE)
    dialog = HouseholdDialog(db.session, member.id)
    qtbot.addWidget(dialog)
    household = dialog.household
    assert household is not None and household.members[0].is_head
    assert cell(dialog.table, 0, 2) == "户主"
    assert dialog.selected_person_id() == member.id
    assert dialog.head_button.isEnabled()


class ModalScript:
    """Acts on the modal dialogs a step opens, in turn: ``steps[n]`` gets the n-th one (asserting what it shows,
    pressing keys). A failing step closes its dialog, so the test reports the failure instead of hanging."""

    def __init__(self, *steps: Callable[[QWidget], None]) -> None:
        self.steps = list(steps)
        self.handled: list[QWidget] = []
        self.errors: list[BaseException] = []
        QTimer.singleShot(0, self._poll)

    def _poll(self) -> None:
        if not self.steps:
            return
        widget = QApplication.activeModalWidget()
        if widget is not None and widget not in self.handled and widget.isVisible():
            self.handled.append(widget)
            step = self.steps.pop(0)
            try:
                step(widget)
            except BaseException as error:  # reported by check()
                self.errors.append(error)
                self.steps.clear()
                if isinstance(widget, QDialog):
                    widget.reject()
        QTimer.singleShot(20, self._poll)

    def check(self, qtbot: QtBot) -> None:
        """Wait for the steps (a mnemonic clicks its button a moment later) and every dialog to close."""
        qtbot.waitUntil(lambda: not self.steps or bool(self.errors), timeout=5000)
        qtbot.waitUntil(lambda: QApplication.activeModalWidget() is None, timeout=5000)
        if self.errors:
            raise self.errors[0]
        assert not self.steps, f"{len(self.steps)} dialog(s) never opened"


def key(widget: QWidget, which: Qt.Key) -> None:
    """Press ``which`` where the keyboard is in ``widget``'s window."""
    QtBot.keyClick(widget.focusWidget() or widget, which)


def every_row(db: Database) -> dict[str, list[tuple[object, ...]]]:
    with db.session() as session:
        return {
            table.name: sorted((tuple(row) for row in session.execute(table.select())), key=repr)
            for table in Base.metadata.sorted_tables
        }


def family_household(db: Database) -> dict[str, str]:
    """A household of a head, a spouse, one son and one daughter: person ids by relation."""
    with db.session() as session:
        for household_id in session.scalars(select(Household.id).order_by(Household.id)):
            members = session.execute(
                select(Person.relation, Person.id).where(Person.household_id == household_id)
            ).all()
            relations = sorted(relation.value for relation, _id in members)
            if relations == ["daughter", "head", "son", "spouse"]:
                return {relation.value: person_id for relation, person_id in members}
    raise AssertionError("the demo village has no such household")


def relation_of(db: Database, person_id: str) -> Relation | None:
    with db.session() as session:
        return session.scalar(select(Person.relation).where(Person.id == person_id))


def shown_household(qtbot: QtBot, db: Database, person_id: str) -> HouseholdDialog:
    dialog = HouseholdDialog(db.session, person_id)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    return dialog


def alt(qtbot: QtBot, dialog: QWidget, letter: Qt.Key) -> None:
    """Alt+letter in ``dialog``, as the coordinator presses it (the window active again after a message)."""
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    qtbot.keyClick(dialog.focusWidget() or dialog, letter, Qt.KeyboardModifier.AltModifier)


def test_relations_are_checked_after_a_head_change(qtbot: QtBot, db: Database) -> None:
    family = family_household(db)
    dialog = shown_household(qtbot, db, family["son"])
    assert dialog.selected_person_id() == family["son"] and dialog.relation_button.isEnabled()

    def old_head_is_parent(widget: QWidget) -> None:
        assert isinstance(widget, NewHeadDialog)
        assert widget.relation is Relation.PARENT  # suggested: the new head was the old head's son
        key(widget, Qt.Key.Key_Return)

    def stop_the_walk(widget: QWidget) -> None:
        assert isinstance(widget, RelationDialog) and "（1/2）" in widget.windowTitle()
        assert "原来与户主" in widget.intro.text()
        key(widget, Qt.Key.Key_Escape)  # not now: the members stay marked

    script = ModalScript(old_head_is_parent, stop_the_walk)
    alt(qtbot, dialog, Qt.Key.Key_H)  # 设为户主
    script.check(qtbot)
    household = dialog.household
    assert household is not None and household.head_person_id == family["son"]
    assert relation_of(db, family["head"]) is Relation.PARENT
    assert relation_of(db, family["spouse"]) is Relation.SPOUSE  # unchanged until the coordinator says so
    assert set(dialog.to_check) == {family["spouse"], family["daughter"]}
    rows = {dialog.table.item(r, 0).data(Qt.ItemDataRole.UserRole): r for r in range(dialog.table.rowCount())}
    assert cell(dialog.table, rows[family["spouse"]], 2) == "配偶（待核对）"
    assert cell(dialog.table, rows[family["head"]], 2) == "父母"
    assert dialog.check_hint.isVisible() and "2 人" in dialog.check_hint.text()

    # 改关系 on the old head's wife: 父母 is pre-selected; ↓ ↑ and Enter confirm it.
    dialog.table.selectRow(rows[family["spouse"]])
    audit_before = count(db, AuditEntry)

    def spouse_becomes_parent(widget: QWidget) -> None:
        assert isinstance(widget, RelationDialog)
        assert widget.relation is Relation.PARENT
        key(widget, Qt.Key.Key_Down)
        assert widget.relation is not Relation.PARENT
        key(widget, Qt.Key.Key_Up)
        key(widget, Qt.Key.Key_Return)

    script = ModalScript(spouse_becomes_parent)
    alt(qtbot, dialog, Qt.Key.Key_R)
    script.check(qtbot)
    assert relation_of(db, family["spouse"]) is Relation.PARENT
    assert count(db, AuditEntry) == audit_before + 2  # the mark goes, the relation changes
    with db.session() as session:
        entry = session.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc())).first()
        assert entry is not None and entry.action == "set_relation" and entry.entity_id == family["spouse"]
    assert set(dialog.to_check) == {family["daughter"]}
    assert dialog.selected_person_id() == family["spouse"]
    assert cell(dialog.table, rows[family["spouse"]], 2) == "父母"

    # Closing with one still to check closes (Esc): the mark is kept, and the household opened again shows it.
    qtbot.keyClick(dialog.table, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    dialog = shown_household(qtbot, db, family["son"])
    assert set(dialog.to_check) == {family["daughter"]}
    rows = {dialog.table.item(r, 0).data(Qt.ItemDataRole.UserRole): r for r in range(dialog.table.rowCount())}
    assert cell(dialog.table, rows[family["daughter"]], 2) == "女（待核对）"
    assert dialog.check_hint.isVisible() and "1 人" in dialog.check_hint.text()

    # The sister: no suggestion is needed to be typed — 兄弟姐妹 is pre-selected; Enter.
    dialog.table.selectRow(rows[family["daughter"]])

    def sister(widget: QWidget) -> None:
        assert isinstance(widget, RelationDialog) and widget.relation is Relation.SIBLING  # the kept suggestion
        assert "户主已由" in widget.intro.text()  # reopened: the old head is read back from the mark
        key(widget, Qt.Key.Key_Return)

    script = ModalScript(sister)
    alt(qtbot, dialog, Qt.Key.Key_R)
    script.check(qtbot)
    assert relation_of(db, family["daughter"]) is Relation.SIBLING
    assert dialog.to_check == {} and not dialog.check_hint.isVisible()
    qtbot.keyClick(dialog.table, Qt.Key.Key_Escape)  # nothing left to check: closes at once
    assert not dialog.isVisible()


def test_the_walk_after_a_head_change_confirms_each_member(qtbot: QtBot, db: Database) -> None:
    family = family_household(db)
    dialog = shown_household(qtbot, db, family["son"])

    def enter(widget: QWidget) -> None:
        assert isinstance(widget, NewHeadDialog | RelationDialog)
        key(widget, Qt.Key.Key_Return)

    script = ModalScript(enter, enter, enter)
    dialog.head_button.click()
    script.check(qtbot)
    assert relation_of(db, family["spouse"]) is Relation.PARENT
    assert relation_of(db, family["daughter"]) is Relation.SIBLING
    assert dialog.to_check == {}


def test_moving_needs_a_chosen_relation(qtbot: QtBot, db: Database) -> None:
    family = family_household(db)
    dialog = shown_household(qtbot, db, family["daughter"])
    before = every_row(db)

    def enter_without_relation(widget: QWidget) -> None:
        assert isinstance(widget, MoveDialog)
        assert widget.relation_combo.currentText() == "（请选择）"
        assert widget.list.currentRow() == 0
        widget.list.setFocus()
        key(widget, Qt.Key.Key_Return)
        assert widget.isVisible() and "请选择与新户主的关系" in widget.hint.text()
        assert widget.focusWidget() is widget.relation_combo
        key(widget, Qt.Key.Key_Escape)

    script = ModalScript(enter_without_relation)
    alt(qtbot, dialog, Qt.Key.Key_M)
    script.check(qtbot)
    assert every_row(db) == before  # nothing moved, nothing recorded

    chosen: dict[str, object] = {}

    def choose_and_move(widget: QWidget) -> None:
        assert isinstance(widget, MoveDialog)
        widget.relation_combo.setFocus()
        key(widget, Qt.Key.Key_Down)  # the first relation of the list
        chosen["relation"] = widget.relation_combo.currentText()
        key(widget, Qt.Key.Key_Return)

    def done(widget: QWidget) -> None:
        assert isinstance(widget, QMessageBox) and "已迁入" in widget.text()
        widget.accept()

    script = ModalScript(choose_and_move, done)
    alt(qtbot, dialog, Qt.Key.Key_M)
    script.check(qtbot)
    assert chosen["relation"] == "配偶"
    with db.session() as session:
        moved = session.get(Person, family["daughter"])
        assert moved is not None and moved.relation is Relation.SPOUSE and moved.household_id != family_hh(db, family)


def family_hh(db: Database, family: dict[str, str]) -> str | None:
    with db.session() as session:
        return session.scalar(select(Person.household_id).where(Person.id == family["head"]))


# --- import ---------------------------------------------------------------------------------------------------


def write_messy_roster(path: Path, existing: Person) -> None:
    """Title rows, a header, good rows, a bad check character, an ID stored as a number, a known person."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["红旗村2024年城乡居民养老保险参保花名册"])
    sheet.append(["填报单位：红旗村", None, None, "制表日期：2024-05-01"])
    sheet.append(["序号", "姓名", "性别", "身份证号码", "村民小组", "与户主关系", "户主姓名", "联系电话"])
    sheet.append([1, "赵大山", "男", roster_id(10), "第一村民小组", "户主", None, "13911112222"])
    sheet.append([2, "钱秀英", "女", roster_id(11, male=False), "第一村民小组", "配偶", "赵大山", None])
    sheet.append([3, "孙小明", "男", roster_id(12), "第二村民小组", None, None, None])
    bad = roster_id(13)
    sheet.append([4, "李错号", "男", bad[:-1] + ("1" if bad[-1] != "1" else "2"), "第一村民小组", None, None, None])
    sheet.append([5, "周数字", "男", float(roster_id(14)[:17] + "1"), "第一村民小组", None, None, None])
    sheet.append([6, existing.name, existing.sex.label, existing.id_number, None, None, None, None])
    sheet.append(["合计：6人"])
    book.save(path)


def run_wizard_to_preview(qtbot: QtBot, db: Database, path: Path) -> ImportWizard:
    wizard = ImportWizard(db.session)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.file_page.path_edit.setText(str(path))
    wizard.next()
    assert wizard.currentPage() is wizard.mapping_page, wizard.file_page.message.text()
    wizard.next()
    assert wizard.currentPage() is wizard.preview_page
    return wizard


def test_import_wizard_imports_a_messy_roster_and_writes_the_report(qtbot: QtBot, db: Database, tmp_path: Path) -> None:
    existing = some_person(db)
    source = tmp_path / "花名册.xlsx"
    write_messy_roster(source, existing)
    before = count(db, Person)
    wizard = run_wizard_to_preview(qtbot, db, source)

    mapping = wizard.mapping_page
    assert [c.currentText() for c in mapping.combos[:4]] == ["序号", "姓名", "性别", "公民身份号码"]
    preview = wizard.preview_page
    assert preview.counts_label.text().startswith("新增 3 人，未变 1 人，拒绝 2 行")
    statuses = [preview.status_of_row(r) for r in range(preview.table.rowCount())]
    assert statuses.count("拒绝") == 2
    problems = " ".join(cell(preview.table, r, 4) for r in range(preview.table.rowCount()))
    assert "校验码" in problems and "数字" in problems

    imported: list[list[str]] = []
    wizard.imported.connect(imported.append)
    wizard.next()  # 开始导入: the worker thread runs
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.result_page, timeout=30_000)
    assert wizard.result_page.summary.text() == "导入完成：新增 3 人，未变 1 人，拒绝 2 行"
    assert count(db, Person) == before + 3
    assert len(imported) == 1 and len(imported[0]) == 3

    report = wizard.result_page.save_report(tmp_path / "报告.xlsx")
    assert report is not None and report.is_file()
    sheet = openpyxl.load_workbook(report).active
    assert sheet is not None
    texts = [str(cell.value or "") for row in sheet.iter_rows() for cell in row]
    assert "问题说明" in texts and any("校验码" in t for t in texts)


def test_cancelling_an_import_writes_nothing(qtbot: QtBot, db: Database, tmp_path: Path) -> None:
    source = tmp_path / "大花名册.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["姓名", "身份证号"])
    for n in range(1500):
        sheet.append([_SURNAMES[n % 10] + _GIVEN[n // 10 % 10] + _GIVEN[n // 100 % 10], roster_id(100 + n)])
    book.save(source)
    before = (count(db, Person), count(db, AuditEntry), count(db, OutboxEntry))
    wizard = run_wizard_to_preview(qtbot, db, source)
    assert wizard.preview_page.counts_label.text().startswith("新增 1500 人")

    def cancel_on_first_progress(done: int, total: int) -> None:
        job = wizard.import_page.job
        assert job is not None
        job.cancel()  # called in the worker thread, after the first 1,000 rows were written

    wizard.import_page.progress_hook = cancel_on_first_progress
    wizard.next()
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.result_page, timeout=60_000)
    assert wizard.result_page.summary.text() == "已取消：本次导入没有写入任何数据"
    assert wizard.import_result is None
    assert (count(db, Person), count(db, AuditEntry), count(db, OutboxEntry)) == before


def test_an_unreadable_file_is_explained_on_the_first_page(qtbot: QtBot, db: Database, tmp_path: Path) -> None:
    source = tmp_path / "坏文件.xlsx"
    source.write_bytes(b"this is not a spreadsheet")
    wizard = ImportWizard(db.session)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.file_page.path_edit.setText(str(source))
    wizard.next()
    assert wizard.currentPage() is wizard.file_page
    assert wizard.file_page.message.text()


# --- review -------------------------------------------------------------------------------------------------------


def registered_by(db: Database, username: str) -> str:
    """A registration entered by ``username`` for some resident who may enrol."""
    with db.session() as session:
        candidates = session.scalars(
            select(Person.id).where(Person.status == PersonStatus.NOT_ENROLLED).order_by(Person.birth_date)
        ).all()
    for person_id in candidates:
        try:
            with db.session() as session:
                return registration.register(session, Actor(username), person_id, registered_on=date.today()).id
        except people.ServiceError:
            continue
    raise AssertionError("no resident may enrol in the demo village")


def test_the_entering_user_cannot_approve_their_own_entry(qtbot: QtBot, db: Database) -> None:
    registration_id = registered_by(db, "alice")
    own = ReviewPage(db.session, actor=lambda: Actor("alice"))
    qtbot.addWidget(own)
    assert own.select_registration(registration_id)
    assert "本人录入" in cell(own.queue_table, 0, 7)
    assert not own.approve_selected()
    assert "录入人和初审人不能是同一人" in own.message_label.text()

    other = ReviewPage(db.session, actor=lambda: Actor("bob"))
    qtbot.addWidget(other)
    assert other.select_registration(registration_id)
    assert other.approve_selected()
    with db.session() as session:
        stored = session.get(Registration, registration_id)
        assert stored is not None and stored.review_state is ReviewState.VILLAGE_CHECKED
        assert stored.checked_by == "bob"


def test_a_return_needs_a_reason_and_is_listed_with_it(qtbot: QtBot, db: Database) -> None:
    registration_id = registered_by(db, "alice")
    page = ReviewPage(db.session, actor=lambda: Actor("bob"))
    qtbot.addWidget(page)
    assert page.select_registration(registration_id)
    assert not page.return_selected("  ")
    assert "原因" in page.message_label.text()
    assert page.return_selected("身份证复印件不清楚")
    assert page.returned_table.rowCount() == 1
    assert cell(page.returned_table, 0, 5) == "身份证复印件不清楚"


# --- keyboard only ------------------------------------------------------------------------------------------------


def test_keyboard_only_new_person(qtbot: QtBot, qapp: QApplication, db: Database) -> None:
    window = MainWindow(db.session, db.path)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    page = window.person_page
    page.table.setFocus()
    before = count(db, Person)
    seen: dict[str, object] = {}

    def fill_the_form() -> None:
        form = page.person_actions.last_dialog
        try:
            assert isinstance(form, PersonForm)
            seen["first"] = form.focusWidget()
            type_into(qtbot, form.name_edit, "吴键盘")
            qtbot.keyClick(form.name_edit, Qt.Key.Key_Tab)
            seen["second"] = form.focusWidget()
            qtbot.keyClicks(form.id_edit, roster_id(3))
            qtbot.keyClick(form.id_edit, Qt.Key.Key_Return)
            seen["saved"] = form.saved_person_id
        finally:
            for widget in QApplication.topLevelWidgets():  # never leave a modal open: the test would hang
                if isinstance(widget, QDialog) and widget.isVisible():
                    widget.reject()

    QTimer.singleShot(0, fill_the_form)
    qtbot.keyClick(page.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert isinstance(seen["first"], QLineEdit) and seen["first"].objectName() == "name"
    assert isinstance(seen["second"], QLineEdit) and seen["second"].objectName() == "id_number"
    assert seen["saved"] is not None
    assert count(db, Person) == before + 1
    assert page.model.person_id(page.table.currentIndex().row()) == seen["saved"]
