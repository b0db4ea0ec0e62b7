"""参保登记 and its review (录入 → 村级初审 → 上报 → 县级审核通过/退回), domain.md §3, §7, §14.

Each function is one use case in the caller's transaction (a ``Session`` from ``Database.session()``; that context
commits, nothing here does). Everything is checked before anything is written; a refusal is a
:class:`~pensiondesk.services.people_types.ServiceError` in plain Chinese and leaves nothing behind. Every change
writes its audit entry, and — for changes made on this laptop — its sync outbox row, in the same transaction.

The workflow and its rules:

* :func:`register` (录入): the coordinator enters the form for a resident who may enrol in the year of the
  registration date (``domain.eligibility.classify`` at the pack's cut-off: 16 or older, not excluded, not
  terminated) and who has no registration under way or approved and is not already enrolled.
  :func:`register_many` does it for several selected people; a roster import enters the forms its 缴费档次
  column asks for through the bulk path (:func:`check_import_requests`, then :func:`register_imported`): the same
  rules and the same words, the same rows, audit entries and outbox rows, without an ORM round trip per person.
* :func:`village_check` (村级初审) or :func:`village_return` (初审退回, with a reason): by someone other than the
  person who entered it — "录入人和初审人不能是同一人". A reviewer approves or returns; a reviewer never edits. A
  returned form is final: the coordinator corrects the person's details and enters a new registration.
* :func:`submit` (上报): checked forms go up to the township/county.
* :func:`apply_county_answer` (县级答复): called by the sync layer when the answer arrives. County-owned data
  (sync-protocol.md §10), so it is audited but not queued for upload (the county already has it), and applying
  the same answer twice is harmless (a pull page may be re-applied after a crash, §8).

Person status (参保状态) — the rule: entering, checking and submitting a form do not change the person's status;
the person is enrolled only when the county approves. Approval moves a 未参保 person to 参保缴费 (CONTRIBUTING),
also when they are already at pension age: a resident of 60 or more who enrols must first pay the missing years
(补缴, possibly with the county's advance, domain.md §5) and then becomes a pension case (待遇领取资格确认,
domain.md §8) — only the approval of that case makes them 待遇领取 (RECEIVING). A returned form changes nothing.
The county-driven status change does not bump the person's ``version`` (the base version of fields both sides
edit), so a later local edit is not mistaken for a conflict.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Row, Select, inspect, select
from sqlalchemy.orm import Session

from pensiondesk.domain.codes import PersonStatus, ReviewState, UserRole
from pensiondesk.domain.eligibility import Classifier, Eligibility, EligibilityKind, ResidentFacts, classify
from pensiondesk.domain.money import InvalidAmount, format_yuan, parse_yuan
from pensiondesk.domain.pension import age_on
from pensiondesk.domain.policy import PolicyLookupError, PolicyPack
from pensiondesk.services.people import Cancelled, policy_pack_in_force
from pensiondesk.services.people_types import Problem, ServiceError
from pensiondesk.services.permissions import may_review, require_entry
from pensiondesk.services.recording import Actor, BulkRecorder, RawInserter, record_change, snapshot
from pensiondesk.store.models import Person, PersonCategory, Registration, VillagerGroup, new_uuid, utcnow

__all__ = [
    "COUNTY",
    "BulkRefusal",
    "BulkRegistrationResult",
    "CategoryOption",
    "ImportRequest",
    "ImportVerdict",
    "OpenRegistration",
    "RegistrationItem",
    "RegistrationOptions",
    "apply_county_answer",
    "check_import_requests",
    "checked_registrations",
    "common_tiers",
    "load_import_requests",
    "register",
    "register_imported",
    "register_many",
    "registration_options",
    "returned_registrations",
    "review_queue",
    "submit",
    "village_check",
    "village_return",
]

#: Who answers for the county when the sync layer applies its decision (recorded in the audit trail).
COUNTY = Actor("county", UserRole.ADMIN, "县级经办机构")

#: States in which a registration blocks another one for the same person.
_OPEN_STATES = frozenset(
    {
        ReviewState.ENTERED,
        ReviewState.VILLAGE_CHECKED,
        ReviewState.SUBMITTED,
        ReviewState.TOWNSHIP_CHECKED,
        ReviewState.APPROVED,
    }
)
#: States in which the county's answer may arrive (the township may have checked it on the way up).
_AWAITING_ANSWER = frozenset({ReviewState.SUBMITTED, ReviewState.TOWNSHIP_CHECKED})
_ANSWERED = frozenset({ReviewState.APPROVED, ReviewState.RETURNED})
_ENROLLED = frozenset({PersonStatus.CONTRIBUTING, PersonStatus.RECEIVING, PersonStatus.SUSPENDED})

SAME_PERSON_MESSAGE = "录入人和初审人不能是同一人：请由另一位工作人员登录后初审"


def _facts(person: Person) -> ResidentFacts:
    return ResidentFacts(
        birth_date=person.birth_date,
        local_hukou=person.local_hukou,
        is_student=person.is_student,
        has_employee_pension=person.has_employee_pension,
        has_other_state_pension=person.has_other_state_pension,
        is_public_staff=person.is_public_staff,
        status=person.status,
        status_reason=person.status_reason,
    )


def _refusal(name: str, result: Eligibility) -> str:
    cutoff = f"{result.cutoff.year}年{result.cutoff.month}月{result.cutoff.day}日"
    if result.kind is EligibilityKind.UNDER_AGE:
        return f"{name}按{cutoff}计算未满16周岁，不能参加{result.cutoff.year}年度参保登记；请在年满16周岁后的年度再登记"
    if result.kind is EligibilityKind.TERMINATED:
        return f"{name}{'、'.join(result.reasons)}，不能再次参保登记；如确需恢复，请联系乡镇人社所核实"
    return f"{name}不符合参保条件：{'、'.join(result.reasons)}；如果情况已经改变，请先在人员信息中更正，再办理参保登记"


def _enrolled_refusal(name: str, status: PersonStatus) -> str:
    return f"{name}已经参保（状态：{status.label}），不需要再办理参保登记"


def _open_refusal(name: str, registered_on: date, state: ReviewState) -> str:
    return f"{name}已有一份参保登记（{registered_on.isoformat()}，{state.label}），不能重复登记"


def _yuan(fen: int) -> str:
    return format_yuan(fen, grouping=False).removesuffix(".00")


def _tier_refusal(tier_fen: int, allowed: Sequence[int]) -> str:
    shown = "、".join(_yuan(t) for t in allowed)
    return f"缴费档次 {_yuan(tier_fen)} 元不能选择；可选：{shown} 元"


#: Persons looked up per ``IN (…)``; above :data:`_FULL_SCAN_ABOVE` of them one pass over the table is quicker.
_IN_CHUNK = 500
_FULL_SCAN_ABOVE = 5000


def _rows_of(session: Session, query: Select[*tuple[Any, ...]], person_column: Any, ids: Sequence[str]) -> list[Any]:
    """The rows of ``query`` whose ``person_column`` is one of ``ids``: :data:`_IN_CHUNK` ids per query, or for
    many ids (a roster imported again) one pass over the table filtered here. Core rows on the session's
    connection: the ORM adds nothing to plain columns but time."""
    connection = session.connection()
    if len(ids) <= _FULL_SCAN_ABOVE:
        found: list[Any] = []
        for start in range(0, len(ids), _IN_CHUNK):
            found += connection.execute(query.where(person_column.in_(ids[start : start + _IN_CHUNK]))).all()
        return found
    wanted = set(ids)
    return [row for row in connection.execute(query).all() if row[0] in wanted]


def _held_categories(session: Session, person_ids: Sequence[str], day: date) -> dict[str, list[str]]:
    """The identity category codes each of ``person_ids`` holds on ``day`` (sorted)."""
    held: dict[str, set[str]] = {person_id: set() for person_id in person_ids}
    query = select(
        PersonCategory.person_id, PersonCategory.category_code, PersonCategory.valid_from, PersonCategory.valid_to
    )
    for person_id, code, valid_from, valid_to in _rows_of(session, query, PersonCategory.person_id, list(held)):
        if (valid_from is None or valid_from <= day) and (valid_to is None or day <= valid_to):
            held[person_id].add(code)
    return {person_id: sorted(codes) for person_id, codes in held.items()}


def _categories_on(session: Session, person_id: str, day: date) -> list[str]:
    """The identity category codes a person holds on ``day``."""
    return _held_categories(session, [person_id], day)[person_id]


def _default_category(codes: Sequence[str], pack: PolicyPack) -> str | None:
    """The hardship category that counts (counted once: the largest government-paid amount), else ``None``."""
    hardship = []
    for code in codes:
        try:
            category = pack.category(code)
        except PolicyLookupError:
            continue
        if category.hardship:
            hardship.append(category)
    if not hardship:
        return None
    return max(hardship, key=lambda c: (c.government_paid, c.code)).code


def _allowed_tiers(pack: PolicyPack, held: Sequence[str], code: str | None) -> tuple[int, ...]:
    """The tiers (fen) a person holding ``held`` may choose when registered as ``code`` (None: 普通)."""
    codes = set(held) | ({code} if code else set())
    try:
        return pack.tiers_for(codes)
    except PolicyLookupError:
        return pack.tiers_for(())


@dataclass(frozen=True, slots=True)
class CategoryOption:
    """A 参保身份 the registration form offers: code, name, and whether the person holds it (hardship needs it)."""

    code: str
    name: str
    hardship: bool
    held: bool


@dataclass(frozen=True, slots=True)
class RegistrationOptions:
    """What the 参保登记 form shows and offers for one person on one registration date.

    ``default_category`` is what :func:`register` uses when no category is given (``None``: 普通);
    ``tiers`` maps each choice of category (``None`` for the default) to the tiers in fen the person may choose.
    """

    person_id: str
    name: str
    id_number: str
    birth_date: date
    age: int
    status: PersonStatus
    categories: tuple[CategoryOption, ...]
    default_category: str | None
    tiers: dict[str | None, tuple[int, ...]]
    #: Set when the person is at or past the pack's pension age on the registration date: what the coordinator
    #: should know before entering a contribution tier (the case goes on as 到龄办理, domain.md §7–8).
    pension_age_note: str | None = None


def registration_options(session: Session, person_id: str, *, registered_on: date) -> RegistrationOptions:
    """The person and the choices of the 参保登记 form on ``registered_on`` (read only; refusals come from
    :func:`register`)."""
    person = session.get(Person, person_id)
    if person is None:
        raise ServiceError("找不到这个人员，可能已被删除；请刷新列表后重试")
    pack = policy_pack_in_force(session, registered_on)
    held = _categories_on(session, person.id, registered_on)
    default = _default_category(held, pack)
    categories = tuple(CategoryOption(c.code, c.name, c.hardship, c.code in held) for c in pack.identity_categories)
    tiers: dict[str | None, tuple[int, ...]] = {None: _allowed_tiers(pack, held, default)}
    for category in categories:
        tiers[category.code] = _allowed_tiers(pack, held, category.code)
    age = age_on(person.birth_date, registered_on) if registered_on >= person.birth_date else 0
    note = None
    if age >= pack.pension_age:
        note = (
            f"已满{pack.pension_age}周岁（{age} 岁）：登记后不按参保缴费人员每年缴费，而是办理待遇领取资格确认"
            "（待遇/认证 → 到龄）；缴费档次只用于补缴，请与本人和县里核实后再选"
        )
    return RegistrationOptions(
        person_id=person.id,
        name=person.name,
        id_number=person.id_number,
        birth_date=person.birth_date,
        age=age,
        status=person.status,
        categories=categories,
        default_category=default,
        tiers=tiers,
        pension_age_note=note,
    )


def register(
    session: Session,
    actor: Actor,
    person_id: str,
    *,
    registered_on: date,
    category_code: str | None = None,
    tier_yuan: str | None = None,
    today: date | None = None,
) -> Registration:
    """Enter a registration form (参保登记录入) for a resident; state 已录入, ``entered_by`` the actor.

    Refused when: the date is in the future; the resident may not enrol in that year (under 16 at the cut-off,
    excluded — student, employee pension, public staff, other state pension, hukou elsewhere — or terminated);
    the resident is already enrolled or has a registration under way or approved. ``category_code`` (参保身份)
    must be in the policy pack, and a hardship category must already be held by the person with its proof;
    left empty, the person's hardship category that counts is used (none: 普通); 普通 itself is stored as none.
    ``tier_yuan`` (缴费档次, e.g. "200") must be a tier the person may choose. The person's status does not change
    until the county approves (see the module docstring). A 复核员 may not enter a registration (domain.md §14: a
    reviewer never edits).
    """
    require_entry(actor, "录入参保登记")
    day = today or date.today()
    person = session.get(Person, person_id)
    if person is None:
        raise ServiceError("找不到这个人员，可能已被删除；请刷新列表后重试")
    if registered_on > day:
        raise ServiceError([Problem("registered_on", "登记日期不能晚于今天")])
    pack = policy_pack_in_force(session, registered_on)
    result = classify(_facts(person), pack, registered_on.year)
    if not result.may_enrol:
        raise ServiceError([Problem("person", _refusal(person.name, result), code=result.kind.value)])
    if person.status in _ENROLLED:
        raise ServiceError([Problem("person", _enrolled_refusal(person.name, person.status))])
    existing = session.scalars(
        select(Registration)
        .where(Registration.person_id == person.id, Registration.review_state.in_(_OPEN_STATES))
        .order_by(Registration.registered_on.desc())
    ).first()
    if existing is not None:
        raise ServiceError(
            [Problem("person", _open_refusal(person.name, existing.registered_on, existing.review_state))]
        )

    problems: list[Problem] = []
    held = _categories_on(session, person.id, registered_on)
    code = category_code.strip() if category_code else None
    if code:
        try:
            category = pack.category(code)
        except PolicyLookupError:
            known = "、".join(f"{c.code} {c.name}" for c in pack.identity_categories)
            problems.append(Problem("category_code", f"参保身份代码“{code}”在当前策略包中没有定义；可用：{known}"))
        else:
            if category.hardship and code not in held:
                problems.append(
                    Problem(
                        "category_code",
                        f"{person.name}在{registered_on.isoformat()}没有“{category.name}”身份：请先在人员信息中"
                        "添加该身份及证明材料，再选择它",
                    )
                )
            elif code == pack.ordinary_code:
                code = None  # 普通 is having no other category: stored as none, as every other path does
    else:
        code = _default_category(held, pack)
    tier_fen: int | None = None
    if tier_yuan is not None and tier_yuan.strip():
        try:
            tier_fen = parse_yuan(tier_yuan)
        except InvalidAmount as error:
            problems.append(Problem("tier_yuan", f"缴费档次：{error.message}"))
        else:
            allowed = _allowed_tiers(pack, held, code)
            if tier_fen not in allowed:
                problems.append(Problem("tier_yuan", _tier_refusal(tier_fen, allowed)))
    if problems:
        raise ServiceError(problems)

    registration = Registration(
        id=new_uuid(),
        person_id=person.id,
        registered_on=registered_on,
        category_code=code,
        tier_fen=tier_fen,
        review_state=ReviewState.ENTERED,
        entered_by=actor.username,
        created_by=actor.username,
        updated_by=actor.username,
    )
    session.add(registration)
    session.flush()
    record_change(
        session,
        actor=actor,
        action="register",
        entity_type="registration",
        entity_id=registration.id,
        before=None,
        after=snapshot(registration),
    )
    return registration


@dataclass(frozen=True, slots=True)
class BulkRefusal:
    """A person :func:`register_many` did not register, and why (the words of :func:`register`)."""

    person_id: str
    name: str
    reason: str


@dataclass(frozen=True, slots=True)
class BulkRegistrationResult:
    """What :func:`register_many` did: the new registrations' ids, the refusals, and whether it was stopped early
    (``not_tried`` people were not looked at)."""

    registration_ids: tuple[str, ...]
    refused: tuple[BulkRefusal, ...]
    not_tried: int = 0

    @property
    def stopped(self) -> bool:
        return self.not_tried > 0


def common_tiers(session: Session, person_ids: Sequence[str], *, registered_on: date) -> tuple[int, ...]:
    """The tiers (fen) every one of ``person_ids`` may choose on ``registered_on`` with 参保身份 自动 (read only).

    Persons that no longer exist are left out; no person at all gives the pack's tiers for 普通.
    """
    pack = policy_pack_in_force(session, registered_on)
    held = _held_categories(session, person_ids, registered_on)
    common: set[int] | None = None
    for codes in {tuple(codes) for codes in held.values()}:  # each different set of categories once
        allowed = set(_allowed_tiers(pack, codes, _default_category(codes, pack)))
        common = allowed if common is None else common & allowed
    if common is None:
        return _allowed_tiers(pack, (), None)
    return tuple(sorted(common))


def register_many(
    session: Session,
    actor: Actor,
    person_ids: Sequence[str],
    *,
    registered_on: date,
    tier_yuan: str | None = None,
    today: date | None = None,
    progress: Callable[[int], bool] | None = None,
) -> BulkRegistrationResult:
    """批量参保登记: :func:`register` each of ``person_ids`` (参保身份 自动) in its own SAVEPOINT.

    All or nothing per person: a refusal rolls back only that person (nothing is written for them) and is
    collected with its reason; the others are entered as :func:`register` enters one, each with its audit entry
    and outbox row, in the caller's transaction. ``progress(done)`` is called after each person; when it returns
    False the rest are not tried (those already entered stay). A store error is not caught: the caller's
    transaction then rolls back everything. A 复核员 is refused before anyone is tried.
    """
    require_entry(actor, "录入参保登记")
    day = today or date.today()
    entered: list[str] = []
    refused: list[BulkRefusal] = []
    ids = list(dict.fromkeys(person_ids))
    for done, person_id in enumerate(ids, start=1):
        try:
            with session.begin_nested():
                registration = register(
                    session, actor, person_id, registered_on=registered_on, tier_yuan=tier_yuan, today=day
                )
            entered.append(registration.id)
        except ServiceError as error:
            name = session.scalar(select(Person.name).where(Person.id == person_id)) or ""
            refused.append(BulkRefusal(person_id, name, error.user_message))
        if progress is not None and not progress(done) and done < len(ids):
            return BulkRegistrationResult(tuple(entered), tuple(refused), not_tried=len(ids) - done)
    return BulkRegistrationResult(tuple(entered), tuple(refused))


# --- registrations a roster import enters (导入花名册时录入参保登记) ----------------------------------------------


@dataclass(frozen=True, slots=True)
class OpenRegistration:
    """A person's latest registration under way or approved (what :func:`register` refuses a second one for)."""

    registered_on: date
    review_state: ReviewState
    tier_fen: int | None


