"""Front-matter values YAML 1.1 would change, in every field beside the text fields
(test_front_matter_yaml.py): numbers read in decimal as written, names that YAML makes
booleans, and each other value read as written or refused with its text."""

from __future__ import annotations

from typing import Any

import pytest
from conftest import Site

from podcastfeed.errors import Problem
from podcastfeed.model import Episode
from podcastfeed.source.config import load_config
from podcastfeed.source.episodes import read_episode


def _read(site: Site, front: str, header: str = "") -> tuple[Episode | None, list[Problem]]:
    config = load_config(site.config)
    audio = site.audio("sine-3s-cbr.mp3")
    text = f"---\ntitle: t\ndate: 2024-01-01\naudio: {audio}\n{front}---\nNotes.\n"
    return read_episode(site.episode("ep", header + text), config.show, config.build)


def _episode(site: Site, front: str) -> Episode:
    episode, problems = _read(site, front)
    assert episode is not None, problems
    assert not problems, problems
    return episode


def _errors(site: Site, front: str) -> list[str]:
    episode, problems = _read(site, front)
    assert episode is None
    return [f"{p.line}: {p.message}" for p in problems]


@pytest.mark.parametrize(
    ("written", "expected"),
    [("0100", 100), ("100", 100), ("1_000", 1000), ("1:30", 90), ("1.5", 2), ("01:02:03", 3723)],
)
def test_duration_is_read_in_decimal_as_written(site: Site, written: str, expected: int) -> None:
    """`duration: 0100` was YAML 1.1's octal 64."""
    assert _episode(site, f"duration: {written}\n").duration == expected


@pytest.mark.parametrize(("written", "expected"), [("0100", 100), ("1_000", 1000), ("7", 7)])
def test_length_is_read_in_decimal_as_written(site: Site, written: str, expected: int) -> None:
    assert _episode(site, f"length: {written}\n").length == expected


@pytest.mark.parametrize(
    ("front", "message"),
    [
        ("duration: 0x10\n", "5: 'duration' must be seconds or HH:MM:SS (got '0x10')"),
        ("duration: .nan\n", "5: 'duration' must be seconds or HH:MM:SS (got '.nan')"),
        ("length: 0x10\n", "5: 'length' must be a whole number above 0 (got '0x10')"),
        ("length: 0b11\n", "5: 'length' must be a whole number above 0 (got '0b11')"),
    ],
)
def test_a_number_yaml_reads_in_another_base_is_refused_as_written(
    site: Site, front: str, message: str
) -> None:
    """Hexadecimal or binary, YAML's 16 or 3 (and `.nan`, no duration) are errors that quote
    the text, as `episode: 0x2` is (not a value the file does not show)."""
    assert _errors(site, front) == [message]


def test_a_time_of_day_with_seconds_is_read(site: Site) -> None:
    """`post_time: 14:30:05` was YAML's base-60 52205, refused as no time of day."""
    episode = _episode(site, "post_time: 14:30:05\n")
    assert (episode.date.hour, episode.date.minute, episode.date.second) == (14, 30, 5)


def test_numbers_in_the_tags_tables_are_read_in_decimal_as_written(site: Site) -> None:
    episode = _episode(
        site,
        "images: [{href: 'https://e.org/a.jpg', width: 0100, height: 0100, aspect_ratio: 1.50}]\n"
        "alternate_enclosures: [{url: 'https://e.org/a.ogg', length: 0100, bitrate: 0127}]\n"
        "soundbites: [{start: 01, duration: 02}]\n"
        "chapters: [{start: 0, title: a}, {start: 010, title: b}, {start: 1:30, title: c}]\n",
    )
    tags = episode.tags
    assert [(i.width, i.height, i.aspect_ratio) for i in tags.images] == [(100, 100, "1.5")]
    (alternate,) = tags.alternate_enclosures
    assert (alternate.length, alternate.bitrate) == (100, 127.0)
    assert [(s.start, s.duration) for s in tags.soundbites] == [(1.0, 2.0)]
    assert [c.start for c in tags.inline_chapters] == [0.0, 10.0, 90.0]


