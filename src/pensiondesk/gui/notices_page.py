"""The 公示名单 tab of the 公示/打印 page: build a public notice, preview it, print it, record objections.

On the left the coordinator picks the kind (待遇领取资格, 认证结果, 参保缴费, 死亡注销, 集体补助), the period, the
villager groups (none ticked: all), the posting day and the number of days (the policy pack's default), whether
names are masked, and the paper (landscape, portrait or as the kind suggests), then presses 生成公示: the list is
computed, masked and kept as a snapshot (:func:`pensiondesk.services.notices.build_notice`). The notices kept are
listed below; choosing one shows its PDF in the page — always the same list, however the data has changed since —
ready for 打印… to the system printer or 另存为PDF…. Objections raised during the posting period (异议) are
recorded against the chosen notice, and their resolution later.

:func:`build_notices_page` is what the 公示/打印 page puts in its 公示名单 tab.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from sqlalchemy.orm import Session

from pensiondesk.documents.notice import render_notice_bytes
from pensiondesk.domain.codes import NoticeKind
from pensiondesk.gui.pensioner_widgets import (
    PdfPreview,
    RowsModel,
    current_actor,
    from_qdate,
    make_table,
    run_service,
    selected_rows,
    to_qdate,
)
from pensiondesk.gui.person_model import SessionFactory
from pensiondesk.gui.qt import (
    QT_TRANSLATE_NOOP,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QShowEvent,
    QSpinBox,
    QSplitter,
    Qt,
    QVBoxLayout,
    QWidget,
)
from pensiondesk.services.notices import (
    add_objection,
    build_notice,
    default_period,
    list_notices,
    objections_of,
    parse_period,
    resolve_objection,
)
from pensiondesk.services.pensioner_common import group_names, policy_pack_for
from pensiondesk.services.recording import Actor
from pensiondesk.store.models import NoticeObjection, PublicNotice

__all__ = ["NoticesPage", "build_notices_page"]

_ORIENTATIONS = (
    (QT_TRANSLATE_NOOP("NoticesPage", "按种类自动"), None),
    (QT_TRANSLATE_NOOP("NoticesPage", "横向 A4"), True),
    (QT_TRANSLATE_NOOP("NoticesPage", "纵向 A4"), False),
)


def build_notices_page(session_factory: SessionFactory, parent: QWidget | None = None) -> NoticesPage:
    """The 公示名单 tab for the 公示/打印 page."""
    return NoticesPage(session_factory, parent)


class NoticesPage(QWidget):
    """公示名单: build, preview, print and keep public notices."""

    NOTICE_HEADERS = ("张贴日期", "公示期至", "人数", "异议", "标题")
    OBJECTION_HEADERS = ("提出日期", "提出人", "异议内容", "处理结果")

    def __init__(
        self,
        session_factory: SessionFactory,
        parent: QWidget | None = None,
        *,
        today: Callable[[], date] = date.today,
        actor: Callable[[], Actor] = current_actor,
    ) -> None:
        super().__init__(parent)
        self.session_factory = session_factory
        self.today = today
        self.actor = actor

        self.kind = QComboBox()
        self.kind.setObjectName("noticeKind")
        for kind in NoticeKind:
            self.kind.addItem(kind.label, kind)
        self.period = QLineEdit()
        self.period.setObjectName("noticePeriod")
        self.period.setPlaceholderText(self.tr("2026（年度）或 2026-11（月份）"))
        self.groups = QListWidget()
        self.groups.setObjectName("noticeGroups")
        self.groups.setMaximumHeight(130)
        self.posted = QDateEdit(to_qdate(today()))
        self.posted.setDisplayFormat("yyyy-MM-dd")
        self.posted.setCalendarPopup(True)
        self.days = QSpinBox()
        self.days.setRange(1, 60)
        self.days.setSuffix(self.tr(" 天"))
        self.mask_names = QCheckBox(self.tr("姓名第二个字显示为 *"))
        self.orientation = QComboBox()
        for label, value in _ORIENTATIONS:
            self.orientation.addItem(self.tr(label), value)
        self.build_button = QPushButton(self.tr("生成公示(&G)"))
        self.build_button.setObjectName("buildNotice")
        self.build_button.clicked.connect(self.build)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.orientation.currentIndexChanged.connect(self.show_selected)

        form = QFormLayout()
        form.addRow(self.tr("公示种类："), self.kind)
        form.addRow(self.tr("期间："), self.period)
        form.addRow(self.tr("村民小组："), self.groups)
        form.addRow(self.tr("张贴日期："), self.posted)
        form.addRow(self.tr("公示天数："), self.days)
        form.addRow(self.mask_names)
        form.addRow(self.tr("纸张："), self.orientation)
        form.addRow(self.build_button)
        choose = QGroupBox(self.tr("新的公示"))
        choose.setLayout(form)

        self.notices_model = RowsModel(self.NOTICE_HEADERS, self)
        self.notices_model.right_columns = {2, 3}
        self.notices = make_table(self.notices_model, name="noticeList")
        selection = self.notices.selectionModel()
        if selection is not None:
            selection.selectionChanged.connect(self.show_selected)
        self.objections_model = RowsModel(self.OBJECTION_HEADERS, self)
        self.objections = make_table(self.objections_model, name="objectionList")
        self.objection_button = QPushButton(self.tr("登记异议…"))
        self.resolve_button = QPushButton(self.tr("登记处理结果…"))
        self.objection_button.clicked.connect(lambda: self.raise_objection())  # not clicked(bool) as the date
        self.resolve_button.clicked.connect(lambda: self.resolve())  # clicked(bool) would pass False as the text
        objection_buttons = QHBoxLayout()
        objection_buttons.addWidget(QLabel(self.tr("公示期间的异议：")))
        objection_buttons.addStretch(1)
        objection_buttons.addWidget(self.objection_button)
        objection_buttons.addWidget(self.resolve_button)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(choose)
        left_layout.addWidget(QLabel(self.tr("已生成的公示（重印时名单与当时完全相同）：")))
        left_layout.addWidget(self.notices, 2)
        left_layout.addLayout(objection_buttons)
        left_layout.addWidget(self.objections, 1)

        self.preview = PdfPreview()
        self.preview.setObjectName("noticePreview")
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(self.preview)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(splitter)

        self._notices: list[PublicNotice] = []
        self._objections: list[NoticeObjection] = []
        self.loaded = False
        self._kind_changed()

    def showEvent(self, event: QShowEvent) -> None:
        """Read the groups and the notices the first time the tab is shown (a fast start)."""
        super().showEvent(event)
        if not self.loaded:
            self.load()

    def load(self) -> None:
        """Read the villager groups, the pack's notice days and the notices kept."""
        self.loaded = True
        self._load_choices()
        self.refresh()

    # --- choices ---------------------------------------------------------------------------------------------

    def _load_choices(self) -> None:
        def load(session: Session) -> tuple[dict[str, str], int]:
            return group_names(session), policy_pack_for(session, self.today()).notice_days

        found = run_service(self, self.session_factory, load)
        if found is None:
            return
        groups, days = found
        self.groups.clear()
        for group_id, name in groups.items():
            item = QListWidgetItem(name)
            item.setData(Qt.ItemDataRole.UserRole, group_id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.groups.addItem(item)
        self.days.setValue(days)

    def _kind_changed(self) -> None:
        kind = self.selected_kind()
        period = default_period(kind, self.today())
        start = period.start
        self.period.setText(f"{start.year}-{start.month:02d}" if kind is NoticeKind.BENEFIT else str(start.year))

    def selected_kind(self) -> NoticeKind:
        return NoticeKind(self.kind.currentData())  # Qt hands a StrEnum back as its str value

    def set_kind(self, kind: NoticeKind) -> None:
        self.kind.setCurrentIndex(self.kind.findData(kind))

    def checked_groups(self) -> list[str]:
        chosen = []
        for row in range(self.groups.count()):
            item = self.groups.item(row)
            if item is not None and item.checkState() == Qt.CheckState.Checked:
                chosen.append(str(item.data(Qt.ItemDataRole.UserRole)))
        return chosen

    # --- notices ---------------------------------------------------------------------------------------------

    def build(self) -> PublicNotice | None:
        """生成公示: compute, mask and keep the list, then show it."""
        kind = self.selected_kind()
        groups = self.checked_groups()
        posted = from_qdate(self.posted.date())
        period_text = self.period.text().strip()

        def work(session: Session) -> PublicNotice:
            return build_notice(
                session,
                kind=kind,
                posted_on=posted,
                actor=self.actor(),
                period=parse_period(period_text) if period_text else None,
                group_ids=groups,
                days=self.days.value(),
                mask_names=self.mask_names.isChecked(),
            )

        notice = run_service(self, self.session_factory, work)
        if notice is None:
            return None
        self.refresh()
        self.notices.selectRow(0)
        return notice

    def refresh(self) -> None:
        def load(session: Session) -> tuple[list[PublicNotice], dict[str, int]]:
            notices = list_notices(session)
            counts = {n.id: len(objections_of(session, n.id)) for n in notices}
            return notices, counts

        found = run_service(self, self.session_factory, load)
        if found is None:
            return
        self._notices, counts = found
        self.notices_model.set_rows(
            [
                (
                    n.id,
                    (
                        n.posted_on.isoformat(),
                        n.ends_on.isoformat(),
                        str(n.snapshot.get("total", 0)),
                        str(counts.get(n.id, 0)),
                        n.title,
                    ),
                )
                for n in self._notices
            ]
        )

    def selected_notice(self) -> PublicNotice | None:
        rows = selected_rows(self.notices)
        return self._notices[rows[0]] if len(rows) == 1 else None

    def show_selected(self, *_: object) -> bool:
        """Show the chosen notice's PDF and its objections."""
        notice = self.selected_notice()
        if notice is None:
            self.preview.clear()
            self.objections_model.set_rows([])
            return False
        landscape = self.orientation.currentData()
        content = dict(notice.snapshot)
        wide = bool(content.get("landscape")) if landscape is None else bool(landscape)
        pdf = run_service(
            self,
            self.session_factory,
            lambda _s: render_notice_bytes(content, landscape=wide, printed_on=self.today()),
        )
        if pdf is None:
            return False
        self.preview.show_pdf(pdf, landscape=wide, name=f"{notice.title}.pdf")
        pages = self.preview.page_count()
        self.preview.info.setText(self.tr("%d 人，共 %d 页") % (int(content.get("total", 0)), pages))
        self._show_objections(notice.id)
        return True

    # --- objections ------------------------------------------------------------------------------------------

    def _show_objections(self, notice_id: str) -> None:
        found = run_service(self, self.session_factory, lambda s: objections_of(s, notice_id))
        self._objections = found or []
        self.objections_model.set_rows(
            [
                (o.id, (o.raised_on.isoformat(), o.raised_by or "", o.content, o.resolution or self.tr("（未处理）")))
                for o in self._objections
            ]
        )

    def raise_objection(self, raised_on: date | None = None, content: str | None = None, by: str = "") -> bool:
        notice = self.selected_notice()
        if notice is None:
            QMessageBox.information(self, self.tr("登记异议"), self.tr("请先选中一份公示"))
            return False
        if content is None:
            dialog = ObjectionDialog(self, self.today())
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return False
            raised_on, content, by = dialog.values()
        day = raised_on or self.today()
        text = content
        done = run_service(
            self,
            self.session_factory,
            lambda s: add_objection(s, notice.id, raised_on=day, content=text, raised_by=by, actor=self.actor()),
        )
        self.refresh_keep_selection(notice.id)
        return done is not None

    def resolve(self, resolution: str | None = None) -> bool:
        rows = selected_rows(self.objections)
        notice = self.selected_notice()
        if len(rows) != 1 or notice is None:
            QMessageBox.information(self, self.tr("登记处理结果"), self.tr("请先选中一条异议"))
            return False
        objection_id = self._objections[rows[0]].id
        if resolution is None:
            text, ok = QInputDialog.getMultiLineText(self, self.tr("登记处理结果"), self.tr("核实和处理情况："))
            if not ok:
                return False
            resolution = text
        chosen = resolution
        done = run_service(
            self,
            self.session_factory,
            lambda s: resolve_objection(s, objection_id, resolution=chosen, actor=self.actor()),
        )
        self.refresh_keep_selection(notice.id)
        return done is not None

    def refresh_keep_selection(self, notice_id: str) -> None:
        self.refresh()
        for row, notice in enumerate(self._notices):
            if notice.id == notice_id:
                self.notices.selectRow(row)
                break


class ObjectionDialog(QDialog):
    """异议: the day, who raised it and what they said."""

    def __init__(self, parent: QWidget, today: date) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("登记异议"))
        self.day = QDateEdit(to_qdate(today))
        self.day.setDisplayFormat("yyyy-MM-dd")
        self.by = QLineEdit()
        self.content = QPlainTextEdit()
        form = QFormLayout(self)
        form.addRow(self.tr("提出日期："), self.day)
        form.addRow(self.tr("提出人："), self.by)
        form.addRow(self.tr("异议内容："), self.content)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def values(self) -> tuple[date, str, str]:
        return from_qdate(self.day.date()), self.content.toPlainText(), self.by.text()
