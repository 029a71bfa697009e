"""The one noise mixer of the tests and the benchmarks (`testsupport.noise`)."""

import numpy as np
import pytest

from testsupport.noise import add_noise, mix, pink_noise, shaped_noise, speech_power


def speech(n: int = 16000) -> np.ndarray:
    """A tone in bursts: speech where it sounds, silence between."""
    t = np.arange(n) / 16000
    return (0.3 * np.sin(2 * np.pi * 220 * t) * (np.sin(2 * np.pi * 2 * t) > 0)
            ).astype(np.float32)


@pytest.mark.parametrize("snr", [20.0, 6.0, 0.0])
def test_the_noise_lies_its_snr_under_the_speech(snr):
    x = speech()
    noise = mix(x, pink_noise(len(x), np.random.default_rng(1)) + 0.5, snr) - x
    assert abs(float(noise.mean())) < 1e-6  # its offset removed
    snr_got = 10 * np.log10(speech_power(x) / float((noise ** 2).mean()))
    assert snr_got == pytest.approx(snr, abs=1e-4)


def test_added_noise_never_clips_and_is_the_same_for_the_same_seed():
    x = speech() * 3
    y = add_noise(x, 0.0, np.random.default_rng(2), white=True)
    assert np.abs(y).max() <= 1.0
    assert np.array_equal(y, add_noise(x, 0.0, np.random.default_rng(2), white=True))


def test_shaped_noise_has_unit_power_and_nothing_outside_its_band():
    y = shaped_noise(16000, np.random.default_rng(3), 1.0, 300, 3000)
    assert float((y.astype(np.float64) ** 2).mean()) == pytest.approx(1.0, rel=1e-4)
    power = np.abs(np.fft.rfft(y)) ** 2
    f = np.fft.rfftfreq(len(y), 1 / 16000)
    assert power[(f < 250) | (f > 3050)].sum() < 1e-6 * power.sum()
