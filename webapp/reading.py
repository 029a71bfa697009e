"""The transcript as people read it: plain text and a Word document, with the speakers
and each paragraph's time (the downloads `transcript.txt` and `transcript.docx`).

Both walk the layout the player shows (`webapp.transcript_view.lay_out`): a speaker's
name where the speaker changes, then each paragraph after its time ("[1:23]", from the
start of the recording). The transcript's headings are kept as headings; the rest of
what was set aside (page furniture, stage directions) is left out, as on paper. The
sync-map formats (JSON, WebVTT, SRT) are `alignment.formats`'.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass

from alignment import Kind, SyncMap
from webapp.moments import clock
from webapp.transcript_view import lay_out

__all__ = ["DOCX_TYPE", "Block", "blocks", "docx_bytes", "plain_text"]

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass(frozen=True)
class Block:
    """One thing to print: a heading, a speaker's name, or a paragraph with its time."""

    kind: str  # "heading", "speaker" or "paragraph"
    text: str
    time: str = ""  # a paragraph's start, as the player shows it (m:ss or h:mm:ss)


def blocks(syncmap: SyncMap) -> Iterator[Block]:
    """The transcript in reading order."""
    for item in lay_out(syncmap).items:
        if not item.is_turn:
            if item.kind == Kind.HEADING:
                yield Block("heading", item.text.lstrip("#").strip() or item.text)
            continue
        if item.heading:
            yield Block("speaker", item.heading)
        for para in item.paragraphs:
            lead = next((s for s in para if s.aligned), para[0])
            yield Block("paragraph", " ".join(s.text for s in para), clock(lead.begin))


def plain_text(syncmap: SyncMap, title: str) -> str:
    """The transcript as plain text: the title, then speakers and timed paragraphs."""
    lines = [title, "=" * min(len(title), 72), ""]
    for b in blocks(syncmap):
        if b.kind == "paragraph":
            lines += [f"[{b.time}] {b.text}", ""]
        elif b.kind == "speaker":
            lines.append(f"{b.text}:")
        else:
            lines += [b.text.upper(), ""]
    return "\n".join(lines).rstrip() + "\n"


def docx_bytes(syncmap: SyncMap, title: str) -> bytes:
    """The transcript as a Word document (python-docx): the title, each speaker's name in
    bold, each paragraph after its time in grey."""
    from docx import Document
    from docx.shared import Pt, RGBColor

    doc = Document()
    doc.core_properties.title = title
    doc.add_heading(title, level=1)
    speaker = None
    for b in blocks(syncmap):
        if b.kind == "heading":
            doc.add_heading(b.text, level=2)
        elif b.kind == "speaker":
            speaker = doc.add_paragraph()
            speaker.paragraph_format.space_after = Pt(2)
            speaker.paragraph_format.keep_with_next = True
            speaker.add_run(b.text).bold = True
        else:
            p = doc.add_paragraph()
            time = p.add_run(f"[{b.time}] ")
            time.font.color.rgb = RGBColor(0x5F, 0x66, 0x70)
            p.add_run(b.text)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
