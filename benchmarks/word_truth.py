"""Synthetic word truth: readings whose every word's start and end are known, ours beside
plain aeneas word by word.

    python -m benchmarks.word_truth [--out DIR] [--cases NAME ...] [--rebuild] [--no-doc]

Each sentence is said on its own by a flite or festival voice (never eSpeak, which aeneas
and the project synthesise with), and the synthesiser reports when it says each word
(`benchmarks.tts_words`); the sentence is trimmed to its speech like the shared corpus's
(`alignment.synthetic.speech_span`) and laid on a timeline with pauses
(`benchmarks.corpus.build`), and its words move with it. `truth.json` holds
``sentences`` (speaker, voice, text, begin, end) and ``words`` (text as the synthesiser
tokenised it: "18", "o'clock"; begin, end; its sentence's index and speaker), in seconds.

For each case (kept in DIR between runs; built when missing or with ``--rebuild``) this
runs *ours* (``transcript-player align AUDIO transcript.txt``, words read from each
sentence's ``words``) and plain *aeneas* handed the words one per line, scores both with
`testsupport.score.score_words`, prints the table and writes the "Word truth" section of
docs/benchmarks.md. For development: the measure of record is real speech
(`benchmarks.real_speech`).
"""

from __future__ import annotations

import argparse
import json
import shlex
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from alignment.synthetic import Voice, read_wav, speech_span, split_sentences
from benchmarks import doc, word_report
from benchmarks.corpus import RATE, build, case_rng, new_case_dir, write_case
from benchmarks.run import aeneas_command, ours_command, run_tool
from benchmarks.texts import generality as texts
from benchmarks.tts_words import Token, say_words
from testsupport.noise import add_noise
from testsupport.score import summarise_word_errors

ROOT = Path(__file__).resolve().parent.parent
SECTION = "word-truth"
DEFAULT_OUT = ROOT / "bench-out" / "word-truth"

#: every voice there is to say words with: flite's four 16 kHz voices, festival's two
#: diphone voices and its HTS voice
VOICES: tuple[Voice, ...] = (
    ("flite", "slt"), ("festival", "voice_kal_diphone"), ("flite", "awb"),
    ("festival", "voice_cmu_us_slt_arctic_hts"), ("flite", "rms"),
    ("festival", "voice_ked_diphone"), ("flite", "kal16"),
)
SHORT_PAUSES = (0.25, 0.6)  # seconds between sentences, as the shared corpus's same speaker

Paragraph = list[tuple[str, str]]  # (speaker, sentence)


@dataclass(frozen=True)
class WordCase:
    """A reading: what is said (paragraphs of (speaker, sentence)), each speaker's voice,
    the pauses when the speaker changes, and how the audio is degraded afterwards."""

    description: str
    paragraphs: list[Paragraph]
    voices: dict[str, Voice]
    gap_turn: tuple[float, float] = (0.8, 1.5)
    noise_db: float | None = None  # pink noise at this SNR (testsupport.noise.add_noise)
    reading: str = ""  # the case whose reading it degrades (the same words and timeline)
    notes: tuple[str, ...] = field(default_factory=tuple)


def lecture_voices(n_paragraphs: int = 3) -> tuple[list[Paragraph], dict[str, Voice]]:
    """The lecture's first paragraphs, each sentence said by the next voice of `VOICES`
    (a speaker per voice, so each sentence is a new voice)."""
    paras: list[Paragraph] = []
    k = 0
    for para in texts.LECTURE.strip().split("\n\n")[:n_paragraphs]:
        sents = []
        for s in split_sentences(" ".join(para.split())):
            sents.append((f"voice{k % len(VOICES)}", s))
            k += 1
        paras.append(sents)
    return paras, {f"voice{i}": v for i, v in enumerate(VOICES)}


