"""Raw transcript text -> sentences to align, and the blocks that are not spoken.

INTERFACE (implemented by the transcript helper; the aligner relies on it):

    read_transcript(raw: str) -> Script

Every word of `raw` ends up in exactly one sentence or one set-aside block, in order.
"""

from __future__ import annotations

from dataclasses import dataclass

from alignment.errors import TranscriptError
from alignment.syncmap import SetAside, Sentence

__all__ = ["Script", "TranscriptError", "read_transcript"]


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
