"""Speech a recording holds that its transcript does not (SyncMap.untranscribed), stored
with the alignment as JSON: [[begin_ms, end_ms], ...].

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    have = {c["name"] for c in sa.inspect(op.get_bind()).get_columns("recordings")}
    if "untranscribed" not in have:
        op.add_column("recordings", sa.Column("untranscribed", sa.Text, nullable=False,
                                              server_default=""))


def downgrade() -> None:
    op.drop_column("recordings", "untranscribed")
