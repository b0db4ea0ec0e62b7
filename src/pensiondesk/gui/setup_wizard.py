"""The first-run setup wizard (首次使用设置向导): village, first user and recovery key, printer, roster.

Opened by ``gui.app`` on a brand-new data folder (no village and no user, ``services.first_run.needs_first_run``)
and from 设置 → 重新运行设置向导. Each page says in one sentence what to do; everything is reachable from the
keyboard (Alt+letter on every field and button, Enter for 下一步).

1. 欢迎 — what the wizard will ask.
2. 本村 — 用登记码登记 (the county's server address and one-time code: ``services.syncing.enroll``, on a worker
   thread; a failure is said plainly and 先离线设置 goes on without the network) or 离线设置 (the village's
   12-digit code and the names: ``services.first_run.set_up_village_offline``; enrol later on the 同步 page).
   Run again on a database that has its village, the page shows it and only offers to enrol.
3. 第一个用户 — username, name, password twice → ``services.accounts.setup_first_user``: the first administrator
   is created and the database is encrypted; the wizard goes on with the database opened with that login.
4. 恢复密钥 — shown once, large, with 打印恢复密钥 (a one-page PDF, printed and deleted at once: the key must
   not stay on the laptop's disk) and 我已抄下或打印并放入保险柜, which must be ticked to go on.
   Run again when users exist, 3 and 4 are replaced by a page that points to 设置 → 用户和密码.
5. 打印机 — the printers of this computer (none: printouts are saved as PDF files) and the receipt overlay
   calibration box of the 设置 page (``gui.calibration``).
6. 导入花名册 — optional: opens the import wizard.
7. 完成 — what was set up.

Without ``services.accounts`` (a build without logins) the user pages are skipped and the finish page says so.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from pensiondesk.gui.calibration import Printer, ReceiptCalibration
from pensiondesk.gui.errors import show_store_error
from pensiondesk.gui.qt import (
    QApplication,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFont,
    QFontDatabase,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPrinterInfo,
    QPushButton,
    QRadioButton,
    Qt,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)
from pensiondesk.services import first_run
from pensiondesk.services.first_run import VillagePlace
from pensiondesk.services.people_types import ServiceError
from pensiondesk.services.recording import Actor
from pensiondesk.store.db import Database
from pensiondesk.store.errors import StoreError

__all__ = ["SETUP_ACTOR", "SetupSummary", "SetupWizard", "accounts_available", "run_first_run_if_needed"]

#: Who sets the village up before the first user exists (the audit entry names it).
SETUP_ACTOR = Actor("setup", display_name="首次设置")

PAGE_WELCOME, PAGE_VILLAGE, PAGE_ENROL, PAGE_OFFLINE, PAGE_USER, PAGE_KEY, PAGE_USERS_EXIST = range(7)
PAGE_PRINTER, PAGE_IMPORT, PAGE_FINISH = range(7, 10)

_ERROR_STYLE = "color: #c62828;"
_OK_STYLE = "color: #1b5e20;"


def accounts_available() -> bool:
    """Whether this program has logins (``services.accounts``)."""
    try:
        from pensiondesk.services import accounts  # noqa: F401
    except ImportError:
        return False
    return True


@dataclass
class SetupSummary:
    """What the wizard did, for its last page and for whoever opened it."""

    place: VillagePlace | None = None
    enrolled_with: str | None = None
    user: Actor | None = None
    key_acknowledged: bool = False
    printer: str | None = None
    imported: int = 0
    notes: list[str] = field(default_factory=list)


def _sentence(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


def _status_label(name: str) -> QLabel:
    label = QLabel()
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class SetupWizard(QWizard):
    """首次使用设置向导 (see the module docstring). :attr:`database` and :attr:`actor` are what to go on with."""

    def __init__(
        self,
        database: Database,
        *,
        actor: Actor | None = None,
        printer: Printer | None = None,
        display_folder: Path | None = None,
        start_dir: Path | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.database = database
        self.db_path = Path(database.path)
        #: The user the program works as afterwards: the first administrator once created (or the one re-running).
        self.actor = actor
        self.summary = SetupSummary()
        self.recovery_key: str | None = None
        self.display_folder = display_folder
        self.start_dir = start_dir
        self.printer = printer
        self.printer_injected = printer is not None
        self.setWindowTitle(self.tr("首次使用设置 — 城乡居保村级工作台"))
        self.setObjectName("setupWizard")
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.setOption(QWizard.WizardOption.HaveHelpButton, False)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)  # 以后再设置 makes no sense there
        font = QFont(QApplication.font())
        font.setPointSizeF(font.pointSizeF() * 1.1)  # large clear text: the wizard is read by someone new to it
        self.setFont(font)
        for button, text in (
            (QWizard.WizardButton.BackButton, self.tr("< 上一步(&B)")),
            (QWizard.WizardButton.NextButton, self.tr("下一步(&N) >")),
            (QWizard.WizardButton.CommitButton, self.tr("确定，下一步(&N) >")),
            (QWizard.WizardButton.FinishButton, self.tr("完成(&F)")),
            (QWizard.WizardButton.CancelButton, self.tr("以后再设置")),
        ):
            self.setButtonText(button, text)
        with database.session() as session:
            self.users_at_start = first_run.user_count(session)
            self.summary.place = first_run.current_place(session)
            self.enrolled_at_start = first_run.is_enrolled(session)
        self.accounts = accounts_available()

        self.setPage(PAGE_WELCOME, WelcomePage(self))
        self.village_page = VillagePage(self)
        self.setPage(PAGE_VILLAGE, self.village_page)
        self.enrol_page = EnrolPage(self)
        self.setPage(PAGE_ENROL, self.enrol_page)
        self.offline_page = OfflineVillagePage(self)
        self.setPage(PAGE_OFFLINE, self.offline_page)
        self.user_page = FirstUserPage(self)
        self.setPage(PAGE_USER, self.user_page)
        self.key_page = RecoveryKeyPage(self)
        self.setPage(PAGE_KEY, self.key_page)
        self.setPage(PAGE_USERS_EXIST, UsersExistPage(self))
        self.printer_page = PrinterPage(self)
        self.setPage(PAGE_PRINTER, self.printer_page)
        self.import_page = ImportPage(self)
        self.setPage(PAGE_IMPORT, self.import_page)
        self.finish_page = FinishPage(self)
        self.setPage(PAGE_FINISH, self.finish_page)
        self.setStartId(PAGE_WELCOME)
        self.resize(900, 680)

    # --- shared by the pages --------------------------------------------------------------------------------

    @property
    def session_factory(self) -> Callable[..., Any]:
        return self.database.session

    def work_actor(self) -> Actor:
        """Who the audit entries of the wizard name: the first administrator once there is one."""
        return self.actor or SETUP_ACTOR

    def after_village_page(self) -> int:
        """The page after the village is settled: the first user, or a pointer to the users section."""
        if not self.accounts:
            return PAGE_PRINTER
        with self.database.session() as session:
            users = first_run.user_count(session)
        return PAGE_USERS_EXIST if users else PAGE_USER

    def send_to_printer(self, path: Path, name: str) -> str:
        if self.printer is None:
            from pensiondesk.gui.money_page import send_to_printer

            return send_to_printer(path, name)
        return self.printer(path, name)

    def has_printer(self) -> bool:
        return self.printer_injected or bool(QPrinterInfo.availablePrinterNames())

    def mark_started(self) -> None:
        with self.database.session(immediate=True) as session:
            first_run.mark_setup(session, "started")

    def create_first_user(self, username: str, display_name: str, password: str) -> str:
        """The first administrator: the database is encrypted and reopened with their login; returns the recovery key.

        Raises ``ServiceError``/``LoginFailed``/``StoreError`` with the message for the coordinator; the database
        handle the wizard had is reopened as it was when the accounts service refuses.
        """
        from pensiondesk.services import accounts

        self.database.close()  # the file is rewritten encrypted: no connection of ours may stay open on it
        try:
            key = accounts.setup_first_user(self.db_path, username, display_name, password)
        except BaseException:
            from pensiondesk.store.db import open_database

            self.database = open_database(self.db_path, migrate=False, create=False)
            raise
        database, actor = accounts.open_with_login(self.db_path, username, password)
        accounts.set_current_actor(actor)
        self.database = database
        self.actor = actor
        self.summary.user = actor
        self.recovery_key = key
        return key

    def accept(self) -> None:
        try:
            with self.database.session(immediate=True) as session:
                first_run.mark_setup(session, "done")
        except StoreError as error:
            show_store_error(self, error)
        super().accept()


# --- pages ----------------------------------------------------------------------------------------------------


class WelcomePage(QWizardPage):
    """欢迎: what the wizard asks, in four lines."""

    def __init__(self, wizard: SetupWizard) -> None:
        super().__init__()
        self.setTitle(self.tr("欢迎使用城乡居保村级工作台"))
        self.setSubTitle(self.tr("请按“下一步”，几分钟就能设置好这台电脑。"))
        steps = [
            self.tr("1. 本村：用县社保局给的登记码登记，或先离线设置本村。"),
            self.tr("2. 第一个用户：您的用户名和密码，并把恢复密钥放进保险柜。"),
            self.tr("3. 打印机：选择打印机，试打一张收据校准页。"),
            self.tr("4. 导入花名册（可以跳过，以后再导入）。"),
        ]
        layout = QVBoxLayout(self)
        layout.setSpacing(12)
        for step in steps:
            layout.addWidget(_sentence(step))
        layout.addSpacing(12)
        layout.addWidget(_sentence(self.tr("每一步都可以以后在“设置”页重新做；按“以后再设置”可以先关闭本向导。")))
        layout.addStretch(1)

    def nextId(self) -> int:
        return PAGE_VILLAGE


class VillagePage(QWizardPage):
    """本村: enrol with the county's code, or set the village up offline (or, re-run, keep it)."""

    def __init__(self, wizard: SetupWizard) -> None:
        super().__init__()
        self._wizard = wizard
        self.setTitle(self.tr("第 1 步：本村"))
        self.place_label = _status_label("setupPlace")
        self.enrol_radio = QRadioButton(self.tr("用县社保局给的登记码登记到县级服务器（推荐，需要能上网）(&E)"))
        self.enrol_radio.setObjectName("setupChooseEnrol")
        self.offline_radio = QRadioButton(self.tr("先离线设置本村，以后在“同步”页登记(&O)"))
        self.offline_radio.setObjectName("setupChooseOffline")
        self.keep_radio = QRadioButton(self.tr("保持现在的设置(&K)"))
        self.keep_radio.setObjectName("setupChooseKeep")
        group = QButtonGroup(self)
        for radio in (self.enrol_radio, self.offline_radio, self.keep_radio):
            group.addButton(radio)
        layout = QVBoxLayout(self)
        layout.setSpacing(12)
        layout.addWidget(self.place_label)
        layout.addWidget(self.enrol_radio)
        layout.addWidget(self.offline_radio)
        layout.addWidget(self.keep_radio)
        layout.addStretch(1)

    def initializePage(self) -> None:
        wizard = self._wizard
        with wizard.database.session() as session:
            place = first_run.current_place(session)
            enrolled = first_run.is_enrolled(session)
        wizard.summary.place = place
        if place is None:
            self.setSubTitle(self.tr("请选择怎样设置本村：有县里给的登记码就选第一项。"))
            self.place_label.setText(self.tr("这台电脑还没有设置本村。"))
            self.keep_radio.hide()
            self.offline_radio.show()
            self.enrol_radio.setEnabled(True)
            if not (self.enrol_radio.isChecked() or self.offline_radio.isChecked()):
                self.enrol_radio.setChecked(True)
            return
        self.offline_radio.hide()
        self.keep_radio.show()
        text = self.tr("本机已设置为 %s（村代码 %s），%s %s。") % (
            place.village_name,
            place.village_code,
            place.county_name,
            place.township_name,
        )
        if enrolled:
            self.setSubTitle(self.tr("本村已经设置好，也已登记到县级服务器，请按“下一步”。"))
            self.place_label.setText(text + self.tr("已登记到县级服务器。"))
            self.enrol_radio.setEnabled(False)
            self.keep_radio.setChecked(True)
        else:
            self.setSubTitle(self.tr("本村已经设置好；有县里给的登记码时可以现在登记。"))
            self.place_label.setText(text + self.tr("还没有登记到县级服务器。"))
            self.enrol_radio.setEnabled(True)
            if not self.enrol_radio.isChecked():
                self.keep_radio.setChecked(True)

    def nextId(self) -> int:
        if self.enrol_radio.isChecked() and self.enrol_radio.isEnabled():
            return PAGE_ENROL
        if self.offline_radio.isChecked() and not self.offline_radio.isHidden():
            return PAGE_OFFLINE
        return self._wizard.after_village_page()


