"""Sync map formats: exact output for a fixed map, round trips for generated ones."""

from __future__ import annotations

import dataclasses
import json
import re

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from alignment import formats
from alignment.formats import (
    aeneas_json,
    captions,
    json_format,
    podcast,
    srt,
    textgrid,
    vtt,
    words,
)
from alignment.formats.common import format_clock, format_seconds, one_line, parse_clock
from alignment.syncmap import Sentence, SetAside, SyncMap, Word, split_words

# ---------------------------------------------------------------- a small fixed map

FIXED = SyncMap(
    sentences=(
        Sentence(0, "Ladies and Gentlemen,", "Lord Robertson", 1230, 2340, 0.91, True, 0,
                 "s-one"),
        Sentence(1, "Is a < b && c > d?\nYes -->", "Lord Robertson", 2340, 5000, 0.8,
                 True, 0, "s-two"),
        Sentence(2, "[inaudible]", None, 5000, 5000, 0.0, False, 1, "s-three"),
        Sentence(3, "Спасибо. Thank you.", "President Putin (interpreter)", 3_601_005,
                 3_602_500, 0.75, True, 2, "s-four"),
    ),
    set_aside=(SetAside("header", "NATO Speeches", -1), SetAside("label", "Q:", 1)),
    language="eng",
    duration=3_700_000,
    sha256="abc123",
)

FIXED_JSON = """\
{
 "version": 1,
 "language": "eng",
 "audio": {
  "duration": 3700.0,
  "sha256": "abc123"
 },
 "sentences": [
  {
   "id": "s-one",
   "index": 0,
   "text": "Ladies and Gentlemen,",
   "speaker": "Lord Robertson",
   "begin": 1.23,
   "end": 2.34,
   "confidence": 0.91,
   "aligned": true,
   "paragraph": 0,
   "words": []
  },
  {
   "id": "s-two",
   "index": 1,
   "text": "Is a < b && c > d?\\nYes -->",
   "speaker": "Lord Robertson",
   "begin": 2.34,
   "end": 5.0,
   "confidence": 0.8,
   "aligned": true,
   "paragraph": 0,
   "words": []
  },
  {
   "id": "s-three",
   "index": 2,
   "text": "[inaudible]",
   "speaker": null,
   "begin": 5.0,
   "end": 5.0,
   "confidence": 0.0,
   "aligned": false,
   "paragraph": 1,
   "words": []
  },
  {
   "id": "s-four",
   "index": 3,
   "text": "Спасибо. Thank you.",
   "speaker": "President Putin (interpreter)",
   "begin": 3601.005,
   "end": 3602.5,
   "confidence": 0.75,
   "aligned": true,
   "paragraph": 2,
   "words": []
  }
 ],
 "set_aside": [
  {
   "kind": "header",
   "text": "NATO Speeches",
   "after": -1
  },
  {
   "kind": "label",
   "text": "Q:",
   "after": 1
  }
 ],
 "warnings": [],
 "untranscribed": []
}
"""

FIXED_VTT = """\
WEBVTT

s-one
00:00:01.230 --> 00:00:02.340
<v Lord Robertson>Ladies and Gentlemen,

s-two
00:00:02.340 --> 00:00:05.000
<v Lord Robertson>Is a &lt; b &amp;&amp; c &gt; d? Yes --&gt;

s-four
01:00:01.005 --> 01:00:02.500
<v President Putin (interpreter)>Спасибо. Thank you.
"""

FIXED_SRT = """\
1
00:00:01,230 --> 00:00:02,340
Lord Robertson: Ladies and Gentlemen,

2
00:00:02,340 --> 00:00:05,000
Lord Robertson: Is a < b && c > d? Yes -->

3
01:00:01,005 --> 01:00:02,500
President Putin (interpreter): Спасибо.
Thank you.
"""


def test_json_exact_output() -> None:
    assert json_format.write(FIXED) == FIXED_JSON
    assert json.loads(FIXED_JSON) == FIXED.to_dict()


def test_untranscribed_speech_round_trips() -> None:
    gappy = dataclasses.replace(FIXED, untranscribed=((3000, 41_250), (60_000, 61_500)))
    text = json_format.write(gappy)
    assert json.loads(text)["untranscribed"] == [{"begin": 3.0, "end": 41.25},
                                                 {"begin": 60.0, "end": 61.5}]
    assert json_format.read(text).untranscribed == gappy.untranscribed
    broken = json.loads(text)
    broken["untranscribed"][0]["end"] = 1.0
    with pytest.raises(ValueError, match=r"untranscribed\[0\] ends before it begins"):
        json_format.read(json.dumps(broken))


def test_vtt_exact_output_leaves_out_unaligned() -> None:
    assert vtt.write(FIXED) == FIXED_VTT


def test_srt_exact_output_leaves_out_unaligned() -> None:
    assert srt.write(FIXED) == FIXED_SRT


