"""The JSON sync map that aeneas writes (`os_task_file_format=json`). Write only.

    {"fragments": [{"begin": "1.230", "children": [], "end": "2.340",
                    "id": "f000001", "language": "eng", "lines": ["text"]}]}

Written the way aeneas writes it (keys sorted, one-space indent, ASCII with escapes;
times as strings with three decimals), so that its output and ours can be diffed and
read by the same tools. One fragment per aligned sentence, numbered f000001, f000002...
without gaps as aeneas numbers them; the sentence is one line.
"""

from __future__ import annotations

import json

from alignment.formats.common import format_seconds, one_line
from alignment.syncmap import SyncMap

__all__ = ["write"]


def write(syncmap: SyncMap) -> str:
    """The aligned sentences of `syncmap` as an aeneas JSON sync map."""
    fragments = []
    for s in syncmap.sentences:
        if not s.aligned:
            continue
        fragments.append({
            "begin": format_seconds(s.begin),
            "children": [],
            "end": format_seconds(s.end),
            "id": f"f{len(fragments) + 1:06d}",
            "language": syncmap.language,
            "lines": [one_line(s.text)],
        })
    return json.dumps({"fragments": fragments}, indent=1, sort_keys=True) + "\n"
