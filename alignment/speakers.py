"""Speakers the transcript does not name, told from the recording's voices.

`attribute(syncmap, mfcc)` runs after the sentences have their times; `mfcc` holds the
recording's MFCCs, one frame per `alignment.aeneas_backend.FRAME_SHIFT` seconds.
"""

from __future__ import annotations

import numpy as np

from alignment.syncmap import SyncMap


def attribute(syncmap: SyncMap, mfcc: np.ndarray) -> SyncMap:
    """The sync map with speakers the recording tells apart (for now, as it came)."""
    return syncmap
