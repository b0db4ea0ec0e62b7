"""Person roster queries (人员花名册查询) behind the 人员/登记 list.

Read-only: nothing here writes, so there is no audit entry and no outbox row. The list is built in two steps,
as Anki's browser does: :func:`list_person_ids` returns only the ordered ids that match a filter (cheap even
for 100,000 persons), and :func:`fetch_person_rows` turns a few hundred ids at a time into display rows while
the coordinator scrolls.

One search box serves three kinds of input, recognised by their characters:

* Chinese characters — a prefix of the name (姓名), e.g. ``张三``;
* Latin letters — a prefix of the pinyin initials (拼音首字母), e.g. ``zsf`` for 张三丰;
* digits (with a final ``X``) — a complete 公民身份号码, or its last digits
  (``1768`` finds every ID ending in 1768).

Each is a range on an indexed column, so the search never scans the table.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, SQLColumnExpression, and_, bindparam, case, exists, func, or_, select
from sqlalchemy.orm import Session, aliased

from pensiondesk.domain.codes import PersonStatus, Relation, Sex
from pensiondesk.store.models import (
    Household,
    MigrantDocument,
    Person,
    PersonCategory,
    RelationCheck,
    Setting,
    Township,
    Village,
    VillagerGroup,
)

__all__ = [
    "FETCH_CHUNK",
    "PENSION_AGE",
    "PersonFilter",
    "PersonRow",
    "count_persons",
    "fetch_person_rows",
    "list_person_ids",
    "village_summary",
]

#: Most ids bound into one ``IN (…)``: well under SQLite's parameter limit, and one B-tree probe each.
FETCH_CHUNK = 500

#: Length of a full 公民身份号码 (GB 11643).
_ID_NUMBER_LENGTH = 18

_ID_DIGITS = re.compile(r"^[0-9]+[Xx]?$")
_LATIN = re.compile(r"^[A-Za-z]+$")


@dataclass(frozen=True, slots=True)
class PersonFilter:
    """What the coordinator asked the person list to show.

    ``text`` is the search box as typed (see the module docstring for how it is read); ``group_id`` limits the
    list to one 村民小组 and ``status`` to one 参保状态. ``None`` means "any".

    ``category_code`` keeps persons holding that 参保身份 on ``today``; ``reaching_60_months`` keeps persons who
    are not yet 60 (the pension age) on ``today`` and reach it within that many months (即将到龄);
    ``missing_documents_year`` keeps migrant workers who still owe a document (委托书, 承诺书 …) for that year
    and persons holding a hardship category (低保, 特困 …) without its 证明材料编号 (材料未交齐);
    ``relation_to_check`` keeps persons whose 与户主关系 is still to be checked after a change of household head
    (关系待核对). ``today`` defaults to the day the query runs.
    """

    text: str = ""
    group_id: str | None = None
    status: PersonStatus | None = None
    category_code: str | None = None
    reaching_60_months: int | None = None
    missing_documents_year: int | None = None
    relation_to_check: bool = False
    today: date | None = None


@dataclass(frozen=True, slots=True)
class PersonRow:
    """One person as the list shows it: display strings, ready to paint."""

    id: str
    name: str
    sex: str  # 性别 label, 男/女
    birth_date: str  # 出生日期, YYYY-MM-DD
    id_number: str  # 公民身份号码
    group_name: str  # 村民小组, "" when not assigned
    relation: str  # 与户主关系 label, "" when unknown
    household_head: str  # 户主姓名, "" when not in a household
    status: str  # 参保状态 label
    phone: str  # 联系电话, "" when none
    is_terminated: bool  # 已终止: the list greys these out
    relation_to_check: bool = False  # 与户主关系待核对 after a change of head: the list marks the relation


def _prefix_range(column: SQLColumnExpression[str], prefix: str) -> ColumnElement[bool]:
    """``column`` starts with ``prefix``, written as a range so SQLite walks the column's index.

    ``LIKE 'x%'`` only uses an index when the column's collation matches LIKE's case rule (``NOCASE``, or
    ``PRAGMA case_sensitive_like``); the models use the default BINARY collation, where a range is the
    index-friendly prefix test. U+10FFFF sorts after any character that can follow the prefix.
    """
    return and_(column >= prefix, column < prefix + "\U0010ffff")


def _text_condition(text: str) -> ColumnElement[bool] | None:
    """The WHERE clause for the search box, or ``None`` when it is empty."""
    text = "".join(text.split())  # spaces typed inside an ID or between initials mean nothing
    if not text:
        return None
    if _ID_DIGITS.match(text):
        id_text = text.upper()
        if len(id_text) == _ID_NUMBER_LENGTH:
            return Person.id_number == id_text
        # "Ends with": the reversed ID is stored beside the ID, so a suffix is an indexed prefix.
        return _prefix_range(Person.id_number_rev, id_text[::-1])
    if _LATIN.match(text):
        # Initials are stored lower-case; a name written in Latin letters (rare, but it happens) matches too.
        return or_(_prefix_range(Person.name_initials, text.lower()), _prefix_range(Person.name, text))
    return _prefix_range(Person.name, text)


#: The age at which the pension starts, for the 即将到龄 filter (domain.md §3; the policy pack may say otherwise).
PENSION_AGE = 60


def _add_months(day: date, months: int) -> date:
    """``day`` moved ``months`` months on; the 31st becomes the last day of a shorter month."""
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year - years, day=28)


def _extra_conditions(
    flt: PersonFilter, ordinary_code: str | None = None, hardship_codes: Sequence[str] = ()
) -> list[ColumnElement[bool]]:
    """WHERE clauses of the person-page filters beyond search, group and status.

    ``ordinary_code`` is the pack's 普通 (``PolicyPack.ordinary_code``): asked for, it keeps persons holding no other
    category today, as 普通 is never stored (an older import's stored 普通 counts the same). ``hardship_codes``
    are the pack's hardship groups: one held today without its 证明材料编号 (imported from a roster) is a missing
    document too (材料未交齐).
    """
    today = flt.today or date.today()
    conditions: list[ColumnElement[bool]] = []
    if flt.category_code:
        in_force = (
            PersonCategory.person_id == Person.id,
            or_(PersonCategory.valid_from.is_(None), PersonCategory.valid_from <= today),
            or_(PersonCategory.valid_to.is_(None), PersonCategory.valid_to >= today),
        )
        if flt.category_code == ordinary_code:
            conditions.append(~exists().where(*in_force, PersonCategory.category_code != ordinary_code))
        else:
            conditions.append(exists().where(*in_force, PersonCategory.category_code == flt.category_code))
    if flt.reaching_60_months is not None:
        # Turns 60 after today and on or before today + N months: born in (today − 60 y, that day − 60 y].
        horizon = _add_months(today, flt.reaching_60_months)
        conditions.append(
            and_(
                Person.birth_date > _years_before(today, PENSION_AGE),
                Person.birth_date <= _years_before(horizon, PENSION_AGE),
                Person.status != PersonStatus.TERMINATED,
            )
        )
    if flt.missing_documents_year is not None:
        conditions.append(
            or_(
                exists().where(
                    MigrantDocument.person_id == Person.id,
                    MigrantDocument.year == flt.missing_documents_year,
                    MigrantDocument.received_on.is_(None),
                ),
                exists().where(
                    PersonCategory.person_id == Person.id,
                    PersonCategory.category_code.in_(hardship_codes),
                    or_(PersonCategory.proof_ref.is_(None), PersonCategory.proof_ref == ""),
                    or_(PersonCategory.valid_from.is_(None), PersonCategory.valid_from <= today),
                    or_(PersonCategory.valid_to.is_(None), PersonCategory.valid_to >= today),
                ),
            )
        )
    if flt.relation_to_check:
        # The marks are few (one per member left to check): SQLite reads them and probes person by its key.
        conditions.append(Person.id.in_(select(RelationCheck.person_id)))
    return conditions


def list_person_ids(session: Session, flt: PersonFilter | None = None, *, limit: int | None = None) -> list[str]:
    """Ids of the persons matching ``flt``, in roster order (only the first ``limit`` when given).

    Roster order is the order of the paper 花名册: by 村民小组 (their sort order), then household (户号),
    the household head first and the members by name; persons without a group or household come last in
    their part.
    Only the id column is selected, so the result for 100,000 persons is a list of strings and nothing more.
    """
    flt = flt or PersonFilter()
    stmt = (
        select(Person.id)
        .outerjoin(VillagerGroup, VillagerGroup.id == Person.group_id)
        .outerjoin(Household, Household.id == Person.household_id)
    )
    condition = _text_condition(flt.text)
    if condition is not None:
        stmt = stmt.where(condition)
    if flt.group_id is not None:
        stmt = stmt.where(Person.group_id == flt.group_id)
    if flt.status is not None:
        stmt = stmt.where(Person.status == flt.status)
    ordinary, hardship = None, []
    if flt.category_code or flt.missing_documents_year is not None:
        from pensiondesk.services.people import policy_pack_in_force

        pack = policy_pack_in_force(session, flt.today or date.today())
        ordinary = pack.ordinary_code
        hardship = [c.code for c in pack.identity_categories if c.hardship]
    for extra in _extra_conditions(flt, ordinary, hardship):
        stmt = stmt.where(extra)
    stmt = stmt.order_by(
        VillagerGroup.id.is_(None),
        VillagerGroup.sort_order,
        VillagerGroup.name,
        Person.household_id.is_(None),
        Household.number,
        Person.household_id,
        case((Person.relation == Relation.HEAD, 0), else_=1),
        Person.name,
        Person.id_number,
        Person.id,  # a total order, so the first ``limit`` ids are always the start of the full list
    )
    if limit is not None:
        stmt = stmt.limit(limit)
    # Core execution: the ORM adds nothing to a list of strings but time (noticeable at 100,000 ids).
    return list(session.connection().execute(stmt).scalars())


def _chunks(ids: Sequence[str], size: int) -> Iterator[Sequence[str]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def _label(value: Sex | Relation | PersonStatus | None) -> str:
    return value.label if value is not None else ""


def _iso(day: date | None) -> str:
    return day.isoformat() if day is not None else ""


_HEAD = aliased(Person, name="head")
#: Built once: every fetch runs the same statement (SQLAlchemy's compiled cache does the rest).
_FETCH_ROWS = (
    select(
        Person.id,
        Person.name,
        Person.sex,
        Person.birth_date,
        Person.id_number,
        VillagerGroup.name,
        Person.relation,
        _HEAD.name,
        Person.status,
        Person.phone,
        RelationCheck.person_id,
    )
    .outerjoin(VillagerGroup, VillagerGroup.id == Person.group_id)
    .outerjoin(Household, Household.id == Person.household_id)
    .outerjoin(_HEAD, _HEAD.id == Household.head_person_id)
    .outerjoin(RelationCheck, RelationCheck.person_id == Person.id)
    .where(Person.id.in_(bindparam("ids", expanding=True)))
)


def fetch_person_rows(session: Session, ids: Sequence[str]) -> dict[str, PersonRow]:
    """Display rows for ``ids``, keyed by id; ids that no longer exist are simply absent.

    One query per :data:`FETCH_CHUNK` ids, joining the group name and the household head's name; run through
    the connection (Core), since ORM row handling adds nothing to these plain rows but time.
    """
    rows: dict[str, PersonRow] = {}
    connection = session.connection()
    for chunk in _chunks(list(dict.fromkeys(ids)), FETCH_CHUNK):
        for (
            pid,
            name,
            sex,
            birth,
            id_number,
            group_name,
            relation,
            head_name,
            status,
            phone,
            marked,
        ) in connection.execute(_FETCH_ROWS, {"ids": list(chunk)}):
            rows[pid] = PersonRow(
                id=pid,
                name=name,
                sex=_label(sex),
                birth_date=_iso(birth),
                id_number=id_number,
                group_name=group_name or "",
                relation=_label(relation),
                household_head=head_name or "",
                status=_label(status),
                phone=phone or "",
                is_terminated=status == PersonStatus.TERMINATED,
                relation_to_check=marked is not None,
            )
    return rows


def count_persons(session: Session) -> int:
    """How many persons the database holds (any status)."""
    return session.scalar(select(func.count()).select_from(Person)) or 0


def village_summary(session: Session) -> tuple[str, str] | None:
    """(村名, 乡镇名) of the village this database serves, or ``None`` before one is set up.

    The village is the one named by the ``village_id`` setting.
    """
    village_id = session.get(Setting, "village_id")
    if village_id is None or not village_id.value:
        return None
    found = session.execute(
        select(Village.name, Township.name)
        .join(Township, Township.id == Village.township_id)
        .where(Village.id == str(village_id.value))
    ).one_or_none()
    if found is None:
        return None
    return found[0], found[1]
