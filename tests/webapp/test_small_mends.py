"""Issue 21 item 9, the smaller ones: a Range that is not one, 6to4 addresses, right-to-left
marks in titles, the stored files' mode, import-url's total deadline, Ctrl-C in `import`,
a transcript of a million one-word lines."""

from __future__ import annotations

import io
import ipaddress
import os
import signal
import stat
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.helpers import RAW_TRANSCRIPT, add_reading
from tests.webapp.test_import_url import Site, run, site  # noqa: F401 - the fixture
from webapp import create_app, fetch, limits

# ---------------------------------------------------------------- Range: bytes=abc

@pytest.mark.parametrize("header", ["bytes=abc", "bytes=", "items=0-5", "bytes=9-3",
                                    "bytes=abc, 0-5", "bytes=-"])
def test_a_range_that_is_not_one_is_ignored(app, client, recording, header) -> None:
    rid, _ = recording
    name = app.extensions["store"].get_recording(rid).rendition_name
    whole = client.get(f"/media/{name}").data
    resp = client.get(f"/media/{name}", headers={"Range": header})
    assert resp.status_code == 200 and resp.data == whole, header
    # a range that is one still gets its 206, and one outside the file its 416
    assert client.get(f"/media/{name}", headers={"Range": "bytes=0-9"}).status_code == 206
    assert client.get(f"/media/{name}",
                      headers={"Range": f"bytes={len(whole) + 5}-"}).status_code == 416


# ---------------------------------------------------------------- 6to4 and NAT64

@pytest.mark.parametrize(("address", "why"), [
    ("2002:7f00:1::1", "6to4"), ("2002:a00:1::", "6to4"), ("2002:5db8:d822::1", "6to4"),
    ("64:ff9b::7f00:1", "loopback"), ("64:ff9b::a00:1", "private"),
    ("64:ff9b::5db8:d822", None), ("2606:4700::1111", None),
])
def test_6to4_is_refused_and_nat64_is_checked_as_ipv4(address: str, why: str | None) -> None:
    got = fetch._refusal(ipaddress.ip_address(address))
    assert got is None if why is None else why in got, got


# ---------------------------------------------------------------- right-to-left titles

def test_right_to_left_marks_in_a_title_stay_in_it(app, client, speech) -> None:
    title = "\u202eevil title"  # RIGHT-TO-LEFT OVERRIDE, never closed
    rid, _ = add_reading(app, speech, title=title)
    player = client.get(f"/r/{rid}").get_data(as_text=True)
    assert f"<h1><bdi>{title}</bdi></h1>" in player
    assert f"<title>\u2068{title}" in player and "\u2069 · Transcript player</title>" in player
    library = client.get("/").get_data(as_text=True)
    assert f"<bdi>{title}</bdi></a></h3>" in library
    embed = client.get(f"/r/{rid}/embed").get_data(as_text=True)
    assert f"<bdi>{title}</bdi>" in embed
    hits = client.get("/search", query_string={"q": "harbour"}).get_data(as_text=True)
    assert f"<bdi>{title}</bdi>" in hits


# ---------------------------------------------------------------- the stored files' mode

def test_stored_media_are_readable_by_the_web_server(app, speech) -> None:
    add_reading(app, speech)
    files = list(Path(app.config["MEDIA_DIR"]).iterdir())
    assert len(files) == 2
    for path in files:
        assert stat.S_IMODE(path.stat().st_mode) == 0o644, path.name


# ---------------------------------------------------------------- import-url's deadline

