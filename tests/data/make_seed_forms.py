"""Write the seed-clean reading's transcript in every accepted form (tests/data/seed-forms).

    python tests/data/make_seed_forms.py TRUTH.json [OUTDIR] [--whole]

TRUTH.json is the seed-clean case's truth (`python -m benchmarks.corpus OUT seed-clean`):
its sentences, speakers and times. The forms are of a cut of that reading (`CUT`, about
2 minutes of its 8.5: every speaker, every label of the page and every change of voice),
so that the tests can align each form quickly; `cut_reading` cuts the seed-clean audio
and truth the same way (at test time), so the forms' times and sentences are the cut
audio's. `--whole` writes the forms of the whole reading instead.

Each form is what a person would have from a service or a publisher: the same words, in
that form's conventions, with times from the truth where the form carries times. `NAMES`
says, per form, which name stands for each true speaker; the tests use it to score the
speakers read.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

from alignment.synthetic import RATE, SEED_TEXT, seed_sentences, split_sentences

#: The cut of the seed-clean reading that the forms are made of: runs of its sentences
#: (first, last + 1), laid end to end, each cut in the pauses around it. About 2 minutes
#: of the 8.5: Robertson's opening, the interpreter's first answer and its "Thank you.",
#: the moderator, both journalists, the interpreter under both of the page's Putin labels
#: and Robertson under "Secretary General"; every change of speaker in it is one the whole
#: reading has (Robertson to the interpreter, the interpreter to the moderator, ...).
CUT = ((0, 3), (11, 13), (17, 23), (28, 33), (52, 56))


def cut(truth: dict, runs: tuple[tuple[int, int], ...] = CUT,
        ) -> tuple[list[tuple[int, int]], dict]:
    """The pieces of the reading's audio to keep, as (first sample, last sample + 1), and
    the truth of those pieces laid end to end (`sentences` with their times moved, and
    `duration`). A piece runs from the middle of the pause before its first sentence (the
    start of the audio for the reading's first) to the middle of the pause after its last
    (the end of the audio for the reading's last)."""
    sents = truth["sentences"]
    total = round(truth["duration"] * RATE)
    pieces: list[tuple[int, int]] = []
    out: list[dict] = []
    at = 0  # samples kept so far
    for first, stop in runs:
        begin = 0 if first == 0 else round((sents[first - 1]["end"] + sents[first]["begin"])
                                           / 2 * RATE)
        end = total if stop == len(sents) else round((sents[stop - 1]["end"]
                                                      + sents[stop]["begin"]) / 2 * RATE)
        shift = (at - begin) / RATE
        out += [{**s, "begin": round(s["begin"] + shift, 6), "end": round(s["end"] + shift, 6)}
                for s in sents[first:stop]]
        pieces.append((begin, end))
        at += end - begin
    return pieces, {"case": truth.get("case"), "cut": [list(r) for r in runs],
                    "sentences": out, "duration": round(at / RATE, 3)}


def cut_reading(case: str | os.PathLike[str], out: str | os.PathLike[str]) -> Path:
    """The built seed-clean case in folder `case`, cut by `CUT` into folder `out`:
    `audio.wav` (the pieces laid end to end by ffmpeg, sample for sample) and
    `truth.json`. Returns `out`."""
    case, out = Path(case), Path(out)
    out.mkdir(parents=True, exist_ok=True)
    pieces, truth = cut(json.loads((case / "truth.json").read_text()))
    graph = "".join(f"[0:a]atrim=start_sample={b}:end_sample={e},asetpts=N/SR/TB[p{i}];"
                    for i, (b, e) in enumerate(pieces))
    graph += "".join(f"[p{i}]" for i in range(len(pieces)))
    graph += f"concat=n={len(pieces)}:v=0:a=1[cut]"
    subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-y", "-i", str(case / "audio.wav"),
                    "-filter_complex", graph, "-map", "[cut]", "-c:a", "pcm_s16le",
                    str(out / "audio.wav")], check=True)
    (out / "truth.json").write_text(json.dumps(truth, indent=1) + "\n")
    return out