def test_podcast_shape() -> None:
    doc = json.loads(podcast.write(FIXED))
    assert doc == {
        "version": "1.0.0",
        "segments": [
            {"speaker": "Lord Robertson", "startTime": 1.23, "endTime": 2.34,
             "body": "Ladies and Gentlemen,"},
            {"speaker": "Lord Robertson", "startTime": 2.34, "endTime": 5.0,
             "body": "Is a < b && c > d? Yes -->"},
            {"speaker": "President Putin (interpreter)", "startTime": 3601.005,
             "endTime": 3602.5, "body": "Спасибо. Thank you."},
        ],
    }


def test_podcast_leaves_out_unknown_speaker() -> None:
    m = SyncMap(sentences=(Sentence(0, "Hi.", None, 0, 1000),))
    assert json.loads(podcast.write(m))["segments"] == [
        {"startTime": 0.0, "endTime": 1.0, "body": "Hi."}
    ]


def test_aeneas_shape() -> None:
    text = aeneas_json.write(FIXED)
    doc = json.loads(text)
    assert doc == {
        "fragments": [
            {"begin": "1.230", "end": "2.340", "id": "f000001", "language": "eng",
             "lines": ["Ladies and Gentlemen,"], "children": []},
            {"begin": "2.340", "end": "5.000", "id": "f000002", "language": "eng",
             "lines": ["Is a < b && c > d? Yes -->"], "children": []},
            {"begin": "3601.005", "end": "3602.500", "id": "f000003", "language": "eng",
             "lines": ["Спасибо. Thank you."], "children": []},
        ]
    }
    # As aeneas writes it: sorted keys, one-space indent, ASCII escapes.
    assert text == json.dumps(doc, indent=1, sort_keys=True) + "\n"
    assert text.isascii()


def test_empty_map_in_every_format() -> None:
    empty = SyncMap(sentences=())
    assert vtt.write(empty) == "WEBVTT\n"
    assert srt.write(empty) == ""
    assert vtt.read(vtt.write(empty)).sentences == ()
    assert srt.read(srt.write(empty)).sentences == ()
    assert json_format.read(json_format.write(empty)) == empty
    assert json.loads(podcast.write(empty)) == {"version": "1.0.0", "segments": []}
    assert json.loads(aeneas_json.write(empty)) == {"fragments": []}
    # a TextGrid needs a length: the recording's, else its intervals'
    with pytest.raises(ValueError, match="nothing to write as a TextGrid"):
        textgrid.write(empty)
    assert 'intervals: size = 1 \n        intervals [1]:\n            xmin = 0 \n' \
           '            xmax = 2.5 \n            text = "" ' in \
           textgrid.write(dataclasses.replace(empty, duration=2500))


# ---------------------------------------------------------------- generated maps

# Transcripts arrive as UTF-8, so lone surrogates (category Cs) cannot occur.
_chars = st.characters(blacklist_categories=("Cs",))
_tricky = st.sampled_from([
    "<", ">", "&", "&amp;", "&lt;", "-->", "<v Bob>", "</v>", "<b>", "\n", "\r\n", "\r",
    "\t", "  ", "\u00a0", "\u2028", "é", "ß", "Спасибо", "中文", "🙂", "Note: ", ": ", "1",
    "00:00:01,000 --> 00:00:02,000", "WEBVTT", "NOTE",
])
texts = st.lists(st.one_of(st.text(_chars, max_size=8), _tricky), max_size=6).map("".join)
# Names as the speaker-label rule (srt.split_speaker) recognises them: capitalised words.
_word = st.tuples(
    st.characters(whitelist_categories=("Lu",)),
    st.text(st.characters(whitelist_categories=("Ll", "Lu", "Lo")), max_size=6),
).map("".join)
names = st.lists(_word, min_size=1, max_size=5).map(" ".join).filter(
    lambda name: srt.split_speaker(f"{name}: x") == (name, "x"))
any_speakers = st.one_of(st.none(), texts)


@st.composite
def sentences(draw: st.DrawFn, speakers: st.SearchStrategy = any_speakers) -> Sentence:
    begin = draw(st.integers(0, 360_000_000))
    return Sentence(
        index=0,
        text=draw(texts),
        speaker=draw(speakers),
        begin=begin,
        end=begin + draw(st.integers(0, 600_000)),
        confidence=draw(st.integers(0, 1000)) / 1000,
        aligned=draw(st.booleans()),
        paragraph=draw(st.integers(0, 50)),
    )


@st.composite
def syncmaps(draw: st.DrawFn, speakers: st.SearchStrategy = any_speakers) -> SyncMap:
    items = draw(st.lists(sentences(speakers), max_size=8))
    blocks = draw(st.lists(
        st.builds(SetAside, kind=st.sampled_from(["header", "label", "stage"]), text=texts,
                  after=st.integers(-1, 8)),
        max_size=3,
    ))
    return SyncMap(
        sentences=tuple(
            Sentence(**{**s.__dict__, "index": i}) for i, s in enumerate(items)
        ),
        set_aside=tuple(blocks),
        language=draw(st.sampled_from(["eng", "fra", "rus"])),
        duration=draw(st.integers(0, 400_000_000)),
        sha256=draw(st.text("0123456789abcdef", max_size=64)),
    ).with_ids()


