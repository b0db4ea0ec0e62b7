"""Acceptance (issue 8): a new user, following only the manual (docs/manual.zh.md), enrols the village, imports a
roster, collects a fee and prints a notice — on a brand-new data folder, through the real widgets.

Each step follows one section of the manual and checks what a coordinator would see afterwards: rows in the
database and the text of the PDFs, parsed back.

1. §1 开始 → 首次使用：设置向导 — the wizard on a new data folder: 本村 by the county's enrolment code (a real
   ``pensiondesk-county serve`` on loopback), 第一个用户 (the database is encrypted), 恢复密钥 printed and
   acknowledged, 打印机 with the calibration page, then 导入花名册 on the wizard's own page, which opens the import
   wizard of §4 导入花名册 (第 1 步 file, 第 2 步 columns, 第 3 步 preview, 开始导入) with a real .xlsx roster, and
   完成. The roster has 缴费档次, so the import also enters everyone's 参保登记 (同时按表中的缴费档次录入参保登记, on by
   default).
2. §5 收费开票 → 收一笔钱, in the main window the wizard's login goes on with: the 收款 tab (Alt+2, Ctrl+1) first
   says there is no receipt book, so the book is registered on the 票据本 tab (Ctrl+2, 登记并启用 — the step §5 now
   says comes first); then ID, Enter, ↓ to the tier, Enter, Enter. The contribution and its receipt are in the
   database with the tier's amount, and the receipt sent to the printer names the person and says the amount in
   Chinese capitals.

   A person read from a roster is 未参保; 收款 takes them once a 参保登记 is entered, which the import did. The rest
   of §4's 参保登记 steps come in between, on screen (:func:`enrol_through_the_screens`): the administrator adds a
   复核员, who logs in and on 审核 (Ctrl+R) gives every registration the import entered 初审通过 (entry and review
   are different people); the first user logs in again and on 审核 → 待上报 presses 上报 and confirms. Then §13
   同步: 立即同步 sends the registrations to the real county server, the county approves them (``admin.answer``, what
   ``pensiondesk-county approve`` runs), and the next 立即同步 brings the answers back: every imported person is
   参保缴费.
3. §11 打印公示和通知 → 公示名单 (Alt+4, Alt+L): 参保登记及缴费情况公示 for this year, every group ticked, 生成公示
   (Alt+G), then 打印… (a PDF printer stands in for the system's) and 另存为PDF…. The notice is A4, names the
   village, shows every imported person with the ID masked (first 6 + last 4) and no full ID, and each villager
   group starts a page: 第 1 页 共 2 页, 第 2 页 共 2 页.

Faults on this way were fixed with it: on the encrypted database the wizard leaves, the roster import's worker
thread failed (“导入时程序出错”: SQLCipher connections refused the pool's other threads); 另存为PDF… did nothing
but log an error (the button's ``clicked(False)`` arrived as the path); and the first 立即同步 crashed the process
(a segmentation fault: Python's garbage collection ran in the sync thread and freed a 参保登记 dialog held in a
reference cycle — collection is now pinned to the GUI thread, gui/collector.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from pypdf import PdfReader
from pytestqt.qtbot import QtBot
from sqlalchemy import select
from tests.sync.conftest import CountyServer, server  # noqa: F401  (fixture)

from pensiondesk.county import admin
from pensiondesk.domain.codes import NoticeKind, PersonStatus, ReceiptStatus, ReviewState, UserRole
from pensiondesk.domain.idnumber import check_character
from pensiondesk.domain.masking import mask_id_number
from pensiondesk.gui import money_page, review_page
from pensiondesk.gui.app import build_main_window
from pensiondesk.gui.import_wizard import ImportWizard
from pensiondesk.gui.main_window import MainWindow
from pensiondesk.gui.qt import QApplication, QDialog, QFileDialog, QPrintDialog, Qt, QTimer, QWizard
from pensiondesk.gui.review_page import ReviewDialog
from pensiondesk.gui.setup_wizard import (
    PAGE_ENROL,
    PAGE_FINISH,
    PAGE_IMPORT,
    PAGE_KEY,
    PAGE_PRINTER,
    PAGE_USER,
    PAGE_VILLAGE,
    SetupWizard,
)
from pensiondesk.gui.sync_page import SyncPage
from pensiondesk.services import accounts, first_run
from pensiondesk.services.database import open_for_work
from pensiondesk.services.recording import Actor
from pensiondesk.store import cipher
from pensiondesk.store.db import Database
from pensiondesk.store.models import Contribution, Person, Receipt, Registration

pytestmark = pytest.mark.gui

NETWORK_MS = 60_000  # enrolment over loopback, on a busy machine
WORKER_MS = 60_000  # the roster import's worker thread
USERNAME, DISPLAY_NAME, PASSWORD = "wangfang", "王芳", "hongqi-2027"
VILLAGE = "红旗村"
A4_POINTS = (595.3, 841.9)


def id_number(birth: date, sequence: str) -> str:
    """A valid 18-character 公民身份号码 (odd sequence: male)."""
    first17 = f"410522{birth:%Y%m%d}{sequence}"
    return first17 + check_character(first17)


# (姓名, 性别, 民族, 出生日期, sequence, 村民小组, 户主姓名, 与户主关系, 缴费档次)
ROSTER = [
    ("张建国", "男", "汉族", date(1968, 3, 12), "011", "一组", "张建国", "户主", 300),
    ("李秀英", "女", "汉族", date(1970, 8, 9), "022", "一组", "张建国", "配偶", 200),
    ("张明", "男", "汉族", date(1994, 5, 6), "031", "一组", "张建国", "长子", 200),
    ("王桂兰", "女", "汉族", date(1975, 7, 1), "042", "二组", "王桂兰", "户主", 200),
    ("赵大山", "男", "回族", date(1980, 1, 2), "051", "二组", "赵大山", "户主", 300),
]
IDS = {row[0]: id_number(row[3], row[4]) for row in ROSTER}
HEADER = ["序号", "姓名", "性别", "民族", "出生日期", "公民身份号码"]
HEADER += ["村民小组", "户主姓名", "与户主关系", "参保身份", "缴费档次", "联系电话"]
PAYER = "张建国"
TIER_FEN = 300_00


def write_roster(path: Path) -> Path:
    """The roster as the township sends it: a title row, then the header of manual §4 and domain.md §16."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "花名册"
    sheet.append([f"{VILLAGE}城乡居民养老保险参保花名册"])
    sheet.append(HEADER)
    for seq, (name, sex, ethnicity, birth, _, group, head, relation, tier) in enumerate(ROSTER, start=1):
        sheet.append([seq, name, sex, ethnicity, birth, IDS[name], group, head, relation, "普通", tier, None])
        sheet.cell(row=sheet.max_row, column=5).number_format = "yyyy-mm-dd"
        sheet.cell(row=sheet.max_row, column=6).number_format = "@"  # IDs as text, as the manual's rosters have
    book.save(path)
    return path


