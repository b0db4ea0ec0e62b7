"""Build PensionDesk into ``dist/PensionDesk/`` (PyInstaller, one folder), and on Windows optionally the installer.

Run it with the Python of the project's virtualenv, from anywhere::

    .venv/bin/python installer/build.py                 # Linux (CI)
    .venv\\Scripts\\python installer\\build.py --installer   # Windows: also dist\\installer\\PensionDesk-Setup-<v>.exe

Steps: make sure PyInstaller is installed (the ``installer`` extra of ``pyproject.toml``; installed with pip when
missing or outside the pinned range), run ``installer/pensiondesk.spec``, check that the frozen program starts
(``--version``), print the time taken and the size of the folder. ``--installer`` then compiles
``installer/pensiondesk.iss`` with Inno Setup 6's ``ISCC.exe`` (found on PATH or in its usual folders, or
``--iscc PATH``). docs/installing.md explains the whole procedure.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
import tomllib
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "installer" / "pensiondesk.spec"
ISS = ROOT / "installer" / "pensiondesk.iss"
DIST = ROOT / "dist"
WORK = ROOT / "build" / "pyinstaller"
APP_DIR = DIST / "PensionDesk"
WINDOWS = sys.platform == "win32"
#: The console program of the build (the one that prints): see installer/pensiondesk.spec.
CLI_EXE = APP_DIR / ("pensiondesk-cli.exe" if WINDOWS else "pensiondesk")


def installer_requirement() -> str:
    """The PyInstaller requirement of the ``installer`` extra in pyproject.toml (the single place it is pinned)."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    for requirement in project["optional-dependencies"]["installer"]:
        if requirement.lower().startswith("pyinstaller"):
            return str(requirement)
    raise SystemExit("pyproject.toml: the installer extra does not name pyinstaller")


def pyinstaller_ok(requirement: str) -> bool:
    """PyInstaller is installed in this Python at a version the requirement allows."""
    try:
        installed = metadata.version("pyinstaller")
    except metadata.PackageNotFoundError:
        return False
    try:
        from packaging.requirements import Requirement
    except ImportError:  # packaging comes with PyInstaller; without it, any installed version will do
        return True
    return Requirement(requirement).specifier.contains(installed, prereleases=True)


def ensure_pyinstaller(skip_install: bool) -> None:
    requirement = installer_requirement()
    if pyinstaller_ok(requirement):
        return
    if skip_install:
        raise SystemExit(f"PyInstaller ({requirement}) is not installed in {sys.executable}; drop --skip-install")
    print(f"Installing {requirement} into {sys.prefix} …", flush=True)
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", requirement], check=True)


def check_environment() -> None:
    """The build must run in a Python that has PensionDesk (this checkout) and its dependencies installed."""
    try:
        import pensiondesk  # noqa: F401 - only checking it is importable
    except ImportError:
        raise SystemExit(
            f"{sys.executable} cannot import pensiondesk: run this script with the project's virtualenv, "
            "after `pip install -e .` (see docs/installing.md)"
        ) from None


def folder_size(path: Path) -> int:
    return sum(item.stat().st_size for item in path.rglob("*") if item.is_file() and not item.is_symlink())


def run_pyinstaller(clean: bool) -> None:
    command = [
        sys.executable,
        "-m",
        "PyInstaller",
        "--noconfirm",
        "--log-level",
        "WARN",
        "--distpath",
        str(DIST),
        "--workpath",
        str(WORK),
        str(SPEC),
    ]
    if clean:
        command.insert(3, "--clean")
    print("Running:", " ".join(command), flush=True)
    subprocess.run(command, check=True, cwd=ROOT)


def check_frozen() -> str:
    """Start the frozen console program once; returns what ``--version`` printed."""
    if not CLI_EXE.is_file():
        raise SystemExit(f"the build did not produce {CLI_EXE}")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    result = subprocess.run(
        [str(CLI_EXE), "--version"], capture_output=True, text=True, encoding="utf-8", timeout=120, env=env
    )
    if result.returncode != 0:
        raise SystemExit(f"{CLI_EXE} --version failed ({result.returncode}):\n{result.stderr}")
    return result.stdout.strip()


def find_iscc(explicit: str | None) -> Path:
    if explicit:
        return Path(explicit)
    on_path = shutil.which("iscc") or shutil.which("ISCC")
    if on_path:
        return Path(on_path)
    roots = [os.environ.get(name) for name in ("ProgramFiles(x86)", "ProgramFiles", "LOCALAPPDATA")]
    for root in filter(None, roots):
        for sub in ("Inno Setup 6", r"Programs\Inno Setup 6"):
            candidate = Path(root) / sub / "ISCC.exe"
            if candidate.is_file():
                return candidate
    raise SystemExit("Inno Setup 6 (ISCC.exe) not found: install it (docs/installing.md) or pass --iscc PATH")


def build_installer(iscc: Path, version: str) -> None:
    command = [str(iscc), f"/DAppVersion={version}", str(ISS)]
    print("Running:", " ".join(command), flush=True)
    subprocess.run(command, check=True, cwd=ROOT)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build PensionDesk with PyInstaller (and the Windows installer).")
    parser.add_argument("--skip-install", action="store_true", help="do not pip-install PyInstaller when missing")
    parser.add_argument("--clean", action="store_true", help="empty PyInstaller's cache first (slower)")
    parser.add_argument("--installer", action="store_true", help="Windows: then compile installer/pensiondesk.iss")
    parser.add_argument("--iscc", metavar="PATH", help="Inno Setup's ISCC.exe (default: PATH, then usual folders)")
    args = parser.parse_args(argv)

    check_environment()
    ensure_pyinstaller(args.skip_install)
    from pensiondesk import __version__

    started = time.monotonic()
    run_pyinstaller(args.clean)
    elapsed = time.monotonic() - started
    version = check_frozen()
    size_mb = folder_size(APP_DIR) / 1024 / 1024
    print(f"Built {version} in {APP_DIR} — {size_mb:.0f} MB, {elapsed:.0f} s")

    if args.installer:
        if not WINDOWS:
            raise SystemExit("--installer needs Windows (Inno Setup); the one-folder build above is done")
        build_installer(find_iscc(args.iscc), __version__)
        print(f"Installer: {DIST / 'installer' / f'PensionDesk-Setup-{__version__}.exe'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
