"""The real-speech benchmark's offline parts: TextGrid reading, sentences from words,
the word scorer, the case folder from a tiny sdist, the tables."""

import io
import json
import tarfile
import wave

import pytest

from benchmarks import real_speech as rs
from testsupport.score import score_words, words_from_dict

LONG = """File type = "ooTextFile"
Object class = "TextGrid"

xmin = 0
xmax = 3.0
tiers? <exists>
size = 2
item []:
    item [1]:
        class = "IntervalTier"
        name = "words"
        xmin = 0
        xmax = 3.0
        intervals: size = 7
        intervals [1]:
            xmin = 0
            xmax = 0.2
            text = ""
        intervals [2]:
            xmin = 0.2
            xmax = 0.5
            text = "um"
        intervals [3]:
            xmin = 0.5
            xmax = 0.9
            text = "hello"
        intervals [4]:
            xmin = 0.9
            xmax = 1.3
            text = "there"
        intervals [5]:
            xmin = 1.3
            xmax = 1.8
            text = ""
        intervals [6]:
            xmin = 1.8
            xmax = 2.4
            text = "i'm [1] ""fine"" ok"
        intervals [7]:
            xmin = 2.4
            xmax = 3.0
            text = ""
    item [2]:
        class = "TextTier"
        name = "points"
        xmin = 0
        xmax = 3.0
        points: size = 1
        points [1]:
            number = 1.5
            mark = "x"
"""

SHORT = """File type = "ooTextFile"
Object class = "TextGrid"

0
3.0
<exists>
1
"IntervalTier"
"words"
0
3.0
3
0
0.5
""
0.5
0.9
"hello"
0.9
3.0
"there
friend"
"""

WORDS = [(0.0, 0.2, ""), (0.2, 0.5, "um"), (0.5, 0.9, "hello"), (0.9, 1.3, "there"),
         (1.3, 1.8, ""), (1.8, 2.4, 'i\'m [1] "fine" ok'), (2.4, 3.0, "")]


def test_the_long_format_is_read_with_its_tiers_and_escaped_quotes():
    tiers = rs.parse_textgrid(LONG)
    assert list(tiers) == ["words", "points"]
    assert tiers["words"] == WORDS
    assert tiers["points"] == [(1.5, 1.5, "x")]


def test_the_short_format_gives_the_same_values():
    tiers = rs.parse_textgrid(SHORT.encode("utf-16"))
    assert tiers == {"words": [(0.0, 0.5, ""), (0.5, 0.9, "hello"),
                               (0.9, 3.0, "there\nfriend")]}


def test_not_a_textgrid_is_refused():
    with pytest.raises(ValueError):
        rs.parse_textgrid('File type = "ooTextFile"\nObject class = "Pitch 1"\n')


def test_words_flag_fillers_and_noises():
    ws = rs.words_of(WORDS, "a", offset=10.0)
    assert [w["text"] for w in ws] == ["um", "hello", "there", 'i\'m [1] "fine" ok']
    assert [bool(w.get("filler")) for w in ws] == [True, False, False, False]
    assert ws[0]["begin"] == 10.2
    assert rs.is_filler("<VOCNOISE>") and rs.is_filler("[laugh]") and rs.is_filler("Uh")
    assert not rs.is_filler("umbrella")


def _w(text, a, b, speaker="a", filler=False):
    w = {"text": text, "begin": a, "end": b, "speaker": speaker}
    if filler:
        w["filler"] = True
    return w


def test_sentences_break_at_pauses_and_a_leading_filler_counts_in_the_begin():
    words = [_w("um", 0.2, 0.5, filler=True), _w("hello", 0.5, 0.9), _w("there", 1.1, 1.3),
             _w("i'm", 1.8, 2.0), _w("fine", 2.0, 2.4), _w("uh", 2.45, 2.6, filler=True)]
    s = rs.group_sentences(words)
    assert [x["text"] for x in s] == ["Hello there.", "I'm fine."]
    assert (s[0]["begin"], s[0]["end"]) == (0.2, 1.3)
    assert (s[1]["begin"], s[1]["end"]) == (1.8, 2.6)


def test_fillers_alone_join_the_next_sentence_and_speakers_split():
    words = [_w("hi", 0.0, 0.3), _w("uh", 1.0, 1.2, filler=True), _w("so", 2.0, 2.2),
             _w("yes", 2.25, 2.5, speaker="b"), _w("um", 4.0, 4.2, "b", filler=True)]
    s = rs.group_sentences(words)
    assert [(x["speaker"], x["text"], x["begin"], x["end"]) for x in s] == [
        ("a", "Hi.", 0.0, 0.3), ("a", "So.", 1.0, 2.2), ("b", "Yes.", 2.25, 4.2)]


