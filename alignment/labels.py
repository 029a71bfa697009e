"""Speaker labels: whether a line, or the start of one, names who speaks.

    label_name("HOST:") -> "HOST"             the one speaker-label rule (public)
    line_label(line, at_turn_start) -> name   a label on a line of its own
    inline_label(line, periods) -> (label, name, rest)
                                              "HOST: Hello there." opening a line

The transcript reader, SRT's "Name: " prefixes (`formats.srt`) and the player's turn
headings (`webapp.transcript_view`) all decide by this rule, so it sits below them all.
"""

from __future__ import annotations

import re

from alignment.marks import TIME, TIME_ONLY, is_direction_words

__all__ = ["inline_label", "label_name", "line_label", "named_speaker", "uses_period_labels"]

_TRAILING_TIME = re.compile(rf"\s*(?:[\[(]\s*{TIME}\s*[\])]|{TIME})$")
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
    and "1984:" name no one. The one speaker-label rule: the transcript reader, SRT's
    "Name: " prefixes (`formats.srt`) and the player's turn headings (`webapp.transcript_view`)
    all decide by it.
    """
    return named_speaker(label, strong=True)


def named_speaker(text: str, strong: bool) -> str | None:
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
    if note and (is_direction_words(note.group(1)) or TIME_ONLY.fullmatch(note.group(1))):
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


def line_label(line: str, at_turn_start: bool) -> str | None:
    """The speaker if `line` is a label line; weak labels only where a turn may start."""
    if line.endswith(":"):
        return named_speaker(line, strong=True)
    return named_speaker(line, strong=False) if at_turn_start else None


def inline_label(line: str, *, periods: bool) -> tuple[str, str, str] | None:
    """("HOST:", "HOST", "Hello there.") for "HOST: Hello there.", else None.

    `periods`: the text is a hearing's (`uses_period_labels`), where "Q. Did you ..." and
    "Mr. SMITH. Thank you ..." open turns too.
    """
    if periods:
        period = _PERIOD_LABEL.match(line)
        if period:
            return period.group().strip(), period.group(1), line[period.end():].strip()
    colon = re.search(r":[*_]{0,3}\s", line[:120])
    if colon is None:
        return None
    label = line[: colon.end()].rstrip()
    name = named_speaker(label, strong=True)
    rest = line[colon.end():].strip()
    if name is None or not rest:
        return None
    return label, name, rest


def uses_period_labels(lines: list[str]) -> bool:
    """Whether the text is a hearing transcript: "Q." and "A." lines, or "NAME." twice."""
    starts = [m.group(1) for m in map(_PERIOD_LABEL.match, (line.strip() for line in lines)) if m]
    return ("Q" in starts and "A" in starts) or \
        sum(1 for name in starts if name not in ("Q", "A")) >= 2
