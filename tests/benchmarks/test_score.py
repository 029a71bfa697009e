"""The benchmark scorer on small hand-made truths and predictions."""

import json

import pytest

from benchmarks.score import load_pred, pred_from_dict, score, start_error

# three sentences: 1.0-2.0, pause, 2.5-3.5, pause, 4.0-5.0
TRUTH = {"sentences": [
    {"speaker": "a", "text": "One two.", "begin": 1.0, "end": 2.0},
    {"speaker": "a", "text": "Three four.", "begin": 2.5, "end": 3.5},
    {"speaker": "b", "text": "Five six.", "begin": 4.0, "end": 5.0},
]}


def test_perfect_starts_score_zero():
    s = score(TRUTH, [(1.0, "One two."), (2.5, "Three four."), (4.0, "Five six.")])
    assert s["matched"] == 3
    assert s["within_100ms"] == 1.0
    assert s["median_err"] == s["max_err"] == s["median_onset_err"] == 0.0


@pytest.mark.parametrize("begin", [2.0, 2.2, 2.5])
def test_a_start_in_the_pause_scores_zero(begin):
    assert start_error(TRUTH, 1, begin) == 0.0
    s = score(TRUTH, [(begin, "Three four.")])
    assert s["max_err"] == 0.0
    assert s["median_onset_err"] == pytest.approx(2.5 - begin, abs=1e-3)


def test_the_first_sentence_may_start_anywhere_in_the_leading_silence():
    assert start_error(TRUTH, 0, 0.0) == 0.0


@pytest.mark.parametrize(("begin", "err"), [(1.8, 0.2), (1.0, 1.0), (2.6, 0.1), (3.0, 0.5)])
def test_a_start_outside_the_pause_scores_its_distance_to_it(begin, err):
    assert start_error(TRUTH, 1, begin) == pytest.approx(err)
    s = score(TRUTH, [(begin, "Three four.")])
    assert s["max_err"] == pytest.approx(err, abs=1e-3)


def test_within_counts_against_all_true_sentences():
    # one good start, one 0.2 s into the previous sentence, one sentence missing
    s = score(TRUTH, [(0.5, "One two."), (1.8, "Three four.")])
    assert s["sentences"] == 3 and s["matched"] == 2
    assert s["within_100ms"] == pytest.approx(1 / 3, abs=1e-3)
    assert s["within_250ms"] == pytest.approx(2 / 3, abs=1e-3)


def test_unmatched_texts_are_ignored():
    s = score(TRUTH, [(0.2, "Ladies and gentlemen."), (1.0, "One two."),
                      (9.9, "Not in the truth at all.")])
    assert s["matched"] == 1
    assert s["max_err"] == 0.0


def test_matching_ignores_case_and_punctuation():
    assert score(TRUTH, [(4.0, "five, SIX")])["matched"] == 1


def test_repeated_texts_match_the_nearest_occurrence():
    truth = {"sentences": [
        {"text": "Thank you.", "begin": 1.0, "end": 1.5},
        {"text": "Thank you.", "begin": 10.0, "end": 10.5},
    ]}
    s = score(truth, [(1.0, "Thank you."), (10.05, "Thank you.")])
    assert s["matched"] == 2
    assert s["max_err"] == pytest.approx(0.05, abs=1e-3)


def test_last_hour_filter_scores_only_sentences_from_then_on():
    pred = [(1.9, "One two."), (2.5, "Three four."), (4.0, "Five six.")]
    full = score(TRUTH, pred)
    assert full["sentences"] == 3 and full["max_err"] == pytest.approx(0.9, abs=1e-3)
    last = score(TRUTH, pred, since=2.5)
    assert last["sentences"] == 2 and last["matched"] == 2
    assert last["within_100ms"] == 1.0 and last["max_err"] == 0.0
    assert last["since"] == 2.5
    none = score(TRUTH, pred, since=100.0)
    assert none["sentences"] == 0 and none["within_100ms"] is None


def test_prediction_formats(tmp_path):
    aeneas = {"fragments": [{"begin": "2.500", "end": "3.5", "lines": ["Three four."]}]}
    assert pred_from_dict(aeneas) == [(2.5, "Three four.")]
    ours = {"sentences": [{"text": "One two.", "begin": 1.0, "aligned": True},
                          {"text": "Five six.", "begin_ms": 4000}]}
    assert pred_from_dict(ours) == [(1.0, "One two."), (4.0, "Five six.")]
    p = tmp_path / "pred.json"
    p.write_text(json.dumps(ours))
    assert load_pred(p) == pred_from_dict(ours)


def test_onset_shift_is_signed():
    assert score(TRUTH, [(2.2, "Three four.")])["median_onset_shift"] == pytest.approx(-0.3)
    assert score(TRUTH, [(2.6, "Three four.")])["median_onset_shift"] == pytest.approx(0.1)