class EnrolPage(QWizardPage):
    """用登记码登记: server address and code → enrolment on a worker thread; on failure, 先离线设置."""

    def __init__(self, wizard: SetupWizard) -> None:
        super().__init__()
        self._wizard = wizard
        self.setTitle(self.tr("第 1 步：登记到县级服务器"))
        self.setSubTitle(self.tr("请填写县社保局给的服务器地址和登记码，然后按“登记”。"))
        self.server_edit = QLineEdit()
        self.server_edit.setObjectName("setupServer")
        self.server_edit.setPlaceholderText(self.tr("例如：https://sync.example.gov.cn"))
        self.code_edit = QLineEdit()
        self.code_edit.setObjectName("setupCode")
        self.code_edit.setPlaceholderText(self.tr("例如：K7QH-3MZP-W2RC-9TXA"))
        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("setupDeviceName")
        self.name_edit.setPlaceholderText(self.tr("可不填（默认：电脑名）"))
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        for caption, edit in (
            (self.tr("服务器地址(&S)："), self.server_edit),
            (self.tr("登记码(&C)："), self.code_edit),
            (self.tr("本机名称(&M)："), self.name_edit),
        ):
            label = QLabel(caption)
            label.setBuddy(edit)
            form.addRow(label, edit)
        self.enrol_button = QPushButton(self.tr("登记(&R)"))
        self.enrol_button.setObjectName("setupEnrolButton")
        self.enrol_button.clicked.connect(self.start_enrol)
        self.code_edit.returnPressed.connect(self.start_enrol)
        self.offline_button = QPushButton(self.tr("连不上，先离线设置(&O)"))
        self.offline_button.setObjectName("setupGoOffline")
        self.offline_button.setAutoDefault(False)
        self.offline_button.clicked.connect(self.go_offline)
        self.offline_button.hide()
        self.status_label = _status_label("setupEnrolStatus")
        buttons = QHBoxLayout()
        buttons.addWidget(self.enrol_button)
        buttons.addWidget(self.offline_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setSpacing(12)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.status_label)
        layout.addStretch(1)
        self.enrolled = False
        self.offline_instead = False
        self.running = False
        self._call: Any = None

    def initializePage(self) -> None:
        self.offline_instead = False
        self.code_edit.setFocus()

    def _say(self, text: str, *, error: bool) -> None:
        self.status_label.setStyleSheet(_ERROR_STYLE if error else _OK_STYLE)
        self.status_label.setText(text)

    def start_enrol(self) -> bool:
        """登记: checks the fields, then enrols on a worker thread; returns whether it started."""
        if self.running or self.enrolled:
            return False
        server = self.server_edit.text().strip()
        code = self.code_edit.text().strip()
        if not server.startswith(("http://", "https://")):
            self._say(self.tr("服务器地址应以 https:// 或 http:// 开头，请照县社保局给的地址填写"), error=True)
            self.server_edit.setFocus()
            return False
        if len(code) < 4:
            self._say(self.tr("请填写县社保局给的登记码"), error=True)
            self.code_edit.setFocus()
            return False
        from pensiondesk.gui.sync_page import _Call
        from pensiondesk.services import syncing

        database = self._wizard.database
        device = self.name_edit.text().strip() or None
        self.running = True
        self.enrol_button.setEnabled(False)
        self._say(self.tr("正在连接县级服务器，请稍候……"), error=False)
        call = _Call(lambda: syncing.enroll(database, server, code, device), self)
        call.succeeded.connect(self._enrolled)
        call.failed.connect(self._failed)
        self._call = call
        call.start()
        return True

    def _enrolled(self, _state: object) -> None:
        self.running = False
        self.enrolled = True
        wizard = self._wizard
        wizard.mark_started()
        with wizard.database.session() as session:
            wizard.summary.place = first_run.current_place(session)
        wizard.summary.enrolled_with = self.server_edit.text().strip()
        place = wizard.summary.place
        name = place.village_name if place else ""
        self._say(self.tr("登记成功：本机已登记为 %s。请按“下一步”。") % name, error=False)
        self.offline_button.hide()
        self.completeChanged.emit()

    def _failed(self, text: str) -> None:
        self.running = False
        self.enrol_button.setEnabled(True)
        self._say(
            self.tr("没有登记成功：%s\n请核对地址和登记码再按“登记”；暂时连不上时，可以先离线设置本村。") % text,
            error=True,
        )
        self.offline_button.show()

    def wait(self) -> None:
        """Let an enrolment under way finish (tests, closing)."""
        if self._call is not None:
            self._call.wait()

    def go_offline(self) -> None:
        """连不上，先离线设置: the offline page instead."""
        self.offline_instead = True
        self._wizard.next()

    def isComplete(self) -> bool:
        return self.enrolled and not self.running

    def validatePage(self) -> bool:
        return self.enrolled or self.offline_instead

    def nextId(self) -> int:
        if self.offline_instead and not self.enrolled:
            return PAGE_OFFLINE
        return self._wizard.after_village_page()


