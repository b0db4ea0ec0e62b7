"""Tests for de-identification on public notices (公示脱敏, domain.md §12)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pensiondesk.domain.idnumber import check_character
from pensiondesk.domain.masking import mask_bank_card, mask_id_number, mask_middle, mask_name, mask_phone


def test_mask_id_number_example_from_the_domain_guide() -> None:
    assert mask_id_number("440401199001011768") == "440401********1768"


def test_mask_id_number_variants() -> None:
    assert mask_id_number("11010519491231002x") == "110105********002X"
    assert mask_id_number("110105 19491231 002X") == "110105********002X"
    assert mask_id_number("370986890623212") == "370986*****3212"  # legacy 15: 6 + 5 hidden + 4
    assert mask_id_number("12345") == "*****"  # too short to keep its ends
    assert mask_id_number("") == ""


@pytest.mark.parametrize(
    ("name", "masked"),
    [
        ("张三丰", "张*丰"),
        ("张三", "张*"),
        ("欧阳娜娜", "欧*娜娜"),
        ("阿卜杜·热合曼", "阿*杜·热合曼"),
        ("张", "张"),
        (" 李 四 ", "李*"),
        ("", ""),
    ],
)
def test_mask_name_replaces_the_second_character(name: str, masked: str) -> None:
    assert mask_name(name) == masked


def test_mask_bank_card() -> None:
    assert mask_bank_card("6217001234567890123") == "621************0123"
    assert mask_bank_card("6217 0012 3456 7890 123") == "621************0123"
    assert mask_bank_card("1234567") == "*******"


def test_mask_phone() -> None:
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("138 1234 5678") == "138****5678"
    assert mask_phone("13812345678", hide_all=True) == "***********"
    assert mask_phone("0433-1234567") == "043*****4567"
    assert mask_phone("1234567") == "*******"


def test_mask_middle_keeps_the_length() -> None:
    assert mask_middle("abcdefghij", 2, 2) == "ab******ij"
    assert len(mask_middle("abcdefghij", 2, 2)) == 10


@given(
    area=st.from_regex(r"[1-9][0-9]{5}", fullmatch=True),
    birth=st.dates(min_value=date(1900, 1, 1), max_value=date(2025, 12, 31)),
    sequence=st.integers(min_value=0, max_value=999),
)
def test_masked_id_never_shows_seven_digits_of_the_middle(area: str, birth: date, sequence: int) -> None:
    first17 = f"{area}{birth:%Y%m%d}{sequence:03d}"
    number = first17 + check_character(first17)
    masked = mask_id_number(number)
    assert len(masked) == 18
    assert masked[:6] == number[:6] and masked[-4:] == number[-4:]
    assert masked[6:14] == "*" * 8
    # No run of 7 characters that touches the hidden middle (positions 6..13) survives.
    for start in range(0, 18 - 6):
        window = number[start : start + 7]
        if start + 7 > 6 and start < 14:
            assert window not in masked
    # And no 7 consecutive digits at all.
    assert not any(masked[i : i + 7].isdigit() for i in range(12))


@given(st.text(min_size=2, max_size=10).filter(lambda s: len("".join(s.split())) >= 2))
def test_mask_name_hides_exactly_the_second_character(name: str) -> None:
    compact = "".join(name.split())
    masked = mask_name(name)
    assert len(masked) == len(compact)
    assert masked[1] == "*"
    assert masked[0] == compact[0] and masked[2:] == compact[2:]
