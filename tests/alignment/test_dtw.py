"""The warp's vectorised kernels against the recurrence written out plainly.

Inputs are drawn on a grid of quarters (with four coefficients, so the mean divides
exactly), which keeps every sum and product exact in single precision: the kernels and
the reference must then agree on every cost, ties included, so the test pins the order
in which equal moves are preferred as well as the moves, gaps, skips and band.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from alignment import dtw

COEFFS = 4


def quarters(rng: np.random.Generator, shape, top: float) -> np.ndarray:
    """Random multiples of 1/4 in [0, top]."""
    return (rng.integers(0, int(top * 4) + 1, shape) / 4).astype(np.float32)


def reference_window(real, gap_cost, quiet, quiet_cost, tempo, reading, chain, q0, q1,
                     final, skip_room, expected=0.0):
    """The window's best path by the recurrence, one state and one move at a time."""
    stay, jump, scale = (float(t) for t in tempo)
    n = len(real)
    w = q1 - q0
    frame = chain.frame[q0:q1]
    gap = frame < 0
    skip_from = {}  # skip target -> (source, penalty): gap to the next gap, both inside
    for k in range(len(chain.gap_of) - 1):
        a, b = int(chain.gap_of[k]), int(chain.gap_of[k + 1])
        if a >= q0 and b < q1:
            skip_from[b - q0] = (a - q0, float(chain.skip_penalty[k]))
    base = min(w, skip_room)
    slope = (w - base) / n
    prev = [0.0] + [math.inf] * (w - 1)
    choices = []
    reached = []  # per row, the states a path reaches (the others' choices are moot)
    for i in range(n):
        hi = min(w, int(base + slope * (i + 1)))
        dist = []
        for q in range(hi):
            ref = reading[0 if gap[q] else frame[q]]
            dist.append(sum((float(real[i, j]) - float(ref[j])) ** 2
                            for j in range(COEFFS)) / COEFFS)
        low = min((dist[q] for q in range(hi) if not gap[q]), default=float(dtw.INF))
        cur = [math.inf] * w
        row_choices = [0] * w
        for q in range(hi):
            moves = [(prev[q] + (0.0 if gap[q] else stay), 0)]
            if q >= 1:
                moves.append((prev[q - 1], 1))
            if q >= 2 and not gap[q - 1]:
                moves.append((prev[q - 2] + jump, 2))
            if q >= 3 and not gap[q - 1] and not gap[q - 2]:
                moves.append((prev[q - 3] + 2 * jump, 3))
            if q in skip_from:
                src, penalty = skip_from[q]
                moves.append((prev[src] + penalty, 4))
            best, choice = min(moves, key=lambda m: m[0])  # the first of equals
            if gap[q]:
                cost = float(gap_cost[i]) * float(chain.filler[q0 + q])
            else:
                cost = (dist[q] - low) * scale + quiet_cost * float(quiet[i])
            cur[q] = best + cost
            row_choices[q] = choice
        choices.append(row_choices)
        reached.append([math.isfinite(x) for x in cur])
        prev = cur
    ends = np.array(prev)
    if final:
        ends = ends + dtw._left_unsaid(chain, q0, q1)
    else:  # a window that is not the last is drawn toward the recording's average pace
        ends = ends + dtw.PACE_PULL * np.minimum(np.abs(np.arange(q0, q1) - expected),
                                                 dtw.PACE_REACH)
    q = int(np.argmin(ends))
    path = [0] * n
    for i in range(n - 1, -1, -1):
        path[i] = q + q0
        c = choices[i][q]
        q = skip_from[q][0] if c == 4 else q - c
    return path, np.array(prev), np.array(choices, np.uint8).reshape(n, w), \
        np.array(reached, bool).reshape(n, w)


