"""The player benchmark's piece that needs no browser: its doc section."""

from benchmarks import player_bench
from benchmarks.doc import read_section


def test_the_measured_section_of_docs_player_is_found_by_its_markers():
    body = read_section(player_bench.SECTION, player_bench.DOC)
    assert body is not None and body.startswith("Measured ")
