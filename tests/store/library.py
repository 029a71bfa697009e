"""What the library tests compare: every row of every data table, in a form that two
databases (SQLite gives back naive UTC times, PostgreSQL aware ones) agree on."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import MetaData, select

from webapp.store.database import Database

SKIP = ("alembic_version", "sqlite_", "sentence_fts")


def _value(value: Any) -> Any:
    if isinstance(value, datetime) and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


def rows(database: Database) -> dict[str, list[tuple]]:
    """Every data table's rows, sorted, as tuples of (column, value)."""
    meta = MetaData()
    meta.reflect(database.engine)
    out: dict[str, list[tuple]] = {}
    with database.engine.connect() as conn:
        for table in meta.sorted_tables:
            if table.name.startswith(SKIP):
                continue
            out[table.name] = sorted(
                (tuple(sorted((k, _value(v)) for k, v in r._mapping.items()))
                 for r in conn.execute(select(table))), key=repr)
    return out
