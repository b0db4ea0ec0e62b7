"""自动锁定: after some minutes without keyboard or mouse, every window is covered and a password is asked.

A village laptop is left open on the desk of the village office while the coordinator steps out; the person list
shows ID numbers and phone numbers. :class:`IdleLock` watches the input of the whole application (an event filter
on the ``QApplication``); when nobody has typed, clicked or moved the mouse for the set time (设置 → 自动锁定,
10 minutes unless changed, ``services.first_run.idle_lock_minutes``), it covers every open window — the main
window and any form or message open over it — with an opaque panel, so nothing of the data stays on the screen,
and opens :class:`LockDialog` over them. Nothing is closed: a form typed half-way is there again after unlocking.

* 解锁 — the password of the user who is logged in (``services.accounts.verify_password``).
* 切换用户 — another user's name and password. The work of the user before is not theirs: the open forms are
  closed without saving and :attr:`IdleLock.user_switched` asks the program to rebuild its window for the new
  user (``gui.app``).

Only a database that needs a login is locked (``gui.app`` installs the lock then): without users there is no
password to ask for.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from pensiondesk.gui.qt import (
    QApplication,
    QCloseEvent,
    QDialog,
    QEvent,
    QFont,
    QFormLayout,
    QHBoxLayout,
    QKeyEvent,
    QLabel,
    QLineEdit,
    QObject,
    QPushButton,
    Qt,
    QTimer,
    QVBoxLayout,
    QWidget,
    Signal,
)
from pensiondesk.services.recording import Actor

__all__ = ["ACTIVITY_EVENTS", "IdleLock", "LockCover", "LockDialog", "Verifier", "active_lock", "start_idle_lock"]

#: ``verify(db_path, username, password)`` → the user's :class:`Actor`, or raises with a message for the user.
Verifier = Callable[[Path, str, str], Actor]

#: The input that counts as someone being at the computer.
ACTIVITY_EVENTS = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
        QEvent.Type.TabletPress,
    }
)


def _default_verifier(db_path: Path, username: str, password: str) -> Actor:
    from pensiondesk.services.accounts import verify_password

    return verify_password(db_path, username, password)


def _failure_text(error: Exception) -> str:
    for attribute in ("user_message", "message"):
        text = getattr(error, attribute, None)
        if isinstance(text, str) and text:
            return text
    return str(error) or "用户名或密码不对，请再试一次"


class LockCover(QWidget):
    """The opaque panel laid over one window while the program is locked: it hides everything under it."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.setObjectName("lockCover")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setAutoFillBackground(True)
        self.setStyleSheet("QWidget#lockCover { background: #37474f; } QLabel { color: white; }")
        label = QLabel(self.tr("已锁定\n\n请输入密码解锁"))
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        font = QFont(label.font())
        font.setPointSizeF(font.pointSizeF() * 1.6)
        label.setFont(font)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        self.setGeometry(window.rect())
        window.installEventFilter(self)
        self.show()
        self.raise_()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.parent() and event.type() in (QEvent.Type.Resize, QEvent.Type.ChildAdded):
            parent = self.parentWidget()
            if parent is not None:
                self.setGeometry(parent.rect())
                self.raise_()
        return super().eventFilter(watched, event)


