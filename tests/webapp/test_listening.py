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
    assert '<div class="unsaid">' in html  # a block of text, not a timed paragraph
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


def test_the_jobs_percent_is_of_the_whole_job() -> None:
    from webapp.jobs import overall_fraction

    assert overall_fraction("reading", 1.0) < 0.05  # read the transcript: little is done
    assert overall_fraction("decoding", 0.0) == overall_fraction("reading", 1.0)
    assert overall_fraction("aligning", 0.5) < overall_fraction("refining", 0.0)
    assert overall_fraction("refining", 1.0) == 1.0
    steps = [overall_fraction(stage, f) for stage in ("reading", "decoding", "aligning",
                                                      "refining") for f in (0, .5, 1)]
    assert steps == sorted(steps)


def test_an_idle_worker_looks_for_jobs_often(tmp_path) -> None:
    from webapp import create_app
    from webapp.jobs import POLL_MAX_DELAY, start_consumer_threads, stop_consumer_threads

    app = create_app({"TESTING": True, "DATA_DIR": str(tmp_path / "data"),
                      "HUEY_IMMEDIATE": False})
    consumer = start_consumer_threads(app.extensions["huey"])
    try:
        assert consumer.max_delay == POLL_MAX_DELAY <= 1.0
    finally:
        stop_consumer_threads(consumer, timeout=1)
        app.extensions["store"].dispose()


def test_a_job_being_aligned_says_its_step_and_no_false_count(tmp_path, speech) -> None:
    from tests.helpers import RAW_TRANSCRIPT
    from webapp import create_app
    from webapp.importer import store_recording
    from webapp.jobs import enqueue_alignment

    app = create_app({"TESTING": True, "DATA_DIR": str(tmp_path / "data"),
                      "HUEY_IMMEDIATE": False})
    try:
        with app.app_context():
            rid = store_recording(app, speech.wav, RAW_TRANSCRIPT, title="Waiting")
        job = enqueue_alignment(app, rid)
        app.extensions["store"].update_job(job, status="running", stage="reading",
                                           percent=3.0)
        html = app.test_client().get(f"/r/{rid}").text
        assert "0 sentences" not in html and "not aligned yet" in html
        assert "(step 1 of 4)" in html and 'value="3.0"' in html
    finally:
        app.extensions["store"].dispose()


def _talk(app, with_headings: bool) -> str:
    from alignment.syncmap import Kind, SetAside

    store = app.extensions["store"]
    rid = store.add_recording(title="Long talk", language="eng", transcript="x",
                              audio_name="a", audio_sha256="a", rendition_name="a.mp3",
                              duration_ms=600_000)
    sentences, t = [], 0
    for i in range(40):  # 15 s each; the speaker changes every ten sentences
        speaker = ("Ann", "Bo")[i // 10 % 2]
        sentences.append(Sentence(i, f"Sentence number {i} says something here.", speaker,
                                  t, t + 14_000, paragraph=i // 10))
        t += 15_000
    blocks = (SetAside(Kind.HEADING, "# Opening", -1), SetAside(Kind.HEADING, "# Questions", 19),
              ) if with_headings else ()
    store.save_alignment(rid, SyncMap(sentences=tuple(sentences), set_aside=blocks,
                                      duration=600_000))
    return rid


def test_chapters_from_headings_and_from_turns(app, client) -> None:
    import json

    from webapp.chapters import chapters

    rid = _talk(app, with_headings=True)
    store = app.extensions["store"]
    items = chapters(store.load_syncmap(store.get_recording_info(rid)))
    assert [(c.begin, c.title) for c in items] == [(0, "Opening"), (300_000, "Questions")]
    vtt = client.get(f"/r/{rid}/chapters.vtt")
    assert vtt.status_code == 200 and vtt.mimetype == "text/vtt"
    assert "00:05:00.000 --> 00:10:00.000\nQuestions" in vtt.text
    doc = json.loads(client.get(f"/r/{rid}/chapters.json").text)
    assert doc["version"] == "1.2.0"
    assert doc["chapters"][1] == {"startTime": 300.0, "endTime": 600.0, "title": "Questions"}
    html = client.get(f"/r/{rid}").text
    assert 'class="chapters"' in html and 'kind="chapters"' in html
    assert html.count('class="chapter-mark"') == 1  # the timeline's mark between the two
    # without headings: the turns make the outline, each titled by who speaks
    rid = _talk(app, with_headings=False)
    items = chapters(store.load_syncmap(store.get_recording_info(rid)))
    assert [c.begin for c in items] == [0, 150_000, 300_000, 450_000]
    assert items[1].title.startswith("Bo: Sentence number 10")


def test_a_short_recording_has_no_chapters(app, client, recording) -> None:
    rid, _ = recording
    assert client.get(f"/r/{rid}/chapters.vtt").status_code == 404
    assert 'class="chapters"' not in client.get(f"/r/{rid}").text
