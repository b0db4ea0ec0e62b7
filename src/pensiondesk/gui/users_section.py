"""设置 → 用户和密码, and 安全 (自动锁定, 重新运行设置向导): two boxes of the 设置 page.

* :class:`UsersBox` lists the users of this laptop (用户名, 姓名, 角色 录入/初审员 · 复核员 · 管理员, 状态) and offers
  添加用户 and 停用/启用 to an administrator only (the others do not see those buttons; ``services.accounts``
  refuses them anyway), and to everyone 修改我的密码 and 用恢复密钥重设密码 (a forgotten password: the recovery
  key of the village safe). Every change goes through ``services.accounts``, which writes the audit entry.
* :class:`SecurityBox` sets after how many idle minutes the program locks (``services.first_run``; applied to the
  running lock at once) and re-runs the setup wizard.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

from pensiondesk.domain.codes import UserRole
from pensiondesk.gui.calibration import write_session
from pensiondesk.gui.errors import show_store_error
from pensiondesk.gui.person_model import SessionFactory
from pensiondesk.gui.qt import (
    QAbstractItemView,
    QComboBox,
    QCoreApplication,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    Qt,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    Signal,
)
from pensiondesk.services.people_types import ServiceError
from pensiondesk.services.recording import Actor
from pensiondesk.store.errors import StoreError

__all__ = ["AddUserDialog", "PasswordDialog", "RecoveryResetDialog", "SecurityBox", "UsersBox", "role_text"]

_ERROR_STYLE = "color: #c62828;"


def role_text(role: UserRole) -> str:
    """角色 as the users list shows it."""
    texts = {UserRole.COORDINATOR: "录入/初审员", UserRole.REVIEWER: "复核员", UserRole.ADMIN: "管理员"}
    return QCoreApplication.translate("UsersBox", texts[role])


def _message(error: BaseException) -> str:
    for attribute in ("user_message", "message"):
        text = getattr(error, attribute, None)
        if isinstance(text, str) and text:
            return text
    return str(error)


class _FormDialog(QDialog):
    """A small form with 确定/取消 and a red line for what is wrong; ``submit`` decides whether it closes."""

    def __init__(self, title: str, intro: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.form = QFormLayout()
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.problem_label = QLabel()
        self.problem_label.setObjectName("formProblem")
        self.problem_label.setWordWrap(True)
        self.problem_label.setStyleSheet(_ERROR_STYLE)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("确定"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        self.buttons.accepted.connect(self._submit)
        self.buttons.rejected.connect(self.reject)
        intro_label = QLabel(intro)
        intro_label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(intro_label)
        layout.addLayout(self.form)
        layout.addWidget(self.problem_label)
        layout.addWidget(self.buttons)
        self.submit: Callable[[], None] = lambda: None

    def add_field(self, caption: str, name: str, *, password: bool = False) -> QLineEdit:
        edit = QLineEdit()
        edit.setObjectName(name)
        if password:
            edit.setEchoMode(QLineEdit.EchoMode.Password)
        label = QLabel(caption)
        label.setBuddy(edit)
        self.form.addRow(label, edit)
        if self.form.rowCount() == 1:
            edit.setFocus()  # the dialog opens in its first field, not on 确定 (whose box was made before the fields)
        return edit

    def _submit(self) -> None:
        try:
            self.submit()
        except StoreError as error:
            self.problem_label.setText(error.user_message)
            return
        except (ServiceError, ValueError) as error:
            self.problem_label.setText(_message(error))
            return
        except Exception as error:  # AccountError, LoginFailed, PermissionDenied: a sentence for the user
            from pensiondesk.services.accounts import AccountError

            if not isinstance(error, AccountError):
                raise
            self.problem_label.setText(error.user_message)
            return
        self.accept()

    def same_twice(self, first: QLineEdit, again: QLineEdit) -> str:
        if first.text() != again.text():
            again.clear()
            again.setFocus()
            raise ValueError(self.tr("两次输入的新密码不一样，请再输一遍"))
        return first.text()


class AddUserDialog(_FormDialog):
    """添加用户: user name, name, role, password twice (administrators only)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            self.tr("添加用户"),
            self.tr("请填写新用户的用户名、姓名和角色，并为他设一个初始密码（让他登录后自己修改）。"),
            parent,
        )
        self.username_edit = self.add_field(self.tr("用户名(&U)："), "addUsername")
        self.display_edit = self.add_field(self.tr("姓名(&X)："), "addDisplayName")
        self.role_combo = QComboBox()
        self.role_combo.setObjectName("addRole")
        for role in (UserRole.COORDINATOR, UserRole.REVIEWER, UserRole.ADMIN):
            self.role_combo.addItem(role_text(role), role)
        role_label = QLabel(self.tr("角色(&R)："))
        role_label.setBuddy(self.role_combo)
        self.form.addRow(role_label, self.role_combo)
        self.password_edit = self.add_field(self.tr("初始密码(&P)："), "addPassword", password=True)
        self.again_edit = self.add_field(self.tr("再输一遍(&A)："), "addPasswordAgain", password=True)
        self.resize(520, self.sizeHint().height())

    @property
    def role(self) -> UserRole:
        return UserRole(self.role_combo.currentData())


