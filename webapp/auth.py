"""Who may change things: editors, their sessions, and CSRF tokens.

Listening, searching and shared links are open to all. Uploading, editing, re-aligning
and deleting are for editors (`transcript-player user add NAME`), with one exception
that keeps `make run` one command: while no editor exists and `serve` listens on a
loopback address only, editing needs no login (`editing_open`).

For views that change something:

    from webapp.auth import editor_required

    @bp.post("/r/<rid>/sentences/<sid>")
    @editor_required
    def edit(rid, sid): ...

and in every template form that changes something, `{{ csrf_field() }}` (htmx requests
carry the token as the `X-CSRF-Token` header, set once on <body> by base.html). Every
POST, PUT, PATCH or DELETE must carry the session's token, on any route: Flask-WTF's
`CSRFProtect` checks it (a token lasts as long as its session; its Referer check on
https is off, as it always was here, and `TRANSCRIPT_PLAYER_WTF_CSRF_SSL_STRICT=true`
turns it on), and a refusal is a 400 page saying what to do.

Sessions are Flask's signed cookies (HttpOnly, SameSite=Lax, Secure when the site is
served over https); the signing key is made once and kept in the data folder
(`secret_key`), so logins survive restarts and are shared by every process on it. A
session carries its editor's session version (`webapp.store.users`): logging out, or a new
password, moves the version on, and every cookie made before stops working, copies
included. Failed logins earn a growing wait per name and per address (`webapp.logins`),
answered 429 with Retry-After. The login pages themselves are `webapp.login`'s.

Tests: `create_app({"LISTEN_HOST": "127.0.0.1", ...})` gives open editing while no editor
exists. To log a test client in: add the editor
(`app.extensions["users"].set(name, hash_password(pw))`),
GET /login (which sets the session's token), then POST /login with `name`, `password` and
`csrf_token` (read it from the form's hidden input).
"""

from __future__ import annotations

import ipaddress
import os
import secrets
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

from flask import (
    Flask,
    abort,
    current_app,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.sessions import SecureCookieSessionInterface
from flask_wtf.csrf import CSRFError, CSRFProtect, generate_csrf
from htmx_flask import make_response as htmx_response
from markupsafe import Markup, escape
from werkzeug.security import check_password_hash, generate_password_hash

from webapp.logins import LoginFailures
from webapp.store.users import Users

__all__ = [
    "CSRF_FIELD", "CSRF_HEADER", "CSRF_REFUSED", "check_login", "csrf_field", "csrf_token",
    "current_editor", "editing_open", "editor_refusal", "editor_required", "editors",
    "has_editors", "hash_password", "init_app", "is_loopback", "may_edit", "safe_next",
    "valid_name",
]

#: the form field and the request header that carry the CSRF token (Flask-WTF's names)
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
#: what a refused request is told: the likely cause (a page left open over a logout, a
#: restart with a new key) and what to do, instead of Flask-WTF's terse reason
CSRF_REFUSED = ("This form has expired or did not come from this site (its security token "
                "is missing or does not match). Reload the page and send it again.")
SECRET_FILE = "secret_key"
MAX_NAME = 64
#: a hash checked when the name is unknown, so a wrong name takes as long as a wrong password
_DUMMY_HASH = generate_password_hash(secrets.token_hex(8), method="scrypt")

F = TypeVar("F", bound=Callable[..., Any])


# ------------------------------------------------------------------ passwords and names

def hash_password(password: str) -> str:
    """A salted scrypt hash of `password` (werkzeug's format, `scrypt:32768:8:1$salt$hash`)."""
    return generate_password_hash(password, method="scrypt")


def valid_name(name: str) -> str:
    """The editor name, trimmed; ValueError naming the rule when it breaks it."""
    name = name.strip()
    if not name:
        raise ValueError("the editor's name is empty")
    if len(name) > MAX_NAME or any(c.isspace() or not c.isprintable() for c in name):
        raise ValueError(f"the editor's name {name!r} must be one word of at most {MAX_NAME} "
                         "printable characters (no spaces)")
    return name


def check_login(name: str, password: str) -> bool:
    """True when `name` is an editor and `password` is theirs."""
    stored = editors().password_hash(name.strip()) if name.strip() else None
    ok = check_password_hash(stored or _DUMMY_HASH, password)
    return ok and stored is not None


# ----------------------------------------------------------------- who may edit

def is_loopback(host: str | None) -> bool:
    """True for 127.0.0.1, ::1, localhost and the rest of 127.0.0.0/8."""
    if not host:
        return False
    host = host.strip("[]")
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def editors() -> Users:
    """The current application's editors."""
    return current_app.extensions["users"]


def has_editors() -> bool:
    """True once any editor exists (asked once per request)."""
    if "has_editors" not in g:
        g.has_editors = editors().exist()
    return g.has_editors


def editing_open() -> bool:
    """True when anyone may edit without logging in: no editor exists yet and the server
    listens on loopback only (`LISTEN_HOST`, set by `serve`). Under any other WSGI server
    the listening address is unknown, so a login is needed."""
    return is_loopback(current_app.config.get("LISTEN_HOST")) and not has_editors()


def current_editor() -> str | None:
    """The name of the editor logged in on this request, or None."""
    if "editor" not in g:
        # no cookie, no session: a listener's page is not marked as varying by cookie
        has_cookie = current_app.config["SESSION_COOKIE_NAME"] in request.cookies
        name = session.get("editor") if has_cookie else None
        # an editor removed (or renamed) since the login is logged out, and so is a
        # session from before a logout or a new password (its version is behind)
        version = editors().session_version(name) if name else None
        g.editor = name if version is not None and session.get("v") == version else None
    return g.editor


def may_edit() -> bool:
    """True when this request may change things (an editor, or editing is open)."""
    return current_editor() is not None or editing_open()


def editor_required(view: F) -> F:
    """Let only editors (or anyone, while editing is open) through to `view`.

    Others get, for a GET, a redirect to the login page that comes back here; for
    anything else a 403 page with a link to log in (htmx is sent to the login page)."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        refused = editor_refusal()
        return view(*args, **kwargs) if refused is None else refused

    return wrapped  # type: ignore[return-value]


def editor_refusal() -> Any:
    """None when this request may change things; else what `editor_required` answers
    (a redirect to the login page for a GET, htmx sent there, else a 403 page). Reads
    only the headers: the body of a refused request is never read."""
    if may_edit():
        return None
    back = request.full_path.rstrip("?") if request.method == "GET" else _referrer_path()
    login_url = url_for("auth.login", next=back)
    if request.method == "GET":
        return redirect(login_url)
    if request.headers.get("HX-Request"):
        # refused, and sent to the login page (htmx follows HX-Redirect on a 403 too)
        return htmx_response("", 403, redirect=login_url)
    abort(403, description=Markup(
        "Only editors may do this. <a href=\"{}\">Log in</a> as an editor, then try again."
    ).format(login_url))


def _referrer_path() -> str:
    """The path of the page the request came from, when it is on this site."""
    ref = urlsplit(request.referrer or "")
    return safe_next((ref.path or "/") + (f"?{ref.query}" if ref.query else ""))


def safe_next(target: str | None) -> str:
    """`target` when it is a path on this site, else "/": never a redirect elsewhere."""
    if not target or not target.startswith("/") or target.startswith("//") \
            or "\\" in target or urlsplit(target).netloc:
        return "/"
    return target


# ----------------------------------------------------------------- CSRF

def csrf_token() -> str:
    """This session's CSRF token, as forms and htmx send it (Flask-WTF's, made on first
    use and signed; the same one for the whole request)."""
    return generate_csrf()


def csrf_field() -> Markup:
    """The hidden input that carries the CSRF token; put it in every form that changes
    something."""
    return Markup('<input type="hidden" name="{}" value="{}">').format(
        CSRF_FIELD, escape(csrf_token()))


def _csrf_refused(_err: CSRFError) -> tuple[str, int]:
    """The 400 page of a request without this session's token."""
    return render_template("error.html", title="Bad Request", message=CSRF_REFUSED), 400


