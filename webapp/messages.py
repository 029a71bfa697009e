"""Messages shown to people who are not the operator: no server paths in them.

A failure message from the aligner names the file it could not read by its whole path
(`the audio file /srv/transcripts/media/ab12….wav does not exist`), which is right on
the command line and wrong on a public page or in `status.json`: there a file is named
by its base name.
"""

from __future__ import annotations

import re

__all__ = ["public_message"]

# An absolute path: a "/" that does not continue a word, a URL ("https://…/x") or another
# path, then at least one folder. The last part is kept.
_ABSOLUTE = re.compile(r"(?<![\w.:/~-])/(?:[^\s/'\"`()<>]+/)+([^\s/'\"`()<>]*)")
_WINDOWS = re.compile(r"\b[A-Za-z]:\\(?:[^\s\\'\"`()<>]+\\)+([^\s\\'\"`()<>]*)")


def public_message(message: str) -> str:
    """`message` with every absolute path cut to its base name."""
    return _WINDOWS.sub(r"\1", _ABSOLUTE.sub(r"\1", message or ""))
