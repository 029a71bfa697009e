"""`python -m alignment align` (also `transcript-player align`): bad input gives one line
and status 2; output and progress."""

from __future__ import annotations

import io
import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner

import alignment
from alignment import cli, formats
from alignment.cli import ProgressBar, choose_format, main, write_atomic
from alignment.errors import AudioError, LanguageError, TranscriptError
from alignment.syncmap import Sentence, SyncMap

#: the stages the engine reports, in its order (checked against the real engine below)
STAGES = ("reading", "decoding", "aligning", "refining")

RESULT = SyncMap(
    sentences=(
        Sentence(0, "Hello world.", "Host", 100, 900, 0.9, True, 0),
        Sentence(1, "This is a test.", "Host", 1000, 2200, 0.8, True, 0),
        Sentence(2, "[applause]", None, 2200, 2200, 0.0, False, 1),
    ),
    duration=2500,
).with_ids()


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    """A stand-in audio file (not decoded by the fake aligner) and a transcript."""
    audio = tmp_path / "talk.wav"
    audio.write_bytes(b"RIFF....WAVEfmt ")
    transcript = tmp_path / "talk.txt"
    transcript.write_text("Hello world. This is a test.\n", encoding="utf-8")
    return audio, transcript


@pytest.fixture
def fake_align(monkeypatch: pytest.MonkeyPatch) -> list[dict]:
    """Replace the aligner with one that reports progress and returns RESULT."""
    calls: list[dict] = []

    def align(audio, transcript, language="eng", progress=None):
        calls.append({"audio": audio, "transcript": transcript, "language": language})
        if progress is not None:
            for stage in STAGES:
                progress(stage, 0.0)
                progress(stage, 1.0)
        return RESULT

    monkeypatch.setattr(alignment, "align", align)
    return calls


@pytest.fixture
def failing_align(monkeypatch: pytest.MonkeyPatch):
    """Make the aligner raise the given error."""

    def install(err: Exception) -> None:
        def align(*args, **kwargs):
            raise err

        monkeypatch.setattr(alignment, "align", align)

    return install


def run(*args: str, input: bytes | None = None):
    return CliRunner().invoke(main, ["align", *args], input=input)


def assert_one_line_error(result, *fragments: str) -> None:
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    err = result.stderr
    assert err.endswith("\n") and err.count("\n") == 1, err
    assert err.startswith("Error: ")
    assert "Traceback" not in err
    for fragment in fragments:
        assert fragment in err
    assert result.stdout == ""


# ---------------------------------------------------------------- bad input: status 2, one line

def test_missing_audio(tmp_path: Path, files) -> None:
    _, transcript = files
    result = run(str(tmp_path / "nope.wav"), str(transcript))
    assert_one_line_error(result, "nope.wav", "does not exist", "check the path")


def test_audio_is_a_folder(tmp_path: Path, files) -> None:
    _, transcript = files
    assert_one_line_error(run(str(tmp_path), str(transcript)), "is a folder")


def test_empty_audio(tmp_path: Path, files) -> None:
    _, transcript = files
    empty = tmp_path / "empty.mp3"
    empty.write_bytes(b"")
    assert_one_line_error(run(str(empty), str(transcript)), "empty.mp3", "is empty")


def test_unreadable_audio(fake_align) -> None:  # fake_align: for the warm-up run as root
    """Root reads files whatever their mode, so as root the command runs in a child
    that has dropped its privileges to nobody's."""
    folder = Path(tempfile.mkdtemp(prefix="tp-unreadable-"))
    try:
        folder.chmod(0o755)  # nobody must reach the files to find one unreadable
        audio = folder / "talk.wav"
        audio.write_bytes(b"RIFF....WAVEfmt ")
        audio.chmod(0)
        transcript = folder / "talk.txt"
        transcript.write_text("Hello world.\n", encoding="utf-8")
        transcript.chmod(0o644)
        code, err = run_unprivileged(str(audio), str(transcript))
    finally:
        shutil.rmtree(folder)
    assert code == 2, err
    assert err == f"Error: cannot read the audio file {audio}: permission denied\n"


