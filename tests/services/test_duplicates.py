"""疑似重复登记排查 on a real SQLite file: the flagged pairs, 不是同一人 with its audit entry, 撤销, and refusals."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from pensiondesk.domain.codes import Relation, UserRole
from pensiondesk.domain.idnumber import check_character
from pensiondesk.services import people
from pensiondesk.services.duplicates import dismiss, likely_duplicates, undo_dismissal
from pensiondesk.services.people import DuplicateKind
from pensiondesk.services.people_types import PersonInput, ServiceError
from pensiondesk.services.recording import Actor, verify_audit_chain
from pensiondesk.store.db import Database
from pensiondesk.store.models import AuditEntry, DuplicateDismissal, OutboxEntry

WANG = Actor("wang", UserRole.COORDINATOR, "王协办")
LI = Actor("li", UserRole.REVIEWER, "李复核")


def make_id(birth: date, seq: int, area: str = "411099") -> str:
    first17 = f"{area}{birth:%Y%m%d}{seq:03d}"
    return first17 + check_character(first17)


def add(db: Database, village_id: str, name: str, number: str) -> str:
    with db.session() as s:
        inp = PersonInput(name=name, id_number=number, group_name="第一村民小组", relation=Relation.HEAD)
        return people.add_person(s, WANG, inp, village_id=village_id).id


@pytest.fixture
def pairs(db: Database, village_id: str) -> dict[str, tuple[str, str]]:
    """Two likely duplicates: 张伟 twice with one birth date (other IDs), 李强/李蔷 with IDs one digit apart."""
    born = date(1980, 1, 1)
    twins = (add(db, village_id, "张伟", make_id(born, 11)), add(db, village_id, "张伟", make_id(born, 25)))
    near = (
        add(db, village_id, "李强", make_id(date(1975, 6, 6), 31, "411099")),
        add(db, village_id, "李蔷", make_id(date(1975, 6, 6), 31, "411098")),  # one digit apart, names read alike
    )
    add(db, village_id, "王芳", make_id(date(1990, 2, 2), 42))  # nobody like her
    return {"twins": twins, "near": near}


def counts(db: Database) -> tuple[int, int, int]:
    with db.session() as s:
        return tuple(  # type: ignore[return-value]
            s.scalar(select(func.count()).select_from(m)) or 0 for m in (DuplicateDismissal, AuditEntry, OutboxEntry)
        )


def test_the_check_lists_both_kinds(db: Database, village_id: str, pairs: dict[str, tuple[str, str]]) -> None:
    with db.session() as s:
        items = likely_duplicates(s, village_id)
    kinds = {item.pair.kind: {item.pair.first.person_id, item.pair.second.person_id} for item in items}
    assert kinds == {
        DuplicateKind.SAME_NAME_AND_BIRTH: set(pairs["twins"]),
        DuplicateKind.SIMILAR_ID: set(pairs["near"]),
    }
    assert not any(item.dismissed for item in items)
    reasons = {item.pair.kind: item.pair.reason for item in items}
    assert reasons[DuplicateKind.SAME_NAME_AND_BIRTH] == "姓名（张伟）和出生日期（1980-01-01）都相同，身份证号不同"
    assert reasons[DuplicateKind.SIMILAR_ID] == "身份证号前 17 位只有第 6 位数字不同，姓名读音相近"


def test_a_pair_flagged_both_ways_is_listed_once(db: Database, village_id: str) -> None:
    """The same name and birth date and IDs one digit apart: one entry (QA: the same pair was listed twice)."""
    first = add(db, village_id, "赵敏", make_id(date(1985, 5, 5), 13))
    second = add(db, village_id, "赵敏", make_id(date(1985, 5, 5), 15))
    with db.session() as s:
        items = likely_duplicates(s, village_id)
    assert [(i.pair.kind, {i.pair.first.person_id, i.pair.second.person_id}) for i in items] == [
        (DuplicateKind.SIMILAR_ID, {first, second})
    ]
    assert items[0].pair.reason == "身份证号前 17 位只有第 17 位数字不同，姓名、出生日期也相同"
    with db.session() as s:
        dismiss(s, WANG, first, second, DuplicateKind.SIMILAR_ID, "核对户口簿，系双胞胎")
    with db.session() as s:
        assert likely_duplicates(s, village_id) == []  # one decision for the one pair


def test_not_the_same_person_hides_the_pair_until_undone(
    db: Database, village_id: str, pairs: dict[str, tuple[str, str]]
) -> None:
    first, second = pairs["twins"]
    before = counts(db)
    with db.session() as s:
        row = dismiss(s, WANG, second, first, DuplicateKind.SAME_NAME_AND_BIRTH, "  核对户口簿，系双胞胎 ")
        dismissal_id = row.id
    # one dismissal and its audit entry; village working data: nothing for the county
    assert counts(db) == (before[0] + 1, before[1] + 1, before[2])
    with db.session() as s:
        stored = s.get(DuplicateDismissal, dismissal_id)
        assert stored is not None
        assert (stored.first_person_id, stored.second_person_id) == tuple(sorted((first, second)))
        assert (stored.note, stored.created_by) == ("核对户口簿，系双胞胎", "wang")
        entry = s.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc())).first()
        assert entry is not None and (entry.action, entry.user, entry.reason) == (
            "dismiss_duplicate",
            "wang",
            "核对户口簿，系双胞胎",
        )
        assert [i.pair.kind for i in likely_duplicates(s, village_id)] == [DuplicateKind.SIMILAR_ID]
        shown = likely_duplicates(s, village_id, include_dismissed=True)
        assert [(i.pair.kind, i.dismissed, i.note) for i in shown if i.dismissed] == [
            (DuplicateKind.SAME_NAME_AND_BIRTH, True, "核对户口簿，系双胞胎")
        ]
    with db.session() as s:
        undo_dismissal(s, WANG, dismissal_id)
    with db.session() as s:
        assert len(likely_duplicates(s, village_id)) == 2
        assert s.scalars(select(AuditEntry.action).order_by(AuditEntry.seq.desc())).first() == "undo_dismiss_duplicate"
        assert verify_audit_chain(s) is None
    assert counts(db)[2] == before[2]


def test_refusals_write_nothing(db: Database, village_id: str, pairs: dict[str, tuple[str, str]]) -> None:
    first, second = pairs["twins"]
    with db.session() as s:
        dismiss(s, WANG, first, second, DuplicateKind.SAME_NAME_AND_BIRTH)
    before = counts(db)
    cases = [
        (WANG, first, second, DuplicateKind.SAME_NAME_AND_BIRTH, "", "已经判定为不是同一人"),
        (WANG, first, second, DuplicateKind.SIMILAR_ID, "", "不再是疑似重复"),  # their IDs are not near
        (WANG, first, first, DuplicateKind.SAME_NAME_AND_BIRTH, "", "两条不同记录"),
        (WANG, first, "no-such-person", DuplicateKind.SAME_NAME_AND_BIRTH, "", "找不到"),
        (WANG, *pairs["near"], DuplicateKind.SIMILAR_ID, "说" * 201, "说明太长"),
        (LI, *pairs["near"], DuplicateKind.SIMILAR_ID, "", "复核员只审核"),
    ]
    for actor, a, b, kind, note, words in cases:
        with pytest.raises(ServiceError) as refused, db.session() as s:
            dismiss(s, actor, a, b, kind, note)
        assert words in refused.value.user_message
    with pytest.raises(ServiceError) as refused, db.session() as s:
        undo_dismissal(s, WANG, "gone")
    assert "已经撤销" in refused.value.user_message
    assert counts(db) == before


def test_a_corrected_record_is_no_longer_flagged(
    db: Database, village_id: str, pairs: dict[str, tuple[str, str]]
) -> None:
    _, second = pairs["near"]
    with db.session() as s:
        people.change_key_field(
            s, WANG, second, "id_number", make_id(date(1975, 6, 6), 57, "411098"), reason="录错", evidence_ref="身份证"
        )
    with db.session() as s:
        assert [i.pair.kind for i in likely_duplicates(s, village_id)] == [DuplicateKind.SAME_NAME_AND_BIRTH]
