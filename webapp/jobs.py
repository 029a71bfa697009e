"""The task queue (Huey) and the alignment task.

Huey keeps its queue in SQLite inside the data folder by default, and in Redis when
`TRANSCRIPT_PLAYER_REDIS_URL` (config `REDIS_URL`) is set, so workers on other machines
can share it. `serve` runs worker threads in-process; `transcript-player worker` runs
workers on their own.

The task itself is `run_alignment`: it decodes and aligns through `alignment.align`,
records stage and percent on the job row as it goes, and writes the sentences and the
search index in one transaction. A failed job leaves the recording's inputs (audio and
transcript) as they were; `retry` queues a new job for them.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING

from flask import Flask
from huey import Huey, RedisHuey, SqliteHuey
from huey.consumer import Consumer

import alignment
from alignment.errors import AlignmentError
from alignment.syncmap import SyncMap
from webapp.messages import public_message
from webapp.store import Store

if TYPE_CHECKING:  # the engine module loads numpy and aeneas: only for the type
    from alignment.engine import Progress

__all__ = [
    "align_now", "enqueue_alignment", "init_app", "make_huey", "run_alignment",
    "start_consumer_threads",
]


def make_huey(config: dict) -> Huey:
    """The queue: RedisHuey when REDIS_URL is set, else SqliteHuey in the data folder."""
    immediate = bool(config.get("HUEY_IMMEDIATE"))
    if config.get("REDIS_URL"):
        return RedisHuey("transcript-player", url=config["REDIS_URL"], immediate=immediate)
    filename = str(Path(config["DATA_DIR"]) / "queue.sqlite3")
    return SqliteHuey("transcript-player", filename=filename, immediate=immediate)


def init_app(app: Flask) -> None:
    """Create the app's queue and register the alignment task on it."""
    huey = make_huey(app.config)
    store: Store = app.extensions["store"]
    media_dir = Path(app.config["MEDIA_DIR"])

    @huey.task(name="align_recording")
    def align_recording(job_id: int) -> None:
        run_alignment(store, media_dir, job_id)

    app.extensions["huey"] = huey
    app.extensions["align_task"] = align_recording


def enqueue_alignment(app: Flask, recording_id: str) -> int:
    """Queue an alignment of a stored recording; returns the job id.

    When the queue cannot take it (Redis down, the queue file unwritable), the job and
    the recording are marked failed with the reason, so nothing waits "queued" for a
    worker that will never hear of it, and the error is raised again.
    """
    store: Store = app.extensions["store"]
    job_id = store.add_job(recording_id)
    try:
        app.extensions["align_task"](job_id)
    except Exception as err:
        job = store.get_job(job_id)
        if job is not None and job.status == "queued":  # not already run and failed
            message = public_message(
                f"the alignment could not be queued ({type(err).__name__}: {err})")
            store.update_job(job_id, status="failed", error=message)
            store.set_status(recording_id, "failed", message)
        raise
    return job_id


def align_now(app: Flask, recording_id: str, progress: Progress | None = None) -> SyncMap:
    """Align a stored recording in this process (a new job, not queued); its sync map.

    `progress(stage, fraction)` is told how it goes and closed afterwards if it has a
    `close()` (a `webapp.progress.ProgressBar`). A failure raises `AlignmentError` with
    the job's message; the recording keeps its inputs for a retry.
    """
    store: Store = app.extensions["store"]
    job_id = store.add_job(recording_id)
    try:
        ok = run_alignment(store, Path(app.config["MEDIA_DIR"]), job_id, progress=progress)
    finally:
        close = getattr(progress, "close", None)
        if close is not None:
            close()
    rec = store.get_recording_info(recording_id)
    if not ok or rec is None:
        job = store.get_job(job_id)
        raise AlignmentError((rec.error if rec else "") or (job.error if job else "")
                             or "the alignment failed")
    return store.load_syncmap(rec)


