"""Issue 14: the front-matter shapes of existing sites build with their files unchanged.

Each shape is a small site in tests/data/sites/<shape>/ written from the issue's description;
its feed item is a golden file, tests/golden/shape-<shape>.xml.
"""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from conftest import DATA, GoldenCheck, Site
from feedcheck import parse_both
from httpserver import AudioServer
from lxml import etree
from typer.testing import CliRunner

from podcastfeed.build import build
from podcastfeed.cli import app
from podcastfeed.errors import BuildFailed
from podcastfeed.media.probing import ProbeOptions
from podcastfeed.source.config import load_config
from podcastfeed.source.episodes import read_episode
from podcastfeed.source.wordpress import decode_entities, php_unserialize, read_powerpress
from podcastfeed.xmlns import ITUNES, PODCAST

NOW = datetime(2025, 1, 1, tzinfo=UTC)
SITES = DATA / "sites"
MEDIA = "https://media.shapes.example.org"
CDN = "https://cdn.shapes.example.org"

# shape -> what its newest item must say: enclosure (url, length, type), duration, pubDate,
# title, guid (None: derived) and isPermaLink, season, episode, words of the description,
# alternate enclosures (type, url).
SHAPES: dict[str, dict[str, Any]] = {
    "powerpress": {
        "enclosure": (f"{MEDIA}/episodes/ep54-plex-cloud.mp3", "24986239", "audio/mpeg"),
        "duration": "776",  # from the PHP-serialized meta, 00:12:56
        "pub_date": "Wed, 05 Jul 2017 14:00:00 +0200",
        "title": "#54 – PLEX Cloud & friends",
        "guid": ("http://shapes.example.org/?p=142", "false"),
        "season": "2",
        "episode": "54",
        "description": "cloud edition of a media server",
    },
    "powerpress-url-only": {  # measured before: its podcastfeed.lock keeps the probe
        "enclosure": (f"{MEDIA}/episodes/ep55-backups.mp3", "12427", "audio/mpeg"),
        "duration": "3",
        "pub_date": "Wed, 12 Jul 2017 14:00:00 +0200",
        "title": "#55 – Backups that work",
        "guid": ("http://shapes.example.org/?p=151", "false"),
        "season": None,
        "episode": "55",
        "description": "Three ways to back up",
    },
    "epoch-dates": {
        "enclosure": (f"{MEDIA}/second-light.mp3", "25617408", "audio/mpeg"),
        "duration": "801",
        "pub_date": "Wed, 12 Jul 2017 12:00:00 +0000",  # date: 1499860800 (seconds)
        "title": "Second light",
        "season": "1",
        "episode": "2",
        "description": "dated in epoch seconds",
        "older_pub_date": "Wed, 05 Jul 2017 12:00:00 +0000",  # date: 1499256000000 (ms)
    },
    "jekyll-post-time": {
        "enclosure": (f"{MEDIA}/2024/warm-start.mp3", "2841222", "audio/mpeg"),
        "duration": "167",  # "02:47"
        "pub_date": "Tue, 12 Mar 2024 14:30:00 +0100",  # the file name + post_time
        "title": "Warm start",
        "season": "3",  # series: 3
        "episode": "12",  # number: 12
        "description": "second run is always faster",
        "link": None,  # link: held the MP3, so it is no page
    },
    "url-audio": {
        "enclosure": ("https://traffic.libsyn.com/shapes/cold-cache.mp3", "2841222", "audio/mpeg"),
        "duration": "167",
        "pub_date": "Tue, 02 Apr 2024 00:00:00 +0200",
        "title": "Cold cache",
        "season": None,
        "episode": "13",
        "description": "What a cache miss costs",
        "link": "https://shapes.example.org/episodes/cold-cache/",
    },
    "mp3-ogg": {
        "enclosure": (f"{CDN}/media/ep1.mp3", "12427", "audio/mpeg"),
        "duration": "3",
        "pub_date": "Wed, 01 May 2024 09:00:00 +0200",
        "title": "Two formats",
        "season": None,
        "episode": "1",
        "description": "as MP3 and as Ogg Vorbis",
        "alternates": [("audio/ogg", "5548", f"{CDN}/media/ep1.ogg")],
    },
    "octopod": {
        "enclosure": (f"{CDN}/media/ep2.mp3", "12427", "audio/mpeg"),
        "duration": "3",
        "pub_date": "Wed, 08 May 2024 09:00:00 +0200",
        "title": "Octopod & formats",
        "season": "1",
        "episode": "2",
        "description": "one audio key mapping each format",
        "alternates": [("audio/x-m4a", "7232", f"{CDN}/media/ep2.m4a")],
    },
    "audio-url-template": {
        "enclosure": (f"{CDN}/ep007.mp3", "59573248", "audio/mpeg"),
        "duration": "3723",
        "pub_date": "Sat, 01 Jun 2024 00:00:00 +0200",
        "title": "Templated",
        "season": None,
        "episode": "7",
        "description": "builds the audio URL",
    },
    "hugo": {  # the draft and the expired episode are left out
        "enclosure": (f"{CDN}/media/ep3.mp3", "12427", "audio/mpeg"),
        "duration": "3",
        "pub_date": "Tue, 02 Jul 2024 10:00:00 +0200",  # publishDate, not date
        "title": "Hugo – third",
        "season": "2",
        "episode": "3",
        "description": "TOML front matter",
        "items": 1,
    },
    "castanet": {
        "enclosure": (f"{MEDIA}/castanet/ep9.mp3", "43360256", "audio/mpeg"),
        "duration": "2710",  # 00:45:10
        "pub_date": "Thu, 01 Aug 2024 08:00:00 -0500",
        "title": "Castanet shape",
        "season": None,
        "episode": "9",
        "description": "castanet theme's keys",
    },
}


