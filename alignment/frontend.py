"""Mel band energies every 10 ms, with the recording's own noise taken out, and what the
aligner derives from them: cepstra every 40 ms and a loudness curve every 10 ms.

One front end serves the recording and eSpeak's reading, so their frames compare. For
the recording, each band's noise floor is estimated from the recording itself (a low
percentile of that band over the surrounding 20 s) and subtracted before the logarithm
(spectral subtraction): steady noise, hum, hiss or a room's bed then leave the frames of
speech close to what they would be without it, instead of turning them into strangers,
and the loudness curve measures speech above the noise, so pauses survive noise that
fills them.
"""

from __future__ import annotations

import threading
from functools import lru_cache

import numpy as np

HOP = 0.010  # seconds between band-energy frames
WINDOW = 0.040  # seconds per analysis window. Longer windows average other voices and a
# TV's flicker into a steadier background, under which the main voice stands out: on the
# 90 degraded files of six cases (the sweep's conditions and babble at 10 and 3 dB), mean
# within 100 ms 0.968 with 25 ms, 0.972 with 32 ms, 0.978 with 40 ms (babble 3 dB on
# keeper-neural 0.755 -> 0.837, on a held-out meeting 0.472 -> 0.667; its reverberation
# 0.833 -> 0.972), 50 ms worse (0.977 and five spoken sentences unaligned, an older
# engine). Checked on the nine benchmark cases (1.000 each) and a held-out set of new
# texts, voices and noises (a TV at 10 dB 0.653 -> 0.903 on the meeting)
CEPSTRA = 13
STEP = 4  # band frames per cepstral frame
# Cepstra every 40 ms over 40 ms windows. aeneas's default window is 100 ms, which costs
# 13x the warp's time and blurs the edges of words; 40 ms steps are its default too.
FRAME_SHIFT = HOP * STEP
_BANDS, _LOW, _HIGH, _EMPHASIS = 40, 133.3333, 6855.4976, 0.97
_CHUNK = 128  # frames per FFT batch: a chunk's spectra (1-2 MB) stay in the cache for the
# products that follow the FFT, where chunks of 2000 frames (15 MB) went to memory and back
# for each (the band energies of a 2-minute block: 99 -> 81 ms at 22.05 kHz, 72 -> 59 ms
# at 16 kHz; 64 frames was slower again)
# How far (p2 to p95, dB) the loudness curves spread over 20 s of noise alone, whatever
# its level or colour: white noise at -60 dB, and the sweep's pink and white pauses
NOISE_SPREAD = 1.2  # over all bands
ONSET_NOISE_SPREAD = 2.3  # over the ten most risen, above the 2nd-percentile floor
ONSET_BANDS = 10  # the most risen bands that tell where a sound starts
ONSET_FLOOR_PERCENTILE = 2  # ... above a floor that lies below the softest speech even
# where pauses are few
BIN_HZ = 31.25  # spectral resolution (512 points at 16 kHz)
FLOOR_SPAN = 20.0  # seconds over which a band's noise floor is estimated
FLOOR_PERCENTILE = 10  # of a band's energies over that span: the noise under speech ...
FILLED_PERCENTILES = (15, 20, 25, 30)  # ... or a higher one, where pauses are filled
FILLED_SPREAD = 6.0  # dB a higher percentile may lie above the 10th and still be the filling
OVERSUBTRACT = 1.0  # times the noise floor taken out of each band
SPECTRAL_FLOOR = 0.05  # share of a band's energy always kept (no log of zero, no
# musical-noise holes where the estimate overshoots)


