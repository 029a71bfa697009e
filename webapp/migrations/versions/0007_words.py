"""Each sentence's words and when they are said, stored with the alignment: a compact
JSON of their times (`webapp.words.stored`), "" for a sentence without words.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    have = {c["name"] for c in sa.inspect(op.get_bind()).get_columns("sentences")}
    if "words" not in have:
        # a constant default: PostgreSQL adds it without rewriting the table
        op.add_column("sentences", sa.Column("words", sa.Text, nullable=False,
                                             server_default=""))


def downgrade() -> None:
    op.drop_column("sentences", "words")
