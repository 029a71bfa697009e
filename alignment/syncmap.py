"""The result of an alignment: sentences with times, and what was set aside.

Times are integer milliseconds inside the program; `to_dict` writes seconds with three
decimals, the JSON contract other tools read (see README).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import asdict, dataclass, replace
from enum import StrEnum

FORMAT_VERSION = 1


def ms_to_s(ms: int) -> float:
    """Milliseconds to seconds with three decimals, the unit at the program's edges."""
    return round(ms / 1000.0, 3)


def s_to_ms(seconds: float) -> int:
    """Seconds (as given at the edges) to integer milliseconds."""
    return int(round(float(seconds) * 1000.0))


def sentence_id(text: str, occurrence: int = 0) -> str:
    """A stable id for a sentence: its words, and which repeat of them it is.

    The same transcript text gives the same ids whatever the timings, so permalinks
    survive re-alignment.
    """
    key = " ".join(text.split()).lower() + "\x00" + str(occurrence)
    return "s-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:10]


_WORD = re.compile(r"\S+")
_SAYABLE = re.compile(r"\w")


def split_words(text: str) -> list[str]:
    """A sentence's words as the transcript writes them: runs of non-space, with a run
    that holds no letter or digit (a dash, a quote mark standing alone) kept on the word
    before it (or, first in the sentence, the word after it). Joined by single spaces
    they give the sentence's text with its spacing normalised."""
    out: list[str] = []
    pending = ""
    for match in _WORD.finditer(text):
        token = match.group()
        if _SAYABLE.search(token):
            out.append(pending + token)
            pending = ""
        elif out:
            out[-1] += " " + token
        else:
            pending += token + " "
    if pending:
        if out:
            out[-1] += " " + pending.strip()
        else:
            out.append(pending.strip())
    return out


@dataclass(frozen=True)
class Word:
    """One word of a sentence as written, and when it is said (ms). A word not heard
    inside a sentence that was (`aligned` false) takes its neighbours' times."""

    text: str
    begin: int = 0  # ms
    end: int = 0  # ms
    aligned: bool = True

    def to_dict(self) -> dict:
        d: dict = {"text": self.text, "begin": ms_to_s(self.begin), "end": ms_to_s(self.end)}
        if not self.aligned:
            d["aligned"] = False
        return d

    @classmethod
    def from_dict(cls, d: dict) -> Word:
        return cls(text=d["text"], begin=s_to_ms(d["begin"]), end=s_to_ms(d["end"]),
                   aligned=bool(d.get("aligned", True)))


@dataclass(frozen=True)
class Sentence:
    """One sentence as written, who says it, and when."""

    index: int
    text: str
    speaker: str | None = None
    begin: int = 0  # ms
    end: int = 0  # ms
    confidence: float = 0.0
    aligned: bool = True
    paragraph: int = 0  # index of the paragraph it belongs to, for display
    id: str = ""
    # its words with their times (`split_words` of the text); none when it was never
    # said, or when the times came from a tool that gives none
    words: tuple[Word, ...] = ()

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "index": self.index,
            "text": self.text,
            "speaker": self.speaker,
            "begin": ms_to_s(self.begin),
            "end": ms_to_s(self.end),
            "confidence": round(self.confidence, 3),
            "aligned": self.aligned,
            "paragraph": self.paragraph,
            "words": [w.to_dict() for w in self.words],
        }

    @classmethod
    def from_dict(cls, d: dict) -> Sentence:
        return cls(
            index=int(d["index"]),
            text=d["text"],
            speaker=d.get("speaker"),
            begin=s_to_ms(d["begin"]),
            end=s_to_ms(d["end"]),
            confidence=float(d.get("confidence", 1.0)),
            aligned=bool(d.get("aligned", True)),
            paragraph=int(d.get("paragraph", 0)),
            id=d.get("id", ""),
            words=tuple(Word.from_dict(w) for w in d.get("words") or ()),
        )


