"""Read-only look-ups behind the person screens (人员信息查询): the form, the household view, the review page.

Nothing here writes, so there is no audit entry and no outbox row. Each function answers one question a screen
asks — which village this database serves, who holds an ID number, what a person's record says, who lives in a
household, which villager groups and identity categories there are — as plain frozen dataclasses, so the GUI
never sees a database object.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from pensiondesk.domain.codes import PersonStatus, Relation, ReviewState, Sex
from pensiondesk.domain.idnumber import InvalidIdNumber, normalize, parse
from pensiondesk.services.people import category_proof_owed, policy_pack_in_force
from pensiondesk.services.registration import RegistrationItem
from pensiondesk.store.models import (
    Household,
    Person,
    PersonCategory,
    Registration,
    RelationCheck,
    Setting,
    VillagerGroup,
)

__all__ = [
    "CategoryChoice",
    "GroupChoice",
    "HeldCategory",
    "HouseholdChoice",
    "HouseholdMember",
    "HouseholdView",
    "IdReading",
    "PersonDetail",
    "RelationToCheck",
    "birth_dates",
    "category_choices",
    "current_village_id",
    "group_choices",
    "household_choices",
    "household_of",
    "own_entered_registrations",
    "person_categories",
    "person_detail",
    "person_id_by_id_number",
    "read_id_number",
    "relations_to_check",
]

#: Most households offered when the coordinator looks for one to move a member into.
HOUSEHOLD_CHOICE_LIMIT = 50


@dataclass(frozen=True, slots=True)
class IdReading:
    """What a valid 公民身份号码 says: the number as stored, the birth date and the sex."""

    number: str
    birth_date: date
    sex: Sex
    converted_from_15: bool


@dataclass(frozen=True, slots=True)
class GroupChoice:
    """A 村民小组 as a list offers it."""

    id: str
    name: str


@dataclass(frozen=True, slots=True)
class CategoryChoice:
    """A 参保身份 of the policy pack in force: its local code and name; ``hardship`` when government pays;
    ``ordinary`` for 普通, which is having no other category and is never stored (``PolicyPack.ordinary_code``)."""

    code: str
    name: str
    hardship: bool
    ordinary: bool = False


@dataclass(frozen=True, slots=True)
class HeldCategory:
    """One 参保身份 record of a person: the category, its proof reference and validity (empty: open)."""

    id: str
    code: str
    name: str
    hardship: bool
    proof_ref: str | None
    valid_from: date | None
    valid_to: date | None
    in_force: bool  # held on the day asked about
    proof_owed: bool  # a hardship group without its 证明材料编号 (e.g. imported from a roster)

    @property
    def label(self) -> str:
        """``061 低保对象（061）``."""
        return f"{self.code} {self.name}"


@dataclass(frozen=True, slots=True)
class PersonDetail:
    """Everything the person form shows for one resident."""

    id: str
    version: int
    name: str
    id_number: str
    sex: Sex
    birth_date: date
    ethnicity: str | None
    hukou_address: str | None
    residence_address: str | None
    phone: str | None
    group_name: str | None
    household_head_name: str | None
    household_head_id_number: str | None
    relation: Relation | None
    category_codes: tuple[str, ...]
    status: PersonStatus
    local_hukou: bool
    is_student: bool
    has_employee_pension: bool
    has_other_state_pension: bool
    is_public_staff: bool
    is_migrant_worker: bool


@dataclass(frozen=True, slots=True)
class HouseholdMember:
    """One member of a household as the household view lists them."""

    person_id: str
    name: str
    id_number: str
    relation: Relation | None
    is_head: bool
    status: PersonStatus
    sex: Sex | None = None
    version: int | None = None  # the person's version, for a change made from the view (refused if stale)
    #: 待核对: the relation is still the one to an earlier head (``relation_check``), since when, to whom.
    to_check: bool = False
    suggested: Relation | None = None  # the relation suggested for the current head, when the old ones tell it
    old_head_name: str | None = None
    check_since: date | None = None  # the local day of the head change


@dataclass(frozen=True, slots=True)
class HouseholdView:
    """A household (户): its number, group and address, the head first, then the members by name."""

    household_id: str
    number: str | None
    group_name: str | None
    address: str | None
    head_person_id: str | None
    members: tuple[HouseholdMember, ...]

    @property
    def head_name(self) -> str | None:
        for member in self.members:
            if member.is_head:
                return member.name
        return None

    @property
    def to_check(self) -> tuple[HouseholdMember, ...]:
        """The members whose relation is 待核对, in the view's order."""
        return tuple(member for member in self.members if member.to_check)


