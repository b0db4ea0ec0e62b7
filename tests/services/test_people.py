"""People use cases (人员信息管理) on a real SQLite file: checks, adding one and many, changes, households,
categories, migrant workers' documents and likely duplicates.

Every refusal is checked to leave the database exactly as it was; every change to write an audit entry and an
outbox row in the same commit, with the audit chain intact.
"""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import func, select

from pensiondesk.domain.codes import MigrantDocumentKind, PersonStatus, Relation, Sex, UserRole
from pensiondesk.domain.idnumber import check_character
from pensiondesk.domain.names import pinyin_initials
from pensiondesk.services import people
from pensiondesk.services.demo import create_demo_village
from pensiondesk.services.people import (
    KEEP,
    Cancelled,
    DuplicateKind,
    add_category,
    add_person,
    add_persons,
    change_key_field,
    check_person_input,
    check_person_inputs,
    create_group,
    create_household,
    end_category,
    find_duplicates,
    head_key,
    mark_migrant_worker,
    missing_migrant_documents,
    move_to_household,
    phone_problem,
    receive_migrant_document,
    rename_group,
    set_household_head,
    set_relation,
    update_general_fields,
)
from pensiondesk.services.people_types import PersonInput, Problem, ServiceError, Severity
from pensiondesk.services.recording import Actor, UuidSource, snapshot, verify_audit_chain
from pensiondesk.store.db import Database
from pensiondesk.store.models import (
    AuditEntry,
    Base,
    Household,
    KeyFieldChange,
    MigrantDocument,
    OutboxEntry,
    Person,
    PersonCategory,
    Village,
    VillagerGroup,
)

TODAY = date(2026, 11, 22)
AREA = "411099"
WANG = Actor("wang", UserRole.COORDINATOR, "王协办")

TABLES = {
    "person": Person,
    "household": Household,
    "villager_group": VillagerGroup,
    "person_category": PersonCategory,
    "key_field_change": KeyFieldChange,
    "migrant_document": MigrantDocument,
    "audit_entry": AuditEntry,
    "sync_outbox": OutboxEntry,
}


def make_id(birth: date, seq: int, area: str = AREA) -> str:
    """A valid 公民身份号码; an odd ``seq`` is a man, an even one a woman."""
    first17 = f"{area}{birth:%Y%m%d}{seq:03d}"
    return first17 + check_character(first17)


def counts(db: Database) -> dict[str, int]:
    with db.session() as s:
        return {name: s.scalar(select(func.count()).select_from(model)) or 0 for name, model in TABLES.items()}


def codes(problems: list[Problem]) -> list[str]:
    return [p.code for p in problems]


def errors(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity is Severity.ERROR]


def head(name: str, id_number: str, group: str = "第一村民小组", **kw: object) -> PersonInput:
    return PersonInput(name=name, id_number=id_number, group_name=group, relation=Relation.HEAD, **kw)  # type: ignore[arg-type]


ZHANG_ID = make_id(date(1970, 3, 15), 11)  # 张三, man
LI_ID = make_id(date(1972, 8, 1), 22)  # 李梅, woman


@pytest.fixture
def zhang(db: Database, village_id: str) -> str:
    with db.session() as s:
        return add_person(s, WANG, head("张三", ZHANG_ID, phone="13812345678"), village_id=village_id, today=TODAY).id


# --- checks ---


def test_phone_formats() -> None:
    assert phone_problem("13812345678") is None
    assert phone_problem("+86 138 1234 5678") is None
    assert phone_problem("0371-12345678") is None
    assert phone_problem("(0371)12345678") is None
    assert phone_problem("037112345678") is None
    assert phone_problem("") is None
    assert phone_problem(None) is None
    message = phone_problem("12345")
    assert message is not None and "11 位" in message and "区号" in message
    # Plain 11-digit numbers (a short path): a mobile starts 13–19; 10…, 11…, 12… are not numbers.
    for second in "0123456789":
        assert (phone_problem(f"1{second}812345678") is None) is (second in "3456789"), second
    assert phone_problem("23812345678") is not None and phone_problem("1381234567８") is None


def test_a_clean_input_has_no_problems(db: Database, village_id: str) -> None:
    with db.session() as s:
        assert check_person_input(s, head("张三", ZHANG_ID), village_id=village_id, today=TODAY) == []


def test_id_problems_are_reported_as_the_id_parser_says(db: Database, village_id: str) -> None:
    bad = ZHANG_ID[:17] + ("0" if ZHANG_ID[17] != "0" else "1")
    with db.session() as s:
        problems = check_person_input(s, head("张三", bad), village_id=village_id, today=TODAY)
    assert [(p.field, p.severity, p.code) for p in problems] == [("id_number", Severity.ERROR, "check")]
    assert problems[0].message.startswith("校验码错误：号码里至少有一位抄错了")
    with db.session() as s:
        problems = check_person_input(s, head("张三", "4.10102E+17"), village_id=village_id, today=TODAY)
    assert codes(problems) == ["scientific_notation"]


def test_name_sex_and_birth_date_must_agree_with_the_id(db: Database, village_id: str) -> None:
    inp = head("张3", ZHANG_ID, sex=Sex.FEMALE, birth_date=date(1970, 3, 16))
    with db.session() as s:
        problems = check_person_input(s, inp, village_id=village_id, today=TODAY)
    assert {(p.field, p.code) for p in problems} == {
        ("name", "name"),
        ("sex", "sex_mismatch"),
        ("birth_date", "birth_date_mismatch"),
    }
    assert all(p.severity is Severity.ERROR for p in problems)
    sex_problem = next(p for p in problems if p.field == "sex")
    assert "身份证号显示 男" in sex_problem.message


def test_fifteen_digit_id_is_converted_with_a_warning(db: Database, village_id: str) -> None:
    with db.session() as s:
        problems = check_person_input(s, head("王五", "370986890623212"), village_id=village_id, today=TODAY)
    assert [(p.code, p.severity) for p in problems] == [("converted_15", Severity.WARNING)]
    assert "370986198906232123" in problems[0].message


def test_odd_phone_is_only_a_warning(db: Database, village_id: str) -> None:
    with db.session() as s:
        problems = check_person_input(s, head("张三", ZHANG_ID, phone="12345"), village_id=village_id, today=TODAY)
        assert [(p.field, p.severity) for p in problems] == [("phone", Severity.WARNING)]
        person = add_person(s, WANG, head("张三", ZHANG_ID, phone="12345"), village_id=village_id, today=TODAY)
        assert person.phone == "12345"


def test_unknown_category_and_tier_are_errors(db: Database, village_id: str) -> None:
    with db.session() as s:
        problems = check_person_input(
            s, head("张三", ZHANG_ID, category_codes=["999"], tier_yuan="150"), village_id=village_id, today=TODAY
        )
    by_field = {p.field: p for p in problems}
    assert "参保身份代码“999”在当前策略包中没有定义" in by_field["category_codes"].message
    assert "061 低保对象（061）" in by_field["category_codes"].message
    assert "缴费档次 150 元不是可选的档次" in by_field["tier_yuan"].message
    with db.session() as s:
        ok = check_person_input(
            s, head("张三", ZHANG_ID, category_codes=["061"], tier_yuan="200"), village_id=village_id, today=TODAY
        )
    assert ok == []


