"""Widgets shared by the 待遇/认证, 公示 and 报表 pages (共用部件).

* :class:`RowsModel` — a read-only table model over rows of display strings, each with the id of what it shows;
  painting 20,000 rows costs only the visible ones (no QTableWidgetItem per cell).
* :class:`PdfPreview` — a PDF shown in the page (QtPdf) with 打印… (the system print dialog, each page drawn on the
  printer) and 另存为PDF…; :class:`PdfPreviewDialog` the same in a window.
* :func:`run_service` — run one use case in a session and turn what the coordinator can fix into a message box
  (a :class:`~pensiondesk.services.people_types.ServiceError` or a known database problem), never a traceback.
* :class:`GroupChooser` — 全部村民小组 or one of them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy.orm import Session

from pensiondesk.gui.errors import show_store_error
from pensiondesk.gui.person_model import SessionFactory
from pensiondesk.gui.qt import (
    QAbstractItemView,
    QAbstractTableModel,
    QApplication,
    QBuffer,
    QByteArray,
    QColor,
    QComboBox,
    QDate,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QIODevice,
    QItemSelectionModel,
    QLabel,
    QMarginsF,
    QMessageBox,
    QModelIndex,
    QObject,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfDocument,
    QPdfView,
    QPersistentModelIndex,
    QPrintDialog,
    QPrinter,
    QPushButton,
    QRectF,
    QSize,
    Qt,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from pensiondesk.gui.table_headers import heading
from pensiondesk.services.people_types import ServiceError
from pensiondesk.services.recording import Actor
from pensiondesk.store.errors import StoreError

__all__ = [
    "PRINT_DPI",
    "GroupChooser",
    "PdfPreview",
    "PdfPreviewDialog",
    "RowsModel",
    "current_actor",
    "from_qdate",
    "keep_selection",
    "make_table",
    "run_service",
    "selected_rows",
    "to_qdate",
]

#: Resolution pages are rendered at for the printer: sharp text, files a village printer accepts quickly.
PRINT_DPI = 300
T = TypeVar("T")
_Index = QModelIndex | QPersistentModelIndex


def current_actor() -> Actor:
    """Who is working (操作员): the logged-in user (``services.accounts``), else ``$PENSIONDESK_USER``."""
    from pensiondesk.services import accounts

    return accounts.current_actor()


def to_qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def from_qdate(day: QDate) -> date:
    return date(day.year(), day.month(), day.day())


def run_service(parent: QWidget, session_factory: SessionFactory, work: Callable[[Session], T]) -> T | None:
    """Run ``work`` in one session (one transaction); on a refusal show why and return ``None``."""
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        with session_factory() as session:
            return work(session)
    except ServiceError as error:
        QApplication.restoreOverrideCursor()
        QMessageBox.warning(parent, QApplication.translate("PensionerWidgets", "无法办理"), error.user_message)
        return None
    except StoreError as error:
        QApplication.restoreOverrideCursor()
        show_store_error(parent, error)
        return None
    except ValueError as error:
        message = getattr(error, "user_message", None)
        if not isinstance(message, str):
            raise
        QApplication.restoreOverrideCursor()
        QMessageBox.warning(parent, QApplication.translate("PensionerWidgets", "无法办理"), message)
        return None
    finally:
        if QApplication.overrideCursor() is not None:
            QApplication.restoreOverrideCursor()


class RowsModel(QAbstractTableModel):
    """Rows of display strings, each with an id (``ID_ROLE``); optional per-row colour for warnings."""

    ID_ROLE = Qt.ItemDataRole.UserRole + 1

    def __init__(self, headers: Sequence[str], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.headers = list(headers)
        self._rows: list[Sequence[str]] = []
        self._ids: list[str] = []
        self._colours: dict[int, QColor] = {}
        self.right_columns: set[int] = set()

    def set_rows(self, rows: Sequence[tuple[str, Sequence[str]]], *, colours: dict[int, QColor] | None = None) -> None:
        """Replace the rows: (id, cells) pairs; ``colours`` maps a row to its text colour."""
        self.beginResetModel()
        self._ids = [row_id for row_id, _ in rows]
        self._rows = [cells for _, cells in rows]
        self._colours = colours or {}
        self.endResetModel()

    def row_id(self, row: int) -> str:
        return self._ids[row]

    def row_cells(self, row: int) -> Sequence[str]:
        return self._rows[row]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.headers)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = index.row(), index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            cells = self._rows[row]
            return cells[column] if column < len(cells) else ""
        if role == self.ID_ROLE:
            return self._ids[row]
        if role == Qt.ItemDataRole.ForegroundRole:
            return self._colours.get(row)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            horizontal = Qt.AlignmentFlag.AlignRight if column in self.right_columns else Qt.AlignmentFlag.AlignLeft
            return horizontal | Qt.AlignmentFlag.AlignVCenter
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return heading(self.headers[section])
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Vertical:
            return str(section + 1)
        return None


#: Sample texts for column widths, by header: widths follow the font, not pixels.
COLUMN_SAMPLES: dict[str, str] = {
    "姓名": "欧阳某某某",
    "性别": "性别",
    "公民身份号码": "00000000000000000X",
    "村民小组": "第十二村民小组",
    "联系电话": "13900000000",
}


def make_table(
    model: RowsModel, *, multi: bool = False, name: str = "", samples: Sequence[str] | None = None
) -> QTableView:
    """A read-only table view over ``model``: whole rows selected, fixed row height, last column stretched.

    Column widths come from ``samples`` (one text per column), else from :data:`COLUMN_SAMPLES` by header, else
    a date's width.
    """
    table = QTableView()
    if name:
        table.setObjectName(name)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(
        QAbstractItemView.SelectionMode.ExtendedSelection if multi else QAbstractItemView.SelectionMode.SingleSelection
    )
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    rows = table.verticalHeader()
    rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    rows.setDefaultSectionSize(table.fontMetrics().height() + 10)
    header = table.horizontalHeader()
    header.setStretchLastSection(True)
    metrics = table.fontMetrics()
    header.setDefaultSectionSize(metrics.horizontalAdvance("2026-11-30") + 24)
    for column, title in enumerate(model.headers):
        sample = samples[column] if samples is not None else COLUMN_SAMPLES.get(title, title + "一")
        shown = heading(title)  # the English heading may be the wider one
        header.resizeSection(column, max(metrics.horizontalAdvance(sample), metrics.horizontalAdvance(shown)) + 24)
    return table


def selected_rows(table: QTableView) -> list[int]:
    """The selected rows of ``table``, top to bottom."""
    selection = table.selectionModel()
    return sorted({index.row() for index in selection.selectedRows()}) if selection is not None else []


def keep_selection(table: QTableView, model: RowsModel, reload: Callable[[], None]) -> None:
    """Run ``reload`` (which resets ``model``) and select again the rows whose ids were selected before."""
    chosen = {model.row_id(row) for row in selected_rows(table)}
    reload()
    selection = table.selectionModel()
    if not chosen or selection is None:
        return
    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    for row in range(model.rowCount()):
        if model.row_id(row) in chosen:
            selection.select(model.index(row, 0), flags)


class GroupChooser(QComboBox):
    """全部村民小组, then each group in order; ``group_id()`` is ``None`` for all."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.addItem(self.tr("全部村民小组"), None)

    def set_groups(self, groups: dict[str, str]) -> None:
        current = self.group_id()
        self.blockSignals(True)
        self.clear()
        self.addItem(self.tr("全部村民小组"), None)
        for group_id, name in groups.items():
            self.addItem(name, group_id)
        index = self.findData(current)
        self.setCurrentIndex(max(0, index))
        self.blockSignals(False)

    def group_id(self) -> str | None:
        value = self.currentData()
        return value if isinstance(value, str) else None


