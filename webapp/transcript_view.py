"""A sync map laid out for reading: turns of speech, paragraphs, and the set-aside blocks.

Every sentence and every set-aside block of the sync map appears exactly once, in
transcript order, so nothing of the transcript is hidden. A speaker label that the
transcript parser set aside right where the speaker changes becomes that turn's heading
instead of a muted line above it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from alignment import Kind, Sentence, SetAside, SyncMap, label_name
from webapp.moments import Moment, quote_span

__all__ = [
    "Layout", "SetAsideBlock", "Turn", "lay_out", "quoted_indices", "speaker_classes",
    "time_order", "timeline_segments",
]

# Past this many sentences the timeline strip is drawn in COARSE_BUCKETS slices of time
MAX_SEGMENTS = 2000
COARSE_BUCKETS = 1000
PALETTE_SIZE = 8


@dataclass
class Turn:
    """Consecutive sentences of one speaker; `heading` is shown when the speaker changes."""

    speaker: str | None
    css: str
    heading: str | None
    continued: bool = False  # the same speaker goes on after a set-aside block
    paragraphs: list[list[Sentence]] = field(default_factory=list)
    is_turn: bool = True


@dataclass(frozen=True)
class SetAsideBlock:
    """A block of the transcript that is not spoken, shown muted in place."""

    kind: str
    text: str
    is_turn: bool = False


@dataclass(frozen=True)
class Layout:
    """What the transcript template walks through, plus the speakers' colour classes."""

    items: list[Turn | SetAsideBlock]
    speakers: dict[str, str]


def speaker_classes(speakers: list[str]) -> dict[str, str]:
    """A colour class (`sp-0` .. `sp-7`) for each speaker, in order of appearance."""
    return {name: f"sp-{i % PALETTE_SIZE}" for i, name in enumerate(speakers)}


def _same_person(label: str, speaker: str | None) -> bool:
    """Whether a label block names `speaker`, by the one speaker-label rule: "COOPER:"
    names "ANDERSON COOPER", "**Dana Whitfield:**" names "Dana Whitfield"."""
    if not speaker:
        return False
    name = (label_name(label) or label.rstrip(":. ").strip()).casefold()
    who = speaker.casefold()
    return bool(name) and (name in who or who in name)


def lay_out(syncmap: SyncMap) -> Layout:
    """Turns, paragraphs and set-aside blocks in transcript order."""
    speakers = speaker_classes(syncmap.speakers)
    blocks_after: dict[int, list[SetAside]] = defaultdict(list)
    last = len(syncmap.sentences) - 1
    for block in syncmap.set_aside:
        blocks_after[min(max(block.after, -1), last)].append(block)

    items: list[Turn | SetAsideBlock] = []
    pending: list[SetAside] = list(blocks_after.get(-1, []))
    turn: Turn | None = None
    paragraph = None
    for s in syncmap.sentences:
        new_speaker = turn is None or s.speaker != turn.speaker
        if pending or new_speaker:
            label = None
            if new_speaker and pending and pending[-1].kind == Kind.LABEL and _same_person(
                pending[-1].text, s.speaker
            ):
                label = pending.pop().text
            items.extend(SetAsideBlock(b.kind, b.text) for b in pending)
            pending = []
            heading = label.rstrip(": ") if label else (s.speaker if new_speaker else None)
            turn = Turn(speaker=s.speaker, css=speakers.get(s.speaker or "", ""), heading=heading,
                        continued=not new_speaker)
            items.append(turn)
            paragraph = None
        assert turn is not None
        if paragraph != s.paragraph or not turn.paragraphs:
            turn.paragraphs.append([])
            paragraph = s.paragraph
        turn.paragraphs[-1].append(s)
        pending.extend(blocks_after.get(s.index, []))
    items.extend(SetAsideBlock(b.kind, b.text) for b in pending)
    return Layout(items=items, speakers=speakers)


