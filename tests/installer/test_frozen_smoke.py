"""Smoke test of the frozen program (installer/pensiondesk.spec, built by installer/build.py).

Runs the one-folder build, not the source: ``dist/PensionDesk/pensiondesk`` (Linux; ``pensiondesk-cli.exe`` on
Windows) or the program (or folder) named by ``$PENSIONDESK_FROZEN``. Without a build the tests are skipped;
with ``$PENSIONDESK_FROZEN`` set they fail instead, so CI cannot pass by not building.

Each run gets its own data directory (``PENSIONDESK_HOME``) and no ``PENSIONDESK_RESOURCES`` /
``PENSIONDESK_MIGRATIONS`` / ``PENSIONDESK_FORMS_TEMPLATES``: the bundle must find its own font, policy pack,
printable layouts and Alembic migrations. The GUI is started offscreen and must still be running, without a
traceback, after ten seconds.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from pensiondesk import __version__

ROOT = Path(__file__).resolve().parents[2]
FROZEN_ENV_VAR = "PENSIONDESK_FROZEN"
DEFAULT_BUILD = ROOT / "dist" / "PensionDesk"
PROGRAM_NAMES = ("pensiondesk-cli.exe", "pensiondesk.exe") if sys.platform == "win32" else ("pensiondesk",)
#: Variables that would point the program at the checkout's files instead of the bundle's.
OVERRIDES = ("PENSIONDESK_RESOURCES", "PENSIONDESK_MIGRATIONS", "PENSIONDESK_FORMS_TEMPLATES", "PENSIONDESK_DB")
GUI_SECONDS = 10.0
COMMAND_TIMEOUT = 300  # a cold start on a busy two-core CI machine


def _find_program() -> Path | None:
    given = os.environ.get(FROZEN_ENV_VAR)
    base = Path(given).absolute() if given else DEFAULT_BUILD  # the tests run it from another folder
    if base.is_file():
        return base
    for name in PROGRAM_NAMES:
        if (base / name).is_file():
            return base / name
    return None


PROGRAM = _find_program()

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        PROGRAM is None and not os.environ.get(FROZEN_ENV_VAR),
        reason=f"no frozen build in {DEFAULT_BUILD}: run `python installer/build.py` (or set {FROZEN_ENV_VAR})",
    ),
]


@pytest.fixture(scope="module")
def program() -> Path:
    if PROGRAM is None:
        pytest.fail(f"{FROZEN_ENV_VAR}={os.environ.get(FROZEN_ENV_VAR)} names no frozen PensionDesk program")
    return PROGRAM


def _env(home: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in OVERRIDES}
    env.update(PENSIONDESK_HOME=str(home), QT_QPA_PLATFORM="offscreen", PYTHONIOENCODING="utf-8")
    # The demo database is encrypted and needs a login (the README's demo/demo): the bundle must carry SQLCipher and
    # argon2 to open it, and the GUI goes straight to the main window instead of waiting in its login window.
    env.update(PENSIONDESK_USER="demo", PENSIONDESK_PASSWORD="demo")
    return env


def run(program: Path, home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run the frozen program in ``home`` (its data directory and working directory); never raises on failure."""
    return subprocess.run(
        [str(program), *args],
        cwd=home,
        env=_env(home),
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        timeout=COMMAND_TIMEOUT,
    )


