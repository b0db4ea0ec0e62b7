"""Announcements printed for the demo village: every figure on paper comes from the policy pack.

Each kind is filled for the demo village (红旗村) and printed as an A4 poster and as A5 leaflets two to an A4
sheet; the PDF's text is read back with pypdf and compared with figures recomputed here from the pack.
"""

from __future__ import annotations

import io
import re
import shutil
from collections.abc import Iterator
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4, landscape

from pensiondesk.documents.announcements import render_bytes, render_leaflet, render_poster
from pensiondesk.documents.base import FORMS_TEMPLATES_ENV_VAR, forms_templates_dir
from pensiondesk.resources import load_default_policy_pack
from pensiondesk.services.announcements import Announcement, TemplateError, fill_announcement
from pensiondesk.services.demo import create_demo_village
from pensiondesk.store.db import Database, open_database

PRINTED = date(2026, 11, 23)  # a November printing: the notices are about 2027
YEAR = 2027
KINDS = ("collection", "certification", "letter", "meeting")
TITLES = {
    "collection": "关于开展2027年度城乡居民基本养老保险费征缴工作的通知",
    "certification": "关于开展2027年度城乡居民养老保险待遇领取资格认证的通知",
    "letter": "致全村城乡居民的一封信",
    "meeting": "关于召开城乡居民基本养老保险工作会议的通知",
}


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    db = open_database(tmp_path_factory.mktemp("demo") / "demo.sqlite")
    with db.session() as session:
        create_demo_village(session, persons=400, seed=3, as_of=PRINTED)
    yield db
    db.close()


def fill(db: Database, kind: str, **options: object) -> Announcement:
    with db.session() as session:
        return fill_announcement(session, kind, today=PRINTED, **options)  # type: ignore[arg-type]


def pdf_text(data: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(data))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


def flat(text: str) -> str:
    """Text without line breaks or spaces: a title or sentence wrapped over lines reads as one."""
    return re.sub(r"\s+", "", text)


