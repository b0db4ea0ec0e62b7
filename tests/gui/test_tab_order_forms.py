"""Tab order (Tab 键顺序), continued from test_tab_order.py: the import wizard (导入花名册), the household dialogs
(家庭), 审核, the 设置 page (with 用户和密码) and the 收款 tab of the money page, each on a real database.

Here Tab is the key itself, pressed on the focused widget (``key_walk``): a table that keeps Tab for its own cells
traps the cursor, which ``focusNextChild`` (test_tab_order's ``tab_walk``) would pass over. Each walk goes once round
from the first field and every step must go right or down (``backward_steps``), the wrap back to the top excepted;
disabled fields are passed over. Esc closes each dialog; Enter does the default action only where that is safe.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import openpyxl
import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from pensiondesk.domain.codes import PersonStatus, Relation, Sex
from pensiondesk.gui.qt import QApplication, QDialog, QLabel, Qt, QTimer, QWidget
from pensiondesk.services.recording import Actor
from pensiondesk.store.models import Person, Registration

from .conftest import make_id_number
from .test_tab_order import _shown, clashing_mnemonics, name_of, reading_order_breaks, unlabelled_inputs

if TYPE_CHECKING:
    from pensiondesk.store.db import Database

    from .conftest import VillageDb

pytestmark = pytest.mark.gui


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None
    return widget


def key_walk(qtbot: QtBot, start: QWidget, steps: int) -> list[QWidget]:
    """Focus ``start``, then press the Tab key ``steps - 1`` times on whatever has focus; the widgets in turn."""
    start.window().activateWindow()
    start.setFocus(Qt.FocusReason.TabFocusReason)
    QApplication.processEvents()
    widgets = [focused()]
    for _ in range(steps - 1):
        qtbot.keyClick(widgets[-1], Qt.Key.Key_Tab)
        QApplication.processEvents()
        widget = focused()
        assert widget.isEnabled() and widget.isVisible(), name_of(widget)  # Tab never lands on what is off
        widgets.append(widget)
    return widgets


def names(widgets: list[QWidget]) -> list[str]:
    return [name_of(widget) for widget in widgets]


def backward_steps(widgets: list[QWidget]) -> list[str]:
    """Steps of a walk that go back up, or left on the same line (the walk given without its wrap)."""
    surface = widgets[0].window()
    places = []
    for widget in widgets:
        corner = widget.mapTo(surface, widget.rect().topLeft())
        places.append((name_of(widget), corner.y(), corner.y() + widget.height(), corner.x()))
    found = []
    for (name_a, top_a, bottom_a, left_a), (name_b, top_b, _bottom_b, left_b) in itertools.pairwise(places):
        same_line = top_b < bottom_a and abs(top_b - top_a) < 4
        if top_b < top_a - 4 or (same_line and left_b < left_a):
            found.append(f"{name_a} → {name_b}")
    return found


def press(qtbot: QtBot, key: Qt.Key) -> None:
    qtbot.keyClick(focused(), key)
    QApplication.processEvents()


# --- 导入花名册 -------------------------------------------------------------------------------------------------------


def write_roster(path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["姓名", "性别", "身份证号码", "联系电话"])
    sheet.append(["赵大山", "男", make_id_number(date(1971, 2, 3), 480, Sex.MALE), "13911112222"])
    sheet.append(["钱错号", "女", "410522197102030000", None])
    book.save(path)


def test_import_wizard_pages_read_in_order(qtbot: QtBot, village_db: VillageDb, tmp_path: Path) -> None:
    from pensiondesk.gui.import_wizard import ImportWizard

    roster = tmp_path / "花名册.xlsx"
    write_roster(roster)
    wizard = _shown(qtbot, ImportWizard(village_db.session_factory))
    assert isinstance(wizard, ImportWizard)
    file_page = wizard.file_page
    assert focused() is file_page.path_edit  # 第 1 步 opens in the path field
    # 下一步 is off until a file is named, and Tab passes over it.
    assert names(key_walk(qtbot, file_page.path_edit, 4)) == ["importPath", "浏览…", "取消", "importPath"]
    file_page.path_edit.setText(str(roster))
    walked = key_walk(qtbot, file_page.path_edit, 5)
    assert names(walked) == ["importPath", "浏览…", "下一步 >", "取消", "importPath"]
    assert backward_steps(walked[:-1]) == []
    assert clashing_mnemonics(wizard) == {}
    file_page.path_edit.setFocus()
    press(qtbot, Qt.Key.Key_Return)  # Enter is 下一步: reading the file writes nothing
    assert wizard.currentPage() is wizard.mapping_page, file_page.message.text()

    # 第 2 步: the cursor is in the first column's 对应内容 box, and Tab goes down the boxes (the read-only cells of
    # the list are no stop; a table that kept Tab went cell by cell and never reached 下一步).
    mapping = wizard.mapping_page
    assert focused() is mapping.combos[0]
    walked = key_walk(qtbot, mapping.combos[0], 9)
    assert names(walked) == [
        *(f"mapping_{n}" for n in range(4)),
        "< 上一步",
        "下一步 >",
        "取消",
        "mapping_0",
        "mapping_1",
    ]
    assert backward_steps(walked[:7]) == []
    assert clashing_mnemonics(wizard) == {}
    mapping.combos[0].setFocus()
    press(qtbot, Qt.Key.Key_Return)  # Enter on a closed box is 下一步 (nothing is written yet)
    assert wizard.currentPage() is wizard.preview_page, mapping.message.text()

    # 第 3 步: 只看有问题的行 (top right), the list, then the buttons; Tab leaves the list.
    preview = wizard.preview_page
    assert focused() is preview.only_problems
    walked = key_walk(qtbot, preview.only_problems, 6)
    assert names(walked) == ["只看有问题的行", "previewTable", "< 上一步", "开始导入 1 人", "取消", "只看有问题的行"]
    assert backward_steps(walked[:-1]) == []
    assert clashing_mnemonics(wizard) == {}

    # Enter does not start the import: three Enters from the file would import a roster nobody looked at.
    before = _persons(village_db)
    for widget in (preview.only_problems, preview.table):
        widget.setFocus()
        press(qtbot, Qt.Key.Key_Return)
        assert wizard.currentPage() is preview and _persons(village_db) == before
    qtbot.keyClick(preview.table, Qt.Key.Key_B, Qt.KeyboardModifier.AltModifier)  # 上一步: Enter is 下一步 again
    qtbot.waitUntil(lambda: wizard.currentPage() is mapping)
    press(qtbot, Qt.Key.Key_Return)
    assert wizard.currentPage() is preview
    qtbot.keyClick(focused(), Qt.Key.Key_I, Qt.KeyboardModifier.AltModifier)  # 开始导入 is Alt+I
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.result_page, timeout=30_000)
    assert _persons(village_db) == before + 1

    # Esc cancels the wizard, wherever the cursor is.
    again = _shown(qtbot, ImportWizard(village_db.session_factory))
    press(qtbot, Qt.Key.Key_Escape)
    assert not again.isVisible() and again.result() == QDialog.DialogCode.Rejected


def test_import_preview_with_tiers_has_the_registration_box_in_order(
    qtbot: QtBot, village_db: VillageDb, tmp_path: Path
) -> None:
    from pensiondesk.gui.import_wizard import ImportWizard

    roster = tmp_path / "登记花名册.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["姓名", "性别", "身份证号码", "参保身份", "缴费档次"])
    sheet.append(["赵大山", "男", make_id_number(date(1971, 2, 3), 480, Sex.MALE), "011", 300])
    sheet.append(["钱错号", "女", "410522197102030000", "011", 200])
    book.save(roster)
    wizard = _shown(qtbot, ImportWizard(village_db.session_factory))
    assert isinstance(wizard, ImportWizard)
    wizard.file_page.path_edit.setText(str(roster))
    press(qtbot, Qt.Key.Key_Return)
    press(qtbot, Qt.Key.Key_Return)
    preview = wizard.preview_page
    assert wizard.currentPage() is preview
    # 只看有问题的行 (top right), 同时按表中的缴费档次录入参保登记 (the line below), the list, the buttons.
    walked = key_walk(qtbot, preview.only_problems, 7)
    assert names(walked) == [
        "只看有问题的行",
        "同时按表中的缴费档次录入参保登记（1 人）",
        "previewTable",
        "< 上一步",
        "开始导入 1 人",
        "取消",
        "只看有问题的行",
    ]
    assert backward_steps(walked[:-1]) == []
    assert clashing_mnemonics(wizard) == {}
    # Alt+G turns it off from anywhere on the page; Enter still does not start the import.
    qtbot.keyClick(preview.table, Qt.Key.Key_G, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: not preview.register_box.isChecked())  # a mnemonic clicks after a short animation
    assert focused() is preview.register_box
    before = _persons(village_db)
    preview.register_box.setFocus()
    press(qtbot, Qt.Key.Key_Return)
    assert wizard.currentPage() is preview and _persons(village_db) == before
    qtbot.keyClick(focused(), Qt.Key.Key_I, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.result_page, timeout=30_000)
    with village_db.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(Registration)) == 0
    assert wizard.result_page.registrations.text().startswith("没有录入参保登记")


def _persons(village_db: VillageDb) -> int:
    with village_db.session_factory() as session:
        return session.scalar(select(func.count()).select_from(Person)) or 0


# --- 家庭 -----------------------------------------------------------------------------------------------------------


def _member(village_db: VillageDb, relation: Relation) -> str:
    with village_db.session_factory() as session:
        person_id = session.scalars(select(Person.id).where(Person.relation == relation).order_by(Person.id)).first()
    assert person_id is not None
    return person_id


def test_household_dialog_order_and_keys(qtbot: QtBot, village_db: VillageDb) -> None:
    from pensiondesk.gui.household_view import HouseholdDialog, MoveDialog

    dialog = _shown(qtbot, HouseholdDialog(village_db.session_factory, _member(village_db, Relation.SPOUSE)))
    assert isinstance(dialog, HouseholdDialog)
    assert focused() is dialog.table  # the members, with the person it was opened for selected
    walked = key_walk(qtbot, dialog.table, 7)
    assert names(walked) == [
        "householdMembers",
        "迁入他户…",
        "设为户主…",
        "改关系…",
        "单独立户",
        "关闭",
        "householdMembers",
    ]
    assert backward_steps(walked[:-1]) == [] and reading_order_breaks(dialog) == []
    assert clashing_mnemonics(dialog) == {}
    # The head selected: 设为户主, 改关系 and 单独立户 are off, and Tab passes over them.
    dialog.table.selectRow(0)
    assert names(key_walk(qtbot, dialog.table, 4)) == ["householdMembers", "迁入他户…", "关闭", "householdMembers"]
    # Enter changes nothing (no default button: every change asks first); Esc closes.
    dialog.table.setFocus()
    press(qtbot, Qt.Key.Key_Return)
    assert dialog.isVisible() and not dialog.changed
    press(qtbot, Qt.Key.Key_Escape)
    assert not dialog.isVisible() and not dialog.changed

    move = _shown(qtbot, MoveDialog(village_db.session_factory, village_db.village_id, None))
    assert isinstance(move, MoveDialog)
    assert focused() is move.search
    walked = key_walk(qtbot, move.search, 6)
    assert names(walked) == ["查找户主", "迁入的户", "与新户主关系", "迁入", "取消", "查找户主"]
    assert backward_steps(walked[:-1]) == [] and reading_order_breaks(move) == []
    assert unlabelled_inputs(move) == [] and clashing_mnemonics(move) == {}
    press(qtbot, Qt.Key.Key_Escape)
    assert not move.isVisible() and move.result() == QDialog.DialogCode.Rejected and move.choice is None

    # Enter is 迁入 into the household chosen in the list; typed quickly after the search, it first shows what the
    # search finds (the list follows the typing after a pause) instead of taking the old list's first household.
    with village_db.session_factory() as session:
        head_name, head_id = session.execute(
            select(Person.name, Person.id_number).where(Person.id == "p-000297")
        ).one()  # the head of the last household, far down the unfiltered list
    move = _shown(qtbot, MoveDialog(village_db.session_factory, village_db.village_id, None))
    assert isinstance(move, MoveDialog)
    assert move.list.currentItem().text().split("（")[0] != head_name
    qtbot.keyClicks(move.search, head_id[-8:])
    press(qtbot, Qt.Key.Key_Return)
    assert move.isVisible() and move.choice is None
    assert [move.list.item(n).text().split("（")[0] for n in range(move.list.count())] == [head_name]
    # The relation is never assumed: Enter without one says so and puts the cursor on it; ↓ chooses, Enter moves.
    assert move.relation_combo.currentText() == "（请选择）"
    press(qtbot, Qt.Key.Key_Return)
    assert move.isVisible() and move.choice is None and focused() is move.relation_combo
    assert "请选择与新户主的关系" in move.hint.text()
    press(qtbot, Qt.Key.Key_Down)
    assert move.hint.text() == ""
    press(qtbot, Qt.Key.Key_Return)
    assert not move.isVisible() and move.result() == QDialog.DialogCode.Accepted
    assert move.choice is not None and move.choice.head_name == head_name
    assert move.relation is Relation.SPOUSE  # the first in the list, chosen by ↓


def test_relation_dialog_order_and_keys(qtbot: QtBot) -> None:
    from pensiondesk.gui.household_view import RelationDialog

    # After a head change: the suggestion is pre-selected, the cursor is on the list, ↑ ↓ choose, Enter confirms.
    dialog = _shown(
        qtbot, RelationDialog("韩颖娜", "雷杰", Relation.SPOUSE, old_head_name="雷平永", suggestion=Relation.PARENT)
    )
    assert isinstance(dialog, RelationDialog)
    assert focused() is dialog.relation_combo and dialog.relation is Relation.PARENT
    walked = key_walk(qtbot, dialog.relation_combo, 4)
    assert names(walked) == ["韩颖娜 与户主 雷杰 的关系", "确定", "取消", "韩颖娜 与户主 雷杰 的关系"]
    assert backward_steps(walked[:-1]) == [] and reading_order_breaks(dialog) == []
    assert unlabelled_inputs(dialog) == [] and clashing_mnemonics(dialog) == {}
    dialog.relation_combo.setFocus()
    press(qtbot, Qt.Key.Key_Down)
    assert dialog.relation is Relation.PARENT_IN_LAW
    press(qtbot, Qt.Key.Key_Return)
    assert not dialog.isVisible() and dialog.result() == QDialog.DialogCode.Accepted

    # Nothing to suggest: it starts empty, and Enter does not accept until a relation is chosen; Esc cancels.
    dialog = _shown(qtbot, RelationDialog("雷静芳", "雷杰", Relation.GRANDCHILD, old_head_name="雷平永"))
    assert isinstance(dialog, RelationDialog) and dialog.relation is None
    press(qtbot, Qt.Key.Key_Return)
    assert dialog.isVisible() and dialog.hint.text() == "请先选择关系"
    press(qtbot, Qt.Key.Key_Escape)
    assert not dialog.isVisible() and dialog.result() == QDialog.DialogCode.Rejected

    # A correction at any time: it starts on the current relation.
    dialog = _shown(qtbot, RelationDialog("雷静芳", "雷杰", Relation.DAUGHTER))
    assert isinstance(dialog, RelationDialog) and dialog.relation is Relation.DAUGHTER
    press(qtbot, Qt.Key.Key_Escape)
    assert not dialog.isVisible()


# --- 审核 -----------------------------------------------------------------------------------------------------------


def _register(village_db: VillageDb, count: int) -> list[str]:
    """``count`` registrations entered by alice, for residents who may enrol."""
    from pensiondesk.services import registration
    from pensiondesk.services.people_types import ServiceError

    with village_db.session_factory() as session:
        candidates = session.scalars(
            select(Person.id).where(Person.status == PersonStatus.NOT_ENROLLED).order_by(Person.id)
        ).all()
    made: list[str] = []
    for person_id in candidates:
        try:
            with village_db.session_factory() as session:
                made.append(registration.register(session, Actor("alice"), person_id, registered_on=date.today()).id)
        except ServiceError:
            continue
        if len(made) == count:
            return made
    raise AssertionError(f"only {len(made)} residents may enrol")


def test_review_dialog_tabs_read_in_order(qtbot: QtBot, village_db: VillageDb) -> None:
    from pensiondesk.gui.review_page import ReviewDialog

    first, second, _third = _register(village_db, 3)
    dialog = _shown(qtbot, ReviewDialog(village_db.session_factory, actor=lambda: Actor("bob")))
    assert isinstance(dialog, ReviewDialog)
    page = dialog.page
    assert page.select_registration(first) and page.approve_selected()  # one to 上报
    assert page.select_registration(second) and page.return_selected("身份证复印件不清楚")  # one returned
    tabs = page.tabs
    expected = {
        0: ["qt_tabwidget_tabbar", "reviewQueue", "初审通过", "退回…", "刷新", "关闭", "qt_tabwidget_tabbar"],
        1: ["qt_tabwidget_tabbar", "checkedList", "上报…", "关闭", "qt_tabwidget_tabbar"],
        2: ["qt_tabwidget_tabbar", "returnedList", "关闭", "qt_tabwidget_tabbar"],
    }
    tab_bar = tabs.tabBar()
    for index, order in expected.items():
        tabs.setCurrentIndex(index)
        walked = key_walk(qtbot, tab_bar, len(order))
        assert names(walked) == order, tabs.tabText(index)
        assert backward_steps(walked[:-1]) == [], tabs.tabText(index)
        assert clashing_mnemonics(dialog) == {}, tabs.tabText(index)
    press(qtbot, Qt.Key.Key_Escape)  # Esc closes
    assert not dialog.isVisible() and dialog.result() == QDialog.DialogCode.Rejected


def test_enter_in_the_review_dialog_decides_nothing(qtbot: QtBot, village_db: VillageDb) -> None:
    from pensiondesk.gui.review_page import ReviewDialog

    (entered,) = _register(village_db, 1)
    dialog = _shown(qtbot, ReviewDialog(village_db.session_factory, actor=lambda: Actor("bob")))
    assert isinstance(dialog, ReviewDialog)
    assert dialog.page.select_registration(entered)
    dialog.page.queue_table.setFocus()
    press(qtbot, Qt.Key.Key_Return)  # 初审通过 is Ctrl+Enter; Enter alone must not approve
    with village_db.session_factory() as session:
        stored = session.get(Registration, entered)
        assert stored is not None and stored.checked_by is None
    dialog.activateWindow()  # shortcuts go to the active window
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    qtbot.keyClick(focused(), Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)  # the deliberate key does

    def approved() -> bool:  # a button's shortcut clicks it after a short animation
        with village_db.session_factory() as session:
            stored = session.get(Registration, entered)
            return stored is not None and stored.checked_by == "bob"

    qtbot.waitUntil(approved)


# --- 设置 -----------------------------------------------------------------------------------------------------------

ADMIN_PASSWORD = "hongqi-2027"


@pytest.fixture
def admin_village(tmp_path: Path) -> Iterator[Database]:
    """An encrypted demo village with the administrator wangfang logged in (as test_users_section has it)."""
    from pensiondesk.services import accounts
    from pensiondesk.services.demo import create_demo_village
    from pensiondesk.store import cipher
    from pensiondesk.store.db import open_database

    path = tmp_path / "pensiondesk.sqlite"
    db = open_database(path)
    with db.session() as session:
        create_demo_village(session, persons=20, seed=5)
    db.close()
    accounts.setup_first_user(path, "wangfang", "王芳", ADMIN_PASSWORD)
    db, _admin = accounts.open_with_login(path, "wangfang", ADMIN_PASSWORD)
    yield db
    db.close()
    accounts.set_current_actor(None)
    cipher.forget_keys()


SETTINGS_ORDER = [
    "标准",  # 字体大小: the chosen one of the three (↑↓ move among them)
    "简体中文",  # 界面语言, likewise
    "水平偏移",
    "垂直偏移",
    "保存偏移",
    "打印校准页",
    "usersTable",
    "添加用户…",
    "停用",
    "修改我的密码…",
    "用恢复密钥重设密码…",
    "无人操作多久后自动锁定",
    "保存",
    "重新运行设置向导…",
    "立即备份",
]


def test_settings_page_reads_down_its_boxes(qtbot: QtBot, admin_village: Database, tmp_path: Path) -> None:
    from pensiondesk.gui.settings_page import SettingsPage
    from pensiondesk.services import accounts
    from pensiondesk.services.settings import TextSize

    db = admin_village
    page = SettingsPage(
        db.session,
        db.path,
        accounts.current_actor(),
        tmp_path / "printouts",
        display_folder=tmp_path,
        printer=lambda _path, name: name,
    )
    page.resize(1280, 760)  # shorter than the page: it scrolls
    _shown(qtbot, page)
    assert page.users_box.select("wangfang")
    first = page.text_size_buttons[TextSize.STANDARD]
    walked = key_walk(qtbot, first, len(SETTINGS_ORDER))
    assert names(walked) == SETTINGS_ORDER
    assert backward_steps(walked) == []
    # Tab scrolls the page to what it reaches: 立即备份 at the bottom is on screen when it has the cursor.
    assert walked[-1] is page.backup_button and not page.backup_button.visibleRegion().isEmpty()
    press(qtbot, Qt.Key.Key_Tab)
    assert focused() is first  # and round again: the scroll area around the boxes is no stop of its own
    assert clashing_mnemonics(page) == {} and unlabelled_inputs(page) == []


def test_user_dialogs_order_esc_and_enter(qtbot: QtBot, admin_village: Database, tmp_path: Path) -> None:
    from pensiondesk.gui.users_section import UsersBox
    from pensiondesk.services import accounts

    db = admin_village
    box = UsersBox(db.session, db.path, accounts.current_actor())
    qtbot.addWidget(box)
    expected = {
        "open_add_user": ["用户名", "姓名", "角色", "初始密码", "再输一遍", "确定", "取消", "用户名"],
        "open_change_password": ["现在的密码", "新密码", "再输一遍", "确定", "取消", "现在的密码"],
        "open_recovery_reset": ["恢复密钥", "用户名", "新密码", "再输一遍", "确定", "取消", "恢复密钥"],
    }
    for opener, order in expected.items():
        dialog = _shown(qtbot, getattr(box, opener)(show=False))
        first = dialog.focusWidget() or focused()
        assert name_of(first) == order[0], opener  # opens in its first field
        walked = key_walk(qtbot, first, len(order))
        assert names(walked) == order, opener
        assert backward_steps(walked[:-1]) == [] and reading_order_breaks(dialog) == [], opener
        assert clashing_mnemonics(dialog) == {} and unlabelled_inputs(dialog) == [], opener
        # Enter is 确定: with nothing filled in it is refused in the dialog, which stays open.
        first.setFocus()
        press(qtbot, Qt.Key.Key_Return)
        problem = dialog.findChild(QLabel, "formProblem")
        assert dialog.isVisible() and problem is not None and problem.text(), opener
        press(qtbot, Qt.Key.Key_Escape)
        assert not dialog.isVisible() and dialog.result() == QDialog.DialogCode.Rejected, opener
    assert [user.username for user in box.users] == ["wangfang"]


# --- 收款 -----------------------------------------------------------------------------------------------------------


def test_collect_tab_id_tier_payer_channel_amount_then_collect(
    qtbot: QtBot, village_db: VillageDb, tmp_path: Path
) -> None:
    from pensiondesk.gui.money_page import MoneyPage
    from pensiondesk.services.receipts import open_book, register_book

    actor = Actor("wanghong", display_name="王红")
    with village_db.session_factory() as session:
        id_number = session.scalars(
            select(Person.id_number)
            .where(
                Person.status == PersonStatus.CONTRIBUTING,
                Person.birth_date > date(1967, 1, 1),
                Person.birth_date < date(2000, 1, 1),
            )
            .order_by(Person.id)
        ).first()
        book = register_book(session, actor, series="HQ2026", start_no=1, end_no=100, issued_on=date.today())
        open_book(session, actor, book.id)
    assert id_number is not None
    page = MoneyPage(village_db.session_factory, actor, tmp_path, printer=lambda _path, name: name)
    page.resize(1280, 800)
    _shown(qtbot, page)
    collect = page.collect_tab
    assert focused() is collect.id_box
    today = ["今天开具的收据", "作废原因", "作废", "换开", "重打", "qt_tabwidget_tabbar", "身份证号"]
    # Before anyone is looked up the payment form is off and Tab goes from the ID to today's receipts.
    assert names(key_walk(qtbot, collect.id_box, 9)) == ["身份证号", "缴费年度", *today]

    collect.id_box.setText(id_number)
    collect.id_box.setFocus()
    press(qtbot, Qt.Key.Key_Return)
    assert focused() is collect.tier_combo, collect.message_label.text()
    form = ["缴费档次", "缴费人", "缴费渠道", "实收金额", "收款并打印收据"]
    walked = key_walk(qtbot, collect.id_box, 14)
    # 代缴人姓名 is off while 本人 pays, and 补缴审批 for this year: Tab passes over both.
    assert names(walked) == ["身份证号", "缴费年度", *form, *today]
    assert backward_steps(walked[:12]) == []  # down to 重打; the tab bar above is the wrap
    assert clashing_mnemonics(collect) == {} and unlabelled_inputs(collect) == []

    collect.payer_combo.setCurrentIndex(1)  # 亲属代缴: the payer's name is asked for, right of 缴费人
    assert focused() is collect.payer_name
    walked = key_walk(qtbot, collect.tier_combo, 6)
    assert names(walked) == ["缴费档次", "缴费人", "payerName", "缴费渠道", "实收金额", "收款并打印收据"]
    assert backward_steps(walked) == []
    collect.payer_combo.setCurrentIndex(0)  # 本人 again: passed over again
    assert names(key_walk(qtbot, collect.tier_combo, 3)) == ["缴费档次", "缴费人", "缴费渠道"]


# --- opened by their keys from the person list ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "opened", "first"),
    [
        (Qt.Key.Key_H, "HouseholdDialog", "householdMembers"),
        (Qt.Key.Key_R, "ReviewDialog", "qt_tabwidget_tabbar"),
        (Qt.Key.Key_I, "ImportWizard", "importPath"),
    ],
)
def test_the_person_list_keys_open_each_dialog_at_its_first_stop_and_esc_comes_back(
    qtbot: QtBot, qapp: QApplication, village_db: VillageDb, key: Qt.Key, opened: str, first: str
) -> None:
    """Ctrl+H 家庭, Ctrl+R 审核, Ctrl+I 导入花名册 from the list: the dialog has the cursor at the top of its Tab
    order, and Esc gives the list back its cursor."""
    from pensiondesk.gui.app import build_main_window, install_bundled_font

    install_bundled_font(qapp)
    window = build_main_window(village_db.session_factory, village_db.path)
    window.resize(1366, 740)
    _shown(qtbot, window)  # as test_tab_order's window
    page = window.person_page
    actions = page.person_actions
    assert actions.select_person(_member(village_db, Relation.SPOUSE))
    before = actions.last_dialog
    seen: list[str] = []

    def in_dialog() -> None:
        dialog = actions.last_dialog
        if dialog is None or dialog is before or not dialog.isVisible():
            QTimer.singleShot(10, in_dialog)
            return
        try:
            qtbot.waitUntil(dialog.isActiveWindow)
            seen.extend([type(dialog).__name__, name_of(focused())])
            press(qtbot, Qt.Key.Key_Escape)
            seen.append("open" if dialog.isVisible() else "closed")
        finally:
            for widget in QApplication.topLevelWidgets():  # never leave a modal open: the test would hang
                if isinstance(widget, QDialog) and widget.isVisible():
                    widget.reject()

    page.table.setFocus(Qt.FocusReason.OtherFocusReason)
    QTimer.singleShot(0, in_dialog)
    qtbot.keyClick(page.table, key, Qt.KeyboardModifier.ControlModifier)
    assert seen == [opened, first, "closed"]
    # The window keeps the list as its focus child: it has the cursor again as soon as the window is active (the
    # offscreen platform used here does not re-activate the window a modal dialog closed over).
    assert window.focusWidget() is page.table
