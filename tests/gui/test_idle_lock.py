"""自动锁定 with a short timeout, on a real encrypted demo village: the data is covered; only the password unlocks.

The main window shows the person list (names and ID numbers); after the idle time every window — the main window
and a dialog open over it — is covered by an opaque panel (checked on the pixels Qt paints), and the lock dialog
takes the password of the logged-in user through ``services.accounts.verify_password``. Input keeps it from
locking; 切换用户 logs another user in and closes the forms of the one before.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from pensiondesk.domain.codes import UserRole
from pensiondesk.gui.idle_lock import IdleLock, LockCover, start_idle_lock
from pensiondesk.gui.main_window import MainWindow
from pensiondesk.gui.qt import QColor, QDialog, QLabel, QPoint, Qt, QVBoxLayout
from pensiondesk.services import accounts
from pensiondesk.services.demo import create_demo_village
from pensiondesk.store import cipher
from pensiondesk.store.db import Database, open_database

pytestmark = pytest.mark.gui

PASSWORD = "hongqi-2027"
REVIEWER_PASSWORD = "fuhe-2027!"
SHORT_MINUTES = 0.004  # 240 ms
COVER_COLOUR = QColor("#37474f")


@pytest.fixture
def encrypted_village(tmp_path: Path) -> Iterator[Database]:
    """A demo village of 60 people whose first administrator is wangfang; encrypted; logged in."""
    path = tmp_path / "pensiondesk.sqlite"
    db = open_database(path)
    with db.session() as session:
        create_demo_village(session, persons=60, seed=3)
    db.close()
    accounts.setup_first_user(path, "wangfang", "王芳", PASSWORD)
    db, admin = accounts.open_with_login(path, "wangfang", PASSWORD)
    accounts.add_user(db, admin, "lihua", "李华", UserRole.REVIEWER, REVIEWER_PASSWORD)
    yield db
    db.close()
    accounts.set_current_actor(None)
    cipher.forget_keys()


def _window(qtbot: QtBot, db: Database) -> MainWindow:
    window = MainWindow(db.session, db.path)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def _lock(qtbot: QtBot, db: Database) -> IdleLock:
    lock = IdleLock(db.path, accounts.current_actor, minutes=SHORT_MINUTES)
    lock.start()
    return lock


def _painted_at_centre(widget: MainWindow, child: object) -> QColor:
    """The colour Qt paints at the centre of ``child`` (a widget of ``widget``) when the window is drawn."""
    image = widget.grab().toImage()
    centre = child.mapTo(widget, child.rect().center())  # type: ignore[attr-defined]
    return image.pixelColor(centre)


def test_idle_time_covers_every_window_and_only_the_right_password_unlocks(
    qtbot: QtBot, encrypted_village: Database
) -> None:
    window = _window(qtbot, encrypted_village)
    table = window.person_page.table
    assert window.person_page.model.rowCount() > 0
    assert _painted_at_centre(window, table) != COVER_COLOUR

    # A dialog open over the window (as a person form would be) is covered too, and not closed.
    form = QDialog(window)
    QVBoxLayout(form).addWidget(QLabel("410522194912310021"))
    form.show()
    lock = _lock(qtbot, encrypted_village)
    qtbot.waitUntil(lambda: lock.locked, timeout=5_000)
    dialog = lock.dialog
    assert dialog is not None
    covered = {cover.parentWidget() for cover in lock.covers}
    assert window in covered and form in covered
    for cover in lock.covers:
        assert isinstance(cover, LockCover) and cover.isVisible()
        assert cover.geometry() == cover.parentWidget().rect()  # type: ignore[union-attr]
    assert _painted_at_centre(window, table) == COVER_COLOUR
    assert "王芳（wangfang）" in dialog.intro_label.text()

    # Esc does not take the lock away; a wrong password is said and it stays locked.
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert lock.locked and dialog.isVisible()
    dialog.password_edit.setText("wrong-password")
    dialog.unlock_button.click()
    assert lock.locked and "用户名或密码不对" in dialog.problem_label.text()
    assert _painted_at_centre(window, table) == COVER_COLOUR

    dialog.password_edit.setText(PASSWORD)
    dialog.unlock_button.click()
    assert not lock.locked and not lock.covers
    qtbot.waitUntil(lambda: _painted_at_centre(window, table) != COVER_COLOUR, timeout=2_000)
    assert form.isVisible()  # what was open is there again
    # Idle again: locked again.
    qtbot.waitUntil(lambda: lock.locked, timeout=5_000)
    lock.unlock(PASSWORD)
    lock.stop()


def test_input_keeps_it_unlocked(qtbot: QtBot, encrypted_village: Database) -> None:
    window = _window(qtbot, encrypted_village)
    lock = _lock(qtbot, encrypted_village)
    for _ in range(8):  # 8 × 100 ms of typing: more than three times the idle time
        qtbot.mouseMove(window.person_page.search_box, QPoint(5, 5))
        qtbot.keyClick(window.person_page.search_box, Qt.Key.Key_A)
        qtbot.wait(100)
        assert not lock.locked
    qtbot.waitUntil(lambda: lock.locked, timeout=5_000)
    lock.unlock(PASSWORD)
    lock.stop()


def test_switch_user_logs_the_other_user_in_and_closes_the_forms(qtbot: QtBot, encrypted_village: Database) -> None:
    window = _window(qtbot, encrypted_village)
    form = QDialog(window)
    form.show()
    switched: list[object] = []
    lock = start_idle_lock(encrypted_village.path, SHORT_MINUTES, switched.append)
    assert lock is not None
    qtbot.waitUntil(lambda: lock.locked, timeout=5_000)
    dialog = lock.dialog
    assert dialog is not None
    dialog.switch_button.click()
    assert dialog.switching and dialog.username_edit.isVisible()
    dialog.username_edit.setText("lihua")
    dialog.password_edit.setText(PASSWORD)  # the administrator's password is not lihua's
    dialog.unlock_button.click()
    assert lock.locked and "用户名或密码不对" in dialog.problem_label.text()
    dialog.password_edit.setText(REVIEWER_PASSWORD)
    dialog.unlock_button.click()
    assert not lock.locked
    (actor,) = switched
    assert getattr(actor, "username", None) == "lihua" and accounts.current_actor().role is UserRole.REVIEWER
    assert not form.isVisible() and form.result() == QDialog.DialogCode.Rejected
    lock.stop()


def test_no_lock_without_a_login(tmp_path: Path) -> None:
    db = open_database(tmp_path / "plain.sqlite")
    try:
        assert start_idle_lock(db.path, SHORT_MINUTES) is None
    finally:
        db.close()