def test_relation_and_household_head_rules(db: Database, village_id: str, zhang: str) -> None:
    member = PersonInput(name="李梅", id_number=LI_ID, group_name="第一村民小组")
    with db.session() as s:

        def check(inp: PersonInput, **kw: object) -> list[Problem]:
            return check_person_input(s, inp, village_id=village_id, today=TODAY, **kw)  # type: ignore[arg-type]

        # A head named without a relation.
        assert codes(check(replace(member, household_head_name="张三"))) == ["relation"]
        # A relation other than 户主 without a head.
        assert codes(check(replace(member, relation=Relation.SPOUSE))) == ["head_missing"]
        # 户主 who names someone else as head.
        assert codes(check(replace(member, relation=Relation.HEAD, household_head_name="张三"))) == ["head_mismatch"]
        # The head found by name in the group, or by ID number.
        assert check(replace(member, relation=Relation.SPOUSE, household_head_name="张三")) == []
        assert check(replace(member, relation=Relation.SPOUSE, household_head_id_number=ZHANG_ID)) == []
        # A head who does not exist — unless the same import creates him.
        missing = replace(member, relation=Relation.SON, household_head_name="赵六")
        problems = check(missing)
        assert codes(problems) == ["head_not_found"]
        assert "在第一村民小组找不到名叫“赵六”的户主" in problems[0].message
        assert check(missing, pending_heads={head_key("第一村民小组", "赵六")}) == []
        other_id = make_id(date(1950, 1, 1), 31)
        by_number = replace(member, relation=Relation.SON, household_head_id_number=other_id)
        assert codes(check(by_number)) == ["head_not_found"]
        assert check(by_number, pending_heads={other_id}) == []
        # In another group the name does not match.
        assert codes(check(replace(missing, household_head_name="张三", group_name="第二村民小组"))) == [
            "head_not_found",
            "new_group",
        ]


def test_a_member_id_that_is_not_a_head(db: Database, village_id: str, zhang: str) -> None:
    with db.session() as s:
        add_person(
            s,
            WANG,
            PersonInput(
                name="李梅",
                id_number=LI_ID,
                group_name="第一村民小组",
                relation=Relation.SPOUSE,
                household_head_name="张三",
            ),
            village_id=village_id,
            today=TODAY,
        )
        inp = PersonInput(
            name="张小", id_number=make_id(date(2000, 1, 1), 13), relation=Relation.SON, household_head_id_number=LI_ID
        )
        problems = check_person_input(s, inp, village_id=village_id, today=TODAY)
    assert codes(problems) == ["not_a_head"]
    assert "李梅（第一村民小组）不是户主" in problems[0].message


def test_two_heads_with_one_name_need_the_id(db: Database, village_id: str, zhang: str) -> None:
    with db.session() as s:
        add_person(s, WANG, head("张三", make_id(date(1980, 1, 1), 15)), village_id=village_id, today=TODAY)
        inp = PersonInput(
            name="张小",
            id_number=make_id(date(2005, 1, 1), 13),
            group_name="第一村民小组",
            relation=Relation.SON,
            household_head_name="张三",
        )
        problems = check_person_input(s, inp, village_id=village_id, today=TODAY)
        assert codes(problems) == ["head_ambiguous"]
        assert "2 位名叫“张三”的户主" in problems[0].message and "户主身份证号" in problems[0].message
        assert (
            check_person_input(s, replace(inp, household_head_id_number=ZHANG_ID), village_id=village_id, today=TODAY)
            == []
        )


def test_same_id_already_registered_names_the_person(db: Database, village_id: str, zhang: str) -> None:
    with db.session() as s:
        problems = check_person_input(s, head("张叁", ZHANG_ID), village_id=village_id, today=TODAY)
        assert [(p.field, p.code, p.severity) for p in problems] == [("id_number", "duplicate_id", Severity.ERROR)]
        assert problems[0].message.startswith("该身份证号已登记：张三（第一村民小组）")
        # The person being edited is not a duplicate of himself.
        assert (
            check_person_input(s, head("张三", ZHANG_ID), village_id=village_id, today=TODAY, existing_person_id=zhang)
            == []
        )


def test_likely_duplicates_are_warnings(db: Database, village_id: str, zhang: str) -> None:
    birth = date(1970, 3, 15)
    with db.session() as s:
        # Same name and birth date, another ID (another sequence number far from 011).
        problems = check_person_input(s, head("张三", make_id(birth, 95)), village_id=village_id, today=TODAY)
        assert [(p.code, p.severity) for p in problems] == [("possible_duplicate", Severity.WARNING)]
        assert "已登记的张三（第一村民小组）" in problems[0].message and ZHANG_ID in problems[0].message
        # One digit apart (sequence 011 → 013), a name that sounds the same (张山: zs).
        near = make_id(birth, 13)
        problems = check_person_input(s, head("张山", near), village_id=village_id, today=TODAY)
        assert [(p.code, p.severity) for p in problems] == [("similar_id", Severity.WARNING)]
        assert "前 17 位只有第 17 位数字不同" in problems[0].message
        # Two neighbouring digits swapped: the sequence 011 typed as 101 (the 15th and 16th characters).
        swapped = make_id(birth, 101)
        # The same name and birth date too: one hint for the one person (QA: it was said twice), the one that
        # says how the numbers differ.
        problems = check_person_input(s, head("张三", swapped), village_id=village_id, today=TODAY)
        assert [p.code for p in problems] == ["similar_id"]
        assert "前后颠倒" in problems[0].message and ZHANG_ID in problems[0].message
        # A near ID of someone with an unrelated name is normal between neighbours born the same day.
        assert check_person_input(s, head("李四", near), village_id=village_id, today=TODAY) == []


def test_batch_check_sees_the_batch(db: Database, village_id: str) -> None:
    inputs = [
        PersonInput(
            name="李梅", id_number=LI_ID, group_name="一组", relation=Relation.SPOUSE, household_head_name="张三"
        ),
        head("张三", ZHANG_ID, group="一组"),
        head("张三", ZHANG_ID, group="一组"),
        head("王五", make_id(date(1960, 1, 1), 11), group="一组"),
        head("王五", make_id(date(1960, 1, 1), 31), group="一组"),
    ]
    with db.session() as s:
        results = check_person_inputs(s, inputs, village_id=village_id, today=TODAY)
    # The member listed before her head is fine: the head is in the batch.
    assert results[0] == []
    assert results[1] == []
    assert codes(results[2]) == ["duplicate_id"]
    assert "与本次录入的第 2 条（张三）身份证号相同" in results[2][0].message
    assert results[3] == []
    assert codes(results[4]) == ["similar_id"]  # one hint for one likely duplicate (name and birth agree too)


def test_large_batch_finds_near_ids_among_registered_people(db: Database, village_id: str, zhang: str) -> None:
    # Above 100 inputs the registered IDs are bucketed instead of queried one neighbourhood at a time.
    inputs = roster(150, seed=11)
    near = make_id(date(1970, 3, 15), 13)  # 张三's sequence 011 typed as 013
    inputs.append(head("张三", near, group="第九村民小组"))
    with db.session() as s:
        results = check_person_inputs(s, inputs, village_id=village_id, today=TODAY)
    similar = [p for p in results[-1] if p.code == "similar_id"]
    assert len(similar) == 1 and ZHANG_ID in similar[0].message
    assert all(not errors(problems) for problems in results)


