"""The task queue (Huey), the alignment task, and the leases that keep jobs from being
lost or done twice.

Huey keeps its queue in SQLite inside the data folder by default, and in Redis when
`TRANSCRIPT_PLAYER_REDIS_URL` (config `REDIS_URL`) is set, so workers on other machines
can share it. `serve` runs worker threads in-process; `transcript-player worker` runs
workers on their own. Both use Huey's consumer as it is (`create_consumer`, `start`,
`run`, `stop`).

The task is `run_alignment`. It first claims the job: the job row then names this
worker and a lease expiry (`JOB_LEASE_SECONDS`), renewed by a heartbeat while the
alignment runs. It aligns through `alignment.align`, records stage and percent as it
goes, and writes the sentences, the search index and the job's end in one transaction,
only while it still holds the lease and the job is still the recording's latest. A
worker killed mid-job stops renewing; once the lease has run out, any worker's lease
keeper (`reclaim_expired`, at start and every half lease) puts the job back on the
queue. A worker told to stop (SIGTERM) lets its jobs finish for `JOB_STOP_GRACE`
seconds, then hands the rest back (`hand_back`). A failed job leaves the recording's
inputs (audio and transcript) as they were; `retry` queues a new job for them.
"""

from __future__ import annotations

import logging
import os
import secrets
import signal
import socket
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING

from flask import Flask
from huey import Huey, RedisHuey, SqliteHuey
from huey.consumer import Consumer

import alignment
from alignment import AlignmentError, SyncMap
from webapp.messages import public_message
from webapp.store import Store

if TYPE_CHECKING:  # the engine module loads numpy and aeneas: only for the type
    from alignment import Progress

__all__ = [
    "POLL_MAX_DELAY", "STAGE_SPANS", "LeaseLost", "Stopping", "align_now", "enqueue_alignment",
    "hand_back", "init_app", "make_huey", "overall_fraction", "reclaim_expired", "requeue",
    "run_alignment", "start_consumer_threads",
    "start_lease_keeper", "stop_consumer_threads",
]

log = logging.getLogger(__name__)

#: default seconds a claim lasts without renewal (config JOB_LEASE_SECONDS)
LEASE_SECONDS = 60.0

# job id -> the worker name holding it, for every job this process runs now
_running: dict[int, str] = {}
_running_lock = threading.Lock()
# set once this process is stopping: a message its queue threads still take goes back
_stopping = threading.Event()


class Stopping(Exception):
    """This process is stopping: the job was not claimed, and goes back on the queue."""


class LeaseLost(Exception):
    """This worker no longer holds the job (its lease ran out and another took it, or
    the job was handed back): it stops without writing anything."""


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
    lease = float(app.config.get("JOB_LEASE_SECONDS") or LEASE_SECONDS)

    @huey.task(name="align_recording")
    def align_recording(job_id: int) -> None:
        try:
            run_alignment(store, media_dir, job_id, lease=lease)
        except Stopping:
            # this process is handing its jobs back: the message goes back with them,
            # for a worker that is not stopping (dropped here it would be lost)
            align_recording(job_id)

    app.extensions["huey"] = huey
    app.extensions["align_task"] = align_recording


def enqueue_alignment(app: Flask, recording_id: str) -> int:
    """Queue an alignment of a stored recording; returns the job id.

    When the queue cannot take it (Redis down, the queue file unwritable), the job is
    marked failed with the reason (and so the recording), so nothing waits "queued" for
    a worker that will never hear of it, and the error is raised again.
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
        raise
    return job_id


def requeue(app: Flask, job_id: int) -> bool:
    """Put a job whose lease has run out back on the queue; False when someone else
    took it meanwhile.

    The message goes first and the row second, so a worker killed in between leaves a
    job whose lease is still out (taken back again by the next look), never one marked
    queued that no message names; a message sent twice is harmless, as only one claim
    can succeed.
    """
    app.extensions["align_task"](job_id)
    return app.extensions["store"].requeue_expired(job_id)


def reclaim_expired(app: Flask) -> list[int]:
    """Re-queue every job whose worker's lease has run out; their ids."""
    store: Store = app.extensions["store"]
    return [job_id for job_id in store.expired_jobs() if requeue(app, job_id)]


