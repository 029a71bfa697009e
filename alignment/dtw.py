"""Dynamic time warping of a recording onto the synthesised reading, in bounded windows.

The reading is a chain of states: a *gap* before each sentence, then the sentence's
frames, then a final gap. Every recording frame is spent in exactly one state, moving
forward 0-3 states per frame (the speaker may be up to three times faster than eSpeak).
Two things make it robust to transcripts that do not match the audio:

- a gap takes any frame at a fixed *filler* cost (cheap for silence), so speech that the
  transcript left out is absorbed between sentences instead of stretching its neighbours;
- a gap may jump to the next gap, skipping a sentence that was never said, at a penalty.

The search runs over windows of about a minute of audio and a band of the reading; each
window commits its path up to a gap two thirds of the way in and the next window starts
there, so memory is bounded and errors do not accumulate over hours.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

INF = np.float32(1e30)
MAX_STEP = 3


@dataclass(frozen=True)
class Chain:
    """The state chain built from the reading's sentence spans."""

    frame: np.ndarray  # per state: reading frame index, or -1 for a gap
    gap_of: np.ndarray  # per sentence k (and k = K): state index of the gap before it
    skip_penalty: np.ndarray  # per sentence: cost of skipping it

    @classmethod
    def build(cls, spans: np.ndarray, skip_penalty: np.ndarray) -> Chain:
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
        return cls(np.concatenate(frames).astype(np.int64), gap_of,
                   np.asarray(skip_penalty, np.float32))


@dataclass(frozen=True)
class Path:
    """Per recording frame, the state it was spent in, and its local cost."""

    state: np.ndarray  # int64, one per recording frame
    cost: np.ndarray  # float32, one per recording frame


def warp(
    real: np.ndarray,
    gap_cost: np.ndarray,
    reading: np.ndarray,
    chain: Chain,
    window: int = 1500,
    commit: int = 1000,
    progress: Callable[[float], None] | None = None,
) -> Path:
    """Best path of `real` frames (N x D) through `chain` over `reading` frames (M x D).

    gap_cost: per real frame, its cost when spent in a gap (the filler cost).
    """
    n = len(real)
    q_total = len(chain.frame)
    ratio = q_total / max(1, n)
    # band of states per window: twice the average pace, plus room for skipped text
    width = int(window * max(2.0, 2.0 * ratio)) + 1000
    state = np.zeros(n, np.int64)
    cost = np.zeros(n, np.float32)
    i0, q0 = 0, 0
    while i0 < n:
        i1 = min(n, i0 + window)
        last = i1 == n
        q1 = min(q_total, q0 + width)
        if last and q_total - q0 <= 2 * width:
            q1 = q_total  # let the final window reach the end of the text
        seg_state, seg_cost = _window(real[i0:i1], gap_cost[i0:i1], reading, chain, q0, q1,
                                      end_at_last=last and q1 == q_total)
        if last:
            state[i0:i1], cost[i0:i1] = seg_state, seg_cost
            break
        stop = _commit_point(seg_state, chain, commit)
        state[i0:i0 + stop], cost[i0:i0 + stop] = seg_state[:stop], seg_cost[:stop]
        i0, q0 = i0 + stop, int(seg_state[stop - 1])
        if progress:
            progress(i0 / n)
    if progress:
        progress(1.0)
    return Path(state, cost)


def _commit_point(seg_state: np.ndarray, chain: Chain, commit: int) -> int:
    """How many frames of a window to keep: up to the last gap frame before `commit`."""
    is_gap = chain.frame[seg_state[:commit]] < 0
    gaps = np.nonzero(is_gap)[0]
    if len(gaps) and gaps[-1] > commit // 4:
        return int(gaps[-1]) + 1
    return commit


def _window(real, gap_cost, reading, chain: Chain, q0: int, q1: int, end_at_last: bool):
    """Exact DP over rows of `real` and states [q0, q1), starting in state q0."""
    frames = chain.frame[q0:q1]
    w = q1 - q0
    is_gap = frames < 0
    d = real.shape[1]
    feats = reading[np.where(is_gap, 0, frames)]
    feat_sq = np.einsum("ij,ij->i", feats, feats)
    # a step over 2 or 3 states may not jump over a gap: every boundary visits one
    step_ok = np.zeros((MAX_STEP + 1, w), np.float32)
    for s in range(2, MAX_STEP + 1):
        for back in range(1, s):
            step_ok[s, s:] += np.where(is_gap[s - back:w - back], INF, 0)
        step_ok[s, :s] = INF
    gap_idx = np.nonzero(is_gap)[0]
    skip_from, skip_to, skip_pen = _skips(chain, q0, q1)

    bp = np.zeros((len(real), w), np.uint8)
    cand = np.full((MAX_STEP + 2, w), INF, np.float32)
    prev = np.full(w, INF, np.float32)
    prev_start = np.float32(0.0)
    block = 64
    row_cost = np.empty(w, np.float32)
    for b0 in range(0, len(real), block):
        rb = real[b0:b0 + block]
        local = (np.einsum("ij,ij->i", rb, rb)[:, None] + feat_sq[None, :]
                 - 2.0 * rb @ feats.T) / d
        for r in range(len(rb)):
            i = b0 + r
            row_cost[:] = local[r]
            row_cost[gap_idx] = gap_cost[i]
            if i == 0:
                # enter from the virtual start in state q0 (the window's first state)
                cand.fill(INF)
                for s in range(0, MAX_STEP + 1):
                    if s < w and (s < 2 or step_ok[s, s] == 0):
                        cand[s, s] = prev_start
            else:
                cand[0] = prev
                cand[1, 0] = INF
                cand[1, 1:] = prev[:-1]
                for s in range(2, MAX_STEP + 1):
                    np.add(prev[:-s], step_ok[s, s:], out=cand[s, s:])
                    cand[s, :s] = INF
                cand[MAX_STEP + 1].fill(INF)
                if len(skip_to):
                    cand[MAX_STEP + 1, skip_to] = prev[skip_from] + skip_pen
            choice = cand.argmin(axis=0)
            bp[i] = choice
            prev = cand[choice, np.arange(w)] + row_cost
        del local
    end = w - 1 if end_at_last and prev[w - 1] < INF else int(np.argmin(prev))
    return _backtrack(bp, end, q0, skip_from, skip_to, real, reading, feats, gap_cost, is_gap)


def _skips(chain: Chain, q0: int, q1: int):
    """Gap-to-next-gap jumps inside the window, as local indices and penalties."""
    k = np.nonzero((chain.gap_of[:-1] >= q0) & (chain.gap_of[1:] < q1))[0]
    return (chain.gap_of[k] - q0, chain.gap_of[k + 1] - q0, chain.skip_penalty[k])


def _backtrack(bp, end, q0, skip_from, skip_to, real, reading, feats, gap_cost, is_gap):
    n = len(bp)
    states = np.zeros(n, np.int64)
    skip_back = dict(zip(skip_to.tolist(), skip_from.tolist(), strict=True))
    q = end
    for i in range(n - 1, -1, -1):
        states[i] = q
        c = int(bp[i, q])
        q = skip_back[q] if c == MAX_STEP + 1 else q - c
    costs = np.where(
        is_gap[states], gap_cost,
        ((real - feats[states]) ** 2).sum(axis=1) / real.shape[1],
    ).astype(np.float32)
    return states + q0, costs