@pytest.mark.parametrize(
    ("front", "message"),
    [
        (
            "images: [{href: 'https://e.org/a.jpg', aspect_ratio: 16:9}]\n",
            "5: 'images' 'aspect_ratio' must be a ratio like 1/1 or 16/9 (got '16:9')",
        ),
        (
            "images: [{href: 'https://e.org/a.jpg', width: 1:1}]\n",
            "5: 'images' 'width' must be a whole number above 0 (got '1:1')",
        ),
    ],
)
def test_a_ratio_yaml_reads_in_base_60_is_refused_as_written(
    site: Site, front: str, message: str
) -> None:
    """`aspect_ratio: 16:9` was YAML's 969, published as aspect-ratio="969"."""
    assert _errors(site, front) == [message]


@pytest.mark.parametrize(
    ("front", "attribute", "expected"),
    [
        ("persons: Yes\n", "persons", ("Yes",)),
        ("guests: [No, On]\n", "persons", ("No", "On")),
        ("location: no\n", "locations", ("no",)),
    ],
)
def test_a_plain_name_yaml_would_make_a_boolean_is_the_name(
    site: Site, front: str, attribute: str, expected: tuple[str, ...]
) -> None:
    """`persons: Yes` was refused as 'must be a table (got True)'."""
    found: Any = getattr(_episode(site, front).tags, attribute)
    assert tuple(item.name for item in found) == expected


def test_a_licence_yaml_would_make_a_boolean_is_refused_as_written(site: Site) -> None:
    assert _errors(site, "license: on\n") == [
        "5: 'license' 'on' is not a known licence id (e.g. cc-by-4.0, cc0-1.0, arr); give a url "
        "for another licence"
    ]


def test_chapters_false_is_still_no_chapters(site: Site) -> None:
    assert _episode(site, "chapters: false\n").tags.chapters is None


def test_a_nan_is_no_repaired_text(site: Site) -> None:
    """`.nan` is not equal to itself: it was noted as 'repaired garbled text'."""
    episode, problems = _read(site, "other: .nan\n")
    assert episode is not None
    assert problems == []


def test_cli_build_publishes_the_numbers_as_written(site: Site) -> None:
    audio = site.audio("sine-3s-cbr.mp3")
    site.episode(
        "ep",
        f"---\ntitle: t\ndate: 2024-01-01\naudio: {audio}\nduration: 0100\nlength: 0100\n"
        "images: [{href: 'https://e.org/a.jpg', width: 0100}]\n---\nN.\n",
    )
    result = site.build_cli("-o", "-")
    assert result.exit_code == 0, result.output
    assert "<itunes:duration>100</itunes:duration>" in result.stdout
    assert 'length="100"' in result.stdout
    assert 'width="100"' in result.stdout


def test_entities_in_the_itunes_one_line_fields_are_decoded_as_in_the_title(site: Site) -> None:
    """`itunes_title: Tom &amp; Jerry` was published as `Tom &amp;amp; Jerry` (the title's
    entities are decoded; fields.ONE_LINE_FIELDS names these four too)."""
    episode = _episode(
        site,
        "itunes_title: Tom &amp; Jerry &#8211; x\nitunes_author: A &amp; B\nseason: 1\n"
        "season_name: S &amp; T\nepisode: 2\nepisode_display: E &lt;1&gt;\n",
    )
    tags = episode.tags
    assert (tags.itunes_title, tags.itunes_author) == ("Tom & Jerry – x", "A & B")
    assert (tags.season_name, tags.episode_display) == ("S & T", "E <1>")


def test_an_itunes_title_of_only_an_entity_xml_cannot_carry_is_refused(site: Site) -> None:
    assert _errors(site, "itunes_title: '&#1;'\n") == [
        "5: 'itunes_title' must not be empty: XML cannot carry its characters (got '&#1;')"
    ]


NODE_A, NODE_B = "02" + "a" * 64, "03" + "b" * 64