def hand_back(app: Flask) -> list[int]:
    """Give the jobs this process is running back to the queue (it is stopping); their
    ids. Their threads lose the lease, so whatever they still compute is not written."""
    store: Store = app.extensions["store"]
    with _running_lock:  # no claim is half made: each is in _running, or will not be
        _stopping.set()
        held = dict(_running)
    handed = []
    for job_id, worker in held.items():
        if store.expire_lease(job_id, worker):
            requeue(app, job_id)
            handed.append(job_id)
    return handed


def start_lease_keeper(app: Flask, interval: float | None = None) -> threading.Thread:
    """Take back expired jobs now and then every `interval` seconds (half a lease by
    default), in a daemon thread."""
    lease = float(app.config.get("JOB_LEASE_SECONDS") or LEASE_SECONDS)
    interval = interval if interval is not None else max(0.5, lease / 2)

    def run() -> None:
        while True:
            try:
                taken = reclaim_expired(app)
                if taken:
                    log.warning("took back jobs whose workers' leases ran out: %s", taken)
            except Exception:  # noqa: BLE001 - a failed look must not stop the worker
                log.exception("taking back expired jobs failed")
            time.sleep(interval)

    thread = threading.Thread(target=run, name="lease-keeper", daemon=True)
    thread.start()
    return thread


def align_now(app: Flask, recording_id: str, progress: Progress | None = None) -> SyncMap:
    """Align a stored recording in this process (a new job, not queued); its sync map,
    as it was stored.

    `progress(stage, fraction)` is told how it goes and closed afterwards if it has a
    `close()` (a progress bar). A failure raises `AlignmentError` with the job's
    message; the recording keeps its inputs for a retry.
    """
    store: Store = app.extensions["store"]
    job_id = store.add_job(recording_id)
    try:
        syncmap = run_alignment(store, Path(app.config["MEDIA_DIR"]), job_id,
                                progress=progress,
                                lease=float(app.config.get("JOB_LEASE_SECONDS")
                                            or LEASE_SECONDS))
    finally:
        close = getattr(progress, "close", None)
        if close is not None:
            close()
    if syncmap is None:
        job = store.get_job(job_id)
        raise AlignmentError((job.error if job else "") or "the alignment failed")
    return syncmap


def worker_name() -> str:
    """A name for one claim: the machine, the process and a random part."""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"


class _Heartbeat:
    """Renews a lease every third of it until stopped; notes when it was lost."""

    def __init__(self, store: Store, job_id: int, worker: str, lease: float) -> None:
        self.store, self.job_id, self.worker, self.lease = store, job_id, worker, lease
        self.lost = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"lease-{job_id}",
                                        daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(self.lease / 3):
            try:
                if not self.store.renew_lease(self.job_id, self.worker, self.lease):
                    self.lost.set()
                    return
            except Exception:  # noqa: BLE001 - the database away a moment: try again
                log.exception("renewing the lease of job %s failed", self.job_id)

    def __enter__(self) -> _Heartbeat:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


#: each stage's share of the whole job (`alignment.align` reports a fraction per stage):
#: the job's percent is of the whole, so the bar never stands full while work remains
STAGE_SPANS = {"reading": (0.0, 0.03), "decoding": (0.03, 0.15), "aligning": (0.15, 0.6),
               "listening": (0.6, 0.9), "refining": (0.9, 1.0), "done": (1.0, 1.0)}


def overall_fraction(stage: str, fraction: float) -> float:
    """How far the whole job is (0 to 1) when `stage` is `fraction` done; an unknown
    stage counts as its own whole."""
    lo, hi = STAGE_SPANS.get(stage, (0.0, 1.0))
    return lo + (hi - lo) * max(0.0, min(1.0, float(fraction)))