def _build_shape(shape: str, tmp_path: Path) -> bytes:
    root = tmp_path / shape
    shutil.copytree(SITES / shape, root)  # the build writes its output and cache here
    report = build(root / "feed.toml", now=NOW, use_cache=False, probe=ProbeOptions(offline=True))
    assert report.problems == []
    return report.feed


def _text(item: etree._Element, path: str) -> str | None:
    found = item.find(path, {"itunes": ITUNES, "podcast": PODCAST})
    return None if found is None else found.text


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_shapes_build_unchanged(shape: str, tmp_path: Path, golden: GoldenCheck) -> None:
    want = SHAPES[shape]
    feed = _build_shape(shape, tmp_path)
    parsed = parse_both(feed)  # feedparser and podcastparser agree on it
    items = etree.fromstring(feed).findall("channel/item")
    assert len(items) == want.get("items", len(parsed))
    item = items[0]
    enclosure = item.find("enclosure")
    assert enclosure is not None
    assert (enclosure.get("url"), enclosure.get("length"), enclosure.get("type")) == want[
        "enclosure"
    ]
    assert _text(item, "itunes:duration") == want["duration"]
    assert _text(item, "pubDate") == want["pub_date"]
    assert _text(item, "title") == want["title"]
    assert parsed[0].title == want["title"]  # no entity left for an app to show
    guid = item.find("guid")
    assert guid is not None
    if "guid" in want:
        assert (guid.text, guid.get("isPermaLink")) == want["guid"]
    else:  # derived, and pinned in the lock from then on
        assert guid.get("isPermaLink") == "false"
        assert len(guid.text or "") == 36
    assert _text(item, "itunes:season") == want["season"]
    assert _text(item, "itunes:episode") == want["episode"]
    description = _text(item, "description") or ""
    assert want["description"] in description
    assert "&#" not in description
    assert "powerpress" not in description
    if "link" in want:
        assert _text(item, "link") == want["link"]
    alternates = [
        (alt.get("type"), alt.get("length"), alt[0].get("uri"))
        for alt in item.findall("podcast:alternateEnclosure", {"podcast": PODCAST})
    ]
    assert alternates == want.get("alternates", [])
    if "older_pub_date" in want:
        assert _text(items[1], "pubDate") == want["older_pub_date"]
    start = feed.index(b"    <item>")
    golden(f"shape-{shape}", feed[start : feed.rindex(b"</item>\n") + 8])


