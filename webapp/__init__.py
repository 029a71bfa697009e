"""The transcript player's web application: `create_app(config=None) -> Flask`."""

from webapp.app import (
    PROJECT_ROOT,
    create_app,
    data_dir_default,
    external_url,
    get_store,
    public_base,
    recording_or_404,
    search_query,
    wants_partial,
)

__all__ = [
    "PROJECT_ROOT", "create_app", "data_dir_default", "external_url",
    "get_store", "public_base", "recording_or_404", "search_query", "wants_partial",
]
