"""Word evidence from an acoustic model: which of the transcript's words are heard, when.

The only module that imports pocketsphinx. Its wheel ships a general American English
acoustic model and the CMU dictionary; the language model is made here from the
transcript itself (as Gentle does), so the decoder listens for these words in roughly
this order and runs many times faster than real time. Speech in another language,
talk nobody wrote down or an advertisement comes out as scattered words that do not
run on in the transcript's order, which is how `alignment.anchors` tells them apart.

    words_of(spoken) -> list[str]                   the tokens a sentence is heard as
    Listener(sentences).hear(pcm, offset_ms) -> [Heard]
    Aligner(sentences).place(pcm, offset_ms, tokens, guesses, sounds) -> per token, Heard
                                                    or None; `sounds` gains the fillers
"""

from __future__ import annotations

import functools
import math
import os
import re
import tempfile
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Self

import numpy as np

LANGUAGES = frozenset({"eng"})  # languages with an acoustic model here
RATE = 16000  # samples per second the model was trained on
_FRAME_MS = 10  # the decoder's frame shift
# Decoder settings, chosen on seed-interpreted's English turns (2 min): every second
# frame scored (ds=2) with the two best Gaussians (topn=2) and a phonetic look-ahead
# recognised the same words as the defaults at twice the speed (about 30x real time on
# one core with a transcript's language model).
_SETTINGS = {"ds": 2, "topn": 2, "pl_window": 10}
# Laying known words in order is a far smaller search: every frame is scored (ds=1) with
# the two best Gaussians. On the six real-speech recordings (all laid by ear), word starts
# within 50 / 100 ms pooled: 0.709 / 0.788 with these, 0.702 / 0.774 with the defaults
# (topn=4), 0.671 / 0.781 with ds=2 and topn=1; about 100x real time on one core.
#
# The model's fillers (silence, noise) and two hesitations (below) may come between any
# two words, at fillprob each: 1e-2 against the default 1e-8 was chosen on mfa-cold and
# mfa-cold3 (a speaker with a cold and many "uh"s; within 100 ms laid by ear 0.76 / 0.73
# -> 0.79 / 0.82) and checked on mfa-acoustic, librivox-austen and two synthetic
# readings with word truth, which stayed as they were.
_ALIGN_SETTINGS = {"topn": 2, "fillprob": 1e-2}
# Where those settings find no way through a piece, it is laid again with the search
# kept whole: beams so wide nothing is pruned, and the best path of the search itself
# (the lattice's "best path" pass, which the defaults run after it, came out with words
# left out or with no hypothesis at all). mfa-cold's first 17 s, a man with a cold, fast,
# is laid whole only so (the default beams and beams of 1e-100 found no way through).
_WHOLE_SETTINGS = {**_ALIGN_SETTINGS, "beam": 1e-200, "pbeam": 1e-200, "wbeam": 1e-150,
                   "maxhmmpf": -1, "bestpath": False}