class PdfPreview(QWidget):
    """A PDF in the page, with 打印… and 另存为PDF…; ``printed`` callbacks run after a successful print or save."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = QPdfDocument(self)
        self._buffer: QBuffer | None = None
        self._pdf = b""
        self._landscape = False
        self.suggested_name = "打印.pdf"
        self.after_output: Callable[[], None] | None = None
        self.info = QLabel(self.tr("还没有可预览的内容"))
        self.info.setObjectName("previewInfo")
        self.print_button = QPushButton(self.tr("打印(&P)…"))
        self.save_button = QPushButton(self.tr("另存为PDF(&S)…"))
        self.print_button.clicked.connect(self.print_pdf)
        # Not save_pdf itself: clicked(bool) would hand it False as the path.
        self.save_button.clicked.connect(lambda: self.save_pdf())
        for button in (self.print_button, self.save_button):
            button.setEnabled(False)
        if QPdfView is not None:
            self.view: QWidget = QPdfView(self)
            self.view.setDocument(self.document)
            self.view.setPageMode(QPdfView.PageMode.MultiPage)
            self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        else:  # pragma: no cover - the wheels we ship have QtPdfWidgets
            self.view = QLabel(self.tr("（此电脑不能预览 PDF，请另存后用其他程序查看）"))
        buttons = QHBoxLayout()
        buttons.addWidget(self.info, 1)
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(buttons)
        layout.addWidget(self.view, 1)

    @property
    def pdf(self) -> bytes:
        return self._pdf

    def show_pdf(self, pdf: bytes, *, landscape: bool = False, name: str = "打印.pdf", info: str = "") -> None:
        """Show ``pdf`` (bytes) and remember how to print it."""
        self._pdf = pdf
        self._landscape = landscape
        self.suggested_name = name
        self.document.close()
        buffer = QBuffer(self)
        buffer.setData(QByteArray(pdf))
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document.load(buffer)
        if self._buffer is not None:
            self._buffer.close()
            self._buffer.deleteLater()
        self._buffer = buffer  # the document reads from it while it is shown
        pages = self.page_count()
        self.info.setText(info or self.tr("共 %d 页") % pages)
        for button in (self.print_button, self.save_button):
            button.setEnabled(pages > 0)

    def clear(self) -> None:
        self.document.close()
        self._pdf = b""
        self.info.setText(self.tr("还没有可预览的内容"))
        for button in (self.print_button, self.save_button):
            button.setEnabled(False)

    def page_count(self) -> int:
        if self.document.status() != QPdfDocument.Status.Ready:
            return 0
        return int(self.document.pageCount())

    def save_pdf(self, path: Path | None = None) -> Path | None:
        """另存为PDF: ask where (unless ``path`` is given) and write the file."""
        if not self._pdf:
            return None
        if path is None:
            name, _ = QFileDialog.getSaveFileName(
                self, self.tr("另存为PDF"), self.suggested_name, self.tr("PDF 文件 (*.pdf)")
            )
            if not name:
                return None
            path = Path(name if name.lower().endswith(".pdf") else name + ".pdf")
        try:
            path.write_bytes(self._pdf)
        except OSError as error:
            QMessageBox.warning(
                self, self.tr("无法保存"), self.tr("无法保存文件 %s：%s") % (path, error.strerror or error)
            )
            return None
        self.info.setText(self.tr("已保存：%s") % path)
        if self.after_output is not None:
            self.after_output()
        return path

    def print_pdf(self) -> bool:
        """打印: the system print dialog, then each page drawn on the printer at :data:`PRINT_DPI`."""
        if not self._pdf or self.page_count() == 0:
            return False
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        orientation = QPageLayout.Orientation.Landscape if self._landscape else QPageLayout.Orientation.Portrait
        printer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), orientation, QMarginsF(0, 0, 0, 0)))
        printer.setFullPage(True)  # the PDF carries its own margins
        printer.setDocName(self.suggested_name.removesuffix(".pdf"))
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle(self.tr("打印"))
        if dialog.exec() != QPrintDialog.DialogCode.Accepted:
            return False
        if not self.paint(printer):
            QMessageBox.warning(
                self, self.tr("无法打印"), self.tr("打印机无法开始打印，请检查打印机是否连接、是否缺纸。")
            )
            return False
        self.info.setText(self.tr("已送打印机：%d 页") % self.page_count())
        if self.after_output is not None:
            self.after_output()
        return True

    def paint(self, printer: QPrinter) -> bool:
        """Draw every page on ``printer`` (also used with a PDF-file printer in tests)."""
        painter = QPainter()
        if not painter.begin(printer):
            return False
        try:
            dpi = min(printer.resolution(), PRINT_DPI)
            for page in range(self.page_count()):
                if page:
                    printer.newPage()
                points = self.document.pagePointSize(page)
                image = self.document.render(
                    page, QSize(round(points.width() * dpi / 72), round(points.height() * dpi / 72))
                )
                painter.drawImage(QRectF(printer.pageLayout().fullRectPixels(printer.resolution())), image)
        finally:
            painter.end()
        return True


class PdfPreviewDialog(QDialog):
    """打印预览: a form or report in its own window before it is printed."""

    def __init__(
        self, title: str, pdf: bytes, *, landscape: bool = False, name: str = "", parent: QWidget | None = None
    ):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.preview = PdfPreview(self)
        self.preview.show_pdf(pdf, landscape=landscape, name=name or f"{title}.pdf")
        close = QPushButton(self.tr("关闭"))
        close.clicked.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(self.preview, 1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(close)
        layout.addLayout(row)
        self.resize(900 if landscape else 760, 860)
