"""The migrations make the schema `webapp.store.schema` defines: every table there, and
nothing else but the full-text index (`webapp.store.fulltext`, made by SQL of its own)."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine

from webapp.store import migrations
from webapp.store.schema import metadata


def test_the_migrations_make_the_tables_schema_defines(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'db.sqlite3'}")
    try:
        with engine.connect() as conn:
            migrations.upgrade(conn)
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            differences = compare_metadata(context, metadata)
    finally:
        engine.dispose()
    # the full-text index's tables are SQLite's FTS5, not the schema's
    left = [d for d in differences
            if not (d[0] == "remove_table" and d[1].name.startswith("sentence_fts"))]
    assert left == []
    # every table of the program is defined there, not in the module that uses it
    assert {"recordings", "sentences", "set_aside", "jobs", "media_claims", "edit_history",
            "sentence_redirects", "users", "login_failures"} == set(metadata.tables)
