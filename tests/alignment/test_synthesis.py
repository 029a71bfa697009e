"""eSpeak's reading in batches, two readers at once, each batch's features as it is read."""

from __future__ import annotations

import numpy as np
import pytest

from alignment import aeneas_backend
from alignment.errors import AlignmentError

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
    import os
    import time

    job = aeneas_backend.SynthesisJob(SENTENCES * 400, "eng")
    deadline = time.monotonic() + 30
    while not _readers_of(os.getpid()) and time.monotonic() < deadline:
        time.sleep(0.02)
    readers = _readers_of(os.getpid())
    assert readers, "no eSpeak reader was started"
    job.cancel()
    with pytest.raises(AlignmentError, match="eSpeak"):
        job.result()
    job._thread.join(30)
    assert not job._thread.is_alive()
    assert not [p for p in readers if os.path.exists(f"/proc/{p}")
                and "espeak_child" in open(f"/proc/{p}/cmdline").read()]


def _readers_of(parent: int) -> list[int]:
    """The eSpeak readers `parent` started."""
    import os

    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/stat") as f:
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
            with open(f"/proc/{pid}/cmdline") as f:
                cmd = f.read()
        except OSError:
            continue
        if ppid == parent and "espeak_child" in cmd:
            found.append(int(pid))
    return found
