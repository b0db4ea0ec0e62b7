"""County server: its own migrations, malformed input (4xx with a reason, never 5xx), limits, OpenAPI fuzz, admin."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from alembic import command
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pensiondesk.county import admin
from pensiondesk.county.app import create_app
from pensiondesk.county.cli import run as county_cli
from pensiondesk.county.store import alembic_config, create_county_engine, sqlite_url, upgrade_database
from pensiondesk.sync.protocol import MAX_BODY_BYTES


@pytest.fixture
def client(tmp_path: Path) -> TestClient:
    return TestClient(create_app(sqlite_url(tmp_path / "c.sqlite")), raise_server_exceptions=False)


def test_alembic_check_is_clean(tmp_path: Path) -> None:
    engine = create_county_engine(sqlite_url(tmp_path / "c.sqlite"))
    upgrade_database(engine)
    with engine.begin() as conn:
        command.check(alembic_config(conn))


@pytest.mark.parametrize(
    "path, body",
    [
        ("/v1/push", b"{not json"),
        ("/v1/push", b"[]"),
        ("/v1/push", json.dumps({"protocol_version": 1, "batch_id": "x", "records": []}).encode()),
        ("/v1/handshake", b"\xff\xfe"),
        ("/v1/enrol", json.dumps({"protocol_version": 1, "code": "AAAA-BBBB", "device_name": "x"}).encode()),
    ],
)
def test_malformed_input_gets_a_4xx_with_a_reason(client: TestClient, path: str, body: bytes) -> None:
    r = client.post(path, content=body, headers={"Authorization": "Bearer nope", "Content-Type": "application/json"})
    assert 400 <= r.status_code < 500
    assert r.json()["message"] and r.json()["code"]


def test_body_limit(client: TestClient) -> None:
    r = client.post("/v1/push", content=b"x" * (MAX_BODY_BYTES + 1), headers={"Content-Type": "application/json"})
    assert r.status_code == 413 and r.json()["code"] == "body_too_large"


def test_openapi_is_published(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert {"/v1/push", "/v1/pull", "/v1/handshake", "/v1/enrol", "/v1/summary"} <= set(spec["paths"])


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20) | st.floats(allow_nan=False),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=12,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    path=st.sampled_from(["/v1/push", "/v1/handshake", "/v1/enrol"]),
    body=st.one_of(
        json_values,
        st.fixed_dictionaries(
            {
                "protocol_version": st.integers(-5, 5),
                "batch_id": st.text(max_size=40),
                "records": st.lists(json_values, max_size=3),
            }
        ),
    ),
    since=st.one_of(st.integers(), st.text(max_size=8)),
)
def test_fuzz_never_5xx(client: TestClient, path: str, body: object, since: object) -> None:
    """A schema-driven fuzz of every endpoint of the OpenAPI description, with and without a token."""
    r = client.post(path, content=json.dumps(body), headers={"Authorization": "Bearer x"})
    assert r.status_code < 500, r.text
    r = client.get("/v1/pull", params={"since": since}, headers={"Authorization": "Bearer x"})
    assert r.status_code < 500, r.text


def test_admin_commands(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "c.sqlite")
    assert county_cli(["--db", db, "init", "--county-code", "411099", "--county-name", "安和县"]) == 0
    assert county_cli(["--db", db, "add-township", "411099101", "青山镇"]) == 0
    assert county_cli(["--db", db, "add-village", "411099101201", "红旗村", "--township", "411099101"]) == 0
    assert county_cli(["--db", db, "add-village", "411099101202", "x", "--township", "999"]) == 2
    assert "乡镇" in capsys.readouterr().err
    assert county_cli(["--db", db, "enrol-code", "411099101201"]) == 0
    policy = tmp_path / "p.json"
    policy.write_text(json.dumps({"pack_id": "p", "version": 1, "effective_from": "2024-01-01"}), encoding="utf-8")
    assert county_cli(["--db", db, "publish-policy", str(policy)]) == 0
    assert county_cli(["--db", db, "publish-policy", str(policy)]) == 2  # never overwritten
    args = [
        "--db",
        db,
        "issue-receipts",
        "411099101201",
        "--series",
        "A",
        "--start",
        "1",
        "--end",
        "50",
        "--collector",
        "x",
    ]
    assert county_cli(args) == 0
    assert county_cli(args) == 2  # overlapping block refused
    assert county_cli(["--db", db, "submitted"]) == 0
    out = tmp_path / "roster.xlsx"
    assert county_cli(["--db", db, "export-roster", "--out", str(out)]) == 0 and out.exists()
    assert county_cli(["--db", db, "new-epoch"]) == 0


def test_death_list_validation(tmp_path: Path) -> None:
    engine = create_county_engine(sqlite_url(tmp_path / "c.sqlite"))
    upgrade_database(engine)
    from sqlalchemy.orm import Session

    bad = tmp_path / "d.csv"
    bad.write_text("姓名,身份证号,死亡日期\n张三,123,2026-01-01\n", encoding="utf-8")
    with Session(engine) as s, pytest.raises(admin.AdminError):
        admin.import_death_list(s, bad)
    assert date(2026, 1, 1)