class Printed(list[tuple[Path, str, str]]):
    """What was sent to the printer: (file, what it is, its text read while the file still existed)."""

    def __call__(self, path: Path, name: str) -> str:
        text = "\n".join(page.extract_text() for page in PdfReader(path).pages)
        self.append((path, name, text))
        return f"{name}已打印"

    def named(self, name: str) -> str:
        found = [text for _, what, text in self if what == name]
        assert found, f"nothing printed as {name!r}: {[what for _, what, _ in self]}"
        return found[-1]


@pytest.fixture
def fresh_db(tmp_path: Path) -> Iterator[Database]:
    """A brand-new data folder's database, as run_gui opens it."""
    db = open_for_work(tmp_path / "data" / "pensiondesk.sqlite")
    yield db
    db.close()
    accounts.set_current_actor(None)
    cipher.forget_keys()


def press_next(wizard: QWizard) -> None:
    """Click the wizard's 下一步 (or, on a page that commits, its 确定/开始导入 button) as a person would."""
    for which in (QWizard.WizardButton.CommitButton, QWizard.WizardButton.NextButton):
        button = wizard.button(which)
        if button is not None and button.isVisible():
            assert button.isEnabled(), f"“{button.text()}” is disabled on page {wizard.currentId()}"
            button.click()
            return
    raise AssertionError(f"no 下一步 on page {wizard.currentId()}")