def _caption_view(m: SyncMap) -> list[tuple]:
    """What a caption format keeps of a sync map: aligned sentences, one-line text."""
    return [
        (one_line(s.text), one_line(s.speaker) or None, s.begin, s.end)
        for s in m.sentences if s.aligned
    ]


@pytest.mark.slow
@settings(max_examples=200)
@given(syncmaps())
def test_json_round_trip_is_exact(m: SyncMap) -> None:
    assert json_format.read(json_format.write(m)) == m


@pytest.mark.slow
@settings(max_examples=200)
@given(syncmaps())
def test_vtt_round_trip(m: SyncMap) -> None:
    back = vtt.read(vtt.write(m, fit=False))  # one cue per sentence (fitting cuts them)
    assert _caption_view(back) == _caption_view(m)
    assert [s.id for s in back.sentences] == [s.id for s in m.sentences if s.aligned]
    assert [s.index for s in back.sentences] == list(range(len(back.sentences)))
    assert all(s.aligned for s in back.sentences)


@pytest.mark.slow
@settings(max_examples=200)
@given(syncmaps(speakers=st.one_of(st.none(), names)))
def test_srt_round_trip(m: SyncMap) -> None:
    # The documented ambiguities: text without a speaker that starts like "Name: ", and
    # text that reads as formatting markup (SRT has no escaping)
    assume(all(
        s.speaker or srt.split_speaker(one_line(s.text))[0] is None for s in m.sentences
    ))
    assume(all(captions.cue_text(one_line(s.text), vtt=False) == one_line(s.text)
               for s in m.sentences))
    back = srt.read(srt.write(m, fit=False))
    assert _caption_view(back) == _caption_view(m)
    ids = [s.id for s in back.sentences]
    assert all(ids) and len(set(ids)) == len(ids)


@given(syncmaps())
def test_caption_writers_keep_each_cue_in_one_block(m: SyncMap) -> None:
    aligned = sum(s.aligned for s in m.sentences)
    assert vtt.write(m, fit=False).count(" --> ") == aligned
    assert srt.write(m, fit=False).count(" --> ") >= aligned
    assert vtt.write(m).count(" --> ") >= aligned


@given(st.integers(0, 10**10))
def test_clock_round_trip(ms: int) -> None:
    assert parse_clock(format_clock(ms)) == ms
    assert parse_clock(format_clock(ms, ",")) == ms


def test_paragraphs_follow_speaker_changes_on_read() -> None:
    back = vtt.read(FIXED_VTT)
    assert [s.paragraph for s in back.sentences] == [0, 0, 1]
    assert [s.confidence for s in back.sentences] == [1.0, 1.0, 1.0]


# ---------------------------------------------------------------- reading other tools' files

def test_vtt_reads_files_from_other_tools() -> None:
    text = (
        "\ufeffWEBVTT - a title\r\nKind: captions\r\nLanguage: en\r\n\r\n"
        "STYLE\r\n::cue { color: yellow }\r\n\r\n"
        "NOTE a comment\r\nover two lines\r\n\r\n"
        "01:02.500 --> 01:04.000 align:start position:10%\r\n"
        "<v.loud Esme Weatherwax>It's <i>not</i> &lt;fine&gt;,\r\n"
        "<c.yellow>she said</c> &amp; left.</v>\r\n\r\n"
        "intro\r\n00:01:05.000 --> 00:01:06.000\r\nNo voice here.\r\n"
    )
    back = vtt.read(text)
    assert [(s.text, s.speaker, s.begin, s.end, s.id) for s in back.sentences] == [
        ("It's not <fine>, she said & left.", "Esme Weatherwax", 62_500, 64_000,
         back.sentences[0].id),
        ("No voice here.", None, 65_000, 66_000, "intro"),
    ]
    assert back.sentences[0].id.startswith("s-")


def test_srt_reads_files_from_other_tools() -> None:
    text = (
        "\ufeff1\r\n00:00:01.000 --> 00:00:02.500 X1:0 X2:10\r\n"
        "Q: Two lines\r\nof <i>text</i>\r\n\r\n\r\n"
        "7\r\n00:00:03,000 --> 00:00:04,000\r\n"
        "the answer: lower case is not a name\r\n"
    )
    back = srt.read(text)
    assert [(s.text, s.speaker, s.begin, s.end, s.index) for s in back.sentences] == [
        ("Two lines of text", "Q", 1000, 2500, 0),  # formatting dropped, as in transcripts
        ("the answer: lower case is not a name", None, 3000, 4000, 1),
    ]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Lord Robertson: Thank you.", ("Lord Robertson", "Thank you.")),
        ("President Putin (interpreter): Yes.", ("President Putin (interpreter)", "Yes.")),
        ("Q: Why?", ("Q", "Why?")),
        ("Note: the rule", (None, "Note: the rule")),  # not a name, by the label rule
        ("Speaker 2: Yes.", ("Speaker 2", "Yes.")),
        ("Élodie: Oui.", ("Élodie", "Oui.")),
        ("Name: ", ("Name", "")),
        ("however: no", (None, "however: no")),
        ("At 10:30 we met.", (None, "At 10:30 we met.")),
        ("One two three four five six seven: no", (None, "One two three four five six seven: no")),
        ("1984: a year", (None, "1984: a year")),
        (" Lead: space", (None, " Lead: space")),
        ("Ratio 3:1", (None, "Ratio 3:1")),
    ],
)
def test_srt_speaker_prefix_pattern(line: str, expected: tuple) -> None:
    assert srt.split_speaker(line) == expected


