"""Sync map formats, one module each, behind one registry.

    FORMATS["vtt"].write(syncmap) -> str
    write(syncmap, "srt") -> str
    read(text, "json") -> SyncMap
    format_for_path("talk.podcast.json") -> "podcast"

json (lossless, the program's own), vtt and srt are read and written; podcast
(Podcasting 2.0 JSON), aeneas (aeneas's JSON sync map) and textgrid (Praat's TextGrid)
are written only. The formats other than json leave out sentences marked
`aligned: false`. Where a sentence's words have times (`Sentence.words`), WebVTT lights
them with timestamps inside its cues, both caption formats cut their cues between words
and take their times from them, the podcast JSON has a segment per word and the TextGrid
a tier of words (`words` holds what they share); aeneas's format stays a sentence each.
Docs: docs/formats.md.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePath

from alignment.formats import aeneas_json, json_format, podcast, srt, textgrid, vtt
from alignment.syncmap import SyncMap

__all__ = ["FORMATS", "Format", "format_for_path", "get", "read", "write"]


@dataclass(frozen=True)
class Format:
    """One format: its name, file suffix, media type, writer and (if any) reader."""

    name: str
    suffix: str
    media_type: str
    write: Callable[[SyncMap], str]
    read: Callable[[str], SyncMap] | None = None
    description: str = ""


FORMATS: dict[str, Format] = {
    "json": Format(
        "json", ".json", "application/json", json_format.write, json_format.read,
        "the full sync map: every sentence, its times and confidence, the set-aside text",
    ),
    "vtt": Format(
        "vtt", ".vtt", "text/vtt", vtt.write, vtt.read,
        "WebVTT captions with speakers as voice spans",
    ),
    "srt": Format(
        "srt", ".srt", "application/x-subrip", srt.write, srt.read,
        "SubRip captions with a \"Name: \" prefix for speakers",
    ),
    "podcast": Format(
        "podcast", ".podcast.json", "application/json", podcast.write, None,
        "Podcasting 2.0 JSON transcript",
    ),
    "aeneas": Format(
        "aeneas", ".aeneas.json", "application/json", aeneas_json.write, None,
        "the JSON sync map aeneas writes",
    ),
    "textgrid": Format(
        # Praat names the file .TextGrid and has no media type of its own: it is text
        "textgrid", ".TextGrid", "text/plain", textgrid.write, None,
        "Praat TextGrid with a sentences tier and a words tier",
    ),
}


def _names() -> str:
    return ", ".join(FORMATS)


def get(fmt: str) -> Format:
    """The format called `fmt`; ValueError naming the known ones otherwise."""
    try:
        return FORMATS[fmt]
    except (KeyError, TypeError):
        raise ValueError(f"unknown format {fmt!r}; choose one of {_names()}") from None


def format_for_path(path: str | PurePath) -> str:
    """The format a file name asks for by its suffix (case does not matter).

    The longest matching suffix wins, so "x.podcast.json" is podcast, "x.json" is json;
    "x.TextGrid" and "x.textgrid" are both textgrid. ValueError if no format uses the
    file's suffix.
    """
    name = PurePath(path).name.lower()
    for fmt in sorted(FORMATS.values(), key=lambda f: len(f.suffix), reverse=True):
        if name.endswith(fmt.suffix.lower()) and len(name) > len(fmt.suffix):
            return fmt.name
    suffixes = ", ".join(f.suffix for f in FORMATS.values())
    raise ValueError(
        f"cannot tell the format of {PurePath(path).name!r} from its name; "
        f"use one of the suffixes {suffixes}"
    )


def write(syncmap: SyncMap, fmt: str) -> str:
    """`syncmap` written in format `fmt` (a key of FORMATS)."""
    return get(fmt).write(syncmap)


def read(text: str, fmt: str) -> SyncMap:
    """Parse `text` in format `fmt`; ValueError for unknown or write-only formats."""
    f = get(fmt)
    if f.read is None:
        readable = ", ".join(name for name, g in FORMATS.items() if g.read)
        raise ValueError(f"format {fmt!r} can be written but not read; read one of {readable}")
    return f.read(text)