class OfflineVillagePage(QWizardPage):
    """离线设置本村: the 12-digit village code and the names of the village, township and county."""

    def __init__(self, wizard: SetupWizard) -> None:
        super().__init__()
        self._wizard = wizard
        self.setTitle(self.tr("第 1 步：离线设置本村"))
        self.setSubTitle(self.tr("请照县社保局给的资料填写村代码和名称，以后有了登记码再到“同步”页登记。"))
        self.code_edit = QLineEdit()
        self.code_edit.setObjectName("setupVillageCode")
        self.code_edit.setMaxLength(12)
        self.code_edit.setPlaceholderText(self.tr("12 位数字，例如 411099101201"))
        self.village_edit = QLineEdit()
        self.village_edit.setObjectName("setupVillageName")
        self.village_edit.setPlaceholderText(self.tr("例如：红旗村"))
        self.township_edit = QLineEdit()
        self.township_edit.setObjectName("setupTownshipName")
        self.township_edit.setPlaceholderText(self.tr("例如：青山镇"))
        self.county_edit = QLineEdit()
        self.county_edit.setObjectName("setupCountyName")
        self.county_edit.setPlaceholderText(self.tr("例如：安和县"))
        self.codes_label = _status_label("setupDerivedCodes")
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        for caption, edit in (
            (self.tr("村代码(&C)："), self.code_edit),
            (self.tr("村名(&V)："), self.village_edit),
            (self.tr("乡镇名(&T)："), self.township_edit),
            (self.tr("县（区）名(&X)："), self.county_edit),
        ):
            label = QLabel(caption)
            label.setBuddy(edit)
            form.addRow(label, edit)
        form.addRow("", self.codes_label)
        self.problem_label = _status_label("setupOfflineProblem")
        self.problem_label.setStyleSheet(_ERROR_STYLE)
        layout = QVBoxLayout(self)
        layout.setSpacing(12)
        layout.addLayout(form)
        layout.addWidget(self.problem_label)
        layout.addStretch(1)
        self.code_edit.textChanged.connect(self._show_codes)
        self._show_codes("")

    def _show_codes(self, text: str) -> None:
        code = text.strip()
        if len(code) == 12 and code.isdigit():
            township, county = first_run.village_codes(code)
            self.codes_label.setText(self.tr("乡镇代码 %s，县（区）代码 %s（由村代码得出）") % (township, county))
        else:
            self.codes_label.setText(self.tr("村代码的前 9 位是乡镇代码，前 6 位是县（区）代码。"))

    def initializePage(self) -> None:
        self.code_edit.setFocus()

    def validatePage(self) -> bool:
        wizard = self._wizard
        try:
            with wizard.database.session(immediate=True) as session:
                place = first_run.set_up_village_offline(
                    session,
                    wizard.work_actor(),
                    village_code=self.code_edit.text(),
                    village_name=self.village_edit.text(),
                    township_name=self.township_edit.text(),
                    county_name=self.county_edit.text(),
                )
                first_run.mark_setup(session, "started")
        except ServiceError as error:
            self.problem_label.setText(error.user_message)
            fields = {p.field for p in error.problems}
            for name, edit in (
                ("village_code", self.code_edit),
                ("village_name", self.village_edit),
                ("township_name", self.township_edit),
                ("county_name", self.county_edit),
            ):
                if name in fields:
                    edit.setFocus()
                    break
            return False
        except StoreError as error:
            show_store_error(self, error)
            return False
        self.problem_label.clear()
        wizard.summary.place = place
        return True

    def nextId(self) -> int:
        return self._wizard.after_village_page()


