"""The receipt PDF, read back as a user's tools read it: pypdf for the text and the fonts, pdftoppm to render a
page, zbarimg to scan the verification code, and the village key to verify it. Also the overlay (套打), its
calibration page, the handover sheet (交款单), the unpaid list and the estimate.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from pensiondesk.documents.estimate import render_estimate
from pensiondesk.documents.handover import render_handover
from pensiondesk.documents.receipt import (
    render_overlay,
    render_overlay_test_page,
    render_receipts,
    sample_receipt,
)
from pensiondesk.documents.unpaid import render_unpaid_list
from pensiondesk.domain.codes import PayerKind, PersonStatus, Sex
from pensiondesk.domain.idnumber import check_character
from pensiondesk.domain.receipt_signature import verify_receipt_qr
from pensiondesk.resources import load_default_policy_pack
from pensiondesk.services.contributions import collect_contribution, estimate_benefits, unpaid_list
from pensiondesk.services.receipts import (
    OverlayOffset,
    ReceiptPrint,
    close_day,
    day_summary,
    open_book,
    print_receipt,
    receipt_signing_key,
    register_book,
    void_receipt,
)
from pensiondesk.services.recording import Actor
from pensiondesk.store.db import Database, open_database
from pensiondesk.store.models import County, Person, Setting, Township, Village, VillagerGroup

DAY = date(2026, 3, 2)
ME = Actor("wanghong", display_name="王红")
TOOLS = pytest.mark.skipif(
    shutil.which("pdftoppm") is None or shutil.which("zbarimg") is None, reason="needs pdftoppm and zbarimg"
)


def _id_number(birth: date, order: int) -> str:
    first17 = f"411099{birth:%Y%m%d}{order:03d}"
    return first17 + check_character(first17)


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = open_database(tmp_path / "docs.sqlite")
    with database.session() as s:
        county = County(code="411099", name="安和县")
        s.add(county)
        s.flush()
        township = Township(county_id=county.id, code="411099101", name="青山镇")
        s.add(township)
        s.flush()
        village = Village(township_id=township.id, code="411099101201", name="红旗村")
        s.add(village)
        s.flush()
        s.add(Setting(key="village_id", value=village.id))
        group = VillagerGroup(village_id=village.id, name="第一村民小组", sort_order=1)
        s.add(group)
        s.flush()
        for n, (name, birth) in enumerate((("张三丰", date(1980, 3, 15)), ("李秀英", date(1982, 7, 1)))):
            number = _id_number(birth, 11 + n * 11)
            s.add(
                Person(
                    village_id=village.id,
                    group_id=group.id,
                    name=name,
                    id_number=number,
                    id_number_rev=number[::-1],
                    sex=Sex.MALE if n == 0 else Sex.FEMALE,
                    birth_date=birth,
                    status=PersonStatus.CONTRIBUTING,
                )
            )
    with database.session(immediate=True) as s:
        book = register_book(s, ME, series="HQ2026", start_no=1, end_no=50, issued_on=DAY)
        open_book(s, ME, book.id)
    yield database
    database.close()


def _person(db: Database, name: str) -> Person:
    from sqlalchemy import select

    with db.session() as s:
        return s.scalars(select(Person).where(Person.name == name)).one()


def _receipt(db: Database, name: str = "张三丰", **kwargs: Any) -> ReceiptPrint:
    person = _person(db, name)
    with db.session(immediate=True) as s:
        result = collect_contribution(s, ME, person_id=person.id, year=2026, on=DAY, **{"tier_fen": 300_00, **kwargs})
        assert result.receipt_label is not None
        return print_receipt(s, ME, result.receipt_label)


def _text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def _fonts(reader: PdfReader) -> list[Any]:
    """Every font dictionary used by the pages and by the form XObjects they place."""
    found: list[Any] = []

    def visit(resources: Any) -> None:
        resources = resources.get_object() if resources is not None else {}
        for font in (resources.get("/Font") or {}).values():
            found.append(font.get_object())
        for xobject in (resources.get("/XObject") or {}).values():
            xobject = xobject.get_object()
            if xobject.get("/Subtype") == "/Form":
                visit(xobject.get("/Resources"))

    for page in reader.pages:
        visit(page.get("/Resources"))
    return found


def _embedded(font: Any) -> bool:
    descendants = font.get("/DescendantFonts")
    target = descendants[0].get_object() if descendants else font
    descriptor = target.get("/FontDescriptor")
    if descriptor is None:
        return False
    descriptor = descriptor.get_object()
    return any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))


def test_receipt_text_three_parts_and_masking(db: Database, tmp_path: Path) -> None:
    data = _receipt(db, payer_kind=PayerKind.RELATIVE, payer_name="张建国")
    out = tmp_path / "receipt.pdf"
    render_receipts([data], out)
    reader = PdfReader(out)
    assert len(reader.pages) == 1
    text = _text(out)
    for part in ("第一联 存根", "第二联 收据", "第三联 记账"):
        assert part in text
    assert text.count("城乡居民基本养老保险费收款收据") == 3
    assert text.count("HQ2026  No. 00000001") == 3
    assert text.count("开票日期：2026年3月2日") == 3
    assert "收款单位：青山镇红旗村村民委员会" in text
    assert "张建国（亲属代缴）" in text and "第一村民小组" in text
    assert "2026 年度" in text and "300.00 元" in text
    # Subsidy breakdown and account credit: 30 province; 300 + 30 = 330 credited.
    assert "省级 30.00 元　市级 0.00 元　县级 0.00 元" in text
    assert "记入个人账户 330.00 元" in text
    # Amount in figures and in capitals (300.00 → 叁佰元整), on every part.
    assert text.count("￥300.00") == 3 and text.count("人民币 叁佰元整") == 3
    assert text.count("王红") == 3  # the collector
    # The ID is masked on the payer's copy only (first 6 + last 4); stub and accounting copy show it whole.
    full_id = _person(db, "张三丰").id_number
    assert text.count(full_id) == 2
    assert text.count(full_id[:6] + "********" + full_id[-4:]) == 1
    assert "重打" not in text and "作废" not in text.replace("作废票据各联均须保留", "")


def test_fonts_are_embedded(db: Database, tmp_path: Path) -> None:
    out = tmp_path / "receipt.pdf"
    render_receipts([_receipt(db)], out)
    fonts = _fonts(PdfReader(out))
    assert fonts, "no font found"
    assert all(_embedded(font) for font in fonts), [f.get("/BaseFont") for f in fonts]
    assert not any("Helvetica" in str(f.get("/BaseFont")) for f in fonts)


@TOOLS
def test_qr_code_scans_and_verifies(db: Database, tmp_path: Path) -> None:
    data = _receipt(db, tier_fen=500_00)
    out = tmp_path / "receipt.pdf"
    render_receipts([data], out)
    subprocess.run(["pdftoppm", "-r", "150", "-png", str(out), str(tmp_path / "page")], check=True)
    scanned = subprocess.run(
        ["zbarimg", "-q", "--raw", str(tmp_path / "page-1.png")], capture_output=True, text=True, check=False
    ).stdout.split()
    assert len(scanned) == 2  # the payer's copy and the accounting copy
    assert scanned[0] == scanned[1] == data.qr_payload
    with db.session(immediate=True) as s:
        key = receipt_signing_key(s)
    check = verify_receipt_qr(scanned[0], key)
    assert check.valid, check.reason
    summary = check.summary
    assert summary is not None
    # The signed values are the printed ones: No. 1, 2026-03-02, tier 500, paid 500, subsidy 60 (tier ≥ 500).
    assert (summary.series, summary.number, summary.day, summary.tier_fen, summary.amount_fen, summary.subsidy_fen) == (
        "HQ2026",
        1,
        DAY,
        500_00,
        500_00,
        60_00,
    )
    forged = scanned[0].replace(":50000:50000:", ":50000:5000:")
    assert not verify_receipt_qr(forged, key).valid


def test_reprint_and_void_marks(db: Database, tmp_path: Path) -> None:
    _receipt(db)
    with db.session(immediate=True) as s:
        again = print_receipt(s, ME, "HQ2026-1")
    out = tmp_path / "reprint.pdf"
    render_receipts([again], out)
    assert _text(out).count("【重打 第1次】") == 3
    with db.session(immediate=True) as s:
        void_receipt(s, ME, "HQ2026-1", "金额写错", reissue=True, on=DAY)
        from pensiondesk.services.receipts import find_receipt, receipt_print_data

        voided = receipt_print_data(s, find_receipt(s, "HQ2026-1"))
    out = tmp_path / "void.pdf"
    render_receipts([voided], out)
    text = _text(out)
    assert text.count("【作废】原因：金额写错") == 3
    assert text.count("作　废") == 3


def _positions(path: Path) -> dict[str, tuple[float, float]]:
    """Where each text run starts on the first page (x, y in points)."""
    found: dict[str, tuple[float, float]] = {}

    def visitor(text: str, cm: Any, tm: Any, font: Any, size: Any) -> None:
        if text.strip() and text.strip() not in found:
            found[text.strip()] = (tm[4] * cm[0] + cm[4], tm[5] * cm[3] + cm[5])

    PdfReader(path).pages[0].extract_text(visitor_text=visitor)
    return found


def test_overlay_prints_values_only_and_follows_the_offset(db: Database, tmp_path: Path) -> None:
    data = _receipt(db)
    plain, shifted = tmp_path / "overlay.pdf", tmp_path / "shifted.pdf"
    render_overlay([data], plain, OverlayOffset())
    from decimal import Decimal

    render_overlay([data], shifted, OverlayOffset(Decimal("2"), Decimal("-1.5")))
    text = _text(plain)
    assert "张三丰" in text and "人民币 叁佰元整" in text and "￥300.00" in text
    assert "收款收据" not in text and "参保人" not in text  # no form, only values
    a, b = _positions(plain)["张三丰"], _positions(shifted)["张三丰"]
    # 2 mm right = 5.67 pt; −1.5 mm (up) = +4.25 pt in PDF coordinates.
    assert b[0] - a[0] == pytest.approx(2 * 72 / 25.4, abs=0.01)
    assert b[1] - a[1] == pytest.approx(1.5 * 72 / 25.4, abs=0.01)


def test_overlay_test_page(tmp_path: Path) -> None:
    from decimal import Decimal

    out = tmp_path / "test.pdf"
    render_overlay_test_page(out, OverlayOffset(Decimal("1.5"), Decimal("-2.0")), sample=sample_receipt(DAY))
    text = _text(out)
    assert "套打校准页" in text and "水平 1.5 毫米" in text and "垂直 -2.0 毫米" in text
    assert "YANGLI No. 12345678" in text
    assert re.search(r"\b100\b", text) and re.search(r"\b200\b", text)  # the millimetre rulers


def test_handover_unpaid_and_estimate(db: Database, tmp_path: Path) -> None:
    _receipt(db)
    _receipt(db, "李秀英", tier_fen=500_00)
    with db.session(immediate=True) as s:
        void_receipt(s, ME, "HQ2026-2", "收错档次", on=DAY)
        preview = day_summary(s, DAY, ME.username, actor=ME)
        close_day(s, ME, DAY, 300_00, today=DAY)
        closed = day_summary(s, DAY, ME.username, actor=ME)
        unpaid = unpaid_list(s, 2026, on=DAY)
    render_handover(preview, tmp_path / "preview.pdf")
    assert "预览，尚未日结" in _text(tmp_path / "preview.pdf")
    render_handover(closed, tmp_path / "handover.pdf")
    text = _text(tmp_path / "handover.pdf")
    assert "票款结报交款单" in text and "收款员：王红" in text
    assert "￥300.00（大写：叁佰元整）" in text  # receipts total and cash handed over
    assert "HQ2026-00000002" in text and "作废" in text and "收错档次" in text
    assert "交款人签字" in text and "接收人签字" in text and "复核人签字" in text
    render_unpaid_list(unpaid, tmp_path / "unpaid.pdf")
    text = _text(tmp_path / "unpaid.pdf")
    assert "红旗村2026年度城乡居民养老保险未缴费人员名单" in text
    assert "第一村民小组（1 人）" in text and "李秀英" in text and "张三丰" not in text
    li = _person(db, "李秀英").id_number
    assert li not in text and li[:6] + "********" + li[-4:] in text
    estimate = estimate_benefits(load_default_policy_pack(), birth_date=date(1971, 1, 15), as_of=DAY)
    assert render_estimate(estimate, tmp_path / "estimate.pdf") == 1  # one page for all 12 tiers
    text = _text(tmp_path / "estimate.pdf")
    assert "缴费档次测算表" in text and "1,762.20" in text and "155.68" in text  # tier 300 worked example
