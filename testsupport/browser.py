"""Real Chromium for tests, benchmarks and screenshots: Debian's binary, driven by Playwright.

Playwright's own browser download does not work here (no network), so every caller
launches /usr/bin/chromium with these arguments, and serves the app it looks at on a
real port of 127.0.0.1 with `LiveServer`.
"""

from __future__ import annotations

import threading
import time
from typing import Any

__all__ = ["CHROMIUM", "CHROMIUM_ARGS", "READY", "LiveServer", "launch", "wait_ready"]

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--autoplay-policy=no-user-gesture-required",
]


def launch(playwright: Any) -> Any:
    """Headless Debian Chromium from a started `sync_playwright()`."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS,
                                      headless=True)


#: true in the page once the player is set up and the audio's duration is known
READY = "!!window.transcriptPlayer && document.getElementById('audio').readyState >= 1"


def wait_ready(page: Any, timeout: float = 15_000) -> None:
    """Wait until the player page in `page` is ready to play (`READY`), polling every 25 ms.

    Polls with `page.evaluate` (through the debugger protocol): Playwright's
    `wait_for_function` evaluates with eval, which the page's Content-Security-Policy
    forbids. Raises TimeoutError after `timeout` milliseconds.
    """
    deadline = time.monotonic() + timeout / 1000
    while not page.evaluate(READY):
        if time.monotonic() > deadline:
            raise TimeoutError(f"the player was not ready after {timeout / 1000:g} s")
        page.wait_for_timeout(25)


class LiveServer:
    """A WSGI app on a free port of 127.0.0.1, served by werkzeug in a daemon thread."""

    def __init__(self, app: Any) -> None:
        from werkzeug.serving import make_server

        self.app = app
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.thread.join(5)
