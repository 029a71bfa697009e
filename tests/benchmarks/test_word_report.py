"""The word table shared by the word benchmarks: scoring a tool's output, pooling, the
worst case, the goal line."""

import pytest

from benchmarks import word_report as wr

TRUTH = {"words": [
    {"text": "One", "begin": 1.0, "end": 1.4},
    {"text": "uh", "begin": 1.4, "end": 1.6, "filler": True},
    {"text": "two,", "begin": 1.6, "end": 2.0},
    {"text": "three", "begin": 2.5, "end": 3.0},
]}


def test_spoken_words_leave_fillers_out(tmp_path):
    assert wr.spoken_words(TRUTH) == ["One", "two,", "three"]
    path = wr.write_words_file(TRUTH, tmp_path / "words.txt")
    assert path.read_text() == "One\ntwo,\nthree\n"


def test_a_tool_output_with_words_is_scored_and_one_without_says_so():
    ours = {"sentences": [{"text": "One two, three.", "begin": 1.0, "words": [
        {"text": "One", "begin": 1.0, "end": 1.4},
        {"text": "two,", "begin": 1.65, "end": 2.0},
        {"text": "three.", "begin": 2.2, "end": 3.0, "aligned": False}]}]}
    res = wr.add_word_score({"ok": True}, TRUTH, ours)
    assert res["word_errors"] == [0.0, pytest.approx(0.05), 0.0]
    assert res["word_score"]["within_50ms"] == 1.0
    assert res["word_unaligned"] == 1
    bare = wr.add_word_score({"ok": True}, TRUTH, {"sentences": [{"text": "x", "begin": 0}]})
    assert bare["no_words"] and "word_score" not in bare
    assert wr.add_word_score({"ok": False}, TRUTH, None) == {"ok": False}


def _case(name, words, **tools):
    out = {"case": name, "words": words, "tools": {}}
    for tool, errs in tools.items():
        if errs is None:
            out["tools"][tool] = {"ok": True, "no_words": True}
        elif errs == "failed":
            out["tools"][tool] = {"ok": False}
        else:
            out["tools"][tool] = wr.add_word_score(
                {"ok": True}, {"words": [{"text": f"w{i}", "begin": 10.0 * i + 1,
                                          "end": 10.0 * i + 2} for i in range(words)]},
                {"fragments": [{"begin": 10.0 * i + 1 + e, "lines": [f"w{i}"]}
                               for i, e in enumerate(errs)]})
    return out


def test_the_table_while_ours_gives_no_words():
    rows = [_case("a", 2, ours=None, **{"aeneas-words": [0.0, 0.2]}),
            _case("b", 2, ours=None, **{"aeneas-words": [0.03, 0.07]})]
    table = wr.word_table(rows)
    assert "| a | 2 | no words / 0.500 | no words / 0.500 | no words / 0.200 |" in table
    assert "| **pooled** | 4 | no words / 0.750 | no words / 0.500 |" in table
    assert "| **worst** (ours: –; aeneas: a) |" in table
    assert "Ours gives no word times yet" in table
    assert "Not measurable yet" in wr.goal_line(rows)


def test_pooling_counts_a_failed_case_as_misses_and_the_worst_case_is_named():
    rows = [_case("a", 2, ours=[0.0, 0.0], **{"aeneas-words": [0.0, 0.2]}),
            _case("b", 2, ours="failed", **{"aeneas-words": [0.03, 0.07]})]
    assert wr.pooled(rows, "ours")["within_100ms"] == 0.5
    assert wr.pooled(rows, "ours")["p90_err"] is None  # falls on a miss
    assert wr.worst(rows, "ours")["case"] == "b"
    table = wr.word_table(rows)
    assert "| b | 2 | failed / 1.000 |" in table
    assert "| **pooled** | 4 | 0.500 / 0.750 | 0.500 / 0.500 | miss / 0.070 | miss / 0.200 |" \
        in table
    assert "no word times yet" not in table
    line = wr.goal_line(rows)
    assert "**Not met**" in line and "within_100ms 0.500" in line
    assert "not above aeneas on b (within 100 / 50 ms 0.000 / 0.000, median / p90 error " \
        "miss / miss against 1.000 / 0.500, 70 ms / 70 ms)" in line


def test_the_goal_is_met_only_above_aeneas_everywhere():
    good = [_case("a", 10, ours=[0.0] * 10, **{"aeneas-words": [0.0] * 9 + [0.5]})]
    assert wr.goal_line(good).endswith("**Met.**")
    tie = [_case("a", 10, ours=[0.0] * 10, **{"aeneas-words": [0.0] * 10})]
    assert "not above aeneas on a" in wr.goal_line(tie)
    # both perfect at 100 ms: decided at 50 ms
    finer = [_case("a", 10, ours=[0.0] * 10, **{"aeneas-words": [0.0] * 9 + [0.07]})]
    assert wr.goal_line(finer).endswith("**Met.**")
    coarser = [_case("a", 10, ours=[0.0] * 9 + [0.07], **{"aeneas-words": [0.0] * 10})]
    assert "not above aeneas on a" in wr.goal_line(coarser)
    # both place every word within 50 ms: decided by the median error, and said so
    closer = [_case("a", 4, ours=[0.01, 0.02, 0.02, 0.03], **{"aeneas-words": [0.02, 0.03,
                                                                               0.03, 0.04]})]
    line = wr.goal_line(closer)
    assert line.endswith("**Met.** Decided on the errors: a (1.000 / 1.000 for both; "
                         "median / p90 error 20 ms / 30 ms against 30 ms / 40 ms).")
    farther = [_case("a", 4, ours=[0.02, 0.03, 0.03, 0.04], **{"aeneas-words": [0.01, 0.02,
                                                                                0.02, 0.03]})]
    assert "not above aeneas on a" in wr.goal_line(farther)
    # the same median: decided by the p90 error
    tail = [_case("a", 4, ours=[0.01, 0.02, 0.03, 0.03], **{"aeneas-words": [0.01, 0.02,
                                                                             0.03, 0.04]})]
    assert wr.goal_line(tail).endswith("**Met.** Decided on the errors: a (1.000 / 1.000 for "
                                       "both; median / p90 error 30 ms / 30 ms against 30 ms "
                                       "/ 40 ms).")
