"""Tests for money in fen and amounts in words (大写金额)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pensiondesk.domain.money import (
    MAX_CAPITAL_FEN,
    InvalidAmount,
    format_yuan,
    parse_yuan,
    to_chinese_capital,
    to_fen,
    yuan,
)

# --- parse_yuan ---


@pytest.mark.parametrize(
    ("text", "fen"),
    [
        ("120", 12000),
        ("120.5", 12050),
        ("120.50", 12050),
        ("1,200.00", 120000),
        ("1,234,567.89", 123456789),
        ("￥120", 12000),
        ("¥ 120.00", 12000),
        ("１２０．５０", 12050),
        ("１，２００", 120000),
        ("200元", 20000),
        ("人民币200", 20000),
        ("RMB 30", 3000),
        (" 0.05 ", 5),
        (".5", 50),
        ("0", 0),
        ("-0", 0),
    ],
)
def test_parse_yuan_accepts(text: str, fen: int) -> None:
    assert parse_yuan(text) == fen


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("120.505", "两位"),
        ("1.001", "两位"),
        ("-120", "负数"),
        ("abc", "不是有效的金额"),
        ("", "不是有效的金额"),
        (".", "不是有效的金额"),
        ("1,20", "不是有效的金额"),
        ("12,0000", "不是有效的金额"),
        ("1.2.3", "不是有效的金额"),
        ("1e3", "不是有效的金额"),
        ("--5", "不是有效的金额"),
    ],
)
def test_parse_yuan_refuses_with_a_chinese_message(text: str, fragment: str) -> None:
    with pytest.raises(InvalidAmount) as caught:
        parse_yuan(text)
    assert fragment in caught.value.message


def test_parse_yuan_negative_when_allowed() -> None:
    assert parse_yuan("-120.50", allow_negative=True) == -12050
    assert parse_yuan("－１２０", allow_negative=True) == -12000
    assert parse_yuan("￥-1,200", allow_negative=True) == -120000
    assert parse_yuan("\u22125", allow_negative=True) == -500


# --- format, yuan, to_fen ---


def test_format_yuan() -> None:
    assert format_yuan(120000) == "1,200.00"
    assert format_yuan(5) == "0.05"
    assert format_yuan(0) == "0.00"
    assert format_yuan(-12050) == "-120.50"
    assert format_yuan(123456789, grouping=False) == "1234567.89"


def test_yuan_is_an_exact_decimal() -> None:
    assert yuan(12050) == Decimal("120.50")
    assert str(yuan(12050)) == "120.50"
    assert str(yuan(5)) == "0.05"


def test_to_fen() -> None:
    assert to_fen(Decimal("200.5")) == 20050
    assert to_fen(200) == 20000
    with pytest.raises(InvalidAmount):
        to_fen(Decimal("0.001"))
    with pytest.raises(TypeError):
        to_fen(0.1)  # type: ignore[arg-type]


@given(st.integers(min_value=-(10**12), max_value=10**12))
def test_format_then_parse_round_trips(fen: int) -> None:
    assert parse_yuan(format_yuan(fen), allow_negative=True) == fen
    assert parse_yuan(str(yuan(fen)), allow_negative=True) == fen


# --- 大写金额 ---

# Worked examples. The rules (《支付结算办法》附件一) and the choices this module makes are in its docstring;
# examples marked "rule" are the regulation's own.
CAPITALS = [
    (100_00, "壹佰元整"),
    (120_00, "壹佰贰拾元整"),
    (1005_00, "壹仟零伍元整"),  # interior zeros → one 零
    (10_50, "壹拾元伍角整"),  # 元位 zero, 角 not: no 零; 整 may follow 角
    (5, "伍分"),  # below one yuan: no 元 part
    (1000_05, "壹仟元零伍分"),  # 角 zero, 分 not: 零 after 元
    (100010_00, "壹拾万零壹拾元整"),  # the 个 group starts with zeros after 万
    (0, "零元整"),
    (1_01, "壹元零壹分"),
    (10, "壹角整"),
    (15, "壹角伍分"),
    (50, "伍角整"),
    (1_00, "壹元整"),
    (11_00, "壹拾壹元整"),  # ten is always 壹拾
    (101_00, "壹佰零壹元整"),
    (110_00, "壹佰壹拾元整"),
    (1010_00, "壹仟零壹拾元整"),
    (30_00, "叁拾元整"),
    (2000_00, "贰仟元整"),
    (1409_50, "壹仟肆佰零玖元伍角整"),  # rule: 人民币壹仟肆佰零玖元伍角
    (6007_14, "陆仟零柒元壹角肆分"),  # rule
    (16409_02, "壹万陆仟肆佰零玖元零贰分"),  # rule
    (325_04, "叁佰贰拾伍元零肆分"),  # rule
    (1680_32, "壹仟陆佰捌拾元叁角贰分"),  # rule, second permitted form
    (107000_53, "壹拾万柒仟元伍角叁分"),  # rule, zero-free permitted form
    (1000000_00, "壹佰万元整"),
    (10001000_00, "壹仟万壹仟元整"),  # 万位 zero, 千位 not: no 零
    (100000_10, "壹拾万元壹角整"),
    (100000000_00, "壹亿元整"),
    (100000001_00, "壹亿零壹元整"),
    (100001000_00, "壹亿零壹仟元整"),  # a skipped zero 万 group is marked
    (1000100000_00, "壹拾亿零壹拾万元整"),
    (123456789_12, "壹亿贰仟叁佰肆拾伍万陆仟柒佰捌拾玖元壹角贰分"),
    (10000000000_00, "壹佰亿元整"),
]


@pytest.mark.parametrize(("fen", "words"), CAPITALS)
def test_chinese_capital_worked_examples(fen: int, words: str) -> None:
    assert to_chinese_capital(fen) == words


def test_chinese_capital_limits() -> None:
    assert to_chinese_capital(MAX_CAPITAL_FEN).startswith("玖仟玖佰玖拾玖万亿")
    with pytest.raises(ValueError):
        to_chinese_capital(MAX_CAPITAL_FEN + 1)
    with pytest.raises(ValueError):
        to_chinese_capital(-1)
    with pytest.raises(TypeError):
        to_chinese_capital(True)


_DIGIT_VALUES = {ch: i for i, ch in enumerate("零壹贰叁肆伍陆柒捌玖")}
_SMALL = {"拾": 10, "佰": 100, "仟": 1000}


def _read_back(words: str) -> int:
    """An independent reader of 大写金额, used to check that the words say the right amount."""
    body = words.removesuffix("整")
    fen = 0
    if "元" in body:
        whole_text, body = body.split("元")
    else:
        whole_text = ""
    if "角" in body:
        jiao_text, body = body.split("角")
        fen += _DIGIT_VALUES[jiao_text.removeprefix("零")] * 10
    if "分" in body:
        fen += _DIGIT_VALUES[body.removesuffix("分").removeprefix("零")]
    total, section, digit = 0, 0, 0
    for ch in whole_text.replace("万亿", "兆"):
        if ch in _DIGIT_VALUES:
            digit = _DIGIT_VALUES[ch]
        elif ch in _SMALL:
            section += digit * _SMALL[ch]
            digit = 0
        else:
            unit = {"万": 10**4, "亿": 10**8, "兆": 10**12}[ch]
            total += (section + digit) * unit
            section, digit = 0, 0
    return (total + section + digit) * 100 + fen


@given(st.integers(min_value=0, max_value=10**10))
def test_chinese_capital_properties(fen: int) -> None:
    words = to_chinese_capital(fen)
    assert "零零" not in words
    assert not words.endswith("零")
    assert words.endswith("整") != (fen % 10 != 0)  # 整 exactly when there is no 分
    assert not words.startswith("零") or fen == 0
    assert _read_back(words) == fen