def interview(n_lines: int = 14) -> list[Paragraph]:
    """The interview's first lines, a paragraph per turn, Q: and A: as the speakers."""
    paras: list[Paragraph] = []
    for line in texts.INTERVIEW.strip().splitlines()[:n_lines]:
        spk, _, said = line.partition(": ")
        paras.append([(spk, s) for s in split_sentences(said)])
    return paras


def _cases() -> dict[str, WordCase]:
    lecture, voices = lecture_voices()
    return {
        "words-lecture": WordCase(
            "a lecture's first three paragraphs, each sentence in the next of seven voices "
            "(flite slt, awb, rms, kal16; festival kal and ked diphones, the HTS slt), "
            "short pauses", lecture, voices, gap_turn=SHORT_PAUSES),
        "words-interview": WordCase(
            "an interview, two voices (festival's ked diphone asks, flite's rms answers), "
            "longer pauses at a change of speaker", interview(),
            {"Q": ("festival", "voice_ked_diphone"), "A": ("flite", "rms")}),
        "words-lecture-pink6": WordCase(
            "words-lecture with pink noise at 6 dB SNR", lecture, voices,
            gap_turn=SHORT_PAUSES, noise_db=6.0, reading="words-lecture"),
    }


CASES: dict[str, WordCase] = _cases()


# ---- building ------------------------------------------------------------------


def trimmed(x: np.ndarray, tokens: list[Token]) -> tuple[np.ndarray, list[Token]]:
    """A sentence cut to its speech (`speech_span`), its tokens' times moved with it and
    kept inside it (a weak first sound the cut took off begins at the cut)."""
    start, end = speech_span(x)
    shift, length = start / RATE, (end - start) / RATE
    out = [(t, round(min(max(b - shift, 0.0), length), 4), round(min(max(e - shift, 0.0),
                                                                     length), 4))
           for t, b, e in tokens]
    return x[start:end], out


def synthesise(case: WordCase, workdir: str,
               say: Callable[[list[str], Voice, str], list] = say_words
               ) -> dict[tuple[str, Voice], tuple[np.ndarray, list[Token]]]:
    """Every (sentence, voice) of the case, said (one batch per voice) and trimmed."""
    by_voice: dict[Voice, list[str]] = {}
    for para in case.paragraphs:
        for spk, text in para:
            texts_ = by_voice.setdefault(case.voices[spk], [])
            if text not in texts_:
                texts_.append(text)
    out = {}
    for voice, texts_ in by_voice.items():
        for text, (x, tokens) in zip(texts_, say(texts_, voice, workdir), strict=True):
            out[(text, voice)] = trimmed(x, tokens)
    return out


def place_words(sentences: list[dict], said: dict[tuple[str, Voice], tuple[np.ndarray,
                list[Token]]], voices: dict[str, Voice]) -> list[dict]:
    """The truth's words: each sentence's tokens moved to where the sentence begins."""
    words = []
    for i, s in enumerate(sentences):
        _, tokens = said[(s["text"], voices[s["speaker"]])]
        for t, b, e in tokens:
            words.append({"text": t, "begin": round(s["begin"] + b, 4),
                          "end": round(s["begin"] + e, 4), "sentence": i,
                          "speaker": s["speaker"]})
    return words


def transcript_of(case: WordCase) -> str:
    """What the user uploads: the sentences, a paragraph of the text per paragraph."""
    return "\n\n".join(" ".join(s for _, s in para) for para in case.paragraphs) + "\n"


