"""Where the transcript is in the recording: runs of its words that a recogniser heard.

A recogniser listening for the transcript's words (`alignment.recognizer`) also "hears"
them in speech that holds none of them (another language, unscripted talk, a song), but
there they come out scattered: a word here and there, never several in the transcript's
own order. Words heard in order, MIN_RUN or more together, are anchors: the transcript
was said there. Between anchors the warp decides, and a stretch between two anchored
sentences that no sentence of the transcript can fill is speech the transcript lacks.

    heard_in_order(tokens, heard, known) -> per sentence, its anchored tokens and times
    fits(marks, begin, end) -> whether a sentence's placement holds its heard words
    disagree(anchored, stretches, begins, ends, counts) -> whether probes say a
                                                           placement is wrong
    by_chance(words, heard, tokens) -> how often words heard in this order would turn
                                       up by chance in this recording
    chance_only(anchored, tokens, heard) -> per sentence, whether its run is that likely
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

# A run of this many words heard in the transcript's order is an anchor. Two words in
# order turn up by chance in foreign speech heard through an English model with the
# transcript's words ("of the", "and the"); three in a row did not, on seed-interpreted
# (Italian) and its German and Spanish variants, while most English sentences hold
# several runs of three.
MIN_RUN = 3
PLACED_SLACK_MS = 1000  # a word heard this far outside its sentence's placed times
# says the warp placed the sentence elsewhere
DOUBT_MS = 1500  # a probe the warp laid this much of a sentence into (with MIN_RUN words
# or more the recogniser knows) should hear some of them
SLOWEST_WORD_MS = 1500  # a run whose words took longer than this each is not speech
# in order but words picked out of a long stretch
LONGEST_GAP_MS = 1000  # a run is cut where its words lie further apart than this: a
# common word ("the") heard in foreign speech after a sentence would extend that
# sentence's run (and pull the next sentence's first word back onto the foreign speech)
WORD_REACH_MS = 800  # per word not heard at a sentence's edge, how far its speech reaches
# A run met by chance this often or more (`by_chance`) is no evidence: one in twenty, as a
# test of significance is. Under five other voices at 6 dB, "of it" (two words of "All
# of it." in a run "of it let it") and "it off the" moved sentences 30-50 s late, and
# the seventeen between them were left unsaid (held-out recipe-kitchen babble:6, 0.853
# -> 0.353 within 100 ms on one synthesis of the babble); an advertisement heard as
# "back and the", three words of a sentence laid on it, kept a podcast's last 20
# sentences there
CHANCE = 0.05


@dataclass(frozen=True)
class Anchor:
    """A transcript token (index `token` in its sentence's tokens) heard at [begin, end)
    ms."""

    token: int
    begin: int
    end: int


def heard_in_order(tokens: Sequence[Sequence[str]], heard: Sequence, known: Callable[[str], bool],
                   ) -> list[list[Anchor]]:
    """Per sentence (its tokens), the tokens heard in runs of MIN_RUN or more, in the
    transcript's order. `heard`: the recogniser's words (`.text`, `.begin`, `.end`), in
    time order; `known`: whether the recogniser could hear a token at all (the others
    are passed over, not counted against a run)."""
    where = [(k, j) for k, sent in enumerate(tokens) for j, w in enumerate(sent) if known(w)]
    said = [tokens[k][j] for k, j in where]
    words = [h.text for h in heard]
    out: list[list[Anchor]] = [[] for _ in tokens]
    matcher = SequenceMatcher(None, said, words, autojunk=False)
    for a, b, n in matcher.get_matching_blocks():
        for lo, hi in _runs(heard, b, n):
            for i in range(lo, hi):
                k, j = where[a + i]
                h = heard[b + i]
                out[k].append(Anchor(j, h.begin, h.end))
    return out


def _runs(heard: Sequence, b: int, n: int) -> list[tuple[int, int]]:
    """The parts [lo, hi) of the block of n words heard from heard[b] that are runs:
    cut where two words lie LONGEST_GAP_MS apart, and kept with MIN_RUN words or more
    said at a pace speech has."""
    cuts = [0] + [i for i in range(1, n)
                  if heard[b + i].begin - heard[b + i - 1].end > LONGEST_GAP_MS] + [n]
    return [(lo, hi) for lo, hi in zip(cuts, cuts[1:], strict=False)
            if hi - lo >= MIN_RUN and
            heard[b + hi - 1].end - heard[b + lo].begin <= (hi - lo) * SLOWEST_WORD_MS]


def fits(marks: Sequence[Anchor], begin: int | None, end: int | None) -> bool:
    """Whether a sentence placed at [begin, end] ms (None: not placed) holds the words
    heard of it: none well outside its times, and its first heard word no further from
    its start than the words before it could take (WORD_REACH_MS each). Its end is not
    held so close: a warp's end may take in a breath or other speech after it, which
    moves no start."""
    if begin is None or end is None:
        return False
    if any(m.begin < begin - PLACED_SLACK_MS or m.end > end + PLACED_SLACK_MS
           for m in marks):
        return False
    first = marks[0]
    return first.begin - begin <= PLACED_SLACK_MS + first.token * WORD_REACH_MS


def disagree(anchored: Sequence[Sequence[Anchor]], stretches: Sequence[tuple[int, int]],
             begins: Sequence[int | None], ends: Sequence[int | None],
             counts: Sequence[int], chance: Sequence[bool] = ()) -> bool:
    """Whether words heard in `stretches` (anchored per sentence, as `heard_in_order`
    gives them) say the placement `begins`/`ends` (ms per sentence, None for a sentence
    not placed) is wrong: a sentence that does not hold its heard words (`fits`), or a
    stretch where the placement lays DOUBT_MS of a sentence (of `counts` known tokens)
    and not one word of the transcript is heard in order, other than by chance
    (`chance`: per sentence, whether its run is as likely by chance as not; an
    advertisement heard as "back and the", three words of a sentence laid on it, had
    been taken for that sentence)."""
    by_chance_only = list(chance) or [False] * len(anchored)
    heard_in: list[bool] = [False] * len(stretches)
    for k, marks in enumerate(anchored):
        if marks and not fits(marks, begins[k], ends[k]):
            return True
        if by_chance_only[k]:
            continue
        for m in marks:
            for i, (lo, hi) in enumerate(stretches):
                heard_in[i] |= lo <= m.begin < hi
    for i, (lo, hi) in enumerate(stretches):
        if heard_in[i]:
            continue
        for k, (b, e) in enumerate(zip(begins, ends, strict=True)):
            if b is not None and e is not None and counts[k] >= MIN_RUN and \
                    min(e, hi) - max(b, lo) >= DOUBT_MS:
                return True
    return False


def by_chance(words: Sequence[str], heard: Sequence, tokens: int) -> float:
    """How many times `words` would be met in this order by chance between a transcript
    of `tokens` tokens and what the recogniser heard (`heard`, with `.text`): every place
    in the one against every place in the other, each word as likely as its share of
    the words heard. Babble of other English voices is heard as the transcript's common
    words ("of it let it", "it off the"), so a run of them proves nothing; a run holding
    a word heard rarely does."""
    return _expected(words, Counter(h.text for h in heard), len(heard), tokens)


def chance_only(anchored: Sequence[Sequence[Anchor]], tokens: Sequence[Sequence[str]],
                heard: Sequence) -> list[bool]:
    """Per sentence (its `tokens`, its `anchored` run), whether the words of its run
    would be met by chance CHANCE times or more in this recording (`by_chance`, over
    the whole transcript and all of `heard`); False where it has no run."""
    counts = Counter(h.text for h in heard)  # once: `heard` may be hours of words
    size = sum(len(t) for t in tokens)
    return [bool(a) and _expected([t[m.token] for m in a], counts, len(heard), size) >= CHANCE
            for a, t in zip(anchored, tokens, strict=True)]


def _expected(words: Sequence[str], counts: Counter, total: int, tokens: int) -> float:
    if not total:
        return math.inf
    chance = float(total * max(1, tokens))
    for w in words:
        chance *= counts[w] / total
    return chance
