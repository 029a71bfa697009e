"""Mismatch cases: recordings and transcripts that disagree, ours beside plain aeneas.

    python -m benchmarks.mismatch [--out bench-out] [--cases CASE ...] [--ours EXE]
                                  [--timeout SECONDS] [--rebuild] [--build-only]
                                  [--report-only] [--doc docs/benchmarks.md] [--no-doc]

    interp-simultaneous  a lecture (texts.LECTURE) by an English interpreter, the Italian
                         original (festival's Italian voice) running under the English
                         6-10 dB down, starting 1.2-1.8 s before each chunk of 2-3 sentences
    interp-german        a radio interview (texts.KEEPER): the guest speaks German (eSpeak-ng
                         de), his interpreter's English follows each chunk of up to three
                         sentences (consecutive interpretation); the transcript is English
    podcast-ads          two hosts; a jingle opens the show; a 45-60 s advertisement read by
                         a third voice (not in the transcript) between two jingles in the
                         middle; an editor's note, a sponsor line and the show notes are in
                         the transcript and never said
    missing-paragraphs   a lecture (texts.GEODESY) whose speaker talks three unscripted
                         paragraphs (the exam, a memory, a question), spread over the
                         recording, that the transcript does not hold
    dateline-record      a council's verbatim record: a dateline, a byline and a title at the
                         top are never said; roll-call answers ("Present."), votes ("Aye."),
                         "Thanks." and spoken item titles ("Item II.") are

Each case is built (with `benchmarks.extra_cases.plan_reading` and the corpus's voices:
flite, festival, the neural Piper voice; eSpeak only for the German, which must not be
aligned) into OUT/mismatch/CASE/ unless it is there: `audio.wav`, `transcript.txt` (as a
user would upload it) and `truth.json` with `sentences` (speaker, text, begin, end in
seconds, the sentences that ARE said), `unsaid` (transcript sentences not in the audio;
also under `unspoken`, the corpus's name for them), `untranscribed` ([{begin, end}]: speech
not in the transcript) and `music` (the jingles).

Then each case is aligned by ours (``transcript-player align AUDIO transcript.txt``; `--ours`
names another installation's executable, e.g. /work/main/.venv/bin/transcript-player) and
by plain aeneas handed the true sentences one per line (`benchmarks.run`'s commands), and
scored (`testsupport.score`). Beside the usual scores: *strict* within 100 ms, where the
pause before a sentence ends no earlier than the untranscribed speech in it (the usual
rule lets a start laid on the foreign speech before an interpreted sentence count as
exact); the unsaid sentences ours marks `aligned: false`; and how well ours's top-level
`untranscribed` list covers the truth's (share of the truth's untranscribed seconds it
covers; share of its seconds that are untranscribed speech or music). The table goes to
the `mismatch` section of docs/benchmarks.md, the rows to OUT/mismatch/rows.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shlex
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

import numpy as np

from benchmarks import corpus, doc, extra_cases, run
from benchmarks.corpus import RATE, Synthesizer, Voice, case_rng, split_sentences
from benchmarks.extra_cases import Built, Plan, flite, jingle, plan_reading, read_plan
from benchmarks.texts import generality as texts
from benchmarks.texts import mismatch as mt
from testsupport.noise import speech_power
from testsupport.score import match, pred_from_dict, score, silence_error

SECTION = "mismatch"
SUBDIR = "mismatch"
SENTENCES = "sentences.txt"
HTS: Voice = ("festival", "voice_cmu_us_slt_arctic_hts")
KED: Voice = ("festival", "voice_ked_diphone")
KAL: Voice = ("festival", "voice_kal_diphone")
NEURAL: Voice = ("piper", "joe")
ITALIAN: Voice = ("festival", "voice_pc_diphone")
GERMAN: Voice = ("espeak", "de")
#: untranscribed pieces shorter than this (foreign speech in a pause between two
#: interpreted sentences) are left out of the truth
MIN_STRETCH = 0.5

CASES: dict[str, str] = {
    "interp-simultaneous": "simultaneous interpretation: a lecture's English with the Italian "
    "original 6-10 dB under it, starting 1.2-1.8 s before each chunk",
    "interp-german": "consecutive interpretation: an interview whose guest speaks German "
    "before his interpreter's English; transcript English only",
    "podcast-ads": "two hosts; opening jingle; a 45-60 s advertisement by a third voice "
    "between jingles; editor's note, sponsor line and show notes never said",
    "missing-paragraphs": "a lecture with three unscripted paragraphs, spread out, that the "
    "transcript lacks",
    "dateline-record": "a council's verbatim record: dateline, byline and title never said; "
    "'Present.', 'Aye.', 'Thanks.' and 'Item II.' said",
}


# ---- pure helpers: intervals and scores ----------------------------------------------


def merge(intervals: Iterable[tuple[float, float]]) -> list[tuple[float, float]]:
    """Intervals (begin, end) sorted and merged where they overlap or touch; empty ones
    dropped."""
    out: list[tuple[float, float]] = []
    for a, b in sorted((float(a), float(b)) for a, b in intervals if b > a):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def total(intervals: Iterable[tuple[float, float]]) -> float:
    """Seconds covered by the intervals (overlaps counted once)."""
    return sum(b - a for a, b in merge(intervals))


def overlap(x: Iterable[tuple[float, float]], y: Iterable[tuple[float, float]]) -> float:
    """Seconds covered by both sets of intervals."""
    xs, ys = merge(x), merge(y)
    out, j = 0.0, 0
    for a, b in xs:
        while j < len(ys) and ys[j][1] <= a:
            j += 1
        k = j
        while k < len(ys) and ys[k][0] < b:
            out += min(b, ys[k][1]) - max(a, ys[k][0])
            k += 1
    return out


def subtract(x: Iterable[tuple[float, float]], y: Iterable[tuple[float, float]],
             min_len: float = 0.0) -> list[tuple[float, float]]:
    """The parts of intervals x outside intervals y, those shorter than `min_len` dropped."""
    ys = merge(y)
    out: list[tuple[float, float]] = []
    for a, b in merge(x):
        for c, d in ys:
            if d <= a or c >= b:
                continue
            if c > a:
                out.append((a, c))
            a = max(a, d)
        if b > a:
            out.append((a, b))
    return [(a, b) for a, b in out if b - a >= min_len]


def spans(items: Iterable[dict]) -> list[tuple[float, float]]:
    """[{begin, end}] as (begin, end) pairs."""
    return [(float(u["begin"]), float(u["end"])) for u in items]


def coverage(truth: dict, pred: dict) -> dict:
    """How the prediction's top-level `untranscribed` list meets the truth's.

    covered: share of the truth's untranscribed seconds it covers (None when the truth has
    none); precision: share of its seconds that are untranscribed speech or music in the
    truth (None when it reports none); reported: its seconds; on_said: its seconds that
    overlap sentences that are said.
    """
    want = spans(truth.get("untranscribed", []))
    other = spans(truth.get("music", []))
    got = spans(pred.get("untranscribed", []))
    said = spans(truth["sentences"])
    want_s, got_s = total(want), total(got)
    return {
        "truth": round(want_s, 2),
        "reported": round(got_s, 2),
        "covered": round(overlap(want, got) / want_s, 3) if want_s else None,
        "precision": round(overlap(want + other, got) / got_s, 3) if got_s else None,
        "on_said": round(overlap(said, got), 2),
    }


def pause_starts(truth: dict) -> list[float]:
    """Where the pause before each true sentence begins when untranscribed speech counts as
    speech: the end of the previous sentence, or of untranscribed speech after it."""
    sents = truth["sentences"]
    other = merge(spans(truth.get("untranscribed", [])))
    out = []
    for i, s in enumerate(sents):
        lo = sents[i - 1]["end"] if i else 0.0
        for a, b in other:
            if a < s["begin"] and b > lo:
                lo = max(lo, min(b, s["begin"]))
        out.append(lo)
    return out


def strict_within(truth: dict, pred: Iterable[tuple[float, str]], tol: float = 0.1) -> float | None:
    """Share of true sentences whose predicted start is within `tol` of the pause before
    it, the pause ending at untranscribed speech (`pause_starts`); else as
    `testsupport.score` (matching by words, misses counted)."""
    sents = truth["sentences"]
    if not sents:
        return None
    los = pause_starts(truth)
    good = 0
    for i, b in match(truth, pred):
        good += silence_error(los[i], sents[i]["begin"], b) <= tol
    return round(good / len(sents), 3)


def unsaid_check(truth: dict, pred: dict) -> dict:
    """The unsaid sentences in the prediction: how many (found), how many it marks
    `aligned: false` (marked) and how many it places as said (false_said); and the said
    sentences it marks `aligned: false` (said_marked, of said)."""
    c = run.unspoken_check({"unspoken": truth.get("unsaid", []),
                            "sentences": truth["sentences"]}, pred)
    return {"unsaid": c["unspoken"], "found": c["found"], "marked": c["marked_unaligned"],
            "false_said": c["found"] - c["marked_unaligned"], "said": c["spoken"],
            "said_marked": c["spoken_marked_unaligned"]}


def tool_scores(truth: dict, pred: dict | None) -> dict | None:
    """A tool's scores on a case (None when it gave no result)."""
    if pred is None:
        return None
    p = pred_from_dict(pred)
    s = score(truth, p)
    return {"w100": s["within_100ms"], "strict_w100": strict_within(truth, p),
            "median": s["median_err"], "p90": s["p90_err"], "max": s["max_err"]}


