"""The benchmark harness: measuring a child process, and a case run with stand-in aligners."""

import json
import sys
import textwrap

import pytest

from benchmarks import run


def test_run_child_measures_time_and_peak_memory(tmp_path):
    code = "import time; b = bytearray(150_000_000); b[::4096] = b'x' * len(b[::4096]); " \
           "time.sleep(0.5)"
    res = run.run_child([sys.executable, "-c", code], tmp_path / "log")
    assert res["ok"] and res["returncode"] == 0
    assert res["wall"] >= 0.5
    assert res["peak_rss"] >= 150_000_000


def test_run_child_reports_a_failure_with_the_end_of_its_output(tmp_path):
    code = "import sys; print('no engine here', file=sys.stderr); sys.exit(3)"
    res = run.run_child([sys.executable, "-c", code], tmp_path / "log")
    assert not res["ok"] and res["returncode"] == 3
    assert "no engine here" in res["error"]


def test_run_child_kills_a_child_over_its_timeout(tmp_path):
    res = run.run_child([sys.executable, "-c", "import time; time.sleep(30)"],
                        tmp_path / "log", timeout=0.5)
    assert not res["ok"] and "timeout" in res["error"]
    assert res["wall"] < 10


def test_run_child_reports_a_missing_program(tmp_path):
    res = run.run_child([str(tmp_path / "nope")], tmp_path / "log")
    assert not res["ok"] and res["error"]


FAKE = textwrap.dedent("""
    import json, sys
    truth, out, shift = sys.argv[1], sys.argv[2], float(sys.argv[3])
    t = json.load(open(truth))
    sents = [{"text": s["text"], "begin": s["begin"] + shift, "aligned": True}
             for s in t["sentences"]]
    sents += [{"text": s, "begin": 0.0, "aligned": False} for s in t.get("unspoken", [])]
    json.dump({"sentences": sents}, open(out, "w"))
""")


@pytest.fixture
def fake_case(tmp_path, monkeypatch):
    d = tmp_path / "seed-gap"
    d.mkdir()
    truth = {"case": "seed-gap", "duration": 9.0, "unspoken": ["Never said."], "sentences": [
        {"speaker": "a", "text": "One two.", "begin": 1.0, "end": 2.0},
        {"speaker": "a", "text": "Three four.", "begin": 2.5, "end": 3.5},
    ]}
    (d / "truth.json").write_text(json.dumps(truth))
    (d / "transcript.txt").write_text("One two. Never said. Three four.\n")
    (d / "audio.wav").write_bytes(b"")
    script = tmp_path / "fake.py"
    script.write_text(FAKE)
    monkeypatch.setattr(run, "ours_command", lambda audio, tr, out: [
        sys.executable, str(script), str(d / "truth.json"), str(out), "0.05"])
    monkeypatch.setattr(run, "aeneas_command", lambda audio, sents, out: [
        sys.executable, str(script), str(d / "truth.json"), str(out), "0.2"])
    return tmp_path


def test_a_case_with_stand_in_aligners_is_scored_and_reported(fake_case):
    r = run.bench_case("seed-gap", fake_case, with_aeneas=True, timeout=60,
                       tools=["ours", "aeneas"])
    ours, aeneas = r["tools"]["ours"], r["tools"]["aeneas"]
    assert ours["ok"] and ours["score"]["within_100ms"] == 1.0
    assert aeneas["ok"] and aeneas["score"]["within_100ms"] == 0.0
    assert ours["unspoken"] == {"unspoken": 1, "found": 1, "marked_unaligned": 1,
                                "spoken": 2, "spoken_marked_unaligned": 0}
    md = run.report([r], "python -m benchmarks.run --cases seed-gap")
    assert "| ours / aeneas |" in md
    assert "marked `aligned: false` by ours: 1 of 1" in md
    assert md.count("\n| ours |") == 1


def test_a_failing_aligner_is_reported_not_raised(fake_case, monkeypatch):
    monkeypatch.setattr(run, "ours_command", lambda audio, tr, out: [
        sys.executable, "-c", "raise SystemExit('engine missing')"])
    r = run.bench_case("seed-gap", fake_case, with_aeneas=False, timeout=60,
                       tools=["ours", "aeneas"])
    assert not r["tools"]["ours"]["ok"] and "engine missing" in r["tools"]["ours"]["error"]
    assert r["tools"]["aeneas"]["skipped"]
    md = run.report([r], "cmd")
    assert "ours failed: `exit status 1: engine missing`" in md
    assert "not run" in md


@pytest.mark.parametrize("secs, text", [
    (None, "–"), (59.94, "59.9 s"), (119.9, "119.9 s"), (120, "2 min 00 s"),
    (179.4, "2 min 59 s"), (179.6, "3 min 00 s"), (3599.7, "60 min 00 s"),
    (3725.2, "62 min 05 s"),
])
def test_fmt_secs_rounds_before_splitting_minutes(secs, text):
    assert run.fmt_secs(secs) == text
