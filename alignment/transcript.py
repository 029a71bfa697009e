"""Raw transcript text -> sentences to align, and the blocks that are not spoken.

INTERFACE (implemented by the transcript helper; the aligner relies on it):

    read_transcript(raw: str) -> Script

Every word of `raw` ends up in exactly one sentence or one set-aside block, in order.

How a text is read:

- WebVTT ("WEBVTT" first) and SRT (a number, then a "-->" timing line) are read as cues:
  cue text is spoken, `<v Name>` names the speaker, and cue numbers, timing lines, the
  header and NOTE/STYLE blocks are set aside as kind "cue". Consecutive cues run on into
  one paragraph so a sentence may span cues; a cue's metadata (and a repeated `<v Name>`
  of the same speaker) is then placed before the sentence its text starts in: the only
  place where set-aside text moves. Markup inside
  cue text (`<i>`, `</v>`, `&amp;`, `{\\an8}`) is formatting, not words, and is dropped.
- Anything else is plain text: a header (dates, "Updated: ...", navigation) and a footer
  are set aside; short unpunctuated lines at the top (a place, a byline, a title) become
  sentences marked uncertain so the audio decides. Speaker labels (a line of their own,
  or "NAME:" opening a line) change the speaker and are kept as "label" blocks; stage
  directions ([MUSIC], (applause)) and timestamps anywhere in a line are set aside where
  they stand, so text around one inline is split there.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field, replace

from alignment.documents.html import looks_like_html, page_lines
from alignment.documents.json_transcripts import Aside, Segment, read_json
from alignment.documents.paged import unpage
from alignment.errors import TooManySentences, TranscriptError
from alignment.formats import captions
from alignment.sentences import iter_sentence_spans, spoken_form
from alignment.syncmap import Kind, Sentence, SetAside, SyncMap

__all__ = ["Script", "TranscriptError", "label_name", "read_transcript"]


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
    builder = _Builder(language, limit=max_sentences)
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
        spoken=tuple(spoken_form(_unmarked(s.text), language) or s.text for s in sentences),
        set_aside=tuple(builder.set_aside),
        uncertain=frozenset(builder.uncertain),
    )


# --- input checks ----------------------------------------------------------------------


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


# --- events: what the readers hand the builder -----------------------------------------


@dataclass(frozen=True)
class _Block:
    """A set-aside block. A floating one does not split the sentence around it."""

    kind: str
    text: str
    floating: bool = False


@dataclass(frozen=True)
class _Turn:
    """A speaker label: who speaks from here. `can_float`: a repeat need not break.
    An empty `label` names the speaker without a block (a byline, a JSON segment)."""

    speaker: str | None
    label: str
    can_float: bool = False


@dataclass(frozen=True)
class _Uncertain:
    """A header line that may or may not be said: a paragraph of uncertain sentences."""

    text: str


@dataclass(frozen=True)
class _Byline:
    """The person a byline names, who may speak the unlabelled opening turn."""

    name: str


class _Break:
    """A paragraph break."""


_BREAK = _Break()
_Event = str | _Block | _Turn | _Uncertain | _Byline | _Break


def _events(text: str) -> Iterator[_Event]:
    segments = read_json(text)
    if segments is not None:
        return _json_events(segments)
    if looks_like_html(text):
        return _plain_events(_Lines.of(page_lines(text)))
    if "\f" in text:
        return _plain_events(_Lines.of(unpage(text)))
    lines = text.splitlines()
    content = [line.strip() for line in lines if line.strip()][:2]
    if captions.is_webvtt(lines):
        return _cue_events(lines, vtt=True)
    timing = next((line for line in content if captions.is_timing(line)), None)
    if timing and (content[0] == timing or content[0].isdigit()):
        # SRT, YouTube's SBV, or WebVTT cues without their header.
        return _cue_events(lines, vtt="." in timing.partition("-->")[0])
    return _plain_events(_Lines(lines))


class _Lines(list):
    """A document's lines; `fixed` maps the index of a line already known to be set aside
    (a page's menu, a PDF's running header) to its kind."""

    fixed: dict[int, str]

    def __init__(self, lines: Iterable[str] = (), fixed: dict[int, str] | None = None) -> None:
        super().__init__(lines)
        self.fixed = fixed or {}

    @classmethod
    def of(cls, pieces: list[tuple[str | None, str]]) -> _Lines:
        return cls([text for _, text in pieces],
                   {i: kind for i, (kind, _) in enumerate(pieces) if kind is not None})


def _fixed(lines: list[str], i: int) -> str | None:
    return lines.fixed.get(i) if isinstance(lines, _Lines) else None


def _json_events(segments: list[Segment | Aside]) -> Iterator[_Event]:
    for segment in segments:
        if isinstance(segment, Aside):
            yield _Block(segment.kind, segment.text)
            continue
        if segment.new_paragraph:
            yield _BREAK
        # The name is shown at each turn, as a label would be.
        yield _Turn(segment.speaker, segment.speaker or "", can_float=True)
        yield segment.text


# --- the builder: events -> sentences and set-aside blocks -----------------------------


@dataclass
class _Builder:
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
    _floating: list[tuple[int, _Block]] = field(default_factory=list)
    _names: dict[str, None] = field(default_factory=dict)
    byline: str | None = None

    def feed(self, event: _Event) -> None:
        if isinstance(event, str):
            self._text(event)
        elif isinstance(event, _Block):
            self._block(event)
        elif isinstance(event, _Turn):
            self._turn(event)
        elif isinstance(event, _Uncertain):
            self._uncertain(event.text)
        elif isinstance(event, _Byline):
            self.byline = event.name
            self._turn(_Turn(event.name, ""))
        else:
            self._break()

    def finish(self) -> None:
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

    def _block(self, block: _Block) -> None:
        if block.floating:
            # Remember where the next text starts; placed when the sentences are known.
            self._floating.append((self._length + (1 if self._parts else 0), block))
            return
        self._flush()
        self._emit(block)

    def _turn(self, turn: _Turn) -> None:
        speaker = self._canonical(turn.speaker)
        if turn.can_float and speaker == self.speaker:
            if turn.label:
                self._block(_Block(Kind.LABEL, turn.label, floating=True))
            return
        self._break()
        self.speaker = speaker
        if turn.label:
            self._emit(_Block(Kind.LABEL, turn.label))

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

    def _emit(self, block: _Block) -> None:
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
            self._emit(_Block(Kind.DIRECTION, text))
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


# --- marks: timestamps and stage directions --------------------------------------------

_TIME = r"\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?"
_TIME_ONLY = re.compile(_TIME)
_TRAILING_PUNCT = r"[.,;:!?…]*"
_MARK = re.compile(
    rf"(?:\[[^\[\]\n]{{1,100}}\]|\([^()\n]{{1,60}}\)"
    rf"|(?<![\w:.,])\d{{1,2}}:\d{{2}}:\d{{2}}(?:[.,]\d{{1,3}})?(?![\w:])){_TRAILING_PUNCT}"
)
# "05:10 Hello" at a line's start; "10:30" alone is a time only on a line of its own,
# since "10:30 is when we met" is speech.
_LINE_START_TIME = re.compile(r"(\d{1,2}):[0-5]\d(?:[.,]\d{1,3})?(?=\s|$)")
_DIRECTION_WORDS = frozenset(
    "applause laughter laughs laughing laugh music inaudible unintelligible indistinct "
    "crosstalk cross-talk silence pause pauses cheers cheering coughs coughing cough sighs "
    "sigh chuckles chuckling booing boos groans noise break recess interruption overlapping "
    "off-mic off mic audio video clip applauding speaking speaks foreign singing sings "
    "phonetic ph end beep bleep static begin commercial unidentified voice-over "
    "on-camera sot vo nat background murmuring whispering whispers gavel "
    "technical difficulties"
    .split()
)


def _mark_kind(mark: str) -> str | None:
    """"timestamp", "direction", or None when the brackets are speech: "(and I mean it)"."""
    core = mark.rstrip(".,;:!?…")
    inner = core[1:-1].strip() if core[0] in "[(" else core
    if _TIME_ONLY.fullmatch(inner):
        return Kind.TIMESTAMP
    if core[0] == "[":
        return Kind.DIRECTION  # square brackets are the transcriber's, never the speaker's
    return Kind.DIRECTION if _is_direction_words(inner) else None


def _is_direction_words(text: str) -> bool:
    first = re.split(r"[\s,.;:!?]+", text.strip().lower(), maxsplit=1)[0]
    return first in _DIRECTION_WORDS


def _leading_marks(line: str) -> tuple[list[_Block], str]:
    """Timestamps and directions opening a line, and the rest of it."""
    blocks = []
    rest = line
    while rest:
        match = _MARK.match(rest)
        kind = _mark_kind(match.group()) if match else None
        if kind is None:
            match = _LINE_START_TIME.match(rest)
            whole_line = match is not None and match.end() == len(rest)
            if match is None or not (whole_line or match.group(1).startswith("0")):
                break
            kind = Kind.TIMESTAMP
        blocks.append(_Block(kind, match.group()))
        rest = rest[match.end():].strip()
    return blocks, rest


_ENDS_SENTENCE = ".!?…\"”’"


def _split_marks(text: str) -> Iterator[str | _Block]:
    """Text with the marks between its sentences set aside where they stand.

    A mark inside a sentence ("cost us eleven [inaudible] months") stays in its text, as
    an editor would print it: cutting there would make two sentences of one. It is left
    out of what the synthesiser reads (`_unmarked`).
    """
    start = 0
    for match in _MARK.finditer(text):
        kind = _mark_kind(match.group())
        if kind is None:
            continue
        before = text[start:match.start()].strip()
        if before and before[-1] not in _ENDS_SENTENCE and text[match.end():].strip():
            continue
        if before:
            yield before
        yield _Block(kind, match.group())
        start = match.end()
    if text[start:].strip():
        yield text[start:].strip()


def _unmarked(sentence: str) -> str:
    """The sentence without the marks kept inside it, for the synthesiser."""
    def drop(match: re.Match[str]) -> str:
        mark = match.group()
        if _mark_kind(mark) is None:
            return mark
        return " " + mark[len(mark.rstrip(".,;:!?…")):]  # keep the punctuation after it

    return _MARK.sub(drop, sentence).strip() or sentence


# --- speaker labels --------------------------------------------------------------------

_TRAILING_TIME = re.compile(rf"\s*(?:[\[(]\s*{_TIME}\s*[\])]|{_TIME})$")
_NOTE = re.compile(r"\s*\(([^()]{1,40})\)$")
_MAX_LABEL_WORDS = 6
_MAX_CAPS_LABEL_WORDS = 12  # "JOE BIDEN, PRESIDENT OF THE UNITED STATES:"
_EMPHASIS_OPEN = re.compile(r"^\s*[*_]{1,3}(?=\S)")
_EMPHASIS_CLOSE = re.compile(r"(?<=\S)[*_]{1,3}(\s*:)?\s*$")
# Hearing transcripts: "Q. Did you ...", "CHAIRMAN JONES. The committee ...",
# "Mr. SMITH. Thank you ...", "The CHAIRMAN. ..." (only where the text uses them twice).
_PERIOD_LABEL = re.compile(
    r"^((?:Q|A)|(?:[A-Z][a-z]+\.?\s+){1,2}[A-Z][A-Z'’\-]+(?:\s+[A-Z][A-Z'’\-]+)?"
    r"|[A-Z][A-Z'’\-]+\s+[A-Z][A-Z'’\-]+)\.\s+(?=\S)"
)
_PERIOD_LABELS: ContextVar[bool] = ContextVar("period_labels", default=False)
_CONNECTORS = frozenset("of the de da del der van von la le du di bin al y".split())
_ABBREVIATIONS = frozenset(
    "mr. mrs. ms. dr. prof. st. jr. sr. rev. gen. col. lt. sgt. capt. sen. rep. gov.".split()
)
# Words that make "X:" a heading or a sentence rather than a speaker.
_NOT_NAMES = frozenset(
    "i you we he she it they is are was were be yes no ok okay thank thanks please hello "
    "hi so well and but or not note notes example warning update updated source date time "
    "location subject re ps summary title transcript chapter part section step tip contents "
    "index homepage audio video file speeches episode conference agenda".split()
)
# A line of its own starting with these is more likely a title than a name.
_TITLE_STARTS = frozenset(
    "the a an in on at for to by from with about how why what when where who our my your "
    "this that these".split()
)


def label_name(label: str) -> str | None:
    """The speaker a written label names, or None when it does not read as a name.

    "HOST:" -> "HOST", "**Dana Whitfield:**" -> "Dana Whitfield", "Lord Robertson
    (00:00:01):" -> "Lord Robertson", "JOHN (laughing):" -> "JOHN"; "Note:", "however:"
    and "1984:" name no one. The one speaker-label rule: this reader, SRT's "Name: "
    prefixes (`formats.srt`) and the player's turn headings (`webapp.transcript_view`)
    all decide by it.
    """
    return _label_name(label, strong=True)


def _label_name(text: str, strong: bool) -> str | None:
    """The speaker a label names, or None if `text` is not a label.

    Strong labels end in ":" (or open a line with "NAME: "); weak ones are a line of their
    own without a colon and must look more like a name: "MODERATOR", "Secretary General".
    """
    name = _EMPHASIS_CLOSE.sub(lambda m: m.group(1) or "", _EMPHASIS_OPEN.sub("", text.strip()))
    if name.endswith(":"):
        name, strong = name[:-1].rstrip(), True
    name = _EMPHASIS_CLOSE.sub("", name)  # "**Dana** (0:01):" -> "Dana (0:01)"
    timed = _TRAILING_TIME.sub("", name)  # "Speaker 2 (00:04:12)" -> "Speaker 2"
    if timed != name:
        name, strong = timed, True  # a name with a time is a label (Otter, Trint, Rev)
    note = _NOTE.search(name)
    base = name[: note.start()] if note else name
    if note and (_is_direction_words(note.group(1)) or _TIME_ONLY.fullmatch(note.group(1))):
        name = base  # "JOHN (laughing)" -> "JOHN"; "(interpreter)" stays
    words = base.split()
    if not words or not _looks_like_name(base, words, strong):
        return None
    if not strong and not _looks_like_label_line(base, words):
        return None
    if base.isupper() and "," in base:
        # "ANDERSON COOPER, CNN HOST": the person is the name, the role stays in the label
        name = base.split(",")[0]
    return name.strip()


def _looks_like_name(base: str, words: list[str], strong: bool = False) -> bool:
    longest = _MAX_CAPS_LABEL_WORDS if strong and base.isupper() else _MAX_LABEL_WORDS
    if len(words) > longest or not words[0][0].isupper():
        return False
    if not all(_is_name_word(word.rstrip(",")) for word in words):
        return False
    if base[-1] in ",;!?" or {w.lower().strip(".,") for w in words} & _NOT_NAMES:
        return False
    last = words[-1]
    return not last.endswith(".") or last.lower() in _ABBREVIATIONS or len(last) == 2


def _is_name_word(word: str) -> bool:
    if not word:
        return False
    if word.lower() in _CONNECTORS or (word.isdigit() and len(word) <= 3):
        return True
    return word[0].isupper() and all(ch.isalnum() or ch in "'’.-" for ch in word)


def _looks_like_label_line(base: str, words: list[str]) -> bool:
    if len(words) == 1:
        return base.isupper()  # "MODERATOR", "Q"; a lone "Introduction" is a heading
    return words[0].lower() not in _TITLE_STARTS


def _line_label(line: str, at_turn_start: bool) -> str | None:
    """The speaker if `line` is a label line; weak labels only where a turn may start."""
    if line.endswith(":"):
        return _label_name(line, strong=True)
    return _label_name(line, strong=False) if at_turn_start else None


def _inline_label(line: str) -> tuple[str, str, str] | None:
    """("HOST:", "HOST", "Hello there.") for "HOST: Hello there.", else None."""
    if _PERIOD_LABELS.get():
        period = _PERIOD_LABEL.match(line)
        if period:
            return period.group().strip(), period.group(1), line[period.end():].strip()
    colon = re.search(r":[*_]{0,3}\s", line[:120])
    if colon is None:
        return None
    label = line[: colon.end()].rstrip()
    name = _label_name(label, strong=True)
    rest = line[colon.end():].strip()
    if name is None or not rest:
        return None
    return label, name, rest


def _uses_period_labels(lines: list[str]) -> bool:
    """Whether the text is a hearing transcript: "Q." and "A." lines, or "NAME." twice."""
    starts = [m.group(1) for m in map(_PERIOD_LABEL.match, (line.strip() for line in lines)) if m]
    return ("Q" in starts and "A" in starts) or \
        sum(1 for name in starts if name not in ("Q", "A")) >= 2


# --- plain text ------------------------------------------------------------------------

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_WEEKDAY = r"(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?\s+"
_DATE = re.compile(
    rf"(?:{_WEEKDAY})?(?:\d{{1,2}}(?:st|nd|rd|th)?[\s\-/.]+{_MONTH}[\s\-/.,]+\d{{2,4}}"
    rf"|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
    rf"|\d{{4}}-\d{{1,2}}-\d{{1,2}}|\d{{1,2}}[/.]\d{{1,2}}[/.]\d{{2,4}})"
    rf"(?:,?\s+(?:at\s+)?{_TIME}(?:\s*[ap]\.?m\.?)?)?\.?",
    re.IGNORECASE,
)
_META_KEY = re.compile(
    r"(?:last\s+)?(?:updated|posted|published|date|dated|recorded|released|source|location"
    r"|duration|length|runtime|url|link|tags|category|filed under|transcribed by"
    r"|transcript by)\s*:",
    re.IGNORECASE,
)
_NAV_TARGET = (
    r"(?:the\s+)?(?:home\s*page|home|index|top(?:\s+of\s+(?:the\s+)?page)?|contents"
    r"|table\s+of\s+contents|main\s+menu|menu|previous\s+page|next\s+page|search|site\s*map)"
)
_NAVIGATION = re.compile(
    rf"(?:(?:(?:go|back|return|skip)\s+to\s+{_NAV_TARGET}|top\s+of\s+page|print(?:\s+this)?"
    rf"(?:\s+page)?|share|e-?mail\s+this(?:\s+page)?)[\s|»›>·•-]*)+",
    re.IGNORECASE,
)
_FURNITURE = [
    _DATE,
    _NAVIGATION,
    re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE),
    re.compile(r"page\s+\d+(?:\s+of\s+\d+)?", re.IGNORECASE),
    re.compile(r"(?:full\s+|official\s+)?transcript[.:]?", re.IGNORECASE),
    re.compile(r"[-–—*#\s]*end\s+of\s+(?:the\s+)?(?:transcript|document|file)[-–—*#.\s]*",
               re.IGNORECASE),
]
_COPYRIGHT = re.compile(r"^(?:©|\(c\)|copyright\b)|all rights reserved", re.IGNORECASE)
_FURNITURE_WORDS = 15
# Lines at the top this short and without a sentence ending may be a title or a byline.
_HEADERISH_WORDS = 15
_HEADER_UNITS = 12
_SENTENCE_END = ".!?…,;:\"”’)»"


# Notices a publisher puts above or below a transcript.
_NOTICE = re.compile(
    r"rush\s+transcript|transcripts?\s+(?:may|might|is|are|was|were|has|have|had|can)\s+"
    r"(?:be\s+|been\s+)?(?:contain|edited|generated|produced|provided|automatically|machine)"
    r"|copy\s+may\s+not\s+be\s+in\s+its\s+final\s+form|transcri(?:bed|ption)\s+by\b"
    r"|automatically\s+(?:generated|transcribed)|may\s+contain\s+errors",
    re.IGNORECASE,
)
_NOTICE_WORDS = 40
_RULE = re.compile(r"(?:[-–—_*=~•·#]\s*){3,}")
_HEADING = re.compile(r"#{1,6}(?:\s|$)")
# At most this much text after a rule at the end of the text is a footer.
_FOOTER_LINES = 4
_FOOTER_WORDS = 80
# A copy of YouTube's "Show transcript": a time on a line of its own every few words.
_TIMED_SHARE = 0.2
_SPOKEN_TIME = re.compile(
    r"(?:\d+\s+hours?,?\s*)?(?:\d+\s+minutes?,?\s*)?(?:\d+\s+seconds?)?", re.IGNORECASE
)


def _is_furniture(line: str) -> bool:
    """A line of page furniture: a date, "Updated: ...", navigation, a copyright, a notice."""
    words = len(line.split())
    if words <= _NOTICE_WORDS and _NOTICE.search(line):
        return True
    if words > _FURNITURE_WORDS:
        return False  # a paragraph that happens to start with "Updated:" is not furniture
    if _META_KEY.match(line) or _COPYRIGHT.search(line):
        return True
    return any(pattern.fullmatch(line) for pattern in _FURNITURE)


def _is_headerish(text: str) -> bool:
    return len(text.split()) <= _HEADERISH_WORDS and text[-1] not in _SENTENCE_END


def _structure(line: str) -> str | None:
    """"rule" for a horizontal rule, "heading" for a Markdown heading, else None."""
    if _RULE.fullmatch(line) and not _HEADING.match(line + " ") or line in ("***", "---"):
        return Kind.RULE
    return Kind.HEADING if _HEADING.match(line) else None


def _plain_events(lines: list[str]) -> Iterator[_Event]:
    token = _PERIOD_LABELS.set(_uses_period_labels(lines))
    try:
        timed = _is_timed(lines)
        stop = _footer_start(lines)
        header, start = _header(lines, stop, timed)
        if start >= stop:
            # Nothing but short unpunctuated lines: a transcript without punctuation, all spoken.
            header = list(_as_spoken(header))
        yield from header
        byline = _byline(header)
        if byline and start < stop and not _opens_with_label(lines, start, stop):
            yield _Byline(byline)
        yield from _body_events(lines, start, stop, timed)
        for i in range(stop, len(lines)):
            line = lines[i].strip()
            if line:
                rule = _structure(line) == Kind.RULE
                kind = _fixed(lines, i) or (Kind.RULE if rule else Kind.FOOTER)
                yield _Block(kind, line)
    finally:
        _PERIOD_LABELS.reset(token)


def _is_timed(lines: list[str]) -> bool:
    """Whether most of the text's lines are parted by times on lines of their own."""
    content = [line.strip() for line in lines if line.strip()]
    bare = sum(1 for line in content if _is_bare_time(line))
    return bare >= 3 and bare >= _TIMED_SHARE * len(content)


