"""Full-text search over sentences: the one place that knows the database's search dialect.

SQLite answers with an FTS5 table (`unicode61 remove_diacritics 2`: case- and
accent-insensitive). PostgreSQL, when it comes, gets its `tsvector` here and nothing
else in the program changes: the store calls `create`, `replace` and `delete`, the views
call `search`, and both only see plain rows.

Query language, for people rather than for the engine: bare words match as prefixes
(`enlarg` finds "enlargement"), "quoted phrases" match word for word in order, and
everything else (operators, brackets, stars) is read as plain text, never as syntax. A
phrase whose closing quote is not typed yet matches its last word as a prefix, so the
hits follow the typing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from markupsafe import Markup, escape
from sqlalchemy import Connection, text

__all__ = ["Hit", "create", "delete", "highlight_html", "match_expression", "replace", "search"]

# Marks put around matched words by the engine, then turned into <mark> after escaping.
_OPEN, _CLOSE = "\x02", "\x03"
_PHRASE = re.compile(r'"([^"]*)"?')
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class Hit:
    """One sentence that matches, with its matched words marked."""

    recording_id: str
    recording_title: str
    index: int
    sentence_id: str
    speaker: str | None
    begin: int  # ms
    end: int  # ms
    marked: str  # sentence text, matches between _OPEN and _CLOSE

    @property
    def html(self) -> Markup:
        """The sentence, escaped, with the matched words in <mark>."""
        return highlight_html(self.marked)


def create(conn: Connection) -> None:
    """Create the search index if it is not there yet."""
    if conn.dialect.name != "sqlite":
        raise NotImplementedError(f"full-text search on {conn.dialect.name} is not written yet")
    conn.execute(
        text(
            "CREATE VIRTUAL TABLE IF NOT EXISTS sentence_fts USING fts5("
            "text, recording_id UNINDEXED, idx UNINDEXED, "
            "tokenize = 'unicode61 remove_diacritics 2')"
        )
    )


def delete(conn: Connection, recording_id: str) -> None:
    """Drop a recording's sentences from the index."""
    conn.execute(text("DELETE FROM sentence_fts WHERE recording_id = :r"), {"r": recording_id})


def replace(conn: Connection, recording_id: str, rows: Iterable[tuple[int, str]]) -> None:
    """Index a recording's sentences, given as (index, text), in place of what was there."""
    delete(conn, recording_id)
    # the text indexed must not hold the marks themselves, or a hit's <mark> would not close
    unmark = str.maketrans("", "", _OPEN + _CLOSE)
    params = [{"t": t.translate(unmark), "r": recording_id, "i": i} for i, t in rows]
    if params:
        conn.execute(
            text("INSERT INTO sentence_fts (text, recording_id, idx) VALUES (:t, :r, :i)"), params
        )


def match_expression(query: str) -> str | None:
    """A person's query as an FTS5 MATCH expression, or None when it has no words.

    Every term is quoted, so nothing the person types is read as an operator.
    """
    terms: list[str] = []
    pos = 0
    for m in _PHRASE.finditer(query):
        terms += [f'"{w}"*' for w in _WORD.findall(query[pos : m.start()])]
        words = _WORD.findall(m.group(1))
        if words:
            # a phrase still being typed (no closing quote) matches its last word as a prefix
            closed = m.group(0).endswith('"') and len(m.group(0)) > 1
            terms.append('"' + " ".join(words) + '"' + ("" if closed else "*"))
        pos = m.end()
    terms += [f'"{w}"*' for w in _WORD.findall(query[pos:])]
    return " ".join(terms) if terms else None


def search(
    conn: Connection, query: str, recording_id: str | None = None, limit: int = 50
) -> tuple[list[Hit], int]:
    """Sentences matching `query` and how many match in all.

    Within one recording hits come in transcript order; across recordings, best first.
    """
    expr = match_expression(query)
    if expr is None:
        return [], 0
    where = "sentence_fts MATCH :q" + (" AND f.recording_id = :r" if recording_id else "")
    params = {"q": expr, "r": recording_id, "n": limit, "o": _OPEN, "c": _CLOSE}
    order = "s.idx" if recording_id else "f.rank, s.recording_id, s.idx"
    rows = conn.execute(
        text(
            "SELECT f.recording_id, r.title, s.idx, s.sid, s.speaker, s.begin_ms, s.end_ms, "
            "highlight(sentence_fts, 0, :o, :c) AS marked "
            "FROM sentence_fts AS f "
            "JOIN sentences AS s ON s.recording_id = f.recording_id AND s.idx = f.idx "
            "JOIN recordings AS r ON r.id = f.recording_id "
            f"WHERE {where} ORDER BY {order} LIMIT :n"
        ),
        params,
    ).all()
    total = conn.execute(
        text(f"SELECT count(*) FROM sentence_fts AS f WHERE {where}"), params
    ).scalar_one()
    hits = [
        Hit(
            recording_id=r[0], recording_title=r[1], index=r[2], sentence_id=r[3],
            speaker=r[4], begin=r[5], end=r[6], marked=r[7],
        )
        for r in rows
    ]
    return hits, int(total)


def highlight_html(marked: str) -> Markup:
    """Escape a marked sentence and turn the engine's marks into <mark> elements."""
    escaped = str(escape(marked))
    return Markup(escaped.replace(_OPEN, "<mark>").replace(_CLOSE, "</mark>"))
