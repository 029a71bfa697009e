"""The real-speech-under-noise benchmark's offline parts: which recordings, the folder
names, the truth of a degraded case, the report from fabricated results, and one real
degrading of a short recording by the team's sweep script."""

import json

import numpy as np
import pytest

from benchmarks import corpus, robustness
from benchmarks import real_speech as rs
from benchmarks import real_speech_noise as rsn
from testsupport.score import summarise_word_errors


def _truth(sentences, seconds):
    return {"duration": seconds,
            "sentences": [{"text": f"S{i}.", "begin": float(i), "end": i + 0.5}
                          for i in range(sentences)]}


def test_recordings_of_four_sentences_and_twenty_seconds_are_degraded():
    assert rsn.is_selected(_truth(4, 20.0))
    assert rsn.is_selected(_truth(12, 52.4))
    assert not rsn.is_selected(_truth(1, 30.0))  # a praatio sentence, however long
    assert not rsn.is_selected(_truth(4, 7.0))  # promo-lab: four sentences in 7 s
    assert not rsn.is_selected(_truth(3, 25.0))


def test_condition_folders():
    assert [rsn.condition_dir_name(c) for c in rsn.CONDITIONS] == [
        "pink_6", "babble_10", "reverb-pink_10"]


def _result(case, ours, aeneas, ours_words, aeneas_words):
    """A case's result as `real_speech.bench_case` gives it: sentence errors per tool, word
    errors for ours and aeneas word by word."""
    def tool(errs, words):
        run = {"ok": True, "wall": 1.0}
        if errs is not None:
            run.update(errors=errs, score={"within_100ms": sum(
                e is not None and e <= 0.1 for e in errs) / len(errs),
                "median_err": 0.0, "p90_err": 0.1})
        if words is not None:
            run.update(word_errors=words, word_score=summarise_word_errors(words))
        return run

    return {"case": case, "duration": 20.0, "sentences": len(ours), "words": len(ours_words),
            "tools": {"ours": tool(ours, ours_words), "aeneas": tool(aeneas, None),
                      "aeneas-words": tool(None, aeneas_words)}}


RESULTS = [
    _result("a-pink_6", [0.0, 0.0, 0.0, 0.5], [0.0, 0.5, 0.5, 0.5],
            [0.0, 0.02, 0.03, 0.2], [0.0, 0.06, 0.2, 0.3]),
    _result("a-babble_10", [0.0, 0.5, 0.5, 0.5], [0.0, 0.0, 0.0, 0.5],
            [0.0, 0.07, 0.08, 0.2], [0.0, 0.02, 0.03, 0.2]),
    _result("b-pink_6", [0.0, 0.0, None, 0.0], [0.0, 0.0, 0.0, 0.0],
            [0.0, 0.0, 0.0, None], [0.0, 0.0, 0.0, 0.0]),
]


def test_the_cases_below_aeneas_are_named_from_the_figures():
    sents, words = rsn.behind_aeneas(RESULTS)
    assert sents == ["a-babble_10 (0.250 against 0.750)", "b-pink_6 (0.750 against 1.000)"]
    # a-babble_10: as many within 100 ms (3 of 4), fewer within 50 ms
    assert words == ["a-babble_10 (0.750 / 0.250 against 0.750 / 0.750)",
                     "b-pink_6 (0.750 / 0.750 against 1.000 / 1.000)"]
    line = rsn.below_line(RESULTS)
    assert line.startswith("Ours is below plain aeneas on 2 of 3 cases for sentence starts")
    assert "a-pink_6" not in line
    assert rsn.below_line(RESULTS[:1]) == (
        "Ours is below plain aeneas on no case for sentence starts (within 100 ms); on no "
        "case for word starts (within 100 / 50 ms).")


def test_a_failed_ours_is_below_and_a_failed_aeneas_is_left_out():
    failed = _result("c-pink_6", [0.0], [0.0], [0.0], [0.0])
    failed["tools"]["ours"] = {"ok": False, "error": "boom"}
    assert rsn.behind_aeneas([failed]) == (["c-pink_6 (0.000 against 1.000)"],
                                           ["c-pink_6 (0.000 / 0.000 against 1.000 / 1.000)"])
    failed["tools"]["aeneas"] = failed["tools"]["aeneas-words"] = {"ok": False}
    assert rsn.behind_aeneas([failed]) == ([], [])


