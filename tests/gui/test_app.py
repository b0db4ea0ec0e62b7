"""Starting the program (启动) and reporting errors (错误提示): run_gui, font, translations, excepthook."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType

import pytest
from PySide6.QtWidgets import QMenu, QStyle, QStyleFactory
from pytestqt.qtbot import QtBot

from pensiondesk.gui.app import EXIT_DATABASE_ERROR, install_bundled_font, install_translators, run_gui
from pensiondesk.gui.errors import LOG_FILE_NAME, ExceptionHook
from pensiondesk.gui.main_window import MainWindow
from pensiondesk.gui.qt import (
    QApplication,
    QCoreApplication,
    QFont,
    QFontMetrics,
    QKeySequence,
    QMessageBox,
    QTimer,
)
from pensiondesk.gui.setup_wizard import SetupWizard
from pensiondesk.store.errors import DiskFull, StoreError

pytestmark = pytest.mark.gui


def raised(exc: BaseException) -> tuple[type[BaseException], BaseException, TracebackType | None]:
    try:
        raise exc
    except BaseException as caught:
        return type(caught), caught, caught.__traceback__


@pytest.fixture
def app_font(qapp: QApplication) -> Iterator[QFont]:
    """Put the application font back after a test changes it."""
    saved = QFont(qapp.font())
    yield saved
    qapp.setFont(saved)


@pytest.fixture
def restore_excepthook(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)


class MessageBoxWatcher:
    """Answers the message boxes that pop up while a blocking call runs, remembering what they said."""

    def __init__(self) -> None:
        self.texts: list[str] = []
        self._timer = QTimer()
        self._timer.setInterval(20)
        self._timer.timeout.connect(self._answer)
        self._timer.start()

    def _answer(self) -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            self.texts.append(box.text())
            box.done(0)

    def stop(self) -> None:
        self._timer.stop()


# --- the excepthook -----------------------------------------------------------------------------------------


def test_a_bug_is_logged_and_the_user_gets_one_sentence(tmp_path: Path) -> None:
    shown: list[str] = []
    hook = ExceptionHook(tmp_path / "logs", notify=shown.append)
    hook(*raised(ZeroDivisionError("division by zero in a slot")))
    log = (tmp_path / "logs" / LOG_FILE_NAME).read_text(encoding="utf-8")
    assert "Traceback" in log and "ZeroDivisionError: division by zero in a slot" in log
    assert shown == [f"程序遇到意外错误，已记录日志：{tmp_path / 'logs' / LOG_FILE_NAME}"]
    assert "Traceback" not in shown[0]


def test_known_database_trouble_is_shown_in_its_own_words(tmp_path: Path) -> None:
    bugs: list[str] = []
    known: list[StoreError] = []
    hook = ExceptionHook(tmp_path, notify=bugs.append, notify_known=known.append)
    hook(*raised(DiskFull(path=tmp_path / "village.db")))
    assert bugs == []
    assert len(known) == 1 and known[0].user_message.startswith("磁盘空间已满")
    assert not (tmp_path / LOG_FILE_NAME).exists()


def test_an_unwritable_log_does_not_hide_the_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    not_a_dir = tmp_path / "file"
    not_a_dir.write_text("x", encoding="utf-8")
    shown: list[str] = []
    ExceptionHook(not_a_dir, notify=shown.append)(*raised(ValueError("boom")))
    assert shown == ["程序遇到意外错误，已记录日志：（日志无法写入）"]
    assert "ValueError: boom" in capsys.readouterr().err


def test_an_error_while_the_dialog_is_open_is_logged_not_stacked(tmp_path: Path) -> None:
    shown: list[str] = []
    hook: ExceptionHook

    def notify(message: str) -> None:
        shown.append(message)
        hook(*raised(RuntimeError("second, from a repaint behind the dialog")))

    hook = ExceptionHook(tmp_path, notify=notify)
    hook(*raised(RuntimeError("first")))
    assert len(shown) == 1
    log = (tmp_path / LOG_FILE_NAME).read_text(encoding="utf-8")
    assert "RuntimeError: first" in log and "RuntimeError: second" in log


def test_the_same_error_repeated_at_once_is_shown_once(tmp_path: Path) -> None:
    shown: list[str] = []
    hook = ExceptionHook(tmp_path, notify=shown.append)
    for _ in range(5):  # a model that fails on every repaint
        hook(*raised(ValueError("cannot paint row 7")))
    hook(*raised(ValueError("a different bug")))
    assert len(shown) == 2
    assert (tmp_path / LOG_FILE_NAME).read_text(encoding="utf-8").count("ValueError: cannot paint row 7") == 5


# --- font and translations ----------------------------------------------------------------------------------


def test_a_missing_font_keeps_the_system_font(
    qapp: QApplication, app_font: QFont, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PENSIONDESK_RESOURCES", str(tmp_path))  # a resources folder without fonts/
    assert install_bundled_font(qapp, point_size=13.0) is None
    assert qapp.font().pointSizeF() == 13.0


def test_a_damaged_font_keeps_the_system_font(
    qapp: QApplication, app_font: QFont, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "fonts").mkdir()
    (tmp_path / "fonts" / "wqy-microhei.ttc").write_bytes(b"not a font")
    monkeypatch.setenv("PENSIONDESK_RESOURCES", str(tmp_path))
    assert install_bundled_font(qapp) is None
    assert qapp.font().pointSizeF() == 12.0


def test_menu_entries_have_room_for_their_whole_text(qtbot: QtBot, qapp: QApplication, app_font: QFont) -> None:
    """使用手册(M)… beside F1 was drawn cut short (“使用手…M)…”, seen under Xvfb): Qt's own style gave the entry
    a few pixels less than the bundled font draws. With the bundled font installed, each entry is one CJK character
    wider than the plain style makes it, so the same menu shows whole texts."""

    def widths(style: QStyle | None) -> list[int]:
        menu = QMenu()
        qtbot.addWidget(menu)
        if style is not None:
            menu.setStyle(style)
        manual = menu.addAction("使用手册(&M)…")
        manual.setShortcut(QKeySequence("F1"))
        menu.addAction("操作日志(&L)…")
        menu.show()
        qtbot.waitExposed(menu)
        return [menu.actionGeometry(action).width() for action in menu.actions()]

    install_bundled_font(qapp)
    roomy = widths(None)
    plain_style = QStyleFactory.create(qapp.style().name() or "Fusion")
    plain = widths(plain_style)
    one_character = QFontMetrics(qapp.font()).horizontalAdvance("中")
    assert all(wide >= narrow + one_character for wide, narrow in zip(roomy, plain, strict=True)), (roomy, plain)


def test_qt_dialog_buttons_speak_chinese(qapp: QApplication) -> None:
    translators = install_translators(qapp)
    try:
        assert translators  # Qt's own qtbase_zh_CN at least
        assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "取消"
    finally:
        for translator in translators:
            qapp.removeTranslator(translator)


# --- run_gui ------------------------------------------------------------------------------------------------


def test_run_gui_explains_a_database_it_cannot_open(
    qapp: QApplication, app_font: QFont, tmp_path: Path, restore_excepthook: None
) -> None:
    bad = tmp_path / "village.db"
    bad.write_bytes(b"this is a spreadsheet, not a database" * 100)
    watcher = MessageBoxWatcher()
    try:
        code = run_gui(bad, log_dir=tmp_path / "logs")
    finally:
        watcher.stop()
    assert code == EXIT_DATABASE_ERROR
    assert len(watcher.texts) == 1
    assert str(bad) in watcher.texts[0] and "Traceback" not in watcher.texts[0]
    assert isinstance(sys.excepthook, ExceptionHook)


def test_run_gui_opens_a_new_database_and_exits_when_closed(
    qtbot: QtBot, qapp: QApplication, app_font: QFont, tmp_path: Path, restore_excepthook: None
) -> None:
    seen: list[str] = []

    def close_main_window() -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, SetupWizard) and widget.isVisible():
                widget.reject()  # a brand-new data folder opens the setup wizard first: 以后再设置
            if isinstance(widget, MainWindow) and widget.isVisible():
                seen.append(widget.windowTitle())
                widget.close()

    timer = QTimer()
    timer.setInterval(50)
    timer.timeout.connect(close_main_window)
    timer.start()
    try:
        code = run_gui(tmp_path / "new" / "village.db", log_dir=tmp_path / "logs")
    finally:
        timer.stop()
    assert code == 0
    assert seen == ["城乡居保村级工作台 — 未设置村"]
    assert (tmp_path / "new" / "village.db").is_file()
