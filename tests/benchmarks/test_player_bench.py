"""The player benchmark's pieces that need no browser: its recording, its doc section,
and the wait for a ready player."""

import pytest

from alignment.synthetic import seed_sentences
from benchmarks import browser, player_bench
from benchmarks.doc import read_section


def test_the_measured_section_of_docs_player_is_found_by_its_markers():
    body = read_section(player_bench.SECTION, player_bench.DOC)
    assert body is not None and body.startswith("Measured ")


def test_the_long_recording_repeats_the_demos_reading_of_the_seed():
    _, turns = seed_sentences()
    n = len(turns) + 5
    syncmap = player_bench.long_syncmap(n, 60_000 * n)
    got = [(s.speaker, s.text) for s in syncmap.sentences]
    assert got == [turns[i % len(turns)] for i in range(n)]
    assert all(s.speaker for s in syncmap.sentences)


class FakePage:
    """Ready after `ready_after` evaluations; counts its waits."""

    def __init__(self, ready_after: int) -> None:
        self.left = ready_after
        self.waits = 0

    def evaluate(self, expression: str) -> bool:
        assert expression == browser.READY
        self.left -= 1
        return self.left < 0

    def wait_for_timeout(self, ms: float) -> None:
        self.waits += 1


def test_wait_ready_polls_until_the_player_is_ready():
    page = FakePage(ready_after=3)
    browser.wait_ready(page)
    assert page.waits == 3


def test_wait_ready_gives_up_after_its_timeout():
    with pytest.raises(TimeoutError):
        browser.wait_ready(FakePage(ready_after=10**9), timeout=50)


def test_the_long_recording_with_words_gives_each_said_sentence_its_own_words():
    from alignment.syncmap import split_words

    syncmap = player_bench.long_syncmap(200, 400_000, words=True)
    said = [s for s in syncmap.sentences if s.aligned]
    assert len(said) < len(syncmap.sentences)  # some are not said: they have no words
    assert all(not s.words for s in syncmap.sentences if not s.aligned)
    for s in said:
        assert [w.text for w in s.words] == split_words(s.text)
        assert s.begin == s.words[0].begin and s.words[-1].end <= s.end
        assert all(a.end <= b.begin for a, b in zip(s.words, s.words[1:], strict=False))
