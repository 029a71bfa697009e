"""Raw transcript text -> a Script: the sentences to align and the blocks not spoken.

    read_transcript(raw: str) -> Script

Every word of `raw` ends up in exactly one sentence or one set-aside block, in order.
The text is checked, read by the reader of its kind (`alignment.documents.read` tells
the kind: JSON segments, a caption file for `cues`, lines for `layout`), and the events
the readers give are built into sentences (`builder`).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from alignment import documents
from alignment.documents.json_transcripts import Aside, Segment
from alignment.errors import TranscriptError
from alignment.marks import unmarked
from alignment.sentences import spoken_form
from alignment.syncmap import Sentence, SetAside, SyncMap
from alignment.transcript.builder import Builder
from alignment.transcript.cues import cue_events
from alignment.transcript.events import BREAK, Block, Event, Turn
from alignment.transcript.layout import plain_events

__all__ = ["Script", "read_transcript"]


@dataclass(frozen=True)
class Script:
    """A transcript made ready for alignment.

    sentences: in order, times zero, with text exactly as written, speaker, paragraph, id.
    spoken:    one string per sentence, the form handed to the synthesiser.
    uncertain: indices of sentences that may not be spoken at all (a title, a byline);
               the aligner lets the audio decide and is quick to mark them unaligned.
    set_aside: the unspoken blocks, each with `after` = index of the sentence it follows.
    """

    sentences: tuple[Sentence, ...]
    spoken: tuple[str, ...]
    set_aside: tuple[SetAside, ...] = ()
    uncertain: frozenset[int] = frozenset()


def read_transcript(raw: str, language: str = "eng", max_sentences: int | None = None,
                    ) -> Script:
    """Read a transcript as the user has it (see the module doc) into a Script.

    `language` is an ISO 639-3 code as aeneas takes it ("eng", "deu", "fra", ...); it picks
    the sentence rules and the spoken form, falling back to English where there are none.
    Raises TranscriptError when the text is empty, binary, or has nothing spoken in it;
    TooManySentences as soon as a sentence beyond `max_sentences` is found, so a transcript
    over a server's limit costs the reading of that many, not of all of it.
    """
    text = _checked(raw)
    builder = Builder(language, limit=max_sentences)
    for event in _events(text):
        builder.feed(event)
    builder.finish()
    if not builder.sentences:
        raise TranscriptError(
            "The transcript has no spoken text: all of it reads as headers, speaker labels, "
            "timestamps or stage directions. Add the words that are said in the recording."
        )
    sentences = SyncMap(sentences=tuple(builder.named_sentences())).with_ids().sentences
    return Script(
        sentences=sentences,
        spoken=tuple(spoken_form(unmarked(s.text), language) or s.text for s in sentences),
        set_aside=tuple(builder.set_aside),
        uncertain=frozenset(builder.uncertain),
    )


def _checked(raw: str | bytes) -> str:
    """The text, after refusing what cannot be a transcript."""
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise TranscriptError(
                "The transcript is not UTF-8 text. Save it as UTF-8 plain text and upload it again."
            ) from None
    if not isinstance(raw, str):
        raise TranscriptError("The transcript must be text. Give the transcript as a string.")
    if _looks_binary(raw):
        raise TranscriptError(
            "The transcript looks like a binary file, not text. Give the file itself (.docx, "
            ".pdf, .html, .txt, .md, .vtt, .srt, .sbv, .json) so that its kind can be read, "
            "or paste the text."
        )
    raw = raw.removeprefix("\ufeff")  # a byte-order mark is not a word
    if not raw.strip():
        raise TranscriptError(
            "The transcript is empty. Paste or upload the text that is said in the recording."
        )
    return raw


_CONTROLS = [chr(c) for c in range(32) if chr(c) not in "\t\n\r\f\v"]


def _looks_binary(raw: str) -> bool:
    if "\x00" in raw:
        return True
    controls = sum(map(raw.count, _CONTROLS))  # C loops, not one per character
    return controls > max(8, len(raw) // 20)


def _events(text: str) -> Iterator[Event]:
    """The events of the text, by the reader of its kind (`documents.read` tells it)."""
    document = documents.read(text)
    if isinstance(document, documents.Segments):
        return _json_events(document.items)
    if isinstance(document, documents.Captions):
        return cue_events(document.lines, document.vtt)
    return plain_events(document)


def _json_events(segments: list[Segment | Aside]) -> Iterator[Event]:
    for segment in segments:
        if isinstance(segment, Aside):
            yield Block(segment.kind, segment.text)
            continue
        if segment.new_paragraph:
            yield BREAK
        # The name is shown at each turn, as a label would be.
        yield Turn(segment.speaker, segment.speaker or "", can_float=True)
        yield segment.text
