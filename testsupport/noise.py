"""Noise for the readings of the tests and the benchmarks, and the one way it goes under
speech: `mix`, at a signal-to-noise ratio over the speech's power.

All audio is float mono at 16 kHz (`alignment.synthetic.RATE`). Every generator draws from
the numpy Generator it is handed, so noise seeded alike is the same on every run (and the
cases built with it the same, bit for bit).
"""

from __future__ import annotations

from itertools import accumulate

import numpy as np

from alignment.synthetic import RATE

__all__ = ["add_noise", "mix", "pink_noise", "shaped_noise", "speech_power", "white_noise"]


def speech_power(x: np.ndarray) -> float:
    """Mean power of the samples louder than 0.01 (the speech)."""
    return float((x[np.abs(x) > 0.01] ** 2).mean())


def mix(x: np.ndarray, noise: np.ndarray, snr_db: float) -> np.ndarray:
    """`x` plus `noise` (its mean removed) scaled to `snr_db` under x's speech power
    (`speech_power`): the one mixer of the tests and the benchmarks.

    A float32 noise is scaled in float32 (NumPy takes the speech power, a Python float,
    as float32 beside it), so the cases built with it stay bit for bit as they were."""
    noise = noise - noise.mean()
    g = np.sqrt(speech_power(x) / ((noise ** 2).mean() * 10 ** (snr_db / 10)))
    return x + noise * g


def white_noise(n: int, rng: np.random.Generator) -> np.ndarray:
    """`n` samples of white noise (float32)."""
    return rng.standard_normal(n).astype(np.float32)


def pink_noise(n: int, rng: np.random.Generator) -> np.ndarray:
    """`n` samples of pinkish noise: white noise through a leaky integrator (float32)."""
    k = 0.98
    return np.fromiter(accumulate(white_noise(n, rng), lambda a, v: k * a + v), dtype=np.float32,
                       count=n)


def shaped_noise(n: int, rng: np.random.Generator, slope: float, lo: float = 20.0,
                 hi: float = 8000.0) -> np.ndarray:
    """`n` samples of noise whose power falls as f**-slope (0 white, 1 pink, 2 brown) in
    the band lo-hi Hz and is nothing outside it, unit power (float32)."""
    spec = np.fft.rfft(rng.standard_normal(n))
    f = np.fft.rfftfreq(n, 1 / RATE)
    w = np.zeros_like(f)
    band = (f >= lo) & (f <= hi)
    w[band] = f[band] ** (-slope / 2)
    y = np.fft.irfft(spec * w, n)
    return (y / np.sqrt((y ** 2).mean())).astype(np.float32)


def add_noise(x: np.ndarray, snr_db: float, rng: np.random.Generator,
              white: bool = False) -> np.ndarray:
    """`x` under pinkish noise (`pink_noise`; white noise with `white`) at `snr_db`
    (`mix`), scaled down when it would clip."""
    y = mix(x, white_noise(len(x), rng) if white else pink_noise(len(x), rng), snr_db)
    return y / max(1.0, np.abs(y).max())
