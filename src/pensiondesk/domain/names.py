"""Person names (姓名): pinyin initials for search, and checks on what a name may contain.

Coordinators find people by typing pinyin initials ("zsf" finds 张三丰). pypinyin gives the common reading of each
character, but several characters read differently as a surname (单 shàn, 曾 zēng, 解 xiè, 仇 qiú, 查 zhā, 区 ōu,
覃 qín, 盖 gě, 缪 miào, 尉 yù …); the first character of a name is looked up in a surname table first.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

# Initial of the surname reading where it differs from the common reading of the character.
_SURNAME_INITIALS: dict[str, str] = {
    "单": "s",
    "曾": "z",
    "解": "x",
    "仇": "q",
    "查": "z",
    "区": "o",
    "覃": "q",
    "盖": "g",
    "缪": "m",
    "尉": "y",
    "朴": "p",
    "翟": "z",
    "乐": "y",
    "秘": "b",
    "繁": "p",
    "员": "y",
    "长": "z",
    "种": "c",
}

_NAME_RE = re.compile(r"^[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134a·•A-Za-z ]{1,40}$")


def _keep_alnum(chars: str) -> str:
    return "".join(c for c in chars if c.isalnum())


@lru_cache(maxsize=65_536)  # an import asks twice per row (check, then add); names repeat in a village
def pinyin_initials(name: str) -> str:
    """Lower-case pinyin initials of a name, surname reading first: 单雄信 → sxx, 张三丰 → zsf.

    A run of Latin letters counts as one word (Tom → t) and the middle dot of minority names counts for nothing,
    so 买买提·吐尔逊 → mmttex.
    """
    name = name.strip()
    if not name:
        return ""
    initials = _initials_by_character(name)
    if initials is None:
        initials = _initials_by_pypinyin(name)
    if initials and name[0] in _SURNAME_INITIALS:
        initials[0] = _SURNAME_INITIALS[name[0]]
    return "".join(initials)


def _initials_by_pypinyin(text: str) -> list[str]:
    """The initials pypinyin gives ``text`` read as a whole (its phrase dictionary decides polyphonic characters)."""
    # pypinyin is imported here, not at the top: its phrase dictionary costs ~0.4 s and ~55 MB, and the window
    # opens without needing it.
    from pypinyin import Style, lazy_pinyin

    # A non-Chinese run (a Latin name, the middle dot) comes back whole: it contributes its first letter or nothing.
    letters = lazy_pinyin(text, style=Style.FIRST_LETTER, errors=_keep_alnum)
    return [part[:1].lower() for part in letters if part]


def _initials_by_character(name: str) -> list[str] | None:
    """The same initials as :func:`_initials_by_pypinyin`, a character at a time; ``None`` when that may differ.

    pypinyin cuts a run of Chinese characters into the longest words of its phrase dictionary and reads a word
    as the dictionary says, every other character on its own, the same wherever it stands. So when no two
    neighbouring characters of the name begin a dictionary word, each character reads as it does alone: its
    initial is looked up once per character instead of running pypinyin on every name (most of an import's
    pinyin time). Names with a non-Chinese character, or with a possible word in them, go the whole way.
    """
    initials = []
    for ch in name:
        initial = _character_initial(ch)
        if initial is None:
            return None
        initials.append(initial)
    if len(name) > 1:
        starts = _word_starts()
        if any(name[i : i + 2] in starts for i in range(len(name) - 1)):
            return None
    return initials


@cache  # bounded by the characters that occur in names
def _character_initial(ch: str) -> str | None:
    """The initial of one Chinese character read on its own, or ``None`` when it is not one pypinyin reads."""
    from pypinyin.constants import RE_HANS

    if not RE_HANS.match(ch):
        return None
    initials = _initials_by_pypinyin(ch)
    return initials[0] if len(initials) == 1 else None


@lru_cache(maxsize=1)
def _word_starts() -> frozenset[str]:
    """The first two characters of every word in pypinyin's phrase dictionary (about 36,000; built in ~10 ms)."""
    from pypinyin.constants import PHRASES_DICT

    return frozenset(word[:2] for word in PHRASES_DICT if len(word) > 1)


def name_problem(name: str) -> str | None:
    """Why a name cannot be a resident's 姓名, in plain Chinese, or ``None`` when it is acceptable."""
    stripped = name.strip()
    if not stripped:
        return "姓名不能为空"
    if len(stripped) > 40:
        return "姓名过长（最多40个字）"
    if _NAME_RE.match(stripped):
        return None  # the usual case, answered first: none of the characters the pattern allows is a digit
    if any(ch.isdigit() for ch in stripped):
        return "姓名中不能有数字，请核对是否把身份证号或电话填进了姓名栏"
    return "姓名中有不能识别的符号，只能包含汉字、间隔号“·”或字母"
