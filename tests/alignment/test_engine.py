"""The alignment engine on real audio: flite readings with known timings, real aeneas."""

from __future__ import annotations

import json
import subprocess
import wave

import numpy as np
import pytest

from alignment import AudioError, LanguageError, TranscriptError, align
from alignment.dtw import Chain, warp
from alignment.synthetic import synthesize_reading
from testsupport.score import start_error

pytestmark = pytest.mark.slow  # real alignment of flite readings

SENTENCES = [
    ("host", "Welcome back to the programme about rivers and bridges."),
    ("host", "Today we look at how a suspension bridge carries its load."),
    ("guest", "The cables take the weight of the deck and pass it to the towers."),
    ("guest", "Each tower pushes that weight down into the rock below the river."),
    ("host", "Thank you for explaining it so clearly."),
]
UNSAID = "Our sponsor this week is a company that sells umbrellas in the desert."


@pytest.fixture(scope="module")
def reading(tmp_path_factory) -> tuple[str, list[dict]]:
    wav = str(tmp_path_factory.mktemp("reading") / "reading.wav")
    truth = synthesize_reading(SENTENCES, wav, rng=np.random.default_rng(7))
    return wav, truth


def transcript_of(turns: list[tuple[str, str]]) -> str:
    """Paragraphs with speaker labels, as a user would paste them."""
    out, prev = [], None
    for spk, text in turns:
        if spk != prev:
            out.append(f"\n{spk.upper()}: {text}")
        else:
            out[-1] += " " + text
        prev = spk
    return "\n".join(out).strip() + "\n"


def test_every_sentence_starts_in_the_pause_before_it(reading) -> None:
    wav, truth = reading
    result = align(wav, transcript_of(SENTENCES))
    assert [s.text for s in result.sentences] == [t for _, t in SENTENCES]
    assert [s.speaker for s in result.sentences] == ["HOST", "HOST", "GUEST", "GUEST", "HOST"]
    for k, s in enumerate(result.sentences):
        assert s.aligned
        assert 0.0 <= s.confidence <= 1.0
        assert s.begin < s.end
        assert start_error(truth, k, s.begin / 1000) <= 0.1, (k, s.begin, truth[k])
        # close to the first sound, not at the end of the previous sentence
        assert abs(s.begin / 1000 - truth[k]["begin"]) <= 0.15
    assert result.duration == pytest.approx(truth[-1]["end"] * 1000 + 1000, abs=50)
    assert len(result.sha256) == 64


def test_what_the_caller_knows_is_not_read_again(reading, monkeypatch) -> None:
    # a job hands on the transcript it has read, and the hash and duration the import
    # stored: the same sentences come out, and the file is neither probed nor hashed
    from alignment import audio, read_transcript

    wav, _ = reading
    plain = align(wav, transcript_of(SENTENCES))

    def never(*_args, **_kwargs):
        raise AssertionError("read again")

    monkeypatch.setattr(audio, "probe_duration", never)
    monkeypatch.setattr(audio, "sha256_file", never)
    known = align(wav, read_transcript(transcript_of(SENTENCES)), sha256=plain.sha256,
                  duration_ms=plain.duration)
    assert known.sha256 == plain.sha256
    assert [(s.id, s.begin, s.end) for s in known.sentences] == \
        [(s.id, s.begin, s.end) for s in plain.sentences]


def test_ids_are_stable_whatever_the_timings(reading) -> None:
    wav, _ = reading
    a = align(wav, transcript_of(SENTENCES))
    b = align(wav, transcript_of(SENTENCES[:2]) + "\n" + transcript_of(SENTENCES[2:]))
    assert [s.id for s in a.sentences] == [s.id for s in b.sentences]
    assert len({s.id for s in a.sentences}) == len(SENTENCES)


def test_a_sentence_never_said_is_marked_and_steals_no_time(reading) -> None:
    wav, truth = reading
    edited = SENTENCES[:2] + [("host", UNSAID)] + SENTENCES[2:]
    result = align(wav, transcript_of(edited))
    unsaid = result.sentences[2]
    assert unsaid.text == UNSAID
    assert not unsaid.aligned
    assert unsaid.confidence == 0.0
    said = [s for s in result.sentences if s.text != UNSAID]
    for k, s in enumerate(said):
        assert s.aligned
        assert start_error(truth, k, s.begin / 1000) <= 0.1, (k, s.begin, truth[k])


def test_speech_the_transcript_left_out_does_not_drag_its_neighbours(tmp_path) -> None:
    wav = str(tmp_path / "intro.wav")
    intro = [("announcer", "This programme is brought to you by the river trust.")]
    truth = synthesize_reading(intro + SENTENCES, wav, rng=np.random.default_rng(3))
    result = align(wav, transcript_of(SENTENCES))
    for k, s in enumerate(result.sentences):
        assert s.aligned
        assert start_error(truth, k + 1, s.begin / 1000) <= 0.1, (k, s.begin, truth[k + 1])


