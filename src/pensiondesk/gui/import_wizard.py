"""The roster import wizard (导入花名册): file → columns → preview → import → result.

1. 选择文件: an .xlsx/.xls/.ods/.csv roster; it is read and checked at once
   (:func:`pensiondesk.services.roster_import.plan_import`, nothing written).
2. 核对列对应: every column of the sheet with its header, a sample value, the field it feeds (a combo the
   coordinator can change) and how sure the guess is; changing it checks the file again.
3. 预览: every row coloured by what will happen — 新增 (green), 未变 (grey), 拒绝 (red) with the problem in plain
   Chinese, warnings amber — and the counts. When the file has a 缴费档次 column, 同时按表中的缴费档次录入参保登记
   (N 人) (checked; N: the rows whose 参保登记 will be entered, see ``roster_import``) also enters those
   registrations, for 初审 on 审核; the rows whose person cannot be registered say why. 开始导入 is the point of no
   return.
4. 导入: a progress bar and 取消导入. The import runs in a worker thread (:class:`BackgroundJob`, a ``QThread``)
   in one transaction: cancelling rolls it back and nothing is written, which the page says.
5. 结果: the counts, the registrations entered and the ones that could not be (with the reasons), and
   保存问题报告… writes the .xlsx report (the original columns plus 结果 and 问题说明, rejected rows red) that the
   coordinator fixes and imports again.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pensiondesk.gui.errors import show_error, show_store_error
from pensiondesk.gui.person_form import current_actor
from pensiondesk.gui.person_model import SessionFactory
from pensiondesk.gui.qt import (
    QAbstractItemView,
    QCheckBox,
    QColor,
    QComboBox,
    QFileDialog,
    QGuiApplication,
    QHBoxLayout,
    QHeaderView,
    QKeyEvent,
    QLabel,
    QLineEdit,
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
    QWizard,
    QWizardPage,
    Signal,
)
from pensiondesk.services.people import Cancelled
from pensiondesk.services.people_types import ServiceError
from pensiondesk.services.person_queries import current_village_id
from pensiondesk.services.recording import Actor
from pensiondesk.services.roster_import import (
    ImportPlan,
    ImportResult,
    RowStatus,
    execute_import,
    plan_import,
    write_report,
)
from pensiondesk.sheets.cells import lost_digits_text
from pensiondesk.sheets.columns import CONTAINS, NOTED, ColumnMapping, RosterField
from pensiondesk.sheets.reader import SheetError
from pensiondesk.store.errors import StoreError

__all__ = ["ROSTER_SUFFIXES", "BackgroundJob", "ImportWizard"]

#: File types a roster comes as (domain.md §16).
ROSTER_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".csv")

_ROW_COLOURS = {
    RowStatus.ADD: QColor("#e4f4e0"),
    RowStatus.UNCHANGED: QColor("#eeeeee"),
    RowStatus.REJECTED: QColor("#fbd3d3"),
}
_WARNING_COLOUR = QColor("#fff1c2")
#: Up to this many rows the preview fits each row's height to its problem text (measuring costs time).
_WRAP_ROWS_LIMIT = 3000

Job = Callable[[Callable[[int, int], None], Callable[[], bool]], object]


def _column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA: the column names Excel shows."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    lost = lost_digits_text(value)  # an ID stored as a number: as Excel shows it, never guessed digits
    if lost is not None:
        return lost
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


class BackgroundJob(QObject):
    """Runs ``job(progress, cancelled)`` in a ``QThread`` and reports back through signals on the GUI thread.

    ``job`` gets a ``progress(done, total)`` callback and a ``cancelled()`` predicate; :meth:`cancel` makes the
    predicate true (thread-safe). Exactly one of :attr:`succeeded`, :attr:`was_cancelled`, :attr:`failed` is
    emitted at the end; a bug (any other exception) goes to ``sys.excepthook`` on the GUI thread and is reported
    as :attr:`failed` too, so the coordinator sees one sentence and the log gets the traceback.
    """

    progressed = Signal(int, int)
    succeeded = Signal(object)
    was_cancelled = Signal(str)
    failed = Signal(str)
    _crashed = Signal(object)

    def __init__(self, job: Job, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._job = job
        self._cancel = threading.Event()
        self._thread = QThread()
        self._runner = _Runner(self)
        self._runner.moveToThread(self._thread)
        self._thread.started.connect(self._runner.run)
        self._crashed.connect(self._report_bug)
        #: Called in the worker thread after each progress report (tests cancel at an exact point with it).
        self.progress_hook: Callable[[int, int], None] | None = None

    def start(self) -> None:
        self._thread.start()

    def cancel(self) -> None:
        """Ask the job to stop at its next check; the service then rolls everything back."""
        self._cancel.set()

    @property
    def cancel_requested(self) -> bool:
        return self._cancel.is_set()

    def is_running(self) -> bool:
        return self._thread.isRunning()

    def wait(self) -> None:
        """Block until the worker thread has ended (used when the wizard closes mid-import)."""
        self._thread.wait()

    def _progress(self, done: int, total: int) -> None:
        self.progressed.emit(done, total)
        if self.progress_hook is not None:
            self.progress_hook(done, total)

    def _execute(self) -> None:
        try:
            result = self._job(self._progress, self._cancel.is_set)
        except Cancelled as stop:
            self.was_cancelled.emit(stop.user_message)
        except (ServiceError, SheetError, StoreError) as error:
            self.failed.emit(error.user_message)
        except Exception:  # a bug: log it through the hook on the GUI thread
            self._crashed.emit(sys.exc_info())
        else:
            self.succeeded.emit(result)
        finally:
            self._thread.quit()

    def _report_bug(self, info: Any) -> None:
        exc_type, exc_value, tb = info
        sys.excepthook(exc_type, exc_value, tb)
        self.failed.emit(self.tr("导入时程序出错，没有写入任何数据；错误已记录在日志中"))


class _Runner(QObject):
    """Lives in the worker thread; its slot runs the job there."""

    def __init__(self, job: BackgroundJob) -> None:
        super().__init__()
        self._owner = job

    def run(self) -> None:
        self._owner._execute()


class ImportWizard(QWizard):
    """导入花名册: the five steps of the module docstring. :attr:`imported` carries the new persons' ids."""

    imported = Signal(list)

    def __init__(
        self,
        session_factory: SessionFactory,
        parent: QWidget | None = None,
        *,
        actor: Callable[[], Actor] = current_actor,
        start_dir: Path | None = None,
    ) -> None:
        super().__init__(parent)
        self.session_factory = session_factory
        self.actor = actor
        self.start_dir = start_dir or Path.home()
        self.plan: ImportPlan | None = None
        self.import_result: ImportResult | None = None
        self.outcome_message = ""
        self.report_path: Path | None = None
        self.setWindowTitle(self.tr("导入花名册"))
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        for button, text in (
            (QWizard.WizardButton.BackButton, self.tr("< 上一步(&B)")),
            (QWizard.WizardButton.NextButton, self.tr("下一步(&N) >")),
            (QWizard.WizardButton.CommitButton, self.tr("开始导入(&I)")),
            (QWizard.WizardButton.FinishButton, self.tr("完成(&F)")),
            (QWizard.WizardButton.CancelButton, self.tr("取消")),
        ):
            self.setButtonText(button, text)
        self.file_page = FilePage(self)
        self.mapping_page = MappingPage(self)
        self.preview_page = PreviewPage(self)
        self.import_page = ImportPage(self)
        self.result_page = ResultPage(self)
        for page in (self.file_page, self.mapping_page, self.preview_page, self.import_page, self.result_page):
            self.addPage(page)
        self.currentIdChanged.connect(lambda _id: self._enter_button())
        self.resize(1040, 680)

    def make_plan(self, path: Path, mapping: ColumnMapping | None = None) -> str | None:
        """Read and check ``path`` (with ``mapping``); the plan is kept. Returns a message when it cannot."""
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            with self.session_factory() as session:
                village_id = current_village_id(session)
                if village_id is None:
                    return self.tr("还没有设置本村，不能导入；请先在设置中选择本村")
                self.plan = plan_import(session, path, village_id=village_id, mapping=mapping)
        except (SheetError, ServiceError) as error:
            return error.user_message
        except StoreError as error:
            return error.user_message
        finally:
            QGuiApplication.restoreOverrideCursor()
        return None

    def _enter_button(self) -> None:
        # Enter is 下一步 on the pages that write nothing; on the preview it does not start the import (three
        # Enters from the file would import unseen): 开始导入 is Alt+I or a click, as the manual says.
        self.setOption(QWizard.WizardOption.NoDefaultButton, self.currentPage() is self.preview_page)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # QDialog falls back on 开始导入 as its default once a button has had the cursor: Enter stays unused here
        # (a button with the cursor takes Enter itself, before this).
        enter = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        if enter and self.currentPage() is self.preview_page:
            event.accept()
            return
        super().keyPressEvent(event)

    def reject(self) -> None:
        """取消 / Esc / closing the window: an import under way is cancelled (and rolled back) first."""
        job = self.import_page.job
        if job is not None and job.is_running():
            job.cancel()
            job.wait()
        super().reject()


