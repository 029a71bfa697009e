# The transcript player: `make run` (the seed demo in the player) and `make test` (the suite).
# Both start with `setup`, which installs what is missing on a Debian machine (as root).

PY      := .venv/bin/python
DEB_PKGS := ffmpeg espeak-ng libespeak-ng-dev festival-dev libestools-dev \
            flite festival festvox-us-slt-hts festvox-kdlpc16k festvox-kallpc16k festvox-italp16k sox \
            chromium redis-server postgresql nginx build-essential nodejs
STAMP   := .venv/.installed

.PHONY: setup run test test-fast bench lint clean

setup: $(STAMP)

$(STAMP): pyproject.toml setup.py alignment/_kernels.c
	@missing=""; for p in $(DEB_PKGS); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing; \
	fi
	test -x $(PY) || python3 -m venv .venv
	$(PY) -m pip install -q --upgrade pip setuptools wheel numpy
	$(PY) -m pip install -q -e '.[test]'
	touch $(STAMP)

run: setup
	.venv/bin/transcript-player demo

# two test processes: many tests wait on Chromium, servers and child processes, and the
# suite took 13-15 min on one (the tests use free ports and folders of their own)
test: setup
	node --test tests/js/ && .venv/bin/lint-imports --no-logo && $(PY) -m pytest -q -n 2

# The quick part for working on it (under two minutes): no browser, no servers or processes
# of their own, no slow alignments (pyproject.toml's markers). CI runs `make test`.
FAST := not browser and not servers and not redis and not postgres and not package and not slow
test-fast: setup
	$(PY) -m pytest -q -m "$(FAST)"

bench: setup
	$(PY) -m pip install -q -e '.[test,bench]'
	$(PY) -m benchmarks.run
	$(PY) -m benchmarks.robustness
	$(PY) -m benchmarks.mismatch
	$(PY) -m benchmarks.real_speech
	$(PY) -m benchmarks.real_speech_noise
	$(PY) -m benchmarks.word_truth
	$(PY) -m benchmarks.word_truth_noise
	$(PY) -m benchmarks.unsaid_words
	$(PY) -m benchmarks.loadtest --write

lint: setup
	.venv/bin/ruff check .

clean:
	rm -rf .venv instance build *.egg-info