def test_shapes_fixtures_are_unchanged_by_a_build(tmp_path: Path) -> None:
    """The build reads the files as they are: every episode file is byte for byte the
    fixture's after building (nothing rewrites them to a shape podcastfeed prefers)."""
    for shape in SHAPES:
        _build_shape(shape, tmp_path)
        for source in (SITES / shape / "episodes").iterdir():
            copy = tmp_path / shape / "episodes" / source.name
            assert copy.read_bytes() == source.read_bytes(), source


def test_shapes_powerpress_url_only_is_measured(site: Site, http_server: AudioServer) -> None:
    url = http_server.add("ep55.mp3", DATA / "audio" / "sine-3s-cbr.mp3")
    site.episode("a", f"---\ntitle: A\ndate: 2024-01-01\nenclosure:\n- {url}\n---\nNotes.\n")
    [item] = parse_both(build(site.config, now=NOW, use_cache=False).feed)
    assert (item.url, item.length, item.duration) == (url, 12427, 3)


def test_shapes_php_serialization_is_read_by_hand() -> None:
    assert php_unserialize('a:1:{s:8:"duration";s:8:"00:12:56";}') == {"duration": "00:12:56"}
    assert php_unserialize('a:2:{i:0;b:1;s:2:"é";d:1.5;}') == {0: True, "é": 1.5}  # bytes
    assert php_unserialize("N;") is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('O:8:"stdClass":0:{}', "has an unknown or unsupported value at byte 0"),
        ('s:99:"short";', "has a string whose length is wrong at byte 0"),
        ("a:2:{i:0;i:1;}", "has an unknown or unsupported value at byte 13"),
        ("a:1:{i:0;" * 20, "nests arrays deeper than 16"),
        ('s:1:"x";rest', "has text after the value at byte 8"),
        ("i:1e999999;", "has a bad number at byte 0"),
        ("x" * 70_000, "must be at most 65,536 bytes"),
    ],
)
def test_shapes_php_serialization_refuses(text: str, message: str) -> None:
    with pytest.raises(ValueError, match="^" + message.replace("(", r"\(")):
        php_unserialize(text)


def test_shapes_powerpress_string_parts() -> None:
    meta = 'a:1:{s:8:"duration";s:5:"12:56";}'
    found = read_powerpress(f"https://e.org/a.mp3\n0\n\n{meta}")
    assert (found.url, found.length, found.mime_type, found.duration) == (
        "https://e.org/a.mp3",
        None,
        None,
        776,
    )


@pytest.mark.parametrize(
    ("written", "decoded"),
    [
        ("#54 &#8211; PLEX Cloud", "#54 – PLEX Cloud"),
        ("Q&#038;A &#x2014; live", "Q&A — live"),
        ("Tom &amp; Jerry", "Tom & Jerry"),
        ("Tom &amp;amp; Jerry", "Tom &amp; Jerry"),  # once, never twice
        ("&amp;#8211;", "&#8211;"),
        ("<live> show", "<live> show"),
        ("AT&T &notes & more", "AT&T &notes & more"),  # only entities closed by `;`
    ],
)
def test_shapes_entities_decoded_once(written: str, decoded: str) -> None:
    assert decode_entities(written) == decoded


def test_shapes_title_with_angle_brackets_is_escaped(site: Site) -> None:
    site.episode("a", title="'<live> show'")
    feed = build(site.config, now=NOW, use_cache=False).feed
    assert b"<title>&lt;live&gt; show</title>" in feed


def _problems(site: Site, name: str, text: str) -> list[str]:
    path = site.episode(name, text)
    config = load_config(site.config)
    _episode, problems = read_episode(path, config.show, config.build)
    return [str(problem) for problem in problems]


