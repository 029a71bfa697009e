"""Share-link times: what `?t=` and `&end=` accept, and what they quietly ignore."""

from __future__ import annotations

import pytest

from webapp.moments import Moment, clock, parse_seconds, resolve


@pytest.mark.parametrize(
    ("text", "ms"),
    [
        ("83.2", 83200), ("83", 83000), ("0", 0), (".5", 500), ("83.2s", 83200),
        ("npt:83.2", 83200), ("1:23", 83000), ("1:23.5", 83500), ("01:02:03", 3723000),
        (" 12.0 ", 12000), ("75:00", 4500000),
    ],
)
def test_times_people_write(text: str, ms: int) -> None:
    assert parse_seconds(text) == ms


@pytest.mark.parametrize(
    "text",
    [None, "", "abc", "-1", "nan", "inf", "1e5", "1:99", "1:2:3:4", "1:60:00", "0x10",
     "83,2", "9" * 40, "1:-2", "s"],
)
def test_anything_else_is_not_a_time(text: str | None) -> None:
    assert parse_seconds(text) is None


def test_resolve_keeps_a_good_range() -> None:
    assert resolve("8.5", "13.25", 16000) == Moment(8500, 13250)
    assert resolve("8.5", "13.25", 16000).is_range


@pytest.mark.parametrize(
    ("t", "end", "expected"),
    [
        ("abc", None, Moment()),                 # not a time
        ("99", None, Moment()),                  # past the end of the recording
        ("16", None, Moment()),                  # exactly the end: nothing to play
        ("8", "4", Moment(8000, None)),          # end before start: start only
        ("8", "8", Moment(8000, None)),          # empty range
        ("8", "99", Moment(8000, 16000)),        # end past the end: clamped
        ("8", "abc", Moment(8000, None)),
        (None, "9", Moment()),                   # an end alone means nothing
    ],
)
def test_resolve_drops_what_does_not_fit(t, end, expected) -> None:
    assert resolve(t, end, 16000) == expected


def test_clock() -> None:
    assert clock(0) == "0:00"
    assert clock(83_999) == "1:23"
    assert clock(4 * 3600_000 + 61_000) == "4:01:01"
