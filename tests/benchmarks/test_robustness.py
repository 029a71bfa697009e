"""The robustness report: the shared sweep's output read, tabled and drawn (no alignment:
a stand-in script prints what the sweep prints)."""

import json
import sys
import textwrap

import matplotlib.image
import numpy as np
import pytest

from benchmarks import doc, robustness

CANNED = textwrap.dedent("""\
    {"condition": "pink:10", "ours": {"w100": 0.967, "p90": 0.0, "wall": 3.4, "unaligned": 0}, "aeneas": {"w100": 0.967, "p90": 0.079, "wall": 3.5}, "ours_says": "aligned 61 of 61 sentences"}
    {"condition": "pink:0", "ours": {"w100": 0.82, "p90": 0.31, "wall": 3.1, "unaligned": 2}, "aeneas": {"w100": 0.4, "p90": 2.5, "wall": 2.9}, "ours_says": "aligned 59 of 61 sentences"}
    {"condition": "babble:6", "ours": {"w100": 0.885, "p90": 0.185, "wall": 3.6, "unaligned": 0}, "aeneas": {"w100": 0.787, "p90": 0.295, "wall": 2.8}, "ours_says": ""}
    {"condition": "babble:3", "ours": {"w100": 0.7, "p90": 0.6, "wall": 3.6, "unaligned": 1}, "aeneas": {"w100": 0.75, "p90": 0.4, "wall": 2.8}, "ours_says": ""}
    {"condition": "white:3", "ours": "failed", "aeneas": {"w100": 0.049, "p90": 55.304, "wall": 2.6}, "ours_says": "Traceback"}
    {"condition": "phone", "ours": {"w100": 1.0, "p90": 0.0, "wall": 2.0, "unaligned": 0}, "aeneas": {"w100": 0.982, "p90": 0.03, "wall": 1.0}, "ours_says": ""}
    sox WARN rate: rate clipped 1 samples; decrease volume?
    short of goal (got/goal): pink:10=0.967/0.970 pink:0=0.82/0.900 babble:6=0.885/0.950 babble:3=0.7/0.750 white:3=ERR/0.049
""")  # noqa: E501
GOALS = {"pink:10": 0.97, "pink:0": 0.90, "babble:6": 0.95, "phone": 0.98}


def result(case="seed-clean", text=CANNED):
    run = robustness.parse_sweep(text)
    return {"case": case, "description": "clean speech", "duration": 510.0, "sentences": 61,
            "conditions": [r["condition"] for r in run.rows], "rows": run.rows,
            "short": {k: list(v) for k, v in run.short.items()}, "short_line": run.short_line,
            "wall": 120.0}


def test_the_sweep_output_is_parsed_rows_and_short_line():
    run = robustness.parse_sweep(CANNED)
    assert [r["condition"] for r in run.rows] == ["pink:10", "pink:0", "babble:6", "babble:3",
                                                  "white:3", "phone"]
    assert run.rows[1]["ours"] == {"w100": 0.82, "p90": 0.31, "wall": 3.1, "unaligned": 2}
    assert run.short == {"pink:10": (0.967, 0.97), "pink:0": (0.82, 0.9),
                         "babble:6": (0.885, 0.95), "babble:3": (0.7, 0.75),
                         "white:3": (None, 0.049)}
    assert run.short_line.startswith("short of goal")
    assert run.other == ["sox WARN rate: rate clipped 1 samples; decrease volume?"]
    assert robustness.parse_short("short of goal (got/goal): none") == {}
    assert robustness.parse_short('{"condition": "x"}') is None
    with pytest.raises(ValueError, match="pink:3"):
        robustness.parse_short("short of goal (got/goal): pink:3=0.5")


