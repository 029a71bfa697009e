"""Share-link times: what `?t=` and `&end=` accept, and which sentences they light.

The cases live in tests/data/moment_cases.json, which the browser's helpers
(static/moments.mjs, `node --test tests/js/`) are tested on too, so the two cannot drift.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from webapp.moments import (
    Moment,
    clock,
    link_seconds,
    parse_seconds,
    quote_span,
    resolve,
    sentence_at,
)

ROOT = Path(__file__).resolve().parents[2]
CASES = json.loads((ROOT / "tests" / "data" / "moment_cases.json").read_text(encoding="utf-8"))
BEGINS, ENDS = CASES["sentences"]["begins"], CASES["sentences"]["ends"]


@pytest.mark.parametrize(("text", "ms"), CASES["parse"])
def test_times_people_write_and_what_is_not_a_time(text: str | None, ms: int | None) -> None:
    assert parse_seconds(text) == ms


@pytest.mark.parametrize(("t", "end", "duration", "expected"), CASES["resolve"])
def test_resolve_drops_what_does_not_fit(t, end, duration, expected) -> None:
    assert resolve(t, end, duration) == Moment(*expected)


def test_resolve_keeps_a_good_range() -> None:
    assert resolve("8.5", "13.25", 16000).is_range


@pytest.mark.parametrize(("ms", "text"), CASES["link_seconds"])
def test_link_seconds_read_back(ms: int, text: str) -> None:
    assert link_seconds(ms) == text
    assert parse_seconds(text) == ms


@pytest.mark.parametrize(("ms", "text"), CASES["clock"])
def test_clock(ms: int, text: str) -> None:
    assert clock(ms) == text


@pytest.mark.parametrize(("ms", "ahead", "rank"), CASES["sentence_at"])
def test_which_sentence_a_time_lights(ms: int, ahead: bool, rank: int) -> None:
    assert sentence_at(BEGINS, ENDS, ms, ahead) == rank


@pytest.mark.parametrize(("start", "end", "span"), CASES["quote_span"])
def test_which_sentences_a_link_quotes(start, end, span) -> None:
    assert quote_span(BEGINS, ENDS, start, end) == (tuple(span) if span else None)

