"""The household view (家庭): the selected person's household — head first, members with their relations.

From here the coordinator moves a member into another household (迁入他户), makes a member the head (设为户主),
corrects a member's relation to the head (改关系) or starts a new household with a person as its head (单独立户).
Every change goes through :mod:`pensiondesk.services.people`, which refuses what would break a household (a head
leaving members behind) and says why in plain Chinese; the view re-reads the household afterwards.

After 设为户主 the other members still carry their relation to the old head: the service marks them 待核对 (kept
in the database, with the relation :mod:`pensiondesk.domain.households` suggests where the old relations tell it),
and the view at once walks the coordinator through them one by one (改关系); each is confirmed or changed by a
person, never rewritten silently. Esc stops the walk; the rest stay marked — here whenever the household is
opened again, and in the person list (关系待核对) — until they are checked.
"""

from __future__ import annotations

from collections.abc import Callable

from pensiondesk.domain.codes import PersonStatus, Relation
from pensiondesk.domain.households import old_head_becomes
from pensiondesk.gui.errors import show_error, show_store_error
from pensiondesk.gui.person_form import current_actor
from pensiondesk.gui.person_model import SessionFactory
from pensiondesk.gui.qt import (
    QAbstractItemView,
    QColor,
    QComboBox,
    QCoreApplication,
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
    HouseholdMember,
    HouseholdView,
    current_village_id,
    household_choices,
    household_of,
    person_detail,
)
from pensiondesk.services.recording import Actor
from pensiondesk.store.errors import StoreError

__all__ = ["HouseholdDialog", "MoveDialog", "NewHeadDialog", "RelationDialog"]

#: Background of a relation still stated against the old head (待核对).
TO_CHECK_COLOUR = "#fff3c4"


def _relation_combo(*, choose_first: bool = False) -> QComboBox:
    """The relations a member may have to the head (户主 excluded); ``choose_first``: start on an empty choice."""
    combo = QComboBox()
    if choose_first:
        combo.addItem(QCoreApplication.translate("household_view", "（请选择）"), None)
    for relation in Relation:
        if relation is not Relation.HEAD:
            combo.addItem(relation.label, relation.value)
    return combo


def _chosen(combo: QComboBox) -> Relation | None:
    code = combo.currentData()
    return Relation(code) if code else None


