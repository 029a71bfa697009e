"""eSpeak-ng reads a batch of sentences into a WAV file, and says where each word begins.

Run as a script in a bare interpreter (`alignment.aeneas_backend` starts it), one process
per batch: eSpeak-ng initialises once per process. It does what aeneas's `cew`
extension does (the same library, voice and flags, so the same samples), and keeps what
`cew` throws away: eSpeak's word events, the time each word of the text starts.

    stdin:  pickle of (wav_path, voice_code, [text, ...])
    writes: wav_path, and wav_path + ".intervals", a pickle of one entry per text:
            (begin_s, end_s, [(character offset of the word in the text, its start in s)])

Only the standard library: the process must start in a moment and stay small.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import pickle
import sys
import wave

_SYNCHRONOUS = 2  # AUDIO_OUTPUT_SYNCHRONOUS
_CHARS_UTF8 = 1
_ENDPAUSE = 0x1000  # as cew: the pause at the end of each text is part of its reading
_POS_CHARACTER = 1
_WORD = 1  # espeakEVENT_WORD
_EE_OK = 0


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


def read(wav_path: str, voice_code: str, texts: list[str]) -> list[tuple]:
    """Synthesise `texts` one after the other into `wav_path`; per text its interval (s)
    and its words' (character offset, start in s)."""
    lib = _library()
    rate = lib.espeak_Initialize(_SYNCHRONOUS, 0, None, 0)
    if rate <= 0:
        raise RuntimeError("eSpeak-ng could not be initialised")
    voice = _Voice(languages=voice_code.encode("utf-8"))
    if lib.espeak_SetVoiceByProperties(ctypes.byref(voice)) != _EE_OK:
        raise RuntimeError(f"eSpeak-ng has no voice for {voice_code!r}")
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
    lib.espeak_Terminate()
    return out


def main() -> None:
    wav_path, voice_code, texts = pickle.load(sys.stdin.buffer)
    intervals = read(wav_path, voice_code, texts)
    with open(wav_path + ".intervals", "wb") as f:
        pickle.dump(intervals, f)


if __name__ == "__main__":
    main()
