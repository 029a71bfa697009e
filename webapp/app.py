"""The Flask application factory.

    create_app(config=None) -> Flask

The settings come from their defaults, the environment's `TRANSCRIPT_PLAYER_*` variables
and `config`, each over the one before, and are checked (`webapp.settings`). The data
folder (the Flask instance folder) holds the database, the media files and the task
queue: `config["DATA_DIR"]`, else `TRANSCRIPT_PLAYER_DATA`, else `./instance`.
"""

from __future__ import annotations

import gzip
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from flask import (
    Flask,
    Response,
    abort,
    current_app,
    make_response,
    render_template,
    request,
    url_for,
)
from htmx_flask import Htmx
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from alignment import Kind, sha256_file
from webapp import (
    api,
    auth,
    clips,
    editing,
    embed,
    hosts,
    jobs,
    library,
    limits,
    login,
    player,
    ratelimit,
    settings,
    source,
    upload,
    words,
)
from webapp.headers import add_security_headers
from webapp.messages import public_message
from webapp.moments import clock
from webapp.request_helpers import external_url
from webapp.resources import pages_folder
from webapp.store import Store
from webapp.textguard import FormGuard, check_address
from webapp.upload import SpoolInDataFolder

__all__ = ["PROJECT_ROOT", "create_app"]

#: the folder above the package: the checkout's root when run from a clone (the tests and
#: the deploy recipes read it); the pages are found through `webapp.resources`, which also
#: knows the wheel's layout
PROJECT_ROOT = Path(__file__).resolve().parent.parent

@cache
def _file_digest(path: str, mtime: float) -> str:
    return sha256_file(path)[:10]


def _version(filename: str) -> str:
    """A static file's content hash (cached until the file changes), or "0"."""
    folder = Path(current_app.static_folder or "")
    path = (folder / filename).resolve()
    if not path.is_relative_to(folder.resolve()) or not path.is_file():
        return "0"
    return _file_digest(str(path), path.stat().st_mtime)


def _asset(filename: str) -> str:
    """A static file's URL with a content hash, so browsers never run a stale script."""
    return url_for("static", filename=filename, v=_version(filename))


#: what is worth compressing; audio, images and archives are compressed already
COMPRESSIBLE = {
    "text/html", "text/css", "text/javascript", "application/javascript", "application/json",
    "text/vtt", "application/x-subrip", "image/svg+xml", "text/plain",
}
MIN_COMPRESS = 512  # bytes; below this gzip's header outweighs the gain
_gzip_cache: dict[tuple[str, str], bytes] = {}  # (path, ETag) of static files -> gzip


def _cache_static(resp: Response) -> None:
    """A static file asked for with its current content hash (`?v=`) never changes: a
    year, immutable. Without the hash (or with an old one) it is revalidated each time."""
    filename = (request.view_args or {}).get("filename", "")
    if resp.status_code in (200, 304) and request.args.get("v") == _version(filename):
        resp.cache_control.no_cache = None
        resp.cache_control.public = True
        resp.cache_control.max_age = 31536000
        resp.cache_control.immutable = True


