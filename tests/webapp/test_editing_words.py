"""Words through an editor's changes (webapp/realign.py, webapp/editing.py): a sentence
placed from the aligner's answer takes its words on the recording's clock and inside its
span; one spread by estimate, or whose words no longer fit, has none; moving an edge by
hand finds the words of the sentences that moved again over their new spans (cut and the
real aligner), or drops them: no word is ever left outside its sentence, nor kept for
words it was not found for.

Where the real aligner runs here (on the synthesised reading), the sentences it places
get the words it hears, their own and inside their spans; the mapping of the aligner's
words onto the pieces is also tested on answers written out by hand, down to the
millisecond.
"""

from __future__ import annotations

from dataclasses import replace

from alignment import Sentence, SyncMap, Word, split_words
from tests.helpers import add_reading
from tests.webapp.test_editing import HX, JSON, stored
from testsupport.recordings import words_by_length
from webapp.realign import fit_words, place, reword, spread
from webapp.words import page_times


def _s(i: int, begin: int, end: int, text: str, aligned: bool = True) -> Sentence:
    return Sentence(index=i, text=text, begin=begin, end=end, aligned=aligned,
                    confidence=0.9 if aligned else 0.0, paragraph=i, id=f"s-{i:010d}")


def _worded(s: Sentence) -> Sentence:
    return replace(s, words=words_by_length(s))


def _own_and_inside(s: Sentence) -> bool:
    """Its words are its text's own, in order, inside its span (or it has none)."""
    if not s.words:
        return True
    return ([w.text for w in s.words] == split_words(s.text)
            and all(s.begin <= w.begin <= w.end <= s.end for w in s.words)
            and all(a.end <= b.begin for a, b in zip(s.words, s.words[1:], strict=False)))


def test_a_placed_sentence_takes_the_aligners_words_on_the_recordings_clock() -> None:
    pieces = [_s(0, 0, 0, "Well, we agreed. Then we left."), _s(1, 0, 0, "Bye.")]
    # the aligner cut the first piece in two; its times are the cut's own clock
    result = SyncMap(sentences=(
        _worded(_s(0, 100, 900, "Well, we agreed.")), _worded(_s(1, 1000, 1800, "Then we left.")),
        _worded(_s(2, 2100, 2500, "Bye."))))
    placed = place(pieces, result, offset=10_000, end=13_000)
    assert [w.text for w in placed[0].words] == split_words(pieces[0].text)
    assert placed[0].words[0].begin == 10_100 and placed[0].words[-1].end <= 11_800
    assert placed[0].words[3] == replace(result.sentences[1].words[0],
                                         begin=result.sentences[1].words[0].begin + 10_000,
                                         end=result.sentences[1].words[0].end + 10_000)
    assert placed[1].words == (Word("Bye.", 12_100, 12_460),)
    assert all(_own_and_inside(p) for p in placed)
    # what falls in the padding before the cut is held at the stretch's start, words too
    padded = place(pieces, result, offset=9_800, end=13_000, begin=10_000)
    assert padded[0].words[0].begin == 10_000 and all(_own_and_inside(p) for p in padded)


def test_words_that_are_not_the_pieces_own_or_not_found_are_dropped() -> None:
    pieces = [_s(0, 0, 0, "One two three."), _s(1, 0, 0, "Four five.")]
    # the aligner's sentence has other words than the piece (it read it otherwise)
    odd = _s(0, 0, 500, "One two three.")
    result = SyncMap(sentences=(
        replace(odd, words=(Word("One", 0, 100), Word("two three.", 100, 500))),
        _s(1, 0, 0, "Four five.", aligned=False)))
    placed = place(pieces, result, offset=0, end=2000)
    assert placed[0].aligned and placed[0].words == ()
    # not found: spread by estimate, without words
    assert not placed[1].aligned and placed[1].words == ()
    assert fit_words(pieces[0], [], 0) == ()
    laid = spread([_worded(_s(0, 0, 900, "Old words here."))], 0, 2000)
    assert laid[0].words == () and not laid[0].aligned


