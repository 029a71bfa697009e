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

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numba import njit

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


def prepare() -> None:
    """Load the kernels compiled by an earlier run (numba's cache), by a warp of two
    frames: 0.2 s of a core, better spent while the caller waits on other work than at
    its first warp (`alignment.engine` does it while eSpeak's reading ends)."""
    real = np.zeros((2, 1), np.float32)
    chain = Chain.build(np.array([(0, 1)]), np.ones(1, np.float32))
    warp(real, np.ones(2, np.float32), np.zeros(2, np.float32), real[:1], chain)


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


def _band(i: int, w: int, band_base: float, band_slope: float) -> int:
    """States the band holds at row i of a window: it widens as the window goes on, at
    twice the average pace plus room for skipped text, so early rows look at few."""
    return min(w, int(band_base + band_slope * (i + 1)))


_band_jit = njit(cache=True)(_band)
_INF_BITS = np.array([INF]).view(np.int32)[0]  # INF, as the integer of its bits
_NO_SIGN = np.int32(0x7FFFFFFF)


@njit(cache=True, fastmath=True, nogil=True)
def _distances(real, feats_t, is_gap, r0, r1, band_base, band_slope, out, lows):
    """Mean squared differences of rows [r0, r1) of `real` to the band's reading frames,
    into out[i - r0], and each row's least over the sentences' states into lows[i - r0].
    One core: the recurrence that follows is serial, and on a shared machine a parallel
    loop's barrier waits for whichever thread was descheduled."""
    d = real.shape[1]
    w = feats_t.shape[1]
    low_bits = lows.view(np.int32)
    for i in range(r0, r1):
        hi = _band_jit(i, w, band_base, band_slope)
        o = out[i - r0]
        # five coefficients at a time over the band, so the compiler can vectorise it
        # and each state's sum stays in a register for five of them: the same sums in
        # the same order as one coefficient at a time, with a fifth of the loads and
        # stores of the sums (0.93 -> 0.6 s of the 67-minute case's warp)
        j = 0
        while j + 5 <= d:
            r_0, r_1, r_2, r_3, r_4 = real[i, j], real[i, j + 1], real[i, j + 2], \
                real[i, j + 3], real[i, j + 4]
            f_0, f_1, f_2, f_3, f_4 = feats_t[j], feats_t[j + 1], feats_t[j + 2], \
                feats_t[j + 3], feats_t[j + 4]
            first = j == 0
            for k in range(hi):
                q = np.uintp(k)
                acc = np.float32(0.0) if first else o[q]
                t = r_0 - f_0[q]
                acc += t * t
                t = r_1 - f_1[q]
                acc += t * t
                t = r_2 - f_2[q]
                acc += t * t
                t = r_3 - f_3[q]
                acc += t * t
                t = r_4 - f_4[q]
                acc += t * t
                o[q] = acc
            j += 5
        if j == 0:
            for q in range(hi):
                o[q] = 0.0
        for jj in range(j, d):
            r = real[i, jj]
            for q in range(hi):
                diff = r - feats_t[jj, q]
                o[q] += diff * diff
        # the mean, and the least by the bits: distances are never negative, so they
        # order as their bits do, and a least of integers runs on vectors where one of
        # floats does not (the sign bit is dropped so that a NaN, of either sign, is
        # passed over as the comparison of floats passed it over)
        bits = o.view(np.int32)
        low = _INF_BITS
        for k in range(hi):
            q = np.uintp(k)
            o[q] /= d
            low = min(low, _INF_BITS if is_gap[q] else bits[q] & _NO_SIGN)
        low_bits[i - r0] = low


@njit(cache=True, fastmath=True, nogil=True)
def _state(q, row, low, gi, qq, prev, is_gap, filler, src, skip_cost, stay_cost,
           jump_cost, match_scale):
    """One state's cost and choice by the recurrence written out plainly, for the first
    states of a row (whose moves would reach before the window) and the skips' targets."""
    if is_gap[q]:
        c = gi * filler[q]
    else:
        c = (row[q] - low) * match_scale + qq
    best = prev[q] if is_gap[q] else prev[q] + stay_cost
    choice = 0
    if q >= 1 and prev[q - 1] < best:
        best = prev[q - 1]
        choice = 1
    # steps over 2 or 3 states may not jump over a gap: every boundary visits one
    if q >= 2 and not is_gap[q - 1]:
        if prev[q - 2] + jump_cost < best:
            best = prev[q - 2] + jump_cost
            choice = 2
        if q >= 3 and not is_gap[q - 2] and prev[q - 3] + 2 * jump_cost < best:
            best = prev[q - 3] + 2 * jump_cost
            choice = 3
    if src >= 0 and prev[src] + skip_cost < best:
        best = prev[src] + skip_cost
        choice = 4
    return np.float32(best + c), choice


