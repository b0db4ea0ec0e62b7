"""Roster column vocabulary (花名册列名): which column of a county spreadsheet holds which field (domain.md §16).

Rosters (花名册) come from many county systems and many hands, so one field goes by many names: 身份证号,
身份证号码, 公民身份号码, 证件号码 … Header texts are compared after :func:`normalize_header` (no spaces or line
breaks, full-width → half-width, no ``*``/``＊`` marks or （必填） notes), first exactly, then with any bracketed
note removed (``缴费档次（元）``), then as "contains a known name" (``参保人身份证号码``).

:func:`propose_mapping` returns a :class:`ColumnMapping` — field → column index, a confidence per field and the
columns left unmapped. It is plain data: the GUI shows it, the coordinator confirms or changes it
(:meth:`ColumnMapping.with_column`), and the importer takes it as input.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

__all__ = [
    "ALIASES",
    "REPORT_COLUMNS",
    "REQUIRED_FIELDS",
    "ColumnMapping",
    "RosterField",
    "match_header",
    "normalize_header",
    "propose_mapping",
]


class RosterField(StrEnum):
    """A field of the registration roster; the value is the ``PersonInput`` attribute it fills ("seq" excepted)."""

    SEQ = "seq"  # 序号: read, never stored
    NAME = "name"
    SEX = "sex"
    ETHNICITY = "ethnicity"
    BIRTH_DATE = "birth_date"
    ID_NUMBER = "id_number"
    HUKOU_ADDRESS = "hukou_address"
    RESIDENCE_ADDRESS = "residence_address"
    PHONE = "phone"
    GROUP = "group_name"
    HOUSEHOLD_HEAD_NAME = "household_head_name"
    HOUSEHOLD_HEAD_ID_NUMBER = "household_head_id_number"
    RELATION = "relation"
    CATEGORY = "category_codes"
    TIER = "tier_yuan"
    NOTES = "notes"

    @property
    def label(self) -> str:
        """The column title the exported roster uses (domain.md §16)."""
        return _LABELS[self]


_LABELS: dict[RosterField, str] = {
    RosterField.SEQ: "序号",
    RosterField.NAME: "姓名",
    RosterField.SEX: "性别",
    RosterField.ETHNICITY: "民族",
    RosterField.BIRTH_DATE: "出生日期",
    RosterField.ID_NUMBER: "公民身份号码",
    RosterField.HUKOU_ADDRESS: "户籍所在地",
    RosterField.RESIDENCE_ADDRESS: "居住地址",
    RosterField.PHONE: "联系电话",
    RosterField.GROUP: "村民小组",
    RosterField.HOUSEHOLD_HEAD_NAME: "户主姓名",
    RosterField.HOUSEHOLD_HEAD_ID_NUMBER: "户主身份证号",
    RosterField.RELATION: "与户主关系",
    RosterField.CATEGORY: "参保身份",
    RosterField.TIER: "缴费档次",
    RosterField.NOTES: "备注",
}

#: Every name a field goes by in practice, already in normalised form (see :func:`normalize_header`).
ALIASES: dict[RosterField, tuple[str, ...]] = {
    RosterField.SEQ: ("序号", "编号", "顺序号", "NO", "NO."),
    RosterField.NAME: ("姓名", "参保人姓名", "人员姓名", "参保人", "名字"),
    RosterField.SEX: ("性别",),
    RosterField.ETHNICITY: ("民族",),
    RosterField.BIRTH_DATE: ("出生日期", "出生年月", "出生年月日", "出生时间", "生日"),
    RosterField.ID_NUMBER: (
        "公民身份号码",
        "身份证号",
        "身份证号码",
        "证件号码",
        "身份证",
        "证件号",
        "身份号码",
        "公民身份证号码",
        "社会保障号码",
        "社会保障号",
    ),
    RosterField.HUKOU_ADDRESS: ("户籍所在地", "户籍地址", "户籍地", "户口所在地", "户口地址", "户籍所在地址"),
    RosterField.RESIDENCE_ADDRESS: ("居住地址", "现住址", "现居住地址", "居住地", "家庭住址", "住址", "现居住地"),
    RosterField.PHONE: ("联系电话", "电话", "手机号", "手机号码", "手机", "电话号码", "联系方式"),
    RosterField.GROUP: ("村民小组", "组别", "小组", "自然村", "所在小组", "村组", "组"),
    RosterField.HOUSEHOLD_HEAD_NAME: ("户主姓名", "户主"),
    RosterField.HOUSEHOLD_HEAD_ID_NUMBER: (
        "户主身份证号",
        "户主身份证号码",
        "户主公民身份号码",
        "户主证件号码",
    ),
    RosterField.RELATION: ("与户主关系", "关系", "与户主的关系", "家庭关系", "户内关系"),
    RosterField.CATEGORY: (
        "参保身份",
        "身份类别",
        "参保人员类别",
        "人员类别",
        "参保类别",
        "特殊参保群体",
        "困难群体类别",
    ),
    RosterField.TIER: ("缴费档次", "档次", "缴费标准", "缴费金额", "选择档次"),
    RosterField.NOTES: ("备注", "说明"),
}

#: Fields a roster must have for an import to make sense.
REQUIRED_FIELDS: tuple[RosterField, ...] = (RosterField.NAME, RosterField.ID_NUMBER)

#: Columns an import report (导入结果报告) adds; a report re-imported after fixing ignores them.
REPORT_COLUMNS: tuple[str, ...] = ("行号", "结果", "问题说明")

#: Confidence of a match: the text is a known name; a known name plus a bracketed note; it contains a known name.
EXACT, NOTED, CONTAINS = 1.0, 0.9, 0.6

# Full-width ASCII block (！..～) → ASCII, and the ideographic space → nothing (spaces are removed anyway).
_FULL_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_MARKS = re.compile(r"[*＊※★☆]|\(必填\)|\(选填\)|必填|选填|[:：]$")
_BRACKETED = re.compile(r"\([^)]*\)|\[[^]]*\]|【[^】]*】|〔[^〕]*〕")
_EXACT_INDEX: dict[str, RosterField] = {alias: f for f, names in ALIASES.items() for alias in names}
# "Contains" candidates, longest first: 户主身份证号 must win over 身份证号, 户主姓名 over 姓名.
_CONTAINS = sorted(
    ((alias, f) for f, names in ALIASES.items() for alias in names if len(alias) >= 2),
    key=lambda pair: -len(pair[0]),
)


def normalize_header(text: object) -> str:
    """A header cell as compared: no whitespace, full-width → half-width, upper case, no required-field marks.

    ``" 身份证\\n号码＊"`` → ``"身份证号码"``; ``"联系电话（必填）"`` → ``"联系电话"``.
    """
    if text is None:
        return ""
    value = str(text).translate(_FULL_WIDTH)
    value = "".join(ch for ch in value if not ch.isspace())
    return _MARKS.sub("", value.upper())


def match_header(text: object) -> tuple[RosterField, float] | None:
    """The field a header text names and how sure we are, or ``None`` when it names none."""
    key = normalize_header(text)
    if not key:
        return None
    found = _EXACT_INDEX.get(key)
    if found is not None:
        return found, EXACT
    without_note = _BRACKETED.sub("", key)
    found = _EXACT_INDEX.get(without_note)
    if found is not None:
        return found, NOTED
    # Long texts are titles or notes ("红旗村参保花名册（身份证号请设为文本）"), not column names.
    if len(without_note) > 12 or key in REPORT_COLUMNS:
        return None
    for alias, candidate in _CONTAINS:
        if alias in without_note:
            return candidate, CONTAINS
    return None


def exact_match(text: object) -> RosterField | None:
    """The field a header text names exactly or with a bracketed note: what header detection counts."""
    found = match_header(text)
    return found[0] if found is not None and found[1] >= NOTED else None


@dataclass(frozen=True)
class ColumnMapping:
    """Which column (0-based) holds which roster field: proposed by :func:`propose_mapping`, confirmed by a person.

    ``headers`` are the header texts of every column as the sheet shows them (a two-row header joined, e.g.
    ``身份信息/身份证号``); ``confidence`` is 1.0 for a known name, 0.9 for a known name with a note, 0.6 for a
    text that only contains a known name, and 1.0 for anything a person chose.
    """

    columns: Mapping[RosterField, int]
    headers: tuple[str, ...] = ()
    confidence: Mapping[RosterField, float] = field(default_factory=dict)

    def column_of(self, roster_field: RosterField) -> int | None:
        """The column holding ``roster_field``, or ``None`` when the sheet has no such column."""
        return self.columns.get(roster_field)

    @property
    def unmapped(self) -> tuple[int, ...]:
        """Columns that feed no field (shown to the coordinator so nothing is silently ignored)."""
        used = set(self.columns.values())
        return tuple(i for i in range(len(self.headers)) if i not in used)

    @property
    def missing_required(self) -> tuple[RosterField, ...]:
        """Required fields (姓名, 身份证号) that no column feeds."""
        return tuple(f for f in REQUIRED_FIELDS if f not in self.columns)

    def with_column(self, roster_field: RosterField, column: int | None) -> ColumnMapping:
        """A copy where ``roster_field`` is read from ``column`` (``None``: not read); a person's choice, so sure.

        A column feeds one field only: whatever field it fed before is unmapped.
        """
        columns = {f: c for f, c in self.columns.items() if f is not roster_field and c != column}
        confidence = {f: v for f, v in self.confidence.items() if f in columns}
        if column is not None:
            if column < 0 or (self.headers and column >= len(self.headers)):
                raise ValueError(f"column {column} is outside the sheet's {len(self.headers)} columns")
            columns[roster_field] = column
            confidence[roster_field] = EXACT
        return ColumnMapping(columns, self.headers, confidence)

    def describe(self) -> str:
        """One line per field, e.g. ``身份证号 ← 第6列“公民身份号码”``, then the columns not read."""
        lines = []
        for f in RosterField:
            column = self.columns.get(f)
            if column is None:
                continue
            header = self.headers[column] if column < len(self.headers) else ""
            lines.append(f"{f.label} ← 第{column + 1}列“{header}”")
        for column in self.unmapped:
            header = self.headers[column]
            if header:
                lines.append(f"（未使用）第{column + 1}列“{header}”")
        return "\n".join(lines)


def propose_mapping(headers: Sequence[object] | Iterable[object]) -> ColumnMapping:
    """Propose which column holds which field from the header texts of a sheet.

    When two columns name the same field the surer match wins, then the leftmost one; the other is left unmapped
    (the coordinator sees it among :attr:`ColumnMapping.unmapped`).
    """
    texts = tuple("" if h is None else str(h).strip() for h in headers)
    best: dict[RosterField, tuple[float, int]] = {}
    for index, text in enumerate(texts):
        found = match_header(text)
        if found is None:
            continue
        roster_field, confidence = found
        held = best.get(roster_field)
        if held is None or confidence > held[0]:
            best[roster_field] = (confidence, index)
    return ColumnMapping(
        columns={f: column for f, (_, column) in best.items()},
        headers=texts,
        confidence={f: confidence for f, (confidence, _) in best.items()},
    )
