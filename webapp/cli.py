"""The `transcript-player` command: a click group, one subcommand per job.

    transcript-player align AUDIO TRANSCRIPT [-o OUT] [--format FMT] [--language eng]

`align` is the library's own command (`alignment.cli`, also `python -m alignment align`);
the rest (import, retry, serve, worker, demo...) work on the web app's data folder.
Bad input ends with exit status 2 and one line on stderr naming the problem and the fix
(`InputError`), never a traceback; a traceback means a bug.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from contextlib import contextmanager
from functools import partial
from pathlib import Path

import click

from alignment import AlignmentError, AudioError, TranscriptError, check_audio_file
from alignment.cli import (
    INTERRUPTED,
    Group,
    InputError,
    ProgressBar,
    check_audio,
    language_checked,
    read_transcript_file,
    summary,
    warn,
)
from alignment.cli import align as align_command

__all__ = ["InputError", "main", "waitress_settings"]


# Ctrl-C ends any command with status 130 and one line (alignment.cli.Group)
@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="transcript-player", prog_name="transcript-player")
def main() -> None:
    """Force a transcript onto its recording, and play it with the text in a browser."""


# the library's own command (`python -m alignment align`), the same here
main.add_command(align_command)


# ---------------------------------------------------------------- the web app
# import, retry, serve, worker, demo: they share the data folder (--data, else
# $TRANSCRIPT_PLAYER_DATA, else ./instance) and build the app with create_app.
# Each imports the web app's modules it uses when it runs (not with this module), so
# that `align` and `--help` start without Flask, SQLAlchemy and the queue.

def _data_option(func):  # type: ignore[no-untyped-def]
    return click.option(
        "--data", type=click.Path(path_type=Path, file_okay=False), default=None,
        metavar="DIR", help="Data folder. Default: $TRANSCRIPT_PLAYER_DATA, else ./instance.",
    )(func)


def _make_app(data: Path | None):  # type: ignore[no-untyped-def]
    """The web app on the given data folder (created when missing)."""
    from webapp.app import create_app

    if data is not None and data.exists() and not data.is_dir():
        raise InputError(f"--data {click.format_filename(data)} is a file; give a folder")
    try:
        return create_app({"DATA_DIR": str(data)} if data is not None else None)
    except OSError as err:
        raise InputError(f"cannot use the data folder: {err.strerror or err}") from None
    except ValueError as err:  # a setting that is not what it must be, named in the message
        raise InputError(str(err)) from None


def _align_now(app, recording_id: str, quiet: bool) -> None:  # type: ignore[no-untyped-def]
    """Run a recording's alignment in this process, with the progress bar; fail clearly."""
    from webapp.jobs import align_now

    started = time.monotonic()
    try:
        syncmap = align_now(app, recording_id, progress=None if quiet else ProgressBar())
    except AlignmentError as err:
        raise InputError(
            f"{err} (the recording is kept as {recording_id}; to remove it: "
            f"transcript-player delete {recording_id}; fix the problem (--language and "
            f"--transcript change them), then run: transcript-player retry {recording_id})"
        ) from None
    if not quiet:
        click.echo(summary(syncmap, started), err=True)
    warn(syncmap)


@main.command("import")
@click.argument("audio", type=click.Path(path_type=Path, readable=False))
@click.argument("transcript", type=click.Path(path_type=Path, allow_dash=True, readable=False))
@click.option("-t", "--title", required=True, help="The recording's title, shown in the library.")
@click.option(
    "-l", "--language", default="eng", show_default=True, metavar="CODE",
    callback=language_checked,
    help="Language of the recording, as an ISO 639-3 code (eng, fra, deu, rus...).",
)
@_data_option
@click.option("--queue", is_flag=True,
              help="Queue the alignment for `serve` or `worker` instead of running it now.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar and no summary on stderr.")
