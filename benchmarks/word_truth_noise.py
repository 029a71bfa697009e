"""Word truth under the held-out noises: the synthetic readings whose every word is timed,
degraded as the held-out check degrades its recordings, ours beside plain aeneas word by
word.

    python -m benchmarks.word_truth_noise [--out DIR] [--conds COND ...] [--timeout S]
                                          [--no-doc]

(`make bench` runs it after `benchmarks.word_truth`.) The clean readings of
`benchmarks.word_truth` named in `READINGS` (built into bench-out/word-truth/ when they are
not there yet) are degraded by `benchmarks.holdout_noise.degrade` under each condition of
its `CONDITIONS` but "clean" (whose figures are the word-truth section's): other voices'
babble, a cafe, a TV, another room, lossy containers, traffic, door slams, a drifting
level, speech sped up under pink noise. The background voices are those of the held-out
case `READINGS` pairs each reading with, synthesised once into DIR/noise-cache/; each
condition's noise is seeded by the reading's and the condition's names, so a rerun
degrades alike. A fresh noise cache synthesises the neural Piper talker anew, and Piper
differs slightly from one synthesis to the next: another build's babble, cafe and TV
rows move (words-lecture under babble at 6 dB, aeneas 0.333 in one build and 0.273 in
another). A degraded case goes to DIR/READING-CONDITION/ with the reading's truth
(its times scaled where the condition changes the tempo) and transcript, and is aligned
and scored as `benchmarks.word_truth` aligns and scores (ours; aeneas handed the words);
the rows go to DIR/results.json, the report to the ``word-truth-noise`` section of
docs/benchmarks.md (unless --no-doc).
"""

from __future__ import annotations

import argparse
import json
import shlex
import shutil
import sys
import time
import zlib
from pathlib import Path

import numpy as np

from alignment.synthetic import Synthesizer
from benchmarks import corpus, doc, holdout, holdout_noise, word_report, word_truth
from benchmarks.real_speech_noise import condition_dir_name

ROOT = Path(__file__).resolve().parent.parent
SECTION = "word-truth-noise"
DEFAULT_OUT = ROOT / "bench-out" / "word-truth-noise"
#: the clean readings degraded, each with the held-out case whose background voices it gets
READINGS = {"words-lecture": "recipe-kitchen", "words-interview": "council-meeting"}
CONDITIONS = [c for c in holdout_noise.CONDITIONS if c != "clean"]


def reading(name: str, outdir: Path = word_truth.DEFAULT_OUT) -> Path:
    """The clean reading's folder, built by `benchmarks.word_truth` when it is missing."""
    d = outdir / name
    if not (d / "truth.json").exists():
        word_truth.make(name, outdir)
    return d


def degraded(src: Path, cond: str, dst: Path, backdrop: holdout_noise.Backdrop) -> Path:
    """The reading in `src` degraded by `cond` into `dst` (audio.*, truth.json,
    transcript.txt); `dst`."""
    truth = json.loads((src / "truth.json").read_text(encoding="utf-8"))
    audio = src / truth["audio"]
    dst.mkdir(parents=True, exist_ok=True)
    for old in dst.glob("audio*"):  # a stale file of another format would be aligned
        old.unlink()
    rng = np.random.default_rng(zlib.crc32(f"{src.name}/{cond}".encode()))
    path, factor = holdout_noise.degrade(cond, corpus.read_wav(audio), audio, dst / "audio",
                                         rng, backdrop)
    for scratch in dst.glob("audio.fast.*"):  # the sped-up condition's step before the noise
        scratch.unlink()
    t = {**holdout.scaled_truth(truth, factor), "audio": path.name,
         "degradation": cond, "reading": src.name}
    (dst / "truth.json").write_text(json.dumps(t, indent=1) + "\n", encoding="utf-8")
    shutil.copy(src / "transcript.txt", dst / "transcript.txt")
    return dst


def report(results: list[dict], command: str, conditions: list[str]) -> str:
    """The "Word truth under the held-out noises" section of docs/benchmarks.md."""
    behind = word_report.below(results)
    below = ("Ours is below plain aeneas word by word on no case." if not behind else
             f"Ours is below plain aeneas word by word on {len(behind)} of {len(results)} "
             "cases: " + ", ".join(behind) + ".")
    pairs = ", ".join(f"{r} with {h}'s" for r, h in READINGS.items())
    return "\n".join([
        "## Word truth under the held-out noises: our own check",
        "",
        f"Command: `{command}` ({time.strftime('%Y-%m-%d')}); `make bench` runs it after "
        "`benchmarks.word_truth`.",
        "",
        "Not a goal of any issue: the word-truth readings above (their words timed by the "
        "synthesisers themselves) degraded as the held-out check degrades its recordings "
        f"(`benchmarks/holdout_noise.py`: {', '.join(f'`{c}`' for c in conditions)}), the "
        f"background voices a held-out case's ({pairs}). Each condition is seeded by the "
        "reading's and the condition's names, so a rerun with the same noise cache "
        "(`noise-cache/` beside the cases) degrades alike; a fresh one synthesises the "
        "neural Piper talker anew, which differs slightly each time, so another build's "
        "babble, cafe and TV rows move (words-lecture under babble at 6 dB, aeneas 0.333 "
        "in one build, 0.273 in another). A case is named reading-condition.",
        "",
        word_report.word_columns_note(),
        "",
        word_report.word_table(results),
        "",
        below,
    ])


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """The options (see the module docstring)."""
    ap = argparse.ArgumentParser(prog="python -m benchmarks.word_truth_noise",
                                 description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT,
                    help="where the degraded cases go (default: bench-out/word-truth-noise)")
    ap.add_argument("--conds", nargs="+", choices=CONDITIONS, default=CONDITIONS,
                    metavar="COND", help="the conditions (default: all but clean)")
    ap.add_argument("--timeout", type=float, default=600.0,
                    help="seconds per aligner run (0: never)")
    ap.add_argument("--no-doc", action="store_true",
                    help="print the report; leave docs/benchmarks.md alone")
    return ap.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Degrade, align and score each reading under each condition; 0 when ours gave word
    times on each."""
    args = parse_args(argv)
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    results = []
    for name, heldout in READINGS.items():
        src = reading(name)
        case = holdout.CASES[heldout]
        backdrop = holdout_noise.Backdrop(case.talkers, case.newsreader,
                                          Synthesizer(str(out), out / "noise-cache"))
        for cond in args.conds:
            d = out / f"{name}-{condition_dir_name(cond)}"
            print(f"[{d.name}] degrading {name} by {cond} ...", flush=True)
            degraded(src, cond, d, backdrop)
            results.append(word_truth.align_and_score(
                d, d.name, f"{name}, {cond}", args.timeout or None))
            # after each case: a long run stopped halfway keeps what it measured
            (out / "results.json").write_text(json.dumps(results, indent=1) + "\n",
                                              encoding="utf-8")
    shown = shlex.join(["python", "-m", "benchmarks.word_truth_noise",
                        *(sys.argv[1:] if argv is None else argv)])
    body = report(results, shown, list(args.conds))
    print(body)
    if not args.no_doc:
        doc.update_section(SECTION, body)
    return 0 if all(r["tools"].get(word_report.OURS, {}).get("word_score")
                    for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