def test_import_url_has_a_total_deadline(site: Site, tmp_path: Path,  # noqa: F811
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """One byte every 0.1 s never trips the wait between reads; the deadline stops it."""
    stop = threading.Event()

    def trickle(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html")
        handler.end_headers()
        while not stop.wait(0.1):
            try:
                handler.wfile.write(b"x")
                handler.wfile.flush()
            except OSError:
                return

    site.routes["/trickle.html"] = trickle
    monkeypatch.setattr(limits, "PAGE_DEADLINE", 1.0)
    started = time.monotonic()
    try:
        result = run("import-url", site.url("/trickle.html"), "--allow-private",
                     "--data", str(tmp_path / "d"))
    finally:
        stop.set()
    assert result.exit_code == 2
    assert "took longer than 1 s in all, the limit" in result.output.strip().splitlines()[-1]
    assert time.monotonic() - started < 5


# ---------------------------------------------------------------- Ctrl-C in import

_SLOW_IMPORT = """
import sys, time
import alignment

def slow(*args, progress=None, **kwargs):
    print("aligning", file=sys.stderr, flush=True)
    time.sleep(60)

alignment.align = slow
from webapp.cli import main
main(sys.argv[1:], prog_name="transcript-player")
"""


def test_ctrl_c_during_import_leaves_no_job_running_and_no_half_import(
        tmp_path: Path, speech) -> None:
    data = tmp_path / "data"
    transcript = tmp_path / "talk.txt"
    transcript.write_text(RAW_TRANSCRIPT, encoding="utf-8")
    args = ["import", str(speech.wav), str(transcript), "--title", "Talk", "--data", str(data),
            "--quiet"]
    proc = subprocess.Popen([sys.executable, "-c", _SLOW_IMPORT, *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stderr.readline()
        assert line.strip() == "aligning", line + proc.stderr.read()
        app = create_app({"DATA_DIR": str(data)})
        store = app.extensions["store"]
        [item] = store.list_recordings()
        assert store.latest_job(item.recording.id).status == "running"
        os.kill(proc.pid, signal.SIGINT)  # Ctrl-C
        out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode != 0 and "the import was undone" in err, err
    assert "Traceback" not in err
    assert store.list_recordings() == []
    assert store.latest_job(item.recording.id) is None
    assert list(Path(app.config["MEDIA_DIR"]).iterdir()) == []
    # importing the same files again makes one recording, not a second
    again = run("import", str(speech.wav), str(transcript), "--title", "Talk",
                "--data", str(data), "--queue", "--quiet")
    assert again.exit_code == 0, again.output
    assert len(store.list_recordings()) == 1
    store.dispose()


# ---------------------------------------------------------------- Ctrl-C as a child starts

def _family(root: int) -> list[int]:
    """The processes under `root` (children, theirs, ...), from /proc."""
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (FileNotFoundError, ProcessLookupError):
                continue
            parents.setdefault(ppid, []).append(int(entry.name))
    out, todo = [], [root]
    while todo:
        for kid in parents.get(todo.pop(), []):
            out.append(kid)
            todo.append(kid)
    return out


def _in_group(pgid: int) -> list[int]:
    """Live processes of the process group `pgid`."""
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except (FileNotFoundError, ProcessLookupError):
                continue
            if int(fields[2]) == pgid and fields[0] not in ("Z", "X"):
                out.append(int(entry.name))
    return out


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs Linux /proc")
def test_ctrl_c_as_children_start_always_stops_align(tmp_path: Path, speech) -> None:
    """`transcript-player align` on a short reading, sent SIGINT just as one of its
    child processes (eSpeak's readers and their batches, the listening children; ffprobe
    and ffmpeg for a file that is not plain 16 kHz WAV) appears,
    a random few milliseconds after, again and again: each run stops within seconds with
    status 130 and "interrupted", and leaves no process behind and no output. Before,
    about one in six such runs went on to the end (status 0) after "Exception ignored
    ... KeyboardInterrupt", or failed as if its child had crashed."""
    import random

    exe = Path(sys.executable).with_name("transcript-player")
    transcript = tmp_path / "talk.txt"
    transcript.write_text(RAW_TRANSCRIPT, encoding="utf-8")
    out = tmp_path / "talk.json"
    rng = random.Random(21)
    hits = 0
    for run_no in range(24):
        out.unlink(missing_ok=True)  # a run done before its child came wrote it
        nth, after = rng.randint(1, 4), rng.uniform(0, 0.02)
        to_group = run_no % 3 == 2  # a terminal's Ctrl-C reaches the children too
        proc = subprocess.Popen([str(exe), "align", str(speech.wav), str(transcript), "-o",
                                 str(out), "-q"], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, start_new_session=True)
        try:
            seen: set[int] = set()
            while proc.poll() is None and len(seen) < nth:
                seen.update(_family(proc.pid))
            time.sleep(after)
            if proc.poll() is not None:
                continue  # done before that child: nothing to interrupt
            sent = time.monotonic()
            if to_group:
                os.killpg(proc.pid, signal.SIGINT)
            else:
                proc.send_signal(signal.SIGINT)
            _, err = proc.communicate(timeout=30)
            took = time.monotonic() - sent
            time.sleep(0.2)  # what was killed is gone from /proc
            left = _in_group(proc.pid)
        finally:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        hits += 1
        case = f"run {run_no} (child {nth}, +{after * 1000:.0f} ms): {err}"
        assert proc.returncode == 130, case
        assert err.strip().splitlines()[-1] == "interrupted", case
        assert "Traceback" not in err and "Exception ignored" not in err, case
        assert took < 5, case
        assert left == [], case
        assert not out.exists(), case
    assert hits >= 12  # most runs were interrupted, not done before their child came


def test_ctrl_c_during_retry_fails_the_job(app, speech, monkeypatch) -> None:
    import alignment
    from webapp.jobs import align_now

    rid, _ = add_reading(app, speech)

    def interrupted(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise KeyboardInterrupt

    monkeypatch.setattr(alignment, "align", interrupted)
    with pytest.raises(KeyboardInterrupt):
        align_now(app, rid)
    job = app.extensions["store"].latest_job(rid)
    assert job.status == "failed" and "interrupted" in job.error


# ---------------------------------------------------------------- a million one-word lines

def _one_word_lines(size: int) -> str:
    words = ["Yes.", "No.", "Okay.", "Right.", "well", "sure", "Thanks.", "indeed"]
    lines = [words[i * 7 % len(words)] for i in range(size // 5)]
    return "\n".join(lines)[:size]


def test_a_transcript_of_a_million_one_word_lines_is_refused_unread(tmp_path, speech) -> None:
    """4.9 MB of one-word lines is under the 5M of text, and was read for 47 s (600 MB)
    only to be refused for its sentences. Its lines refuse it before it is read."""
    import tracemalloc

    from tests.webapp.test_upload import _app, assert_nothing_stored, csrf, form

    app = _app(tmp_path)
    client = app.test_client()
    token = csrf(client)
    text = _one_word_lines(4_900_000)
    lines = len(text.splitlines())
    assert lines > 800_000 and len(text.encode()) < app.config["MAX_TRANSCRIPT_BYTES"]
    tracemalloc.start()
    started = time.process_time()
    resp = client.post("/recordings", content_type="multipart/form-data", data=form(
        speech, token, transcript_text=None,
        transcript=(io.BytesIO(text.encode()), "lines.txt")))
    took = time.process_time() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert resp.status_code == 422
    assert (f"the transcript has {lines:,} lines; this server reads at most 200,000 "
            "(4 × transcript_player_max_sentences)") in resp.get_data(as_text=True).lower()
    assert took < 3, took  # CPU seconds; it was 40 to 60
    assert peak < 50 * 1024 ** 2, peak  # the upload's few copies (11 MB), no reading
    assert_nothing_stored(app)
    app.extensions["store"].dispose()


def test_import_url_refuses_a_page_of_a_million_lines_before_the_audio(
        site: Site, speech, tmp_path: Path) -> None:  # noqa: F811
    site.routes["/lines.txt"] = ("text/plain; charset=utf-8",
                                 _one_word_lines(4_900_000).encode())
    site.routes["/a.wav"] = ("audio/wav", speech.wav.read_bytes())
    started = time.process_time()
    result = run("import-url", site.url("/lines.txt"), "--audio", "/a.wav", "--allow-private",
                 "--data", str(tmp_path / "d"), "--quiet")
    assert result.exit_code == 2
    assert "lines; this server reads at most 200,000" in result.output.strip().splitlines()[-1]
    assert time.process_time() - started < 5  # CPU s; reading it was a minute
    assert site.requested == ["/lines.txt"]  # the recording was never fetched


@given(st.lists(st.sampled_from(
    list("ab .") + ["\n", "\r", "\r\n", "\v", "\f", "\x1c", "\x1d", "\x1e", "\x85", "\u2028",
                    "\u2029", "\n\r"]), max_size=60).map("".join))
def test_lines_are_counted_as_the_reader_splits_them(text: str) -> None:
    assert limits.line_count(text) == len(text.splitlines())
