"""The Podcast Index namespace's own examples for podcast:person, podcast:image and
podcast:location (issue 16), copied from its tag pages, built by the real build from the
equivalent feed.toml and front matter, and compared tag by tag: attributes and text.

Sources (github.com/Podcastindex-org/podcast-namespace, as read on 2026-12-01):
docs/tags/person.md, docs/tags/image.md, docs/tags/location.md ("Revised in 2025").
"""

from __future__ import annotations

from datetime import UTC, datetime

from conftest import Site
from lxml import etree

from podcastfeed.build import build
from podcastfeed.xmlns import PODCAST
from podcastfeed.xmlns import PODCAST as PODCAST_NS

NOW = datetime(2026, 1, 1, tzinfo=UTC)

# docs/tags/person.md, "Examples" (the fourth, group="writing" role="guest", is below: the
# taxonomy has no guest in the writing group, and podcastfeed refuses the pair)
PERSON_XML = """
<podcast:person
        href="https://example.com/johnsmith/blog"
        img="http://example.com/images/johnsmith.jpg"
>John Smith</podcast:person>
<podcast:person
        role="guest"
        href="https://www.imdb.com/name/nm0427852888/"
        img="http://example.com/images/janedoe.jpg"
>Jane Doe</podcast:person>
<podcast:person
        role="guest"
        href="https://example.wikipedia/alicebrown"
        img="http://example.com/images/alicebrown.jpg"
>Alice Brown</podcast:person>
<podcast:person
        group="visuals"
        role="Cover Art Designer"
        href="https://example.com/artist/beckysmith"
>Becky Smith</podcast:person>
"""
PERSON_TOML = """\
persons = [
  { name = "John Smith", href = "https://example.com/johnsmith/blog", img = "http://example.com/images/johnsmith.jpg" },
  { name = "Jane Doe", role = "guest", href = "https://www.imdb.com/name/nm0427852888/", img = "http://example.com/images/janedoe.jpg" },
  { name = "Alice Brown", role = "guest", href = "https://example.wikipedia/alicebrown", img = "http://example.com/images/alicebrown.jpg" },
  { name = "Becky Smith", group = "visuals", role = "Cover Art Designer", href = "https://example.com/artist/beckysmith" },
]
"""  # noqa: E501 - TOML inline tables must be on one line
PERSON_WRITING_GUEST = """\
persons = [{ name = "Alice Brown", group = "writing", role = "guest", href = "https://example.wikipedia/alicebrown", img = "http://example.com/images/alicebrown.jpg" }]
"""  # noqa: E501

# docs/tags/image.md, "More complex examples"
IMAGE_COMPLEX_XML = """
<podcast:image
  alt="An antenna emanating signal waves"
  purpose="artwork"
  type="image/jpeg"
  aspect-ratio="1/1"
  href="https://example.com/images/ep1/pci_square-massive.jpg"
/>
<podcast:image
  alt="An antenna emanating signal waves"
  purpose="artwork social"
  type="image/jpeg"
  aspect-ratio="16/9"
  href="https://example.com/images/ep1/pci_landscape-massive.jpg"
/>
<podcast:image
  alt="An antenna emanating signal waves"
  purpose="artwork canvas"
  type="image/jpeg"
  aspect-ratio="9/16"
  href="https://example.com/images/ep1/pci_portrait-massive.jpg"
/>
<podcast:image
  alt="An antenna emanating signal waves"
  purpose="artwork"
  type="video/mp4"
  aspect-ratio="1/1"
  href="https://example.com/images/ep1/pci_square-massive.mp4"
/>
<podcast:image
  alt="An antenna emanating signal waves"
  purpose="artwork social"
  type="video/mp4"
  aspect-ratio="16/9"
  href="https://example.com/images/ep1/pci_landscape-massive.mp4"
/>
<podcast:image
  alt="An antenna emanating signal waves"
  purpose="artwork canvas"
  type="video/mp4"
  aspect-ratio="9/16"
  href="https://example.com/images/ep1/pci_portrait-massive.mp4"
/>
"""
IMAGE_COMPLEX_TOML = """\
images = [
  { alt = "An antenna emanating signal waves", purpose = "artwork", type = "image/jpeg", aspect_ratio = "1/1", href = "https://example.com/images/ep1/pci_square-massive.jpg" },
  { alt = "An antenna emanating signal waves", purpose = "artwork social", type = "image/jpeg", aspect_ratio = "16/9", href = "https://example.com/images/ep1/pci_landscape-massive.jpg" },
  { alt = "An antenna emanating signal waves", purpose = "artwork canvas", type = "image/jpeg", aspect_ratio = "9/16", href = "https://example.com/images/ep1/pci_portrait-massive.jpg" },
  { alt = "An antenna emanating signal waves", purpose = "artwork", type = "video/mp4", aspect_ratio = "1/1", href = "https://example.com/images/ep1/pci_square-massive.mp4" },
  { alt = "An antenna emanating signal waves", purpose = "artwork social", type = "video/mp4", aspect_ratio = "16/9", href = "https://example.com/images/ep1/pci_landscape-massive.mp4" },
  { alt = "An antenna emanating signal waves", purpose = "artwork canvas", type = "video/mp4", aspect_ratio = "9/16", href = "https://example.com/images/ep1/pci_portrait-massive.mp4" },
]
"""  # noqa: E501