def test_value_numbers_and_names_are_read_as_written(site: Site) -> None:
    """`split: 010` was 8 shares (YAML's octal), `custom_value: 0123` "83", `name: Yes`
    refused as 'got True', a time split's `start: 010` 8 s."""
    episode = _episode(
        site,
        "value:\n  - type: lightning\n    method: keysend\n    recipients:\n"
        f"      - {{name: Yes, type: node, address: '{NODE_A}', split: 010}}\n"
        f"      - {{name: b, type: node, address: '{NODE_B}', split: 2, custom_key: 696969,"
        " custom_value: 0123}\n"
        "    time_splits:\n      - start: 010\n        duration: 1:30\n"
        "        remote_percentage: 050\n"
        "        remote_item: {feed_guid: 917393e3-1b1e-5cef-ace4-edaa54e1f810}\n",
    )
    (block,) = episode.tags.value
    first, second = block.recipients
    assert (first.name, first.split) == ("Yes", 10)
    assert (second.custom_key, second.custom_value) == ("696969", "0123")
    (split,) = block.time_splits
    assert (split.start, split.duration, split.remote_percentage) == (10.0, 90.0, 50)


def test_value_split_in_base_60_is_refused_as_written(site: Site) -> None:
    assert _errors(
        site,
        f"value: [{{type: lightning, method: keysend, recipients: [{{name: a, type: node, "
        f"address: '{NODE_A}', split: 1:30}}]}}]\n",
    ) == ["5: 'value' 'split' must be a whole number of shares above 0 (got '1:30')"]


def _toml(site: Site, front: str) -> tuple[Episode | None, list[Problem]]:
    config = load_config(site.config)
    audio = site.audio("sine-3s-cbr.mp3")
    title = "" if front.startswith("title") else 'title = "t"\n'
    text = f'+++\n{title}date = 2024-01-01\naudio = "{audio}"\n{front}+++\nNotes.\n'
    return read_episode(site.episode("ep", text), config.show, config.build)


def test_a_toml_time_of_day_is_read(site: Site) -> None:
    """Hugo's TOML `post_time = 14:30:05` is a time: it was refused as 'got datetime.time(…)'."""
    episode, problems = _toml(site, "post_time = 14:30:05\n")
    assert episode is not None, problems
    assert (episode.date.hour, episode.date.minute, episode.date.second) == (14, 30, 5)


@pytest.mark.parametrize(
    ("front", "message"),
    [
        (
            'chapters = [{start = inf, title = "a"}]\n',
            "5: 'chapters' 'start' must be at most 1,000,000,000 seconds (got inf)",
        ),
        (
            "soundbites = [{start = 0, duration = nan}]\n",
            "5: 'soundbites' 'duration' must be seconds or HH:MM:SS (got nan)",
        ),
    ],
)
def test_an_infinite_or_nan_time_is_refused(site: Site, front: str, message: str) -> None:
    """TOML's `start = inf` was a traceback (OverflowError) when the chapters were written."""
    episode, problems = _toml(site, front)
    assert episode is None
    assert [f"{p.line}: {p.message}" for p in problems] == [message]


def test_a_chapter_start_of_400_digits_is_refused(site: Site) -> None:
    """YAML's integers have no bound: float() of this one was an OverflowError traceback."""
    (message,) = _errors(site, f"chapters: [{{start: 1{'0' * 400}, title: a}}]\n")
    assert message.startswith("5: 'chapters' 'start' must be at most 1,000,000,000 seconds")


def test_cli_build_refuses_an_infinite_chapter_start_without_a_traceback(site: Site) -> None:
    audio = site.audio("sine-3s-cbr.mp3")
    site.episode(
        "ep",
        f'+++\ntitle = "t"\ndate = 2024-01-01\naudio = "{audio}"\n'
        'chapters = [{start = 0, title = "a"}, {start = inf, title = "b"}]\n+++\nN.\n',
    )
    result = site.build_cli()
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "episodes/ep.md:5: error: 'chapters' entry 2: 'start' must be at most" in result.stderr


@pytest.mark.parametrize(
    "front",
    [
        f"guid: 0x{'f' * 5000}\n",  # YAML builds it; str() of it was a ValueError traceback
        f"episode_type: 0x{'f' * 5000}\n",
        f"length: {'7' * 5000}\n",  # was Python's "Exceeds the limit (4300 digits) …"
    ],
)
def test_a_number_too_large_to_read_is_refused_at_its_line(site: Site, front: str) -> None:
    assert _errors(site, front) == [
        "5: front matter is not valid YAML: has a number too large to read "
        "(over 4,000 decimal digits)"
    ]


