"""Tests for policy packs (政策参数包): the shipped national default, the rules, and the error messages."""

from __future__ import annotations

import copy
import json
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from pensiondesk.domain.policy import (
    InvalidPolicyPack,
    PolicyLookupError,
    PolicyPack,
    SubsidySplit,
    parse_policy_pack,
    policy_pack_from_data,
)
from pensiondesk.resources import DEFAULT_POLICY_PACK, load_default_policy_pack, resource_path

SHIPPED = resource_path(*DEFAULT_POLICY_PACK)


def _shipped_data() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(SHIPPED.read_text(encoding="utf-8"))
    return data


def _refusal(data: dict[str, Any], *, source: str = "") -> InvalidPolicyPack:
    with pytest.raises(InvalidPolicyPack) as caught:
        parse_policy_pack(json.dumps(data, ensure_ascii=False), source=source)
    return caught.value


def _local_data() -> dict[str, Any]:
    """A county pack: 100 only for hardship groups, split subsidies, collective subsidy and top-ups."""
    data = _shipped_data()
    data.update(id="example-county-2025", name="示例县 2025 年政策", version=3)
    data["region"] = {"province": "吉林省", "city": "延边朝鲜族自治州", "county": "龙井市"}
    data["tiers"][0]["allowed_categories"] = ["021", "022", "031", "032", "033", "061"]
    for row in data["subsidy_schedule"]:
        tier = Decimal(row["tier_yuan"])
        province, city, county = (
            ("20", "5", "5") if tier < 500 else ("40", "10", "10") if tier < 1000 else ("60", "20", "20")
        )
        row.update(province_yuan=province, city_yuan=city, county_yuan=county)
    data["collective_subsidy"] = {"amount_yuan": "50", "source": "村民会议决议"}
    data["extra_years_top_up"] = {
        "monthly_yuan_per_year": "2.00",
        "beyond_years": 15,
        "max_monthly_yuan": "20",
    }
    data["age_top_ups"] = [{"min_age": 70, "monthly_yuan": "10"}, {"min_age": 80, "monthly_yuan": "20"}]
    return data


# --- the shipped national default ---


def test_shipped_pack_loads() -> None:
    pack = load_default_policy_pack()
    assert pack.id == "national-default"
    assert pack.region.display_name == "全国"
    yuan_tiers = [100, 200, 300, 400, 500, 600, 700, 800, 900, 1000, 1500, 2000]
    assert pack.tier_amounts == tuple(t * 100 for t in yuan_tiers)
    assert pack.lowest_tier == 100_00 and pack.top_tier == 2000_00
    for tier in pack.tier_amounts:
        expected = 30_00 if tier < 500_00 else 60_00
        assert pack.subsidy_for(tier) == SubsidySplit(province=expected)
    assert pack.notice_days == 7
    assert pack.survival_cycle_months == 12
    assert pack.advance_cap == 1000_00
    assert pack.funeral_grant is not None and pack.funeral_grant.amount == 600_00
    assert pack.cutoff_date(2025) == date(2025, 6, 30)
    assert pack.migrant_documents_deadline_in(2025) == date(2025, 10, 31)
    assert (pack.pension_age, pack.min_years_for_pension, pack.divisor) == (60, 15, 139)


def test_shipped_basic_pension_history() -> None:
    pack = load_default_policy_pack()
    steps = {
        date(2009, 10, 1): 55,
        date(2014, 7, 1): 70,
        date(2018, 1, 1): 88,
        date(2020, 1, 1): 93,
        date(2022, 7, 1): 98,
        date(2023, 7, 1): 103,
        date(2024, 1, 1): 123,
        date(2025, 1, 1): 143,
    }
    for start, monthly in steps.items():
        assert pack.basic_pension_on(start) == monthly * 100
    assert pack.basic_pension_on(date(2014, 6, 30)) == 55_00  # the day before a step
    assert pack.basic_pension_on(date(2026, 11, 22)) == 143_00
    with pytest.raises(PolicyLookupError):
        pack.basic_pension_on(date(2009, 9, 30))


def test_shipped_categories_and_government_paid() -> None:
    pack = load_default_policy_pack()
    codes = [c.code for c in pack.identity_categories]
    hardship_codes = ["021", "022", "031", "032", "033", "051", "052", "053", "061", "062", "063"]
    assert codes == ["011", *hardship_codes[:2], "023", *hardship_codes[2:], "071", "090"]
    paid = {c.code for c in pack.identity_categories if c.government_paid}
    assert paid == {"021", "022", "031", "032", "033"}
    assert pack.category("011").name == "普通"
    assert pack.is_hardship({"061"}) and not pack.is_hardship({"011"})


