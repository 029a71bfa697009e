"""Score predicted sentence starts (or word starts) against a case's truth: the one scorer
of the benchmarks and the tests (`start_error`, the rule for one start, among them).

    python -m testsupport.score TRUTH.json PRED.json [--since SECONDS] [--words]

PRED is ``{"sentences": [{"text": ..., "begin": seconds}, ...]}`` (or ``begin_ms``, or
``start``), in transcript order, or an aeneas JSON sync map (``{"fragments": [...]}``).
Predicted sentences are matched to true ones by their words, so a tool that splits
differently is scored on the sentences it has in common with the truth; predicted
sentences that match no true one are ignored.

The error of a start is 0 when it falls in the pause before its sentence (the highlight
may move anywhere in the silence), else its distance to that pause. Shares
(`within_100ms`, `within_250ms`) are of all true sentences, so a sentence the tool did
not give counts as a miss. `median_onset_err` is the distance to the first sound
(`median_onset_shift` the same, signed: negative when early).
`since` scores only the true sentences that begin at or after it (say, the last hour).

Words (`--words`, `score_words`): the truth's ``words`` (text, begin, end; ``filler``
ones are sound but not scored) against the prediction's (ours: ``words`` in each
sentence; aeneas handed one word per line: its fragments), paired in order by their text.
The same rule: a start in the silence before its word has error 0. `within_50ms` and
`within_100ms` are shares of all scored true words, an unpaired one counting as a miss;
`median_err` and `p90_err` take a miss as larger than any error. `pool_word_errors` gives
the same figures over several cases together.
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Iterable, Mapping, Sequence

Pred = list[tuple[float, str]]  # (begin in seconds, text), in transcript order


_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'"})


def norm(text: str) -> str:
    """A sentence's (or a word's) words for matching predicted to true ones: lower case,
    punctuation stripped (an apostrophe is kept inside a word, "don't", and dropped at its
    edges, "Commissioners'"; curly ones count as straight)."""
    runs = re.findall(r"[a-z0-9']+", text.lower().translate(_QUOTES))
    return " ".join(w for w in (r.strip("'") for r in runs) if w)


def pred_from_dict(d: Mapping) -> Pred:
    """(begin, text) pairs from a prediction: ours/`sentences` or an aeneas sync map."""
    if "fragments" in d:
        return [(float(f["begin"]), " ".join(f["lines"])) for f in d["fragments"]]
    out: Pred = []
    for s in d["sentences"]:
        b = s.get("begin", s.get("start"))
        if b is None and "begin_ms" in s:
            b = s["begin_ms"] / 1000.0
        out.append((float(b), s["text"]))
    return out


def load_pred(path: str | os.PathLike[str]) -> Pred:
    """Read a prediction file (see `pred_from_dict`)."""
    with open(path, encoding="utf-8") as f:
        return pred_from_dict(json.load(f))


def load_truth(path: str | os.PathLike[str]) -> dict:
    """Read a case's truth.json."""
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def match(truth: Mapping, pred: Iterable[tuple[float, str]]) -> list[tuple[int, float]]:
    """Pair each predicted start with a true sentence: (truth index, predicted begin).

    A prediction takes the nearest (in time) true sentence with the same words not yet
    taken, since texts repeat (the long cases read the same text many times).
    """
    sents = truth["sentences"]
    by_text: dict[str, list[int]] = {}
    for i, s in enumerate(sents):
        by_text.setdefault(norm(s["text"]), []).append(i)
    used: set[int] = set()
    pairs: list[tuple[int, float]] = []
    for b, text in pred:
        cands = [i for i in by_text.get(norm(text), []) if i not in used]
        if not cands:
            continue
        i = min(cands, key=lambda j: abs(sents[j]["begin"] - b))
        used.add(i)
        pairs.append((i, b))
    return pairs


def start_error(spans: Sequence[Mapping], i: int, begin: float) -> float:
    """Error of a predicted start `begin` for true span i of `spans` (a truth's sentences,
    or its words with the fillers, whose sound is not silence; each with begin and end,
    in order; seconds): 0 inside the silence before it (from the end of the span before to
    its first sound), else the distance to that silence. The one rule of the tests and the
    benchmarks."""
    return silence_error(spans[i - 1]["end"] if i else 0.0, spans[i]["begin"], begin)


def silence_error(lo: float, hi: float, begin: float) -> float:
    """Error of a start `begin` against the silence from `lo` to `hi` before its span
    (seconds): 0 inside it (with a millisecond to spare), else the distance to it."""
    if lo - 0.001 <= begin <= hi + 0.001:
        return 0.0
    return min(abs(begin - lo), abs(begin - hi))


def _quantile(a: list[float], p: float) -> float | None:
    return round(a[min(len(a) - 1, int(p * len(a)))], 3) if a else None


def score(truth: Mapping, pred: Iterable[tuple[float, str]], since: float | None = None) -> dict:
    """Score predicted (begin, text) pairs against `truth` (a truth.json dict).

    With `since` (seconds), only true sentences beginning at or after it count (matching
    is still done over the whole recording, so it is the same as in the full score).
    Returns sentences, matched, median_err, p90_err, max_err (seconds), within_100ms,
    within_250ms (shares of the counted true sentences), median_onset_err and
    median_onset_shift (signed: negative when starts come before the first sound; a
    shift that grows along a recording is drift).
    """
    sents = truth["sentences"]

    def counted(i: int) -> bool:
        return since is None or sents[i]["begin"] >= since

    n_true = sum(1 for i in range(len(sents)) if counted(i))
    errs: list[float] = []
    shifts: list[float] = []
    for i, b in match(truth, pred):
        if not counted(i):
            continue
        errs.append(start_error(sents, i, b))
        shifts.append(b - sents[i]["begin"])
    errs.sort()
    onset_errs = sorted(abs(x) for x in shifts)
    shifts.sort()
    out = {
        "sentences": n_true,
        "matched": len(errs),
        "median_err": _quantile(errs, 0.5),
        "p90_err": _quantile(errs, 0.9),
        "max_err": _quantile(errs, 1.0),
        "within_100ms": round(sum(e <= 0.1 for e in errs) / n_true, 3) if n_true else None,
        "within_250ms": round(sum(e <= 0.25 for e in errs) / n_true, 3) if n_true else None,
        "median_onset_err": _quantile(onset_errs, 0.5),
        "median_onset_shift": _quantile(shifts, 0.5),
    }
    if since is not None:
        out["since"] = since
    return out


