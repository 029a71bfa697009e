"""Paragraphs -> sentences as written; and the spoken form handed to the synthesiser.

    split_sentences(paragraph, language="eng") -> list[str]
    sentence_spans(paragraph, language="eng") -> list[tuple[int, int]]
    iter_sentence_spans(paragraph, language="eng") -> Iterator[tuple[int, int]]
    spoken_form(sentence, language="eng") -> str

Sentences are found with pysbd's rules and returned exactly as written: each one is a
stripped substring of the paragraph, and together they hold every word of it, in order.
pysbd's time grows faster than linearly with the length of what it is given, so long
paragraphs are cut at unambiguous sentence ends before it sees them, and a paragraph's
sentences come one piece at a time (`iter_sentence_spans`), so a reader that has seen
enough of them (a server's sentence limit) stops without splitting the rest.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Iterator

import pysbd
from pysbd.abbreviation_replacer import AbbreviationReplacer
from pysbd.languages import LANGUAGE_CODES
from pysbd.processor import Processor

from alignment.languages import two_letter

__all__ = ["iter_sentence_spans", "pysbd_language", "sentence_spans", "split_sentences",
           "spoken_form"]

#: a sentence's (start, end) offsets in its paragraph
Span = tuple[int, int]


# Paragraphs longer than twice this are cut into chunks of about this size before pysbd
# sees them (measured: 500 chars take 1.4 ms, 2,000 take 6 ms, 68,000 take 2.3 s).
_CHUNK = 500
# A sentence end no abbreviation can fake: a lower-case word of three or more letters,
# a full stop (or ! ?), space, a capital.
_SAFE_END = re.compile(r"(?<![\w.])[a-z]{3,}[.!?][\"”’)]?\s+(?=[A-Z])")
_ANY_END = re.compile(r"(?<=\w)[.!?][\"”’)]?\s+(?=[A-Z])")
_INITIAL = re.compile(r"(?:^|[\s.])[A-Za-z]\.$")
# "Second part:" and the like introduce the sentence after them, maybe with a list marker.
_LEAD_IN_WORDS = 4
_LEAD_IN = re.compile(r":\s*(?:\(?\w{1,3}[.)])?$")


# A salutation opening a sentence ("Ladies and Gentlemen, ...", "Good morning, ...") is said
# as a line of its own, with a pause after it, and a published page often prints it alone.
_SALUTATION_WORDS = {
    "ladies", "gentlemen", "dear", "friends", "colleagues", "everyone", "everybody",
    "excellencies", "excellency", "mr", "mr.", "mrs", "mrs.", "ms", "ms.", "madam", "madame",
    "president", "chairman", "chair", "members", "distinguished", "guests", "good", "morning",
    "afternoon", "evening", "hello", "and", "my", "all", "of", "the", "press",
    "your", "honor", "honour", "sir", "senator", "congressman", "congresswoman",
}
_SALUTATION_HEADS = {
    "ladies", "gentlemen", "friends", "colleagues", "everyone", "everybody", "excellencies",
    "morning", "afternoon", "evening", "hello", "president", "chairman", "guests",
}
_SALUTATION_MAX_WORDS = 5


def pysbd_language(language: str) -> str:
    """pysbd's code for an ISO 639-3 (or 639-1) language code; English rules otherwise."""
    code = two_letter(language)
    return code if code in LANGUAGE_CODES else "en"


def split_sentences(paragraph: str, language: str = "eng") -> list[str]:
    """The sentences of `paragraph`, each exactly as written (stripped), in order."""
    return [paragraph[a:b] for a, b in sentence_spans(paragraph, language)]


def sentence_spans(paragraph: str, language: str = "eng") -> list[tuple[int, int]]:
    """(start, end) offsets of each sentence in `paragraph`, covering all its words."""
    return list(iter_sentence_spans(paragraph, language))


