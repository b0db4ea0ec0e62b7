"""The person form (人员信息表): register a resident, or change a registered resident's details.

The fields are those of the registration form (参保登记表, domain.md §16). While the coordinator types, the form
asks :func:`pensiondesk.services.people.check_person_input` what is wrong (debounced, so one check per pause,
not per key) and puts each problem beside its field: red for an error, which keeps 保存 disabled, amber for a
warning, which a person decides on (a likely duplicate asks once more before saving). A valid ID number fills
性别 and 出生日期 by itself. The same ID number registered already names that person, with a 查看该人员 button
that closes the form and selects them in the list.

In edit mode the general fields (民族, 住址, 电话 and the eligibility flags) change directly; the key fields
(姓名, 公民身份号码, 出生日期, 性别) are read-only and change only through 修改关键信息…, which asks for the
reason and the evidence reference (:class:`KeyFieldDialog`, domain.md §14).

:func:`current_actor` is the one place that says who is working, until logins exist.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import date
from typing import Literal

from pensiondesk.domain.codes import Relation, Sex
from pensiondesk.gui.errors import confirm, show_error, show_store_error
from pensiondesk.gui.person_model import SessionFactory
from pensiondesk.gui.qt import (
    QAbstractButton,
    QCheckBox,
    QCloseEvent,
    QComboBox,
    QDialog,
    QEvent,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QKeyEvent,
    QLabel,
    QLineEdit,
    QMessageBox,
    QObject,
    QPalette,
    QPushButton,
    QScrollArea,
    Qt,
    QTimer,
    QVBoxLayout,
    QWidget,
    Signal,
)
from pensiondesk.gui.roles import entry_tip
from pensiondesk.gui.screen_fit import grow_to, keep_on_screen
from pensiondesk.services import people
from pensiondesk.services.people_types import PersonInput, Problem, ServiceError, Severity
from pensiondesk.services.person_queries import (
    CategoryChoice,
    HeldCategory,
    PersonDetail,
    category_choices,
    current_village_id,
    group_choices,
    person_categories,
    person_detail,
    person_id_by_id_number,
    read_id_number,
)
from pensiondesk.services.recording import Actor
from pensiondesk.store.errors import StoreError

__all__ = ["VALIDATE_DEBOUNCE_MS", "KeyFieldDialog", "PersonForm", "current_actor"]

#: Pause after the last keystroke before the form is checked.
VALIDATE_DEBOUNCE_MS = 250

ERROR_COLOUR = "#c62828"
WARNING_COLOUR = "#9a6700"

KeyField = Literal["name", "id_number", "birth_date", "sex"]


def current_actor() -> Actor:
    """Who is working (操作员): the logged-in user (``services.accounts``), else ``$PENSIONDESK_USER``."""
    from pensiondesk.services import accounts

    return accounts.current_actor()


def _parse_date(text: str) -> date | None:
    """``1966-07-15``, ``1966/7/15`` or ``19660715`` as a date; ``None`` when it is not one."""
    cleaned = text.strip().replace("/", "-").replace(".", "-").replace("年", "-").replace("月", "-").rstrip("日")
    if len(cleaned) == 8 and cleaned.isdigit():
        cleaned = f"{cleaned[:4]}-{cleaned[4:6]}-{cleaned[6:]}"
    parts = cleaned.split("-")
    if len(parts) != 3 or not all(p.isdigit() for p in parts):
        return None
    try:
        return date(int(parts[0]), int(parts[1]), int(parts[2]))
    except ValueError:
        return None


def _or_none(text: str) -> str | None:
    cleaned = text.strip()
    return cleaned or None


class ProblemLabel(QLabel):
    """The line under a field that says what is wrong with it, red (error) or amber (warning)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setVisible(False)
        self.problems: list[Problem] = []

    def show_problems(self, problems: list[Problem]) -> None:
        """Show ``problems`` (errors first), or hide the line when there are none."""
        self.problems = sorted(problems, key=lambda p: p.severity is not Severity.ERROR)
        if not self.problems:
            self.clear()
            self.setVisible(False)
            return
        has_error = any(p.severity is Severity.ERROR for p in self.problems)
        self.setStyleSheet(f"color: {ERROR_COLOUR if has_error else WARNING_COLOUR};")
        self.setText("\n".join(("✖ " if p.severity is Severity.ERROR else "⚠ ") + p.message for p in self.problems))
        self.setVisible(True)


def mnemonic_of(text: str) -> str | None:
    """The Alt letter of a label's or a button's text (``保存(&S)`` → ``s``); ``None`` when it has none."""
    index = text.find("&")
    while index != -1 and index + 1 < len(text):
        if text[index + 1] != "&":
            return text[index + 1].lower()
        index = text.find("&", index + 2)
    return None


def show_read_only(edit: QLineEdit) -> None:
    """A field that cannot be typed into looks it: the window's colour behind the text, not the white of a field."""
    palette = edit.palette()
    palette.setColor(QPalette.ColorRole.Base, palette.color(QPalette.ColorRole.Window))
    edit.setPalette(palette)


