"""Every database file a release shipped still opens, upgraded, with nothing lost (Electrum's storage test).

``tests/store/data/schema_NNNN.sqlite`` is a real database at revision NNNN, made by the
``make_schema_NNNN.py`` beside it. Each is upgraded twice: to our head, and to our head plus a test-only
revision that rebuilds ``person`` and ``household`` the way a batch migration does, so the rebuild path is
exercised even while the file is current.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import select

from pensiondesk.domain.codes import OutboxState
from pensiondesk.services.announcements import Announcement
from pensiondesk.store.db import open_database, schema_status
from pensiondesk.store.migrate import head_revision, known_revisions
from pensiondesk.store.models import Announcement as AnnouncementRow
from pensiondesk.store.models import Base, OutboxEntry, Person

if TYPE_CHECKING:
    from tests.store.conftest import SqliteFiles

DATA_DIR = Path(__file__).resolve().parent / "data"
OLD_FILES = sorted(DATA_DIR.glob("schema_*.sqlite"))


def test_the_shipped_schemas_are_all_here(files: SqliteFiles) -> None:
    names = [path.name for path in OLD_FILES]
    assert {"schema_0001.sqlite", "schema_0004.sqlite"} <= set(names)
    for path in OLD_FILES:
        assert path.stat().st_size < 200_000, f"{path.name} should stay small (VACUUM it)"
        assert files.revision(path) in known_revisions(), path.name
        assert path.with_name(f"make_{path.stem}.py").is_file(), f"how was {path.name} made?"


@pytest.mark.parametrize("with_later_revision", [False, True], ids=["to-head", "to-head-plus-rebuild"])
@pytest.mark.parametrize("source", OLD_FILES, ids=lambda path: path.stem)
def test_an_old_database_upgrades_with_nothing_lost(
    source: Path,
    with_later_revision: bool,
    tmp_path: Path,
    files: SqliteFiles,
    request: pytest.FixtureRequest,
) -> None:
    path = tmp_path / source.name
    shutil.copyfile(source, path)
    if with_later_revision:
        request.getfixturevalue("rebuild_person")
    old_revision = files.revision(path)
    before = files.all_rows(path)
    old_columns = {table: files.columns(path, table) for table in before}
    pending_before = {
        row[0] for row in files.rows(path, "sync_outbox", ["id", "state"]) if row[1] == "pending"
    }
    people_before = files.rows(path, "person", ["id", "id_number", "name", "birth_date"])
    was_behind = schema_status(path) == "behind"
    assert was_behind == (old_revision != head_revision())

    with open_database(path, backup_dir=tmp_path / "backups") as db:
        assert db.revision() == head_revision()
        if was_behind:
            assert db.backup_path is not None and db.backup_path.is_file()
            assert db.migrated_from == old_revision
            assert files.revision(db.backup_path) == old_revision
            assert files.all_rows(db.backup_path) == before
        else:
            assert db.backup_path is None
            assert not (tmp_path / "backups").exists()

        # Every row that was there is still there, with the values it had.
        for table, rows in before.items():
            if table != "alembic_version":
                assert files.rows(path, table, old_columns[table]) == rows, table

        # The program's own models read the upgraded rows: codes decode, JSON parses, dates are dates.
        with db.session() as session:
            for mapper in Base.registry.mappers:
                session.scalars(select(mapper.class_)).all()
            outbox = session.scalars(select(OutboxEntry).order_by(OutboxEntry.seq)).all()
            assert {entry.id for entry in outbox if entry.state is OutboxState.PENDING} == pending_before
            assert len(pending_before) >= 2
            assert all(isinstance(entry.payload, dict) for entry in outbox)
            people = session.scalars(select(Person)).all()
            assert (
                sorted((p.id, p.id_number, p.name, p.birth_date.isoformat()) for p in people) == people_before
            )
            # A notice printed before the upgrade can still be reprinted exactly as it was posted.
            for row in session.scalars(select(AnnouncementRow)):
                assert Announcement.from_json(row.content).title == row.title


@pytest.mark.parametrize("committed", OLD_FILES, ids=lambda path: path.stem)
def test_each_file_is_what_its_script_makes(committed: Path, tmp_path: Path, files: SqliteFiles) -> None:
    """``make_schema_NNNN.py`` still builds the committed file's content from the migrations up to NNNN."""
    output = tmp_path / "rebuilt.sqlite"
    script = DATA_DIR / f"make_{committed.stem}.py"
    result = subprocess.run([sys.executable, str(script), str(output)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert files.all_rows(output) == files.all_rows(committed)
    assert files.schema(output) == files.schema(committed)
