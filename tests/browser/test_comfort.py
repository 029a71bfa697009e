"""Comfort: contrast (axe-core) on every page in both themes, dark mode, the skip link."""

from __future__ import annotations

import pytest

from tests.browser.pages import axe_violations, in_viewport, open_player, until

pytestmark = pytest.mark.browser


def _luminance(page, selector: str, prop: str = "backgroundColor") -> float:
    rgb = page.evaluate(f"getComputedStyle(document.querySelector({selector!r})).{prop}")
    r, g, b = (int(x) for x in rgb[rgb.index("(") + 1:rgb.index(")")].split(",")[:3])
    return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_serious_violation_on_any_page(browser, live_server, recording,
                                                    scheme) -> None:
    rid, syncmap = recording
    s = syncmap.sentences[3]
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    try:
        for path in ("/", "/search?q=bridg", f"/r/{rid}", f"/r/{rid}?t=5&end=12",
                     f"/r/{rid}/s/{s.id}", f"/r/{rid}/search?q=cafe", f"/r/{rid}/embed?t=5",
                     "/r/no-such-recording"):
            page.goto(live_server.url + path)
            if "/r/" in path and "no-such" not in path:
                until(page, "!!window.transcriptPlayer")
                page.evaluate("document.getElementById('audio').pause()")
                page.hover(f"#{s.id}")  # the sentence tools shown too
            page.wait_for_timeout(250)
            assert axe_violations(page) == [], path
    finally:
        context.close()


def test_dark_mode_follows_the_system_and_the_switch_is_remembered(browser, live_server,
                                                                   recording) -> None:
    rid, _ = recording
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme="dark")
    page = context.new_page()
    try:
        open_player(page, live_server, f"/r/{rid}")
        assert _luminance(page, "body") < 0.2
        assert _luminance(page, "body", "color") > 0.8
        assert page.get_attribute("#theme-toggle", "aria-pressed") == "true"
        page.click("#theme-toggle")
        assert _luminance(page, "body") > 0.9
        assert page.get_attribute("#theme-toggle", "aria-pressed") == "false"
        page.goto(live_server.url + "/")  # remembered on the next page
        assert _luminance(page, "body") > 0.9
        page.click("#theme-toggle")
        page.reload()
        assert _luminance(page, "body") < 0.2
        assert page.evaluate("document.documentElement.dataset.theme") == "dark"
    finally:
        context.close()
    # a light system, no choice made: light
    context = browser.new_context(color_scheme="light")
    page = context.new_page()
    try:
        page.goto(live_server.url + "/")
        assert _luminance(page, "body") > 0.9
    finally:
        context.close()


def test_the_skip_link_jumps_to_the_current_sentence(page, live_server, long_recording) -> None:
    rid, syncmap = long_recording
    s = syncmap.sentences[160]
    open_player(page, live_server, f"/r/{rid}")
    page.evaluate(f"document.getElementById('audio').currentTime = {s.begin / 1000 + 0.1}")
    page.wait_for_selector(f"#{s.id}[aria-current='true']")
    page.evaluate("window.scrollTo(0, 0)")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "skip-now"
    assert page.is_visible("#skip-now")
    page.keyboard.press("Enter")
    until(page, f"document.activeElement.id === '{s.id}'")
    until(page, f"(() => {{ const r = document.getElementById('{s.id}')"
                ".getBoundingClientRect(); return r.top > 0 && r.bottom < innerHeight; })()")
    assert in_viewport(page, f"#{s.id}")


def test_touch_targets_are_44_px(browser, live_server, recording) -> None:
    rid, _ = recording
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True,
                                  has_touch=True)
    page = context.new_page()
    try:
        for path in ("/", f"/r/{rid}"):
            page.goto(live_server.url + path)
            page.wait_for_timeout(300)
            small = page.evaluate("""Array.from(document.querySelectorAll(
                'button, select, input, .exports a, header.site a, .hit'))
                .filter(el => el.offsetParent && getComputedStyle(el).visibility !== 'hidden')
                .map(el => [el.id || el.className || el.textContent.trim().slice(0, 20),
                            el.getBoundingClientRect().height])
                .filter(([, h]) => h < 44)""")
            assert small == [], (path, small)
    finally:
        context.close()
