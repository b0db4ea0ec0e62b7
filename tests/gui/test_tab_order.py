"""Tab order (Tab 键顺序): every form is walked with Tab from its first field, and the fields must come in reading
order (top to bottom, left to right, the main action after the fields), so an edit that breaks it fails here.

Widgets are named by their label (the buddy text without its mnemonic and colon), else their objectName, else their
text, so the expected lists read like the form itself. Each surface is also checked for clashing Alt mnemonics.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from PySide6.QtWidgets import QAbstractButton, QAbstractSpinBox
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from pensiondesk.domain.codes import Sex
from pensiondesk.gui.app import build_main_window, install_bundled_font
from pensiondesk.gui.main_window import MainWindow, manual_path
from pensiondesk.gui.manual_viewer import ManualViewer
from pensiondesk.gui.person_form import KeyFieldDialog, PersonForm
from pensiondesk.gui.qt import QApplication, QComboBox, QGroupBox, QLabel, QLineEdit, QSpinBox, Qt, QWidget
from pensiondesk.services.person_queries import person_detail
from pensiondesk.store.models import Person

from .conftest import make_id_number

if TYPE_CHECKING:
    from .conftest import VillageDb

pytestmark = pytest.mark.gui

_MNEMONIC = re.compile(r"&([^&])")


def _clean(text: str) -> str:
    text = re.sub(r"\(&.\)", "", text).replace("&", "")
    return text.strip().rstrip("：:").strip()


def name_of(widget: QWidget) -> str:
    """How the coordinator would name the widget: its label, else its objectName, else its own text."""
    if isinstance(widget, QAbstractButton) and widget.text().strip():
        return _clean(widget.text())  # buttons and check boxes name themselves
    window = widget.window()
    for label in window.findChildren(QLabel):
        if label.buddy() is widget and label.text().strip():
            return _clean(label.text())
    return widget.objectName() or type(widget).__name__


def tab_walk(start: QWidget, steps: int) -> list[str]:
    """Focus ``start``, then press Tab ``steps`` times (focusNextChild, as Tab does); the names in that order."""
    window = start.window()
    window.activateWindow()
    start.setFocus(Qt.FocusReason.TabFocusReason)
    QApplication.processEvents()
    names = []
    for _ in range(steps):
        focused = QApplication.focusWidget()
        assert focused is not None, names
        names.append(name_of(focused))
        window.focusNextChild()
        QApplication.processEvents()
    return names


def clashing_mnemonics(surface: QWidget) -> dict[str, list[str]]:
    """Alt letters used twice among the visible buttons, labels with a buddy and group boxes of ``surface``."""
    found: dict[str, list[str]] = {}
    for widget in surface.findChildren(QWidget):
        if not widget.isVisibleTo(surface):
            continue
        if isinstance(widget, QAbstractButton) or (isinstance(widget, QLabel) and widget.buddy() is not None):
            text = widget.text()
        elif isinstance(widget, QGroupBox):
            text = widget.title()
        else:
            continue
        match = _MNEMONIC.search(text.replace("&&", ""))
        if match:
            found.setdefault(match.group(1).upper(), []).append(text)
    return {letter: texts for letter, texts in found.items() if len(texts) > 1}


def unlabelled_inputs(surface: QWidget) -> list[str]:
    """Visible input fields that no label names: neither a label's buddy nor (where one label heads a row of
    several fields, such as 日期/方式/结果) given an accessible name for a screen reader."""
    buddies = {label.buddy() for label in surface.findChildren(QLabel) if label.buddy() is not None}
    missing = []
    for widget in surface.findChildren(QWidget):
        if not isinstance(widget, (QLineEdit, QComboBox, QSpinBox)) or not widget.isVisibleTo(surface):
            continue
        if isinstance(widget, QLineEdit) and isinstance(widget.parent(), (QComboBox, QAbstractSpinBox)):
            continue  # the editor inside a combo box or spin box
        if widget not in buddies and not widget.accessibleName():
            missing.append(widget.objectName() or type(widget).__name__)
    return missing


# --- fixtures -------------------------------------------------------------------------------------------------------


@pytest.fixture
def window(qtbot: QtBot, qapp: QApplication, village_db: VillageDb) -> Iterator[MainWindow]:
    install_bundled_font(qapp)
    win = build_main_window(village_db.session_factory, village_db.path)
    qtbot.addWidget(win)
    win.resize(1366, 740)
    win.show()
    qtbot.waitExposed(win)
    yield win


def _shown(qtbot: QtBot, dialog: QWidget) -> QWidget:
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    return dialog


# --- the forms ------------------------------------------------------------------------------------------------------

PERSON_FIELDS = [
    "姓名",
    "公民身份号码",
    "性别",
    "出生日期",
    "民族",
    "联系电话",
    "户籍所在地",
    "居住地址",
    "村民小组",
    "与户主关系",
    "户主姓名",
    "户主身份证号",
]
PERSON_FLAGS = [
    "户籍在本村",
    "全日制学生",
    "已参加职工养老保险",
    "享受其他国家养老保障",
    "机关事业单位在编",
    "外出务工",
]


def test_new_person_form_reads_down_the_left_column_then_the_right(qtbot: QtBot, village_db: VillageDb) -> None:
    form = _shown(qtbot, PersonForm(village_db.session_factory))
    assert isinstance(form, PersonForm)
    assert QApplication.focusWidget() is form.name_edit  # the form opens in its first field
    form.name_edit.setText("欧阳新华")
    form.id_edit.setText(make_id_number(date(1975, 3, 8), 401, Sex.MALE))
    form.validate_now()
    assert form.save_button.isEnabled()  # 保存 takes focus only once the form can be saved
    categories = [_clean(box.text()) for box in form.category_boxes.values()]
    expected = [*PERSON_FIELDS, *categories, *PERSON_FLAGS, "保存", "取消"]
    assert tab_walk(form.name_edit, len(expected) + 1) == [*expected, "姓名"]  # and Tab comes round again
    assert clashing_mnemonics(form) == {}
    assert unlabelled_inputs(form) == []
    # Alt+letter jumps to a field from anywhere in the form.
    for letter, widget in ((Qt.Key.Key_P, form.phone_edit), (Qt.Key.Key_U, form.head_id_edit)):
        qtbot.keyClick(form.name_edit, letter, Qt.KeyboardModifier.AltModifier)
        assert QApplication.focusWidget() is widget


def test_editing_a_person_keeps_the_order_and_ends_with_the_key_field_button(
    qtbot: QtBot, village_db: VillageDb
) -> None:
    with village_db.session_factory() as session:
        person_id = session.scalars(select(Person.id).order_by(Person.id)).first()
    form = _shown(qtbot, PersonForm(village_db.session_factory, person_id))
    assert isinstance(form, PersonForm)
    walked = tab_walk(form.name_edit, 40)
    # Key fields that cannot be typed into when editing (性别) are passed over; the rest keep their order.
    editable = [
        title for title, widget in zip(PERSON_FIELDS, form.field_widgets.values(), strict=True) if widget.isEnabled()
    ]
    assert "性别" not in editable and len(editable) >= 8
    assert walked[: len(editable)] == editable
    tail = walked[walked.index("外出务工") + 1 :][:3]
    assert tail == ["修改关键信息…", "保存", "取消"]  # the bottom row, left to right
    assert clashing_mnemonics(form) == {}


def test_key_field_dialog_order(qtbot: QtBot, village_db: VillageDb) -> None:
    with village_db.session_factory() as session:
        person_id = session.scalars(select(Person.id).order_by(Person.id)).first()
        assert person_id is not None
        detail = person_detail(session, person_id)
    dialog = _shown(qtbot, KeyFieldDialog(village_db.session_factory, detail))
    assert isinstance(dialog, KeyFieldDialog)
    walked = tab_walk(dialog.field_combo, 6)
    assert walked == ["要修改的项目", "改为", "变更原因", "证明材料编号", "确认修改", "取消"]
    assert clashing_mnemonics(dialog) == {}


def test_registration_dialog_order(qtbot: QtBot, village_db: VillageDb) -> None:
    from pensiondesk.gui.qt import QDialog
    from pensiondesk.gui.registration_dialog import RegistrationDialog

    with village_db.session_factory() as session:
        person_id = session.scalars(select(Person.id).order_by(Person.id)).first()
    assert person_id is not None
    dialog = _shown(qtbot, RegistrationDialog(village_db.session_factory, person_id))
    assert isinstance(dialog, RegistrationDialog)
    assert QApplication.focusWidget() is dialog.date_edit  # the dialog opens in its first field
    walked = tab_walk(dialog.date_edit, 6)
    assert walked == ["登记日期", "参保身份", "缴费档次", "登记", "取消", "登记日期"]
    assert clashing_mnemonics(dialog) == {}
    assert unlabelled_inputs(dialog) == []
    assert reading_order_breaks(dialog) == []
    focused = QApplication.focusWidget()
    assert focused is not None
    qtbot.keyClick(focused, Qt.Key.Key_Escape)  # Esc cancels
    assert not dialog.isVisible() and dialog.result() == QDialog.DialogCode.Rejected


def test_manual_viewer_order(qtbot: QtBot) -> None:
    path = manual_path()
    assert path is not None
    viewer = _shown(qtbot, ManualViewer(path))
    assert isinstance(viewer, ManualViewer)
    walked = tab_walk(viewer.find_box, 11)
    assert walked == [
        "查找",
        "下一处",
        "上一处",
        "字大一点",
        "字小一点",
        "打印…",
        "存为 PDF…",
        "关闭",
        "manualToc",
        "manualText",
        "查找",
    ]
    assert clashing_mnemonics(viewer) == {}


def test_person_page_filters_then_actions_then_list(window: MainWindow) -> None:
    page = window.person_page
    walked = tab_walk(page.search_box, 16)
    assert walked == [
        "查找：姓名、身份证号或拼音首字母",
        "村民小组",
        "参保状态",
        "参保身份",
        "即将到龄（3个月内）",
        "材料未交齐",
        "关系待核对",
        "新增人员（Ctrl+N）",
        "修改（回车）",
        "家庭（Ctrl+H）",
        "参保登记（Ctrl+G）",
        "导入花名册…（Ctrl+I）",
        "导出花名册…（Ctrl+E）",
        "审核（Ctrl+R）",
        "疑似重复（Ctrl+D）",
        "personTable",
    ]


def test_every_page_and_tab_has_unique_mnemonics_and_labelled_fields(window: MainWindow) -> None:
    from pensiondesk.gui.qt import QTabWidget

    clashes: dict[str, dict[str, list[str]]] = {}
    unlabelled: dict[str, list[str]] = {}
    for index in range(window.navigation.count()):
        page = window.page(index)
        window.show_page(index)
        QApplication.processEvents()
        surfaces: list[tuple[str, QWidget]] = [(window.navigation.item(index).text(), page)]
        for tabs in page.findChildren(QTabWidget):
            for tab in range(tabs.count()):
                tabs.setCurrentIndex(tab)
                QApplication.processEvents()
                surfaces.append((f"{window.navigation.item(index).text()}/{tabs.tabText(tab)}", tabs.widget(tab)))
        for name, surface in surfaces:
            if found := clashing_mnemonics(surface):
                clashes[name] = found
            if missing := unlabelled_inputs(surface):
                unlabelled[name] = missing
    assert clashes == {}
    assert unlabelled == {}


def test_money_books_and_day_close_tabs(qtbot: QtBot, village_db: VillageDb, tmp_path: Path) -> None:
    from pensiondesk.gui.money_page import MoneyPage
    from pensiondesk.services.recording import Actor

    page = MoneyPage(village_db.session_factory, Actor("wanghong"), tmp_path, printer=lambda _path, name: name)
    page.resize(1280, 800)
    _shown(qtbot, page)
    page.tabs.setCurrentWidget(page.books_tab)
    assert tab_walk(page.books_tab.series_edit, 20) == [
        "字轨",
        "起始号码",
        "终止号码",
        "登记并启用",
        "booksTable",
        "启用",
        "结本",
        "对账",
        "核销",
        "bookReason",
        "lostNumber",
        "遗失登记",
        "reconcileReport",
        "bookReceipts",
        "水平偏移",
        "垂直偏移",
        "保存偏移",
        "打印校准页",
        "收据用套打方式打印（县里预印的收据纸）",
        "qt_tabwidget_tabbar",
    ]
    page.tabs.setCurrentIndex(2)
    day_close = page.tabs.currentWidget()
    cash = next(edit for edit in day_close.findChildren(QLineEdit) if name_of(edit) == "实交现金")
    # Round from the cash field: the tab bar and the date above come before the cash field again.
    walked = tab_walk(cash, 8)
    assert walked == [
        "实交现金",
        "差额说明",
        "日结并打印交款单",
        "打印交款单",
        "qt_tabwidget_tabbar",
        "日期",
        "dayTable",
        "实交现金",
    ]
    for index in range(page.tabs.count()):
        page.tabs.setCurrentIndex(index)
        assert clashing_mnemonics(page.tabs.widget(index)) == {}, page.tabs.tabText(index)


def test_death_report_dialog_and_survival_entry(qtbot: QtBot, village_db: VillageDb) -> None:
    from pensiondesk.gui.pensioners_page import DeathReportDialog, PensionersPage
    from pensiondesk.gui.qt import QDialogButtonBox
    from pensiondesk.services.recording import Actor

    page = PensionersPage(village_db.session_factory, today=lambda: date(2026, 11, 20), actor=lambda: Actor("wang"))
    page.resize(1200, 800)
    _shown(qtbot, page)
    page.tabs.setCurrentWidget(page.survival)
    assert tab_walk(page.survival.state, 16) == [
        "survivalState",
        "GroupChooser",
        "刷新",
        "逾期人员标记为待暂停",
        "survivalTable",
        "查找",
        "日期/方式/结果",
        "QComboBox",  # 认证方式, on the same row
        "QComboBox",  # 认证结果
        "认证人",
        "见证人",
        "附件",
        "选择…",
        "登记所选人员的认证",
        "survivalMessages",
        "qt_tabwidget_tabbar",
    ]
    dialog = DeathReportDialog(page, date(2026, 11, 20))
    _shown(qtbot, dialog)
    buttons = dialog.findChild(QDialogButtonBox)
    assert buttons is not None
    ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
    cancel = buttons.button(QDialogButtonBox.StandardButton.Cancel)
    assert tab_walk(dialog.id_number, 15) == [
        "身份证号",
        "死亡日期",
        "报告日期",
        "信息来源",
        "证明材料",
        "已发放至",
        "月养老金（元）",
        "死亡时正在服刑",
        "已享受其他丧葬补助",
        "继承人姓名",
        "继承人身份证号",
        "银行卡（社保卡）号",
        name_of(ok),
        name_of(cancel),
        "身份证号",
    ]
    assert ok.isDefault() or ok.autoDefault()  # Enter submits; Esc is QDialog's reject


def reading_order_breaks(dialog: QWidget) -> list[str]:
    """Walk Tab once round ``dialog`` and list every step that goes back up or to the left on the same line.

    One step back to the top is allowed: the wrap from the last button to the first field.
    """
    dialog.activateWindow()
    dialog.focusNextChild()
    QApplication.processEvents()
    start = QApplication.focusWidget()
    assert start is not None
    steps: list[tuple[str, int, int, int]] = []  # name, top, bottom, left
    focused: QWidget | None = start
    for _ in range(60):
        assert focused is not None
        corner = focused.mapTo(dialog, focused.rect().topLeft())
        steps.append((name_of(focused), corner.y(), corner.y() + focused.height(), corner.x()))
        dialog.focusNextChild()
        QApplication.processEvents()
        focused = QApplication.focusWidget()
        if focused is start:
            break
    # Rotate so that the walk starts at the top-left widget, then every step must go right or down.
    first = min(range(len(steps)), key=lambda i: (steps[i][1], steps[i][3]))
    ordered = steps[first:] + steps[:first]
    breaks = []
    for (name_a, top_a, bottom_a, left_a), (name_b, top_b, _bottom_b, left_b) in itertools.pairwise(ordered):
        same_line = top_b < bottom_a and top_a < top_b + (bottom_a - top_a)
        if top_b < top_a - 4 or (same_line and abs(top_b - top_a) < 4 and left_b < left_a):
            breaks.append(f"{name_a} → {name_b}")
    return breaks


def test_small_dialogs_follow_reading_order(qtbot: QtBot) -> None:
    from pensiondesk.gui.household_view import NewHeadDialog
    from pensiondesk.gui.notices_page import ObjectionDialog
    from pensiondesk.gui.pensioners_page import BenefitAnswerDialog, HeirDialog
    from pensiondesk.gui.qt import QDialog
    from pensiondesk.gui.review_page import ReturnReasonDialog
    from pensiondesk.gui.sync_page import EnrolDialog

    parent = QWidget()
    qtbot.addWidget(parent)
    dialogs: list[QWidget] = [
        HeirDialog(parent),
        BenefitAnswerDialog(parent, date(2026, 11, 20)),
        ObjectionDialog(parent, date(2026, 11, 20)),
        NewHeadDialog("张三", parent),
        ReturnReasonDialog("李四", parent),
        EnrolDialog(parent),
    ]
    found = {}
    for dialog in dialogs:
        _shown(qtbot, dialog)
        if breaks := reading_order_breaks(dialog):
            found[type(dialog).__name__] = breaks
        if clashes := clashing_mnemonics(dialog):
            found[type(dialog).__name__ + " mnemonics"] = [str(clashes)]
        focused = QApplication.focusWidget()
        assert focused is not None
        qtbot.keyClick(focused, Qt.Key.Key_Escape)  # Esc cancels, wherever the cursor is
        if dialog.isVisible() or dialog.result() != QDialog.DialogCode.Rejected:
            found[type(dialog).__name__ + " Esc"] = ["Esc did not cancel"]
            dialog.close()
    assert found == {}


def test_the_reading_order_check_catches_a_wrong_order(qtbot: QtBot) -> None:
    """The check above is only worth something if it fails on a form whose Tab jumps back up."""
    from pensiondesk.gui.qt import QDialog, QFormLayout, QPushButton

    dialog = QDialog()
    form = QFormLayout(dialog)
    first, second, third = QLineEdit(), QLineEdit(), QLineEdit()
    for title, edit in (("甲(&A)：", first), ("乙(&B)：", second), ("丙(&C)：", third)):
        form.addRow(title, edit)
    form.addRow(QPushButton("确定"))
    _shown(qtbot, dialog)
    assert reading_order_breaks(dialog) == []
    QWidget.setTabOrder(first, third)
    QWidget.setTabOrder(third, second)
    assert reading_order_breaks(dialog) == ["丙 → 乙"]


def test_print_page_tabs_read_the_form_then_the_preview_then_the_history(window: MainWindow) -> None:
    from pensiondesk.gui.qt import QTabWidget

    page = window.page(3)
    window.show_page(3)
    tabs = page.findChildren(QTabWidget)[0]
    tabs.setCurrentIndex(1)  # 通知/宣传单
    QApplication.processEvents()
    editor = tabs.widget(1)
    kind = next(box for box in editor.findChildren(QComboBox) if name_of(box) == "种类")
    walked = tab_walk(kind, 22)
    form = walked[: walked.index("正文") + 1]
    assert form[:3] == ["种类", "年度", "张贴通知（A4 大字）"] and form[-4:] == ["按模板生成", "标题", "称呼", "正文"]
    # Right-hand side, top to bottom: the preview's buttons (those enabled), the preview itself, then the history
    # and its button.
    right = walked[walked.index("正文") + 1 :]
    preview = right.index("pdfPreview")
    assert right[preview : preview + 3] == ["pdfPreview", "historyTable", "查看所选记录"]
    assert set(right[:preview]) <= {"预览", "打印…", "另存为PDF…"} and "预览" in right[:preview]
    tabs.setCurrentIndex(0)  # 公示名单: the left column, then the preview on the right
    QApplication.processEvents()
    notices = tabs.widget(0)
    kind = next(box for box in notices.findChildren(QComboBox) if name_of(box) == "公示种类")
    walked = tab_walk(kind, 13)
    assert walked == [
        "公示种类",
        "期间",
        "村民小组",
        "张贴日期",
        "公示天数",
        "姓名第二个字显示为 *",
        "纸张",
        "生成公示",
        "noticeList",
        "登记异议…",
        "登记处理结果…",
        "objectionList",
        walked[-1],
    ]
    assert walked[-1] in {"pdfPreview", "QPdfView"}
