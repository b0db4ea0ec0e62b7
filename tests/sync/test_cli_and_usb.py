"""The laptop's sync commands and the USB transfer, end to end against a real county server."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from pensiondesk.cli import run as laptop_cli
from pensiondesk.county.cli import run as county_cli
from pensiondesk.store.db import Database

from .conftest import CountyServer
from .work import contribute, expected_records, outbox_states, person_ids


def test_enroll_run_status_commands(
    server: CountyServer, laptop_factory: Callable[..., Database], capsys: pytest.CaptureFixture[str]
) -> None:
    village = server.add_village()
    db = laptop_factory("cli", village_code=village, persons=5)
    path = str(db.path)
    db.close()
    assert laptop_cli(["--db", path, "sync", "status"]) == 0
    assert "尚未登记" in capsys.readouterr().out
    assert laptop_cli(["--db", path, "sync", "enroll", "--server", server.url, "--code", "WRONG-CODE"]) == 2
    assert "登记码无效" in capsys.readouterr().err
    assert (
        laptop_cli(["--db", path, "sync", "enroll", "--server", server.url, "--code", server.enrol_code(village)]) == 0
    )
    assert laptop_cli(["--db", path, "sync", "run"]) == 0
    assert "同步完成" in capsys.readouterr().out
    assert laptop_cli(["--db", path, "sync", "status"]) == 0
    out = capsys.readouterr().out
    assert "县里已接收" in out and "待上传 0" in out
    server.stop()
    assert laptop_cli(["--db", path, "sync", "run"]) == 2
    err = capsys.readouterr().err
    assert "无法连接县级服务器" in err and "Traceback" not in err


def test_usb_transfer_with_tamper_and_replay_refused(
    server: CountyServer, laptop_factory: Callable[..., Database], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from .test_push_pull import enrolled

    db, _client, village = enrolled(server, laptop_factory, persons=5)
    contribute(db, person_ids(db, 1)[0])
    path = str(db.path)
    db.close()
    server.stop()  # no network: the stick is the only way
    batch, ack = tmp_path / "usb" / "batch.json", tmp_path / "usb" / "ack.json"
    assert laptop_cli(["--db", path, "sync", "export", "--out", str(batch)]) == 0
    # Tampered: one byte of the encrypted content changed → refused, nothing applied.
    doc = json.loads(batch.read_text(encoding="utf-8"))
    sealed = bytearray(base64.b64decode(doc["ciphertext"]))
    sealed[40] ^= 1
    doc["ciphertext"] = base64.b64encode(bytes(sealed)).decode()
    tampered = tmp_path / "usb" / "tampered.json"
    tampered.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    assert county_cli(["--db", server.db_url, "import-batch", str(tampered), "--ack", str(ack)]) == 2
    assert "无法解密" in capsys.readouterr().err and not ack.exists()
    assert server.records(village) == {}
    assert county_cli(["--db", server.db_url, "import-batch", str(batch), "--ack", str(ack)]) == 0
    # Replayed: the same file again → refused.
    assert county_cli(["--db", server.db_url, "import-batch", str(batch), "--ack", str(tmp_path / "ack2.json")]) == 2
    assert "已导入过" in capsys.readouterr().err
    assert laptop_cli(["--db", path, "sync", "import-ack", str(ack)]) == 0
    assert laptop_cli(["--db", path, "sync", "import-ack", str(ack)]) == 2  # an ack is applied once
    from pensiondesk.store.db import open_database

    db = open_database(path)
    try:
        assert set(outbox_states(db)) == {"accepted"}
        assert server.records(village) == expected_records(db)
    finally:
        db.close()
