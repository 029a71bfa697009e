"""The library and the player as the server renders them, without any script."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest


class Elements(HTMLParser):
    """Every start tag with its attributes, in order."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def parse(html: str) -> list[tuple[str, dict[str, str | None]]]:
    p = Elements()
    p.feed(html)
    return p.tags


def sentences(html: str) -> list[dict[str, str | None]]:
    return [a for t, a in parse(html) if t == "a" and "s" in (a.get("class") or "").split()]


def assert_csp_safe(html: str) -> None:
    """No inline script, no inline handlers, no inline style: the CSP would block them."""
    for tag, attrs in parse(html):
        if tag == "script":
            assert attrs.get("src"), "inline <script>"
        assert "style" not in attrs, f"inline style on <{tag}>"
        handlers = [k for k in attrs if k.startswith("on")]
        assert not handlers, f"inline handler {handlers} on <{tag}>"
        assert not any(k.startswith("hx-on") for k in attrs)
    assert "<style" not in html


def test_library_lists_recordings(client, recording) -> None:
    from webapp.moments import clock

    rid, syncmap = recording
    r = client.get("/")
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    assert f'href="/r/{rid}"' in html
    assert "Harbour talk" in html
    assert clock(syncmap.duration) in html     # length
    assert "6 sentences" in html               # sentence count
    assert "Host, Guest" in html               # speakers in order of appearance
    assert 'type="search"' in html
    assert_csp_safe(html)


def test_empty_library_says_how_to_add(client) -> None:
    html = client.get("/").get_data(as_text=True)
    assert "transcript-player import" in html


def test_player_renders_every_sentence_with_times_and_links(client, recording) -> None:
    rid, syncmap = recording
    r = client.get(f"/r/{rid}")
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    found = sentences(html)
    assert len(found) == len(syncmap.sentences)
    for a, s in zip(found, syncmap.sentences, strict=True):
        assert a["id"] == s.id
        assert a["data-begin"] == f"{s.begin / 1000:.3f}"
        assert a["data-end"] == f"{s.end / 1000:.3f}"
        assert a["href"] == f"/r/{rid}?t={s.begin / 1000:.3f}"
    # speakers where the speaker changes, set-aside blocks shown, nothing hidden
    assert html.count('class="speaker-name"') == 3
    assert "Episode 12, recorded live" in html and "[laughs]" in html
    assert 'class="set-aside set-aside-header"' in html
    # the uncertain sentence is marked
    low = [a for a in found if "low" in (a.get("class") or "")]
    assert [a["id"] for a in low] == [syncmap.sentences[4].id]
    # audio, captions track, timeline, exports, source link
    audio = r'<audio id="audio" controls preload="metadata" src="/media/[0-9a-f]{64}\.mp3"'
    assert re.search(audio, html)
    assert f'<track kind="captions" src="/r/{rid}/transcript.vtt"' in html
    assert html.count('class="seg ') == len(syncmap.sentences)
    assert 'class="tick low"' in html
    for ext in ("json", "vtt", "srt"):
        assert f'href="/r/{rid}/transcript.{ext}"' in html
    assert 'rel="source"' in html
    assert_csp_safe(html)


def test_csp_and_security_headers(client, recording) -> None:
    rid, _ = recording
    for url in ("/", f"/r/{rid}", "/r/nothing-here"):
        r = client.get(url)
        csp = r.headers["Content-Security-Policy"]
        assert "default-src 'self'" in csp and "script-src 'self'" in csp
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert r.headers["X-Content-Type-Options"] == "nosniff"


def test_every_page_links_to_the_source(client, recording) -> None:
    rid, syncmap = recording
    for url in ("/", "/search?q=bridge", f"/r/{rid}", f"/r/{rid}/s/{syncmap.sentences[0].id}",
                f"/r/{rid}/search?q=x", "/r/unknown"):
        html = client.get(url).get_data(as_text=True)
        assert 'href="/source.tar.gz" rel="source"' in html, url
        assert "AGPL" in html, url


