"""How responses travel: compressed, cached for good when versioned, varied for htmx."""

from __future__ import annotations

import gzip
import re


def test_pages_scripts_and_styles_are_gzipped(client, recording) -> None:
    rid, _ = recording
    html = client.get(f"/r/{rid}").get_data(as_text=True)
    assets = re.findall(r'(?:src|href)="(/static/[^"]+)"', html)
    assert any("player.css" in a for a in assets) and any("player.js" in a for a in assets)
    for url in [f"/r/{rid}", "/", *assets, f"/r/{rid}/transcript.vtt"]:
        plain = client.get(url)
        packed = client.get(url, headers={"Accept-Encoding": "gzip, br"})
        assert packed.status_code == 200, url
        if len(plain.data) < 512:
            continue
        assert packed.headers.get("Content-Encoding") == "gzip", url
        assert "Accept-Encoding" in packed.headers["Vary"], url
        assert gzip.decompress(packed.data) == plain.data, url
        assert len(packed.data) < len(plain.data) * (0.6 if len(plain.data) > 4096 else 0.9), url
    # not asked for: not sent
    assert "Content-Encoding" not in client.get("/").headers


def test_audio_is_not_gzipped_and_ranges_still_work(client, recording) -> None:
    rid, _ = recording
    html = client.get(f"/r/{rid}").get_data(as_text=True)
    media = re.search(r'src="(/media/[0-9a-f]{64}\.mp3)', html).group(1)
    r = client.get(media, headers={"Accept-Encoding": "gzip", "Range": "bytes=0-99"})
    assert r.status_code == 206 and len(r.data) == 100
    assert "Content-Encoding" not in r.headers


def test_versioned_assets_are_cached_for_a_year(client, recording) -> None:
    rid, _ = recording
    html = client.get(f"/r/{rid}").get_data(as_text=True)
    css = re.search(r'href="(/static/player\.css\?v=[0-9a-f]+)"', html).group(1)
    r = client.get(css)
    cc = r.headers["Cache-Control"]
    assert "max-age=31536000" in cc and "immutable" in cc and "no-cache" not in cc
    # the same file asked for without (or with a stale) version is revalidated
    for url in ("/static/player.css", "/static/player.css?v=0000000000"):
        cc = client.get(url).headers["Cache-Control"]
        assert "immutable" not in cc and "no-cache" in cc, url
    # a gzipped answer still revalidates to 304 with its (weak) validator
    packed = client.get(css, headers={"Accept-Encoding": "gzip"})
    again = client.get(css, headers={"Accept-Encoding": "gzip",
                                     "If-None-Match": packed.headers["ETag"]})
    assert again.status_code == 304


def test_htmx_partials_vary_on_the_htmx_headers(client, recording) -> None:
    rid, _ = recording
    for url in ("/search?q=bridge", f"/r/{rid}/search?q=bridge"):
        partial = client.get(url, headers={"HX-Request": "true"})
        page = client.get(url)
        assert "HX-Request" in partial.headers["Vary"] and "HX-Request" in page.headers["Vary"]
        assert "<html" not in partial.get_data(as_text=True)
        assert "<html" in page.get_data(as_text=True)
