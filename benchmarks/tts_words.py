"""Speech with its words' times, from the synthesisers themselves: flite and festival.

    say_words(["Hello there.", "It's 18 o'clock."], ("flite", "slt"), workdir)
    -> [(samples, [("Hello", 0.164, 0.523), ("there", 0.523, 0.817)]), ...]

A synthesiser knows when it says each word: its utterance holds a Token relation (the
text's whitespace-separated tokens, punctuation set aside), each token's daughters are the
words it is read as ("18" is "eighteen"), and each word's syllables hold its segments
(phones), whose end times are the timeline the waveform is built from. A token's time is
that of its first word's first segment to its last word's last segment; a token read as
no word (a dash standing alone) has none and is left out.

- flite: its command line prints words or segments but not which segments belong to
  which word, so this drives libflite itself (ctypes): ``flite_synth_text``, then the
  items' features (``R:SylStructure.daughter1.daughter1.R:Segment.p.end`` is a word's
  start).
- festival: one ``festival --batch`` run per voice reads a Scheme script that synthesises
  each text, saves its wave and prints its tokens' times.

Never eSpeak: aeneas synthesises with it (as does the project), so it would recognise its
own voice. Needs the Debian packages flite (libflite) and festival with its voices.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import os
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from alignment.synthetic import Voice, read_wav

Token = tuple[str, float, float]  # (token as the synthesiser read it, begin, end) seconds
Spoken = tuple[np.ndarray, list[Token]]  # 16 kHz float samples, the tokens' times in them

FLITE_LIBDIRS = ("/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib",
                 "/usr/local/lib")


# ---- flite -------------------------------------------------------------------


def _find_lib(stem: str) -> str:
    """A flite shared library by its stem ("flite", "flite_cmu_us_slt")."""
    for d in FLITE_LIBDIRS:
        for name in (f"lib{stem}.so.1", f"lib{stem}.so"):
            if os.path.exists(os.path.join(d, name)):
                return os.path.join(d, name)
    found = ctypes.util.find_library(stem)
    if not found:
        raise RuntimeError(f"lib{stem} not found (apt-get install flite)")
    return found


@functools.cache
def _libflite() -> ctypes.CDLL:
    """libflite with the signatures used here, initialised once."""
    lib = ctypes.CDLL(_find_lib("flite"))
    vp, cp = ctypes.c_void_p, ctypes.c_char_p
    for name, res, args in (
            ("flite_synth_text", vp, [cp, vp]), ("utt_relation", vp, [vp, cp]),
            ("relation_head", vp, [vp]), ("item_next", vp, [vp]),
            ("item_daughter", vp, [vp]), ("ffeature_float", ctypes.c_float, [vp, cp]),
            ("ffeature_string", cp, [vp, cp]), ("utt_wave", vp, [vp]),
            ("cst_wave_save_riff", ctypes.c_int, [vp, cp]), ("delete_utterance", None, [vp])):
        fn = getattr(lib, name)
        fn.restype, fn.argtypes = res, args
    lib.flite_init()
    return lib


@functools.cache
def _flite_voice(name: str) -> int:
    """A flite voice ("slt", "kal16", "awb", "rms") registered once."""
    lib = ctypes.CDLL(_find_lib(f"flite_cmu_us_{name}"))
    register = getattr(lib, f"register_cmu_us_{name}")
    register.restype, register.argtypes = ctypes.c_void_p, [ctypes.c_char_p]
    _libflite()
    voice = register(None)
    if not voice:
        raise RuntimeError(f"flite voice {name!r} did not register")
    return voice


def _flite_tokens(lib: ctypes.CDLL, utt: int) -> list[Token]:
    """The tokens of a synthesised flite utterance with their times."""
    out: list[Token] = []
    tok = lib.relation_head(lib.utt_relation(utt, b"Token"))
    while tok:
        begin = end = None
        word = lib.item_daughter(tok)
        while word:
            # a word with no segment has no time (a missing item's feature reads as "0")
            seg = lib.ffeature_string(word, b"R:SylStructure.daughter1.daughter1.name")
            if seg not in (b"0", None):
                b = lib.ffeature_float(word, b"R:SylStructure.daughter1.daughter1.R:Segment.p.end")
                e = lib.ffeature_float(word, b"R:SylStructure.daughtern.daughtern.R:Segment.end")
                begin = b if begin is None else begin
                end = e
            word = lib.item_next(word)
        if begin is not None and end is not None:
            name = lib.ffeature_string(tok, b"name").decode("utf-8", "replace")
            out.append((name, round(float(begin), 4), round(float(end), 4)))
        tok = lib.item_next(tok)
    return out


def flite_say(texts: Sequence[str], voice: str, workdir: str) -> list[Spoken]:
    """Each text said by a flite voice: its samples (16 kHz) and its tokens' times."""
    lib = _libflite()
    vox = _flite_voice(voice)
    out: list[Spoken] = []
    with tempfile.TemporaryDirectory(dir=workdir) as tmp:
        wav = os.path.join(tmp, "s.wav")
        for text in texts:
            utt = lib.flite_synth_text(text.encode("utf-8"), vox)
            if not utt:
                raise RuntimeError(f"flite could not say {text!r}")
            try:
                tokens = _flite_tokens(lib, utt)
                lib.cst_wave_save_riff(lib.utt_wave(utt), wav.encode())
            finally:
                lib.delete_utterance(utt)
            out.append((read_wav(wav), tokens))
    return out


