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
and sounds) are built by `benchmarks.extra_cases` from the texts in `benchmarks.texts`.

`synthesize_reading` is the reusable part: the web app's demo reads the seed with it.

Needs the Debian packages flite, festival, festvox-us-slt-hts, sox and ffmpeg.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import wave
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path
from typing import Any

import numpy as np

RATE = 16000
PROJECT_ROOT = Path(__file__).resolve().parent.parent
SEED_TEXT = PROJECT_ROOT / "tests" / "data" / "nato-russia-press-2001-10-03.txt"

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

Voice = tuple[str, str]  # (engine, voice): ("flite", "awb"), ("festival", "voice_..."),
#                           ("piper", "joe"); "NAME@1.2" reads 1.2 times as slowly

#: the press conference's speakers and their voices (one voice per speaker)
VOICES: dict[str, Voice] = {
    "robertson": ("flite", "awb"),
    "interpreter": ("flite", "rms"),
    "moderator": ("flite", "kal16"),
    "journalist1": ("flite", "slt"),
    "journalist2": ("festival", "voice_cmu_us_slt_arctic_hts"),
}

Sentences = Sequence[tuple[str, str]]  # (speaker, text)


# ---- texts -----------------------------------------------------------------


def seed_turns(path: str | os.PathLike[str] = SEED_TEXT) -> tuple[str, list[tuple[str, str]]]:
    """The seed's raw text and its spoken turns as (speaker, paragraph), in order.

    Lines that are metadata, speaker labels or page furniture are not spoken.
    """
    raw = Path(path).read_text(encoding="utf-8")
    lines = [line.strip() for line in raw.splitlines()]
    start = lines.index("Ladies and Gentlemen,")
    unspoken = {"President Putin (interpreter)", "President Putin", "Secretary General",
                "Go to Homepage Go to Index"}
    speaker = "robertson"
    turns: list[tuple[str, str]] = []
    for line in lines[start:]:
        if not line:
            continue
        if line in unspoken:
            if line.startswith("President Putin"):
                speaker = "interpreter"
            elif line == "Secretary General":
                speaker = "robertson"
            continue
        if line in ("One question please.", "Final question please."):
            turns.append(("moderator", line))
            continue
        if line.startswith("I have a question for") or line.startswith("This morning the American"):
            turns.append(("journalist1", line))
            if line.startswith("This morning"):
                speaker = "interpreter"  # the answer that follows has no label
            continue
        if line.startswith("Mr President in your recent") or line.startswith("Second part:"):
            turns.append(("journalist2", line))
            continue
        turns.append((speaker, line))
    return raw, turns


def split_sentences(paragraph: str) -> list[str]:
    """Split a paragraph into sentences the way the seed cases' truth is cut.

    Frozen on purpose: this is not the project's splitter (`alignment.transcript`), and
    must not follow it, so that the seed cases' truth stays put while the splitter being
    measured changes. (tests/benchmarks checks that the project's reader still cuts the
    seed's transcripts into these sentences.)
    """
    parts = re.split(r'(?<=[.?!:])\s+(?=["A-Z])', paragraph.strip())
    out: list[str] = []
    for p in parts:
        p = p.strip()
        if not p:
            continue
        # "Second part:" style lead-ins stay with what follows
        if out and (out[-1].endswith(":") and len(out[-1]) < 20):
            out[-1] = out[-1] + " " + p
        else:
            out.append(p)
    return out


def seed_sentences(path: str | os.PathLike[str] = SEED_TEXT) -> tuple[str, list[tuple[str, str]]]:
    """The seed's raw text and its spoken sentences as (speaker, sentence)."""
    raw, turns = seed_turns(path)
    return raw, [(spk, s) for spk, para in turns for s in split_sentences(para)]


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


# ---- audio -----------------------------------------------------------------


