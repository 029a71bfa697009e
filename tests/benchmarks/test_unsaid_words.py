"""The unsaid-words check's own parts: where words are added, and how an alignment of the
transcript with them is judged."""

from __future__ import annotations

from benchmarks import unsaid_words as uw

TEXT = ("Thank you for coming. Could you tell us how you began?\n"
        "Of course. My grandfather kept bees on his farm, and I watched them.\n")


def test_words_are_added_inside_sentences_alike_on_every_run() -> None:
    text, added = uw.with_added(TEXT, "case")
    assert (text, added) == uw.with_added(TEXT, "case")
    assert uw.with_added(TEXT, "other") != (text, added)
    assert len(added) == 2 and set(added) <= set(uw.ADDED)
    for line, original in zip(text.splitlines(), TEXT.splitlines(), strict=True):
        words = line.split(" ")
        assert [w for w in words if w not in added] == original.split(" ")
        for k, w in enumerate(words):
            if w in added:  # never first or last, never right after a sentence's end
                assert 0 < k < len(words) - 1 and not words[k - 1].endswith((".", "?"))


def test_an_alignment_is_judged_by_what_it_says_of_each_word() -> None:
    ours = {"sentences": [
        {"aligned": True, "words": [{"text": "Thank", "begin": 0.1, "end": 0.3},
                                    {"text": "wooden", "begin": 0.3, "end": 0.3,
                                     "aligned": False},
                                    {"text": "you", "begin": 0.3, "end": 0.5,
                                     "aligned": False}]},
        {"aligned": True, "words": [{"text": "Of", "begin": 1.0, "end": 1.1},
                                    {"text": "silver", "begin": 1.1, "end": 1.2}]},
        {"aligned": False, "words": []},
    ]}
    got = uw.judged(ours, ["wooden", "silver"])
    assert got == {"added": 2, "caught": 1, "timed": 1, "said_unsaid": ["you"]}
    table = uw.report([{"case": "c", "words": 9, "wall": 1.0, **got}], "cmd", ["gone"])
    assert "| c | 9 | 2 | 1 | 1 | you |" in table
    assert "| **pooled** | 9 | 2 | 1 (0.50) | 1 | 1 of 7 |" in table
    assert "skipped: gone" in table