# ---- festival ----------------------------------------------------------------

# Prints "TOK <tab> n <tab> name <tab> begin <tab> end" for each token of utterance n that
# is read as words with segments; word_times is defined once per script.
_FESTIVAL_PRELUDE = """
(define (word_times tok)
  (let ((b nil) (e nil))
    (mapcar
     (lambda (w)
       (if (item.relation.daughters w 'SylStructure)
           (begin
             (if (not b)
                 (set! b (item.feat w "R:SylStructure.daughter1.daughter1.segment_start")))
             (set! e (item.feat w "R:SylStructure.daughtern.daughtern.end")))))
     (item.daughters tok))
    (list b e)))
(define (print_tokens n utt)
  (let ((tok (utt.relation.first utt 'Token)))
    (while tok
      (let ((be (word_times tok)))
        (if (car be)
            (format t "TOK\\t%d\\t%s\\t%s\\t%s\\n" n (item.name tok) (car be) (cadr be))))
      (set! tok (item.next tok)))))
"""


def _scheme_string(text: str) -> str:
    """A Scheme string literal (festival reads Latin-1)."""
    safe = text.encode("latin-1", "replace").decode("latin-1")
    return '"' + safe.replace("\\", "\\\\").replace('"', '\\"') + '"'


def festival_script(texts: Sequence[str], voice: str, wavs: Sequence[str]) -> str:
    """The Scheme that says each text with `voice` into its wav and prints its tokens."""
    lines = [f"({voice})", _FESTIVAL_PRELUDE]
    for n, (text, wav) in enumerate(zip(texts, wavs, strict=True)):
        lines.append(f"(set! utt (utt.synth (Utterance Text {_scheme_string(text)})))")
        lines.append(f"(utt.save.wave utt {_scheme_string(wav)} 'riff)")
        lines.append(f"(print_tokens {n} utt)")
    return "\n".join(lines) + "\n"


def parse_festival_tokens(output: str, n: int) -> list[list[Token]]:
    """The TOK lines festival printed, as the tokens of each of the `n` texts."""
    out: list[list[Token]] = [[] for _ in range(n)]
    for line in output.splitlines():
        parts = line.split("\t")
        if len(parts) == 5 and parts[0] == "TOK":
            out[int(parts[1])].append((parts[2], round(float(parts[3]), 4),
                                       round(float(parts[4]), 4)))
    return out


def festival_say(texts: Sequence[str], voice: str, workdir: str) -> list[Spoken]:
    """Each text said by a festival voice (``voice_kal_diphone``...): its samples (16 kHz)
    and its tokens' times; one festival process for them all."""
    with tempfile.TemporaryDirectory(dir=workdir) as tmp:
        wavs = [os.path.join(tmp, f"s{n}.wav") for n in range(len(texts))]
        script = Path(tmp) / "say.scm"
        script.write_text(festival_script(texts, voice, wavs), encoding="latin-1")
        r = subprocess.run(["festival", "--batch", str(script)], capture_output=True,
                           text=True, encoding="latin-1", check=False)
        if r.returncode != 0 or not all(os.path.exists(w) for w in wavs):
            raise RuntimeError(f"festival ({voice}) failed: {r.stderr.strip()[-500:]}")
        tokens = parse_festival_tokens(r.stdout, len(texts))
        return [(read_wav(w), t) for w, t in zip(wavs, tokens, strict=True)]


# ---- either ------------------------------------------------------------------


def say_words(texts: Sequence[str], voice: Voice, workdir: str) -> list[Spoken]:
    """Each text said by `voice` (("flite", "slt"), ("festival", "voice_kal_diphone")),
    untrimmed: its 16 kHz samples and its tokens' times in them."""
    engine, name = voice
    if engine == "flite":
        return flite_say(texts, name, workdir)
    if engine == "festival":
        return festival_say(texts, name, workdir)
    raise ValueError(f"no word times from {engine!r} (use flite or festival)")
