"""De-identification for public notices (公示脱敏, domain.md §12; PIPL art. 73).

What a notice may show:

* identity number: the first 6 and the last 4 characters, every other character an asterisk
  (440401199001011768 → 440401********1768; a 15-digit number keeps 6 + 4 and hides 5);
* name: the 2nd character replaced by ``*`` and everything else kept (张三 → 张*, 张三丰 → 张*丰,
  欧阳娜娜 → 欧*娜娜). A one-character name is returned unchanged: there is nothing to hide that would leave
  it recognisable, and such entries are data errors to fix in the register;
* bank card: the first 3 and the last 4 digits;
* phone: the first 3 and the last 4 digits by default, or entirely hidden.

Whitespace inside the input (as typed or imported) is removed first. A value too short to keep its ends
without revealing nearly everything is hidden completely. The asterisk count equals the number of hidden
characters, so the printed length matches the real one.
"""

from __future__ import annotations

__all__ = ["mask_bank_card", "mask_id_number", "mask_middle", "mask_name", "mask_phone"]

MASK = "*"


def mask_middle(text: str, keep_start: int, keep_end: int) -> str:
    """Keep ``keep_start`` leading and ``keep_end`` trailing characters of ``text`` and mask the rest.

    If that would hide fewer characters than it keeps, everything is masked instead.
    """
    compact = "".join(text.split())
    hidden = len(compact) - keep_start - keep_end
    if hidden < max(1, (keep_start + keep_end) // 2):
        return MASK * len(compact)
    return compact[:keep_start] + MASK * hidden + compact[len(compact) - keep_end :]


def mask_id_number(number: str) -> str:
    """公民身份号码 for a notice: first 6 + last 4 (440401199001011768 → 440401********1768)."""
    return mask_middle(number.upper(), 6, 4)


def mask_name(name: str) -> str:
    """姓名 for a notice: the 2nd character becomes ``*`` (张三丰 → 张*丰, 张三 → 张*)."""
    compact = "".join(name.split())
    if len(compact) < 2:
        return compact
    return compact[0] + MASK + compact[2:]


def mask_bank_card(card: str) -> str:
    """银行卡号 for a notice: first 3 + last 4 (6217001234567890123 → 621************0123)."""
    return mask_middle(card, 3, 4)


def mask_phone(phone: str, *, hide_all: bool = False) -> str:
    """联系电话 for a notice: first 3 + last 4 (13812345678 → 138****5678); ``hide_all`` hides it all."""
    if hide_all:
        return MASK * len("".join(phone.split()))
    return mask_middle(phone, 3, 4)