@pytest.mark.parametrize(
    ("front_matter", "message"),
    [
        (
            'enclosure:\n- "https://e.org/a.mp3\\n12\\naudio/mpeg\\nO:1:{}"',
            "episodes/a.md:4: error: 'enclosure' (a PowerPress enclosure) has PHP-serialized "
            "meta that has an unknown or unsupported value at byte 0",
        ),
        (
            'enclosure:\n- "javascript:alert(1)\\n12"',
            "episodes/a.md:4: error: 'enclosure' (a PowerPress enclosure) must start with an "
            "http(s) URL (got 'javascript:alert(1)')",
        ),
        (
            'enclosure:\n- "https://e.org/a.mp3\\n12 bytes"',
            "episodes/a.md:4: error: 'enclosure' (a PowerPress enclosure) has a length that is "
            "not a number of bytes (got '12 bytes')",
        ),
        (
            "enclosure: [[1, 2]]",
            "episodes/a.md:4: error: 'enclosure' must be a URL, a path or a list of them "
            "(got [[1, 2]])",
        ),
        (
            "audio: {mp3: [1]}",
            "episodes/a.md:4: error: 'audio' must map formats to URLs or paths (got {'mp3': [1]})",
        ),
        ("post_time: 25:61", "episodes/a.md:4: error: 'post_time' must be a time of day"),
    ],
)
def test_shapes_hostile_values_are_reported_at_their_line(
    site: Site, front_matter: str, message: str
) -> None:
    text = f"---\ntitle: A\ndate: 2024-01-01\n{front_matter}\n---\nNotes.\n"
    problems = _problems(site, "a", text)
    assert any(problem.startswith(message) for problem in problems), problems


def test_shapes_a_year_alone_is_no_epoch_date(site: Site) -> None:
    problems = _problems(site, "a", "---\ntitle: A\ndate: 2024\naudio: a.mp3\n---\n")
    assert problems[0].startswith("episodes/a.md:3: error: 'date' must be a date like")


def test_shapes_hugo_toml_error_has_its_line(site: Site) -> None:
    problems = _problems(site, "a", '+++\ntitle = "A"\ndate = \n+++\n')
    assert problems == ["episodes/a.md:3: error: front matter is not valid TOML: Invalid value"]


def test_shapes_hugo_toml_nested_too_deeply_is_refused(site: Site) -> None:
    nested = "[" * 5000 + "]" * 5000
    problems = _problems(site, "a", f"+++\ntitle = 'A'\na = {nested}\n+++\n")
    assert problems == ["episodes/a.md:2: error: front matter refused: it nests too deeply"]


def test_shapes_wordpress_guid_is_decoded_like_its_old_feed(site: Site) -> None:
    """WordPress wrote `&#038;` in its feed's guid too, so apps know the guid with `&`."""
    guid = "http://shapes.example.org/?post_type=podcast&#038;p=143"
    site.episode(
        "a",
        f"---\ntitle: 'A &#1; B'\ndate: 2024-01-01\naudio: https://e.org/a.mp3\n"
        f"guid: '{guid}'\n---\n",
    )
    config = load_config(site.config)
    episode, _ = read_episode(site.episodes / "a.md", config.show, config.build)
    assert episode is not None
    assert episode.guid == "http://shapes.example.org/?post_type=podcast&p=143"
    assert episode.title == "A B"


def test_shapes_audio_url_template_needs_its_fields(site: Site) -> None:
    site.show('audio_url = "https://cdn.example.org/ep{episode:03}.mp3"\n')
    problems = _problems(site, "a", "---\ntitle: A\ndate: 2024-01-01\n---\n")
    assert problems == [
        "episodes/a.md: error: no audio key, and [show] audio_url needs 'episode' (got none in "
        "the front matter)\n  hint: set episode: … or audio: …"
    ]


@pytest.mark.parametrize(
    ("template", "message"),
    [
        (
            '"https://cdn.example.org/{title}.mp3"',
            "may use {date}, {episode}, {season}, {slug} only (got 'title')",
        ),
        ('"cdn/{episode}.mp3"', "must be an absolute http(s) URL (got 'cdn/{episode}.mp3')"),
        (
            '"https://cdn.example.org/{episode"',
            "is not a template: expected '}' before end of string "
            "(got 'https://cdn.example.org/{episode')",
        ),
    ],
)
def test_shapes_audio_url_template_is_checked(site: Site, template: str, message: str) -> None:
    site.show(f"audio_url = {template}\n")
    with pytest.raises(BuildFailed) as raised:
        load_config(site.config)
    [problem] = raised.value.problems
    assert str(problem) == f"{site.config}:13: error: [show] 'audio_url' {message}"


