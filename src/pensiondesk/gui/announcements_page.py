"""The 公示/打印 page: public-notice lists (公示名单) and announcements (通知/宣传单) filled from the policy pack.

:class:`PrintPage` holds two tabs: 公示名单 (public notices, :mod:`pensiondesk.gui.notices_page`) and 通知/宣传单
(:class:`AnnouncementEditor`). In the editor the coordinator

1. picks the kind (缴费通知, 认证通知, 致城乡居民的一封信, 会议通知), the year and the layout (A4 poster or A5
   leaflet two to a sheet), and fills the few details only the village knows (period, places, contact,
   meeting date and agenda) — kept as village settings for next time;
2. presses 按模板生成: the text comes from the county's template with every figure from the policy pack;
3. edits the title, salutation and paragraphs if needed (the computed tables stay as calculated);
4. previews the PDF in the page, prints it on the system printer, or saves it as a PDF file. Printing or saving
   keeps the exact text with the date (打印记录), listed at the bottom right; a past record can be shown again.

All data goes through :mod:`pensiondesk.services.announcements`, with a session from the window's session
factory; errors the coordinator can act on are explained in a message box, never as a traceback.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from itertools import pairwise
from pathlib import Path

from pensiondesk.documents.announcements import render_bytes
from pensiondesk.documents.base import unsupported_characters
from pensiondesk.domain.codes import PaymentChannel, UserRole
from pensiondesk.gui.errors import show_store_error
from pensiondesk.gui.person_model import SessionFactory
from pensiondesk.gui.qt import (
    QAbstractItemView,
    QBuffer,
    QButtonGroup,
    QByteArray,
    QCheckBox,
    QComboBox,
    QDate,
    QDateEdit,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QIODevice,
    QLabel,
    QLineEdit,
    QMarginsF,
    QMessageBox,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfDocument,
    QPdfView,
    QPixmap,
    QPlainTextEdit,
    QPrintDialog,
    QPrinter,
    QPushButton,
    QRadioButton,
    QRectF,
    QScrollArea,
    QShowEvent,
    QSize,
    QSpinBox,
    QSplitter,
    Qt,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from pensiondesk.services.announcements import (
    Announcement,
    AnnouncementError,
    AnnouncementKind,
    AnnouncementSettings,
    Layout,
    PrintedAnnouncement,
    default_year,
    fill_announcement,
    load_settings,
    printed_announcement,
    printed_history,
    save_printed,
    save_settings,
)
from pensiondesk.services.recording import Actor
from pensiondesk.store.errors import StoreError

__all__ = ["DEFAULT_ACTOR", "AnnouncementEditor", "PrintPage"]

#: Who prints when nobody logged in and no operator is given (a database without users).
DEFAULT_ACTOR = Actor("coordinator", UserRole.COORDINATOR, "协办员")
#: Pages are rendered for the printer at this resolution at most (a 600 dpi A4 image would take 140 MB).
PRINT_DPI = 300

_DATE_FORMAT = "yyyy-MM-dd"


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _pydate(day: QDate) -> date:
    return date(day.year(), day.month(), day.day())


class PrintPage(QWidget):
    """公示/打印: two tabs, 公示名单 (public-notice lists) and 通知/宣传单 (announcements).

    The 公示名单 tab is :func:`pensiondesk.gui.notices_page.build_notices_page`'s page, or ``lists_page`` when
    given; a copy of the program without that module shows a line saying the lists come later.
    """

    def __init__(
        self,
        session_factory: SessionFactory,
        parent: QWidget | None = None,
        *,
        actor: Actor | None = None,
        today: Callable[[], date] = date.today,
        lists_page: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("printTabs")
        self.lists_page = lists_page or self._notice_lists(session_factory)
        self.editor = AnnouncementEditor(session_factory, actor=actor, today=today)
        self.tabs.addTab(self.lists_page, self.tr("公示名单(&L)"))
        self.tabs.addTab(self.editor, self.tr("通知/宣传单(&N)"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.tabs)

    def _notice_lists(self, session_factory: SessionFactory) -> QWidget:
        try:
            from pensiondesk.gui.notices_page import build_notices_page
        except ImportError:
            return self._lists_placeholder()
        return build_notices_page(session_factory)

    def _lists_placeholder(self) -> QWidget:
        lists = QWidget()
        label = QLabel(
            self.tr(
                "公示名单（待遇领取资格、认证结果、参保缴费、死亡注销、集体补助等公示）将在后续版本提供，"
                "目前尚不能使用。通知和宣传单请在“通知/宣传单”中打印。"
            )
        )
        label.setObjectName("noticeListsPlaceholder")
        label.setWordWrap(True)
        label.setStyleSheet("color: #8a5a00;")
        layout = QVBoxLayout(lists)
        layout.setContentsMargins(24, 24, 24, 24)
        layout.addWidget(label)
        layout.addStretch(1)
        return lists


class AnnouncementEditor(QWidget):
    """通知/宣传单: fill from the template, edit the text, preview, print, save as PDF, and the history."""

    def __init__(
        self,
        session_factory: SessionFactory,
        parent: QWidget | None = None,
        *,
        actor: Actor | None = None,
        today: Callable[[], date] = date.today,
    ) -> None:
        super().__init__(parent)
        self._session_factory = session_factory
        self._given_actor = actor  # None: whoever is logged in when the work is saved
        self._today = today
        self.announcement: Announcement | None = None
        self._pdf_bytes = b""
        self._pdf_buffer: QBuffer | None = None
        self._loading = False
        self._edited = False

        self._build_choice_box()
        self._build_details_box()
        self._build_text_box()
        self._build_preview()
        self._build_history()
        self._lay_out()
        self._set_tab_order()

        self._load_settings()
        self._show_kind_fields()
        self.kind_box.currentIndexChanged.connect(self._kind_chosen)
        self.refresh_history()
        # The text is generated when the page is first shown, not while the main window is being built.
        self._generated_once = False

    # --- construction ---------------------------------------------------------------------------------------

    def _operator(self) -> Actor:
        """Who saves: the operator given, else the logged-in user (else ``$PENSIONDESK_USER``/协办员)."""
        from pensiondesk.services.accounts import current_actor

        return self._given_actor or current_actor()

    def _build_choice_box(self) -> None:
        self.kind_box = QComboBox()
        self.kind_box.setObjectName("kindBox")
        labels = {
            AnnouncementKind.COLLECTION: self.tr("缴费通知"),
            AnnouncementKind.CERTIFICATION: self.tr("认证通知"),
            AnnouncementKind.LETTER: self.tr("致城乡居民的一封信（政策问答）"),
            AnnouncementKind.MEETING: self.tr("会议通知"),
        }
        for kind, label in labels.items():
            self.kind_box.addItem(label, kind.value)
        self.year_box = QSpinBox()
        self.year_box.setObjectName("yearBox")
        self.year_box.setRange(2000, 2100)
        self.year_box.setValue(default_year(self._today()))
        self.year_box.setSuffix(self.tr(" 年度"))
        self.poster_radio = QRadioButton(self.tr("张贴通知（A4 大字）(&A)"))
        self.leaflet_radio = QRadioButton(self.tr("宣传单（A5，一张 A4 印两份）(&5)"))
        self.poster_radio.setChecked(True)
        self.layout_group = QButtonGroup(self)
        self.layout_group.addButton(self.poster_radio)
        self.layout_group.addButton(self.leaflet_radio)
        self.layout_group.buttonToggled.connect(lambda *_: self._mark_edited())

        self.choice_box = QGroupBox(self.tr("通知种类"))
        form = QFormLayout(self.choice_box)
        kind_label = QLabel(self.tr("种类(&K)："))
        kind_label.setBuddy(self.kind_box)
        year_label = QLabel(self.tr("年度(&Y)："))
        year_label.setBuddy(self.year_box)
        form.addRow(kind_label, self.kind_box)
        form.addRow(year_label, self.year_box)
        layouts = QHBoxLayout()
        layouts.addWidget(self.poster_radio)
        layouts.addWidget(self.leaflet_radio)
        layouts.addStretch(1)
        form.addRow(self.tr("版式："), layouts)

    def _date_edit(self, name: str) -> QDateEdit:
        edit = QDateEdit()
        edit.setObjectName(name)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat(_DATE_FORMAT)
        return edit

    def _build_details_box(self) -> None:
        self.collection_start = self._date_edit("collectionStart")
        self.collection_end = self._date_edit("collectionEnd")
        self.collection_places = QLineEdit()
        self.bank = QLineEdit()
        self.channel_boxes = {
            PaymentChannel.VILLAGE_CASH: QCheckBox(self.tr("村级现金收缴")),
            PaymentChannel.BANK: QCheckBox(self.tr("银行代收")),
            PaymentChannel.TAX_BUREAU: QCheckBox(self.tr("税务渠道")),
        }
        self.certification_deadline = self._date_edit("certificationDeadline")
        self.certification_places = QLineEdit()
        self.visit_start = self._date_edit("visitStart")
        self.meeting_date = self._date_edit("meetingDate")
        self.meeting_time = QLineEdit()
        self.meeting_place = QLineEdit()
        self.meeting_attendees = QLineEdit()
        self.meeting_agenda = QPlainTextEdit()
        self.meeting_agenda.setObjectName("meetingAgenda")
        self.meeting_agenda.setTabChangesFocus(True)
        self.meeting_agenda.setFixedHeight(self.fontMetrics().lineSpacing() * 6)
        self.meeting_agenda.setToolTip(self.tr("每行一项议程"))
        self.contact_name = QLineEdit()
        self.contact_name.setObjectName("contactName")
        self.contact_name.setPlaceholderText(self.tr("不填时为本村协办员"))
        self.contact_phone = QLineEdit()
        self.contact_phone.setObjectName("contactPhone")

        channels = QWidget()
        channel_row = QHBoxLayout(channels)
        channel_row.setContentsMargins(0, 0, 0, 0)
        for box in self.channel_boxes.values():
            channel_row.addWidget(box)
        channel_row.addStretch(1)

        self.details_box = QGroupBox(self.tr("通知中的事项（保存为本村设置，下次自动填好）"))
        self.details_form = QFormLayout(self.details_box)
        rows: list[tuple[str, QWidget]] = [
            (self.tr("征缴开始(&B)："), self.collection_start),
            (self.tr("征缴截止(&E)："), self.collection_end),
            (self.tr("缴费地点(&W)："), self.collection_places),
            (self.tr("代收银行："), self.bank),
            (self.tr("缴费方式："), channels),
            (self.tr("认证截止(&E)："), self.certification_deadline),
            (self.tr("现场认证地点(&W)："), self.certification_places),
            (self.tr("上门认证开始："), self.visit_start),
            (self.tr("会议日期(&B)："), self.meeting_date),
            (self.tr("会议时间："), self.meeting_time),
            (self.tr("会议地点(&W)："), self.meeting_place),
            (self.tr("参会人员："), self.meeting_attendees),
            (self.tr("会议议程（每行一项）："), self.meeting_agenda),
            (self.tr("联系人(&C)："), self.contact_name),
            (self.tr("联系电话："), self.contact_phone),
        ]
        for text, widget in rows:
            label = QLabel(text)
            label.setBuddy(widget)
            self.details_form.addRow(label, widget)
        self._kind_rows: dict[AnnouncementKind, list[QWidget]] = {
            AnnouncementKind.COLLECTION: [
                self.collection_start,
                self.collection_end,
                self.collection_places,
                self.bank,
                channels,
            ],
            AnnouncementKind.CERTIFICATION: [self.certification_deadline, self.certification_places, self.visit_start],
            AnnouncementKind.LETTER: [self.collection_start, self.collection_end, self.collection_places],
            AnnouncementKind.MEETING: [
                self.meeting_date,
                self.meeting_time,
                self.meeting_place,
                self.meeting_attendees,
                self.meeting_agenda,
            ],
        }
        self._all_kind_widgets = [widget for _, widget in rows[:-2]]
        self.generate_button = QPushButton(self.tr("按模板生成(&G)"))
        self.generate_button.setObjectName("generateButton")
        self.generate_button.setToolTip(self.tr("按县里的模板和政策包重新生成通知文字（会替换下面已修改的文字）"))
        self.generate_button.clicked.connect(self._generate_clicked)

    def _build_text_box(self) -> None:
        self.title_edit = QPlainTextEdit()
        self.title_edit.setObjectName("titleEdit")
        self.title_edit.setTabChangesFocus(True)
        self.title_edit.setFixedHeight(self.fontMetrics().lineSpacing() * 3 + 12)
        self.title_edit.setToolTip(self.tr("标题中的换行就是打印时的换行"))
        self.salutation_edit = QLineEdit()
        self.salutation_edit.setObjectName("salutationEdit")
        self.body_edit = QPlainTextEdit()
        self.body_edit.setObjectName("bodyEdit")
        self.body_edit.setTabChangesFocus(True)
        self.body_edit.setMinimumHeight(self.fontMetrics().lineSpacing() * 12)
        for editor in (self.title_edit, self.body_edit):
            editor.textChanged.connect(self._mark_edited)
        self.salutation_edit.textChanged.connect(self._mark_edited)
        hint = QLabel(
            self.tr(
                "段与段之间空一行；以 # 开头的一段是小标题；单独一行的 {tier_table} 等表示在这里插入按政策包"
                "计算的表格，表格内容不能在这里修改，可以整行删去或移动。"
            )
        )
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #555;")
        self.text_box = QGroupBox(self.tr("打印前修改文字（只影响这一次打印）"))
        form = QFormLayout(self.text_box)
        title_label = QLabel(self.tr("标题(&T)："))
        title_label.setBuddy(self.title_edit)
        salutation_label = QLabel(self.tr("称呼(&U)："))
        salutation_label.setBuddy(self.salutation_edit)
        body_label = QLabel(self.tr("正文(&X)："))
        body_label.setBuddy(self.body_edit)
        form.addRow(title_label, self.title_edit)
        form.addRow(salutation_label, self.salutation_edit)
        form.addRow(body_label, self.body_edit)
        form.addRow(hint)

    def _build_preview(self) -> None:
        self.preview_button = QPushButton(self.tr("预览(&P)"))
        self.preview_button.setObjectName("previewButton")
        self.print_button = QPushButton(self.tr("打印(&R)…"))
        self.print_button.setObjectName("printButton")
        self.save_pdf_button = QPushButton(self.tr("另存为PDF(&S)…"))
        self.save_pdf_button.setObjectName("savePdfButton")
        self.preview_button.clicked.connect(self.preview)
        self.print_button.clicked.connect(self.print_announcement)
        self.save_pdf_button.clicked.connect(self.save_pdf)
        self.preview_label = QLabel()
        self.preview_label.setObjectName("previewStatus")

        self.preview_document = QPdfDocument(self)
        self.pdf_view: QWidget
        if QPdfView is not None:
            view = QPdfView()
            view.setDocument(self.preview_document)
            view.setPageMode(QPdfView.PageMode.MultiPage)
            view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
            self.pdf_view = view
            self._page_images_layout: QVBoxLayout | None = None
        else:  # no viewer widget: the pages as images in a scroll area
            area = QScrollArea()
            area.setWidgetResizable(True)
            pages = QWidget()
            self._page_images_layout = QVBoxLayout(pages)
            area.setWidget(pages)
            self.pdf_view = area
        self.pdf_view.setObjectName("pdfPreview")
        self.pdf_view.setMinimumWidth(360)

    def _build_history(self) -> None:
        self.history_table = QTableWidget(0, 6)
        self.history_table.setObjectName("historyTable")
        self.history_table.setHorizontalHeaderLabels(
            [self.tr("打印日期"), self.tr("种类"), self.tr("标题"), self.tr("版式"), self.tr("操作员"), self.tr("模板")]
        )
        self.history_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.history_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.history_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.history_table.setTabKeyNavigation(False)
        self.history_table.verticalHeader().setVisible(False)
        header = self.history_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.history_table.doubleClicked.connect(lambda *_: self.show_selected_record())
        self.show_record_button = QPushButton(self.tr("查看所选记录(&O)"))
        self.show_record_button.setObjectName("showRecordButton")
        self.show_record_button.clicked.connect(self.show_selected_record)
        self._history: list[PrintedAnnouncement] = []

    def _lay_out(self) -> None:
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 6, 0)
        left_layout.addWidget(self.choice_box)
        left_layout.addWidget(self.details_box)
        generate_row = QHBoxLayout()
        generate_row.addStretch(1)
        generate_row.addWidget(self.generate_button)
        left_layout.addLayout(generate_row)
        left_layout.addWidget(self.text_box, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(left)

        buttons = QHBoxLayout()
        buttons.addWidget(self.preview_button)
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.save_pdf_button)
        buttons.addStretch(1)
        buttons.addWidget(self.preview_label)
        preview = QWidget()
        preview_layout = QVBoxLayout(preview)
        preview_layout.setContentsMargins(6, 0, 0, 0)
        preview_layout.addLayout(buttons)
        preview_layout.addWidget(self.pdf_view, 1)

        history = QGroupBox(self.tr("打印记录（本村贴出和发放过的通知）"))
        history_layout = QVBoxLayout(history)
        history_layout.addWidget(self.history_table, 1)
        history_buttons = QHBoxLayout()
        history_buttons.addStretch(1)
        history_buttons.addWidget(self.show_record_button)
        history_layout.addLayout(history_buttons)

        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(preview)
        right.addWidget(history)
        right.setStretchFactor(0, 3)
        right.setStretchFactor(1, 1)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(scroll)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(splitter)

    def _set_tab_order(self) -> None:
        chain: list[QWidget] = [
            self.kind_box,
            self.year_box,
            self.poster_radio,
            self.leaflet_radio,
            *self._all_kind_widgets[:4],
            *self.channel_boxes.values(),
            *self._all_kind_widgets[5:],
            self.contact_name,
            self.contact_phone,
            self.generate_button,
            self.title_edit,
            self.salutation_edit,
            self.body_edit,
            self.preview_button,
            self.print_button,
            self.save_pdf_button,
            self.pdf_view,  # the preview sits between its buttons and the history below it
            self.history_table,
            self.show_record_button,
        ]
        for first, second in pairwise(chain):
            QWidget.setTabOrder(first, second)

    # --- the fields -----------------------------------------------------------------------------------------

    @property
    def kind(self) -> AnnouncementKind:
        return AnnouncementKind(self.kind_box.currentData())

    @property
    def layout_choice(self) -> Layout:
        return Layout.LEAFLET if self.leaflet_radio.isChecked() else Layout.POSTER

    def set_kind(self, kind: AnnouncementKind) -> None:
        """Choose ``kind`` in the 种类 box (as the coordinator would)."""
        self.kind_box.setCurrentIndex(self.kind_box.findData(kind.value))

    def _load_settings(self) -> None:
        try:
            with self._session_factory() as session:
                settings = load_settings(session, self._today())
        except StoreError as error:
            show_store_error(self, error)
            settings = AnnouncementSettings().with_defaults(self._today())
        self._show_settings(settings)

    def _show_settings(self, settings: AnnouncementSettings) -> None:
        dates = (
            (self.collection_start, settings.collection_start),
            (self.collection_end, settings.collection_end),
            (self.certification_deadline, settings.certification_deadline),
            (self.visit_start, settings.visit_start),
            (self.meeting_date, settings.meeting_date),
        )
        for edit, value in dates:
            if value is not None:
                edit.setDate(_qdate(value))
        self.collection_places.setText(settings.collection_places)
        self.bank.setText(settings.bank)
        for channel, box in self.channel_boxes.items():
            box.setChecked(channel.value in settings.payment_channels)
        self.certification_places.setText(settings.certification_places)
        self.meeting_time.setText(settings.meeting_time)
        self.meeting_place.setText(settings.meeting_place)
        self.meeting_attendees.setText(settings.meeting_attendees)
        self.meeting_agenda.setPlainText("\n".join(settings.meeting_agenda))
        self.contact_name.setText(settings.contact_name)
        self.contact_phone.setText(settings.contact_phone)

    def settings(self) -> AnnouncementSettings:
        """The details as the coordinator has filled them in."""
        return AnnouncementSettings(
            contact_name=self.contact_name.text().strip(),
            contact_phone=self.contact_phone.text().strip(),
            collection_start=_pydate(self.collection_start.date()),
            collection_end=_pydate(self.collection_end.date()),
            collection_places=self.collection_places.text().strip(),
            bank=self.bank.text().strip(),
            payment_channels=tuple(c.value for c, box in self.channel_boxes.items() if box.isChecked()),
            certification_deadline=_pydate(self.certification_deadline.date()),
            certification_places=self.certification_places.text().strip(),
            visit_start=_pydate(self.visit_start.date()),
            meeting_date=_pydate(self.meeting_date.date()),
            meeting_time=self.meeting_time.text().strip(),
            meeting_place=self.meeting_place.text().strip(),
            meeting_attendees=self.meeting_attendees.text().strip(),
            meeting_agenda=tuple(
                line.strip() for line in self.meeting_agenda.toPlainText().splitlines() if line.strip()
            ),
        )

    def _show_kind_fields(self) -> None:
        shown = set(map(id, self._kind_rows[self.kind]))
        for widget in self._all_kind_widgets:
            self.details_form.setRowVisible(widget, id(widget) in shown)

    def _kind_chosen(self) -> None:
        self._show_kind_fields()
        if self._edited and not self._confirm_discard():
            return
        self.generate(template_layout=True)  # a new kind comes in its template's layout (the letter: leaflets)

    def _confirm_discard(self) -> bool:
        answer = QMessageBox.question(
            self,
            self.tr("重新生成通知"),
            self.tr("已修改的文字将被模板重新生成的文字替换，是否继续？"),
        )
        return answer == QMessageBox.StandardButton.Yes

    def _mark_edited(self) -> None:
        if not self._loading:
            self._edited = True

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._generated_once:
            self._generated_once = True
            self.generate(quiet=True, template_layout=True)

    # --- generating -----------------------------------------------------------------------------------------

    def _generate_clicked(self) -> None:
        if self._edited and not self._confirm_discard():
            return
        self.generate()

    def generate(self, *, quiet: bool = False, template_layout: bool = False) -> bool:
        """Save the details as village settings and fill the chosen template; True when it worked.

        ``quiet`` (when the page opens) shows a problem in the status line instead of a message box;
        ``template_layout`` takes the template's layout instead of the one chosen on the page.
        """
        self._generated_once = True
        settings = self.settings()
        try:
            with self._session_factory() as session:
                save_settings(session, self._operator(), settings)
                announcement = fill_announcement(
                    session,
                    self.kind,
                    layout=None if template_layout else self.layout_choice,
                    year=self.year_box.value(),
                    today=self._today(),
                    settings=settings,
                )
        except AnnouncementError as error:
            if quiet:
                self.preview_label.setText(error.user_message)
            else:
                self._warn(error.user_message)
            return False
        except StoreError as error:
            if quiet:
                self.preview_label.setText(error.user_message)
            else:
                show_store_error(self, error)
            return False
        self._show_announcement(announcement)
        self.preview()
        return True

    def _show_announcement(self, announcement: Announcement) -> None:
        self.announcement = announcement
        self._loading = True
        try:
            self.title_edit.setPlainText(announcement.title)
            self.salutation_edit.setText(announcement.salutation)
            self.body_edit.setPlainText(announcement.text)
            (self.leaflet_radio if announcement.layout is Layout.LEAFLET else self.poster_radio).setChecked(True)
        finally:
            self._loading = False
        self._edited = False

    def current_announcement(self) -> Announcement | None:
        """The announcement with the coordinator's edits, or ``None`` (after telling why) if it cannot print."""
        if self.announcement is None and not self.generate():
            return None
        assert self.announcement is not None
        try:
            edited = self.announcement.with_text(
                title=self.title_edit.toPlainText(),
                salutation=self.salutation_edit.text(),
                text=self.body_edit.toPlainText(),
                layout=self.layout_choice,
            )
            edited.blocks()
        except AnnouncementError as error:
            self._warn(error.user_message)
            return None
        missing = unsupported_characters(edited.title + edited.subtitle + edited.salutation + edited.text)
        if missing:
            self._warn(
                self.tr("以下字符在打印字体中没有，印出来会是空白方框：%s\n请改用常用字后再打印。") % " ".join(missing)
            )
            return None
        return edited

    # --- preview, print, save -------------------------------------------------------------------------------

    def preview(self) -> bool:
        """Render the current text and show it in the preview; True when it worked."""
        announcement = self.current_announcement()
        if announcement is None:
            return False
        return self._show_pdf(announcement)

    def _show_pdf(self, announcement: Announcement) -> bool:
        try:
            pdf = render_bytes(announcement, announcement.layout.value)
        except (OSError, ValueError) as error:
            self._warn(self.tr("无法生成打印文件：%s") % error)
            return False
        self._pdf_bytes = pdf
        self.preview_document.close()
        buffer = QBuffer(self)
        buffer.setData(QByteArray(pdf))
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.preview_document.load(buffer)
        if self._pdf_buffer is not None:
            self._pdf_buffer.close()
            self._pdf_buffer.deleteLater()
        self._pdf_buffer = buffer  # the document reads from it while it is shown
        pages = self.preview_page_count()
        sheets = self.tr("A4 张贴通知") if announcement.layout is Layout.POSTER else self.tr("A4 横放，每张两份宣传单")
        self.preview_label.setText(self.tr("共 %d 页（%s）") % (pages, sheets))
        if self._page_images_layout is not None:
            self._fill_page_images()
        return True

    def preview_page_count(self) -> int:
        """Pages in the preview (0 when nothing is shown)."""
        if self.preview_document.status() != QPdfDocument.Status.Ready:
            return 0
        return int(self.preview_document.pageCount())

    def _fill_page_images(self) -> None:
        """The fallback preview: each page as an image, one under the other."""
        layout = self._page_images_layout
        assert layout is not None
        while layout.count():
            item = layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        for page in range(self.preview_page_count()):
            size = self.preview_document.pagePointSize(page).toSize()
            image = self.preview_document.render(page, QSize(size.width() * 96 // 72, size.height() * 96 // 72))
            label = QLabel()
            label.setPixmap(QPixmap.fromImage(image))
            layout.addWidget(label)

    def save_pdf(self) -> Path | None:
        """另存为PDF: choose a file, write the PDF, keep the printed text; returns the file or ``None``."""
        announcement = self.current_announcement()
        if announcement is None or not self._show_pdf(announcement):
            return None
        suggested = f"{announcement.title.replace(chr(10), '')}.pdf"
        name, _ = QFileDialog.getSaveFileName(self, self.tr("另存为PDF"), suggested, self.tr("PDF 文件 (*.pdf)"))
        if not name:
            return None
        path = Path(name if name.lower().endswith(".pdf") else name + ".pdf")
        try:
            path.write_bytes(self._pdf_bytes)
        except OSError as error:
            self._warn(self.tr("无法保存文件 %s：%s") % (path, error.strerror or error))
            return None
        if not self._record(announcement):
            return None
        self.preview_label.setText(self.tr("已保存：%s") % path)
        return path

    def print_announcement(self) -> bool:
        """打印: the system print dialog, then each PDF page drawn on the printer; keeps the printed text."""
        announcement = self.current_announcement()
        if announcement is None or not self._show_pdf(announcement):
            return False
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        orientation = (
            QPageLayout.Orientation.Landscape
            if announcement.layout is Layout.LEAFLET
            else QPageLayout.Orientation.Portrait
        )
        printer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), orientation, QMarginsF(0, 0, 0, 0)))
        printer.setFullPage(True)  # the PDF carries its own margins
        printer.setDocName(announcement.title.replace("\n", ""))
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle(self.tr("打印通知"))
        if dialog.exec() != QPrintDialog.DialogCode.Accepted:
            return False
        if not self._paint(printer):
            self._warn(self.tr("打印机无法开始打印，请检查打印机是否连接、是否缺纸。"))
            return False
        if not self._record(announcement):
            return False
        self.preview_label.setText(self.tr("已送打印机：%d 页") % self.preview_page_count())
        return True

    def _paint(self, printer: QPrinter) -> bool:
        painter = QPainter()
        if not painter.begin(printer):
            return False
        try:
            dpi = min(printer.resolution(), PRINT_DPI)
            for page in range(self.preview_page_count()):
                if page:
                    printer.newPage()
                points = self.preview_document.pagePointSize(page)
                image = self.preview_document.render(
                    page, QSize(round(points.width() * dpi / 72), round(points.height() * dpi / 72))
                )
                target = QRectF(printer.pageLayout().fullRectPixels(printer.resolution()))
                painter.drawImage(target, image)
        finally:
            painter.end()
        return True

    def _record(self, announcement: Announcement) -> bool:
        try:
            with self._session_factory() as session:
                save_printed(session, self._operator(), announcement, self._today())
        except AnnouncementError as error:
            self._warn(error.user_message)
            return False
        except StoreError as error:
            show_store_error(self, error)
            return False
        self.refresh_history()
        return True

    # --- history --------------------------------------------------------------------------------------------

    def refresh_history(self) -> None:
        """Re-read the printing history (打印记录), newest first."""
        try:
            with self._session_factory() as session:
                self._history = printed_history(session)
        except StoreError as error:
            show_store_error(self, error)
            return
        table = self.history_table
        table.setRowCount(len(self._history))
        for row, record in enumerate(self._history):
            cells = (
                record.printed_on.isoformat(),
                record.kind.label,
                record.title,
                self.tr("张贴通知") if record.layout is Layout.POSTER else self.tr("宣传单"),
                record.printed_by,
                f"{record.template_name} v{record.template_version}",
            )
            for column, text in enumerate(cells):
                table.setItem(row, column, QTableWidgetItem(text))

    def show_selected_record(self) -> bool:
        """Show a past record in the preview exactly as it was printed (not editable there)."""
        row = self.history_table.currentRow()
        if not 0 <= row < len(self._history):
            self._warn(self.tr("请先在打印记录中选择一条。"))
            return False
        record = self._history[row]
        try:
            with self._session_factory() as session:
                stored = printed_announcement(session, record.id)
        except AnnouncementError as error:
            self._warn(error.user_message)
            return False
        except StoreError as error:
            show_store_error(self, error)
            return False
        if not self._show_pdf(stored):
            return False
        self.preview_label.setText(
            self.tr("打印记录：%s 打印的“%s”（%s）") % (record.printed_on.isoformat(), record.title, stored.kind.label)
        )
        return True

    # --- messages -------------------------------------------------------------------------------------------

    def _warn(self, message: str) -> None:
        QMessageBox.warning(self, self.tr("通知/宣传单"), message)
