"""The 通知/宣传单 tab of the 公示/打印 page: choose, edit, preview, save as PDF, print, history."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from pensiondesk.gui import announcements_page
from pensiondesk.gui.announcements_page import AnnouncementEditor, PrintPage
from pensiondesk.gui.qt import QApplication, QMessageBox, QPrintDialog, QWidget
from pensiondesk.services.announcements import AnnouncementKind, Layout
from pensiondesk.services.demo import create_demo_village
from pensiondesk.store import models
from pensiondesk.store.db import Database, open_database

pytestmark = pytest.mark.gui

TODAY = date(2026, 11, 23)


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = open_database(tmp_path / "village.sqlite")
    with database.session() as session:
        create_demo_village(session, persons=150, seed=7, as_of=TODAY)
    yield database
    database.close()


@pytest.fixture
def warnings(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Message boxes are recorded instead of waiting for a click."""
    seen: list[str] = []

    def record(_parent: QWidget | None, _title: str, text: str, *_args: object) -> QMessageBox.StandardButton:
        seen.append(text)
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "warning", record)
    monkeypatch.setattr(QMessageBox, "critical", record)
    monkeypatch.setattr(QMessageBox, "question", lambda *_a: QMessageBox.StandardButton.Yes)
    return seen


@pytest.fixture
def page(qtbot: QtBot, qapp: QApplication, db: Database, warnings: list[str]) -> PrintPage:
    print_page = PrintPage(db.session, today=lambda: TODAY)
    qtbot.addWidget(print_page)
    print_page.resize(1280, 800)
    print_page.tabs.setCurrentIndex(1)
    print_page.show()
    qtbot.waitExposed(print_page)
    return print_page


def editor_of(page: PrintPage) -> AnnouncementEditor:
    return page.editor


def pdf_text(data: bytes) -> str:
    return "".join(re.sub(r"\s+", "", p.extract_text()) for p in PdfReader(io.BytesIO(data)).pages)


def test_opening_the_tab_fills_the_collection_notice_and_previews_it(page: PrintPage, warnings: list[str]) -> None:
    editor = editor_of(page)
    assert page.tabs.tabText(1) == "通知/宣传单(&N)" and page.tabs.tabText(0).startswith("公示名单")
    assert editor.kind is AnnouncementKind.COLLECTION
    assert editor.year_box.value() == 2027  # November: next year's campaign
    assert editor.title_edit.toPlainText().startswith("关于开展2027年度城乡居民")
    assert "{tier_table}" in editor.body_edit.toPlainText()
    assert editor.preview_page_count() >= 2
    assert re.fullmatch(r"共 \d+ 页（A4 张贴通知）", editor.preview_label.text())
    assert warnings == []


def test_choosing_a_kind_fills_its_text_and_shows_its_fields(page: PrintPage) -> None:
    editor = editor_of(page)
    editor.set_kind(AnnouncementKind.MEETING)
    assert editor.title_edit.toPlainText().startswith("关于召开城乡居民基本养老保险")
    assert editor.details_form.isRowVisible(editor.meeting_place)
    assert not editor.details_form.isRowVisible(editor.collection_places)
    assert editor.preview_page_count() == 1
    editor.set_kind(AnnouncementKind.LETTER)
    assert editor.leaflet_radio.isChecked()  # the letter's template prints as leaflets
    assert "{estimate_table}" in editor.body_edit.toPlainText()
    assert "A4 横放，每张两份宣传单" in editor.preview_label.text()


def test_edited_text_is_previewed_and_saved_as_pdf_with_a_history_line(
    page: PrintPage, db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, warnings: list[str]
) -> None:
    editor = editor_of(page)
    editor.set_kind(AnnouncementKind.MEETING)
    editor.meeting_place.setText("村文化礼堂")
    editor.generate_button.click()
    assert "二、会议地点：村文化礼堂。" in editor.body_edit.toPlainText()
    editor.body_edit.setPlainText(editor.body_edit.toPlainText() + "\n\n请各位带好笔记本。")
    editor.salutation_edit.setText("各位村民代表：")
    assert editor.preview()
    assert "请各位带好笔记本。" in pdf_text(editor._pdf_bytes)

    target = tmp_path / "out" / "会议通知"
    target.parent.mkdir()
    monkeypatch.setattr(
        announcements_page.QFileDialog, "getSaveFileName", lambda *_a, **_k: (str(target), "PDF 文件 (*.pdf)")
    )
    saved = editor.save_pdf()
    assert saved == target.with_suffix(".pdf") and saved.is_file()
    text = pdf_text(saved.read_bytes())
    assert "各位村民代表：" in text and "请各位带好笔记本。" in text and "村文化礼堂" in text
    assert editor.history_table.rowCount() == 1
    assert editor.history_table.item(0, 1).text() == "会议通知"
    assert editor.history_table.item(0, 0).text() == "2026-11-23"
    with db.session() as session:
        record = session.scalars(select(models.Announcement)).one()
        assert record.content["salutation"] == "各位村民代表："
        assert record.content["paragraphs"][-1] == "请各位带好笔记本。"
        stored = session.get(models.Setting, "announcements")
        assert stored is not None and stored.value["meeting_place"] == "村文化礼堂"
    assert warnings == []


