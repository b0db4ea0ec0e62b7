"""The login window (登录) on a real encrypted database, and run_gui asking for it before the main window."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from pensiondesk.domain.codes import UserRole
from pensiondesk.gui.app import run_gui
from pensiondesk.gui.login_dialog import LoginDialog, default_username, log_in_for_gui
from pensiondesk.gui.main_window import MainWindow
from pensiondesk.gui.qt import QApplication, QLabel, Qt, QTimer
from pensiondesk.services import accounts
from pensiondesk.store import cipher
from pensiondesk.store.db import open_database

pytestmark = pytest.mark.gui

ADMIN = ("admin1", "张管理", "Huangshan-2026")


@pytest.fixture(autouse=True)
def _fresh_process(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv("PENSIONDESK_USER", raising=False)
    monkeypatch.delenv("PENSIONDESK_PASSWORD", raising=False)
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # run_gui installs its own
    cipher.forget_keys()
    accounts.set_current_actor(None)
    yield
    cipher.forget_keys()
    accounts.set_current_actor(None)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("login") / "village.sqlite"
    open_database(path).close()
    accounts.setup_first_user(path, *ADMIN)
    db = open_database(path)
    try:
        admin = accounts.current_actor()
        accounts.add_user(db, admin, "lihua", "李华", UserRole.COORDINATOR, "Lihua-pass-2026")
        accounts.set_active(db, admin, "lihua", False)
    finally:
        db.close()
    return path


@pytest.fixture
def village(template: Path, tmp_path: Path) -> Path:
    path = tmp_path / "village.sqlite"
    shutil.copyfile(template, path)
    cipher.copy_key_file(template, path)
    cipher.forget_keys()
    accounts.set_current_actor(None)
    return path


def test_a_wrong_password_is_said_in_the_window_and_enter_logs_in(qtbot: QtBot, village: Path) -> None:
    dialog = LoginDialog(village)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.username_edit.text() == ""  # nobody logged in to this database on this computer yet
    assert dialog.error_label.isHidden()

    qtbot.keyClicks(dialog.username_edit, ADMIN[0])
    qtbot.keyClicks(dialog.password_edit, "wrong-password")
    qtbot.keyClick(dialog.password_edit, Qt.Key.Key_Return)
    assert dialog.isVisible() and dialog.actor is None
    assert dialog.error_label.isVisible() and dialog.error_label.text() == accounts.WRONG_LOGIN
    assert dialog.password_edit.text() == ""  # cleared for the next try

    qtbot.keyClicks(dialog.password_edit, ADMIN[2])
    with qtbot.waitSignal(dialog.accepted, timeout=5000):
        qtbot.keyClick(dialog.password_edit, Qt.Key.Key_Return)
    assert dialog.actor == accounts.Actor(ADMIN[0], UserRole.ADMIN, ADMIN[1])
    assert accounts.current_actor() == dialog.actor
    assert cipher.key_for(village) is not None  # the database key is unlocked for this process
    assert default_username(village) == ADMIN[0]  # remembered for next time (the name, never the password)


def test_a_disabled_user_and_an_empty_field_are_refused(qtbot: QtBot, village: Path) -> None:
    dialog = LoginDialog(village, username="lihua")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.mouseClick(dialog.login_button, Qt.MouseButton.LeftButton)
    assert dialog.error_label.text() == "请输入密码。"
    qtbot.keyClicks(dialog.password_edit, "Lihua-pass-2026")
    qtbot.mouseClick(dialog.login_button, Qt.MouseButton.LeftButton)
    assert dialog.error_label.text() == accounts.DISABLED and dialog.actor is None and dialog.isVisible()
    with qtbot.waitSignal(dialog.rejected, timeout=2000):
        qtbot.mouseClick(dialog.quit_button, Qt.MouseButton.LeftButton)
    assert accounts.current_actor().username == "coordinator"  # nobody logged in


def test_the_demo_database_prefills_demo(tmp_path: Path) -> None:
    assert default_username(tmp_path / "demo.sqlite") == "demo"
    assert default_username(tmp_path / "village.sqlite") == ""


def test_right_credentials_in_the_environment_skip_the_window(village: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PENSIONDESK_USER", ADMIN[0])
    monkeypatch.setenv("PENSIONDESK_PASSWORD", ADMIN[2])
    assert log_in_for_gui(village) is True  # no window was shown: exec() would block this test
    assert accounts.current_actor().username == ADMIN[0]


def test_run_gui_logs_in_first_and_shows_the_operator(
    qtbot: QtBot, qapp: QApplication, village: Path, tmp_path: Path
) -> None:
    seen: list[str] = []
    steps: list[str] = []

    def drive() -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, LoginDialog) and widget.isVisible() and not steps:
                steps.append("login")
                widget.username_edit.setText(ADMIN[0])
                widget.password_edit.setText(ADMIN[2])
                widget.login_button.click()
            elif isinstance(widget, MainWindow) and widget.isVisible():
                label = widget.findChild(QLabel, "operatorLabel")
                seen.append(label.text() if label is not None else "")
                widget.close()

    timer = QTimer()
    timer.setInterval(50)
    timer.timeout.connect(drive)
    timer.start()
    try:
        code = run_gui(village, log_dir=tmp_path / "logs")
    finally:
        timer.stop()
    assert code == 0 and steps == ["login"]
    assert seen[:1] == ["操作员：张管理（管理员）"]


def test_run_gui_quits_when_the_login_is_cancelled(qapp: QApplication, village: Path, tmp_path: Path) -> None:
    windows: list[str] = []

    def cancel() -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, MainWindow) and widget.isVisible():
                windows.append("main")
                widget.close()
            if isinstance(widget, LoginDialog) and widget.isVisible():
                windows.append("login")
                widget.quit_button.click()

    timer = QTimer()
    timer.setInterval(50)
    timer.timeout.connect(cancel)
    timer.start()
    try:
        code = run_gui(village, log_dir=tmp_path / "logs")
    finally:
        timer.stop()
    assert code == 0 and windows == ["login"]  # the main window never opened