class FilePage(QWizardPage):
    """选择文件."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self._wizard = wizard
        self.setTitle(self.tr("第 1 步：选择花名册文件"))
        self.setSubTitle(self.tr("支持 Excel（.xlsx、.xls）、WPS/LibreOffice（.ods）和 .csv 文件。"))
        self.path_edit = QLineEdit()
        self.path_edit.setObjectName("importPath")
        self.path_edit.setPlaceholderText(self.tr("点“浏览…”选择文件，或把文件路径粘贴到这里"))
        browse = QPushButton(self.tr("浏览(&O)…"))
        browse.setObjectName("browseButton")
        browse.clicked.connect(self.browse)
        self.message = QLabel()
        self.message.setObjectName("fileMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #c62828;")
        hint = QLabel(
            self.tr(
                "文件第一行可以是标题（如“××村参保花名册”），程序会自动找到表头。"
                "表头中至少要有“姓名”和“身份证号”两列。导入前会先检查每一行，确认后才写入。"
            )
        )
        hint.setWordWrap(True)
        line = QHBoxLayout()
        line.addWidget(self.path_edit, 1)
        line.addWidget(browse)
        layout = QVBoxLayout(self)
        layout.addLayout(line)
        layout.addWidget(hint)
        layout.addWidget(self.message)
        layout.addStretch(1)
        self.path_edit.textChanged.connect(lambda _text: self.completeChanged.emit())

    def browse(self) -> None:
        filters = self.tr("花名册 (*.xlsx *.xlsm *.xls *.ods *.csv);;所有文件 (*)")
        chosen, _ = QFileDialog.getOpenFileName(self, self.tr("选择花名册文件"), str(self._wizard.start_dir), filters)
        if chosen:
            self.path_edit.setText(chosen)

    def path(self) -> Path:
        return Path(self.path_edit.text().strip().strip('"'))

    def isComplete(self) -> bool:
        text = self.path_edit.text().strip()
        return bool(text) and self.path().suffix.lower() in ROSTER_SUFFIXES

    def validatePage(self) -> bool:
        path = self.path()
        if not path.is_file():
            self.message.setText(self.tr("找不到文件“%s”；请重新选择") % path)
            return False
        problem = self._wizard.make_plan(path)
        if problem is not None:
            self.message.setText(problem)
            return False
        self.message.clear()
        return True


class MappingPage(QWizardPage):
    """核对列对应: which column feeds which field, as guessed; the coordinator may change any of them."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self._wizard = wizard
        self.setTitle(self.tr("第 2 步：核对每一列的内容"))
        self.setSubTitle(self.tr("程序根据表头猜出了每一列是什么；如有不对，请在“对应内容”中改正。"))
        self.table = QTableWidget(0, 5)
        self.table.setObjectName("mappingTable")
        self.table.setHorizontalHeaderLabels(
            [self.tr("列"), self.tr("表头"), self.tr("第一行的值"), self.tr("对应内容"), self.tr("识别把握")]
        )
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        # Tab goes from one 对应内容 box to the next (the list scrolls along); the read-only cells are no stop.
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.table.setTabKeyNavigation(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.message = QLabel()
        self.message.setObjectName("mappingMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #c62828;")
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        self.combos: list[QComboBox] = []
        self.mapping: ColumnMapping | None = None

    def initializePage(self) -> None:
        plan = self._wizard.plan
        assert plan is not None
        self.mapping = plan.mapping
        headers = plan.mapping.headers or plan.headers
        first = plan.rows[0].cells if plan.rows else ()
        self.table.setRowCount(len(headers))
        self.combos = []
        for column, header in enumerate(headers):
            self.table.setItem(column, 0, QTableWidgetItem(_column_letter(column)))
            self.table.setItem(column, 1, QTableWidgetItem(header))
            sample = _cell_text(first[column]) if column < len(first) else ""
            self.table.setItem(column, 2, QTableWidgetItem(sample))
            combo = QComboBox()
            combo.setObjectName(f"mapping_{column}")
            combo.addItem(self.tr("（不导入）"), None)
            for roster_field in RosterField:
                combo.addItem(roster_field.label, roster_field.value)
            combo.currentIndexChanged.connect(lambda _index, c=column: self._chosen(c))
            self.table.setCellWidget(column, 3, combo)
            self.combos.append(combo)
        self._show_mapping()
        self.message.clear()

    def _show_mapping(self) -> None:
        mapping = self.mapping
        assert mapping is not None
        fields_by_column = {column: f for f, column in mapping.columns.items()}
        for column, combo in enumerate(self.combos):
            roster_field = fields_by_column.get(column)
            combo.blockSignals(True)
            combo.setCurrentIndex(0 if roster_field is None else combo.findData(roster_field.value))
            combo.blockSignals(False)
            if roster_field is None:
                sure, colour = self.tr("—"), None
            else:
                confidence = mapping.confidence.get(roster_field, 1.0)
                if confidence > NOTED:
                    sure, colour = self.tr("确定"), QColor("#2e7d32")
                elif confidence > CONTAINS:
                    sure, colour = self.tr("较确定"), QColor("#2e7d32")
                else:
                    sure, colour = self.tr("请核对"), QColor("#9a6700")
            item = QTableWidgetItem(sure)
            if colour is not None:
                item.setForeground(colour)
            self.table.setItem(column, 4, item)

    def _chosen(self, column: int) -> None:
        assert self.mapping is not None
        code = self.combos[column].currentData()
        if code:
            self.mapping = self.mapping.with_column(RosterField(code), column)
        else:
            held = [f for f, c in self.mapping.columns.items() if c == column]
            for f in held:
                self.mapping = self.mapping.with_column(f, None)
        self._show_mapping()

    def choose(self, column: int, roster_field: RosterField | None) -> None:
        """Set the field of ``column`` as if chosen in its combo (``None``: 不导入)."""
        combo = self.combos[column]
        combo.setCurrentIndex(0 if roster_field is None else combo.findData(roster_field.value))

    def validatePage(self) -> bool:
        plan = self._wizard.plan
        mapping = self.mapping
        assert plan is not None and mapping is not None
        if mapping.missing_required:
            missing = "、".join(f.label for f in mapping.missing_required)
            self.message.setText(self.tr("还没有指定“%s”在哪一列；这几项必须有") % missing)
            return False
        if dict(mapping.columns) == dict(plan.mapping.columns):
            return True
        problem = self._wizard.make_plan(plan.path, mapping)
        if problem is not None:
            self.message.setText(problem)
            return False
        return True


class PreviewPage(QWizardPage):
    """预览: what will happen to every row, before anything is written."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self._wizard = wizard
        self.setTitle(self.tr("第 3 步：预览检查结果"))
        self.setSubTitle(self.tr("绿色的行将新增，灰色的行已在库中（不变），红色的行有错误、不会导入。"))
        self.setCommitPage(True)
        self.counts_label = QLabel()
        self.counts_label.setObjectName("previewCounts")
        counts_font = self.counts_label.font()
        counts_font.setBold(True)
        self.counts_label.setFont(counts_font)
        self.notes_label = QLabel()
        self.notes_label.setWordWrap(True)
        self.only_problems = QCheckBox(self.tr("只看有问题的行(&P)"))
        self.only_problems.setObjectName("onlyProblems")
        self.only_problems.toggled.connect(self._filter_rows)
        # Shown when the file has a 缴费档次 column; created before the list, so Tab reaches it before the list.
        self.register_box = QCheckBox()
        self.register_box.setObjectName("registerFromTiers")
        self.register_box.setChecked(True)
        self.register_box.toggled.connect(lambda _on: self._commit_text())
        self.register_note = QLabel()
        self.register_note.setObjectName("registerNote")
        self.register_note.setWordWrap(True)
        self.table = QTableWidget(0, 5)
        self.table.setObjectName("previewTable")
        self.table.setHorizontalHeaderLabels(
            [self.tr("行号"), self.tr("结果"), self.tr("姓名"), self.tr("公民身份号码"), self.tr("问题说明")]
        )
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(True)
        self.table.setTabKeyNavigation(False)  # Tab leaves the list for 上一步 / 开始导入 (arrows move in it)
        header = self.table.horizontalHeader()
        for column in range(4):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        top = QHBoxLayout()
        top.addWidget(self.counts_label, 1)
        top.addWidget(self.only_problems)
        registering = QHBoxLayout()
        registering.addWidget(self.register_box)
        registering.addWidget(self.register_note, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(registering)
        layout.addWidget(self.notes_label)
        layout.addWidget(self.table, 1)

    def initializePage(self) -> None:
        plan = self._wizard.plan
        assert plan is not None
        counts = plan.counts
        text = self.tr("新增 %d 人，未变 %d 人，拒绝 %d 行") % (
            counts[RowStatus.ADD],
            counts[RowStatus.UNCHANGED],
            counts[RowStatus.REJECTED],
        )
        if plan.warning_rows:
            text += self.tr("（另有 %d 行有提示，仍会导入）") % plan.warning_rows
        self.counts_label.setText(text)
        # Said by the import service, as the command line says it (a merged header: 表头在第3、4行).
        notes = [plan.header_place + "。", *plan.notes]
        if plan.skipped_rows:
            shown = "、".join(str(n) for n in plan.skipped_rows[:10])
            notes.append(self.tr("没有姓名和身份证号、已跳过的行：%s") % shown)
        self.notes_label.setText("\n".join(notes))
        self.table.setRowCount(len(plan.rows))
        for row_index, row in enumerate(plan.rows):
            colour = _ROW_COLOURS[row.status]
            if row.status is RowStatus.ADD and row.warnings:
                colour = _WARNING_COLOUR
            label = row.status.label
            if row.status is RowStatus.ADD and row.warnings:
                label = self.tr("新增（有提示）")
            cells = [str(row.row_number), label, row.person.name, row.person.id_number, row.describe()]
            for column, value in enumerate(cells):
                item = QTableWidgetItem(value)
                item.setBackground(colour)
                if column == 4 and value:
                    item.setToolTip(value)
                if column == 0:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row_index, column, item)
        self._filter_rows(self.only_problems.isChecked())
        if len(plan.rows) <= _WRAP_ROWS_LIMIT:  # long problem texts wrap onto a second line instead of "…"
            self.table.resizeRowsToContents()
        self._show_registrations(plan)
        self._commit_text()

    def _show_registrations(self, plan: ImportPlan) -> None:
        """The 参保登记 checkbox: only for a file with a 缴费档次 column; N is how many will be entered."""
        asks = plan.asks_registration
        self.register_box.setVisible(asks)
        self.register_note.setVisible(asks)
        if not asks:
            return
        entering = len(plan.to_register)
        self.register_box.setText(self.tr("同时按表中的缴费档次录入参保登记（%d 人）(&G)") % entering)
        self.register_box.setEnabled(entering > 0)
        notes = []
        already = sum(1 for row in plan.rows if row.registration is not None and row.registration.already)
        if already:
            notes.append(self.tr("%d 人已有相同档次的参保登记，不重复录入。") % already)
        refused = len(plan.registration_refused)
        if refused:
            notes.append(self.tr("%d 人不能录入参保登记（原因见“问题说明”），不影响人员导入。") % refused)
        if entering:
            notes.append(self.tr("录入后请另一位工作人员在“审核”中初审。"))
        # Whole sentences: Chinese ones follow each other directly, English ones after a space.
        self.register_note.setText("".join(n if n.endswith("。") else n + " " for n in notes).strip())

    def registering(self) -> bool:
        """The import is to enter the 参保登记 of the rows' 缴费档次 (the box is shown and on)."""
        plan = self._wizard.plan
        return plan is not None and plan.asks_registration and self.register_box.isChecked()

    def _commit_text(self) -> None:
        plan = self._wizard.plan
        if plan is None:
            return
        adding = len(plan.to_add)
        if adding:
            text = self.tr("开始导入 %d 人(&I)") % adding
        elif self.registering() and plan.to_register:
            text = self.tr("录入参保登记 %d 人(&I)") % len(plan.to_register)
        else:
            text = self.tr("完成检查(&I)")
        self.setButtonText(QWizard.WizardButton.CommitButton, text)

    def _filter_rows(self, only_problems: bool) -> None:
        plan = self._wizard.plan
        if plan is None:
            return
        for index, row in enumerate(plan.rows):
            self.table.setRowHidden(index, only_problems and not row.problems)

    def status_of_row(self, table_row: int) -> str:
        """The 结果 text shown in ``table_row`` (for tests and screen readers)."""
        item = self.table.item(table_row, 1)
        return item.text() if item is not None else ""


class ImportPage(QWizardPage):
    """导入: the progress of the import running in the worker thread, with 取消导入."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self._wizard = wizard
        self.setTitle(self.tr("第 4 步：正在导入"))
        self.setSubTitle(self.tr("导入过程中可以随时取消；取消后本次不会写入任何数据。"))
        self.progress = QProgressBar()
        self.progress.setObjectName("importProgress")
        self.status_label = QLabel()
        self.status_label.setObjectName("importStatus")
        self.status_label.setWordWrap(True)
        self.cancel_button = QPushButton(self.tr("取消导入(&C)"))
        self.cancel_button.setObjectName("cancelImport")
        self.cancel_button.clicked.connect(self.cancel)
        line = QHBoxLayout()
        line.addStretch(1)
        line.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.progress)
        layout.addWidget(self.status_label)
        layout.addLayout(line)
        layout.addStretch(1)
        self.job: BackgroundJob | None = None
        self.finished = False
        #: Called in the worker thread after each progress report (see :attr:`BackgroundJob.progress_hook`).
        self.progress_hook: Callable[[int, int], None] | None = None

    def initializePage(self) -> None:
        plan = self._wizard.plan
        assert plan is not None
        self.finished = False
        self.progress.setRange(0, max(1, len(plan.to_add)))
        self.progress.setValue(0)
        registering = self._wizard.preview_page.registering()
        if plan.to_add or not (registering and plan.to_register):
            self.status_label.setText(self.tr("正在写入 %d 人……") % len(plan.to_add))
        else:
            self.status_label.setText(self.tr("正在录入 %d 人的参保登记……") % len(plan.to_register))
        self.cancel_button.setEnabled(True)
        wizard = self._wizard

        def job(progress: Callable[[int, int], None], cancelled: Callable[[], bool]) -> object:
            with wizard.session_factory() as session:
                return execute_import(
                    session,
                    wizard.actor(),
                    plan,
                    enter_registrations=registering,
                    progress=progress,
                    cancelled=cancelled,
                )

        self.job = BackgroundJob(job, self)
        self.job.progress_hook = self.progress_hook
        self.job.progressed.connect(self._progressed)
        self.job.succeeded.connect(self._succeeded)
        self.job.was_cancelled.connect(self._cancelled)
        self.job.failed.connect(self._failed)
        self.job.start()

    def cancel(self) -> None:
        """取消导入: ask the worker to stop; the transaction is rolled back."""
        if self.job is not None and self.job.is_running():
            self.job.cancel()
            self.cancel_button.setEnabled(False)
            self.status_label.setText(self.tr("正在取消……"))

    def _progressed(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(1, total))
        self.progress.setValue(done)
        if not (self.job is not None and self.job.cancel_requested):
            self.status_label.setText(self.tr("已写入 %d / %d 人……") % (done, total))

    def _end(self, message: str) -> None:
        self._wizard.outcome_message = message
        self.finished = True
        self.cancel_button.setEnabled(False)
        self.status_label.setText(message)
        self.completeChanged.emit()
        self._wizard.next()

    def _succeeded(self, result: object) -> None:
        assert isinstance(result, ImportResult)
        self._wizard.import_result = result
        self.progress.setValue(self.progress.maximum())
        self._end(
            self.tr("导入完成：新增 %d 人，未变 %d 人，拒绝 %d 行") % (result.added, result.unchanged, result.rejected)
        )
        self._wizard.imported.emit(list(result.added_ids))

    def _cancelled(self, message: str) -> None:
        self._wizard.import_result = None
        del message  # the service's sentence; the page says it in its own (translatable) words
        self._end(self.tr("已取消：本次导入没有写入任何数据"))

    def _failed(self, message: str) -> None:
        self._wizard.import_result = None
        self._end(self.tr("没有导入：%s") % message)

    def isComplete(self) -> bool:
        return self.finished


class ResultPage(QWizardPage):
    """结果: the counts, and the problem report for the rows to fix."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self._wizard = wizard
        self.setTitle(self.tr("第 5 步：导入结果"))
        self.summary = QLabel()
        self.summary.setObjectName("resultSummary")
        self.summary.setWordWrap(True)
        summary_font = self.summary.font()
        summary_font.setPointSizeF(summary_font.pointSizeF() * 1.15)
        summary_font.setBold(True)
        self.summary.setFont(summary_font)
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.registrations = QLabel()
        self.registrations.setObjectName("resultRegistrations")
        self.registrations.setWordWrap(True)
        # The rows whose 参保登记 could not be entered, and why (the report has them too).
        self.refusals = QTableWidget(0, 3)
        self.refusals.setObjectName("registrationRefusals")
        self.refusals.setHorizontalHeaderLabels([self.tr("行号"), self.tr("姓名"), self.tr("不能录入参保登记的原因")])
        self.refusals.verticalHeader().setVisible(False)
        self.refusals.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.refusals.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.refusals.setWordWrap(True)
        self.refusals.setTabKeyNavigation(False)  # Tab leaves the list (arrows move in it)
        refusals_header = self.refusals.horizontalHeader()
        for column in range(2):
            refusals_header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        refusals_header.setStretchLastSection(True)
        self.refusals.setMaximumHeight(220)  # the page still fits a 1366×768 screen with the wizard's buttons
        self.report_button = QPushButton(self.tr("保存问题报告(&R)…"))
        self.report_button.setObjectName("saveReport")
        self.report_button.clicked.connect(lambda: self.save_report())
        self.report_label = QLabel()
        self.report_label.setObjectName("reportLabel")
        self.report_label.setWordWrap(True)
        self.report_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        line = QHBoxLayout()
        line.addWidget(self.report_button)
        line.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.detail)
        layout.addWidget(self.registrations)
        layout.addWidget(self.refusals)
        layout.addLayout(line)
        layout.addWidget(self.report_label)
        layout.addStretch(1)

    def initializePage(self) -> None:
        plan = self._wizard.plan
        assert plan is not None
        self.summary.setText(self._wizard.outcome_message)
        rejected = len(plan.rejected)
        if self._wizard.import_result is None:
            self.detail.setText(self.tr("数据库没有任何改变。问题报告中是检查结果，可以据此改正文件后重新导入。"))
        elif rejected:
            self.detail.setText(
                self.tr(
                    "有 %d 行没有导入。请点“保存问题报告…”，在报告中按“问题说明”改正红色的行，"
                    "然后导入这份报告：已导入的人会显示为“未变”，不会重复。"
                )
                % rejected
            )
        else:
            self.detail.setText(self.tr("所有行都已处理，没有需要改正的行。"))
        refused = self._show_registrations(plan)
        self.report_button.setDefault(rejected > 0 or refused > 0)

    def _show_registrations(self, plan: ImportPlan) -> int:
        """The 参保登记 entered and those that could not be, with the reasons; returns how many could not be."""
        result = self._wizard.import_result
        shown = result is not None and plan.asks_registration
        self.registrations.setVisible(shown)
        rows = plan.registration_refused if result is not None and result.registering else []
        self.refusals.setVisible(bool(rows) and shown)
        if result is None or not shown:
            return 0
        if not result.registering:
            self.registrations.setText(self.tr("没有录入参保登记（导入前取消了“同时按表中的缴费档次录入参保登记”）。"))
            return 0
        sentences = []
        if result.registered:
            sentences.append(
                self.tr("已按表中的缴费档次录入参保登记 %d 人；请另一位工作人员在“审核”（Ctrl+R）中初审后上报。")
                % result.registered
            )
        else:
            sentences.append(self.tr("没有新录入的参保登记。"))
        already = sum(1 for row in plan.rows if row.registration is not None and row.registration.already)
        if already:
            sentences.append(self.tr("%d 人已有相同档次的参保登记，未重复录入。") % already)
        if rows:
            sentences.append(
                self.tr("%d 人不能录入参保登记，原因见下表（问题报告中也有）；不影响人员导入。") % len(rows)
            )
        self.registrations.setText("\n".join(sentences))
        self.refusals.setRowCount(len(rows))
        for index, row in enumerate(rows):
            assert row.registration is not None and row.registration.refusal is not None
            reason = row.registration.refusal
            cells = [str(row.row_number), row.person.name, reason]
            for column, value in enumerate(cells):
                item = QTableWidgetItem(value)
                if column == 2:
                    item.setToolTip(value)
                if column == 0:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.refusals.setItem(index, column, item)
        if len(rows) <= _WRAP_ROWS_LIMIT:  # once the page is laid out: the reason column's width is known then
            QTimer.singleShot(0, self.refusals.resizeRowsToContents)
        return len(rows)

    def default_report_path(self) -> Path:
        plan = self._wizard.plan
        assert plan is not None
        return plan.path.with_name(f"{plan.path.stem}-导入结果.xlsx")

    def save_report(self, path: Path | None = None) -> Path | None:
        """保存问题报告…: write the .xlsx report to ``path`` (asked for when not given); returns where."""
        plan = self._wizard.plan
        assert plan is not None
        if path is None:
            chosen, _ = QFileDialog.getSaveFileName(
                self, self.tr("保存问题报告"), str(self.default_report_path()), self.tr("Excel 文件 (*.xlsx)")
            )
            if not chosen:
                return None
            path = Path(chosen)
        if path.suffix.lower() != ".xlsx":
            path = path.with_suffix(".xlsx")
        try:
            written = write_report(plan, path)
        except PermissionError:
            show_error(self, self.tr("不能写入“%s”：文件可能正在 Excel 中打开，请关闭后重试") % path)
            return None
        except OSError as error:
            show_error(self, self.tr("不能写入“%s”：%s") % (path, error.strerror or error))
            return None
        except StoreError as error:  # pragma: no cover - the report reads nothing from the database
            show_store_error(self, error)
            return None
        self._wizard.report_path = written
        self.report_label.setText(self.tr("问题报告已保存到：%s") % written)
        return written
