"""Alembic's environment: the program hands it a connection (webapp.store.migrations);
the `alembic` command line gets one from `sqlalchemy.url` or TRANSCRIPT_PLAYER_DATABASE_URL."""

from __future__ import annotations

import os

from alembic import context
from sqlalchemy import create_engine

from webapp.store import metadata

target_metadata = metadata


def _run(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        # SQLite alters tables by copying them (ALTER TABLE is limited there)
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


connection = context.config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:  # the alembic command line
    from webapp.store.database import _engine_url

    url = (os.environ.get("TRANSCRIPT_PLAYER_DATABASE_URL")
           or context.config.get_main_option("sqlalchemy.url"))
    if not url:
        raise SystemExit("set TRANSCRIPT_PLAYER_DATABASE_URL (or sqlalchemy.url) to the "
                         "database to migrate")
    with create_engine(_engine_url(url)).connect() as conn:
        _run(conn)
        conn.commit()
