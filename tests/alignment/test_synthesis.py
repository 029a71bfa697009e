"""eSpeak's reading in batches, two readers at once, each batch's features as it is read."""

from __future__ import annotations

import os
import time

import numpy as np
import pytest

from alignment import aeneas_backend
from alignment.errors import AlignmentError
from tests.helpers import children, command_line

SENTENCES = [f"This is sentence number {n} of a reading in batches." for n in range(40)]


def test_batches_read_by_two_readers_come_back_in_order(monkeypatch) -> None:
    # small batches, so each reader reads several, and the readers interleave
    monkeypatch.setattr(aeneas_backend, "BATCH_CHARS", 300)
    batches = aeneas_backend._batches(SENTENCES)
    assert len(batches) >= 6
    whole = aeneas_backend._synthesize_here(SENTENCES, "en")
    # each batch, read alone (one batch of its own), is the same piece of the whole
    monkeypatch.setattr(aeneas_backend, "BATCH_CHARS", 8000)
    pieces = [aeneas_backend._synthesize_here(SENTENCES[lo:hi], "en") for lo, hi in batches]
    assert np.array_equal(whole.features, np.concatenate([p.features for p in pieces]))
    offset = 0
    for (lo, hi), piece in zip(batches, pieces, strict=True):
        assert np.array_equal(whole.spans[lo:hi], piece.spans + offset)
        assert [[pos for pos, _ in w] for w in whole.words[lo:hi]] == \
            [[pos for pos, _ in w] for w in piece.words]
        assert [t for w in whole.words[lo:hi] for _, t in w] == \
            pytest.approx([t + offset for w in piece.words for _, t in w])
        offset += len(piece.features)
    starts = [t for w in whole.words for _, t in w]
    assert len(starts) >= 8 * len(SENTENCES) and starts == sorted(starts)


def test_a_reader_that_fails_is_named_and_nothing_hangs() -> None:
    with pytest.raises(AlignmentError, match="eSpeak-ng failed to synthesise.*no voice"):
        aeneas_backend._synthesize_here(SENTENCES, "zz-no-such-voice")


def test_a_cancelled_reading_stops_its_readers_and_says_so() -> None:
    """The reading runs in a thread of this process, its readers in processes of their
    own: cancelled midway, the readers are killed, the thread ends, and result() says
    the reading failed instead of waiting for the rest of it."""
    job = aeneas_backend.SynthesisJob(SENTENCES * 400, "eng")
    deadline = time.monotonic() + 30
    while not _readers() and time.monotonic() < deadline:
        time.sleep(0.02)
    readers = _readers()
    assert readers, "no eSpeak reader was started"
    job.cancel()
    with pytest.raises(AlignmentError, match="eSpeak"):
        job.result()
    job._thread.join(30)
    assert not job._thread.is_alive()
    assert not [p for p in readers if "espeak_child" in command_line(p)]


def _readers() -> list[int]:
    """The eSpeak readers this process started."""
    return [p for p in children(os.getpid()) if "espeak_child" in command_line(p)]
