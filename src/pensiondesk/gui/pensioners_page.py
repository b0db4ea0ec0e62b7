"""The 待遇/认证 page: three tabs for the other half of the coordinator's year.

* **到龄(60岁)** — residents reaching 60 in the next 1–3 months (and those already 60 without an approved case)
  with years paid and missing; print the 《待遇领取通知表》 for the selected ones (or all), record that they
  were notified, send the cases up, and record the county's answer (amount and start month, or the reason).
* **资格认证** — the pensioners whose certification is due within 30 days, overdue (待暂停), suspended, or
  without a record; mark lapsed cycles as suspension pending; and fast entry for a day of home visits: type the
  last digits of an ID number or a name and press Enter to add the person to the selection, then record the
  certification of everyone selected at once (date, method, certifier, witness, optional photo).
* **死亡注销** — report a death (with the settlement shown at once), import the 民政 monthly death list (matched
  rows reported, the rest listed), fill in the heir, move the review village → township → county, and print the
  注销登记暨丧葬补助金申请表.

Everything goes through the services in one session per action (:func:`run_service`), so a refusal is a message
box in plain Chinese and nothing is half written.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session

from pensiondesk.documents.death_application import render_death_application_bytes
from pensiondesk.documents.notification_form import render_notification_forms_bytes
from pensiondesk.domain.codes import DeathSource, ReviewState, SurvivalMethod, SurvivalResult
from pensiondesk.domain.money import InvalidAmount, format_yuan, parse_yuan
from pensiondesk.domain.survival import SurvivalStatus
from pensiondesk.gui.errors import confirm
from pensiondesk.gui.pensioner_widgets import (
    GroupChooser,
    PdfPreviewDialog,
    RowsModel,
    current_actor,
    from_qdate,
    keep_selection,
    make_table,
    run_service,
    selected_rows,
    to_qdate,
)
from pensiondesk.gui.person_model import SessionFactory
from pensiondesk.gui.qt import (
    QT_TRANSLATE_NOOP,
    QApplication,
    QCheckBox,
    QColor,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QItemSelectionModel,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QShowEvent,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from pensiondesk.services.deaths import (
    DeathListResult,
    DeathReport,
    HeirInput,
    advance_cancellation_review,
    death_application,
    import_death_list,
    list_cancellations,
    match_death_list,
    read_death_list,
    report_death,
    update_heir,
)
from pensiondesk.services.pensioner_common import find_person_by_id_number, group_names, parse_year_month
from pensiondesk.services.pensioners import (
    BenefitAnswer,
    Reaching60Row,
    apply_benefit_answer,
    notification_form_data,
    open_benefit_case,
    reaching_60_list,
    record_notification,
    submit_benefit_case,
)
from pensiondesk.services.people_types import ServiceError
from pensiondesk.services.recording import Actor
from pensiondesk.services.survival import (
    CheckInput,
    CheckOutcome,
    SurvivalRow,
    mark_overdue_suspensions,
    overdue_to_mark,
    record_checks,
    survival_rows,
)

__all__ = ["DeathsTab", "PensionersPage", "Reaching60Tab", "SurvivalTab"]

_WARN = QColor(178, 34, 34)
_MUTED = QColor(120, 120, 120)
#: Names a death-list confirmation spells out before "等" (the count is always given in full).
DEATH_LIST_NAMES_SHOWN = 12


class PensionersPage(QWidget):
    """待遇/认证: the tabs 到龄(60岁), 资格认证, 死亡注销."""

    def __init__(
        self,
        session_factory: SessionFactory,
        parent: QWidget | None = None,
        *,
        today: Callable[[], date] = date.today,
        actor: Callable[[], Actor] = current_actor,
    ) -> None:
        super().__init__(parent)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("pensionerTabs")
        self.reaching = Reaching60Tab(session_factory, today=today, actor=actor)
        self.survival = SurvivalTab(session_factory, today=today, actor=actor)
        self.deaths = DeathsTab(session_factory, today=today, actor=actor)
        self.tabs.addTab(self.reaching, self.tr("到龄(60岁)(&A)"))
        self.tabs.addTab(self.survival, self.tr("资格认证(&C)"))
        self.tabs.addTab(self.deaths, self.tr("死亡注销(&D)"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.tabs)

    def refresh(self) -> None:
        for tab in (self.reaching, self.survival, self.deaths):
            tab.refresh()


class _Tab(QWidget):
    def __init__(
        self, session_factory: SessionFactory, *, today: Callable[[], date], actor: Callable[[], Actor]
    ) -> None:
        super().__init__()
        self.session_factory = session_factory
        self.today = today
        self.actor = actor
        self.loaded = False

    def refresh(self) -> None:  # pragma: no cover - every tab overrides it
        raise NotImplementedError

    def showEvent(self, event: QShowEvent) -> None:
        """Read the lists the first time the tab is shown, not when the window opens (a fast start)."""
        super().showEvent(event)
        if not self.loaded:
            self.loaded = True
            self.refresh()

    def _ask_date(self, title: str, label: str) -> date | None:
        dialog = QDialog(self)
        dialog.setWindowTitle(title)
        edit = QDateEdit(to_qdate(self.today()))
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd")
        form = QFormLayout(dialog)
        form.addRow(label, edit)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(dialog.accept)
        buttons.rejected.connect(dialog.reject)
        form.addRow(buttons)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return from_qdate(edit.date())


# --- 到龄(60岁) ------------------------------------------------------------------------------------------------------


class Reaching60Tab(_Tab):
    """即将年满60周岁: the list, the notification forms, the case and the county's answer."""

    HEADERS = (
        "姓名",
        "性别",
        "公民身份号码",
        "村民小组",
        "年满60周岁",
        "最早起始年月",
        "已缴年限",
        "尚缺年限",
        "通知日期",
        "办理状态",
        "备注",
    )

    def __init__(self, session_factory: SessionFactory, *, today: Callable[[], date], actor: Callable[[], Actor]):
        super().__init__(session_factory, today=today, actor=actor)
        self.months = QSpinBox()
        self.months.setRange(1, 3)
        self.months.setValue(1)
        self.months.setSuffix(self.tr(" 个月内"))
        self.groups = GroupChooser()
        self.refresh_button = QPushButton(self.tr("刷新"))
        self.model = RowsModel(self.HEADERS, self)
        self.model.right_columns = {6, 7}
        self.table = make_table(self.model, multi=True, name="reachingTable")
        self.count_label = QLabel()
        self.print_button = QPushButton(self.tr("打印通知表(&N)…"))
        self.notified_button = QPushButton(self.tr("登记已通知…"))
        self.submit_button = QPushButton(self.tr("上报"))
        self.answer_button = QPushButton(self.tr("登记审核结果…"))
        for button, slot in (
            (self.refresh_button, self.refresh),
            (self.print_button, self.print_forms),
            (self.notified_button, self.mark_notified),
            (self.submit_button, self.submit_selected),
            (self.answer_button, self.record_answer),
        ):
            button.clicked.connect(slot)
        self.months.valueChanged.connect(self.refresh)
        self.groups.currentIndexChanged.connect(self.refresh)

        top = QHBoxLayout()
        months_label = QLabel(self.tr("年满60周岁(&M)："))
        months_label.setBuddy(self.months)
        self.groups.setAccessibleName(self.tr("村民小组"))
        top.addWidget(months_label)
        top.addWidget(self.months)
        top.addWidget(self.groups)
        top.addWidget(self.refresh_button)
        top.addStretch(1)
        top.addWidget(self.count_label)
        actions = QHBoxLayout()
        for button in (self.print_button, self.notified_button, self.submit_button, self.answer_button):
            actions.addWidget(button)
        actions.addStretch(1)
        hint = QLabel(self.tr("选中一行或多行后办理；不选时“打印通知表”打印全部。已满60周岁仍未办结的人员也列在表中。"))
        hint.setStyleSheet("color: #555;")
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(actions)
        layout.addWidget(self.table, 1)
        layout.addWidget(hint)
        self._case_ids: list[str | None] = []

    def refresh(self) -> None:
        keep_selection(self.table, self.model, self._reload)

    def _reload(self) -> None:
        def load(session: Session) -> list[Reaching60Row]:
            self.groups.set_groups(group_names(session))
            return reaching_60_list(
                session, as_of=self.today(), within_months=self.months.value(), group_id=self.groups.group_id()
            )

        rows = run_service(self, self.session_factory, load)
        if rows is None:
            return
        self._case_ids = [r.case_id for r in rows]
        colours = {i: _WARN for i, r in enumerate(rows) if r.overdue}
        self.model.set_rows(
            [
                (
                    r.person_id,
                    (
                        r.name,
                        r.sex.label,
                        r.id_number,
                        r.group_name,
                        r.reaches_60_on.isoformat(),
                        f"{r.earliest_start.year}年{r.earliest_start.month}月",
                        str(r.years_paid),
                        str(r.years_missing),
                        r.notified_on.isoformat() if r.notified_on else "",
                        r.case_state.label if r.case_state else self.tr("未办理"),
                        r.note,
                    ),
                )
                for r in rows
            ],
            colours=colours,
        )
        self.count_label.setText(self.tr("共 %d 人") % len(rows))

    def _chosen(self, *, all_if_none: bool = False) -> list[str]:
        rows = selected_rows(self.table)
        if not rows and all_if_none:
            rows = list(range(self.model.rowCount()))
        return [self.model.row_id(r) for r in rows]

    def print_forms(self) -> bool:
        person_ids = self._chosen(all_if_none=True)
        if not person_ids:
            QMessageBox.information(self, self.tr("打印通知表"), self.tr("名单中没有人员"))
            return False
        forms = run_service(
            self, self.session_factory, lambda s: notification_form_data(s, person_ids, as_of=self.today())
        )
        if not forms:
            return False
        pdf = render_notification_forms_bytes(forms, issued_on=self.today())
        self.preview = PdfPreviewDialog(self.tr("待遇领取通知表"), pdf, name="待遇领取通知表.pdf", parent=self)
        self.preview.show()
        return True

    def mark_notified(self, notified_on: date | None = None) -> int:
        person_ids = self._chosen()
        if not person_ids:
            QMessageBox.information(self, self.tr("登记已通知"), self.tr("请先选中已经通知并签字的人员"))
            return 0
        day = notified_on or self._ask_date(self.tr("登记已通知"), self.tr("通知（签字或按手印）日期："))
        if day is None:
            return 0
        actor = self.actor()

        def work(session: Session) -> int:
            for person_id in person_ids:
                case = open_benefit_case(session, person_id, actor=actor, as_of=self.today())
                record_notification(session, case.id, notified_on=day, actor=actor)
            return len(person_ids)

        done = run_service(self, self.session_factory, work) or 0
        self.refresh()
        return done

    def submit_selected(self) -> int:
        rows = selected_rows(self.table)
        person_ids = [self.model.row_id(r) for r in rows]
        if not person_ids:
            QMessageBox.information(self, self.tr("上报"), self.tr("请先选中要上报的人员"))
            return 0
        if any(not self.model.row_cells(r)[8] for r in rows):  # 通知日期 empty: the service refuses; say so first
            QMessageBox.information(
                self, self.tr("上报"), self.tr("请先登记通知日期（本人已在待遇领取通知表上签字或按手印），再上报")
            )
            return 0
        names = "、".join(self.model.row_cells(r)[0] for r in rows[:DEATH_LIST_NAMES_SHOWN])
        if len(rows) > DEATH_LIST_NAMES_SHOWN:
            names += self.tr(" 等")
        question = self.tr(
            "确定要把 %d 人的待遇领取申请上报乡镇和县社保机构吗？\n\n%s\n\n"
            "上报后村里不能再修改或撤回，要等乡镇、县里审核；退回后才能改了再报。"
        ) % (len(person_ids), names)
        if not confirm(self, self.tr("上报"), question, yes=self.tr("上报 %d 人(&Y)") % len(person_ids)):
            return 0
        actor = self.actor()

        def work(session: Session) -> int:
            for person_id in person_ids:
                case = open_benefit_case(session, person_id, actor=actor, as_of=self.today())
                submit_benefit_case(session, case.id, actor=actor)
            return len(person_ids)

        done = run_service(self, self.session_factory, work) or 0
        self.refresh()
        return done

    def record_answer(self, answer: BenefitAnswer | None = None) -> bool:
        rows = selected_rows(self.table)
        if len(rows) != 1:
            QMessageBox.information(self, self.tr("登记审核结果"), self.tr("请选中一个人员"))
            return False
        case_id = self._case_ids[rows[0]]
        if case_id is None:
            QMessageBox.information(self, self.tr("登记审核结果"), self.tr("这个人员还没有上报，不能登记审核结果"))
            return False
        if answer is None:
            answer = BenefitAnswerDialog.ask(self, case_id, self.today())
            if answer is None:
                return False
        chosen = answer
        result = run_service(self, self.session_factory, lambda s: apply_benefit_answer(s, chosen, actor=self.actor()))
        self.refresh()
        return result is not None