# A piece laid with the search kept whole is believed where its words start, at the
# median, this near where the warp started them, and where its first (last) word does not
# touch the start (end) of what was listened to; else it is cut in two as before. Chosen
# on the real recordings (their pieces laid so start 24-169 ms from the warp's words at
# the median), checked on them degraded (words within 100 ms 0.700 / 0.702 / 0.694 at
# 150 / 250 / 400 ms). Without the bound, a piece in noise strayed 0.4-0.6 s from the
# warp, its words wrongly (the two speakers under babble); without the edges' check, a
# reader the warp started 0.6 s late had her first three words pressed into the first
# 0.4 s of the stretch, and her sentence started there. With both, real speech's words
# within 100 ms pooled 0.907 -> 0.925 (docs/alignment.md, Word times).
WHOLE_AGREE_MS = 250
# A word of MIN_PHONES_UNSAID phones or more laid in no more than SQUEEZE times the
# shortest time the model allows (a frame per state, 3 per phone: `squeezed`) may be one
# the speaker never said, squeezed in between the words around it. It is unsaid where
# laying its neighbours without it fits the recording better by UNSAID_GAIN or more (the
# natural log of the ratio of the two layings' path scores, `Aligner.unsaid`). Chosen on
# a flite reading and six recordings (four real) with words added to their transcripts:
# the added words laid within twice their shortest gained 0.13-0.41, the said words so
# laid 0.22 at most (14 of the 26 added words caught, no said word marked); at the
# shortest alone only 5 of 20 were tried at all. Checked on nine others, degraded most of
# them: 5 of 34 caught, none said marked (docs/alignment.md). Shorter words are left
# alone: a said "a" or "the" is often as short as the model allows, and gained up to 0.17.
MIN_PHONES_UNSAID = 3
SQUEEZE = 2
UNSAID_GAIN = 0.25
_STATES = 3  # emitting states per phone in the model's HMMs
# Hesitations people say between words and transcripts leave out, as fillers the decoder
# may put anywhere, so "the" is not laid on the "um" before it (spelt as fillers so a
# transcript's own "um" stays a word).
_HESITATIONS = "++uh++ AH\n++um++ AH M\n"
# In a piece laid loosely each token may be left out at this probability. Chosen on
# mfa-cold (0.5, a grammar of optional words, took 24 s on 37 s of speech and laid
# 0.79 of the words within 100 ms; 1e-4: 4 s and 0.81; 1e-10: 0.78), the others as above.
LOOSE_SKIP = 1e-4
LOOSE_TOKENS = 12  # a piece of this many tokens or fewer that fails is laid loosely
MAX_CUTS = 3  # a longer one is cut in two, at most this many times over
_DISCOUNT = 0.5  # absolute discount of the bigrams (the rest backs off to unigrams)
_TOKEN = re.compile(r"[a-z]+(?:'[a-z]+)*")
_ROMAN = re.compile(r"^(?=[MDCLXVI]{2,}$)M{0,3}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})$")
_NUMBER = re.compile(r"^\d+(?:[.,]\d+)?(?:st|nd|rd|th)?$")
_NOT_WORDS = frozenset({"<s>", "</s>", "<sil>"})
_NOISE = "[NOISE]"  # the model's filler for what is not speech (its others are spoken)
# The model starts a word that opens with "th" as in "the" (DH) early when the word
# before runs straight into it: DH takes in the end of the phone before. Against the
# real recordings' references the median error of such starts was -40 ms (25 words; every
# other first phone's median was within 12 ms of 0), against the synthetic voices' own
# word times -8 ms. Such a start is moved this much later (at most half its word), the
# word before ending there. Chosen on mfa-acoustic, mfa-cold and mfa-cold3: the smallest
# shift with their best share within 50 ms (0.899 at 0 ms, 0.905 from 20 to 45 ms; within
# 100 ms 0.929 -> 0.935, 0.947 from 35 ms). Checked on the other real recordings and on
# the synthetic readings, clean and under the held-out noises, whose word times are
# exact: there larger shifts cost words (35 ms: the interview in AAC at 32 kbit/s 0.986
# -> 0.958 within 50 ms), 20 ms none (docs/alignment.md, Word times).
DH_LATE_MS = 20


@dataclass(frozen=True)
class Heard:
    """A word the decoder heard: the dictionary's spelling, times in ms."""

    text: str
    begin: int
    end: int


def imported() -> None:
    """Import now what listening imports on first use (num2words and its languages,
    pocketsphinx where it is installed): `alignment.engine` has it done before its
    threads and children start (see `engine._imported_ahead`)."""
    import num2words  # noqa: F401

    try:
        import pocketsphinx  # noqa: F401
    except ImportError:
        pass


def available(language: str) -> bool:
    """Whether word evidence can be had for `language` on this machine."""
    if language not in LANGUAGES:
        return False
    try:
        import pocketsphinx  # noqa: F401
    except ImportError:
        return False
    return True


def words_of(spoken: str) -> list[str]:
    """The tokens a sentence's spoken form is heard as: lower case, numbers and Roman
    numerals of two letters or more as words ("18" -> eighteen, "II" -> two), hyphens
    and other punctuation as spaces."""
    out: list[str] = []
    for raw in re.split(r"[\s\-–—/]+", spoken):
        word = raw.strip(".,;:!?\"'“”‘’()[]{}…")
        if not word:
            continue
        if _ROMAN.match(word):
            word = _number_words(_roman_value(word))
        elif _NUMBER.match(word):
            word = _number_words(word)
        out.extend(_TOKEN.findall(word.lower().replace("’", "'")))
    return out


def _roman_value(numeral: str) -> str:
    values = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}
    total = 0
    for a, b in zip(numeral, numeral[1:] + " ", strict=True):
        v = values[a]
        total += -v if b != " " and values[b] > v else v
    return str(total)


