"""The pensioner and notice commands, run as a user runs them: the installed script on a real village file."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from pypdf import PdfReader
from sqlalchemy import select

from pensiondesk.domain.codes import PersonStatus
from pensiondesk.services.demo import create_demo_village
from pensiondesk.services.pensioner_demo import seed_pensioner_histories
from pensiondesk.store.db import open_database
from pensiondesk.store.models import Cancellation, Person, SurvivalCheck

SCRIPT = shutil.which("pensiondesk", path=str(Path(sys.executable).parent)) or "pensiondesk"
TODAY = date.today()
FULL_ID = re.compile(r"\d{17}[\dX]")


def run_cli(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PENSIONDESK_HOME": str(home), "QT_QPA_PLATFORM": "offscreen", "PENSIONDESK_USER": "wang"}
    return subprocess.run([SCRIPT, *args], capture_output=True, text=True, env=env, timeout=300, check=False)


@pytest.fixture(scope="module")
def village_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "village.sqlite"
    db = open_database(path)
    with db.session() as s:
        create_demo_village(s, persons=600, seed=9, as_of=TODAY)
        seed_pensioner_histories(s, as_of=TODAY, seed=9)
    db.close()
    return path


@pytest.fixture
def db_file(village_file: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "village.sqlite"
    shutil.copyfile(village_file, copy)
    return copy


def _pensioner(path: Path, status: PersonStatus = PersonStatus.RECEIVING) -> tuple[str, str]:
    db = open_database(path)
    with db.session() as s:
        person = s.scalars(select(Person).where(Person.status == status).order_by(Person.id_number)).first()
        assert person is not None
        result = (person.id_number, person.name)
    db.close()
    return result


@pytest.mark.parametrize("kind", ["benefit", "survival", "enrolment", "death", "collective"])
def test_print_notice_every_kind(db_file: Path, tmp_path: Path, kind: str) -> None:
    out = tmp_path / f"{kind}.pdf"
    period = ["--period", str(TODAY.year)] if kind in ("benefit", "death") else []
    result = run_cli("--db", str(db_file), "print", "notice", "--kind", kind, *period, "--out", str(out), home=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "已打印公示" in result.stdout and out.is_file()
    text = "".join(page.extract_text() or "" for page in PdfReader(out).pages)
    assert not FULL_ID.search(text)
    notice_id = re.search(r"--notice (\S+)", result.stdout)
    assert notice_id is not None
    again = tmp_path / "again.pdf"
    reprint = run_cli(
        "--db", str(db_file), "print", "notice", "--notice", notice_id.group(1), "--out", str(again), home=tmp_path
    )
    assert reprint.returncode == 0, reprint.stderr
    assert [p.extract_text() for p in PdfReader(again).pages] == [p.extract_text() for p in PdfReader(out).pages]


def test_print_notice_for_one_group_portrait(db_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "g.pdf"
    result = run_cli(
        "--db", str(db_file), "print", "notice", "--kind", "survival", "--group", "第一村民小组", "--portrait",
        "--out", str(out), home=tmp_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    page = PdfReader(out).pages[0]
    assert float(page.mediabox.height) > float(page.mediabox.width)
    text = "".join(p.extract_text() or "" for p in PdfReader(out).pages)
    assert "第一村民小组" in text and "第二村民小组" not in text
    bad = run_cli("--db", str(db_file), "print", "notice", "--kind", "survival", "--group", "第九十组", "--out",
                  str(out), home=tmp_path)  # fmt: skip
    assert bad.returncode == 2 and "第九十组" in bad.stderr and "Traceback" not in bad.stderr


def test_survival_record(db_file: Path, tmp_path: Path) -> None:
    number, name = _pensioner(db_file)
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(b"\xff\xd8 photo")
    result = run_cli(
        "--db", str(db_file), "survival", "record", "--id", number, "--method", "上门", "--date", TODAY.isoformat(),
        "--witness", "组长", "--attachment", str(photo), home=tmp_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert f"{name}：认证通过" in result.stdout
    db = open_database(db_file)
    with db.session() as s:
        check = s.scalars(select(SurvivalCheck).order_by(SurvivalCheck.created_at.desc())).first()
        assert check is not None and check.witness == "组长" and check.created_by == "wang"
        assert check.attachment_path and (db_file.parent / "attachments" / check.attachment_path).is_file()
    db.close()
    again = run_cli(
        "--db", str(db_file), "survival", "record", "--id", number, "--method", "电话", "--date", TODAY.isoformat(),
        home=tmp_path,
    )  # fmt: skip
    assert again.returncode == 2 and "认证方式" in again.stderr and "Traceback" not in again.stderr


def test_death_report_and_application(db_file: Path, tmp_path: Path) -> None:
    number, name = _pensioner(db_file)
    died = TODAY - timedelta(days=40)
    result = run_cli(
        "--db", str(db_file), "death", "report", "--id", number, "--date", died.isoformat(),
        "--heir-name", "张小明", "--heir-id", "11010519491231002X", "--heir-card", "6217000012345678901",
        home=tmp_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert f"已登记{name}死亡" in result.stdout and "停发养老金" in result.stdout and "丧葬补助金" in result.stdout
    form = tmp_path / "death.pdf"
    printed = run_cli("--db", str(db_file), "print", "death-form", "--id", number, "--out", str(form), home=tmp_path)
    assert printed.returncode == 0, printed.stderr
    assert "申请表" in "".join(p.extract_text() or "" for p in PdfReader(form).pages)
    twice = run_cli("--db", str(db_file), "death", "report", "--id", number, "--date", died.isoformat(), home=tmp_path)
    assert twice.returncode == 2 and "登记过" in twice.stderr


def test_import_deaths(db_file: Path, tmp_path: Path) -> None:
    number, name = _pensioner(db_file)
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["序号", "姓名", "身份证号", "死亡日期"])
    ws.append([1, name, number, (TODAY - timedelta(days=20)).isoformat()])
    ws.append([2, "无此人", "11010519491231002X", (TODAY - timedelta(days=20)).isoformat()])
    source = tmp_path / "民政死亡名单.xlsx"
    wb.save(source)
    result = run_cli("--db", str(db_file), "import", "deaths", str(source), home=tmp_path)
    assert result.returncode == 1, result.stderr  # one row needs a person's look
    assert "已登记死亡 1 人" in result.stdout and "本村无此人 1 行" in result.stdout and "无此人" in result.stdout
    db = open_database(db_file)
    with db.session() as s:
        person = s.scalars(select(Person).where(Person.id_number == number)).one()
        assert person.status is PersonStatus.TERMINATED
        assert s.scalars(select(Cancellation).where(Cancellation.person_id == person.id)).one().source.value == (
            "civil_affairs"
        )
    db.close()


def test_report_progress_xlsx_and_pdf(db_file: Path, tmp_path: Path) -> None:
    xlsx = tmp_path / "progress.xlsx"
    result = run_cli("--db", str(db_file), "report", "progress", "--out", str(xlsx), home=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "参保率" in result.stdout and "认证率" in result.stdout
    wb = load_workbook(xlsx)
    assert wb.sheetnames[0] == "进度汇总"
    pdf = tmp_path / "progress.pdf"
    result = run_cli("--db", str(db_file), "report", "progress", "--out", str(pdf), home=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "工作进度报告" in (PdfReader(pdf).pages[0].extract_text() or "").replace(" ", "")
    wrong = run_cli("--db", str(db_file), "report", "progress", "--out", str(tmp_path / "x.doc"), home=tmp_path)
    assert wrong.returncode == 2 and ".xlsx" in wrong.stderr


def test_print_notification_forms(db_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "notify.pdf"
    result = run_cli("--db", str(db_file), "print", "notification", "--months", "12", "--out", str(out), home=tmp_path)
    assert result.returncode == 0, result.stderr
    count = int(re.search(r"通知表 (\d+) 份", result.stdout).group(1))  # type: ignore[union-attr]
    assert len(PdfReader(out).pages) == count >= 1


def test_missing_database_is_one_plain_line(tmp_path: Path) -> None:
    result = run_cli("--db", str(tmp_path / "none.sqlite"), "report", "progress", "--out", str(tmp_path / "p.xlsx"),
                     home=tmp_path)  # fmt: skip
    assert result.returncode == 2 and "找不到数据库文件" in result.stderr and "Traceback" not in result.stderr
