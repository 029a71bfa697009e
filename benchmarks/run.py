"""Accuracy, speed and memory of the project's aligner, side by side with plain aeneas.

    python -m benchmarks.run [--cases CASE ...] [--out bench-out] [--skip-4h]
                             [--with-aeneas-4h] [--timeout SECONDS] [--no-doc]

(`make bench` runs it with no options.) For each case it builds the test recording when
it is not in OUT yet (cases are kept between runs), then runs, each in a child process:

- ours: ``transcript-player align AUDIO TRANSCRIPT -o ours.json``, handed the
  transcript as a user would upload it (``transcript.txt``, or ``transcript.vtt``);
- aeneas: ``python -m aeneas.tools.execute_task`` with its defaults, handed the true
  sentences one per line (its best case: a user would first have to split and clean the
  text by hand). On the 4-hour case it needs about 10 GB, so it runs there only with
  ``--with-aeneas-4h``.

Both are scored with `testsupport.score` against the case's truth. Wall time is the
child's elapsed time; peak memory the larger of its maximum resident set size (from
``os.wait4``, which covers the largest process of its tree) and the largest sum of
resident memory over its whole process tree (sampled every 0.2 s). The table goes to
stdout and to the `alignment` section of docs/benchmarks.md; the raw figures to
OUT/results.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shlex
import shutil
import signal
import subprocess
import sys
import threading
import time
from importlib import metadata
from pathlib import Path

from benchmarks import corpus, doc, extra_cases
from testsupport.score import norm, pred_from_dict, score

ROOT = Path(__file__).resolve().parent.parent
SECTION = "alignment"
AENEAS_CONFIG = "task_language=eng|is_text_type=plain|os_task_file_format=json"
HOUR = 3600.0
PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


# ---- running a child and measuring it -------------------------------------


def _tree_rss(session: int) -> int:
    """Resident bytes summed over the processes of a session (Linux /proc)."""
    total = 0
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as f:
                stat = f.read()
        except OSError:
            continue
        rest = stat[stat.rfind(b")") + 2:].split()
        if len(rest) > 21 and int(rest[3]) == session:
            total += int(rest[21]) * PAGE
    return total


def run_child(cmd: list[str], log_path: str | os.PathLike[str], timeout: float | None = None,
              cwd: str | os.PathLike[str] | None = None) -> dict:
    """Run `cmd` in its own session, output to `log_path`; measure wall time and memory.

    Returns ok, returncode, wall (s), peak_rss (bytes, the larger of the child's
    ru_maxrss and the sampled sum over its process tree), maxrss and tree_rss, and on
    failure `error` (the last lines of the log). A child over `timeout` seconds is killed.
    """
    res: dict = {"cmd": cmd, "ok": False}
    t0 = time.monotonic()
    with open(log_path, "wb") as log:
        try:
            p = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, cwd=cwd,
                                 start_new_session=True)
        except OSError as e:
            res.update(returncode=None, wall=0.0, peak_rss=None, error=str(e))
            return res
        peak_tree = 0
        done = threading.Event()
        timed_out = threading.Event()

        def sample() -> None:
            nonlocal peak_tree
            deadline = t0 + timeout if timeout else None
            while not done.wait(0.2):
                if os.path.exists("/proc"):
                    peak_tree = max(peak_tree, _tree_rss(p.pid))
                if deadline and time.monotonic() > deadline and not timed_out.is_set():
                    timed_out.set()
                    try:
                        os.killpg(p.pid, signal.SIGKILL)
                    except ProcessLookupError:
                        pass

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        try:
            _, status, ru = os.wait4(p.pid, 0)
        except BaseException:
            os.killpg(p.pid, signal.SIGKILL)
            p.wait()
            raise
        finally:
            done.set()
            sampler.join()
        p.returncode = os.waitstatus_to_exitcode(status)
    wall = time.monotonic() - t0
    maxrss = ru.ru_maxrss * 1024  # kilobytes on Linux
    res.update(returncode=p.returncode, wall=round(wall, 2), maxrss=maxrss,
               tree_rss=peak_tree, peak_rss=max(maxrss, peak_tree))
    if timed_out.is_set():
        res["error"] = f"killed after the {timeout:.0f} s timeout"
    elif p.returncode != 0:
        res["error"] = f"exit status {p.returncode}: " + _tail(log_path)
    else:
        res["ok"] = True
    return res


def _tail(path: str | os.PathLike[str], lines: int = 12) -> str:
    try:
        text = Path(path).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    return "\n".join(text.strip().splitlines()[-lines:])


# ---- the two aligners ------------------------------------------------------


def ours_command(audio: Path, transcript: Path, out: Path) -> list[str]:
    """The project's CLI on a case, as a user would run it."""
    exe = Path(sys.executable).parent / "transcript-player"
    prog = str(exe) if exe.exists() else (shutil.which("transcript-player") or str(exe))
    return [prog, "align", str(audio), str(transcript), "-o", str(out)]


