"""People use cases (人员信息管理): check and add residents, change their details, households, groups, identity
categories, migrant workers' documents, and likely duplicates.

Each function is one use case in the caller's transaction: the caller passes a ``Session`` from
``Database.session()`` and that context commits when the block ends (or rolls everything back if it raises); the
functions here never commit. Every function checks everything before it writes anything, so a refusal
(:class:`~pensiondesk.services.people_types.ServiceError`, whose problems say in Chinese what is wrong and how to
fix it) leaves nothing half-written; every change writes its audit entry and sync outbox row through
:mod:`pensiondesk.services.recording` in the same transaction.

Validation lives in one place, :func:`check_person_input` (:func:`check_person_inputs` for a whole roster), used
by the form, the roster importer and the CLI alike. Errors block saving; warnings (a phone number in an odd
format, a likely duplicate) are shown and a person decides.

Likely duplicates (疑似重复登记) are decided by two rules:

* the same name and the same birth date, with different ID numbers;
* ID numbers whose first 17 characters differ in exactly one digit, or by two neighbouring digits swapped (the
  check character then differs too, so both numbers are valid), when the names are the same or sound alike (the
  same pinyin initials: 张伟/张玮). A near ID alone is not flagged: two real people born the same day in the same
  county often have sequence numbers one digit apart (012 and 014), and a township has thousands of such pairs.

Both are found without comparing everyone with everyone: by indexed name lookups, by the exact neighbouring
numbers of one ID (169 candidates, one ``IN`` query), or, for a whole village or a large roster, by bucketing
the numbers on "all but one block" keys so that only numbers sharing a bucket are compared.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import Enum, StrEnum
from functools import lru_cache
from operator import itemgetter
from typing import Any, Final, Literal, Protocol, TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pensiondesk.domain.codes import MigrantDocumentKind, PersonStatus, Relation, Sex
from pensiondesk.domain.households import suggest_member_relations
from pensiondesk.domain.idnumber import (
    InvalidIdNumber,
    ResidentId,
    agrees_with,
    check_character,
    normalize,
    parse,
)
from pensiondesk.domain.money import InvalidAmount, format_yuan, parse_yuan
from pensiondesk.domain.names import name_problem, pinyin_initials
from pensiondesk.domain.policy import (
    IdentityCategory,
    InvalidPolicyPack,
    PolicyLookupError,
    PolicyPack,
    parse_policy_pack,
)
from pensiondesk.resources import load_default_policy_pack
from pensiondesk.services.people_types import PersonInput, Problem, ServiceError, Severity
from pensiondesk.services.permissions import require_entry
from pensiondesk.services.recording import (
    Actor,
    BulkRecorder,
    RawInserter,
    UuidSource,
    record_change,
    snapshot,
)
from pensiondesk.store.models import (
    Household,
    KeyFieldChange,
    MigrantDocument,
    Person,
    PersonCategory,
    PolicyPackRecord,
    RelationCheck,
    Village,
    VillagerGroup,
    new_uuid,
    utcnow,
)

__all__ = [
    "KEEP",
    "Cancelled",
    "DuplicateKind",
    "DuplicatePair",
    "DuplicatePerson",
    "MissingMigrantDocuments",
    "add_category",
    "add_person",
    "add_persons",
    "category_proof_owed",
    "change_key_field",
    "check_person_input",
    "check_person_inputs",
    "complete_category",
    "create_group",
    "create_household",
    "end_category",
    "find_duplicates",
    "head_key",
    "how_similar",
    "mark_migrant_worker",
    "missing_migrant_documents",
    "move_to_household",
    "names_agree",
    "phone_problem",
    "policy_pack_in_force",
    "receive_migrant_document",
    "rename_group",
    "set_household_head",
    "set_relation",
    "update_general_fields",
]

#: Ids bound into one ``IN (…)``: well under SQLite's parameter limit.
_IN_CHUNK = 500
#: Rows written per step of the bulk path; progress is reported and cancellation checked between steps.
BULK_CHUNK = 1000
#: Up to this many IDs the exact-neighbour query is used for similar IDs; above it, bucketing over all IDs.
_NEIGHBOUR_QUERY_LIMIT = 100

NO_GROUP = "未分村民小组"

_GROUP_NAME_MAX = 64
_TEXT_LIMITS: Final = {
    "ethnicity": ("民族", 16),
    "hukou_address": ("户籍所在地", 200),
    "residence_address": ("居住地址", 200),
    "phone": ("联系电话", 32),
    "bank_card": ("银行卡号", 32),
}

_T = TypeVar("_T")


class Cancelled(Exception):
    """The coordinator cancelled a bulk operation; raised so that the caller's transaction rolls back whole."""

    def __init__(self, message: str = "已取消：本次导入没有写入任何数据") -> None:
        super().__init__(message)
        self.user_message = message


class _Keep(Enum):
    KEEP = "keep"


#: "Leave this field as it is" for :func:`update_general_fields` (``None`` clears a field).
KEEP: Final = _Keep.KEEP


# --- policy pack ------------------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _default_pack() -> PolicyPack:
    return load_default_policy_pack()


@lru_cache(maxsize=8)
def _stored_pack(pack_id: str, version: int, content: str) -> PolicyPack:
    return parse_policy_pack(content, source=f"策略包 {pack_id} 第{version}版")


def policy_pack_in_force(session: Session, on: date | None = None) -> PolicyPack:
    """The policy pack (政策参数包) in force on ``on`` (default today).

    The newest stored pack (county-issued or bundled, table ``policy_pack``) whose ``effective_from`` is not after
    the day, highest version first; the shipped national default when none is stored. A stored pack that no
    longer validates raises :class:`ServiceError` (the county must send a corrected one).
    """
    day = on or date.today()
    row = session.execute(
        select(PolicyPackRecord.pack_id, PolicyPackRecord.version, PolicyPackRecord.content)
        .where(PolicyPackRecord.effective_from <= day)
        .order_by(PolicyPackRecord.effective_from.desc(), PolicyPackRecord.version.desc())
        .limit(1)
    ).first()
    if row is None:
        return _default_pack()
    try:
        return _stored_pack(row.pack_id, row.version, row.content)
    except InvalidPolicyPack as error:
        raise ServiceError(f"当前使用的策略包无效，请联系县社保局重新下发：{error.message}") from None


# --- small helpers ----------------------------------------------------------------------------------------------


