"""Tests for eligibility (参保资格): worked examples with their derivations, then properties.

The default policy pack counts ages on 30 June (age_cutoff "06-30") and has pension age 60.
"""

from __future__ import annotations

import ast
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import pensiondesk.domain.eligibility as eligibility_module
from pensiondesk.domain.codes import PersonStatus, TerminationReason
from pensiondesk.domain.eligibility import (
    Classifier,
    EligibilityKind,
    ResidentFacts,
    add_months_to_date,
    classify,
)
from pensiondesk.domain.pension import age_on
from pensiondesk.domain.policy import PolicyPack
from pensiondesk.resources import load_default_policy_pack

Kind = EligibilityKind


@pytest.fixture(scope="module")
def pack() -> PolicyPack:
    return load_default_policy_pack()


def test_pack_counts_at_30_june(pack: PolicyPack) -> None:
    assert pack.cutoff_date(2026) == date(2026, 6, 30)
    assert pack.pension_age == 60


# --- worked examples ---


def test_born_1_july_2010_is_15_at_the_2026_cutoff(pack: PolicyPack) -> None:
    # 2026 − 2010 = 16, but the 16th birthday (2026-07-01) comes after 30 June: 15 on the cut-off date.
    result = classify(ResidentFacts(date(2010, 7, 1)), pack, 2026)
    assert result.kind is Kind.UNDER_AGE
    assert result.age_at_cutoff == 15
    assert result.reasons == ["未满16周岁"]
    assert result.cutoff == date(2026, 6, 30)
    assert not result.may_enrol


def test_born_30_june_2010_is_16_on_the_cutoff_day(pack: PolicyPack) -> None:
    # The 16th birthday is the cut-off day itself: 16 周岁 on 2026-06-30, so a contributor.
    result = classify(ResidentFacts(date(2010, 6, 30)), pack, 2026)
    assert result.kind is Kind.CONTRIBUTOR
    assert result.age_at_cutoff == 16
    assert result.reasons == []
    assert result.may_enrol


def test_reaching_60_within_three_months_of_the_list_date(pack: PolicyPack) -> None:
    # Born 1966-07-15: 59 on 2026-06-30; the 60th birthday 2026-07-15 is within 3 months of the list date
    # 2026-06-01 (window ends 2026-09-01), so on the 即将年满60周岁 list.
    facts = ResidentFacts(date(1966, 7, 15))
    result = classify(facts, pack, 2026, reaching_within_months=3, list_date=date(2026, 6, 1))
    assert result.kind is Kind.REACHING_60
    assert result.age_at_cutoff == 59
    assert result.pension_age_on == date(2026, 7, 15)
    assert result.reasons == ["2026-07-15 年满60周岁"]
    assert result.may_enrol  # still a contributor until the birthday
    # Without asking for the reaching list, the same person is simply a contributor.
    assert classify(facts, pack, 2026).kind is Kind.CONTRIBUTOR


def test_someone_already_receiving_is_not_on_the_reaching_list(pack: PolicyPack) -> None:
    # Born 1966-08-20: 59 on the cut-off 2026-06-30, 60 on 2026-08-20; by the list date 2026-12-04 the county has
    # approved the pension (待遇领取). Nothing is left to handle: listed with pension age, not as reaching 60.
    for status, words in ((PersonStatus.RECEIVING, "已待遇领取"), (PersonStatus.SUSPENDED, "已暂停")):
        facts = ResidentFacts(date(1966, 8, 20), status=status)
        result = classify(facts, pack, 2026, reaching_within_months=3, list_date=date(2026, 12, 4))
        assert result.kind is Kind.PENSION_AGE
        assert result.reasons == ["2026-08-20 年满60周岁", words]
    still_to_do = ResidentFacts(date(1966, 8, 20), status=PersonStatus.CONTRIBUTING)
    result = classify(still_to_do, pack, 2026, reaching_within_months=3, list_date=date(2026, 12, 4))
    assert result.kind is Kind.REACHING_60


def test_reaching_window_counts_from_the_cutoff_by_default(pack: PolicyPack) -> None:
    # Born 1966-10-15: 60th birthday 2026-10-15. From the cut-off 2026-06-30 a 3-month window ends 2026-09-30:
    # outside. From a list date of 2026-07-20 the window ends 2026-10-20: inside.
    facts = ResidentFacts(date(1966, 10, 15))
    assert classify(facts, pack, 2026, reaching_within_months=3).kind is Kind.CONTRIBUTOR
    result = classify(facts, pack, 2026, reaching_within_months=3, list_date=date(2026, 7, 20))
    assert result.kind is Kind.REACHING_60