def _number_words(number: str) -> str:
    from num2words import num2words

    digits = re.sub(r"(st|nd|rd|th)$", "", number).replace(",", "")
    ordinal = digits != number
    try:
        value = float(digits) if "." in digits else int(digits)
        if not ordinal and isinstance(value, int) and 1100 <= value <= 2099:
            return num2words(value, to="year")
        return num2words(value, to="ordinal" if ordinal else "cardinal")
    except (ValueError, OverflowError, NotImplementedError):
        return number


_DICTIONARY = "cmudict-en-us.dict"


def _model_folder() -> str:
    """The folder of pocketsphinx's English acoustic model and dictionary."""
    from pocketsphinx import get_model_path

    return os.path.join(get_model_path(), "en-us")


@functools.cache
def _dictionary() -> str:
    """The text of pocketsphinx's English dictionary: a line per pronunciation, the
    word first ("the", "the(2)"), after a line break, so that every line starts after
    one (`_phones` looks words up by searching for it). Read once and kept (3.5 MB)."""
    with open(os.path.join(_model_folder(), _DICTIONARY), encoding="utf-8") as f:
        return "\n" + f.read()


@functools.cache
def _known_words() -> frozenset[str]:
    """The words the dictionary has (a third of the time, and of the memory, of a
    table of their lines: 0.07 s against 0.21 s)."""
    return frozenset(re.findall(r"^[^ (\n]+", _dictionary(), re.M))


def known(word: str) -> bool:
    """Whether the dictionary can say `word` (a token of `words_of`)."""
    return word in _known_words()


def _pronunciations(words: set[str]) -> list[str]:
    """The dictionary's lines of `words`, word by word in sorted order, each word's
    lines in the file's order: one pass of a regular expression over the file, where a
    table of every word's lines, kept, cost 0.44 s and 27 MB of each process that
    listened."""
    lines: dict[str, list[str]] = {}
    for line, word in re.findall(r"^(([^ (\n]+)[^\n]*\n)", _dictionary(), re.M):
        if word in words:
            lines.setdefault(word, []).append(line)
    return [line for w in sorted(lines) for line in lines[w]]


@functools.lru_cache(maxsize=4096)
def _phones(word: str) -> tuple[tuple[str, ...], ...]:
    """The dictionary's pronunciations of `word`, each its phones: found by searching
    the text for its lines ("word ...", "word(2) ..."), which takes a millisecond,
    where a pass of a regular expression over the whole file took a tenth of a second."""
    text = _dictionary()
    out = []
    for head in [word + " ", *(f"{word}({n}) " for n in range(2, 10))]:
        at = text.find("\n" + head)
        if at < 0:
            break
        line = text[at + 1:text.find("\n", at + 1)]
        out.append(tuple(line.split()[1:]))
    return tuple(out)


def _opens_with_dh(word: str) -> bool:
    """Whether every pronunciation of `word` the dictionary has opens with DH."""
    return {p[0] for p in _phones(word) if p} == {"DH"}


