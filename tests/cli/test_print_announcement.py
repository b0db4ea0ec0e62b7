"""``pensiondesk print announcement``, run as a user runs it: the console script on a real demo database."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from pensiondesk.documents.base import FORMS_TEMPLATES_ENV_VAR, forms_templates_dir
from pensiondesk.services.accounts import log_in
from pensiondesk.store import cipher

SCRIPT = shutil.which("pensiondesk", path=str(Path(sys.executable).parent)) or "pensiondesk"


def run_cli(*args: str, home: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "PENSIONDESK_HOME": str(home), "QT_QPA_PLATFORM": "offscreen", **(env or {})}
    return subprocess.run([SCRIPT, *args], capture_output=True, text=True, env=environment, timeout=300, check=False)


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("home")
    path = home / "demo.sqlite"
    result = run_cli("--db", str(path), "demo", "--persons", "200", home=home)
    assert result.returncode == 0, result.stderr
    return path


@pytest.fixture
def db(demo_db: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "village.sqlite"
    shutil.copyfile(demo_db, copy)
    cipher.copy_key_file(demo_db, copy)  # the demo database is encrypted: its key file goes with it
    return copy


def printed_rows(db: Path) -> list[tuple[str, str, str, str]]:
    log_in(db, "demo", "demo")
    connection = cipher.connect(db)
    try:
        return connection.execute(
            "SELECT kind, layout, printed_on, created_by FROM announcement ORDER BY created_at"
        ).fetchall()
    finally:
        connection.close()


def flat_text(path: Path) -> str:
    return "".join(re.sub(r"\s+", "", page.extract_text()) for page in PdfReader(str(path)).pages)


@pytest.mark.parametrize("kind", ["collection", "certification", "letter", "meeting"])
def test_each_kind_prints_and_is_recorded(db: Path, tmp_path: Path, kind: str) -> None:
    out = tmp_path / f"{kind}.pdf"
    result = run_cli(
        "--db",
        str(db),
        "print",
        "announcement",
        "--kind",
        kind,
        "--date",
        "2026-11-23",
        "--out",
        str(out),
        home=tmp_path,
        env={"PENSIONDESK_USER": "reviewer", "PENSIONDESK_PASSWORD": "reviewer"},  # the demo's second user
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(out)
    assert "记入打印记录" in result.stderr
    reader = PdfReader(str(out))
    assert "第1页共" in flat_text(out) and len(reader.pages) >= 1
    assert "红旗村村民委员会（盖章）" in flat_text(out)
    assert printed_rows(db)[-1][0] == kind and printed_rows(db)[-1][2:] == ("2026-11-23", "reviewer")


def test_layout_and_year_can_be_chosen(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "leaflet.pdf"
    result = run_cli(
        "--db",
        str(db),
        "print",
        "announcement",
        "--kind",
        "collection",
        "--layout",
        "leaflet",
        "--year",
        "2028",
        "--date",
        "2027-11-02",
        "--out",
        str(out),
        home=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    page = PdfReader(str(out)).pages[0]
    assert float(page.mediabox.width) > float(page.mediabox.height)  # two A5 leaflets on A4 landscape
    assert flat_text(out).count("关于开展2028年度城乡居民基本养老保险费征缴工作的通知") >= 2
    assert printed_rows(db)[-1][:3] == ("collection", "leaflet", "2027-11-02")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--kind", "poster", "--out", "x.pdf"], "通知种类“poster”无效"),
        (["--kind", "meeting", "--layout", "A3", "--out", "x.pdf"], "版式“A3”无效"),
        (["--kind", "meeting", "--year", "27", "--out", "x.pdf"], "年度 27 不合理"),
        (["--kind", "meeting"], "请用 --out 指定"),
        (["--out", "x.pdf"], "请用 --kind 指定"),
        (["--kind", "meeting", "--out", "x.txt"], "应以 .pdf 结尾"),
        (["--kind", "meeting", "--out", "no/such/dir/x.pdf"], "不存在"),
    ],
)
def test_bad_input_is_explained_in_chinese(db: Path, tmp_path: Path, args: list[str], message: str) -> None:
    result = run_cli("--db", str(db), "print", "announcement", *args, home=tmp_path)
    assert result.returncode == 2
    assert message in result.stderr and "Traceback" not in result.stderr
    assert printed_rows(db) == []


def test_a_missing_database_is_explained(tmp_path: Path) -> None:
    result = run_cli(
        "--db",
        str(tmp_path / "none.sqlite"),
        "print",
        "announcement",
        "--kind",
        "meeting",
        "--out",
        "m.pdf",
        home=tmp_path,
    )
    assert result.returncode == 2 and "找不到数据库文件" in result.stderr


def test_a_broken_county_template_names_the_field_and_prints_nothing(db: Path, tmp_path: Path) -> None:
    county = tmp_path / "templates"
    shutil.copytree(forms_templates_dir(), county)
    template = county / "announcements" / "collection.toml"
    template.write_text(template.read_text(encoding="utf-8").replace("{bank}", "{bank_name}"), encoding="utf-8")
    out = tmp_path / "c.pdf"
    result = run_cli(
        "--db",
        str(db),
        "print",
        "announcement",
        "--kind",
        "collection",
        "--out",
        str(out),
        home=tmp_path,
        env={FORMS_TEMPLATES_ENV_VAR: str(county)},
    )
    assert result.returncode == 2
    assert "{bank_name}" in result.stderr and "collection.toml" in result.stderr
    assert not out.exists() and printed_rows(db) == []


def test_demo_database_is_made_when_missing(tmp_path: Path) -> None:
    out = tmp_path / "meeting.pdf"
    result = run_cli(
        "--demo", "--persons", "80", "print", "announcement", "--kind", "meeting", "--out", str(out), home=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "demo.sqlite").is_file() and out.is_file()