def test_large_batch_near_ids_are_what_bucketing_everything_finds(db: Database, village_id: str) -> None:
    """The registered near IDs of a large batch are bucketed only in the groups (pinyin initials) that hold a
    registered number: the same matches, in the same order, as bucketing every number — a person near two
    registered ones, a number both registered and in the batch under other initials, groups with none."""
    birth = date(1980, 5, 5)
    registered = [
        head("张三", make_id(birth, 11)),
        head("张山", make_id(birth, 13)),
        head("李四", make_id(birth, 15)),
        head("张杉", make_id(birth, 97)),
        head("王五", make_id(date(1990, 1, 1), 21)),
    ]
    with db.session() as s:
        add_persons(s, WANG, registered, village_id=village_id, today=TODAY)
    batch = [
        ("张思", make_id(birth, 17)),  # near 张三 and 张杉 (zs; 张山's number is 李山's below)
        ("张森", make_id(birth, 31)),  # near 张三 only
        ("李斯", make_id(birth, 19)),  # near 李四 (ls)
        ("李山", make_id(birth, 13)),  # 张山's number under other initials
        ("赵六", make_id(birth, 51)),  # no registered zl
        ("王武", make_id(date(1990, 1, 1), 12)),  # 021 → 012: a swap
    ] + [(p.name, p.id_number) for p in roster(150, seed=5)]
    numbers = {number: pinyin_initials(name) for name, number in batch}
    with db.session() as s:
        lookups = people._Lookups(s, village_id)
        lookups.load(numbers, (), (), ())
        stored = {number: initials for number, initials in s.execute(select(Person.id_number, Person.name_initials))}
    expected: dict[str, list[tuple[str, str]]] = {}
    for a, b, how in people._similar_pairs({**stored, **numbers}):  # what the lookup did before: every number
        if a in numbers and b in stored:
            expected.setdefault(a, []).append((b, how))
        if b in numbers and a in stored:
            expected.setdefault(b, []).append((a, how))
    found = {number: [(known.id_number, how) for known, how in near] for number, near in lookups.similar.items()}
    assert found == expected
    assert sorted(other for other, _ in found[make_id(birth, 17)]) == [make_id(birth, 11), make_id(birth, 97)]
    assert make_id(date(1990, 1, 1), 12) in found and make_id(birth, 51) not in found


def test_new_group_warning_only_when_the_village_has_groups(db: Database, village_id: str, zhang: str) -> None:
    with db.session() as s:
        problems = check_person_input(s, head("李四", LI_ID, group="第一组"), village_id=village_id, today=TODAY)
    assert [(p.code, p.severity) for p in problems] == [("new_group", Severity.WARNING)]


# --- adding one person ---


def test_add_head_and_member_writes_audit_and_outbox_for_every_record(db: Database, village_id: str) -> None:
    before = counts(db)
    with db.session() as s:
        zhang = add_person(
            s,
            WANG,
            head("张三", ZHANG_ID, category_codes=["061"], ethnicity=" 汉族 "),
            village_id=village_id,
            today=TODAY,
        )
        li = add_person(
            s,
            WANG,
            PersonInput(
                name="李梅",
                id_number=LI_ID.lower(),
                group_name="第一村民小组",
                relation=Relation.SPOUSE,
                household_head_name="张三",
            ),
            village_id=village_id,
            today=TODAY,
        )
    after = counts(db)
    # group, household, 2 persons, 1 category: 5 records, 5 audit entries, 5 outbox rows.
    assert {k: after[k] - before[k] for k in after} == {
        "person": 2,
        "household": 1,
        "villager_group": 1,
        "person_category": 1,
        "key_field_change": 0,
        "migrant_document": 0,
        "audit_entry": 5,
        "sync_outbox": 5,
    }
    with db.session() as s:
        assert verify_audit_chain(s) is None
        audit = {(e.entity_type, e.entity_id) for e in s.scalars(select(AuditEntry))}
        outbox = {(o.record_type, o.record_id) for o in s.scalars(select(OutboxEntry))}
        assert audit == outbox
        zhang_db = s.get(Person, zhang.id)
        li_db = s.get(Person, li.id)
        assert zhang_db is not None and li_db is not None
        household = s.get(Household, zhang_db.household_id)
        assert household is not None and household.head_person_id == zhang.id
        assert li_db.household_id == household.id and li_db.relation is Relation.SPOUSE
        assert (zhang_db.sex, zhang_db.birth_date) == (Sex.MALE, date(1970, 3, 15))
        assert (li_db.sex, li_db.birth_date, li_db.id_number) == (Sex.FEMALE, date(1972, 8, 1), LI_ID)
        assert zhang_db.name_initials == "zs" and zhang_db.id_number_rev == ZHANG_ID[::-1]
        assert zhang_db.ethnicity == "汉族" and zhang_db.status is PersonStatus.NOT_ENROLLED
        assert [c.category_code for c in zhang_db.categories] == ["061"]
        entry = s.scalars(select(AuditEntry).where(AuditEntry.entity_id == zhang.id)).one()
        assert entry.user == "wang" and entry.before is None and entry.after == snapshot(zhang_db)
        row = s.scalars(select(OutboxEntry).where(OutboxEntry.record_id == zhang.id)).one()
        assert row.operation == "create" and row.payload["_operator"] == "wang"


def test_refused_add_writes_nothing(db: Database, village_id: str, zhang: str) -> None:
    before = counts(db)
    attempts = [
        head("张叁", ZHANG_ID, group="新的小组"),  # duplicate ID; its group must not be created either
        head("李梅", LI_ID, category_codes=["999"]),
        PersonInput(name="李梅", id_number=LI_ID, relation=Relation.SON, household_head_name="没有这个人"),
    ]
    for inp in attempts:
        with pytest.raises(ServiceError) as refused, db.session() as s:
            add_person(s, WANG, inp, village_id=village_id, today=TODAY)
        assert refused.value.problems and all(p.severity is Severity.ERROR for p in refused.value.problems)
    assert counts(db) == before
    assert (
        "该身份证号已登记：张三（第一村民小组）"
        in ServiceError(check_person_input_errors(db, village_id, attempts[0])).user_message
    )


def check_person_input_errors(db: Database, village_id: str, inp: PersonInput) -> list[Problem]:
    with db.session() as s:
        return errors(check_person_input(s, inp, village_id=village_id, today=TODAY))


def test_member_takes_the_heads_group(db: Database, village_id: str, zhang: str) -> None:
    with db.session() as s:
        inp = PersonInput(
            name="李梅",
            id_number=LI_ID,
            group_name="第二村民小组",
            relation=Relation.SPOUSE,
            household_head_id_number=ZHANG_ID,
        )
        warnings = check_person_input(s, inp, village_id=village_id, today=TODAY)
        assert "group_mismatch" in codes(warnings)
        li = add_person(s, WANG, inp, village_id=village_id, today=TODAY)
        assert li.group is not None and li.group.name == "第一村民小组"
        assert s.scalar(select(func.count()).select_from(VillagerGroup)) == 1


