"""Two keys of one field with different values: the first is read and the other is named in
a warning at its line, not dropped without a word."""

from __future__ import annotations

from conftest import Site

from podcastfeed.errors import Problem
from podcastfeed.model import Episode
from podcastfeed.source.config import load_config
from podcastfeed.source.episodes import read_episode


def _read(site: Site, front: str, audio: bool = True) -> tuple[Episode | None, list[Problem]]:
    config = load_config(site.config)
    head = f"audio: {site.audio('sine-3s-cbr.mp3')}\n" if audio else ""
    path = site.episode("ep", f"---\ntitle: t\ndate: 2024-01-01\n{head}{front}---\nNotes.\n")
    return read_episode(path, config.show, config.build)


def _warnings(site: Site, front: str, audio: bool = True) -> list[str]:
    episode, problems = _read(site, front, audio)
    assert episode is not None, problems
    return [f"{p.line}: {p.message}" for p in problems]


def test_a_second_audio_key_is_named_as_not_read(site: Site) -> None:
    episode, problems = _read(site, "enclosure: https://e.org/other.mp3\n")
    assert episode is not None
    assert episode.audio is not None
    assert episode.audio.ref == "audio/sine-3s-cbr.mp3"
    (problem,) = problems
    assert (problem.level, problem.line) == ("warning", 5)
    assert (
        problem.message == "'enclosure' is not read: 'audio' gives the audio (both are keys for it)"
    )
    assert problem.hint == (
        'remove one of them, or choose the key in feed.toml: [fields] audio = "enclosure"'
    )


def test_each_key_not_read_is_named(site: Site) -> None:
    assert _warnings(
        site, "person: A\nguests: B\nexcerpt: one\ndescription: two\nsubtitle: three\n"
    ) == [
        "6: 'guests' is not read: 'person' gives the persons (both are keys for it)",
        "8: 'description' is not read: 'excerpt' gives the summary (both are keys for it)",
        "9: 'subtitle' is not read: 'excerpt' gives the summary (both are keys for it)",
    ]


def test_hugo_front_matter_names_a_key_not_read_too(site: Site) -> None:
    audio = site.audio("sine-3s-cbr.mp3")
    path = site.episode(
        "ep",
        f'+++\ntitle = "t"\ndate = 2024-01-01\naudio = "{audio}"\nepisode = 3\nnumber = 4\n+++\n',
    )
    episode, problems = site.read(path)
    assert episode is not None
    assert episode.number == 3
    assert [(p.line, p.message) for p in problems] == [
        (6, "'number' is not read: 'episode' gives the episode (both are keys for it)")
    ]


def test_keys_that_agree_or_are_all_read_are_no_warning(site: Site) -> None:
    assert _warnings(site, "excerpt: one\ndescription: one\ntags: [a]\ncategories: [b]\n") == []
    assert _warnings(site, "publishDate: 2024-01-03\n") == []  # Hugo's: read before date


def test_a_url_that_is_the_audio_is_no_second_permalink(site: Site) -> None:
    front = "url: https://e.org/a.mp3\npermalink: /b/\nduration: 3\nlength: 9\n"
    episode, problems = _read(site, front, audio=False)
    assert episode is not None
    assert episode.audio is not None
    assert (episode.audio.url, episode.link) == ("https://e.org/a.mp3", "https://example.org/b/")
    assert problems == []


def test_a_field_mapped_in_feed_toml_is_the_sites_choice(site: Site) -> None:
    site.show('\n[fields]\nsummary = "description"\n')
    episode, problems = _read(site, "excerpt: one\ndescription: two\n")
    assert episode is not None
    assert episode.description == "two"
    assert problems == []


def test_cli_build_warns_of_a_key_not_read_and_builds(site: Site) -> None:
    site.episode(
        "ep",
        f"---\ntitle: t\ndate: 2024-01-01\naudio: {site.audio('sine-3s-cbr.mp3')}\n"
        "episode: 1\nnumber: 2\n---\nN.\n",
    )
    result = site.build_cli("-o", "-")
    assert result.exit_code == 0, result.output
    assert "<itunes:episode>1</itunes:episode>" in result.stdout
    assert "episodes/ep.md:6: warning: 'number' is not read" in result.stderr


def test_jekylls_published_false_is_not_published(site: Site) -> None:
    """`published` is also a name of the date: Jekyll's `published: false` beside a date was
    ignored, and the post published; without a date it was 'must be a date (got False)'."""
    episode, problems = _read(site, "published: false\n")
    assert episode is not None
    assert episode.is_published is False
    assert problems == []
    episode, _ = _read(site, "published: true\n")
    assert episode is not None
    assert episode.is_published is True


def test_cli_build_leaves_out_a_jekyll_post_not_published(site: Site) -> None:
    audio = site.audio("sine-3s-cbr.mp3")
    site.episode("one", f"---\ntitle: one\ndate: 2024-01-01\naudio: {audio}\n---\n")
    site.episode("2024-01-02-two", "---\ntitle: two\npublished: false\n---\n")
    result = site.build_cli("-o", "-")
    assert result.exit_code == 0, result.output
    assert "<title>one</title>" in result.stdout
    assert "<title>two</title>" not in result.stdout
