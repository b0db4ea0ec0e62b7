"""Reading one roster cell (单元格取值): the many ways a roster writes a sex, a relation, a date, a category.

Pure functions from a cell value as the reader gives it (``str``, ``int``, ``float``, ``date``, ``datetime``,
``None``) to the value the people services take. A value that cannot be read raises :class:`CellValueError`
with a plain-Chinese message saying what was found and how to write it instead; nothing here guesses.

* 身份证号 — :func:`id_text` refuses a number that lost digits (an 18-digit ID stored as a spreadsheet number).
* 性别 — 男/女, 男性/女性, 1/2, M/F.
* 出生日期 — 1949-12-31, 1949/12/31, 1949.12.31, 19491231, 1949年12月31日, Excel date serials, date cells; a
  year and month alone (出生年月: 1949-12, 194912, 1949年12月, 1949.12) as a :class:`YearMonth`.
* 与户主关系 — 户主, 本人, 配偶, 妻, 之子, 长子, 次女, 儿媳, 孙女, 岳母 …
* 参保身份 — codes (011, 061, "61" typed as a number) or names from the policy pack (普通, 低保对象 …).
* 缴费档次 — 200, "200元", "200.00".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from pensiondesk.domain.codes import Relation, Sex
from pensiondesk.domain.idnumber import looks_like_float_damage

__all__ = [
    "CellValueError",
    "YearMonth",
    "clean_name",
    "clean_text",
    "id_text",
    "parse_birth_date",
    "parse_categories",
    "parse_ethnicity",
    "parse_relation",
    "parse_sex",
    "parse_tier",
]

DAMAGED_ID_MESSAGE = "身份证号被表格存成了数字，后几位已丢失，请把该列设为文本后重新录入"

_FULL_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_FULL_WIDTH[0x3000] = 0x20
# Largest number a spreadsheet keeps exactly: 15 significant digits.
_EXACT_LIMIT = 10**15
_EXCEL_EPOCH = date(1899, 12, 30)  # serial 1 = 1900-01-01 (after Lotus's leap-day bug, from 1900-03-01 on)
_LAST_SERIAL = 2958465  # 9999-12-31


class CellValueError(ValueError):
    """A cell value that cannot be read; ``message`` says in Chinese what was found and what to write."""

    def __init__(self, message: str, code: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass(frozen=True, slots=True)
class YearMonth:
    """A birth year and month without a day (出生年月). ``months`` holds two months when a number cell made
    "1949.10" into 1949.1 and the month could be January or October."""

    year: int
    months: frozenset[int]

    def matches(self, day: date) -> bool:
        return day.year == self.year and day.month in self.months

    def __str__(self) -> str:
        return "或".join(f"{self.year}年{m}月" for m in sorted(self.months))


def clean_text(value: object) -> str | None:
    """A cell as text for a free-text field: trimmed, a whole number without ``.0``, ``None`` when empty."""
    if type(value) is str:
        return value.strip() or None
    if value is None:
        return None
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        value = value.date() if value.time() == datetime.min.time() else value
    if isinstance(value, date):
        return value.isoformat()
    text = str(value).strip()
    return text or None


_PLAIN_NAME = re.compile(r"[\u3400-\u9fff]+")
_MIDDLE_DOTS = str.maketrans({"•": "·", "・": "·", "‧": "·", "∙": "·", "．": "·", "⋅": "·"})


def clean_name(value: object) -> str:
    """A 姓名 cell: trimmed, full-width letters half-width, the dots of minority names made ``·``.

    Chinese names lose inner spaces (rosters pad two-character names, ``张  三``); Latin names keep single spaces.
    """
    if type(value) is str and _PLAIN_NAME.fullmatch(value):
        return value
    text = clean_text(value) or ""
    text = text.translate(_MIDDLE_DOTS).translate(_FULL_WIDTH)
    if any("\u3400" <= ch <= "\u9fff" for ch in text):
        return "".join(text.split())
    return " ".join(text.split())


def lost_digits_text(value: object) -> str | None:
    """How a spreadsheet shows a number too long to be exact (16 digits or more): ``4.11099E+17``.

    ``None`` for anything else. Such a cell's last digits are not in the file, so the program never writes them
    out as digits (``str(int(4.110991985031503e17))`` would print a plausible ID that belongs to nobody): the
    preview and the report show what Excel shows, and the coordinator types the number from the ID card.
    """
    if isinstance(value, int | float) and not isinstance(value, bool) and abs(value) >= _EXACT_LIMIT:
        return f"{value:.5E}"
    return None


def id_text(value: object) -> str | None:
    """The text of an ID number cell, or ``None`` when empty; raises :class:`CellValueError` for lost digits.

    A number cell cannot hold an 18-digit ID: a spreadsheet keeps 15 significant digits, so the last ones are
    gone and are never guessed. A whole number below 10^15 is exact (a 15-digit legacy ID survives) and is
    returned as its digits; the caller notes that the column should be text.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise CellValueError("身份证号一栏填的是“是/否”，不是号码：请填写 18 位公民身份号码", "character")
    if isinstance(value, int | float):
        if isinstance(value, int) or value.is_integer():
            number = int(value)
            if 0 <= number < _EXACT_LIMIT:
                return str(number)
        # As Excel shows such a cell: 4.10102E+17.
        raise CellValueError(f"{DAMAGED_ID_MESSAGE}（表格中显示为 {lost_digits_text(value)}）", "scientific_notation")
    if isinstance(value, date):
        raise CellValueError("身份证号一栏是日期，不是号码：请检查是否填错了列", "character")
    text = str(value)
    if not text.strip():
        return None
    if looks_like_float_damage(text):  # "4.10102E+17" or "410102199001011000.0" from a CSV or a text cell
        raise CellValueError(f"{DAMAGED_ID_MESSAGE}（表格中显示为 {text.strip()}）", "scientific_notation")
    return text


