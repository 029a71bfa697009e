"""The degradations of the held-out check (`benchmarks/holdout.py`), none of them in the
team's sweep: babble of other voices, a cafe, a TV in the room, another room's acoustics,
AAC, Opus and mu-law containers, brown traffic noise, door slams, a level drifting up by
20 dB, and speech sped up under pink noise.

All audio is float32 mono at 16 kHz (the corpus rate). Every generator draws from the
numpy Generator it is handed, so a condition seeded alike gives the same file each run;
the background voices are synthesised through a `Synthesizer` whose cache the caller
keeps, so Piper's voice (which varies slightly per synthesis) is the same each run too.
"""

from __future__ import annotations

import math
import os
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from benchmarks.corpus import RATE, Synthesizer, Voice, read_wav, write_wav
from benchmarks.texts import holdout as texts
from testsupport.noise import mix, shaped_noise

#: every condition, in the order of a full run ("clean" is the case's own audio)
CONDITIONS = ["clean", "babble:6", "babble:3", "cafe", "tv:10", "room", "aac32", "opus16",
              "mulaw8k", "brown:3", "slams", "drift", "fast1.35+pink:6"]
#: how much faster the "fast" condition plays (its truth's times shrink by as much)
FAST = 1.35


@dataclass(frozen=True)
class Backdrop:
    """Who talks in the background of a case: the babble's talkers and the TV's
    newsreader (voices that do not read in the case), synthesised by `synth`."""

    talkers: Sequence[Voice]
    newsreader: Voice
    synth: Synthesizer


# ---- levels (the mixing itself: testsupport.noise.mix) ---------------------------------


def normalise(y: np.ndarray, peak: float = 0.95) -> np.ndarray:
    """`y` scaled down so that its peak is at most `peak` (never up), as float32."""
    return (y / max(1.0, float(np.abs(y).max()) / peak)).astype(np.float32)


def unit_power(y: np.ndarray) -> np.ndarray:
    """`y` scaled to mean power 1 (silence stays silence)."""
    return y / np.sqrt((y ** 2).mean() + 1e-12)


# ---- background voices ---------------------------------------------------------------


def talker(n: int, rng: np.random.Generator, voice: Voice, sentences: Sequence[str],
           synth: Synthesizer, gap: tuple[float, float] = (0.1, 0.6)) -> np.ndarray:
    """One background talker for `n` samples: `sentences` from a random one on (looping),
    said by `voice` back to back with short pauses, from a random start in the first
    second."""
    out = np.zeros(n, np.float32)
    pos = int(rng.integers(0, RATE))
    i = int(rng.integers(0, len(sentences)))
    while pos < n:
        y = synth(sentences[i % len(sentences)], voice)
        k = min(len(y), n - pos)
        out[pos:pos + k] += y[:k]
        pos += k + int(rng.uniform(*gap) * RATE)
        i += 1
    return out


def lines(text: str) -> list[str]:
    """The non-blank lines of a text."""
    return [s for s in text.splitlines() if s.strip()]


def babble(n: int, rng: np.random.Generator, backdrop: Backdrop) -> np.ndarray:
    """The backdrop's talkers all at once, equally loud, reading the museum guide."""
    out = np.zeros(n, np.float32)
    for v in backdrop.talkers:
        out += unit_power(talker(n, rng, v, lines(texts.BABBLE), backdrop.synth))
    return out


# ---- sound beds ----------------------------------------------------------------------


def clinks(n: int, rng: np.random.Generator, rate_per_s: float = 1.5) -> np.ndarray:
    """Cups and cutlery: short decaying high-pitched transients at random times and
    random levels (relative, unit amplitude at most)."""
    out = np.zeros(n, np.float32)
    t = 0.0
    while True:
        t += rng.exponential(1 / rate_per_s)
        a = int(t * RATE)
        if a >= n:
            break
        dur = rng.uniform(0.03, 0.25)
        m = int(dur * RATE)
        tt = np.arange(m) / RATE
        f0 = rng.uniform(1800, 5500)
        tone = sum(np.sin(2 * np.pi * f0 * r * tt + rng.uniform(0, 6)) / (k + 1)
                   for k, r in enumerate((1.0, 2.76, 5.4)))
        click = rng.standard_normal(m) * np.exp(-tt / 0.004)
        y = (tone * 0.6 + click) * np.exp(-tt / (dur / 4)) * rng.uniform(0.2, 1.0)
        k = min(m, n - a)
        out[a:a + k] += y[:k].astype(np.float32)
    return out


