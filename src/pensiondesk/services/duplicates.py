"""疑似重复登记排查: the village's likely duplicates, for a person to decide (issue: People, duplicates).

:func:`people.find_duplicates` flags pairs that may be one person registered twice — the same name and birth
date, or ID numbers one digit (or one adjacent swap) apart with names that agree. A coordinator looks at each pair:

* the same person — they correct it (修改关键信息 on the wrong record, after checking the 户口簿); once the IDs or
  names no longer agree the pair is no longer flagged;
* two different people (twins, namesakes, neighbours' IDs) — :func:`dismiss` records 不是同一人 with how it was
  checked, and the pair is not shown again for that reason; :func:`undo_dismissal` (撤销) shows it again.

Each decision is one transaction with its audit entry; it is village working data and is not sent to the county.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from pensiondesk.services.people import DuplicateKind, DuplicatePair, find_duplicates, how_similar, names_agree
from pensiondesk.services.people_types import Problem, ServiceError
from pensiondesk.services.permissions import require_entry
from pensiondesk.services.recording import Actor, record_change, snapshot
from pensiondesk.store.models import DuplicateDismissal, Person

__all__ = ["NOTE_MAX", "DuplicateItem", "dismiss", "likely_duplicates", "undo_dismissal"]

#: Longest note on a dismissal (the column's size).
NOTE_MAX = 200


@dataclass(frozen=True, slots=True)
class DuplicateItem:
    """One flagged pair as the check lists it; ``dismissal_id`` is set when it was judged 不是同一人."""

    pair: DuplicatePair
    dismissal_id: str | None = None
    note: str | None = None
    dismissed_by: str | None = None

    @property
    def dismissed(self) -> bool:
        return self.dismissal_id is not None


def _key(first_id: str, second_id: str, kind: str) -> tuple[str, str, str]:
    a, b = sorted((first_id, second_id))
    return a, b, kind


def likely_duplicates(session: Session, village_id: str, *, include_dismissed: bool = False) -> list[DuplicateItem]:
    """The village's likely duplicates, in the order of :func:`people.find_duplicates`; pairs judged 不是同一人 are
    left out unless ``include_dismissed`` (they then carry their dismissal)."""
    dismissed = {
        _key(row.first_person_id, row.second_person_id, row.kind): row
        for row in session.scalars(select(DuplicateDismissal).where(DuplicateDismissal.village_id == village_id))
    }
    items: list[DuplicateItem] = []
    for pair in find_duplicates(session, village_id):
        row = dismissed.get(_key(pair.first.person_id, pair.second.person_id, pair.kind.value))
        if row is None:
            items.append(DuplicateItem(pair))
        elif include_dismissed:
            items.append(DuplicateItem(pair, row.id, row.note, row.created_by))
    return items


def _still_flagged(first: Person, second: Person, kind: DuplicateKind) -> bool:
    """Whether :func:`people.find_duplicates` flags the two for ``kind`` (the same rules, for one pair)."""
    if kind is DuplicateKind.SAME_NAME_AND_BIRTH:
        return first.name == second.name and first.birth_date == second.birth_date
    return how_similar(first.id_number, second.id_number) is not None and names_agree(
        first.name, first.name_initials, second.name, second.name_initials
    )


def dismiss(
    session: Session, actor: Actor, first_person_id: str, second_person_id: str, kind: DuplicateKind, note: str = ""
) -> DuplicateDismissal:
    """不是同一人: record that the two persons flagged for ``kind`` are different people; the pair is not flagged
    again for that reason. ``note`` says how it was checked (optional, up to :data:`NOTE_MAX` characters).

    Refused when a person is missing, the two are the same record or in different villages, the pair is no longer
    flagged for that reason (someone corrected it meanwhile), it was already dismissed, or the actor is a 复核员.
    """
    require_entry(actor, "判定疑似重复")
    text = note.strip()
    if len(text) > NOTE_MAX:
        raise ServiceError([Problem("note", f"说明太长（{len(text)} 个字，最多 {NOTE_MAX} 个）；请精简后再保存")])
    first, second = session.get(Person, first_person_id), session.get(Person, second_person_id)
    if first is None or second is None:
        raise ServiceError("找不到这两个人中的一个，可能已被删除；请刷新后重试")
    if first.id == second.id or first.village_id != second.village_id:
        raise ServiceError("只能判定同一个村里的两条不同记录")
    if not _still_flagged(first, second, kind):
        raise ServiceError(f"{first.name}和{second.name}的信息已经改过，不再是疑似重复；请刷新列表")
    a, b, code = _key(first.id, second.id, kind.value)
    taken = session.scalar(
        select(DuplicateDismissal.id).where(
            DuplicateDismissal.first_person_id == a,
            DuplicateDismissal.second_person_id == b,
            DuplicateDismissal.kind == code,
        )
    )
    if taken is not None:
        raise ServiceError(f"{first.name}和{second.name}已经判定为不是同一人；请刷新列表")
    row = DuplicateDismissal(
        village_id=first.village_id,
        first_person_id=a,
        second_person_id=b,
        kind=code,
        note=text or None,
        created_by=actor.username,
        updated_by=actor.username,
    )
    session.add(row)
    session.flush()
    record_change(
        session,
        actor=actor,
        action="dismiss_duplicate",
        entity_type="duplicate_dismissal",
        entity_id=row.id,
        before=None,
        after=snapshot(row),
        reason=text or None,
        sync=False,
    )
    return row


def undo_dismissal(session: Session, actor: Actor, dismissal_id: str) -> None:
    """撤销“不是同一人”: the pair is flagged again (the audit entry keeps what was undone, by whom)."""
    require_entry(actor, "判定疑似重复")
    row = session.get(DuplicateDismissal, dismissal_id)
    if row is None:
        raise ServiceError("这条判定已经撤销了；请刷新列表")
    before = snapshot(row)
    session.delete(row)
    session.flush()
    record_change(
        session,
        actor=actor,
        action="undo_dismiss_duplicate",
        entity_type="duplicate_dismissal",
        entity_id=dismissal_id,
        before=before,
        after=None,
        sync=False,
    )