@dataclass(frozen=True, slots=True)
class RelationToCheck:
    """A person whose 与户主关系 still needs checking after a change of head (与户主关系待核对)."""

    person_id: str
    name: str
    id_number: str
    group_name: str | None
    head_name: str | None  # the household's head now
    relation: Relation | None  # as stored: the relation to ``old_head_name``
    old_head_name: str | None
    suggested: Relation | None
    since: date  # the local day of the head change


@dataclass(frozen=True, slots=True)
class HouseholdChoice:
    """A household offered as the destination of a move: its head, group, number and size."""

    household_id: str
    head_name: str
    head_id_number: str
    group_name: str | None
    number: str | None
    size: int


def _local_day(moment: datetime | None) -> date | None:
    """The local calendar day of a stored (naive UTC) moment."""
    return moment.replace(tzinfo=UTC).astimezone().date() if moment is not None else None


def current_village_id(session: Session) -> str | None:
    """The id of the village this database serves (the ``village_id`` setting), or ``None`` before setup."""
    setting = session.get(Setting, "village_id")
    if setting is None or not setting.value:
        return None
    return str(setting.value)


def read_id_number(text: str, *, today: date | None = None) -> IdReading | None:
    """The birth date and sex a typed ID number encodes, or ``None`` while it is not a valid number yet."""
    try:
        rid = parse(text, today=today)
    except InvalidIdNumber:
        return None
    return IdReading(rid.number, rid.birth_date, rid.sex, rid.converted_from_15)


def birth_dates(session: Session, person_ids: Iterable[str]) -> dict[str, date]:
    """出生日期 of the given persons, by id (a review list shows each one's age on the registration date)."""
    wanted = list(dict.fromkeys(person_ids))
    found: dict[str, date] = {}
    for start in range(0, len(wanted), 500):  # within SQLite's limit on bound parameters
        chunk = wanted[start : start + 500]
        rows = session.execute(select(Person.id, Person.birth_date).where(Person.id.in_(chunk)))
        found.update((person_id, birth) for person_id, birth in rows)
    return found


def person_id_by_id_number(session: Session, id_number: str) -> str | None:
    """The person registered with ``id_number`` (normalised as stored, a 15-digit number converted), or ``None``."""
    reading = read_id_number(id_number)
    number = reading.number if reading is not None else normalize(id_number)
    return session.scalar(select(Person.id).where(Person.id_number == number))


def group_choices(session: Session, village_id: str | None = None) -> list[GroupChoice]:
    """The village's groups in their sort order (all groups when ``village_id`` is ``None``)."""
    query = select(VillagerGroup.id, VillagerGroup.name).order_by(VillagerGroup.sort_order, VillagerGroup.name)
    if village_id is not None:
        query = query.where(VillagerGroup.village_id == village_id)
    return [GroupChoice(gid, name) for gid, name in session.execute(query)]


def category_choices(session: Session, today: date | None = None) -> list[CategoryChoice]:
    """The 参保身份 categories of the policy pack in force on ``today``, in the pack's order."""
    pack = policy_pack_in_force(session, today or date.today())
    ordinary = pack.ordinary_code
    return [CategoryChoice(c.code, c.name, c.hardship, c.code == ordinary) for c in pack.identity_categories]