def random_window(rng: np.random.Generator):
    """A chain of a few short sentences, a recording of a power of two frames (so the
    band's edge is exact), a window of the chain, and costs that make skips likely."""
    k = int(rng.integers(1, 9))
    lengths = rng.integers(1, 9, k)
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
    spans = np.stack([starts, starts + lengths], axis=1)
    reading = quarters(rng, (int(lengths.sum()), COEFFS), 2.0)
    chain = dtw.Chain.build(spans, quarters(rng, k, 3.0),
                            quarters(rng, k + 1, 1.5) + np.float32(0.25))
    n = 2 ** int(rng.integers(0, 7))
    real = quarters(rng, (n, COEFFS), 2.0)
    q0 = int(rng.integers(0, len(chain.frame)))
    q1 = int(rng.integers(q0 + 1, len(chain.frame) + 1))
    tempo = tuple(np.float32(x) for x in (*quarters(rng, 2, 1.0), 0.25 + quarters(rng, 1, 1.75)[0]))
    return dict(real=real, gap_cost=quarters(rng, n, 1.5), quiet=quarters(rng, n, 1.0),
                quiet_cost=float(quarters(rng, 1, 1.0)[0]), tempo=tempo, reading=reading,
                chain=chain, q0=q0, q1=q1, final=bool(rng.integers(0, 2)),
                expected=float(rng.integers(q0, q1 + 4)))


@pytest.mark.parametrize("seed", range(200))
def test_window_follows_the_recurrence(seed: int, monkeypatch, kernels) -> None:
    rng = np.random.default_rng(seed)
    case = random_window(rng)
    w = case["q1"] - case["q0"]
    # a narrow band that widens, and blocks of rows that end mid-recording, as in
    # hour-long recordings, on a window small enough to check by hand
    skip_room = int(rng.integers(1, w + 1))
    monkeypatch.setattr(dtw, "SKIP_ROOM", skip_room)
    monkeypatch.setattr(dtw, "_ROWS", int(rng.integers(1, 9)))
    path, *_ = reference_window(**case, skip_room=skip_room)
    assert dtw._window(**case).tolist() == path


@pytest.mark.parametrize("seed", range(100))
def test_costs_and_choices_follow_the_recurrence(seed: int, kernels) -> None:
    """Every reached state's cost and move in every row, not just the one path: ties
    off the path are settled as the recurrence settles them too."""
    rng = np.random.default_rng(1000 + seed)
    case = random_window(rng)
    chain, q0, q1, real = case["chain"], case["q0"], case["q1"], case["real"]
    n, w = len(real), q1 - q0
    base = int(rng.integers(1, w + 1))
    slope = (w - base) / n
    _, costs, choices, reached = reference_window(**case, skip_room=base)
    frame = chain.frame[q0:q1]
    is_gap = frame < 0
    feats_t = np.ascontiguousarray(case["reading"][np.where(is_gap, 0, frame)].T)
    stay, jump, scale = case["tempo"]
    skip_from, skip_to, skip_pen = dtw._skips(chain, q0, q1)
    dist = np.empty((n, w), np.float32)
    lows = np.empty(n, np.float32)
    dtw._distances(real, feats_t, is_gap, 0, n, base, slope, dist, lows)
    prev = np.full(w, dtw.INF, np.float32)
    prev[0] = 0.0
    bp = np.zeros((n, w), np.uint8)
    last, _ = dtw._dp(dist, lows, 0, n, case["gap_cost"], is_gap,
                      *dtw._moves(is_gap, stay, jump), skip_from, skip_to,
                      skip_pen.astype(np.float32), bp, case["quiet"],
                      chain.filler[q0:q1], np.float32(case["quiet_cost"]), stay, jump,
                      scale, base, slope, prev, np.full(w, dtw.INF, np.float32))
    assert np.array_equal(bp[reached], choices[reached])
    assert np.array_equal(last[reached[-1]], costs[reached[-1]])
    assert np.all(last[~reached[-1]] >= dtw.INF)


@pytest.fixture(params=["vector", "plain"])
def kernels(request):
    """The warp's kernels as the machine runs them (AVX2 where it has it), then their
    plain C: both must follow the recurrence."""
    vector = request.param == "vector"
    if dtw.use_vector_kernels(vector) != vector:
        pytest.skip("this machine has no AVX2: its kernels are the plain C")
    yield request.param
    dtw.use_vector_kernels(True)