class HouseholdDialog(QDialog):
    """家庭: the household of ``person_id``, with 迁入他户, 设为户主, 改关系 and 单独立户."""

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
        self.check_hint = QLabel()
        self.check_hint.setObjectName("relationCheckHint")
        self.check_hint.setWordWrap(True)
        self.check_hint.setStyleSheet("color: #8a5a00;")
        self.check_hint.hide()
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
        self.relation_button = QPushButton(self.tr("改关系(&R)…"))
        self.relation_button.setObjectName("relationButton")
        self.relation_button.clicked.connect(self.change_selected_relation)
        self.new_household_button = QPushButton(self.tr("单独立户(&N)"))
        self.new_household_button.setObjectName("newHouseholdButton")
        self.new_household_button.clicked.connect(self.start_household)
        close = QPushButton(self.tr("关闭"))
        close.clicked.connect(self.accept)
        changes = (self.move_button, self.head_button, self.relation_button, self.new_household_button)
        for button in (*changes, close):
            button.setAutoDefault(False)
        buttons = QHBoxLayout()
        for button in changes:
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(close)

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.facts)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.check_hint)
        layout.addLayout(buttons)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.resize(760, 420)
        self.reload()

    # --- reading --------------------------------------------------------------------------------------------

    @property
    def to_check(self) -> dict[str, Relation | None]:
        """Members whose relation is still the one to an earlier head (待核对), with the suggested new relation."""
        if self.household is None:
            return {}
        return {member.person_id: member.suggested for member in self.household.to_check}

    def reload(self, select: str | None = None) -> None:
        """Re-read the household (after a change, or when opened); select ``select``, else the person it was
        opened for."""
        with self._session_factory() as session:
            self.household = household_of(session, self._person_id)
            detail = person_detail(session, self._person_id)
        name = detail.name if detail is not None else ""
        household = self.household
        self.table.setRowCount(0)
        if household is None:
            self.check_hint.hide()
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
        wanted = select or self._person_id
        selected_row = 0
        for row, member in enumerate(household.members):
            relation = self.tr("户主") if member.is_head else (member.relation.label if member.relation else "")
            pending = member.to_check
            if pending:
                relation = self.tr("%s（待核对）") % relation
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
                if pending and column == 2:
                    item.setBackground(QColor(TO_CHECK_COLOUR))
                    since = member.check_since.isoformat() if member.check_since else ""
                    item.setToolTip(
                        self.tr("这是与原户主 %s 的关系，%s 户主变更后还没有核对；选中后点“改关系”")
                        % (member.old_head_name or self.tr("（未记录）"), since)
                    )
                self.table.setItem(row, column, item)
            if member.person_id == wanted:
                selected_row = row
        pending_count = len(household.to_check)
        if pending_count:
            self.check_hint.setText(
                self.tr("户主已变更：标“待核对”的 %d 人与户主的关系还是对原户主的，请选中后点“改关系”（Alt+R）核对。")
                % pending_count
            )
        self.check_hint.setVisible(bool(pending_count))
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

    def _member(self, person_id: str | None) -> HouseholdMember | None:
        if self.household is None or person_id is None:
            return None
        return next((m for m in self.household.members if m.person_id == person_id), None)

    def _update_buttons(self) -> None:
        household = self.household
        selected = self.selected_person_id()
        is_head = household is not None and selected is not None and selected == household.head_person_id
        # A 复核员 sees the household but never changes it (domain.md §14); the buttons say why.
        refusal = entry_tip(self._actor())
        allowed = not refusal
        member = allowed and household is not None and selected is not None and not is_head
        self.head_button.setEnabled(member)
        self.relation_button.setEnabled(member)
        self.move_button.setEnabled(allowed and selected is not None)
        self.new_household_button.setEnabled(
            allowed and selected is not None and not (is_head and household is not None)
        )
        for button in (self.move_button, self.head_button, self.relation_button, self.new_household_button):
            button.setToolTip(refusal)

    # --- changes --------------------------------------------------------------------------------------------

    def _run(self, action: Callable[[], object], done: str | None, select: str | None = None) -> bool:
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
        self.reload(select)
        if done:
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
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.choice is None or dialog.relation is None:
            return
        choice, relation = dialog.choice, dialog.relation

        def act() -> None:
            with self._session_factory() as session:
                people.move_to_household(session, self._actor(), person_id, choice.household_id, relation)

        self._run(act, self.tr("已迁入%s户。") % choice.head_name)

    def make_selected_head(self) -> None:
        """设为户主…: the selected member becomes head; the old head's new relation is asked for, then each other
        member's relation is checked in turn (改关系)."""
        household = self.household
        person_id = self.selected_person_id()
        new_head = self._member(person_id)
        if household is None or person_id is None or new_head is None:
            return
        old_head = self._member(household.head_person_id)
        others = [m for m in household.members if not m.is_head and m.person_id != person_id]
        dialog = NewHeadDialog(
            household.head_name,
            self,
            suggestion=old_head_becomes(new_head.relation, old_head.sex if old_head is not None else None),
        )
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        relation = dialog.relation

        def act() -> None:
            with self._session_factory() as session:
                people.set_household_head(
                    session, self._actor(), household.household_id, person_id, old_head_relation=relation
                )

        done = None if others else self.tr("户主已变更。")
        if not self._run(act, done, select=others[0].person_id if others else person_id):
            return
        self.check_relations()

    def check_relations(self) -> None:
        """Walk the members still 待核对, one 改关系 each, in the table's order; Esc stops (they stay marked)."""
        total = len(self.to_check)
        step = 0
        while self.to_check and self.household is not None:
            order = [m.person_id for m in self.household.members if m.person_id in self.to_check]
            if not order:
                break
            step += 1
            if not self._edit_relation(order[0], (min(step, total), total)):
                break

    def change_selected_relation(self) -> None:
        """改关系…: the selected member's relation to the head (待核对 after a head change, or any correction)."""
        person_id = self.selected_person_id()
        if person_id is not None:
            self._edit_relation(person_id)

    def _edit_relation(self, person_id: str, step: tuple[int, int] | None = None) -> bool:
        """Ask for one member's relation and change or confirm it; True when it was confirmed or changed."""
        household = self.household
        member = self._member(person_id)
        if household is None or member is None or member.is_head:
            return False
        dialog = RelationDialog(
            member.name,
            household.head_name,
            member.relation,
            old_head_name=(member.old_head_name or self.tr("原户主")) if member.to_check else None,
            suggestion=member.suggested,
            step=step,
            parent=self,
        )
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.relation is None:
            return False
        relation = dialog.relation
        if relation == member.relation and not member.to_check:
            return True  # the same relation, nothing to confirm: nothing to write

        def act() -> None:
            # The same relation confirms it (the 待核对 mark goes); another one changes it (and the mark goes).
            with self._session_factory() as session:
                people.set_relation(session, self._actor(), person_id, relation, base_version=member.version)

        return self._run(act, None, select=person_id)

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
    """迁入他户: find the destination household by its head's name (or the last digits of the head's ID) and say
    how the person is related to its head — chosen each time, never assumed."""

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
        self.relation: Relation | None = None
        self.setWindowTitle(self.tr("迁入他户"))
        self.search = QLineEdit()
        self.search.setObjectName("householdSearch")
        self.search.setPlaceholderText(self.tr("输入户主姓名，或户主身份证号后几位"))
        self.list = QListWidget()
        self.list.setObjectName("householdChoices")
        self.relation_combo = _relation_combo(choose_first=True)
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
        self.hint.setObjectName("moveHint")
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
        self.relation_combo.currentIndexChanged.connect(lambda _index: self.hint.clear())
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
        relation = _chosen(self.relation_combo)
        if relation is None:
            self.hint.setText(self.tr("请选择与新户主的关系（用 ↑ ↓ 选），再按“迁入”"))
            self.relation_combo.setFocus()
            return
        self.choice = self._choices[row]
        self.relation = relation
        self.accept()