def aeneas_command(audio: Path, sentences: Path, out: Path) -> list[str]:
    """Plain aeneas with its defaults on a file of sentences, one per line."""
    return [sys.executable, "-m", "aeneas.tools.execute_task", str(audio), str(sentences),
            AENEAS_CONFIG, str(out)]


def run_tool(tool: str, cmd: list[str], out: Path, log: Path, timeout: float | None) -> tuple[
        dict, dict | None]:
    """Run one aligner; returns its measurement and its parsed output (None on failure)."""
    out.unlink(missing_ok=True)  # never score a stale result
    res = run_child(cmd, log, timeout=timeout, cwd=ROOT)
    pred = None
    if res["ok"]:
        try:
            with open(out, encoding="utf-8") as f:
                pred = json.load(f)
            pred_from_dict(pred)
        except (OSError, ValueError, KeyError, TypeError) as e:
            res.update(ok=False, error=f"no usable output in {out.name}: {e!r}; "
                       + _tail(log, 5))
            pred = None
    res["tool"] = tool
    return res, pred


def unspoken_check(truth: dict, pred: dict) -> dict:
    """For a case with transcript sentences never said: how many the prediction marks
    `aligned: false`, and how many said sentences it wrongly marks so."""
    unspoken = {norm(s) for s in truth.get("unspoken", [])}
    spoken = {norm(s["text"]) for s in truth["sentences"]}
    sents = pred.get("sentences", [])
    found = [s for s in sents if norm(s.get("text", "")) in unspoken]
    return {
        "unspoken": len(unspoken),
        "found": len(found),
        "marked_unaligned": sum(1 for s in found if s.get("aligned") is False),
        "spoken": len(truth["sentences"]),
        "spoken_marked_unaligned": sum(1 for s in sents if norm(s.get("text", "")) in spoken
                                       and s.get("aligned") is False),
    }


# ---- one case --------------------------------------------------------------


def ensure_case(case: str, outdir: Path) -> tuple[Path, float | None]:
    """Build the case unless it is already in `outdir` (a generality case is built again
    when the transcript reader's split has changed); its audio and the build time."""
    audio = corpus.case_audio(outdir / case)
    if audio and case in extra_cases.BUILDERS and extra_cases.split_changed(outdir / case):
        print(f"[{case}] the transcript reader now splits the text differently; "
              "building the case again", flush=True)
        audio = None
    if audio:
        return audio, None
    print(f"[{case}] building the test recording ...", flush=True)
    t0 = time.monotonic()
    corpus.make(case, outdir)
    took = time.monotonic() - t0
    print(f"[{case}] built in {took:.0f} s", flush=True)
    audio = corpus.case_audio(outdir / case)
    assert audio is not None
    return audio, took


