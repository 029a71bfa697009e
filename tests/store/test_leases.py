"""Job leases in the store, on SQLite and PostgreSQL: one claim at a time, renewal, a
lost lease writes nothing, expired jobs are found again, the result is written once."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.helpers import RAW_TRANSCRIPT, reading_syncmap
from webapp.importer import store_recording
from webapp.jobs import hand_back, reclaim_expired


@pytest.fixture
def job(app, speech):
    """A stored recording and a job for it; (recording id, job id)."""
    rid = store_recording(app, speech.wav, RAW_TRANSCRIPT, title="Leased talk")
    return rid, app.extensions["store"].add_job(rid)


def test_a_job_is_claimed_once(app, job) -> None:
    store = app.extensions["store"]
    _, job_id = job
    first = store.claim_job(job_id, "a", lease=30)
    assert first is not None and first.status == "running" and first.worker == "a"
    assert store.claim_job(job_id, "b", lease=30) is None  # a holds it
    assert store.get_job(job_id).attempts == 1
    assert store.get_recording(first.recording_id).status == "aligning"


def test_an_expired_lease_is_anyones(app, job) -> None:
    store = app.extensions["store"]
    _, job_id = job
    # a lease long enough that a loaded machine cannot outlast it between two calls
    store.claim_job(job_id, "a", lease=30)
    assert store.expired_jobs() == []
    assert store.renew_lease(job_id, "a", 0.2)  # then a short one, left to run out
    time.sleep(0.4)
    assert store.expired_jobs() == [job_id]
    assert not store.renew_lease(job_id, "b", 30)  # not b's
    taken = store.claim_job(job_id, "b", lease=30)
    assert taken is not None and taken.worker == "b" and taken.attempts == 2
    assert not store.renew_lease(job_id, "a", 30)  # a lost it
    assert store.renew_lease(job_id, "b", 30)


def test_a_lost_lease_writes_nothing(app, job, speech) -> None:
    store = app.extensions["store"]
    rid, job_id = job
    store.claim_job(job_id, "a", lease=0.2)
    time.sleep(0.4)
    store.claim_job(job_id, "b", lease=30)
    syncmap = reading_syncmap(speech)
    # a comes back with its result: refused, in the same transaction as the write
    assert not store.save_alignment(rid, syncmap, job_id=job_id, worker="a")
    assert not store.update_job(job_id, stage="aligning", worker="a")
    assert store.load_syncmap(store.get_recording(rid)).sentences == ()
    assert store.save_alignment(rid, syncmap, job_id=job_id, worker="b")
    # once done, nothing writes again, not even its own worker
    assert not store.save_alignment(rid, syncmap, job_id=job_id, worker="b")
    done = store.get_job(job_id)
    assert (done.status, done.saves, done.worker) == ("done", 1, "b")
    assert store.get_recording(rid).status == "ready"


def test_expired_jobs_go_back_on_the_queue(app, job, monkeypatch) -> None:
    store = app.extensions["store"]
    _, job_id = job
    sent: list[int] = []
    monkeypatch.setitem(app.extensions, "align_task", sent.append)
    store.claim_job(job_id, "gone", lease=0.1)
    time.sleep(0.3)
    assert reclaim_expired(app) == [job_id] and sent == [job_id]
    queued = store.get_job(job_id)
    assert (queued.status, queued.worker) == ("queued", None)
    assert reclaim_expired(app) == []  # once


def test_hand_back_gives_running_jobs_to_the_queue(app, job, speech, monkeypatch) -> None:
    """What SIGTERM does once the grace is over: the job is anyone's, the queue has it,
    and the stopping worker's late result is refused."""
    import threading

    import webapp.jobs as jobs

    monkeypatch.setattr(jobs, "_stopping", threading.Event())  # this process goes on
    store = app.extensions["store"]
    rid, job_id = job
    sent: list[int] = []
    monkeypatch.setitem(app.extensions, "align_task", sent.append)
    store.claim_job(job_id, "me", lease=30)
    monkeypatch.setitem(jobs._running, job_id, "me")
    assert hand_back(app) == [job_id] and sent == [job_id]
    assert store.get_job(job_id).status == "queued"
    assert not store.save_alignment(rid, reading_syncmap(speech), job_id=job_id, worker="me")
    # and a message this process's queue threads still take is not run but sent back
    with pytest.raises(jobs.Stopping):
        jobs.run_alignment(store, Path(app.config["MEDIA_DIR"]), job_id)
    assert store.get_job(job_id).status == "queued"
