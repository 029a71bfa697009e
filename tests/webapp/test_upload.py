"""Uploads through the library's form (`POST /recordings`), the job's status, Retry and the
limits, with Flask's test client, real ffprobe and real alignment of a short reading.

Every bad input is refused with a 4xx and the form again naming the problem, and leaves
nothing behind: no recording, no media file, no upload folder.
"""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import pytest

from tests.helpers import RAW_TRANSCRIPT, Speech
from webapp import create_app


def _app(tmp_path: Path, **config):  # type: ignore[no-untyped-def]
    """An app served (as far as it knows) on loopback: open editing while no editor
    exists. Jobs wait in the queue unless HUEY_IMMEDIATE is given."""
    settings = {"TESTING": True, "DATA_DIR": str(tmp_path / "data"), "LISTEN_HOST": "127.0.0.1",
                "HUEY_IMMEDIATE": False}
    settings.update(config)
    return create_app(settings)


@pytest.fixture
def up_app(tmp_path: Path):  # type: ignore[no-untyped-def]
    app = _app(tmp_path)
    yield app
    app.extensions["store"].dispose()


def csrf(client) -> str:  # type: ignore[no-untyped-def]
    """The session's CSRF token, as the library's upload form carries it."""
    page = client.get("/").get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def form(speech: Speech, token: str, **fields) -> dict:  # type: ignore[no-untyped-def]
    """A good upload: the reading's audio, its transcript pasted, English."""
    data = {"title": "Harbour talk", "language": "eng", "transcript_text": RAW_TRANSCRIPT,
            "audio": (io.BytesIO(speech.wav.read_bytes()), "reading.wav"),
            "csrf_token": token}
    data.update(fields)
    return {k: v for k, v in data.items() if v is not None}


def assert_nothing_stored(app) -> None:  # type: ignore[no-untyped-def]
    data = Path(app.config["DATA_DIR"])
    assert app.extensions["store"].list_recordings() == []
    assert list(Path(app.config["MEDIA_DIR"]).iterdir()) == []
    assert list(data.glob(".upload-*")) == []


# ---------------------------------------------------------------- the form

def test_the_library_offers_the_upload_form_to_editors(up_app) -> None:
    html = up_app.test_client().get("/").get_data(as_text=True)
    assert 'id="upload-form"' in html
    assert 'action="/recordings"' in html and 'enctype="multipart/form-data"' in html
    assert 'hx-post="/recordings"' in html and 'hx-encoding="multipart/form-data"' in html
    for name in ('name="title"', 'name="audio"', 'name="transcript"', 'name="transcript_text"',
                 'name="language"', 'name="csrf_token"', "<progress"):
        assert name in html, name
    # every kind of transcript file the reader takes is offered
    assert 'accept=".txt,.md,.markdown,.html,.htm,.docx,.pdf,.vtt,.srt,.sbv,.json"' in html
    assert "upload.mjs" in html and "Up to 2 GB per upload" in html


def test_listeners_see_no_form_once_an_editor_exists(up_app) -> None:
    from webapp.auth import hash_password

    up_app.extensions["users"].set("dana", hash_password("correct horse"))
    client = up_app.test_client()
    resp = client.get("/")
    html = resp.get_data(as_text=True)
    assert 'id="upload-form"' not in html and "upload.mjs" not in html
    assert 'href="/login?next=/"' in html
    # a listener gets no session cookie, so pages stay cacheable for everyone
    assert "Set-Cookie" not in resp.headers


# ---------------------------------------------------------------- a good upload

@pytest.mark.slow
def test_an_upload_is_stored_aligned_and_playable(tmp_path, speech) -> None:
    app = _app(tmp_path, HUEY_IMMEDIATE=True)  # the alignment runs within the request
    client = app.test_client()
    resp = client.post("/recordings", data=form(speech, csrf(client)),
                       content_type="multipart/form-data")
    assert resp.status_code == 303
    rid = resp.headers["Location"].removeprefix("/r/")
    status = client.get(f"/r/{rid}/status.json").get_json()
    assert status["state"] == "done" and status["progress"] == 1.0
    assert status["stage"] == "done" and status["message"] == "aligned"
    page = client.get(f"/r/{rid}").get_data(as_text=True)
    assert page.count('class="s') >= 6 and "The café on the pier opens at nine." in page
    # the sentences were found where they are said (real alignment of the reading)
    syncmap = app.extensions["store"].load_syncmap(app.extensions["store"].get_recording(rid))
    found = {s.text: s for s in syncmap.sentences}
    for s in speech.sentences:
        assert abs(found[s.text].begin - s.begin) < 250, s.text
    assert list(Path(app.config["DATA_DIR"]).glob(".upload-*")) == []
    app.extensions["store"].dispose()