def person_categories(session: Session, person_id: str, *, today: date | None = None) -> list[HeldCategory]:
    """The 参保身份 records of a person, those in force on ``today`` first (then by code and start), for the
    category editor and the form's "证明材料未登记" hint. 普通 stored by an older import is left out: it is having
    no other category."""
    day = today or date.today()
    pack = policy_pack_in_force(session, day)
    names = {c.code: (c.name, c.hardship) for c in pack.identity_categories}
    held = []
    for record in session.scalars(select(PersonCategory).where(PersonCategory.person_id == person_id)):
        if record.category_code == pack.ordinary_code:
            continue
        name, hardship = names.get(record.category_code, ("", False))
        in_force = (record.valid_from is None or record.valid_from <= day) and (
            record.valid_to is None or day <= record.valid_to
        )
        held.append(
            HeldCategory(
                id=record.id,
                code=record.category_code,
                name=name,
                hardship=hardship,
                proof_ref=record.proof_ref,
                valid_from=record.valid_from,
                valid_to=record.valid_to,
                in_force=in_force,
                proof_owed=category_proof_owed(pack, record.category_code, record.proof_ref),
            )
        )
    held.sort(key=lambda c: (not c.in_force, c.code, c.valid_from or date.min))
    return held


def person_detail(session: Session, person_id: str, *, today: date | None = None) -> PersonDetail | None:
    """The record of one person for the form, or ``None`` when the person no longer exists."""
    person = session.get(Person, person_id)
    if person is None:
        return None
    day = today or date.today()
    group_name = session.scalar(select(VillagerGroup.name).where(VillagerGroup.id == person.group_id))
    head_name = head_number = None
    if person.household_id is not None:
        head = aliased(Person)
        found = session.execute(
            select(head.name, head.id_number)
            .join(Household, Household.head_person_id == head.id)
            .where(Household.id == person.household_id)
        ).one_or_none()
        if found is not None:
            head_name, head_number = found
    codes = tuple(
        sorted(
            {
                code
                for code, start, end in session.execute(
                    select(PersonCategory.category_code, PersonCategory.valid_from, PersonCategory.valid_to).where(
                        PersonCategory.person_id == person.id
                    )
                )
                if (start is None or start <= day) and (end is None or day <= end)
            }
        )
    )
    return PersonDetail(
        id=person.id,
        version=person.version,
        name=person.name,
        id_number=person.id_number,
        sex=person.sex,
        birth_date=person.birth_date,
        ethnicity=person.ethnicity,
        hukou_address=person.hukou_address,
        residence_address=person.residence_address,
        phone=person.phone,
        group_name=group_name,
        household_head_name=head_name,
        household_head_id_number=head_number,
        relation=person.relation,
        category_codes=codes,
        status=person.status,
        local_hukou=person.local_hukou,
        is_student=person.is_student,
        has_employee_pension=person.has_employee_pension,
        has_other_state_pension=person.has_other_state_pension,
        is_public_staff=person.is_public_staff,
        is_migrant_worker=person.is_migrant_worker,
    )


def household_of(session: Session, person_id: str) -> HouseholdView | None:
    """The household ``person_id`` belongs to, head first; ``None`` when the person is in no household."""
    household_id = session.scalar(select(Person.household_id).where(Person.id == person_id))
    if household_id is None:
        return None
    household = session.get(Household, household_id)
    if household is None:
        return None
    group_name = session.scalar(select(VillagerGroup.name).where(VillagerGroup.id == household.group_id))
    old_head = aliased(Person)
    rows = session.execute(
        select(
            Person.id,
            Person.name,
            Person.id_number,
            Person.relation,
            Person.status,
            Person.sex,
            Person.version,
            RelationCheck.person_id,
            RelationCheck.suggested_relation,
            old_head.name,
            RelationCheck.created_at,
        )
        .outerjoin(RelationCheck, RelationCheck.person_id == Person.id)
        .outerjoin(old_head, old_head.id == RelationCheck.old_head_person_id)
        .where(Person.household_id == household.id)
        .order_by(Person.name, Person.id_number)
    ).all()
    members = [
        HouseholdMember(
            pid,
            name,
            number,
            relation,
            pid == household.head_person_id,
            status,
            sex,
            version,
            to_check=marked is not None,
            suggested=suggested,
            old_head_name=old_head_name,
            check_since=_local_day(since),
        )
        for pid, name, number, relation, status, sex, version, marked, suggested, old_head_name, since in rows
    ]
    members.sort(key=lambda m: not m.is_head)  # stable: the head first, the others stay by name
    return HouseholdView(
        household_id=household.id,
        number=household.number,
        group_name=group_name,
        address=household.address,
        head_person_id=household.head_person_id,
        members=tuple(members),
    )