@dataclass(frozen=True, slots=True)
class ImportRequest:
    """A 参保登记 a roster row asks for by its 缴费档次, with everything deciding it needs, already in memory.

    ``person_id`` is ``None`` for a person the same import is about to add (decided before it is written; its
    ``facts`` and ``held`` categories are the row's). For a person already in the database they are read by
    :func:`load_import_requests`, with ``open``, the latest registration under way or approved.
    ``row_codes`` are the 参保身份 written in the row, ``tier_fen`` its 缴费档次.
    """

    name: str
    facts: ResidentFacts
    held: tuple[str, ...]
    row_codes: tuple[str, ...]
    tier_fen: int
    person_id: str | None = None
    open: OpenRegistration | None = None


@dataclass(frozen=True, slots=True)
class ImportVerdict:
    """What becomes of an :class:`ImportRequest`.

    It is entered with ``category_code`` and ``tier_fen`` (:attr:`enters`); or nothing is done because the
    registration the row asks for is already there (``already``: a registration under way or approved with the
    same tier, e.g. the same roster imported again — nothing to say); or it is refused and ``refusal`` says why in
    the words of :func:`register`.
    """

    tier_fen: int
    category_code: str | None = None
    refusal: str | None = None
    already: bool = False

    @property
    def enters(self) -> bool:
        return self.refusal is None and not self.already


