"""Build ``schema_0001.sqlite``: a small village database at revision ``0001_baseline``, with real rows.

``tests/store/test_old_databases.py`` opens a copy of every ``schema_*.sqlite`` here with the current program
and checks that nothing is lost when it upgrades (as Electrum's ``tests/test_storage_upgrade.py`` does).

How the file is made, so it stays the same database the first release wrote however the models change later:

* the schema comes from running the ``0001_baseline`` migration on an empty file — not from
  ``store.models``, which will move on;
* the rows are inserted with plain SQL that names the 0001 columns, with fixed ids and timestamps, so running
  the script again gives the same content;
* the file is switched back to the rollback journal and vacuumed with 1 KiB pages, so it is one small file.

The data: 石井村 with two villager groups, one household, three persons with valid 18-digit ID numbers (check
characters by GB 11643: weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2, character "10X98765432"[S mod 11]), a
contribution with its receipt book, receipt and day close, a survival check, an audit entry and TWO UNSENT
outbox rows (state ``pending``), plus one row in most other tables.

Run from the repository root and commit the result::

    /work/venv/bin/python tests/store/data/make_schema_0001.py             # writes schema_0001.sqlite here
    /work/venv/bin/python tests/store/data/make_schema_0001.py OUT.sqlite  # writes OUT.sqlite

Once a release has shipped revision 0001, do not regenerate this file with different content: add a
``make_schema_NNNN.py`` / ``schema_NNNN.sqlite`` pair for each later schema that ships instead.
"""

from __future__ import annotations

import json
import sqlite3
import sys
import uuid
from pathlib import Path
from typing import Any

from pensiondesk.store.db import create_sqlite_engine
from pensiondesk.store.migrate import upgrade

REVISION = "0001_baseline"
DEFAULT_OUTPUT = Path(__file__).resolve().parent / "schema_0001.sqlite"

_NAMESPACE = uuid.UUID("6f1c1d0e-5b1a-4c8e-9a57-0c3b1c2d0001")
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)

# SQLAlchemy's SQLite storage formats, so the program reads these values back as date / datetime.
T0 = "2025-03-01 09:30:00.000000"
T1 = "2025-03-01 10:05:12.000000"
T2 = "2025-04-10 15:20:00.000000"


def rid(name: str) -> str:
    """A fixed record id, so the file is the same every time it is built."""
    return str(uuid.uuid5(_NAMESPACE, name))


def id_number(first17: str) -> str:
    """Complete a resident ID number with its GB 11643 check character."""
    total = sum(int(digit) * weight for digit, weight in zip(first17, _WEIGHTS, strict=True))
    return first17 + "10X98765432"[total % 11]


PERSON_IDS = {
    "p1": id_number("11010519491231002"),  # 王秀英, female, born 1949-12-31
    "p2": id_number("34052419800101001"),  # 李建国, male, born 1980-01-01
    "p3": id_number("41032319620315003"),  # 张国强, male, born 1962-03-15
}
assert PERSON_IDS["p1"] == "11010519491231002X"
assert PERSON_IDS["p2"] == "34052419800101001X"

STAMPS = {"created_at": T0, "updated_at": T0, "created_by": "zhangsan", "updated_by": "zhangsan"}


