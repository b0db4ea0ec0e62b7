"""``pensiondesk person relation``: change or confirm a member's 与户主关系, and list those still 待核对.

The installed script on a real village file (a demo village of 200), after a change of head made through the
service the household window calls; the refusal of a 复核员 runs the CLI in-process, as the import test does.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from pensiondesk.domain.codes import Relation, UserRole
from pensiondesk.services import people
from pensiondesk.services.demo import create_demo_village
from pensiondesk.services.recording import Actor
from pensiondesk.store.db import open_database
from pensiondesk.store.models import AuditEntry, Household, Person, RelationCheck

SCRIPT = shutil.which("pensiondesk", path=str(Path(sys.executable).parent)) or "pensiondesk"


def run_cli(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PENSIONDESK_HOME": str(home), "QT_QPA_PLATFORM": "offscreen", "PENSIONDESK_USER": "wang"}
    return subprocess.run([SCRIPT, *args], capture_output=True, text=True, env=env, timeout=300, check=False)


@pytest.fixture
def village(tmp_path: Path) -> tuple[Path, dict[str, tuple[str, str]]]:
    """A demo village where the son of a head/spouse/son/daughter household became head: (file, relation →
    (ID number, name))."""
    path = tmp_path / "village.sqlite"
    db = open_database(path)
    with db.session() as s:
        create_demo_village(s, persons=200, seed=4)
    with db.session() as s:
        family: dict[str, Person] = {}
        for household_id in s.scalars(select(Household.id).order_by(Household.id)):
            members = list(s.scalars(select(Person).where(Person.household_id == household_id)))
            if sorted(str(m.relation) for m in members) == ["daughter", "head", "son", "spouse"]:
                family = {str(m.relation): m for m in members}
                break
        assert family, "the demo village has no such household"
        people.set_household_head(
            s, Actor("wang"), str(family["son"].household_id), family["son"].id, old_head_relation=Relation.PARENT
        )
        found = {relation: (m.id_number, m.name) for relation, m in family.items()}
    db.close()
    return path, found


def marked(path: Path) -> set[str]:
    db = open_database(path)
    with db.session() as s:
        numbers = set(s.scalars(select(Person.id_number).join(RelationCheck, RelationCheck.person_id == Person.id)))
    db.close()
    return numbers


def relation_of(path: Path, number: str) -> Relation | None:
    db = open_database(path)
    with db.session() as s:
        relation = s.scalar(select(Person.relation).where(Person.id_number == number))
    db.close()
    return relation


def test_list_confirm_and_change(village: tuple[Path, dict[str, tuple[str, str]]], tmp_path: Path) -> None:
    path, family = village
    spouse, daughter = family["spouse"], family["daughter"]
    listed = run_cli("--db", str(path), "person", "relation", "--pending", home=tmp_path)
    assert listed.returncode == 0, listed.stderr
    assert spouse[1] in listed.stdout and daughter[1] in listed.stdout
    assert "建议“父母”" in listed.stdout and "建议“兄弟姐妹”" in listed.stdout
    assert f"对原户主{family['head'][1]}" in listed.stdout and f"户主{family['son'][1]}" in listed.stdout
    assert "共 2 人与户主关系待核对" in listed.stdout

    # Changed: 配偶 → 父母 (the Chinese name as typed), and the mark goes.
    changed = run_cli("--db", str(path), "person", "relation", spouse[0], "父母", home=tmp_path)
    assert changed.returncode == 0, changed.stderr
    assert f"已把{spouse[1]}与户主{family['son'][1]}的关系由“配偶”改为“父母”" in changed.stdout
    assert relation_of(path, spouse[0]) is Relation.PARENT and marked(path) == {daughter[0]}

    # Confirmed as recorded (a daughter of the old head is written 女 and the coordinator keeps it, say).
    confirmed = run_cli("--db", str(path), "person", "relation", daughter[0], "女", home=tmp_path)
    assert confirmed.returncode == 0, confirmed.stderr
    assert "已核对" in confirmed.stdout and "不再标为待核对" in confirmed.stdout
    assert relation_of(path, daughter[0]) is Relation.DAUGHTER and marked(path) == set()
    again = run_cli("--db", str(path), "person", "relation", daughter[0], "daughter", home=tmp_path)
    assert again.returncode == 0 and "没有改动" in again.stdout

    empty = run_cli("--db", str(path), "person", "relation", "--pending", home=tmp_path)
    assert empty.returncode == 0 and "没有与户主关系待核对的人员" in empty.stdout


def test_refusals(village: tuple[Path, dict[str, tuple[str, str]]], tmp_path: Path) -> None:
    path, family = village
    head = run_cli("--db", str(path), "person", "relation", family["son"][0], "子", home=tmp_path)
    assert head.returncode == 1 and "是本户户主" in head.stderr
    unknown = run_cli("--db", str(path), "person", "relation", family["spouse"][0], "舅舅", home=tmp_path)
    assert unknown.returncode == 2 and "不认识的与户主关系“舅舅”" in unknown.stderr
    missing = run_cli("--db", str(path), "person", "relation", family["spouse"][0], home=tmp_path)
    assert missing.returncode == 2 and "--pending" in missing.stderr
    assert marked(path) == {family["spouse"][0], family["daughter"][0]}


def test_a_reviewer_is_refused_with_exit_1_and_nothing_written(
    village: tuple[Path, dict[str, tuple[str, str]]], capsys: pytest.CaptureFixture[str]
) -> None:
    from pensiondesk.cli import run
    from pensiondesk.services import accounts

    path, family = village
    db = open_database(path)
    with db.session() as s:
        audit_before = len(s.scalars(select(AuditEntry.seq)).all())
    db.close()
    accounts.set_current_actor(Actor("li", UserRole.REVIEWER, "李复核"))
    try:
        code = run(["--db", str(path), "person", "relation", family["spouse"][0], "父母"])
    finally:
        accounts.set_current_actor(None)
    assert code == 1
    assert "复核员只审核" in capsys.readouterr().err
    assert relation_of(path, family["spouse"][0]) is Relation.SPOUSE
    assert marked(path) == {family["spouse"][0], family["daughter"][0]}
    db = open_database(path)
    with db.session() as s:
        assert len(s.scalars(select(AuditEntry.seq)).all()) == audit_before
    db.close()
