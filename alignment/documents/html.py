"""A saved web page -> its lines of text, with menus and footers set aside; its title and
the audio it links to.

    looks_like_html(text) -> bool
    page_lines(html) -> list[tuple[str | None, str]]
    page_title(html) -> str
    audio_links(html, base_url) -> list[AudioLink]

Parsed with BeautifulSoup over lxml, which repairs the broken markup of old pages the
way browsers do. Main-text extractors (trafilatura, readability) were tried in thought
and set aside: they drop short paragraphs ("Thank you.", a speaker's name alone on a
line), which here are speech and labels, and they throw the rest away, where this
program must keep it. So the rules are explicit: scripts, styles and the document head
are not text; `nav`, `header`, `footer`, `aside`, `form` and elements whose role, class
or id says navigation, banner, footer, menu, sidebar, share or cookie are set aside
(kind "navigation", "header", "footer" or "aside"); when the page has one `main` or
`article`, everything outside it is set aside too. Headings inside the main text are set
aside as "heading"; the rest becomes lines, a blank line between blocks, which the plain
text rules read (labels, page header, footer, marks).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urljoin

from alignment.syncmap import Kind

__all__ = ["AudioLink", "audio_links", "looks_like_html", "page_lines", "page_title"]

_HTML_START = re.compile(r"\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*(?:<!doctype\s+html|<html)",
                         re.IGNORECASE | re.DOTALL)
_NOT_TEXT = ("script", "style", "noscript", "template", "svg", "head", "iframe", "object",
             "canvas", "select", "button", "input", "textarea")
_BLOCKS = frozenset(
    "p div section article main li ul ol dl dt dd blockquote pre table tr tbody thead tfoot "
    "h1 h2 h3 h4 h5 h6 figure figcaption address center hr body html caption details "
    "summary fieldset legend header footer nav aside form menu".split()
)
_HEADINGS = frozenset("h1 h2 h3 h4 h5 h6".split())
_CELLS = frozenset(("td", "th"))
_BOILERPLATE_TAGS = {"nav": Kind.NAVIGATION, "header": Kind.HEADER, "footer": Kind.FOOTER,
                     "aside": Kind.ASIDE, "form": Kind.NAVIGATION, "menu": Kind.NAVIGATION}
_BOILERPLATE_ROLES = {"navigation": Kind.NAVIGATION, "banner": Kind.HEADER,
                      "contentinfo": Kind.FOOTER, "complementary": Kind.ASIDE,
                      "search": Kind.NAVIGATION, "menu": Kind.NAVIGATION,
                      "menubar": Kind.NAVIGATION}
_BOILERPLATE_NAMES = re.compile(
    r"(?:^|[\s_-])(?:nav|navbar|navigation|menu|breadcrumbs?|footer|site-?footer|sidebar"
    r"|cookies?|share|sharing|social|skip-?link|masthead|site-?header|related|newsletter"
    r"|subscribe|advert|ads?)(?:$|[\s_-])",
    re.IGNORECASE,
)
_AUDIO_SUFFIX = re.compile(r"\.(?:mp3|m4a|aac|ogg|oga|opus|wav|flac|weba|mp4|m4v|webm|ram?)"
                           r"(?:$|[?#])", re.IGNORECASE)
_AUDIO_WORDS = re.compile(
    r"\b(?:audio|listen|download\s+(?:the\s+)?(?:mp3|audio|episode|recording)|mp3|podcast"
    r"|recording|play)\b",
    re.IGNORECASE,
)


def looks_like_html(text: str) -> bool:
    """Whether `text` is a web page (a doctype or <html> first)."""
    return bool(_HTML_START.match(text[:2000]))


def _soup(html: str):  # type: ignore[no-untyped-def]
    from bs4 import BeautifulSoup

    return BeautifulSoup(html, "lxml")


def page_title(html: str) -> str:
    """The page's title: <title>, else og:title, else its first heading; "" if none."""
    soup = _soup(html)
    for candidate in (
        soup.title.get_text() if soup.title else "",
        (soup.find("meta", property="og:title") or {}).get("content", ""),
        soup.find(["h1", "h2"]).get_text() if soup.find(["h1", "h2"]) else "",
    ):
        title = " ".join((candidate or "").split())
        if title:
            return title
    return ""


@dataclass(frozen=True)
class AudioLink:
    """A recording the page references: its absolute address and how the page names it."""

    url: str
    label: str