Words = list[tuple[float, str]]  # (begin in seconds, word), in order


def words_from_dict(d: Mapping) -> Words | None:
    """(begin, word) pairs from a prediction that times words, or None when it has none.

    Ours: a top-level ``words`` list, or ``words`` inside each sentence (``text``/``word``,
    ``begin``/``start``/``begin_ms``); aeneas handed one word per line: its fragments.
    """
    if "fragments" in d:
        return [(float(f["begin"]), " ".join(f["lines"])) for f in d["fragments"]]
    ws = d.get("words")
    if ws is None and d.get("sentences") and any("words" in s for s in d["sentences"]):
        ws = [w for s in d["sentences"] for w in s.get("words") or []]
    if not ws:
        return None
    out: Words = []
    for w in ws:
        b = w.get("begin", w.get("start"))
        if b is None and "begin_ms" in w:
            b = w["begin_ms"] / 1000.0
        if b is not None:
            out.append((float(b), str(w.get("text", w.get("word", "")))))
    return out


def word_errors(truth: Mapping, pred: Iterable[tuple[float, str]]) -> list[float | None] | None:
    """The start error of each scored true word (those of the truth's ``words`` not marked
    ``filler``), in order; None for a true word no predicted word was paired with. None
    when the truth has no scored words.

    Predicted words are paired with true ones in order, by their text (`norm`: lower
    case, punctuation stripped), along the longest matching runs (difflib), so a word the
    tool left out or added costs only itself.
    """
    import difflib

    tw = list(truth.get("words") or [])
    scored = [i for i, w in enumerate(tw) if not w.get("filler")]
    if not scored:
        return None
    pred = list(pred)
    a = [norm(tw[i]["text"]) for i in scored]
    b = [norm(t) for _, t in pred]
    errs: list[float | None] = [None] * len(scored)
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for blk in sm.get_matching_blocks():
        for k in range(blk.size):
            errs[blk.a + k] = start_error(tw, scored[blk.a + k], pred[blk.b + k][0])
    return errs


def summarise_word_errors(errs: list[float | None]) -> dict:
    """Shares and quantiles of word-start errors (None: a true word with no predicted
    word, a miss). Shares are of all the words given, so a miss counts against them; in
    the quantiles a miss is an error larger than any (a quantile that falls on one is
    None). Returns words, matched, within_50ms, within_100ms, median_err, p90_err,
    max_err (seconds)."""
    got = sorted(e for e in errs if e is not None)
    n = len(errs)
    ranked: list[float | None] = [*got, *([None] * (n - len(got)))]

    def q(p: float) -> float | None:
        if not ranked:
            return None
        x = ranked[min(n - 1, int(p * n))]
        return None if x is None else round(x, 3)

    return {
        "words": n,
        "matched": len(got),
        "within_50ms": round(sum(e <= 0.05 for e in got) / n, 3) if n else None,
        "within_100ms": round(sum(e <= 0.1 for e in got) / n, 3) if n else None,
        "median_err": q(0.5),
        "p90_err": q(0.9),
        "max_err": q(1.0),
    }


def score_words(truth: Mapping, pred: Iterable[tuple[float, str]]) -> dict | None:
    """Score predicted word starts against the truth's ``words`` (text, begin, end; those
    marked ``filler`` are sound but not scored): `summarise_word_errors` of `word_errors`.
    None when the truth has no words."""
    errs = word_errors(truth, pred)
    return None if errs is None else summarise_word_errors(errs)


def pool_word_errors(per_case: Iterable[list[float | None] | None]) -> dict | None:
    """The summary over every case's word errors together (a case's words all count, so
    a long case weighs more); None when no case has any."""
    allerrs = [e for errs in per_case if errs for e in errs]
    return summarise_word_errors(allerrs) if allerrs else None


def score_files(truth_path: str | os.PathLike[str], pred_path: str | os.PathLike[str],
                since: float | None = None) -> dict:
    """`score` on a truth.json and a prediction file."""
    return score(load_truth(truth_path), load_pred(pred_path), since=since)


def main(argv: list[str] | None = None) -> int:
    """Command line: print the score as one JSON line."""
    import argparse

    ap = argparse.ArgumentParser(prog="python -m testsupport.score", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("truth")
    ap.add_argument("pred")
    ap.add_argument("--since", type=float, default=None,
                    help="score only true sentences beginning at or after SECONDS")
    ap.add_argument("--words", action="store_true",
                    help="score word starts (the truth's `words`) instead of sentence starts")
    a = ap.parse_args(argv)
    if a.words:
        with open(a.pred, encoding="utf-8") as f:
            pw = words_from_dict(json.load(f))
        truth = load_truth(a.truth)
        out = score_words(truth, pw or [])
        if out is None:
            ap.error(f"{a.truth} has no words")
        print(json.dumps(out))
        return 0
    print(json.dumps(score_files(a.truth, a.pred, since=a.since)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