class FirstUserPage(QWizardPage):
    """第一个用户: the administrator of this laptop; the database is encrypted when they are created."""

    def __init__(self, wizard: SetupWizard) -> None:
        super().__init__()
        self._wizard = wizard
        self.setTitle(self.tr("第 2 步：第一个用户"))
        self.setSubTitle(self.tr("请为自己设一个用户名和密码，以后每次打开程序都要输入。"))
        self.setCommitPage(True)
        self.username_edit = QLineEdit()
        self.username_edit.setObjectName("setupUsername")
        self.username_edit.setPlaceholderText(self.tr("字母或数字，例如 wangfang"))
        self.display_edit = QLineEdit()
        self.display_edit.setObjectName("setupDisplayName")
        self.display_edit.setPlaceholderText(self.tr("例如：王芳"))
        self.password_edit = QLineEdit()
        self.password_edit.setObjectName("setupPassword")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.again_edit = QLineEdit()
        self.again_edit.setObjectName("setupPasswordAgain")
        self.again_edit.setEchoMode(QLineEdit.EchoMode.Password)
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        for caption, edit in (
            (self.tr("用户名(&U)："), self.username_edit),
            (self.tr("姓名(&X)："), self.display_edit),
            (self.tr("密码(&P)："), self.password_edit),
            (self.tr("再输一遍密码(&A)："), self.again_edit),
        ):
            label = QLabel(caption)
            label.setBuddy(edit)
            form.addRow(label, edit)
        note = _sentence(
            self.tr(
                "这个用户是管理员，可以添加其他用户。按“确定”后，电脑里的数据会加密保存，"
                "没有密码打不开；下一页会给您一把恢复密钥，忘了密码时用它。"
            )
        )
        self.problem_label = _status_label("setupUserProblem")
        self.problem_label.setStyleSheet(_ERROR_STYLE)
        layout = QVBoxLayout(self)
        layout.setSpacing(12)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.problem_label)
        layout.addStretch(1)

    def initializePage(self) -> None:
        self.username_edit.setFocus()

    def validatePage(self) -> bool:
        username = self.username_edit.text().strip()
        display = self.display_edit.text().strip()
        password = self.password_edit.text()
        if not username:
            return self._refuse(self.tr("请填写用户名"), self.username_edit)
        if not display:
            return self._refuse(self.tr("请填写姓名，打印的单据上会用到"), self.display_edit)
        if not password:
            return self._refuse(self.tr("请设一个密码"), self.password_edit)
        if password != self.again_edit.text():
            self.again_edit.clear()
            return self._refuse(self.tr("两次输入的密码不一样，请再输一遍"), self.again_edit)
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self._wizard.create_first_user(username, display, password)
        except StoreError as error:
            return self._refuse(error.user_message, self.password_edit)
        except Exception as error:
            text = getattr(error, "user_message", None) or getattr(error, "message", None) or str(error)
            return self._refuse(str(text), self.password_edit)
        finally:
            QApplication.restoreOverrideCursor()
        self.problem_label.clear()
        return True

    def _refuse(self, text: str, edit: QLineEdit) -> bool:
        self.problem_label.setText(text)
        edit.setFocus()
        return False

    def nextId(self) -> int:
        return PAGE_KEY