class BenefitAnswerDialog(QDialog):
    """县级审核结果: approved with the monthly amount and the start month, or returned with the reason."""

    def __init__(self, parent: QWidget, today: date) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("登记县级审核结果"))
        self.approved = QComboBox()
        self.approved.addItem(self.tr("审核通过"), True)
        self.approved.addItem(self.tr("退回"), False)
        self.amount = QLineEdit()
        self.amount.setPlaceholderText(self.tr("例如 165.32"))
        self.start = QLineEdit()
        self.start.setPlaceholderText(self.tr("例如 2027-01"))
        self.reason = QLineEdit()
        self.day = QDateEdit(to_qdate(today))
        self.day.setDisplayFormat("yyyy-MM-dd")
        form = QFormLayout(self)
        form.addRow(self.tr("审核结果："), self.approved)
        form.addRow(self.tr("月养老金（元）："), self.amount)
        form.addRow(self.tr("待遇起始年月："), self.start)
        form.addRow(self.tr("退回原因："), self.reason)
        form.addRow(self.tr("答复日期："), self.day)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    @classmethod
    def ask(cls, parent: QWidget, case_id: str, today: date) -> BenefitAnswer | None:
        dialog = cls(parent, today)
        while dialog.exec() == QDialog.DialogCode.Accepted:
            try:
                return dialog.answer(case_id)
            except ServiceError as error:
                QMessageBox.warning(dialog, QApplication.translate("BenefitAnswerDialog", "请检查"), error.user_message)
        return None

    def answer(self, case_id: str) -> BenefitAnswer:
        approved = bool(self.approved.currentData())
        day = from_qdate(self.day.date())
        if not approved:
            return BenefitAnswer(case_id, False, day, reason=self.reason.text())
        try:
            amount = parse_yuan(self.amount.text())
        except InvalidAmount as error:
            raise ServiceError(error.message) from None
        return BenefitAnswer(case_id, True, day, amount, parse_year_month(self.start.text()))


