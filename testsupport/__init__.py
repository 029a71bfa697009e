"""What the tests and the benchmarks both drive the program with, in the checkout only
(never in the wheel):

    browser.py      real Chromium (Debian's, through Playwright) and a live server
    servers.py      real PostgreSQL and Redis servers, a free port, a polling loop
    score.py        the one scorer of predicted starts against a truth
    noise.py        noise, and the one way it goes under speech (`mix`)
    recordings.py   long silent recordings with made-up timings, for the player

It sits below both (pyproject.toml's layers: tests > benchmarks > testsupport > webapp >
alignment), so the suite needs nothing of the benchmarks but what it tests there, and
the benchmarks take nothing from the suite.
"""
