"""Caption cues fit a screen: two lines of about 42 characters, 7 s, cut at phrases."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from alignment.formats import srt, vtt
from alignment.formats.common import Cue
from alignment.formats.cues import (
    MAX_CUE_MS,
    MAX_LINE,
    MAX_LINES,
    cues_for_words,
    split_sentence,
)
from alignment.syncmap import Sentence, SyncMap, Word

LONG = (
    "I think it is very important that we are meeting today, on the third of October, "
    "because the events of the eleventh of September have shown that Russia and the "
    "Alliance face the same threats; and that we must, therefore, work together against "
    "terrorism, which knows no borders, with all the means at our disposal, and for as "
    "long as it takes."
)


def check(cues, text: str, begin: int, end: int, prefix: str = "") -> None:
    assert cues[0].begin == begin and cues[-1].end == end
    for a, b in zip(cues, cues[1:], strict=False):
        assert a.end == b.begin  # no gap, no overlap: the sentence's time is shared out
    words = []
    for cue in cues:
        assert 1 <= len(cue.lines) <= MAX_LINES
        assert cue.begin <= cue.end
        body = " ".join(cue.lines).split()
        body = body[len(prefix.split()):] if prefix else body
        one_word = len(body) == 1
        assert one_word or all(len(line) <= MAX_LINE for line in cue.lines), cue
        assert one_word or cue.end - cue.begin <= MAX_CUE_MS + 1, cue
        words += body
    assert words == text.split()  # every word once, in order


def test_a_long_sentence_becomes_cues_that_fit() -> None:
    assert len(LONG) > 300
    cues = split_sentence(LONG, 1000, 21000)
    check(cues, LONG, 1000, 21000)
    assert len(cues) >= 4
    # cuts fall at phrase marks where there are some
    ends = [c.lines[-1].split()[-1] for c in cues[:-1]]
    assert sum(w.endswith((",", ";")) for w in ends) >= len(ends) - 1, ends


def test_a_short_sentence_is_one_cue_on_one_line() -> None:
    cues = split_sentence("Thank you.", 0, 900)
    assert [(c.begin, c.end, c.lines) for c in cues] == [(0, 900, ("Thank you.",))]


def test_a_slow_short_sentence_is_cut_by_time() -> None:
    text = "We will now observe a minute of silence."
    cues = split_sentence(text, 0, 20_000)
    check(cues, text, 0, 20_000)
    assert len(cues) >= 3


def test_caption_files_use_the_fitted_cues() -> None:
    m = SyncMap(sentences=(Sentence(0, LONG, "Lord Robertson", 0, 20_000, 0.9, True, 0),
                           )).with_ids()
    text = vtt.write(m)
    assert text.count(" --> ") >= 4
    sid = m.sentences[0].id
    assert f"\n{sid}\n" in text and f"\n{sid}-2\n" in text
    lines = [line for line in text.splitlines()[1:] if line and "-->" not in line
             and not line.startswith("s-")]
    assert all(len(line.removeprefix("<v Lord Robertson>")) <= MAX_LINE for line in lines)
    for block in srt.write(m).strip().split("\n\n"):
        body = block.split("\n")[2:]
        assert len(body) <= MAX_LINES and all(len(line) <= MAX_LINE for line in body), block
        assert body[0].startswith("Lord Robertson: ")


words = st.text("abcdefghijklmnopqrstuvwxyz,.;", min_size=1, max_size=14)


@settings(max_examples=300)
@given(st.lists(words, min_size=1, max_size=80), st.integers(0, 10**7),
       st.integers(0, 120_000), st.sampled_from(["", "Q: ", "President Putin: "]))
def test_any_sentence_fits(ws: list[str], begin: int, length: int, prefix: str) -> None:
    text = " ".join(ws)
    cues = split_sentence(text, begin, begin + length, prefix=prefix)
    check(cues, text, begin, begin + length, prefix)


# ---------------------------------------------------------------- with word timings

def check_timed(cues: list[Cue], ws: list[Word], prefix: str = "") -> None:
    """Cues cut between timed words: each from its first word to its last, every word
    once and in order, the lines made of the cue's words, and each cue fits."""
    seen: list[Word] = []
    for cue in cues:
        flat = [w for line in cue.words for w in line]
        assert (cue.begin, cue.end) == (flat[0].begin, flat[-1].end), cue
        assert len(cue.words) == len(cue.lines) and 1 <= len(cue.lines) <= MAX_LINES
        shown = [" ".join(w.text for w in line) for line in cue.words]
        if prefix:
            shown[0] = (prefix + shown[0]).rstrip()
        assert [line.strip() for line in cue.lines] == [line.strip() for line in shown]
        if len(flat) > 1:
            assert all(len(line) <= MAX_LINE for line in cue.lines), cue
            assert cue.end - cue.begin <= MAX_CUE_MS, cue
        seen += flat
    assert seen == ws


def _timed(text: str, pauses: dict[int, int] | None = None, per_word: int = 400) -> list[Word]:
    out, at = [], 0
    for i, word in enumerate(text.split()):
        at += (pauses or {}).get(i, 0)
        out.append(Word(word, at, at + per_word))
        at += per_word
    return out


def test_cues_take_their_times_from_their_words() -> None:
    ws = _timed(LONG)
    cues = cues_for_words(ws)
    check_timed(cues, ws)
    assert len(cues) >= 4
    # cut at phrase marks, as without word times
    ends = [c.words[-1][-1].text for c in cues[:-1]]
    assert sum(w.endswith((",", ";")) for w in ends) >= len(ends) - 1, ends
    # the gaps between the words stay gaps between the cues
    paused = _timed("Thank you. And now the questions from the floor, please.", {2: 2500},
                    per_word=900)
    assert [(c.begin, c.end, c.lines) for c in cues_for_words(paused)] == [
        (0, 1800, ("Thank you.",)), (4300, 7900, ("And now the questions",)),
        (7900, 11_500, ("from the floor, please.",))]


def test_cues_with_words_carry_a_speaker_prefix() -> None:
    ws = _timed(LONG, per_word=200)
    cues = cues_for_words(ws, prefix="President Putin: ")
    check_timed(cues, ws, "President Putin: ")
    assert all(c.lines[0].startswith("President Putin: ") for c in cues)


def test_cues_for_words_needs_words() -> None:
    import pytest

    with pytest.raises(ValueError, match="at least one word"):
        cues_for_words([])


@settings(max_examples=300)
# a timed word may hold a space: the unheard words joined to a heard one ("and so")
@given(st.lists(st.tuples(st.one_of(words, st.lists(words, min_size=2, max_size=3).map(" ".join)),
                          st.integers(0, 3000), st.integers(0, 9000)),
                min_size=1, max_size=60),
       st.sampled_from(["", "Q: ", "President Putin: "]))
def test_any_timed_words_fit(items: list[tuple[str, int, int]], prefix: str) -> None:
    ws, at = [], 0
    for text, gap, length in items:
        ws.append(Word(text, at + gap, at + gap + length))
        at += gap + length
    check_timed(cues_for_words(ws, prefix=prefix), ws, prefix)
