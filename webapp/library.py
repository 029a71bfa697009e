"""The library: `/` lists every recording; `/search` finds a quote across all of them."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, render_template

from alignment import documents
from webapp.limits import human_bytes
from webapp.request_helpers import get_store, search_query, wants_partial

__all__ = ["LANGUAGES", "bp", "library_page"]

bp = Blueprint("library", __name__)

#: the languages offered in the upload form, which is on this page (ISO 639-3, as the
#: aligner takes them); others can be typed (the field is a text input with these as
#: suggestions)
LANGUAGES = (
    ("eng", "English"), ("deu", "German"), ("fra", "French"), ("spa", "Spanish"),
    ("ita", "Italian"), ("por", "Portuguese"), ("nld", "Dutch"), ("rus", "Russian"),
    ("pol", "Polish"), ("swe", "Swedish"), ("dan", "Danish"), ("nor", "Norwegian"),
    ("fin", "Finnish"), ("ces", "Czech"), ("tur", "Turkish"), ("ell", "Greek"),
)


def library_page(query: str = "", upload: Any = None) -> str:
    """The library page; `upload` is the upload form as it was sent, with its problems
    (`webapp.upload.UploadForm`), when it comes back with them."""
    store = get_store()
    limit = current_app.config["SEARCH_LIMIT"]
    hits, total = store.search(query, None, limit) if query else ([], 0)
    return render_template(
        "library.html", recordings=store.list_recordings(), q=query, hits=hits, total=total,
        upload=upload, languages=LANGUAGES,
        limit_text=human_bytes(current_app.config["MAX_UPLOAD"]),
        transcript_types=",".join(documents.ACCEPTED),
    )


@bp.get("/")
def index() -> str:
    """Every recording with its length, speakers and sentence count, and the search box."""
    return library_page(search_query())


@bp.get("/search")
def search() -> str:
    """Hits across all recordings: the hits partial for htmx, the whole library otherwise."""
    query = search_query()
    if wants_partial():
        hits, total = get_store().search(query, None, current_app.config["SEARCH_LIMIT"])
        return render_template("_library_hits.html", q=query, hits=hits, total=total)
    return library_page(query)
