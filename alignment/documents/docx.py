"""Word (.docx) -> plain text, with python-docx.

python-docx reads the document body in order (paragraphs and tables) without Word or
LibreOffice installed. Each Word paragraph becomes a paragraph of text (a blank line
after it), since a clerk's file has one paragraph per turn or per line; headings get a
Markdown "# " so that the reader sets them aside; a table row (speaker, time, text)
becomes one line per cell. Page headers and footers of the Word file are not part of
the body and are left out: they are page furniture, never speech.
"""

from __future__ import annotations

import io
import zipfile

from alignment.errors import TranscriptError

__all__ = ["text"]


def text(data: bytes, label: str) -> str:
    """The text of the .docx file `data` (called `label` in messages)."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as err:
        raise TranscriptError(
            f"{label} is a ZIP file but not a readable Word document ({err}). Open it in "
            "Word or LibreOffice and save it as .docx, or give the text as .txt."
        ) from None
    paragraphs: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            paragraphs.append(_paragraph(block))
        elif isinstance(block, Table):
            for row in block.rows:
                cells = _unique_cells(row.cells)
                paragraphs.append("\n".join(c.text.strip() for c in cells if c.text.strip()))
    out = "\n\n".join(p for p in paragraphs if p.strip())
    if not out.strip():
        raise TranscriptError(f"{label} is a Word document with no text in its body.")
    return out + "\n"


def _paragraph(paragraph) -> str:  # type: ignore[no-untyped-def]
    content = paragraph.text.strip()
    style = (paragraph.style.name if paragraph.style is not None else "") or ""
    if content and (style.startswith("Heading") or style == "Title"):
        return "# " + " ".join(content.split())
    return content


def _unique_cells(cells):  # type: ignore[no-untyped-def]
    # A merged cell is returned once per grid column it spans: keep it once.
    seen: list = []
    for cell in cells:
        if not any(cell._tc is other._tc for other in seen):
            seen.append(cell)
    return seen