# --- adding many ---


def roster(n: int, *, groups: int = 8, seed: int = 7) -> list[PersonInput]:
    """A roster of households: a head, then the members naming the head (by ID for every second household)."""
    import random

    rng = random.Random(seed)
    used: set[str] = set()
    out: list[PersonInput] = []
    surnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
    given = "伟强磊军勇杰涛明超刚芳娜敏静丽艳娟霞秀玲"

    def new_id(age: int) -> str:
        while True:
            birth = date(2025 - age, rng.randint(1, 12), rng.randint(1, 28))
            number = make_id(birth, rng.randrange(1, 999))
            if number not in used:
                used.add(number)
                return number

    household = 0
    while len(out) < n:
        household += 1
        group = f"第{household % groups + 1}村民小组"
        head_name = rng.choice(surnames) + rng.choice(given) + rng.choice(given)
        head_id = new_id(rng.randint(25, 90))
        out.append(head(head_name, head_id, group=group, category_codes=["061"] if household % 17 == 0 else []))
        for k in range(rng.randint(0, 4)):
            if len(out) >= n:
                break
            out.append(
                PersonInput(
                    name=rng.choice(surnames) + rng.choice(given),
                    id_number=new_id(rng.randint(0, 90)),
                    group_name=group,
                    relation=Relation.SPOUSE if k == 0 else Relation.SON,
                    household_head_name=head_name,
                    household_head_id_number=head_id if household % 2 else None,
                    phone="13900001111" if k == 0 else None,
                )
            )
    return out


def test_bulk_add_twenty_thousand(db: Database, village_id: str) -> None:
    inputs = roster(20_000)
    seen: list[tuple[int, int]] = []
    started = time.perf_counter()
    with db.session(immediate=True) as s:
        ids = add_persons(
            s, WANG, inputs, village_id=village_id, today=TODAY, progress=lambda d, t: seen.append((d, t))
        )
    elapsed = time.perf_counter() - started
    print(f"\nadd_persons: 20,000 persons in {elapsed:.2f} s")  # reported, not asserted (see bench/)
    assert len(ids) == len(set(ids)) == 20_000
    assert seen[-1] == (20_000, 20_000) and len(seen) == 20
    after = counts(db)
    households = sum(1 for inp in inputs if inp.relation is Relation.HEAD)
    categories = sum(len(inp.category_codes) for inp in inputs)
    assert after["person"] == 20_000 and after["household"] == households
    assert after["villager_group"] == 8 and after["person_category"] == categories
    created = 20_000 + households + 8 + categories
    assert after["audit_entry"] == after["sync_outbox"] == created
    with db.session() as s:
        assert verify_audit_chain(s) is None
        # Every household has its head, and the members are in the head's household.
        assert s.scalar(select(func.count()).select_from(Household).where(Household.head_person_id.is_(None))) == 0
        orphans = s.scalar(
            select(func.count())
            .select_from(Person)
            .where(Person.relation != Relation.HEAD, Person.household_id.is_(None))
        )
        assert orphans == 0
        # The bulk audit entry holds exactly what the ORM now reads back (the full snapshot).
        for person_id in ids[::2_000]:
            person = s.get(Person, person_id)
            assert person is not None
            entry = s.scalars(select(AuditEntry).where(AuditEntry.entity_id == person_id)).one()
            assert entry.after == snapshot(person)
            assert person.name_initials == pinyin_initials(person.name)
            outbox = s.scalars(select(OutboxEntry).where(OutboxEntry.record_id == person_id)).one()
            assert outbox.payload == {**snapshot(person), "_operator": "wang"}
        first_member = next(i for i, inp in enumerate(inputs) if inp.relation is Relation.SPOUSE)
        member = s.get(Person, ids[first_member])
        head_row = s.get(Person, ids[first_member - 1])
        assert member is not None and head_row is not None and member.household_id == head_row.household_id
        household = s.get(Household, head_row.household_id)
        assert household is not None
        household_entry = s.scalars(select(AuditEntry).where(AuditEntry.entity_id == household.id)).one()
        assert household_entry.after == snapshot(household)


def test_bulk_add_then_single_add_continue_one_chain(db: Database, village_id: str) -> None:
    with db.session() as s:
        add_person(s, WANG, head("张三", ZHANG_ID), village_id=village_id, today=TODAY)
    with db.session() as s:
        add_persons(s, WANG, roster(50, seed=3), village_id=village_id, today=TODAY)
    with db.session() as s:
        add_person(s, WANG, head("李梅", LI_ID), village_id=village_id, today=TODAY)
        assert verify_audit_chain(s) is None


def test_bulk_members_join_the_nearest_head_above(db: Database, village_id: str) -> None:
    # Two households whose heads share a name: each member follows their own head in the roster.
    first, second = make_id(date(1960, 1, 1), 11), make_id(date(1962, 1, 1), 11)
    inputs = [
        head("张伟", first),
        PersonInput(
            name="李芳",
            id_number=make_id(date(1961, 1, 1), 22),
            group_name="第一村民小组",
            relation=Relation.SPOUSE,
            household_head_name="张伟",
        ),
        head("张伟", second),
        PersonInput(
            name="王娟",
            id_number=make_id(date(1963, 1, 1), 22),
            group_name="第一村民小组",
            relation=Relation.SPOUSE,
            household_head_name="张伟",
        ),
    ]
    with db.session() as s:
        assert [errors(p) for p in check_person_inputs(s, inputs, village_id=village_id, today=TODAY)] == [[]] * 4
        ids = add_persons(s, WANG, inputs, village_id=village_id, today=TODAY)
    with db.session() as s:
        rows = [s.get(Person, i) for i in ids]
        assert rows[0].household_id == rows[1].household_id != rows[2].household_id == rows[3].household_id  # type: ignore[union-attr]


def test_bulk_refuses_duplicates_and_writes_nothing(db: Database, village_id: str, zhang: str) -> None:
    before = counts(db)
    inputs = roster(30, seed=5)
    cases = [
        [*inputs, replace(inputs[3], name="重复")],  # the same ID twice in the batch
        [*inputs, head("张叁", ZHANG_ID)],  # an ID already registered
        [*inputs, head("坏号", ZHANG_ID[:-1] + "0" if ZHANG_ID[-1] != "0" else ZHANG_ID[:-1] + "1")],
        [*inputs, PersonInput(name="没户主", id_number=LI_ID, relation=Relation.SON, household_head_name="无此人")],
    ]
    for batch in cases:
        with pytest.raises(ServiceError) as refused, db.session() as s:
            add_persons(s, WANG, batch, village_id=village_id, today=TODAY)
        assert f"第 {len(batch)} 条" in refused.value.user_message
    assert counts(db) == before


