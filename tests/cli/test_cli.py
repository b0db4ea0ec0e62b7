"""The ``pensiondesk`` command line, run as a user runs it: the installed console script, real database files."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest

from pensiondesk.services.accounts import log_in
from pensiondesk.store import cipher

SCRIPT = shutil.which("pensiondesk", path=str(Path(sys.executable).parent)) or "pensiondesk"


def run_cli(*args: str, home: Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PENSIONDESK_HOME": str(home), "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run(
        [SCRIPT, *args], capture_output=True, text=True, env=env, input=stdin, timeout=300, check=False
    )


def test_id_check_domain_vectors(tmp_path: Path) -> None:
    # domain.md §2: both valid examples, lower-case x, and the 15 → 18 conversion example.
    result = run_cli("id", "check", "11010519491231002X", "34052419800101001x", "370986890623212", home=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split("\t")[:4] == ["11010519491231002X", "有效", "出生日期 1949-12-31", "性别 女"]
    assert lines[1].split("\t")[:4] == ["34052419800101001X", "有效", "出生日期 1980-01-01", "性别 男"]
    assert lines[2].startswith("370986198906232123\t有效\t出生日期 1989-06-23")
    assert "15位" in lines[2]


def test_id_check_explains_invalid_and_exits_1(tmp_path: Path) -> None:
    # Last character changed from X to 5: refused for its check character, without offering one (domain.md §2).
    result = run_cli("id", "check", "11010519491231002X", "110105194912310025", "1101051949", home=tmp_path)
    assert result.returncode == 1
    out = result.stdout.splitlines()
    assert "有效" in out[0]
    assert out[1].startswith("110105194912310025\t无效\t") and "X" not in out[1] and "校验码" in out[1]
    assert out[2].startswith("1101051949\t无效\t") and "位" in out[2]
    assert "Traceback" not in result.stderr


def test_id_check_reads_stdin(tmp_path: Path) -> None:
    result = run_cli("id", "check", "-", home=tmp_path, stdin="11010519491231002X\n\n34052419800101001X\n")
    assert result.returncode == 0
    assert len(result.stdout.splitlines()) == 2


def test_id_check_does_not_load_qt_or_the_database_layer() -> None:
    # Subcommands never import Qt, so they start fast; id check needs no SQLAlchemy either.
    code = (
        "import sys, contextlib, io\n"
        "from pensiondesk.cli import run\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    assert run(['id', 'check', '11010519491231002X']) == 0\n"
        "heavy = [m for m in ('PySide6', 'sqlalchemy', 'reportlab') if m in sys.modules]\n"
        "assert not heavy, heavy\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


def test_demo_then_info_then_upgrade(tmp_path: Path) -> None:
    db = tmp_path / "village.sqlite"
    made = run_cli("--db", str(db), "demo", "--persons", "300", "--seed", "7", home=tmp_path)
    assert made.returncode == 0, made.stderr
    assert "300 人" in made.stdout

    assert db.read_bytes()[:16] != b"SQLite format 3\x00"  # the demo database is encrypted
    log_in(db, "demo", "demo")
    with closing(cipher.connect(db)) as conn:
        assert conn.execute("select count(*) from person").fetchone()[0] == 300
        heads = conn.execute("select count(*) from household where head_person_id is null").fetchone()[0]
        assert heads == 0

    info = run_cli("--db", str(db), "db", "info", home=tmp_path)
    assert info.returncode == 0, info.stderr
    assert "人数：300" in info.stdout
    assert "版本状态：最新" in info.stdout and "current" not in info.stdout
    assert "红旗村" in info.stdout

    upgraded = run_cli("--db", str(db), "db", "upgrade", home=tmp_path)
    assert upgraded.returncode == 0, upgraded.stderr
    assert "无需升级" in upgraded.stdout


def test_demo_refuses_a_database_with_people(tmp_path: Path) -> None:
    db = tmp_path / "village.sqlite"
    assert run_cli("--db", str(db), "demo", "--persons", "20", home=tmp_path).returncode == 0
    again = run_cli("--db", str(db), "demo", "--persons", "20", home=tmp_path)
    assert again.returncode == 2
    assert "已有 20 人" in again.stderr
    assert "Traceback" not in again.stderr
    log_in(db, "demo", "demo")
    with closing(cipher.connect(db)) as conn:
        assert conn.execute("select count(*) from person").fetchone()[0] == 20


def test_demo_is_deterministic(tmp_path: Path) -> None:
    rows = []
    for name in ("a.sqlite", "b.sqlite"):
        db = tmp_path / name
        assert run_cli("--db", str(db), "demo", "--persons", "150", "--seed", "3", home=tmp_path).returncode == 0
        log_in(db, "demo", "demo")
        with closing(cipher.connect(db)) as conn:
            rows.append(
                conn.execute("select id, name, id_number, birth_date, status from person order by id").fetchall()
            )
    assert rows[0] == rows[1]


def test_missing_database_is_a_clear_error(tmp_path: Path) -> None:
    result = run_cli("--db", str(tmp_path / "nowhere.sqlite"), "db", "info", home=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("错误：找不到数据库文件")
    assert "Traceback" not in result.stderr


def test_not_a_database_is_a_clear_error(tmp_path: Path) -> None:
    bogus = tmp_path / "notes.sqlite"
    bogus.write_text("这不是数据库", encoding="utf-8")
    result = run_cli("--db", str(bogus), "db", "info", home=tmp_path)
    assert result.returncode != 0
    assert result.stderr.startswith("错误：")
    assert "Traceback" not in result.stderr
    assert bogus.read_text(encoding="utf-8") == "这不是数据库"


@pytest.mark.parametrize("args", [["demo", "--persons", "0"], ["id"], ["frobnicate"]])
def test_bad_arguments_exit_2_without_traceback(tmp_path: Path, args: list[str]) -> None:
    result = run_cli(*args, home=tmp_path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr


def test_county_entry_point_prints_help(tmp_path: Path) -> None:
    county = shutil.which("pensiondesk-county", path=str(Path(sys.executable).parent)) or "pensiondesk-county"
    result = subprocess.run([county], capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0
    assert "县级服务端" in result.stdout


def test_a_reader_that_stops_early_is_not_an_error(tmp_path: Path) -> None:
    """``pensiondesk id check - < many | head -1``: the pipe closes early; no 内部错误, exit 141 like other tools."""
    many = "\n".join(["11010519491231002X"] * 50_000) + "\n"  # far more output than a pipe buffer holds
    env = {**os.environ, "PENSIONDESK_HOME": str(tmp_path)}
    proc = subprocess.Popen(
        [SCRIPT, "id", "check", "-"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    assert proc.stdin is not None and proc.stdout is not None and proc.stderr is not None
    proc.stdin.write(many.encode())
    proc.stdin.close()
    first = proc.stdout.readline().decode()
    proc.stdout.close()  # the reader goes away, like ``head -1``
    code = proc.wait(timeout=60)
    errors = proc.stderr.read().decode()
    assert first.startswith("11010519491231002X")
    assert "内部错误" not in errors and "Traceback" not in errors
    assert code == 141
