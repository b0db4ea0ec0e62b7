"""缴费/票据: the money page of the main window — 收款, 票据本, 日结, 催缴名单, 算账.

收款 is built for a queue of villagers and needs no mouse: type or paste an ID (or its last digits) and press Enter;
the person, their household and what they may pay appear and the tier list has the focus (↑/↓ to change); Enter
goes to the amount, filled in with what is due; Enter again records the payment, prints the receipt and brings the
cursor back to the ID box for the next person. Esc starts over. The payer (Alt+P), the channel (Alt+C) and a
catch-up approval (Alt+A) are a keystroke away when needed. Today's receipts are listed below, where one can be
voided (作废, with a reason; Alt+X), reissued on the next number (换开; Alt+K) or reprinted (重打; Alt+R).

票据本 registers the books the county issues, opens, closes, reconciles and writes them off, lists every number of a
book, reports lost blanks and holds the overlay (套打) calibration. 日结 closes a day against the cash handed over
and prints the handover sheet (交款单). 催缴名单 lists who has not paid, by group, to print or export. 算账 puts the
tiers side by side for a person or a birth date and prints them on one page.

Every change goes through :mod:`pensiondesk.services.contributions` and :mod:`pensiondesk.services.receipts`; a
refusal is shown in the tab's message line in the services' own words, never as a traceback. Printing goes through a
``printer`` callable (the default sends the PDF to the system's default printer, or says where the file is when
there is none), so the tests print to files.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from pensiondesk.domain.codes import PayerKind, PaymentChannel, ReceiptStatus
from pensiondesk.domain.masking import mask_id_number
from pensiondesk.domain.money import InvalidAmount, format_yuan, parse_yuan, to_chinese_capital
from pensiondesk.gui.errors import confirm, show_store_error
from pensiondesk.gui.person_model import SessionFactory
from pensiondesk.gui.qt import (
    QAbstractItemView,
    QAction,
    QCheckBox,
    QComboBox,
    QCoreApplication,
    QDate,
    QDateEdit,
    QEvent,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QKeyEvent,
    QKeySequence,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMarginsF,
    QObject,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfDocument,
    QPlainTextEdit,
    QPrinter,
    QPrinterInfo,
    QPushButton,
    QRectF,
    QSize,
    QSpinBox,
    Qt,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
    Signal,
)
from pensiondesk.gui.table_headers import heading
from pensiondesk.services.people_types import ServiceError
from pensiondesk.services.recording import Actor
from pensiondesk.store.errors import StoreError

__all__ = [
    "BooksTab",
    "CollectTab",
    "DayCloseTab",
    "EstimateTab",
    "MoneyPage",
    "Printer",
    "UnpaidTab",
    "send_to_printer",
]

#: Sends a PDF to paper: (file, what it is, e.g. 收据 HQ2026-00000001) → a sentence for the status line.
Printer = Callable[[Path, str], str]

_T = TypeVar("_T")
_ERROR_STYLE = "color: #b00020;"
_OK_STYLE = "color: #1b5e20;"
_PRINT_DPI = 300


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _pydate(day: QDate) -> date:
    return date(day.year(), day.month(), day.day())


def _yuan(fen: int) -> str:
    return QCoreApplication.translate("MoneyPage", "%s 元") % format_yuan(fen)


def send_to_printer(path: Path, name: str) -> str:
    """Print a PDF on this computer's printer, page by page at 300 dpi, at its own size (no scaling).

    The printer is the one chosen in the setup wizard (``services.settings.printer_name``) while it is installed,
    else the system's default. Without a printer the file stays where it is and the sentence says so; the
    coordinator can print it later.
    """
    from pensiondesk.services.settings import printer_name

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    chosen = printer_name()
    if chosen and chosen in QPrinterInfo.availablePrinterNames():
        printer.setPrinterName(chosen)
    if not printer.printerName():
        return QCoreApplication.translate("MoneyPage", "没有找到打印机：%s已保存为 %s") % (name, path)
    document = QPdfDocument()
    document.load(str(path))
    if document.status() != QPdfDocument.Status.Ready or document.pageCount() == 0:
        return QCoreApplication.translate("MoneyPage", "无法读取 %s，%s没有打印") % (path, name)
    first = document.pagePointSize(0)
    size = QPageSize(QSize(round(first.width()), round(first.height())), "", QPageSize.SizeMatchPolicy.FuzzyMatch)
    orientation = (
        QPageLayout.Orientation.Landscape if first.width() > first.height() else QPageLayout.Orientation.Portrait
    )
    printer.setPageLayout(QPageLayout(size, orientation, QMarginsF(0, 0, 0, 0)))
    printer.setFullPage(True)  # positions in the PDF are measured from the paper's edge (套打 depends on it)
    printer.setDocName(name)
    painter = QPainter()
    if not painter.begin(printer):
        failed = QCoreApplication.translate("MoneyPage", "打印机 %s 无法开始打印：%s已保存为 %s")
        return failed % (printer.printerName(), name, path)
    try:
        for page in range(document.pageCount()):
            if page:
                printer.newPage()
            points = document.pagePointSize(page)
            image = document.render(
                page, QSize(round(points.width() * _PRINT_DPI / 72), round(points.height() * _PRINT_DPI / 72))
            )
            painter.drawImage(QRectF(printer.pageLayout().fullRectPixels(printer.resolution())), image)
    finally:
        painter.end()
    return QCoreApplication.translate("MoneyPage", "%s已送打印机 %s") % (name, printer.printerName())


@dataclass
class _Context:
    """What every tab needs: sessions, who is working, where printouts go and how they are printed."""

    session_factory: SessionFactory
    actor: Actor
    output_dir: Path
    printer: Printer
    today: Callable[[], date]

    def read(self) -> AbstractContextManager[Session]:
        return self.session_factory()

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A session for a use case that writes: ``BEGIN IMMEDIATE`` when the factory offers it."""
        factory: Any = self.session_factory
        try:
            takes_immediate = "immediate" in inspect.signature(factory).parameters
        except (TypeError, ValueError):
            takes_immediate = False
        with factory(immediate=True) if takes_immediate else factory() as session:
            yield session

    def path(self, folder: str, name: str) -> Path:
        target = self.output_dir / folder
        target.mkdir(parents=True, exist_ok=True)
        return target / name


class _Messages:
    """The message line of a tab: refusals in red, confirmations in green."""

    def __init__(self, label: QLabel) -> None:
        self.label = label
        label.setWordWrap(True)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

    def error(self, text: str) -> None:
        self.label.setStyleSheet(_ERROR_STYLE)
        self.label.setText(text)

    def ok(self, text: str) -> None:
        self.label.setStyleSheet(_OK_STYLE)
        self.label.setText(text)

    def clear(self) -> None:
        self.label.clear()


def _attempt(widget: QWidget, messages: _Messages, action: Callable[[], _T]) -> _T | None:
    """Run a use case; a refusal goes to the message line, database trouble to a dialog; ``None`` then."""
    try:
        return action()
    except ServiceError as error:
        messages.error(error.user_message)
    except InvalidAmount as error:
        messages.error(error.message)
    except StoreError as error:
        show_store_error(widget, error)
    return None