def check_import_requests(
    session: Session, requests: Sequence[ImportRequest], *, registered_on: date
) -> list[ImportVerdict]:
    """Decide each request as :func:`register` would on ``registered_on`` (read only; reads only the policy pack).

    The rules, in :func:`register`'s order and with its words: the resident may enrol in that year (16 or older
    at the pack's cut-off, not excluded, not terminated), is not already enrolled, has no registration under way
    or approved, and may choose the tier. The 参保身份 is the row's when the row names exactly one category and the
    person holds it, else the one :func:`register` picks by itself (the hardship category that counts, else none).
    A request whose registration is already under way or approved *with the same tier* is ``already``, not a
    refusal: importing the same roster twice enters nothing and reports nothing the second time.
    """
    pack = policy_pack_in_force(session, registered_on)
    eligibility = Classifier(pack, registered_on.year)
    # Rosters repeat the same few category sets and tiers: work each combination out once.
    defaults: dict[tuple[str, ...], str | None] = {}
    allowed_tiers: dict[tuple[tuple[str, ...], str | None], tuple[int, ...]] = {}
    # Verdicts are frozen: one object per (tier, category) is shared by all the rows it answers (a 50,000-row
    # roster then keeps a handful of objects alive, not 50,000).
    entering: dict[tuple[int, str | None], ImportVerdict] = {}
    already: dict[int, ImportVerdict] = {}
    verdicts: list[ImportVerdict] = []
    for request in requests:
        tier_fen, open_registration = request.tier_fen, request.open
        if open_registration is not None and open_registration.tier_fen == tier_fen:
            if tier_fen not in already:
                already[tier_fen] = ImportVerdict(tier_fen, already=True)
            verdicts.append(already[tier_fen])
            continue
        result = eligibility(request.facts)
        refusal: str | None = None
        if not result.may_enrol:
            refusal = _refusal(request.name, result)
        elif request.facts.status in _ENROLLED:
            refusal = _enrolled_refusal(request.name, request.facts.status)
        elif open_registration is not None:
            refusal = _open_refusal(request.name, open_registration.registered_on, open_registration.review_state)
            if open_registration.tier_fen is not None:
                refusal += f"（已登记的缴费档次是 {_yuan(open_registration.tier_fen)} 元，表中是 {_yuan(tier_fen)} 元）"
        if refusal is not None:
            verdicts.append(ImportVerdict(tier_fen, refusal=refusal))
            continue
        held = request.held
        codes = set(request.row_codes)
        if len(codes) == 1 and (only := next(iter(codes))) in held:
            code: str | None = only
        else:
            if held not in defaults:
                defaults[held] = _default_category(held, pack)
            code = defaults[held]
        key = (held, code)
        if key not in allowed_tiers:
            allowed_tiers[key] = _allowed_tiers(pack, held, code)
        allowed = allowed_tiers[key]
        if tier_fen not in allowed:
            verdicts.append(ImportVerdict(tier_fen, refusal=f"{request.name}的{_tier_refusal(tier_fen, allowed)}"))
        else:
            verdict = entering.get((tier_fen, code))
            if verdict is None:
                verdict = entering[tier_fen, code] = ImportVerdict(tier_fen, category_code=code)
            verdicts.append(verdict)
    return verdicts


