"""Money (金额) in integer fen (分): parsing what people type, formatting, and amounts in words (大写金额).

Every amount in PensionDesk is an ``int`` of fen; ``Decimal`` is used only for display and interest
arithmetic. Floats are refused everywhere.

Amounts in words follow 《支付结算办法》附件一 “正确填写票据和结算凭证的基本规定” (the rules banks and
receipts use):

* digits 零壹贰叁肆伍陆柒捌玖, units 拾佰仟 inside a group of four, 万 and 亿 between groups, then 元角分;
  ten is always 壹拾 (never bare 拾), so nothing can be written in front of it;
* a run of zeros between two non-zero digits is written as one 零 (1005 → 壹仟零伍元整); zeros at the end
  of a group are dropped because the unit that follows (万, 亿, 元) already marks the place;
  a group that starts with zero after a non-zero group, or a whole zero group that is skipped, is marked
  with one 零 (100010 → 壹拾万零壹拾元整, 100001000 → 壹亿零壹仟元整);
* when 角 is zero but 分 is not, 零 follows 元 (1000.05 → 壹仟元零伍分); when only 元位 is zero and
  角 is not, no 零 is written (10.50 → 壹拾元伍角整): the rules allow either form, this module always
  uses this one;
* 整 follows 元 when there are no 角/分, and also follows 角 when there is no 分 (壹拾元伍角整): the
  rules allow it after 角 and it closes the amount so that nothing can be added on a receipt; never
  after 分;
* an amount below one yuan has no 元 part (0.05 → 伍分); zero is 零元整.

Why not the ``cn2an`` library (``cn2an.an2cn(x, "rmb")``, checked at 0.5.24): it agrees with these rules
on the worked examples except that it never writes 整 after 角, and it writes 壹亿壹仟元整 for 100,001,000
where a skipped 万 group is marked with 零 here; it also pulls in a second package (``proces``) for
traditional-character preprocessing that receipts do not need. Forty lines here are easier to audit than
a dependency.
"""

from __future__ import annotations

import re
from decimal import Decimal

__all__ = [
    "InvalidAmount",
    "format_yuan",
    "parse_yuan",
    "to_chinese_capital",
    "to_fen",
    "yuan",
]

_FULL_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_CURRENCY_PREFIXES = ("RMB", "CNY", "￥", "¥", "人民币")
_PLAIN = re.compile(r"(\d*)(?:\.(\d*))?")
_GROUPED = re.compile(r"(\d{1,3}(?:,\d{3})+)(?:\.(\d*))?")

_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_SMALL_UNITS = ("", "拾", "佰", "仟")
_GROUP_UNITS = ("", "万", "亿", "万亿")
#: Largest amount :func:`to_chinese_capital` can write: 9999万亿 … 元 9角9分.
MAX_CAPITAL_FEN = 10 ** (4 * len(_GROUP_UNITS)) * 100 - 1


