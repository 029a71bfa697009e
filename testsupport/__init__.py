"""What the tests and the benchmarks both drive the program with, in the checkout only
(never in the wheel): real Chromium (`browser`), real PostgreSQL and Redis servers, a free
port and a polling loop (`servers`).

It sits below both (pyproject.toml's layers: tests > benchmarks > testsupport > webapp >
alignment), so the suite needs nothing of the benchmarks to run, and the benchmarks take
nothing from the suite.
"""