# ---- building ------------------------------------------------------------------------


def stretches(truth: list[dict], indices: Iterable[int]) -> list[dict]:
    """[{begin, end}] of each run of consecutive sentence indices (from the first's begin
    to the last's end)."""
    out: list[dict] = []
    prev = None
    for i in sorted(indices):
        if prev is not None and i == prev + 1:
            out[-1]["end"] = truth[i]["end"]
        else:
            out.append({"begin": truth[i]["begin"], "end": truth[i]["end"]})
        prev = i
    return out


def as_dicts(intervals: Iterable[tuple[float, float]]) -> list[dict]:
    """(begin, end) pairs as [{begin, end}], rounded to 0.1 ms."""
    return [{"begin": round(a, 4), "end": round(b, 4)} for a, b in intervals]


def read_all(plan: Plan, voices: dict[str, Voice], rng: np.random.Generator,
             synth: Synthesizer, jobs: int | None, **layout) -> tuple[np.ndarray, list[dict]]:
    """Synthesise a plan, its unscripted sentences too; the audio and the truth of every
    sentence said (`extra_cases.read_plan`)."""
    everything = Plan(plan.said, plan.gaps, set(), plan.unspoken)
    return read_plan(everything, voices, rng, synth, jobs, **layout)


def level(x: np.ndarray, power: float) -> np.ndarray:
    """`x` scaled to speech power `power`."""
    return (x * np.sqrt(power / max(1e-12, speech_power(x)))).astype(np.float32)


