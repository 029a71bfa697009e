"""Reading audio: a WAV file already in the form the aligner decodes to is read as it is,
and gives exactly the samples ffmpeg gives; anything else goes through ffmpeg."""

from __future__ import annotations

import subprocess
import wave
from pathlib import Path

import numpy as np
import pytest

from alignment import audio
from alignment.errors import AudioError


def _wav(path: Path, samples: np.ndarray, rate: int, channels: int = 1) -> Path:
    with wave.open(str(path), "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(samples.astype("<i2").tobytes())
    return path


def _ffmpeg(path: Path, *before_input: str, after: tuple[str, ...] = ()) -> np.ndarray:
    """ffmpeg's own decoding to 16 kHz mono s16le, as the aligner asked it before."""
    out = subprocess.run(["ffmpeg", "-nostdin", "-v", "error", *before_input, "-i", str(path),
                          *after, "-vn", "-ac", "1", "-ar", "16000", "-f", "s16le", "-"],
                         capture_output=True, check=True).stdout
    return np.frombuffer(out, "<i2")


@pytest.fixture
def speechlike(tmp_path: Path) -> Path:
    rng = np.random.default_rng(3)
    t = np.arange(16000 * 7) / 16000
    x = 6000 * np.sin(2 * np.pi * 180 * t) * (1 + np.sin(2 * np.pi * 3 * t)) / 2
    x = x + rng.normal(0, 300, len(t))
    return _wav(tmp_path / "plain.wav", np.clip(x, -32768, 32767), 16000)


def test_a_plain_wav_is_read_as_it_is_and_gives_ffmpegs_samples(speechlike: Path,
                                                                  monkeypatch) -> None:
    wanted = _ffmpeg(speechlike)

    def no_ffmpeg() -> str:
        raise AssertionError("ffmpeg was started for a WAV it need not decode")

    monkeypatch.setattr(audio, "ffmpeg_path", no_ffmpeg)
    blocks = list(audio.pcm_blocks(speechlike, block_seconds=3.0))
    assert [len(b) for b in blocks] == [48000, 48000, 16000]
    assert all(b.dtype == np.int16 for b in blocks)
    assert np.array_equal(np.concatenate(blocks), wanted)
    for begin, end in [(0, 1000), (1234, 4321), (6500, 9000), (8000, 9000)]:
        got = audio.pcm_range(speechlike, begin, end)
        assert np.array_equal(got, wanted[begin * 16: end * 16]), (begin, end)


def test_a_stretch_is_the_one_ffmpeg_seeks_to(speechlike: Path) -> None:
    for begin, end in [(1234, 4321), (0, 7000), (6999, 7500)]:
        wanted = _ffmpeg(speechlike, "-ss", f"{begin / 1000:.3f}",
                         after=("-t", f"{(end - begin) / 1000:.3f}"))
        assert np.array_equal(audio.pcm_range(speechlike, begin, end), wanted), (begin, end)


@pytest.mark.parametrize("rate, channels", [(44100, 2), (16000, 2), (8000, 1)])
def test_any_other_wav_is_decoded_by_ffmpeg(tmp_path: Path, rate: int, channels: int) -> None:
    rng = np.random.default_rng(rate + channels)
    samples = rng.integers(-8000, 8000, rate * 2 * channels)
    path = _wav(tmp_path / "other.wav", samples, rate, channels)
    got = np.concatenate(list(audio.pcm_blocks(path, block_seconds=1.0)))
    assert np.array_equal(got, _ffmpeg(path))
    assert abs(len(got) - 32000) <= 16  # two seconds at 16 kHz, whatever came in


def test_an_empty_wav_is_an_error_that_names_the_file(tmp_path: Path) -> None:
    path = _wav(tmp_path / "empty.wav", np.zeros(0), 16000)
    with pytest.raises(AudioError, match="empty.wav"):
        list(audio.pcm_blocks(path))


@pytest.mark.parametrize("frames", [16000 * 7, 16000 * 7 + 8, 12345])
def test_a_plain_wavs_duration_is_ffprobes_without_ffprobe(tmp_path: Path, frames: int,
                                                           monkeypatch) -> None:
    path = _wav(tmp_path / "plain.wav", np.zeros(frames), 16000)
    wanted = audio.probe_duration(tmp_path / _wav(tmp_path / "other.wav", np.zeros(frames * 2),
                                                  16000, channels=2).name)

    def no_ffprobe(_path: str) -> dict:
        raise AssertionError("ffprobe was started for a WAV whose header says it all")

    monkeypatch.setattr(audio, "mediainfo_json", no_ffprobe)
    assert audio.probe_duration(path) == wanted  # the stereo copy's, by ffprobe