# ---------------------------------------------------------------- bad input

@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "not a JSON sync map: Expecting value at line 1"),
        ("{", "not a JSON sync map"),
        ("[]", "expected an object, found a list"),
        ('{"version": 2, "sentences": []}', "version 2 is not supported"),
        ("{}", 'there is no "sentences" list'),
        ('{"sentences": {}}', '"sentences" must be a list, found an object'),
        ('{"sentences": [1]}', "sentences[0] must be an object, found a number"),
        ('{"sentences": [{"index": 0, "text": "a", "begin": 1}]}',
         'sentences[0] has no "end" time'),
        ('{"sentences": [{"index": 0, "text": "a", "begin": "1", "end": 2}]}',
         "sentences[0].begin must be a non-negative number of seconds, found '1'"),
        ('{"sentences": [{"index": 0, "text": "a", "begin": -1, "end": 2}]}',
         "sentences[0].begin must be a non-negative number"),
        ('{"sentences": [{"index": 0, "text": "a", "begin": 3, "end": 2}]}',
         "sentences[0] ends (2.0 s) before it begins (3.0 s)"),
        ('{"sentences": [{"index": 0, "text": 5, "begin": 1, "end": 2}]}',
         "sentences[0].text must be a str, found a number"),
        ('{"sentences": [{"index": true, "text": "a", "begin": 1, "end": 2}]}',
         "sentences[0].index must be a whole number"),
        ('{"sentences": [{"index": 0, "text": "a", "begin": 1, "end": 2, "speaker": 3}]}',
         "sentences[0].speaker must be a string or null"),
        ('{"sentences": [], "set_aside": [{"kind": "x"}]}', 'set_aside[0] has no "text"'),
        ('{"sentences": [], "audio": {"duration": "long"}}',
         "audio.duration must be a non-negative number"),
        ('{"sentences": [], "audio": []}', '"audio" must be an object, found a list'),
        ('{"sentences": [], "audio": {"duration": NaN}}', "audio.duration must be"),
    ],
)
def test_json_bad_input_names_the_problem(text: str, message: str) -> None:
    with pytest.raises(ValueError) as info:
        json_format.read(text)
    assert message in str(info.value)


@pytest.mark.parametrize(
    ("reader", "text", "message"),
    [
        (vtt.read, "", 'the first line must be "WEBVTT"'),
        (vtt.read, "WEBVTTX\n", 'the first line must be "WEBVTT"'),
        (vtt.read, "1\n00:00:01,000 --> 00:00:02,000\nhi\n", '"WEBVTT"'),
        (vtt.read, "WEBVTT\n\n00:00:01.000 --> soon\nhi\n", "is not a time"),
        (vtt.read, "WEBVTT\n\n00:00:01.000 -->\nhi\n", "has no end time"),
        (srt.read, "1\nhello\n", "cue 1 has no timing line"),
        (srt.read, '{"sentences": []}', "not an SRT file"),
        (srt.read, "1\n00:00:01,000 --> 00:00:99,000\nhi\n", "SRT cue 1"),
    ],
)
def test_caption_bad_input_names_the_problem(reader, text: str, message: str) -> None:
    with pytest.raises(ValueError) as info:
        reader(text)
    assert message in str(info.value)


def test_negative_times_are_refused_when_writing() -> None:
    m = SyncMap(sentences=(Sentence(0, "x", None, -5, 10),))
    for fmt in ("vtt", "srt", "aeneas", "textgrid"):
        with pytest.raises(ValueError, match="negative time"):
            formats.write(m, fmt)


# ---------------------------------------------------------------- the registry

@pytest.mark.parametrize(
    ("path", "fmt"),
    [
        ("out.json", "json"),
        ("dir.d/OUT.JSON", "json"),
        ("talk.vtt", "vtt"),
        ("talk.VTT", "vtt"),
        ("/tmp/a.b/talk.srt", "srt"),
        ("episode.podcast.json", "podcast"),
        ("episode.Podcast.Json", "podcast"),
        ("map.aeneas.json", "aeneas"),
        ("my.aeneas.vtt", "vtt"),
        ("podcast.json", "json"),
        ("talk.TextGrid", "textgrid"),
        ("talk.textgrid", "textgrid"),
        ("talk.words.TEXTGRID", "textgrid"),
    ],
)
def test_format_for_path(path: str, fmt: str) -> None:
    assert formats.format_for_path(path) == fmt


@pytest.mark.parametrize("path", ["out.txt", "out", "json", ".vtt", "out.json.bak",
                                  ".TextGrid", "out.grid"])
def test_format_for_path_refuses_unknown_suffixes(path: str) -> None:
    with pytest.raises(ValueError, match="cannot tell the format") as info:
        formats.format_for_path(path)
    assert ".podcast.json" in str(info.value)


