"""Fixtures shared by the service tests: a fresh village database file (县 → 乡镇 → 村, no persons)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from pensiondesk.store.db import Database, open_database
from pensiondesk.store.models import County, Township, Village


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    """A new database file, migrated to the current schema (a test file may define its own ``db``)."""
    database = open_database(tmp_path / "v.sqlite")
    yield database
    database.close()


@pytest.fixture
def village_id(db: Database) -> str:
    """The id of 红旗村 (411099101201) of 青山镇, 安和县, in ``db``."""
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
        return village.id
