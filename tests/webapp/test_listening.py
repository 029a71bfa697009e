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
