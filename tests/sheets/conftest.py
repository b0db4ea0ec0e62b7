"""Fixtures for the spreadsheet tests: the messy roster in every format, written once per session.

``make_fixtures.py`` beside this file builds the files; pytest runs with ``--import-mode=importlib``, so this
folder is put on ``sys.path`` for it to be imported by name (tests/services/test_roster_import.py does the same).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

_HERE = Path(__file__).resolve().parent
if str(_HERE) not in sys.path:
    sys.path.insert(0, str(_HERE))

import make_fixtures as mf  # noqa: E402


@pytest.fixture(scope="session")
def messy_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The messy roster as .xlsx, .xls, .ods and .csv (GBK, UTF-8 with BOM)."""
    return mf.write_all(mf.messy_roster(mf.SAMPLE_SAME, mf.SAMPLE_RENAMED), tmp_path_factory.mktemp("messy"))
