"""Reading one roster cell: sexes, relations, dates, categories, tiers and ID cells as rosters really write them."""

from __future__ import annotations

import re
from datetime import date, datetime

import pytest

from pensiondesk.domain.codes import Relation, Sex
from pensiondesk.sheets.cells import (
    CellValueError,
    YearMonth,
    clean_name,
    clean_text,
    id_text,
    parse_birth_date,
    parse_categories,
    parse_ethnicity,
    parse_relation,
    parse_sex,
    parse_tier,
)

CATEGORIES = {
    "011": "普通",
    "021": "残疾一级",
    "022": "残疾二级",
    "061": "低保对象（061）",
    "062": "低保对象（062）",
    "071": "计生特扶",
}


@pytest.mark.parametrize(
    ("value", "expected"),
    [("男", Sex.MALE), ("女", Sex.FEMALE), (" 男性 ", Sex.MALE), ("女性", Sex.FEMALE), (1, Sex.MALE),
     (2.0, Sex.FEMALE), ("M", Sex.MALE), ("f", Sex.FEMALE), ("", None), (None, None)],
)  # fmt: skip
def test_sex(value: object, expected: Sex | None) -> None:
    assert parse_sex(value) == expected


def test_unknown_sex_is_explained() -> None:
    with pytest.raises(CellValueError, match="性别“未知”无法识别"):
        parse_sex("未知")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("户主", Relation.HEAD),
        ("本人", Relation.HEAD),
        ("配偶", Relation.SPOUSE),
        ("妻", Relation.SPOUSE),
        ("之子", Relation.SON),
        ("长子", Relation.SON),
        ("次子", Relation.SON),
        ("三儿子", Relation.SON),
        ("女儿", Relation.DAUGHTER),
        ("长女", Relation.DAUGHTER),
        ("二女", Relation.DAUGHTER),
        ("儿媳", Relation.DAUGHTER_IN_LAW),
        ("女婿", Relation.SON_IN_LAW),
        ("孙女", Relation.GRANDCHILD),
        ("外孙", Relation.GRANDCHILD),
        ("岳母", Relation.PARENT_IN_LAW),
        ("母亲", Relation.PARENT),
        ("奶奶", Relation.GRANDPARENT),
        ("弟弟", Relation.SIBLING),
        ("侄子", Relation.OTHER),
        ("公婆/岳父母", Relation.PARENT_IN_LAW),  # the label the program itself exports
        ("孙子女", Relation.GRANDCHILD),
        ("01", Relation.HEAD),  # GB/T 4761 codes
        (10, Relation.SPOUSE),
        (22.0, Relation.SON),
        ("28", Relation.SON_IN_LAW),
        (38, Relation.DAUGHTER_IN_LAW),
        (None, None),
    ],
)
def test_relation(value: object, expected: Relation | None) -> None:
    assert parse_relation(value) == expected


def test_unknown_relation_is_explained() -> None:
    with pytest.raises(CellValueError, match="与户主关系“邻居”无法识别"):
        parse_relation("邻居")


@pytest.mark.parametrize(
    "value",
    [
        "1949-12-31",
        "1949/12/31",
        "1949.12.31",
        "19491231",
        19491231,
        19491231.0,
        "1949年12月31日",
        "1949 年 12 月 31 日",
        "１９４９－１２－３１",
        "1949-12-31 00:00:00",
        date(1949, 12, 31),
        datetime(1949, 12, 31, 0, 0),
        18263,  # an Excel date serial
        18263.0,
        "18263",
    ],
)
def test_birth_date_in_every_usual_form(value: object) -> None:
    assert parse_birth_date(value) == date(1949, 12, 31)


@pytest.mark.parametrize(
    ("value", "months"),
    [("1949-12", {12}), ("1949年12月", {12}), ("194912", {12}), ("1949.12", {12}), (1949.12, {12}), (1949.1, {1, 10})],
)
def test_year_and_month_without_a_day(value: object, months: set[int]) -> None:
    found = parse_birth_date(value)
    assert isinstance(found, YearMonth)
    assert found.year == 1949 and found.months == months
    assert found.matches(date(1949, min(months), 5))


@pytest.mark.parametrize("value", ["1949-02-30", "二〇一〇年", "19491331", "sometime"])
def test_impossible_or_unreadable_dates_are_explained(value: str) -> None:
    with pytest.raises(CellValueError, match="出生"):
        parse_birth_date(value)


def test_empty_birth_date() -> None:
    assert parse_birth_date(None) is None
    assert parse_birth_date("  ") is None


@pytest.mark.parametrize(
    ("value", "codes"),
    [
        ("011", ["011"]),
        (11, ["011"]),
        (61.0, ["061"]),
        ("61", ["061"]),
        ("普通", ["011"]),
        ("计生特扶", ["071"]),
        ("061 低保对象（061）", ["061"]),
        ("低保对象（062）", ["062"]),
        ("残疾一级、计生特扶", ["021", "071"]),
        ("011,061", ["011", "061"]),
        (None, []),
        ("", []),
    ],
)
def test_categories_by_code_or_name(value: object, codes: list[str]) -> None:
    assert parse_categories(value, CATEGORIES) == codes


def test_an_ambiguous_category_name_asks_for_the_code() -> None:
    with pytest.raises(CellValueError, match=r"对应多个类别.*021 残疾一级.*022 残疾二级.*请写明代码"):
        parse_categories("残疾", CATEGORIES)
    with pytest.raises(CellValueError, match="参保身份“五保”无法识别"):
        parse_categories("五保", CATEGORIES)


@pytest.mark.parametrize(
    ("value", "tier"),
    [(200, "200"), (200.0, "200"), ("200元", "200"), ("200.00", "200"), ("１０００", "1000"), (None, None)],
)
def test_tier(value: object, tier: str | None) -> None:
    assert parse_tier(value) == tier


@pytest.mark.parametrize("value", ["两百", 150.5, "-100"])
def test_bad_tier(value: object) -> None:
    with pytest.raises(CellValueError, match="缴费档次"):
        parse_tier(value)


def test_id_cells() -> None:
    assert id_text("11010519491231002X") == "11010519491231002X"
    assert id_text(370986890623212) == "370986890623212"  # 15 digits survive a number cell exactly
    assert id_text(370986890623212.0) == "370986890623212"
    assert id_text(None) is None
    assert id_text("  ") is None
    for damaged in (1.10105194912310e17, 110105194912310000, "4.10102E+17", "410102199001011000.0"):
        with pytest.raises(CellValueError, match="身份证号被表格存成了数字，后几位已丢失，请把该列设为文本后重新录入"):
            id_text(damaged)
    with pytest.raises(CellValueError, match=re.escape("4.10102E+17")):
        id_text(4.10102199001e17)


def test_text_and_names() -> None:
    assert clean_text("  红旗村 1号 ") == "红旗村 1号"
    assert clean_text(12.0) == "12"
    assert clean_text("") is None
    assert clean_text(date(2020, 1, 2)) == "2020-01-02"
    assert clean_name("张  三") == "张三"
    assert clean_name("买买提•吐尔逊") == "买买提·吐尔逊"
    assert clean_name(" Tom   Lee ") == "Tom Lee"
    assert parse_ethnicity("汉") == "汉族"
    assert parse_ethnicity("朝鲜族") == "朝鲜族"
    assert parse_ethnicity(None) is None