def iter_sentence_spans(paragraph: str, language: str = "eng") -> Iterator[Span]:
    """`sentence_spans`, one at a time: a long paragraph goes to pysbd piece by piece as
    its sentences are asked for, so a caller that stops early leaves the rest unread."""
    # A segmenter keeps per-call state, so each call gets its own (they are cheap).
    segmenter = pysbd.Segmenter(language=pysbd_language(language), clean=False, char_span=False)
    spans: Iterable[Span] = (
        span for start, end in _chunks(paragraph)
        for span in _locate(paragraph, _segment(segmenter, paragraph[start:end]), start, end))
    merged = _merged(paragraph, spans, _joins_previous)
    if pysbd_language(language) == "en":
        merged = (part for span in merged for part in _split_initialism(paragraph, span))
        merged = _merged(paragraph, merged, _continues_span)
        merged = (part for span in merged for part in _split_salutation(paragraph, span))
    return merged


def _merged(paragraph: str, spans: Iterable[Span],
            joins: Callable[[str, Span, Span], bool]) -> Iterator[Span]:
    """Each span joined to the one before while `joins(paragraph, before, span)`; a span
    is given out once the next one is known not to join it."""
    last: Span | None = None
    for span in spans:
        if last is not None and joins(paragraph, last, span):
            last = (last[0], span[1])
            continue
        if last is not None:
            yield last
        last = span
    if last is not None:
        yield last


# --- English rules pysbd leaves to the editor ---------------------------------------------

# A title before a name never ends a sentence ("Dr. | Jane", "St. | Louis", "approx. | 5").
_NEVER_ENDS = re.compile(
    r"(?:^|[\s(\"“*_])(?:Mr|Mrs|Ms|Mx|Dr|Prof|St|Mt|Ft|Sen|Rep|Gov|Gen|Col|Lt|Sgt|Capt|Cmdr"
    r"|Adm|Rev|Hon|Fr|Pres|Supt|Insp|Det|approx|Approx|fig|Fig|cf|vol|Vol|ca|nos?|Nos?|pp?)\.$"
)
_NUMBER_ABBREVIATION = re.compile(r"(?:^|\s)(?:No|Nos|no|nos|Vol|vol|pp?|Fig|fig)\.$")
_CLOCK_SUFFIX = re.compile(r"\d\s*[ap]\.m\.$", re.IGNORECASE)
_TIME_ZONE = re.compile(
    r"(?:Eastern|Central|Mountain|Pacific|Atlantic|Alaska|Hawaii|Greenwich|GMT|UTC|BST|CET"
    r"|CEST|[ECMP][SD]?T|local\s+time)\b"
)
# "Well..." or "So…": a hesitation, said as the start of the sentence after it.
_HESITATION_WORDS = 2
_ELLIPSIS_END = re.compile(r"(?:\.\.\.|…)[\"”’)]?$")
# An initialism ending a sentence: "in the U.S. Then we flew home." pysbd keeps it
# together unless the next word plainly starts a sentence.
_INITIALISM_THEN_START = re.compile(
    r"(?<=\s)(?:[A-Z]\.){2,}(?=\s+(?:The|Then|We|I|It|It's|They|He|She|This|That|These|Those"
    r"|But|And|So|There|Our|You|What|Now|Yes|Thank|My|Let|Here|When|If)\b)"
)


def _split_initialism(paragraph: str, span: tuple[int, int]) -> list[tuple[int, int]]:
    """Split after "U.S." when the next word plainly opens a sentence."""
    a, b = span
    parts = []
    for match in _INITIALISM_THEN_START.finditer(paragraph, a, b):
        parts.append(_strip_span(paragraph, a, match.end()))
        a = match.end()
    parts.append(_strip_span(paragraph, a, b))
    return [part for part in parts if part[1] > part[0]]


