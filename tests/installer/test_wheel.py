"""A plain (non-editable) install works: the wheel carries the shipped folders and the installed copy uses them.

The wheel is built as ``pip install .`` builds it (``pip wheel --no-deps --no-build-isolation``, from a copy of the
working tree so the checkout gets no ``build/`` folder), installed with ``pip install --no-deps --target``, and run
in a child Python that sees the installed copy and the running virtualenv's dependencies but NOT the checkout's
``src/`` (no ``site`` processing, so the editable install's ``.pth`` is not read) and none of the
``PENSIONDESK_RESOURCES`` / ``_MIGRATIONS`` / ``_FORMS_TEMPLATES`` overrides. There it finds its own folders and
manual, makes a demo village (the Alembic migrations run from the installed copy), prints a notice PDF that is parsed
back, and upgrades a county database with the county server's own packaged migrations. The sdist is checked to
rebuild into the same wheel.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import tarfile
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
#: What a build of the working tree must not copy: version control, virtualenvs, caches, earlier build output.
NOT_SOURCE = shutil.ignore_patterns(
    ".git", ".venv", "venv", "build", "dist", "*.egg-info", "__pycache__", "*.py[cod]", ".*_cache", ".hypothesis"
)
#: Variables that would point the installed copy at the checkout's folders instead of its own.
OVERRIDES = ("PENSIONDESK_RESOURCES", "PENSIONDESK_MIGRATIONS", "PENSIONDESK_FORMS_TEMPLATES", "PENSIONDESK_DB")
TIMEOUT = 300  # a busy two-core CI machine

pytestmark = pytest.mark.slow


def _ok(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, f"exit {result.returncode}\nstdout:\n{result.stdout}\nstderr:\n{result.stderr}"
    assert "Traceback" not in result.stderr, result.stderr
    return result.stdout


def _run(
    args: list[str], cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        args, cwd=cwd, env=env, capture_output=True, text=True, encoding="utf-8", errors="replace", timeout=TIMEOUT
    )


def _pip_wheel(source: Path, out: Path) -> Path:
    """Build the wheel of ``source`` (a project folder or an sdist) into ``out`` with the running venv's setuptools."""
    out.mkdir()
    pip = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-w", str(out)]
    _ok(_run([*pip, str(source)]))
    (wheel,) = out.glob("pensiondesk-*.whl")
    return wheel


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the working tree, as ``pip install .`` sees it."""
    copy = tmp_path_factory.mktemp("tree") / "pensiondesk"
    shutil.copytree(ROOT, copy, ignore=NOT_SOURCE)
    return copy


@pytest.fixture(scope="module")
def wheel(tree: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _pip_wheel(tree, tmp_path_factory.mktemp("wheel") / "out")


@pytest.fixture(scope="module")
def target(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel installed into a folder of its own (no dependencies: those come from the running venv)."""
    folder = tmp_path_factory.mktemp("installed")
    pip = [sys.executable, "-m", "pip", "install", "--no-deps", "--no-index", "--target", str(folder), str(wheel)]
    _ok(_run(pip))
    return folder


def _wheel_names(wheel: Path) -> set[str]:
    with zipfile.ZipFile(wheel) as archive:
        return set(archive.namelist())


def _shipped(relative: str) -> list[str]:
    """The files of a top-level shipped folder of the checkout, relative to the repository root."""
    folder = ROOT / relative
    return sorted(
        path.relative_to(ROOT).as_posix()
        for path in folder.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and path.suffix not in {".pyc", ".pyo"}
    )


def test_wheel_carries_the_shipped_folders_inside_the_package(wheel: Path) -> None:
    names = _wheel_names(wheel)
    for required in (
        "pensiondesk/_data/resources/fonts/wqy-microhei.ttc",
        "pensiondesk/_data/resources/policy/national-default.json",
        "pensiondesk/_data/migrations/env.py",
        "pensiondesk/_data/migrations/script.py.mako",
        "pensiondesk/_data/forms_templates/receipt.toml",
        "pensiondesk/_data/docs/manual.zh.md",
        "pensiondesk/county/migrations/env.py",
        "pensiondesk/county/migrations/alembic.ini",
        "pensiondesk/county/migrations/script.py.mako",
    ):
        assert required in names, f"{required} is not in {wheel.name}"
    # Every file of the shipped folders, not just the ones named above (new revisions, templates, translations).
    for folder in ("resources", "forms_templates", "migrations", "docs"):
        files = _shipped(folder)
        assert files, folder
        missing = [name for name in files if f"pensiondesk/_data/{name}" not in names]
        assert not missing, f"not in the wheel: {missing}"
    county_revisions = _shipped("src/pensiondesk/county/migrations/versions")
    assert county_revisions
    assert all(name.removeprefix("src/") in names for name in county_revisions)
    assert not [name for name in names if "__pycache__" in name or name.endswith(".pyc")]


def test_sdist_rebuilds_into_the_same_wheel(tree: Path, wheel: Path, tmp_path: Path) -> None:
    """``python -m build`` builds the wheel from the sdist: MANIFEST.in must carry the folders setup.py copies."""
    out = tmp_path / "sdist"
    build_sdist = f"from setuptools import build_meta; print(build_meta.build_sdist({str(out)!r}))"
    out.mkdir()
    name = _ok(_run([sys.executable, "-c", build_sdist], cwd=tree)).strip().splitlines()[-1]
    sdist = out / name
    with tarfile.open(sdist) as archive:
        members = archive.getnames()
    shipped = ("resources/fonts/wqy-microhei.ttc", "migrations/env.py", "forms_templates/receipt.toml")
    for required in ("setup.py", "MANIFEST.in", *shipped):
        assert any(member.endswith(f"/{required}") for member in members), f"{required} is not in {sdist.name}"
    rebuilt = _pip_wheel(sdist, tmp_path / "rebuilt")
    assert _wheel_names(rebuilt) == _wheel_names(wheel)


