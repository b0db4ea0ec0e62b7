"""The review page (审核): 村级初审 of registrations entered by others, 上报 of the checked ones, and the returns.

Entry and review are different people (domain.md §14): the queue lists the registrations waiting for 初审, the
ones the current operator entered included but marked 本人录入 — trying to approve one of those is refused by
:func:`pensiondesk.services.registration.village_check`, and the page says why in one sentence. A reviewer
approves (初审通过) or returns with a reason (退回…); a reviewer never edits. The second tab, 待上报, lists the
registrations that passed 村级初审 and are not yet sent up; 上报 asks first (naming how many and who; 取消 is the
default) and then calls :func:`pensiondesk.services.registration.submit`. Submitting is not a review, so like entry
it is open to every operator (the service has no role rule for it). The third tab lists registrations returned by
the village review or by the county, with their reasons (wrapped, never cut), for the coordinator to act on.

People are named as they are known (the user's 显示名, e.g. 演示复核员, not the login ``reviewer``), and the queue
shows each person's 年龄 on the registration date — 60 or more in amber: such a person is usually registered for
the pension, not as a contributor, and a reviewer should notice an 86-year-old before approving.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from pensiondesk.domain.pension import age_on
from pensiondesk.gui.errors import confirm, show_store_error
from pensiondesk.gui.person_form import current_actor
from pensiondesk.gui.person_model import SessionFactory
from pensiondesk.gui.qt import (
    QAbstractItemView,
    QColor,
    QCoreApplication,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QKeySequence,
    QLabel,
    QLineEdit,
    QPushButton,
    Qt,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from pensiondesk.gui.roles import may_review, review_refusal
from pensiondesk.services import registration
from pensiondesk.services.accounts import display_names
from pensiondesk.services.people_types import ServiceError
from pensiondesk.services.person_queries import birth_dates, current_village_id, own_entered_registrations
from pensiondesk.services.recording import Actor
from pensiondesk.services.registration import RegistrationItem
from pensiondesk.store.errors import StoreError

__all__ = ["ReturnReasonDialog", "ReviewDialog", "ReviewPage"]

_OWN_COLOUR = QColor(128, 128, 128)
_OLD_COLOUR = QColor("#9a6700")  # the warning amber of the forms
#: Columns of the queue (年龄) and of the returned list (退回原因).
AGE_COLUMN = 2
RETURN_REASON_COLUMN = 5
#: 年满60周岁: someone this old on the registration date registers for the pension, not as a contributor.
PENSION_AGE = 60
#: Names a 上报 confirmation spells out before "等" (the count is always given in full).
SUBMIT_NAMES_SHOWN = 10


def _tier_text(fen: int | None) -> str:
    """缴费档次 in yuan as the form shows it: 200 元 (tiers are whole yuan; cents shown when not)."""
    if fen is None:
        return ""
    yuan, cents = divmod(fen, 100)
    amount = f"{yuan}" if cents == 0 else f"{yuan}.{cents:02d}"
    return QCoreApplication.translate("ReviewPage", "%s 元") % amount


def _table(headers: list[str], name: str) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setObjectName(name)
    table.setHorizontalHeaderLabels(headers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setTabKeyNavigation(False)
    table.verticalHeader().setVisible(False)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setStretchLastSection(True)
    return table


class ReviewPage(QWidget):
    """审核: 待初审 (approve / return) and 退回的登记 (with reasons)."""

    def __init__(
        self,
        session_factory: SessionFactory,
        parent: QWidget | None = None,
        *,
        actor: Callable[[], Actor] = current_actor,
    ) -> None:
        super().__init__(parent)
        self._session_factory = session_factory
        self._actor = actor
        self.queue: list[RegistrationItem] = []
        self.returned: list[RegistrationItem] = []
        self.checked: list[RegistrationItem] = []
        self._names: dict[str, str] = {}
        self._births: dict[str, date] = {}

        self.operator_label = QLabel()
        self.operator_label.setObjectName("operatorLabel")
        self.message_label = QLabel()
        self.message_label.setObjectName("reviewMessage")
        self.message_label.setWordWrap(True)

        self.queue_table = _table(
            [
                self.tr("姓名"),
                self.tr("公民身份号码"),
                self.tr("年龄"),
                self.tr("村民小组"),
                self.tr("登记日期"),
                self.tr("参保身份"),
                self.tr("缴费档次"),
                self.tr("录入人"),
            ],
            "reviewQueue",
        )
        self.approve_button = QPushButton(self.tr("初审通过(&A)"))
        self.approve_button.setObjectName("approveButton")
        self.approve_button.setShortcut(QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_Return))
        self.approve_button.setToolTip(self.tr("快捷键 Ctrl+Enter"))
        self.approve_button.clicked.connect(lambda: self.approve_selected())
        self.return_button = QPushButton(self.tr("退回(&R)…"))
        self.return_button.setObjectName("returnButton")
        self.return_button.clicked.connect(lambda: self.return_selected())
        refresh = QPushButton(self.tr("刷新"))
        refresh.clicked.connect(self.reload)
        # None of these is a dialog's default button: inside the 审核 window, Enter alone would otherwise approve
        # (初审通过 is Ctrl+Enter) — the page decides nothing without a deliberate key or click.
        for button in (self.approve_button, self.return_button, refresh):
            button.setAutoDefault(False)
        queue_buttons = QHBoxLayout()
        queue_buttons.addWidget(self.approve_button)
        queue_buttons.addWidget(self.return_button)
        queue_buttons.addStretch(1)
        queue_buttons.addWidget(refresh)
        queue_page = QWidget()
        queue_layout = QVBoxLayout(queue_page)
        note = QLabel(self.tr("审核人只能“初审通过”或“退回”，不能修改登记内容；录入人和初审人不能是同一人。"))
        note.setWordWrap(True)
        queue_layout.addWidget(note)
        queue_layout.addWidget(self.queue_table, 1)
        queue_layout.addLayout(queue_buttons)

        self.checked_table = _table(
            [
                self.tr("姓名"),
                self.tr("公民身份号码"),
                self.tr("村民小组"),
                self.tr("登记日期"),
                self.tr("参保身份"),
                self.tr("缴费档次"),
                self.tr("初审人"),
            ],
            "checkedList",
        )
        self.checked_table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.submit_button = QPushButton(self.tr("上报(&U)…"))
        self.submit_button.setObjectName("submitButton")
        self.submit_button.setToolTip(self.tr("把选中的已初审登记上报乡镇和县社保机构（先确认）"))
        self.submit_button.clicked.connect(lambda: self.submit_selected())
        self.submit_button.setAutoDefault(False)
        checked_buttons = QHBoxLayout()
        checked_buttons.addWidget(self.submit_button)
        checked_buttons.addStretch(1)
        checked_page = QWidget()
        checked_layout = QVBoxLayout(checked_page)
        checked_note = QLabel(
            self.tr("这些登记已通过村级初审，还没有上报。默认全部选中；上报后村里不能再修改或撤回，要等县里审核。")
        )
        checked_note.setWordWrap(True)
        checked_layout.addWidget(checked_note)
        checked_layout.addWidget(self.checked_table, 1)
        checked_layout.addLayout(checked_buttons)

        self.returned_table = _table(
            [
                self.tr("姓名"),
                self.tr("公民身份号码"),
                self.tr("村民小组"),
                self.tr("登记日期"),
                self.tr("退回方"),
                self.tr("退回原因"),
            ],
            "returnedList",
        )
        # The reason is what the coordinator acts on: its column takes the room left and wraps, never "…".
        self.returned_table.setWordWrap(True)
        self.returned_table.setTextElideMode(Qt.TextElideMode.ElideNone)
        returned_header = self.returned_table.horizontalHeader()
        returned_header.setSectionResizeMode(RETURN_REASON_COLUMN, QHeaderView.ResizeMode.Stretch)
        self.returned_table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        returned_page = QWidget()
        returned_layout = QVBoxLayout(returned_page)
        returned_note = QLabel(self.tr("退回的登记不能直接修改：请在人员信息中更正后，重新办理参保登记。"))
        returned_note.setWordWrap(True)
        returned_layout.addWidget(returned_note)
        returned_layout.addWidget(self.returned_table, 1)

        self.tabs = QTabWidget()
        self.tabs.addTab(queue_page, self.tr("待初审"))
        self.tabs.addTab(checked_page, self.tr("待上报"))
        self.tabs.addTab(returned_page, self.tr("退回的登记"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.operator_label)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.message_label)
        self.reload()

    # --- reading --------------------------------------------------------------------------------------------

    def reload(self) -> None:
        """Re-read the queue (others' entries first, then the operator's own) and the returned list."""
        actor = self._actor()
        self.operator_label.setText(self.tr("当前操作员：%s") % (actor.display_name or actor.username))
        # 复核 is for 复核员 and 管理员 (gui/roles.py): the buttons say why they are off.
        allowed = may_review(actor)
        for button, tip in ((self.approve_button, self.tr("快捷键 Ctrl+Enter")), (self.return_button, "")):
            button.setEnabled(allowed)
            button.setToolTip(tip if allowed else review_refusal(actor))
        try:
            with self._session_factory() as session:
                village_id = current_village_id(session)
                others = registration.review_queue(session, actor, village_id=village_id)
                own = own_entered_registrations(session, actor.username, village_id=village_id)
                self.returned = registration.returned_registrations(session, village_id=village_id)
                self.checked = registration.checked_registrations(session, village_id=village_id)
                self._names = display_names(session)
                self._births = birth_dates(session, [item.person_id for item in others + own])
        except StoreError as error:
            show_store_error(self, error)
            return
        self.queue = others + own
        self._fill_queue(len(others))
        self._fill_checked()
        self._fill_returned()
        self.tabs.setTabText(0, self.tr("待初审（%d）") % len(self.queue))
        self.tabs.setTabText(1, self.tr("待上报（%d）") % len(self.checked))
        self.tabs.setTabText(2, self.tr("退回的登记（%d）") % len(self.returned))

    def _person_name(self, username: str | None) -> str:
        """A user as people know them (演示复核员, not ``reviewer``); a name not of this database as recorded."""
        if not username:
            return ""
        return self._names.get(username, username)

    def _age(self, item: RegistrationItem) -> int | None:
        """周岁 on the registration date."""
        birth = self._births.get(item.person_id)
        if birth is None or item.registered_on < birth:
            return None
        return age_on(birth, item.registered_on)

    def _fill_queue(self, others: int) -> None:
        table = self.queue_table
        table.setRowCount(len(self.queue))
        for row, item in enumerate(self.queue):
            own = row >= others
            entered = self._person_name(item.entered_by) or self.tr("（未记录）")
            age = self._age(item)
            cells = [
                item.name,
                item.id_number,
                "" if age is None else str(age),
                item.group_name or "",
                item.registered_on.isoformat(),
                item.category_code or self.tr("普通"),
                _tier_text(item.tier_fen),
                self.tr("%s（本人录入）") % entered if own else entered,
            ]
            for column, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                cell.setData(Qt.ItemDataRole.UserRole, item.registration_id)
                if own:
                    cell.setForeground(_OWN_COLOUR)
                    cell.setToolTip(self.tr("这是您本人录入的登记，需由其他工作人员初审"))
                if column == AGE_COLUMN:
                    cell.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                    if age is not None and age >= PENSION_AGE:  # a contributor's registration at 60+: look twice
                        cell.setForeground(_OLD_COLOUR)
                        font = cell.font()
                        font.setBold(True)
                        cell.setFont(font)
                        cell.setToolTip(self.tr("登记日已满%d周岁，请核对是否应办理待遇领取") % PENSION_AGE)
                table.setItem(row, column, cell)
        if self.queue:
            table.selectRow(0)

    def _fill_checked(self) -> None:
        """待上报, every row selected: usually the whole batch goes up together."""
        table = self.checked_table
        table.setRowCount(len(self.checked))
        for row, item in enumerate(self.checked):
            cells = [
                item.name,
                item.id_number,
                item.group_name or "",
                item.registered_on.isoformat(),
                item.category_code or self.tr("普通"),
                _tier_text(item.tier_fen),
                self._person_name(item.checked_by),
            ]
            for column, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                cell.setData(Qt.ItemDataRole.UserRole, item.registration_id)
                table.setItem(row, column, cell)
        table.selectAll()
        self.submit_button.setEnabled(bool(self.checked))

    def _fill_returned(self) -> None:
        table = self.returned_table
        table.setRowCount(len(self.returned))
        for row, item in enumerate(self.returned):
            cells = [
                item.name,
                item.id_number,
                item.group_name or "",
                item.registered_on.isoformat(),
                self.tr("县社保局")
                if item.returned_by_county
                else self.tr("村级初审（%s）") % self._person_name(item.checked_by),
                item.return_reason or "",
            ]
            for column, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                if column == RETURN_REASON_COLUMN:
                    cell.setToolTip(text)
                table.setItem(row, column, cell)

    def selected(self) -> RegistrationItem | None:
        """The registration selected in the queue."""
        rows = self.queue_table.selectionModel().selectedRows()
        if not rows or not 0 <= rows[0].row() < len(self.queue):
            return None
        return self.queue[rows[0].row()]

    def select_registration(self, registration_id: str) -> bool:
        """Select ``registration_id`` in the queue; False when it is not there."""
        for row, item in enumerate(self.queue):
            if item.registration_id == registration_id:
                self.queue_table.selectRow(row)
                return True
        return False

    # --- decisions ------------------------------------------------------------------------------------------

    def _say(self, text: str, *, error: bool) -> None:
        self.message_label.setText(text)
        self.message_label.setStyleSheet("color: #c62828;" if error else "color: #2e7d32;")

    def approve_selected(self) -> bool:
        """初审通过 for the selected registration; a refusal (e.g. one's own entry) is said below the list."""
        item = self.selected()
        if item is None:
            self._say(self.tr("请先在列表中选择一份登记"), error=True)
            return False
        if not may_review(self._actor()):
            self._say(review_refusal(self._actor()), error=True)
            return False
        try:
            with self._session_factory() as session:
                registration.village_check(session, self._actor(), item.registration_id)
        except ServiceError as error:
            self._say(error.user_message, error=True)
            return False
        except StoreError as error:
            show_store_error(self, error)
            return False
        self.reload()
        self._say(self.tr("%s 的参保登记已初审通过，可以上报。") % item.name, error=False)
        return True

    def return_selected(self, reason: str | None = None) -> bool:
        """退回… the selected registration with a reason (asked for when ``reason`` is not given)."""
        item = self.selected()
        if item is None:
            self._say(self.tr("请先在列表中选择一份登记"), error=True)
            return False
        if reason is None:
            dialog = ReturnReasonDialog(item.name, self)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return False
            reason = dialog.reason
        try:
            with self._session_factory() as session:
                registration.village_return(session, self._actor(), item.registration_id, reason=reason)
        except ServiceError as error:
            self._say(error.user_message, error=True)
            return False
        except StoreError as error:
            show_store_error(self, error)
            return False
        self.reload()
        self._say(self.tr("%s 的参保登记已退回，原因：%s") % (item.name, reason.strip()), error=False)
        return True

    def selected_checked(self) -> list[RegistrationItem]:
        """The registrations selected in 待上报, in list order."""
        rows = sorted(index.row() for index in self.checked_table.selectionModel().selectedRows())
        return [self.checked[row] for row in rows if 0 <= row < len(self.checked)]

    def submit_selected(self) -> int:
        """上报 the selected checked registrations, after asking; how many were submitted (0: none)."""
        items = self.selected_checked()
        if not items:
            self._say(self.tr("请先在“待上报”中选择要上报的登记"), error=True)
            return 0
        names = "、".join(item.name for item in items[:SUBMIT_NAMES_SHOWN])
        if len(items) > SUBMIT_NAMES_SHOWN:
            names += self.tr(" 等")
        question = self.tr(
            "确定要把 %d 人的参保登记上报乡镇和县社保机构吗？\n\n%s\n\n"
            "上报后村里不能再修改或撤回，要等县里审核；退回后要重新登记。"
        ) % (len(items), names)
        if not confirm(self, self.tr("上报"), question, yes=self.tr("上报 %d 人(&Y)") % len(items)):
            return 0
        try:
            with self._session_factory() as session:
                done = registration.submit(session, self._actor(), [item.registration_id for item in items])
                count = len(done)
        except ServiceError as error:
            self._say(error.user_message, error=True)
            return 0
        except StoreError as error:
            show_store_error(self, error)
            return 0
        self.reload()
        self._say(self.tr("已上报 %d 人的参保登记，县里审核通过后（同步时收到）即为参保缴费。") % count, error=False)
        return count


class ReturnReasonDialog(QDialog):
    """退回原因: one line the person who entered the form will read."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("退回 %s 的参保登记") % name)
        self.reason_edit = QLineEdit()
        self.reason_edit.setObjectName("returnReason")
        self.reason_edit.setPlaceholderText(self.tr("例如：身份证复印件不清楚，请重新提供"))
        form = QFormLayout()
        form.addRow(self.tr("退回原因："), self.reason_edit)
        ok = QPushButton(self.tr("退回"))
        ok.setDefault(True)
        ok.clicked.connect(self.accept)
        cancel = QPushButton(self.tr("取消"))
        cancel.setAutoDefault(False)
        cancel.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(ok)
        buttons.addWidget(cancel)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(buttons)
        self.resize(520, 0)

    @property
    def reason(self) -> str:
        return self.reason_edit.text()


class ReviewDialog(QDialog):
    """审核 as a window of its own, opened from the person page."""

    def __init__(
        self,
        session_factory: SessionFactory,
        parent: QWidget | None = None,
        *,
        actor: Callable[[], Actor] = current_actor,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("审核（村级初审、上报）"))
        self.page = ReviewPage(session_factory, self, actor=actor)
        close = QPushButton(self.tr("关闭"))
        close.setAutoDefault(False)
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.page, 1)
        layout.addLayout(buttons)
        self.resize(980, 560)
