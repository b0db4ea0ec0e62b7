"""Roster import speed (花名册导入性能), measured against python-calamine reading the same file in the same run.

The budget (issue: roster import): importing a 50,000-row .xlsx takes at most 2× the time python-calamine alone
takes to read it. Printed, best of ``--repeats`` runs each, in CPU seconds (steadier than wall time on a shared
machine) and wall seconds:

* calamine — ``CalamineWorkbook.from_path(f).get_sheet_by_index(0).to_python()``: the baseline;
* openpyxl read-only — the same file through ``openpyxl.load_workbook(read_only=True)``, for comparison;
* read — ``sheets.reader.read_table`` (calamine plus header detection);
* plan — ``services.roster_import.plan_import`` (read, convert, look up existing persons, the people checks), with
  its parts: converting the rows, and ``people.check_person_inputs`` on them;
* execute — ``execute_import`` (``people.add_persons``: persons, households, groups, categories, audit and outbox;
  then the 参保登记 the roster's 缴费档次 asks for, ``registration.register_imported``), with its part
  ``execute, registrations off`` (``enter_registrations=False``, on a fresh copy) for what the registrations cost;
* re-import — planning the same file again once it is in (every row unchanged: no people checks).

The roster is generated here: households (head, spouse, children) of valid IDs in 12 villager groups, written with
openpyxl under title rows like a county roster. The database is a fresh demo village of 2,000 persons per run.

Run: ``/work/venv/bin/python bench/bench_roster_import.py [--rows 50000] [--repeats 3] [--openpyxl]``
(exit status 1 when plan + execute is over budget).
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from openpyxl import Workbook
from python_calamine import CalamineWorkbook

from pensiondesk.domain.idnumber import check_character
from pensiondesk.services import people
from pensiondesk.services import roster_import as ri
from pensiondesk.services.demo import create_demo_village
from pensiondesk.services.recording import Actor
from pensiondesk.sheets.columns import propose_mapping
from pensiondesk.sheets.reader import read_table
from pensiondesk.store.db import open_database
from pensiondesk.store.models import Setting

RATIO_BUDGET = 2.0
DAY = date(2026, 11, 22)


def write_roster(path: Path, persons: int, *, seed: int = 1) -> Path:
    """A clean roster of ``persons`` rows in households, every ID valid, under a title and a unit line."""
    rng = random.Random(seed)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("花名册")
    ws.append(["红旗村2026年城乡居民养老保险参保花名册"])
    ws.append(["填报单位：红旗村"])
    ws.append(["序号", "姓名", "性别", "民族", "出生日期", "公民身份号码", "户籍所在地", "居住地址", "联系电话",
               "村民小组", "户主姓名", "与户主关系", "参保身份", "缴费档次", "备注"])  # fmt: skip
    surnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹"
    given = "伟强磊军芳娜敏静丽艳娟霞秀玲桂英兰凤梅琴红燕萍雪琳"
    used: set[str] = set()

    def person(low: int, high: int, male: bool) -> tuple[date, str]:
        while True:
            birth = date(DAY.year - rng.randint(low, high), 1, 1) + timedelta(days=rng.randrange(365))
            sequence = rng.randrange(500) * 2 + (1 if male else 0)
            first17 = f"4110{rng.randint(10, 99)}{birth:%Y%m%d}{sequence:03d}"
            number = first17 + check_character(first17)
            if number not in used and birth < DAY:
                used.add(number)
                return birth, number

    made = household = 0
    while made < persons:
        household += 1
        group = f"第{rng.randint(1, 12)}村民小组"
        surname = rng.choice(surnames)
        head = surname + rng.choice(given) + rng.choice(given)
        members = [("户主", head, True, 25, 90)]
        if rng.random() < 0.8:
            members.append(("配偶", rng.choice(surnames) + rng.choice(given) + rng.choice(given), False, 25, 90))
        for _ in range(rng.choice((0, 1, 2, 3))):
            male = rng.random() < 0.5
            members.append(("子" if male else "女", surname + rng.choice(given) + rng.choice(given), male, 1, 24))
        for relation, name, male, low, high in members:
            if made >= persons:
                break
            birth, number = person(low, high, male)
            made += 1
            address = f"红旗村{household}号"
            ws.append([made, name, "男" if male else "女", "汉族", birth, number, address, address,
                       f"1380000{rng.randrange(10000):04d}", group, head, relation,
                       rng.choice(("011", "011", "011", "061")), rng.choice((200, 300, 500)), None])  # fmt: skip
    wb.save(path)
    return path


class Timer:
    """Best-of-N CPU and wall seconds per label."""

    def __init__(self) -> None:
        self.cpu: dict[str, float] = {}
        self.wall: dict[str, float] = {}

    def __call__(self, label: str, action: Callable[[], object]) -> object:
        cpu, wall = time.process_time(), time.perf_counter()
        result = action()
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        self.cpu[label] = min(cpu, self.cpu.get(label, cpu))
        self.wall[label] = min(wall, self.wall.get(label, wall))
        return result


def _one_run(timer: Timer, roster: Path, template: Path, path: Path, village_id: str) -> None:
    """One round of every measurement, each on a fresh copy of the village database."""
    timer("calamine", lambda: CalamineWorkbook.from_path(str(roster)).get_sheet_by_index(0).to_python())
    timer("read", lambda: read_table(roster))
    shutil.copy(template, path)
    db = open_database(path)
    with db.session(immediate=True) as session:
        plan = timer("plan", lambda: ri.plan_import(session, roster, village_id=village_id, today=DAY))
        assert isinstance(plan, ri.ImportPlan)
        timer("execute", lambda: ri.execute_import(session, Actor("bench"), plan))
    with db.session() as session:
        timer("re-import", lambda: ri.plan_import(session, roster, village_id=village_id, today=DAY))
        table = read_table(roster)
        reader = ri._RowReader(propose_mapping(table.headers), ri._policy_categories(session, DAY), DAY)
        inputs = timer("  convert rows", lambda: [reader.read(reader.values(r))[0] for r in table.rows])
    db.close()
    shutil.copy(template, path)
    db = open_database(path)
    with db.session(immediate=True) as session:
        plan = ri.plan_import(session, roster, village_id=village_id, today=DAY)
        timer(
            "  execute, registrations off",
            lambda: ri.execute_import(session, Actor("bench"), plan, enter_registrations=False),
        )
    db.close()
    assert isinstance(inputs, list)
    shutil.copy(template, path)
    db = open_database(path)
    with db.session() as session:
        timer(
            "  people.check_person_inputs",
            lambda: people.check_person_inputs(session, inputs, village_id=village_id, today=DAY),
        )
    db.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--openpyxl", action="store_true", help="also time openpyxl read-only (slow)")
    args = parser.parse_args(argv)
    timer = Timer()
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        roster = write_roster(work / "roster.xlsx", args.rows)
        template = work / "template.sqlite"
        db = open_database(template)
        with db.session() as session:
            create_demo_village(session, persons=2000, seed=1, as_of=DAY)
            village_id = session.get(Setting, "village_id").value  # type: ignore[union-attr]
        db.close()

        for _ in range(args.repeats):
            _one_run(timer, roster, template, work / "village.sqlite", village_id)
        if args.openpyxl:
            import openpyxl

            timer(
                "openpyxl read-only",
                lambda: list(openpyxl.load_workbook(roster, read_only=True).worksheets[0].iter_rows(values_only=True)),
            )

    base_cpu, base_wall = timer.cpu["calamine"], timer.wall["calamine"]
    print(f"{args.rows} rows, best of {args.repeats}            CPU s   ×calamine   wall s   ×calamine")
    for label in timer.cpu:
        print(
            f"{label:32s} {timer.cpu[label]:7.2f}   {timer.cpu[label] / base_cpu:7.2f}   "
            f"{timer.wall[label]:7.2f}   {timer.wall[label] / base_wall:7.2f}"
        )
    total = timer.cpu["plan"] + timer.cpu["execute"]
    ratio = total / base_cpu
    print(f"import (plan + execute): {total:.2f} CPU s = {ratio:.2f}× calamine   budget {RATIO_BUDGET}×")
    print("OK" if ratio <= RATIO_BUDGET else "OVER BUDGET")
    return 0 if ratio <= RATIO_BUDGET else 1


if __name__ == "__main__":
    sys.exit(main())
