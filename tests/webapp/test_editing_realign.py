"""The parts of a re-alignment after an edit: which stretch, the cut, the real aligner on
it, and its answer mapped back onto the sentences; and the history's guards."""

from __future__ import annotations

import wave
from dataclasses import replace

import pytest

from alignment import Sentence, SyncMap
from tests.helpers import add_reading
from webapp.history import Conflict, Stale, apply_change, row_of
from webapp.realign import MIN_SPAN_MS, cut_wav, place, realign, spread, trusted_span


def _s(i: int, begin: int, end: int, aligned: bool = True, text: str = "") -> Sentence:
    return Sentence(index=i, text=text or f"Sentence number {i}.", begin=begin, end=end,
                    aligned=aligned, confidence=0.9 if aligned else 0.0, paragraph=i,
                    id=f"s-{i:010d}")


ROW = [_s(0, 0, 900), _s(1, 1000, 1900), _s(2, 2000, 2900, aligned=False),
       _s(3, 3000, 3900), _s(4, 4000, 4900)]


def test_the_stretch_runs_between_the_nearest_trusted_neighbours() -> None:
    # an unaligned neighbour is not trusted: the stretch reaches past it, either side
    assert trusted_span(ROW, {1}, 5000) == _span(1, 2, 900, 3000)
    assert trusted_span(ROW, {3}, 5000) == _span(2, 3, 1900, 4000)
    untrusted = [ROW[0], ROW[1], replace(ROW[2], aligned=True), ROW[3], ROW[4]]
    assert trusted_span(untrusted, {1}, 5000) == _span(1, 1, 900, 2000)
    # at either end, the recording's start and end bound it
    assert trusted_span(ROW, {0}, 5000) == _span(0, 0, 0, 1000)
    assert trusted_span(ROW, {4}, 5000) == _span(4, 4, 3900, 5000)
    # several edited sentences: one stretch around them all
    assert trusted_span(ROW, {1, 3}, 5000) == _span(1, 3, 900, 4000)
    with pytest.raises(ValueError):
        trusted_span(ROW, set(), 5000)


def _span(first: int, last: int, begin: int, end: int):  # type: ignore[no-untyped-def]
    from webapp.realign import Span

    return Span(first, last, begin, end)


def test_the_aligners_answer_is_mapped_back_by_the_words() -> None:
    pieces = [_s(0, 0, 0, text="Well, we agreed. Then we left."), _s(1, 0, 0, text="Bye.")]
    # the aligner cut the first piece in two; times are the stretch's own clock
    result = SyncMap(sentences=(
        _s(0, 100, 900, text="Well, we agreed."), _s(1, 1000, 1800, text="Then we left."),
        _s(2, 2100, 2500, text="Bye."),
    ))
    placed = place(pieces, result, offset=10_000, end=13_000)
    # with padding before the cut, what falls in the padding is held at the stretch's start
    padded = place(pieces, result, offset=9_800, end=13_000, begin=10_000)
    assert padded[0].begin == 10_000 and padded[0].end == 11_600
    assert [(p.text, p.begin, p.end, p.aligned) for p in placed] == [
        ("Well, we agreed. Then we left.", 10_100, 11_800, True),
        ("Bye.", 12_100, 12_500, True),
    ]
    assert [p.id for p in placed] == [p.id for p in pieces]


def test_what_the_aligner_did_not_find_is_estimated_between_what_it_did() -> None:
    pieces = [_s(0, 0, 0, text="One."), _s(1, 0, 0, text="Two two."), _s(2, 0, 0, text="Three.")]
    result = SyncMap(sentences=(_s(0, 0, 500, text="One."),
                                _s(1, 0, 0, aligned=False, text="Two two."),
                                _s(2, 1500, 2000, text="Three.")))
    placed = place(pieces, result, offset=0, end=2500)
    assert placed[1].begin == 500 and placed[1].end == 1500 and not placed[1].aligned
    assert placed[0].aligned and placed[2].aligned
    laid = spread(pieces, 0, 1000)
    assert laid[0].begin == 0 and laid[-1].end == 1000
    assert all(not p.aligned for p in laid)
    assert [p.end for p in laid[:-1]] == [p.begin for p in laid[1:]]


