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
