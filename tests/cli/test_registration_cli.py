"""``pensiondesk register``, run as a user runs it: the installed script on a real village file.

录入 of one resident's 参保登记 (with tier and date), a refusal that writes nothing, and ``--submit`` of what another
person has checked (村级初审) on the review page.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from pensiondesk.domain.codes import PersonStatus, ReviewState, UserRole
from pensiondesk.services import registration
from pensiondesk.services.demo import create_demo_village
from pensiondesk.services.recording import Actor
from pensiondesk.store.db import open_database
from pensiondesk.store.models import Person, Registration

SCRIPT = shutil.which("pensiondesk", path=str(Path(sys.executable).parent)) or "pensiondesk"
TODAY = date.today()


def run_cli(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PENSIONDESK_HOME": str(home), "QT_QPA_PLATFORM": "offscreen", "PENSIONDESK_USER": "wang"}
    return subprocess.run([SCRIPT, *args], capture_output=True, text=True, env=env, timeout=300, check=False)


@pytest.fixture
def db_file(tmp_path: Path) -> Path:
    path = tmp_path / "village.sqlite"
    db = open_database(path)
    with db.session() as s:
        create_demo_village(s, persons=200, seed=4, as_of=TODAY)
    db.close()
    return path


def _may_enrol(path: Path) -> tuple[str, str, str]:
    """(id, ID number, name) of a local resident of 20–50 who is 未参保 and excluded by nothing."""
    db = open_database(path)
    with db.session() as s:
        person = s.scalars(
            select(Person)
            .where(
                Person.status == PersonStatus.NOT_ENROLLED,
                Person.local_hukou.is_(True),
                Person.is_student.is_(False),
                Person.has_employee_pension.is_(False),
                Person.has_other_state_pension.is_(False),
                Person.is_public_staff.is_(False),
                Person.birth_date.between(TODAY - timedelta(days=50 * 365), TODAY - timedelta(days=20 * 365)),
            )
            .order_by(Person.id_number)
        ).first()
        assert person is not None
        found = (person.id, person.id_number, person.name)
    db.close()
    return found


def _registrations(path: Path) -> list[Registration]:
    db = open_database(path)
    with db.session() as s:
        rows = list(s.scalars(select(Registration)))
        s.expunge_all()
    db.close()
    return rows


def test_register_enters_refuses_twice_and_submits_once_checked(db_file: Path, tmp_path: Path) -> None:
    _, number, name = _may_enrol(db_file)
    day = TODAY - timedelta(days=1)
    result = run_cli(
        "--db", str(db_file), "register", number, "--tier", "300", "--date", day.isoformat(), home=tmp_path
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert f"已录入{name}的参保登记" in result.stdout
    (entered,) = _registrations(db_file)
    assert (entered.review_state, entered.entered_by, entered.tier_fen) == (ReviewState.ENTERED, "wang", 300_00)
    assert entered.registered_on == day

    again = run_cli("--db", str(db_file), "register", number, home=tmp_path)
    assert again.returncode == 1 and "不能重复登记" in again.stderr and "Traceback" not in again.stderr
    assert len(_registrations(db_file)) == 1

    nothing = run_cli("--db", str(db_file), "register", "--submit", home=tmp_path)
    assert nothing.returncode == 0 and "没有已初审、待上报的参保登记" in nothing.stdout

    db = open_database(db_file)
    with db.session() as s:
        registration.village_check(s, Actor("li", UserRole.REVIEWER, "李复核"), entered.id)
    db.close()
    submitted = run_cli("--db", str(db_file), "register", "--submit", home=tmp_path)
    assert submitted.returncode == 0, submitted.stderr
    assert submitted.stdout.strip() == f"已上报 1 人的参保登记：{name}"
    (done,) = _registrations(db_file)
    assert done.review_state is ReviewState.SUBMITTED and done.submitted_at is not None


def test_register_usage_mistakes_are_one_plain_line(db_file: Path, tmp_path: Path) -> None:
    for args, message in (
        ((), "二者选一"),
        (("110101199001011234", "--submit"), "二者选一"),
        (("--submit", "--tier", "300"), "不能和"),
    ):
        result = run_cli("--db", str(db_file), "register", *args, home=tmp_path)
        assert result.returncode == 2 and message in result.stderr and "Traceback" not in result.stderr
    unknown = run_cli("--db", str(db_file), "register", "110101199001011234", home=tmp_path)
    assert unknown.returncode == 1 and "身份证号" in unknown.stderr
    db = open_database(db_file)
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(Registration)) == 0
    db.close()
