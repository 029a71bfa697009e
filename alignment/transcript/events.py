"""What the readers of each kind of text hand the builder, in the order of the text.

    str        text that is said
    Block      a set-aside block (a header, a mark, a cue's timing); `floating` ones do not
               split the sentence around them
    Turn       a speaker label: who speaks from here
    Uncertain  a header line that may or may not be said
    Byline     the person a byline names
    BREAK      a paragraph break

`line_events` reads one line of speech the same way for every kind of text.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from alignment.labels import inline_label
from alignment.marks import Mark, leading_marks, split_marks

__all__ = ["BREAK", "Block", "Break", "Byline", "Event", "Turn", "Uncertain", "blocks",
           "line_events"]


@dataclass(frozen=True)
class Block:
    """A set-aside block. A floating one does not split the sentence around it."""

    kind: str
    text: str
    floating: bool = False


@dataclass(frozen=True)
class Turn:
    """A speaker label: who speaks from here. `can_float`: a repeat need not break.
    An empty `label` names the speaker without a block (a byline, a JSON segment)."""

    speaker: str | None
    label: str
    can_float: bool = False


@dataclass(frozen=True)
class Uncertain:
    """A header line that may or may not be said: a paragraph of uncertain sentences."""

    text: str


@dataclass(frozen=True)
class Byline:
    """The person a byline names, who may speak the unlabelled opening turn."""

    name: str


class Break:
    """A paragraph break."""


BREAK = Break()
Event = str | Block | Turn | Uncertain | Byline | Break


def blocks(marks: Iterable[Mark]) -> Iterator[Block]:
    """Marks (timestamps, directions) as the blocks they are set aside in."""
    return (Block(mark.kind, mark.text) for mark in marks)


def line_events(rest: str, can_float: bool, periods: bool) -> Iterator[Event]:
    """One line of speech: an opening "NAME:" label (or "NAME." where the text labels
    with `periods`), then text and inline marks."""
    head = inline_label(rest, periods=periods)
    if head:
        label, name, rest = head
        yield Turn(name, label, can_float=can_float)
        marks, rest = leading_marks(rest)
        yield from blocks(marks)
    for piece in split_marks(rest):
        yield Block(piece.kind, piece.text) if isinstance(piece, Mark) else piece
