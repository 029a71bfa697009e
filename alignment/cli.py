"""The library's own command: `python -m alignment align AUDIO TRANSCRIPT [-o OUT] ...`.

    python -m alignment align talk.mp3 talk.txt -o talk.vtt --language eng

`transcript-player align` is this same command (the web app's CLI adds it to its group).
Bad input ends with exit status 2 and one line on stderr naming the problem and the fix
(`InputError`), never a traceback; a traceback means a bug. Nothing here imports Flask.

The helpers that other commands share (`read_transcript_file`, `check_audio`,
`language_checked`, `write_atomic`, `ProgressBar`, `InputError`) are public, and so is
`Group`, whose commands end on Ctrl-C with status 130 (`INTERRUPTED`), as a shell reports a
command stopped by it, and one line.
"""

from __future__ import annotations

import atexit
import gc
import math
import os
import secrets
import sys
import threading
import time
from pathlib import Path
from typing import TextIO

import click

import alignment
from alignment import documents, formats
from alignment.audio import check_file
from alignment.errors import AlignmentError, AudioError, TranscriptError

__all__ = [
    "INTERRUPTED", "Group", "InputError", "ProgressBar", "align", "check_audio",
    "check_output", "choose_format", "language_checked", "main", "read_transcript_file",
    "summary", "warn", "write_atomic",
]


class InputError(click.ClickException):
    """Bad input from the user: one line "Error: ..." on stderr and exit status 2.

    click's own UsageError would print the usage and a hint too; for a wrong file or
    value the one line saying what to do is the useful part.
    """

    exit_code = 2

    def __init__(self, message: str) -> None:
        # One line whatever the message: a wrapped engine message must not grow a second.
        super().__init__(" ".join(message.split()))


#: the exit status of a command stopped by Ctrl-C: 128 + SIGINT, as shells report it
INTERRUPTED = 130


