"""Where speech is, from the loudness curve; and sentence edges moved onto it.

The warp places a sentence's start within a frame or two of its first sound. The
loudness curve (10 ms) tells exactly where that sound begins, so the start is moved to
just before it, inside the pause: a click then plays from the breath before the word.
"""

from __future__ import annotations

import numpy as np

from alignment.features import ENERGY_HOP

_BLOCK = 2000  # 20 s of 10 ms frames for the local noise floor and speech level
MIN_PAUSE = 6  # frames (60 ms) of quiet that make a pause
LEAD = 3  # frames (30 ms) before the first sound where a sentence starts
FLOOR_PERCENTILE = 2  # pauses may be as little as 4% of a lively recording
THRESHOLD_SHARE = 0.2  # of the way from the noise floor to loud speech
SEARCH = 30  # frames (300 ms) either side of the warp's estimate
BLIP = 3  # frames: a shorter burst inside a pause is a click or noise, not speech
NOISY_LEAD = 12  # frames of lead in a very noisy recording (see lead_for)
CLEAN_SPREAD, NOISY_SPREAD = 40.0, 20.0  # dB from noise floor to loud speech
ABOVE_NOISE = 0.5  # of noise_spread: where a pause's cost starts to rise (see
# speech_likelihoods). Chosen on a reading with pauses of 1-3 s (white 10/8/6 dB, pink
# 6/4 dB: every start within 100 ms from 0.5 up, against 0.06-0.25 at 0); 1.0 cost
# seed-clean's pink 10 dB (0.984 -> 0.967) and keeper-neural's pink 0 dB (1.0 -> 0.918);
# checked on the sweep matrix of six cases and the nine benchmark cases
FILLER = 80  # frames (800 ms): a burst of speech no longer, alone in the pause before a
# sentence, is its opening "um", "uh" or breath, which belongs to it whether or not the
# transcript writes it
FILLERS = 3  # bursts at most
FILLER_SPAN = 250  # frames (2.5 s) before the sentence's first word, all of them
FILLER_CLEAR = 15  # frames (150 ms) the burst must lie after the sentence before ends
PAUSE_WEIGHT = 1.0  # frames of distance one frame of a pause's length is worth


