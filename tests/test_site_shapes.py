"""Episode files as real sites write them, beyond issue 14's shapes (test_shapes.py): each test
names the public repository whose episode files have the shape; the files here are our own."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from conftest import Site
from images import make_image

from podcastfeed.build import build

NOW = datetime(2025, 1, 1, tzinfo=UTC)


def test_site_shapes_hugo_keys_in_any_case_are_read(site: Site) -> None:
    """Hugo reads front-matter keys case-insensitively (arresteddevops/ado-hugo's
    content/episode/*.md: `Description`, `Date`, `PublishDate` in TOML); they were ignored
    with a typo warning and the episode failed for want of a date."""
    audio = site.audio("sine-3s-cbr.mp3")
    site.episode(
        "a",
        '+++\nDescription = "What the episode is about."\nDate = 2024-10-01T08:36:13-05:00\n'
        f'PublishDate = 2024-10-02T08:00:00-05:00 # when it went out\nTitle = "A"\n'
        f'podcast_file = "{audio}"\nExplicit = "yes"\n+++\nNotes.\n',
    )
    episode, problems = site.read(site.episodes / "a.md")
    assert problems == []
    assert episode is not None
    assert episode.title == "A"
    assert episode.date.isoformat() == "2024-10-02T08:00:00-05:00"  # PublishDate before Date
    assert episode.is_explicit is True
    feed = build(site.config, now=NOW, use_cache=False).feed
    assert b"What the episode is about." in feed


def test_site_shapes_the_exact_key_wins_over_another_case(site: Site) -> None:
    """`title` and `Title` both written: `title` is read, `Title` is the site's own key."""
    audio = site.audio("sine-3s-cbr.mp3")
    text = f'+++\ntitle = "Exact"\nTitle = "Other"\ndate = 2024-01-01\naudio = "{audio}"\n+++\n'
    episode, _problems = site.read(site.episode("a", text))
    assert episode is not None
    assert episode.title == "Exact"


def test_site_shapes_a_cased_key_problem_names_its_line(site: Site) -> None:
    """A bad value under `Date` is reported at that key's line."""
    text = '+++\ntitle = "A"\nDate = "someday"\naudio = "https://e.org/a.mp3"\n+++\n'
    _episode, problems = site.read(site.episode("a", text))
    assert [str(p).split(":")[:2] for p in problems if p.is_error] == [["episodes/a.md", "3"]]


def test_site_shapes_yaml_keys_keep_their_case(site: Site) -> None:
    """Jekyll's YAML is case-sensitive (`Status:` is not `status:`): still a typo warning."""
    audio = site.audio("sine-3s-cbr.mp3")
    text = f"---\ntitle: A\ndate: 2024-01-01\naudio: {audio}\nStatus: draft\n---\n"
    episode, problems = site.read(site.episode("a", text))
    assert episode is not None
    assert [str(p) for p in problems] == [
        "episodes/a.md:5: warning: unknown key 'Status' (ignored)\n  hint: did you mean 'status'?"
    ]


def test_site_shapes_hugo_social_images_are_published_from_the_site(site: Site) -> None:
    """Hugo's `images` front matter lists the page's social images as paths from the site's
    root (castanet's archetype, arresteddevops/ado-hugo, Kubecast/kubecast-hugo); it stopped
    the build ("must be an https:// URL"). Each is published from `[show] link` with purpose
    `social`; URLs and tables stay as written."""
    audio = site.audio("sine-3s-cbr.mp3")
    text = (
        f'+++\ntitle = "A"\ndate = 2024-01-01\naudio = "{audio}"\n'
        'images = ["img/social/a.png", "/img/social/b.png", "https://cdn.example.org/c.png"]\n'
        "+++\nNotes.\n"
    )
    site.episode("a", text)
    episode, problems = site.read(site.episodes / "a.md")
    assert problems == []
    assert episode is not None
    assert [(i.url, i.purpose) for i in episode.tags.images] == [
        ("https://example.org/img/social/a.png", "social"),
        ("https://example.org/img/social/b.png", "social"),
        ("https://cdn.example.org/c.png", None),
    ]
    feed = build(site.config, now=NOW, use_cache=False).feed
    assert b'<podcast:image href="https://example.org/img/social/a.png" purpose="social"/>' in feed


@pytest.mark.parametrize("path", ["//e.org/x.png", "../x.png", "img/../../x.png"])
def test_site_shapes_an_image_path_out_of_the_site_is_still_refused(site: Site, path: str) -> None:
    text = f'---\ntitle: A\ndate: 2024-01-01\naudio: https://e.org/a.mp3\nimages: ["{path}"]\n---\n'
    _episode, problems = site.read(site.episode("a", text))
    assert [str(p) for p in problems if p.is_error] == [
        f"episodes/a.md:5: error: 'images' must be an https:// URL (got '{path}')"
    ]


def test_site_shapes_a_social_image_path_is_quoted(site: Site) -> None:
    audio = site.audio("sine-3s-cbr.mp3")
    text = f'---\ntitle: A\ndate: 2024-01-01\naudio: {audio}\nimages: ["img/a b.png"]\n---\n'
    episode, problems = site.read(site.episode("a", text))
    assert episode is not None, problems
    assert [i.url for i in episode.tags.images] == ["https://example.org/img/a%20b.png"]


@pytest.mark.parametrize(
    ("heading", "shown"),
    [
        ("## Overview {#overview}", "<h2>Overview</h2>"),  # Hugo (Goldmark)
        ("### Update [00:41] {#update-00-41}", "<h3>Update [00:41]</h3>"),
        ("## Intro {: .lead #intro}", "<h2>Intro</h2>"),  # Jekyll (kramdown)
        ("## Intro {.lead}", "<h2>Intro</h2>"),
        ("## Sets {a, b}", "<h2>Sets {a, b}</h2>"),  # text, not attributes
        ("## {#only}", "<h2>{#only}</h2>"),  # nothing before it: text
    ],
)
def test_site_shapes_heading_attributes_are_not_text(site: Site, heading: str, shown: str) -> None:
    """`## Overview {#overview}` (alexmurray/ubuntu-security-podcast's content/episode/*.md)
    sets the heading's id on the site; the feed showed "Overview {#overview}"."""
    audio = site.audio("sine-3s-cbr.mp3")
    text = f"---\ntitle: A\ndate: 2024-01-01\naudio: {audio}\n---\n{heading}\n\nText.\n"
    episode, _problems = site.read(site.episode("a", text))
    assert episode is not None
    assert shown in episode.notes_html


@pytest.mark.parametrize(
    ("front", "key", "line"),
    [
        # joebuhlig/Jekyll-Podcast-Feed's posts (and FLOSSforScience's): podcast_link
        ("podcast_link: https://cdn.example.org/ep1.mp3\npodcast_length: 12345", "podcast_link", 4),
        ("audio_url: https://cdn.example.org/ep1.mp3", "audio_url", 4),  # gliush/devzen
        ("friendly: gabe\npodcast: ep1.m4a", "podcast", 5),  # Kubecast/kubecast-hugo
    ],
)
def test_site_shapes_no_audio_names_the_key_that_looks_like_it(
    site: Site, front: str, key: str, line: int
) -> None:
    """The error named the keys podcastfeed reads, not the site's key holding the audio."""
    text = f"---\ntitle: A\ndate: 2024-01-01\n{front}\n---\n"
    _episode, problems = site.read(site.episode("a", text))
    assert len(problems) == 1
    assert str(problems[0]).startswith(
        f"episodes/a.md:{line}: error: no audio: '{key}' looks like the audio, but podcastfeed "
        "does not read that key (got '"
    )
    assert problems[0].hint == f'if it is, say so in feed.toml: [fields] audio = "{key}"'


def test_site_shapes_no_audio_without_such_a_key_lists_the_keys_read(site: Site) -> None:
    text = "---\ntitle: A\ndate: 2024-01-01\ncover: https://example.org/a.jpg\n---\n"
    _episode, problems = site.read(site.episode("a", text))
    assert [str(p).split("\n")[0] for p in problems] == [
        "episodes/a.md: error: no audio: set 'audio' to a file next to the episode or a URL"
    ]


def test_site_shapes_eleventy_podcaster_episode_object_is_read(site: Site) -> None:
    """eleventy-plugin-podcaster nests the episode's facts in an `episode:` object
    (nathan-bottomley/eleventy-plugin-podcaster, docs/episode-information.md); it failed with
    "'episode' must be a number" and "no audio". Its `podcastEpisode` collection tag is no
    keyword."""
    site.audio("sine-3s-cbr.mp3", "S1E2, A Phase.mp3")
    text = (
        "---\ntitle: A Phase\ndate: 2024-04-14\ntags:\n  - podcastEpisode\n  - doctors\n"
        "episode:\n  filename: audio/S1E2, A Phase.mp3\n  seasonNumber: 1\n  episodeNumber: 2\n"
        "  size: 12427\n  duration: 3\n  explicit: yes\n  episodeType: bonus\n  colour: red\n"
        "excerpt: >-\n  A short one.\n---\nNotes.\n"
    )
    episode, problems = site.read(site.episode("a", text))
    assert problems == []
    assert episode is not None
    assert episode.audio is not None
    assert episode.audio.url == "https://cdn.example.org/media/audio/S1E2%2C%20A%20Phase.mp3"
    assert (episode.season, episode.number, episode.episode_type) == (1, 2, "bonus")
    assert (episode.length, episode.duration, episode.is_explicit) == (12427, 3, True)
    assert episode.keywords == ("doctors",)


def test_site_shapes_eleventy_podcaster_problem_is_at_the_object(site: Site) -> None:
    text = "---\ntitle: A\ndate: 2024-04-14\nepisode:\n  filename: missing.mp3\n---\n"
    _episode, problems = site.read(site.episode("a", text))
    assert [str(p).split("\n")[0] for p in problems] == [
        "episodes/a.md:4: error: 'episode.filename' file not found: 'missing.mp3' "
        "(looked in episodes and the show folder)"
    ]


def test_site_shapes_a_top_level_key_wins_over_the_episode_object(site: Site) -> None:
    audio = site.audio("sine-3s-cbr.mp3")
    text = (
        f"---\ntitle: A\ndate: 2024-04-14\nduration: 7\n"
        f"episode:\n  filename: {audio}\n  duration: 9\n---\n"
    )
    episode, problems = site.read(site.episode("a", text))
    assert episode is not None, problems
    assert episode.duration == 7


def test_site_shapes_castanet_episode_image_is_from_the_site_root(site: Site) -> None:
    """castanet's feed writes `episode_image` through Hugo's absURL, from the site's root
    (alexmurray/ubuntu-security-podcast: `episode_image = "img/usp_logo_500.png"` beside a
    `permalink`); it was resolved against the episode's page, a picture that is not there.
    `image` keeps resolving against the page (WordPress' `thumbnail: luca.jpeg`)."""
    audio = site.audio("sine-3s-cbr.mp3")
    for key, url in (
        ("episode_image", "https://example.org/img/logo.png"),
        ("image", "https://example.org/episode-164/img/logo.png"),
    ):
        text = (
            f'+++\ntitle = "A"\ndate = 2024-01-01\npodcast_file = "{audio}"\n'
            f'permalink = "https://example.org/episode-164/"\n{key} = "img/logo.png"\n+++\n'
        )
        episode, problems = site.read(site.episode("a", text))
        assert episode is not None, problems
        assert episode.image == url


def test_site_shapes_inline_json_chapters_document_is_read(site: Site) -> None:
    """rpodcast/castanet's archetype (and rpodcast/rweekly_site's episodes) write the JSON
    chapters file inline under `podcast_chapters:` (`version`, `chapters` of `startTime` and
    `title`, plus the file's own `author`, `podcastName` …); it was ignored without a word."""
    audio = site.audio("sine-3s-cbr.mp3")
    text = (
        f"---\ntitle: A\ndate: 2024-01-01\naudio: {audio}\npodcast_chapters:\n"
        "  version: 1.1.0\n  chapters:\n  - startTime: 0\n    title: Intro\n"
        "  - startTime: 2\n    title: Main part\n    toc: true\n  author: Ann\n"
        "  podcastName: A Show\n  fileName: null\n---\nNotes.\n"
    )
    episode, problems = site.read(site.episode("a", text))
    assert problems == []
    assert episode is not None
    assert [(c.start, c.title) for c in episode.tags.inline_chapters] == [
        (0.0, "Intro"),
        (2.0, "Main part"),
    ]


def test_site_shapes_inline_chapters_may_say_start_time(site: Site) -> None:
    audio = site.audio("sine-3s-cbr.mp3")
    text = (
        f"---\ntitle: A\ndate: 2024-01-01\naudio: {audio}\nchapters:\n"
        "  - {startTime: 0, title: Intro}\n  - {startTime: 1.5, title: Next}\n---\n"
    )
    episode, problems = site.read(site.episode("a", text))
    assert episode is not None, problems
    assert [c.start for c in episode.tags.inline_chapters] == [0.0, 1.5]


@pytest.mark.parametrize(
    "table",
    [
        "{path: art/ep1.png, alt: The cover, width: 1400}",  # jekyll-seo-tag's image object
        "{url: art/ep1.png, alt: 'Source: someone'}",  # falkoin/und_was_podcast's theme
    ],
)
def test_site_shapes_an_image_table_gives_its_picture(site: Site, table: str) -> None:
    """`image:` as a table of the picture and its alt text failed the build ("'image' must be
    text (got dict) (got {…})", said twice)."""
    audio = site.audio("sine-3s-cbr.mp3")
    text = f"---\ntitle: A\ndate: 2024-01-01\naudio: {audio}\nimage: {table}\n---\n"
    episode, problems = site.read(site.episode("a", text))
    assert episode is not None, problems
    assert episode.image == "https://example.org/art/ep1.png"


def test_site_shapes_an_image_table_without_one_picture_is_refused_once(site: Site) -> None:
    text = "---\ntitle: A\ndate: 2024-01-01\naudio: https://e.org/a.mp3\nimage: {alt: x}\n---\n"
    _episode, problems = site.read(site.episode("a", text))
    assert [str(p) for p in problems] == [
        "episodes/a.md:5: error: 'image' must be text, not a table (got {'alt': 'x'})"
    ]


def _notes(site: Site, body: str, front: str = "") -> str:
    audio = site.audio("sine-3s-cbr.mp3")
    text = f"---\ntitle: A\ndate: 2024-01-01\naudio: {audio}\n{front}---\n{body}"
    episode, problems = site.read(site.episode("a", text))
    assert episode is not None, problems
    return episode.notes_html


def test_site_shapes_hugo_shortcodes_show_what_the_page_shows(site: Site) -> None:
    """Hugo's shortcodes were published as text ("{{&lt; youtube ID &gt;}}"): a video is its
    link, a figure its picture, a paired shortcode its text, others nothing; `{{</* … */>}}`
    is Hugo's way to show one."""
    notes = _notes(
        site,
        'Intro.\n\n{{< youtube UaGf7HF-unc >}}\n\n{{< vimeo id="76979871" >}}\n\n'
        '{{< figure src="/img/x.png" caption="A figure" >}}\n\n'
        "{{% notice info %}}Mind the gap.{{% /notice %}}\n\n{{< tweet 1 >}}\n\n"
        "Write {{</* youtube ID */>}} for a video.\n",
    )
    assert notes == (
        "<p>Intro.</p>\n"
        '<p><a href="https://www.youtube.com/watch?v=UaGf7HF-unc">Watch on YouTube</a></p>\n'
        '<p><a href="https://vimeo.com/76979871">Watch on Vimeo</a></p>\n'
        '<img src="https://example.org/img/x.png" alt="A figure"/>\n'
        "<p>Mind the gap.</p>\n"
        "<p>Write {{&lt; youtube ID &gt;}} for a video.</p>"
    )


def test_site_shapes_liquid_shows_what_the_page_shows(site: Site) -> None:
    """Jekyll's Liquid was published as text: `{% include audio.html %}` (andybalaam/
    Jekyll-Podcast-Feed's posts) and `[MP3]({{ page.podcast_link }})` (FLOSSforScience's)."""
    notes = _notes(
        site,
        "{% include audio.html %}\n\nGet the [MP3]({{ page.podcast_link }}) or "
        "[OGG]({{ page.podcast_link_ogg | absolute_url }}).\n\n"
        "{% raw %}Liquid: {{ page.title }}{% endraw %}\n",
        "podcast_link: https://cdn.example.org/a.mp3\n",
    )
    assert notes == (
        '<p>Get the <a href="https://cdn.example.org/a.mp3">MP3</a> or '
        '<a href="https://example.org/">OGG</a>.</p>\n'
        "<p>Liquid: {{ page.title }}</p>"
    )


def test_site_shapes_template_syntax_in_code_stays(site: Site) -> None:
    notes = _notes(site, "Use `{{< youtube ID >}}`:\n\n```\n{% include x.html %}\n```\n")
    assert "<code>{{&lt; youtube ID &gt;}}</code>" in notes
    assert "{% include x.html %}" in notes


def test_site_shapes_castanet_episode_image_removed_since_the_cache_is_from_the_root(
    site: Site,
) -> None:
    """A cached episode whose `episode_image` file went away links it as a fresh read does:
    from the site's root, not from the episode's page."""
    audio = site.audio("sine-3s-cbr.mp3")
    make_image(site.episodes / "img" / "logo.jpg")
    site.episode(
        "a",
        f"---\ntitle: A\ndate: 2024-01-01\naudio: {audio}\n"
        "permalink: https://example.org/episode-1/\nepisode_image: img/logo.jpg\n---\n",
    )
    build(site.config, now=NOW)
    (site.episodes / "img" / "logo.jpg").unlink()
    cached = build(site.config, now=NOW).feed
    fresh = build(site.config, now=NOW, use_cache=False).feed
    assert b'<itunes:image href="https://example.org/img/logo.jpg"/>' in fresh
    assert cached == fresh


def test_site_shapes_double_braces_that_are_not_liquid_s_stay(site: Site) -> None:
    """Notes about Vue, Angular or Handlebars write `{{ message }}` as text; only Liquid's own
    objects (`page`, `site`, …) are the site's to replace (it was left out)."""
    notes = _notes(site, "Bind it with {{ message }} or {{ user.name | upper }}.\n", "")
    assert notes == "<p>Bind it with {{ message }} or {{ user.name | upper }}.</p>"