def _chunks(items: Sequence[_T], size: int = _IN_CHUNK) -> Iterator[Sequence[_T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _clean(text: str | None) -> str | None:
    """Strip; empty becomes ``None``."""
    if text is None:
        return None
    stripped = text.strip()
    return stripped or None


def _group_label(name: str | None) -> str:
    return name or NO_GROUP


def _describe(name: str, group_name: str | None, village_name: str | None = None) -> str:
    """张三（第一村民小组）, with the village in front when the person lives in another village."""
    return f"{name}（{village_name or ''}{_group_label(group_name)}）"


def head_key(group_name: str | None, head_name: str) -> str:
    """The key of a household head named in a roster, for ``pending_heads`` (户主: 小组 + 姓名)."""
    return f"{(group_name or '').strip()}\x1f{head_name.strip()}"


_MOBILE = re.compile(r"1[3-9]\d{9}")
_LANDLINE = re.compile(r"0\d{2,3}-?\d{7,8}(-\d{1,6})?")
_PHONE_FULL_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}


def phone_problem(phone: str | None) -> str | None:
    """Why ``phone`` does not look like a mainland number, in Chinese; ``None`` when it does (or is empty).

    A mobile number is 11 digits starting with 1 (``+86``/``86`` in front is accepted); a landline needs its
    area code (0371-12345678, (0371)12345678, 037112345678), optionally with an extension.
    """
    if (
        phone is not None
        and len(phone) == 11
        and phone[0] == "1"
        and phone[1] in "3456789"
        and phone.isascii()
        and phone.isdigit()
    ):
        return None  # a plain mobile number, most of a roster: nothing to clean
    text = _clean(phone)
    if text is None:
        return None
    compact = "".join(text.translate(_PHONE_FULL_WIDTH).split())
    compact = compact.replace("(", "").replace(")", "-").replace("—", "-")
    for prefix in ("+86", "0086"):
        if compact.startswith(prefix):
            compact = compact[len(prefix) :].lstrip("-")
    if compact.startswith("86") and len(compact) == 13:
        compact = compact[2:]
    if _MOBILE.fullmatch(compact.replace("-", "")) or _LANDLINE.fullmatch(compact):
        return None
    return (
        f"联系电话“{text}”格式不对：手机号应为 1 开头的 11 位数字，固定电话应带区号（例如 0371-12345678）；"
        "请核对后重新填写"
    )


def _bank_card_problem(card: str | None) -> str | None:
    text = _clean(card)
    if text is None:
        return None
    digits = "".join(text.split())
    if not digits.isascii() or not digits.isdigit() or not 12 <= len(digits) <= 23:
        return f"银行卡（折）号“{text}”不对：只能是 12–23 位数字；请照卡或存折上的号码填写"
    return None


def _tier_problem(tier_yuan: str | None, codes: Iterable[str], pack: PolicyPack) -> Problem | None:
    if _clean(tier_yuan) is None:
        return None
    assert tier_yuan is not None
    try:
        tier_fen = parse_yuan(tier_yuan)
    except InvalidAmount as error:
        return Problem("tier_yuan", f"缴费档次：{error.message}", Severity.ERROR, "tier")
    try:
        allowed = pack.tiers_for(codes)
    except PolicyLookupError:
        return None  # the unknown category is reported on its own
    if tier_fen not in allowed:
        shown = "、".join(format_yuan(t, grouping=False).removesuffix(".00") for t in allowed)
        return Problem(
            "tier_yuan",
            f"缴费档次 {format_yuan(tier_fen, grouping=False).removesuffix('.00')} 元不是可选的档次；可选：{shown} 元",
            Severity.ERROR,
            "tier",
        )
    return None


# --- similar ID numbers -----------------------------------------------------------------------------------------

_DIGITS = "0123456789"


def _neighbours(number: str) -> list[str]:
    """Every valid ID whose first 17 characters differ from ``number``'s by one digit or one adjacent swap."""
    body = number[:17]
    found: list[str] = []
    for i, ch in enumerate(body):
        for digit in _DIGITS:
            if digit != ch:
                other = body[:i] + digit + body[i + 1 :]
                found.append(other + check_character(other))
    for i in range(16):
        if body[i] != body[i + 1]:
            other = body[:i] + body[i + 1] + body[i] + body[i + 2 :]
            found.append(other + check_character(other))
    return found


def how_similar(a: str, b: str) -> str | None:
    """“只差一位数字” / “相邻两位数字颠倒” when the bodies of two IDs are that close, else ``None``."""
    if a == b:
        return None
    diffs = [i for i in range(17) if a[i] != b[i]]
    if len(diffs) == 1:
        return f"前 17 位只有第 {diffs[0] + 1} 位数字不同"  # the check character then differs too
    if len(diffs) == 2 and diffs[1] == diffs[0] + 1 and a[diffs[0]] == b[diffs[1]] and a[diffs[1]] == b[diffs[0]]:
        return f"第 {diffs[0] + 1}、{diffs[1] + 1} 位数字前后颠倒"
    return None


def names_agree(name_a: str, initials_a: str, name_b: str, initials_b: str) -> bool:
    """The same name, or names with the same pinyin initials (张伟/张玮: a character mistyped by sound).

    A similar ID alone says little: two real people born the same day in the same county often have sequence
    numbers one digit apart (012 and 014), so an ID one digit away is flagged only when the names agree too.
    """
    return name_a == name_b or (bool(initials_a) and initials_a == initials_b)


def _block_keys(number: str) -> tuple[str, ...]:
    """Bucket keys such that two IDs one digit or one adjacent swap apart share at least one key.

    The body is cut into address (1–6), year (7–10), month-day (11–14) and sequence (15–17); a one-digit change
    lies in one block, so "the body without that block" is equal for both. A swap inside a block is the same;
    a swap across a block border (6|7, 10|11, 14|15) leaves "the body without those two positions" equal.
    """
    b = number[:17]
    return (
        "a" + b[6:],
        "y" + b[:6] + b[10:],
        "m" + b[:10] + b[14:],
        "s" + b[:14],
        "1" + b[:5] + b[7:],
        "2" + b[:9] + b[11:],
        "3" + b[:13] + b[15:],
    )


def _similar_pairs(numbers: Mapping[str, str]) -> Iterator[tuple[str, str, str]]:
    """(a, b, how) for every pair of numbers one digit or one adjacent swap apart *within the same group*, once.

    ``numbers`` maps each ID number to its group — the pinyin initials of the person's name, since a near ID counts
    only when the names agree (:func:`names_agree`; the same name has the same initials). Each group is searched
    on its own: a group of one has no pair, a group of two is one comparison, a larger one is bucketed (only
    numbers sharing a bucket are compared). 100,000 residents are a fraction of a second.

    The pairs of one group come in the order of its numbers in ``numbers`` (bucket by bucket), so a number's
    pairs are always listed in the same order; pairs of different groups share no number.
    """
    groups: dict[str, list[str]] = defaultdict(list)
    for number, group in numbers.items():
        if len(number) == 18:
            groups[group].append(number)
    for members in groups.values():
        if len(members) == 2:
            a, b = members
            how = how_similar(a, b)
            if how is not None:
                yield (a, b, how) if a < b else (b, a, how)
        elif len(members) > 2:
            yield from _bucketed_pairs(members)


def _bucketed_pairs(members: Sequence[str]) -> Iterator[tuple[str, str, str]]:
    """The near pairs among ``members`` (one group), found by comparing only numbers that share a bucket."""
    buckets: dict[str, list[str]] = defaultdict(list)
    for number in members:
        for key in _block_keys(number):
            buckets[key].append(number)
    seen: set[tuple[str, str]] = set()
    for bucket in buckets.values():
        if len(bucket) < 2:
            continue
        for i, a in enumerate(bucket):
            for b in bucket[i + 1 :]:
                pair = (a, b) if a < b else (b, a)
                if pair in seen:
                    continue
                how = how_similar(a, b)
                if how is not None:
                    seen.add(pair)
                    yield pair[0], pair[1], how


# --- what the checks know about the database ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Known:
    """A person already in the database, as the checks describe them."""

    person_id: str
    name: str
    id_number: str
    birth_date: date
    group_name: str | None
    village_id: str
    village_name: str
    name_initials: str

    def describe(self, village_id: str) -> str:
        return _describe(self.name, self.group_name, None if self.village_id == village_id else self.village_name)


@dataclass(frozen=True, slots=True)
class _Head:
    """A household head already in the database."""

    person_id: str
    name: str
    id_number: str
    household_id: str
    group_id: str | None
    group_name: str | None


def _known_query() -> Any:
    return (
        select(
            Person.id,
            Person.name,
            Person.id_number,
            Person.birth_date,
            VillagerGroup.name.label("group_name"),
            Person.village_id,
            Village.name.label("village_name"),
            Person.name_initials,
        )
        .outerjoin(VillagerGroup, VillagerGroup.id == Person.group_id)
        .join(Village, Village.id == Person.village_id)
    )


def _known_rows(session: Session, condition: Any) -> list[_Known]:
    return [_Known(*row) for row in session.execute(_known_query().where(condition))]


def _head_query() -> Any:
    return (
        select(
            Person.id,
            Person.name,
            Person.id_number,
            Household.id.label("household_id"),
            Household.group_id,
            VillagerGroup.name.label("group_name"),
        )
        .join(Household, Household.head_person_id == Person.id)
        .outerjoin(VillagerGroup, VillagerGroup.id == Household.group_id)
    )


class _Lookups:
    """Everything the checks need from the database for a batch, fetched with a few set-based queries."""

    def __init__(self, session: Session, village_id: str) -> None:
        self.session = session
        self.village_id = village_id
        self.groups: dict[str, str] = {
            name: group_id
            for group_id, name in session.execute(
                select(VillagerGroup.id, VillagerGroup.name).where(VillagerGroup.village_id == village_id)
            )
        }
        self.by_number: dict[str, _Known] = {}
        self.by_name: dict[str, list[_Known]] = defaultdict(list)
        self.heads_by_number: dict[str, _Head] = {}
        self.heads_by_name: dict[str, list[_Head]] = defaultdict(list)
        self.person_numbers: dict[str, _Known] = {}  # id_number → person, for people found by a head number
        self.similar: dict[str, list[tuple[_Known, str]]] = defaultdict(list)

    def load(
        self,
        numbers: Mapping[str, str],
        names: Collection[str],
        head_numbers: Collection[str],
        head_names: Collection[str],
    ) -> None:
        session = self.session
        for chunk in _chunks(sorted(numbers)):
            for known in _known_rows(session, Person.id_number.in_(chunk)):
                self.by_number[known.id_number] = known
        for chunk in _chunks(sorted(names)):
            for known in _known_rows(session, Person.name.in_(chunk)):
                self.by_name[known.name].append(known)
        for chunk in _chunks(sorted(head_numbers)):
            for known in _known_rows(session, Person.id_number.in_(chunk)):
                self.person_numbers[known.id_number] = known
            for row in session.execute(_head_query().where(Person.id_number.in_(chunk))):
                self.heads_by_number[row.id_number] = _Head(*row)
        for chunk in _chunks(sorted(head_names)):
            query = _head_query().where(Person.name.in_(chunk), Person.village_id == self.village_id)
            for row in session.execute(query):
                self.heads_by_name[row.name].append(_Head(*row))
        self._load_similar(numbers)

    def _load_similar(self, numbers: Mapping[str, str]) -> None:
        """Registered IDs one digit or one swap away from ``numbers`` (number → pinyin initials of the name)."""
        matches: dict[str, list[tuple[str, str]]] = defaultdict(list)  # number → [(other number, how)]
        if len(numbers) <= _NEIGHBOUR_QUERY_LIMIT:
            wanted: dict[str, str] = {}
            for number in numbers:
                for other in _neighbours(number):
                    wanted.setdefault(other, number)
            present = [
                n
                for chunk in _chunks(sorted(wanted))
                for n in self.session.scalars(select(Person.id_number).where(Person.id_number.in_(chunk)))
            ]
            for other in present:
                for number in numbers:
                    how = how_similar(number, other)
                    if how is not None:
                        matches[number].append((other, how))
        else:
            stored = {
                number: name_initials
                for number, name_initials in self.session.execute(select(Person.id_number, Person.name_initials))
            }
            batch = set(numbers)
            merged = {**stored, **numbers}
            # Only pairs with a registered number count. A group (pinyin initials) holding no registered number
            # has no such pair, so its numbers are left out; every other group keeps all its numbers in the same
            # order, hence the same buckets and pairs in the same order. (Into an empty village: no work at all;
            # the pairs within the batch are the caller's, found on their own.)
            registered_groups = {merged[number] for number in stored}
            for a, b, how in _similar_pairs({n: group for n, group in merged.items() if group in registered_groups}):
                if a in batch and b in stored:
                    matches[a].append((b, how))
                if b in batch and a in stored:
                    matches[b].append((a, how))
        others = sorted({other for found in matches.values() for other, _ in found})
        known: dict[str, _Known] = {}
        for chunk in _chunks(others):
            for row in _known_rows(self.session, Person.id_number.in_(chunk)):
                known[row.id_number] = row
        for number, found in matches.items():
            self.similar[number] = [(known[other], how) for other, how in found if other in known]


# --- checking input -------------------------------------------------------------------------------------------


@dataclass
class _Prepared:
    """One input with what could be read from it."""

    index: int
    inp: PersonInput
    name: str
    rid: ResidentId | None
    group_name: str | None
    head_number: str | None
    head_name: str | None
    codes: list[str]
    problems: list[Problem] = field(default_factory=list)


class _PackAnswers:
    """The policy pack's answers for one batch, each distinct question asked once: a roster repeats the same few
    参保身份 codes and 缴费档次 on every row (the answers are the pack's, which does not change within a batch)."""

    def __init__(self, pack: PolicyPack) -> None:
        self.pack = pack
        self._categories: dict[str, Problem | None] = {}
        self._tiers: dict[tuple[str, tuple[str, ...]], Problem | None] = {}

    def category_problem(self, code: str) -> Problem | None:
        """The problem of a 参保身份 code the pack does not define (``None``: it does)."""
        try:
            return self._categories[code]
        except KeyError:
            pass
        problem: Problem | None = None
        try:
            self.pack.category(code)
        except PolicyLookupError:
            known = "、".join(f"{c.code} {c.name}" for c in self.pack.identity_categories)
            problem = Problem(
                "category_codes",
                f"参保身份代码“{code}”在当前策略包中没有定义；可用的代码：{known}",
                Severity.ERROR,
                "category",
            )
        self._categories[code] = problem
        return problem

    def tier_problem(self, tier_yuan: str | None, codes: list[str]) -> Problem | None:
        """:func:`_tier_problem` of the pack."""
        if tier_yuan is None:
            return None
        key = (tier_yuan, tuple(codes))
        try:
            return self._tiers[key]
        except KeyError:
            problem = self._tiers[key] = _tier_problem(tier_yuan, codes, self.pack)
            return problem


def _prepare(index: int, inp: PersonInput, today: date, answers: _PackAnswers) -> _Prepared:
    problems: list[Problem] = []
    name = inp.name.strip() if isinstance(inp.name, str) else ""
    bad_name = name_problem(name)
    if bad_name:
        problems.append(Problem("name", bad_name, Severity.ERROR, "name"))

    rid: ResidentId | None = None
    try:
        rid = parse(inp.id_number or "", today=today)
    except InvalidIdNumber as error:
        problems.append(Problem("id_number", error.message, Severity.ERROR, str(error.code)))
    if rid is not None:
        if rid.converted_from_15:
            problems.append(
                Problem(
                    "id_number",
                    f"15 位旧身份证号已转换为 18 位：{rid.number}；请与本人现在的身份证核对",
                    Severity.WARNING,
                    "converted_15",
                )
            )
        for message in agrees_with(rid, inp.birth_date, None):
            problems.append(Problem("birth_date", message, Severity.ERROR, "birth_date_mismatch"))
        for message in agrees_with(rid, None, inp.sex):
            problems.append(Problem("sex", message, Severity.ERROR, "sex_mismatch"))

    bad_phone = phone_problem(inp.phone)
    if bad_phone:
        problems.append(Problem("phone", bad_phone, Severity.WARNING, "phone"))
    bad_card = _bank_card_problem(inp.bank_card)
    if bad_card:
        problems.append(Problem("bank_card", bad_card, Severity.ERROR, "bank_card"))
    for field_name, (label, limit) in _TEXT_LIMITS.items():
        value = _clean(getattr(inp, field_name))
        if value is not None and len(value) > limit:
            problems.append(Problem(field_name, f"{label}太长（{len(value)} 个字，最多 {limit} 个）；请精简后重新填写"))

    codes: list[str] = []
    for raw in inp.category_codes:
        code = raw.strip()
        if not code or code in codes:
            continue
        bad_code = answers.category_problem(code)
        if bad_code is not None:
            problems.append(bad_code)
            continue
        codes.append(code)
    tier = answers.tier_problem(inp.tier_yuan, codes)
    if tier is not None:
        problems.append(tier)

    group_name = _clean(inp.group_name)
    if group_name is not None and len(group_name) > _GROUP_NAME_MAX:
        problems.append(Problem("group_name", f"村民小组名称太长（最多 {_GROUP_NAME_MAX} 个字）"))

    head_number: str | None = None
    raw_head_number = _clean(inp.household_head_id_number)
    if raw_head_number is not None:
        try:
            head_number = parse(raw_head_number, today=today).number
        except InvalidIdNumber as error:
            problems.append(
                Problem("household_head_id_number", f"户主身份证号有误：{error.message}", Severity.ERROR, "head_id")
            )
    return _Prepared(
        index=index,
        inp=inp,
        name=name,
        rid=rid,
        group_name=group_name,
        head_number=head_number,
        head_name=_clean(inp.household_head_name),
        codes=codes,
        problems=problems,
    )


class _Indexed(Protocol):
    index: int


_I = TypeVar("_I", bound=_Indexed)


def _nearest_before(candidates: Sequence[_I], index: int) -> _I | None:
    """The candidate head listed closest above row ``index`` (rosters list members right after their head)."""
    above = [c for c in candidates if c.index < index]
    return max(above, key=lambda c: c.index) if above else None


@dataclass
class _BatchHead:
    """A household head that the same batch creates."""

    index: int
    name: str
    number: str
    group_name: str | None


def _check_household(
    row: _Prepared,
    lookups: _Lookups,
    batch_heads_by_number: Mapping[str, _BatchHead],
    batch_heads_by_name: Mapping[str, list[_BatchHead]],
    pending_numbers: Collection[str],
    pending_keys: Collection[str],
) -> list[Problem]:
    """与户主关系 and 户主: who the head is, and that the head exists (or will, in this batch)."""
    problems: list[Problem] = []
    relation = row.inp.relation
    head_named = row.head_number is not None or row.head_name is not None
    if relation is None:
        if head_named:
            problems.append(
                Problem(
                    "relation", "填写了户主，请同时填写与户主关系（如 户主、配偶、子、女）", Severity.ERROR, "relation"
                )
            )
        return problems
    if relation is Relation.HEAD:
        if row.head_number is not None and row.rid is not None and row.head_number != row.rid.number:
            problems.append(
                Problem(
                    "household_head_id_number",
                    "与户主关系是“户主”，但户主身份证号不是本人的；请核对与户主关系或户主身份证号",
                    Severity.ERROR,
                    "head_mismatch",
                )
            )
        if row.head_name is not None and row.head_name != row.name:
            problems.append(
                Problem(
                    "household_head_name",
                    f"与户主关系是“户主”，但户主姓名填的是“{row.head_name}”；请核对与户主关系或户主姓名",
                    Severity.ERROR,
                    "head_mismatch",
                )
            )
        return problems
    if not head_named:
        problems.append(
            Problem(
                "household_head_name",
                f"与户主关系是“{relation.label}”，请填写户主姓名或户主身份证号，以便归入该户",
                Severity.ERROR,
                "head_missing",
            )
        )
        return problems

    if row.head_number is not None:
        if row.rid is not None and row.head_number == row.rid.number:
            problems.append(
                Problem(
                    "household_head_id_number",
                    f"户主身份证号就是本人的号码，但与户主关系填的是“{relation.label}”；请核对",
                    Severity.ERROR,
                    "head_mismatch",
                )
            )
            return problems
        head = lookups.heads_by_number.get(row.head_number)
        if head is not None:
            if row.head_name is not None and row.head_name != head.name:
                problems.append(
                    Problem(
                        "household_head_name",
                        f"户主姓名“{row.head_name}”与户主身份证号对应的“{head.name}”不一致；请核对",
                        Severity.WARNING,
                        "head_name_mismatch",
                    )
                )
            if row.group_name is not None and row.group_name != head.group_name:
                problems.append(
                    Problem(
                        "group_name",
                        f"户主{head.name}在{_group_label(head.group_name)}，本人填的是{row.group_name}；"
                        f"入户后按户主所在的{_group_label(head.group_name)}登记",
                        Severity.WARNING,
                        "group_mismatch",
                    )
                )
            return problems
        if row.head_number in batch_heads_by_number or row.head_number in pending_numbers:
            return problems
        person = lookups.person_numbers.get(row.head_number)
        if person is not None:
            problems.append(
                Problem(
                    "household_head_id_number",
                    f"身份证号 {row.head_number} 对应的{person.describe(lookups.village_id)}不是户主；"
                    "请核对户主身份证号，或先把他（她）设为户主",
                    Severity.ERROR,
                    "not_a_head",
                )
            )
        else:
            problems.append(
                Problem(
                    "household_head_id_number",
                    f"找不到身份证号为 {row.head_number} 的户主；请先登记户主，或把户主放在同一份名册里一起导入",
                    Severity.ERROR,
                    "head_not_found",
                )
            )
        return problems

    assert row.head_name is not None
    group_id = lookups.groups.get(row.group_name) if row.group_name is not None else None
    in_db = [
        head
        for head in lookups.heads_by_name.get(row.head_name, [])
        if row.group_name is None or (group_id is not None and head.group_id == group_id)
    ]
    in_batch = [
        head
        for head in batch_heads_by_name.get(row.head_name, [])
        if row.group_name is None or head.group_name == row.group_name
    ]
    if row.group_name is not None:
        pending = head_key(row.group_name, row.head_name) in pending_keys
    else:
        pending = any(key.endswith("\x1f" + row.head_name) for key in pending_keys)
    where = row.group_name or "本村"
    if _nearest_before(in_batch, row.index) is not None:
        return problems  # a roster lists a household's members after their head: the nearest head above wins
    count = len(in_db) + len(in_batch) + (1 if pending and not in_batch else 0)
    if count == 0:
        problems.append(
            Problem(
                "household_head_name",
                f"在{where}找不到名叫“{row.head_name}”的户主；请先登记户主，或填写户主身份证号，"
                "或把户主放在同一份名册里一起导入",
                Severity.ERROR,
                "head_not_found",
            )
        )
    elif count > 1:
        problems.append(
            Problem(
                "household_head_name",
                f"{where}有 {count} 位名叫“{row.head_name}”的户主，无法确定是哪一户；请填写户主身份证号",
                Severity.ERROR,
                "head_ambiguous",
            )
        )
    return problems


def check_person_inputs(
    session: Session,
    inputs: Sequence[PersonInput],
    *,
    village_id: str,
    today: date | None = None,
    existing_person_id: str | None = None,
    pending_heads: Collection[str] | None = None,
) -> list[list[Problem]]:
    """Check a whole roster at once (花名册校验): the problems of each input, in the order given.

    The same rules as :func:`check_person_input`, with the database read in a few set-based queries for the
    whole batch rather than per row, and with the batch checked against itself: the same ID twice is an error
    on the later row, the same name and birth date or a similar ID within the batch a warning, and a household
    head in the batch (relation 户主) counts as existing for the rows that name him.
    """
    day = today or date.today()
    pack = policy_pack_in_force(session, day)
    pending = pending_heads or ()
    pending_numbers = {normalize(p) for p in pending if "\x1f" not in p}
    pending_keys = {p for p in pending if "\x1f" in p}
    answers = _PackAnswers(pack)
    rows = [_prepare(i, inp, day, answers) for i, inp in enumerate(inputs)]

    initials: dict[str, str] = {}

    def initials_of(name: str) -> str:
        if name not in initials:
            initials[name] = pinyin_initials(name)
        return initials[name]

    lookups = _Lookups(session, village_id)
    lookups.load(
        {row.rid.number: initials_of(row.name) for row in rows if row.rid is not None},
        {row.name for row in rows if row.name},
        {row.head_number for row in rows if row.head_number is not None},
        {row.head_name for row in rows if row.head_name is not None},
    )

    heads_by_number: dict[str, _BatchHead] = {}
    heads_by_name: dict[str, list[_BatchHead]] = defaultdict(list)
    first_by_number: dict[str, _Prepared] = {}
    first_by_name_birth: dict[tuple[str, date], _Prepared] = {}
    for row in rows:
        if row.rid is None:
            continue
        first = first_by_number.setdefault(row.rid.number, row)
        if row.inp.relation is Relation.HEAD and first is row:
            head = _BatchHead(row.index, row.name, row.rid.number, row.group_name)
            heads_by_number[row.rid.number] = head
            heads_by_name[row.name].append(head)
    batch_similar: dict[int, list[tuple[_Prepared, str]]] = defaultdict(list)
    if len(first_by_number) > 1:
        for a, b, how in _similar_pairs({n: initials_of(row.name) for n, row in first_by_number.items()}):
            row_a, row_b = first_by_number[a], first_by_number[b]
            if names_agree(row_a.name, initials_of(row_a.name), row_b.name, initials_of(row_b.name)):
                later, earlier = (row_a, row_b) if row_a.index > row_b.index else (row_b, row_a)
                batch_similar[later.index].append((earlier, how))

    results: list[list[Problem]] = []
    for row in rows:
        problems = list(row.problems)
        if row.rid is not None:
            number = row.rid.number
            birth = row.rid.birth_date
            known = lookups.by_number.get(number)
            first = first_by_number[number]
            if known is not None and known.person_id != existing_person_id:
                problems.append(
                    Problem(
                        "id_number",
                        f"该身份证号已登记：{known.describe(village_id)}；同一人不能重复登记，"
                        "如需修改请在人员信息中更正",
                        Severity.ERROR,
                        "duplicate_id",
                    )
                )
            elif first is not row:
                problems.append(
                    Problem(
                        "id_number",
                        f"与本次录入的第 {first.index + 1} 条（{first.name}）身份证号相同；同一人只能登记一次",
                        Severity.ERROR,
                        "duplicate_id",
                    )
                )
            # One hint per likely duplicate: a person also one digit away is told by the similar-ID hint below.
            for other in lookups.by_name.get(row.name, []):
                if (
                    other.birth_date == birth
                    and other.id_number != number
                    and other.person_id != existing_person_id
                    and not any(near.id_number == other.id_number for near, _ in lookups.similar.get(number, ()))
                ):
                    problems.append(
                        Problem(
                            "name",
                            f"疑似重复登记：已登记的{other.describe(village_id)}（身份证号 {other.id_number}）"
                            "与本人姓名、出生日期都相同；请核对是否同一人",
                            Severity.WARNING,
                            "possible_duplicate",
                        )
                    )
            earlier = first_by_name_birth.setdefault((row.name, birth), row)
            if (
                earlier is not row
                and earlier.rid is not None
                and earlier.rid.number != number
                and not (first is row and any(near is earlier for near, _ in batch_similar.get(row.index, ())))
            ):
                problems.append(
                    Problem(
                        "name",
                        f"疑似重复登记：与本次录入的第 {earlier.index + 1} 条姓名、出生日期都相同；请核对是否同一人",
                        Severity.WARNING,
                        "possible_duplicate",
                    )
                )
            for other, how in lookups.similar.get(number, []):
                if other.person_id == existing_person_id or not names_agree(
                    row.name, initials_of(row.name), other.name, other.name_initials
                ):
                    continue
                problems.append(
                    Problem(
                        "id_number",
                        f"疑似重复登记：身份证号与已登记的{other.describe(village_id)}的 {other.id_number} {how}，"
                        "姓名也相同或读音相近；请核对是否同一人、是否录错了号码",
                        Severity.WARNING,
                        "similar_id",
                    )
                )
            if first is row:
                for earlier_row, how in batch_similar.get(row.index, []):
                    problems.append(
                        Problem(
                            "id_number",
                            f"疑似重复登记：身份证号与本次录入的第 {earlier_row.index + 1} 条"
                            f"（{earlier_row.name}）{how}，姓名也相同或读音相近；请核对是否同一人、是否录错了号码",
                            Severity.WARNING,
                            "similar_id",
                        )
                    )
        problems.extend(_check_household(row, lookups, heads_by_number, heads_by_name, pending_numbers, pending_keys))
        if (
            row.group_name is not None
            and lookups.groups
            and row.group_name not in lookups.groups
            and not any(p.code == "group_mismatch" for p in problems)
        ):
            problems.append(
                Problem(
                    "group_name",
                    f"本村还没有“{row.group_name}”，保存时将新建这个村民小组；如果是笔误，请改成已有的小组名称",
                    Severity.WARNING,
                    "new_group",
                )
            )
        results.append(problems)
    return results


def check_person_input(
    session: Session,
    inp: PersonInput,
    *,
    village_id: str,
    today: date | None = None,
    existing_person_id: str | None = None,
    pending_heads: Collection[str] | None = None,
) -> list[Problem]:
    """Every check on one person before saving (人员信息校验), for the form, the importer and the CLI.

    Errors (block saving): 姓名 (empty, digits, symbols); 公民身份号码 (as ``idnumber.parse`` explains it); birth
    date or sex that disagree with the ID; an unknown 参保身份 code; a 缴费档次 that is not a tier of the pack (for
    the person's categories); a bank card that is not 12–23 digits; texts too long; a relation missing while a
    head is named, a head missing while a relation other than 户主 is given, a head who cannot be found (in the
    database, in ``pending_heads``) or is ambiguous; the same ID already registered, naming that person:
    “该身份证号已登记：张三（第一村民小组）”.

    Warnings (a person decides): a phone in an odd format; a 15-digit ID converted; likely duplicates (the same
    name and birth date, or an ID one digit / one adjacent swap apart from a registered one); a group name the
    village does not have yet (it will be created); a head in another group.

    ``existing_person_id``: the person being edited, left out of the duplicate checks. ``pending_heads``: heads
    that the same import will create, each as its ID number and/or ``head_key(group_name, name)``.
    """
    return check_person_inputs(
        session,
        [inp],
        village_id=village_id,
        today=today,
        existing_person_id=existing_person_id,
        pending_heads=pending_heads,
    )[0]


def _errors(problems: Iterable[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity is Severity.ERROR]


# --- adding people ----------------------------------------------------------------------------------------------


def _require_village(session: Session, village_id: str) -> Village:
    village = session.get(Village, village_id)
    if village is None:
        raise ServiceError("找不到要登记的行政村；请先在设置中选择本村，或同步县里下发的村信息")
    return village


def _next_group_order(session: Session, village_id: str) -> int:
    current = session.scalar(select(func.max(VillagerGroup.sort_order)).where(VillagerGroup.village_id == village_id))
    return (current or 0) + 1


def _get_or_create_group(session: Session, actor: Actor, village_id: str, name: str) -> VillagerGroup:
    group = session.scalar(
        select(VillagerGroup).where(VillagerGroup.village_id == village_id, VillagerGroup.name == name)
    )
    if group is not None:
        return group
    group = VillagerGroup(
        id=new_uuid(),
        village_id=village_id,
        name=name,
        sort_order=_next_group_order(session, village_id),
        created_by=actor.username,
        updated_by=actor.username,
    )
    session.add(group)
    session.flush()
    record_change(
        session,
        actor=actor,
        action="create_group",
        entity_type="villager_group",
        entity_id=group.id,
        before=None,
        after=snapshot(group),
    )
    return group


def _resolve_head(session: Session, village_id: str, prepared: _Prepared, group_id: str | None) -> Household:
    """The household a non-head member joins (the check has made sure there is exactly one)."""
    query = (
        select(Household).join(Person, Household.head_person_id == Person.id).where(Household.village_id == village_id)
    )
    if prepared.head_number is not None:
        query = query.where(Person.id_number == prepared.head_number)
    else:
        query = query.where(Person.name == prepared.head_name)
        if prepared.group_name is not None:
            query = query.where(Household.group_id == group_id)
    households = session.scalars(query).all()
    if len(households) != 1:
        raise ServiceError([Problem("household_head_name", "找不到要加入的户；请核对户主姓名或户主身份证号")])
    return households[0]


def add_person(
    session: Session, actor: Actor, inp: PersonInput, *, village_id: str, today: date | None = None
) -> Person:
    """Register one resident in the village (新增人员), from the form or the CLI.

    Refuses with :class:`ServiceError` (carrying the error problems of :func:`check_person_input`) when anything
    blocks saving; warnings do not block (the form shows them first). Creates the villager group if the village
    does not have it yet; relation 户主 starts a household with this person as head, any other relation joins
    the head's household (found by 户主身份证号, or 户主姓名 within the group). Sex and birth date come from the
    ID. Identity categories become :class:`PersonCategory` rows. Every created record (group, household, person,
    categories) gets its audit entry and outbox row. The 缴费档次 is not stored on the person: it belongs to the
    registration (``registration.register``) and the contribution.
    """
    require_entry(actor, "新增人员")
    day = today or date.today()
    _require_village(session, village_id)
    problems = check_person_input(session, inp, village_id=village_id, today=day)
    errors = _errors(problems)
    if errors:
        raise ServiceError(errors)
    pack = policy_pack_in_force(session, day)
    prepared = _prepare(0, inp, day, _PackAnswers(pack))
    rid = prepared.rid
    assert rid is not None

    household: Household | None = None
    group: VillagerGroup | None = None
    if inp.relation is not None and inp.relation is not Relation.HEAD:
        group_id = None
        if prepared.group_name is not None:
            group = session.scalar(
                select(VillagerGroup).where(
                    VillagerGroup.village_id == village_id, VillagerGroup.name == prepared.group_name
                )
            )
            group_id = group.id if group is not None else None
        household = _resolve_head(session, village_id, prepared, group_id)
        group = session.get(VillagerGroup, household.group_id) if household.group_id else group
    if group is None and prepared.group_name is not None:
        group = _get_or_create_group(session, actor, village_id, prepared.group_name)

    person_id = new_uuid()
    if inp.relation is Relation.HEAD:
        household = Household(
            id=new_uuid(),
            village_id=village_id,
            group_id=group.id if group else None,
            address=_clean(inp.hukou_address),
            head_person_id=None,
            created_by=actor.username,
            updated_by=actor.username,
        )
        session.add(household)
        session.flush()

    person = Person(
        id=person_id,
        village_id=village_id,
        group_id=group.id if group else None,
        household_id=household.id if household else None,
        relation=inp.relation,
        name=prepared.name,
        name_initials=pinyin_initials(prepared.name),
        id_number=rid.number,
        id_number_rev=rid.number[::-1],
        sex=rid.sex,
        birth_date=rid.birth_date,
        ethnicity=_clean(inp.ethnicity),
        hukou_address=_clean(inp.hukou_address),
        residence_address=_clean(inp.residence_address),
        phone=_clean(inp.phone),
        status=PersonStatus.NOT_ENROLLED,
        local_hukou=inp.local_hukou,
        is_student=inp.is_student,
        has_employee_pension=inp.has_employee_pension,
        has_other_state_pension=inp.has_other_state_pension,
        is_public_staff=inp.is_public_staff,
        is_migrant_worker=inp.is_migrant_worker,
        bank_card=_clean(inp.bank_card),
        notes=_clean(inp.notes),
        version=1,
        created_by=actor.username,
        updated_by=actor.username,
    )
    session.add(person)
    session.flush()
    if inp.relation is Relation.HEAD and household is not None:
        household.head_person_id = person.id
        session.flush()
        record_change(
            session,
            actor=actor,
            action="create_household",
            entity_type="household",
            entity_id=household.id,
            before=None,
            after=snapshot(household),
        )
    record_change(
        session,
        actor=actor,
        action="add_person",
        entity_type="person",
        entity_id=person.id,
        before=None,
        after=snapshot(person),
    )
    for code in pack.special_codes(prepared.codes):  # 普通 is having none (PolicyPack.ordinary_code)
        category = PersonCategory(
            id=new_uuid(),
            person_id=person.id,
            category_code=code,
            created_by=actor.username,
            updated_by=actor.username,
        )
        session.add(category)
        session.flush()
        record_change(
            session,
            actor=actor,
            action="add_category",
            entity_type="person_category",
            entity_id=category.id,
            before=None,
            after=snapshot(category),
        )
    return person


# Columns written by the bulk path: every column of the model, so that each audit ``after`` is the full snapshot.
_GROUP_COLUMNS: Final = tuple(attr.key for attr in VillagerGroup.__mapper__.column_attrs)
_HOUSEHOLD_COLUMNS: Final = tuple(attr.key for attr in Household.__mapper__.column_attrs)
_PERSON_COLUMNS: Final = tuple(attr.key for attr in Person.__mapper__.column_attrs)
_CATEGORY_COLUMNS: Final = tuple(attr.key for attr in PersonCategory.__mapper__.column_attrs)


@dataclass
class _BulkRow:
    """One input of the bulk path, resolved."""

    index: int
    inp: PersonInput
    name: str
    rid: ResidentId
    person_id: str
    group_id: str | None
    household_id: str | None = None
    creates_household: bool = False
    codes: list[str] = field(default_factory=list)


def add_persons(
    session: Session,
    actor: Actor,
    inputs: Sequence[PersonInput],
    *,
    village_id: str,
    today: date | None = None,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> list[str]:
    """Add many residents at once (批量导入花名册): the roster importer's path, up to 50,000 rows.

    Assumes every input passed :func:`check_person_input` / :func:`check_person_inputs`; re-checks only what is
    cheap and would otherwise break the database: the ID numbers (valid, unique in the batch and in the
    database), the category codes, and that every named household head can be found. If any of those fails,
    :class:`ServiceError` lists the rows (“第 N 条”) and nothing is written.

    Groups and households are resolved in memory (heads in the batch first, then the database), rows are written
    with Core bulk inserts in steps of :data:`BULK_CHUNK`, and every created record (group, household, person,
    category) gets its audit entry and outbox row, the hash chain computed in order. ``progress(done, total)`` is
    called after each step; when ``cancelled()`` returns true, :class:`Cancelled` is raised so the caller's
    transaction rolls back and nothing is kept. Returns the new person ids in input order.
    """
    require_entry(actor, "新增或导入人员")
    day = today or date.today()
    total = len(inputs)
    _require_village(session, village_id)
    pack = policy_pack_in_force(session, day)
    ordinary = pack.ordinary_code

    make_id = UuidSource()

    def check_cancel() -> None:
        if cancelled is not None and cancelled():
            raise Cancelled()

    # 1. Validate and resolve everything in memory; nothing is written yet.
    problems: list[str] = []
    rows: list[_BulkRow] = []
    seen: dict[str, int] = {}
    group_names: set[str] = set()
    for index, inp in enumerate(inputs):
        if index % BULK_CHUNK == 0:
            check_cancel()
        try:
            rid = parse(inp.id_number, today=day)  # a plain number is checked in a microsecond (its short path)
        except InvalidIdNumber as error:
            problems.append(f"第 {index + 1} 条（{inp.name}）：{error.message}")
            continue
        if rid.number in seen:
            problems.append(f"第 {index + 1} 条（{inp.name}）：与第 {seen[rid.number] + 1} 条身份证号相同")
            continue
        seen[rid.number] = index
        codes: list[str] = []
        for raw in inp.category_codes:
            code = raw.strip()
            if code and code not in codes and code != ordinary:  # 普通 is having none: not stored
                try:
                    pack.category(code)
                except PolicyLookupError:
                    problems.append(f"第 {index + 1} 条（{inp.name}）：参保身份代码“{code}”在当前策略包中没有定义")
                codes.append(code)
        group_name = _clean(inp.group_name)
        if group_name is not None:
            group_names.add(group_name)
        rows.append(_BulkRow(index, inp, inp.name.strip(), rid, make_id(), None, codes=codes))

    by_number = {row.rid.number: row for row in rows}
    for chunk in _chunks(sorted(by_number)):
        for known in _known_rows(session, Person.id_number.in_(chunk)):
            row = by_number[known.id_number]
            problems.append(f"第 {row.index + 1} 条（{row.name}）：该身份证号已登记：{known.describe(village_id)}")

    groups = {
        name: group_id
        for group_id, name in session.execute(
            select(VillagerGroup.id, VillagerGroup.name).where(VillagerGroup.village_id == village_id)
        )
    }
    new_groups = sorted(name for name in group_names if name not in groups)
    for name in new_groups:
        groups[name] = make_id()
    for row in rows:
        group_name = _clean(row.inp.group_name)
        row.group_id = groups[group_name] if group_name is not None else None

    # Heads in the batch start households; members join a batch head, else a head in the database.
    batch_by_number: dict[str, _BulkRow] = {}
    batch_by_name: dict[str, list[_BulkRow]] = defaultdict(list)
    for row in rows:
        if row.inp.relation is Relation.HEAD:
            row.creates_household = True
            row.household_id = make_id()
            batch_by_number[row.rid.number] = row
            batch_by_name[row.name].append(row)
    members = [row for row in rows if row.inp.relation not in (None, Relation.HEAD)]
    head_numbers: dict[int, str] = {}
    for row in members:
        raw_head = _clean(row.inp.household_head_id_number)
        if raw_head is not None:
            try:
                head_numbers[row.index] = parse(raw_head, today=day).number
            except InvalidIdNumber as error:
                problems.append(f"第 {row.index + 1} 条（{row.name}）：户主身份证号有误：{error.message}")
    db_numbers = sorted({n for n in head_numbers.values() if n not in batch_by_number})
    db_names = sorted(
        {
            head_name
            for row in members
            if row.index not in head_numbers and (head_name := _clean(row.inp.household_head_name)) is not None
        }
    )
    lookups = _Lookups(session, village_id)
    lookups.load({}, (), db_numbers, db_names)
    for row in members:
        head_group_id: str | None
        if row.index in head_numbers:
            number = head_numbers[row.index]
            batch_head = batch_by_number.get(number)
            db_head = lookups.heads_by_number.get(number)
            if batch_head is not None:
                row.household_id, head_group_id = batch_head.household_id, batch_head.group_id
            elif db_head is not None:
                row.household_id, head_group_id = db_head.household_id, db_head.group_id
            else:
                problems.append(f"第 {row.index + 1} 条（{row.name}）：找不到身份证号为 {number} 的户主")
                continue
        else:
            head_name = _clean(row.inp.household_head_name)
            if head_name is None:
                problems.append(f"第 {row.index + 1} 条（{row.name}）：缺少户主姓名或户主身份证号")
                continue
            has_group = _clean(row.inp.group_name) is not None
            batch_found = [
                head for head in batch_by_name.get(head_name, []) if not has_group or head.group_id == row.group_id
            ]
            nearest = _nearest_before(batch_found, row.index)
            found = [(head.household_id, head.group_id) for head in batch_found] + [
                (head.household_id, head.group_id)
                for head in lookups.heads_by_name.get(head_name, [])
                if not has_group or head.group_id == row.group_id
            ]
            if nearest is not None:
                found = [(nearest.household_id, nearest.group_id)]
            if len(found) != 1:
                where = _clean(row.inp.group_name) or "本村"
                problems.append(
                    f"第 {row.index + 1} 条（{row.name}）：在{where}"
                    + ("找不到" if not found else f"有 {len(found)} 位")
                    + f"名叫“{head_name}”的户主"
                )
                continue
            row.household_id, head_group_id = found[0]
        if head_group_id is not None:
            row.group_id = head_group_id
    if problems:
        raise ServiceError([Problem("", message) for message in problems])

    # 2. Write: groups and households first (heads are set at the end), then people in steps.
    check_cancel()
    now = utcnow()
    who = actor.username
    recorder = BulkRecorder(session, actor, at=now)
    new_id = recorder.new_id
    insert_group = RawInserter(session, VillagerGroup, _GROUP_COLUMNS)
    insert_household = RawInserter(session, Household, _HOUSEHOLD_COLUMNS)
    insert_person = RawInserter(session, Person, _PERSON_COLUMNS)
    insert_category = RawInserter(session, PersonCategory, _CATEGORY_COLUMNS)
    # The stamps as JSON (audit, outbox) and as stored (rows): every row of one import carries the same moment.
    stamps_json = {"created_at": now.isoformat(), "updated_at": now.isoformat(), "created_by": who, "updated_by": who}
    now_stored = insert_person.stored("created_at", now)
    stamps_stored = {"created_at": now_stored, "updated_at": now_stored, "created_by": who, "updated_by": who}
    if insert_person.stored("birth_date", date(2001, 2, 3)) != "2001-02-03":
        raise RuntimeError("SQLAlchemy stores dates differently than this bulk path assumes (ISO text)")

    # A row's values in column order with the stamps in their stored form: one merged dict read by an itemgetter.
    getters = {
        columns: itemgetter(*columns)
        for columns in (_GROUP_COLUMNS, _HOUSEHOLD_COLUMNS, _PERSON_COLUMNS, _CATEGORY_COLUMNS)
    }

    def stored_row(after: dict[str, Any], columns: tuple[str, ...]) -> tuple[Any, ...]:
        return tuple(getters[columns](after | stamps_stored))

    order = _next_group_order(session, village_id)
    group_rows = []
    for offset, name in enumerate(new_groups):
        group_after = {"id": groups[name], "village_id": village_id, "name": name, "sort_order": order + offset}
        group_after.update(stamps_json)
        recorder.created("villager_group", groups[name], group_after, action="create_group")
        group_rows.append(stored_row(group_after, _GROUP_COLUMNS))
    insert_group(group_rows)

    household_after: dict[str, dict[str, Any]] = {}
    for row in rows:
        if row.creates_household:
            assert row.household_id is not None
            household_after[row.household_id] = {
                "id": row.household_id,
                "village_id": village_id,
                "group_id": row.group_id,
                "number": None,
                "address": _clean(row.inp.hukou_address),
                "head_person_id": row.person_id,
                "version": 1,
                **stamps_json,
            }
    # Inserted without their heads (the people do not exist yet); the heads are set once the people are in.
    for household_chunk in _chunks(list(household_after.values()), BULK_CHUNK * 5):
        insert_household([stored_row({**h, "head_person_id": None}, _HOUSEHOLD_COLUMNS) for h in household_chunk])

    initials: dict[str, str] = {}
    done = 0
    for step in _chunks(rows, BULK_CHUNK):
        check_cancel()
        person_rows: list[tuple[Any, ...]] = []
        category_rows: list[tuple[Any, ...]] = []
        for row in step:
            inp, rid = row.inp, row.rid
            name_initials = initials.get(row.name)
            if name_initials is None:
                name_initials = initials[row.name] = pinyin_initials(row.name)
            after = {
                "id": row.person_id,
                "village_id": village_id,
                "group_id": row.group_id,
                "household_id": row.household_id,
                "relation": inp.relation.value if inp.relation is not None else None,
                "name": row.name,
                "name_initials": name_initials,
                "id_number": rid.number,
                "id_number_rev": rid.number[::-1],
                "sex": rid.sex.value,
                "birth_date": rid.birth_date.isoformat(),
                "ethnicity": _clean(inp.ethnicity),
                "hukou_address": _clean(inp.hukou_address),
                "residence_address": _clean(inp.residence_address),
                "phone": _clean(inp.phone),
                "status": PersonStatus.NOT_ENROLLED.value,
                "status_reason": None,
                "status_since": None,
                "local_hukou": bool(inp.local_hukou),
                "is_student": bool(inp.is_student),
                "has_employee_pension": bool(inp.has_employee_pension),
                "has_other_state_pension": bool(inp.has_other_state_pension),
                "is_public_staff": bool(inp.is_public_staff),
                "is_migrant_worker": bool(inp.is_migrant_worker),
                "bank_card": _clean(inp.bank_card),
                "notes": _clean(inp.notes),
                "version": 1,
                **stamps_json,
            }
            if row.creates_household:
                assert row.household_id is not None
                recorder.created(
                    "household", row.household_id, household_after[row.household_id], action="create_household"
                )
            recorder.created("person", row.person_id, after, action="add_person")
            person_rows.append(stored_row(after, _PERSON_COLUMNS))
            for code in row.codes:
                category_id = new_id()
                category_after = {
                    "id": category_id,
                    "person_id": row.person_id,
                    "category_code": code,
                    "proof_ref": None,
                    "valid_from": None,
                    "valid_to": None,
                    **stamps_json,
                }
                recorder.created("person_category", category_id, category_after, action="add_category")
                category_rows.append(stored_row(category_after, _CATEGORY_COLUMNS))
        insert_person(person_rows)
        insert_category(category_rows)
        recorder.write()
        done += len(step)
        if progress is not None:
            progress(done, total)
    recorder.write()
    heads = [(row.person_id, now_stored, row.household_id) for row in rows if row.creates_household]
    if heads:
        session.connection().exec_driver_sql(
            "UPDATE household SET head_person_id = ?, updated_at = ? WHERE id = ?", heads
        )
    if progress is not None and total == 0:
        progress(0, 0)
    return [row.person_id for row in rows]


# --- changing a person ------------------------------------------------------------------------------------------


def _get_person(session: Session, person_id: str) -> Person:
    person = session.get(Person, person_id)
    if person is None:
        raise ServiceError("找不到这个人员，可能已被删除；请刷新列表后重试")
    return person


def _check_version(person: Person, base_version: int | None) -> None:
    if base_version is not None and base_version != person.version:
        raise ServiceError(
            f"{person.name}的信息在您打开之后已被修改（版本 {base_version} → {person.version}）；请关闭后重新打开再修改"
        )


def _save_person(
    session: Session, actor: Actor, person: Person, before: dict[str, Any], *, action: str, reason: str | None = None
) -> None:
    """Bump the version, stamp who, and record the update (base version: the version it was changed from)."""
    old_version = person.version
    person.version = old_version + 1
    person.updated_by = actor.username
    person.updated_at = utcnow()
    session.flush()
    record_change(
        session,
        actor=actor,
        action=action,
        entity_type="person",
        entity_id=person.id,
        before=before,
        after=snapshot(person),
        reason=reason,
        base_version=old_version,
    )


def update_general_fields(
    session: Session,
    actor: Actor,
    person_id: str,
    *,
    ethnicity: str | _Keep | None = KEEP,
    hukou_address: str | _Keep | None = KEEP,
    residence_address: str | _Keep | None = KEEP,
    phone: str | _Keep | None = KEEP,
    bank_card: str | _Keep | None = KEEP,
    notes: str | _Keep | None = KEEP,
    local_hukou: bool | _Keep = KEEP,
    is_student: bool | _Keep = KEEP,
    has_employee_pension: bool | _Keep = KEEP,
    has_other_state_pension: bool | _Keep = KEEP,
    is_public_staff: bool | _Keep = KEEP,
    is_migrant_worker: bool | _Keep = KEEP,
    base_version: int | None = None,
) -> Person:
    """Change general fields (一般信息变更: 民族, 住址, 电话, 银行卡, 备注 and the eligibility flags), domain.md §14.

    General fields change directly, without reason or evidence, but audited; the person's ``version`` goes up by
    one. Arguments left as :data:`KEEP` are not touched; ``None`` clears a text field. ``base_version`` (the
    version the form loaded) refuses the change if someone changed the person since. A bank card must be 12–23
    digits; an odd phone number is accepted (the form warns with :func:`phone_problem`). No change, no entry.
    """
    require_entry(actor, "修改人员信息")
    person = _get_person(session, person_id)
    _check_version(person, base_version)
    texts = {
        "ethnicity": ethnicity,
        "hukou_address": hukou_address,
        "residence_address": residence_address,
        "phone": phone,
        "bank_card": bank_card,
        "notes": notes,
    }
    flags = {
        "local_hukou": local_hukou,
        "is_student": is_student,
        "has_employee_pension": has_employee_pension,
        "has_other_state_pension": has_other_state_pension,
        "is_public_staff": is_public_staff,
        "is_migrant_worker": is_migrant_worker,
    }
    problems: list[Problem] = []
    changes: dict[str, Any] = {}
    for key, text_value in texts.items():
        if isinstance(text_value, _Keep):
            continue
        cleaned = _clean(text_value)
        limit = _TEXT_LIMITS.get(key)
        if limit is not None and cleaned is not None and len(cleaned) > limit[1]:
            problems.append(Problem(key, f"{limit[0]}太长（最多 {limit[1]} 个字）；请精简后重新填写"))
        if key == "bank_card":
            bad_card = _bank_card_problem(cleaned)
            if bad_card:
                problems.append(Problem(key, bad_card))
        if cleaned != getattr(person, key):
            changes[key] = cleaned
    for key, flag_value in flags.items():
        if isinstance(flag_value, _Keep):
            continue
        if bool(flag_value) != getattr(person, key):
            changes[key] = bool(flag_value)
    if problems:
        raise ServiceError(problems)
    if not changes:
        return person
    before = snapshot(person)
    for key, value in changes.items():
        setattr(person, key, value)
    _save_person(session, actor, person, before, action="update_general_fields")
    return person


KeyField = Literal["name", "id_number", "birth_date", "sex"]
_KEY_FIELD_LABELS: Final = {"name": "姓名", "id_number": "公民身份号码", "birth_date": "出生日期", "sex": "性别"}


def _as_sex(value: object) -> Sex | None:
    if isinstance(value, Sex):
        return value
    text = str(value).strip()
    return {"1": Sex.MALE, "男": Sex.MALE, "2": Sex.FEMALE, "女": Sex.FEMALE}.get(text)


def _as_date(value: object) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        return None


def _text(value: object) -> str:
    if isinstance(value, Sex):
        return value.label
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def change_key_field(
    session: Session,
    actor: Actor,
    person_id: str,
    field: KeyField,
    new_value: str | date | Sex,
    *,
    reason: str,
    evidence_ref: str,
    today: date | None = None,
    base_version: int | None = None,
) -> Person:
    """Correct a key field (关键信息变更: 姓名, 公民身份号码, 出生日期, 性别), domain.md §14.

    Needs a reason and an evidence reference (the new form plus the amended ID document, e.g. its number in the
    village archive). Writes a :class:`KeyFieldChange` (before/after, who, when) per changed field, and the
    audited person update. The ID's birth date and sex must agree with the record afterwards: a new ID number
    re-derives them (a change of each is recorded too); a birth date or sex alone must agree with the ID, or the
    change is refused with the advice to correct the ID first. An ID that belongs to someone else is refused.
    """
    require_entry(actor, "修改关键信息")
    day = today or date.today()
    person = _get_person(session, person_id)
    _check_version(person, base_version)
    problems: list[Problem] = []
    reason_text = _clean(reason)
    evidence_text = _clean(evidence_ref)
    label = _KEY_FIELD_LABELS.get(field)
    if label is None:
        raise ServiceError(f"“{field}”不是关键信息；关键信息只有姓名、公民身份号码、出生日期、性别")
    if reason_text is None:
        problems.append(Problem("reason", f"修改{label}必须填写变更原因", Severity.ERROR, "reason_required"))
    if evidence_text is None:
        problems.append(
            Problem(
                "evidence_ref",
                f"修改{label}必须登记证明材料（新的登记表和更正后的身份证件）的编号",
                Severity.ERROR,
                "evidence_required",
            )
        )
    changes: dict[str, Any] = {}
    if field == "name":
        new_name = str(new_value).strip()
        bad = name_problem(new_name)
        if bad:
            problems.append(Problem("name", bad))
        elif new_name == person.name:
            problems.append(Problem("name", "新姓名与原姓名相同，不需要修改"))
        else:
            changes = {"name": new_name, "name_initials": pinyin_initials(new_name)}
    elif field == "id_number":
        try:
            rid = parse(str(new_value), today=day)
        except InvalidIdNumber as error:
            problems.append(Problem("id_number", error.message, Severity.ERROR, str(error.code)))
        else:
            if rid.number == person.id_number:
                problems.append(Problem("id_number", "新身份证号与原号码相同，不需要修改"))
            else:
                other = _known_rows(session, Person.id_number == rid.number)
                if other:
                    problems.append(
                        Problem(
                            "id_number",
                            f"该身份证号已登记：{other[0].describe(person.village_id)}；不能改成别人的号码",
                            Severity.ERROR,
                            "duplicate_id",
                        )
                    )
                else:
                    changes = {
                        "id_number": rid.number,
                        "id_number_rev": rid.number[::-1],
                        "birth_date": rid.birth_date,
                        "sex": rid.sex,
                    }
    else:
        current = _fast_or_none(person.id_number, day)
        if field == "birth_date":
            new_birth = _as_date(new_value)
            if new_birth is None:
                problems.append(Problem("birth_date", f"“{new_value}”不是日期；请按 年-月-日 填写，例如 1966-07-15"))
            elif new_birth == person.birth_date:
                problems.append(Problem("birth_date", "新出生日期与原来相同，不需要修改"))
            elif current is not None and current.birth_date != new_birth:
                problems.append(
                    Problem(
                        "birth_date",
                        f"出生日期必须与身份证号一致：身份证号显示 {current.birth_date.isoformat()}。"
                        "如果出生日期确实有误，请先更正身份证号（出生日期会随之更正）",
                        Severity.ERROR,
                        "birth_date_mismatch",
                    )
                )
            else:
                changes = {"birth_date": new_birth}
        else:
            new_sex = _as_sex(new_value)
            if new_sex is None:
                problems.append(Problem("sex", f"“{new_value}”不是性别；请选择 男 或 女"))
            elif new_sex == person.sex:
                problems.append(Problem("sex", "新性别与原来相同，不需要修改"))
            elif current is not None and current.sex != new_sex:
                problems.append(
                    Problem(
                        "sex",
                        f"性别必须与身份证号一致：身份证号显示 {current.sex.label}。"
                        "如果性别确实有误，请先更正身份证号（性别会随之更正）",
                        Severity.ERROR,
                        "sex_mismatch",
                    )
                )
            else:
                changes = {"sex": new_sex}
    if problems:
        raise ServiceError(problems)
    assert reason_text is not None and evidence_text is not None

    before = snapshot(person)
    records: list[KeyFieldChange] = []
    for key in ("name", "id_number", "birth_date", "sex"):
        if key in changes and changes[key] != getattr(person, key):
            records.append(
                KeyFieldChange(
                    id=new_uuid(),
                    person_id=person.id,
                    field=key,
                    before=_text(getattr(person, key)),
                    after=_text(changes[key]),
                    reason=reason_text,
                    evidence_ref=evidence_text,
                    changed_at=utcnow(),
                    changed_by=actor.username,
                )
            )
    for key, value in changes.items():
        setattr(person, key, value)
    session.add_all(records)
    _save_person(
        session,
        actor,
        person,
        before,
        action=f"change_{field}",
        reason=f"{reason_text}（证明材料：{evidence_text}）",
    )
    for record in records:
        record_change(
            session,
            actor=actor,
            action="key_field_change",
            entity_type="key_field_change",
            entity_id=record.id,
            before=None,
            after=snapshot(record),
            reason=reason_text,
        )
    return person


def _fast_or_none(number: str, day: date) -> ResidentId | None:
    try:
        return parse(number, today=max(day, date.today()))
    except InvalidIdNumber:
        return None


# --- households and groups ----------------------------------------------------------------------------------------


def _get_household(session: Session, household_id: str) -> Household:
    household = session.get(Household, household_id)
    if household is None:
        raise ServiceError("找不到这一户，可能已被删除；请刷新后重试")
    return household


def _members(session: Session, household_id: str) -> list[Person]:
    return list(session.scalars(select(Person).where(Person.household_id == household_id).order_by(Person.name)))


def _record_household(
    session: Session, actor: Actor, household: Household, before: dict[str, Any] | None, action: str
) -> None:
    if before is not None:
        old_version = household.version
        household.version = old_version + 1
    else:
        old_version = None
    household.updated_by = actor.username
    household.updated_at = utcnow()
    session.flush()
    record_change(
        session,
        actor=actor,
        action=action,
        entity_type="household",
        entity_id=household.id,
        before=before,
        after=snapshot(household),
        base_version=old_version,
    )


def _leaving_check(session: Session, person: Person) -> Household | None:
    """The person's current household if they may leave it; refused for a head who still has members."""
    if person.household_id is None:
        return None
    old = _get_household(session, person.household_id)
    if old.head_person_id == person.id:
        others = [m for m in _members(session, old.id) if m.id != person.id]
        if others:
            raise ServiceError(
                f"{person.name}是原户的户主，户内还有 {len(others)} 人（{others[0].name} 等）；"
                "请先为原户指定新户主，再办理迁出"
            )
    return old


def _unmark_relation(session: Session, actor: Actor, person_id: str, *, action: str) -> bool:
    """Delete the person's 待核对 mark, if there is one, with its audit entry (village working data: no outbox
    row); True when there was one."""
    mark = session.get(RelationCheck, person_id)
    if mark is None:
        return False
    before = snapshot(mark)
    session.delete(mark)
    session.flush()
    record_change(
        session,
        actor=actor,
        action=action,
        entity_type="relation_check",
        entity_id=person_id,
        before=before,
        after=None,
        sync=False,
    )
    return True


def _mark_relation(
    session: Session, actor: Actor, member: Person, old_head_id: str | None, suggestion: Relation | None
) -> None:
    """Mark ``member``'s relation 待核对 after a head change (stated against ``old_head_id``), with ``suggestion``.

    A member already marked still carries the relation to the head before that one: the mark keeps that head
    and loses its suggestion (worked out against a head the relation never referred to).
    """
    mark = session.get(RelationCheck, member.id)
    if mark is None:
        mark = RelationCheck(
            person_id=member.id,
            old_head_person_id=old_head_id,
            suggested_relation=suggestion,
            created_by=actor.username,
            updated_by=actor.username,
        )
        session.add(mark)
        before = None
    else:
        before = snapshot(mark)
        mark.suggested_relation = None
        mark.updated_by = actor.username
        mark.updated_at = utcnow()
    session.flush()
    record_change(
        session,
        actor=actor,
        action="mark_relation_check",
        entity_type="relation_check",
        entity_id=member.id,
        before=before,
        after=snapshot(mark),
        sync=False,
    )


def _leave(session: Session, actor: Actor, person: Person, old: Household | None) -> None:
    """Leaving a household: a 待核对 mark goes (the relation is given anew for the new household); a head leaving
    a household with nobody else in it leaves it without a head (the household keeps its record)."""
    if old is not None:
        _unmark_relation(session, actor, person.id, action="relation_check_left")
    if old is not None and old.head_person_id == person.id:
        before = snapshot(old)
        old.head_person_id = None
        _record_household(session, actor, old, before, "household_emptied")


def create_household(
    session: Session,
    actor: Actor,
    head_person_id: str,
    *,
    number: str | None = None,
    address: str | None = None,
) -> Household:
    """Start a new household (立户) with this person as 户主, in the person's villager group.

    The person leaves their current household; a head whose household still has other members is refused (name
    a new head there first). ``number`` is the 户号 on the 户口簿.
    """
    require_entry(actor, "调整家庭户")
    person = _get_person(session, head_person_id)
    old = _leaving_check(session, person)
    household = Household(
        id=new_uuid(),
        village_id=person.village_id,
        group_id=person.group_id,
        number=_clean(number),
        address=_clean(address) or person.hukou_address,
        head_person_id=None,
        created_by=actor.username,
        updated_by=actor.username,
    )
    session.add(household)
    session.flush()
    _leave(session, actor, person, old)
    before = snapshot(person)
    person.household_id = household.id
    person.relation = Relation.HEAD
    session.flush()
    household.head_person_id = person.id
    _record_household(session, actor, household, None, "create_household")
    _save_person(session, actor, person, before, action="create_household")
    return household


def move_to_household(session: Session, actor: Actor, person_id: str, household_id: str, relation: Relation) -> Person:
    """Move a person into another household (迁入他户) with their relation to its head (与户主关系).

    The relation cannot be 户主 (use :func:`set_household_head`). The person takes the household's villager
    group. A head whose old household still has members is refused; a head alone in the old household leaves it
    without a head.
    """
    require_entry(actor, "调整家庭户")
    person = _get_person(session, person_id)
    household = _get_household(session, household_id)
    if relation is Relation.HEAD:
        raise ServiceError("迁入他户时与户主关系不能是“户主”；要更换户主，请使用“设为户主”")
    if person.household_id == household.id:
        raise ServiceError(f"{person.name}已经在这一户里；要修改与户主关系，请在“家庭”中选中他（她）后点“改关系”")
    if household.village_id != person.village_id:
        raise ServiceError("不能迁入其他村的户；跨村迁移请办理户籍迁移手续")
    old = _leaving_check(session, person)
    _leave(session, actor, person, old)
    before = snapshot(person)
    person.household_id = household.id
    person.relation = relation
    person.group_id = household.group_id
    _save_person(session, actor, person, before, action="move_to_household")
    return person


def set_household_head(
    session: Session,
    actor: Actor,
    household_id: str,
    new_head_person_id: str,
    *,
    old_head_relation: Relation,
    relations: Mapping[str, Relation] | None = None,
) -> Household:
    """Make a member the new 户主 (变更户主); the old head gets ``old_head_relation`` (e.g. 父母 or 配偶).

    ``relations`` may give the other members' new relations to the new head (person id → relation). Members not
    listed keep theirs, still stated against the old head: each is marked 待核对 (``relation_check``) with the
    relation :func:`~pensiondesk.domain.households.suggest_member_relations` suggests where the old relations tell
    it, until a person confirms or changes it (:func:`set_relation`) or the member leaves. A member whose mark
    refers to the head that is now head again (a head change undone) needs no check any more: the mark goes.
    """
    require_entry(actor, "调整家庭户")
    household = _get_household(session, household_id)
    person = _get_person(session, new_head_person_id)
    if person.household_id != household.id:
        raise ServiceError(f"{person.name}不在这一户里；请先把他（她）迁入本户，再设为户主")
    if household.head_person_id == person.id:
        raise ServiceError(f"{person.name}已经是本户户主")
    if old_head_relation is Relation.HEAD:
        raise ServiceError("原户主的新关系不能还是“户主”；请选择原户主与新户主的关系，例如 父母、配偶")
    extra = dict(relations or {})
    members = {m.id: m for m in _members(session, household.id)}
    for member_id, relation in extra.items():
        if member_id not in members:
            raise ServiceError("要修改关系的人不在这一户里；请刷新后重试")
        if relation is Relation.HEAD:
            raise ServiceError("一户只能有一位户主；其他成员的关系不能是“户主”")
    old_head_id = household.head_person_id
    old_head = members.get(old_head_id) if old_head_id else None
    marks = {
        mark.person_id: mark
        for mark in session.scalars(select(RelationCheck).where(RelationCheck.person_id.in_(list(members))))
    }
    # The new head's relation tells the others' only when it was to the old head (not itself still 待核对).
    new_head_was = person.relation if person.id not in marks else None
    unchecked = [m for m in members.values() if m.id not in extra and m.id not in (person.id, old_head_id)]
    suggestions = dict(
        zip(
            [m.id for m in unchecked],
            suggest_member_relations(new_head_was, [(m.relation, m.sex) for m in unchecked]),
            strict=True,
        )
    )
    before_household = snapshot(household)
    if old_head is not None:
        before = snapshot(old_head)
        old_head.relation = extra.pop(old_head.id, old_head_relation)
        _save_person(session, actor, old_head, before, action="set_household_head")
    before = snapshot(person)
    person.relation = Relation.HEAD
    extra.pop(person.id, None)
    _save_person(session, actor, person, before, action="set_household_head")
    for member_id, relation in extra.items():
        member = members[member_id]
        if member.relation != relation:
            before = snapshot(member)
            member.relation = relation
            _save_person(session, actor, member, before, action="set_household_head")
    household.head_person_id = person.id
    _record_household(session, actor, household, before_household, "set_household_head")
    for member_id, mark in marks.items():
        if member_id not in suggestions or mark.old_head_person_id == person.id:
            _unmark_relation(session, actor, member_id, action="relation_check_settled")
    for member in unchecked:
        earlier = marks.get(member.id)
        if earlier is None:
            _mark_relation(session, actor, member, old_head_id, suggestions[member.id])
        elif earlier.old_head_person_id != person.id:
            _mark_relation(session, actor, member, earlier.old_head_person_id, None)
    return household


def set_relation(
    session: Session, actor: Actor, person_id: str, relation: Relation, *, base_version: int | None = None
) -> Person:
    """Change a member's relation to the household head (与户主关系变更), e.g. after 变更户主.

    Only a member who is not the head: the head's relation is 户主 and changes only through
    :func:`set_household_head`, and nobody else can become 户主 here. Audited like the other person updates; the
    person's ``version`` goes up by one and ``base_version`` (the version the caller showed) refuses the change if
    someone changed the person since. The same relation again changes nothing in the person's record.

    Either way the relation is now confirmed against the current head: a 待核对 mark left by a head change is
    deleted (its own audit entry, ``confirm_relation``; not sent to the county).
    """
    require_entry(actor, "调整家庭户")
    person = _get_person(session, person_id)
    _check_version(person, base_version)
    if person.household_id is None:
        raise ServiceError(f"{person.name}还没有归入任何一户；请先在“家庭”中单独立户或迁入他户")
    household = _get_household(session, person.household_id)
    if household.head_person_id == person.id:
        raise ServiceError(f"{person.name}是本户户主，与户主关系就是“户主”；要更换户主，请选中新户主后点“设为户主”")
    if relation is Relation.HEAD:
        raise ServiceError(f"一户只能有一位户主；要让{person.name}当户主，请选中他（她）后点“设为户主”")
    _unmark_relation(session, actor, person.id, action="confirm_relation")
    if person.relation == relation:
        return person
    before = snapshot(person)
    person.relation = relation
    _save_person(session, actor, person, before, action="set_relation")
    return person


def _check_group_name(session: Session, village_id: str, name: str, *, except_id: str | None = None) -> str:
    cleaned = _clean(name)
    if cleaned is None:
        raise ServiceError([Problem("name", "村民小组名称不能为空")])
    if len(cleaned) > _GROUP_NAME_MAX:
        raise ServiceError([Problem("name", f"村民小组名称太长（最多 {_GROUP_NAME_MAX} 个字）")])
    clash = session.scalar(
        select(VillagerGroup.id).where(VillagerGroup.village_id == village_id, VillagerGroup.name == cleaned)
    )
    if clash is not None and clash != except_id:
        raise ServiceError([Problem("name", f"本村已有“{cleaned}”，小组名称不能重复")])
    return cleaned


def create_group(session: Session, actor: Actor, village_id: str, name: str) -> VillagerGroup:
    """Add a villager group (新增村民小组/自然村); names are unique within the village."""
    require_entry(actor, "调整村民小组")
    _require_village(session, village_id)
    cleaned = _check_group_name(session, village_id, name)
    return _get_or_create_group(session, actor, village_id, cleaned)


def rename_group(session: Session, actor: Actor, group_id: str, new_name: str) -> VillagerGroup:
    """Rename a villager group (村民小组更名); the new name must not be taken in the village."""
    require_entry(actor, "调整村民小组")
    group = session.get(VillagerGroup, group_id)
    if group is None:
        raise ServiceError("找不到这个村民小组；请刷新后重试")
    cleaned = _check_group_name(session, group.village_id, new_name, except_id=group.id)
    if cleaned == group.name:
        return group
    before = snapshot(group)
    group.name = cleaned
    group.updated_by = actor.username
    group.updated_at = utcnow()
    session.flush()
    record_change(
        session,
        actor=actor,
        action="rename_group",
        entity_type="villager_group",
        entity_id=group.id,
        before=before,
        after=snapshot(group),
    )
    return group


# --- identity categories ----------------------------------------------------------------------------------------


def _category_period_problems(
    category: IdentityCategory, proof: str | None, valid_from: date | None, valid_to: date | None
) -> list[Problem]:
    """What :func:`add_category` and :func:`complete_category` both refuse: a hardship category without its proof
    reference, a validity that ends before it starts."""
    problems: list[Problem] = []
    if category.hardship and proof is None:
        problems.append(Problem("proof_ref", f"“{category.name}”属于困难群体，需要政府代缴，必须登记证明材料编号"))
    if valid_from is not None and valid_to is not None and valid_to < valid_from:
        problems.append(Problem("valid_to", "有效期截止日期不能早于开始日期"))
    return problems


def _overlaps_held(
    session: Session,
    person_id: str,
    code: str,
    valid_from: date | None,
    valid_to: date | None,
    *,
    other_than: str | None = None,
) -> bool:
    """Whether the person holds ``code`` for a period overlapping ``valid_from``–``valid_to`` (open ends: for
    ever), leaving out the record ``other_than``."""
    start, end = valid_from or date.min, valid_to or date.max
    query = select(PersonCategory).where(PersonCategory.person_id == person_id, PersonCategory.category_code == code)
    if other_than is not None:
        query = query.where(PersonCategory.id != other_than)
    return any(
        (held.valid_from or date.min) <= end and start <= (held.valid_to or date.max)
        for held in session.scalars(query)
    )


def add_category(
    session: Session,
    actor: Actor,
    person_id: str,
    code: str,
    proof_ref: str | None,
    valid_from: date | None,
    valid_to: date | None = None,
) -> PersonCategory:
    """Give a person an identity category (参保身份, e.g. 061 低保) with its proof and validity.

    The code must be defined in the policy pack in force and not be 普通 (having no category is 普通); a hardship
    category (困难群体, government pays part of the contribution) needs a proof reference (证明材料编号). The same
    category may not overlap in time.
    """
    require_entry(actor, "登记参保身份")
    person = _get_person(session, person_id)
    pack = policy_pack_in_force(session, valid_from)
    code = code.strip()
    try:
        category = pack.category(code)
    except PolicyLookupError:
        known = "、".join(f"{c.code} {c.name}" for c in pack.identity_categories)
        raise ServiceError(
            [Problem("category_code", f"参保身份代码“{code}”在当前策略包中没有定义；可用：{known}")]
        ) from None
    if code == pack.ordinary_code:
        raise ServiceError(
            [
                Problem(
                    "category_code",
                    f"“{category.name}”是没有其他参保身份时的默认身份，不需要登记；"
                    "要取消某个身份，请结束那个身份",
                )
            ]
        )
    proof = _clean(proof_ref)
    problems = _category_period_problems(category, proof, valid_from, valid_to)
    if _overlaps_held(session, person.id, code, valid_from, valid_to):
        problems.append(
            Problem(
                "category_code",
                f"{person.name}已有“{category.name}”身份（有效期与本次重叠）；如需更新，请先结束原身份",
            )
        )
    if problems:
        raise ServiceError(problems)
    record = PersonCategory(
        id=new_uuid(),
        person_id=person.id,
        category_code=code,
        proof_ref=proof,
        valid_from=valid_from,
        valid_to=valid_to,
        created_by=actor.username,
        updated_by=actor.username,
    )
    session.add(record)
    session.flush()
    record_change(
        session,
        actor=actor,
        action="add_category",
        entity_type="person_category",
        entity_id=record.id,
        before=None,
        after=snapshot(record),
    )
    return record


def end_category(session: Session, actor: Actor, category_id: str, valid_to: date) -> PersonCategory:
    """End an identity category on ``valid_to`` (参保身份到期/取消), e.g. when 低保 stops."""
    require_entry(actor, "调整参保身份")
    record = session.get(PersonCategory, category_id)
    if record is None:
        raise ServiceError("找不到这条参保身份记录；请刷新后重试")
    if record.valid_to is not None:
        raise ServiceError(f"这条参保身份已于 {record.valid_to.isoformat()} 结束，不能再次结束")
    if record.valid_from is not None and valid_to < record.valid_from:
        raise ServiceError([Problem("valid_to", f"结束日期不能早于开始日期 {record.valid_from.isoformat()}")])
    before = snapshot(record)
    record.valid_to = valid_to
    record.updated_by = actor.username
    record.updated_at = utcnow()
    session.flush()
    record_change(
        session,
        actor=actor,
        action="end_category",
        entity_type="person_category",
        entity_id=record.id,
        before=before,
        after=snapshot(record),
    )
    return record


def complete_category(
    session: Session,
    actor: Actor,
    category_id: str,
    proof_ref: str | None,
    valid_from: date | None,
    valid_to: date | None = None,
) -> PersonCategory:
    """补登证明材料: give a category the person holds its proof reference (证明材料编号) and validity.

    For a category entered without them — a roster has no column for the proof, so an imported 061 低保 arrives
    without one (``category_proof_owed``). The same rules as :func:`add_category`: a hardship category needs the
    proof reference, the end not before the start, and no overlap with another period of the same category.
    """
    require_entry(actor, "登记参保身份")
    record = session.get(PersonCategory, category_id)
    if record is None:
        raise ServiceError("找不到这条参保身份记录；请刷新后重试")
    pack = policy_pack_in_force(session, valid_from)
    try:
        category = pack.category(record.category_code)
    except PolicyLookupError as error:
        raise ServiceError(error.message) from None
    proof = _clean(proof_ref)
    problems = _category_period_problems(category, proof, valid_from, valid_to)
    if _overlaps_held(session, record.person_id, record.category_code, valid_from, valid_to, other_than=record.id):
        problems.append(Problem("valid_from", f"有效期与这个人另一段“{category.name}”身份重叠；请核对日期"))
    if problems:
        raise ServiceError(problems)
    before = snapshot(record)
    record.proof_ref = proof
    record.valid_from = valid_from
    record.valid_to = valid_to
    record.updated_by = actor.username
    record.updated_at = utcnow()
    session.flush()
    record_change(
        session,
        actor=actor,
        action="complete_category",
        entity_type="person_category",
        entity_id=record.id,
        before=before,
        after=snapshot(record),
    )
    return record


def category_proof_owed(pack: PolicyPack, code: str, proof_ref: str | None) -> bool:
    """True when a category held with ``proof_ref`` still owes its proof: a hardship group (困难群体) without one."""
    try:
        return pack.category(code).hardship and not (proof_ref or "").strip()
    except PolicyLookupError:
        return False


# --- migrant workers ----------------------------------------------------------------------------------------------

MIGRANT_DOCUMENT_KINDS: Final = (
    MigrantDocumentKind.POWER_OF_ATTORNEY,
    MigrantDocumentKind.COMMITMENT,
    MigrantDocumentKind.NO_OTHER_PENSION,
)


def mark_migrant_worker(
    session: Session, actor: Actor, person_id: str, year: int, deadline: date | None = None
) -> list[MigrantDocument]:
    """Mark a person as a migrant worker (外出务工) for ``year`` and list the documents they owe.

    Creates the three documents — 委托书, 承诺书, 未在他处参保证明 — due by ``deadline`` or the policy pack's
    deadline of the year (e.g. 31 October); documents already listed for the year are kept, and a year whose
    three documents all exist is refused. Sets the person's migrant-worker flag if it was not set.
    """
    require_entry(actor, "登记外出务工人员")
    person = _get_person(session, person_id)
    pack = policy_pack_in_force(session, date(year, 12, 31))
    due = deadline or pack.migrant_documents_deadline_in(year)
    existing = set(
        session.scalars(
            select(MigrantDocument.kind).where(MigrantDocument.person_id == person.id, MigrantDocument.year == year)
        )
    )
    missing = [kind for kind in MIGRANT_DOCUMENT_KINDS if kind not in existing]
    if not missing:
        raise ServiceError(f"{person.name}的 {year} 年外出务工材料已经登记过了")
    if not person.is_migrant_worker:
        before = snapshot(person)
        person.is_migrant_worker = True
        _save_person(session, actor, person, before, action="mark_migrant_worker")
    documents: list[MigrantDocument] = []
    for kind in missing:
        document = MigrantDocument(
            id=new_uuid(),
            person_id=person.id,
            kind=kind,
            year=year,
            due_date=due,
            created_by=actor.username,
            updated_by=actor.username,
        )
        session.add(document)
        session.flush()
        record_change(
            session,
            actor=actor,
            action="add_migrant_document",
            entity_type="migrant_document",
            entity_id=document.id,
            before=None,
            after=snapshot(document),
        )
        documents.append(document)
    return documents


def receive_migrant_document(
    session: Session,
    actor: Actor,
    document_id: str,
    *,
    received_on: date,
    note: str | None = None,
    today: date | None = None,
) -> MigrantDocument:
    """Record that a migrant worker's document arrived (材料已收到); a date in the future is refused."""
    require_entry(actor, "登记外出务工材料")
    document = session.get(MigrantDocument, document_id)
    if document is None:
        raise ServiceError("找不到这份材料记录；请刷新后重试")
    if document.received_on is not None:
        raise ServiceError(f"这份{document.kind.label}已于 {document.received_on.isoformat()} 登记收到")
    if received_on > (today or date.today()):
        raise ServiceError([Problem("received_on", "收到日期不能晚于今天")])
    before = snapshot(document)
    document.received_on = received_on
    document.note = _clean(note)
    document.updated_by = actor.username
    document.updated_at = utcnow()
    session.flush()
    record_change(
        session,
        actor=actor,
        action="receive_migrant_document",
        entity_type="migrant_document",
        entity_id=document.id,
        before=before,
        after=snapshot(document),
    )
    return document


@dataclass(frozen=True, slots=True)
class MissingMigrantDocuments:
    """A migrant worker with documents still owed for a year (外出务工材料缺交); ``overdue`` once past due."""

    person_id: str
    name: str
    id_number: str
    group_name: str | None
    phone: str | None
    missing: list[MigrantDocumentKind]
    document_ids: list[str]
    due_date: date
    overdue: bool

    @property
    def missing_labels(self) -> str:
        """委托书、承诺书 …"""
        return "、".join(kind.label for kind in self.missing)


def missing_migrant_documents(
    session: Session, year: int, today: date, *, village_id: str | None = None
) -> list[MissingMigrantDocuments]:
    """Migrant workers who still owe documents for ``year`` (缺交材料名单), by group and name; overdue flagged."""
    query = (
        select(
            MigrantDocument.id,
            MigrantDocument.kind,
            MigrantDocument.due_date,
            Person.id.label("person_id"),
            Person.name,
            Person.id_number,
            Person.phone,
            VillagerGroup.name.label("group_name"),
            VillagerGroup.sort_order,
        )
        .join(Person, Person.id == MigrantDocument.person_id)
        .outerjoin(VillagerGroup, VillagerGroup.id == Person.group_id)
        .where(MigrantDocument.year == year, MigrantDocument.received_on.is_(None))
        .order_by(VillagerGroup.sort_order, Person.name, Person.id_number)
    )
    if village_id is not None:
        query = query.where(Person.village_id == village_id)
    by_person: dict[str, dict[str, Any]] = {}
    for row in session.execute(query):
        entry = by_person.setdefault(
            row.person_id,
            {
                "row": row,
                "kinds": [],
                "ids": [],
                "due": row.due_date,
            },
        )
        entry["kinds"].append(row.kind)
        entry["ids"].append(row.id)
        entry["due"] = min(entry["due"], row.due_date)
    result: list[MissingMigrantDocuments] = []
    for person_id, entry in by_person.items():
        row = entry["row"]
        kinds = sorted(entry["kinds"], key=MIGRANT_DOCUMENT_KINDS.index)
        result.append(
            MissingMigrantDocuments(
                person_id=person_id,
                name=row.name,
                id_number=row.id_number,
                group_name=row.group_name,
                phone=row.phone,
                missing=kinds,
                document_ids=entry["ids"],
                due_date=entry["due"],
                overdue=today > entry["due"],
            )
        )
    return result


# --- likely duplicates across the village -------------------------------------------------------------------------


class DuplicateKind(StrEnum):
    """Why two records look like the same person (疑似重复)."""

    SAME_NAME_AND_BIRTH = "same_name_and_birth"  # 姓名、出生日期相同
    SIMILAR_ID = "similar_id"  # 身份证号只差一位或相邻两位颠倒


@dataclass(frozen=True, slots=True)
class DuplicatePerson:
    """One side of a likely duplicate."""

    person_id: str
    name: str
    id_number: str
    birth_date: date
    group_name: str | None
    status: PersonStatus


@dataclass(frozen=True, slots=True)
class DuplicatePair:
    """Two records that may be the same person, for a person to decide (疑似重复登记)."""

    kind: DuplicateKind
    first: DuplicatePerson
    second: DuplicatePerson
    reason: str


def find_duplicates(session: Session, village_id: str) -> list[DuplicatePair]:
    """Likely duplicates in the village (疑似重复登记排查), each pair once, for a person to decide.

    * same name and birth date — found by ``GROUP BY name, birth_date HAVING count(*) > 1`` in SQL;
    * ID numbers one digit or one adjacent swap apart — the numbers are bucketed on "all but one block" keys
      (see ``_block_keys``) and only numbers sharing a bucket are compared, so 100,000 persons take a fraction
      of a second instead of 5·10⁹ comparisons.

    A pair that is both is listed once, as a similar ID whose reason says the name and birth date agree too.
    """
    groups = (
        select(Person.name, Person.birth_date)
        .where(Person.village_id == village_id)
        .group_by(Person.name, Person.birth_date)
        .having(func.count() > 1)
    )
    same: list[tuple[str, date]] = [(row.name, row.birth_date) for row in session.execute(groups)]
    wanted_names = sorted({name for name, _ in same})
    same_keys = set(same)
    people: dict[str, DuplicatePerson] = {}
    by_key: dict[tuple[str, date], list[DuplicatePerson]] = defaultdict(list)

    def person_query() -> Any:
        return (
            select(
                Person.id,
                Person.name,
                Person.id_number,
                Person.birth_date,
                VillagerGroup.name.label("group_name"),
                Person.status,
            )
            .outerjoin(VillagerGroup, VillagerGroup.id == Person.group_id)
            .where(Person.village_id == village_id)
        )

    for chunk in _chunks(wanted_names):
        for row in session.execute(person_query().where(Person.name.in_(chunk))):
            if (row.name, row.birth_date) in same_keys:
                person = DuplicatePerson(*row)
                people[person.person_id] = person
                by_key[(row.name, row.birth_date)].append(person)
    pairs: list[DuplicatePair] = []
    for (name, birth), members in by_key.items():
        members.sort(key=lambda p: p.id_number)
        for i, first in enumerate(members):
            for second in members[i + 1 :]:
                pairs.append(
                    DuplicatePair(
                        DuplicateKind.SAME_NAME_AND_BIRTH,
                        first,
                        second,
                        f"姓名（{name}）和出生日期（{birth.isoformat()}）都相同，身份证号不同",
                    )
                )

    numbers: dict[str, tuple[str, str, str]] = {
        row.id_number: (row.id, row.name, row.name_initials)
        for row in session.execute(
            select(Person.id_number, Person.id, Person.name, Person.name_initials).where(
                Person.village_id == village_id
            )
        )
    }
    similar = [
        (a, b, how)
        for a, b, how in _similar_pairs({number: found[2] for number, found in numbers.items()})
        if names_agree(numbers[a][1], numbers[a][2], numbers[b][1], numbers[b][2])
    ]
    need = sorted({numbers[n][0] for a, b, _ in similar for n in (a, b)} - people.keys())
    for chunk in _chunks(need):
        for row in session.execute(person_query().where(Person.id.in_(chunk))):
            people[row.id] = DuplicatePerson(*row)
    # A pair flagged both ways is listed once (QA: it was listed twice), as a similar ID: that says how the
    # numbers differ, and the reason says the name and birth date agree too.
    both: set[frozenset[str]] = set()
    for a, b, how in similar:
        first, second = people[numbers[a][0]], people[numbers[b][0]]
        if first.name == second.name and first.birth_date == second.birth_date:
            both.add(frozenset((first.person_id, second.person_id)))
            names = "姓名、出生日期也相同"
        else:
            names = "姓名相同" if first.name == second.name else "姓名读音相近"
        pairs.append(DuplicatePair(DuplicateKind.SIMILAR_ID, first, second, f"身份证号{how}，{names}"))
    if both:
        pairs = [
            p
            for p in pairs
            if p.kind is not DuplicateKind.SAME_NAME_AND_BIRTH
            or frozenset((p.first.person_id, p.second.person_id)) not in both
        ]
    pairs.sort(key=lambda p: (p.first.group_name or "", p.first.name, p.first.id_number, p.kind.value))
    return pairs
