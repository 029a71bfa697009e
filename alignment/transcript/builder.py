"""The builder: events, in the order of the text, to sentences and set-aside blocks.

Text runs on into a paragraph until a break, a label or a block that is not floating;
then the paragraph is cut into sentences (`sentences.iter_sentence_spans`) and a floating
block is placed before the sentence its place falls in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from alignment.errors import TooManySentences
from alignment.sentences import iter_sentence_spans
from alignment.syncmap import Kind, Sentence, SetAside
from alignment.transcript.events import Block, Byline, Event, Turn, Uncertain

__all__ = ["Builder"]


@dataclass
class Builder:
    """Collects text into paragraphs, splits them into sentences, places the blocks."""

    language: str
    limit: int | None = None  # the most sentences to read (TooManySentences beyond)
    sentences: list[Sentence] = field(default_factory=list)
    set_aside: list[SetAside] = field(default_factory=list)
    uncertain: set[int] = field(default_factory=set)
    speaker: str | None = None
    paragraph: int = 0  # the index the current (or next) paragraph gets
    _open: bool = False  # whether the current paragraph has a sentence yet
    _parts: list[str] = field(default_factory=list)
    _length: int = 0  # length of " ".join(_parts)
    _floating: list[tuple[int, Block]] = field(default_factory=list)
    _names: dict[str, None] = field(default_factory=dict)
    byline: str | None = None

    def feed(self, event: Event) -> None:
        """Take the next event of the text."""
        if isinstance(event, str):
            self._text(event)
        elif isinstance(event, Block):
            self._block(event)
        elif isinstance(event, Turn):
            self._turn(event)
        elif isinstance(event, Uncertain):
            self._uncertain(event.text)
        elif isinstance(event, Byline):
            self.byline = event.name
            self._turn(Turn(event.name, ""))
        else:
            self._break()

    def finish(self) -> None:
        """End the text: the last paragraph is cut into its sentences."""
        self._break()

    def _uncertain(self, text: str) -> None:
        """A paragraph of its own whose sentences the audio decides on."""
        self._break()
        self._text(text)
        self._flush(uncertain=True)
        self._break()

    def _text(self, text: str) -> None:
        if self._parts:
            self._length += 1
        self._parts.append(text)
        self._length += len(text)

    def _block(self, block: Block) -> None:
        if block.floating:
            # Remember where the next text starts; placed when the sentences are known.
            self._floating.append((self._length + (1 if self._parts else 0), block))
            return
        self._flush()
        self._emit(block)

    def _turn(self, turn: Turn) -> None:
        speaker = self._canonical(turn.speaker)
        if turn.can_float and speaker == self.speaker:
            if turn.label:
                self._block(Block(Kind.LABEL, turn.label, floating=True))
            return
        self._break()
        self.speaker = speaker
        if turn.label:
            self._emit(Block(Kind.LABEL, turn.label))

    def _canonical(self, name: str | None) -> str | None:
        """One name per person: "COOPER" after "ANDERSON COOPER" is the same speaker."""
        if name is None:
            return None
        key = re.sub(r"\s*\([^()]*\)$", "", name)  # "PUTIN (through translator)"
        if name not in self._names and " " not in key.strip():
            for known in self._names:
                if known != self.byline and len(known.split()) > 1 \
                        and known.split()[-1].lower() == key.lower():
                    return known
        self._names.setdefault(name, None)
        return name

    def named_sentences(self) -> list[Sentence]:
        """The sentences, the byline's name given the form a label of the text uses."""
        if self.byline is None:
            return self.sentences
        byline = self.byline.lower()
        labels = [n for n in self._names if n != self.byline and n.lower() in byline]
        name = max(labels, key=len) if labels else None
        # A byline names the opening speaker only when a label names them too: a
        # reporter's byline is not a speaker, and a wrong name is worse than none.
        return [replace(s, speaker=name) if s.speaker == self.byline else s
                for s in self.sentences]

    def _break(self) -> None:
        self._flush()
        if self._open:
            self.paragraph += 1
            self._open = False

    def _emit(self, block: Block) -> None:
        self.set_aside.append(SetAside(block.kind, block.text, after=len(self.sentences) - 1))

    def _flush(self, uncertain: bool = False) -> None:
        """Split the collected text into sentences; floating blocks go before theirs."""
        text = " ".join(self._parts)
        floating = iter(self._floating)
        pending = next(floating, None)
        for a, b in iter_sentence_spans(text, self.language) if text else ():
            while pending is not None and pending[0] < b:
                self._emit(pending[1])
                pending = next(floating, None)
            self._sentence(text[a:b], uncertain)
        while pending is not None:
            self._emit(pending[1])
            pending = next(floating, None)
        self._parts, self._length, self._floating = [], 0, []

    def _sentence(self, text: str, uncertain: bool) -> None:
        if not any(ch.isalnum() for ch in text):
            # Nothing to say ("***", "--"): shown, but not given to the aligner.
            self._emit(Block(Kind.DIRECTION, text))
            return
        if self.limit is not None and len(self.sentences) >= self.limit:
            raise TooManySentences(self.limit)
        if uncertain:
            self.uncertain.add(len(self.sentences))
        self._open = True
        self.sentences.append(
            Sentence(
                index=len(self.sentences), text=text, speaker=self.speaker,
                paragraph=self.paragraph,
            )
        )