def test_sixty_on_the_cutoff_is_pension_age(pack: PolicyPack) -> None:
    # Born 1966-06-30: 60 周岁 exactly on 2026-06-30.
    result = classify(ResidentFacts(date(1966, 6, 30)), pack, 2026, reaching_within_months=3)
    assert result.kind is Kind.PENSION_AGE
    assert result.age_at_cutoff == 60
    assert result.reasons == ["2026年6月30日已满60周岁"]
    assert result.may_enrol  # enrols, pays the missing years, then becomes a pension case


def test_day_after_cutoff_sixtieth_birthday_is_still_59(pack: PolicyPack) -> None:
    result = classify(ResidentFacts(date(1966, 7, 1)), pack, 2026)
    assert (result.kind, result.age_at_cutoff) == (Kind.CONTRIBUTOR, 59)


def test_exclusions_list_every_reason_in_a_fixed_order(pack: PolicyPack) -> None:
    facts = ResidentFacts(
        date(1990, 1, 1),
        local_hukou=False,
        is_student=True,
        has_employee_pension=True,
        has_other_state_pension=True,
        is_public_staff=True,
    )
    result = classify(facts, pack, 2026)
    assert result.kind is Kind.INELIGIBLE
    assert result.reasons == [
        "户籍不在本村",
        "学生",
        "已参加职工养老保险",
        "机关事业单位在编人员",
        "享受其他国家基本养老保障",
    ]
    assert not result.may_enrol


@pytest.mark.parametrize(
    ("flag", "reason"),
    [
        ("is_student", "学生"),
        ("has_employee_pension", "已参加职工养老保险"),
        ("has_other_state_pension", "享受其他国家基本养老保障"),
        ("is_public_staff", "机关事业单位在编人员"),
    ],
)
def test_each_exclusion_alone(pack: PolicyPack, flag: str, reason: str) -> None:
    result = classify(ResidentFacts(date(1980, 3, 3), **{flag: True}), pack, 2026)
    assert (result.kind, result.reasons) == (Kind.INELIGIBLE, [reason])


def test_hukou_elsewhere_is_ineligible_here(pack: PolicyPack) -> None:
    result = classify(ResidentFacts(date(1980, 3, 3), local_hukou=False), pack, 2026)
    assert (result.kind, result.reasons) == (Kind.INELIGIBLE, ["户籍不在本村"])


def test_employee_pension_at_70_is_ineligible_not_pension_age(pack: PolicyPack) -> None:
    # The resident pension is for those without another state pension, whatever their age.
    result = classify(ResidentFacts(date(1956, 1, 1), has_employee_pension=True), pack, 2026)
    assert result.kind is Kind.INELIGIBLE


def test_under_age_comes_before_exclusions(pack: PolicyPack) -> None:
    # A 12-year-old pupil is on the under-16 list, not the ineligible one.
    result = classify(ResidentFacts(date(2014, 1, 1), is_student=True), pack, 2026)
    assert (result.kind, result.reasons) == (Kind.UNDER_AGE, ["未满16周岁"])


def test_terminated_comes_first_and_names_the_reason(pack: PolicyPack) -> None:
    facts = ResidentFacts(date(1940, 1, 1), status=PersonStatus.TERMINATED, status_reason=TerminationReason.DEATH.value)
    result = classify(facts, pack, 2026)
    assert (result.kind, result.reasons) == (Kind.TERMINATED, ["已终止参保（死亡）"])
    unknown = ResidentFacts(date(1940, 1, 1), status=PersonStatus.TERMINATED, status_reason="9999")
    assert classify(unknown, pack, 2026).reasons == ["已终止参保"]


def test_suspended_pensioner_is_still_pension_age(pack: PolicyPack) -> None:
    facts = ResidentFacts(date(1950, 5, 5), status=PersonStatus.SUSPENDED, status_reason="1201")
    assert classify(facts, pack, 2026).kind is Kind.PENSION_AGE


def test_born_after_the_cutoff_is_under_age_with_age_zero(pack: PolicyPack) -> None:
    result = classify(ResidentFacts(date(2026, 8, 1)), pack, 2026)
    assert (result.kind, result.age_at_cutoff) == (Kind.UNDER_AGE, 0)