def test_shipped_interest_rates_match_the_domain_examples() -> None:
    pack = load_default_policy_pack()
    assert pack.interest_rate(2014) == Decimal("0.03")
    assert pack.interest_rate(2021) == Decimal("0.0275")
    assert pack.interest_rate(2023) == Decimal("0.0255")
    assert all("须换成本省公布" in entry.source for entry in pack.interest_rates)


def test_every_shipped_value_has_a_source() -> None:
    pack = load_default_policy_pack()
    items: list[Any] = [
        *pack.tiers,
        *pack.identity_categories,
        *pack.subsidy_schedule,
        *pack.basic_pension,
        *pack.interest_rates,
        pack.funeral_grant,
    ]
    assert all(item.source for item in items)
    described_elsewhere = {"format_version", "id", "name", "version", "notes", "sources"}
    list_fields = {"tiers", "identity_categories", "subsidy_schedule", "basic_pension", "interest_rates"}
    scalar_fields = set(_shipped_data()) - described_elsewhere - list_fields - {"funeral_grant"}
    assert {field for field in scalar_fields if not pack.source_of(field)} == set()
    assert "[local]" in pack.source_of("age_cutoff")


def test_round_trip_through_json() -> None:
    pack = load_default_policy_pack()
    dumped = pack.model_dump(mode="json", by_alias=True)
    assert dumped["tiers"][0]["amount_yuan"] == "100.00"
    assert dumped["interest_rates"][0]["rate"] == "0.0225"
    assert parse_policy_pack(json.dumps(dumped, ensure_ascii=False)) == pack
    assert policy_pack_from_data(pack.model_dump(by_alias=True)) == pack


def test_pack_is_frozen() -> None:
    pack = load_default_policy_pack()
    with pytest.raises(ValueError):
        pack.notice_days = 3


# --- broken copies are refused, naming the field ---


def test_negative_tier_amount_is_refused() -> None:
    data = _shipped_data()
    data["tiers"][2]["amount_yuan"] = "-300.00"
    error = _refusal(data, source="broken.json")
    assert error.problems == [("tiers[2].amount_yuan", "必须是正数（大于 0 元）")]
    assert str(error) == "broken.json：策略包字段 tiers[2].amount_yuan 无效：必须是正数（大于 0 元）"


def test_zero_tier_amount_is_refused() -> None:
    data = _shipped_data()
    data["tiers"][0]["amount_yuan"] = "0"
    assert _refusal(data).problems[0][0] == "tiers[0].amount_yuan"


def test_subsidy_below_30_for_the_lowest_tier_is_refused() -> None:
    data = _shipped_data()
    data["subsidy_schedule"][0]["province_yuan"] = "29.99"
    error = _refusal(data)
    assert [path for path, _ in error.problems] == ["subsidy_schedule[0]"]
    assert "30.00" in error.message and "29.99" in error.message


def test_subsidy_below_60_from_500_is_refused() -> None:
    data = _shipped_data()
    row = next(r for r in data["subsidy_schedule"] if r["tier_yuan"] == "500.00")
    row["province_yuan"] = "50"
    index = data["subsidy_schedule"].index(row)
    assert f"subsidy_schedule[{index}]" in _refusal(data).message


def test_subsidy_must_not_fall_for_a_higher_tier() -> None:
    data = _shipped_data()
    data["subsidy_schedule"][1]["province_yuan"] = "40"  # 200 → 40 but 300 → 30
    error = _refusal(data)
    assert "subsidy_schedule[2]" in error.message and "多缴应多补" in error.message


def test_missing_field_is_named() -> None:
    data = _shipped_data()
    del data["effective_from"]
    error = _refusal(data)
    assert error.problems == [("effective_from", "缺少此字段")]
    assert str(error) == "策略包字段 effective_from 无效：缺少此字段"


def test_missing_nested_field_is_named() -> None:
    data = _shipped_data()
    del data["basic_pension"][3]["monthly_yuan"]
    assert _refusal(data).problems == [("basic_pension[3].monthly_yuan", "缺少此字段")]


def test_misspelt_field_is_refused() -> None:
    data = _shipped_data()
    data["notice_day"] = 5
    assert _refusal(data).problems == [("notice_day", "不认识这个字段（是否拼写错误？）")]


def test_subsidy_schedule_must_cover_every_tier() -> None:
    data = _shipped_data()
    del data["subsidy_schedule"][4]
    error = _refusal(data)
    assert error.problems[0][0] == "subsidy_schedule"
    assert "500.00" in error.problems[0][1]


def test_subsidy_row_for_an_unknown_tier() -> None:
    data = _shipped_data()
    data["subsidy_schedule"].append({"tier_yuan": "3000", "province_yuan": "100"})
    assert "subsidy_schedule[12].tier_yuan" in _refusal(data).message


def test_duplicate_tier() -> None:
    data = _shipped_data()
    data["tiers"][1]["amount_yuan"] = "100"
    assert "tiers[1].amount_yuan" in _refusal(data).message


