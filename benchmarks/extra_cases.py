"""The generality cases: other texts, transcript conventions and sounds than the seed's.

    podcast           HOST:/GUEST: inline labels, [laughter] and [00:01:10] marks; a laugh
    lecture-white10   one voice, short pauses, white noise at 10 dB SNR
    interview-gap     Q:/A: labels, one sentence never said, ~15 s of unscripted talk
    vtt-meeting       the transcript is a WebVTT file; four voices
    podcast-fast-mp3  the podcast at 1.3 times the speed (ffmpeg atempo), 64 kbit/s MP3
    news-jingle-bed   tone jingles before and after, a sine chord under the speech, and
                      title lines (title, episode, byline) never said

`benchmarks.corpus` lists them in its case table and builds them with `BUILDERS` (each
takes the corpus's synthesiser and a job count and returns a `Built`). The transcripts
are in `benchmarks/texts/generality.toml`. Unlike the seed cases, the truth is cut with
the project's own splitter (`read_transcript(raw).sentences`), so true and aligned
sentences are the same units; sentences it marks uncertain (a title, a byline) and the
ones a case leaves out are not said, and are listed as `unspoken`. Unscripted talk and
the laughs are not in `sentences` (the laughs' times are under `noises`), so, as for
seed-gap, a start put in them counts as in the pause before the next sentence. Each case
draws from its own seeded generator, so a build is reproducible; `benchmarks.run` builds
a kept case again when the splitter now cuts its transcript differently
(`split_changed`).

The sped-up podcast's truth is the podcast's divided by 1.3; ffmpeg's atempo smears each
onset about 20 ms earlier than that (ends are not moved), a bias the scores' pause rule
absorbs but `median_onset_err` shows.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from alignment.transcript import read_transcript
from benchmarks.corpus import (
    RATE,
    Mp3,
    Synthesizer,
    Voice,
    build,
    case_rng,
)
from benchmarks.texts import generality as texts
from testsupport.noise import add_noise, speech_power

HTS: Voice = ("festival", "voice_cmu_us_slt_arctic_hts")


def flite(name: str) -> Voice:
    """A flite voice."""
    return ("flite", name)


@dataclass
class Built:
    """A built case, before it is written: the audio (16 kHz float) and its truth, the
    transcript as the user uploads it, extra truth.json fields and how the audio is saved."""

    audio: np.ndarray
    truth: list[dict]
    transcript: str
    meta: dict = field(default_factory=dict)
    transcript_name: str = "transcript.txt"
    mp3: Mp3 | None = None


@dataclass
class Plan:
    """What is said, in order: (speaker, text), the pause before each, which of them are
    unscripted (indices), and the transcript sentences never said."""

    said: list[tuple[str, str]]
    gaps: list[float]
    unscripted: set[int]
    unspoken: list[str]


def plan_reading(
    raw: str,
    rng: np.random.Generator,
    gap_in: tuple[float, float] = (0.25, 0.6),
    gap_turn: tuple[float, float] = (0.8, 1.5),
    gap_para: tuple[float, float] | None = None,
    skip: Collection[str] = (),
    asides: Mapping[str, Sequence[tuple[str, str]]] | None = None,
) -> Plan:
    """Plan the reading of a transcript from the project's own sentence split.

    Pauses: `gap_turn` when the speaker changes, `gap_para` (if given) at a new
    paragraph, 0.08-0.15 s where a sentence was split at a comma ("Good morning, | and
    ..."), else `gap_in`. Sentences the reader marks uncertain and those in `skip` are not
    said; `asides` maps a sentence to unscripted (speaker, text) said after it.
    Unlabelled sentences are the "narrator"'s.
    """
    script = read_transcript(raw)
    asides = asides or {}
    texts_ = {s.text for s in script.sentences}
    missing = (set(skip) | set(asides)) - texts_
    if missing:
        raise ValueError(f"not sentences of the transcript: {sorted(missing)}")
    plan = Plan([], [], set(), [])
    prev: tuple[str, int, str] | None = None  # speaker, paragraph, text
    for i, s in enumerate(script.sentences):
        if i in script.uncertain or s.text in skip:
            plan.unspoken.append(s.text)
            continue
        spk = s.speaker or "narrator"
        if prev is None:
            gap = 0.0
        elif spk != prev[0]:
            gap = rng.uniform(*gap_turn)
        elif gap_para and s.paragraph != prev[1]:
            gap = rng.uniform(*gap_para)
        elif prev[2].endswith(",") and s.text[:1].islower():
            gap = rng.uniform(0.08, 0.15)
        else:
            gap = rng.uniform(*gap_in)
        plan.said.append((spk, s.text))
        plan.gaps.append(gap)
        prev = (spk, s.paragraph, s.text)
        for a_spk, a_text in asides.get(s.text, ()):
            gap = rng.uniform(*gap_turn) if a_spk != prev[0] else rng.uniform(*gap_in)
            plan.unscripted.add(len(plan.said))
            plan.said.append((a_spk, a_text))
            plan.gaps.append(gap)
            prev = (a_spk, s.paragraph, a_text)
    return plan


def read_plan(plan: Plan, voices: dict[str, Voice], rng: np.random.Generator,
              synth: Synthesizer, jobs: int | None, gaps: Sequence[float] | None = None,
              before: Callable[[int], np.ndarray | None] | None = None,
              lead: float = 1.0, tail: float = 1.0) -> tuple[np.ndarray, list[dict]]:
    """Synthesise a plan (`corpus.build`); the audio and the truth of its scripted sentences."""
    synth.prefetch(((text, voices[spk]) for spk, text in plan.said), jobs)
    x, truth = build(plan.said, rng, synth, voices, gaps=plan.gaps if gaps is None else gaps,
                     before=before, lead=lead, tail=tail)
    return x, [t for i, t in enumerate(truth) if i not in plan.unscripted]


def scale_times(items: list[dict], factor: float, offset: float = 0.0) -> list[dict]:
    """Times (begin, end) multiplied by `factor`, then moved by `offset` seconds, in place."""
    for it in items:
        it["begin"] = round(it["begin"] * factor + offset, 4)
        it["end"] = round(it["end"] * factor + offset, 4)
    return items


def split_changed(case_dir: str | os.PathLike[str]) -> bool:
    """Whether a built case's truth no longer has the sentences the project's splitter
    now cuts its transcript into (true sentences and the never-said ones, together).

    The truth is cut with `read_transcript` when the case is built; after a change to the
    splitter, a kept case would score sentences the aligner no longer reports as misses,
    so it must be built again.
    """
    d = Path(case_dir)
    truth = json.loads((d / "truth.json").read_text(encoding="utf-8"))
    transcript = (d / truth.get("transcript", "transcript.txt")).read_text(encoding="utf-8")
    now = sorted(s.text for s in read_transcript(transcript).sentences)
    then = sorted([s["text"] for s in truth["sentences"]] + truth.get("unspoken", []))
    return now != then


# ---- sounds ------------------------------------------------------------------


def laugh(rng: np.random.Generator, seconds: float = 0.9) -> np.ndarray:
    """A laugh-like sound: bursts of smoothed noise under a pulsing envelope."""
    n = int(RATE * seconds)
    env = np.abs(np.sin(np.linspace(0, 5 * np.pi, n))) ** 2
    noise = rng.standard_normal(n).astype(np.float32)
    noise = np.convolve(noise, np.ones(8) / 8, mode="same")
    return (noise * env * 0.25).astype(np.float32)


def tone(freqs: Sequence[float], seconds: float, amp: float, harmonics: int = 3) -> np.ndarray:
    """Sines at `freqs` with their first harmonics (falling as 1/k)."""
    tt = np.arange(int(RATE * seconds)) / RATE
    y = sum(amp / (h + 1) * np.sin(2 * np.pi * f * (h + 1) * tt)
            for f in freqs for h in range(harmonics))
    return np.asarray(y, dtype=np.float32)


def jingle(seconds: float, amp: float = 0.25) -> np.ndarray:
    """A music-like jingle: arpeggiated notes with decaying envelopes over a soft pad,
    faded in and out."""
    notes = [261.6, 329.6, 392.0, 523.3, 440.0, 349.2, 293.7, 392.0]
    out = tone([130.8, 196.0], seconds, amp * 0.3)
    step = 0.25
    for k in range(int(seconds / step)):
        f = notes[k % len(notes)] * (2 if (k // 16) % 2 else 1)
        note = tone([f], 0.6, amp, harmonics=4)
        note *= np.exp(-np.arange(len(note)) / (RATE * 0.15)).astype(np.float32)
        a = int(k * step * RATE)
        b = min(len(out), a + len(note))
        out[a:b] += note[: b - a]
    fade = np.ones(len(out), np.float32)
    n_out, n_in = int(RATE * 1.5), int(RATE * 0.3)
    fade[-n_out:] = np.linspace(1, 0, n_out)
    fade[:n_in] = np.linspace(0, 1, n_in)
    return out * fade


def music_bed(n: int, level_db: float, speech_power: float) -> np.ndarray:
    """`n` samples of a sustained, slowly swelling A-minor chord at `level_db` relative to
    `speech_power`. (Its level is set here, not by `testsupport.noise.mix`, which rounds
    differently in the last bit: news-jingle-bed stays the file it was.)"""
    tt = np.arange(n) / RATE
    y = np.zeros(n, np.float32)
    for f in (220.0, 261.6, 329.6, 440.0):
        y += np.sin(2 * np.pi * f * tt) + 0.4 * np.sin(2 * np.pi * 2 * f * tt)
    y *= (0.75 + 0.25 * np.sin(2 * np.pi * 0.1 * tt)).astype(np.float32)
    y *= np.sqrt(speech_power * 10 ** (level_db / 10) / (y ** 2).mean())
    return y.astype(np.float32)


# ---- the cases -----------------------------------------------------------------


def _podcast(synth: Synthesizer, jobs: int | None, tempo: float = 1.0) -> Built:
    rng = case_rng("podcast")  # the same reading for podcast and podcast-fast-mp3
    voices = {"HOST": flite("awb"), "GUEST": HTS}
    plan = plan_reading(texts.PODCAST, rng)
    laughs = {i for i, (_, text) in enumerate(plan.said) if text in texts.PODCAST_LAUGHS}
    gaps = [max(g, 0.3) if i in laughs else g for i, g in enumerate(plan.gaps)]

    def before(i: int) -> np.ndarray | None:  # a quarter second, then the laugh
        if i not in laughs:
            return None
        return np.concatenate([np.zeros(int(RATE * 0.25), np.float32), laugh(rng)])

    x, truth = read_plan(plan, voices, rng, synth, jobs, gaps=gaps, before=before)
    # each laugh ends where the pause before its sentence begins
    noises = []
    for i in sorted(laughs):
        t = next(t for t in truth if t["text"] == plan.said[i][1])
        end = t["begin"] - int(RATE * gaps[i]) / RATE
        noises.append({"what": "laughter", "begin": round(end - 0.9, 4), "end": round(end, 4)})
    meta = {"noises": noises, "degradation": "inline labels, [laughter] and timestamp marks "
            "in the transcript; two laugh-like noise bursts"}
    mp3 = None
    if tempo != 1.0:
        scale_times(truth, 1 / tempo)
        scale_times(noises, 1 / tempo)
        mp3 = Mp3("64k", tempo=tempo)
        meta["degradation"] += f"; played {tempo} times as fast (atempo), 64 kbit/s MP3"
    return Built(x, truth, texts.PODCAST, meta, mp3=mp3)


def _podcast_fast_mp3(synth: Synthesizer, jobs: int | None) -> Built:
    return _podcast(synth, jobs, tempo=1.3)


def _lecture_white10(synth: Synthesizer, jobs: int | None) -> Built:
    rng = case_rng("lecture-white10")
    plan = plan_reading(texts.LECTURE, rng, gap_in=(0.15, 0.3), gap_para=(0.3, 0.6))
    x, truth = read_plan(plan, {"narrator": flite("kal16")}, rng, synth, jobs)
    x = add_noise(x, 10.0, rng, white=True)
    return Built(x, truth, texts.LECTURE,
                 {"degradation": "white noise 10 dB SNR, 0.15-0.3 s pauses"})


def _interview_gap(synth: Synthesizer, jobs: int | None) -> Built:
    rng = case_rng("interview-gap")
    plan = plan_reading(texts.INTERVIEW, rng, skip={texts.INTERVIEW_UNSPOKEN},
                        asides={texts.INTERVIEW_ASIDE_AFTER: texts.INTERVIEW_ASIDE})
    x, truth = read_plan(plan, {"Q": flite("slt"), "A": flite("rms")}, rng, synth, jobs)
    return Built(x, truth, texts.INTERVIEW, {
        "degradation": "one transcript sentence never said; unscripted talk in the audio",
        "unspoken": plan.unspoken,
        "unscripted": [plan.said[i][1] for i in sorted(plan.unscripted)]})


def _vtt_meeting(synth: Synthesizer, jobs: int | None) -> Built:
    rng = case_rng("vtt-meeting")
    voices = {"Priya": HTS, "Marcus": flite("awb"), "Elena": flite("slt"), "Tom": flite("rms")}
    plan = plan_reading(texts.VTT, rng, gap_in=(0.2, 0.5), gap_turn=(0.3, 0.9))
    x, truth = read_plan(plan, voices, rng, synth, jobs)
    return Built(x, truth, texts.VTT,
                 {"degradation": "WebVTT transcript with rough cue times; short turn pauses"},
                 transcript_name="transcript.vtt")


def _news_jingle_bed(synth: Synthesizer, jobs: int | None) -> Built:
    rng = case_rng("news-jingle-bed")
    plan = plan_reading(texts.NEWS, rng, gap_in=(0.3, 0.6), gap_para=(0.8, 1.2))
    x, truth = read_plan(plan, {"narrator": flite("kal16")}, rng, synth, jobs,
                         lead=0.5, tail=0.5)
    x = x + music_bed(len(x), -20.0, speech_power(x))
    intro, outro = jingle(20.0), jingle(8.0)
    x = np.concatenate([intro, x, outro])
    x = x / max(1.0, np.abs(x).max())
    scale_times(truth, 1.0, len(intro) / RATE)
    return Built(x, truth, texts.NEWS, {
        "degradation": "20 s jingle before and 8 s after the speech, a chord 20 dB under it; "
                       "title lines never said",
        "unspoken": plan.unspoken})


#: case name -> builder (`corpus.CASES` describes them)
BUILDERS: dict[str, Callable[[Synthesizer, int | None], Built]] = {
    "podcast": _podcast,
    "lecture-white10": _lecture_white10,
    "interview-gap": _interview_gap,
    "vtt-meeting": _vtt_meeting,
    "podcast-fast-mp3": _podcast_fast_mp3,
    "news-jingle-bed": _news_jingle_bed,
}