def enrol_through_the_screens(
    qtbot: QtBot,
    window: MainWindow,
    database: Database,
    first_user: Actor,
    server: CountyServer,  # noqa: F811
) -> None:
    """参保登记 for every imported person as the manual's §4 says: 录入 (done by the import, from the roster's
    缴费档次), 初审 by a second user on 审核 (Ctrl+R), 上报 on 审核 → 待上报; then §13 同步 to the real county server,
    which approves, and 同步 again."""
    tiers = {IDS[name]: tier for name, *_, tier in ROSTER}
    with database.session() as session:
        people = {p.id_number: (p.id, p.name) for p in session.scalars(select(Person))}
    assert set(people) == set(tiers)
    window.show_page(0)  # Alt+1: 人员/登记
    actions = window.person_page.person_actions
    table = window.person_page.table

    def press(key: Qt.Key) -> None:
        """Ctrl+``key`` on the person list, in the active window (a closed dialog may leave none active)."""
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow)
        table.setFocus(Qt.FocusReason.OtherFocusReason)
        qtbot.keyClick(table, key, Qt.KeyboardModifier.ControlModifier)

    def in_dialog(act: Callable[[QDialog], None]) -> Callable[[], None]:
        """Run ``act`` in the dialog the key opens, once it is open (the timer may fire before the key)."""

        before = actions.last_dialog

        def run() -> None:
            dialog = actions.last_dialog
            if dialog is None or dialog is before or not dialog.isVisible():
                QTimer.singleShot(10, run)
                return
            try:
                act(dialog)
            finally:
                for widget in QApplication.topLevelWidgets():  # never leave a modal open: the test would hang
                    if isinstance(widget, QDialog) and widget.isVisible():
                        widget.reject()

        return run

    # 录入: the import entered every imported person's registration with the roster's tier (manual §4, 第 3 步).
    with database.session() as session:
        imported = session.execute(
            select(Person.id_number, Registration.tier_fen, Registration.review_state, Registration.entered_by).join(
                Person, Person.id == Registration.person_id
            )
        ).all()
    assert {number: tier for number, tier, _state, _by in imported} == {n: t * 100 for n, t in tiers.items()}
    assert {(state, by) for _n, _t, state, by in imported} == {(ReviewState.ENTERED, first_user.username)}

    # 初审 by another person: the administrator adds a 复核员 (设置 → 用户和密码), who logs in and approves each.
    accounts.add_user(database, first_user, "lizhuren", "李主任", UserRole.REVIEWER, "lizhuren-2027")
    accounts.set_current_actor(accounts.log_in(database.path, "lizhuren", "lizhuren-2027"))

    def approve_all(dialog: QDialog) -> None:
        assert isinstance(dialog, ReviewDialog)
        page = dialog.page
        assert page.tabs.tabText(0) == f"待初审（{len(people)}）"
        while page.queue:
            page.queue_table.selectRow(0)
            qtbot.mouseClick(page.approve_button, Qt.MouseButton.LeftButton)
            assert "已初审通过" in page.message_label.text(), page.message_label.text()

    QTimer.singleShot(0, in_dialog(approve_all))
    press(Qt.Key.Key_R)

    # 上报: the first user again, 审核 → 待上报, 上报, and 确定 in the confirmation.
    accounts.set_current_actor(accounts.log_in(database.path, USERNAME, PASSWORD))
    asked: list[str] = []

    def confirm(_parent: object, _title: str, text: str, *, yes: str | None = None) -> bool:
        asked.append(text)
        return True

    def submit_all(dialog: QDialog) -> None:
        assert isinstance(dialog, ReviewDialog)
        page = dialog.page
        page.tabs.setCurrentIndex(1)
        assert page.tabs.tabText(1) == f"待上报（{len(people)}）"
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(review_page, "confirm", confirm)
            qtbot.mouseClick(page.submit_button, Qt.MouseButton.LeftButton)
        assert page.message_label.text().startswith(f"已上报 {len(people)} 人的参保登记")

    QTimer.singleShot(0, in_dialog(submit_all))
    press(Qt.Key.Key_R)
    assert len(asked) == 1 and all(name in asked[0] for _, name in people.values())

    with database.session() as session:
        entered = session.scalars(select(Registration)).all()
        assert {(r.review_state, r.entered_by, r.checked_by) for r in entered} == {
            (ReviewState.SUBMITTED, USERNAME, "lizhuren")
        }
        assert {r.tier_fen for r in entered} == {tier * 100 for tier in tiers.values()}
    # 同步 (§13): 立即同步 sends the registrations up to the real county server; the county approves them as
    # ``pensiondesk-county approve`` does; the next 立即同步 brings the answers back and the people are enrolled.
    window.show_page(window.sync_index)
    sync_page = window.page(window.sync_index)
    assert isinstance(sync_page, SyncPage)
    with qtbot.waitSignal(sync_page.sync_finished, timeout=60_000):
        assert sync_page.sync_now()
    assert sync_page.message_label.text().startswith("同步完成"), sync_page.message_label.text()
    with server.session() as county:
        waiting = {row.record_id for row in admin.list_submitted(county) if row.record_type == "registration"}
        assert waiting == {r.id for r in entered}
        for record_id in waiting:
            admin.answer(county, "registration", record_id, approved=True, reason=None, by="county")
    with qtbot.waitSignal(sync_page.sync_finished, timeout=60_000):
        assert sync_page.sync_now()
    with database.session() as session:
        assert {r.review_state for r in session.scalars(select(Registration))} == {ReviewState.APPROVED}
        assert {p.status for p in session.scalars(select(Person))} == {PersonStatus.CONTRIBUTING}
    window.show_page(0)


