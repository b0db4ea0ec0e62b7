"""The 同步 page (与县级服务器同步): enrolment, last sync, outbox counts, problems to resolve, sync now, USB files.

What the coordinator sees, top to bottom:

* 登记信息 — the county server, the village and device this laptop is enrolled as, the last sync and its result,
  a red warning when the laptop's clock is off (sync-protocol.md property 11), and a red warning while the county
  holds an open alert about this laptop's audit trail (审计日志与县里上次收到的不一致…);
* the counts 待上传 / 上传中 / 已接收 / 被拒绝 / 有冲突;
* the buttons 立即同步 (Ctrl+Shift+S), 登记到县级服务器…, 导出U盘文件…, 导入回执… and the 自动同步 checkbox;
* 需要处理的记录 — every record the county refused or disputed, with the county's reason and what to do; a
  conflict opens :class:`ConflictDialog` (本机 and 县级 side by side, 保留本机 / 采用县级).

Long work (enrolment, a sync: network calls of up to minutes) never runs on the GUI thread: :class:`_Call` is a
``QThread`` that runs one callable and hands the result back through signals, which Qt delivers on the GUI thread
(the Electrum pattern: the core knows nothing of Qt, the GUI re-emits its results as signals). The sync itself goes
through :class:`~pensiondesk.sync.worker.SyncWorker`, whose lock makes a second trigger a no-op while one runs.
The status-bar text is published through :attr:`SyncPage.status_changed`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pensiondesk.gui.person_model import SessionFactory
from pensiondesk.gui.qt import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QColor,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFont,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QKeySequence,
    QLabel,
    QLineEdit,
    QMessageBox,
    QObject,
    QProgressBar,
    QPushButton,
    Qt,
    QTableWidget,
    QTableWidgetItem,
    QThread,
    QTimer,
    QVBoxLayout,
    QWidget,
    Signal,
)
from pensiondesk.services import syncing
from pensiondesk.services.syncing import ConflictView, Outcome, ProblemRow, SyncOverview
from pensiondesk.store.errors import StoreError

__all__ = ["AUTO_SYNC_INTERVAL_MS", "ConflictDialog", "EnrolDialog", "SyncPage"]

log = logging.getLogger(__name__)

#: How often 自动同步 tries when it is on (the worker's lock skips a tick while a sync runs).
AUTO_SYNC_INTERVAL_MS = 5 * 60 * 1000

#: Outbox states in the order the counts are shown.
COUNT_STATES = ("pending", "in_flight", "accepted", "rejected", "conflict")


class _Call(QThread):
    """Runs ``fn()`` on its own thread; exactly one of :attr:`succeeded` / :attr:`failed` follows.

    The signals belong to this object, which lives on the GUI thread, so their slots run there. Known trouble
    (a :class:`~pensiondesk.sync.client.SyncError`, a refused USB file, a locked database) arrives as its Chinese
    message; a bug is logged and reported as one plain sentence.
    """

    succeeded = Signal(object)
    failed = Signal(str)

    def __init__(self, fn: Callable[[], Any], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._fn = fn

    def run(self) -> None:
        try:
            result = self._fn()
        except syncing.SyncError as exc:
            self.failed.emit(exc.message)
        except syncing.BatchFileError as exc:
            self.failed.emit(exc.user_message)
        except StoreError as exc:
            self.failed.emit(exc.user_message)
        except Exception as exc:  # a bug: the log gets the traceback, the coordinator one sentence
            log.exception("background sync task failed")
            self.failed.emit(
                QApplication.translate("SyncPage", "程序内部错误（%s），已记录日志。") % type(exc).__name__
            )
        else:
            self.succeeded.emit(result)


class EnrolDialog(QDialog):
    """登记到县级服务器: the server address and the one-time code the county gave (and a name for this laptop)."""

    def __init__(self, parent: QWidget | None = None, server_url: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("登记到县级服务器"))
        intro = QLabel(
            self.tr("请填写县社保局提供的服务器地址和一次性登记码。登记后，本机已有的全部记录会排队上传到县里。")
        )
        intro.setWordWrap(True)
        self.server_edit = QLineEdit(server_url)
        self.server_edit.setPlaceholderText(self.tr("例如：https://sync.example.gov.cn"))
        self.code_edit = QLineEdit()
        self.code_edit.setPlaceholderText(self.tr("例如：K7QH-3MZP-W2RC-9TXA"))
        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText(self.tr("可不填（默认：电脑名）"))
        form = QFormLayout()
        form.addRow(self.tr("服务器地址(&S)："), self.server_edit)
        form.addRow(self.tr("登记码(&C)："), self.code_edit)
        form.addRow(self.tr("本机名称(&N)："), self.name_edit)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(self.tr("登记"))
        self.buttons.accepted.connect(self._accept_if_filled)
        self.buttons.rejected.connect(self.reject)
        self.problem_label = QLabel()
        self.problem_label.setStyleSheet("color: #c62828;")
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.problem_label)
        layout.addWidget(self.buttons)
        self.resize(560, self.sizeHint().height())

    def values(self) -> tuple[str, str, str | None]:
        """(server URL, code, device name or ``None``) as typed, trimmed."""
        return self.server_edit.text().strip(), self.code_edit.text().strip(), self.name_edit.text().strip() or None

    def _accept_if_filled(self) -> None:
        server, code, _name = self.values()
        if not server.startswith(("http://", "https://")):
            self.problem_label.setText(self.tr("服务器地址应以 https:// 或 http:// 开头"))
            self.server_edit.setFocus()
            return
        if len(code) < 4:
            self.problem_label.setText(self.tr("请填写县社保局给的登记码"))
            self.code_edit.setFocus()
            return
        self.accept()


class ConflictDialog(QDialog):
    """One disputed record, the laptop's content and the county's side by side; the coordinator picks one.

    After it closes, :attr:`choice` is ``"laptop"`` (保留本机), ``"county"`` (采用县级) or ``None`` (取消).
    """

    def __init__(self, view: ConflictView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view = view
        self.choice: str | None = None
        self.setWindowTitle(self.tr("处理冲突 — %s") % view.title)
        heading = QLabel(view.title)
        font = QFont(heading.font())
        font.setBold(True)
        heading.setFont(font)
        reason = QLabel(view.reason)
        reason.setWordWrap(True)
        hint = QLabel(
            self.tr(
                "标黄的项目两边不同。保留本机：以本机内容覆盖县里（下次同步时上传）；采用县级：把县里的内容写回本机。"
            )
        )
        hint.setWordWrap(True)
        self.table = QTableWidget(len(view.fields), 3)
        self.table.setObjectName("conflictTable")
        self.table.setHorizontalHeaderLabels([self.tr("项目"), self.tr("本机"), self.tr("县级")])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        highlight = QColor(255, 243, 191)
        for row, item in enumerate(view.fields):
            for column, text in enumerate((item.label, item.laptop, item.county)):
                cell = QTableWidgetItem(text)
                if item.differs:
                    cell.setBackground(highlight)
                self.table.setItem(row, column, cell)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.keep_laptop_button = QPushButton(self.tr("保留本机(&L)"))
        self.keep_county_button = QPushButton(self.tr("采用县级(&C)"))
        cancel = QPushButton(self.tr("取消"))
        self.keep_laptop_button.clicked.connect(lambda: self._choose("laptop"))
        self.keep_county_button.clicked.connect(lambda: self._choose("county"))
        cancel.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.keep_laptop_button)
        buttons.addWidget(self.keep_county_button)
        buttons.addWidget(cancel)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(reason)
        layout.addWidget(hint)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.resize(760, 480)

    def _choose(self, keep: str) -> None:
        self.choice = keep
        self.accept()


class SyncPage(QWidget):
    """同步: the state of this laptop's sync with the county, and everything the coordinator can do about it."""

    #: The status-bar text (e.g. 同步：上次 2026-11-22 10:30，待上传 12 条), after every change.
    status_changed = Signal(str)
    #: A sync ended (manual or automatic); carries the :class:`~pensiondesk.sync.worker.Outcome`.
    sync_finished = Signal(object)

    def __init__(
        self,
        session_factory: SessionFactory,
        db_path: Path,
        operator: str = "coordinator",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._session_factory = session_factory
        self._db_path = Path(db_path)
        self._operator = operator
        self._database: syncing.Database | None = None
        self._worker: syncing.SyncWorker | None = None
        self._calls: list[_Call] = []
        self._sync_call: _Call | None = None
        self._overview = SyncOverview(enrolled=False)
        self._problems: list[ProblemRow] = []
        #: The last message box shown (kept so it is not garbage-collected, and for tests).
        self.last_message: QMessageBox | None = None
        self.conflict_dialog: ConflictDialog | None = None
        self.enrol_dialog: EnrolDialog | None = None

        heading = QLabel(self.tr("与县级服务器同步"))
        heading_font = QFont(heading.font())
        heading_font.setPointSizeF(heading_font.pointSizeF() * 1.4)
        heading_font.setBold(True)
        heading.setFont(heading_font)

        self.server_label = QLabel()
        self.village_label = QLabel()
        self.device_label = QLabel()
        self.last_sync_label = QLabel()
        self.result_label = QLabel()
        self.result_label.setWordWrap(True)
        self.clock_label = QLabel()
        self.clock_label.setObjectName("clockWarning")
        self.clock_label.setStyleSheet("color: #c62828; font-weight: bold;")
        self.clock_label.setWordWrap(True)
        for label in (self.server_label, self.device_label, self.result_label):
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        enrolment = QGroupBox(self.tr("登记信息"))
        form = QFormLayout(enrolment)
        form.addRow(self.tr("县级服务器："), self.server_label)
        form.addRow(self.tr("本村："), self.village_label)
        form.addRow(self.tr("设备编号："), self.device_label)
        form.addRow(self.tr("上次同步："), self.last_sync_label)
        form.addRow(self.tr("结果："), self.result_label)
        form.addRow(self.clock_label)
        self.audit_label = QLabel()
        self.audit_label.setObjectName("auditWarning")
        self.audit_label.setStyleSheet("color: #c62828; font-weight: bold;")
        self.audit_label.setWordWrap(True)
        form.addRow(self.audit_label)

        counts_box = QGroupBox(self.tr("记录状态"))
        grid = QGridLayout(counts_box)
        titles = {
            "pending": self.tr("待上传"),
            "in_flight": self.tr("上传中"),
            "accepted": self.tr("已接收"),
            "rejected": self.tr("被拒绝"),
            "conflict": self.tr("有冲突"),
        }
        number_font = QFont(heading.font())
        self.count_labels: dict[str, QLabel] = {}
        for column, state in enumerate(COUNT_STATES):
            number = QLabel("0")
            number.setObjectName(f"count_{state}")
            number.setFont(number_font)
            number.setAlignment(Qt.AlignmentFlag.AlignCenter)
            caption = QLabel(titles[state])
            caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
            grid.addWidget(number, 0, column)
            grid.addWidget(caption, 1, column)
            self.count_labels[state] = number

        self.sync_button = QPushButton(self.tr("立即同步"))
        self.sync_button.setObjectName("syncNow")
        self.sync_button.setShortcut(QKeySequence(Qt.Modifier.CTRL | Qt.Modifier.SHIFT | Qt.Key.Key_S))
        self.sync_button.setToolTip(self.tr("上传待传记录，接收县里的审核结果等（Ctrl+Shift+S）"))
        self.sync_button.clicked.connect(self.sync_now)
        self.enrol_button = QPushButton(self.tr("登记到县级服务器…"))
        self.enrol_button.clicked.connect(self.open_enrol_dialog)
        self.export_button = QPushButton(self.tr("导出U盘文件…"))
        self.export_button.setToolTip(self.tr("没有网络时：把待上传的数据写成签名文件，用U盘带到县社保局"))
        self.export_button.clicked.connect(self.choose_export_file)
        self.import_button = QPushButton(self.tr("导入回执…"))
        self.import_button.setToolTip(self.tr("导入县社保局给的签名回执文件"))
        self.import_button.clicked.connect(self.choose_ack_file)
        self.auto_check = QCheckBox(self.tr("自动同步（每 %d 分钟）") % (AUTO_SYNC_INTERVAL_MS // 60000))
        self.auto_check.setToolTip(self.tr("打开后，本机联网时每隔几分钟自动同步一次"))
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)  # busy: a sync reports no fraction, only that it is working
        self.progress.setMaximumWidth(160)
        self.progress.setVisible(False)
        buttons = QHBoxLayout()
        for button in (self.sync_button, self.enrol_button, self.export_button, self.import_button):
            buttons.addWidget(button)
        buttons.addSpacing(12)
        buttons.addWidget(self.auto_check)
        buttons.addStretch(1)
        buttons.addWidget(self.progress)
        self.message_label = QLabel()
        self.message_label.setObjectName("syncMessage")
        self.message_label.setWordWrap(True)

        problems_box = QGroupBox(self.tr("需要处理的记录"))
        self.problem_table = QTableWidget(0, 6)
        self.problem_table.setObjectName("problemTable")
        self.problem_table.setHorizontalHeaderLabels(
            [
                self.tr("问题"),
                self.tr("类型"),
                self.tr("人员/记录"),
                self.tr("县里的原因"),
                self.tr("怎么办"),
                self.tr("录入时间"),
            ]
        )
        self.problem_table.verticalHeader().setVisible(False)
        self.problem_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.problem_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.problem_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.problem_table.setWordWrap(True)
        header = self.problem_table.horizontalHeader()
        for column in (0, 1, 2, 5):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.problem_table.cellDoubleClicked.connect(lambda row, _column: self._open_problem(row))
        self.problem_table.itemSelectionChanged.connect(self._selection_changed)
        self.resolve_button = QPushButton(self.tr("处理冲突…"))
        self.resolve_button.setEnabled(False)
        self.resolve_button.clicked.connect(lambda: self._open_problem(self.problem_table.currentRow()))
        self.no_problems_label = QLabel(self.tr("没有需要处理的记录。"))
        self.no_problems_label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        problems_layout = QVBoxLayout(problems_box)
        problems_layout.addWidget(self.no_problems_label, 1)
        problems_layout.addWidget(self.problem_table, 1)
        resolve_row = QHBoxLayout()
        resolve_row.addWidget(QLabel(self.tr("双击有冲突的记录，可对照两边内容后决定保留哪一份。")))
        resolve_row.addStretch(1)
        resolve_row.addWidget(self.resolve_button)
        problems_layout.addLayout(resolve_row)

        top = QHBoxLayout()
        top.addWidget(enrolment, 3)
        top.addWidget(counts_box, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 8)
        layout.addWidget(heading)
        layout.addLayout(top)
        layout.addLayout(buttons)
        layout.addWidget(self.message_label)
        layout.addWidget(problems_box, 1)

        self.auto_timer = QTimer(self)
        self.auto_timer.setInterval(AUTO_SYNC_INTERVAL_MS)
        self.auto_timer.timeout.connect(self._auto_tick)
        with self._session_factory() as session:
            auto = syncing.auto_sync_enabled(session)
        self.auto_check.setChecked(auto)
        self.auto_check.toggled.connect(self.set_auto_sync)
        if auto:
            self.auto_timer.start()
        app = QApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.shutdown)
        self.refresh(publish=False)
        # The status bar is built after the pages: publish once the event loop runs.
        QTimer.singleShot(0, self, self.refresh)  # not run once the page is gone

    # --- reading --------------------------------------------------------------------------------------------

    @property
    def overview(self) -> SyncOverview:
        """What the page shows now."""
        return self._overview

    @property
    def problems(self) -> list[ProblemRow]:
        """The rows of 需要处理的记录, in table order."""
        return list(self._problems)

    @property
    def is_syncing(self) -> bool:
        """Whether a sync started from this page is still running."""
        return self._sync_call is not None or (self._worker is not None and self._worker.running)

    def status_text(self) -> str:
        """The status-bar line for the current overview."""
        ov = self._overview
        if not ov.enrolled:
            return self.tr("同步：未登记县级服务器")
        if self.is_syncing:
            return self.tr("同步：正在同步…")
        if ov.last_sync_at is None:
            text = self.tr("同步：从未同步，待上传 %d 条") % ov.waiting
        else:
            text = self.tr("同步：上次 %s，待上传 %d 条") % (f"{ov.last_sync_at:%Y-%m-%d %H:%M}", ov.waiting)
        if ov.to_resolve:
            text += self.tr("，%d 条需处理") % ov.to_resolve
        if ov.update_notice:
            text += self.tr("。%s") % ov.update_notice
        if ov.audit_warning:
            text += self.tr("。审计日志异常，请联系县社保局")
        return text

    def refresh(self, publish: bool = True) -> None:
        """Re-read enrolment, counts and problems; publish the status-bar text."""
        with self._session_factory() as session:
            self._overview = syncing.overview(session)
            self._problems = syncing.problem_rows(session)
        ov = self._overview
        dash = self.tr("—")
        if ov.enrolled:
            self.server_label.setText(ov.server_url or dash)
            self.village_label.setText(ov.village or dash)
            self.device_label.setText(ov.device_id or dash)
            self.enrol_button.setText(self.tr("重新登记…"))
        else:
            self.server_label.setText(self.tr("未登记（请点“登记到县级服务器…”）"))
            self.village_label.setText(dash)
            self.device_label.setText(dash)
            self.enrol_button.setText(self.tr("登记到县级服务器…"))
        self.last_sync_label.setText(f"{ov.last_sync_at:%Y-%m-%d %H:%M}" if ov.last_sync_at else self.tr("从未同步"))
        self.result_label.setText(ov.last_result or dash)
        self.clock_label.setText(self.tr("注意：%s") % ov.clock_warning if ov.clock_warning else "")
        self.clock_label.setVisible(bool(ov.clock_warning))
        self.audit_label.setText(self.tr("警告：%s") % ov.audit_warning if ov.audit_warning else "")
        self.audit_label.setVisible(bool(ov.audit_warning))
        for state, label in self.count_labels.items():
            label.setText(str(ov.counts.get(state, 0)))
        colours = {"rejected": "#c62828", "conflict": "#9a6700"}
        for state, colour in colours.items():
            bad = ov.counts.get(state, 0) > 0
            self.count_labels[state].setStyleSheet(f"color: {colour};" if bad else "")
        # 立即同步 stays enabled while a sync runs: a second click then says a sync is already running.
        for button in (self.sync_button, self.export_button, self.import_button):
            button.setEnabled(ov.enrolled)
        self._fill_problems()
        if publish:
            self.status_changed.emit(self.status_text())

    def _fill_problems(self) -> None:
        table = self.problem_table
        table.setRowCount(len(self._problems))
        for row, problem in enumerate(self._problems):
            kind = self.tr("有冲突") if problem.is_conflict else self.tr("被拒绝")
            values = (
                kind,
                problem.record_label,
                problem.subject,
                problem.reason,
                problem.advice,
                f"{problem.captured_at:%Y-%m-%d %H:%M}",
            )
            for column, text in enumerate(values):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                if column == 0:
                    item.setForeground(QColor("#9a6700" if problem.is_conflict else "#c62828"))
                table.setItem(row, column, item)
        table.resizeRowsToContents()
        table.setVisible(bool(self._problems))
        self.no_problems_label.setVisible(not self._problems)
        self._selection_changed()

    def _selection_changed(self) -> None:
        row = self.problem_table.currentRow()
        self.resolve_button.setEnabled(0 <= row < len(self._problems) and self._problems[row].is_conflict)

    # --- the database and the worker -------------------------------------------------------------------------

    def database(self) -> syncing.Database:
        """The database the sync engine works on (opened on first use)."""
        if self._database is None:
            self._database = syncing.database_for(self._session_factory, self._db_path)
        return self._database

    @property
    def worker(self) -> syncing.SyncWorker:
        """The one :class:`SyncWorker` of this page: its lock keeps syncs from overlapping."""
        if self._worker is None:
            self._worker = syncing.SyncWorker(self.database())
        return self._worker

    def _start(
        self, fn: Callable[[], Any], on_success: Callable[[Any], None], on_failure: Callable[[str], None]
    ) -> _Call:
        call = _Call(fn, self)
        call.succeeded.connect(on_success)
        call.failed.connect(on_failure)
        call.finished.connect(lambda: self._forget(call))
        self._calls.append(call)
        call.start()
        return call

    def _forget(self, call: _Call) -> None:
        if call in self._calls:
            self._calls.remove(call)
        call.deleteLater()

    def shutdown(self) -> None:
        """Stop the timer and wait for running work (the program is closing)."""
        self.auto_timer.stop()
        for call in list(self._calls):
            call.wait()

    # --- sync now -------------------------------------------------------------------------------------------

    def sync_now(self, *, quiet: bool = False) -> bool:
        """立即同步 on a worker thread; returns whether a sync started (a second click while one runs does not)."""
        if self.is_syncing:
            if not quiet:
                self.message_label.setText(self.tr("正在同步，请稍候。这次点击没有再开始一次同步。"))
            return False
        if not self._overview.enrolled:
            if not quiet:
                self._tell(
                    QMessageBox.Icon.Information,
                    self.tr("本机尚未登记到县级服务器。请先点“登记到县级服务器…”，填写县社保局给的地址和登记码。"),
                )
            return False
        worker = self.worker
        self.message_label.setText(self.tr("正在同步：上传待传记录，接收县里的数据…"))
        self.progress.setVisible(True)
        self._sync_call = self._start(
            worker.trigger, lambda outcome: self._sync_done(outcome, quiet), lambda text: self._sync_failed(text, quiet)
        )
        self.status_changed.emit(self.status_text())
        return True

    def _sync_done(self, outcome: Outcome, quiet: bool) -> None:
        self._sync_call = None
        self.progress.setVisible(False)
        if outcome.busy:
            self.message_label.setText(self.tr("另一次同步正在进行，这次没有再同步。"))
        elif outcome.report is not None:
            report = outcome.report
            self.message_label.setText(report.text())
            if (report.error or report.update == "required") and not quiet:
                self._tell(QMessageBox.Icon.Warning, report.text())
        self.refresh()
        self.sync_finished.emit(outcome)

    def _sync_failed(self, text: str, quiet: bool) -> None:
        self._sync_call = None
        self.progress.setVisible(False)
        self.message_label.setText(self.tr("同步未完成：%s") % text)
        if not quiet:
            self._tell(QMessageBox.Icon.Warning, self.tr("同步未完成：%s") % text)
        self.refresh()
        self.sync_finished.emit(None)

    # --- automatic sync -------------------------------------------------------------------------------------

    def set_auto_sync(self, enabled: bool) -> None:
        """Turn 自动同步 on or off, remember it in the database, start or stop the timer."""
        try:
            with self._session_factory() as session:
                syncing.set_auto_sync(session, enabled)
        except StoreError as exc:
            self._tell(QMessageBox.Icon.Warning, exc.user_message)
        if enabled:
            self.auto_timer.start()
            self.message_label.setText(
                self.tr("已打开自动同步：每 %d 分钟同步一次。") % (AUTO_SYNC_INTERVAL_MS // 60000)
            )
        else:
            self.auto_timer.stop()
            self.message_label.setText(self.tr("已关闭自动同步。"))

    def _auto_tick(self) -> None:
        """The timer: sync quietly when enrolled and idle (failures show on the page, never as a pop-up)."""
        if self._overview.enrolled and not self.is_syncing:
            self.sync_now(quiet=True)

    # --- enrolment ------------------------------------------------------------------------------------------

    def open_enrol_dialog(self) -> EnrolDialog:
        """登记到县级服务器…: ask for the address and the code (non-blocking dialog)."""
        if self._overview.enrolled:
            answer = QMessageBox.question(
                self,
                self.tr("重新登记"),
                self.tr("本机已登记到 %s。重新登记会换用新的设备编号。确定要重新登记吗？")
                % (self._overview.server_url or ""),
            )
            if answer != QMessageBox.StandardButton.Yes:
                return self.enrol_dialog or EnrolDialog(self)
        dialog = EnrolDialog(self, self._overview.server_url or "")
        dialog.accepted.connect(lambda: self.enrol(*dialog.values()))
        self.enrol_dialog = dialog
        dialog.open()
        return dialog

    def enrol(self, server_url: str, code: str, device_name: str | None = None) -> bool:
        """Enrol with the county on a worker thread; returns whether it started."""
        if self.is_syncing:
            self.message_label.setText(self.tr("正在同步，请同步结束后再登记。"))
            return False
        db = self.database()
        self.message_label.setText(self.tr("正在连接县级服务器登记本机…"))
        self.progress.setVisible(True)
        self.enrol_button.setEnabled(False)
        self._start(lambda: syncing.enroll(db, server_url, code, device_name), self._enrolled, self._enrol_failed)
        return True

    def _enrolled(self, _state: object) -> None:
        self.progress.setVisible(False)
        self.enrol_button.setEnabled(True)
        self.refresh()
        self.message_label.setText(
            self.tr("已登记到县级服务器。待上传 %d 条，点“立即同步”开始上传。") % self._overview.waiting
        )

    def _enrol_failed(self, text: str) -> None:
        self.progress.setVisible(False)
        self.enrol_button.setEnabled(True)
        self.message_label.setText(self.tr("登记未成功：%s") % text)
        self._tell(QMessageBox.Icon.Warning, self.tr("登记未成功：%s") % text)

    # --- conflicts ------------------------------------------------------------------------------------------

    def _open_problem(self, row: int) -> None:
        if 0 <= row < len(self._problems):
            problem = self._problems[row]
            if problem.is_conflict:
                self.open_conflict(problem.outbox_id)
            else:
                self._tell(QMessageBox.Icon.Information, f"{problem.reason}\n\n{problem.advice}")

    def open_conflict(self, outbox_id: str) -> ConflictDialog | None:
        """Show the side-by-side dialog for one conflict (non-blocking); the choice is applied when it closes."""
        try:
            with self._session_factory() as session:
                view = syncing.conflict_view(session, outbox_id)
        except ValueError:
            self.refresh()
            self.message_label.setText(self.tr("这条冲突已经处理过了。"))
            return None
        dialog = ConflictDialog(view, self)
        dialog.accepted.connect(lambda: self.resolve(outbox_id, dialog.choice))
        self.conflict_dialog = dialog
        dialog.open()
        return dialog

    def resolve(self, outbox_id: str, keep: str | None) -> None:
        """Apply the coordinator's decision on a conflict (``"laptop"`` or ``"county"``)."""
        if keep not in ("laptop", "county"):
            return
        try:
            syncing.resolve_conflict(self.database(), outbox_id, keep=keep, operator=self._operator)
        except ValueError:
            self.message_label.setText(self.tr("这条冲突已经处理过了。"))
        except StoreError as exc:
            self._tell(QMessageBox.Icon.Warning, exc.user_message)
            return
        else:
            self.message_label.setText(
                self.tr("已保留本机的内容，下次同步时上传到县里。")
                if keep == "laptop"
                else self.tr("已采用县级的内容，本机记录已更新。")
            )
        self.refresh()

    # --- USB files ------------------------------------------------------------------------------------------

    def choose_export_file(self) -> None:
        """导出U盘文件…: ask where to write the signed batch file."""
        suggested = str(self._db_path.parent / "县级同步文件.json")
        path, _filter = QFileDialog.getSaveFileName(
            self, self.tr("导出U盘文件"), suggested, self.tr("同步文件 (*.json)")
        )
        if path:
            self.export_to(Path(path))

    def export_to(self, path: Path) -> int:
        """Write the next batch to ``path``; returns the number of records (0: nothing to send)."""
        try:
            n = syncing.export_batch(self.database(), path)
        except (syncing.SyncError, syncing.BatchFileError, StoreError, OSError) as exc:
            self._tell(QMessageBox.Icon.Warning, self.tr("导出未成功：%s") % _message(exc))
            return 0
        self.refresh()
        if n:
            self._tell(
                QMessageBox.Icon.Information,
                self.tr("已写出 %d 条记录到 %s。\n请把文件带到县社保局导入，再把回执文件带回来点“导入回执…”。")
                % (n, path),
            )
        else:
            self._tell(QMessageBox.Icon.Information, self.tr("没有待上传的记录，未生成文件。"))
        return n

    def choose_ack_file(self) -> None:
        """导入回执…: ask for the county's signed acknowledgement file."""
        path, _filter = QFileDialog.getOpenFileName(
            self, self.tr("导入回执"), str(self._db_path.parent), self.tr("回执文件 (*.json);;所有文件 (*)")
        )
        if path:
            self.import_ack_from(Path(path))

    def import_ack_from(self, path: Path) -> dict[str, int]:
        """Apply the county's acknowledgement; returns counts by new state (empty if refused)."""
        try:
            counts = syncing.import_ack(self.database(), path)
        except (syncing.BatchFileError, StoreError) as exc:
            self._tell(QMessageBox.Icon.Warning, self.tr("回执未导入：%s") % _message(exc))
            return {}
        self.refresh()
        accepted, rejected, conflict = (counts.get(k, 0) for k in ("accepted", "rejected", "conflict"))
        self._tell(
            QMessageBox.Icon.Information,
            self.tr("回执已导入：县里已接收 %d 条，被拒绝 %d 条，有冲突 %d 条。") % (accepted, rejected, conflict),
        )
        return counts

    # --- messages -------------------------------------------------------------------------------------------

    def _tell(self, icon: QMessageBox.Icon, text: str) -> QMessageBox:
        """A non-blocking message box (the GUI keeps running; tests read :attr:`last_message`)."""
        box = QMessageBox(icon, self.tr("同步"), text, QMessageBox.StandardButton.Ok, self)
        self.last_message = box
        box.open()
        return box


def _message(exc: BaseException) -> str:
    for attribute in ("user_message", "message"):
        text = getattr(exc, attribute, None)
        if isinstance(text, str) and text:
            return text
    return str(exc)
