"""After a change, off to another page: the one way a view sends the browser on, with or
without htmx.

A form posted by htmx must not get a 303: the XMLHttpRequest would follow it itself and
htmx would swap the whole page it fetched into the form's target. It gets an empty 200
with `HX-Redirect` instead (built by `htmx_flask.make_response`), and htmx loads the page
as a browser would; a plain form gets the 303.
"""

from __future__ import annotations

from flask import Response, redirect, request
from htmx_flask import make_response

__all__ = ["see_other"]


def see_other(target: str) -> Response:
    """303 See Other to `target`; for an htmx request an empty 200 that tells htmx to go
    there (`HX-Redirect`)."""
    if request.headers.get("HX-Request"):
        return make_response("", redirect=target)
    return redirect(target, 303)
