"""Fuzzing that stays (issue 11): any transcript file, in every format the program takes,
is read or refused with the project's own error (`AlignmentError`), never anything else.

A file goes the way an upload or `import` takes it: `documents.load(data, name)` and then
`read_transcript`. The strategies build files that look like each format and then break
them (timings out of range, cut tags, wrong JSON types, damaged zip and PDF bodies), plus
plain random bytes under every accepted name. The sync-map readers of `alignment.formats`
(documented to raise ValueError with a message) get the same treatment.
"""

from __future__ import annotations

import io
import json

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from alignment import documents, formats
from alignment.errors import AlignmentError
from alignment.transcript import read_transcript

pytestmark = pytest.mark.slow  # hundreds of drawn files

FUZZ = settings(max_examples=60, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

NAMES = ["talk.txt", "talk.md", "page.html", "page.htm", "talk.docx", "talk.pdf", "talk.vtt",
         "talk.srt", "talk.sbv", "talk.json", "talk", "talk.TXT", "notes.rtf", "old.doc",
         "x.odt", ".vtt", "a.b.c.srt"]

# words, marks and the characters the readers treat specially
pieces = st.sampled_from([
    "Hello.", "Mr. Smith", "HOST:", "Q:", "A.", "[MUSIC]", "(laughs)", "<v Dana>", "</v>",
    "&amp;", "&quot;", "&#233;", "&#xZZ;", "-->", "00:00:01.000", "0:00:01.000,0:00:04.000",
    "1", "\n", "\n\n", "\r\n", "\t", " ", "…", "—", "\u200b", "\ufeff", "é", "日本語", "🙂",
    "**Dana:**", "# Title", "---", "NOTE", "STYLE", "WEBVTT", "{", "}", "[", "]", '"', ":",
])
texts = st.one_of(
    st.text(max_size=400),
    st.lists(st.one_of(pieces, st.text(max_size=12)), max_size=60).map("".join),
)

times = st.one_of(
    st.sampled_from(["00:00:01.000", "00:00:01,000", "0:00:01.000", "99:99:99.999",
                     "00:00:61.000", "-00:00:01.000", "1", "", "00:00:01", "00:01.5",
                     "1e9", "00:00:01.0000000", "٠٠:٠٠:٠١.٠٠٠"]),
    st.text(alphabet="0123456789:.,-", max_size=14),
)


@st.composite
def srt_files(draw) -> str:
    cues = []
    for n in range(draw(st.integers(0, 6))):
        number = draw(st.sampled_from([str(n + 1), "", "x", "-1"]))
        timing = f"{draw(times)} --> {draw(times)}"
        cues.append(f"{number}\n{timing}\n{draw(texts)}")
    return draw(st.sampled_from(["\n\n", "\n", "\r\n\r\n"])).join(cues)


@st.composite
def vtt_files(draw) -> str:
    head = draw(st.sampled_from(["WEBVTT", "WEBVTT - title", "\ufeffWEBVTT", "WEBVT", ""]))
    blocks = [head]
    for _ in range(draw(st.integers(0, 6))):
        kind = draw(st.sampled_from(["cue", "cue", "note", "style", "region", "junk"]))
        if kind == "cue":
            ident = draw(st.sampled_from(["", "id1\n", "-->\n"]))
            settings_ = draw(st.sampled_from(["", " align:start", " line:0%", " position:"]))
            voice = draw(st.sampled_from(["", "<v Dana>", "<v.loud Amir &quot;A&quot;>",
                                          "<v>", "<v ", "<c.x>", "<00:00:02.000>", "<b><i>"]))
            blocks.append(f"{ident}{draw(times)} --> {draw(times)}{settings_}\n"
                          f"{voice}{draw(texts)}")
        elif kind == "note":
            blocks.append(f"NOTE {draw(texts)}")
        elif kind == "style":
            blocks.append("STYLE\n::cue { color: red }")
        elif kind == "region":
            blocks.append("REGION\nid:r1 width:40%")
        else:
            blocks.append(draw(texts))
    return "\n\n".join(blocks)


@st.composite
def sbv_files(draw) -> str:
    cues = [f"{draw(times)},{draw(times)}\n{draw(texts)}" for _ in range(draw(st.integers(0, 6)))]
    return "\n\n".join(cues)


json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-10**12, 10**12),
              st.floats(allow_nan=False), texts, st.sampled_from(["NaN", "Infinity"])),
    lambda inner: st.one_of(st.lists(inner, max_size=5),
                            st.dictionaries(st.sampled_from(
                                ["segments", "speaker", "startTime", "endTime", "body",
                                 "sentences", "text", "begin", "end", "set_aside", "kind",
                                 "after", "version", "language", "id", "aligned"]),
                                inner, max_size=6)),
    max_leaves=20,
)