def test_progress_reports_each_stage_in_order(reading) -> None:
    wav, _ = reading
    seen: list[tuple[str, float]] = []
    align(wav, transcript_of(SENTENCES), progress=lambda stage, f: seen.append((stage, f)))
    stages = list(dict.fromkeys(stage for stage, _ in seen))
    assert stages == ["reading", "decoding", "aligning", "refining"]
    assert all(0.0 <= f <= 1.0 for _, f in seen)
    assert seen[-1] == ("refining", 1.0)


def test_any_format_ffmpeg_reads(reading, tmp_path) -> None:
    wav, truth = reading
    ogg = tmp_path / "reading.ogg"
    subprocess.run(["ffmpeg", "-v", "error", "-i", wav, "-c:a", "libvorbis", str(ogg)],
                   check=True)
    result = align(ogg, transcript_of(SENTENCES))
    for k, s in enumerate(result.sentences):
        assert start_error(truth, k, s.begin / 1000) <= 0.1


def test_a_clip_repeated_many_times_does_not_drift(reading, tmp_path) -> None:
    """Ten readings end to end (about five minutes): the last as exact as the first."""
    wav, truth = reading
    with wave.open(wav) as w:
        params, frames = w.getparams(), w.readframes(w.getnframes())
        length = w.getnframes() / w.getframerate()
    repeats = 10
    long_wav = tmp_path / "repeated.wav"
    with wave.open(str(long_wav), "wb") as w:
        w.setparams(params)
        for _ in range(repeats):
            w.writeframes(frames)
    result = align(long_wav, "\n\n".join([transcript_of(SENTENCES)] * repeats))
    assert len(result.sentences) == repeats * len(SENTENCES)
    for n, s in enumerate(result.sentences):
        r, k = divmod(n, len(SENTENCES))
        shifted = [dict(t, begin=t["begin"] + r * length, end=t["end"] + r * length)
                   for t in truth]
        assert s.aligned
        assert start_error(shifted, k, s.begin / 1000) <= 0.1, (n, s.begin / 1000)


def test_windowed_and_whole_warp_agree() -> None:
    """The bounded-window search finds the same path as one window over everything."""
    rng = np.random.default_rng(1)
    spans = np.array([[0, 30], [30, 70], [70, 90], [90, 140]], np.int32)
    reading = rng.standard_normal((140, 8)).astype(np.float32)
    # the recording: the reading slowed down unevenly, with pauses between sentences
    rows = []
    for lo, hi in spans:
        rows += [rng.standard_normal(8) * 0.1 for _ in range(5)]
        for f in range(lo, hi):
            rows += [reading[f] + rng.standard_normal(8) * 0.2] * int(rng.integers(1, 3))
    real = np.array(rows, np.float32)
    quiet = np.zeros(len(real), np.float32)
    gap = np.full(len(real), 3.0, np.float32)
    chain = Chain.build(spans, np.full(len(spans), 50.0))
    assert list(chain.filler[chain.gap_of]) == [1.0] * (len(spans) + 1)
    whole = warp(real, gap, quiet, reading, chain, window=10_000, commit=10_000)
    windowed = warp(real, gap, quiet, reading, chain, window=60, commit=40)
    assert np.array_equal(whole, windowed)
    assert np.all(np.diff(whole) >= 0)


@pytest.mark.parametrize(
    ("audio", "transcript", "language", "error", "words"),
    [
        ("missing.wav", "Hello.", "eng", AudioError, "not found"),
        ("empty.wav", "Hello.", "eng", AudioError, "empty"),
        ("notaudio.wav", "Hello.", "eng", AudioError, "audio"),
        ("ok", "   \n ", "eng", TranscriptError, "empty"),
        ("ok", "Hello.", "xx-nope", LanguageError, "xx-nope"),
    ],
)
def test_bad_input_names_the_problem(reading, tmp_path, audio, transcript, language, error,
                                     words) -> None:
    (tmp_path / "empty.wav").write_bytes(b"")
    (tmp_path / "notaudio.wav").write_text(json.dumps({"not": "audio"}))
    path = reading[0] if audio == "ok" else tmp_path / audio
    with pytest.raises(error) as info:
        align(path, transcript, language=language)
    assert words in str(info.value).lower()


