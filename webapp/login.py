"""The login pages: `/login` starts an editor's session, `/logout` ends it.

Who may edit, sessions and CSRF tokens are `webapp.auth`'s; failed logins and the wait
they earn are `webapp.logins`'s. The blueprint keeps the name `auth`, so its endpoints
are `auth.login` and `auth.logout` as the templates name them.
"""

from __future__ import annotations

import math

from flask import Blueprint, current_app, redirect, render_template, request, session, url_for

from webapp.auth import check_login, csrf_token, current_editor, editors, safe_next
from webapp.clients import client_address
from webapp.logins import LoginFailures, keys_for

__all__ = ["bp"]

bp = Blueprint("auth", __name__)


def _too_many(target: str, name: str, wait: float):  # type: ignore[no-untyped-def]
    """The login form again, 429, saying how long to wait (also in Retry-After)."""
    seconds = max(1, math.ceil(wait))
    error = (f"Too many failed logins for this name or from this address. Try again in "
             f"{seconds} second{'s' if seconds != 1 else ''}.")
    return render_template("login.html", next=target, name=name, error=error), 429, \
        {"Retry-After": str(seconds)}


@bp.route("/login", methods=["GET", "POST"])
def login():  # type: ignore[no-untyped-def]
    """The login form; a right name and password start an editor's session. Failed
    attempts earn a growing wait (`webapp.logins`): 429 until it is over."""
    target = safe_next(request.values.get("next"))
    if request.method == "GET":
        return render_template("login.html", next=target, name="", error=None)
    name = request.form.get("name", "")
    failures: LoginFailures = current_app.extensions["login_failures"]
    keys = keys_for(name, client_address())
    wait = failures.wait(keys)
    if wait > 0:  # before the password is checked: guessing costs no scrypt either
        return _too_many(target, name, wait)
    if not check_login(name, request.form.get("password", "")):
        failures.failed(keys)
        return render_template("login.html", next=target, name=name,
                               error="That name and password do not match an editor."), 401
    failures.succeeded(keys)
    session.clear()  # a fresh session (and CSRF token) for the editor: no fixation
    session["editor"] = name.strip()
    session["v"] = editors().session_version(name.strip())
    session.permanent = True
    csrf_token()
    return redirect(target, 303)


@bp.post("/logout")
def logout():  # type: ignore[no-untyped-def]
    """End the editor's session, and every copy of it: the editor's session version
    moves on (their sessions elsewhere end too)."""
    name = current_editor()
    if name:
        editors().end_sessions(name)
    session.clear()
    return redirect(url_for("library.index"), 303)
