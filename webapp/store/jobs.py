"""Job state: alignment attempts, their progress, and the lease of the worker running one.

A job is `queued`, `running`, `done` or `failed`. A worker takes a job with
`claim_job`, which gives it a lease (the worker's name for this claim, and an expiry);
it renews the lease while it runs (`renew_lease`) and ends it by writing the result
(`finish_job`, in the result's transaction) or a failure. A job whose lease has run out
(its worker was killed, its machine went down) can be claimed again by anyone, and
`expired_jobs` lists them for re-queueing. Whatever the lease-holder writes is checked
against the lease in the same statement, so a worker that lost its job writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection, func, insert, or_, select, update

from webapp.store.database import Database, aware, now
from webapp.store.schema import jobs

__all__ = ["Job", "JobStore", "finish_job", "record_done_job"]


@dataclass(frozen=True)
class Job:
    """One alignment attempt and how far it got."""

    id: int
    recording_id: str
    status: str
    stage: str
    percent: float
    error: str
    created_at: datetime
    updated_at: datetime
    worker: str | None = None  # who holds (or last held) the lease
    lease_until: datetime | None = None
    attempts: int = 0  # claims by workers
    saves: int = 0  # results written (0 or 1)


def _job(row) -> Job:  # type: ignore[no-untyped-def]
    fields = dict(row)
    fields["updated_at"] = aware(fields["updated_at"])
    fields["created_at"] = aware(fields["created_at"])
    fields["lease_until"] = aware(fields["lease_until"])
    return Job(**fields)


def _expired(moment: datetime):  # type: ignore[no-untyped-def]
    """Running, with a lease that has run out (or none: a job from before leases)."""
    return (jobs.c.status == "running") & or_(jobs.c.lease_until.is_(None),
                                              jobs.c.lease_until < moment)


def _latest_id(conn: Connection, recording_id: str) -> int | None:
    return conn.execute(
        select(func.max(jobs.c.id)).where(jobs.c.recording_id == recording_id)
    ).scalar_one()


def finish_job(conn: Connection, job_id: int, recording_id: str, worker: str | None) -> bool:
    """Mark the job done inside the transaction that writes its result; False (the
    caller rolls back) when it may not write: it is done already, it is no longer the
    recording's latest job, or `worker` no longer holds its lease."""
    where = (jobs.c.id == job_id) & jobs.c.status.in_(("queued", "running"))
    if worker is not None:
        where &= (jobs.c.worker == worker) & (jobs.c.status == "running")
    # a write first, so the transaction holds the lock the check below relies on
    done = conn.execute(
        update(jobs).where(where).values(
            status="done", stage="done", percent=100.0, error="", lease_until=None,
            saves=jobs.c.saves + 1, updated_at=now())
    ).rowcount
    return bool(done) and _latest_id(conn, recording_id) == job_id


def record_done_job(conn: Connection, recording_id: str) -> int:
    """Record, in the caller's transaction, an alignment stored without a queued job (an
    edit, an import of a finished sync map) as a job that is done; its id."""
    moment = now()
    return int(conn.execute(
        insert(jobs).values(
            recording_id=recording_id, status="done", stage="done", percent=100.0,
            error="", created_at=moment, updated_at=moment, attempts=0, saves=1,
        )
    ).inserted_primary_key[0])


