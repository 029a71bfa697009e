"""The mismatch benchmark's pure helpers: intervals, coverage, the strict score, the unsaid
check, the table; and that its texts fit the transcript reader. No audio is built."""

import numpy as np
import pytest

from alignment.transcript import read_transcript
from benchmarks import mismatch
from benchmarks.texts import generality as texts
from benchmarks.texts import mismatch as mt


def test_merge_total_overlap_subtract():
    assert mismatch.merge([(3, 4), (0, 1), (0.5, 2), (2, 2.5), (5, 5)]) == [(0, 2.5), (3, 4)]
    assert mismatch.total([(0, 1), (0.5, 2)]) == pytest.approx(2.0)
    assert mismatch.overlap([(0, 2), (3, 5)], [(1, 4)]) == pytest.approx(2.0)
    assert mismatch.overlap([(0, 1)], [(1, 2)]) == 0.0
    assert mismatch.overlap([(0, 10)], [(1, 2), (3, 4), (9, 12)]) == pytest.approx(3.0)
    assert mismatch.subtract([(0, 10)], [(2, 3), (5, 6)]) == [(0, 2), (3, 5), (6, 10)]
    assert mismatch.subtract([(0, 10)], [(2, 3), (3.2, 6)], min_len=0.5) == [(0, 2), (6, 10)]
    assert mismatch.subtract([(1, 2)], [(0, 5)]) == []


TRUTH = {
    "sentences": [{"text": "One two three.", "begin": 1.0, "end": 2.0},
                  {"text": "Four five six.", "begin": 6.0, "end": 7.0},
                  {"text": "Seven eight.", "begin": 8.0, "end": 9.0}],
    "unsaid": ["Never said at all."],
    "untranscribed": [{"begin": 2.5, "end": 5.5}],
    "music": [{"begin": 10.0, "end": 12.0}],
    "duration": 13.0,
}


def test_coverage():
    c = mismatch.coverage(TRUTH, {"untranscribed": [{"begin": 3.0, "end": 6.5}]})
    # 2.5 of the 3 untranscribed seconds; of the 3.5 s reported, 2.5 are untranscribed and
    # 0.5 lie on the said sentence at 6.0
    assert c["covered"] == pytest.approx(2.5 / 3, abs=1e-3)
    assert c["precision"] == pytest.approx(2.5 / 3.5, abs=1e-3)
    assert c["on_said"] == pytest.approx(0.5)
    # a jingle reported counts as right
    c = mismatch.coverage(TRUTH, {"untranscribed": [{"begin": 10.0, "end": 11.0}]})
    assert c["covered"] == 0.0 and c["precision"] == 1.0
    c = mismatch.coverage(TRUTH, {"untranscribed": []})
    assert c["precision"] is None and c["reported"] == 0
    none = dict(TRUTH, untranscribed=[])
    assert mismatch.coverage(none, {})["covered"] is None


def test_strict_within_ends_the_pause_at_untranscribed_speech():
    assert mismatch.pause_starts(TRUTH) == [0.0, 5.5, 7.0]
    # sentence two laid on the untranscribed speech at 3.0: exact by the usual rule,
    # 2.5 s off by the strict one
    pred = [(0.8, "One two three."), (3.0, "Four five six."), (7.5, "Seven eight.")]
    assert mismatch.strict_within(TRUTH, pred) == pytest.approx(2 / 3, abs=1e-3)
    scores = mismatch.tool_scores(TRUTH, {"sentences": [{"text": t, "begin": b}
                                                        for b, t in pred]})
    assert scores["w100"] == 1.0 and scores["strict_w100"] == pytest.approx(0.667)
    # a missing sentence is a miss
    assert mismatch.strict_within(TRUTH, pred[:2]) == pytest.approx(1 / 3, abs=1e-3)