def import_recording(
    audio: Path, transcript: Path, title: str, language: str, data: Path | None, queue: bool,
    quiet: bool,
) -> None:
    """Store the recording AUDIO with its TRANSCRIPT, align them, print the player's path.

    The last line of output is the player's path, /r/<id>; `serve` shows it.
    """
    text = read_transcript_file(transcript)
    check_audio(audio)
    app = _make_app(data)
    _store_and_align(app, audio, text, title=title, language=language, queue=queue,
                     quiet=quiet)


def _store_and_align(  # type: ignore[no-untyped-def]
    app, audio: Path, text: str, *, title: str, language: str, queue: bool, quiet: bool,
    source_url: str | None = None,
) -> None:
    """Store a checked recording and transcript, align (or queue) them, print /r/<id>:
    the one import path of `import` and `import-url`."""
    from webapp.importer import TitleError, store_recording
    from webapp.jobs import enqueue_alignment

    if not quiet:
        click.echo("storing the audio and making its seek-safe copy ...", err=True)
    try:
        rid = store_recording(app, audio, text, title=title, language=language,
                              source_url=source_url)
    except TitleError as err:  # the option that fixes it, as for --language
        raise InputError(f"--title: {err}") from None
    except AlignmentError as err:
        raise InputError(str(err)) from None
    try:
        if queue:
            enqueue_alignment(app, rid)
            if not quiet:
                click.echo("queued; `transcript-player serve` or `worker` will align it",
                           err=True)
        else:
            _align_now(app, rid, quiet)
    except KeyboardInterrupt:
        # Ctrl-C undoes the import: no job left "running", no half import that a second
        # try would duplicate
        _remove_recording(app, rid)
        click.echo(f"\ninterrupted: the import was undone ({rid} removed); run it again "
                   "to start over", err=True)
        raise click.exceptions.Exit(INTERRUPTED) from None
    click.echo(f"/r/{rid}")


def _remove_recording(app, recording_id: str) -> bool:  # type: ignore[no-untyped-def]
    """Delete a recording and the media files no other recording uses."""
    from webapp.media import remove_media

    remove = partial(remove_media, Path(app.config["MEDIA_DIR"]))
    return app.extensions["store"].delete_recording(recording_id, remove)


@main.command("import-url")
@click.argument("url")
@click.option("-t", "--title", default=None,
              help="The recording's title. Default: the page's title.")
@click.option("--audio", "audio_url", default=None, metavar="URL",
              help="The recording to download, when the page links to none or to several "
                   "(relative to the page).")
@click.option(
    "-l", "--language", default="eng", show_default=True, metavar="CODE",
    callback=language_checked,
    help="Language of the recording, as an ISO 639-3 code (eng, fra, deu, rus...).",
)
@click.option("--allow-private", is_flag=True,
              help="Fetch from private, loopback and link-local addresses too (refused by "
                   "default; also TRANSCRIPT_PLAYER_ALLOW_PRIVATE_URLS=1).")
@_data_option
@click.option("--queue", is_flag=True,
              help="Queue the alignment for `serve` or `worker` instead of running it now.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar and no summary on stderr.")
def import_url(
    url: str, title: str | None, audio_url: str | None, language: str, allow_private: bool,
    data: Path | None, queue: bool, quiet: bool,
) -> None:
    """Fetch the page at URL, read its transcript, download the recording it links to
    (<audio>, og:audio, an "Audio file" or "Download MP3" link), and import them as
    `import` does, crediting the page on the player.

    The last line of output is the player's path, /r/<id>.
    """
    import tempfile

    from webapp import fetch
    from webapp.limits import MAX_TITLE

    app = _make_app(data)
    allow_private = allow_private or fetch.private_allowed(app.config)
    with tempfile.TemporaryDirectory(dir=app.config["DATA_DIR"], prefix=".import-url-") as tmp:
        say = None if quiet else (lambda message: click.echo(message, err=True))
        try:
            got = fetch.fetch_recording(url, Path(tmp), allow_private=allow_private,
                                        audio_url=audio_url, language=language, say=say,
                                        config=app.config)
        except fetch.AudioChoiceError as err:
            click.echo(f"Error: {err}", err=True)
            for link in err.candidates:
                click.echo(f"  {link.url}" + (f"  ({link.label})" if link.label else ""),
                           err=True)
            raise click.exceptions.Exit(2) from None
        except fetch.PrivateAddressError as err:
            raise InputError(f"{err}; add --allow-private to fetch from private "
                             "networks") from None
        except (fetch.FetchError, TranscriptError) as err:
            raise InputError(str(err)) from None
        try:
            check_audio_file(got.audio)
        except AudioError as err:
            raise InputError(f"the audio at {got.audio_url}: {err}") from None
        _store_and_align(
            app, got.audio, got.transcript,
            title=title or (got.title or got.page_url)[:MAX_TITLE],
            language=language, queue=queue, quiet=quiet, source_url=got.page_url,
        )