def _open_registrations(session: Session, person_ids: Sequence[str]) -> dict[str, OpenRegistration]:
    """Each person's latest registration under way or approved (the one :func:`register` names)."""
    found: dict[str, OpenRegistration] = {}
    query = select(
        Registration.person_id, Registration.registered_on, Registration.review_state, Registration.tier_fen
    ).where(Registration.review_state.in_(_OPEN_STATES))
    for person_id, registered_on, state, tier_fen in _rows_of(session, query, Registration.person_id, person_ids):
        latest = found.get(person_id)
        if latest is None or registered_on > latest.registered_on:
            found[person_id] = OpenRegistration(registered_on, state, tier_fen)
    return found


def load_import_requests(
    session: Session, wanted: Sequence[tuple[str, Iterable[str], int]], *, registered_on: date
) -> list[ImportRequest | None]:
    """The requests for persons already in the database: ``wanted`` is (person id, the row's 参保身份 codes, the
    row's tier in fen) per row. Reads the persons, the categories they hold on ``registered_on`` and their open
    registrations in a few batched queries; ``None`` for a person who is no longer there."""
    ids = list(dict.fromkeys(person_id for person_id, _codes, _tier in wanted))
    query = select(
        Person.id,
        Person.name,
        Person.birth_date,
        Person.local_hukou,
        Person.is_student,
        Person.has_employee_pension,
        Person.has_other_state_pension,
        Person.is_public_staff,
        Person.status,
        Person.status_reason,
    )
    facts: dict[str, tuple[str, ResidentFacts]] = {}
    for person_id, name, birth, local, student, employee, other_state, public_staff, status, reason in _rows_of(
        session, query, Person.id, ids
    ):
        facts[person_id] = (
            name,
            ResidentFacts(
                birth_date=birth,
                local_hukou=local,
                is_student=student,
                has_employee_pension=employee,
                has_other_state_pension=other_state,
                is_public_staff=public_staff,
                status=status,
                status_reason=reason,
            ),
        )
    held = _held_categories(session, list(facts), registered_on)
    open_registrations = _open_registrations(session, list(facts))
    shared: dict[tuple[str, ...], tuple[str, ...]] = {}  # most persons hold one of a few category sets
    requests: list[ImportRequest | None] = []
    for person_id, codes, tier_fen in wanted:
        if person_id not in facts:
            requests.append(None)
            continue
        name, person_facts = facts[person_id]
        held_codes = tuple(held[person_id])
        requests.append(
            ImportRequest(
                name=name,
                facts=person_facts,
                held=shared.setdefault(held_codes, held_codes),
                row_codes=tuple(codes),
                tier_fen=tier_fen,
                person_id=person_id,
                open=open_registrations.get(person_id),
            )
        )
    return requests


