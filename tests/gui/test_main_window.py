"""The main window (主窗口): title, status bar, search, keyboard, placeholder pages, what it looks like."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from pytestqt.qtbot import QtBot

from pensiondesk.gui.app import build_main_window, install_bundled_font
from pensiondesk.gui.main_window import SEARCH_DEBOUNCE_MS, MainWindow, PersonPage, PlaceholderPage
from pensiondesk.gui.person_model import Column
from pensiondesk.gui.qt import QApplication, QColor, QFontInfo, QFontMetrics, QImage, QLabel, Qt

if TYPE_CHECKING:
    from .conftest import VillageDb

pytestmark = pytest.mark.gui

PAGE_TITLES = ["人员/登记", "缴费/票据", "待遇/认证", "公示/打印", "报表", "同步", "设置"]


@pytest.fixture
def window(qtbot: QtBot, qapp: QApplication, village_db: VillageDb) -> Iterator[MainWindow]:
    install_bundled_font(qapp)
    win = build_main_window(village_db.session_factory, village_db.path)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow)
    yield win


def person_page(win: MainWindow) -> PersonPage:
    return win.person_page


def test_title_names_the_village(window: MainWindow) -> None:
    assert window.windowTitle() == "城乡居保村级工作台 — 红旗村"


def test_status_bar_shows_village_database_and_sync(qtbot: QtBot, window: MainWindow, village_db: VillageDb) -> None:
    labels = {label.objectName(): label for label in window.statusBar().findChildren(QLabel)}
    assert labels["villageLabel"].text() == "村：红旗村（城关镇）"
    assert labels["databaseLabel"].text() == "数据库：village.db"
    assert labels["databaseLabel"].toolTip() == str(village_db.path.resolve())
    # The sync page is built just after the window opens and then fills the field (tests/gui/test_sync_page.py).
    qtbot.waitUntil(lambda: labels["syncLabel"].text() == "同步：未登记县级服务器", timeout=5000)
    assert all(label.isVisible() for label in labels.values())
    window.set_sync_status("同步：今天 09:30 已同步")
    assert labels["syncLabel"].text() == "同步：今天 09:30 已同步"


def test_navigation_lists_every_page(window: MainWindow) -> None:
    items = [window.navigation.item(row).text() for row in range(window.navigation.count())]
    assert items == PAGE_TITLES
    assert window.current_page == 0
    assert person_page(window).count_label.text() == "共 300 人"


def test_view_menu_shows_the_page_shortcuts(window: MainWindow) -> None:
    view_menu = next(a.menu() for a in window.menuBar().actions() if a.text().startswith("视图"))
    shortcuts = {a.text(): a.shortcut().toString() for a in view_menu.actions() if not a.isSeparator()}
    for number, title in enumerate(PAGE_TITLES, start=1):
        assert shortcuts[title] == f"Alt+{number}"
    assert shortcuts["查找人员"] == "Ctrl+F"
    assert shortcuts["刷新"] == "F5"
    menus = [a.text() for a in window.menuBar().actions()]
    assert menus == ["文件(&F)", "视图(&V)", "帮助(&H)"]


def test_typing_in_the_search_box_filters_after_a_pause(qtbot: QtBot, window: MainWindow) -> None:
    page = person_page(window)
    qtbot.keyClicks(page.search_box, "zsf")
    # Nothing is queried while the coordinator is still typing …
    assert page.model.rowCount() == 300
    # … and shortly after the last key the list shows only the matches.
    qtbot.waitUntil(lambda: page.model.rowCount() < 300, timeout=SEARCH_DEBOUNCE_MS * 20)
    names = [page.model.data(page.model.index(r, Column.NAME)) for r in range(page.model.rowCount())]
    assert "张三丰" in names
    assert page.count_label.text() == f"找到 {len(names)} 人（共 300 人）"


def test_no_match_says_so(qtbot: QtBot, window: MainWindow) -> None:
    page = person_page(window)
    page.search_box.insert("欧阳")  # Chinese arrives through the input method, not as key presses
    qtbot.waitUntil(lambda: page.model.rowCount() == 0)
    assert page.count_label.text() == "没有找到符合条件的人员"


@pytest.mark.parametrize("key", [Qt.Key.Key_Return, Qt.Key.Key_Down])
def test_enter_or_down_moves_into_the_list(qtbot: QtBot, window: MainWindow, key: Qt.Key) -> None:
    page = person_page(window)
    assert page.search_box.hasFocus()
    page.search_box.insert("张三")
    qtbot.keyClick(page.search_box, key)  # applies the search at once, no waiting for the pause
    assert page.model.filter.text == "张三"
    assert page.table.hasFocus()
    assert page.table.currentIndex().row() == 0
    # Up on the first row goes back to the search box.
    qtbot.keyClick(page.table, Qt.Key.Key_Up)
    assert page.search_box.hasFocus()


def test_escape_clears_the_search(qtbot: QtBot, window: MainWindow) -> None:
    page = person_page(window)
    page.search_box.insert("张")
    qtbot.keyClick(page.search_box, Qt.Key.Key_Escape)
    assert page.search_box.text() == ""
    qtbot.waitUntil(lambda: page.model.rowCount() == 300)


def test_alt_number_switches_pages(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.AltModifier)
    assert window.current_page == 2
    assert window.navigation.currentRow() == 2
    page = window.stack.currentWidget()
    assert page is window.pensioners_page  # 待遇/认证: tests/gui/test_pensioners_page.py
    assert page.isVisible()
    qtbot.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.AltModifier)
    assert window.current_page == 0


def test_placeholder_pages_say_what_will_be_there(qtbot: QtBot, window: MainWindow) -> None:
    for row in range(1, len(PAGE_TITLES)):
        window.navigation.setCurrentRow(row)
        page = window.stack.currentWidget()
        working = {
            "公示/打印": "print_page",
            "待遇/认证": "pensioners_page",
            "报表": "reports_page",
            "缴费/票据": "money_page",
            "同步": "sync_page",
            "设置": "settings_page",
        }
        if PAGE_TITLES[row] in working:  # working pages now, each with its own tests under tests/gui/
            assert window.current_page == row and page is getattr(window, working[PAGE_TITLES[row]])
            continue
        assert isinstance(page, PlaceholderPage)
        assert page.isVisible()
        assert page.purpose_label.text().startswith("这里将用于")
        assert page.availability_label.text().endswith("功能将在后续版本提供，目前尚不能使用。")
        assert window.current_page == row


def test_ctrl_f_goes_back_to_the_search_box(qtbot: QtBot, window: MainWindow) -> None:
    page = person_page(window)
    page.search_box.setText("王")
    window.show_page(4)
    qtbot.keyClick(window.stack.currentWidget(), Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.current_page == 0
    assert page.search_box.hasFocus()
    assert page.search_box.selectedText() == "王"


def test_f5_shows_persons_added_meanwhile(qtbot: QtBot, window: MainWindow, village_db: VillageDb) -> None:
    page = person_page(window)
    page.table.selectRow(10)
    selected = page.model.person_id(10)
    village_db.add_persons(3, start=300)
    qtbot.keyClick(page.table, Qt.Key.Key_F5)
    assert page.model.rowCount() == 303
    assert page.count_label.text() == "共 303 人"
    assert page.model.person_id(page.table.currentIndex().row()) == selected


def test_bundled_font_is_the_application_font(window: MainWindow, qapp: QApplication) -> None:
    assert QFontInfo(qapp.font()).family() == "WenQuanYi Micro Hei"
    assert QFontMetrics(qapp.font()).inFontUcs4(ord("缴"))
    assert qapp.font().pointSizeF() == 12.0


def test_screenshot_is_not_blank(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    window.resize(1280, 800)
    qtbot.wait(50)
    path = tmp_path / "main-window.png"
    assert window.grab().save(str(path))
    image = QImage(str(path))
    assert not image.isNull()
    assert (image.width(), image.height()) == (1280, 800)
    colours = {
        QColor(image.pixel(x, y)).rgb()
        for x in range(0, image.width(), 7)
        for y in range(0, image.height(), 7)
    }
    assert len(colours) > 20  # text, header, selection and grid, not one flat colour


def test_no_page_mnemonic_is_taken_by_the_menu_bar(window: MainWindow) -> None:
    """Alt+letter on a page must reach the page: the menu bar's 文件(F)/视图(V)/帮助(H) win over any page mnemonic."""
    import re

    from PySide6.QtWidgets import QAbstractButton, QGroupBox, QTabBar

    mnemonic = re.compile(r"&(\w)")
    menu_letters = {m.group(1).upper() for a in window.menuBar().actions() if (m := mnemonic.search(a.text()))}
    assert menu_letters == {"F", "V", "H"}
    clashes = []
    for index in range(len(PAGE_TITLES)):
        page = window.page(index)
        texts = [w.text() for w in page.findChildren(QAbstractButton)]
        texts += [w.text() for w in page.findChildren(QLabel) if w.buddy() is not None]
        texts += [w.title() for w in page.findChildren(QGroupBox)]
        texts += [bar.tabText(i) for bar in page.findChildren(QTabBar) for i in range(bar.count())]
        for text in texts:
            found = mnemonic.search(text.replace("&&", ""))
            if found and found.group(1).upper() in menu_letters:
                clashes.append((PAGE_TITLES[index], text))
    assert clashes == []


