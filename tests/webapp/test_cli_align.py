"""`transcript-player align`: bad input gives one line and status 2; output and progress."""

from __future__ import annotations

import io
import json
import os
import stat
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

import alignment
from alignment import formats
from alignment.errors import AudioError, LanguageError, TranscriptError
from alignment.syncmap import Sentence, SyncMap
from webapp import cli
from webapp.cli import choose_format, main, write_atomic
from webapp.moments import clock
from webapp.progress import ProgressBar

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
            for stage in ("decoding", "reading", "aligning", "refining"):
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


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_unreadable_audio(files) -> None:
    audio, transcript = files
    audio.chmod(0)
    assert_one_line_error(run(str(audio), str(transcript)), "permission denied")


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
     ("out.podcast.json", "podcast"), ("out.aeneas.json", "aeneas")],
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
    assert lines[:4] == ["decoding ...", "reading ...", "aligning ...", "refining ..."]
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

class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_progress_bar_on_a_terminal_redraws_one_line() -> None:
    stream, clock = io.StringIO(), Clock()
    bar = ProgressBar(stream, tty=True, width=10, clock=clock)
    bar("decoding", 0.0)
    clock.now += 2
    bar("decoding", 0.5)
    out = stream.getvalue()
    assert out.startswith("\rdecoding   [----------]   0%")
    assert out.endswith("\rdecoding   [#####-----]  50%  about 0:02 left")
    assert "\n" not in out
    bar("aligning", 0.0)
    assert stream.getvalue().endswith("\raligning   [----------]   0%" + " " * 17)
    bar.close()
    assert stream.getvalue().endswith("\r" + " " * 28 + "\r")


def test_progress_bar_throttles_redraws_but_shows_the_end() -> None:
    stream, clock = io.StringIO(), Clock()
    bar = ProgressBar(stream, tty=True, clock=clock, min_interval=0.1)
    bar("aligning", 0.0)
    for i in range(1, 100):
        bar("aligning", i / 100)  # same instant: no redraw
    bar("aligning", 1.0)
    assert stream.getvalue().count("\r") == 2
    assert stream.getvalue().endswith("100%")


def test_progress_bar_elsewhere_writes_one_line_per_stage() -> None:
    stream = io.StringIO()
    bar = ProgressBar(stream)  # a StringIO is not a terminal
    assert bar.tty is False
    for stage in ("decoding", "decoding", "aligning", "aligning", "refining"):
        bar(stage, 0.5)
    bar.close()
    assert stream.getvalue() == "decoding ...\naligning ...\nrefining ...\n"


@pytest.mark.parametrize("value", [-1, 2, float("nan"), None, "x"])
def test_progress_bar_survives_odd_fractions(value) -> None:
    stream = io.StringIO()
    ProgressBar(stream, tty=True)("aligning", value)
    assert "%" in stream.getvalue()


def test_time_left_reads_as_a_clock_rounded_to_the_second() -> None:
    assert clock(0) == "0:00"
    assert clock(65_400) == "1:05"
    assert clock(3_725_000) == "1:02:05"
    now = Clock()
    bar = ProgressBar(io.StringIO(), tty=True, clock=now)
    bar("aligning", 0.0)
    now.now += 1.0
    assert bar.line("aligning", 1 / 66.6).endswith("about 1:06 left")  # 65.6 s, rounded


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
    doc = json.loads(out.read_text(encoding="utf-8"))
    sentences = doc["sentences"]
    assert [s["text"] for s in sentences] == ["Hello world.", "This is a test."]
    assert all(s["aligned"] for s in sentences)
    assert all(s["begin"] < s["end"] for s in sentences)
    assert doc["set_aside"] == []