@main.command()
@click.argument("recording_id")
@_data_option
@click.option(
    "-l", "--language", default=None, metavar="CODE", callback=language_checked,
    help="Align it as this language from now on (an ISO 639-3 code: eng, fra, deu...).",
)
@click.option(
    "--transcript", "transcript", type=click.Path(path_type=Path, allow_dash=True, readable=False),
    default=None, metavar="FILE", help="Align it with this transcript from now on.",
)
@click.option("--queue", is_flag=True, help="Queue it for `serve` or `worker` instead.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar and no summary on stderr.")
def retry(recording_id: str, data: Path | None, language: str | None,
          transcript: Path | None, queue: bool, quiet: bool) -> None:
    """Align a stored recording again (after a failure), from its kept audio and transcript,
    or with the language or transcript given here, which it then keeps."""
    from webapp.jobs import enqueue_alignment

    text = read_transcript_file(transcript) if transcript is not None else None
    app = _make_app(data)
    store = app.extensions["store"]
    rec = store.get_recording(recording_id)
    if rec is None:
        raise InputError(f"there is no recording {recording_id!r}; the library lists them")
    if text is not None:
        from webapp import limits
        from webapp.importer import check_plain

        try:
            check_plain(text)
            limits.read_checked(text, language or rec.language, app.config)
        except AlignmentError as err:
            raise InputError(f"--transcript: {err}") from None
    store.set_inputs(recording_id, language=language, transcript=text)
    if queue:
        enqueue_alignment(app, recording_id)
    else:
        _align_now(app, recording_id, quiet)
    click.echo(f"/r/{recording_id}")


@main.command()
@click.argument("recording_id")
@_data_option
def delete(recording_id: str, data: Path | None) -> None:
    """Delete a recording: its row, sentences, jobs and search entries, and its audio
    files unless another recording plays them."""
    app = _make_app(data)
    if not _remove_recording(app, recording_id):
        raise InputError(f"there is no recording {recording_id!r}; the library lists them")
    click.echo(f"deleted {recording_id}", err=True)


# ---------------------------------------------------------------- editors

#: the shortest password taken
MIN_PASSWORD = 8


def _users(data: Path | None):  # type: ignore[no-untyped-def]
    return _make_app(data).extensions["users"]


@main.group()
def user() -> None:
    """The editors: who may upload, correct and delete recordings.

    \b
    transcript-player user add NAME          # the password is asked twice
    transcript-player user add NAME --password-stdin < file
    transcript-player user list
    transcript-player user remove NAME
    """


@user.command("add")
@click.argument("name")
@click.option("--password-stdin", is_flag=True,
              help="Read the password from the first line of stdin instead of asking.")
@_data_option
def add(name: str, password_stdin: bool, data: Path | None) -> None:
    """Make NAME an editor (or give NAME a new password)."""
    from webapp.auth import hash_password, valid_name

    try:
        name = valid_name(name)
    except ValueError as err:
        raise InputError(str(err)) from None
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt(f"Password for {name}", hide_input=True,
                                confirmation_prompt="Repeat it", err=True)
    if len(password) < MIN_PASSWORD:
        raise InputError(f"the password is {len(password)} characters long; give at least "
                         f"{MIN_PASSWORD}")
    new = _users(data).set(name, hash_password(password))
    click.echo(f"{'added the editor' if new else 'new password for'} {name}", err=True)


