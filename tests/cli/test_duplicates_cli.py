"""``pensiondesk duplicates``, run as a user runs it: the installed script on a real village file with two likely
duplicates, before and after one is judged 不是同一人."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

from pensiondesk.domain.codes import Relation
from pensiondesk.domain.idnumber import check_character
from pensiondesk.services import people
from pensiondesk.services.demo import create_demo_village
from pensiondesk.services.duplicates import dismiss, likely_duplicates
from pensiondesk.services.people_types import PersonInput
from pensiondesk.services.recording import Actor
from pensiondesk.store.db import open_database
from pensiondesk.store.models import Setting

SCRIPT = shutil.which("pensiondesk", path=str(Path(sys.executable).parent)) or "pensiondesk"


def make_id(birth: date, seq: int) -> str:
    first17 = f"411099{birth:%Y%m%d}{seq:03d}"
    return first17 + check_character(first17)


def run_cli(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PENSIONDESK_HOME": str(home), "QT_QPA_PLATFORM": "offscreen", "PENSIONDESK_USER": "wang"}
    return subprocess.run([SCRIPT, *args], capture_output=True, text=True, env=env, timeout=300, check=False)


def test_duplicates_are_listed_and_dismissed_ones_only_with_all(tmp_path: Path) -> None:
    path = tmp_path / "village.sqlite"
    db = open_database(path)
    with db.session() as s:
        create_demo_village(s, persons=100, seed=8)
        setting = s.get(Setting, "village_id")
        assert setting is not None
        village_id = setting.value
    first = make_id(date(1966, 7, 15), 411)
    second = make_id(date(1966, 7, 15), 457)
    for number in (first, second):
        with db.session() as s:
            inp = PersonInput(name="诸葛亮", id_number=number, group_name="第三村民小组", relation=Relation.HEAD)
            people.add_person(s, Actor("wang"), inp, village_id=village_id)
    db.close()

    shown = run_cli("--db", str(path), "duplicates", home=tmp_path)
    assert shown.returncode == 0, shown.stderr
    assert "1. 姓名（诸葛亮）和出生日期（1966-07-15）都相同，身份证号不同" in shown.stdout
    assert f"甲：诸葛亮（{first}，1966-07-15，第三村民小组，未参保）" in shown.stdout
    assert f"乙：诸葛亮（{second}，1966-07-15，第三村民小组，未参保）" in shown.stdout
    assert "共 1 对疑似重复登记" in shown.stdout

    db = open_database(path)
    with db.session() as s:
        (item,) = likely_duplicates(s, village_id)
        dismiss(s, Actor("wang"), item.pair.first.person_id, item.pair.second.person_id, item.pair.kind, "双胞胎")
    db.close()
    after = run_cli("--db", str(path), "duplicates", home=tmp_path)
    assert after.returncode == 0 and "没有发现疑似重复登记。" in after.stdout and "诸葛亮" not in after.stdout
    every = run_cli("--db", str(path), "duplicates", "--all", home=tmp_path)
    assert "【已判定不是同一人：双胞胎（wang）】" in every.stdout and "没有发现疑似重复登记。" in every.stdout