def test_registry_dispatches_to_the_modules() -> None:
    assert set(formats.FORMATS) == {"json", "vtt", "srt", "podcast", "aeneas", "textgrid"}
    assert formats.write(FIXED, "vtt") == FIXED_VTT
    assert formats.write(FIXED, "srt") == FIXED_SRT
    assert formats.read(FIXED_JSON, "json") == FIXED
    assert formats.read(FIXED_VTT, "vtt") == vtt.read(FIXED_VTT)
    for name, fmt in formats.FORMATS.items():
        assert fmt.name == name
        assert formats.format_for_path("x" + fmt.suffix) == name


def test_registry_errors() -> None:
    with pytest.raises(ValueError, match="unknown format 'xml'; choose one of json, vtt"):
        formats.write(FIXED, "xml")
    with pytest.raises(ValueError, match="unknown format 'xml'"):
        formats.read("", "xml")
    with pytest.raises(ValueError, match="'podcast' can be written but not read"):
        formats.read("{}", "podcast")
    with pytest.raises(ValueError, match="'aeneas' can be written but not read"):
        formats.read("{}", "aeneas")
    with pytest.raises(ValueError, match="'textgrid' can be written but not read"):
        formats.read("", "textgrid")


def test_vtt_repeated_cue_ids_are_not_kept_as_sentence_ids() -> None:
    text = ("WEBVTT\n\nintro\n00:00:01.000 --> 00:00:02.000\nHello.\n\n"
            "intro\n00:00:03.000 --> 00:00:04.000\nAgain.\n\n"
            "s-own\n00:00:05.000 --> 00:00:06.000\nMine.\n")
    ids = [s.id for s in vtt.read(text).sentences]
    assert len(set(ids)) == 3
    assert "intro" not in ids and ids[2] == "s-own"


VTT_CUES = ("WEBVTT - a header with text\n\n"
            "00:00:01.000 --> 00:00:02.000\n<i>Fish</i> &amp; <b>chips</b>.\n\n"
            "00:00:03.000 --> 00:00:04.500\n<c.loud>Caf&#233; au lait</c>, <u>please</u>.\n")
SRT_CUES = ("1\n00:00:01,000 --> 00:00:02,000\n{\\an8}<i>Fish</i> and <b>chips</b>.\n\n"
            "2\n00:00:03,000 --> 00:00:04,500\n<font color=\"#fff\">Tea</font>, <u>please</u>.\n")


@pytest.mark.parametrize(("read", "text", "expected"), [
    (vtt.read, VTT_CUES, ["Fish & chips.", "Café au lait, please."]),
    (srt.read, SRT_CUES, ["Fish and chips.", "Tea, please."]),
])
def test_the_sync_map_readers_and_the_transcript_reader_read_cues_alike(
        read, text: str, expected: list[str]) -> None:
    """One cue reader: the same header test, the same markup dropped, the same entities."""
    from alignment.transcript import read_transcript

    assert [s.text for s in read(text).sentences] == expected
    assert [s.text for s in read_transcript(text).sentences] == expected


def test_words_round_trip_and_are_checked() -> None:
    first = FIXED.sentences[0]
    worded = dataclasses.replace(first, words=(
        Word("Ladies", 1230, 1600), Word("and", 1600, 1700, aligned=False),
        Word("Gentlemen,", 1700, 2340)))
    fm = dataclasses.replace(FIXED, sentences=(worded, *FIXED.sentences[1:]))
    text = json_format.write(fm)
    doc = json.loads(text)
    assert doc["sentences"][0]["words"] == [
        {"text": "Ladies", "begin": 1.23, "end": 1.6},
        {"text": "and", "begin": 1.6, "end": 1.7, "aligned": False},
        {"text": "Gentlemen,", "begin": 1.7, "end": 2.34}]
    assert json_format.read(text).sentences[0].words == worded.words
    doc["sentences"][0]["words"][2]["end"] = 1.0
    with pytest.raises(ValueError, match=r"sentences\[0\]\.words\[2\] ends before it begins"):
        json_format.read(json.dumps(doc))
    doc["sentences"][0]["words"] = "Ladies"
    with pytest.raises(ValueError, match=r"sentences\[0\]\.words\" must be a list"):
        json_format.read(json.dumps(doc))


def test_split_words_keeps_punctuation_on_words() -> None:
    assert split_words("Well — I think “so”, yes.") == ["Well —", "I", "think", "“so”,", "yes."]
    assert split_words("— And then") == ["— And", "then"]
    assert " ".join(split_words("a  b\n c")) == "a b c"


# ---------------------------------------------------------------- words with times (issue 18)

