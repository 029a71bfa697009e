"""Word evidence: what the recogniser listens for, how heard words anchor sentences, and
the aligner on a recording that holds speech the transcript does not (real pocketsphinx,
real aeneas, flite and eSpeak voices)."""

from __future__ import annotations

import numpy as np
import pytest

from alignment import align, anchors, engine, listening, recognizer
from alignment.recognizer import Heard
from alignment.synthetic import synthesize_reading


@pytest.mark.parametrize(("spoken", "tokens"), [
    ("Sonnet 18", ["sonnet", "eighteen"]),
    ("II.", ["two"]),
    ("In 2001, 5 percent of NATO-Russia talks", ["in", "two", "thousand", "and", "one",
                                                 "five", "percent", "of", "nato", "russia",
                                                 "talks"]),
    ("I don't know, Mr. Smith.", ["i", "don't", "know", "mr", "smith"]),
    ("the 3rd time", ["the", "third", "time"]),
])
def test_words_are_heard_as_they_are_said(spoken: str, tokens: list[str]) -> None:
    assert recognizer.words_of(spoken) == tokens


def _heard(words: str, start: int = 0, each: int = 300) -> list[Heard]:
    return [Heard(w, start + i * each, start + (i + 1) * each)
            for i, w in enumerate(words.split())]


SENTENCES = [s.split() for s in (
    "the cables take the weight of the deck",
    "each tower pushes that weight down into the rock",
    "thank you",
)]


def test_words_heard_in_order_anchor_their_sentences() -> None:
    heard = _heard("the cables take the weight of the deck", 1000) + \
        _heard("each tower pushes that weight down", 5000)
    marks = anchors.heard_in_order(SENTENCES, heard, lambda w: True)
    assert [m.token for m in marks[0]] == list(range(8))
    assert marks[0][0].begin == 1000
    assert [m.token for m in marks[1]] == list(range(6))
    assert marks[2] == []


def test_scattered_words_anchor_nothing() -> None:
    # foreign speech heard through the transcript's words: single words and pairs, not
    # runs in the transcript's order
    heard = _heard("the deck tower the weight rock each the cables you")
    marks = anchors.heard_in_order(SENTENCES, heard, lambda w: True)
    assert all(len(m) == 0 or len(m) >= anchors.MIN_RUN for m in marks)
    assert sum(len(m) for m in marks) == 0


def test_a_common_word_heard_after_a_pause_does_not_extend_a_run() -> None:
    # "the" heard in foreign speech 2 s after the first sentence's last word
    heard = _heard("the cables take the weight of the deck", 1000) + _heard("each", 5400)
    marks = anchors.heard_in_order(SENTENCES, heard, lambda w: True)
    assert [m.token for m in marks[0]] == list(range(8))
    assert marks[1] == []


def test_words_the_dictionary_lacks_do_not_break_a_run() -> None:
    heard = _heard("each tower that weight down")  # "pushes" unknown to the recogniser
    marks = anchors.heard_in_order(SENTENCES, heard, lambda w: w != "pushes")
    assert [m.token for m in marks[1]] == [0, 1, 3, 4, 5]


def test_a_run_of_common_words_is_likely_by_chance_and_a_rare_word_is_not() -> None:
    # other English voices under the speech, heard through the transcript's words: the
    # common ones come up again and again, so a run of them in order is no evidence
    heard = _heard("of it and the it let of it the and a it let the at of it off the "
                   "only the yellow part it and")
    assert anchors.by_chance(["of", "it", "let", "it"], heard, 100) > 1.0
    assert anchors.by_chance(["only", "the", "yellow", "part"], heard, 100) < 0.05
    assert anchors.by_chance(["yellow"], [], 200) == float("inf")


def test_words_heard_move_a_sentence_only_when_they_are_unlikely_by_chance() -> None:
    tokens = [["all", "of", "it"], ["only", "the", "yellow", "part"]]
    heard = _heard("of it let it the and it of the it and of it yellow the it", 0) + \
        _heard("only the yellow part", 60_000)
    anchored = [[anchors.Anchor(1, 1000, 1200), anchors.Anchor(2, 1200, 1400)],
                [anchors.Anchor(k, 60_000 + 300 * k, 60_300 + 300 * k) for k in range(4)]]
    moves = engine._moves(anchored, np.array([False, False]), [3, 4], tokens, heard)
    assert moves.tolist() == [False, True]
    kept = engine._moves(anchored, np.array([False, True]), [3, 4], tokens, heard)
    assert kept.tolist() == [False, False]


