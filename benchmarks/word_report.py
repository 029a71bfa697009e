"""Word starts, ours beside plain aeneas word by word: the scoring of one tool's output and
the table, shared by the real-speech and the synthetic word benchmarks.

A case's result is a dict with ``case``, ``words`` (how many true words are scored) and
``tools``: tool name -> its run (``ok``, ``error``) plus, when it gave word times,
``word_score`` (`testsupport.score.score_words`) and ``word_errors`` (each true word's
error, for pooling).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import Path

from testsupport.score import pool_word_errors, summarise_word_errors, word_errors, words_from_dict

OURS = "ours"
AENEAS_WORDS = "aeneas-words"


def spoken_words(truth: Mapping) -> list[str]:
    """The truth's words that are scored (fillers left out), in order: what plain aeneas
    is handed, one per line."""
    return [w["text"] for w in truth.get("words") or [] if not w.get("filler")]


def write_words_file(truth: Mapping, path: Path) -> Path:
    """Write `spoken_words` one per line (aeneas's input for word-by-word timing)."""
    path.write_text("\n".join(spoken_words(truth)) + "\n", encoding="utf-8")
    return path


def add_word_score(res: dict, truth: Mapping, pred: Mapping | None) -> dict:
    """Score the word times of a tool's output into its run `res` (``word_score``,
    ``word_errors``, ``word_unaligned``); a run whose output has no word times gets
    ``no_words``. Returns `res`."""
    if pred is None:
        return res
    pw = words_from_dict(pred)
    if pw is None:
        res["no_words"] = True
        return res
    errs = word_errors(truth, pw)
    if errs is not None:
        res["word_errors"] = errs
        res["word_score"] = summarise_word_errors(errs)
    # words ours marks as not heard (they carry their neighbours' times, scored as given)
    res["word_unaligned"] = sum(1 for s in pred.get("sentences") or []
                                for w in s.get("words") or [] if w.get("aligned") is False)
    return res


def pooled(results: list[dict], tool: str) -> dict | None:
    """The tool's word score over every case together; a case the tool failed or gave no
    words for counts all its words as misses. None when it gave words nowhere."""
    if not any(r["tools"].get(tool, {}).get("word_errors") for r in results):
        return None
    return pool_word_errors(r["tools"].get(tool, {}).get("word_errors") or [None] * r["words"]
                            for r in results)


def worst(results: list[dict], tool: str) -> dict | None:
    """The case the tool did worst on (lowest share within 100 ms; a case without its
    words counts as 0): ``{"case", "score"}``, or None when it gave words nowhere."""
    if not any(r["tools"].get(tool, {}).get("word_score") for r in results):
        return None
    r = min(results, key=lambda r: (r["tools"].get(tool, {}).get("word_score") or {}).get(
        "within_100ms") or 0.0)
    return {"case": r["case"], "score": r["tools"].get(tool, {}).get("word_score")}


def _share(x: float | None) -> str:
    return "–" if x is None else f"{x:.3f}"


def _err(x: float | None, score: Mapping | None) -> str:
    if score is None:
        return "–"
    return "miss" if x is None else f"{x:.3f}"  # None in a score: the quantile is a miss


def _cell(run: Mapping | None) -> str | None:
    """What a tool's cells say when it has no score: why (None when it has one)."""
    if not run:
        return "not run"
    if run.get("word_score"):
        return None
    if run.get("no_words"):
        return "no words"
    return "failed" if not run.get("ok", True) else "–"


def _pair(a: Mapping | None, b: Mapping | None, key: str) -> str:
    def one(run: Mapping | None) -> str:
        why = _cell(run)
        if why:
            return why
        s = run["word_score"]  # type: ignore[index]
        return _share(s[key]) if key.startswith("within") else _err(s[key], s)

    return f"{one(a)} / {one(b)}"


def word_table(results: list[dict], a: str = OURS, b: str = AENEAS_WORDS) -> str:
    """The markdown table of word starts, `a` (ours) / `b` (aeneas word by word): a row
    per case, the pooled row, the worst case of each, and a line when ours gives no word
    times yet."""
    keys = ("within_100ms", "within_50ms", "median_err", "p90_err")
    rows = ["| case | words | within_100ms ours / aeneas | within_50ms ours / aeneas | "
            "median err (s) ours / aeneas | p90 err (s) ours / aeneas |",
            "|---|---|---|---|---|---|"]
    for r in results:
        ta, tb = r["tools"].get(a), r["tools"].get(b)
        rows.append(f"| {r['case']} | {r['words']} | "
                    + " | ".join(_pair(ta, tb, k) for k in keys) + " |")
    pa, pb = pooled(results, a), pooled(results, b)
    runs = [{"word_score": p} if p else {"no_words": True} for p in (pa, pb)]
    rows.append(f"| **pooled** | {sum(r['words'] for r in results)} | "
                + " | ".join(_pair(runs[0], runs[1], k) for k in keys) + " |")
    wa, wb = worst(results, a), worst(results, b)
    if wa or wb:
        names = f"ours: {wa['case'] if wa else '–'}; aeneas: {wb['case'] if wb else '–'}"
        wruns = [{"word_score": w["score"]} if w else {"no_words": True} for w in (wa, wb)]
        rows.append(f"| **worst** ({names}) | | "
                    + " | ".join(_pair(wruns[0], wruns[1], k) for k in keys) + " |")
    if pa is None:
        rows += ["", "Ours gives no word times yet (its JSON has no `words`): its cells say "
                 "\"no words\"."]
    return "\n".join(rows)


def word_columns_note() -> str:
    """The paragraph that says how the word table is scored."""
    return ("*aeneas* is plain aeneas with its defaults handed the spoken words one per line "
            "(fillers left out), the baseline for word timing; *ours* is the `words` of each "
            "sentence in ours's JSON. Scored by `testsupport/score.py` (`score_words`): "
            "predicted words are paired with the reference's in order by their text (lower "
            "case, punctuation stripped); a start in the silence before its word has error "
            "0, otherwise its distance to that silence. Shares are of all the reference's "
            "words other than fillers, a word without a partner counting as a miss; in the "
            "median and p90 a miss counts as larger than any error (\"miss\" when the "
            "quantile falls on one). *pooled* takes every word of every case together; "
            "*worst* is each tool's case with the lowest share within 100 ms.")


#: issue 18's goal on real speech: pooled shares of word starts within 100 and 50 ms
GOAL = {"within_100ms": 0.90, "within_50ms": 0.70}


Rank = tuple[float, float, float, float]  # see `rank`


def rank(score: dict) -> Rank:
    """A word score as cases are compared: its share within 100 ms first, then its share
    within 50 ms for a tie, then its median error and then its p90 error (smaller is
    better, so negated; a miss or no figure counts as worse than any error) where both
    shares tie, as they do where both tools place every word within 50 ms. Missing
    shares count as 0."""
    def error(key: str) -> float:
        value = score.get(key)
        return -math.inf if value is None else -value

    return (score.get("within_100ms") or 0.0, score.get("within_50ms") or 0.0,
            error("median_err"), error("p90_err"))


def side_by_side(results: list[dict], a: str = OURS, b: str = AENEAS_WORDS,
                 ) -> list[tuple[str, Rank, Rank]]:
    """Per case that `b` gave word times for: its name, and `a`'s and `b`'s `rank` (a
    case `a` gave none for counts as nothing within either bound)."""
    out = []
    for r in results:
        sb = r["tools"].get(b, {}).get("word_score")
        if sb is not None:
            out.append((r["case"], rank(r["tools"].get(a, {}).get("word_score") or {}),
                        rank(sb)))
    return out


def below(results: list[dict], a: str = OURS, b: str = AENEAS_WORDS) -> list[str]:
    """The cases where `a` ranks below `b` (`rank`: fewer word starts within 100 ms, or
    as many and fewer within 50 ms, or as many of both and a larger median error, or
    p90 error where the medians tie), as "case (a against b)" (the shares)."""
    return [f"{case} ({ka[0]:.3f} / {ka[1]:.3f} against {kb[0]:.3f} / {kb[1]:.3f})"
            for case, ka, kb in side_by_side(results, a, b) if ka < kb]


def goal_line(results: list[dict], a: str = OURS, b: str = AENEAS_WORDS) -> str:
    """Whether ours meets the goal (pooled within 100 ms and 50 ms at least `GOAL`, and
    each case above plain aeneas word by word by `rank`: more starts within 100 ms, or as
    many and more within 50 ms, or, where both place as many within 50 ms (every word, on
    a short recording), a smaller median error, or as small and a smaller p90), from the
    figures of this run."""
    head = (f"Goal (issue 18): pooled at least {GOAL['within_100ms']:.2f} of word starts "
            f"within 100 ms and {GOAL['within_50ms']:.2f} within 50 ms, and every case "
            "above plain aeneas word by word (more within 100 ms, or as many and more "
            "within 50 ms, or as many of both and a smaller median error, or p90 error "
            "where the medians tie).")
    pa = pooled(results, a)
    if pa is None:
        return head + " Not measurable yet: ours gives no word times."
    short = [k for k, v in GOAL.items() if (pa.get(k) or 0.0) < v]
    behind = [f"{case} (within 100 / 50 ms {ka[0]:.3f} / {ka[1]:.3f}, median / p90 error "
              f"{_ms(ka[2])} / {_ms(ka[3])} against {kb[0]:.3f} / {kb[1]:.3f}, "
              f"{_ms(kb[2])} / {_ms(kb[3])})"
              for case, ka, kb in side_by_side(results, a, b) if ka <= kb]
    ties = [f"{case} ({ka[0]:.3f} / {ka[1]:.3f} for both; median / p90 error "
            f"{_ms(ka[2])} / {_ms(ka[3])} against {_ms(kb[2])} / {_ms(kb[3])})"
            for case, ka, kb in side_by_side(results, a, b) if ka[:2] == kb[:2] and ka > kb]
    decided = (" Decided on the errors: " + ", ".join(ties) + ".") if ties else ""
    if not short and not behind:
        return head + " **Met.**" + decided
    parts = []
    if short:
        parts.append("pooled " + ", ".join(f"{k} {pa[k]:.3f}" for k in short))
    if behind:
        parts.append("not above aeneas on " + ", ".join(behind))
    return head + " **Not met**: " + "; ".join(parts) + "." + decided


def _ms(negated: float) -> str:
    """A `rank`'s negated error in ms ("miss" for none)."""
    return "miss" if negated == -math.inf else f"{-negated * 1000:.0f} ms"