class RecoveryKeyPage(QWizardPage):
    """恢复密钥: shown once, large; print it for the safe; tick that it is kept before going on."""

    def __init__(self, wizard: SetupWizard) -> None:
        super().__init__()
        self._wizard = wizard
        self.setTitle(self.tr("第 2 步：恢复密钥（只显示这一次）"))
        self.setSubTitle(self.tr("请把下面的恢复密钥打印或抄在纸上，锁进村委会保险柜，然后打勾。"))
        self.setCommitPage(True)
        self.key_label = QLabel()
        self.key_label.setObjectName("setupRecoveryKey")
        self.key_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.key_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.key_label.setStyleSheet("border: 2px solid #37474f; padding: 12px; background: #fffde7;")
        key_font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        key_font.setPointSizeF(QApplication.font().pointSizeF() * 2.0)
        key_font.setBold(True)
        self.key_label.setFont(key_font)
        self.print_button = QPushButton(self.tr("打印恢复密钥(&P)"))
        self.print_button.setObjectName("setupPrintKey")
        self.print_button.setAutoDefault(False)
        self.print_button.clicked.connect(self.print_key)
        self.save_button = QPushButton(self.tr("另存为 PDF（存到U盘）(&S)…"))
        self.save_button.setObjectName("setupSaveKey")
        self.save_button.setAutoDefault(False)
        self.save_button.clicked.connect(self.choose_pdf_file)
        self.kept_box = QCheckBox(self.tr("我已抄下或打印并放入保险柜(&K)"))
        self.kept_box.setObjectName("setupKeyKept")
        self.kept_box.toggled.connect(self.completeChanged)
        self.status_label = _status_label("setupKeyStatus")
        warning = _sentence(
            self.tr(
                "所有人都忘了密码时，只有这把恢复密钥能打开数据。程序里不会再显示它；"
                "不要贴在电脑上，不要拍照发到微信群。"
            )
        )
        buttons = QHBoxLayout()
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.save_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setSpacing(12)
        layout.addWidget(self.key_label)
        layout.addWidget(warning)
        layout.addLayout(buttons)
        layout.addWidget(self.status_label)
        layout.addSpacing(8)
        layout.addWidget(self.kept_box)
        layout.addStretch(1)

    def initializePage(self) -> None:
        from pensiondesk.documents.recovery_key import key_lines

        key = self._wizard.recovery_key or ""
        self.key_label.setText("\n".join(key_lines(key)))
        self.kept_box.setChecked(False)
        self.kept_box.setFocus()

    def _sheet(self) -> Any:
        from pensiondesk.documents.recovery_key import RecoveryKeySheet

        wizard = self._wizard
        place = wizard.summary.place
        actor = wizard.actor or SETUP_ACTOR
        return RecoveryKeySheet(
            recovery_key=wizard.recovery_key or "",
            village=f"{place.village_name}（{place.village_code}）" if place else "",
            admin_username=actor.username,
            admin_display_name=actor.display_name or actor.username,
            db_file=str(wizard.db_path),
            printed_on=date.today(),
        )

    def write_pdf(self, path: Path) -> Path:
        from pensiondesk.documents.recovery_key import render_recovery_key

        path.parent.mkdir(parents=True, exist_ok=True)
        render_recovery_key(path, self._sheet())
        return path

    def print_key(self) -> str:
        """打印恢复密钥: the sheet goes to the printer from a temporary file that is deleted at once."""
        wizard = self._wizard
        if not wizard.has_printer():
            text = self.tr(
                "这台电脑没有打印机。请把恢复密钥抄在纸上，或按“另存为 PDF”存到U盘，到有打印机的电脑上打印。"
            )
            self._say(text, error=True)
            return text
        with tempfile.TemporaryDirectory(prefix="pensiondesk-key-") as folder:
            path = self.write_pdf(Path(folder) / "恢复密钥.pdf")
            text = wizard.send_to_printer(path, self.tr("恢复密钥"))
        self._say(text, error=False)
        return text

    def choose_pdf_file(self) -> None:
        name, _filter = QFileDialog.getSaveFileName(
            self, self.tr("恢复密钥另存为"), str(Path.home() / "恢复密钥.pdf"), self.tr("PDF 文件 (*.pdf)")
        )
        if name:
            self.save_pdf(Path(name))

    def save_pdf(self, path: Path) -> Path | None:
        """另存为 PDF: for a USB stick; the page reminds that the file must not stay on this laptop."""
        try:
            self.write_pdf(path)
        except OSError as error:
            self._say(self.tr("没能保存（%s）：%s") % (path, error.strerror or error), error=True)
            return None
        self._say(self.tr("已保存为 %s。打印后请删除这个文件，不要把它留在这台电脑或U盘上。") % path, error=False)
        return path

    def _say(self, text: str, *, error: bool) -> None:
        self.status_label.setStyleSheet(_ERROR_STYLE if error else _OK_STYLE)
        self.status_label.setText(text)

    def isComplete(self) -> bool:
        return self.kept_box.isChecked()

    def validatePage(self) -> bool:
        self._wizard.summary.key_acknowledged = self.kept_box.isChecked()
        return self.kept_box.isChecked()

    def nextId(self) -> int:
        return PAGE_PRINTER