def test_other_languages_by_their_code(tmp_path) -> None:
    """German, read by a slower eSpeak voice of another timbre than the aligner's own."""
    sentences = [
        "Guten Morgen und herzlich willkommen zu unserer Sendung.",
        "Heute sprechen wir über Brücken, Flüsse und das Wetter.",
        "Vielen Dank, dass Sie zugehört haben.",
    ]
    path = tmp_path / "de.wav"
    # eSpeak's German variant "m3" (another pitch and timbre), at 130 words a minute
    truth = synthesize_reading([("de", text) for text in sentences], str(path),
                               voices={"de": ("espeak", f"de+m3@{175 / 130:.3f}")},
                               gaps=[0.0, 0.8, 0.8], lead=0.8, tail=0.8)
    result = align(path, " ".join(sentences), language="deu")
    assert result.language == "deu"
    assert [s.text for s in result.sentences] == sentences
    for k, s in enumerate(result.sentences):
        assert start_error(truth, k, s.begin / 1000) <= 0.1, (k, s.begin, truth[k])


def test_starts_are_in_order_and_unsaid_sentences_sit_between_their_neighbours(reading) -> None:
    wav, _ = reading
    edited = SENTENCES[:2] + [("host", UNSAID)] + SENTENCES[2:]
    result = align(wav, transcript_of(edited))
    begins = [s.begin for s in result.sentences]
    assert begins == sorted(begins)
    before, unsaid, after = result.sentences[1:4]
    assert before.end <= unsaid.begin == unsaid.end <= after.begin


def test_a_recording_that_stops_early_leaves_the_rest_unsaid(reading, tmp_path) -> None:
    wav, truth = reading
    cut = tmp_path / "cut.wav"
    stop = (truth[2]["end"] + truth[3]["begin"]) / 2  # in the pause after sentence 3
    subprocess.run(["ffmpeg", "-v", "error", "-i", wav, "-t", f"{stop:.3f}", str(cut)],
                   check=True)
    result = align(cut, transcript_of(SENTENCES))
    assert [s.aligned for s in result.sentences] == [True, True, True, False, False]
    for k, s in enumerate(result.sentences[:3]):
        assert start_error(truth, k, s.begin / 1000) <= 0.1



def test_a_sentence_is_isolated_only_with_a_pause_on_both_sides() -> None:
    from alignment.engine import ISLAND_GAP, _isolated
    gap = ISLAND_GAP + 1
    # sentence 1 lies `gap` frames after sentence 0; sentence 2 was skipped; sentence 3
    # starts `gap` frames after sentence 1 ends
    first = np.array([0, 30 + gap, -1, 30 + gap + 5 + gap])
    last = np.array([30, 30 + gap + 5, -1, 30 + gap + 5 + gap + 10])
    assert _isolated(first, last, 1)
    before = last.copy()
    before[0] = first[1] - ISLAND_GAP  # its neighbour runs up to it
    assert not _isolated(first, before, 1)
    after = first.copy()
    after[3] = last[1] + ISLAND_GAP  # the next one follows at once
    assert not _isolated(after, last, 1)
    # the edges of the recording count as pause
    assert _isolated(np.array([gap]), np.array([gap + 5]), 0)


def test_a_stage_started_early_is_reported_only_once_released() -> None:
    # the recording's decoding runs while the transcript is read: its reports wait for
    # the reading to end, then come in order; once stopped, the next one ends the work
    from alignment.engine import _Held, _Stopped

    seen: list[tuple[str, float]] = []
    held = _Held(lambda stage, f: seen.append((stage, f)), "decoding")
    held(0.2)
    held(0.4)
    assert seen == []
    held.release()
    held(0.6)
    assert seen == [("decoding", 0.4), ("decoding", 0.6)]
    held.stop()
    with pytest.raises(_Stopped):
        held(0.8)
    assert seen[-1] == ("decoding", 0.6)


# A passage replaced: the transcript holds sentences never said where the recording holds
# talk the transcript lacks (issue 17's "edited-in paragraph" and "talk nobody wrote down",
# at the same place)
SAID_BEFORE = [
    ("host", "Welcome back to the programme about rivers, bridges and the people who build."),
    ("host", "Today we look at how a suspension bridge carries its load across a wide river."),
    ("guest", "The cables take the weight of the deck and pass it on to the two tall towers."),
    ("guest", "Steel wires are spun in place, thousands of them, and bundled into thick ropes."),
]
SAID_UNWRITTEN = [
    ("guest", "Before we go on, let me tell you about the summer I spent painting old barns."),
    ("guest", "Every morning I mixed red paint in a bucket and climbed a wooden ladder."),
    ("guest", "The farmers paid me in apples, bread and cheese, and sometimes in stories."),
    ("guest", "One of them had a dog that followed me up the ladder every single day."),
]
WRITTEN_UNSAID = [
    ("guest", "Our listeners often ask about the history of the lighthouse on the northern cape."),
    ("guest", "It was built by three brothers who carried every stone from the quarry by cart."),
    ("guest", "The lamp was lit by hand each evening for more than a hundred and twenty years."),
    ("guest", "Today a small museum beside it shows their tools, their letters and their maps."),
]
SAID_AFTER = [
    ("guest", "Each tower pushes that weight down into the rock far below the flowing river."),
    ("guest", "The deck hangs from the ropes on vertical cables spaced along its length."),
    ("host", "Thank you for explaining it so clearly to all of our listeners this evening."),
]


