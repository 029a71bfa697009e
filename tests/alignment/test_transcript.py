"""Reading transcripts as users have them: the seed, other conventions, WebVTT and SRT.

The central property: every word of the input ends up in exactly one sentence or one
set-aside block, in document order (rebuilt from the blocks' `after`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from alignment.errors import TranscriptError
from alignment.syncmap import Sentence
from alignment.synthetic import SEED_TEXT as SEED
from alignment.transcript import Script, read_transcript

# --- helpers ---------------------------------------------------------------------------


def document(script: Script) -> list[tuple[str, str]]:
    """(kind, text) in document order; sentences have kind "sentence"."""
    blocks = defaultdict(list)
    for block in script.set_aside:
        blocks[block.after].append((block.kind, block.text))
    out = list(blocks[-1])
    for sentence in script.sentences:
        out.append(("sentence", sentence.text))
        out.extend(blocks[sentence.index])
    return out


def tokens(texts: Iterable[str]) -> list[str]:
    return [token for text in texts for token in text.split()]


def chars(texts: Iterable[str]) -> str:
    """All non-whitespace characters, in order: tokens glued to marks still compare."""
    return "".join("".join(texts).split())


def check_structure(script: Script) -> None:
    """Indices, `after`, paragraphs, ids, spoken forms and uncertain indices are sound."""
    n = len(script.sentences)
    assert [s.index for s in script.sentences] == list(range(n))
    afters = [block.after for block in script.set_aside]
    assert afters == sorted(afters)
    assert all(-1 <= after < n for after in afters)
    paragraphs = [s.paragraph for s in script.sentences]
    assert paragraphs[0] == 0
    assert all(b - a in (0, 1) for a, b in zip(paragraphs, paragraphs[1:], strict=False))
    assert all(s.id.startswith("s-") for s in script.sentences)
    assert len({s.id for s in script.sentences}) == n
    assert all(s.begin == s.end == 0 and s.aligned and s.confidence == 0 for s in script.sentences)
    assert len(script.spoken) == n and all(script.spoken)
    assert script.uncertain <= set(range(n))
    assert all(any(ch.isalnum() for ch in s.text) for s in script.sentences)
    assert all(s.text == s.text.strip() for s in script.sentences)


def sentence(script: Script, start: str, occurrence: int = 0) -> Sentence:
    found = [s for s in script.sentences if s.text.startswith(start)]
    return found[occurrence]


def blocks_of(script: Script, kind: str) -> list[str]:
    return [block.text for block in script.set_aside if block.kind == kind]


# --- the seed --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def seed(seed_text: str) -> Script:
    return read_transcript(seed_text)


def test_seed_keeps_every_word_in_order(seed: Script, seed_text: str) -> None:
    assert tokens(text for _, text in document(seed)) == seed_text.split()
    check_structure(seed)


def test_seed_sentence_count(seed: Script) -> None:
    assert len(seed.sentences) == 64


def test_seed_header_and_footer_are_set_aside(seed: Script) -> None:
    assert blocks_of(seed, "header") == ["Updated: 04-Oct-2001 NATO Speeches", "3 October 2001"]
    assert blocks_of(seed, "footer") == ["Go to Homepage Go to Index"]
    assert seed.set_aside[-1].after == len(seed.sentences) - 1
    assert {block.kind for block in seed.set_aside} == {"header", "label", "footer"}


def test_seed_place_and_byline_are_uncertain_sentences(seed: Script) -> None:
    uncertain = [seed.sentences[i].text for i in sorted(seed.uncertain)]
    assert uncertain == [
        "Palais d'Egmont, Brussels",
        "Audio file",
        "by NATO Secretary General, Lord Robertson, and the Russian President Putin",
    ]


def test_seed_speech_starts_with_the_salutation(seed: Script) -> None:
    ladies = sentence(seed, "Ladies and Gentlemen,")
    assert ladies.text == "Ladies and Gentlemen,"
    assert ladies.index == len(seed.uncertain)
    assert all(i < ladies.index for i in seed.uncertain)


def test_seed_labels_are_set_aside_where_they_stand(seed: Script) -> None:
    labels = [(b.text, b.after) for b in seed.set_aside if b.kind == "label"]
    assert [text for text, _ in labels] == [
        "President Putin (interpreter)", "President Putin", "Secretary General",
    ]
    first_words = ["I would like to reiterate", "I will start from", "I agree with the President"]
    for (_, after), start in zip(labels, first_words, strict=True):
        assert seed.sentences[after + 1].text.startswith(start)


@pytest.mark.parametrize(
    ("start", "occurrence", "speaker"),
    [
        ("Palais d'Egmont", 0, None),
        # The byline names the opening turn; its name is the form a label uses.
        ("Ladies and Gentlemen,", 0, "Secretary General"),
        ("President Putin and I have had", 0, "Secretary General"),
        ("The attack at the heart", 0, "Secretary General"),
        ("I would like to reiterate", 0, "President Putin (interpreter)"),
        ("Thank you.", 0, "President Putin (interpreter)"),
        ("One question please.", 0, "President Putin (interpreter)"),
        ("Second part:", 0, "President Putin (interpreter)"),
        ("I will start from the second part.", 0, "President Putin"),
        ("We are ready for this.", 0, "President Putin"),
        ("Thank you.", 1, "President Putin"),
        ("I agree with the President", 0, "Secretary General"),
        ("That is what we discussed today", 0, "Secretary General"),
    ],
)
def test_seed_speakers(seed: Script, start: str, occurrence: int, speaker: str | None) -> None:
    assert sentence(seed, start, occurrence).speaker == speaker


def test_seed_sentences_as_written(seed: Script) -> None:
    assert sentence(seed, "Second part:").text == (
        "Second part: Could you comment on the opposition regarding the enlargement of NATO."
    )
    ready, thanks = sentence(seed, "We are ready for this."), sentence(seed, "Thank you.", 1)
    assert (ready.text, thanks.text) == ("We are ready for this.", "Thank you.")
    assert thanks.index == ready.index + 1 and thanks.paragraph == ready.paragraph
    assert sentence(seed, "I have, as I recall").text.count('"Le Monde"') == 1


def test_seed_ids_are_stable(seed: Script, seed_text: str) -> None:
    again = read_transcript(seed_text)
    assert [s.id for s in again.sentences] == [s.id for s in seed.sentences]
    assert sentence(seed, "Thank you.", 0).id != sentence(seed, "Thank you.", 1).id


def test_seed_spoken_forms(seed: Script) -> None:
    assert seed.spoken[sentence(seed, "Ladies").index] == "Ladies and Gentlemen,"
    spoken = seed.spoken[sentence(seed, "Secretary General did not").index]
    assert '"' not in spoken and "working body" in spoken


# --- other conventions -----------------------------------------------------------------


def read(text: str) -> Script:
    """Read and check the invariants every test relies on."""
    script = read_transcript(text)
    check_structure(script)
    assert tokens(t for _, t in document(script)) == text.split()
    return script


def said(script: Script) -> list[tuple[str | None, str]]:
    return [(s.speaker, s.text) for s in script.sentences]


def test_inline_labels() -> None:
    script = read("HOST: Hello there. Welcome.\nGUEST: Thanks for having me.")
    assert said(script) == [
        ("HOST", "Hello there."), ("HOST", "Welcome."), ("GUEST", "Thanks for having me."),
    ]
    assert [(b.kind, b.text, b.after) for b in script.set_aside] == [
        ("label", "HOST:", -1), ("label", "GUEST:", 1),
    ]
    assert [s.paragraph for s in script.sentences] == [0, 0, 1]


def test_question_and_answer_labels() -> None:
    script = read("Q: What do you think?\nA: I think so. Yes.\n\nQ: Why?\nA: Because.")
    assert said(script) == [
        ("Q", "What do you think?"), ("A", "I think so."), ("A", "Yes."),
        ("Q", "Why?"), ("A", "Because."),
    ]
    assert blocks_of(script, "label") == ["Q:", "A:", "Q:", "A:"]


@pytest.mark.parametrize(
    ("text", "speaker", "label"),
    [
        ("Speaker 2 (00:04:12): Hello there.", "Speaker 2", "Speaker 2 (00:04:12):"),
        ("JOHN SMITH: Hello there.", "JOHN SMITH", "JOHN SMITH:"),
        ("Dr. Jane Doe: Hello there.", "Dr. Jane Doe", "Dr. Jane Doe:"),
        ("JOHN (laughing): Hello there.", "JOHN", "JOHN (laughing):"),
        ("President Putin (interpreter): Hello there.", "President Putin (interpreter)",
         "President Putin (interpreter):"),
        ("MODERATOR\nHello there.", "MODERATOR", "MODERATOR"),
        ("Secretary General\n\nHello there.", "Secretary General", "Secretary General"),
        ("Dr. Jane Doe\nHello there.", "Dr. Jane Doe", "Dr. Jane Doe"),
        ("Q\nHello there.", "Q", "Q"),
        ("Speaker 1  0:03\nHello there.", "Speaker 1", "Speaker 1  0:03"),
        ("MODERATOR:\nHello there.", "MODERATOR", "MODERATOR:"),
        ("Speaker 2 (00:04:12):\nHello there.", "Speaker 2", "Speaker 2 (00:04:12):"),
        ("[00:04:12] Speaker 2: Hello there.", "Speaker 2", "Speaker 2:"),
    ],
)
def test_label_forms(text: str, speaker: str, label: str) -> None:
    script = read(text)
    assert said(script) == [(speaker, "Hello there.")]
    assert blocks_of(script, "label") == [label]


@pytest.mark.parametrize(
    "text",
    [
        "Good morning.\n\nThank you.\n\nWe begin.",
        "Good morning.\n\nThank you\n\nWe begin.",
        "Ladies and Gentlemen,\nwe begin.",
        "Good morning.\n\nSecond part: could you comment?",
        "Good morning.\n\nNote: we begin now.",
        "He lives in the\nUnited States\nof America.",
        "We begin.\n\nIntroduction\n\nToday we talk.",
    ],
)
def test_speech_is_not_taken_for_a_label(text: str) -> None:
    script = read(text)
    assert blocks_of(script, "label") == []
    assert {s.speaker for s in script.sentences} == {None}


def test_a_label_must_be_followed_by_speech() -> None:
    script = read("We begin.\n\nMODERATOR")
    assert said(script) == [(None, "We begin."), (None, "MODERATOR")]
    assert blocks_of(script, "label") == []


def test_timestamps() -> None:
    text = (
        "[00:01:10] Hello there.\n00:01:20 We start.\n(00:01:30) Then more.\n00:01:40\n"
        "Last one. At 10:30 we left. [00:02:00] After that."
    )
    script = read(text)
    assert blocks_of(script, "timestamp") == [
        "[00:01:10]", "00:01:20", "(00:01:30)", "00:01:40", "[00:02:00]",
    ]
    assert "At 10:30 we left." in [s.text for s in script.sentences]
    assert [(t, text) for t, text in document(script)][-3:] == [
        ("sentence", "At 10:30 we left."), ("timestamp", "[00:02:00]"), ("sentence", "After that."),
    ]


def test_stage_directions() -> None:
    text = (
        "[MUSIC]\n\nWelcome back. (applause) Thank you. [inaudible] and [laughter]\n"
        "(LAUGHTER) so (and I mean it) yes."
    )
    script = read(text)
    assert blocks_of(script, "direction") == [
        "[MUSIC]", "(applause)", "[inaudible]", "[laughter]", "(LAUGHTER)",
    ]
    assert [s.text for s in script.sentences] == [
        "Welcome back.", "Thank you.", "and", "so (and I mean it) yes.",
    ]


def test_header_and_footer_furniture() -> None:
    text = (
        "Transcript\nPosted: March 3, 2020\nhttps://example.com/episode-12\n\n"
        "Welcome to the show. Today we talk.\n\nBack to top\n"
        "© 2020 Example Media. All rights reserved."
    )
    script = read(text)
    assert blocks_of(script, "header") == [
        "Transcript", "Posted: March 3, 2020", "https://example.com/episode-12",
    ]
    assert blocks_of(script, "footer") == [
        "Back to top", "© 2020 Example Media. All rights reserved.",
    ]
    assert [s.text for s in script.sentences] == ["Welcome to the show.", "Today we talk."]
    assert script.uncertain == frozenset()


def test_title_and_byline_are_uncertain() -> None:
    script = read("The Future of NATO\nby Lord Robertson\n\nLadies and gentlemen, welcome.")
    assert said(script) == [
        (None, "The Future of NATO"), (None, "by Lord Robertson"),
        (None, "Ladies and gentlemen, welcome."),
    ]
    assert script.uncertain == frozenset({0, 1})


def test_unpunctuated_transcript_is_all_spoken() -> None:
    script = read("so today we talk\nabout bridges\n\nand how they stand")
    assert script.uncertain == frozenset()
    assert len(script.sentences) >= 2


def test_language_picks_rules_and_spoken_form() -> None:
    script = read_transcript("Das ist z. B. gut. Es kostet 5%.", language="deu")
    assert [s.text for s in script.sentences] == ["Das ist z. B. gut.", "Es kostet 5%."]
    assert script.spoken[1] == "Es kostet 5 Prozent."


def test_byte_order_mark_is_not_a_word() -> None:
    script = read_transcript("\ufeffHello there.")
    assert [s.text for s in script.sentences] == ["Hello there."]


# --- WebVTT and SRT --------------------------------------------------------------------

VTT = """WEBVTT
Kind: captions

