"""Every link of the show page and the episode pages leads to a file the build wrote, served by
a real HTTP server, whatever characters the show's file and folder names hold."""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import lxml.html
import pytest
import requests
from conftest import Site
from images import make_image
from typer.testing import CliRunner

from podcastfeed.cli import app

runner = CliRunner()


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def served_root(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """A folder and the URL where a real HTTP server on 127.0.0.1 serves it."""
    root = tmp_path / "www"
    root.mkdir()
    handler = functools.partial(_Quiet, directory=str(root))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield root, f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def _local_links(page: bytes, url: str, top: str) -> set[str]:
    """The URLs the page's href and src lead to on the server at `top` (fragments dropped)."""
    found = set()
    for element, _attribute, link, _pos in lxml.html.fromstring(page).iterlinks():
        if element.tag in ("a", "link", "img", "audio", "source"):
            target = urljoin(url, link).split("#")[0]
            if target.startswith(top):
                found.add(target)
    return found


@pytest.mark.parametrize(
    "name", ["plain", "with space", "hash #1", "what?", "100% sure", "Zoë's café"]
)
def test_every_link_of_the_pages_is_served(
    site: Site, served_root: tuple[Path, str], name: str
) -> None:
    """Hrefs are URLs: the page of `episodes/a #1.md` is at `episodes/a%20%231/index.html`
    (an href holding the name as it is asked for `episodes/a ` with a fragment)."""
    root, top = served_root
    show = site.root
    make_image(show / f"cover {name}.jpg")
    output = root / f"feeds {name}" / "feed.xml"
    site.show(
        f'\n[build]\noutput = "{output}"\nsite = "{root / f"site {name}"}"\n',
        image=f'"cover {name}.jpg"',
    )
    site.episode(name)
    (site.episodes / f"{name}.vtt").write_text("WEBVTT\n\n00:00.000 --> 00:01.000\nHi\n")
    result = runner.invoke(app, ["build", "-c", str(site.config), "-q"])
    assert result.exit_code == 0, result.stderr
    pages = sorted((root / f"site {name}").rglob("index.html"))
    assert len(pages) == 2  # the show page and the episode's
    links: set[str] = set()
    for page in pages:
        url = top + "/".join(requests.utils.quote(part) for part in page.relative_to(root).parts)
        assert requests.get(url, timeout=10).status_code == 200, url
        links |= _local_links(page.read_bytes(), url, top)
    folders = {urlsplit(link).path.rsplit("/", 2)[-2] for link in links}
    assert {"artwork", "transcripts"} <= folders  # the cover and the transcript, by the feed
    for link in sorted(links):
        assert requests.get(link, timeout=10).status_code == 200, link