def test_collective_subsidy_plus_subsidy_must_not_exceed_the_top_tier() -> None:
    data = _shipped_data()
    data["collective_subsidy"] = {"amount_yuan": "1940.01"}  # + 60.00 > 2000.00
    error = _refusal(data)
    assert [path for path, _ in error.problems] == ["collective_subsidy.amount_yuan"]
    data["collective_subsidy"] = {"amount_yuan": "1940.00"}  # + 60.00 = 2000.00 is allowed
    assert parse_policy_pack(json.dumps(data, ensure_ascii=False)).collective_fen == 1940_00


def test_unknown_category_in_a_tier() -> None:
    data = _shipped_data()
    data["tiers"][0]["allowed_categories"] = ["999"]
    error = _refusal(data)
    assert error.problems[0][0] == "tiers[0].allowed_categories" and "999" in error.problems[0][1]
    data["tiers"][0]["allowed_categories"] = []
    assert "null" in _refusal(data).message


def test_amount_formats() -> None:
    data = _shipped_data()
    data["tiers"][0]["amount_yuan"] = "100.005"
    assert "两位" in _refusal(data).message
    data["tiers"][0]["amount_yuan"] = "一百"
    assert _refusal(data).problems[0][0] == "tiers[0].amount_yuan"
    # JSON numbers are read as Decimal, never float: 100 and 100.00 both mean 100 yuan.
    text = json.dumps(_shipped_data(), ensure_ascii=False).replace('"100.00"', "100.00", 1)
    assert parse_policy_pack(text).lowest_tier == 100_00


def test_floats_are_refused_from_python_data() -> None:
    data = _shipped_data()
    data["tiers"][0]["amount_yuan"] = 100.0
    with pytest.raises(InvalidPolicyPack) as caught:
        policy_pack_from_data(data)
    assert caught.value.problems[0][0] == "tiers[0].amount_yuan"
    data = _shipped_data()
    data["interest_rates"][0]["rate"] = 0.0225
    with pytest.raises(InvalidPolicyPack):
        policy_pack_from_data(data)


def test_rate_and_month_day_checks() -> None:
    data = _shipped_data()
    data["interest_rates"][0]["rate"] = "2.25%"
    assert _refusal(data).problems[0][0] == "interest_rates[0].rate"
    data = _shipped_data()
    data["interest_rates"][0]["rate"] = "0.5"
    assert "0.2" in _refusal(data).message
    data = _shipped_data()
    data["age_cutoff"] = "02-29"
    assert _refusal(data).problems[0][0] == "age_cutoff"
    data["age_cutoff"] = "6/30"
    assert "06-30" in _refusal(data).message


def test_bad_dates_and_numbers_get_chinese_reasons() -> None:
    data = _shipped_data()
    data["effective_from"] = "2025-02-30"
    data["notice_days"] = 0
    data["version"] = "three"
    reasons = dict(_refusal(data).problems)
    assert "YYYY-MM-DD" in reasons["effective_from"]
    assert reasons["notice_days"] == "不能小于 1"
    assert reasons["version"] == "必须是整数"


def test_unknown_sources_key() -> None:
    data = _shipped_data()
    data["sources"]["notice_dayz"] = "县文件"
    assert _refusal(data).problems == [("sources.notice_dayz", "不是策略包中的字段名，无法对应来源说明")]


def test_not_json_and_not_an_object() -> None:
    with pytest.raises(InvalidPolicyPack) as caught:
        parse_policy_pack('{"id": ', source="x.json")
    assert caught.value.message.startswith("x.json：策略包无效：不是有效的 JSON")
    with pytest.raises(InvalidPolicyPack):
        parse_policy_pack("[]")


def test_several_problems_are_all_reported() -> None:
    data = _shipped_data()
    data["tiers"][2]["amount_yuan"] = "-1"
    del data["published"]
    error = _refusal(data)
    assert {path for path, _ in error.problems} == {"tiers[2].amount_yuan", "published"}
    assert len(error.message.splitlines()) == 2


# --- lookups on a local pack ---


@pytest.fixture
def local_pack() -> PolicyPack:
    return policy_pack_from_data(_local_data())


def test_region_name(local_pack: PolicyPack) -> None:
    assert local_pack.region.display_name == "吉林省延边朝鲜族自治州龙井市"


def test_hardship_only_tier(local_pack: PolicyPack) -> None:
    assert local_pack.tiers_for({"011"})[0] == 200_00
    assert local_pack.tiers_for({"011", "031"})[0] == 100_00
    assert local_pack.tiers_for(set())[0] == 200_00