def _continues_span(paragraph: str, before: Span, span: Span) -> bool:
    """Whether pysbd cut at a title, before a number, a time zone, or after "Well..."
    (then the two are joined)."""
    return _continues(paragraph[before[0]:before[1]], paragraph[span[0]:span[1]])


def _continues(before: str, text: str) -> bool:
    if _NEVER_ENDS.search(before) and not _NUMBER_ABBREVIATION.search(before):
        return True
    if _NUMBER_ABBREVIATION.search(before) and text[:1].isdigit():
        return True  # "No. 5"; but "the answer would be No." ends
    if _CLOCK_SUFFIX.search(before) and _TIME_ZONE.match(text):
        return True  # "at 5 p.m. Eastern"
    return bool(_ELLIPSIS_END.search(before)) and len(before.split()) <= _HESITATION_WORDS


def _split_salutation(paragraph: str, span: tuple[int, int]) -> list[tuple[int, int]]:
    """Split "Ladies and Gentlemen," off the sentence it opens (English only)."""
    a, b = span
    comma = paragraph.find(",", a, b)
    if comma < 0:
        return [span]
    words = paragraph[a:comma].lower().split()
    if not (0 < len(words) <= _SALUTATION_MAX_WORDS) or not _has_word(paragraph[comma + 1:b]):
        return [span]
    if not set(words) <= _SALUTATION_WORDS or not set(words) & _SALUTATION_HEADS:
        return [span]
    after = paragraph[comma + 1:b].lstrip()
    if not after[:1].isupper():
        return [span]  # "Good morning, and welcome ..." goes on as one sentence
    rest = re.findall(r"[\w.]+", after.lower())
    if set(w.rstrip(".") for w in rest) <= _SALUTATION_WORDS:
        return [span]  # the whole sentence is the salutation ("Good morning, everyone.")
    return [(a, comma + 1), _strip_span(paragraph, comma + 1, b)]


def _chunks(paragraph: str) -> Iterator[Span]:
    """Cut a long paragraph at safe sentence ends into pieces of about `_CHUNK` chars;
    where none comes soon ("Yes. No. Okay." has no lower-case word before its stops),
    at any stop after a word that is not a title or an initial. Each cut is looked for
    as the piece before it is taken."""
    start = 0
    while len(paragraph) - start > 2 * _CHUNK:
        cut = _SAFE_END.search(paragraph, start + _CHUNK, start + 4 * _CHUNK)
        end = cut.end() if cut else _plain_end(paragraph, start + _CHUNK)
        if end is None:
            break
        yield start, end
        start = end
    yield start, len(paragraph)


def _plain_end(paragraph: str, at: int) -> int | None:
    """The end of the first stop from `at` on, before a capital, that follows neither a
    title ("Dr.") nor an initial ("J."), or None."""
    for stop in _ANY_END.finditer(paragraph, at):
        before = paragraph[max(0, stop.start() - 12): stop.start() + 1]
        if not _NEVER_ENDS.search(before) and not _INITIAL.search(before):
            return stop.end()
    return None


_SPACES = re.compile(r"\s*")


class _OnceEachReplacer(AbbreviationReplacer):
    """pysbd's abbreviation pass with each distinct replacement made once per line.

    pysbd replaces the periods after an abbreviation by rewriting the whole line once
    for every word that starts with it ("a", "co", "no" start many words), so a line's
    time grew with its words times its length. One rewrite with a given match already
    turns every period it applies to, and what it turns can only take matches away from
    a later rewrite, never add one: a repeat changes nothing. The next-word characters
    pysbd looks up by position (`char_array`) come from a pattern that needs literal
    braces in the text; when it finds any, pysbd's own loop runs.
    """

    def search_for_abbreviations_in_string(self, text: str) -> str:
        lowered = text.lower()
        # an ASCII line is searched with str methods (see _word_starts); the periods
        # pysbd turns into "∯" on the way change no letter and no space in it
        starts = _word_starts(text) if text.isascii() else None
        for stripped, needle in _abbreviations(self.lang):
            if stripped not in lowered:
                continue
            if starts is not None and needle is not None:
                matches = _matches(text, starts, needle)
            else:
                matches = re.findall(rf"(?:^|\s|\r|\n){stripped}", text, flags=re.IGNORECASE)
            if not matches:
                continue
            # pysbd's pattern needs a literal "{abbr} ": without a brace, nothing
            chars = re.findall("(?<={" + re.escape(stripped) + "} ).{1}", text) \
                if "{" in text else []
            if chars:
                for ind, match in enumerate(matches):
                    text = self.scan_for_replacements(text, match, ind, chars)
                continue
            for match in dict.fromkeys(matches):
                text = self.scan_for_replacements(text, match, 0, chars)
        return text