def test_the_vector_kernels_give_the_plain_kernels_costs_to_the_bit() -> None:
    """On a window of hundreds of states and real-valued (inexact) frames, the AVX2
    kernels and the plain C give the same distances, costs and choices, bit for bit:
    the same operations in the same order."""
    if not dtw.use_vector_kernels(True):
        pytest.skip("this machine has no AVX2: its kernels are the plain C")
    rng = np.random.default_rng(7)
    lengths = rng.integers(5, 40, 20)
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
    chain = dtw.Chain.build(np.stack([starts, starts + lengths], axis=1),
                            rng.uniform(1, 3, 20).astype(np.float32),
                            rng.uniform(0.3, 2, 21).astype(np.float32))
    reading = rng.standard_normal((int(lengths.sum()), 13)).astype(np.float32)
    real = rng.standard_normal((300, 13)).astype(np.float32)
    frame = chain.frame
    is_gap = frame < 0
    w = len(frame)
    feats_t = np.ascontiguousarray(reading[np.where(is_gap, 0, frame)].T)
    skip_from, skip_to, skip_pen = dtw._skips(chain, 0, w)
    stay, jump = np.float32(0.3), np.float32(0.7)
    gap_cost = rng.uniform(0.5, 2, len(real)).astype(np.float32)
    results = []
    for vector in (True, False):
        dtw.use_vector_kernels(vector)
        try:
            dist = np.zeros((len(real), w), np.float32)  # beyond the band: left as is
            lows = np.empty(len(real), np.float32)
            dtw._distances(real, feats_t, is_gap, 0, len(real), 37, (w - 37) / 300, dist,
                           lows)
            prev = np.full(w, dtw.INF, np.float32)
            prev[0] = 0.0
            bp = np.zeros((len(real), w), np.uint8)
            last, _ = dtw._dp(
                dist, lows, 0, len(real), gap_cost, is_gap, *dtw._moves(is_gap, stay, jump),
                skip_from, skip_to, skip_pen.astype(np.float32), bp,
                np.linspace(0, 1, 300).astype(np.float32), chain.filler, np.float32(0.5),
                stay, jump, np.float32(0.9), 37, (w - 37) / 300, prev,
                np.full(w, dtw.INF, np.float32))
            results.append((dist, lows, bp, last.copy()))
        finally:
            dtw.use_vector_kernels(True)
    for vector, plain in zip(*results, strict=True):
        assert np.array_equal(vector.view(np.uint8), plain.view(np.uint8))
    assert (results[0][2] > 0).any()  # moves other than staying were chosen


def test_a_kernel_refuses_a_buffer_it_would_misread() -> None:
    # the kernels read raw memory: a strided view or another type is an error, not a
    # silently wrong path
    real = np.zeros((8, 4), np.float32)
    feats_t = np.zeros((4, 6), np.float32)
    out, lows = np.empty((8, 6), np.float32), np.empty(8, np.float32)
    gap = np.zeros(6, bool)
    with pytest.raises(TypeError, match="C-contiguous float32"):
        dtw._distances(real.astype(np.float64), feats_t, gap, 0, 8, 1, 0.5, out, lows)
    with pytest.raises(TypeError, match="strided"):
        dtw._distances(real, np.zeros((4, 12), np.float32)[:, ::2], gap, 0, 8, 1, 0.5,
                       out, lows)
    with pytest.raises(ValueError, match="do not fit"):
        dtw._distances(real, feats_t, gap, 0, 8, 1, 0.5, out[:4], lows)


@pytest.mark.parametrize("dims", [3, 8, 10, 13])
def test_match_costs_are_numpys_frame_by_frame(dims) -> None:
    """The calibration's costs, compiled, give the values numpy gives frame by frame, to
    the bit (the warp's yardstick must not move with the way it is computed), at both
    ends of the reading too."""
    rng = np.random.default_rng(dims)
    real = rng.standard_normal((300, dims)).astype(np.float32)
    reading = rng.standard_normal((120, dims)).astype(np.float32)
    at = rng.integers(0, len(real), 60)
    frames = rng.integers(0, len(reading), 60)
    frames[:4] = [0, 1, len(reading) - 1, len(reading) - 2]
    reach = 25
    wanted = np.empty(len(at), np.float32)
    for j, (i, f) in enumerate(zip(at, frames, strict=True)):
        near = reading[max(0, f - reach): f + reach]
        d = ((near - real[i]) ** 2).mean(axis=1)
        wanted[j] = d[f - max(0, f - reach)] - d.min()
    got = dtw.match_costs(real, reading, at.astype(np.int64), frames.astype(np.int64), reach)
    assert np.array_equal(got, wanted)
    assert (got >= 0).all() and (got > 0).any()
