"""The noise under the speech, as the front end estimates it from the recording itself:
silent pauses, steady noise and pauses filled by other voices. Real flite speech."""

from __future__ import annotations

import numpy as np
import pytest

from alignment import frontend
from alignment.synthetic import available_voices, read_wav, synthesize_reading
from tests.alignment.test_engine import SENTENCES
from tests.alignment.test_robust import OTHER_TEXT
from testsupport.noise import add_noise, mix

RATE = 16000


def _db(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return 10.0 * np.log10(np.maximum(a, 1e-20) / np.maximum(b, 1e-20))


def _energies(x: np.ndarray) -> np.ndarray:
    return frontend.band_energies((np.clip(x, -1, 1) * 32767).astype(np.int16), RATE)


@pytest.fixture(scope="module")
def speech(tmp_path_factory) -> np.ndarray:
    folder = tmp_path_factory.mktemp("frontend")
    synthesize_reading(SENTENCES, str(folder / "reading.wav"), rng=np.random.default_rng(11))
    return read_wav(str(folder / "reading.wav"))


@pytest.fixture(scope="module")
def babble(tmp_path_factory, speech) -> np.ndarray:
    """Four voices reading other sentences at once, as long as `speech`."""
    folder = tmp_path_factory.mktemp("babble")
    voices = available_voices()
    rng = np.random.default_rng(12)
    out = np.zeros(len(speech), np.float32)
    for v in range(4):
        turns = [("a", text) for _, text in OTHER_TEXT[v:] + OTHER_TEXT[:v]]
        path = str(folder / f"voice{v}.wav")
        synthesize_reading(turns, path, voices={"a": voices[v % len(voices)]},
                           rng=np.random.default_rng(v))
        y = np.tile(read_wav(path), 3)
        start = int(rng.integers(0, 3 * RATE))
        out += y[start:start + len(speech)]
    return out


def test_silent_pauses_keep_the_lowest_percentile(speech) -> None:
    # few pauses: the higher percentiles lie in speech, far above the silence
    energies = _energies(speech)
    floor, = frontend.noise_floors(energies)
    lowest = np.percentile(energies, frontend.FLOOR_PERCENTILE, axis=0)
    assert np.allclose(floor[0], lowest, rtol=1e-5, atol=1e-12)


def test_steady_noise_is_the_floor(speech) -> None:
    # steady noise fills every pause alike: the floor is its level, not above it
    noisy = add_noise(speech * 0.5, 6.0, np.random.default_rng(3))
    assert np.abs(noisy).max() < 1.0  # not scaled down, so the noise is what was added
    noise = noisy - speech * 0.5
    floor, = frontend.noise_floors(_energies(noisy))
    gap = _db(floor[0], np.median(_energies(noise), axis=0))
    assert abs(float(np.median(gap))) <= 2.0, gap


def test_pauses_filled_by_other_voices_are_the_floor(speech, babble) -> None:
    # at 6 dB SNR the pauses hold the babble: the floor is its level, where the 10th
    # percentile lies several dB below it and leaves the babble looking like speech
    audio = mix(speech, babble, 6.0)
    babble = audio - speech  # as it is in the mix
    mixed = _energies(audio)
    level = np.median(_energies(babble), axis=0)
    floor, = frontend.noise_floors(mixed)
    lowest = np.percentile(mixed, frontend.FLOOR_PERCENTILE, axis=0)
    assert abs(float(np.median(_db(floor[0], level)))) <= 3.0
    assert float(np.median(_db(lowest, level))) < -4.0


def test_the_pause_level_takes_the_highest_percentile_near_the_lowest() -> None:
    within = 10.0 ** (frontend.FILLED_SPREAD / 10.0)
    low = np.array([[1.0, 1.0, 1e-6],
                    [1.1, within * 1.01, 1e-6],
                    [1.2, 100.0, 1e-3],
                    [1.3, 100.0, 1e-3],
                    [within * 0.99, 100.0, 1e-3]])
    assert np.allclose(frontend.pause_level(low), [within * 0.99, 1.0, 1e-6])


@pytest.mark.parametrize("length", [1, 2, 3, 7, 1000, 2000])
def test_percentiles_of_sorted_rows_are_numpys(length) -> None:
    """The noise floors' lookup in sorted rows gives np.percentile's values exactly,
    for blocks as short as a recording's last frames, and for ties."""
    rng = np.random.default_rng(length)
    rows = rng.gamma(0.5, 1e-4, (40, length)).astype(np.float32)
    rows[:5] = rows[:5].round(5)  # ties
    wanted = (10, 15, 20, 25, 30, 2, 2.5, 95, 100, 0)
    got = frontend._percentiles_of_sorted(np.sort(rows, axis=1), wanted)
    assert np.array_equal(got, np.percentile(rows, wanted, axis=1))


def test_blocks_measured_in_threads_come_back_as_one_after_the_other(tmp_path,
                                                                     monkeypatch) -> None:
    """The recording's blocks are measured two at a time: the features are those of the
    blocks measured one after the other, in order, whatever block finishes first."""
    from alignment import features

    path = str(tmp_path / "reading.wav")
    synthesize_reading(SENTENCES, path, rng=np.random.default_rng(4))
    monkeypatch.setattr(features, "_BLOCK_SECONDS", 1.0)  # many blocks, many edges
    both = features.extract(path, 1000)
    monkeypatch.setattr(features, "_THREADS", 1)
    one = features.extract(path, 1000)
    assert len(both.mfcc) > 100
    for got, wanted in ((both.mfcc, one.mfcc), (both.loudness, one.loudness),
                        (both.onsets, one.onsets)):
        assert np.array_equal(got, wanted)
    assert both.duration == one.duration
