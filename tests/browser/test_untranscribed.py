"""Speech not in the transcript (issue 17), as a listener meets it in real Chromium: its
stretches are hatched on the timeline and listed, and a click skips past one."""

from __future__ import annotations

import dataclasses

import pytest

from tests.browser.pages import audio_time, open_player, until

pytestmark = pytest.mark.browser


def test_a_click_skips_past_speech_not_in_the_transcript(page, live_server, app,
                                                         recording) -> None:
    rid, syncmap = recording
    gap = (syncmap.sentences[1].end, syncmap.sentences[2].begin)
    app.extensions["store"].save_alignment(
        rid, dataclasses.replace(syncmap, untranscribed=(gap,)))
    open_player(page, live_server, f"/r/{rid}")
    assert page.locator("#timeline rect.untranscribed").count() == 1
    page.click("a.gap-skip")
    until(page, "!document.getElementById('audio').paused")
    assert abs(audio_time(page) - gap[1] / 1000) < 0.5
    assert page.url.endswith(f"/r/{rid}")  # played in place, not a new page
