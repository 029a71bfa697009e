"""Held-out check: new recordings under degradations the aligner was never tuned on, ours
beside plain aeneas.

    python -m benchmarks.holdout [--cases CASE ...] [--conds COND ...] [--out bench-out]
                                 [--timeout SECONDS] [--doc docs/holdout.md] [--no-doc]

Three clean cases, read from texts written for this check (`benchmarks/texts/holdout.toml`) by
voices and at paces no other case combines (flite, festival, the neural Piper voice), with
long irregular pauses in the meeting, are built with `benchmarks.voice_cases.make` into
OUT/holdout/CASE/ when they are not there yet (or when the transcript reader now splits
them differently). Each is degraded in the ways of `benchmarks.holdout_noise`, none of them
in the team's sweep: babble of other voices at 6 and 3 dB, a cafe, a TV at 10 dB, another
room, AAC, Opus and mu-law containers, brown traffic noise at 3 dB, door slams, a level
drifting from -20 to 0 dB, and speech 1.35 times as fast under pink noise at 6 dB. Each
condition's noise is seeded by the case and condition names, and the background voices'
syntheses are kept in OUT/holdout/noise-cache/, so a rerun degrades alike.

Every degraded file is aligned by ours (`transcript-player align`, the transcript as
uploaded) and by plain aeneas (defaults, the true sentences one per line), as
`benchmarks.run` runs them, and scored by `testsupport.score`. The rows go to
OUT/holdout/rows.json and the table to docs/holdout.md (unless --no-doc).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shlex
import sys
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from benchmarks import corpus, holdout_noise, robustness, run
from benchmarks.corpus import Synthesizer, Voice
from benchmarks.holdout_noise import CONDITIONS, Backdrop
from benchmarks.texts import holdout as texts
from benchmarks.voice_cases import VoiceCase
from testsupport.score import pred_from_dict, score

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "holdout.md"
SUBDIR = "holdout"
SENTENCES = "sentences.txt"
TOOLS = robustness.TOOLS


@dataclass(frozen=True)
class HoldoutCase:
    """A held-out case: how it is read (`spec`) and who talks in its background (the
    babble's `talkers` and the TV's `newsreader`, none of whom reads in the case)."""

    spec: VoiceCase
    talkers: tuple[Voice, ...]
    newsreader: Voice


CASES: dict[str, HoldoutCase] = {
    "recipe-kitchen": HoldoutCase(
        VoiceCase(
            "cooking show, host flite slt slowed 1.2x, cook festival kal a bit fast (0.85); "
            "many one/two-word host turns", texts.RECIPE,
            {"HOST": ("flite", "slt@1.2"), "MARCO": ("festival", "voice_kal_diphone@0.85")},
            gap_in=(0.2, 0.5), gap_turn=(0.3, 0.9)),
        talkers=(("piper", "joe"), ("festival", "voice_ked_diphone"), ("flite", "awb"),
                 ("flite", "rms"), ("festival", "voice_cmu_us_slt_arctic_hts")),
        newsreader=("flite", "rms@0.95")),
    "match-commentary": HoldoutCase(
        VoiceCase(
            "football commentary: fast clipped sentences, quick turn-taking; flite rms fast "
            "(0.8), festival slt HTS (0.9), flite awb slow (1.1)", texts.MATCH,
            {"ANDY": ("flite", "rms@0.8"),
             "BETH": ("festival", "voice_cmu_us_slt_arctic_hts@0.9"),
             "PRIYA": ("flite", "awb@1.1")},
            gap_in=(0.12, 0.35), gap_turn=(0.15, 0.6)),
        talkers=(("piper", "joe@1.1"), ("festival", "voice_ked_diphone"),
                 ("festival", "voice_kal_diphone"), ("flite", "slt"), ("flite", "kal16")),
        newsreader=("piper", "joe")),
    "council-meeting": HoldoutCase(
        VoiceCase(
            "parish council meeting: numbers, names, one-word votes, long irregular pauses; "
            "neural joe slow (1.25), festival ked (1.1), flite kal16 (1.15)", texts.COUNCIL,
            {"CHAIR": ("piper", "joe@1.25"), "GRANT": ("festival", "voice_ked_diphone@1.1"),
             "OWUSU": ("flite", "kal16@1.15")},
            gap_in=(0.3, 1.2), gap_turn=(0.4, 2.5)),
        talkers=(("flite", "awb"), ("flite", "rms"), ("flite", "slt"),
                 ("festival", "voice_cmu_us_slt_arctic_hts"),
                 ("festival", "voice_kal_diphone@0.9")),
        newsreader=("festival", "voice_cmu_us_slt_arctic_hts")),
}


# ---- building and degrading ----------------------------------------------------------


def ensure_case(name: str, outdir: Path) -> Path:
    """Build held-out case `name` into OUTDIR/NAME unless it is there (and still split as
    the project's transcript reader splits it now); its folder. The synthesis cache is
    kept beside it, so a rebuild reads Piper's sentences as before."""
    return robustness.ensure_case(name, outdir, spec=CASES[name].spec, keep_cache=True)


def file_stem(cond: str) -> str:
    """A condition's name as a file name ("fast1.35+pink:6" -> "fast1.35_pink6")."""
    return cond.replace(":", "").replace("+", "_")


def condition_rng(case: str, cond: str) -> np.random.Generator:
    """The generator a condition's noise is drawn from, seeded by the two names."""
    return np.random.default_rng(zlib.crc32((case + cond).encode()))


def scaled_truth(truth: dict, factor: float) -> dict:
    """`truth` with every time multiplied by `factor` (a tempo change plays the same words
    faster or slower): its sentences', its words' and its duration, where it has them."""
    def moved(items: list[dict]) -> list[dict]:
        return [{**x, **{k: x[k] * factor for k in ("begin", "end", "word_begin") if k in x}}
                for x in items]

    out = {**truth, "sentences": moved(truth["sentences"])}
    if "words" in truth:
        out["words"] = moved(truth["words"])
    if "duration" in truth:
        out["duration"] = round(truth["duration"] * factor, 3)
    return out


# ---- aligning and scoring ------------------------------------------------------------


def tool_result(tool: str, res: dict, pred: dict | None, truth: dict) -> dict | str:
    """A tool's entry in a row (as `robustness` reads rows): w100, p90, max, wall, and
    for ours the sentences it marked unaligned; the error when it failed."""
    if pred is None:
        return f"failed: {res.get('error')}"
    s = score(truth, pred_from_dict(pred))
    out = {"w100": s["within_100ms"], "p90": s["p90_err"], "max": s["max_err"],
           "wall": res["wall"]}
    if tool == "ours":
        out["unaligned"] = sum(1 for x in pred.get("sentences", [])
                               if x.get("aligned") is False)
    return out


def run_condition(name: str, d: Path, cond: str, backdrop: Backdrop,
                  timeout: float | None) -> dict:
    """Degrade case `name` (its folder `d`) by `cond`, align with both tools and score;
    the row."""
    truth = json.loads((d / "truth.json").read_text(encoding="utf-8"))
    audio = corpus.case_audio(d)
    transcript = corpus.case_transcript(d)
    assert audio is not None and transcript is not None
    work = d / "conditions"
    work.mkdir(exist_ok=True)
    stem = file_stem(cond)
    path, factor = holdout_noise.degrade(cond, corpus.read_wav(audio), audio, work / stem,
                                         condition_rng(name, cond), backdrop)
    t = scaled_truth(truth, factor)
    (work / f"{stem}.truth.json").write_text(json.dumps(t, indent=1), encoding="utf-8")
    commands = {"ours": run.ours_command(path, transcript, work / f"{stem}.ours.json"),
                "aeneas": run.aeneas_command(path, d / SENTENCES, work / f"{stem}.aeneas.json")}
    row: dict = {"condition": cond, "audio": str(path.relative_to(d))}
    for tool in TOOLS:
        out = work / f"{stem}.{tool}.json"
        res, pred = run.run_tool(tool, commands[tool], out, work / f"{stem}.{tool}.log",
                                 timeout)
        row[tool] = tool_result(tool, res, pred, t)
    return row


def run_case(name: str, outdir: Path, conds: list[str], timeout: float | None) -> dict:
    """Build (if needed) and run case `name` under each condition; its result."""
    d = ensure_case(name, outdir)
    truth = json.loads((d / "truth.json").read_text(encoding="utf-8"))
    hc = CASES[name]
    # aeneas is handed the true sentences, one a line (its best case)
    (d / SENTENCES).write_text("\n".join(s["text"] for s in truth["sentences"]) + "\n",
                               encoding="utf-8")
    backdrop = Backdrop(hc.talkers, hc.newsreader, Synthesizer(str(d), outdir / "noise-cache"))
    result = {"case": name, "description": hc.spec.what, "duration": truth["duration"],
              "sentences": len(truth["sentences"]), "rows": []}
    for cond in conds:
        row = run_condition(name, d, cond, backdrop, timeout)
        result["rows"].append(row)
        print(f"[{name}] {cond}: {progress(row)}", flush=True)
    return result


def progress(row: dict) -> str:
    """A row in a progress line."""
    o = row["ours"]
    unaligned = f", {o['unaligned']} unaligned" if isinstance(o, dict) else ""
    return (f"ours {robustness.share(robustness.w100(row, 'ours'))}{unaligned}, "
            f"aeneas {robustness.share(robustness.w100(row, 'aeneas'))}")


# ---- the report ----------------------------------------------------------------------


def behind(results: list[dict]) -> list[tuple[str, dict]]:
    """(case, row) of every row where ours is below aeneas within 100 ms (a failure of
    ours counts as below)."""
    out = []
    for r in results:
        for row in r["rows"]:
            o, a = robustness.w100(row, "ours"), robustness.w100(row, "aeneas")
            if a is not None and (o is None or o < a):
                out.append((r["case"], row))
    return out


def table(results: list[dict]) -> str:
    """The markdown table: a row per case and condition."""
    head = ["case", "condition", "ours w100", "aeneas w100", "ours unaligned", "ours p90",
            "aeneas p90"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in results:
        for row in r["rows"]:
            o, a = robustness.w100(row, "ours"), robustness.w100(row, "aeneas")
            ours = robustness.share(o)
            cells = [r["case"], f"`{row['condition']}`",
                     f"**{ours}**" if a is not None and (o is None or o < a) else ours,
                     robustness.share(a), robustness.cell(row, "ours", "unaligned", "{}"),
                     robustness.cell(row, "ours", "p90", "{:.3f} s"),
                     robustness.cell(row, "aeneas", "p90", "{:.3f} s")]
            lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def summary(results: list[dict]) -> list[str]:
    """The lines above the table: ours's worst row, and the rows where ours is behind."""
    w = robustness.worst(results)
    if w is None:
        return ["**No condition ran.**"]
    r, row = w
    o = row["ours"]
    detail = (f" (p90 {o['p90']:.3f} s, {o['unaligned']} marked unaligned)"
              if isinstance(o, dict) else "")
    out = [f"**Worst row of ours: {r['case']}, `{row['condition']}`: ours "
           f"{robustness.share(robustness.w100(row, 'ours'))} within 100 ms{detail}, "
           f"aeneas {robustness.share(robustness.w100(row, 'aeneas'))}.**", ""]
    rows = behind(results)
    total = sum(len(r["rows"]) for r in results)
    listed = "; ".join(f"{case} `{row['condition']}` "
                       f"{robustness.share(robustness.w100(row, 'ours'))} < "
                       f"{robustness.share(robustness.w100(row, 'aeneas'))}"
                       for case, row in rows)
    out.append(f"Ours behind aeneas in {len(rows)} of {total} rows"
               + (f" (ours < aeneas): {listed}." if rows else "."))
    return out


def report(results: list[dict], command: str) -> str:
    """The markdown of docs/holdout.md."""
    lines = ["# Held-out check: new recordings, new degradations", ""]
    lines += summary(results)
    lines += [
        "",
        f"Command: `{command}`  ",
        f"Machine: {run.machine()}  ",
        f"Date: {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC; {run.versions()}",
        "",
        "A check on material the aligner was not tuned on: three recordings read from new "
        "texts (`benchmarks/texts/holdout.toml`) by voices and at paces no other case "
        "combines, degraded in twelve ways the team's sweep "
        "(`python -m benchmarks.robustness`) does not have (`benchmarks/holdout_noise.py`): "
        "`babble:N` five other voices reading a museum guide at N dB SNR; `cafe` babble at "
        "12 dB, a rumble and clinking cups; `tv:10` a newsreader over a music bed through a "
        "small speaker, 10 dB down; `room` sox's reverb in a larger room, low-passed at "
        "3 kHz; `aac32`, `opus16` and `mulaw8k` lossy containers (AAC 32 kbit/s stereo at "
        "22.05 kHz, Opus 16 kbit/s, 8 kHz mu-law); `brown:3` traffic noise swelling as "
        "vehicles pass; `slams` door slams and drills louder than the speech every 7-13 s; "
        "`drift` the level rising from -20 to 0 dB; `fast1.35+pink:6` 1.35 times as fast "
        "under pink noise at 6 dB.",
        "",
        "*ours* is `transcript-player align`, handed the transcript as a user would upload "
        "it; *aeneas* is plain aeneas with its defaults, handed the true sentences one per "
        "line, its best case. `w100` is the share of sentence starts within 100 ms "
        "(`testsupport/score.py`: a start in the pause before its sentence counts as exact); "
        "p90 the 90th-percentile error; *ours unaligned* the sentences ours marked "
        "`aligned: false` though every sentence is said. **Bold**: ours behind aeneas. "
        "The noise is seeded by the case and condition names and the background voices' "
        "syntheses are kept in `bench-out/holdout/noise-cache/`, so a rerun degrades "
        "alike. A fresh build synthesises the neural Piper voice anew (council-meeting's "
        "chair, one or two background talkers of each case), and Piper differs slightly "
        "from one synthesis to the next: that moves the babble, cafe and TV rows of "
        "another build by a few hundredths, sometimes more (aeneas on match-commentary "
        "`babble:6` read 0.697 with one synthesis of the talkers, 0.485 with another).",
        "",
    ]
    for r in results:
        lines.append(f"- {r['case']}: {r['description']}; "
                     f"{run.fmt_duration(r['duration'])}, {r['sentences']} sentences.")
    lines += ["", table(results)]
    return "\n".join(lines) + "\n"


# ---- command line --------------------------------------------------------------------


def names(values: list[str] | None) -> list[str]:
    """Option values split at commas too ("--conds clean,drift" as "--conds clean drift")."""
    return [v for item in values or [] for v in item.split(",") if v]


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """The options (see the module docstring)."""
    ap = argparse.ArgumentParser(prog="python -m benchmarks.holdout", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cases", nargs="+", metavar="CASE",
                    help="cases to run (default: all): " + ", ".join(CASES))
    ap.add_argument("--conds", nargs="+", metavar="COND",
                    help="conditions (default: all): " + ", ".join(CONDITIONS))
    ap.add_argument("--out", default="bench-out",
                    help="the cases, degraded files and rows go to OUT/holdout/ "
                         "(default: bench-out)")
    ap.add_argument("--timeout", type=float, default=600,
                    help="kill an aligner after this many seconds (default 600; 0: never)")
    ap.add_argument("--doc", default=str(DOC), help="the markdown file written")
    ap.add_argument("--no-doc", action="store_true", help="print the table; leave docs/ alone")
    args = ap.parse_args(argv)
    args.cases = names(args.cases) or list(CASES)
    args.conds = names(args.conds) or list(CONDITIONS)
    unknown = [c for c in args.cases if c not in CASES]
    if unknown:
        ap.error(f"unknown case(s) {', '.join(unknown)}; cases: {', '.join(CASES)}")
    bad = [c for c in args.conds if not holdout_noise.is_condition(c)]
    if bad:
        ap.error(f"unknown condition(s) {', '.join(bad)}; conditions: {', '.join(CONDITIONS)}"
                 f" ({', '.join(holdout_noise.SNR_KINDS)} take any SNR)")
    return args


def main(argv: list[str] | None = None) -> int:
    """Run the held-out check; 0 when both aligners gave a result in every row."""
    args = parse_args(argv)
    outdir = Path(args.out).resolve() / SUBDIR
    outdir.mkdir(parents=True, exist_ok=True)
    command = shlex.join([run._python_shown(), "-m", "benchmarks.holdout",
                          *(sys.argv[1:] if argv is None else argv)])
    results = []
    for name in args.cases:
        results.append(run_case(name, outdir, args.conds, args.timeout or None))
        (outdir / "rows.json").write_text(json.dumps({"command": command, "results": results},
                                                     indent=1), encoding="utf-8")
    md = report(results, command)
    print()
    print(md)
    if not args.no_doc:
        Path(args.doc).parent.mkdir(parents=True, exist_ok=True)
        Path(args.doc).write_text(md, encoding="utf-8")
        print(f"written to {args.doc}")
    failed = [f"{r['case']} {row['condition']} {tool}" for r in results for row in r["rows"]
              for tool in TOOLS if not isinstance(row[tool], dict)]
    if failed:
        print("failed: " + "; ".join(failed), file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
