"""Build step of PensionDesk: a wheel carries the top-level shipped folders inside the package.

``resources/`` (fonts, policy packs, translations), ``forms_templates/`` (printable layouts), ``migrations/``
(the desktop database's Alembic scripts) and ``docs/`` (the manual that 帮助 → 使用手册 opens, with its pictures)
live at the repository root, outside ``src/pensiondesk``, so setuptools would leave them out of a wheel.
``build_py`` copies them to ``pensiondesk/_data/<folder>`` in the build tree, where
``pensiondesk.resources.shipped_dir_candidates`` looks for them (and the manual is found beside ``resources/``).
Everything else is configured in ``pyproject.toml``; the sdist carries the folders through ``MANIFEST.in``.

Editable installs (``pip install -e .``) copy nothing: the program finds the folders in the checkout itself.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
#: The top-level folders shipped inside the package, and where (``pensiondesk.resources.PACKAGE_DATA_DIR``).
SHIPPED_FOLDERS = ("resources", "forms_templates", "migrations", "docs")
PACKAGE_DATA = Path("pensiondesk", "_data")
IGNORED = shutil.ignore_patterns("__pycache__", "*.pyc", "*.pyo")


class BuildPyWithShippedFolders(build_py):
    """``build_py`` that also copies the shipped folders into ``<build_lib>/pensiondesk/_data/``."""

    def run(self) -> None:
        super().run()
        if self.editable_mode:
            return
        target = Path(self.build_lib) / PACKAGE_DATA
        for name in SHIPPED_FOLDERS:
            source = ROOT / name
            if not source.is_dir():
                raise SystemExit(f"setup.py: {source} is missing; it must be shipped inside the package")
            shutil.rmtree(target / name, ignore_errors=True)  # a rebuild must not keep deleted files
            shutil.copytree(source, target / name, ignore=IGNORED)


setup(cmdclass={"build_py": BuildPyWithShippedFolders})
