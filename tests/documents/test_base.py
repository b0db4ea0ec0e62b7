"""The shared printing base (documents/base.py): embedded font, CJK wrapping, page x of y, two-up sheets."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4, landscape
from reportlab.platypus import Paragraph

from pensiondesk.documents.base import (
    A4_LANDSCAPE_TWO_UP,
    A4_PORTRAIT,
    FONT_NAME,
    PageFooter,
    SignatureBlock,
    TitleBlock,
    build_document,
    chinese_date,
    data_table,
    document_styles,
    register_fonts,
    split_cjk_lines,
    unsupported_characters,
)

PRINTED = date(2026, 11, 23)
PARAGRAPH = "根据上级有关文件精神，现将本村2027年度城乡居民基本养老保险费征缴工作有关事项通知如下：" * 3


def _story(paragraphs: int, body_size: float = 16) -> list:
    styles = document_styles(body_size)
    story: list = [TitleBlock("关于开展2027年度城乡居民\n基本养老保险费征缴工作的通知", styles)]
    story += [Paragraph(PARAGRAPH, styles.body) for _ in range(paragraphs)]
    story.append(data_table(["缴费档次", "政府补贴"], [["100", "30"], ["500", "60"]], styles, 300))
    story.append(SignatureBlock(committee="红旗村村民委员会", date_text=chinese_date(PRINTED), styles=styles))
    return story


def _pdf(story: list, setup=A4_PORTRAIT) -> tuple[bytes, int]:
    buffer = io.BytesIO()
    pages = build_document(buffer, story, setup, PageFooter(PRINTED, "红旗村村民委员会"), title="测试")
    return buffer.getvalue(), pages


def test_font_is_registered_once_and_covers_what_notices_print() -> None:
    assert register_fonts() == FONT_NAME == register_fonts()
    assert unsupported_characters("红旗村缴费档次￥200.00元（第1页）：、。“”《》ABC xyz") == []
    # A character outside the font (an emoji) is reported, once, before it would print as a box.
    assert unsupported_characters("张三😀李四😀") == ["😀"]


def test_footer_says_page_x_of_y_on_every_page(tmp_path: Path) -> None:
    data, pages = _pdf(_story(paragraphs=14))
    reader = PdfReader(io.BytesIO(data))
    assert pages == len(reader.pages) >= 2
    for number, page in enumerate(reader.pages, start=1):
        text = page.extract_text()
        assert f"第 {number} 页 共 {pages} 页" in text
        assert "打印日期：2026-11-23" in text
        assert "红旗村村民委员会" in text
        assert [round(v) for v in page.mediabox] == [0, 0, round(A4[0]), round(A4[1])]
    last = reader.pages[-1].extract_text()
    assert "经办人：" in last and "红旗村村民委员会（盖章）" in last and "2026年11月23日" in last
    assert reader.metadata is not None and reader.metadata.title == "测试"


def test_every_font_is_embedded(tmp_path: Path) -> None:
    data, _ = _pdf(_story(paragraphs=3))
    reader = PdfReader(io.BytesIO(data))
    fonts = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            fonts[font["/BaseFont"]] = font
    assert fonts, "the page uses a font"
    for name, font in fonts.items():
        descriptor = font.get("/FontDescriptor")
        assert descriptor is not None and "/FontFile2" in descriptor, f"{name} is not embedded"
    if shutil.which("pdffonts"):
        path = tmp_path / "fonts.pdf"
        path.write_bytes(data)
        listing = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
        rows = listing.splitlines()[2:]
        assert rows and all(re.search(r"\byes\s+yes\s+yes\b", row) for row in rows), listing
        assert "Helvetica" not in listing


def test_two_up_prints_each_page_twice_on_a4_landscape() -> None:
    data, pages = _pdf(_story(paragraphs=2, body_size=10.5), A4_LANDSCAPE_TWO_UP)
    reader = PdfReader(io.BytesIO(data))
    assert pages == len(reader.pages) == 1
    page = reader.pages[0]
    assert [round(v) for v in page.mediabox] == [0, 0, round(landscape(A4)[0]), round(landscape(A4)[1])]
    text = page.extract_text()
    # The two copies are one form drawn twice: everything, footer included, is there two times.
    assert text.count("基本养老保险费征缴工作的通知") == 2
    assert text.count("第 1 页 共 1 页") == 2
    assert "沿 虚 线 剪 开" in text
    # Each copy is laid out on an A5 portrait half.
    assert A4_LANDSCAPE_TWO_UP.content_size == pytest.approx((landscape(A4)[0] / 2, landscape(A4)[1]))


def test_chinese_punctuation_never_starts_a_line() -> None:
    styles = document_styles(16)
    for width in range(200, 470, 7):
        paragraph = Paragraph(
            "年老体弱、行动不便或长期卧床的人员，由村协办员按下表上门认证。请家属届时在家等候，并准备好本人身份证或社会保障卡：",
            styles.body,
        )
        paragraph.wrap(width, 1000)
        for line in paragraph.blPara.lines[1:]:
            text = "".join(line[1]) if isinstance(line, tuple) else "".join(w.text for w in line.words)
            assert text[:1] not in "，。、；：？！）》”", (width, text)


def test_title_lines_keep_written_breaks_and_numbers_whole() -> None:
    lines = split_cjk_lines("关于开展2027年度城乡居民基本养老保险费征缴工作的通知", 300, 28)
    assert len(lines) >= 2
    assert any("2027" in line for line in lines), "a year is never broken across lines"
    assert max(map(len, lines)) - min(map(len, lines)) <= 3, "balanced, not one word left on the last line"
    assert not any(line[0] in "，。、：" for line in lines)
    title = TitleBlock("第一行\n第二行", document_styles(16))
    title.wrap(400, 800)
    assert title._lines == ["第一行", "第二行"]


def test_a_county_copy_in_the_data_folder_is_used_and_the_variable_still_wins(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Templates a county adapted live in the data folder, which an upgrade of the program never replaces."""
    from pensiondesk.documents.base import FORMS_TEMPLATES_ENV_VAR, forms_templates_dir

    home = tmp_path / "home"
    monkeypatch.setenv("PENSIONDESK_HOME", str(home))
    monkeypatch.delenv(FORMS_TEMPLATES_ENV_VAR, raising=False)
    shipped = forms_templates_dir()
    assert (shipped / "announcements" / "collection.toml").is_file()  # nothing in the data folder yet
    shutil.copytree(shipped, home / "forms_templates")
    assert forms_templates_dir() == home / "forms_templates"
    elsewhere = tmp_path / "elsewhere"
    monkeypatch.setenv(FORMS_TEMPLATES_ENV_VAR, str(elsewhere))
    assert forms_templates_dir() == elsewhere
