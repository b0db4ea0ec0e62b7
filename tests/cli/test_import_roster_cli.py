"""``pensiondesk import roster`` on a registration roster, run as a user runs it: the installed script, a real
village file and a real .xlsx with a 缴费档次 column.

By default the 参保登记 the rows ask for are entered (and the summary says how many, and why the others cannot
be); ``--no-register`` enters none; ``--dry-run`` writes nothing but says how many would be entered; the same file
imported twice enters nothing the second time. Exit codes are the import's: 0 when no row is rejected.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import openpyxl
import pytest
from python_calamine import CalamineWorkbook
from sqlalchemy import func, select

from pensiondesk.domain.codes import PersonStatus, ReviewState
from pensiondesk.domain.idnumber import check_character
from pensiondesk.services.demo import create_demo_village
from pensiondesk.store.db import open_database
from pensiondesk.store.models import Person, Registration

SCRIPT = shutil.which("pensiondesk", path=str(Path(sys.executable).parent)) or "pensiondesk"
TODAY = date.today()


def run_cli(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PENSIONDESK_HOME": str(home), "QT_QPA_PLATFORM": "offscreen", "PENSIONDESK_USER": "wang"}
    return subprocess.run([SCRIPT, *args], capture_output=True, text=True, env=env, timeout=300, check=False)


def make_id(birth: date, seq: int) -> str:
    first17 = f"410522{birth:%Y%m%d}{seq:03d}"
    return first17 + check_character(first17)


@pytest.fixture
def village(tmp_path: Path) -> tuple[Path, Path]:
    """A demo village of 200 and a registration roster: two new adults, a new 10-year-old, and a resident of
    the village who may enrol and has no registration (an unchanged row)."""
    path = tmp_path / "village.sqlite"
    db = open_database(path)
    with db.session() as s:
        create_demo_village(s, persons=200, seed=4, as_of=TODAY)
    with db.session() as s:
        registered = select(Registration.person_id)
        resident = s.scalars(
            select(Person)
            .where(
                Person.status == PersonStatus.NOT_ENROLLED,
                Person.local_hukou.is_(True),
                Person.is_student.is_(False),
                Person.has_employee_pension.is_(False),
                Person.has_other_state_pension.is_(False),
                Person.is_public_staff.is_(False),
                Person.birth_date.between(TODAY - timedelta(days=50 * 365), TODAY - timedelta(days=20 * 365)),
                Person.id.not_in(registered),
            )
            .order_by(Person.id_number)
        ).first()
        assert resident is not None
        known = (resident.name, resident.id_number)
    db.close()
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["序号", "姓名", "公民身份号码", "参保身份", "缴费档次"])
    sheet.append([1, "韩立新", make_id(date(1982, 4, 5), 13), "011", 200])
    sheet.append([2, "曹玉梅", make_id(date(1988, 6, 7), 24), "011", 300])
    sheet.append([3, "韩小宝", make_id(TODAY.replace(year=TODAY.year - 10, day=1), 35), "011", 200])
    sheet.append([4, known[0], known[1], None, 500])
    roster = tmp_path / "rosters" / "登记花名册.xlsx"
    roster.parent.mkdir()
    book.save(roster)
    return path, roster


def counts(path: Path) -> tuple[int, int]:
    db = open_database(path)
    with db.session() as s:
        found = (
            s.scalar(select(func.count()).select_from(Person)) or 0,
            s.scalar(select(func.count()).select_from(Registration)) or 0,
        )
    db.close()
    return found


def test_import_enters_the_registrations_by_default_and_not_twice(village: tuple[Path, Path], tmp_path: Path) -> None:
    path, roster = village
    persons, registrations = counts(path)

    dry = run_cli("--db", str(path), "import", "roster", str(roster), "--dry-run", home=tmp_path)
    assert dry.returncode == 0, dry.stdout + dry.stderr
    assert "试运行（未写入数据库）：可新增 3 人，未变 1 人，拒绝 0 行" in dry.stdout
    assert "可录入参保登记 3 人；1 人不能录入，原因如下（不影响人员导入）" in dry.stdout
    assert "第4行：不能按表中的缴费档次录入参保登记：韩小宝按" in dry.stdout and "未满16周岁" in dry.stdout
    assert counts(path) == (persons, registrations)  # --dry-run writes nothing

    done = run_cli("--db", str(path), "import", "roster", str(roster), home=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "新增 3 人，未变 1 人，拒绝 0 行" in done.stdout
    assert "录入参保登记 3 人（已录入，请由另一位工作人员在“审核”中初审）；1 人不能录入，原因如下" in done.stdout
    assert "Traceback" not in done.stderr
    assert counts(path) == (persons + 3, registrations + 3)
    db = open_database(path)
    with db.session() as s:
        entered = s.execute(
            select(Person.name, Registration.tier_fen, Registration.review_state, Registration.entered_by)
            .join(Person, Person.id == Registration.person_id)
            .where(Registration.registered_on == TODAY)
        ).all()
    db.close()
    assert sorted((name, tier) for name, tier, _state, _by in entered if name in ("韩立新", "曹玉梅")) == [
        ("曹玉梅", 30000),
        ("韩立新", 20000),
    ]
    assert len(entered) == 3 and {(state, by) for _n, _t, state, by in entered} == {(ReviewState.ENTERED, "wang")}
    report = roster.with_name("登记花名册-导入结果.xlsx")  # written beside the file: there are notes
    rows = CalamineWorkbook.from_path(str(report)).get_sheet_by_index(0).to_python()
    assert any(row[1] == "韩小宝" and "未满16周岁" in str(row[-1]) for row in rows)

    again = run_cli("--db", str(path), "import", "roster", str(roster), home=tmp_path)
    assert again.returncode == 0, again.stdout + again.stderr
    assert "新增 0 人，未变 4 人，拒绝 0 行" in again.stdout
    assert "没有新录入的参保登记；3 人已有相同档次的参保登记，未重复录入；1 人不能录入" in again.stdout
    assert counts(path) == (persons + 3, registrations + 3)

    verified = run_cli("--db", str(path), "audit", "verify", home=tmp_path)
    assert verified.returncode == 0 and verified.stdout.startswith("审计记录完整"), verified.stdout


def test_no_register_enters_none(village: tuple[Path, Path], tmp_path: Path) -> None:
    path, roster = village
    persons, registrations = counts(path)
    result = run_cli("--db", str(path), "import", "roster", str(roster), "--no-register", home=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "新增 3 人，未变 1 人，拒绝 0 行" in result.stdout
    assert "未录入参保登记（--no-register）" in result.stdout
    assert counts(path) == (persons + 3, registrations)


def test_a_reviewer_is_refused_with_exit_1_and_nothing_written(
    village: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    """Refused as a whole (a 复核员 never enters data, domain.md §14): exit 1, the reason, nothing written."""
    from pensiondesk.cli import run
    from pensiondesk.domain.codes import UserRole
    from pensiondesk.services import accounts
    from pensiondesk.services.recording import Actor

    path, roster = village
    before = counts(path)
    accounts.set_current_actor(Actor("li", UserRole.REVIEWER, "李复核"))
    try:
        code = run(["--db", str(path), "import", "roster", str(roster)])
    finally:
        accounts.set_current_actor(None)
    err = capsys.readouterr().err
    assert code == 1
    assert "李复核是复核员：复核员只审核（通过或退回），不能" in err and "没有导入任何人" in err
    assert counts(path) == before


def test_a_dry_run_report_says_could_be_added(village: tuple[Path, Path], tmp_path: Path) -> None:
    path, roster = village
    report = tmp_path / "检查报告.xlsx"
    done = run_cli("--db", str(path), "import", "roster", str(roster), "--dry-run", "--report", str(report),
                   home=tmp_path)  # fmt: skip
    assert done.returncode == 0, done.stderr
    rows = CalamineWorkbook.from_path(str(report)).get_sheet_by_index(0).to_python()
    results = [row[rows[0].index("结果")] for row in rows[1:]]
    assert "可新增" in results and "新增" not in results  # nothing was written
