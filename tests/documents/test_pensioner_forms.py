"""The printed forms and the stage report read back: 待遇领取通知表, 注销登记申请表, 工作进度报告 (+ .xlsx)."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select

from pensiondesk.documents.death_application import render_death_application_bytes
from pensiondesk.documents.notification_form import render_notification_forms_bytes
from pensiondesk.documents.progress_report import render_progress_report, render_progress_report_bytes
from pensiondesk.services.deaths import death_application
from pensiondesk.services.demo import create_demo_village
from pensiondesk.services.pensioner_demo import seed_pensioner_histories
from pensiondesk.services.pensioners import notification_form_data, reaching_60_list
from pensiondesk.services.progress import Measure, progress_list, progress_report
from pensiondesk.sheets.progress_export import LIST_SHEETS, SUMMARY_COLUMNS, SUMMARY_SHEET, write_progress_xlsx
from pensiondesk.store.db import Database, open_database
from pensiondesk.store.models import Cancellation

AS_OF = date(2026, 11, 20)
FULL_ID = re.compile(r"\d{17}[\dX]")


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    path = tmp_path_factory.mktemp("forms") / "demo.sqlite"
    database = open_database(path)
    with database.session() as s:
        create_demo_village(s, persons=1000, seed=7, as_of=AS_OF)
        seed_pensioner_histories(s, as_of=AS_OF, seed=7)
    yield database
    database.close()


def _pages(pdf: bytes) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages]


def test_notification_forms_one_page_each(db: Database) -> None:
    with db.session() as s:
        rows = reaching_60_list(s, as_of=AS_OF, within_months=3)
        forms = notification_form_data(s, [r.person_id for r in rows], as_of=AS_OF)
    assert forms
    pages = _pages(render_notification_forms_bytes(forms, issued_on=AS_OF))
    assert len(pages) == len(forms)
    for form, text in zip(forms, pages, strict=True):
        compact = re.sub(r"\s+", "", text)
        assert "待遇领取通知表" in compact
        assert form.id_number in compact  # the person's own form: the full number is printed
        assert f"{form.name}同志" in compact
        assert "按手印" in compact and "指印" in compact and "盖章" in compact
        assert f"累计缴费{form.years_paid}年" in compact or f"{form.years_paid}年" in compact
        assert "居民身份证、户口簿" in compact


def test_death_application_has_the_settlement_heir_and_three_reviews(db: Database) -> None:
    with db.session() as s:
        c = s.scalars(select(Cancellation).where(Cancellation.advance_owed_fen > 0)).first()
        assert c is not None
        form = death_application(s, c.id)
    text = re.sub(r"\s+", "", "\n".join(_pages(render_death_application_bytes(form, printed_on=AS_OF))))
    assert "注销登记暨丧葬补助金申请表" in text
    for label in (
        "停发年月",
        "多领金额",
        "丧葬补助金",
        "抵扣多领",
        "实发补助金",
        "仍需追回",
        "个人账户余额",
        "垫付未还",
    ):
        assert label in text
    for stage in ("村级初审意见", "乡镇复审意见", "县级审核意见"):
        assert stage in text
    assert form.id_number in text and "继承人签字" in text
    assert "450.00元" in text  # the advance still owed (600.00 − 150.00)


def test_progress_report_pdf_masks_its_lists(db: Database, tmp_path: Path) -> None:
    with db.session() as s:
        report = progress_report(s, as_of=AS_OF)
        lists = {m.value: progress_list(s, m, as_of=AS_OF) for m in Measure}
    pages = _pages(render_progress_report_bytes(report, lists=lists, printed_on=AS_OF))
    first = re.sub(r"\s+", "", pages[0])
    assert "工作进度报告" in first and "全村合计" in first and "参保率" in first and "各村民小组参保率" in first
    assert report.total[Measure.ENROLMENT].rate_text in first
    everything = "\n".join(pages)
    assert not FULL_ID.search(everything)
    assert "催缴名单" in re.sub(r"\s+", "", everything)
    count = render_progress_report(report, tmp_path / "short.pdf", lists=lists, printed_on=AS_OF, max_list_rows=5)
    short = "".join(_pages((tmp_path / "short.pdf").read_bytes()))
    assert count < len(pages) and "完整名单见同日导出的Excel" in re.sub(r"\s+", "", short)


def test_progress_xlsx_can_be_merged(db: Database, tmp_path: Path) -> None:
    with db.session() as s:
        report = progress_report(s, as_of=AS_OF)
        lists = {m.value: progress_list(s, m, as_of=AS_OF) for m in Measure}
    path = write_progress_xlsx(report, tmp_path / "progress.xlsx", lists=lists)
    wb = load_workbook(path)
    assert wb.sheetnames == [SUMMARY_SHEET, *LIST_SHEETS.values()]
    rows = list(wb[SUMMARY_SHEET].iter_rows(values_only=True))
    assert rows[0] == SUMMARY_COLUMNS
    assert [r[3] for r in rows[1:]] == [g.name for g in report.groups] + ["合计"]
    total = rows[-1]
    assert (total[5], total[6]) == (
        report.total[Measure.ENROLMENT].denominator,
        report.total[Measure.ENROLMENT].numerator,
    )
    assert float(total[7]) == float(report.total[Measure.ENROLMENT].rate or 0)
    assert not wb[SUMMARY_SHEET].merged_cells.ranges
    unpaid = list(wb["催缴名单"].iter_rows(values_only=True))
    assert len(unpaid) - 1 == report.total[Measure.PAYMENT].missing
    cell = wb["催缴名单"]["E2"]
    assert isinstance(cell.value, str) and len(cell.value) == 18 and cell.number_format == "@"
