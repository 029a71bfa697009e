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
    back = app.extensions["store"].load_syncmap(rid)
    assert back.sentences == syncmap.sentences
    assert back.set_aside == syncmap.set_aside
    assert back.duration == syncmap.duration


def test_library_summary(app, recording) -> None:
    rid, _ = recording
    [item] = app.extensions["store"].list_recordings()
    assert item.recording.id == rid
    assert item.sentence_count == 6 and item.speakers == ("Host", "Guest")
    assert app.extensions["store"].get_recording("nope") is None