@user.command("list")
@_data_option
def list_users(data: Path | None) -> None:
    """Print every editor's name, one a line."""
    for name in _users(data).names():
        click.echo(name)


@user.command("remove")
@click.argument("name")
@_data_option
def remove(name: str, data: Path | None) -> None:
    """Remove the editor NAME (their sessions end at their next request)."""
    if not _users(data).remove(name):
        raise InputError(f"there is no editor {name!r}; `transcript-player user list` "
                         "names them")
    click.echo(f"removed the editor {name}", err=True)


#: addresses that mean "every interface": no one can open them, so links name the machine
WILDCARD_HOSTS = ("0.0.0.0", "::", "")


def _named_host(host: str) -> str:
    """The host links name for a server listening on `host`."""
    import socket

    return socket.gethostname() if host in WILDCARD_HOSTS else host


def _url(host: str, port: int) -> str:
    """The server's address for people to open: `http://127.0.0.1:5000`, `http://[::1]:5000`."""
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}"


#: connections `serve` holds open at once (waitress's default is 100)
CONNECTION_LIMIT = 1000
#: seconds a connection may stay silent (waitress's default is 120)
CHANNEL_TIMEOUT = 20
#: how often silent connections are looked for (waitress's default is 30 s)
CLEANUP_INTERVAL = 5


def waitress_settings(config) -> dict:  # type: ignore[no-untyped-def]
    """What `serve` tells waitress beyond host, port and threads."""
    return {
        # a larger body is answered 413 by waitress before it is read or spooled; an
        # upload's bound, which `webapp.bodylimit` lowers to MAX_CONTENT_LENGTH for
        # every request that is not an upload
        "max_request_body_size": max(config["MAX_CONTENT_LENGTH"], config["MAX_UPLOAD"]),
        # Idle and half-sent connections cost a file descriptor each, not a thread, so
        # many may wait; at waitress's 100 a hundred of them kept every reader out. They
        # are closed after CHANNEL_TIMEOUT seconds without a byte, checked every
        # CLEANUP_INTERVAL. poll(), since select() stops at 1024 descriptors.
        "connection_limit": CONNECTION_LIMIT,
        "channel_timeout": CHANNEL_TIMEOUT,
        "cleanup_interval": CLEANUP_INTERVAL,
        "asyncore_use_poll": True,
        # a proxy on this machine (nginx in front of `serve`) names the client in
        # X-Forwarded-For and the scheme in X-Forwarded-Proto: the limits kept per
        # client address (webapp.clients) and HSTS need them; anyone else's are dropped
        **_trusted_proxy(config),
    }


def _trusted_proxy(config) -> dict:  # type: ignore[no-untyped-def]
    """waitress's proxy settings: the loopback proxy of TRUSTED_PROXIES, when there is
    one (waitress trusts a single address)."""
    proxies = sorted(config.get("TRUSTED_PROXIES") or ())
    if not proxies:
        return {}
    return {"trusted_proxy": "127.0.0.1" if "127.0.0.1" in proxies else proxies[0],
            "trusted_proxy_count": 1,
            "trusted_proxy_headers": {"x-forwarded-for", "x-forwarded-proto"},
            "clear_untrusted_proxy_headers": True}


def _raise_file_limit(wanted: int) -> None:
    """Let this process hold `wanted` descriptors when the hard limit allows it."""
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if soft != resource.RLIM_INFINITY and soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))


