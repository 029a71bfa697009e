"""Fixtures of the web app's tests that run `serve` in a process of its own."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def served_data(tmp_path: Path, speech) -> tuple[Path, str]:
    """A data folder with the reading in it, for `serve` processes."""
    from tests.helpers import add_reading
    from webapp import create_app

    data = tmp_path / "data"
    app = create_app({"DATA_DIR": str(data)})
    rid, _ = add_reading(app, speech)
    app.extensions["store"].dispose()
    return data, rid
