"""The household view (家庭): the selected person's household — head first, members with their relations.

From here the coordinator moves a member into another household (迁入他户), makes a member the head (设为户主),
or starts a new household with a person as its head (单独立户). Every change goes through
:mod:`pensiondesk.services.people`, which refuses what would break a household (a head leaving members behind)
and says why in plain Chinese; the view re-reads the household afterwards.
"""

from __future__ import annotations

from collections.abc import Callable

from pensiondesk.domain.codes import PersonStatus, Relation
from pensiondesk.gui.errors import show_error, show_store_error
from pensiondesk.gui.person_form import current_actor
from pensiondesk.gui.person_model import SessionFactory
from pensiondesk.gui.qt import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    Qt,
    QTableWidget,
    QTableWidgetItem,
    QTimer,
    QVBoxLayout,
    QWidget,
)
from pensiondesk.gui.roles import entry_tip
from pensiondesk.services import people
from pensiondesk.services.people_types import ServiceError
from pensiondesk.services.person_queries import (
    HouseholdChoice,
    HouseholdView,
    current_village_id,
    household_choices,
    household_of,
    person_detail,
)
from pensiondesk.services.recording import Actor
from pensiondesk.store.errors import StoreError

__all__ = ["HouseholdDialog", "MoveDialog", "NewHeadDialog"]


def _relation_combo(exclude_head: bool = True) -> QComboBox:
    combo = QComboBox()
    for relation in Relation:
        if exclude_head and relation is Relation.HEAD:
            continue
        combo.addItem(relation.label, relation.value)
    return combo