_SEX = {
    "男": Sex.MALE,
    "男性": Sex.MALE,
    "M": Sex.MALE,
    "MALE": Sex.MALE,
    "1": Sex.MALE,
    "女": Sex.FEMALE,
    "女性": Sex.FEMALE,
    "F": Sex.FEMALE,
    "FEMALE": Sex.FEMALE,
    "2": Sex.FEMALE,
}


def parse_sex(value: object) -> Sex | None:
    """性别 from 男/女 (or 男性/女性, 1/2, M/F); ``None`` when empty."""
    text = clean_text(value)
    if text is None:
        return None
    sex = _SEX.get("".join(text.translate(_FULL_WIDTH).split()).upper())
    if sex is None:
        raise CellValueError(f"性别“{text}”无法识别：请填写“男”或“女”", "sex")
    return sex


_ETHNIC_GROUPS = frozenset(
    [
        "汉",
        "蒙古",
        "回",
        "藏",
        "维吾尔",
        "苗",
        "彝",
        "壮",
        "布依",
        "朝鲜",
        "满",
        "侗",
        "瑶",
        "白",
        "土家",
        "哈尼",
        "哈萨克",
        "傣",
        "黎",
        "傈僳",
        "佤",
        "畲",
        "高山",
        "拉祜",
        "水",
        "东乡",
        "纳西",
        "景颇",
        "柯尔克孜",
        "土",
        "达斡尔",
        "仫佬",
        "羌",
        "布朗",
        "撒拉",
        "毛南",
        "仡佬",
        "锡伯",
        "阿昌",
        "普米",
        "塔吉克",
        "怒",
        "乌孜别克",
        "俄罗斯",
        "鄂温克",
        "德昂",
        "保安",
        "裕固",
        "京",
        "塔塔尔",
        "独龙",
        "鄂伦春",
        "赫哲",
        "门巴",
        "珞巴",
        "基诺",
    ]
)


