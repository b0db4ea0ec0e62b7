"""The 报表 page: the four rates (参保率, 缴费率, 发放率, 认证率) by villager group and for the village.

The statistics date, then the table of figures (one row per group and the village total), a small bar chart of
参保率 by group (a coordinator looks at it rather than reading it), and the list behind any figure: choose the
figure and the group — or double-click a cell of the table — to see who is missing (未参保, 催缴名单, 未正常发放,
未认证) or who is counted. 导出Excel… writes the sheet the township merges; 打印报告… previews the printed stage
report with its lists before printing.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session

from pensiondesk.documents.progress_report import render_progress_report_bytes
from pensiondesk.gui.pensioner_widgets import (
    PdfPreviewDialog,
    RowsModel,
    from_qdate,
    make_table,
    run_service,
    to_qdate,
)
from pensiondesk.gui.person_model import SessionFactory
from pensiondesk.gui.qt import (
    QT_TRANSLATE_NOOP,
    QColor,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QModelIndex,
    QPainter,
    QPen,
    QPushButton,
    QRectF,
    QShowEvent,
    QSplitter,
    Qt,
    QVBoxLayout,
    QWidget,
)
from pensiondesk.gui.table_headers import heading
from pensiondesk.services.progress import Measure, ProgressPerson, ProgressReport, progress_list, progress_report
from pensiondesk.sheets.progress_export import write_progress_xlsx

__all__ = ["CoverageChart", "ReportsPage"]

_MEASURES = tuple(Measure)
# The names of the lists (services/progress.py), for the English interface; the columns' are in table_headers.
_LIST_NAMES = (
    QT_TRANSLATE_NOOP("ReportsPage", "未参保名单"),
    QT_TRANSLATE_NOOP("ReportsPage", "催缴名单"),
    QT_TRANSLATE_NOOP("ReportsPage", "未正常发放名单"),
    QT_TRANSLATE_NOOP("ReportsPage", "未认证名单"),
)


def _list_key(measure: Measure, *, missing: bool) -> str:
    """The combo box data of a list: ``payment:missing`` (Qt keeps plain strings intact)."""
    return f"{measure.value}:{'missing' if missing else 'counted'}"


class CoverageChart(QWidget):
    """参保率 by group as bars, the village rate as a dashed red line."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("coverageChart")
        self.setMinimumHeight(180)
        self._bars: list[tuple[str, float | None]] = []
        self._total: float | None = None

    def set_report(self, report: ProgressReport) -> None:
        # Drawing coordinates only: the rates themselves stay Decimal in the report.
        self._bars = []
        for group in report.groups:
            rate = group[Measure.ENROLMENT].rate
            self._bars.append((group.name, float(rate) if rate is not None else None))
        total = report.total[Measure.ENROLMENT].rate
        self._total = float(total) if total is not None else None
        self.update()

    def paintEvent(self, event: object) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = painter.fontMetrics()
        left, top = metrics.horizontalAdvance("100%") + 10, metrics.height() + 8
        bottom = metrics.height() * 2 + 6
        width, height = self.width() - left - 10, self.height() - top - bottom
        painter.drawText(QRectF(0, 0, self.width(), top), Qt.AlignmentFlag.AlignCenter, self.tr("各村民小组参保率"))
        if height <= 10 or not self._bars:
            painter.end()
            return
        painter.setPen(QPen(QColor(215, 215, 215)))
        for step in range(0, 101, 25):
            y = top + height * (1 - step / 100)
            painter.drawLine(int(left), int(y), int(left + width), int(y))
            painter.setPen(QPen(QColor(90, 90, 90)))
            painter.drawText(
                QRectF(0, y - metrics.height() / 2, left - 4, metrics.height()), Qt.AlignmentFlag.AlignRight, f"{step}%"
            )
            painter.setPen(QPen(QColor(215, 215, 215)))
        slot = width / len(self._bars)
        bar = max(4.0, slot * 0.55)
        for index, (name, rate) in enumerate(self._bars):
            x = left + slot * index + (slot - bar) / 2
            value = rate or 0.0
            bar_height = height * value / 100
            painter.fillRect(QRectF(x, top + height - bar_height, bar, bar_height), QColor(56, 115, 178))
            painter.setPen(QPen(QColor(40, 40, 40)))
            label = f"{value:.1f}%" if rate is not None else "—"
            painter.drawText(
                QRectF(x - slot, top + height - bar_height - metrics.height(), bar + 2 * slot, metrics.height()),
                Qt.AlignmentFlag.AlignCenter,
                label,
            )
            painter.drawText(
                QRectF(left + slot * index, top + height + 2, slot, bottom),
                Qt.AlignmentFlag.AlignHCenter | Qt.TextFlag.TextWordWrap,
                name,
            )
        if self._total is not None:
            pen = QPen(QColor(200, 40, 40))
            pen.setStyle(Qt.PenStyle.DashLine)
            painter.setPen(pen)
            y = top + height * (1 - self._total / 100)
            painter.drawLine(int(left), int(y), int(left + width), int(y))
        painter.end()


