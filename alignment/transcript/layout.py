"""Plain text (and a web page's or a PDF's lines): where the header ends and the footer
begins, which lines are labels, and the events of what lies between.

A header (dates, "Updated: ...", navigation) and a footer are set aside; short
unpunctuated lines at the top (a place, a byline, a title) become sentences marked
uncertain so the audio decides. Speaker labels (a line of their own, or "NAME:" opening a
line) change the speaker; stage directions and timestamps are set aside where they stand.
Verse and YouTube's timed copies are read line by line.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from alignment.documents import Lines
from alignment.labels import inline_label, line_label, named_speaker, uses_period_labels
from alignment.marks import leading_marks
from alignment.syncmap import Kind
from alignment.transcript.events import (
    BREAK,
    Block,
    Byline,
    Event,
    Turn,
    Uncertain,
    blocks,
    line_events,
)
from alignment.transcript.furniture import is_furniture, rule_or_heading

__all__ = ["Page", "plain_events"]


# Lines at the top this short and without a sentence ending may be a title or a byline.
_HEADERISH_WORDS = 15
_HEADER_UNITS = 12
_SENTENCE_END = ".!?…,;:\"”’)»"
# At most this much text after a rule at the end of the text is a footer.
_FOOTER_LINES = 4
_FOOTER_WORDS = 80
# A copy of YouTube's "Show transcript": a time on a line of its own every few words.
_TIMED_SHARE = 0.2
_SPOKEN_TIME = re.compile(
    r"(?:\d+\s+hours?,?\s*)?(?:\d+\s+minutes?,?\s*)?(?:\d+\s+seconds?)?", re.IGNORECASE
)


class Page(Lines):
    """A plain text's lines, and whether its speakers are labelled "Q." and "NAME." as well
    as "NAME:" (`periods`, a hearing's transcript): a fact of the whole text that the
    reading of every line needs."""

    periods: bool

    def __init__(self, lines: Lines) -> None:
        super().__init__(lines, lines.fixed)
        self.periods = uses_period_labels(lines)


def _is_headerish(text: str) -> bool:
    return len(text.split()) <= _HEADERISH_WORDS and text[-1] not in _SENTENCE_END


def plain_events(lines: Lines) -> Iterator[Event]:
    """The events of a plain text's lines: header, body, footer."""
    page = Page(lines)
    timed = _is_timed(page)
    stop = _footer_start(page)
    header, start = _header(page, stop, timed)
    if start >= stop:
        # Nothing but short unpunctuated lines: a transcript without punctuation, all spoken.
        header = list(_as_spoken(header))
    yield from header
    byline = _byline(header)
    if byline and start < stop and not _opens_with_label(page, start, stop):
        yield Byline(byline)
    yield from _body_events(page, start, stop, timed)
    for i in range(stop, len(page)):
        line = page[i].strip()
        if line:
            rule = rule_or_heading(line) == Kind.RULE
            kind = page.fixed.get(i) or (Kind.RULE if rule else Kind.FOOTER)
            yield Block(kind, line)


def _is_timed(lines: list[str]) -> bool:
    """Whether most of the text's lines are parted by times on lines of their own."""
    content = [line.strip() for line in lines if line.strip()]
    bare = sum(1 for line in content if _is_bare_time(line))
    return bare >= 3 and bare >= _TIMED_SHARE * len(content)


def _is_bare_time(line: str) -> bool:
    marks, rest = leading_marks(line)
    return not rest and bool(marks) and all(m.kind == Kind.TIMESTAMP for m in marks)


def _byline(header: list[Event]) -> str | None:
    """The first person a byline names: "by NATO Secretary General, Lord Robertson, and
    the Russian President Putin" -> "NATO Secretary General, Lord Robertson"."""
    for event in header:
        if isinstance(event, Uncertain) and re.match(r"by\s+[A-Z]", event.text):
            person = re.split(r",?\s+and\s+|;|\s+&\s+", event.text[3:], maxsplit=1)[0]
            return person.strip(" ,") or None
    return None


def _opens_with_label(lines: Page, start: int, stop: int) -> bool:
    rest = _next_content(lines, start, stop)
    return rest is not None and (inline_label(rest, periods=lines.periods) is not None
                                 or line_label(rest, at_turn_start=True) is not None)


def _as_spoken(events: Iterable[Event]) -> Iterator[Event]:
    for event in events:
        if isinstance(event, Uncertain):
            yield event.text
            yield BREAK
        else:
            yield event


def _footer_start(lines: Page) -> int:
    """Where the trailing page furniture begins (len(lines) when there is none)."""
    stop = len(lines)
    for i in range(len(lines) - 1, -1, -1):
        line = lines[i].strip()
        if line and not (lines.fixed.get(i) or is_furniture(line)):
            break
        if line:
            stop = i
    # A rule near the end with a little unlabelled text after it: a footer.
    content = [i for i in range(stop) if lines[i].strip()]
    for n, i in enumerate(reversed(content[-(_FOOTER_LINES + 1):])):
        line = lines[i].strip()
        if lines.fixed.get(i) is None and rule_or_heading(line) == Kind.RULE:
            after = [lines[j].strip() for j in content[len(content) - n:]]
            words = sum(len(text.split()) for text in after)
            if n > 0 and words <= _FOOTER_WORDS and not any(
                    inline_label(text, periods=lines.periods)
                    or named_speaker(text, strong=False) for text in after):
                return i
            break
    return stop


def _header(lines: Page, stop: int, timed: bool = False) -> tuple[list[Event], int]:
    """The header's events, and the line where the spoken text starts."""
    events: list[Event] = []
    units = 0
    i = 0
    while i < stop:
        line = lines[i].strip()
        kind = lines.fixed.get(i)
        if kind is not None:
            events.append(Block(kind, line, floating=kind == Kind.PAGE))
            i += 1
            continue
        if not line:
            i += 1
            continue
        if is_furniture(line) or rule_or_heading(line):
            events.append(Block(rule_or_heading(line) or Kind.HEADER, line))
            i += 1
            continue
        marks, rest = leading_marks(line)
        if not rest:
            events.extend(blocks(marks))
            i += 1
            continue
        if timed or units >= _HEADER_UNITS or _opens_a_turn(lines, i, stop, rest):
            return events, i
        end = _unit_end(lines, i, stop)
        unit = " ".join(line.strip() for line in lines[i:end])
        if marks or not _is_headerish(unit):
            return events, i
        events.append(Uncertain(unit))
        units += 1
        i = end
    return events, stop


def _opens_a_turn(lines: Page, i: int, stop: int, rest: str) -> bool:
    """In the header: a label whose next line is plainly speech, or "NAME: text".

    "City Matters: the Central Library reopens" is a title, not a turn: what follows the
    colon is as short and unfinished as a heading.
    """
    head = inline_label(rest, periods=lines.periods)
    if head:
        return not _is_headerish(head[2])
    if line_label(rest, at_turn_start=True) is None:
        return False
    following = _next_content(lines, i + 1, stop)
    return following is not None and not _is_headerish(following) \
        and _is_speech(following, lines.periods)


def _unit_end(lines: Lines, i: int, stop: int) -> int:
    """One header item: a line, or lines run on (hard-wrapped) into the next.

    A line runs on when it ends in a comma or a lower-case word ("in the"), or the next
    starts in lower case (but not "by ..."); titles and places end in a name or a number.
    """
    end = i + 1
    while end < stop and lines[end].strip() and lines.fixed.get(end) is None \
            and not is_furniture(lines[end].strip()):
        previous, following = lines[end - 1].strip(), lines[end].strip()
        runs_on = previous[-1] in ",;:-–—" or previous.split()[-1].islower()
        if following.startswith("by ") or not (runs_on or following[0].islower()):
            break  # "by ..." opens a byline of its own
        end += 1
    return end


def _next_content(lines: Lines, j: int, stop: int) -> str | None:
    """The next line with words (after any leading marks), skipping blanks and marks."""
    for k in range(j, stop):
        if lines.fixed.get(k) is not None:
            continue
        rest = leading_marks(lines[k].strip())[1]
        if rest and not rule_or_heading(rest):
            return rest
    return None


def _is_speech(line: str, periods: bool) -> bool:
    """Whether a line following a label can be what the label's speaker says."""
    return inline_label(line, periods=periods) is None \
        and line_label(line, at_turn_start=True) is None


# Verse (a poem, lyrics, a script in short lines): most lines short, capitalised, and
# not ending a sentence. Each line is then a unit of its own, as it is read.
_VERSE_MIN_LINES = 4
_VERSE_LINE_CHARS = 60


def _verse_lines(lines: Page, start: int, stop: int) -> set[int]:
    """Indices of the lines that belong to verse paragraphs."""
    verse: set[int] = set()
    i = start
    while i < stop:
        if not lines[i].strip() or lines.fixed.get(i) is not None:
            i += 1
            continue
        j = i
        while j < stop and lines[j].strip() and lines.fixed.get(j) is None:
            j += 1
        block = [line.strip() for line in lines[i:j]]
        if len(block) >= _VERSE_MIN_LINES:
            short = sum(len(line) <= _VERSE_LINE_CHARS for line in block)
            capital = sum(line[0].isupper() or line[0].isdigit() for line in block)
            open_end = sum(line[-1] not in ".!?…" for line in block)
            labels = sum(inline_label(line, periods=lines.periods) is not None
                         for line in block)
            if short >= 0.75 * len(block) and capital >= 0.75 * len(block) \
                    and open_end >= 0.5 * len(block) and labels < 0.5 * len(block):
                verse.update(range(i, j))
        i = j
    return verse


def _body_events(lines: Page, start: int, stop: int,
                 timed: bool = False) -> Iterator[Event]:
    at_turn_start = True  # a label without a colon may only open a paragraph or follow a sentence
    verse = set() if timed else _verse_lines(lines, start, stop)
    after_time = False
    for i in range(start, stop):
        line = lines[i].strip()
        kind = lines.fixed.get(i)
        if kind is not None:
            if line:
                yield Block(kind, line, floating=kind == Kind.PAGE)
            if kind != Kind.PAGE:
                at_turn_start = True
            continue
        if not line:
            yield BREAK
            at_turn_start = True
            continue
        structure = rule_or_heading(line)
        if structure:
            yield Block(structure, line)
            at_turn_start = True
            continue
        if timed and after_time and _SPOKEN_TIME.fullmatch(line) and line[0].isdigit():
            # YouTube's "4 seconds" under "0:04", for screen readers
            yield Block(Kind.TIMESTAMP, line, floating=True)
            after_time = False
            continue
        marks, rest = leading_marks(line)
        after_time = timed and not rest and bool(marks)
        # In a timed copy the times fall mid-sentence: they float to their sentence's start.
        # Other marks ([Music]) stay where they stand, as in any text.
        yield from (Block(m.kind, m.text, floating=timed and m.kind == Kind.TIMESTAMP)
                    for m in marks)
        if not rest:
            continue
        name = line_label(rest, at_turn_start)
        following = _next_content(lines, i + 1, stop) if name else None
        if name and following is not None and _is_speech(following, lines.periods):
            yield Turn(name, rest)
            at_turn_start = True
            continue
        yield from line_events(rest, can_float=False, periods=lines.periods)
        if i in verse:
            yield BREAK  # a verse line is shown, and aligned, as a line of its own
        at_turn_start = rest[-1] in ".!?…\"”’)]*"