def _compress(resp: Response) -> Response:
    """gzip a text response when the client takes it (stdlib gzip; no range answers)."""
    resp.vary.add("Accept-Encoding")
    if (
        resp.status_code != 200
        or resp.mimetype not in COMPRESSIBLE
        or "Content-Encoding" in resp.headers
        or "Content-Range" in resp.headers
        or request.accept_encodings["gzip"] <= 0
        or resp.is_streamed and not resp.direct_passthrough
    ):
        return resp
    resp.direct_passthrough = False  # send_file's file wrapper: read it here
    key = (request.path, resp.get_etag()[0] or "") if request.endpoint == "static" else None
    body = _gzip_cache.get(key) if key and key[1] else None
    if body is None:
        data = resp.get_data()
        if len(data) < MIN_COMPRESS:
            return resp
        body = gzip.compress(data, compresslevel=6, mtime=0)
        if key and key[1]:
            _gzip_cache[key] = body
    resp.set_data(body)
    resp.headers["Content-Encoding"] = "gzip"
    etag, weak = resp.get_etag()
    if etag and not weak:
        # the same entity, encoded: a weak validator still answers If-None-Match with 304
        resp.set_etag(etag, weak=True)
    return resp


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the application; `config` overrides settings and the environment (tests
    pass a temporary DATA_DIR)."""
    app = Flask(
        __name__,
        template_folder=str(pages_folder("templates")),
        static_folder=str(pages_folder("static")),
    )
    app.config.from_mapping(
        settings.defaults(),  # what the operator sets: webapp.settings
        HUEY_IMMEDIATE=False,
        LOW_CONFIDENCE=0.5,
        SEARCH_LIMIT=limits.SEARCH_LIMIT,
        # a running job silent this long has lost its worker: the page stops waiting
        JOB_STALE_SECONDS=300,
        SERVER_URL=None,
        # the address `serve` listens on: on loopback, editing is open until an editor
        # exists (webapp.auth); unknown (None) under any other server, which needs a login
        LISTEN_HOST=None,
    )
    settings.from_environment(app.config)
    app.config.update(config or {})
    settings.check(app.config)
    data_dir = Path(app.config["DATA_DIR"]).resolve()
    app.instance_path = app.config["DATA_DIR"] = str(data_dir)
    app.config["DATABASE_URL"] = (app.config["DATABASE_URL"]
                                  or f"sqlite:///{data_dir / 'transcript-player.sqlite3'}")
    app.config.setdefault("MEDIA_DIR", str(data_dir / "media"))
    data_dir.mkdir(parents=True, exist_ok=True)
    Path(app.config["MEDIA_DIR"]).mkdir(parents=True, exist_ok=True)

    Htmx(app)
    # uploads spool into the data folder, not /tmp; form fields are text (no control
    # characters); htmx's request (`request.htmx`) kept
    app.request_class = type("Request", (FormGuard, SpoolInDataFolder, app.request_class),
                             {})

    store = Store(app.config["DATABASE_URL"])
    store.create_all()
    app.extensions["store"] = store

    jobs.init_app(app)

    app.register_blueprint(source.bp)
    app.register_blueprint(library.bp)
    app.register_blueprint(player.bp)
    app.register_blueprint(embed.bp)
    app.register_blueprint(clips.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(upload.bp)
    app.register_blueprint(editing.bp)
    app.register_blueprint(login.bp)

    app.jinja_env.filters["clock"] = clock
    app.jinja_env.filters["secs"] = lambda ms: f"{(ms or 0) / 1000:.3f}"
    # a sentence's words' times as the page carries them (data-words); pages built from a
    # prepared alignment pass its own, which keeps them (webapp.paging.Prepared)
    app.jinja_env.globals["word_times"] = lambda s: words.page_times(s.words)
    app.jinja_env.globals["asset"] = _asset
    app.jinja_env.globals["external_url"] = external_url
    # each defined once, in the module that serves it
    app.jinja_env.globals.update(EXPORTS=api.EXPORTS, SPEEDS=player.SPEEDS,
                                 DEFAULT_SPEED=player.DEFAULT_SPEED, Kind=Kind,
                                 MAX_CLIP_MS=limits.MAX_CLIP_MS)
    app.jinja_env.filters["public"] = public_message
    # a title in plain text (<title>): right-to-left marks inside it stay inside it
    # (FIRST STRONG ISOLATE ... POP DIRECTIONAL ISOLATE); in the page, titles are <bdi>
    app.jinja_env.filters["isolate"] = lambda text: f"\u2068{text}\u2069"

    @app.context_processor
    def _globals() -> dict[str, Any]:
        return {"source_url": app.config["SOURCE_URL"] or url_for("source.archive")}

    hosts.init_app(app)  # a request for another site's name is refused before all else
    app.before_request(check_address)  # no control character in the path or the query

    @app.before_request
    def _bounded_body() -> Any:
        # refused on what the request says it sends, before anything reads the body;
        # an upload has its own, larger bound (MAX_UPLOAD), and room for pasted text
        if request.endpoint in upload.UPLOAD_ENDPOINTS:
            # who may not upload is answered before the body is read (and before the
            # CSRF check, which may read the form); so is a client over its upload rate
            refused = auth.editor_refusal()
            if refused is not None:
                return refused
            ratelimit.enforce("uploads")
            request.max_content_length = app.config["MAX_UPLOAD"]
            # a pasted transcript a little over its bound is read, and refused naming it
            request.max_form_memory_size = limits.upload_form_memory(app.config)
        limit = request.max_content_length
        if limit is not None and (request.content_length or 0) > limit:
            abort(413)

    auth.init_app(app)  # after the bound: a CSRF check may read the form

    @app.after_request
    def _security_headers(resp):  # type: ignore[no-untyped-def]
        add_security_headers(resp, https=request.is_secure
                             or (app.config["PUBLIC_URL"] or "").startswith("https://"))
        if request.endpoint == "static":
            _cache_static(resp)
        return _compress(resp)

    @app.errorhandler(HTTPException)
    def _http_error(err: HTTPException):  # type: ignore[no-untyped-def]
        if err.code is None or err.code < 400:
            return err
        title = err.name
        message = err.description or "The request was not understood."
        resp = make_response(render_template("error.html", title=title, message=message),
                             err.code)
        # what the error itself says in headers stays: Allow on a 405, Content-Range on
        # a 416, WWW-Authenticate, Retry-After; only its plain-text type is replaced
        for name, value in err.get_headers(request.environ):
            if name.lower() != "content-type":
                resp.headers[name] = value
        return resp

    @app.errorhandler(RequestEntityTooLarge)
    def _too_large_error(_err: RequestEntityTooLarge):  # type: ignore[no-untyped-def]
        # the bound this route has, named with its setting (also when a chunked body
        # runs over it while the form is read)
        upload_route = request.endpoint in upload.UPLOAD_ENDPOINTS
        limit = request.max_content_length or app.config["MAX_CONTENT_LENGTH"]
        message = _too_large(limit, "TRANSCRIPT_PLAYER_MAX_UPLOAD" if upload_route
                             else "TRANSCRIPT_PLAYER_MAX_BODY")
        if upload_route and (request.content_length or 0) <= limit:
            # within the upload's bound: a form field (the pasted text) was too long
            bound = app.config["MAX_TRANSCRIPT_BYTES"]
            message = (f"The pasted transcript is far over the {limits.human_bytes(bound)} "
                       "of text this server takes (TRANSCRIPT_PLAYER_MAX_TRANSCRIPT_BYTES). "
                       "Nothing was stored. Split the recording and its transcript.")
        return render_template("error.html", title="Too large", message=message), 413

    @app.errorhandler(500)
    def _server_error(_err):  # type: ignore[no-untyped-def]
        return (
            render_template(
                "error.html", title="Something went wrong",
                message="The server could not answer this request. Nothing stored was lost.",
            ),
            500,
        )

    return app


def _too_large(limit: int, setting: str) -> str:
    return (f"The request sends more than this server takes ({limit:,} bytes). Send a "
            f"smaller request. (The bound is {limits.human_bytes(limit)}, set by {setting}.)")