# The form's name for each of the reading's speakers (None: the form does not name them).
PEOPLE = {
    "robertson": "Lord Robertson", "interpreter": "President Putin (interpreter)",
    "moderator": "Moderator", "journalist1": "Anna Berg", "journalist2": "Jean Morel",
}
RUSH = {
    "robertson": "LORD ROBERTSON, NATO SECRETARY GENERAL", "interpreter":
    "VLADIMIR PUTIN, PRESIDENT OF RUSSIA (through translator)", "moderator": "MODERATOR",
    "journalist1": "ANNA BERG, REUTERS", "journalist2": "JEAN MOREL, LE MONDE",
}
RUSH_AGAIN = {"robertson": "ROBERTSON", "interpreter": "PUTIN (through translator)",
              "journalist1": "BERG", "journalist2": "MOREL", "moderator": "MODERATOR"}
HEARING = {"robertson": "Lord ROBERTSON", "interpreter": "Mr. PUTIN", "moderator":
           "The CHAIRMAN", "journalist1": "Ms. BERG", "journalist2": "Mr. MOREL"}
QA = {"robertson": "LORD ROBERTSON", "interpreter": "A", "moderator": "MODERATOR",
      "journalist1": "Q", "journalist2": "Q"}


SEED_PAGE = SEED_TEXT  # the page as NATO published it
PAGE_NAMES = {"robertson": "Secretary General",
              "interpreter": ["President Putin (interpreter)", "President Putin"],
              "moderator": None, "journalist1": None, "journalist2": None}



def turns(sentences: list[dict]) -> list[tuple[str, list[dict]]]:
    out: list[tuple[str, list[dict]]] = []
    for s in sentences:
        if out and out[-1][0] == s["speaker"]:
            out[-1][1].append(s)
        else:
            out.append((s["speaker"], [s]))
    return out


def paragraphs(sents: list[dict], size: int = 4) -> list[str]:
    return [" ".join(s["text"] for s in sents[i:i + size]) for i in range(0, len(sents), size)]


def clock(seconds: float, hours: bool = True, ms: str | None = None) -> str:
    t = int(seconds)
    h, m, s = t // 3600, t // 60 % 60, t % 60
    out = f"{h:02}:{m:02}:{s:02}" if hours else f"{m + 60 * h}:{s:02}"
    if ms:
        out += f"{ms}{int(round((seconds - t) * 1000)):03}"
    return out


def cues(sentences: list[dict], width: int = 42) -> list[tuple[float, float, str, str]]:
    """Caption cues of two lines at most; times shared out by characters."""
    out = []
    for s in sentences:
        lines = textwrap.wrap(s["text"], width)
        chunks = [lines[i:i + 2] for i in range(0, len(lines), 2)]
        total = sum(len(" ".join(c)) for c in chunks)
        t = s["begin"]
        for c in chunks:
            d = (s["end"] - s["begin"]) * len(" ".join(c)) / total
            out.append((t, t + d, s["speaker"], "\n".join(c)))
            t += d
    return out


def md(sentences):
    parts = ["# NATO-Russia press conference", "*Palais d'Egmont, Brussels, 3 October 2001*", ""]
    for spk, sents in turns(sentences):
        for i, p in enumerate(paragraphs(sents)):
            parts.append(f"**{PEOPLE[spk]}:** {p}" if i == 0 else p)
            parts.append("")
    parts += ["---", "", "*Transcripts may contain errors. Check the audio before quoting.*"]
    return "\n".join(parts) + "\n"


def rev(sentences):
    out = []
    for spk, sents in turns(sentences):
        out.append(f"{PEOPLE[spk]} ({clock(sents[0]['begin'])}):")
        out.append(" ".join(s["text"] for s in sents))
        out.append("")
    return "\n".join(out)