def test_cancelling_midway_leaves_the_database_unchanged(db: Database, village_id: str, zhang: str) -> None:
    before = counts(db)
    calls: list[int] = []

    def progress(done: int, total: int) -> None:
        calls.append(done)

    with pytest.raises(Cancelled) as cancelled, db.session() as s:
        add_persons(
            s,
            WANG,
            roster(5_000),
            village_id=village_id,
            today=TODAY,
            progress=progress,
            cancelled=lambda: len(calls) >= 3,
        )
    assert calls == [1000, 2000, 3000]  # rows had been written when the coordinator cancelled
    assert "没有写入任何数据" in cancelled.value.user_message
    assert counts(db) == before
    with db.session() as s:
        assert verify_audit_chain(s) is None


def test_cancelling_before_anything_is_written(db: Database, village_id: str) -> None:
    with pytest.raises(Cancelled), db.session() as s:
        add_persons(s, WANG, roster(10), village_id=village_id, today=TODAY, cancelled=lambda: True)
    assert counts(db)["person"] == 0


def test_bulk_add_into_a_demo_village_joins_existing_heads(db: Database) -> None:
    with db.session() as s:
        create_demo_village(s, persons=300, seed=4, as_of=TODAY)
        village_id = s.scalar(select(Village.id))
        head_person = s.scalars(
            select(Person).join(Household, Household.head_person_id == Person.id).order_by(Person.id_number)
        ).first()
        assert village_id is not None and head_person is not None
        group = s.get(VillagerGroup, head_person.group_id)
        assert group is not None
        newborn = PersonInput(
            name=head_person.name[0] + "小宝",
            id_number=make_id(date(2026, 5, 1), 1),
            group_name=group.name,
            relation=Relation.GRANDCHILD,
            household_head_id_number=head_person.id_number,
        )
        assert errors(check_person_input(s, newborn, village_id=village_id, today=TODAY)) == []
        (new_id,) = add_persons(s, WANG, [newborn], village_id=village_id, today=TODAY)
        assert s.get(Person, new_id).household_id == head_person.household_id  # type: ignore[union-attr]


def test_uuid_source_makes_version_4_uuids() -> None:
    import uuid

    source = UuidSource()
    made = {source() for _ in range(10_000)}
    assert len(made) == 10_000
    for text in list(made)[:100]:
        parsed = uuid.UUID(text)
        assert str(parsed) == text and parsed.version == 4 and parsed.variant == uuid.RFC_4122


# --- general fields ---


def test_general_fields_change_directly_with_audit_and_version(db: Database, zhang: str) -> None:
    with db.session() as s:
        person = update_general_fields(
            s,
            WANG,
            zhang,
            phone="0371-12345678",
            residence_address="红旗村5号",
            is_migrant_worker=True,
            base_version=1,
        )
        assert person.version == 2
    with db.session() as s:
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "update_general_fields")).one()
        assert entry.before is not None and entry.after is not None
        assert (entry.before["phone"], entry.after["phone"]) == ("13812345678", "0371-12345678")
        assert (entry.before["version"], entry.after["version"]) == (1, 2)
        outbox = s.scalars(select(OutboxEntry).where(OutboxEntry.operation == "update")).one()
        assert outbox.base_version == 1 and outbox.record_id == zhang
        assert verify_audit_chain(s) is None


def test_general_fields_keep_clear_and_no_change(db: Database, zhang: str) -> None:
    before = counts(db)
    with db.session() as s:
        person = update_general_fields(s, WANG, zhang, phone="13812345678", ethnicity=KEEP)
        assert person.version == 1
    assert counts(db) == before  # nothing changed, nothing written
    with db.session() as s:
        person = update_general_fields(s, WANG, zhang, phone=None)
        assert person.phone is None and person.version == 2


def test_general_fields_refusals_write_nothing(db: Database, zhang: str) -> None:
    before = counts(db)
    with pytest.raises(ServiceError) as refused, db.session() as s:
        update_general_fields(s, WANG, zhang, bank_card="6222 abc", phone="13900000000")
    assert "银行卡" in refused.value.user_message
    with pytest.raises(ServiceError) as stale, db.session() as s:
        update_general_fields(s, WANG, zhang, phone="13900000000", base_version=7)
    assert "请关闭后重新打开再修改" in stale.value.user_message
    assert counts(db) == before


# --- key fields ---


def test_key_field_change_needs_reason_and_evidence(db: Database, zhang: str) -> None:
    before = counts(db)
    for reason, evidence in (("", "档案2026-001"), ("户籍更正", " "), ("", "")):
        with pytest.raises(ServiceError) as refused, db.session() as s:
            change_key_field(s, WANG, zhang, "name", "张叁", reason=reason, evidence_ref=evidence)
        fields = {p.field for p in refused.value.problems}
        assert fields == ({"reason"} if not reason else set()) | ({"evidence_ref"} if not evidence.strip() else set())
    assert counts(db) == before


def test_name_change_keeps_before_and_after(db: Database, zhang: str) -> None:
    with db.session() as s:
        person = change_key_field(
            s, WANG, zhang, "name", "张叁", reason="户口簿姓名更正", evidence_ref="登记表2026-015、户口簿复印件"
        )
        assert (person.name, person.name_initials, person.version) == ("张叁", "zs", 2)
    with db.session() as s:
        change = s.scalars(select(KeyFieldChange)).one()
        assert (change.field, change.before, change.after, change.changed_by) == ("name", "张三", "张叁", "wang")
        assert change.evidence_ref == "登记表2026-015、户口簿复印件"
        entries = s.scalars(select(AuditEntry).order_by(AuditEntry.seq)).all()
        assert [e.action for e in entries[-2:]] == ["change_name", "key_field_change"]
        assert "户口簿姓名更正" in (entries[-2].reason or "") and "登记表2026-015" in (entries[-2].reason or "")
        assert {o.record_type for o in s.scalars(select(OutboxEntry))} >= {"person", "key_field_change"}
        assert verify_audit_chain(s) is None


def test_new_id_number_rederives_birth_date_and_sex(db: Database, zhang: str) -> None:
    corrected = make_id(date(1971, 3, 15), 12)  # another year, and a woman
    with db.session() as s:
        person = change_key_field(s, WANG, zhang, "id_number", corrected, reason="身份证号录错", evidence_ref="A-1")
        assert (person.id_number, person.birth_date, person.sex) == (corrected, date(1971, 3, 15), Sex.FEMALE)
        assert person.id_number_rev == corrected[::-1]
    with db.session() as s:
        changes = {c.field: (c.before, c.after) for c in s.scalars(select(KeyFieldChange))}
    assert changes == {
        "id_number": (ZHANG_ID, corrected),
        "birth_date": ("1970-03-15", "1971-03-15"),
        "sex": ("男", "女"),
    }


def test_birth_date_or_sex_alone_must_agree_with_the_id(db: Database, zhang: str) -> None:
    before = counts(db)
    with pytest.raises(ServiceError) as refused, db.session() as s:
        change_key_field(s, WANG, zhang, "birth_date", date(1970, 3, 16), reason="登记错误", evidence_ref="A-2")
    assert "出生日期必须与身份证号一致" in refused.value.user_message
    assert "请先更正身份证号" in refused.value.user_message
    with pytest.raises(ServiceError) as refused, db.session() as s:
        change_key_field(s, WANG, zhang, "sex", "女", reason="登记错误", evidence_ref="A-2")
    assert "性别必须与身份证号一致" in refused.value.user_message and "请先更正身份证号" in refused.value.user_message
    assert counts(db) == before


