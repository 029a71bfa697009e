"""Words the speaker never said: each case's transcript with words added that nobody says,
and whether ours gives them a time (it should not: issue 18's `"aligned": false`).

    python -m benchmarks.unsaid_words [--out DIR] [--cases CASE ...] [--timeout S]
                                      [--no-doc]

(`make bench` runs it after the benchmarks whose cases it takes: `benchmarks.real_speech`,
`benchmarks.real_speech_noise`, `benchmarks.word_truth` and `benchmarks.word_truth_noise`;
a case not built yet is skipped and named.) Into each transcript, ADD_EVERY words apart
at places drawn by a generator seeded by the case's name, an adjective from `ADDED` is
put between two words of a sentence (never first or last, so the sentence is still
said). Ours aligns the recording with that transcript; an added word is *caught* when
ours marks it `"aligned": false`, *timed* when it gives it a time, and a word of the
original transcript marked so is *said, marked unsaid*. Plain aeneas times every line it
is handed, so it catches none by design. Rows go to DIR/results.json, the report to the
``unsaid-words`` section of docs/benchmarks.md (unless --no-doc).
"""

from __future__ import annotations

import argparse
import json
import random
import shlex
import sys
import time
from pathlib import Path

from benchmarks import doc, real_speech, real_speech_noise, run, word_truth, word_truth_noise
from testsupport.score import norm

ROOT = Path(__file__).resolve().parent.parent
SECTION = "unsaid-words"
DEFAULT_OUT = ROOT / "bench-out" / "unsaid-words"
#: adjectives none of the cases' transcripts holds
ADDED = ("wooden", "distant", "purple", "gentle", "hollow", "frozen", "silver", "narrow",
         "ancient", "rapid", "golden", "northern", "quietly", "bitter", "modern", "careful")
ADD_EVERY = 20  # a word is added for each this many words of the transcript (two at least)
#: the cases, each the folder of a benchmark that builds it (truth.json, transcript.txt)
CASES: dict[str, Path] = {
    **{n: real_speech.DEFAULT_OUT / n for n in ("mfa-acoustic", "mfa-cold", "mfa-cold3",
                                                 "librivox-austen", "promo-lab")},
    **{n: word_truth.DEFAULT_OUT / n for n in ("words-lecture", "words-interview")},
    **{n: real_speech_noise.DEFAULT_OUT / n for n in ("mfa-acoustic-babble_10",
                                                      "librivox-austen-pink_6")},
    **{n: word_truth_noise.DEFAULT_OUT / n for n in ("words-lecture-cafe",
                                                     "words-interview-aac32")},
}


