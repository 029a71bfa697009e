"""The seed-clean reading aligned through `transcript-player align` with its transcript in
every accepted form: at least 0.98 of the starts within 100 ms, at least 0.95 of the
speakers the form names, and on the seed page no moderator or journalist sentence
credited to President Putin or his interpreter (the voice-change test).

The reading is cut as the forms are (`make_seed_forms.CUT`: about 2 of its 8.5 minutes,
with every speaker, every label of the page and every change of voice): the
`seed_forms_reading` fixture of tests/conftest.py."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.data.make_seed_forms import cut
from testsupport.score import score_files
from webapp.cli import main

FORMS = Path(__file__).parent.parent / "data" / "seed-forms"
NAMES = json.loads((FORMS / "names.json").read_text())
FORM_FILES = sorted(p.name for p in FORMS.iterdir() if p.name not in
                    ("truth-sentences.json", "names.json"))


def words(text: str) -> str:
    return " ".join(re.findall(r"[\w']+", text.lower()))


@pytest.fixture(autouse=True)
def words_as_on_a_long_recording(monkeypatch: pytest.MonkeyPatch) -> None:
    """This test is of the transcript's forms and the speakers they name, aligned 18
    times: the words are laid as on a recording longer than EAR_WHOLE_MS (by ear only
    where the probes say the warp is off), which halves the time of each. Laying every
    word by ear is tested in tests/alignment/test_words.py and measured by the
    benchmarks."""
    from alignment import engine

    monkeypatch.setattr(engine, "EAR_WHOLE_MS", 0)


@pytest.mark.slow  # the seed-clean reading built
def test_the_forms_are_of_the_cut_audio(seed_forms_reading: Path) -> None:
    """The fixture's sentences and times are those of the audio cut at test time (run
    make_seed_forms.py again when the reading or the cut changes), a pause between each
    two, and the cut keeps every speaker."""
    truth = json.loads((seed_forms_reading / "truth.json").read_text())
    assert [{k: s[k] for k in ("speaker", "text")} for s in truth["sentences"]] == json.loads(
        (FORMS / "truth-sentences.json").read_text())
    assert {s["speaker"] for s in truth["sentences"]} == set(NAMES["page.html"])
    said = truth["sentences"]
    assert all(a["end"] < b["begin"] for a, b in zip(said, said[1:], strict=False))
    assert truth["duration"] < 150  # seconds: the point of the cut
    # the forms' times are the cut audio's: a caption starts where each sentence does
    starts = [c["startTime"] for c in json.loads((FORMS / "podcast.json").read_text())[
        "segments"]]
    assert all(min(abs(t - s["begin"]) for t in starts) < 0.01 for s in said)


def test_the_cut_falls_in_pauses() -> None:
    """Each piece runs between the middles of the pauses around its sentences."""
    whole = {"duration": 20.0, "sentences": [
        {"speaker": "a", "text": str(k), "begin": 2.0 * k + 1, "end": 2.0 * k + 2}
        for k in range(10)]}
    pieces, truth = cut(whole, ((0, 2), (5, 6), (9, 10)))
    # halfway through the pauses around each run; the first and last reach the edges
    assert pieces == [(0, 16000 * 45 // 10), (16000 * 105 // 10, 16000 * 125 // 10),
                      (16000 * 185 // 10, 16000 * 20)]
    assert [(s["text"], s["begin"], s["end"]) for s in truth["sentences"]] == [
        ("0", 1.0, 2.0), ("1", 3.0, 4.0), ("5", 5.0, 6.0), ("9", 7.0, 8.0)]
    assert truth["duration"] == 8.0


@pytest.mark.slow  # the seed-clean reading (cut) aligned in every form
@pytest.mark.parametrize("name", FORM_FILES)
def test_seed_clean_in_each_form(seed_forms_reading: Path, tmp_path: Path, name: str) -> None:
    out = tmp_path / "out.json"
    result = CliRunner().invoke(main, ["align", "-q", str(seed_forms_reading / "audio.wav"),
                                       str(FORMS / name), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert score_files(seed_forms_reading / "truth.json", out)["within_100ms"] >= 0.98
    if name not in NAMES:
        return
    truth = json.loads((seed_forms_reading / "truth.json").read_text())["sentences"]
    speaker = {words(s["text"]): s["speaker"] for s in json.loads(out.read_text())["sentences"]}
    named = right = 0
    for t in truth:
        want, got = NAMES[name][t["speaker"]], speaker[words(t["text"])]
        if want is None:
            assert got is None or "Putin" not in got, t["text"]
            continue
        named += 1
        right += got in want if isinstance(want, list) else got == want
    assert right / named >= 0.95
