"""Jobs carry a lease (worker, lease_until), their attempts and result writes; a
recording's status is its latest job's, so `recordings.status` and `.error` go.

Nothing is lost: a recording whose stored status its jobs do not say (a status set
without a job, or a failure recorded only on the recording) gains a job row that says
it, before the columns are dropped. A job left "running" by a killed worker has no
lease, so the first worker to look takes it back.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

#: recording status -> the job status that says it
_JOB_STATUS = {"queued": "queued", "aligning": "running", "ready": "done", "failed": "failed"}


def _derived(job_status: str | None, aligned_at) -> str:  # type: ignore[no-untyped-def]
    if job_status is None:
        return "ready" if aligned_at is not None else "queued"
    return {"queued": "queued", "running": "aligning", "done": "ready"}.get(job_status,
                                                                           "failed")


def upgrade() -> None:
    with op.batch_alter_table("jobs") as batch:
        batch.add_column(sa.Column("worker", sa.String(128), nullable=True))
        batch.add_column(sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("attempts", sa.Integer, nullable=False, server_default="0"))
        batch.add_column(sa.Column("saves", sa.Integer, nullable=False, server_default="0"))
    op.create_index("ix_jobs_status", "jobs", ["status"])
    conn = op.get_bind()
    conn.execute(sa.text("UPDATE jobs SET saves = 1, attempts = 1 WHERE status = 'done'"))
    conn.execute(sa.text("UPDATE jobs SET attempts = 1 WHERE status IN ('running', 'failed')"))
    rows = conn.execute(sa.text(
        "SELECT r.id, r.status, r.error, r.aligned_at, j.status, j.error FROM recordings r "
        "LEFT JOIN (SELECT recording_id, max(id) AS id FROM jobs GROUP BY recording_id) l "
        "ON l.recording_id = r.id LEFT JOIN jobs j ON j.id = l.id")).all()
    now = datetime.now(UTC)
    for rid, status, error, aligned_at, job_status, job_error in rows:
        same_error = status != "failed" or (job_error or "") == (error or "")
        if _derived(job_status, aligned_at) == status and same_error:
            continue
        conn.execute(
            sa.text("INSERT INTO jobs (recording_id, status, stage, percent, error, "
                    "created_at, updated_at, attempts, saves) VALUES (:r, :s, :stage, :p, "
                    ":e, :t, :t, 0, 0)"),
            {"r": rid, "s": _JOB_STATUS.get(status, "failed"),
             "stage": "done" if status == "ready" else "", "p": 100.0 if status == "ready"
             else 0.0, "e": error or "" if status == "failed" else "", "t": now},
        )
    # a plain DROP COLUMN (SQLite 3.35+ and PostgreSQL): a copied table would cascade
    # the deletion of the old one to the sentences
    op.execute("ALTER TABLE recordings DROP COLUMN status")
    op.execute("ALTER TABLE recordings DROP COLUMN error")


def downgrade() -> None:
    raise NotImplementedError("restore a backup made before the upgrade instead")
