"""Alembic environment for the desktop (village) SQLite database.

Two ways in:

* From the program (``pensiondesk.store.migrate``): the caller passes its connection in
  ``config.attributes["connection"]``, already inside the one transaction it will commit (MLflow's pattern),
  so the upgrade and the caller's checks share a connection and the migration cannot half-apply.
* From the command line: ``alembic -x db=PATH upgrade head`` (or ``sqlalchemy.url`` in ``alembic.ini``); the
  engine comes from ``pensiondesk.store.db``, with the same pragmas and transaction handling as the program.

``render_as_batch=True`` because SQLite can alter little in place: batch mode rebuilds the table (copy, drop,
rename) with its named constraints. ``transactional_ddl=True`` because our engine emits BEGIN itself, so
SQLite's DDL really is transactional, which Alembic's SQLite dialect does not assume by default.
"""

from __future__ import annotations

from logging.config import fileConfig

from alembic import context
from sqlalchemy import Connection, make_url

from pensiondesk.store.db import create_sqlite_engine
from pensiondesk.store.migrate import migration_transaction
from pensiondesk.store.models import Base

config = context.config
target_metadata = Base.metadata

CONFIGURE_OPTIONS = {
    "target_metadata": target_metadata,
    "render_as_batch": True,
    "compare_type": True,
    "transactional_ddl": True,
}


def _database_url() -> str:
    """``-x db=PATH`` wins over ``sqlalchemy.url``."""
    db_path = context.get_x_argument(as_dictionary=True).get("db")
    if db_path:
        return f"sqlite:///{db_path}"
    url = config.get_main_option("sqlalchemy.url")
    if not url:
        raise SystemExit("No database given: run e.g. `alembic -x db=/tmp/check.sqlite upgrade head`.")
    return url


def run_migrations_offline() -> None:
    """``--sql`` mode: print the SQL instead of running it."""
    context.configure(url=_database_url(), literal_binds=True, **CONFIGURE_OPTIONS)
    with context.begin_transaction():
        context.run_migrations()


def _run(connection: Connection) -> None:
    context.configure(connection=connection, **CONFIGURE_OPTIONS)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Migrate over the caller's connection, or over one of our own built from the command line."""
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = make_url(_database_url())
    if url.get_backend_name() != "sqlite" or not url.database:
        raise SystemExit(f"The desktop migrations are for a SQLite file, not {url!r}.")
    engine = create_sqlite_engine(url.database)
    try:
        with migration_transaction(engine) as own_connection:
            _run(own_connection)
    finally:
        engine.dispose()


if config.config_file_name is not None and config.attributes.get("connection") is None:
    fileConfig(config.config_file_name, disable_existing_loggers=False)

if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
