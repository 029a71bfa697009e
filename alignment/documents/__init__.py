"""Transcript files as people have them -> the text the transcript reader reads, and
what kind of text that is. What kind of file a transcript is is decided here, and only
here: `load` by the file's bytes and name, `read` by the text.

    load(data: bytes, name: str) -> str
    read(text: str) -> Segments | Captions | Lines

One module per kind of file: `docx` (Word, with python-docx), `pdf` (a text layer, with
pypdf), `html` (a saved page, with BeautifulSoup over lxml), `paged` (page furniture of
hearing and deposition transcripts), `json_transcripts` (Podcasting 2.0 and this
project's own JSON). Plain text, Markdown, WebVTT, SRT and YouTube's SBV are text already.

`load` is what the command line and an upload call with the file's bytes and name. What
it returns is text, stored as the recording's transcript and handed to `alignment.align`:
Word and PDF files become plain text (pages parted by form feeds); a web page stays HTML,
which `read` recognises, so its menus and footers can be set aside, not lost. `read` is
what the transcript reader calls with that text: JSON segments, a caption file's lines,
or lines of text (a page's and a paged text's with the lines known to be set aside).
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePath

from alignment.documents.html import looks_like_html, page_lines
from alignment.documents.json_transcripts import Aside, Segment, read_json
from alignment.documents.paged import unpage
from alignment.errors import TranscriptError
from alignment.formats import captions

__all__ = ["ACCEPTED", "Captions", "Lines", "Segments", "decode", "load", "read"]

# Suffix -> what it is, for messages and the README.
ACCEPTED = {
    ".txt": "plain text", ".md": "Markdown", ".markdown": "Markdown", ".html": "web page",
    ".htm": "web page", ".docx": "Word document", ".pdf": "PDF", ".vtt": "WebVTT captions",
    ".srt": "SubRip captions", ".sbv": "YouTube captions", ".json": "JSON transcript",
}
_REFUSED = {
    ".doc": "an old Word (.doc) file: open it in Word or LibreOffice and save it as .docx",
    ".odt": "an OpenDocument text: save it as .docx or plain text (.txt)",
    ".rtf": "a Rich Text file: save it as .docx or plain text (.txt)",
    ".pages": "a Pages document: export it as Word (.docx) or plain text (.txt)",
}


def load(data: bytes, name: str) -> str:
    """The transcript text of the file `name` with content `data`.

    The kind is told by the content where it can be (a PDF or Word file renamed .txt is
    still read as one), else by the suffix. Raises TranscriptError naming the file type
    and what to do when the file cannot be read.
    """
    label = PurePath(name).name or "the transcript"
    suffix = PurePath(name).suffix.lower()
    if data.startswith(b"%PDF"):
        from alignment.documents import pdf

        return pdf.text(data, label)
    if data.startswith(b"PK\x03\x04"):
        from alignment.documents import docx

        return docx.text(data, label)
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise TranscriptError(f"{label} is {_REFUSED['.doc']}, then upload that.")
    if suffix in _REFUSED:
        raise TranscriptError(f"{label} is {_REFUSED[suffix]}, then upload that.")
    if suffix in (".docx", ".pdf"):
        kind = ACCEPTED[suffix]
        raise TranscriptError(
            f"{label} is not a readable {kind}: it may be damaged or only named {suffix}. "
            f"Open it and save it again as {suffix}, or give the text as .txt."
        )
    return decode(data, label, html=suffix in (".html", ".htm"))


def decode(data: bytes, label: str, html: bool = False) -> str:
    """Bytes of a text file as text: UTF-8, UTF-16 with a byte-order mark, or (for a web
    page) the encoding the page declares."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise TranscriptError(f"{label} is not valid UTF-16 text; save it as UTF-8") from None
    if b"\x00" in data:
        raise TranscriptError(
            f"{label} looks like a binary file, not text. Give the transcript as "
            "text (.txt, .md), a web page, Word (.docx), PDF, or captions (.vtt, .srt, .sbv)."
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        if html:
            from bs4 import UnicodeDammit

            guess = UnicodeDammit(data, is_html=True)
            if guess.unicode_markup is not None:
                return guess.unicode_markup
        raise TranscriptError(
            f"{label} is not UTF-8 text (byte 0x{data[err.start]:02x} at offset "
            f"{err.start}); save it as UTF-8 and try again"
        ) from None


@dataclass(frozen=True)
class Segments:
    """A JSON transcript: its segments and set-aside blocks (`json_transcripts`)."""

    items: list[Segment | Aside]


@dataclass(frozen=True)
class Captions:
    """A caption file's lines: WebVTT (`vtt`), else SRT or YouTube's SBV."""

    lines: list[str]
    vtt: bool


class Lines(list):
    """A document's lines; `fixed` maps the index of a line already known to be set aside
    (a page's menu, a PDF's running header) to its kind."""

    fixed: dict[int, str]

    def __init__(self, lines: Iterable[str] = (), fixed: dict[int, str] | None = None) -> None:
        super().__init__(lines)
        self.fixed = fixed or {}

    @classmethod
    def of(cls, pieces: list[tuple[str | None, str]]) -> Lines:
        """The lines of (kind or None, text) pieces, as a page or a PDF is read."""
        return cls([text for _, text in pieces],
                   {i: kind for i, (kind, _) in enumerate(pieces) if kind is not None})


def read(text: str) -> Segments | Captions | Lines:
    """The text of a transcript as the kind of text it is, told by its content: JSON (a
    Podcasting 2.0 or sync map JSON transcript), a web page, a paged text (form feeds,
    as `pdf` gives it), WebVTT, SRT or SBV (WebVTT cues without their header too), or
    plain text."""
    segments = read_json(text)
    if segments is not None:
        return Segments(segments)
    if looks_like_html(text):
        return Lines.of(page_lines(text))
    if "\f" in text:
        return Lines.of(unpage(text))
    lines = text.splitlines()
    content = [line.strip() for line in lines if line.strip()][:2]
    if captions.is_webvtt(lines):
        return Captions(lines, vtt=True)
    timing = next((line for line in content if captions.is_timing(line)), None)
    if timing and (content[0] == timing or content[0].isdigit()):
        # SRT, YouTube's SBV, or WebVTT cues without their header.
        return Captions(lines, vtt="." in timing.partition("-->")[0])
    return Lines(lines)
