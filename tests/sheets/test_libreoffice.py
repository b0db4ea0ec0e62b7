"""The exports as LibreOffice shows them, and the files LibreOffice writes read back (issue: "the exports open in
Excel/LibreOffice with IDs intact").

LibreOffice (``soffice --headless``) converts the exported .xlsx to CSV of the *displayed* cell text — an ID stored
as a number would show as ``4.11099E+17`` or lose its last digits — and saves it again as old Excel (.xls) and
OpenDocument (.ods), which the roster import must then read as the same persons (re-import: every row unchanged).
Skipped where LibreOffice is not installed (``.ci/run`` installs ``libreoffice-calc-nogui``).
"""

from __future__ import annotations

import csv
import shutil
import subprocess
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from pensiondesk.domain.eligibility import EligibilityKind
from pensiondesk.services import roster_import as ri
from pensiondesk.services.demo import create_demo_village
from pensiondesk.services.roster_export import export_eligibility_list, export_roster
from pensiondesk.store.db import Database, open_database
from pensiondesk.store.models import Person, Setting

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")

TODAY = date(2026, 11, 22)


@pytest.fixture(scope="module")
def village(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Database, str]]:
    folder = tmp_path_factory.mktemp("lo")
    db = open_database(folder / "village.sqlite")
    with db.session() as s:
        create_demo_village(s, persons=150, seed=11, as_of=TODAY)
        setting = s.get(Setting, "village_id")
        assert setting is not None
        village_id = setting.value
    yield db, village_id
    db.close()


def convert(source: Path, target_format: str, out_dir: Path) -> Path:
    """``soffice --headless --convert-to``, with a profile of its own (tests may run side by side)."""
    assert SOFFICE is not None
    profile = out_dir / "lo-profile"
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            target_format,
            "--outdir",
            str(out_dir),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    produced = out_dir / f"{source.stem}.{target_format.split(':')[0]}"
    assert produced.exists(), f"LibreOffice did not write {produced}"
    return produced


def shown_rows(xlsx: Path, out_dir: Path) -> list[list[str]]:
    """The sheet as LibreOffice displays it (CSV of the formatted text, UTF-8)."""
    produced = convert(xlsx, "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true", out_dir)
    with produced.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


def ids_in(rows: list[list[str]], header: str) -> list[str]:
    at = next(i for i, row in enumerate(rows) if header in row)
    column = rows[at].index(header)
    return [row[column] for row in rows[at + 1 :] if len(row) > column and row[column]]


def test_the_roster_shows_every_id_whole_in_libreoffice(village: tuple[Database, str], tmp_path: Path) -> None:
    db, village_id = village
    with db.session() as s:
        export_roster(s, tmp_path / "roster.xlsx", village_id=village_id, today=TODAY)
        stored = sorted(s.scalars(select(Person.id_number)))
    rows = shown_rows(tmp_path / "roster.xlsx", tmp_path)
    assert rows[0][0] == "红旗村2026年城乡居民养老保险参保花名册"
    shown = ids_in(rows, "公民身份号码")
    assert sorted(shown) == stored  # every ID, exactly: none as 4.11E+17, none rounded, X kept
    assert any(number.endswith("X") for number in shown)


@pytest.mark.parametrize("kind", [EligibilityKind.CONTRIBUTOR, EligibilityKind.PENSION_AGE], ids=["contrib", "60"])
def test_eligibility_lists_show_ids_whole(village: tuple[Database, str], tmp_path: Path, kind: EligibilityKind) -> None:
    db, village_id = village
    with db.session() as s:
        result = export_eligibility_list(
            s, tmp_path / f"{kind.value}.xlsx", village_id=village_id, kind=kind, year=2026, today=TODAY
        )
        stored = set(s.scalars(select(Person.id_number)))
    shown = ids_in(shown_rows(result.path, tmp_path), "公民身份号码")
    assert len(shown) == result.count > 0
    assert all(len(number) == 18 and number in stored for number in shown)


@pytest.mark.parametrize("fmt", ["xls", "ods"])
def test_libreoffice_saved_rosters_reimport_as_unchanged(
    village: tuple[Database, str], tmp_path: Path, fmt: str
) -> None:
    db, village_id = village
    with db.session() as s:
        exported = export_roster(s, tmp_path / "roster.xlsx", village_id=village_id, today=TODAY)
    saved = convert(exported.path, fmt, tmp_path)
    with db.session() as s:
        plan = ri.plan_import(s, saved, village_id=village_id, today=TODAY)
    assert isinstance(plan, ri.ImportPlan)
    assert plan.file_format == fmt
    assert not plan.to_add and not plan.rejected
    assert len(plan.unchanged) == exported.count == 150
