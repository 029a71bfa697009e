"""The voice cases' builder, on a short stand-in text read by festival's diphone voices."""

import json
import tempfile

import numpy as np
import pytest

from alignment.synthetic import piper_voice, say
from benchmarks import extra_cases, voice_cases
from benchmarks.corpus import RATE, read_wav
from benchmarks.voice_cases import KAL, KED, VoiceCase

pytestmark = pytest.mark.slow  # festival readings

PANEL = """MODERATOR
Good evening, and welcome. Are libraries still needed?

HELEN
More than ever. People come to study and to stay warm.

MODERATOR
Thank you.
"""


def test_a_case_with_room_tone_and_drifting_pace_has_true_timings(tmp_path):
    spec = VoiceCase("test", PANEL, {"MODERATOR": KED, "HELEN": KAL}, pace=(0.8, 1.3),
                     room_tone_db=35.0)
    meta = voice_cases.make("mini", tmp_path, spec)
    d = tmp_path / "mini"
    assert json.loads((d / "truth.json").read_text()) == meta
    assert (d / "transcript.txt").read_text() == PANEL
    assert not (d / "synth-cache").exists()
    assert not extra_cases.split_changed(d)  # the truth is the project's own split
    assert [(s["speaker"], s["text"]) for s in meta["sentences"]] == [
        ("MODERATOR", "Good evening, and welcome."), ("MODERATOR", "Are libraries still needed?"),
        ("HELEN", "More than ever."), ("HELEN", "People come to study and to stay warm."),
        ("MODERATOR", "Thank you.")]
    assert meta["voices"] == {"MODERATOR": list(KED), "HELEN": list(KAL)}
    assert len(meta["paces"]) == 5 and all(0.8 <= p <= 1.3 for p in meta["paces"])

    times = [t for s in meta["sentences"] for t in (s["begin"], s["end"])]
    assert times == sorted(times) and len(set(times)) == len(times)
    x = read_wav(d / "audio.wav")
    assert meta["duration"] == pytest.approx(len(x) / RATE, abs=1e-3)
    assert 0 < times[0] and times[-1] < meta["duration"]

    def rms(a: float, b: float) -> float:
        return float(np.sqrt((x[int(a * RATE): int(b * RATE)] ** 2).mean()))

    # the pauses hold room tone, not digital silence, and far less than the speech
    pauses = [(a["end"] + 0.02, b["begin"] - 0.02)
              for a, b in zip(meta["sentences"], meta["sentences"][1:], strict=False)]
    pauses = [p for p in pauses if not any(n["begin"] < p[1] and p[0] < n["end"]
                                           for n in meta["noises"])]
    assert pauses
    speech = min(rms(s["begin"], s["end"]) for s in meta["sentences"])
    for a, b in pauses:
        assert 0 < rms(a, b) < speech / 10
    # breaths lie in the pause before a sentence, ending before it starts
    starts = [s["begin"] for s in meta["sentences"]]
    ends = [s["end"] for s in meta["sentences"]]
    for n in meta["noises"]:
        k = next(i for i, b in enumerate(starts) if b > n["begin"])
        assert k > 0 and ends[k - 1] < n["begin"] < n["end"] < starts[k]


def test_a_pace_over_one_reads_more_slowly():
    with tempfile.TemporaryDirectory() as work:
        fast = say("Borrow a book you would never have bought.",
                   voice_cases.paced(KED, 0.8), work)
        slow = say("Borrow a book you would never have bought.",
                   voice_cases.paced(KED, 1.3), work)
    assert len(slow) > 1.4 * len(fast)


def test_pace_walk_stays_in_bounds_and_moves():
    paces = voice_cases.pace_walk(200, np.random.default_rng(1), 0.8, 1.3)
    assert min(paces) >= 0.8 and max(paces) <= 1.3
    assert max(paces) - min(paces) > 0.3


def test_every_speaker_of_the_cases_has_a_voice():
    for name, spec in voice_cases.CASES.items():
        plan = extra_cases.plan_reading(spec.text, np.random.default_rng(0), spec.gap_in,
                                        spec.gap_turn, spec.gap_para)
        assert {spk for spk, _ in plan.said} == set(spec.voices), name
        assert 25 <= len(plan.said) <= 60, name
        assert not plan.unspoken, name


def test_a_case_with_an_unvoiced_speaker_is_refused(tmp_path):
    spec = VoiceCase("test", PANEL, {"MODERATOR": KED})
    with pytest.raises(ValueError, match="HELEN"):
        voice_cases.make("mini", tmp_path, spec)


def test_an_unknown_piper_voice_is_named():
    with pytest.raises(ValueError, match="nobody"):
        piper_voice.model_files("nobody")