#: Registrations written per step of :func:`register_imported` (between two checks for 取消).
IMPORT_CHUNK = 1000
#: The columns :func:`register_imported` writes, in the order of its rows: every column of ``Registration``.
_BULK_COLUMNS = (
    "id",
    "person_id",
    "registered_on",
    "category_code",
    "tier_fen",
    "review_state",
    "entered_by",
    "checked_by",
    "checked_at",
    "submitted_at",
    "answered_at",
    "return_reason",
    "created_at",
    "updated_at",
    "created_by",
    "updated_by",
)


def register_imported(
    session: Session,
    actor: Actor,
    entries: Sequence[tuple[str, ImportVerdict]],
    *,
    registered_on: date,
    cancelled: Callable[[], bool] | None = None,
) -> list[str]:
    """Enter (录入) the registrations of a roster import: one per (person id, verdict) whose verdict
    :attr:`~ImportVerdict.enters`, in the order given; returns their ids.

    The verdicts come from :func:`check_import_requests` (the roster importer checks before it writes, as
    ``people.add_persons`` trusts ``check_person_inputs``). Each registration is what :func:`register` writes —
    state 已录入, ``entered_by`` the actor, the verdict's category and tier — with the same audit entry (action
    ``register``, ``after`` the registration's :func:`snapshot`) and outbox row, the hash chain continued in
    order; rows go in with bulk inserts (``recording.BulkRecorder``, ``RawInserter``), in the caller's
    transaction. When ``cancelled()`` becomes true between steps, ``people.Cancelled`` is raised and the caller's
    rollback keeps nothing. A 复核员 is refused (domain.md §14), also when no person is added.
    """
    require_entry(actor, "录入参保登记")
    todo = entries if all(verdict.enters for _person_id, verdict in entries) else [e for e in entries if e[1].enters]
    if not todo:
        return []
    model_columns = {attr.key for attr in inspect(Registration).column_attrs}
    if model_columns != set(_BULK_COLUMNS):  # a new column would be missing from the rows and their audit entries
        raise RuntimeError(f"registration has columns {sorted(model_columns ^ set(_BULK_COLUMNS))} unknown here")
    now = utcnow()
    who = actor.username
    recorder = BulkRecorder(session, actor, at=now)
    new_id = recorder.new_id
    insert = RawInserter(session, Registration, _BULK_COLUMNS)
    # The values as snapshot() gives them (JSON-safe, for the audit entry and the outbox) and as stored.
    at_json = now.isoformat()
    on_json = registered_on.isoformat()
    state_json = ReviewState.ENTERED.value
    at_stored = insert.stored("created_at", now)
    on_stored = insert.stored("registered_on", registered_on)
    state_stored = insert.stored("review_state", ReviewState.ENTERED)
    created = recorder.created
    ids: list[str] = []
    for start in range(0, len(todo), IMPORT_CHUNK):
        if cancelled is not None and cancelled():
            raise Cancelled()
        rows: list[tuple[Any, ...]] = []
        for person_id, verdict in todo[start : start + IMPORT_CHUNK]:
            registration_id = new_id()
            code, tier_fen = verdict.category_code, verdict.tier_fen
            after = {
                "id": registration_id,
                "person_id": person_id,
                "registered_on": on_json,
                "category_code": code,
                "tier_fen": tier_fen,
                "review_state": state_json,
                "entered_by": who,
                "checked_by": None,
                "checked_at": None,
                "submitted_at": None,
                "answered_at": None,
                "return_reason": None,
                "created_at": at_json,
                "updated_at": at_json,
                "created_by": who,
                "updated_by": who,
            }
            created("registration", registration_id, after, action="register")
            rows.append(
                (registration_id, person_id, on_stored, code, tier_fen, state_stored, who,
                 None, None, None, None, None, at_stored, at_stored, who, who)
            )  # fmt: skip
            ids.append(registration_id)
        insert(rows)
        recorder.write()
    return ids


