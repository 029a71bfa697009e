"""The load test kept in the project (benchmarks/loadtest.py) keeps working: a few seconds
against a real `serve` on the test reading, every kind of request made, none failed.
No time is asserted."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.loadtest import run, table

pytestmark = [pytest.mark.servers, pytest.mark.slow]  # a real `serve` under load


def test_the_load_tool_runs_against_a_real_server(app, recording) -> None:
    report = run(Path(app.config["DATA_DIR"]), seconds=4, listeners=6, searches=5, slow=2)
    rows = {r["kind"]: r for r in report["rows"]}
    for kind in ("audio range", "player page", "search partial", "library search"):
        assert rows[kind]["requests"] > 0, (kind, report)
    assert report["errors"] == 0, report
    assert report["recording"] == recording[0]
    assert report["peak_rss_mb"] > 0
    text = table(report, "python -m benchmarks.loadtest")
    assert "| audio range |" in text and "**0 errors**" in text
