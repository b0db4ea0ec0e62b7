"""Alembic environment of the county server database (县级服务端数据库迁移), separate from the desktop's.

Run from code (``pensiondesk.county.store.upgrade_database``: the connection comes in
``config.attributes["connection"]``) or from the command line::

    alembic -c src/pensiondesk/county/migrations/alembic.ini -x url=sqlite:///county.sqlite upgrade head

``render_as_batch`` keeps SQLite table rebuilds possible; PostgreSQL ignores it.
"""

from __future__ import annotations

from typing import Any

from alembic import context
from sqlalchemy import create_engine

from pensiondesk.county.models import Base

config = context.config
target_metadata = Base.metadata
OPTIONS: dict[str, Any] = {"target_metadata": target_metadata, "render_as_batch": True, "compare_type": True}


def _url() -> str:
    url = context.get_x_argument(as_dictionary=True).get("url") or config.get_main_option("sqlalchemy.url")
    if not url:
        raise SystemExit("No database given: run e.g. `alembic -c ... -x url=sqlite:///county.sqlite upgrade head`.")
    return url


def run_migrations_offline() -> None:
    """``--sql`` mode: print the SQL instead of running it."""
    context.configure(url=_url(), literal_binds=True, **OPTIONS)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Run over the caller's connection if given, else over a new engine."""
    connection = config.attributes.get("connection")
    if connection is not None:
        context.configure(connection=connection, **OPTIONS)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = create_engine(_url())
    with engine.connect() as conn:
        context.configure(connection=conn, **OPTIONS)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