def _is_bare_time(line: str) -> bool:
    marks, rest = _leading_marks(line)
    return not rest and bool(marks) and all(m.kind == Kind.TIMESTAMP for m in marks)


def _byline(header: list[_Event]) -> str | None:
    """The first person a byline names: "by NATO Secretary General, Lord Robertson, and
    the Russian President Putin" -> "NATO Secretary General, Lord Robertson"."""
    for event in header:
        if isinstance(event, _Uncertain) and re.match(r"by\s+[A-Z]", event.text):
            person = re.split(r",?\s+and\s+|;|\s+&\s+", event.text[3:], maxsplit=1)[0]
            return person.strip(" ,") or None
    return None


def _opens_with_label(lines: list[str], start: int, stop: int) -> bool:
    rest = _next_content(lines, start, stop)
    return rest is not None and (_inline_label(rest) is not None
                                 or _line_label(rest, at_turn_start=True) is not None)


def _as_spoken(events: Iterable[_Event]) -> Iterator[_Event]:
    for event in events:
        if isinstance(event, _Uncertain):
            yield event.text
            yield _BREAK
        else:
            yield event


def _footer_start(lines: list[str]) -> int:
    """Where the trailing page furniture begins (len(lines) when there is none)."""
    stop = len(lines)
    for i in range(len(lines) - 1, -1, -1):
        line = lines[i].strip()
        if line and not (_fixed(lines, i) or _is_furniture(line)):
            break
        if line:
            stop = i
    # A rule near the end with a little unlabelled text after it: a footer.
    content = [i for i in range(stop) if lines[i].strip()]
    for n, i in enumerate(reversed(content[-(_FOOTER_LINES + 1):])):
        line = lines[i].strip()
        if _fixed(lines, i) is None and _structure(line) == Kind.RULE:
            after = [lines[j].strip() for j in content[len(content) - n:]]
            words = sum(len(text.split()) for text in after)
            if n > 0 and words <= _FOOTER_WORDS and not any(
                    _inline_label(text) or _label_name(text, strong=False) for text in after):
                return i
            break
    return stop