class InvalidAmount(ValueError):
    """Text that is not an amount of money; ``message`` says in Chinese what to type instead."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def parse_yuan(text: str, *, allow_negative: bool = False) -> int:
    """Parse an amount in yuan as typed ("120", "120.5", "1,200.00", "￥120", "１２０元") and return fen.

    At most two decimals; thousands separators must be in groups of three; negative amounts only with
    ``allow_negative``. Anything else raises :class:`InvalidAmount`.
    """
    cleaned = "".join(text.translate(_FULL_WIDTH).split()).replace("\u2212", "-").replace("，", ",")
    negative = cleaned.startswith("-")
    if negative:
        cleaned = cleaned[1:]
    for prefix in _CURRENCY_PREFIXES:
        if cleaned.upper().startswith(prefix):
            cleaned = cleaned[len(prefix) :]
            break
    if cleaned.endswith("元"):
        cleaned = cleaned[:-1]
    if not negative and cleaned.startswith("-"):
        negative, cleaned = True, cleaned[1:]

    match = _GROUPED.fullmatch(cleaned) or _PLAIN.fullmatch(cleaned)
    if match is None or not any(ch.isdigit() for ch in cleaned):
        raise InvalidAmount(f"“{text.strip()}”不是有效的金额：请输入数字，例如 200 或 200.00")
    whole, decimals = match.group(1).replace(",", ""), match.group(2) or ""
    if len(decimals) > 2:
        raise InvalidAmount(f"金额“{text.strip()}”的小数超过两位：金额只能精确到分，例如 200.50")
    fen = int(whole or "0") * 100 + int(decimals.ljust(2, "0"))
    if negative and fen != 0:
        if not allow_negative:
            raise InvalidAmount(f"金额“{text.strip()}”是负数：这里只能输入正数或零")
        return -fen
    return fen


def to_fen(amount: Decimal | int) -> int:
    """Convert an exact yuan amount (``Decimal`` with at most two decimals, or whole yuan) to fen.

    Floats are refused with ``TypeError``; more than two decimals raises :class:`InvalidAmount`.
    """
    if isinstance(amount, bool) or not isinstance(amount, Decimal | int):
        raise TypeError(f"amounts must be Decimal or int yuan, not {type(amount).__name__}")
    if isinstance(amount, int):
        return amount * 100
    if not amount.is_finite():
        raise InvalidAmount(f"金额“{amount}”不是有效的数字")
    fen = amount * 100
    if fen != fen.to_integral_value():
        raise InvalidAmount(f"金额“{amount}”的小数超过两位：金额只能精确到分")
    return int(fen)


def yuan(fen: int) -> Decimal:
    """Return ``fen`` as a yuan ``Decimal`` with exactly two decimals (12050 → Decimal("120.50"))."""
    return Decimal(fen).scaleb(-2)


def format_yuan(fen: int, *, grouping: bool = True) -> str:
    """Format fen as yuan with two decimals and, by default, thousands separators (120000 → "1,200.00")."""
    sign = "-" if fen < 0 else ""
    whole, part = divmod(abs(fen), 100)
    whole_text = f"{whole:,}" if grouping else str(whole)
    return f"{sign}{whole_text}.{part:02d}"


def to_chinese_capital(fen: int) -> str:
    """Write a non-negative amount of fen in Chinese financial capitals (大写金额), e.g. 12000 → 壹佰贰拾元整.

    See the module docstring for the 零 and 整 rules; amounts above :data:`MAX_CAPITAL_FEN` or below zero
    raise ``ValueError``.
    """
    if isinstance(fen, bool) or not isinstance(fen, int):
        raise TypeError(f"fen must be an int, not {type(fen).__name__}")
    if fen < 0 or fen > MAX_CAPITAL_FEN:
        raise ValueError(f"大写金额只能写 0 到 {format_yuan(MAX_CAPITAL_FEN)} 元之间的金额，收到 {fen} 分")
    whole, cents = divmod(fen, 100)
    jiao, fen_digit = divmod(cents, 10)
    words = _integer_capital(whole)
    if not words and not cents:
        return "零元整"
    out = words + "元" if words else ""
    if jiao:
        out += _DIGITS[jiao] + "角"
    elif words and fen_digit:
        out += "零"
    return out + (_DIGITS[fen_digit] + "分" if fen_digit else "整")


def _integer_capital(number: int) -> str:
    groups: list[int] = []
    while number:
        number, group = divmod(number, 10000)
        groups.append(group)
    parts: list[str] = []
    skipped_zero = False
    for index in reversed(range(len(groups))):
        group = groups[index]
        if group == 0:
            skipped_zero = bool(parts)
            continue
        if parts and (skipped_zero or group < 1000):
            parts.append("零")
        parts.append(_group_capital(group) + _GROUP_UNITS[index])
        skipped_zero = False
    return "".join(parts)


def _group_capital(group: int) -> str:
    parts: list[str] = []
    pending_zero = False
    for power in (3, 2, 1, 0):
        digit = group // 10**power % 10
        if digit == 0:
            pending_zero = bool(parts)
            continue
        if pending_zero:
            parts.append("零")
        parts.append(_DIGITS[digit] + _SMALL_UNITS[power])
        pending_zero = False
    return "".join(parts)
