"""Exports, the seek-safe rendition, and byte-range serving of the audio."""

from __future__ import annotations

import json
import subprocess

import pytest

from alignment import formats
from webapp.media import make_rendition, media_path, remove_media, store_file


def test_json_export_is_the_alignment_contract(client, recording) -> None:
    rid, syncmap = recording
    r = client.get(f"/r/{rid}/transcript.json")
    assert r.status_code == 200
    assert r.mimetype == "application/json"
    doc = json.loads(r.get_data(as_text=True))
    assert [s["id"] for s in doc["sentences"]] == [s.id for s in syncmap.sentences]
    assert doc["sentences"][3]["begin"] == syncmap.sentences[3].begin / 1000
    assert doc["sentences"][3]["speaker"] == "Guest"
    assert len(doc["set_aside"]) == len(syncmap.set_aside)
    back = formats.read(r.get_data(as_text=True), "json")
    assert [(s.begin, s.end, s.text) for s in back.sentences] == [
        (s.begin, s.end, s.text) for s in syncmap.sentences]


@pytest.mark.parametrize(("ext", "mimetype", "opening"), [
    ("vtt", "text/vtt", "WEBVTT"),
    ("srt", "application/x-subrip", "1\n{begin} --> {end}"),
])
def test_caption_exports(client, recording, ext, mimetype, opening) -> None:
    rid, syncmap = recording
    r = client.get(f"/r/{rid}/transcript.{ext}")
    assert r.status_code == 200 and r.mimetype == mimetype
    assert r.headers["Content-Type"].endswith("charset=utf-8")
    text = r.get_data(as_text=True)
    first = syncmap.sentences[0]
    assert text.startswith(opening.format(begin=_srt_time(first.begin),
                                          end=_srt_time(first.end)))
    assert "The café on the pier opens at nine." in text
    assert f'filename="harbour-talk.{ext}"' in r.headers["Content-Disposition"]


def _srt_time(ms: int) -> str:
    """An SRT time, written out here rather than by the code under test."""
    return f"{ms // 3_600_000:02d}:{ms // 60_000 % 60:02d}:{ms // 1000 % 60:02d},{ms % 1000:03d}"


def test_unknown_export_and_recording(client, recording) -> None:
    rid, _ = recording
    r = client.get(f"/r/{rid}/transcript.pdf")
    assert r.status_code == 404 and "transcript.vtt" in r.get_data(as_text=True)
    assert "transcript.TextGrid" in r.get_data(as_text=True)
    assert client.get("/r/nope/transcript.json").status_code == 404


def _praat_tiers(text: str, tmp_path) -> dict[str, list[tuple[float, float, str]]]:
    """The TextGrid read by praatio (an independent parser): each tier's intervals."""
    from praatio import textgrid as praat

    path = tmp_path / "export.TextGrid"
    path.write_text(text, encoding="utf-8")
    grid = praat.openTextgrid(str(path), includeEmptyIntervals=True)
    return {name: [(i.start, i.end, i.label) for i in grid.getTier(name).entries]
            for name in grid.tierNames}


def test_textgrid_export(client, recording, tmp_path) -> None:
    rid, syncmap = recording
    r = client.get(f"/r/{rid}/transcript.TextGrid")
    assert r.status_code == 200 and r.mimetype == "text/plain"
    assert r.headers["Content-Type"].endswith("charset=utf-8")
    assert 'filename="harbour-talk.TextGrid"' in r.headers["Content-Disposition"]
    tiers = _praat_tiers(r.get_data(as_text=True), tmp_path)
    assert list(tiers) == ["sentences", "words"]
    said = [(b, e, text) for b, e, text in tiers["sentences"] if text]
    assert said == [(s.begin / 1000, s.end / 1000, s.text) for s in syncmap.sentences]
    assert tiers["sentences"][-1][1] == syncmap.duration / 1000  # to the recording's end
    # the store keeps sentences only, for now: the words tier is one empty interval
    assert tiers["words"] == [(0.0, syncmap.duration / 1000, "")]
    html = client.get(f"/r/{rid}").get_data(as_text=True)
    assert f'href="/r/{rid}/transcript.TextGrid" download type="text/plain"' in html
    assert client.get(f"/r/{rid}/transcript.textgrid").status_code == 404  # one address


