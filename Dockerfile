# The image of compose.yaml's web and worker services: Debian's ffmpeg and eSpeak NG (the
# aligner's), and this project installed with pip.
FROM python:3.11-slim-bookworm
RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        ffmpeg espeak-ng libespeak-ng-dev build-essential \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY . .
RUN pip install --no-cache-dir numpy && pip install --no-cache-dir -e .
ENV TRANSCRIPT_PLAYER_DATA=/data
VOLUME /data/media
CMD ["transcript-player", "worker"]