class NewHeadDialog(QDialog):
    """设为户主: what the old head becomes to the new one (e.g. 父母, 配偶); ``suggestion`` is pre-selected."""

    def __init__(
        self, old_head_name: str | None, parent: QWidget | None = None, *, suggestion: Relation | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("变更户主"))
        self.relation_combo = _relation_combo()
        self.relation_combo.setObjectName("oldHeadRelation")
        preselected = suggestion or Relation.PARENT
        self.relation_combo.setCurrentIndex(max(0, self.relation_combo.findData(preselected.value)))
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
        return _chosen(self.relation_combo) or Relation.OTHER


class RelationDialog(QDialog):
    """改关系: one member's relation to the head, chosen from the list with ↑ ↓ and confirmed with Enter.

    After a head change (``old_head_name`` given) the member's relation is still the one to the old head: the
    dialog says so and starts on ``suggestion`` when there is one, else on an empty choice that must be made.
    Otherwise it starts on the current relation. Esc cancels.
    """

    def __init__(
        self,
        name: str,
        head_name: str | None,
        current: Relation | None,
        *,
        old_head_name: str | None = None,
        suggestion: Relation | None = None,
        step: tuple[int, int] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        head = head_name or self.tr("户主")
        if step is not None:
            self.setWindowTitle(self.tr("核对与新户主的关系（%d/%d）— %s") % (step[0], step[1], name))
        else:
            self.setWindowTitle(self.tr("改关系 — %s") % name)
        current_label = current.label if current is not None else self.tr("未填")
        if old_head_name is not None:
            intro = self.tr("户主已由 %s 变更为 %s。%s 原来与户主 %s 的关系是“%s”。") % (
                old_head_name,
                head,
                name,
                old_head_name,
                current_label,
            )
        else:
            intro = self.tr("%s 现在与户主 %s 的关系是“%s”。") % (name, head, current_label)
        self.intro = QLabel(intro)
        self.intro.setWordWrap(True)
        self.relation_combo = _relation_combo(choose_first=True)
        self.relation_combo.setObjectName("memberRelation")
        start = suggestion if old_head_name is not None else current
        if start is not None and start is not Relation.HEAD:
            self.relation_combo.setCurrentIndex(max(0, self.relation_combo.findData(start.value)))
        self.suggested = QLabel()
        self.suggested.setWordWrap(True)
        self.suggested.setStyleSheet("color: #555;")
        if old_head_name is not None:
            self.suggested.setText(
                self.tr("已按原来的关系预选“%s”，请对照户口簿核对；用 ↑ ↓ 改选，回车确认，Esc 暂不核对。")
                % suggestion.label
                if suggestion is not None
                else self.tr("请对照户口簿用 ↑ ↓ 选择，回车确认，Esc 暂不核对。")
            )
        form = QFormLayout()
        form.addRow(self.tr("%s 与户主 %s 的关系：") % (name, head), self.relation_combo)
        ok = QPushButton(self.tr("确定"))
        ok.setObjectName("confirmRelation")
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
        layout.addWidget(self.intro)
        layout.addLayout(form)
        if self.suggested.text():
            layout.addWidget(self.suggested)
        layout.addLayout(buttons)
        self.relation_combo.currentIndexChanged.connect(lambda _index: self.hint.clear())
        self.relation_combo.setFocus()
        # Wide enough for the sentences, and as tall as they wrap at that width (adjustSize asks the layout's
        # height for the width; a fixed resize would cut the wrapped lines).
        self.setMinimumWidth(560)
        self.adjustSize()

    @property
    def relation(self) -> Relation | None:
        return _chosen(self.relation_combo)

    def _accept_choice(self) -> None:
        if self.relation is None:
            self.hint.setText(self.tr("请先选择关系"))
            return
        self.accept()