W = Word
#: a map whose sentences have words: all heard; unheard first word, a word of no length
#: and one ending before its sentence; a sentence cut in two at a pause; one without words
WORDED = SyncMap(
    sentences=(
        Sentence(0, "Ladies and Gentlemen,", "Lord Robertson", 1230, 2340, 0.91, True, 0,
                 "s-one", words=(W("Ladies", 1230, 1600), W("and", 1600, 1700),
                                 W("Gentlemen,", 1700, 2340))),
        Sentence(1, "— Is a < b? Yes", None, 2500, 4000, 0.8, True, 1, "s-two",
                 words=(W("— Is", 2500, 2500, False), W("a <", 2500, 2900),
                        W("b?", 2900, 2900), W("Yes", 2900, 3500))),
        Sentence(2, "[inaudible]", None, 5000, 5000, 0.0, False, 1, "s-three"),
        Sentence(3, "We must work together against terrorism, which knows no borders.",
                 "Lord Robertson", 10_000, 18_000, 0.9, True, 2, "s-four",
                 words=(W("We", 10_000, 10_300), W("must", 10_300, 10_600),
                        W("work", 10_600, 11_000), W("together", 11_000, 11_600),
                        W("against", 11_600, 12_100), W("terrorism,", 12_100, 13_000),
                        W("which", 16_000, 16_300), W("knows", 16_300, 16_700),
                        W("no", 16_700, 16_900), W("borders.", 16_900, 17_600))),
        Sentence(4, "No words here.", None, 18_000, 19_000, 0.9, True, 2, "s-five"),
    ),
    duration=20_000,
)

# The karaoke: a timestamp before each word after a cue's first; "— Is" (not heard) joins
# "a <"; "Yes" begins when "b?" does, and WebVTT's timestamps must rise, so it has none.
# s-four is cut at the pause after "terrorism," (7.6 s is too long for one cue), each cue
# from its first word to its last; s-five has no words and is as it always was.
WORDED_VTT = """\
WEBVTT

s-one
00:00:01.230 --> 00:00:02.340
<v Lord Robertson>Ladies <00:00:01.600>and <00:00:01.700>Gentlemen,

s-two
00:00:02.500 --> 00:00:03.500
— Is a &lt; <00:00:02.900>b? Yes

s-four
00:00:10.000 --> 00:00:13.000
<v Lord Robertson>We <00:00:10.300>must <00:00:10.600>work <00:00:11.000>together \
<00:00:11.600>against <00:00:12.100>terrorism,

s-four-2
00:00:16.000 --> 00:00:17.600
<v Lord Robertson>which <00:00:16.300>knows <00:00:16.700>no <00:00:16.900>borders.

s-five
00:00:18.000 --> 00:00:19.000
No words here.
"""

WORDED_SRT = """\
1
00:00:01,230 --> 00:00:02,340
Lord Robertson: Ladies and Gentlemen,

2
00:00:02,500 --> 00:00:03,500
— Is a < b? Yes

3
00:00:10,000 --> 00:00:13,000
Lord Robertson: We must work
together against terrorism,

4
00:00:16,000 --> 00:00:17,600
Lord Robertson: which knows no borders.

5
00:00:18,000 --> 00:00:19,000
No words here.
"""


def test_vtt_exact_output_with_word_timestamps() -> None:
    assert vtt.write(WORDED) == WORDED_VTT


def test_srt_exact_output_with_cues_timed_by_words() -> None:
    assert srt.write(WORDED) == WORDED_SRT


def test_vtt_karaoke_reads_back_as_the_same_sentences() -> None:
    back = vtt.read(WORDED_VTT)
    assert [(s.text, s.begin, s.end) for s in back.sentences[:2]] == [
        ("Ladies and Gentlemen,", 1230, 2340), ("— Is a < b? Yes", 2500, 3500)]
    assert all(not s.words for s in back.sentences)  # a caption file gives no word times


def test_vtt_one_cue_per_sentence_keeps_the_sentence_times_and_the_timestamps() -> None:
    text = vtt.write(WORDED, fit=False)
    assert ("s-four\n00:00:10.000 --> 00:00:18.000\n<v Lord Robertson>We <00:00:10.300>must"
            in text)
    assert "<00:00:16.000>which" in text and text.count(" --> ") == 4


def test_podcast_has_a_segment_per_word() -> None:
    segments = json.loads(podcast.write(WORDED))["segments"]
    robertson = {"speaker": "Lord Robertson"}
    assert segments[:6] == [
        {**robertson, "startTime": 1.23, "endTime": 1.6, "body": "Ladies"},
        {**robertson, "startTime": 1.6, "endTime": 1.7, "body": "and"},
        {**robertson, "startTime": 1.7, "endTime": 2.34, "body": "Gentlemen,"},
        {"startTime": 2.5, "endTime": 2.9, "body": "— Is a <"},  # the unheard word joins
        {"startTime": 2.9, "endTime": 2.9, "body": "b?"},
        {"startTime": 2.9, "endTime": 3.5, "body": "Yes"},
    ]
    assert [s["body"] for s in segments[6:]] == [
        "We", "must", "work", "together", "against", "terrorism,", "which", "knows", "no",
        "borders.", "No words here."]  # the sentence without words stays one segment
    assert segments[-2:] == [
        {**robertson, "startTime": 16.9, "endTime": 17.6, "body": "borders."},
        {"startTime": 18.0, "endTime": 19.0, "body": "No words here."}]