class HouseholdDialog(QDialog):
    """家庭: the household of ``person_id``, with 迁入他户, 设为户主 and 单独立户."""

    def __init__(
        self,
        session_factory: SessionFactory,
        person_id: str,
        parent: QWidget | None = None,
        *,
        actor: Callable[[], Actor] = current_actor,
    ) -> None:
        super().__init__(parent)
        self._session_factory = session_factory
        self._person_id = person_id
        self._actor = actor
        self.household: HouseholdView | None = None
        self.changed = False

        self.heading = QLabel()
        self.heading.setObjectName("householdHeading")
        heading_font = self.heading.font()
        heading_font.setPointSizeF(heading_font.pointSizeF() * 1.2)
        heading_font.setBold(True)
        self.heading.setFont(heading_font)
        self.facts = QLabel()
        self.facts.setWordWrap(True)
        self.table = QTableWidget(0, 4)
        self.table.setObjectName("householdMembers")
        self.table.setHorizontalHeaderLabels(
            [self.tr("姓名"), self.tr("公民身份号码"), self.tr("与户主关系"), self.tr("参保状态")]
        )
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setTabKeyNavigation(False)

        self.move_button = QPushButton(self.tr("迁入他户(&M)…"))
        self.move_button.setObjectName("moveButton")
        self.move_button.clicked.connect(self.move_selected)
        self.head_button = QPushButton(self.tr("设为户主(&H)…"))
        self.head_button.setObjectName("setHeadButton")
        self.head_button.clicked.connect(self.make_selected_head)
        self.new_household_button = QPushButton(self.tr("单独立户(&N)"))
        self.new_household_button.setObjectName("newHouseholdButton")
        self.new_household_button.clicked.connect(self.start_household)
        close = QPushButton(self.tr("关闭"))
        close.clicked.connect(self.accept)
        for button in (self.move_button, self.head_button, self.new_household_button, close):
            button.setAutoDefault(False)
        buttons = QHBoxLayout()
        buttons.addWidget(self.move_button)
        buttons.addWidget(self.head_button)
        buttons.addWidget(self.new_household_button)
        buttons.addStretch(1)
        buttons.addWidget(close)

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.facts)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.resize(760, 420)
        self.reload()

    # --- reading --------------------------------------------------------------------------------------------

    def reload(self) -> None:
        """Re-read the household (after a change, or when opened) and select the person it was opened for."""
        with self._session_factory() as session:
            self.household = household_of(session, self._person_id)
            detail = person_detail(session, self._person_id)
        name = detail.name if detail is not None else ""
        household = self.household
        self.table.setRowCount(0)
        if household is None:
            self.setWindowTitle(self.tr("家庭 — %s") % name)
            self.heading.setText(self.tr("%s 还没有归入任何一户") % name)
            self.facts.setText(self.tr("可以点“单独立户”让他（她）当户主，或点“迁入他户”加入已有的一户。"))
            self._update_buttons()
            return
        head = household.head_name or self.tr("（未指定户主）")
        self.setWindowTitle(self.tr("家庭 — 户主：%s") % head)
        self.heading.setText(self.tr("户主：%s　　共 %d 人") % (head, len(household.members)))
        parts = [
            self.tr("户号：%s") % (household.number or self.tr("未填")),
            self.tr("村民小组：%s") % (household.group_name or self.tr("未分组")),
            self.tr("地址：%s") % (household.address or self.tr("未填")),
        ]
        self.facts.setText("　　".join(parts))
        self.table.setRowCount(len(household.members))
        selected_row = 0
        for row, member in enumerate(household.members):
            relation = self.tr("户主") if member.is_head else (member.relation.label if member.relation else "")
            cells = [member.name, member.id_number, relation, member.status.label]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, member.person_id)
                if member.status is PersonStatus.TERMINATED:
                    item.setForeground(Qt.GlobalColor.gray)
                if member.is_head:
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                self.table.setItem(row, column, item)
            if member.person_id == self._person_id:
                selected_row = row
        self.table.selectRow(selected_row)
        self._update_buttons()

    def selected_person_id(self) -> str | None:
        """The member selected in the table (the person the view was opened for, until another is chosen)."""
        if self.household is None:
            return self._person_id
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        item = self.table.item(rows[0].row(), 0)
        return str(item.data(Qt.ItemDataRole.UserRole)) if item is not None else None

    def _update_buttons(self) -> None:
        household = self.household
        selected = self.selected_person_id()
        is_head = household is not None and selected is not None and selected == household.head_person_id
        # A 复核员 sees the household but never changes it (domain.md §14); the buttons say why.
        refusal = entry_tip(self._actor())
        allowed = not refusal
        self.head_button.setEnabled(allowed and household is not None and selected is not None and not is_head)
        self.move_button.setEnabled(allowed and selected is not None)
        self.new_household_button.setEnabled(
            allowed and selected is not None and not (is_head and household is not None)
        )
        for button in (self.move_button, self.head_button, self.new_household_button):
            button.setToolTip(refusal)

    # --- changes --------------------------------------------------------------------------------------------

    def _run(self, action: Callable[[], object], done: str) -> bool:
        """Run one change (its own transaction); refusals are shown, success re-reads the household."""
        try:
            action()
        except ServiceError as error:
            show_error(self, error.user_message, self.tr("不能办理"))
            return False
        except StoreError as error:
            show_store_error(self, error)
            return False
        self.changed = True
        self.reload()
        QMessageBox.information(self, self.tr("已办理"), done)
        return True

    def move_selected(self) -> None:
        """迁入他户…: choose the household and the relation to its head, then move the selected member."""
        person_id = self.selected_person_id()
        if person_id is None:
            return
        with self._session_factory() as session:
            village_id = current_village_id(session)
        if village_id is None:
            show_error(self, self.tr("还没有设置本村；请先在设置中选择本村"))
            return
        current = self.household.household_id if self.household is not None else None
        dialog = MoveDialog(self._session_factory, village_id, current, self)
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.choice is None:
            return
        choice, relation = dialog.choice, dialog.relation

        def act() -> None:
            with self._session_factory() as session:
                people.move_to_household(session, self._actor(), person_id, choice.household_id, relation)

        self._run(act, self.tr("已迁入%s户。") % choice.head_name)

    def make_selected_head(self) -> None:
        """设为户主…: the selected member becomes head; the old head's new relation is asked for."""
        household = self.household
        person_id = self.selected_person_id()
        if household is None or person_id is None:
            return
        dialog = NewHeadDialog(household.head_name, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        relation = dialog.relation

        def act() -> None:
            with self._session_factory() as session:
                people.set_household_head(
                    session, self._actor(), household.household_id, person_id, old_head_relation=relation
                )

        self._run(act, self.tr("户主已变更；请核对其他成员与新户主的关系。"))

    def start_household(self) -> None:
        """单独立户: the selected person becomes the head of a new household."""
        person_id = self.selected_person_id()
        if person_id is None:
            return

        def act() -> None:
            with self._session_factory() as session:
                people.create_household(session, self._actor(), person_id)

        if self._run(act, self.tr("已单独立户，本人为户主。")):
            self._person_id = person_id
            self.reload()


class MoveDialog(QDialog):
    """迁入他户: find the destination household by its head's name (or the last digits of the head's ID)."""

    def __init__(
        self,
        session_factory: SessionFactory,
        village_id: str,
        current_household_id: str | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._session_factory = session_factory
        self._village_id = village_id
        self._current = current_household_id
        self.choice: HouseholdChoice | None = None
        self.relation: Relation = Relation.OTHER
        self.setWindowTitle(self.tr("迁入他户"))
        self.search = QLineEdit()
        self.search.setObjectName("householdSearch")
        self.search.setPlaceholderText(self.tr("输入户主姓名，或户主身份证号后几位"))
        self.list = QListWidget()
        self.list.setObjectName("householdChoices")
        self.relation_combo = _relation_combo()
        self.relation_combo.setObjectName("moveRelation")
        form = QFormLayout()
        form.addRow(self.tr("查找户主："), self.search)
        form.addRow(self.tr("迁入的户："), self.list)
        form.addRow(self.tr("与新户主关系："), self.relation_combo)
        ok = QPushButton(self.tr("迁入"))
        ok.setObjectName("confirmMove")
        ok.setDefault(True)
        ok.clicked.connect(self._accept_choice)
        cancel = QPushButton(self.tr("取消"))
        cancel.setAutoDefault(False)
        cancel.clicked.connect(self.reject)
        self.hint = QLabel()
        self.hint.setStyleSheet("color: #c62828;")
        buttons = QHBoxLayout()
        buttons.addWidget(self.hint, 1)
        buttons.addWidget(ok)
        buttons.addWidget(cancel)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(buttons)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(200)
        self._debounce.timeout.connect(self.refresh)
        self.search.textChanged.connect(self._debounce.start)
        self.list.itemDoubleClicked.connect(lambda _item: self._accept_choice())
        self.resize(560, 420)
        self.refresh()

    def refresh(self) -> None:
        """List the households whose head matches what is typed."""
        with self._session_factory() as session:
            self._choices = household_choices(
                session, self._village_id, self.search.text(), exclude_household_id=self._current
            )
        self.list.clear()
        for choice in self._choices:
            text = self.tr("%s（%s，户号 %s，%d 人）") % (
                choice.head_name,
                choice.group_name or self.tr("未分组"),
                choice.number or self.tr("未填"),
                choice.size,
            )
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, choice.household_id)
            self.list.addItem(item)
        if self._choices:
            self.list.setCurrentRow(0)

    def _accept_choice(self) -> None:
        if self._debounce.isActive():  # Enter right after typing: the list is not yet what was typed; show it first
            self._debounce.stop()
            self.refresh()
            return
        row = self.list.currentRow()
        if not 0 <= row < len(self._choices):
            self.hint.setText(self.tr("请先选择要迁入的户"))
            return
        self.choice = self._choices[row]
        code = self.relation_combo.currentData()
        self.relation = Relation(code) if code else Relation.OTHER
        self.accept()


class NewHeadDialog(QDialog):
    """设为户主: what the old head becomes to the new one (e.g. 父母, 配偶)."""

    def __init__(self, old_head_name: str | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("变更户主"))
        self.relation_combo = _relation_combo()
        self.relation_combo.setObjectName("oldHeadRelation")
        self.relation_combo.setCurrentIndex(max(0, self.relation_combo.findData(Relation.PARENT.value)))
        who = old_head_name or self.tr("原户主")
        form = QFormLayout()
        form.addRow(self.tr("%s 与新户主的关系：") % who, self.relation_combo)
        ok = QPushButton(self.tr("确定"))
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

    @property
    def relation(self) -> Relation:
        code = self.relation_combo.currentData()
        return Relation(code) if code else Relation.OTHER
