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

Forgiving: a word with no match of its own (no word of the index begins with it) also
matches the indexed words a typing slip away (`terorism` finds "terrorism": one edit for
words of up to five letters, two beyond; a swap of two letters is one edit), and a number
matches its digits and its word both ways ("three" and "3", "twentieth" and "20th"). The
alternatives come from the index's own words (`_vocabulary`: FTS5's `fts5vocab`,
PostgreSQL's `ts_stat`), so the engine marks them as it marks any hit.

On PostgreSQL the same query becomes a `tsquery`: a bare word `'word':*`, a closed phrase
`websearch_to_tsquery` of the quoted phrase (its words in order, adjacent), an unclosed
one the same with its last word `:*`, all joined by `&`. What differs: PostgreSQL's
parser splits words a little differently from FTS5's (`don't`, e-mail addresses, `3.5`),
and ranks across recordings with `ts_rank` rather than bm25.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

from markupsafe import Markup, escape
from sqlalchemy import Connection, text

from webapp.words import first_marked_begin

__all__ = ["Hit", "create", "delete", "edit_distance", "highlight_html", "match_expression",
           "number_forms", "replace", "search"]

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
    aligned: bool = True  # False: not found in the recording (its time is no time)
    words: str = ""  # the sentence's words' times, as stored (webapp.words)

    @property
    def html(self) -> Markup:
        """The sentence, escaped, with the matched words in <mark>."""
        return highlight_html(self.marked)

    @cached_property
    def start(self) -> int:
        """Where the hit plays from (ms): the first word it marked, or, when the
        sentence has no word times, the sentence's start."""
        begin = first_marked_begin(self.marked, self.words, _OPEN, _CLOSE)
        return self.begin if begin is None else begin


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
    """One term of a person's query: its words, whether the last is a prefix, and for a
    single word the other words it may match (its typo and number forms)."""

    words: tuple[str, ...]
    prefix: bool
    also: tuple[str, ...] = ()


_ONES = ("zero one two three four five six seven eight nine ten eleven twelve thirteen "
         "fourteen fifteen sixteen seventeen eighteen nineteen twenty").split()
_TENS = {30: "thirty", 40: "forty", 50: "fifty", 60: "sixty", 70: "seventy", 80: "eighty",
         90: "ninety", 100: "hundred", 1000: "thousand", 1000000: "million"}
_ORDINALS = ("zeroth first second third fourth fifth sixth seventh eighth ninth tenth "
             "eleventh twelfth thirteenth fourteenth fifteenth sixteenth seventeenth "
             "eighteenth nineteenth twentieth").split()
_NUMBER_WORDS: dict[str, str] = {w: str(n) for n, w in enumerate(_ONES)}
_NUMBER_WORDS.update({w: str(n) for n, w in _TENS.items()})
_NUMBER_WORDS.update({w: f"{n}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(n, 'th')}"
                      for n, w in enumerate(_ORDINALS) if n})
_NUMBER_DIGITS = {v: k for k, v in _NUMBER_WORDS.items()}
#: fuzzy alternatives kept per word, closest first
MAX_ALTERNATIVES = 6


def number_forms(word: str) -> tuple[str, ...]:
    """The other spelling of a number: "three" -> ("3",), "3" -> ("three",), "1st" ->
    ("first",); () for any other word."""
    w = word.casefold()
    other = _NUMBER_WORDS.get(w) or _NUMBER_DIGITS.get(w)
    return (other,) if other else ()


def edit_distance(a: str, b: str, limit: int = 2) -> int:
    """Damerau-Levenshtein distance (optimal string alignment: a swap of two neighbours
    is one edit) between `a` and `b`, or `limit + 1` as soon as it must exceed `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if min(cur) > limit:
            return limit + 1
        prev2, prev = prev, cur
    return prev[-1]


