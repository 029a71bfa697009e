"""The schema as it was before Alembic, made where missing.

A data folder from before Alembic has some of it already (its `recordings` may lack
`warnings` and `source_url`, added later by hand): what is there is kept, what is not is
made, so an old library opens with every row. A new database gets all of it.

Revision ID: 0001
Revises:
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _tables() -> set[str]:
    return set(sa.inspect(op.get_bind()).get_table_names())


def upgrade() -> None:
    have = _tables()
    if "recordings" not in have:
        op.create_table(
            "recordings",
            sa.Column("id", sa.String(64), primary_key=True),
            sa.Column("title", sa.Text, nullable=False),
            sa.Column("language", sa.String(16), nullable=False),
            sa.Column("status", sa.String(16), nullable=False),
            sa.Column("transcript", sa.Text, nullable=False),
            sa.Column("audio_name", sa.String(80), nullable=False),
            sa.Column("audio_sha256", sa.String(64), nullable=False),
            sa.Column("rendition_name", sa.String(80), nullable=False),
            sa.Column("duration_ms", sa.Integer, nullable=False),
            sa.Column("note", sa.Text, nullable=False),
            sa.Column("error", sa.Text, nullable=False),
            sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("aligned_at", sa.DateTime(timezone=True)),
            sa.Column("warnings", sa.Text, nullable=False, server_default=""),
            sa.Column("source_url", sa.Text, nullable=True),
        )
    else:
        columns = {c["name"] for c in sa.inspect(op.get_bind()).get_columns("recordings")}
        if "warnings" not in columns:
            op.add_column("recordings", sa.Column("warnings", sa.Text, nullable=False,
                                                  server_default=""))
        if "source_url" not in columns:
            op.add_column("recordings", sa.Column("source_url", sa.Text, nullable=True))
    if "sentences" not in have:
        op.create_table(
            "sentences",
            sa.Column("recording_id", sa.String(64),
                      sa.ForeignKey("recordings.id", ondelete="CASCADE"), primary_key=True),
            sa.Column("idx", sa.Integer, primary_key=True),
            sa.Column("sid", sa.String(32), nullable=False),
            sa.Column("text", sa.Text, nullable=False),
            sa.Column("speaker", sa.Text),
            sa.Column("begin_ms", sa.Integer, nullable=False),
            sa.Column("end_ms", sa.Integer, nullable=False),
            sa.Column("confidence", sa.Float, nullable=False),
            sa.Column("aligned", sa.Boolean, nullable=False),
            sa.Column("paragraph", sa.Integer, nullable=False),
        )
        op.create_index("ix_sentences_sid", "sentences", ["recording_id", "sid"])
    if "set_aside" not in have:
        op.create_table(
            "set_aside",
            sa.Column("recording_id", sa.String(64),
                      sa.ForeignKey("recordings.id", ondelete="CASCADE"), primary_key=True),
            sa.Column("ordinal", sa.Integer, primary_key=True),
            sa.Column("kind", sa.String(32), nullable=False),
            sa.Column("text", sa.Text, nullable=False),
            sa.Column("after", sa.Integer, nullable=False),
        )
    if "jobs" not in have:
        op.create_table(
            "jobs",
            sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
            sa.Column("recording_id", sa.String(64),
                      sa.ForeignKey("recordings.id", ondelete="CASCADE"), nullable=False),
            sa.Column("status", sa.String(16), nullable=False),
            sa.Column("stage", sa.String(32), nullable=False),
            sa.Column("percent", sa.Float, nullable=False),
            sa.Column("error", sa.Text, nullable=False),
            sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        )
        op.create_index("ix_jobs_recording", "jobs", ["recording_id"])
    if "media_claims" not in have:
        op.create_table(
            "media_claims",
            sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
            sa.Column("name", sa.String(80), nullable=False),
            sa.Column("token", sa.String(64), nullable=False),
            sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        )
        op.create_index("ix_media_claims_name", "media_claims", ["name"])
        op.create_index("ix_media_claims_token", "media_claims", ["token"])
    _search_index()


def _search_index() -> None:
    """The full-text index (webapp.store.fulltext): FTS5 on SQLite; on PostgreSQL a text search
    configuration that folds accents (the unaccent extension as its first dictionary)
    and a GIN index of the sentences under it."""
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "CREATE VIRTUAL TABLE IF NOT EXISTS sentence_fts USING fts5("
            "text, recording_id UNINDEXED, idx UNINDEXED, "
            "tokenize = 'unicode61 remove_diacritics 2')"
        )
        return
    op.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
    op.execute(
        "DO $$ BEGIN "
        "IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'tp_search') THEN "
        "CREATE TEXT SEARCH CONFIGURATION tp_search (COPY = pg_catalog.simple); "
        "ALTER TEXT SEARCH CONFIGURATION tp_search ALTER MAPPING FOR "
        "asciiword, asciihword, hword_asciipart, word, hword, hword_part, numword, "
        "numhword WITH unaccent, simple; "
        "END IF; END $$"
    )
    op.execute(
        "CREATE INDEX IF NOT EXISTS ix_sentences_search ON sentences "
        "USING gin (to_tsvector('tp_search'::regconfig, text))"
    )


def downgrade() -> None:
    raise NotImplementedError("the first schema is not taken down; restore a backup instead")