def _levels(loudness: np.ndarray, noise_spread: float,
            ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The smoothed curve, its local noise floor and the threshold of sure speech. A
    stretch whose curve spreads no more than twice as far as noise alone does (its
    `noise_spread`) holds no speech at all: nothing in it passes the threshold."""
    n = len(loudness)
    # a 30 ms average steadies the noise, whose 10 ms frames flicker by a few dB
    smooth = np.convolve(loudness, np.ones(3, np.float32) / 3, mode="same")
    centres = np.arange(0, n, _BLOCK // 2)
    floors, peaks = _block_percentiles(smooth, centres, (FLOOR_PERCENTILE, 95))
    idx = np.arange(n)
    floor = np.interp(idx, centres, floors)
    peak = np.interp(idx, centres, peaks)
    threshold = np.maximum(floor + THRESHOLD_SHARE * (peak - floor), peak - 45.0)
    threshold[peak - floor < 2.0 * noise_spread] = np.inf
    return smooth, floor, threshold


def _block_percentiles(curve: np.ndarray, centres: np.ndarray,
                       percentiles: tuple[float, ...]) -> np.ndarray:
    """Per percentile (rows) and centre, that percentile of `curve` over the _BLOCK
    frames around the centre (fewer at the edges). The whole blocks go to numpy as one
    array of rows, the same values as block by block at a tenth of the time (4,000
    calls on the 67-minute case took 0.4 s)."""
    half = _BLOCK // 2
    out = np.empty((len(percentiles), len(centres)), curve.dtype)
    whole = (centres >= half) & (centres + half <= len(curve))
    # one percentile at a time, as a number: numpy then interpolates in the curve's own
    # precision, as it did block by block (a tuple of them interpolates in float64)
    rows = np.lib.stride_tricks.sliding_window_view(curve, _BLOCK)[centres[whole] - half] \
        if whole.any() else None
    for k, p in enumerate(percentiles):
        if rows is not None:
            out[k, whole] = np.percentile(rows, p, axis=1)
        for j in np.nonzero(~whole)[0]:
            c = int(centres[j])
            out[k, j] = np.percentile(curve[max(0, c - half): c + half], p)
    return out


def speech_mask(loudness: np.ndarray, noise_spread: float = 0.0) -> np.ndarray:
    """True where a 10 ms frame is speech, by a threshold that follows the local noise;
    `noise_spread` is how far the curve spreads over noise alone (see `_levels`)."""
    if len(loudness) == 0:
        return np.zeros(0, bool)
    smooth, _, threshold = _levels(loudness, noise_spread)
    return _masked(smooth, threshold)


def _masked(smooth: np.ndarray, threshold: np.ndarray) -> np.ndarray:
    mask = smooth > threshold
    return ~_close_gaps(~_close_gaps(mask, 3), BLIP)


def speech_likelihoods(loudness: np.ndarray, noise_spread: float = 0.0,
                       ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The speech mask (`speech_mask`) and, per 10 ms frame, how sure it is speech, from
    0 (at the noise floor) to 1 (at the threshold of sure speech, or inside the mask).
    In noise the quiet parts of words sit between the two: they are told neither pause
    nor speech, so a wrong mask cannot make a whole stretch of speech look like a pause.

    Two readings of it, from one estimate of the levels: the first rises from the floor;
    the second from ABOVE_NOISE times `noise_spread` above it, as far as noise alone
    ever rises. In strong noise the threshold lies only a dB or two above the floor, and
    noise alone flickers over most of that: a pause a second long came out a third
    speech. The second is what a pause between sentences costs by (`alignment.engine`)."""
    if len(loudness) == 0:
        empty = np.zeros(0, np.float32)
        return np.zeros(0, bool), empty, empty
    smooth, floor, threshold = _levels(loudness, noise_spread)
    mask = _masked(smooth, threshold)

    def rising_from(bottom: np.ndarray) -> np.ndarray:
        soft = np.clip((smooth - bottom) / np.maximum(threshold - bottom, 1e-6), 0.0, 1.0)
        return np.where(mask, 1.0, soft).astype(np.float32)

    return mask, rising_from(floor), rising_from(floor + ABOVE_NOISE * noise_spread)


def lead_for(loudness: np.ndarray) -> int:
    """How far before the detected end of a pause a sentence starts, in frames.

    In a clean recording the first sound stands out at once, so LEAD suffices. Noise
    hides the soft start of a word (a breathy "h", a quiet vowel) for up to a quarter
    of a second, so the noisier the recording, the further back into the pause.
    """
    if len(loudness) == 0:
        return LEAD
    spread = float(np.percentile(loudness, 95) - np.percentile(loudness, FLOOR_PERCENTILE))
    share = np.clip((CLEAN_SPREAD - spread) / (CLEAN_SPREAD - NOISY_SPREAD), 0.0, 1.0)
    return int(round(LEAD + share * (NOISY_LEAD - LEAD)))


def _close_gaps(mask: np.ndarray, longest: int) -> np.ndarray:
    """Fill quiet runs shorter than `longest` frames inside speech (stops, not pauses).

    Applied to the inverted mask it drops blips of noise inside a pause instead."""
    out = mask.copy()
    edges = np.diff(np.concatenate([[1], mask.astype(np.int8), [1]]))
    starts, ends = np.nonzero(edges == -1)[0], np.nonzero(edges == 1)[0]
    for a, b in zip(starts, ends, strict=True):
        if 0 < a and b < len(mask) and b - a < longest:
            out[a:b] = True
    return out


def pauses(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Start and end (exclusive) frames of the quiet runs of at least MIN_PAUSE frames."""
    edges = np.diff(np.concatenate([[1], mask.astype(np.int8), [1]]))
    starts, ends = np.nonzero(edges == -1)[0], np.nonzero(edges == 1)[0]
    keep = (ends - starts) >= MIN_PAUSE
    return starts[keep], ends[keep]


def snap_start(estimate_ms: int, pause_starts: np.ndarray, pause_ends: np.ndarray,
               lead: int = LEAD) -> int:
    """A sentence start moved to `lead` frames before the end of the pause near the
    estimate (never past the pause's middle); long pauses win over short ones nearby,
    since a sentence more often follows a breath than a comma."""
    t = estimate_ms / 1000.0 / ENERGY_HOP
    lo, hi = np.searchsorted(pause_ends, [t - 2 * SEARCH, t + 2 * SEARCH], side="left")
    hi = min(hi + 1, len(pause_ends))
    best, best_score = None, None
    for j in range(lo, hi):
        dist = abs(pause_ends[j] - t)
        # a long pause reaches further: the warp may end a sentence anywhere in it
        if dist > SEARCH + min(pause_ends[j] - pause_starts[j], SEARCH) // 2:
            continue
        score = dist - PAUSE_WEIGHT * min(pause_ends[j] - pause_starts[j], SEARCH)
        if best_score is None or score < best_score:
            best, best_score = j, score
    if best is None:
        return estimate_ms
    length = pause_ends[best] - pause_starts[best]
    frame = pause_ends[best] - max(min(lead, length // 2), min(LEAD, length))
    return int(round(frame * ENERGY_HOP * 1000))


def snap_end(estimate_ms: int, pause_starts: np.ndarray, pause_ends: np.ndarray) -> int:
    """A sentence end moved to just after the last sound before the nearest pause."""
    t = estimate_ms / 1000.0 / ENERGY_HOP
    i = np.searchsorted(pause_starts, t)
    best = None
    for j in (i - 1, i):
        if 0 <= j < len(pause_starts) and abs(pause_starts[j] - t) <= SEARCH:
            if best is None or abs(pause_starts[j] - t) < abs(pause_starts[best] - t):
                best = j
    if best is None:
        return estimate_ms
    frame = min(pause_ends[best], pause_starts[best] + LEAD)
    return int(round(frame * ENERGY_HOP * 1000))


def take_filler(begin_ms: int, floor_ms: int, pause_starts: np.ndarray,
                pause_ends: np.ndarray, lead: int = LEAD) -> int:
    """A start moved back over short bursts of speech (each at most FILLER frames, up
    to FILLERS of them within FILLER_SPAN frames) alone in the pauses before it ("Um,
    uh, this is me": the "um" begins the sentence), to `lead` frames before the first;
    never over a burst within FILLER_CLEAR frames of `floor_ms`, where the sentence
    before it ends."""
    t = int(begin_ms / 1000.0 / ENERGY_HOP)
    floor = floor_ms / 1000.0 / ENERGY_HOP + FILLER_CLEAR
    taken = None
    for _ in range(FILLERS):
        j = int(np.searchsorted(pause_ends, t, side="right"))
        if j >= len(pause_ends) or pause_starts[j] > t or j == 0:
            break  # not in a pause, or no pause before a burst
        burst_start, burst_end = pause_ends[j - 1], pause_starts[j]
        if burst_end - burst_start > FILLER or burst_start < floor or \
                int(begin_ms / 1000.0 / ENERGY_HOP) - burst_start > FILLER_SPAN:
            break
        taken = j - 1
        t = burst_start - 1  # inside the pause before this burst
    if taken is None:
        return begin_ms
    length = pause_ends[taken] - pause_starts[taken]
    frame = pause_ends[taken] - max(min(lead, length // 2), min(LEAD, length))
    return int(round(frame * ENERGY_HOP * 1000))
