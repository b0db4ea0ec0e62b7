"""The money commands as a user runs them: the installed ``pensiondesk`` script on a real demo database — collect,
void, reprint, verify the receipt code, close the day, the unpaid list, the estimator, books and advances.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from contextlib import closing
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from pensiondesk.services.accounts import log_in
from pensiondesk.store import cipher

SCRIPT = shutil.which("pensiondesk", path=str(Path(sys.executable).parent)) or "pensiondesk"
OPERATOR = "wanghong"
OPERATOR_PASSWORD = "wanghong-2026"  # a coordinator the demo's administrator adds (see ``village``)


def run_cli(
    *args: str, home: Path, user: str = OPERATOR, password: str = OPERATOR_PASSWORD
) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PENSIONDESK_HOME": str(home),
        "PENSIONDESK_USER": user,
        "PENSIONDESK_PASSWORD": password,
        "QT_QPA_PLATFORM": "offscreen",
    }
    return subprocess.run([SCRIPT, *args], capture_output=True, text=True, env=env, timeout=300, check=False)


def ok(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result.stdout


def refused(result: subprocess.CompletedProcess[str], words: str) -> None:
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert result.stderr.startswith("错误：") and words in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


@pytest.fixture(scope="module")
def village(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, list[str]]:
    home = tmp_path_factory.mktemp("money-cli")
    db = home / "village.sqlite"
    ok(run_cli("--db", str(db), "demo", "--persons", "300", "--seed", "7", home=home))
    os.environ["PENSIONDESK_NEW_PASSWORD"] = OPERATOR_PASSWORD
    try:
        added = run_cli(
            "--db", str(db), "user", "add", OPERATOR, "--name", "王红", home=home, user="demo", password="demo"
        )
    finally:
        del os.environ["PENSIONDESK_NEW_PASSWORD"]
    assert "已添加用户 wanghong" in ok(added)
    young = date.today().replace(year=date.today().year - 58).isoformat()
    log_in(db, "demo", "demo")  # the demo database is encrypted
    with closing(cipher.connect(db)) as conn:
        ids = [
            row[0]
            for row in conn.execute(
                "select id_number from person where status = 'contributing' and birth_date > ? "
                "and id not in (select person_id from person_category) "
                # the demo's history has this year partly collected already: take persons still to pay
                "and id not in (select person_id from contribution where year = ?) order by id_number limit 4",
                (young, date.today().year),
            )
        ]
    assert len(ids) == 4
    return home, db, ids


def test_collect_void_reprint_verify_close(village: tuple[Path, Path, list[str]], tmp_path: Path) -> None:
    home, db, ids = village
    year = str(date.today().year)
    cli = ("--db", str(db))
    out = ok(
        run_cli(
            *cli, "receipt", "book", "add", "--series", "hq2026", "--start", "1", "--end", "20", "--open", home=home
        )
    )
    assert "已登记票据本：HQ2026-00000001 至 20" in out and "使用中" in out

    first = run_cli(*cli, "collect", "--id", ids[0], "--year", year, "--tier", "300", home=home)
    assert ok(first).strip() == "HQ2026-00000001"
    assert "叁佰元整" in first.stderr and "记入个人账户 330.00 元" in first.stderr
    second = ok(
        run_cli(*cli, "collect", "--id", ids[1], "--year", year, "--tier", "500", "--payer", "张建国", home=home)
    )
    assert second.strip() == "HQ2026-00000002"
    refused(run_cli(*cli, "collect", "--id", ids[1], "--year", year, "--tier", "300", home=home), "已缴费")
    refused(
        run_cli(*cli, "collect", "--id", ids[2], "--year", year, "--tier", "350", home=home), "没有 350 元这个缴费档次"
    )
    bank = ok(run_cli(*cli, "collect", "--id", ids[3], "--year", year, "--tier", "200", "--channel", "bank", home=home))
    assert "不开村级收据" in bank and "银行代收" in bank

    # The demo village has its own book (DEMO, the demo user's): a bare number must name its series.
    refused(run_cli(*cli, "receipt", "void", "2", "--reason", "档次写错", home=home), "请写明字轨")
    voided = ok(run_cli(*cli, "receipt", "void", "HQ2026-2", "--reason", "档次写错", home=home))
    assert "已作废：HQ2026-00000002" in voided and "退还缴费人 500.00 元" in voided

    receipt_pdf, reprint_pdf = tmp_path / "r.pdf", tmp_path / "r2.pdf"
    assert "已生成收据 HQ2026-00000001：" in ok(
        run_cli(*cli, "print", "receipt", "HQ2026-1", "--out", str(receipt_pdf), home=home)
    )
    assert "重打 第1次" in ok(run_cli(*cli, "print", "receipt", "hq2026-1", "--out", str(reprint_pdf), home=home))
    assert "【重打 第1次】" in pdf_text(reprint_pdf) and "【重打" not in pdf_text(receipt_pdf)
    refused(run_cli(*cli, "print", "receipt", "HQ2026-2", "--out", str(tmp_path / "v.pdf"), home=home), "不能打印")

    if shutil.which("pdftoppm") and shutil.which("zbarimg"):
        subprocess.run(["pdftoppm", "-r", "150", "-png", str(receipt_pdf), str(tmp_path / "page")], check=True)
        scanned = subprocess.run(
            ["zbarimg", "-q", "--raw", str(tmp_path / "page-1.png")], capture_output=True, text=True, check=False
        ).stdout.split()
        assert len(scanned) == 2
        verified = ok(run_cli(*cli, "receipt", "verify", scanned[0], home=home))
        assert verified.startswith("真：收据 HQ2026-00000001") and "实收 300.00 元" in verified
        forged = run_cli(*cli, "receipt", "verify", scanned[0].replace(":30000:30000:", ":30000:50000:"), home=home)
        assert forged.returncode == 1 and "无效" in forged.stdout

    preview = ok(run_cli(*cli, "close-day", home=home))
    assert "有效收据 1 张，合计 300.00 元；作废 1 张" in preview and "尚未日结" in preview
    refused(run_cli(*cli, "close-day", "--cash", "280", home=home), "少 20.00 元，请说明原因")
    handover = tmp_path / "h.pdf"
    closed = ok(
        run_cli(*cli, "close-day", "--cash", "280", "--note", "少收20元，次日补交", "--out", str(handover), home=home)
    )
    assert "已日结" in closed and "差额 -20.00 元" in closed
    assert "票款结报交款单" in pdf_text(handover) and "少收20元，次日补交" in pdf_text(handover)
    refused(run_cli(*cli, "collect", "--id", ids[2], "--year", year, "--tier", "300", home=home), "已日结")
    refused(run_cli(*cli, "receipt", "void", "HQ2026-1", "--reason", "x", home=home), "已日结")

    books = ok(run_cli(*cli, "receipt", "book", "list", home=home))
    assert "HQ2026\t1–20\twanghong\t使用中\t下一个 HQ2026-00000003" in books
    reconciled = run_cli(*cli, "receipt", "book", "reconcile", "HQ2026", home=home)
    assert reconciled.returncode == 0 and "对账相符" in reconciled.stdout and "未使用 18 张：3–20" in reconciled.stdout


def test_unpaid_estimate_calibration_and_advance(village: tuple[Path, Path, list[str]], tmp_path: Path) -> None:
    home, db, ids = village
    cli = ("--db", str(db))
    listed = run_cli(*cli, "unpaid", home=home)
    assert listed.returncode == 0 and "缴费率" in listed.stderr and ids[2] in listed.stdout
    assert "缴费率" in ok(run_cli(*cli, "unpaid", "--out", str(tmp_path / "u.pdf"), home=home))
    assert "未缴费人员名单" in pdf_text(tmp_path / "u.pdf")
    ok(run_cli(*cli, "unpaid", "--out", str(tmp_path / "u.xlsx"), "--group", "第一村民小组", home=home))
    assert (tmp_path / "u.xlsx").stat().st_size > 1000
    refused(run_cli(*cli, "unpaid", "--group", "第九十九组", home=home), "没有名为")

    # The worked example of tests/services/test_contributions.py: born 1971-01-15, asked on 2026-03-02, tier 300
    # → balance 1,762.20 元 at 60, pension 143 + 12.68 = 155.68 元/月.
    est = ok(
        run_cli(
            *cli,
            "estimate",
            "--birth-date",
            "1971-01-15",
            "--tiers",
            "300",
            "--date",
            "2026-03-02",
            "--out",
            str(tmp_path / "e.pdf"),
            home=home,
        )
    )
    assert "300 元\t300.00\t30.00\t0.00\t0.00\t330.00\t1,500.00\t1,762.20\t12.68\t155.68" in est
    assert "须补缴 10 年" in est
    assert "缴费档次测算表" in pdf_text(tmp_path / "e.pdf")
    refused(run_cli(*cli, "estimate", "--birth-date", "1971-01-15", "--tiers", "250", home=home), "不能选择")

    assert "水平 1.5 毫米" in ok(run_cli(*cli, "receipt", "calibrate", "--x", "1.5", "--y", "-2", home=home))
    ok(run_cli(*cli, "print", "receipt-test", "--out", str(tmp_path / "t.pdf"), home=home))
    assert "当前偏移：水平 1.5 毫米" in pdf_text(tmp_path / "t.pdf")

    refused(run_cli(*cli, "advance", "apply", "--id", ids[0], home=home), "未满 60 周岁")
    advances = ok(run_cli(*cli, "advance", "list", home=home))  # the demo's own advances, none for ids[0]
    assert ids[0] not in advances and "已批准" in advances


def test_errors_are_one_line(village: tuple[Path, Path, list[str]], tmp_path: Path) -> None:
    home, db, _ = village
    missing = run_cli("--db", str(tmp_path / "none.sqlite"), "close-day", home=home)
    assert missing.returncode == 2 and "找不到数据库文件" in missing.stderr
    bad_id = run_cli(
        "--db", str(db), "collect", "--id", "110105194912310025", "--year", "2026", "--tier", "300", home=home
    )
    refused(bad_id, "校验码错误")
    bad_amount = run_cli("--db", str(db), "collect", "--id", "1234", "--year", "2026", "--tier", "3.001", home=home)
    assert bad_amount.returncode == 2 and "小数超过两位" in bad_amount.stderr
