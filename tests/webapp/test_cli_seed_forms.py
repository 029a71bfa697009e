"""The seed-clean reading aligned through `transcript-player align` with its transcript in
every accepted form: at least 0.98 of the starts within 100 ms, at least 0.95 of the
speakers the form names, and on the seed page no moderator or journalist sentence
credited to President Putin or his interpreter (the voice-change test)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from benchmarks import corpus
from testsupport.score import score_files
from webapp.cli import main

pytestmark = pytest.mark.slow  # the seed-clean reading aligned in every form

FORMS = Path(__file__).parent.parent / "data" / "seed-forms"
NAMES = json.loads((FORMS / "names.json").read_text())
FORM_FILES = sorted(p.name for p in FORMS.iterdir() if p.name not in
                    ("truth-sentences.json", "names.json"))


@pytest.fixture(scope="module")
def seed_clean(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed-clean case (flite and festival voices), built once for this module."""
    out = tmp_path_factory.mktemp("corpus")
    corpus.make("seed-clean", out)
    return out / "seed-clean"


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


@pytest.mark.parametrize("name", FORM_FILES)
def test_seed_clean_in_each_form(seed_clean: Path, tmp_path: Path, name: str) -> None:
    out = tmp_path / "out.json"
    result = CliRunner().invoke(main, ["align", "-q", str(seed_clean / "audio.wav"),
                                       str(FORMS / name), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert score_files(seed_clean / "truth.json", out)["within_100ms"] >= 0.98
    if name not in NAMES:
        return
    truth = json.loads((seed_clean / "truth.json").read_text())["sentences"]
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
