"""A reading with known timings: sentences synthesised one by one and laid on a timeline.

The web app's demo reads the seed press conference with it, the benchmarks build their
cases with it, and the tests make speech whose every sentence's begin and end are known:
one builder for all three, in the lowest layer they share.

    synthesize_reading([("host", "Hello."), ("guest", "Hi there.")], "reading.wav")
    -> [{"speaker", "text", "begin", "end"}, ...]          (seconds)

Voices are (engine, name) pairs: flite's and festival's voices (the benchmarks' and the
demo's: never eSpeak, which the aligner synthesises with, so it would simply recognise
its own voice), "espeak" (quick, for tests) and "piper", a neural voice
(`alignment.synthetic.piper_voice`, with the optional "bench" packages). A name may end
in "@F" to be spoken F times as slowly.

Needs the Debian packages flite, festival, festvox-us-slt-hts, sox (and espeak-ng for
"espeak" voices).
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
import shutil
import subprocess
import tempfile
import wave
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np

__all__ = [
    "RATE", "SEED_TEXT", "VOICES", "Synthesizer", "Voice", "WavWriter", "assign_voices",
    "available_voices", "lay_out", "read_wav", "say", "seed_sentences", "seed_turns",
    "speech_span", "split_sentences", "synthesize_reading", "write_wav",
]

RATE = 16000
#: the seed: the NATO-Russia press conference as NATO published it (its audio is lost),
#: read aloud by the demo and the benchmarks; a data file of this package, so the wheel
#: carries it (pyproject.toml's package-data)
SEED_TEXT = Path(__file__).resolve().parent / "nato-russia-press-2001-10-03.txt"
#: eSpeak's words per minute at a stretch of 1 (its default)
ESPEAK_WPM = 175

Voice = tuple[str, str]  # (engine, voice): ("flite", "awb"), ("festival", "voice_..."),
#                           ("espeak", "en-us"), ("piper", "joe"); "NAME@1.2" reads 1.2
#                           times as slowly
Sentences = Sequence[tuple[str, str]]  # (speaker, text)

#: the press conference's speakers and their voices (one voice per speaker)
VOICES: dict[str, Voice] = {
    "robertson": ("flite", "awb"),
    "interpreter": ("flite", "rms"),
    "moderator": ("flite", "kal16"),
    "journalist1": ("flite", "slt"),
    "journalist2": ("festival", "voice_cmu_us_slt_arctic_hts"),
}


# ---- the seed: who says what ---------------------------------------------------


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
    must not follow it, so that the seed cases' truth (and the demo's reading) stays put
    while the splitter being measured changes. (tests/benchmarks checks that the
    project's reader still cuts the seed's transcripts into these sentences.)
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


# ---- audio ---------------------------------------------------------------------


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


def say(text: str, voice: Voice, workdir: str) -> np.ndarray:
    """Say `text` with `voice`; the speech trimmed of leading and trailing silence.

    A voice name may end in "@F" to be spoken F times as slowly ("awb@1.25" is a quarter
    slower, "@0.8" faster): flite's duration_stretch, festival's Duration_Stretch, piper's
    length_scale, eSpeak's words per minute. The engine "piper" is a neural voice
    (`alignment.synthetic.piper_voice`).
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
        elif engine == "espeak":
            wpm = ["-s", str(round(ESPEAK_WPM / stretch))] if stretch else []
            subprocess.run(["espeak-ng", "-v", name, *wpm, "-w", out, text], check=True)
        elif engine == "piper":
            from alignment.synthetic import piper_voice  # needs the optional "bench" packages

            piper_voice.say(text, name, out, stretch or 1.0)
        else:
            raise ValueError(f"unknown TTS engine {engine!r} "
                             "(use flite, festival, espeak or piper)")
        x = read_wav(out)
    start, end = speech_span(x)
    return x[start:end]


def speech_span(x: np.ndarray) -> tuple[int, int]:
    """The samples [start, end) of a synthesised sentence's speech: from the first to the
    last 10 ms frame above 2% of the peak energy (the whole when none is, or it is
    shorter than a frame). The benchmarks' word truth shifts the synthesiser's word times
    by the same cut."""
    f = RATE // 100
    frames = x[: len(x) // f * f].reshape(-1, f)
    if not len(frames):
        return 0, len(x)
    e = np.sqrt((frames ** 2).mean(axis=1))
    on = np.nonzero(e > 0.02 * e.max())[0]
    if not len(on):
        return 0, len(x)
    return int(on[0] * f), int((on[-1] + 1) * f)


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
        x = say(text, voice, self.workdir)
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
    **layout: Any,
) -> list[dict]:
    """Read (speaker, sentence) pairs aloud into a 16 kHz mono WAV; return the truth.

    One flite/festival voice per speaker: `voices` maps speaker -> (engine, voice), e.g.
    ``{"host": ("flite", "awb"), "guest": ("festival", "voice_cmu_us_slt_arctic_hts")}``;
    speakers it leaves out (all, when it is None) get the installed voices in order of
    first appearance. Sentences are separated by 0.25-0.6 s pauses (0.8-1.5 s when the
    speaker changes), and the file opens and closes with one second of silence. `rng`
    (default: seeded with 0, so a reading is reproducible) draws pauses and levels.

    `layout`: `lay_out`'s keyword options (gaps, before, lead, tail) instead.

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
        truth, _ = lay_out(turns, voices, rng, synth, w.write, **layout)
    return truth