def _header(lines: list[str], stop: int, timed: bool = False) -> tuple[list[_Event], int]:
    """The header's events, and the line where the spoken text starts."""
    events: list[_Event] = []
    units = 0
    i = 0
    while i < stop:
        line = lines[i].strip()
        kind = _fixed(lines, i)
        if kind is not None:
            events.append(_Block(kind, line, floating=kind == Kind.PAGE))
            i += 1
            continue
        if not line:
            i += 1
            continue
        if _is_furniture(line) or _structure(line):
            events.append(_Block(_structure(line) or Kind.HEADER, line))
            i += 1
            continue
        marks, rest = _leading_marks(line)
        if not rest:
            events.extend(marks)
            i += 1
            continue
        if timed or units >= _HEADER_UNITS or _opens_a_turn(lines, i, stop, rest):
            return events, i
        end = _unit_end(lines, i, stop)
        unit = " ".join(line.strip() for line in lines[i:end])
        if marks or not _is_headerish(unit):
            return events, i
        events.append(_Uncertain(unit))
        units += 1
        i = end
    return events, stop


def _opens_a_turn(lines: list[str], i: int, stop: int, rest: str) -> bool:
    """In the header: a label whose next line is plainly speech, or "NAME: text".

    "City Matters: the Central Library reopens" is a title, not a turn: what follows the
    colon is as short and unfinished as a heading.
    """
    head = _inline_label(rest)
    if head:
        return not _is_headerish(head[2])
    if _line_label(rest, at_turn_start=True) is None:
        return False
    following = _next_content(lines, i + 1, stop)
    return following is not None and not _is_headerish(following) and _is_speech(following)