def _job_progress(store: Store, job_id: int, worker: str, beat: _Heartbeat,
                  also: Progress | None) -> Progress:
    """A progress callback that writes stage and percent, at most a few times a second,
    and stops the alignment (LeaseLost) once the job is no longer this worker's."""
    last = {"stage": "", "t": 0.0, "pct": -1.0}

    def report(stage: str, fraction: float) -> None:
        if beat.lost.is_set():
            raise LeaseLost(f"job {job_id} is no longer held by {worker}")
        pct = round(overall_fraction(stage, fraction) * 100, 1)
        now = time.monotonic()
        if stage != last["stage"] or pct >= 100 or (now - last["t"] > 0.5 and pct != last["pct"]):
            if not store.update_job(job_id, stage=stage, percent=pct, worker=worker):
                beat.lost.set()
                raise LeaseLost(f"job {job_id} is no longer held by {worker}")
            last.update(stage=stage, t=now, pct=pct)
        if also is not None:
            also(stage, fraction)

    return report


def run_alignment(
    store: Store, media_dir: Path, job_id: int, progress: Progress | None = None,
    lease: float = LEASE_SECONDS,
) -> SyncMap | None:
    """Claim a job, align its recording and store the result; the stored sync map, or
    None when it failed or was not this worker's to run (done, or held by another).

    Errors in the input (`AlignmentError`) fail the job with their message; anything
    else fails it with a generic message and is raised again for the logs. Either way
    the recording keeps its audio and transcript.
    """
    worker = worker_name()
    with _running_lock:  # a claim and its record here are one step for `hand_back`
        if _stopping.is_set():
            raise Stopping(f"job {job_id} not taken: this process is stopping")
        job = store.claim_job(job_id, worker, lease)
        if job is not None:
            _running[job_id] = worker
    if job is None:
        if store.get_job(job_id) is None:
            raise LookupError(f"no alignment job {job_id}")
        return None  # done already, or another worker holds it: never run twice
    try:
        rec = store.get_recording(job.recording_id)
        if rec is None:
            store.update_job(job_id, status="failed", error="the recording was deleted")
            return None
        if _superseded(store, job_id, rec.id, worker):
            return None
        with _Heartbeat(store, job_id, worker, lease) as beat:
            store.update_job(job_id, stage="decoding", worker=worker)
            # the import probed and hashed the file: the engine need not again
            syncmap = alignment.align(
                str(media_dir / rec.audio_name), rec.transcript, language=rec.language,
                progress=_job_progress(store, job_id, worker, beat, progress),
                sha256=rec.audio_sha256 or None, duration_ms=rec.duration_ms or None,
            ).with_ids()
            # saved, and the job done, only while this worker holds it and no newer job
            # came in meanwhile (one transaction)
            if not store.save_alignment(rec.id, syncmap, job_id=job_id, worker=worker):
                _superseded(store, job_id, rec.id, worker)
                return None
    except LeaseLost:
        log.warning("job %s: the lease was lost; nothing written", job_id)
        return None
    except AlignmentError as err:
        _fail(store, job_id, worker, str(err))
        return None
    except Exception as err:
        _fail(store, job_id, worker,
              f"alignment failed unexpectedly ({type(err).__name__}: {err})")
        raise
    except KeyboardInterrupt:  # Ctrl-C in `import` or `retry`: never left "running"
        _fail(store, job_id, worker, "the alignment was interrupted (Ctrl-C); retry it")
        raise
    finally:
        with _running_lock:
            _running.pop(job_id, None)
    return syncmap


def _superseded(store: Store, job_id: int, recording_id: str, worker: str) -> bool:
    """True (and the job marked failed) when a newer job on the recording exists.

    Two jobs on one recording (a retry while a worker still runs the first) must not
    overwrite each other: the newest one wins, an older one stops without touching
    the recording.
    """
    latest = store.latest_job(recording_id)
    if latest is None or latest.id == job_id:
        return False
    store.update_job(job_id, status="failed", worker=worker,
                     error=f"superseded by job {latest.id}, a newer alignment of the recording")
    return True