def yuan(fen: int) -> str:
    """As the notice prints amounts: whole yuan bare, otherwise two decimals."""
    return str(fen // 100) if fen % 100 == 0 else f"{fen // 100}.{fen % 100:02d}"


def cents(fen: int) -> str:
    return f"{fen // 100}.{fen % 100:02d}"


def row(*cells: str) -> re.Pattern[str]:
    """A table row as extracted: its cells in order, separated by white space."""
    return re.compile(r"(?<![\d.])" + r"\s+".join(re.escape(cell) for cell in cells) + r"(?![\d.])")


def expected_estimate(tier_fen: int) -> tuple[int, int]:
    """(balance at 60, monthly pension) for the letter's example payer, recomputed from the pack.

    Derivation (domain.md §6, §7): the payer pays ``tier`` every June for 15 years, 2027–2041, and gets the
    pack's subsidy for that tier (no collective subsidy in the default pack). Interest: the balance brought
    forward earns the full year's rate; the June credit earns (12 − 6) months × rate / 12. The pack publishes
    rates up to 2025, so every year 2027–2041 uses that latest rate. The balance is rounded once, half up, at
    the end of 2041 when the payer turns 60. Monthly pension = basic pension in force on the printing date +
    balance ÷ 139, rounded half up to the fen.
    """
    pack = load_default_policy_pack()
    latest = max(rate.year for rate in pack.interest_rates)
    rate = pack.interest_rate(latest)
    credit = Decimal(tier_fen + pack.subsidy_for(tier_fen).total + pack.collective_fen)
    balance = Decimal(0)
    for _year in range(YEAR, YEAR + 15):
        balance = balance * (1 + rate) + credit * (1 + rate * 6 / 12)
    balance_fen = int(balance.quantize(Decimal(1), rounding=ROUND_HALF_UP))
    account = int((Decimal(balance_fen) / pack.divisor).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return balance_fen, pack.basic_pension_on(PRINTED) + account


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_prints_as_a_poster_with_title_committee_and_page_numbers(demo: Database, kind: str) -> None:
    announcement = fill(demo, kind, layout="poster")
    buffer = io.BytesIO()
    pages = render_poster(announcement, buffer)
    reader, text = pdf_text(buffer.getvalue())
    assert pages == len(reader.pages) >= 1
    for number, page in enumerate(reader.pages, start=1):
        assert [round(v) for v in page.mediabox] == [0, 0, round(A4[0]), round(A4[1])]  # A4 portrait
        assert f"第 {number} 页 共 {pages} 页" in page.extract_text()
    assert TITLES[kind] in flat(text)
    assert "红旗村村民委员会（盖章）" in text and "经办人：" in text and "2026年11月23日" in text
    assert "打印日期：2026-11-23" in text
    assert "{" not in text and "}" not in text, "no template field is left unfilled"
    assert pages <= 4, "a poster for the board stays short"


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_prints_as_leaflets_two_to_an_a4_sheet(demo: Database, kind: str) -> None:
    announcement = fill(demo, kind, layout="leaflet")
    buffer = io.BytesIO()
    sheets = render_leaflet(announcement, buffer)
    reader, text = pdf_text(buffer.getvalue())
    assert sheets == len(reader.pages)
    for number, page in enumerate(reader.pages, start=1):
        assert [round(v) for v in page.mediabox] == [0, 0, round(landscape(A4)[0]), round(landscape(A4)[1])]
        assert page.extract_text().count(f"第 {number} 页 共 {sheets} 页") == 2  # one footer per copy
    assert flat(text).count(TITLES[kind]) == 2
    assert text.count("红旗村村民委员会（盖章）") == 2


def test_collection_notice_prints_every_tier_with_its_subsidy_and_credit(demo: Database) -> None:
    pack = load_default_policy_pack()
    data = render_bytes(fill(demo, "collection"), "poster")
    _, text = pdf_text(data)
    # Only the province pays a subsidy in the default pack, so the table shows that one level: tier, the
    # province's subsidy, and what is credited a year (tier + subsidy + collective subsidy, none here).
    for tier in pack.tier_amounts:
        split = pack.subsidy_for(tier)
        assert split.city == split.county == 0
        credited = tier + split.total + pack.collective_fen
        assert row(yuan(tier), yuan(split.province), yuan(credited)).search(text), yuan(tier)
    assert "省级补贴" in text
    # Hardship groups: the government pays the lowest tier for the severely disabled and 特困 (100 yuan).
    paid = {c.government_paid for c in pack.identity_categories if c.hardship and c.government_paid}
    assert paid == {pack.lowest_tier}
    assert row(yuan(pack.lowest_tier), "0（全部由政府代缴）").search(text)
    assert "残疾一级、残疾二级、特困人员" in flat(text)
    # Basic pension in force on the printing date, divisor, period and places from the settings' defaults.
    assert f"每人每月{yuan(pack.basic_pension_on(PRINTED))}元" in flat(text)
    assert f"除以{pack.divisor}" in flat(text)
    assert "征缴时间：2026年11月23日至2026年12月31日" in flat(text)
    assert "年龄按2027年6月30日计算" in flat(text)
    assert "2027年10月31日前" in flat(text)  # migrant documents deadline (pack: 10-31)
    for channel in ("村级现金收缴", "银行代收", "税务渠道"):
        assert channel in text


def test_letter_estimator_matches_the_pack(demo: Database) -> None:
    pack = load_default_policy_pack()
    announcement = fill(demo, "letter")
    _, text = pdf_text(render_bytes(announcement, "leaflet"))
    balance_200, monthly_200 = expected_estimate(200_00)
    balance_500, monthly_500 = expected_estimate(500_00)
    assert balance_200 != balance_500 and monthly_200 < monthly_500
    assert row(cents(balance_200), cents(balance_500)).search(text)
    assert row(cents(monthly_200), cents(monthly_500)).search(text)
    basic = pack.basic_pension_on(PRINTED)
    assert row(cents(basic), cents(basic)).search(text)
    assert row(cents(monthly_200 - basic), cents(monthly_500 - basic)).search(text)
    assert row("200", "500").search(text) and row("30", "60").search(text)  # yearly payment and subsidy
    assert row("3000", "7500").search(text)  # 15 years × the tier
    # The assumptions are stated in the text.
    flat_text = flat(text)
    assert "2027年起每年6月" in flat_text and "2041年底年满60周岁" in flat_text
    assert "2025年利率2.55%" in flat_text
    assert f"每人每月{yuan(basic)}元" in flat_text
    assert f"丧葬补助金{yuan(pack.funeral_grant.amount)}元" in flat_text  # type: ignore[union-attr]


def test_certification_notice_lists_methods_and_home_visits_by_group(demo: Database) -> None:
    _, text = pdf_text(render_bytes(fill(demo, "certification"), "poster"))
    flat_text = flat(text)
    for method in ("人脸识别(本人)", "上门认证", "实地认证", "异地认证"):
        assert method in flat_text
    assert "每12个月至少认证一次" in flat_text  # the pack's survival cycle
    assert "请于2026年12月31日前完成认证" in flat_text
    assert "第一村民小组" in text and "2026年11月26日（星期四）" in text


def test_meeting_notice_has_date_place_agenda_and_attendees(demo: Database) -> None:
    _, text = pdf_text(render_bytes(fill(demo, "meeting"), "poster"))
    flat_text = flat(text)
    assert "会议时间：2026年11月26日（星期四）上午9:00" in flat_text
    assert "会议地点：村委会会议室" in flat_text
    assert "村两委成员、各村民小组长、村民代表" in flat_text
    assert "（一）传达上级关于城乡居民基本养老保险工作的部署要求；" in flat_text
    assert "（五）其他事项。" in flat_text


def test_a_county_changes_the_wording_without_code(
    demo: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    county = tmp_path / "forms_templates"
    shutil.copytree(forms_templates_dir(), county)
    template = county / "announcements" / "collection.toml"
    text = template.read_text(encoding="utf-8")
    text = text.replace('salutation = "全村广大城乡居民："', 'salutation = "各位乡亲："')
    text = text.replace("特此通知。", '本县咨询电话：12333。", "特此通知。')
    text = text.replace("version = 1", "version = 2")
    template.write_text(text, encoding="utf-8")
    monkeypatch.setenv(FORMS_TEMPLATES_ENV_VAR, str(county))

    announcement = fill(demo, "collection")
    assert announcement.template_version == 2
    _, printed = pdf_text(render_bytes(announcement, "poster"))
    assert "各位乡亲：" in printed and "全村广大城乡居民" not in printed
    assert "本县咨询电话：12333。" in flat(printed)


def test_an_unknown_field_is_named_with_its_template_file(
    demo: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    county = tmp_path / "forms_templates"
    shutil.copytree(forms_templates_dir(), county)
    template = county / "announcements" / "meeting.toml"
    template.write_text(
        template.read_text(encoding="utf-8").replace("{meeting_place}", "{meeting_room}"), encoding="utf-8"
    )
    monkeypatch.setenv(FORMS_TEMPLATES_ENV_VAR, str(county))
    with pytest.raises(TemplateError) as caught:
        fill(demo, "meeting")
    assert caught.value.field == "meeting_room"
    assert "{meeting_room}" in caught.value.user_message
    assert str(template) in caught.value.user_message
    assert "README" in caught.value.user_message
