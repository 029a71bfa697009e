"""The generality cases' builders, on short stand-ins for their texts (a few seconds)."""

import json
import subprocess

import numpy as np
import pytest

from benchmarks import corpus, extra_cases
from benchmarks.corpus import RATE, read_wav
from benchmarks.texts import generality as texts

pytestmark = pytest.mark.slow  # flite and festival readings

NEWS = """Morning Briefing
Episode 7

Good morning. Here is the news.

The river is high. Stay away from the banks.
"""

INTERVIEW = """Q: Thank you for coming. How did it start?
A: My grandfather kept bees. I watched him work.
Q: Was it hard?
A: Not at all. It was a joy.
"""

PODCAST = """HOST: Welcome back to the show.
GUEST: [laughter] Thanks for having me. It is great to be here.
[00:00:10]
HOST: Let us begin.
"""


def consistent(meta: dict) -> list[float]:
    """The truth's times, checked: increasing, non-empty sentences, within the recording."""
    times = [x for s in meta["sentences"] for x in (s["begin"], s["end"])]
    assert times == sorted(times) and len(set(times)) == len(times)
    assert 0 < times[0] and times[-1] < meta["duration"]
    assert all(s["text"] and s["speaker"] for s in meta["sentences"])
    return times


def test_news_jingle_bed_truth_follows_the_jingle_and_lists_the_titles(tmp_path, monkeypatch):
    monkeypatch.setattr(texts, "NEWS", NEWS)
    meta = corpus.make("news-jingle-bed", tmp_path)
    d = tmp_path / "news-jingle-bed"
    assert json.loads((d / "truth.json").read_text()) == meta
    consistent(meta)
    assert meta["unspoken"] == ["Morning Briefing", "Episode 7"]
    assert [s["text"] for s in meta["sentences"]] == [
        "Good morning.", "Here is the news.", "The river is high.", "Stay away from the banks."]
    assert meta["sentences"][0]["begin"] == pytest.approx(20.5)  # 20 s jingle, 0.5 s lead
    x = read_wav(d / "audio.wav")
    assert meta["duration"] == pytest.approx(len(x) / RATE, abs=1e-3)
    assert meta["duration"] - meta["sentences"][-1]["end"] == pytest.approx(8.5, abs=1e-3)
    assert (d / "transcript.txt").read_text() == NEWS
    assert corpus.case_audio(d) == d / "audio.wav"
    assert not extra_cases.split_changed(d)
    assert not (d / "synth-cache").exists()


def test_interview_gap_leaves_out_the_unsaid_and_the_unscripted(tmp_path, monkeypatch):
    monkeypatch.setattr(texts, "INTERVIEW", INTERVIEW)
    monkeypatch.setattr(texts, "INTERVIEW_UNSPOKEN", "It was a joy.")
    monkeypatch.setattr(texts, "INTERVIEW_ASIDE_AFTER", "I watched him work.")
    monkeypatch.setattr(texts, "INTERVIEW_ASIDE", [("Q", "Sorry, one moment.")])
    meta = corpus.make("interview-gap", tmp_path)
    times = consistent(meta)
    said = [s["text"] for s in meta["sentences"]]
    assert "It was a joy." not in said and "Sorry, one moment." not in said
    assert meta["unspoken"] == ["It was a joy."] and meta["unscripted"] == ["Sorry, one moment."]
    assert {s["speaker"] for s in meta["sentences"]} == {"Q", "A"}
    # the aside is heard between "I watched him work." and the next question
    i = said.index("I watched him work.")
    assert meta["sentences"][i + 1]["begin"] - meta["sentences"][i]["end"] > 1.0
    assert times[-1] < meta["duration"]


def test_podcast_fast_mp3_truth_is_on_the_sped_up_timeline(tmp_path, monkeypatch):
    monkeypatch.setattr(texts, "PODCAST", PODCAST)
    monkeypatch.setattr(texts, "PODCAST_LAUGHS", ("Thanks for having me.",))
    slow = corpus.make("podcast", tmp_path)
    fast = corpus.make("podcast-fast-mp3", tmp_path)
    consistent(slow)
    consistent(fast)
    assert [s["text"] for s in fast["sentences"]] == [s["text"] for s in slow["sentences"]] == [
        "Welcome back to the show.", "Thanks for having me.", "It is great to be here.",
        "Let us begin."]
    for a, b in zip(slow["sentences"], fast["sentences"], strict=True):
        assert b["begin"] == pytest.approx(a["begin"] / 1.3, abs=1e-3)
    (laugh,) = slow["noises"]  # between the host's welcome and the guest's thanks
    assert slow["sentences"][0]["end"] < laugh["begin"] < laugh["end"]
    assert laugh["end"] < slow["sentences"][1]["begin"]
    d = tmp_path / "podcast-fast-mp3"
    assert corpus.case_audio(d) == d / "audio.mp3"
    probe = subprocess.run(["ffprobe", "-v", "error", "-show_entries", "format=duration",
                            "-of", "csv=p=0", str(d / "audio.mp3")],
                           capture_output=True, text=True, check=True)
    assert float(probe.stdout) == pytest.approx(fast["duration"], abs=0.1)


def test_plan_reading_skips_checks_and_inserts():
    rng = np.random.default_rng(0)
    plan = extra_cases.plan_reading(INTERVIEW, rng, skip={"It was a joy."},
                                    asides={"Was it hard?": [("A", "Hm.")]})
    assert ("A", "Hm.") in plan.said and plan.unspoken == ["It was a joy."]
    assert [plan.said[i] for i in plan.unscripted] == [("A", "Hm.")]
    assert plan.gaps[0] == 0.0 and all(g > 0 for g in plan.gaps[1:])
    with pytest.raises(ValueError, match="not sentences"):
        extra_cases.plan_reading(INTERVIEW, rng, skip={"Never in the text."})


def test_vtt_meeting_is_given_a_vtt_transcript(tmp_path):
    d = tmp_path / "vtt-meeting"
    d.mkdir()
    (d / "transcript.vtt").write_text("WEBVTT\n")
    (d / "truth.json").write_text("{}")
    (d / "audio.wav").write_bytes(b"")
    assert corpus.case_transcript(d) == d / "transcript.vtt"
    assert corpus.case_audio(d) == d / "audio.wav"


def test_a_kept_case_is_built_again_when_the_split_has_changed(tmp_path, monkeypatch):
    from benchmarks import run

    monkeypatch.setattr(texts, "NEWS", NEWS)
    corpus.make("news-jingle-bed", tmp_path)
    d = tmp_path / "news-jingle-bed"
    built = []
    monkeypatch.setattr(corpus, "make", lambda case, outdir: built.append(case))
    assert run.ensure_case("news-jingle-bed", tmp_path) == (d / "audio.wav", None)
    assert built == []
    truth = json.loads((d / "truth.json").read_text())
    truth["sentences"][0]["text"] = "Good morning, here is the news."  # as an older split
    (d / "truth.json").write_text(json.dumps(truth))
    assert extra_cases.split_changed(d)
    run.ensure_case("news-jingle-bed", tmp_path)
    assert built == ["news-jingle-bed"]
