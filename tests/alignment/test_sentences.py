"""Sentence splitting (exact text, every word kept) and the synthesiser's spoken form."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alignment.sentences import pysbd_language, sentence_spans, split_sentences, spoken_form


@pytest.mark.parametrize(
    ("paragraph", "expected"),
    [
        ("One. Two? Three!", ["One.", "Two?", "Three!"]),
        ("Mr. Smith went to Washington. He stayed.",
         ["Mr. Smith went to Washington.", "He stayed."]),
        ("The U.S. is big. No. 5 is here.", ["The U.S. is big.", "No. 5 is here."]),
        ('He said "Stop." Then he left.', ['He said "Stop."', "Then he left."]),
        ("Spacing  kept   as written.   Next.", ["Spacing  kept   as written.", "Next."]),
        ("Ladies and Gentlemen,", ["Ladies and Gentlemen,"]),
        ("No final stop here", ["No final stop here"]),
        # a short lead-in ending in ":" belongs to the sentence it introduces
        ("Second part: Could you comment on it. Yes.",
         ["Second part: Could you comment on it.", "Yes."]),
        ("Question one: a) Why? b) How?", ["Question one: a) Why?", "b) How?"]),
        ("Second part: 1. Could you comment? Yes.",
         ["Second part: 1. Could you comment?", "Yes."]),
        # word-less bits join a neighbour rather than stand alone
        ("He left. ... And then?", ["He left. ...", "And then?"]),
        # never a boundary inside a word
        ("Mr.! the.", ["Mr.! the."]),
    ],
)
def test_split_sentences(paragraph: str, expected: list[str]) -> None:
    assert split_sentences(paragraph) == expected


def test_language_rules_are_used() -> None:
    text = "Das ist z. B. gut. Ja, das ist es."
    assert split_sentences(text, "deu") == ["Das ist z. B. gut.", "Ja, das ist es."]


@pytest.mark.parametrize(
    ("code", "expected"),
    [("eng", "en"), ("deu", "de"), ("fra", "fr"), ("ita", "it"), ("spa", "es"),
     ("ger", "de"), ("en", "en"), ("en-US", "en"), ("fin", "en"), ("", "en")],
)
def test_pysbd_language(code: str, expected: str) -> None:
    assert pysbd_language(code) == expected


_PROSE = st.lists(
    st.sampled_from(
        ["Hello", "world.", "Mr.", "Smith", "e.g.", "U.S.", "what?", "yes!", "...", "No.",
         "5", "3.5", "Second", "part:", '"quoted."', "(aside)", "a)", "-", "—", "It's"]
    )
    | st.text(alphabet="abAB.,!?:;()'\" \t-", min_size=1, max_size=6),
    max_size=40,
).map(" ".join)


@settings(max_examples=100, deadline=None)
@given(_PROSE)
def test_sentences_are_exact_substrings_covering_every_word(paragraph: str) -> None:
    spans = sentence_spans(paragraph)
    cursor = 0
    for a, b in spans:
        piece = paragraph[a:b]
        assert a >= cursor and piece == piece.strip() and piece
        assert not paragraph[cursor:a].strip(), "words between sentences were dropped"
        assert a == 0 or paragraph[a - 1].isspace(), "a word was cut in two"
        cursor = b
    assert not paragraph[cursor:].strip()
    assert split_sentences(paragraph) == [paragraph[a:b] for a, b in spans]


def test_long_paragraph_is_split_in_reasonable_time() -> None:
    # pysbd is superlinear in the length it is given; long paragraphs are chunked.
    sentence = "The alliance and the federation agreed on a programme of work today. "
    paragraph = sentence * 1500  # about 100,000 characters, 18,000 words
    started = time.perf_counter()
    sentences = split_sentences(paragraph)
    assert time.perf_counter() - started < 10
    assert len(sentences) == 1500
    assert set(sentences) == {sentence.strip()}


@pytest.mark.parametrize(
    ("written", "spoken"),
    [
        ("Growth was 5% this year.", "Growth was 5 percent this year."),
        ("Research & development.", "Research and development."),
        ("R&D", "R and D"),
        ("It costs $5 now.", "It costs 5 dollars now."),
        ("It costs $1 now.", "It costs 1 dollar now."),
        ("It costs $5.50 or €3.", "It costs 5.50 dollars or 3 euros."),
        ("A $2 million grant.", "A 2 million dollars grant."),
        ("Fruit, e.g. apples.", "Fruit, for example apples."),
        ("The capital, i.e. Paris.", "The capital, that is Paris."),
        ("Russia vs. NATO.", "Russia versus NATO."),
        ("Books, pens, etc. were there.", "Books, pens, et cetera were there."),
        ("See No. 5 on the list.", "See number 5 on the list."),
        ("The answer would be No.", "The answer would be No."),
        ('He said "working body" there.', "He said working body there."),
        ("“Quoted” and ‘single’ words.", "Quoted and single words."),
        ("I don’t know (really) [sic].", "I don't know really sic."),
        ("Visit https://www.nato.int/docu/speech today.",
         "Visit www dot nato dot int docu speech today."),
        ("On the 11th of September, 18 allies.", "On the 11th of September, 18 allies."),
        ("  Spaces   collapse  ", "Spaces collapse"),
        ("Cholera arrived in the 1830s.", "Cholera arrived in the eighteen thirties."),
        ("The 1900s, not 1830.", "The nineteen hundreds, not 1830."),
    ],
)
def test_spoken_form_english(written: str, spoken: str) -> None:
    assert spoken_form(written) == spoken


@pytest.mark.parametrize(
    ("language", "written", "spoken"),
    [
        ("deu", "Es sind 50% & mehr.", "Es sind 50 Prozent und mehr."),
        ("fra", "C'est 50% & plus.", "C'est 50 pour cent et plus."),
        ("spa", "Son $5.", "Son 5 dólares."),
        # English abbreviations are not expanded in other languages
        ("deu", "Das ist z. B. e.g. gut.", "Das ist z. B. e.g. gut."),
    ],
)
def test_spoken_form_other_languages(language: str, written: str, spoken: str) -> None:
    assert spoken_form(written, language) == spoken


@pytest.mark.parametrize(
    ("paragraph", "expected"),
    [
        ("Ladies and Gentlemen, President Putin and I met.",
         ["Ladies and Gentlemen,", "President Putin and I met."]),
        ("Good morning, everyone. Let us start.", ["Good morning, everyone.", "Let us start."]),
        ("Mr President, you said so.", ["Mr President, you said so."]),
        ("Good morning, and welcome to the briefing.",
         ["Good morning, and welcome to the briefing."]),
        ("Mr President in your speech you said so.", ["Mr President in your speech you said so."]),
        ("In Paris, we met.", ["In Paris, we met."]),
        ("However, nothing changed.", ["However, nothing changed."]),
    ],
)
def test_salutation_is_its_own_sentence(paragraph: str, expected: list[str]) -> None:
    assert split_sentences(paragraph) == expected


def test_long_paragraphs_of_short_sentences_are_cut_only_where_a_sentence_ends() -> None:
    from alignment.sentences import _chunks

    paragraph = " ".join(["Yes.", "Dr. Smith agreed.", "J. Doe did too.", "Okay."] * 400)
    chunks = list(_chunks(paragraph))
    assert len(chunks) > 10  # pysbd is given small pieces: its time grows faster than linearly
    for _start, end in chunks[:-1]:
        before = paragraph[:end].rstrip()
        assert not before.endswith(("Dr.", "J.")), before[-20:]
    assert [paragraph[a:b] for a, b in sentence_spans(paragraph)] == [
        s for _ in range(400) for s in ("Yes.", "Dr. Smith agreed.", "J. Doe did too.", "Okay.")
    ]
