"""An ID stored as a number has lost its last digits: the import never writes guessed digits anywhere.

A real .xlsx with the ID 411099198503150314 typed into a number cell holds 4.110991985031503e17; printed as an
integer that is 411099198503150272 — a plausible ID that belongs to nobody, and once a coordinator "fixes" its check
digit it would import. The preview row, the wizard's sample and the report show what Excel shows (4.11099E+17), and
re-importing the report gives the same plain reason again.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import Workbook
from python_calamine import CalamineWorkbook

from pensiondesk.gui.import_wizard import _cell_text
from pensiondesk.services import roster_import as ri
from pensiondesk.services.demo import create_demo_village
from pensiondesk.sheets.cells import lost_digits_text
from pensiondesk.store.db import Database, open_database
from pensiondesk.store.models import Setting

GUESSED = "411099198503150272"


@pytest.fixture
def village(tmp_path: Path) -> Iterator[tuple[Database, str]]:
    db = open_database(tmp_path / "v.sqlite")
    with db.session() as s:
        create_demo_village(s, persons=30, seed=2)
        setting = s.get(Setting, "village_id")
        assert setting is not None
        village_id = setting.value
    yield db, village_id
    db.close()


def roster(path: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["姓名", "性别", "公民身份号码", "村民小组", "与户主关系"])
    ws.append(["郑数字", "男", 411099198503150314, "第一村民小组", "户主"])  # a number cell: 15 significant digits
    wb.save(path)
    return path


def test_the_cell_reads_as_a_float_whose_integer_is_a_made_up_id(tmp_path: Path) -> None:
    (_, row) = CalamineWorkbook.from_path(str(roster(tmp_path / "r.xlsx"))).get_sheet_by_index(0).to_python()
    assert isinstance(row[2], float) and str(int(row[2])) == GUESSED  # what the old code showed
    assert lost_digits_text(row[2]) == "4.11099E+17" == _cell_text(row[2])
    assert lost_digits_text(123456789012345.0) is None and lost_digits_text("411099198503150314") is None


def test_preview_and_report_show_what_excel_shows(village: tuple[Database, str], tmp_path: Path) -> None:
    db, village_id = village
    path = roster(tmp_path / "r.xlsx")
    with db.session() as s:
        plan = ri.plan_import(s, path, village_id=village_id)
    assert isinstance(plan, ri.ImportPlan)
    (row,) = plan.rows
    assert row.status is ri.RowStatus.REJECTED
    assert row.person.id_number == "4.11099E+17"
    assert "表格中显示为 4.11099E+17" in row.describe() and GUESSED not in row.describe()

    report = ri.write_report(plan, tmp_path / "report.xlsx")
    cells = [c for r in CalamineWorkbook.from_path(str(report)).get_sheet_by_index(0).to_python() for c in r]
    assert "4.11099E+17" in cells
    assert not any(GUESSED in str(c) for c in cells)

    with db.session() as s:  # the report re-imported as it is: the same reason, not a check-digit puzzle
        again = ri.plan_import(s, report, village_id=village_id)
    assert isinstance(again, ri.ImportPlan)
    (row,) = again.rows
    assert row.status is ri.RowStatus.REJECTED
    assert [p.code for p in row.errors] == ["scientific_notation"]
