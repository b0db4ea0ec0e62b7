"""参保身份和证明材料: a person's identity categories with their proof and validity, opened from the person form.

The table lists every category the person holds (or held), its 证明材料编号 and 有效期, and says in amber when a
hardship group (困难群体) still owes its proof — a roster has no column for it, so an imported 061 低保 arrives
without one. Below, the coordinator picks one of them and completes its proof and dates
(``people.complete_category``), or picks a category the person does not hold to add it with its proof
(``people.add_category``). 普通 is not offered: it is having none of the others. The dialog stays open after each
保存 so several can be done; :attr:`changed` says whether anything was saved.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from pensiondesk.gui.errors import show_error, show_store_error
from pensiondesk.gui.person_form import AltKeyGuard, ProblemLabel, _parse_date, current_actor
from pensiondesk.gui.person_model import SessionFactory
from pensiondesk.gui.qt import (
    QAbstractItemView,
    QColor,
    QComboBox,
    QDialog,
    QGridLayout,
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
)
from pensiondesk.services import people
from pensiondesk.services.people_types import Problem, ServiceError
from pensiondesk.services.person_queries import HeldCategory, category_choices, person_categories
from pensiondesk.services.recording import Actor
from pensiondesk.store.errors import StoreError

__all__ = ["CategoryDialog"]

WARNING_COLOUR = "#9a6700"


class CategoryDialog(QDialog):
    """参保身份和证明材料 of one person: complete a category's proof and validity, or add a category."""

    def __init__(
        self,
        session_factory: SessionFactory,
        person_id: str,
        person_name: str,
        parent: QWidget | None = None,
        *,
        today: date | None = None,
        actor: Callable[[], Actor] = current_actor,
    ) -> None:
        super().__init__(parent)
        self._session_factory = session_factory
        self._person_id = person_id
        self._today = today
        self._actor = actor
        self.changed = False
        self.held: list[HeldCategory] = []
        self.setWindowTitle(self.tr("参保身份和证明材料 — %s") % person_name)

        self.table = QTableWidget(0, 4)
        self.table.setObjectName("heldCategories")
        self.table.setHorizontalHeaderLabels([self.tr("参保身份"), self.tr("证明材料编号"), self.tr("有效期"), ""])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)

        self.category_combo = QComboBox()
        self.category_combo.setObjectName("categoryChoice")
        self.proof_edit = QLineEdit()
        self.proof_edit.setObjectName("proofRef")
        self.proof_edit.setPlaceholderText(self.tr("低保证、残疾证等证明材料的编号"))
        self.from_edit = QLineEdit()
        self.from_edit.setObjectName("validFrom")
        self.from_edit.setPlaceholderText(self.tr("年-月-日，例如 2026-01-01"))
        self.to_edit = QLineEdit()
        self.to_edit.setObjectName("validTo")
        self.to_edit.setPlaceholderText(self.tr("不填为长期有效"))
        self.problem_labels = {key: ProblemLabel() for key in ("category_code", "proof_ref", "valid_from", "valid_to")}
        self.problem_labels["proof_ref"].setObjectName("problem_proof_ref")

        grid = QGridLayout()
        row = 0
        for title, widget, key in (
            (self.tr("参保身份(&C)："), self.category_combo, "category_code"),
            (self.tr("证明材料编号(&P)："), self.proof_edit, "proof_ref"),
            (self.tr("有效期自(&F)："), self.from_edit, "valid_from"),
            (self.tr("有效期至(&T)："), self.to_edit, "valid_to"),
        ):
            label = QLabel(title)
            label.setBuddy(widget)
            label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            grid.addWidget(label, row, 0)
            grid.addWidget(widget, row, 1)
            grid.addWidget(self.problem_labels[key], row + 1, 1)
            row += 2
        grid.setColumnStretch(1, 1)

        self.status_label = QLabel()
        self.status_label.setObjectName("categoryStatus")
        self.status_label.setWordWrap(True)
        self.save_button = QPushButton(self.tr("保存(&S)"))
        self.save_button.setObjectName("saveCategory")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        close = QPushButton(self.tr("关闭"))
        close.setAutoDefault(False)
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status_label, 1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(close)

        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addLayout(grid)
        layout.addLayout(buttons)
        self.category_combo.currentIndexChanged.connect(self._chosen)
        self._reload()
        self.resize(720, 480)
        self.category_combo.setFocus(Qt.FocusReason.OtherFocusReason)
        AltKeyGuard(self).watch()

    def _reload(self, keep: str | None = None) -> None:
        """Re-read the person's categories; choose ``keep`` (a record id), else the first one owing its proof."""
        with self._session_factory() as session:
            self.held = person_categories(session, self._person_id, today=self._today)
            choices = [c for c in category_choices(session, self._today) if not c.ordinary]
        self.table.setRowCount(len(self.held))
        for index, held in enumerate(self.held):
            period = self.tr("%s 至 %s") % (
                held.valid_from.isoformat() if held.valid_from else "—",
                held.valid_to.isoformat() if held.valid_to else self.tr("长期"),
            )
            state = (
                self.tr("缺证明材料，请补登")
                if held.proof_owed
                else (self.tr("有效") if held.in_force else self.tr("已结束"))
            )
            cells = (held.label, held.proof_ref or self.tr("未登记"), period, state)
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if held.proof_owed:
                    item.setForeground(QColor(WARNING_COLOUR))
                self.table.setItem(index, column, item)
        self.category_combo.blockSignals(True)
        self.category_combo.clear()
        for held in self.held:
            if held.in_force:
                self.category_combo.addItem(held.label, f"held:{held.id}")
        held_codes = {h.code for h in self.held if h.in_force}
        for choice in choices:
            if choice.code not in held_codes:
                self.category_combo.addItem(self.tr("新增：%s %s") % (choice.code, choice.name), f"new:{choice.code}")
        owed = next((h.id for h in self.held if h.proof_owed and h.in_force), None)
        wanted = keep or owed
        index = self.category_combo.findData(f"held:{wanted}") if wanted else -1
        self.category_combo.setCurrentIndex(max(0, index))
        self.category_combo.blockSignals(False)
        self._chosen()

    def _chosen(self) -> None:
        """Fill the fields from the chosen record (empty for a category to add)."""
        kind, _, key = str(self.category_combo.currentData() or "new:").partition(":")
        held = next((h for h in self.held if kind == "held" and h.id == key), None)
        self.proof_edit.setText((held.proof_ref or "") if held else "")
        self.from_edit.setText(held.valid_from.isoformat() if held and held.valid_from else "")
        self.to_edit.setText(held.valid_to.isoformat() if held and held.valid_to else "")
        for label in self.problem_labels.values():
            label.show_problems([])

    def _date(self, edit: QLineEdit, key: str, problems: list[Problem]) -> date | None:
        text = edit.text().strip()
        if not text:
            return None
        day = _parse_date(text)
        if day is None:
            problems.append(Problem(key, self.tr("日期请按 年-月-日 填写，例如 2026-01-01")))
        return day

    def save(self) -> bool:
        """保存: complete the chosen record's proof and dates, or add the chosen category; True when saved."""
        data = self.category_combo.currentData()
        if not data:
            return False
        kind, _, key = str(data).partition(":")  # held:<record id> or new:<category code>
        problems: list[Problem] = []
        valid_from = self._date(self.from_edit, "valid_from", problems)
        valid_to = self._date(self.to_edit, "valid_to", problems)
        if problems:
            self._show(problems)
            return False
        try:
            with self._session_factory() as session:
                if kind == "held":
                    record = people.complete_category(
                        session, self._actor(), key, self.proof_edit.text(), valid_from, valid_to
                    )
                else:
                    record = people.add_category(
                        session, self._actor(), self._person_id, key, self.proof_edit.text(), valid_from, valid_to
                    )
                saved_id = record.id
        except ServiceError as error:
            self._show(error.problems)
            if not any(p.field in self.problem_labels for p in error.problems):
                show_error(self, error.user_message, self.tr("不能保存"))
            return False
        except StoreError as error:
            show_store_error(self, error)
            return False
        self.changed = True
        self._reload(keep=saved_id)
        self.status_label.setText(self.tr("已保存"))
        return True

    def _show(self, problems: list[Problem]) -> None:
        for key, label in self.problem_labels.items():
            label.show_problems([p for p in problems if p.field == key])
        self.status_label.setText("")