def test_an_htmx_upload_is_sent_on_with_hx_redirect(up_app, speech) -> None:
    client = up_app.test_client()
    resp = client.post("/recordings", data=form(speech, csrf(client)),
                       headers={"HX-Request": "true"}, content_type="multipart/form-data")
    assert resp.status_code == 200
    rid = resp.headers["HX-Redirect"].removeprefix("/r/")
    rec = up_app.extensions["store"].get_recording(rid)
    assert rec.title == "Harbour talk" and rec.transcript == RAW_TRANSCRIPT
    # queued: the page shows the job and polls; status.json says so in its shape
    status = client.get(f"/r/{rid}/status.json").get_json()
    assert {k: status[k] for k in ("state", "stage", "progress")} == \
        {"state": "queued", "stage": "queued", "progress": 0.0}
    assert status["message"] == "waiting for a worker" and status["warnings"] == []
    page = client.get(f"/r/{rid}").get_data(as_text=True)
    assert "Queued: waiting for a worker" in page and 'hx-trigger="every 1s"' in page
    assert "job-watch.mjs" in page
    assert "The café on the pier opens at nine." in page  # the transcript as given, meanwhile


@pytest.mark.parametrize("kind", ["txt", "vtt", "docx"])
def test_the_transcript_may_be_a_file(up_app, speech, tmp_path, kind) -> None:
    if kind == "docx":
        import docx

        document = docx.Document()
        for para in RAW_TRANSCRIPT.split("\n\n"):
            document.add_paragraph(para.strip())
        buffer = io.BytesIO()
        document.save(buffer)
        data = buffer.getvalue()
    elif kind == "vtt":
        cues = [f"00:00:{2 * i:02d}.000 --> 00:00:{2 * i + 2:02d}.000\n<v {s.speaker}>{s.text}"
                for i, s in enumerate(speech.sentences)]
        data = ("WEBVTT\n\n" + "\n\n".join(cues) + "\n").encode()
    else:
        data = RAW_TRANSCRIPT.encode()
    client = up_app.test_client()
    resp = client.post("/recordings", content_type="multipart/form-data", data=form(
        speech, csrf(client), transcript_text=None,
        transcript=(io.BytesIO(data), f"talk.{kind}")))
    assert resp.status_code == 303, resp.get_data(as_text=True)
    rid = resp.headers["Location"].removeprefix("/r/")
    text = up_app.extensions["store"].get_recording(rid).transcript
    assert "The café on the pier opens at nine." in text


def test_a_video_file_is_taken_for_its_sound(up_app, speech, tmp_path) -> None:
    import subprocess

    video = tmp_path / "talk.mp4"
    subprocess.run(["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "color=c=black:s=64x64:r=5",
                    "-i", str(speech.wav), "-shortest", "-c:v", "libx264", "-c:a", "aac",
                    "-y", str(video)], check=True)
    client = up_app.test_client()
    resp = client.post("/recordings", content_type="multipart/form-data", data=form(
        speech, csrf(client), audio=(io.BytesIO(video.read_bytes()), "talk.mp4")))
    assert resp.status_code == 303
    rid = resp.headers["Location"].removeprefix("/r/")
    rec = up_app.extensions["store"].get_recording(rid)
    assert abs(rec.duration_ms - speech.duration) < 300


# ---------------------------------------------------------------- bad input, nothing stored

