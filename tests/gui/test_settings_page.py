"""设置 page: the text size (applied at once, remembered on this computer, applied by run_gui at start), 本机信息
(village, database, backups with 立即备份, policy pack) and the overlay calibration through its service.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from pypdf import PdfReader
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from pensiondesk.gui.app import DEFAULT_POINT_SIZE, build_main_window, install_bundled_font, run_gui
from pensiondesk.gui.main_window import MainWindow
from pensiondesk.gui.qt import QApplication, QFont, Qt, QTimer
from pensiondesk.gui.settings_page import SettingsPage
from pensiondesk.gui.setup_wizard import SetupWizard
from pensiondesk.services.receipts import OVERLAY_OFFSET_KEY, OverlayOffset, overlay_offset, set_overlay_offset
from pensiondesk.services.recording import Actor
from pensiondesk.services.settings import TextSize, text_size
from pensiondesk.store.models import AuditEntry

from .conftest import TOWNSHIP_NAME, VILLAGE_NAME

if TYPE_CHECKING:
    from .conftest import VillageDb

pytestmark = pytest.mark.gui

ACTOR = Actor("wanghong", display_name="王红")


class Printed(list[tuple[Path, str]]):
    """What the page sent to the printer: (PDF file, what it is)."""

    def __call__(self, path: Path, name: str) -> str:
        self.append((path, name))
        return f"{name}已打印"


@pytest.fixture
def app_font(qapp: QApplication) -> Iterator[QFont]:
    """Put the application font back after a test changes it."""
    saved = QFont(qapp.font())
    yield saved
    qapp.setFont(saved)


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """This computer's data folder, empty (nothing chosen yet)."""
    folder = tmp_path / "home"
    monkeypatch.setenv("PENSIONDESK_HOME", str(folder))
    return folder


def make_page(qtbot: QtBot, village_db: VillageDb, home: Path, printer: Printed | None = None) -> SettingsPage:
    page = SettingsPage(
        village_db.session_factory,
        village_db.path,
        ACTOR,
        village_db.path.parent / "printouts",
        display_folder=home,
        printer=printer if printer is not None else Printed(),
    )
    qtbot.addWidget(page)
    page.resize(1100, 800)
    page.show()
    qtbot.waitExposed(page)
    return page


def test_text_size_changes_the_application_font_and_is_remembered(
    qtbot: QtBot, qapp: QApplication, app_font: QFont, village_db: VillageDb, home: Path
) -> None:
    install_bundled_font(qapp)
    page = make_page(qtbot, village_db, home)
    assert page.text_size_buttons[TextSize.STANDARD].isChecked()  # nothing chosen yet on this computer
    sizes: list[float] = []
    page.text_size_changed.connect(sizes.append)

    # From the keyboard: Alt+L is 大.
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow)
    page.x_edit.setFocus()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_L, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(page.text_size_buttons[TextSize.LARGE].isChecked)  # a mnemonic clicks after a short flash
    assert qapp.font().pointSizeF() == pytest.approx(DEFAULT_POINT_SIZE * 1.2)
    # Widgets follow once the font change event is delivered.
    qtbot.waitUntil(lambda: page.x_edit.font().pointSizeF() == pytest.approx(DEFAULT_POINT_SIZE * 1.2))
    assert sizes == [pytest.approx(DEFAULT_POINT_SIZE * 1.2)]
    assert "大" in page.message_label.text()

    page.text_size_buttons[TextSize.EXTRA_LARGE].click()
    assert qapp.font().pointSizeF() == pytest.approx(DEFAULT_POINT_SIZE * 1.4)
    assert text_size(home) is TextSize.EXTRA_LARGE

    again = make_page(qtbot, village_db, home)  # a new window on this computer shows the choice
    assert again.text_size_buttons[TextSize.EXTRA_LARGE].isChecked()
    assert not again.text_size_buttons[TextSize.STANDARD].isChecked()


def test_a_damaged_display_file_means_standard(home: Path) -> None:
    home.mkdir(parents=True)
    (home / "display.json").write_text("{not json", encoding="utf-8")
    assert text_size(home) is TextSize.STANDARD
    (home / "display.json").write_text('{"text_size": "huge"}', encoding="utf-8")
    assert text_size(home) is TextSize.STANDARD


