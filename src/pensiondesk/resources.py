"""Locating shipped resources (资源文件: fonts, icons, translations, default policy packs).

The ``resources/`` directory lives at the repository root. It is found, in this order:

1. the directory named by the environment variable ``PENSIONDESK_RESOURCES`` (tests, unusual installs);
2. ``resources/`` inside a PyInstaller bundle (``sys._MEIPASS``);
3. ``resources/`` at the root of a source checkout or editable install (``Path(__file__).parents[2]``);
4. ``resources/`` next to the installed package (a wheel that ships it as package data).

This is the only module outside ``services``/``store`` that reads files for the domain: the domain itself
never does I/O and receives the text of a policy pack from here.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from pensiondesk.domain.policy import PolicyPack, parse_policy_pack

__all__ = ["DEFAULT_POLICY_PACK", "ENV_VAR", "load_default_policy_pack", "resource_path", "resources_dir"]

ENV_VAR = "PENSIONDESK_RESOURCES"
#: The national-minimum pack shipped with the program, relative to ``resources/``.
DEFAULT_POLICY_PACK = ("policy", "national-default.json")


def _candidates() -> list[Path]:
    candidates: list[Path] = []
    override = os.environ.get(ENV_VAR)
    if override:
        candidates.append(Path(override))
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        candidates.append(Path(bundle) / "resources")
    here = Path(__file__).resolve()
    candidates.append(here.parents[2] / "resources")
    candidates.append(here.parent / "resources")
    return candidates


def resources_dir() -> Path:
    """The ``resources/`` directory in use; ``FileNotFoundError`` naming every place looked at if none."""
    candidates = _candidates()
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    looked = "、".join(str(candidate) for candidate in candidates)
    raise FileNotFoundError(f"找不到程序的资源目录 resources（查找过：{looked}）；请重新安装本程序")


def resource_path(*parts: str) -> Path:
    """The path of a resource, e.g. ``resource_path("policy", "national-default.json")``.

    The file itself need not exist (callers may be about to check); only the resources directory must.
    """
    return resources_dir().joinpath(*parts)


def load_default_policy_pack() -> PolicyPack:
    """Read and validate the shipped national-minimum policy pack (全国最低标准默认策略包)."""
    path = resource_path(*DEFAULT_POLICY_PACK)
    return parse_policy_pack(path.read_text(encoding="utf-8"), source=str(path))
