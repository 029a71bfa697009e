"""The scorer of the tests and the benchmarks (`testsupport.score`) on small hand-made
truths and predictions: sentence starts, word starts."""

import json

import pytest

from testsupport.score import (
    load_pred,
    main,
    norm,
    pool_word_errors,
    pred_from_dict,
    score,
    score_words,
    start_error,
    summarise_word_errors,
    word_errors,
)

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
    assert start_error(TRUTH["sentences"], 1, begin) == 0.0
    s = score(TRUTH, [(begin, "Three four.")])
    assert s["max_err"] == 0.0
    assert s["median_onset_err"] == pytest.approx(2.5 - begin, abs=1e-3)


def test_the_first_sentence_may_start_anywhere_in_the_leading_silence():
    assert start_error(TRUTH["sentences"], 0, 0.0) == 0.0


@pytest.mark.parametrize(("begin", "err"), [(1.8, 0.2), (1.0, 1.0), (2.6, 0.1), (3.0, 0.5)])
def test_a_start_outside_the_pause_scores_its_distance_to_it(begin, err):
    assert start_error(TRUTH["sentences"], 1, begin) == pytest.approx(err)
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


# ---- word starts -------------------------------------------------------------

# words 0.5-0.9, 1.1-1.3, 1.3-1.6, a filler 1.8-2.0, 2.0-2.4
WORDS = {"words": [
    {"text": "Hello,", "begin": 0.5, "end": 0.9},
    {"text": "there", "begin": 1.1, "end": 1.3},
    {"text": "friend", "begin": 1.3, "end": 1.6},
    {"text": "um", "begin": 1.8, "end": 2.0, "filler": True},
    {"text": "don't", "begin": 2.0, "end": 2.4},
]}


@pytest.mark.parametrize(("text", "want"), [
    ("Hello,", "hello"), ("DON\u2019T", "don't"), ("Commissioners'", "commissioners"),
    ("'quoted'", "quoted"), ("well-known", "well known"), ("--", ""),
])
def test_words_are_matched_lower_case_without_punctuation(text, want):
    assert norm(text) == want


def test_word_errors_pair_words_in_order_by_their_text():
    # "there" early by 0.15 s into "hello"; "friend" not given; "don't" written otherwise
    errs = word_errors(WORDS, [(0.4, "hello"), (0.75, "There"), (2.02, "DON'T!")])
    assert errs == [0.0, pytest.approx(0.15), None, pytest.approx(0.02)]


def test_a_word_after_a_filler_is_late_or_early_against_the_filler_not_the_silence():
    # the filler is sound: "don't" said at the filler's start is 0.2 s early
    assert word_errors(WORDS, [(1.8, "don't")])[-1] == pytest.approx(0.2)


def test_extra_and_repeated_predicted_words_cost_nothing_but_themselves():
    pred = [(0.5, "hello"), (0.6, "hello"), (1.0, "oh"), (1.1, "there"), (1.3, "friend"),
            (2.0, "don't")]
    assert word_errors(WORDS, pred) == [0.0, 0.0, 0.0, 0.0]


def test_a_missed_word_counts_against_the_shares_and_as_the_largest_error():
    s = summarise_word_errors([0.0, 0.03, 0.08, None])
    assert (s["words"], s["matched"]) == (4, 3)
    assert s["within_50ms"] == 0.5 and s["within_100ms"] == 0.75
    assert s["median_err"] == 0.08  # index 2 of [0, 0.03, 0.08, miss]
    assert s["p90_err"] is None and s["max_err"] is None
    assert summarise_word_errors([0.2, 0.0])["max_err"] == 0.2


def test_score_words_and_pooling_over_cases():
    s = score_words(WORDS, [(0.5, "hello"), (1.1, "there"), (1.36, "friend"), (2.2, "don't")])
    assert s["words"] == 4 and s["matched"] == 4
    assert s["within_100ms"] == 0.75 and s["within_50ms"] == 0.5
    assert score_words({"sentences": []}, []) is None
    pooled = pool_word_errors([[0.0, 0.2], None, [0.04, None]])
    assert pooled["words"] == 4 and pooled["within_50ms"] == 0.5
    assert pool_word_errors([None, []]) is None


def test_the_command_line_scores_words(tmp_path, capsys):
    truth, pred = tmp_path / "truth.json", tmp_path / "pred.json"
    truth.write_text(json.dumps(WORDS))
    pred.write_text(json.dumps({"sentences": [{"text": "Hello there.", "begin": 0.5, "words": [
        {"text": "Hello", "begin": 0.5, "end": 0.9}, {"text": "there.", "begin": 1.1,
                                                       "end": 1.3}]}]}))
    assert main([str(truth), str(pred), "--words"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["words"] == 4 and out["matched"] == 2 and out["within_100ms"] == 0.5