def time_order(syncmap: SyncMap) -> tuple[list[int], list[int], list[int]]:
    """The positions of the sentences found in the audio in time order, with their begins
    and ends (`quoted_indices` searches these; a long page keeps them, webapp.paging)."""
    sentences = syncmap.sentences
    order = sorted((i for i, s in enumerate(sentences) if s.aligned),
                   key=lambda i: (sentences[i].begin, i))
    return order, [sentences[i].begin for i in order], [sentences[i].end for i in order]


def quoted_indices(syncmap: SyncMap, moment: Moment,
                   index: tuple[list[int], list[int], list[int]] | None = None) -> set[int]:
    """Indices of the sentences a link quotes (`moments.quote_span`, as the page does it):
    the one its start lights, a start in a pause quoting the sentence after it, through
    its end. Only sentences found in the audio start or end a quote; a sentence not found
    belongs to it only inside it.
    """
    sentences = syncmap.sentences
    order, begins, ends = time_order(syncmap) if index is None else index
    span = quote_span(begins, ends, moment.start, moment.end)
    if span is None:
        return set()
    a, b = sorted((order[span[0]], order[span[1]]))
    return {s.index for s in sentences[a:b + 1]}


def timeline_segments(
    syncmap: SyncMap, speakers: dict[str, str], low_confidence: float
) -> list[tuple[int, int, str, str, int]]:
    """The timeline strip's segments: (x, width, speaker class, tick kind, tick width).

    x and widths are milliseconds (the strip's viewBox is the recording's length); the
    tick is "unaligned", "low" or "" and is made wide enough to be seen. One segment per
    sentence, up to `MAX_SEGMENTS` sentences; beyond, slices of time (`_coarse_segments`).
    """
    min_tick = max(1, (syncmap.duration or 1) // 400)
    if len(syncmap.sentences) > MAX_SEGMENTS:
        return _coarse_segments(syncmap, speakers, low_confidence, min_tick)
    out = []
    for s in syncmap.sentences:
        width = max(s.end - s.begin, 1)
        tick = "unaligned" if not s.aligned else "low" if s.confidence < low_confidence else ""
        out.append((s.begin, width, speakers.get(s.speaker or "", "sp-x"), tick,
                    max(width, min_tick)))
    return out


def _coarse_segments(
    syncmap: SyncMap, speakers: dict[str, str], low_confidence: float, min_tick: int
) -> list[tuple[int, int, str, str, int]]:
    """A very long recording's strip in `COARSE_BUCKETS` slices of time: each slice the
    colour of the speaker heard most in it (neighbours of one colour joined), ticked
    when a sentence in it is uncertain or not found. A sentence would be a fraction of a
    pixel wide; a segment each made the page megabytes long."""
    duration = max(syncmap.duration or 0, max(s.end for s in syncmap.sentences), 1)
    width = -(-duration // COARSE_BUCKETS)
    talk: list[dict[str, int]] = [defaultdict(int) for _ in range(COARSE_BUCKETS)]
    ticks = [""] * COARSE_BUCKETS
    for s in syncmap.sentences:
        css = speakers.get(s.speaker or "", "sp-x")
        tick = "unaligned" if not s.aligned else "low" if s.confidence < low_confidence else ""
        a, b = max(s.begin, 0), max(s.end, s.begin + 1)
        for k in range(min(a // width, COARSE_BUCKETS - 1), min((b - 1) // width,
                                                                COARSE_BUCKETS - 1) + 1):
            talk[k][css] += min(b, (k + 1) * width) - max(a, k * width)
            if tick == "unaligned" or (tick and not ticks[k]):
                ticks[k] = tick
    out: list[tuple[int, int, str, str, int]] = []
    for k in range(COARSE_BUCKETS):
        if not talk[k] and not ticks[k]:
            continue
        css = max(talk[k].items(), key=lambda kv: kv[1])[0] if talk[k] else "sp-x"
        x = k * width
        last = out[-1] if out else None
        if last and last[2] == css and last[0] + last[1] == x and last[3] == ticks[k]:
            out[-1] = (last[0], last[1] + width, css, last[3], max(last[1] + width, min_tick))
        else:
            out.append((x, width, css, ticks[k], max(width, min_tick)))
    return out
