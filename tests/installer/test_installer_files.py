"""The installer's files agree with each other and with the program (fast; no build, no Windows needed).

The Inno Setup script cannot be compiled here, so its promises are checked as text: a stable AppId, a per-user
install, and an uninstaller that never deletes the user's data directory — the one ``cli.data_dir`` gives on
Windows, which is checked too.
"""

from __future__ import annotations

import ntpath
import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
INSTALLER = ROOT / "installer"
ISS = INSTALLER / "pensiondesk.iss"
SPEC = INSTALLER / "pensiondesk.spec"
APP_ID = "{{6A0640B0-A83A-40BC-8874-50FE112C4E8D}"  # never change: upgrades find the installed copy by it


def iss_text() -> str:
    return ISS.read_text(encoding="utf-8-sig")


def iss_section(name: str) -> list[str]:
    """The non-comment lines of one ``[Section]`` of the Inno Setup script."""
    lines: list[str] = []
    inside = False
    for line in iss_text().splitlines():
        stripped = line.strip()
        if stripped.startswith("[") and stripped.endswith("]"):
            inside = stripped == f"[{name}]"
            continue
        if inside and stripped and not stripped.startswith(";"):
            lines.append(stripped)
    return lines


def setup_value(key: str) -> str:
    for line in iss_section("Setup"):
        if line.split("=", 1)[0].strip() == key:
            return line.split("=", 1)[1].strip()
    raise AssertionError(f"[Setup] has no {key}")


def test_iss_is_utf8_with_bom() -> None:
    """Inno Setup reads a script without a byte-order mark in the ANSI code page: the Chinese would be garbled."""
    assert ISS.read_bytes().startswith(b"\xef\xbb\xbf")


def test_iss_installs_per_user_with_a_stable_app_id() -> None:
    assert setup_value("AppId") == APP_ID
    assert setup_value("PrivilegesRequired") == "lowest"
    assert setup_value("DefaultDirName") == r"{localappdata}\Programs\PensionDesk"


def test_uninstall_and_upgrade_only_delete_inside_the_program_folder() -> None:
    for section in ("UninstallDelete", "InstallDelete"):
        for line in iss_section(section):
            name = re.search(r'Name:\s*"([^"]+)"', line)
            assert name is not None, line
            assert name.group(1).startswith("{app}\\"), f"[{section}] deletes outside the program folder: {line}"
    assert not iss_section("UninstallRun")


def test_iss_installs_what_the_spec_builds() -> None:
    spec = SPEC.read_text(encoding="utf-8")
    windowed = re.search(r'program\("([^"]+)", console=False\)', spec)
    assert windowed is not None
    assert f'#define AppExe "{windowed.group(1)}.exe"' in iss_text()
    assert "name=APP_NAME" in spec and 'APP_NAME = "PensionDesk"' in spec
    assert r'#define BuildDir "..\dist\PensionDesk"' in iss_text()


def test_iss_data_dir_is_where_the_program_keeps_its_data(monkeypatch: pytest.MonkeyPatch) -> None:
    """``cli.data_dir()`` on Windows is ``%LOCALAPPDATA%\\PensionDesk``: the folder the installer leaves alone."""
    import platformdirs
    import platformdirs.windows

    from pensiondesk import cli

    local = r"C:\Users\cun\AppData\Local"
    monkeypatch.delenv("PENSIONDESK_HOME", raising=False)
    monkeypatch.setattr(platformdirs, "PlatformDirs", platformdirs.windows.Windows)
    monkeypatch.setattr(platformdirs.windows, "get_win_folder", lambda csidl: local)
    data = ntpath.normpath(str(cli.data_dir()).replace("/", "\\"))
    assert data == local + r"\PensionDesk"
    assert r"ExpandConstant('{localappdata}\PensionDesk')" in iss_text()
    program_dir = setup_value("DefaultDirName").replace("{localappdata}", local)
    assert not program_dir.startswith(data + "\\") and not data.startswith(program_dir + "\\")


def test_installer_extra_pins_pyinstaller() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    extra = project["optional-dependencies"]["installer"]
    assert any(re.fullmatch(r"pyinstaller>=6\.\d+,<7", requirement) for requirement in extra), extra


def test_spec_bundles_every_command_module() -> None:
    """The spec reads ``COMMAND_MODULES`` from cli.py's source; it must still be a literal it can read."""
    import ast

    from pensiondesk.cli import COMMAND_MODULES

    tree = ast.parse((ROOT / "src" / "pensiondesk" / "cli.py").read_text(encoding="utf-8"))
    literal = next(
        node.value
        for node in tree.body
        if isinstance(node, ast.AnnAssign)
        and isinstance(node.target, ast.Name)
        and node.target.id == "COMMAND_MODULES"
        and node.value is not None
    )
    assert tuple(ast.literal_eval(literal)) == COMMAND_MODULES