class LockDialog(QDialog):
    """已锁定: the password of the user logged in, or 切换用户 with another name and password."""

    def __init__(self, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("lockDialog")
        self.setWindowTitle(self.tr("已锁定 — 城乡居保村级工作台"))
        self.setWindowModality(Qt.WindowModality.ApplicationModal)
        self.setWindowFlag(Qt.WindowType.WindowCloseButtonHint, False)
        self._actor = actor
        heading = QLabel(self.tr("程序已锁定"))
        font = QFont(heading.font())
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        heading.setFont(font)
        self.intro_label = QLabel()
        self.intro_label.setWordWrap(True)
        self.username_edit = QLineEdit()
        self.username_edit.setObjectName("lockUsername")
        self.password_edit = QLineEdit()
        self.password_edit.setObjectName("lockPassword")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.username_label = QLabel(self.tr("用户名(&U)："))
        self.username_label.setBuddy(self.username_edit)
        password_label = QLabel(self.tr("密码(&P)："))
        password_label.setBuddy(self.password_edit)
        form = QFormLayout()
        form.addRow(self.username_label, self.username_edit)
        form.addRow(password_label, self.password_edit)
        self.problem_label = QLabel()
        self.problem_label.setObjectName("lockProblem")
        self.problem_label.setWordWrap(True)
        self.problem_label.setStyleSheet("color: #c62828;")
        self.unlock_button = QPushButton(self.tr("解锁(&J)"))
        self.unlock_button.setObjectName("unlockButton")
        self.unlock_button.setDefault(True)
        self.switch_button = QPushButton(self.tr("切换用户(&Q)…"))
        self.switch_button.setObjectName("switchUserButton")
        self.switch_button.setAutoDefault(False)
        self.switch_button.clicked.connect(self.show_switch_user)
        buttons = QHBoxLayout()
        buttons.addWidget(self.switch_button)
        buttons.addStretch(1)
        buttons.addWidget(self.unlock_button)
        layout = QVBoxLayout(self)
        layout.setSpacing(12)
        layout.addWidget(heading)
        layout.addWidget(self.intro_label)
        layout.addLayout(form)
        layout.addWidget(self.problem_label)
        layout.addLayout(buttons)
        self.switching = False
        self._show_mode()
        self.resize(520, self.sizeHint().height())

    def _show_mode(self) -> None:
        self.username_label.setVisible(self.switching)
        self.username_edit.setVisible(self.switching)
        self.switch_button.setVisible(not self.switching)
        name = self._actor.display_name or self._actor.username
        if self.switching:
            self.intro_label.setText(self.tr("请输入要登录的用户名和密码。%s 没有保存的内容将被放弃。") % name)
            self.unlock_button.setText(self.tr("登录(&L)"))
            self.username_edit.setFocus()
        else:
            self.intro_label.setText(
                self.tr("为保护村民信息，一段时间没有操作后程序会自动锁定。当前用户：%s（%s），请输入密码继续工作。")
                % (name, self._actor.username)
            )
            self.unlock_button.setText(self.tr("解锁(&J)"))
            self.password_edit.setFocus()

    def show_switch_user(self) -> None:
        """切换用户…: ask for a user name as well as a password."""
        self.switching = True
        self.problem_label.clear()
        self._show_mode()

    def say(self, text: str) -> None:
        self.problem_label.setText(text)
        self.password_edit.selectAll()
        self.password_edit.setFocus()

    # The dialog is the lock: Esc and the window's close button do not take it away.
    def reject(self) -> None:
        pass

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            event.ignore()
            return
        super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.result() != QDialog.DialogCode.Accepted:
            event.ignore()
            return
        super().closeEvent(event)


class IdleLock(QObject):
    """Locks the program after ``timeout_ms`` without input; see the module docstring."""

    #: True when the program has just been locked, False when it has been unlocked.
    locked_changed = Signal(bool)
    #: Another user logged in through 切换用户 (the :class:`Actor`); the program rebuilds its window for them.
    user_switched = Signal(object)

    def __init__(
        self,
        db_path: Path,
        actor: Callable[[], Actor],
        *,
        minutes: float = 10,
        verify: Verifier | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._db_path = Path(db_path)
        self._actor = actor
        self._verify = verify or _default_verifier
        self._timeout_ms = max(1, round(minutes * 60_000))
        self._last_activity = time.monotonic()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._check)
        self.covers: list[LockCover] = []
        self.dialog: LockDialog | None = None
        self._installed = False

    # --- watching -------------------------------------------------------------------------------------------

    @property
    def timeout_ms(self) -> int:
        return self._timeout_ms

    def set_minutes(self, minutes: float) -> None:
        """Change the delay (设置 → 自动锁定); counts from the last input."""
        self._timeout_ms = max(1, round(minutes * 60_000))
        if self._installed and not self.locked:
            self._check()

    def start(self) -> None:
        """Begin watching the input of the whole application."""
        app = QApplication.instance()
        if app is not None and not self._installed:
            app.installEventFilter(self)
            self._installed = True
        self._last_activity = time.monotonic()
        self._timer.start(self._timeout_ms)

    def stop(self) -> None:
        app = QApplication.instance()
        if app is not None and self._installed:
            app.removeEventFilter(self)
        self._installed = False
        self._timer.stop()

    @property
    def locked(self) -> bool:
        return self.dialog is not None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Noting the time is all the filter does: one float per event, the timer decides later.
        if event.type() in ACTIVITY_EVENTS and self.dialog is None:
            self._last_activity = time.monotonic()
        return False

    def _check(self) -> None:
        if self.locked:
            return
        idle_ms = (time.monotonic() - self._last_activity) * 1000
        if idle_ms >= self._timeout_ms:
            self.lock()
        else:
            self._timer.start(max(1, round(self._timeout_ms - idle_ms)))

    # --- locking --------------------------------------------------------------------------------------------

    def lock(self) -> LockDialog:
        """Cover every window and ask for the password (also 文件 → 锁定)."""
        if self.dialog is not None:
            return self.dialog
        self._timer.stop()
        popup = QApplication.activePopupWidget()
        while popup is not None:  # an open drop-down list or menu would stay above the covers
            popup.close()
            popup = QApplication.activePopupWidget()
        for window in QApplication.topLevelWidgets():
            if window.isVisible() and not isinstance(window, LockDialog) and window.isWindow():
                self.covers.append(LockCover(window))
        dialog = LockDialog(self._actor())
        dialog.unlock_button.clicked.connect(self._submit)
        self.dialog = dialog
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()
        self.locked_changed.emit(True)
        return dialog

    def _submit(self) -> None:
        dialog = self.dialog
        if dialog is None:
            return
        if dialog.switching:
            self.switch_user(dialog.username_edit.text(), dialog.password_edit.text())
        else:
            self.unlock(dialog.password_edit.text())

    def unlock(self, password: str) -> bool:
        """解锁 with the logged-in user's password; a wrong one is said in the dialog and it stays locked."""
        dialog = self.dialog
        if dialog is None:
            return True
        if not password:
            dialog.say(self.tr("请输入密码"))
            return False
        actor = self._actor()
        try:
            self._verify(self._db_path, actor.username, password)
        except Exception as error:
            dialog.say(_failure_text(error))
            return False
        self._release()
        return True

    def switch_user(self, username: str, password: str) -> Actor | None:
        """切换用户: log ``username`` in; the program is unlocked for them and :attr:`user_switched` is emitted."""
        dialog = self.dialog
        if dialog is None:
            return None
        if not username.strip() or not password:
            dialog.say(self.tr("请输入用户名和密码"))
            return None
        try:
            actor = self._verify(self._db_path, username.strip(), password)
        except Exception as error:
            dialog.say(_failure_text(error))
            return None
        if actor.username != self._actor().username:
            # The forms open for the user before are theirs, unsaved: closed, not handed to the next user.
            for window in QApplication.topLevelWidgets():
                if isinstance(window, QDialog) and window is not dialog and window.isVisible():
                    window.done(QDialog.DialogCode.Rejected)
        self._release()
        self.user_switched.emit(actor)
        return actor

    def _release(self) -> None:
        dialog = self.dialog
        self.dialog = None
        for cover in self.covers:
            parent = cover.parentWidget()
            if parent is not None:
                parent.removeEventFilter(cover)
            cover.hide()
            cover.deleteLater()
        self.covers.clear()
        if dialog is not None:
            dialog.done(QDialog.DialogCode.Accepted)
            dialog.deleteLater()
        self._last_activity = time.monotonic()
        if self._installed:
            self._timer.start(self._timeout_ms)
        self.locked_changed.emit(False)


_active: IdleLock | None = None


def active_lock() -> IdleLock | None:
    """The lock watching this program, if any (设置 → 自动锁定 changes its delay at once)."""
    return _active


def start_idle_lock(
    db_path: Path, minutes: float, on_switch: Callable[[Actor], None] | None = None, parent: QObject | None = None
) -> IdleLock | None:
    """Start locking after ``minutes`` idle when the database needs a login (``gui.app`` calls this); else ``None``."""
    global _active
    from pensiondesk.services import accounts

    if not accounts.needs_login(Path(db_path)):
        return None
    if _active is not None:
        _active.stop()
    lock = IdleLock(Path(db_path), accounts.current_actor, minutes=minutes, parent=parent)
    lock.user_switched.connect(accounts.set_current_actor)  # first: the rebuilt window asks who works now
    if on_switch is not None:
        lock.user_switched.connect(on_switch)
    lock.start()
    _active = lock
    return lock
