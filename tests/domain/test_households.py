"""Suggested relations after a change of household head (变更户主): the common cases, and no guess where unclear."""

from __future__ import annotations

from pensiondesk.domain.codes import Relation as R
from pensiondesk.domain.codes import Sex
from pensiondesk.domain.households import old_head_becomes, suggest_member_relations

M, F = Sex.MALE, Sex.FEMALE


def test_old_head_becomes() -> None:
    assert old_head_becomes(R.SON, M) is R.PARENT
    assert old_head_becomes(R.DAUGHTER, F) is R.PARENT
    assert old_head_becomes(R.SPOUSE, M) is R.SPOUSE
    assert old_head_becomes(R.DAUGHTER_IN_LAW, M) is R.PARENT_IN_LAW
    assert old_head_becomes(R.PARENT, F) is R.DAUGHTER
    assert old_head_becomes(R.PARENT, None) is None
    assert old_head_becomes(R.PARENT_IN_LAW, M) is R.SON_IN_LAW
    assert old_head_becomes(R.OTHER, M) is None
    assert old_head_becomes(None, M) is None


def test_the_son_takes_over() -> None:
    # 父 (old head) → 子 (new head): mother, sister, grandmother, his wife, his children.
    members = [(R.SPOUSE, F), (R.DAUGHTER, F), (R.PARENT, F), (R.DAUGHTER_IN_LAW, F), (R.GRANDCHILD, M), (R.OTHER, M)]
    assert suggest_member_relations(R.SON, members) == [R.PARENT, R.SIBLING, R.GRANDPARENT, None, None, None]
    # Only child here: the one daughter-in-law is his wife, the grandchildren his children.
    members = [(R.SPOUSE, F), (R.DAUGHTER_IN_LAW, F), (R.GRANDCHILD, M), (R.GRANDCHILD, F)]
    assert suggest_member_relations(R.SON, members) == [R.PARENT, R.SPOUSE, R.SON, R.DAUGHTER]
    # Two daughters-in-law: which is his wife is not told.
    assert suggest_member_relations(R.SON, [(R.DAUGHTER_IN_LAW, F), (R.DAUGHTER_IN_LAW, F)]) == [None, None]
    # The daughter takes over: the son-in-law is her husband when she is the only child.
    assert suggest_member_relations(R.DAUGHTER, [(R.SON_IN_LAW, M), (R.DAUGHTER_IN_LAW, F)]) == [R.SPOUSE, None]


def test_the_spouse_takes_over() -> None:
    members = [(R.SON, M), (R.DAUGHTER_IN_LAW, F), (R.GRANDCHILD, F), (R.PARENT, F), (R.PARENT_IN_LAW, M)]
    expected = [R.SON, R.DAUGHTER_IN_LAW, R.GRANDCHILD, R.PARENT_IN_LAW, R.PARENT]
    assert suggest_member_relations(R.SPOUSE, members) == expected
    assert suggest_member_relations(R.SPOUSE, [(R.SIBLING, M), (None, None)]) == [None, None]


def test_other_changes_are_not_guessed() -> None:
    assert suggest_member_relations(R.SIBLING, [(R.SPOUSE, F), (R.SON, M)]) == [None, None]
    assert suggest_member_relations(None, [(R.SPOUSE, F)]) == [None]