def otter(sentences):
    minutes = math.ceil(sentences[-1]["end"] / 60)  # Otter counts a minute begun
    out = ["NATO-Russia press conference", f"Wed, 10/3 · {minutes}mins", ""]
    for spk, sents in turns(sentences):
        out.append(f"{PEOPLE[spk]}  {clock(sents[0]['begin'], hours=False)}")
        out.append(" ".join(s["text"] for s in sents))
        out.append("")
    out.append("Transcribed by https://otter.ai")
    return "\n".join(out) + "\n"


def descript(sentences):
    out = []
    for spk, sents in turns(sentences):
        for i, p in enumerate(paragraphs(sents)):
            t = clock(sents[4 * i]["begin"])
            out.append(f"[{t}] {PEOPLE[spk]}: {p}" if i == 0 else f"[{t}] {p}")
            out.append("")
    return "\n".join(out)


def trint(sentences):
    out = ["NATO-Russia press conference", ""]
    for spk, sents in turns(sentences):
        out.append(f"{PEOPLE[spk]} [{clock(sents[0]['begin'])}]")
        for p in paragraphs(sents):
            out.append(p)
            out.append("")
    return "\n".join(out)


def youtube(sentences):
    """YouTube's "Show transcript", copied: a time every few words, no paragraphs."""
    out = []
    words = [(s, w) for s in sentences for w in s["text"].split()]
    for i in range(0, len(words), 9):
        chunk = words[i:i + 9]
        s = chunk[0][0]
        n = s["text"].split().index(chunk[0][1]) if chunk[0][1] in s["text"].split() else 0
        t = s["begin"] + (s["end"] - s["begin"]) * n / max(1, len(s["text"].split()))
        out.append(clock(t, hours=False))
        out.append(" ".join(w for _, w in chunk))
    return "\n".join(out) + "\n"


def rush(sentences):
    out = ["THIS IS A RUSH TRANSCRIPT. THIS COPY MAY NOT BE IN ITS FINAL FORM AND MAY BE "
           "UPDATED.", "", f"[{clock(0)}]", ""]
    seen = set()
    for n, (spk, sents) in enumerate(turns(sentences)):
        name = RUSH_AGAIN[spk] if spk in seen else RUSH[spk]
        seen.add(spk)
        if n == 1:
            out += ["(BEGIN VIDEO CLIP)", ""]
        for i, p in enumerate(paragraphs(sents)):
            out.append(f"{name}: {p}" if i == 0 else p)
            out.append("")
        if n == 1:
            out += ["(END VIDEO CLIP)", ""]
    return "\n".join(out)


def hearing(sentences):
    out = ["PRESS CONFERENCE", "", "Wednesday, October 3, 2001", ""]
    for spk, sents in turns(sentences):
        for i, p in enumerate(paragraphs(sents, 6)):
            out.append(f"{HEARING[spk]}. {p}" if i == 0 else p)
            out.append("")
    return "\n".join(out)


def qa(sentences):
    out = []
    for spk, sents in turns(sentences):
        out.append(f"{QA[spk]}: " + " ".join(s["text"] for s in sents))
        out.append("")
    return "\n".join(out)


def vtt(sentences):
    out = ["WEBVTT", ""]
    for b, e, spk, text in cues(sentences):
        out += [f"{clock(b, ms='.')} --> {clock(e, ms='.')}", f"<v {PEOPLE[spk]}>{text}</v>", ""]
    return "\n".join(out)


def zoom_vtt(sentences):
    out = ["WEBVTT", ""]
    for n, (b, e, spk, text) in enumerate(cues(sentences), 1):
        out += [str(n), f"{clock(b, ms='.')} --> {clock(e, ms='.')}", f"{PEOPLE[spk]}: {text}", ""]
    return "\n".join(out)


def srt(sentences):
    out = []
    for n, (b, e, _spk, text) in enumerate(cues(sentences), 1):
        out += [str(n), f"{clock(b, ms=',')} --> {clock(e, ms=',')}", text, ""]
    return "\n".join(out)


def sbv(sentences):
    def stamp(t: float) -> str:
        return clock(t, ms=".")[1:]  # "0:00:01.000": YouTube writes one digit of hours

    out = []
    for b, e, _spk, text in cues(sentences):
        out += [f"{stamp(b)},{stamp(e)}", text, ""]
    return "\n".join(out)


