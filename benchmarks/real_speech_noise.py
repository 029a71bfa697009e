"""Real speech under noise: the real recordings degraded as the team's sweep degrades the
synthetic ones, ours beside plain aeneas.

    python -m benchmarks.real_speech_noise [--out DIR] [--sweep PATH] [--timeout S] [--no-doc]

(`make bench` runs it after `benchmarks.real_speech`.) The recordings are the cases of
`benchmarks.real_speech` (built into bench-out/real-speech/ as that benchmark builds them
when they are not there yet) that are long enough to say something under noise:
`MIN_SENTENCES` sentences or more and `MIN_SECONDS` seconds or more. Each is made mono at
16 kHz and degraded by the `degrade` function of the team's sweep script
(``../shared/bench/sweep.py``, or --sweep, or $TP_SWEEP, as `benchmarks.robustness` finds
it), loaded in a child process so that its imports and paths stay out of this one. A
condition of `CONDITIONS` is a chain of the sweep's conditions joined by ``+``, applied in
order, each step seeded by its own name as the sweep seeds it, so a rerun gives the same
audio. The degraded case goes to DIR/RECORDING-CONDITION/ (``reverb+pink:10`` is
``reverb-pink_10``) with the recording's truth (its times scaled by the sweep's time
factor) and transcript.

Each degraded case is aligned and scored as `benchmarks.real_speech` does (`bench_case`:
ours, aeneas handed the sentences, aeneas handed the words); the rows go to
DIR/results.json, the report to the ``real-speech-noise`` section of docs/benchmarks.md
(unless --no-doc).
"""

from __future__ import annotations

import argparse
import json
import os
import runpy
import shlex
import shutil
import sys
import tempfile
import time
import zlib
from pathlib import Path

import numpy as np

from benchmarks import corpus, doc, holdout_noise, robustness, run, word_report
from benchmarks import real_speech as rs
from benchmarks.holdout import scaled_truth

ROOT = Path(__file__).resolve().parent.parent
SECTION = "real-speech-noise"
DEFAULT_OUT = ROOT / "bench-out" / "real-speech-noise"
#: the sweep's conditions, a "+" chaining several (applied left to right)
CONDITIONS = ("pink:6", "babble:10", "reverb+pink:10")
#: a recording is degraded when it has this many sentences and seconds or more: one
#: sentence, or a few seconds, says little about where sentences start under noise
MIN_SENTENCES = 4
MIN_SECONDS = 20.0


# ---- which recordings, which folders -----------------------------------------------


def is_selected(truth: dict) -> bool:
    """Whether a real-speech case is long enough to degrade (`MIN_SENTENCES`,
    `MIN_SECONDS`)."""
    return len(truth["sentences"]) >= MIN_SENTENCES and truth["duration"] >= MIN_SECONDS


def condition_dir_name(cond: str) -> str:
    """A condition as a folder name: "pink:6" -> "pink_6", "reverb+pink:10" ->
    "reverb-pink_10"."""
    return cond.replace(":", "_").replace("+", "-")


def ensure_recording(spec: rs.CaseSpec, outdir: Path) -> Path:
    """The real-speech case's folder in `outdir`, built as `benchmarks.real_speech` builds
    it when its truth or audio is missing."""
    d = outdir / spec.name
    if corpus.case_audio(d):
        return d
    return rs.build_case(spec, outdir, outdir)


def recordings(outdir: Path) -> list[Path]:
    """The real-speech cases (in `real_speech.CASES`'s order) that `is_selected`, built
    into `outdir` where missing."""
    out = []
    for spec in rs.CASES:
        d = ensure_recording(spec, outdir)
        if is_selected(json.loads((d / "truth.json").read_text(encoding="utf-8"))):
            out.append(d)
    return out


# ---- degrading ---------------------------------------------------------------------