def test_id_of_another_person_is_refused(db: Database, village_id: str, zhang: str) -> None:
    with db.session() as s:
        add_person(s, WANG, head("李梅", LI_ID, group="第二村民小组"), village_id=village_id, today=TODAY)
    before = counts(db)
    with pytest.raises(ServiceError) as refused, db.session() as s:
        change_key_field(s, WANG, zhang, "id_number", LI_ID, reason="更正", evidence_ref="A-3")
    assert "该身份证号已登记：李梅（第二村民小组）" in refused.value.user_message
    assert counts(db) == before


# --- households and groups ---


def test_household_moves_and_head_changes(db: Database, village_id: str, zhang: str) -> None:
    son_id = make_id(date(1995, 6, 1), 31)
    with db.session() as s:
        li = add_person(
            s,
            WANG,
            PersonInput(name="李梅", id_number=LI_ID, relation=Relation.SPOUSE, household_head_id_number=ZHANG_ID),
            village_id=village_id,
            today=TODAY,
        )
        son = add_person(
            s,
            WANG,
            PersonInput(name="张强", id_number=son_id, relation=Relation.SON, household_head_name="张三"),
            village_id=village_id,
            today=TODAY,
        )
        household_id = s.get(Person, zhang).household_id  # type: ignore[union-attr]
        li_id, son_person_id = li.id, son.id
    assert household_id is not None
    # The head cannot leave while members remain.
    with pytest.raises(ServiceError) as refused, db.session() as s:
        create_household(s, WANG, zhang)
    assert "请先为原户指定新户主" in refused.value.user_message
    # The son becomes head; the father becomes 父母, the mother too.
    with db.session() as s:
        household = set_household_head(
            s, WANG, household_id, son_person_id, old_head_relation=Relation.PARENT, relations={li_id: Relation.PARENT}
        )
        assert household.head_person_id == son_person_id and household.version == 2
        assert s.get(Person, zhang).relation is Relation.PARENT  # type: ignore[union-attr]
        assert s.get(Person, li_id).relation is Relation.PARENT  # type: ignore[union-attr]
        assert s.get(Person, son_person_id).relation is Relation.HEAD  # type: ignore[union-attr]
    # The son starts his own household elsewhere? He is head with members: refused. The father may.
    with db.session() as s:
        new_household = create_household(s, WANG, zhang, number="00077", address="红旗村7号")
        father = s.get(Person, zhang)
        assert father is not None and father.household_id == new_household.id and father.relation is Relation.HEAD
    with db.session() as s:
        moved = move_to_household(s, WANG, li_id, new_household.id, Relation.SPOUSE)
        assert moved.household_id == new_household.id and moved.relation is Relation.SPOUSE
    with pytest.raises(ServiceError), db.session() as s:
        move_to_household(s, WANG, li_id, household_id, Relation.HEAD)
    with db.session() as s:
        assert verify_audit_chain(s) is None
        audit = [(e.entity_type, e.entity_id) for e in s.scalars(select(AuditEntry))]
        outbox = [(o.record_type, o.record_id) for o in s.scalars(select(OutboxEntry))]
        assert audit == outbox


def test_single_person_household_left_behind_has_no_head(db: Database, village_id: str, zhang: str) -> None:
    with db.session() as s:
        li = add_person(s, WANG, head("李梅", LI_ID), village_id=village_id, today=TODAY)
        old_household = li.household_id
        household_id = s.get(Person, zhang).household_id  # type: ignore[union-attr]
        move_to_household(s, WANG, li.id, household_id, Relation.SPOUSE)  # type: ignore[arg-type]
        emptied = s.get(Household, old_household)
        assert emptied is not None and emptied.head_person_id is None


def every_row(db: Database) -> dict[str, list[tuple[object, ...]]]:
    """Every table's rows, whole: a refusal must leave each one exactly as it was."""
    with db.session() as s:
        return {
            table.name: sorted((tuple(row) for row in s.execute(table.select())), key=repr)
            for table in Base.metadata.sorted_tables
        }


@pytest.fixture
def family(db: Database, village_id: str, zhang: str) -> dict[str, str]:
    """张三's household after the son 张强 became head: 李梅 is still 配偶 (to the old head), 张三 is 父母."""
    with db.session() as s:
        li = add_person(
            s,
            WANG,
            PersonInput(name="李梅", id_number=LI_ID, relation=Relation.SPOUSE, household_head_id_number=ZHANG_ID),
            village_id=village_id,
            today=TODAY,
        )
        son = add_person(
            s,
            WANG,
            PersonInput(
                name="张强", id_number=make_id(date(1995, 6, 1), 31), relation=Relation.SON, household_head_name="张三"
            ),
            village_id=village_id,
            today=TODAY,
        )
        household_id = s.get(Person, zhang).household_id  # type: ignore[union-attr]
        ids = {"zhang": zhang, "li": li.id, "son": son.id, "household": str(household_id)}
    with db.session() as s:
        set_household_head(s, WANG, ids["household"], ids["son"], old_head_relation=Relation.PARENT)
    return ids


def test_set_relation_after_a_head_change(db: Database, family: dict[str, str]) -> None:
    with db.session() as s:
        li = s.get(Person, family["li"])
        assert li is not None and li.relation is Relation.SPOUSE and li.version == 1
    before_audit, before_outbox = counts(db)["audit_entry"], counts(db)["sync_outbox"]
    with db.session() as s:
        person = set_relation(s, WANG, family["li"], Relation.PARENT, base_version=1)
        assert person.relation is Relation.PARENT and person.version == 2
    after = counts(db)
    # Two audit entries: the relation, and its 待核对 mark (left by the head change) going; one outbox row.
    assert (after["audit_entry"], after["sync_outbox"]) == (before_audit + 2, before_outbox + 1)
    with db.session() as s:
        assert s.get(Person, family["li"]).relation is Relation.PARENT  # type: ignore[union-attr]
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "set_relation")).one()
        assert entry.entity_id == family["li"] and entry.user == "wang"
        assert entry.before is not None and entry.after is not None
        assert (entry.before["relation"], entry.after["relation"]) == ("spouse", "parent")
        assert (entry.before["version"], entry.after["version"]) == (1, 2)
        outbox = s.scalars(select(OutboxEntry).order_by(OutboxEntry.seq.desc())).first()
        assert outbox is not None and outbox.record_id == family["li"]
        assert outbox.operation == "update" and outbox.base_version == 1
        assert verify_audit_chain(s) is None
    # Without base_version it changes whatever version is stored.
    with db.session() as s:
        assert set_relation(s, WANG, family["li"], Relation.OTHER).version == 3