# docs/tags/image.md, the other examples, each with its front matter
IMAGE_EXAMPLES = [
    (
        '<podcast:image href="https://example.com/images/pci_square-massive.jpg" />',
        "images: [https://example.com/images/pci_square-massive.jpg]\n",
    ),
    (
        """<podcast:image
  alt="An antenna emanating signal waves"
  href="https://example.com/images/ep1/pci_square-massive.jpg"
/>""",
        "images:\n  - alt: An antenna emanating signal waves\n"
        "    href: https://example.com/images/ep1/pci_square-massive.jpg\n",
    ),
    (
        """<podcast:image
  type="video/mp4"
  href="https://example.com/images/ep1/pci_square-massive.mp4"
/>""",
        "images:\n  - {type: video/mp4, href: 'https://example.com/images/ep1/pci_square-massive.mp4'}\n",
    ),
    (
        """<podcast:image
  width="1200"
  height="400"
  href="https://example.com/images/ep1/pci_portrait.mp4"
/>""",
        "images:\n"
        "  - {width: 1200, height: 400, href: 'https://example.com/images/ep1/pci_portrait.mp4'}\n",
    ),
    (
        """<podcast:image
  aspect-ratio="1/1"
  href="https://example.com/images/ep1/pci_square.jpg"
/>
<podcast:image
  aspect-ratio="16/9"
  href="https://example.com/images/ep1/pci_landscape.jpg"
/>
<podcast:image
  aspect-ratio="9/16"
  width="1200"
  href="https://example.com/images/ep1/pci_portrait.mp4"
/>""",
        "images:\n"
        "  - {aspect-ratio: 1/1, href: 'https://example.com/images/ep1/pci_square.jpg'}\n"
        "  - {aspect_ratio: 16/9, href: 'https://example.com/images/ep1/pci_landscape.jpg'}\n"
        "  - aspect_ratio: 9/16\n    width: 1200\n"
        "    href: https://example.com/images/ep1/pci_portrait.mp4\n",
    ),
    (
        """<podcast:image
  purpose="artwork"
  href="https://example.com/images/today_explained.jpg"
/>
<podcast:image
  purpose="publisher"
  href="https://example.com/images/vox_media.jpg"
/>""",
        "images:\n"
        "  - {purpose: artwork, href: 'https://example.com/images/today_explained.jpg'}\n"
        "  - {purpose: publisher, href: 'https://example.com/images/vox_media.jpg'}\n",
    ),
    (
        """<podcast:image
  purpose="apple/showcase-hero"
  href="https://example.com/images/today_explained.jpg"
/>""",
        "images:\n"
        "  - {purpose: apple/showcase-hero, href: 'https://example.com/images/today_explained.jpg'}\n",
    ),
    (
        """<podcast:image
  purpose="artwork"
  aspect-ratio="1/1"
  href="https://example.com/images/ep1/pci_square-massive.jpg"
/>
<podcast:image
  purpose="artwork social"
  aspect-ratio="16/9"
  href="https://example.com/images/ep1/pci_landscape-massive.jpg"
/>""",
        "images:\n"
        "  - purpose: artwork\n    aspect_ratio: 1/1\n"
        "    href: https://example.com/images/ep1/pci_square-massive.jpg\n"
        "  - purpose: artwork social\n    aspect_ratio: 16/9\n"
        "    href: https://example.com/images/ep1/pci_landscape-massive.jpg\n",
    ),
]

