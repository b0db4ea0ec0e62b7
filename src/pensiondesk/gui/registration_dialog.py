"""参保登记 (录入): the small form that enters a resident's registration, opened from the person list (Ctrl+G).

It shows who is being registered (name, 公民身份号码 as the person form shows it, age on the registration date) and
asks for 登记日期 (today by default, never later), 参保身份 (left on 自动, the service picks the hardship category
the person holds that counts, else 普通) and 缴费档次 (only the tiers the person may choose; 暂不选择 allowed).
登记 calls :func:`pensiondesk.services.registration.register` in one transaction; a refusal is shown inside the
dialog in the service's words and nothing is written. The registration is then 已录入 and waits for 初审 by another
person on 审核 (domain.md §14).

:class:`BulkRegistrationDialog` is the same for several selected people at once (批量参保登记): 登记日期, one
缴费档次 among those every selected person may choose (:func:`~pensiondesk.services.registration.common_tiers`),
参保身份 自动 for everyone. 登记 calls :func:`~pensiondesk.services.registration.register_many` a chunk of people per
transaction (the database is not held for the whole run), all or nothing per person; a progress bar runs meanwhile,
停止 leaves the rest unregistered, and the dialog then lists who was not registered and why.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from datetime import date

from pensiondesk.gui.errors import show_store_error
from pensiondesk.gui.person_form import ProblemLabel, current_actor
from pensiondesk.gui.person_model import SessionFactory
from pensiondesk.gui.qt import (
    QCloseEvent,
    QComboBox,
    QCoreApplication,
    QDate,
    QDateEdit,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QProgressBar,
    QPushButton,
    Qt,
    QVBoxLayout,
    QWidget,
)
from pensiondesk.gui.screen_fit import keep_on_screen, usable_height
from pensiondesk.services import registration
from pensiondesk.services.contributions import tier_text
from pensiondesk.services.people_types import Problem, ServiceError
from pensiondesk.services.recording import Actor
from pensiondesk.services.registration import BulkRefusal, RegistrationOptions
from pensiondesk.store.errors import StoreError

__all__ = ["BulkRegistrationDialog", "RegistrationDialog"]

#: People registered per transaction by :class:`BulkRegistrationDialog` (the write lock is let go in between).
BULK_CHUNK = 100


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _date_edit(today: date) -> QDateEdit:
    """登记日期: today by default, never later."""
    edit = QDateEdit(_qdate(today))
    edit.setObjectName("registeredOn")
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setCalendarPopup(True)
    edit.setMaximumDate(_qdate(today))
    return edit


def _offer_tiers(combo: QComboBox, tiers: Sequence[int]) -> None:
    """缴费档次: 暂不选择 and ``tiers`` (fen), keeping the chosen tier when it is still offered."""
    chosen = combo.currentData()
    combo.clear()
    combo.addItem(QCoreApplication.translate("RegistrationDialog", "暂不选择"), None)
    for fen in tiers:
        combo.addItem(QCoreApplication.translate("RegistrationDialog", "%s 元") % tier_text(fen), fen)
    combo.setCurrentIndex(max(0, combo.findData(chosen)) if chosen is not None else 0)


class _DateAndTier:
    """What both registration dialogs share: the 登记日期 edit and the 缴费档次 combo."""

    date_edit: QDateEdit
    tier_combo: QComboBox

    @property
    def registered_on(self) -> date:
        day = self.date_edit.date()
        return date(day.year(), day.month(), day.day())

    @property
    def tier_yuan(self) -> str | None:
        """The chosen tier as the service takes it (``None``: 暂不选择)."""
        fen = self.tier_combo.currentData()
        return None if fen is None else tier_text(int(fen))

    def choose_tier(self, fen: int | None) -> bool:
        """Choose the tier of ``fen`` yuan-cents (``None``: 暂不选择); False when it is not offered."""
        index = self.tier_combo.findData(fen)
        if index < 0:
            return False
        self.tier_combo.setCurrentIndex(index)
        return True


class RegistrationDialog(_DateAndTier, QDialog):
    """参保登记 for one person; after 登记, :attr:`registration_id` holds the new registration's id.

    Raises :class:`ServiceError` when the person no longer exists (the caller says so and refreshes the list).
    """

    def __init__(
        self,
        session_factory: SessionFactory,
        person_id: str,
        parent: QWidget | None = None,
        *,
        today: date | None = None,
        actor: Callable[[], Actor] = current_actor,
    ) -> None:
        super().__init__(parent)
        self._session_factory = session_factory
        self._person_id = person_id
        self._today = today or date.today()
        self._actor = actor
        self.registration_id: str | None = None
        self.options = self._read(self._today)
        self.setWindowTitle(self.tr("参保登记 — %s") % self.options.name)
        self.setModal(True)

        self.name_label = QLabel()
        self.name_label.setObjectName("registrationName")
        self.id_label = QLabel()
        self.id_label.setObjectName("registrationIdNumber")
        self.id_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.age_label = QLabel()
        self.age_label.setObjectName("registrationAge")
        # At or past the pension age: what to know before choosing a tier (amber, wraps; hidden otherwise).
        self.age_note = QLabel()
        self.age_note.setObjectName("registrationAgeNote")
        self.age_note.setWordWrap(True)
        self.age_note.setStyleSheet("color: #9a6700;")

        self.date_edit = _date_edit(self._today)
        self.category_combo = QComboBox()
        self.category_combo.setObjectName("registrationCategory")
        self.tier_combo = QComboBox()
        self.tier_combo.setObjectName("registrationTier")
        self.problem_label = ProblemLabel()
        self.problem_label.setObjectName("registrationProblems")

        form = QFormLayout()
        form.addRow(self.tr("姓名："), self.name_label)
        form.addRow(self.tr("公民身份号码："), self.id_label)
        form.addRow(self.tr("年龄："), self.age_label)
        form.addRow("", self.age_note)
        for title, widget in (
            (self.tr("登记日期(&D)："), self.date_edit),
            (self.tr("参保身份(&C)："), self.category_combo),
            (self.tr("缴费档次(&T)："), self.tier_combo),
        ):
            label = QLabel(title)
            label.setBuddy(widget)
            form.addRow(label, widget)
        note = QLabel(self.tr("登记后由另一位工作人员在“审核”中初审，初审通过后上报；县里审核通过后才算参保。"))
        note.setWordWrap(True)

        self.ok_button = QPushButton(self.tr("登记(&S)"))
        self.ok_button.setObjectName("registerButton")
        self.ok_button.setDefault(True)
        self.ok_button.clicked.connect(lambda _checked=False: self.submit())
        self.cancel_button = QPushButton(self.tr("取消"))
        self.cancel_button.setObjectName("cancelButton")
        self.cancel_button.setAutoDefault(False)
        self.cancel_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.ok_button)
        buttons.addWidget(self.cancel_button)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.problem_label)
        layout.addLayout(buttons)

        self._show_options()
        self.date_edit.dateChanged.connect(lambda _day: self._date_changed())
        self.category_combo.currentIndexChanged.connect(lambda _index: self._fill_tiers())
        self.date_edit.setFocus(Qt.FocusReason.OtherFocusReason)
        self.setMinimumWidth(520)

    # --- reading --------------------------------------------------------------------------------------------

    def _read(self, day: date) -> RegistrationOptions:
        with self._session_factory() as session:
            return registration.registration_options(session, self._person_id, registered_on=day)

    def _date_changed(self) -> None:
        """Another date may fall under another policy pack, and the age changes: read the choices again."""
        try:
            self.options = self._read(self.registered_on)
        except ServiceError as error:
            self.problem_label.show_problems(error.problems)
            return
        except StoreError as error:
            show_store_error(self, error)
            return
        self._show_options()

    def _show_options(self) -> None:
        options = self.options
        self.name_label.setText(options.name)
        self.id_label.setText(options.id_number)
        self.age_label.setText(self.tr("%d 周岁（%s 出生）") % (options.age, options.birth_date.isoformat()))
        self.age_note.setText(options.pension_age_note or "")
        self.age_note.setVisible(options.pension_age_note is not None)
        chosen = self.category_combo.currentData() if self.category_combo.count() else None
        names = {c.code: c.name for c in options.categories}
        default_name = names.get(options.default_category or "", self.tr("普通"))
        self.category_combo.blockSignals(True)
        self.category_combo.clear()
        self.category_combo.addItem(self.tr("%s（自动）") % default_name, None)
        for category in options.categories:
            text = f"{category.code} {category.name}"
            if category.hardship and not category.held:
                text = self.tr("%s（未登记该身份）") % text
            self.category_combo.addItem(text, category.code)
        self.category_combo.setCurrentIndex(max(0, self.category_combo.findData(chosen)) if chosen else 0)
        self.category_combo.blockSignals(False)
        self._fill_tiers()

    def _fill_tiers(self) -> None:
        """The tiers the person may choose as the chosen 参保身份, keeping the chosen tier when still allowed."""
        _offer_tiers(
            self.tier_combo, self.options.tiers.get(self.category_combo.currentData(), self.options.tiers[None])
        )

    # --- choosing (for the keyboard and for tests) ----------------------------------------------------------

    def choose_category(self, code: str | None) -> bool:
        """Choose 参保身份 ``code`` (``None``: 自动); False when it is not offered."""
        index = self.category_combo.findData(code)
        if index < 0:
            return False
        self.category_combo.setCurrentIndex(index)
        return True

    # --- 登记 -----------------------------------------------------------------------------------------------

    @property
    def problems(self) -> list[Problem]:
        """What the last refusal said (empty after success or before 登记)."""
        return list(self.problem_label.problems)

    def submit(self) -> bool:
        """登记: enter the registration; a refusal stays in the dialog, which stays open."""
        tier_yuan = self.tier_yuan
        try:
            with self._session_factory() as session:
                entered = registration.register(
                    session,
                    self._actor(),
                    self._person_id,
                    registered_on=self.registered_on,
                    category_code=self.category_combo.currentData(),
                    tier_yuan=tier_yuan,
                )
                self.registration_id = entered.id
        except ServiceError as error:
            self.registration_id = None
            self.problem_label.show_problems(error.problems)
            self.adjustSize()  # room for the message below the fields
            return False
        except StoreError as error:
            self.registration_id = None
            show_store_error(self, error)
            return False
        self.problem_label.show_problems([])
        self.accept()
        return True


class BulkRegistrationDialog(_DateAndTier, QDialog):
    """批量参保登记 for several people; after 登记, :attr:`registration_ids` and :attr:`refused` say what was done."""

    def __init__(
        self,
        session_factory: SessionFactory,
        person_ids: Sequence[str],
        parent: QWidget | None = None,
        *,
        today: date | None = None,
        actor: Callable[[], Actor] = current_actor,
    ) -> None:
        super().__init__(parent)
        self._session_factory = session_factory
        self._person_ids = list(dict.fromkeys(person_ids))
        self._today = today or date.today()
        self._actor = actor
        self._running = False
        self._stop_requested = False
        self.finished_run = False
        self.registration_ids: list[str] = []
        self.refused: list[BulkRefusal] = []
        self.not_tried = 0
        self.setWindowTitle(self.tr("批量参保登记"))
        self.setModal(True)

        count = len(self._person_ids)
        self.heading = QLabel(self.tr("为选中的 %d 人办理参保登记") % count)
        self.heading.setObjectName("bulkHeading")
        self.date_edit = _date_edit(self._today)
        self.category_label = QLabel(self.tr("自动（每人按已登记的身份，没有则为普通）"))
        self.tier_combo = QComboBox()
        self.tier_combo.setObjectName("registrationTier")
        self.problem_label = ProblemLabel()
        self.problem_label.setObjectName("registrationProblems")

        form = QFormLayout()
        form.addRow(self.heading)
        date_label = QLabel(self.tr("登记日期(&D)："))
        date_label.setBuddy(self.date_edit)
        form.addRow(date_label, self.date_edit)
        form.addRow(self.tr("参保身份："), self.category_label)
        tier_label = QLabel(self.tr("缴费档次(&T)："))
        tier_label.setBuddy(self.tier_combo)
        form.addRow(tier_label, self.tier_combo)
        note = QLabel(
            self.tr(
                "只列出选中的每个人都能选择的档次。每人单独登记：不能登记的人（例如已参保、未满16周岁）不写入任何内容，"
                "登记后列出原因。登记后由另一位工作人员在“审核”中初审。"
            )
        )
        note.setWordWrap(True)

        self.progress_bar = QProgressBar()
        self.progress_bar.setObjectName("bulkProgress")
        self.progress_bar.setRange(0, max(1, count))
        self.progress_bar.setValue(0)
        self.progress_bar.hide()
        self.summary_label = QLabel()
        self.summary_label.setObjectName("bulkSummary")
        self.summary_label.setWordWrap(True)
        self.summary_label.hide()
        self.refusal_list = QListWidget()
        self.refusal_list.setObjectName("bulkRefusals")
        self.refusal_list.setWordWrap(True)
        self.refusal_list.hide()

        self.ok_button = QPushButton(self.tr("登记 %d 人(&S)") % count)
        self.ok_button.setObjectName("registerButton")
        self.ok_button.setDefault(True)
        self.ok_button.clicked.connect(lambda _checked=False: self.submit())
        self.stop_button = QPushButton(self.tr("停止（其余的人不再登记）"))
        self.stop_button.setObjectName("stopButton")
        self.stop_button.setAutoDefault(False)
        self.stop_button.clicked.connect(lambda _checked=False: self.request_stop())
        self.stop_button.hide()
        self.cancel_button = QPushButton(self.tr("取消"))
        self.cancel_button.setObjectName("cancelButton")
        self.cancel_button.setAutoDefault(False)
        self.cancel_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.ok_button)
        buttons.addWidget(self.stop_button)
        buttons.addWidget(self.cancel_button)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.problem_label)
        layout.addWidget(self.progress_bar)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.refusal_list, 1)
        layout.addLayout(buttons)

        self._fill_tiers()
        self.date_edit.dateChanged.connect(lambda _day: self._fill_tiers())
        self.date_edit.setFocus(Qt.FocusReason.OtherFocusReason)
        self.setMinimumWidth(560)

    def _fill_tiers(self) -> None:
        """The tiers every selected person may choose on the registration date, keeping the chosen one."""
        try:
            with self._session_factory() as session:
                tiers = registration.common_tiers(session, self._person_ids, registered_on=self.registered_on)
        except ServiceError as error:
            self.problem_label.show_problems(error.problems)
            tiers = ()
        except StoreError as error:
            show_store_error(self, error)
            tiers = ()
        else:
            self.problem_label.show_problems([])
        _offer_tiers(self.tier_combo, tiers)

    # --- 登记 -----------------------------------------------------------------------------------------------

    def request_stop(self) -> None:
        """停止: the people not yet registered are left as they are (those already registered stay)."""
        if self._running:
            self._stop_requested = True
            self.stop_button.setEnabled(False)

    def reject(self) -> None:
        if self._running:  # Esc or the close button while registering: stop, do not leave the dialog half-way
            self.request_stop()
            return
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._running:
            self.request_stop()
            event.ignore()
            return
        super().closeEvent(event)

    def submit(self) -> bool:
        """登记: register everyone selected; the dialog stays open to show who was not registered and why.

        True when the run finished (stopped or not); False when nothing could be written (a store error).
        """
        if self._running or self.finished_run:
            return False
        tier_yuan = self.tier_yuan
        day = self.registered_on
        actor = self._actor()
        self._running = True
        self._stop_requested = False
        for widget in (self.date_edit, self.tier_combo, self.ok_button, self.cancel_button):
            widget.setEnabled(False)
        self.stop_button.show()
        self.stop_button.setEnabled(True)
        self.progress_bar.show()
        self._grow()
        last_paint = time.monotonic()

        def progress(done: int) -> bool:
            nonlocal last_paint
            now = time.monotonic()
            if now - last_paint >= 0.05:  # keep the window alive without spending the run on painting
                self.progress_bar.setValue(offset + done)
                QCoreApplication.processEvents()
                last_paint = time.monotonic()
            return not self._stop_requested

        failure: StoreError | None = None
        offset = 0
        try:
            while offset < len(self._person_ids) and not self._stop_requested:
                chunk = self._person_ids[offset : offset + BULK_CHUNK]
                with self._session_factory() as session:
                    result = registration.register_many(
                        session,
                        actor,
                        chunk,
                        registered_on=day,
                        tier_yuan=tier_yuan,
                        today=self._today,
                        progress=progress,
                    )
                self.registration_ids.extend(result.registration_ids)
                self.refused.extend(result.refused)
                offset += len(chunk) - result.not_tried
        except StoreError as error:
            failure = error
        finally:
            self._running = False
        self.not_tried = len(self._person_ids) - offset
        self.progress_bar.setValue(offset)
        self.finished_run = True
        self.stop_button.hide()
        self.cancel_button.setText(self.tr("关闭"))
        self.cancel_button.setEnabled(True)
        self.cancel_button.setDefault(True)
        self.cancel_button.setFocus(Qt.FocusReason.OtherFocusReason)
        self._show_result()
        if failure is not None:
            show_store_error(self, failure)
            return False
        return True

    def _show_result(self) -> None:
        text = self.tr("已录入 %d 人，%d 人未登记。") % (len(self.registration_ids), len(self.refused))
        if self.not_tried:
            text += self.tr("已停止：其余 %d 人没有登记。") % self.not_tried
        if self.registration_ids:
            text += self.tr("请另一位工作人员在“审核”中初审。")
        self.summary_label.setText(text)
        self.summary_label.show()
        self.refusal_list.clear()
        for refusal in self.refused:
            self.refusal_list.addItem(self.tr("%s：%s") % (refusal.name, refusal.reason))
        self.refusal_list.setVisible(bool(self.refused))
        self._grow()

    def _grow(self) -> None:
        """Make room for what has just appeared (progress, summary, the refusals) instead of squeezing the fields
        — but never past the bottom of the screen: the refusal list is then shorter and scrolls."""
        line = self.refusal_list.fontMetrics().height()
        fewest = int(line * 1.6 * 3) + 8  # three refusals, each of which may wrap to two lines
        if self.refusal_list.isVisible():
            lines = min(max(self.refusal_list.count(), 3), 10)
            self.refusal_list.setMinimumHeight(int(line * 1.6 * lines) + 8)
        layout = self.layout()
        if layout is not None:
            layout.activate()
        hint = self.sizeHint()
        limit = usable_height(self)
        if limit is not None and hint.height() > limit and self.refusal_list.isVisible():
            shorter = max(fewest, self.refusal_list.minimumHeight() - (hint.height() - limit))
            self.refusal_list.setMinimumHeight(shorter)
            if layout is not None:
                layout.activate()
            hint = self.sizeHint()
        height = max(self.height(), hint.height())
        if limit is not None:
            height = min(height, max(limit, self.minimumHeight()))
        self.resize(max(self.width(), hint.width()), height)
        keep_on_screen(self)