# ----------------------------------------------------------------- the secret key

def secret_key(data_dir: Path) -> str:
    """The key that signs session cookies: read from `<data>/secret_key`, made there
    (readable by its owner only) the first time. Made under a temporary name and linked
    into place, so processes starting together all end up with the same key."""
    path = data_dir / SECRET_FILE
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        pass
    tmp = data_dir / f".{SECRET_FILE}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w") as out:
            out.write(secrets.token_hex(32) + "\n")
        try:
            os.link(tmp, path)  # fails when another process got there first: use theirs
        except FileExistsError:
            pass
    finally:
        tmp.unlink(missing_ok=True)
    return path.read_text().strip()


class _SessionInterface(SecureCookieSessionInterface):
    """Flask's signed cookie; Secure when the site is https (its public address, or the
    request itself), so a login made over https is never sent in the clear."""

    def get_cookie_secure(self, app: Flask) -> bool:
        public = app.config.get("PUBLIC_URL") or ""
        return bool(app.config["SESSION_COOKIE_SECURE"] or public.startswith("https://")
                    or (request and request.is_secure))


def init_app(app: Flask) -> None:
    """Sessions, the CSRF check on every request that changes something, and the
    template helpers (`csrf_field`, `csrf_token`, `current_editor`, `may_edit`)."""
    app.extensions["users"] = Users(app.extensions["store"].engine)
    app.extensions["login_failures"] = LoginFailures(app.extensions["store"].engine)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = secret_key(Path(app.config["DATA_DIR"]))
    app.config.setdefault("LISTEN_HOST", None)
    app.config.update(
        SESSION_COOKIE_NAME="tp_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
    )
    app.session_interface = _SessionInterface()
    # as the check was before Flask-WTF: a token is good for its session's life (a page
    # left open all day still saves), and no Referer is required on https (SameSite
    # cookies and the token refuse other sites' forms; a browser or proxy that drops
    # Referer would be refused every change). Either may be set in the environment.
    app.config.setdefault("WTF_CSRF_TIME_LIMIT", None)
    app.config.setdefault("WTF_CSRF_SSL_STRICT", False)
    app.config.setdefault("WTF_CSRF_FIELD_NAME", CSRF_FIELD)
    CSRFProtect(app)  # every POST, PUT, PATCH, DELETE; 404 and 405 answer for themselves
    app.register_error_handler(CSRFError, _csrf_refused)
    app.jinja_env.globals.update(
        csrf_field=csrf_field, csrf_token=csrf_token, current_editor=current_editor,
        may_edit=may_edit, editing_open=editing_open,
    )