def test_exports_carry_the_words_the_alignment_gives(app, client, recording, monkeypatch,
                                                     tmp_path) -> None:
    """The web exports are the library's: words with times reach every one of them."""
    from dataclasses import replace

    from alignment.syncmap import Word, split_words

    rid, syncmap = recording
    first = syncmap.sentences[0]  # "Welcome to the transcript player."
    step = (first.end - first.begin) // 5
    worded = replace(first, words=tuple(
        Word(w, first.begin + k * step, first.begin + (k + 1) * step)
        for k, w in enumerate(split_words(first.text))))
    store = app.extensions["store"]
    monkeypatch.setattr(store, "load_syncmap",
                        lambda rec: replace(syncmap, sentences=(worded, *syncmap.sentences[1:])))
    vtt = client.get(f"/r/{rid}/transcript.vtt").get_data(as_text=True)
    stamp = _vtt_time(first.begin + step)
    assert f"<v Host>Welcome <{stamp}>to " in vtt
    words = _praat_tiers(client.get(f"/r/{rid}/transcript.TextGrid").get_data(as_text=True),
                         tmp_path)["words"]
    assert [w[2] for w in words if w[2]] == ["Welcome", "to", "the", "transcript", "player."]


def _vtt_time(ms: int) -> str:
    return _srt_time(ms).replace(",", ".")


def test_an_export_the_timings_cannot_fill_says_why(app, client, recording,
                                                    monkeypatch) -> None:
    from dataclasses import replace

    rid, syncmap = recording
    a, b = syncmap.sentences[:2]
    overlapping = replace(syncmap, sentences=(a, replace(b, begin=a.end - 100),
                                              *syncmap.sentences[2:]))
    monkeypatch.setattr(app.extensions["store"], "load_syncmap", lambda rec: overlapping)
    r = client.get(f"/r/{rid}/transcript.TextGrid")
    assert r.status_code == 409
    assert "cannot be written as TextGrid" in r.get_data(as_text=True)
    assert "cannot overlap" in r.get_data(as_text=True)
    assert client.get(f"/r/{rid}/transcript.vtt").status_code == 200  # captions may overlap


def _audio_name(app, rid: str) -> str:
    return app.extensions["store"].get_recording(rid).rendition_name


def test_audio_answers_byte_ranges(app, client, recording) -> None:
    rid, _ = recording
    url = f"/media/{_audio_name(app, rid)}"
    whole = client.get(url)
    assert whole.status_code == 200 and whole.mimetype == "audio/mpeg"
    assert whole.headers["Accept-Ranges"] == "bytes"
    size = len(whole.data)
    r = client.get(url, headers={"Range": "bytes=0-99"})
    assert r.status_code == 206
    assert r.headers["Content-Range"] == f"bytes 0-99/{size}"
    assert r.data == whole.data[:100]
    r = client.get(url, headers={"Range": "bytes=1000-"})
    assert r.status_code == 206 and r.data == whole.data[1000:]
    r = client.get(url, headers={"Range": "bytes=-50"})
    assert r.status_code == 206 and r.data == whole.data[-50:]
    r = client.get(url, headers={"Range": f"bytes={size + 10}-"})
    assert r.status_code == 416
    assert "immutable" in whole.headers["Cache-Control"]


@pytest.mark.parametrize("name", [
    "../transcript-player.sqlite3", "%2e%2e%2fqueue.sqlite3", "abc.mp3", "0" * 64 + ".mp3",
    "0" * 64, "x" * 64 + ".mp3",
])
def test_media_names_outside_the_store_are_404(client, recording, name: str) -> None:
    assert client.get(f"/media/{name}").status_code == 404