def test_leap_day_birthdays(pack: PolicyPack) -> None:
    # Born 1964-02-29: 60 on 2024-02-29 (a leap year); at 2024-06-30 already 60.
    result = classify(ResidentFacts(date(1964, 2, 29)), pack, 2024)
    assert (result.kind, result.pension_age_on) == (Kind.PENSION_AGE, date(2024, 2, 29))
    # Born 1966-02-29? Not a date. Born 1968-02-29: 58 at 2026-06-30, 60th birthday 2028-02-29.
    result = classify(ResidentFacts(date(1968, 2, 29)), pack, 2026)
    assert (result.age_at_cutoff, result.pension_age_on) == (58, date(2028, 2, 29))


def test_another_cutoff_in_the_pack_moves_the_ages(pack: PolicyPack) -> None:
    # A county counting on 31 December: born 2010-07-01 is 16 at 2026-12-31.
    december = pack.model_copy(update={"age_cutoff": "12-31"})
    result = classify(ResidentFacts(date(2010, 7, 1)), december, 2026)
    assert (result.kind, result.cutoff, result.age_at_cutoff) == (Kind.CONTRIBUTOR, date(2026, 12, 31), 16)


def test_negative_lead_is_a_programming_error(pack: PolicyPack) -> None:
    with pytest.raises(ValueError):
        classify(ResidentFacts(date(1970, 1, 1)), pack, 2026, reaching_within_months=-1)


def test_add_months_clips_to_the_end_of_the_month() -> None:
    assert add_months_to_date(date(2025, 11, 30), 3) == date(2026, 2, 28)
    assert add_months_to_date(date(2023, 11, 30), 3) == date(2024, 2, 29)
    assert add_months_to_date(date(2026, 6, 30), 3) == date(2026, 9, 30)
    assert add_months_to_date(date(2026, 6, 30), 0) == date(2026, 6, 30)
    assert add_months_to_date(date(2026, 12, 15), 1) == date(2027, 1, 15)


def test_kind_labels_are_chinese() -> None:
    assert Kind.CONTRIBUTOR.label.startswith("应参保缴费人员")
    assert all(kind.label for kind in Kind)


# --- properties ---

_facts = st.builds(
    ResidentFacts,
    birth_date=st.dates(date(1900, 1, 1), date(2026, 12, 31)),
    local_hukou=st.booleans(),
    is_student=st.booleans(),
    has_employee_pension=st.booleans(),
    has_other_state_pension=st.booleans(),
    is_public_staff=st.booleans(),
    status=st.sampled_from(list(PersonStatus)),
)


@given(facts=_facts, year=st.integers(2020, 2030), lead=st.one_of(st.none(), st.integers(0, 3)))
def test_the_kind_agrees_with_the_age_and_flags(facts: ResidentFacts, year: int, lead: int | None) -> None:
    pack = load_default_policy_pack()
    result = classify(facts, pack, year, reaching_within_months=lead)
    cutoff = pack.cutoff_date(year)
    age = age_on(facts.birth_date, cutoff) if facts.birth_date <= cutoff else 0
    assert result.age_at_cutoff == age
    excluded = (
        not facts.local_hukou
        or facts.is_student
        or facts.has_employee_pension
        or facts.has_other_state_pension
        or facts.is_public_staff
    )
    if facts.status is PersonStatus.TERMINATED:
        assert result.kind is Kind.TERMINATED
    elif age < 16:
        assert result.kind is Kind.UNDER_AGE
    elif excluded:
        assert result.kind is Kind.INELIGIBLE and result.reasons
    elif age >= 60:
        assert result.kind is Kind.PENSION_AGE
    else:
        reaching = lead is not None and result.pension_age_on <= add_months_to_date(cutoff, lead)
        if reaching and facts.status in (PersonStatus.RECEIVING, PersonStatus.SUSPENDED):
            assert result.kind is Kind.PENSION_AGE  # already a pension case: nothing left to handle
        else:
            assert result.kind in (Kind.CONTRIBUTOR, Kind.REACHING_60)
            assert (result.kind is Kind.REACHING_60) == reaching
    # The batch classifier gives the same answer as the one-off function.
    assert Classifier(pack, year, reaching_within_months=lead)(facts) == result


def test_the_module_is_pure() -> None:
    """domain/ imports nothing of SQLAlchemy, Qt or I/O (style.md)."""
    tree = ast.parse(Path(eligibility_module.__file__).read_text(encoding="utf-8"))
    imported = {
        (node.module or "") if isinstance(node, ast.ImportFrom) else alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    assert not {name for name in imported if name.split(".")[0] in {"sqlalchemy", "PySide6", "os", "pathlib"}}
    assert all(not name.startswith("pensiondesk.") or name.startswith("pensiondesk.domain") for name in imported)