@njit(cache=True, fastmath=True, nogil=True)
def _row(prev, cur, choices, row, low, gi, qq, is_gap, filler, stay_add, add2, add3,
         match_scale, hi):
    """States [MAX_STEP, hi) of a row, skips aside, without branches so they run as
    vectors: the recurrence of `_state`, each move's condition folded into its cost."""
    if hi <= MAX_STEP:
        return
    # views that line up each state with its sources, indexed without sign: a signed
    # index makes numba wrap negatives round, which turns every load into a gather
    p0, p1, p2, p3 = prev[3:hi], prev[2:hi - 1], prev[1:hi - 2], prev[:hi - 3]
    out, choice_out = cur[3:hi], choices[3:hi]
    dist, gap, fill = row[3:hi], is_gap[3:hi], filler[3:hi]
    a0, a2, a3 = stay_add[3:hi], add2[3:hi], add3[3:hi]
    for k in range(hi - MAX_STEP):
        j = np.uintp(k)
        best = p0[j] + a0[j]
        choice = 0
        v = p1[j]
        if v < best:
            best = v
            choice = 1
        v = p2[j] + a2[j]
        if v < best:
            best = v
            choice = 2
        best64 = np.float64(best)
        v64 = np.float64(p3[j]) + a3[j]
        if v64 < best64:
            best64 = v64
            choice = 3
        # both costs, then a choice of them, so no load waits on a branch
        gap_c = gi * fill[j]
        match_c = (dist[j] - low) * match_scale + qq
        c = gap_c if gap[j] else match_c
        out[j] = np.float32(best64 + c)
        choice_out[j] = choice


@njit(cache=True, fastmath=True, nogil=True)
def _dp(dist, lows, r0, r1, gap_cost, is_gap, stay_add, add2, add3, skip_from, skip_to,
        skip_pen, bp, quiet, filler, quiet_cost, stay_cost, jump_cost, match_scale,
        band_base, band_slope, prev, cur):
    """The recurrence through rows [r0, r1) from the costs of the row before (`prev`);
    choices into bp; returns the last row's costs and a spare row. A state's cost in a
    row depends only on the row before, so the states of a row are computed as vectors,
    without the skips, which are then put right at their few targets."""
    w = dist.shape[1]
    for i in range(r0, r1):
        hi = _band_jit(i, w, band_base, band_slope)
        row = dist[i - r0]
        choices = bp[i]
        # each frame's costs are taken relative to its best match in the band, so noise
        # or an odd voice, which raise every cost, do not make the filler look cheap
        low = lows[i - r0]
        gi = gap_cost[i]
        qq = quiet_cost * quiet[i]
        for q in range(min(hi, MAX_STEP)):
            cur[q], choices[q] = _state(q, row, low, gi, qq, prev, is_gap, filler, -1,
                                        np.float32(0.0), stay_cost, jump_cost,
                                        match_scale)
        _row(prev, cur, choices, row, low, gi, qq, is_gap, filler, stay_add, add2, add3,
             match_scale, hi)
        for k in range(len(skip_to)):
            q = skip_to[k]
            if q < hi:
                cur[q], choices[q] = _state(q, row, low, gi, qq, prev, is_gap, filler,
                                            skip_from[k], skip_pen[k], stay_cost,
                                            jump_cost, match_scale)
        prev, cur = cur, prev
    return prev, cur


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


@njit(cache=True, nogil=True)
def _backtrack(bp: np.ndarray, end: int, skip_src: np.ndarray) -> np.ndarray:
    """The window's states, read back from the choices stored per row (compiled: in
    Python it took 0.15 s of the 67-minute case, half of it in the sentences' warps)."""
    n = len(bp)
    states = np.zeros(n, np.int64)
    q = end
    for i in range(n - 1, -1, -1):
        states[i] = q
        c = bp[i, q]
        q = skip_src[q] if c == MAX_STEP + 1 else q - c
    return states


@njit(cache=True, nogil=True)
def match_costs(real, reading, at, frames, reach):
    """Per recording frame `at[j]` matched to reading frame `frames[j]`: the mean
    squared difference of the two, less the least of the reading frames within `reach`
    before it and `reach` - 1 after it (float32). The sums are numpy's, to the bit:
    each row of squared differences is added as numpy's pairwise sum adds a row (eight
    partial sums from eight elements on, then the rest one by one), then divided by its
    length; frame by frame in numpy the 67-minute case's 4,000 took 0.19 s."""
    d = real.shape[1]
    out = np.empty(len(at), np.float32)
    sq = np.empty(d, np.float32)
    for j in range(len(at)):
        f = frames[j]
        lo, hi = max(0, f - reach), min(len(reading), f + reach)
        own = np.float32(0.0)
        least = np.float32(np.inf)
        for m in range(lo, hi):
            for c in range(d):
                t = reading[m, c] - real[at[j], c]
                sq[c] = t * t
            v = _pairwise_sum(sq) / np.float32(d)
            if m == f:
                own = v
            least = min(least, v)
        out[j] = own - least
    return out


@njit(cache=True, nogil=True)
def _pairwise_sum(a):
    """numpy's sum of a short float32 row (up to 128 elements), in its order."""
    n = len(a)
    if n < 8:
        s = np.float32(0.0)
        for i in range(n):
            s += a[i]
        return s
    r0, r1, r2, r3 = a[0], a[1], a[2], a[3]
    r4, r5, r6, r7 = a[4], a[5], a[6], a[7]
    i = 8
    while i + 8 <= n:
        r0 += a[i]
        r1 += a[i + 1]
        r2 += a[i + 2]
        r3 += a[i + 3]
        r4 += a[i + 4]
        r5 += a[i + 5]
        r6 += a[i + 6]
        r7 += a[i + 7]
        i += 8
    s = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))
    while i < n:
        s += a[i]
        i += 1
    return s