def test_set_relation_refusals_write_nothing(db: Database, village_id: str, family: dict[str, str]) -> None:
    with db.session() as s:
        loner = PersonInput(name="王五", id_number=make_id(date(1980, 1, 1), 51), group_name="第一村民小组")
        loner_id = add_person(s, WANG, loner, village_id=village_id, today=TODAY).id
        assert s.get(Person, loner_id).household_id is None  # type: ignore[union-attr]
    before = every_row(db)

    def refused(person_id: str, relation: Relation, actor: Actor = WANG, **kw: object) -> str:
        with pytest.raises(ServiceError) as error, db.session() as s:
            set_relation(s, actor, person_id, relation, **kw)  # type: ignore[arg-type]
        return error.value.user_message

    assert "还没有归入任何一户" in refused(loner_id, Relation.SON)
    assert "是本户户主" in refused(family["son"], Relation.SON)
    assert "设为户主" in refused(family["li"], Relation.HEAD)
    reviewer = Actor("bob", UserRole.REVIEWER, "白复核")
    assert "复核员只审核" in refused(family["li"], Relation.PARENT, reviewer)
    assert "请关闭后重新打开再修改" in refused(family["li"], Relation.PARENT, base_version=7)
    assert "找不到这个人员" in refused("no-such-person", Relation.PARENT)
    assert every_row(db) == before
    # The same relation again confirms it: only the 待核对 mark goes (with its audit entry); the version stays.
    with db.session() as s:
        assert set_relation(s, WANG, family["li"], Relation.SPOUSE, base_version=1).version == 1
    confirmed = every_row(db)
    assert confirmed["person"] == before["person"] and confirmed["sync_outbox"] == before["sync_outbox"]
    assert confirmed["relation_check"] == [] and len(confirmed["audit_entry"]) == len(before["audit_entry"]) + 1
    # Once more: nothing is written at all.
    with db.session() as s:
        assert set_relation(s, WANG, family["li"], Relation.SPOUSE, base_version=1).version == 1
    assert every_row(db) == confirmed


def test_a_member_in_the_household_is_told_to_use_relation_change(db: Database, family: dict[str, str]) -> None:
    with pytest.raises(ServiceError) as refused, db.session() as s:
        move_to_household(s, WANG, family["li"], family["household"], Relation.PARENT)
    assert "改关系" in refused.value.user_message


def test_groups_are_unique_within_the_village(db: Database, village_id: str, zhang: str) -> None:
    with db.session() as s:
        group = create_group(s, WANG, village_id, " 第二村民小组 ")
        assert group.name == "第二村民小组" and group.sort_order == 2
    before = counts(db)
    for name in ("第一村民小组", "", "  "):
        with pytest.raises(ServiceError), db.session() as s:
            create_group(s, WANG, village_id, name)
    with pytest.raises(ServiceError) as refused, db.session() as s:
        rename_group(s, WANG, group.id, "第一村民小组")
    assert "小组名称不能重复" in refused.value.user_message
    assert counts(db) == before
    with db.session() as s:
        renamed = rename_group(s, WANG, group.id, "西庄")
        assert renamed.name == "西庄"
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "rename_group")).one()
        assert entry.before is not None and entry.before["name"] == "第二村民小组"


# --- identity categories ---


def test_categories(db: Database, zhang: str) -> None:
    before = counts(db)
    with pytest.raises(ServiceError) as refused, db.session() as s:
        add_category(s, WANG, zhang, "061", None, date(2026, 1, 1))
    assert "必须登记证明材料编号" in refused.value.user_message
    with pytest.raises(ServiceError), db.session() as s:
        add_category(s, WANG, zhang, "999", "证明-1", date(2026, 1, 1))
    with pytest.raises(ServiceError), db.session() as s:
        add_category(s, WANG, zhang, "061", "证明-1", date(2026, 1, 1), date(2025, 1, 1))
    assert counts(db) == before
    with db.session() as s:
        category = add_category(s, WANG, zhang, "061", "低保证2026-08", date(2026, 1, 1))
        category_id = category.id
    with pytest.raises(ServiceError) as overlap, db.session() as s:
        add_category(s, WANG, zhang, "061", "低保证2026-09", date(2026, 6, 1))
    assert "有效期与本次重叠" in overlap.value.user_message
    with db.session() as s:
        ended = end_category(s, WANG, category_id, date(2026, 10, 31))
        assert ended.valid_to == date(2026, 10, 31)
        again = add_category(s, WANG, zhang, "061", "低保证2027-01", date(2027, 1, 1))
        assert again.valid_from == date(2027, 1, 1)
        add_category(s, WANG, zhang, "071", None, None)  # 计生特扶 (no hardship) needs no proof
    with pytest.raises(ServiceError) as ordinary, db.session() as s:
        add_category(s, WANG, zhang, "011", None, None)  # 普通 is having no other category: nothing to store
    assert "不需要登记" in ordinary.value.user_message
    with pytest.raises(ServiceError), db.session() as s:
        end_category(s, WANG, category_id, date(2026, 12, 31))  # already ended


def test_a_category_entered_without_proof_is_completed(db: Database, village_id: str) -> None:
    """A roster's 061 低保 arrives without proof (add_persons stores none): complete_category adds it later."""
    number = "34052419800101001X"
    with db.session() as s:
        person_id = people.add_persons(
            s, WANG, [PersonInput(name="钱低保", id_number=number, category_codes=["061", "011"])],
            village_id=village_id, today=TODAY,
        )[0]
    with db.session() as s:
        records = s.scalars(select(PersonCategory).where(PersonCategory.person_id == person_id)).all()
        assert [r.category_code for r in records] == ["061"]  # 普通 beside it is not stored
        record_id = records[0].id
        assert people.category_proof_owed(people.policy_pack_in_force(s, TODAY), "061", records[0].proof_ref)
    with pytest.raises(ServiceError) as refused, db.session() as s:
        people.complete_category(s, WANG, record_id, " ", date(2026, 1, 1))
    assert "必须登记证明材料编号" in refused.value.user_message
    with pytest.raises(ServiceError), db.session() as s:
        people.complete_category(s, WANG, record_id, "低保证-1", date(2026, 1, 1), date(2025, 12, 31))
    with db.session() as s:
        done = people.complete_category(s, WANG, record_id, "低保证-1", date(2026, 1, 1), date(2026, 12, 31))
        assert (done.proof_ref, done.valid_from, done.valid_to) == ("低保证-1", date(2026, 1, 1), date(2026, 12, 31))
        add_category(s, WANG, person_id, "061", "低保证-2", date(2027, 1, 1))
    with pytest.raises(ServiceError) as overlap, db.session() as s:  # stretched over the next period
        people.complete_category(s, WANG, record_id, "低保证-1", date(2026, 1, 1), None)
    assert "重叠" in overlap.value.user_message
    with db.session() as s:
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "complete_category")).one()
        assert entry.entity_id == record_id


# --- migrant workers ---