def music_bed(n: int, rng: np.random.Generator) -> np.ndarray:
    """A pop-like bed at 112 bpm: a bass line, plucked chord notes on the eighths and a
    hi-hat."""
    t = np.arange(n) / RATE
    beat = 60 / 112
    out = np.zeros(n, np.float32)
    roots = [110.0, 87.31, 130.81, 98.0]  # A F C G
    step = beat / 2
    k = 0
    while k * step < n / RATE:
        a = int(k * step * RATE)
        m = min(int(step * 1.8 * RATE), n - a)
        tt = t[:m]
        root = roots[(k // 8) % 4]
        f = root * 2 * [1, 1.26, 1.5, 2][int(rng.integers(0, 4))]
        pluck = np.sin(2 * np.pi * f * tt) * np.exp(-tt / 0.15)
        if k % 2 == 0:
            pluck += 1.5 * np.sin(2 * np.pi * root / 2 * tt) * np.exp(-tt / 0.3)
        hat = rng.standard_normal(m) * np.exp(-tt / 0.01) * 0.3
        hat = np.diff(hat, prepend=0)  # brighter
        out[a:a + m] += (pluck + hat).astype(np.float32)
        k += 1
    return out


# ---- the degradations ----------------------------------------------------------------


def with_babble(x: np.ndarray, rng: np.random.Generator, backdrop: Backdrop,
                snr_db: float) -> np.ndarray:
    """`x` under the babble of the backdrop's talkers at `snr_db`."""
    return normalise(mix(x, babble(len(x), rng, backdrop), snr_db))


def cafe(x: np.ndarray, rng: np.random.Generator, backdrop: Backdrop) -> np.ndarray:
    """A cafe: babble at 12 dB, a slowly swelling low rumble at 15 dB, and clinks whose
    peaks reach about the speech's peaks."""
    n = len(x)
    y = mix(x, babble(n, rng, backdrop), 12)
    rumble = shaped_noise(n, rng, 2.0, 20, 150)
    rumble *= 1 + 0.5 * np.sin(2 * np.pi * np.arange(n) / RATE / 9.0)
    y = mix(y, rumble, 15)
    c = clinks(n, rng)
    y = y + c * (0.8 * np.percentile(np.abs(x), 99.9) / max(1e-9, np.abs(c).max()))
    return normalise(y)


def tv(x: np.ndarray, rng: np.random.Generator, backdrop: Backdrop,
       snr_db: float = 10) -> np.ndarray:
    """A TV or radio in the room: the backdrop's newsreader over a music bed, through a
    small speaker (200-5000 Hz), the whole `snr_db` under the speech."""
    n = len(x)
    news = unit_power(talker(n, rng, backdrop.newsreader, lines(texts.NEWS), backdrop.synth,
                             gap=(0.3, 0.8)))
    mus = music_bed(n, rng)
    mus = mus / np.sqrt((mus ** 2).mean())
    bed = news + 0.6 * mus
    spec = np.fft.rfft(bed)
    f = np.fft.rfftfreq(n, 1 / RATE)
    spec[(f < 200) | (f > 5000)] *= 0.05
    return normalise(mix(x, np.fft.irfft(spec, n).astype(np.float32), snr_db))


def traffic(x: np.ndarray, rng: np.random.Generator, snr_db: float) -> np.ndarray:
    """Brown noise (20-4000 Hz) swelling as vehicles pass every 4-12 s, at `snr_db`."""
    n = len(x)
    t = np.arange(n) / RATE
    b = shaped_noise(n, rng, 2.0, 20, 4000)
    env = np.ones(n)
    for c in np.cumsum(rng.uniform(4, 12, size=int(n / RATE / 4) + 2)):
        env += 1.5 * np.exp(-((t - c) / rng.uniform(1.0, 2.5)) ** 2)
    return normalise(mix(x, b * env, snr_db))


def slams(x: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Every 7-13 s a loud event, peaking 1.5-3 times the speech's peak: a door slam
    (thump and crack, 0.4 s) or a burst of noise (0.5-1.2 s: a drill, a chair dragged);
    a faint pink floor 30 dB down so the pauses are not digital silence."""
    n = len(x)
    y = mix(x, shaped_noise(n, rng, 1.0), 30)
    peak = float(np.percentile(np.abs(x), 99.9))
    t = rng.uniform(3, 10)
    while t < n / RATE - 1:
        a = int(t * RATE)
        if rng.random() < 0.6:
            m = int(0.4 * RATE)
            tt = np.arange(m) / RATE
            ev = (np.sin(2 * np.pi * 60 * tt) * np.exp(-tt / 0.08)
                  + rng.standard_normal(m) * np.exp(-tt / 0.02))
        else:
            m = int(rng.uniform(0.5, 1.2) * RATE)
            ev = shaped_noise(m, rng, 0.5, 300, 7000) * np.hanning(m) ** 0.3
        m = min(m, n - a)
        ev = ev[:m] / np.abs(ev[:m]).max() * peak * rng.uniform(1.5, 3.0)
        y[a:a + m] += ev.astype(np.float32)
        t += rng.uniform(7, 13)
    return normalise(y, 0.99)


def drift(x: np.ndarray, lo_db: float = -20.0, hi_db: float = 0.0) -> np.ndarray:
    """`x` under a gain ramping from `lo_db` at the start to `hi_db` at the end (a
    recorder's AGC, a speaker walking up to the microphone)."""
    g = 10 ** (np.linspace(lo_db, hi_db, len(x)) / 20)
    return (x * g).astype(np.float32)


def sped_up_in_pink(src_wav: Path, tmp_wav: Path, rng: np.random.Generator,
                    snr_db: float) -> np.ndarray:
    """The recording `FAST` times as fast (sox's tempo, pitch kept) under pink noise."""
    sox(src_wav, tmp_wav, "tempo", "-s", str(FAST))
    try:
        y = read_wav(tmp_wav)
    finally:
        tmp_wav.unlink(missing_ok=True)
    return normalise(mix(y, shaped_noise(len(y), rng, 1.0), snr_db))


# ---- files ---------------------------------------------------------------------------


def sox(src: Path, dst: Path, *effects: str, out: tuple[str, ...] = ()) -> None:
    """sox -R SRC [OUT-FORMAT ...] DST EFFECT ... (-R: dither seeded alike each run)."""
    subprocess.run(["sox", "-R", str(src), *out, str(dst), *effects], check=True)


def ffmpeg(src: Path, dst: Path, *args: str) -> None:
    """ffmpeg -i SRC ARGS ... DST, quietly, overwriting DST."""
    subprocess.run(["ffmpeg", "-nostdin", "-loglevel", "error", "-y", "-i", str(src), *args,
                    str(dst)], check=True)


#: the conditions that take any SNR after the colon ("babble:10")
SNR_KINDS = ("babble", "tv", "brown")


def is_condition(cond: str) -> bool:
    """Whether `degrade` knows `cond`: one of `CONDITIONS`, or a kind of `SNR_KINDS` with
    another SNR."""
    kind, _, arg = cond.partition(":")
    if cond in CONDITIONS:
        return True
    try:
        return kind in SNR_KINDS and bool(arg) and math.isfinite(float(arg))
    except ValueError:
        return False


def snr_arg(cond: str) -> float:
    """The SNR of a "kind:SNR" condition."""
    try:
        return float(cond.partition(":")[2])
    except ValueError:
        raise ValueError(f"condition {cond!r}: the part after ':' must be an SNR in dB"
                         ) from None


def degrade(cond: str, x: np.ndarray, src_wav: str | os.PathLike[str],
            out_base: str | os.PathLike[str], rng: np.random.Generator,
            backdrop: Backdrop) -> tuple[Path, float]:
    """Write condition `cond` of the clean audio `x` (the file `src_wav`) to `out_base`
    plus the condition's suffix; the file and the factor the truth's times are multiplied
    by (1 but for the sped-up condition)."""
    src, base = Path(src_wav), Path(out_base)
    wav = base.with_name(base.name + ".wav")
    kind = cond.partition(":")[0]
    if cond == "clean":
        return src, 1.0
    if kind == "babble":
        write_wav(wav, with_babble(x, rng, backdrop, snr_arg(cond)))
    elif cond == "cafe":
        write_wav(wav, cafe(x, rng, backdrop))
    elif kind == "tv":
        write_wav(wav, tv(x, rng, backdrop, snr_arg(cond)))
    elif cond == "room":
        sox(src, wav, "reverb", "90", "30", "100", "100", "20", "lowpass", "3000",
            "gain", "-n", "-3")
    elif cond == "aac32":
        path = base.with_name(base.name + ".m4a")
        ffmpeg(src, path, "-c:a", "aac", "-b:a", "32k", "-ar", "22050", "-ac", "2")
        return path, 1.0
    elif cond == "opus16":
        path = base.with_name(base.name + ".opus")
        ffmpeg(src, path, "-c:a", "libopus", "-b:a", "16k")
        return path, 1.0
    elif cond == "mulaw8k":
        # a telephone line's encoding: 8 kHz, 8-bit mu-law in a WAV
        sox(src, wav, out=("-r", "8000", "-e", "mu-law", "-b", "8"))
    elif kind == "brown":
        write_wav(wav, traffic(x, rng, snr_arg(cond)))
    elif cond == "slams":
        write_wav(wav, slams(x, rng))
    elif cond == "drift":
        write_wav(wav, drift(x))
    elif cond == f"fast{FAST}+pink:6":
        write_wav(wav, sped_up_in_pink(src, base.with_name(base.name + ".fast.wav"), rng, 6))
        return wav, 1 / FAST
    else:
        raise ValueError(f"unknown condition {cond!r}; conditions: {', '.join(CONDITIONS)} "
                         f"({', '.join(SNR_KINDS)} take any SNR)")
    return wav, 1.0