@pytest.fixture(scope="module")
def replaced(tmp_path_factory) -> tuple[str, list[dict]]:
    wav = str(tmp_path_factory.mktemp("replaced") / "reading.wav")
    truth = synthesize_reading(SAID_BEFORE + SAID_UNWRITTEN + SAID_AFTER, wav,
                               rng=np.random.default_rng(11))
    return wav, truth


def test_a_replaced_passage_is_unsaid_and_its_talk_untranscribed(replaced) -> None:
    """The recording says four sentences the transcript lacks where the transcript holds
    four others never said: those come out unsaid (not laid over the talk), the talk is
    reported as speech not in the transcript, and the sentences around keep their
    times."""
    wav, truth = replaced
    result = align(wav, transcript_of(SAID_BEFORE + WRITTEN_UNSAID + SAID_AFTER))
    n_before, n_unsaid = len(SAID_BEFORE), len(WRITTEN_UNSAID)
    aligned = [s.aligned for s in result.sentences]
    assert aligned == [True] * n_before + [False] * n_unsaid + [True] * len(SAID_AFTER)
    said = [s for s in result.sentences if s.aligned]
    said_truth = truth[:n_before] + truth[n_before + len(SAID_UNWRITTEN):]
    for s, t in zip(said, said_truth, strict=True):
        assert abs(s.begin / 1000 - t["begin"]) <= 0.1, (s.text, s.begin, t["begin"])
    talk = (truth[n_before]["begin"], truth[n_before + len(SAID_UNWRITTEN) - 1]["end"])
    covered = sum(max(0.0, min(b / 1000, talk[1]) - max(a / 1000, talk[0]))
                  for a, b in result.untranscribed)
    assert covered >= 0.8 * (talk[1] - talk[0]), (result.untranscribed, talk)
    assert all(not s.words for s in result.sentences if not s.aligned)


def test_only_a_run_of_long_sentences_unheard_where_the_rest_is_heard_is_a_passage() -> None:
    from alignment.anchors import Anchor
    from alignment.engine import UNHEARD_RUN, _unheard_passages
    from alignment.recognizer import Heard
    from alignment.syncmap import Sentence, SyncMap

    def case(heard: list[bool], words: list[int], aligned: list[bool] | None = None,
             talk: list[int] | None = None):
        # talk: per sentence, how many words the recogniser heard in it (any words)
        aligned = aligned or [True] * len(heard)
        sentences = tuple(Sentence(index=k, text="x", begin=k * 1000, end=k * 1000 + 900,
                                   aligned=a) for k, a in enumerate(aligned))
        marks = [[Anchor(0, 0, 100)] * 3 if h else [] for h in heard]
        talk = talk or [3] * len(heard)
        said = [Heard("word", k * 1000 + 100 * i, k * 1000 + 100 * i + 80)
                for k, n in enumerate(talk) for i in range(n)]
        return _unheard_passages(marks, words, SyncMap(sentences), said).tolist()

    assert UNHEARD_RUN == 3
    ten = [10] * 9
    # three long sentences in a row of which nothing was heard, the others heard
    assert case([True, True, False, False, False, True, True, True, True], ten) == \
        [False, False, True, True, True, False, False, False, False]
    # two are not a passage: one sentence misheard in a row can be noise
    assert not any(case([True, True, False, False, True, True, True, True, True], ten))
    # short sentences and sentences the warp left unsaid neither count nor break it
    assert case([True, False, False, False, False, True, True, True, True],
                [10, 10, 4, 10, 10, 10, 10, 10, 10]) == \
        [False, True, False, True, True, False, False, False, False]
    assert case([True, False, False, False, False, True, True, True, True], ten,
                [True, True, False, True, True, True, True, True, True]) == \
        [False, True, False, True, True, False, False, False, False]
    # where the recogniser heard little of the rest (a noisy recording), it judges nothing
    assert not any(case([True, False, True, False, False, False, False, True, False], ten))
    # nor where the rest is too few to measure it by (two sentences heard of two)
    assert not any(case([False, False, False, True, True], [10] * 5))
    # nor where the recogniser hears no talk in the passage: a voice it is deaf to
    silent = [True, True, False, False, False, True, True, True, True]
    assert not any(case(silent, ten, talk=[3, 3, 0, 0, 1, 3, 3, 3, 3]))
    assert any(case(silent, ten, talk=[3, 3, 2, 2, 1, 3, 3, 3, 3]))  # other words: talk
