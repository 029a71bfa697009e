"""JSON transcripts: Podcasting 2.0 (`application/json` transcripts) and this project's
own sync map JSON (what `align -o x.json` writes).

    read_json(text) -> list[Segment | Aside] | None

None when the text is not JSON of either kind (the caller then reads it as text).
Podcasting 2.0 segments (`{"segments": [{"speaker", "startTime", "endTime", "body"}]}`)
are often a few words each: consecutive segments of one speaker run on into one
paragraph unless two seconds of silence part them, so sentences may span segments. The
project's JSON keeps its paragraphs and its set-aside blocks where they were.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from alignment.syncmap import Kind

__all__ = ["Aside", "Segment", "read_json"]

_PARAGRAPH_GAP_S = 2.0


@dataclass(frozen=True)
class Segment:
    """Text said by `speaker` (None: not named); `new_paragraph` starts a paragraph."""

    speaker: str | None
    text: str
    new_paragraph: bool


@dataclass(frozen=True)
class Aside:
    """A set-aside block carried over as it was."""

    kind: str
    text: str


def read_json(text: str) -> list[Segment | Aside] | None:
    """The segments of a Podcasting 2.0 or sync map JSON transcript, or None."""
    if text.lstrip()[:1] not in ("{", "["):
        return None
    try:
        data = json.loads(text)
    except ValueError:
        return None
    if isinstance(data, dict) and isinstance(data.get("segments"), list):
        return _podcast(data["segments"])
    if isinstance(data, list) and data and all(isinstance(d, dict) and "body" in d for d in data):
        return _podcast(data)
    if isinstance(data, dict) and isinstance(data.get("sentences"), list):
        return _syncmap(data)
    return None


def _speaker(value: object) -> str | None:
    name = " ".join(str(value).split()) if value is not None else ""
    return name or None


def _seconds(value: object) -> float | None:
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


def _podcast(segments: list) -> list[Segment | Aside]:
    out: list[Segment | Aside] = []
    previous_end: float | None = None
    previous_speaker: str | None = None
    for segment in segments:
        if not isinstance(segment, dict):
            continue
        body = " ".join(str(segment.get("body") or "").split())
        if not body:
            continue
        speaker = _speaker(segment.get("speaker"))
        start = _seconds(segment.get("startTime"))
        gap = start is not None and previous_end is not None \
            and start - previous_end >= _PARAGRAPH_GAP_S
        new_paragraph = not out or speaker != previous_speaker or gap
        out.append(Segment(speaker, body, new_paragraph))
        previous_speaker = speaker
        previous_end = _seconds(segment.get("endTime"))
    return out


def _syncmap(data: dict) -> list[Segment | Aside]:
    blocks: dict[int, list[Aside]] = {}
    for block in data.get("set_aside") or []:
        if isinstance(block, dict) and str(block.get("text") or "").strip():
            after = int(block.get("after", -1)) if _seconds(block.get("after")) is not None \
                else -1
            blocks.setdefault(after, []).append(Aside(str(block.get("kind") or Kind.HEADER),
                                                      str(block["text"])))
    out: list[Segment | Aside] = list(blocks.get(-1, []))
    previous_paragraph: object = None
    for i, sentence in enumerate(data["sentences"]):
        if not isinstance(sentence, dict):
            continue
        text = str(sentence.get("text") or "").strip()
        paragraph = sentence.get("paragraph", i)
        if text:
            out.append(Segment(_speaker(sentence.get("speaker")), text,
                               paragraph != previous_paragraph))
            previous_paragraph = paragraph
        out.extend(blocks.get(int(sentence.get("index", i)), []))
    return out