class Kind(StrEnum):
    """What a set-aside block is: the one list of kinds the readers give and the player
    shows (a block read from another tool's JSON may carry a kind of its own)."""

    HEADER = "header"          # a title, date, dateline or byline above the speech
    FOOTER = "footer"          # what follows the speech: a notice, a copyright
    NAVIGATION = "navigation"  # a saved page's menus and links
    ASIDE = "aside"            # a saved page's sidebar
    HEADING = "heading"        # a heading inside the text (shown as one)
    RULE = "rule"              # a horizontal rule (shown as one)
    PAGE = "page"              # a PDF's running header, page number or line numbers
    LABEL = "label"            # a speaker label ("HOST:"; shown as the turn's heading)
    DIRECTION = "direction"    # a stage direction: [MUSIC], (applause)
    TIMESTAMP = "timestamp"    # a time written in the text: [00:01:10]
    CUE = "cue"                # a caption file's cue numbers, timings and metadata


@dataclass(frozen=True)
class SetAside:
    """Transcript text that is not spoken: a header, a speaker label, a stage direction.

    `kind` is one of `Kind` (a `str`); `after` is the index of the sentence it follows,
    or -1 when it comes first.
    """

    kind: str
    text: str
    after: int = -1

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict) -> SetAside:
        return cls(kind=d["kind"], text=d["text"], after=int(d.get("after", -1)))


@dataclass(frozen=True)
class SyncMap:
    """Sentences in transcript order with their times, plus the set-aside blocks."""

    sentences: tuple[Sentence, ...]
    set_aside: tuple[SetAside, ...] = ()
    language: str = "eng"
    duration: int = 0  # ms
    sha256: str = ""
    # what a reader should know about the result: the text may not fit the recording
    warnings: tuple[str, ...] = ()
    # stretches of speech (begin, end ms) that no sentence of the transcript holds
    untranscribed: tuple[tuple[int, int], ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "sentences", tuple(self.sentences))
        object.__setattr__(self, "set_aside", tuple(self.set_aside))
        object.__setattr__(self, "warnings", tuple(self.warnings))
        object.__setattr__(self, "untranscribed",
                           tuple((int(a), int(b)) for a, b in self.untranscribed))

    @property
    def placed(self) -> int:
        """How many of the sentences were placed (`aligned`)."""
        return sum(1 for s in self.sentences if s.aligned)

    @property
    def speakers(self) -> list[str]:
        """Speakers in order of first appearance."""
        seen: dict[str, None] = {}
        for s in self.sentences:
            if s.speaker:
                seen.setdefault(s.speaker, None)
        return list(seen)

    def with_ids(self) -> SyncMap:
        """Fill in stable ids (text plus occurrence count) where they are missing."""
        counts: dict[str, int] = {}
        out = []
        for s in self.sentences:
            key = " ".join(s.text.split()).lower()
            n = counts.get(key, 0)
            counts[key] = n + 1
            out.append(s if s.id else replace(s, id=sentence_id(s.text, n)))
        return replace(self, sentences=tuple(out))

    def to_dict(self) -> dict:
        return {
            "version": FORMAT_VERSION,
            "language": self.language,
            "audio": {"duration": ms_to_s(self.duration), "sha256": self.sha256},
            "sentences": [s.to_dict() for s in self.sentences],
            "set_aside": [b.to_dict() for b in self.set_aside],
            "warnings": list(self.warnings),
            "untranscribed": [{"begin": ms_to_s(a), "end": ms_to_s(b)}
                              for a, b in self.untranscribed],
        }

    @classmethod
    def from_dict(cls, d: dict) -> SyncMap:
        if d.get("version", FORMAT_VERSION) != FORMAT_VERSION:
            raise ValueError(f"unsupported sync map version {d.get('version')!r}")
        audio = d.get("audio") or {}
        return cls(
            sentences=tuple(Sentence.from_dict(s) for s in d.get("sentences", [])),
            set_aside=tuple(SetAside.from_dict(b) for b in d.get("set_aside", [])),
            language=d.get("language", "eng"),
            duration=s_to_ms(audio.get("duration", 0)),
            sha256=audio.get("sha256", ""),
            warnings=tuple(str(w) for w in d.get("warnings", [])),
            untranscribed=tuple((s_to_ms(u["begin"]), s_to_ms(u["end"]))
                                for u in d.get("untranscribed", [])),
        )