def _table(name: str, headers: Sequence[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setObjectName(name)
    table.setHorizontalHeaderLabels([heading(text) for text in headers])
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setTabKeyNavigation(False)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setStretchLastSection(True)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    return table


_NUMBER = re.compile(r"[-0-9,.]+( 元)?")


def _fill(table: QTableWidget, rows: Sequence[Sequence[str]], keys: Sequence[str] | None = None) -> None:
    """Replace the rows; ``keys`` (one per row) are kept in the first cell's user data. Amounts align right."""
    table.setRowCount(len(rows))
    right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            item = QTableWidgetItem(text)
            if c and _NUMBER.fullmatch(text):
                item.setTextAlignment(right)
            if keys is not None and c == 0:
                item.setData(Qt.ItemDataRole.UserRole, keys[r])
            table.setItem(r, c, item)


def _selected_key(table: QTableWidget) -> str | None:
    row = table.currentRow()
    item = table.item(row, 0) if row >= 0 else None
    if item is None:
        return None
    key = item.data(Qt.ItemDataRole.UserRole)
    return str(key) if key is not None else item.text()


def _buddy(text: str, widget: QWidget) -> QLabel:
    label = QLabel(text)
    label.setBuddy(widget)
    return label


# --- 收款 -------------------------------------------------------------------------------------------------------------


class CollectTab(QWidget):
    """收款: the keyboard-only collection flow for a queue of villagers."""

    changed = Signal()

    def __init__(self, context: _Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = context
        self.person_id: str | None = None
        self._due_fen: int | None = None

        self.id_box = QLineEdit()
        self.id_box.setObjectName("collectId")
        self.id_box.setPlaceholderText(self.tr("输入或粘贴身份证号（或后 6 位），按回车"))
        self.id_box.setClearButtonEnabled(True)
        self.year_spin = QSpinBox()
        self.year_spin.setObjectName("collectYear")
        self.year_spin.setRange(2009, self.ctx.today().year)
        self.year_spin.setValue(self.ctx.today().year)
        self.book_label = QLabel()
        self.book_label.setObjectName("bookStatus")
        self.matches = QListWidget()
        self.matches.setObjectName("collectMatches")
        self.matches.setVisible(False)
        self.person_label = QLabel()
        self.person_label.setObjectName("personCard")
        self.person_label.setWordWrap(True)
        self.person_label.setTextFormat(Qt.TextFormat.RichText)
        self.household = QListWidget()
        self.household.setObjectName("householdList")
        self.household.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.household.setMaximumHeight(self.fontMetrics().height() * 6)

        self.tier_combo = QComboBox()
        self.tier_combo.setObjectName("tierCombo")
        self.payer_combo = QComboBox()
        self.payer_combo.setObjectName("payerCombo")
        for kind in PayerKind:
            payer = {"self": self.tr("本人"), "relative": self.tr("亲属代缴"), "other": self.tr("他人代缴")}
            self.payer_combo.addItem(payer[kind.value], kind.value)
        self.payer_name = QLineEdit()
        self.payer_name.setObjectName("payerName")
        self.payer_name.setPlaceholderText(self.tr("亲属或他人代缴时填写"))
        self.payer_name.setAccessibleName(self.tr("代缴人姓名"))
        self.channel_combo = QComboBox()
        self.channel_combo.setObjectName("channelCombo")
        for channel in PaymentChannel:
            self.channel_combo.addItem(channel.label, channel.value)
        self.approval_edit = QLineEdit()
        self.approval_edit.setObjectName("approvalRef")
        self.approval_edit.setPlaceholderText(self.tr("补缴以前年度时填写乡镇审批文号"))
        self.quote_label = QLabel()
        self.quote_label.setObjectName("quoteLabel")
        self.quote_label.setWordWrap(True)
        self.amount_edit = QLineEdit()
        self.amount_edit.setObjectName("receivedAmount")
        self.amount_capital = QLabel()
        self.amount_capital.setObjectName("amountCapital")
        self.confirm_button = QPushButton(self.tr("收款并打印收据(&S)"))
        self.confirm_button.setObjectName("confirmCollect")
        self.message_label = QLabel()
        self.message_label.setObjectName("collectMessage")
        self.messages = _Messages(self.message_label)

        self.today_table = _table("todayTable", ["票据号码", "参保人", "年度", "档次", "金额", "状态", "重打"])
        self.void_reason = QLineEdit()
        self.void_reason.setObjectName("voidReason")
        self.void_reason.setPlaceholderText(self.tr("作废原因"))
        self.void_button = QPushButton(self.tr("作废(&X)"))
        self.reissue_button = QPushButton(self.tr("换开(&K)"))
        self.reprint_button = QPushButton(self.tr("重打(&R)"))
        for button in (self.void_button, self.reissue_button, self.reprint_button, self.confirm_button):
            button.setAutoDefault(False)

        self._lay_out()
        self._connect()
        self.reset()
        self.refresh()

    def _lay_out(self) -> None:
        top = QHBoxLayout()
        top.addWidget(_buddy(self.tr("身份证号(&I)："), self.id_box))
        top.addWidget(self.id_box, 3)
        top.addWidget(_buddy(self.tr("缴费年度(&Y)："), self.year_spin))
        top.addWidget(self.year_spin)
        top.addSpacing(12)
        top.addWidget(self.book_label, 2)

        who = QGroupBox(self.tr("参保人和家庭成员"))
        who_layout = QVBoxLayout(who)
        who_layout.addWidget(self.matches)
        who_layout.addWidget(self.person_label)
        who_layout.addWidget(self.household)

        form_box = QGroupBox(self.tr("缴费"))
        form = QFormLayout(form_box)
        form.addRow(_buddy(self.tr("缴费档次(&T)："), self.tier_combo), self.tier_combo)
        payer_row = QHBoxLayout()
        payer_row.addWidget(self.payer_combo)
        payer_row.addWidget(self.payer_name, 1)
        form.addRow(_buddy(self.tr("缴费人(&P)："), self.payer_combo), payer_row)
        form.addRow(_buddy(self.tr("缴费渠道(&C)："), self.channel_combo), self.channel_combo)
        form.addRow(_buddy(self.tr("补缴审批(&A)："), self.approval_edit), self.approval_edit)
        form.addRow(self.tr("测算："), self.quote_label)
        amount_row = QHBoxLayout()
        amount_row.addWidget(self.amount_edit, 1)
        amount_row.addWidget(self.amount_capital, 2)
        form.addRow(_buddy(self.tr("实收金额(&M)："), self.amount_edit), amount_row)
        form.addRow("", self.confirm_button)

        middle = QHBoxLayout()
        middle.addWidget(who, 1)
        middle.addWidget(form_box, 1)

        today_box = QGroupBox()
        today_layout = QVBoxLayout(today_box)
        today_layout.addWidget(_buddy(self.tr("今天开具的收据(&L)："), self.today_table))
        today_layout.addWidget(self.today_table)
        actions = QHBoxLayout()
        actions.addWidget(_buddy(self.tr("作废原因(&Q)："), self.void_reason))
        actions.addWidget(self.void_reason, 1)
        actions.addWidget(self.void_button)
        actions.addWidget(self.reissue_button)
        actions.addWidget(self.reprint_button)
        today_layout.addLayout(actions)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.message_label)
        layout.addLayout(middle)
        layout.addWidget(today_box, 1)

    def _connect(self) -> None:
        self.id_box.returnPressed.connect(self.look_up)
        self.matches.itemActivated.connect(lambda item: self.show_person(str(item.data(Qt.ItemDataRole.UserRole))))
        self.year_spin.valueChanged.connect(self._year_changed)
        self.tier_combo.currentIndexChanged.connect(self.update_quote)
        self.payer_combo.currentIndexChanged.connect(self._payer_changed)
        self.channel_combo.currentIndexChanged.connect(self.update_quote)
        self.amount_edit.returnPressed.connect(self.confirm)
        self.amount_edit.textChanged.connect(self._amount_typed)
        self.confirm_button.clicked.connect(self.confirm)
        self.void_button.clicked.connect(lambda: self.void(reissue=False))
        self.reissue_button.clicked.connect(lambda: self.void(reissue=True))
        self.reprint_button.clicked.connect(self.reprint)
        for widget in (self.tier_combo, self.payer_combo, self.channel_combo, self.payer_name, self.approval_edit):
            widget.installEventFilter(self)
        escape = QAction(self)
        escape.setShortcut(QKeySequence(Qt.Key.Key_Escape))
        escape.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        escape.triggered.connect(self.start_over)
        self.addAction(escape)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Enter in the tier, payer, channel or approval fields moves on to the amount."""
        enter = (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        )
        if enter:
            self.focus_amount()
            return True
        return super().eventFilter(watched, event)

    # --- state ---

    def reset(self) -> None:
        """Empty the form for the next person (the message line keeps the last confirmation)."""
        self.person_id = None
        self._due_fen = None
        self.matches.clear()
        self.matches.setVisible(False)
        self.person_label.setText(self.tr("输入身份证号后按回车，显示参保人、家庭成员和可选档次。"))
        self.household.clear()
        self.tier_combo.clear()
        self.payer_combo.setCurrentIndex(0)
        self.payer_name.clear()
        self.channel_combo.setCurrentIndex(0)
        self.approval_edit.clear()
        self.quote_label.clear()
        self.amount_edit.clear()
        self.amount_capital.clear()
        self._enable_form(False)

    def start_over(self) -> None:
        """Esc: clear everything and put the cursor in the ID box."""
        self.reset()
        self.messages.clear()
        self.id_box.clear()
        self.id_box.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _enable_form(self, enabled: bool) -> None:
        for widget in (
            self.tier_combo,
            self.payer_combo,
            self.payer_name,
            self.channel_combo,
            self.approval_edit,
            self.amount_edit,
            self.confirm_button,
        ):
            widget.setEnabled(enabled)

    def refresh(self) -> None:
        """Re-read the open book and today's receipts."""
        from pensiondesk.services.receipts import day_summary, open_book_of, receipt_label

        with self.ctx.read() as session:
            book = open_book_of(session, self.ctx.actor.username)
            summary = day_summary(session, self.ctx.today(), self.ctx.actor.username, actor=self.ctx.actor)
            if book is None:
                self.book_label.setStyleSheet(_ERROR_STYLE)
                self.book_label.setText(self.tr("没有正在使用的票据本（在“票据本”中登记并启用）"))
            else:
                left = book.end_no - book.next_no + 1
                self.book_label.setStyleSheet("")
                self.book_label.setText(
                    self.tr("下一张收据：%s（本册剩 %d 张）") % (receipt_label(book.series, book.next_no), left)
                )
        rows = [
            [
                line.label,
                line.person_name,
                str(line.year or ""),
                format_yuan(line.tier_fen, grouping=False) if line.tier_fen else "",
                format_yuan(line.amount_fen) if line.status is ReceiptStatus.ISSUED else "—",
                line.status.label + (f"：{line.void_reason}" if line.void_reason else ""),
                str(line.reprint_count or ""),
            ]
            for line in summary.lines
        ]
        _fill(self.today_table, rows)
        if rows:
            self.today_table.selectRow(len(rows) - 1)

    # --- the flow ---

    def look_up(self) -> None:
        """Enter in the ID box: find the person (or the people whose ID ends so) and show them."""
        from pensiondesk.services.contributions import find_contributors

        self.reset()
        self.messages.clear()
        text = self.id_box.text().strip()
        if not text:
            return

        def find() -> list[tuple[str, str, str]]:
            with self.ctx.read() as session:
                return [(p.id, p.name, p.id_number) for p in find_contributors(session, text)]

        found = _attempt(self, self.messages, find)
        if found is None:
            self.id_box.selectAll()
            return
        if not found:
            self.messages.error(self.tr("本村没有身份证号为 %s 的人员") % text)
            self.id_box.selectAll()
        elif len(found) == 1:
            self.show_person(found[0][0])
        else:
            for person_id, name, number in found:
                item = QListWidgetItem(f"{name}　{number}")
                item.setData(Qt.ItemDataRole.UserRole, person_id)
                self.matches.addItem(item)
            self.matches.setVisible(True)
            self.matches.setCurrentRow(0)
            self.matches.setFocus(Qt.FocusReason.OtherFocusReason)
            self.messages.error(self.tr("有 %d 人的身份证号以 %s 结尾，请用 ↑↓ 选择后按回车") % (len(found), text))

    def show_person(self, person_id: str) -> None:
        """Show the person's card and household; if they may pay, fill the tiers and focus the tier list."""
        from pensiondesk.services.contributions import contributor_card, tier_text

        self.matches.setVisible(False)
        year = self.year_spin.value()

        def card() -> Any:
            with self.ctx.read() as session:
                return contributor_card(session, person_id, year, on=self.ctx.today())

        found = _attempt(self, self.messages, card)
        if found is None:
            return
        self.person_id = person_id
        categories = "、".join(name for _, name in found.categories) or self.tr("普通")
        lines = [
            self.tr("<b style='font-size:large'>%s</b>　%s　%s 岁　%s")
            % (found.name, found.sex, found.age, found.group_name),
            self.tr("身份证号 %s　参保状态：%s　参保身份：%s") % (found.id_number, found.status.label, categories),
        ]
        if found.government_paid_fen:
            lines.append(self.tr("政府代缴 %s/年") % _yuan(found.government_paid_fen))
        if found.last_tier_fen:
            lines.append(self.tr("上次缴费档次：%s 元") % tier_text(found.last_tier_fen))
        self.person_label.setText("<br/>".join(lines))
        self.household.clear()
        for member in found.household:
            paid = self.tr("已缴 %s 元") % tier_text(member.paid_tier_fen) if member.paid_tier_fen else self.tr("未缴")
            marker = "▶ " if member.person_id == person_id else "　 "
            self.household.addItem(
                self.tr("%s%s　%s　%s 岁　%s　%s")
                % (marker, member.name, member.relation, member.age, member.status, paid)
            )
        if found.refusal:
            self.messages.error(f"{found.name}{found.refusal}")
            self.id_box.setFocus(Qt.FocusReason.OtherFocusReason)
            self.id_box.selectAll()
            return
        if found.paid_this_year is not None:
            paid = found.paid_this_year
            where = self.tr("，收据 %s") % paid.receipt_label if paid.receipt_label else ""
            self.messages.error(
                self.tr("%s 的 %d 年度已缴费（%s 元档%s）") % (found.name, year, tier_text(paid.tier_fen), where)
            )
            self.id_box.setFocus(Qt.FocusReason.OtherFocusReason)
            self.id_box.selectAll()
            return
        self._enable_form(True)
        self.payer_name.setEnabled(self._payer_kind() is not PayerKind.SELF)  # Tab passes over it for 本人
        self.approval_edit.setEnabled(year < self.ctx.today().year)
        self.tier_combo.blockSignals(True)
        self.tier_combo.clear()
        for tier in found.allowed_tiers:
            self.tier_combo.addItem(self.tr("%s 元") % tier_text(tier), tier)
        if found.default_tier_fen is not None:
            self.tier_combo.setCurrentIndex(found.allowed_tiers.index(found.default_tier_fen))
        self.tier_combo.blockSignals(False)
        self.update_quote()
        self.tier_combo.setFocus(Qt.FocusReason.OtherFocusReason)

    def _payer_kind(self) -> PayerKind:
        # Qt keeps the item data as plain text: the enum is rebuilt from its value.
        return PayerKind(self.payer_combo.currentData())

    def _channel(self) -> PaymentChannel:
        return PaymentChannel(self.channel_combo.currentData())

    def _year_changed(self) -> None:
        if self.person_id is not None:
            self.show_person(self.person_id)

    def _payer_changed(self) -> None:
        someone_else = self._payer_kind() is not PayerKind.SELF
        self.payer_name.setEnabled(someone_else)
        if someone_else:
            self.payer_name.setFocus(Qt.FocusReason.OtherFocusReason)

    def update_quote(self) -> None:
        """Show what the chosen tier means (subsidies, 代缴, what to pay) and fill in the amount due."""
        from pensiondesk.services.contributions import quote_contribution

        if self.person_id is None or self.tier_combo.currentIndex() < 0:
            return
        tier = int(self.tier_combo.currentData())
        person_id, year = self.person_id, self.year_spin.value()

        def quote() -> Any:
            with self.ctx.read() as session:
                return quote_contribution(session, person_id, year, tier, on=self.ctx.today())

        found = _attempt(self, self.messages, quote)
        if found is None:
            self._due_fen = None
            self.quote_label.clear()
            return
        self.messages.clear()
        subsidy = found.subsidy
        lines = (
            f"个人应缴 {_yuan(found.personal_fen)}（政府代缴 {_yuan(found.government_paid_fen)}）\n"
            f"缴费补贴：省级 {_yuan(subsidy.province)}　市级 {_yuan(subsidy.city)}　县级 {_yuan(subsidy.county)}；"
            f"集体补助 {_yuan(found.collective_fen)}；记入个人账户 {_yuan(found.credited_fen)}"
        )
        notes = "；".join(found.notes)
        channel = self._channel()
        if channel is not PaymentChannel.VILLAGE_CASH:
            notes = "；".join(filter(None, [notes, f"{channel.label}：不开村级收据"]))
        elif found.personal_fen == 0:
            notes = "；".join(filter(None, [notes, "个人无需缴费：不开收据"]))
        self.quote_label.setText(lines + (f"\n{notes}" if notes else ""))
        self._due_fen = found.personal_fen
        self.amount_edit.setText(format_yuan(found.personal_fen, grouping=False))

    def _amount_typed(self, text: str) -> None:
        try:
            self.amount_capital.setText(to_chinese_capital(parse_yuan(text)) if text.strip() else "")
        except (InvalidAmount, ValueError):
            self.amount_capital.setText("")

    def focus_amount(self) -> None:
        """Enter in the form: on to the amount, all of it selected so that typing replaces it."""
        self.amount_edit.setFocus(Qt.FocusReason.OtherFocusReason)
        self.amount_edit.selectAll()

    def confirm(self) -> None:
        """Enter in the amount: record the payment, print the receipt, and get ready for the next person."""
        from pensiondesk.services.contributions import collect_contribution, tier_text

        if self.person_id is None or self.tier_combo.currentIndex() < 0:
            return
        person_id = self.person_id
        tier = int(self.tier_combo.currentData())
        year = self.year_spin.value()
        kind = self._payer_kind()
        channel = self._channel()

        def collect() -> Any:
            received = parse_yuan(self.amount_edit.text())
            with self.ctx.write() as session:
                return collect_contribution(
                    session,
                    self.ctx.actor,
                    person_id=person_id,
                    year=year,
                    tier_fen=tier,
                    payer_kind=kind,
                    payer_name=self.payer_name.text(),
                    channel=channel,
                    catch_up_approval_ref=self.approval_edit.text(),
                    received_fen=received,
                    on=self.ctx.today(),
                )

        result = _attempt(self, self.messages, collect)
        if result is None:
            self.focus_amount()
            return
        quote = result.quote
        done = self.tr("已收款：%s %d 年度 %s 元档，实收 %s") % (
            quote.person_name,
            quote.year,
            tier_text(quote.tier_fen),
            _yuan(quote.personal_fen),
        )
        printed = ""
        if result.receipt_label is not None:
            printed = self.print_receipt(result.receipt_label) or ""
        else:
            printed = self.tr("不开村级收据")
        self.changed.emit()
        self.refresh()
        self.reset()
        self.messages.ok(f"{done}；{printed}")
        self.id_box.clear()
        self.id_box.setFocus(Qt.FocusReason.OtherFocusReason)

    # --- receipts of the day ---

    def print_receipt(self, label: str) -> str | None:
        """Print (or reprint) receipt ``label`` in the chosen mode; returns the printer's sentence."""
        from pensiondesk.documents.receipt import render_overlay, render_receipts
        from pensiondesk.services.receipts import overlay_mode, overlay_offset, print_receipt

        def data() -> Any:
            with self.ctx.write() as session:
                return print_receipt(session, self.ctx.actor, label), overlay_mode(session), overlay_offset(session)

        found = _attempt(self, self.messages, data)
        if found is None:
            return None
        receipt, overlay, offset = found
        suffix = f"-重打{receipt.reprint_no}" if receipt.reprint_no else ""
        path = self.ctx.path("收据", f"{receipt.label}{suffix}.pdf")
        if overlay:
            render_overlay([receipt], path, offset)
        else:
            render_receipts([receipt], path)
        what = self.tr("收据 %s") % receipt.label
        if receipt.reprint_no:
            what += self.tr("（重打 第%d次）") % receipt.reprint_no
        return self.ctx.printer(path, what)

    def void(self, *, reissue: bool) -> None:
        """作废 (or 换开) the receipt selected in today's list, with the reason typed beside it."""
        from pensiondesk.services.receipts import receipt_label, void_receipt

        label = _selected_key(self.today_table)
        if label is None:
            self.messages.error(self.tr("请先在“今天开具的收据”中选中一张"))
            return
        reason = self.void_reason.text()
        if not reason.strip():
            self.messages.error(self.tr("请先填写作废原因（Alt+Q）"))
            self.void_reason.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        if reissue:
            question = self.tr(
                "确定要作废收据 %s 并换开新收据吗？\n\n"
                "作废后号码保留并标记“作废”，不能恢复；缴费记录改开在下一个号码上，并打印新收据。"
            )
            yes = self.tr("作废并换开(&Y)")
        else:
            question = self.tr(
                "确定要作废收据 %s 吗？\n\n"
                "作废后号码保留并标记“作废”，不能恢复；这笔缴费记录同时冲正，请把现金退还缴费人。"
            )
            yes = self.tr("作废(&Y)")
        if not confirm(self, self.tr("作废收据"), question % label, yes=yes):
            self.messages.ok(self.tr("没有作废，收据 %s 保持不变") % label)
            return

        def act() -> tuple[str | None]:
            with self.ctx.write() as session:
                result = void_receipt(session, self.ctx.actor, label, reason, reissue=reissue, on=self.ctx.today())
                return (receipt_label(result.reissued.series, result.reissued.number) if result.reissued else None,)

        outcome = _attempt(self, self.messages, act)
        if outcome is None:
            self.void_reason.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        self.void_reason.clear()
        (reissued,) = outcome
        if reissued:
            printed = self.print_receipt(reissued) or ""
            self.messages.ok(self.tr("已作废 %s，换开 %s；%s") % (label, reissued, printed))
        else:
            self.messages.ok(self.tr("已作废 %s，缴费记录已冲正，请退还现金") % label)
        self.changed.emit()
        self.refresh()

    def reprint(self) -> None:
        """重打 the selected receipt; the copy is marked 重打 第N次."""
        label = _selected_key(self.today_table)
        if label is None:
            self.messages.error(self.tr("请先在“今天开具的收据”中选中一张"))
            return
        printed = self.print_receipt(label)
        if printed is not None:
            self.messages.ok(printed)
        self.refresh()


# --- 票据本 ----------------------------------------------------------------------------------------------------------


class BooksTab(QWidget):
    """票据本: register, open, close, reconcile and write off books; lost blanks; overlay calibration."""

    changed = Signal()

    def __init__(self, context: _Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = context
        self.books_table = _table(
            "booksTable",
            ["字轨", "号码段", "领用人", "状态", "下一个号码", "开具", "作废", "遗失", "未用", "金额（元）"],
        )
        self.receipts_table = _table("bookReceipts", ["号码", "状态", "参保人", "金额", "日期", "重打", "原因"])
        self.series_edit = QLineEdit()
        self.series_edit.setObjectName("bookSeries")
        self.series_edit.setPlaceholderText("HQ2026")
        self.start_edit = QLineEdit()
        self.start_edit.setObjectName("bookStart")
        self.end_edit = QLineEdit()
        self.end_edit.setObjectName("bookEnd")
        self.add_button = QPushButton(self.tr("登记并启用(&A)"))
        self.add_button.setObjectName("addBook")
        self.open_button = QPushButton(self.tr("启用(&O)"))
        self.close_button = QPushButton(self.tr("结本(&C)"))
        self.reconcile_button = QPushButton(self.tr("对账(&D)"))
        self.write_off_button = QPushButton(self.tr("核销(&W)"))
        self.reason_edit = QLineEdit()
        self.reason_edit.setObjectName("bookReason")
        self.reason_edit.setPlaceholderText(self.tr("结本原因 / 遗失情况说明"))
        self.reason_edit.setAccessibleName(self.tr("结本原因或遗失情况说明"))
        self.lost_edit = QLineEdit()
        self.lost_edit.setObjectName("lostNumber")
        self.lost_edit.setPlaceholderText(self.tr("遗失的空白票号"))
        self.lost_edit.setAccessibleName(self.tr("遗失的空白票号"))
        self.lost_button = QPushButton(self.tr("遗失登记(&L)"))
        self.report = QPlainTextEdit()
        self.report.setObjectName("reconcileReport")
        self.report.setReadOnly(True)
        self.report.setMaximumHeight(self.fontMetrics().height() * 7)
        self.x_edit = QLineEdit()
        self.x_edit.setObjectName("offsetX")
        self.y_edit = QLineEdit()
        self.y_edit.setObjectName("offsetY")
        self.save_offset_button = QPushButton(self.tr("保存偏移"))
        self.test_page_button = QPushButton(self.tr("打印校准页(&T)"))
        self.overlay_check = QCheckBox(self.tr("收据用套打方式打印（县里预印的收据纸）"))
        self.overlay_check.setObjectName("overlayMode")
        self.message_label = QLabel()
        self.message_label.setObjectName("booksMessage")
        self.messages = _Messages(self.message_label)
        for button in (
            self.add_button,
            self.open_button,
            self.close_button,
            self.reconcile_button,
            self.write_off_button,
            self.lost_button,
            self.save_offset_button,
            self.test_page_button,
        ):
            button.setAutoDefault(False)

        register = QHBoxLayout()
        register.addWidget(_buddy(self.tr("字轨(&Z)："), self.series_edit))
        register.addWidget(self.series_edit)
        register.addWidget(_buddy(self.tr("起始号码："), self.start_edit))
        register.addWidget(self.start_edit)
        register.addWidget(_buddy(self.tr("终止号码："), self.end_edit))
        register.addWidget(self.end_edit)
        register.addWidget(self.add_button)
        actions = QHBoxLayout()
        for widget in (self.open_button, self.close_button, self.reconcile_button, self.write_off_button):
            actions.addWidget(widget)
        actions.addWidget(self.reason_edit, 1)
        actions.addWidget(self.lost_edit)
        actions.addWidget(self.lost_button)
        calibration = QGroupBox(self.tr("套打校准（向右、向下为正，单位毫米）"))
        grid = QGridLayout(calibration)
        grid.addWidget(_buddy(self.tr("水平偏移："), self.x_edit), 0, 0)
        grid.addWidget(self.x_edit, 0, 1)
        grid.addWidget(_buddy(self.tr("垂直偏移："), self.y_edit), 0, 2)
        grid.addWidget(self.y_edit, 0, 3)
        grid.addWidget(self.save_offset_button, 0, 4)
        grid.addWidget(self.test_page_button, 0, 5)
        grid.addWidget(self.overlay_check, 1, 0, 1, 6)

        layout = QVBoxLayout(self)
        layout.addLayout(register)
        layout.addWidget(self.message_label)
        layout.addWidget(self.books_table, 2)
        layout.addLayout(actions)
        layout.addWidget(self.report)
        layout.addWidget(self.receipts_table, 3)
        layout.addWidget(calibration)

        self.add_button.clicked.connect(self.add_book)
        self.end_edit.returnPressed.connect(self.add_book)
        self.open_button.clicked.connect(lambda: self._book_action("open"))
        self.close_button.clicked.connect(lambda: self._book_action("close"))
        self.reconcile_button.clicked.connect(lambda: self._book_action("reconcile"))
        self.write_off_button.clicked.connect(lambda: self._book_action("write_off"))
        self.lost_button.clicked.connect(self.report_lost)
        self.books_table.itemSelectionChanged.connect(self.show_receipts)
        self.save_offset_button.clicked.connect(self.save_offset)
        self.test_page_button.clicked.connect(self.print_test_page)
        self.overlay_check.toggled.connect(self.set_overlay)
        self.refresh()

    def refresh(self) -> None:
        from pensiondesk.services.receipts import list_books, overlay_mode, overlay_offset, receipt_label

        current = _selected_key(self.books_table)
        with self.ctx.read() as session:
            rows = list_books(session)
            offset = overlay_offset(session)
            overlay = overlay_mode(session)
        table_rows = [
            [
                row.book.series,
                f"{row.book.start_no}–{row.book.end_no}",
                row.book.collector,
                row.book.status.label,
                receipt_label(row.book.series, row.book.next_no)
                if row.book.next_no <= row.book.end_no
                else self.tr("已用完"),
                str(row.issued),
                str(row.void),
                str(row.lost),
                str(row.unused),
                format_yuan(row.issued_total_fen),
            ]
            for row in rows
        ]
        keys = [row.book.id for row in rows]
        self.books_table.blockSignals(True)
        _fill(self.books_table, table_rows, keys)
        self.books_table.blockSignals(False)
        if keys:
            self.books_table.selectRow(keys.index(current) if current in keys else 0)
        self.show_receipts()
        self.x_edit.setText(str(offset.x_mm))
        self.y_edit.setText(str(offset.y_mm))
        self.overlay_check.blockSignals(True)
        self.overlay_check.setChecked(overlay)
        self.overlay_check.blockSignals(False)

    def show_receipts(self) -> None:
        from pensiondesk.services.contributions import tier_text
        from pensiondesk.services.receipts import receipts_of_book
        from pensiondesk.store.models import Contribution, Person

        book_id = _selected_key(self.books_table)
        if book_id is None:
            _fill(self.receipts_table, [])
            return
        with self.ctx.read() as session:
            receipts = receipts_of_book(session, book_id)
            names = dict(
                session.execute(
                    select(Contribution.id, Person.name)
                    .join(Person, Person.id == Contribution.person_id)
                    .where(Contribution.id.in_([r.contribution_id for r in receipts if r.contribution_id]))
                ).all()
            )
        rows = [
            [
                f"{r.series}-{r.number:08d}",
                r.status.label,
                names.get(r.contribution_id or "", ""),
                tier_text(r.amount_fen) if r.status is ReceiptStatus.ISSUED else "—",
                r.day.isoformat(),
                str(r.reprint_count or ""),
                r.void_reason or "",
            ]
            for r in receipts
        ]
        _fill(self.receipts_table, rows)

    def add_book(self) -> None:
        """登记 the book typed in, and open it when the collector has no book open."""
        from pensiondesk.services.receipts import open_book, open_book_of, register_book

        def act() -> str:
            try:
                start, end = int(self.start_edit.text().strip()), int(self.end_edit.text().strip())
            except ValueError:
                raise ServiceError("起始号码和终止号码必须是数字") from None
            with self.ctx.write() as session:
                book = register_book(
                    session,
                    self.ctx.actor,
                    series=self.series_edit.text(),
                    start_no=start,
                    end_no=end,
                    issued_on=self.ctx.today(),
                )
                if open_book_of(session, self.ctx.actor.username) is None:
                    open_book(session, self.ctx.actor, book.id)
                    return self.tr("已登记并启用票据本 %s %d–%d") % (book.series, start, end)
                return self.tr("已登记票据本 %s %d–%d（当前票据本用完后再启用）") % (book.series, start, end)

        done = _attempt(self, self.messages, act)
        if done is not None:
            self.messages.ok(done)
            for edit in (self.series_edit, self.start_edit, self.end_edit):
                edit.clear()
            self.changed.emit()
            self.refresh()

    def _book_action(self, action: str) -> None:
        from pensiondesk.services.receipts import close_book, open_book, reconcile_book, write_off_book

        book_id = _selected_key(self.books_table)
        if book_id is None:
            self.messages.error(self.tr("请先选中一本票据"))
            return
        if action in ("close", "write_off") and not self._confirm_book_action(action, book_id):
            return

        def act() -> Any:
            with self.ctx.write() as session:
                if action == "open":
                    open_book(session, self.ctx.actor, book_id)
                elif action == "close":
                    close_book(session, self.ctx.actor, book_id, self.reason_edit.text())
                elif action == "write_off":
                    write_off_book(session, self.ctx.actor, book_id)
                return reconcile_book(session, book_id)

        result = _attempt(self, self.messages, act)
        if result is None:
            return
        none = self.tr("无")
        unused = "、".join(f"{a}" if a == b else f"{a}–{b}" for a, b in result.unused) or none
        book = result.book
        lines = [
            self.tr("票据本 %s %d–%d（%s）") % (book.series, book.start_no, book.end_no, book.status.label),
            self.tr("开具 %d 张，合计 %s") % (len(result.issued), _yuan(result.issued_total_fen)),
            self.tr("作废 %d 张：%s") % (len(result.void), "、".join(map(str, result.void)) or none),
            self.tr("遗失 %d 张：%s") % (len(result.lost), "、".join(map(str, result.lost)) or none),
            self.tr("未使用 %d 张：%s") % (result.unused_count, unused),
            (self.tr("对账相符") if result.balanced else self.tr("对账不平：") + "；".join(result.problems)),
        ]
        self.report.setPlainText("\n".join(lines))
        names = {
            "open": self.tr("已启用"),
            "close": self.tr("已结本"),
            "reconcile": self.tr("已对账"),
            "write_off": self.tr("已核销"),
        }
        self.messages.ok(
            self.tr("%s：%s %d–%d") % (names[action], result.book.series, result.book.start_no, result.book.end_no)
        )
        self.reason_edit.clear()
        self.changed.emit()
        self.refresh()

    def _confirm_book_action(self, action: str, book_id: str) -> bool:
        """结本 and 核销 cannot be undone: say what the book holds and what follows, then ask."""
        from pensiondesk.services.receipts import reconcile_book

        def look() -> tuple[str, int, int, int, int, int]:
            with self.ctx.read() as session:
                found = reconcile_book(session, book_id)
                book = found.book
                label = f"{book.series} {book.start_no}–{book.end_no}"
                counts = (len(found.issued), found.issued_total_fen, len(found.void), len(found.lost))
                return (label, *counts, found.unused_count)

        seen = _attempt(self, self.messages, look)
        if seen is None:
            return False
        label, issued, total_fen, void, lost, unused = seen
        if action == "close" and unused and not self.reason_edit.text().strip():
            self.messages.error(
                self.tr("还有 %d 张没用就结本，请先在说明栏写明原因（例如：年度结束，剩余号码缴回）") % unused
            )
            self.reason_edit.setFocus(Qt.FocusReason.OtherFocusReason)
            return False
        if action == "close":
            title, yes = self.tr("结本"), self.tr("结本(&Y)")
            question = self.tr(
                "确定要结本票据本 %s 吗？\n\n已开具 %d 张（合计 %s），作废 %d 张，遗失 %d 张，未使用 %d 张。\n"
                "结本后这本票据不能再开收据，也不能重新启用，不能撤销；未使用的号码随本缴回县社保局。"
            ) % (label, issued, _yuan(total_fen), void, lost, unused)
        else:
            title, yes = self.tr("核销"), self.tr("核销(&Y)")
            question = self.tr(
                "确定要核销票据本 %s 吗？\n\n开具 %d 张（合计 %s），作废 %d 张，遗失 %d 张，未使用 %d 张。\n"
                "核销表示这本票据已和县社保局对清账目，核销后不能撤销。"
            ) % (label, issued, _yuan(total_fen), void, lost, unused)
        if confirm(self, title, question, yes=yes):
            return True
        if action == "close":
            self.messages.error(self.tr("没有结本：票据本 %s 不变") % label)
        else:
            self.messages.error(self.tr("没有核销：票据本 %s 不变") % label)
        return False

    def report_lost(self) -> None:
        from pensiondesk.services.receipts import find_book, receipt_label, report_lost

        book_id = _selected_key(self.books_table)
        number = self.lost_edit.text().strip()
        if book_id is None or not number:
            self.messages.error(self.tr("请选中票据本并填写遗失的号码"))
            return
        if not self.reason_edit.text().strip():
            self.messages.error(self.tr("请先在说明栏写明遗失情况"))
            self.reason_edit.setFocus(Qt.FocusReason.OtherFocusReason)
            return

        def which() -> str:
            with self.ctx.read() as session:
                book = find_book(session, book_id)
                return number if "-" in number else f"{book.series}-{number}"

        shown = _attempt(self, self.messages, which)
        if shown is None:
            return
        question = (
            self.tr(
                "确定要把空白票据 %s 登记为遗失吗？\n\n登记后这个号码永远不能再开收据，并在对账、核销时算作遗失，"
                "不能撤销。缴费人把开好的收据弄丢了，不用登记遗失，请用“重打”补打。"
            )
            % shown
        )
        if not confirm(self, self.tr("遗失登记"), question, yes=self.tr("登记遗失(&Y)")):
            self.messages.error(self.tr("没有登记遗失：%s 不变") % shown)
            return

        def act() -> str:
            with self.ctx.write() as session:
                book = find_book(session, book_id)
                ref = number if "-" in number else f"{book.series}-{number}"
                receipt = report_lost(session, self.ctx.actor, ref, self.reason_edit.text(), on=self.ctx.today())
                return receipt_label(receipt.series, receipt.number)

        done = _attempt(self, self.messages, act)
        if done is not None:
            self.messages.ok(self.tr("已登记遗失：%s") % done)
            self.lost_edit.clear()
            self.reason_edit.clear()
            self.changed.emit()
            self.refresh()

    def save_offset(self) -> None:
        from pensiondesk.services.receipts import set_overlay_offset

        def act() -> Any:
            with self.ctx.write() as session:
                return set_overlay_offset(session, self.ctx.actor, self.x_edit.text(), self.y_edit.text())

        offset = _attempt(self, self.messages, act)
        if offset is not None:
            self.messages.ok(self.tr("套打偏移已保存：水平 %s 毫米，垂直 %s 毫米") % (offset.x_mm, offset.y_mm))
            self.refresh()

    def print_test_page(self) -> None:
        from pensiondesk.documents.receipt import render_overlay_test_page
        from pensiondesk.services.receipts import overlay_offset

        with self.ctx.read() as session:
            offset = overlay_offset(session)
        path = self.ctx.path("收据", "套打校准页.pdf")
        render_overlay_test_page(path, offset)
        self.messages.ok(self.ctx.printer(path, self.tr("套打校准页")))

    def set_overlay(self, enabled: bool) -> None:
        from pensiondesk.services.receipts import set_overlay_mode

        def act() -> bool:
            with self.ctx.write() as session:
                set_overlay_mode(session, self.ctx.actor, enabled)
            return enabled

        if _attempt(self, self.messages, act) is not None:
            self.messages.ok(self.tr("收据将用套打方式打印") if enabled else self.tr("收据将打印完整的三联票面"))


# --- 日结 ------------------------------------------------------------------------------------------------------------


class DayCloseTab(QWidget):
    """日结: the day's receipts against the cash handed over; the handover sheet; a closed day is locked."""

    changed = Signal()

    def __init__(self, context: _Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = context
        self.date_edit = QDateEdit(_qdate(context.today()))
        self.date_edit.setObjectName("closeDate")
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("yyyy-MM-dd")
        self.date_edit.setMaximumDate(_qdate(context.today()))
        self.summary_label = QLabel()
        self.summary_label.setObjectName("daySummary")
        self.summary_label.setWordWrap(True)
        self.open_days_label = QLabel()
        self.open_days_label.setObjectName("openDays")
        self.open_days_label.setStyleSheet(_ERROR_STYLE)
        self.table = _table("dayTable", ["票据号码", "状态", "参保人", "年度", "档次", "金额", "备注"])
        self.cash_edit = QLineEdit()
        self.cash_edit.setObjectName("cashHanded")
        self.cash_edit.setPlaceholderText(self.tr("实交现金（元）"))
        self.note_edit = QLineEdit()
        self.note_edit.setObjectName("closeNote")
        self.note_edit.setPlaceholderText(self.tr("实交现金与收据合计不符时，说明原因"))
        self.close_button = QPushButton(self.tr("日结并打印交款单(&J)"))
        self.close_button.setObjectName("closeDay")
        self.handover_button = QPushButton(self.tr("打印交款单(&P)"))
        self.handover_button.setObjectName("printHandover")
        for button in (self.close_button, self.handover_button):
            button.setAutoDefault(False)
        self.message_label = QLabel()
        self.message_label.setObjectName("closeMessage")
        self.messages = _Messages(self.message_label)

        top = QHBoxLayout()
        top.addWidget(_buddy(self.tr("日期(&D)："), self.date_edit))
        top.addWidget(self.date_edit)
        top.addWidget(self.summary_label, 1)
        form = QHBoxLayout()
        form.addWidget(_buddy(self.tr("实交现金(&K)："), self.cash_edit))
        form.addWidget(self.cash_edit)
        form.addWidget(_buddy(self.tr("差额说明(&N)："), self.note_edit))
        form.addWidget(self.note_edit, 1)
        form.addWidget(self.close_button)
        form.addWidget(self.handover_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.open_days_label)
        layout.addWidget(self.table, 1)
        layout.addLayout(form)
        layout.addWidget(self.message_label)

        self.date_edit.dateChanged.connect(self.refresh)
        self.cash_edit.returnPressed.connect(self.close_day)
        self.note_edit.returnPressed.connect(self.close_day)
        self.close_button.clicked.connect(self.close_day)
        self.handover_button.clicked.connect(self.print_handover)
        self.refresh()

    @property
    def day(self) -> date:
        return _pydate(self.date_edit.date())

    def _summary(self) -> Any:
        from pensiondesk.services.receipts import day_summary

        with self.ctx.read() as session:
            return day_summary(session, self.day, self.ctx.actor.username, actor=self.ctx.actor)

    def refresh(self) -> None:
        from pensiondesk.services.receipts import unclosed_days

        summary = self._summary()
        with self.ctx.read() as session:
            waiting = unclosed_days(session, self.ctx.actor.username, before=self.ctx.today())
        _fill(
            self.table,
            [
                [
                    line.label,
                    line.status.label,
                    line.person_name,
                    str(line.year or ""),
                    format_yuan(line.tier_fen, grouping=False) if line.tier_fen else "",
                    format_yuan(line.amount_fen) if line.status is ReceiptStatus.ISSUED else "—",
                    "；".join(
                        filter(
                            None,
                            [
                                line.void_reason,
                                self.tr("重打 %d 次") % line.reprint_count if line.reprint_count else "",
                            ],
                        )
                    ),
                ]
                for line in summary.lines
            ],
        )
        text = self.tr("有效收据 %d 张，合计 %s（%s）；作废 %d 张；遗失 %d 张") % (
            summary.issued_count,
            _yuan(summary.issued_total_fen),
            to_chinese_capital(summary.issued_total_fen),
            summary.void_count,
            summary.lost_count,
        )
        closed = summary.closed
        if closed is not None:
            difference = closed.cash_handed_fen - closed.receipts_total_fen
            text += self.tr("。已日结：实交现金 %s，差额 %s，当天票据已锁定") % (
                _yuan(closed.cash_handed_fen),
                _yuan(difference),
            )
        self.summary_label.setText(text)
        for widget in (self.cash_edit, self.note_edit, self.close_button):
            widget.setEnabled(closed is None)
        self.open_days_label.setText(
            self.tr("以下日期有收据尚未日结：%s") % "、".join(day.isoformat() for day in waiting) if waiting else ""
        )

    def close_day(self) -> None:
        """日结: check the cash against the receipts, lock the day, print the 交款单."""
        from pensiondesk.services.receipts import close_day

        day = self.day
        cash = _attempt(self, self.messages, lambda: parse_yuan(self.cash_edit.text()))
        if cash is None:
            self.cash_edit.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        summary = self._summary()
        difference = cash - summary.issued_total_fen
        figures = self.tr("有效收据 %d 张，合计 %s；实交现金 %s") % (
            summary.issued_count,
            _yuan(summary.issued_total_fen),
            _yuan(cash),
        )
        if difference:
            figures += self.tr("，%s %s") % (self.tr("多") if difference > 0 else self.tr("少"), _yuan(abs(difference)))
        question = self.tr(
            "确定要日结 %s 吗？\n\n%s。\n日结后这一天的收据全部锁定：不能再收款、作废或换开，日结也不能撤销。"
        ) % (day.isoformat(), figures)
        if not confirm(self, self.tr("日结"), question, yes=self.tr("日结(&Y)")):
            self.messages.ok(self.tr("没有日结，%s 的收据仍可修改") % day.isoformat())
            self.cash_edit.setFocus(Qt.FocusReason.OtherFocusReason)
            return

        def act() -> Any:
            with self.ctx.write() as session:
                return close_day(session, self.ctx.actor, day, cash, note=self.note_edit.text(), today=self.ctx.today())

        if _attempt(self, self.messages, act) is None:
            self.note_edit.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        self.cash_edit.clear()
        self.note_edit.clear()
        printed = self.print_handover() or ""
        self.messages.ok(self.tr("%s 已日结，当天票据已锁定；%s") % (day.isoformat(), printed))
        self.changed.emit()
        self.refresh()

    def print_handover(self) -> str | None:
        from pensiondesk.documents.handover import render_handover

        summary = self._summary()
        kind = "交款单" if summary.closed is not None else "交款单（预览）"
        path = self.ctx.path("日结", f"{kind}-{summary.day.isoformat()}.pdf")
        render_handover(summary, path, printed_on=self.ctx.today())
        printed = self.ctx.printer(path, kind)
        if self.sender() is self.handover_button:
            self.messages.ok(printed)
        return printed


# --- 催缴名单 --------------------------------------------------------------------------------------------------------


class UnpaidTab(QWidget):
    """催缴名单: enrolled contributors who have not paid this year, by group; print or export."""

    def __init__(self, context: _Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = context
        self.year_spin = QSpinBox()
        self.year_spin.setObjectName("unpaidYear")
        self.year_spin.setRange(2009, context.today().year)
        self.year_spin.setValue(context.today().year)
        self.group_combo = QComboBox()
        self.group_combo.setObjectName("unpaidGroup")
        self.summary_label = QLabel()
        self.summary_label.setObjectName("unpaidSummary")
        self.table = _table(
            "unpaidTable", ["序号", "村民小组", "姓名", "性别", "年龄", "公民身份号码", "户主", "联系电话", "上次缴费"]
        )
        self.print_button = QPushButton(self.tr("打印催缴名单(&P)"))
        self.print_button.setObjectName("printUnpaid")
        self.export_button = QPushButton(self.tr("导出 Excel(&E)"))
        self.export_button.setObjectName("exportUnpaid")
        for button in (self.print_button, self.export_button):
            button.setAutoDefault(False)
        self.message_label = QLabel()
        self.message_label.setObjectName("unpaidMessage")
        self.messages = _Messages(self.message_label)
        self._unpaid: Any = None

        top = QHBoxLayout()
        top.addWidget(_buddy(self.tr("年度(&Y)："), self.year_spin))
        top.addWidget(self.year_spin)
        top.addWidget(_buddy(self.tr("村民小组(&G)："), self.group_combo))
        top.addWidget(self.group_combo)
        top.addWidget(self.summary_label, 1)
        top.addWidget(self.print_button)
        top.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.message_label)
        layout.addWidget(self.table, 1)

        self._load_groups()
        self.year_spin.valueChanged.connect(self.refresh)
        self.group_combo.currentIndexChanged.connect(self.refresh)
        self.print_button.clicked.connect(self.print_list)
        self.export_button.clicked.connect(self.export)

    def _load_groups(self) -> None:
        from pensiondesk.store.models import VillagerGroup

        with self.ctx.read() as session:
            groups = session.execute(
                select(VillagerGroup.id, VillagerGroup.name).order_by(VillagerGroup.sort_order, VillagerGroup.name)
            ).all()
        self.group_combo.blockSignals(True)
        self.group_combo.clear()
        self.group_combo.addItem(self.tr("全部"), None)
        for group_id, name in groups:
            self.group_combo.addItem(name, group_id)
        self.group_combo.blockSignals(False)

    def refresh(self) -> None:
        from pensiondesk.services.contributions import tier_text, unpaid_list

        with self.ctx.read() as session:
            unpaid = unpaid_list(
                session, self.year_spin.value(), group_id=self.group_combo.currentData(), on=self.ctx.today()
            )
        self._unpaid = unpaid
        rows = [
            [
                str(index),
                row.group_name,
                row.name,
                row.sex,
                str(row.age),
                mask_id_number(row.id_number),
                row.household_head,
                row.phone,
                self.tr("%s年 %s元") % (row.last_paid_year, tier_text(row.last_tier_fen))
                if row.last_tier_fen is not None
                else self.tr("无"),
            ]
            for index, row in enumerate(unpaid.rows, start=1)
        ]
        _fill(self.table, rows)
        self.summary_label.setText(
            self.tr("参保缴费 %d 人，已缴 %d 人，未缴 %d 人，缴费率 %s%%")
            % (unpaid.contributors, unpaid.paid, len(unpaid.rows), unpaid.payment_rate)
        )

    def print_list(self) -> None:
        from pensiondesk.documents.unpaid import render_unpaid_list

        if self._unpaid is None:
            self.refresh()
        path = self.ctx.path("催缴名单", f"催缴名单-{self._unpaid.year}.pdf")
        render_unpaid_list(self._unpaid, path, printed_on=self.ctx.today())
        self.messages.ok(self.ctx.printer(path, self.tr("催缴名单")))

    def export(self) -> None:
        from pensiondesk.services.contributions import write_unpaid_xlsx

        if self._unpaid is None:
            self.refresh()
        default = self.ctx.path("催缴名单", f"催缴名单-{self._unpaid.year}.xlsx")
        chosen, _ = QFileDialog.getSaveFileName(self, self.tr("导出催缴名单"), str(default), "Excel (*.xlsx)")
        if not chosen:
            return
        target = Path(chosen) if chosen.lower().endswith(".xlsx") else Path(chosen + ".xlsx")
        try:
            count = write_unpaid_xlsx(self._unpaid, target)
        except OSError as error:
            self.messages.error(self.tr("无法写入 %s：%s") % (target, error.strerror or error))
            return
        self.messages.ok(self.tr("已导出 %d 人：%s") % (count, target))


# --- 算账 ------------------------------------------------------------------------------------------------------------


class EstimateTab(QWidget):
    """算账: the tiers side by side for a person (ID) or a birth date; printable on one page."""

    def __init__(self, context: _Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = context
        from pensiondesk.documents.estimate import ESTIMATE_HEADER

        self.id_edit = QLineEdit()
        self.id_edit.setObjectName("estimateId")
        self.id_edit.setPlaceholderText(self.tr("本村人员的身份证号（可不填）"))
        self.birth_edit = QDateEdit(QDate(1980, 1, 1))
        self.birth_edit.setObjectName("estimateBirth")
        self.birth_edit.setDisplayFormat("yyyy-MM-dd")
        self.birth_edit.setCalendarPopup(True)
        self.tiers_edit = QLineEdit()
        self.tiers_edit.setObjectName("estimateTiers")
        self.tiers_edit.setPlaceholderText(self.tr("全部档次；或如 100,300,500"))
        self.compute_button = QPushButton(self.tr("测算(&S)"))
        self.compute_button.setObjectName("computeEstimate")
        self.print_button = QPushButton(self.tr("打印(&P)"))
        self.print_button.setObjectName("printEstimate")
        for button in (self.compute_button, self.print_button):
            button.setAutoDefault(False)
        self.facts_label = QLabel()
        self.facts_label.setObjectName("estimateFacts")
        self.facts_label.setWordWrap(True)
        self.table = _table("estimateTable", list(ESTIMATE_HEADER))
        self.message_label = QLabel()
        self.message_label.setObjectName("estimateMessage")
        self.messages = _Messages(self.message_label)
        self._estimate: Any = None

        top = QHBoxLayout()
        top.addWidget(_buddy(self.tr("身份证号(&I)："), self.id_edit))
        top.addWidget(self.id_edit, 2)
        top.addWidget(_buddy(self.tr("或出生日期(&B)："), self.birth_edit))
        top.addWidget(self.birth_edit)
        top.addWidget(_buddy(self.tr("档次(&T)："), self.tiers_edit))
        top.addWidget(self.tiers_edit, 1)
        top.addWidget(self.compute_button)
        top.addWidget(self.print_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.message_label)
        layout.addWidget(self.facts_label)
        layout.addWidget(self.table, 1)

        for edit in (self.id_edit, self.tiers_edit):
            edit.returnPressed.connect(self.compute)
        self.compute_button.clicked.connect(self.compute)
        self.print_button.clicked.connect(self.print_estimate)

    def compute(self) -> None:
        from pensiondesk.documents.estimate import estimate_rows
        from pensiondesk.services.contributions import estimate_benefits, estimate_for_person, find_contributors
        from pensiondesk.services.people import policy_pack_in_force

        def act() -> Any:
            tiers = [parse_yuan(part) for part in self.tiers_edit.text().replace("，", ",").split(",") if part.strip()]
            with self.ctx.read() as session:
                text = self.id_edit.text().strip()
                if text:
                    found = find_contributors(session, text)
                    if len(found) != 1:
                        raise ServiceError(
                            self.tr("本村没有这个身份证号的人员")
                            if not found
                            else self.tr("有多人的身份证号以此结尾，请输入完整号码")
                        )
                    return estimate_for_person(session, found[0].id, tiers=tiers or None, on=self.ctx.today())
                pack = policy_pack_in_force(session, self.ctx.today())
                return estimate_benefits(
                    pack, birth_date=_pydate(self.birth_edit.date()), as_of=self.ctx.today(), tiers=tiers or None
                )

        estimate = _attempt(self, self.messages, act)
        if estimate is None:
            return
        self._estimate = estimate
        self.messages.clear()
        _fill(self.table, estimate_rows(estimate))
        start = estimate.pension_start
        facts = [
            f"{estimate.person_name or '测算对象'}，出生 {estimate.birth_date.isoformat()}："
            f"今后缴费 {estimate.future_years} 年（{estimate.first_year}–{estimate.last_year}），"
            f"合计 {estimate.total_years} 年，{start.year}年{start.month}月起领取。",
            f"月养老金 = 基础养老金 {_yuan(estimate.basic_pension_fen)} + 到龄账户余额 ÷ {estimate.divisor}；"
            f"{estimate.rate_text}。",
            *estimate.warnings,
        ]
        self.facts_label.setText("\n".join(facts))

    def print_estimate(self) -> None:
        from pensiondesk.documents.estimate import render_estimate

        if self._estimate is None:
            self.compute()
            if self._estimate is None:
                return
        who = self._estimate.person_name or self._estimate.birth_date.isoformat()
        path = self.ctx.path("算账", f"算账-{who}.pdf")
        render_estimate(self._estimate, path, printed_on=self.ctx.today())
        self.messages.ok(self.ctx.printer(path, self.tr("算账表")))


# --- the page --------------------------------------------------------------------------------------------------------


class MoneyPage(QWidget):
    """缴费/票据: five tabs (收款, 票据本, 日结, 催缴名单, 算账), Ctrl+1 … Ctrl+5 between them."""

    def __init__(
        self,
        session_factory: SessionFactory,
        actor: Actor,
        output_dir: Path,
        *,
        printer: Printer | None = None,
        today: Callable[[], date] = date.today,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.context = _Context(
            session_factory, actor, Path(output_dir), printer if printer is not None else send_to_printer, today
        )
        self.tabs = QTabWidget()
        self.tabs.setObjectName("moneyTabs")
        self.collect_tab = CollectTab(self.context)
        self.books_tab = BooksTab(self.context)
        self.close_tab = DayCloseTab(self.context)
        self.unpaid_tab = UnpaidTab(self.context)
        self.estimate_tab = EstimateTab(self.context)
        tabs: list[tuple[QWidget, str]] = [
            (self.collect_tab, self.tr("收款")),
            (self.books_tab, self.tr("票据本")),
            (self.close_tab, self.tr("日结")),
            (self.unpaid_tab, self.tr("催缴名单")),
            (self.estimate_tab, self.tr("算账")),
        ]
        for number, (tab, title) in enumerate(tabs, start=1):
            self.tabs.addTab(tab, title)
            self.tabs.setTabToolTip(number - 1, self.tr("快捷键 Ctrl+%d") % number)
            action = QAction(self)
            action.setShortcut(QKeySequence(Qt.Modifier.CTRL | Qt.Key(Qt.Key.Key_0 + number)))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(lambda _checked=False, index=number - 1: self.show_tab(index))
            self.addAction(action)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 4)
        layout.addWidget(self.tabs)
        self.tabs.currentChanged.connect(self._tab_shown)
        for source in (self.collect_tab, self.books_tab, self.close_tab):
            source.changed.connect(self._data_changed)

    def show_tab(self, index: int) -> None:
        """Switch tabs and put the cursor where the work of that tab starts."""
        self.tabs.setCurrentIndex(index)
        self._tab_shown(index)

    def _tab_shown(self, index: int) -> None:
        tab = self.tabs.widget(index)
        if tab is self.collect_tab:
            self.collect_tab.refresh()
            self.collect_tab.id_box.setFocus(Qt.FocusReason.OtherFocusReason)
        elif tab is self.books_tab:
            self.books_tab.refresh()
        elif tab is self.close_tab:
            self.close_tab.refresh()
            self.close_tab.cash_edit.setFocus(Qt.FocusReason.OtherFocusReason)
        elif tab is self.unpaid_tab:
            self.unpaid_tab.refresh()
            self.unpaid_tab.print_button.setFocus(Qt.FocusReason.OtherFocusReason)
        elif tab is self.estimate_tab:
            self.estimate_tab.id_edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def _data_changed(self) -> None:
        sender = self.sender()
        for tab in (self.collect_tab, self.books_tab, self.close_tab):
            if tab is not sender:
                tab.refresh()

    def showEvent(self, event: Any) -> None:
        """Shown (Alt+2, or from the navigation): the cursor goes where the current tab's work starts."""
        super().showEvent(event)
        self.focus_start()

    def focus_start(self) -> None:
        """When the page is shown: the current tab's starting field."""
        self._tab_shown(self.tabs.currentIndex())

    def refresh(self) -> None:
        """F5: re-read the current tab."""
        self._tab_shown(self.tabs.currentIndex())
