"""USB sync files (U盘同步文件): encrypted on the stick, still exactly-once, and carrying the audit chain head.

Real county server database and admin commands, real laptop files; the bytes on the "stick" are read back.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select, text

from pensiondesk.cli import run as laptop_cli
from pensiondesk.county.audit import list_alerts
from pensiondesk.county.cli import run as county_cli
from pensiondesk.store.db import Database
from pensiondesk.store.models import Person, Setting, SyncState
from pensiondesk.sync.engine import PRIVATE_KEY_SETTING, SERVER_KEY_SETTING, run_sync
from pensiondesk.sync.filecrypt import TO_COUNTY, TO_LAPTOP, FileDecryptError, file_key, open_sealed

from .conftest import CountyServer
from .test_push_pull import enrolled
from .work import contribute, expected_records, outbox_states, person_ids


def keys(db: Database) -> tuple[str, str, str]:
    """This laptop's private key, the county's public key and the device ID."""
    with db.session() as s:
        state = s.get(SyncState, 1)
        private, server = s.get(Setting, PRIVATE_KEY_SETTING), s.get(Setting, SERVER_KEY_SETTING)
        assert state is not None and state.device_id and private is not None and server is not None
        return str(private.value), str(server.value), state.device_id


def people(db: Database) -> list[tuple[str, str]]:
    with db.session() as s:
        return [(p.id_number, p.name) for p in s.scalars(select(Person))]


def county(server: CountyServer, *args: str) -> int:
    return county_cli(["--db", server.db_url, *args])


def test_files_on_the_stick_show_no_id_number_or_name_and_round_trip(
    server: CountyServer, laptop_factory: Callable[..., Database], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db, _client, village = enrolled(server, laptop_factory, persons=12)
    path = str(db.path)
    batch, ack = tmp_path / "usb" / "batch.json", tmp_path / "usb" / "ack.json"
    assert laptop_cli(["--db", path, "sync", "export", "--out", str(batch)]) == 0
    assert county(server, "import-batch", str(batch), "--ack", str(ack)) == 0
    capsys.readouterr()
    persons = people(db)
    assert len(persons) == 12
    for f in (batch, ack):
        raw = f.read_bytes()
        envelope = json.loads(raw)
        assert envelope["format"] in ("pensiondesk-batch/2", "pensiondesk-ack/2") and "ciphertext" in envelope
        assert set(envelope) == {"format", "device_id", "file_seq", "cipher", "nonce", "ciphertext"}
        for id_number, name in persons:
            for form in (id_number, name, json.dumps(name)[1:-1]):  # also as \\u escapes
                assert form.encode("utf-8") not in raw, f"{form} readable in {f.name}"
    # What the county received is the village, record for record; the ack settles the outbox.
    assert server.records(village) == expected_records(db)
    assert laptop_cli(["--db", path, "sync", "import-ack", str(ack)]) == 0
    assert set(outbox_states(db)) == {"accepted"}


def test_another_device_cannot_read_or_pass_off_a_file(
    server: CountyServer, laptop_factory: Callable[..., Database], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    village = server.add_village()
    a, _, _ = enrolled(server, laptop_factory, "a", persons=5, village=village)
    b, _, _ = enrolled(server, laptop_factory, "b", persons=5, village=village)
    a_private, county_public, a_id = keys(a)
    b_private, _, b_id = keys(b)
    batch, ack = tmp_path / "a-batch.json", tmp_path / "a-ack.json"
    assert laptop_cli(["--db", str(a.path), "sync", "export", "--out", str(batch)]) == 0
    envelope = json.loads(batch.read_text(encoding="utf-8"))
    # Laptop b, holding everything b has, cannot open a's file ...
    with pytest.raises(FileDecryptError):
        open_sealed(envelope, file_key(b_private, county_public, a_id, TO_COUNTY))
    with pytest.raises(FileDecryptError):
        open_sealed(envelope, file_key(b_private, county_public, b_id, TO_COUNTY))
    # ... while the right key does (the county's side of the same key).
    assert open_sealed(envelope, file_key(a_private, county_public, a_id, TO_COUNTY))["device_id"] == a_id
    # Relabelled as b's file, the county opens it with b's key: refused, nothing applied, logged.
    relabelled = tmp_path / "relabelled.json"
    relabelled.write_text(json.dumps({**envelope, "device_id": b_id}), encoding="utf-8")
    assert county(server, "import-batch", str(relabelled), "--ack", str(ack)) == 2
    assert "无法解密" in capsys.readouterr().err and not ack.exists()
    assert server.records(village) == {}
    with server.session() as s:
        kinds = [row[0] for row in s.execute(text("SELECT kind FROM security_event"))]
    assert "bad_batch_file" in kinds
    # a's acknowledgement cannot be opened by b either.
    assert county(server, "import-batch", str(batch), "--ack", str(ack)) == 0
    ack_envelope = json.loads(ack.read_text(encoding="utf-8"))
    with pytest.raises(FileDecryptError):
        open_sealed(ack_envelope, file_key(b_private, county_public, a_id, TO_LAPTOP))
    assert laptop_cli(["--db", str(b.path), "sync", "import-ack", str(ack)]) == 2
    assert "另一台设备" in capsys.readouterr().err
    assert laptop_cli(["--db", str(a.path), "sync", "import-ack", str(ack)]) == 0


def test_old_plain_files_are_still_read_and_answered_plainly(
    server: CountyServer, laptop_factory: Callable[..., Database], tmp_path: Path
) -> None:
    db, _client, village = enrolled(server, laptop_factory, persons=5)
    private, county_public, device_id = keys(db)
    sealed, plain, ack = tmp_path / "new.json", tmp_path / "old.json", tmp_path / "ack.json"
    assert laptop_cli(["--db", str(db.path), "sync", "export", "--out", str(sealed)]) == 0
    # What a laptop of the previous version writes: the same signed document, not encrypted, no audit head.
    inner = open_sealed(json.loads(sealed.read_text()), file_key(private, county_public, device_id, TO_COUNTY))
    assert inner["format"] == "pensiondesk-batch/1"
    from pensiondesk.sync.batchfile import signed_document

    body = {k: v for k, v in inner.items() if k not in ("signature", "audit")}
    plain.write_text(json.dumps(signed_document(body, private), ensure_ascii=False), encoding="utf-8")
    assert county(server, "import-batch", str(plain), "--ack", str(ack)) == 0
    answer = json.loads(ack.read_text(encoding="utf-8"))
    assert answer["format"] == "pensiondesk-ack/1" and "response" in answer and "audit" not in answer
    assert laptop_cli(["--db", str(db.path), "sync", "import-ack", str(ack)]) == 0
    assert set(outbox_states(db)) == {"accepted"}
    assert server.records(village) == expected_records(db)


def test_audit_head_travels_in_usb_files(
    server: CountyServer, laptop_factory: Callable[..., Database], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db, client, _village = enrolled(server, laptop_factory, persons=6)
    ids = person_ids(db)
    contribute(db, ids[0])
    run_sync(db, client)  # the county has seen a head (and the laptop knows which checkpoints to cover)
    path = str(db.path)

    def stick(n: int) -> tuple[int, int]:
        contribute(db, ids[n])
        batch, ack = tmp_path / f"b{n}.json", tmp_path / f"a{n}.json"
        assert laptop_cli(["--db", path, "sync", "export", "--out", str(batch)]) == 0
        county_rc = county(server, "import-batch", str(batch), "--ack", str(ack))
        return county_rc, laptop_cli(["--db", path, "sync", "import-ack", str(ack)])

    assert stick(1) == (0, 0)  # untouched: no alert
    assert stick(2) == (0, 0)
    with server.session() as s:
        assert list_alerts(s) == []
        via_file = s.execute(text("SELECT count(*) FROM audit_head WHERE via_file")).scalar()
    assert via_file == 2
    # Delete history the county has seen, then travel by stick only.
    with db.engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_entry WHERE seq = (SELECT min(seq) + 1 FROM audit_entry)"))
    capsys.readouterr()
    assert stick(3)[0] == 0  # the data is still accepted ...
    assert "审计日志与县里上次收到的不一致" in capsys.readouterr().out  # ... and the county operator is told
    with server.session() as s:
        [alert] = list_alerts(s)
        assert alert.via_file and alert.kind == "tampered"
    # The ack brought the verdict back: the laptop warns offline.
    capsys.readouterr()
    assert laptop_cli(["--db", path, "sync", "status"]) == 0
    assert "审计日志与县里上次收到的不一致" in capsys.readouterr().out