def _installed_python(target: Path, home: Path, code: str, *args: str) -> subprocess.CompletedProcess[str]:
    """Run ``code`` in a Python that imports pensiondesk from ``target`` and its dependencies from this venv only.

    ``-S`` skips ``site``: the editable install's ``.pth`` (which puts the checkout's ``src/`` on the path) is never
    read; the venv's site-packages are given by hand, after ``target``.
    """
    paths = dict.fromkeys([str(target), sysconfig.get_path("purelib"), sysconfig.get_path("platlib")])
    env = {key: value for key, value in os.environ.items() if key not in OVERRIDES}
    env.update(
        PYTHONPATH=os.pathsep.join(paths),
        PENSIONDESK_HOME=str(home),
        QT_QPA_PLATFORM="offscreen",
        PYTHONIOENCODING="utf-8",
        # The demo database's login (用户 demo 密码 demo) for a program whose databases have users; ignored otherwise.
        PENSIONDESK_USER="demo",
        PENSIONDESK_PASSWORD="demo",
    )
    return _run([sys.executable, "-S", "-c", code, *args], cwd=home, env=env)


CLI = "import sys\nfrom pensiondesk.cli import run\nsys.exit(run(sys.argv[1:]))"

WHERE = """
import json, sys
import pensiondesk
from pensiondesk.documents.base import forms_templates_dir
from pensiondesk.gui.main_window import manual_path
from pensiondesk.resources import resources_dir
from pensiondesk.store.migrate import head_revision, migrations_dir
print(json.dumps({
    "package": pensiondesk.__file__,
    "path": sys.path,
    "resources": str(resources_dir()),
    "migrations": str(migrations_dir()),
    "forms_templates": str(forms_templates_dir()),
    "head": head_revision(),
    "manual": str(manual_path()),
}))
"""

COUNTY = """
import sys
from sqlalchemy import inspect
from pensiondesk.county.store import MIGRATIONS_DIR, create_county_engine, upgrade_database
engine = create_county_engine("sqlite:///" + sys.argv[1])
upgrade_database(engine)
print(MIGRATIONS_DIR)
print(" ".join(sorted(inspect(engine).get_table_names())))
"""


@pytest.fixture()
def home(tmp_path: Path) -> Path:
    folder = tmp_path / "home"
    folder.mkdir()
    return folder


def test_installed_copy_uses_its_own_folders(target: Path, home: Path) -> None:
    from pensiondesk.store.migrate import head_revision

    where = json.loads(_ok(_installed_python(target, home, WHERE)))
    installed = target.resolve() / "pensiondesk"
    assert Path(where["package"]).resolve().is_relative_to(installed), where["package"]
    src = str(ROOT / "src")
    assert not [entry for entry in where["path"] if entry.startswith(src)], where["path"]
    for folder in ("resources", "migrations", "forms_templates"):
        assert Path(where[folder]) == installed / "_data" / folder
    assert Path(where["manual"]) == installed / "_data" / "docs" / "manual.zh.md"  # 帮助 → 使用手册 (F1)
    assert where["head"] == head_revision()  # the installed copy knows the checkout's newest revision


def test_installed_copy_makes_a_demo_village_and_prints_a_notice(target: Path, home: Path) -> None:
    pypdf = pytest.importorskip("pypdf")
    from pensiondesk.store.migrate import head_revision

    db = home / "village.sqlite"
    out = _ok(_installed_python(target, home, CLI, "--db", str(db), "demo", "--persons", "60"))
    assert "已生成演示村" in out
    info = _ok(_installed_python(target, home, CLI, "--db", str(db), "db", "info"))
    assert f"数据库版本：{head_revision()}" in info  # migrated by the installed copy's Alembic scripts
    assert "人数：60" in info
    pdf = home / "survival-notice.pdf"
    args = ("--db", str(db), "print", "notice", "--kind", "survival", "--out", str(pdf))
    _ok(_installed_python(target, home, CLI, *args))
    reader = pypdf.PdfReader(pdf)
    assert len(reader.pages) >= 1
    assert "认证结果公示" in reader.pages[0].extract_text()  # the shipped Chinese font, embedded and readable
    announcement = home / "collection.pdf"
    args = ("--db", str(db), "print", "announcement", "--kind", "collection", "--out", str(announcement))
    _ok(_installed_python(target, home, CLI, *args))  # reads forms_templates/announcements/collection.toml
    assert len(pypdf.PdfReader(announcement).pages) >= 1


def test_installed_county_server_migrates_its_database(target: Path, home: Path) -> None:
    pytest.importorskip("fastapi")  # the county extra
    lines = _ok(_installed_python(target, home, COUNTY, str(home / "county.sqlite"))).splitlines()
    assert Path(lines[0]).resolve().is_relative_to(target.resolve()), lines[0]
    tables = lines[1].split()
    assert "alembic_version" in tables
    assert len(tables) > 1