def _bad_cases(speech: Speech, tmp: Path) -> dict[str, tuple[dict, str]]:
    """name -> (fields that differ from a good upload, words the message must have)."""
    return {
        "no title": ({"title": "   "}, "The title is empty"),
        "no audio": ({"audio": (io.BytesIO(b""), "")}, "Choose the recording"),
        "empty audio": ({"audio": (io.BytesIO(b""), "talk.mp3")}, "is empty"),
        "text as audio": ({"audio": (io.BytesIO(b"not a recording " * 100), "talk.mp3")},
                          "this file (talk.mp3) is not audio we can read"),
        "no transcript": ({"transcript_text": ""}, "The transcript is empty"),
        "two transcripts": ({"transcript": (io.BytesIO(b"Hello there."), "t.txt")},
                            "either as a file or as pasted text, not both"),
        "old Word": ({"transcript_text": None,
                      "transcript": (io.BytesIO(b"\xd0\xcf\x11\xe0" + b"\0" * 600), "t.doc")},
                     "save it as .docx"),
        "nothing spoken": ({"transcript_text": "[MUSIC]\n(applause)\n"}, "no spoken text"),
        "binary transcript": ({"transcript_text": None,
                               "transcript": (io.BytesIO(b"\0\1\2" * 300), "t.txt")},
                              "binary file"),
        "unknown language": ({"language": "xx"}, "xx"),
    }


@pytest.mark.parametrize("case", [
    "no title", "no audio", "empty audio", "text as audio", "no transcript", "two transcripts",
    "old Word", "nothing spoken", "binary transcript", "unknown language",
])
def test_bad_input_is_refused_naming_the_problem_and_nothing_is_stored(
        up_app, speech, tmp_path, case) -> None:
    fields, words = _bad_cases(speech, tmp_path)[case]
    client = up_app.test_client()
    token = csrf(client)
    resp = client.post("/recordings", data=form(speech, token, **fields),
                       content_type="multipart/form-data")
    assert resp.status_code == 422
    html = resp.get_data(as_text=True)
    message = html.split('id="upload-error"')[1].split("</div>")[0]
    assert words.replace("'", "&#39;").lower() in message.lower(), message
    assert "Nothing was stored." in message
    # the form again, with what was typed kept
    assert 'id="upload-form"' in html and "<h1>Library</h1>" in html
    if fields.get("title") is None and case != "no title":
        assert 'value="Harbour talk"' in html
    assert_nothing_stored(up_app)
    # htmx gets the problems alone, for the form it still shows with its files chosen
    resp = client.post("/recordings", data=form(speech, token, **_bad_cases(speech, tmp_path)
                                                [case][0]),
                       headers={"HX-Request": "true"}, content_type="multipart/form-data")
    assert resp.status_code == 422
    part = resp.get_data(as_text=True)
    assert part.lstrip().startswith('<div class="form-error"') and "<html" not in part
    assert_nothing_stored(up_app)


@pytest.mark.parametrize(("fields", "field"), [
    ({"title": "A" * 301}, "title"),
    ({"language": "xx"}, "language"),
    ({"audio": (io.BytesIO(b"not a recording " * 100), "talk.mp3")}, "audio"),
    ({"transcript_text": "[MUSIC]\n(applause)\n"}, "transcript"),
])
def test_each_error_is_shown_by_its_field(up_app, speech, fields, field) -> None:
    client = up_app.test_client()
    resp = client.post("/recordings", data=form(speech, csrf(client), **fields),
                       content_type="multipart/form-data")
    assert resp.status_code == 422
    assert re.findall(r'data-field="(\w+)"', resp.get_data(as_text=True)) == [field]
    assert_nothing_stored(up_app)


def test_an_error_goes_to_its_field_by_its_type_not_its_words() -> None:
    """The field comes from the error's type: a transcript's error that happens to start
    with "the title" stays the transcript's, and a title's error is the title's."""
    from alignment import TranscriptError
    from webapp.importer import TitleError
    from webapp.upload import UploadForm, _placed

    got = UploadForm()
    _placed(got, TranscriptError("the title line of the page is all there is"), Path("a.wav"))
    _placed(got, TitleError("too long"), Path("a.wav"))
    assert got.errors == {"transcript": "the title line of the page is all there is",
                          "title": "too long"}


@pytest.mark.parametrize(("title", "words"), [
    ("   ", "the title is empty"),
    ("A" * 301, "301 characters long; keep it under 300"),
    ("red\x1b[0m", "the title holds a control character (U+001B)"),
])
def test_check_title_is_the_one_title_check(title, words) -> None:
    from alignment import TranscriptError
    from webapp.importer import TitleError, check_title

    with pytest.raises(TitleError) as refused:
        check_title(title)
    assert words in str(refused.value)
    assert isinstance(refused.value, TranscriptError)  # callers that catch those still do
    assert check_title("  Harbour \n talk ") == "Harbour talk"
    assert check_title("A" * 300) == "A" * 300


