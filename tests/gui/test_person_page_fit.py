"""The person page on a 1366-pixel screen shows its texts whole (QA walk-through at 1366×768).

The status bar's message wrapped instead of "…请另一位工作人员在“审核”中初…"; the 村民小组 filter shows a whole
group name instead of "第七村民小". A real SQLite demo village.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from pensiondesk.gui.app import apply_text_size, install_bundled_font
from pensiondesk.gui.main_window import MainWindow
from pensiondesk.gui.person_tools import GROUP_NAME_SAMPLE
from pensiondesk.gui.qt import QApplication, QStyle, QStyleOptionComboBox
from pensiondesk.services.demo import create_demo_village
from pensiondesk.services.settings import TextSize
from pensiondesk.store.db import Database, open_database

pytestmark = pytest.mark.gui

MESSAGE = "已录入欧阳王大明的参保登记，请另一位工作人员在“审核”中初审"


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = open_database(tmp_path / "village.db")
    with database.session() as session:
        create_demo_village(session, persons=200, seed=5)
    yield database
    database.close()


def shown_window(qtbot: QtBot, qapp: QApplication, db: Database) -> MainWindow:
    install_bundled_font(qapp)
    window = MainWindow(db.session, db.path)
    qtbot.addWidget(window)
    window.resize(1366, 740)
    window.show()
    qtbot.waitExposed(window)
    return window


@pytest.mark.parametrize("size", [TextSize.STANDARD, TextSize.EXTRA_LARGE])
def test_a_long_status_message_is_shown_whole(qtbot: QtBot, qapp: QApplication, db: Database, size: TextSize) -> None:
    try:
        apply_text_size(qapp, size)
        window = shown_window(qtbot, qapp, db)
        window.person_page.person_actions.message.emit(MESSAGE)
        bar = window.statusBar()
        assert bar.currentMessage() == MESSAGE
        label = bar.message_label  # type: ignore[attr-defined]
        qtbot.waitUntil(lambda: label.height() >= label.heightForWidth(label.width()))
        assert label.text() == MESSAGE and label.isVisible()
        assert label.geometry().right() < window.operator_label.geometry().left()  # beside the labels, not under
        assert bar.geometry().bottom() <= window.rect().bottom()
        bar.clearMessage()
        assert label.text() == ""
    finally:
        apply_text_size(qapp, TextSize.STANDARD)


def test_the_group_filter_shows_a_whole_group_name(qtbot: QtBot, qapp: QApplication, db: Database) -> None:
    window = shown_window(qtbot, qapp, db)
    combo = window.person_page.filter_bar.group_combo
    combo.setCurrentIndex(combo.count() - 1)  # 第八村民小组
    option = QStyleOptionComboBox()
    combo.initStyleOption(option)
    field = combo.style().subControlRect(
        QStyle.ComplexControl.CC_ComboBox, option, QStyle.SubControl.SC_ComboBoxEditField, combo
    )
    assert field.width() >= combo.fontMetrics().horizontalAdvance(GROUP_NAME_SAMPLE)
    assert field.width() >= combo.fontMetrics().horizontalAdvance(combo.currentText())