def _check(site: Site) -> list[dict[str, Any]]:
    result = CliRunner().invoke(app, ["check", "-c", str(site.config), "--format", "json"])
    assert result.exit_code == 0, result.output
    found: list[dict[str, Any]] = json.loads(result.stdout)
    return found


def test_shapes_check_warns_when_stated_values_differ_from_the_measured(site: Site) -> None:
    for name, date, stated in (
        ("a", 1, "duration: 99"),
        ("b", 2, "filesize: 20000"),
        ("c", 3, "duration: 4"),
    ):
        audio = site.audio("sine-3s-cbr.mp3", f"{name}.mp3")  # 3.06 s, 12,427 bytes
        text = f"---\ntitle: {name}\ndate: 2024-01-0{date}\naudio: {audio}\n{stated}\n---\n"
        site.episode(name, text)
    findings = [f for f in _check(site) if f["rule"] == "podcastfeed/stated-vs-measured"]
    assert [(f["file"], f["line"], f["severity"], f["message"]) for f in findings] == [
        (
            "episodes/b.md",
            5,
            "warning",
            "b.mp3: length 20,000 bytes is stated, 12,427 bytes measured",
        ),
        (
            "episodes/a.md",
            5,
            "warning",
            "a.mp3: duration 0:01:39 (99 s) is stated, 0:00:03 (3.1 s) measured",
        ),
    ]  # c: 4 s stated against 3.06 s measured is within a second


def test_shapes_check_compares_a_remote_statement_with_the_lock(tmp_path: Path) -> None:
    """A remote file with duration and length stated is not fetched; the lock's probe (from
    when it had none) is what check compares them with."""
    root = tmp_path / "site"
    shutil.copytree(SITES / "powerpress-url-only", root)
    episode = root / "episodes" / "2017-07-12-backups.md"
    text = episode.read_text(encoding="utf-8")
    episode.write_text(text.replace("episode: 55", "episode: 55\nduration: 600\nlength: 12427"))
    site = Site(root)
    site.config = root / "feed.toml"
    [finding] = [f for f in _check(site) if f["rule"] == "podcastfeed/stated-vs-measured"]
    assert finding["message"] == (
        "ep55-backups.mp3: duration 0:10:00 (600 s) is stated, 0:00:03 (3.1 s) measured"
    )


def test_shapes_fields_mapping_reaches_the_new_fields(site: Site) -> None:
    """`[fields]` stays the escape hatch for names a site invented (docs/configuration.md)."""
    site.show('[fields]\nother_formats = "ogg_file"\npermalink = "page"\nseason = "staffel"\n')
    ogg = site.audio("sine-2s.ogg")
    site.episode(
        "a",
        f"---\ntitle: A\ndate: 2024-01-01\nurl: https://e.org/a.mp3\nduration: 3\n"
        f"length: 12427\npage: /a/\nogg_file: {ogg}\nstaffel: 4\n---\nNotes.\n",
    )
    item = etree.fromstring(build(site.config, now=NOW, use_cache=False).feed).find("channel/item")
    assert item is not None
    assert _text(item, "link") == "https://example.org/a/"
    assert _text(item, "itunes:season") == "4"
    enclosure = item.find("enclosure")
    assert enclosure is not None
    assert enclosure.get("url") == "https://e.org/a.mp3"
    [alternate] = item.findall("podcast:alternateEnclosure", {"podcast": PODCAST})
    assert alternate[0].get("uri") == "https://cdn.example.org/media/audio/sine-2s.ogg"


def test_shapes_category_and_tag_entities_are_decoded_once(site: Site) -> None:
    """WordPress exports write `&amp;` and `&#8211;` in categories and tags too."""
    site.episode(
        "e",
        text="---\ntitle: E\ndate: 2024-01-01\naudio: https://cdn.example.org/e.mp3\n"
        "duration: 60\nlength: 1000\ncategory: [Tom &amp; Jerry, 'A &#8211; B', '&amp;amp;']\n"
        "---\n",
    )
    (episode,) = build(site.config, now=NOW, check=False).published
    assert episode.keywords == ("Tom & Jerry", "A – B", "&amp;")