def test_podcast_word_segments_read_back_as_running_text() -> None:
    """Word segments uploaded as a transcript run on into sentences again, not a sentence
    per word (the reader starts a paragraph at a two-second pause: s-four is two)."""
    from alignment.transcript import read_transcript

    back = read_transcript(podcast.write(WORDED)).sentences
    said = [s for s in WORDED.sentences if s.aligned]
    assert " ".join(s.text for s in back) == " ".join(s.text for s in said)
    assert back[0].text == "Ladies and Gentlemen," and back[0].speaker == "Lord Robertson"
    assert len(back) <= len(said) + 2


# Praat ends each value line with a space: `$` marks it here, as `cat -A` would
WORDED_TEXTGRID_HEAD = """\
File type = "ooTextFile"
Object class = "TextGrid"

xmin = 0 $
xmax = 20 $
tiers? <exists> $
size = 2 $
item []: $
    item [1]:
        class = "IntervalTier" $
        name = "sentences" $
        xmin = 0 $
        xmax = 20 $
        intervals: size = 8 $
        intervals [1]:
            xmin = 0 $
            xmax = 1.23 $
            text = "" $
        intervals [2]:
            xmin = 1.23 $
            xmax = 2.34 $
            text = "Ladies and Gentlemen," $
        intervals [3]:
            xmin = 2.34 $
            xmax = 2.5 $
            text = "" $
""".replace("$\n", "\n")


def test_textgrid_exact_output_is_praats_long_format() -> None:
    text = textgrid.write(WORDED)
    assert text.startswith(WORDED_TEXTGRID_HEAD)
    assert text.endswith('''\
        intervals [20]:
            xmin = 17.6 $
            xmax = 20 $
            text = "" $
'''.replace("$\n", "\n"))
    assert '    item [2]:\n        class = "IntervalTier" \n        name = "words" \n' in text


def _praat_tiers(text: str, tmp_path) -> dict[str, list[tuple[float, float, str]]]:
    """The TextGrid read by praatio, an independent parser: each tier's intervals."""
    from praatio import textgrid as praat

    path = tmp_path / "out.TextGrid"
    path.write_text(text, encoding="utf-8")
    grid = praat.openTextgrid(str(path), includeEmptyIntervals=True)
    assert (grid.minTimestamp, grid.maxTimestamp) == (0, 20.0)
    return {name: [(i.start, i.end, i.label) for i in grid.getTier(name).entries]
            for name in grid.tierNames}


def test_textgrid_reads_back_with_praatio(tmp_path) -> None:
    tiers = _praat_tiers(textgrid.write(WORDED), tmp_path)
    assert list(tiers) == ["sentences", "words"]
    assert tiers["sentences"] == [
        (0.0, 1.23, ""), (1.23, 2.34, "Ladies and Gentlemen,"), (2.34, 2.5, ""),
        (2.5, 4.0, "— Is a < b? Yes"), (4.0, 10.0, ""),  # the unsaid sentence: a gap
        (10.0, 18.0, "We must work together against terrorism, which knows no borders."),
        (18.0, 19.0, "No words here."), (19.0, 20.0, "")]
    said = [w for w in tiers["words"] if w[2]]
    assert said[:5] == [(1.23, 1.6, "Ladies"), (1.6, 1.7, "and"), (1.7, 2.34, "Gentlemen,"),
                        (2.5, 2.9, "a <"), (2.9, 3.5, "Yes")]  # no "— Is" (unheard), no "b?"
    assert said[-1] == (16.9, 17.6, "borders.") and len(said) == 15  # none from s-five
    for tier in tiers.values():  # the tier is whole: from 0 to the end, no gap, no overlap
        assert tier[0][0] == 0.0 and tier[-1][1] == 20.0
        assert all(a[1] == b[0] for a, b in zip(tier, tier[1:], strict=False))


def test_textgrid_text_with_quotes_and_the_length_without_a_duration(tmp_path) -> None:
    m = SyncMap(sentences=(Sentence(0, 'He said "no"\nand left.', None, 500, 20_000,
                                    words=(W("He", 500, 700), W("said", 700, 900),
                                           W('"no"', 900, 1500), W("and", 1500, 1600),
                                           W("left.", 1600, 20_000))),))
    text = textgrid.write(m)
    assert 'text = "He said ""no"" and left." ' in text
    tiers = _praat_tiers(text, tmp_path)  # ends with the last interval: 20 s
    assert tiers["sentences"] == [(0.0, 0.5, ""), (0.5, 20.0, 'He said "no" and left.')]
    assert tiers["words"][3] == (0.9, 1.5, '"no"')


def test_textgrid_refuses_overlapping_sentences() -> None:
    m = SyncMap(sentences=(Sentence(0, "One.", None, 1000, 3000, id="s-a"),
                           Sentence(1, "Two.", None, 2500, 4000, id="s-b")))
    with pytest.raises(ValueError, match=r"sentence s-b begins \(2500 ms\) before sentence "
                                         r"s-a ends \(3000 ms\)"):
        textgrid.write(m)