class UsersExistPage(QWizardPage):
    """Re-run with users: where users and passwords are managed."""

    def __init__(self, wizard: SetupWizard) -> None:
        super().__init__()
        self._wizard = wizard
        self.setTitle(self.tr("第 2 步：用户"))
        self.setSubTitle(self.tr("本机已经有用户了，这一步不用做，请按“下一步”。"))
        self.count_label = _status_label("setupUserCount")
        layout = QVBoxLayout(self)
        layout.addWidget(self.count_label)
        layout.addWidget(
            _sentence(self.tr("添加用户、停用用户、修改密码或用恢复密钥重设密码，请到“设置”页的“用户和密码”。"))
        )
        layout.addStretch(1)

    def initializePage(self) -> None:
        with self._wizard.database.session() as session:
            count = first_run.user_count(session)
        self.count_label.setText(self.tr("本机现有 %d 个用户。") % count)

    def nextId(self) -> int:
        return PAGE_PRINTER


class PrinterPage(QWizardPage):
    """打印机: which printer, and the receipt overlay calibration page."""

    def __init__(self, wizard: SetupWizard) -> None:
        super().__init__()
        self._wizard = wizard
        self.setTitle(self.tr("第 3 步：打印机"))
        self.setSubTitle(self.tr("请选择打收据和公示用的打印机；用县里预印的收据纸时，再试打一张校准页。"))
        self.printer_combo = QComboBox()
        self.printer_combo.setObjectName("setupPrinter")
        self.printer_label = QLabel(self.tr("打印机(&P)："))
        self.printer_label.setBuddy(self.printer_combo)
        self.no_printer_label = _sentence(
            self.tr(
                "这台电脑还没有安装打印机。没关系：收据、公示等会保存为 PDF 文件（在数据文件夹的 printouts 里），"
                "装好打印机后可以再打印，也可以回到这里选择。"
            )
        )
        self.no_printer_label.setObjectName("setupNoPrinter")
        row = QHBoxLayout()
        row.addWidget(self.printer_label)
        row.addWidget(self.printer_combo, 1)
        self.message_label = _status_label("setupPrinterMessage")
        self.layout_ = QVBoxLayout(self)
        self.layout_.setSpacing(12)
        self.layout_.addLayout(row)
        self.layout_.addWidget(self.no_printer_label)
        self.calibration: ReceiptCalibration | None = None
        self.layout_.addWidget(self.message_label)
        self.layout_.addStretch(1)

    def initializePage(self) -> None:
        from pensiondesk.services.settings import printer_name

        wizard = self._wizard
        names = QPrinterInfo.availablePrinterNames()
        self.printer_combo.clear()
        chosen = printer_name(wizard.display_folder) or QPrinterInfo.defaultPrinterName()
        for name in names:
            self.printer_combo.addItem(name)
        if chosen in names:
            self.printer_combo.setCurrentText(chosen)
        has = bool(names)
        self.printer_combo.setVisible(has)
        self.printer_label.setVisible(has)
        self.no_printer_label.setVisible(not has)
        # The calibration box works on the database the wizard has now (reopened after the first user).
        if self.calibration is not None:
            self.layout_.removeWidget(self.calibration)
            self.calibration.deleteLater()
        self.calibration = ReceiptCalibration(
            wizard.database.session,
            wizard.work_actor(),
            wizard.db_path.parent / "printouts",
            self._print,
        )
        self.calibration.message.connect(self._say)
        self.layout_.insertWidget(2, self.calibration)
        self.calibration.reload()
        (self.printer_combo if has else self.calibration.test_page_button).setFocus()

    def _print(self, path: Path, name: str) -> str:
        self._remember()
        return self._wizard.send_to_printer(path, name)

    def _say(self, text: str, error: bool) -> None:
        self.message_label.setStyleSheet(_ERROR_STYLE if error else _OK_STYLE)
        self.message_label.setText(text)

    def _remember(self) -> bool:
        from pensiondesk.services.settings import save_printer_name

        name = self.printer_combo.currentText() if self.printer_combo.count() else None
        try:
            save_printer_name(name, self._wizard.display_folder)
        except ServiceError as error:
            self._say(error.user_message, True)
            return False
        self._wizard.summary.printer = name
        return True

    def validatePage(self) -> bool:
        return self._remember()

    def nextId(self) -> int:
        return PAGE_IMPORT


