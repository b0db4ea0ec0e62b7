"""疑似重复登记排查 (Ctrl+D on the person list): the village's likely duplicates, for a person to decide.

Each row is a pair the check flags (``services.duplicates``): the reason (姓名和出生日期相同 / 身份证号只差一位…)
and both persons. The coordinator checks the 户口簿 and either

* 查看甲 / 查看乙 — closes the window and selects that person in the list, to correct the wrong record there
  (修改关键信息…); a corrected pair is no longer flagged; or
* 不是同一人… — with a note on how it was checked; the pair is no longer shown. 显示已判定的 lists those too,
  and 撤销判定 brings one back.

A 复核员 may look but not decide (domain.md §14). Every decision is written with its audit entry.
"""

from __future__ import annotations

from collections.abc import Callable

from pensiondesk.gui.errors import show_error, show_store_error
from pensiondesk.gui.person_form import current_actor
from pensiondesk.gui.person_model import SessionFactory
from pensiondesk.gui.qt import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    Qt,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    Signal,
)
from pensiondesk.gui.roles import entry_tip
from pensiondesk.gui.table_headers import heading
from pensiondesk.services import duplicates
from pensiondesk.services.duplicates import DuplicateItem
from pensiondesk.services.people import DuplicatePerson
from pensiondesk.services.people_types import ServiceError
from pensiondesk.services.person_queries import current_village_id
from pensiondesk.services.recording import Actor
from pensiondesk.store.errors import StoreError

__all__ = ["DismissDialog", "DuplicatesDialog"]

COLUMNS = ("疑似原因", "甲", "乙", "村民小组", "判定")


def _who(person: DuplicatePerson) -> str:
    return f"{person.name}（{person.birth_date.isoformat()}，{person.status.label}）"


def _card(person: DuplicatePerson) -> str:
    """A person's cell: name, ID number, birth date and status on three lines (the two sides read across)."""
    return f"{person.name}\n{person.id_number}\n{person.birth_date.isoformat()} · {person.status.label}"


class DismissDialog(QDialog):
    """不是同一人: how the pair was checked (optional), then 确定."""

    def __init__(self, item: DuplicateItem, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        pair = item.pair
        self.setWindowTitle(self.tr("判定不是同一人"))
        text = QLabel(
            self.tr("%s\n%s\n%s\n\n确认这是两个不同的人？确认后这一对不再列为疑似重复（可以撤销）。")
            % (
                pair.reason,
                f"{_who(pair.first)}  {pair.first.id_number}",
                f"{_who(pair.second)}  {pair.second.id_number}",
            )
        )
        text.setWordWrap(True)
        self.note_edit = QLineEdit()
        self.note_edit.setObjectName("dismissNote")
        self.note_edit.setMaxLength(duplicates.NOTE_MAX)
        self.note_edit.setPlaceholderText(self.tr("例如：核对户口簿，系双胞胎"))
        form = QFormLayout()
        form.addRow(self.tr("核对情况(&N)："), self.note_edit)
        self.ok_button = QPushButton(self.tr("不是同一人(&Y)"))
        self.ok_button.setDefault(True)
        self.ok_button.clicked.connect(self.accept)
        cancel = QPushButton(self.tr("取消"))
        cancel.setAutoDefault(False)
        cancel.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.ok_button)
        buttons.addWidget(cancel)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addLayout(form)
        layout.addLayout(buttons)
        self.note_edit.setFocus()
        self.resize(620, 0)

    @property
    def note(self) -> str:
        return self.note_edit.text()