def test_a_long_octal_length_is_refused_by_its_digits(site: Site) -> None:
    assert _errors(site, f"length: 0{'7' * 30}\n") == [
        f"5: 'length' must be a whole number of at most 20 digits (got '0{'7' * 30}')"
    ]


def test_a_bad_value_yaml_made_a_number_is_quoted_as_written(site: Site) -> None:
    """`expiry_date: 12:30` said 'got 750' (YAML's base 60)."""
    assert _errors(site, "expiry_date: 12:30\n") == [
        "5: 'expiry_date' must be a date like 2024-03-12 or 2024-03-12T09:30:00+01:00 (got '12:30')"
    ]


def test_a_duplicate_key_is_blamed_and_quoted_where_it_is_read(site: Site) -> None:
    """YAML reads the last of duplicate keys: the message quoted the first and named its line."""
    assert _errors(site, "expiry_date: 2024-01-05\nexpiry_date: 12:30\n") == [
        "6: 'expiry_date' must be a date like 2024-03-12 or 2024-03-12T09:30:00+01:00 (got '12:30')"
    ]


def test_toml_text_fields_keep_the_text_written(site: Site) -> None:
    """Hugo's `title = 1.10` is a TOML float: it was published as "1.1", `author = true` as
    "True", `title = 2024-01-01T10:00:00` as "2024-01-01 10:00:00", and a date or time in
    season_name or itunes_title was refused as 'got datetime.date(…)'."""
    episode, problems = _toml(
        site,
        "title = 1.10 # a version\nauthor = true\nsummary = 1979-05-27T07:32:00Z\nseason = 1\n"
        "season_name = 2024-01-01\nitunes_title = 14:30:00\n",
    )
    assert episode is not None, problems
    assert (episode.title, episode.author, episode.description) == (
        "1.10",
        "true",
        "1979-05-27T07:32:00Z",
    )
    assert (episode.tags.season_name, episode.tags.itunes_title) == ("2024-01-01", "14:30:00")


def test_toml_numbers_stay_numbers(site: Site) -> None:
    """TOML writes its bases on purpose (`0x10`): numbers are read as TOML types them."""
    episode, problems = _toml(site, "season = 0x10\nepisode = 1_0\nduration = 0o17\n")
    assert episode is not None, problems
    assert (episode.season, episode.number, episode.duration) == (16, 10, 15)


def test_a_toml_guid_read_otherwise_than_written_is_noted_as_yamls_is(site: Site) -> None:
    """`guid = 1.10` was published as "1.1" without a word."""
    episode, problems = _toml(site, "guid = 1.10\n")
    assert episode is not None
    assert episode.guid == "1.1"  # published feeds keep their guids
    (problem,) = problems
    assert (problem.level, problem.line) == ("note", 5)
    assert problem.message == (
        "'guid' is written '1.10', which TOML reads as '1.1': the guid the feed publishes"
    )
    assert problem.hint is not None
    assert problem.hint.startswith('to publish it as written, quote it (guid = "1.10")')


def test_a_bad_toml_time_is_quoted_as_written(site: Site) -> None:
    """It said 'got datetime.time(14, 30)'."""
    episode, problems = _toml(site, "expiryDate = 14:30:00\n")
    assert episode is None
    assert [p.message for p in problems] == [
        "'expiryDate' must be a date like 2024-03-12 or 2024-03-12T09:30:00+01:00 (got '14:30:00')"
    ]


@pytest.mark.parametrize(
    ("front", "start"),
    [
        ("author: !!binary aGVsbG8=\n", "5: 'author' must be text (got bytes)"),
        ("author: !!set {a, b}\n", "5: 'author' must be text (got set)"),
        ("permalink: !!binary aGVsbG8=\n", "5: 'permalink' must be text, not bytes (got b'hello')"),
    ],
)
def test_a_yaml_binary_or_set_is_no_text(site: Site, front: str, start: str) -> None:
    """`!!binary` was published as "b'hello'", and `!!set {a, b}` as "{'b', 'a'}" in an order
    that changed from build to build (str of a set follows string hashing)."""
    (message, *_) = _errors(site, front)
    assert message.startswith(start)
