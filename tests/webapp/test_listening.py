"""The player, third round (issue 19), on the server: lines not in the recording, the
search marked in the transcript, the reading and editing modes."""

from __future__ import annotations

from alignment.syncmap import Sentence, SyncMap


def _with_furniture(app) -> str:
    store = app.extensions["store"]
    rid = store.add_recording(title="Furniture", language="eng", transcript="x",
                              audio_name="a", audio_sha256="a", rendition_name="a.mp3",
                              duration_ms=9000)
    store.save_alignment(rid, SyncMap(sentences=(
        Sentence(0, "By our correspondent in Brussels.", None, 0, 0, aligned=False,
                 paragraph=0),
        Sentence(1, "Good evening from Brussels.", "Host", 1000, 3000, paragraph=1),
        Sentence(2, "Twenty three ministers met.", "Host", 3200, 6000, paragraph=1),
    )))
    return rid


def test_a_line_not_in_the_recording_is_no_error_and_has_no_time(app, client) -> None:
    rid = _with_furniture(app)
    html = client.get(f"/r/{rid}").text
    assert "1 line not in the recording" in html  # the legend
    # its paragraph has no time; the spoken one has its time, a <time> in a link
    assert '<p class="unsaid">' in html
    assert ('<time datetime="PT1.000S">0:01</time>' in html
            and f'href="/r/{rid}?t=1.000"' in html)
    assert "PT0.000S" not in html
    # found by a search, it says it is not in the recording and links to where it is
    part = client.get(f"/r/{rid}/search?q=correspondent", headers={"HX-Request": "true"}).text
    assert "not in the recording" in part and 'href="#' in part and "?t=0.000" not in part


def test_the_search_page_marks_the_transcript(app, client) -> None:
    rid = _with_furniture(app)
    html = client.get(f"/r/{rid}/search?q=brusels").text  # a slip
    assert html.count("<mark>Brussels</mark>") == 4  # two hits, each in list and transcript
    html = client.get(f"/r/{rid}/search?q=20").text  # digits find the number's word
    assert html.count("<mark>Twenty</mark>") == 2