def test_the_source_link_serves_this_programs_source(client) -> None:
    import io
    import tarfile

    r = client.get("/source.tar.gz")
    assert r.status_code == 200
    assert r.mimetype == "application/gzip"
    with tarfile.open(fileobj=io.BytesIO(r.data)) as tar:
        names = set(tar.getnames())
        served = tar.extractfile("transcript-player/webapp/source.py").read()
    assert {"transcript-player/LICENSE", "transcript-player/alignment/engine.py",
            "transcript-player/templates/player.html",
            "transcript-player/testsupport/score.py"} <= names
    assert not any("__pycache__" in name for name in names)
    from webapp import source

    assert served == open(source.__file__, "rb").read()


def test_unknown_recording_is_a_helpful_404(client) -> None:
    r = client.get("/r/no-such-thing")
    assert r.status_code == 404
    assert "no recording called" in r.get_data(as_text=True)


def test_sentence_permalink(client, recording) -> None:
    rid, syncmap = recording
    s = syncmap.sentences[3]
    r = client.get(f"/r/{rid}/s/{s.id}")
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    quoted = [a["id"] for a in sentences(html) if "quote" in (a.get("class") or "")]
    assert quoted == [s.id]
    assert f'<link rel="canonical" href="http://localhost/r/{rid}/s/{s.id}">' in html
    assert f'data-start="{s.begin / 1000:.3f}"' in html
    assert "The café on the pier opens at nine." in _meta(html, "og:description")


def test_sentence_permalink_survives_realignment(app, client, recording) -> None:
    from dataclasses import replace

    rid, syncmap = recording
    s = syncmap.sentences[3]
    shifted = replace(syncmap, sentences=tuple(
        replace(x, begin=x.begin + 100, end=x.end + 100, id="") for x in syncmap.sentences))
    app.extensions["store"].save_alignment(rid, shifted)
    html = client.get(f"/r/{rid}/s/{s.id}").get_data(as_text=True)
    assert f'data-start="{(s.begin + 100) / 1000:.3f}"' in html


def test_unknown_sentence_is_a_404_that_points_to_the_player(client, recording) -> None:
    rid, _ = recording
    r = client.get(f"/r/{rid}/s/s-0000000000")
    assert r.status_code == 404
    assert "not in this recording" in r.get_data(as_text=True)


def _meta(html: str, prop: str) -> str:
    m = re.search(rf'<meta property="{re.escape(prop)}" content="([^"]*)"', html)
    assert m, prop
    return m.group(1)


def test_share_link_marks_the_quote_and_previews_it(client, recording) -> None:
    rid, syncmap = recording
    a, b = syncmap.sentences[3], syncmap.sentences[4]
    t, end = a.begin / 1000, b.end / 1000
    html = client.get(f"/r/{rid}?t={t}&end={end}").get_data(as_text=True)
    quoted = [x["id"] for x in sentences(html) if "quote" in (x.get("class") or "")]
    assert quoted == [a.id, b.id]
    assert 'src="/media/' in html and f'#t={t:g},{end:g}"' in html  # no-JS media fragment
    assert f'data-start="{t:.3f}"' in html and f'data-end="{end:.3f}"' in html
    desc = _meta(html, "og:description")
    from webapp.moments import clock

    span = f"{clock(a.begin)}–{clock(b.end)}"
    assert "The café on the pier opens at nine." in desc and span in desc
    assert "Guest" in desc
    assert _meta(html, "og:title") == f"Harbour talk at {span}"
    assert _meta(html, "og:url").endswith(f"/r/{rid}?t={t:g}&amp;end={end:g}")


def test_share_link_to_a_moment(client, recording) -> None:
    rid, syncmap = recording
    s = syncmap.sentences[1]
    html = client.get(f"/r/{rid}?t={(s.begin + 500) / 1000}").get_data(as_text=True)
    quoted = [x["id"] for x in sentences(html) if "quote" in (x.get("class") or "")]
    assert quoted == [s.id]
    assert "data-end=" not in html.split("<article", 1)[1].split(">", 1)[0]


@pytest.mark.parametrize(
    "query",
    ["t=abc", "t=999", "t=-3", "t=nan", "t=inf", "t=1e309", "t=8&end=2", "t=8&end=abc",
     "end=5", "t=" + "9" * 5000, "t=1:99", "t=8&end=8", "t=&end="],
)
def test_bad_share_parameters_are_ignored_safely(client, recording, query: str) -> None:
    rid, _ = recording
    r = client.get(f"/r/{rid}?{query}")
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    head = html.split("<article", 1)[1].split(">", 1)[0]
    if query.startswith("t=8&"):
        assert 'data-start="8.000"' in head and "data-end" not in head
    else:
        assert "data-start" not in head and "data-end" not in head