def test_word_scorer_pairs_words_in_order_and_skips_fillers():
    truth = {"words": [_w("um", 0.2, 0.5, filler=True), _w("hello", 0.5, 0.9),
                       _w("there", 1.1, 1.3), _w("friend", 1.3, 1.6)]}
    # "hello" anywhere in the filler or before it: the filler is sound, so 0.3 is off by 0.2
    s = score_words(truth, [(0.3, "Hello"), (1.0, "there"), (1.36, "friend,")])
    assert s["words"] == 3 and s["matched"] == 3
    assert s["within_100ms"] == pytest.approx(2 / 3, abs=1e-3)
    assert s["within_50ms"] == pytest.approx(1 / 3, abs=1e-3)
    assert s["max_err"] == pytest.approx(0.2)
    assert score_words({"sentences": []}, []) is None
    missing = score_words(truth, [(1.1, "there")])
    assert missing["matched"] == 1 and missing["within_100ms"] == pytest.approx(0.333)


def test_words_from_predictions():
    assert words_from_dict({"sentences": [{"text": "A b.", "begin": 0.0}]}) is None
    assert words_from_dict({"sentences": [{"text": "A b.", "begin": 0.0, "words": [
        {"text": "A", "begin": 0.0}, {"text": "b", "begin_ms": 500}]}]}) == [
        (0.0, "A"), (0.5, "b")]
    assert words_from_dict({"fragments": [{"begin": "1.5", "lines": ["b"]}]}) == [(1.5, "b")]


def _sdist(tmp_path, name="demo", version="1.0"):
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(8000)
        w.writeframes(b"\0\0" * 24000)
    folder = tmp_path / "sdists"
    folder.mkdir()
    path = folder / f"{name}-{version}.tar.gz"
    with tarfile.open(path, "w:gz") as tar:
        for member, data in ((f"{name}-{version}/data/a.wav", buf.getvalue()),
                             (f"{name}-{version}/data/a.TextGrid", LONG.encode())):
            info = tarfile.TarInfo(member)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


def test_a_case_folder_from_a_cached_sdist(tmp_path, monkeypatch):
    _sdist(tmp_path)
    monkeypatch.setitem(rs.SOURCES, "demo", rs.Source("demo", "1.0", "MIT"))
    spec = rs.CaseSpec("demo-a", "demo", "data/a.wav",
                       (rs.Tier("data/a.TextGrid", "words", "a"),), "test")
    d = rs.build_case(spec, tmp_path, tmp_path / "cases")
    assert (d / "audio.wav").exists()
    assert (d / "transcript.txt").read_text() == 'Hello there.\nI\'m [1] "fine" ok.\n'
    truth = json.loads((d / "truth.json").read_text())
    assert truth["duration"] == 3.0
    assert truth["sentences"][0] == {"speaker": "a", "text": "Hello there.", "begin": 0.2,
                                     "end": 1.3, "word_begin": 0.5}
    assert rs.lenient(truth)["sentences"][0]["begin"] == 0.5
    assert len(truth["words"]) == 4
    assert truth["source"]["licence"] == "MIT"


def test_the_sentence_table_pools_over_cases():
    def result(case, errs):
        return {"case": case, "duration": 10.0, "sentences": len(errs), "words": 2,
                "kind": "k", "speakers": ["a"], "source": {},
                "tools": {"ours": {"ok": True, "wall": 1.0, "errors": errs,
                                   "score": {"within_100ms": 0.5}}}}
    rows = [result("x", [0.0, 0.5]), result("y", [0.05, None, 0.0, 0.2])]
    assert rs.pooled(rows, "ours") == 0.5
    assert rs.pooled(rows, "aeneas") == 0.0
    assert "| **pooled** | 20.0 | 6 | 0.500 / 0.000 |" in rs.sentence_table(rows)


SPHINX = ('{"b":0.000,"d":2.0,"p":1.0,"t":"and he","w":[{"b":0.000,"d":0.200,"p":0.9,"t":"<sil>"},'
          '{"b":0.200,"d":0.170,"p":0.9,"t":"and(2)"},{"b":0.370,"d":0.260,"p":0.9,"t":"he"},'
          '{"b":0.630,"d":0.050,"p":0.9,"t":"[NOISE]"},{"b":0.680,"d":0.3,"p":0.9,"t":"</s>"}]}\n')


