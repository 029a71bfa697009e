"""Dynamic time warping of a recording onto the synthesised reading, in bounded windows.

The reading is a chain of states: a *gap* before each sentence, then the sentence's
frames, then a final gap. Every recording frame is spent in exactly one state, moving
forward 0-3 states per frame (the speaker may be up to three times faster than eSpeak).
Two things make it robust to transcripts that do not match the audio:

- a gap takes any frame at a fixed *filler* cost (cheap for silence), so speech that the
  transcript left out is absorbed between sentences instead of stretching its neighbours;
- a gap may jump to the next gap, skipping a sentence that was never said, at a penalty.

The search runs over windows of a minute of audio and a band of the reading that widens
through the window; each window commits its path up to the last gap five sixths of the
way in and the next window starts there, so memory is bounded, time grows linearly and
errors do not accumulate over hours.
"""

from __future__ import annotations

import ctypes
import importlib.machinery
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

INF = np.float32(1e30)
MAX_STEP = 3
_ROWS = 250  # rows of a window whose distances are computed at once
SKIP_ROOM = 1000  # states (40 s of reading) of text a window may skip beyond its pace
# A window that is not the last ends in the state its costs so far favour, blind to what
# that state leaves for the rest of the recording: where the evidence is weak (pauses a
# second or two long, filled by noise or other voices), running ahead of the speech is a
# little cheaper at every window's end, and the text, once ahead, never falls back; it
# ran out 20-40 s before a meeting did. Each end state pays this much per state it lies
# from where the recording's average pace would put the text (so a window ahead or
# behind for cause, an unscripted minute or text left unsaid, still wins on its costs).
# Chosen on a held-out meeting under the sweep's noises (white 6 dB 0.153 -> 0.972 from
# 0.05 up; babble 10 dB 0.278 -> 0.681 from 0.2 up, the same to 1.0); checked on the
# sweep matrix of five cases and the nine benchmark cases (unchanged but for keeper-
# neural babble 10 dB 0.918 -> 0.980 and seed-clean babble 3 dB 0.787 -> 0.754)
PACE_PULL = 0.2
PACE_REACH = 250  # states (10 s of reading) beyond which the pull grows no more: a text
# far from the average pace for cause (a long unscripted intro) is not drawn back to it
# (100 lost the meeting's gain, 250 and 500 kept it)


@dataclass(frozen=True)
class Chain:
    """The state chain built from the reading's sentence spans."""

    frame: np.ndarray  # per state: reading frame index, or -1 for a gap
    gap_of: np.ndarray  # per sentence k (and k = K): state index of the gap before it
    skip_penalty: np.ndarray  # per sentence: cost of skipping it
    filler: np.ndarray  # per state: the scale of the filler cost in a gap (0 elsewhere)

    @classmethod
    def build(cls, spans: np.ndarray, skip_penalty: np.ndarray,
              gap_filler: np.ndarray | None = None) -> Chain:
        """States for sentences with reading frames [lo, hi) each. `gap_filler` (one per
        gap, default 1) scales the filler cost of each gap: cheaper where unscripted sound
        is to be expected (before the first sentence, after the last, where the
        transcript notes [laughter] or [MUSIC])."""
        frames: list[np.ndarray] = []
        gap_of = np.zeros(len(spans) + 1, np.int64)
        q = 0
        for k, (lo, hi) in enumerate(spans):
            gap_of[k] = q
            frames.append(np.array([-1]))
            span = np.arange(lo, max(hi, lo + 1))
            frames.append(span)
            q += 1 + len(span)
        gap_of[len(spans)] = q
        frames.append(np.array([-1]))
        frame = np.concatenate(frames).astype(np.int64)
        filler = np.zeros(len(frame), np.float32)
        filler[gap_of] = 1.0 if gap_filler is None else gap_filler
        return cls(frame, gap_of, np.asarray(skip_penalty, np.float32), filler)


