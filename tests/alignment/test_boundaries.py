"""The speech detector's levels: block percentiles taken at once, as block by block."""

from __future__ import annotations

import numpy as np
import pytest

from alignment import boundaries


@pytest.mark.parametrize("length", [5, 999, 1000, 2000, 2001, 7531])
def test_block_percentiles_are_those_of_each_block(length) -> None:
    rng = np.random.default_rng(length)
    curve = (rng.gamma(2.0, 5.0, length) * (rng.random(length) > 0.3)).astype(np.float32)
    half = boundaries._BLOCK // 2
    centres = np.arange(0, length, half)
    got = boundaries._block_percentiles(curve, centres, (2, 95))
    for j, c in enumerate(centres):
        block = curve[max(0, c - half): c + half]
        assert got[0, j] == np.percentile(block, 2)
        assert got[1, j] == np.percentile(block, 95)


def test_the_mask_of_the_likelihoods_is_the_speech_mask() -> None:
    rng = np.random.default_rng(1)
    loud = np.where(np.sin(np.arange(9000) / 40.0) > 0, 30.0, 2.0) + rng.random(9000)
    loud = loud.astype(np.float32)
    mask, likely, beyond = boundaries.speech_likelihoods(loud, 1.2)
    assert np.array_equal(mask, boundaries.speech_mask(loud, 1.2))
    assert mask.any() and not mask.all()
    assert (likely[mask] == 1.0).all() and (beyond <= likely + 1e-6).all()
