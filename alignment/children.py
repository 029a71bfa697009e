"""Child processes (ffmpeg, the synthesis child, eSpeak batches) that end with their parent.

A parent killed with SIGKILL runs no cleanup, so its children would run on: an ffmpeg
decoding a four-hour recording for no one, a synthesis child writing gigabytes. On Linux
each child asks the kernel for SIGKILL when its parent goes (`prctl(PR_SET_PDEATHSIG)`),
set between fork and exec by `subprocess`'s `preexec_fn`. Elsewhere nothing is done.

The signal comes when the *thread* that started the child ends, so children are started
from threads that outlive them (the caller's own, or a pool's, which live until the
work is done).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import pickle
import signal
import subprocess
import sys
from collections.abc import Callable
from importlib import import_module

__all__ = ["ChildJob", "dies_with_parent", "serve"]

_PR_SET_PDEATHSIG = 1


def _load_prctl() -> Callable[..., int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        return libc.prctl
    except (OSError, AttributeError):
        return None


# looked up once here: between fork and exec the child should do as little as it can
_prctl = _load_prctl()


def dies_with_parent() -> Callable[[], None] | None:
    """A `preexec_fn` for `subprocess` that kills the child when this process dies
    (None where the platform cannot; pass it as is)."""
    if _prctl is None:
        return None
    prctl = _prctl
    parent = os.getpid()

    def preexec() -> None:
        prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        # the parent may have died between fork and prctl: then nothing would signal
        if os.getppid() != parent:
            os._exit(1)

    return preexec


class ChildJob:
    """`function(*args)` run in a child process of its own, started at once; `result()`
    waits for its value. `function` is named by module and name ("alignment.x", "f"),
    and its arguments and value travel pickled over the child's stdin and stdout.

    A plain subprocess rather than multiprocessing: "spawn" would re-import the caller's
    main module, which breaks scripts without a main guard. The child has one BLAS
    thread: it shares the cores with the parent's work.
    """

    def __init__(self, module: str, function: str, *args: object) -> None:
        code = f"from alignment.children import serve; serve({module!r}, {function!r})"
        env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1")
        self._proc = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE,
                                      stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                                      preexec_fn=dies_with_parent())
        pickle.dump(args, self._proc.stdin, protocol=pickle.HIGHEST_PROTOCOL)
        self._proc.stdin.close()

    def result(self) -> object:
        """The function's value; RuntimeError with the child's last words if it failed."""
        try:
            status, payload = pickle.load(self._proc.stdout)
        except (EOFError, pickle.UnpicklingError):
            err = self._proc.stderr.read().decode("utf-8", "replace").strip()
            status, payload = "error", (err.splitlines() or ["the process died"])[-1]
        finally:
            self._proc.wait()
        if status != "ok":
            raise RuntimeError(payload)
        return payload

    def cancel(self) -> None:
        """Stop the child if it still runs, and close its pipes."""
        if self._proc.poll() is None:
            self._proc.kill()
            self._proc.wait()
        for stream in (self._proc.stdout, self._proc.stderr):
            stream.close()


def serve(module: str, function: str) -> None:
    """A child's entry (see ChildJob): read the arguments from stdin, write
    ("ok", value) or ("error", "Type: message") to stdout."""
    args = pickle.load(sys.stdin.buffer)
    try:
        result: tuple[str, object] = ("ok", getattr(import_module(module), function)(*args))
    except Exception as exc:  # report any failure to the parent as text
        result = ("error", f"{type(exc).__name__}: {exc}")
    pickle.dump(result, sys.stdout.buffer, protocol=pickle.HIGHEST_PROTOCOL)
    sys.stdout.buffer.flush()
