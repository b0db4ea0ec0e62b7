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


#: The operator of a demo database without logins (``PENSIONDESK_USER``); the demo's receipt book is theirs.
DEMO_OPERATOR = "coordinator"
#: The demo login (user ``demo``, password ``demo``): the receipt book of the demo made by ``pensiondesk demo``.
DEMO_LOGIN = "demo"


def create_demo_database(
    path: Path,
    *,
    persons: int,
    seed: int,
    progress: Callable[[int, int], None] | None = None,
    operator: str = DEMO_OPERATOR,
) -> DemoSummary:
    """Create a new database at ``path`` holding a demo village. Refuses a file that already holds people.

    The database is plain and has no users; :func:`create_demo_database_with_logins` is what ``pensiondesk demo``
    makes. ``operator`` owns the demo's receipt book.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    db = open_database(path, migrate=True, create=True)
    try:
        with db.session() as session:
            summary = create_demo_village(session, persons=persons, seed=seed, progress=progress)
        # Ten years of contributions, benefit cases, survival checks and deaths, so every page has something to show.
        from pensiondesk.services.pensioner_demo import seed_pensioner_histories

        with db.session() as session:
            seed_pensioner_histories(session, as_of=date.today(), seed=seed)
        # A receipt book in use by the operator, so collecting can be tried at once.
        from pensiondesk.services.receipts import open_book, register_book
        from pensiondesk.services.recording import Actor

        with db.session(immediate=True) as session:
            actor = Actor(operator)
            book = register_book(session, actor, series="DEMO", start_no=1, end_no=500, issued_on=date.today())
            open_book(session, actor, book.id)
        return summary
    finally:
        db.close()


def create_demo_database_with_logins(
    path: Path, *, persons: int, seed: int, progress: Callable[[int, int], None] | None = None
) -> DemoSummary:
    """The demo database ``pensiondesk demo`` makes: a demo village, users ``demo``/``demo`` (管理员, whose receipt
    book it is) and ``reviewer``/``reviewer`` (复核), encrypted like a real village's. This process is left logged
    in as ``demo``."""
    from pensiondesk.services.accounts import setup_demo_accounts

    summary = create_demo_database(path, persons=persons, seed=seed, progress=progress, operator=DEMO_LOGIN)
    setup_demo_accounts(path)
    return summary


__all__ = [
    "DemoError",
    "UpgradeResult",
    "create_demo_database",
    "create_demo_database_with_logins",
    "database_info",
    "open_for_work",
    "upgrade_database",
]
