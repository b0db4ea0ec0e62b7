"""The raw import floor (bench.figures.raw_import_floor) writes what it claims into the product's own tables."""

from __future__ import annotations

from pathlib import Path

from bench.bench_roster_import import write_roster
from bench.figures import raw_import_floor
from openpyxl import load_workbook
from sqlalchemy import func, select

from pensiondesk.store.db import open_database
from pensiondesk.store.models import AuditEntry, County, OutboxEntry, Person, Township, Village


def _village(path: Path) -> str:
    db = open_database(path)
    with db.session() as s:
        county = County(code="411099", name="安和县")
        s.add(county)
        s.flush()
        township = Township(county_id=county.id, code="411099101", name="青山镇")
        s.add(township)
        s.flush()
        village = Village(township_id=township.id, code="411099101201", name="红旗村")
        s.add(village)
        s.flush()
        village_id = village.id
    db.close()
    return village_id


def _counts(path: Path) -> tuple[int, int, int]:
    db = open_database(path)
    try:
        with db.session() as s:
            return tuple(  # type: ignore[return-value]
                s.scalar(select(func.count()).select_from(m)) or 0 for m in (Person, AuditEntry, OutboxEntry)
            )
    finally:
        db.close()


def test_the_floor_keeps_valid_new_ids_and_writes_each_record(tmp_path: Path) -> None:
    roster = write_roster(tmp_path / "roster.xlsx", 40)
    wb = load_workbook(roster)  # spoil two rows: a bad check character and a repeated ID
    ws = wb.active
    assert ws is not None
    ids = [row[5].value for row in ws.iter_rows(min_row=4)]
    ws.cell(row=4, column=6, value=ids[0][:17] + ("0" if ids[0][17] != "0" else "1"))
    ws.cell(row=5, column=6, value=ids[2])
    wb.save(roster)

    bare = tmp_path / "bare.sqlite"
    records = tmp_path / "records.sqlite"
    assert raw_import_floor(roster, bare, _village(bare), records=False) == 38
    assert raw_import_floor(roster, records, _village(records), records=True) == 38
    assert _counts(bare) == (38, 0, 0)
    assert _counts(records) == (38, 38, 38)
    db = open_database(records)
    try:
        with db.session() as s:
            names = set(s.scalars(select(Person.name)))
            assert len(names) > 1 and all(names)
    finally:
        db.close()
