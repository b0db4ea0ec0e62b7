"""Announcements (services/announcements.py): templates, settings, figures from the pack, what was printed."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from pensiondesk.documents.base import forms_templates_dir
from pensiondesk.domain.codes import UserRole
from pensiondesk.resources import load_default_policy_pack, resource_path
from pensiondesk.services.announcements import (
    SETTINGS_KEY,
    TABLE_FIELDS,
    Announcement,
    AnnouncementError,
    AnnouncementKind,
    AnnouncementSettings,
    Layout,
    TemplateError,
    active_policy_pack,
    available_fields,
    default_year,
    estimate_pension,
    fill_announcement,
    load_settings,
    load_template,
    printed_announcement,
    printed_history,
    save_printed,
    save_settings,
)
from pensiondesk.services.demo import create_demo_village
from pensiondesk.services.recording import Actor, verify_audit_chain
from pensiondesk.store import models
from pensiondesk.store.db import Database, open_database
from pensiondesk.store.models import AuditEntry, OutboxEntry, PolicyPackRecord, Setting, User

TODAY = date(2026, 11, 23)
ACTOR = Actor("wangfang", UserRole.COORDINATOR, "王芳")


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = open_database(tmp_path / "village.sqlite")
    with database.session() as session:
        create_demo_village(session, persons=120, seed=5, as_of=TODAY)
    yield database
    database.close()


@pytest.fixture
def county_templates(tmp_path: Path) -> Path:
    """A county's own copy of forms_templates to change."""
    target = tmp_path / "county_templates"
    shutil.copytree(forms_templates_dir(), target)
    return target


def fill(db: Database, kind: str, **options: object) -> Announcement:
    with db.session() as session:
        return fill_announcement(session, kind, today=TODAY, **options)  # type: ignore[arg-type]


def edit(templates: Path, kind: str, old: str, new: str) -> Path:
    path = templates / "announcements" / f"{kind}.toml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


# --- the year and the settings ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "year"),
    [(date(2026, 1, 5), 2026), (date(2026, 9, 30), 2026), (date(2026, 10, 1), 2027), (date(2026, 12, 31), 2027)],
)
def test_default_year_is_next_year_from_october(today: date, year: int) -> None:
    assert default_year(today) == year


def test_settings_default_then_round_trip_with_an_audit_entry_but_no_sync(db: Database) -> None:
    with db.session() as session:
        settings = load_settings(session, TODAY)
    assert settings.collection_start == TODAY and settings.collection_end == date(2026, 12, 31)
    assert settings.certification_deadline == date(2026, 12, 31)
    assert settings.meeting_date == settings.visit_start == date(2026, 11, 26)
    assert settings.collection_places == "村委会便民服务室"

    chosen = AnnouncementSettings(
        contact_name="王芳",
        contact_phone="13912345678",
        collection_start=date(2026, 12, 1),
        collection_end=date(2027, 1, 31),
        meeting_agenda=("部署征缴", "其他事项"),
        payment_channels=("bank",),
    )
    with db.session() as session:
        outbox_before = len(session.scalars(select(OutboxEntry)).all())
        save_settings(session, ACTOR, chosen)
    with db.session() as session:
        loaded = load_settings(session, TODAY)
        assert loaded.contact_phone == "13912345678"
        assert loaded.collection_end == date(2027, 1, 31)
        assert loaded.meeting_agenda == ("部署征缴", "其他事项")
        assert loaded.payment_channels == ("bank",)
        entry = session.scalars(select(AuditEntry).where(AuditEntry.entity_id == SETTINGS_KEY)).one()
        assert entry.user == "wangfang" and entry.after["value"]["contact_name"] == "王芳"
        assert len(session.scalars(select(OutboxEntry)).all()) == outbox_before  # local settings: not synced


def test_dates_that_have_passed_are_replaced_by_defaults(db: Database) -> None:
    with db.session() as session:
        save_settings(
            session, ACTOR, AnnouncementSettings(collection_start=date(2026, 12, 1), collection_end=date(2026, 12, 20))
        )
    with db.session() as session:
        next_year = load_settings(session, date(2027, 11, 2))
    assert next_year.collection_start == date(2027, 11, 2) and next_year.collection_end == date(2027, 12, 31)


def test_an_end_before_the_start_is_refused(db: Database) -> None:
    with db.session() as session, pytest.raises(AnnouncementError, match="截止日期不能早于开始日期"):
        save_settings(
            session, ACTOR, AnnouncementSettings(collection_start=date(2026, 12, 1), collection_end=date(2026, 11, 30))
        )