class AltKeyGuard(QObject):
    """Alt+letter never types the letter into a field of ``dialog``: the open list closes and the dialog's own
    Alt+letter (a button's, or a label's that jumps to its field) runs.

    Qt runs a label's or a button's Alt+letter only while the dialog is the active window. When it is not — a list
    that drops down or a completion has just closed, another window took the focus for a moment — the key reached
    the focused field as text: 第二村民小组 and Alt+S became "第二村民小组s", a new villager group. ``focused`` is
    told about every field that gains the focus (to scroll it into view); ``before`` runs before the key's action
    (to check what was just typed, so that 保存 is enabled when it may be).
    """

    def __init__(
        self,
        dialog: QDialog,
        focused: Callable[[QWidget], None] | None = None,
        before: Callable[[], object] | None = None,
    ) -> None:
        super().__init__(dialog)
        self._dialog = dialog
        self._focused = focused
        self._before = before

    def watch(self) -> None:
        """Watch every field and button of the dialog, and the lists its combo boxes drop down."""
        for widget in self._dialog.findChildren(QWidget):
            if widget.focusPolicy() != Qt.FocusPolicy.NoFocus:
                widget.installEventFilter(self)
        for combo in self._dialog.findChildren(QComboBox):
            lists: list[QWidget | None] = [combo.view()]
            completer = combo.completer()
            if completer is not None:
                lists.append(completer.popup())
            for view in lists:
                if view is not None:
                    view.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) and self._is_alt_letter(event):
            self._close_lists()
            if self._before is not None:
                self._before()
            self.trigger(chr(event.key()).lower())
            return True
        if event.type() == QEvent.Type.FocusIn and self._focused is not None and isinstance(watched, QWidget):
            self._focused(watched)
        return False

    @staticmethod
    def _is_alt_letter(event: QKeyEvent) -> bool:
        modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        alt = Qt.KeyboardModifier.AltModifier
        return modifiers in (alt, alt | Qt.KeyboardModifier.ShiftModifier) and (
            Qt.Key.Key_0.value <= event.key() <= Qt.Key.Key_9.value
            or Qt.Key.Key_A.value <= event.key() <= Qt.Key.Key_Z.value
        )

    def _close_lists(self) -> None:
        for combo in self._dialog.findChildren(QComboBox):
            combo.hidePopup()
            completer = combo.completer()
            popup = completer.popup() if completer is not None else None
            if popup is not None and popup.isVisible():
                popup.hide()

    def trigger(self, letter: str) -> bool:
        """Do what Alt+``letter`` means in the dialog: press the button or go to the field; False when nothing."""
        for widget in self._dialog.findChildren(QWidget):
            if not widget.isVisibleTo(self._dialog) or not widget.isEnabled():
                continue
            if isinstance(widget, QAbstractButton) and mnemonic_of(widget.text()) == letter:
                if widget.focusPolicy() != Qt.FocusPolicy.NoFocus:
                    widget.setFocus(Qt.FocusReason.ShortcutFocusReason)
                widget.click()
                return True
            if isinstance(widget, QLabel) and mnemonic_of(widget.text()) == letter:
                buddy = widget.buddy()
                if buddy is not None and buddy.isEnabled():
                    buddy.setFocus(Qt.FocusReason.ShortcutFocusReason)
                    return True
        return False