def _unit_end(lines: list[str], i: int, stop: int) -> int:
    """One header item: a line, or lines run on (hard-wrapped) into the next.

    A line runs on when it ends in a comma or a lower-case word ("in the"), or the next
    starts in lower case (but not "by ..."); titles and places end in a name or a number.
    """
    end = i + 1
    while end < stop and lines[end].strip() and _fixed(lines, end) is None \
            and not _is_furniture(lines[end].strip()):
        previous, following = lines[end - 1].strip(), lines[end].strip()
        runs_on = previous[-1] in ",;:-–—" or previous.split()[-1].islower()
        if following.startswith("by ") or not (runs_on or following[0].islower()):
            break  # "by ..." opens a byline of its own
        end += 1
    return end


def _next_content(lines: list[str], j: int, stop: int) -> str | None:
    """The next line with words (after any leading marks), skipping blanks and marks."""
    for k in range(j, stop):
        if _fixed(lines, k) is not None:
            continue
        rest = _leading_marks(lines[k].strip())[1]
        if rest and not _structure(rest):
            return rest
    return None


def _is_speech(line: str) -> bool:
    """Whether a line following a label can be what the label's speaker says."""
    return _inline_label(line) is None and _line_label(line, at_turn_start=True) is None


# Verse (a poem, lyrics, a script in short lines): most lines short, capitalised, and
# not ending a sentence. Each line is then a unit of its own, as it is read.
_VERSE_MIN_LINES = 4
_VERSE_LINE_CHARS = 60


