"""The wheel, really built and installed: a fresh venv away from the checkout imports a
recording, serves it, and every asset the player page names (and every module those
scripts import) answers 200.

The wheel is built from a copy of the checkout (so the build leaves nothing in it) and
installed without its dependencies; the fresh venv reads those from the venv that runs
the tests (a .pth file added after the install), so the check needs no network. The
program itself comes from the wheel alone: the test asserts that `webapp` and
`alignment` are imported from the fresh venv.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tarfile
import urllib.error
import urllib.request
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

from tests.helpers import RAW_TRANSCRIPT, free_port, wait_for
from webapp import PROJECT_ROOT

pytestmark = [pytest.mark.package, pytest.mark.slow]

#: what the build reads: the checkout less its venv, history and local leftovers
_NOT_BUILT = shutil.ignore_patterns(".venv", ".git", "instance", "build", "dist", "*.egg-info",
                                    "__pycache__", ".pytest_cache", ".ruff_cache",
                                    ".hypothesis", "bench-out", "node_modules")


@dataclass(frozen=True)
class Installed:
    """A fresh venv with the wheel installed, and a working folder away from the checkout."""

    wheel: Path
    venv: Path
    away: Path

    def bin(self, name: str) -> str:
        """The path of one of the venv's commands."""
        return str(self.venv / "bin" / name)

    def env(self) -> dict[str, str]:
        """The environment the installed program runs in (nothing points at the checkout)."""
        env = {k: v for k, v in os.environ.items()
               if k not in {"PYTHONPATH", "VIRTUAL_ENV", "TRANSCRIPT_PLAYER_DATA"}}
        env["PATH"] = f"{self.venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
        return env

    def run(self, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
        """Run a command in the working folder; a failure shows its output."""
        proc = subprocess.run(args, cwd=self.away, env=self.env(), capture_output=True,
                              text=True, timeout=timeout)
        assert proc.returncode == 0, f"{args} -> {proc.returncode}\n{proc.stdout}\n{proc.stderr}"
        return proc


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    """`pip wheel .` on a copy of the checkout, installed into a fresh venv."""
    tmp = tmp_path_factory.mktemp("wheel")
    source = tmp / "source"
    shutil.copytree(PROJECT_ROOT, source, ignore=_NOT_BUILT)
    dist = tmp / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", str(source), "--no-deps",
                    "--no-build-isolation", "-q", "-w", str(dist)], check=True, timeout=600)
    wheels = list(dist.glob("transcript_player-*.whl"))
    assert len(wheels) == 1, wheels
    venv = tmp / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "-q", "--no-deps",
                    "--no-index", str(wheels[0])], check=True, timeout=600)
    # the dependencies: this venv's, behind the fresh venv's own site-packages (a .pth line
    # adds a folder to sys.path; the .pth files in it, such as the editable install's
    # finder, are not run)
    purelib = "import sysconfig; print(sysconfig.get_paths()['purelib'])"
    site = Path(subprocess.run([str(venv / "bin" / "python"), "-c", purelib], check=True,
                               capture_output=True, text=True).stdout.strip())
    ours = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (site / "zz_test_dependencies.pth").write_text("".join(f"{p}\n" for p in sorted(ours)))
    away = tmp / "away"
    away.mkdir()
    return Installed(wheel=wheels[0], venv=venv, away=away)


class _Assets(HTMLParser):
    """The URLs a page loads: scripts, images, media, stylesheets and icons."""

    LINKS = {"stylesheet", "icon", "modulepreload", "preload"}

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("src"):
            self.urls.append(a["src"] or "")
        if tag == "link" and self.LINKS & set((a.get("rel") or "").split()) and a.get("href"):
            self.urls.append(a["href"] or "")


#: what an ES module imports by a relative or absolute path, and what a stylesheet loads
_LOADS = {
    ".js": re.compile(r"""\b(?:from|import)\s*\(?\s*["'](\.{0,2}/[^"'\s]+)["']"""),
    ".css": re.compile(r"""\burl\(\s*["']?(\.{0,2}/[^"')\s]+)"""),
}
_LOADS[".mjs"] = _LOADS[".js"]


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=30) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, b""