def test_government_paid_counts_a_person_once(local_pack: PolicyPack) -> None:
    # 021 (100.00) and 031 (100.00) together are still 100.00, never 200.00; 061 alone pays nothing.
    assert local_pack.government_paid_for({"021", "031"}) == 100_00
    assert local_pack.government_paid_for({"061", "021"}) == 100_00
    assert local_pack.government_paid_for({"061"}) == 0
    assert local_pack.government_paid_for(set()) == 0
    with pytest.raises(PolicyLookupError):
        local_pack.government_paid_for({"999"})


def test_subsidy_split_and_catch_up(local_pack: PolicyPack) -> None:
    split = local_pack.subsidy_for(500_00)
    assert (split.province, split.city, split.county, split.total) == (40_00, 10_00, 10_00, 60_00)
    assert local_pack.subsidy_for(2000_00).total == 100_00
    assert local_pack.subsidy_for(500_00, catch_up=True) == SubsidySplit()
    assert local_pack.subsidy_for(500_00, catch_up=True).total == 0
    with pytest.raises(PolicyLookupError):
        local_pack.subsidy_for(250_00)
    assert local_pack.collective_fen == 50_00


def test_top_ups(local_pack: PolicyPack) -> None:
    # 2.00 a month per year beyond 15, at most 20.00: 15 years → 0, 18 years → 3 × 2.00, 40 years → cap.
    assert local_pack.extra_years_top_up_for(15) == 0
    assert local_pack.extra_years_top_up_for(18) == 6_00
    assert local_pack.extra_years_top_up_for(40) == 20_00
    # Age bands do not add up: at 85 only the 80+ band applies.
    assert local_pack.age_top_up_for(69) == 0
    assert local_pack.age_top_up_for(70) == 10_00
    assert local_pack.age_top_up_for(85) == 20_00


def test_age_top_up_below_pension_age_is_refused() -> None:
    data = _local_data()
    data["age_top_ups"][0]["min_age"] = 55
    assert _refusal(data).problems == [("age_top_ups[0].min_age", "不能小于领取养老金的年龄 60 岁")]


def test_interest_rate_missing_year(local_pack: PolicyPack) -> None:
    with pytest.raises(PolicyLookupError) as caught:
        local_pack.interest_rate(2026)
    assert "2026" in caught.value.message
    assert local_pack.interest_rate(2026, fallback_to_latest=True) == Decimal("0.0255")
    with pytest.raises(PolicyLookupError):
        local_pack.interest_rate(2008, fallback_to_latest=True)


def test_government_paid_above_top_tier_is_refused() -> None:
    data = _shipped_data()
    data["identity_categories"][1]["government_paid_yuan"] = "2000.01"
    assert _refusal(data).problems[0][0] == "identity_categories[1].government_paid_yuan"


def test_duplicate_years_and_codes() -> None:
    data = _shipped_data()
    data["interest_rates"].append(copy.deepcopy(data["interest_rates"][0]))
    data["identity_categories"].append(copy.deepcopy(data["identity_categories"][0]))
    paths = {path for path, _ in _refusal(data).problems}
    assert paths == {"interest_rates[17].year", "identity_categories[15].code"}


# --- locating resources ---


def test_resources_env_var_wins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = _shipped_data()
    data["name"] = "测试用策略包"
    (tmp_path / "policy").mkdir()
    (tmp_path / "policy" / "national-default.json").write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    monkeypatch.setenv("PENSIONDESK_RESOURCES", str(tmp_path))
    assert resource_path("policy") == tmp_path / "policy"
    assert load_default_policy_pack().name == "测试用策略包"


def test_resources_in_a_pyinstaller_bundle(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "resources").mkdir()
    monkeypatch.delenv("PENSIONDESK_RESOURCES", raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert resource_path("fonts") == tmp_path / "resources" / "fonts"


def test_resources_in_the_source_checkout(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PENSIONDESK_RESOURCES", raising=False)
    repo_root = Path(__file__).resolve().parents[2]
    assert resource_path("policy", "README.md") == repo_root / "resources" / "policy" / "README.md"
    assert resource_path("policy", "README.md").is_file()


def test_shipped_folders_are_looked_for_in_the_bundle_then_the_package_then_the_checkout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One search order for resources/, migrations/ and forms_templates/ (tests/installer/test_wheel.py installs)."""
    import pensiondesk
    from pensiondesk.resources import shipped_dir_candidates

    package = Path(pensiondesk.__file__).resolve().parent
    repo_root = Path(__file__).resolve().parents[2]
    monkeypatch.delattr(sys, "_MEIPASS", raising=False)
    assert shipped_dir_candidates("migrations") == [package / "_data" / "migrations", repo_root / "migrations"]
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert shipped_dir_candidates("forms_templates")[0] == tmp_path / "forms_templates"
    assert not (package / "_data").exists()  # a checkout never has one: it would shadow the checkout's folders