def _serve(app, host: str, port: int, threads: int, workers: int) -> None:  # type: ignore[no-untyped-def]
    """Serve with waitress, with queue workers as threads of this process."""
    from webapp.auth import is_loopback
    from webapp.bodylimit import bounded_server
    from webapp.jobs import start_in_process_workers
    from webapp.uploadgate import gate as upload_gate

    app.config["LISTEN_HOST"] = host  # on loopback, editing is open until an editor exists
    if not is_loopback(host) and not app.extensions["users"].exist():
        raise InputError(
            f"serving on {host} lets anyone who can reach it upload, edit and delete, and "
            "no editor exists yet; add one first: transcript-player user add NAME "
            "(or serve on 127.0.0.1)")
    if not app.config["PUBLIC_URL"]:
        # links name the address this server was started on, never a request's Host
        app.config["SERVER_URL"] = _url(_named_host(host), port)
        if host in WILDCARD_HOSTS:
            click.echo(f"links will name {app.config['SERVER_URL']}; set "
                       "TRANSCRIPT_PLAYER_PUBLIC_URL to the address people open", err=True)
    from webapp.litter import start_collector

    if workers > 0:  # with the lease keeper; SIGTERM hands back what they run
        start_in_process_workers(app, workers)
    start_collector(app)  # what killed imports and alignments left, once an hour old
    _raise_file_limit(CONNECTION_LIMIT + 200)  # the connections, the database, the media
    click.echo(f"serving {app.config['DATA_DIR']} at {_url(host, port)}/ (Ctrl-C stops)",
               err=True)
    try:
        settings = waitress_settings(app.config)
        # an upload is put to the gate on its headers (who may upload, the upload
        # rate) before its body is read, and what waitress keeps of it is spooled into
        # the data folder
        make_server = bounded_server(
            [url_for_upload(app)], small=app.config["MAX_CONTENT_LENGTH"],
            large=settings["max_request_body_size"], gate=upload_gate(app),
            spool_dir=Path(app.config["DATA_DIR"]),
            # a whole request head within connguard.HEAD_TIMEOUT, connguard.PER_ADDRESS
            # connections an address; 100 short of waitress's limit, the oldest
            # unanswered connection makes way for a new one
            guard={"soft_limit": CONNECTION_LIMIT - 100})
        # waitress's public API (`create_server`, then `run`), which `bounded_server`
        # wraps; `waitress.serve` would also set up logging and print its own line
        server = make_server(app, host=host, port=port, threads=threads,
                             ident="transcript-player", **settings)
        server.run()
    except OSError as err:
        raise InputError(f"cannot listen on {host}:{port} ({err.strerror or err}); "
                         "is another server using it? Choose another with --port") from None


def url_for_upload(app) -> str:  # type: ignore[no-untyped-def]
    """The path uploads are posted to (`POST /recordings`)."""
    from flask import url_for

    with app.test_request_context():
        return url_for("upload.create")


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535))
@_data_option
@click.option("--threads", default=8, show_default=True, type=click.IntRange(1, 256),
              help="Web server threads.")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(0, 64),
              help="Alignment worker threads in this process (0: leave it to `worker`).")
def serve(host: str, port: int, data: Path | None, threads: int, workers: int) -> None:
    """Serve the library and the player with waitress (a production WSGI server)."""
    _serve(_make_app(data), host, port, threads, workers)


@main.command()
@_data_option
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 64),
              help="Alignments run at once.")
def worker(data: Path | None, workers: int) -> None:
    """Run alignment jobs from the queue (SQLite in the data folder, or Redis when
    TRANSCRIPT_PLAYER_REDIS_URL is set) until stopped."""
    from webapp.jobs import run_worker
    from webapp.litter import start_collector

    app = _make_app(data)
    start_collector(app)
    click.echo(f"alignment worker on {app.config['DATA_DIR']} with {workers} threads", err=True)
    run_worker(app, workers)  # SIGTERM: jobs finish within JOB_STOP_GRACE, or go back


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535))
@_data_option
@click.option("--no-serve", is_flag=True, help="Build the demo library, then stop.")
def demo(host: str, port: int, data: Path | None, no_serve: bool) -> None:
    """The seed press conference (synthesised reading) and a human reading, served."""
    from webapp.demo import build_demo

    app = _make_app(data)
    say = lambda message: click.echo(message, err=True)  # noqa: E731
    try:
        items = build_demo(app, say=say, progress=ProgressBar)
    except (AlignmentError, RuntimeError, FileNotFoundError) as err:
        raise click.ClickException(str(err)) from None
    for item in items:
        state = "imported" if item.created else "already there"
        click.echo(f"{item.title} ({state}): {_url(host, port)}/r/{item.recording_id}",
                   err=True)
    if not no_serve:
        _serve(app, host, port, threads=8, workers=1)