def test_new_words_leave_no_old_word_times_and_the_rest_keep_theirs(app, speech) -> None:
    from tests.webapp.test_editing import login

    client = app.test_client()
    token = login(app, client)
    rid, before = add_reading(app, speech, words=True)
    old = before.sentences[2]
    resp = client.post(f"/r/{rid}/s/{old.id}/edit", headers=HX, data={
        "text": "Thank you for having us.", "speaker": "Guest", "csrf_token": token})
    assert resp.status_code == 200, resp.text
    after = stored(app, rid)
    edited = after.sentences[2]
    assert edited.text == "Thank you for having us." and _own_and_inside(edited)
    # the aligner heard the new words: each has its time, none the old words'
    assert [w.text for w in edited.words] == split_words(edited.text)
    assert edited.words != old.words
    for a, b in zip(before.sentences, after.sentences, strict=True):
        if a.index != 2:
            assert a == b  # outside the stretch: untouched, words and all
    # the page carries the words as stored, the new ones included
    page = client.get(f"/r/{rid}").text
    assert f'data-words="{page_times(after.sentences[1].words)}"' in page
    assert f'data-words="{page_times(edited.words)}"' in page


def test_moving_an_edge_finds_the_words_again_inside_the_new_span(app, speech) -> None:
    from tests.webapp.test_editing import login

    client = app.test_client()
    token = login(app, client)
    rid, before = add_reading(app, speech, words=True)
    s, nxt = before.sentences[1], before.sentences[2]
    # its start 300 ms later, its end pushed past the next one's start (which moves along)
    resp = client.post(f"/r/{rid}/s/{s.id}/timing", headers=JSON, data={
        "begin": f"{(s.begin + 300) / 1000:.3f}", "end": f"{(nxt.begin + 200) / 1000:.3f}",
        "csrf_token": token})
    assert resp.status_code == 200, resp.text
    after = stored(app, rid)
    moved, pushed = after.sentences[1], after.sentences[2]
    assert (moved.begin, moved.end, pushed.begin) == (s.begin + 300, nxt.begin + 200,
                                                    nxt.begin + 200)
    assert _own_and_inside(moved) and _own_and_inside(pushed)
    # found again by the aligner over the new spans: every word, none before the start
    assert [w.text for w in moved.words] == split_words(moved.text)
    assert [w.text for w in pushed.words] == split_words(pushed.text)
    assert moved.words[0].begin >= s.begin + 300 and moved.words != s.words
    answer = {m["id"]: m for m in resp.get_json()["sentences"]}
    assert answer[s.id]["words"] == page_times(moved.words)
    assert answer[nxt.id]["words"] == page_times(pushed.words)
    # the sentences that did not move keep their words
    for k in (0, 3, 4, 5):
        assert after.sentences[k] == before.sentences[k]
    # undone: the words come back with the times
    change = client.get(f"/r/{rid}/history", headers=HX)
    assert change.status_code == 200
    from webapp.history import list_changes, undo_change

    [latest, *_] = list_changes(app.extensions["store"].engine, rid)
    undo_change(app.extensions["store"].engine, rid, latest.id, "lee")
    assert stored(app, rid).sentences == before.sentences


def test_without_the_audio_or_the_aligner_moved_sentences_lose_their_words(speech) -> None:
    worded = [_worded(_s(0, 1000, 2600, "Welcome to the transcript player.")),
              _worded(_s(1, 3200, 5800, "Today we talk about the old harbour bridge.")),
              _worded(_s(2, 6400, 7900, "Thank you for having me."))]
    moved = [worded[0], replace(worded[1], begin=3500), worded[2]]
    assert reword(None, moved, [1], "eng") == [worded[0], replace(moved[1], words=()),
                                               worded[2]]
    # a cut of silence: the aligner places nothing there, so no words are kept
    silent = [replace(worded[0], begin=0, end=900)]
    assert reword(speech.wav, silent, [0], "eng")[0].words == ()
    # sentences that had no words are left as they are, without aligning anything
    bare = [replace(w, words=()) for w in moved]
    assert reword(speech.wav, bare, [1], "eng") == bare