def test_the_daily_backup_is_made_off_the_gui_thread_once_a_day(
    qtbot: QtBot, window: MainWindow, village_db: VillageDb
) -> None:
    backups = village_db.path.parent / "backups"
    window.start_daily_backup()
    qtbot.waitUntil(lambda: "已自动备份" in window.statusBar().currentMessage(), timeout=20_000)
    (made,) = [p for p in backups.glob("*-daily-*.sqlite")]
    assert made.stat().st_size > 0
    window.statusBar().clearMessage()
    window.start_daily_backup()  # the same day again: nothing new, nothing said
    assert window._daily_backup is not None
    qtbot.waitUntil(lambda: not window._daily_backup.isRunning(), timeout=20_000)  # type: ignore[union-attr]
    assert [p for p in backups.glob("*-daily-*.sqlite")] == [made]
    assert window.statusBar().currentMessage() == ""


def test_a_missing_manual_says_where_to_find_it(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from pensiondesk.gui import main_window
    from pensiondesk.gui.qt import QDesktopServices, QMessageBox

    shown: list[str] = []
    monkeypatch.setattr(main_window, "manual_candidates", lambda name="": [tmp_path / "docs" / "manual.zh.md"])
    monkeypatch.setattr(QMessageBox, "information", lambda _parent, _title, text, *_args: shown.append(text))
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda _url: pytest.fail("nothing to open"))
    assert not window.open_manual()
    assert window.manual_viewer is None
    assert len(shown) == 1 and "没有找到使用手册" in shown[0] and "docs 文件夹" in shown[0]
    assert str(tmp_path / "docs" / "manual.zh.md") in shown[0]