class JobStore(Database):
    """Alignment jobs and their leases."""

    def add_job(self, recording_id: str) -> int:
        """Record a new alignment attempt (queued); the recording is queued with it."""
        moment = now()
        with self.engine.begin() as conn:
            job_id = conn.execute(
                insert(jobs).values(
                    recording_id=recording_id, status="queued", stage="", percent=0.0,
                    error="", created_at=moment, updated_at=moment, attempts=0, saves=0,
                )
            ).inserted_primary_key[0]
        return int(job_id)

    def update_job(
        self,
        job_id: int,
        *,
        status: str | None = None,
        stage: str | None = None,
        percent: float | None = None,
        error: str | None = None,
        worker: str | None = None,
    ) -> bool:
        """Record a job's progress or outcome; given `worker`, only while that worker
        holds the job's lease. True when the row was written."""
        values: dict = {"updated_at": now()}
        for key, val in (("status", status), ("stage", stage), ("percent", percent),
                         ("error", error)):
            if val is not None:
                values[key] = val
        if status in ("done", "failed", "queued"):
            values["lease_until"] = None
        where = jobs.c.id == job_id
        if worker is not None:
            where &= (jobs.c.worker == worker) & (jobs.c.status == "running")
        with self.engine.begin() as conn:
            return bool(conn.execute(update(jobs).where(where).values(**values)).rowcount)

    def get_job(self, job_id: int) -> Job | None:
        """The job with this id, or None."""
        with self.engine.connect() as conn:
            row = conn.execute(select(jobs).where(jobs.c.id == job_id)).mappings().first()
        return _job(row) if row else None

    def latest_job(self, recording_id: str) -> Job | None:
        """The most recent job for a recording, or None."""
        with self.engine.connect() as conn:
            row = conn.execute(
                select(jobs)
                .where(jobs.c.recording_id == recording_id)
                .order_by(jobs.c.id.desc())
            ).mappings().first()
        return _job(row) if row else None

    def jobs_of(self, recording_id: str) -> list[Job]:
        """Every job of a recording, oldest first."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(jobs).where(jobs.c.recording_id == recording_id)
                                .order_by(jobs.c.id)).mappings().all()
        return [_job(r) for r in rows]

    # -- leases ----------------------------------------------------------------------

    def claim_job(self, job_id: int, worker: str, lease: float) -> Job | None:
        """Take the job for `worker` for `lease` seconds: it must be queued, or running
        on a lease that has run out. None when another worker has it, or it is over."""
        moment = now()
        with self.engine.begin() as conn:
            claimed = conn.execute(
                update(jobs)
                .where((jobs.c.id == job_id)
                       & ((jobs.c.status == "queued") | _expired(moment)))
                .values(status="running", worker=worker, attempts=jobs.c.attempts + 1,
                        lease_until=moment + timedelta(seconds=lease), updated_at=moment,
                        stage="", percent=0.0, error="")
            ).rowcount
        return self.get_job(job_id) if claimed else None

    def renew_lease(self, job_id: int, worker: str, lease: float) -> bool:
        """Extend `worker`'s lease on a running job; False when it no longer holds it."""
        moment = now()
        with self.engine.begin() as conn:
            return bool(conn.execute(
                update(jobs)
                .where((jobs.c.id == job_id) & (jobs.c.worker == worker)
                       & (jobs.c.status == "running"))
                .values(lease_until=moment + timedelta(seconds=lease), updated_at=moment)
            ).rowcount)

    def expire_lease(self, job_id: int, worker: str) -> bool:
        """End `worker`'s lease on a running job now (it is stopping): the job is then
        anyone's to claim, and nothing `worker` still does is written. False when
        `worker` no longer held it."""
        with self.engine.begin() as conn:
            return bool(conn.execute(
                update(jobs)
                .where((jobs.c.id == job_id) & (jobs.c.worker == worker)
                       & (jobs.c.status == "running"))
                .values(worker=None, lease_until=None, updated_at=now())
            ).rowcount)

    def expired_jobs(self) -> list[int]:
        """Running jobs whose lease has run out: their workers are gone."""
        with self.engine.connect() as conn:
            return list(conn.execute(
                select(jobs.c.id).where(_expired(now())).order_by(jobs.c.id)).scalars())

    def requeue_expired(self, job_id: int) -> bool:
        """Mark a job whose lease has run out queued again (after its message has been
        put back on the queue); False when someone took it meanwhile."""
        moment = now()
        with self.engine.begin() as conn:
            return bool(conn.execute(
                update(jobs).where((jobs.c.id == job_id) & _expired(moment))
                .values(status="queued", worker=None, lease_until=None, stage="",
                        percent=0.0, updated_at=moment)
            ).rowcount)
