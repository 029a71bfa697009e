"""eSpeak-ng reads batches of sentences into WAV files, and says where each word begins.

Run as a script in a bare interpreter (`alignment.aeneas_backend` starts it): eSpeak-ng
initialises once per process, and one process reads all the batches given to it, one
after the other, each in a fork of itself made with eSpeak-ng just initialised. It does
what aeneas's `cew` extension does (the same library, voice and flags, so the same
samples), and keeps what `cew` throws away: eSpeak's word events, the time each word of
the text starts.

    stdin:  pickle of (voice_code, [(wav_path, [text, ...]), ...])
    writes: per batch, wav_path, and wav_path + ".intervals", a pickle of one entry per
            text: (begin_s, end_s, [(character offset of the word in the text, its start
            in s)]); then wav_path and a newline on stdout, once both files are complete

Only the standard library: the process must start in a moment and stay small.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import pickle
import signal
import sys
import traceback
import wave

_SYNCHRONOUS = 2  # AUDIO_OUTPUT_SYNCHRONOUS
_CHARS_UTF8 = 1
_ENDPAUSE = 0x1000  # as cew: the pause at the end of each text is part of its reading
_POS_CHARACTER = 1
_WORD = 1  # espeakEVENT_WORD
_EE_OK = 0
_PR_SET_PDEATHSIG = 1


class _Event(ctypes.Structure):
    _fields_ = [
        ("type", ctypes.c_int),
        ("unique_identifier", ctypes.c_uint),
        ("text_position", ctypes.c_int),
        ("length", ctypes.c_int),
        ("audio_position", ctypes.c_int),
        ("sample", ctypes.c_int),
        ("user_data", ctypes.c_void_p),
        ("id", ctypes.c_char * 8),  # a union of int, char* and char[8]
    ]


class _Voice(ctypes.Structure):
    _fields_ = [
        ("name", ctypes.c_char_p),
        ("languages", ctypes.c_char_p),
        ("identifier", ctypes.c_char_p),
        ("gender", ctypes.c_ubyte),
        ("age", ctypes.c_ubyte),
        ("variant", ctypes.c_ubyte),
        ("xx1", ctypes.c_ubyte),
        ("score", ctypes.c_int),
        ("spare", ctypes.c_void_p),
    ]


_CALLBACK = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int,
                             ctypes.POINTER(_Event))


def _library() -> ctypes.CDLL:
    path = ctypes.util.find_library("espeak-ng") or "libespeak-ng.so.1"
    return ctypes.CDLL(path)


def _voiced(voice_code: str) -> tuple[ctypes.CDLL, int]:
    """eSpeak-ng initialised with the voice for `voice_code`, and its sample rate."""
    lib = _library()
    rate = lib.espeak_Initialize(_SYNCHRONOUS, 0, None, 0)
    if rate <= 0:
        raise RuntimeError("eSpeak-ng could not be initialised")
    voice = _Voice(languages=voice_code.encode("utf-8"))
    if lib.espeak_SetVoiceByProperties(ctypes.byref(voice)) != _EE_OK:
        raise RuntimeError(f"eSpeak-ng has no voice for {voice_code!r}")
    return lib, rate


def _read(lib: ctypes.CDLL, rate: int, wav_path: str, texts: list[str]) -> list[tuple]:
    """Synthesise `texts` one after the other into `wav_path` with the initialised
    eSpeak-ng `lib`; per text its interval (s) and its words' (character offset, start
    in s)."""
    chunks: list[bytes] = []
    words: list[tuple[int, int]] = []  # (character position, 1-based; ms into this text)

    def collect(wav, count, events):  # noqa: ANN001, ANN202 -- a C callback
        i = 0
        while events[i].type != 0:
            if events[i].type == _WORD:
                words.append((events[i].text_position, events[i].audio_position))
            i += 1
        if count > 0:
            chunks.append(ctypes.string_at(wav, count * 2))
        return 0

    callback = _CALLBACK(collect)
    lib.espeak_SetSynthCallback(callback)
    out = []
    samples = 0
    with wave.open(wav_path, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        for text in texts:
            data = text.encode("utf-8")
            words.clear()
            lib.espeak_Synth(data, len(data) + 1, 0, _POS_CHARACTER, 0,
                             _CHARS_UTF8 | _ENDPAUSE, None, None)
            if lib.espeak_Synchronize() != _EE_OK:
                raise RuntimeError("eSpeak-ng failed while reading")
            pcm = b"".join(chunks)
            chunks.clear()
            w.writeframes(pcm)
            begin = samples / rate
            samples += len(pcm) // 2
            out.append((begin, samples / rate,
                        [(max(0, pos - 1), begin + ms / 1000.0) for pos, ms in words]))
    return out


def main() -> None:
    voice_code, batches = pickle.load(sys.stdin.buffer)
    # one interpreter and one eSpeak start for all its batches, each read in a fork (a
    # few ms): an interpreter and eSpeak's start cost 70 ms of a core, 0.6 s of the
    # 67-minute case's nine batches when each batch had a process of its own
    lib, rate = _voiced(voice_code)
    for wav_path, texts in batches:
        _read_apart(lib, rate, wav_path, texts)
        sys.stdout.write(wav_path + "\n")
        sys.stdout.flush()
    lib.espeak_Terminate()


def _read_apart(lib: ctypes.CDLL, rate: int, wav_path: str, texts: list[str]) -> None:
    """Read a batch, and write its intervals beside it, in a fork of this process, where
    eSpeak-ng stands as just initialised. Its reading of a text depends on what it read
    before in the process (the first text of a batch of the 67-minute case came out
    11 ms longer after another batch), so each batch is read as in a process of its own,
    the same samples whichever batches went before."""
    parent = os.getpid()
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            _dies_with_parent(parent)
            intervals = _read(lib, rate, wav_path, texts)
            with open(wav_path + ".intervals", "wb") as f:
                pickle.dump(intervals, f)
            code = 0
        except BaseException:
            traceback.print_exc()
        finally:
            sys.stderr.flush()
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"eSpeak-ng failed to read {os.path.basename(wav_path)}")


def _dies_with_parent(parent: int) -> None:
    """Ask Linux to kill this fork when `parent`, the process that forked it, dies, as
    that one dies with its own parent (`alignment.children`): no batch read for no one."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # it died before the request: nothing would signal
        os._exit(1)


if __name__ == "__main__":
    main()