# --- 资格认证 -------------------------------------------------------------------------------------------------------


_STATE_CHOICES: tuple[tuple[str, tuple[SurvivalStatus, ...] | None], ...] = (
    (QT_TRANSLATE_NOOP("SurvivalTab", "即将到期（30天内）"), (SurvivalStatus.DUE,)),
    (QT_TRANSLATE_NOOP("SurvivalTab", "已逾期（待暂停）"), (SurvivalStatus.OVERDUE,)),
    (QT_TRANSLATE_NOOP("SurvivalTab", "已暂停发放"), (SurvivalStatus.SUSPENDED,)),
    (QT_TRANSLATE_NOOP("SurvivalTab", "无认证记录"), (SurvivalStatus.NO_RECORD,)),
    (QT_TRANSLATE_NOOP("SurvivalTab", "全部待遇领取人员"), None),
)


class SurvivalTab(_Tab):
    """领取资格认证: due / overdue / suspended lists and fast entry for a day of home visits."""

    HEADERS = ("姓名", "性别", "公民身份号码", "村民小组", "认证状态", "上次认证", "认证方式", "周期截止", "剩余天数")

    def __init__(self, session_factory: SessionFactory, *, today: Callable[[], date], actor: Callable[[], Actor]):
        super().__init__(session_factory, today=today, actor=actor)
        self.state = QComboBox()
        self.state.setObjectName("survivalState")
        self.state.setAccessibleName(self.tr("认证状态"))
        for label, _states in _STATE_CHOICES:
            self.state.addItem(self.tr(label))
        self.groups = GroupChooser()
        self.groups.setAccessibleName(self.tr("村民小组"))
        self.refresh_button = QPushButton(self.tr("刷新"))
        self.sweep_button = QPushButton(self.tr("逾期人员标记为待暂停"))
        self.count_label = QLabel()
        self.model = RowsModel(self.HEADERS, self)
        self.model.right_columns = {8}
        self.table = make_table(self.model, multi=True, name="survivalTable")
        self.table.horizontalHeader().resizeSection(4, self.fontMetrics().horizontalAdvance("已逾期（待暂停）") + 24)
        self.table.horizontalHeader().resizeSection(
            6, self.fontMetrics().horizontalAdvance("人脸识别(协办员协助)") + 24
        )
        selection = self.table.selectionModel()
        if selection is not None:
            selection.selectionChanged.connect(self._update_selection_label)

        entry = QGroupBox(self.tr("登记认证（可一次登记多人：一天的上门认证）"))
        self.find_box = QLineEdit()
        self.find_box.setObjectName("survivalFind")
        self.find_box.setPlaceholderText(self.tr("身份证号后几位或姓名，回车加入选择"))
        self.find_box.returnPressed.connect(self.add_match_to_selection)
        self.day = QDateEdit(to_qdate(today()))
        self.day.setDisplayFormat("yyyy-MM-dd")
        self.day.setCalendarPopup(True)
        self.method = QComboBox()
        for method in SurvivalMethod:
            self.method.addItem(method.label, method)
        self.result = QComboBox()
        for result in SurvivalResult:
            self.result.addItem(result.label, result)
        self.certifier = QLineEdit()
        self.certifier.setPlaceholderText(self.tr("认证人；异地认证写认证机构"))
        self.witness = QLineEdit()
        self.attachment = QLineEdit()
        self.attachment.setPlaceholderText(self.tr("照片或扫描件（只登记一人时）"))
        browse = QPushButton(self.tr("选择…"))
        browse.clicked.connect(self._choose_attachment)
        self.record_button = QPushButton(self.tr("登记所选人员的认证(&R)"))
        self.record_button.setObjectName("recordChecks")
        self.record_button.clicked.connect(self.record_selected)
        self.selection_label = QLabel()
        self.messages = QPlainTextEdit()
        self.messages.setReadOnly(True)
        self.messages.setMaximumHeight(110)
        self.messages.setObjectName("survivalMessages")
        form = QFormLayout()
        form.addRow(self.tr("查找："), self.find_box)
        row = QHBoxLayout()
        row.addWidget(self.day)
        row.addWidget(self.method)
        row.addWidget(self.result)
        form.addRow(self.tr("日期/方式/结果："), row)
        people = QHBoxLayout()
        people.addWidget(self.certifier, 2)
        witness_label = QLabel(self.tr("见证人："))
        witness_label.setBuddy(self.witness)
        people.addWidget(witness_label)
        people.addWidget(self.witness, 1)
        form.addRow(self.tr("认证人："), people)
        # A row whose field is a layout gets no buddy from QFormLayout: name its first field by hand.
        for field_row, first in ((row, self.day), (people, self.certifier)):
            row_label = form.labelForField(field_row)
            if isinstance(row_label, QLabel):
                row_label.setBuddy(first)
        self.method.setAccessibleName(self.tr("认证方式"))
        self.result.setAccessibleName(self.tr("认证结果"))
        files = QHBoxLayout()
        files.addWidget(self.attachment, 1)
        files.addWidget(browse)
        form.addRow(self.tr("附件："), files)
        attachment_label = form.labelForField(files)
        if isinstance(attachment_label, QLabel):
            attachment_label.setBuddy(self.attachment)
        buttons = QHBoxLayout()
        buttons.addWidget(self.selection_label, 1)
        buttons.addWidget(self.record_button)
        form.addRow(buttons)
        form.addRow(self.messages)
        entry.setLayout(form)

        top = QHBoxLayout()
        top.addWidget(self.state)
        top.addWidget(self.groups)
        top.addWidget(self.refresh_button)
        top.addWidget(self.sweep_button)
        top.addStretch(1)
        top.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(entry)

        self.refresh_button.clicked.connect(self.refresh)
        self.sweep_button.clicked.connect(self.mark_overdue)
        self.state.currentIndexChanged.connect(self.refresh)
        self.groups.currentIndexChanged.connect(self.refresh)

    def refresh(self) -> None:
        keep_selection(self.table, self.model, self._reload)
        self._update_selection_label()

    def _reload(self) -> None:
        states = _STATE_CHOICES[self.state.currentIndex()][1]
        on = self.today()

        def load(session: Session) -> list[SurvivalRow]:
            self.groups.set_groups(group_names(session))
            return survival_rows(session, as_of=on, group_id=self.groups.group_id(), states=states)

        rows = run_service(self, self.session_factory, load)
        if rows is None:
            return
        colours = {
            i: _WARN if r.state in (SurvivalStatus.OVERDUE, SurvivalStatus.SUSPENDED) else _MUTED
            for i, r in enumerate(rows)
            if r.state is not SurvivalStatus.CURRENT and r.state is not SurvivalStatus.DUE
        }
        self.model.set_rows(
            [
                (
                    r.person_id,
                    (
                        r.name,
                        r.sex.label,
                        r.id_number,
                        r.group_name,
                        self.tr("待暂停") if r.pending else r.state.label,
                        r.last_certified_on.isoformat() if r.last_certified_on else "",
                        r.last_method.label if r.last_method else "",
                        r.cycle_end.isoformat() if r.cycle_end else "",
                        str(r.days_left(on)) if r.cycle is not None else "",
                    ),
                )
                for r in rows
            ],
            colours=colours,
        )
        self.count_label.setText(self.tr("共 %d 人") % len(rows))

    def _update_selection_label(self, *_: object) -> None:
        self.selection_label.setText(self.tr("已选 %d 人") % len(selected_rows(self.table)))

    def add_match_to_selection(self) -> bool:
        """Fast entry: the typed ID ending or name selects that person (added to the selection)."""
        text = self.find_box.text().strip().upper()
        if not text:
            return False
        matches = [
            row
            for row in range(self.model.rowCount())
            if self.model.row_cells(row)[2].endswith(text) or self.model.row_cells(row)[0] == text
        ]
        if len(matches) != 1:
            message = self.tr("没有找到“%s”") if not matches else self.tr("“%s”对应多人，请多输入几位身份证号")
            self.messages.appendPlainText(message % text)
            return False
        index = self.model.index(matches[0], 0)
        flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        self.table.selectionModel().select(index, flags)
        self.table.scrollTo(index)
        self.find_box.clear()
        self._update_selection_label()
        return True

    def _choose_attachment(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, self.tr("选择照片或扫描件"), "", self.tr("图片或PDF (*.jpg *.jpeg *.png *.pdf *.tif *.bmp)")
        )
        if name:
            self.attachment.setText(name)

    def record_selected(self) -> list[CheckOutcome]:
        person_ids = [self.model.row_id(r) for r in selected_rows(self.table)]
        if not person_ids:
            QMessageBox.information(self, self.tr("登记认证"), self.tr("请先在表中选中要登记的人员"))
            return []
        attachment = self.attachment.text().strip()
        if attachment and len(person_ids) != 1:
            QMessageBox.information(self, self.tr("登记认证"), self.tr("附件只能随一个人的认证登记，请只选中一人"))
            return []
        method = SurvivalMethod(self.method.currentData())  # Qt hands a StrEnum back as its str value
        result = SurvivalResult(self.result.currentData())
        entries = [
            CheckInput(
                person_id=person_id,
                checked_on=from_qdate(self.day.date()),
                method=method,
                certifier=self.certifier.text(),
                result=result,
                witness=self.witness.text() or None,
                attachment=Path(attachment) if attachment else None,
            )
            for person_id in person_ids
        ]
        outcomes = run_service(
            self,
            self.session_factory,
            lambda s: record_checks(s, entries, actor=self.actor(), today=self.today()),
        )
        if outcomes is None:
            return []
        for outcome in outcomes:
            self.messages.appendPlainText(outcome.message)
        self.attachment.clear()
        self.refresh()
        return outcomes

    def mark_overdue(self) -> int:
        """逾期人员标记为待暂停: says how many and who, and asks first (their pension stops until they certify)."""
        pending = run_service(self, self.session_factory, lambda s: overdue_to_mark(s, as_of=self.today()))
        if pending is None:
            return 0
        if not pending:
            self.messages.appendPlainText(self.tr("没有需要标记为待暂停的逾期未认证人员"))
            return 0
        shown = "、".join(row.name for row in pending[:DEATH_LIST_NAMES_SHOWN])
        if len(pending) > DEATH_LIST_NAMES_SHOWN:
            shown += self.tr(" 等")
        question = self.tr(
            "确定要把 %d 名逾期未认证的人员标记为“待暂停”吗？\n\n%s\n\n"
            "标记后，他们的养老金从认证期满后的那个月起暂停发放，补办认证后才恢复。标记不能撤销。"
        ) % (len(pending), shown)
        if not confirm(self, self.tr("标记待暂停"), question, yes=self.tr("标记 %d 人待暂停(&Y)") % len(pending)):
            self.messages.appendPlainText(self.tr("没有标记任何人待暂停"))
            return 0
        marked = run_service(
            self, self.session_factory, lambda s: mark_overdue_suspensions(s, as_of=self.today(), actor=self.actor())
        )
        if marked is None:
            return 0
        self.messages.appendPlainText(self.tr("已将 %d 名逾期未认证人员标记为待暂停") % len(marked))
        self.refresh()
        return len(marked)