def _verse_lines(lines: list[str], start: int, stop: int) -> set[int]:
    """Indices of the lines that belong to verse paragraphs."""
    verse: set[int] = set()
    i = start
    while i < stop:
        if not lines[i].strip() or _fixed(lines, i) is not None:
            i += 1
            continue
        j = i
        while j < stop and lines[j].strip() and _fixed(lines, j) is None:
            j += 1
        block = [line.strip() for line in lines[i:j]]
        if len(block) >= _VERSE_MIN_LINES:
            short = sum(len(line) <= _VERSE_LINE_CHARS for line in block)
            capital = sum(line[0].isupper() or line[0].isdigit() for line in block)
            open_end = sum(line[-1] not in ".!?…" for line in block)
            labels = sum(_inline_label(line) is not None for line in block)
            if short >= 0.75 * len(block) and capital >= 0.75 * len(block) \
                    and open_end >= 0.5 * len(block) and labels < 0.5 * len(block):
                verse.update(range(i, j))
        i = j
    return verse


def _body_events(lines: list[str], start: int, stop: int,
                 timed: bool = False) -> Iterator[_Event]:
    at_turn_start = True  # a label without a colon may only open a paragraph or follow a sentence
    verse = set() if timed else _verse_lines(lines, start, stop)
    after_time = False
    for i in range(start, stop):
        line = lines[i].strip()
        kind = _fixed(lines, i)
        if kind is not None:
            if line:
                yield _Block(kind, line, floating=kind == Kind.PAGE)
            if kind != Kind.PAGE:
                at_turn_start = True
            continue
        if not line:
            yield _BREAK
            at_turn_start = True
            continue
        structure = _structure(line)
        if structure:
            yield _Block(structure, line)
            at_turn_start = True
            continue
        if timed and after_time and _SPOKEN_TIME.fullmatch(line) and line[0].isdigit():
            # YouTube's "4 seconds" under "0:04", for screen readers
            yield _Block(Kind.TIMESTAMP, line, floating=True)
            after_time = False
            continue
        marks, rest = _leading_marks(line)
        after_time = timed and not rest and bool(marks)
        # In a timed copy the times fall mid-sentence: they float to their sentence's start.
        # Other marks ([Music]) stay where they stand, as in any text.
        yield from (replace(m, floating=True) if timed and m.kind == Kind.TIMESTAMP else m
                    for m in marks)
        if not rest:
            continue
        name = _line_label(rest, at_turn_start)
        following = _next_content(lines, i + 1, stop) if name else None
        if name and following is not None and _is_speech(following):
            yield _Turn(name, rest)
            at_turn_start = True
            continue
        yield from _line_events(rest, can_float=False)
        if i in verse:
            yield _BREAK  # a verse line is shown, and aligned, as a line of its own
        at_turn_start = rest[-1] in ".!?…\"”’)]*"


