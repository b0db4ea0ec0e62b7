"""Announcements (通知/宣传单): campaign notices and publicity sheets filled from the policy pack.

Four kinds, each a template in ``forms_templates/announcements/`` that a county adapts without code
(``forms_templates/README.md``):

* ``collection`` 缴费通知 — the year's collection campaign: period and places, the tier table with the
  government subsidy per tier, what hardship groups pay (政府代缴), how to pay, contact;
* ``certification`` 认证通知 — survival certification (领取资格认证): who, by when, the methods, home visits
  per villager group;
* ``letter`` 致城乡居民的一封信 / 政策问答 — who may join, costs, benefits with an estimator example (a
  200-yuan and a 500-yuan payer over 15 years), inheritance, reporting a death;
* ``meeting`` 会议通知 — date, place, agenda, who must attend.

Nothing is retyped: every figure comes from the policy pack (:mod:`pensiondesk.domain.policy`) and the
village's records; what only the coordinator knows (periods, places, contact, meeting details) is kept as
village settings (``setting`` row ``announcements``), see :class:`AnnouncementSettings`.

:func:`fill_announcement` returns an :class:`Announcement`: the filled title and paragraphs (free text the
coordinator may still edit, :meth:`Announcement.with_text`) and the computed tables (not editable). When it is
printed, :func:`save_printed` keeps the exact text with the date, template version and policy pack, with an
audit entry and an outbox row; :func:`printed_history` lists what the village has posted.

Defaults, stated once:

* the year is next year from October on (collection campaigns for the next year start in the fourth
  quarter), otherwise this year (:func:`default_year`);
* the collection period runs from the printing date to the end of the following month, the certification
  deadline is the end of the following month, home visits and the meeting are three days after printing;
  a stored date that has already passed is replaced by these defaults, so last year's dates never reappear;
* the contact is the active coordinator user (协办员) of this database, or 村协办员.

Money is integer fen throughout and printed in yuan (200, 32.50).
"""

from __future__ import annotations

import calendar
import re
import string
import tomllib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import Any, Literal, TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pensiondesk.documents.base import chinese_date, forms_templates_dir
from pensiondesk.domain.codes import PaymentChannel, PersonStatus, SurvivalMethod, UserRole
from pensiondesk.domain.money import format_yuan
from pensiondesk.domain.pension import YearMonth, monthly_pension, projected_balance, yearly_credits
from pensiondesk.domain.policy import InvalidPolicyPack, PolicyLookupError, PolicyPack, parse_policy_pack
from pensiondesk.resources import load_default_policy_pack
from pensiondesk.services.recording import Actor, record_change, snapshot
from pensiondesk.store import models
from pensiondesk.store.models import County, Person, PolicyPackRecord, Setting, Township, User, Village, VillagerGroup

__all__ = [
    "ESTIMATE_TIERS_FEN",
    "ESTIMATE_YEARS",
    "SETTINGS_KEY",
    "TABLE_FIELDS",
    "Announcement",
    "AnnouncementError",
    "AnnouncementKind",
    "AnnouncementSettings",
    "AnnouncementTable",
    "AnnouncementTemplate",
    "Block",
    "Estimate",
    "Layout",
    "PrintedAnnouncement",
    "TemplateError",
    "active_policy_pack",
    "available_fields",
    "default_year",
    "estimate_pension",
    "fill_announcement",
    "load_settings",
    "load_template",
    "printed_announcement",
    "printed_history",
    "save_printed",
    "save_settings",
]

#: The setting row holding the coordinator's announcement details.
SETTINGS_KEY = "announcements"
#: The estimator's example payers (元/年) and how long they pay (domain.md §7: 15 years gives a pension).
ESTIMATE_TIERS_FEN = (200_00, 500_00)
ESTIMATE_YEARS = 15
#: The month of the year in which the estimator's payer pays (the pension module's default).
ESTIMATE_PAYMENT_MONTH = 6
#: From this month on the default year is next year.
NEXT_YEAR_FROM_MONTH = 10

_WEEKDAYS = "一二三四五六日"


class AnnouncementKind(StrEnum):
    """通知种类."""

    COLLECTION = "collection"
    CERTIFICATION = "certification"
    LETTER = "letter"
    MEETING = "meeting"

    @property
    def label(self) -> str:
        return _KIND_LABELS[self.value]


_KIND_LABELS = {
    "collection": "缴费通知",
    "certification": "认证通知",
    "letter": "致城乡居民的一封信（政策问答）",
    "meeting": "会议通知",
}


class Layout(StrEnum):
    """版式: an A4 poster for the village board, or an A5 leaflet printed two to an A4 sheet."""

    POSTER = "poster"
    LEAFLET = "leaflet"

    @property
    def label(self) -> str:
        return "张贴通知（A4 大字）" if self is Layout.POSTER else "宣传单（A5，一张 A4 印两份）"


class AnnouncementError(Exception):
    """An announcement cannot be made; ``user_message`` says why and what to do, in Chinese."""

    def __init__(self, user_message: str) -> None:
        super().__init__(user_message)
        self.user_message = user_message


class TemplateError(AnnouncementError):
    """A template file that cannot be used: ``path`` is the file, ``field`` the unknown field if that is why."""

    def __init__(self, user_message: str, *, path: Path, field: str | None = None) -> None:
        super().__init__(user_message)
        self.path = path
        self.field = field


# --- templates ------------------------------------------------------------------------------------------------

#: Fields that insert a computed table or list; each must be a paragraph of its own.
TABLE_FIELDS: Mapping[str, str] = {
    "tier_table": "缴费档次及政府补贴表",
    "subsidy_table": "政府补贴分级承担表",
    "hardship_table": "困难群体代缴表",
    "estimate_table": "养老金测算示例表",
    "payment_list": "缴费方式列表",
    "methods_list": "认证方式列表",
    "visit_table": "上门认证安排表",
    "agenda_list": "会议议程列表",
}

_TEMPLATE_KEYS = {"template", "text", "payment_channels", "survival_methods"}
_HEADER_KEYS = {"kind", "name", "version", "layout"}
_TEXT_KEYS = {"title", "subtitle", "salutation", "body"}


@dataclass(frozen=True)
class AnnouncementTemplate:
    """One template file (模板) as read: wording with ``{fields}``, nothing filled in yet."""

    path: Path
    kind: AnnouncementKind
    name: str
    version: int
    layout: Layout
    title: str
    subtitle: str
    salutation: str
    body: tuple[str, ...]
    payment_channels: tuple[tuple[PaymentChannel, str], ...] = ()
    survival_methods: tuple[tuple[SurvivalMethod, str], ...] = ()

    @property
    def file_name(self) -> str:
        return self.path.name