def podcast(sentences):
    segments = [{"speaker": PEOPLE[spk], "startTime": round(b, 3), "endTime": round(e, 3),
                 "body": " ".join(text.split())} for b, e, spk, text in cues(sentences)]
    return json.dumps({"version": "1.0.0", "segments": segments}, indent=1) + "\n"


def own_json(sentences):
    out, paragraph = [], -1
    for i, s in enumerate(sentences):
        if i == 0 or s["speaker"] != sentences[i - 1]["speaker"]:
            paragraph += 1
        out.append({"index": i, "text": s["text"], "speaker": PEOPLE[s["speaker"]],
                    "begin": 0.0, "end": 0.0, "confidence": 0.0, "aligned": True,
                    "paragraph": paragraph})
    return json.dumps({"version": 1, "language": "eng", "sentences": out,
                       "set_aside": [{"kind": "header", "text": "NATO-Russia press conference",
                                      "after": -1}]}, indent=1) + "\n"


FORMS = {
    "markdown.md": md, "rev.txt": rev, "otter.txt": otter, "descript.txt": descript,
    "trint.txt": trint, "youtube.txt": youtube, "rush.txt": rush, "hearing.txt": hearing,
    "interview.txt": qa, "teams.vtt": vtt, "zoom.vtt": zoom_vtt, "captions.srt": srt,
    "youtube.sbv": sbv, "podcast.json": podcast, "syncmap.json": own_json,
}
# Which name each form gives each true speaker (None where the form does not name them).
NAMES = {
    "markdown.md": PEOPLE, "rev.txt": PEOPLE, "otter.txt": PEOPLE, "descript.txt": PEOPLE,
    "trint.txt": PEOPLE, "rush.txt": {k: v.split(",")[0] for k, v in RUSH.items()},
    "hearing.txt": HEARING, "interview.txt": QA, "teams.vtt": PEOPLE, "zoom.vtt": PEOPLE,
    "podcast.json": PEOPLE, "syncmap.json": PEOPLE, "page.html": PAGE_NAMES,
    "word.docx": PEOPLE, "hearing.pdf": {k: v.split(",")[0] for k, v in RUSH.items()},
}


def seed_page(runs: tuple[tuple[int, int], ...] | None = CUT) -> str:
    """The seed page's text as NATO published it, with only the sentences of `runs` (the
    reading's, as in `CUT`; None: all): its header, speaker labels and footer stay, and a
    paragraph none of whose sentences is kept goes."""
    raw = SEED_PAGE.read_text(encoding="utf-8")
    lines = raw.splitlines()
    start = lines.index("Ladies and Gentlemen,")
    unspoken = {"President Putin (interpreter)", "President Putin", "Secretary General",
                "Go to Homepage Go to Index"}
    out = lines[:start]
    n = 0  # the reading's sentences met so far (seed_sentences' order)
    for line in lines[start:]:
        if not line.strip() or line.strip() in unspoken:
            out.append(line)
            continue
        said = split_sentences(line)
        kept = [s for k, s in enumerate(said, n)
                if runs is None or any(first <= k < stop for first, stop in runs)]
        n += len(said)
        if kept:
            out.append(" ".join(kept))
    return "\n".join(out) + "\n"


def page_sentences(page: str) -> list[tuple[str, str]]:
    """(speaker, sentence) of a seed page's text, read as the seed-clean reading reads the
    seed (`alignment.synthetic.seed_sentences`)."""
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "page.txt").write_text(page, encoding="utf-8")
        return seed_sentences(Path(tmp) / "page.txt")[1]


