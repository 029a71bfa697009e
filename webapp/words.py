"""A sentence's words and their times as the program keeps them and ships them.

The words of a sentence are `alignment.split_words` of its text, in order, so their
texts need not be stored: what is kept is their times, written compactly as the
differences between successive times (first word's begin, its length, the gap to the
next word, its length, ...), which for speech are a few digits each. A four-hour
hearing's 150,000 words take about 8 bytes each this way.

    stored(words, text)   the `words` column of a sentence row: JSON, or "" for none
    from_stored(data, text)   the words again (none when they no longer fit the text)
    fits(data, text)      whether stored words are the text's own
    page_times(words)     the same times as the page carries them (`data-words`)
    word_at(text, offset) which word a character of the text belongs to
    first_marked_begin    where a search hit starts: the first word it marked

The page's copy of `split_words` is `static/player/words.mjs`; both run the cases in
`tests/data/word_cases.json`, so the browser finds the same words as the server.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Sequence

from alignment import Word, split_words

__all__ = ["first_marked_begin", "fits", "from_stored", "page_times", "stored", "word_at"]


def _steps(words: Sequence[Word]) -> list[int]:
    """begin, end, begin, end ... (ms) as differences from the time before (the first
    as it is): small numbers, whatever the length of the recording."""
    times = [t for w in words for t in (int(w.begin), int(w.end))]
    return [times[0]] + [b - a for a, b in itertools.pairwise(times)]


def stored(words: Sequence[Word], text: str) -> str:
    """The words of the sentence whose text is `text`, as its row keeps them:
    `{"t": [steps]}`, with `"x"` the positions of words not heard, and `"w"` the
    words' texts only when they are not the text's own `split_words` (another tool's
    JSON may cut its words otherwise). "" when there are none."""
    if not words:
        return ""
    doc: dict = {"t": _steps(words)}
    unheard = [i for i, w in enumerate(words) if not w.aligned]
    if unheard:
        doc["x"] = unheard
    texts = [w.text for w in words]
    if texts != split_words(text):
        doc["w"] = texts
    return json.dumps(doc, separators=(",", ":"), ensure_ascii=False)


def from_stored(data: str | None, text: str) -> tuple[Word, ...]:
    """The words a row keeps (`stored`) for the sentence `text`; none when it keeps
    none, or when their number is not the text's: words are never shown for a text
    they were not found for."""
    if not data:
        return ()
    doc = json.loads(data)
    times = list(itertools.accumulate(doc["t"]))
    texts = doc.get("w") or split_words(text)
    if len(times) != 2 * len(texts):
        return ()
    unheard = set(doc.get("x", ()))
    return tuple(Word(t, times[2 * i], times[2 * i + 1], i not in unheard)
                 for i, t in enumerate(texts))


def fits(data: str, text: str) -> bool:
    """True when the stored words `data` are `text`'s own words, one for one (the
    words an aligner found for this text, not another's)."""
    if not data:
        return False
    doc = json.loads(data)
    return "w" not in doc and len(doc["t"]) == 2 * len(split_words(text))


def page_times(words: Sequence[Word]) -> str:
    """The words' times for the page (`data-words` on the sentence): the steps of
    `stored`, space-separated; the page finds the words in the text itself."""
    return " ".join(map(str, _steps(words))) if words else ""


def word_at(text: str, offset: int) -> int:
    """The position (in `split_words(text)`) of the word that the character at
    `offset` belongs to, when it is in a run of non-space with a letter or digit in it
    (where a search's match starts) or on the space between two words (then it is the
    word after it)."""
    # the word holding `offset` is the last of the text cut there with a letter put in
    # its place: the letter joins the run it is written into, or starts the next one
    on_space = offset >= len(text) or text[offset].isspace()
    return len(split_words(text[:offset] + (" x" if on_space else "x"))) - 1


def first_marked_begin(marked: str, data: str, open_mark: str, close_mark: str) -> int | None:
    """When the words a search marked in a sentence begin (ms): `marked` is the
    sentence's text with `open_mark` ... `close_mark` around the matches, `data` its
    stored words (`stored`). The engine marks every place each query word occurs, so a
    quoted line's "and" is marked wherever the sentence says "and": the start is the
    first word of the shortest stretch holding every word it marked (`_tightest`). None
    when the sentence has no words that fit its text, or nothing is marked."""
    plain, marks = _marks(marked, open_mark, close_mark)
    if not marks:
        return None
    words = from_stored(data, plain)
    if not words:
        return None
    k = word_at(plain, _tightest(marks))
    return words[k].begin if 0 <= k < len(words) else None


def _marks(marked: str, open_mark: str, close_mark: str) -> tuple[str, list[tuple[int, str]]]:
    """The text without its marks, and each mark's start in it with what it marks
    (lower case)."""
    plain: list[str] = []
    marks: list[tuple[int, str]] = []
    at = 0
    for i, piece in enumerate(marked.split(open_mark)):
        inside, _, after = piece.partition(close_mark) if i else ("", "", piece)
        if i:
            marks.append((at, inside.lower()))
        plain += [inside, after]
        at += len(inside) + len(after)
    return "".join(plain), marks


def _tightest(marks: Sequence[tuple[int, str]]) -> int:
    """The start of the shortest stretch (from one mark's start to another's) that holds
    every marked word at least once; the first such stretch."""
    need = len({w for _, w in marks})
    count: dict[str, int] = {}
    best: tuple[int, int] | None = None
    lo = 0
    for end, w in marks:
        count[w] = count.get(w, 0) + 1
        while len(count) == need:
            start, first = marks[lo]
            if best is None or end - start < best[1] - best[0]:
                best = (start, end)
            count[first] -= 1
            if not count[first]:
                del count[first]
            lo += 1
    assert best is not None  # every mark's word is counted by the last mark
    return best[0]
