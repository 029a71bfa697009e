"""A sentence's words as the exports write them: checked, and the unheard ones joined on.

    timed_words(sentence) -> [Word("Ladies and", 1230, 1700), Word("Gentlemen,", 1700, 2340)]
    # "and" was not heard: it lights with "Ladies"

The caption cues (`cues`), WebVTT's karaoke timestamps (`vtt`) and the Podcasting 2.0
word segments (`podcast`) all give a time to each word that was heard. A word that was
not heard (`aligned` false) has only its neighbours' times, so it is not given a time of
its own: it joins the heard word before it (or, first in the sentence, the one after
it), and lights up with that word. The Praat TextGrid (`textgrid`) leaves unheard words
out instead, since it has a tier of its own to show gaps in.

Every writer takes its words through `check_words`, so a sync map whose words do not
spell their sentence, or whose times run backwards or outside it, is refused with the
sentence named, rather than written as captions that show the wrong words.
"""

from __future__ import annotations

from alignment.syncmap import Sentence, Word, split_words

__all__ = ["check_words", "timed_words"]


def _name(sentence: Sentence) -> str:
    text = " ".join(sentence.text.split())
    shown = text if len(text) <= 40 else text[:39] + "…"
    return f"sentence {sentence.id or sentence.index} ({shown!r})"


def check_words(sentence: Sentence) -> tuple[Word, ...]:
    """The sentence's words, after checking the data model's promises: they are
    `split_words(sentence.text)` in order, each ends at or after it begins, none overlaps
    the next, and all lie inside the sentence's times. ValueError naming the sentence
    and the first broken promise otherwise. A sentence without words passes as it is."""
    words = sentence.words
    if not words:
        return words
    expected = split_words(sentence.text)
    got = [w.text for w in words]
    if got != expected:
        raise ValueError(
            f"{_name(sentence)}: its words {got!r} are not its text's words {expected!r}; "
            "align it again, or drop its words"
        )
    if words[0].begin < sentence.begin:
        raise ValueError(f"{_name(sentence)}: its first word begins ({words[0].begin} ms) "
                         f"before the sentence ({sentence.begin} ms)")
    previous_end = sentence.begin
    for w in words:
        if w.end < w.begin:
            raise ValueError(f"{_name(sentence)}: the word {w.text!r} ends ({w.end} ms) "
                             f"before it begins ({w.begin} ms)")
        if w.begin < previous_end:
            raise ValueError(f"{_name(sentence)}: the word {w.text!r} begins ({w.begin} ms) "
                             f"before the word before it ends ({previous_end} ms)")
        previous_end = w.end
    if previous_end > sentence.end:
        raise ValueError(f"{_name(sentence)}: its last word ends ({previous_end} ms) after "
                         f"the sentence ({sentence.end} ms)")
    return words


def timed_words(sentence: Sentence) -> list[Word]:
    """The sentence's words as units with a time each: every heard word, with the unheard
    words after it (before the first heard word: before it) joined on by a space, from
    the first one's begin to the last one's end. [] when the sentence has no words or
    none was heard; ValueError as `check_words` when its words are not its own."""
    words = check_words(sentence)
    out: list[Word] = []
    leading: list[Word] = []  # unheard words before the first heard one
    for w in words:
        if w.aligned:
            group = [*leading, w]
            leading = []
            out.append(Word(" ".join(g.text for g in group), group[0].begin, w.end))
        elif out:
            last = out[-1]
            out[-1] = Word(f"{last.text} {w.text}", last.begin, w.end)
        else:
            leading.append(w)
    return out
