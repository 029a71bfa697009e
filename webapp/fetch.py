"""Fetching a transcript page and the recording it links to, from the web, with limits.

    fetch_page(url, allow_private=False) -> Page
    download(url, dest, allow_private=False) -> Fetched
    fetch_recording(url, workdir, allow_private=False, audio_url=None) -> PageImport
    private_allowed(config) -> bool

`import-url` on the command line calls `fetch_recording`; the upload form's "page
address" field is to call it too, with `private_allowed(app.config)`.

Only http and https. Every address a host name resolves to is checked with `ipaddress`
before connecting, on the first request and after each redirect (at most
`MAX_REDIRECTS`): private, loopback, link-local, reserved, multicast and other
non-global addresses are refused unless the operator allows them. The address actually
connected to is checked again before the body is read, so a name that resolves to a
public address for the check and a private one for the connection is refused too.
Proxies from the environment are not used, since the checks are of the host connected to.
Sizes are capped (`MAX_PAGE_BYTES`, `MAX_AUDIO_BYTES`, by Content-Length and while
reading), and so are the waits (`CONNECT_TIMEOUT`, `READ_TIMEOUT` between two reads,
and a total deadline for the whole of each answer, `PAGE_DEADLINE` and `AUDIO_DEADLINE`,
so a server trickling a byte at a time cannot hold an import for ever); each bound is
defined, with its reason, in `webapp.limits`. 6to4 addresses (2002::/16) are refused,
since they reach any IPv4 address, and a NAT64 address (64:ff9b::/96) is checked as the
IPv4 address it stands for.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from email.message import Message
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urljoin

import httpx

from alignment import TooManySentences, TranscriptError, documents, read_transcript
from alignment.documents.html import AudioLink, audio_links, looks_like_html, page_title
from webapp import limits
from webapp.media import MEDIA_TYPES

__all__ = [
    "AudioChoiceError", "FetchError", "Fetched", "Page", "PageImport", "PrivateAddressError",
    "check_url", "download", "fetch_page", "fetch_recording", "private_allowed",
]

_SIX_TO_FOUR = ipaddress.ip_network("2002::/16")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")

_USER_AGENT = "transcript-player (import-url; +https://www.gnu.org/licenses/agpl-3.0.html)"


class FetchError(Exception):
    """An address that cannot or may not be fetched; the message is one line for the user."""


class PrivateAddressError(FetchError):
    """The address is on a private, loopback, link-local or reserved network."""


class AudioChoiceError(FetchError):
    """The page references no recording, or several: `candidates` lists them."""

    def __init__(self, message: str, candidates: list[AudioLink]) -> None:
        super().__init__(message)
        self.candidates = candidates


@dataclass(frozen=True)
class Fetched:
    """What was fetched: the final address (after redirects), its type and size."""

    url: str
    content_type: str
    size: int


@dataclass(frozen=True)
class Page(Fetched):
    """A fetched page and its bytes."""

    data: bytes


@dataclass(frozen=True)
class PageImport:
    """A page read for import: its transcript text, title and the recording downloaded."""

    page_url: str
    title: str
    transcript: str
    audio_url: str
    audio: Path


def private_allowed(config: Mapping[str, Any]) -> bool:
    """Whether the server may fetch private addresses: `ALLOW_PRIVATE_URLS` of the app's
    config (`TRANSCRIPT_PLAYER_ALLOW_PRIVATE_URLS`: 1, true, yes, on), already read into a
    bool with the other settings by `webapp.settings`; off when it is not set."""
    return bool(config.get("ALLOW_PRIVATE_URLS"))


def _size(n: int) -> str:
    for unit, scale in (("GB", 1024**3), ("MB", 1024**2), ("kB", 1024)):
        if n >= scale:
            return f"{n / scale:g} {unit}"
    return f"{n} bytes"


def _refusal(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    """Why `address` is not fetched without permission, or None when it is public."""
    if isinstance(address, ipaddress.IPv6Address):
        if address in _SIX_TO_FOUR:  # 6to4 reaches any IPv4 address through a relay
            return "a 6to4 address (2002::/16)"
        if address in _NAT64:  # the IPv4 address it is translated to
            address = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
        elif address.ipv4_mapped is not None:
            address = address.ipv4_mapped
    # the narrower kinds first: Python counts loopback, link-local and reserved as private
    for kind in ("loopback", "link_local", "unspecified", "multicast", "reserved",
                 "private"):
        if getattr(address, f"is_{kind}"):
            return f"a {kind.replace('_', '-')} address"
    if not address.is_global:  # shared (100.64/10), documentation, benchmarking ...
        return "not a public address"
    return None


def _check_address(url: str, host: str, address: str) -> None:
    try:
        ip = ipaddress.ip_address(address.split("%")[0])
    except ValueError:
        raise FetchError(f"{host} resolves to {address!r}, which is not an IP address") \
            from None
    why = _refusal(ip)
    if why is not None:
        shown = host if host == address else f"{host} ({ip})"
        raise PrivateAddressError(f"refused {url}: {shown} is {why}")


def check_url(url: str, allow_private: bool = False) -> httpx.URL:
    """The address parsed, after checking it is http(s) with a host and (unless
    `allow_private`) that every address its host resolves to is public.

    Raises FetchError (PrivateAddressError for a refused address) with a one-line message.
    """
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError):
        raise FetchError(f"{url!r} is not a web address") from None
    if parsed.scheme not in ("http", "https"):
        raise FetchError(f"{url!r} is not an http:// or https:// address")
    host = parsed.host
    if not host:
        raise FetchError(f"{url!r} has no host name")
    if allow_private:
        return parsed
    try:
        infos = socket.getaddrinfo(host, parsed.port or (443 if parsed.scheme == "https"
                                                         else 80), type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as err:
        raise FetchError(f"cannot find the host {host}: {getattr(err, 'strerror', err)}") \
            from None
    for *_, sockaddr in infos:
        _check_address(url, host, str(sockaddr[0]))
    return parsed


def _timeout() -> httpx.Timeout:
    return httpx.Timeout(limits.CONNECT_TIMEOUT, connect=limits.CONNECT_TIMEOUT,
                         read=limits.READ_TIMEOUT)


def _stream(url: str, sink, max_bytes: int, allow_private: bool, what: str,  # type: ignore[no-untyped-def]
            deadline: float) -> Fetched:
    """GET `url` following at most MAX_REDIRECTS checked redirects; write the body to
    `sink` (a callable taking bytes), at most `max_bytes` of it, all within `deadline`
    seconds."""
    current = url
    until = time.monotonic() + deadline
    with httpx.Client(timeout=_timeout(), follow_redirects=False, trust_env=False,
                      headers={"User-Agent": _USER_AGENT}) as client:
        for _ in range(limits.MAX_REDIRECTS + 1):
            if time.monotonic() > until:
                raise FetchError(f"{url} took longer than {deadline:g} s in all, the limit")
            parsed = check_url(current, allow_private)
            try:
                with client.stream("GET", parsed) as resp:
                    if not allow_private:
                        _check_peer(current, parsed.host, resp)
                    if resp.is_redirect:
                        location = resp.headers.get("Location", "")
                        if not location:
                            raise FetchError(f"{current} redirects nowhere "
                                             f"({resp.status_code} without Location)")
                        current = urljoin(current, location)
                        continue
                    if resp.status_code >= 400:
                        raise FetchError(
                            f"{current} answered {resp.status_code} "
                            f"{resp.reason_phrase or ''}".rstrip())
                    return _read_body(current, resp, sink, max_bytes, what,
                                      (until, deadline))
            except httpx.ConnectTimeout:
                raise FetchError(f"timed out connecting to {parsed.host} "
                                 f"(after {limits.CONNECT_TIMEOUT:g} s)") from None
            except httpx.TimeoutException:
                raise FetchError(f"timed out reading {current} (nothing for "
                                 f"{limits.READ_TIMEOUT:g} s)") from None
            except httpx.HTTPError as err:
                raise FetchError(f"cannot fetch {current}: {err or type(err).__name__}") \
                    from None
    raise FetchError(f"{url} redirects more than {limits.MAX_REDIRECTS} times; give the "
                     "final address")


def _check_peer(url: str, host: str, resp: httpx.Response) -> None:
    """Check the address connected to (a name may resolve differently a second time)."""
    stream = resp.extensions.get("network_stream")
    peer = stream.get_extra_info("server_addr") if stream is not None else None
    if peer:
        _check_address(url, host, str(peer[0]))


def _read_body(url: str, resp: httpx.Response, sink, max_bytes: int, what: str,  # type: ignore[no-untyped-def]
               deadline: tuple[float, float]) -> Fetched:
    too_big = f"{what} at {url} is larger than {_size(max_bytes)}, the limit"
    until, seconds = deadline
    declared = resp.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise FetchError(too_big)
    size = 0
    # decoded bytes are counted, so a small compressed answer cannot unpack past the limit
    # each piece as it comes (no chunk size: a trickle must not wait to fill one)
    for chunk in resp.iter_bytes():
        size += len(chunk)
        if size > max_bytes:
            raise FetchError(too_big)
        if time.monotonic() > until:
            raise FetchError(f"{what} at {url} took longer than {seconds:g} s in all, the "
                             f"limit ({_size(size)} had come)")
        sink(chunk)
    return Fetched(url=url, content_type=resp.headers.get("Content-Type", ""), size=size)


def fetch_page(url: str, allow_private: bool = False, max_bytes: int | None = None) -> Page:
    """The page at `url` (at most `max_bytes`, by default MAX_PAGE_BYTES), as bytes."""
    parts: list[bytes] = []
    got = _stream(url, parts.append,
                  limits.MAX_PAGE_BYTES if max_bytes is None else max_bytes, allow_private,
                  "the page", limits.PAGE_DEADLINE)
    return Page(url=got.url, content_type=got.content_type, size=got.size,
                data=b"".join(parts))


def download(url: str, dest: Path, allow_private: bool = False,
             max_bytes: int | None = None) -> Fetched:
    """Save the file at `url` as `dest` (at most `max_bytes`, by default MAX_AUDIO_BYTES);
    nothing is left at `dest` when it fails."""
    dest = Path(dest)
    try:
        with dest.open("wb") as out:
            return _stream(url, out.write, limits.MAX_AUDIO_BYTES if max_bytes is None
                           else max_bytes, allow_private, "the audio", limits.AUDIO_DEADLINE)
    except BaseException:
        dest.unlink(missing_ok=True)
        raise


def _media_type(content_type: str) -> tuple[str, str | None]:
    """("text/html", "iso-8859-1") from a Content-Type header."""
    msg = Message()
    msg["Content-Type"] = content_type or "application/octet-stream"
    return msg.get_content_type(), msg.get_param("charset")  # type: ignore[return-value]


def page_text(page: Page) -> str:
    """The page's transcript text, as `alignment.documents.load` reads a file of its kind.

    Raises FetchError when the address is a recording rather than a page, and
    TranscriptError when it cannot be read or has nothing spoken in it.
    """
    kind, charset = _media_type(page.content_type)
    if kind.startswith(("audio/", "video/")):
        raise FetchError(f"{page.url} is a recording ({kind}), not a page; give the address "
                         "of the page with the transcript, and this one with --audio")
    data = page.data
    if charset and charset.lower().replace("_", "-") not in ("utf-8", "utf8"):
        # the server's charset comes before the page's own <meta>, as browsers take it
        try:
            data = data.decode(charset).encode("utf-8")
        except (LookupError, UnicodeDecodeError):
            pass
    suffix = {"text/html": ".html", "application/xhtml+xml": ".html", "text/vtt": ".vtt",
              "application/x-subrip": ".srt", "application/json": ".json",
              "text/markdown": ".md", "application/pdf": ".pdf"}.get(kind)
    name = PurePosixPath(httpx.URL(page.url).path).name or "page"
    if suffix is None:
        suffix = PurePosixPath(name).suffix.lower() if PurePosixPath(name).suffix.lower() \
            in documents.ACCEPTED else ".txt"
    return documents.load(data, PurePosixPath(name).stem + suffix)


def choose_audio(links: list[AudioLink], page_url: str) -> AudioLink:
    """The one recording the page references; AudioChoiceError when none or several."""
    if len(links) == 1:
        return links[0]
    if not links:
        raise AudioChoiceError(f"found no link to a recording on {page_url}; give its "
                               "address with --audio URL", links)
    raise AudioChoiceError(f"{page_url} links to {len(links)} recordings; choose one by "
                           "adding --audio URL:", links)


def _audio_suffix(url: str, content_type: str) -> str:
    ext = PurePosixPath(httpx.URL(url).path).suffix.lower().lstrip(".")
    if ext in MEDIA_TYPES:
        return ext
    kind, _ = _media_type(content_type)
    for known, media_type in MEDIA_TYPES.items():
        if media_type == kind:
            return known
    return {"audio/mp3": "mp3", "audio/x-wav": "wav", "audio/wave": "wav",
            "audio/x-m4a": "m4a", "audio/x-flac": "flac"}.get(kind, "bin")


def fetch_recording(url: str, workdir: Path, *, allow_private: bool = False,
                    audio_url: str | None = None, language: str = "eng",
                    say: Callable[[str], None] | None = None,
                    config: Mapping[str, Any] | None = None) -> PageImport:
    """Fetch the page at `url`, read its transcript, find the recording it references
    (or take `audio_url`, relative to the page) and download that into `workdir`.

    The transcript is looked at before the audio is downloaded, so a page without one
    costs one request, and one over the size and line limits of `config` (a server's,
    `webapp.limits`) is refused unread; `say` is told of each request. Raises FetchError
    (AudioChoiceError listing the candidates when the page references no recording or
    several) or TranscriptError, one line each.
    """
    say = say or (lambda message: None)
    say(f"fetching {url} ...")
    page = fetch_page(url, allow_private)
    try:
        text = page_text(page)
    except TranscriptError as err:
        raise TranscriptError(f"no transcript text on the page {page.url}: {err}") from None
    if config is not None:
        limits.check_transcript_text(text, config)
    try:
        # is anything said in it? Reading stops at the second sentence: how many there
        # are is the import's to check, with the other limits
        read_transcript(text, language, max_sentences=1)
    except TooManySentences:
        pass
    except TranscriptError as err:
        raise TranscriptError(f"no transcript text on the page {page.url}: {err}") from None
    is_html = looks_like_html(text)
    if audio_url is not None:
        chosen = urljoin(page.url, audio_url.strip())
    else:
        chosen = choose_audio(audio_links(text, page.url) if is_html else [], page.url).url
    title = page_title(text) if is_html else ""
    # the audio's suffix is known only from its answer; name it once that has come
    say(f"downloading {chosen} ...")
    part = Path(workdir) / "audio.part"
    got = download(chosen, part, allow_private)
    audio = part.rename(part.with_name(f"audio.{_audio_suffix(got.url, got.content_type)}"))
    return PageImport(page_url=page.url, title=title, transcript=text, audio_url=got.url,
                      audio=audio)