def test_a_control_character_in_a_share_parameter_is_400(client, recording) -> None:
    """Text is text (issue 21 item 8): refused, naming the parameter, never a 500."""
    rid, _ = recording
    r = client.get(f"/r/{rid}?t=%00")
    assert r.status_code == 400 and "“t”" in r.get_data(as_text=True)


def test_end_past_the_recording_is_clamped(client, recording) -> None:
    rid, syncmap = recording
    html = client.get(f"/r/{rid}?t=8&end=999").get_data(as_text=True)
    assert f'data-end="{syncmap.duration / 1000:.3f}"' in html


def test_player_search_partial_for_htmx(client, recording) -> None:
    rid, syncmap = recording
    r = client.get(f"/r/{rid}/search?q=cafe", headers={"HX-Request": "true"})
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    assert "<html" not in html and "<article" not in html
    assert "<mark>café</mark>" in html
    s = syncmap.sentences[3]
    assert f'href="/r/{rid}?t={s.begin / 1000:.3f}"' in html
    assert f'data-sid="{s.id}"' in html
    from webapp.moments import clock

    assert clock(s.begin) in html and "Guest" in html


def test_player_search_without_htmx_is_the_whole_page(client, recording) -> None:
    rid, _ = recording
    html = client.get(f"/r/{rid}/search?q=bridg").get_data(as_text=True)
    assert "<html" in html and 'id="transcript"' in html
    assert "2 sentences match" in html
    assert 'value="bridg"' in html
    # and a history restore by htmx also gets the whole page
    html = client.get(f"/r/{rid}/search?q=bridg", headers={
        "HX-Request": "true", "HX-History-Restore-Request": "true"}).get_data(as_text=True)
    assert "<html" in html


def test_search_with_no_match_says_so(client, recording) -> None:
    rid, _ = recording
    html = client.get(f"/r/{rid}/search?q=zebra", headers={"HX-Request": "true"}).get_data(
        as_text=True)
    assert "No sentence matches “zebra”" in html


def test_search_escapes_the_query(client, recording) -> None:
    rid, _ = recording
    html = client.get(f"/r/{rid}/search?q=<img src=x>").get_data(as_text=True)
    assert "<img src=x>" not in html and "&lt;img src=x&gt;" in html


def test_library_search(client, recording) -> None:
    rid, syncmap = recording
    r = client.get("/search?q=%22harbour+bridge%22", headers={"HX-Request": "true"})
    html = r.get_data(as_text=True)
    assert "<html" not in html
    assert "<mark>harbour bridge</mark>" in html
    assert f'href="/r/{rid}?t={syncmap.sentences[1].begin / 1000:.3f}"' in html
    assert "Harbour talk" in html
    full = client.get("/search?q=bridge").get_data(as_text=True)
    assert "<html" in full and "Recordings" in full and "<mark>" in full


def test_a_recording_being_aligned_shows_its_text_and_progress(app, client, speech) -> None:
    from tests.helpers import RAW_TRANSCRIPT
    from webapp.importer import store_recording

    rid = store_recording(app, speech.wav, RAW_TRANSCRIPT, title="Waiting")
    store = app.extensions["store"]
    job = store.add_job(rid)
    store.update_job(job, status="running", stage="aligning", percent=42.0)
    html = client.get(f"/r/{rid}").get_data(as_text=True)
    assert "The café on the pier opens at nine." in html  # the transcript as given
    assert 'hx-trigger="every 1s"' in html and "42%" in html
    r = client.get(f"/r/{rid}/status", headers={"HX-Request": "true"})
    assert "HX-Refresh" not in r.headers and "every 1s" in r.get_data(as_text=True)
    assert client.get(f"/r/{rid}/transcript.vtt").status_code == 409
    # done: the poll answers with a refresh and no further trigger
    from tests.helpers import reading_syncmap

    store.save_alignment(rid, reading_syncmap(speech))
    r = client.get(f"/r/{rid}/status", headers={"HX-Request": "true"})
    # the aligned player, swapped in for the page's: no reload (webapp.player.status)
    assert r.headers["HX-Retarget"] == "#player" and "HX-Refresh" not in r.headers
    assert "every 1s" not in r.get_data(as_text=True)