def warp(
    real: np.ndarray,
    gap_cost: np.ndarray,
    quiet: np.ndarray,
    reading: np.ndarray,
    chain: Chain,
    quiet_cost: float = 1.0,
    stay_cost: float = 0.0,
    jump_cost: float = 0.0,
    match_scale: float = 1.0,
    window: int = 1500,
    commit: int = 1250,
    progress: Callable[[float], None] | None = None,
) -> np.ndarray:
    """Best path of `real` frames (N x D) through `chain` over `reading` frames (M x D):
    per real frame, the state it is spent in.

    gap_cost: per real frame, its cost when spent in a gap (the filler cost).
    quiet:    per real frame, the share of it that is silence; a reading frame matched
              to it costs `quiet_cost` more, so pauses fall between sentences.
    stay_cost, jump_cost: added when a reading frame is held for another recording
              frame, and per reading frame passed over; they keep a sentence from being
              stretched over speech that is not its own, or squeezed into a little of it.
    match_scale: multiplies every frame's match cost, so that a recording whose frames
              all match worse (noise, a room, a phone line) is held to its own standard.
    """
    real = np.ascontiguousarray(real, dtype=np.float32)
    gap_cost = np.ascontiguousarray(gap_cost, dtype=np.float32)
    quiet = np.ascontiguousarray(quiet, dtype=np.float32)
    n = len(real)
    q_total = len(chain.frame)
    ratio = q_total / max(1, n)
    # band of states per window: twice the average pace, plus room for skipped text
    width = int(window * max(2.0, 2.0 * ratio)) + SKIP_ROOM
    state = np.zeros(n, np.int64)
    tempo = (np.float32(stay_cost), np.float32(jump_cost), np.float32(match_scale))
    i0, q0 = 0, 0
    while i0 < n:
        i1 = min(n, i0 + window)
        last = i1 == n
        q1 = min(q_total, q0 + width)
        if last and q_total - q0 <= 2 * width:
            q1 = q_total  # let the final window reach the end of the text
        # where the text would stand at the window's end at the recording's average pace
        expected = q_total - ratio * (n - i1)
        seg_state = _window(real[i0:i1], gap_cost[i0:i1], quiet[i0:i1], quiet_cost,
                            tempo, reading, chain, q0, q1, final=last, expected=expected)
        if last:
            state[i0:i1] = seg_state
            break
        stop = _commit_point(seg_state, chain, commit)
        state[i0:i0 + stop] = seg_state[:stop]
        i0, q0 = i0 + stop, int(seg_state[stop - 1])
        if progress:
            progress(i0 / n)
    if progress:
        progress(1.0)
    return state


def _commit_point(seg_state: np.ndarray, chain: Chain, commit: int) -> int:
    """How many frames of a window to keep: up to the last gap frame before `commit`."""
    is_gap = chain.frame[seg_state[:commit]] < 0
    gaps = np.nonzero(is_gap)[0]
    if len(gaps) and gaps[-1] > commit // 4:
        return int(gaps[-1]) + 1
    return commit


