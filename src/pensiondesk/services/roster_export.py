"""Exporting the village's rosters and lists (导出花名册、资格名单) as .xlsx for the township and the county.

Read-only: nothing is written to the database. :func:`export_roster` writes the registration roster (参保花名册) of
every resident in the column layout of domain.md §16; :func:`export_eligibility_list` writes one of the
eligibility lists of :mod:`pensiondesk.services.eligibility` (应参保缴费人员, 达到领取年龄人员, 即将年满60周岁人员,
不符合参保条件人员). Both stream rows into :mod:`pensiondesk.sheets.export`, so 100,000 residents need little memory.
An exported roster imports back unchanged (every row "未变").
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import case, or_, select
from sqlalchemy.orm import Session, aliased

from pensiondesk.domain.codes import PersonStatus, Relation, TerminationReason
from pensiondesk.domain.eligibility import EligibilityKind
from pensiondesk.services.people_types import ServiceError
from pensiondesk.sheets.export import ColumnKind, ListColumn, RosterLine, write_list, write_roster
from pensiondesk.store.models import Household, Person, PersonCategory, Registration, Village, VillagerGroup

__all__ = [
    "LIST_KINDS",
    "ExportResult",
    "export_eligibility_list",
    "export_list",
    "export_roster",
    "roster_lines",
]

#: The lists ``pensiondesk export roster --list`` offers: ``all`` is the registration roster of every resident.
LIST_KINDS: dict[str, EligibilityKind | None] = {
    "all": None,
    "contributors": EligibilityKind.CONTRIBUTOR,
    "pension": EligibilityKind.PENSION_AGE,
    "reaching60": EligibilityKind.REACHING_60,
    "ineligible": EligibilityKind.INELIGIBLE,
}

_RELATION_ORDER = {relation: index for index, relation in enumerate(Relation)}


@dataclass(frozen=True)
class ExportResult:
    """What was exported: the file, the number of persons and the list's title."""

    path: Path
    count: int
    title: str


def _village_name(session: Session, village_id: str) -> str:
    name = session.scalar(select(Village.name).where(Village.id == village_id))
    if name is None:
        raise ServiceError("找不到本村的信息；请先在设置中选择本村，或同步县里下发的村信息")
    return name


def _category_labels(session: Session, village_id: str, today: date) -> tuple[dict[str, str], str | None]:
    """person id → 参保身份 in force today as ``061 低保对象（061）``, several joined by 、; and the label of 普通.

    普通 is what a person holding no other category is (``PolicyPack.ordinary_code``): persons not in the mapping
    are 普通, and a 普通 stored by an older import beside another category is not shown.
    """
    from pensiondesk.services.people import policy_pack_in_force

    pack = policy_pack_in_force(session, today)
    names = {c.code: c.name for c in pack.identity_categories}
    ordinary = pack.ordinary_code
    found: dict[str, list[str]] = defaultdict(list)
    query = (
        select(PersonCategory.person_id, PersonCategory.category_code)
        .join(Person, Person.id == PersonCategory.person_id)
        .where(
            Person.village_id == village_id,
            or_(PersonCategory.valid_to.is_(None), PersonCategory.valid_to >= today),
            or_(PersonCategory.valid_from.is_(None), PersonCategory.valid_from <= today),
        )
        .order_by(PersonCategory.person_id, PersonCategory.category_code)
    )
    for person_id, code in session.execute(query):
        if code == ordinary:
            continue
        label = f"{code} {names[code]}" if code in names else code
        if label not in found[person_id]:
            found[person_id].append(label)
    ordinary_label = f"{ordinary} {names[ordinary]}" if ordinary is not None else None
    return {person_id: "、".join(labels) for person_id, labels in found.items()}, ordinary_label