class PersonForm(QDialog):
    """新增人员 / 修改人员信息: the registration form, checked as the coordinator types.

    ``person_id`` ``None`` registers a new resident; otherwise the form edits that resident. After 保存,
    :attr:`saved_person_id` holds the person's id. :attr:`show_person_requested` is emitted with the id of an
    already registered person when the coordinator asks to see them (查看该人员); the form then closes.
    """

    show_person_requested = Signal(str)

    def __init__(
        self,
        session_factory: SessionFactory,
        person_id: str | None = None,
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
        self.saved_person_id: str | None = None
        self._touched: set[str] = set()
        self._problems: list[Problem] = []
        self._duplicate_person_id: str | None = None
        #: Something was typed or chosen since the form opened (Esc and 取消 then ask before closing).
        self._edited = False

        with session_factory() as session:
            self._village_id = current_village_id(session)
            self._groups = [g.name for g in group_choices(session, self._village_id)]
            self._categories: list[CategoryChoice] = category_choices(session, today)
            self._detail: PersonDetail | None = person_detail(session, person_id) if person_id else None
            # The person's 参保身份 records: a hardship group without its proof is said under the boxes.
            self._held: list[HeldCategory] = (
                person_categories(session, person_id, today=today) if person_id else []
            )
        if person_id is not None and self._detail is None:
            raise ServiceError("找不到这个人员，可能已被删除；请刷新列表后重试")

        #: A 复核员 sees the form but never changes anything (domain.md §14): every field read-only, no 保存.
        self.read_only_reason = entry_tip(actor())
        if self._detail is not None and self.read_only_reason:
            title = self.tr("查看人员信息 — %s") % self._detail.name
        elif self._detail is None:
            title = self.tr("新增人员")
        else:
            title = self.tr("修改人员信息 — %s") % self._detail.name
        self.setWindowTitle(title)
        self.setModal(True)
        self._build()
        if self._detail is not None:
            self._load(self._detail)
        if self.read_only_reason:
            self._make_read_only()
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(VALIDATE_DEBOUNCE_MS)
        self._debounce.timeout.connect(self.validate_now)
        self._fit_timer = QTimer(self)
        self._fit_timer.setSingleShot(True)
        self._fit_timer.setInterval(0)
        self._fit_timer.timeout.connect(self._fit_to_fields)
        self._connect_changes()
        self.validate_now()
        self.first_field().setFocus(Qt.FocusReason.OtherFocusReason)
        self._alt_guard = AltKeyGuard(self, self._scroll_to, self._check_if_pending)
        self._alt_guard.watch()

    # --- construction ---------------------------------------------------------------------------------------

    @property
    def editing(self) -> bool:
        """True when the form edits a registered person (key fields read-only)."""
        return self._detail is not None

    def _line(self, name: str, placeholder: str = "") -> QLineEdit:
        edit = QLineEdit()
        edit.setObjectName(name)
        edit.setPlaceholderText(placeholder)
        return edit

    def _build(self) -> None:
        self.name_edit = self._line("name", self.tr("与身份证上一致"))
        self.id_edit = self._line("id_number", self.tr("18位，最后一位可以是X"))
        self.id_edit.setMaxLength(24)
        self.sex_combo = QComboBox()
        self.sex_combo.setObjectName("sex")
        self.sex_combo.addItem(self.tr("（由身份证号自动填写）"), None)
        for sex in Sex:
            self.sex_combo.addItem(sex.label, sex.value)
        self.birth_edit = self._line("birth_date", self.tr("由身份证号自动填写，例如 1966-07-15"))
        self.ethnicity_edit = self._line("ethnicity", self.tr("例如：汉族"))
        self.phone_edit = self._line("phone", self.tr("手机号11位，或座机号"))
        self.hukou_edit = self._line("hukou_address", self.tr("户口簿上的地址"))
        self.residence_edit = self._line("residence_address", self.tr("现在住的地方"))
        self.group_combo = QComboBox()
        self.group_combo.setObjectName("group_name")
        self.group_combo.setEditable(True)
        self.group_combo.addItems(self._groups)
        self.group_combo.setCurrentIndex(-1)
        group_edit = self.group_combo.lineEdit()
        if group_edit is not None:
            group_edit.setPlaceholderText(self.tr("选择或输入村民小组"))
        self.relation_combo = QComboBox()
        self.relation_combo.setObjectName("relation")
        self.relation_combo.addItem(self.tr("（未填）"), None)
        for relation in Relation:
            self.relation_combo.addItem(relation.label, relation.value)
        self.head_name_edit = self._line("household_head_name", self.tr("本人是户主时不填"))
        self.head_id_edit = self._line("household_head_id_number", self.tr("同名户主多时填写"))

        # Alt letters: the field labels below use N I X B M P K D G R T U, 保存 S; these two take E and V.
        self.key_button = QPushButton(self.tr("修改关键信息(&E)…"))
        self.key_button.setObjectName("keyFieldButton")
        self.key_button.setToolTip(self.tr("姓名、身份证号、出生日期、性别需填写变更原因和证明材料后才能修改"))
        self.key_button.clicked.connect(self.change_key_field)
        self.key_button.setVisible(self._detail is not None)
        self.key_button.setAutoDefault(False)

        self.view_duplicate_button = QPushButton(self.tr("查看该人员(&V)"))
        self.view_duplicate_button.setObjectName("viewDuplicate")
        self.view_duplicate_button.setVisible(False)
        self.view_duplicate_button.setAutoDefault(False)
        self.view_duplicate_button.clicked.connect(self.show_duplicate)

        self.problem_labels: dict[str, ProblemLabel] = {}
        # Each label carries an Alt+letter (unique in this dialog; 保存 is Alt+S) that jumps to its field.
        fields: list[tuple[str, str, QWidget]] = [
            ("name", self.tr("姓名(&N)："), self.name_edit),
            ("id_number", self.tr("公民身份号码(&I)："), self.id_edit),
            ("sex", self.tr("性别(&X)："), self.sex_combo),
            ("birth_date", self.tr("出生日期(&B)："), self.birth_edit),
            ("ethnicity", self.tr("民族(&M)："), self.ethnicity_edit),
            ("phone", self.tr("联系电话(&P)："), self.phone_edit),
            ("hukou_address", self.tr("户籍所在地(&K)："), self.hukou_edit),
            ("residence_address", self.tr("居住地址(&D)："), self.residence_edit),
            ("group_name", self.tr("村民小组(&G)："), self.group_combo),
            ("relation", self.tr("与户主关系(&R)："), self.relation_combo),
            ("household_head_name", self.tr("户主姓名(&T)："), self.head_name_edit),
            ("household_head_id_number", self.tr("户主身份证号(&U)："), self.head_id_edit),
        ]
        self.field_widgets: dict[str, QWidget] = {key: widget for key, _, widget in fields}
        grid = QGridLayout()
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(2)
        half = 6
        for index, (key, title, widget) in enumerate(fields):
            column = 0 if index < half else 3
            row = (index % half) * 2
            label = QLabel(title)
            label.setBuddy(widget)
            label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            problem = ProblemLabel()
            problem.setObjectName(f"problem_{key}")
            self.problem_labels[key] = problem
            grid.addWidget(label, row, column)
            if key == "id_number":
                holder = QWidget()
                line = QHBoxLayout(holder)
                line.setContentsMargins(0, 0, 0, 0)
                line.addWidget(widget, 1)
                line.addWidget(self.view_duplicate_button)
                grid.addWidget(holder, row, column + 1)
            else:
                grid.addWidget(widget, row, column + 1)
            grid.addWidget(problem, row + 1, column + 1)
        grid.setColumnMinimumWidth(2, 24)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(4, 1)

        self.category_boxes: dict[str, QCheckBox] = {}
        categories = QGroupBox(self.tr("参保身份（可多选；都不选即为“普通”）"))
        category_grid = QGridLayout(categories)
        # 普通 is having none of the others: no box of its own (a roster's 普通 is not stored either).
        special = [choice for choice in self._categories if not choice.ordinary]
        for index, choice in enumerate(special):
            box = QCheckBox(f"{choice.code} {choice.name}")
            box.setObjectName(f"category_{choice.code}")
            self.category_boxes[choice.code] = box
            category_grid.addWidget(box, index // 5, index % 5)
        self.problem_labels["category_codes"] = ProblemLabel()
        category_grid.addWidget(self.problem_labels["category_codes"], 98, 0, 1, 5)
        # Editing: the boxes are read-only; proof, validity and new categories are entered here (补登证明材料).
        self.categories_button = QPushButton(self.tr("参保身份和证明材料(&C)…"))
        self.categories_button.setObjectName("categoriesButton")
        self.categories_button.setToolTip(self.tr("补登低保、特困、残疾等身份的证明材料编号和有效期，或增加参保身份"))
        self.categories_button.setAutoDefault(False)
        self.categories_button.clicked.connect(self.edit_categories)
        self.categories_button.setVisible(self._detail is not None and not self.read_only_reason)
        category_grid.addWidget(self.categories_button, 99, 0, 1, 2)

        flags = QGroupBox(self.tr("参保条件"))
        flag_grid = QGridLayout(flags)
        self.flag_boxes: dict[str, QCheckBox] = {}
        flag_titles = [
            ("local_hukou", self.tr("户籍在本村")),
            ("is_student", self.tr("全日制学生")),
            ("has_employee_pension", self.tr("已参加职工养老保险")),
            ("has_other_state_pension", self.tr("享受其他国家养老保障")),
            ("is_public_staff", self.tr("机关事业单位在编")),
            ("is_migrant_worker", self.tr("外出务工")),
        ]
        for index, (key, title) in enumerate(flag_titles):
            box = QCheckBox(title)
            box.setObjectName(key)
            self.flag_boxes[key] = box
            flag_grid.addWidget(box, index // 3, index % 3)
        self.flag_boxes["local_hukou"].setChecked(True)

        self.summary_label = QLabel()
        self.summary_label.setObjectName("formSummary")
        self.summary_label.setWordWrap(True)
        self.save_button = QPushButton(self.tr("保存(&S)"))
        self.save_button.setObjectName("saveButton")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        self.cancel_button = QPushButton(self.tr("取消"))
        self.cancel_button.setAutoDefault(False)
        self.cancel_button.clicked.connect(lambda _checked=False: self.cancel())

        buttons = QHBoxLayout()
        buttons.addWidget(self.key_button)
        buttons.addWidget(self.summary_label, 1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.cancel_button)

        if self._detail is not None:
            note = QLabel(
                self.tr(
                    "姓名、身份证号、出生日期、性别是关键信息，要点“修改关键信息…”并登记原因和证明材料；"
                    "村民小组、户主和与户主关系请在“家庭”中办理。"
                )
            )
            note.setWordWrap(True)
            note.setStyleSheet("color: #555;")
        # The fields scroll, the buttons stay: a problem under a field takes the lines it needs (the window grows
        # up to the screen's height, then the fields scroll) and never covers the next field.
        fields_page = QWidget()
        fields_page.setObjectName("formFields")
        fields_layout = QVBoxLayout(fields_page)
        fields_layout.setContentsMargins(0, 0, 0, 0)
        fields_layout.addLayout(grid)
        if self._detail is not None and not self.read_only_reason:  # a 复核员 changes nothing: no how-to
            fields_layout.addWidget(note)
        fields_layout.addWidget(categories)
        fields_layout.addWidget(flags)
        fields_layout.addStretch(1)
        self.scroll_area = QScrollArea()
        self.scroll_area.setObjectName("formScroll")
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.scroll_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll_area.setWidget(fields_page)
        layout = QVBoxLayout(self)
        layout.addWidget(self.scroll_area, 1)
        layout.addLayout(buttons)

        self._set_tab_order()
        self.resize(1000, 640)
        keep_on_screen(self)

    def _set_tab_order(self) -> None:
        """Tab goes down the left column, then the right one, then the boxes, then the bottom row left to right
        (修改关键信息… when editing, 保存, 取消); Enter saves, Esc cancels."""
        chain: list[QWidget] = [
            self.name_edit,
            self.id_edit,
            self.sex_combo,
            self.birth_edit,
            self.ethnicity_edit,
            self.phone_edit,
            self.hukou_edit,
            self.residence_edit,
            self.group_combo,
            self.relation_combo,
            self.head_name_edit,
            self.head_id_edit,
            *self.category_boxes.values(),
            self.categories_button,
            *self.flag_boxes.values(),
            self.key_button,
            self.save_button,
            self.cancel_button,
        ]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    def _load(self, detail: PersonDetail) -> None:
        self.name_edit.setText(detail.name)
        self.id_edit.setText(detail.id_number)
        self.sex_combo.setCurrentIndex(self.sex_combo.findData(detail.sex.value))
        self.birth_edit.setText(detail.birth_date.isoformat())
        self.ethnicity_edit.setText(detail.ethnicity or "")
        self.phone_edit.setText(detail.phone or "")
        self.hukou_edit.setText(detail.hukou_address or "")
        self.residence_edit.setText(detail.residence_address or "")
        self.group_combo.setCurrentText(detail.group_name or "")
        relation = detail.relation.value if detail.relation is not None else None
        self.relation_combo.setCurrentIndex(max(0, self.relation_combo.findData(relation)))
        self.head_name_edit.setText(detail.household_head_name or "")
        self.head_id_edit.setText(detail.household_head_id_number or "")
        for code, box in self.category_boxes.items():
            box.setChecked(code in detail.category_codes)
        for key, box in self.flag_boxes.items():
            box.setChecked(bool(getattr(detail, key)))
        for edit in (self.name_edit, self.id_edit, self.birth_edit, self.head_name_edit, self.head_id_edit):
            edit.setReadOnly(True)
            show_read_only(edit)
        for widget in (self.sex_combo, self.group_combo, self.relation_combo, *self.category_boxes.values()):
            widget.setEnabled(False)
        for edit in (self.name_edit, self.id_edit, self.birth_edit):
            edit.setToolTip(self.tr("关键信息：请点“修改关键信息…”"))

    def _make_read_only(self) -> None:
        """复核员: every field read-only or disabled, 保存 and 修改关键信息… off, 取消 becomes 关闭; the reason
        shows where the form's summary is."""
        for edit in (
            self.name_edit,
            self.id_edit,
            self.birth_edit,
            self.ethnicity_edit,
            self.phone_edit,
            self.hukou_edit,
            self.residence_edit,
            self.head_name_edit,
            self.head_id_edit,
        ):
            edit.setReadOnly(True)
            show_read_only(edit)
        for widget in (
            self.sex_combo,
            self.group_combo,
            self.relation_combo,
            *self.category_boxes.values(),
            *self.flag_boxes.values(),
            self.key_button,
            self.save_button,
        ):
            widget.setEnabled(False)
        self.save_button.setToolTip(self.read_only_reason)
        self.key_button.setToolTip(self.read_only_reason)
        self.cancel_button.setText(self.tr("关闭"))
        self.cancel_button.setDefault(True)

    def first_field(self) -> QWidget:
        """Where the focus starts: the first field that can be typed into (民族 when editing; 关闭 for a 复核员)."""
        for key in self.field_widgets:
            widget = self.field_widgets[key]
            if widget.isEnabled() and not (isinstance(widget, QLineEdit) and widget.isReadOnly()):
                return widget
        return self.cancel_button

    def _check_if_pending(self) -> None:
        """Check now what was typed in the last moment (the check otherwise waits for a pause)."""
        if self._debounce.isActive():
            self.validate_now()

    def _scroll_to(self, widget: QWidget) -> None:
        """Keep the field that has the focus in view (Tab does this by itself; Alt+letter does not)."""
        page = self.scroll_area.widget()
        if page is not None and page.isAncestorOf(widget):
            self.scroll_area.ensureWidgetVisible(widget, 0, 8)

    def _fit_to_fields(self) -> None:
        """Grow the window until every field and every problem under one shows, never beyond the screen."""
        page = self.scroll_area.widget()
        if page is None or not self.isVisible():
            return
        viewport = self.scroll_area.viewport()
        needed = page.heightForWidth(viewport.width()) if page.hasHeightForWidth() else page.sizeHint().height()
        missing = needed - viewport.height()
        if missing > 0:
            grow_to(self, self.height() + missing)

    def _connect_changes(self) -> None:
        edits = {
            "name": self.name_edit,
            "id_number": self.id_edit,
            "birth_date": self.birth_edit,
            "ethnicity": self.ethnicity_edit,
            "phone": self.phone_edit,
            "hukou_address": self.hukou_edit,
            "residence_address": self.residence_edit,
            "household_head_name": self.head_name_edit,
            "household_head_id_number": self.head_id_edit,
        }
        for key, edit in edits.items():
            edit.textEdited.connect(lambda _text, k=key: self._changed(k))
        self.id_edit.textChanged.connect(self._fill_from_id)
        self.group_combo.currentTextChanged.connect(lambda _text: self._changed("group_name"))
        self.sex_combo.currentIndexChanged.connect(lambda _index: self._changed("sex"))
        self.relation_combo.currentIndexChanged.connect(lambda _index: self._changed("relation"))
        for box in (*self.category_boxes.values(), *self.flag_boxes.values()):
            box.toggled.connect(lambda _on: self._changed("category_codes"))

    # --- live validation ------------------------------------------------------------------------------------

    def _changed(self, key: str) -> None:
        self._touched.add(key)
        self._edited = True
        self._debounce.start()

    def _fill_from_id(self, text: str) -> None:
        """A valid ID number fills 性别 and 出生日期 (they must agree with it anyway)."""
        if self.editing:
            return
        reading = read_id_number(text, today=self._today)
        if reading is None:
            return
        self.sex_combo.blockSignals(True)
        self.sex_combo.setCurrentIndex(self.sex_combo.findData(reading.sex.value))
        self.sex_combo.blockSignals(False)
        self.birth_edit.setText(reading.birth_date.isoformat())

    def person_input(self) -> PersonInput:
        """What the form holds, as the people service takes it."""
        birth_text = self.birth_edit.text().strip()
        relation_code = self.relation_combo.currentData()
        sex_code = self.sex_combo.currentData()
        return PersonInput(
            name=self.name_edit.text().strip(),
            id_number=self.id_edit.text().strip(),
            sex=Sex(sex_code) if sex_code else None,
            birth_date=_parse_date(birth_text) if birth_text else None,
            ethnicity=_or_none(self.ethnicity_edit.text()),
            hukou_address=_or_none(self.hukou_edit.text()),
            residence_address=_or_none(self.residence_edit.text()),
            phone=_or_none(self.phone_edit.text()),
            group_name=_or_none(self.group_combo.currentText()),
            household_head_name=None if self.editing else _or_none(self.head_name_edit.text()),
            household_head_id_number=None if self.editing else _or_none(self.head_id_edit.text()),
            relation=Relation(relation_code) if relation_code and not self.editing else None,
            category_codes=[code for code, box in self.category_boxes.items() if box.isChecked()],
            local_hukou=self.flag_boxes["local_hukou"].isChecked(),
            is_student=self.flag_boxes["is_student"].isChecked(),
            has_employee_pension=self.flag_boxes["has_employee_pension"].isChecked(),
            has_other_state_pension=self.flag_boxes["has_other_state_pension"].isChecked(),
            is_public_staff=self.flag_boxes["is_public_staff"].isChecked(),
            is_migrant_worker=self.flag_boxes["is_migrant_worker"].isChecked(),
        )

    def _local_problems(self) -> list[Problem]:
        birth_text = self.birth_edit.text().strip()
        if birth_text and _parse_date(birth_text) is None:
            return [Problem("birth_date", self.tr("出生日期请按 年-月-日 填写，例如 1966-07-15"))]
        return []

    def validate_now(self) -> list[Problem]:
        """Check the form at once and show every problem beside its field; returns the problems."""
        self._debounce.stop()
        inp = self.person_input()
        problems = self._local_problems()
        if self._village_id is None:
            problems.append(Problem("", self.tr("还没有设置本村，不能登记人员；请先在设置中选择本村")))
        else:
            try:
                with self._session_factory() as session:
                    problems.extend(
                        people.check_person_input(
                            session,
                            inp,
                            village_id=self._village_id,
                            today=self._today,
                            existing_person_id=self._person_id,
                        )
                    )
            except StoreError as error:
                show_store_error(self, error)
                return self._problems
        problems.extend(self._proof_hints())
        self._show(problems)
        return problems

    def _proof_hints(self) -> list[Problem]:
        """Amber lines under the boxes for hardship groups whose proof is not entered yet: held ones (editing; an
        imported 061 低保 has none) or ticked ones (a new person: entered right after 保存)."""
        if self.editing:
            return [
                Problem(
                    "category_codes",
                    self.tr("“%s”还没有登记证明材料编号和有效期：请点“参保身份和证明材料…”补登") % held.label,
                    Severity.WARNING,
                    "proof_owed",
                )
                for held in self._held
                if held.proof_owed and held.in_force
            ]
        return [
            Problem(
                "category_codes",
                self.tr("“%s %s”属于困难群体：保存后请登记证明材料编号和有效期") % (choice.code, choice.name),
                Severity.WARNING,
                "proof_owed",
            )
            for choice in self._categories
            if choice.hardship and (box := self.category_boxes.get(choice.code)) is not None and box.isChecked()
        ]

    def _visible(self, problem: Problem) -> bool:
        """Problems of empty, untouched fields wait until the coordinator gets there (a blank form is not red)."""
        if problem.severity is Severity.WARNING or self.editing:
            return True
        key = problem.field if problem.field in self.problem_labels else ""
        return key in self._touched or key == "" or self._has_text(key)

    def _has_text(self, key: str) -> bool:
        widget = self.field_widgets.get(key)
        if isinstance(widget, QLineEdit):
            return bool(widget.text().strip())
        if isinstance(widget, QComboBox):
            return bool(widget.currentText().strip()) and widget.currentData() is not None
        return False

    def _show(self, problems: list[Problem]) -> None:
        self._problems = problems
        by_field: dict[str, list[Problem]] = {key: [] for key in (*self.problem_labels, "")}
        for problem in problems:
            by_field[problem.field if problem.field in self.problem_labels else ""].append(problem)
        for key, label in self.problem_labels.items():
            label.show_problems([p for p in by_field[key] if self._visible(p)])

        duplicate = next((p for p in problems if p.code == "duplicate_id"), None)
        self._duplicate_person_id = None
        if duplicate is not None:
            with self._session_factory() as session:
                self._duplicate_person_id = person_id_by_id_number(session, self.id_edit.text())
        self.view_duplicate_button.setVisible(self._duplicate_person_id is not None)
        self._fit_timer.start()  # once the problems' new lines are laid out

        errors = [p for p in problems if p.severity is Severity.ERROR]
        if self.read_only_reason:
            self.save_button.setEnabled(False)
            self.summary_label.setText(self.read_only_reason)
            self.summary_label.setStyleSheet(f"color: {WARNING_COLOUR};")
            return
        self.save_button.setEnabled(not errors)
        general = by_field[""]
        if errors:
            hidden = [p for p in errors if not self._visible(p)]
            if hidden and len(hidden) == len(errors):
                self.summary_label.setText(self.tr("请填写姓名和公民身份号码"))
            else:
                self.summary_label.setText(self.tr("还有 %d 处需要改正，改好后才能保存") % len(errors))
            self.summary_label.setStyleSheet(f"color: {ERROR_COLOUR};")
            general_errors = [p.message for p in general if p.severity is Severity.ERROR]
            if general_errors:
                self.summary_label.setText("；".join(general_errors))
        elif any(p.severity is Severity.WARNING for p in problems):
            self.summary_label.setText(self.tr("有提示（黄色），请核对后再保存"))
            self.summary_label.setStyleSheet(f"color: {WARNING_COLOUR};")
        else:
            self.summary_label.setText(self.tr("可以保存"))
            self.summary_label.setStyleSheet("color: #2e7d32;")

    @property
    def problems(self) -> list[Problem]:
        """The problems found by the last check."""
        return list(self._problems)

    # --- actions --------------------------------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Enter saves (after checking what was just typed); Esc closes without saving, asking first when
        something was typed (an open list catches its own Esc and only closes)."""
        if event.key() == Qt.Key.Key_Escape and event.modifiers() == Qt.KeyboardModifier.NoModifier:
            event.accept()
            self.cancel()
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not isinstance(self.focusWidget(), QPushButton):
            event.accept()
            if self.read_only_reason:
                self.reject()
            else:
                self.save()
            return
        super().keyPressEvent(event)

    @property
    def has_unsaved_input(self) -> bool:
        """True when something was typed or chosen that is not saved."""
        return self._edited and self.saved_person_id is None and not self.read_only_reason

    def cancel(self) -> bool:
        """取消 / Esc: close without saving; when something was typed, ask first (继续填写 is the default).
        True when the form closed."""
        if self.has_unsaved_input and not self._discard_confirmed():
            return False
        self.reject()
        return True

    def _discard_confirmed(self) -> bool:
        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("放弃填写的内容？"),
            self.tr("放弃填写的内容？\n\n刚才填写的内容还没有保存，放弃后不能找回。"),
            QMessageBox.StandardButton.NoButton,
            self,
        )
        box.setObjectName("discardQuestion")
        discard = box.addButton(self.tr("放弃(&D)"), QMessageBox.ButtonRole.DestructiveRole)
        keep = box.addButton(self.tr("继续填写(&C)"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(keep)
        box.setEscapeButton(keep)
        box.exec()
        return box.clickedButton() is discard

    def closeEvent(self, event: QCloseEvent) -> None:
        """The window's close button asks like 取消 (a close by the program itself does not)."""
        if event.spontaneous() and self.isVisible() and self.has_unsaved_input and not self._discard_confirmed():
            event.ignore()
            return
        super().closeEvent(event)

    def show_duplicate(self) -> None:
        """查看该人员: close the form and ask the list to select the person already registered."""
        if self._duplicate_person_id is None:
            return
        person_id = self._duplicate_person_id
        self.reject()
        self.show_person_requested.emit(person_id)

    def save(self) -> bool:
        """保存: check once more, confirm likely duplicates, then add or update; True when saved."""
        if self.read_only_reason:
            return False
        problems = self.validate_now()
        if any(p.severity is Severity.ERROR for p in problems):
            self._touched.update(self.problem_labels)
            self._show(problems)
            return False
        duplicates = [p for p in problems if p.code in ("possible_duplicate", "similar_id")]
        if duplicates and not self.editing:
            answer = QMessageBox.question(
                self,
                self.tr("疑似重复登记"),
                self.tr("%s\n\n确实不是同一个人吗？选“是”仍然保存，选“否”返回核对。") % duplicates[0].message,
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )
            if answer != QMessageBox.StandardButton.Yes:
                return False
        if not self.editing and any(p.code == "new_group" for p in problems) and not self._new_group_confirmed():
            self.group_combo.setFocus(Qt.FocusReason.OtherFocusReason)
            return False
        inp = self.person_input()
        try:
            with self._session_factory() as session:
                if self._detail is None:
                    assert self._village_id is not None
                    person = people.add_person(
                        session, self._actor(), inp, village_id=self._village_id, today=self._today
                    )
                else:
                    person = people.update_general_fields(
                        session,
                        self._actor(),
                        self._detail.id,
                        ethnicity=inp.ethnicity,
                        hukou_address=inp.hukou_address,
                        residence_address=inp.residence_address,
                        phone=inp.phone,
                        local_hukou=inp.local_hukou,
                        is_student=inp.is_student,
                        has_employee_pension=inp.has_employee_pension,
                        has_other_state_pension=inp.has_other_state_pension,
                        is_public_staff=inp.is_public_staff,
                        is_migrant_worker=inp.is_migrant_worker,
                        base_version=self._detail.version,
                    )
                self.saved_person_id = person.id
                owes_proof = self._detail is None and any(p.code == "proof_owed" for p in problems)
        except ServiceError as error:
            self._touched.update(self.problem_labels)
            self._show(error.problems)
            show_error(self, error.user_message, self.tr("不能保存"))
            return False
        except StoreError as error:
            show_store_error(self, error)
            return False
        if owes_proof:  # a hardship group was ticked: its proof and validity now, while the papers are at hand
            self._category_dialog(person.id, person.name)
        self.accept()
        return True

    def edit_categories(self) -> None:
        """参保身份和证明材料…: complete a category's proof and validity or add one; then show what changed."""
        if self._detail is None or self.read_only_reason:
            return
        if self._category_dialog(self._detail.id, self._detail.name):
            with self._session_factory() as session:
                detail = person_detail(session, self._detail.id)
                self._held = person_categories(session, self._detail.id, today=self._today)
            if detail is not None:
                edited = self._edited  # recorded already: showing it is not typing
                self._detail = detail
                self._load(detail)
                self._edited = edited
                self.saved_person_id = detail.id
            self.validate_now()

    def _category_dialog(self, person_id: str, name: str) -> bool:
        """Open the 参保身份和证明材料 dialog for a person; True when something was saved there."""
        from pensiondesk.gui.category_dialog import CategoryDialog

        dialog = CategoryDialog(self._session_factory, person_id, name, self, today=self._today, actor=self._actor)
        dialog.exec()
        return dialog.changed

    def _new_group_confirmed(self) -> bool:
        """A group name the village does not have yet is often a typo: say that saving creates it, and ask
        (取消 is the default)."""
        name = self.group_combo.currentText().strip()
        return confirm(
            self,
            self.tr("新建村民小组"),
            self.tr("一个新的村民小组“%s”将被创建，确定吗？\n\n如果是笔误，请选“取消”，改成已有的小组名称。") % name,
            yes=self.tr("新建并保存(&Y)"),
        )

    def change_key_field(self) -> None:
        """修改关键信息…: the reason-and-evidence dialog; on success the form shows the new values."""
        if self._detail is None:
            return
        dialog = KeyFieldDialog(self._session_factory, self._detail, self, today=self._today, actor=self._actor)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            with self._session_factory() as session:
                detail = person_detail(session, self._detail.id)
            if detail is not None:
                edited = self._edited  # the change is recorded already: showing it is not typing
                self._detail = detail
                self._load(detail)
                self._edited = edited
                self.saved_person_id = detail.id
                self.setWindowTitle(self.tr("修改人员信息 — %s") % detail.name)
                self.validate_now()


class KeyFieldDialog(QDialog):
    """修改关键信息: which key field, its new value, the reason and the evidence reference (domain.md §14).

    The people service refuses a change without reason or evidence, or one that disagrees with the ID number;
    its reasons are shown beside the fields and the dialog stays open.
    """

    def __init__(
        self,
        session_factory: SessionFactory,
        detail: PersonDetail,
        parent: QWidget | None = None,
        *,
        today: date | None = None,
        actor: Callable[[], Actor] = current_actor,
    ) -> None:
        super().__init__(parent)
        self._session_factory = session_factory
        self._detail = detail
        self._today = today
        self._actor = actor
        self.setWindowTitle(self.tr("修改关键信息 — %s") % detail.name)

        self.field_combo = QComboBox()
        self.field_combo.setObjectName("keyField")
        for key, title in (
            ("name", self.tr("姓名")),
            ("id_number", self.tr("公民身份号码")),
            ("birth_date", self.tr("出生日期")),
            ("sex", self.tr("性别")),
        ):
            self.field_combo.addItem(title, key)
        self.current_label = QLabel()
        self.value_edit = QLineEdit()
        self.value_edit.setObjectName("newValue")
        self.sex_combo = QComboBox()
        for sex in Sex:
            self.sex_combo.addItem(sex.label, sex.value)
        self.reason_edit = QLineEdit()
        self.reason_edit.setObjectName("reason")
        self.reason_edit.setPlaceholderText(self.tr("例如：登记时姓名录错，按户口簿更正"))
        self.evidence_edit = QLineEdit()
        self.evidence_edit.setObjectName("evidence")
        self.evidence_edit.setPlaceholderText(self.tr("新的登记表和身份证复印件的档案编号，例如 2024-红旗-015"))
        self.problem_labels = {key: ProblemLabel() for key in ("value", "reason", "evidence_ref", "")}
        self.problem_labels["reason"].setObjectName("problem_reason")
        self.problem_labels["evidence_ref"].setObjectName("problem_evidence_ref")
        self.problem_labels["value"].setObjectName("problem_value")
        self.problem_labels[""].setObjectName("problem_general")

        grid = QGridLayout()
        rows: list[tuple[str, QWidget | None, str | None]] = [
            (self.tr("要修改的项目(&X)："), self.field_combo, None),
            (self.tr("原来的值："), self.current_label, None),
            (self.tr("改为(&W)："), None, "value"),
            (self.tr("变更原因(&R)："), self.reason_edit, "reason"),
            (self.tr("证明材料编号(&E)："), self.evidence_edit, "evidence_ref"),
        ]
        row = 0
        for title, widget, problem_key in rows:
            label = QLabel(title)
            label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            grid.addWidget(label, row, 0)
            if widget is None:
                holder = QWidget()
                line = QHBoxLayout(holder)
                line.setContentsMargins(0, 0, 0, 0)
                line.addWidget(self.value_edit)
                line.addWidget(self.sex_combo)
                grid.addWidget(holder, row, 1)
                label.setBuddy(self.value_edit)
            else:
                grid.addWidget(widget, row, 1)
                label.setBuddy(widget)
            row += 1
            if problem_key is not None:
                grid.addWidget(self.problem_labels[problem_key], row, 1)
                row += 1
        grid.setColumnStretch(1, 1)

        self.ok_button = QPushButton(self.tr("确认修改"))
        self.ok_button.setObjectName("confirmKeyChange")
        self.ok_button.setDefault(True)
        self.ok_button.clicked.connect(self.apply)
        cancel = QPushButton(self.tr("取消"))
        cancel.setAutoDefault(False)
        cancel.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.ok_button)
        buttons.addWidget(cancel)
        note = QLabel(self.tr("关键信息的每次修改都会记录原值、新值、原因、证明材料、修改人和时间。"))
        note.setWordWrap(True)
        note.setStyleSheet("color: #555;")
        layout = QVBoxLayout(self)
        layout.addLayout(grid)
        layout.addWidget(self.problem_labels[""])
        layout.addWidget(note)
        layout.addLayout(buttons)
        self.field_combo.currentIndexChanged.connect(self._field_chosen)
        self._field_chosen()
        self.resize(620, 0)
        AltKeyGuard(self).watch()

    def _fit(self) -> None:
        """Grow until every problem shown under a field has the lines it needs (within the screen)."""
        layout = self.layout()
        if layout is None:
            return
        layout.activate()
        needed = (
            layout.totalHeightForWidth(self.width()) if layout.hasHeightForWidth() else layout.totalSizeHint().height()
        )
        grow_to(self, needed)

    @property
    def field(self) -> KeyField:
        key = self.field_combo.currentData()
        assert key in ("name", "id_number", "birth_date", "sex")
        return key

    def _field_chosen(self) -> None:
        field = self.field
        current = {
            "name": self._detail.name,
            "id_number": self._detail.id_number,
            "birth_date": self._detail.birth_date.isoformat(),
            "sex": self._detail.sex.label,
        }[field]
        self.current_label.setText(current)
        self.sex_combo.setVisible(field == "sex")
        self.value_edit.setVisible(field != "sex")
        self.value_edit.clear()
        if field == "birth_date":
            self.value_edit.setPlaceholderText(self.tr("年-月-日，例如 1966-07-15"))
        elif field == "id_number":
            self.value_edit.setPlaceholderText(self.tr("新的18位身份证号（出生日期和性别随之更正）"))
        else:
            self.value_edit.setPlaceholderText("")
        for label in self.problem_labels.values():
            label.show_problems([])

    def apply(self) -> bool:
        """确认修改: ask the people service; True (and the dialog closes) when the change was recorded."""
        field = self.field
        new_value: str | date | Sex
        if field == "sex":
            new_value = Sex(self.sex_combo.currentData())
        elif field == "birth_date":
            new_value = _parse_date(self.value_edit.text()) or self.value_edit.text().strip()
        else:
            new_value = self.value_edit.text().strip()
        try:
            with self._session_factory() as session:
                people.change_key_field(
                    session,
                    self._actor(),
                    self._detail.id,
                    field,
                    new_value,
                    reason=self.reason_edit.text(),
                    evidence_ref=self.evidence_edit.text(),
                    today=self._today,
                    base_version=self._detail.version,
                )
        except ServiceError as error:
            grouped: dict[str, list[Problem]] = {key: [] for key in self.problem_labels}
            for problem in error.problems:
                key = problem.field if problem.field in ("reason", "evidence_ref") else ""
                if problem.field == field:
                    key = "value"
                grouped[key].append(problem)
            for key, label in self.problem_labels.items():
                label.show_problems(grouped[key])
            self._fit()
            return False
        except StoreError as error:
            show_store_error(self, error)
            return False
        self.accept()
        return True