def test_failed_alignment_says_what_and_how_to_retry(app, client, speech) -> None:
    from tests.helpers import RAW_TRANSCRIPT
    from webapp.importer import store_recording

    rid = store_recording(app, speech.wav, RAW_TRANSCRIPT, title="Broken")
    store = app.extensions["store"]
    store.update_job(store.add_job(rid), status="failed",
                     error="the audio is silent; give a recording")
    html = client.get(f"/r/{rid}").get_data(as_text=True)
    assert "the audio is silent" in html and f"transcript-player retry {rid}" in html
    assert "every 1s" not in html


def test_a_running_job_without_progress_stops_polling_and_says_retry(app, client,
                                                                      speech) -> None:
    from datetime import UTC, datetime, timedelta

    from sqlalchemy import update

    from tests.helpers import RAW_TRANSCRIPT
    from webapp.importer import store_recording
    from webapp.store.schema import jobs

    rid = store_recording(app, speech.wav, RAW_TRANSCRIPT, title="Stuck")
    store = app.extensions["store"]
    job = store.add_job(rid)
    store.update_job(job, status="running", stage="aligning", percent=42.0)
    # a fresh running job polls
    assert "every 1s" in client.get(f"/r/{rid}/status",
                                    headers={"HX-Request": "true"}).get_data(as_text=True)
    # ten minutes without a word from its worker
    old = datetime.now(UTC) - timedelta(minutes=10)
    with store.engine.begin() as conn:
        conn.execute(update(jobs).where(jobs.c.id == job).values(updated_at=old))
    for html in (client.get(f"/r/{rid}/status", headers={"HX-Request": "true"})
                 .get_data(as_text=True), client.get(f"/r/{rid}").get_data(as_text=True)):
        assert f"no progress since {old:%Y-%m-%d %H:%M} UTC" in html
        assert f"transcript-player retry {rid}" in html
        assert "hx-trigger" not in html.split('id="job-status"')[1].split(">")[0]
        assert "every 1s" not in html and 'http-equiv="refresh"' not in html


def test_the_captions_track_is_not_loaded_by_default(client, recording) -> None:
    rid, _ = recording
    html = client.get(f"/r/{rid}").get_data(as_text=True)
    track = re.search(r"<track [^>]*>", html).group(0)
    assert "transcript.vtt" in track and not re.search(r"\sdefault\b", track)


def test_set_aside_blocks_show_as_they_were_written(app, client, recording) -> None:
    from dataclasses import replace

    from alignment.syncmap import SetAside

    rid, syncmap = recording
    blocks = (SetAside("heading", "## Opening statements", -1), SetAside("rule", "* * *", 1),
              SetAside("direction", "[laughter]", 2))
    app.extensions["store"].save_alignment(rid, replace(syncmap, set_aside=blocks))
    page = client.get(f"/r/{rid}").get_data(as_text=True)
    assert '<h3 class="set-aside set-aside-heading">Opening statements</h3>' in page
    assert '<hr class="set-aside set-aside-rule" aria-label="* * *"' in page
    assert "set-aside-direction" in page and "[laughter]" in page


def test_speech_not_in_the_transcript_is_shown_and_can_be_skipped(app, client, speech) -> None:
    import dataclasses

    from tests.helpers import add_reading

    rid, syncmap = add_reading(app, speech)
    gappy = dataclasses.replace(syncmap, untranscribed=((1200, 2750), (4000, 5500)))
    app.extensions["store"].save_alignment(rid, gappy)
    html = client.get(f"/r/{rid}").get_data(as_text=True)
    assert html.count('class="untranscribed"') == 2  # grey on the timeline
    assert "Speech not in the transcript" in html
    # each stretch: a link to hear it and one to skip past it, without script too
    assert f'href="/r/{rid}?t=1.200"' in html and f'href="/r/{rid}?t=2.750"' in html
    assert "skip to 0:05" in html
    # kept with the alignment, and in the JSON export
    exported = client.get(f"/r/{rid}/transcript.json")
    assert json.loads(exported.get_data())["untranscribed"][0] == {"begin": 1.2, "end": 2.75}
    # an alignment without any has no such list
    app.extensions["store"].save_alignment(rid, syncmap)
    assert "Speech not in the transcript" not in client.get(f"/r/{rid}").get_data(as_text=True)