class DuplicatesDialog(QDialog):
    """疑似重复登记排查: the flagged pairs, 查看甲/乙, 不是同一人…, 撤销判定."""

    #: A person to select in the list (查看甲/乙); the dialog has closed.
    show_person_requested = Signal(str)

    def __init__(
        self,
        session_factory: SessionFactory,
        parent: QWidget | None = None,
        *,
        actor: Callable[[], Actor] = current_actor,
        ask_note: Callable[[QWidget, DuplicateItem], str | None] | None = None,
    ) -> None:
        super().__init__(parent)
        self._session_factory = session_factory
        self._actor = actor
        self._ask_note = ask_note or _ask_note
        self.items: list[DuplicateItem] = []
        #: True once a decision was written (the list behind may show other counts).
        self.changed = False
        with session_factory() as session:
            self._village_id = current_village_id(session)
        self.setWindowTitle(self.tr("疑似重复登记排查"))

        self.summary = QLabel()
        self.summary.setObjectName("duplicatesSummary")
        self.summary.setWordWrap(True)
        self.show_dismissed = QCheckBox(self.tr("显示已判定不是同一人的(&A)"))
        self.show_dismissed.setObjectName("showDismissed")
        self.show_dismissed.toggled.connect(lambda _on: self.reload())
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("duplicatePairs")
        self.table.setHorizontalHeaderLabels([heading(c) for c in COLUMNS])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setTabKeyNavigation(False)
        self.table.setWordWrap(True)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)  # the reason wraps; the rest fit
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.itemSelectionChanged.connect(self._update_buttons)

        self.first_button = QPushButton(self.tr("查看甲(&1)"))
        self.first_button.setObjectName("showFirst")
        self.first_button.clicked.connect(lambda _checked=False: self._show_person(first=True))
        self.second_button = QPushButton(self.tr("查看乙(&2)"))
        self.second_button.setObjectName("showSecond")
        self.second_button.clicked.connect(lambda _checked=False: self._show_person(first=False))
        self.dismiss_button = QPushButton(self.tr("不是同一人(&D)…"))
        self.dismiss_button.setObjectName("dismissDuplicate")
        self.dismiss_button.clicked.connect(lambda _checked=False: self.dismiss_selected())
        self.undo_button = QPushButton(self.tr("撤销判定(&U)"))
        self.undo_button.setObjectName("undoDismissal")
        self.undo_button.clicked.connect(lambda _checked=False: self.undo_selected())
        close = QPushButton(self.tr("关闭"))
        close.clicked.connect(self.accept)
        for each in (self.first_button, self.second_button, self.dismiss_button, self.undo_button, close):
            each.setAutoDefault(False)
        buttons = QHBoxLayout()
        for each in (self.first_button, self.second_button, self.dismiss_button, self.undo_button):
            buttons.addWidget(each)
        buttons.addStretch(1)
        buttons.addWidget(close)

        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.show_dismissed)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        QWidget.setTabOrder(self.table, self.first_button)
        QWidget.setTabOrder(self.first_button, self.second_button)
        QWidget.setTabOrder(self.second_button, self.dismiss_button)
        QWidget.setTabOrder(self.dismiss_button, self.undo_button)
        QWidget.setTabOrder(self.undo_button, close)
        QWidget.setTabOrder(close, self.show_dismissed)
        self.resize(1180, 520)
        self.reload()
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    # --- reading --------------------------------------------------------------------------------------------

    def reload(self, keep: tuple[str, str, str] | None = None) -> None:
        """Re-read the pairs (after a decision, or when 显示已判定的 changes), keeping the selection if it is there."""
        if self._village_id is None:
            self.items = []
        else:
            with self._session_factory() as session:
                self.items = duplicates.likely_duplicates(
                    session, self._village_id, include_dismissed=self.show_dismissed.isChecked()
                )
        open_pairs = sum(1 for item in self.items if not item.dismissed)
        if open_pairs:
            self.summary.setText(
                self.tr(
                    "发现 %d 对疑似重复登记。请逐对核对户口簿或身份证：是同一个人的，点“查看甲/乙”在人员信息里"
                    "更正登记错的那一条（修改关键信息…）；确实是两个人的，点“不是同一人…”。"
                )
                % open_pairs
            )
        else:
            self.summary.setText(self.tr("没有发现疑似重复登记（姓名和出生日期相同，或身份证号只差一位的）。"))
        self.table.setRowCount(len(self.items))
        selected = 0
        for row, item in enumerate(self.items):
            pair = item.pair
            group = pair.first.group_name or ""
            if (pair.second.group_name or "") != group:
                group = f"{group or '—'} / {pair.second.group_name or '—'}"
            verdict = self.tr("不是同一人（%s）") % (item.note or item.dismissed_by or "") if item.dismissed else ""
            cells = (pair.reason, _card(pair.first), _card(pair.second), group, verdict)
            for column, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                cell.setToolTip(text)
                if item.dismissed:
                    cell.setForeground(Qt.GlobalColor.gray)
                self.table.setItem(row, column, cell)
            if keep is not None and self._key(item) == keep:
                selected = row
        if self.items:
            self.table.selectRow(selected)
        self._update_buttons()

    @staticmethod
    def _key(item: DuplicateItem) -> tuple[str, str, str]:
        return (item.pair.first.person_id, item.pair.second.person_id, item.pair.kind.value)

    def selected_item(self) -> DuplicateItem | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        return self.items[rows[0].row()] if rows else None

    def _update_buttons(self) -> None:
        item = self.selected_item()
        tip = entry_tip(self._actor())
        self.first_button.setEnabled(item is not None)
        self.second_button.setEnabled(item is not None)
        self.dismiss_button.setEnabled(not tip and item is not None and not item.dismissed)
        self.undo_button.setEnabled(not tip and item is not None and item.dismissed)
        self.undo_button.setVisible(self.show_dismissed.isChecked())
        for each in (self.dismiss_button, self.undo_button):
            each.setToolTip(tip)

    # --- actions --------------------------------------------------------------------------------------------

    def _show_person(self, *, first: bool) -> None:
        item = self.selected_item()
        if item is None:
            return
        person = item.pair.first if first else item.pair.second
        self.accept()
        self.show_person_requested.emit(person.person_id)

    def _run(self, work: Callable[[], object]) -> bool:
        try:
            work()
        except ServiceError as error:
            show_error(self, error.user_message)
            self.reload()
            return False
        except StoreError as error:
            show_store_error(self, error)
            return False
        self.changed = True
        return True

    def dismiss_selected(self) -> bool:
        """不是同一人…: ask how it was checked, then record the decision; True when written."""
        item = self.selected_item()
        if item is None or item.dismissed or entry_tip(self._actor()):
            return False
        note = self._ask_note(self, item)
        if note is None:
            return False

        def write() -> None:
            with self._session_factory() as session:
                duplicates.dismiss(
                    session, self._actor(), item.pair.first.person_id, item.pair.second.person_id, item.pair.kind, note
                )

        if not self._run(write):
            return False
        self.reload()
        return True

    def undo_selected(self) -> bool:
        """撤销判定: the pair is flagged again; True when undone."""
        item = self.selected_item()
        if item is None or item.dismissal_id is None or entry_tip(self._actor()):
            return False
        dismissal_id = item.dismissal_id

        def write() -> None:
            with self._session_factory() as session:
                duplicates.undo_dismissal(session, self._actor(), dismissal_id)

        if not self._run(write):
            return False
        self.reload(keep=self._key(item))
        return True


def _ask_note(parent: QWidget, item: DuplicateItem) -> str | None:
    dialog = DismissDialog(item, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.note
