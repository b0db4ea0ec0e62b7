"""Fixtures for the GUI tests (界面测试): an offscreen Qt, and a real village database on disk.

``QT_QPA_PLATFORM`` must be set before anything imports Qt, which is why it is the first thing this file does.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, event, insert, update
from sqlalchemy.orm import Session, sessionmaker

from pensiondesk.domain.codes import PersonStatus, Relation, Sex
from pensiondesk.store.models import (
    Base,
    County,
    Household,
    Person,
    Setting,
    Township,
    Village,
    VillagerGroup,
)

SessionFactory = Callable[[], AbstractContextManager[Session]]

VILLAGE_NAME = "红旗村"
TOWNSHIP_NAME = "城关镇"

# Characters with their pinyin initials, so the fixture can fill name_initials without guessing polyphones.
SURNAMES = {"张": "z", "王": "w", "李": "l", "刘": "l", "陈": "c", "杨": "y", "赵": "z", "黄": "h"}
GIVEN = {
    "三": "s",
    "丰": "f",
    "建": "j",
    "国": "g",
    "秀": "x",
    "英": "y",
    "明": "m",
    "华": "h",
    "芳": "f",
    "军": "j",
}

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def id_check_char(first17: str) -> str:
    """The GB 11643 check character of the first 17 digits."""
    total = sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def make_id_number(birth: date, seq: int, sex: Sex) -> str:
    """A valid 公民身份号码 (region 410522); unique per (birth, seq) while seq < 500. Odd order code: male."""
    order = seq * 2 + (1 if sex is Sex.MALE else 0)
    first17 = f"410522{birth:%Y%m%d}{order:03d}"
    return first17 + id_check_char(first17)


@dataclass
class VillageDb:
    """A village database on disk and how to talk to it."""

    path: Path
    engine: Engine
    session_factory: SessionFactory
    village_id: str
    group_ids: list[str]  # in sort order: 一组, 二组

    def add_persons(self, count: int, *, start: int = 0) -> None:
        """Add ``count`` persons in households of three (head, spouse, son), alternating the two groups."""
        persons: list[dict[str, Any]] = []
        households: list[dict[str, Any]] = []
        heads: list[dict[str, Any]] = []
        surnames, given = list(SURNAMES), list(GIVEN)
        statuses = list(PersonStatus)
        relations = (Relation.HEAD, Relation.SPOUSE, Relation.SON)
        for n in range(start, start + count):
            household_no, member = divmod(n, 3)
            if member == 0:
                household_id = f"hh-{household_no:06d}"
                households.append(
                    {
                        "id": household_id,
                        "village_id": self.village_id,
                        "group_id": self.group_ids[household_no % 2],
                        "number": f"{household_no:06d}",
                    }
                )
            surname = surnames[n % len(surnames)]
            first = given[(n // len(surnames)) % len(given)]
            second = given[(n // (len(surnames) * len(given))) % len(given)]
            name = surname + first + second
            sex = Sex.FEMALE if member == 1 else Sex.MALE
            # 37 is prime to 25,000, so (birth, n // 25,000) is distinct for every n: the IDs are unique.
            birth = date(1940, 1, 1) + timedelta(days=(n * 37) % 25000)
            person_id = f"p-{n:06d}"
            persons.append(
                {
                    "id": person_id,
                    "village_id": self.village_id,
                    "group_id": self.group_ids[household_no % 2],
                    "household_id": f"hh-{household_no:06d}",
                    "relation": relations[member],
                    "name": name,
                    "name_initials": SURNAMES[surname] + GIVEN[first] + GIVEN[second],
                    "id_number": (idn := make_id_number(birth, n // 25000, sex)),
                    "id_number_rev": idn[::-1],
                    "sex": sex,
                    "birth_date": birth,
                    "status": statuses[n % len(statuses)],
                    "phone": f"139{n:08d}" if n % 4 else None,
                }
            )
            if member == 0:
                heads.append({"hid": f"hh-{household_no:06d}", "pid": person_id})
        with self.session_factory() as session:
            if households:
                session.execute(insert(Household), households)
            session.execute(insert(Person), persons)
            for head in heads:
                session.execute(update(Household).where(Household.id == head["hid"]).values(head_person_id=head["pid"]))


def _sqlite_pragmas(dbapi_connection: sqlite3.Connection, _record: object) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def make_village_db(path: Path) -> VillageDb:
    """A fresh database file with one village (红旗村, 城关镇) and two villager groups, and no persons yet."""
    engine = create_engine(f"sqlite:///{path}")
    event.listen(engine, "connect", _sqlite_pragmas)
    Base.metadata.create_all(engine)
    maker = sessionmaker(engine, expire_on_commit=False)

    @contextmanager
    def session_factory() -> Iterator[Session]:
        with maker.begin() as session:
            yield session

    with session_factory() as session:
        county = County(code="410522", name="安阳县")
        session.add(county)
        session.flush()
        township = Township(code="410522100", name=TOWNSHIP_NAME, county_id=county.id)
        session.add(township)
        session.flush()
        village = Village(code="410522100201", name=VILLAGE_NAME, township_id=township.id)
        session.add(village)
        session.flush()
        groups = [
            VillagerGroup(village_id=village.id, name="二组", sort_order=2),
            VillagerGroup(village_id=village.id, name="一组", sort_order=1),
        ]
        session.add_all(groups)
        session.add(Setting(key="village_id", value=village.id))
        session.flush()
        village_id = village.id
        group_ids = [groups[1].id, groups[0].id]
    return VillageDb(path, engine, session_factory, village_id, group_ids)


@pytest.fixture
def village_db(tmp_path: Path) -> Iterator[VillageDb]:
    """A village database with a few hundred persons."""
    db = make_village_db(tmp_path / "village.db")
    db.add_persons(300)
    yield db
    db.engine.dispose()


@pytest.fixture
def large_village_db(tmp_path: Path) -> Iterator[VillageDb]:
    """A village database with 5,000 persons, for the lazy-loading tests."""
    db = make_village_db(tmp_path / "large.db")
    db.add_persons(5000)
    yield db
    db.engine.dispose()


@pytest.fixture(autouse=True)
def _garbage_collected_in_the_gui_thread(qapp: Any) -> Iterator[None]:
    """As the program does while its window is open (gui/collector.py): cycles are collected by a GUI-thread timer,
    not in worker threads, where freeing a Qt widget crashed the process. Automatic collection is back after each
    test, so the tests outside tests/gui run as they always did."""
    import gc

    from pensiondesk.gui.collector import pin_garbage_collection

    collector = pin_garbage_collection(qapp)
    yield
    collector.stop()
    gc.collect()  # in this (the GUI) thread, what the test left in cycles
