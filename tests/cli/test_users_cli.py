"""``pensiondesk user …`` and ``--user``/``PENSIONDESK_PASSWORD`` as a user runs them: the console script."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pensiondesk.store.db import open_database

SCRIPT = shutil.which("pensiondesk", path=str(Path(sys.executable).parent)) or "pensiondesk"


def run_cli(*args: str, home: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "PENSIONDESK_HOME": str(home), "QT_QPA_PLATFORM": "offscreen", **env}
    for name in ("PENSIONDESK_NEW_PASSWORD", "PENSIONDESK_RECOVERY_KEY"):
        if name not in env:
            environment.pop(name, None)
    return subprocess.run(
        [SCRIPT, *args],
        capture_output=True,
        text=True,
        env=environment,
        timeout=300,
        check=False,
        stdin=subprocess.DEVNULL,
    )


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("users")
    path = home / "demo.sqlite"
    made = run_cli("--db", str(path), "demo", "--persons", "40", home=home)
    assert made.returncode == 0, made.stderr
    assert "用户名 demo，密码 demo" in made.stdout
    return path


def test_the_demo_needs_a_login_and_refuses_a_wrong_password(demo: Path) -> None:
    home = demo.parent
    assert demo.read_bytes()[:16] != b"SQLite format 3\x00"
    nobody = run_cli("--db", str(demo), "db", "info", home=home, PENSIONDESK_USER="", PENSIONDESK_PASSWORD="")
    assert nobody.returncode == 3 and "需要登录" in nobody.stderr and "--user" in nobody.stderr
    wrong = run_cli("--db", str(demo), "--user", "demo", "db", "info", home=home, PENSIONDESK_PASSWORD="dem0")
    assert wrong.returncode == 3 and "用户名或密码不对" in wrong.stderr and "Traceback" not in wrong.stderr
    right = run_cli("--db", str(demo), "--user", "demo", "db", "info", home=home, PENSIONDESK_PASSWORD="demo")
    assert right.returncode == 0 and "人数：40" in right.stdout


def test_users_are_managed_by_the_administrator_only(demo: Path, tmp_path: Path) -> None:
    db = tmp_path / "demo.sqlite"
    shutil.copyfile(demo, db)
    shutil.copyfile(demo.with_name("demo.sqlite.keys.json"), tmp_path / "demo.sqlite.keys.json")
    home = tmp_path
    listed = run_cli("--db", str(db), "user", "list", home=home)
    assert listed.returncode == 0, listed.stderr
    assert "demo\t演示管理员\t管理员\t在用" in listed.stdout and "reviewer\t演示复核员\t复核员\t在用" in listed.stdout

    refused = run_cli(
        "--db", str(db), "--user", "reviewer", "user", "add", "lihua", "--name", "李华", home=home,
        PENSIONDESK_PASSWORD="reviewer", PENSIONDESK_NEW_PASSWORD="Lihua-pass-2026",
    )  # fmt: skip
    assert refused.returncode == 2 and "只有管理员" in refused.stderr
    short = run_cli(
        "--db", str(db), "user", "add", "lihua", "--name", "李华", home=home, PENSIONDESK_NEW_PASSWORD="abc"
    )
    assert short.returncode == 2 and "密码太短" in short.stderr
    added = run_cli(
        "--db", str(db), "user", "add", "lihua", "--name", "李华", home=home, PENSIONDESK_NEW_PASSWORD="Lihua-pass-2026"
    )
    assert added.returncode == 0, added.stderr
    assert "已添加用户 lihua（李华，协办员）" in added.stdout

    as_lihua = {"PENSIONDESK_USER": "lihua", "PENSIONDESK_PASSWORD": "Lihua-pass-2026"}
    assert run_cli("--db", str(db), "db", "info", home=home, **as_lihua).returncode == 0
    assert run_cli("--db", str(db), "user", "disable", "lihua", home=home).returncode == 0
    disabled = run_cli("--db", str(db), "db", "info", home=home, **as_lihua)
    assert disabled.returncode == 3 and "已停用" in disabled.stderr
    assert run_cli("--db", str(db), "user", "enable", "lihua", home=home).returncode == 0

    changed = run_cli(
        "--db", str(db), "user", "passwd", home=home, **as_lihua, PENSIONDESK_NEW_PASSWORD="Lihua-new-2027"
    )
    assert changed.returncode == 0, changed.stderr
    assert "没有重新加密" in changed.stdout
    assert run_cli("--db", str(db), "db", "info", home=home, **as_lihua).returncode == 3
    renewed = {"PENSIONDESK_USER": "lihua", "PENSIONDESK_PASSWORD": "Lihua-new-2027"}
    assert "人数：40" in run_cli("--db", str(db), "db", "info", home=home, **renewed).stdout


def test_setup_prints_a_recovery_key_that_resets_a_forgotten_password(tmp_path: Path) -> None:
    db = tmp_path / "village.sqlite"
    open_database(db).close()  # a village database from before logins: plain, no users
    assert (
        run_cli("--db", str(db), "db", "info", home=tmp_path, PENSIONDESK_USER="", PENSIONDESK_PASSWORD="").returncode
        == 0
    )

    setup = run_cli(
        "--db", str(db), "user", "setup", "zhangming", "--name", "张明", home=tmp_path,
        PENSIONDESK_NEW_PASSWORD="Zhangming-2026",
    )  # fmt: skip
    assert setup.returncode == 0, setup.stderr
    match = re.search(r"\b([A-Z2-7]{5}(?:-[A-Z2-7]{5}){5})\b", setup.stdout)
    assert match is not None, setup.stdout
    assert db.read_bytes()[:16] != b"SQLite format 3\x00"

    wrong_key = run_cli(
        "--db", str(db), "user", "recover", "zhangming", home=tmp_path,
        PENSIONDESK_RECOVERY_KEY="AAAAA-BBBBB-CCCCC-DDDDD-EEEEE-FFFFF", PENSIONDESK_NEW_PASSWORD="Forgot-it-2027",
    )  # fmt: skip
    assert wrong_key.returncode == 3 and "恢复密钥不对" in wrong_key.stderr
    recovered = run_cli(
        "--db", str(db), "user", "recover", "zhangming", home=tmp_path,
        PENSIONDESK_RECOVERY_KEY=match.group(1).lower(), PENSIONDESK_NEW_PASSWORD="Forgot-it-2027",
    )  # fmt: skip
    assert recovered.returncode == 0, recovered.stderr
    old = run_cli(
        "--db", str(db), "--user", "zhangming", "db", "info", home=tmp_path, PENSIONDESK_PASSWORD="Zhangming-2026"
    )
    assert old.returncode == 3
    new = run_cli(
        "--db", str(db), "--user", "zhangming", "db", "info", home=tmp_path, PENSIONDESK_PASSWORD="Forgot-it-2027"
    )
    assert new.returncode == 0, new.stderr
    verified = run_cli(
        "--db", str(db), "--user", "zhangming", "audit", "verify", home=tmp_path, PENSIONDESK_PASSWORD="Forgot-it-2027"
    )
    assert verified.returncode == 0 and "审计记录完整：共 2 条" in verified.stdout  # user.create, user.password
