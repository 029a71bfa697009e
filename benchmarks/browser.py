"""Real Chromium for tests, benchmarks and screenshots: Debian's binary, driven by Playwright.

Playwright's own browser download does not work here (no network), so every caller
launches /usr/bin/chromium with these arguments, and serves the app it looks at on a
real port of 127.0.0.1 with `LiveServer`.
"""

from __future__ import annotations

import threading
from typing import Any

__all__ = ["CHROMIUM", "CHROMIUM_ARGS", "LiveServer", "launch"]

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
