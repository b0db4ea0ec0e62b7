"""设置: the text size of this computer, what this computer holds (本机信息), and the receipt overlay calibration.

* **字体大小** — 标准 / 大 / 特大 (1.0 / 1.2 / 1.4 × the default size). Kept per computer in the data folder
  (:mod:`pensiondesk.services.settings`), applied by ``run_gui`` before the window is built and at once when
  changed here: the application font changes and the widgets follow.
* **本机信息** — village and township, the database file and its size, the data and backup folders with the
  newest backups, the policy pack in force; 立即备份 makes a backup on a worker thread (a database of a few
  thousand residents with ten years of payments takes a second or two; the window stays responsive meanwhile).
* **套打校准** — the overlay offsets in millimetres, through the same service as ``pensiondesk receipt calibrate``
  (audited), and the calibration page of ``pensiondesk print receipt-test``.

Like every page, it reaches the data through services only.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from pensiondesk.gui.app import apply_text_size
from pensiondesk.gui.errors import show_store_error
from pensiondesk.gui.person_model import SessionFactory
from pensiondesk.gui.qt import (
    QT_TRANSLATE_NOOP,
    QApplication,
    QButtonGroup,
    QCoreApplication,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QObject,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QShowEvent,
    Qt,
    QThread,
    QVBoxLayout,
    QWidget,
    Signal,
)
from pensiondesk.services.people_types import ServiceError
from pensiondesk.services.recording import Actor
from pensiondesk.services.settings import (
    Language,
    MachineInfo,
    TextSize,
    machine_info,
    save_text_size,
    save_ui_language,
    text_size,
    ui_language,
)
from pensiondesk.store.errors import StoreError

__all__ = ["SettingsPage"]

#: Prints a PDF and says what happened (see money_page.send_to_printer); tests pass their own.
Printer = Callable[[Path, str], str]

_ERROR_STYLE = "color: #b00020;"
_OK_STYLE = "color: #1b5e20;"
_TEXT_SIZE_BUTTONS = {
    TextSize.STANDARD: QT_TRANSLATE_NOOP("SettingsPage", "标准(&N)"),
    TextSize.LARGE: QT_TRANSLATE_NOOP("SettingsPage", "大(&L)"),
    TextSize.EXTRA_LARGE: QT_TRANSLATE_NOOP("SettingsPage", "特大(&E)"),
}


class _BackupNow(QThread):
    """立即备份: a manual backup into ``backups/`` beside the database, off the GUI thread."""

    done = Signal(bool, str)  # (succeeded, message in Chinese)

    def __init__(self, db_path: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.db_path = db_path

    def run(self) -> None:
        from pensiondesk.services.backups import create_backup

        try:
            info = create_backup(self.db_path)
        except StoreError as error:
            self.done.emit(False, error.user_message)
        except OSError as error:
            failed = QCoreApplication.translate("SettingsPage", "备份没有完成：%s")
            self.done.emit(False, failed % (error.strerror or error))
        else:
            made = QCoreApplication.translate("SettingsPage", "已备份：%s（%s）")
            self.done.emit(True, made % (info.path, info.size_text))


def _caption(button: QRadioButton) -> str:
    """A button's text without its mnemonic: 标准(&N) → 标准, &Standard → Standard."""
    return re.sub(r"\(&\w\)|&(?=\w)", "", button.text())


def _value_label(name: str) -> QLabel:
    """A value of 本机信息: selectable (a path can be copied into an e-mail to the county), wrapped."""
    label = QLabel()
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setTextInteractionFlags(
        Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard
    )
    return label