def foreign_block(synth: Synthesizer, voice: Voice, lines: Sequence[str], start: int,
                  want: float, rng: np.random.Generator) -> tuple[np.ndarray, int]:
    """Foreign sentences from `lines` (cycled, from index `start`), 0.25-0.55 s apart, at
    least one, until about `want` seconds are said; the audio (peak 0.55-0.85) and the
    next index."""
    pieces: list[np.ndarray] = []
    said, k = 0.0, start
    while not pieces or said < want:
        x = synth(lines[k % len(lines)], voice)
        k += 1
        if pieces:
            gap = np.zeros(int(RATE * rng.uniform(0.25, 0.55)), np.float32)
            pieces.append(gap)
            said += len(gap) / RATE
        pieces.append(x / max(1e-6, float(np.abs(x).max())) * rng.uniform(0.55, 0.85))
        said += len(x) / RATE
    return np.concatenate(pieces).astype(np.float32), k


def chunks(said: Sequence[tuple[str, str]], rng: np.random.Generator, who: str | None = None,
           sizes: tuple[int, int] = (2, 3)) -> list[list[int]]:
    """Runs of consecutive sentences of one speaker (of `who` only, when given) cut into
    chunks of `sizes` sentences (drawn), the indices of each."""
    out: list[list[int]] = []
    i = 0
    while i < len(said):
        spk = said[i][0]
        j = i
        while j < len(said) and said[j][0] == spk:
            j += 1
        if who is None or spk == who:
            k = i
            while k < j:
                n = int(rng.integers(sizes[0], sizes[1] + 1))
                out.append(list(range(k, min(j, k + n))))
                k += n
        i = j
    return out


