"""Eligibility lists (参保资格名单) of a village for a year, by villager group (domain.md §3, §7, §8, §15).

Read-only: nothing is written, so there is no audit entry and no outbox row. One query selects only the columns
the rules and the lists need, already ordered by villager group (its ``sort_order``) and name; each resident is
classified in Python by :func:`pensiondesk.domain.eligibility.classify`, in one pass. 100,000 residents take well
under two seconds on a village laptop.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from pensiondesk.domain.codes import PersonStatus, Sex
from pensiondesk.domain.eligibility import Classifier, EligibilityKind, ResidentFacts
from pensiondesk.domain.policy import PolicyPack
from pensiondesk.services.people import policy_pack_in_force
from pensiondesk.store.models import Person, VillagerGroup

__all__ = ["EligibilityRow", "eligibility_lists"]


@dataclass(frozen=True, slots=True)
class EligibilityRow:
    """One resident on an eligibility list: who, where, age at the cut-off and why they are on this list."""

    person_id: str
    group_name: str | None  # 村民小组; None when not assigned
    name: str
    id_number: str
    sex: Sex
    birth_date: date
    age_at_cutoff: int
    status: PersonStatus  # 参保状态 now (a contributor may already be enrolled)
    reasons: tuple[str, ...]
    pension_age_on: date  # 年满60周岁之日 (the pack's pension age)


def eligibility_lists(
    session: Session,
    village_id: str,
    year: int,
    *,
    reaching_within_months: int | None = None,
    list_date: date | None = None,
    pack: PolicyPack | None = None,
) -> dict[EligibilityKind, list[EligibilityRow]]:
    """Every resident of the village classified for ``year`` at the pack's cut-off date (e.g. 30 June).

    Returns a list for every :class:`EligibilityKind` (empty lists included), each ordered by villager group and
    name. ``reaching_within_months`` asks for the 即将年满60周岁 list (domain.md §8): residents below the pension
    age at the cut-off who reach it within that many months after ``list_date`` (default: the cut-off). ``pack``
    defaults to the policy pack in force on the cut-off date.
    """
    rules = pack or policy_pack_in_force(session, date(year, 12, 31))
    query = (
        select(
            Person.id,
            VillagerGroup.name,
            Person.name,
            Person.id_number,
            Person.sex,
            Person.birth_date,
            Person.status,
            Person.status_reason,
            Person.local_hukou,
            Person.is_student,
            Person.has_employee_pension,
            Person.has_other_state_pension,
            Person.is_public_staff,
        )
        .outerjoin(VillagerGroup, VillagerGroup.id == Person.group_id)
        .where(Person.village_id == village_id)
        .order_by(VillagerGroup.sort_order, VillagerGroup.name, Person.name, Person.id_number)
    )
    classifier = Classifier(rules, year, reaching_within_months=reaching_within_months, list_date=list_date)
    lists: dict[EligibilityKind, list[EligibilityRow]] = {kind: [] for kind in EligibilityKind}
    for (
        person_id,
        group_name,
        name,
        id_number,
        sex,
        birth_date,
        status,
        status_reason,
        local_hukou,
        is_student,
        has_employee_pension,
        has_other_state_pension,
        is_public_staff,
    ) in session.connection().execute(query):
        facts = ResidentFacts(
            birth_date=birth_date,
            local_hukou=local_hukou,
            is_student=is_student,
            has_employee_pension=has_employee_pension,
            has_other_state_pension=has_other_state_pension,
            is_public_staff=is_public_staff,
            status=status,
            status_reason=status_reason,
        )
        result = classifier(facts)
        lists[result.kind].append(
            EligibilityRow(
                person_id=person_id,
                group_name=group_name,
                name=name,
                id_number=id_number,
                sex=sex,
                birth_date=birth_date,
                age_at_cutoff=result.age_at_cutoff,
                status=status,
                reasons=tuple(result.reasons),
                pension_age_on=result.pension_age_on,
            )
        )
    return lists