def test_a_pocketsphinx_alignment_gives_words_without_silences_or_variant_marks():
    assert rs.parse_sphinx_json(SPHINX) == [(0.0, 0.2, ""), (0.2, 0.37, "and"),
                                            (0.37, 0.63, "he"), (0.63, 0.68, "[NOISE]"),
                                            (0.68, 0.98, "")]
    ws = rs.words_of(rs.parse_sphinx_json(SPHINX.encode()), "r")
    assert [(w["text"], bool(w.get("filler"))) for w in ws] == [
        ("and", False), ("he", False), ("[NOISE]", True)]


def _wav(seconds, rate=8000):
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(b"\0\0" * int(seconds * rate))
    return buf.getvalue()


def test_pieces_are_joined_into_one_recording(tmp_path):
    out = tmp_path / "a.wav"
    assert rs.join_wavs([_wav(1.5), _wav(0.25), _wav(1.0)], out) == [0.0, 1.5, 1.75]
    assert rs.duration_of(out) == 2.75
    with pytest.raises(ValueError):
        rs.join_wavs([_wav(1.0), _wav(1.0, rate=16000)], tmp_path / "b.wav")


def test_a_case_of_several_pieces_moves_each_reference_to_its_piece(tmp_path, monkeypatch):
    folder = tmp_path / "sdists"
    folder.mkdir()
    with tarfile.open(folder / "demo-1.0.tar.gz", "w:gz") as tar:
        for member, data in (("a.wav", _wav(2.0)), ("b.wav", _wav(1.0)),
                             ("a.json", SPHINX.encode()), ("b.json", SPHINX.encode())):
            info = tarfile.TarInfo("demo-1.0/" + member)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    monkeypatch.setitem(rs.SOURCES, "demo", rs.Source("demo", "1.0", "BSD"))
    spec = rs.CaseSpec("demo-ab", "demo", ("a.wav", "b.wav"),
                       (rs.Tier("a.json", "", "r"), rs.Tier("b.json", "", "r", piece=1)),
                       "read")
    d = rs.build_case(spec, tmp_path, tmp_path / "cases")
    truth = json.loads((d / "truth.json").read_text())
    assert truth["duration"] == 3.0
    assert [(w["text"], w["begin"]) for w in truth["words"]] == [
        ("and", 0.2), ("he", 0.37), ("[NOISE]", 0.63), ("and", 2.2), ("he", 2.37),
        ("[NOISE]", 2.63)]
    assert (d / "transcript.txt").read_text() == "And he.\nAnd he.\n"
    assert truth["source"]["audio"] == "{a,b}.wav"
    assert truth["source"]["references"] == ["{a,b}.json"]
    assert rs.compact(["x/u-0870.wav", "x/u-0880.wav"]) == "x/u-{0870,0880}.wav"
    assert rs.compact(["one.TextGrid"]) == "one.TextGrid"


def test_the_librivox_case_names_its_five_utterances_in_order():
    spec = next(c for c in rs.CASES if c.name == "librivox-austen")
    assert len(spec.pieces) == len(spec.tiers) == 5
    assert [t.piece for t in spec.tiers] == list(range(5))
    assert all(a.removesuffix(".wav") == t.path.removesuffix(".json")
               for a, t in zip(spec.pieces, spec.tiers, strict=True))
    assert "public domain" in rs.SOURCES[spec.source].licence


def test_pieces_that_are_utterances_end_a_sentence_at_their_join():
    words = [_w("carrots", 0.1, 0.6), _w("vitamins", 0.7, 1.78), _w("carrots", 1.98, 2.4),
             _w("good", 2.5, 2.7)]
    assert [x["text"] for x in rs.group_sentences(words)] == [
        "Carrots vitamins carrots good."]
    s = rs.group_sentences(words, breaks=(1.86,))
    assert [(x["text"], x["begin"]) for x in s] == [("Carrots vitamins.", 0.1),
                                                    ("Carrots good.", 1.98)]


def test_the_promo_case_names_its_pieces_and_their_word_tiers_in_order():
    spec = next(c for c in rs.CASES if c.name == "promo-lab")
    assert spec.split_pieces and rs.SOURCES[spec.source].licence == "MIT"
    assert [t.piece for t in spec.tiers] == list(range(len(spec.pieces)))
    assert all(a.removesuffix(".wav") == t.path.removesuffix(".TextGrid")
               for a, t in zip(spec.pieces, spec.tiers, strict=True))
    assert not any(c.split_pieces for c in rs.CASES if c.name != "promo-lab")