# ---------------------------------------------------------------- the library as a whole
# migrate, backup, restore: webapp.store.transfer does the work; these name the problems.

def _transfer_errors(what: str):  # type: ignore[no-untyped-def]
    """A context that turns the transfer's and the database's errors into one line."""
    from webapp.store.database import DatabaseUnavailable
    from webapp.store.transfer import TransferError, plain_errors

    @contextmanager
    def context():  # type: ignore[no-untyped-def]
        try:
            with plain_errors():  # the database's own errors, as TransferError
                yield
        except (TransferError, DatabaseUnavailable) as err:
            raise InputError(f"{what}: {err}") from None
        except OSError as err:
            raise InputError(f"{what}: {err.strerror or err}") from None

    return context()


@main.command()
@click.option("--to", "target", required=True, metavar="URL",
              help="The empty database to move to: postgresql://USER:PASSWORD@HOST/NAME.")
@_data_option
def migrate(target: str, data: Path | None) -> None:
    """Copy this library's database into the empty database at URL, every row, with
    nothing lost; then point every machine at it (TRANSCRIPT_PLAYER_DATABASE_URL)."""
    from webapp.store import Store
    from webapp.store.database import public_url
    from webapp.store.transfer import copy_library

    app = _make_app(data)
    say = lambda message: click.echo(f"  {message}", err=True)  # noqa: E731
    with _transfer_errors("migrate"):
        store = Store(target)
        try:
            counts = copy_library(app.extensions["store"], store, say=say)
        finally:
            store.dispose()
    click.echo(f"copied {counts.get('recordings', 0)} recordings to {public_url(target)}; "
               f"set TRANSCRIPT_PLAYER_DATABASE_URL={public_url(target)} on every machine "
               f"(the media stay in {app.config['MEDIA_DIR']}: mount that folder on each)",
               err=True)


def _transfer(name: str, run: Callable[..., dict], folder: Path, data: Path | None) -> dict:
    """Run a backup or restore (`run`) between this library and FOLDER, saying each step;
    its manifest back, its failures as one line naming them."""
    app = _make_app(data)
    with _transfer_errors(name):
        return run(app.extensions["store"], Path(app.config["MEDIA_DIR"]), folder,
                   say=lambda message: click.echo(f"  {message}", err=True))


@main.command()
@click.argument("folder", type=click.Path(path_type=Path, file_okay=False))
@_data_option
def backup(folder: Path, data: Path | None) -> None:
    """Write the whole library (database and media) to the new folder FOLDER."""
    from webapp.store.transfer import backup as write_backup

    manifest = _transfer("backup", write_backup, folder, data)
    click.echo(f"backed up {manifest['tables'].get('recordings', 0)} recordings and "
               f"{len(manifest['media'])} media files to {click.format_filename(folder)}",
               err=True)


@main.command()
@click.argument("folder", type=click.Path(path_type=Path, file_okay=False, exists=True))
@_data_option
def restore(folder: Path, data: Path | None) -> None:
    """Read a backup FOLDER into this (empty) library: its database and media folder."""
    from webapp.store.transfer import restore as read_backup

    manifest = _transfer("restore", read_backup, folder, data)
    click.echo(f"restored {manifest['tables'].get('recordings', 0)} recordings and "
               f"{len(manifest['media'])} media files", err=True)