def test_the_cut_is_the_stretch_asked_for(speech, tmp_path) -> None:
    out = tmp_path / "cut.wav"
    cut_wav(speech.wav, 1000, 3500, out)
    with wave.open(str(out)) as w:
        assert w.getframerate() == 16000 and w.getnchannels() == 1
        assert abs(w.getnframes() / 16000 - 2.5) < 0.03
    cut_wav(speech.wav, 1000, 3500, out, pad_ms=300)
    with wave.open(str(out)) as w:
        assert abs(w.getnframes() / 16000 - 3.1) < 0.03
        w.setpos(int(0.25 * 16000))
        assert not any(w.readframes(800))  # silence, then the stretch


@pytest.mark.parametrize("lead_ms", [10, 300])
def test_a_stretch_starting_just_before_the_words_still_finds_their_start(speech, lead_ms):
    truth = list(speech.sentences)
    wrong = list(truth)
    wrong[2] = replace(truth[2], end=truth[3].begin - lead_ms)  # the neighbour ends late
    wrong[3] = replace(truth[3], begin=truth[3].begin + 300)
    _, [s] = realign(speech.wav, wrong, {3}, speech.duration, "eng")
    assert abs(s.begin - truth[3].begin) <= 60
    assert s.begin >= wrong[2].end  # never before the stretch


@pytest.mark.slow
def test_realign_with_the_real_aligner_finds_a_misplaced_sentence(speech) -> None:
    truth = list(speech.sentences)
    wrong = list(truth)
    wrong[3] = replace(truth[3], begin=truth[3].begin - 400, end=truth[3].end - 700)
    span, placed = realign(speech.wav, wrong, {3}, speech.duration, "eng")
    assert (span.first, span.last) == (3, 3)
    assert (span.begin, span.end) == (truth[2].end, truth[4].begin)
    [s] = placed
    assert s.aligned
    assert abs(s.begin - truth[3].begin) <= 100 and abs(s.end - truth[3].end) <= 150


def test_a_stretch_too_short_to_hold_speech_is_spread_not_aligned(speech) -> None:
    squeezed = list(speech.sentences)
    s = squeezed[2]
    squeezed[1] = replace(squeezed[1], end=s.begin + 10)
    squeezed[3] = replace(squeezed[3], begin=s.begin + 10 + MIN_SPAN_MS - 1)
    span, placed = realign(speech.wav, squeezed, {2}, speech.duration, "eng")
    assert span.length == MIN_SPAN_MS - 1
    assert [p.aligned for p in placed] == [False]


def test_a_change_worked_out_from_rows_that_changed_since_is_refused(app, speech) -> None:
    rid, syncmap = add_reading(app, speech)
    engine = app.extensions["store"].engine
    s = syncmap.sentences[1]
    seen = {s.index: row_of(s)}
    apply_change(engine, rid, kind="speaker", editor="a", summary="one",
                 after=[row_of(replace(s, speaker="A"))], expect=seen)
    with pytest.raises(Stale):
        apply_change(engine, rid, kind="speaker", editor="b", summary="two",
                     after=[row_of(replace(s, speaker="B"))], expect=seen)
    with pytest.raises(Conflict, match="changes nothing"):
        apply_change(engine, rid, kind="speaker", editor="a", summary="again",
                     after=[row_of(replace(s, speaker="A"))])
    # two sentences never share an id: a permalink names one sentence
    other = syncmap.sentences[2]
    with pytest.raises(Conflict, match="same id"):
        apply_change(engine, rid, kind="text", editor="a", summary="clash",
                     after=[row_of(replace(other, id=s.id))])