def _window(real, gap_cost, quiet, quiet_cost, tempo, reading, chain: Chain, q0: int,
            q1: int, final: bool = False, expected: float = 0.0):
    """Exact DP over rows of `real` and states [q0, q1), starting in state q0. The last
    window of a recording may end anywhere, paying for the sentences it leaves unsaid;
    any other ends nearest the text's `expected` state, other costs being near equal
    (PACE_PULL)."""
    frames = chain.frame[q0:q1]
    w = q1 - q0
    is_gap = frames < 0
    # coefficients x states, so the kernel's inner loop runs along memory
    feats_t = np.ascontiguousarray(reading[np.where(is_gap, 0, frames)].T, dtype=np.float32)
    skip_from, skip_to, skip_pen = _skips(chain, q0, q1)
    skip_from, skip_to = skip_from.astype(np.int64), skip_to.astype(np.int64)
    skip_pen = skip_pen.astype(np.float32)
    bp = np.zeros((len(real), w), np.uint8)
    filler = np.ascontiguousarray(chain.filler[q0:q1], dtype=np.float32)
    stay_cost, jump_cost, match_scale = tempo
    stay_add, add2, add3 = _moves(is_gap, stay_cost, jump_cost)
    base = min(w, SKIP_ROOM)
    slope = (w - base) / len(real)
    prev = np.full(w, INF, np.float32)
    prev[0] = 0.0  # the window starts in its first state
    # the kernel writes a row only inside the band, which only widens: beyond it, both
    # rows keep the INF they are made with
    cur = np.full(w, INF, np.float32)
    rows = min(len(real), _ROWS)
    dist = np.empty((rows, w), np.float32)
    lows = np.empty(rows, np.float32)
    for r0 in range(0, len(real), _ROWS):
        # distances of a block of rows, then the recurrence through them
        r1 = min(len(real), r0 + _ROWS)
        _distances(real, feats_t, is_gap, r0, r1, base, slope, dist, lows)
        prev, cur = _dp(dist, lows, r0, r1, gap_cost, is_gap, stay_add, add2, add3,
                        skip_from, skip_to, skip_pen, bp, quiet, filler,
                        np.float32(quiet_cost), stay_cost, jump_cost, match_scale, base,
                        slope, prev, cur)
    if final:
        end = int(np.argmin(prev + _left_unsaid(chain, q0, q1)))
    else:
        off = np.minimum(np.abs(np.arange(q0, q1) - expected), PACE_REACH)
        end = int(np.argmin(prev + PACE_PULL * off))
    skip_src = np.full(w, -1, np.int64)
    skip_src[skip_to] = skip_from
    return _backtrack(bp, end, skip_src) + q0


_NEVER = np.float32(1e38)  # the cost added to a move a state does not allow (> any INF sum)


def _moves(is_gap: np.ndarray, stay_cost: np.float32, jump_cost: np.float32):
    """The moves each state allows, as costs added to the source's (a move not allowed
    costs _NEVER), so the kernel's inner loop has no branches and runs on vectors: into
    each state from itself, from two states back, from three states back."""
    stay_add = np.where(is_gap, np.float32(0.0), stay_cost).astype(np.float32)
    add2 = np.full(len(is_gap), _NEVER, np.float32)
    # steps over 2 or 3 states may not jump over a gap: every boundary visits one
    add2[2:][~is_gap[1:-1]] = jump_cost
    # the three-state step is summed in double precision, as the scalar kernel always did
    add3 = np.full(len(is_gap), np.float64(_NEVER))
    add3[3:][~is_gap[2:-1] & ~is_gap[1:-2]] = 2 * np.float64(jump_cost)
    return stay_add, add2, add3


def _pointer(a: np.ndarray, dtype: type) -> int:
    """The address of `a`'s data, which must be C-contiguous and of `dtype` (the
    kernels read and write raw memory: a copy or a view with strides would be wrong)."""
    if a.dtype != dtype or not a.flags.c_contiguous:
        raise TypeError(f"a kernel needs C-contiguous {np.dtype(dtype).name}, got "
                        f"{a.dtype.name} {'C' if a.flags.c_contiguous else 'strided'}")
    return a.ctypes.data


def _distances(real, feats_t, is_gap, r0, r1, band_base, band_slope, out, lows) -> None:
    """Mean squared differences of rows [r0, r1) of `real` to the band's reading frames,
    into out[i - r0], and each row's least over the sentences' states into lows[i - r0]
    (`_kernels.c`, tp_distances). One core: the recurrence that follows is serial, and
    on a shared machine a parallel loop's barrier waits for whichever thread was
    descheduled."""
    d = real.shape[1]
    w = feats_t.shape[1]
    if len(out) < r1 - r0 or out.shape[1] != w or len(lows) < r1 - r0 or len(is_gap) < w:
        raise ValueError("the distances' buffers do not fit the band")
    _kernels().tp_distances(_pointer(real, np.float32), d, _pointer(feats_t, np.float32),
                            w, _pointer(is_gap.view(np.uint8), np.uint8), r0, r1,
                            float(band_base), float(band_slope),
                            _pointer(out, np.float32), _pointer(lows, np.float32))