def test_the_largest_text_still_fits_a_1366_pixel_screen(
    qtbot: QtBot, qapp: QApplication, village_db: VillageDb
) -> None:
    """设置 → 字体大小 → 特大: the filter and action rows wrap (a flow layout) instead of widening the window."""
    from pensiondesk.gui.app import apply_text_size
    from pensiondesk.services.settings import TextSize

    try:
        apply_text_size(qapp, TextSize.EXTRA_LARGE)
        win = build_main_window(village_db.session_factory, village_db.path)
        qtbot.addWidget(win)
        assert win.minimumSizeHint().width() <= 1366
        win.resize(1366, 740)
        win.show()
        qtbot.waitExposed(win)
        bar = win.person_page.filter_bar
        assert bar.height() > bar.group_combo.height() * 1.5  # it wrapped onto a second line
        assert bar.clear_button.geometry().right() <= bar.width()
    finally:
        apply_text_size(qapp, TextSize.STANDARD)


def test_every_menu_entry_shows_its_key_and_the_quick_reference_lists_it(window: MainWindow) -> None:
    """Keys are learnt from the menus and the printed quick reference: both must show every one of them."""
    reference = (Path(__file__).resolve().parents[2] / "docs" / "quick-reference.zh.md").read_text(encoding="utf-8")
    shown: dict[str, str] = {}
    for menu_action in window.menuBar().actions():
        menu = menu_action.menu()
        assert menu is not None
        for entry in menu.actions():
            if not entry.isSeparator():
                shown[entry.text().partition("\t")[0]] = entry.shortcut().toString() or entry.text().partition("\t")[2]
    main = {"新增人员": "Ctrl+N", "家庭": "Ctrl+H", "审核": "Ctrl+R", "导入花名册…": "Ctrl+I", "导出花名册…": "Ctrl+E"}
    main |= {title: f"Alt+{number}" for number, title in enumerate(PAGE_TITLES, start=1)}
    main |= {"退出(&X)": "Ctrl+Q", "查找人员": "Ctrl+F", "刷新": "F5", "使用手册(&M)…": "F1"}
    assert {title: shown.get(title) for title in main} == main
    assert [keys for keys in shown.values() if keys and keys not in reference] == []

    # 文件 → 新增人员 from another page goes to the person list and does what Ctrl+N does there.
    from pensiondesk.gui.person_form import PersonForm
    from pensiondesk.gui.qt import QDialog, QTimer

    opened: list[tuple[int, str]] = []

    def close_the_form() -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QDialog) and widget.isVisible():
                opened.append((window.current_page, type(widget).__name__))
                widget.reject()  # never leave a modal open: the test would hang

    window.show_page(3)
    (entry,) = [a for a in window.person_menu_actions if a.text().startswith("新增人员")]
    QTimer.singleShot(0, close_the_form)
    entry.trigger()
    assert opened == [(0, PersonForm.__name__)] and window.current_page == 0
