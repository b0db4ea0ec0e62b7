"""The main window (主窗口) of the village workstation.

Left, the product's pages (人员/登记, 缴费/票据, 待遇/认证, 公示/打印, 报表, 同步, 设置), reachable
with Alt+1 … Alt+7; right, the page itself. The 人员/登记 page is the person list: one search box over a table
that holds only ids and fetches rows as they are painted
(:class:`~pensiondesk.gui.person_model.PersonTableModel`). The 公示/打印 page prints announcements
(:class:`~pensiondesk.gui.announcements_page.PrintPage`); 设置 holds the text size, 本机信息 and the overlay
calibration (:class:`~pensiondesk.gui.settings_page.SettingsPage`). Pages whose work is not built yet say so plainly
instead of pretending.

Everything the window reads comes through :mod:`pensiondesk.services.roster`; it never touches the store.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pensiondesk import __version__
from pensiondesk.gui.person_model import Column, PersonTableModel, SessionFactory
from pensiondesk.gui.person_tools import FilterBar, PersonActions
from pensiondesk.gui.qt import (
    QAbstractItemView,
    QAction,
    QActionGroup,
    QApplication,
    QCloseEvent,
    QEvent,
    QFont,
    QFontDatabase,
    QFontMetrics,
    QHBoxLayout,
    QHeaderView,
    QKeyEvent,
    QKeySequence,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QObject,
    QSize,
    QStackedWidget,
    Qt,
    QTableView,
    QThread,
    QTimer,
    QVBoxLayout,
    QWidget,
    Signal,
)
from pensiondesk.gui.status_bar import MessageStatusBar
from pensiondesk.services.roster import count_persons, village_summary

if TYPE_CHECKING:
    from pensiondesk.gui.manual_viewer import ManualViewer

__all__ = [
    "MANUAL_FILE",
    "PRODUCT_NAME",
    "SEARCH_DEBOUNCE_MS",
    "MainWindow",
    "PersonPage",
    "PlaceholderPage",
    "manual_candidates",
    "manual_language",
    "manual_path",
]

PRODUCT_NAME = "城乡居保村级工作台"
#: Pause after the last keystroke before the list is filtered: one query per word, not per letter.
SEARCH_DEBOUNCE_MS = 150
#: The sync page is built this long after the window opens (it fills the status bar's 同步 field).
SYNC_PAGE_DELAY_MS = 300
#: Ids the person list loads before its first paint; the rest follow right after (PersonTableModel first_ids).
FIRST_SCREEN_IDS = 400

#: The coordinators' manual (使用手册), in ``docs/`` beside ``resources/`` (checkout or bundle); Help → F1 opens it.
MANUAL_FILE = "manual.zh.md"

# Column widths as sample text, so they follow the font size (and any translation) rather than pixels.
_COLUMN_SAMPLES = (
    "100000",  # 序号
    "欧阳某某某",  # 姓名
    "性别",  # 性别
    "0000-00-00",  # 出生日期
    "000000000000000000",  # 公民身份号码 (measured in the fixed-pitch font)
    "第十二村民小组",  # 村民小组
    "配偶（待核对）",  # 与户主关系, with the mark of a relation still to check after a change of head
    "参保缴费",  # 参保状态
    "13900000000",  # 联系电话
)


class PersonPage(QWidget):
    """人员/登记: find a person by name, pinyin initials or ID number, in the whole village list.

    Above the list, the filters (:class:`~pensiondesk.gui.person_tools.FilterBar`) and the actions
    (:class:`~pensiondesk.gui.person_tools.PersonActions`: 新增人员, 修改, 家庭, 参保登记, 导入/导出花名册, 审核).
    """

    def __init__(self, session_factory: SessionFactory, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session_factory = session_factory
        self.model = PersonTableModel(session_factory, self, first_ids=FIRST_SCREEN_IDS)

        self.search_label = QLabel(self.tr("查找：姓名、身份证号或拼音首字母"))
        self.search_box = QLineEdit()
        self.search_box.setObjectName("personSearch")
        self.search_box.setPlaceholderText(self.tr("例如：张三　或　zsf　或　身份证号后四位 1768"))
        self.search_box.setClearButtonEnabled(True)
        self.search_label.setBuddy(self.search_box)
        self.count_label = QLabel()
        self.count_label.setObjectName("personCount")
        self.filter_bar = FilterBar(session_factory)
        self.filter_bar.changed.connect(self.apply_search)

        self.table = QTableView()
        self.table.setObjectName("personTable")
        self.table.setModel(self.model)
        self._set_up_table()

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(SEARCH_DEBOUNCE_MS)
        self._debounce.timeout.connect(self.apply_search)
        self.search_box.textChanged.connect(self._debounce.start)
        self.search_box.returnPressed.connect(self.enter_table)
        self.search_box.installEventFilter(self)
        self.table.installEventFilter(self)
        self.person_actions = PersonActions(self, self, session_factory)

        search_row = QHBoxLayout()
        search_row.addWidget(self.search_label)
        search_row.addWidget(self.search_box, 1)
        search_row.addSpacing(16)
        search_row.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 6)
        layout.addLayout(search_row)
        layout.addWidget(self.filter_bar)
        layout.addLayout(self.person_actions.buttons())
        layout.addWidget(self.table, 1)

        self._total = 0
        self._total_stale = True
        self.update_count()

    def _set_up_table(self) -> None:
        table = self.table
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        # Several rows may be selected (Shift/Ctrl+click, Ctrl+A) for 批量参保登记; 修改, 家庭 and the other
        # one-person actions act on the current row.
        table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setAlternatingRowColors(True)
        table.setWordWrap(False)
        table.setTabKeyNavigation(False)  # Tab leaves the table, as a coordinator expects
        table.verticalHeader().setVisible(False)  # the 序号 column numbers the rows
        # Fixed row heights and column widths: a ResizeToContents mode would read every row of the list.
        rows = table.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(table.fontMetrics().height() + 14)
        header = table.horizontalHeader()
        header.setHighlightSections(False)
        header.setStretchLastSection(True)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
        header.setMinimumHeight(table.fontMetrics().height() + 16)
        id_font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        id_font.setPointSizeF(table.font().pointSizeF())
        self.model.set_id_number_font(id_font)
        text_metrics, id_metrics = table.fontMetrics(), QFontMetrics(id_font)
        for column, sample in enumerate(_COLUMN_SAMPLES):
            metrics = id_metrics if column == Column.ID_NUMBER else text_metrics
            header.resizeSection(column, metrics.horizontalAdvance(sample) + 28)

    def refit_table(self) -> None:
        """Re-measure row heights and column widths after the application font changed (设置 → 字体大小)."""
        self._set_up_table()

    # --- search ---------------------------------------------------------------------------------------------

    def apply_search(self) -> None:
        """Filter the list by what the search box holds now (the debounce timer calls this)."""
        self._debounce.stop()
        flt = self.filter_bar.person_filter(self.search_box.text().strip())
        if flt != self.model.filter:
            self.model.set_filter(flt)
            if self.model.rowCount() > 0:
                self.table.selectRow(0)
            self.update_count(recount=False)  # a search does not change how many persons there are

    def enter_table(self) -> None:
        """Enter or Down in the search box: apply the search at once and move into the list."""
        self.apply_search()
        if self.model.rowCount() == 0:
            return
        if not self.table.currentIndex().isValid():
            self.table.selectRow(0)
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def focus_search(self) -> None:
        """Ctrl+F: put the cursor in the search box with its text selected, ready to type over."""
        self.search_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_box.selectAll()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            key = event.key()
            if watched is self.search_box:
                if key == Qt.Key.Key_Down:
                    self.enter_table()
                    return True
                if key == Qt.Key.Key_Escape and self.search_box.text():
                    self.search_box.clear()
                    return True
            elif watched is self.table and key == Qt.Key.Key_Up and self.table.currentIndex().row() <= 0:
                self.focus_search()  # Up from the first row goes back to the search box
                return True
        return super().eventFilter(watched, event)

    # --- refresh --------------------------------------------------------------------------------------------

    def refresh(self) -> None:
        """F5: re-read the list from the database, keeping the selected person selected when still listed."""
        current = self.table.currentIndex()
        person_id = self.model.person_id(current.row()) if current.isValid() else None
        self.model.refresh()
        self.update_count()
        row = self.model.row_of(person_id) if person_id is not None else None
        if row is not None:
            self.table.selectRow(row)
            self.table.scrollTo(self.model.index(row, 0))

    def update_count(self, *, recount: bool = True) -> None:
        """The 共 N 人 / 找到 N 人 line beside the search box (``recount=False``: the total is still right)."""
        if recount or self._total_stale:
            with self._session_factory() as session:
                self._total = count_persons(session)
            self._total_stale = False
        shown = self.model.rowCount()
        if not self.model.filter.text and not self.filter_bar.is_active():
            self.count_label.setText(self.tr("共 %d 人") % self._total)
        elif shown:
            self.count_label.setText(self.tr("找到 %d 人（共 %d 人）") % (shown, self._total))
        else:
            self.count_label.setText(self.tr("没有找到符合条件的人员"))


class PlaceholderPage(QWidget):
    """A page whose work comes in a later version: it says what will be here, and that it is not here yet."""

    def __init__(self, title: str, purpose: str, availability: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        heading = QLabel(title)
        heading_font = QFont(heading.font())
        heading_font.setPointSizeF(heading_font.pointSizeF() * 1.5)
        heading_font.setBold(True)
        heading.setFont(heading_font)
        self.purpose_label = QLabel(purpose)
        self.purpose_label.setWordWrap(True)
        self.availability_label = QLabel(availability)
        self.availability_label.setObjectName("availability")
        self.availability_label.setWordWrap(True)
        self.availability_label.setStyleSheet("color: #8a5a00;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 32, 32, 32)
        layout.setSpacing(16)
        layout.addWidget(heading)
        layout.addWidget(self.purpose_label)
        layout.addWidget(self.availability_label)
        layout.addStretch(1)


def manual_candidates(file_name: str = MANUAL_FILE) -> list[Path]:
    """Where the manual may be: ``docs/`` beside the resources in use, in a PyInstaller bundle, in a checkout."""
    import sys

    from pensiondesk.resources import resources_dir

    folders: list[Path] = []
    with suppress(FileNotFoundError):
        folders.append(resources_dir().parent / "docs")
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        folders.append(Path(bundle) / "docs")
    folders.append(Path(__file__).resolve().parents[3] / "docs")  # src/pensiondesk/gui/ → the repository root
    unique: list[Path] = []
    for folder in folders:
        if folder / file_name not in unique:
            unique.append(folder / file_name)
    return unique


def manual_language() -> str:
    """``"en"`` when the program speaks English (设置 → 界面语言), else ``"zh"``: which manual F1 shows."""
    from pensiondesk.services import settings

    getter = getattr(settings, "ui_language", None) or getattr(settings, "language", None)
    if not callable(getter):
        return "zh"
    try:
        value = getter()
    except Exception:  # an unreadable setting means the default language, never a failed F1
        return "zh"
    text = str(getattr(value, "value", value)).lower()
    return "en" if text.startswith("en") else "zh"


def manual_path(language: str | None = None) -> Path | None:
    """The manual file of this copy of the program in ``language`` (the Chinese one when there is no other),
    or ``None`` when it was not installed with it."""
    names = [f"manual.{language}.md", MANUAL_FILE] if language and language != "zh" else [MANUAL_FILE]
    for name in names:
        found = next((path for path in manual_candidates(name) if path.is_file()), None)
        if found is not None:
            return found
    return None


@dataclass(frozen=True)
class _PageSpec:
    title: str
    purpose: str
    availability: str
    build: Callable[[], QWidget] | None = None  # a working page; None: a placeholder saying what will be there


class _DailyBackup(QThread):
    """Today's automatic backup (自动备份), made off the GUI thread once the window is open."""

    done = Signal(bool, str)  # (succeeded, message in Chinese)

    def __init__(self, db_path: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.db_path = db_path

    def run(self) -> None:
        from pensiondesk.services.backups import daily_backup_if_due
        from pensiondesk.store.errors import StoreError

        try:
            info = daily_backup_if_due(self.db_path)
        except StoreError as error:
            self.done.emit(False, error.user_message)
        except OSError as error:  # the folder cannot be written: say so, the work itself is not affected
            failed = QApplication.translate("MainWindow", "今天的自动备份没有完成：%s")
            self.done.emit(False, failed % (error.strerror or error))
        else:
            made = QApplication.translate("MainWindow", "已自动备份：%s")
            self.done.emit(True, made % info.path.name if info is not None else "")


class _PendingPage(QWidget):
    """Stands in the page stack for a working page until it is first shown."""

    def __init__(self, build: Callable[[], QWidget]) -> None:
        super().__init__()
        self.build = build


@contextmanager
def _busy_cursor() -> Iterator[None]:
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        yield
    finally:
        QApplication.restoreOverrideCursor()


class MainWindow(QMainWindow):
    """城乡居保村级工作台: navigation on the left, the chosen page on the right, status at the bottom."""

    def __init__(self, session_factory: SessionFactory, db_path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session_factory = session_factory
        self._db_path = Path(db_path)
        #: 文件 menu entries for the person list's actions (新增人员 Ctrl+N …).
        self.person_menu_actions: list[QAction] = []
        #: The manual's window (帮助 → 使用手册, F1), made the first time it is asked for.
        self.manual_viewer: ManualViewer | None = None

        with session_factory() as session:
            place = village_summary(session)
        self.village_name = place[0] if place else None
        self.setWindowTitle(self.tr("城乡居保村级工作台 — %s") % (self.village_name or self.tr("未设置村")))

        self.person_page = PersonPage(session_factory)
        self.pages: list[QWidget] = [self.person_page]
        titles = [self.tr("人员/登记")]
        for spec in self._placeholder_specs():
            if spec.build is not None:
                # Built when first shown (show_page): the window opens without importing or drawing them.
                self.pages.append(_PendingPage(spec.build))
            else:
                self.pages.append(PlaceholderPage(spec.title, spec.purpose, spec.availability))
            titles.append(spec.title)

        self.navigation = QListWidget()
        self.navigation.setObjectName("navigation")
        self.stack = QStackedWidget()
        for number, (title, page) in enumerate(zip(titles, self.pages, strict=True), start=1):
            item = QListWidgetItem(title)
            item.setToolTip(self.tr("快捷键 Alt+%d") % number)
            self.navigation.addItem(item)
            self.stack.addWidget(page)
        self._fit_navigation()
        self.navigation.setStyleSheet("QListWidget#navigation::item { padding-left: 14px; }")
        self.navigation.currentRowChanged.connect(self._page_chosen)

        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.navigation)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self._page_actions: list[QAction] = []
        self._build_menus(titles)
        self._build_status_bar(place)
        self.person_page.person_actions.message.connect(lambda text: self.statusBar().showMessage(text, 15_000))
        self.show_page(0)
        self.resize(1280, 800)

        # The sync page fills the status bar's 同步 field, so it is built soon after the window opens (not before).
        self.sync_index = titles.index(self.tr("同步"))
        self._sync_timer = QTimer(self)
        self._sync_timer.setSingleShot(True)
        self._sync_timer.timeout.connect(lambda: self.page(self.sync_index))
        self._sync_timer.start(SYNC_PAGE_DELAY_MS)
        self._daily_backup: _DailyBackup | None = None

    # --- automatic backup -----------------------------------------------------------------------------------

    def start_daily_backup(self) -> None:
        """Make today's backup in ``backups/`` beside the database, if there is none yet (run_gui calls this).

        The copy runs on a worker thread; success is a line in the status bar, failure a warning that says why
        (the coordinator can go on working, and should free space or tell the county).
        """
        if self._daily_backup is not None and self._daily_backup.isRunning():
            return
        self._daily_backup = _DailyBackup(self._db_path, self)
        self._daily_backup.done.connect(self._daily_backup_done)
        self._daily_backup.start()

    def _daily_backup_done(self, succeeded: bool, message: str) -> None:
        if succeeded:
            if message:
                self.statusBar().showMessage(message, 15_000)
        else:
            QMessageBox.warning(self, self.tr("自动备份"), message)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._daily_backup is not None:
            self._daily_backup.wait()  # a backup being written is finished, not cut off
        if isinstance(getattr(self, "settings_page", None), QWidget):
            self.settings_page.wait_for_backup()  # and so is one started with 设置 → 立即备份
        super().closeEvent(event)

    # --- construction ---------------------------------------------------------------------------------------

    def _placeholder_specs(self) -> list[_PageSpec]:
        return [
            _PageSpec(
                self.tr("缴费/票据"),
                self.tr("这里将用于登记参保人员的年度缴费，开具、作废村级收款票据，并按日进行票款结报（日结）。"),
                self.tr("缴费与票据功能将在后续版本提供，目前尚不能使用。"),
                build=self._build_money_page,
            ),
            _PageSpec(
                self.tr("待遇/认证"),
                self.tr("这里将用于办理待遇领取申请，登记每年的领取资格认证，并提醒到期未认证的人员。"),
                self.tr("待遇与认证功能将在后续版本提供，目前尚不能使用。"),
                build=self._build_pensioners_page,
            ),
            _PageSpec(
                self.tr("公示/打印"),
                self.tr("这里将用于生成待遇领取资格、认证结果、参保缴费等公示名单，并打印公示和各类表格。"),
                self.tr("公示与打印功能将在后续版本提供，目前尚不能使用。"),
                build=self._build_print_page,
            ),
            _PageSpec(
                self.tr("报表"),
                self.tr("这里将用于统计本村参保、缴费和待遇领取情况，并导出报表交乡镇和县经办机构。"),
                self.tr("报表功能将在后续版本提供，目前尚不能使用。"),
                build=self._build_reports_page,
            ),
            _PageSpec(
                self.tr("同步"),
                self.tr("这里将用于与县级服务器交换数据；没有网络时，也可以用U盘传递离线数据包。"),
                self.tr("同步功能将在后续版本提供，目前尚不能使用。"),
                build=self._build_sync_page,
            ),
            _PageSpec(
                self.tr("设置"),
                self.tr("这里将用于设置本村信息、村民小组、操作员和打印机。"),
                self.tr("设置功能将在后续版本提供，目前尚不能使用。"),
                build=self._build_settings_page,
            ),
        ]

    def _build_money_page(self) -> QWidget:
        from pensiondesk.gui.money_page import MoneyPage
        from pensiondesk.gui.person_form import current_actor

        # Receipts, handover sheets and lists are written next to the database, then sent to the printer.
        self.money_page = MoneyPage(self._session_factory, current_actor(), self._db_path.parent / "printouts")
        return self.money_page

    def _build_pensioners_page(self) -> QWidget:
        from pensiondesk.gui.pensioners_page import PensionersPage

        self.pensioners_page = PensionersPage(self._session_factory)
        return self.pensioners_page

    def _build_reports_page(self) -> QWidget:
        from pensiondesk.gui.reports_page import ReportsPage

        self.reports_page = ReportsPage(self._session_factory)
        return self.reports_page

    def _build_print_page(self) -> QWidget:
        from pensiondesk.gui.announcements_page import PrintPage

        self.print_page = PrintPage(self._session_factory)
        return self.print_page

    def _build_sync_page(self) -> QWidget:
        from pensiondesk.gui.person_form import current_actor
        from pensiondesk.gui.sync_page import SyncPage

        # The page publishes the status-bar text (同步：上次 …，待上传 N 条) at start and after every sync.
        self.sync_page = SyncPage(self._session_factory, self._db_path, current_actor().username)
        self.sync_page.status_changed.connect(self.set_sync_status)
        return self.sync_page

    def _build_settings_page(self) -> QWidget:
        from pensiondesk.gui.person_form import current_actor
        from pensiondesk.gui.settings_page import SettingsPage

        self.settings_page = SettingsPage(
            self._session_factory, self._db_path, current_actor(), self._db_path.parent / "printouts"
        )
        self.settings_page.text_size_changed.connect(self._text_size_changed)
        return self.settings_page

    def _text_size_changed(self, _point_size: float) -> None:
        """设置 → 字体大小: re-fit what was sized by hand from the font (navigation, the person list's rows)."""
        self._fit_navigation()
        # Widgets take up the new application font when its change event is delivered: measure after that.
        QTimer.singleShot(0, self.person_page.refit_table)

    def _fit_navigation(self) -> None:
        nav_font = QFont(QApplication.font())
        nav_font.setPointSizeF(nav_font.pointSizeF() * 1.1)
        self.navigation.setFont(nav_font)
        self.navigation.setFixedWidth(QFontMetrics(QApplication.font()).horizontalAdvance("公示/打印") * 2)
        for row in range(self.navigation.count()):
            self.navigation.item(row).setSizeHint(QSize(0, QFontMetrics(QApplication.font()).height() * 2 + 8))

    def _build_menus(self, titles: list[str]) -> None:
        menu_bar = self.menuBar()

        file_menu = menu_bar.addMenu(self.tr("文件(&F)"))
        # The person list's own actions, so their keys can be found in a menu too. The keys stay bound on the
        # page (binding them here as well would make them ambiguous); the menu shows them after a tab.
        actions = self.person_page.person_actions
        for source, keys in (
            (actions.new_action, "Ctrl+N"),
            (actions.household_action, "Ctrl+H"),
            (actions.register_action, "Ctrl+G"),
            (actions.review_action, "Ctrl+R"),
            (actions.duplicates_action, "Ctrl+D"),
            (None, ""),
            (actions.import_action, "Ctrl+I"),
            (actions.export_action, "Ctrl+E"),
            (None, ""),
        ):
            if source is None:
                file_menu.addSeparator()
                continue
            entry = file_menu.addAction(f"{source.text()}\t{keys}")
            entry.setToolTip(source.toolTip())
            entry.setEnabled(source.isEnabled())  # a 复核员 cannot 新增/参保登记/导入 (person_tools.apply_role)
            entry.triggered.connect(lambda _checked=False, action=source: self._person_action(action))
            self.person_menu_actions.append(entry)
        quit_action = file_menu.addAction(self.tr("退出(&X)"))
        quit_action.setShortcut(QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_Q))
        quit_action.triggered.connect(self.close)

        view_menu = menu_bar.addMenu(self.tr("视图(&V)"))
        group = QActionGroup(self)
        group.setExclusive(True)
        for number, title in enumerate(titles, start=1):
            action = view_menu.addAction(title)
            action.setCheckable(True)
            action.setShortcut(QKeySequence(Qt.Modifier.ALT | Qt.Key(Qt.Key.Key_0 + number)))
            action.triggered.connect(lambda _checked=False, index=number - 1: self.show_page(index))
            group.addAction(action)
            self._page_actions.append(action)
        view_menu.addSeparator()
        self.find_action = view_menu.addAction(self.tr("查找人员"))
        self.find_action.setShortcut(QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_F))
        self.find_action.triggered.connect(self.focus_search)
        self.refresh_action = view_menu.addAction(self.tr("刷新"))
        self.refresh_action.setShortcut(QKeySequence(Qt.Key.Key_F5))
        self.refresh_action.triggered.connect(self.refresh)

        help_menu = menu_bar.addMenu(self.tr("帮助(&H)"))
        self.manual_action = help_menu.addAction(self.tr("使用手册(&M)…"))
        self.manual_action.setShortcut(QKeySequence(Qt.Key.Key_F1))
        self.manual_action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        self.manual_action.triggered.connect(self.open_manual)
        self.audit_log_action = help_menu.addAction(self.tr("操作日志(&L)…"))
        self.audit_log_action.triggered.connect(self.open_audit_log)
        help_menu.addSeparator()
        about_action = help_menu.addAction(self.tr("关于(&A)"))
        about_action.triggered.connect(self.show_about)

    def _build_status_bar(self, place: tuple[str, str] | None) -> None:
        status = MessageStatusBar(self)  # messages wrap instead of being cut beside the labels on the right
        self.setStatusBar(status)
        village_text = self.tr("村：未设置") if place is None else self.tr("村：%s（%s）") % place
        self.village_label = QLabel(village_text)
        self.village_label.setObjectName("villageLabel")
        self.database_label = QLabel(self.tr("数据库：%s") % self._db_path.name)
        self.database_label.setObjectName("databaseLabel")
        self.database_label.setToolTip(str(self._db_path.resolve()))
        self.sync_label = QLabel(self.tr("同步：未连接县级服务器"))
        self.sync_label.setObjectName("syncLabel")
        self.operator_label = QLabel()
        self.operator_label.setObjectName("operatorLabel")
        self.show_operator()
        for label in (self.operator_label, self.village_label, self.database_label, self.sync_label):
            label.setContentsMargins(8, 2, 8, 2)
            status.addPermanentWidget(label)

    def show_operator(self) -> None:
        """操作员 in the status bar: who is logged in (name and role), or the operator of a database without users."""
        from pensiondesk.services.accounts import current_actor

        actor = current_actor()
        if actor.display_name:
            text = self.tr("操作员：%s（%s）") % (actor.display_name, actor.role.label)
        else:
            text = self.tr("操作员：%s") % actor.username
        self.operator_label.setText(text)
        self.operator_label.setToolTip(self.tr("用户名：%s") % actor.username)

    # --- actions --------------------------------------------------------------------------------------------

    @property
    def current_page(self) -> int:
        return self.stack.currentIndex()

    def show_page(self, index: int) -> None:
        """Switch to page ``index`` (0 = 人员/登记), keeping the navigation list and the 视图 menu in step."""
        if not 0 <= index < len(self.pages):
            return
        self.page(index)  # build it now if it has not been shown before
        self.stack.setCurrentIndex(index)
        if self.navigation.currentRow() != index:
            self.navigation.setCurrentRow(index)
        self._page_actions[index].setChecked(True)
        if index == 0:
            self.person_page.search_box.setFocus(Qt.FocusReason.OtherFocusReason)

    def page(self, index: int) -> QWidget:
        """The page at ``index``, built on the spot if it has not been shown yet."""
        page = self.pages[index]
        if isinstance(page, _PendingPage):
            with _busy_cursor():
                built = page.build()
            self.stack.insertWidget(index, built)
            self.stack.removeWidget(page)
            page.deleteLater()
            self.pages[index] = built
            return built
        return page

    def _page_chosen(self, row: int) -> None:
        if row >= 0 and row != self.stack.currentIndex():
            self.show_page(row)

    def _person_action(self, action: QAction) -> None:
        """A person-list action chosen in the 文件 menu: on the person list, as if its key had been pressed there."""
        self.show_page(0)
        action.trigger()

    def focus_search(self) -> None:
        """Ctrl+F from anywhere: go to the person list and into its search box."""
        self.show_page(0)
        self.person_page.focus_search()

    def refresh(self) -> None:
        """F5: re-read the person list (the other pages have nothing to re-read yet)."""
        self.person_page.refresh()

    def set_sync_status(self, text: str) -> None:
        """Show ``text`` (already translated, e.g. 同步：2 分钟前已同步) in the status bar's sync field."""
        self.sync_label.setText(text)

    def open_manual(self) -> bool:
        """F1: show the manual (docs/manual.zh.md, or manual.en.md in English) in the program's own viewer.

        A Windows computer has no program for ``.md`` files, so the manual is never handed to another program.
        When the file is missing, a message says where the manual is to be found. Returns whether it is shown.
        """
        from pensiondesk.gui.manual_viewer import ManualViewer

        path = manual_path(manual_language())
        if path is None:
            QMessageBox.information(
                self,
                self.tr("使用手册"),
                self.tr(
                    "这台电脑上没有找到使用手册（%s）。\n\n"
                    "使用手册在本程序安装文件夹的 docs 文件夹里；找不到时，请向乡镇或县社保经办机构索取，"
                    "也可以请他们重新安装本程序。\n\n查找过：\n%s"
                )
                % (MANUAL_FILE, "\n".join(str(candidate) for candidate in manual_candidates())),
            )
            return False
        viewer = self.manual_viewer
        if viewer is None or viewer.path != path:
            if viewer is not None:
                viewer.deleteLater()
            with _busy_cursor():
                viewer = ManualViewer(path, self)
            self.manual_viewer = viewer
        viewer.show()
        viewer.raise_()
        viewer.activateWindow()
        return True

    def open_audit_log(self) -> QWidget:
        """帮助 → 操作日志…: who changed what and when, with before/after and the chain check (non-modal)."""
        from pensiondesk.gui.audit_viewer import AuditLogDialog

        dialog = AuditLogDialog(self._session_factory, self._db_path, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        return dialog

    def show_about(self) -> None:
        QMessageBox.about(
            self,
            self.tr("关于"),
            self.tr(
                "城乡居保村级工作台 %s\n\n"
                "供村级协办员登记参保人员、收缴费用、办理待遇认证和公示使用，无网络时也能工作。\n\n"
                "界面字体：文泉驿微米黑 WenQuanYi Micro Hei（Apache License 2.0）。"
            )
            % __version__,
        )