# ---------------------------------------------------------------- limits (issue 11)

@pytest.mark.parametrize(("config", "fields", "words"), [
    ({"MAX_TRANSCRIPT_BYTES": 200}, {}, "TRANSCRIPT_PLAYER_MAX_TRANSCRIPT_BYTES"),
    ({"MAX_SENTENCES": 3}, {}, "sentences; this server aligns at most 3"),
    ({"MAX_RECORDING_SECONDS": 5}, {}, "TRANSCRIPT_PLAYER_MAX_RECORDING_SECONDS=5"),
])
def test_limits_are_named_in_their_errors(tmp_path, speech, config, fields, words) -> None:
    app = _app(tmp_path, **config)
    client = app.test_client()
    resp = client.post("/recordings", data=form(speech, csrf(client), **fields),
                       content_type="multipart/form-data")
    assert resp.status_code == 422
    assert words in resp.get_data(as_text=True)
    assert_nothing_stored(app)
    app.extensions["store"].dispose()


def test_an_upload_over_its_bound_is_413_naming_it(tmp_path, speech) -> None:
    size = speech.wav.stat().st_size
    app = _app(tmp_path, MAX_UPLOAD=size // 2)
    client = app.test_client()
    resp = client.post("/recordings", data=form(speech, csrf(client)),
                       content_type="multipart/form-data")
    assert resp.status_code == 413
    text = resp.get_data(as_text=True)
    assert f"({size // 2:,} bytes)" in text and "TRANSCRIPT_PLAYER_MAX_UPLOAD" in text
    assert_nothing_stored(app)
    app.extensions["store"].dispose()


@pytest.mark.slow
def test_uploads_take_more_than_other_routes(up_app, speech) -> None:
    """An upload may be far larger than the 1M every other route takes; elsewhere a body
    over that is still 413, naming TRANSCRIPT_PLAYER_MAX_BODY."""
    assert up_app.config["MAX_UPLOAD"] == 2 * 1024 ** 3
    client = up_app.test_client()
    token = csrf(client)
    big = b"x" * (1024 * 1024 + 10)
    resp = client.post("/recordings", content_type="multipart/form-data", data=form(
        speech, token, transcript_text=None,
        transcript=(io.BytesIO(big), "t.txt")))
    assert resp.status_code == 303  # taken: a megabyte is nothing for an upload
    resp = client.post("/login", data={"csrf_token": token, "pad": big.decode()})
    assert resp.status_code == 413 and "TRANSCRIPT_PLAYER_MAX_BODY" in resp.get_data(
        as_text=True)


def test_pasted_text_may_be_as_long_as_the_transcript_bound(tmp_path, speech) -> None:
    """Flask keeps form fields under 500 KB by default; a pasted transcript may be up to
    MAX_TRANSCRIPT_BYTES and is then refused naming that bound."""
    app = _app(tmp_path, MAX_TRANSCRIPT_BYTES=1024 * 1024)
    client = app.test_client()
    token = csrf(client)
    # 1.3 MB: read, and refused with the form again, naming the bound
    long_text = RAW_TRANSCRIPT + ("Bridges need careful maintenance every year. " * 30000)
    resp = client.post("/recordings", data=form(speech, token, transcript_text=long_text),
                       content_type="multipart/form-data")
    assert resp.status_code == 422
    html = resp.get_data(as_text=True)
    assert "TRANSCRIPT_PLAYER_MAX_TRANSCRIPT_BYTES" in html and 'id="upload-form"' in html
    # far over it: refused while the form is read, still naming the transcript's bound
    resp = client.post("/recordings", data=form(speech, token, transcript_text=long_text * 3),
                       content_type="multipart/form-data")
    assert resp.status_code == 413
    assert "TRANSCRIPT_PLAYER_MAX_TRANSCRIPT_BYTES" in resp.get_data(as_text=True)
    assert_nothing_stored(app)
    app.extensions["store"].dispose()


def test_the_command_line_import_keeps_the_limits(tmp_path, speech, monkeypatch) -> None:
    from click.testing import CliRunner

    from webapp.cli import main

    transcript = tmp_path / "talk.txt"
    transcript.write_text(RAW_TRANSCRIPT, encoding="utf-8")
    data = tmp_path / "cli-data"
    monkeypatch.setenv("TRANSCRIPT_PLAYER_MAX_SENTENCES", "4")
    result = CliRunner().invoke(main, ["import", str(speech.wav), str(transcript), "--title",
                                       "T", "--queue", "--data", str(data)])
    assert result.exit_code == 2
    assert "this server aligns at most 4 (TRANSCRIPT_PLAYER_MAX_SENTENCES)" in result.output
    monkeypatch.setenv("TRANSCRIPT_PLAYER_MAX_SENTENCES", "many")
    result = CliRunner().invoke(main, ["user", "list", "--data", str(data)])
    assert result.exit_code == 2 and "TRANSCRIPT_PLAYER_MAX_SENTENCES is 'many'" in result.output
    monkeypatch.delenv("TRANSCRIPT_PLAYER_MAX_SENTENCES")
    app = create_app({"DATA_DIR": str(data)})
    assert app.extensions["store"].list_recordings() == []
    app.extensions["store"].dispose()


# ---------------------------------------------------------------- watching, failing, retrying

def test_the_finished_poll_answers_with_the_player_to_swap_in(tmp_path, speech) -> None:
    from tests.helpers import reading_syncmap

    app = _app(tmp_path)
    client = app.test_client()
    resp = client.post("/recordings", data=form(speech, csrf(client)),
                       content_type="multipart/form-data")
    rid = resp.headers["Location"].removeprefix("/r/")
    poll = client.get(f"/r/{rid}/status", headers={"HX-Request": "true"})
    assert 'hx-trigger="every 1s"' in poll.get_data(as_text=True)
    app.extensions["store"].save_alignment(rid, reading_syncmap(speech))
    poll = client.get(f"/r/{rid}/status", headers={"HX-Request": "true"})
    html = poll.get_data(as_text=True)
    assert poll.headers["HX-Retarget"] == "#player" and poll.headers["HX-Reselect"] == "#player"
    assert poll.headers["HX-Reswap"] == "outerHTML" and "HX-Refresh" not in poll.headers
    assert html.count('class="s') >= 6 and "every 1s" not in html
    app.extensions["store"].dispose()


@pytest.mark.slow
def test_a_failed_job_keeps_its_inputs_says_why_and_retries(tmp_path, speech) -> None:
    app = _app(tmp_path, HUEY_IMMEDIATE=True)
    client = app.test_client()
    store = app.extensions["store"]
    token = csrf(client)
    # the stored audio goes missing before the job runs: the alignment fails for real
    from webapp.importer import store_recording

    with app.app_context():
        rid = store_recording(app, speech.wav, RAW_TRANSCRIPT, title="Lost")
    rec = store.get_recording(rid)
    media = Path(app.config["MEDIA_DIR"])
    kept = tmp_path / "kept"
    shutil.move(media / rec.audio_name, kept)
    from webapp.jobs import enqueue_alignment

    enqueue_alignment(app, rid)
    status = client.get(f"/r/{rid}/status.json").get_json()
    assert status["state"] == "failed" and rec.audio_name in status["message"]
    assert app.config["DATA_DIR"] not in status["message"]
    page = client.get(f"/r/{rid}").get_data(as_text=True)
    assert "The alignment failed:" in page and "The audio and the transcript are kept." in page
    assert f'action="/r/{rid}/retry"' in page and ">Retry</button>" in page
    assert store.get_recording(rid).transcript == RAW_TRANSCRIPT  # its inputs are kept
    # without the token, Retry is refused and nothing changes
    assert client.post(f"/r/{rid}/retry").status_code == 400
    assert client.get(f"/r/{rid}/status.json").get_json()["state"] == "failed"
    # the audio is back: Retry aligns it (htmx gets the status in place)
    shutil.move(kept, media / rec.audio_name)
    resp = client.post(f"/r/{rid}/retry", data={"csrf_token": token},
                       headers={"HX-Request": "true"})
    assert resp.status_code == 200 and 'id="job-status"' in resp.get_data(as_text=True)
    assert client.get(f"/r/{rid}/status.json").get_json()["state"] == "done"
    store.dispose()


def test_retry_is_for_editors_only(tmp_path, speech) -> None:
    from webapp.auth import hash_password
    from webapp.importer import store_recording

    app = _app(tmp_path)
    app.extensions["users"].set("dana", hash_password("correct horse"))
    with app.app_context():
        rid = store_recording(app, speech.wav, RAW_TRANSCRIPT, title="Lost")
    store = app.extensions["store"]
    job = store.add_job(rid)
    store.update_job(job, status="failed", error="the audio is silent")
    client = app.test_client()
    page = client.get(f"/r/{rid}").get_data(as_text=True)
    assert "the audio is silent" in page and ">Retry</button>" not in page
    token = re.search(r'name="csrf_token" value="([^"]+)"',
                      client.get("/login").get_data(as_text=True)).group(1)
    resp = client.post(f"/r/{rid}/retry", data={"csrf_token": token})
    assert resp.status_code == 403 and "/login" in resp.get_data(as_text=True)
    assert store.latest_job(rid).id == job  # no new job
    store.dispose()


def test_an_upload_killed_while_checked_leaves_nothing_for_long(up_app) -> None:
    """The audio waits in `.upload-*` in the data folder while it is checked; a process
    killed then leaves the folder, and the collector takes it once it is an hour old."""
    import os
    import time

    from webapp.litter import collect

    data = Path(up_app.config["DATA_DIR"])
    old, fresh = data / ".upload-killed", data / ".upload-running"
    for folder in (old, fresh):
        folder.mkdir()
        (folder / "talk.mp3").write_bytes(b"x" * 100)
    hour_ago = time.time() - 3700
    for path in (old / "talk.mp3", old):
        os.utime(path, (hour_ago, hour_ago))
    collected = collect(up_app, temp_dir=data / "no-temp")
    assert old in collected.folders and not old.exists()
    assert fresh.exists()  # an upload being checked now is left alone


def test_retry_with_a_new_transcript_keeps_the_limits(tmp_path, speech, monkeypatch) -> None:
    from click.testing import CliRunner

    from webapp.cli import main
    from webapp.importer import store_recording

    data = tmp_path / "cli-data"
    app = create_app({"DATA_DIR": str(data)})
    with app.app_context():
        rid = store_recording(app, speech.wav, RAW_TRANSCRIPT, title="T")
    app.extensions["store"].dispose()
    longer = tmp_path / "longer.txt"
    longer.write_text(RAW_TRANSCRIPT + "\nHOST: One more. And another. And a third.\n",
                      encoding="utf-8")
    monkeypatch.setenv("TRANSCRIPT_PLAYER_MAX_SENTENCES", "8")
    result = CliRunner().invoke(main, ["retry", rid, "--transcript", str(longer), "--queue",
                                       "--data", str(data)])
    assert result.exit_code == 2 and "(TRANSCRIPT_PLAYER_MAX_SENTENCES)" in result.output
    app = create_app({"DATA_DIR": str(data)})
    assert app.extensions["store"].get_recording(rid).transcript == RAW_TRANSCRIPT  # kept
    app.extensions["store"].dispose()


def test_status_json_of_a_running_job(up_app, speech) -> None:
    from webapp.importer import store_recording
    from webapp.jobs import enqueue_alignment

    with up_app.app_context():
        rid = store_recording(up_app, speech.wav, RAW_TRANSCRIPT, title="Running")
    job = enqueue_alignment(up_app, rid)
    up_app.extensions["store"].update_job(job, status="running", stage="aligning",
                                          percent=42.0)
    status = up_app.test_client().get(f"/r/{rid}/status.json").get_json()
    assert {k: status[k] for k in ("state", "stage", "progress", "message")} == {
        "state": "running", "stage": "aligning", "progress": 0.42,
        "message": "aligning: finding each sentence"}


def test_uploaded_files_spool_into_the_data_folder(up_app) -> None:
    """Not into the system's temporary folder, which is often a tmpfs (memory): into a
    folder of the request's own in the data folder (`.upload-*`, which the collector
    takes if the process is killed), gone when the request ends. (Issue 21: the spool
    file is named so that it can be linked, not copied, into the media folder.)"""
    from flask import request

    data = Path(up_app.config["DATA_DIR"])
    with up_app.test_request_context("/recordings", method="POST"):
        spool = request._get_file_stream(2_000_000, "audio/wav", "talk.wav")
        spool.write(b"x" * 600_000)
        where = Path(spool.name)
        assert where.parent.parent == data and where.parent.name.startswith(".upload-")
        spool.close()  # as werkzeug closes the files it made, when the request ends
        request.close()
    assert not where.exists() and not list(data.glob(".upload-*"))
