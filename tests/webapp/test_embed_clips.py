"""Embeds, oEmbed and clips as the server answers them."""

from __future__ import annotations

import json
import subprocess
from urllib.parse import parse_qs, urlsplit

import pytest


def test_only_the_embed_may_be_framed_by_others(client, recording) -> None:
    rid, _ = recording
    embed = client.get(f"/r/{rid}/embed?t=8.5&end=13")
    assert embed.status_code == 200
    assert "frame-ancestors *" in embed.headers["Content-Security-Policy"]
    assert "script-src 'self'" in embed.headers["Content-Security-Policy"]
    html = embed.get_data(as_text=True)
    assert 'data-embed' in html and 'data-start="8.500"' in html and 'data-end="13.000"' in html
    assert f'href="http://localhost/r/{rid}?t=8.5&amp;end=13"' in html  # a link out
    for url in ("/", f"/r/{rid}", f"/r/{rid}/search?q=x", f"/r/{rid}/transcript.vtt"):
        assert "frame-ancestors 'self'" in client.get(url).headers["Content-Security-Policy"]


def test_player_pages_advertise_oembed(client, recording) -> None:
    rid, _ = recording
    html = client.get(f"/r/{rid}?t=8.5").get_data(as_text=True)
    link = html.split('type="application/json+oembed" href="', 1)[1].split('"', 1)[0]
    query = parse_qs(urlsplit(link.replace("&amp;", "&")).query)
    assert query["url"] == [f"http://localhost/r/{rid}?t=8.5"]
    assert query["format"] == ["json"]


def test_oembed_answers_a_rich_iframe(client, recording) -> None:
    rid, syncmap = recording
    s = syncmap.sentences[3]
    r = client.get("/oembed", query_string={"url": f"http://localhost/r/{rid}/s/{s.id}",
                                            "format": "json", "maxwidth": "400"})
    assert r.status_code == 200 and r.mimetype == "application/json"
    data = json.loads(r.data)
    assert data["version"] == "1.0" and data["type"] == "rich"
    assert data["title"] == "Harbour talk" and data["width"] == 400
    assert data["height"] > 0 and data["provider_name"]
    src = data["html"].split('src="', 1)[1].split('"', 1)[0].replace("&amp;", "&")
    assert src == f"http://localhost/r/{rid}/embed?t={s.begin / 1000:g}"
    assert data["html"].startswith("<iframe ") and 'title="Harbour talk' in data["html"]
    # the range of a ?t=&end= link is kept
    r = client.get("/oembed", query_string={"url": f"http://localhost/r/{rid}?t=2&end=5"})
    assert "embed?t=2&amp;end=5" in json.loads(r.data)["html"]


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ({"url": "http://localhost/r/nothing-here"}, 404),
        ({"url": "http://elsewhere.example/r/x"}, 404),
        ({"url": "http://localhost/library"}, 404),
        ({}, 400),
        ({"url": "http://localhost/r/{rid}", "format": "xml"}, 501),
        ({"url": "http://localhost/r/{rid}", "maxwidth": "wide"}, 400),
    ],
)
def test_oembed_refuses_what_it_cannot_embed(client, recording, query, status) -> None:
    rid, _ = recording
    query = {k: v.format(rid=rid) for k, v in query.items()}
    r = client.get("/oembed", query_string=query)
    assert r.status_code == status, r.data


def ffprobe(path) -> dict:
    out = subprocess.run(["ffprobe", "-v", "error", "-show_entries",
                          "format=duration:format_tags", "-of", "json", str(path)],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out)["format"]


def test_a_clip_is_the_quoted_range_with_its_words_in_the_tags(client, recording,
                                                              tmp_path) -> None:
    rid, syncmap = recording
    a, b = syncmap.sentences[3], syncmap.sentences[4]
    start, end = a.begin / 1000, b.end / 1000
    r = client.get(f"/r/{rid}/clip.mp3?t={start}&end={end}")
    assert r.status_code == 200 and r.mimetype == "audio/mpeg"
    assert r.headers["Content-Disposition"].startswith('attachment; filename="harbour-talk-')
    assert "Content-Encoding" not in r.headers  # audio is not gzipped
    path = tmp_path / "clip.mp3"
    path.write_bytes(r.data)
    info = ffprobe(path)
    assert abs(float(info["duration"]) - (end - start)) < 0.1, info["duration"]
    tags = {k.lower(): v for k, v in info["tags"].items()}
    assert tags["title"].startswith("Harbour talk (0:")
    assert a.text in tags["comment"] and b.text in tags["comment"]
    assert tags["artist"] == "Guest"


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("t=2", "needs a start and an end"),
        ("end=3", "needs a start and an end"),
        ("t=abc&end=3", "needs a start and an end"),
        ("t=5&end=4", "does not come after its start"),
        ("t=99&end=100", "not inside the recording"),
    ],
)
def test_a_clip_needs_a_range_inside_the_recording(client, recording, query, message) -> None:
    rid, _ = recording
    r = client.get(f"/r/{rid}/clip.mp3?{query}")
    assert r.status_code == 400
    assert message in r.get_data(as_text=True)


def test_a_clip_is_at_most_five_minutes(client, long_recording, tmp_path) -> None:
    rid, _ = long_recording
    r = client.get(f"/r/{rid}/clip.mp3?t=10&end=310.001")
    assert r.status_code == 400
    assert "at most 5 minutes" in r.get_data(as_text=True)
    r = client.get(f"/r/{rid}/clip.mp3?t=10&end=310")  # exactly five minutes is fine
    assert r.status_code == 200
    (tmp_path / "five.mp3").write_bytes(r.data)
    assert abs(float(ffprobe(tmp_path / "five.mp3")["duration"]) - 300) < 0.2
