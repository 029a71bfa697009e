"""The transcript player's web application: `create_app(config=None) -> Flask`.

The names below are loaded on first use (PEP 562), so that the command line, whose
module lives in this package, starts without importing Flask for `align`.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__all__ = [
    "MAX_QUERY", "PROJECT_ROOT", "create_app", "data_dir_default", "external_url",
    "get_store", "public_base", "recording_or_404", "search_query", "wants_partial",
]


def __getattr__(name: str) -> Any:
    if name in __all__:
        return getattr(import_module("webapp.app"), name)
    raise AttributeError(f"module 'webapp' has no attribute {name!r}")