def test_the_report_tables_sentences_and_words_pooled_and_worst():
    md = rsn.report(RESULTS, "python -m benchmarks.real_speech_noise", ["a", "b"],
                    list(rsn.CONDITIONS))
    assert md.startswith("## Real speech under noise")
    assert "Not a goal of any issue" in md
    assert "(a, b)" in md and "`reverb+pink:10`" in md and "sweep.py" in md
    assert "| a-babble_10 | 20.0 | 4 | 0.250 / 0.750 |" in md
    assert "| **pooled** | 60.0 | 12 | 0.583 / 0.667 |" in md
    assert "| **pooled** | 12 | 0.750 / 0.750 | 0.583 / 0.667 |" in md
    assert "| **worst** (ours: a-pink_6; aeneas: a-pink_6) |" in md
    assert md.rstrip().endswith(rsn.below_line(RESULTS))


def _short_case(tmp_path):
    """A short real recording as a built case: praatio's "bobby" (1.2 s) when its sdist
    is in bench-out, else a second of synthetic sound (no download in a test)."""
    spec = next(c for c in rs.CASES if c.name == "praatio-bobby")
    if rs.sdist_path(rs.SOURCES[spec.source], rs.DEFAULT_OUT):
        return rs.build_case(spec, rs.DEFAULT_OUT, tmp_path / "real")
    d = tmp_path / "real" / "tone"
    d.mkdir(parents=True)
    t = np.arange(corpus.RATE) / corpus.RATE
    x = (0.3 * np.sin(2 * np.pi * 220 * t) * (t > 0.3)).astype(np.float32)
    corpus.write_wav(str(d / "audio.wav"), x)
    (d / "transcript.txt").write_text("Hello.\n")
    truth = {"duration": 1.0, "sentences": [{"text": "Hello.", "begin": 0.3, "end": 1.0}],
             "words": [{"text": "Hello", "begin": 0.3, "end": 1.0}]}
    (d / "truth.json").write_text(json.dumps(truth))
    return d


# what the sweep script offers `degrade_here` (its `mc` and `degrade`), for a clone
# without the team's shared folder beside it: noise seeded as the sweep seeds it
STAND_IN = """
import numpy as np
from benchmarks import corpus as mc

def degrade(cond, x, rng, workdir, src_wav, out_base):
    y = x + 0.05 * rng.standard_normal(len(x)).astype(np.float32)
    mc.write_wav(out_base + ".wav", (y / max(1.0, np.abs(y).max() / 0.95)).astype(np.float32))
    return out_base + ".wav", 1.0
"""


def test_a_short_recording_degraded_by_the_sweep(tmp_path):
    # the team's sweep script where it is beside the project, else a stand-in with its
    # interface: the child process, the chain, the truth and the repeatability are ours
    try:
        sweep = robustness.sweep_path()
    except FileNotFoundError:
        sweep = tmp_path / "sweep.py"
        sweep.write_text(STAND_IN)
    src = _short_case(tmp_path)
    out = rsn.degrade(src, "reverb+pink:6", tmp_path / "out" / "x-reverb-pink_6", sweep, 120)
    audio = out / "audio.wav"
    assert audio.exists()
    assert rs.duration_of(audio) == pytest.approx(rs.duration_of(src / "audio.wav"), abs=0.01)
    x, y = corpus.read_wav(src / "audio.wav"), corpus.read_wav(audio)
    n = min(len(x), len(y))
    assert abs(len(x) - len(y)) <= 2
    assert np.sqrt(((x[:n] - y[:n]) ** 2).mean()) > 0.01  # noise and echo, not the input
    truth, got = (json.loads((d / "truth.json").read_text()) for d in (src, out))
    assert got == {**truth, "audio": "audio.wav"}
    assert (out / "transcript.txt").read_text() == (src / "transcript.txt").read_text()
    # the same seeds and sox's repeatable mode: the same audio again
    again = rsn.degrade(src, "reverb+pink:6", tmp_path / "again", sweep, 120)
    assert (again / "audio.wav").read_bytes() == audio.read_bytes()
