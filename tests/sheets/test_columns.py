"""Column names (花名册列名): every name a field goes by is recognised, and the mapping is plain, editable data."""

from __future__ import annotations

import pytest

from pensiondesk.sheets.columns import (
    CONTAINS,
    EXACT,
    NOTED,
    ColumnMapping,
    RosterField,
    match_header,
    normalize_header,
    propose_mapping,
)


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("身份证号", RosterField.ID_NUMBER),
        ("身份证号码", RosterField.ID_NUMBER),
        ("公民身份号码", RosterField.ID_NUMBER),
        ("证件号码", RosterField.ID_NUMBER),
        ("身份证", RosterField.ID_NUMBER),
        ("姓名", RosterField.NAME),
        ("性别", RosterField.SEX),
        ("民族", RosterField.ETHNICITY),
        ("出生日期", RosterField.BIRTH_DATE),
        ("出生年月", RosterField.BIRTH_DATE),
        ("户籍所在地", RosterField.HUKOU_ADDRESS),
        ("户籍地址", RosterField.HUKOU_ADDRESS),
        ("居住地址", RosterField.RESIDENCE_ADDRESS),
        ("现住址", RosterField.RESIDENCE_ADDRESS),
        ("联系电话", RosterField.PHONE),
        ("电话", RosterField.PHONE),
        ("手机号", RosterField.PHONE),
        ("村民小组", RosterField.GROUP),
        ("组别", RosterField.GROUP),
        ("小组", RosterField.GROUP),
        ("自然村", RosterField.GROUP),
        ("户主姓名", RosterField.HOUSEHOLD_HEAD_NAME),
        ("户主身份证号", RosterField.HOUSEHOLD_HEAD_ID_NUMBER),
        ("与户主关系", RosterField.RELATION),
        ("关系", RosterField.RELATION),
        ("参保身份", RosterField.CATEGORY),
        ("身份类别", RosterField.CATEGORY),
        ("缴费档次", RosterField.TIER),
        ("档次", RosterField.TIER),
        ("备注", RosterField.NOTES),
        ("序号", RosterField.SEQ),
    ],
)
def test_every_name_of_domain_md_16_is_recognised(header: str, field: RosterField) -> None:
    assert match_header(header) == (field, EXACT)


@pytest.mark.parametrize(
    "header",
    [
        " 身份证号 ",
        "身份证\n号码",
        "＊身份证号",
        "*身份证号",
        "身份证号（必填）",
        "身份证号(必填)",
        "身 份 证 号",
        "身份证号：",
    ],
)
def test_spaces_marks_and_required_notes_are_ignored(header: str) -> None:
    assert match_header(header) == (RosterField.ID_NUMBER, EXACT)


def test_full_width_letters_become_half_width() -> None:
    assert normalize_header("ＮＯ．") == "NO."
    assert match_header("ＮＯ") == (RosterField.SEQ, EXACT)


def test_a_bracketed_note_is_a_slightly_weaker_match() -> None:
    assert match_header("缴费档次（元）") == (RosterField.TIER, NOTED)
    assert match_header("出生日期(年月日)") == (RosterField.BIRTH_DATE, NOTED)


def test_containing_a_name_is_a_weak_match_and_the_longest_name_wins() -> None:
    assert match_header("参保人身份证号码") == (RosterField.ID_NUMBER, CONTAINS)
    assert match_header("户主公民身份号码（18位）") == (RosterField.HOUSEHOLD_HEAD_ID_NUMBER, NOTED)
    assert match_header("本户户主姓名") == (RosterField.HOUSEHOLD_HEAD_NAME, CONTAINS)


@pytest.mark.parametrize(
    "text",
    ["红旗村2026年城乡居民养老保险参保花名册", "身份信息", "", None, "年龄", "行号", "结果", "问题说明"],
)
def test_titles_group_headers_and_report_columns_name_no_field(text: str | None) -> None:
    assert match_header(text) is None


def test_propose_mapping_lists_unmapped_columns_and_prefers_the_surer_match() -> None:
    headers = ["序号", "参保人身份证号码", "姓名", "年龄", "身份证号", None, "缴费档次（元）"]
    mapping = propose_mapping(headers)
    assert mapping.column_of(RosterField.ID_NUMBER) == 4  # exact beats "contains"
    assert mapping.confidence[RosterField.ID_NUMBER] == EXACT
    assert mapping.column_of(RosterField.NAME) == 2
    assert mapping.column_of(RosterField.TIER) == 6
    assert mapping.confidence[RosterField.TIER] == NOTED
    assert mapping.unmapped == (1, 3, 5)
    assert mapping.missing_required == ()
    assert "身份证号 " not in mapping.describe()
    assert "公民身份号码 ← 第5列“身份证号”" in mapping.describe()
    assert "（未使用）第4列“年龄”" in mapping.describe()


def test_a_person_can_change_the_mapping() -> None:
    mapping = propose_mapping(["姓名", "证件", "号码"])
    assert mapping.missing_required == (RosterField.ID_NUMBER,)
    chosen = mapping.with_column(RosterField.ID_NUMBER, 2)
    assert chosen.column_of(RosterField.ID_NUMBER) == 2
    assert chosen.confidence[RosterField.ID_NUMBER] == EXACT
    assert chosen.missing_required == ()
    # A column feeds one field: giving column 0 to 户主姓名 takes it from 姓名.
    moved = chosen.with_column(RosterField.HOUSEHOLD_HEAD_NAME, 0)
    assert moved.column_of(RosterField.NAME) is None
    assert moved.column_of(RosterField.HOUSEHOLD_HEAD_NAME) == 0
    assert moved.with_column(RosterField.HOUSEHOLD_HEAD_NAME, None).column_of(RosterField.HOUSEHOLD_HEAD_NAME) is None
    with pytest.raises(ValueError):
        mapping.with_column(RosterField.NAME, 7)


def test_mapping_is_plain_data() -> None:
    mapping = ColumnMapping({RosterField.NAME: 0, RosterField.ID_NUMBER: 1}, ("姓名", "身份证号"))
    assert mapping == ColumnMapping({RosterField.NAME: 0, RosterField.ID_NUMBER: 1}, ("姓名", "身份证号"))
    assert RosterField.ID_NUMBER.label == "公民身份号码"