def ok(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, f"exit {result.returncode}\nstdout:\n{result.stdout}\nstderr:\n{result.stderr}"
    assert "Traceback" not in result.stderr, result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("frozen-home")


@pytest.fixture(scope="module")
def demo_db(program: Path, home: Path) -> Path:
    """A 200-person demo village made by the frozen program (which runs the bundled migrations)."""
    path = home / "demo-village.sqlite"
    out = ok(run(program, home, "--db", str(path), "demo", "--persons", "200"))
    assert "已生成演示村" in out
    assert path.is_file()
    return path


def _fonts(page) -> Iterator[tuple[str, object]]:  # type: ignore[no-untyped-def]
    """``(BaseFont, FontDescriptor)`` of every font on a pypdf page (descendant fonts for Type0)."""
    for font in page["/Resources"]["/Font"].values():
        font = font.get_object()
        descriptor = font.get("/FontDescriptor")
        if descriptor is None and "/DescendantFonts" in font:
            descriptor = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
        yield str(font.get("/BaseFont")), descriptor.get_object() if descriptor is not None else None


def test_version(program: Path, home: Path) -> None:
    assert ok(run(program, home, "--version")).strip() == f"PensionDesk {__version__}"


def test_demo_database_is_migrated_to_head(program: Path, home: Path, demo_db: Path) -> None:
    from pensiondesk.store.migrate import head_revision

    out = ok(run(program, home, "--db", str(demo_db), "db", "info"))
    assert f"数据库版本：{head_revision()}" in out  # the bundle carries the checkout's migrations
    assert "人数：200" in out


def test_the_encrypted_demo_needs_its_login(program: Path, home: Path, demo_db: Path) -> None:
    """The bundle's SQLCipher encrypted the file (no plain SQLite header) and nobody gets in without a login."""
    assert not demo_db.read_bytes()[:16].startswith(b"SQLite format 3")
    env = {key: value for key, value in _env(home).items() if key not in ("PENSIONDESK_USER", "PENSIONDESK_PASSWORD")}
    refused = subprocess.run(
        [str(program), "--db", str(demo_db), "db", "info"],
        cwd=home,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        timeout=COMMAND_TIMEOUT,
        stdin=subprocess.DEVNULL,
    )
    assert refused.returncode == 3, refused.stderr
    assert "需要登录" in refused.stderr and "Traceback" not in refused.stderr


def test_notice_pdf_embeds_the_chinese_font(program: Path, home: Path, demo_db: Path) -> None:
    pypdf = pytest.importorskip("pypdf")
    pdf = home / "survival-notice.pdf"
    ok(run(program, home, "--db", str(demo_db), "print", "notice", "--kind", "survival", "--out", str(pdf)))
    reader = pypdf.PdfReader(pdf)
    assert len(reader.pages) >= 1
    fonts = list(_fonts(reader.pages[0]))
    assert fonts, "no fonts on the first page"
    for name, descriptor in fonts:
        assert "WenQuanYi" in name, f"unexpected font {name}"
        assert descriptor is not None and "/FontFile2" in descriptor, f"{name} is not embedded"
    assert "认证结果公示" in reader.pages[0].extract_text()


def test_announcement_uses_the_bundled_templates(program: Path, home: Path, demo_db: Path) -> None:
    pypdf = pytest.importorskip("pypdf")
    pdf = home / "collection.pdf"
    args = ("--db", str(demo_db), "print", "announcement", "--kind", "collection", "--out", str(pdf))
    ok(run(program, home, *args))
    assert len(pypdf.PdfReader(pdf).pages) >= 1


def test_gui_starts_offscreen_and_keeps_running(program: Path, tmp_path: Path) -> None:
    """``pensiondesk --demo`` (the Start-menu demo shortcut): makes the demo database, opens the window, and makes
    the day's backup five seconds later on its event loop; after ten seconds it is still running, no traceback."""
    home = tmp_path / "gui-home"
    home.mkdir()
    stdout_path, stderr_path = tmp_path / "gui.out", tmp_path / "gui.err"
    with stdout_path.open("wb") as stdout, stderr_path.open("wb") as stderr:
        process = subprocess.Popen(
            [str(program), "--demo", "--persons", "200"], cwd=home, env=_env(home), stdout=stdout, stderr=stderr
        )
        try:
            started = time.monotonic()
            backups = home / "backups"
            # The window is up and its event loop running once the daily backup appears (5 s after showing).
            while time.monotonic() - started < COMMAND_TIMEOUT and process.poll() is None:
                if list(backups.glob("demo-daily-*.sqlite")):
                    break
                time.sleep(0.5)
            remaining = GUI_SECONDS - (time.monotonic() - started)
            if remaining > 0:
                time.sleep(remaining)
            exit_code = process.poll()
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
    errors = stderr_path.read_text(encoding="utf-8", errors="replace")
    assert exit_code is None, f"the GUI exited with {exit_code}; stderr:\n{errors}"
    assert "Traceback" not in errors, errors
    assert "内部错误" not in errors, errors
    assert "Could not load the Qt platform plugin" not in errors, errors
    assert (home / "demo.sqlite").is_file()
    assert list((home / "backups").glob("demo-daily-*.sqlite")), f"no daily backup: did the window open?\n{errors}"
    error_log = home / "logs" / "pensiondesk-errors.log"
    assert not error_log.exists(), error_log.read_text(encoding="utf-8", errors="replace")
