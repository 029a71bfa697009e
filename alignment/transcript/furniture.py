"""Page furniture: what the lines around a transcript look like when they are not said.

    is_furniture(line) -> bool     a date, "Updated: ...", navigation, a copyright, a notice
    rule_or_heading(line) -> kind  a horizontal rule or a Markdown heading, else None

`layout` decides where the header ends and the footer begins; this module only says what
a line looks like.
"""

from __future__ import annotations

import re

from alignment.marks import TIME
from alignment.syncmap import Kind

__all__ = ["is_furniture", "rule_or_heading"]

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_WEEKDAY = r"(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?\s+"
_DATE = re.compile(
    rf"(?:{_WEEKDAY})?(?:\d{{1,2}}(?:st|nd|rd|th)?[\s\-/.]+{_MONTH}[\s\-/.,]+\d{{2,4}}"
    rf"|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
    rf"|\d{{4}}-\d{{1,2}}-\d{{1,2}}|\d{{1,2}}[/.]\d{{1,2}}[/.]\d{{2,4}})"
    rf"(?:,?\s+(?:at\s+)?{TIME}(?:\s*[ap]\.?m\.?)?)?\.?",
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


def is_furniture(line: str) -> bool:
    """A line of page furniture: a date, "Updated: ...", navigation, a copyright, a notice."""
    words = len(line.split())
    if words <= _NOTICE_WORDS and _NOTICE.search(line):
        return True
    if words > _FURNITURE_WORDS:
        return False  # a paragraph that happens to start with "Updated:" is not furniture
    if _META_KEY.match(line) or _COPYRIGHT.search(line):
        return True
    return any(pattern.fullmatch(line) for pattern in _FURNITURE)


def rule_or_heading(line: str) -> str | None:
    """"rule" for a horizontal rule, "heading" for a Markdown heading, else None."""
    if _RULE.fullmatch(line) and not _HEADING.match(line + " ") or line in ("***", "---"):
        return Kind.RULE
    return Kind.HEADING if _HEADING.match(line) else None
