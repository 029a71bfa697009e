"""Full-text search over sentences: the one place that knows the database's search dialect.

SQLite answers with an FTS5 table (`unicode61 remove_diacritics 2`: case- and
accent-insensitive). PostgreSQL answers with its own full-text search: a GIN index of
`to_tsvector('tp_search', text)` over the sentences themselves, where `tp_search` is the
`simple` configuration (no stemming, as FTS5) with the `unaccent` dictionary first, so
"cafe" finds "café" and `ts_headline` marks it. Both are made by the first migration
(`webapp/migrations/versions/0001_initial.py`). The store calls `replace` and `delete`,
the views call `search`, and both only see plain rows.

Query language, for people rather than for the engine: bare words match as prefixes
(`enlarg` finds "enlargement"), "quoted phrases" match word for word in order, and
everything else (operators, brackets, stars) is read as plain text, never as syntax. A
phrase whose closing quote is not typed yet matches its last word as a prefix, so the
hits follow the typing.

On PostgreSQL the same query becomes a `tsquery`: a bare word `'word':*`, a closed phrase
`websearch_to_tsquery` of the quoted phrase (its words in order, adjacent), an unclosed
one the same with its last word `:*`, all joined by `&`. What differs: PostgreSQL's
parser splits words a little differently from FTS5's (`don't`, e-mail addresses, `3.5`),
and ranks across recordings with `ts_rank` rather than bm25.
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


def _postgres(conn: Connection) -> bool:
    return conn.dialect.name == "postgresql"


def create(conn: Connection) -> None:
    """Create the search index if it is not there yet (the migrations call their own
    copy of this; on PostgreSQL the index is on the sentences table, made there)."""
    if _postgres(conn):
        return
    conn.execute(
        text(
            "CREATE VIRTUAL TABLE IF NOT EXISTS sentence_fts USING fts5("
            "text, recording_id UNINDEXED, idx UNINDEXED, "
            "tokenize = 'unicode61 remove_diacritics 2')"
        )
    )


def delete(conn: Connection, recording_id: str) -> None:
    """Drop a recording's sentences from the index."""
    if _postgres(conn):
        return  # the index is over the sentences table: it goes with the rows
    conn.execute(text("DELETE FROM sentence_fts WHERE recording_id = :r"), {"r": recording_id})


def replace(conn: Connection, recording_id: str, rows: Iterable[tuple[int, str]]) -> None:
    """Index a recording's sentences, given as (index, text), in place of what was there."""
    if _postgres(conn):
        return  # indexed as the sentences are written
    delete(conn, recording_id)
    # the text indexed must not hold the marks themselves, or a hit's <mark> would not close
    unmark = str.maketrans("", "", _OPEN + _CLOSE)
    params = [{"t": t.translate(unmark), "r": recording_id, "i": i} for i, t in rows]
    if params:
        conn.execute(
            text("INSERT INTO sentence_fts (text, recording_id, idx) VALUES (:t, :r, :i)"), params
        )


@dataclass(frozen=True)
class _Term:
    """One term of a person's query: its words, and whether the last is a prefix."""

    words: tuple[str, ...]
    prefix: bool


def _terms(query: str) -> list[_Term]:
    """The query's terms: each bare word a prefix, each "phrase" its words in order (its
    last word a prefix while the closing quote is not typed yet)."""
    terms: list[_Term] = []
    pos = 0
    for m in _PHRASE.finditer(query):
        terms += [_Term((w,), True) for w in _WORD.findall(query[pos : m.start()])]
        words = _WORD.findall(m.group(1))
        if words:
            closed = m.group(0).endswith('"') and len(m.group(0)) > 1
            terms.append(_Term(tuple(words), not closed))
        pos = m.end()
    terms += [_Term((w,), True) for w in _WORD.findall(query[pos:])]
    return terms