@pytest.fixture
def served(installed: Installed, speech) -> Iterator[tuple[str, str]]:
    """The test reading imported with the installed command and served by it:
    (base URL, the player's path)."""
    transcript = installed.away / "talk.txt"
    transcript.write_text(RAW_TRANSCRIPT, encoding="utf-8")
    audio = installed.away / "talk.wav"
    shutil.copy(speech.wav, audio)
    data = installed.away / "data"
    out = installed.run(installed.bin("transcript-player"), "import", str(audio),
                        str(transcript), "--title", "Harbour talk", "--data", str(data))
    path = out.stdout.strip().splitlines()[-1]
    assert path.startswith("/r/harbour-talk-"), out.stdout
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    proc = subprocess.Popen(
        [installed.bin("transcript-player"), "serve", "--port", str(port), "--data", str(data),
         "--workers", "0"], cwd=installed.away, env=installed.env(),
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_for(lambda: proc.poll() is not None or _answers(base), timeout=60,
                 what="the installed `serve`")
        assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else ""
        yield base, path
    finally:
        proc.terminate()
        proc.wait(10)


def _answers(base: str) -> bool:
    """Whether the server answers at all (whatever the status)."""
    try:
        return _get(base + "/")[0] > 0
    except OSError:
        return False


def test_the_wheel_carries_every_page_and_static_file(installed: Installed) -> None:
    """templates/ and static/ of the checkout, all of them, as webapp/templates and
    webapp/static; and the seed transcript inside alignment.synthetic."""
    with zipfile.ZipFile(installed.wheel) as wheel:
        names = set(wheel.namelist())
    for folder in ("templates", "static"):
        files = [p.relative_to(PROJECT_ROOT).as_posix()
                 for p in (PROJECT_ROOT / folder).rglob("*") if p.is_file()]
        assert files
        missing = [f for f in files if f"webapp/{f}" not in names]
        assert not missing, missing
    assert "alignment/synthetic/nato-russia-press-2001-10-03.txt" in names


def test_the_wheel_carries_the_program_alone(installed: Installed) -> None:
    """Its two packages and the wheel's metadata: not the tests, the benchmarks or what
    they share (testsupport), which run from the checkout."""
    with zipfile.ZipFile(installed.wheel) as wheel:
        tops = {name.split("/", 1)[0] for name in wheel.namelist()}
    assert {t for t in tops if not t.endswith(".dist-info")} == {"alignment", "webapp"}, tops


def test_the_installed_program_runs_from_the_wheel_alone(installed: Installed) -> None:
    """The packages, the seed transcript and the demo come from the venv, not the checkout."""
    out = installed.run(installed.bin("python"), "-c", "\n".join([
        "import alignment, webapp, webapp.demo",
        "from alignment.synthetic import SEED_TEXT, seed_sentences",
        "print(alignment.__file__); print(webapp.__file__); print(SEED_TEXT)",
        "assert seed_sentences()[1], 'the seed has no sentences'",
        # the warp's kernels, compiled into the wheel, load and find a path
        "import numpy as np; from alignment import dtw",
        "print(dtw._kernels()._name)",
        "chain = dtw.Chain.build(np.array([(0, 3)]), np.ones(1, np.float32))",
        "path = dtw.warp(np.zeros((6, 13), np.float32), np.ones(6, np.float32),",
        "                np.zeros(6, np.float32), np.zeros((3, 13), np.float32), chain)",
        "assert path.tolist() == sorted(path.tolist()) and path[-1] > 0, path",
    ])).stdout.split()
    for path in out:
        assert Path(path).resolve().is_relative_to(installed.venv.resolve()), out
    help_ = installed.run(installed.bin("transcript-player"), "demo", "--help").stdout
    assert "Usage:" in help_ and "demo" in help_


def test_the_installed_program_serves_the_player_and_every_asset(served) -> None:
    """The player page, every script, stylesheet, icon and medium it names, every module
    those scripts import, and the source archive: all 200 from the installed `serve`."""
    base, path = served
    status, body = _get(base + path)
    assert status == 200, status
    page = body.decode()
    assert "The café on the pier opens at nine." in page
    parser = _Assets()
    parser.feed(page)
    # every asset the page names, then what those scripts and stylesheets load in turn
    todo = [urljoin(base + path, u) for u in parser.urls]
    seen: dict[str, int] = {}
    while todo:
        url = todo.pop()
        if urlsplit(url).netloc != urlsplit(base).netloc or url in seen:
            continue
        seen[url], content = _get(url)
        loads = _LOADS.get(Path(urlsplit(url).path).suffix)
        if loads:
            todo += [urljoin(url, m) for m in loads.findall(content.decode("utf-8", "replace"))]
    failed = {u: s for u, s in seen.items() if s != 200}
    assert not failed, failed
    names = {urlsplit(u).path for u in seen}
    for asset in ("/static/player.js", "/static/player.css", "/static/player/helpers.mjs",
                  "/static/moments.mjs", "/static/vendor/htmx-2.0.11.min.js"):
        assert asset in names, sorted(names)
    # the source every page links to is the installed program's (AGPL-3.0 section 13)
    status, archive = _get(base + "/source.tar.gz")
    assert status == 200
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        members = set(tar.getnames())
    assert {"transcript-player/webapp/app.py",
            "transcript-player/webapp/templates/player.html",
            "transcript-player/alignment/engine.py"} <= members, sorted(members)[:20]
