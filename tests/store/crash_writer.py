"""The child process of ``test_crash_safety.py``: writes through the real services until it is killed.

Run as ``python crash_writer.py DB REPORT SEED``, or as ``python crash_writer.py --serve`` (what the test does):
then it imports and warms up once and, for each ``DB REPORT SEED`` line on stdin, forks a fresh writer process,
prints ``PID <pid>``, and once that process is gone ``EXIT <pid> <status>`` (``-9`` after SIGKILL) — so each
trial costs a fork, not a second of imports. The writer never shares anything with the server but the imported
code: the server itself never opens a database. It opens the village database ``DB`` (a demo village made by
``services.database.create_demo_database``) and loops, one transaction per use case, the way the GUI does:

* ``person``: add a new resident (户主 of a new household) with ``services.people.add_person``;
* ``registration``: enter the resident's registration form (``services.registration.register``);
* ``contribution``: collect the year's contribution in cash with a receipt
  (``services.contributions.collect_contribution``).

Only after ``Database.session`` has committed does it append ``OK <kind> <id>`` to ``REPORT`` with one unbuffered
``write`` — that line is the "success was reported" the parent holds the database to. ``READY`` is written once
the database is open, so the parent's random kill can land among the writes; the parent also kills some writers
before that, while they open the file and replay the ``-wal`` the previous kill left.

Not collected by pytest (the name does not start with ``test_``).
"""

from __future__ import annotations

import os
import random
import sys
import traceback
from datetime import date
from pathlib import Path
from typing import NoReturn

from sqlalchemy import select

from pensiondesk.domain.codes import Relation
from pensiondesk.domain.idnumber import check_character
from pensiondesk.services.contributions import collect_contribution
from pensiondesk.services.database import DEMO_OPERATOR
from pensiondesk.services.people import add_person
from pensiondesk.services.people_types import PersonInput
from pensiondesk.services.recording import Actor
from pensiondesk.services.registration import register
from pensiondesk.store.db import open_database
from pensiondesk.store.models import Person, Setting

_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
_GIVEN = "伟强磊军勇杰涛明超刚芳娜敏静丽艳娟霞秀玲"

#: 200 元, a tier the national default pack offers everyone.
TIER_FEN = 20000


def _id_number(rng: random.Random, taken: set[str]) -> str:
    """A valid, unused 18-digit ID for a person born in the 1970s–80s (the demo's area code 411099)."""
    while True:
        born = date(rng.randint(1970, 1989), rng.randint(1, 12), rng.randint(1, 28))
        first17 = f"411099{born:%Y%m%d}{rng.randint(500, 999):03d}"
        number = first17 + check_character(first17)
        if number not in taken:
            taken.add(number)
            return number


def main(db_path: str, report_path: str, seed: int) -> None:
    rng = random.Random(seed)
    actor = Actor(DEMO_OPERATOR)
    today = date.today()
    report = os.open(report_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)

    def reported(line: str) -> None:
        os.write(report, (line + "\n").encode("ascii"))

    db = open_database(Path(db_path), create=False)
    with db.session() as session:
        village_id = session.scalar(select(Setting.value).where(Setting.key == "village_id"))
        taken = set(session.scalars(select(Person.id_number)))
    assert isinstance(village_id, str)
    reported("READY")
    n = 0
    while True:
        n += 1
        with db.session(immediate=True) as session:
            person = add_person(
                session,
                actor,
                PersonInput(
                    name=rng.choice(_SURNAMES) + "".join(rng.choices(_GIVEN, k=rng.randint(1, 2))),
                    id_number=_id_number(rng, taken),
                    relation=Relation.HEAD,
                    group_name=f"第{rng.randint(1, 9)}村民小组",
                    phone=f"139{rng.randint(0, 99_999_999):08d}",
                    notes="断电测试 " + "备注" * rng.randint(0, 200),
                ),
                village_id=village_id,
                today=today,
            )
        reported(f"OK person {person.id}")
        with db.session(immediate=True) as session:
            registration = register(session, actor, person.id, registered_on=today, tier_yuan="200", today=today)
        reported(f"OK registration {registration.id}")
        with db.session(immediate=True) as session:
            result = collect_contribution(
                session, actor, person_id=person.id, year=today.year, tier_fen=TIER_FEN, on=today
            )
        assert result.receipt is not None
        reported(f"OK contribution {result.contribution.id}")


def _warm_up() -> None:
    """Do the lazy loading (policy pack, pinyin tables) once in the server, before any fork."""
    from pensiondesk.domain.names import pinyin_initials
    from pensiondesk.resources import load_default_policy_pack

    load_default_policy_pack()
    pinyin_initials("王秀兰")


def _writer(db_path: str, report_path: str, seed: int) -> NoReturn:
    """The forked writer: stdout belongs to the server's protocol, so it gets /dev/null; tracebacks go to stderr."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 0)
    try:
        main(db_path, report_path, seed)
    except BaseException:
        traceback.print_exc()
        sys.stderr.flush()
        os._exit(1)
    os._exit(0)


def serve() -> None:
    _warm_up()
    out = sys.stdout
    out.write("SERVING\n")
    out.flush()
    for line in sys.stdin:
        db_path, report_path, seed = line.split()
        pid = os.fork()
        if pid == 0:
            _writer(db_path, report_path, int(seed))
        out.write(f"PID {pid}\n")
        out.flush()
        _, status = os.waitpid(pid, 0)
        code = -os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status)
        out.write(f"EXIT {pid} {code}\n")
        out.flush()


if __name__ == "__main__":
    if sys.argv[1:] == ["--serve"]:
        serve()
    else:
        main(sys.argv[1], sys.argv[2], int(sys.argv[3]))