def parse_ethnicity(value: object) -> str | None:
    """民族 as ``汉族``: the short form of one of the 56 groups (``汉``, ``朝鲜``) gets its ``族``."""
    text = clean_text(value)
    if text is None:
        return None
    text = "".join(text.split())
    return text + "族" if text in _ETHNIC_GROUPS else text


_RELATIONS: dict[str, Relation] = {
    **{relation.label: relation for relation in Relation},
    **dict.fromkeys(("户主", "本人", "户主本人", "本户"), Relation.HEAD),
    **dict.fromkeys(("配偶", "妻", "妻子", "夫", "丈夫", "之妻", "之夫", "爱人", "老伴", "夫妻"), Relation.SPOUSE),
    **dict.fromkeys(("子", "儿子", "独生子", "养子", "继子", "之子", "儿"), Relation.SON),
    **dict.fromkeys(("女", "女儿", "独生女", "养女", "继女", "之女", "闺女"), Relation.DAUGHTER),
    **dict.fromkeys(
        ("父", "母", "父亲", "母亲", "父母", "之父", "之母", "爸爸", "妈妈", "继父", "继母", "养父", "养母"),
        Relation.PARENT,
    ),
    **dict.fromkeys(
        ("公公", "婆婆", "岳父", "岳母", "公婆", "岳父母", "配偶之父", "配偶之母"),
        Relation.PARENT_IN_LAW,
    ),
    **dict.fromkeys(("女婿", "之婿", "婿"), Relation.SON_IN_LAW),
    **dict.fromkeys(("儿媳", "儿媳妇", "媳妇", "之媳", "媳", "长媳", "次媳"), Relation.DAUGHTER_IN_LAW),
    **dict.fromkeys(
        ("孙子", "孙女", "外孙", "外孙子", "外孙女", "孙", "之孙", "之孙女", "曾孙", "曾孙女"),
        Relation.GRANDCHILD,
    ),
    **dict.fromkeys(
        ("祖父", "祖母", "外祖父", "外祖母", "爷爷", "奶奶", "姥爷", "姥姥", "外公", "外婆"),
        Relation.GRANDPARENT,
    ),
    **dict.fromkeys(
        ("兄", "弟", "姐", "妹", "哥哥", "弟弟", "姐姐", "妹妹", "兄弟", "姐妹", "之兄", "之弟", "之姐", "之妹"),
        Relation.SIBLING,
    ),
    **dict.fromkeys(
        ("其他", "其它", "其他亲属", "亲属", "侄子", "侄女", "外甥", "外甥女", "叔", "伯", "姑", "舅", "姨", "非亲属"),
        Relation.OTHER,
    ),
}
# 长子, 次女, 三子, 二女儿, 小儿子 …: an order word before 子/女.
_ORDERED_CHILD = re.compile(r"^(?:长|次|大|二|三|四|五|六|七|八|九|小|幼|老)(子|女|儿子|女儿)$")