def make(name: str, outdir: Path,
         say: Callable[[list[str], Voice, str], list] = say_words) -> dict:
    """Build case `name` into OUTDIR/NAME (audio.wav, transcript.txt, truth.json); the
    truth. A degraded case reads its `reading`'s audio and truth (built first if need be)."""
    case = CASES[name]
    if case.reading:
        src = outdir / case.reading
        if not (src / "truth.json").exists():
            make(case.reading, outdir, say)
        x = read_wav(src / "audio.wav")
        base = json.loads((src / "truth.json").read_text(encoding="utf-8"))
        sentences, words = base["sentences"], base["words"]
    else:
        with tempfile.TemporaryDirectory() as work:
            said = synthesise(case, work, say)
        flat = [(spk, s) for para in case.paragraphs for spk, s in para]
        x, sentences = build(flat, case_rng(name), lambda text, v: said[(text, v)][0],
                             case.voices, SHORT_PAUSES, case.gap_turn)
        for s in sentences:
            s["voice"] = "/".join(case.voices[s["speaker"]])
        words = place_words(sentences, said, case.voices)
    if case.noise_db is not None:
        x = add_noise(x, case.noise_db, case_rng(name))
    d = new_case_dir(outdir, name)
    meta = {"case": name, "description": case.description, "words": words,
            "voices": sorted({"/".join(v) for v in case.voices.values()}),
            "notes": ["word times: the synthesiser's own (its Segment relation), moved by "
                      "the trim of each sentence to its speech", *case.notes]}
    if case.reading:
        meta["reading"] = case.reading
        meta["degradation"] = f"pink noise at {case.noise_db:g} dB SNR"
    return write_case(d, meta, sentences, transcript_of(case), x)


# ---- aligning and scoring --------------------------------------------------------


def bench_case(name: str, outdir: Path, timeout: float | None, rebuild: bool = False) -> dict:
    """Build the case if need be, align it with ours and with aeneas word by word, score;
    its result (see `benchmarks.word_report`)."""
    d = outdir / name
    if rebuild or not (d / "truth.json").exists():
        print(f"[{name}] building ...", flush=True)
        t0 = time.monotonic()
        make(name, outdir)
        print(f"[{name}] built in {time.monotonic() - t0:.0f} s", flush=True)
    return align_and_score(d, name, CASES[name].description, timeout)


def align_and_score(d: Path, name: str, description: str, timeout: float | None) -> dict:
    """Align the built case in `d` with ours and with aeneas word by word, score; its
    result (see `benchmarks.word_report`)."""
    truth = json.loads((d / "truth.json").read_text(encoding="utf-8"))
    audio = d / truth["audio"]
    plans = {
        word_report.OURS: ours_command(audio, d / "transcript.txt", d / "ours.json"),
        word_report.AENEAS_WORDS: aeneas_command(
            audio, word_report.write_words_file(truth, d / "words.txt"),
            d / "aeneas-words.json"),
    }
    result: dict = {"case": name, "description": description,
                    "duration": truth["duration"], "sentences": len(truth["sentences"]),
                    "words": len(word_report.spoken_words(truth)),
                    "voices": truth.get("voices", []), "tools": {}}
    for tool, cmd in plans.items():
        print(f"[{name}] {tool}: {shlex.join(cmd)}", flush=True)
        res, pred = run_tool(tool, cmd, d / f"{tool}.json", d / f"{tool}.log", timeout)
        word_report.add_word_score(res, truth, pred)
        s = res.get("word_score") or {}
        state = "no words" if res.get("no_words") else res.get("error", "")
        print(f"[{name}] {tool}: within_100ms {s.get('within_100ms')}, within_50ms "
              f"{s.get('within_50ms')} {state}".rstrip() + f", {res['wall']:.1f} s", flush=True)
        result["tools"][tool] = res
    result["word_voices"] = word_voices(truth)
    return result


def word_voices(truth: dict) -> list[str]:
    """The voice that says each scored true word (the order of `word_errors`)."""
    sents = truth["sentences"]
    return [sents[w["sentence"]]["voice"] for w in truth["words"] if not w.get("filler")]


def by_voice(results: list[dict], tools: tuple[str, ...] = (word_report.OURS,
                                                            word_report.AENEAS_WORDS)
             ) -> dict[str, dict[str, dict]]:
    """Each voice's words over every case: voice -> tool -> `summarise_word_errors` (a
    tool without words on a case counts that case's words as misses)."""
    errs: dict[str, dict[str, list[float | None]]] = {}
    for r in results:
        voices = r.get("word_voices") or []
        for tool in tools:
            e = r["tools"].get(tool, {}).get("word_errors") or [None] * len(voices)
            for v, x in zip(voices, e, strict=True):
                errs.setdefault(v, {t: [] for t in tools})[tool].append(x)
    return {v: {t: summarise_word_errors(e) for t, e in per.items()}
            for v, per in sorted(errs.items())}


