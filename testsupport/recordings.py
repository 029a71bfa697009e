"""Recordings made up for the player's tests and benchmarks: silent audio of any length,
and sync maps laid out evenly over it (the seed's sentences, as the demo reads them),
with word times a share of each sentence by length (until the aligner gives real ones).
"""

from __future__ import annotations

import dataclasses
import subprocess
from pathlib import Path

from alignment.syncmap import Sentence, SetAside, SyncMap, Word, split_words
from alignment.synthetic import seed_sentences

__all__ = ["long_syncmap", "silent_mp3", "with_words", "words_by_length"]


def words_by_length(s: Sentence) -> tuple[Word, ...]:
    """Made-up word times for a sentence whose span is known: its words
    (`split_words`) one after another over the span, each a share of it by its length
    in letters, the last tenth of each share a pause. For the tests and the benchmarks
    of the player, until the aligner gives real ones."""
    texts = split_words(s.text)
    weights = [max(1, sum(c.isalnum() for c in t)) for t in texts]
    total, span = sum(weights), s.end - s.begin
    words, at = [], 0
    for text, w in zip(texts, weights, strict=True):
        begin = s.begin + span * at // total
        words.append(Word(text, begin, begin + span * w * 9 // (10 * total)))
        at += w
    return tuple(words)


def with_words(syncmap: SyncMap) -> SyncMap:
    """`syncmap` with `words_by_length` for every sentence found in the audio (one
    never said has none)."""
    return dataclasses.replace(syncmap, sentences=tuple(
        dataclasses.replace(s, words=words_by_length(s)) if s.aligned else s
        for s in syncmap.sentences))


def long_syncmap(n: int, duration_ms: int, words: bool = False) -> SyncMap:
    """`n` sentences over `duration_ms`: the seed's, repeated, evenly spaced with pauses
    (with `words`, each sentence found in the audio has its words' times too)."""
    _, seed = seed_sentences()
    step = duration_ms // n
    sentences = []
    blocks = []
    paragraph = 0
    prev_speaker = None
    for i in range(n):
        speaker, text = seed[i % len(seed)]
        if speaker != prev_speaker:
            paragraph += 1
            blocks.append(SetAside(kind="label", text=speaker, after=i - 1))
        elif i % 4 == 0:
            paragraph += 1
        prev_speaker = speaker
        begin = i * step
        aligned = i % 97 != 0
        sentences.append(Sentence(
            index=i, text=f"{text}", speaker=speaker, begin=begin,
            end=begin + int(step * 0.85), confidence=0.3 if i % 41 == 0 else 0.9,
            aligned=aligned, paragraph=paragraph))
    syncmap = SyncMap(sentences=tuple(sentences), set_aside=tuple(blocks), language="eng",
                      duration=duration_ms).with_ids()
    return with_words(syncmap) if words else syncmap


def silent_mp3(path: Path, seconds: int) -> Path:
    """Constant-bitrate silence, `seconds` long, at `path`: the player page does not care
    what is said."""
    subprocess.run(
        ["ffmpeg", "-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i",
         "anullsrc=r=8000:cl=mono", "-t", str(seconds), "-codec:a", "libmp3lame",
         "-b:a", "8k", str(path)], check=True)
    return path
