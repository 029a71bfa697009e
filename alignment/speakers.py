"""Speakers the transcript does not name, told from the recording's voices.

`attribute(syncmap, mfcc)` runs after the sentences have their times; `mfcc` holds the
recording's MFCCs, frames x 13, one frame per `alignment.frontend.FRAME_SHIFT`
seconds (40 ms).

A label names every sentence up to the next label, but a page often leaves turns
unlabelled: the moderator's "One question please." under the guest's label. So each
paragraph that inherits its name (no label opens it) is compared with the voice of the
paragraphs its label does open (the same name's labelled paragraphs, all of them). The
test is the generalised likelihood ratio behind the Bayesian information criterion, on
diagonal Gaussians of the MFCCs (c1-c12; c0 is loudness, which a microphone or a gain
change moves): how much better do two Gaussians explain the frames than one, per frame of
the paragraph (so that long and short paragraphs are judged alike)? A clear "two" means
the speaker is not the labelled one, and the paragraph's sentences become "speaker not
named" (None): a wrong name is worse than none. A short paragraph ("Thank you.")
cannot make the case for two voices and keeps its name.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from alignment.syncmap import Kind, SyncMap

__all__ = ["attribute", "voice_change"]

FRAME_MS = 40
# Frames a reference voice needs before it is trusted (4 s of speech).
MIN_REFERENCE_FRAMES = 100
# Frames a paragraph needs before it can be told apart (1 s of speech).
MIN_FRAMES = 25
# Per frame of the paragraph, the log-likelihood "two voices" must gain over "one". On
# the seed's synthesised reading one voice gains 0.02-0.06 a frame (paragraphs of 10-60
# s) and another voice 1.7-3.7 (1-20 s); the textbook BIC penalty would miss the short
# changes ("One question please.", 1.4 s), whose gain it outweighs.
MIN_GAIN_PER_FRAME = 0.5


def attribute(syncmap: SyncMap, mfcc: np.ndarray) -> SyncMap:
    """The sync map with inherited names taken off paragraphs in another voice."""
    if mfcc is None or len(mfcc) == 0 or not syncmap.sentences:
        return syncmap
    features = np.asarray(mfcc, dtype=np.float64)[:, 1:13]
    paragraphs = _paragraphs(syncmap)
    opened = _opened_by_name(syncmap, paragraphs)
    references: dict[str, list[np.ndarray]] = {}
    for p, indices in enumerate(paragraphs):
        name = syncmap.sentences[indices[0]].speaker
        if name is not None and opened[p]:
            references.setdefault(name, []).append(_frames(syncmap, indices, features))
    out = list(syncmap.sentences)
    for p, indices in enumerate(paragraphs):
        name = syncmap.sentences[indices[0]].speaker
        if name is None or opened[p] or name not in references:
            continue
        reference = np.concatenate(references[name])
        frames = _frames(syncmap, indices, features)
        if len(reference) >= MIN_REFERENCE_FRAMES and voice_change(reference, frames) \
                > MIN_GAIN_PER_FRAME:
            for i in indices:
                out[i] = replace(out[i], speaker=None)
    return replace(syncmap, sentences=tuple(out))


def voice_change(a: np.ndarray, b: np.ndarray) -> float:
    """Per frame of `b`, the log-likelihood gained by modelling frame sets `a` and `b`
    (frames x dims) with two diagonal Gaussians instead of one: about 0 for one voice,
    large for two. Too few frames in either gives -inf (no case for a change)."""
    if len(b) < MIN_FRAMES or len(a) < MIN_FRAMES:
        return float("-inf")
    both = np.concatenate([a, b])

    def spread(x: np.ndarray) -> float:
        return float(np.sum(np.log(np.var(x, axis=0) + 1e-6)))

    gain = 0.5 * (len(both) * spread(both) - len(a) * spread(a) - len(b) * spread(b))
    return gain / len(b)


def _paragraphs(syncmap: SyncMap) -> list[list[int]]:
    out: list[list[int]] = []
    for s in syncmap.sentences:
        if out and syncmap.sentences[out[-1][0]].paragraph == s.paragraph \
                and syncmap.sentences[out[-1][0]].speaker == s.speaker:
            out[-1].append(s.index)
        else:
            out.append([s.index])
    return out


def _opened_by_name(syncmap: SyncMap, paragraphs: list[list[int]]) -> list[bool]:
    """Per paragraph: whether its name is given right there (a label before it, or the
    first named paragraph of the text, which a byline names)."""
    labelled = {block.after + 1 for block in syncmap.set_aside if block.kind == Kind.LABEL}
    opened = []
    seen_named = False
    for indices in paragraphs:
        named = syncmap.sentences[indices[0]].speaker is not None
        opened.append(indices[0] in labelled or (named and not seen_named))
        seen_named = seen_named or named
    return opened


def _frames(syncmap: SyncMap, indices: list[int], features: np.ndarray) -> np.ndarray:
    parts = []
    for i in indices:
        s = syncmap.sentences[i]
        if s.aligned and s.end > s.begin:
            parts.append(features[s.begin // FRAME_MS: s.end // FRAME_MS])
    return np.concatenate(parts) if parts else features[:0]
