"""Issue 16, defects against the Podcast Index namespace as it reads today: item persons restate
the show's, podcast:image replaces podcast:images, podcast:location's rel/country and several
locations, and derived guids from the path under episodes/."""

from __future__ import annotations

from datetime import UTC, datetime

import lxml.html
from conftest import Site
from lxml import etree

from podcastfeed.build import build
from podcastfeed.xmlns import PODCAST

NOW = datetime(2026, 1, 1, tzinfo=UTC)
NS = {"podcast": PODCAST}

HOSTS = """\
persons = [
  { name = "Big Daddy", role = "host", href = "https://example.org/bigdaddy" },
  { name = "June Whitfield", role = "host" },
]
"""


def _episode(site: Site, name: str, front: str) -> None:
    audio = site.audio("sine-3s-cbr.mp3", f"{name.replace('/', '-')}.mp3")
    path = site.episodes / f"{name}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    up = "../" * name.count("/")
    text = f"---\ntitle: {name}\ndate: 2024-01-02\naudio: {up}{audio}\n{front}---\n\nNotes.\n"
    path.write_text(text, encoding="utf-8")


def _items(feed: bytes) -> dict[str, etree._Element]:
    root = etree.fromstring(feed)
    return {str(i.findtext("title")): i for i in root.iter("item")}


def _persons(item: etree._Element) -> list[tuple[str | None, str | None]]:
    return [(p.text, p.get("role")) for p in item.findall("podcast:person", NS)]


def test_item_persons_restate_the_show_persons(site: Site) -> None:
    """The namespace's "Big Daddy" example: a guest episode lists the host too."""
    site.show(HOSTS)
    _episode(site, "guest", "persons:\n  - {name: Sid James, role: guest}\n")
    _episode(site, "plain", "")
    report = build(site.config, now=NOW, check=False)
    items = _items(report.feed)
    assert _persons(items["guest"]) == [
        ("Big Daddy", "host"),
        ("June Whitfield", "host"),
        ("Sid James", "guest"),
    ]
    assert _persons(items["plain"]) == []  # no persons of its own: the channel's apply
    index = next(p.content for p in report.pages() if p.path == "index.html")
    names = lxml.html.fromstring(index).xpath("//ul[@class='persons']/li")
    assert [li.text_content() for li in names] == [
        "Big Daddy (host)",
        "June Whitfield (host)",
        "Sid James (guest)",
    ]


def test_item_persons_restated_once_with_the_episodes_details(site: Site) -> None:
    site.show(HOSTS)
    restated = (
        "persons:\n  - {name: Sid James, role: guest}\n"
        "  - {name: big daddy, img: 'https://example.org/bd.jpg'}\n"
    )
    _episode(site, "guest", restated)
    item = _items(build(site.config, now=NOW, check=False).feed)["guest"]
    persons = item.findall("podcast:person", NS)
    assert [(p.text, dict(p.attrib)) for p in persons] == [
        ("big daddy", {"img": "https://example.org/bd.jpg"}),  # host by default, as the show's
        ("June Whitfield", {"role": "host"}),
        ("Sid James", {"role": "guest"}),
    ]


def test_persons_replace_writes_the_episodes_persons_alone(site: Site) -> None:
    """The namespace's "Terry and June" example: a stand-in host replaces the regular one."""
    site.show(HOSTS)
    front = "persons_replace: true\npersons:\n  - {name: Reginald Marsh, role: host}\n"
    _episode(site, "stand-in", front + "  - {name: June Whitfield, role: host}\n")
    _episode(site, "empty", "persons_replace: true\n")
    report = build(site.config, now=NOW, check=False)
    items = _items(report.feed)
    assert _persons(items["stand-in"]) == [("Reginald Marsh", "host"), ("June Whitfield", "host")]
    assert _persons(items["empty"]) == []
    [warning] = [p for p in report.problems if "persons_replace" in p.message]
    assert (warning.level, warning.source, warning.line) == ("warning", "episodes/empty.md", 5)