def test_first_day_following_the_manual(
    qtbot: QtBot,
    fresh_db: Database,
    tmp_path: Path,
    _isolated_home: Path,
    monkeypatch: pytest.MonkeyPatch,
    server: CountyServer,  # noqa: F811
) -> None:
    # ---- 1. §1 首次使用：设置向导 --------------------------------------------------------------------------------
    village_code = server.add_village(name=VILLAGE)
    enrolment_code = server.enrol_code(village_code)
    roster = write_roster(tmp_path / "红旗村花名册.xlsx")
    printed = Printed()
    setup = SetupWizard(fresh_db, printer=printed, display_folder=_isolated_home)
    qtbot.addWidget(setup)
    setup.show()
    database = setup.database
    try:
        press_next(setup)
        assert setup.currentId() == PAGE_VILLAGE

        # 本村: the first option (登记码), 服务器地址 and 登记码, then 登记.
        assert setup.village_page.enrol_radio.isChecked()
        press_next(setup)
        assert setup.currentId() == PAGE_ENROL
        enrol = setup.enrol_page
        enrol.server_edit.setText(server.url)
        enrol.code_edit.setText(enrolment_code)
        enrol.enrol_button.click()
        qtbot.waitUntil(lambda: not enrol.running, timeout=NETWORK_MS)
        assert enrol.enrolled, enrol.status_label.text()
        assert f"登记成功：本机已登记为 {VILLAGE}" in enrol.status_label.text()
        press_next(setup)

        # 第一个用户: 用户名, 姓名, 密码 twice, 确定 — the data is encrypted from here on.
        assert setup.currentId() == PAGE_USER
        user = setup.user_page
        user.username_edit.setText(USERNAME)
        user.display_edit.setText(DISPLAY_NAME)
        user.password_edit.setText(PASSWORD)
        user.again_edit.setText(PASSWORD)
        press_next(setup)
        assert setup.currentId() == PAGE_KEY, user.problem_label.text()
        database = setup.database
        assert cipher.is_encrypted_file(database.path)
        assert accounts.current_actor().username == USERNAME

        # 恢复密钥: 打印恢复密钥, then 我已抄下或打印并放入保险柜.
        key = setup.recovery_key
        assert key is not None
        setup.key_page.print_button.click()
        key_sheet = printed.named("恢复密钥")
        assert VILLAGE in key_sheet and USERNAME in key_sheet and key.split("-")[0] in key_sheet
        setup.key_page.kept_box.click()
        assert setup.key_page.kept_box.isChecked()
        press_next(setup)

        # 打印机: 打印校准页.
        assert setup.currentId() == PAGE_PRINTER
        calibration = setup.printer_page.calibration
        assert calibration is not None
        calibration.test_page_button.click()
        assert "当前偏移" in printed.named("套打校准页")
        press_next(setup)

        # 导入花名册: the wizard's button opens §4's import wizard (shown here without its modal loop).
        assert setup.currentId() == PAGE_IMPORT
        monkeypatch.setattr(ImportWizard, "exec", lambda self: self.show())
        setup.import_page.import_button.click()
        importer = setup.import_page.last_wizard
        assert (
            isinstance(importer, ImportWizard) and importer.isVisible()
        )  # a child of the setup wizard, closed with it
        # 第 1 步: the file (浏览 fills this box), 下一步.
        importer.file_page.path_edit.setText(str(roster))
        press_next(importer)
        assert importer.currentPage() is importer.mapping_page, importer.file_page.message.text()
        # 第 2 步: every column guessed from its header.
        guessed = [combo.currentText() for combo in importer.mapping_page.combos]
        assert guessed[:6] == ["序号", "姓名", "性别", "民族", "出生日期", "公民身份号码"]
        assert guessed[6:11] == ["村民小组", "户主姓名", "与户主关系", "参保身份", "缴费档次"]
        press_next(importer)
        # 第 3 步: the preview, all green; 开始导入.
        assert importer.currentPage() is importer.preview_page
        preview = importer.preview_page
        assert preview.counts_label.text() == f"新增 {len(ROSTER)} 人，未变 0 人，拒绝 0 行"
        assert {preview.status_of_row(r) for r in range(preview.table.rowCount())} == {"新增"}
        assert preview.register_box.isChecked()  # the roster has 缴费档次: its 参保登记 are entered too
        assert preview.register_box.text() == f"同时按表中的缴费档次录入参保登记（{len(ROSTER)} 人）(&G)"
        press_next(importer)
        qtbot.waitUntil(lambda: importer.currentPage() is importer.result_page, timeout=WORKER_MS)
        assert importer.result_page.summary.text() == f"导入完成：新增 {len(ROSTER)} 人，未变 0 人，拒绝 0 行"
        assert f"已按表中的缴费档次录入参保登记 {len(ROSTER)} 人" in importer.result_page.registrations.text()
        importer.button(QWizard.WizardButton.FinishButton).click()
        assert not importer.isVisible()
        assert setup.import_page.result_label.text() == f"已导入 {len(ROSTER)} 人。"
        press_next(setup)

        # 完成: the summary, then 完成.
        assert setup.currentId() == PAGE_FINISH
        summary = setup.finish_page.summary_label.text()
        assert f"本村：{VILLAGE}（{village_code}）" in summary and "县级服务器：已登记" in summary
        assert f"第一个用户：{DISPLAY_NAME}（{USERNAME}），管理员" in summary
        assert "恢复密钥：已确认放入保险柜" in summary and f"花名册：已导入 {len(ROSTER)} 人" in summary
        setup.button(QWizard.WizardButton.FinishButton).click()
        assert not setup.isVisible()
        database = setup.database
        with database.session() as session:
            assert not first_run.needs_first_run(session) and first_run.setup_state(session) == "done"
            assert first_run.is_enrolled(session)
            persons = {p.name: p for p in session.scalars(select(Person))}
            assert {name: p.id_number for name, p in persons.items()} == IDS
            assert {p.created_by for p in persons.values()} == {USERNAME}
            assert {p.status for p in persons.values()} == {PersonStatus.NOT_ENROLLED}

        # ---- 2. §5 收一笔钱, in the main window the program opens next (run_gui: the wizard's database) -----
        receipts_printed = Printed()
        monkeypatch.setattr(money_page, "send_to_printer", receipts_printed)
        window = build_main_window(database.session, database.path)
        qtbot.addWidget(window)
        window.show()
        assert window.village_name == VILLAGE
        assert window.operator_label.text() == f"操作员：{DISPLAY_NAME}（管理员）"

        window.show_page(1)  # Alt+2: 缴费/票据
        money = window.money_page
        collect = money.collect_tab
        assert money.tabs.currentWidget() is collect
        assert "没有正在使用的票据本" in collect.book_label.text()  # the first thing the page says on day one

        # 票据本 (Ctrl+2): 字轨, 起始号码, 终止号码, 登记并启用.
        money.show_tab(1)
        books = money.books_tab
        series = f"HQ{date.today().year}"
        books.series_edit.setText(series)
        books.start_edit.setText("1")
        books.end_edit.setText("50")
        books.add_button.click()
        assert books.message_label.text() == f"已登记并启用票据本 {series} 1–50", books.message_label.text()

        # 收款 (Ctrl+1): the ID, Enter. A person from the roster is 未参保, but the import entered the 参保登记, so
        # 收款 takes them (it refuses only someone without one: “尚未参保登记”).
        money.show_tab(0)
        assert collect.book_label.text() == f"下一张收据：{series}-00000001（本册剩 50 张）"
        qtbot.keyClicks(collect.id_box, IDS[PAYER])
        qtbot.keyClick(collect.id_box, Qt.Key.Key_Return)
        assert PAYER in collect.person_label.text(), collect.message_label.text()
        assert collect.tier_combo.isEnabled()
        collect.start_over()  # Esc: the money waits until after 上报
        assert collect.id_box.text() == ""

        enrol_through_the_screens(qtbot, window, database, accounts.current_actor(), server)

        # Again as §5 says: the ID (Alt+I), Enter; ↓ to the tier; Enter to the amount; Enter collects and prints.
        qtbot.keyClick(collect.id_box, Qt.Key.Key_Escape)
        collect.id_box.setFocus()
        qtbot.keyClicks(collect.id_box, IDS[PAYER])
        qtbot.keyClick(collect.id_box, Qt.Key.Key_Return)
        assert PAYER in collect.person_label.text(), collect.message_label.text()
        assert collect.tier_combo.isEnabled() and collect.tier_combo.findData(TIER_FEN) >= 0
        for _ in range(collect.tier_combo.count()):
            if collect.tier_combo.currentData() == TIER_FEN:
                break
            qtbot.keyClick(collect.tier_combo, Qt.Key.Key_Down)
        assert collect.tier_combo.currentText() == "300 元"
        assert "个人应缴 300.00 元" in collect.quote_label.text()
        qtbot.keyClick(collect.tier_combo, Qt.Key.Key_Return)
        assert collect.amount_edit.text() == "300.00" and collect.amount_capital.text() == "叁佰元整"
        qtbot.keyClick(collect.amount_edit, Qt.Key.Key_Return)
        assert collect.message_label.text().startswith(f"已收款：{PAYER} {date.today().year} 年度 300 元档")

        receipt_label = f"{series}-00000001"
        with database.session() as session:
            payer = session.scalars(select(Person).where(Person.id_number == IDS[PAYER])).one()
            (paid,) = session.scalars(select(Contribution)).all()
            assert (paid.person_id, paid.year, paid.tier_fen, paid.personal_fen) == (
                payer.id,
                date.today().year,
                TIER_FEN,
                TIER_FEN,
            )
            assert paid.created_by == USERNAME
            (receipt,) = session.scalars(select(Receipt)).all()
            assert (receipt.series, receipt.number, receipt.contribution_id) == (series, 1, paid.id)
            assert (receipt.amount_fen, receipt.status, receipt.collector) == (
                TIER_FEN,
                ReceiptStatus.ISSUED,
                USERNAME,
            )
        receipt_path, what, receipt_text = receipts_printed[-1]
        assert what == f"收据 {receipt_label}" and receipt_path.is_file()
        assert receipt_path.parent.parent == database.path.parent / "printouts"  # kept beside the data
        assert PAYER in receipt_text and "人民币 叁佰元整" in receipt_text and "No. 00000001" in receipt_text
        assert collect.today_table.rowCount() == 1

        # ---- 3. §11 公示名单: 参保登记及缴费情况公示, 生成公示, 打印…, 另存为PDF… ------------------------------
        window.show_page(3)  # Alt+4: 公示/打印
        print_page = window.print_page
        assert print_page.tabs.tabText(0) == "公示名单(&L)"
        notices = print_page.lists_page
        assert print_page.tabs.currentWidget() is notices
        notices.kind.setCurrentIndex(notices.kind.findText(NoticeKind.ENROLMENT.label))
        notices.period.setText(str(date.today().year))
        assert notices.groups.count() == 2
        for row in range(notices.groups.count()):
            item = notices.groups.item(row)
            assert item is not None
            item.setCheckState(Qt.CheckState.Checked)
        assert notices.days.value() == 7
        notices.build_button.click()
        assert notices.notices_model.rowCount() == 1
        pages = notices.preview.page_count()
        assert pages == 2 and notices.preview.print_button.isEnabled()  # each villager group starts a page

        paper = tmp_path / "打印机输出.pdf"

        def print_to_file(dialog: QPrintDialog) -> int:
            dialog.printer().setOutputFileName(str(paper))
            return int(QPrintDialog.DialogCode.Accepted.value)

        monkeypatch.setattr(QPrintDialog, "exec", print_to_file)
        notices.preview.print_button.click()
        assert notices.preview.info.text() == f"已送打印机：{pages} 页"
        on_paper = PdfReader(paper)
        assert len(on_paper.pages) == pages
        box = on_paper.pages[0].mediabox
        assert (round(float(box.width), 1), round(float(box.height), 1)) == pytest.approx(A4_POINTS, abs=1)

        saved_as = tmp_path / "公示.pdf"
        monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *_a, **_k: (str(saved_as), "")))
        notices.preview.save_button.click()
        assert saved_as.is_file()
        notice = PdfReader(saved_as)
        assert len(notice.pages) == pages
        texts = [page.extract_text() for page in notice.pages]
        for number, (page, text) in enumerate(zip(notice.pages, texts, strict=True), start=1):
            box = page.mediabox
            assert (float(box.width), float(box.height)) == pytest.approx(A4_POINTS, abs=1)
            assert f"第 {number} 页 共 {pages} 页" in text
            assert VILLAGE in text
        flat = "".join(texts).replace("\n", "").replace(" ", "")
        assert f"{VILLAGE}{date.today().year}年度参保登记及缴费情况公示" in flat
        assert "一组" in texts[0] and "二组" in texts[1]
        for name, number in IDS.items():
            assert name in flat
            assert mask_id_number(number) in flat
            assert number not in flat
        assert flat.count("已缴费") == 1 and flat.count("未缴费") == len(ROSTER) - 1
    finally:
        database.close()
