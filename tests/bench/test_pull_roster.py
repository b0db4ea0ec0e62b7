"""The ``pull_roster`` figure on a tiny county: its county is what a real push leaves, and the figure runs.

The figure's county is written with bulk inserts (``bench/countydata.py``); the first test pushes the same laptop
through the server's own ``push_batch`` and compares the records and roster changes, so the benchmark keeps
measuring what the server really serves. The second runs the figure itself (county server and baseline server as
child processes on loopback), which checks that every person of the roster arrived.
"""

from __future__ import annotations

import shutil
import uuid
from pathlib import Path
from typing import Any

import pytest
from bench.core import Context
from bench.countydata import build_county, ensure_county
from bench.dataset import DatasetInfo, ensure_dataset
from sqlalchemy import Engine, select
from sqlalchemy.orm import sessionmaker

from pensiondesk.county import admin
from pensiondesk.county.models import ChangeRow, Device, RecordRow
from pensiondesk.county.store import create_county_engine, push_batch, session_scope, sqlite_url, upgrade_database
from pensiondesk.store.db import open_database
from pensiondesk.store.models import OutboxEntry
from pensiondesk.sync.outbox import enqueue_baseline, to_push_record
from pensiondesk.sync.protocol import MAX_BATCH_RECORDS, PROTOCOL_VERSION, EnrolRequest, PushRequest

PERSONS = 300
PUSHED_TYPES = ("villager_group", "household", "person")


@pytest.fixture(scope="module")
def dataset(tmp_path_factory: pytest.TempPathFactory) -> DatasetInfo:
    return ensure_dataset(PERSONS, seed=3, out_dir=tmp_path_factory.mktemp("out"))


def _county_content(engine: Engine) -> tuple[dict[tuple[str, str], tuple[Any, ...]], list[tuple[Any, ...]]]:
    """What a pull and the summary can see: the records and the changes in sequence order."""
    with engine.connect() as conn:
        records = {
            (r.record_type, r.record_id): (r.payload, r.content_hash, r.id_number, r.version, r.deleted, r.operator)
            for r in conn.execute(select(RecordRow))
        }
        changes = [
            (c.village_code, c.kind, c.key, c.op, c.data)
            for c in conn.execute(select(ChangeRow).order_by(ChangeRow.seq))
        ]
    return records, changes


def _pushed_county(dataset: Path, work: Path, village_code: str) -> Engine:
    """A county that received the dataset's groups, households and persons through ``push_batch``."""
    laptop_path = work / "laptop.sqlite"
    shutil.copyfile(dataset, laptop_path)
    laptop = open_database(laptop_path, create=False)
    try:
        with laptop.session(immediate=True) as s:
            enqueue_baseline(s)
        with laptop.session() as s:
            rows = s.scalars(
                select(OutboxEntry).where(OutboxEntry.record_type.in_(PUSHED_TYPES)).order_by(OutboxEntry.seq)
            )
            records = [to_push_record(row) for row in rows]
    finally:
        laptop.close()
    engine = create_county_engine(sqlite_url(work / "pushed.sqlite"))
    upgrade_database(engine)
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    with session_scope(factory) as s:
        admin.set_county(s, village_code[:6], "县")
        admin.add_township(s, village_code[:9], "镇")
        admin.add_village(s, village_code, "村", village_code[:9])
    with session_scope(factory) as s:
        code = admin.issue_enrolment_code(s, village_code)
    with session_scope(factory) as s:
        device_id = admin.enrol_device(
            s, EnrolRequest(protocol_version=PROTOCOL_VERSION, code=code, device_name="test")
        ).device_id
    for start in range(0, len(records), MAX_BATCH_RECORDS):
        with session_scope(factory) as s:
            device = s.get(Device, device_id)
            assert device is not None
            request = PushRequest(
                protocol_version=PROTOCOL_VERSION,
                batch_id=str(uuid.uuid4()),
                records=records[start : start + MAX_BATCH_RECORDS],
            )
            results = push_batch(s, device, request).results
            assert {r.status.value for r in results} == {"created"}
    return engine


def test_the_bulk_county_holds_what_a_real_push_leaves(dataset: DatasetInfo, tmp_path: Path) -> None:
    village_code, records = build_county(dataset.path, tmp_path / "bulk.sqlite", PERSONS)
    bulk = create_county_engine(sqlite_url(tmp_path / "bulk.sqlite"))
    pushed = _pushed_county(dataset.path, tmp_path, village_code)
    try:
        bulk_records, bulk_changes = _county_content(bulk)
        pushed_records, pushed_changes = _county_content(pushed)
    finally:
        bulk.dispose()
        pushed.dispose()
    assert records == len(bulk_records) == len(pushed_records)
    assert sum(1 for kind, _ in bulk_records if kind == "person") == PERSONS
    assert bulk_records == pushed_records
    assert len(bulk_changes) == PERSONS and {c[1] for c in bulk_changes} == {"roster"}
    assert bulk_changes == pushed_changes


def test_the_county_is_cached_by_dataset_and_size(dataset: DatasetInfo) -> None:
    first = ensure_county(dataset.path, 120)
    again = ensure_county(dataset.path, 120)
    assert again.path == first.path and not again.built and again.records == first.records
    assert "server120" in first.path.name and first.path.parent == dataset.path.parent


def test_the_figure_pulls_the_whole_roster(dataset: DatasetInfo, tmp_path: Path) -> None:
    from bench.figures import pull_roster

    ctx = Context(mode="quick", dataset=dataset, repeats=1, work_dir=tmp_path, say=lambda _m: None)
    m = pull_roster(ctx)  # raises unless all PERSONS arrived in county_resident
    assert m.extra["persons"] == PERSONS
    assert m.extra["pages"] == 1 and m.extra["bytes"] > PERSONS * 100
    assert m.ours.n == 1 and m.baseline is not None and m.baseline.median > 0
    assert m.peak_mb is None  # quick mode: no tracemalloc pass
    assert "300 persons" in m.notes[0]
