"""The long recording made up for the player's tests and benchmarks
(`testsupport.recordings`)."""

from alignment.syncmap import split_words
from alignment.synthetic import seed_sentences
from testsupport.recordings import long_syncmap


def test_the_long_recording_repeats_the_demos_reading_of_the_seed():
    _, turns = seed_sentences()
    n = len(turns) + 5
    syncmap = long_syncmap(n, 60_000 * n)
    got = [(s.speaker, s.text) for s in syncmap.sentences]
    assert got == [turns[i % len(turns)] for i in range(n)]
    assert all(s.speaker for s in syncmap.sentences)


def test_the_long_recording_with_words_gives_each_said_sentence_its_own_words():
    syncmap = long_syncmap(200, 400_000, words=True)
    said = [s for s in syncmap.sentences if s.aligned]
    assert len(said) < len(syncmap.sentences)  # some are not said: they have no words
    assert all(not s.words for s in syncmap.sentences if not s.aligned)
    for s in said:
        assert [w.text for w in s.words] == split_words(s.text)
        assert s.begin == s.words[0].begin and s.words[-1].end <= s.end
        assert all(a.end <= b.begin for a, b in zip(s.words, s.words[1:], strict=False))