def degrade_here(sweep: str, case_dir: str, out_dir: str, *conds: str) -> None:
    """Degrade the case by the chained conditions and write the degraded case (audio.*,
    truth.json, transcript.txt) to `out_dir`. Loads the sweep script into this process:
    run it in a child (`degrade`)."""
    # the sweep runs sox (reverberation, the babble's resampling) without -R, so its
    # dither would differ by a bit or two each run: SOX_OPTS makes every sox repeatable
    os.environ["SOX_OPTS"] = f"{os.environ.get('SOX_OPTS', '')} -R".strip()
    g = runpy.run_path(sweep)  # its main() is not run
    mc, sweep_degrade = g["mc"], g["degrade"]
    src, dst = Path(case_dir), Path(out_dir)
    truth = json.loads((src / "truth.json").read_text(encoding="utf-8"))
    audio = corpus.case_audio(src)
    if audio is None:
        raise FileNotFoundError(f"{src} is not a built case (truth, transcript, audio)")
    with tempfile.TemporaryDirectory() as tmp:
        wav = Path(tmp) / "src.wav"
        holdout_noise.ffmpeg(audio, wav, "-ac", "1", "-ar", str(mc.RATE))
        path, factor = str(wav), 1.0
        for i, cond in enumerate(conds):
            # the sweep's own seeding: the same noise for a condition whatever comes before
            rng = np.random.default_rng(zlib.crc32(cond.encode()))
            path, f = sweep_degrade(cond, mc.read_wav(path), rng, tmp, path,
                                    str(Path(tmp) / f"c{i}"))
            factor *= f
        dst.mkdir(parents=True, exist_ok=True)
        for old in dst.glob("audio.*"):  # a stale file of another format would be aligned
            old.unlink()
        out = dst / ("audio" + Path(path).suffix)
        shutil.copy(path, out)
    t = {**scaled_truth(truth, factor), "audio": out.name}
    (dst / "truth.json").write_text(json.dumps(t, indent=1) + "\n", encoding="utf-8")
    shutil.copy(src / "transcript.txt", dst / "transcript.txt")


