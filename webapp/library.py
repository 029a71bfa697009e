"""The library: `/` lists every recording; `/search` finds a quote across all of them."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, request

from webapp import get_store

__all__ = ["bp"]

bp = Blueprint("library", __name__)

MAX_QUERY = 200


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
    return _page(request.args.get("q", "")[:MAX_QUERY])


@bp.get("/search")
def search() -> str:
    """Hits across all recordings: the hits partial for htmx, the whole library otherwise."""
    query = request.args.get("q", "")[:MAX_QUERY]
    if request.htmx and not request.htmx.history_restore_request:
        hits, total = get_store().search(query, None, current_app.config["SEARCH_LIMIT"])
        return render_template("_library_hits.html", q=query, hits=hits, total=total)
    return _page(query)
