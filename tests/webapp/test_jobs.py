"""The alignment task: progress on the job row, one transaction, failures keep the inputs."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

import alignment
from alignment.errors import AudioError
from tests.conftest import RAW_TRANSCRIPT, reading_syncmap
from webapp.importer import store_recording
from webapp.jobs import enqueue_alignment, run_alignment


@pytest.fixture
def stored(app, speech):
    """A recording stored and queued, not aligned yet."""
    return store_recording(app, speech.wav, RAW_TRANSCRIPT, title="Queued talk")


def fake_aligner(result, seen: list):
    """Stands in for the engine where the test is about the job, not the alignment."""

    def align(audio, transcript, language="eng", progress=None):
        seen.append((audio, transcript, language))
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
    audio, transcript, language = seen[0]
    assert audio.endswith(rec.audio_name) and transcript == RAW_TRANSCRIPT and language == "eng"
    assert stages == ["decoding", "decoding", "aligning", "aligning"]
    job = store.get_job(job_id)
    assert (job.status, job.stage, job.percent) == ("done", "done", 100.0)
    assert len(store.load_syncmap(stored).sentences) == 6
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
    assert len(store.load_syncmap(rid).sentences) == len(syncmap.sentences)
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


def _wait_for(predicate, timeout: float = 20.0) -> bool:
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


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
        assert _wait_for(lambda: store.get_job(job_id).status == "done")
        assert store.get_recording(rid).status == "ready"
    finally:
        stop_consumer_threads(consumer)
        store.dispose()


def test_sqlite_queue_with_worker_threads(tmp_path, speech, monkeypatch) -> None:
    _queue_through_workers({"DATA_DIR": str(tmp_path / "data")}, speech, monkeypatch)


@pytest.mark.redis
def test_redis_queue_with_worker_threads(tmp_path, speech, monkeypatch) -> None:
    import shutil
    import socket
    import subprocess

    assert shutil.which("redis-server"), "redis-server is needed (make setup installs it)"
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no", "--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        import redis

        client = redis.Redis(port=port)
        assert _wait_for(lambda: _pings(client), 10)
        _queue_through_workers({"DATA_DIR": str(tmp_path / "data"),
                                "REDIS_URL": f"redis://127.0.0.1:{port}/0"}, speech, monkeypatch)
    finally:
        server.terminate()
        server.wait(10)


def _pings(client) -> bool:
    try:
        return bool(client.ping())
    except Exception:  # noqa: BLE001 - not up yet
        return False