def degrade(case_dir: Path, cond: str, out_dir: Path, sweep: Path,
            timeout: float | None = None) -> Path:
    """Degrade a case by `cond` (sweep conditions joined by "+") into `out_dir`, in a
    child process (`degrade_here`); `out_dir`. Raises RuntimeError when it fails (its
    output is in out_dir/degrade.log)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    code = ("import sys; from benchmarks.real_speech_noise import degrade_here; "
            "degrade_here(*sys.argv[1:])")
    cmd = [sys.executable, "-c", code, str(sweep), str(case_dir), str(out_dir),
           *cond.split("+")]
    res = run.run_child(cmd, out_dir / "degrade.log", timeout=timeout, cwd=ROOT)
    if not res["ok"]:
        raise RuntimeError(f"degrading {case_dir.name} by {cond} failed: {res.get('error')}")
    return out_dir


# ---- the report --------------------------------------------------------------------


def _w100(r: dict, tool: str, key: str = "score") -> float:
    return (r["tools"].get(tool, {}).get(key) or {}).get("within_100ms") or 0.0


def behind_aeneas(results: list[dict]) -> tuple[list[str], list[str]]:
    """The cases where ours is below plain aeneas, as "case (ours against aeneas)": for
    sentence starts (fewer within 100 ms) and for word starts (`word_report.below`). A
    failed ours counts as 0; a case aeneas failed on is left out."""
    sents = []
    for r in results:
        if r["tools"].get("aeneas", {}).get("score") and _w100(r, "ours") < _w100(r, "aeneas"):
            sents.append(f"{r['case']} ({_w100(r, 'ours'):.3f} against "
                         f"{_w100(r, 'aeneas'):.3f})")
    return sents, word_report.below(results)


def below_line(results: list[dict]) -> str:
    """The sentence that names every case where ours is below aeneas (`behind_aeneas`)."""
    sents, words = behind_aeneas(results)
    n = len(results)

    def part(what: str, cases: list[str]) -> str:
        if not cases:
            return f"on no case for {what}"
        return f"on {len(cases)} of {n} cases for {what}: " + ", ".join(cases)

    return ("Ours is below plain aeneas " + part("sentence starts (within 100 ms)", sents)
            + "; " + part("word starts (within 100 / 50 ms)", words) + ".")


def report(results: list[dict], command: str, names: list[str],
           conditions: list[str]) -> str:
    """The "Real speech under noise" section of docs/benchmarks.md: `names` are the
    recordings degraded, `conditions` how."""
    conds = ", ".join(f"`{c}`" for c in conditions)
    return "\n".join([
        "## Real speech under noise: our own check, the real recordings degraded",
        "",
        f"Command: `{command}` ({time.strftime('%Y-%m-%d')}); `make bench` runs it after "
        "`benchmarks.real_speech`.",
        "",
        "Not a goal of any issue: our own check of how the real recordings above fare "
        "when degraded as the team's sweep degrades the synthetic ones. The recordings are "
        f"those of the real-speech benchmark with {MIN_SENTENCES} sentences or more and "
        f"{MIN_SECONDS:.0f} s or more ({', '.join(names)}). Each is made mono at "
        f"{corpus.RATE // 1000} kHz (the sweep's rate) and degraded by `degrade` of "
        f"`../shared/bench/sweep.py`, the script itself, under the conditions {conds} "
        "(`pink:N`: pink noise at N dB SNR; `babble:N`: four synthetic voices reading "
        "other text, at N dB; `reverb`: sox's reverberation; `a+b`: a, then b on its "
        "output). Each step is seeded by its condition's name as the sweep seeds it, so a "
        "rerun gives the same audio. The truth and the transcript are the recording's own "
        "(times scaled where a condition changes the tempo). A case is named "
        "recording-condition.",
        "",
        *rs.tables(results, "As in the real-speech section above: *ours* is "
                   "`transcript-player align` on the transcript, *aeneas* plain aeneas "
                   "handed the true sentences one per line, scored by "
                   "`testsupport/score.py`; *pooled* is the share of all sentences of all "
                   "cases."),
        "",
        below_line(results),
    ])


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """The options (see the module docstring)."""
    ap = argparse.ArgumentParser(prog="python -m benchmarks.real_speech_noise",
                                 description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT,
                    help="where the degraded cases go (default: bench-out/real-speech-noise)")
    ap.add_argument("--sweep", help=f"the sweep script (default: ${robustness.SWEEP_ENV}, "
                                    "else ../shared/bench/sweep.py beside the project)")
    ap.add_argument("--timeout", type=float, default=600.0,
                    help="seconds per aligner run and per degrading (0: never)")
    ap.add_argument("--no-doc", action="store_true",
                    help="print the report; leave docs/benchmarks.md alone")
    return ap.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Degrade, align and score every selected recording under every condition; 0 when
    ours gave a result on each."""
    args = parse_args(argv)
    sweep = robustness.sweep_path(args.sweep)
    timeout = args.timeout or None
    out: Path = args.out
    chosen = recordings(rs.DEFAULT_OUT)
    out.mkdir(parents=True, exist_ok=True)
    results = []
    for d in chosen:
        for cond in CONDITIONS:
            case = out / f"{d.name}-{condition_dir_name(cond)}"
            print(f"[{case.name}] degrading {d.name} by {cond} ...", flush=True)
            results.append(rs.bench_case(degrade(d, cond, case, sweep, timeout), timeout))
            # after each case: a long run stopped halfway keeps what it measured
            (out / "results.json").write_text(json.dumps(results, indent=1) + "\n",
                                              encoding="utf-8")
    shown = shlex.join(["python", "-m", "benchmarks.real_speech_noise",
                        *(sys.argv[1:] if argv is None else argv)])
    body = report(results, shown, [d.name for d in chosen], list(CONDITIONS))
    print(body)
    if not args.no_doc:
        doc.update_section(SECTION, body)
    failed = [r["case"] for r in results if not r["tools"].get("ours", {}).get("ok")]
    if failed:
        print("ours failed on " + ", ".join(failed), file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
