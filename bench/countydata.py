"""A county server database whose village holds the persons of a benchmark dataset (县级服务端基准数据).

The ``pull_roster`` figure needs a county that holds a whole village — 100,000 persons — as if its laptop had
pushed it. Pushing them through the server would take many minutes, so the records are written with Core bulk
inserts instead, in exactly the form a push leaves them (``county/store.py``, ``_apply_change`` and
``_after_write``):

* a ``record`` row per villager group, household and person, the payload being what the laptop sends after
  enrolment (``sync.outbox.enqueue_baseline``: ``snapshot(obj)`` plus ``_operator``), with its
  ``content_hash``, version 1 and the person's ``id_number``;
* for each person, the ``roster`` upsert the server publishes to the village (``change`` rows, one global
  sequence, ``server_meta.change_seq`` moved on) — the rows a pull serves.

Not written: the push bookkeeping (``batch``, ``received_change``) and the village's other record types
(contributions, checks …), which a pull never reads. ``tests/bench/test_pull_roster.py`` checks that a real
``push_batch`` of the same laptop leaves the same records and changes.

The database is cached next to the dataset, named by the dataset, the number of persons, this generator's version
and the county schema revision, so a repeat only copies it.
"""

from __future__ import annotations

import hashlib
import json
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Connection, Table, func, insert, literal_column, select, update
from sqlalchemy.orm import sessionmaker
from sqlalchemy.sql.expression import ColumnClause

from bench.dataset import AS_OF
from pensiondesk.store.db import open_database

__all__ = ["CountyInfo", "build_county", "county_head", "county_path", "ensure_county"]

#: Bump when the county written here changes, so that cached counties are rebuilt.
COUNTY_GENERATOR_VERSION = 1
#: Rows per insert statement.
_CHUNK = 5_000
#: The operator ``enqueue_baseline`` writes into the payloads it queues.
_BASELINE_OPERATOR = "system"
#: Table order, which is the order ``enqueue_baseline`` (a plain ``SELECT`` of each table) queues records in.
_ROWID: ColumnClause[Any] = literal_column("rowid")


@dataclass(frozen=True)
class CountyInfo:
    """A cached county database and what it holds."""

    path: Path
    village_code: str
    persons: int
    records: int
    built: bool
    seconds: float


def county_head() -> str:
    """The county schema's newest migration (part of the cache name)."""
    from alembic.script import ScriptDirectory

    from pensiondesk.county.store import alembic_config

    return str(ScriptDirectory.from_config(alembic_config()).get_current_head())


def county_path(dataset: Path, persons: int) -> Path:
    """Where the county holding the first ``persons`` persons of ``dataset`` is cached."""
    return dataset.with_name(f"{dataset.stem}-server{persons}-c{COUNTY_GENERATOR_VERSION}-{county_head()}.sqlite")


def ensure_county(
    dataset: Path, persons: int, *, rebuild: bool = False, progress: Callable[[str], None] | None = None
) -> CountyInfo:
    """The cached county for ``dataset`` and ``persons``, built first when missing (or when ``rebuild``)."""
    path = county_path(dataset, persons)
    meta = path.with_suffix(".json")
    if path.exists() and meta.exists() and not rebuild:
        info = json.loads(meta.read_text(encoding="utf-8"))
        return CountyInfo(path, info["village_code"], persons, info["records"], False, float(info["seconds"]))
    partial = path.with_name(path.name + ".part")
    for leftover in (partial, *(partial.with_name(partial.name + s) for s in ("-wal", "-shm"))):
        leftover.unlink(missing_ok=True)
    if progress:
        progress(f"  building a county server database holding {persons:,} persons …")
    started = time.perf_counter()
    village_code, records = build_county(dataset, partial, persons)
    seconds = time.perf_counter() - started
    partial.replace(path)
    meta.write_text(
        json.dumps({"village_code": village_code, "records": records, "seconds": seconds}), encoding="utf-8"
    )
    return CountyInfo(path, village_code, persons, records, True, seconds)


