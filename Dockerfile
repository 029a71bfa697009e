# The image of compose.yaml's web and worker services: Debian's ffmpeg and eSpeak NG (the
# aligner's), and this project's wheel installed with pip (not the checkout: the image runs
# what `pip install transcript-player` would, as tests/deploy/test_wheel.py checks).

# 1. The wheel, built from what the package is made of (pyproject.toml lists it; setup.py
#    compiles the warp's kernels, alignment/_kernels.c, with the C compiler)
FROM python:3.11-slim-bookworm AS wheel
RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        build-essential \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY pyproject.toml setup.py README.md LICENSE ./
COPY alignment alignment
COPY webapp webapp
COPY templates templates
COPY static static
RUN pip wheel --no-cache-dir --no-deps -w /dist .

# 2. The image: the wheel and its dependencies (aeneas builds against numpy and eSpeak NG)
FROM python:3.11-slim-bookworm
RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        ffmpeg espeak-ng libespeak-ng-dev build-essential \
    && rm -rf /var/lib/apt/lists/*
COPY --from=wheel /dist /tmp/dist
RUN pip install --no-cache-dir numpy && pip install --no-cache-dir /tmp/dist/*.whl \
    && rm -rf /tmp/dist
WORKDIR /app
# compose.yaml's web service runs `gunicorn -c deploy/gunicorn.conf.py`
COPY deploy/gunicorn.conf.py deploy/gunicorn.conf.py
ENV TRANSCRIPT_PLAYER_DATA=/data
VOLUME /data/media
CMD ["transcript-player", "worker"]