def html_page(page: str, audio_href: str = "audio.wav") -> str:
    """The seed page as a 2001 web page: a menu, the text in a table, an "Audio file" link."""
    from html import escape

    lines = page.splitlines()
    body = []
    for block in "\n".join(lines[1:-1]).split("\n\n"):
        rows = [line for line in block.splitlines() if line.strip()]
        if not rows:
            continue
        html_rows = []
        for line in rows:
            if line.strip() == "Audio file":
                html_rows.append(f'<a href="{audio_href}">Audio file</a>')
            elif line.startswith(("President Putin", "Secretary General")) and len(line) < 40:
                html_rows.append(f"<b>{escape(line)}</b>")
            else:
                html_rows.append(escape(line))
        body.append("<p>" + "<br>\n".join(html_rows) + "</p>")
    return (
        "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
        "<title>NATO Speech: Press Conference, 3 October 2001</title>"
        "<script>var tracker = 'not words';</script><style>p { margin: 0 }</style></head>\n"
        "<body><div id='nav'><a href='/'>Home</a> | <a href='/docu/speech.htm'>Speeches</a>"
        " | <a href='/search'>Search</a></div>\n"
        f"<table><tr><td class='date'>{escape(lines[0])}</td></tr><tr><td>\n"
        + "\n".join(body) +
        "\n</td></tr></table>\n<div class='footer'><a href='/'>Go to Homepage</a> "
        "<a href='/docu/speech.htm'>Go to Index</a></div>\n</body></html>\n"
    )


def docx_file(sentences, path: Path) -> None:
    """A clerk's Word file: a title, bold speaker names, a paragraph per turn."""
    import docx

    document = docx.Document()
    document.add_heading("NATO-Russia press conference, 3 October 2001", level=1)
    for spk, sents in turns(sentences):
        for i, p in enumerate(paragraphs(sents)):
            paragraph = document.add_paragraph()
            if i == 0:
                paragraph.add_run(PEOPLE[spk] + ":").bold = True
                paragraph.add_run(" ")
            paragraph.add_run(p)
    document.save(path)


def pdf_file(sentences, path: Path) -> None:
    """A hearing transcript: 25 numbered lines a page, a running header, page numbers."""
    from fpdf import FPDF

    lines: list[str] = []
    for spk, sents in turns(sentences):
        text = f"{RUSH[spk].split(',')[0]}: " + " ".join(s["text"] for s in sents)
        lines += textwrap.wrap(text, 62)
    pdf = FPDF(format="letter")
    pdf.set_font("Courier", size=11)
    for start in range(0, len(lines), 25):
        pdf.add_page()
        pdf.set_xy(20, 12)
        pdf.cell(0, 6, "NATO-RUSSIA PRESS CONFERENCE - OCTOBER 3, 2001")
        for n, line in enumerate(lines[start:start + 25], 1):
            pdf.set_xy(12, 24 + 9 * n)
            pdf.cell(8, 6, f"{n:>2}")
            pdf.set_xy(24, 24 + 9 * n)
            pdf.cell(0, 6, line)
        pdf.set_xy(100, 265)
        pdf.cell(0, 6, f"Page {start // 25 + 1}")
    pdf.output(str(path))


def main(argv: list[str]) -> None:
    args = [a for a in argv[1:] if a != "--whole"]
    truth = json.loads(Path(args[0]).read_text())
    if "--whole" not in argv:
        truth = cut(truth)[1]
    out = Path(args[1] if len(args) > 1 else Path(__file__).parent / "seed-forms")
    out.mkdir(parents=True, exist_ok=True)
    for name, render in FORMS.items():
        (out / name).write_text(render(truth["sentences"]), encoding="utf-8")
    page = seed_page(None if "--whole" in argv else CUT)
    assert page_sentences(page) == [(s["speaker"], s["text"]) for s in truth["sentences"]]
    (out / "page.html").write_text(html_page(page), encoding="utf-8")
    docx_file(truth["sentences"], out / "word.docx")
    pdf_file(truth["sentences"], out / "hearing.pdf")
    (out / "truth-sentences.json").write_text(json.dumps(
        [{k: s[k] for k in ("speaker", "text")} for s in truth["sentences"]], indent=1) + "\n")
    (out / "names.json").write_text(json.dumps(NAMES, indent=1) + "\n")


if __name__ == "__main__":
    main(sys.argv)
