"""The 公示名单 tab: build a notice, preview it, print it to a (PDF) printer, save it, record objections."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from pytestqt.qtbot import QtBot

from pensiondesk.domain.codes import NoticeKind
from pensiondesk.gui.announcements_page import PrintPage
from pensiondesk.gui.notices_page import NoticesPage, build_notices_page
from pensiondesk.gui.qt import QMessageBox, QPrintDialog, Qt
from pensiondesk.services.demo import create_demo_village
from pensiondesk.services.pensioner_demo import seed_pensioner_histories
from pensiondesk.services.recording import Actor
from pensiondesk.store.db import Database, open_database

pytestmark = pytest.mark.gui
AS_OF = date(2026, 11, 20)


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("gui-notices") / "demo.sqlite"
    db = open_database(path)
    with db.session() as s:
        create_demo_village(s, persons=600, seed=23, as_of=AS_OF)
        seed_pensioner_histories(s, as_of=AS_OF, seed=23)
    db.close()
    return path


@pytest.fixture
def db(demo_file: Path, tmp_path: Path) -> Iterator[Database]:
    copy = tmp_path / "demo.sqlite"
    shutil.copyfile(demo_file, copy)
    database = open_database(copy)
    yield database
    database.close()


@pytest.fixture
def warnings(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    shown: list[str] = []

    def warn(_parent: Any, _title: str, text: str, *_args: Any) -> QMessageBox.StandardButton:
        shown.append(text)
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "warning", warn)
    monkeypatch.setattr(QMessageBox, "information", warn)
    return shown


@pytest.fixture
def page(qtbot: QtBot, db: Database) -> NoticesPage:
    widget = NoticesPage(db.session, today=lambda: AS_OF, actor=lambda: Actor("wang"))
    qtbot.addWidget(widget)
    widget.resize(1300, 850)
    widget.show()
    return widget


def test_build_preview_print_and_save(
    page: NoticesPage, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, warnings: list[str]
) -> None:
    assert page.loaded and page.groups.count() > 0 and page.days.value() == 7
    page.set_kind(NoticeKind.SURVIVAL)
    assert page.period.text() == "2026"
    first = page.groups.item(0)
    assert first is not None
    first.setCheckState(Qt.CheckState.Checked)
    notice = page.build()
    assert notice is not None and not warnings
    assert page.notices_model.rowCount() == 1
    assert notice.group_ids == [first.data(Qt.ItemDataRole.UserRole)]
    pages = page.preview.page_count()
    assert pages >= 1 and page.preview.print_button.isEnabled()

    printed = tmp_path / "printed.pdf"

    def accept(dialog: QPrintDialog) -> int:
        dialog.printer().setOutputFileName(str(printed))
        return int(QPrintDialog.DialogCode.Accepted.value)

    monkeypatch.setattr(QPrintDialog, "exec", accept)
    assert page.preview.print_pdf()
    assert len(PdfReader(printed).pages) == pages
    saved = page.preview.save_pdf(tmp_path / "notice.pdf")
    assert saved is not None and saved.read_bytes() == page.preview.pdf
    text = "".join(p.extract_text() or "" for p in PdfReader(saved).pages)
    assert notice.title in text.replace("\n", "")


def test_orientation_and_reprint(page: NoticesPage) -> None:
    page.set_kind(NoticeKind.ENROLMENT)
    assert page.build() is not None
    portrait = page.preview.pdf
    page.orientation.setCurrentIndex(1)  # 横向
    landscape = page.preview.pdf
    assert portrait != landscape
    reader = PdfReader(__import__("io").BytesIO(landscape))
    box = reader.pages[0].mediabox
    assert float(box.width) > float(box.height)


def test_objections(page: NoticesPage, warnings: list[str]) -> None:
    page.set_kind(NoticeKind.DEATH)
    page.period.setText("2026")
    assert page.build() is not None
    assert page.raise_objection(date(2026, 11, 22), "第三组某某未死亡", by="村民")
    assert page.objections_model.rowCount() == 1
    assert page.objections_model.row_cells(0)[3] == "（未处理）"
    page.objections.selectRow(0)
    assert page.resolve("经核实系同名，已更正")
    assert page.objections_model.row_cells(0)[3] == "经核实系同名，已更正"
    assert page.notices_model.row_cells(0)[3] == "1"
    assert not page.raise_objection(date(2026, 11, 1), "太早")  # before the posting day
    assert "早于公示张贴日期" in warnings[-1]


def test_bad_period_is_explained(page: NoticesPage, warnings: list[str]) -> None:
    page.period.setText("明年")
    assert page.build() is None
    assert "不是有效的期间" in warnings[-1]


def test_print_page_holds_the_notices_tab(qtbot: QtBot, db: Database) -> None:
    print_page = PrintPage(db.session)
    qtbot.addWidget(print_page)
    assert isinstance(print_page.tabs.widget(0), NoticesPage)
    assert print_page.tabs.tabText(0).startswith("公示名单")
    assert isinstance(build_notices_page(db.session), NoticesPage)
