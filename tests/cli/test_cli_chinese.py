"""The command line answers in Chinese, argparse's own words included (headings, usage errors)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = shutil.which("pensiondesk", path=str(Path(sys.executable).parent)) or "pensiondesk"
ENGLISH = ("positional arguments", "options:", "show this help", "usage:", "error:", "invalid choice", "required")


def run(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PENSIONDESK_HOME": str(home), "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run([SCRIPT, *args], capture_output=True, text=True, env=env, timeout=120, check=False)


@pytest.mark.parametrize(
    ("args", "code", "words"),
    [
        (("--help",), 0, "显示本帮助并退出"),
        (("export", "roster", "--help"), 0, "显示本帮助并退出"),
        (("--bogus",), 2, "不认识的参数：--bogus"),
        (("export", "roster"), 2, "缺少以下参数：--out"),
        (("export", "roster", "--out", "a.xlsx", "--list", "xx"), 2, "无效的选项：'xx'"),
    ],
    ids=["help", "sub-help", "unknown", "missing", "choice"],
)
def test_help_and_usage_errors_are_chinese(tmp_path: Path, args: tuple[str, ...], code: int, words: str) -> None:
    done = run(*args, home=tmp_path)
    text = done.stdout + done.stderr
    assert done.returncode == code, text
    assert words in text
    assert not [w for w in ENGLISH if w in text], text
    assert re.search(r"用法：", text)
