"""Issue 21 item 8: control characters are refused where requests come in (400 for an
address, 422 for a form), never a 500, on SQLite and on PostgreSQL; `migrate` and
`restore` name a row PostgreSQL cannot store in one line."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import update

from alignment import TranscriptError
from tests.helpers import RAW_TRANSCRIPT, Serving, add_reading
from webapp import create_app, importer
from webapp.cli import main
from webapp.store.schema import recordings
from webapp.textguard import check_text, first_control

BAD = ["%00", "%01", "%1b", "%7f", "%c2%85"]  # NUL, SOH, ESC, DEL, NEL (C1)


def test_first_control() -> None:
    assert first_control("Harbour talk — café") is None
    assert first_control("a\tb\nc") == "\t"
    assert first_control("a\tb\r\nc", frozenset("\t\r\n")) is None
    assert first_control("a\x00b", frozenset("\t\r\n")) == "\x00"
    with pytest.raises(ValueError, match=r"the title holds a control character \(U\+001B\)"):
        check_text("red\x1b[0m", "the title")


@pytest.mark.parametrize("bad", BAD)
def test_addresses_and_parameters_with_controls_are_400(app, speech, bad) -> None:
    rid, syncmap = add_reading(app, speech)
    sid = syncmap.sentences[0].id
    client = app.test_client()
    for path in (f"/r/a{bad}b", f"/r/a{bad}b/status.json", f"/r/{rid}/s/{bad}",
                 f"/r/{rid}/s/{sid}{bad}", f"/r/{rid}/transcript.vtt{bad}", f"/media/x{bad}.mp3",
                 f"/r/{rid}?t={bad}", f"/r/{rid}/search?q=harbour{bad}", f"/search?q={bad}",
                 f"/?{bad}=1", f"/r/{rid}/clip.mp3?start=1{bad}&end=2",
                 f"/oembed?url=http://localhost/r/{rid}{bad}", f"/login?next=/{bad}"):
        resp = client.get(path)
        assert resp.status_code == 400, (path, resp.status_code)
        assert "control character" in resp.get_data(as_text=True), path
    assert client.get(f"/r/{rid}").status_code == 200


def _open_editing(app):  # type: ignore[no-untyped-def]
    app.config["LISTEN_HOST"] = "127.0.0.1"  # as `serve` on loopback: editing is open
    client = app.test_client()
    token = re.search(r'name="csrf_token" value="([^"]+)"',
                      client.get("/").get_data(as_text=True)).group(1)
    return client, token


def test_form_fields_with_controls_are_422(app, speech) -> None:
    rid, syncmap = add_reading(app, speech)
    client, token = _open_editing(app)
    upload = client.post("/recordings", content_type="multipart/form-data", data={
        "title": "Harbour\x00talk", "language": "eng", "transcript_text": RAW_TRANSCRIPT,
        "audio": (io.BytesIO(speech.wav.read_bytes()), "reading.wav"), "csrf_token": token})
    assert upload.status_code == 422
    text = upload.get_data(as_text=True)
    assert "“title”" in text and "U+0000" in text
    named = client.post("/recordings", content_type="multipart/form-data", data={
        "title": "Talk", "language": "eng", "transcript_text": RAW_TRANSCRIPT,
        "audio": (io.BytesIO(b"x"), "read\x00ing.wav"), "csrf_token": token})
    assert named.status_code == 422 and "“audio”" in named.get_data(as_text=True)
    sid = syncmap.sentences[0].id
    edit = client.post(f"/r/{rid}/s/{sid}/edit", data={
        "text": "Welcome\x07 aboard.", "speaker": "Host", "csrf_token": token})
    assert edit.status_code == 422 and "U+0007" in edit.get_data(as_text=True)
    rename = client.post(f"/r/{rid}/speakers", data={"old": "Host", "new": "A\x00",
                                                     "csrf_token": token})
    assert rename.status_code == 422
    # tabs and line ends in a pasted transcript are text
    assert len(app.extensions["store"].list_recordings()) == 1
    good = client.post("/recordings", content_type="multipart/form-data", data={
        "title": "Tabbed", "language": "eng",
        "transcript_text": RAW_TRANSCRIPT.replace(" ", "\t", 1).replace("\n", "\r\n"),
        "audio": (io.BytesIO(speech.wav.read_bytes()), "reading.wav"), "csrf_token": token})
    assert good.status_code == 303, good.get_data(as_text=True)[:500]


def test_the_import_path_refuses_a_nul(app, speech) -> None:
    with pytest.raises(TranscriptError, match="the title holds a control character"):
        importer.store_recording(app, speech.wav, RAW_TRANSCRIPT, title="A\x00B")
    with pytest.raises(TranscriptError, match="NUL character .* on line 2"):
        importer.store_recording(app, speech.wav, "Hello there.\nA\x00B.\n", title="T")
    assert app.extensions["store"].list_recordings() == []


def test_serve_on_postgresql_answers_nul_with_400_not_500(tmp_path: Path, speech,
                                                         pg_url: str) -> None:
    """The issue's probe, against a real `serve` on PostgreSQL."""
    data = tmp_path / "data"
    app = create_app({"DATA_DIR": str(data), "DATABASE_URL": pg_url})
    rid, _ = add_reading(app, speech)
    app.extensions["store"].dispose()
    with Serving(data, env={"TRANSCRIPT_PLAYER_DATABASE_URL": pg_url}) as server:
        assert server.get(f"/r/{rid}")[0] == 200
        for path in ("/r/a%00b", "/r/a%00b/status.json", f"/r/{rid}/s/%00",
                     "/search?q=%00", f"/r/{rid}/search?q=%00"):
            status, _, body = server.get(path)
            assert status == 400 and b"control character" in body, (path, status)