def _probe(path) -> dict:
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-show_entries", "stream=codec_name,bit_rate,channels",
         "-of", "json", str(path)], capture_output=True, text=True, check=True).stdout
    return json.loads(out)["streams"][0]


def test_rendition_is_constant_bitrate_mp3(app, speech, tmp_path) -> None:
    media = tmp_path / "media"
    # start from a variable-bitrate MP3, the kind browsers seek inexactly
    vbr = tmp_path / "vbr.mp3"
    subprocess.run(["ffmpeg", "-v", "error", "-i", str(speech.wav), "-codec:a", "libmp3lame",
                    "-q:a", "6", str(vbr)], check=True)
    out = make_rendition(vbr, media)
    assert out.path.name == f"{out.sha256}.mp3" and out.path.parent == media
    info = _probe(out.path)
    assert info["codec_name"] == "mp3" and info["bit_rate"] == "64000"
    assert info["channels"] == 1
    # CBR: every frame has the same size, so the byte offset of a time is exact
    frames = subprocess.run(
        ["ffprobe", "-v", "error", "-show_entries", "packet=size", "-of", "csv=p=0",
         str(out.path)], capture_output=True, text=True, check=True).stdout.split()
    assert len(set(map(int, frames[1:-1]))) <= 2  # 417/418 bytes with padding at 44.1 kHz


def test_store_file_is_content_addressed(speech, tmp_path) -> None:
    media = tmp_path / "media"
    a = store_file(speech.wav, media)
    b = store_file(speech.wav, media)
    assert a == b and a.name.endswith(".wav")
    assert sorted(p.name for p in media.iterdir()) == [a.name]
    assert media_path(media, a.name) == a.path
    assert media_path(media, "../" + a.name) is None


def test_remove_media_deletes_only_names_of_its_own(tmp_path) -> None:
    """A name from a row is checked before a file goes: a path, or a name that is not
    `<sha256>.<ext>`, deletes nothing, inside the media folder or out of it."""
    media = tmp_path / "media"
    media.mkdir()
    ours = media / f"{'a' * 64}.mp3"
    ours.write_bytes(b"x")
    outside = tmp_path / f"{'b' * 64}.mp3"
    outside.write_bytes(b"y")
    other = media / "notes.txt"
    other.write_bytes(b"z")
    for name in (f"../{outside.name}", str(outside), "notes.txt", "", f"{'a' * 64}.mp3/"):
        assert remove_media(media, name) is False
    assert outside.exists() and other.exists() and ours.exists()
    assert remove_media(media, ours.name) is True
    assert not ours.exists()
    assert remove_media(media, ours.name) is True  # already gone: still ours, no error


def test_unreadable_audio_is_a_clear_error(tmp_path) -> None:
    from alignment.errors import AudioError

    bad = tmp_path / "notes.mp3"
    bad.write_text("this is not audio")
    with pytest.raises(AudioError, match="notes.mp3"):
        make_rendition(bad, tmp_path / "media")
    assert not list((tmp_path / "media").glob("*.part"))


def test_exports_stay_while_a_realignment_runs(app, client, recording) -> None:
    rid, syncmap = recording
    app.extensions["store"].add_job(rid)  # a retry: the recording is queued again
    assert app.extensions["store"].get_recording(rid).status == "queued"
    for ext in ("json", "vtt", "srt", "TextGrid"):
        r = client.get(f"/r/{rid}/transcript.{ext}")
        assert r.status_code == 200, ext
    assert syncmap.sentences[3].text in client.get(f"/r/{rid}/transcript.vtt").get_data(
        as_text=True)
    html = client.get(f"/r/{rid}").get_data(as_text=True)
    assert f'href="/r/{rid}/transcript.srt"' in html