def bench_case(case: str, outdir: Path, with_aeneas: bool, timeout: float | None,
               tools: list[str]) -> dict:
    """Build (if needed), align with each tool, score; the case's results."""
    audio, build_s = ensure_case(case, outdir)
    d = outdir / case
    with open(d / "truth.json", encoding="utf-8") as f:
        truth = json.load(f)
    transcript = corpus.case_transcript(d)
    assert transcript is not None
    result: dict = {"case": case, "description": corpus.CASES[case],
                    "duration": truth["duration"], "sentences": len(truth["sentences"]),
                    "unspoken": len(truth.get("unspoken", [])),
                    "audio": audio.name, "transcript": transcript.name,
                    "build_seconds": build_s, "tools": {}}
    since = truth["duration"] - HOUR if truth["duration"] > 2 * HOUR else None
    sentences = d / "sentences.txt"
    sentences.write_text("\n".join(s["text"] for s in truth["sentences"]) + "\n",
                         encoding="utf-8")
    plans = {
        "ours": ours_command(audio, transcript, d / "ours.json"),
        "aeneas": aeneas_command(audio, sentences, d / "aeneas.json"),
    }
    for tool in tools:
        if tool == "aeneas" and not with_aeneas:
            result["tools"][tool] = {"tool": tool, "ok": False, "skipped": True,
                                     "error": "not run (needs about 10 GB; --with-aeneas-4h)"}
            print(f"[{case}] {tool}: not run (pass --with-aeneas-4h)", flush=True)
            continue
        print(f"[{case}] {tool}: {shlex.join(plans[tool])}", flush=True)
        res, pred = run_tool(tool, plans[tool], d / f"{tool}.json", d / f"{tool}.log", timeout)
        if pred is not None:
            p = pred_from_dict(pred)
            res["score"] = score(truth, p)
            if since is not None:
                res["score_last_hour"] = score(truth, p, since=since)
            if tool == "ours" and truth.get("unspoken"):
                res["unspoken"] = unspoken_check(truth, pred)
            s = res["score"]
            print(f"[{case}] {tool}: within_100ms {s['within_100ms']}, p90_err {s['p90_err']} s,"
                  f" {res['wall']:.1f} s, {fmt_bytes(res['peak_rss'])}", flush=True)
        else:
            print(f"[{case}] {tool} FAILED: {res.get('error')}", file=sys.stderr, flush=True)
        result["tools"][tool] = res
    return result


# ---- the report ------------------------------------------------------------


def fmt_bytes(n: int | None) -> str:
    """Bytes as MB or GB (decimal)."""
    if not n:
        return "–"
    return f"{n / 1e9:.2f} GB" if n >= 1e9 else f"{n / 1e6:.0f} MB"


def fmt_secs(s: float | None) -> str:
    """Seconds, as minutes and seconds past two minutes."""
    if s is None:
        return "–"
    if s < 120:
        return f"{s:.1f} s"
    minutes, seconds = divmod(round(s), 60)  # rounded first: 179.6 s is 3 min 00 s
    return f"{minutes} min {seconds:02d} s"


def fmt_err(e: float | None) -> str:
    """An error in seconds."""
    return "–" if e is None else f"{e:.3f} s"


def fmt_share(x: float | None) -> str:
    """A share between 0 and 1."""
    return "–" if x is None else f"{x:.3f}"


def fmt_duration(s: float) -> str:
    """A recording's length."""
    return f"{s / 60:.1f} min" if s < 2 * HOUR else f"{s / HOUR:.2f} h"


