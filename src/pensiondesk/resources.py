"""Locating shipped resources (资源文件: fonts, icons, translations, default policy packs).

The folders shipped with the program — ``resources/``, ``forms_templates/`` and ``migrations/`` — live at the
repository root. :func:`shipped_dir_candidates` says where a copy of the program may keep one of them, in order:

1. inside a PyInstaller bundle (``sys._MEIPASS``);
2. inside the installed package, ``pensiondesk/_data/<folder>`` (a wheel: ``setup.py`` copies them there when it
   builds one; a checkout has no ``_data``, so this never shadows the checkout's own folders);
3. at the root of a source checkout or editable install (``Path(__file__).parents[2]``).

``resources/`` itself is found there, after the directory named by ``PENSIONDESK_RESOURCES`` (tests, unusual
installs). ``store.migrate.migrations_dir`` and ``documents.base.forms_templates_dir`` use the same candidates.

This is the only module outside ``services``/``store`` that reads files for the domain: the domain itself
never does I/O and receives the text of a policy pack from here.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from pensiondesk.domain.policy import PolicyPack, parse_policy_pack

__all__ = [
    "DEFAULT_POLICY_PACK",
    "ENV_VAR",
    "PACKAGE_DATA_DIR",
    "load_default_policy_pack",
    "resource_path",
    "resources_dir",
    "shipped_dir_candidates",
]

ENV_VAR = "PENSIONDESK_RESOURCES"
#: The national-minimum pack shipped with the program, relative to ``resources/``.
DEFAULT_POLICY_PACK = ("policy", "national-default.json")


#: The folder inside the installed package where a wheel carries the shipped folders (see ``setup.py``).
PACKAGE_DATA_DIR = "_data"


def shipped_dir_candidates(name: str) -> list[Path]:
    """Where this copy of the program may keep the shipped folder ``name`` (``"resources"``, ``"migrations"``…).

    In order: a PyInstaller bundle, the installed package's ``_data/`` (a wheel), the source checkout.
    """
    candidates: list[Path] = []
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        candidates.append(Path(bundle) / name)
    package = Path(__file__).resolve().parent
    candidates.append(package / PACKAGE_DATA_DIR / name)
    candidates.append(package.parents[1] / name)  # src/pensiondesk/ → the repository root
    return candidates


def _candidates() -> list[Path]:
    override = os.environ.get(ENV_VAR)
    return [*([Path(override)] if override else []), *shipped_dir_candidates("resources")]


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