def test_a_failed_import_takes_its_audio_away_unless_another_uses_it(app, speech,
                                                                    monkeypatch) -> None:
    from pathlib import Path

    from alignment.errors import AudioError
    from tests.helpers import RAW_TRANSCRIPT
    from webapp import importer

    media = Path(app.config["MEDIA_DIR"])

    def broken_encoder(src, media_dir, claim=None):
        raise AudioError("ffmpeg cannot encode this")

    real = importer.make_rendition
    monkeypatch.setattr(importer, "make_rendition", broken_encoder)
    with pytest.raises(AudioError):
        importer.store_recording(app, speech.wav, RAW_TRANSCRIPT, title="Broken")
    assert list(media.iterdir()) == []  # nothing left behind
    # the same audio, already a recording: its file stays when a second import fails
    monkeypatch.setattr(importer, "make_rendition", real)
    rid = importer.store_recording(app, speech.wav, RAW_TRANSCRIPT, title="Fine")
    kept = sorted(media.iterdir())
    monkeypatch.setattr(importer, "make_rendition", broken_encoder)
    with pytest.raises(AudioError):
        importer.store_recording(app, speech.wav, RAW_TRANSCRIPT, title="Broken again")
    assert sorted(media.iterdir()) == kept
    assert (media / app.extensions["store"].get_recording(rid).audio_name).is_file()


def test_rendition_is_hashed_once_and_renamed_into_place(speech, tmp_path,
                                                         monkeypatch) -> None:
    import os

    from alignment import sha256_file
    from webapp import media as media_module

    hashed: list[str] = []
    encoded: list[int] = []  # the inode of each file the encoder wrote
    encode = media_module.encode_rendition

    def counting_hash(path):
        hashed.append(str(path))
        return sha256_file(path)

    def watched_encode(src, dst, **kwargs):
        encode(src, dst, **kwargs)
        encoded.append(os.stat(dst).st_ino)

    monkeypatch.setattr(media_module, "sha256_file", counting_hash)
    monkeypatch.setattr(media_module, "encode_rendition", watched_encode)
    media = tmp_path / "media"
    out = make_rendition(speech.wav, media)
    assert out.sha256 == sha256_file(out.path) and out.name == f"{out.sha256}.mp3"
    assert len(hashed) == 1  # hashed once, where it was encoded
    assert out.path.stat().st_ino == encoded[0]  # the encoded file itself: renamed, not copied
    assert [p.name for p in media.iterdir()] == [out.name]  # no temporary file left
    again = make_rendition(speech.wav, media)  # the same encoding: the same file
    assert again == out and [p.name for p in media.iterdir()] == [out.name]
    assert out.path.stat().st_ino == encoded[0]  # the one already there is kept


def test_text_and_word_downloads_have_speakers_and_times(client, recording) -> None:
    import io

    import docx

    rid, syncmap = recording
    r = client.get(f"/r/{rid}/transcript.txt")
    assert r.status_code == 200 and r.mimetype == "text/plain"
    text = r.get_data(as_text=True)
    assert text.startswith("Harbour talk\n")
    assert "HOST:\n[0:01] Welcome to the transcript player. Today we talk about the old " \
           "harbour bridge.\n" in text
    assert "GUEST:\n[0:05] Thank you for having me.\n" in text
    assert "[0:07] The café on the pier opens at nine." in text
    assert "Episode 12" not in text  # page furniture is left out, as on paper
    r = client.get(f"/r/{rid}/transcript.docx")
    assert r.status_code == 200
    assert r.mimetype == ("application/vnd.openxmlformats-officedocument."
                          "wordprocessingml.document")
    assert r.headers["Content-Disposition"].startswith("attachment;")
    doc = docx.Document(io.BytesIO(r.data))
    paragraphs = [p.text for p in doc.paragraphs]
    assert paragraphs[0] == "Harbour talk"
    assert paragraphs[1] == "HOST"
    assert doc.paragraphs[1].runs[0].bold
    assert paragraphs[2] == ("[0:01] Welcome to the transcript player. Today we talk about "
                             "the old harbour bridge.")
    assert "GUEST" in paragraphs and "[0:12] That is all for today." in paragraphs