def test_a_case_table_has_a_row_per_condition_with_goal_and_short_marks():
    table = robustness.case_table(result(), GOALS).splitlines()
    assert table[0].startswith("| condition | ours w100 | aeneas w100 | goal | ours p90")
    rows = {line.split("|")[1].strip(): [c.strip() for c in line.split("|")[2:-1]]
            for line in table[2:]}
    assert rows["`pink:0`"] == ["**0.820**", "0.400", "0.900", "0.310 s", "2.500 s", "2",
                                "3.1 s", "2.9 s", "**short**"]
    # not short: the goal is the higher of GOALS and aeneas in the same run
    assert rows["`phone`"] == ["1.000", "0.982", "0.982", "0.000 s", "0.030 s", "0",
                               "2.0 s", "1.0 s", ""]
    assert rows["`white:3`"][:3] == ["**failed**", "0.049", "0.049"]
    assert rows["`white:3`"][-1] == "**short**"


def test_the_summary_names_the_worst_condition_first():
    voice = result("support-call", CANNED.replace('"ours": "failed"', '"ours": {"w100": 0.9, '
                                                  '"p90": 0.1, "wall": 1, "unaligned": 0}')
                   .replace("white:3=ERR/0.049", ""))
    lines = robustness.summary([voice, result()], GOALS).splitlines()
    assert lines[0].startswith("**Worst condition: seed-clean, `white:3`: ours failed")
    assert "support-call `babble:3` 0.700 (aeneas 0.750)" in lines[2]
    assert lines[4] == "Short of goal in 9 of 12 runs (ours/goal):"
    assert lines[5] == ("- support-call: `pink:10` 0.967/0.970, `pink:0` 0.820/0.900, "
                        "`babble:6` 0.885/0.950, `babble:3` 0.700/0.750")
    assert lines[6].startswith("- seed-clean: ") and lines[6].endswith("`white:3` failed/0.049")
    md = robustness.report([result()], GOALS, "python -m benchmarks.robustness",
                           "../shared/bench/sweep.py", "sweep.png")
    assert md.index("Worst condition") < md.index("Command:") < md.index("### seed-clean")
    assert "![within_100ms against SNR" in md and "(sweep.png)" in md


def test_default_conditions_are_grouped_by_noise_kind_and_snr():
    assert robustness.grouped(["pink:10", "reverb", "white:6", "pink:0", "music:6", "pink:20",
                               "phone", "white:6", "babble:3"]) == [
        "pink:20", "pink:10", "pink:0", "white:6", "babble:3", "music:6", "reverb", "phone"]


def test_curves_per_noise_kind_and_the_worst_over_cases():
    a = result()
    cs = robustness.curves(a["rows"])
    assert cs[("pink", "ours")] == [(0.0, 0.82), (10.0, 0.967)]
    assert cs[("white", "ours")] == [(3.0, 0.0)]  # failed counts as 0
    assert ("phone", "ours") not in cs
    b = result("keeper-neural", CANNED.replace('"w100": 0.4,', '"w100": 0.1,'))
    worst = {r["condition"]: r for r in robustness.worst_rows([a, b])}
    assert worst["pink:0"]["aeneas"] == {"w100": 0.1, "case": "keeper-neural"}
    assert worst["pink:0"]["ours"] == {"w100": 0.82, "case": "seed-clean"}
    titles = [t for t, _ in robustness.panels([a, b])]
    assert titles == ["seed-clean", "keeper-neural"]


def test_the_plot_draws_each_noise_kind(tmp_path):
    png = robustness.plot([result(), result("panel-roomtone"), result("geodesy-pace")],
                          tmp_path / "sweep.png")
    img = matplotlib.image.imread(png)
    assert img.shape[1] > 1.8 * img.shape[0]  # two panels side by side
    rgb = (img[..., :3] * 255).round()

    def pixels(kind):
        want = np.array([int(robustness.COLOURS[kind][i:i + 2], 16) for i in (1, 3, 5)])
        return (np.abs(rgb - want).sum(axis=-1) < 30).sum()

    # the kinds swept are drawn; music, not swept here, has only its legend swatch
    assert min(pixels("pink"), pixels("white"), pixels("babble")) > 4 * pixels("music") > 0
    fig = robustness.figure([result(), result("panel-roomtone")])
    lines = {(ax.get_title(), ln.get_gid()): ln for ax in fig.axes for ln in ax.get_lines()}
    assert {g for _, g in lines} == {"pink/ours", "pink/aeneas", "white/ours", "white/aeneas",
                                     "babble/ours", "babble/aeneas"}
    ours, theirs = lines[("seed-clean", "pink/ours")], lines[("seed-clean", "pink/aeneas")]
    assert ours.get_linestyle() == "-" and theirs.get_linestyle() == "--"
    assert list(ours.get_xdata()) == [0.0, 10.0] and list(theirs.get_ydata()) == [0.4, 0.967]
    only_phone = result(text=CANNED.splitlines()[5] + "\nshort of goal (got/goal): none\n")
    assert robustness.plot([only_phone], tmp_path / "none.png") is None