def case_table(r: dict) -> str:
    """The markdown table of one case's results."""
    last = any("score_last_hour" in t for t in r["tools"].values()) or r["duration"] > 2 * HOUR
    head = ["", "within_100ms"] + (["within_100ms, last hour"] if last else []) + [
        "p90_err", "median_onset_err", "wall", "peak memory"]
    rows = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    tools = r["tools"]
    for name, t in tools.items():
        label = "ours" if name == "ours" else "aeneas (defaults, true sentences)"
        if not t.get("score"):
            why = t.get("error", "failed").splitlines()[0] if t.get("skipped") else "failed"
            if not t.get("skipped") and t.get("wall") is not None:
                why += f" after {fmt_secs(t['wall'])}"
            rows.append(f"| {label} | {why} |" + " |" * (len(head) - 2))
            continue
        s = t["score"]
        cells = [label, fmt_share(s["within_100ms"])]
        if last:
            cells.append(fmt_share(t.get("score_last_hour", {}).get("within_100ms")))
        cells += [fmt_err(s["p90_err"]), fmt_err(s["median_onset_err"]), fmt_secs(t["wall"]),
                  fmt_bytes(t["peak_rss"])]
        rows.append("| " + " | ".join(cells) + " |")
    o, a = tools.get("ours", {}), tools.get("aeneas", {})
    if o.get("score") and a.get("score"):
        tr = f"{o['wall'] / a['wall']:.2f}×" if a["wall"] else "–"
        mr = f"{o['peak_rss'] / a['peak_rss']:.2f}×" if a["peak_rss"] else "–"
        blanks = ["", ""] if last else [""]
        rows.append("| " + " | ".join(["ours / aeneas", *blanks, "", "", tr, mr]) + " |")
    return "\n".join(rows)


def case_notes(r: dict) -> list[str]:
    """Lines under a case's table: failures, the unspoken-sentence check."""
    notes = []
    for name, t in r["tools"].items():
        if not t.get("ok") and not t.get("skipped"):
            first = (t.get("error") or "failed").strip().splitlines()
            notes.append(f"{name} failed: `{first[-1] if first else 'failed'}` "
                         f"(log: `{r['case']}/{name}.log`)")
    for name, t in r["tools"].items():
        last = t.get("score_last_hour")
        if last and t.get("score"):
            notes.append(
                f"{name}: median shift of its starts from the first sound (negative: early) "
                f"{fmt_err(t['score']['median_onset_shift'])} over the whole recording, "
                f"{fmt_err(last['median_onset_shift'])} in the last hour.")
    u = r["tools"].get("ours", {}).get("unspoken")
    if u:
        notes.append(
            f"Never-spoken transcript sentences marked `aligned: false` by ours: "
            f"{u['marked_unaligned']} of {u['unspoken']} (found in its output: {u['found']}); "
            f"spoken sentences it marked `aligned: false`: {u['spoken_marked_unaligned']} "
            f"of {u['spoken']}.")
    elif r.get("unspoken") and r["tools"].get("ours", {}).get("ok") is False:
        notes.append("Never-spoken sentences: not checked (ours failed).")
    return notes


def transcript_note(r: dict) -> str:
    """", `transcript.vtt`" for a case whose transcript is not the usual transcript.txt."""
    name = r.get("transcript", "transcript.txt")
    return "" if name == "transcript.txt" else f", `{name}`"


def machine() -> str:
    """CPU count and model, memory, OS."""
    model = platform.processor() or "unknown CPU"
    mem = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem = f", {int(line.split()[1]) / 1e6:.0f} GB RAM"
                break
    except OSError:
        pass
    return f"{os.cpu_count()} CPUs (nproc), {model}{mem}, {platform.system()} {platform.release()}"


def versions() -> str:
    """Versions of what is measured."""
    out = []
    for dist, label in (("transcript-player", "transcript-player"), ("aeneas-ng", "aeneas-ng")):
        try:
            out.append(f"{label} {metadata.version(dist)}")
        except metadata.PackageNotFoundError:
            pass
    try:
        rev = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
                             capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain",
                                "--untracked-files=no"], capture_output=True, text=True).stdout
        out.append(f"commit {rev}{' + local changes' if dirty.strip() else ''}")
    except (OSError, subprocess.CalledProcessError):
        pass
    return ", ".join(out)