def test_migrant_worker_documents(db: Database, village_id: str, zhang: str) -> None:
    with db.session() as s:
        li = add_person(s, WANG, head("李梅", LI_ID, group="第二村民小组"), village_id=village_id, today=TODAY)
        li_id = li.id
        documents = mark_migrant_worker(s, WANG, zhang, 2026)
        assert [d.kind for d in documents] == [
            MigrantDocumentKind.POWER_OF_ATTORNEY,
            MigrantDocumentKind.COMMITMENT,
            MigrantDocumentKind.NO_OTHER_PENSION,
        ]
        assert {d.due_date for d in documents} == {date(2026, 10, 31)}  # the pack's deadline
        person = s.get(Person, zhang)
        assert person is not None and person.is_migrant_worker and person.version == 2
        mark_migrant_worker(s, WANG, li_id, 2026, deadline=date(2026, 12, 31))
        receive_migrant_document(s, WANG, documents[0].id, received_on=date(2026, 9, 1), note="本人邮寄", today=TODAY)
    with pytest.raises(ServiceError), db.session() as s:
        mark_migrant_worker(s, WANG, zhang, 2026)
    with pytest.raises(ServiceError), db.session() as s:
        receive_migrant_document(s, WANG, documents[0].id, received_on=date(2026, 9, 2), today=TODAY)
    with pytest.raises(ServiceError), db.session() as s:
        receive_migrant_document(s, WANG, documents[1].id, received_on=date(2026, 12, 1), today=TODAY)
    with db.session() as s:
        missing = missing_migrant_documents(s, 2026, TODAY, village_id=village_id)
    assert [(m.name, m.missing_labels, m.overdue) for m in missing] == [
        ("张三", "承诺书、未在他处参保证明", True),  # 2026-10-31 has passed on 2026-11-22
        ("李梅", "委托书、承诺书、未在他处参保证明", False),  # due 2026-12-31
    ]
    assert missing[0].group_name == "第一村民小组" and missing[1].due_date == date(2026, 12, 31)
    with db.session() as s:
        assert verify_audit_chain(s) is None
        assert s.scalar(select(func.count()).select_from(OutboxEntry)) == s.scalar(
            select(func.count()).select_from(AuditEntry)
        )


# --- likely duplicates across the village ---


def test_find_duplicates_in_a_demo_village(db: Database) -> None:
    with db.session() as s:
        create_demo_village(s, persons=3000, seed=9, as_of=TODAY)
        village_id = s.scalar(select(Village.id))
        assert village_id is not None
        baseline = find_duplicates(s, village_id)
        someone = s.scalars(select(Person).where(Person.relation == Relation.HEAD).order_by(Person.id_number)).first()
        assert someone is not None
        twin_birth = someone.birth_date
        seq = int(someone.id_number[14:17])
        # Registered twice: once with another sequence number, every digit different (same name and birth date)…
        other_seq = int("".join(str((int(d) + 5) % 10) for d in someone.id_number[14:17]))
        again = make_id(twin_birth, other_seq, area=someone.id_number[:6])
        # …and a homophone name with one digit of the address code mistyped.
        area = someone.id_number[:5] + str((int(someone.id_number[5]) + 1) % 10)
        typo = make_id(twin_birth, seq, area=area)
        add_persons(
            s,
            WANG,
            [
                PersonInput(name=someone.name, id_number=again),
                PersonInput(name=someone.name, id_number=typo),
            ],
            village_id=village_id,
            today=TODAY,
        )
        found = find_duplicates(s, village_id)
    new = [p for p in found if p not in baseline]
    kinds = {(p.kind, frozenset({p.first.id_number, p.second.id_number})) for p in new}
    assert (DuplicateKind.SAME_NAME_AND_BIRTH, frozenset({someone.id_number, again})) in kinds
    assert (DuplicateKind.SIMILAR_ID, frozenset({someone.id_number, typo})) in kinds
    similar = next(p for p in new if p.kind is DuplicateKind.SIMILAR_ID)
    # The typo has the same name and birth date too: listed once, as a similar ID that says so.
    assert similar.reason == "身份证号前 17 位只有第 6 位数字不同，姓名、出生日期也相同"
    assert (DuplicateKind.SAME_NAME_AND_BIRTH, frozenset({someone.id_number, typo})) not in kinds
    # Each pair once, never a person with himself.
    assert len({(p.first.person_id, p.second.person_id) for p in found}) == len(found)
    assert all(p.first.person_id != p.second.person_id for p in found)


def test_block_keys_catch_every_one_digit_change_and_adjacent_swap() -> None:
    from pensiondesk.services.people import _block_keys, _neighbours, how_similar

    number = make_id(date(1966, 7, 15), 123, area="222405")
    for other in _neighbours(number):
        assert how_similar(number, other) is not None
        assert set(_block_keys(number)) & set(_block_keys(other)), other
    swaps = sum(1 for i in range(16) if number[i] != number[i + 1])  # swapping equal digits changes nothing
    assert len(set(_neighbours(number))) == len(_neighbours(number)) == 17 * 9 + swaps


def _similar_pairs_bucketing_everything(numbers: dict[str, str]) -> list[tuple[str, str, str]]:
    """``people._similar_pairs`` as it was until 2026-12-04: one bucket per (group, key) over all the numbers."""
    from collections import defaultdict

    from pensiondesk.services.people import _block_keys, how_similar

    buckets: dict[str, list[str]] = defaultdict(list)
    for number, group in numbers.items():
        if len(number) == 18:
            for key in _block_keys(number):
                buckets[group + "\x1f" + key].append(number)
    seen: set[tuple[str, str]] = set()
    found = []
    for members in buckets.values():
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                pair = (a, b) if a < b else (b, a)
                how = how_similar(a, b)
                if pair not in seen and how is not None:
                    seen.add(pair)
                    found.append((pair[0], pair[1], how))
    return found


def test_similar_pairs_group_by_group_find_the_same_pairs_in_each_numbers_order() -> None:
    """Searching each initials group on its own finds exactly the pairs bucketing everything at once found, and
    lists every number's pairs in the same order (twins and triplets one digit apart, swaps, groups of 1, 2, many)."""
    import random

    from pensiondesk.services.people import _similar_pairs

    rng = random.Random(20261204)
    numbers: dict[str, str] = {}
    for _ in range(3000):
        birth = date(rng.randint(1940, 2020), rng.randint(1, 12), rng.randint(1, 28))
        seq = rng.randrange(1, 990)
        initials = "".join(rng.choice("zwlyh") for _ in range(rng.choice((2, 3))))
        numbers[make_id(birth, seq)] = initials
        for step in range(rng.choice((0, 0, 0, 1, 2, 3))):  # siblings born the same day, near sequence numbers
            numbers[make_id(birth, seq + 2 * (step + 1))] = initials if rng.random() < 0.8 else "x"
        if rng.random() < 0.05:  # a swap of the 15th and 16th digits
            swapped = f"{seq:03d}"
            numbers[make_id(birth, int(swapped[1] + swapped[0] + swapped[2]))] = initials
    numbers["12345"] = "zw"  # not 18 characters: never paired
    expected = _similar_pairs_bucketing_everything(numbers)
    found = list(_similar_pairs(numbers))
    assert sorted(found) == sorted(expected) and len(found) > 300

    def by_number(pairs: list[tuple[str, str, str]]) -> dict[str, list[tuple[str, str, str]]]:
        listed: dict[str, list[tuple[str, str, str]]] = {}
        for pair in pairs:
            for number in pair[:2]:
                listed.setdefault(number, []).append(pair)
        return listed

    assert by_number(found) == by_number(expected)
    assert any(len(pairs) > 2 for pairs in by_number(found).values())  # numbers with several near ones


def test_module_exports_what_the_importer_uses() -> None:
    for name in ("check_person_input", "check_person_inputs", "add_persons", "Cancelled", "policy_pack_in_force"):
        assert hasattr(people, name)
