"""Sessions that can be revoked (users.session_version) and failed logins
(login_failures), for webapp.auth and webapp.logins.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    inspector = sa.inspect(op.get_bind())
    if "session_version" not in {c["name"] for c in inspector.get_columns("users")}:
        with op.batch_alter_table("users") as batch:
            batch.add_column(sa.Column("session_version", sa.Integer, nullable=False,
                                       server_default="0"))
    if "login_failures" not in inspector.get_table_names():
        op.create_table(
            "login_failures",
            sa.Column("key", sa.String(80), primary_key=True),
            sa.Column("failures", sa.Integer, nullable=False),
            sa.Column("last_failure", sa.Float, nullable=False),
            sa.Column("blocked_until", sa.Float, nullable=False),
        )


def downgrade() -> None:
    op.drop_table("login_failures")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("session_version")
