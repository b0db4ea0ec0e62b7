"""Importing the county's roster (花名册导入): read a spreadsheet, check every row, add the good ones at once.

Two steps, so that a person sees what will happen before anything is written:

1. :func:`plan_import` reads the file (:mod:`pensiondesk.sheets.reader`), maps its columns
   (:mod:`pensiondesk.sheets.columns`, or the mapping the coordinator confirmed), turns each row into a
   :class:`PersonInput` and decides its fate — **add**, **unchanged** (the person is already in the database with
   the same 姓名/身份证号/性别/出生日期) or **rejected** — with every problem in plain Chinese. Nothing is written.
2. :func:`execute_import` adds all the rows to add in the caller's single transaction, through
   ``people.add_persons``, and enters the registrations the rows ask for (below); cancelling raises ``Cancelled``
   and the caller's rollback leaves the database as it was.

:func:`write_report` writes the plan as an .xlsx (导入结果报告): the original columns plus 行号, 结果, 问题说明,
rejected rows highlighted, IDs as text. The coordinator fixes the red rows in it and imports the report itself:
rows already added are then "unchanged", so importing the same file twice changes nothing the second time.

Rules that decide a row (the reasons are in each problem's message):

* an ID number stored as a spreadsheet number has lost its last digits: rejected, never guessed; full-width
  digits and spaces are corrected (warning); a 15-digit number is converted to 18 digits (warning);
* the second row with an ID number already seen in the file is rejected, naming the first row;
* an ID number already in the database: the same key fields → unchanged (other differences are noted, not
  written: 一般信息 are changed on the person's page); different key fields → rejected ("已存在，信息不同：…");
* every other row goes through the people checks (``people.check_person_inputs``, the batched form of
  ``check_person_input``, with the file's rows as one batch so that a household head in the file counts for the
  members below him): errors reject the row, warnings are reported and the row goes in; when a household head is
  rejected the rest are checked again, so the members who name him are rejected too rather than failing the
  whole import;
* a row with neither a name nor an ID number (a blank line, ``合计``, ``制表人：``) is skipped and listed.

参保登记 from the roster (a registration roster, domain.md §16, has 参保身份 and 缴费档次): when the mapping has
a 缴费档次 column, every row that is added or unchanged and has a tier asks for a registration (录入, state
已录入, ``registered_on`` the import's day, ``entered_by`` the importing user, the row's tier, the row's 参保身份
when the person holds it, else chosen as ``registration.register`` chooses it), for the village reviewer's 初审
and 上报 as usual. The plan decides each one with ``registration.register``'s rules and words
(``registration.check_import_requests``): a row whose person may not register (under 16, excluded, already
enrolled, a registration already under way with another tier, a tier the person may not choose — in a roster the
people checks' tier error is left to this check) keeps its person and gets a warning saying why. Unchanged rows
register too — a roster imported before, or with registration switched off, can be imported again to enter its
registrations — but only a person with no registration under way or approved: one already there with the row's
tier is the same registration, so importing the same file twice enters nothing and says nothing the second
time. ``execute_import(…, enter_registrations=False)`` enters none.

Speed (50,000 rows): the file is read once by calamine; repeated cell values (男, 户主, 011, 200 …) are parsed
once; plain 18-digit IDs take a fast path; persons already in the database are looked up :data:`LOOKUP_CHUNK` IDs
per query (or, for more than :data:`FULL_SCAN_ABOVE`, in one pass over the table), never one query per row;
the people checks run once for the whole file.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from enum import StrEnum
from operator import mul
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pensiondesk.domain.codes import Relation, Sex
from pensiondesk.domain.eligibility import ResidentFacts
from pensiondesk.domain.idnumber import (
    CHECK_CHARACTERS,
    EARLIEST_BIRTH_YEAR,
    WEIGHTS,
    InvalidIdNumber,
    normalize,
    parse,
)
from pensiondesk.domain.money import parse_yuan
from pensiondesk.domain.policy import PolicyPack
from pensiondesk.services.people_types import PersonInput, Problem, ServiceError, Severity
from pensiondesk.services.recording import Actor
from pensiondesk.services.registration import (
    ImportRequest,
    ImportVerdict,
    check_import_requests,
    load_import_requests,
    register_imported,
)
from pensiondesk.sheets.cells import (
    CellValueError,
    YearMonth,
    clean_name,
    clean_text,
    id_text,
    lost_digits_text,
    parse_birth_date,
    parse_categories,
    parse_ethnicity,
    parse_relation,
    parse_sex,
    parse_tier,
)
from pensiondesk.sheets.columns import REPORT_COLUMNS, ColumnMapping, RosterField, propose_mapping
from pensiondesk.sheets.reader import SheetError, SheetTable, header_place, read_table, rows_text
from pensiondesk.store.models import Person, Village, VillagerGroup

__all__ = [
    "LOOKUP_CHUNK",
    "ImportPlan",
    "ImportResult",
    "PlannedRow",
    "RowStatus",
    "execute_import",
    "plan_import",
    "write_report",
]

#: IDs bound into one ``IN (…)`` when looking up persons already in the database.
LOOKUP_CHUNK = 500
#: Above this many IDs the lookup reads the person table once instead of in chunks.
FULL_SCAN_ABOVE = 5000

Progress = Callable[[int, int], None]


class RowStatus(StrEnum):
    """What the import does with a row (导入结果)."""

    ADD = "add"  # 新增
    UNCHANGED = "unchanged"  # 已在库中，未变
    REJECTED = "rejected"  # 拒绝

    @property
    def label(self) -> str:
        return _STATUS_LABELS[self]


_STATUS_LABELS = {RowStatus.ADD: "新增", RowStatus.UNCHANGED: "未变（已在库中）", RowStatus.REJECTED: "拒绝"}


@dataclass
class PlannedRow:
    """One data row of the file: its Excel row number, its cells as read, its fate and its problems."""

    row_number: int
    cells: Sequence[Any]
    person: PersonInput
    status: RowStatus = RowStatus.ADD
    problems: list[Problem] = field(default_factory=list)
    existing_person_id: str | None = None
    #: The 参保登记 the row's 缴费档次 asks for, as decided when planning (``None``: it asks for none).
    registration: ImportVerdict | None = None

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.WARNING]

    def describe(self) -> str:
        """The problems as one line: errors first, then warnings marked 提示."""
        parts = [p.message for p in self.errors] + [f"提示：{p.message}" for p in self.warnings]
        return "；".join(parts)


@dataclass
class ImportPlan:
    """What importing a roster file will do, row by row; made by :func:`plan_import`, nothing written yet."""

    path: Path
    village_id: str
    today: date
    file_format: str
    sheet_name: str
    sheet_names: tuple[str, ...]
    header_rows: tuple[int, ...]
    headers: tuple[str, ...]
    mapping: ColumnMapping
    rows: list[PlannedRow]
    skipped_rows: list[int] = field(default_factory=list)
    notes: tuple[str, ...] = ()

    @property
    def header_row(self) -> int:
        """1-based row number of the (last) header row."""
        return self.header_rows[-1]

    @property
    def header_place(self) -> str:
        """``工作表“花名册”，表头在第3、4行``: the one wording of the GUI and the CLI (``sheets.reader``)."""
        return header_place(self.sheet_name, self.header_rows)

    def with_status(self, status: RowStatus) -> list[PlannedRow]:
        return [r for r in self.rows if r.status is status]

    @property
    def to_add(self) -> list[PlannedRow]:
        return self.with_status(RowStatus.ADD)

    @property
    def unchanged(self) -> list[PlannedRow]:
        return self.with_status(RowStatus.UNCHANGED)

    @property
    def rejected(self) -> list[PlannedRow]:
        return self.with_status(RowStatus.REJECTED)

    @property
    def counts(self) -> dict[RowStatus, int]:
        counts = dict.fromkeys(RowStatus, 0)
        for row in self.rows:
            counts[row.status] += 1
        return counts

    @property
    def warning_rows(self) -> int:
        """How many rows that are not rejected carry warnings."""
        return sum(1 for r in self.rows if r.status is not RowStatus.REJECTED and r.warnings)

    @property
    def asks_registration(self) -> bool:
        """The file has a 缴费档次 column: its rows may ask for 参保登记."""
        return self.mapping.column_of(RosterField.TIER) is not None

    @property
    def to_register(self) -> list[PlannedRow]:
        """Rows whose 参保登记 the import enters (unless registration is switched off)."""
        return [r for r in self.rows if r.registration is not None and r.registration.enters]

    @property
    def registration_refused(self) -> list[PlannedRow]:
        """Rows that ask for a 参保登记 their person may not have (the reason is among the row's warnings)."""
        return [r for r in self.rows if r.registration is not None and r.registration.refusal is not None]

    def summary(self) -> str:
        """``新增 N 人，未变 M 人，拒绝 K 行`` (as planned)."""
        counts = self.counts
        return (
            f"新增 {counts[RowStatus.ADD]} 人，未变 {counts[RowStatus.UNCHANGED]} 人，"
            f"拒绝 {counts[RowStatus.REJECTED]} 行"
        )


@dataclass
class ImportResult:
    """What :func:`execute_import` wrote: the new persons' ids, in the file's row order, and the registrations
    entered (``registering``: registration was switched on)."""

    plan: ImportPlan
    added_ids: list[str]
    registration_ids: list[str] = field(default_factory=list)
    registering: bool = False

    @property
    def added(self) -> int:
        return len(self.added_ids)

    @property
    def registered(self) -> int:
        """参保登记 entered."""
        return len(self.registration_ids)

    @property
    def not_registered(self) -> int:
        """Rows asking for a 参保登记 that could not be entered (each row's warning says why)."""
        return len(self.plan.registration_refused) if self.registering else 0

    @property
    def unchanged(self) -> int:
        return len(self.plan.unchanged)

    @property
    def rejected(self) -> int:
        return len(self.plan.rejected)

    def summary(self) -> str:
        return f"新增 {self.added} 人，未变 {self.unchanged} 人，拒绝 {self.rejected} 行"

    def registration_summary(self) -> str:
        """``录入参保登记 N 人，M 人不能录入（原因见各行的问题说明）`` ('' when registration was off or not asked)."""
        if not self.registering or not self.plan.asks_registration:
            return ""
        text = f"录入参保登记 {self.registered} 人（已录入，待初审）"
        if self.not_registered:
            text += f"，{self.not_registered} 人不能录入（原因见各行的问题说明）"
        return text


# --- reading one row --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Existing:
    """The fields of a person already in the database that a row is compared with."""

    id: str
    village_id: str
    name: str
    sex: Sex
    birth_date: date
    ethnicity: str | None
    hukou_address: str | None
    residence_address: str | None
    phone: str | None
    group_name: str | None


def _error(field_name: str, message: str, code: str = "") -> Problem:
    return Problem(field_name, message, Severity.ERROR, code)


def _warning(field_name: str, message: str, code: str = "") -> Problem:
    return Problem(field_name, message, Severity.WARNING, code)


_MEMO_LIMIT = 20_000
_ZERO_WEIGHT = ord("0") * sum(WEIGHTS)


class _Memo:
    """One cell parser with its answers remembered per distinct value.

    A roster repeats the same few texts in most columns (男/女, 户主/配偶, 011, 200, 第一村民小组), so each
    distinct value is parsed once. The answer is the value and, when the cell could not be read, the problem.
    """

    def __init__(self, parse_cell: Callable[[Any], Any], on_error: Callable[[CellValueError], Problem]) -> None:
        self.parse_cell = parse_cell
        self.on_error = on_error
        self.cache: dict[tuple[type, Any], tuple[Any, Problem | None]] = {}

    def __call__(self, value: Any) -> tuple[Any, Problem | None]:
        key = (type(value), value)  # 1, 1.0 and True are equal keys; their type tells them apart
        try:
            return self.cache[key]
        except KeyError:
            pass
        except TypeError:  # an unhashable value: parse it every time
            return self._parse(value)
        answer = self._parse(value)
        if len(self.cache) < _MEMO_LIMIT:
            self.cache[key] = answer
        return answer

    def _parse(self, value: Any) -> tuple[Any, Problem | None]:
        try:
            return self.parse_cell(value), None
        except CellValueError as exc:
            return None, self.on_error(exc)


class _RowReader:
    """Turns a row's cells into a :class:`PersonInput` and the problems found on the way.

    Built for 50,000-row rosters: columns are looked up once, repeated values are parsed once (:class:`_Memo`),
    and a plain 18-digit ID takes a fast path that is exactly :func:`idnumber.parse`'s rules for such a text.
    """

    def __init__(
        self, mapping: ColumnMapping, categories: dict[str, str], today: date, ordinary: str | None = None
    ) -> None:
        self.today = today
        column = mapping.column_of
        self.columns = tuple(
            column(f)
            for f in (
                RosterField.NAME,
                RosterField.ID_NUMBER,
                RosterField.SEX,
                RosterField.BIRTH_DATE,
                RosterField.ETHNICITY,
                RosterField.HUKOU_ADDRESS,
                RosterField.RESIDENCE_ADDRESS,
                RosterField.PHONE,
                RosterField.GROUP,
                RosterField.HOUSEHOLD_HEAD_NAME,
                RosterField.HOUSEHOLD_HEAD_ID_NUMBER,
                RosterField.RELATION,
                RosterField.CATEGORY,
                RosterField.TIER,
                RosterField.NOTES,
            )
        )
        self.c_name, self.c_id = self.columns[0], self.columns[1]
        self.last_column = max(c for c in self.columns if c is not None)
        self.sex = _Memo(parse_sex, lambda e: _warning("sex", f"{e.message}；已按身份证号确定性别", e.code))
        self.birth = _Memo(
            parse_birth_date, lambda e: _warning("birth_date", f"{e.message}；已按身份证号确定出生日期", e.code)
        )
        self.relation = _Memo(parse_relation, lambda e: _error("relation", e.message, e.code))
        # 普通 (``ordinary``) is having no other category: read, never stored (PolicyPack.ordinary_code).
        self.categories = _Memo(
            lambda v: tuple(c for c in parse_categories(v, categories) if c != ordinary),
            lambda e: _error("category_codes", e.message, e.code),
        )
        self.tier = _Memo(parse_tier, lambda e: _error("tier_yuan", e.message, e.code))
        self.ethnicity = _Memo(parse_ethnicity, lambda e: _warning("ethnicity", e.message, e.code))
        self.head_id = _Memo(_head_id_text, lambda e: _error("household_head_id_number", "户主" + e.message, e.code))

    def values(self, row: Sequence[Any]) -> list[Any]:
        """The mapped cells of a row, in the reader's field order; empty cells as ``None``."""
        if len(row) > self.last_column:  # calamine's rows are all full width: the usual case
            return [None if c is None or (v := row[c]) == "" else v for c in self.columns]
        width = len(row)
        return [None if c is None or c >= width or (v := row[c]) == "" else v for c in self.columns]

    @staticmethod
    def is_blank(values: Sequence[Any]) -> bool:
        """No name and no ID number (in :meth:`values`): an empty line, a total or a signature line."""
        name, number = values[0], values[1]
        return (name is None or (type(name) is str and not name.strip())) and (
            number is None or (type(number) is str and not number.strip())
        )

    def read(self, values: Sequence[Any]) -> tuple[PersonInput, list[Problem], date | None]:
        """The person, the problems found reading the cells, and the birth date the ID number encodes (if valid).

        ``values`` are the row's mapped cells from :meth:`values`.
        """
        (
            name_v,
            id_v,
            sex_v,
            birth_v,
            ethnicity_v,
            hukou_v,
            residence_v,
            phone_v,
            group_v,
            head_name_v,
            head_id_v,
            relation_v,
            category_v,
            tier_v,
            notes_v,
        ) = values
        problems: list[Problem] = []
        id_number, id_birth = self._id_number(id_v, problems)

        sex = relation = tier = head_id = None
        codes: tuple[str, ...] = ()
        # Empty cells (None) need no parsing; the rest are looked up in the memos.
        if sex_v is not None:
            sex, problem = self.sex(sex_v)
            if problem is not None:
                problems.append(problem)
        if relation_v is not None:
            relation, problem = self.relation(relation_v)
            if problem is not None:
                problems.append(problem)
        if category_v is not None:
            codes, problem = self.categories(category_v)
            if problem is not None:
                problems.append(problem)
        if tier_v is not None:
            tier, problem = self.tier(tier_v)
            if problem is not None:
                problems.append(problem)
        if head_id_v is not None:
            head_id, problem = self.head_id(head_id_v)
            if problem is not None:
                problems.append(problem)

        birth_date: date | None = None
        if birth_v is not None:
            birth, problem = self.birth(birth_v)
            if problem is not None:
                problems.append(problem)
            elif isinstance(birth, YearMonth):
                if id_birth is not None and not birth.matches(id_birth):
                    problems.append(
                        _error(
                            "birth_date",
                            f"出生年月与身份证号不一致：身份证号显示 {id_birth.isoformat()}，登记的是 {birth}；"
                            "请核对证件",
                            "agreement",
                        )
                    )
            else:
                birth_date = birth

        person = PersonInput(
            name=_name(name_v) or "",  # an empty or odd name is the people checks' to report
            id_number=id_number,
            sex=sex,
            birth_date=birth_date,
            ethnicity=None if ethnicity_v is None else self.ethnicity(ethnicity_v)[0],
            hukou_address=_text(hukou_v),
            residence_address=_text(residence_v),
            phone=_phone(phone_v),
            group_name=_text(group_v),
            household_head_name=_name(head_name_v) or None,
            household_head_id_number=head_id,
            relation=relation,
            category_codes=list(codes) if codes else [],
            tier_yuan=tier,
            notes=_text(notes_v),
        )
        return person, problems, id_birth

    def _id_number(self, value: Any, problems: list[Problem]) -> tuple[str, date | None]:
        if (
            type(value) is str
            and len(value) == 18
            and value.isascii()
            and value[:17].isdigit()
            and (value[17] == "X" or value[17].isdigit())
        ):
            born = _plain_id_birth(value, self.today)
            if born is not None:
                return value, born
        try:
            raw = id_text(value)
        except CellValueError as exc:
            problems.append(_error("id_number", exc.message, exc.code))
            return (lost_digits_text(value) or clean_text(value) or ""), None  # never the guessed digits
        if raw is None:
            problems.append(_error("id_number", "身份证号为空：请填写 18 位公民身份号码", "length"))
            return "", None
        if not isinstance(value, str):
            problems.append(
                _warning(
                    "id_number", "身份证号一栏是数字格式：号码完整，但请把该列设为文本，以免丢失数字", "number_cell"
                )
            )
        try:
            rid = parse(raw, today=self.today)
        except InvalidIdNumber as exc:
            problems.append(_error("id_number", exc.message, str(exc.code)))
            return normalize(raw), None
        if rid.converted_from_15:
            problems.append(
                _warning("id_number", f"15位旧身份证号 {normalize(raw)} 已转换为18位：{rid.number}", "converted_15")
            )
        elif raw != rid.number and normalize(raw) != raw.upper():
            problems.append(_warning("id_number", f"身份证号中的全角字符或空格已自动更正为 {rid.number}", "corrected"))
        return rid.number, rid.birth_date


def _plain_id_birth(number: str, today: date) -> date | None:
    """The birth date of an 18-character ID that :func:`idnumber.parse` accepts as it is, else ``None``.

    The same checks as ``parse`` for a text that needs no normalising (check character, real date, not in the
    future, not before 1880); anything else goes through ``parse`` for its message.
    """
    # Σ a_i·W_i over the digits' byte values, less what the '0' (48) in each byte adds.
    total = sum(map(mul, number[:17].encode("ascii"), WEIGHTS)) - _ZERO_WEIGHT
    if CHECK_CHARACTERS[total % 11] != number[17]:
        return None
    try:
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return None
    if born > today or born.year < EARLIEST_BIRTH_YEAR:
        return None
    return born


def _head_id_text(value: Any) -> str | None:
    text = id_text(value)
    return normalize(text) if text else None


def _text(value: Any) -> str | None:
    """:func:`clean_text`, with the common case (a plain string, or nothing) inline."""
    if value is None:
        return None
    if type(value) is str:
        return value.strip() or None
    return clean_text(value)


def _name(value: Any) -> str | None:
    return None if value is None else clean_name(value)


def _phone(value: Any) -> str | None:
    if value is None:
        return None
    if type(value) is str:
        return "".join(value.split()) or None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = clean_text(value)
    return "".join(text.split()) if text else None


def _policy_categories(session: Session, today: date) -> dict[str, str]:
    """参保身份 code → name of the policy pack in force, for reading categories written as names."""
    return {c.code: c.name for c in _policy_pack(session, today).identity_categories}


def _policy_pack(session: Session, today: date) -> PolicyPack:
    """The policy pack in force: its 参保身份 read categories written as names, and say which need proof."""
    from pensiondesk.services.people import policy_pack_in_force

    return policy_pack_in_force(session, today)


def _load_existing(session: Session, numbers: Iterable[str]) -> dict[str, _Existing]:
    """The persons whose ID number is among ``numbers``, found ``LOOKUP_CHUNK`` numbers per query."""
    wanted = sorted(set(numbers))
    found: dict[str, _Existing] = {}
    columns = (
        Person.id,
        Person.village_id,
        Person.id_number,
        Person.name,
        Person.sex,
        Person.birth_date,
        Person.ethnicity,
        Person.hukou_address,
        Person.residence_address,
        Person.phone,
        VillagerGroup.name,
    )
    base = select(*columns).outerjoin(VillagerGroup, VillagerGroup.id == Person.group_id)
    if len(wanted) > FULL_SCAN_ABOVE:
        # A large roster: one pass over the table beats a hundred IN (…) queries.
        queries = [base]
    else:
        queries = [
            base.where(Person.id_number.in_(wanted[start : start + LOOKUP_CHUNK]))
            for start in range(0, len(wanted), LOOKUP_CHUNK)
        ]
    wanted_set = set(wanted)
    # Core rows through the session's connection (the ORM layer adds nothing here but time), one fetchall each.
    connection = session.connection()
    for query in queries:
        for pid, village_id, number, name, sex, birth, ethnicity, hukou, residence, phone, group in connection.execute(
            query
        ).all():
            if number in wanted_set:
                found[number] = _Existing(pid, village_id, name, sex, birth, ethnicity, hukou, residence, phone, group)
    return found


_KEY_FIELD_LABELS = (("name", "姓名"), ("sex", "性别"), ("birth_date", "出生日期"))
_GENERAL_FIELD_LABELS = (
    ("ethnicity", "民族"),
    ("hukou_address", "户籍所在地"),
    ("residence_address", "居住地址"),
    ("phone", "联系电话"),
    ("group_name", "村民小组"),
)


def _shown(value: object) -> str:
    if isinstance(value, Sex):
        return value.label
    if isinstance(value, date):
        return value.isoformat()
    return "（空）" if value in (None, "") else str(value)


def _same_as_stored(person: PersonInput, held: _Existing) -> bool:
    """Every field the row gives equals the stored one (the common case of a re-import, checked first)."""
    return (
        person.name == held.name
        and (person.sex is None or person.sex == held.sex)
        and (person.birth_date is None or person.birth_date == held.birth_date)
        and (not person.ethnicity or person.ethnicity == held.ethnicity)
        and (not person.hukou_address or person.hukou_address == held.hukou_address)
        and (not person.residence_address or person.residence_address == held.residence_address)
        and (not person.phone or person.phone == held.phone)
        and (not person.group_name or person.group_name == held.group_name)
    )


def _compare_existing(person: PersonInput, existing: _Existing, village_names: dict[str, str]) -> list[Problem]:
    """Problems of a row whose ID number is already in the database (empty: identical in every field given)."""
    if existing.village_id not in village_names:
        return [
            _error(
                "id_number",
                "该身份证号已登记在本数据库的其他村，不能重复登记；如户籍已迁入本村，请办理转移后再登记",
                "exists_elsewhere",
            )
        ]
    if _same_as_stored(person, existing):
        return []
    differences = []
    for attr, label in _KEY_FIELD_LABELS:
        given = getattr(person, attr)
        held = getattr(existing, attr)
        if given is not None and given != "" and given != held:
            differences.append(f"{label} 库中为 {_shown(held)}，表中为 {_shown(given)}")
    if differences:
        return [
            _error(
                "id_number",
                "已存在，信息不同：" + "；".join(differences) + "。表格未覆盖库中信息；如需更正姓名、性别或出生日期，"
                "请在人员信息中按“关键信息变更”办理（需说明原因并留存证明材料）",
                "exists_different",
            )
        ]
    general = []
    for attr, label in _GENERAL_FIELD_LABELS:
        given = getattr(person, attr)
        held = getattr(existing, attr)
        if given is not None and given != "" and given != held:
            general.append(f"{label}（库中为 {_shown(held)}，表中为 {_shown(given)}）")
    if general:
        return [
            _warning(
                "",
                "已在库中；" + "、".join(general) + " 与库中不同，未更新：如需修改请在人员信息中修改",
                "exists_general_differs",
            )
        ]
    return []


# --- planning ---------------------------------------------------------------------------------------------------


def _missing_columns(table: SheetTable, mapping: ColumnMapping) -> SheetError:
    missing = "、".join(f"“{f.label}”" for f in mapping.missing_required)
    found = "、".join(f"“{h}”" for h in table.headers if h) or "（空）"
    return SheetError(
        f"文件“{table.path.name}”的表头（{rows_text(table.header_rows)}）中找不到 {missing} 列。找到的列：{found}。"
        "请在表头中写明“姓名”和“身份证号”，或在导入时指定各列对应的内容。",
        path=table.path,
    )


def plan_import(
    session: Session,
    path: Path | str,
    *,
    village_id: str,
    mapping: ColumnMapping | None = None,
    sheet: str | None = None,
    header_row: int | None = None,
    today: date | None = None,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> ImportPlan:
    """Read and check a roster file for ``village_id``; return what importing it would do. Writes nothing.

    ``mapping`` is the column mapping the coordinator confirmed (default: :func:`propose_mapping` of the header);
    ``sheet`` and ``header_row`` (1-based) override the reader's choice. ``progress(done, total)`` is called
    while rows are checked. Raises :class:`SheetError` for a file that cannot be read or lacks 姓名/身份证号
    columns; row problems never raise, they are in the plan.
    """
    from pensiondesk.services import people

    today = today or date.today()
    table = read_table(path, sheet=sheet, header_row=header_row)
    mapping = mapping or propose_mapping(table.headers)
    if mapping.missing_required:
        raise _missing_columns(table, mapping)
    pack = _policy_pack(session, today)
    reader = _RowReader(mapping, {c.code: c.name for c in pack.identity_categories}, today, pack.ordinary_code)
    total = len(table.rows)
    step = max(1, total // 100)

    # Pass 1: read every row (cheap, no database).
    rows: list[PlannedRow] = []
    skipped: list[int] = []
    id_births: list[date | None] = []
    for index, cells in enumerate(table.rows):
        number = table.first_data_row + index
        values = reader.values(cells)
        if reader.is_blank(values):
            if any(clean_text(v) for v in cells):
                skipped.append(number)
            continue
        person, problems, id_birth = reader.read(values)
        rows.append(PlannedRow(number, cells, person, problems=problems))
        id_births.append(id_birth)
        if progress is not None and index % step == 0:
            progress(index, total * 2)

    # Pass 2: the same ID number twice in the file: the later row is rejected, naming the first.
    first_by_id: dict[str, PlannedRow] = {}
    candidates: list[PlannedRow] = []
    for row, id_birth in zip(rows, id_births, strict=True):
        person = row.person
        if id_birth is None:
            candidates.append(row)
            continue
        first = first_by_id.setdefault(person.id_number, row)
        if first is row:
            candidates.append(row)
            continue
        row.problems.append(
            _error(
                "id_number",
                f"与第{first.row_number}行（{first.person.name}）的身份证号重复：同一人只能登记一次，本行未导入",
                "duplicate_in_file",
            )
        )
        row.status = RowStatus.REJECTED

    # Pass 3: persons already in the database (looked up in chunks): unchanged, or different and rejected.
    if cancelled is not None and cancelled():
        raise people.Cancelled()
    existing = _load_existing(session, first_by_id)
    village_names = {
        vid: name for vid, name in session.execute(select(Village.id, Village.name).where(Village.id == village_id))
    }
    new_rows: list[PlannedRow] = []
    for row in candidates:
        person = row.person
        held = existing.get(person.id_number)
        if held is None or any(p.field == "id_number" and p.severity is Severity.ERROR for p in row.problems):
            new_rows.append(row)
            continue
        # Same ID: the stored sex and birth date are the ID's, so comparing with them covers agreement too.
        row.existing_person_id = held.id
        row.problems.extend(_compare_existing(person, held, village_names))
        row.status = RowStatus.REJECTED if row.errors else RowStatus.UNCHANGED
    if progress is not None:
        progress(total, total * 2)

    # Pass 4: the people service's checks for the rest, as one batch (a head in the file counts for its members).
    # A rejected head leaves its members without a household, so the survivors are checked again until stable.
    own = {row.row_number: list(row.problems) for row in new_rows}
    batch = new_rows
    while batch:
        if cancelled is not None and cancelled():
            raise people.Cancelled()
        results = people.check_person_inputs(session, [r.person for r in batch], village_id=village_id, today=today)
        survivors: list[PlannedRow] = []
        for row, checked in zip(batch, results, strict=True):
            mine = own[row.row_number]
            own_errors = {p.field for p in mine if p.severity is Severity.ERROR}
            row.problems = mine + [
                _in_row_numbers(p, batch) for p in checked if p.field not in own_errors and not _tier_choice(p)
            ]
            if row.errors:
                row.status = RowStatus.REJECTED
            else:
                row.status = RowStatus.ADD
                survivors.append(row)
        lost_head = any(r.status is RowStatus.REJECTED and r.person.relation is Relation.HEAD for r in batch)
        if not lost_head or len(survivors) == len(batch):
            break
        batch = survivors
    _note_proof_owed(rows, pack)
    # Pass 5: the 参保登记 the rows' 缴费档次 ask for (a few batched queries for the persons already there).
    if mapping.column_of(RosterField.TIER) is not None:
        _plan_registrations(session, rows, id_births, today)
    if progress is not None:
        progress(total * 2, total * 2)

    return ImportPlan(
        path=Path(path),
        village_id=village_id,
        today=today,
        file_format=table.file_format,
        sheet_name=table.sheet_name,
        sheet_names=table.sheet_names,
        header_rows=table.header_rows,
        headers=table.headers,
        mapping=mapping,
        rows=rows,
        skipped_rows=skipped,
        notes=table.notes,
    )


def _note_proof_owed(rows: Sequence[PlannedRow], pack: PolicyPack) -> None:
    """A row added with a hardship group (061 低保 …) gets a warning: a roster has no column for the proof
    (证明材料编号) and validity, so they are still owed and must be entered on the person's page."""
    names = {c.code: c.name for c in pack.identity_categories if c.hardship}
    said: dict[tuple[str, ...], Problem | None] = {}
    for row in rows:
        if row.status is not RowStatus.ADD or not row.person.category_codes:
            continue
        key = tuple(row.person.category_codes)
        if key not in said:
            owed = [f"{code} {names[code]}" for code in dict.fromkeys(c.strip() for c in key) if code in names]
            said[key] = (
                _warning(
                    "category_codes",
                    f"{'、'.join(owed)}属于困难群体，花名册里没有证明材料编号和有效期：导入后请在人员信息中点"
                    "“参保身份和证明材料…”补登",
                    "proof_owed",
                )
                if owed
                else None
            )
        problem = said[key]
        if problem is not None:
            row.problems.append(problem)


_BATCH_ITEM = re.compile(r"第 ?(\d+) ?条")


def _tier_choice(problem: Problem) -> bool:
    """The people checks' "not a tier this person may choose": in a roster the 缴费档次 only asks for a 参保登记, so
    the person goes in and the registration check (pass 5) says why none is entered, in ``register``'s words."""
    return problem.field == "tier_yuan" and problem.code == "tier"


def _in_row_numbers(problem: Problem, batch: Sequence[PlannedRow]) -> Problem:
    """A batch check's problem with "第 N 条" (the N-th input) said as the row the coordinator sees: "第12行"."""
    if "条" not in problem.message:
        return problem

    def row_of(match: re.Match[str]) -> str:
        index = int(match.group(1)) - 1
        return f"第{batch[index].row_number}行" if 0 <= index < len(batch) else match.group(0)

    return replace(problem, message=_BATCH_ITEM.sub(row_of, problem.message))


# --- registrations ----------------------------------------------------------------------------------------------

_REGISTRATION_NOTE = "不能按表中的缴费档次录入参保登记："


class _Asked:
    """The tier (fen) and the 参保身份 codes a row asks its registration with, each distinct cell worked out once."""

    def __init__(self) -> None:
        self._tiers: dict[str, int] = {}
        self._codes: dict[tuple[str, ...], tuple[str, ...]] = {}

    def tier_fen(self, row: PlannedRow) -> int:
        tier = row.person.tier_yuan
        assert tier  # only rows with a tier ask
        fen = self._tiers.get(tier)
        if fen is None:
            fen = self._tiers[tier] = parse_yuan(tier)  # parse_tier has made it whole yuan ("200")
        return fen

    def codes(self, row: PlannedRow) -> tuple[str, ...]:
        key = tuple(row.person.category_codes)
        codes = self._codes.get(key)
        if codes is None:
            codes = self._codes[key] = tuple(dict.fromkeys(code for raw in key if (code := raw.strip())))
        return codes


def _new_person_request(row: PlannedRow, birth: date, asked: _Asked) -> ImportRequest:
    """The request of a row whose person the import adds: the facts are the row's (the person is not written yet)."""
    person = row.person
    codes = asked.codes(row)
    return ImportRequest(
        name=person.name.strip(),
        facts=ResidentFacts(
            birth_date=birth,
            local_hukou=bool(person.local_hukou),
            is_student=bool(person.is_student),
            has_employee_pension=bool(person.has_employee_pension),
            has_other_state_pension=bool(person.has_other_state_pension),
            is_public_staff=bool(person.is_public_staff),
        ),
        held=tuple(sorted(codes)),  # the row's categories become the new person's, from no date
        row_codes=codes,
        tier_fen=asked.tier_fen(row),
    )


def _existing_requests(
    session: Session, rows: Sequence[PlannedRow], day: date, asked: _Asked
) -> list[ImportRequest | None]:
    """The requests of rows whose person is already in the database, as it is now (``None``: no longer there)."""
    wanted = []
    for row in rows:
        assert row.existing_person_id is not None
        wanted.append((row.existing_person_id, asked.codes(row), asked.tier_fen(row)))
    return load_import_requests(session, wanted, registered_on=day)


def _plan_registrations(
    session: Session, rows: Sequence[PlannedRow], id_births: Sequence[date | None], today: date
) -> None:
    """Decide the 参保登记 of every added or unchanged row with a 缴费档次; a refusal becomes the row's warning.

    ``id_births`` are the birth dates the rows' ID numbers encode (pass 1), in the same order as ``rows``.
    """
    asked = _Asked()
    deciding: list[PlannedRow] = []
    requests: list[ImportRequest] = []
    known: list[PlannedRow] = []
    for row, birth in zip(rows, id_births, strict=True):
        if not row.person.tier_yuan or row.status is RowStatus.REJECTED:
            continue
        if row.status is RowStatus.UNCHANGED:
            known.append(row)
            continue
        if birth is None:  # an added row has a valid ID; a 15-digit one was converted after pass 1
            birth = parse(row.person.id_number, today=today).birth_date
        deciding.append(row)
        requests.append(_new_person_request(row, birth, asked))
    if known:
        for row, request in zip(known, _existing_requests(session, known, today, asked), strict=True):
            if request is not None:  # None: deleted since pass 3 (the same session: not in practice)
                deciding.append(row)
                requests.append(request)
    if not requests:
        return
    verdicts = check_import_requests(session, requests, registered_on=today)
    for row, verdict in zip(deciding, verdicts, strict=True):
        row.registration = verdict
        if verdict.refusal is not None:
            row.problems.append(_warning("tier_yuan", _REGISTRATION_NOTE + verdict.refusal, "registration"))


# --- executing --------------------------------------------------------------------------------------------------


def execute_import(
    session: Session,
    actor: Actor,
    plan: ImportPlan,
    *,
    enter_registrations: bool = True,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> ImportResult:
    """Add every row the plan marks 'add' (via ``people.add_persons``) and, unless ``enter_registrations`` is
    false, enter the 参保登记 the plan decided for (``plan.to_register``, via ``registration.register_imported``),
    all in the caller's one transaction.

    The caller commits (``with db.session(immediate=True) as s: execute_import(s, …)``); when ``cancelled()``
    becomes true ``people.Cancelled`` is raised and the caller's rollback writes nothing. Raises
    :class:`ServiceError` when the database changed since the plan was made — a person of the plan was registered
    by someone else, or a person already there can no longer have the registration the plan decided (or now can
    have one it refused): plan again.
    """
    from pensiondesk.services import people

    rows = plan.to_add
    inputs = [row.person for row in rows]
    added: list[str] = []
    if inputs:
        taken = _load_existing(session, (p.id_number for p in inputs))
        if taken:
            first = next(row for row in rows if row.person.id_number in taken)
            raise ServiceError(
                f"检查文件之后，已有 {len(taken)} 人被登记（如第{first.row_number}行"
                f"{first.person.name}）：请重新检查文件后再导入"
            )
        added = people.add_persons(
            session,
            actor,
            inputs,
            village_id=plan.village_id,
            today=plan.today,
            progress=progress,
            cancelled=cancelled,
        )
    registration_ids: list[str] = []
    if enter_registrations:
        new_ids = {row.row_number: person_id for row, person_id in zip(rows, added, strict=True)}
        registration_ids = _enter_registrations(session, actor, plan, new_ids, cancelled)
    return ImportResult(plan, list(added), registration_ids, registering=enter_registrations)


def _enter_registrations(
    session: Session,
    actor: Actor,
    plan: ImportPlan,
    new_ids: dict[int, str],
    cancelled: Callable[[], bool] | None,
) -> list[str]:
    """Write the registrations the plan decided for, in row order.

    A new person's verdict stands (its facts are the row's). A person already in the database is decided again
    on what the database holds now, and the plan is refused as stale if the answer changed.
    """
    asking = [r for r in plan.rows if r.registration is not None]
    known = [r for r in asking if r.status is RowStatus.UNCHANGED]
    now: dict[int, ImportVerdict] = {}
    if known:
        requests = _existing_requests(session, known, plan.today, _Asked())
        present = [(row, request) for row, request in zip(known, requests, strict=True) if request is not None]
        verdicts = check_import_requests(session, [request for _row, request in present], registered_on=plan.today)
        now = {row.row_number: verdict for (row, _request), verdict in zip(present, verdicts, strict=True)}
        changed = [
            row
            for row in known
            if row.registration is not None
            and (row.row_number not in now or now[row.row_number].enters != row.registration.enters)
        ]
        if changed:
            first = changed[0]
            raise ServiceError(
                f"检查文件之后，已有 {len(changed)} 人的参保登记情况发生了变化（如第{first.row_number}行"
                f"{first.person.name}）：请重新检查文件后再导入"
            )
    entries: list[tuple[str, ImportVerdict]] = []
    for row in asking:
        if row.status is RowStatus.ADD and row.row_number in new_ids:
            assert row.registration is not None
            if row.registration.enters:
                entries.append((new_ids[row.row_number], row.registration))
        elif row.status is RowStatus.UNCHANGED and row.existing_person_id is not None:
            verdict = now[row.row_number]
            if verdict.enters:
                entries.append((row.existing_person_id, verdict))
    return register_imported(session, actor, entries, registered_on=plan.today, cancelled=cancelled)


# --- the report -------------------------------------------------------------------------------------------------

_TEXT_FIELDS = (RosterField.ID_NUMBER, RosterField.HOUSEHOLD_HEAD_ID_NUMBER, RosterField.PHONE)
_REJECTED_FILL = "FFC7CE"


def _report_text(value: Any) -> str:
    """An ID or phone cell as text the way Excel shows it in the formula bar (digits, no exponent)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    lost = lost_digits_text(value)  # 16+ digits: the last ones are not in the file; show what Excel shows
    if lost is not None:
        return lost
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


def _display_width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def write_report(plan: ImportPlan, out_path: Path | str, *, planned: bool = False) -> Path:
    """Write the import report (导入结果报告) as .xlsx and return its path.

    ``planned``: nothing was written (a dry run), so a row to add reads 可新增, not 新增.

    The original columns, then 行号 (the row in the original file), 结果 and 问题说明 (errors, then warnings
    marked 提示); rejected rows on red; ID numbers and phones as text; header frozen; widths set. The report's header
    is the original one, so the report re-imports after the red rows are fixed. Written to a temporary name and
    moved into place, so a failure never leaves half a file.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    from pensiondesk.sheets.export import CellStyles

    out_path = Path(out_path)
    kept = [i for i, h in enumerate(plan.headers) if h not in REPORT_COLUMNS]
    text_columns = {c for c in (plan.mapping.column_of(f) for f in _TEXT_FIELDS) if c is not None}
    titles = [plan.headers[i] or f"第{i + 1}列" for i in kept] + list(REPORT_COLUMNS)

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("导入结果")
    widths = [_display_width(t) + 2 for t in titles]
    for row in plan.rows[:500]:
        for k, i in enumerate(kept):
            value = row.cells[i] if i < len(row.cells) else None
            widths[k] = min(40, max(widths[k], _display_width(_report_text(value)) + 2))
    widths[-3:] = [8, 18, 80]
    for k, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(k)].width = width
    ws.freeze_panes = "A2"

    styles = CellStyles(ws)
    header_style = styles.style(font=Font(bold=True), fill=PatternFill("solid", fgColor="D9E1F2"))
    wrap = Alignment(wrap_text=True, vertical="top")
    rejected_fill = {"fill": PatternFill("solid", fgColor=_REJECTED_FILL)}
    looks: dict[bool, dict[str, Any]] = {}
    for rejected in (True, False):
        fill = rejected_fill if rejected else {}
        looks[rejected] = {
            "plain": styles.style(**fill) if fill else None,
            "text": styles.style(number_format="@", **fill),
            "date": styles.style(number_format="yyyy-mm-dd", **fill),
            "note": styles.style(alignment=wrap, **fill),
        }
    cell = styles.cell
    ws.append([cell(title, header_style) for title in titles])

    for row in plan.rows:
        rejected = row.status is RowStatus.REJECTED
        look = looks[rejected]
        plain = look["plain"]
        out: list[Any] = []
        for i in kept:
            value = row.cells[i] if i < len(row.cells) else None
            if i in text_columns:
                out.append(cell(_report_text(value), look["text"]))
            elif isinstance(value, date):
                out.append(cell(value.date() if isinstance(value, datetime) else value, look["date"]))
            else:
                if value == "":
                    value = None
                elif isinstance(value, float) and value.is_integer():
                    value = int(value)
                # Unstyled cells go in as plain values: openpyxl writes those much faster than cell objects.
                out.append(cell(value, plain) if rejected else value)
        out.append(cell(row.row_number, plain) if rejected else row.row_number)
        result = "可新增" if planned and row.status is RowStatus.ADD else row.status.label
        out.append(cell(result, plain) if rejected else result)
        out.append(cell(row.describe(), look["note"]))
        ws.append(out)

    out_path.parent.mkdir(parents=True, exist_ok=True)
    partial = out_path.with_name(out_path.name + ".part")
    try:
        wb.save(partial)
        partial.replace(out_path)
    finally:
        partial.unlink(missing_ok=True)
    return out_path
