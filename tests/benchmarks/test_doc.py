"""docs/benchmarks.md is rewritten one section at a time."""

from benchmarks.doc import read_section, update_section


def test_sections_are_replaced_in_place_and_others_kept(tmp_path):
    path = tmp_path / "benchmarks.md"
    update_section("alignment", "## Alignment\n\nfirst", path)
    update_section("render", "## Render\n\nfast", path)
    update_section("alignment", "## Alignment\n\nsecond", path)
    text = path.read_text()
    assert text.startswith("# Benchmarks")
    assert read_section("alignment", path) == "## Alignment\n\nsecond"
    assert read_section("render", path) == "## Render\n\nfast"
    assert "first" not in text
    assert text.index("alignment:begin") < text.index("render:begin")


def test_a_missing_section_reads_as_none(tmp_path):
    assert read_section("alignment", tmp_path / "none.md") is None
