"""Shared look-ups of the pensioner use cases (待遇、认证、注销、公示、报表的公共查询).

The village this database works for (本村), the policy pack in force on a day (政策参数包), a person found by
公民身份号码, the villager groups in their order, the contribution years that count (有效缴费年度), and reading
a month (年月) as the coordinator types it. Read-only: nothing here writes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, Select, and_, func, select
from sqlalchemy.orm import Session, aliased

from pensiondesk.domain.idnumber import InvalidIdNumber, parse
from pensiondesk.domain.pension import YearMonth
from pensiondesk.domain.policy import PolicyPack
from pensiondesk.services.people import policy_pack_in_force
from pensiondesk.services.people_types import ServiceError
from pensiondesk.store.models import (
    Contribution,
    County,
    Person,
    Setting,
    Township,
    Village,
    VillagerGroup,
)

__all__ = [
    "VillageInfo",
    "counting_contribution",
    "find_person_by_id_number",
    "group_names",
    "parse_year_month",
    "policy_pack_for",
    "valid_contribution_years",
    "village_info",
    "years_paid",
]


@dataclass(frozen=True, slots=True)
class VillageInfo:
    """本村: the village this database works for, with its township and county names."""

    id: str
    name: str
    code: str
    township: str
    county: str


def village_info(session: Session) -> VillageInfo:
    """The village named by the ``village_id`` setting (or the only village); :class:`ServiceError` if none."""
    village_id = session.scalar(select(Setting.value).where(Setting.key == "village_id"))
    query = (
        select(Village.id, Village.name, Village.code, Township.name, County.name)
        .join(Township, Township.id == Village.township_id)
        .join(County, County.id == Township.county_id)
    )
    if isinstance(village_id, str):
        query = query.where(Village.id == village_id)
    row = session.execute(query.limit(1)).first()
    if row is None:
        raise ServiceError("数据库中还没有设置本村信息，请先在“设置”中填写村名和所属乡镇")
    return VillageInfo(*row)


def policy_pack_for(session: Session, on: date) -> PolicyPack:
    """The policy pack in force on ``on``: the people services' rule (:func:`policy_pack_in_force`), one for all."""
    return policy_pack_in_force(session, on)


def find_person_by_id_number(session: Session, raw: str) -> Person:
    """The person with this 公民身份号码 (15-digit numbers are converted); :class:`ServiceError` if none."""
    try:
        number = parse(raw).number
    except InvalidIdNumber as exc:
        raise ServiceError(f"身份证号“{raw.strip()}”无效：{exc.message}") from None
    person = session.scalar(select(Person).where(Person.id_number == number))
    if person is None:
        raise ServiceError(f"本村没有身份证号为 {number} 的人员")
    return person


def group_names(session: Session, village_id: str | None = None) -> dict[str, str]:
    """Villager group id → name, in the groups' sort order (dicts keep insertion order)."""
    query = select(VillagerGroup.id, VillagerGroup.name).order_by(VillagerGroup.sort_order, VillagerGroup.name)
    if village_id is not None:
        query = query.where(VillagerGroup.village_id == village_id)
    return {group_id: name for group_id, name in session.execute(query)}


def counting_contribution() -> ColumnElement[bool]:
    """The condition a contribution row counts under: not a reversal (冲正) and not reversed since.

    ``NOT IN`` over the (few) reversed ids: SQLite builds that list once, where a correlated ``NOT EXISTS``
    would scan the contributions once per row (there is no index on ``reverses_id``).
    """
    reversal = aliased(Contribution)
    reversed_ids = select(reversal.reverses_id).where(reversal.reverses_id.is_not(None))
    return and_(Contribution.reverses_id.is_(None), Contribution.id.not_in(reversed_ids))


def valid_contribution_years() -> Select[str, int]:
    """(person_id, year) of every contribution that counts (see :func:`counting_contribution`).

    A year with several counting rows appears once per row; callers count ``distinct`` years.
    """
    return select(Contribution.person_id, Contribution.year).where(counting_contribution())


def years_paid(session: Session, person_ids: list[str]) -> dict[str, int]:
    """Distinct counting contribution years per person (累计缴费年限), for the given persons."""
    if not person_ids:
        return {}
    counted = valid_contribution_years().subquery()
    result: dict[str, int] = {}
    for start in range(0, len(person_ids), 500):
        chunk = person_ids[start : start + 500]
        rows = session.execute(
            select(counted.c.person_id, func.count(func.distinct(counted.c.year)))
            .where(counted.c.person_id.in_(chunk))
            .group_by(counted.c.person_id)
        )
        result.update({person_id: int(count) for person_id, count in rows})
    return result


_YEAR_MONTH = re.compile(r"^\s*(\d{4})\s*(?:[-/.年]\s*(\d{1,2})\s*月?)?\s*$")


def parse_year_month(text: str) -> YearMonth:
    """A month as typed: ``2026-07``, ``2026/7``, ``2026.07``, ``2026年7月``; :class:`ServiceError` otherwise."""
    match = _YEAR_MONTH.match(text)
    if match is None or match.group(2) is None:
        raise ServiceError(f"“{text.strip()}”不是有效的年月：请写成 2026-07 或 2026年7月")
    year, month = int(match.group(1)), int(match.group(2))
    if not 1 <= month <= 12 or not 1900 <= year <= 2200:
        raise ServiceError(f"“{text.strip()}”不是有效的年月：月份应在 1 到 12 之间")
    return YearMonth(year, month)