def run_unprivileged(*args: str) -> tuple[int, str]:
    """`align *args` as a user who is not root: as is, or in a forked child as nobody."""
    if os.geteuid() != 0:
        result = run(*args)
        return result.exit_code, result.stderr
    run(*args)  # once here first, so the child needs no module it cannot read
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: drop to nobody for good, run the command, report, leave
        try:
            os.setgroups([])
            os.setgid(65534)
            os.setuid(65534)
            result = run(*args)
            os.write(write, json.dumps([result.exit_code, result.stderr]).encode())
        finally:
            os._exit(0)
    os.close(write)
    with os.fdopen(read, "rb") as pipe:
        data = pipe.read()
    os.waitpid(pid, 0)
    code, err = json.loads(data)
    return code, err


def test_missing_transcript(tmp_path: Path, files) -> None:
    audio, _ = files
    result = run(str(audio), str(tmp_path / "missing.txt"))
    assert_one_line_error(result, "missing.txt", "does not exist")


@pytest.mark.parametrize("content", [b"", b"  \n\n\t \n", "\ufeff\n".encode()])
def test_empty_transcript(files, content: bytes) -> None:
    audio, transcript = files
    transcript.write_bytes(content)
    assert_one_line_error(run(str(audio), str(transcript)), "is empty", "give the text")


def test_transcript_not_utf8(files) -> None:
    audio, transcript = files
    transcript.write_bytes("Café au lait.".encode("latin-1"))
    assert_one_line_error(
        run(str(audio), str(transcript)), "not UTF-8 text", "0xe9", "save it as UTF-8"
    )


def test_transcript_binary(files) -> None:
    audio, transcript = files
    transcript.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert_one_line_error(run(str(audio), str(transcript)), "binary file, not text")


def test_unknown_format(files, fake_align) -> None:
    audio, transcript = files
    result = run(str(audio), str(transcript), "--format", "xml")
    assert_one_line_error(result, "unknown format 'xml'", "json, vtt, srt, podcast, aeneas")
    assert fake_align == []  # refused before the (long) alignment


def test_unknown_output_suffix(tmp_path: Path, files, fake_align) -> None:
    audio, transcript = files
    result = run(str(audio), str(transcript), "-o", str(tmp_path / "out.txt"))
    assert_one_line_error(result, "out.txt", ".vtt", "--format")
    assert fake_align == []


def test_output_folder_missing(tmp_path: Path, files, fake_align) -> None:
    audio, transcript = files
    result = run(str(audio), str(transcript), "-o", str(tmp_path / "no" / "out.json"))
    assert_one_line_error(result, "does not exist", "create it")
    assert fake_align == []


def test_output_is_a_folder(tmp_path: Path, files, fake_align) -> None:
    audio, transcript = files
    folder = tmp_path / "out.json"
    folder.mkdir()
    assert_one_line_error(run(str(audio), str(transcript), "-o", str(folder)), "is a folder")


def test_unknown_language_from_the_aligner(files, failing_align) -> None:
    audio, transcript = files
    failing_align(LanguageError(
        "unknown language 'xx'; use an ISO 639-3 code such as eng, fra or deu"
    ))
    result = run(str(audio), str(transcript), "--language", "xx")
    assert_one_line_error(result, "unknown language 'xx'", "ISO 639-3")


@pytest.mark.parametrize(
    "err",
    [
        AudioError("cannot decode talk.wav: not an audio file;\ngive a file ffmpeg can play"),
        TranscriptError("the transcript has no sentences to align"),
    ],
)
def test_aligner_errors_become_one_line(files, failing_align, err) -> None:
    audio, transcript = files
    failing_align(err)
    result = run(str(audio), str(transcript))
    assert_one_line_error(result, str(err).split(";")[0].split("\n")[0])


def test_failed_alignment_leaves_an_existing_output_alone(files, failing_align) -> None:
    audio, transcript = files
    out = audio.with_name("talk.vtt")
    out.write_text("WEBVTT\n\nprevious\n", encoding="utf-8")
    failing_align(AudioError("cannot decode talk.wav"))
    assert run(str(audio), str(transcript), "-o", str(out)).exit_code == 2
    assert out.read_text(encoding="utf-8") == "WEBVTT\n\nprevious\n"


