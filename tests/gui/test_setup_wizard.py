"""The first-run setup wizard on real database files: offline setup, enrolment against the real county server.

Offline path end to end: village set through the service, the first user created (the database file is encrypted
afterwards and opens with the new password only), the recovery key shown and not passable until acknowledged,
its sheet printed (PDF parsed back, and not left on disk), the printer page's calibration page, the summary.
Enrolment path: the county's code from a real ``pensiondesk-county serve`` on loopback; a wrong code is said
plainly and 先离线设置 goes on without the network.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader
from pytestqt.qtbot import QtBot
from tests.sync.conftest import CountyServer, server  # noqa: F401  (fixture)

from pensiondesk.gui import setup_wizard as wizard_module
from pensiondesk.gui.qt import QWizard
from pensiondesk.gui.setup_wizard import (
    PAGE_ENROL,
    PAGE_FINISH,
    PAGE_IMPORT,
    PAGE_KEY,
    PAGE_OFFLINE,
    PAGE_PRINTER,
    PAGE_USER,
    PAGE_USERS_EXIST,
    PAGE_VILLAGE,
    SetupWizard,
)
from pensiondesk.services import accounts, first_run
from pensiondesk.services.accounts import LoginFailed
from pensiondesk.services.database import open_for_work
from pensiondesk.services.settings import printer_name
from pensiondesk.store import cipher
from pensiondesk.store.db import Database, open_database
from pensiondesk.store.models import AuditEntry, Village

pytestmark = pytest.mark.gui

PASSWORD = "hongqi-2027"
ENROL_TIMEOUT_MS = 60_000


class Printed(list[tuple[Path, str, str]]):
    """What was sent to the printer: (file, what it is, the PDF's text read while the file still existed)."""

    def __call__(self, path: Path, name: str) -> str:
        text = "\n".join(page.extract_text() for page in PdfReader(path).pages)
        self.append((path, name, text))
        return f"{name}已打印"


@pytest.fixture
def fresh_db(tmp_path: Path) -> Iterator[Database]:
    """A brand-new data folder's database, as run_gui opens it."""
    db = open_for_work(tmp_path / "data" / "pensiondesk.sqlite")
    yield db
    db.close()
    accounts.set_current_actor(None)
    cipher.forget_keys()


def make_wizard(qtbot: QtBot, db: Database, printed: Printed, home: Path) -> SetupWizard:
    wizard = SetupWizard(db, printer=printed, display_folder=home)
    qtbot.addWidget(wizard)
    wizard.show()
    return wizard


def test_a_new_database_needs_the_wizard_and_a_demo_does_not(fresh_db: Database, tmp_path: Path) -> None:
    with fresh_db.session() as session:
        assert first_run.needs_first_run(session)
    demo = open_database(tmp_path / "demo.sqlite")
    try:
        from pensiondesk.services.demo import create_demo_village

        with demo.session() as session:
            create_demo_village(session, persons=5, seed=1)
        with demo.session() as session:
            assert not first_run.needs_first_run(session)
    finally:
        demo.close()


def test_offline_setup_end_to_end(qtbot: QtBot, fresh_db: Database, _isolated_home: Path) -> None:
    printed = Printed()
    wizard = make_wizard(qtbot, fresh_db, printed, _isolated_home)
    db_path = fresh_db.path
    wizard.next()
    assert wizard.currentId() == PAGE_VILLAGE
    village = wizard.village_page
    assert village.enrol_radio.isChecked()  # the recommended way first
    village.offline_radio.setChecked(True)
    wizard.next()
    assert wizard.currentId() == PAGE_OFFLINE

    # A wrong code is refused with a sentence; nothing is written.
    page = wizard.offline_page
    page.code_edit.setText("41109910120")
    page.village_edit.setText("红旗村")
    page.township_edit.setText("青山镇")
    page.county_edit.setText("安和县")
    wizard.next()
    assert wizard.currentId() == PAGE_OFFLINE
    assert "12 位数字" in page.problem_label.text()
    page.code_edit.setText("411099101201")
    assert "乡镇代码 411099101，县（区）代码 411099" in page.codes_label.text()
    wizard.next()
    assert wizard.currentId() == PAGE_USER
    with wizard.database.session() as session:
        place = first_run.current_place(session)
        assert place is not None
        assert (place.village_name, place.township_code, place.county_name) == ("红旗村", "411099101", "安和县")
        assert first_run.setup_state(session) == "started"
        assert session.query(AuditEntry).filter_by(action="setup.village_offline").count() == 1

    # First user: the passwords must match; then the database is encrypted.
    user = wizard.user_page
    user.username_edit.setText("wangfang")
    user.display_edit.setText("王芳")
    user.password_edit.setText(PASSWORD)
    user.again_edit.setText(PASSWORD + "x")
    wizard.next()
    assert wizard.currentId() == PAGE_USER and "两次输入的密码不一样" in user.problem_label.text()
    assert not cipher.is_encrypted_file(db_path)
    user.again_edit.setText(PASSWORD)
    wizard.next()
    assert wizard.currentId() == PAGE_KEY
    assert cipher.is_encrypted_file(db_path)
    assert wizard.actor is not None and wizard.actor.username == "wangfang"
    assert accounts.current_actor().username == "wangfang"

    # The recovery key is shown once, large, and the page does not let go until it is acknowledged.
    key_page = wizard.key_page
    key = wizard.recovery_key
    assert key is not None
    shown = key_page.key_label.text().replace("\n", "").replace(" ", "").replace("-", "")
    assert shown == accounts.normalize_recovery_key(key)
    assert not key_page.isComplete()
    wizard.next()
    assert wizard.currentId() == PAGE_KEY
    key_page.print_button.click()
    ((sheet, name, text),) = printed
    assert name == "恢复密钥" and "红旗村" in text and "wangfang" in text
    assert key.split("-")[0] in text
    assert not sheet.exists()  # the key must not stay on the laptop's disk
    key_page.kept_box.setChecked(True)
    assert key_page.isComplete()
    wizard.next()
    assert wizard.currentId() == PAGE_PRINTER

    # Printer: the calibration box of the 设置 page, on the reopened (encrypted) database.
    printer_page = wizard.printer_page
    assert printer_page.calibration is not None
    printer_page.calibration.x_edit.setText("1.5")
    printer_page.calibration.y_edit.setText("-1")
    assert printer_page.calibration.save_offset()
    printer_page.calibration.test_page_button.click()
    assert printed[-1][1] == "套打校准页" and "当前偏移：水平 1.5 毫米" in printed[-1][2]
    wizard.next()
    assert wizard.currentId() == PAGE_IMPORT
    wizard.next()
    assert wizard.currentId() == PAGE_FINISH
    summary = wizard.finish_page.summary_label.text()
    assert "红旗村（411099101201）" in summary and "王芳（wangfang），管理员" in summary
    assert "恢复密钥：已确认放入保险柜" in summary and "还没有登记" in summary
    # The last page offers 完成 only: 以后再设置 (the cancel button) is not shown once everything is set.
    assert wizard.button(QWizard.WizardButton.FinishButton).isVisible()
    assert not wizard.button(QWizard.WizardButton.CancelButton).isVisible()
    wizard.accept()
    with wizard.database.session() as session:
        assert first_run.setup_state(session) == "done"
        assert not first_run.needs_first_run(session)
    wizard.database.close()

    # Afterwards the file needs the login: the new password opens it, a wrong one does not, nor does plain sqlite.
    assert accounts.needs_login(db_path)
    with pytest.raises(LoginFailed):
        accounts.verify_password(db_path, "wangfang", "not-the-password")
    reopened, actor = accounts.open_with_login(db_path, "wangfang", PASSWORD)
    try:
        with reopened.session() as session:
            assert session.query(Village).one().name == "红旗村"
        assert actor.role.value == "admin"
    finally:
        reopened.close()
    import sqlite3

    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(db_path).execute("select count(*) from village").fetchone()


def test_rerun_skips_the_first_user_when_users_exist(qtbot: QtBot, fresh_db: Database, _isolated_home: Path) -> None:
    with fresh_db.session(immediate=True) as session:
        first_run.set_up_village_offline(
            session,
            wizard_module.SETUP_ACTOR,
            village_code="411099101201",
            village_name="红旗村",
            township_name="青山镇",
            county_name="安和县",
        )
    db_path = fresh_db.path
    fresh_db.close()
    accounts.setup_first_user(db_path, "wangfang", "王芳", PASSWORD)
    db, actor = accounts.open_with_login(db_path, "wangfang", PASSWORD)
    try:
        wizard = SetupWizard(db, actor=actor, printer=Printed(), display_folder=_isolated_home)
        qtbot.addWidget(wizard)
        wizard.show()
        wizard.next()
        village = wizard.village_page
        assert village.offline_radio.isHidden() and village.keep_radio.isChecked()
        assert "红旗村（村代码 411099101201）" in village.place_label.text()
        wizard.next()
        assert wizard.currentId() == PAGE_USERS_EXIST
        wizard.next()
        assert wizard.currentId() == PAGE_PRINTER
        wizard.next()
        wizard.next()
        assert wizard.currentId() == PAGE_FINISH
        assert "本机有 1 个用户" in wizard.finish_page.summary_label.text()
    finally:
        db.close()


def test_enrolment_with_the_county_code(
    qtbot: QtBot,
    fresh_db: Database,
    _isolated_home: Path,
    server: CountyServer,  # noqa: F811
) -> None:
    village_code = server.add_village(name="红旗村")
    wizard = make_wizard(qtbot, fresh_db, Printed(), _isolated_home)
    wizard.next()
    wizard.next()
    assert wizard.currentId() == PAGE_ENROL
    page = wizard.enrol_page
    assert not page.isComplete()

    # A wrong code: a plain sentence, and the way on without the network.
    page.server_edit.setText(server.url)
    page.code_edit.setText("WRONG-CODE-0000")
    assert page.start_enrol()
    qtbot.waitUntil(lambda: not page.running, timeout=ENROL_TIMEOUT_MS)
    assert "没有登记成功" in page.status_label.text() and page.offline_button.isVisible()
    assert not page.isComplete()

    page.code_edit.setText(server.enrol_code(village_code))
    assert page.start_enrol()
    qtbot.waitUntil(lambda: page.enrolled, timeout=ENROL_TIMEOUT_MS)
    assert "登记成功" in page.status_label.text() and "红旗村" in page.status_label.text()
    assert page.isComplete()
    wizard.next()
    assert wizard.currentId() == PAGE_USER
    with wizard.database.session() as session:
        place = first_run.current_place(session)
        assert place is not None and place.village_code == village_code
        assert first_run.is_enrolled(session)


def test_enrolment_failure_goes_on_offline(qtbot: QtBot, fresh_db: Database, _isolated_home: Path) -> None:
    from tests.sync.conftest import free_port

    wizard = make_wizard(qtbot, fresh_db, Printed(), _isolated_home)
    wizard.next()
    wizard.next()
    page = wizard.enrol_page
    page.server_edit.setText(f"http://127.0.0.1:{free_port()}")  # nobody listens there
    page.code_edit.setText("K7QH-3MZP-W2RC-9TXA")
    assert page.start_enrol()
    qtbot.waitUntil(lambda: not page.running, timeout=ENROL_TIMEOUT_MS)
    assert "没有登记成功" in page.status_label.text()
    page.offline_button.click()
    assert wizard.currentId() == PAGE_OFFLINE


def test_printer_choice_is_remembered_per_computer(
    qtbot: QtBot, fresh_db: Database, _isolated_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        wizard_module.QPrinterInfo, "availablePrinterNames", staticmethod(lambda: ["村委会打印机", "HP"])
    )
    monkeypatch.setattr(wizard_module.QPrinterInfo, "defaultPrinterName", staticmethod(lambda: "HP"))
    wizard = make_wizard(qtbot, fresh_db, Printed(), _isolated_home)
    wizard.setStartId(PAGE_PRINTER)
    wizard.restart()
    page = wizard.printer_page
    assert page.printer_combo.currentText() == "HP" and page.no_printer_label.isHidden()
    page.printer_combo.setCurrentText("村委会打印机")
    wizard.next()
    assert printer_name(_isolated_home) == "村委会打印机"


def test_no_printer_is_explained(
    qtbot: QtBot, fresh_db: Database, _isolated_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(wizard_module.QPrinterInfo, "availablePrinterNames", staticmethod(lambda: []))
    wizard = make_wizard(qtbot, fresh_db, Printed(), _isolated_home)
    wizard.setStartId(PAGE_PRINTER)
    wizard.restart()
    page = wizard.printer_page
    assert not page.no_printer_label.isHidden() and page.printer_combo.isHidden()
    assert "保存为 PDF" in page.no_printer_label.text()