def _dp(dist, lows, r0, r1, gap_cost, is_gap, stay_add, add2, add3, skip_from, skip_to,
        skip_pen, bp, quiet, filler, quiet_cost, stay_cost, jump_cost, match_scale,
        band_base, band_slope, prev, cur):
    """The recurrence through rows [r0, r1) from the costs of the row before (`prev`);
    choices into bp; returns the last row's costs and a spare row (`_kernels.c`, tp_dp;
    `reference_window` in tests/alignment/test_dtw.py writes it out plainly)."""
    w = dist.shape[1]
    if len(bp) < r1 or bp.shape[1] != w or len(prev) != w or len(cur) != w:
        raise ValueError("the recurrence's buffers do not fit the window")
    skip_from = np.ascontiguousarray(skip_from, np.int64)
    skip_to = np.ascontiguousarray(skip_to, np.int64)
    skip_pen = np.ascontiguousarray(skip_pen, np.float32)
    swapped = _kernels().tp_dp(
        _pointer(dist, np.float32), _pointer(lows, np.float32), r0, r1,
        _pointer(gap_cost, np.float32), _pointer(is_gap.view(np.uint8), np.uint8),
        _pointer(stay_add, np.float32), _pointer(add2, np.float32),
        _pointer(add3, np.float64), _pointer(skip_from, np.int64),
        _pointer(skip_to, np.int64), _pointer(skip_pen, np.float32), len(skip_to),
        _pointer(bp, np.uint8), _pointer(quiet, np.float32), _pointer(filler, np.float32),
        float(quiet_cost), float(stay_cost), float(jump_cost), float(match_scale),
        float(band_base), float(band_slope), _pointer(prev, np.float32),
        _pointer(cur, np.float32), w)
    return (cur, prev) if swapped else (prev, cur)


def _left_unsaid(chain: Chain, q0: int, q1: int) -> np.ndarray:
    """Per state of [q0, q1), the skip penalties of the sentences a path ending there
    leaves unsaid: a recording that stops before its transcript does ends early, but
    only where the evidence outweighs saying the rest, as for a skip in the middle."""
    tail = np.concatenate([np.cumsum(chain.skip_penalty[::-1])[::-1], [0.0]])
    q = np.arange(q0, q1)
    k = np.searchsorted(chain.gap_of, q, side="right") - 1  # the sentence q is in (or
    # the gap before it); a path ending inside sentence k has said k
    after = np.where(chain.frame[q] < 0, k, k + 1)
    return np.minimum(tail[np.minimum(after, len(tail) - 1)], INF).astype(np.float32)


def _skips(chain: Chain, q0: int, q1: int):
    """Gap-to-next-gap jumps inside the window, as local indices and penalties."""
    k = np.nonzero((chain.gap_of[:-1] >= q0) & (chain.gap_of[1:] < q1))[0]
    return (chain.gap_of[k] - q0, chain.gap_of[k + 1] - q0, chain.skip_penalty[k])


def _backtrack(bp: np.ndarray, end: int, skip_src: np.ndarray) -> np.ndarray:
    """The window's states, read back from the choices stored per row (`_kernels.c`:
    in Python it took 0.15 s of the 67-minute case, half of it in the sentences'
    warps)."""
    n, w = bp.shape
    skip_src = np.ascontiguousarray(skip_src, np.int64)
    if len(skip_src) != w or not 0 <= end < max(w, 1):
        raise ValueError("the backtrack's end or skips do not fit the window")
    states = np.zeros(n, np.int64)
    _kernels().tp_backtrack(_pointer(bp, np.uint8), n, w, end, _pointer(skip_src, np.int64),
                            _pointer(states, np.int64))
    return states