@functools.cache
def _abbreviations(language: type) -> tuple[tuple[str, str | None], ...]:
    """A language's abbreviations, stripped, each with " " + its lower case when it is
    plain ASCII letters (then found with str methods), else None."""
    out = []
    for abbr in language.Abbreviation.ABBREVIATIONS:
        stripped = abbr.strip()
        plain = stripped.isalpha() and stripped.isascii()
        out.append((stripped, " " + stripped.lower() if plain else None))
    return tuple(out)


def _matches(text: str, starts: str, needle: str) -> list[str]:
    r"""What `re.findall(r"(?:^|\s|
|
)" + abbr, text, re.IGNORECASE)` gives for an
    ASCII line and an abbreviation of ASCII letters (`needle` is " " + it, lower case):
    each place a word starts with it, with the whitespace before it (none at the start).
    Matches cannot overlap, a letter being no whitespace."""
    found = []
    size = len(needle) - 1
    k = starts.find(needle)
    while k >= 0:
        found.append(text[max(k - 1, 0):k + size])
        k = starts.find(needle, k + 1)
    return found


# the whitespace of an ASCII line (what `\s` matches there), made a space
_ASCII_SPACE = str.maketrans({ch: " " for ch in "\t\n\r\x0b\x0c\x1c\x1d\x1e\x1f"})


def _word_starts(text: str) -> str:
    r"""An ASCII line lower-cased, its whitespace made spaces and a space put before it:
    pysbd's `(?:^|\s){abbr}` finds something in the line exactly when " " + abbr is in
    this."""
    return " " + text.lower().translate(_ASCII_SPACE)


@functools.cache
def _fast_language(language: type) -> type:
    """`language` (a pysbd language class) with `_OnceEachReplacer`, unless it changes
    the abbreviation pass itself (then it is kept as it is)."""
    base = getattr(language, "AbbreviationReplacer", AbbreviationReplacer)
    own = ("search_for_abbreviations_in_string", "scan_for_replacements",
           "replace_period_of_abbr")
    if any(getattr(base, name) is not getattr(AbbreviationReplacer, name) for name in own):
        return language
    replacer = type(base.__name__, (_OnceEachReplacer, base), {})
    return type(language.__name__, (language,), {"AbbreviationReplacer": replacer})


def _segment(segmenter: pysbd.Segmenter, text: str) -> list[str]:
    """What `segmenter.segment(text)` gives (clean=False, char_span=False), found faster.

    pysbd finds each of its sentences in the text again with a regular expression made
    of that sentence (`re.escape(sent) + r"\\s*"`). Those one-off patterns push pysbd's own
    few hundred fixed ones out of `re`'s cache of 512, so every call compiled them all
    again: two thirds of the time of reading a long transcript. The same search is done
    here with `str.find`, match for match.
    """
    if not text:
        return []
    found = []
    prior_end = 0
    language = _fast_language(segmenter.language_module)
    for sent in getattr(language, "Processor", Processor)(text, language).process():
        if not sent:  # pysbd's own search, whose pattern is then always the same
            for match in _SPACES.finditer(text):
                if match.end() > prior_end:
                    found.append(match.group())
                    prior_end = match.end()
                    break
            continue
        at = 0
        while (pos := text.find(sent, at)) >= 0:
            end = pos + len(sent)
            while end < len(text) and text[end].isspace():
                end += 1
            if end > prior_end:
                found.append(text[pos:end])
                prior_end = end
                break
            at = end  # finditer goes on after the whole match (no overlaps)
    return found


