"""The library: `/` lists every recording; `/search` finds a quote across all of them."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template

from webapp import get_store, search_query, wants_partial

__all__ = ["bp"]

bp = Blueprint("library", __name__)

def _page(query: str = "") -> str:
    store = get_store()
    limit = current_app.config["SEARCH_LIMIT"]
    hits, total = store.search(query, None, limit) if query else ([], 0)
    return render_template(
        "library.html", recordings=store.list_recordings(), q=query, hits=hits, total=total
    )


@bp.get("/")
def index() -> str:
    """Every recording with its length, speakers and sentence count, and the search box."""
    return _page(search_query())


@bp.get("/search")
def search() -> str:
    """Hits across all recordings: the hits partial for htmx, the whole library otherwise."""
    query = search_query()
    if wants_partial():
        hits, total = get_store().search(query, None, current_app.config["SEARCH_LIMIT"])
        return render_template("_library_hits.html", q=query, hits=hits, total=total)
    return _page(query)
