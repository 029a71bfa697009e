"""Laying a sync map out for reading: nothing lost, labels become headings, quotes."""

from __future__ import annotations

from alignment.syncmap import Sentence, SetAside, SyncMap
from webapp.moments import Moment
from webapp.transcript_view import (
    SetAsideBlock,
    Turn,
    lay_out,
    quoted_indices,
    timeline_segments,
)


def sm(*sentences: Sentence, blocks: tuple[SetAside, ...] = ()) -> SyncMap:
    return SyncMap(sentences=sentences, set_aside=blocks, duration=10_000).with_ids()


S = [
    Sentence(0, "Hello.", "Host", 0, 900, 0.9, True, 0),
    Sentence(1, "Again.", "Host", 1000, 1900, 0.9, True, 0),
    Sentence(2, "Reply.", "Guest", 2000, 2900, 0.9, True, 1),
    Sentence(3, "More.", "Guest", 3000, 3900, 0.9, True, 2),
    Sentence(4, "Gone.", None, 0, 0, 0.0, False, 3),
]


def flatten(layout) -> list[str]:
    out = []
    for item in layout.items:
        if isinstance(item, SetAsideBlock):
            out.append(f"[{item.kind}] {item.text}")
        else:
            out += [s.text for p in item.paragraphs for s in p]
    return out


def test_everything_appears_once_in_order() -> None:
    blocks = (SetAside("header", "Title", -1), SetAside("direction", "(laughs)", 0),
              SetAside("footer", "The end", 4), SetAside("cue", "far", 99))
    layout = lay_out(sm(*S, blocks=blocks))
    assert flatten(layout) == ["[header] Title", "Hello.", "[direction] (laughs)", "Again.",
                               "Reply.", "More.", "Gone.", "[footer] The end", "[cue] far"]


def test_labels_of_the_speaker_become_headings_others_stay_visible() -> None:
    blocks = (SetAside("label", "HOST:", -1), SetAside("label", "The Guest (by phone)", 1),
              SetAside("label", "Somebody else", 2))
    items = lay_out(sm(*S[:4], blocks=blocks)).items
    turns = [i for i in items if isinstance(i, Turn)]
    assert [t.heading for t in turns] == ["HOST", "The Guest (by phone)", None]
    assert [len(t.paragraphs) for t in turns] == [1, 1, 1]
    # a label that is not the next speaker's is kept in place, muted, not swallowed
    assert [i.text for i in items if isinstance(i, SetAsideBlock)] == ["Somebody else"]


def test_heading_is_the_speaker_without_a_label() -> None:
    turns = [i for i in lay_out(sm(*S[:4])).items if isinstance(i, Turn)]
    assert [t.heading for t in turns] == ["Host", "Guest"]
    assert [t.css for t in turns] == ["sp-0", "sp-1"]


def test_continued_turn_after_a_stage_direction() -> None:
    layout = lay_out(sm(*S[:2], blocks=(SetAside("direction", "(applause)", 0),)))
    turns = [i for i in layout.items if isinstance(i, Turn)]
    assert [(t.heading, t.continued) for t in turns] == [("Host", False), (None, True)]


def test_quoted_skips_unaligned() -> None:
    syncmap = sm(*S)
    # a header line read as a sentence but never said is never the quote of `?t=0`
    said = [Sentence(0, "NATO Speeches.", None, 0, 0, 0.0, False, 0), *S[:4]]
    said = [Sentence(i, s.text, s.speaker, s.begin + 500 * (i > 0), s.end + 500 * (i > 0),
                     s.confidence, s.aligned, s.paragraph) for i, s in enumerate(said)]
    assert quoted_indices(sm(*said), Moment(0)) == {1}
    assert quoted_indices(syncmap, Moment(950)) == {1}     # in the pause: the next one
    assert quoted_indices(syncmap, Moment(1000, 3500)) == {1, 2, 3}
    assert quoted_indices(syncmap, Moment(3000, 9000)) == {3}  # not the trailing unaligned
    assert quoted_indices(syncmap, Moment()) == set()


def test_timeline_segments() -> None:
    syncmap = sm(*S[:2], Sentence(2, "Low.", "Host", 2000, 2000, 0.1, True, 0), S[4])
    segs = timeline_segments(syncmap, {"Host": "sp-0"}, 0.5)
    assert segs[0] == (0, 900, "sp-0", "", 900)
    assert segs[2][1] == 1 and segs[2][3] == "low" and segs[2][4] == 25  # visible tick
    assert segs[3][2:4] == ("sp-x", "unaligned")