def _locate(paragraph: str, segments: list[str], start: int, end: int) -> list[tuple[int, int]]:
    """Find pysbd's segments in the paragraph; text it skipped or changed is kept too."""
    spans: list[tuple[int, int]] = []
    cursor = start
    for segment in segments:
        piece = segment.strip()
        found = paragraph.find(piece, cursor, end) if piece else cursor
        if found < 0:
            break  # pysbd changed the text: the rest becomes one span below, never lost
        if not piece:
            continue
        begin = found
        if paragraph[cursor:found].strip():  # words pysbd skipped join this sentence
            begin = _skip_space(paragraph, cursor)
        spans.append((begin, found + len(piece)))
        cursor = found + len(piece)
    if paragraph[cursor:end].strip():
        spans.append(_strip_span(paragraph, cursor, end))
    return spans


def _skip_space(text: str, i: int) -> int:
    while i < len(text) and text[i].isspace():
        i += 1
    return i


def _strip_span(text: str, a: int, b: int) -> tuple[int, int]:
    a = _skip_space(text, a)
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


def _has_word(text: str) -> bool:
    return any(ch.isalnum() for ch in text)


def _is_lead_in(text: str) -> bool:
    """ "Second part:" or "Question one: 1." opening the sentence after it."""
    return bool(_LEAD_IN.search(text)) and len(text.split()) <= _LEAD_IN_WORDS + 1


def _joins_previous(paragraph: str, previous: Span, span: Span) -> bool:
    """Whether `span` joins the one before: a lead-in ("Second part:"), a word-less bit
    ("...") or a word cut in two goes with its neighbour."""
    if span[0] == previous[1]:
        return True  # no space at the boundary ("Mr.|!"): it would cut a word in two
    before, text = paragraph[previous[0]:previous[1]], paragraph[span[0]:span[1]]
    return not _has_word(text) or not _has_word(before) or _is_lead_in(before)


# --- spoken form -----------------------------------------------------------------------

_WORDS = {  # per pysbd language: what eSpeak should say for a symbol
    "en": {"%": "percent", "&": "and", "$": "dollars", "€": "euros", "£": "pounds"},
    "de": {"%": "Prozent", "&": "und", "$": "Dollar", "€": "Euro", "£": "Pfund"},
    "fr": {"%": "pour cent", "&": "et", "$": "dollars", "€": "euros", "£": "livres"},
    "it": {"%": "per cento", "&": "e", "$": "dollari", "€": "euro", "£": "sterline"},
    "es": {"%": "por ciento", "&": "y", "$": "dólares", "€": "euros", "£": "libras"},
}
_SINGULAR_EN = {"$": "dollar", "€": "euro", "£": "pound"}