class SettingsPage(QWidget):
    """设置: 字体大小, 本机信息 (with 立即备份) and 套打校准."""

    #: The application font changed to this point size (the main window re-fits what it sized by hand).
    text_size_changed = Signal(float)
    #: A backup made here has finished (succeeded or not).
    backup_finished = Signal(bool)

    def __init__(
        self,
        session_factory: SessionFactory,
        db_path: Path,
        actor: Actor,
        output_dir: Path,
        *,
        display_folder: Path | None = None,
        printer: Printer | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._session_factory = session_factory
        self._db_path = Path(db_path)
        self._actor = actor
        self._output_dir = Path(output_dir)
        self._display_folder = display_folder  # None: the data folder (tests pass their own)
        if printer is None:
            from pensiondesk.gui.money_page import send_to_printer

            printer = send_to_printer
        self._printer = printer
        self._backup: _BackupNow | None = None
        self.info: MachineInfo | None = None

        self.message_label = QLabel()
        self.message_label.setObjectName("settingsMessage")
        self.message_label.setWordWrap(True)
        self.message_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        content = QWidget()
        layout = QVBoxLayout(content)
        layout.setContentsMargins(16, 16, 16, 16)
        layout.setSpacing(14)
        layout.addWidget(self._text_size_group())
        layout.addWidget(self._language_group())
        layout.addWidget(self._calibration_group())
        layout.addWidget(self._users_group())
        layout.addWidget(self._info_group())
        layout.addStretch(1)
        # At 特大 on a 1366×768 screen the page is taller than the window: it scrolls rather than squeezes.
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # no Tab stop of its own: it scrolls to the focused field
        scroll.setWidget(content)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.message_label)
        outer.addWidget(scroll, 1)
        self.message_label.setContentsMargins(16, 8, 16, 0)

        self.refresh()

    # --- construction ---------------------------------------------------------------------------------------

    def _text_size_group(self) -> QGroupBox:
        group = QGroupBox(self.tr("字体大小"))
        self.text_size_buttons: dict[TextSize, QRadioButton] = {}
        self._text_size_group_buttons = QButtonGroup(self)
        row = QHBoxLayout()
        chosen = text_size(self._display_folder)
        for size, caption in _TEXT_SIZE_BUTTONS.items():
            button = QRadioButton(self.tr(caption))
            button.setObjectName(f"textSize_{size.value}")
            button.setChecked(size is chosen)
            self.text_size_buttons[size] = button
            self._text_size_group_buttons.addButton(button)
            row.addWidget(button)
            button.toggled.connect(lambda checked, size=size: self._text_size_toggled(size, checked))
        row.addStretch(1)
        hint = QLabel(self.tr("改后立即生效，只影响这台电脑；下次打开程序时仍是这个大小。"))
        hint.setWordWrap(True)
        box = QVBoxLayout(group)
        box.addLayout(row)
        box.addWidget(hint)
        return group

    def _language_group(self) -> QGroupBox:
        # Each language is named in itself, so whoever sits in front of the screen finds theirs.
        group = QGroupBox(self.tr("界面语言"))
        self.language_buttons: dict[Language, QRadioButton] = {}
        buttons = QButtonGroup(self)
        row = QHBoxLayout()
        self._language_at_start = ui_language(self._display_folder)
        for language in Language:
            button = QRadioButton(language.label)
            button.setObjectName(f"language_{language.value}")
            button.setChecked(language is self._language_at_start)
            buttons.addButton(button)
            self.language_buttons[language] = button
            row.addWidget(button)
            button.toggled.connect(lambda checked, language=language: self._language_toggled(language, checked))
        row.addStretch(1)
        hint = QLabel(self.tr("重启程序后生效，只影响这台电脑。人员姓名、政策包名称等资料和打印的单据仍是中文。"))
        hint.setWordWrap(True)
        box = QVBoxLayout(group)
        box.addLayout(row)
        box.addWidget(hint)
        return group

    def _language_toggled(self, language: Language, checked: bool) -> None:
        if checked:
            self.choose_language(language)

    def choose_language(self, language: Language) -> None:
        """Remember ``language`` on this computer; the program speaks it from the next start."""
        button = self.language_buttons[language]
        if not button.isChecked():
            button.setChecked(True)  # its toggle comes back here
            return
        try:
            save_ui_language(language, self._display_folder)
        except ServiceError as error:
            self._error(self.tr("没能保存界面语言。%s") % error)
            return
        self._ok(self.tr("界面语言已改为“%s”，重启程序后生效。") % language.label)

    def _info_group(self) -> QGroupBox:
        group = QGroupBox(self.tr("本机信息"))
        self.village_value = _value_label("infoVillage")
        self.township_value = _value_label("infoTownship")
        self.db_path_value = _value_label("infoDbPath")
        self.db_size_value = _value_label("infoDbSize")
        self.data_folder_value = _value_label("infoDataFolder")
        self.backup_folder_value = _value_label("infoBackupFolder")
        self.backups_value = _value_label("infoBackups")
        self.policy_value = _value_label("infoPolicyPack")
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        for caption, value in (
            (self.tr("本村："), self.village_value),
            (self.tr("所属乡镇："), self.township_value),
            (self.tr("数据库文件："), self.db_path_value),
            (self.tr("数据库大小："), self.db_size_value),
            (self.tr("数据文件夹："), self.data_folder_value),
            (self.tr("备份文件夹："), self.backup_folder_value),
            (self.tr("最近的备份："), self.backups_value),
            (self.tr("政策参数包："), self.policy_value),
        ):
            form.addRow(caption, value)
        self.backup_button = QPushButton(self.tr("立即备份(&B)"))
        self.backup_button.setObjectName("backupNow")
        self.backup_button.setAutoDefault(False)
        self.backup_button.clicked.connect(self.backup_now)
        buttons = QHBoxLayout()
        buttons.addWidget(self.backup_button)
        buttons.addWidget(QLabel(self.tr("（备份在后台进行，不影响继续工作）")))
        buttons.addStretch(1)
        box = QVBoxLayout(group)
        box.addLayout(form)
        box.addLayout(buttons)
        return group

    def _calibration_group(self) -> QGroupBox:
        from pensiondesk.gui.calibration import ReceiptCalibration

        # The same box as the setup wizard's 打印机 step (gui/calibration.py).
        self.calibration = ReceiptCalibration(self._session_factory, self._actor, self._output_dir, self._printer)
        self.calibration.message.connect(lambda text, error: self._error(text) if error else self._ok(text))
        self.x_edit = self.calibration.x_edit
        self.y_edit = self.calibration.y_edit
        self.save_offset_button = self.calibration.save_offset_button
        self.test_page_button = self.calibration.test_page_button
        return self.calibration

    def _users_group(self) -> QWidget:
        from pensiondesk.gui.users_section import SecurityBox, UsersBox

        # 用户和密码 (gui/users_section.py: add/disable for administrators, own password, recovery key) and 安全
        # (自动锁定 minutes, 重新运行设置向导).
        self.users_box = UsersBox(self._session_factory, self._db_path, self._actor)
        self.security_box = SecurityBox(self._session_factory, self._db_path, self._actor)
        for box in (self.users_box, self.security_box):
            box.message.connect(lambda text, error: self._error(text) if error else self._ok(text))
        self.security_box.wizard_finished.connect(self.refresh)
        self.security_box.wizard_finished.connect(self.users_box.reload)
        holder = QWidget()
        column = QVBoxLayout(holder)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(14)
        column.addWidget(self.users_box)
        column.addWidget(self.security_box)
        return holder

    # --- reading --------------------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Re-read 本机信息 and the offsets (done each time the page is shown)."""
        try:
            with self._session_factory() as session:
                info = machine_info(session, self._db_path)
        except ServiceError as error:
            self._error(error.user_message)
            return
        except StoreError as error:
            show_store_error(self, error)
            return
        self.info = info
        self.village_value.setText(info.village or self.tr("未设置"))
        self.township_value.setText(info.township or self.tr("未设置"))
        self.db_path_value.setText(str(info.db_path))
        self.db_size_value.setText(info.db_size_text)
        self.data_folder_value.setText(str(info.data_folder))
        self.backup_folder_value.setText(str(info.backup_folder))
        if info.newest_backups:
            lines = [
                f"{backup.created:%Y-%m-%d %H:%M}　{backup.kind.label}　{backup.size_text}　{backup.path.name}"
                for backup in info.newest_backups
            ]
            if info.backup_count > len(info.newest_backups):
                lines.append(self.tr("……共 %d 个备份") % info.backup_count)
            self.backups_value.setText("\n".join(lines))
        else:
            self.backups_value.setText(self.tr("还没有备份"))
        self.policy_value.setText(
            self.tr("%s（编号 %s，第 %d 版，%s 起执行）")
            % (
                info.policy_pack_name,
                info.policy_pack_id,
                info.policy_pack_version,
                f"{info.policy_pack_effective_from:%Y-%m-%d}",
            )
        )
        self.x_edit.setText(str(info.overlay.x_mm))
        self.y_edit.setText(str(info.overlay.y_mm))

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.info is not None:  # the first show follows the constructor's own refresh
            self.refresh()

    # --- 字体大小 -------------------------------------------------------------------------------------------

    def _text_size_toggled(self, size: TextSize, checked: bool) -> None:
        if checked:  # the button being switched off says nothing: its neighbour's toggle does
            self.choose_text_size(size)

    def choose_text_size(self, size: TextSize) -> None:
        """Apply ``size`` to the whole program now and remember it on this computer."""
        button = self.text_size_buttons[size]
        if not button.isChecked():
            button.setChecked(True)  # its toggle comes back here with the button checked
            return
        app = QApplication.instance()
        if isinstance(app, QApplication):
            point_size = apply_text_size(app, size)
            self.text_size_changed.emit(point_size)
        try:
            save_text_size(size, self._display_folder)
        except ServiceError as error:
            self._error(
                self.tr("字体已改为“%s”，但没能记住，下次打开程序会恢复原来的大小。%s") % (_caption(button), error)
            )
            return
        self._ok(self.tr("字体大小已改为“%s”") % _caption(button))

    # --- 立即备份 -------------------------------------------------------------------------------------------

    def backup_now(self) -> None:
        if self.backup_running():
            return
        self.backup_button.setEnabled(False)
        self._ok(self.tr("正在备份……"))
        self._backup = _BackupNow(self._db_path, self)
        self._backup.done.connect(self._backup_done)
        self._backup.start()

    def backup_running(self) -> bool:
        return self._backup is not None and self._backup.isRunning()

    def wait_for_backup(self) -> None:
        """Let a backup being written finish (the main window calls this when it closes)."""
        if self._backup is not None:
            self._backup.wait()

    def _backup_done(self, succeeded: bool, message: str) -> None:
        self.backup_button.setEnabled(True)
        if succeeded:
            self._ok(message)
        else:
            self._error(message)
        self.refresh()
        self.backup_finished.emit(succeeded)

    # --- 套打校准 -------------------------------------------------------------------------------------------

    def save_offset(self) -> None:
        self.calibration.save_offset()

    def print_test_page(self) -> None:
        """Print the calibration page with the saved offsets (what is typed but not saved is not used)."""
        self.calibration.print_test_page()

    # --- helpers --------------------------------------------------------------------------------------------

    @contextmanager
    def _write(self) -> Iterator[Any]:
        """A session for a use case that writes: ``BEGIN IMMEDIATE`` when the factory offers it."""
        factory: Any = self._session_factory
        try:
            takes_immediate = "immediate" in inspect.signature(factory).parameters
        except (TypeError, ValueError):
            takes_immediate = False
        with factory(immediate=True) if takes_immediate else factory() as session:
            yield session

    def _ok(self, text: str) -> None:
        self.message_label.setStyleSheet(_OK_STYLE)
        self.message_label.setText(text)

    def _error(self, text: str) -> None:
        self.message_label.setStyleSheet(_ERROR_STYLE)
        self.message_label.setText(text)
