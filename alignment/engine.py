"""align(): transcript and recording in, a SyncMap with every sentence's times out.

Stages: reading (parse the transcript), decoding (features of the recording, while
eSpeak reads the transcript in processes of its own), aligning (the windowed warp), refining
(starts and ends moved onto the pauses, confidence, sentences never said).
"""

from __future__ import annotations

import bisect
import ctypes
import functools
import itertools
import os
import threading
from collections.abc import Callable, Iterable, Sequence
from concurrent import futures
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace

import numpy as np
from threadpoolctl import threadpool_limits

from alignment import (
    anchors,
    audio,
    boundaries,
    features,
    frontend,
    listening,
    recognizer,
    speakers,
    words,
)
from alignment.aeneas_backend import Synthesis, SynthesisJob, voice_for
from alignment.dtw import Chain, match_costs, warp
from alignment.syncmap import Sentence, SyncMap, split_words
from alignment.transcript import Script, read_transcript

Progress = Callable[[str, float], None]

# Costs are mean squared differences of normalised MFCCs (about 2 for unrelated frames).
FILLER_COST = 3.0  # a speech frame spent between sentences (speech the text left out)
SILENCE_COST = 0.2  # a quiet frame spent between sentences
SKIP_PENALTY = 2.0  # skipping a sentence of the text (never said) ...
SKIP_PER_FRAME = 0.5  # ... plus this per frame of its reading
QUIET_COST = 0.5  # a loud frame of the reading matched to silence in the recording
STAY_COST = 0.5  # a reading frame held for one more recording frame (speaker slower)
JUMP_COST = 0.5  # per reading frame passed over (speaker faster)
PACE_OCTAVES = 2.0  # confidence is 0 for a sentence 4x slower or faster than eSpeak
IMPLAUSIBLE_PACE = 1.8  # slower or faster than eSpeak by this factor: look again
EDGE_FILLER = 0.5  # filler scale before the first and after the last sentence, and
# wherever the transcript notes a sound ([laughter], [MUSIC])
SQUEEZED_SKIP = 0.25  # share of its skip penalty a squeezed sentence pays on a second look
LOOKS = 3  # rounds of second looks (a look may move the trouble to a neighbour)
TRIM_FILLER_COST = 1.0  # filler cost around a sentence being trimmed to its own speech
ISLAND_GAP = 5  # frames (200 ms) of pause either side of a sentence laid on its own
NEIGHBOURS = 2  # sentences either side of a suspect that its second look may move
RELAXED_FILLER_COST = 1.3  # filler cost where a second look suspects unscripted speech
CLEAN_MATCH = 0.5  # median match cost of a clean recording's frames (see _match_scale)
MIN_SCALE = 0.2  # match costs are never shrunk more than this
RESCALE = 0.9  # a scale above this changes too little to warp again
SAID_MARGIN = 1.5  # a sentence matched within this many typical costs was said
SENTENCE_FRAMES = 50  # frames of a sentence sampled for its match
CALIBRATION_PLACED = 0.9  # a first warp placing this share of sentences is a yardstick
CALIBRATION_FILLER = 3.0  # filler is this much dearer in the calibration pass
CALIBRATION_FRAMES = 4000  # matched frames sampled for the yardstick
CALIBRATION_REACH = 250  # reading frames (10 s) either side searched for a best match
UNSAID_WARNING = 1 / 3  # warn when more of the transcript than this comes out unsaid,
# or more of the recording's speech than this lies outside every sentence
PROBE_REACH_MS = 60_000  # a probe's words are sought among the sentences laid this near
HEARD_WARNING = 0.2  # warn when fewer of the sentences than this are heard at all
NO_SPEECH_MS = 1000  # a recording with less sure speech than this, or than
NO_SPEECH_SHARE = 0.02  # ... this share of the transcript's reading, holds none of it
STRONG_SHARE = 0.5  # share of a sentence's words heard in runs to believe them over the warp
# A passage the transcript holds and the recording does not, laid by the warp over talk
# the transcript lacks at the same place (a paragraph replaced, an ending changed): where
# the whole recording was heard and the recogniser heard the transcript well elsewhere,
# UNHEARD_RUN sentences or more in a row, each of UNHEARD_WORDS known words or more, of
# which not one run was heard anywhere, were never said. Short lines are passed over (a
# run of three words is a large share of them), and a sentence with any run breaks the
# passage. HEARD_WELL: the share of the other sentences heard that makes the recogniser
# a judge (a noisy recording, where it hears half, is left to the warp), over at least
# HEARD_JUDGED of them: under white noise at 6 dB, a 20-second clip of five sentences
# had three unheard in a row and the other two heard, and a share of two is no measure.
UNHEARD_RUN = 3
UNHEARD_WORDS = 8
HEARD_WELL = 0.75
HEARD_JUDGED = 2 * UNHEARD_RUN
# ... and only where the recogniser hears talk there, other words at TALK_HEARD or more of
# the rate it hears words in the sentences it heard: a passage it hears nothing in is one
# it cannot judge. A voice it is deaf to (the man with a cold, in mfa-two-speakers under
# reverberation and pink noise at 10 dB) gave 0-0.3 words a second in his three long
# sentences, against 1.4-3.4 in the other man's, and was unsaid; a replaced passage
# (tests: four sentences said in place of four others) gave 4.0-4.7 against 2.6-3.7.
TALK_HEARD = 0.5
# ... and not a run that chance would give (`anchors.chance_only`)
UNTRANSCRIBED_JOIN_MS = 1000  # speech outside every sentence, less than this apart, is one
UNTRANSCRIBED_SHORTEST_MS = 1000  # ... stretch, reported when at least this long
UNTRANSCRIBED_WARNING_MS = 5000  # this much of it in all is worth a warning
NORM_WINDOW = 75  # frames (3 s) of the sliding normalisation window
# The warp compares the first ten cepstra (c0-c9), the spectrum's broad shape; the
# finer ripple of c10-c12 is what noise, babble and rooms change most. Chosen on the 65
# degraded files of the sweep's conditions (5 cases): within 100 ms, mean 0.982 with 13,
# 0.984 with 10, 0.984 with 8, 0.978 with 16; checked on the nine other benchmark cases
# (all 1.000 either way). The speakers still hear c1-c12.
WARP_CEPSTRA = 10
EDGE_UNHEARD = 2  # words at either end of a sentence that may go unheard: at its end
# before a filler that starts the next (`_filler_after_unheard`), at its start before two
# words heard early (`_opened_early`); more, and the ear has lost its place
LEADING_SOUND_MS = 1000  # a sound between two sentences this short starts the one after
WORD_PAD_MS = 100  # words are listened for this far outside their sentences' stretch
WORD_EDGE_MS = 50  # a word tried for unsaid is heard with this much either side of its neighbours
UNSAID_NEAR_MS = 1000  # ... its neighbours being heard words no further than this from it
UNSAID_LISTEN_MS = 300  # an unsaid sentence is listened for in a stretch this long or more
WORD_RUN_MS = 20_000  # sentences next to each other are laid by ear this much at a time
# Every word of a recording with up to this much placed speech is laid by ear: the ear
# placed more word starts within 100 ms than the warp did on every recording with word
# truth (real speech: mfa-acoustic 0.86 -> 0.95, the LibriVox reader 0.87 -> 1.00; the
# synthetic lecture 0.87 -> 0.97, under pink noise 0.86 -> 0.94), at about 1 s of one
# core per 100 s of speech (seed-clean, 8.5 min: 5.4 s). A cost bound, not an accuracy
# one: 20 min cost about 6 s more on two cores, where the 67-minute case could not
# afford the 22 s of its whole.
EAR_WHOLE_MS = 20 * 60_000
# Beyond that, the warp's word starts are laid again by ear when the probes heard them
# further off than this at the median. Seen (median, p90 of the probes' gaps): a synthetic reading
# (seed-clean 27/62 ms, the 67-minute case 21/71 ms), real read speech (mfa-acoustic
# 24/92 ms), a cold and spontaneous speech (mfa-cold 102/505, mfa-two-speakers 63 ms).
# Chosen on the MFA recordings; checked on seed-clean and the long case, which keep the
# warp's words (the long case cannot afford the ear: 22 s more on both cores).
WORDS_OFF_MS = 40
_STEP = frontend.STEP  # loudness frames per warp frame


def align(audio_path: str | os.PathLike, transcript: str | Script, language: str = "eng",
          progress: Progress | None = None, *, sha256: str | None = None,
          duration_ms: int | None = None) -> SyncMap:
    """Align `transcript` (the raw text, or a Script already read from it) to the
    recording at `audio_path`. A caller that already knows the file's SHA-256 or its
    probed duration passes them, and they are not read again."""
    report = progress or (lambda stage, fraction: None)
    _imported_ahead()
    voice_for(language)  # fail fast on an unknown language, before any work
    # and on a missing or unreadable file
    expected_ms = audio.probe_duration(audio_path) if duration_ms is None else duration_ms
    got = _read_and_decoded(audio_path, transcript, language, expected_ms, sha256, report)
    script, rec, synth, digest, tokens = got.script, got.rec, got.synth, got.digest, got.tokens
    mask, likely, beyond, onset_mask = got.mask, got.likely, got.beyond, got.onset_mask
    speech_ms = int(mask.sum()) * int(round(features.ENERGY_HOP * 1000))
    reading_ms = int((synth.spans[:, 1] - synth.spans[:, 0]).sum() * frontend.FRAME_SHIFT * 1000)
    if speech_ms < max(NO_SPEECH_MS, NO_SPEECH_SHARE * reading_ms):
        # nothing to warp or to listen to: a silent hour is not worth either
        unsaid = SyncMap(tuple(_never_said(s, 0)
                               for s in script.sentences), script.set_aside,
                         duration=rec.duration)
        return replace(unsaid, language=language, sha256=digest.result(), warnings=(
            f"no speech was found in the recording ({speech_ms / 1000:.1f} s of it, for a "
            f"transcript that takes about {reading_ms // 60000} min to read): it may be "
            "silent, noise alone, or not the recording of this transcript",))
    # The probes (a child with pocketsphinx, 1.5 CPU-s on the 67-minute case) start once
    # eSpeak has read: started beside its last batches they saved 0.3-0.5 s there, but
    # the process tree's peak memory rose from 363-376 MB to 393-400 MB, at the 400 MB
    # the case may take. The decoding's freed buffers go back to the system first.
    _trim_heap()
    stretches, probing = _listening(audio_path, tokens, rec, mask) \
        if got.hearable else ([], None)
    try:
        result, problem = _aligned(script, rec, synth, likely, beyond, onset_mask,
                                   lambda f: report("aligning", f))
        result = replace(result, warnings=_warnings(result, mask))
        if result.warnings:
            # A result that leaves much unsaid may come of a speech detector fooled by
            # this recording (a pause taken for speech, speech for a pause): a second
            # opinion that ignores it, holding every frame for speech. The one that
            # places more of the transcript, with less speech outside it, is kept.
            every = np.ones_like(likely)
            second, second_problem = _aligned(script, rec, synth, every, every, onset_mask,
                                              lambda f: None)
            second = replace(second, warnings=_warnings(second, mask))
            if _fit(second, mask) > _fit(result, mask):
                result, problem = second, second_problem
        heard: tuple[str, ...] = ()
        if probing is not None:
            result, heard = _by_ear(audio_path, script, tokens, problem, result, probing,
                                    stretches, mask, onset_mask, rec,
                                    lambda f: report("listening", f))
    finally:
        if probing is not None:
            probing.cancel()
    report("refining", 0.0)
    # where the recogniser heard almost none of the transcript (strong noise), it is no
    # judge of words either: laying them by ear there took minutes and moved edges wrong
    result = _worded(audio_path, result, problem, script, synth, onset_mask, mask,
                     None if heard else probing, lambda f: report("refining", f))
    result = speakers.attribute(result, rec.mfcc)
    untranscribed = _untranscribed(result, mask)
    result = replace(result, untranscribed=untranscribed,
                     warnings=_unsaid_warning(result) + heard +
                     _untranscribed_warning(untranscribed))
    report("refining", 1.0)
    return replace(result, language=language, sha256=digest.result())


