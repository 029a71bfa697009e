"""Many machines, really run: worker processes on PostgreSQL and Redis (real servers),
one killed with SIGKILL mid-job, SIGTERM to `worker` and to `serve`; every job done
exactly once (each job's `saves`, written in the result's own transaction, is 1)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers import RAW_TRANSCRIPT, free_port, wait_for
from webapp import create_app
from webapp.importer import store_recording
from webapp.jobs import enqueue_alignment

pytestmark = [pytest.mark.servers, pytest.mark.slow]  # worker processes on real servers

LEASE = 3  # seconds: short, so a killed worker's job comes back soon


class Library:
    """A data folder on PostgreSQL and Redis, and the worker processes started on it."""

    def __init__(self, tmp_path: Path, database_url: str, redis_url: str, **env: str) -> None:
        self.data = tmp_path / "data"
        self.logs = tmp_path
        self.env = {**os.environ, "TRANSCRIPT_PLAYER_DATA": str(self.data),
                    "TRANSCRIPT_PLAYER_DATABASE_URL": database_url,
                    "TRANSCRIPT_PLAYER_REDIS_URL": redis_url,
                    "TRANSCRIPT_PLAYER_JOB_LEASE": str(LEASE), **env}
        self.app = create_app({"DATA_DIR": str(self.data), "DATABASE_URL": database_url,
                               "REDIS_URL": redis_url, "JOB_LEASE_SECONDS": LEASE})
        self.store = self.app.extensions["store"]
        self.procs: list[subprocess.Popen] = []

    def start(self, *args: str) -> subprocess.Popen:
        """`transcript-player ARGS...` in a process of its own."""
        log = (self.logs / f"proc-{len(self.procs)}.log").open("w")
        proc = subprocess.Popen(
            [sys.executable, "-c", "from webapp.cli import main; main()", *args],
            env=self.env, stdout=log, stderr=subprocess.STDOUT)
        self.procs.append(proc)
        return proc

    def queue(self, speech, n: int) -> list[int]:
        """`n` recordings of the reading, each queued for alignment; the job ids."""
        return [enqueue_alignment(self.app, store_recording(
            self.app, speech.wav, RAW_TRANSCRIPT, title=f"Talk {i}")) for i in range(n)]

    def running_on(self, proc: subprocess.Popen) -> int | None:
        """The id of a job that `proc` is running now, if any."""
        for summary in self.store.list_recordings():
            job = self.store.latest_job(summary.recording.id)
            if job and job.status == "running" and job.worker \
                    and job.worker.split(":")[1] == str(proc.pid):
                return job.id
        return None

    def close(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                proc.kill()
            proc.wait(10)
        self.store.dispose()


@pytest.fixture
def library(tmp_path: Path, pg_url: str, redis_url: str) -> Iterator[Library]:
    import redis

    redis.Redis.from_url(redis_url).flushall()  # each test its own queue
    lib = Library(tmp_path, pg_url, redis_url)
    yield lib
    lib.close()


def done_exactly_once(lib: Library, job_ids: list[int]) -> None:
    for job_id in job_ids:
        job = lib.store.get_job(job_id)
        assert (job.status, job.saves) == ("done", 1), job
        rec = lib.store.get_recording(job.recording_id)
        assert rec.status == "ready"
        texts = [s.text for s in lib.store.load_syncmap(rec).sentences if s.aligned]
        assert "The café on the pier opens at nine." in texts
        assert len(texts) == len(set(texts))  # each sentence once
        assert [j.id for j in lib.store.jobs_of(rec.id)] == [job_id]  # no second job


def test_a_worker_killed_mid_job_loses_nothing_and_nothing_is_done_twice(
        library: Library, speech) -> None:
    a = library.start("worker", "--workers", "1")
    b = library.start("worker", "--workers", "1")
    jobs = library.queue(speech, 4)
    killed = wait_for(lambda: library.running_on(a), 120, "a job running on worker A")
    a.send_signal(signal.SIGKILL)
    a.wait(10)
    assert library.store.get_job(killed).saves == 0  # killed mid-job, before its result
    wait_for(lambda: all(library.store.get_job(j).status == "done" for j in jobs), 180,
             "every job done by worker B")
    done_exactly_once(library, jobs)
    retaken = library.store.get_job(killed)
    assert retaken.attempts == 2 and retaken.worker.split(":")[1] == str(b.pid)
    assert all(library.store.get_job(j).attempts == 1 for j in jobs if j != killed)
    assert b.poll() is None  # B still serving the queue


def test_sigterm_hands_the_running_job_back(tmp_path: Path, pg_url: str, redis_url: str,
                                            speech) -> None:
    import redis

    redis.Redis.from_url(redis_url).flushall()
    lib = Library(tmp_path, pg_url, redis_url, TRANSCRIPT_PLAYER_JOB_STOP_GRACE="0")
    try:
        a = lib.start("worker", "--workers", "1")
        [job] = lib.queue(speech, 1)
        wait_for(lambda: lib.running_on(a), 120, "the job running")
        a.send_signal(signal.SIGTERM)
        assert a.wait(30) == 0
        back = lib.store.get_job(job)
        assert (back.status, back.worker, back.saves) == ("queued", None, 0)
        lib.start("worker", "--workers", "1")  # the message is on the queue again
        wait_for(lambda: lib.store.get_job(job).status == "done", 120, "the job done")
        done_exactly_once(lib, [job])
        assert lib.store.get_job(job).attempts == 2
    finally:
        lib.close()


def test_sigterm_lets_a_job_finish_within_the_grace(tmp_path: Path, pg_url: str,
                                                    redis_url: str, speech) -> None:
    import redis

    redis.Redis.from_url(redis_url).flushall()
    lib = Library(tmp_path, pg_url, redis_url, TRANSCRIPT_PLAYER_JOB_STOP_GRACE="120")
    try:
        a = lib.start("worker", "--workers", "1")
        [job] = lib.queue(speech, 1)
        wait_for(lambda: lib.running_on(a), 120, "the job running")
        a.send_signal(signal.SIGTERM)
        assert a.wait(120) == 0
        done_exactly_once(lib, [job])
        assert lib.store.get_job(job).attempts == 1
    finally:
        lib.close()


def test_sigterm_to_serve_hands_back_and_a_restart_finishes(tmp_path: Path, speech) -> None:
    """The embedded default (SQLite store and queue in the data folder): `serve` stopped
    by SIGTERM mid-job; started again, it takes the job back and aligns it once."""
    data = tmp_path / "data"
    env = {**os.environ, "TRANSCRIPT_PLAYER_DATA": str(data),
           "TRANSCRIPT_PLAYER_JOB_LEASE": str(LEASE), "TRANSCRIPT_PLAYER_JOB_STOP_GRACE": "0"}
    env.pop("TRANSCRIPT_PLAYER_DATABASE_URL", None)
    env.pop("TRANSCRIPT_PLAYER_REDIS_URL", None)
    app = create_app({"DATA_DIR": str(data)})
    store = app.extensions["store"]
    procs = []
    port = free_port()

    def serve() -> subprocess.Popen:
        log = (tmp_path / f"serve-{len(procs)}.log").open("w")
        proc = subprocess.Popen(
            [sys.executable, "-c", "from webapp.cli import main; main()", "serve",
             "--port", str(port), "--workers", "1"],
            env=env, stdout=log, stderr=subprocess.STDOUT)
        procs.append(proc)
        return proc

    def listening() -> bool:
        import socket

        with socket.socket() as s:
            return s.connect_ex(("127.0.0.1", port)) == 0

    try:
        first = serve()
        rid = store_recording(app, speech.wav, RAW_TRANSCRIPT, title="Served talk")
        job = enqueue_alignment(app, rid)
        wait_for(lambda: store.get_job(job).status == "running" and listening(), 120,
                 "the job running and the server listening")
        first.send_signal(signal.SIGTERM)
        assert first.wait(30) == 0
        assert store.get_job(job).status == "queued" and store.get_job(job).saves == 0
        serve()
        wait_for(lambda: store.get_job(job).status == "done", 120, "the job done")
        finished = store.get_job(job)
        assert (finished.saves, finished.attempts) == (1, 2)
        assert store.get_recording(rid).status == "ready"
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
            proc.wait(10)
        store.dispose()
