"""Words kept with the alignment, on SQLite and on PostgreSQL (`app` is parametrised over
both, tests/store/conftest.py): saved and loaded, compact, through the editors' history
and its undo, and a library from before words opens with its sentences whole."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path

from sqlalchemy import func, select

from alignment import sentence_id
from tests.helpers import add_reading
from tests.store.test_migrations import make_old_library
from webapp import create_app
from webapp.history import apply_change, row_of, undo_change
from webapp.store import migrations
from webapp.store.schema import sentences


def _syncmap(store, rid):  # type: ignore[no-untyped-def]
    return store.load_syncmap(store.get_recording(rid))


def test_words_are_saved_and_loaded_with_the_sentences(app, speech) -> None:
    store = app.extensions["store"]
    rid, syncmap = add_reading(app, speech, words=True)
    assert all(s.words for s in syncmap.sentences)
    assert _syncmap(store, rid).sentences == syncmap.sentences
    # compact: a few bytes a word (their texts are the sentence's own)
    count = sum(len(s.words) for s in syncmap.sentences)
    with store.engine.connect() as conn:
        size = conn.execute(select(func.sum(func.length(sentences.c.words)))).scalar_one()
    assert size / count < 14, (size, count)
    # a new alignment without words replaces them
    store.save_alignment(rid, replace(syncmap, sentences=tuple(
        replace(s, words=()) for s in syncmap.sentences)))
    assert not any(s.words for s in _syncmap(store, rid).sentences)


def test_an_edit_keeps_words_its_text_drops_them_and_undo_brings_them_back(app,
                                                                          speech) -> None:
    store = app.extensions["store"]
    rid, syncmap = add_reading(app, speech, words=True)
    s = syncmap.sentences[3]
    # a new speaker: the words stay
    apply_change(store.engine, rid, kind="speaker", editor="dana", summary="who",
                 after=[row_of(replace(s, speaker="Ana"))])
    assert _syncmap(store, rid).sentences[3].words == s.words
    # new words written with the old words' times: those times are not theirs
    text = "The kiosk on the pier opens at ten."
    change = apply_change(store.engine, rid, kind="text", editor="dana", summary="words",
                          after=[row_of(replace(s, speaker="Ana", text=text,
                                                id=sentence_id(text)))])
    assert _syncmap(store, rid).sentences[3].words == ()
    assert change.before[0]["words"] and change.after[0]["words"] == ""
    undo_change(store.engine, rid, change.id, "lee")
    back = _syncmap(store, rid).sentences[3]
    assert (back.text, back.words) == (s.text, s.words)


def test_a_change_kept_before_words_were_stored_still_undoes(app, speech) -> None:
    from sqlalchemy import update

    from webapp.store.schema import edit_history

    store = app.extensions["store"]
    rid, syncmap = add_reading(app, speech)
    s = syncmap.sentences[0]
    change = apply_change(store.engine, rid, kind="speaker", editor="dana", summary="who",
                          after=[row_of(replace(s, speaker="Ana"))])
    old = '[{"idx": 0, "sid": "%s", "text": "%s", "speaker": %s, "begin_ms": %d, ' \
          '"end_ms": %d, "confidence": %s, "aligned": true, "paragraph": %d}]'
    with store.engine.begin() as conn:  # the history as a version before words wrote it
        conn.execute(update(edit_history).where(edit_history.c.id == change.id).values(
            before=old % (s.id, s.text, '"Host"', s.begin, s.end, round(s.confidence, 4),
                          s.paragraph),
            after=old % (s.id, s.text, '"Ana"', s.begin, s.end, round(s.confidence, 4),
                         s.paragraph)))
    undo_change(store.engine, rid, change.id, "lee")
    assert _syncmap(store, rid).sentences[0] == s


def test_a_library_from_before_words_opens_with_its_sentences_whole(tmp_path: Path) -> None:
    make_old_library(tmp_path / "old")
    store = create_app({"DATA_DIR": str(tmp_path / "old")}).extensions["store"]
    with store.engine.connect() as conn:
        assert migrations.revision(conn) == migrations.head() == "0007"
    [s] = _syncmap(store, "ready-one").sentences
    assert (s.text, s.begin, s.end, s.words) == ("The café opens.", 0, 900, ())
    store.dispose()
    with sqlite3.connect(tmp_path / "old" / "transcript-player.sqlite3") as conn:
        assert conn.execute("SELECT words FROM sentences").fetchall() == [("",)]


def test_the_words_migration_keeps_every_sentence(database_url: str) -> None:
    from sqlalchemy import text

    from webapp.store import Store

    store = Store(database_url)  # not opened by the program: no schema yet
    with store.engine.connect() as conn:
        migrations.upgrade(conn, "0006")
        conn.execute(text(
            "INSERT INTO recordings (id, title, language, transcript, audio_name, "
            "audio_sha256, rendition_name, duration_ms, note, created_at) VALUES "
            "('r', 'R', 'eng', 'Text.', 'a.wav', 'a', 'r.mp3', 1000, '', :t)"),
            {"t": "2026-12-01 10:00:00"})
        conn.execute(text(
            "INSERT INTO sentences (recording_id, idx, sid, text, speaker, begin_ms, end_ms, "
            "confidence, aligned, paragraph) VALUES ('r', 0, 's-1', 'Said once.', NULL, 0, "
            "900, 0.9, TRUE, 0)"))
        conn.commit()
        migrations.upgrade(conn)
        assert migrations.revision(conn) == "0007"
        assert conn.execute(text("SELECT text, words FROM sentences")).all() == [
            ("Said once.", "")]
    store.dispose()


def test_a_search_hit_starts_at_its_first_matched_word(app, speech) -> None:
    store = app.extensions["store"]
    rid, syncmap = add_reading(app, speech, words=True)
    s = syncmap.sentences[1]  # "Today we talk about the old harbour bridge."
    [hit], _ = store.search("harbour", rid)
    assert (hit.sentence_id, hit.start) == (s.id, s.words[6].begin)
    [hit], _ = store.search('"old harbour"', rid)
    assert hit.start == s.words[5].begin
    # a slip forgiven ("harbur") marks the word too
    [hit], _ = store.search("harbur", rid)
    assert hit.start == s.words[6].begin
    # a sentence's first word, and its last ("That is all for today.")
    hits, _ = store.search("today", rid)
    last = syncmap.sentences[5]
    assert [h.start for h in hits] == [s.words[0].begin, last.words[-1].begin]
    # a recording without words: hits start at their sentence
    bare, plain = add_reading(app, speech, title="Plain talk")
    [hit], _ = store.search("harbour", bare)
    assert hit.start == plain.sentences[1].begin
