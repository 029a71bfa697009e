"""Search: case- and accent-insensitive, prefixes, "quoted phrases", never a syntax error."""

from __future__ import annotations

import pytest

from alignment.syncmap import Sentence, SyncMap
from webapp.store import fulltext


def texts(app, query: str, rid: str | None = None) -> list[str]:
    hits, _ = app.extensions["store"].search(query, rid)
    return [h.marked.replace("\x02", "").replace("\x03", "") for h in hits]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("cafe", ["The café on the pier opens at nine."]),          # accent-insensitive
        ("CAFÉ", ["The café on the pier opens at nine."]),          # case-insensitive
        ("bridg", ["Today we talk about the old harbour bridge.",   # prefix
                   "Bridges need careful maintenance every year."]),
        ('"old harbour"', ["Today we talk about the old harbour bridge."]),
        ('"harbour old"', []),                                      # a phrase keeps its order
        ('"old harb', ["Today we talk about the old harbour bridge."]),  # unclosed quote
        ("pier nine", ["The café on the pier opens at nine."]),     # every word must match
        ("pier zebra", []),
        # forgiving: a slip finds the word (a swap is one slip), numbers match both ways
        ("harbur", ["Today we talk about the old harbour bridge."]),
        ("brigde", ["Today we talk about the old harbour bridge.",
                    "Bridges need careful maintenance every year."]),
        ("mantenance", ["Bridges need careful maintenance every year."]),
        ('"careful maintanance"', ["Bridges need careful maintenance every year."]),
        ("9", ["The café on the pier opens at nine."]),
        ("pier nien", ["The café on the pier opens at nine."]),
        ("harbour zebra", []),
    ],
)
def test_search_semantics(app, recording, query: str, expected: list[str]) -> None:
    rid, _ = recording
    assert texts(app, query, rid) == expected


@pytest.mark.parametrize(
    "query",
    ['bridge OR NOT "', "*", "(", ")", "NEAR(a b)", "a:b", '"', "^bridge", "-bridge", "'", "\\"],
)
def test_query_syntax_is_never_an_error(app, recording, query: str) -> None:
    rid, _ = recording
    app.extensions["store"].search(query, rid)  # must not raise


def test_no_words_no_hits(app, recording) -> None:
    rid, _ = recording
    assert app.extensions["store"].search("  !!  ", rid) == ([], 0)
    assert fulltext.match_expression("") is None


def test_marks_are_escaped_html(app) -> None:
    store = app.extensions["store"]
    rid = store.add_recording(title="x", language="eng", transcript="x", audio_name="a",
                              audio_sha256="a", rendition_name="a", duration_ms=1000)
    evil = '<script>alert("hi")</script> bridge & co'
    store.save_alignment(rid, SyncMap(sentences=(Sentence(0, evil, None, 0, 900),)))
    hits, total = store.search("bridge", rid)
    assert total == 1
    html = str(hits[0].html)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<mark>bridge</mark>" in html and "&amp; co" in html


def test_search_across_recordings_and_count(app, speech) -> None:
    from tests.helpers import add_reading

    a, _ = add_reading(app, speech, title="First")
    b, _ = add_reading(app, speech, title="Second")
    hits, total = app.extensions["store"].search("bridge")
    assert total == 4
    assert {h.recording_id for h in hits} == {a, b}
    hits, total = app.extensions["store"].search("bridge", limit=1)
    assert len(hits) == 1 and total == 4


def test_realignment_replaces_the_index(app, recording) -> None:
    rid, syncmap = recording
    store = app.extensions["store"]
    store.save_alignment(rid, syncmap)  # again: no duplicates
    assert store.search("cafe", rid)[1] == 1


def test_marks_stay_balanced_when_the_text_holds_the_marker_characters(app) -> None:
    store = app.extensions["store"]
    rid = store.add_recording(title="x", language="eng", transcript="x", audio_name="a",
                              audio_sha256="a", rendition_name="a", duration_ms=1000)
    odd = "the \x03old\x02 bridge \x02opens"
    store.save_alignment(rid, SyncMap(sentences=(Sentence(0, odd, None, 0, 900),)))
    hits, total = store.search("bridge", rid)
    assert total == 1
    html = str(hits[0].html)
    assert html.count("<mark>") == html.count("</mark>") == 1
    assert html == "the old <mark>bridge</mark> opens"


def test_forgiving_helpers() -> None:
    assert fulltext.edit_distance("terorism", "terrorism") == 1
    assert fulltext.edit_distance("teh", "the") == 1  # a swap is one slip
    assert fulltext.edit_distance("cat", "elephant") == 3  # past the limit: limit + 1
    assert fulltext.number_forms("Three") == ("3",)
    assert fulltext.number_forms("20th") == ("twentieth",)
    assert fulltext.number_forms("bridge") == ()
    vocabulary = frozenset({"terrorism", "against", "three"})
    assert fulltext.match_expression("terorism", vocabulary) == '("terorism"* OR "terrorism")'
    assert fulltext.match_expression("3", vocabulary) == '("3"* OR "three")'
    # a word that matches as typed is not second-guessed
    assert fulltext.match_expression("again", vocabulary) == '"again"*'