def test_print_sends_every_page_to_the_printer_and_records_it(
    page: PrintPage, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    editor = editor_of(page)
    output = tmp_path / "printer.pdf"

    def accept(dialog: QPrintDialog) -> int:
        printer = dialog.printer()
        printer.setOutputFileName(str(output))  # a PDF "printer" stands in for the real one
        return int(QPrintDialog.DialogCode.Accepted)

    monkeypatch.setattr(announcements_page.QPrintDialog, "exec", accept)
    editor.leaflet_radio.setChecked(True)
    assert editor.print_announcement()
    printed = PdfReader(str(output))
    assert len(printed.pages) == editor.preview_page_count() >= 1
    width, height = (float(v) for v in printed.pages[0].mediabox[2:])
    assert width > height  # leaflets come out on A4 landscape
    assert editor.history_table.rowCount() == 1
    assert editor.history_table.item(0, 3).text() == "宣传单"


def test_a_cancelled_print_dialog_records_nothing(page: PrintPage, monkeypatch: pytest.MonkeyPatch) -> None:
    editor = editor_of(page)
    monkeypatch.setattr(announcements_page.QPrintDialog, "exec", lambda _d: int(QPrintDialog.DialogCode.Rejected))
    assert not editor.print_announcement()
    assert editor.history_table.rowCount() == 0


def test_an_unknown_table_marker_is_explained_not_printed(
    page: PrintPage, monkeypatch: pytest.MonkeyPatch, warnings: list[str], tmp_path: Path
) -> None:
    editor = editor_of(page)
    editor.body_edit.setPlainText("请看下表：\n\n{estimate_table}")
    monkeypatch.setattr(
        announcements_page.QFileDialog, "getSaveFileName", lambda *_a, **_k: (str(tmp_path / "x.pdf"), "")
    )
    assert editor.save_pdf() is None
    assert "{estimate_table} 不是本通知的表格" in warnings[-1]
    assert not (tmp_path / "x.pdf").exists()
    assert editor.history_table.rowCount() == 0


def test_characters_the_font_lacks_are_caught_before_printing(page: PrintPage, warnings: list[str]) -> None:
    editor = editor_of(page)
    editor.salutation_edit.setText("各位乡亲😀：")
    assert not editor.preview()
    assert "😀" in warnings[-1] and "空白方框" in warnings[-1]


def test_a_history_record_shows_exactly_what_was_posted(
    page: PrintPage, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    editor = editor_of(page)
    editor.body_edit.setPlainText("原来贴出的文字。\n\n{tier_table}")
    monkeypatch.setattr(
        announcements_page.QFileDialog, "getSaveFileName", lambda *_a, **_k: (str(tmp_path / "a.pdf"), "")
    )
    assert editor.save_pdf() is not None
    editor.generate()  # the editor moves on to fresh text …
    assert "原来贴出的文字。" not in pdf_text(editor._pdf_bytes)
    editor.history_table.selectRow(0)
    assert editor.show_selected_record()  # … and the record still shows what was posted
    assert "原来贴出的文字。" in pdf_text(editor._pdf_bytes)
    assert editor.preview_label.text().startswith("打印记录：2026-11-23")


def test_keyboard_mnemonics_reach_the_fields(page: PrintPage) -> None:
    editor = editor_of(page)
    buddies = {label.text(): label.buddy() for label in editor.findChildren(announcements_page.QLabel) if label.buddy()}
    assert buddies["种类(&K)："] is editor.kind_box
    assert buddies["年度(&Y)："] is editor.year_box
    assert buddies["标题(&T)："] is editor.title_edit
    assert buddies["正文(&X)："] is editor.body_edit
    assert editor.body_edit.tabChangesFocus()
    assert editor.preview_button.text() == "预览(&P)" and editor.print_button.text() == "打印(&R)…"


def test_a_database_without_a_village_says_so_quietly(qtbot: QtBot, tmp_path: Path, warnings: list[str]) -> None:
    with open_database(tmp_path / "empty.sqlite") as empty:
        print_page = PrintPage(empty.session, today=lambda: TODAY)
        qtbot.addWidget(print_page)
        print_page.tabs.setCurrentIndex(1)
        print_page.show()
        qtbot.waitExposed(print_page)
        assert "还没有设置本村信息" in print_page.editor.preview_label.text()
        assert warnings == []  # opening the page never blocks on a message box
        assert print_page.editor.announcement is None


def test_layout_choice_applies_to_the_print(page: PrintPage) -> None:
    editor = editor_of(page)
    editor.leaflet_radio.setChecked(True)
    announcement = editor.current_announcement()
    assert announcement is not None and announcement.layout is Layout.LEAFLET