def relations_to_check(session: Session, village_id: str | None = None) -> list[RelationToCheck]:
    """Everyone whose 与户主关系 is 待核对 (after a change of head), in the village's groups and households order;
    the whole database when ``village_id`` is ``None``."""
    head, old_head = aliased(Person), aliased(Person)
    query = (
        select(
            Person.id,
            Person.name,
            Person.id_number,
            VillagerGroup.name,
            head.name,
            Person.relation,
            old_head.name,
            RelationCheck.suggested_relation,
            RelationCheck.created_at,
        )
        .join(RelationCheck, RelationCheck.person_id == Person.id)
        .outerjoin(VillagerGroup, VillagerGroup.id == Person.group_id)
        .outerjoin(Household, Household.id == Person.household_id)
        .outerjoin(head, head.id == Household.head_person_id)
        .outerjoin(old_head, old_head.id == RelationCheck.old_head_person_id)
        .order_by(VillagerGroup.sort_order, VillagerGroup.name, Household.number, head.name, Person.name, Person.id)
    )
    if village_id is not None:
        query = query.where(Person.village_id == village_id)
    return [RelationToCheck(*row[:-1], _local_day(row[-1]) or date.today()) for row in session.execute(query)]


def household_choices(
    session: Session, village_id: str, text: str = "", *, exclude_household_id: str | None = None
) -> list[HouseholdChoice]:
    """Households whose head's name starts with ``text`` (or whose head's ID ends with it), at most 50.

    For the 迁入他户 dialog: the coordinator types the new head's name and picks the household.
    """
    typed = "".join(text.split())
    head = aliased(Person)
    size = (
        select(func.count())
        .select_from(Person)
        .where(Person.household_id == Household.id)
        .correlate(Household)
        .scalar_subquery()
    )
    query = (
        select(Household.id, head.name, head.id_number, VillagerGroup.name, Household.number, size)
        .join(head, head.id == Household.head_person_id)
        .outerjoin(VillagerGroup, VillagerGroup.id == Household.group_id)
        .where(Household.village_id == village_id)
        .order_by(VillagerGroup.sort_order, head.name, head.id_number)
        .limit(HOUSEHOLD_CHOICE_LIMIT)
    )
    if typed:
        if typed[-1:].isdigit() or typed[-1:] in "Xx":
            reversed_suffix = typed.upper()[::-1]
            query = query.where(
                head.id_number_rev >= reversed_suffix, head.id_number_rev < reversed_suffix + "\U0010ffff"
            )
        else:
            query = query.where(head.name >= typed, head.name < typed + "\U0010ffff")
    if exclude_household_id is not None:
        query = query.where(Household.id != exclude_household_id)
    return [HouseholdChoice(*row) for row in session.execute(query)]


def own_entered_registrations(
    session: Session, username: str, *, village_id: str | None = None
) -> list[RegistrationItem]:
    """Registrations ``username`` entered that still wait for 初审 (someone else must check them), oldest first."""
    query = (
        select(
            Registration.id,
            Registration.person_id,
            Person.name,
            Person.id_number,
            VillagerGroup.name,
            Registration.registered_on,
            Registration.category_code,
            Registration.tier_fen,
            Registration.review_state,
            Registration.entered_by,
            Registration.checked_by,
            Registration.return_reason,
        )
        .join(Person, Person.id == Registration.person_id)
        .outerjoin(VillagerGroup, VillagerGroup.id == Person.group_id)
        .where(Registration.review_state == ReviewState.ENTERED, Registration.entered_by == username)
        .order_by(Registration.registered_on, Person.name)
    )
    if village_id is not None:
        query = query.where(Person.village_id == village_id)
    return [
        RegistrationItem(
            registration_id=row[0],
            person_id=row[1],
            name=row[2],
            id_number=row[3],
            group_name=row[4],
            registered_on=row[5],
            category_code=row[6],
            tier_fen=row[7],
            review_state=row[8],
            entered_by=row[9],
            checked_by=row[10],
            return_reason=row[11],
            returned_by_county=False,
        )
        for row in session.execute(query)
    ]