def voice_table(results: list[dict]) -> str:
    """Markdown: within 100 and 50 ms per voice, ours / aeneas word by word."""
    rows = ["| voice | words | within_100ms ours / aeneas | within_50ms ours / aeneas |",
            "|---|---|---|---|"]
    for v, per in by_voice(results).items():
        o, a = per[word_report.OURS], per[word_report.AENEAS_WORDS]
        rows.append(f"| {v} | {o['words']} | {o['within_100ms']:.3f} / "
                    f"{a['within_100ms']:.3f} | {o['within_50ms']:.3f} / "
                    f"{a['within_50ms']:.3f} |")
    return "\n".join(rows)


# ---- the report ------------------------------------------------------------------


def cases_list(results: list[dict]) -> str:
    """A line per case: what it is."""
    return "\n".join(f"- {r['case']}: {r['description']}; {r['duration'] / 60:.1f} min, "
                     f"{r['sentences']} sentences, {r['words']} words." for r in results)


def report(results: list[dict], command: str) -> str:
    """The "Word truth" section of docs/benchmarks.md."""
    walls = ", ".join(
        f"{r['case']} {r['tools'].get('ours', {}).get('wall', 0):.1f} s / "
        f"{r['tools'].get('aeneas-words', {}).get('wall', 0):.1f} s" for r in results)
    return "\n".join([
        "## Word truth: synthetic readings whose every word is timed, side by side with "
        "plain aeneas word by word",
        "",
        f"Command: `{command}` ({time.strftime('%Y-%m-%d')}); `make bench` runs it.",
        "",
        "For development; the measure of record is the real speech above. Each sentence "
        "is said on its own by a flite or festival voice (never eSpeak, which aeneas and "
        "ours synthesise with), and the synthesiser itself reports when it says each word "
        "(`benchmarks/tts_words.py`: flite's utterance through libflite, festival's "
        "through a Scheme script): a word runs from its first phone's start to its last "
        "phone's end, on the timeline the waveform is built from. The sentence is trimmed "
        "to its speech and laid on a timeline with pauses like the shared corpus's, its "
        "words moved with it (`benchmarks/word_truth.py`). A word is a token of the text "
        "as the synthesiser splits it (\"18\", \"o'clock\", \"well-known\"); ours is "
        "handed the text itself, in its paragraphs, as `transcript.txt`.",
        "",
        cases_list(results),
        "",
        word_report.word_columns_note(),
        "",
        word_report.word_table(results),
        "",
        "By voice, over all the cases above (the noisy case counts its words again):",
        "",
        voice_table(results),
        "",
        f"Wall, ours / aeneas word by word: {walls} (a shared 2-core machine).",
    ])


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.word_truth", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT,
                    help="where the cases are kept (default: bench-out/word-truth)")
    ap.add_argument("--cases", nargs="+", choices=list(CASES), default=list(CASES))
    ap.add_argument("--rebuild", action="store_true", help="build the cases again")
    ap.add_argument("--timeout", type=float, default=600.0, help="seconds per aligner run")
    ap.add_argument("--no-doc", action="store_true",
                    help="print the report; leave docs/benchmarks.md alone")
    return ap.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    results = [bench_case(name, out, args.timeout or None, args.rebuild)
               for name in args.cases]
    (out / "results.json").write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    shown = "python -m benchmarks.word_truth" + (
        "" if args.cases == list(CASES) else " --cases " + " ".join(args.cases))
    body = report(results, shown)
    print(body)
    if not args.no_doc:
        doc.update_section(SECTION, body)
    return 0 if all(r["tools"].get("ours", {}).get("ok") for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
