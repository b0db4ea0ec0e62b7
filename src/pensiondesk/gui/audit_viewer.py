"""The 操作日志 window (审计日志查看): who changed what, when and why, with before/after and a chain check.

帮助 → 操作日志… opens it. Top: filters — 人员 (name or part of an ID number), 操作员, 日期 from/to. Middle: the
entries, newest first (时间, 操作员, 操作, 对象, 姓名, 原因). Bottom: the selected entry's fields, 修改前 and 修改后
side by side, changed fields marked. 校验日志 checks the whole hash chain on a worker thread and says in plain
Chinese whether the log is whole or where it first breaks.

Like the person list, :class:`AuditLogModel` holds only entry numbers and reads the rows of the part being shown
(and ``fetchMore`` adds rows a page at a time), so a log of 100,000 entries opens at once.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from datetime import date
from pathlib import Path
from typing import Any

from pensiondesk.gui.person_model import SessionFactory
from pensiondesk.gui.qt import (
    QAbstractItemView,
    QAbstractTableModel,
    QCheckBox,
    QColor,
    QComboBox,
    QDate,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFont,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPushButton,
    QSplitter,
    Qt,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QThread,
    QVBoxLayout,
    QWidget,
    Signal,
)
from pensiondesk.services.audit import verify_audit_file
from pensiondesk.services.audit_log import (
    AuditDetail,
    AuditFilter,
    AuditRow,
    entry_detail,
    entry_rows,
    entry_seqs,
    operators,
)
from pensiondesk.store.errors import StoreError

__all__ = ["AuditLogDialog", "AuditLogModel"]

log = logging.getLogger(__name__)
_Index = QModelIndex | QPersistentModelIndex


class AuditLogModel(QAbstractTableModel):
    """The entries of the current :class:`AuditFilter`: numbers held, rows read as they are shown."""

    #: Rows made visible per ``fetchMore`` (the view asks for more as the user scrolls down).
    PAGE = 200
    #: Rows read from the database together.
    FETCH_BLOCK = 200
    CACHE_LIMIT = 3000

    def __init__(self, session_factory: SessionFactory, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._session_factory = session_factory
        self._filter = AuditFilter()
        self._seqs: list[int] = []
        self._shown = 0
        self._cache: OrderedDict[int, AuditRow] = OrderedDict()
        self._headers = (
            self.tr("时间"),
            self.tr("操作员"),
            self.tr("操作"),
            self.tr("对象"),
            self.tr("姓名"),
            self.tr("原因"),
        )
        self.set_filter(AuditFilter())

    @property
    def total(self) -> int:
        """How many entries match the filter (shown or not yet)."""
        return len(self._seqs)

    @property
    def filter(self) -> AuditFilter:
        return self._filter

    def set_filter(self, flt: AuditFilter) -> None:
        """Show the entries matching ``flt``: the first page now, more as the view scrolls."""
        with self._session_factory() as session:
            seqs = entry_seqs(session, flt)
        self.beginResetModel()
        self._filter = flt
        self._seqs = seqs
        self._shown = min(self.PAGE, len(seqs))
        self._cache.clear()
        self.endResetModel()

    def seq(self, row: int) -> int | None:
        """The entry number shown in ``row``."""
        return self._seqs[row] if 0 <= row < self._shown else None

    def row_of(self, seq: int) -> int | None:
        """The row of entry ``seq`` (making it visible), or ``None`` when the filter hides it."""
        try:
            row = self._seqs.index(seq)
        except ValueError:
            return None
        while self._shown <= row:
            self.fetchMore(QModelIndex())
        return row

    # --- QAbstractTableModel --------------------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's own default argument
        return 0 if parent.isValid() else self._shown

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headers)

    def canFetchMore(self, parent: _Index) -> bool:
        return not parent.isValid() and self._shown < len(self._seqs)

    def fetchMore(self, parent: _Index) -> None:
        if parent.isValid() or self._shown >= len(self._seqs):
            return
        more = min(self.PAGE, len(self._seqs) - self._shown)
        self.beginInsertRows(QModelIndex(), self._shown, self._shown + more - 1)
        self._shown += more
        self.endInsertRows()

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section] if 0 <= section < len(self._headers) else None
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            seq = self.seq(section)
            return str(seq) if seq is not None else None
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole or not index.isValid():
            return None
        row = self._row(index.row())
        if row is None:
            return None
        values = (row.at, row.user, row.action, row.entity, row.person_name, row.reason)
        return values[index.column()] if 0 <= index.column() < len(values) else None

    def _row(self, row: int) -> AuditRow | None:
        seq = self.seq(row)
        if seq is None:
            return None
        cached = self._cache.get(seq)
        if cached is not None:
            self._cache.move_to_end(seq)
            return cached
        start = max(0, row - self.FETCH_BLOCK // 4)
        block = [s for s in self._seqs[start : start + self.FETCH_BLOCK] if s not in self._cache]
        try:
            with self._session_factory() as session:
                rows = entry_rows(session, block)
        except (StoreError, ValueError):  # unreadable content: show what can be shown, never crash a paint
            log.warning("audit rows %s..%s unreadable", block[:1], block[-1:], exc_info=True)
            return None
        self._cache.update(rows)
        while len(self._cache) > self.CACHE_LIMIT:
            self._cache.popitem(last=False)
        return self._cache.get(seq)


class _VerifyThread(QThread):
    """Checks the audit chain of the database file off the GUI thread."""

    done = Signal(bool, str)

    def __init__(self, db_path: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._db_path = db_path

    def run(self) -> None:
        try:
            check = verify_audit_file(self._db_path)
        except StoreError as exc:
            self.done.emit(False, exc.user_message)
            return
        except Exception as exc:  # a bug: logged; the coordinator gets one sentence
            log.exception("audit verification failed")
            self.done.emit(False, f"校验未能完成（程序内部错误：{type(exc).__name__}），已记录日志。")
            return
        self.done.emit(check.ok, check.message())


class AuditLogDialog(QDialog):
    """操作日志: filter, read, compare before/after, verify the chain."""

    verify_finished = Signal(bool, str)

    def __init__(self, session_factory: SessionFactory, db_path: Path | str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("操作日志"))
        self.resize(1100, 720)
        self._session_factory = session_factory
        self._db_path = Path(db_path)
        self._verify: _VerifyThread | None = None

        self.person_edit = QLineEdit()
        self.person_edit.setPlaceholderText(self.tr("姓名或身份证号"))
        self.person_edit.setClearButtonEnabled(True)
        person_label = QLabel(self.tr("人员(&P)："))
        person_label.setBuddy(self.person_edit)
        self.user_combo = QComboBox()
        user_label = QLabel(self.tr("操作员(&U)："))
        user_label.setBuddy(self.user_combo)
        self.date_check = QCheckBox(self.tr("按日期(&D)："))
        today = QDate.currentDate()
        self.from_edit = QDateEdit(today.addMonths(-1))
        self.to_edit = QDateEdit(today)
        for edit in (self.from_edit, self.to_edit):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setEnabled(False)
        self.search_button = QPushButton(self.tr("查询(&Q)"))
        self.search_button.setDefault(True)
        filters = QHBoxLayout()
        for w in (person_label, self.person_edit, user_label, self.user_combo, self.date_check, self.from_edit):
            filters.addWidget(w)
        filters.addWidget(QLabel(self.tr("至")))
        filters.addWidget(self.to_edit)
        filters.addWidget(self.search_button)

        self.model = AuditLogModel(session_factory, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in enumerate((170, 90, 130, 150, 90)):
            self.table.setColumnWidth(column, width)
        self.count_label = QLabel()

        self.detail_title = QLabel(self.tr("选中一条记录，可在这里对照修改前后的内容。"))
        self.detail_title.setWordWrap(True)
        self.detail_table = QTableWidget(0, 3)
        self.detail_table.setHorizontalHeaderLabels([self.tr("字段"), self.tr("修改前"), self.tr("修改后")])
        self.detail_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.detail_table.verticalHeader().setVisible(False)
        detail_header = self.detail_table.horizontalHeader()
        detail_header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        detail_header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        detail_header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        detail = QWidget()
        detail_layout = QVBoxLayout(detail)
        detail_layout.setContentsMargins(0, 0, 0, 0)
        detail_layout.addWidget(self.detail_title)
        detail_layout.addWidget(self.detail_table)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)

        self.verify_button = QPushButton(self.tr("校验日志(&V)"))
        self.verify_button.setToolTip(self.tr("检查操作日志是否完整、有没有被改动或删除"))
        self.verify_label = QLabel()
        self.verify_label.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("关闭"))
        self.buttons.rejected.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(self.verify_button)
        bottom.addWidget(self.verify_label, 1)
        bottom.addWidget(self.buttons)

        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.count_label)
        layout.addWidget(splitter, 1)
        layout.addLayout(bottom)

        self._fill_users()
        self.search_button.clicked.connect(self.apply_filter)
        self.person_edit.returnPressed.connect(self.apply_filter)
        self.user_combo.activated.connect(lambda _i: self.apply_filter())
        self.date_check.toggled.connect(self._dates_toggled)
        self.table.selectionModel().currentRowChanged.connect(lambda current, _prev: self.show_detail(current.row()))
        self.verify_button.clicked.connect(self.verify)
        self._update_count()

    # --- filters --------------------------------------------------------------------------------------------

    def _fill_users(self) -> None:
        with self._session_factory() as session:
            users = operators(session)
        self.user_combo.clear()
        self.user_combo.addItem(self.tr("全部操作员"), None)
        for user in users:
            self.user_combo.addItem(user, user)

    def _dates_toggled(self, on: bool) -> None:
        self.from_edit.setEnabled(on)
        self.to_edit.setEnabled(on)
        self.apply_filter()

    def current_filter(self) -> AuditFilter:
        """The filter the controls describe."""
        date_from: date | None = None
        date_to: date | None = None
        if self.date_check.isChecked():
            date_from = self.from_edit.date().toPython()  # type: ignore[assignment]
            date_to = self.to_edit.date().toPython()  # type: ignore[assignment]
            if date_from and date_to and date_from > date_to:
                date_from, date_to = date_to, date_from
        return AuditFilter(
            person=self.person_edit.text().strip(),
            user=self.user_combo.currentData(),
            date_from=date_from,
            date_to=date_to,
        )

    def apply_filter(self) -> None:
        """Show the entries the filters describe."""
        self.model.set_filter(self.current_filter())
        self._update_count()
        self.show_detail(-1)

    def _update_count(self) -> None:
        self.count_label.setText(self.tr("共 %d 条（最新的在最上面）") % self.model.total)

    # --- detail ---------------------------------------------------------------------------------------------

    def show_detail(self, row: int) -> AuditDetail | None:
        """Fill the detail pane with the entry in ``row`` (clear it for -1)."""
        seq = self.model.seq(row)
        detail = None
        if seq is not None:
            with self._session_factory() as session:
                detail = entry_detail(session, seq)
        table = self.detail_table
        if detail is None:
            table.setRowCount(0)
            self.detail_title.setText(
                self.tr("这条记录的内容已无法读取（可能被改动过），请点“校验日志”。")
                if seq is not None
                else self.tr("选中一条记录，可在这里对照修改前后的内容。")
            )
            return None
        r = detail.row
        who = r.person_name and self.tr("（%s）") % r.person_name
        self.detail_title.setText(
            self.tr("第 %d 条：%s %s %s %s%s") % (r.seq, r.at, r.user or self.tr("不详"), r.action, r.entity, who)
            + (self.tr("。原因：%s") % r.reason if r.reason else "")
        )
        table.setRowCount(len(detail.fields))
        bold = QFont(table.font())
        bold.setBold(True)
        for i, change in enumerate(detail.fields):
            items = (QTableWidgetItem(change.label), QTableWidgetItem(change.before), QTableWidgetItem(change.after))
            items[0].setToolTip(change.key)
            for column, item in enumerate(items):
                if change.changed:
                    item.setFont(bold)
                    if column:
                        item.setBackground(QColor("#fff3cd"))
                table.setItem(i, column, item)
        return detail

    # --- verification ---------------------------------------------------------------------------------------

    def verify(self) -> bool:
        """Start checking the chain on a worker thread; ``False`` when a check is already running."""
        if self._verify is not None:
            return False
        self.verify_button.setEnabled(False)
        self.verify_label.setStyleSheet("")
        self.verify_label.setText(self.tr("正在校验操作日志…"))
        thread = _VerifyThread(self._db_path, self)
        thread.done.connect(self._verified)
        thread.finished.connect(thread.deleteLater)
        self._verify = thread
        thread.start()
        return True

    def _verified(self, ok: bool, message: str) -> None:
        self._verify = None
        self.verify_button.setEnabled(True)
        colour = "#2e7d32" if ok else "#c62828"
        self.verify_label.setStyleSheet(f"color: {colour}; font-weight: bold;")
        self.verify_label.setText(message if ok else self.tr("%s。请联系县社保局。") % message)
        self.verify_finished.emit(ok, message)

    def done(self, result: int) -> None:
        """Close, after a running check has finished (a QThread must not outlive its dialog)."""
        if self._verify is not None:
            self._verify.wait(30_000)
        super().done(result)
