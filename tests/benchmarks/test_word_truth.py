"""Synthetic word truth: the synthesisers' word times (their Scheme and parsing; real
flite and festival in the slow tests), the trim, the timeline, the case folder and the
report."""

import json
import shutil

import numpy as np
import pytest

from alignment.synthetic import RATE, speech_span
from benchmarks import tts_words
from benchmarks import word_truth as wt


def _tone(seconds, lead=0.0, tail=0.0):
    t = np.arange(int(seconds * RATE)) / RATE
    x = 0.5 * np.sin(2 * np.pi * 220 * t).astype(np.float32)
    return np.concatenate([np.zeros(int(lead * RATE), np.float32), x,
                           np.zeros(int(tail * RATE), np.float32)])


def test_the_speech_span_is_the_loud_frames():
    x = _tone(0.5, lead=0.2, tail=0.3)
    assert speech_span(x) == (int(0.2 * RATE), int(0.7 * RATE))
    assert speech_span(np.zeros(RATE, np.float32)) == (0, RATE)
    assert speech_span(np.zeros(10, np.float32)) == (0, 10)


def test_trimming_moves_the_words_and_keeps_them_inside_the_speech():
    x = _tone(1.0, lead=0.2, tail=0.3)
    y, tokens = wt.trimmed(x, [("a", 0.15, 0.6), ("b", 0.6, 1.2), ("c", 1.2, 1.4)])
    assert len(y) == RATE
    assert tokens == [("a", 0.0, 0.4), ("b", 0.4, 1.0), ("c", 1.0, 1.0)]


def test_the_festival_script_escapes_the_text_and_names_each_wave():
    script = tts_words.festival_script(['He said "no" \\ twice.', "Ok."], "voice_kal_diphone",
                                       ["/t/s0.wav", "/t/s1.wav"])
    assert script.startswith("(voice_kal_diphone)\n")
    assert '(Utterance Text "He said \\"no\\" \\\\ twice.")' in script
    assert '(utt.save.wave utt "/t/s1.wav" \'riff)' in script
    assert "(print_tokens 1 utt)" in script
    # what festival prints: other chatter is ignored
    out = "SIOD ERROR? no\nTOK\t0\tHe\t0.22\t0.4\nTOK\t1\tOk\t0.1\t0.5\nTOK\t0\tsaid\t0.4\t0.7\n"
    assert tts_words.parse_festival_tokens(out, 2) == [[("He", 0.22, 0.4), ("said", 0.4, 0.7)],
                                                       [("Ok", 0.1, 0.5)]]


def test_no_word_times_from_another_engine():
    with pytest.raises(ValueError):
        tts_words.say_words(["Hi."], ("espeak", "en"), "/tmp")


def test_the_cases_use_every_voice_and_speak_the_texts():
    paras, voices = wt.lecture_voices()
    said = [spk for para in paras for spk, _ in para]
    assert len(paras) == 3 and len(set(said)) == len(wt.VOICES)
    assert said[:3] == ["voice0", "voice1", "voice2"]  # each sentence the next voice
    assert all(v[0] in ("flite", "festival") for v in wt.VOICES)
    turns = wt.interview()
    assert turns[0][0][0] == "Q" and turns[1][0][0] == "A"
    assert turns[0][0][1] == "Thank you for agreeing to talk to us today."
    assert wt.transcript_of(wt.CASES["words-interview"]).startswith(
        "Thank you for agreeing to talk to us today. Could you begin")
    assert wt.CASES["words-lecture-pink6"].reading == "words-lecture"


def fake_say(texts, voice, workdir):
    """A tone a word long per word, with 0.1 s of silence around the sentence."""
    out = []
    for text in texts:
        words = text.split()
        x = np.concatenate([_tone(0.2 * len(words), lead=0.1, tail=0.1)])
        out.append((x, [(w.strip(".,?"), 0.1 + 0.2 * i, 0.3 + 0.2 * i)
                        for i, w in enumerate(words)]))
    return out