def test_a_probe_disagrees_with_a_sentence_placed_elsewhere() -> None:
    counts = [8, 9, 2]
    marks = anchors.heard_in_order(SENTENCES, _heard("each tower pushes that", 20_000),
                                   lambda w: True)
    # the warp put sentence 1 at 5-9 s, but its words are heard at 20 s
    assert anchors.disagree(marks, [(19_000, 25_000)], [1000, 5000, 10_000],
                            [4000, 9000, 11_000], counts)
    # placed where they are heard: no disagreement
    assert not anchors.disagree(marks, [(19_000, 25_000)], [1000, 20_000, 30_000],
                                [4000, 24_000, 31_000], counts)
    # placed over its words and far too much before them
    assert anchors.disagree(marks, [(19_000, 25_000)], [1000, 12_000, 30_000],
                            [4000, 24_000, 31_000], counts)
    # ... but an end that runs on past them moves no start
    assert not anchors.disagree(marks, [(19_000, 25_000)], [1000, 20_000, 30_000],
                                [4000, 28_000, 31_000], counts)
    # a probe that hears nothing where the warp laid a long sentence
    assert anchors.disagree([[], [], []], [(5000, 11_000)], [1000, 5000, 10_000],
                            [4000, 9000, 11_000], counts)
    # ... but a probe over pauses and short lines is no evidence either way
    assert not anchors.disagree([[], [], []], [(9500, 11_500)], [1000, 5000, 10_000],
                                [4000, 9000, 11_000], counts)
    # the sentence laid there is heard, but only in words chance would give: no evidence
    # that it is said there, so the probe heard nothing in order
    assert anchors.disagree(marks, [(19_000, 25_000)], [1000, 20_000, 30_000],
                            [4000, 24_000, 31_000], counts, [False, True, False])


def test_utterances_are_cut_in_pauses() -> None:
    speech = np.ones(12_000, bool)  # two minutes of 10 ms frames
    speech[2500:2560] = False  # a pause at 25.0-25.6 s
    speech[6000:6010] = False  # and a short one at 60 s
    cuts = listening.utterances(0, 120_000, speech)
    assert cuts[0] == (0, 25_300)
    assert all(listening.SHORTEST_MS <= b - a <= listening.LONGEST_MS for a, b in cuts[:-1])
    assert cuts[-1][1] == 120_000
    assert all(a == b for (_, a), (b, _) in zip(cuts, cuts[1:], strict=False))


def test_probes_spread_over_the_recording() -> None:
    stretches = listening.probes(3_600_000)
    assert len(stretches) == listening.MOST_PROBES
    assert stretches[0][0] > 0 and stretches[-1][1] < 3_600_000
    assert listening.probes(10_000) == [(0, 10_000)]


ENGLISH = [
    ("host", "Welcome back to the programme about rivers and bridges."),
    ("host", "Today we look at how a suspension bridge carries its load."),
    ("guest", "The cables take the weight of the deck and pass it to the towers."),
    ("guest", "Each tower pushes that weight down into the rock below the river."),
    ("host", "So the rock holds up the whole bridge in the end."),
    ("guest", "That is right, and the rock has to be sound for a very long time."),
    ("host", "Thank you for explaining it so clearly."),
]
# what the guest said first, in Italian, before the interpreter's English
ITALIAN = {
    2: "I cavi portano il peso dell'impalcato e lo trasmettono alle torri, che lo "
       "scaricano a terra.",
    3: "Ogni torre spinge quel peso verso il basso, dentro la roccia sotto il fiume, "
       "come una colonna.",
    5: "Esatto, e la roccia deve restare solida per moltissimo tempo, altrimenti il "
       "ponte si muove.",
}


