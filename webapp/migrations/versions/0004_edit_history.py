"""Editors' changes and the redirects of edited sentences' ids (webapp.history).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    have = set(sa.inspect(op.get_bind()).get_table_names())
    if "edit_history" not in have:
        op.create_table(
            "edit_history",
            sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
            sa.Column("recording_id", sa.String(64),
                      sa.ForeignKey("recordings.id", ondelete="CASCADE"), nullable=False),
            sa.Column("kind", sa.String(16), nullable=False),
            sa.Column("editor", sa.Text, nullable=False),
            sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("summary", sa.Text, nullable=False),
            sa.Column("before", sa.Text, nullable=False),
            sa.Column("after", sa.Text, nullable=False),
            sa.Column("undoes", sa.Integer, nullable=True),
            sa.Column("undone_by", sa.Integer, nullable=True),
        )
        op.create_index("ix_edit_history_recording", "edit_history", ["recording_id", "id"])
    if "sentence_redirects" not in have:
        op.create_table(
            "sentence_redirects",
            sa.Column("recording_id", sa.String(64),
                      sa.ForeignKey("recordings.id", ondelete="CASCADE"), primary_key=True),
            sa.Column("old_sid", sa.String(32), primary_key=True),
            sa.Column("new_sid", sa.String(32), nullable=False),
            sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        )


def downgrade() -> None:
    op.drop_table("sentence_redirects")
    op.drop_index("ix_edit_history_recording", table_name="edit_history")
    op.drop_table("edit_history")