FAKE_SWEEP = textwrap.dedent("""\
    import json, sys
    GOALS = {"pink:10": 0.97, "phone": 0.98}
    DEFAULT = list(GOALS)

    def main():
        conds = sys.argv[3:] or DEFAULT
        for c in conds:
            if c == "crash":
                raise SystemExit("unknown condition crash")
            print(json.dumps({"condition": c, "ours": {"w100": 0.95, "p90": 0.2, "wall": 1.0,
                              "unaligned": 0}, "aeneas": {"w100": 0.9, "p90": 0.3, "wall": 1.0},
                              "ours_says": sys.argv[2]}), flush=True)
        print("short of goal (got/goal): pink:10=0.95/0.970")
        sys.exit(1)

    if __name__ == "__main__":
        main()
""")


@pytest.fixture
def fake_sweep(tmp_path):
    p = tmp_path / "sweep.py"
    p.write_text(FAKE_SWEEP)
    return p


def test_the_sweep_runs_as_a_child_and_short_of_goal_is_not_a_failure(tmp_path, fake_sweep):
    assert robustness.sweep_settings(fake_sweep) == ({"pink:10": 0.97, "phone": 0.98},
                                                     ["pink:10", "phone"])
    run, info = robustness.run_sweep(fake_sweep, tmp_path, tmp_path / "tp", ["pink:10", "white:0"],
                                     tmp_path / "log")
    assert info["returncode"] == 1 and "error" not in info
    assert [r["condition"] for r in run.rows] == ["pink:10", "white:0"]
    assert run.short == {"pink:10": (0.95, 0.97)}
    run, info = robustness.run_sweep(fake_sweep, tmp_path, tmp_path / "tp", ["phone", "crash"],
                                     tmp_path / "log")
    assert [r["condition"] for r in run.rows] == ["phone"]
    assert "unknown condition crash" in info["error"]


def test_a_missing_sweep_is_named(tmp_path, monkeypatch):
    monkeypatch.setenv(robustness.SWEEP_ENV, str(tmp_path / "nowhere.py"))
    with pytest.raises(FileNotFoundError, match="nowhere.py"):
        robustness.sweep_path()


def test_main_writes_rows_section_and_plot(tmp_path, fake_sweep):
    case = tmp_path / "out" / "seed-clean"
    case.mkdir(parents=True)
    (case / "truth.json").write_text(json.dumps({"duration": 9.0, "sentences": [
        {"text": "One.", "begin": 1.0, "end": 2.0}], "audio": "audio.wav"}))
    (case / "transcript.txt").write_text("One.\n")
    (case / "audio.wav").write_bytes(b"")
    md, png = tmp_path / "benchmarks.md", tmp_path / "docs" / "sweep.png"
    rc = robustness.main(["--cases", "seed-clean", "--out", str(tmp_path / "out"),
                          "--sweep", str(fake_sweep), "--doc", str(md), "--plot", str(png),
                          "--conditions", "pink:10", "pink:0", "music:3"])
    assert rc == 0
    saved = json.loads((tmp_path / "out" / "sweep.json").read_text())
    assert [r["condition"] for r in saved["results"][0]["rows"]] == ["pink:10", "pink:0",
                                                                     "music:3"]
    assert saved["results"][0]["rows"][0]["ours_says"].endswith("transcript-player")
    section = doc.read_section("robustness", md)
    assert section.startswith("## Robustness")
    assert "**Worst condition: seed-clean, `pink:10`" in section
    assert "](docs/sweep.png)" in section
    assert png.read_bytes().startswith(b"\x89PNG")
    assert saved["results"][0]["command"][0] == sys.executable