def match_costs(real: np.ndarray, reading: np.ndarray, at: np.ndarray, frames: np.ndarray,
                reach: int) -> np.ndarray:
    """Per recording frame `at[j]` matched to reading frame `frames[j]`: the mean
    squared difference of the two, less the least of the reading frames within `reach`
    before it and `reach` - 1 after it (float32). The sums are numpy's, to the bit:
    each row of squared differences is added as numpy's pairwise sum adds a row (eight
    partial sums from eight elements on, then the rest one by one), then divided by its
    length (`_kernels.c`); frame by frame in numpy the 67-minute case's 4,000 took
    0.19 s."""
    d = real.shape[1]
    at = np.ascontiguousarray(at, np.int64)
    frames = np.ascontiguousarray(frames, np.int64)
    if reading.shape[1] != d or not 0 < d <= 128 or len(at) != len(frames):
        raise ValueError("match_costs needs frames of 1-128 coefficients, alike")
    if len(at) and (at.min() < 0 or at.max() >= len(real) or frames.min() < 0
                    or frames.max() >= len(reading)):
        raise IndexError("a frame matched lies outside the recording or the reading")
    out = np.empty(len(at), np.float32)
    _kernels().tp_match_costs(_pointer(real, np.float32), _pointer(reading, np.float32),
                              len(reading), d, _pointer(at, np.int64),
                              _pointer(frames, np.int64), len(at), int(reach),
                              _pointer(out, np.float32))
    return out


@cache
def _kernels() -> ctypes.CDLL:
    """The compiled kernels (`alignment/_kernels.c`, built with the package), loaded
    once; an ImportError says how to build them when they are missing."""
    folder = Path(__file__).resolve().parent
    found = [folder / f"_kernels{suffix}" for suffix in importlib.machinery.EXTENSION_SUFFIXES
             if (folder / f"_kernels{suffix}").is_file()]
    if not found:
        raise ImportError(
            f"the warp's compiled kernels (_kernels*.so) are missing from {folder}: "
            "install the package (pip install ., or pip install -e . in a checkout), "
            "which compiles alignment/_kernels.c with the system's C compiler")
    lib = ctypes.CDLL(str(found[0]))
    i64, f32, f64, ptr = ctypes.c_int64, ctypes.c_float, ctypes.c_double, ctypes.c_void_p
    lib.tp_distances.argtypes = [ptr, i64, ptr, i64, ptr, i64, i64, f64, f64, ptr, ptr]
    lib.tp_distances.restype = None
    lib.tp_dp.argtypes = [ptr, ptr, i64, i64, ptr, ptr, ptr, ptr, ptr, ptr, ptr, ptr, i64,
                          ptr, ptr, ptr, f32, f32, f32, f32, f64, f64, ptr, ptr, i64]
    lib.tp_dp.restype = ctypes.c_int
    lib.tp_backtrack.argtypes = [ptr, i64, i64, i64, ptr, ptr]
    lib.tp_backtrack.restype = None
    lib.tp_match_costs.argtypes = [ptr, ptr, i64, i64, ptr, ptr, i64, i64, ptr]
    lib.tp_match_costs.restype = None
    lib.tp_use_fast.argtypes = [ctypes.c_int]
    lib.tp_use_fast.restype = ctypes.c_int
    return lib


def use_vector_kernels(allowed: bool) -> bool:
    """Whether the warp runs the kernels' AVX2 versions where the machine has them (the
    default) or their plain C everywhere, which finds the same paths (the tests check
    both); returns whether the AVX2 versions will run."""
    return bool(_kernels().tp_use_fast(int(allowed)))