@st.composite
def json_files(draw) -> str:
    shape = draw(st.sampled_from(["podcast", "ours", "any", "broken"]))
    if shape == "podcast":
        segments = draw(st.lists(st.fixed_dictionaries({
            "speaker": st.one_of(st.none(), texts, st.integers()),
            "startTime": st.one_of(st.floats(allow_nan=False), texts, st.none()),
            "endTime": st.one_of(st.floats(allow_nan=False), texts, st.none()),
            "body": st.one_of(texts, st.none(), st.integers())}), max_size=6))
        return json.dumps({"version": "1.0.0", "segments": segments})
    if shape == "ours":
        sentences = draw(st.lists(st.fixed_dictionaries({
            "text": st.one_of(texts, st.none()), "speaker": st.one_of(st.none(), texts),
            "begin": st.one_of(st.floats(allow_nan=False), texts),
            "end": st.one_of(st.floats(allow_nan=False), texts),
            "paragraph": st.one_of(st.integers(), texts)}), max_size=6))
        return json.dumps({"version": 1, "sentences": sentences,
                           "set_aside": draw(st.lists(json_values, max_size=3))})
    if shape == "any":
        return json.dumps(draw(json_values))
    return draw(st.sampled_from(['{"segments": [', '{"sentences": [{"text": "a"', "[1, 2",
                                 '{"a": NaN}', "\ufeff{}"]))


@st.composite
def html_files(draw) -> str:
    tags = ["p", "div", "h1", "h2", "nav", "footer", "script", "style", "li", "td", "pre",
            "br", "b", "span", "audio", "source", "a", "meta", "title", "main", "article"]
    parts = [draw(st.sampled_from(["", "<!doctype html>", "<?xml version='1.0'?>",
                                   '<meta charset="latin-1">', '<meta charset="nope">',
                                   '<meta http-equiv="content-type" content="text/html; '
                                   'charset=utf-16">']))]
    for _ in range(draw(st.integers(0, 12))):
        tag = draw(st.sampled_from(tags))
        attrs = draw(st.sampled_from(["", ' class="speaker"', ' src="a.mp3"',
                                      ' href="javascript:x"', " hidden", ' x="<"']))
        close = draw(st.sampled_from([f"</{tag}>", "", "</p>", "<"]))
        parts.append(f"<{tag}{attrs}>{draw(texts)}{close}")
    return "".join(parts)


def read_file(data: bytes, name: str) -> None:
    """What an upload does with a transcript file; only AlignmentError may come out."""
    try:
        read_transcript(documents.load(data, name))
    except AlignmentError as err:
        message = str(err)
        assert message.strip() and "Traceback" not in message, repr(message)


@FUZZ
@given(st.binary(max_size=600), st.sampled_from(NAMES))
@example(b"%PDF-1.4\n%\xe2\xe3\n1 0 obj<<>>endobj trailer<</Root 1 0 R>>", "a.pdf")
@example(b"PK\x03\x04\x14\x00\x00\x00\x08\x00", "a.docx")
@example(b"\xff\xfe\x00\xd8", "a.txt")  # UTF-16 with a lone surrogate
@example(b"\xfe\xff", "a.srt")
def test_any_bytes_under_any_name(data: bytes, name: str) -> None:
    read_file(data, name)


@FUZZ
@given(texts, st.sampled_from(NAMES), st.sampled_from(["utf-8", "utf-16", "latin-1"]))
def test_any_text_under_any_name(text: str, name: str, encoding: str) -> None:
    read_file(text.encode(encoding, errors="replace"), name)


@FUZZ
@given(st.one_of(srt_files().map(lambda t: (t, "talk.srt")),
                 vtt_files().map(lambda t: (t, "talk.vtt")),
                 sbv_files().map(lambda t: (t, "talk.sbv")),
                 json_files().map(lambda t: (t, "talk.json")),
                 html_files().map(lambda t: (t, "page.html"))),
       st.booleans())
@example(("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v &#xFFFFFFFF;>Hi", "talk.vtt"), False)
@example(('{"segments": [{"speaker": null, "startTime": 1e308, "endTime": -1e308, '
          '"body": "Hi."}]}', "talk.json"), False)
def test_caption_json_and_html_files(file: tuple[str, str], renamed: bool) -> None:
    text, name = file
    # the kind is told from the content first, so a renamed file must hold as well
    read_file(text.encode("utf-8", errors="replace"), "talk.txt" if renamed else name)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(["Normal", "Heading 1", "Title", "List Bullet"]),
                          texts), max_size=6),
       st.integers(0, 2000))
def test_word_files_whole_and_cut(paragraphs: list[tuple[str, str]], cut: int) -> None:
    import docx

    doc = docx.Document()
    for style, text in paragraphs:
        clean = "".join(ch for ch in text if ch.isprintable() or ch in "\n\t")
        doc.add_paragraph(clean, style=style)
    buf = io.BytesIO()
    doc.save(buf)
    data = buf.getvalue()
    read_file(data, "talk.docx")
    read_file(data[: max(4, len(data) - cut)], "talk.docx")  # a damaged upload


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126),
                        max_size=80), max_size=8),
       st.integers(0, 3000))
def test_pdf_files_whole_and_cut(lines: list[str], cut: int) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=11)
    for line in lines:
        pdf.cell(0, 8, line, new_x="LMARGIN", new_y="NEXT")
    data = bytes(pdf.output())
    read_file(data, "talk.pdf")
    read_file(data[: max(5, len(data) - cut)], "talk.pdf")


@FUZZ
@given(st.one_of(texts, srt_files(), vtt_files(), json_files()),
       st.sampled_from(["json", "vtt", "srt"]))
def test_sync_map_readers_raise_value_errors_only(text: str, fmt: str) -> None:
    try:
        formats.read(text, fmt)
    except ValueError as err:
        assert str(err).strip()