NOTE edited by hand

1
00:00:01.000 --> 00:00:04.000
<v Roger Bingham>We are in New York City

00:00:04.000 --> 00:00:06.000 align:start
<v Roger Bingham>and this is fine. Right?

00:00:06.500 --> 00:00:08.000
<v Neil>I <i>agree</i> &amp; more.

00:00:20.000 --> 00:00:22.000
[MUSIC] After a gap.
"""

SRT = """1
00:00:01,000 --> 00:00:04,000
Hello there, this is

2
00:00:04,000 --> 00:00:06,000
a test. <i>Second</i> one.

3
00:00:06,000 --> 00:00:08,000
JOHN: Hi there.
[applause]
"""


def test_vtt() -> None:
    script = read_transcript(VTT)
    check_structure(script)
    assert said(script) == [
        ("Roger Bingham", "We are in New York City and this is fine."),
        ("Roger Bingham", "Right?"),
        ("Neil", "I agree & more."),
        ("Neil", "After a gap."),
    ]
    assert [s.paragraph for s in script.sentences] == [0, 0, 1, 2]
    assert document(script) == [
        ("cue", "WEBVTT\nKind: captions"),
        ("cue", "NOTE edited by hand"),
        ("cue", "1\n00:00:01.000 --> 00:00:04.000"),
        ("label", "<v Roger Bingham>"),
        # the second cue starts inside the first sentence: its metadata goes before it
        ("cue", "00:00:04.000 --> 00:00:06.000 align:start"),
        ("label", "<v Roger Bingham>"),
        ("sentence", "We are in New York City and this is fine."),
        ("sentence", "Right?"),
        ("cue", "00:00:06.500 --> 00:00:08.000"),
        ("label", "<v Neil>"),
        ("sentence", "I agree & more."),
        ("cue", "00:00:20.000 --> 00:00:22.000"),
        ("direction", "[MUSIC]"),
        ("sentence", "After a gap."),
    ]


def test_srt() -> None:
    script = read_transcript(SRT)
    check_structure(script)
    assert said(script) == [
        (None, "Hello there, this is a test."), (None, "Second one."), ("JOHN", "Hi there."),
    ]
    assert blocks_of(script, "cue") == [
        "1\n00:00:01,000 --> 00:00:04,000", "2\n00:00:04,000 --> 00:00:06,000",
        "3\n00:00:06,000 --> 00:00:08,000",
    ]
    assert blocks_of(script, "label") == ["JOHN:"]
    assert blocks_of(script, "direction") == ["[applause]"]


def test_vtt_cues_on_sentence_boundaries_keep_strict_order() -> None:
    text = "WEBVTT\n\n00:01.000 --> 00:02.000\nOne.\n\n00:02.000 --> 00:03.000\nTwo.\n"
    script = read(text)
    assert [kind for kind, _ in document(script)] == ["cue", "cue", "sentence", "cue", "sentence"]


def test_vtt_voice_names_with_character_references_are_decoded() -> None:
    text = ("WEBVTT\n\n00:01.000 --> 00:02.000\n<v Dana &quot;DJ&quot; Whitfield>Hello.\n\n"
            "00:02.000 --> 00:03.000\n<v Tom &amp; Jerry>Hi &amp; bye.\n\n"
            "00:03.000 --> 00:04.000\n<v Ren&#233;e&nbsp;Roe>Bonjour.\n")
    script = read_transcript(text)
    assert said(script) == [('Dana "DJ" Whitfield', "Hello."), ("Tom & Jerry", "Hi & bye."),
                            ("Renée Roe", "Bonjour.")]
    # the label blocks keep the tag as written: nothing of the file is lost
    assert blocks_of(script, "label") == ["<v Dana &quot;DJ&quot; Whitfield>",
                                          "<v Tom &amp; Jerry>", "<v Ren&#233;e&nbsp;Roe>"]


def test_srt_without_numbers_is_still_cues() -> None:
    script = read_transcript("00:00:01,000 --> 00:00:02,000\nHello.\n")
    assert blocks_of(script, "cue") == ["00:00:01,000 --> 00:00:02,000"]


# --- errors ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        ("", ["empty", "upload"]),
        ("  \n\t\n  ", ["empty", "upload"]),
        ("\ufeff\n", ["empty", "upload"]),
        ("Hello\x00\x01\x02 world", ["binary", ".docx", "paste the text"]),
        (b"\xff\xfe\x00H\x00i", ["UTF-8", "Save it"]),
        ("[MUSIC]\n\n00:01:10\n(applause)\n", ["no spoken text", "Add the words"]),
        ("WEBVTT\n\nNOTE nothing else\n", ["no spoken text", "Add the words"]),
    ],
)
def test_errors_name_the_problem_and_the_fix(raw: str, words: list[str]) -> None:
    with pytest.raises(TranscriptError) as err:
        read_transcript(raw)
    for word in words:
        assert word in str(err.value)


# --- properties ------------------------------------------------------------------------

WORDS = [
    "the", "alliance", "Russia", "NATO", "we", "will", "work", "together", "President",
    "today", "question", "11th", "18", "e.g.", "Mr.", "U.S.", "it's", "5%", "$5", "well",
    "Yes", "Thank", "you", "Secretary", "General", "\"working", "body\"", "10:30",
]
ENDINGS = [".", "?", "!", ",", "", ":", "..."]
LABEL_LINES = [
    "President Putin (interpreter)", "MODERATOR", "Dr. Jane Doe", "Q", "Secretary General",
    "Speaker 2 (00:04:12):", "JOHN SMITH:", "Speaker 1  0:03",
]
INLINE_LABELS = ["HOST: ", "Q: ", "A: ", "JOHN SMITH: ", "Speaker 2 (00:04:12): ", "Dr. Jane Doe: "]
MARKS = [
    "[00:01:10]", "00:01:10", "(00:01:10)", "[MUSIC]", "(applause)", "[inaudible]",
    "[laughter].", "(LAUGHTER)", "(and I mean it)", "***",
]
MARK_LINES = [*MARKS, "0:05", "12:30"]
HEADER_LINES = [
    "Updated: 04-Oct-2001 NATO Speeches", "3 October 2001", "Audio file",
    "Palais d'Egmont, Brussels", "by NATO Secretary General, Lord Robertson,",
    "and the Russian President Putin", "Transcript", "Ladies and Gentlemen,",
]
FOOTER_LINES = ["Go to Homepage Go to Index", "Back to top", "Copyright 2001 NATO", ""]

sentences_ = st.builds(
    lambda words, end: " ".join(words) + end,
    st.lists(st.sampled_from(WORDS), min_size=1, max_size=10),
    st.sampled_from(ENDINGS),
)
speech_lines = st.lists(sentences_ | st.sampled_from(MARKS), min_size=1, max_size=5).map(" ".join)
body_lines = st.one_of(
    speech_lines,
    speech_lines,
    st.sampled_from(LABEL_LINES),
    st.builds(str.__add__, st.sampled_from(INLINE_LABELS), speech_lines),
    st.sampled_from(MARK_LINES),
    st.just(""),
)
plain_transcripts = st.builds(
    lambda head, body, foot: "\n".join(head + body + foot),
    st.lists(st.sampled_from(HEADER_LINES) | st.just(""), max_size=5),
    st.lists(body_lines, min_size=1, max_size=25),
    st.lists(st.sampled_from(FOOTER_LINES), max_size=3),
)


@pytest.mark.slow
@settings(max_examples=100, deadline=None)
@given(plain_transcripts)
# a mark at the start of a line in a timed copy floated before the sentence it splits
@example(raw="the.\n[00:01:10]\n[00:01:10]\nthe!\n[MUSIC] the.\n[00:01:10]")
def test_every_word_once_in_order_plain(raw: str) -> None:
    try:
        script = read_transcript(raw)
    except TranscriptError as err:
        assert "no spoken text" in str(err) or ("empty" in str(err) and not raw.strip())
        return
    check_structure(script)
    assert_in_order(script, raw)


def assert_in_order(script: Script, raw: str) -> None:
    """Every token once, in order; in a timed copy (a time on a line of its own every few
    words) the times may move to the start of their sentence, keeping their own order."""
    doc = document(script)
    floated = [b.text for b in script.set_aside if b.kind == "timestamp"]
    if tokens(text for _, text in doc) == raw.split():
        return
    rest = raw.split()
    for stamp in tokens(floated):
        rest.remove(stamp)
    assert tokens(text for kind, text in doc if kind != "timestamp") == rest
    assert tokens(text for kind, text in doc if kind == "timestamp") == tokens(floated)


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00")))
def test_every_character_once_in_order_any_text(raw: str) -> None:
    try:
        script = read_transcript(raw)
    except TranscriptError:
        return
    check_structure(script)
    if "-->" in raw or "WEBVTT" in raw:
        return  # cue markup is dropped and cue metadata may move: covered below
    assert chars(text for _, text in document(script)) == chars([raw.removeprefix("\ufeff")])


def _stamp(ms: int, vtt: bool) -> str:
    h, m, s, frac = ms // 3_600_000, ms // 60_000 % 60, ms // 1000 % 60, ms % 1000
    return f"{h:02}:{m:02}:{s:02}{'.' if vtt else ','}{frac:03}"


# In cue text no sentence ends in ":", so the only labels are the ones drawn.
cue_speech = st.lists(
    st.builds(
        lambda words, end: " ".join(words) + end,
        st.lists(st.sampled_from(WORDS), min_size=1, max_size=10),
        st.sampled_from([e for e in ENDINGS if e != ":"]),
    )
    | st.sampled_from(MARKS),
    min_size=1,
    max_size=5,
).map(" ".join)


@st.composite
def cue_files(draw: st.DrawFn) -> tuple[str, list[str], list[str], list[str]]:
    """A WebVTT or SRT file and, in order, its metadata, its labels and the rest."""
    vtt = draw(st.booleans())
    metadata: list[str] = []
    labels: list[str] = []
    spoken: list[str] = []
    blocks: list[str] = []
    if vtt:
        blocks.append(draw(st.sampled_from(["WEBVTT", "WEBVTT - Press", "WEBVTT\nKind: captions"])))
        if draw(st.booleans()):
            blocks.append("NOTE edited\nby hand")
        metadata.extend(blocks)
    clock = 0
    for number in range(1, draw(st.integers(1, 8)) + 1):
        begin = clock + draw(st.sampled_from([0, 400, 3000]))
        clock = begin + draw(st.integers(500, 4000))
        head = f"{_stamp(begin, vtt)} --> {_stamp(clock, vtt)}"
        if not vtt or draw(st.booleans()):
            head = f"{number}\n{head}"
        voice = draw(st.sampled_from(["", "<v Roger Bingham>", "<v Neil>"])) if vtt else ""
        label = draw(st.sampled_from(["", "", "JOHN:"]))
        text = "\n".join(draw(st.lists(cue_speech, min_size=1, max_size=2)))
        blocks.append(f"{head}\n{voice}{label} {text}")
        metadata.append(head)
        labels.extend(tag for tag in (voice, label) if tag)
        spoken.append(text)
    return "\n\n".join(blocks) + "\n", metadata, labels, spoken


@pytest.mark.slow
@settings(max_examples=100, deadline=None)
@given(cue_files())
def test_every_word_once_cues(cue_file: tuple[str, list[str], list[str], list[str]]) -> None:
    raw, metadata, labels, spoken = cue_file
    try:
        script = read_transcript(raw)
    except TranscriptError as err:
        assert "no spoken text" in str(err)
        return
    check_structure(script)
    doc = document(script)
    # Cue metadata and labels keep their order among themselves, and the rest keeps its
    # own; metadata and a repeated label may move to the start of their sentence.
    assert chars(text for kind, text in doc if kind == "cue") == chars(metadata)
    assert chars(text for kind, text in doc if kind == "label") == chars(labels)
    assert chars(text for kind, text in doc if kind not in ("cue", "label")) == chars(spoken)


def test_verse_lines_are_read_line_by_line() -> None:
    poem = (
        "From fairest creatures we desire increase,\n"
        "That thereby beauty's rose might never die,\n"
        "But as the riper should by time decease,\n"
        "His tender heir might bear his memory:\n"
    )
    script = read(poem)
    assert [s.text for s in script.sentences] == [line for line in poem.splitlines()]
    assert [s.paragraph for s in script.sentences] == [0, 1, 2, 3]


def test_hard_wrapped_prose_is_not_verse() -> None:
    prose = (
        "We met at the bridge on a cold morning and talked\n"
        "about the cables, the towers and the deck that\n"
        "hangs between them, and then about the river\n"
        "itself, which had risen overnight.\n"
    )
    assert len(read(prose).sentences) == 1


# --- a sentence limit (issue 21 item 9) ------------------------------------------------


def test_reading_stops_at_the_first_sentence_over_the_limit() -> None:
    """A transcript over a server's sentence limit costs the reading of that many
    sentences, not of all of it: 4.9 MB of one-word lines took 47 s to be refused."""
    import time

    from alignment.errors import TooManySentences

    text = "Yes. " * 30_000  # one paragraph on one line: splitting it is the whole cost
    started = time.process_time()
    with pytest.raises(TooManySentences) as refused:
        read_transcript(text, max_sentences=100)
    stopped = time.process_time() - started
    assert refused.value.limit == 100
    assert str(refused.value) == "the transcript has more than 100 sentences"
    started = time.process_time()
    assert len(read_transcript(text, max_sentences=30_000).sentences) == 30_000  # at it
    whole = time.process_time() - started
    assert stopped < whole / 10, (stopped, whole)


@pytest.mark.parametrize(("text", "limit", "over"), [
    ("Yes.\n\nNo.\n\nMaybe.", 3, False),
    ("Yes.\n\nNo.\n\nMaybe.", 2, True),  # counted over paragraphs
    ("HOST: Yes. No.\n\nGUEST: Maybe. [laughs] Sure.", 4, False),  # labels, marks: none
    ("HOST: Yes. No.\n\nGUEST: Maybe. [laughs] Sure.", 3, True),
    # a word-less line is set aside, not a sentence
    ("We met at nine. Then we talked.\n\n...\n\nThen we left the harbour.", 3, False),
])
def test_the_limit_counts_sentences_as_read(text: str, limit: int, over: bool) -> None:
    from alignment.errors import TooManySentences

    if over:
        with pytest.raises(TooManySentences):
            read_transcript(text, max_sentences=limit)
    else:
        assert read_transcript(text, max_sentences=limit) == read_transcript(text)