def test_timed_words_join_unheard_words_to_a_heard_one() -> None:
    s = Sentence(0, "so then we all left", None, 0, 5000, words=(
        W("so", 0, 0, False), W("then", 0, 1000), W("we", 1000, 1000, False),
        W("all", 1000, 1000, False), W("left", 1200, 5000)))
    assert words.timed_words(s) == [W("so then we all", 0, 1000), W("left", 1200, 5000)]
    nothing_heard = dataclasses.replace(s, words=tuple(
        dataclasses.replace(w, aligned=False) for w in s.words))
    assert words.timed_words(nothing_heard) == []
    # then every format treats it as a sentence without word times
    m = SyncMap(sentences=(nothing_heard,))
    assert vtt.write(m) == "WEBVTT\n\n00:00:00.000 --> 00:00:05.000\nso then we all left\n"


def _sentence_with(*ws: Word, text: str = "Ladies and Gentlemen,") -> SyncMap:
    return SyncMap(sentences=(Sentence(0, text, None, 1000, 3000, id="s-x", words=ws),))


@pytest.mark.parametrize(("ws", "message"), [
    ((W("Ladies", 1000, 1500), W("Gentlemen,", 1500, 3000)),
     r"sentence s-x \('Ladies and Gentlemen,'\): its words \['Ladies', 'Gentlemen,'\] are "
     r"not its text's words \['Ladies', 'and', 'Gentlemen,'\]"),
    ((W("Ladies", 900, 1500), W("and", 1500, 1600), W("Gentlemen,", 1600, 3000)),
     r"its first word begins \(900 ms\) before the sentence \(1000 ms\)"),
    ((W("Ladies", 1000, 1500), W("and", 1400, 1600), W("Gentlemen,", 1600, 3000)),
     r"the word 'and' begins \(1400 ms\) before the word before it ends \(1500 ms\)"),
    ((W("Ladies", 1000, 1500), W("and", 1600, 1550), W("Gentlemen,", 1600, 3000)),
     r"the word 'and' ends \(1550 ms\) before it begins \(1600 ms\)"),
    ((W("Ladies", 1000, 1500), W("and", 1500, 1600), W("Gentlemen,", 1600, 3100)),
     r"its last word ends \(3100 ms\) after the sentence \(3000 ms\)"),
])
@pytest.mark.parametrize("fmt", ["vtt", "srt", "podcast", "textgrid"])
def test_words_that_are_not_the_sentences_are_refused(ws, message: str, fmt: str) -> None:
    with pytest.raises(ValueError, match=message):
        formats.write(_sentence_with(*ws), fmt)


def test_format_seconds_is_exact() -> None:
    assert [format_seconds(ms) for ms in (0, 5, 1005, 3_601_005)] == [
        "0.000", "0.005", "1.005", "3601.005"]
    with pytest.raises(ValueError, match="negative time"):
        format_seconds(-1)


@st.composite
def worded_sentences(draw: st.DrawFn) -> Sentence:
    """A said sentence with its words at any non-overlapping times, some not heard."""
    text = " ".join(draw(st.lists(st.one_of(_word, st.sampled_from(["—", "<", "&", "a,"])),
                                  min_size=1, max_size=30)))
    at = begin = draw(st.integers(0, 10**7))
    ws = []
    for w in split_words(text):
        start = at + draw(st.integers(0, 3000))
        at = start + draw(st.integers(0, 2000))
        ws.append(Word(w, start, at, draw(st.booleans())))
    return Sentence(0, text, draw(st.one_of(st.none(), names)), begin,
                    at + draw(st.integers(0, 1000)), words=tuple(ws))


_STAMP = re.compile(r"<(\d\d:\d\d:\d\d\.\d\d\d)>")


@settings(max_examples=150)
@given(worded_sentences())
def test_any_words_make_valid_cues(s: Sentence) -> None:
    m = SyncMap(sentences=(s,))
    text = vtt.write(m)
    heard = [w for w in s.words if w.aligned]
    for block in text.split("\n\n")[1:]:
        timing = next(line for line in block.split("\n") if " --> " in line)
        begin, end = (parse_clock(t) for t in timing.split(" --> "))
        stamps = [parse_clock(t) for t in _STAMP.findall(block)]
        # WebVTT: a cue's timestamps rise strictly, inside the cue
        assert all(begin < t < end for t in stamps)
        assert stamps == sorted(set(stamps))
        if heard:  # the cues run inside the words (an unheard last word joins on)
            assert begin >= s.words[0].begin and end <= s.words[-1].end
    # the words, all of them and in order, are the sentence's text again when read back
    back = vtt.read(text).sentences
    assert " ".join(b.text for b in back) == one_line(s.text)
    assert " ".join(b.text for b in srt.read(srt.write(m)).sentences) == one_line(s.text)
    segments = json.loads(podcast.write(m))["segments"]
    assert " ".join(seg["body"] for seg in segments) == one_line(s.text)
    assert len(segments) == max(len(heard), 1)
    grid = textgrid.write(dataclasses.replace(m, duration=s.end + 1000))
    said = [w for w in heard if w.end > w.begin]
    words_tier = grid.split('name = "words"')[1]
    assert words_tier.count('text = "') - words_tier.count('text = "" ') == len(said)
