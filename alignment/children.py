"""Child processes (ffmpeg, the synthesis child, eSpeak batches) that end with their parent.

A parent killed with SIGKILL runs no cleanup, so its children would run on: an ffmpeg
decoding a four-hour recording for no one, a synthesis child writing gigabytes. On Linux
each child asks the kernel for SIGKILL when its parent goes (`prctl(PR_SET_PDEATHSIG)`),
set between fork and exec by `subprocess`'s `preexec_fn`. Elsewhere nothing is done.

The signal comes when the *thread* that started the child ends, so children are started
from threads that outlive them (the caller's own, or a pool's, which live until the
work is done).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import sys
from collections.abc import Callable

__all__ = ["dies_with_parent"]

_PR_SET_PDEATHSIG = 1


def _load_prctl() -> Callable[..., int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        return libc.prctl
    except (OSError, AttributeError):
        return None


# looked up once here: between fork and exec the child should do as little as it can
_prctl = _load_prctl()


def dies_with_parent() -> Callable[[], None] | None:
    """A `preexec_fn` for `subprocess` that kills the child when this process dies
    (None where the platform cannot; pass it as is)."""
    if _prctl is None:
        return None
    prctl = _prctl
    parent = os.getpid()

    def preexec() -> None:
        prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        # the parent may have died between fork and prctl: then nothing would signal
        if os.getppid() != parent:
            os._exit(1)

    return preexec
