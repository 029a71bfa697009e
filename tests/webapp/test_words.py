"""Words and their times as the program keeps them (webapp/words.py): the stored form,
the page's form, which word a character is in, and where a search hit starts.

The word cases live in tests/data/word_cases.json, which the page's helpers
(static/player/words.mjs, `node --test tests/js/`) are tested on too.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from alignment import Sentence, Word, split_words
from testsupport.recordings import words_by_length
from webapp.store.fulltext import Hit
from webapp.words import first_marked_begin, from_stored, page_times, stored, word_at

ROOT = Path(__file__).resolve().parents[2]
CASES = json.loads((ROOT / "tests" / "data" / "word_cases.json").read_text(encoding="utf-8"))
TEXT = "Well — I think “so”, yes."


@pytest.mark.parametrize(("text", "words"), CASES["split"])
def test_the_words_of_a_text(text: str, words: list[str]) -> None:
    assert split_words(text) == words


@pytest.mark.parametrize(("text", "offset", "k"), CASES["word_at"])
def test_which_word_a_character_is_in(text: str, offset: int, k: int) -> None:
    assert word_at(text, offset) == k


@pytest.mark.parametrize(("times", "attr"), CASES["page_times"])
def test_the_page_gets_the_times_as_steps(times: list[list[int]], attr: str) -> None:
    assert page_times([Word("w", b, e) for b, e in times]) == attr


def test_stored_words_are_times_only_when_they_are_the_texts_own() -> None:
    words = (Word("Well —", 1000, 1400), Word("I", 1400, 1500, aligned=False),
             Word("think", 1520, 1800), Word("“so”,", 1850, 2200), Word("yes.", 2300, 2600))
    data = stored(words, TEXT)
    assert json.loads(data) == {"t": [1000, 400, 0, 100, 20, 280, 50, 350, 100, 300], "x": [1]}
    assert from_stored(data, TEXT) == words
    assert stored((), TEXT) == "" and from_stored("", TEXT) == () and from_stored(None, TEXT) == ()


def test_words_cut_otherwise_keep_their_texts() -> None:
    words = (Word("Well", 1000, 1300), Word("—", 1300, 1350), Word("I think", 1400, 1800))
    data = stored(words, "Well — I think")
    assert json.loads(data)["w"] == ["Well", "—", "I think"]
    assert from_stored(data, "Well — I think") == words


def test_words_that_no_longer_fit_the_text_are_not_given_back() -> None:
    data = stored((Word("Old", 0, 100), Word("words.", 100, 300)), "Old words.")
    assert from_stored(data, "Quite other words now.") == ()
    # the same number of words is taken as the same words: the store drops a text's
    # words whenever the text changes (webapp.history), so this never shows stale times
    assert len(from_stored(data, "New words.")) == 2


@given(st.lists(st.text(alphabet="abc —.,", min_size=1, max_size=6), min_size=1, max_size=12),
       st.integers(0, 10**8), st.integers(0, 5000))
def test_stored_words_read_back_the_same(texts: list[str], begin: int, span: int) -> None:
    text = " ".join(texts)
    s = Sentence(index=0, text=text, begin=begin, end=begin + span)
    words = words_by_length(s)
    assert [w.text for w in words] == split_words(text)
    assert from_stored(stored(words, text), text) == words
    assert all(s.begin <= w.begin <= w.end <= s.end for w in words)
    assert all(a.end <= b.begin for a, b in zip(words, words[1:], strict=False))


def test_a_search_hit_starts_at_the_first_word_it_marked() -> None:
    words = words_by_length(Sentence(index=0, text="The old harbour bridge opens.", begin=4000,
                                     end=7000))
    data = stored(words, "The old harbour bridge opens.")
    marked = "The old \x02harbour\x03 \x02bridge\x03 opens."
    assert first_marked_begin(marked, data, "\x02", "\x03") == words[2].begin
    assert first_marked_begin("The \x02old\x03 harbour bridge opens.", data, "\x02",
                              "\x03") == words[1].begin
    assert first_marked_begin("The old harbour bridge opens.", data, "\x02", "\x03") is None
    assert first_marked_begin(marked, "", "\x02", "\x03") is None
    # words that do not fit the text give no start
    assert first_marked_begin("Other \x02words\x03.", data, "\x02", "\x03") is None
    # a quoted line's words are marked wherever they occur: the hit starts where the
    # line is, the shortest stretch holding them all
    text = "And the bridge and the harbour and the old town open."
    laid = words_by_length(Sentence(index=0, text=text, begin=1000, end=9000))
    quote = ("\x02And\x03 the bridge \x02and\x03 the \x02harbour\x03 \x02and\x03 the "
             "\x02old\x03 town open.")
    assert first_marked_begin(quote, stored(laid, text), "\x02", "\x03") == laid[5].begin
    one = "\x02And\x03 the bridge \x02and\x03 the harbour \x02and\x03 the old town open."
    assert first_marked_begin(one, stored(laid, text), "\x02", "\x03") == laid[0].begin
    hit = Hit(recording_id="r", recording_title="R", index=0, sentence_id="s-1", speaker=None,
              begin=4000, end=7000, marked=marked, words=data)
    assert hit.start == words[2].begin > hit.begin
    assert Hit(recording_id="r", recording_title="R", index=0, sentence_id="s-1",
               speaker=None, begin=4000, end=7000, marked=marked).start == 4000


def test_the_json_export_and_the_page_carry_the_stored_words(app, client, speech) -> None:
    from tests.helpers import add_reading

    rid, syncmap = add_reading(app, speech, words=True)
    doc = client.get(f"/r/{rid}/transcript.json").get_json()
    s = syncmap.sentences[2]
    assert doc["sentences"][2]["words"] == [w.to_dict() for w in s.words]
    page = client.get(f"/r/{rid}").text
    assert f'id="{s.id}" href="/r/{rid}?t={s.begin / 1000:.3f}"' in page
    assert f'data-words="{page_times(s.words)}"' in page
    assert "data-word=" not in page and "data-word " not in page  # no element per word
