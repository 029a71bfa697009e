"""A sync map laid out for reading: turns of speech, paragraphs, and the set-aside blocks.

Every sentence and every set-aside block of the sync map appears exactly once, in
transcript order, so nothing of the transcript is hidden. A speaker label that the
transcript parser set aside right where the speaker changes becomes that turn's heading
instead of a muted line above it.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass, field

from alignment.syncmap import Sentence, SetAside, SyncMap
from webapp.moments import Moment

__all__ = [
    "Layout", "SetAsideBlock", "Turn", "lay_out", "quoted_indices", "speaker_classes",
    "timeline_segments",
]

LABEL_KIND = "label"  # the set-aside kind of a speaker label (alignment.transcript)
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
    if not speaker:
        return False
    a, b = label.casefold(), speaker.casefold()
    return b in a or a.rstrip(":").strip() in b


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
            if new_speaker and pending and pending[-1].kind == LABEL_KIND and _same_person(
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


def current_index(sentences: tuple[Sentence, ...], ms: int) -> int | None:
    """Position of the sentence being said at `ms`: the last one begun by then.

    Sentences the aligner did not find in the audio have no real time and are never
    current; None before the first sentence.
    """
    timed = sorted((s.begin, i) for i, s in enumerate(sentences) if s.aligned)
    k = bisect_right(timed, (ms, len(sentences))) - 1
    return timed[k][1] if k >= 0 else None


def quoted_indices(syncmap: SyncMap, moment: Moment) -> set[int]:
    """Indices of the sentences a link quotes: the one at its start, through its end.

    A start in the pause after a sentence quotes the next one.
    """
    sentences = syncmap.sentences
    if moment.start is None or not sentences:
        return set()
    first = current_index(sentences, moment.start)
    if first is None:
        first = 0
    elif moment.start >= sentences[first].end and first + 1 < len(sentences):
        first += 1
    out = [first]
    if moment.end is not None:
        for i in range(first + 1, len(sentences)):
            if sentences[i].aligned and sentences[i].begin >= moment.end:
                break
            out.append(i)
        while len(out) > 1 and not sentences[out[-1]].aligned:
            out.pop()  # a sentence not found in the audio belongs to a quote only inside it
    return {sentences[i].index for i in out}


def timeline_segments(
    syncmap: SyncMap, speakers: dict[str, str], low_confidence: float
) -> list[tuple[int, int, str, str, int]]:
    """The timeline strip's segments: (x, width, speaker class, tick kind, tick width).

    x and widths are milliseconds (the strip's viewBox is the recording's length); the
    tick is "unaligned", "low" or "" and is made wide enough to be seen.
    """
    min_tick = max(1, (syncmap.duration or 1) // 400)
    out = []
    for s in syncmap.sentences:
        width = max(s.end - s.begin, 1)
        tick = "unaligned" if not s.aligned else "low" if s.confidence < low_confidence else ""
        out.append((s.begin, width, speakers.get(s.speaker or "", "sp-x"), tick,
                    max(width, min_tick)))
    return out
