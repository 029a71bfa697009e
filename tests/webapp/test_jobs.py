"""The alignment task: progress on the job row, one transaction, failures keep the inputs."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

import alignment
from alignment.errors import AudioError
from tests.helpers import RAW_TRANSCRIPT, reading_syncmap, wait_for
from webapp.importer import store_recording
from webapp.jobs import enqueue_alignment, run_alignment


@pytest.fixture
def stored(app, speech):
    """A recording stored and queued, not aligned yet."""
    return store_recording(app, speech.wav, RAW_TRANSCRIPT, title="Queued talk")


def fake_aligner(result, seen: list):
    """Stands in for the engine where the test is about the job, not the alignment."""

    def align(audio, transcript, language="eng", progress=None, *, sha256=None,
              duration_ms=None):
        seen.append((audio, transcript, language, sha256, duration_ms))
        for stage in ("decoding", "aligning"):
            progress(stage, 0.5)
            progress(stage, 1.0)
        if isinstance(result, Exception):
            raise result
        return result

    return align


def test_success_writes_sentences_index_and_progress(app, stored, speech, monkeypatch) -> None:
    seen: list = []
    monkeypatch.setattr(alignment, "align", fake_aligner(reading_syncmap(speech), seen))
    store = app.extensions["store"]
    job_id = store.add_job(stored)
    stages: list[str] = []
    assert run_alignment(store, Path(app.config["MEDIA_DIR"]), job_id,
                         progress=lambda s, f: stages.append(s))
    rec = store.get_recording(stored)
    assert rec.status == "ready" and rec.aligned_at is not None
    audio, transcript, language, sha256, duration_ms = seen[0]
    assert audio.endswith(rec.audio_name) and transcript == RAW_TRANSCRIPT and language == "eng"
    # what the import measured is handed on, not read from the file again
    assert (sha256, duration_ms) == (rec.audio_sha256, rec.duration_ms) and sha256
    assert stages == ["decoding", "decoding", "aligning", "aligning"]
    job = store.get_job(job_id)
    assert (job.status, job.stage, job.percent) == ("done", "done", 100.0)
    assert len(store.load_syncmap(store.get_recording(stored)).sentences) == 6
    assert store.search("cafe", stored)[1] == 1


def test_failure_keeps_the_inputs_and_retry_works(app, stored, speech, monkeypatch) -> None:
    store = app.extensions["store"]
    media = Path(app.config["MEDIA_DIR"])
    seen: list = []
    monkeypatch.setattr(alignment, "align", fake_aligner(
        AudioError("the audio is silent; give a recording with speech"), seen))
    job_id = store.add_job(stored)
    assert not run_alignment(store, media, job_id)
    rec = store.get_recording(stored)
    assert rec.status == "failed" and "silent" in rec.error
    assert store.get_job(job_id).status == "failed"
    assert "silent" in store.get_job(job_id).error
    assert rec.transcript == RAW_TRANSCRIPT and (media / rec.audio_name).is_file()
    # retry: a new job on the same inputs
    monkeypatch.setattr(alignment, "align", fake_aligner(reading_syncmap(speech), seen))
    retry = store.add_job(stored)
    assert retry != job_id and run_alignment(store, media, retry)
    assert store.get_recording(stored).status == "ready"
    assert seen[0] == seen[1]


def test_unexpected_errors_fail_the_job_and_are_raised(app, stored, monkeypatch) -> None:
    monkeypatch.setattr(alignment, "align", fake_aligner(MemoryError("boom"), []))
    store = app.extensions["store"]
    job_id = store.add_job(stored)
    with pytest.raises(MemoryError):
        run_alignment(store, Path(app.config["MEDIA_DIR"]), job_id)
    assert store.get_recording(stored).status == "failed"
    assert "MemoryError" in store.get_job(job_id).error


def test_saving_is_one_transaction(app, recording) -> None:
    rid, syncmap = recording
    store = app.extensions["store"]
    broken = replace(syncmap, sentences=syncmap.sentences + (syncmap.sentences[0],))  # dup key
    with pytest.raises(Exception):  # noqa: B017 - the database's integrity error
        store.save_alignment(rid, broken)
    assert len(store.load_syncmap(store.get_recording(rid)).sentences) == len(syncmap.sentences)
    assert store.search("cafe", rid)[1] == 1


def test_enqueue_runs_through_huey(app, stored, speech, monkeypatch) -> None:
    # the app fixture runs Huey in immediate mode: the task runs as it is queued
    monkeypatch.setattr(alignment, "align", fake_aligner(reading_syncmap(speech), []))
    job_id = enqueue_alignment(app, stored)
    assert app.extensions["store"].get_job(job_id).status == "done"
    assert app.extensions["store"].get_recording(stored).status == "ready"


def test_queue_backends(tmp_path) -> None:
    from huey import RedisHuey, SqliteHuey

    from webapp.jobs import make_huey

    assert isinstance(make_huey({"DATA_DIR": str(tmp_path)}), SqliteHuey)
    assert isinstance(make_huey({"DATA_DIR": str(tmp_path), "REDIS_URL": "redis://127.0.0.1:1/0"}),
                      RedisHuey)



def _queue_through_workers(config: dict, speech, monkeypatch) -> None:
    """Queue a job and let worker threads (as `serve` runs them) take it from the queue."""
    from webapp import create_app
    from webapp.jobs import start_consumer_threads, stop_consumer_threads

    monkeypatch.setattr(alignment, "align", fake_aligner(reading_syncmap(speech), []))
    app = create_app(config)
    store = app.extensions["store"]
    rid = store_recording(app, speech.wav, RAW_TRANSCRIPT, title="Through the queue")
    consumer = start_consumer_threads(app.extensions["huey"], workers=1)
    try:
        job_id = enqueue_alignment(app, rid)
        wait_for(lambda: store.get_job(job_id).status == "done", what="the job done")
        assert store.get_recording(rid).status == "ready"
    finally:
        stop_consumer_threads(consumer)
        store.dispose()


def test_sqlite_queue_with_worker_threads(tmp_path, speech, monkeypatch) -> None:
    _queue_through_workers({"DATA_DIR": str(tmp_path / "data")}, speech, monkeypatch)


@pytest.mark.redis
def test_redis_queue_with_worker_threads(tmp_path, speech, monkeypatch) -> None:
    from testsupport.servers import redis_server

    with redis_server() as url:
        _queue_through_workers({"DATA_DIR": str(tmp_path / "data"), "REDIS_URL": url},
                               speech, monkeypatch)


def test_a_failed_enqueue_fails_the_job_and_the_recording(app, stored, monkeypatch) -> None:
    def queue_down(job_id):
        raise ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setitem(app.extensions, "align_task", queue_down)
    store = app.extensions["store"]
    with pytest.raises(ConnectionError):
        enqueue_alignment(app, stored)
    job = store.latest_job(stored)
    rec = store.get_recording(stored)
    assert job.status == "failed" and "could not be queued" in job.error
    assert "Connection refused" in job.error
    assert rec.status == "failed" and rec.error == job.error


def test_an_older_job_does_not_run_once_a_newer_one_exists(app, stored, speech,
                                                           monkeypatch) -> None:
    seen: list = []
    monkeypatch.setattr(alignment, "align", fake_aligner(reading_syncmap(speech), seen))
    store = app.extensions["store"]
    media = Path(app.config["MEDIA_DIR"])
    old = store.add_job(stored)
    new = store.add_job(stored)
    assert not run_alignment(store, media, old)
    assert seen == []  # never aligned
    job = store.get_job(old)
    assert job.status == "failed" and f"superseded by job {new}" in job.error
    rec = store.get_recording(stored)
    assert rec.status == "queued" and rec.error == ""  # the recording is the new job's
    assert run_alignment(store, media, new)
    assert store.get_recording(stored).status == "ready"


def test_a_job_overtaken_while_aligning_does_not_save(app, stored, speech, monkeypatch) -> None:
    store = app.extensions["store"]
    media = Path(app.config["MEDIA_DIR"])
    newer: list[int] = []
    real = fake_aligner(reading_syncmap(speech), [])

    def align_while_a_retry_comes_in(*args, **kwargs):
        newer.append(store.add_job(stored))  # someone runs `retry` meanwhile
        return real(*args, **kwargs)

    monkeypatch.setattr(alignment, "align", align_while_a_retry_comes_in)
    job_id = store.add_job(stored)
    assert not run_alignment(store, media, job_id)
    assert "superseded" in store.get_job(job_id).error
    assert store.load_syncmap(store.get_recording(stored)).sentences == ()  # nothing saved
    assert store.get_recording(stored).status == "queued"
    assert store.get_job(newer[0]).status == "queued"


def test_an_older_job_failing_leaves_the_recording_to_the_newer(app, stored,
                                                                 monkeypatch) -> None:
    store = app.extensions["store"]
    newer: list[int] = []

    def fail_after_a_retry_came_in(*args, **kwargs):
        newer.append(store.add_job(stored))
        raise AudioError("the audio is silent; give a recording with speech")

    monkeypatch.setattr(alignment, "align", fail_after_a_retry_came_in)
    job_id = store.add_job(stored)
    assert not run_alignment(store, Path(app.config["MEDIA_DIR"]), job_id)
    assert store.get_job(job_id).status == "failed"
    assert store.get_recording(stored).status == "queued"


class ClosingProgress:
    """A progress callback that records what it is told and whether it was closed."""

    def __init__(self) -> None:
        self.stages: list[str] = []
        self.closed = False

    def __call__(self, stage: str, fraction: float) -> None:
        self.stages.append(stage)

    def close(self) -> None:
        self.closed = True


def test_align_now_returns_the_sync_map_and_closes_the_progress(app, stored, speech,
                                                                monkeypatch) -> None:
    from webapp.jobs import align_now

    monkeypatch.setattr(alignment, "align", fake_aligner(reading_syncmap(speech), []))
    bar = ClosingProgress()
    syncmap = align_now(app, stored, progress=bar)
    assert len(syncmap.sentences) == 6 and bar.closed and "aligning" in bar.stages
    assert app.extensions["store"].latest_job(stored).status == "done"


def test_align_now_raises_the_jobs_error(app, stored, monkeypatch) -> None:
    from alignment.errors import AlignmentError
    from webapp.jobs import align_now

    monkeypatch.setattr(alignment, "align", fake_aligner(
        AudioError("the audio is silent; give a recording with speech"), []))
    bar = ClosingProgress()
    with pytest.raises(AlignmentError, match="the audio is silent"):
        align_now(app, stored, progress=bar)
    assert bar.closed
    assert app.extensions["store"].get_recording(stored).status == "failed"
