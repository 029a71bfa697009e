"""Transcripts as people have them: each file type and convention, read from fixtures made
from a cut of the seed-clean reading (tests/data/seed-forms, by tests/data/make_seed_forms.py),
and the "nothing lost" property for each reader on random documents of its kind."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from alignment import documents
from alignment.documents.html import audio_links, page_lines, page_title
from alignment.errors import TranscriptError
from alignment.sentences import split_sentences
from alignment.transcript import read_transcript
from tests.alignment.test_transcript import assert_in_order, chars, check_structure, document

FORMS = Path(__file__).parent.parent / "data" / "seed-forms"
TRUTH = json.loads((FORMS / "truth-sentences.json").read_text())
NAMES = json.loads((FORMS / "names.json").read_text())
FORM_FILES = sorted(p.name for p in FORMS.iterdir() if p.name not in
                    ("truth-sentences.json", "names.json"))


def words(text: str) -> str:
    return " ".join(re.findall(r"[\w']+", text.lower()))


def read_form(name: str):
    return read_transcript(documents.load((FORMS / name).read_bytes(), name))


# --- every form of the seed reads as the same sentences, with the form's speakers -------


@pytest.mark.parametrize("name", FORM_FILES)
def test_each_form_gives_the_seed_sentences(name: str) -> None:
    script = read_form(name)
    check_structure(script)
    said = [words(s.text) for i, s in enumerate(script.sentences) if i not in script.uncertain]
    assert said == [words(t["text"]) for t in TRUTH]


@pytest.mark.parametrize("name", sorted(NAMES))
def test_each_form_names_its_speakers(name: str) -> None:
    script = read_form(name)
    by_text = {words(s.text): s.speaker for s in script.sentences}
    for truth in TRUTH:
        want = NAMES[name][truth["speaker"]]
        if want is None:
            continue  # the form does not name this speaker: the recording decides (below)
        got = by_text[words(truth["text"])]
        assert got in want if isinstance(want, list) else got == want, truth["text"]


def test_seed_page_sets_aside_its_menu_and_footer() -> None:
    script = read_form("page.html")
    kinds = {(b.kind, b.text) for b in script.set_aside}
    assert ("navigation", "Home | Speeches | Search") in kinds
    assert ("footer", "Go to Homepage Go to Index") in kinds
    assert not any("tracker" in b.text for b in script.set_aside)  # scripts are not text
    first = [s for s in script.sentences if s.text == "Ladies and Gentlemen,"][0]
    assert first.speaker == "Secretary General"  # named by the byline and a later label


def test_pdf_page_furniture_is_set_aside_and_sentences_run_across_pages() -> None:
    script = read_form("hearing.pdf")
    pages = [b.text for b in script.set_aside if b.kind == "page"]
    assert pages[0].startswith("NATO-RUSSIA PRESS CONFERENCE - OCTOBER 3, 2001 1 2 3")
    assert any(text.startswith("Page ") for text in pages)
    assert not any(re.search(r"\bPage \d", s.text) for s in script.sentences)


def test_youtube_copy_times_float_to_their_sentences() -> None:
    script = read_form("youtube.txt")
    assert all(b.kind == "timestamp" for b in script.set_aside)
    assert len({s.paragraph for s in script.sentences}) == 1


# --- conventions inside plain text ------------------------------------------------------


def said(raw: str) -> list[tuple[str | None, str]]:
    script = read_transcript(raw)
    return [(s.speaker, s.text) for i, s in enumerate(script.sentences)
            if i not in script.uncertain]


def test_markdown_bold_labels_and_titles() -> None:
    raw = ("City Matters: the Central Library reopens\n\n"
           "**Dana Whitfield:** Good evening. **Dr. Amir Patel** joins us.\n\n"
           "**Dr. Amir Patel**: Thank you, Dana.\n\n*Dana Whitfield:* Welcome.\n")
    script = read_transcript(raw)
    assert [s.text for s in script.sentences if s.index in script.uncertain] == [
        "City Matters: the Central Library reopens"]
    assert said(raw) == [
        ("Dana Whitfield", "Good evening."), ("Dana Whitfield", "**Dr. Amir Patel** joins us."),
        ("Dr. Amir Patel", "Thank you, Dana."), ("Dana Whitfield", "Welcome."),
    ]
    assert "*" not in " ".join(script.spoken)


@pytest.mark.parametrize("mark", ["[inaudible]", "[crosstalk]", "[laughs]", "(applause)",
                                  "[00:12:03]"])
def test_inline_marks_do_not_end_a_sentence(mark: str) -> None:
    script = read_transcript(f"HOST: That alone cost us eleven {mark} months. Then we left.")
    assert [s.text for s in script.sentences] == [
        f"That alone cost us eleven {mark} months.", "Then we left."]
    assert script.spoken[0] == "That alone cost us eleven months."


def test_marks_between_sentences_are_set_aside() -> None:
    script = read_transcript("HOST: Thank you. [laughter] So, to the bridge.")
    assert [(b.kind, b.text) for b in script.set_aside] == [
        ("label", "HOST:"), ("direction", "[laughter]")]


def test_rule_and_footer_are_set_aside() -> None:
    raw = ("HOST: Welcome to the show. We talk about bridges.\n\n---\n\n"
           "Transcripts may contain errors. Check the audio before quoting.\n")
    script = read_transcript(raw)
    assert [(b.kind, b.text) for b in script.set_aside][1:] == [
        ("rule", "---"),
        ("footer", "Transcripts may contain errors. Check the audio before quoting.")]
    assert len(script.sentences) == 2


def test_rush_transcript() -> None:
    raw = ("THIS IS A RUSH TRANSCRIPT. THIS COPY MAY NOT BE IN ITS FINAL FORM AND MAY BE "
           "UPDATED.\n\nANDERSON COOPER, CNN HOST: Good evening.\n\n(BEGIN VIDEO CLIP)\n\n"
           "JOE BIDEN, PRESIDENT OF THE UNITED STATES: We will.\n\n(END VIDEO CLIP)\n\n"
           "COOPER: Back to you.\n")
    script = read_transcript(raw)
    assert said(raw) == [("ANDERSON COOPER", "Good evening."), ("JOE BIDEN", "We will."),
                         ("ANDERSON COOPER", "Back to you.")]
    assert [b.kind for b in script.set_aside] == [
        "header", "label", "direction", "label", "direction", "label"]


def test_hearing_style_labels() -> None:
    raw = ("THE COURT: Good morning.\n\nMR. SMITH: Good morning, Your Honor.\n\n"
           "Q. Did you see the car?\nA. Yes. It was red.\n\n"
           "CHAIRMAN JONES. The committee will come to order.\n")
    assert said(raw) == [
        ("THE COURT", "Good morning."), ("MR. SMITH", "Good morning, Your Honor."),
        ("Q", "Did you see the car?"), ("A", "Yes."), ("A", "It was red."),
        ("CHAIRMAN JONES", "The committee will come to order."),
    ]


def test_a_sentence_opening_with_an_acronym_is_not_a_label() -> None:
    raw = "We met NATO today.\n\nNATO. That is the answer.\n"
    assert said(raw) == [(None, "We met NATO today."), (None, "NATO."),
                         (None, "That is the answer.")]


def test_otter_export() -> None:
    raw = ("Library board\nWed, 10/3 · 9mins\n\nDana Whitfield  0:01\nGood evening.\n\n"
           "Speaker 2  0:45\nThank you.\n\nTranscribed by https://otter.ai\n")
    script = read_transcript(raw)
    assert said(raw) == [("Dana Whitfield", "Good evening."), ("Speaker 2", "Thank you.")]
    assert script.set_aside[-1].text == "Transcribed by https://otter.ai"


def test_byline_names_the_opening_turn_only_when_a_label_names_that_person() -> None:
    named = "by Lord Robertson\n\nGood morning.\n\nQ: Why?\n\nROBERTSON: Because.\n"
    assert said(named)[0] == ("ROBERTSON", "Good morning.")
    reporter = "by Jane Reporter\n\nGood morning.\n\nQ: Why?\n"
    assert said(reporter)[0] == (None, "Good morning.")


@pytest.mark.parametrize(("text", "expected"), [
    ("Dr. Jane Doe met Mr. Smith at St. Paul's. Then they left.",
     ["Dr. Jane Doe met Mr. Smith at St. Paul's.", "Then they left."]),
    ("Item No. 5 was approved. The answer would be No. I think so.",
     ["Item No. 5 was approved.", "The answer would be No.", "I think so."]),
    ("The U.S. Senate voted. We met in the U.S. Then we flew home.",
     ["The U.S. Senate voted.", "We met in the U.S.", "Then we flew home."]),
    ("We start at 9 a.m. and end at 5 p.m. Eastern. Bring coffee.",
     ["We start at 9 a.m. and end at 5 p.m. Eastern.", "Bring coffee."]),
    ("Some tools, e.g. hammers, i.e. heavy ones, work. It was approx. 5 km.",
     ["Some tools, e.g. hammers, i.e. heavy ones, work.", "It was approx. 5 km."]),
    ("Growth was 3.5 percent. Well... I don't know.",
     ["Growth was 3.5 percent.", "Well... I don't know."]),
    ('He said "Stop. Now." and left. She asked, "Are you sure?" and nodded.',
     ['He said "Stop. Now." and left.', 'She asked, "Are you sure?" and nodded.']),
])
def test_sentence_rules(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


# --- files: kinds, and clear errors ------------------------------------------------------


def test_a_pdf_without_text_says_so_in_one_line() -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.rect(10, 10, 50, 50)
    with pytest.raises(TranscriptError, match="without a text layer") as err:
        documents.load(bytes(pdf.output()), "scan.pdf")
    assert "\n" not in str(err.value) and "OCR" in str(err.value)


@pytest.mark.parametrize(("data", "name", "words"), [
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 20, "old.doc", ["old Word", ".docx"]),
    (b"PK\x03\x04broken", "broken.docx", ["not a readable Word document", "save it as .docx"]),
    (b"%PDF-1.4 broken", "broken.pdf", ["not a readable PDF"]),
    (b"{\\rtf1 hello}", "notes.rtf", ["Rich Text", ".docx"]),
    (b"not really", "x.docx", ["not a readable Word document", ".docx"]),
    (b"\x89PNG\r\n\x1a\n\x00\x00", "photo.txt", ["binary file"]),
])
def test_unreadable_files_name_the_type_and_the_fix(data: bytes, name: str,
                                                    words: list[str]) -> None:
    with pytest.raises(TranscriptError) as err:
        documents.load(data, name)
    for word in words:
        assert word in str(err.value)


def test_a_page_in_latin1_is_read_by_its_declared_charset() -> None:
    page = "<html><head><meta charset='iso-8859-1'></head><body><p>Café.</p></body></html>"
    assert "Café." in documents.load(page.encode("latin-1"), "page.html")


def test_audio_links_of_the_seed_page() -> None:
    html = (FORMS / "page.html").read_text()
    assert page_title(html) == "NATO Speech: Press Conference, 3 October 2001"
    assert audio_links(html, "http://example.org/docu/speech/2001/s011003a.htm") == [
        documents.html.AudioLink("http://example.org/docu/speech/2001/audio.wav",
                                 "Audio file")]


def test_audio_links_of_other_pages() -> None:
    html = ("<html><head><meta property='og:audio' content='/a.mp3'></head><body>"
            "<audio controls><source src='b.ogg' type='audio/ogg'></audio>"
            "<a href='/files/ep12.mp3'>Download MP3</a><a href='/listen'>Listen</a>"
            "<a href='/about'>About</a></body></html>")
    assert [link.url for link in audio_links(html, "https://x.org/ep/12")] == [
        "https://x.org/a.mp3", "https://x.org/ep/b.ogg", "https://x.org/files/ep12.mp3",
        "https://x.org/listen"]


# --- nothing lost, per reader ------------------------------------------------------------

SENTENCE = st.builds(
    lambda ws, end: " ".join(ws) + end,
    st.lists(st.sampled_from(["we", "met", "NATO", "Dr.", "U.S.", "today", "Russia", "5",
                              "Thank", "you", "it's", "e.g.", "[inaudible]", "(laughs)"]),
             min_size=1, max_size=8),
    st.sampled_from([".", "?", "", ","]),
)
PARAGRAPH = st.lists(SENTENCE, min_size=1, max_size=4).map(" ".join)
LABEL = st.sampled_from(["", "", "Dana Whitfield: ", "**Dana Whitfield:** ", "Q: ", "A: ",
                         "MR. SMITH: ", "*Amir Patel*: "])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(LABEL, PARAGRAPH), min_size=1, max_size=8),
       st.sampled_from(["", "# Title: a show\n\n", "City Matters: the library\n\n"]),
       st.sampled_from(["", "\n\n---\n\nTranscripts may contain errors.", "\n\n***"]))
def test_nothing_lost_markdown(paragraphs, head: str, foot: str) -> None:
    raw = head + "\n\n".join(label + text for label, text in paragraphs) + foot
    try:
        script = read_transcript(raw)
    except TranscriptError:
        return
    check_structure(script)
    assert_in_order(script, raw)


def _visible_text(html: str) -> str:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "lxml")
    for tag in soup.find_all(["script", "style", "head", "noscript", "template"]):
        tag.decompose()
    return soup.get_text(" ")


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["p", "h2", "li", "div", "nav", "footer", "aside",
                                           "td", "pre"]), LABEL, PARAGRAPH),
                min_size=1, max_size=8),
       st.booleans())
def test_nothing_lost_html(blocks, article: bool) -> None:
    inner = "".join(f"<{tag}>{label}{text}</{tag}>" for tag, label, text in blocks)
    if article:
        inner = f"<nav>Home</nav><article>{inner}</article><footer>© 2020</footer>"
    html = ("<!DOCTYPE html><html><head><script>var x = 1;</script></head>"
            f"<body>{inner}</body></html>")
    try:
        script = read_transcript(html)
    except TranscriptError:
        return
    check_structure(script)
    assert chars(text for _, text in document(script)) == chars([_visible_text(html)])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from([None, "Dana", "Amir"]), PARAGRAPH,
                          st.floats(0, 5)), min_size=1, max_size=12))
def test_nothing_lost_podcast_json(segments) -> None:
    t, items = 0.0, []
    for speaker, body, gap in segments:
        items.append({"speaker": speaker, "startTime": t + gap, "endTime": t + gap + 2,
                      "body": body})
        t += gap + 2
    script = read_transcript(json.dumps({"version": "1.0.0", "segments": items}))
    check_structure(script)
    spoken = [text for kind, text in document(script) if kind != "label"]
    assert chars(spoken) == chars(body for _, body, _ in segments)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.lists(st.tuples(LABEL, PARAGRAPH).map("".join), min_size=6, max_size=25),
                min_size=1, max_size=3))
# numbered lines that repeat at the edges of every page were taken for running furniture
@pytest.mark.slow
@example(pages=[["we."] * 6, ["we."] * 6])
@example(pages=[["we."] * 5 + ["we we."], ["we."] * 5 + ["we we."]])
def test_nothing_lost_paged(pages: list[list[str]]) -> None:
    """A printed transcript: numbered lines, a running header, page numbers."""
    raw = "\f".join(
        "\n".join(["HEARING BEFORE THE COMMITTEE"]
                  + [f"{n} {line}" for n, line in enumerate(lines, 1)] + [f"Page {k + 1}"])
        for k, lines in enumerate(pages)) + "\f"  # as alignment.documents.pdf gives it
    try:
        script = read_transcript(raw)
    except TranscriptError:
        return
    check_structure(script)
    doc = document(script)
    assert sorted(chars(text for _, text in doc)) == sorted(chars([raw]))
    if len(pages) == 1:
        return  # one page cannot show which of its lines run on every page
    # the furniture moves into its page's blocks; the text keeps its order
    assert chars(text for kind, text in doc if kind != "page") == chars(
        line for lines in pages for line in lines)
    assert sorted(chars(text for _, text in doc)) == sorted(chars([raw]))


@pytest.mark.slow
@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(LABEL, PARAGRAPH), min_size=1, max_size=8))
def test_nothing_lost_docx(paragraphs) -> None:
    import docx

    document_ = docx.Document()
    for label, text in paragraphs:
        document_.add_paragraph(label + text)
    buffer = io.BytesIO()
    document_.save(buffer)
    text = documents.load(buffer.getvalue(), "x.docx")
    try:
        script = read_transcript(text)
    except TranscriptError:
        return
    check_structure(script)
    assert chars(t for _, t in document(script)) == chars(label + t for label, t in paragraphs)


def test_page_lines_keep_breaks_and_boilerplate() -> None:
    html = ("<html><body><nav>Menu</nav><main><h1>Title</h1><p>One<br>two</p><hr>"
            "<p>Three.</p></main><footer>Foot</footer></body></html>")
    assert [piece for piece in page_lines(html) if piece != (None, "")] == [
        ("navigation", "Menu"), ("heading", "Title"), (None, "One"), (None, "two"),
        ("rule", "---"), (None, "Three."), ("footer", "Foot")]
