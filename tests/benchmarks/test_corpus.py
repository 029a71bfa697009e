"""The corpus builder's reusable reader: a couple of sentences by two voices."""

import wave

import numpy as np

from benchmarks.corpus import (
    RATE,
    assign_voices,
    available_voices,
    seed_sentences,
    split_sentences,
)


def test_synthesize_reading_two_voices(tmp_path):
    from benchmarks.corpus import synthesize_reading

    out = tmp_path / "reading.wav"
    turns = [("host", "Good morning."), ("guest", "Thank you for having me.")]
    truth = synthesize_reading(turns, str(out), rng=np.random.default_rng(1))
    with wave.open(str(out)) as w:
        assert (w.getnchannels(), w.getsampwidth(), w.getframerate()) == (1, 2, RATE)
        duration = w.getnframes() / RATE
    assert [(t["speaker"], t["text"]) for t in truth] == turns
    times = [x for t in truth for x in (t["begin"], t["end"])]
    assert times == sorted(times) and len(set(times)) == len(times)
    assert 0 < truth[0]["begin"] and truth[-1]["end"] < duration


def test_voices_are_assigned_in_order_of_first_appearance():
    free = [v for v in available_voices() if v != ("flite", "slt")]
    v = assign_voices(["b", "a", "b", "c"], {"c": ("flite", "slt")})
    assert v == {"c": ("flite", "slt"), "b": free[0], "a": free[1]}


def test_seed_sentences_and_splitting():
    raw, sents = seed_sentences()
    assert "Ladies and Gentlemen," in raw
    assert len(sents) == 61
    assert {spk for spk, _ in sents} == {"robertson", "interpreter", "moderator",
                                         "journalist1", "journalist2"}
    assert split_sentences("Second part: Is it so? Yes.") == ["Second part: Is it so?", "Yes."]