class PasswordDialog(_FormDialog):
    """修改我的密码: the old password and the new one twice."""

    def __init__(self, username: str, parent: QWidget | None = None) -> None:
        super().__init__(
            self.tr("修改我的密码"),
            self.tr("用户 %s：请输入现在的密码和新密码（至少 8 个字符）。") % username,
            parent,
        )
        self.old_edit = self.add_field(self.tr("现在的密码(&O)："), "oldPassword", password=True)
        self.new_edit = self.add_field(self.tr("新密码(&N)："), "newPassword", password=True)
        self.again_edit = self.add_field(self.tr("再输一遍(&A)："), "newPasswordAgain", password=True)
        self.resize(520, self.sizeHint().height())


class RecoveryResetDialog(_FormDialog):
    """用恢复密钥重设密码: the key from the village safe, whose password, the new one twice."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            self.tr("用恢复密钥重设密码"),
            self.tr("忘了密码时，请从保险柜取出恢复密钥单，照着输入恢复密钥，再为这个用户设新密码。"),
            parent,
        )
        self.key_edit = self.add_field(self.tr("恢复密钥(&K)："), "recoveryKey")
        self.key_edit.setPlaceholderText(self.tr("6 组，每组 5 个字母或数字，例如 K7QM2-…"))
        self.username_edit = self.add_field(self.tr("用户名(&U)："), "recoveryUsername")
        self.new_edit = self.add_field(self.tr("新密码(&N)："), "recoveryPassword", password=True)
        self.again_edit = self.add_field(self.tr("再输一遍(&A)："), "recoveryPasswordAgain", password=True)
        self.resize(560, self.sizeHint().height())


class _Reader:
    """Just the ``session()`` of a database, from the page's session factory."""

    def __init__(self, session_factory: SessionFactory) -> None:
        self.session = session_factory