_URL = re.compile(r"\b(?:https?://|www\.)[\w.\-/~%?=&#+:@]*[\w/]", re.IGNORECASE)
_MONEY = re.compile(
    r"([$€£])\s?(\d[\d,]*(?:\.\d+)?)(\s+(?:thousand|million|billion|trillion)\b)?", re.IGNORECASE
)
_PERCENT = re.compile(r"\s*%")
_AMPERSAND = re.compile(r"\s*&\s*")
# English abbreviations eSpeak reads letter by letter or not at all.
_ABBREVIATIONS_EN = [
    (re.compile(r"\be\.\s?g\.(?=\W|$)", re.IGNORECASE), "for example"),
    (re.compile(r"\bi\.\s?e\.(?=\W|$)", re.IGNORECASE), "that is"),
    (re.compile(r"\bvs?\.(?=\s|$)|\bvs\b"), "versus"),
    (re.compile(r"\betc\.(?=\W|$)"), "et cetera"),
    # Only before a digit: "the answer would be No." stays a no.
    (re.compile(r"\bNo\.\s?(?=\d)"), "number "),
]
_BRACKETS_AND_QUOTES = re.compile(r"[\"“”«»„‟()\[\]{}*]")
_EMPHASIS_UNDERSCORES = re.compile(r"(?<!\w)_+|_+(?!\w)")  # Markdown's _word_ and __word__
_CURLY_APOSTROPHE = re.compile(r"[‘’]")
_LOOSE_APOSTROPHE = re.compile(r"(?<!\w)'|'(?!\w)")
_SPACE_BEFORE_PUNCT = re.compile(r"\s+([.,;:!?])(?=\s|$)")  # left where a bracket was


def spoken_form(sentence: str, language: str = "eng") -> str:
    """What the synthesiser is given for `sentence`: symbols and abbreviations spelt out.

    The display text stays as written; this form only has to sound like it. Plain numbers
    and ordinals ("18", "11th") are left to eSpeak, which reads them well.
    """
    lang = pysbd_language(language)
    words = _WORDS.get(lang)
    text = _URL.sub(_say_url if lang == "en" else _url_words, sentence)
    if words:
        text = _MONEY.sub(lambda m: _say_money(m, words, lang), text)
        text = _PERCENT.sub(" " + words["%"] + " ", text)
        text = _AMPERSAND.sub(" " + words["&"] + " ", text)
    if lang == "en":
        for pattern, replacement in _ABBREVIATIONS_EN:
            text = pattern.sub(replacement, text)
        text = _DECADE.sub(_say_decade, text)
    text = _BRACKETS_AND_QUOTES.sub(" ", text)
    text = _EMPHASIS_UNDERSCORES.sub(" ", text)
    text = _CURLY_APOSTROPHE.sub("'", text)
    text = _LOOSE_APOSTROPHE.sub("", text)
    return _SPACE_BEFORE_PUNCT.sub(r"\1", " ".join(text.split()))


# eSpeak reads "1830s" digit group by digit group ("one thousand eight hundred and thirty
# s", 1.8 s where people take 0.7 s), which stretches the warp over every word after it
_DECADE = re.compile(r"\b(1[1-9]|20)(\d0)s\b")


def _say_decade(match: re.Match[str]) -> str:
    """ "1830s" -> "eighteen thirties", "1900s" -> "nineteen hundreds"."""
    from num2words import num2words

    year = num2words(int(match.group(1) + match.group(2)), lang="en", to="year")
    return year[:-1] + "ies" if year.endswith("y") else year + "s"


def _url_words(match: re.Match[str]) -> str:
    """A web address as its words: "https://www.nato.int/docu" -> "www nato int docu"."""
    address = re.sub(r"^https?://", "", match.group(), flags=re.IGNORECASE)
    return " ".join(part for part in re.split(r"[^\w]+", address) if part)


def _say_url(match: re.Match[str]) -> str:
    """The host read with "dot", as people say it: "nato dot int docu"."""
    address = re.sub(r"^https?://", "", match.group(), flags=re.IGNORECASE)
    host, _, path = address.partition("/")
    spoken_host = " dot ".join(part for part in re.split(r"[^\w\-]+", host) if part)
    spoken_path = " ".join(part for part in re.split(r"[^\w]+", path) if part)
    return f" {spoken_host} {spoken_path} "


def _say_money(match: re.Match[str], words: dict[str, str], lang: str) -> str:
    symbol, amount, scale = match.group(1), match.group(2), match.group(3) or ""
    unit = words[symbol]
    if lang == "en" and amount == "1" and not scale:
        unit = _SINGULAR_EN[symbol]
    return f"{amount}{scale} {unit}"