def _interp_simultaneous(synth: Synthesizer, jobs: int | None) -> Built:
    rng = case_rng("interp-simultaneous")
    plan = plan_reading(texts.LECTURE, rng, gap_in=(0.25, 0.6))
    groups = chunks(plan.said, rng)
    firsts = {g[0] for g in groups}
    # room before each chunk for the original's head start
    gaps = [rng.uniform(2.2, 3.0) if i in firsts and i else g for i, g in enumerate(plan.gaps)]
    voices = {"narrator": flite("awb")}
    x, truth = read_plan(plan, voices, rng, synth, jobs, gaps=gaps, lead=3.0)
    english = speech_power(x)
    synth.prefetch(((line, ITALIAN) for line in mt.ITALIAN), jobs)
    original: list[tuple[float, float]] = []
    k = 0
    for n, g in enumerate(groups):
        lag = rng.uniform(1.2, 1.8)
        a = truth[g[0]]["begin"] - lag
        want = (truth[g[-1]]["end"] - truth[g[0]]["begin"]) * rng.uniform(0.8, 1.0)
        block, k = foreign_block(synth, ITALIAN, mt.ITALIAN, k, want, rng)
        # the original stops before the next chunk's original begins
        limit = (truth[groups[n + 1][0]]["begin"] - 1.8 - 0.3) if n + 1 < len(groups) \
            else len(x) / RATE - 0.5
        block = block[: max(0, int((limit - a) * RATE))]
        fade = min(len(block), int(0.05 * RATE))
        if fade:
            block[-fade:] *= np.linspace(1, 0, fade, dtype=np.float32)
        block = level(block, english * 10 ** (-rng.uniform(6.0, 10.0) / 10))
        s = int(round(a * RATE))
        x[s: s + len(block)] += block[: len(x) - s]
        original.append((s / RATE, (s + len(block)) / RATE))
    x = x / max(1.0, float(np.abs(x).max()) / 0.99)
    untranscribed = subtract(original, spans(truth), MIN_STRETCH)
    return Built(x, truth, texts.LECTURE, {
        "degradation": CASES["interp-simultaneous"],
        "original": as_dicts(original), "untranscribed": as_dicts(untranscribed),
        "unsaid": plan.unspoken, "unspoken": plan.unspoken})


def _interp_german(synth: Synthesizer, jobs: int | None) -> Built:
    rng = case_rng("interp-german")
    host, guest = "Sarah Mitchell", "Walter Graham"
    voices = {host: NEURAL, guest: KED}
    plan = plan_reading(texts.KEEPER, rng, gap_in=(0.25, 0.6), gap_turn=(0.6, 1.2))
    synth.prefetch(((text, voices[spk]) for spk, text in plan.said), jobs)
    synth.prefetch(((line, GERMAN) for line in mt.GERMAN), jobs)
    blocks: dict[int, np.ndarray] = {}
    pre: dict[int, int] = {}
    k = 0
    for g in chunks(plan.said, rng, who=guest, sizes=(1, 3)):
        english = sum(len(synth(plan.said[i][1], voices[guest])) for i in g) / RATE
        block, k = foreign_block(synth, GERMAN, mt.GERMAN, k, english * rng.uniform(0.9, 1.2),
                                 rng)
        pre[g[0]] = int(RATE * rng.uniform(0.3, 0.7))  # after the previous sentence's pause
        blocks[g[0]] = np.concatenate([np.zeros(pre[g[0]], np.float32), block])
    # the interpreter starts 0.4-0.8 s after the guest stops
    gaps = [rng.uniform(0.4, 0.8) if i in blocks else g for i, g in enumerate(plan.gaps)]
    x, truth = read_plan(plan, voices, rng, synth, jobs, gaps=gaps, before=blocks.get)
    german = []
    for i, block in blocks.items():
        end = truth[i]["begin"] - int(RATE * gaps[i]) / RATE
        german.append((end - (len(block) - pre[i]) / RATE, end))
    return Built(x, truth, texts.KEEPER, {
        "degradation": CASES["interp-german"], "untranscribed": as_dicts(merge(german)),
        "unsaid": plan.unspoken, "unspoken": plan.unspoken})


