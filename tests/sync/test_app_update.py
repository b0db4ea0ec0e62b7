"""Program updates announced in the handshake: below the minimum nothing is sent and nothing is lost; below the
latest the sync goes on and says a new version exists; without the fields nothing is said."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import requests

from pensiondesk import __version__
from pensiondesk.cli import run as laptop_cli
from pensiondesk.county.cli import run as county_cli
from pensiondesk.services import syncing
from pensiondesk.store.db import Database
from pensiondesk.store.models import SyncState
from pensiondesk.sync.engine import run_sync
from pensiondesk.sync.protocol import PROTOCOL_VERSION, HandshakeResponse
from pensiondesk.sync.update import update_need

from .conftest import CountyServer
from .test_push_pull import enrolled
from .work import contribute, expected_records, outbox_states, person_ids


def test_version_comparison() -> None:
    assert update_need(None, None, "0.1.0") is None
    assert update_need("0.2.0", "0.3.0", "0.1.0") == "required"
    assert update_need("0.1.0", "0.10.0", "0.9.1") == "available"  # numbers, not text
    assert update_need("0.1.0", "0.1.0", "0.1.0") is None
    assert update_need("not a version", "also not", "0.1.0") is None


def test_below_minimum_pushes_nothing_and_loses_nothing(
    server: CountyServer, laptop_factory: Callable[..., Database], capsys: pytest.CaptureFixture[str]
) -> None:
    db, client, village = enrolled(server, laptop_factory, persons=5)
    before = outbox_states(db)
    assert before.get("pending", 0) > 0
    server.stop()
    server.start("--min-app-version", "99.0", "--latest-app-version", "99.1")

    report = run_sync(db, client)
    assert report.update == "required"
    assert (report.min_app_version, report.latest_app_version) == ("99.0", "99.1")
    assert report.pushed_batches == 0 and not report.results and not report.pulled
    assert "请先升级到 99.0 版本（向乡镇或县社保局索取安装包；升级不会丢失数据）" in report.text()
    assert outbox_states(db) == before
    assert server.records(village) == {}
    with db.session() as s:
        state = s.get(SyncState, 1)
        assert state is not None and state.last_sync_at is None
        overview = syncing.overview(s)
    assert overview.update_notice is not None and "请先升级到 99.0 版本" in overview.update_notice

    # The CLI says it too, and exits non-zero; `sync status` shows it offline.
    client.close()
    path = str(db.path)
    assert laptop_cli(["--db", path, "sync", "run"]) == 1
    assert "请先升级到 99.0 版本" in capsys.readouterr().out
    server.stop()
    assert laptop_cli(["--db", path, "sync", "status"]) == 0
    assert "请先升级到 99.0 版本" in capsys.readouterr().out
    assert outbox_states(db) == before

    # After the county lowers its minimum (as after this laptop's update), everything goes up.
    server.start()
    report = run_sync(db, client)
    assert report.update is None and report.pushed_batches > 0
    assert "升级" not in report.text() and "新版本" not in report.text()
    assert server.records(village) == expected_records(db)
    with db.session() as s:
        assert syncing.overview(s).update_notice is None


def test_below_latest_only_syncs_and_says_so(server: CountyServer, laptop_factory: Callable[..., Database]) -> None:
    db, client, village = enrolled(server, laptop_factory, persons=5)
    server.stop()
    server.start(env={"PENSIONDESK_MIN_APP_VERSION": __version__, "PENSIONDESK_LATEST_APP_VERSION": "99.2"})
    report = run_sync(db, client)
    assert report.update == "available" and report.latest_app_version == "99.2"
    assert report.text().startswith("同步完成：") and "有新版本 99.2 可用" in report.text()
    assert outbox_states(db).get("pending", 0) == 0
    assert server.records(village) == expected_records(db)
    with db.session() as s:
        assert syncing.overview(s).update_notice == "有新版本 99.2 可用"
    contribute(db, person_ids(db)[0])
    assert run_sync(db, client).update == "available"


def test_no_versions_no_message(server: CountyServer, laptop_factory: Callable[..., Database]) -> None:
    db, client, _village = enrolled(server, laptop_factory, persons=3)
    report = run_sync(db, client)
    assert report.update is None and report.min_app_version is None and report.latest_app_version is None
    assert "升级" not in report.text() and "新版本" not in report.text()


def test_old_clients_get_no_new_fields(server: CountyServer, laptop_factory: Callable[..., Database]) -> None:
    """A laptop from before the version fields forbids unknown fields: it must not be sent them (or nulls)."""
    db, _client, _village = enrolled(server, laptop_factory, persons=1)
    with db.session() as s:
        state = s.get(SyncState, 1)
        assert state is not None
        token = state.device_token
    server.stop()
    server.start("--min-app-version", "99.0")
    body = {"protocol_version": PROTOCOL_VERSION, "client_time": "2026-03-01T08:00:00Z", "app_version": "0.1.0"}
    headers = {"Authorization": f"Bearer {token}"}
    old = requests.post(server.url + "/v1/handshake", json=body, headers=headers, timeout=10).json()
    assert "min_app_version" not in old and "latest_app_version" not in old
    new = requests.post(
        server.url + "/v1/handshake", json=body, headers=headers | {"PensionDesk-App-Versions": "1"}, timeout=10
    ).json()
    assert new["min_app_version"] == "99.0" and "latest_app_version" not in new
    # And a new laptop accepts an answer with fields it does not know yet (from a later server).
    assert HandshakeResponse.model_validate(old | {"some_later_field": 1}).min_app_version is None


def test_serve_refuses_a_malformed_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert county_cli(["--db", ":memory:", "serve", "--min-app-version", "latest!"]) == 2
    assert "版本号 latest! 的格式不对" in capsys.readouterr().err