def report(results: list[dict], command: str) -> str:
    """The markdown of the alignment section."""
    lines = [
        "## Alignment: accuracy, speed and memory, side by side with plain aeneas",
        "",
        f"Command: `{command}`  ",
        f"Machine: {machine()}  ",
        f"Date: {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC; {versions()}",
        "",
        "Each case is a recording synthesised sentence by sentence with flite and festival "
        "voices (never eSpeak), so every sentence's start is known exactly "
        "(`benchmarks/corpus.py`; the generality cases from podcast on: "
        "`benchmarks/extra_cases.py`). *ours* is `transcript-player align AUDIO TRANSCRIPT`, "
        "handed the transcript a user would upload (for seed-raw, the page as published; for "
        "vtt-meeting, a WebVTT file); "
        "*aeneas* is aeneas with its defaults, handed the true sentences one per line, its "
        "best case. Scores (`testsupport/score.py`): a start anywhere in the pause before its "
        "sentence has error 0, otherwise its distance to that pause; `within_100ms` is the "
        "share of all true sentences whose start is within 100 ms; `median_onset_err` is the "
        "distance to the sentence's first sound. Each aligner runs as a child process: wall "
        "is its elapsed time, peak memory its largest resident memory (os.wait4, and the "
        "sampled sum over its process tree).",
    ]
    for r in results:
        lines += ["", f"### {r['case']}: {r['description']}", "",
                  f"{fmt_duration(r['duration'])}, {r['sentences']} sentences, "
                  f"`{r['audio']}`{transcript_note(r)}.", "", case_table(r)]
        notes = case_notes(r)
        if notes:
            lines += [""] + [f"- {n}" for n in notes]
    return "\n".join(lines) + "\n"


# ---- command line ----------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """The options (see the module docstring)."""
    ap = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cases", nargs="+", choices=list(corpus.CASES), metavar="CASE",
                    help="cases to run (default: all): " + ", ".join(corpus.CASES))
    ap.add_argument("--out", default="bench-out",
                    help="where the cases and outputs are kept (default: bench-out)")
    ap.add_argument("--skip-4h", action="store_true", help="leave out the 4-hour case")
    ap.add_argument("--with-aeneas-4h", action="store_true",
                    help="also run plain aeneas on the 4-hour case (about 10 GB of memory)")
    ap.add_argument("--tools", nargs="+", choices=["ours", "aeneas"],
                    default=["ours", "aeneas"], help="aligners to run (default: both)")
    ap.add_argument("--timeout", type=float, default=4 * HOUR,
                    help="kill an aligner after this many seconds (default: 14400; 0: never)")
    ap.add_argument("--doc", default=str(doc.DOC),
                    help="the markdown file whose alignment section is rewritten")
    ap.add_argument("--no-doc", action="store_true", help="print the table only")
    return ap.parse_args(argv)


def _python_shown() -> str:
    """The interpreter as the user would type it: relative when it is the project's venv."""
    exe = Path(sys.executable)
    try:
        return str(exe.relative_to(ROOT)) if Path.cwd().resolve() == ROOT else str(exe)
    except ValueError:
        return "python"


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; 0 when every aligner that ran succeeded, else 1."""
    args = parse_args(argv)
    cases = args.cases or list(corpus.CASES)
    if args.skip_4h:
        cases = [c for c in cases if c != "long4h"]
    outdir = Path(args.out).resolve()
    outdir.mkdir(parents=True, exist_ok=True)
    command = shlex.join([_python_shown(), "-m", "benchmarks.run",
                          *(sys.argv[1:] if argv is None else argv)])
    results = []
    for case in cases:
        with_aeneas = case != "long4h" or args.with_aeneas_4h
        results.append(bench_case(case, outdir, with_aeneas, args.timeout or None, args.tools))
        with open(outdir / "results.json", "w", encoding="utf-8") as f:
            json.dump({"command": command, "results": results}, f, indent=1)
    md = report(results, command)
    print()
    print(md)
    if not args.no_doc:
        doc.update_section(SECTION, md, args.doc)
        print(f"written to the {SECTION} section of {args.doc}")
    failed = [f"{r['case']}/{n}" for r in results for n, t in r["tools"].items()
              if not t.get("ok") and not t.get("skipped")]
    if failed:
        print("failed: " + ", ".join(failed), file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