# --- 死亡注销 -------------------------------------------------------------------------------------------------------


class DeathsTab(_Tab):
    """死亡注销登记: report, import the 民政 list, heir, review, application form."""

    HEADERS = (
        "姓名",
        "公民身份号码",
        "死亡日期",
        "停发年月",
        "多领金额",
        "丧葬补助金",
        "抵扣",
        "实发",
        "账户余额",
        "垫付未还",
        "继承人",
        "办理状态",
    )

    def __init__(self, session_factory: SessionFactory, *, today: Callable[[], date], actor: Callable[[], Actor]):
        super().__init__(session_factory, today=today, actor=actor)
        self.model = RowsModel(self.HEADERS, self)
        self.model.right_columns = {4, 5, 6, 7, 8, 9}
        self.table = make_table(self.model, name="deathsTable")
        self.report_button = QPushButton(self.tr("登记死亡(&R)…"))
        self.import_button = QPushButton(self.tr("导入民政死亡名单(&I)…"))
        self.heir_button = QPushButton(self.tr("填写继承人…"))
        self.check_button = QPushButton(self.tr("村级初审…"))
        self.submit_button = QPushButton(self.tr("上报"))
        self.answer_button = QPushButton(self.tr("登记乡镇/县级结果…"))
        self.print_button = QPushButton(self.tr("打印申请表(&P)…"))
        self.messages = QPlainTextEdit()
        self.messages.setReadOnly(True)
        self.messages.setMaximumHeight(150)
        self.messages.setObjectName("deathMessages")
        for button, slot in (
            (self.report_button, self.report),
            (self.import_button, self.import_list),
            (self.heir_button, self.fill_heir),
            (self.check_button, self.village_check),
            (self.submit_button, self.submit),
            (self.answer_button, self.record_answer),
            (self.print_button, self.print_application),
        ):
            button.clicked.connect(slot)
        actions = QHBoxLayout()
        for button in (self.report_button, self.import_button):
            actions.addWidget(button)
        actions.addStretch(1)
        for button in (self.heir_button, self.check_button, self.submit_button, self.answer_button, self.print_button):
            actions.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(actions)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.messages)

    def refresh(self) -> None:
        keep_selection(self.table, self.model, self._reload)

    def _reload(self) -> None:
        found = run_service(self, self.session_factory, list_cancellations)
        if found is None:
            return
        rows = [(row.cancellation, row.name, row.id_number) for row in found]
        self.model.set_rows(
            [
                (
                    c.id,
                    (
                        name,
                        number,
                        c.death_date.isoformat(),
                        c.stop_month or "",
                        format_yuan(c.overpaid_fen),
                        format_yuan(c.funeral_subsidy_fen) if not c.funeral_refusal_reason else self.tr("不予支付"),
                        format_yuan(c.funeral_offset_fen),
                        format_yuan(c.funeral_subsidy_fen - c.funeral_offset_fen),
                        format_yuan(c.account_balance_fen) if c.account_balance_fen is not None else "",
                        format_yuan(c.advance_owed_fen) if c.advance_owed_fen else "",
                        c.heir_name or "",
                        c.review_state.label,
                    ),
                )
                for c, name, number in rows
            ],
            colours={i: _WARN for i, (c, _n, _i) in enumerate(rows) if c.review_state is ReviewState.RETURNED},
        )

    def _selected_id(self) -> str | None:
        rows = selected_rows(self.table)
        if len(rows) != 1:
            QMessageBox.information(self, self.tr("死亡注销"), self.tr("请先选中一条注销登记"))
            return None
        return self.model.row_id(rows[0])

    def report(self, filled: DeathReportDialog | None = None) -> bool:
        dialog = filled or DeathReportDialog(self, self.today())
        if filled is None and dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        actor = self.actor()

        def who(session: Session) -> tuple[str, str, DeathReport]:
            report = dialog.report(session)  # refuses an unknown ID or an unreadable field before anything is asked
            person = find_person_by_id_number(session, dialog.id_number.text())
            return person.name, person.id_number, report

        found = run_service(self, self.session_factory, who)
        if found is None:
            return False
        name, number, checked = found
        question = self.tr(
            "确定要登记 %s（%s）死亡吗？\n\n死亡日期 %s。登记后此人参保状态改为“终止”，养老金停发，"
            "并算出多领金额和丧葬补助金。登记后不能撤销，请先核对姓名、身份证号和死亡日期。"
        ) % (name, number, checked.death_date.isoformat())
        if not confirm(self, self.tr("登记死亡"), question, yes=self.tr("登记死亡(&Y)")):
            self.messages.appendPlainText(self.tr("没有登记 %s 的死亡") % name)
            return False

        def work(session: Session) -> tuple[str | None, int, int, int, str | None]:
            report = dialog.report(session)
            c = report_death(session, report, actor=actor, today=self.today())
            return c.stop_month, c.overpaid_months, c.overpaid_fen, c.funeral_offset_fen, c.funeral_refusal_reason

        done = run_service(self, self.session_factory, work)
        if done is None:
            return False
        stop, months, overpaid, offset, refusal = done
        text = self.tr("已登记死亡，自 %s 起停发；多领 %d 个月共 %s 元") % (stop, months, format_yuan(overpaid))
        text += "；" + (refusal or self.tr("丧葬补助金抵扣 %s 元") % format_yuan(offset))
        self.messages.appendPlainText(text)
        self.refresh()
        return True

    def _confirm_death_list(self, path: Path) -> bool:
        """Read and match the list first (nothing written), then ask before reporting every matched death."""

        def preview(session: Session) -> DeathListResult:
            rows, _notes = read_death_list(path)
            return match_death_list(session, rows)

        found = run_service(self, self.session_factory, preview)
        if found is None:
            return False
        if not found.matched:
            return True  # nothing will be reported; the import only lists what needs checking
        shown = "、".join(f"{m.person_name}（{m.row.death_date}）" for m in found.matched[:DEATH_LIST_NAMES_SHOWN])
        if len(found.matched) > DEATH_LIST_NAMES_SHOWN:
            shown += self.tr(" 等")
        others = len(found.ambiguous) + len(found.unmatched) + len(found.problems)
        question = self.tr(
            "确定要按民政死亡名单 %s 登记 %d 人死亡吗？\n\n%s\n\n登记后这些人参保状态改为“终止”，养老金停发，"
            "并算出多领金额和丧葬补助金。登记后不能撤销，请先核对名单。\n"
            "需要核实、本村无此人或有问题的 %d 行不会登记，导入后会一一列出；此前已登记的 %d 行不再登记。"
        ) % (path.name, len(found.matched), shown, others, len(found.already_reported))
        if confirm(self, self.tr("导入死亡名单"), question, yes=self.tr("登记 %d 人死亡(&Y)") % len(found.matched)):
            return True
        self.messages.appendPlainText(self.tr("没有导入死亡名单 %s：没有登记任何人的死亡") % path.name)
        return False

    def import_list(self, path: Path | None = None) -> DeathListResult | None:
        if path is None:
            name, _ = QFileDialog.getOpenFileName(
                self, self.tr("选择民政死亡名单"), "", self.tr("表格 (*.xlsx *.xls *.csv *.ods)")
            )
            if not name:
                return None
            path = Path(name)
        chosen = path
        if not self._confirm_death_list(chosen):
            return None

        def work(session: Session) -> DeathListResult:
            return import_death_list(session, chosen, actor=self.actor(), today=self.today())

        result = run_service(self, self.session_factory, work)
        if result is None:
            return None
        lines = [
            self.tr(
                "民政死亡名单 %s：共 %d 行，已登记死亡 %d 人，需要核实 %d 行，本村无此人 %d 行，"
                "此前已登记 %d 行，有问题 %d 行"
            )
            % (
                path.name,
                result.total,
                len(result.matched),
                len(result.ambiguous),
                len(result.unmatched),
                len(result.already_reported),
                len(result.problems),
            )
        ]
        for title, matches in (
            (self.tr("需要核实"), result.ambiguous),
            (self.tr("本村无此人"), result.unmatched),
            (self.tr("有问题"), result.problems),
        ):
            for m in matches:
                lines.append(f"{title}：第{m.row.row_number}行 {m.row.name} {m.row.id_text}　{m.reason}")
        self.messages.appendPlainText("\n".join(lines))
        self.refresh()
        return result

    def fill_heir(self, heir: HeirInput | None = None) -> bool:
        cancellation_id = self._selected_id()
        if cancellation_id is None:
            return False
        if heir is None:
            heir = HeirDialog.ask(self)
            if heir is None:
                return False
        chosen = heir
        done = run_service(
            self, self.session_factory, lambda s: update_heir(s, cancellation_id, chosen, actor=self.actor())
        )
        self.refresh()
        return done is not None

    def village_check(self, reviewer: str | None = None) -> bool:
        cancellation_id = self._selected_id()
        if cancellation_id is None:
            return False
        if reviewer is None:
            name, ok = QInputDialog.getText(self, self.tr("村级初审"), self.tr("初审人（须与录入人不同）："))
            if not ok or not name.strip():
                return False
            reviewer = name.strip()
        checker = Actor(reviewer)
        done = run_service(
            self,
            self.session_factory,
            lambda s: advance_cancellation_review(s, cancellation_id, ReviewState.VILLAGE_CHECKED, actor=checker),
        )
        self.refresh()
        return done is not None

    def submit(self) -> bool:
        cancellation_id = self._selected_id()
        if cancellation_id is None:
            return False
        done = run_service(
            self,
            self.session_factory,
            lambda s: advance_cancellation_review(s, cancellation_id, ReviewState.SUBMITTED, actor=self.actor()),
        )
        self.refresh()
        return done is not None

    def record_answer(self, state: ReviewState | None = None, reason: str | None = None) -> bool:
        cancellation_id = self._selected_id()
        if cancellation_id is None:
            return False
        if state is None:
            choices = [
                self.tr("乡镇复审通过"),
                self.tr("县级审核通过（归档）"),
                self.tr("退回"),
                self.tr("退回后已改正，重新录入"),
            ]
            choice, ok = QInputDialog.getItem(self, self.tr("登记审核结果"), self.tr("结果："), choices, 0, False)
            if not ok:
                return False
            index = choices.index(choice)
            state = (
                ReviewState.TOWNSHIP_CHECKED,
                ReviewState.APPROVED,
                ReviewState.RETURNED,
                ReviewState.ENTERED,
            )[index]
            if state is ReviewState.RETURNED:
                reason, ok = QInputDialog.getText(self, self.tr("退回"), self.tr("退回原因："))
                if not ok:
                    return False
        chosen = state
        done = run_service(
            self,
            self.session_factory,
            lambda s: advance_cancellation_review(s, cancellation_id, chosen, actor=self.actor(), reason=reason),
        )
        self.refresh()
        return done is not None

    def print_application(self) -> bool:
        cancellation_id = self._selected_id()
        if cancellation_id is None:
            return False
        form = run_service(self, self.session_factory, lambda s: death_application(s, cancellation_id))
        if form is None:
            return False
        pdf = render_death_application_bytes(form, printed_on=self.today())
        self.preview = PdfPreviewDialog(
            self.tr("注销登记暨丧葬补助金申请表"), pdf, name=f"{form.name}-注销登记申请表.pdf", parent=self
        )
        self.preview.show()
        return True