class ImportPage(QWizardPage):
    """导入花名册 (可跳过): opens the import wizard over the village's database."""

    def __init__(self, wizard: SetupWizard) -> None:
        super().__init__()
        self._wizard = wizard
        self.setTitle(self.tr("第 4 步：导入花名册（可以跳过）"))
        self.setSubTitle(self.tr("有县里或乡镇给的花名册 Excel 文件时，按“导入花名册”；没有就直接按“下一步”。"))
        self.import_button = QPushButton(self.tr("导入花名册(&I)…"))
        self.import_button.setObjectName("setupImport")
        self.import_button.setAutoDefault(False)
        self.import_button.clicked.connect(self.open_import)
        self.result_label = _status_label("setupImportResult")
        self.last_wizard: Any = None
        row = QHBoxLayout()
        row.addWidget(self.import_button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setSpacing(12)
        layout.addLayout(row)
        layout.addWidget(self.result_label)
        layout.addWidget(_sentence(self.tr("以后也可以在“人员/登记”页按“导入花名册”（Ctrl+I）导入。")))
        layout.addStretch(1)

    def build_import_wizard(self) -> Any:
        from pensiondesk.gui.import_wizard import ImportWizard

        wizard = self._wizard
        actor = wizard.work_actor()
        dialog = ImportWizard(wizard.database.session, self, actor=lambda: actor, start_dir=wizard.start_dir)
        dialog.imported.connect(self._imported)
        self.last_wizard = dialog
        return dialog

    def open_import(self) -> None:
        self.build_import_wizard().exec()

    def _imported(self, ids: list[str]) -> None:
        self._wizard.summary.imported += len(ids)
        self.result_label.setStyleSheet(_OK_STYLE)
        self.result_label.setText(self.tr("已导入 %d 人。") % self._wizard.summary.imported)

    def nextId(self) -> int:
        return PAGE_FINISH


class FinishPage(QWizardPage):
    """完成: what was set up, and where to change it."""

    def __init__(self, wizard: SetupWizard) -> None:
        super().__init__()
        self._wizard = wizard
        self.setTitle(self.tr("设置完成"))
        self.setSubTitle(self.tr("请看一下设置的结果，然后按“完成”开始工作。"))
        self.summary_label = _status_label("setupSummary")
        layout = QVBoxLayout(self)
        layout.setSpacing(12)
        layout.addWidget(self.summary_label)
        layout.addWidget(_sentence(self.tr("这些设置以后都可以在“设置”页修改，或按“重新运行设置向导”再来一遍。")))
        layout.addStretch(1)

    def initializePage(self) -> None:
        self.summary_label.setText("\n".join(self.lines()))

    def lines(self) -> list[str]:
        wizard = self._wizard
        summary = wizard.summary
        with wizard.database.session() as session:
            place = first_run.current_place(session)
            enrolled = first_run.is_enrolled(session)
            users = first_run.user_count(session)
        lines = []
        if place is not None:
            lines.append(
                self.tr("• 本村：%s（%s），%s %s")
                % (place.village_name, place.village_code, place.county_name, place.township_name)
            )
        else:
            lines.append(self.tr("• 本村：还没有设置（下次打开程序时会再问）"))
        lines.append(
            self.tr("• 县级服务器：已登记，可以在“同步”页同步")
            if enrolled
            else self.tr("• 县级服务器：还没有登记，有了登记码后到“同步”页登记")
        )
        if summary.user is not None:
            lines.append(
                self.tr("• 第一个用户：%s（%s），管理员；数据已加密保存")
                % (summary.user.display_name or summary.user.username, summary.user.username)
            )
            lines.append(self.tr("• 恢复密钥：已确认放入保险柜") if summary.key_acknowledged else "")
        elif not wizard.accounts:
            lines.append(self.tr("• 用户：这个版本的程序还没有登录功能"))
        else:
            lines.append(self.tr("• 用户：本机有 %d 个用户（在“设置 → 用户和密码”管理）") % users)
        lines.append(
            self.tr("• 打印机：%s") % summary.printer
            if summary.printer
            else self.tr("• 打印机：没有，打印的内容保存为 PDF 文件")
        )
        lines.append(
            self.tr("• 花名册：已导入 %d 人") % summary.imported
            if summary.imported
            else self.tr("• 花名册：没有导入（以后可以在“人员/登记”页导入）")
        )
        return [line for line in lines if line]


def run_first_run_if_needed(database: Database, parent: QWidget | None = None) -> Database:
    """At start (``gui.app``): the wizard on a brand-new data folder; returns the database to go on with.

    That is the one the wizard reopened with the first administrator's login once it created them (also when the
    coordinator closes the wizard after that step), else ``database`` itself. Nothing happens on a database that
    has users or a village (the demo included).
    """
    with database.session() as session:
        needed = first_run.needs_first_run(session)
    if not needed:
        return database
    wizard = SetupWizard(database, parent=parent)
    wizard.exec()
    return wizard.database