def _relation_by_code(code: int) -> Relation | None:
    """家庭关系代码 of GB/T 4761-2008 (01 户主, 10 配偶, 2x 子, 28 女婿, 3x 女, 38 儿媳, 4x 孙子女 …)."""
    special = {1: Relation.HEAD, 2: Relation.HEAD, 28: Relation.SON_IN_LAW, 38: Relation.DAUGHTER_IN_LAW}
    if code in special:
        return special[code]
    if 53 <= code <= 56:
        return Relation.PARENT_IN_LAW
    by_decade = {
        1: Relation.SPOUSE,
        2: Relation.SON,
        3: Relation.DAUGHTER,
        4: Relation.GRANDCHILD,
        5: Relation.PARENT,
        6: Relation.GRANDPARENT,
        7: Relation.SIBLING,
        8: Relation.OTHER,
        9: Relation.OTHER,
    }
    return by_decade.get(code // 10) if 10 <= code <= 99 else None


def parse_relation(value: object) -> Relation | None:
    """与户主关系 from how rosters write it (户主, 配偶, 之子, 长子, 次女, 儿媳, 孙女, 岳母 …, or the two-digit
    codes of GB/T 4761: 01 户主, 10 配偶, 20 子 …); ``None`` when empty."""
    if isinstance(value, int | float) and not isinstance(value, bool) and float(value).is_integer():
        by_code = _relation_by_code(int(value))
        if by_code is not None:
            return by_code
    text = clean_text(value)
    if text is None:
        return None
    key = "".join(text.translate(_FULL_WIDTH).split())
    found = _RELATIONS.get(key)
    if found is not None:
        return found
    if len(key) == 2 and key.isdigit():
        by_code = _relation_by_code(int(key))
        if by_code is not None:
            return by_code
    ordered = _ORDERED_CHILD.match(key)
    if ordered:
        return Relation.SON if ordered.group(1) in ("子", "儿子") else Relation.DAUGHTER
    raise CellValueError(
        f"与户主关系“{text}”无法识别：请填写户主、配偶、子、女、父母、儿媳、女婿、孙子女等", "relation"
    )


_DATE_FULL = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_DATE_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_MONTH_FULL = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?$")
_MONTH_COMPACT = re.compile(r"^(\d{4})(\d{2})$")
_TIME_PART = re.compile(r"^(.+?)[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?$")
_SERIAL = re.compile(r"^\d{1,5}(?:\.0+)?$")


def _date_error(text: str) -> CellValueError:
    return CellValueError(
        f"出生日期“{text}”无法识别：请写成 1949-12-31、1949/12/31、19491231 或 1949年12月31日", "birth_date"
    )


def _make_date(text: str, year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise CellValueError(f"出生日期“{text}”不是真实的日期：请核对年、月、日", "birth_date") from None


def _year_month(text: str, year: int, month: int, *, ambiguous: bool = False) -> YearMonth:
    if not 1 <= month <= 12:
        raise CellValueError(f"出生年月“{text}”中的月份不对：月份应在 1 到 12 之间", "birth_date")
    months = frozenset({1, 10}) if ambiguous and month == 1 else frozenset({month})
    return YearMonth(year, months)


def parse_birth_date(value: object) -> date | YearMonth | None:
    """出生日期 from a date cell, an Excel serial, or text in the usual forms; ``None`` when empty.

    A year and month without a day (出生年月) gives a :class:`YearMonth`. A number cell ``1949.1`` may have been
    typed as 1949.10, so it stands for January or October.
    """
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        raise _date_error(str(value))
    if isinstance(value, int | float):
        if isinstance(value, float) and not value.is_integer():
            text = repr(value)
            match = _MONTH_FULL.match(text)
            if match:
                return _year_month(text, int(match.group(1)), int(match.group(2)), ambiguous=True)
            raise _date_error(text)
        return _from_digits(str(int(value)))
    text = str(value).translate(_FULL_WIDTH).strip()
    if not text:
        return None
    timed = _TIME_PART.match(text)
    if timed:
        text = timed.group(1).strip()
    if text.isdigit() or _SERIAL.match(text):
        return _from_digits(text.split(".")[0])
    match = _DATE_FULL.match(text)
    if match:
        return _make_date(text, int(match.group(1)), int(match.group(2)), int(match.group(3)))
    match = _MONTH_FULL.match(text)
    if match:
        return _year_month(text, int(match.group(1)), int(match.group(2)))
    raise _date_error(str(value).strip())


def _from_digits(text: str) -> date | YearMonth:
    match = _DATE_COMPACT.match(text)
    if match:
        return _make_date(text, int(match.group(1)), int(match.group(2)), int(match.group(3)))
    match = _MONTH_COMPACT.match(text)
    if match and 1800 <= int(match.group(1)) <= 2999:
        return _year_month(text, int(match.group(1)), int(match.group(2)))
    if len(text) <= 5 and 0 < int(text) <= _LAST_SERIAL:
        # An Excel date serial: the cell lost its date format (or came through CSV as a number).
        return _EXCEL_EPOCH + timedelta(days=int(text))
    raise _date_error(text)


_CODE = re.compile(r"(?<!\d)(\d{3})(?!\d)")
_SPLIT = re.compile(r"[、,，;；/／\s]+")
_BRACKETS = re.compile(r"[（(][^）)]*[）)]")


def parse_categories(value: object, categories: Mapping[str, str]) -> list[str]:
    """参保身份 codes from a cell: codes (``061``, ``61`` typed as a number, ``061 低保对象``) or names.

    ``categories`` maps code → name (the policy pack's 参保身份). A code the pack does not know is returned as
    it is (the people service reports it); a name that fits no category, or several (``残疾``: 一级, 二级 or
    三级?), raises :class:`CellValueError` naming the candidates. Empty → ``[]``.
    """
    if value is None or value == "":
        return []
    if isinstance(value, int | float) and not isinstance(value, bool):
        if isinstance(value, float) and not value.is_integer():
            raise CellValueError(f"参保身份“{value}”无法识别：请填写代码（如 011）或名称（如 普通）", "category")
        return [f"{int(value):03d}"]
    text = str(value).translate(_FULL_WIDTH).strip()
    if not text:
        return []
    codes = _CODE.findall(text)
    if codes:
        return list(dict.fromkeys(codes))
    if text.isdigit() and len(text) < 3:
        return [text.zfill(3)]
    found: list[str] = []
    for token in (t for t in _SPLIT.split(text) if t):
        found.append(_category_by_name(token, categories))
    return list(dict.fromkeys(found))


def _category_by_name(token: str, categories: Mapping[str, str]) -> str:
    plain = {code: _BRACKETS.sub("", name) for code, name in categories.items()}
    exact = [code for code, name in categories.items() if token in (name, plain[code])]
    if len(exact) == 1:
        return exact[0]
    starts = exact or [code for code, name in plain.items() if name.startswith(token) or token.startswith(name)]
    if len(starts) == 1:
        return starts[0]
    if starts:
        shown = "、".join(f"{c} {categories[c]}" for c in sorted(starts))
        raise CellValueError(f"参保身份“{token}”对应多个类别（{shown}），请写明代码", "category")
    known = "、".join(f"{c} {n}" for c, n in sorted(categories.items()))
    raise CellValueError(f"参保身份“{token}”无法识别：请填写代码或名称，可选：{known}", "category")


_TIER_NOISE = re.compile(r"元|档|/年|每年|人民币|RMB|¥|￥", re.IGNORECASE)


def parse_tier(value: object) -> str | None:
    """缴费档次 in whole yuan as text (``"200"``) from 200, ``"200元"``, ``"200.00"``; ``None`` when empty."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise CellValueError(f"缴费档次“{value}”无法识别：请填写金额，如 200", "tier")
    if isinstance(value, int | float):
        number = float(value)
    else:
        text = _TIER_NOISE.sub("", str(value).translate(_FULL_WIDTH)).replace(",", "").strip()
        if not text:
            return None
        try:
            number = float(text)
        except ValueError:
            raise CellValueError(f"缴费档次“{str(value).strip()}”无法识别：请填写金额，如 200", "tier") from None
    if not number.is_integer() or number <= 0:
        raise CellValueError(f"缴费档次“{value}”不是整元的金额：请填写如 200、300 的档次", "tier")
    return str(int(number))


def first_text(values: Iterable[object]) -> str | None:
    """The first non-empty cell of ``values`` as text (for messages that quote a row)."""
    for value in values:
        text = clean_text(value)
        if text:
            return text
    return None