class ReportsPage(QWidget):
    """报表: the progress figures, the chart, the lists behind them, export and print."""

    def __init__(
        self,
        session_factory: SessionFactory,
        parent: QWidget | None = None,
        *,
        today: Callable[[], date] = date.today,
    ) -> None:
        super().__init__(parent)
        self.session_factory = session_factory
        self.today = today
        self.report: ProgressReport | None = None
        self.as_of = QDateEdit(to_qdate(today()))
        self.as_of.setDisplayFormat("yyyy-MM-dd")
        self.as_of.setCalendarPopup(True)
        self.compute_button = QPushButton(self.tr("统计(&T)"))
        self.export_button = QPushButton(self.tr("导出Excel(&E)…"))
        self.print_button = QPushButton(self.tr("打印报告(&P)…"))
        self.compute_button.clicked.connect(self.compute)
        self.export_button.clicked.connect(lambda: self.export_xlsx())  # clicked(bool) would pass False as the path
        self.print_button.clicked.connect(self.print_report)

        headers = ["村民小组"]
        for measure in _MEASURES:
            headers += [measure.denominator_label, measure.numerator_label, measure.label]
        self.figures_model = RowsModel(headers, self)
        self.figures_model.right_columns = set(range(1, len(headers)))
        samples = ["第十二村民小组"] + ["正常发放", "正常发放", "100.00%"] * len(_MEASURES)
        self.figures = make_table(self.figures_model, name="figuresTable", samples=samples)
        self.figures.horizontalHeader().setStretchLastSection(False)
        self.figures.doubleClicked.connect(self._cell_chosen)
        self.chart = CoverageChart()

        self.measure = QComboBox()
        for measure in _MEASURES:
            self.measure.addItem(self.tr(measure.missing_label), _list_key(measure, missing=True))
            counted = self.tr("%s：%s名单") % (heading(measure.label), heading(measure.numerator_label))
            self.measure.addItem(counted, _list_key(measure, missing=False))
        self.group = QComboBox()
        self.list_model = RowsModel(("姓名", "性别", "公民身份号码", "村民小组", "联系电话", "情况"), self)
        self.list_table = make_table(self.list_model, name="progressList")
        self.list_count = QLabel()
        self.measure.currentIndexChanged.connect(self.show_list)
        self.group.currentIndexChanged.connect(self.show_list)

        top = QHBoxLayout()
        as_of_label = QLabel(self.tr("统计日期(&D)："))
        as_of_label.setBuddy(self.as_of)
        top.addWidget(as_of_label)
        top.addWidget(self.as_of)
        top.addWidget(self.compute_button)
        top.addStretch(1)
        top.addWidget(self.export_button)
        top.addWidget(self.print_button)
        upper = QSplitter(Qt.Orientation.Horizontal)
        upper.addWidget(self.figures)
        upper.addWidget(self.chart)
        upper.setStretchFactor(0, 3)
        upper.setStretchFactor(1, 2)
        list_bar = QHBoxLayout()
        list_label = QLabel(self.tr("名单(&L)："))
        list_label.setBuddy(self.measure)
        self.group.setAccessibleName(self.tr("村民小组"))
        list_bar.addWidget(list_label)
        list_bar.addWidget(self.measure)
        list_bar.addWidget(self.group)
        list_bar.addStretch(1)
        list_bar.addWidget(self.list_count)
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addLayout(list_bar)
        lower_layout.addWidget(self.list_table)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(upper)
        split.addWidget(lower)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 6)
        layout.addLayout(top)
        layout.addWidget(split, 1)

    def showEvent(self, event: QShowEvent) -> None:
        """Count the first time the page is shown, not when the window opens (a fast start)."""
        super().showEvent(event)
        if self.report is None:
            self.compute()

    def _date(self) -> date:
        return from_qdate(self.as_of.date())

    def compute(self) -> ProgressReport | None:
        report = run_service(self, self.session_factory, lambda s: progress_report(s, as_of=self._date()))
        if report is None:
            return None
        self.report = report
        rows = []
        for group in [*report.groups, report.total]:
            cells = [group.name]
            for measure in _MEASURES:
                figure = group[measure]
                cells += [str(figure.denominator), str(figure.numerator), figure.rate_text]
            rows.append((group.group_id or "", cells))
        self.figures_model.set_rows(rows)
        self.chart.set_report(report)
        self.group.blockSignals(True)
        self.group.clear()
        self.group.addItem(self.tr("全村"), None)
        for group in report.groups:
            self.group.addItem(group.name, group.group_id)
        self.group.blockSignals(False)
        self.show_list()
        return report

    def _cell_chosen(self, index: QModelIndex) -> None:
        column = index.column()
        if column == 0:
            return
        measure = _MEASURES[(column - 1) // 3]
        missing = (column - 1) % 3 != 1  # the 已… column shows who is counted, the others who is missing
        self.measure.setCurrentIndex(self.measure.findData(_list_key(measure, missing=missing)))
        group_id = self.figures_model.row_id(index.row()) or None
        self.group.setCurrentIndex(max(0, self.group.findData(group_id)))
        self.show_list()

    def show_list(self) -> list[ProgressPerson]:
        choice = self.measure.currentData()
        if not isinstance(choice, str):
            return []
        key, _, which = choice.partition(":")
        measure, missing = Measure(key), which == "missing"
        group_id = self.group.currentData()

        def load(session: Session) -> list[ProgressPerson]:
            return progress_list(session, measure, as_of=self._date(), missing=missing, group_id=group_id)

        people = run_service(self, self.session_factory, load) or []
        self.list_model.set_rows(
            [(p.person_id, (p.name, p.sex.label, p.id_number, p.group_name, p.phone or "", p.detail)) for p in people]
        )
        self.list_count.setText(self.tr("共 %d 人") % len(people))
        return people

    def _lists(self, session: Session) -> dict[str, list[ProgressPerson]]:
        return {m.value: progress_list(session, m, as_of=self._date()) for m in _MEASURES}

    def export_xlsx(self, path: Path | None = None) -> Path | None:
        report = self.report or self.compute()
        if report is None:
            return None
        if path is None:
            suggested = f"{report.village.name}-工作进度-{report.as_of.isoformat()}.xlsx"
            name, _ = QFileDialog.getSaveFileName(self, self.tr("导出Excel"), suggested, self.tr("Excel 文件 (*.xlsx)"))
            if not name:
                return None
            path = Path(name if name.lower().endswith(".xlsx") else name + ".xlsx")
        target = path
        lists = run_service(self, self.session_factory, self._lists)
        if lists is None:
            return None
        return run_service(self, self.session_factory, lambda _s: write_progress_xlsx(report, target, lists=lists))

    def print_report(self) -> bool:
        report = self.report or self.compute()
        if report is None:
            return False
        lists = run_service(self, self.session_factory, self._lists)
        if lists is None:
            return False
        pdf = render_progress_report_bytes(report, lists=lists, printed_on=self.today())
        self.preview = PdfPreviewDialog(
            self.tr("工作进度报告"), pdf, landscape=True, name=f"{report.village.name}-工作进度报告.pdf", parent=self
        )
        self.preview.show()
        return True