def read_wav(path: str | os.PathLike[str]) -> np.ndarray:
    """A WAV file as mono float32 in [-1, 1] at 16 kHz (sox resamples other rates)."""
    with wave.open(str(path)) as w:
        n, ch, rate = w.getnframes(), w.getnchannels(), w.getframerate()
        x = np.frombuffer(w.readframes(n), dtype=np.int16).astype(np.float32) / 32768.0
    if ch > 1:
        x = x.reshape(-1, ch).mean(axis=1)
    if rate != RATE:  # resampled by sox into a temporary folder, removed afterwards
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "16k.wav")
            subprocess.run(["sox", "-R", str(path), "-r", str(RATE), "-c", "1", out],
                           check=True)
            return read_wav(out)
    return x


class WavWriter:
    """A 16 kHz mono int16 WAV written piece by piece (a 4-hour file never sits in memory)."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = str(path)
        self.samples = 0
        self._w = wave.open(self.path, "wb")
        self._w.setnchannels(1)
        self._w.setsampwidth(2)
        self._w.setframerate(RATE)

    def write(self, x: np.ndarray) -> None:
        """Append float samples in [-1, 1] (clipped)."""
        self._w.writeframes((np.clip(x, -1, 1) * 32767).astype(np.int16).tobytes())
        self.samples += len(x)

    def close(self) -> None:
        """Finish the header and close the file."""
        self._w.close()

    def __enter__(self) -> WavWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def write_wav(path: str | os.PathLike[str], x: np.ndarray) -> None:
    """Write float samples in [-1, 1] as a 16 kHz mono int16 WAV."""
    with WavWriter(path) as w:
        w.write(x)


def speech_power(x: np.ndarray) -> float:
    """Mean power of the samples louder than 0.01 (the speech)."""
    return float((x[np.abs(x) > 0.01] ** 2).mean())


def add_noise(x: np.ndarray, snr_db: float, rng: np.random.Generator,
              white: bool = False) -> np.ndarray:
    """Add pinkish noise (leaky-integrated white noise; white noise with `white`) at
    `snr_db` to speech `x`."""
    n = rng.standard_normal(len(x)).astype(np.float32)
    k = 0.98
    if white:
        b = n
    else:
        b = np.fromiter(accumulate(n, lambda a, v: k * a + v), dtype=np.float32, count=len(n))
    b -= b.mean()
    # back to float32, the type the power had when computed here (float32 -> float ->
    # float32 is exact), so the noise's scale, and the built audio, stay bit for bit
    speech_pow = np.float32(speech_power(x))
    noise_pow = (b ** 2).mean()
    b *= np.sqrt(speech_pow / (noise_pow * 10 ** (snr_db / 10)))
    y = x + b
    return y / max(1.0, np.abs(y).max())


# ---- synthesis -------------------------------------------------------------


@functools.cache
def available_voices() -> tuple[Voice, ...]:
    """The voices of `VOICES` (then other flite voices) installed on this machine, in order.

    Never eSpeak: aeneas synthesises with it, and would simply recognise its own voice.
    """
    flite: list[str] = []
    if shutil.which("flite"):
        out = subprocess.run(["flite", "-lv"], capture_output=True, text=True).stdout
        flite = out.split(":", 1)[-1].split()
    festival_ok = bool(shutil.which("text2wave"))
    found: list[Voice] = []
    for engine, voice in VOICES.values():
        if engine == "flite" and voice in flite:
            found.append((engine, voice))
        elif engine == "festival" and festival_ok and _festival_has(voice):
            found.append((engine, voice))
    for voice in flite:  # the rest, 8 kHz "kal" and the talking clock "awb_time" excepted
        if voice not in ("kal", "awb_time") and ("flite", voice) not in found:
            found.append(("flite", voice))
    return tuple(found)


def _festival_has(voice: str) -> bool:
    name = voice.removeprefix("voice_")
    return any(Path(root).glob(f"*/{name}") for root in
               ("/usr/share/festival/voices", "/usr/local/share/festival/voices"))


def _synthesise(text: str, voice: Voice, workdir: str) -> np.ndarray:
    """Say `text` with `voice`; the speech trimmed of leading and trailing silence.

    A voice name may end in "@F" to be spoken F times as slowly ("awb@1.25" is a quarter
    slower, "@0.8" faster): flite's duration_stretch, festival's Duration_Stretch, piper's
    length_scale. The engine "piper" is a neural voice (`benchmarks.piper_voice`).
    """
    engine, name = voice
    name, _, pace = name.partition("@")
    stretch = float(pace) if pace else None
    with tempfile.TemporaryDirectory(dir=workdir) as tmp:
        out = os.path.join(tmp, "s.wav")
        if engine == "flite":
            setf = ["--setf", f"duration_stretch={stretch}"] if stretch else []
            subprocess.run(["flite", "-voice", name, *setf, "-t", text, "-o", out], check=True)
        elif engine == "festival":
            slow = ["-eval", f"(Parameter.set 'Duration_Stretch {stretch})"] if stretch else []
            subprocess.run(["text2wave", "-eval", f"({name})", *slow, "-o", out],
                           input=text.encode("latin-1", "replace"), check=True,
                           stdout=subprocess.DEVNULL)
        elif engine == "piper":
            from benchmarks import piper_voice  # needs the optional "bench" packages

            piper_voice.say(text, name, out, stretch or 1.0)
        else:
            raise ValueError(f"unknown TTS engine {engine!r} (use flite, festival or piper)")
        x = read_wav(out)
    # trim to speech: 10 ms frames above 2% of peak energy
    f = RATE // 100
    frames = x[: len(x) // f * f].reshape(-1, f)
    if not len(frames):
        return x
    e = np.sqrt((frames ** 2).mean(axis=1))
    on = np.nonzero(e > 0.02 * e.max())[0]
    if not len(on):
        return x
    return x[on[0] * f: (on[-1] + 1) * f]


class Synthesizer:
    """Synthesises sentences, optionally caching each (voice, text) on disk.

    TTS is deterministic, so a cached sentence is the very samples a new synthesis would
    give (stored as the int16 the engine wrote): the output is identical with or without
    the cache, only faster when a text is read again by the same voice.
    """

    def __init__(self, workdir: str, cache_dir: str | os.PathLike[str] | None = None) -> None:
        self.workdir = workdir
        self.cache_dir = Path(cache_dir) if cache_dir else None
        if self.cache_dir:
            self.cache_dir.mkdir(parents=True, exist_ok=True)

    def _cache_path(self, text: str, voice: Voice) -> Path | None:
        if not self.cache_dir:
            return None
        key = hashlib.sha1("\x00".join((*voice, text)).encode("utf-8")).hexdigest()
        return self.cache_dir / f"{key}.npy"

    def __call__(self, text: str, voice: Voice) -> np.ndarray:
        """The trimmed speech of `text` said by `voice`, float32 at 16 kHz."""
        path = self._cache_path(text, voice)
        if path and path.exists():
            return np.load(path).astype(np.float32) / 32768.0
        x = _synthesise(text, voice, self.workdir)
        if path:
            q = np.round(x * 32768.0).astype(np.int16)  # exact: x came from int16
            tmp = path.with_suffix(".tmp.npy")
            np.save(tmp, q)
            os.replace(tmp, path)
        return x

    def prefetch(self, items: Iterable[tuple[str, Voice]], jobs: int | None = None) -> None:
        """Fill the cache for (text, voice) items in parallel (no-op without a cache)."""
        if not self.cache_dir:
            return
        todo = list(dict.fromkeys(items))
        jobs = jobs or os.cpu_count() or 1
        with ThreadPoolExecutor(max_workers=jobs) as pool:
            for _ in pool.map(lambda it: self(*it), todo):
                pass


def lay_out(
    sentences: Sentences,
    voices: dict[str, Voice],
    rng: np.random.Generator,
    synth: Callable[[str, Voice], np.ndarray],
    sink: Callable[[np.ndarray], object],
    gap_in: tuple[float, float] = (0.25, 0.6),
    gap_turn: tuple[float, float] = (0.8, 1.5),
    *,
    gaps: Sequence[float] | None = None,
    before: Callable[[int], np.ndarray | None] | None = None,
    lead: float = 1.0,
    tail: float = 1.0,
) -> tuple[list[dict], int]:
    """Lay the sentences on a timeline, handing each piece of audio to `sink`.

    One second of silence (`lead`, `tail`) opens and closes the reading; between sentences
    a pause drawn from `gap_in` (same speaker) or `gap_turn` (a new speaker), or, when
    `gaps` is given, the pause it holds for each sentence (the first one's follows the
    lead); `before(i)` may return a sound (a laugh, say) to play just before sentence i's
    pause. Each sentence at a random level. Returns the truth (speaker, text, begin, end
    in seconds) and the sample count.
    """
    truth: list[dict] = []
    opening = np.zeros(int(RATE * lead), np.float32)
    sink(opening)
    samples = len(opening)
    t = len(opening) / RATE
    prev = None
    for i, (spk, text) in enumerate(sentences):
        sound = before(i) if before else None
        if sound is not None and len(sound):
            sink(sound)
            samples += len(sound)
            t += len(sound) / RATE
        if gaps is not None or i:
            if gaps is not None:
                g = gaps[i]
            else:
                lo, hi = gap_turn if spk != prev else gap_in
                g = rng.uniform(lo, hi)
            sink(np.zeros(int(RATE * g), np.float32))
            samples += int(RATE * g)
            t += int(RATE * g) / RATE
        x = synth(text, voices[spk])
        x = x / max(1e-6, np.abs(x).max()) * rng.uniform(0.5, 0.9)
        truth.append({"speaker": spk, "text": text, "begin": round(t, 4),
                      "end": round(t + len(x) / RATE, 4)})
        sink(x)
        samples += len(x)
        t += len(x) / RATE
        prev = spk
    closing = np.zeros(int(RATE * tail), np.float32)
    sink(closing)
    return truth, samples + len(closing)


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


def assign_voices(speakers: Iterable[str], voices: dict[str, Voice] | None = None
                  ) -> dict[str, Voice]:
    """A voice for each speaker: those given, then the installed voices in order of first
    appearance (voices already given are used last; they repeat when speakers outnumber them).

    Raises RuntimeError when a speaker needs a voice and none is installed.
    """
    out = dict(voices or {})
    needed = list(dict.fromkeys(spk for spk in speakers if spk not in out))
    if not needed:
        return out
    pool = [v for v in available_voices() if v not in out.values()]
    pool += [v for v in available_voices() if v not in pool]
    if not pool:
        raise RuntimeError("no flite or festival voice installed "
                           "(apt-get install flite festival festvox-us-slt-hts)")
    for k, spk in enumerate(needed):
        out[spk] = pool[k % len(pool)]
    return out


def synthesize_reading(
    turns: list[tuple[str, str]],
    out_wav: str,
    voices: dict[str, tuple[str, str]] | None = None,
    rng: np.random.Generator | None = None,
) -> list[dict]:
    """Read (speaker, sentence) pairs aloud into a 16 kHz mono WAV; return the truth.

    One flite/festival voice per speaker: `voices` maps speaker -> (engine, voice), e.g.
    ``{"host": ("flite", "awb"), "guest": ("festival", "voice_cmu_us_slt_arctic_hts")}``;
    speakers it leaves out (all, when it is None) get the installed voices in order of
    first appearance. Sentences are separated by 0.25-0.6 s pauses (0.8-1.5 s when the
    speaker changes), and the file opens and closes with one second of silence. `rng`
    (default: seeded with 0, so a reading is reproducible) draws pauses and levels.

    Returns one dict per sentence: speaker, text, begin, end (seconds from the start).
    """
    rng = rng if rng is not None else np.random.default_rng(0)
    voices = assign_voices((spk for spk, _ in turns), voices)
    for spk, text in turns:
        if not text.strip():
            raise ValueError(f"empty sentence for speaker {spk!r}")
    Path(out_wav).resolve().parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as work, WavWriter(out_wav) as w:
        synth = Synthesizer(work)
        truth, _ = lay_out(turns, voices, rng, synth, w.write)
    return truth


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