def with_added(text: str, seed: str) -> tuple[str, list[str]]:
    """`text` (a sentence or paragraph a line) with words of `ADDED` put between two words
    of a sentence, one for each ADD_EVERY words (two at least), at places drawn by a generator
    seeded by `seed`; and the words added, in order."""
    rng = random.Random(seed)
    lines = [line.split(" ") for line in text.splitlines()]
    # between two words of one sentence: not after a sentence's end, nor at a line's ends
    gaps = [(i, j) for i, words in enumerate(lines) for j in range(1, len(words))
            if words[j - 1] and words[j] and not words[j - 1].endswith((".", "?", "!", ":"))]
    count = min(len(gaps), max(2, sum(len(w) for w in lines) // ADD_EVERY))
    chosen = sorted(rng.sample(gaps, count))
    words = [ADDED[k % len(ADDED)] for k in range(count)]
    rng.shuffle(words)
    for (i, j), word in sorted(zip(chosen, words, strict=True), reverse=True):
        lines[i].insert(j, word)
    added = [w for (i, j), w in sorted(zip(chosen, words, strict=True))]
    return "\n".join(" ".join(words) for words in lines) + "\n", added


def judged(ours: dict, added: list[str]) -> dict:
    """Of an alignment (ours's JSON) of a transcript with `added` words: how many of them
    it left unaligned (caught) or timed, and which of the transcript's own words it left
    unaligned."""
    extra = set(added)
    caught = timed = 0
    said_unsaid = []
    for s in ours["sentences"]:
        for w in s.get("words") or ():
            word = norm(w["text"])
            if word in extra:
                if w.get("aligned", True):
                    timed += 1
                else:
                    caught += 1
            elif not w.get("aligned", True) and s.get("aligned", True) and word:
                said_unsaid.append(w["text"])
    return {"added": len(added), "caught": caught, "timed": timed,
            "said_unsaid": said_unsaid}


def bench_case(name: str, src: Path, out: Path, timeout: float | None) -> dict:
    """The case `name` (built in `src`) with words added, aligned by ours in `out`/name."""
    d = out / name
    d.mkdir(parents=True, exist_ok=True)
    text, added = with_added((src / "transcript.txt").read_text(encoding="utf-8"), name)
    (d / "transcript.txt").write_text(text, encoding="utf-8")
    (d / "added.json").write_text(json.dumps(added) + "\n", encoding="utf-8")
    audio = min(src.glob("audio.*"))
    res, pred = run.run_tool("ours", run.ours_command(audio, d / "transcript.txt",
                                                      d / "ours.json"),
                             d / "ours.json", d / "ours.log", timeout)
    row = {"case": name, "words": len(text.split()), "wall": res.get("wall")}
    row.update(judged(pred, added) if pred is not None else
               {"added": len(added), "failed": True})
    return row


def report(rows: list[dict], command: str, missing: list[str]) -> str:
    """The "Words the speaker never said" section of docs/benchmarks.md."""
    lines = ["| case | words | added | caught (unaligned) | timed | said, marked unsaid |",
             "|---|---|---|---|---|---|"]
    for r in rows:
        if r.get("failed"):
            lines.append(f"| {r['case']} | {r['words']} | {r['added']} | failed | | |")
            continue
        marked = ", ".join(r["said_unsaid"]) or "none"
        lines.append(f"| {r['case']} | {r['words']} | {r['added']} | {r['caught']} | "
                     f"{r['timed']} | {marked} |")
    done = [r for r in rows if not r.get("failed")]
    added = sum(r["added"] for r in done)
    caught = sum(r["caught"] for r in done)
    wrong = sum(len(r["said_unsaid"]) for r in done)
    words = sum(r["words"] - r["added"] for r in done)
    lines.append(f"| **pooled** | {sum(r['words'] for r in done)} | {added} | "
                 f"{caught} ({caught / max(added, 1):.2f}) | "
                 f"{sum(r['timed'] for r in done)} | {wrong} of {words} |")
    skipped = (f" Not built yet, so skipped: {', '.join(missing)}." if missing else "")
    return "\n".join([
        "## Words the speaker never said: our own check",
        "",
        f"Command: `{command}` ({time.strftime('%Y-%m-%d')}); `make bench` runs it after "
        "the benchmarks whose cases it takes." + skipped,
        "",
        "Issue 18 asks that a word the recording does not hold get no confident time. "
        f"Into each case's transcript one word of {len(ADDED)} adjectives it does not "
        f"hold is put for each {ADD_EVERY} words (two at least), between two words of a "
        "sentence, at places seeded by the case's name (`benchmarks/unsaid_words.py`); "
        "ours aligns the recording with it. *caught*: added words ours marks "
        "`\"aligned\": false`; *timed*: added words it gives a time; *said, marked "
        "unsaid*: words of the original transcript it marks so. Plain aeneas times "
        "every word it is handed: it catches none.",
        "",
        *lines,
    ])


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """The options (see the module docstring)."""
    ap = argparse.ArgumentParser(prog="python -m benchmarks.unsaid_words",
                                 description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT,
                    help="where the cases with words added go")
    ap.add_argument("--cases", nargs="+", choices=list(CASES), default=list(CASES))
    ap.add_argument("--timeout", type=float, default=600.0, help="seconds per aligner run")
    ap.add_argument("--no-doc", action="store_true",
                    help="print the section; leave docs/benchmarks.md alone")
    return ap.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Run the check; 0 when ours aligned every case that was built."""
    args = parse_args(argv)
    rows, missing = [], []
    for name in args.cases:
        src = CASES[name]
        if not (src / "truth.json").exists():
            missing.append(name)
            continue
        rows.append(bench_case(name, src, args.out, args.timeout or None))
        print(f"[{name}] {rows[-1]}", flush=True)
        (args.out / "results.json").write_text(json.dumps(rows, indent=1) + "\n",
                                               encoding="utf-8")
    shown = shlex.join(["python", "-m", "benchmarks.unsaid_words",
                        *(sys.argv[1:] if argv is None else argv)])
    body = report(rows, shown, missing)
    print(body)
    if not args.no_doc:
        doc.update_section(SECTION, body)
    return 0 if all(not r.get("failed") for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
