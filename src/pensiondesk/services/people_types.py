"""Shared shapes of the people use cases (人员信息): what a form or a roster row carries into the services.

``PersonInput`` is what the person form, the roster importer and the CLI hand to ``services.people``; it is plain
data with the values as the coordinator gave them (group and household head by name, category codes), so that each
face can fill it without knowing the database. ``Problem`` is one thing wrong with an input, said in plain Chinese,
tied to the field so a form can put it beside the right box and an import report in the right column.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from pensiondesk.domain.codes import Relation, Sex


class Severity(StrEnum):
    """How bad a problem is: an error blocks saving; a warning is shown and a person decides."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input: the field (e.g. ``id_number``), a plain-Chinese message, its severity."""

    field: str
    message: str
    severity: Severity = Severity.ERROR
    code: str = ""


@dataclass
class PersonInput:
    """A person as entered on the registration form (参保登记表) or read from a roster (花名册) row.

    ``sex`` and ``birth_date`` may be left empty: they are derived from the ID number, and when given they must
    agree with it. ``group_name`` creates the villager group if the village does not have it yet;
    ``household_head_id_number`` (or ``household_head_name`` within the group) places the person in that head's
    household, and a person whose relation is 户主 starts a household.
    """

    name: str
    id_number: str
    sex: Sex | None = None
    birth_date: date | None = None
    ethnicity: str | None = None
    hukou_address: str | None = None
    residence_address: str | None = None
    phone: str | None = None
    group_name: str | None = None
    household_head_name: str | None = None
    household_head_id_number: str | None = None
    relation: Relation | None = None
    category_codes: list[str] = field(default_factory=list)
    tier_yuan: str | None = None  # 缴费档次 as written, e.g. "200"
    local_hukou: bool = True
    is_student: bool = False
    has_employee_pension: bool = False
    has_other_state_pension: bool = False
    is_public_staff: bool = False
    is_migrant_worker: bool = False
    bank_card: str | None = None
    notes: str | None = None


class ServiceError(Exception):
    """A use case refused its input; ``problems`` say why, field by field, and nothing was written."""

    def __init__(self, problems: list[Problem] | str) -> None:
        if isinstance(problems, str):
            problems = [Problem("", problems)]
        self.problems = problems
        super().__init__("；".join(p.message for p in problems))

    @property
    def user_message(self) -> str:
        return "；".join(p.message for p in self.problems)
