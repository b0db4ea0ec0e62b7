"""``python -m pensiondesk`` runs the same command line as the installed ``pensiondesk`` script."""

from __future__ import annotations

import subprocess
import sys


def test_python_dash_m_runs_the_command_line() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "pensiondesk", "--help"], capture_output=True, text=True, encoding="utf-8", timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert "用法" in done.stdout
    assert "import" in done.stdout
