"""The person page's filter bar and actions (人员页面的筛选和操作按钮).

:class:`FilterBar` narrows the person list by 村民小组, 参保状态, 参保身份, 即将到龄 (the next three months),
材料未交齐 (migrant workers' documents still owed this year, or a hardship category's proof not entered) and 关系待核对
(relations to the household head still to check after a change of head); together with the search box it makes
the :class:`~pensiondesk.services.roster.PersonFilter` the list is loaded with.

:class:`PersonActions` holds what the coordinator does from the list — 新增人员 (Ctrl+N), 修改 (Enter or a
double-click), 家庭 (Ctrl+H), 参保登记 (Ctrl+G), 导入花名册… (Ctrl+I), 导出花名册… (Ctrl+E), 审核 (Ctrl+R) — opening
the form, the household view, the registration form, the import wizard and the review window, and re-reading the
list after each change — and 疑似重复 (Ctrl+D), the village-wide check for likely duplicates.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Protocol

from pensiondesk.domain.codes import PersonStatus
from pensiondesk.gui.errors import show_error, show_store_error
from pensiondesk.gui.flow_layout import FlowLayout
from pensiondesk.gui.person_model import PersonTableModel, SessionFactory
from pensiondesk.gui.qt import (
    QAction,
    QCheckBox,
    QComboBox,
    QDialog,
    QEvent,
    QFileDialog,
    QGuiApplication,
    QHBoxLayout,
    QKeyEvent,
    QKeySequence,
    QLabel,
    QLineEdit,
    QMessageBox,
    QObject,
    QPushButton,
    Qt,
    QTableView,
    QWidget,
    Signal,
)
from pensiondesk.gui.roles import entry_tip
from pensiondesk.services.people_types import ServiceError
from pensiondesk.services.person_queries import category_choices, current_village_id, group_choices
from pensiondesk.services.roster import PersonFilter, village_summary
from pensiondesk.store.errors import StoreError

__all__ = ["REACHING_60_MONTHS", "FilterBar", "PersonActions", "PersonListPage"]

#: 即将到龄: persons who turn 60 within this many months.
REACHING_60_MONTHS = 3
#: The longest usual villager group name: the 村民小组 filter shows at least this much of a name.
GROUP_NAME_SAMPLE = "第十二村民小组"


class PersonListPage(Protocol):
    """What the actions need of the person page (``main_window.PersonPage``)."""

    model: PersonTableModel
    table: QTableView
    search_box: QLineEdit
    filter_bar: FilterBar

    def refresh(self) -> None: ...
    def apply_search(self) -> None: ...
    def update_count(self, *, recount: bool = True) -> None: ...


class FilterBar(QWidget):
    """筛选: group, status, category, reaching 60, missing documents and relations to check; :attr:`changed` when
    any changes."""

    changed = Signal()

    def __init__(self, session_factory: SessionFactory, parent: QWidget | None = None, *, today: date | None = None):
        super().__init__(parent)
        self._session_factory = session_factory
        #: The day the filters count from (即将到龄, this year's documents); ``None``: the real today.
        self.today = today
        self.group_combo = QComboBox()
        self.group_combo.setObjectName("filterGroup")
        self.status_combo = QComboBox()
        self.status_combo.setObjectName("filterStatus")
        self.status_combo.addItem(self.tr("全部"), None)
        for status in PersonStatus:
            self.status_combo.addItem(status.label, status.value)
        self.category_combo = QComboBox()
        self.category_combo.setObjectName("filterCategory")
        self.reaching_box = QCheckBox(self.tr("即将到龄（3个月内）"))
        self.reaching_box.setObjectName("filterReaching60")
        self.reaching_box.setToolTip(self.tr("3个月内年满60周岁、需要办理待遇领取的人员"))
        self.documents_box = QCheckBox(self.tr("材料未交齐"))
        self.documents_box.setObjectName("filterMissingDocuments")
        self.documents_box.setToolTip(
            self.tr("外出务工人员今年的委托书、承诺书等材料还没有交齐，或低保、特困等身份还没有登记证明材料")
        )
        self.relation_box = QCheckBox(self.tr("关系待核对"))
        self.relation_box.setObjectName("filterRelationToCheck")
        self.relation_box.setToolTip(self.tr("户主变更后，与户主的关系还没有核对的人员；在“家庭”（Ctrl+H）中核对"))
        self.clear_button = QPushButton(self.tr("清除筛选"))
        self.clear_button.setObjectName("clearFilters")
        self.clear_button.setAutoDefault(False)
        self.clear_button.clicked.connect(self.clear)
        self.reload_choices()

        # A flow layout: with larger text or a narrow screen the last filters move down a line (never wider).
        layout = FlowLayout(self, spacing=8)
        for title, combo in (
            (self.tr("村民小组："), self.group_combo),
            (self.tr("参保状态："), self.status_combo),
            (self.tr("参保身份："), self.category_combo),
        ):
            pair = QWidget()  # a label stays with its list
            pair_layout = QHBoxLayout(pair)
            pair_layout.setContentsMargins(0, 0, 0, 0)
            label = QLabel(title)
            label.setBuddy(combo)
            pair_layout.addWidget(label)
            pair_layout.addWidget(combo)
            layout.addWidget(pair)
        layout.addWidget(self.reaching_box)
        layout.addWidget(self.documents_box)
        layout.addWidget(self.relation_box)
        layout.addWidget(self.clear_button)
        for combo in (self.group_combo, self.status_combo, self.category_combo):
            # Narrow enough to shrink with the window (larger text on a 1366-pixel screen); the list that drops
            # down still shows every choice whole.
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            if combo is not self.group_combo:  # the group list fits its names (reload_choices)
                combo.setMinimumContentsLength(6)
            combo.currentIndexChanged.connect(self._changed)
        for box in (self.reaching_box, self.documents_box, self.relation_box):
            box.toggled.connect(self._changed)
        self._update_clear()

    def reload_choices(self) -> None:
        """Re-read the groups and categories (a group may have been added), keeping the current choices."""
        group = self.group_combo.currentData()
        category = self.category_combo.currentData()
        with self._session_factory() as session:
            village_id = current_village_id(session)
            groups = group_choices(session, village_id)
            categories = category_choices(session, self.today)
        for combo in (self.group_combo, self.category_combo):
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(self.tr("全部"), None)
        for g in groups:
            self.group_combo.addItem(g.name, g.id)
        for c in categories:
            self.category_combo.addItem(f"{c.code} {c.name}", c.code)
        self.group_combo.setCurrentIndex(max(0, self.group_combo.findData(group)) if group else 0)
        self.category_combo.setCurrentIndex(max(0, self.category_combo.findData(category)) if category else 0)
        for combo in (self.group_combo, self.category_combo):
            combo.blockSignals(False)
        self._fit_group_names()

    def _fit_group_names(self) -> None:
        """Make the 村民小组 list wide enough for its names (第十二村民小组 at least; "第七村民小" was cut)."""
        metrics = self.group_combo.fontMetrics()
        names = [self.group_combo.itemText(i) for i in range(self.group_combo.count())]
        widest = max(
            [metrics.horizontalAdvance(GROUP_NAME_SAMPLE)]
            + [metrics.horizontalAdvance(name) for name in names if len(name) <= len(GROUP_NAME_SAMPLE) + 2]
        )
        # The length counts widths of "X"; the bigger text sizes scale both alike.
        self.group_combo.setMinimumContentsLength(math.ceil(widest / max(1, metrics.horizontalAdvance("X"))))

    def person_filter(self, text: str = "") -> PersonFilter:
        """The list filter for these choices and the search ``text``."""
        status = self.status_combo.currentData()
        today = self.today or date.today()
        return PersonFilter(
            text=text,
            group_id=self.group_combo.currentData(),
            status=PersonStatus(status) if status else None,
            category_code=self.category_combo.currentData(),
            reaching_60_months=REACHING_60_MONTHS if self.reaching_box.isChecked() else None,
            missing_documents_year=today.year if self.documents_box.isChecked() else None,
            relation_to_check=self.relation_box.isChecked(),
            today=self.today,
        )

    def is_active(self) -> bool:
        """True when any filter narrows the list."""
        return any(
            combo.currentIndex() > 0 for combo in (self.group_combo, self.status_combo, self.category_combo)
        ) or any(box.isChecked() for box in (self.reaching_box, self.documents_box, self.relation_box))

    def clear(self) -> None:
        """清除筛选: show everyone again (the search box is left as it is)."""
        boxes = (self.reaching_box, self.documents_box, self.relation_box)
        widgets = (self.group_combo, self.status_combo, self.category_combo, *boxes)
        for widget in widgets:
            widget.blockSignals(True)
        for combo in (self.group_combo, self.status_combo, self.category_combo):
            combo.setCurrentIndex(0)
        for box in boxes:
            box.setChecked(False)
        for widget in widgets:
            widget.blockSignals(False)
        self._changed()

    def _changed(self) -> None:
        self._update_clear()
        self.changed.emit()

    def _update_clear(self) -> None:
        self.clear_button.setEnabled(self.is_active())


class PersonActions(QObject):
    """The buttons and shortcuts of the person page, and what they do.

    :attr:`message` carries a sentence for the window's status line after an action that succeeded.
    """

    message = Signal(str)

    def __init__(self, page: PersonListPage, widget: QWidget, session_factory: SessionFactory) -> None:
        super().__init__(widget)
        self._page = page
        self._widget = widget
        self._session_factory = session_factory
        self.last_dialog: QDialog | None = None

        def action(text: str, tip: str, key: Qt.Key | None, slot: Callable[[], object]) -> QAction:
            made = QAction(text, widget)
            made.setToolTip(tip)
            if key is not None:
                made.setShortcut(QKeySequence(Qt.Modifier.CTRL | key))
                made.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            made.triggered.connect(lambda _checked=False: slot())
            widget.addAction(made)
            return made

        self.new_action = action(
            self.tr("新增人员"), self.tr("登记一位新的村民（Ctrl+N）"), Qt.Key.Key_N, self.new_person
        )
        self.edit_action = action(
            self.tr("修改"), self.tr("修改选中人员的信息（回车或双击）"), None, self.edit_selected
        )
        self.household_action = action(
            self.tr("家庭"), self.tr("查看选中人员的家庭成员（Ctrl+H）"), Qt.Key.Key_H, self.show_household
        )
        self.register_action = action(
            self.tr("参保登记"),
            self.tr("为选中的未参保人员录入参保登记（Ctrl+G）"),
            Qt.Key.Key_G,
            self.register_selected,
        )
        self.import_action = action(
            self.tr("导入花名册…"), self.tr("从 Excel 花名册批量登记（Ctrl+I）"), Qt.Key.Key_I, self.import_roster
        )
        self.export_action = action(
            self.tr("导出花名册…"), self.tr("把全村人员导出为 Excel 花名册（Ctrl+E）"), Qt.Key.Key_E, self.export_roster
        )
        self.review_action = action(
            self.tr("审核"), self.tr("村级初审和退回的登记（Ctrl+R）"), Qt.Key.Key_R, self.open_review
        )
        self.duplicates_action = action(
            self.tr("疑似重复"),
            self.tr("排查姓名和出生日期相同、或身份证号只差一位的疑似重复登记（Ctrl+D）"),
            Qt.Key.Key_D,
            self.open_duplicates,
        )
        self.apply_role()
        # Enter on the list edits the selected person: a key filter on the table itself, not a shortcut, so an
        # Enter typed in a dialog opened from here can never reach it.
        page.table.installEventFilter(self)
        page.table.doubleClicked.connect(lambda _index: self.edit_selected())

    def apply_role(self) -> None:
        """A 复核员 approves or returns, never edits (domain.md §14): 新增人员, 参保登记 and 导入花名册… are disabled
        with the reason as their tooltip, and 修改 becomes 查看 (the form opens read-only). The window is built
        anew for each login (切换用户), so the role is read once here."""
        from pensiondesk.services.accounts import current_actor

        tip = entry_tip(current_actor())
        for act, usual in (
            (self.new_action, self.tr("登记一位新的村民（Ctrl+N）")),
            (self.register_action, self.tr("为选中的未参保人员录入参保登记（Ctrl+G）")),
            (self.import_action, self.tr("从 Excel 花名册批量登记（Ctrl+I）")),
        ):
            act.setEnabled(not tip)
            act.setToolTip(tip or usual)
        if tip:
            self.edit_action.setText(self.tr("查看"))
            self.edit_action.setToolTip(self.tr("查看选中人员的信息（回车或双击）；复核员不能修改"))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Enter (or the keypad's Enter) on the person list: 修改 the selected person."""
        if (
            watched is self._page.table
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and event.modifiers() in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier)
        ):
            self.edit_selected()
            return True
        return super().eventFilter(watched, event)

    def buttons(self) -> FlowLayout:
        """A row of buttons for the actions, each naming its shortcut (wrapping when the width runs out)."""
        row = FlowLayout(spacing=6)
        for act, name, shortcut in (
            (self.new_action, "newPersonButton", "Ctrl+N"),
            (self.edit_action, "editPersonButton", self.tr("回车")),
            (self.household_action, "householdButton", "Ctrl+H"),
            (self.register_action, "registrationButton", "Ctrl+G"),
            (self.import_action, "importButton", "Ctrl+I"),
            (self.export_action, "exportButton", "Ctrl+E"),
            (self.review_action, "reviewButton", "Ctrl+R"),
            (self.duplicates_action, "duplicatesButton", "Ctrl+D"),
        ):
            button = QPushButton(self.tr("%s（%s）") % (act.text(), shortcut))
            button.setObjectName(name)
            button.setToolTip(act.toolTip())
            button.setAutoDefault(False)
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            button.clicked.connect(lambda _checked=False, a=act: a.trigger())
            button.setEnabled(act.isEnabled())
            row.addWidget(button)
        return row

    # --- helpers --------------------------------------------------------------------------------------------

    def selected_person_id(self) -> str | None:
        """The person 修改, 家庭 and the one-person 参保登记 act on: the current row — unless Ctrl+click has taken
        it out of the selection and exactly one other row is selected, which is then the one meant."""
        table = self._page.table
        index = table.currentIndex()
        selection = table.selectionModel()
        if selection is not None and index.isValid() and not selection.isRowSelected(index.row()):
            rows = {selected.row() for selected in selection.selectedRows()}
            if len(rows) == 1:
                return self._page.model.person_id(rows.pop())
        return self._page.model.person_id(index.row()) if index.isValid() else None

    def selected_person_ids(self) -> list[str]:
        """Every selected person, in list order (Shift/Ctrl+click or Ctrl+A select several)."""
        selection = self._page.table.selectionModel()
        if selection is None:
            return []
        rows = sorted({index.row() for index in selection.selectedRows()})
        found = (self._page.model.person_id(row) for row in rows)
        return [person_id for person_id in found if person_id is not None]

    def select_person(self, person_id: str) -> bool:
        """Select ``person_id`` in the list, clearing the search and filters when they hide the person."""
        page = self._page
        page.model.refresh()
        row = page.model.row_of(person_id)
        if row is None:
            page.search_box.clear()
            page.filter_bar.clear()
            page.apply_search()
            row = page.model.row_of(person_id)
        page.update_count()
        if row is None:
            return False
        page.table.selectRow(row)
        page.table.scrollTo(page.model.index(row, 0))
        page.table.setFocus(Qt.FocusReason.OtherFocusReason)
        return True

    def _need_selection(self) -> str | None:
        person_id = self.selected_person_id()
        if person_id is None:
            QMessageBox.information(self._widget, self.tr("请先选择人员"), self.tr("请先在列表中选中一个人。"))
        return person_id

    # --- actions --------------------------------------------------------------------------------------------

    def new_person(self) -> None:
        """新增人员 (Ctrl+N)."""
        self._open_form(None)

    def edit_selected(self) -> None:
        """修改 (Enter / double-click)."""
        person_id = self._need_selection()
        if person_id is not None:
            self._open_form(person_id)

    def _open_form(self, person_id: str | None) -> None:
        try:
            from pensiondesk.gui.person_form import PersonForm

            form = PersonForm(self._session_factory, person_id, self._widget)
        except ServiceError as error:
            show_error(self._widget, error.user_message)
            self._page.refresh()
            return
        except StoreError as error:
            show_store_error(self._widget, error)
            return
        self.last_dialog = form
        wanted: list[str] = []
        form.show_person_requested.connect(wanted.append)
        form.exec()
        self._page.filter_bar.reload_choices()
        if form.saved_person_id is not None:
            self.select_person(form.saved_person_id)
        elif wanted:
            self.select_person(wanted[0])

    def show_household(self) -> None:
        """家庭 (Ctrl+H)."""
        person_id = self._need_selection()
        if person_id is None:
            return
        from pensiondesk.gui.household_view import HouseholdDialog

        dialog = HouseholdDialog(self._session_factory, person_id, self._widget)
        self.last_dialog = dialog
        dialog.exec()
        if dialog.changed:
            self.select_person(person_id)

    def register_selected(self) -> bool:
        """参保登记 (Ctrl+G): enter the selected person's registration — or, with several selected, everyone's
        (批量参保登记); True when at least one was entered."""
        chosen = self.selected_person_ids()
        if len(chosen) > 1:
            return self._register_many(chosen)
        person_id = self._need_selection()
        if person_id is None:
            return False
        from pensiondesk.gui.registration_dialog import RegistrationDialog

        try:
            dialog = RegistrationDialog(self._session_factory, person_id, self._widget)
        except ServiceError as error:
            show_error(self._widget, error.user_message)
            self._page.refresh()
            return False
        except StoreError as error:
            show_store_error(self._widget, error)
            return False
        self.last_dialog = dialog
        dialog.exec()
        if dialog.registration_id is None:
            return False
        self.select_person(person_id)
        self.message.emit(self.tr("已录入%s的参保登记，请另一位工作人员在“审核”中初审") % dialog.options.name)
        return True

    def _register_many(self, person_ids: list[str]) -> bool:
        from pensiondesk.gui.registration_dialog import BulkRegistrationDialog

        try:
            dialog = BulkRegistrationDialog(self._session_factory, person_ids, self._widget)
        except StoreError as error:
            show_store_error(self._widget, error)
            return False
        self.last_dialog = dialog
        dialog.exec()
        if not dialog.finished_run:
            return False
        self._page.refresh()
        self.message.emit(
            self.tr("已录入 %d 人的参保登记，%d 人未登记；请另一位工作人员在“审核”中初审")
            % (len(dialog.registration_ids), len(dialog.refused))
        )
        return bool(dialog.registration_ids)

    def import_roster(self) -> None:
        """导入花名册… (Ctrl+I)."""
        from pensiondesk.gui.import_wizard import ImportWizard

        wizard = ImportWizard(self._session_factory, self._widget)
        self.last_dialog = wizard
        added: list[str] = []
        wizard.imported.connect(added.extend)
        wizard.exec()
        if added:
            self._page.filter_bar.reload_choices()
            self.select_person(added[0])

    def export_roster(self, path: Path | None = None) -> Path | None:
        """导出花名册… (Ctrl+E): every resident, in the county's roster layout, as .xlsx."""
        with self._session_factory() as session:
            village_id = current_village_id(session)
            place = village_summary(session)
        if village_id is None:
            show_error(self._widget, self.tr("还没有设置本村，不能导出花名册；请先在设置中选择本村"))
            return None
        if path is None:
            name = self.tr("%s参保花名册.xlsx") % (place[0] if place else "")
            chosen, _ = QFileDialog.getSaveFileName(
                self._widget, self.tr("导出花名册"), str(Path.home() / name), self.tr("Excel 文件 (*.xlsx)")
            )
            if not chosen:
                return None
            path = Path(chosen)
        if path.suffix.lower() != ".xlsx":
            path = path.with_suffix(".xlsx")
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            with self._session_factory() as session:
                from pensiondesk.services.roster_export import export_roster

                result = export_roster(session, path, village_id=village_id)
        except ServiceError as error:
            show_error(self._widget, error.user_message)
            return None
        except StoreError as error:
            show_store_error(self._widget, error)
            return None
        except PermissionError:
            show_error(self._widget, self.tr("不能写入“%s”：文件可能正在 Excel 中打开，请关闭后重试") % path)
            return None
        except OSError as error:
            show_error(self._widget, self.tr("不能写入“%s”：%s") % (path, error.strerror or error))
            return None
        finally:
            QGuiApplication.restoreOverrideCursor()
        QMessageBox.information(
            self._widget, self.tr("导出完成"), self.tr("已导出 %d 人到：\n%s") % (result.count, result.path)
        )
        return result.path

    def open_duplicates(self) -> None:
        """疑似重复 (Ctrl+D): the village-wide check for likely duplicates; 查看甲/乙 selects that person here."""
        from pensiondesk.gui.duplicates_dialog import DuplicatesDialog

        try:
            dialog = DuplicatesDialog(self._session_factory, self._widget)
        except StoreError as error:
            show_store_error(self._widget, error)
            return
        self.last_dialog = dialog
        wanted: list[str] = []
        dialog.show_person_requested.connect(wanted.append)
        dialog.exec()
        if wanted:
            self.select_person(wanted[0])
        elif dialog.changed:
            self._page.refresh()

    def open_review(self) -> None:
        """审核 (Ctrl+R): the 初审 queue and the returned registrations."""
        from pensiondesk.gui.review_page import ReviewDialog

        dialog = ReviewDialog(self._session_factory, self._widget)
        self.last_dialog = dialog
        dialog.exec()
        self._page.refresh()
