"""Contributions (缴费), the unpaid list (催缴名单), the estimator (算账) and advances (垫付), on a real database.

Every amount below is a worked example computed by hand from the policy pack; the derivation is in the comment
next to it. The packs used:

* the shipped national default (resources/policy/national-default.json): tiers 100 … 2000 for everyone;
  subsidy 30 元 (province) for tiers 100–400, 60 元 for 500 and above; 代缴 100 元 for 残疾一/二级 and 特困;
  interest 2.55 % for 2023–2025 (the latest); basic pension 143 元/月 from 2025-01-01; divisor 139;
* a county pack derived from it (``COUNTY_PACK``, stored in the database as the county would send it): the 100 元
  tier reserved for hardship groups, a 20 元 collective subsidy.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from pensiondesk.domain.codes import (
    AdvanceState,
    PayerKind,
    PaymentChannel,
    PersonStatus,
    ReceiptStatus,
    Relation,
    Sex,
)
from pensiondesk.domain.idnumber import check_character
from pensiondesk.domain.money import to_chinese_capital
from pensiondesk.resources import load_default_policy_pack, resource_path
from pensiondesk.services.advances import (
    RepaymentSource,
    advance_limit,
    apply_advance,
    decide_advance,
    list_advances,
    record_repayment,
)
from pensiondesk.services.contributions import (
    active_contribution,
    collect_contribution,
    contribution_history,
    contributor_card,
    correct_contribution,
    estimate_benefits,
    estimate_for_person,
    find_contributors,
    quote_contribution,
    reverse_contribution,
    unpaid_list,
    write_unpaid_xlsx,
)
from pensiondesk.services.people_types import ServiceError
from pensiondesk.services.receipts import open_book, register_book
from pensiondesk.services.recording import Actor, verify_audit_chain
from pensiondesk.store.db import Database, open_database
from pensiondesk.store.models import (
    AccountBalance,
    AuditEntry,
    Contribution,
    County,
    Household,
    OutboxEntry,
    Person,
    PersonCategory,
    PolicyPackRecord,
    Receipt,
    Registration,
    Setting,
    Township,
    Village,
    VillagerGroup,
)

TODAY = date(2026, 3, 2)
COLLECTOR = Actor("wanghong", display_name="王红")


def id_number(birth: date, order: int) -> str:
    first17 = f"411099{birth:%Y%m%d}{order:03d}"
    return first17 + check_character(first17)


@dataclass
class Village_:
    db: Database
    ids: dict[str, str]


def _person(
    session, key: str, ids: dict[str, str], *, name: str, birth: date, order: int, status: PersonStatus, **extra
) -> Person:
    person = Person(
        village_id=ids["village"],
        group_id=extra.pop("group_id", ids["group1"]),
        name=name,
        id_number=(number := id_number(birth, order)),
        id_number_rev=number[::-1],
        sex=Sex.MALE if order % 2 else Sex.FEMALE,
        birth_date=birth,
        status=status,
        **extra,
    )
    session.add(person)
    session.flush()
    ids[key] = person.id
    return person


def build_village(path: Path) -> Village_:
    """红旗村 with two groups and the people the examples need."""
    db = open_database(path)
    ids: dict[str, str] = {}
    with db.session() as s:
        county = County(code="411099", name="安和县")
        s.add(county)
        s.flush()
        township = Township(county_id=county.id, code="411099101", name="青山镇")
        s.add(township)
        s.flush()
        village = Village(township_id=township.id, code="411099101201", name="红旗村")
        s.add(village)
        s.flush()
        ids["village"] = village.id
        s.add(Setting(key="village_id", value=village.id))
        for key, name, order in (("group1", "第一村民小组", 1), ("group2", "第二村民小组", 2)):
            group = VillagerGroup(village_id=village.id, name=name, sort_order=order)
            s.add(group)
            s.flush()
            ids[key] = group.id
        household = Household(village_id=village.id, group_id=ids["group1"], number="00001")
        s.add(household)
        s.flush()
        head = _person(
            s,
            "zhang",
            ids,
            name="张三丰",
            birth=date(1980, 3, 15),
            order=11,
            status=PersonStatus.CONTRIBUTING,
            household_id=household.id,
            relation=Relation.HEAD,
            phone="13912345678",
        )
        household.head_person_id = head.id
        _person(
            s,
            "li",
            ids,
            name="李秀英",
            birth=date(1982, 7, 1),
            order=22,
            status=PersonStatus.CONTRIBUTING,
            household_id=household.id,
            relation=Relation.SPOUSE,
        )
        _person(
            s,
            "son",
            ids,
            name="张明",
            birth=date(2009, 1, 5),
            order=31,
            status=PersonStatus.CONTRIBUTING,
            household_id=household.id,
            relation=Relation.SON,
        )
        _person(
            s,
            "tekun",
            ids,
            name="赵军",
            birth=date(1970, 5, 20),
            order=41,
            status=PersonStatus.CONTRIBUTING,
            group_id=ids["group2"],
        )
        s.add(PersonCategory(person_id=ids["tekun"], category_code="031", valid_from=date(2020, 1, 1)))
        _person(
            s,
            "old",
            ids,
            name="黄芳",
            birth=date(1971, 1, 15),
            order=52,
            status=PersonStatus.CONTRIBUTING,
            group_id=ids["group2"],
        )
        _person(s, "pensioner", ids, name="刘华", birth=date(1950, 2, 2), order=61, status=PersonStatus.RECEIVING)
        _person(s, "new", ids, name="陈国", birth=date(1990, 9, 9), order=71, status=PersonStatus.NOT_ENROLLED)
        _person(s, "newreg", ids, name="杨芳", birth=date(1992, 4, 4), order=82, status=PersonStatus.NOT_ENROLLED)
        s.add(Registration(person_id=ids["newreg"], registered_on=TODAY))
        _person(s, "late", ids, name="王建国", birth=date(1958, 6, 6), order=91, status=PersonStatus.NOT_ENROLLED)
        s.add(Registration(person_id=ids["late"], registered_on=TODAY))
    with db.session(immediate=True) as s:
        book = register_book(s, COLLECTOR, series="HQ2026", start_no=1, end_no=50, issued_on=TODAY)
        open_book(s, COLLECTOR, book.id)
    return Village_(db, ids)


def store_county_pack(db: Database) -> None:
    """The county pack: default pack with the 100 元 tier only for hardship groups and a 20 元 collective subsidy."""
    data = json.loads(resource_path("policy", "national-default.json").read_text(encoding="utf-8"))
    data["id"] = "anhe-county"
    data["name"] = "安和县2026年政策"
    data["version"] = 2
    data["effective_from"] = "2026-01-01"
    data["tiers"][0]["allowed_categories"] = ["021", "022", "031", "032", "033", "061", "062", "063"]
    data["collective_subsidy"] = {"amount_yuan": "20.00", "source": "红旗村村民会议决定"}
    with db.session(immediate=True) as s:
        s.add(
            PolicyPackRecord(
                pack_id="anhe-county",
                version=2,
                effective_from=date(2026, 1, 1),
                content=json.dumps(data, ensure_ascii=False),
                origin="county",
            )
        )


@pytest.fixture
def village(tmp_path: Path) -> Iterator[Village_]:
    v = build_village(tmp_path / "village.sqlite")
    yield v
    v.db.close()


def _collect(v: Village_, key: str, **kwargs) -> object:
    args = {"year": 2026, "tier_fen": 300_00, "on": TODAY, **kwargs}
    with v.db.session(immediate=True) as s:
        return collect_contribution(s, COLLECTOR, person_id=v.ids[key], **args)


# --- quote and collect -------------------------------------------------------------------------------------------


def test_quote_for_an_ordinary_contributor_tier_300(village: Village_) -> None:
    # Default pack, tier 300: subsidy 30 元, all at province level (subsidy_schedule row 300.00 → province 30.00).
    # No 代缴 (category none), no collective subsidy (collective_subsidy null).
    # Personal 300; credited to the account 300 + 30 = 330 元.
    with village.db.session() as s:
        quote = quote_contribution(s, village.ids["zhang"], 2026, 300_00, on=TODAY)
    assert quote.personal_fen == 300_00
    assert (quote.subsidy.province, quote.subsidy.city, quote.subsidy.county) == (30_00, 0, 0)
    assert quote.government_paid_fen == 0
    assert quote.collective_fen == 0
    assert quote.credited_fen == 330_00
    assert not quote.is_catch_up
    # 大写 of 300.00 = 叁佰元整 (3 hundreds, nothing else: 整 closes an amount without 角/分).
    assert to_chinese_capital(quote.personal_fen) == "叁佰元整"
    assert ("记入个人账户", "330.00 元") in quote.lines()


def test_quote_tier_500_gets_the_higher_subsidy(village: Village_) -> None:
    # Tiers ≥ 500 get at least 60 元 (domain.md §5): default pack row 500.00 → province 60.00.
    # Credited 500 + 60 = 560 元; 大写 of 500.00 = 伍佰元整.
    with village.db.session() as s:
        quote = quote_contribution(s, village.ids["zhang"], 2026, 500_00, on=TODAY)
    assert quote.subsidy.total == 60_00
    assert quote.credited_fen == 560_00
    assert to_chinese_capital(quote.personal_fen) == "伍佰元整"


def test_collect_cash_issues_the_next_receipt_with_audit_and_outbox(village: Village_) -> None:
    with village.db.session() as s:
        audits_before = s.scalar(select(func.count()).select_from(AuditEntry))
        outbox_before = s.scalar(select(func.count()).select_from(OutboxEntry))
    result = _collect(village, "zhang")
    assert result.receipt_label == "HQ2026-00000001"
    assert result.receipt.amount_fen == 300_00
    result2 = _collect(village, "li", tier_fen=200_00, payer_kind=PayerKind.RELATIVE, payer_name="张三丰")
    assert result2.receipt_label == "HQ2026-00000002"
    with village.db.session() as s:
        c = s.get(Contribution, result2.contribution.id)
        assert (c.payer_kind, c.payer_name, c.personal_fen, c.subsidy_province_fen) == (
            PayerKind.RELATIVE,
            "张三丰",
            200_00,
            30_00,
        )
        assert c.policy_pack_id == "national-default"
        # Each collection: contribution + receipt + book use = 3 audit entries and 3 outbox rows.
        assert s.scalar(select(func.count()).select_from(AuditEntry)) - audits_before == 6
        assert s.scalar(select(func.count()).select_from(OutboxEntry)) - outbox_before == 6
        actions = set(s.scalars(select(AuditEntry.action)))
        assert {"contribution.collect", "receipt.issue", "receipt_book.use"} <= actions
        assert verify_audit_chain(s) is None


def test_one_tier_per_person_per_year(village: Village_) -> None:
    first = _collect(village, "zhang")
    with pytest.raises(ServiceError) as refused:
        _collect(village, "zhang", tier_fen=500_00)
    assert "2026 年度已缴费" in refused.value.user_message
    assert "HQ2026-00000001" in refused.value.user_message
    with village.db.session(immediate=True) as s:
        result = reverse_contribution(s, COLLECTOR, first.contribution.id, "档次选错", on=TODAY)
        assert result.voided_receipt is not None
        assert result.voided_receipt.status is ReceiptStatus.VOID
        assert result.reversal.personal_fen == -300_00
        assert result.reversal.reverses_id == first.contribution.id
    second = _collect(village, "zhang", tier_fen=500_00)
    assert second.receipt_label == "HQ2026-00000002"  # the voided number 1 keeps its place
    with village.db.session() as s:
        standing = active_contribution(s, village.ids["zhang"], 2026)
        assert standing is not None and standing.tier_fen == 500_00
        # Net for the year: 300 − 300 + 500 = 500 元 personal.
        net = s.scalar(
            select(func.sum(Contribution.personal_fen)).where(
                Contribution.person_id == village.ids["zhang"], Contribution.year == 2026
            )
        )
        assert net == 500_00
        history = contribution_history(s, village.ids["zhang"])
        assert [line.personal_fen for line in history] == [300_00, -300_00, 500_00]
        assert history[0].reversed and history[1].is_reversal


def test_correction_is_a_reversal_plus_a_new_record(village: Village_) -> None:
    first = _collect(village, "li", tier_fen=200_00)
    with village.db.session(immediate=True) as s:
        reversal, collected = correct_contribution(
            s, COLLECTOR, first.contribution.id, "实际缴纳 400 元档", tier_fen=400_00, on=TODAY
        )
    assert reversal.voided_receipt is not None and reversal.voided_receipt.number == 1
    assert collected.receipt_label == "HQ2026-00000002"
    assert collected.contribution.tier_fen == 400_00
    with village.db.session() as s:
        actions = [a for (a,) in s.execute(select(AuditEntry.action).order_by(AuditEntry.seq))]
        assert actions[-5:] == [
            "receipt.void",
            "contribution.reverse",
            "receipt.issue",
            "receipt_book.use",
            "contribution.collect",
        ]
        reasons = s.scalars(select(AuditEntry.reason).where(AuditEntry.action == "contribution.reverse")).all()
        assert "更正：实际缴纳 400 元档" in reasons[0]


def test_reserved_tier_refused_outside_hardship_groups(village: Village_) -> None:
    store_county_pack(village.db)
    with pytest.raises(ServiceError) as refused:
        _collect(village, "zhang", tier_fen=100_00)
    message = refused.value.user_message
    assert "100 元档次只限" in message and "特困人员（031）" in message
    assert "普通" in message  # the person's own category is named
    assert "可选档次：200、300、400" in message  # and what may be chosen instead
    # The same tier is fine for 赵军 (特困 031): his 代缴 covers it all.
    result = _collect(village, "tekun", tier_fen=100_00)
    assert result.receipt is None  # nothing to pay: no village receipt


def test_government_paid_reduces_what_the_person_pays(village: Village_) -> None:
    # 赵军 is 特困 (031): 政府代缴 100 元 in the default pack.
    # Tier 300: person pays 300 − 100 = 200 元; subsidy 30 元; credited 200 + 100 + 30 = 330 元.
    with village.db.session() as s:
        quote = quote_contribution(s, village.ids["tekun"], 2026, 300_00, on=TODAY)
    assert quote.government_paid_fen == 100_00
    assert quote.personal_fen == 200_00
    assert quote.credited_fen == 330_00
    result = _collect(village, "tekun", tier_fen=300_00, received_fen=200_00)
    assert result.receipt is not None and result.receipt.amount_fen == 200_00
    assert to_chinese_capital(result.receipt.amount_fen) == "贰佰元整"
    # Tier 100 (the minimum): 代缴 100 covers it — never below zero: person pays 0, credited 100 + 30 = 130 元.
    with village.db.session() as s:
        quote = quote_contribution(s, village.ids["tekun"], 2025, 100_00, on=date(2025, 6, 1))
    assert (quote.personal_fen, quote.government_paid_fen, quote.credited_fen) == (0, 100_00, 130_00)


def test_collective_subsidy_from_the_county_pack(village: Village_) -> None:
    store_county_pack(village.db)
    # County pack: tier 200 → subsidy 30 (province); collective 20 元; credited 200 + 30 + 20 = 250 元.
    with village.db.session() as s:
        quote = quote_contribution(s, village.ids["zhang"], 2026, 200_00, on=TODAY)
    assert (quote.personal_fen, quote.subsidy.total, quote.collective_fen, quote.credited_fen) == (
        200_00,
        30_00,
        20_00,
        250_00,
    )
    assert quote.pack_id == "anhe-county"


def test_catch_up_needs_approval_and_earns_no_subsidy(village: Village_) -> None:
    with pytest.raises(ServiceError) as refused:
        _collect(village, "zhang", year=2025)
    assert "补缴" in refused.value.user_message and "审批" in refused.value.user_message
    # 补缴 2025 at tier 300: no subsidy, no collective, no 代缴 → person pays 300, credited 300 (not 330).
    result = _collect(village, "zhang", year=2025, catch_up_approval_ref="青山镇补缴审批〔2026〕3号")
    c = result.contribution
    assert c.is_catch_up and c.catch_up_approval_ref == "青山镇补缴审批〔2026〕3号"
    assert (c.personal_fen, c.subsidy_province_fen, c.government_paid_fen, c.collective_fen) == (300_00, 0, 0, 0)
    assert result.quote.credited_fen == 300_00
    # A 特困 person catching up pays the whole tier too (no 代缴 for past years).
    with village.db.session() as s:
        quote = quote_contribution(s, village.ids["tekun"], 2024, 300_00, on=TODAY)
    assert (quote.personal_fen, quote.government_paid_fen, quote.subsidy.total) == (300_00, 0, 0)


def test_years_that_cannot_be_paid(village: Village_) -> None:
    with pytest.raises(ServiceError) as future:
        _collect(village, "zhang", year=2027)
    assert "预缴" in future.value.user_message
    # 张明 was born in 2009: 16 in 2025, so 2024 is refused even as a catch-up.
    with pytest.raises(ServiceError) as young:
        _collect(village, "son", year=2024, catch_up_approval_ref="X")
    assert "未满 16 周岁" in young.value.user_message


def test_non_cash_channels_get_no_village_receipt(village: Village_) -> None:
    bank = _collect(village, "zhang", channel=PaymentChannel.BANK)
    tax = _collect(village, "li", channel=PaymentChannel.TAX_BUREAU)
    assert bank.receipt is None and tax.receipt is None
    with village.db.session() as s:
        assert s.scalar(select(func.count()).select_from(Receipt)) == 0
        assert s.get(Contribution, tax.contribution.id).channel is PaymentChannel.TAX_BUREAU
    # A reversal of a non-cash contribution touches no receipt.
    with village.db.session(immediate=True) as s:
        result = reverse_contribution(s, COLLECTOR, bank.contribution.id, "银行退回", on=TODAY)
    assert result.voided_receipt is None


def test_payer_and_amount_checks(village: Village_) -> None:
    with pytest.raises(ServiceError) as nameless:
        _collect(village, "zhang", payer_kind=PayerKind.RELATIVE)
    assert "亲属代缴时请填写缴费人姓名" in nameless.value.user_message
    with pytest.raises(ServiceError) as wrong:
        _collect(village, "zhang", received_fen=200_00)
    assert "实收金额 200.00 元 与应缴金额 300.00 元 不一致" in wrong.value.user_message
    with village.db.session() as s:
        assert s.scalar(select(func.count()).select_from(Contribution)) == 0  # nothing half-written


def test_who_may_pay(village: Village_) -> None:
    with pytest.raises(ServiceError) as pensioner:
        _collect(village, "pensioner")
    assert "已按月领取待遇" in pensioner.value.user_message
    with pytest.raises(ServiceError) as new:
        _collect(village, "new")
    assert "尚未参保登记" in new.value.user_message
    assert _collect(village, "newreg").receipt is not None  # registered, first payment


def test_find_and_card(village: Village_) -> None:
    with village.db.session() as s:
        zhang = s.get(Person, village.ids["zhang"])
        assert find_contributors(s, zhang.id_number.lower()) == [zhang]
        assert find_contributors(s, " " + zhang.id_number[-6:]) == [zhang]
        with pytest.raises(ServiceError):
            find_contributors(s, zhang.id_number[:-1] + ("0" if zhang.id_number[-1] != "0" else "1"))
    _collect(village, "li", tier_fen=200_00)
    with village.db.session() as s:
        card = contributor_card(s, village.ids["zhang"], 2026, on=TODAY)
    assert card.can_pay and card.group_name == "第一村民小组"
    assert [m.name for m in card.household] == ["张三丰", "李秀英", "张明"]
    assert [m.paid_tier_fen for m in card.household] == [None, 200_00, None]
    assert card.default_tier_fen == 100_00  # no earlier year: the lowest tier allowed


# --- unpaid list -------------------------------------------------------------------------------------------------


def test_unpaid_list_by_group(village: Village_, tmp_path: Path) -> None:
    _collect(village, "zhang")
    _collect(village, "li", year=2025, catch_up_approval_ref="审批1")  # 2025 only: still unpaid for 2026
    reversed_one = _collect(village, "tekun", tier_fen=300_00)
    with village.db.session(immediate=True) as s:
        reverse_contribution(s, COLLECTOR, reversed_one.contribution.id, "收错了人", on=TODAY)
    with village.db.session() as s:
        unpaid = unpaid_list(s, 2026, on=TODAY)
    # Contributors (参保缴费): 张三丰 (paid), 李秀英, 张明, 赵军 (reversed → unpaid), 黄芳. 5 counted, 1 paid.
    assert (unpaid.contributors, unpaid.paid) == (5, 1)
    assert unpaid.payment_rate == 20  # 1 ÷ 5 = 20.0 %
    groups = unpaid.by_group()
    assert [name for name, _ in groups] == ["第一村民小组", "第二村民小组"]
    assert [row.name for row in groups[0][1]] == ["张明", "李秀英"]
    li = next(row for row in unpaid.rows if row.name == "李秀英")
    assert (li.last_paid_year, li.last_tier_fen, li.household_head) == (2025, 300_00, "张三丰")
    with village.db.session() as s:
        only_two = unpaid_list(s, 2026, group_id=village.ids["group2"], on=TODAY)
    assert [row.name for row in only_two.rows] == ["赵军", "黄芳"]
    count = write_unpaid_xlsx(unpaid, tmp_path / "unpaid.xlsx")
    assert count == 4
    from openpyxl import load_workbook

    sheet = load_workbook(tmp_path / "unpaid.xlsx").active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert "催缴名单" in values[0][0]
    header = values[2]
    id_col = header.index("公民身份号码")
    assert values[3][id_col] == unpaid.rows[0].id_number  # full ID, as text


# --- estimator ---------------------------------------------------------------------------------------------------


def test_estimate_worked_example_born_1971() -> None:
    pack = load_default_policy_pack()
    # 黄芳, born 1971-01-15, asked on 2026-03-02. She turns 60 on 2031-01-15, so she pays 2026…2030 (5 years),
    # each year's money credited in June, and the balance is taken at the end of January 2031.
    # Interest: the pack publishes rates up to 2025 (2.55 %); 2026 onwards use that latest rate, r = 0.0255.
    # A June credit C earns C × r × 6/12 in its first year; the balance brought forward earns r for a full year,
    # and in 2031 one month (January): B × r × 1/12. So B(2026) = C + C·r/2 and B(n) = B(n−1)·(1+r) + C + C·r/2.
    #
    # Tier 300: C = 300 + 30 subsidy = 330 元 = 33 000 fen; C·r/2 = 420.75 fen.
    #   B2026 =  33 420.75
    #   B2027 =  33 420.75 × 1.0255 + 33 420.75 =  67 693.729125
    #   B2028 =  67 693.729125 × 1.0255 + 33 420.75 = 102 840.669217…
    #   B2029 = 138 883.856283…   B2030 = 175 846.144618…
    #   Jan 2031: 175 846.144618 × (1 + 0.0255/12) = 176 219.817675 → 176 220 fen = 1,762.20 元
    #   Account pension 176 220 ÷ 139 = 1 267.77 → 1 268 fen (12.68 元); + basic 143 元 = 155.68 元/月.
    # Tier 100: C = 130 元 → balance 69 419.93 → 69 420 fen; 69 420 ÷ 139 = 499.42 → 499; 143 + 4.99 = 147.99.
    # Tier 500: C = 560 元 → balance 299 039.69 → 299 040 fen; ÷ 139 = 2 151.37 → 2 151; 143 + 21.51 = 164.51.
    estimate = estimate_benefits(pack, birth_date=date(1971, 1, 15), as_of=TODAY, tiers=[100_00, 300_00, 500_00])
    assert (estimate.first_year, estimate.last_year, estimate.future_years) == (2026, 2030, 5)
    assert str(estimate.pension_start) == "2031-02"  # paid from the month after the birthday month
    assert estimate.basic_pension_fen == 143_00
    by_tier = {t.tier_fen: t for t in estimate.tiers}
    assert by_tier[300_00].credited_per_year_fen == 330_00
    assert by_tier[300_00].total_personal_fen == 1500_00  # 5 × 300
    assert by_tier[300_00].balance_fen == 176_220
    assert by_tier[300_00].account_pension_fen == 1_268
    assert by_tier[300_00].monthly_pension_fen == 155_68
    assert (by_tier[100_00].balance_fen, by_tier[100_00].monthly_pension_fen) == (69_420, 147_99)
    assert (by_tier[500_00].balance_fen, by_tier[500_00].monthly_pension_fen) == (299_040, 164_51)
    # 5 years < 15: the estimate says how many years must be caught up.
    assert any("须补缴 10 年" in warning for warning in estimate.warnings)


def test_estimate_with_government_paid_and_all_tiers() -> None:
    pack = load_default_policy_pack()
    # 特困 (031): 代缴 100 元. Tier 100 costs the person 0 per year, tier 300 costs 200.
    estimate = estimate_benefits(pack, birth_date=date(1990, 1, 1), as_of=TODAY, categories=["031"])
    assert len(estimate.tiers) == 12  # every tier of the pack, side by side
    first, third = estimate.tiers[0], estimate.tiers[2]
    assert (first.personal_per_year_fen, first.government_paid_per_year_fen) == (0, 100_00)
    assert (third.personal_per_year_fen, third.credited_per_year_fen) == (200_00, 330_00)
    # Born 1990: pays 2026…2049 = 24 years ≥ 15, no warning; higher tiers give higher pensions.
    assert estimate.future_years == 24 and not estimate.warnings
    pensions = [t.monthly_pension_fen for t in estimate.tiers]
    assert pensions == sorted(pensions) and len(set(pensions)) == 12


def test_estimate_for_a_person_counts_what_is_already_paid(village: Village_) -> None:
    _collect(village, "old", tier_fen=300_00)  # 黄芳 pays 2026 in March
    with village.db.session() as s:
        estimate = estimate_for_person(s, village.ids["old"], tiers=[300_00], on=TODAY)
    # 2026 is paid (credited March 2026), future years 2027…2030 = 4; years in total 1 + 4 = 5.
    assert (estimate.first_year, estimate.future_years, estimate.years_already) == (2027, 4, 1)
    # Balance: the March credit earns 9 months in 2026 instead of 6, so it is a little above the
    # 176 220 fen of the 5-year example: 33 000 × 0.0255 × 3/12 × 1.0255^4 × 1.002125 ≈ 233 fen more.
    assert 176_220 < estimate.tiers[0].balance_fen < 176_220 + 300
    with village.db.session(immediate=True) as s:
        s.add(AccountBalance(person_id=village.ids["tekun"], as_of=date(2025, 12, 31), balance_fen=5000_00))
    with village.db.session() as s:
        synced = estimate_for_person(s, village.ids["tekun"], tiers=[100_00], on=TODAY)
    assert synced.opening_balance_fen == 5000_00
    assert any("5,000.00 元" in w for w in synced.warnings)


# --- advances ----------------------------------------------------------------------------------------------------


def test_advance_cap_application_and_withholding(village: Village_) -> None:
    # 王建国, born 1958-06-06, is 67 and newly enrolled with no year paid: 15 years missing.
    # Lump sum at the minimum tier: 15 × 100 = 1,500 元; the pack caps an advance at 1,000 元 → limit 1,000 元.
    with village.db.session() as s:
        limit = advance_limit(s, village.ids["late"], on=TODAY)
    assert (limit.missing_years, limit.lump_sum_fen, limit.cap_fen, limit.max_fen) == (15, 1500_00, 1000_00, 1000_00)
    with village.db.session(immediate=True) as s, pytest.raises(ServiceError) as too_much:
        apply_advance(s, COLLECTOR, village.ids["late"], amount_fen=1200_00, on=TODAY)
    assert "超过上限 1,000.00 元" in too_much.value.user_message
    with village.db.session(immediate=True) as s, pytest.raises(ServiceError) as young:
        apply_advance(s, COLLECTOR, village.ids["zhang"], on=TODAY)
    assert "未满 60 周岁" in young.value.user_message
    with village.db.session(immediate=True) as s:
        advance = apply_advance(s, COLLECTOR, village.ids["late"], on=TODAY)
        assert (advance.amount_fen, advance.state) == (1000_00, AdvanceState.APPLIED)
        with pytest.raises(ServiceError):
            record_repayment(s, COLLECTOR, advance.id, 100_00)  # not approved yet
        decide_advance(s, COLLECTOR, advance.id, approved=True, on=TODAY)
        # The county withholds the full monthly pension (143 元) for three months, then the rest by agreement:
        # 1,000 − 3 × 143 = 571 元 left, then 571 repaid → 0 and 已还清.
        for month in ("2026-04", "2026-05", "2026-06"):
            record_repayment(s, COLLECTOR, advance.id, 143_00, month=month)
        assert list_advances(s)[0].balance_fen == 571_00
        with pytest.raises(ServiceError) as over:
            record_repayment(s, COLLECTOR, advance.id, 600_00)
        assert "超过待还余额 571.00 元" in over.value.user_message
        record_repayment(s, COLLECTOR, advance.id, 571_00, source=RepaymentSource.AGREEMENT)
        view = list_advances(s, person_id=village.ids["late"])[0]
        assert (view.balance_fen, view.advance.state) == (0, AdvanceState.REPAID)
        reasons = s.scalars(select(AuditEntry.reason).where(AuditEntry.entity_id == advance.id)).all()
        assert "2026-04 扣发养老金 143.00 元，余额 857.00 元" in reasons