def _fold(word: str) -> str:
    """A word as the index keeps it: case-folded, without accents."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _typo_forms(word: str, prefix: bool, vocabulary: frozenset[str]) -> tuple[str, ...]:
    """Indexed words a slip away from `word`, when nothing in the index matches it as it
    is typed (as a prefix, or whole for a word of a closed phrase)."""
    w = _fold(word)
    if len(w) < 4 or w.isdigit():
        return ()
    if any(v.startswith(w) for v in vocabulary) if prefix else w in vocabulary:
        return ()
    limit = 1 if len(w) <= 5 else 2
    scored = []
    for v in vocabulary:
        d = edit_distance(w, v, limit)
        if d and prefix and len(w) >= 5 and len(v) > len(w):
            # a slip in the beginning of a longer word ("brigde" of "bridges")
            d = min(d, edit_distance(w, v[: len(w)], limit))
        if d <= limit:
            scored.append((d, abs(len(v) - len(w)), v))
    # only the closest: "terorism" finds "terrorism", not "terrorist" too
    best = min((d for d, _, _ in scored), default=0)
    return tuple(v for d, _, v in sorted(scored)[:MAX_ALTERNATIVES] if d == best)


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


def _forgiving(terms: list[_Term], vocabulary: frozenset[str]) -> list[_Term]:
    """The terms with their alternatives: a single word gets its number and typo forms;
    a word of a phrase with no match is replaced by its closest form."""
    out = []
    for t in terms:
        if len(t.words) == 1:
            also = number_forms(t.words[0]) + _typo_forms(t.words[0], t.prefix, vocabulary)
            out.append(_Term(t.words, t.prefix, tuple(dict.fromkeys(also))))
            continue
        words = []
        for n, w in enumerate(t.words):
            last = n == len(t.words) - 1
            forms = _typo_forms(w, t.prefix and last, vocabulary)
            words.append(forms[0] if forms else w)
        out.append(_Term(tuple(words), t.prefix))
    return out


def match_expression(query: str, vocabulary: frozenset[str] = frozenset()) -> str | None:
    """A person's query as an FTS5 MATCH expression, or None when it has no words.

    Every term is quoted, so nothing the person types is read as an operator. With the
    index's `vocabulary`, a word may also match its typo and number forms (an OR group).
    """
    terms = []
    for t in _forgiving(_terms(query), vocabulary):
        if len(t.words) == 1 and t.prefix:
            term = f'"{t.words[0]}"*'
        else:
            term = '"' + " ".join(t.words) + '"' + ("*" if t.prefix else "")
        if t.also:
            term = "(" + " OR ".join([term, *(f'"{a}"' for a in t.also)]) + ")"
        terms.append(term)
    return " AND ".join(terms) if terms else None


def _vocabulary(conn: Connection, query: str, recording_id: str | None) -> frozenset[str]:
    """The indexed words a query's slips may be corrected to: none when no word of the
    query is long enough to be forgiven (four letters and more)."""
    words = [_fold(w) for t in _terms(query) for w in t.words]
    if not any(len(w) >= 4 and not w.isdigit() for w in words):
        return frozenset()
    if _postgres(conn):
        # ts_stat reads a query given as text: the recording's id goes in as a literal
        # quoted by format(%L), never spliced into the SQL here
        inner = ("format('SELECT to_tsvector(''tp_search''::regconfig, text) FROM sentences"
                 + (" WHERE recording_id = %L', CAST(:r AS text))" if recording_id else "')"))
        rows = conn.execute(text(f"SELECT word FROM ts_stat({inner})"),
                            {"r": recording_id}).scalars()
    else:
        conn.execute(text("CREATE VIRTUAL TABLE IF NOT EXISTS temp.sentence_vocab "
                          "USING fts5vocab(main, 'sentence_fts', 'row')"))
        rows = conn.execute(text("SELECT term FROM temp.sentence_vocab")).scalars()
    return frozenset(w for w in rows if _WORD.fullmatch(w))


def _tsquery(query: str, vocabulary: frozenset[str] = frozenset()
             ) -> tuple[str, dict[str, str]] | None:
    """A person's query as a PostgreSQL tsquery expression (SQL) and its parameters, or
    None when it has no words. The words are bound parameters, never SQL; `_WORD`
    leaves no quote or operator in them."""
    parts: list[str] = []
    params: dict[str, str] = {}
    for n, term in enumerate(_forgiving(_terms(query), vocabulary)):
        if term.prefix:
            # to_tsquery reads the words, quoted: `'old' <-> 'harb':*`
            params[f"w{n}"] = " <-> ".join(f"'{w}'" for w in term.words) + ":*"
            part = f"to_tsquery('tp_search', :w{n})"
        else:
            params[f"w{n}"] = '"' + " ".join(term.words) + '"'
            part = f"websearch_to_tsquery('tp_search', :w{n})"
        for k, alt in enumerate(term.also):
            # an alternative is a word of the index (or a number): \w+ only
            params[f"w{n}a{k}"] = f"'{alt}'"
            part += f" || to_tsquery('tp_search', :w{n}a{k})"
        parts.append(f"({part})")
    return (" && ".join(parts), params) if parts else None


def search(
    conn: Connection, query: str, recording_id: str | None = None, limit: int = 50
) -> tuple[list[Hit], int]:
    """Sentences matching `query` and how many match in all.

    Within one recording hits come in transcript order; across recordings, best first.
    The query is first tried as typed (numbers with their other spelling); only when
    nothing matches are the index's words read for the slips (every word must match, so
    a query with hits has no word without a match of its own to forgive).
    """
    hits, total = _search(conn, query, recording_id, limit, frozenset())
    if total:
        return hits, total
    vocabulary = _vocabulary(conn, query, recording_id)
    if not vocabulary:
        return hits, total
    return _search(conn, query, recording_id, limit, vocabulary)


def _search(conn: Connection, query: str, recording_id: str | None, limit: int,
            vocabulary: frozenset[str]) -> tuple[list[Hit], int]:
    if _postgres(conn):
        return _search_postgres(conn, query, recording_id, limit, vocabulary)
    expr = match_expression(query, vocabulary)
    if expr is None:
        return [], 0
    where = "sentence_fts MATCH :q" + (" AND f.recording_id = :r" if recording_id else "")
    params = {"q": expr, "r": recording_id, "n": limit, "o": _OPEN, "c": _CLOSE}
    order = "s.idx" if recording_id else "f.rank, s.recording_id, s.idx"
    rows = conn.execute(
        text(
            "SELECT f.recording_id, r.title, s.idx, s.sid, s.speaker, s.begin_ms, s.end_ms, "
            "highlight(sentence_fts, 0, :o, :c) AS marked, s.aligned, s.words "
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
    conn: Connection, query: str, recording_id: str | None, limit: int,
    vocabulary: frozenset[str],
) -> tuple[list[Hit], int]:
    built = _tsquery(query, vocabulary)
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
            f"ts_headline('tp_search', {unmarked}, q.q, :opts) AS marked, s.aligned, s.words "
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
    """Hits from rows of (recording id, title, index, sid, speaker, begin, end, marked,
    aligned, words), the columns both dialects select."""
    return [Hit(recording_id=r[0], recording_title=r[1], index=r[2], sentence_id=r[3],
                speaker=r[4], begin=r[5], end=r[6], marked=r[7], aligned=bool(r[8]),
                words=r[9] or "")
            for r in rows]


def highlight_html(marked: str) -> Markup:
    """Escape a marked sentence and turn the engine's marks into <mark> elements."""
    escaped = str(escape(marked))
    return Markup(escaped.replace(_OPEN, "<mark>").replace(_CLOSE, "</mark>"))
