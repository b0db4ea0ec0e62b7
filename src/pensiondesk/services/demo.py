"""Demo village (演示数据): a realistic, deterministic village for trying the program, tests and benchmarks.

Households of one to seven people with heads, spouses, children and parents; every age from infants to the very
old; villager groups; statuses that follow from age (students, people with an employee pension, migrant workers,
pensioners, a few suspended and a few deceased); a few hardship identity categories. Every ID number is valid
(GB 11643 check character) and agrees with the person's birth date and sex. The same seed and reference date give
the same village, byte for byte.

Demo records are not captured work, so nothing is queued for sync.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from pensiondesk.domain.codes import PersonStatus, Relation, Sex, SuspensionReason, TerminationReason
from pensiondesk.domain.idnumber import check_character
from pensiondesk.domain.names import pinyin_initials
from pensiondesk.store.models import (
    County,
    Household,
    Person,
    PersonCategory,
    Setting,
    Township,
    Village,
    VillagerGroup,
    utcnow,
)

DEMO_AREA_CODE = "411099"  # fictitious county code; the program never rejects an unknown area code
DEMO_COUNTY = ("411099", "安和县")
DEMO_TOWNSHIP = ("411099101", "青山镇")
DEMO_VILLAGE = ("411099101201", "红旗村")

_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤单"
)
_GIVEN_MALE = "伟强磊军勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊帆建国志东海峰文龙永春庆福"
_GIVEN_FEMALE = "芳娜敏静丽艳娟霞秀玲桂英兰凤梅琴红燕萍雪琳丹玉珍翠莲淑惠慧婷颖"
_GROUP_NUMERALS = "一二三四五六七八九十"
_HARDSHIP = ("061", "021", "031", "051", "022", "062")


class DemoError(Exception):
    """A demo village cannot be written here; ``user_message`` says why in Chinese."""

    def __init__(self, user_message: str) -> None:
        super().__init__(user_message)
        self.user_message = user_message


@dataclass
class DemoSummary:
    """What was created."""

    persons: int
    households: int
    groups: int
    by_status: dict[str, int] = field(default_factory=dict)
    village_name: str = DEMO_VILLAGE[1]


class _Maker:
    """Draws people for one village from one seeded random stream."""

    def __init__(self, rng: random.Random, as_of: date) -> None:
        self.rng = rng
        self.as_of = as_of
        self.used_ids: set[str] = set()

    def uuid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def birth_date(self, age: int) -> date:
        """A birthday that makes the person exactly ``age`` on ``as_of``."""
        day = 28 if (self.as_of.month, self.as_of.day) == (2, 29) else self.as_of.day
        latest = date(self.as_of.year - age, self.as_of.month, day)
        return latest - timedelta(days=self.rng.randrange(0, 365))

    def id_number(self, birth: date, sex: Sex) -> str:
        while True:
            seq = self.rng.randrange(0, 500) * 2 + (1 if sex is Sex.MALE else 0)
            first17 = f"{DEMO_AREA_CODE}{birth:%Y%m%d}{seq:03d}"
            number = first17 + check_character(first17)
            if number not in self.used_ids:
                self.used_ids.add(number)
                return number

    def given_name(self, sex: Sex) -> str:
        pool = _GIVEN_MALE if sex is Sex.MALE else _GIVEN_FEMALE
        return "".join(self.rng.choice(pool) for _ in range(self.rng.choice((1, 2, 2, 2))))

    def phone(self) -> str:
        return "1" + self.rng.choice("3456789") + "".join(self.rng.choice("0123456789") for _ in range(9))


def _status(m: _Maker, age: int) -> tuple[PersonStatus, str | None, dict[str, bool]]:
    """Status, reason code and flags that fit a person of this age."""
    r = m.rng.random()
    flags = {"is_student": False, "has_employee_pension": False, "is_migrant_worker": False}
    if age < 16:
        return PersonStatus.NOT_ENROLLED, None, flags
    if age < 60:
        if age <= 22 and r < 0.5:
            flags["is_student"] = True
            return PersonStatus.NOT_ENROLLED, None, flags
        if r < 0.06:
            flags["has_employee_pension"] = True
            return PersonStatus.NOT_ENROLLED, None, flags
        if r < 0.10:
            return PersonStatus.NOT_ENROLLED, None, flags
        flags["is_migrant_worker"] = 18 <= age <= 50 and m.rng.random() < 0.15
        return PersonStatus.CONTRIBUTING, None, flags
    if r < 0.04:
        return PersonStatus.TERMINATED, TerminationReason.DEATH.value, flags
    if r < 0.07:
        return PersonStatus.SUSPENDED, SuspensionReason.NO_SURVIVAL_PROOF.value, flags
    if r < 0.10:
        flags["has_employee_pension"] = True
        return PersonStatus.NOT_ENROLLED, None, flags
    return PersonStatus.RECEIVING, None, flags


def _household_members(m: _Maker) -> Iterator[tuple[Relation, int, Sex]]:
    """Relations, ages and sexes of one household, head first."""
    rng = m.rng
    head_age = min(95, max(22, int(rng.triangular(22, 92, 48))))
    head_sex = Sex.MALE if rng.random() < 0.8 else Sex.FEMALE
    yield Relation.HEAD, head_age, head_sex
    if head_age >= 24 and rng.random() < 0.82:
        other = Sex.FEMALE if head_sex is Sex.MALE else Sex.MALE
        yield Relation.SPOUSE, max(20, min(98, head_age + rng.randint(-6, 4))), other
    if head_age >= 21:
        for _ in range(rng.choice((0, 1, 1, 2, 2, 3))):
            child_age = head_age - rng.randint(21, 36)
            if child_age >= 0:
                sex = rng.choice((Sex.MALE, Sex.FEMALE))
                yield (Relation.SON if sex is Sex.MALE else Relation.DAUGHTER), child_age, sex
    if head_age <= 62 and rng.random() < 0.22:
        yield Relation.PARENT, min(99, head_age + rng.randint(22, 32)), rng.choice((Sex.MALE, Sex.FEMALE))
    if head_age >= 50 and rng.random() < 0.2:
        yield Relation.GRANDCHILD, rng.randint(0, 12), rng.choice((Sex.MALE, Sex.FEMALE))


Row = dict[str, Any]


def _rows(m: _Maker, persons: int, village_id: str, group_ids: list[str]) -> Iterator[tuple[Row, list[Row], list[Row]]]:
    """Yield (household row, [person rows], [category rows]) until ``persons`` people are made."""
    made = 0
    number = 0
    now = utcnow()
    while made < persons:
        number += 1
        group_id = group_ids[min(len(group_ids) - 1, made * len(group_ids) // persons)]
        household_id = m.uuid()
        surname = m.rng.choice(_SURNAMES)
        household: Row = {
            "id": household_id,
            "village_id": village_id,
            "group_id": group_id,
            "number": f"{number:05d}",
            "address": f"{DEMO_VILLAGE[1]}{number}号",
            "head_person_id": None,
            "version": 1,
            "created_at": now,
            "updated_at": now,
            "created_by": "demo",
            "updated_by": "demo",
        }
        people: list[dict[str, Any]] = []
        categories: list[dict[str, Any]] = []
        for relation, age, sex in _household_members(m):
            if made >= persons:
                break
            own_surname = (
                surname
                if relation in (Relation.HEAD, Relation.SON, Relation.DAUGHTER, Relation.GRANDCHILD)
                else m.rng.choice(_SURNAMES)
            )
            name = own_surname + m.given_name(sex)
            birth = m.birth_date(age)
            id_number = m.id_number(birth, sex)
            status, reason, flags = _status(m, age)
            person_id = m.uuid()
            people.append(
                {
                    "id": person_id,
                    "village_id": village_id,
                    "group_id": group_id,
                    "household_id": household_id,
                    "relation": relation,
                    "name": name,
                    "name_initials": pinyin_initials(name),
                    "id_number": id_number,
                    "id_number_rev": id_number[::-1],
                    "sex": sex,
                    "birth_date": birth,
                    "ethnicity": "汉族" if m.rng.random() < 0.93 else m.rng.choice(("回族", "朝鲜族", "满族")),
                    "hukou_address": household["address"],
                    "residence_address": household["address"],
                    "phone": m.phone() if age >= 18 and m.rng.random() < 0.85 else None,
                    "status": status,
                    "status_reason": reason,
                    "status_since": None,
                    "local_hukou": True,
                    "is_public_staff": False,
                    "has_other_state_pension": False,
                    "bank_card": None,
                    "notes": None,
                    "version": 1,
                    "created_at": now,
                    "updated_at": now,
                    "created_by": "demo",
                    "updated_by": "demo",
                    **flags,
                }
            )
            if age >= 16 and m.rng.random() < 0.06:
                categories.append(
                    {
                        "id": m.uuid(),
                        "person_id": person_id,
                        "category_code": m.rng.choice(_HARDSHIP),
                        "proof_ref": f"证明-{m.rng.randrange(10000, 99999)}",
                        "valid_from": date(m.as_of.year - m.rng.randint(0, 5), 1, 1),
                        "valid_to": None,
                        "created_at": now,
                        "updated_at": now,
                        "created_by": "demo",
                        "updated_by": "demo",
                    }
                )
            made += 1
        household["head_person_id"] = people[0]["id"]
        yield household, people, categories


def create_demo_village(
    session: Session,
    *,
    persons: int = 2000,
    seed: int = 1,
    as_of: date | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> DemoSummary:
    """Fill an empty database with a demo village of ``persons`` residents.

    Refuses (``DemoError``) when the database already holds people, so a real village is never mixed with
    invented residents. Runs inside the caller's transaction; rows are bulk-inserted in chunks.
    """
    if persons < 1 or persons > 500_000:
        raise DemoError("人数应在 1 到 500000 之间")
    existing = session.scalar(select(func.count()).select_from(Person)) or 0
    if existing:
        raise DemoError(f"这个数据库里已有 {existing} 人，演示数据不能写入已有数据的数据库；请用 --db 指定一个新文件")
    rng = random.Random(seed)
    maker = _Maker(rng, as_of or date.today())

    county = County(id=maker.uuid(), code=DEMO_COUNTY[0], name=DEMO_COUNTY[1])
    township = Township(id=maker.uuid(), county_id=county.id, code=DEMO_TOWNSHIP[0], name=DEMO_TOWNSHIP[1])
    village = Village(id=maker.uuid(), township_id=township.id, code=DEMO_VILLAGE[0], name=DEMO_VILLAGE[1])
    n_groups = max(3, min(12, persons // 250))
    groups = [
        VillagerGroup(
            id=maker.uuid(), village_id=village.id, name=f"第{_group_name(i)}村民小组", sort_order=i, created_by="demo"
        )
        for i in range(1, n_groups + 1)
    ]
    session.add_all([county, township, village, *groups])
    session.merge(Setting(key="village_id", value=village.id))
    session.flush()

    households: list[dict[str, Any]] = []
    people: list[dict[str, Any]] = []
    categories: list[dict[str, Any]] = []
    summary = DemoSummary(persons=0, households=0, groups=n_groups)

    def flush() -> None:
        if households:
            # Heads are set after their people exist (household ↔ person reference each other).
            heads = {h["id"]: h.pop("head_person_id") for h in households}
            session.execute(insert(Household), households)
            session.execute(insert(Person), people)
            if categories:
                session.execute(insert(PersonCategory), categories)
            session.execute(update(Household), [{"id": h, "head_person_id": p} for h, p in heads.items()])
        households.clear()
        people.clear()
        categories.clear()

    for household, members, cats in _rows(maker, persons, village.id, [g.id for g in groups]):
        households.append(household)
        people.extend(members)
        categories.extend(cats)
        summary.households += 1
        summary.persons += len(members)
        for p in members:
            summary.by_status[p["status"].value] = summary.by_status.get(p["status"].value, 0) + 1
        if len(people) >= 5000:
            flush()
            if progress:
                progress(summary.persons, persons)
    flush()
    if progress:
        progress(summary.persons, persons)
    return summary


def _group_name(i: int) -> str:
    if i <= 10:
        return _GROUP_NUMERALS[i - 1]
    return "十" + _GROUP_NUMERALS[i - 11]