def _template_error(path: Path, message: str, field: str | None = None) -> TemplateError:
    return TemplateError(f"模板文件 {path} 有误：{message}", path=path, field=field)


def load_template(kind: AnnouncementKind | str, templates_dir: Path | None = None) -> AnnouncementTemplate:
    """Read ``announcements/<kind>.toml`` from ``templates_dir`` (default :func:`forms_templates_dir`).

    Every problem is a :class:`TemplateError` naming the file and the part of it that is wrong.
    """
    kind = AnnouncementKind(kind)
    path = (templates_dir or forms_templates_dir()) / "announcements" / f"{kind.value}.toml"
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise TemplateError(f"找不到模板文件 {path}；请检查 forms_templates 目录是否完整", path=path) from None
    except UnicodeDecodeError:
        raise _template_error(path, "文件不是 UTF-8 编码；请用记事本“另存为”UTF-8 编码") from None
    except tomllib.TOMLDecodeError as error:
        raise _template_error(path, f"格式错误（{error}）；常见原因：引号或方括号没有成对") from None
    _refuse_unknown(path, data, _TEMPLATE_KEYS, "")
    header = _table(path, data, "template")
    text = _table(path, data, "text")
    _refuse_unknown(path, header, _HEADER_KEYS, "template.")
    _refuse_unknown(path, text, _TEXT_KEYS, "text.")
    if header.get("kind") != kind.value:
        raise _template_error(path, f'[template] 中的 kind 应为 "{kind.value}"，现在是 {header.get("kind")!r}')
    version = header.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise _template_error(path, "[template] 中的 version 必须是正整数，例如 1")
    try:
        layout = Layout(header.get("layout", Layout.POSTER.value))
    except ValueError:
        raise _template_error(path, '[template] 中的 layout 只能是 "poster" 或 "leaflet"') from None
    body = text.get("body")
    if not isinstance(body, list) or not body or not all(isinstance(item, str) for item in body):
        raise _template_error(path, '[text] 中的 body 必须是由文字组成的列表 ["……", "……"]')
    return AnnouncementTemplate(
        path=path,
        kind=kind,
        name=_text(path, header, "name", "template.name"),
        version=version,
        layout=layout,
        title=_text(path, text, "title", "text.title"),
        subtitle=_text(path, text, "subtitle", "text.subtitle", required=False),
        salutation=_text(path, text, "salutation", "text.salutation", required=False),
        body=tuple(body),
        payment_channels=_coded_texts(path, data, "payment_channels", PaymentChannel),
        survival_methods=_coded_texts(path, data, "survival_methods", SurvivalMethod),
    )


def _refuse_unknown(path: Path, data: Mapping[str, Any], known: set[str], prefix: str) -> None:
    unknown = sorted(set(data) - known)
    if unknown:
        names = "、".join(prefix + name for name in unknown)
        raise _template_error(path, f"不认识的项目 {names}（可用：{'、'.join(prefix + k for k in sorted(known))}）")


def _table(path: Path, data: Mapping[str, Any], name: str) -> Mapping[str, Any]:
    value = data.get(name)
    if not isinstance(value, dict):
        raise _template_error(path, f"缺少 [{name}] 一节")
    return value


def _text(path: Path, data: Mapping[str, Any], key: str, where: str, *, required: bool = True) -> str:
    value = data.get(key, None if required else "")
    if not isinstance(value, str) or (required and not value.strip()):
        raise _template_error(path, f"{where} 必须是一段不为空的文字（加引号）")
    return value


_Code = TypeVar("_Code", PaymentChannel, SurvivalMethod)


def _coded_texts(
    path: Path, data: Mapping[str, Any], section: str, codes: type[_Code]
) -> tuple[tuple[_Code, str], ...]:
    entries = data.get(section, {})
    if not isinstance(entries, dict):
        raise _template_error(path, f'[{section}] 必须是一节“代码 = "说明"”')
    result: list[tuple[_Code, str]] = []
    for key, value in entries.items():
        try:
            code = codes(key)
        except ValueError:
            known = "、".join(member.value for member in codes)
            raise _template_error(path, f"[{section}] 中不认识的代码 {key}（可用：{known}）") from None
        if not isinstance(value, str) or not value.strip():
            raise _template_error(path, f"[{section}] 中 {key} 的说明必须是一段文字")
        result.append((code, value))
    return tuple(result)


# --- settings -------------------------------------------------------------------------------------------------


def default_year(today: date) -> int:
    """The year an announcement is about: next year from October on, otherwise this year."""
    return today.year + 1 if today.month >= NEXT_YEAR_FROM_MONTH else today.year


def _end_of_next_month(day: date) -> date:
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    return date(year, month, calendar.monthrange(year, month)[1])


DEFAULT_AGENDA = (
    "传达上级关于城乡居民基本养老保险工作的部署要求",
    "学习本年度缴费档次、政府补贴和基础养老金标准",
    "部署保险费征缴工作，明确各组任务和时间安排",
    "部署待遇领取资格认证和去世人员注销登记工作",
    "其他事项",
)


@dataclass(frozen=True)
class AnnouncementSettings:
    """What only the coordinator knows, kept per village in the ``setting`` table (key ``announcements``).

    Dates are ``None`` until chosen; :func:`load_settings` fills them with the module's defaults. An empty
    ``contact_name`` means the coordinator user of this database.
    """

    contact_name: str = ""
    contact_phone: str = ""
    collection_start: date | None = None
    collection_end: date | None = None
    collection_places: str = "村委会便民服务室"
    bank: str = "本地农村商业银行（农村信用社）"
    payment_channels: tuple[str, ...] = tuple(channel.value for channel in PaymentChannel)
    certification_deadline: date | None = None
    certification_places: str = "村委会便民服务室"
    visit_start: date | None = None
    meeting_date: date | None = None
    meeting_time: str = "上午9:00"
    meeting_place: str = "村委会会议室"
    meeting_attendees: str = "村两委成员、各村民小组长、村民代表"
    meeting_agenda: tuple[str, ...] = DEFAULT_AGENDA

    def with_defaults(self, today: date) -> AnnouncementSettings:
        """Missing dates, and dates that have already passed, replaced by the defaults for ``today``."""

        def fresh(value: date | None, default: date) -> date:
            return value if value is not None and value >= today else default

        start = fresh(self.collection_start, today)
        end = fresh(self.collection_end, _end_of_next_month(today))
        return replace(
            self,
            collection_start=start,
            collection_end=end if end >= start else _end_of_next_month(start),
            certification_deadline=fresh(self.certification_deadline, _end_of_next_month(today)),
            visit_start=fresh(self.visit_start, today + timedelta(days=3)),
            meeting_date=fresh(self.meeting_date, today + timedelta(days=3)),
        )

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {}
        for name, value in self.__dict__.items():
            if isinstance(value, date):
                data[name] = value.isoformat()
            elif isinstance(value, tuple):
                data[name] = list(value)
            else:
                data[name] = value
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> AnnouncementSettings:
        """Read stored settings; unknown keys and unreadable values are ignored (the default applies)."""
        defaults = cls()
        values: dict[str, Any] = {}
        for name, default in defaults.__dict__.items():
            if name not in data:
                continue
            raw = data[name]
            if name in _DATE_SETTINGS:
                try:
                    values[name] = date.fromisoformat(raw) if raw else None
                except (TypeError, ValueError):
                    continue
            elif isinstance(default, tuple):
                if isinstance(raw, list) and all(isinstance(item, str) for item in raw):
                    values[name] = tuple(raw)
            elif isinstance(raw, str):
                values[name] = raw
        return cls(**values)


