"""Chapters: an outline of a recording, from its transcript's headings, or, where it has
none, from its long pauses and speaker turns.

Shown beside the transcript and as marks on the timeline, and exported as WebVTT
chapters (`chapters.vtt`, also the audio's chapters track) and Podcasting 2.0 chapters
JSON (`chapters.json`). Only sentences found in the audio start a chapter; fewer than two
chapters is no outline, and none is shown.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from alignment import Kind, SyncMap

__all__ = ["Chapter", "chapters", "podcast_json", "webvtt"]

#: a pause this long (ms) between sentences may start a chapter
PAUSE_MS = 2000
#: chapters found without headings are at least this long (ms), and at least a twelfth
MIN_CHAPTER_MS = 30_000
TITLE_WORDS = 8


@dataclass(frozen=True)
class Chapter:
    """A chapter: where it starts and ends (ms), its title and its first sentence."""

    begin: int
    end: int
    title: str
    sentence_id: str


def _snippet(text: str, words: int = TITLE_WORDS) -> str:
    parts = text.split()
    short = " ".join(parts[:words])
    return short.rstrip(",;:") + ("…" if len(parts) > words else "")


def chapters(syncmap: SyncMap) -> list[Chapter]:
    """The recording's chapters in time order (none when there would be fewer than two)."""
    said = [s for s in syncmap.sentences if s.aligned]
    if not said:
        return []
    duration = max(syncmap.duration or 0, said[-1].end)
    starts: list[tuple[int, str, str]] = []  # (begin, title, sentence id)
    headings = [b for b in syncmap.set_aside if b.kind == Kind.HEADING]
    if headings:
        for block in headings:
            first = next((s for s in said if s.index > block.after), None)
            title = block.text.lstrip("#").strip() or block.text
            if first is not None and (not starts or first.begin > starts[-1][0]):
                starts.append((first.begin, title, first.id))
        if starts and starts[0][0] > said[0].begin:
            starts.insert(0, (said[0].begin, _snippet(said[0].text), said[0].id))
    else:
        least = max(MIN_CHAPTER_MS, duration // 12)
        starts.append((said[0].begin, _title(said[0]), said[0].id))
        for prev, s in zip(said, said[1:], strict=False):
            turn = s.speaker != prev.speaker
            pause = s.begin - prev.end >= PAUSE_MS
            if (turn or pause) and s.begin - starts[-1][0] >= least \
                    and duration - s.begin >= least // 2:
                starts.append((s.begin, _title(s), s.id))
    if len(starts) < 2:
        return []
    ends = [b for b, _, _ in starts[1:]] + [duration]
    return [Chapter(b, e, t, sid) for (b, t, sid), e in zip(starts, ends, strict=True)]


def _title(s) -> str:  # type: ignore[no-untyped-def]
    """A chapter found by a turn or a pause: who speaks, and their first words."""
    return (f"{s.speaker}: " if s.speaker else "") + _snippet(s.text)


def _vtt_time(ms: int) -> str:
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    sec, milli = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{sec:02d}.{milli:03d}"


def webvtt(items: list[Chapter]) -> str:
    """WebVTT chapters: one cue per chapter, its title the cue's text."""
    cues = [f"{n}\n{_vtt_time(c.begin)} --> {_vtt_time(c.end)}\n{' '.join(c.title.split())}"
            for n, c in enumerate(items, 1)]
    return "WEBVTT\n\n" + "\n\n".join(cues) + ("\n" if cues else "")


def podcast_json(items: list[Chapter], title: str) -> str:
    """Podcasting 2.0 chapters (version 1.2.0): start and end times in seconds, titles."""
    return json.dumps({
        "version": "1.2.0", "title": title,
        "chapters": [{"startTime": c.begin / 1000, "endTime": c.end / 1000, "title": c.title}
                     for c in items],
    }, ensure_ascii=False, indent=2) + "\n"
