"""Page furniture of printed transcripts: line numbers, running headers, page numbers.

    unpage(text) -> list[tuple[str | None, str]]

`text` has its pages parted by form feeds ("\\f"), as `alignment.documents.pdf` and
pdftotext give them. The result is the text's lines, `(None, line)`, with the furniture
taken out of them as `("page", text)` blocks: one at the top of each page (its running
header, its page number and the numbers of its lines) and one at the bottom (a running
footer, a page number). Nothing is dropped: the numbers of a page's lines move into its
top block, in order, so a sentence that runs across lines or pages stays whole.
"""

from __future__ import annotations

import re
from collections import Counter

from alignment.syncmap import Kind

__all__ = ["unpage"]

_NUMBERED = re.compile(r"^\s*(\d{1,2})(?:\s+|$)")
_PAGE_NUMBER = re.compile(
    r"(?:page\s+)?\d{1,4}(?:\s+of\s+\d{1,4})?|[-–]\s*\d{1,4}\s*[-–]|\[\s*\d{1,4}\s*\]",
    re.IGNORECASE,
)
_ZONE = 2  # lines at the top and at the bottom of a page where furniture may stand
_NUMBERED_SHARE = 0.6


def unpage(text: str) -> list[tuple[str | None, str]]:
    """The lines of a paged text with its furniture set aside (see the module doc)."""
    pages = [page.splitlines() for page in text.split("\f") if page.strip()]
    pages = [_strip_numbers(lines) for lines in pages]
    # a line the transcript numbered is the transcript's own, never furniture
    running = _running_lines([[line for i, line in enumerate(lines) if i not in numbered]
                              for _, lines, numbered in pages])
    out: list[tuple[str | None, str]] = []
    for numbers, lines, numbered in pages:
        content = [i for i, line in enumerate(lines) if line.strip() and i not in numbered]
        top = _leading(content[:_ZONE], lines, running)
        bottom = _leading(content[::-1][:_ZONE], lines, running)[::-1]
        bottom = [i for i in bottom if i not in top]
        head = [lines[i].strip() for i in top] + numbers
        if head:
            out.append((Kind.PAGE, " ".join(head)))
        for i, line in enumerate(lines):
            if i not in top and i not in bottom:
                out.append((None, line))
        if bottom:
            out.append((Kind.PAGE, " ".join(lines[i].strip() for i in bottom)))
    return out


def _leading(indices: list[int], lines: list[str], running: set[str]) -> list[int]:
    """The first of `indices` whose lines are furniture, up to the first that is not."""
    out = []
    for i in indices:
        if not _is_furniture(lines[i], running):
            break
        out.append(i)
    return out


def _strip_numbers(lines: list[str]) -> tuple[list[str], list[str], set[int]]:
    """A page whose lines are numbered 1, 2, 3 ...: the numbers, the lines without, and
    which lines were numbered."""
    content = [line for line in lines if line.strip()]
    matches = [_NUMBERED.match(line) for line in lines]
    expected, hits = 1, 0
    for match in matches:
        if match and int(match.group(1)) == expected:
            expected += 1
            hits += 1
    if hits < 5 or hits < _NUMBERED_SHARE * len(content):
        return [], lines, set()
    numbers: list[str] = []
    stripped: list[str] = []
    numbered: set[int] = set()
    expected = 1
    for i, (line, match) in enumerate(zip(lines, matches, strict=True)):
        if match and int(match.group(1)) == expected:
            expected += 1
            numbers.append(match.group(1))
            numbered.add(i)
            line = line[match.end():]
        stripped.append(line)
    return numbers, stripped, numbered


def _key(line: str) -> str:
    return re.sub(r"\d+", "#", " ".join(line.lower().split()))


def _running_lines(pages: list[list[str]]) -> set[str]:
    """Lines (digits ignored) at the top or bottom of at least half the pages (two or more)
    and nowhere in between: a line that is also said in the body of a page is speech."""
    if len(pages) < 2:
        return set()
    counts: Counter[str] = Counter()
    body: set[str] = set()
    for lines in pages:
        content = [line for line in lines if line.strip()]
        counts.update({_key(line) for line in content[:_ZONE] + content[-_ZONE:]})
        body.update(_key(line) for line in content[_ZONE:-_ZONE])
    need = max(2, (len(pages) + 1) // 2)
    return {key for key, n in counts.items() if n >= need and key not in body}


def _is_furniture(line: str, running: set[str]) -> bool:
    return _key(line) in running or bool(_PAGE_NUMBER.fullmatch(line.strip()))