class Group(click.Group):
    """A click group whose commands, stopped by Ctrl-C (KeyboardInterrupt), say
    "interrupted" in one line and exit with INTERRUPTED, where click would say "Aborted!"
    and exit with 1, the status of any failure. A command that has more to say about
    what it leaves behind says it and raises `click.exceptions.Exit(INTERRUPTED)`."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            # the blank line closes the terminal's "^C"
            click.echo("\ninterrupted", err=True)
            raise click.exceptions.Exit(INTERRUPTED) from None


# ---------------------------------------------------------------- the progress bar

class ProgressBar:
    """A `progress(stage, fraction)` callback that draws one `click.progressbar` per stage.

    On a terminal each stage is a bar redrawn in place, with its percent and, once a
    second has passed, click's estimate of the time left; a finished stage stays as a
    line at 100%:

        decoding   [########################]  100%
        aligning   [#########               ]   38%  00:01:05

    Anywhere else (a log file, CI, a pipe) redrawing would leave a mess of carriage
    returns, so click writes the label only, one line per stage (`decoding ...`).
    Use it as the `progress` argument of `alignment.align`, then `close()` it (or use it
    as a context manager). Safe to call from a worker thread; a closed or broken stream
    never fails the alignment it only reports on.
    """

    #: steps of each stage's bar: a fraction is shown to the tenth of a percent
    STEPS = 1000

    def __init__(self, stream: TextIO | None = None, *, width: int = 24) -> None:
        self.stream = stream if stream is not None else sys.stderr
        isatty = getattr(self.stream, "isatty", None)
        self.tty = bool(isatty and isatty())
        self.width = width
        self._lock = threading.Lock()
        self._stage: str | None = None
        self._bar: click._termui_impl.ProgressBar | None = None  # type: ignore[name-defined]

    def __call__(self, stage: str, fraction: float) -> None:
        """Report that `stage` is `fraction` (0 to 1; anything else is clamped) done."""
        fraction = _clamp(fraction)
        with self._lock:
            try:
                if stage != self._stage:
                    self._finish()
                    self._stage = stage
                    label = f"{stage:<10}" if self.tty else f"{stage} ..."
                    self._bar = click.progressbar(
                        length=self.STEPS, label=label, file=self.stream, width=self.width,
                        bar_template="%(label)s [%(bar)s]  %(info)s", fill_char="#",
                        empty_char=" ", show_eta=True, show_percent=True)
                    self._bar.__enter__()
                step = int(fraction * self.STEPS) - self._bar.pos
                if step > 0:
                    self._bar.update(step)
            except (OSError, ValueError):
                pass

    def _finish(self) -> None:
        """Show the current stage as done (the next one has begun, or the job ended)."""
        if self._bar is None:
            return
        bar, self._bar, self._stage = self._bar, None, None
        if bar.pos < self.STEPS:
            bar.update(self.STEPS - bar.pos)
        bar.render_finish()

    def close(self) -> None:
        """End the last stage's line, so the next output starts clean."""
        with self._lock:
            try:
                self._finish()
            except (OSError, ValueError):
                pass

    def __enter__(self) -> ProgressBar:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _clamp(fraction: object) -> float:
    try:
        value = float(fraction)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return 0.0
    return 0.0 if math.isnan(value) else min(1.0, max(0.0, value))


# ---------------------------------------------------------------- checks (tested alone)

def choose_format(out: Path | None, fmt: str | None) -> str:
    """The output format: --format if given, else OUT's suffix, else json."""
    if fmt is not None:
        try:
            return formats.get(fmt.lower()).name
        except ValueError as err:
            raise InputError(f"--format: {err}") from None
    if out is None:
        return "json"
    try:
        return formats.format_for_path(out)
    except ValueError as err:
        raise InputError(f"{err}, or give --format") from None


def read_transcript_file(path: Path) -> str:
    """The transcript file's text, as `alignment.documents.load` reads its kind (text,
    Markdown, a web page, Word, PDF, captions, JSON); "-" is stdin, read as text.

    Raises InputError when the file is missing, unreadable, of a kind that cannot be read,
    or empty.
    """
    if str(path) == "-":
        with click.open_file("-", "rb") as stdin:
            data = stdin.read()
        name = "the transcript on stdin"
    else:
        name = f"the transcript {click.format_filename(path)}"
        try:
            data = Path(path).read_bytes()
        except FileNotFoundError:
            raise InputError(f"{name} does not exist; check the path") from None
        except IsADirectoryError:
            raise InputError(f"{name} is a folder; give the transcript's text file") from None
        except PermissionError:
            raise InputError(f"cannot read {name}: permission denied") from None
        except OSError as err:
            raise InputError(f"cannot read {name}: {err.strerror}") from None
    # Word, PDF, web pages, captions, JSON: the reader for the file's kind gives its text.
    try:
        text = documents.load(data, "stdin.txt" if str(path) == "-" else Path(path).name)
    except TranscriptError as err:
        raise InputError(f"{name}: {err}") from None
    if not text.strip():
        raise InputError(f"{name} is empty; give the text that is spoken in the recording")
    return text


def check_audio(path: Path) -> None:
    """Refuse, before any long work, an audio path that cannot possibly be decoded."""
    try:
        check_file(path)
    except AudioError as err:
        raise InputError(str(err)) from None


def language_checked(_ctx: click.Context, _param: click.Parameter,
                     value: str | None) -> str | None:
    """The callback of a `--language` option: the option's value, once
    `alignment.check_language` (the one check) takes it; `InputError` naming the option
    otherwise, so a command refuses it before anything is read or stored. Not given
    (None) passes."""
    if value is not None:
        try:
            alignment.check_language(value)
        except AlignmentError as err:
            raise InputError(f"--language: {err}") from None
    return value


def check_output(out: Path) -> None:
    """Refuse an OUT that cannot be written, before the alignment rather than after it."""
    if out.is_dir():
        raise InputError(f"{click.format_filename(out)} is a folder; give a file name for OUT")
    parent = out.parent
    if not parent.is_dir():
        raise InputError(
            f"the folder {click.format_filename(parent)} does not exist; create it or "
            "choose another OUT"
        )
    if not os.access(parent, os.W_OK):
        raise InputError(f"cannot write in {click.format_filename(parent)}: permission denied")


def write_atomic(path: Path, text: str) -> None:
    """Write `text` as UTF-8 to `path`: readers see the old file or the new, never half.

    The text goes to a temporary file beside `path` (same file system, so the rename is
    atomic), is synced to disk, then renamed over `path`. An existing file keeps its
    permissions; a symlink is followed, so its target is the file replaced.
    """
    path = Path(path)
    if path.is_symlink():
        path = path.resolve()
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    # 0o666 minus the umask, as a plain open() would give; mkstemp would give 0o600.
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o7777)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _sync_dir(path.parent)


def _sync_dir(folder: Path) -> None:
    # Without this the rename itself may not survive a power cut; not every OS allows it.
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def summary(syncmap: alignment.SyncMap, started: float) -> str:
    """"aligned N of M sentences in X s", since the monotonic time `started`."""
    return (f"aligned {syncmap.placed} of {len(syncmap.sentences)} sentences in "
            f"{time.monotonic() - started:.1f} s")


def warn(syncmap: alignment.SyncMap) -> None:
    """Each of the alignment's warnings on a line of its own on stderr, even with -q:
    a result that may not fit its recording should not pass unnoticed."""
    for warning in syncmap.warnings:
        click.echo(f"warning: {warning}", err=True)


# ---------------------------------------------------------------- the commands

@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="transcript-player", prog_name="python -m alignment")
def main() -> None:
    """Force a transcript onto its recording, sentence by sentence."""