_DATE_SETTINGS = {"collection_start", "collection_end", "certification_deadline", "visit_start", "meeting_date"}


def load_settings(session: Session, today: date | None = None) -> AnnouncementSettings:
    """The village's announcement settings with every date filled in (see the module docstring)."""
    today = today or date.today()
    row = session.get(Setting, SETTINGS_KEY)
    stored = AnnouncementSettings.from_json(row.value) if row is not None and isinstance(row.value, dict) else None
    return (stored or AnnouncementSettings()).with_defaults(today)


def save_settings(session: Session, actor: Actor, settings: AnnouncementSettings) -> None:
    """Keep the coordinator's details for next time (audited; local to this laptop, so not synced)."""
    if (
        settings.collection_start is not None
        and settings.collection_end is not None
        and settings.collection_end < settings.collection_start
    ):
        raise AnnouncementError("征缴截止日期不能早于开始日期")
    unknown = [code for code in settings.payment_channels if code not in {c.value for c in PaymentChannel}]
    if unknown:
        raise AnnouncementError(f"不认识的缴费方式：{'、'.join(unknown)}")
    row = session.get(Setting, SETTINGS_KEY)
    before = {"value": row.value} if row is not None else None
    value = settings.to_json()
    if row is None:
        session.add(Setting(key=SETTINGS_KEY, value=value))
    else:
        if row.value == value:
            return
        row.value = value
    record_change(
        session,
        actor=actor,
        action="announcement_settings.save",
        entity_type="setting",
        entity_id=SETTINGS_KEY,
        before=before,
        after={"value": value},
        sync=False,
    )


# --- the policy pack and the village --------------------------------------------------------------------------


def active_policy_pack(session: Session, on: date) -> PolicyPack:
    """The policy pack in force on ``on``: the newest stored pack (策略包) already effective, else the default.

    Stored packs are tried newest first; one that no longer parses is skipped, never guessed at.
    """
    records = session.scalars(
        select(PolicyPackRecord)
        .where(PolicyPackRecord.effective_from <= on)
        .order_by(PolicyPackRecord.effective_from.desc(), PolicyPackRecord.version.desc())
    )
    for record in records:
        try:
            return parse_policy_pack(record.content, source=f"{record.pack_id} v{record.version}")
        except InvalidPolicyPack:
            continue
    return load_default_policy_pack()


@dataclass(frozen=True)
class _Place:
    village_id: str
    village: str
    township: str
    county: str


def _place(session: Session) -> _Place:
    setting = session.get(Setting, "village_id")
    village = session.get(Village, str(setting.value)) if setting is not None and setting.value else None
    if village is None:
        raise AnnouncementError("还没有设置本村信息，无法生成通知；请先在“设置”中选择本村")
    township = session.get(Township, village.township_id)
    county = session.get(County, township.county_id) if township is not None else None
    return _Place(village.id, village.name, township.name if township else "", county.name if county else "")


def _coordinator_name(session: Session) -> str:
    name = session.scalar(
        select(User.display_name)
        .where(User.role == UserRole.COORDINATOR, User.active.is_(True))
        .order_by(User.created_at)
        .limit(1)
    )
    return name or "村协办员"


# --- amounts and dates as printed ----------------------------------------------------------------------------