def _job_progress(store: Store, job_id: int, also: Progress | None) -> Progress:
    """A progress callback that writes stage and percent, at most a few times a second."""
    last = {"stage": "", "t": 0.0, "pct": -1.0}

    def report(stage: str, fraction: float) -> None:
        pct = round(max(0.0, min(1.0, float(fraction))) * 100, 1)
        now = time.monotonic()
        if stage != last["stage"] or pct >= 100 or (now - last["t"] > 0.5 and pct != last["pct"]):
            store.update_job(job_id, stage=stage, percent=pct)
            last.update(stage=stage, t=now, pct=pct)
        if also is not None:
            also(stage, fraction)

    return report


def run_alignment(
    store: Store, media_dir: Path, job_id: int, progress: Progress | None = None
) -> bool:
    """Align a job's recording and store the result; True when it succeeded.

    Errors in the input (`AlignmentError`) fail the job with their message; anything
    else fails it with a generic message and is raised again for the logs. Either way
    the recording keeps its audio and transcript.
    """
    job = store.get_job(job_id)
    if job is None:
        raise LookupError(f"no alignment job {job_id}")
    rec = store.get_recording(job.recording_id)
    if rec is None:
        store.update_job(job_id, status="failed", error="the recording was deleted")
        return False
    if _superseded(store, job_id, rec.id):
        return False
    store.update_job(job_id, status="running", stage="decoding", percent=0.0)
    store.set_status(rec.id, "aligning")
    audio_path = media_dir / rec.audio_name
    try:
        syncmap = alignment.align(
            str(audio_path), rec.transcript, language=rec.language,
            progress=_job_progress(store, job_id, progress),
        )
        # saved, and the job done, only if no newer job came in meanwhile (one transaction)
        if not store.save_alignment(rec.id, syncmap, job_id=job_id):
            _superseded(store, job_id, rec.id)
            return False
    except AlignmentError as err:
        _fail(store, job_id, rec.id, str(err))
        return False
    except Exception as err:
        _fail(store, job_id, rec.id,
              f"alignment failed unexpectedly ({type(err).__name__}: {err})")
        raise
    return True


def _superseded(store: Store, job_id: int, recording_id: str) -> bool:
    """True (and the job marked failed) when a newer job on the recording exists.

    Two jobs on one recording (a retry while a worker still runs the first) must not
    overwrite each other: the newest one wins, an older one stops without touching
    the recording.
    """
    latest = store.latest_job(recording_id)
    if latest is None or latest.id == job_id:
        return False
    store.update_job(job_id, status="failed",
                     error=f"superseded by job {latest.id}, a newer alignment of the recording")
    return True


def _fail(store: Store, job_id: int, recording_id: str, message: str) -> None:
    """Fail the job, and the recording too unless a newer job has taken it over.

    The message is shown on the page and in status.json, so files are named by their
    base name, never by a server path.
    """
    message = public_message(message)
    store.update_job(job_id, status="failed", error=message)
    latest = store.latest_job(recording_id)
    if latest is None or latest.id == job_id:
        store.set_status(recording_id, "failed", message)


def start_consumer_threads(huey: Huey, workers: int = 1) -> Consumer:
    """Run queue workers as daemon threads of this process (used by `serve`).

    Unlike `Consumer.run`, this installs no signal handlers, so the web server keeps
    its own Ctrl-C handling; the threads end with the process.
    """
    consumer = huey.create_consumer(workers=workers, worker_type="thread", periodic=False)
    consumer.scheduler.start()
    for _, thread in consumer.worker_threads:
        thread.start()
    return consumer


def stop_consumer_threads(consumer: Consumer, timeout: float = 5.0) -> None:
    """Ask in-process workers to stop and wait a little for them."""
    consumer.stop_flag.set()
    for _, thread in consumer.worker_threads:
        if isinstance(thread, threading.Thread):
            thread.join(timeout)