@main.command()
# readable=False: an unreadable file gets this program's one-line message (check_audio,
# read_transcript_file), not click's usage text
@click.argument("audio", type=click.Path(path_type=Path, readable=False))
@click.argument("transcript", type=click.Path(path_type=Path, allow_dash=True, readable=False))
@click.option(
    "-o", "--output", "out", type=click.Path(path_type=Path), default=None, metavar="OUT",
    help="Write here (atomically) instead of to stdout.",
)
@click.option(
    "-f", "--format", "fmt", default=None, metavar="|".join(formats.FORMATS),
    help="Output format, by default from OUT's suffix, else json: "
         + "; ".join(f"{f.name} ({f.suffix}): {f.description}"
                     for f in formats.FORMATS.values()) + ".",
)
@click.option(
    "-l", "--language", default="eng", show_default=True, metavar="CODE",
    help="Language of the recording, as an ISO 639-3 code (eng, fra, deu, rus...).",
)
@click.option("-q", "--quiet", is_flag=True, help="No progress bar and no summary on stderr.")
def align(
    audio: Path, transcript: Path, out: Path | None, fmt: str | None, language: str,
    quiet: bool,
) -> None:
    """Align TRANSCRIPT to the recording AUDIO and write the sync map.

    AUDIO is anything ffmpeg reads. TRANSCRIPT is the text as published (plain text with
    speaker labels and headers, WebVTT or SRT), UTF-8; "-" reads it from stdin.
    """
    # Everything that can be checked cheaply is checked before the alignment, which
    # can take minutes: finding a bad OUT only afterwards would waste them.
    fmt = choose_format(out, fmt)
    if out is not None:
        check_output(out)
    text = read_transcript_file(transcript)
    check_audio(audio)

    # At the process's end, the interpreter's last collections would walk every object
    # the alignment made (0.05 s of the 67-minute case's 10 s); frozen, they are left to
    # the end of the process, and everything else closes as before.
    atexit.register(gc.freeze)
    started = time.monotonic()
    bar = None if quiet else ProgressBar()
    try:
        syncmap = alignment.align(str(audio), text, language=language, progress=bar)
    except AlignmentError as err:
        raise InputError(str(err)) from None
    finally:
        if bar is not None:
            bar.close()

    try:
        document = formats.write(syncmap, fmt)
    except ValueError as err:
        # a result the format cannot hold (overlapping sentences in a TextGrid, words
        # that are not their sentence's): said in one line, and OUT is left as it was
        raise click.ClickException(f"cannot write the alignment as {fmt}: {err}") from None
    if out is None:
        # As bytes, so stdout is UTF-8 like the files whatever the locale says.
        click.echo(document.encode("utf-8"), nl=False)
    else:
        try:
            write_atomic(out, document)
        except OSError as err:
            raise click.ClickException(
                f"cannot write {click.format_filename(out)}: {err.strerror or err}"
            ) from None

    if not quiet:
        line = summary(syncmap, started)
        if out is not None:
            line += f"; wrote {click.format_filename(out)} ({fmt})"
        click.echo(line, err=True)
    warn(syncmap)