def dated(heard: Sequence[Heard | None]) -> list[Heard | None]:
    """Words laid in order (`heard`, None where not heard) with the start of each that
    opens with DH, straight after the word before, moved DH_LATE_MS later (at most half
    its length), and the word before ending there: the model's bias, not the speaker's."""
    out = list(heard)
    for k in range(1, len(out)):
        before, h = out[k - 1], out[k]
        if before is None or h is None or before.end != h.begin or not _opens_with_dh(h.text):
            continue
        at = h.begin + min(DH_LATE_MS, (h.end - h.begin) // 2)
        out[k - 1], out[k] = Heard(before.text, before.begin, at), Heard(h.text, at, h.end)
    return out


def squeezed(word: str, begin: int, end: int) -> bool:
    """Whether `word` (a token), laid on [begin, end) ms, has MIN_PHONES_UNSAID phones or
    more and no more than SQUEEZE times as many frames as its longest pronunciation has
    states: laid about as short as the model allows, as a word the recording does not
    hold is."""
    counts = [len(p) for p in _phones(word)]
    return bool(counts) and min(counts) >= MIN_PHONES_UNSAID and \
        end - begin <= SQUEEZE * max(counts) * _STATES * _FRAME_MS


def pressed(heard: Sequence[Heard], span: tuple[int, int]) -> tuple[bool, bool]:
    """Whether the first of the words `heard` (in order) starts at the start of `span`
    (ms), and whether the last ends at its end, within a frame: the words pressed against
    an edge of what was listened to, which the warp put inside them."""
    if not heard:
        return False, False
    return heard[0].begin <= span[0] + _FRAME_MS, heard[-1].end >= span[1] - _FRAME_MS


class _Decoding:
    """A pocketsphinx decoder that knows only `words` (the transcript's: a dictionary of
    a few hundred lines loads in a moment, where the whole one took a second), its files
    in a folder of its own; `lm` writes the language model there, if any."""

    def __init__(self, words: set[str], settings: dict, lm: str | None = None,
                 fillers: str = ""):
        from pocketsphinx import Decoder

        root = _model_folder()
        self._folder = tempfile.TemporaryDirectory(prefix="tp-decoder-")
        lm_path = None
        if lm is not None:
            lm_path = os.path.join(self._folder.name, "transcript.arpa")
            with open(lm_path, "w", encoding="utf-8") as f:
                f.write(lm)
        dict_path = os.path.join(self._folder.name, "transcript.dict")
        with open(dict_path, "w", encoding="utf-8") as f:
            f.writelines(_pronunciations(words))
        model = os.path.join(root, "en-us")
        if fillers:  # the model's own fillers, and these
            settings = {**settings, "fdict": os.path.join(self._folder.name, "fillers.dict")}
            with open(os.path.join(model, "noisedict"), encoding="utf-8") as f:
                noises = f.read().rstrip("\n")
            with open(settings["fdict"], "w", encoding="utf-8") as f:
                f.write(noises + "\n" + fillers)
        self._decoder = Decoder(hmm=model, dict=dict_path, lm=lm_path, logfn=os.devnull,
                                **settings)

    def _decode(self, data: bytes, offset_ms: int, sounds: list[Heard] | None = None,
                ) -> list[Heard] | None:
        """The words the decoder hears in `data` (int16 mono, 16 kHz) with its present
        search, with times from `offset_ms`, silences and noises left out; the spoken fillers
        it hears (an "uh", an "um": "[SPEECH]", "++uh++" ...) go to `sounds`, if given.
        None when the search found no hypothesis."""
        d = self._utterance(data)
        segments = d.seg()
        if d.hyp() is None or segments is None:
            return None
        out = []
        for seg in segments:
            word = seg.word.split("(", 1)[0]
            if word in _NOT_WORDS:
                continue
            heard = Heard(word, offset_ms + seg.start_frame * _FRAME_MS,
                          offset_ms + (seg.end_frame + 1) * _FRAME_MS)
            if word[0] not in "[+":
                out.append(heard)
            elif sounds is not None and word != _NOISE:
                sounds.append(heard)
        return out

    def _utterance(self, data: bytes) -> Any:
        """The decoder, having decoded `data` (int16 mono, 16 kHz) as one utterance with
        its present search."""
        d = self._decoder
        d.start_utt()
        d.process_raw(data, full_utt=True)
        d.end_utt()
        return d

    def fit(self, data: bytes, words: Sequence[str]) -> float | None:
        """How well `words`, laid in order on `data` by forced alignment, fit it: the
        search's path score as a probability, in (0, 1]; None where it found no way
        through."""
        self._decoder.set_align_text(" ".join(words))
        hyp = self._utterance(data).hyp()
        return hyp.score if hyp is not None and hyp.score > 0 else None

    def laid(self, data: bytes, offset_ms: int, words: Sequence[str],
             ) -> tuple[list[Heard] | None, list[Heard]]:
        """`words` laid in order on `data` (int16 mono, 16 kHz, from `offset_ms`) by
        forced alignment: each word as heard, and the fillers heard among them; None
        (and no fillers) where the search found no way through all of them."""
        self._decoder.set_align_text(" ".join(words))
        between: list[Heard] = []
        heard = self._decode(data, offset_ms, between)
        if heard is None or len(heard) != len(words):
            return None, []
        return heard, between

    def close(self) -> None:
        """Remove the decoder's files."""
        self._folder.cleanup()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class Listener(_Decoding):
    """A decoder listening for the words of these sentences (each a list of tokens)."""

    def __init__(self, sentences: Sequence[Sequence[str]]):
        said = [[w for w in s if known(w)] for s in sentences]
        super().__init__({w for s in said for w in s}, _SETTINGS, _arpa(said))

    def hear(self, pcm: np.ndarray, offset_ms: int = 0) -> list[Heard]:
        """The words heard in `pcm` (int16 mono at 16 kHz, one utterance), with times
        from `offset_ms`."""
        return self._decode(np.ascontiguousarray(pcm, np.int16).tobytes(), offset_ms) or []


class Aligner(_Decoding):
    """A decoder that lays a sentence's known words on its stretch of a recording
    (forced alignment): the words of these sentences (each a list of tokens)."""

    def __init__(self, sentences: Sequence[Sequence[str]]):
        self._words = {w for s in sentences for w in s}
        super().__init__(self._words, _ALIGN_SETTINGS, fillers=_HESITATIONS)

    @functools.cached_property
    def _whole(self) -> _Decoding:
        """The decoder that keeps the search whole, opened the first time a piece needs
        it (most recordings never do)."""
        return _Decoding(self._words, _WHOLE_SETTINGS, fillers=_HESITATIONS)

    def close(self) -> None:
        """Remove the decoders' files."""
        super().close()
        if "_whole" in self.__dict__:
            self._whole.close()

    def place(self, pcm: np.ndarray, offset_ms: int, tokens: Sequence[str],
              guesses: Sequence[int | None] = (), sounds: list[Heard] | None = None,
              ) -> list[Heard | None]:
        """Per token of `tokens`, where it is said in `pcm` (int16 mono, 16 kHz, from
        `offset_ms`), or None. Every known token is laid, in order. Where the recording
        does not let all of them through (a word swallowed, a cold, a sentence edge a
        word off), the tokens are cut in two where `guesses` (per token, its estimated
        start in ms) says the middle one starts, and each half is laid on its side of
        it, down to pieces of LOOSE_TOKENS, laid then by a grammar in which each token
        may be left out (at LOOSE_SKIP); before a piece is cut, it is laid with the search
        kept whole, and kept so where it agrees with `guesses` (`_laid_whole`); where that
        search agreed but pressed a word against the edge, its times guess the piece's
        words from then on. The fillers heard on the way go to `sounds`. Starts are
        `dated`: the model's early DH is corrected."""
        out: list[Heard | None] = [None for _ in tokens]
        said = [k for k, t in enumerate(tokens) if known(t)]
        guess = list(guesses) or [None] * len(tokens)
        found: list[Heard] = []
        self._place(np.ascontiguousarray(pcm, np.int16), offset_ms, tokens, said, guess,
                    out, found, 0, (True, True))
        if sounds is not None:
            sounds += sorted(found, key=lambda h: h.begin)
        return dated(out)

    def _place(self, pcm: np.ndarray, offset_ms: int, tokens: Sequence[str],
               said: list[int], guess: list[int | None], out: list[Heard | None],
               sounds: list[Heard], depth: int, ends: tuple[bool, bool]) -> None:
        # ends: whether the piece's start and end are those of the stretch listened to
        if not said:
            return
        data, words = pcm.tobytes(), [tokens[k] for k in said]
        heard, between = self.laid(data, offset_ms, words)
        pressed = None
        if heard is None:
            end_ms = offset_ms + len(pcm) * 1000 // RATE
            heard, between, pressed = self._laid_whole(data, (offset_ms, end_ms), words,
                                                       [guess[k] for k in said], ends)
        if heard is not None:
            for k, h in zip(said, heard, strict=True):
                out[k] = h
            sounds += between
            return
        if pressed is not None:
            # the search kept whole heard the words where the warp roughly did, but
            # pressed an edge word: away from that edge, its times guess better than the
            # warp's, for where to cut and for what the halves are checked against (the
            # warp started a run's first sentence 0.5 s late, and a word 10 s on was off
            # by as much: mfa-two-speakers)
            guess = list(guess)
            for k, h in zip(said, pressed, strict=True):
                guess[k] = h.begin
        middle = len(said) // 2
        cut = guess[said[middle]]
        per_ms = RATE // 1000
        if len(said) <= LOOSE_TOKENS or depth >= MAX_CUTS or cut is None or \
                not offset_ms < cut < offset_ms + len(pcm) // per_ms:
            if len(said) <= LOOSE_TOKENS:
                self._place_loosely(pcm, offset_ms, tokens, said, out, sounds)
            return
        at = (cut - offset_ms) * per_ms
        self._place(pcm[:at], offset_ms, tokens, said[:middle], guess, out, sounds, depth + 1,
                    (ends[0], False))
        self._place(pcm[at:], cut, tokens, said[middle:], guess, out, sounds, depth + 1,
                    (False, ends[1]))

    def _laid_whole(self, data: bytes, span: tuple[int, int], words: Sequence[str],
                    guesses: Sequence[int | None], ends: tuple[bool, bool],
                    ) -> tuple[list[Heard] | None, list[Heard], list[Heard] | None]:
        """`words` laid on `data` (the piece `span`, ms) with nothing pruned from the
        search, and the fillers heard among them; None where the search found no way
        through, where the words start more than WHOLE_AGREE_MS from `guesses` at the
        median (in noise such a search lays every word somewhere, right or not), or where
        the first word starts at the piece's start, or the last ends at its end, and that
        edge is the edge of what was listened to (`ends`: start, end), not a cut: there the
        words were pressed against an edge the warp put inside them. In that last case
        the words as laid come third ("pressed"): away from the edge they hold."""
        if all(g is None for g in guesses):
            return None, [], None  # nothing to check it against: the search would be refused
        heard, between = self._whole.laid(data, span[0], words)
        if heard is None:
            return None, [], None
        gaps = [abs(h.begin - g) for h, g in zip(heard, guesses, strict=True) if g is not None]
        if not gaps or float(np.median(gaps)) > WHOLE_AGREE_MS:
            return None, [], None
        at_start, at_end = pressed(heard, span)
        if (ends[0] and at_start) or (ends[1] and at_end):
            return None, [], heard
        return heard, between, None

    def unsaid(self, pcm: np.ndarray, words: Sequence[str], k: int) -> bool:
        """Whether `words[k]` is not said in `pcm` (int16 mono, 16 kHz, holding `words`
        and little else): the words without it, laid with the search kept whole, fit
        better than with it by UNSAID_GAIN or more. False where either laying fails."""
        data = np.ascontiguousarray(pcm, np.int16).tobytes()
        said = self._whole.fit(data, words)
        if said is None:
            return False
        left_out = self._whole.fit(data, [*words[:k], *words[k + 1:]])
        return left_out is not None and math.log(left_out / said) >= UNSAID_GAIN

    def _place_loosely(self, pcm: np.ndarray, offset_ms: int, tokens: Sequence[str],
                       said: list[int], out: list[Heard | None], sounds: list[Heard],
                       ) -> None:
        """A few tokens laid by a grammar in which each may be left out, at LOOSE_SKIP;
        those heard keep their places. (With optional words at even odds, every path
        stayed in the search: over a long sentence it took minutes.)"""
        d = self._decoder
        transitions: list[tuple] = []
        for i, k in enumerate(said):
            transitions += [(i, i + 1, 1.0 - LOOSE_SKIP, tokens[k]), (i, i + 1, LOOSE_SKIP)]
        d.add_fsg("loose", d.create_fsg("loose", 0, len(said), transitions))
        d.activate_search("loose")
        heard = self._decode(pcm.tobytes(), offset_ms, sounds) or []
        j = 0
        for h in heard:  # in order, each the next token of its spelling
            while j < len(said) and tokens[said[j]] != h.text:
                j += 1
            if j == len(said):
                break
            out[said[j]] = h
            j += 1


def _arpa(sentences: Sequence[Sequence[str]]) -> str:
    """A bigram language model of these sentences in ARPA form, absolute discounting
    backing off to unigrams: the words of the transcript, in about its order."""
    uni: Counter[str] = Counter()
    bi: Counter[tuple[str, str]] = Counter()
    for s in sentences:
        words = ["<s>", *s, "</s>"]
        uni.update(words)
        bi.update(zip(words, words[1:], strict=False))
    total = sum(uni.values())
    followers: Counter[str] = Counter(a for a, _ in bi)
    lines = ["\\data\\", f"ngram 1={len(uni)}", f"ngram 2={len(bi)}", "", "\\1-grams:"]
    for w, c in uni.items():
        back = max(_DISCOUNT * followers[w] / c, 1e-3)
        lines.append(f"{math.log10(c / total):.4f} {w} {math.log10(back):.4f}")
    lines += ["", "\\2-grams:"]
    for (a, b), c in bi.items():
        lines.append(f"{math.log10((c - _DISCOUNT) / uni[a]):.4f} {a} {b}")
    lines += ["", "\\end\\", ""]
    return "\n".join(lines)
