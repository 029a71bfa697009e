"""A long transcript in parts (webapp.paging): what each page holds, the part route, the
plain page links, and the ETag that answers a conditional GET with 304 (issue 11 item 8)."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest

from alignment.syncmap import Sentence, SetAside, SyncMap
from webapp.paging import part_items, split_parts
from webapp.transcript_view import COARSE_BUCKETS, lay_out, timeline_segments

pytestmark = pytest.mark.slow  # most store a ten-minute recording of their own

SIZE = 40  # sentences a part, for these tests


@pytest.fixture
def long_page(app, long_audio: Path) -> tuple[str, SyncMap]:
    """240 sentences over ten minutes, in parts of about 40."""
    from tests.browser.pages import add_long_recording

    app.config["PAGE_SENTENCES"] = SIZE
    return add_long_recording(app, long_audio)


def ids(html: str) -> list[str]:
    return re.findall(r'<a class="s(?: [^"]*)?" id="([^"]+)"', html)


def test_parts_hold_every_sentence_and_block_once_in_order() -> None:
    from testsupport.recordings import long_syncmap

    syncmap = long_syncmap(1000, 3_600_000)
    syncmap = replace(syncmap, set_aside=syncmap.set_aside + (
        SetAside("header", "Top", -1), SetAside("footer", "The end", 999)))
    layout = lay_out(syncmap)
    parts = split_parts(syncmap.sentences, 100)
    assert len(parts) > 5 and parts[0].first == 0 and parts[-1].stop == 1000
    assert all(a.stop == b.first for a, b in zip(parts, parts[1:], strict=False))
    seen: list[int] = []
    blocks: list[str] = []
    for part in parts:
        for item in part_items(layout, part, 1000):
            if item.is_turn:
                seen += [s.index for p in item.paragraphs for s in p]
            else:
                blocks.append(item.text)
        # a part ends at a paragraph start when one comes within twice the size
        assert part.stop - part.first <= 200
    assert seen == list(range(1000))
    assert blocks.count("Top") == 1 and blocks.count("The end") == 1
    assert blocks == [i.text for i in layout.items if not i.is_turn]


def test_a_short_transcript_is_one_part() -> None:
    s = (Sentence(0, "One.", None, 0, 500, 0.9, True, 0),
         Sentence(1, "Two.", None, 600, 900, 0.9, True, 0))
    assert len(split_parts(s, 400)) == 1
    assert split_parts((), 400) == ()


def test_the_page_renders_one_part_and_links_the_others(client, long_page) -> None:
    rid, syncmap = long_page
    html = client.get(f"/r/{rid}").get_data(as_text=True)
    shown = ids(html)
    assert shown[0] == syncmap.sentences[0].id and len(shown) < 2 * SIZE
    pages = re.findall(rf'href="/r/{rid}\?page=(\d+)"', html)
    assert pages[0] == "2" and len(pages) == 5  # the five other parts of six
    assert 'rel="next"' in html and 'rel="prev"' not in html
    # without script, a page link shows that part, with a link back
    html2 = client.get(f"/r/{rid}?page=2").get_data(as_text=True)
    assert ids(html2)[0] not in shown and 'rel="prev"' in html2 and 'rel="next"' in html2
    assert set(ids(html2)) <= {s.id for s in syncmap.sentences}


@pytest.mark.parametrize("page", ["abc", "", "-3", "0", "9999999999999", "1e3", " 2"])
def test_a_bad_page_number_shows_a_page(client, long_page, page) -> None:
    rid, _ = long_page
    assert client.get(f"/r/{rid}", query_string={"page": page}).status_code == 200


def test_a_deep_link_renders_the_part_of_its_quote(client, long_page) -> None:
    rid, syncmap = long_page
    s = syncmap.sentences[201]
    html = client.get(f"/r/{rid}?t={s.begin / 1000:.3f}").get_data(as_text=True)
    assert s.id in ids(html) and syncmap.sentences[0].id not in ids(html)
    assert re.search(rf'id="{s.id}"[^>]*autofocus', html)
    # the permalink too
    html = client.get(f"/r/{rid}/s/{s.id}").get_data(as_text=True)
    assert s.id in ids(html) and syncmap.sentences[0].id not in ids(html)


def test_the_part_route_answers_one_part(client, long_page) -> None:
    rid, syncmap = long_page
    html = client.get(f"/r/{rid}").get_data(as_text=True)
    src = re.search(r'data-src="([^"]+)"', html).group(1)
    part = client.get(src)
    assert part.status_code == 200 and part.mimetype == "text/html"
    body = part.get_data(as_text=True)
    assert body.lstrip().startswith('<div class="part"') and "<html" not in body
    got = ids(body)
    assert got and got[0] not in ids(html)
    assert client.get(f"/r/{rid}/part/99").status_code == 404
    assert client.get(f"/r/{rid}/part/0").status_code == 404
    # every sentence is in one part
    numbers = range(1, 7)
    everything = [i for n in numbers for i in ids(client.get(f"/r/{rid}/part/{n}").get_data(
        as_text=True))]
    assert everything == [s.id for s in syncmap.sentences]


@pytest.mark.parametrize("path", ["/r/{rid}", "/r/{rid}?t=30", "/r/{rid}/part/3",
                                  "/r/{rid}/s/{sid}", "/r/{rid}?page=4"])
def test_a_conditional_get_is_answered_304(client, long_page, path) -> None:
    rid, syncmap = long_page
    url = path.format(rid=rid, sid=syncmap.sentences[100].id)
    first = client.get(url)
    etag = first.headers["ETag"]
    assert first.status_code == 200 and "no-cache" in first.headers["Cache-Control"]
    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b"" and again.headers["ETag"] == etag
    # gzipped (a weak ETag then): still 304
    zipped = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert client.get(url, headers={"If-None-Match": zipped.headers["ETag"]}).status_code == 304
    assert client.get(url, headers={"If-None-Match": '"other"'}).status_code == 200


def test_the_etag_changes_with_the_alignment_and_the_address(app, client, long_page) -> None:
    rid, syncmap = long_page
    etag = client.get(f"/r/{rid}").headers["ETag"]
    assert client.get(f"/r/{rid}?page=2").headers["ETag"] != etag
    # a new alignment (here: one sentence's words) is a new page
    changed = replace(syncmap, sentences=(replace(syncmap.sentences[0], text="Changed."),)
                      + syncmap.sentences[1:])
    app.extensions["store"].save_alignment(rid, changed)
    fresh = client.get(f"/r/{rid}", headers={"If-None-Match": etag})
    assert fresh.status_code == 200 and "Changed." in fresh.get_data(as_text=True)
    assert fresh.headers["ETag"] != etag


def test_the_etag_changes_with_an_edit(app, client, long_page) -> None:
    from webapp.history import apply_change, row_of

    rid, syncmap = long_page
    etag = client.get(f"/r/{rid}").headers["ETag"]
    edited = replace(syncmap.sentences[3], text="Edited words.")
    apply_change(app.extensions["store"].engine, rid, kind="text", editor="test",
                 summary="test", after=[row_of(edited)])
    fresh = client.get(f"/r/{rid}", headers={"If-None-Match": etag})
    assert fresh.status_code == 200 and "Edited words." in fresh.get_data(as_text=True)


def test_a_short_transcript_has_no_parts(client, recording) -> None:
    rid, syncmap = recording
    html = client.get(f"/r/{rid}").get_data(as_text=True)
    assert 'class="parts"' not in html
    assert ids(html) == [s.id for s in syncmap.sentences]


def test_a_very_long_timeline_is_drawn_in_slices_of_time() -> None:
    from testsupport.recordings import long_syncmap

    syncmap = long_syncmap(5000, 5 * 3_600_000)
    layout = lay_out(syncmap)
    segments = timeline_segments(syncmap, layout.speakers, 0.5)
    assert len(segments) <= COARSE_BUCKETS
    # each slice the colour of who speaks most in it
    assert 1 < len({css for _, _, css, _, _ in segments} & set(layout.speakers.values()))
    assert {"unaligned", "low"} <= {tick for _, _, _, tick, _ in segments}
    ends = [x + w for x, w, *_ in segments]
    assert max(ends) >= syncmap.sentences[-1].end