def _get(session: Session, registration_id: str) -> Registration:
    registration = session.get(Registration, registration_id)
    if registration is None:
        raise ServiceError("找不到这份参保登记，可能已被删除；请刷新后重试")
    return registration


def _person_name(session: Session, registration: Registration) -> str:
    return session.scalar(select(Person.name).where(Person.id == registration.person_id)) or ""


def _save(
    session: Session,
    actor: Actor,
    registration: Registration,
    before: dict[str, Any],
    action: str,
    *,
    reason: str | None = None,
    sync: bool = True,
) -> None:
    registration.updated_by = actor.username
    registration.updated_at = utcnow()
    session.flush()
    record_change(
        session,
        actor=actor,
        action=action,
        entity_type="registration",
        entity_id=registration.id,
        before=dict(before),
        after=snapshot(registration),
        reason=reason,
        sync=sync,
    )


def _reviewable(session: Session, actor: Actor, registration: Registration, what: str) -> None:
    if registration.review_state is not ReviewState.ENTERED:
        raise ServiceError(
            f"{_person_name(session, registration)}的参保登记当前是“{registration.review_state.label}”，"
            f"只有“已录入”的登记才能{what}"
        )
    if registration.entered_by == actor.username:
        raise ServiceError([Problem("checked_by", SAME_PERSON_MESSAGE, code="same_person")])
    # 复核 is for 复核员 and 管理员 (domain.md §14); without a login roles do not apply (services.permissions).
    if not may_review(actor):
        raise ServiceError(
            [
                Problem(
                    "checked_by",
                    f"{actor.display_name}是{actor.role.label}：{what}只能由复核员或管理员办理，请换复核员登录",
                    code="role",
                )
            ]
        )