def _rows() -> list[tuple[str, dict[str, Any]]]:
    """(table, row) in an order that satisfies every foreign key."""
    village = rid("village")
    g1, g2 = rid("group-1"), rid("group-2")
    household = rid("household")
    p1, p2, p3 = rid("p1"), rid("p2"), rid("p3")
    book, day_close, contribution = rid("book"), rid("day-close"), rid("contribution")
    notice = rid("notice")

    def person(key: str, **fields: Any) -> dict[str, Any]:
        number = PERSON_IDS[key]
        return {
            "id": rid(key),
            "village_id": village,
            "id_number": number,
            "id_number_rev": number[::-1],
            "ethnicity": "汉族",
            "hukou_address": "河南省洛阳市新安县城关镇石井村",
            "residence_address": "河南省洛阳市新安县城关镇石井村",
            "phone": None,
            "status_reason": None,
            "local_hukou": 1,
            "is_student": 0,
            "has_employee_pension": 0,
            "has_other_state_pension": 0,
            "is_public_staff": 0,
            "is_migrant_worker": 0,
            "bank_card": None,
            "notes": None,
            "version": 1,
            **STAMPS,
            **fields,
        }

    return [
        ("county", {"id": rid("county"), "code": "410323", "name": "新安县"}),
        (
            "township",
            {"id": rid("township"), "county_id": rid("county"), "code": "410323101", "name": "城关镇"},
        ),
        (
            "village",
            {"id": village, "township_id": rid("township"), "code": "410323101201", "name": "石井村"},
        ),
        ("villager_group", {"id": g1, "village_id": village, "name": "一组", "sort_order": 1, **STAMPS}),
        ("villager_group", {"id": g2, "village_id": village, "name": "二组", "sort_order": 2, **STAMPS}),
        # The household names its head before the head's row exists (the cycle household ↔ person).
        (
            "household",
            {
                "id": household,
                "village_id": village,
                "group_id": g1,
                "number": "0012",
                "address": "石井村一组12号",
                "head_person_id": p3,
                "version": 1,
                **STAMPS,
            },
        ),
        (
            "person",
            person(
                "p3",
                group_id=g1,
                household_id=household,
                relation="head",
                name="张国强",
                name_initials="zgq",
                sex="1",
                birth_date="1962-03-15",
                status="contributing",
                status_since="2010-01-01",
            ),
        ),
        (
            "person",
            person(
                "p1",
                group_id=g1,
                household_id=household,
                relation="parent",
                name="王秀英",
                name_initials="wxy",
                sex="2",
                birth_date="1949-12-31",
                status="receiving",
                status_since="2010-01-01",
                phone="13800000000",
            ),
        ),
        (
            "person",
            person(
                "p2",
                group_id=g2,
                household_id=None,
                relation=None,
                name="李建国",
                name_initials="ljg",
                sex="1",
                birth_date="1980-01-01",
                status="contributing",
                status_since="2025-03-01",
                local_hukou=0,
                is_migrant_worker=1,
                bank_card="6228480000000000000",
                notes="外出务工，委托其兄代缴",
            ),
        ),
        (
            "person_category",
            {
                "id": rid("category"),
                "person_id": p3,
                "category_code": "011",
                "proof_ref": None,
                "valid_from": "2010-01-01",
                "valid_to": None,
                **STAMPS,
            },
        ),
        (
            "migrant_document",
            {
                "id": rid("migrant-doc"),
                "person_id": p2,
                "kind": "commitment",
                "year": 2025,
                "due_date": "2025-06-30",
                "received_on": None,
                "note": "承诺书待寄回",
                **STAMPS,
            },
        ),
        (
            "key_field_change",
            {
                "id": rid("key-change"),
                "person_id": p1,
                "field": "name",
                "before": "王秀莹",
                "after": "王秀英",
                "reason": "与户口簿不一致，按户口簿更正",
                "evidence_ref": "户口簿第3页",
                "changed_at": T1,
                "changed_by": "zhangsan",
            },
        ),
        (
            "registration",
            {
                "id": rid("registration"),
                "person_id": p2,
                "registered_on": "2025-03-01",
                "category_code": "011",
                "tier_fen": 30000,
                "review_state": "submitted",
                "entered_by": "zhangsan",
                "checked_by": "zhangsan",
                "checked_at": T1,
                "submitted_at": T1,
                "answered_at": None,
                "return_reason": None,
                **STAMPS,
            },
        ),
        (
            "receipt_book",
            {
                "id": book,
                "series": "豫财2025A",
                "start_no": 1,
                "end_no": 100,
                "collector": "zhangsan",
                "issued_on": "2025-02-20",
                "status": "open",
                "next_no": 2,
                "closed_at": None,
                "from_county": 1,
                **STAMPS,
            },
        ),
        (
            "day_close",
            {
                "id": day_close,
                "day": "2025-03-01",
                "collector": "zhangsan",
                "receipt_count": 1,
                "void_count": 0,
                "receipts_total_fen": 30000,
                "cash_handed_fen": 30000,
                "difference_note": None,
                "closed_at": T1,
                **STAMPS,
            },
        ),
        (
            "contribution",
            {
                "id": contribution,
                "person_id": p2,
                "year": 2025,
                "tier_fen": 30000,
                "personal_fen": 30000,
                "subsidy_province_fen": 3000,
                "subsidy_city_fen": 0,
                "subsidy_county_fen": 2000,
                "government_paid_fen": 0,
                "collective_fen": 0,
                "payer_kind": "relative",
                "payer_name": "李建军",
                "channel": "village_cash",
                "is_catch_up": 0,
                "catch_up_approval_ref": None,
                "paid_on": "2025-03-01",
                "policy_pack_id": "henan-luoyang-xinan",
                "policy_pack_version": 1,
                "reverses_id": None,
                **STAMPS,
            },
        ),
        (
            "receipt",
            {
                "id": rid("receipt"),
                "book_id": book,
                "series": "豫财2025A",
                "number": 1,
                "contribution_id": contribution,
                "issued_at": T0,
                "day": "2025-03-01",
                "amount_fen": 30000,
                "collector": "zhangsan",
                "status": "issued",
                "void_reason": None,
                "reprint_count": 0,
                "day_close_id": day_close,
                **STAMPS,
            },
        ),
        (
            "advance",
            {
                "id": rid("advance"),
                "person_id": p3,
                "amount_fen": 450000,
                "applied_on": "2025-03-01",
                "approved_on": None,
                "repaid_fen": 0,
                "state": "applied",
                **STAMPS,
            },
        ),
        (
            "account_balance",
            {"person_id": p2, "as_of": "2025-02-28", "balance_fen": 125000, "synced_at": T0},
        ),
        (
            "benefit_case",
            {
                "id": rid("benefit-case"),
                "person_id": p1,
                "reaches_60_on": "2009-12-31",
                "years_paid": 0,
                "years_missing": 0,
                "notified_on": None,
                "review_state": "approved",
                "submitted_at": None,
                "approved_monthly_fen": 16300,
                "start_month": "2010-01",
                "return_reason": None,
                "approved_on": "2009-12-20",
                **STAMPS,
            },
        ),
        (
            "survival_check",
            {
                "id": rid("survival-check"),
                "person_id": p1,
                "checked_on": "2025-04-10",
                "method": "home_visit",
                "result": "alive",
                "certifier": "zhangsan",
                "witness": "张国强",
                "attachment_path": None,
                "attachment_sha256": None,
                "notes": "上门认证，本人在家",
                "back_pay_months": 0,
                "created_at": T2,
                "updated_at": T2,
                "created_by": "zhangsan",
                "updated_by": "zhangsan",
            },
        ),
        (
            "public_notice",
            {
                "id": notice,
                "village_id": village,
                "kind": "enrolment",
                "title": "石井村2025年度城乡居民养老保险参保登记公示",
                "period": "2025年度",
                "group_ids": json.dumps([g2]),
                "posted_on": "2025-03-02",
                "ends_on": "2025-03-09",
                "snapshot": json.dumps({"rows": [{"name": "李建国", "group": "二组"}]}, ensure_ascii=False),
                **STAMPS,
            },
        ),
        (
            "notice_objection",
            {
                "id": rid("objection"),
                "notice_id": notice,
                "raised_on": "2025-03-04",
                "raised_by": "村民",
                "content": "询问外出务工人员能否由亲属代缴",
                "resolution": "可以，需本人委托书",
                **STAMPS,
            },
        ),
        (
            "app_user",
            {
                "id": rid("user"),
                "username": "zhangsan",
                "display_name": "张三",
                "role": "coordinator",
                "password_hash": None,
                "active": 1,
                "created_at": T0,
            },
        ),
        (
            "audit_entry",
            {
                "id": rid("audit-1"),
                "at": T1,
                "user": "zhangsan",
                "action": "contribution.record",
                "entity_type": "contribution",
                "entity_id": contribution,
                "before": None,
                "after": json.dumps({"person_id": p2, "year": 2025, "personal_fen": 30000}),
                "reason": None,
                "prev_hash": None,
                "hash": "9f2b5c0e8a1d4f6b7c3e2a1908d7f6e5c4b3a2918f7e6d5c4b3a29180f7e6d5c",
            },
        ),
        (
            "sync_outbox",
            {
                "id": rid("outbox-1"),
                "record_type": "person",
                "record_id": p2,
                "operation": "create",
                "payload": json.dumps(
                    {"id": p2, "name": "李建国", "id_number": PERSON_IDS["p2"]}, ensure_ascii=False
                ),
                "base_version": None,
                "state": "pending",
                "batch_id": None,
                "created_at": T0,
                "updated_at": T0,
                "attempts": 0,
                "result_code": None,
                "result_message": None,
                "server_received_at": None,
            },
        ),
        (
            "sync_outbox",
            {
                "id": rid("outbox-2"),
                "record_type": "contribution",
                "record_id": contribution,
                "operation": "create",
                "payload": json.dumps(
                    {"id": contribution, "person_id": p2, "year": 2025, "personal_fen": 30000}
                ),
                "base_version": None,
                "state": "pending",
                "batch_id": None,
                "created_at": T1,
                "updated_at": T1,
                "attempts": 0,
                "result_code": None,
                "result_message": None,
                "server_received_at": None,
            },
        ),
        (
            "sync_state",
            {
                "id": 1,
                "server_url": "https://county.example.invalid/sync",
                "device_id": rid("device"),
                "device_token": None,
                "village_id": village,
                "pull_cursor": 0,
                "server_epoch": None,
                "last_sync_at": None,
                "last_result": None,
                "clock_skew_seconds": None,
                "batch_file_seq": 0,
            },
        ),
        (
            "policy_pack",
            {
                "id": rid("policy-pack"),
                "pack_id": "henan-luoyang-xinan",
                "version": 1,
                "effective_from": "2025-01-01",
                "content": json.dumps(
                    {"pack_id": "henan-luoyang-xinan", "version": 1, "tiers_fen": [20000, 30000]}
                ),
                "origin": "bundled",
                "received_at": T0,
            },
        ),
        ("setting", {"key": "village_id", "value": json.dumps(village)}),
        ("setting", {"key": "receipt_printer_offset_mm", "value": json.dumps({"x": 1.5, "y": -0.5})}),
    ]


def build(output: Path) -> Path:
    """Write the database to ``output`` (replacing it) and return the path."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{output}{suffix}").unlink(missing_ok=True)
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
        # The household names its head before the head's row exists; check foreign keys at COMMIT instead.
        connection.execute("PRAGMA defer_foreign_keys=ON")
        for table, row in _rows():
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
