"""Resident identity numbers (公民身份号码, GB 11643-1999): normalise, parse, validate (domain.md §2).

An 18-character number is 6 address digits (地址码), 8 birth-date digits (出生日期码, YYYYMMDD),
3 sequence digits (顺序码; the last one odd for men, even for women) and a check character (校验码)
computed with ISO 7064 MOD 11-2. The legacy 15-digit form (6 address + YYMMDD + 3 sequence) is converted
by inserting "19" after the address code and appending the check character.

Rules that matter in a village:

* The address code is never used to reject a number. Codes are renamed and merged, and a card carries the
  code that was current when it was issued (222405 龙井市 appears on cards of people born long before the
  city existed).
* Spreadsheets damage numbers: a cell stored as a number shows ``4.10102E+17`` and keeps only 15
  significant digits. Such a value is reported (code ``scientific_notation``); digits are never guessed.
* Full-width digits, full-width ``Ｘ``, lower-case ``x`` and stray spaces (including U+3000 and NBSP) are
  accepted and normalised; everything else is reported with a plain Chinese sentence saying how to fix it.

Why not python-stdnum's ``stdnum.cn.ric``: checked against version 2.2, its ``validate()`` looks the
address code up in its birth-place table and rejects numbers whose code is unknown or did not exist in the
birth year (222405 with a 1950 birth date is refused); it raises ``KeyError`` on the domain guide's own
example 370986198906232123; it does not convert 15-digit numbers, accepts birth dates in the future and
refuses full-width input. Those behaviours contradict domain.md §2, so this module implements the standard
itself and the project does not depend on python-stdnum.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from operator import mul

from pensiondesk.domain.codes import Sex

__all__ = [
    "IdErrorCode",
    "InvalidIdNumber",
    "ResidentId",
    "agrees_with",
    "check_character",
    "is_valid",
    "looks_like_float_damage",
    "normalize",
    "parse",
]

#: Weights W_i for i = 1..17 (GB 11643-1999 §7).
WEIGHTS: tuple[int, ...] = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
#: Check character for S mod 11.
CHECK_CHARACTERS = "10X98765432"

#: The oldest verified human lived 122 years: an earlier birth year is a typing error, not a person.
EARLIEST_BIRTH_YEAR = 1880

# Characters that copy-paste from web pages and spreadsheets leaves behind but str.isspace() does not cover.
_INVISIBLE = {"\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"}
# Full-width ASCII block (！..～) → ASCII; covers ０-９, Ａ-Ｚ, ａ-ｚ, ＋, －, ．, ，.
_FULL_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}

_SCIENTIFIC = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)E[+-]?\d+")
_DECIMAL_TEXT = re.compile(r"\d+\.\d+")
_ALLOWED = set("0123456789X")
# Excel keeps 15 significant digits of a number; a double keeps about 15-17. More digits cannot be trusted.
_TRUSTED_DIGITS = 15


class IdErrorCode(StrEnum):
    """Why a number was refused (machine-readable; the message is for people)."""

    LENGTH = "length"
    CHARACTER = "character"
    DATE = "date"
    FUTURE_DATE = "future_date"
    CHECK = "check"
    SCIENTIFIC_NOTATION = "scientific_notation"


class InvalidIdNumber(ValueError):
    """A number that is not a valid 公民身份号码; ``message`` says in Chinese what is wrong and what to do."""

    def __init__(self, code: IdErrorCode, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True, slots=True)
class ResidentId:
    """A validated identity number and what it encodes."""

    number: str  # 18 characters, normalised (upper-case X)
    birth_date: date
    sex: Sex
    area_code: str  # 6-digit 地址码 as written on the card; never checked against a table
    converted_from_15: bool
    original: str  # exactly what was entered

    @property
    def sequence(self) -> str:
        """顺序码: the three digits after the birth date."""
        return self.number[14:17]

    def __str__(self) -> str:
        return self.number


def normalize(raw: str) -> str:
    """Return ``raw`` without whitespace, with full-width characters as ASCII and letters upper-case.

    Removes every Unicode space (U+3000 ideographic space and NBSP included), zero-width characters and a
    leading apostrophe (Excel's "store as text" marker, seen in exported CSV). Does not validate.
    """
    text = raw.translate(_FULL_WIDTH)
    text = "".join(ch for ch in text if not ch.isspace() and ch not in _INVISIBLE)
    if text.startswith("'"):
        text = text[1:]
    return text.upper()


def check_character(first17: str) -> str:
    """Return the check character (校验码) for 17 digits: "10X98765432"[Σ a_i·W_i mod 11]."""
    if len(first17) != 17 or not first17.isascii() or not first17.isdigit():
        raise ValueError(f"check_character needs exactly 17 ASCII digits, got {first17!r}")
    total = sum(int(digit) * weight for digit, weight in zip(first17, WEIGHTS, strict=True))
    return CHECK_CHARACTERS[total % 11]


def parse(raw: str, *, today: date | None = None) -> ResidentId:
    """Validate ``raw`` and return what it encodes, or raise :class:`InvalidIdNumber`.

    Checks, in order: spreadsheet damage (scientific notation, a number with decimals), characters other
    than digits and X, length (18, or legacy 15 which is converted), the place of X (last of 18 only), a
    real calendar date not after ``today`` (default: the current date), and the check character. The
    address code is never checked.
    """
    if len(raw) == 18 and raw.isascii() and raw[:17].isdigit() and (raw[17] == "X" or raw[17].isdigit()):
        plain = _parse_plain(raw, date.today() if today is None else today)
        if plain is not None:
            return plain
    text = normalize(raw)
    if not text:
        raise InvalidIdNumber(IdErrorCode.LENGTH, "身份证号为空：请输入 18 位公民身份号码")
    _refuse_float_damage(text)

    bad = sorted({ch for ch in text if ch not in _ALLOWED})
    if bad:
        shown = "、".join(f"“{ch}”" for ch in bad)
        raise InvalidIdNumber(
            IdErrorCode.CHARACTER,
            f"身份证号含有不允许的字符 {shown}：只能是数字，最后一位可以是 X；请核对证件后重新输入",
        )
    if len(text) not in (15, 18):
        raise InvalidIdNumber(
            IdErrorCode.LENGTH,
            f"身份证号长度为 {len(text)} 位，应为 18 位（旧版为 15 位）；请检查是否多输或漏输了数字",
        )
    if "X" in text[:-1] or (len(text) == 15 and text.endswith("X")):
        raise InvalidIdNumber(
            IdErrorCode.CHARACTER,
            "身份证号中的 X 位置不对：X 只能出现在 18 位号码的最后一位；请核对证件后重新输入",
        )

    converted = len(text) == 15
    first17 = text[:6] + "19" + text[6:15] if converted else text[:17]
    birth = _birth_date(first17[6:14])
    current = today if today is not None else date.today()
    if birth > current:
        raise InvalidIdNumber(
            IdErrorCode.FUTURE_DATE,
            f"身份证号中的出生日期 {birth.isoformat()} 晚于今天（{current.isoformat()}）；"
            "请检查出生日期部分（第 7-14 位）",
        )

    expected = check_character(first17)
    if not converted and text[17] != expected:
        # The right check character is not named: a coordinator told "应为 7" changes the last digit and enters
        # an ID of nobody, when one of the other 17 digits was copied wrong (QA walk-through, 2026-12-04).
        message = (
            "校验码错误：号码里至少有一位抄错了（也可能是两位前后颠倒）；请拿身份证逐位核对后重新输入，"
            "不要只改最后一位"
        )
        if text.endswith("000"):
            message += (
                "。号码以 000 结尾，可能是表格把身份证号存成了数字，后几位已经丢失："
                "请把该列设为文本格式，并按证件重新录入"
            )
        raise InvalidIdNumber(IdErrorCode.CHECK, message)

    sex = Sex.MALE if int(first17[16]) % 2 == 1 else Sex.FEMALE
    return ResidentId(
        number=first17 + expected,
        birth_date=birth,
        sex=sex,
        area_code=first17[:6],
        converted_from_15=converted,
        original=raw,
    )


_ZERO_WEIGHT = ord("0") * sum(WEIGHTS)


def _parse_plain(number: str, today: date) -> ResidentId | None:
    """:func:`parse` of 17 ASCII digits and a digit or X — a text ``normalize`` leaves as it is — when it is valid;
    ``None`` sends it the whole way for the message. A roster checks tens of thousands of such numbers."""
    # Σ a_i·W_i over the digits' byte values, less what the '0' (48) in each byte adds.
    total = sum(map(mul, number[:17].encode("ascii"), WEIGHTS)) - _ZERO_WEIGHT
    if CHECK_CHARACTERS[total % 11] != number[17]:
        return None
    year = int(number[6:10])
    try:
        birth = date(year, int(number[10:12]), int(number[12:14]))
    except ValueError:
        return None
    if birth > today or year < EARLIEST_BIRTH_YEAR:
        return None
    sex = Sex.MALE if int(number[16]) % 2 == 1 else Sex.FEMALE
    return ResidentId(number, birth, sex, number[:6], False, number)


def is_valid(raw: str, *, today: date | None = None) -> bool:
    """True when :func:`parse` accepts ``raw``."""
    try:
        parse(raw, today=today)
    except InvalidIdNumber:
        return False
    return True


def agrees_with(resident_id: ResidentId, birth_date: date | None = None, sex: Sex | None = None) -> list[str]:
    """One Chinese sentence for each entered value that disagrees with the number (empty: all agree)."""
    problems: list[str] = []
    if birth_date is not None and birth_date != resident_id.birth_date:
        problems.append(
            f"出生日期与身份证号不一致：身份证号显示 {resident_id.birth_date.isoformat()}，"
            f"登记的是 {birth_date.isoformat()}；请核对证件"
        )
    if sex is not None and sex != resident_id.sex:
        problems.append(
            f"性别与身份证号不一致：身份证号显示 {resident_id.sex.label}，登记的是 {sex.label}；请核对证件"
        )
    return problems


def looks_like_float_damage(value: object) -> bool:
    """True when a spreadsheet cell value shows that an ID was stored as a number and may have lost digits.

    * any ``float`` (a number cell; an 18-digit ID cannot survive as a double);
    * an ``int`` with more than 15 digits (a spreadsheet number keeps only 15 significant digits, so the rest
      are zeros or noise);
    * a string in scientific notation (``4.10102E+17``) or with a decimal point (``410102199001011000.0``).

    ``bool`` and ints of 15 digits or fewer are not damage (a 15-digit legacy number fits exactly).
    """
    if isinstance(value, bool):
        return False
    if isinstance(value, float):
        return True
    if isinstance(value, int):
        return len(str(abs(value))) > _TRUSTED_DIGITS
    if isinstance(value, str):
        text = normalize(value)
        return bool(_SCIENTIFIC.fullmatch(text) or _DECIMAL_TEXT.fullmatch(text))
    return False


def _refuse_float_damage(text: str) -> None:
    if _SCIENTIFIC.fullmatch(text):
        raise InvalidIdNumber(
            IdErrorCode.SCIENTIFIC_NOTATION,
            f"身份证号显示为科学计数法（{text}）：表格把它存成了数字，后面的数字已经丢失，无法还原；"
            "请把该列设为文本格式，并按证件重新录入完整的 18 位号码",
        )
    if _DECIMAL_TEXT.fullmatch(text):
        raise InvalidIdNumber(
            IdErrorCode.SCIENTIFIC_NOTATION,
            f"身份证号带有小数点（{text}）：表格把它存成了数字，超过 15 位的数字可能已经丢失；"
            "请把该列设为文本格式，并按证件重新录入",
        )


def _birth_date(yyyymmdd: str) -> date:
    year, month, day = int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:8])
    try:
        birth = date(year, month, day)
    except ValueError:
        raise InvalidIdNumber(
            IdErrorCode.DATE,
            f"身份证号中的出生日期 {yyyymmdd[:4]}-{yyyymmdd[4:6]}-{yyyymmdd[6:8]} 不是真实的日期；"
            "请检查出生日期部分（第 7-14 位）",
        ) from None
    if year < EARLIEST_BIRTH_YEAR:
        raise InvalidIdNumber(
            IdErrorCode.DATE,
            f"身份证号中的出生年份 {year} 不可能；请检查出生日期部分（第 7-14 位）",
        )
    return birth
