"""Opening, upgrading and describing the village database (数据库维护), for the CLI and the GUI alike."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from pensiondesk.services.demo import DemoError, DemoSummary, create_demo_village
from pensiondesk.store.db import Database, open_database
from pensiondesk.store.migrate import head_revision


@dataclass(frozen=True)
class UpgradeResult:
    """What ``upgrade_database`` did."""

    from_revision: str | None
    to_revision: str
    backup_path: Path | None


def open_for_work(path: Path) -> Database:
    """Open (creating or upgrading, with a backup first) the database the coordinator works in."""
    return open_database(path, migrate=True)


def upgrade_database(path: Path) -> UpgradeResult:
    """Bring an existing database to this program's schema; the store backs it up before it migrates."""
    db = open_database(path, migrate=True, create=False)
    try:
        return UpgradeResult(db.migrated_from, head_revision(), db.backup_path)
    finally:
        db.close()


def database_info(path: Path) -> dict[str, Any]:
    """Facts about a database file, without changing it."""
    db = open_database(path, migrate=False, create=False)
    try:
        return db.info()
    finally:
        db.close()


#: The operator the GUI works as until logins exist (``PENSIONDESK_USER``); the demo's receipt book is theirs.
DEMO_OPERATOR = "coordinator"


def create_demo_database(
    path: Path, *, persons: int, seed: int, progress: Callable[[int, int], None] | None = None
) -> DemoSummary:
    """Create a new database at ``path`` holding a demo village. Refuses a file that already holds people."""
    path.parent.mkdir(parents=True, exist_ok=True)
    db = open_database(path, migrate=True, create=True)
    try:
        with db.session() as session:
            summary = create_demo_village(session, persons=persons, seed=seed, progress=progress)
        # Ten years of contributions, benefit cases, survival checks and deaths, so every page has something to show.
        from pensiondesk.services.pensioner_demo import seed_pensioner_histories

        with db.session() as session:
            seed_pensioner_histories(session, as_of=date.today(), seed=seed)
        # A receipt book in use by the default operator (coordinator), so collecting can be tried at once.
        from pensiondesk.services.receipts import open_book, register_book
        from pensiondesk.services.recording import Actor

        with db.session(immediate=True) as session:
            actor = Actor(DEMO_OPERATOR)
            book = register_book(session, actor, series="DEMO", start_no=1, end_no=500, issued_on=date.today())
            open_book(session, actor, book.id)
        return summary
    finally:
        db.close()


__all__ = ["DemoError", "UpgradeResult", "create_demo_database", "database_info", "open_for_work", "upgrade_database"]
