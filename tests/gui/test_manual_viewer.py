"""帮助 → 使用手册 (F1): the manual shown inside the program, pictures, contents, search, text size, PDF."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from pypdf import PdfReader
from pytestqt.qtbot import QtBot

from pensiondesk.gui import main_window
from pensiondesk.gui.app import build_main_window, install_bundled_font
from pensiondesk.gui.main_window import MainWindow, manual_path
from pensiondesk.gui.manual_viewer import ManualViewer, heading_slug
from pensiondesk.gui.qt import QApplication, QDesktopServices, QImage, QPixmap, Qt, QTextDocument, QUrl

if TYPE_CHECKING:
    from .conftest import VillageDb

pytestmark = pytest.mark.gui


@pytest.fixture
def window(
    qtbot: QtBot, qapp: QApplication, village_db: VillageDb, monkeypatch: pytest.MonkeyPatch
) -> Iterator[MainWindow]:
    install_bundled_font(qapp)
    # The manual is never handed to another program (Windows has none for .md files).
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda _url: pytest.fail("handed to another program"))
    win = build_main_window(village_db.session_factory, village_db.path)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow)
    yield win
    if win.manual_viewer is not None:
        win.manual_viewer.close()


@pytest.fixture
def viewer(qtbot: QtBot, window: MainWindow) -> ManualViewer:
    qtbot.keyClick(window.person_page.search_box, Qt.Key.Key_F1)
    shown = window.manual_viewer
    assert shown is not None
    qtbot.waitExposed(shown)
    return shown


def first_heading(path: Path) -> str:
    return next(line[2:].strip() for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("# "))


def test_f1_opens_the_manual_in_the_program(qtbot: QtBot, window: MainWindow, viewer: ManualViewer) -> None:
    help_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "帮助(&H)")
    entries = {a.text(): a.shortcut().toString() for a in help_menu.actions() if not a.isSeparator()}
    assert entries["使用手册(&M)…"] == "F1"

    assert viewer.isVisible() and viewer.windowTitle() == "使用手册"
    assert viewer.path.name == "manual.zh.md" and viewer.path == manual_path()
    text = viewer.browser.document().toPlainText()
    assert text.startswith(first_heading(viewer.path)) and text.startswith("城乡居保村级工作台 使用手册")
    assert "![" not in text and "## " not in text  # rendered, not shown as Markdown source
    # The menu entry (and F1 again) brings back the same window rather than opening another.
    window.manual_action.trigger()
    assert window.manual_viewer is viewer and viewer.isVisible()


def test_the_screenshots_resolve_and_fit_the_width(qtbot: QtBot, viewer: ManualViewer) -> None:
    document = viewer.browser.document()
    names = [
        line.split("](", 1)[1].rstrip(")").strip()
        for line in viewer.path.read_text(encoding="utf-8").splitlines()
        if line.strip().startswith("![")
    ]
    assert len(names) > 20
    for name in names:
        resource = document.resource(QTextDocument.ResourceType.ImageResource, QUrl(name))
        assert resource is not None, name
        image = resource.toImage() if isinstance(resource, QPixmap) else QImage(resource)
        assert not image.isNull(), name
    # A 1280-pixel screenshot is drawn no wider than the text area, keeping its proportions.
    viewer.resize(900, 700)
    qtbot.waitUntil(lambda: _image_widths(viewer) and max(_image_widths(viewer)) < 900, timeout=3000)
    room = viewer.browser.viewport().width()
    assert all(0 < width <= room for width in _image_widths(viewer))
    assert viewer.browser.horizontalScrollBar().maximum() == 0  # nothing sticks out, even inside numbered steps
    natural = viewer.image(names[0])
    assert natural.width() > room
    fmt = _image_formats(viewer)[0]
    assert abs(fmt.height() / fmt.width() - natural.height() / natural.width()) < 0.01


def _image_formats(viewer: ManualViewer) -> list:  # type: ignore[type-arg]
    found = []
    block = viewer.browser.document().begin()
    while block.isValid():
        iterator = block.begin()
        while not iterator.atEnd():
            fragment = iterator.fragment()
            if fragment.charFormat().isImageFormat():
                found.append(fragment.charFormat().toImageFormat())
            iterator += 1
        block = block.next()
    return found


def _image_widths(viewer: ManualViewer) -> list[float]:
    return [fmt.width() for fmt in _image_formats(viewer)]


def test_the_contents_list_the_sections_and_a_click_scrolls_there(qtbot: QtBot, viewer: ManualViewer) -> None:
    toc = viewer.toc
    top = [toc.topLevelItem(i).text(0) for i in range(toc.topLevelItemCount())]
    assert top[0] == "城乡居保村级工作台 使用手册"
    assert "1. 开始" in top and "10. 死亡注销" in top and "15. 遇到问题怎么办" in top
    start = next(
        toc.topLevelItem(i) for i in range(toc.topLevelItemCount()) if toc.topLevelItem(i).text(0) == "1. 开始"
    )
    assert [start.child(i).text(0) for i in range(start.childCount())][:3] == [
        "打开程序",
        "首次使用：设置向导",
        "先用演示数据练手",
    ]

    bar = viewer.browser.verticalScrollBar()
    assert bar.value() == 0
    deaths = next(
        toc.topLevelItem(i) for i in range(toc.topLevelItemCount()) if toc.topLevelItem(i).text(0) == "10. 死亡注销"
    )
    rect = toc.visualItemRect(deaths)
    qtbot.mouseClick(toc.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert bar.value() > 0
    assert viewer.browser.textCursor().block().text() == "10. 死亡注销"
    # The heading is at the top of what is shown.
    assert abs(viewer.browser.cursorRect().top()) < viewer.browser.fontMetrics().height() * 2


def test_the_manuals_own_contents_links_jump_to_the_section(viewer: ManualViewer) -> None:
    assert heading_slug("13. 同步（联网 / U盘）") == "13-同步联网--u盘"
    viewer.browser.anchorClicked.emit(QUrl("#13-同步联网--u盘"))
    assert viewer.browser.textCursor().block().text() == "13. 同步（联网 / U盘）"
    assert viewer.browser.verticalScrollBar().value() > 0


def test_ctrl_f_searches_and_wraps(qtbot: QtBot, viewer: ManualViewer) -> None:
    qtbot.keyClick(viewer.browser, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert viewer.find_box.hasFocus()
    viewer.find_box.insert("日结")  # typed through the input method; QTest cannot type Chinese
    qtbot.keyClick(viewer.find_box, Qt.Key.Key_Return)
    first = viewer.browser.textCursor()
    assert first.selectedText() == "日结"
    qtbot.keyClick(viewer.find_box, Qt.Key.Key_Return)
    assert viewer.browser.textCursor().position() > first.position()
    count = viewer.browser.document().toPlainText().count("日结")
    for _ in range(count):  # past the last one it starts again from the top
        viewer.find_next()
    assert viewer.browser.textCursor().selectedText() == "日结"
    viewer.find_box.setText("没有这几个字的句子")
    assert not viewer.find_next()
    assert "没有找到" in viewer.find_result.text()
    assert viewer.isVisible()  # Enter in the search box does not close the window


def test_larger_text_and_escape_closes(qtbot: QtBot, viewer: ManualViewer) -> None:
    size = viewer.browser.font().pointSizeF()
    qtbot.keyClick(viewer.browser, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    qtbot.mouseClick(viewer.larger_button, Qt.MouseButton.LeftButton)
    assert viewer.zoom_steps == 2 and viewer.browser.font().pointSizeF() > size
    qtbot.mouseClick(viewer.smaller_button, Qt.MouseButton.LeftButton)
    assert viewer.zoom_steps == 1
    qtbot.keyClick(viewer.browser, Qt.Key.Key_Escape)
    assert not viewer.isVisible()


def test_save_as_pdf_keeps_the_text(viewer: ManualViewer, tmp_path: Path) -> None:
    out = viewer.save_pdf(tmp_path / "manual.pdf")
    reader = PdfReader(out)
    assert len(reader.pages) > 5
    assert "日结" in "".join(page.extract_text() for page in reader.pages[:10])


def test_english_manual_when_the_program_speaks_english(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(main_window, "manual_language", lambda: "en")
    assert window.open_manual()
    viewer = window.manual_viewer
    assert viewer is not None and viewer.path.name == "manual.en.md"
    assert viewer.browser.document().toPlainText().startswith(first_heading(viewer.path))
    assert viewer.toc.topLevelItem(0).text(0).startswith("PensionDesk")


def test_the_manual_follows_the_language_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    from pensiondesk.services import settings

    if not hasattr(settings, "ui_language"):
        pytest.skip("this copy has no language setting yet")
    monkeypatch.setenv("PENSIONDESK_LANG", "en")
    assert main_window.manual_language() == "en"
    assert manual_path("en") is not None and manual_path("en").name == "manual.en.md"  # type: ignore[union-attr]
    monkeypatch.setenv("PENSIONDESK_LANG", "zh")
    assert main_window.manual_language() == "zh"
    assert manual_path("zh") == manual_path()