def _tiers(session: Session, village_id: str) -> dict[str, int]:
    """person id → 缴费档次 (whole yuan) of the person's latest registration (参保登记)."""
    query = (
        select(Registration.person_id, Registration.tier_fen)
        .join(Person, Person.id == Registration.person_id)
        .where(Person.village_id == village_id, Registration.tier_fen.is_not(None))
        .order_by(Registration.registered_on, Registration.created_at)
    )
    return {person_id: tier_fen // 100 for person_id, tier_fen in session.execute(query) if tier_fen is not None}


def _status_note(status: PersonStatus, reason: str | None) -> str | None:
    if status is PersonStatus.TERMINATED:
        try:
            label = TerminationReason(reason).label if reason else ""
        except ValueError:
            label = ""
        return f"已终止参保（{label}）" if label else "已终止参保"
    if status is PersonStatus.SUSPENDED:
        return "暂停发放"
    return None


def roster_lines(session: Session, village_id: str, *, today: date | None = None) -> Iterator[RosterLine]:
    """Every resident of the village as a roster line, by villager group, household (head first) and age."""
    day = today or date.today()
    categories, ordinary = _category_labels(session, village_id, day)
    tiers = _tiers(session, village_id)
    head = aliased(Person)
    relation_order = case(
        {relation: index for relation, index in _RELATION_ORDER.items()}, value=Person.relation, else_=len(Relation)
    )
    query = (
        select(
            Person.id,
            Person.name,
            Person.sex,
            Person.ethnicity,
            Person.birth_date,
            Person.id_number,
            Person.hukou_address,
            Person.residence_address,
            Person.phone,
            VillagerGroup.name,
            head.name,
            Person.relation,
            Person.notes,
            Person.status,
            Person.status_reason,
        )
        .outerjoin(VillagerGroup, VillagerGroup.id == Person.group_id)
        .outerjoin(Household, Household.id == Person.household_id)
        .outerjoin(head, head.id == Household.head_person_id)
        .where(Person.village_id == village_id)
        .order_by(
            VillagerGroup.sort_order,
            VillagerGroup.name,
            Household.number,
            Household.id,
            relation_order,
            Person.birth_date,
            Person.id_number,
        )
    )
    for (
        person_id,
        name,
        sex,
        ethnicity,
        birth_date,
        id_number,
        hukou,
        residence,
        phone,
        group_name,
        head_name,
        relation,
        notes,
        status,
        status_reason,
    ) in session.execute(query):
        note = _status_note(status, status_reason)
        yield RosterLine(
            name=name,
            sex=sex.label,
            ethnicity=ethnicity,
            birth_date=birth_date,
            id_number=id_number,
            hukou_address=hukou,
            residence_address=residence,
            phone=phone,
            group_name=group_name,
            household_head_name=head_name,
            relation=relation.label if relation is not None else None,
            category=categories.get(person_id, ordinary),
            tier=tiers.get(person_id),
            notes="；".join(part for part in (note, notes) if part) or None,
        )


def export_roster(
    session: Session,
    out_path: Path | str,
    *,
    village_id: str,
    year: int | None = None,
    today: date | None = None,
    progress: Callable[[int], None] | None = None,
) -> ExportResult:
    """Write the registration roster (参保花名册) of every resident of the village to ``out_path`` (.xlsx)."""
    day = today or date.today()
    year = year or day.year
    village = _village_name(session, village_id)
    path = Path(out_path)
    count = write_roster(
        path,
        roster_lines(session, village_id, today=day),
        village_name=village,
        year=year,
        made_on=day,
        progress=progress,
    )
    return ExportResult(path, count, f"{village}{year}年城乡居民养老保险参保花名册")


_LIST_COLUMNS: tuple[ListColumn, ...] = (
    ListColumn("序号", 6, ColumnKind.NUMBER),
    ListColumn("村民小组", 14),
    ListColumn("姓名", 10),
    ListColumn("性别", 6),
    ListColumn("出生日期", 12, ColumnKind.DATE),
    ListColumn("公民身份号码", 21, ColumnKind.TEXT),
    ListColumn("年龄", 6, ColumnKind.NUMBER),
    ListColumn("参保状态", 10),
    ListColumn("年满60周岁日期", 14, ColumnKind.DATE),
    ListColumn("备注", 30),
)


def export_eligibility_list(
    session: Session,
    out_path: Path | str,
    *,
    village_id: str,
    kind: EligibilityKind,
    year: int | None = None,
    today: date | None = None,
    progress: Callable[[int], None] | None = None,
) -> ExportResult:
    """Write one eligibility list (参保资格名单) of the village for ``year`` to ``out_path`` (.xlsx).

    Ages are counted at the policy pack's cut-off date of the year. The 即将年满60周岁 list looks ahead the pack's
    ``reaching_60_lead_months`` from ``today``.
    """
    from pensiondesk.services.eligibility import eligibility_lists
    from pensiondesk.services.people import policy_pack_in_force

    day = today or date.today()
    year = year or day.year
    village = _village_name(session, village_id)
    pack = policy_pack_in_force(session, date(year, 12, 31))
    reaching = pack.reaching_60_lead_months if kind is EligibilityKind.REACHING_60 else None
    lists = eligibility_lists(
        session, village_id, year, reaching_within_months=reaching, list_date=day if reaching else None, pack=pack
    )
    cutoff = pack.cutoff_date(year)
    title = f"{village}{year}年{kind.label}名单"
    rows = (
        (
            seq,
            row.group_name,
            row.name,
            row.sex.label,
            row.birth_date,
            row.id_number,
            row.age_at_cutoff,
            row.status.label,
            row.pension_age_on,
            "；".join(row.reasons),
        )
        for seq, row in enumerate(lists[kind], start=1)
    )
    path = Path(out_path)
    count = write_list(
        path,
        title=title,
        subtitle=f"填报单位：{village}　　　年龄计算截止日：{cutoff.isoformat()}　　　制表日期：{day.isoformat()}",
        columns=_LIST_COLUMNS,
        rows=rows,
        sheet_name=kind.label[:31],
        progress=progress,
    )
    return ExportResult(path, count, title)


def export_list(
    session: Session,
    out_path: Path | str,
    *,
    village_id: str,
    list_kind: str = "all",
    year: int | None = None,
    today: date | None = None,
    progress: Callable[[int], None] | None = None,
) -> ExportResult:
    """Export the list named in :data:`LIST_KINDS`: all, contributors, pension, reaching60 or ineligible."""
    if list_kind not in LIST_KINDS:
        raise ServiceError(f"没有名为“{list_kind}”的名单；可选：{'、'.join(LIST_KINDS)}")
    kind = LIST_KINDS[list_kind]
    if kind is None:
        return export_roster(session, out_path, village_id=village_id, year=year, today=today, progress=progress)
    return export_eligibility_list(
        session, out_path, village_id=village_id, kind=kind, year=year, today=today, progress=progress
    )
