"""Build alignment test cases whose sentence timings are known exactly.

Each sentence is synthesised on its own by a TTS engine that is NOT eSpeak (flite's
voices, festival's HTS voice; aeneas synthesises with eSpeak, so it must not simply
recognise its own voice), trimmed to its speech, and laid on a timeline with pauses of
varied length. The timeline is the ground truth. Degradations (noise, a lossy codec,
unscripted speech, transcript lines never said) make the cases harder.

    python -m benchmarks.corpus OUTDIR [CASE ...]      (all cases when none is named)

writes OUTDIR/CASE/{audio.wav | audio.mp3, transcript.txt | transcript.vtt, truth.json}.
`truth.json` holds `sentences` (speaker, text, begin, end in seconds), `duration` and,
where a case has them, `unspoken` (transcript sentences never said) and `unscripted`
(said, not in the transcript).

The seed cases' definitions and random seeds are those of the original corpus builder,
so the figures are comparable with earlier measurements; `long4h` is new (four hours).
The generality cases (podcast ... news-jingle-bed: other texts, transcript conventions
and sounds) are built by `benchmarks.extra_cases` from the texts in
`benchmarks/texts/generality.toml`.

The synthesis itself (voices, the timeline, `synthesize_reading`) is
`alignment.synthetic`'s, which the web app's demo uses too; its names are imported here
for the benchmark modules.

Needs the Debian packages flite, festival, festvox-us-slt-hts, sox and ffmpeg.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from alignment.synthetic import (  # noqa: F401 (imported for the benchmark modules)
    RATE,
    SEED_TEXT,
    VOICES,
    Sentences,
    Synthesizer,
    Voice,
    WavWriter,
    assign_voices,
    available_voices,
    lay_out,
    read_wav,
    seed_sentences,
    seed_turns,
    split_sentences,
    synthesize_reading,
    write_wav,
)
from testsupport.noise import add_noise

PROJECT_ROOT = Path(__file__).resolve().parent.parent

#: case name -> what it tests (the order is the order of a full run)
CASES: dict[str, str] = {
    "seed-clean": "clean speech, transcript = spoken words, one paragraph per turn",
    "seed-noisy": "pink noise at 8 dB SNR, short pauses, 48 kbit/s MP3",
    "seed-raw": "transcript = the page as published (header, speaker labels, footer); "
    "audio opens with two unscripted sentences",
    "seed-gap": "an edited transcript: two paragraphs never said; "
    "five unscripted sentences in the audio",
    "long": "the conference eight times over, voices rotated (about 67 min)",
    "long4h": "the conference 29 times over, voices rotated (about 4 h)",
    # the generality cases (benchmarks/extra_cases.py)
    "podcast": "two voices; HOST:/GUEST: labels inline, [laughter] and [00:01:10] marks in "
    "the text; laugh-like noise bursts in the audio",
    "lecture-white10": "a lecture by one voice, short pauses, white noise at 10 dB SNR",
    "interview-gap": "Q:/A: labels; one transcript sentence never said; about 15 s of "
    "unscripted talk in the audio",
    "vtt-meeting": "the transcript is a WebVTT file (sentences run across cues, rough cue "
    "times); four voices",
    "podcast-fast-mp3": "the podcast played 1.3 times as fast (ffmpeg atempo), 64 kbit/s MP3",
    "news-jingle-bed": "one voice between tone jingles, a sine chord under the speech; the "
    "title lines are never said",
}
LONG_READINGS = {"long": 8, "long4h": 29}



# ---- texts -----------------------------------------------------------------


def clean_transcript(sentences: Sentences) -> str:
    """What a careful user would paste: the spoken words, one paragraph per turn."""
    paras: list[str] = []
    prev = None
    for spk, s in sentences:
        if spk != prev:
            paras.append(s)
        else:
            paras[-1] += " " + s
        prev = spk
    return "\n\n".join(paras) + "\n"


# ---- synthesis -------------------------------------------------------------


def build(
    sentences: Sentences,
    rng: np.random.Generator,
    synth: Callable[[str, Voice], np.ndarray],
    voices: dict[str, Voice] = VOICES,
    gap_in: tuple[float, float] = (0.25, 0.6),
    gap_turn: tuple[float, float] = (0.8, 1.5),
    **layout: Any,
) -> tuple[np.ndarray, list[dict]]:
    """Synthesise a reading into one array (for readings of minutes). Returns audio, truth.

    `layout`: `lay_out`'s keyword options (gaps, before, lead, tail).
    """
    pieces: list[np.ndarray] = []
    truth, _ = lay_out(sentences, voices, rng, synth, pieces.append, gap_in, gap_turn,
                       **layout)
    return np.concatenate(pieces), truth


@dataclass(frozen=True)
class Mp3:
    """A case's audio delivered as MP3: the bitrate, and a tempo (ffmpeg's atempo filter:
    1.3 plays 1.3 times as fast, so every time in the truth is divided by 1.3)."""

    bitrate: str
    tempo: float = 1.0


def encode_mp3(x: np.ndarray, path: str | os.PathLike[str], mp3: Mp3) -> None:
    """Write float samples in [-1, 1] as an MP3 with ffmpeg (through a temporary WAV)."""
    wav = Path(path).with_suffix(".tmp.wav")
    write_wav(wav, x)
    tempo = ["-filter:a", f"atempo={mp3.tempo}"] if mp3.tempo != 1.0 else []
    try:
        subprocess.run(["ffmpeg", "-loglevel", "error", "-y", "-i", str(wav), *tempo,
                        "-b:a", mp3.bitrate, str(path)], check=True)
    finally:
        wav.unlink(missing_ok=True)


# ---- cases -----------------------------------------------------------------


def case_rng(key: str) -> np.random.Generator:
    """The seeded generator of a case (or of a reading shared by cases), named by `key`."""
    return np.random.default_rng(sum(map(ord, key)))


TRANSCRIPT_NAMES = ("transcript.txt", "transcript.vtt")


def case_transcript(case_dir: str | os.PathLike[str]) -> Path | None:
    """The transcript file of a built case (`transcript.txt`, or `.vtt` for a WebVTT one)."""
    d = Path(case_dir)
    for name in TRANSCRIPT_NAMES:
        if (d / name).exists():
            return d / name
    return None


def case_audio(case_dir: str | os.PathLike[str]) -> Path | None:
    """The audio file of a built case, or None when the case is not (completely) built."""
    d = Path(case_dir)
    if not (d / "truth.json").exists() or case_transcript(d) is None:
        return None
    for name in ("audio.wav", "audio.mp3"):
        if (d / name).exists():
            return d / name
    return None


def make(case: str, outdir: str | os.PathLike[str], seed_path: str | os.PathLike[str] = SEED_TEXT,
         keep_cache: bool = False, jobs: int | None = None) -> dict:
    """Build one case into OUTDIR/CASE; returns its truth.json content.

    Written so that an interrupted build leaves no `truth.json` (which marks a finished
    case). Each (voice, text) is synthesised once, in parallel, into `CASE/synth-cache/`,
    which is removed at the end unless `keep_cache`.
    """
    from benchmarks import extra_cases  # it builds on this module's helpers

    if case not in CASES:
        raise ValueError(f"unknown case {case!r}; cases: {', '.join(CASES)}")
    rng = case_rng(case)
    d = new_case_dir(outdir, case)
    raw, sents = seed_sentences(seed_path)
    meta: dict = {"case": case}
    cache = d / "synth-cache"
    x: np.ndarray | None = None
    mp3: Mp3 | None = None
    transcript_name = "transcript.txt"
    with tempfile.TemporaryDirectory() as work:
        synth = Synthesizer(work, cache)
        if case in extra_cases.BUILDERS:
            built = extra_cases.BUILDERS[case](synth, jobs)
            x, truth, transcript = built.audio, built.truth, built.transcript
            transcript_name, mp3 = built.transcript_name, built.mp3
            meta.update(built.meta)
        elif case == "seed-clean":
            synth.prefetch(((s, VOICES[spk]) for spk, s in sents), jobs)
            x, truth = build(sents, rng, synth)
            transcript = clean_transcript(sents)
        elif case == "seed-noisy":
            synth.prefetch(((s, VOICES[spk]) for spk, s in sents), jobs)
            x, truth = build(sents, rng, synth, gap_in=(0.12, 0.35), gap_turn=(0.4, 0.9))
            x = add_noise(x, 8.0, rng)
            transcript = clean_transcript(sents)
            meta["degradation"] = "pink noise 8 dB SNR, short pauses, mp3 48k"
            mp3 = Mp3("48k")
        elif case == "seed-raw":
            # the published page as the transcript; the audio also has unscripted speech
            intro = [("moderator", "Good afternoon."),
                     ("moderator", "The Secretary General and the President will each make "
                      "a short statement and then take two questions.")]
            synth.prefetch(((s, VOICES[spk]) for spk, s in intro + sents), jobs)
            x, truth = build(intro + sents, rng, synth)
            truth = truth[len(intro):]
            transcript = raw
            meta["degradation"] = ("transcript is the raw page (header, labels, footer); "
                                   "audio starts with 2 unscripted sentences")
            meta["unscripted"] = [s for _, s in intro]
        elif case == "seed-gap":
            # an edited transcript: two paragraphs in the text were never said, and the
            # audio holds a stretch of unscripted talk that the text left out
            _, turns = seed_turns(seed_path)
            drop = {turns[3][1], turns[4][1]}
            said = [(spk, s) for spk, p in turns if p not in drop for s in split_sentences(p)]
            aside = [("moderator", s) for s in split_sentences(
                "Before we continue, a note for the press. The buses to the airport leave at "
                "four o'clock from the main entrance. Please collect your badges at the desk "
                "on the ground floor. Interpretation is available on channel two for Russian "
                "and channel three for French. Thank you for your patience.")]
            k = 20
            spoken = said[:k] + aside + said[k:]
            synth.prefetch(((s, VOICES[spk]) for spk, s in spoken), jobs)
            x, truth = build(spoken, rng, synth)
            truth = truth[:k] + truth[k + len(aside):]  # the aside is not in the transcript
            transcript = clean_transcript(sents)
            meta["degradation"] = ("two transcript paragraphs not spoken; "
                                   "5 unscripted sentences in the audio")
            meta["unspoken"] = [s for p in (turns[3][1], turns[4][1]) for s in split_sentences(p)]
            meta["unscripted"] = [s for _, s in aside]
        else:  # long, long4h: the seed read again and again by rotating voices
            readings = LONG_READINGS[case]
            names = list(VOICES)
            rots = [{n: names[(i + r) % len(names)] for i, n in enumerate(names)}
                    for r in range(readings)]
            synth.prefetch(((s, VOICES[rot[spk]]) for rot in rots[: len(names)]
                            for spk, s in sents), jobs)
            truth, offset, part = [], 0.0, d / "audio.wav.part"
            with WavWriter(part) as w:  # one reading in memory at a time
                for rot in rots:
                    xr, tr = build([(rot[spk], s) for spk, s in sents], rng, synth)
                    for t in tr:
                        t["begin"] += offset
                        t["end"] += offset
                    w.write(xr)
                    truth += tr
                    offset += len(xr) / RATE
                    del xr
                samples = w.samples
            os.replace(part, d / "audio.wav")
            transcript = "\n\n".join([clean_transcript(sents)] * readings)
            meta["readings"] = readings
    if x is None:  # written piece by piece above
        return write_case(d, meta, truth, transcript, samples=samples,
                          transcript_name=transcript_name, keep_cache=keep_cache)
    return write_case(d, meta, truth, transcript, x, mp3=mp3,
                      transcript_name=transcript_name, keep_cache=keep_cache)


def new_case_dir(outdir: str | os.PathLike[str], case: str) -> Path:
    """OUTDIR/CASE, made, and emptied of a previous build's truth, transcript and audio
    (so an interrupted build leaves no `truth.json`, which marks a finished case)."""
    d = Path(outdir) / case
    d.mkdir(parents=True, exist_ok=True)
    (d / "truth.json").unlink(missing_ok=True)
    for old in (*TRANSCRIPT_NAMES, "audio.wav", "audio.mp3"):
        (d / old).unlink(missing_ok=True)
    return d


def write_case(
    d: Path,
    meta: dict,
    truth: list[dict],
    transcript: str,
    x: np.ndarray | None = None,
    *,
    samples: int | None = None,
    mp3: Mp3 | None = None,
    transcript_name: str = "transcript.txt",
    keep_cache: bool = False,
) -> dict:
    """Write a built case into `d`: its audio `x` (as `mp3` when given; pass `samples`
    instead when `audio.wav` is written already), the transcript, and last `truth.json`
    (`meta` with audio, duration, sentences = `truth` and transcript added). Removes
    `d/synth-cache` unless `keep_cache`. Returns the truth.json content.
    """
    if x is not None and mp3 is not None:
        encode_mp3(x, d / "audio.mp3", mp3)
        meta["audio"] = "audio.mp3"
    elif x is not None:
        write_wav(d / "audio.wav", x)
        meta["audio"] = "audio.wav"
    else:
        meta["audio"] = "audio.wav"
    samples = len(x) if x is not None else samples
    if samples is None:
        raise ValueError("write_case needs the audio or its sample count")
    meta["duration"] = round(samples / RATE / (mp3.tempo if mp3 else 1.0), 3)
    meta["sentences"] = truth
    meta["transcript"] = transcript_name
    (d / transcript_name).write_text(transcript, encoding="utf-8")
    tmp = d / "truth.json.tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(meta, f, indent=1)
    os.replace(tmp, d / "truth.json")
    if not keep_cache:
        shutil.rmtree(d / "synth-cache", ignore_errors=True)
    return meta


def main(argv: list[str] | None = None) -> int:
    """Command line: `python -m benchmarks.corpus OUTDIR [CASE ...]`."""
    import argparse

    ap = argparse.ArgumentParser(prog="python -m benchmarks.corpus", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("outdir")
    ap.add_argument("cases", nargs="*", metavar="CASE", help=", ".join(CASES))
    ap.add_argument("--seed-text", default=str(SEED_TEXT))
    ap.add_argument("--keep-cache", action="store_true", help="keep CASE/synth-cache/")
    a = ap.parse_args(argv)
    for case in a.cases or list(CASES):
        t0 = time.monotonic()
        meta = make(case, a.outdir, a.seed_text, keep_cache=a.keep_cache)
        print(f"{case}: {meta['duration']} s, {len(meta['sentences'])} sentences, "
              f"built in {time.monotonic() - t0:.0f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
