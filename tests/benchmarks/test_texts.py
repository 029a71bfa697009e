"""The benchmarks' texts, read from their TOML files (`benchmarks.texts`)."""

import pytest

from benchmarks import texts


@pytest.mark.parametrize("name", ["generality", "holdout", "mismatch"])
def test_each_set_loads_as_texts_and_tuples_of_them(name):
    values = vars(texts.load(name))
    assert values == vars(getattr(texts, name))
    for key, value in values.items():
        assert key.isupper()
        if isinstance(value, str):
            # a transcript keeps its last line break, as it was written
            assert "\n" not in value or value.endswith(".\n"), key
        else:
            assert isinstance(value, tuple) and value, key
            flat = [x for v in value for x in (v if isinstance(v, tuple) else (v,))]
            assert all(isinstance(x, str) and x for x in flat), key


def test_the_sets_read_by_the_cases_are_there():
    assert texts.generality.PODCAST.startswith("HOST: ")
    assert texts.generality.INTERVIEW_ASIDE[0] == ("Q", "Sorry, could we stop for a moment?")
    assert texts.holdout.BABBLE and texts.holdout.NEWS
    assert texts.mismatch.PODCAST_AD_AFTER in texts.mismatch.PODCAST