# docs/tags/location.md (revised in 2025), "Examples"
LOCATION_EXAMPLES = [
    (
        """<podcast:location
 rel="subject"
 geo="geo:30.2711286,-97.7436995"
 osm="R113314"
 country="US"
>Austin</podcast:location>""",
        "location: {name: Austin, rel: subject, geo: 'geo:30.2711286,-97.7436995', "
        "osm: R113314, country: US}\n",
    ),
    (
        """<podcast:location
 rel="subject"
 geo="geo:33.5159981,-86.8146098"
 osm="R6930627"
 country="US"
>Birmingham Civil Rights Museum</podcast:location>""",
        "location:\n  name: Birmingham Civil Rights Museum\n  rel: subject\n"
        "  geo: 'geo:33.5159981,-86.8146098'\n  osm: R6930627\n  country: us\n",
    ),
    (
        """<podcast:location
 rel="creator"
 geo="geo:51.5718706,-0.7769654"
 osm="R3727240"
 country="GB"
>Marlow</podcast:location>
<podcast:location
 rel="subject"
 geo="geo:-27.8611449,153.3162701"
 osm="R16317988"
 country="AU"
>Dreamworld</podcast:location>""",
        "locations:\n"
        "  - {name: Marlow, rel: creator, geo: 'geo:51.5718706,-0.7769654', osm: R3727240, "
        "country: GB}\n"
        "  - {name: Dreamworld, rel: subject, geo: 'geo:-27.8611449,153.3162701', "
        "osm: R16317988, country: AU}\n",
    ),
]
LOCATION_TOML = """\
location = [
  { name = "Marlow", rel = "creator", geo = "geo:51.5718706,-0.7769654", osm = "R3727240", country = "GB" },
  { name = "Dreamworld", rel = "subject", geo = "geo:-27.8611449,153.3162701", osm = "R16317988", country = "AU" },
]
"""  # noqa: E501

Tag = tuple[str, dict[str, str], str]


def _tags(xml: str) -> list[Tag]:
    """The example's tags: name, attributes, text (role and group are case-insensitive)."""
    root = etree.fromstring(f'<r xmlns:podcast="{PODCAST}">{xml}</r>')
    return [_tag(e) for e in root]


def _tag(element: etree._Element) -> Tag:
    attributes = {k: v.lower() if k in ("role", "group") else v for k, v in element.attrib.items()}
    return (etree.QName(element).localname, attributes, (element.text or "").strip())


def _built(parent: etree._Element, *names: str) -> list[Tag]:
    return [_tag(e) for e in parent if e.tag in {f"{{{PODCAST}}}{n}" for n in names}]


def _feed(site: Site, show: str, episodes: list[str]) -> etree._Element:
    site.show(show)
    for number, front in enumerate(episodes):
        audio = site.audio("sine-3s-cbr.mp3", f"e{number}.mp3")
        site.episode(
            f"e{number}",
            f"---\ntitle: E{number}\ndate: 2024-01-{number + 1:02}\naudio: {audio}\n{front}---\n",
        )
    return etree.fromstring(build(site.config, now=NOW, check=False).feed)


def _items(root: etree._Element) -> dict[str, etree._Element]:
    return {str(item.findtext("title")): item for item in root.iter("item")}


def test_person_examples_from_feed_toml(site: Site) -> None:
    channel = _feed(site, PERSON_TOML, []).find("channel")
    assert channel is not None
    assert _built(channel, "person") == _tags(PERSON_XML)


def test_person_example_outside_the_taxonomy_builds_as_written_with_a_warning(site: Site) -> None:
    """The namespace's own example pairs group "writing" with role "guest", which its taxonomy
    does not have: apps read an unknown role as the default, so the build keeps it as written
    and warns (issue 15's rule for person values outside the taxonomy)."""
    site.show(PERSON_WRITING_GUEST)
    site.episode("a")
    report = build(site.config, now=NOW, check=False)
    warnings = [str(p) for p in report.problems if p.level == "warning"]
    assert any("'role' 'guest' is not a role in group 'writing'" in w for w in warnings), warnings
    [person] = etree.fromstring(report.feed).iter(f"{{{PODCAST_NS}}}person")
    assert (person.get("group"), person.get("role"), person.text) == (
        "writing",
        "guest",
        "Alice Brown",
    )


def test_image_examples_from_feed_toml_and_front_matter(site: Site) -> None:
    root = _feed(site, IMAGE_COMPLEX_TOML, [front for _, front in IMAGE_EXAMPLES])
    channel = root.find("channel")
    assert channel is not None
    assert _built(channel, "image", "images") == _tags(IMAGE_COMPLEX_XML)
    items = _items(root)
    for number, (xml, _) in enumerate(IMAGE_EXAMPLES):
        assert _built(items[f"E{number}"], "image", "images") == _tags(xml), number


def test_location_examples_from_feed_toml_and_front_matter(site: Site) -> None:
    root = _feed(site, LOCATION_TOML, [front for _, front in LOCATION_EXAMPLES])
    channel = root.find("channel")
    assert channel is not None
    assert _built(channel, "location") == _tags(LOCATION_EXAMPLES[2][0])
    items = _items(root)
    for number, (xml, _) in enumerate(LOCATION_EXAMPLES):
        assert _built(items[f"E{number}"], "location") == _tags(xml), number