def match_expression(query: str) -> str | None:
    """A person's query as an FTS5 MATCH expression, or None when it has no words.

    Every term is quoted, so nothing the person types is read as an operator.
    """
    terms = [
        f'"{t.words[0]}"*' if len(t.words) == 1 and t.prefix
        else '"' + " ".join(t.words) + '"' + ("*" if t.prefix else "")
        for t in _terms(query)
    ]
    return " ".join(terms) if terms else None


def _tsquery(query: str) -> tuple[str, dict[str, str]] | None:
    """A person's query as a PostgreSQL tsquery expression (SQL) and its parameters, or
    None when it has no words. The words are bound parameters, never SQL; `_WORD`
    leaves no quote or operator in them."""
    parts: list[str] = []
    params: dict[str, str] = {}
    for n, term in enumerate(_terms(query)):
        if term.prefix:
            # to_tsquery reads the words, quoted: `'old' <-> 'harb':*`
            params[f"w{n}"] = " <-> ".join(f"'{w}'" for w in term.words) + ":*"
            parts.append(f"to_tsquery('tp_search', :w{n})")
        else:
            params[f"w{n}"] = '"' + " ".join(term.words) + '"'
            parts.append(f"websearch_to_tsquery('tp_search', :w{n})")
    return (" && ".join(parts), params) if parts else None


def search(
    conn: Connection, query: str, recording_id: str | None = None, limit: int = 50
) -> tuple[list[Hit], int]:
    """Sentences matching `query` and how many match in all.

    Within one recording hits come in transcript order; across recordings, best first.
    """
    if _postgres(conn):
        return _search_postgres(conn, query, recording_id, limit)
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
    return _hits(rows), int(total)


def _search_postgres(
    conn: Connection, query: str, recording_id: str | None, limit: int
) -> tuple[list[Hit], int]:
    built = _tsquery(query)
    if built is None:
        return [], 0
    tsquery, params = built
    params.update({"r": recording_id, "n": limit,
                   "opts": f"StartSel={_OPEN}, StopSel={_CLOSE}, HighlightAll=true"})
    where = "to_tsvector('tp_search'::regconfig, s.text) @@ q.q" + (
        " AND s.recording_id = :r" if recording_id else "")
    order = ("s.idx" if recording_id else
             "ts_rank(to_tsvector('tp_search'::regconfig, s.text), q.q) DESC, "
             "s.recording_id, s.idx")
    # the marks must not be in the text itself, or a hit's <mark> would not close
    unmarked = f"translate(s.text, chr({ord(_OPEN)}) || chr({ord(_CLOSE)}), '')"
    rows = conn.execute(
        text(
            "SELECT s.recording_id, r.title, s.idx, s.sid, s.speaker, s.begin_ms, s.end_ms, "
            f"ts_headline('tp_search', {unmarked}, q.q, :opts) AS marked "
            f"FROM (SELECT {tsquery} AS q) AS q, sentences AS s "
            "JOIN recordings AS r ON r.id = s.recording_id "
            f"WHERE {where} ORDER BY {order} LIMIT :n"
        ),
        params,
    ).all()
    total = conn.execute(
        text(f"SELECT count(*) FROM (SELECT {tsquery} AS q) AS q, sentences AS s "
             f"WHERE {where}"), params
    ).scalar_one()
    return _hits(rows), int(total)


def _hits(rows) -> list[Hit]:  # type: ignore[no-untyped-def]
    """Hits from rows of (recording id, title, index, sid, speaker, begin, end, marked),
    the columns both dialects select."""
    return [Hit(recording_id=r[0], recording_title=r[1], index=r[2], sentence_id=r[3],
                speaker=r[4], begin=r[5], end=r[6], marked=r[7]) for r in rows]


def highlight_html(marked: str) -> Markup:
    """Escape a marked sentence and turn the engine's marks into <mark> elements."""
    escaped = str(escape(marked))
    return Markup(escaped.replace(_OPEN, "<mark>").replace(_CLOSE, "</mark>"))