def _imported_ahead() -> None:
    """Import the modules an alignment would import midway before its threads and
    children start. Python drops a Ctrl-C that lands while an import's module lock is
    freed ("Exception ignored in ... _get_module_lock"): num2words' 60 modules, imported
    on the main thread as eSpeak's first reader started, let one of 24 Ctrl-Cs sent as
    children started be lost, and the alignment ran to its end
    (tests/webapp/test_small_mends.py)."""
    # numpy 2 loads these on first use, in whichever thread comes first (the features'
    # FFTs, np.unique's look for masked arrays), the main thread included
    import numpy.fft  # noqa: F401
    import numpy.ma  # noqa: F401

    recognizer.imported()


@dataclass(frozen=True)
class _Decoded:
    """What the stages "reading" and "decoding" give the rest: the transcript read, the
    recording's features and the speech in it (`mask`: sure speech per 10 ms; `likely`,
    `beyond`: `boundaries.speech_likelihoods`; `onset_mask`: speech by the curve that
    hears soft starts), eSpeak's reading, the recogniser's tokens of each sentence and
    whether any can be heard, and the file's SHA-256, read beside them."""

    script: Script
    rec: features.RecordingFeatures
    mask: np.ndarray
    likely: np.ndarray
    beyond: np.ndarray
    onset_mask: np.ndarray
    synth: Synthesis
    tokens: list[list[str]]
    hearable: bool
    digest: Future[str]


def _read_and_decoded(audio_path: str | os.PathLike, transcript: str | Script,
                      language: str, expected_ms: int, sha256: str | None,
                      report: Progress) -> _Decoded:
    """The stages "reading" and "decoding": the transcript read, the recording's
    features, eSpeak's reading of the transcript (in a thread, its readers in processes
    of their own), and the file's SHA-256 (`sha256` when the caller knows it), read
    beside them. Work that needs only some of them is done while the rest is awaited:
    on the 67-minute case 1.2 s of one core (the speech masks, the recogniser's
    dictionary) that came after the decoding, where the other core was idle."""
    # one BLAS thread for the whole stage, the recording's features and the reading's:
    # their filter products are small, and a second BLAS thread only spins, taking a
    # core from eSpeak (the limit is process-wide, so it is set here, once)
    with threadpool_limits(1, user_api="blas"), ThreadPoolExecutor(max_workers=3) as pool:
        # The recording's features need no transcript: their decoding starts at once, in
        # a thread (numpy's FFTs and products free the GIL), and goes on while the
        # transcript is read on the other core, where it used to wait for the reading
        # (the 67-minute case: 0.25 s of reading, and eSpeak's start, with a core idle)
        decoding = _Held(report, "decoding")
        recording = pool.submit(_measured, audio_path, expected_ms, decoding)
        try:
            report("reading", 0.0)
            script = transcript if isinstance(transcript, Script) else \
                read_transcript(transcript, language=language)
            report("reading", 1.0)
            decoding.release()
            if recording.done():
                recording.result()  # a recording that failed to decode: eSpeak need not read
            job = SynthesisJob(list(script.spoken), language)
            # the file's hash is read beside the decoding, not after it (hashlib frees
            # the GIL)
            digest = pool.submit(lambda: sha256 or audio.sha256_file(audio_path))
            try:
                # while the features and eSpeak's reading are made
                tokens = [recognizer.words_of(s) for s in script.spoken]
                hearable = recognizer.available(language) and \
                    any(recognizer.known(w) for t in tokens for w in t)
                reading = pool.submit(job.result)
                for first in futures.wait((recording, reading),
                                          return_when=futures.FIRST_COMPLETED).done:
                    first.result()  # a failure is told at once, not after the other
                rec, (mask, likely, beyond, onset_mask) = recording.result()
                return _Decoded(script=script, rec=rec, mask=mask, likely=likely,
                                beyond=beyond, onset_mask=onset_mask, synth=reading.result(),
                                tokens=tokens, hearable=hearable, digest=digest)
            finally:
                job.cancel()
        finally:
            decoding.stop()  # a transcript that failed to read stops the decoding


def _measured(audio_path: str | os.PathLike, expected_ms: int,
              progress: Callable[[float], None],
              ) -> tuple[features.RecordingFeatures, tuple[np.ndarray, ...]]:
    """The recording's features, with the samples of the stretches the probes will
    listen to (`_listening`), and where it holds speech: (mask, likely, beyond,
    onset_mask) as `_Decoded` has them."""
    rec = features.extract(audio_path, expected_ms, progress,
                           keep=listening.probes(expected_ms))
    # a pause costs by how far it rises above what noise alone does (see _Problem)
    mask, likely, beyond = boundaries.speech_likelihoods(rec.loudness, frontend.NOISE_SPREAD)
    onset_mask = boundaries.speech_mask(rec.onsets, frontend.ONSET_NOISE_SPREAD)
    return rec, (mask, likely, beyond, onset_mask)


def _trim_heap() -> None:
    """Hand the heap's free pages back to the system (glibc's malloc_trim). The decoding's
    blocks and buffers, freed by now, otherwise stay with this process while the
    probes' and the ear's children run beside it."""
    try:
        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: nothing to hand back this way
        pass


def _listening(audio_path: str | os.PathLike, tokens: list[list[str]],
               rec: features.RecordingFeatures, mask: np.ndarray,
               ) -> tuple[list[tuple[int, int]], listening.ListeningJob]:
    """The stretches probed for the transcript's words, and the job listening to them
    (for a transcript the recogniser can hear: `_Decoded.hearable`). The decoding kept
    the samples of the stretches the probed duration puts them at (`_measured`; six
    ffmpeg processes on the 67-minute case, 0.4 s of a core, while the probes held up
    the words); where the decoded duration puts them elsewhere, the job reads the file."""
    stretches = listening.probes(rec.duration)
    samples = [rec.kept.get(s) for s in stretches]
    return stretches, listening.ListeningJob(
        audio_path, tokens, stretches, mask,
        None if any(s is None for s in samples) else samples)


class _Stopped(Exception):
    """Raised in work that reports progress to `_Held` once it is for no one."""


class _Held:
    """The progress callback of a stage whose work starts before the stage before it
    ends: its reports are held until `release` (the latest then passed on, and every one
    after it as it comes), so the stages are reported in order, one thread at a time.
    After `stop`, a report raises _Stopped, which ends the work at its next report."""

    def __init__(self, report: Progress, stage: str) -> None:
        self._report, self._stage = report, stage
        self._lock = threading.Lock()
        self._released = self._stopped = False
        self._latest = 0.0

    def __call__(self, fraction: float) -> None:
        with self._lock:
            if self._stopped:
                raise _Stopped(self._stage)
            self._latest = fraction
            if self._released:
                self._report(self._stage, fraction)

    def release(self) -> None:
        """Report the stage from now on, starting with how far it has come."""
        with self._lock:
            self._released = True
            self._report(self._stage, self._latest)

    def stop(self) -> None:
        """Have the next report raise _Stopped (nothing more is reported)."""
        with self._lock:
            self._stopped = True