# --- figures from the pack ----------------------------------------------------------------------------------


def test_tier_table_has_every_tier_subsidy_by_level_and_credit(db: Database) -> None:
    pack = load_default_policy_pack()
    announcement = fill(db, "collection")
    table = announcement.tables["tier_table"]
    # The default pack has subsidies from the province only: one level column, no separate total.
    assert table.header == ("缴费档次", "省级补贴", "每年记入\n个人账户")
    expected = [
        (
            str(tier // 100),
            str(pack.subsidy_for(tier).province // 100),
            str((tier + pack.subsidy_for(tier).total) // 100),
        )
        for tier in pack.tier_amounts
    ]
    assert list(table.rows) == expected
    assert announcement.fields["basic_pension"] == "143"
    assert announcement.fields["year"] == "2027"
    assert announcement.pack_id == pack.id and announcement.pack_version == pack.version


def test_hardship_table_groups_those_treated_alike(db: Database) -> None:
    table = fill(db, "collection").tables["hardship_table"]
    assert table.rows == (
        ("残疾一级、残疾二级、特困人员", "100", "0（全部由政府代缴）"),
        ("贫困人口、脱贫人口、防止返贫监测对象、低保对象", "不代缴", "100"),
    )


def test_a_newer_stored_pack_is_used_and_its_split_and_collective_subsidy_show(db: Database) -> None:
    data = json.loads(resource_path("policy", "national-default.json").read_text(encoding="utf-8"))
    data.update(id="test-county", version=2, effective_from="2026-01-01")
    data["basic_pension"].append({"effective_from": "2026-07-01", "monthly_yuan": "160.00"})
    data["collective_subsidy"] = {"amount_yuan": "20.00"}
    for row in data["subsidy_schedule"]:
        row["county_yuan"] = "10.00"
    with db.session() as session:
        session.add(
            PolicyPackRecord(
                pack_id="test-county",
                version=2,
                effective_from=date(2026, 1, 1),
                content=json.dumps(data, ensure_ascii=False),
                origin="county",
            )
        )
    with db.session() as session:
        pack = active_policy_pack(session, TODAY)
    assert pack.id == "test-county"
    announcement = fill(db, "collection")
    assert announcement.pack_id == "test-county" and announcement.fields["basic_pension"] == "160"
    table = announcement.tables["tier_table"]
    assert table.header == ("缴费档次", "省级补贴", "县级补贴", "补贴合计", "每年记入\n个人账户")
    # Tier 500: province 60 + county 10 = 70; credited 500 + 70 + collective 20 = 590.
    assert ("500", "60", "10", "70", "590") in table.rows
    assert "村集体补助20元" in table.note


def test_estimator_follows_the_pension_rules(db: Database) -> None:
    pack = load_default_policy_pack()
    estimate = estimate_pension(pack, tier_fen=500_00, first_year=2027, on=TODAY)
    assert (estimate.first_year, estimate.last_year) == (2027, 2041)
    assert estimate.personal_total == 7500_00 and estimate.subsidy == 60_00
    # Without interest the account would hold 15 × 560 = 8,400 yuan; 2.55 % a year adds about a fifth.
    assert 8400_00 * 115 // 100 < estimate.balance < 8400_00 * 125 // 100
    assert estimate.monthly == estimate.basic + estimate.account_pension
    assert estimate.basic == 143_00
    assert abs(estimate.account_pension * 139 - estimate.balance) <= 139 // 2
    table = fill(db, "letter").tables["estimate_table"]
    assert table.header == ("项目", "每年缴200元", "每年缴500元")
    assert table.rows[-1][0] == "每月养老金合计" and table.rows[-1][2] == f"{estimate.monthly / 100:.2f}"


def test_visit_table_counts_pensioners_per_group_one_day_each(db: Database) -> None:
    table = fill(db, "certification").tables["visit_table"]
    with db.session() as session:
        groups = session.scalars(select(models.VillagerGroup).order_by(models.VillagerGroup.sort_order)).all()
        receiving = {
            group.id: len(
                session.scalars(
                    select(models.Person.id).where(
                        models.Person.group_id == group.id,
                        models.Person.status.in_(("receiving", "suspended")),
                    )
                ).all()
            )
            for group in groups
        }
    listed = [g for g in groups if receiving[g.id]]
    assert [r[0] for r in table.rows] == [g.name for g in listed]
    assert [int(r[2]) for r in table.rows] == [receiving[g.id] for g in listed]
    assert table.rows[0][1] == "2026年11月26日（星期四）" and table.rows[1][1] == "2026年11月27日（星期五）"


def test_contact_is_the_coordinator_user_unless_given(db: Database) -> None:
    assert fill(db, "meeting").fields["contact"] == "村协办员"
    with db.session() as session:
        session.add(User(username="lihua", display_name="李华", role=UserRole.COORDINATOR))
    assert fill(db, "meeting").fields["contact"] == "李华"
    given = AnnouncementSettings(contact_name="张明", contact_phone="13800000000")
    assert fill(db, "meeting", settings=given).fields["contact"] == "张明，联系电话：13800000000"


def test_every_field_can_be_used_in_a_template(db: Database, county_templates: Path) -> None:
    text_fields = [name for name in available_fields() if name not in TABLE_FIELDS]
    body = ["、".join("{" + name + "}" for name in text_fields), *("{" + name + "}" for name in TABLE_FIELDS)]
    path = county_templates / "announcements" / "letter.toml"
    content = path.read_text(encoding="utf-8")
    start = content.index("body = [")
    end = content.index("]\n", start) + 2
    path.write_text(content[:start] + f"body = {json.dumps(body, ensure_ascii=False)}\n" + content[end:], "utf-8")
    sections = (
        '[payment_channels]\nbank = "到{bank}缴费。"\n\n[survival_methods]\non_site = "到{certification_places}。"\n'
    )
    path.write_text(path.read_text(encoding="utf-8") + "\n" + sections, encoding="utf-8")
    announcement = fill(db, "letter", templates_dir=county_templates)
    assert set(announcement.tables) == set(TABLE_FIELDS)
    assert set(text_fields) <= set(announcement.fields)
    assert "{" not in announcement.paragraphs[0]


# --- templates a county edits -------------------------------------------------------------------------------


def test_shipped_templates_load(db: Database) -> None:
    for kind in AnnouncementKind:
        template = load_template(kind)
        assert template.kind is kind and template.version >= 1 and template.body


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("{year}年度城乡居民\n", "{yaer}年度城乡居民\n", "未知字段 {yaer}"),
        ('"{tier_table}",', '"见下表{tier_table}",', "{tier_table} 必须单独成为一段"),
        ("年龄按{year}年", "年龄按{year年", "不成对的花括号"),
        ("年龄按{year}年", "年龄按{year:>5}年", "花括号里只能写字段名"),
        ("version = 1", "version = 0", "version 必须是正整数"),
        ('kind = "collection"', 'kind = "meeting"', 'kind 应为 "collection"'),
        ('layout = "poster"', 'layout = "A3"', 'layout 只能是 "poster" 或 "leaflet"'),
        ("village_cash =", "cash =", "不认识的代码 cash"),
        ('salutation = "全村广大城乡居民："', 'salutation = "全村广大城乡居民：', "格式错误"),
        ("[payment_channels]", "[payment]", "不认识的项目 payment"),
    ],
)
def test_template_errors_name_the_problem_and_the_file(
    db: Database, county_templates: Path, old: str, new: str, message: str
) -> None:
    path = edit(county_templates, "collection", old, new)
    with pytest.raises(TemplateError) as caught:
        fill(db, "collection", templates_dir=county_templates)
    assert message in caught.value.user_message
    assert str(path) in caught.value.user_message
    assert caught.value.path == path


def test_unknown_field_error_carries_the_field(db: Database, county_templates: Path) -> None:
    edit(county_templates, "letter", "{tier_list}", "{tiers}")
    with pytest.raises(TemplateError) as caught:
        fill(db, "letter", templates_dir=county_templates)
    assert caught.value.field == "tiers"
    assert "[text] body 第 5 段" in caught.value.user_message


def test_a_missing_template_file_is_explained(db: Database, tmp_path: Path) -> None:
    with pytest.raises(TemplateError, match="找不到模板文件"):
        fill(db, "collection", templates_dir=tmp_path / "nowhere")


def test_no_village_set_up_is_explained(tmp_path: Path) -> None:
    with (
        open_database(tmp_path / "empty.sqlite") as empty,
        empty.session() as session,
        pytest.raises(AnnouncementError, match="还没有设置本村信息"),
    ):
        fill_announcement(session, "meeting", today=TODAY)


# --- the coordinator's edits --------------------------------------------------------------------------------


def test_edited_text_keeps_tables_and_refuses_unknown_markers(db: Database) -> None:
    announcement = fill(db, "collection")
    assert "{tier_table}" in announcement.paragraphs
    edited = announcement.with_text(
        title="关于2027年度养老保险费征缴的通知",
        text="各位乡亲：\n今年的缴费开始了。\n\n# 档次\n\n{tier_table}\n\n特此通知。",
        layout=Layout.LEAFLET,
    )
    assert edited.paragraphs == ("各位乡亲：今年的缴费开始了。", "# 档次", "{tier_table}", "特此通知。")
    assert [block.kind for block in edited.blocks()] == ["text", "heading", "table", "text"]
    assert edited.blocks()[2].table == announcement.tables["tier_table"]
    assert edited.layout is Layout.LEAFLET and edited.kind is AnnouncementKind.COLLECTION
    with pytest.raises(AnnouncementError, match=r"\{estimate_table\} 不是本通知的表格"):
        announcement.with_text(text="{estimate_table}")
    with pytest.raises(AnnouncementError, match=r"第 1 段中的 \{year\} 无法替换"):
        announcement.with_text(text="{year}年度的缴费开始了")
    with pytest.raises(AnnouncementError, match="标题不能为空"):
        announcement.with_text(title="  ")


# --- what was printed ---------------------------------------------------------------------------------------


def test_save_printed_keeps_the_exact_text_with_audit_and_outbox(db: Database) -> None:
    announcement = fill(db, "collection").with_text(text="本村今年的缴费从12月1日开始。\n\n{tier_table}\n\n特此通知。")
    with db.session() as session:
        record_id = save_printed(session, ACTOR, announcement, TODAY)
    with db.session() as session:
        row = session.get(models.Announcement, record_id)
        assert row is not None
        assert (row.kind, row.layout, row.printed_on) == ("collection", "poster", TODAY)
        assert row.title == "关于开展2027年度城乡居民基本养老保险费征缴工作的通知"
        assert row.template_name == "缴费通知" and row.template_version == 1
        assert (row.policy_pack_id, row.policy_pack_version) == ("national-default", 1)
        assert row.content["paragraphs"] == ["本村今年的缴费从12月1日开始。", "{tier_table}", "特此通知。"]
        assert row.content["tables"]["tier_table"]["rows"][0] == ["100", "30", "130"]
        assert row.content["template"] == {"name": "缴费通知", "file": "collection.toml", "version": 1}
        assert row.created_by == "wangfang"
        audit = session.scalars(select(AuditEntry).where(AuditEntry.entity_id == record_id)).one()
        assert audit.action == "announcement.print" and audit.after is not None
        assert audit.after["content"]["title"] == announcement.title
        outbox = session.scalars(select(OutboxEntry).where(OutboxEntry.record_id == record_id)).one()
        assert outbox.record_type == "announcement" and outbox.operation == "create"
        assert outbox.payload["_operator"] == "wangfang"
        assert verify_audit_chain(session) is None
        assert printed_announcement(session, record_id) == announcement


def test_history_lists_newest_first(db: Database) -> None:
    with db.session() as session:
        save_printed(session, ACTOR, fill(db, "meeting"), date(2026, 11, 20))
        save_printed(session, ACTOR, fill(db, "letter", layout="leaflet"), date(2026, 11, 23))
    with db.session() as session:
        history = printed_history(session)
    assert [(h.kind, h.layout, h.printed_on) for h in history] == [
        (AnnouncementKind.LETTER, Layout.LEAFLET, date(2026, 11, 23)),
        (AnnouncementKind.MEETING, Layout.POSTER, date(2026, 11, 20)),
    ]
    assert history[0].printed_by == "wangfang" and history[0].template_name == "致城乡居民的一封信"


def test_a_failed_save_leaves_nothing(db: Database) -> None:
    announcement = fill(db, "meeting")
    broken = announcement.with_text(text="会议照常。")
    broken = Announcement(**{**broken.__dict__, "paragraphs": ("{visit_table}",)})
    with db.session() as session, pytest.raises(AnnouncementError):
        save_printed(session, ACTOR, broken, TODAY)
    with db.session() as session:
        assert session.scalars(select(models.Announcement)).all() == []
        assert session.get(Setting, SETTINGS_KEY) is None
