"""The player benchmark's pieces that need no browser: its recording and its doc
section."""

from alignment.synthetic import seed_sentences
from benchmarks import player_bench
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
