"""The corpus builder's reusable reader: a couple of sentences by two voices."""

import shutil
import wave

import numpy as np
import pytest

from benchmarks.corpus import (
    RATE,
    assign_voices,
    available_voices,
    clean_transcript,
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


def test_a_speaker_given_a_voice_needs_no_installed_voice(monkeypatch):
    from alignment import synthetic

    monkeypatch.setattr(synthetic, "available_voices", lambda: ())
    given = {"host": ("flite", "awb"), "guest": ("flite", "slt")}
    assert synthetic.assign_voices(["host", "guest", "host"], given) == given
    with pytest.raises(RuntimeError, match="no flite or festival voice"):
        synthetic.assign_voices(["host", "narrator"], given)


@pytest.mark.skipif(not shutil.which("sox"), reason="needs sox")
def test_read_wav_resamples_without_leaving_a_file_beside_its_input(tmp_path):
    from benchmarks.corpus import read_wav

    path = tmp_path / "8k.wav"
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(8000)
        w.writeframes((np.sin(np.arange(8000) / 5) * 10000).astype(np.int16).tobytes())
    x = read_wav(path)
    assert x.dtype == np.float32 and abs(len(x) - RATE) <= 1
    assert [p.name for p in tmp_path.iterdir()] == ["8k.wav"]


def test_the_seed_truth_is_what_the_projects_reader_cuts():
    # the truth is cut by the frozen `split_sentences`; the reader must still cut the
    # transcripts the seed cases hand to the aligners into (at least) those sentences
    from alignment.transcript import read_transcript

    raw, sents = seed_sentences()
    truth = [s for _, s in sents]
    for name, transcript in (("seed-clean", clean_transcript(sents)), ("seed-raw", raw)):
        read = {s.text for s in read_transcript(transcript).sentences}
        missing = [t for t in truth if t not in read]
        assert not missing, (name, missing)
