"""The login window (登录) shown before the main window when the database has users.

用户名 and 密码, 登录 (Enter) and 退出. A wrong password is said inside the window, under the fields, and the
password field is cleared for the next try; nothing pops up. The user name is prefilled with whoever logged in last
on this computer, or ``demo`` on the demo database. Logging in unlocks the database key
(``services.accounts.log_in``); the window only asks and shows, the service decides.
"""

from __future__ import annotations

import os
from pathlib import Path

from pensiondesk.gui.qt import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    Qt,
    QVBoxLayout,
    QWidget,
)
from pensiondesk.services import accounts
from pensiondesk.services.recording import Actor
from pensiondesk.store.errors import StoreError

#: The demo database's file name (``pensiondesk --demo``) and its login, prefilled there.
DEMO_DB_NAME = "demo.sqlite"
DEMO_USERNAME = "demo"

ERROR_COLOUR = "#c62828"


def default_username(db_path: Path) -> str:
    """The name to prefill: the last user of this database on this computer, else ``demo`` on the demo database."""
    last = accounts.last_username(db_path)
    if last:
        return last
    return DEMO_USERNAME if Path(db_path).name == DEMO_DB_NAME else ""


class LoginDialog(QDialog):
    """Asks for a user name and password until they are right (``accepted``, :attr:`actor` set) or 退出."""

    def __init__(self, db_path: Path, parent: QWidget | None = None, *, username: str | None = None) -> None:
        super().__init__(parent)
        self.db_path = Path(db_path)
        self.actor: Actor | None = None
        self.setWindowTitle(self.tr("登录 — 城乡居保村级工作台"))
        self.setObjectName("loginDialog")

        intro = QLabel(self.tr("请输入您的用户名和密码。数据库：%s") % self.db_path.name)
        intro.setToolTip(str(self.db_path))
        intro.setWordWrap(True)

        self.username_edit = QLineEdit(username if username is not None else default_username(self.db_path))
        self.username_edit.setObjectName("loginUsername")
        self.username_edit.setMaxLength(64)
        self.password_edit = QLineEdit()
        self.password_edit.setObjectName("loginPassword")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_edit.setMaxLength(256)

        form = QFormLayout()
        user_label = QLabel(self.tr("用户名(&U)："))
        user_label.setBuddy(self.username_edit)
        password_label = QLabel(self.tr("密码(&P)："))
        password_label.setBuddy(self.password_edit)
        form.addRow(user_label, self.username_edit)
        form.addRow(password_label, self.password_edit)

        self.error_label = QLabel()
        self.error_label.setObjectName("loginError")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(f"color: {ERROR_COLOUR};")
        self.error_label.hide()

        buttons = QDialogButtonBox()
        self.login_button = QPushButton(self.tr("登录"))
        self.login_button.setObjectName("loginButton")
        self.login_button.setDefault(True)
        self.login_button.setAutoDefault(True)
        self.quit_button = QPushButton(self.tr("退出"))
        self.quit_button.setObjectName("quitButton")
        self.quit_button.setAutoDefault(False)
        buttons.addButton(self.login_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.quit_button, QDialogButtonBox.ButtonRole.RejectRole)
        # The buttons' own signals, not the box's accepted(): 登录 must check before the window closes.
        self.login_button.clicked.connect(self.try_login)
        self.quit_button.clicked.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)
        self.setMinimumWidth(420)

        (self.password_edit if self.username_edit.text() else self.username_edit).setFocus()

    def show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.show()

    def try_login(self) -> bool:
        """Check the name and password; on success remember the name and close, else say why and stay open."""
        username = self.username_edit.text().strip()
        password = self.password_edit.text()
        if not username:
            self.show_error(self.tr("请输入用户名。"))
            self.username_edit.setFocus()
            return False
        if not password:
            self.show_error(self.tr("请输入密码。"))
            self.password_edit.setFocus()
            return False
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)  # the password check takes a fraction of a second
        try:
            actor = accounts.log_in(self.db_path, username, password)
        except accounts.AccountError as error:
            self._refused(error.user_message)
            return False
        except StoreError as error:
            self._refused(error.user_message)
            return False
        finally:
            QApplication.restoreOverrideCursor()
        self.actor = actor
        accounts.set_current_actor(actor)
        accounts.remember_username(self.db_path, actor.username)
        self.accept()
        return True

    def _refused(self, message: str) -> None:
        self.show_error(message)
        self.password_edit.clear()
        self.password_edit.setFocus()


def log_in_for_gui(db_path: Path, parent: QWidget | None = None) -> bool:
    """Make sure someone is logged in before the main window opens; False when the user chose 退出.

    No login is needed for a database without users, or when this process already logged in (``--demo`` that was
    just made). ``PENSIONDESK_USER`` and ``PENSIONDESK_PASSWORD`` in the environment log in without the window when
    they are right (tests, automation); otherwise the window asks, prefilled with that user.
    """
    path = Path(db_path)
    if not accounts.needs_login(path) or accounts.is_logged_in(path):
        return True
    username = os.environ.get("PENSIONDESK_USER")
    password = os.environ.get("PENSIONDESK_PASSWORD")
    if username and password is not None:
        try:
            accounts.set_current_actor(accounts.log_in(path, username, password))
            return True
        except (accounts.AccountError, StoreError):
            pass  # wrong: ask in the window
    dialog = LoginDialog(path, parent, username=username or None)
    return dialog.exec() == QDialog.DialogCode.Accepted