def _podcast_ads(synth: Synthesizer, jobs: int | None) -> Built:
    rng = case_rng("podcast-ads")
    voices = {"ALEX": flite("rms"), "JORDAN": HTS, "AD": NEURAL}
    plan = plan_reading(mt.PODCAST, rng, skip=set(mt.PODCAST_UNSAID),
                        asides={mt.PODCAST_AD_AFTER: [("AD", s) for s in mt.AD]})
    ad = sorted(plan.unscripted)
    jingles = {0: jingle(8.0), ad[0]: jingle(4.0), ad[-1] + 1: jingle(4.0)}
    silence = np.zeros(int(RATE * 0.4), np.float32)  # between a sentence and a jingle
    sounds = {i: np.concatenate([silence, j]) for i, j in jingles.items()}
    gaps = [max(g, rng.uniform(0.5, 0.9)) if i in sounds else g
            for i, g in enumerate(plan.gaps)]
    x, full = read_all(plan, voices, rng, synth, jobs, gaps=gaps, before=sounds.get)
    music = []
    for i, sound in jingles.items():
        end = full[i]["begin"] - int(RATE * gaps[i]) / RATE
        music.append((end - len(sound) / RATE, end))
    truth = [t for i, t in enumerate(full) if i not in plan.unscripted]
    return Built(x, truth, mt.PODCAST, {
        "degradation": CASES["podcast-ads"], "untranscribed": stretches(full, ad),
        "music": as_dicts(sorted(music)), "unsaid": plan.unspoken, "unspoken": plan.unspoken,
        "unscripted": [plan.said[i][1] for i in ad]})


def _missing_paragraphs(synth: Synthesizer, jobs: int | None) -> Built:
    rng = case_rng("missing-paragraphs")
    asides = {after: [("narrator", s) for s in split_sentences(p)]
              for after, p in mt.GEODESY_ASIDES}
    plan = plan_reading(texts.GEODESY, rng, gap_in=(0.2, 0.5), gap_para=(0.7, 1.2),
                        asides=asides)
    # a paragraph's pause before and after each unscripted paragraph
    edges = {i for i in plan.unscripted if i - 1 not in plan.unscripted}
    edges |= {i + 1 for i in plan.unscripted if i + 1 not in plan.unscripted}
    gaps = [rng.uniform(0.7, 1.2) if i in edges else g for i, g in enumerate(plan.gaps)]
    x, full = read_all(plan, {"narrator": KAL}, rng, synth, jobs, gaps=gaps)
    truth = [t for i, t in enumerate(full) if i not in plan.unscripted]
    return Built(x, truth, texts.GEODESY, {
        "degradation": CASES["missing-paragraphs"],
        "untranscribed": stretches(full, plan.unscripted),
        "unsaid": plan.unspoken, "unspoken": plan.unspoken,
        "unscripted": [plan.said[i][1] for i in sorted(plan.unscripted)]})


def _dateline_record(synth: Synthesizer, jobs: int | None) -> Built:
    rng = case_rng("dateline-record")
    voices = {"MAYOR": HTS, "CLERK": flite("slt"), "ABBOTT": flite("awb"), "BRENNAN": KED,
              "CASTILLO": flite("rms")}
    plan = plan_reading(mt.RECORD, rng, gap_in=(0.2, 0.5), gap_turn=(0.3, 1.0))
    x, truth = read_plan(plan, voices, rng, synth, jobs)
    return Built(x, truth, mt.RECORD, {
        "degradation": CASES["dateline-record"], "untranscribed": [],
        "unsaid": plan.unspoken, "unspoken": plan.unspoken})


#: case name -> builder (each takes the corpus's synthesiser and a job count)
BUILDERS: dict[str, Callable[[Synthesizer, int | None], Built]] = {
    "interp-simultaneous": _interp_simultaneous,
    "interp-german": _interp_german,
    "podcast-ads": _podcast_ads,
    "missing-paragraphs": _missing_paragraphs,
    "dateline-record": _dateline_record,
}


def make(name: str, outdir: Path, jobs: int | None = 1, keep_cache: bool = True) -> dict:
    """Build case `name` into OUTDIR/NAME; its truth.json content. The syntheses are kept
    in NAME/synth-cache/ (unless not `keep_cache`), so a rebuild is quick."""
    d = corpus.new_case_dir(outdir, name)
    with tempfile.TemporaryDirectory() as work:
        built = BUILDERS[name](Synthesizer(work, d / "synth-cache"), jobs)
    return corpus.write_case(d, {"case": name, **built.meta}, built.truth, built.transcript,
                             built.audio, keep_cache=keep_cache)