def audio_links(html: str, base_url: str) -> list[AudioLink]:
    """The audio the page references: <audio>/<source>, og:audio, and links to audio
    files or named like one ("Audio file", "Listen", "Download MP3"); distinct, in order."""
    soup = _soup(html)
    base = soup.find("base", href=True)
    base_url = urljoin(base_url, base["href"]) if base else base_url
    found: dict[str, AudioLink] = {}

    def add(href: str | None, label: str) -> None:
        if not href or href.startswith(("javascript:", "mailto:", "#", "data:")):
            return
        url = urljoin(base_url, href.strip())
        if url.startswith(("http://", "https://")):
            found.setdefault(url.split("#")[0], AudioLink(url.split("#")[0],
                                                           " ".join(label.split())))

    for meta in soup.find_all("meta", content=True):
        if (meta.get("property") or meta.get("name") or "").lower() in (
                "og:audio", "og:audio:url", "og:audio:secure_url", "twitter:player:stream"):
            add(meta["content"], "og:audio")
    for media in soup.find_all(["audio", "video"]):
        add(media.get("src"), media.get("title") or media.name)
        for source in media.find_all("source"):
            if media.name == "audio" or (source.get("type") or "").startswith("audio/"):
                add(source.get("src"), media.get("title") or media.name)
    for link in soup.find_all("a", href=True):
        label = link.get_text(" ", strip=True) or link.get("title") or ""
        kind = (link.get("type") or "").lower()
        if _AUDIO_SUFFIX.search(link["href"]) or kind.startswith("audio/") or (
                _AUDIO_WORDS.search(label) and _AUDIO_SUFFIX.search(link["href"] + ".")):
            add(link["href"], label)
        elif _AUDIO_WORDS.fullmatch(label.strip().lower()) or label.lower() in (
                "audio file", "audio", "listen", "download mp3", "mp3"):
            add(link["href"], label)
    return list(found.values())


def page_lines(html: str) -> list[tuple[str | None, str]]:
    """The page's text as lines, `(None, line)`, and its boilerplate, `(kind, text)`."""
    soup = _soup(html)
    for tag in soup.find_all(_NOT_TEXT):
        tag.decompose()
    body = soup.body or soup
    mains = body.find_all("main") or body.find_all(attrs={"role": "main"}) \
        or body.find_all("article")
    walker = _Walker(main=mains[0] if len(mains) == 1 else None,
                     total=len(body.get_text(" ", strip=True)))
    walker.walk(body)
    return walker.finish()


class _Walker:
    """Depth-first over the page, collecting lines and set-aside blocks in order."""

    def __init__(self, main, total: int) -> None:  # type: ignore[no-untyped-def]
        self.main = main
        self.total = total
        self.seen_main = False
        self.inside_main = False
        self.out: list[tuple[str | None, str]] = []
        self.line: list[str] = []

    def walk(self, node, aside: str | None = None) -> None:  # type: ignore[no-untyped-def]
        from bs4 import Comment, NavigableString, Tag

        if isinstance(node, Comment):
            return
        if isinstance(node, NavigableString):
            self._text(str(node), preformatted=node.find_parent("pre") is not None)
            return
        if not isinstance(node, Tag):
            return
        if aside is None:
            if node is self.main:
                self.seen_main = self.inside_main = True
                self._end_block()
                for child in node.children:
                    self.walk(child)
                self._end_block()
                self.inside_main = False
                return
            kind = _boilerplate(node)
            if kind is not None and (
                    (self.main is not None and _contains(node, self.main))
                    or len(node.get_text(" ", strip=True)) > self.total / 2):
                kind = None  # a wrapper around the text is not boilerplate, whatever its class
            if kind is None and self.main is not None and not self.inside_main \
                    and not _contains(node, self.main):
                kind = Kind.FOOTER if self.seen_main else Kind.HEADER
            if kind is not None:
                self._set_aside(kind, node.get_text(" ", strip=True))
                return
            if node.name in _HEADINGS:
                self._set_aside(Kind.HEADING, node.get_text(" ", strip=True))
                return
        name = node.name
        if name == "br":
            self._end_line()
            return
        if name == "hr":
            self._end_block()
            self.out.append((Kind.RULE, "---"))
            return
        block = name in _BLOCKS
        if block:
            self._end_block()
        for child in node.children:
            self.walk(child, aside)
        if name in _CELLS:
            self._end_line()
        if block:
            self._end_block()

    def _text(self, text: str, preformatted: bool) -> None:
        if preformatted:
            first, *rest = text.split("\n")
            self.line.append(first)
            for part in rest:
                self._end_line()
                self.line.append(part)
        else:
            self.line.append(re.sub(r"\s+", " ", text))

    def _set_aside(self, kind: str, text: str) -> None:
        self._end_block()
        if text.strip():
            self.out.append((kind, text.strip()))

    def _end_line(self) -> None:
        line = "".join(self.line).strip()
        self.line = []
        if line:
            self.out.append((None, line))

    def _end_block(self) -> None:
        self._end_line()
        if self.out and self.out[-1] != (None, ""):
            self.out.append((None, ""))

    def finish(self) -> list[tuple[str | None, str]]:
        self._end_block()
        return self.out


def _boilerplate(tag) -> str | None:  # type: ignore[no-untyped-def]
    """The kind of boilerplate `tag` is ("navigation", "footer" ...), or None."""
    if tag.name in _BOILERPLATE_TAGS:
        return _BOILERPLATE_TAGS[tag.name]
    role = (tag.get("role") or "").lower()
    if role in _BOILERPLATE_ROLES:
        return _BOILERPLATE_ROLES[role]
    names = " ".join([*(tag.get("class") or []), tag.get("id") or ""])
    match = _BOILERPLATE_NAMES.search(names) if names.strip() else None
    if match:
        word = match.group().strip(" _-").lower()
        return Kind.FOOTER if "footer" in word else Kind.NAVIGATION
    return None


def _contains(tag, inner) -> bool:  # type: ignore[no-untyped-def]
    return any(parent is tag for parent in inner.parents)
