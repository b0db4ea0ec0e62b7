"""Regenerate the screenshots of the coordinators' manual (使用手册截图) from the real program.

    .venv/bin/python tools/manual_screenshots.py            # writes docs/manual/images/*.png
    .venv/bin/python tools/manual_screenshots.py --out DIR  # somewhere else (e.g. to compare)

What it does: a demo village (2,000 residents, seed 1, as ``pensiondesk demo`` makes it) in a temporary
``PENSIONDESK_HOME``; the real :class:`~pensiondesk.gui.main_window.MainWindow` at 1280×760, offscreen (no screen
and no Xvfb needed: ``QT_QPA_PLATFORM=offscreen`` is enough for ``QWidget.grab()``); then the coordinator's daily
tasks, driven the way the GUI tests drive them, each saved as a PNG. Receipts and handover sheets are the PDFs the
program saved, turned into PNG by ``pdftoppm -r 60`` (poppler-utils; skipped with a warning when missing).

Nothing is printed: the money page's printer is replaced by one that only says where the PDF was saved (the same
sentence as on a computer without a printer). The village is the one ``pensiondesk demo`` makes: encrypted, with
the users ``demo`` (演示管理员, who holds the demo receipt book ``DEMO``) and ``reviewer``, logged in as ``demo``,
so the status bar and the 设置 page show what a coordinator sees after logging in. Dates are today's (the demo is
built around today), so the pictures change with the date; and the QR code
on the receipt is a signature with the database's own random key, so ``13-receipt.png`` differs on every run.

It takes well under a minute. An unexpected dialog (a refusal that the script did not expect) is closed, named on
stderr, and makes the script exit 1, so the pictures never silently show an error.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pensiondesk.store.db import Database

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = ROOT / "docs" / "manual" / "images"
WINDOW_SIZE = (1280, 760)
DEMO_PERSONS = 2000
DEMO_SEED = 1


class Shooter:
    """Drives the window and saves the pictures; notes every dialog nobody asked for."""

    def __init__(self, out: Path) -> None:
        from pensiondesk.gui.qt import QApplication, QTimer

        self.out = out
        self.saved: list[Path] = []
        self.unexpected: list[str] = []
        self.expecting_dialog = False
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        self.app = app
        self._watchdog = QTimer()
        self._watchdog.setInterval(300)
        self._watchdog.timeout.connect(self._close_stray_dialogs)
        self._watchdog.start()

    def settle(self, ms: int = 120) -> None:
        """Let Qt lay out, paint and run its timers (debounced searches, lazily built pages)."""
        end = time.monotonic() + ms / 1000
        while time.monotonic() < end:
            self.app.processEvents()
            time.sleep(0.01)
        self.app.processEvents()

    def save(self, widget: object, name: str) -> Path:
        from pensiondesk.gui.qt import QWidget

        assert isinstance(widget, QWidget)
        self.settle(400)  # long enough for animations (the clear button of a search box fades in)
        path = self.out / f"{name}.png"
        if not widget.grab().save(str(path)):
            raise SystemExit(f"无法保存截图 {path}")
        self.saved.append(path)
        print(f"  {path.name}")
        return path

    def pdf(self, pdf: Path, name: str) -> Path | None:
        """The first page of a saved PDF as a PNG (``pdftoppm -r 60``)."""
        tool = shutil.which("pdftoppm")
        if tool is None:
            print(f"  ！没有 pdftoppm（poppler-utils），跳过 {name}.png", file=sys.stderr)
            return None
        target = self.out / name
        subprocess.run(
            [tool, "-r", "60", "-png", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(target)], check=True
        )
        path = target.with_suffix(".png")
        self.saved.append(path)
        print(f"  {path.name}（{pdf.name}）")
        return path

    def with_dialog(self, start: Callable[[], object], name: str, answer: str) -> None:
        """Run ``start`` (which opens a modal dialog), save the dialog as ``name``, then press ``answer`` in it."""
        from pensiondesk.gui.qt import QApplication, QMessageBox, QTimer

        def shoot() -> None:
            box = QApplication.activeModalWidget()
            if not isinstance(box, QMessageBox):
                QTimer.singleShot(30, shoot)
                return
            self.save(box, name)
            chosen = next((b for b in box.buttons() if b.text().replace("&", "").startswith(answer)), None)
            if chosen is None:
                self.unexpected.append(f"{name}: 没有“{answer}”按钮")
                box.reject()
            else:
                chosen.click()

        self.expecting_dialog = True
        QTimer.singleShot(0, shoot)
        try:
            start()
        finally:
            self.expecting_dialog = False

    def _close_stray_dialogs(self) -> None:
        from pensiondesk.gui.qt import QApplication, QMessageBox

        if self.expecting_dialog:
            return
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            self.unexpected.append(f"{box.windowTitle()}：{box.text()}")
            print(f"  ！意外的对话框：{box.windowTitle()}：{box.text()}", file=sys.stderr)
            box.reject()


def make_demo(home: Path) -> Path:
    from pensiondesk.paths import data_dir
    from pensiondesk.services.database import create_demo_database_with_logins

    os.environ["PENSIONDESK_HOME"] = str(home)
    path = data_dir() / "pensiondesk.sqlite"
    create_demo_database_with_logins(path, persons=DEMO_PERSONS, seed=DEMO_SEED)  # leaves this process logged in
    return path


def new_id_number(birth: str, order: int, taken: set[str]) -> str:
    """A valid 公民身份号码 of the demo county (411099) born on ``birth`` (YYYYMMDD) that nobody in ``taken`` has."""
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    while True:
        first17 = f"411099{birth}{order:03d}"
        number = first17 + "10X98765432"[sum(int(d) * w for d, w in zip(first17, weights, strict=True)) % 11]
        if number not in taken:
            return number
        order += 2


def write_roster(path: Path, groups: list[str], taken: set[str]) -> None:
    """A small county registration roster (参保登记花名册) in the usual shape: a title row, a header with 参保身份 and
    缴费档次 (so the preview shows 同时按表中的缴费档次录入参保登记), four adults, a child too young to register, one
    bad ID."""
    from datetime import date

    import openpyxl

    def id_number(birth: str, order: int) -> str:
        return new_id_number(birth, order, taken)

    child_birth = f"{date.today().year - 14}0601"  # 14: imported, but cannot be registered yet
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["红旗村城乡居民养老保险参保登记花名册"])
    sheet.append(["序号", "姓名", "性别", "身份证号码", "村民小组", "与户主关系", "户主姓名", "联系电话", "参保身份",
                  "缴费档次"])  # fmt: skip
    sheet.append([1, "马德福", "男", id_number("19700312", 511), groups[0], "户主", None, "13903720001", "011", 300])
    sheet.append([2, "马秀兰", "女", id_number("19720805", 622), groups[0], "配偶", "马德福", None, "011", 300])
    sheet.append([3, "马小宝", "男", id_number(child_birth, 631), groups[0], "子", "马德福", None, "011", 200])
    sheet.append([4, "冯小军", "男", id_number("19980117", 733), groups[1], "户主", None, "13903720002", "011", 500])
    bad = id_number("19650101", 845)  # one typing mistake in the check character: the preview rejects the row
    sheet.append(
        [5, "冯二保", "男", bad[:-1] + ("1" if bad[-1] != "1" else "2"), groups[1], None, None, None, "011", 200]
    )
    book.save(path)


def run(out: Path) -> int:
    from sqlalchemy import func, select

    from pensiondesk.domain.codes import NoticeKind, PersonStatus
    from pensiondesk.gui.app import build_main_window, install_bundled_font, install_translators
    from pensiondesk.gui.notices_page import NoticesPage
    from pensiondesk.gui.qt import QApplication, QCoreApplication, Qt
    from pensiondesk.services.database import open_for_work
    from pensiondesk.store.models import Contribution, Person, VillagerGroup

    started = time.monotonic()
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*.png"):
        old.unlink()
    # A fixed folder name, so the paths shown in the pictures (the roster file) are the same on every run.
    home = Path(tempfile.gettempdir()) / "pensiondesk-manual"
    shutil.rmtree(home, ignore_errors=True)
    home.mkdir(parents=True)
    try:
        print(f"演示数据库（{DEMO_PERSONS} 人）…")
        db_path = make_demo(home)
        app = QApplication.instance() or QApplication(sys.argv[:1])
        _quiet_offscreen_warnings()
        app.setCursorFlashTime(0)  # a steady text cursor: the same picture whenever it is taken
        assert isinstance(app, QApplication)
        QCoreApplication.setOrganizationName("PensionDesk")
        QCoreApplication.setApplicationName("PensionDesk")
        install_bundled_font(app)
        install_translators(app)
        database = open_for_work(db_path)
        shots = Shooter(out)
        try:
            window = build_main_window(database.session, database.path)
            window.resize(*WINDOW_SIZE)
            window.show()
            window.activateWindow()
            shots.settle(600)  # the sync page is built 300 ms after the window opens and fills the status bar

            # Who appears in the pictures: chosen by query, so the same demo always gives the same people.
            with database.session() as s:
                groups = [g.name for g in s.scalars(select(VillagerGroup).order_by(VillagerGroup.sort_order))]
                paid_this_year = select(Contribution.person_id).where(Contribution.year == _this_year())
                payers = s.execute(
                    select(Person.name, Person.id_number, Person.name_initials)
                    .where(Person.status == PersonStatus.CONTRIBUTING, Person.id.not_in(paid_this_year))
                    .order_by(Person.id_number)
                    .limit(40)
                ).all()
                taken = set(s.scalars(select(Person.id_number)))
                shared = dict(
                    s.execute(select(Person.name_initials, func.count()).group_by(Person.name_initials)).tuples().all()
                )
            # The first one found by initials that a few others share too: the search shows a short list.
            first = next((p for p in payers if 2 <= shared.get(p.name_initials, 0) <= 6), payers[0])
            second = next(p for p in payers if p.id_number != first.id_number)

            print("人员/登记 …")
            person_page = window.person_page
            shots.save(window, "01-main-window")
            person_page.search_box.setFocus()
            person_page.search_box.setText(first.name_initials)
            person_page.apply_search()
            person_page.table.selectRow(0)
            row = person_page.model.row_of(_person_id(database, first.id_number))
            if row is not None:
                person_page.table.selectRow(row)
            shots.save(window, "02-search-initials")

            from pensiondesk.gui.person_form import PersonForm

            form = PersonForm(database.session, _person_id(database, first.id_number), window)
            form.resize(1000, 640)  # as the program opens it at 1366×768
            form.show()
            shots.save(form, "03-person-form")
            form.reject()
            new_form = PersonForm(database.session, None, window)
            new_form.resize(1000, 640)
            new_form.show()
            new_form.name_edit.setText("马德福")
            new_form.id_edit.setText(new_id_number("19700312", 511, taken))  # sex and birth date fill themselves
            new_form.phone_edit.setText("13903720001")
            new_form.group_combo.setCurrentText(groups[0])
            new_form.validate_now()
            shots.settle(300)
            shots.save(new_form, "04-new-person")
            new_form.reject()

            from pensiondesk.gui.import_wizard import ImportWizard

            roster = home / "红旗村花名册.xlsx"
            write_roster(roster, groups, taken)
            wizard = ImportWizard(database.session, window)
            wizard.resize(1000, 680)
            wizard.show()
            wizard.file_page.path_edit.setText(str(roster))
            shots.save(wizard, "05-import-file")
            wizard.next()
            shots.save(wizard, "06-import-mapping")
            wizard.next()
            shots.save(wizard, "07-import-preview")
            wizard.reject()  # the manual shows the steps; the demo village is left as it was
            shots.settle(200)

            # 参保登记 (Ctrl+G) for a resident who may enrol and has not: the dialog with a tier chosen, not saved.
            from pensiondesk.domain.eligibility import EligibilityKind
            from pensiondesk.gui.registration_dialog import RegistrationDialog
            from pensiondesk.services.eligibility import eligibility_lists
            from pensiondesk.services.person_queries import current_village_id

            with database.session() as s:
                village_id = current_village_id(s)
                assert village_id is not None
                lists = eligibility_lists(s, village_id, _this_year())
            newcomer = next(
                row for row in lists[EligibilityKind.CONTRIBUTOR] if row.status is PersonStatus.NOT_ENROLLED
            )
            row = person_page.model.row_of(newcomer.person_id)
            if row is not None:
                person_page.table.selectRow(row)
            register = RegistrationDialog(database.session, newcomer.person_id, window)
            register.show()
            register.tier_combo.setCurrentIndex(min(2, register.tier_combo.count() - 1))
            shots.settle(200)
            shots.save(register, "08-register")
            register.reject()

            print("缴费/票据 …")
            window.show_page(1)
            money = window.money_page
            saved_pdfs: list[Path] = []

            def no_printer(path: Path, name: str) -> str:
                saved_pdfs.append(path)
                return f"没有找到打印机：{name}已保存为 {path.relative_to(home)}"

            money.context.printer = no_printer
            collect = money.collect_tab
            shots.settle(300)
            shots.save(window, "10-collect-start")
            collect.id_box.setText(first.id_number)
            collect.look_up()
            shots.settle(200)
            collect.tier_combo.setCurrentIndex(min(2, collect.tier_combo.count() - 1))
            collect.focus_amount()
            shots.save(window, "11-collect-form")
            collect.confirm()
            shots.save(window, "12-collect-done")
            if saved_pdfs:
                shots.pdf(saved_pdfs[-1], "13-receipt")
            collect.id_box.setText(second.id_number)
            collect.look_up()
            shots.settle(200)
            collect.focus_amount()
            collect.confirm()
            collect.today_table.selectRow(0)
            for r in range(collect.today_table.rowCount()):
                cell = collect.today_table.item(r, 1)
                if cell is not None and cell.text() == second.name:
                    collect.today_table.selectRow(r)
            collect.void_reason.setText("档次选错，重新开具")
            shots.with_dialog(lambda: collect.void(reissue=False), "14-void-confirm", "作废")
            shots.save(window, "15-void-done")

            money.show_tab(1)
            shots.save(window, "16-receipt-books")

            money.show_tab(2)
            close = money.close_tab
            close.refresh()
            total = close._summary().issued_total_fen
            close.cash_edit.setText(f"{total // 100}.{total % 100:02d}")
            shots.save(window, "17-day-close")
            shots.with_dialog(close.close_day, "18-day-close-confirm", "日结")
            shots.save(window, "19-day-closed")
            handovers = [p for p in saved_pdfs if p.parent.name == "日结"]
            if handovers:
                shots.pdf(handovers[-1], "20-handover")

            money.show_tab(3)
            shots.save(window, "21-unpaid-list")
            money.show_tab(4)
            money.estimate_tab.id_edit.setText(second.id_number)
            money.estimate_tab.compute()
            shots.save(window, "22-estimate")

            print("待遇/认证 …")
            window.show_page(2)
            pensioners = window.pensioners_page
            pensioners.tabs.setCurrentWidget(pensioners.reaching)
            shots.save(window, "30-reaching-60")
            survival = pensioners.survival
            pensioners.tabs.setCurrentWidget(survival)
            shots.settle(200)
            visits = [survival.model.row_cells(row)[2][-6:] for row in range(min(3, survival.model.rowCount()))]
            for tail in visits:  # a morning of home visits: the last digits of each ID, Enter
                survival.find_box.setText(tail)
                survival.add_match_to_selection()
            survival.certifier.setText("王红")
            shots.save(window, "31-survival")
            survival.record_selected()
            shots.save(window, "32-survival-recorded")
            deaths = pensioners.deaths
            pensioners.tabs.setCurrentWidget(deaths)
            shots.save(window, "33-deaths")
            from pensiondesk.gui.pensioners_page import DeathReportDialog

            with database.session() as s:
                pensioner = s.scalars(
                    select(Person.id_number)
                    .where(Person.status == PersonStatus.RECEIVING)
                    .order_by(Person.id_number)
                    .limit(1)
                ).first()
            dialog = DeathReportDialog(deaths, deaths.today())
            dialog.id_number.setText(pensioner or "")
            dialog.evidence.setText("居民死亡医学证明 No.4110990012")
            dialog.show()
            shots.save(dialog, "34-death-report")
            shots.with_dialog(lambda: deaths.report(dialog), "35-death-confirm", "取消")
            dialog.close()

            print("公示/打印 …")
            window.show_page(3)
            print_page = window.print_page
            notices = print_page.lists_page
            assert isinstance(notices, NoticesPage)
            print_page.tabs.setCurrentWidget(notices)
            shots.settle(200)
            notices.set_kind(NoticeKind.SURVIVAL)
            item = notices.groups.item(0)
            if item is not None:
                item.setCheckState(Qt.CheckState.Checked)
            notices.build()
            shots.save(window, "40-notice-preview")
            print_page.tabs.setCurrentWidget(print_page.editor)
            shots.settle(400)
            shots.save(window, "41-announcement")

            print("报表、同步、设置 …")
            window.show_page(4)
            shots.settle(300)
            shots.save(window, "50-reports")
            window.show_page(5)
            shots.settle(300)
            shots.save(window, "60-sync")
            window.show_page(6)
            shots.settle(300)
            shots.save(window, "70-settings")
            window.show_page(0)

            # 疑似重复 (Ctrl+D): two likely duplicates added last, so no earlier picture changes — one resident
            # entered twice with other IDs, and two IDs one digit apart with names that read alike.
            print("疑似重复 …")
            from pensiondesk.domain.codes import Relation
            from pensiondesk.gui.duplicates_dialog import DuplicatesDialog
            from pensiondesk.services import accounts, people
            from pensiondesk.services.people_types import PersonInput
            from pensiondesk.services.person_queries import current_village_id

            with database.session() as s:
                taken = set(s.scalars(select(Person.id_number)))
                village_id = current_village_id(s)
            assert village_id is not None
            near = new_id_number("19750606", 331, taken)
            taken.add(near)
            near_too = new_id_number("19750606", int(near[14:17]) + 2, taken)  # the 17th digit: same sex
            if sum(a != b for a, b in zip(near[:17], near_too[:17], strict=True)) != 1:
                raise RuntimeError(f"could not make two IDs one digit apart: {near} {near_too}")
            twice = (new_id_number("19800101", 211, taken), new_id_number("19800101", 257, taken))
            for name, number, group in (
                ("欧阳明", twice[0], "第二村民小组"),
                ("欧阳明", twice[1], "第五村民小组"),
                ("钱小溪", near, "第三村民小组"),
                ("钱晓曦", near_too, "第三村民小组"),
            ):
                with database.session() as s:
                    inp = PersonInput(name=name, id_number=number, group_name=group, relation=Relation.HEAD)
                    people.add_person(s, accounts.current_actor(), inp, village_id=village_id)
            duplicates_dialog = DuplicatesDialog(database.session, window)
            duplicates_dialog.show()
            shots.settle(200)
            shots.save(duplicates_dialog, "09-duplicates")
            duplicates_dialog.reject()

            window.close()
        finally:
            database.close()
        shoot_setup_wizard(shots, home)
        if shots.unexpected:
            print("出现了意外的对话框，截图可能不对：", *shots.unexpected, sep="\n  ", file=sys.stderr)
            return 1
        print(f"已生成 {len(shots.saved)} 张截图：{out}（{time.monotonic() - started:.0f} 秒）")
        return 0
    finally:
        shutil.rmtree(home, ignore_errors=True)


def shoot_setup_wizard(shots: Shooter, home: Path) -> None:
    """首次使用设置向导 on a new data folder, offline to its recovery key page (a new key on every run)."""
    from pensiondesk.gui.setup_wizard import SetupWizard
    from pensiondesk.services import accounts
    from pensiondesk.services.database import open_for_work

    database = open_for_work(home / "first-run" / "pensiondesk.sqlite")
    wizard = SetupWizard(database, printer=lambda _path, name: f"{name}已打印", display_folder=home)
    wizard.show()
    try:
        wizard.next()
        wizard.village_page.offline_radio.setChecked(True)
        wizard.next()
        page = wizard.offline_page
        page.code_edit.setText("411099101201")
        page.village_edit.setText("红旗村")
        page.township_edit.setText("青山镇")
        page.county_edit.setText("安和县")
        wizard.next()
        user = wizard.user_page
        user.username_edit.setText("wangfang")
        user.display_edit.setText("王芳")
        user.password_edit.setText("hongqi-2027")
        user.again_edit.setText("hongqi-2027")
        wizard.next()
        shots.settle()
        shots.save(wizard, "setup-recovery-key")
    finally:
        wizard.close()
        wizard.database.close()
        accounts.set_current_actor(None)


def _quiet_offscreen_warnings() -> None:
    """The offscreen platform warns about window-manager hints on every dialog; those lines are noise here."""
    from PySide6.QtCore import QtMsgType, qInstallMessageHandler

    def handler(kind: QtMsgType, _context: object, message: str) -> None:
        if "propagateSizeHints" not in message:
            print(message, file=sys.stderr)

    qInstallMessageHandler(handler)


def _this_year() -> int:
    from datetime import date

    return date.today().year


def _person_id(database: Database, id_number: str) -> str:
    from sqlalchemy import select

    from pensiondesk.store.models import Person

    with database.session() as s:
        found = s.scalar(select(Person.id).where(Person.id_number == id_number))
    assert found is not None
    return str(found)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="重新生成使用手册的截图（docs/manual/images）")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="截图保存的文件夹")
    args = parser.parse_args(argv)
    return run(args.out.resolve())


if __name__ == "__main__":
    sys.exit(main())
