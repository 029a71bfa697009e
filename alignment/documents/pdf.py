"""PDF with a text layer -> plain text, pages parted by form feeds, with pypdf.

pypdf is pure Python and well kept; its layout-free extraction gives each printed line as
a line of text, which is what the page-furniture rules (`alignment.documents.paged`)
need: line numbers at the start of lines, running headers and page numbers at the top
and bottom of pages. A scan without a text layer is refused in one line.
"""

from __future__ import annotations

import io
import logging

from alignment.errors import TranscriptError

__all__ = ["text"]


def text(data: bytes, label: str) -> str:
    """The text of the PDF `data` (called `label` in messages), pages parted by "\\f"."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # warnings about odd fonts are noise
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise TranscriptError(
                f"{label} is a password-protected PDF; save an unprotected copy and upload that."
            )
        pages = [page.extract_text() or "" for page in reader.pages]
    except TranscriptError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as err:
        raise TranscriptError(
            f"{label} is not a readable PDF ({err}). Open it and save or print it to PDF "
            "again, or give the text as .txt."
        ) from None
    if not any(page.strip() for page in pages):
        raise TranscriptError(
            f"{label} is a PDF without a text layer (a scan); run it through OCR (for "
            "example ocrmypdf) or give the transcript as text."
        )
    return "".join(page.replace("\f", "\n") + "\f" for page in pages)