def yuan_text(fen: int) -> str:
    """An amount as a notice prints it: whole yuan without decimals (200), otherwise two decimals (32.50)."""
    return str(fen // 100) if fen % 100 == 0 else format_yuan(fen, grouping=False)


def _cents(fen: int) -> str:
    """A computed amount with its two decimals, so a column of results lines up (4192.16, 10207.00)."""
    return format_yuan(fen, grouping=False)


def _month_day_text(day: date) -> str:
    return f"{day.month}月{day.day}日"


def _weekday_date(day: date) -> str:
    return f"{chinese_date(day)}（星期{_WEEKDAYS[day.weekday()]}）"


def _percent(rate: Decimal) -> str:
    text = format(rate * 100, "f").rstrip("0").rstrip(".")
    return f"{text}%"


# --- the estimator (养老金测算示例) ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Estimate:
    """One example payer: pays ``tier`` every year from ``first_year`` to ``last_year`` and retires after.

    ``balance`` is the projected personal account (个人账户储存额) at the end of ``last_year``; the monthly
    pension is ``basic`` (basic pension in force when printed, plus any long-contribution top-up) plus
    ``balance ÷ divisor``.
    """

    tier: int
    subsidy: int
    collective: int
    first_year: int
    last_year: int
    personal_total: int
    balance: int
    basic: int
    account_pension: int
    monthly: int


def _estimate_tier(pack: PolicyPack, wanted: int) -> int:
    """``wanted`` if everyone may choose it, else the next tier above it (or the top tier)."""
    tiers = pack.tiers_for(())
    if not tiers:
        raise AnnouncementError(f"政策包“{pack.name}”中没有人人可选的缴费档次，无法测算")
    return next((tier for tier in tiers if tier >= wanted), tiers[-1])


def estimate_pension(pack: PolicyPack, *, tier_fen: int, first_year: int, on: date) -> Estimate:
    """The estimator: a person without hardship category paying ``tier_fen`` for 15 years from ``first_year``.

    Each year's credits are :func:`~pensiondesk.domain.pension.yearly_credits` (tier, subsidy and collective
    subsidy, paid in June); interest uses the pack's rate for each year, the latest published rate for years
    not yet published; the balance is taken at the end of the 15th year, when the payer turns 60.
    """
    last_year = first_year + ESTIMATE_YEARS - 1
    credits = yearly_credits(
        pack, tier_fen=tier_fen, first_year=first_year, last_year=last_year, month=ESTIMATE_PAYMENT_MONTH
    )
    try:
        balance = projected_balance(
            credits,
            until=YearMonth(last_year, 12),
            rates=lambda year: pack.interest_rate(year, fallback_to_latest=True),
        )
    except PolicyLookupError as error:
        raise AnnouncementError(f"无法测算养老金：{error.message}") from None
    basic = pack.basic_pension_on(on) + pack.extra_years_top_up_for(ESTIMATE_YEARS)
    monthly = monthly_pension(basic, balance, pack.divisor)
    return Estimate(
        tier=tier_fen,
        subsidy=pack.subsidy_for(tier_fen).total,
        collective=pack.collective_fen,
        first_year=first_year,
        last_year=last_year,
        personal_total=tier_fen * ESTIMATE_YEARS,
        balance=balance,
        basic=basic,
        account_pension=monthly - basic,
        monthly=monthly,
    )


# --- the announcement -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AnnouncementTable:
    """A computed table or list (表格), inserted where its ``{name}`` stands alone in the text; not editable.

    ``style`` "grid" is a ruled table with ``header``; "list" prints each row as a numbered line (a row is
    ``(label, text)`` or ``(text,)``).
    """

    name: str
    caption: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    note: str = ""
    style: Literal["grid", "list"] = "grid"
    column_weights: tuple[float, ...] = ()
    left_columns: tuple[int, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "caption": self.caption,
            "header": list(self.header),
            "rows": [list(row) for row in self.rows],
            "note": self.note,
            "style": self.style,
            "column_weights": list(self.column_weights),
            "left_columns": list(self.left_columns),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> AnnouncementTable:
        return cls(
            name=data["name"],
            caption=data["caption"],
            header=tuple(data["header"]),
            rows=tuple(tuple(row) for row in data["rows"]),
            note=data.get("note", ""),
            style=data.get("style", "grid"),
            column_weights=tuple(data.get("column_weights", ())),
            left_columns=tuple(data.get("left_columns", ())),
        )


@dataclass(frozen=True)
class Block:
    """One piece of the body as printed: a paragraph, a heading (小标题) or a table."""

    kind: Literal["text", "heading", "table"]
    text: str = ""
    table: AnnouncementTable | None = None


_HEADING_MARK = "#"
_LONE_FIELD = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t\u3000]*\n")


@dataclass(frozen=True)
class Announcement:
    """An announcement ready to print: filled text (editable) and computed tables (not editable).

    ``paragraphs`` are the body in order: ``"# 一、……"`` is a heading, ``"{tier_table}"`` alone places that
    table, anything else is a paragraph. ``fields`` are the template fields used, with the values filled in.
    """

    kind: AnnouncementKind
    layout: Layout
    year: int
    title: str
    subtitle: str
    salutation: str
    paragraphs: tuple[str, ...]
    tables: Mapping[str, AnnouncementTable]
    fields: Mapping[str, str]
    village: str
    committee: str  # 落款, e.g. 红旗村村民委员会
    issued_on: date
    template_name: str
    template_file: str
    template_version: int
    pack_id: str
    pack_version: int
    pack_name: str = ""

    @property
    def date_text(self) -> str:
        """The 落款 date, 2026年11月23日."""
        return chinese_date(self.issued_on)

    @property
    def text(self) -> str:
        """The body as the coordinator edits it: paragraphs separated by an empty line."""
        return "\n\n".join(self.paragraphs)

    def blocks(self) -> list[Block]:
        """The body as printed, in order; a table marker whose table is unknown raises AnnouncementError."""
        result: list[Block] = []
        for paragraph in self.paragraphs:
            stripped = paragraph.strip()
            lone = _LONE_FIELD.fullmatch(stripped)
            if lone:
                table = self.tables.get(lone.group(1))
                if table is None:
                    raise AnnouncementError(_unknown_marker_message(lone.group(1), self.tables))
                result.append(Block("table", table=table))
            elif stripped.startswith(_HEADING_MARK):
                result.append(Block("heading", stripped.lstrip(_HEADING_MARK).strip()))
            elif stripped:
                result.append(Block("text", stripped))
        return result

    def with_text(
        self,
        *,
        title: str | None = None,
        subtitle: str | None = None,
        salutation: str | None = None,
        text: str | None = None,
        layout: Layout | None = None,
    ) -> Announcement:
        """The same announcement with the coordinator's edits (标题, 称呼, 正文 and/or 版式).

        ``text`` is split into paragraphs at empty lines; lines inside a paragraph are joined. A line
        ``{name}`` must name one of this announcement's tables, and no other ``{field}`` may remain (the figures
        are already filled in): both raise :class:`AnnouncementError` naming the field.
        """
        paragraphs = self.paragraphs if text is None else split_paragraphs(text)
        new_title = self.title if title is None else title.strip()
        if not new_title:
            raise AnnouncementError("标题不能为空")
        for number, paragraph in enumerate(paragraphs, start=1):
            stripped = paragraph.strip()
            lone = _LONE_FIELD.fullmatch(stripped)
            if lone:
                if lone.group(1) not in self.tables:
                    raise AnnouncementError(_unknown_marker_message(lone.group(1), self.tables))
                continue
            leftover = _LONE_FIELD.search(stripped)
            if leftover:
                raise AnnouncementError(
                    f"正文第 {number} 段中的 {leftover.group(0)} 无法替换：通知中的数字和日期已经填好，"
                    "请直接写文字；要插入表格时，把表格名称（如 {tier_table}）单独写成一段"
                )
        return replace(
            self,
            title=new_title,
            subtitle=self.subtitle if subtitle is None else subtitle.strip(),
            salutation=self.salutation if salutation is None else salutation.strip(),
            paragraphs=paragraphs,
            layout=self.layout if layout is None else layout,
        )

    def to_json(self) -> dict[str, Any]:
        """The exact printed content, as stored by :func:`save_printed`."""
        return {
            "kind": self.kind.value,
            "layout": self.layout.value,
            "year": self.year,
            "title": self.title,
            "subtitle": self.subtitle,
            "salutation": self.salutation,
            "paragraphs": list(self.paragraphs),
            "tables": {name: table.to_json() for name, table in self.tables.items()},
            "fields": dict(self.fields),
            "village": self.village,
            "committee": self.committee,
            "issued_on": self.issued_on.isoformat(),
            "template": {"name": self.template_name, "file": self.template_file, "version": self.template_version},
            "policy_pack": {"id": self.pack_id, "version": self.pack_version, "name": self.pack_name},
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Announcement:
        """Rebuild a stored announcement (for reprinting exactly what was posted)."""
        template = data["template"]
        pack = data["policy_pack"]
        return cls(
            kind=AnnouncementKind(data["kind"]),
            layout=Layout(data["layout"]),
            year=int(data["year"]),
            title=data["title"],
            subtitle=data.get("subtitle", ""),
            salutation=data.get("salutation", ""),
            paragraphs=tuple(data["paragraphs"]),
            tables={name: AnnouncementTable.from_json(table) for name, table in data["tables"].items()},
            fields=dict(data.get("fields", {})),
            village=data["village"],
            committee=data["committee"],
            issued_on=date.fromisoformat(data["issued_on"]),
            template_name=template["name"],
            template_file=template["file"],
            template_version=int(template["version"]),
            pack_id=pack["id"],
            pack_version=int(pack["version"]),
            pack_name=pack.get("name", ""),
        )


def split_paragraphs(text: str) -> tuple[str, ...]:
    """Paragraphs of edited text: separated by empty lines; the lines of one paragraph joined without spaces."""
    pieces = _PARAGRAPH_BREAK.split(text.replace("\r\n", "\n").strip())
    result = []
    for piece in pieces:
        joined = "".join(line.strip() for line in piece.split("\n"))
        if joined:
            result.append(joined)
    return tuple(result)


def _unknown_marker_message(name: str, tables: Mapping[str, AnnouncementTable]) -> str:
    available = "、".join("{" + table + "}" for table in tables) or "（本通知没有表格）"
    return f"正文中的 {{{name}}} 不是本通知的表格，无法插入；可以插入的表格：{available}"


# --- filling --------------------------------------------------------------------------------------------------


class _Fields(Mapping[str, str]):
    """Field values computed on first use (the estimator and the visit table only when a template asks)."""

    def __init__(self, makers: Mapping[str, Callable[[], str]]) -> None:
        self._makers = makers
        self._values: dict[str, str] = {}

    def __getitem__(self, name: str) -> str:
        if name not in self._values:
            self._values[name] = self._makers[name]()
        return self._values[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._makers)

    def __len__(self) -> int:
        return len(self._makers)


_FIELD_HELP: dict[str, str] = {
    "year": "年度，例如 2027",
    "village": "村名",
    "township": "乡镇名",
    "county": "县名",
    "committee": "落款单位，例如 红旗村村民委员会",
    "today": "打印日期，例如 2026年11月23日",
    "deadline": "截止日期：缴费通知为征缴截止日，认证通知为认证截止日，会议通知为开会日期",
    "contact": "联系人和电话，例如 张明，联系电话：139……",
    "contact_name": "联系人",
    "contact_phone": "联系电话",
    "pack_name": "政策包名称",
    "region": "政策包适用地区",
    "basic_pension": "现行基础养老金（元/月）",
    "lowest_tier": "最低缴费档次（元/年）",
    "top_tier": "最高缴费档次（元/年）",
    "tier_list": "全部缴费档次，例如 100元、200元……2000元",
    "min_subsidy": "最低档次的政府补贴（元）",
    "max_subsidy": "最高档次的政府补贴（元）",
    "collective_sentence": "集体补助的说明（政策包没有集体补助时为空）",
    "pension_age": "领取年龄（周岁）",
    "min_years": "最低累计缴费年限",
    "divisor": "个人账户计发系数（139）",
    "age_cutoff": "计算年龄的日期，例如 6月30日",
    "survival_cycle_months": "认证周期（月）",
    "notice_days": "公示天数",
    "migrant_deadline": "外出务工人员交材料的截止日期，例如 2027年10月31日",
    "funeral_grant": "丧葬补助金（元）；政策包没有时为“无”",
    "funeral_grant_sentence": "丧葬补助金的说明（政策包没有时为空）",
    "collection_start": "征缴开始日期",
    "collection_end": "征缴截止日期",
    "collection_places": "缴费地点",
    "bank": "代收银行",
    "certification_deadline": "认证截止日期",
    "certification_places": "现场认证地点",
    "visit_start": "上门认证开始日期",
    "meeting_date": "会议日期（含星期）",
    "meeting_time": "会议时间，例如 上午9:00",
    "meeting_place": "会议地点",
    "meeting_attendees": "参会人员",
    "estimate_assumptions": "测算示例的假设说明",
    "estimate_first_year": "测算示例的起缴年份",
    "estimate_last_year": "测算示例的最后缴费年份",
    "estimate_rate": "测算所用记账利率的说明",
}


def available_fields() -> dict[str, str]:
    """Every field a template may use, with a short description (tables first); README lists the same."""
    return {**{name: f"插入{label}（须单独成段）" for name, label in TABLE_FIELDS.items()}, **_FIELD_HELP}


@dataclass
class _Context:
    session: Session
    pack: PolicyPack
    place: _Place
    settings: AnnouncementSettings
    template: AnnouncementTemplate
    year: int
    today: date
    contact_name: str
    fields: _Fields = field(init=False)

    def estimates(self) -> list[Estimate]:
        return [
            estimate_pension(self.pack, tier_fen=_estimate_tier(self.pack, tier), first_year=self.year, on=self.today)
            for tier in ESTIMATE_TIERS_FEN
        ]


def _chosen(day: date | None) -> date:
    """A settings date after :meth:`AnnouncementSettings.with_defaults`, which never leaves one empty."""
    if day is None:
        raise AnnouncementError("日期没有填写")
    return day


def _field_makers(ctx: _Context) -> dict[str, Callable[[], str]]:
    pack, settings = ctx.pack, ctx.settings
    tiers = pack.tier_amounts
    start, end = _chosen(settings.collection_start), _chosen(settings.collection_end)
    certify_by, visits, meeting = (
        _chosen(settings.certification_deadline),
        _chosen(settings.visit_start),
        _chosen(settings.meeting_date),
    )
    deadline = {
        AnnouncementKind.COLLECTION: end,
        AnnouncementKind.CERTIFICATION: certify_by,
        AnnouncementKind.LETTER: end,
        AnnouncementKind.MEETING: meeting,
    }[ctx.template.kind]
    phone = settings.contact_phone.strip()
    contact = f"{ctx.contact_name}，联系电话：{phone}" if phone else ctx.contact_name
    grant = pack.funeral_grant

    def estimate_rate() -> str:
        years = range(ctx.year, ctx.year + ESTIMATE_YEARS)
        rates = {pack.interest_rate(year, fallback_to_latest=True) for year in years}
        published = sorted(entry.year for entry in pack.interest_rates)
        if len(rates) == 1:
            rate = rates.pop()
            if published and published[-1] < ctx.year:
                return f"记账利率按政策包中最近公布的{published[-1]}年利率{_percent(rate)}估算"
            return f"记账利率按{_percent(rate)}估算"
        return "记账利率按政策包公布的各年利率估算，尚未公布的年度按最近一年的利率估算"

    def assumptions() -> str:
        first, last = ctx.year, ctx.year + ESTIMATE_YEARS - 1
        payers = "和".join(f"{yuan_text(e.tier)}元" for e in ctx.estimates())
        collective = f"（另含村集体补助每年{yuan_text(pack.collective_fen)}元）" if pack.collective_fen else ""
        return (
            f"假设一位村民从{first}年起每年6月按{payers}档次缴费{collective}，连续缴满{ESTIMATE_YEARS}年，"
            f"{last}年底年满{pack.pension_age}周岁开始领取；{estimate_rate()}；基础养老金按现行每人每月"
            f"{yuan_text(ctx.estimates()[0].basic)}元计算，不计以后的调整。测算结果如下表："
        )

    def safe(make: Callable[[], str]) -> Callable[[], str]:
        def wrapped() -> str:
            try:
                return make()
            except PolicyLookupError as error:
                raise AnnouncementError(f"无法生成通知：{error.message}") from None

        return wrapped

    makers: dict[str, Callable[[], str]] = {
        "year": lambda: str(ctx.year),
        "village": lambda: ctx.place.village,
        "township": lambda: ctx.place.township,
        "county": lambda: ctx.place.county,
        "committee": lambda: f"{ctx.place.village}村民委员会",
        "today": lambda: chinese_date(ctx.today),
        "deadline": lambda: chinese_date(deadline),
        "contact": lambda: contact,
        "contact_name": lambda: ctx.contact_name,
        "contact_phone": lambda: phone,
        "pack_name": lambda: pack.name,
        "region": lambda: pack.region.display_name,
        "basic_pension": safe(lambda: yuan_text(pack.basic_pension_on(ctx.today))),
        "lowest_tier": lambda: yuan_text(tiers[0]),
        "top_tier": lambda: yuan_text(tiers[-1]),
        "tier_list": lambda: "、".join(f"{yuan_text(t)}元" for t in tiers),
        "min_subsidy": safe(lambda: yuan_text(pack.subsidy_for(tiers[0]).total)),
        "max_subsidy": safe(lambda: yuan_text(pack.subsidy_for(tiers[-1]).total)),
        "collective_sentence": lambda: (
            f"村集体每人每年补助{yuan_text(pack.collective_fen)}元，记入个人账户。" if pack.collective_fen else ""
        ),
        "pension_age": lambda: str(pack.pension_age),
        "min_years": lambda: str(pack.min_years_for_pension),
        "divisor": lambda: str(pack.divisor),
        "age_cutoff": lambda: _month_day_text(pack.cutoff_date(ctx.year)),
        "survival_cycle_months": lambda: str(pack.survival_cycle_months),
        "notice_days": lambda: str(pack.notice_days),
        "migrant_deadline": lambda: chinese_date(pack.migrant_documents_deadline_in(ctx.year)),
        "funeral_grant": lambda: yuan_text(grant.amount) if grant else "无",
        "funeral_grant_sentence": lambda: (
            f"领取待遇期间去世的，其法定继承人可以按规定申领一次性丧葬补助金{yuan_text(grant.amount)}元。"
            if grant
            else ""
        ),
        "collection_start": lambda: chinese_date(start),
        "collection_end": lambda: chinese_date(end),
        "collection_places": lambda: settings.collection_places.strip(),
        "bank": lambda: settings.bank.strip(),
        "certification_deadline": lambda: chinese_date(certify_by),
        "certification_places": lambda: settings.certification_places.strip(),
        "visit_start": lambda: chinese_date(visits),
        "meeting_date": lambda: _weekday_date(meeting),
        "meeting_time": lambda: settings.meeting_time.strip(),
        "meeting_place": lambda: settings.meeting_place.strip(),
        "meeting_attendees": lambda: settings.meeting_attendees.strip(),
        "estimate_assumptions": safe(assumptions),
        "estimate_first_year": lambda: str(ctx.year),
        "estimate_last_year": lambda: str(ctx.year + ESTIMATE_YEARS - 1),
        "estimate_rate": safe(estimate_rate),
    }
    return makers


def _fill_text(text: str, ctx: _Context, where: str, used: dict[str, str], *, allow_table: bool = False) -> str:
    """Replace the ``{fields}`` in ``text``; errors name the field, the place in the template and the file."""
    path = ctx.template.path
    try:
        parts = list(string.Formatter().parse(text))
    except ValueError:
        raise _template_error(path, f"{where} 中有不成对的花括号 {{ 或 }}；要印出花括号本身请写 {{{{ 或 }}}}") from None
    pieces: list[str] = []
    for literal, name, spec, conversion in parts:
        pieces.append(literal)
        if name is None:
            continue
        if not name:
            raise _template_error(path, f"{where} 中有空的花括号 {{}}；请在花括号里写字段名，例如 {{year}}")
        if spec or conversion:
            raise _template_error(path, f"{where} 中的 {{{name}…}} 写法不对：花括号里只能写字段名", field=name)
        if name in TABLE_FIELDS:
            if not allow_table or text.strip() != "{" + name + "}":
                raise _template_error(path, f"{where} 中的表格字段 {{{name}}} 必须单独成为一段", field=name)
            pieces.append("{" + name + "}")
            continue
        if name not in ctx.fields:
            raise _template_error(
                path,
                f"{where} 中有未知字段 {{{name}}}；可用字段见 forms_templates/README.md",
                field=name,
            )
        value = ctx.fields[name]
        used[name] = value
        pieces.append(value)
    return "".join(pieces)


def fill_announcement(
    session: Session,
    kind: AnnouncementKind | str,
    *,
    layout: Layout | str | None = None,
    year: int | None = None,
    today: date | None = None,
    settings: AnnouncementSettings | None = None,
    templates_dir: Path | None = None,
    pack: PolicyPack | None = None,
) -> Announcement:
    """Fill the ``kind`` template for this village: the text, the computed tables and the fields used.

    ``today`` is the printing date (落款日期; default today); ``year`` defaults to :func:`default_year`;
    ``settings`` to the stored village settings; ``layout`` to the template's; ``pack`` to
    :func:`active_policy_pack`. Read-only: nothing is stored until :func:`save_printed`.
    """
    today = today or date.today()
    template = load_template(kind, templates_dir)
    year = default_year(today) if year is None else year
    if not 2000 <= year <= 2100:
        raise AnnouncementError(f"年度 {year} 不合理：请填写 2000 到 2100 之间的年份")
    chosen = (settings or load_settings(session, today)).with_defaults(today)
    ctx = _Context(
        session=session,
        pack=pack or active_policy_pack(session, today),
        place=_place(session),
        settings=chosen,
        template=template,
        year=year,
        today=today,
        contact_name=chosen.contact_name.strip() or _coordinator_name(session),
    )
    ctx.fields = _Fields(_field_makers(ctx))
    used: dict[str, str] = {}
    title = _fill_text(template.title, ctx, "[text] title", used)
    subtitle = _fill_text(template.subtitle, ctx, "[text] subtitle", used)
    salutation = _fill_text(template.salutation, ctx, "[text] salutation", used)
    paragraphs: list[str] = []
    for number, paragraph in enumerate(template.body, start=1):
        filled = _fill_text(paragraph, ctx, f"[text] body 第 {number} 段", used, allow_table=True).strip()
        if filled:
            paragraphs.append(filled)
    tables = {
        name: _build_table(name, ctx, used)
        for name in dict.fromkeys(p[1:-1] for p in paragraphs if _LONE_FIELD.fullmatch(p) and p[1:-1] in TABLE_FIELDS)
    }
    return Announcement(
        kind=template.kind,
        layout=Layout(layout) if layout is not None else template.layout,
        year=year,
        title=title,
        subtitle=subtitle,
        salutation=salutation,
        paragraphs=tuple(paragraphs),
        tables=tables,
        fields=used,
        village=ctx.place.village,
        committee=f"{ctx.place.village}村民委员会",
        issued_on=today,
        template_name=template.name,
        template_file=template.file_name,
        template_version=template.version,
        pack_id=ctx.pack.id,
        pack_version=ctx.pack.version,
        pack_name=ctx.pack.name,
    )


# --- tables ---------------------------------------------------------------------------------------------------

_LEVELS = (("province", "省级"), ("city", "市级"), ("county", "县级"))
_CODE_SUFFIX = re.compile(r"[（(]\s*\d+\s*[）)]$")


def _build_table(name: str, ctx: _Context, used: dict[str, str]) -> AnnouncementTable:
    try:
        return _TABLE_BUILDERS[name](ctx, used)
    except PolicyLookupError as error:
        raise AnnouncementError(f"无法生成{TABLE_FIELDS[name]}：{error.message}") from None


def _tier_table(ctx: _Context, used: dict[str, str]) -> AnnouncementTable:
    """Each tier, its subsidy split by the levels that pay one, the total, and what is credited a year."""
    pack = ctx.pack
    splits = {tier: pack.subsidy_for(tier) for tier in pack.tier_amounts}
    levels = [(attr, label) for attr, label in _LEVELS if any(getattr(s, attr) for s in splits.values())]
    restricted = {tier.amount for tier in pack.tiers if tier.allowed_categories is not None}
    header = ["缴费档次", *(f"{label}补贴" for _, label in levels)]
    if len(levels) != 1:
        header.append("补贴合计")
    header.append("每年记入\n个人账户")
    if restricted:
        header.append("备注")
    rows = []
    for tier, split in splits.items():
        row = [yuan_text(tier)]
        row += [yuan_text(getattr(split, attr)) for attr, _ in levels]
        if len(levels) != 1:
            row.append(yuan_text(split.total))
        row.append(yuan_text(tier + split.total + pack.collective_fen))
        if restricted:
            row.append("仅限困难群体" if tier in restricted else "")
        rows.append(tuple(row))
    note = "记入个人账户＝个人缴费＋政府补贴"
    if pack.collective_fen:
        note += f"＋村集体补助{yuan_text(pack.collective_fen)}元"
    note += "。补缴以前年度的，补缴部分不享受政府补贴。"
    return AnnouncementTable(
        name="tier_table",
        caption=f"{ctx.year}年度缴费档次及政府补贴标准（单位：元/人·年）",
        header=tuple(header),
        rows=tuple(rows),
        note=note,
    )


def _subsidy_table(ctx: _Context, used: dict[str, str]) -> AnnouncementTable:
    """The subsidy for each tier with every level shown (省级、市级、县级、合计)."""
    pack = ctx.pack
    rows = []
    for tier in pack.tier_amounts:
        split = pack.subsidy_for(tier)
        amounts = (tier, split.province, split.city, split.county, split.total)
        rows.append(tuple(yuan_text(amount) for amount in amounts))
    return AnnouncementTable(
        name="subsidy_table",
        caption="政府缴费补贴分级承担标准（单位：元/人·年）",
        header=("缴费档次", "省级补贴", "市级补贴", "县级补贴", "补贴合计"),
        rows=tuple(rows),
    )


def _hardship_table(ctx: _Context, used: dict[str, str]) -> AnnouncementTable:
    """What hardship groups (困难群体) have paid by government (政府代缴) and pay themselves at their lowest tier.

    Groups that are treated alike share a row (残疾一级、残疾二级、特困人员); categories that differ only by a
    code in brackets (特困人员（031）, 特困人员（032）) are named once.
    """
    pack = ctx.pack
    groups: dict[tuple[int, int], list[str]] = {}
    for category in pack.identity_categories:
        tiers = pack.tiers_for([category.code])
        if not category.hardship or not tiers:
            continue
        name = _CODE_SUFFIX.sub("", category.name).strip() or category.name
        paid = min(category.government_paid, tiers[0])
        names = groups.setdefault((category.government_paid, tiers[0] - paid), [])
        if name not in names:
            names.append(name)
    rows = tuple(
        (
            "、".join(names),
            yuan_text(government) if government else "不代缴",
            f"{yuan_text(own)}（全部由政府代缴）" if own == 0 else yuan_text(own),
        )
        for (government, own), names in groups.items()
    )
    return AnnouncementTable(
        name="hardship_table",
        caption="困难群体政府代缴标准（单位：元/人·年）",
        header=("困难群体", "政府每年代缴", "选最低档次时\n本人每年缴纳"),
        rows=rows,
        note="同时属于几类困难群体的，只按代缴金额最高的一类享受；选择更高档次的，差额由本人缴纳。",
        column_weights=(2.2, 1.0, 1.4),
        left_columns=(0,),
    )


def _estimate_table(ctx: _Context, used: dict[str, str]) -> AnnouncementTable:
    """The estimator as a table: one column per example payer."""
    estimates = ctx.estimates()
    divisor = ctx.pack.divisor
    rows = [
        ("每年个人缴费", *(yuan_text(e.tier) for e in estimates)),
        ("每年政府补贴", *(yuan_text(e.subsidy) for e in estimates)),
    ]
    if ctx.pack.collective_fen:
        rows.append(("每年集体补助", *(yuan_text(e.collective) for e in estimates)))
    rows += [
        (f"{ESTIMATE_YEARS}年个人共缴", *(yuan_text(e.personal_total) for e in estimates)),
        (f"{ctx.pack.pension_age}周岁时个人账户储存额（含利息）", *(_cents(e.balance) for e in estimates)),
        ("基础养老金（每月）", *(_cents(e.basic) for e in estimates)),
        (f"个人账户养老金（每月，储存额÷{divisor}）", *(_cents(e.account_pension) for e in estimates)),
        ("每月养老金合计", *(_cents(e.monthly) for e in estimates)),
    ]
    return AnnouncementTable(
        name="estimate_table",
        caption=f"缴费{ESTIMATE_YEARS}年养老金测算示例（单位：元）",
        header=("项目", *(f"每年缴{yuan_text(e.tier)}元" for e in estimates)),
        rows=tuple(rows),
        note="测算结果仅供参考，实际以县社会保险经办机构核定为准。",
        column_weights=(2.2, 1.0, 1.0),
        left_columns=(0,),
    )


def _payment_list(ctx: _Context, used: dict[str, str]) -> AnnouncementTable:
    enabled = set(ctx.settings.payment_channels)
    rows = [
        (channel.label, _fill_text(text, ctx, f"[payment_channels] {channel.value}", used))
        for channel, text in ctx.template.payment_channels
        if channel.value in enabled
    ]
    if not rows:
        raise AnnouncementError(
            f"没有可印出的缴费方式：请在设置中至少选择一种，或在模板 {ctx.template.path} 的 [payment_channels] 中写明"
        )
    return AnnouncementTable(
        name="payment_list", caption="", header=("缴费方式", "说明"), rows=tuple(rows), style="list"
    )


def _methods_list(ctx: _Context, used: dict[str, str]) -> AnnouncementTable:
    rows = [
        (method.label, _fill_text(text, ctx, f"[survival_methods] {method.value}", used))
        for method, text in ctx.template.survival_methods
    ]
    if not rows:
        raise AnnouncementError(f"模板 {ctx.template.path} 的 [survival_methods] 中没有认证方式")
    return AnnouncementTable(
        name="methods_list", caption="", header=("认证方式", "说明"), rows=tuple(rows), style="list"
    )


def _visit_table(ctx: _Context, used: dict[str, str]) -> AnnouncementTable:
    """Home visits (上门认证) per villager group, one group a day from the visit start date.

    Lists the groups that have pensioners (领取待遇, including those suspended for want of certification) with
    their number; a count, not names, so nothing personal is posted.
    """
    session = ctx.session
    receiving = (PersonStatus.RECEIVING, PersonStatus.SUSPENDED)
    counts = dict(
        session.execute(
            select(Person.group_id, func.count())
            .where(Person.village_id == ctx.place.village_id, Person.status.in_(receiving))
            .group_by(Person.group_id)
        ).all()
    )
    groups = session.scalars(
        select(VillagerGroup)
        .where(VillagerGroup.village_id == ctx.place.village_id)
        .order_by(VillagerGroup.sort_order, VillagerGroup.name)
    ).all()
    start = _chosen(ctx.settings.visit_start)
    listed = [(group.name, counts.get(group.id, 0)) for group in groups if counts.get(group.id, 0)]
    ungrouped = counts.get(None, 0)
    if ungrouped or not listed:
        listed.append(("未分组" if listed else "全村", ungrouped))
    rows = tuple(
        (name, _weekday_date(start + timedelta(days=offset)), str(count)) for offset, (name, count) in enumerate(listed)
    )
    return AnnouncementTable(
        name="visit_table",
        caption="上门认证时间安排",
        header=("村民小组", "上门认证日期", "领取待遇人数"),
        rows=rows,
        column_weights=(1.2, 1.6, 1.0),
    )


def _agenda_list(ctx: _Context, used: dict[str, str]) -> AnnouncementTable:
    items = [item.strip().rstrip("；;。.，,") for item in ctx.settings.meeting_agenda if item.strip()]
    if not items:
        raise AnnouncementError("会议议程不能为空：请至少填写一项")
    # Items of a list end with a semicolon, the last with a full stop, as the coordinator need not type them.
    items = [item + ("。" if number == len(items) else "；") for number, item in enumerate(items, start=1)]
    return AnnouncementTable(
        name="agenda_list", caption="", header=("议程",), rows=tuple((item,) for item in items), style="list"
    )


_TABLE_BUILDERS: dict[str, Callable[[_Context, dict[str, str]], AnnouncementTable]] = {
    "tier_table": _tier_table,
    "subsidy_table": _subsidy_table,
    "hardship_table": _hardship_table,
    "estimate_table": _estimate_table,
    "payment_list": _payment_list,
    "methods_list": _methods_list,
    "visit_table": _visit_table,
    "agenda_list": _agenda_list,
}
assert set(_TABLE_BUILDERS) == set(TABLE_FIELDS)


# --- what was printed -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PrintedAnnouncement:
    """One line of the printing history (打印记录)."""

    id: str
    kind: AnnouncementKind
    layout: Layout
    title: str
    printed_on: date
    printed_by: str
    template_name: str
    template_version: int
    pack_id: str
    pack_version: int


def save_printed(session: Session, actor: Actor, announcement: Announcement, printed_on: date) -> str:
    """Keep the exact printed text with its date (打印留存): one ``announcement`` row, audited and queued for sync.

    ``announcement.blocks()`` is checked first, so nothing is stored that could not have been printed.
    Returns the new record's id.
    """
    announcement.blocks()
    place = _place(session)
    content = announcement.to_json()
    record = models.Announcement(
        village_id=place.village_id,
        kind=announcement.kind.value,
        layout=announcement.layout.value,
        title=announcement.title.replace("\n", ""),
        printed_on=printed_on,
        content=content,
        template_name=announcement.template_name,
        template_version=announcement.template_version,
        policy_pack_id=announcement.pack_id,
        policy_pack_version=announcement.pack_version,
        created_by=actor.username,
        updated_by=actor.username,
    )
    session.add(record)
    session.flush()
    record_change(
        session,
        actor=actor,
        action="announcement.print",
        entity_type="announcement",
        entity_id=record.id,
        before=None,
        after=snapshot(record),
    )
    return record.id


def printed_history(session: Session, *, limit: int | None = None) -> list[PrintedAnnouncement]:
    """What this village has printed, newest first."""
    query = select(models.Announcement).order_by(
        models.Announcement.printed_on.desc(), models.Announcement.created_at.desc()
    )
    if limit is not None:
        query = query.limit(limit)
    return [
        PrintedAnnouncement(
            id=row.id,
            kind=AnnouncementKind(row.kind),
            layout=Layout(row.layout),
            title=row.title,
            printed_on=row.printed_on,
            printed_by=row.created_by or "",
            template_name=row.template_name,
            template_version=row.template_version,
            pack_id=row.policy_pack_id,
            pack_version=row.policy_pack_version,
        )
        for row in session.scalars(query)
    ]


def printed_announcement(session: Session, record_id: str) -> Announcement:
    """The announcement exactly as it was printed (for showing or reprinting it)."""
    row = session.get(models.Announcement, record_id)
    if row is None:
        raise AnnouncementError("找不到这条打印记录")
    return Announcement.from_json(row.content)