def village_check(session: Session, actor: Actor, registration_id: str) -> Registration:
    """村级初审通过: by someone other than the person who entered the form (录入人和初审人不能是同一人)."""
    registration = _get(session, registration_id)
    _reviewable(session, actor, registration, "初审")
    before = snapshot(registration)
    registration.review_state = ReviewState.VILLAGE_CHECKED
    registration.checked_by = actor.username
    registration.checked_at = utcnow()
    _save(session, actor, registration, before, "village_check")
    return registration


def village_return(session: Session, actor: Actor, registration_id: str, *, reason: str) -> Registration:
    """村级初审退回, with the reason the coordinator must act on; by someone other than the person who entered it.

    The reviewer does not edit the form: the coordinator corrects the person's details and enters a new one.
    """
    registration = _get(session, registration_id)
    _reviewable(session, actor, registration, "退回")
    text = (reason or "").strip()
    if not text:
        raise ServiceError([Problem("reason", "退回必须写明原因，录入人才知道要改什么", code="reason_required")])
    before = snapshot(registration)
    registration.review_state = ReviewState.RETURNED
    registration.checked_by = actor.username
    registration.checked_at = utcnow()
    registration.return_reason = text[:500]
    _save(session, actor, registration, before, "village_return", reason=text)
    return registration


def submit(session: Session, actor: Actor, ids: Sequence[str]) -> list[Registration]:
    """上报: send the checked registrations up to the township/county (state 已上报, ``submitted_at`` now).

    All or nothing: if any of them is missing or has not passed 村级初审, none is submitted and the message lists
    them.
    """
    wanted = list(dict.fromkeys(ids))
    if not wanted:
        raise ServiceError("请先选择要上报的参保登记")
    found = {r.id: r for r in session.scalars(select(Registration).where(Registration.id.in_(wanted)))}
    missing = [i for i in wanted if i not in found]
    if missing:
        raise ServiceError(f"有 {len(missing)} 份参保登记找不到，可能已被删除；请刷新后重新选择")
    not_ready = [found[i] for i in wanted if found[i].review_state is not ReviewState.VILLAGE_CHECKED]
    if not_ready:
        shown = "、".join(f"{_person_name(session, r)}（{r.review_state.label}）" for r in not_ready[:10])
        more = f"等 {len(not_ready)} 份" if len(not_ready) > 10 else ""
        raise ServiceError(f"以下参保登记还没有通过村级初审，不能上报：{shown}{more}；请先完成初审")
    now = utcnow()
    result: list[Registration] = []
    for registration_id in wanted:
        registration = found[registration_id]
        before = snapshot(registration)
        registration.review_state = ReviewState.SUBMITTED
        registration.submitted_at = now
        _save(session, actor, registration, before, "submit")
        result.append(registration)
    return result