def _sqlite_library_with_a_nul(tmp_path: Path, speech):  # type: ignore[no-untyped-def]
    """A SQLite library one of whose titles holds a NUL (as an older version stored it)."""
    app = create_app({"DATA_DIR": str(tmp_path / "data"),
                      "DATABASE_URL": f"sqlite:///{tmp_path / 'old.sqlite3'}"})
    add_reading(app, speech, title="Fine")
    rid, _ = add_reading(app, speech, title="Second")
    with app.extensions["store"].engine.begin() as conn:
        conn.execute(update(recordings).where(recordings.c.id == rid)
                     .values(title="Sec\x00ond"))
    return app, rid


def _one_line(result, rid: str) -> str:  # type: ignore[no-untyped-def]
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and "Sec" not in result.output
    line = result.output.strip().splitlines()[-1]
    assert "recordings row" in line and rid in line and "title" in line and "NUL" in line
    return line


def test_migrate_names_a_row_postgresql_cannot_store(tmp_path: Path, speech,
                                                      pg_url: str, monkeypatch) -> None:
    app, rid = _sqlite_library_with_a_nul(tmp_path, speech)
    monkeypatch.setenv("TRANSCRIPT_PLAYER_DATABASE_URL", app.config["DATABASE_URL"])
    result = CliRunner().invoke(main, ["migrate", "--to", pg_url,
                                       "--data", app.config["DATA_DIR"]])
    line = _one_line(result, rid)
    assert line.startswith("Error: migrate: ") or "migrate:" in line
    app.extensions["store"].dispose()


def test_restore_names_a_row_postgresql_cannot_store(tmp_path: Path, speech, pg_url: str,
                                                      monkeypatch) -> None:
    app, rid = _sqlite_library_with_a_nul(tmp_path, speech)
    monkeypatch.setenv("TRANSCRIPT_PLAYER_DATABASE_URL", app.config["DATABASE_URL"])
    runner = CliRunner()
    made = runner.invoke(main, ["backup", str(tmp_path / "bk"), "--data",
                                app.config["DATA_DIR"]])
    assert made.exit_code == 0, made.output
    monkeypatch.setenv("TRANSCRIPT_PLAYER_DATABASE_URL", pg_url)
    result = runner.invoke(main, ["restore", str(tmp_path / "bk"), "--data",
                                  str(tmp_path / "restored")])
    _one_line(result, rid)
    app.extensions["store"].dispose()