# ---------------------------------------------------------------- output

def test_json_to_stdout_by_default(files, fake_align) -> None:
    audio, transcript = files
    result = run(str(audio), str(transcript))
    assert result.exit_code == 0, result.output
    assert result.stdout == formats.write(RESULT, "json")
    assert fake_align == [{
        "audio": str(audio), "transcript": "Hello world. This is a test.\n", "language": "eng",
    }]
    assert "aligned 2 of 3 sentences" in result.stderr


@pytest.mark.parametrize(
    ("name", "fmt"),
    [("out.json", "json"), ("out.vtt", "vtt"), ("out.SRT", "srt"),
     ("out.podcast.json", "podcast"), ("out.aeneas.json", "aeneas"),
     ("out.TextGrid", "textgrid"), ("out.textgrid", "textgrid")],
)
def test_format_follows_the_output_suffix(files, fake_align, name: str, fmt: str) -> None:
    audio, transcript = files
    out = audio.with_name(name)
    result = run(str(audio), str(transcript), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert out.read_text(encoding="utf-8") == formats.write(RESULT, fmt)
    assert f"wrote {out} ({fmt})" in result.stderr


def test_format_option_wins_over_the_suffix(files, fake_align) -> None:
    audio, transcript = files
    out = audio.with_name("out.json")
    result = run(str(audio), str(transcript), "-o", str(out), "--format", "SRT", "-q")
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8") == formats.write(RESULT, "srt")
    assert result.stderr == ""


def test_textgrid_by_name_to_stdout(files, fake_align) -> None:
    audio, transcript = files
    result = run(str(audio), str(transcript), "--format", "TextGrid", "-q")
    assert result.exit_code == 0, result.output
    assert result.stdout == formats.write(RESULT, "textgrid")
    assert result.stdout.startswith('File type = "ooTextFile"\nObject class = "TextGrid"\n')
    assert 'name = "words"' in result.stdout and 'text = "Hello world." ' in result.stdout


def test_a_result_the_format_cannot_hold_is_one_line(files, monkeypatch) -> None:
    audio, transcript = files
    overlapping = SyncMap(sentences=(Sentence(0, "One.", None, 0, 900, id="s-a"),
                                     Sentence(1, "Two.", None, 800, 2000, id="s-b")))
    monkeypatch.setattr(alignment, "align", lambda *args, **kwargs: overlapping)
    out = audio.with_name("out.TextGrid")
    result = run(str(audio), str(transcript), "-o", str(out), "-q")
    assert result.exit_code == 1 and not out.exists()
    assert result.stderr == ("Error: cannot write the alignment as textgrid: sentence s-b "
                             "begins (800 ms) before sentence s-a ends (900 ms): the intervals "
                             "of a TextGrid tier cannot overlap\n")
    assert run(str(audio), str(transcript), "-o", str(out.with_suffix(".vtt"))).exit_code == 0


def test_the_help_names_every_format() -> None:
    result = CliRunner().invoke(main, ["align", "--help"])
    assert "textgrid (.TextGrid): Praat TextGrid" in " ".join(result.output.split())


def test_format_option_to_stdout(files, fake_align) -> None:
    audio, transcript = files
    result = run(str(audio), str(transcript), "-f", "vtt", "-l", "fra")
    assert result.stdout == formats.write(RESULT, "vtt")
    assert fake_align[0]["language"] == "fra"


def test_transcript_from_stdin_and_in_utf16(files, fake_align) -> None:
    audio, transcript = files
    assert run(str(audio), "-", input="Ça va.\n".encode()).exit_code == 0
    transcript.write_bytes("Ça va ?\n".encode("utf-16"))
    assert run(str(audio), str(transcript)).exit_code == 0
    assert [c["transcript"] for c in fake_align] == ["Ça va.\n", "Ça va ?\n"]


def test_progress_on_a_pipe_is_one_line_per_stage(files, fake_align) -> None:
    audio, transcript = files
    result = run(str(audio), str(transcript))
    lines = result.stderr.splitlines()
    assert lines[:4] == [f"{stage} ..." for stage in STAGES]
    assert "\r" not in result.stderr


@pytest.mark.parametrize(
    ("out", "fmt", "expected"),
    [
        (None, None, "json"),
        (None, "vtt", "vtt"),
        (Path("a.srt"), None, "srt"),
        (Path("a.srt"), "podcast", "podcast"),
        (Path("x/a.podcast.json"), None, "podcast"),
        (Path("a.aeneas.json"), None, "aeneas"),
        (Path("a.JSON"), None, "json"),
    ],
)
def test_choose_format(out, fmt, expected) -> None:
    assert choose_format(out, fmt) == expected


@pytest.mark.parametrize(("out", "fmt"), [(None, "xml"), (Path("a.txt"), None)])
def test_choose_format_refuses(out, fmt) -> None:
    with pytest.raises(cli.InputError) as info:
        choose_format(out, fmt)
    assert info.value.exit_code == 2


# ---------------------------------------------------------------- atomic write

def test_write_atomic_creates_and_replaces(tmp_path: Path) -> None:
    out = tmp_path / "map.json"
    write_atomic(out, "first ü\n")
    assert out.read_bytes() == "first ü\n".encode()
    out.chmod(0o640)
    write_atomic(out, "second\r\n")
    assert out.read_bytes() == b"second\r\n"  # no newline translation
    assert stat.S_IMODE(out.stat().st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["map.json"]


def test_write_atomic_never_leaves_a_half_file(tmp_path: Path, monkeypatch) -> None:
    out = tmp_path / "map.json"
    out.write_text("old\n", encoding="utf-8")

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError):
        write_atomic(out, "new\n" * 1000)
    assert out.read_text(encoding="utf-8") == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["map.json"]


def test_write_atomic_failing_midway_keeps_the_old_file(tmp_path: Path, monkeypatch) -> None:
    out = tmp_path / "map.json"
    out.write_text("old\n", encoding="utf-8")

    def broken_fsync(fd):
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    with pytest.raises(OSError):
        write_atomic(out, "new\n")
    assert out.read_text(encoding="utf-8") == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["map.json"]


def test_write_atomic_follows_a_symlink(tmp_path: Path) -> None:
    target = tmp_path / "real.vtt"
    target.write_text("old", encoding="utf-8")
    link = tmp_path / "link.vtt"
    link.symlink_to(target)
    write_atomic(link, "new")
    assert link.is_symlink()
    assert target.read_text(encoding="utf-8") == "new"


# ---------------------------------------------------------------- the progress bar

class Terminal(io.StringIO):
    """A stream that says it is a terminal, so click draws the bar."""

    def isatty(self) -> bool:
        return True

    def getvalue(self) -> str:
        """What was written, less the codes that hide and show the cursor."""
        return super().getvalue().replace("\x1b[?25l", "").replace("\x1b[?25h", "")


def test_progress_bar_on_a_terminal_redraws_each_stage_in_place() -> None:
    stream = Terminal()
    bar = ProgressBar(stream, width=10)
    bar("decoding", 0.0)
    bar("decoding", 0.5)
    out = stream.getvalue()
    assert "decoding   [          ]    0%" in out
    assert out.rstrip().endswith("decoding   [#####     ]   50%")
    assert "\n" not in out  # redrawn in place ("\r"), not line after line
    assert out.count("\r") == 2
    bar("aligning", 0.25)
    out = stream.getvalue()
    # the stage that ended is left at 100% on its own line; the next bar is drawn below
    assert "decoding   [##########]  100%" in out
    assert out.count("\n") == 1
    assert out.rstrip().endswith("aligning   [##        ]   25%")
    bar.close()
    assert stream.getvalue().rstrip().endswith("aligning   [##########]  100%")
    assert stream.getvalue().endswith("\n")  # the summary starts on a line of its own


def test_progress_bar_draws_only_what_changed() -> None:
    stream = Terminal()
    bar = ProgressBar(stream)
    bar("aligning", 0.0)
    for _ in range(100):
        bar("aligning", 0.0004)  # below a step: nothing new to draw
    assert stream.getvalue().count("\r") == 1
    bar("aligning", 1.0)
    assert stream.getvalue().count("\r") == 2
    assert stream.getvalue().rstrip().endswith("100%")


def test_progress_bar_shows_the_time_left_once_a_second_has_passed(monkeypatch) -> None:
    from click import _termui_impl

    now = [1000.0]
    monkeypatch.setattr(_termui_impl.time, "time", lambda: now[0])
    stream = Terminal()
    bar = ProgressBar(stream, width=10)
    bar("aligning", 0.0)
    now[0] += 10.0
    bar("aligning", 0.25)  # 10 s for a quarter: 30 s left
    assert stream.getvalue().rstrip().endswith("aligning   [##        ]   25%  00:00:30")


def test_progress_bar_elsewhere_writes_one_line_per_stage() -> None:
    stream = io.StringIO()
    bar = ProgressBar(stream)  # a StringIO is not a terminal
    assert bar.tty is False
    for stage in ("decoding", "decoding", "aligning", "aligning", "refining"):
        bar(stage, 0.5)
    bar.close()
    assert stream.getvalue() == "decoding ...\naligning ...\nrefining ...\n"


@pytest.mark.parametrize(
    ("value", "shown"),
    [(-1, "  0%"), (2, "100%"), (float("nan"), "  0%"), (None, "  0%"), ("x", "  0%"),
     ("0.5", " 50%")],
)
def test_progress_bar_clamps_odd_fractions(value, shown: str) -> None:
    stream = Terminal()
    ProgressBar(stream)("aligning", value)
    assert stream.getvalue().rstrip().endswith(f"]  {shown}")


def test_progress_bar_survives_a_closed_stream() -> None:
    stream = Terminal()
    bar = ProgressBar(stream)
    bar("decoding", 0.1)
    stream.close()
    bar("decoding", 0.9)  # a closed stderr must not fail the alignment
    bar("aligning", 0.5)
    bar.close()


# ---------------------------------------------------------------- with the real engine

def test_unknown_language_with_real_audio(tmp_path: Path) -> None:
    wav = tmp_path / "x.wav"
    subprocess.run(
        ["ffmpeg", "-loglevel", "error", "-f", "lavfi", "-i", "sine=frequency=440:duration=1",
         str(wav)],
        check=True,
    )
    transcript = tmp_path / "t.txt"
    transcript.write_text("Hello world.\n", encoding="utf-8")
    result = run(str(wav), str(transcript), "--language", "xx-not-a-language")
    assert_one_line_error(result, "xx-not-a-language")


def test_end_to_end_with_espeak(tmp_path: Path) -> None:
    text = "Hello world. This is a test."
    wav = tmp_path / "out.wav"
    subprocess.run(["espeak-ng", "-w", str(wav), text], check=True)
    transcript = tmp_path / "t.txt"
    transcript.write_text(text + "\n", encoding="utf-8")
    out = tmp_path / "out.json"
    result = run(str(wav), str(transcript), "-o", str(out))
    assert result.exit_code == 0, result.output
    # the real engine's stages, in the order the fake aligner above reports them
    assert result.stderr.splitlines()[:4] == [f"{stage} ..." for stage in STAGES]
    doc = json.loads(out.read_text(encoding="utf-8"))
    sentences = doc["sentences"]
    assert [s["text"] for s in sentences] == ["Hello world.", "This is a test."]
    assert all(s["aligned"] for s in sentences)
    assert all(s["begin"] < s["end"] for s in sentences)
    assert doc["set_aside"] == []


def test_transcript_player_align_is_the_same_command(files, fake_align) -> None:
    from webapp.cli import main as transcript_player

    audio, transcript = files
    result = CliRunner().invoke(transcript_player, ["align", str(audio), str(transcript)])
    assert result.exit_code == 0, result.output
    assert result.stdout == formats.write(RESULT, "json")
    assert transcript_player.commands["align"] is cli.align


def test_python_m_alignment_starts_without_flask(tmp_path: Path) -> None:
    """The library's command loads neither Flask nor the web app."""
    code = ("import sys, runpy; sys.argv = ['alignment', 'align', '--help']\n"
            "try:\n    runpy.run_module('alignment', run_name='__main__')\n"
            "except SystemExit:\n    pass\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('flask', 'webapp')))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True, cwd=tmp_path)
    assert "Usage: python -m alignment align" in result.stdout
    assert result.stdout.strip().endswith("[]")
