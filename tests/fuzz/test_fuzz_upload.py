"""Fuzzing that stays (issue 11): the upload form takes any fields and files and answers
with the player (303) or the form again naming the problem (4xx), never a 500; a refused
upload stores nothing."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fuzz.test_fuzz_transcripts import html_files, srt_files, texts, vtt_files
from tests.helpers import RAW_TRANSCRIPT, Speech
from webapp import create_app

pytestmark = pytest.mark.slow  # hundreds of drawn uploads

names = st.one_of(st.text(max_size=30), st.sampled_from(
    ["talk.txt", "talk.vtt", "talk.srt", "page.html", "talk.docx", "talk.pdf", "x.rtf",
     "../../etc/passwd", "a\x00b.txt", "", ".", "talk.mp3", "🙂.wav", "x" * 300]))
transcript_bodies = st.one_of(texts.map(lambda t: t.encode("utf-8", "replace")),
                              st.binary(max_size=300),
                              srt_files().map(str.encode), vtt_files().map(str.encode),
                              html_files().map(str.encode), st.just(RAW_TRANSCRIPT.encode()))


@pytest.fixture
def upload_client(tmp_path: Path):
    """An app served (as far as it knows) on loopback, where editing is open; jobs wait."""
    app = create_app({"TESTING": True, "DATA_DIR": str(tmp_path / "data"),
                      "LISTEN_HOST": "127.0.0.1", "HUEY_IMMEDIATE": False})
    client = app.test_client()
    page = client.get("/").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    yield app, client, token
    app.extensions["store"].dispose()


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(title=st.one_of(st.none(), st.text(max_size=60)),
       language=st.one_of(st.none(), st.text(max_size=12),
                          st.sampled_from(["eng", "deu", "xx", "EN", "e\x00g", ""])),
       pasted=st.one_of(st.none(), texts),
       transcript=st.one_of(st.none(), st.tuples(transcript_bodies, names)),
       audio=st.one_of(st.none(), st.tuples(st.binary(max_size=200), names),
                       st.just("real")),
       htmx=st.booleans(), good=st.booleans())
def test_any_upload_form(upload_client, speech: Speech, title, language, pasted, transcript,
                         audio, htmx, good) -> None:
    app, client, token = upload_client
    data: dict = {"csrf_token": token}
    if good:  # a good upload with the drawn fields in it: the reading's audio, a title
        title = title or "A talk"
        audio = "real"
        if pasted is None and transcript is None:
            transcript = (RAW_TRANSCRIPT.encode(), "talk.txt")
    if title is not None:
        data["title"] = title
    if language is not None:
        data["language"] = language
    if pasted is not None:
        data["transcript_text"] = pasted
    if transcript is not None:
        data["transcript"] = (io.BytesIO(transcript[0]), transcript[1])
    if audio == "real":
        data["audio"] = (io.BytesIO(speech.wav.read_bytes()), "reading.wav")
    elif audio is not None:
        data["audio"] = (io.BytesIO(audio[0]), audio[1])
    before = len(app.extensions["store"].list_recordings())
    resp = client.post("/recordings", data=data, content_type="multipart/form-data",
                       headers={"HX-Request": "true"} if htmx else {})
    assert resp.status_code < 500, resp.status_code
    assert b"Traceback" not in resp.data
    stored = len(app.extensions["store"].list_recordings()) - before
    if resp.status_code >= 400:
        assert stored == 0  # a refused upload leaves nothing behind
    else:
        assert resp.status_code in (200, 303) and stored == 1
