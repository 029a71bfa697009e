"""Robustness: clean cases degraded the way real recordings are, ours beside plain aeneas.

    python -m benchmarks.robustness [--cases CASE ...] [--out bench-out]
                                    [--conditions COND ...] [--voice-conditions COND ...]
                                    [--sweep PATH] [--timeout SECONDS] [--no-doc]

(`make bench` runs it with no options, after `benchmarks.run`.) For each case it builds
the clean recording when it is not in OUT yet (seed-clean with the corpus builder, as
`benchmarks.run` does; the voice cases with `benchmarks.voice_cases`, which needs the
"bench" packages), then runs the team's shared sweep on it as a child process:

    python SWEEP CASE_DIR .venv/bin/transcript-player CONDITION ...

SWEEP is ``../shared/bench/sweep.py`` beside the project (``--sweep`` or the
``TP_SWEEP`` environment variable say otherwise). It is run, never copied: it belongs to
the team and may change. It degrades the case (noise of four kinds at a given SNR,
reverberation, a phone line, faster and slower speech, a quiet file), aligns each with
ours (the transcript as uploaded) and with plain aeneas (the true sentences), and prints a
JSON line per condition and a last line naming the conditions short of their goal (its
``GOALS``, or aeneas's figure in the same run, whichever is higher).

The conditions are the sweep's defaults plus more SNRs per noise kind (`EXTRA`), so
accuracy can be drawn against SNR. The raw rows go to OUT/sweep.json; a table per case,
led by the worst condition of all, to the ``robustness`` section of docs/benchmarks.md;
within_100ms against SNR, per noise kind, ours and aeneas, to docs/sweep.png.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import shlex
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from benchmarks import corpus, doc, extra_cases, run, voice_cases

if TYPE_CHECKING:  # matplotlib is imported where the plot is drawn (the "bench" extra)
    from matplotlib.figure import Figure

ROOT = Path(__file__).resolve().parent.parent
SECTION = "robustness"
SWEEP_ENV = "TP_SWEEP"
DEFAULT_SWEEP = ROOT.parent / "shared" / "bench" / "sweep.py"
PLOT = ROOT / "docs" / "sweep.png"
SEED_CASE = "seed-clean"
CASES = [SEED_CASE, *voice_cases.CASES]
#: more SNRs per noise kind than the sweep's defaults, for the accuracy-against-SNR plot
EXTRA = ["pink:20", "white:20", "white:10", "white:3", "white:0", "babble:10", "babble:3",
         "music:10", "music:3"]
NOISES = ("pink", "white", "babble", "music")
TOOLS = ("ours", "aeneas")
SHORT_RE = re.compile(r"^short of goal[^:]*:\s*(.*)$")
TOKEN_RE = re.compile(r"^(?P<cond>.+)=(?P<got>ERR|[-+0-9.eE]+)/(?P<goal>[-+0-9.eE]+)$")


# ---- the sweep, as a child process ----------------------------------------------


def sweep_path(option: str | None = None) -> Path:
    """The sweep script: `option`, else $TP_SWEEP, else ../shared/bench/sweep.py."""
    p = Path(option or os.environ.get(SWEEP_ENV) or DEFAULT_SWEEP)
    if not p.is_file():
        raise FileNotFoundError(
            f"the robustness sweep is not at {p} (pass --sweep PATH or set {SWEEP_ENV})")
    return p


def sweep_settings(sweep: Path) -> tuple[dict[str, float], list[str]]:
    """The sweep's GOALS and its default conditions, read by loading the script in a child
    Python (its imports and paths stay out of this process; its main() is not run)."""
    code = ("import json, runpy, sys; g = runpy.run_path(sys.argv[1]); "
            "print(json.dumps({'goals': g['GOALS'], 'default': list(g['DEFAULT'])}))")
    r = subprocess.run([sys.executable, "-c", code, str(sweep)], capture_output=True,
                       text=True, cwd=ROOT)
    if r.returncode != 0:
        raise RuntimeError(f"could not read GOALS and DEFAULT from {sweep}: "
                           + "\n".join(r.stderr.strip().splitlines()[-3:]))
    got = json.loads(r.stdout.strip().splitlines()[-1])
    return {k: float(v) for k, v in got["goals"].items()}, [str(c) for c in got["default"]]


def transcript_player() -> Path:
    """The project's CLI in this interpreter's venv (the sweep runs aeneas with the
    `python` beside it, so it must be the venv's)."""
    exe = Path(sys.executable).parent / "transcript-player"
    if not exe.exists():
        raise FileNotFoundError(f"{exe} is missing: install the project (make setup)")
    return exe


@dataclass
class SweepRun:
    """What one sweep printed: its rows (one per condition), the conditions it found short
    of their goal (condition -> (ours's within_100ms or None when ours failed, goal)),
    its closing line (None when it never got there) and any other stdout lines."""

    rows: list[dict] = field(default_factory=list)
    short: dict[str, tuple[float | None, float]] = field(default_factory=dict)
    short_line: str | None = None
    other: list[str] = field(default_factory=list)


def parse_short(line: str) -> dict[str, tuple[float | None, float]] | None:
    """The conditions of a "short of goal (got/goal): c=g/G ..." line (None when `line`
    is not one). A condition whose ours failed reads ERR, kept as None."""
    m = SHORT_RE.match(line.strip())
    if not m:
        return None
    rest = m.group(1).strip()
    out: dict[str, tuple[float | None, float]] = {}
    if rest == "none":
        return out
    for tok in rest.split():
        t = TOKEN_RE.match(tok)
        if not t:
            raise ValueError(f"unreadable entry {tok!r} in the sweep's line {line.strip()!r}")
        got = None if t["got"] == "ERR" else float(t["got"])
        out[t["cond"]] = (got, float(t["goal"]))
    return out


def parse_sweep(text: str) -> SweepRun:
    """Parse the sweep's stdout: JSON lines with a "condition", then the short line."""
    res = SweepRun()
    for line in text.splitlines():
        s = line.strip()
        if not s:
            continue
        if s.startswith("{"):
            try:
                row = json.loads(s)
            except ValueError:
                res.other.append(s)
                continue
            if isinstance(row, dict) and "condition" in row:
                res.rows.append(row)
                continue
            res.other.append(s)
            continue
        short = parse_short(s)
        if short is not None:
            res.short, res.short_line = short, s
        else:
            res.other.append(s)
    return res


def fmt_row(row: dict) -> str:
    """One condition in a progress line."""
    parts = []
    for tool in TOOLS:
        t = row.get(tool)
        if isinstance(t, dict):
            parts.append(f"{tool} {t['w100']:.3f} (p90 {t.get('p90')} s, {t.get('wall')} s)")
        else:
            parts.append(f"{tool} {t or 'missing'}")
    return ", ".join(parts)


def run_sweep(sweep: Path, case_dir: Path, tp: Path, conditions: list[str], log: Path,
              timeout: float | None = None, echo: str | None = None) -> tuple[SweepRun, dict]:
    """Run the sweep on one case; its parsed output and how the run went (returncode,
    wall, and `error` when it did not finish: no closing line, killed, cannot start).

    The sweep exits 1 when a condition falls short of its goal: that is a finding, not a
    failure. Its stderr (sox warnings, tracebacks) goes to `log`; with `echo` each row is
    printed as it comes, after that prefix.
    """
    cmd = [sys.executable, str(sweep), str(case_dir), str(tp), *conditions]
    info: dict = {"command": cmd}
    t0 = time.monotonic()
    lines: list[str] = []
    with open(log, "w", encoding="utf-8") as err:
        try:
            p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=err, text=True,
                                 cwd=ROOT, start_new_session=True)
        except OSError as e:
            info.update(returncode=None, wall=0.0, error=f"cannot start the sweep: {e}")
            return SweepRun(), info
        killed = threading.Event()

        def kill() -> None:
            killed.set()
            try:
                os.killpg(p.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

        timer = threading.Timer(timeout, kill) if timeout else None
        if timer:
            timer.start()
        try:
            assert p.stdout is not None
            for line in p.stdout:
                lines.append(line)
                err.write(line)
                err.flush()
                if echo is not None:
                    row = parse_sweep(line).rows
                    print(f"{echo}{row[0]['condition']}: {fmt_row(row[0])}" if row
                          else f"{echo}{line.rstrip()}", flush=True)
            p.wait()
        except BaseException:
            kill()
            p.wait()
            raise
        finally:
            if timer:
                timer.cancel()
    res = parse_sweep("".join(lines))
    info.update(returncode=p.returncode, wall=round(time.monotonic() - t0, 1))
    if killed.is_set():
        info["error"] = f"killed after the {timeout:.0f} s timeout"
    elif res.short_line is None:
        tail = run._tail(log, 5)
        info["error"] = f"the sweep stopped (exit status {p.returncode}) before its last " \
                        f"line: {tail}"
    return res, info


# ---- cases -----------------------------------------------------------------------


def ensure_case(case: str, outdir: Path, spec: voice_cases.VoiceCase | None = None,
                keep_cache: bool = False) -> Path:
    """Build `case` into `outdir` unless it is there (and still split as the project's
    transcript reader splits it now); its folder. A voice case is read as `spec` (by
    default `voice_cases.CASES[case]`), its synthesis cache kept with `keep_cache`."""
    d = outdir / case
    if spec is None and case not in voice_cases.CASES:
        run.ensure_case(case, outdir)
        return d
    if corpus.case_audio(d) and not extra_cases.split_changed(d):
        return d
    print(f"[{case}] building the test recording ...", flush=True)
    t0 = time.monotonic()
    try:
        voice_cases.make(case, outdir, spec=spec, keep_cache=keep_cache)
    except (ImportError, RuntimeError) as e:
        raise SystemExit(f"[{case}] cannot be built: {e}\n(the voice cases need the bench "
                         "packages: .venv/bin/pip install -e '.[bench]'; make bench does)") from e
    print(f"[{case}] built in {time.monotonic() - t0:.0f} s", flush=True)
    return d


def describe(case: str) -> str:
    """What a case is."""
    if case in voice_cases.CASES:
        return voice_cases.CASES[case].what
    return corpus.CASES.get(case, case)


# ---- reading the rows ------------------------------------------------------------


def w100(row: dict, tool: str) -> float | None:
    """The tool's within_100ms in a row, None when it failed."""
    t = row.get(tool)
    return float(t["w100"]) if isinstance(t, dict) else None


def goal(row: dict, result: dict, goals: dict[str, float]) -> float:
    """A condition's goal: as the sweep said it when short, else the higher of GOALS and
    aeneas's figure in the same run (the sweep's rule)."""
    short = result.get("short", {})
    if row["condition"] in short:
        return float(short[row["condition"]][1])
    return max(goals.get(row["condition"], 0.0), w100(row, "aeneas") or 0.0)


def is_short(row: dict, result: dict) -> bool:
    """Whether the sweep named this condition short of its goal."""
    return row["condition"] in result.get("short", {})


def worst(results: list[dict]) -> tuple[dict, dict] | None:
    """The (case result, row) where ours did worst: a failure first, then the lowest
    within_100ms, then the largest p90 error."""
    best: tuple[tuple, dict, dict] | None = None
    for r in results:
        for row in r.get("rows", []):
            o = row.get("ours")
            key = (-1.0, 0.0) if not isinstance(o, dict) else (o["w100"], -(o.get("p90") or 0))
            if best is None or key < best[0]:
                best = (key, r, row)
    return None if best is None else (best[1], best[2])


def snr_of(condition: str) -> tuple[str, float] | None:
    """(noise kind, SNR dB) of a noise condition, None for the others."""
    kind, _, arg = condition.partition(":")
    if kind not in NOISES:
        return None
    try:
        return kind, float(arg)
    except ValueError:
        return None


def grouped(conditions: list[str]) -> list[str]:
    """The conditions without repeats, the noise ones first, by kind and from the
    cleanest SNR down, the others after them in their order (the sweep seeds each
    condition's noise by its name, so the order changes no result)."""
    conds = list(dict.fromkeys(conditions))
    noise = sorted((c for c in conds if snr_of(c)),
                   key=lambda c: (NOISES.index(snr_of(c)[0]), -snr_of(c)[1]))
    return noise + [c for c in conds if not snr_of(c)]


def curves(rows: list[dict]) -> dict[tuple[str, str], list[tuple[float, float]]]:
    """(noise kind, tool) -> [(SNR, within_100ms)] sorted by SNR; a failed run counts 0."""
    out: dict[tuple[str, str], list[tuple[float, float]]] = {}
    for row in rows:
        ks = snr_of(row["condition"])
        if ks is None:
            continue
        for tool in TOOLS:
            out.setdefault((ks[0], tool), []).append((ks[1], w100(row, tool) or 0.0))
    return {k: sorted(v) for k, v in out.items()}


def worst_rows(results: list[dict]) -> list[dict]:
    """One row per condition holding, for each tool, its worst within_100ms over the
    results (a failure counts 0) and the case it was on."""
    merged: dict[str, dict] = {}
    for r in results:
        for row in r.get("rows", []):
            m = merged.setdefault(row["condition"], {"condition": row["condition"]})
            for tool in TOOLS:
                v = w100(row, tool) or 0.0
                if tool not in m or v < m[tool]["w100"]:
                    m[tool] = {"w100": v, "case": r["case"]}
    return list(merged.values())


# ---- the report ------------------------------------------------------------------


def share(x: float | None) -> str:
    """A tool's share of starts within 100 ms for a table, or "failed" when it has none."""
    return "failed" if x is None else f"{x:.3f}"


def cell(row: dict, tool: str, key: str, fmt: str) -> str:
    """One figure of a tool's run on a condition, formatted, for a table."""
    t = row.get(tool)
    if not isinstance(t, dict):
        return "failed"
    v = t.get(key)
    return "–" if v is None else fmt.format(v)


def case_table(result: dict, goals: dict[str, float]) -> str:
    """The markdown table of one case's sweep."""
    head = ["condition", "ours w100", "aeneas w100", "goal", "ours p90", "aeneas p90",
            "ours unaligned", "ours wall", "aeneas wall", "short?"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for row in result.get("rows", []):
        short = is_short(row, result)
        ours = share(w100(row, "ours"))
        cells = [f"`{row['condition']}`", f"**{ours}**" if short else ours,
                 share(w100(row, "aeneas")), f"{goal(row, result, goals):.3f}",
                 cell(row, "ours", "p90", "{:.3f} s"), cell(row, "aeneas", "p90", "{:.3f} s"),
                 cell(row, "ours", "unaligned", "{}"), cell(row, "ours", "wall", "{:.1f} s"),
                 cell(row, "aeneas", "wall", "{:.1f} s"), "**short**" if short else ""]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def summary(results: list[dict], goals: dict[str, float]) -> str:
    """The markdown at the top of the section: the worst condition of all, the worst of
    each case, every condition short of its goal, and any sweep that did not finish."""
    w = worst(results)
    if w is None:
        return "**No condition ran.**"
    r, row = w
    o = row.get("ours")
    said = (f"ours {share(w100(row, 'ours'))} within 100 ms"
            + (f" (p90 {o['p90']:.3f} s, {o.get('unaligned', 0)} marked unaligned)"
               if isinstance(o, dict) else "")
            + f", aeneas {share(w100(row, 'aeneas'))}, goal {goal(row, r, goals):.3f}")
    out = [f"**Worst condition: {r['case']}, `{row['condition']}`: {said}.**", ""]
    per_case = []
    for c in results:
        cw = worst([c])
        if cw:
            row_ = cw[1]
            per_case.append(f"{c['case']} `{row_['condition']}` {share(w100(row_, 'ours'))} "
                            f"(aeneas {share(w100(row_, 'aeneas'))})")
    out += ["Worst per case (ours within_100ms): " + "; ".join(per_case) + ".", ""]
    total = sum(len(c.get("rows", [])) for c in results)
    shorts = {c["case"]: [f"`{row['condition']}` {share(w100(row, 'ours'))}/"
                          f"{goal(row, c, goals):.3f}"
                          for row in c.get("rows", []) if is_short(row, c)] for c in results}
    n = sum(len(v) for v in shorts.values())
    out.append(f"Short of goal in {n} of {total} runs" + (" (ours/goal):" if n else "."))
    out += [f"- {case}: {', '.join(v)}" for case, v in shorts.items() if v]
    for c in results:
        if c.get("error"):
            out += ["", f"**{c['case']}: the sweep did not finish: {c['error']}**"]
    return "\n".join(out)


def report(results: list[dict], goals: dict[str, float], command: str, sweep_shown: str,
           plot_name: str | None) -> str:
    """The markdown of the robustness section."""
    lines = ["## Robustness: degraded recordings, side by side with plain aeneas", ""]
    lines += [
        summary(results, goals),
        "",
        f"Command: `{command}` (`make bench` runs it after `benchmarks.run`)  ",
        f"Sweep: `{sweep_shown}`  ",
        f"Machine: {run.machine()}  ",
        f"Date: {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC; {run.versions()}",
        "",
        "Each clean case is degraded by the team's sweep (noise of four kinds at the SNR "
        "named, reverberation, an 8 kHz phone line as a 16 kbit/s MP3, speech sped up or "
        "slowed down, a file 30 dB too quiet) and aligned by *ours* (`transcript-player "
        "align`, handed `transcript.txt` as a user would upload it) and by plain *aeneas* "
        "(defaults, handed the true sentences one per line, its best case). `w100` is the "
        "share of sentence starts within 100 ms (a start in the pause before its sentence "
        "counts as exact); p90 the 90th-percentile error; *ours unaligned* the sentences "
        "ours marked `aligned: false` though every sentence of these cases is said (the "
        "player shows them as not found; the score still takes the start ours gave them); "
        "wall the aligner's elapsed time. The goal is the sweep's `GOALS` figure or "
        "aeneas's in the same run, whichever is higher; **short** marks a condition ours "
        "falls short of it. The noise is seeded by the condition's name, so a rerun "
        "degrades alike; Piper's voice differs slightly from one case build to the next. "
        "The two aligners run one after the other on each condition on a machine shared "
        "with other work: compare their wall times within a row, not across runs.",
    ]
    if plot_name:
        lines += ["", f"![within_100ms against SNR, ours and aeneas, per noise kind]"
                      f"({plot_name})", "",
                  "Left: seed-clean; right: the worst of the voice cases for each point "
                  "(which case it was differs from point to point). Solid: ours; dashed: "
                  "aeneas. A failed run counts as 0."]
    for r in results:
        lines += ["", f"### {r['case']}: {r['description']}", ""]
        if r.get("duration") is not None:
            lines += [f"{run.fmt_duration(r['duration'])}, {r['sentences']} sentences; "
                      f"sweep {run.fmt_secs(r.get('wall'))}.", ""]
        lines.append(case_table(r, goals))
        missing = [c for c in r.get("conditions", [])
                   if c not in {row["condition"] for row in r.get("rows", [])}]
        if r.get("error"):
            lines += ["", f"- The sweep did not finish: {r['error']}"]
        if missing:
            lines += ["", f"- Not run: {', '.join(f'`{c}`' for c in missing)}"]
    return "\n".join(lines) + "\n"


# ---- the plot ---------------------------------------------------------------------

COLOURS = {"pink": "#d6277f", "white": "#6b6b6b", "babble": "#1f6fb4", "music": "#e08a00"}
STYLES = {"ours": "-", "aeneas": "--"}
MARKERS = {"ours": "o", "aeneas": "s"}


def panels(results: list[dict]) -> list[tuple[str, list[dict]]]:
    """(title, rows) of each panel: seed-clean, then the worst over the other cases."""
    out = []
    main_ = [r for r in results if r["case"] == SEED_CASE]
    rest = [r for r in results if r["case"] != SEED_CASE]
    if main_:
        out.append((SEED_CASE, main_[0].get("rows", [])))
    if rest:
        names = ", ".join(r["case"] for r in rest)
        title = (f"worst of the voice cases\n({names})" if len(rest) > 1 else rest[0]["case"])
        out.append((title, worst_rows(rest)))
    return [(t, rows) for t, rows in out if curves(rows)]


def figure(results: list[dict]) -> Figure | None:
    """Within_100ms against SNR, a panel per `panels`: a line per noise kind and tool
    (its gid "KIND/TOOL"), ours solid, aeneas dashed. None when no noise condition ran."""
    import matplotlib

    matplotlib.use("Agg")  # no display here; the file is the product
    from matplotlib.figure import Figure  # noqa: F811 (the real one, at run time)
    from matplotlib.lines import Line2D

    ps = panels(results)
    if not ps:
        return None
    fig = Figure(figsize=(5.6 * len(ps), 4.6))
    axes = fig.subplots(1, len(ps), sharey=True, squeeze=False)
    for ax, (title, rows) in zip(axes[0], ps, strict=True):
        cs = curves(rows)
        snrs = sorted({s for pts in cs.values() for s, _ in pts})
        for kind in NOISES:
            for tool in TOOLS:
                pts = cs.get((kind, tool))
                if not pts:
                    continue
                ax.plot([s for s, _ in pts], [v for _, v in pts], STYLES[tool],
                        color=COLOURS[kind], marker=MARKERS[tool], markersize=5,
                        markerfacecolor=COLOURS[kind] if tool == "ours" else "white",
                        linewidth=2 if tool == "ours" else 1.4, gid=f"{kind}/{tool}")
        ax.set_title(title, fontsize=11)
        ax.set_xlabel("SNR (dB)")
        ax.set_xticks(snrs)
        ax.set_ylim(-0.02, 1.03)
        ax.grid(True, alpha=0.3)
    axes[0][0].set_ylabel("within_100ms (share of sentence starts)")
    handles = [Line2D([], [], color=COLOURS[k], linewidth=2, label=k) for k in NOISES]
    handles += [Line2D([], [], color="black", linestyle=STYLES[t], marker=MARKERS[t],
                       markerfacecolor="black" if t == "ours" else "white",
                       label="ours" if t == "ours" else "aeneas (true sentences)")
                for t in TOOLS]
    fig.legend(handles=handles, loc="lower center", ncol=len(handles), frameon=False,
               fontsize=9)
    fig.suptitle("Sentence starts within 100 ms against noise", fontsize=12)
    fig.tight_layout(rect=(0, 0.07, 1, 1))
    return fig


def plot(results: list[dict], path: str | os.PathLike[str]) -> Path | None:
    """Write `figure(results)` as PNG to `path`; None (and no file) when there is none."""
    fig = figure(results)
    if fig is None:
        return None
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, dpi=110)
    return out


# ---- command line -----------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """The options (see the module docstring)."""
    ap = argparse.ArgumentParser(prog="python -m benchmarks.robustness", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cases", nargs="+", metavar="CASE",
                    choices=[*corpus.CASES, *voice_cases.CASES],
                    help="clean cases to degrade (default: " + " ".join(CASES) + ")")
    ap.add_argument("--out", default="bench-out",
                    help="where the cases are kept and sweep.json written (default: bench-out)")
    ap.add_argument("--conditions", nargs="+", metavar="COND",
                    help="conditions (default: the sweep's defaults and " + " ".join(EXTRA) + ")")
    ap.add_argument("--voice-conditions", nargs="+", metavar="COND",
                    help="conditions for the cases other than seed-clean (default: as "
                         "--conditions)")
    ap.add_argument("--sweep", help=f"the sweep script (default: ${SWEEP_ENV}, else "
                                    "../shared/bench/sweep.py beside the project)")
    ap.add_argument("--timeout", type=float, default=3600,
                    help="kill a case's sweep after this many seconds (default 3600; 0: never)")
    ap.add_argument("--doc", default=str(doc.DOC),
                    help="the markdown file whose robustness section is rewritten")
    ap.add_argument("--plot", default=str(PLOT),
                    help="where the PNG goes (default docs/sweep.png; with --no-doc, "
                         "OUT/sweep.png)")
    ap.add_argument("--no-doc", action="store_true",
                    help="print the tables; leave docs/ alone")
    return ap.parse_args(argv)


def _shown(p: Path) -> str:
    """A path as seen from the project folder when it is near it."""
    try:
        return os.path.relpath(p, ROOT) if Path.cwd().resolve() == ROOT else str(p)
    except ValueError:
        return str(p)


def main(argv: list[str] | None = None) -> int:
    """Run the sweep on each case; 0 when every sweep ran to its end and every aligner
    in it produced a result (falling short of a goal is reported, not an error)."""
    args = parse_args(argv)
    sweep = sweep_path(args.sweep)
    goals, default = sweep_settings(sweep)
    conds = args.conditions or grouped([*default, *EXTRA])
    voice_conds = args.voice_conditions or conds
    tp = transcript_player()
    outdir = Path(args.out).resolve()
    outdir.mkdir(parents=True, exist_ok=True)
    command = shlex.join([run._python_shown(), "-m", "benchmarks.robustness",
                          *(sys.argv[1:] if argv is None else argv)])
    results: list[dict] = []
    for case in args.cases or CASES:
        d = ensure_case(case, outdir)
        truth = json.loads((d / "truth.json").read_text(encoding="utf-8"))
        cc = conds if case == SEED_CASE else voice_conds
        print(f"[{case}] sweep of {len(cc)} conditions: {shlex.join(cc)}", flush=True)
        res, info = run_sweep(sweep, d, tp, cc, d / "sweep.log", args.timeout or None,
                              echo=f"[{case}] ")
        result = {"case": case, "description": describe(case),
                  "duration": truth.get("duration"), "sentences": len(truth["sentences"]),
                  "conditions": cc, "rows": res.rows,
                  "short": {k: list(v) for k, v in res.short.items()},
                  "short_line": res.short_line, **info}
        if info.get("error"):
            print(f"[{case}] {info['error']}", file=sys.stderr, flush=True)
        results.append(result)
        with open(outdir / "sweep.json", "w", encoding="utf-8") as f:
            json.dump({"command": command, "sweep": str(sweep), "goals": goals,
                       "results": results}, f, indent=1)
    plot_path = outdir / "sweep.png" if args.no_doc else Path(args.plot)
    drawn = plot(results, plot_path)
    doc_dir = Path(args.doc).resolve().parent
    plot_name = (os.path.relpath(drawn.resolve(), doc_dir) if drawn and not args.no_doc
                 else None)
    md = report(results, goals, command, _shown(sweep), plot_name)
    print()
    print(md)
    if drawn:
        print(f"plot written to {drawn}")
    if not args.no_doc:
        doc.update_section(SECTION, md, args.doc)
        print(f"written to the {SECTION} section of {args.doc}")
    bad = [f"{r['case']}: {r['error']}" for r in results if r.get("error")]
    bad += [f"{r['case']} {row['condition']} {tool}" for r in results
            for row in r["rows"] for tool in TOOLS if not isinstance(row.get(tool), dict)]
    if bad:
        print("failed: " + "; ".join(bad), file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
