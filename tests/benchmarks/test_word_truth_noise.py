"""The word-truth-under-noise benchmark's offline parts: the conditions, one real degrading
of a short reading (its truth scaled with the tempo), and the report from fabricated
results."""

import json

import numpy as np

from benchmarks import corpus, holdout_noise, word_report
from benchmarks import word_truth_noise as wtn
from testsupport.score import summarise_word_errors


def test_every_held_out_condition_but_clean_and_readings_with_backdrops():
    assert "clean" not in wtn.CONDITIONS
    assert set(wtn.CONDITIONS) | {"clean"} == set(holdout_noise.CONDITIONS)
    from benchmarks import holdout, word_truth
    assert all(r in word_truth.CASES and h in holdout.CASES for r, h in wtn.READINGS.items())


def _reading(tmp_path):
    """A two-second reading: a tone where each of two words is said."""
    src = tmp_path / "words-x"
    src.mkdir()
    t = np.arange(2 * corpus.RATE) / corpus.RATE
    x = (0.3 * np.sin(2 * np.pi * 220 * t) * ((t > 0.5) & (t < 1.5))).astype(np.float32)
    corpus.write_wav(src / "audio.wav", x)
    truth = {"duration": 2.0, "audio": "audio.wav",
             "sentences": [{"text": "Two words.", "begin": 0.5, "end": 1.5}],
             "words": [{"text": "two", "begin": 0.5, "end": 1.0},
                       {"text": "words", "begin": 1.0, "end": 1.5}]}
    (src / "truth.json").write_text(json.dumps(truth), encoding="utf-8")
    (src / "transcript.txt").write_text("Two words.\n", encoding="utf-8")
    return src


def test_a_degraded_reading_keeps_its_words_and_scales_them_with_the_tempo(tmp_path):
    src = _reading(tmp_path)
    backdrop = holdout_noise.Backdrop((), ("flite", "rms"), None)  # no voices needed here
    d = wtn.degraded(src, "drift", tmp_path / "words-x-drift", backdrop)
    truth = json.loads((d / "truth.json").read_text(encoding="utf-8"))
    assert truth["words"] == json.loads((src / "truth.json").read_text())["words"]
    assert (d / truth["audio"]).exists() and (d / "transcript.txt").exists()
    fast = wtn.degraded(src, f"fast{holdout_noise.FAST}+pink:6", tmp_path / "f", backdrop)
    scaled = json.loads((fast / "truth.json").read_text(encoding="utf-8"))
    assert abs(scaled["words"][1]["begin"] - 1.0 / holdout_noise.FAST) < 0.01
    assert [p.name for p in fast.glob("audio*")] == [scaled["audio"]]  # no scratch left
    again = wtn.degraded(src, "drift", tmp_path / "words-x-drift", backdrop)
    assert (again / "audio.wav").read_bytes() == (d / "audio.wav").read_bytes()


def _result(case, ours, aeneas):
    def tool(errs):
        return {"ok": True, "wall": 1.0, "word_errors": errs,
                "word_score": summarise_word_errors(errs)}
    return {"case": case, "duration": 2.0, "sentences": 1, "words": len(ours),
            "tools": {word_report.OURS: tool(ours), word_report.AENEAS_WORDS: tool(aeneas)}}


def test_the_report_names_the_cases_where_ours_is_behind():
    results = [_result("words-lecture-cafe", [0.0, 0.02, 0.2], [0.0, 0.3, 0.3]),
               _result("words-lecture-slams", [0.0, 0.07, 0.3], [0.0, 0.02, 0.3])]
    md = wtn.report(results, "python -m benchmarks.word_truth_noise", ["cafe", "slams"])
    assert "`cafe`, `slams`" in md
    assert "| words-lecture-cafe | 3 |" in md
    assert "below plain aeneas word by word on 1 of 2 cases: words-lecture-slams" in md
    assert "on no case" in wtn.report(results[:1], "x", ["cafe"])
