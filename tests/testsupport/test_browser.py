"""The wait for a ready player (`testsupport.browser.wait_ready`), without a browser."""

import pytest

from testsupport import browser


class FakePage:
    """Ready after `ready_after` evaluations; counts its waits."""

    def __init__(self, ready_after: int) -> None:
        self.left = ready_after
        self.waits = 0

    def evaluate(self, expression: str) -> bool:
        assert expression == browser.READY
        self.left -= 1
        return self.left < 0

    def wait_for_timeout(self, ms: float) -> None:
        self.waits += 1


def test_wait_ready_polls_until_the_player_is_ready():
    page = FakePage(ready_after=3)
    browser.wait_ready(page)
    assert page.waits == 3


def test_wait_ready_gives_up_after_its_timeout():
    with pytest.raises(TimeoutError):
        browser.wait_ready(FakePage(ready_after=10**9), timeout=50)
