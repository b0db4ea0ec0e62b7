"""Where the header is, said once (QA: for a two-row merged header the import window said 表头在第 3 行 and the
command line 第2、3行): both show ``ImportPlan.header_place``. Real .xlsx with merged header cells, a real SQLite
file, the wizard offscreen and the CLI in a subprocess."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from pytestqt.qtbot import QtBot

from pensiondesk.gui.import_wizard import ImportWizard
from pensiondesk.sheets.reader import read_table
from pensiondesk.store.db import Database, open_database
from pensiondesk.store.models import County, Setting, Township, Village

pytestmark = pytest.mark.gui

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
PLACE = "工作表“花名册”，表头在第2、3行"
SCRIPT = shutil.which("pensiondesk", path=str(Path(sys.executable).parent)) or "pensiondesk"


def valid_id(first17: str) -> str:
    return first17 + "10X98765432"[sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True)) % 11]


def two_row_header(path: Path) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "花名册"
    sheet.append(["红旗村参保花名册"])
    sheet.append(["序号", "姓名", "身份证号", "家庭信息", None])
    sheet.append([None, None, None, "村民小组", "与户主关系"])
    for cells in ("A2:A3", "B2:B3", "C2:C3", "D2:E2"):
        sheet.merge_cells(cells)
    sheet.append([1, "赵大山", valid_id("41052219701111111"), "第一村民小组", "户主"])
    book.save(path)
    return path


@pytest.fixture
def db_path(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "village.sqlite"
    database = open_database(path)
    with database.session() as s:
        county = County(code="410522", name="安和县")
        s.add(county)
        s.flush()
        township = Township(county_id=county.id, code="410522101", name="青山镇")
        s.add(township)
        s.flush()
        village = Village(township_id=township.id, code="410522101201", name="红旗村")
        s.add(village)
        s.flush()
        s.add(Setting(key="village_id", value=village.id))
    database.close()
    yield path


def test_the_wizard_and_the_cli_say_the_same_rows(qtbot: QtBot, db_path: Path, tmp_path: Path) -> None:
    roster = two_row_header(tmp_path / "花名册.xlsx")
    assert read_table(roster).header_place == PLACE

    database: Database = open_database(db_path)
    try:
        wizard = ImportWizard(database.session)
        qtbot.addWidget(wizard)
        wizard.show()
        wizard.file_page.path_edit.setText(str(roster))
        wizard.next()
        assert wizard.currentPage() is wizard.mapping_page, wizard.file_page.message.text()
        wizard.next()
        assert wizard.currentPage() is wizard.preview_page
        shown = wizard.preview_page.notes_label.text()
    finally:
        database.close()
    assert shown.splitlines()[0] == PLACE + "。"

    env = {**os.environ, "PENSIONDESK_HOME": str(tmp_path / "home"), "PENSIONDESK_USER": "clerk"}
    cli = subprocess.run(
        [SCRIPT, "--db", str(db_path), "import", "roster", str(roster), "--dry-run"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert cli.returncode == 0, cli.stdout + cli.stderr
    assert f"文件：花名册.xlsx（{PLACE}）" in cli.stdout
