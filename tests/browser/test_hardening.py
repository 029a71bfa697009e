"""Issue 11 in the browser: a broken link still opens a working player."""

from __future__ import annotations

import pytest

from tests.browser.pages import open_player, until

pytestmark = pytest.mark.browser


def test_a_link_cut_inside_a_percent_escape_still_starts_the_player(page, live_server,
                                                                    recording) -> None:
    rid, syncmap = recording
    # no URIError (the page fixture fails the test on any page error), and it plays
    open_player(page, live_server, f"/r/{rid}#s-%E0%A4%A")
    page.click(f"#{syncmap.sentences[2].id}")
    until(page, "!document.getElementById('audio').paused", 10_000)
    assert not page.console_errors
    # a whole sentence link still opens at its sentence
    third = syncmap.sentences[3]
    # where the link seeks to, read as it seeks: the link may start playing before the
    # test could read the time afterwards
    page.add_init_script("document.addEventListener('seeking', e => "
                         "{ window.firstSeek ??= e.target.currentTime; }, true)")
    open_player(page, live_server, f"/r/{rid}?x=1#{third.id}")
    until(page, f"document.getElementById('{third.id}').classList.contains('quote')")
    start = page.evaluate("window.firstSeek")
    assert abs(start - third.begin / 1000) < 0.05
