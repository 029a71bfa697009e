"""The held-out check's degradations and report, on a few seconds of real flite speech
(no alignment, no aeneas)."""

import json

import numpy as np
import pytest

from benchmarks import holdout, holdout_noise
from benchmarks.corpus import RATE, Synthesizer, read_wav, write_wav
from testsupport.noise import speech_power

SLT, AWB, RMS = ("flite", "slt"), ("flite", "awb"), ("flite", "rms")


def db(p: float) -> float:
    return 10 * np.log10(p)


@pytest.fixture
def speech(tmp_path):
    """About four seconds of a flite voice at a modest level, with pauses around it."""
    synth = Synthesizer(str(tmp_path))
    s = synth("The committee met on Tuesday to discuss the new bridge.", SLT) * 0.5
    pad = np.zeros(RATE // 2, np.float32)
    return np.concatenate([pad, s, pad, s, pad]).astype(np.float32)


def test_babble_at_6_db_has_that_snr_and_talks_throughout(tmp_path, speech):
    backdrop = holdout_noise.Backdrop((AWB, RMS), SLT, Synthesizer(str(tmp_path),
                                                                   tmp_path / "cache"))
    y = holdout_noise.with_babble(speech, np.random.default_rng(1), backdrop, 6)
    assert y.dtype == np.float32 and len(y) == len(speech)
    assert np.abs(y).max() <= 0.95 + 1e-6
    # undo the peak normalisation (a plain gain), then what is left beside the speech is
    # the babble
    k = float(np.dot(y, speech) / np.dot(speech, speech))
    noise = y / k - speech
    assert db(speech_power(speech) / float((noise ** 2).mean())) == pytest.approx(6, abs=0.5)
    # two talkers reading on and on: sound in nearly every 100 ms of the file
    frames = noise[: len(noise) // 1600 * 1600].reshape(-1, 1600)
    rms = np.sqrt((frames ** 2).mean(axis=1))
    assert (rms > 0.05 * rms.max()).mean() > 0.8
    # the voices were cached, so the same seed gives the same babble again
    assert list((tmp_path / "cache").glob("*.npy"))
    again = holdout_noise.with_babble(speech, np.random.default_rng(1), backdrop, 6)
    assert np.array_equal(y, again)


def test_drift_rises_from_minus_20_to_0_db():
    tone = np.sin(2 * np.pi * 440 * np.arange(10 * RATE) / RATE).astype(np.float32) * 0.5
    y = holdout_noise.drift(tone)
    assert len(y) == len(tone)
    frames = y.reshape(-1, RATE // 10)
    level = [db(float((f ** 2).mean()) / 0.125) for f in frames]  # 0.125: the tone's power
    assert level[0] == pytest.approx(-20, abs=0.3)
    assert level[-1] == pytest.approx(0, abs=0.3)
    assert all(b > a for a, b in zip(level, level[1:], strict=False))


def test_the_fast_condition_shortens_the_file_and_the_truth_alike(tmp_path, speech):
    src = tmp_path / "clean.wav"
    write_wav(src, speech)
    path, factor = holdout_noise.degrade("fast1.35+pink:6", speech, src, tmp_path / "fast",
                                         np.random.default_rng(0), None)
    assert factor == pytest.approx(1 / 1.35)
    assert len(read_wav(path)) == pytest.approx(len(speech) / 1.35, rel=0.01)
    assert not (tmp_path / "fast.fast.wav").exists()  # the intermediate file is gone
    truth = {"sentences": [{"text": "A.", "begin": 1.35, "end": 2.7}]}
    assert holdout.scaled_truth(truth, factor)["sentences"][0] == {
        "text": "A.", "begin": pytest.approx(1.0), "end": pytest.approx(2.0)}


def test_a_degraded_truth_keeps_its_times_unless_the_tempo_changes():
    truth = {"duration": 4.0, "kind": "k",
             "sentences": [{"text": "A b.", "begin": 1.0, "end": 2.0, "word_begin": 1.2}],
             "words": [{"text": "a", "begin": 1.2, "end": 1.5}]}
    assert holdout.scaled_truth(truth, 1.0) == truth
    fast = holdout.scaled_truth(truth, 0.5)
    assert fast["duration"] == 2.0 and fast["kind"] == "k"
    assert fast["sentences"] == [{"text": "A b.", "begin": 0.5, "end": 1.0, "word_begin": 0.6}]
    assert fast["words"] == [{"text": "a", "begin": 0.6, "end": 0.75}]
    assert truth["words"][0]["begin"] == 1.2  # the recording's truth is left as it was


def test_unknown_conditions_are_refused_by_name(tmp_path, speech):
    assert holdout_noise.is_condition("babble:10") and holdout_noise.is_condition("drift")
    assert not holdout_noise.is_condition("babble:loud")
    assert not holdout_noise.is_condition("hail")
    with pytest.raises(ValueError, match="unknown condition 'hail'"):
        holdout_noise.degrade("hail", speech, tmp_path / "x.wav", tmp_path / "y",
                              np.random.default_rng(0), None)
    with pytest.raises(SystemExit):
        holdout.parse_args(["--conds", "clean,hail"])


def test_the_report_names_the_worst_row_and_where_ours_is_behind():
    def row(cond, ours, aeneas):
        o = (ours if isinstance(ours, str)
             else {"w100": ours, "p90": 0.05, "max": 0.2, "wall": 1.0, "unaligned": 1})
        return {"condition": cond, "ours": o,
                "aeneas": {"w100": aeneas, "p90": 0.04, "max": 0.3, "wall": 1.0}}

    results = [{"case": "recipe-kitchen", "description": "a cooking show", "duration": 130.0,
                "sentences": 68, "rows": [row("clean", 1.0, 0.985), row("tv:10", 0.882, 0.956)]},
               {"case": "council-meeting", "description": "a meeting", "duration": 250.0,
                "sentences": 72, "rows": [row("drift", 0.6, 0.5)]}]
    md = holdout.report(results, "python -m benchmarks.holdout")
    assert "**Worst row of ours: council-meeting, `drift`: ours 0.600" in md
    assert "Ours behind aeneas in 1 of 3 rows (ours < aeneas): recipe-kitchen `tv:10` " \
           "0.882 < 0.956." in md
    assert "| recipe-kitchen | `tv:10` | **0.882** | 0.956 | 1 |" in md
    assert "| recipe-kitchen | `clean` | 1.000 | 0.985 | 1 |" in md
    assert "`python -m benchmarks.holdout`" in md
    # a failure of ours is the worst row and counts as behind
    results[0]["rows"].append(row("cafe", "failed: exit status 1", 0.8))
    md = holdout.report(results, "x")
    assert "**Worst row of ours: recipe-kitchen, `cafe`: ours failed" in md
    assert "in 2 of 4 rows" in md
    json.dumps(results)  # the rows are written as JSON
