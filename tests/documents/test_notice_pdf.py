"""Public notice PDFs (公示名单) read back with pypdf: masking, page numbers, fonts, orientation, long lists."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from pensiondesk.documents.notice import NoticeLeak, render_notice, render_notice_bytes
from pensiondesk.domain.codes import NoticeKind
from pensiondesk.services.demo import create_demo_village
from pensiondesk.services.notices import NoticePeriod, build_notice
from pensiondesk.services.pensioner_demo import seed_pensioner_histories
from pensiondesk.services.pensioners import (
    BenefitAnswer,
    apply_benefit_answer,
    open_benefit_case,
    reaching_60_list,
    record_notification,
    submit_benefit_case,
)
from pensiondesk.services.recording import Actor
from pensiondesk.store.db import open_database
from pensiondesk.store.models import Cancellation, Person

AS_OF = date(2026, 11, 20)
FULL_ID = re.compile(r"\d{17}[\dX]")
PHONE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
LONG_DIGITS = re.compile(r"\d{11,}")


@pytest.fixture(scope="module")
def village(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """A demo village with histories, and one notice snapshot of every kind (benefit cases opened and answered)."""
    path = tmp_path_factory.mktemp("pdf") / "demo.sqlite"
    db = open_database(path)
    actor = Actor("wang")
    snapshots: dict[NoticeKind, dict[str, Any]] = {}
    with db.session() as s:
        create_demo_village(s, persons=1200, seed=5, as_of=AS_OF)
        seed_pensioner_histories(s, as_of=AS_OF, seed=5)
        for n, row in enumerate(reaching_60_list(s, as_of=AS_OF, within_months=3)):
            case = open_benefit_case(s, row.person_id, actor=actor, as_of=AS_OF)
            record_notification(s, case.id, notified_on=date(2026, 11, 10), actor=actor)
            submit_benefit_case(s, case.id, actor=actor)
            if n % 2 == 0:
                answer = BenefitAnswer(case.id, True, date(2026, 11, 18), 165_32, row.earliest_start)
                apply_benefit_answer(s, answer, actor=actor)
        years = NoticePeriod(date(2024, 1, 1), date(2026, 12, 31), "2024—2026年")
        for kind in NoticeKind:
            period = years if kind in (NoticeKind.DEATH, NoticeKind.BENEFIT) else None
            snapshots[kind] = build_notice(s, kind=kind, posted_on=AS_OF, actor=actor, period=period).snapshot
        secrets = {
            "ids": set(s.scalars(select(Person.id_number))),
            "phones": {p for p in s.scalars(select(Person.phone)) if p},
            "cards": {c for c in s.scalars(select(Person.bank_card)) if c}
            | {c for c in s.scalars(select(Cancellation.heir_bank_card)) if c},
        }
    db.close()
    yield {"snapshots": snapshots, "secrets": secrets}


def _text(pdf: bytes) -> tuple[PdfReader, list[str]]:
    reader = PdfReader(io.BytesIO(pdf))
    return reader, [page.extract_text() or "" for page in reader.pages]


def _embedded_fonts(reader: PdfReader) -> set[str]:
    embedded: set[str] = set()
    for page in reader.pages:
        fonts = page["/Resources"].get_object().get("/Font", {})
        for ref in fonts.values():
            font = ref.get_object()
            descendants = font.get("/DescendantFonts")
            targets = [d.get_object() for d in descendants] if descendants else [font]
            for target in targets:
                descriptor = target.get("/FontDescriptor")
                if descriptor is not None and any(k in descriptor.get_object() for k in ("/FontFile2", "/FontFile")):
                    embedded.add(str(target.get("/BaseFont")))
    return embedded


@pytest.mark.parametrize("kind", list(NoticeKind))
@pytest.mark.parametrize("landscape", [True, False])
def test_every_kind_prints_without_a_full_number(village: dict[str, Any], kind: NoticeKind, landscape: bool) -> None:
    snapshot = village["snapshots"][kind]
    assert snapshot["total"] > 0
    pdf = render_notice_bytes(snapshot, landscape=landscape, printed_on=AS_OF)
    reader, pages = _text(pdf)
    text = "\n".join(pages)
    compact = re.sub(r"\s+", "", text)
    assert not FULL_ID.search(text), kind
    assert not PHONE.search(text), kind
    assert not LONG_DIGITS.search(text), kind
    # Even with all white space removed (a number broken across a line), no real ID, phone or card appears.
    secrets = village["secrets"]
    assert not any(secret in compact for secret in secrets["ids"] | secrets["phones"] | secrets["cards"])
    assert re.search(r"\d{6}\*{8}[\dX]{4}", text)  # the masked form is there
    assert snapshot["title"] in compact
    total = len(pages)
    for number, page_text in enumerate(pages, start=1):
        assert f"第{number}页共{total}页" in re.sub(r"\s+", "", page_text)
        assert "打印日期：2026-11-20" in page_text
    width, height = (float(v) for v in reader.pages[0].mediabox.upper_right)
    assert (width > height) is landscape
    assert round(min(width, height)) == 595 and round(max(width, height)) == 842  # A4
    assert _embedded_fonts(reader), "the Chinese font must be embedded"
    assert "盖章" in text and "公示期" in text
    for group in snapshot["groups"]:
        assert group["name"] in compact


def test_1200_rows_and_long_names_lay_out(tmp_path: Path) -> None:
    long_names = ["阿卜杜热合曼·买买提艾力·艾则孜", "欧阳娜娜", "爱新觉罗·恒山"]
    rows = [
        [str(i), long_names[i % 3] if i % 50 == 0 else f"张{i}", "男", f"411099********{i % 10000:04d}", "已缴费"]
        for i in range(1, 1201)
    ]
    content = {
        "title": "红旗村2026年度参保登记及缴费情况公示",
        "village": "红旗村",
        "township": "青山镇",
        "county": "安和县",
        "period": "2026年度",
        "posted_on": "2026-11-20",
        "ends_on": "2026-11-26",
        "intro": "现将参保缴费情况予以公示。",
        "columns": [
            {"title": "序号", "weight": 0.6},
            {"title": "姓名", "weight": 1.2},
            {"title": "性别", "weight": 0.6},
            {"title": "公民身份号码", "weight": 2.3},
            {"title": "缴费状态", "weight": 1.0},
        ],
        "groups": [
            {"name": "第一村民小组", "rows": rows[:700], "summary": "共 700 人"},
            {"name": "第二村民小组", "rows": rows[700:], "summary": "共 500 人"},
        ],
    }
    for landscape in (False, True):
        out = tmp_path / f"long-{landscape}.pdf"
        pages = render_notice(content, out, landscape=landscape, printed_on=AS_OF)
        reader, texts = _text(out.read_bytes())
        assert len(reader.pages) == pages
        joined = re.sub(r"\s+", "", "\n".join(texts))
        for i in (1, 600, 700, 1200):
            assert f"411099********{i:04d}" in joined
        assert long_names[0].replace("·", "") in joined.replace("·", "")  # wrapped, never cut off
        per_page = 1200 / pages
        assert per_page > (18 if landscape else 26), pages  # rows per page: the table is not spread thin


def test_a_full_number_in_a_snapshot_is_refused(tmp_path: Path) -> None:
    content = {
        "title": "测试",
        "columns": [{"title": "姓名"}, {"title": "公民身份号码"}],
        "groups": [{"name": "一组", "rows": [["张三", "11010519491231002X"]]}],
    }
    with pytest.raises(NoticeLeak):
        render_notice(content, tmp_path / "leak.pdf")
    assert not (tmp_path / "leak.pdf").exists()


def test_an_empty_notice_still_prints_a_page(tmp_path: Path) -> None:
    content = {"title": "红旗村2026年度死亡注销公示", "village": "红旗村", "columns": [{"title": "姓名"}], "groups": []}
    pages = render_notice(content, tmp_path / "empty.pdf", printed_on=AS_OF)
    assert pages == 1
    _, texts = _text((tmp_path / "empty.pdf").read_bytes())
    assert "没有需要公示的人员" in texts[0]
