"""Build ``schema_0004.sqlite``: the village database of ``schema_0001.sqlite`` as schema 0004 left it, with rows in
the tables 0002–0004 added.

Revisions 0002 (``announcement``), 0003 (``county_resident``) and 0004 (``duplicate_dismissal``) shipped in later
releases; a coordinator who last updated then has a file at ``0004_duplicate_dismissal`` with rows in those tables.
``tests/store/test_old_databases.py`` upgrades a copy of it and checks that nothing is lost.

How the file is made, so it stays the database that release wrote however the models change later:

* ``make_schema_0001.build`` writes the 0001 file (its schema from the 0001 migration, its rows in plain SQL, two
  unsent outbox rows among them), then the migrations themselves take it to ``0004_duplicate_dismissal``;
* the new tables' rows are inserted with plain SQL naming the 0002–0004 columns, with fixed ids and timestamps;
* one more unsent outbox row (a person edited after the upgrade to 0004) so the pending rows span both releases;
* rollback journal, 1 KiB pages, vacuumed: one small file.

Run from the repository root and commit the result::

    .venv/bin/python tests/store/data/make_schema_0004.py             # writes schema_0004.sqlite here
    .venv/bin/python tests/store/data/make_schema_0004.py OUT.sqlite  # writes OUT.sqlite

Once written, do not regenerate it with different content: add a pair for each later schema that ships instead.
"""

from __future__ import annotations

import json
import sqlite3
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import make_schema_0001 as base

from pensiondesk.store.db import create_sqlite_engine
from pensiondesk.store.migrate import upgrade

REVISION = "0004_duplicate_dismissal"
DEFAULT_OUTPUT = Path(__file__).resolve().parent / "schema_0004.sqlite"

T3 = "2026-11-20 08:15:00.000000"
T4 = "2026-11-21 16:40:30.000000"
STAMPS = {"created_at": T3, "updated_at": T3, "created_by": "zhangsan", "updated_by": "zhangsan"}


# What services.announcements.Announcement.to_json stored for a printed 缴费通知 at 0002–0004.
ANNOUNCEMENT: dict[str, Any] = {
    "kind": "collection",
    "layout": "poster",
    "year": 2027,
    "title": "石井村2027年度城乡居民养老保险缴费通知",
    "subtitle": "",
    "salutation": "各位村民：",
    "paragraphs": ["2027年度城乡居民基本养老保险开始缴费，请于2027年3月31日前到村委会缴纳。"],
    "tables": {
        "tiers": {
            "name": "tiers",
            "caption": "缴费档次",
            "header": ["档次", "个人缴费（元）"],
            "rows": [["一档", "200"], ["二档", "300"]],
            "note": "",
            "style": "grid",
            "column_weights": [1, 1],
            "left_columns": [0],
        }
    },
    "fields": {"deadline": "2027年3月31日", "contact": "张三"},
    "village": "石井村",
    "committee": "石井村村民委员会",
    "issued_on": "2026-11-20",
    "template": {"name": "缴费通知", "file": "collection.toml", "version": 1},
    "policy_pack": {"id": "henan-luoyang-xinan", "version": 1, "name": "河南省洛阳市新安县"},
}


def _rows() -> list[tuple[str, dict[str, Any]]]:
    """(table, row) for the tables of 0002–0004, plus one more unsent outbox row."""
    village = base.rid("village")
    return [
        (
            "announcement",
            {
                "id": base.rid("announcement"),
                "village_id": village,
                "kind": "collection",
                "layout": "poster",
                "title": "石井村2027年度城乡居民养老保险缴费通知",
                "printed_on": "2026-11-20",
                "content": json.dumps(ANNOUNCEMENT, ensure_ascii=False),
                "template_name": "缴费通知",
                "template_version": 1,
                "policy_pack_id": "henan-luoyang-xinan",
                "policy_pack_version": 1,
                **STAMPS,
            },
        ),
        (
            "county_resident",
            {
                "person_id": base.rid("p2"),
                "name": "李建国",
                "id_number": base.PERSON_IDS["p2"],
                "status": "contributing",
                "version": 2,
                "received_at": T3,
            },
        ),
        (
            "county_resident",
            {
                "person_id": base.rid("county-only"),
                "name": "赵桂兰",
                "id_number": base.id_number("41032319580707002"),
                "status": "receiving",
                "version": 1,
                "received_at": T3,
            },
        ),
        (
            "duplicate_dismissal",
            {
                "id": base.rid("dismissal"),
                "village_id": village,
                "first_person_id": base.rid("p2"),
                "second_person_id": base.rid("p3"),
                "kind": "similar_id",
                "note": "核对户口簿，系不同的人",
                **STAMPS,
            },
        ),
        (
            "sync_outbox",
            {
                "id": base.rid("outbox-0004"),
                "record_type": "person",
                "record_id": base.rid("p3"),
                "operation": "update",
                "payload": json.dumps(
                    {"id": base.rid("p3"), "phone": "13903790001", "_operator": "zhangsan"}, ensure_ascii=False
                ),
                "base_version": 1,
                "state": "pending",
                "created_at": T4,
                "updated_at": T4,
                "attempts": 0,
            },
        ),
    ]


def build(output: Path) -> Path:
    """Write the database to ``output`` (replacing it) and return the path."""
    base.build(output)
    engine = create_sqlite_engine(output)
    try:
        upgrade(engine, REVISION)
    finally:
        engine.dispose()

    connection = sqlite3.connect(output, isolation_level=None)
    try:
        connection.execute("PRAGMA journal_mode=DELETE")
        connection.execute("PRAGMA foreign_keys=ON")
        connection.execute("BEGIN")
        outbox_columns = {row[1] for row in connection.execute("PRAGMA table_info(sync_outbox)")}
        for table, row in _rows():
            if table == "sync_outbox":
                unknown = set(row) - outbox_columns
                assert not unknown, f"sync_outbox at {REVISION} has no {unknown}"
            columns = ", ".join(row)
            marks = ", ".join("?" for _ in row)
            connection.execute(f"INSERT INTO {table} ({columns}) VALUES ({marks})", tuple(row.values()))
        (revision,) = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        assert revision == REVISION, revision
        assert not connection.execute("PRAGMA foreign_key_check").fetchall()
        connection.execute("COMMIT")
        connection.execute("PRAGMA page_size=1024")
        connection.execute("VACUUM")
    finally:
        connection.close()
    return output


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_OUTPUT
    written = build(target)
    print(f"{written}: {written.stat().st_size} bytes at revision {REVISION}")