def _worded(audio_path: str | os.PathLike, result: SyncMap, problem: _Problem,
            script: Script, synth: Synthesis, onset_mask: np.ndarray, mask: np.ndarray,
            probing: listening.ListeningJob | None,
            progress: Callable[[float], None]) -> SyncMap:
    """Each placed sentence with its words' times: its reading warped again onto just its
    own stretch of the recording carries eSpeak's word starts onto the recording
    (`alignment.words`; a chain with room for a pause between words placed them worse
    on real speech: pooled within 100 ms 0.69 against 0.78). Where the words heard in
    the probes (`probing`) say those starts are not near enough where the words are
    said, an acoustic model lays the words it can on each sentence's stretch, and those
    it lays keep its times (`listening.placed`)."""
    if not synth.words:
        return result
    step = int(frontend.FRAME_SHIFT * 1000)
    # lists: words are timed one at a time, and bisect on a list is quicker than numpy's
    starts, ends = (edges.tolist() for edges in boundaries.pauses(onset_mask))
    quiet = [edges.tolist() for edges in boundaries.pauses(mask)]  # the loudness's
    never_skip = np.full(1, np.inf, np.float32)
    warped: dict[int, list[int | None]] = {}
    for k, s in enumerate(result.sentences):
        if not s.aligned:
            continue
        lo = s.begin // step
        hi = min(len(problem.real), max(lo + 1, -(-s.end // step)))
        chain, path = problem.path(lo, hi, k, k + 1, penalty=never_skip)
        frames = chain.frame[path]
        on = np.nonzero(frames >= 0)[0]
        span = (int(problem.spans[k][0]), int(problem.spans[k][1]))
        read = words.reading_starts(s.text, script.spoken[k], synth.words[k], span)
        # between the frames the warp matched, a start lands in proportion
        at = words.carried(read, frames[on], on + lo)
        begins = [None if f is None else int(round(f * step)) for f in at]
        warped[k] = begins
    said_ms = sum(result.sentences[k].end - result.sentences[k].begin for k in warped)
    warp_off = probing is not None and _warp_words_off(result, warped, probing)
    by_ear = warp_off or (probing is not None and said_ms <= EAR_WHOLE_MS)
    heard, sounds, wider = _words_heard(audio_path, result, warped) if by_ear else ({}, [], set())
    progress(1.0)
    if heard and warp_off:
        # the sentence edges follow the words heard only where the probes say the warp
        # is off: where they agree, the warp's edges held better than the ear's (white
        # noise at 10 dB, lecture-white10: 1.000 within 100 ms with the warp's, 0.944
        # with the ear's, which heard two sentences' first words 0.2-0.5 s off)
        result = _edges_by_ear(result, heard, warped, starts, ends)
    if heard:
        result = _squeezed_by_ear(result, heard, ends)
        result = _opened_wider(result, heard, wider, ends)
        result = _leading_sounds(result, heard, sounds, starts, ends, quiet)
    if probing is not None:
        result, found = _unsaid_by_ear(audio_path, result, heard, warped, starts, ends)
        for k, per_word in found.items():
            warped[k] = [None] * len(per_word)
            heard[k] = per_word
    unsaid = _words_unsaid(audio_path, result, heard) if heard else {}
    out = [replace(s, words=words.timed(s.text, warped[k], s, starts, ends, heard.get(k, ()),
                                        unsaid.get(k, ())))
           if k in warped else replace(s, words=())
           for k, s in enumerate(result.sentences)]
    return replace(result, sentences=tuple(out))


def _unsaid_by_ear(audio_path: str | os.PathLike, result: SyncMap,
                   heard: dict[int, list[tuple[int, int] | None]],
                   warped: dict[int, list[int | None]],
                   pause_starts: Sequence[float], pause_ends: Sequence[float],
                   ) -> tuple[SyncMap, dict[int, list[tuple[int, int] | None]]]:
    """Sentences the warp left unsaid, heard after all: a short spoken line ("1", "II.",
    "Thanks.") that the warp gave to a neighbour. Between the end of the sentence before
    (of its last word heard) and the first word of the sentence after (heard, or as the
    warp carried it), the recogniser listens with the whole transcript's language
    model; a sentence whose every known word is heard there, in order, is laid on them,
    and the sentence after starts after it. Returns the result and, per sentence found,
    its words' times."""
    out = list(result.sentences)
    found: dict[int, list[tuple[int, int] | None]] = {}
    placed = [k for k, s in enumerate(out) if s.aligned]
    listener: recognizer.Listener | None = None
    try:
        for k in range(len(out)):
            listener = _rescue(audio_path, out, k, placed, heard, warped, pause_starts,
                               pause_ends, result.duration, found, listener)
    finally:
        if listener is not None:
            listener.close()
    return replace(result, sentences=tuple(out)), found


def _rescue(audio_path: str | os.PathLike, out: list[Sentence], k: int,
            placed: list[int], heard: dict[int, list[tuple[int, int] | None]],
            warped: dict[int, list[int | None]], pause_starts: Sequence[float],
            pause_ends: Sequence[float], duration: int,
            found: dict[int, list[tuple[int, int] | None]],
            listener: recognizer.Listener | None) -> recognizer.Listener | None:
    """Sentence k of `_unsaid_by_ear`, in place in `out` and `found`; returns the
    listener, made when first needed."""
    s = out[k]
    tokens, owner = _word_tokens(s.text)
    if s.aligned or not any(recognizer.known(t) for t in tokens):
        return listener
    before = max((j for j in placed if j < k), default=None)
    after = min((j for j in placed if j > k), default=None)
    lo = 0 if before is None else _heard_end(heard, before, out[before].end)
    first_after = None if after is None else next(
        (h[0] for h in heard.get(after, ()) if h is not None),
        next((b for b in warped.get(after, ()) if b is not None), out[after].begin))
    hi = duration if first_after is None else first_after
    if hi - lo < UNSAID_LISTEN_MS:
        return listener
    try:
        if listener is None:
            listener = recognizer.Listener([_word_tokens(x.text)[0] for x in out])
        times = _in_order(tokens, listener.hear(audio.pcm_range(audio_path, lo, hi), lo))
    except RuntimeError:  # the recogniser failed: the sentence stays unsaid
        return listener
    if times is None:
        return listener
    per = _per_word(len(split_words(s.text)), zip(owner, times, strict=True))
    said = [h for h in times if h is not None]
    after_pause = words.edge_near(said[0].begin, pause_ends)
    begin = max(lo, (said[0].begin if after_pause is None else after_pause) - words.LEAD_MS)
    end = said[-1].end
    out[k] = replace(s, begin=begin, end=end, aligned=True, confidence=0.5)
    if after is not None and first_after is not None and out[after].begin < end:
        out[after] = replace(out[after], begin=min(out[after].end - 1,
                                                   max(end, first_after - words.LEAD_MS)))
    if before is not None and out[before].end > begin:
        out[before] = replace(out[before], end=max(out[before].begin + 1, begin))
    found[k] = per
    return listener


def _in_order(tokens: Sequence[str], heard: list[listening.Heard],
              ) -> list[listening.Heard | None] | None:
    """Per token, the word heard for it, taking every known token in order from `heard`;
    None when any known token is not heard."""
    out: list[listening.Heard | None] = []
    j = 0
    for t in tokens:
        if not recognizer.known(t):
            out.append(None)
            continue
        while j < len(heard) and heard[j].text != t:
            j += 1
        if j == len(heard):
            return None
        out.append(heard[j])
        j += 1
    return out


def _edges_by_ear(result: SyncMap, heard: dict[int, list[tuple[int, int] | None]],
                  warped: dict[int, list[int | None]], pause_starts: Sequence[float],
                  pause_ends: Sequence[float]) -> SyncMap:
    """Sentence edges put right by the words heard: a sentence whose first word is heard
    before it begins, at the end of a pause, starts there; one whose last word is heard
    after it ends, at the start of a pause, ends there. Neither reaches over a word heard
    in the sentence beside it, and the neighbour gives way. (A word heard in noise
    where no pause is, or in the middle of one, moved a sentence 0.4 s the wrong way;
    where no pause is, the start moves only where `_opened_early` says the ear heard
    the sentence open before it; `warped` is per sentence the warp's word starts.)"""
    out = list(result.sentences)
    lead = words.LEAD_MS
    placed = [k for k, s in enumerate(out) if s.aligned]
    for j, k in enumerate(placed):
        said = [h for h in heard.get(k, ()) if h is not None]
        if not said:
            continue
        s = out[k]
        before, after = _beside(placed, j)
        # a neighbour the ear heard none of inside its own span keeps the warp's edge:
        # nothing heard shows it ends sooner, and a word heard early (noise, or the
        # neighbour's own words heard as this one's) had carried a sentence over the
        # whole of it (keeper-neural with reverberation and babble at 10 dB; a council
        # meeting under a TV, where the neighbour's one word heard lay before it began)
        floor = max((h[1] for h in _inside(heard.get(before, ()), out[before])),
                    default=out[before].end) if before is not None else 0
        ceiling = min((h[0] for h in _inside(heard.get(after, ()), out[after])),
                      default=out[after].begin) if after is not None else result.duration
        begin, end = s.begin, s.end
        if said[0][0] < s.begin:
            near = words.edge_near(said[0][0], pause_ends)
            # the lead before a word is a margin, not evidence: the word heard before it
            # may run into the pause (the ear stretches a word over one), so the lead
            # gives way to it rather than the move being refused
            if near is not None and near > floor:
                begin = max(floor, near - lead)
            elif near is None:
                opened = _opened_early(heard.get(k, ()), s.begin, warped.get(k, ()))
                if opened is not None:
                    begin = max(floor, opened - lead)
        if said[-1][1] > s.end:
            near = words.edge_near(said[-1][1], pause_starts)
            if near is not None and near <= ceiling:
                end = near
        if (begin, end) == (s.begin, s.end):
            continue
        out[k] = replace(s, begin=begin, end=max(begin + 1, end))
        if before is not None and out[before].end > begin:
            out[before] = replace(out[before], end=max(out[before].begin + 1, begin))
        if after is not None and out[after].begin < end:
            out[after] = replace(out[after], begin=min(out[after].end - 1, end))
    return replace(result, sentences=tuple(out))


def _beside(placed: Sequence[int], j: int) -> tuple[int | None, int | None]:
    """The placed sentences either side of `placed[j]` (None at either end)."""
    return (placed[j - 1] if j else None,
            placed[j + 1] if j + 1 < len(placed) else None)


def _heard_end(heard: dict[int, list[tuple[int, int] | None]], k: int, default: int) -> int:
    """Where the words heard of sentence `k` end (the last one's end), or `default` when
    none was heard."""
    return max((h[1] for h in heard.get(k, ()) if h is not None), default=default)


def _inside(heard: Iterable[tuple[int, int] | None], s: Sentence,
            ) -> list[tuple[int, int]]:
    """The words heard that overlap sentence `s`'s span: one heard wholly outside it is
    where the ear lost its place, not where the sentence is."""
    return [h for h in heard if h is not None and h[1] > s.begin and h[0] < s.end]


def _squeezed_by_ear(result: SyncMap, heard: dict[int, list[tuple[int, int] | None]],
                     pause_ends: Sequence[float]) -> SyncMap:
    """A sentence the warp squeezed to less than a word's length (WORD_PAUSE_MS) though
    the ear heard every word of it, between the words it heard of the sentences either
    side, is laid on those words, and its neighbours give way. The warp squeezes a short
    line ("Yes.", "No.", "Mm.") when a neighbour's reading matches its speech as cheaply:
    held-out recipe-kitchen in a cafe laid "Yes." at 82.600-82.601 s, heard at
    81.67-82.20 s (said at 81.71 s)."""
    out = list(result.sentences)
    placed = [k for k, s in enumerate(out) if s.aligned]
    for j, k in enumerate(placed):
        s, mine = out[k], heard.get(k, [None])
        if s.end - s.begin >= words.WORD_PAUSE_MS or not mine or None in mine:
            continue
        before, after = _beside(placed, j)
        floor = 0 if before is None else _heard_end(heard, before, out[before].begin)
        ceiling = result.duration if after is None else min(
            (h[0] for h in heard.get(after, ()) if h is not None), default=out[after].end)
        first, last = mine[0], mine[-1]
        if first[0] < floor or last[1] > ceiling:
            continue  # heard over a neighbour's words: the ear is no surer than the warp
        near = words.edge_near(first[0], pause_ends)
        begin = max(floor, (first[0] if near is None else near) - words.LEAD_MS)
        if before is not None and begin <= out[before].begin:
            continue
        out[k] = replace(s, begin=begin, end=last[1])
        if before is not None and out[before].end > begin:
            out[before] = replace(out[before], end=begin)
        if after is not None and out[after].begin < last[1]:
            out[after] = replace(out[after], begin=min(out[after].end - 1, last[1]))
    return replace(result, sentences=tuple(out))


def _opened_wider(result: SyncMap, heard: dict[int, list[tuple[int, int] | None]],
                  wider: set[int], pause_ends: Sequence[float]) -> SyncMap:
    """A sentence that opens a run the ear listened to again from further back, its first
    word pressed against the start of the warp's stretch (`wider`), starts with that word
    where the ear then heard it, if after the words heard of the sentence before and at
    the end of a pause (within SNAP_MS): the warp started it inside that word
    (mfa-acoustic's drawn-out "And", 0.57 s late). Without a pause there, the word may be
    noise heard as it (traffic at 3 dB: "Then" heard 1.3 s before it was said)."""
    out = list(result.sentences)
    placed = [k for k, s in enumerate(out) if s.aligned]
    for j, k in enumerate(placed):
        first = next((h for h in heard.get(k, ()) if h is not None), None)
        if k not in wider or first is None or first[0] >= out[k].begin:
            continue
        before = _beside(placed, j)[0]
        floor = 0 if before is None else _heard_end(heard, before, out[before].begin)
        near = words.edge_near(first[0], pause_ends)
        if near is None or first[0] <= floor:
            continue
        begin = max(floor, near - words.LEAD_MS)
        if before is not None and begin <= out[before].begin:
            continue
        out[k] = replace(out[k], begin=begin)
        if before is not None and out[before].end > begin:
            out[before] = replace(out[before], end=begin)
    return replace(result, sentences=tuple(out))


def _opened_early(heard: Sequence[tuple[int, int] | None], begin: int,
                  warped: Sequence[int | None]) -> int | None:
    """Where a sentence that starts at `begin` opens by ear, when its first two words
    were both heard before `begin`: then it starts late, though no pause shows where (a
    cold voice in a noisy room: mfa-cold's "Different than", 0.45 s before the warp's
    start). One word heard alone there may be noise heard as that word.

    Up to EDGE_UNHEARD of its first words may go unheard because the start is late: the
    ear listens from WORD_PAD_MS before a run of sentences, so it has no room for them
    and lays the words after them at the very start of its stretch (babble over a
    reader's "And Mister", librivox-austen: "John" heard 70 ms before the warp's start,
    "Dashwood" after it). Then a first word heard within WORD_PAD_MS before `begin`, with
    the word after it heard too, says the sentence opens as long before it as the warp
    laid the unheard ones (`warped`, per word its start) before it. A word heard further
    before `begin`, after unheard ones, is the ear's guess in noise (babble: "are" of
    "We are ready for this" heard 0.4 s early, on the sentence before). None when the ear
    does not say the sentence opens early."""
    for i in range(min(EDGE_UNHEARD + 1, len(heard) - 1)):
        first, second = heard[i], heard[i + 1]
        if first is None:
            continue
        if second is None or first[0] >= begin:
            return None
        if i == 0:
            return first[0] if second[0] < begin else None
        if first[0] < begin - WORD_PAD_MS or len(warped) <= i or warped[0] is None \
                or warped[i] is None:
            return None
        return first[0] - (warped[i] - warped[0])
    return None


def _leading_sounds(result: SyncMap, heard: dict[int, list[tuple[int, int] | None]],
                    sounds: Sequence[listening.Heard], pause_starts: Sequence[float],
                    pause_ends: Sequence[float],
                    quiet: Sequence[Sequence[float]] = ((), ())) -> SyncMap:
    """A short sound between two sentences is the start of the one after: an "um", a
    breath or a cough before a sentence is where it begins (issue 17), though the
    transcript does not write it. Such a sound lies after a pause that follows the last
    word of the one before, and lasts LEADING_SOUND_MS or less up to the first word of
    the one after; or it is a filler the ear heard there (`sounds`). Only where both
    those words were heard: a sound after a word the ear did not hear may be that word
    (it heard "Present." and "II." of a roll call as fillers); unless the sound of the
    words not heard lies before the pause (`_filler_after_unheard`)."""
    out = list(result.sentences)
    placed = [k for k, s in enumerate(out) if s.aligned]
    for k, n in zip(placed, placed[1:], strict=False):
        before, first = heard.get(k, [None]), heard.get(n, [None])[0]
        last = before[-1]
        if first is None:
            continue
        if last is None:
            edges = _filler_after_unheard(before, first, sounds, pause_starts, pause_ends)
        elif out[n].begin <= last[1] or last[1] <= out[k].begin:
            continue  # heard before its sentence begins: the ear lost its place there
        else:
            edges = _sound_after(last, first, out[n].begin, pause_starts, pause_ends) or \
                _filler_before(before, first, sounds) or \
                _quiet_before(last, first, out[n].begin, pause_starts, pause_ends, *quiet)
        if edges is None or edges[0] >= out[n].begin or edges[1] <= out[k].begin:
            continue
        begin, end_before = edges
        out[n] = replace(out[n], begin=begin)
        out[k] = replace(out[k], end=max(out[k].begin + 1, min(out[k].end, end_before)))
    return replace(result, sentences=tuple(out))


def _sound_after(last: tuple[int, int], first: tuple[int, int], begin: int,
                 pause_starts: Sequence[float], pause_ends: Sequence[float],
                 ) -> tuple[int, int] | None:
    """Where a sentence starting at `begin`, its first word heard at `first`, begins if
    a sound of WORD_PAUSE_MS to LEADING_SOUND_MS comes before that word after the pause
    that follows `last`, the last word of the sentence before; and where that one ends.
    None where there is no such sound."""
    hop = features.ENERGY_HOP * 1000.0
    # the pause after the last word: the ear may end a word inside that pause
    i = _pause_after(last[1], pause_ends)
    if i >= len(pause_starts) or pause_starts[i] * hop > last[1] + words.LEAD_MS:
        return None  # no pause right after the last word
    sound_from = int(pause_ends[i] * hop)
    if sound_from - max(pause_starts[i] * hop, last[1]) < words.WORD_PAUSE_MS:
        return None  # a pause shorter than one between words: the sound is the word's tail
    if not sound_from + words.LEAD_MS < min(begin, first[0] + 1):
        return None  # no sound of its own before the sentence's start
    sound = first[0] - sound_from - sum(
        max(0.0, min(b * hop, first[0]) - max(a * hop, sound_from))
        for a, b in zip(pause_starts[i + 1:], pause_ends[i + 1:], strict=True)
        if a * hop < first[0])
    if not _leading_length(sound):
        return None
    return sound_from - words.LEAD_MS, int(pause_starts[i] * hop)


def _leading_length(sound_ms: float) -> bool:
    """Whether a sound before a sentence's first word lasts as a hesitation or a
    cough does, WORD_PAUSE_MS to LEADING_SOUND_MS. Longer, it may be talk of its own;
    shorter, it is no word or filler of its own: the last word's tail heard apart (a
    stop's release after its closure, in pink noise: keeper-neural), or the ear's "uh"
    of 80-90 ms laid on the original voice under an interpreter's first word
    (interp-simultaneous), where the hesitations of real speakers lasted 360-580 ms."""
    return words.WORD_PAUSE_MS <= sound_ms <= LEADING_SOUND_MS


def _filler_before(before: Sequence[tuple[int, int] | None], first: tuple[int, int],
                   sounds: Sequence[listening.Heard]) -> tuple[int, int] | None:
    """Where a sentence whose first word is heard at `first` begins if the ear heard
    fillers (`sounds`) before it, of a leading sound's length in all, the first of them
    after a pause (WORD_PAUSE_MS or more) that follows the last word of the sentence
    before (`before`: its words, the last two heard); and where that one ends. None
    where it heard none. (For where the pauses cannot be told from the noise between
    them, as on a recording spliced from two rooms.) A filler touching the last word
    may be the rest of it: the ear heard "civilised city" as "city" and two "uh"s."""
    if len(before) < 2 or before[-2] is None or before[-1] is None:
        return None
    begin = _filler_after(before[-1][1], first, sounds)
    return None if begin is None else (begin, begin)


def _filler_after(end: int, first: tuple[int, int],
                  sounds: Sequence[listening.Heard]) -> int | None:
    """Where a sentence whose first word is heard at `first` begins if the ear heard
    fillers (`sounds`) between `end` (ms, where the sentence before ends) and that word,
    of a leading sound's length in all, the first of them WORD_PAUSE_MS or more after
    `end`; None where it heard none."""
    between = [s for s in sounds if end <= s.begin and s.end <= first[0] + words.LEAD_MS]
    if not between or between[0].begin < end + words.WORD_PAUSE_MS or \
            not _leading_length(sum(s.end - s.begin for s in between)):
        return None
    return between[0].begin - words.LEAD_MS


def _pause_after(ms: float, pause_ends: Sequence[float]) -> int:
    """The index of the first pause (of `pause_ends`, in frames) that ends after `ms`."""
    return bisect.bisect_right(pause_ends, ms / (features.ENERGY_HOP * 1000.0))


def _quiet_before(last: tuple[int, int], first: tuple[int, int], begin: int,
                  pause_starts: Sequence[float], pause_ends: Sequence[float],
                  quiet_starts: Sequence[float], quiet_ends: Sequence[float],
                  ) -> tuple[int, int] | None:
    """Where a sentence starting at `begin`, after its first word heard (`first`),
    begins when the onsets show no pause between that word and the last word of the
    sentence before (`last`), but the loudness over all bands does (`quiet_starts`,
    `quiet_ends`): at the end of the last such pause, WORD_PAUSE_MS long or more after
    the last word. The floor the onsets rise from is the lowest 2% over 20 s, and a
    quieter stretch within that span (a second of near-silence where two takes are
    spliced) drags it under this room's noise, so a pause there reads as sound in the
    onsets; the loudness's floor, the level of the pauses, holds (mfa-two-speakers'
    drawn-out "And" after a 1.2 s pause: the warp's start 0.57 s late, inside it)."""
    hop = features.ENERGY_HOP * 1000.0
    if begin <= first[0]:
        return None
    # the loudness's pauses ending after the last word and by the first
    lo, hi = _pause_after(last[1], quiet_ends), _pause_after(first[0], quiet_ends)
    found = [j for j in range(lo, hi)
             if (quiet_ends[j] - max(quiet_starts[j], last[1] / hop)) * hop
             >= words.WORD_PAUSE_MS]
    if not found:
        return None
    a, b = quiet_starts[found[-1]] * hop, quiet_ends[found[-1]] * hop
    # an onset pause that ends within WORD_PAUSE_MS of it, or after it, and starts before
    i = _pause_after(b - words.WORD_PAUSE_MS, pause_ends)
    if i < len(pause_starts) and pause_starts[i] * hop < b:
        return None  # the onsets show where that pause ends: `_sound_after` judged it
    return int(b) - words.LEAD_MS, int(max(a, last[1]))


def _filler_after_unheard(before: Sequence[tuple[int, int] | None], first: tuple[int, int],
                          sounds: Sequence[listening.Heard], pause_starts: Sequence[float],
                          pause_ends: Sequence[float]) -> tuple[int, int] | None:
    """As `_filler_before`, where the last words of the sentence before (EDGE_UNHEARD
    at most) were not heard but sound runs on after the last word heard, WORD_PAUSE_MS
    or more, up to a pause: those words are that sound, and the sentence before ends at
    the pause. A filler the ear heard after the pause then starts the sentence after
    (mfa-cold: "in the original one", said with a cold, heard as "in the" and sounds,
    then an "uh" heard as a filler before "And here's a long pause"). Where the last
    word heard runs into the pause, a sound after it may be the words not heard."""
    heard_at = [i for i, w in enumerate(before) if w is not None]
    if not heard_at or len(before) - 1 - heard_at[-1] > EDGE_UNHEARD:
        return None
    last_end = before[heard_at[-1]][1]
    i = _pause_after(last_end, pause_ends)  # the pause the word ends before
    ends = int(pause_starts[i] * features.ENERGY_HOP * 1000.0) if i < len(pause_starts) \
        else None
    if ends is None or ends < last_end + words.WORD_PAUSE_MS:
        return None
    begin = _filler_after(ends, first, sounds)
    return None if begin is None else (begin, ends)


def _warp_words_off(result: SyncMap, warped: dict[int, list[int | None]],
                    probing: listening.ListeningJob) -> bool:
    """Whether the warp's word starts lie too far from where the probes heard the same
    words: more than WORDS_OFF_MS at the median, over the words heard in runs there."""
    try:
        heard = probing.result()
    except RuntimeError:
        return False
    split = [_word_tokens(s.text) if k in warped else ((), ())
             for k, s in enumerate(result.sentences)]
    begins = [s.begin if k in warped else None for k, s in enumerate(result.sentences)]
    ends = [s.end if k in warped else None for k, s in enumerate(result.sentences)]
    marks = _probed([t for t, _ in split], heard, listening.probes(result.duration),
                    begins, ends)
    gaps = []
    for k, anchored in enumerate(marks):
        owner = split[k][1]
        for a in anchored:
            first_token = a.token == 0 or owner[a.token - 1] != owner[a.token]
            start = warped[k][owner[a.token]] if first_token else None
            if start is not None:
                gaps.append(abs(a.begin - start))
    return bool(gaps) and float(np.median(gaps)) > WORDS_OFF_MS


@functools.lru_cache(maxsize=4096)
def _word_tokens(text: str) -> tuple[tuple[str, ...], tuple[int, ...]]:
    """A sentence's tokens as the recogniser hears them, and per token its written word
    (asked of each sentence several times, so kept)."""
    tokens, owner = [], []
    for i, w in enumerate(split_words(text)):
        for t in recognizer.words_of(w):
            tokens.append(t)
            owner.append(i)
    return tuple(tokens), tuple(owner)


def _words_heard(audio_path: str | os.PathLike, result: SyncMap,
                 warped: dict[int, list[int | None]],
                 ) -> tuple[dict[int, list[tuple[int, int] | None]], list[listening.Heard],
                            set[int]]:
    """Per placed sentence, per written word, where the acoustic model lays it (its
    first token's begin, its last token's end), or None; the spoken fillers it heard
    between them; and the sentences that open a run whose stretch was widened at its
    start (`listening.placed`: its first word was pressed against the start). Sentences
    next to each other are laid together, up to WORD_RUN_MS of them, so an edge the warp
    put a word or two off does not take those words out of reach; WORD_PAD_MS either side
    of a run is listened to as well."""
    placing, owners = [], []
    run: list[int] = []

    def flush() -> None:
        if not run:
            return
        tokens, owner, guesses = [], [], []
        for k in run:
            toks, own = _word_tokens(result.sentences[k].text)
            tokens += toks
            owner += [(k, i) for i in own]
            guesses += [warped[k][i] for i in own]
        placing.append((tokens, max(0, result.sentences[run[0]].begin - WORD_PAD_MS),
                        min(result.duration, result.sentences[run[-1]].end + WORD_PAD_MS),
                        guesses))
        owners.append(owner)
        run.clear()

    for k in warped:
        if run and (run[-1] != k - 1 or
                    result.sentences[k].end - result.sentences[run[0]].begin > WORD_RUN_MS):
            flush()
        run.append(k)
    flush()
    try:
        laid, sounds = listening.placed(audio_path, placing)
    except RuntimeError:  # the recogniser failed: the warp's word times stand
        return {}, [], set()
    by_sentence: dict[int, list[tuple[int, listening.Heard | None]]] = {k: [] for k in warped}
    wider = set()
    for owner, hs, (_, start, _, _) in zip(owners, laid, placing, strict=True):
        first = next((h for h in hs if h is not None), None)
        if first is not None and first.begin < start:  # heard before the stretch: widened
            wider.add(owner[0][0])
        for (k, i), h in zip(owner, hs, strict=True):
            by_sentence[k].append((i, h))
    return ({k: _per_word(len(warped[k]), pairs) for k, pairs in by_sentence.items()},
            sounds, wider)


def _words_unsaid(audio_path: str | os.PathLike, result: SyncMap,
                  heard: dict[int, list[tuple[int, int] | None]]) -> dict[int, set[int]]:
    """Per sentence, the words inside it (not its first or last), between two heard
    words, that the ear laid about as short as its model allows (`recognizer.squeezed`)
    or did not lay at all, and that the recording does not hold
    (`recognizer.Aligner.unsaid`, tried with up to two heard words either side, of its
    sentence or the next within UNSAID_NEAR_MS): words in the transcript the speaker
    left out, squeezed in between their neighbours or left out by the ear. Such a word
    gets no time of its own (`words.timed`)."""
    # every word in order: (sentence, word, its known tokens, its time or None, tokens)
    flat = []
    for k in sorted(heard):
        tokens, owner = _word_tokens(result.sentences[k].text)
        for i, h in enumerate(heard[k]):
            mine = [t for t, o in zip(tokens, owner, strict=True) if o == i]
            flat.append((k, i, [t for t in mine if recognizer.known(t)], h, len(mine)))
    laid = [n for n, entry in enumerate(flat) if entry[3] is not None]
    tried = []
    for n in range(1, len(flat) - 1):
        k, i, mine, h, count = flat[n]
        prev, nxt = flat[n - 1], flat[n + 1]
        if count != 1 or len(mine) != 1 or prev[0] != k or nxt[0] != k or \
                prev[3] is None or nxt[3] is None or \
                (h is not None and not recognizer.squeezed(mine[0], *h)):
            continue
        span = h if h is not None else (prev[3][1], nxt[3][0])
        j = bisect.bisect_left(laid, n)  # the first heard word from this one on
        after = j + (h is not None)
        near_ms = UNSAID_NEAR_MS
        window = [*(m for m in laid[max(0, j - 2):j] if span[0] - flat[m][3][1] <= near_ms), n,
                  *(m for m in laid[after:after + 2] if flat[m][3][0] - span[1] <= near_ms)]
        near = [t for m in window for t in flat[m][2]]
        at = sum(len(flat[m][2]) for m in window if m < n)
        tried.append((k, i, near, at, max(0, flat[window[0]][3][0] - WORD_EDGE_MS),
                      flat[window[-1]][3][1] + WORD_EDGE_MS))
    tried.sort(key=lambda t: t[4])
    out: dict[int, set[int]] = {}
    for (k, i, *_), gone in zip(tried, listening.unsaid(audio_path, [t[2:] for t in tried]),
                                strict=True):
        if gone:
            out.setdefault(k, set()).add(i)
    return out


def _per_word(count: int, tokens: Iterable[tuple[int, listening.Heard | None]],
              ) -> list[tuple[int, int] | None]:
    """Per written word of `count`, its time from its tokens heard (`tokens`: each its
    word's index and the token heard, or None): the first token's begin, the last's
    end; None when none of its tokens was heard."""
    out: list[tuple[int, int] | None] = [None] * count
    for i, h in tokens:
        if h is not None:
            got = out[i]
            out[i] = (h.begin, h.end) if got is None else (got[0], h.end)
    return out


def _by_ear(audio_path: str | os.PathLike, script: Script, tokens: list[list[str]],
            problem: _Problem, result: SyncMap, probing: listening.ListeningJob,
            stretches: list[tuple[int, int]], mask: np.ndarray, onset_mask: np.ndarray,
            rec: features.RecordingFeatures,
            progress: Callable[[float], None]) -> tuple[SyncMap, tuple[str, ...]]:
    """The result checked against the words a recogniser hears. First in a few probes
    heard beside the warp: where they agree with it, it stands. Where they do not, the
    whole recording is heard; sentences with runs of their words heard in order are
    laid there, and the warp places only the rest, between them (`alignment.anchors`).
    With it, a warning when the recogniser heard almost none of the transcript."""
    counts = [sum(map(recognizer.known, t)) for t in tokens]
    begins = [s.begin if s.aligned else None for s in result.sentences]
    ends = [s.end if s.aligned else None for s in result.sentences]
    try:
        probe_heard = probing.result()
        probed = _probed(tokens, probe_heard, stretches, begins, ends)
    except RuntimeError:  # the recogniser failed: the warp's result stands, as without it
        return result, ()
    chance = anchors.chance_only(probed, tokens, probe_heard)
    if not anchors.disagree(probed, stretches, begins, ends, counts, chance):
        return result, ()
    heard = listening.everywhere(audio_path, tokens, rec.duration, mask, progress)
    anchored = anchors.heard_in_order(tokens, heard, recognizer.known)
    hearable = sum(1 for c in counts if c >= anchors.MIN_RUN)
    found = sum(1 for a, c in zip(anchored, counts, strict=True) if a and c >= anchors.MIN_RUN)
    note: tuple[str, ...] = ()
    if hearable and found < HEARD_WARNING * hearable:
        note = (f"few of the transcript's words were heard in the recording ({found} of "
                f"{hearable} sentences): it may not be this recording's transcript, or the "
                "speech is buried in noise",)
    sizes = [len(t) for t in tokens]
    step = int(frontend.FRAME_SHIFT * 1000)
    first = np.array([s.begin // step if s.aligned else -1 for s in result.sentences])
    last = np.array([max(s.begin, s.end - 1) // step if s.aligned else -1
                     for s in result.sentences])
    keep = np.array([bool(a) and anchors.fits(a, b, e)
                     for a, b, e in zip(anchored, begins, ends, strict=True)])
    # words heard say the warp laid these elsewhere; with most of their words heard,
    # they are believed over it (a few words heard in noise may be a like phrase of
    # another sentence)
    move = _moves(anchored, keep, counts, tokens, heard)
    unheard = np.zeros(len(tokens), bool) if note else \
        _unheard_passages(anchored, counts, result, heard)
    if not move.any():
        return _unsaid(result, unheard), note
    _anchored_frames(problem, anchored, sizes, first, last, keep, move)
    lengths = problem.spans[:, 1] - problem.spans[:, 0]
    _look_again(problem, first, last, lengths, keep | move)
    relaid = _timed(script, first, last, _pace(first, last, lengths), onset_mask,
                    rec.onsets, rec.duration)
    if note and relaid.placed < result.placed:
        # the few words heard in heavy noise are no evidence that sentences went unsaid:
        # under babble of other voices at 6 dB, 6 of 52 sentences heard re-laid the warp's
        # 68 of 68 (0.706 within 100 ms) into 45, 33 s given to speech not in the
        # transcript (0.426; the held-out check's recipe-kitchen)
        return result, note
    return _unsaid(relaid, unheard), note


def _unheard_passages(anchored: Sequence[Sequence[anchors.Anchor]], counts: Sequence[int],
                      result: SyncMap, heard: Sequence[listening.Heard]) -> np.ndarray:
    """Per sentence, whether it lies in a passage never said (see UNHEARD_RUN): a run of
    UNHEARD_RUN or more placed sentences of UNHEARD_WORDS known words or more, none heard
    in a run anywhere, in a recording where HEARD_WELL of the other sentences that could
    be heard (HEARD_JUDGED of them at least) were, and where the recogniser hears talk
    (`heard`: the words it heard anywhere; see TALK_HEARD). Sentences shorter than that,
    and those the warp left unsaid, neither count nor break a passage."""
    sentences = result.sentences
    judged = [k for k, (s, c) in enumerate(zip(sentences, counts, strict=True))
              if s.aligned and c >= UNHEARD_WORDS]
    out = np.zeros(len(counts), bool)
    passages = []
    for silent, run in itertools.groupby(judged, key=lambda k: not anchored[k]):
        run = list(run)
        if silent and len(run) >= UNHEARD_RUN:
            out[run] = True
            passages.append(run)
    others = [k for k, (a, c) in enumerate(zip(anchored, counts, strict=True))
              if c >= anchors.MIN_RUN and not out[k]]
    well = [k for k in others if anchored[k]]
    if not out.any() or len(others) < HEARD_JUDGED or len(well) < HEARD_WELL * len(others):
        return np.zeros(len(counts), bool)
    begins = sorted(h.begin for h in heard)

    def rate(spans: Sequence[tuple[int, int]]) -> float:
        words = sum(bisect.bisect_left(begins, b) - bisect.bisect_left(begins, a)
                    for a, b in spans)
        return words / max(1, sum(b - a for a, b in spans))

    usual = rate([(sentences[k].begin, sentences[k].end) for k in well])
    for run in passages:
        if rate([(sentences[run[0]].begin, sentences[run[-1]].end)]) < TALK_HEARD * usual:
            out[run] = False
    return out


def _unsaid(result: SyncMap, which: np.ndarray) -> SyncMap:
    """`result` with the sentences `which` never said: no length, where they would have
    been (after the end of the last sentence said before them)."""
    if not which.any():
        return result
    out = list(result.sentences)
    said_until = 0
    for k, s in enumerate(out):
        if which[k]:
            out[k] = _never_said(s, said_until)
        elif s.aligned:
            said_until = s.end
    return replace(result, sentences=tuple(out))


def _never_said(sentence: Sentence, at: int) -> Sentence:
    """`sentence` never said: no length, at `at` ms, where it would have been (a click
    plays from there)."""
    return replace(sentence, begin=at, end=at, confidence=0.0, aligned=False)


def _moves(anchored: Sequence[Sequence[anchors.Anchor]], keep: np.ndarray,
           counts: Sequence[int], tokens: Sequence[Sequence[str]],
           heard: Sequence[listening.Heard]) -> np.ndarray:
    """Per sentence, whether the words heard move it from where the warp laid it: they
    were heard elsewhere (not `keep`), STRONG_SHARE or more of its known words (`counts`),
    in a run chance would not give (`anchors.chance_only`)."""
    lucky = anchors.chance_only(anchored, tokens, heard)
    return np.array([bool(a) and not kept and len(a) >= STRONG_SHARE * c and not chance
                     for a, kept, c, chance in zip(anchored, keep, counts, lucky, strict=True)],
                    dtype=bool)


def _probed(tokens: list[list[str]], heard: list[listening.Heard],
            stretches: list[tuple[int, int]], begins: list[int | None],
            ends: list[int | None]) -> list[list[anchors.Anchor]]:
    """The words heard in each probe, sought among the sentences the warp laid within
    PROBE_REACH_MS of it (a text said twice is then not met in its other place)."""
    out: list[list[anchors.Anchor]] = [[] for _ in tokens]
    for lo, hi in stretches:
        near = [t if b is not None and e is not None and e >= lo - PROBE_REACH_MS and
                b <= hi + PROBE_REACH_MS else []
                for t, b, e in zip(tokens, begins, ends, strict=True)]
        inside = [h for h in heard if lo <= h.begin < hi]
        for k, marks in enumerate(anchors.heard_in_order(near, inside, recognizer.known)):
            out[k].extend(marks)
    return out


def _anchored_frames(problem: _Problem, anchored: list[list[anchors.Anchor]],
                     sizes: list[int], first: np.ndarray, last: np.ndarray,
                     keep: np.ndarray, move: np.ndarray) -> None:
    """The warp's first and last frames per sentence, in place, put right by the words
    heard: sentences to `keep` stay where the warp laid them; those to `move` are laid
    where their words are heard, from the first heard to the last, their edges found by
    a warp of the sentence alone over the stretch around them where words before or
    after those were not heard (anchors.WORD_REACH_MS per word, never into a fixed
    neighbour). The runs of other sentences beside a moved one, or no longer between
    their fixed neighbours, are warped again over the stretch between those, and may
    be skipped there as anywhere."""
    step = frontend.FRAME_SHIFT * 1000
    n, count = len(problem.real), len(anchored)
    fixed = keep | move
    held = np.nonzero(fixed)[0]
    never_skip = np.full(1, np.inf, np.float32)
    lo_core = {int(k): (int(anchored[k][0].begin // step) if move[k] else int(first[k]))
               for k in held}
    hi_core = {int(k): (int((anchored[k][-1].end - 1) // step) if move[k] else int(last[k]))
               for k in held}
    for i, k in enumerate(held):
        if not move[k]:
            continue
        a = anchored[k]
        head, tail = a[0].token, sizes[k] - 1 - a[-1].token
        floor = last[held[i - 1]] + 1 if i > 0 else 0
        ceiling = lo_core[int(held[i + 1])] if i + 1 < len(held) else n
        i_a = max(floor, int((a[0].begin - (head + 1) * anchors.WORD_REACH_MS) // step))
        i_b = min(ceiling, int(-(-(a[-1].end + (tail + 1) * anchors.WORD_REACH_MS) // step)))
        f = la = -1
        if (head or tail) and i_b > i_a:
            f_, l_ = problem.solve(i_a, i_b, k, k + 1, penalty=never_skip)
            f, la = int(f_[0]), int(l_[0])
        first[k] = max(i_a, f if head and f >= 0 else lo_core[int(k)])
        last[k] = max(first[k], min(i_b - 1, la if tail and la >= 0 else hi_core[int(k)]))
    # the runs of sentences between fixed ones, each over the stretch between those
    bounds = [-1, *held.tolist(), count]
    for p, q in zip(bounds, bounds[1:], strict=False):
        if q - p <= 1:
            continue
        i_a = last[p] + 1 if p >= 0 else 0
        i_b = first[q] if q < count else n
        run = slice(p + 1, q)
        placed = first[run] >= 0
        outside = placed & ((first[run] < i_a) | (last[run] >= i_b))
        if not ((p >= 0 and move[p]) or (q < count and move[q]) or outside.any()):
            continue
        if i_b - i_a >= 1:
            first[run], last[run] = problem.solve(i_a, i_b, p + 1, q)
        else:
            first[run], last[run] = -1, -1


@dataclass(frozen=True)
class _Problem:
    """Everything the warp needs, for the whole recording or any stretch of it."""

    real: np.ndarray  # normalised MFCCs of the recording
    speech: np.ndarray  # per frame, its share of speech
    gap_cost: np.ndarray  # per frame, the filler cost
    reading: np.ndarray  # normalised MFCCs of eSpeak's reading
    spans: np.ndarray  # per sentence, its reading frames
    penalty: np.ndarray  # per sentence, the cost of skipping it
    gap_filler: np.ndarray  # per gap, the scale of its filler cost
    match_scale: float = 1.0  # this recording's match costs, in a clean recording's units
    typical: float = CLEAN_MATCH  # the median cost of this recording's matched frames

    @classmethod
    def of(cls, script: Script, mfcc: np.ndarray, reading: np.ndarray, spans: np.ndarray,
           likely: np.ndarray, beyond: np.ndarray) -> _Problem:
        """`likely`: per 10 ms frame, how sure it is speech (a reading frame laid over
        a frame less sure costs more); `beyond`: the same measured from above what noise
        alone reaches, by which a frame between sentences costs. A
        pause in strong noise is then a pause: where it came out a third speech, a
        second of it cost more between sentences than stretched inside one, and a
        meeting's long pauses were laid under its sentences."""
        real = _normalise(mfcc[:, :WARP_CEPSTRA])
        speech = _speech_share(likely, len(real))
        filled = _speech_share(beyond, len(real))
        lengths = (spans[:, 1] - spans[:, 0]).astype(np.float32)
        penalty = SKIP_PENALTY + SKIP_PER_FRAME * lengths
        penalty[list(script.uncertain)] = 0.0
        return cls(real, speech, SILENCE_COST + (FILLER_COST - SILENCE_COST) * filled,
                   _normalise(reading[:, :WARP_CEPSTRA]), spans, penalty,
                   _gap_filler(script))

    def solve(self, i_a: int, i_b: int, ka: int, kb: int, penalty: np.ndarray | None = None,
              gap_cost: np.ndarray | None = None, gap_filler: np.ndarray | None = None,
              progress: Callable[[float], None] | None = None,
              ) -> tuple[np.ndarray, np.ndarray]:
        """Warp recording frames [i_a, i_b) onto sentences [ka, kb); per sentence, its
        first and last frame (absolute), -1 when skipped. Overrides are for that stretch."""
        chain, path = self.path(i_a, i_b, ka, kb, penalty, gap_cost, gap_filler, progress)
        first, last = _spans(chain, path, kb - ka)
        return np.where(first >= 0, first + i_a, -1), np.where(last >= 0, last + i_a, -1)


    def path(self, i_a: int, i_b: int, ka: int, kb: int, penalty: np.ndarray | None = None,
             gap_cost: np.ndarray | None = None, gap_filler: np.ndarray | None = None,
             progress: Callable[[float], None] | None = None) -> tuple[Chain, np.ndarray]:
        """The chain of sentences [ka, kb) and, per frame of [i_a, i_b), its state."""
        chain = Chain.build(
            self.spans[ka:kb],
            self.penalty[ka:kb] if penalty is None else penalty,
            self.gap_filler[ka:kb + 1] if gap_filler is None else gap_filler,
        )
        path = warp(self.real[i_a:i_b],
                    self.gap_cost[i_a:i_b] if gap_cost is None else gap_cost,
                    1.0 - self.speech[i_a:i_b], self.reading, chain,
                    quiet_cost=QUIET_COST, stay_cost=STAY_COST, jump_cost=JUMP_COST,
                    match_scale=self.match_scale, progress=progress)
        return chain, path


def _aligned(script: Script, rec: features.RecordingFeatures, synth: Synthesis,
             likely: np.ndarray, beyond: np.ndarray, onset_mask: np.ndarray,
             progress: Callable[[float], None]) -> tuple[SyncMap, _Problem]:
    """Sentence times from the warp, its second looks and trims, and the edges' snaps,
    given the speech likelihood the warp trusts; and the problem, held to this
    recording's yardstick."""
    problem = _Problem.of(script, rec.mfcc, synth.features, synth.spans, likely, beyond)
    problem, first, last = _calibrated(problem, progress)
    lengths = synth.spans[:, 1] - synth.spans[:, 0]
    _look_again(problem, first, last, lengths)
    # edges snap to the pauses of the curve that hears soft starts
    return _timed(script, first, last, _pace(first, last, lengths), onset_mask, rec.onsets,
                  rec.duration), problem


def _look_again(problem: _Problem, first: np.ndarray, last: np.ndarray,
                lengths: np.ndarray, fixed: np.ndarray | None = None) -> None:
    """Second looks at sentences laid over implausibly much or little speech, then
    trims of those still stretched, in place; sentences `fixed` (by words heard) are
    neither looked at nor moved."""
    fixed = np.zeros(len(first), bool) if fixed is None else fixed
    looked = fixed.copy()
    for _ in range(LOOKS):
        pace = _pace(first, last, lengths)
        suspects = _implausible(first, pace) & ~looked
        if not suspects.any():
            break
        looked |= suspects
        _second_look(problem, suspects, first, last, pace, fixed)
    _trim_stretched(problem, first, last, _pace(first, last, lengths), fixed)


def _fit(result: SyncMap, speech: np.ndarray) -> float:
    """How well a result covers the recording: the share of sentences placed, less the
    share of sure speech left outside every sentence."""
    return result.placed / max(1, len(result.sentences)) - _outside(result, speech)


def _calibrated(problem: _Problem, progress: Callable[[float], None],
                ) -> tuple[_Problem, np.ndarray, np.ndarray]:
    """The whole warp, held to this recording's own yardstick: the problem with its match
    scale (and the sentences it must say), and per sentence its first and last frame.

    Noise, a room or a phone line raise the cost of every true match, while the costs of
    filler and of skipping stay put, so a noisy recording would look like a recording of
    nothing the transcript says. The yardstick is the median cost of matched frames,
    each against its best match nearby, read off the first warp. When that warp left
    much of the transcript unsaid, a forced warp that must say every sentence (bar the
    uncertain ones) is the evidence: a sentence it matches about as well as the
    recording's typical frame was said, and may not be skipped. Where the yardstick
    shows the recording matching worse than a clean one, or evidence overrules a skip,
    the warp runs again."""
    count = len(problem.spans)
    chain, path = problem.path(0, len(problem.real), 0, count, progress=progress)
    first, last = _spans(chain, path, count)
    typical = _typical_match(problem, chain, path)
    said = np.zeros(count, bool)
    if (first >= 0).sum() < CALIBRATION_PLACED * count:
        penalty = np.where(problem.penalty > 0, np.inf, 0.0).astype(np.float32)
        f_chain, f_path = problem.path(0, len(problem.real), 0, count, penalty=penalty,
                                       gap_cost=problem.gap_cost * CALIBRATION_FILLER)
        if (first >= 0).sum() < CALIBRATION_PLACED * count / 2:  # too few to trust
            typical = _typical_match(problem, f_chain, f_path)
        unplaced = (first < 0) & (problem.penalty > 0)
        cost = _sentence_match(problem, f_chain, f_path, unplaced)
        said = unplaced & (cost <= SAID_MARGIN * typical)
    scale = float(np.clip(CLEAN_MATCH / typical, MIN_SCALE, 1.0))
    problem = replace(problem, typical=typical)
    if scale >= RESCALE and not said.any():
        return problem, first, last
    problem = replace(problem, match_scale=scale,
                      penalty=np.where(said, np.inf, problem.penalty).astype(np.float32))
    return (problem, *problem.solve(0, len(problem.real), 0, count))


def _frame_costs(problem: _Problem, at: np.ndarray, reading_frames: np.ndarray) -> np.ndarray:
    """Per recording frame `at[j]`, matched to reading frame `reading_frames[j]`: its cost
    against its best match within CALIBRATION_REACH reading frames."""
    return match_costs(np.ascontiguousarray(problem.real, np.float32),
                       np.ascontiguousarray(problem.reading, np.float32),
                       np.asarray(at, np.int64), np.asarray(reading_frames, np.int64),
                       CALIBRATION_REACH)


def _typical_match(problem: _Problem, chain: Chain, path: np.ndarray) -> float:
    """The median cost of the frames `path` matches to a reading frame (a sample)."""
    frames = chain.frame[path]
    on = np.nonzero(frames >= 0)[0]
    if len(on) < 25:
        return CLEAN_MATCH
    on = on[np.linspace(0, len(on) - 1, min(len(on), CALIBRATION_FRAMES)).astype(int)]
    return max(float(np.median(_frame_costs(problem, on, frames[on]))), 1e-6)


def _sentence_match(problem: _Problem, chain: Chain, path: np.ndarray,
                    which: np.ndarray, offset: int = 0) -> np.ndarray:
    """Per sentence, the median cost of the frames `path` matches to it, for the sentences
    `which` marks (inf elsewhere, and for none); up to SENTENCE_FRAMES frames of each.
    `path` runs over the recording from frame `offset`."""
    frames = chain.frame[path]
    on = np.nonzero(frames >= 0)[0]
    # the path runs forward, so each sentence's frames are one run of `on`
    sent = np.searchsorted(chain.gap_of, path[on], side="right") - 1
    bounds = np.searchsorted(sent, np.arange(len(which) + 1))
    out = np.full(len(which), np.inf, np.float32)
    for k in np.nonzero(which)[0]:
        mine = on[bounds[k]:bounds[k + 1]]
        if len(mine):
            mine = mine[np.linspace(0, len(mine) - 1, min(len(mine), SENTENCE_FRAMES))
                        .astype(int)]
            out[k] = np.median(_frame_costs(problem, mine + offset, frames[mine]))
    return out


def _span_match(problem: _Problem, k: int, f0: int, f1: int) -> float:
    """How well recording frames [f0, f1] match sentence k: the median cost of the frames
    a warp of that stretch onto the sentence alone matches to it (as `_sentence_match`),
    in the units of the recording's typical cost."""
    chain, path = problem.path(f0, f1 + 1, k, k + 1, penalty=np.full(1, np.inf, np.float32))
    return float(_sentence_match(problem, chain, path, np.ones(1, bool), offset=f0)[0])


def _warnings(result: SyncMap, speech: np.ndarray) -> tuple[str, ...]:
    """What a reader should be told: the text may not fit this recording. Either much of
    the transcript was never placed, or much of the recording's sure speech (the mask,
    10 ms frames) lies outside every sentence (the text holds a small part of what is
    said, or other words)."""
    placed = result.placed
    total = len(result.sentences)
    outside = _outside(result, speech)
    if placed < total * (1.0 - UNSAID_WARNING) or outside > UNSAID_WARNING:
        return (f"the transcript may not belong to this recording, or the recording is very "
                f"noisy: {placed} of {total} sentences placed, {outside:.0%} of the speech "
                f"outside them",)
    return ()


def _unsaid_warning(result: SyncMap) -> tuple[str, ...]:
    """The warning a reader gets when much of the transcript was never placed (speech
    outside every sentence has a warning of its own that sizes it)."""
    placed = result.placed
    total = len(result.sentences)
    if placed < total * (1.0 - UNSAID_WARNING):
        return (f"much of the transcript was not found in the recording ({placed} of {total} "
                "sentences placed): it may not belong to this recording, or the recording is "
                "very noisy",)
    return ()


def _outside(result: SyncMap, speech: np.ndarray) -> float:
    """The share of the sure speech (10 ms frames) that lies outside every sentence."""
    said = int(speech.sum())
    return int(_speech_outside(result, speech).sum()) / said if said else 0.0


def _speech_outside(result: SyncMap, speech: np.ndarray) -> np.ndarray:
    """The sure speech (10 ms frames) that lies outside every placed sentence."""
    hop_ms = features.ENERGY_HOP * 1000
    outside = speech.astype(bool).copy()
    for s in result.sentences:
        if s.aligned:
            outside[int(s.begin / hop_ms): int(s.end / hop_ms) + 1] = False
    return outside


def _untranscribed(result: SyncMap, speech: np.ndarray) -> tuple[tuple[int, int], ...]:
    """Stretches (ms) of sure speech outside every sentence: runs of it less than
    UNTRANSCRIBED_JOIN_MS apart taken together, those of UNTRANSCRIBED_SHORTEST_MS or
    more kept."""
    hop_ms = int(round(features.ENERGY_HOP * 1000))
    outside = _speech_outside(result, speech)
    edges = np.diff(np.concatenate([[0], outside.astype(np.int8), [0]]))
    starts, ends = np.nonzero(edges == 1)[0] * hop_ms, np.nonzero(edges == -1)[0] * hop_ms
    out: list[tuple[int, int]] = []
    for a, b in zip(starts.tolist(), ends.tolist(), strict=True):
        if out and a - out[-1][1] < UNTRANSCRIBED_JOIN_MS:
            out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return tuple((a, b) for a, b in out if b - a >= UNTRANSCRIBED_SHORTEST_MS)


def _untranscribed_warning(stretches: tuple[tuple[int, int], ...]) -> tuple[str, ...]:
    """"4 min 10 s of speech is not in the transcript (14 stretches, the longest
    0:02:24-0:02:53)", when there is UNTRANSCRIBED_WARNING_MS of it or more."""
    total = sum(b - a for a, b in stretches)
    if total < UNTRANSCRIBED_WARNING_MS:
        return ()
    a, b = max(stretches, key=lambda ab: ab[1] - ab[0])
    many = f"{len(stretches)} stretches, the longest" if len(stretches) > 1 else "at"
    return (f"{_duration(total)} of speech is not in the transcript ({many} "
            f"{_clock(a)}\u2013{_clock(b)})",)


def _duration(ms: int) -> str:
    minutes, seconds = divmod(int(round(ms / 1000)), 60)
    return f"{minutes} min {seconds} s" if minutes else f"{seconds} s"


def _clock(ms: int) -> str:
    hours, rest = divmod(int(ms // 1000), 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}"


def _second_look(problem: _Problem, suspects: np.ndarray, first: np.ndarray,
                 last: np.ndarray, pace: np.ndarray, fixed: np.ndarray) -> None:
    """Warp again, in place of `first` and `last`, around sentences laid over far too much
    or too little speech. A squeezed one may never have been said: it may be skipped for
    a quarter of its penalty (unless a stretched neighbour holds its speech). A stretched
    one may sit beside speech the transcript left out: the gaps over its span take speech
    more cheaply. Only the stretch between the aligned sentences
    around them is warped again."""
    for ka, kb in _neighbourhoods(suspects, first, fixed):
        i_a = last[ka - 1] + 1 if ka > 0 else 0
        i_b = first[kb] if kb < len(first) else len(problem.real)
        if i_b <= i_a:
            continue
        squeezed = suspects[ka:kb] & (pace[ka:kb] < 1.0)
        stretched = suspects[ka:kb] & (pace[ka:kb] > 1.0)
        if stretched.any():
            # a stretched neighbour most likely holds the squeezed one's speech: the
            # warp shares it out again, and a skip still has to be earned
            squeezed[:] = False
        for j in np.nonzero(squeezed)[0]:
            # a quick speaker's sentence is short, not missing: one whose stretch matches
            # its reading as well as this recording's typical frame was said there
            k = ka + j
            if _isolated(first, last, k) or \
                    _span_match(problem, k, first[k], last[k]) <= SAID_MARGIN * problem.typical:
                squeezed[j] = False
        gap_cost = problem.gap_cost[i_a:i_b].copy()
        for k in np.nonzero(stretched)[0] + ka:
            lo, hi = first[k] - i_a, last[k] + 1 - i_a
            gap_cost[lo:hi] = np.minimum(gap_cost[lo:hi], RELAXED_FILLER_COST)
        first[ka:kb], last[ka:kb] = problem.solve(
            i_a, i_b, ka, kb,
            penalty=problem.penalty[ka:kb] * np.where(squeezed, SQUEEZED_SKIP, 1.0),
            gap_cost=gap_cost)


def _isolated(first: np.ndarray, last: np.ndarray, k: int) -> bool:
    """Whether the warp laid sentence k on speech of its own: at least ISLAND_GAP frames
    of pause (frames it spent between sentences) on both sides, apart from its placed
    neighbours."""
    placed = np.nonzero(first >= 0)[0]
    before, after = placed[placed < k], placed[placed > k]
    lo = last[before[-1]] if len(before) else -ISLAND_GAP  # the recording's edges are
    hi = first[after[0]] if len(after) else last[k] + 1 + ISLAND_GAP  # pause enough
    return bool(first[k] - lo > ISLAND_GAP and hi - last[k] > ISLAND_GAP)


def _trim_stretched(problem: _Problem, first: np.ndarray, last: np.ndarray,
                    pace: np.ndarray, fixed: np.ndarray) -> None:
    """A sentence still laid over far more speech than it holds keeps only the part that
    matches it best; the rest of its span is speech the transcript left out."""
    cheap = np.full(2, TRIM_FILLER_COST / FILLER_COST, np.float32)
    never_skip = np.array([np.inf], np.float32)
    for k in np.nonzero((first >= 0) & (pace > IMPLAUSIBLE_PACE) & ~fixed)[0]:
        f, la = problem.solve(first[k], last[k] + 1, k, k + 1, penalty=never_skip,
                              gap_filler=cheap)
        if f[0] >= 0:
            first[k], last[k] = f[0], la[0]


def _gap_filler(script: Script) -> np.ndarray:
    """Per gap (before each sentence, and after the last), the scale of its filler cost:
    cheaper where the recording may well hold sound the transcript does not spell out."""
    scale = np.ones(len(script.sentences) + 1, np.float32)
    scale[0] = scale[-1] = EDGE_FILLER
    for block in script.set_aside:
        if block.kind == "direction":  # [laughter], [MUSIC], (applause) ...
            scale[block.after + 1] = EDGE_FILLER
    return scale


def _implausible(first: np.ndarray, pace: np.ndarray) -> np.ndarray:
    """Sentences said much slower or faster than anyone speaks, relative to eSpeak."""
    return (first >= 0) & ((pace > IMPLAUSIBLE_PACE) | (pace < 1.0 / IMPLAUSIBLE_PACE))


def _neighbourhoods(suspects: np.ndarray, first: np.ndarray, fixed: np.ndarray,
                    ) -> list[tuple[int, int]]:
    """[ka, kb) sentence ranges around the suspects, NEIGHBOURS either side but never
    over a fixed sentence, widened to have an aligned sentence just outside (an anchor)
    and merged where they overlap."""
    out: list[tuple[int, int]] = []
    count = len(first)
    held = np.nonzero(fixed)[0]
    for k in np.nonzero(suspects)[0]:
        before, after = held[held < k], held[held > k]
        ka = max(0, k - NEIGHBOURS, before[-1] + 1 if len(before) else 0)
        kb = min(count, k + NEIGHBOURS + 1, after[0] if len(after) else count)
        while ka > 0 and first[ka - 1] < 0:
            ka -= 1
        while kb < count and first[kb] < 0:
            kb += 1
        if out and ka <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], kb))
        else:
            out.append((ka, kb))
    return out


def _normalise(mfcc: np.ndarray) -> np.ndarray:
    """Mean and variance normalisation per coefficient, over a sliding window, so that
    each voice's colour cancels out where it speaks. One coefficient at a time, so four
    hours need a few MB of scratch, not hundreds."""
    n = len(mfcc)
    win = min(int(NORM_WINDOW), n)
    out = np.empty(mfcc.shape, np.float32)
    if n == 0:
        return out
    lo = np.clip(np.arange(n) - win // 2, 0, n - win)
    for j in range(mfcc.shape[1]):
        x = mfcc[:, j].astype(np.float64)
        c1 = np.concatenate([[0.0], np.cumsum(x)])
        c2 = np.concatenate([[0.0], np.cumsum(x * x)])
        mean = (c1[lo + win] - c1[lo]) / win
        var = (c2[lo + win] - c2[lo]) / win - mean * mean
        out[:, j] = (x - mean) / np.sqrt(np.maximum(var, 1e-6))
    return out


def _speech_share(likely: np.ndarray, n: int) -> np.ndarray:
    """Per warp frame (40 ms), the mean speech likelihood of its 10 ms frames."""
    frames = np.zeros(n * _STEP, np.float32)
    m = likely[: n * _STEP]
    frames[: len(m)] = m
    return frames.reshape(n, _STEP).mean(axis=1)


def _spans(chain: Chain, path: np.ndarray, k_count: int) -> tuple[np.ndarray, np.ndarray]:
    """Per sentence, the first and last recording frame the path spent in its reading
    (-1 for a sentence the path skipped)."""
    is_speech = chain.frame[path] >= 0
    sent = np.searchsorted(chain.gap_of, path, side="right") - 1
    frames = np.nonzero(is_speech)[0]
    first = np.full(k_count, -1)
    last = np.full(k_count, -1)
    if len(frames):
        ks = sent[frames]
        # frames are in time order, so the first/last occurrence of each k is its span
        first_idx = np.unique(ks, return_index=True)
        first[first_idx[0]] = frames[first_idx[1]]
        rev = np.unique(ks[::-1], return_index=True)
        last[rev[0]] = frames[len(frames) - 1 - rev[1]]
    return first, last


def _pace(first: np.ndarray, last: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Per sentence, how much longer it took in the recording than in the reading."""
    took = np.where(first >= 0, last - first + 1, 0).astype(np.float64)
    return took / np.maximum(lengths, 1.0)


def _confidence(pace: float) -> float:
    """How far to trust a sentence's times, from its pace: speakers keep close to
    eSpeak's (within a third either way), so a sentence the warp stretched or squeezed
    much further was most likely laid over speech that is not its own."""
    if pace <= 0:
        return 0.0
    return float(np.clip(1.0 - abs(np.log2(pace)) / PACE_OCTAVES, 0.0, 1.0))


def _timed(script: Script, first: np.ndarray, last: np.ndarray, pace: np.ndarray,
           mask: np.ndarray, loudness: np.ndarray, duration: int) -> SyncMap:
    """Sentence times, confidence and `aligned` from each sentence's first and last frame."""
    starts, ends = boundaries.pauses(mask)
    lead = boundaries.lead_for(loudness)
    step_ms = frontend.FRAME_SHIFT * 1000
    out = []
    cursor = 0  # the start of the last aligned sentence
    said_until = 0  # the end of the last aligned sentence
    for k, s in enumerate(script.sentences):
        # a sentence left less than a quarter of the time it takes (confidence 0) after
        # its second looks has no speech of its own here: it was never said
        if first[k] < 0 or pace[k] < 2.0 ** -PACE_OCTAVES:
            out.append(_never_said(s, said_until))
            continue
        begin = boundaries.snap_start(int(first[k] * step_ms), starts, ends, lead)
        begin = boundaries.take_filler(begin, said_until, starts, ends, lead)
        end = boundaries.snap_end(int((last[k] + 1) * step_ms), starts, ends)
        begin = max(begin, cursor)
        end = min(max(end, begin + 1), duration)
        out.append(replace(s, begin=begin, end=end, confidence=_confidence(pace[k]),
                           aligned=True))
        cursor, said_until = begin, end
    # nothing runs past the next sentence's start, so starts stay in order
    nxt = duration
    for k in range(len(out) - 1, -1, -1):
        s = out[k]
        if s.aligned:
            if s.end > nxt:
                out[k] = replace(s, end=max(s.begin + 1, nxt))
            nxt = s.begin
        elif s.begin > nxt:
            out[k] = replace(s, begin=nxt, end=nxt)
    return SyncMap(tuple(out), script.set_aside, duration=duration).with_ids()