def build_county(dataset: Path, target: Path, persons: int) -> tuple[str, int]:
    """Write a county at ``target`` holding the first ``persons`` persons of ``dataset`` (and their households
    and groups) as pushed records, with the village roster published; returns (village code, records)."""
    import sqlite3

    from pensiondesk.county import admin
    from pensiondesk.county.models import ChangeRow, Device, RecordRow, ServerMeta
    from pensiondesk.county.store import create_county_engine, session_scope, sqlite_url, upgrade_database
    from pensiondesk.store.models import County, Township, Village

    laptop = open_database(dataset, create=False)
    try:
        with laptop.engine.connect() as conn:
            village = conn.execute(select(Village.code, Village.name, Village.township_id)).one()
            township = conn.execute(
                select(Township.code, Township.name).where(Township.id == village.township_id)
            ).one()
            county = conn.execute(select(County.code, County.name)).one()
    finally:
        laptop.close()

    engine = create_county_engine(sqlite_url(target))
    try:
        upgrade_database(engine)
        factory = sessionmaker(bind=engine, expire_on_commit=False)
        device_id = str(uuid.uuid4())
        with session_scope(factory) as s:
            admin.set_county(s, county.code, county.name)
            admin.add_township(s, township.code, township.name)
            admin.add_village(s, village.code, village.name, township.code)
        with session_scope(factory) as s:
            # The laptop that pushed the village (its token is random and thrown away).
            s.add(
                Device(
                    id=device_id,
                    village_code=village.code,
                    name="基准：原有电脑",
                    token_hash=hashlib.sha256(uuid.uuid4().bytes).hexdigest(),
                    file_seq=0,
                )
            )
        records_table, changes_table = cast(Table, RecordRow.__table__), cast(Table, ChangeRow.__table__)
        moment = datetime.combine(AS_OF, datetime.min.time()) + timedelta(hours=9)
        records = 0
        with engine.begin() as conn:
            first_seq = int(conn.scalar(select(ServerMeta.change_seq).where(ServerMeta.id == 1)) or 0) + 1
            seq = first_seq
            out = _Inserter(conn)
            for kind, payload in pushed_payloads(dataset, persons):
                record = _record_row(kind, payload, village.code, device_id, moment)
                out.add(records_table, record)
                records += 1
                if kind == "person":
                    out.add(changes_table, _roster_change(seq, village.code, record, moment))
                    seq += 1
            out.flush()
            conn.execute(update(ServerMeta).where(ServerMeta.id == 1).values(change_seq=seq - 1))
            published = conn.scalar(select(func.count()).select_from(changes_table))
        if published != seq - first_seq:
            raise RuntimeError(f"published {published} roster changes for {seq - first_seq} persons")
    finally:
        engine.dispose()
    connection = sqlite3.connect(target)
    try:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # the file alone then holds everything
    finally:
        connection.close()
    return village.code, records


def pushed_payloads(dataset: Path, persons: int) -> Iterator[tuple[str, dict[str, Any]]]:
    """(record type, payload) of the village's groups, households and first ``persons`` persons, parents first,
    each payload as ``enqueue_baseline`` queues it for the push after enrolment."""
    from pensiondesk.services.recording import snapshot
    from pensiondesk.store.models import Household, Person, VillagerGroup

    laptop = open_database(dataset, create=False)
    try:
        with laptop.session() as s:
            chosen = s.execute(select(Person.id, Person.household_id).order_by(_ROWID).limit(persons)).all()
            if len(chosen) < persons:
                raise ValueError(f"the dataset holds {len(chosen)} persons, not {persons}")
            wanted = {person_id for person_id, _ in chosen}
            households = {household_id for _, household_id in chosen if household_id is not None}
            sources: Iterable[tuple[str, Any, Callable[[Any], bool]]] = (
                ("villager_group", VillagerGroup, lambda _o: True),
                ("household", Household, lambda o: o.id in households),
                ("person", Person, lambda o: o.id in wanted),
            )
            for kind, model, keep in sources:
                for obj in s.scalars(select(model).order_by(_ROWID).execution_options(yield_per=2_000)):
                    if keep(obj):
                        yield kind, {**snapshot(obj), "_operator": _BASELINE_OPERATOR}
                    s.expunge(obj)
    finally:
        laptop.close()


def _record_row(
    kind: str, payload: dict[str, Any], village_code: str, device_id: str, moment: datetime
) -> dict[str, Any]:
    """The ``record`` row ``_apply_change`` writes for a ``create`` of this payload."""
    from pensiondesk.county.store import content_hash

    id_number = payload.get("id_number") if kind == "person" else None
    return {
        "record_type": kind,
        "record_id": payload["id"],
        "village_code": village_code,
        "version": 1,
        "payload": payload,
        "content_hash": content_hash(payload),
        "deleted": False,
        "created_by_device": device_id,
        "updated_by_device": device_id,
        "operator": _BASELINE_OPERATOR,
        "captured_at": moment,
        "received_at": moment,
        "updated_at": moment,
        "id_number": id_number[:18] if isinstance(id_number, str) else None,
    }


def _roster_change(seq: int, village_code: str, record: dict[str, Any], moment: datetime) -> dict[str, Any]:
    """The ``roster`` upsert ``_after_write`` publishes when a person lands."""
    p = record["payload"]
    return {
        "seq": seq,
        "village_code": village_code,
        "kind": "roster",
        "key": record["record_id"],
        "op": "upsert",
        "data": {
            "person_id": record["record_id"],
            "name": p.get("name"),
            "id_number": p.get("id_number"),
            "status": p.get("status"),
            "version": record["version"],
        },
        "at": moment,
    }


class _Inserter:
    """Rows of several tables, inserted ``_CHUNK`` at a time (executemany) on one connection."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.pending: dict[Table, list[dict[str, Any]]] = {}

    def add(self, table: Table, row: dict[str, Any]) -> None:
        rows = self.pending.setdefault(table, [])
        rows.append(row)
        if len(rows) >= _CHUNK:
            self.conn.execute(insert(table), rows)
            rows.clear()

    def flush(self) -> None:
        for table, rows in self.pending.items():
            if rows:
                self.conn.execute(insert(table), rows)
            rows.clear()