def _line_events(rest: str, can_float: bool) -> Iterator[_Event]:
    """One line of speech: an opening "NAME:" label, then text and inline marks."""
    head = _inline_label(rest)
    if head:
        label, name, rest = head
        yield _Turn(name, label, can_float=can_float)
        marks, rest = _leading_marks(rest)
        yield from marks
    yield from _split_marks(rest)


# --- WebVTT and SRT --------------------------------------------------------------------

# Cues are read by the one cue reader, `alignment.formats.captions`.
# Consecutive cues run on into one paragraph unless this much silence parts them.
_PARAGRAPH_GAP_MS = 2000


def _cue_events(lines: list[str], vtt: bool) -> Iterator[_Event]:
    previous_end: int | None = None
    for cue in captions.cues(lines, vtt):
        if not isinstance(cue, captions.Cue):
            if vtt and captions.META.match(cue[0].removeprefix("\ufeff")):
                yield _Block(Kind.CUE, "\n".join(cue))
                continue
            for line in cue:  # not a cue: keep its lines as speech rather than lose them
                yield from _cue_line(line, vtt)
            continue
        if previous_end is not None and cue.begin - previous_end >= _PARAGRAPH_GAP_MS:
            yield _BREAK
        previous_end = cue.end
        yield _Block(Kind.CUE, "\n".join(cue.head), floating=True)
        for line in cue.lines:
            yield from _cue_line(line.strip(), vtt)


def _cue_line(line: str, vtt: bool) -> Iterator[_Event]:
    """A line of cue text: voice tags name the speaker; other markup is dropped."""
    start = 0
    for voice in captions.VOICE.finditer(line) if vtt else ():
        yield from _cue_text(line[start:voice.start()], vtt)
        # a name is cue text too: `&quot;`, `&amp;` and the like are characters
        name = captions.voice_name(voice)
        if name:
            yield _Turn(name, voice.group(), can_float=True)
        else:  # a voice span without a name says nothing: keep it as a cue mark
            yield _Block(Kind.CUE, voice.group(), floating=True)
        start = voice.end()
    yield from _cue_text(line[start:], vtt)


def _cue_text(text: str, vtt: bool) -> Iterator[_Event]:
    marks, rest = _leading_marks(captions.cue_text(text, vtt).strip())
    yield from marks
    if rest:
        yield from _line_events(rest, can_float=True)