def test_unsaid_check_and_evaluate():
    ours = {"sentences": [{"text": "One two three.", "begin": 1.0},
                          {"text": "Never said at all.", "begin": 2.0, "aligned": False},
                          {"text": "Four five six.", "begin": 6.0, "aligned": False},
                          {"text": "Seven eight.", "begin": 8.0}],
            "untranscribed": [{"begin": 2.5, "end": 5.5}], "warnings": ["3 s of speech"]}
    u = mismatch.unsaid_check(TRUTH, ours)
    assert u == {"unsaid": 1, "found": 1, "marked": 1, "false_said": 0, "said": 3,
                 "said_marked": 1}
    row = mismatch.evaluate(TRUTH, ours, None)
    assert row["ours"]["w100"] == 1.0 and row["aeneas"] is None
    assert row["coverage"]["covered"] == 1.0 and row["warnings"] == ["3 s of speech"]
    cells = mismatch.row_cells({"case": "x", **row})
    assert cells[2] == "1.000 / failed" and cells[6] == "1 of 1" and cells[8] == "1 of 3"
    assert cells[9] == "1.000 of 3.0 s"
    md = mismatch.table([{"case": "x", **row}])
    assert md.count("\n") == 2 and md.startswith("| case |")


def test_stretches_and_chunks():
    truth = [{"begin": float(i), "end": i + 0.5} for i in range(8)]
    assert mismatch.stretches(truth, [5, 2, 3]) == [{"begin": 2.0, "end": 3.5},
                                                   {"begin": 5.0, "end": 5.5}]
    said = [("a", "1"), ("a", "2"), ("a", "3"), ("b", "4"), ("a", "5"), ("a", "6")]
    rng = np.random.default_rng(0)
    groups = mismatch.chunks(said, rng, sizes=(2, 2))
    assert groups == [[0, 1], [2], [3], [4, 5]]
    assert mismatch.chunks(said, rng, who="b", sizes=(1, 3)) == [[3]]


def test_texts_fit_the_transcript_reader():
    podcast = {s.text for s in read_transcript(mt.PODCAST).sentences}
    assert set(mt.PODCAST_UNSAID) <= podcast and mt.PODCAST_AD_AFTER in podcast
    geodesy = {s.text for s in read_transcript(texts.GEODESY).sentences}
    assert all(after in geodesy for after, _ in mt.GEODESY_ASIDES)
    record = read_transcript(mt.RECORD)
    # the dateline, byline and title are left to the audio; the spoken title is a sentence
    assert sorted(record.uncertain) == [0, 1, 2]
    assert "Item II." in {s.text for s in record.sentences}
    assert all(s.encode("latin-1") for s in mt.ITALIAN)  # festival's Italian voice


def test_parse_args():
    a = mismatch.parse_args(["--cases", "podcast-ads,dateline-record"])
    assert a.cases == ["podcast-ads", "dateline-record"] and a.out == "bench-out"
    assert mismatch.parse_args([]).cases == list(mismatch.CASES)
    assert set(mismatch.BUILDERS) == set(mismatch.CASES)
    with pytest.raises(SystemExit):
        mismatch.parse_args(["--cases", "nope"])


def test_summary_names_the_cases_behind():
    def row(case, ours, aeneas, warnings=()):
        return {"case": case, "untranscribed": 3.0, "warnings": list(warnings),
                "ours": None if ours is None else {"w100": ours[0], "strict_w100": ours[1]},
                "aeneas": {"w100": aeneas[0], "strict_w100": aeneas[1]}}

    rows = [row("a", (1.0, 1.0), (0.9, 0.8), ["x"]), row("b", (0.7, 0.4), (0.9, 0.6)),
            row("c", None, (0.9, 0.9))]
    assert mismatch.behind(rows) == ["b (0.700 < 0.900 and strict 0.400 < 0.600)",
                                     "c (failed)"]
    s = mismatch.summary(rows)
    assert "2 of 3 cases" in s and "speech: b." in s
