"""Tests for 公民身份号码 parsing and validation (domain.md §2)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pensiondesk.domain.codes import Sex
from pensiondesk.domain.idnumber import (
    IdErrorCode,
    InvalidIdNumber,
    ResidentId,
    agrees_with,
    check_character,
    is_valid,
    looks_like_float_damage,
    normalize,
    parse,
)

TODAY = date(2026, 11, 22)


def _error(raw: str, *, today: date = TODAY) -> InvalidIdNumber:
    with pytest.raises(InvalidIdNumber) as caught:
        parse(raw, today=today)
    return caught.value


# --- the vectors from the brief ---


def test_valid_female_1949() -> None:
    # S = 1·7+1·9+0·10+1·5+0·8+5·4+1·2+9·1+4·6+9·3+1·7+2·9+3·10+1·5+0·8+0·4+2·2 = 142; 142 mod 11 = 10 → "X"
    rid = parse("11010519491231002X", today=TODAY)
    assert rid == ResidentId(
        number="11010519491231002X",
        birth_date=date(1949, 12, 31),
        sex=Sex.FEMALE,  # 17th digit 2 is even
        area_code="110105",
        converted_from_15=False,
        original="11010519491231002X",
    )
    assert rid.sequence == "002"
    assert str(rid) == "11010519491231002X"


def test_valid_male_1980() -> None:
    rid = parse("34052419800101001X", today=TODAY)
    assert rid.birth_date == date(1980, 1, 1)
    assert rid.sex is Sex.MALE  # 17th digit 1 is odd
    assert rid.area_code == "340524"


def test_lower_case_x_is_normalised() -> None:
    rid = parse("11010519491231002x", today=TODAY)
    assert rid.number == "11010519491231002X"
    assert rid.original == "11010519491231002x"


def test_full_width_with_spaces() -> None:
    raw = " １１０１０５\u3000１９４９１２３１\u00a0００２Ｘ "
    assert normalize(raw) == "11010519491231002X"
    assert parse(raw, today=TODAY).number == "11010519491231002X"


def test_fifteen_digit_conversion() -> None:
    # 370986 + "19" + 890623212 = 37098619890623212; check character computed over those 17 digits is "3"
    rid = parse("370986890623212", today=TODAY)
    assert rid.number == "370986198906232123"
    assert rid.converted_from_15
    assert rid.birth_date == date(1989, 6, 23)
    # Sequence 212: its last digit (the 17th of the 18-character number) is 2, even → female.
    assert rid.sex is Sex.FEMALE


def test_unknown_and_anachronistic_area_code_is_accepted() -> None:
    # 222405 龙井市 on a card of someone born in 1950, long before the city existed (domain.md §2).
    first17 = "22240519500101001"
    number = first17 + check_character(first17)
    rid = parse(number, today=TODAY)
    assert rid.area_code == "222405"
    assert rid.birth_date == date(1950, 1, 1)
    # An address code found in no table at all is accepted too.
    first17 = "99999919800101001"
    assert is_valid(first17 + check_character(first17), today=TODAY)


def test_wrong_check_character_does_not_offer_a_digit() -> None:
    # domain.md §2: never guess digits. Naming the "right" check character invites changing the last digit, when
    # usually another digit was copied wrong; the message sends the coordinator back to the card instead.
    error = _error("110105194912310025")
    assert error.code is IdErrorCode.CHECK
    assert error.message.startswith("校验码错误：号码里至少有一位抄错了")
    assert "逐位核对" in error.message and "不要只改最后一位" in error.message
    assert "X" not in error.message and "应为" not in error.message


def test_twenty_characters_is_length() -> None:
    error = _error("11010519491231002X12")
    assert error.code is IdErrorCode.LENGTH
    assert "20 位" in error.message


def test_impossible_date() -> None:
    first17 = "11010519490231002"  # 31 February 1949
    error = _error(first17 + check_character(first17))
    assert error.code is IdErrorCode.DATE
    assert "1949-02-31" in error.message


def test_future_date() -> None:
    first17 = "11010520261123002"  # the day after TODAY
    error = _error(first17 + check_character(first17))
    assert error.code is IdErrorCode.FUTURE_DATE
    # Born today is not in the future.
    first17 = "11010520261122002"
    assert parse(first17 + check_character(first17), today=TODAY).birth_date == TODAY


def test_letters_inside_are_character() -> None:
    error = _error("110105ABC91231002X")
    assert error.code is IdErrorCode.CHARACTER
    for letter in "ABC":
        assert letter in error.message


# --- spreadsheet damage ---


@pytest.mark.parametrize(
    "raw", ["4.10102E+17", "4.10102e17", "4.10102199001011E+17", "４．１０１０２Ｅ＋１７"]
)
def test_scientific_notation_is_reported_never_guessed(raw: str) -> None:
    error = _error(raw)
    assert error.code is IdErrorCode.SCIENTIFIC_NOTATION
    assert "数字" in error.message and "文本" in error.message


def test_float_text_with_decimal_point() -> None:
    assert _error("410102199001011000.0").code is IdErrorCode.SCIENTIFIC_NOTATION


def test_trailing_000_with_bad_check_mentions_spreadsheet() -> None:
    error = _error("410102199001011000")
    assert error.code is IdErrorCode.CHECK
    assert "000" in error.message and "文本格式" in error.message


@pytest.mark.parametrize(
    ("value", "damaged"),
    [
        (4.10102199001011e17, True),
        (370986890623212.0, True),
        (410102199001011000, True),  # 18 digits: more than a spreadsheet number keeps
        (370986890623212, False),  # 15 digits fit exactly
        (True, False),
        ("4.10102E+17", True),
        ("410102199001011000.0", True),
        ("11010519491231002X", False),
        (None, False),
    ],
)
def test_looks_like_float_damage(value: object, damaged: bool) -> None:
    assert looks_like_float_damage(value) is damaged


# --- other rules ---


def test_x_in_the_middle_or_on_fifteen_digits() -> None:
    assert _error("1101051949123100X2").code is IdErrorCode.CHARACTER
    assert _error("37098689062321X").code is IdErrorCode.CHARACTER


def test_empty_and_whitespace_only() -> None:
    assert _error("").code is IdErrorCode.LENGTH
    assert _error(" \u3000 ").code is IdErrorCode.LENGTH


def test_year_before_1880_is_a_date_error() -> None:
    first17 = "11010518700101002"
    assert _error(first17 + check_character(first17)).code is IdErrorCode.DATE


def test_excel_text_apostrophe_is_removed() -> None:
    assert normalize("'11010519491231002x") == "11010519491231002X"


def test_check_character_examples_and_guard() -> None:
    assert check_character("11010519491231002") == "X"
    assert check_character("34052419800101001") == "X"
    assert check_character("37098619890623212") == "3"
    with pytest.raises(ValueError):
        check_character("1234")


def test_agrees_with() -> None:
    rid = parse("11010519491231002X", today=TODAY)
    assert agrees_with(rid, birth_date=date(1949, 12, 31), sex=Sex.FEMALE) == []
    assert agrees_with(rid) == []
    problems = agrees_with(rid, birth_date=date(1950, 1, 1), sex=Sex.MALE)
    assert len(problems) == 2
    assert "1949-12-31" in problems[0] and "1950-01-01" in problems[0]
    assert "女" in problems[1] and "男" in problems[1]


def test_is_valid() -> None:
    assert is_valid("11010519491231002X")
    assert not is_valid("110105194912310021")
    assert not is_valid("4.10102E+17")


def test_default_today_is_the_real_date() -> None:
    tomorrow = date.today() + timedelta(days=1)
    first17 = "110105" + tomorrow.strftime("%Y%m%d") + "002"
    with pytest.raises(InvalidIdNumber) as caught:
        parse(first17 + check_character(first17))
    assert caught.value.code is IdErrorCode.FUTURE_DATE


# --- properties ---


@given(
    area=st.from_regex(r"[1-9][0-9]{5}", fullmatch=True),
    birth=st.dates(min_value=date(1900, 1, 1), max_value=TODAY),
    sequence=st.integers(min_value=0, max_value=999),
    lower=st.booleans(),
)
def test_any_valid_number_round_trips(area: str, birth: date, sequence: int, lower: bool) -> None:
    first17 = f"{area}{birth:%Y%m%d}{sequence:03d}"
    number = first17 + check_character(first17)
    rid = parse(number.lower() if lower else number, today=TODAY)
    assert rid.number == number
    assert rid.birth_date == birth
    assert rid.sex is (Sex.MALE if sequence % 2 else Sex.FEMALE)
    assert rid.area_code == area


@given(
    area=st.from_regex(r"[1-9][0-9]{5}", fullmatch=True),
    birth=st.dates(min_value=date(1900, 1, 1), max_value=date(1999, 12, 31)),
    sequence=st.integers(min_value=0, max_value=999),
)
def test_fifteen_digit_numbers_convert_to_valid_eighteen(area: str, birth: date, sequence: int) -> None:
    legacy = f"{area}{birth:%y%m%d}{sequence:03d}"
    rid = parse(legacy, today=TODAY)
    assert rid.converted_from_15
    assert rid.number[:6] == area and rid.number[6:8] == "19"
    assert rid.birth_date == birth
    assert parse(rid.number, today=TODAY).number == rid.number


@given(
    first17=st.from_regex(
        r"[1-9][0-9]{5}19[5-9][0-9](0[1-9]|1[0-2])(0[1-9]|1[0-9]|2[0-8])[0-9]{3}", fullmatch=True
    ),
    wrong=st.sampled_from("0123456789X"),
)
def test_any_single_wrong_check_character_is_caught(first17: str, wrong: str) -> None:
    right = check_character(first17)
    if wrong == right:
        return
    with pytest.raises(InvalidIdNumber) as caught:
        parse(first17 + wrong, today=TODAY)
    assert caught.value.code is IdErrorCode.CHECK
    assert "应为" not in caught.value.message  # no digit is offered (domain.md §2)


def _outcome(raw: str, today: date) -> tuple[object, ...]:
    try:
        rid = parse(raw, today=today)
    except InvalidIdNumber as error:
        return ("refused", error.code, error.message)
    return (rid.number, rid.birth_date, rid.sex, rid.area_code, rid.converted_from_15, rid.original.strip())


@given(
    first17=st.from_regex(r"\A[0-9]{6}(18[0-9]{2}|19[0-9]{2}|20[0-3][0-9])(0[0-9]|1[0-3])[0-3][0-9][0-9]{3}\Z"),
    last=st.sampled_from(["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "X", "own"]),
    today=st.dates(min_value=date(1990, 1, 1), max_value=date(2040, 12, 31)),
)
def test_plain_numbers_parse_as_the_full_path_does(first17: str, last: str, today: date) -> None:
    """A plain 18-character number takes a short path: the same answer and the same refusal as the number with a
    space after it (which goes the whole way), for valid, wrong-check, impossible-date, pre-1880 and future ones."""
    raw = first17 + (check_character(first17) if last == "own" else last)
    assert _outcome(raw, today) == _outcome(raw + " ", today)