def test_run_gui_starts_with_the_size_chosen_on_this_computer(
    qapp: QApplication, app_font: QFont, tmp_path: Path, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pensiondesk.services.settings import save_text_size

    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    save_text_size(TextSize.LARGE)  # into PENSIONDESK_HOME
    seen: list[float] = []

    def close_main_window() -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, SetupWizard) and widget.isVisible():
                widget.reject()  # a brand-new data folder opens the setup wizard first: 以后再设置
            if isinstance(widget, MainWindow) and widget.isVisible():
                seen.append(widget.font().pointSizeF())
                widget.close()

    timer = QTimer()
    timer.setInterval(50)
    timer.timeout.connect(close_main_window)
    timer.start()
    try:
        assert run_gui(tmp_path / "new" / "village.db", log_dir=tmp_path / "logs") == 0
    finally:
        timer.stop()
    assert seen == [pytest.approx(DEFAULT_POINT_SIZE * 1.2)]


def test_info_shows_the_village_database_folders_and_policy_pack(
    qtbot: QtBot, village_db: VillageDb, home: Path
) -> None:
    page = make_page(qtbot, village_db, home)
    assert page.village_value.text() == VILLAGE_NAME
    assert page.township_value.text() == TOWNSHIP_NAME
    assert page.db_path_value.text() == str(village_db.path.absolute())
    assert page.db_size_value.text().endswith(("KB", "MB"))
    assert page.data_folder_value.text() == str(home)
    assert page.backup_folder_value.text() == str(village_db.path.parent.absolute() / "backups")
    assert page.backups_value.text() == "还没有备份"
    assert page.info is not None
    assert page.info.policy_pack_id in page.policy_value.text()
    assert f"{page.info.policy_pack_effective_from:%Y-%m-%d} 起执行" in page.policy_value.text()


def test_backup_now_makes_a_file_in_backups_off_the_gui_thread(qtbot: QtBot, village_db: VillageDb, home: Path) -> None:
    page = make_page(qtbot, village_db, home)
    with qtbot.waitSignal(page.backup_finished, timeout=20_000) as finished:
        page.backup_button.click()
        assert not page.backup_button.isEnabled()  # one backup at a time
    assert finished.args == [True]
    (made,) = (village_db.path.parent / "backups").glob("*.sqlite")
    assert made.stat().st_size > 0
    assert made.name in page.message_label.text()
    assert made.name in page.backups_value.text()  # the list is re-read
    assert page.backup_button.isEnabled()


def test_calibration_offsets_round_trip_through_the_service(qtbot: QtBot, village_db: VillageDb, home: Path) -> None:
    with village_db.session_factory() as session:
        set_overlay_offset(session, ACTOR, "0.5", "1")  # as `pensiondesk receipt calibrate` does
    printed = Printed()
    page = make_page(qtbot, village_db, home, printed)
    assert (page.x_edit.text(), page.y_edit.text()) == ("0.5", "1.0")

    page.x_edit.setText("1.5")
    page.y_edit.setText("－2")
    page.save_offset_button.click()
    assert "水平 1.5 毫米，垂直 -2.0 毫米" in page.message_label.text()
    with village_db.session_factory() as session:
        assert overlay_offset(session) == OverlayOffset(Decimal("1.5"), Decimal("-2.0"))
        audited = session.scalars(
            select(AuditEntry).where(AuditEntry.entity_id == OVERLAY_OFFSET_KEY).order_by(AuditEntry.seq)
        ).all()
    assert len(audited) == 2 and audited[-1].user == ACTOR.username

    page.x_edit.setText("abc")
    page.save_offset()
    assert "水平偏移必须是毫米数" in page.message_label.text()

    page.test_page_button.click()
    (path, name) = printed[-1]
    assert name == "套打校准页" and page.message_label.text() == "套打校准页已打印"
    text = "\n".join(p.extract_text() for p in PdfReader(path).pages)
    assert "当前偏移：水平 1.5 毫米" in text


def test_the_main_window_refits_its_navigation_when_the_text_grows(
    qtbot: QtBot, qapp: QApplication, app_font: QFont, village_db: VillageDb, home: Path
) -> None:
    install_bundled_font(qapp)
    window = build_main_window(village_db.session_factory, village_db.path)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.show_page(6)
    assert window.stack.currentWidget() is window.settings_page
    width = window.navigation.width()
    row_height = window.person_page.table.verticalHeader().defaultSectionSize()
    window.settings_page.choose_text_size(TextSize.EXTRA_LARGE)
    assert window.settings_page.text_size_buttons[TextSize.EXTRA_LARGE].isChecked()
    assert text_size(home) is TextSize.EXTRA_LARGE
    assert window.navigation.width() > width
    qtbot.waitUntil(lambda: window.person_page.table.verticalHeader().defaultSectionSize() > row_height)