@pytest.fixture(scope="module")
def interpreted(tmp_path_factory) -> tuple[str, str, list[dict]]:
    """The guest speaks Italian before each of her sentences, as the interpreter's
    English follows; the transcript holds only the English."""
    turns: list[tuple[str, str]] = []
    for k, (spk, text) in enumerate(ENGLISH):
        if k in ITALIAN:
            turns.append(("original", ITALIAN[k]))
        turns.append((spk, text))
    wav = str(tmp_path_factory.mktemp("interpreted") / "reading.wav")
    truth = synthesize_reading(turns, wav, voices={"original": ("espeak", "it")},
                               rng=np.random.default_rng(3))
    transcript = "\n\n".join(f"{spk.upper()}: {text}" for spk, text in ENGLISH) + "\n"
    return wav, transcript, truth


@pytest.mark.slow  # real alignment, and the whole recording heard
def test_speech_in_another_language_takes_no_sentence(interpreted) -> None:
    wav, transcript, truth = interpreted
    result = align(wav, transcript)
    english = [t for t in truth if t["speaker"] != "original"]
    for s, t in zip(result.sentences, english, strict=True):
        assert s.aligned, s.text
        assert abs(s.begin / 1000 - t["begin"]) <= 0.1, (s.text, s.begin, t["begin"])
    # each Italian stretch is reported as speech the transcript does not hold
    for t in truth:
        if t["speaker"] == "original":
            covered = sum(max(0, min(b, t["end"] * 1000) - max(a, t["begin"] * 1000))
                          for a, b in result.untranscribed)
            assert covered >= 0.8 * (t["end"] - t["begin"]) * 1000, t["text"]
    assert any("not in the transcript" in w for w in result.warnings)
    as_json = result.to_dict()
    assert as_json["untranscribed"] and set(as_json["untranscribed"][0]) == {"begin", "end"}


def test_the_probes_hear_the_samples_the_decoding_kept_as_the_file_gives_them(
        tmp_path, monkeypatch) -> None:
    """The stretches the probes listen to are kept as the decoding passes them (no ffmpeg
    a stretch): the samples are the file's, block edges or not, and the words heard in
    them are the words heard in the file."""
    wav = str(tmp_path / "r.wav")
    turns = [("a", " ".join(s) + ".") for s in SENTENCES] * 3
    synthesize_reading(turns, wav, rng=np.random.default_rng(3))
    ms = engine.audio.probe_duration(wav)
    monkeypatch.setattr(engine.features, "_BLOCK_SECONDS", 1.0)  # stretches over edges
    keep = [(200, 2300), (ms // 2 - 900, ms // 2 + 1100), (ms - 1500, ms + 500)]
    rec = engine.features.extract(wav, ms, keep=keep)
    for (a, b) in keep:
        assert np.array_equal(rec.kept[(a, b)], engine.audio.pcm_range(wav, a, b))
    assert 0 < len(rec.kept[keep[-1]]) < 2000 * 16  # the file ends before the stretch does
    tokens = [list(s) for s in SENTENCES]
    speech = engine.boundaries.speech_mask(rec.loudness)
    samples = [rec.kept[s] for s in keep[:2]]
    heard = listening.words_heard(wav, tokens, keep[:2], speech, samples=samples)
    assert heard == listening.words_heard(wav, tokens, keep[:2], speech)
    assert {h.text for h in heard} & {"cables", "weight", "tower", "deck", "rock"}


def test_a_stretch_may_widen_to_its_neighbours_and_never_narrows() -> None:
    from alignment.listening import WIDEN_MS, _room

    def run(a: int, b: int) -> tuple[list[str], int, int, list[int | None]]:
        return (["word"], a, b, [None])

    # apart: up to the neighbours' stretches, and no more than WIDEN_MS
    assert _room([run(0, 5000), run(5600, 9000), run(20000, 25000)]) == [
        (0, 5600), (5000, 9000 + WIDEN_MS), (20000 - WIDEN_MS, 25000 + WIDEN_MS)]
    # stretches either side of a short pause overlap (each padded): the room holds each
    rooms = _room([run(35090, 55220), run(55100, 73140)])
    assert rooms[0][0] <= 35090 and rooms[0][1] >= 55220
    assert rooms[1][0] <= 55100 and rooms[1][1] >= 73140