def ensure_case(name: str, outdir: Path, rebuild: bool = False) -> Path:
    """OUTDIR/NAME, built unless it is there (and still split as the transcript reader
    splits it now)."""
    d = outdir / name
    if not rebuild and corpus.case_audio(d) and not extra_cases.split_changed(d):
        return d
    print(f"[{name}] building ...", flush=True)
    t0 = time.monotonic()
    meta = make(name, outdir)
    print(f"[{name}] built in {time.monotonic() - t0:.0f} s: {meta['duration']:.0f} s, "
          f"{len(meta['sentences'])} sentences said, {len(meta['unsaid'])} unsaid, "
          f"{total(spans(meta['untranscribed'])):.1f} s untranscribed", flush=True)
    return d


# ---- aligning and scoring ------------------------------------------------------------


def evaluate(truth: dict, ours: dict | None, aeneas: dict | None) -> dict:
    """A case's row from the two predictions (None: the tool failed)."""
    row: dict = {"duration": truth["duration"], "sentences": len(truth["sentences"]),
                 "unsaid": len(truth.get("unsaid", [])),
                 "untranscribed": round(total(spans(truth.get("untranscribed", []))), 2),
                 "ours": tool_scores(truth, ours), "aeneas": tool_scores(truth, aeneas)}
    if ours is not None:
        row["unsaid_check"] = unsaid_check(truth, ours)
        row["coverage"] = coverage(truth, ours)
        row["warnings"] = list(ours.get("warnings", []))
    return row


