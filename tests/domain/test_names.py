"""Tests for 姓名 pinyin initials: the character-at-a-time path gives exactly what pypinyin gives the whole name."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pensiondesk.domain import names
from pensiondesk.domain.names import pinyin_initials


def _by_pypinyin(name: str) -> str:
    """``pinyin_initials`` as it was before the character cache: pypinyin on the whole name, surname rule after."""
    from pypinyin import Style, lazy_pinyin

    name = name.strip()
    if not name:
        return ""
    letters = lazy_pinyin(name, style=Style.FIRST_LETTER, errors=lambda s: "".join(c for c in s if c.isalnum()))
    initials = [part[:1].lower() for part in letters if part]
    if initials and name[0] in names._SURNAME_INITIALS:
        initials[0] = names._SURNAME_INITIALS[name[0]]
    return "".join(initials)


def _uncached(name: str) -> str:
    return pinyin_initials.__wrapped__(name)  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("name", "initials"),
    [
        ("张三丰", "zsf"),
        ("单雄信", "sxx"),
        ("曾国藩", "zgf"),
        ("解缙", "xj"),
        ("仇英", "qy"),
        ("区小平", "oxp"),
        ("朴正", "pz"),
        ("买买提·吐尔逊", "mmttex"),
        ("Tom", "t"),
        ("  李娜 ", "ln"),
        ("", ""),
        ("   ", ""),
    ],
)
def test_known_initials(name: str, initials: str) -> None:
    assert _uncached(name) == initials == _by_pypinyin(name)


# Surnames that read differently, characters with several readings, and names that hold a dictionary word.
_TRICKY = "单曾解仇区朴查覃盖缪尉翟乐秘繁员长种重行和朝传大都藏还调会给角觉率省参差塞说血着"
_COMMON = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹"
_COMMON += "伟强磊军芳娜敏静丽艳娟霞秀玲桂英兰凤梅琴红燕萍雪琳"
_WORDS = ["张长江", "王重阳", "李朝阳", "欧阳修", "司马光", "诸葛亮", "长孙无忌", "曾乐乐", "单行道", "解放军"]
_WORDS += ["朴实", "区长", "长大", "重庆", "行长"]
_ODD = ["〇", "·", "•", " ", "A", "b", "Z", "7", "㐀", "䶵", "𠀀", "𪚥", "豈", "ａ", "é", "-", "（"]


def test_many_names_agree_with_pypinyin() -> None:
    rng = random.Random(20261204)
    pool = _TRICKY + _COMMON
    made = list(_WORDS)
    for _ in range(4000):
        made.append("".join(rng.choice(pool) for _ in range(rng.randint(1, 4))))
    for _ in range(1000):
        made.append("".join(chr(rng.randint(0x4E00, 0x9FFF)) for _ in range(rng.randint(2, 4))))
    for _ in range(1000):
        parts = [rng.choice(pool) for _ in range(rng.randint(1, 3))] + [rng.choice(_ODD)]
        rng.shuffle(parts)
        made.append("".join(parts))
    for _ in range(500):
        word = rng.choice(_WORDS)
        made.append(rng.choice(pool) + word + rng.choice(["", rng.choice(pool)]))
    for name in made:
        assert _uncached(name) == _by_pypinyin(name), name


def test_every_basic_character_alone_agrees_with_pypinyin() -> None:
    for code in range(0x4E00, 0xA000):
        ch = chr(code)
        assert _uncached(ch) == _by_pypinyin(ch), ch


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([*_TRICKY, *_COMMON, *_ODD, "长江", "重庆", "朝阳"]), max_size=8).map("".join))
def test_any_mix_agrees_with_pypinyin(name: str) -> None:
    assert _uncached(name) == _by_pypinyin(name)


def test_no_character_a_name_may_hold_is_a_digit() -> None:
    """name_problem accepts a name matching the pattern before it looks for digits: that is only the same answer
    while no character the pattern allows is a digit (str.isdigit), which this pins."""
    from pensiondesk.domain.names import name_problem

    ranges = [(0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x3134A)]
    allowed = [chr(code) for low, high in ranges for code in range(low, high + 1)] + list("·• AZaz")
    assert all(names._NAME_RE.match(ch) for ch in allowed[::97])
    assert not any(ch.isdigit() for ch in allowed)
    assert name_problem("张三") is None and name_problem("买买提·吐尔逊") is None
    assert "数字" in (name_problem("张三3") or "") and "数字" in (name_problem("张三٣") or "")
    assert "符号" in (name_problem("张三!") or "") and "过长" in (name_problem("张" * 41) or "")
    assert name_problem("  ") == "姓名不能为空"