class UsersBox(QGroupBox):
    """用户和密码: the users of this laptop and what the operator may do about them."""

    #: (text in Chinese, whether it is an error)
    message = Signal(str, bool)

    def __init__(
        self,
        session_factory: SessionFactory,
        db_path: Path,
        actor: Actor,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("用户和密码"))
        self.setObjectName("usersBox")
        self._session_factory = session_factory
        self._db_path = Path(db_path)
        self._actor = actor
        self._database: Any = None
        self.users: list[Any] = []
        self.last_dialog: QDialog | None = None

        self.note_label = QLabel()
        self.note_label.setObjectName("usersNote")
        self.note_label.setWordWrap(True)
        self.table = QTableWidget(0, 4)
        self.table.setObjectName("usersTable")
        self.table.setHorizontalHeaderLabels([self.tr("用户名"), self.tr("姓名"), self.tr("角色"), self.tr("状态")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.itemSelectionChanged.connect(self._selection_changed)

        self.add_button = QPushButton(self.tr("添加用户(&J)…"))
        self.add_button.setObjectName("addUser")
        self.active_button = QPushButton(self.tr("停用(&Y)"))
        self.active_button.setObjectName("toggleUser")
        self.password_button = QPushButton(self.tr("修改我的密码(&M)…"))
        self.password_button.setObjectName("changePassword")
        self.recovery_button = QPushButton(self.tr("用恢复密钥重设密码(&K)…"))
        self.recovery_button.setObjectName("recoveryReset")
        for button in (self.add_button, self.active_button, self.password_button, self.recovery_button):
            button.setAutoDefault(False)
        self.add_button.clicked.connect(lambda: self.open_add_user())
        self.active_button.clicked.connect(lambda: self.toggle_selected())
        self.password_button.clicked.connect(lambda: self.open_change_password())
        self.recovery_button.clicked.connect(lambda: self.open_recovery_reset())
        buttons = QHBoxLayout()
        for button in (self.add_button, self.active_button, self.password_button, self.recovery_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.note_label)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        self.reload()

    @property
    def is_admin(self) -> bool:
        return self._actor.role is UserRole.ADMIN

    def database(self) -> Any:
        if self._database is None:
            from pensiondesk.services.syncing import database_for

            self._database = database_for(self._session_factory, self._db_path)
        return self._database

    def reload(self) -> None:
        """Re-read the users; show what this operator may do."""
        from pensiondesk.services import accounts

        try:
            # list_users only reads through ``.session()``: the page's own sessions do, without opening the file
            # a second time (a Database is opened only for a change, which needs the file's path and key).
            self.users = accounts.list_users(cast(Any, _Reader(self._session_factory)))
        except StoreError as error:
            self.note_label.setText(error.user_message)
            return
        table = self.table
        table.setRowCount(len(self.users))
        for row, user in enumerate(self.users):
            cells = [
                user.username,
                user.display_name,
                role_text(user.role),
                self.tr("在用") if user.active else self.tr("已停用"),
            ]
            for column, text in enumerate(cells):
                table.setItem(row, column, QTableWidgetItem(text))
        table.setFixedHeight(
            table.horizontalHeader().height()
            + table.verticalHeader().defaultSectionSize() * max(3, len(self.users))
            + 4
        )
        has_users = bool(self.users)
        self.add_button.setVisible(has_users and self.is_admin)
        self.active_button.setVisible(has_users and self.is_admin)
        self.password_button.setVisible(has_users)
        self.recovery_button.setVisible(has_users)
        if not has_users:
            self.note_label.setText(
                self.tr(
                    "本机还没有用户，打开程序不用登录，数据也没有加密。请按下面的“重新运行设置向导”创建第一个用户。"
                )
            )
        elif self.is_admin:
            self.note_label.setText(
                self.tr("当前用户：%s（管理员）。可以添加用户、停用或启用用户；每个人只能改自己的密码。")
                % self._actor.username
            )
        else:
            self.note_label.setText(
                self.tr("当前用户：%s（%s）。添加或停用用户请找管理员；您可以修改自己的密码。")
                % (self._actor.username, role_text(self._actor.role))
            )
        self._selection_changed()

    def selected(self) -> Any:
        rows = self.table.selectionModel().selectedRows()
        if not rows or not 0 <= rows[0].row() < len(self.users):
            return None
        return self.users[rows[0].row()]

    def select(self, username: str) -> bool:
        for row, user in enumerate(self.users):
            if user.username == username:
                self.table.selectRow(row)
                return True
        return False

    def _selection_changed(self) -> None:
        user = self.selected()
        self.active_button.setEnabled(user is not None)
        self.active_button.setText(self.tr("启用(&Y)") if user is not None and not user.active else self.tr("停用(&Y)"))

    # --- actions --------------------------------------------------------------------------------------------

    def open_add_user(self, *, show: bool = True) -> AddUserDialog:
        from pensiondesk.services import accounts

        dialog = AddUserDialog(self)

        def submit() -> None:
            password = dialog.same_twice(dialog.password_edit, dialog.again_edit)
            info = accounts.add_user(
                self.database(),
                self._actor,
                dialog.username_edit.text(),
                dialog.display_edit.text(),
                dialog.role,
                password,
            )
            self.reload()
            self.select(info.username)
            self.message.emit(
                self.tr("已添加用户 %s（%s，%s）") % (info.username, info.display_name, role_text(info.role)), False
            )

        dialog.submit = submit
        self.last_dialog = dialog
        if show:
            dialog.open()
        return dialog

    def toggle_selected(self) -> bool:
        """停用 / 启用 the selected user (administrators only; the service refuses anyone else)."""
        from pensiondesk.services import accounts

        user = self.selected()
        if user is None:
            self.message.emit(self.tr("请先在列表中选择一个用户"), True)
            return False
        try:
            accounts.set_active(self.database(), self._actor, user.username, not user.active)
        except accounts.AccountError as error:
            self.message.emit(error.user_message, True)
            return False
        except StoreError as error:
            show_store_error(self, error)
            return False
        self.reload()
        self.select(user.username)
        self.message.emit(
            (self.tr("已启用用户 %s") if not user.active else self.tr("已停用用户 %s，他不能再登录")) % user.username,
            False,
        )
        return True

    def open_change_password(self, *, show: bool = True) -> PasswordDialog:
        from pensiondesk.services import accounts

        dialog = PasswordDialog(self._actor.username, self)

        def submit() -> None:
            new = dialog.same_twice(dialog.new_edit, dialog.again_edit)
            accounts.change_password(self._db_path, self._actor.username, dialog.old_edit.text(), new)
            self.message.emit(self.tr("密码已修改，下次登录请用新密码"), False)

        dialog.submit = submit
        self.last_dialog = dialog
        if show:
            dialog.open()
        return dialog

    def open_recovery_reset(self, *, show: bool = True) -> RecoveryResetDialog:
        from pensiondesk.services import accounts

        dialog = RecoveryResetDialog(self)

        def submit() -> None:
            new = dialog.same_twice(dialog.new_edit, dialog.again_edit)
            user = accounts.reset_password_with_recovery(
                self._db_path, dialog.key_edit.text(), dialog.username_edit.text(), new
            )
            self.message.emit(self.tr("已为 %s 重设密码，请用新密码登录") % user.username, False)

        dialog.submit = submit
        self.last_dialog = dialog
        if show:
            dialog.open()
        return dialog


class SecurityBox(QGroupBox):
    """安全: 自动锁定 after N idle minutes, and 重新运行设置向导."""

    message = Signal(str, bool)
    #: The wizard was run again (the page re-reads what it shows).
    wizard_finished = Signal()

    def __init__(
        self,
        session_factory: SessionFactory,
        db_path: Path,
        actor: Actor,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        from pensiondesk.services.first_run import MAX_IDLE_LOCK_MINUTES, idle_lock_minutes

        self.setTitle(self.tr("安全与设置向导"))
        self._session_factory = session_factory
        self._db_path = Path(db_path)
        self._actor = actor
        self.minutes_box = QSpinBox()
        self.minutes_box.setObjectName("idleLockMinutes")
        self.minutes_box.setRange(1, MAX_IDLE_LOCK_MINUTES)
        self.minutes_box.setSuffix(self.tr(" 分钟"))
        with session_factory() as session:
            self.minutes_box.setValue(idle_lock_minutes(session))
        label = QLabel(self.tr("无人操作多久后自动锁定(&Z)："))
        label.setBuddy(self.minutes_box)
        self.save_button = QPushButton(self.tr("保存(&G)"))
        self.save_button.setObjectName("saveIdleLock")
        self.save_button.setAutoDefault(False)
        self.save_button.clicked.connect(lambda: self.save_minutes())
        self.wizard_button = QPushButton(self.tr("重新运行设置向导(&W)…"))
        self.wizard_button.setObjectName("rerunWizard")
        self.wizard_button.setAutoDefault(False)
        self.wizard_button.clicked.connect(lambda: self.open_wizard())
        self.last_wizard: Any = None
        row = QHBoxLayout()
        row.addWidget(label)
        row.addWidget(self.minutes_box)
        row.addWidget(self.save_button)
        row.addStretch(1)
        row.addWidget(self.wizard_button)
        hint = QLabel(
            self.tr(
                "锁定后屏幕上的资料全部遮住，输入密码才能继续（只在设了用户的电脑上锁定）。"
                "设置向导可以登记到县级服务器、选择打印机、导入花名册。"
            )
        )
        hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(hint)

    def save_minutes(self) -> bool:
        from pensiondesk.gui.idle_lock import active_lock
        from pensiondesk.services.first_run import set_idle_lock_minutes

        try:
            with write_session(self._session_factory) as session:
                minutes = set_idle_lock_minutes(session, self._actor, self.minutes_box.value())
        except ServiceError as error:
            self.message.emit(error.user_message, True)
            return False
        except StoreError as error:
            show_store_error(self, error)
            return False
        lock = active_lock()
        if lock is not None:
            lock.set_minutes(minutes)
        self.message.emit(self.tr("已保存：无人操作 %d 分钟后自动锁定") % minutes, False)
        return True

    def open_wizard(self, *, show: bool = True) -> Any:
        """重新运行设置向导 over the open database (users are managed above, so that step only points there)."""
        from pensiondesk.gui.setup_wizard import SetupWizard
        from pensiondesk.services.syncing import database_for

        wizard = SetupWizard(database_for(self._session_factory, self._db_path), actor=self._actor, parent=self)
        wizard.setWindowModality(Qt.WindowModality.ApplicationModal)
        original = wizard.database
        wizard.finished.connect(lambda _result: self._wizard_done(wizard, original))
        self.last_wizard = wizard
        if show:
            wizard.open()
        return wizard

    def _wizard_done(self, wizard: Any, original: Any) -> None:
        if wizard.database is not original:
            # The first user was created just now: the file is encrypted and this window's connections cannot read
            # it any more. The program closes; opening it again asks for the new login.
            QMessageBox.information(
                self,
                self.tr("设置向导"),
                self.tr("第一个用户已创建，数据已加密保存。程序现在关闭，请重新打开并用新用户名和密码登录。"),
            )
            wizard.database.close()
            from pensiondesk.gui.qt import QApplication

            QApplication.closeAllWindows()
            return
        self.wizard_finished.emit()