def ours_commit(exe: str | None) -> str:
    """", commit X" of the checkout an executable in CHECKOUT/.venv/bin/ belongs to, or
    nothing when it is not one."""
    if not exe:
        return ""
    root = Path(exe).resolve().parent.parent.parent
    try:
        out = subprocess.run(["git", "-C", str(root), "rev-parse", "--short", "HEAD"],
                             capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return ""
    return f", commit {out.stdout.strip()}" if out.returncode == 0 and out.stdout.strip() else ""


def ours_command(exe: str | None, audio: Path, transcript: Path, out: Path) -> list[str]:
    """`benchmarks.run`'s command for ours, or the same with the executable `exe`."""
    cmd = run.ours_command(audio, transcript, out)
    return [exe, *cmd[1:]] if exe else cmd


def run_case(name: str, outdir: Path, exe: str | None, timeout: float | None,
             rebuild: bool = False) -> dict:
    """Build (if needed), align with both tools, score; the row."""
    d = ensure_case(name, outdir, rebuild)
    truth = json.loads((d / "truth.json").read_text(encoding="utf-8"))
    audio, transcript = corpus.case_audio(d), corpus.case_transcript(d)
    assert audio is not None and transcript is not None
    (d / SENTENCES).write_text("\n".join(s["text"] for s in truth["sentences"]) + "\n",
                               encoding="utf-8")
    commands = {"ours": ours_command(exe, audio, transcript, d / "ours.json"),
                "aeneas": run.aeneas_command(audio, d / SENTENCES, d / "aeneas.json")}
    preds: dict[str, dict | None] = {}
    walls: dict[str, float] = {}
    for tool, cmd in commands.items():
        print(f"[{name}] {tool}: {shlex.join(cmd)}", flush=True)
        res, preds[tool] = run.run_tool(tool, cmd, d / f"{tool}.json", d / f"{tool}.log",
                                        timeout)
        walls[tool] = res["wall"]
        if preds[tool] is None:
            print(f"[{name}] {tool} FAILED: {res.get('error')}", file=sys.stderr, flush=True)
    row = {"case": name, "description": CASES[name],
           **evaluate(truth, preds["ours"], preds["aeneas"])}
    for tool, wall in walls.items():
        if row[tool] is not None:
            row[tool]["wall"] = wall
    print(f"[{name}] {progress(row)}", flush=True)
    return row


# ---- the report ----------------------------------------------------------------------


def pair(row: dict, key: str, fmt: str) -> str:
    """"ours / aeneas" of one score."""
    def one(tool: str) -> str:
        s = row.get(tool)
        return "failed" if s is None else ("–" if s.get(key) is None else fmt.format(s[key]))
    return f"{one('ours')} / {one('aeneas')}"


def share(x: float | None) -> str:
    """A share as 0.000, or a dash."""
    return "–" if x is None else f"{x:.3f}"


def row_cells(row: dict) -> list[str]:
    """A row of the table."""
    u, c = row.get("unsaid_check"), row.get("coverage")
    return [
        row["case"], run.fmt_duration(row["duration"]),
        pair(row, "w100", "{:.3f}"), pair(row, "strict_w100", "{:.3f}"),
        pair(row, "median", "{:.3f} s"), pair(row, "p90", "{:.3f} s"),
        f"{u['marked']} of {u['unsaid']}" if u else "–",
        f"{u['false_said']}" if u else "–",
        f"{u['said_marked']} of {u['said']}" if u else "–",
        f"{share(c['covered'])} of {c['truth']:.1f} s" if c and c["truth"] else "–",
        f"{share(c['precision'])} of {c['reported']:.1f} s" if c and c["reported"] else
        ("none reported" if c else "–"),
    ]


def progress(row: dict) -> str:
    """A row in one line."""
    return "; ".join(f"{h}: {v}" for h, v in zip(HEAD[2:], row_cells(row)[2:], strict=True))


HEAD = ["case", "length", "w100 ours / aeneas", "strict w100 ours / aeneas",
        "median ours / aeneas", "p90 ours / aeneas", "unsaid marked unaligned",
        "unsaid placed as said", "said marked unaligned", "untranscribed covered",
        "reported that is untranscribed"]


def table(rows: list[dict]) -> str:
    """The markdown table."""
    lines = ["| " + " | ".join(HEAD) + " |", "|" + "---|" * len(HEAD)]
    lines += ["| " + " | ".join(row_cells(r)) + " |" for r in rows]
    return "\n".join(lines)


def behind(rows: list[dict]) -> list[str]:
    """The cases where ours is below aeneas within 100 ms, plain or strict (a failure of
    ours counts as below), as "case (plain ours < aeneas)"."""
    out = []
    for r in rows:
        a = r["aeneas"]
        if a is None:
            continue
        o = r["ours"]
        bad = [k for k in ("w100", "strict_w100") if o is None or o[k] < a[k]]
        if bad:
            got = "failed" if o is None else " and ".join(
                f"{'strict ' if k != 'w100' else ''}{o[k]:.3f} < {a[k]:.3f}" for k in bad)
            out.append(f"{r['case']} ({got})")
    return out


def summary(rows: list[dict]) -> str:
    """The line above the table."""
    late = behind(rows)
    warned = [r["case"] for r in rows if r.get("untranscribed") and not r.get("warnings")
              and r["ours"] is not None]
    out = (f"**Ours behind plain aeneas in {len(late)} of {len(rows)} cases"
           + (": " + "; ".join(late) if late else "") + ".**")
    if warned:
        out += (" No warning from ours although the recording holds untranscribed speech: "
                + ", ".join(warned) + ".")
    return out


def report(rows: list[dict], command: str, exe: str | None = None) -> str:
    """The markdown of the section (`exe`: ours's executable when not this environment's)."""
    ours_shown = exe or ours_command(None, Path("A"), Path("T"), Path("O"))[0]
    lines = [
        "## Mismatch cases: transcript and recording disagree", "", summary(rows), "",
        f"Command: `{command}`  ",
        f"Machine: {run.machine()}  ",
        f"Date: {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC; {run.versions()}; "
        f"ours: `{ours_shown}`{ours_commit(exe)}",
        "",
        "Recordings whose transcript does not match them, synthesised with known timings "
        "(`benchmarks/mismatch.py`, texts in `benchmarks/texts/mismatch.toml` and "
        "`benchmarks/texts/generality.toml`): speech in another language, advertisements, "
        "unscripted talk, transcript lines never said, short spoken lines. *ours* is "
        "`transcript-player align` handed the transcript as a user would upload it; *aeneas* is "
        "plain aeneas with its defaults handed only the true sentences, one per line (so the "
        "unsaid columns do not apply to it). `w100`, median and p90 are `testsupport/score.py`'s "
        "(a start anywhere in the pause before its sentence has error 0); *strict w100* ends that "
        "pause where untranscribed speech in it ends, so a start laid on the foreign speech "
        "before an interpreted sentence is an error. *Unsaid marked unaligned*: transcript "
        "sentences not in the recording that ours marks `aligned: false`; *unsaid placed as "
        "said*: the rest of them; *said marked unaligned*: sentences said but marked `aligned: "
        "false`. *Untranscribed covered*: the share of the truth's untranscribed speech (seconds) "
        "inside ours's top-level `untranscribed` list; *reported that is untranscribed*: the "
        "share of that list's seconds that are untranscribed speech or a jingle in the truth. "
        "Untranscribed pieces shorter than 0.5 s (the original under a pause of the interpreter) "
        "are not in the truth.", "",
    ]
    for r in rows:
        lines.append(f"- {r['case']}: {r['description']}; {run.fmt_duration(r['duration'])}, "
                     f"{r['sentences']} sentences said, {r['unsaid']} unsaid, "
                     f"{r['untranscribed']:.1f} s of untranscribed speech.")
    lines += ["", table(rows), "", "Ours's warnings:", ""]
    for r in rows:
        w = r.get("warnings")
        lines.append(f"- {r['case']}: " + ("; ".join(w) if w else
                                           "none" if w is not None else "no result"))
    return "\n".join(lines) + "\n"


# ---- command line --------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """The options (see the module docstring)."""
    ap = argparse.ArgumentParser(prog="python -m benchmarks.mismatch", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default="bench-out",
                    help="cases and rows go to OUT/mismatch/ (default: bench-out)")
    ap.add_argument("--cases", nargs="+", metavar="CASE",
                    help="cases (default: all): " + ", ".join(CASES))
    ap.add_argument("--ours", metavar="EXE",
                    help="the transcript-player executable to align with (default: this "
                         "environment's)")
    ap.add_argument("--timeout", type=float, default=1800,
                    help="kill an aligner after this many seconds (default 1800; 0: never)")
    ap.add_argument("--rebuild", action="store_true", help="build the cases again")
    ap.add_argument("--build-only", action="store_true", help="build the cases; align none")
    ap.add_argument("--report-only", action="store_true",
                    help="write the report of the last run (OUT/mismatch/rows.json) again")
    ap.add_argument("--doc", default=str(doc.DOC),
                    help="the markdown file whose mismatch section is rewritten")
    ap.add_argument("--no-doc", action="store_true", help="print the table only")
    args = ap.parse_args(argv)
    args.cases = [c for item in args.cases or [] for c in item.split(",") if c] or list(CASES)
    unknown = [c for c in args.cases if c not in CASES]
    if unknown:
        ap.error(f"unknown case(s) {', '.join(unknown)}; cases: {', '.join(CASES)}")
    return args


def main(argv: list[str] | None = None) -> int:
    """Run the mismatch cases; 0 when both aligners gave a result on every case."""
    args = parse_args(argv)
    outdir = Path(args.out).resolve() / SUBDIR
    outdir.mkdir(parents=True, exist_ok=True)
    if args.build_only:
        for name in args.cases:
            ensure_case(name, outdir, args.rebuild)
        return 0
    command = shlex.join([run._python_shown(), "-m", "benchmarks.mismatch",
                          *(sys.argv[1:] if argv is None else argv)])
    if args.report_only:
        last = json.loads((outdir / "rows.json").read_text(encoding="utf-8"))
        command, rows, exe = last["command"], last["rows"], last.get("ours")
        words = shlex.split(command)
        if exe is None and "--ours" in words[:-1]:
            exe = words[words.index("--ours") + 1]
    else:
        rows, exe = [], args.ours
        for name in args.cases:
            rows.append(run_case(name, outdir, exe, args.timeout or None, args.rebuild))
            (outdir / "rows.json").write_text(json.dumps(
                {"command": command, "ours": exe, "rows": rows}, indent=1), encoding="utf-8")
    md = report(rows, command, exe)
    print()
    print(md)
    if not args.no_doc:
        doc.update_section(SECTION, md, args.doc)
        print(f"written to the {SECTION} section of {args.doc}")
    failed = [f"{r['case']} {t}" for r in rows for t in ("ours", "aeneas") if r[t] is None]
    if failed:
        print("failed: " + "; ".join(failed), file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
