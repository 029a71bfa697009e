"""Child processes (ffmpeg, eSpeak's readers, the listening child) that end with their parent.

    start(args, **popen_kwargs) -> subprocess.Popen     (as subprocess.Popen)
    run(args, **run_kwargs) -> subprocess.CompletedProcess   (as subprocess.run)

A parent killed with SIGKILL runs no cleanup, so its children would run on: an ffmpeg
decoding a four-hour recording for no one, eSpeak writing gigabytes. On Linux
each child asks the kernel for SIGKILL when its parent goes (`prctl(PR_SET_PDEATHSIG)`),
set between fork and exec by `subprocess`'s `preexec_fn`. Elsewhere nothing is done.

The signal comes when the *thread* that started the child ends, so children are started
from threads that outlive them (the caller's own, or a pool's, which live until the
work is done).

A `preexec_fn` has a price: around that fork CPython runs the `os.register_at_fork`
hooks (logging registers one), and a Ctrl-C that arrives meanwhile is handled inside a
hook, where its KeyboardInterrupt is printed as "Exception ignored" and dropped: the
command went on to the end, or reported its child's death as a failure. So `start`
holds SIGINT back while the child starts (only the main thread runs Python's handlers),
and raises it again once the fork is over, after killing the child just started, which
no one wants now. Start children with `start` and `run`, never with `preexec_fn` alone.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import pickle
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Sequence
from importlib import import_module
from types import FrameType
from typing import Any

__all__ = ["ChildJob", "dies_with_parent", "run", "serve", "start"]

_PR_SET_PDEATHSIG = 1
# the folder this package was imported from, on a ChildJob's path
_PACKAGE_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _load_prctl() -> Callable[..., int] | None:
    if not sys.platform.startswith("linux"):
        return None
    # the program's own symbols hold libc's; `find_library` runs ldconfig, a child
    # process at every start, so it is asked last
    for name in (None, "libc.so.6", ctypes.util.find_library):
        try:
            return ctypes.CDLL(name("c") if callable(name) else name, use_errno=True).prctl
        except (OSError, AttributeError, TypeError):
            continue
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


def start(args: Sequence[str], **kwargs: Any) -> subprocess.Popen:
    """`subprocess.Popen(args, **kwargs)` for a child that dies with this process; a
    Ctrl-C that comes while it starts stops the child and is raised here, as at any
    other moment (KeyboardInterrupt)."""
    caught: list[int] = []
    previous = _hold_interrupts(caught)
    proc = None
    try:
        proc = subprocess.Popen(args, preexec_fn=dies_with_parent(), **kwargs)
    finally:
        if previous is not None:
            signal.signal(signal.SIGINT, previous)
        if caught:
            if proc is not None:
                _discard(proc)
            # handled now by the handler the program has (Python's: KeyboardInterrupt)
            signal.raise_signal(signal.SIGINT)
    return proc


def run(args: Sequence[str], *, input: bytes | str | None = None,
        capture_output: bool = False, timeout: float | None = None,
        **kwargs: Any) -> subprocess.CompletedProcess:
    """`subprocess.run(args, ...)` for a child started with `start`: waited for, killed
    on a timeout (TimeoutExpired) or an interrupt."""
    if capture_output:
        kwargs["stdout"] = kwargs["stderr"] = subprocess.PIPE
    if input is not None:
        kwargs["stdin"] = subprocess.PIPE
    with start(args, **kwargs) as proc:
        try:
            out, err = proc.communicate(input, timeout=timeout)
        except BaseException:  # a timeout, Ctrl-C: the child's work is for no one
            proc.kill()
            raise
    return subprocess.CompletedProcess(args, proc.returncode, out, err)


_Handler = Callable[[int, FrameType | None], Any] | int | None


def _hold_interrupts(caught: list[int]) -> _Handler:
    """Note SIGINT in `caught` instead of handling it; the handler to put back, or None
    when nothing was changed (not the main thread, whose handlers alone Python runs, or
    a handler set outside Python, which could not be put back)."""
    if threading.current_thread() is not threading.main_thread():
        return None
    previous = signal.getsignal(signal.SIGINT)
    if previous is None or previous == signal.SIG_IGN:
        return None

    def note(signum: int, frame: FrameType | None) -> None:
        caught.append(signum)

    try:
        signal.signal(signal.SIGINT, note)
    except ValueError:  # the main thread of another interpreter
        return None
    return previous


def _discard(proc: subprocess.Popen) -> None:
    """Kill a child just started and close its pipes."""
    proc.kill()
    proc.wait()
    for stream in (proc.stdin, proc.stdout, proc.stderr):
        if stream is not None:
            stream.close()


class ChildJob:
    """`function(*args)` run in a child process of its own, started at once; `result()`
    waits for its value. `function` is named by module and name ("alignment.x", "f"),
    and its arguments and value travel pickled over the child's stdin and stdout.

    A plain subprocess rather than multiprocessing: "spawn" would re-import the caller's
    main module, which breaks scripts without a main guard. The child has one BLAS
    thread: it shares the cores with the parent's work. It imports this package from
    where the parent did, not from its working directory (`-P`), which Python would put
    first: run from a folder holding another `alignment` (another checkout of this
    project, a user's own package), the child ran that one's code.
    """

    def __init__(self, module: str, function: str, *args: object) -> None:
        # the parent's folder goes first only where the child's path lacks it (a
        # checkout): ahead of the standard library, site-packages could shadow it
        code = (f"import sys; root = {_PACKAGE_ROOT!r}\n"
                "if root not in sys.path: sys.path.insert(0, root)\n"
                f"from alignment.children import serve; serve({module!r}, {function!r})")
        env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1")
        payload = pickle.dumps(args, protocol=pickle.HIGHEST_PROTOCOL)
        self._proc = start([sys.executable, "-P", "-c", code], stdin=subprocess.PIPE,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        # The arguments go down the pipe from a thread: more than the pipe holds (64 KB)
        # would keep the caller waiting until the child's interpreter has started and
        # reads them, 0.1-0.15 s of work the caller has to do meanwhile (the probes'
        # samples and mask, 1.3 MB on the 67-minute case, came after the reading with
        # both cores otherwise idle). A child that dies first tells why in result().
        self._sender = threading.Thread(target=self._send, args=(payload,), daemon=True,
                                        name=f"args of {module}.{function}")
        self._sender.start()

    def _send(self, payload: bytes) -> None:
        try:
            self._proc.stdin.write(payload)
            self._proc.stdin.close()
        except (OSError, ValueError):  # the child died or was cancelled: result() says
            pass

    def result(self) -> object:
        """The function's value; RuntimeError with the child's last words if it failed."""
        try:
            status, payload = pickle.load(self._proc.stdout)
        except (EOFError, pickle.UnpicklingError):
            err = self._proc.stderr.read().decode("utf-8", "replace").strip()
            status, payload = "error", (err.splitlines() or ["the process died"])[-1]
        except BaseException:
            # Ctrl-C: the child, if the signal did not reach it too, would be waited
            # for to the end of its work, which is now for no one
            self.cancel()
            raise
        finally:
            self._proc.wait()
            self._sender.join()
        if status != "ok":
            raise RuntimeError(payload)
        return payload

    def cancel(self) -> None:
        """Stop the child if it still runs, and close its pipes."""
        if self._proc.poll() is None:
            self._proc.kill()
            self._proc.wait()
        self._sender.join()  # its write fails at once on the dead child's pipe
        for stream in (self._proc.stdin, self._proc.stdout, self._proc.stderr):
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
