"""The 报表 page: figures by group, the chart, the lists behind a figure, export and print."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pytestqt.qtbot import QtBot

from pensiondesk.gui.reports_page import ReportsPage
from pensiondesk.services.demo import create_demo_village
from pensiondesk.services.pensioner_demo import seed_pensioner_histories
from pensiondesk.services.progress import Measure, progress_report
from pensiondesk.store.db import Database, open_database

pytestmark = pytest.mark.gui
AS_OF = date(2026, 11, 20)


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("gui-reports") / "demo.sqlite"
    db = open_database(path)
    with db.session() as s:
        create_demo_village(s, persons=900, seed=25, as_of=AS_OF)
        seed_pensioner_histories(s, as_of=AS_OF, seed=25)
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
def page(qtbot: QtBot, db: Database) -> ReportsPage:
    widget = ReportsPage(db.session, today=lambda: AS_OF)
    qtbot.addWidget(widget)
    widget.resize(1300, 850)
    widget.show()
    return widget


def test_figures_chart_and_lists(page: ReportsPage, db: Database) -> None:
    assert page.report is not None
    with db.session() as s:
        expected = progress_report(s, as_of=AS_OF)
    assert page.figures_model.rowCount() == len(expected.groups) + 1
    total = page.figures_model.row_cells(page.figures_model.rowCount() - 1)
    assert total[0] == "全村合计" and total[3] == expected.total[Measure.ENROLMENT].rate_text
    image = page.chart.grab().toImage()
    assert not image.isNull() and image.width() > 100
    # Double-click 缴费率 of the first group: that group's 催缴名单.
    page.figures.doubleClicked.emit(page.figures_model.index(0, 6))
    people = page.show_list()
    first = expected.groups[0]
    assert len(people) == first[Measure.PAYMENT].missing == page.list_model.rowCount()
    assert all(p.group_name == first.name for p in people)
    # Double-click 已参保 of the village total: everyone counted.
    page.figures.doubleClicked.emit(page.figures_model.index(page.figures_model.rowCount() - 1, 2))
    assert page.list_model.rowCount() == expected.total[Measure.ENROLMENT].numerator


def test_export_and_print(page: ReportsPage, tmp_path: Path) -> None:
    out = page.export_xlsx(tmp_path / "progress.xlsx")
    assert out is not None
    wb = load_workbook(out)
    assert wb.sheetnames[0] == "进度汇总" and "催缴名单" in wb.sheetnames
    assert page.print_report()
    assert page.preview.preview.page_count() >= 2


def test_the_export_button_asks_where_and_writes_the_file(
    page: ReportsPage, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """导出Excel… clicked as a person does: it asks where (the file dialog) and writes there. Connected directly,
    clicked(bool) handed False to export_xlsx as the path, and the click wrote nothing."""
    from pensiondesk.gui import reports_page

    asked: list[str] = []

    def save_as(_parent: object, _title: str, suggested: str, _filter: str) -> tuple[str, str]:
        asked.append(suggested)
        return str(tmp_path / "from-the-button"), ""

    monkeypatch.setattr(reports_page.QFileDialog, "getSaveFileName", staticmethod(save_as))
    page.export_button.click()
    assert asked and asked[0].endswith(".xlsx")
    written = tmp_path / "from-the-button.xlsx"
    assert written.is_file()
    assert load_workbook(written).sheetnames[0] == "进度汇总"
