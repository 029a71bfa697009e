"""Transcript files as people have them -> the text the transcript reader reads.

    load(data: bytes, name: str) -> str

One module per kind of file: `docx` (Word, with python-docx), `pdf` (a text layer, with
pypdf), `html` (a saved page, with BeautifulSoup over lxml), `paged` (page furniture of
hearing and deposition transcripts), `json_transcripts` (Podcasting 2.0 and this
project's own JSON). Plain text, Markdown, WebVTT, SRT and YouTube's SBV are text already.

`load` is what the command line and an upload call with the file's bytes and name. What
it returns is text, stored as the recording's transcript and handed to `alignment.align`:
Word and PDF files become plain text (pages parted by form feeds); a web page stays HTML,
which `read_transcript` recognises, so its menus and footers can be set aside, not lost.
"""

from __future__ import annotations

from pathlib import PurePath

from alignment.errors import TranscriptError

__all__ = ["ACCEPTED", "load"]

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