def apply_county_answer(
    session: Session,
    registration_id: str,
    *,
    approved: bool,
    reason: str | None,
    answered_at: datetime,
    actor: Actor = COUNTY,
) -> Registration:
    """县级答复 (审核通过 or 退回 with its reason) for a submitted registration, as the sync layer receives it.

    Refused for a registration that has not been submitted, for a return without a reason, and for an answer
    that contradicts one already applied; the same answer applied again returns the registration unchanged.
    Approval enrols a 未参保 person (status 参保缴费, ``status_since`` the answer's date; see the module docstring).
    Audited, not queued for upload: the decision is the county's (sync-protocol.md §10).
    """
    registration = _get(session, registration_id)
    text = (reason or "").strip() or None
    if not approved and text is None:
        raise ServiceError([Problem("reason", "县级退回必须附带退回原因", code="reason_required")])
    outcome = ReviewState.APPROVED if approved else ReviewState.RETURNED
    if registration.review_state in _ANSWERED and registration.answered_at is not None:
        if registration.review_state is outcome and (approved or registration.return_reason == text):
            return registration
        raise ServiceError(
            f"这份参保登记已有县级答复（{registration.review_state.label}，"
            f"{registration.answered_at:%Y-%m-%d}），不能再改为“{outcome.label}”；请与县社保局核实"
        )
    if registration.review_state not in _AWAITING_ANSWER:
        raise ServiceError(f"这份参保登记当前是“{registration.review_state.label}”，还没有上报，不能登记县级答复")
    before = snapshot(registration)
    registration.review_state = outcome
    registration.answered_at = answered_at
    registration.return_reason = text[:500] if text and not approved else None
    _save(session, actor, registration, before, "county_answer", reason=text, sync=False)
    if approved:
        person = session.get(Person, registration.person_id)
        if person is not None and person.status is PersonStatus.NOT_ENROLLED:
            person_before = snapshot(person)
            person.status = PersonStatus.CONTRIBUTING
            person.status_reason = None
            person.status_since = answered_at.date()
            person.updated_by = actor.username
            person.updated_at = utcnow()
            session.flush()
            record_change(
                session,
                actor=actor,
                action="enrolled_by_county",
                entity_type="person",
                entity_id=person.id,
                before=person_before,
                after=snapshot(person),
                reason="县级审核通过参保登记",
                sync=False,
            )
    return registration


@dataclass(frozen=True, slots=True)
class RegistrationItem:
    """A registration as the review and returned lists show it."""

    registration_id: str
    person_id: str
    name: str
    id_number: str
    group_name: str | None
    registered_on: date
    category_code: str | None
    tier_fen: int | None
    review_state: ReviewState
    entered_by: str | None
    checked_by: str | None
    return_reason: str | None
    returned_by_county: bool  # 县级退回 (else 村级初审退回)


def _items_query() -> Select[*tuple[Any, ...]]:
    return (
        select(
            Registration.id,
            Registration.person_id,
            Person.name,
            Person.id_number,
            VillagerGroup.name.label("group_name"),
            Registration.registered_on,
            Registration.category_code,
            Registration.tier_fen,
            Registration.review_state,
            Registration.entered_by,
            Registration.checked_by,
            Registration.return_reason,
            Registration.answered_at,
        )
        .join(Person, Person.id == Registration.person_id)
        .outerjoin(VillagerGroup, VillagerGroup.id == Person.group_id)
    )


def _item(row: Row[Any]) -> RegistrationItem:
    return RegistrationItem(
        registration_id=row.id,
        person_id=row.person_id,
        name=row.name,
        id_number=row.id_number,
        group_name=row.group_name,
        registered_on=row.registered_on,
        category_code=row.category_code,
        tier_fen=row.tier_fen,
        review_state=row.review_state,
        entered_by=row.entered_by,
        checked_by=row.checked_by,
        return_reason=row.return_reason,
        returned_by_county=row.answered_at is not None,
    )


def returned_registrations(session: Session, *, village_id: str | None = None) -> list[RegistrationItem]:
    """退回的参保登记 with their reasons, for the coordinator to act on, oldest first.

    A return already acted on — the person has a newer registration under way or approved — is left out.
    """
    query = _items_query().where(Registration.review_state == ReviewState.RETURNED)
    if village_id is not None:
        query = query.where(Person.village_id == village_id)
    rows = session.execute(query.order_by(Registration.registered_on, Person.name)).all()
    if not rows:
        return []
    people = sorted({row.person_id for row in rows})
    newer: dict[str, date] = {}
    for chunk_start in range(0, len(people), 500):
        chunk = people[chunk_start : chunk_start + 500]
        for person_id, registered_on in session.execute(
            select(Registration.person_id, Registration.registered_on).where(
                Registration.person_id.in_(chunk), Registration.review_state.in_(_OPEN_STATES)
            )
        ):
            newer[person_id] = max(registered_on, newer.get(person_id, registered_on))
    return [_item(row) for row in rows if row.person_id not in newer or newer[row.person_id] < row.registered_on]


def review_queue(session: Session, actor: Actor, *, village_id: str | None = None) -> list[RegistrationItem]:
    """待初审: registrations entered by someone other than ``actor`` (the only ones they may check), oldest first."""
    query = _items_query().where(
        Registration.review_state == ReviewState.ENTERED,
        (Registration.entered_by.is_(None)) | (Registration.entered_by != actor.username),
    )
    if village_id is not None:
        query = query.where(Person.village_id == village_id)
    return [_item(row) for row in session.execute(query.order_by(Registration.registered_on, Person.name))]


def checked_registrations(session: Session, *, village_id: str | None = None) -> list[RegistrationItem]:
    """待上报: registrations that passed 村级初审 and have not been submitted yet, oldest first."""
    query = _items_query().where(Registration.review_state == ReviewState.VILLAGE_CHECKED)
    if village_id is not None:
        query = query.where(Person.village_id == village_id)
    return [_item(row) for row in session.execute(query.order_by(Registration.registered_on, Person.name))]