def test_a_case_built_with_a_fake_synthesiser(tmp_path, monkeypatch):
    lecture = [[("a", "One two three."), ("b", "Four five.")], [("a", "Six.")]]
    case = wt.WordCase("test", lecture, {"a": ("flite", "slt"), "b": ("flite", "awb")},
                       gap_turn=(0.3, 0.3))
    noisy = wt.WordCase("test noisy", lecture, case.voices, noise_db=10.0, reading="t")
    monkeypatch.setitem(wt.CASES, "t", case)
    monkeypatch.setitem(wt.CASES, "t-noisy", noisy)
    truth = wt.make("t-noisy", tmp_path, say=fake_say)  # builds its reading first
    base = json.loads((tmp_path / "t" / "truth.json").read_text())
    assert [w["text"] for w in base["words"]] == ["One", "two", "three", "Four", "five", "Six"]
    for w in base["words"]:
        s = base["sentences"][w["sentence"]]
        assert s["begin"] <= w["begin"] < w["end"] <= s["end"] + 1e-6
    first = base["sentences"][0]
    assert first["begin"] == 1.0 and first["voice"] == "flite/slt"
    assert base["words"][1]["begin"] == pytest.approx(1.2, abs=1e-3)  # trim cut 0.1 s
    assert (tmp_path / "t" / "transcript.txt").read_text() == "One two three. Four five.\n\nSix.\n"
    assert truth["words"] == base["words"] and truth["sentences"] == base["sentences"]
    assert truth["degradation"] == "pink noise at 10 dB SNR"
    assert truth["duration"] == base["duration"]


def test_the_report_lists_the_cases_and_the_table():
    res = {"case": "words-x", "description": "a test", "duration": 90.0, "sentences": 3,
           "words": 2, "tools": {"ours": {"ok": True, "wall": 2.0, "no_words": True},
                                 "aeneas-words": {"ok": True, "wall": 1.0, "word_score": {
                                     "words": 2, "matched": 2, "within_50ms": 0.5,
                                     "within_100ms": 1.0, "median_err": 0.06,
                                     "p90_err": 0.06, "max_err": 0.06},
                                     "word_errors": [0.0, 0.06]}}}
    res["word_voices"] = ["flite/slt", "flite/awb"]
    body = wt.report([res], "python -m benchmarks.word_truth")
    assert body.startswith("## Word truth")
    assert "- words-x: a test; 1.5 min, 3 sentences, 2 words." in body
    assert "| words-x | 2 | no words / 1.000 | no words / 0.500 |" in body
    assert "words-x 2.0 s / 1.0 s" in body
    # by voice: ours has no words, so its share is 0 (misses)
    assert "| flite/awb | 1 | 0.000 / 1.000 | 0.000 / 0.000 |" in body
    assert "| flite/slt | 1 | 0.000 / 1.000 | 0.000 / 1.000 |" in body
    assert wt.word_voices({"sentences": [{"voice": "v0"}, {"voice": "v1"}], "words": [
        {"sentence": 1}, {"sentence": 0, "filler": True}, {"sentence": 0}]}) == ["v1", "v0"]


needs_tts = pytest.mark.skipif(not (shutil.which("flite") and shutil.which("festival")),
                               reason="needs flite and festival")


@pytest.mark.slow
@needs_tts
@pytest.mark.parametrize("voice", [("flite", "slt"), ("flite", "kal16"),
                                   ("festival", "voice_kal_diphone")])
def test_the_synthesisers_time_each_token(tmp_path, voice):
    text = "Well, it's 1800 - time to go."
    [(x, tokens)] = tts_words.say_words([text], voice, str(tmp_path))
    assert [t for t, _, _ in tokens] == ["Well", "it's", "1800", "time", "to", "go"]
    ends = [0.0] + [e for _, _, e in tokens]
    for (_, b, e), prev_end in zip(tokens, ends, strict=False):
        assert prev_end - 1e-3 <= b < e <= len(x) / RATE + 0.05
    # "1800" is read as "eighteen hundred": its time covers both words
    _, b, e = tokens[2]
    assert e - b > 0.5
