"""The store: readable ids, the library's summary, a sync map round trip."""

from __future__ import annotations

import re

import pytest

from webapp.store import new_recording_id, slug


@pytest.mark.parametrize(("title", "expected"), [
    ("NATO–Russia press conference, Brussels, 3 October 2001",
     "nato-russia-press-conference-brussels-3"),
    ("Café Ünïcode", "cafe-unicode"),
    ("", "recording"),
    ("!!!", "recording"),
    ("Ωμέγα", "recording"),
    ("a" * 60, "a" * 40),
])
def test_slug(title: str, expected: str) -> None:
    assert slug(title) == expected


def test_recording_ids_are_readable_and_distinct() -> None:
    ids = {new_recording_id("Harbour talk") for _ in range(50)}
    assert len(ids) == 50
    assert all(re.fullmatch(r"harbour-talk-[a-z2-9]{5}", i) for i in ids)


def test_syncmap_round_trip(app, recording) -> None:
    rid, syncmap = recording
    store = app.extensions["store"]
    back = store.load_syncmap(store.get_recording(rid))
    assert back.sentences == syncmap.sentences
    assert back.set_aside == syncmap.set_aside
    assert back.duration == syncmap.duration


def test_library_summary(app, recording) -> None:
    rid, _ = recording
    [item] = app.extensions["store"].list_recordings()
    assert item.recording.id == rid
    assert item.sentence_count == 6 and item.speakers == ("Host", "Guest")
    assert app.extensions["store"].get_recording("nope") is None


def test_the_library_and_the_status_poll_do_not_read_transcripts(app, client,
                                                                 recording) -> None:
    from sqlalchemy import event

    rid, _ = recording
    store = app.extensions["store"]
    statements: list[str] = []

    def seen(conn, cursor, statement, *args) -> None:
        statements.append(statement)

    event.listen(store.engine, "before_cursor_execute", seen)
    try:
        assert client.get("/").status_code == 200
        assert client.get(f"/r/{rid}/status").status_code == 200
        assert client.get(f"/r/{rid}/status.json").status_code == 200
        assert client.get(f"/r/{rid}/transcript.vtt").status_code == 200
    finally:
        event.remove(store.engine, "before_cursor_execute", seen)
    assert any("FROM recordings" in s for s in statements)
    assert not [s for s in statements if "transcript" in s.split("FROM")[0]]
    info = store.get_recording_info(rid)
    assert info.title == "Harbour talk" and not hasattr(info, "transcript")
    assert store.list_recordings()[0].recording == info


def test_load_syncmap_of_a_recording_not_aligned_yet(app, speech) -> None:
    from tests.helpers import RAW_TRANSCRIPT
    from webapp.importer import store_recording

    store = app.extensions["store"]
    rid = store_recording(app, speech.wav, RAW_TRANSCRIPT, title="Not yet")
    rec = store.get_recording(rid)
    syncmap = store.load_syncmap(rec)
    assert syncmap.sentences == () and syncmap.duration == rec.duration_ms


def test_warnings_are_kept_and_shown(app, client, recording) -> None:
    from dataclasses import replace

    rid, syncmap = recording
    store = app.extensions["store"]
    warning = "the transcript may not belong to this recording: 2 of 6 sentences placed"
    store.save_alignment(rid, replace(syncmap, warnings=(warning,)))
    assert store.load_syncmap(store.get_recording(rid)).warnings == (warning,)
    assert client.get(f"/r/{rid}/status.json").get_json()["warnings"] == [warning]
    page = client.get(f"/r/{rid}").get_data(as_text=True)
    assert 'id="warnings"' in page and "2 of 6 sentences placed" in page
    # a later alignment without warnings clears them
    store.save_alignment(rid, syncmap)
    assert store.load_syncmap(store.get_recording(rid)).warnings == ()
    assert 'id="warnings"' not in client.get(f"/r/{rid}").get_data(as_text=True)


def test_a_data_folder_from_before_warnings_gains_the_column(tmp_path) -> None:
    import sqlite3

    from webapp.store import Store

    db = tmp_path / "old.sqlite"
    with sqlite3.connect(db) as conn:  # the recordings table as it was
        conn.execute(
            "CREATE TABLE recordings (id VARCHAR(64) PRIMARY KEY, title TEXT NOT NULL, "
            "language VARCHAR(16) NOT NULL, status VARCHAR(16) NOT NULL, "
            "transcript TEXT NOT NULL, audio_name VARCHAR(80) NOT NULL, "
            "audio_sha256 VARCHAR(64) NOT NULL, rendition_name VARCHAR(80) NOT NULL, "
            "duration_ms INTEGER NOT NULL, note TEXT NOT NULL, error TEXT NOT NULL, "
            "created_at DATETIME NOT NULL, aligned_at DATETIME)")
        conn.execute("INSERT INTO recordings VALUES ('r1', 'T', 'eng', 'ready', 'x', 'a', "
                     "'s', 'r', 0, '', '', '2026-01-01 00:00:00', NULL)")
    store = Store(f"sqlite:///{db}")
    store.create_all()
    info = store.get_recording_info("r1")
    assert info is not None and info.title == "T" and info.warning_list == ()
