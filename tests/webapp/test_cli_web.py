"""`transcript-player import`, `retry`, `serve` and `demo`."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

import alignment
from alignment.errors import AudioError
from tests.helpers import RAW_TRANSCRIPT, free_port, reading_syncmap
from webapp import create_app
from webapp.cli import main


@pytest.fixture
def transcript(tmp_path: Path) -> Path:
    path = tmp_path / "talk.txt"
    path.write_text(RAW_TRANSCRIPT, encoding="utf-8")
    return path


def run(*args: str) -> object:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_import_queue_stores_and_prints_the_path(tmp_path, speech, transcript) -> None:
    data = tmp_path / "data"
    result = run("import", str(speech.wav), str(transcript), "--title", "Queued",
                 "--data", str(data), "--queue", "--quiet")
    assert result.exit_code == 0, result.output
    last = result.output.strip().splitlines()[-1]
    assert last.startswith("/r/queued-")
    app = create_app({"DATA_DIR": str(data)})
    rec = app.extensions["store"].get_recording(last.removeprefix("/r/"))
    assert rec.status == "queued" and rec.transcript == RAW_TRANSCRIPT
    assert app.extensions["store"].latest_job(rec.id).status == "queued"
    app.extensions["store"].dispose()


@pytest.mark.slow
def test_import_aligns_in_process(tmp_path, speech, transcript, monkeypatch) -> None:
    data = tmp_path / "data"
    result = run("import", str(speech.wav), str(transcript), "--title", "Harbour talk",
                 "--data", str(data))
    assert result.exit_code == 0, result.output
    path = result.output.strip().splitlines()[-1]
    assert path.startswith("/r/harbour-talk-")
    client = create_app({"DATA_DIR": str(data)}).test_client()
    html = client.get(path).get_data(as_text=True)
    assert "The café on the pier opens at nine." in html and 'class="s' in html


def test_import_failure_keeps_the_recording_and_says_retry(tmp_path, speech, transcript,
                                                           monkeypatch) -> None:
    def fail(audio, text, language="eng", progress=None, **known):
        raise AudioError("the audio has no speech; give the recording of this transcript")

    monkeypatch.setattr(alignment, "align", fail)
    data = tmp_path / "data"
    result = run("import", str(speech.wav), str(transcript), "--title", "Broken",
                 "--data", str(data), "--quiet")
    assert result.exit_code == 2
    assert "no speech" in result.output and "transcript-player retry broken-" in result.output
    rid = result.output.split("retry ")[1].split(")")[0].strip()
    monkeypatch.setattr(alignment, "align",
                        lambda audio, text, language="eng", progress=None, **known:
                        reading_syncmap(speech))
    again = run("retry", rid, "--data", str(data), "--quiet")
    assert again.exit_code == 0 and again.output.strip() == f"/r/{rid}"


@pytest.mark.parametrize(("name", "content", "message"), [
    ("missing.mp3", None, "does not exist"),
    ("empty.mp3", b"", "is empty"),
    ("text.mp3", b"not audio at all", "text.mp3"),
])
def test_import_bad_audio(tmp_path, transcript, name, content, message) -> None:
    audio = tmp_path / name
    if content is not None:
        audio.write_bytes(content)
    result = run("import", str(audio), str(transcript), "--title", "X",
                 "--data", str(tmp_path / "data"), "--quiet")
    assert result.exit_code == 2
    assert message in result.output and "Traceback" not in result.output


def test_import_bad_transcript_and_title(tmp_path, speech) -> None:
    latin1 = tmp_path / "latin1.txt"
    latin1.write_bytes("caf\xe9".encode("latin-1"))
    result = run("import", str(speech.wav), str(latin1), "--title", "X",
                 "--data", str(tmp_path / "data"))
    assert result.exit_code == 2 and "UTF-8" in result.output
    ok = tmp_path / "ok.txt"
    ok.write_text("Hello.", encoding="utf-8")
    result = run("import", str(speech.wav), str(ok), "--title", "   ",
                 "--data", str(tmp_path / "data"))
    assert result.exit_code == 2 and "title is empty" in result.output
    result = run("import", str(speech.wav), str(ok), "--data", str(tmp_path / "data"))
    assert result.exit_code == 2 and "--title" in result.output


def test_retry_unknown(tmp_path) -> None:
    result = run("retry", "nope", "--data", str(tmp_path / "data"))
    assert result.exit_code == 2 and "no recording 'nope'" in result.output


@pytest.mark.servers
def test_serve_uses_waitress_on_the_data_folder(tmp_path, speech) -> None:
    from tests.helpers import add_reading

    data = tmp_path / "data"
    app = create_app({"DATA_DIR": str(data)})
    rid, _ = add_reading(app, speech)
    app.extensions["store"].dispose()
    port = free_port()
    env = dict(os.environ, TRANSCRIPT_PLAYER_DATA=str(data))
    proc = subprocess.Popen(
        [sys.executable, "-c", "from webapp.cli import main; main()", "serve", "--port",
         str(port)], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        body = headers = None
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/r/{rid}", timeout=2) as r:
                    body, headers = r.read().decode(), r.headers
                break
            except OSError:
                time.sleep(0.1)
        assert body is not None, proc.stderr.read1().decode() if proc.poll() else "no answer"
        assert headers["Server"] == "transcript-player"  # waitress, not Flask's dev server
        assert "The café on the pier opens at nine." in body
        # the same port again: a clear message, not a traceback
        second = subprocess.run(
            [sys.executable, "-c", "from webapp.cli import main; main()", "serve", "--port",
             str(port), "--workers", "0"], env=env, capture_output=True, text=True, timeout=30)
        assert second.returncode == 2 and "--port" in second.stderr
        assert "Traceback" not in second.stderr
    finally:
        proc.terminate()
        proc.wait(10)


@pytest.mark.servers
def test_import_queue_then_worker_aligns(tmp_path, speech, transcript) -> None:
    """The whole background path with the real aligner: queue, a worker process, done."""
    data = tmp_path / "data"
    result = run("import", str(speech.wav), str(transcript), "--title", "Background",
                 "--data", str(data), "--queue", "--quiet")
    rid = result.output.strip().splitlines()[-1].removeprefix("/r/")
    proc = subprocess.Popen(
        [sys.executable, "-c", "from webapp.cli import main; main()", "worker", "--data",
         str(data), "--workers", "1"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        app = create_app({"DATA_DIR": str(data)})
        store = app.extensions["store"]
        deadline = time.monotonic() + 60
        while store.get_recording(rid).status != "ready" and time.monotonic() < deadline:
            assert proc.poll() is None, proc.stderr.read().decode()
            time.sleep(0.2)
        assert store.get_recording(rid).status == "ready"
        assert store.latest_job(rid).status == "done"
        syncmap = store.load_syncmap(store.get_recording(rid))
        assert sum(s.aligned for s in syncmap.sentences) >= 5
    finally:
        proc.terminate()
        proc.wait(10)


@pytest.mark.parametrize(("host", "url"), [
    ("127.0.0.1", "http://127.0.0.1:5000"), ("::1", "http://[::1]:5000"),
    ("localhost", "http://localhost:5000"),
])
def test_server_addresses(host: str, url: str) -> None:
    from webapp.cli import _url

    assert _url(host, 5000) == url


def test_import_of_a_transcript_with_nothing_spoken_stores_nothing(tmp_path, speech) -> None:
    silent = tmp_path / "applause.txt"
    silent.write_text("[Applause]\n", encoding="utf-8")
    data = tmp_path / "data"
    result = run("import", str(speech.wav), str(silent), "--title", "Applause",
                 "--data", str(data))
    assert result.exit_code == 2 and "no spoken text" in result.output
    assert list((data / "media").iterdir()) == []
    app = create_app({"DATA_DIR": str(data)})
    assert app.extensions["store"].list_recordings() == []
    app.extensions["store"].dispose()
