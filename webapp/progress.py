"""A progress display for long commands (align, import) on stderr.

On a terminal it is one line redrawn in place:

    aligning   [#########---------------]  38%  about 1:05 left

Anywhere else (a log file, CI, a pipe) redrawing would leave a mess of carriage returns,
so it writes one line per stage instead:

    decoding ...
    aligning ...
"""

from __future__ import annotations

import math
import sys
import threading
import time
from collections.abc import Callable
from types import TracebackType
from typing import TextIO

from webapp import moments

__all__ = ["ProgressBar"]


class ProgressBar:
    """A `progress(stage, fraction)` callback that shows the stage, percent and time left.

    Use it as the `progress` argument of `alignment.align`, then `close()` it (or use it as
    a context manager) so the terminal line is cleared. Safe to call from a worker thread.
    The time left is estimated from the current stage only: stages run at very different
    speeds, and the fraction may count within the stage or over the whole job.
    """

    def __init__(
        self,
        stream: TextIO | None = None,
        *,
        tty: bool | None = None,
        width: int = 24,
        min_interval: float = 0.1,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.stream = stream if stream is not None else sys.stderr
        if tty is None:
            isatty = getattr(self.stream, "isatty", None)
            tty = bool(isatty and isatty())
        self.tty = tty
        self.width = width
        self.min_interval = min_interval
        self.clock = clock
        self._lock = threading.Lock()
        self._stage: str | None = None
        self._stage_start = 0.0
        self._stage_fraction = 0.0
        self._last_draw = -math.inf
        self._drawn = 0  # length of the line on screen, to blank out what is left of it

    def __call__(self, stage: str, fraction: float) -> None:
        """Report that `stage` is `fraction` (0 to 1) done."""
        try:
            fraction = float(fraction)
        except (TypeError, ValueError):
            fraction = 0.0
        fraction = 0.0 if math.isnan(fraction) else min(1.0, max(0.0, fraction))
        with self._lock:
            now = self.clock()
            changed = stage != self._stage
            if changed:
                self._stage, self._stage_start, self._stage_fraction = stage, now, fraction
                if not self.tty:
                    self._write(f"{stage} ...\n")
            if not self.tty:
                return
            # Redrawing on every call would flood a slow terminal; a new stage and the
            # end of one are always shown.
            if changed or fraction >= 1.0 or now - self._last_draw >= self.min_interval:
                self._last_draw = now
                self._draw(self.line(stage, fraction, now))

    def line(self, stage: str, fraction: float, now: float | None = None) -> str:
        """The text of the bar for `stage` at `fraction`, without the carriage return."""
        now = self.clock() if now is None else now
        filled = int(fraction * self.width)
        bar = "#" * filled + "-" * (self.width - filled)
        text = f"{stage:<10} [{bar}] {int(fraction * 100):3d}%"
        left = self._time_left(fraction, now)
        if left is not None:
            # rounded to the second (the reading clock itself truncates)
            text += f"  about {moments.clock(round(left) * 1000)} left"
        return text

    def _time_left(self, fraction: float, now: float) -> float | None:
        elapsed = now - self._stage_start
        done = fraction - self._stage_fraction
        # Before a second has passed, or with almost nothing done, the rate is noise.
        if elapsed < 1.0 or done <= 0.01 or fraction >= 1.0:
            return None
        return (1.0 - fraction) * elapsed / done

    def close(self) -> None:
        """Clear the bar's line on a terminal, so the next output starts clean."""
        with self._lock:
            if self.tty and self._drawn:
                self._write("\r" + " " * self._drawn + "\r")
                self._drawn = 0

    def __enter__(self) -> ProgressBar:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _draw(self, text: str) -> None:
        pad = " " * max(0, self._drawn - len(text))
        self._write("\r" + text + pad)
        self._drawn = len(text)

    def _write(self, text: str) -> None:
        try:
            self.stream.write(text)
            self.stream.flush()
        except (OSError, ValueError):
            # A closed or broken stderr must not fail the alignment it only reports on.
            pass