@lru_cache(maxsize=8)
def _filterbank(rate: int, n_fft: int) -> np.ndarray:
    """Triangular mel filters (bins x bands), as in aeneas's and HTK's MFCCs."""
    def mel(f):
        return 2595.0 * np.log10(1.0 + np.asarray(f) / 700.0)

    def hz(m):
        return 700.0 * (10.0 ** (np.asarray(m) / 2595.0) - 1.0)

    high = min(_HIGH, rate / 2.0)
    edges = hz(np.linspace(mel(_LOW), mel(high), _BANDS + 2))
    freqs = np.arange(n_fft // 2 + 1) * rate / n_fft
    bank = np.zeros((len(freqs), _BANDS), np.float32)
    for b in range(_BANDS):
        lo, mid, hi = edges[b], edges[b + 1], edges[b + 2]
        rise = (freqs - lo) / (mid - lo)
        fall = (hi - freqs) / (hi - mid)
        bank[:, b] = np.clip(np.minimum(rise, fall), 0.0, None)
    return bank


@lru_cache(maxsize=1)
def _dct() -> np.ndarray:
    """DCT-II (orthonormal) from log band energies to the first CEPSTRA cepstra."""
    n = np.arange(_BANDS)
    k = np.arange(CEPSTRA)[:, None]
    m = np.cos(np.pi * k * (2 * n + 1) / (2 * _BANDS)) * np.sqrt(2.0 / _BANDS)
    m[0] /= np.sqrt(2.0)
    return m.T.astype(np.float32)


class Scratch:
    """Buffers that `band_energies` keeps from one block of a recording to the next.
    A buffer of megabytes allocated afresh for each block comes from the system as new
    pages, and the first touch of each is a page fault: on this project's machines (VMs)
    they cost more than the arithmetic they hold. On the 67-minute case: 150,000 faults
    and 0.5-0.65 s of system time in the recording's features, 200,000 and 0.8 s in the
    reading's, nearly all gone with the buffers kept."""

    def __init__(self) -> None:
        self._arrays: dict[str, np.ndarray] = {}

    def rows(self, name: str, count: int, shape: tuple[int, ...], dtype: type) -> np.ndarray:
        """The first `count` rows (each of `shape`) of the buffer `name`, made anew (of
        zeros) only when it is too short or of another shape or type."""
        a = self._arrays.get(name)
        if a is None or len(a) < count or a.shape[1:] != shape or a.dtype != dtype:
            a = self._arrays[name] = np.zeros((count, *shape), dtype)
        return a[:count]


class ThreadScratch(threading.local):
    """Each thread's own Scratch, for work measured in a pool of threads (a
    threading.local runs __init__ once in each thread that uses it)."""

    def __init__(self) -> None:
        self.buffers = Scratch()


def band_energies(samples: np.ndarray, rate: int, previous: float = 0.0,
                  scratch: Scratch | None = None) -> np.ndarray:
    """Mel band energies (frames x 40, float32), one frame per 10 ms, of int16 or float
    samples; frame j covers samples [j * hop, j * hop + window).
    `previous` is the sample before the block, for the pre-emphasis across block edges;
    `scratch`, the buffers to reuse when a caller computes many blocks."""
    scratch = scratch or Scratch()
    x = scratch.rows("samples", len(samples), (), np.float32)
    np.copyto(x, samples, casting="unsafe")  # int16 to float32 exactly, as astype
    if samples.dtype == np.int16:
        x /= 32768.0
    win = int(round(rate * WINDOW))
    n = frame_count(len(x), rate)
    if n == 0:
        return np.zeros((0, _BANDS), np.float32)
    y = scratch.rows("emphasised", len(x), (), np.float32)
    y[0] = x[0] - _EMPHASIS * previous
    np.multiply(x[:-1], -_EMPHASIS, out=y[1:])  # the same values as x[1:] - e * x[:-1],
    y[1:] += x[1:]  # without a temporary the size of the block (2-3 ms a minute)
    n_fft = _fft_size(win, rate)
    view = np.lib.stride_tricks.sliding_window_view(y, win)
    hop = rate * HOP
    if hop == int(hop):  # a whole number of samples: every frame start is exact
        frames = view[::int(hop)][:n]
    else:  # frame starts rounded from exact times, so no rate drifts against the clock
        starts = np.round(np.arange(n) * hop).astype(np.int64)
    window = np.hamming(win).astype(np.float32)
    bank, lo, hi = _spectrum_bank(rate, n_fft)
    out = np.empty((n, _BANDS), np.float32)
    # Windowed frames are laid into a float64 buffer already padded with zeros to the
    # FFT's length (only its first `win` columns are ever written), and transformed
    # into a spectrum buffer kept across chunks: numpy's FFT (2.x) takes float64 rows
    # faster than float32 ones, and padding them itself costs a copy a row. The power
    # of the bins the filters cover is the sum of the squares of their real and
    # imaginary parts, then float32 for the product (a hypot squared gave the same
    # values in 1.4 times the time). Together, on a minute of the 67-minute case:
    # 37 -> 28 ms at 16 kHz, 48 -> 40 ms for eSpeak's 22.05 kHz.
    buf = scratch.rows("frames", _CHUNK, (n_fft,), np.float64)
    spectra = scratch.rows("spectra", _CHUNK, (n_fft // 2 + 1,), np.complex128)
    squares = scratch.rows("squares", _CHUNK, (2 * (hi - lo),), np.float64)
    power = scratch.rows("power", _CHUNK, (hi - lo,), np.float32)
    for a in range(0, n, _CHUNK):  # a chunk at a time: spectra are 16 bytes a bin
        b = min(n, a + _CHUNK)
        k = b - a
        # a chunk's frames gathered at a time, not a copy of every frame first
        chunk = frames[a:b] if hop == int(hop) else view[starts[a:b]]
        np.multiply(chunk, window, out=buf[:k, :win])
        np.fft.rfft(buf[:k], out=spectra[:k])
        parts = spectra[:k, lo:hi].view(np.float64)  # real, imaginary, real, ...
        np.multiply(parts, parts, out=squares[:k])
        np.add(squares[:k, 0::2], squares[:k, 1::2], out=power[:k], casting="same_kind")
        np.matmul(power[:k], bank, out=out[a:b])
    return out


@lru_cache(maxsize=8)
def _spectrum_bank(rate: int, n_fft: int) -> tuple[np.ndarray, int, int]:
    """The mel filters over the bins [lo, hi) that any of them weighs, and lo, hi:
    below 133 Hz and above 6.9 kHz none does, and the product need not visit them."""
    bank = _filterbank(rate, n_fft)
    used = np.nonzero(bank.any(axis=1))[0]
    lo, hi = int(used[0]), int(used[-1]) + 1
    return np.ascontiguousarray(bank[lo:hi]), lo, hi


def _fft_size(win: int, rate: int) -> int:
    """FFT length: bins as narrow as 512 points give at 16 kHz, whatever the rate (the
    recording and eSpeak's 22.05 kHz reading then see alike spectra), rounded up to a
    length of twos and threes, which the FFT takes about as fast as a power of two."""
    n = max(win, int(np.ceil(rate / BIN_HZ)))
    while True:
        m = n
        for p in (2, 3):
            while m % p == 0:
                m //= p
        if m == 1:
            return n
        n += 1


def frame_count(samples: int, rate: int) -> int:
    """How many whole 10 ms frames `samples` samples hold."""
    win = int(round(rate * WINDOW))
    if samples < win:
        return 0
    return int((samples - win) / (rate * HOP)) + 1


def noise_floors(energies: np.ndarray, percentiles: tuple[float, ...] = (),
                 ) -> list[np.ndarray]:
    """Per frame and band, the noise under the speech (`pause_level`), then, for each of
    `percentiles`, that low percentile of the band: all over the surrounding FLOOR_SPAN
    seconds (estimated every half span, interpolated), taken in one pass over the block."""
    n = len(energies)
    span = int(FLOOR_SPAN / HOP)
    if n == 0:
        return [energies.copy() for _ in range(len(percentiles) + 1)]
    low = (FLOOR_PERCENTILE, *FILLED_PERCENTILES)
    centres, floors = [], []
    for start in range(0, n, span // 2):
        # bands as rows: numpy partitions each band's run of frames in place of a
        # column strided across the block (the same values; on the 67-minute case
        # the percentiles took 0.45 s of the decoding's 3.9)
        seg = np.sort(energies[max(0, start - span // 2): start + span // 2].T, axis=1)
        centres.append(start)
        table = _percentiles_of_sorted(seg, (*low, *percentiles))
        floors.append(np.vstack([pause_level(table[: len(low)]), table[len(low):]]))
    table = np.asarray(floors, np.float32)  # centres x floors x bands
    if len(centres) == 1:
        return [np.broadcast_to(table[0, k], energies.shape) for k in range(table.shape[1])]
    return list(_interpolated(np.asarray(centres), table, n))


def _percentiles_of_sorted(rows: np.ndarray, percentiles: tuple[float, ...]) -> np.ndarray:
    """Per percentile (rows of the result), that percentile of each of `rows`, sorted
    ascending: the values of np.percentile (its linear method, the same arithmetic).
    A sort of 20 s of the 40 bands and a lookup take half the time of np.percentile's
    partitions for six percentiles (on the 67-minute case 0.6 s of the decoding's 4)."""
    n = rows.shape[1]
    virtual = (n - 1) * (np.asarray(percentiles, np.float64) / 100)
    below = np.floor(virtual).astype(np.intp)
    above = np.minimum(below + 1, n - 1)
    gamma = (virtual - below)[:, None]
    a, b = rows[:, below].T, rows[:, above].T
    diff = b - a
    out = a + diff * gamma
    upper = np.broadcast_to(gamma >= 0.5, out.shape)
    out[upper] = (b - diff * (1 - gamma))[upper]
    return out


def _interpolated(centres: np.ndarray, table: np.ndarray, n: int) -> np.ndarray:
    """Per floor, frames 0..n-1 x bands: `table` (centres x floors x bands) interpolated
    linearly between the centres (ascending, from 0) and held past the last, as np.interp
    does band by band (the same float64 arithmetic, so the same values), for all the
    bands at once: one np.interp per band and floor cost 0.2 s of the 67-minute case."""
    xp = centres.astype(np.float64)
    fp = table.astype(np.float64)
    slopes = (fp[1:] - fp[:-1]) / (xp[1:] - xp[:-1])[:, None, None]
    x = np.arange(n, dtype=np.float64)
    j = np.searchsorted(xp, x, side="right") - 1  # the centre at or before each frame
    inside = j < len(xp) - 1
    ji = j[inside]
    out = np.empty((fp.shape[1], n, fp.shape[2]), np.float32)
    step = (x[inside] - xp[ji])[:, None]
    for k in range(fp.shape[1]):
        out[k, inside] = slopes[ji, k] * step + fp[ji, k]
        out[k, ~inside] = fp[-1, k]
    return out


def pause_level(low: np.ndarray) -> np.ndarray:
    """Per band, the level of what fills the pauses, from its FLOOR_PERCENTILE and
    FILLED_PERCENTILES levels (rows, lowest first): the highest of them within
    FILLED_SPREAD dB of the lowest. Silence or steady noise in the pauses keeps the low
    percentiles together, and where speech leaves few pauses the higher ones jump to the
    level of speech, far above: the lowest is kept. Other voices filling every pause
    (babble, a busy room) rise and fall by a few dB: the higher percentile is their level,
    where the lowest lies below them and would leave them looking like speech."""
    ratio = np.maximum(low, 1e-20) / np.maximum(low[0], 1e-20)
    near = np.cumprod(ratio <= 10.0 ** (FILLED_SPREAD / 10.0), axis=0).astype(bool)
    pick = near.sum(axis=0) - 1  # the last of the run within reach of the lowest
    return np.take_along_axis(low, pick[None, :], axis=0)[0]


def denoise(energies: np.ndarray, floor: np.ndarray) -> np.ndarray:
    """Band energies with the noise floor taken out (spectral subtraction)."""
    return np.maximum(energies - OVERSUBTRACT * floor, SPECTRAL_FLOOR * energies)


def pooled(energies: np.ndarray, offset: int) -> np.ndarray:
    """Band energies for every STEP-th frame from `offset`: the mean of the STEP frames
    around it (one before, two after), so each cepstral frame hears its whole 40 ms and
    not one window of it. Noise flickers from window to window; averaged, its
    power is steadier and the frames of speech under it less strange to their reading."""
    picks = np.arange(offset, len(energies), STEP)
    acc = np.zeros((len(picks), energies.shape[1]), np.float32)
    if len(picks) == 0:
        return acc
    for d in range(-1, STEP - 1):
        acc += energies[np.clip(picks + d, 0, len(energies) - 1)]
    return acc / STEP


def cepstra(energies: np.ndarray) -> np.ndarray:
    """Cepstra (frames x 13) of band energies, frame by frame."""
    return (np.log(np.maximum(energies, 1e-10)) @ _dct()).astype(np.float32)


def rise(energies: np.ndarray, floor: np.ndarray) -> np.ndarray:
    """Per frame and band, its rise in dB above the band's noise floor (0 below it)."""
    return np.maximum(10.0 * np.log10((energies + 1e-10) / (floor + 1e-10)), 0.0)


def loudness(rises: np.ndarray, bands: int = _BANDS) -> np.ndarray:
    """Per frame, how far it stands above the noise: the mean `rise` of its `bands` most
    risen bands. Over all bands, noise loud in some bands hides speech only there; over
    the few most risen, a soft sound in a few bands (the start of "we") is heard, at the
    cost of some noise heard too."""
    if bands < _BANDS:
        rises = np.partition(rises, _BANDS - bands, axis=1)[:, _BANDS - bands:]
    return rises.mean(axis=1).astype(np.float32)