def _fail(store: Store, job_id: int, worker: str, message: str) -> None:
    """Fail the job (while this worker holds it). The recording's status is its latest
    job's, so a newer job keeps the recording as it is.

    The message is shown on the page and in status.json, so files are named by their
    base name, never by a server path.
    """
    store.update_job(job_id, status="failed", error=public_message(message), worker=worker)


#: the longest an idle worker waits before it looks at the queue again (s)
POLL_MAX_DELAY = 0.5


def start_consumer_threads(huey: Huey, workers: int = 1) -> Consumer:
    """Run queue workers as daemon threads of this process (used by `serve`), with
    Huey's `Consumer.start`.

    The web server keeps its own signal handling: the handlers `start` installs (for
    `Consumer.run`'s loop, which `serve` does not run) are put back as they were.
    """
    # an idle worker looks for jobs at least twice a second (Huey's default backs off to
    # ten seconds, so a new upload could sit "queued" that long with nothing to do)
    consumer = huey.create_consumer(workers=workers, worker_type="thread", periodic=False,
                                    max_delay=POLL_MAX_DELAY)
    signals = [s for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)]
    saved = {s: signal.getsignal(s) for s in signals}
    consumer.start()
    for signum, handler in saved.items():
        signal.signal(signum, handler)
    return consumer


def stop_consumer_threads(consumer: Consumer, timeout: float = 5.0) -> None:
    """Stop in-process workers: new jobs are no longer taken, and the running ones have
    `timeout` seconds to finish (`Consumer.stop(graceful=True)`)."""
    consumer.shutdown_timeout = timeout
    consumer.stop(graceful=True)


def _stop(app: Flask, consumer: Consumer) -> list[int]:
    """Let running jobs finish for JOB_STOP_GRACE seconds, then hand the rest back."""
    stop_consumer_threads(consumer, float(app.config.get("JOB_STOP_GRACE") or 0))
    handed = hand_back(app)
    if handed:
        log.warning("handed back jobs still running at shutdown: %s", handed)
    return handed


def start_in_process_workers(app: Flask, workers: int) -> Consumer:
    """The workers of `serve`: queue threads in this process and the lease keeper.

    SIGTERM (systemd, Docker) then stops the web server, as Ctrl-C does; when the process
    ends, running jobs get JOB_STOP_GRACE seconds to finish and the rest go back on the
    queue, so another worker runs them.
    """
    import atexit

    consumer = start_consumer_threads(app.extensions["huey"], workers=workers)
    start_lease_keeper(app)
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _interrupt)
    atexit.register(_stop, app, consumer)
    return consumer


def _interrupt(signum: int, frame: object) -> None:
    # waitress ends its loop on SystemExit as on Ctrl-C; anywhere else it ends the
    # process with status 0, and the atexit handler hands the jobs back either way
    raise SystemExit(0)


def run_worker(app: Flask, workers: int) -> None:
    """The `worker` command: Huey's consumer (`Consumer.run`) with `workers` threads, and
    the lease keeper, until SIGTERM or Ctrl-C; then running jobs get JOB_STOP_GRACE
    seconds to finish, and the rest are handed back."""
    grace = float(app.config.get("JOB_STOP_GRACE") or 0)
    consumer = app.extensions["huey"].create_consumer(
        workers=workers, worker_type="thread", periodic=False, max_delay=POLL_MAX_DELAY,
        # SIGTERM stops gracefully (lets jobs finish for `grace` s), as does Ctrl-C
        graceful_signal="TERM", shutdown_timeout=grace)
    start_lease_keeper(app)
    consumer.run()
    handed = hand_back(app)
    if handed:
        log.warning("handed back jobs still running at shutdown: %s", handed)