class DeathReportDialog(QDialog):
    """登记死亡: who (by ID number), when, how it was reported, the bank statement, the heir."""

    def __init__(self, parent: QWidget, today: date) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("登记死亡"))
        self.id_number = QLineEdit()
        self.id_number.setPlaceholderText(self.tr("死者的18位身份证号"))
        self.death_date = QDateEdit(to_qdate(today))
        self.reported_on = QDateEdit(to_qdate(today))
        for edit in (self.death_date, self.reported_on):
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setCalendarPopup(True)
        self.source = QComboBox()
        for source in DeathSource:
            self.source.addItem(source.label, source)
        self.evidence = QLineEdit()
        self.evidence.setPlaceholderText(self.tr("死亡证明、火化证明或户口注销证明编号"))
        self.paid_through = QLineEdit()
        self.paid_through.setPlaceholderText(self.tr("银行流水显示已发放至哪个月，如 2026-06；不填按报告当月"))
        self.monthly = QLineEdit()
        self.monthly.setPlaceholderText(self.tr("不填按核定金额"))
        self.imprisoned = QCheckBox(self.tr("死亡时正在服刑"))
        self.other_grant = QCheckBox(self.tr("已享受其他丧葬补助"))
        self.heir_name = QLineEdit()
        self.heir_id = QLineEdit()
        self.heir_card = QLineEdit()
        form = QFormLayout(self)
        form.addRow(self.tr("身份证号："), self.id_number)
        form.addRow(self.tr("死亡日期："), self.death_date)
        form.addRow(self.tr("报告日期："), self.reported_on)
        form.addRow(self.tr("信息来源："), self.source)
        form.addRow(self.tr("证明材料："), self.evidence)
        form.addRow(self.tr("已发放至："), self.paid_through)
        form.addRow(self.tr("月养老金（元）："), self.monthly)
        form.addRow(self.imprisoned)
        form.addRow(self.other_grant)
        form.addRow(self.tr("继承人姓名："), self.heir_name)
        form.addRow(self.tr("继承人身份证号："), self.heir_id)
        form.addRow(self.tr("银行卡（社保卡）号："), self.heir_card)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def report(self, session: Session) -> DeathReport:
        """The report as entered; :class:`ServiceError` for what cannot be read."""
        person = find_person_by_id_number(session, self.id_number.text())
        monthly = None
        if self.monthly.text().strip():
            try:
                monthly = parse_yuan(self.monthly.text())
            except InvalidAmount as error:
                raise ServiceError(error.message) from None
        heir = None
        if self.heir_name.text().strip() or self.heir_id.text().strip() or self.heir_card.text().strip():
            heir = HeirInput(self.heir_name.text(), self.heir_id.text(), self.heir_card.text())
        return DeathReport(
            person_id=person.id,
            death_date=from_qdate(self.death_date.date()),
            reported_on=from_qdate(self.reported_on.date()),
            source=DeathSource(self.source.currentData()),
            evidence_ref=self.evidence.text() or None,
            paid_through=parse_year_month(self.paid_through.text()) if self.paid_through.text().strip() else None,
            monthly_fen=monthly,
            imprisoned=self.imprisoned.isChecked(),
            other_funeral_grant=self.other_grant.isChecked(),
            heir=heir,
        )


class HeirDialog(QDialog):
    """继承人: name, ID number, bank or social security card."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("填写继承人"))
        self.name = QLineEdit()
        self.id_number = QLineEdit()
        self.card = QLineEdit()
        form = QFormLayout(self)
        form.addRow(self.tr("继承人姓名："), self.name)
        form.addRow(self.tr("身份证号："), self.id_number)
        form.addRow(self.tr("银行卡（社保卡）号："), self.card)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    @classmethod
    def ask(cls, parent: QWidget) -> HeirInput | None:
        dialog = cls(parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return HeirInput(dialog.name.text(), dialog.id_number.text(), dialog.card.text())
