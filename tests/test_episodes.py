from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from conftest import DATA, Site

from podcastfeed.errors import ExitCode, Problem
from podcastfeed.model import Episode
from podcastfeed.source.config import Config, load_config
from podcastfeed.source.discovery import find_episode_files
from podcastfeed.source.episodes import read_episode


def _read(site: Site, path: Path) -> tuple[Episode | None, list[Problem]]:
    config: Config = load_config(site.config)
    return read_episode(path, config.show, config.build)


def _only_error(problems: list[Problem]) -> str:
    errors = [str(p) for p in problems if p.is_error]
    assert len(errors) == 1, errors
    return errors[0]


def test_read_episode_seed_keys_work_unchanged(site: Site) -> None:
    """The WordPress-to-Jekyll export in tests/data/seed-episode.md reads as is (local audio)."""
    text = (DATA / "seed-episode.md").read_text(encoding="utf-8")
    audio = site.audio("sine-3s-cbr.mp3", "platform.mp3")
    text = "\n".join(
        f"audio: {audio}" if line.startswith("audio:") else line for line in text.splitlines()
    )
    episode, problems = _read(site, site.episode("seed", text))
    assert [p.level for p in problems] == ["note"]  # "Lucaâ€™s" repaired (issue 14)
    assert "in the show notes" in problems[0].message
    assert episode is not None
    assert episode.title == "From DevOps to Platform engineering"
    assert episode.date == datetime(2023, 3, 21, 5, 31, 18, tzinfo=UTC)
    assert episode.is_published
    assert episode.link == "https://example.org/platform-engineering"
    assert episode.description.startswith("Luca Galante shares what platform engineering is")
    assert episode.image == "https://example.org/luca_galante.jpeg"
    assert episode.keywords == ("DevOps", "Productivity")
    assert episode.audio.url == "https://cdn.example.org/media/audio/platform.mp3"
    assert episode.audio.path == site.episodes / "audio" / "platform.mp3"
    assert "<iframe" not in episode.notes_html
    assert "what is platform engineering" in episode.notes_html
    assert 'src="https://example.org/luca_galante.jpeg"' in episode.notes_html


@pytest.mark.parametrize(
    ("extra", "published"),
    [
        ("status: publish", True),
        ("status: draft", False),
        ("status: future", False),
        ("status: private", False),
        ("status: trash", False),
        ("draft: true", False),
        ("draft: false", True),
    ],
)
def test_read_episode_status_and_draft(site: Site, extra: str, published: bool) -> None:
    path = site.episode("e", date="2024-01-01\n" + extra)
    episode, problems = _read(site, path)
    assert problems == []
    assert episode is not None
    assert episode.is_published is published


def test_read_episode_synonyms_and_field_mapping(site: Site) -> None:
    audio = site.audio("sine-3s-cbr.mp3")
    path = site.episode(
        "e",
        "---\ntitle: T\npubDate: 2024-02-03\nenclosure: "
        f"{audio}\nsummary: S\nimage: /i.jpg\ntags: a, b\n---\nBody\n",
    )
    episode, problems = _read(site, path)
    assert problems == []
    assert episode is not None
    assert (episode.description, episode.image, episode.keywords) == (
        "S",
        "https://example.org/i.jpg",
        ("a", "b"),
    )
    site.show(extra='[fields]\naudio = "podcast_file"\n')
    path = site.episode("m", f"---\ntitle: T\ndate: 2024-02-03\npodcast_file: {audio}\n---\n")
    episode, problems = _read(site, path)
    assert problems == []
    assert episode is not None
    assert episode.audio.path is not None


def test_read_episode_date_from_jekyll_file_name_and_timezone(site: Site) -> None:
    site.show(timezone='"America/New_York"')
    audio = site.audio("sine-3s-cbr.mp3")
    path = site.episodes / "2024-03-12-hello.md"
    path.write_text(f"---\ntitle: Hello\naudio: {audio}\n---\n", encoding="utf-8")
    episode, _ = _read(site, path)
    assert episode is not None
    assert episode.date.isoformat() == "2024-03-12T00:00:00-04:00"
    path.write_text(f"---\ntitle: Hello\ndate: 2024-03-12 09:30:00 +0100\naudio: {audio}\n---\n")
    episode, _ = _read(site, path)
    assert episode is not None
    assert episode.date == datetime(2024, 3, 12, 9, 30, tzinfo=timezone(timedelta(hours=1)))


def test_read_episode_percent_encodes_the_enclosure_path(site: Site) -> None:
    audio = site.audio("sine-3s-cbr.mp3", "Folge 1 & 2 – Straße.mp3")
    episode, problems = _read(site, site.episode("e", audio=f'"{audio}"'))
    assert problems == []
    assert episode is not None
    assert episode.audio.url == (
        "https://cdn.example.org/media/audio/Folge%201%20%26%202%20%E2%80%93%20Stra%C3%9Fe.mp3"
    )


def test_read_episode_audio_found_relative_to_the_show_root(site: Site) -> None:
    media = site.root / "media"
    media.mkdir()
    (media / "x.mp3").write_bytes((DATA / "audio" / "sine-3s-cbr.mp3").read_bytes())
    nested = site.episodes / "2024"
    nested.mkdir()
    path = nested / "e.md"
    path.write_text("---\ntitle: T\ndate: 2024-01-01\naudio: ../../media/x.mp3\n---\n")
    episode, problems = _read(site, path)
    assert problems == []
    assert episode is not None
    assert episode.audio.url == "https://cdn.example.org/media/media/x.mp3"


def test_read_episode_yaml_error_has_file_and_line(site: Site) -> None:
    path = site.episode("bad", "---\ntitle: ok\ndate: 2024-01-01\naudio: [unclosed\n---\nBody\n")
    episode, problems = _read(site, path)
    assert episode is None
    message = _only_error(problems)
    assert message.startswith("episodes/bad.md:")
    assert "front matter is not valid YAML" in message
    line = int(message.split(":")[1])
    assert line == 4  # the line where the unclosed list starts


def test_an_impossible_date_in_a_table_is_its_text_for_the_table_to_judge(site: Site) -> None:
    """(A date that does not exist anywhere refused the whole file as "not valid YAML".)"""
    front = "title: T\ndate: 2024-01-01\npersons:\n  - name: A\n    since: 2024-02-30\n"
    episode, problems = _read(site, site.episode("bad", f"---\n{front}---\nBody\n"))
    assert episode is None
    errors = [str(p) for p in problems if p.is_error]  # (and: no audio)
    assert any(
        e.startswith("episodes/bad.md:4: error: 'persons' has unknown key 'since'") for e in errors
    )


def test_read_episode_root_relative_audio_path_hints_the_relative_one(site: Site) -> None:
    """Jekyll's `audio: /assets/ep1.mp3` is an absolute path here: the hint names the path
    from the show's folder when the file is there."""
    (site.root / "assets").mkdir()
    (site.root / "assets" / "ep1.mp3").write_bytes(
        (DATA / "audio" / "sine-3s-cbr.mp3").read_bytes()
    )
    path = site.episode("rooted", audio="/assets/ep1.mp3")
    episode, problems = _read(site, path)
    assert episode is None
    (problem,) = problems
    assert problem.hint == (
        "a path starting with / is absolute: write it from the episode file's folder or the "
        "show's (assets/ep1.mp3)"
    )


@pytest.mark.parametrize(
    ("written", "hint"),
    [
        ('"March 5, 2024"', "write 2024-03-05"),
        ("Tue, 5th Mar. 2024", "write 2024-03-05"),
        ("2024/3/5", "write 2024-03-05"),
        ("2024-03-12 9:30", "write 2024-03-12T09:30:00"),
        ("05/03/2024", None),  # 5 March or May 3: no guess
        ('"February 30, 2024"', None),
    ],
)
def test_read_episode_date_written_another_way_gets_its_iso_form(
    site: Site, written: str, hint: str | None
) -> None:
    episode, problems = _read(site, site.episode("d", date=written))
    assert episode is None
    (problem,) = problems
    assert problem.message.startswith("'date' must be an ISO 8601 date like 2024-03-12")
    assert problem.hint == hint


@pytest.mark.parametrize(
    ("written", "why"),
    [
        ("2024-13-45", "month must be in 1..12"),
        ("2024-02-30", "day is out of range for month"),
        ("2024-01-01 25:00", "hour must be in 0..23"),
        ("2024-01-01T10:00:00+25:00", "its UTC offset is 24 hours or more"),
    ],
)
def test_a_date_that_does_not_exist_is_named_at_its_field(
    site: Site, written: str, why: str
) -> None:
    """YAML's date constructor refused these: the whole file was "front matter is not valid
    YAML: month must be in 1..12" (valid YAML; Python's words for the offset: "offset must be a
    timedelta strictly between -timedelta(hours=24) and ..."). Now the date field says it."""
    episode, problems = _read(site, site.episode("d", date=written))
    assert episode is None
    assert _only_error(problems) == (
        f"episodes/d.md:3: error: 'date' is not a date that exists: {why} (got '{written}')"
    )


def test_text_that_looks_like_an_impossible_date_is_text_elsewhere(site: Site) -> None:
    """(The file was refused for it, whatever its key.)"""
    episode, problems = _read(site, site.episode("d", title="2024-13-45"))
    assert problems == []
    assert episode is not None
    assert episode.title == "2024-13-45"


def test_read_episode_misspelt_key_warns_with_the_key_meant(site: Site) -> None:
    """A key one typo from a known one is named at its line; the site's own keys (layout,
    plurals such as authors, the seed's type and post_format) stay silent."""
    audio = site.audio("sine-3s-cbr.mp3")
    text = (
        f"---\ntitle: T\ndate: 2024-01-01\naudio: {audio}\nexerpt: The summary.\nStatus: draft\n"
        "layout: post\nauthors: [a]\ntype: post\npost_format: []\nthumbnail_alt: x\n---\n"
    )
    episode, problems = _read(site, site.episode("typo", text))
    assert episode is not None
    assert [(p.level, str(p)) for p in problems] == [
        (
            "warning",
            "episodes/typo.md:5: warning: unknown key 'exerpt' (ignored)\n"
            "  hint: did you mean 'excerpt'?",
        ),
        (
            "warning",
            "episodes/typo.md:6: warning: unknown key 'Status' (ignored)\n"
            "  hint: did you mean 'status'?",
        ),
    ]


@pytest.mark.parametrize(
    ("text", "line", "hint"),
    [
        (
            '---\ntitle: Episode 12: the "return" # a comment\n---\n',
            2,
            'a value with ": " in it needs quotes: title: "Episode 12: the \\"return\\""',
        ),
        (
            "---\ntitle: T\npersons:\n  - name: Ada: the first\n---\n",
            4,
            'a value with ": " in it needs quotes: - name: "Ada: the first"',
        ),
        (
            '---\ntitle: "T\ndate: 2024-01-01\n---\n',
            2,
            "the quote opened on this line is not closed",
        ),
        (
            "---\ntitle: T\ndate: 2024-01-01\n\nNotes, and no closing line.\n",
            1,
            "the front matter opened on line 1 is not closed: add a --- line after it",
        ),
    ],
)
def test_read_episode_yaml_mistakes_get_a_hint(site: Site, text: str, line: int, hint: str) -> None:
    """A title with a colon, a quote left open, no closing ---: the parser's words do not say."""
    episode, problems = _read(site, site.episode("oops", text))
    assert episode is None
    (problem,) = problems
    assert (problem.line, problem.hint) == (line, hint)


@pytest.mark.parametrize(
    "front",
    ["title: T\ndate: 2024-01-01\naudio:\n\tmp3: a.mp3\n", "title: T\n\tdate: 2024-01-01\n"],
)
def test_read_episode_tab_in_yaml_says_spaces(site: Site, front: str) -> None:
    """A tab where YAML wants spaces (editors insert them) is named as the cause."""
    path = site.episode("tab", f"---\n{front}---\nBody\n")
    episode, problems = _read(site, path)
    assert episode is None
    (problem,) = problems
    assert str(problem).startswith("episodes/tab.md:")
    assert problem.hint == "replace the tabs with spaces: YAML never indents with tabs"


@pytest.mark.parametrize(
    ("front", "expected"),
    [
        (
            "date: 2024-01-01\naudio: audio/sine-3s-cbr.mp3",
            "episodes/e.md: error: 'title' is required",
        ),
        (  # one error: it was also "'title' is required"
            "title: [a]\ndate: 2024-01-01\naudio: audio/sine-3s-cbr.mp3",
            "episodes/e.md:2: error: 'title' must be text (got list)",
        ),
        (
            "title: '&#1;'\ndate: 2024-01-01\naudio: audio/sine-3s-cbr.mp3",
            "episodes/e.md: error: 'title' is required",
        ),
        (
            "title: T\ndate: 12/03/24\naudio: audio/sine-3s-cbr.mp3",
            "episodes/e.md:3: error: 'date' must be an ISO 8601 date like 2024-03-12 or "
            "2024-03-12T09:30:00+01:00 (got '12/03/24')",
        ),
        (
            "title: T\ndate: 2024-01-01\nstatus: maybe\naudio: audio/sine-3s-cbr.mp3",
            "episodes/e.md:4: error: 'status' must be publish or one of",
        ),
        (  # YAML 1.1 reads `yes` as true: the message quotes the file
            "title: T\ndate: 2024-01-01\nstatus: yes\naudio: audio/sine-3s-cbr.mp3",
            "episodes/e.md:4: error: 'status' must be publish or one of draft, future, pending, "
            "private, scheduled, trash (got 'yes')",
        ),
        ("title: T\ndate: 2024-01-01", "episodes/e.md: error: no audio"),
        (
            "title: T\ndate: 2024-01-01\naudio: ftp://x.org/a.mp3",
            "episodes/e.md:4: error: 'audio' must be an http(s) URL",
        ),
        (
            "title: T\ndate: 2024-01-01\naudio: audio/sine-3s-cbr.mp3\nseason: zero",
            "episodes/e.md:5: error: 'season' must be a whole number above 0 (got 'zero')",
        ),
        (
            "title: T\ndate: 2024-01-01\naudio: audio/sine-3s-cbr.mp3\nepisode_type: pilot",
            "episodes/e.md:5: error: 'episode_type' must be one of full, trailer, bonus",
        ),
    ],
)
def test_read_episode_errors_name_file_line_and_value(
    site: Site, front: str, expected: str
) -> None:
    site.audio("sine-3s-cbr.mp3")
    episode, problems = _read(site, site.episode("e", f"---\n{front}\n---\nBody\n"))
    assert episode is None
    assert _only_error(problems).startswith(expected)


def test_read_episode_missing_audio_file_is_an_audio_error(site: Site) -> None:
    episode, problems = _read(site, site.episode("e", audio="audio/nope.mp3"))
    assert episode is None
    assert problems[0].exit_code == ExitCode.PROBE
    assert str(problems[0]).startswith(
        "episodes/e.md:4: error: 'audio' file not found: 'audio/nope.mp3'"
    )


def test_read_episode_url_audio_is_kept_as_written(site: Site) -> None:
    url = "https://dts.podtrac.com/redirect.mp3/cdn.example.org/ep%201.mp3?x=1"
    episode, problems = _read(site, site.episode("e", audio=url))
    assert problems == []
    assert episode is not None
    assert episode.audio is not None
    assert (episode.audio.url, episode.audio.path) == (url, None)
    path = site.episode("e", audio=url + "\nduration: 1:02:03\nlength: 12345")
    episode, problems = _read(site, path)
    assert problems == []
    assert episode is not None
    assert (episode.duration, episode.length) == (3723, 12345)


def test_read_episode_stated_url_audio_needs_a_type(site: Site) -> None:
    text = "https://cdn.example.org/download/42\nduration: 60\nlength: 100"
    _, problems = _read(site, site.episode("e", audio=text))
    assert "has no known audio extension (got 'none')" in _only_error(problems)
    _, problems = _read(site, site.episode("e", audio=text + "\nmime_type: audio/mpeg"))
    assert problems == []


def test_read_episode_without_front_matter_or_not_utf8(site: Site) -> None:
    path = site.episode("plain", "Just text\n")
    assert _only_error(_read(site, path)[1]) == (
        "episodes/plain.md:1: error: no YAML front matter\n"
        "  hint: start the file with a --- line, the keys, and another ---"
    )
    path.write_bytes(b"---\ntitle: caf\xe9\n---\n")
    assert _only_error(_read(site, path)[1]).startswith(
        "episodes/plain.md:2: error: not UTF-8 text"
    )


def test_read_episode_strips_control_characters(site: Site) -> None:
    path = site.episode("e", title='"Bad\\x01 title\\x0b"')
    episode, problems = _read(site, path)
    assert problems == []
    assert episode is not None
    assert episode.title == "Bad title"


def test_read_episode_tag_keys_are_read_not_ignored(site: Site) -> None:
    path = site.episode("e", date="2024-01-01\ntranscript: t.vtt\nblock: true")
    episode, problems = _read(site, path)
    assert episode is None
    assert [str(p) for p in problems] == [
        "episodes/e.md:4: error: 'transcript' file not found: 't.vtt' "
        "(looked beside the episode and in the show)"
    ]


def test_find_episode_files_sorted_and_skips_hidden(site: Site) -> None:
    for name in ("b.md", "a.markdown", "c.html", "notes.txt", ".hidden.md", "_drafts/x.md"):
        target = site.episodes / name
        target.parent.mkdir(exist_ok=True)
        target.write_text("x")
    names = [p.relative_to(site.episodes).as_posix() for p in find_episode_files(site.episodes)]
    assert names == ["a.markdown", "b.md", "c.html"]


@pytest.mark.parametrize(
    ("written", "published", "warned"),
    [
        ("0123", "83", True),  # YAML 1.1: an octal number
        ("12:30:00", "45000", True),  # a sexagesimal number
        ("1.10", "1.1", True),
        ("yes", "True", True),
        ("'0123'", "0123", False),  # quoted: as written
        ("1234", "1234", False),  # a number, read as its text
        ("2024-01-01", "2024-01-01", False),
        ("ep-0123", "ep-0123", False),
    ],
)
def test_a_guid_yaml_reads_as_another_text_is_kept_with_a_note(
    site: Site, written: str, published: str, warned: bool
) -> None:
    """A published guid must never change, so a guid YAML reads as a number is published as it
    was (a show published with `guid: 0123` as "83" keeps its guids), with a note that says so
    at the line and how to quote it before the episode is published: a note, not a warning, so
    that `--strict` does not stop a show published so (the lock keeps its guids either way)."""
    site.audio("sine-3s-cbr.mp3")
    front = f"title: T\ndate: 2024-01-01\nguid: {written}\naudio: audio/sine-3s-cbr.mp3"
    episode, problems = _read(site, site.episode("e", f"---\n{front}\n---\nBody\n"))
    assert episode is not None
    assert episode.guid == published
    assert not [p for p in problems if p.level != "note"]
    notes = [str(p) for p in problems]
    if warned:
        assert notes == [
            f"episodes/e.md:4: note: 'guid' is written '{written}', which YAML reads as "
            f"'{published}': the guid the feed publishes\n"
            f'  hint: to publish it as written, quote it (guid: "{written}") before the episode '
            "is published: a published episode's guid must never change"
        ]
    else:
        assert notes == []


@pytest.mark.parametrize(
    ("lines", "keywords"),
    [
        (
            "tag: [no, on, 1.10, 0123]\nkeywords: [yes, '12:30']",
            ("no", "on", "1.10", "0123", "yes", "12:30"),
        ),
        ("tag: 2024\ncategory: yes", ("yes", "2024")),  # (category is read before tag)
        ("tags: [2024-01-01, Jazz]", ("2024-01-01", "Jazz")),
        ("tag: DevOps, 1.10", ("DevOps", "1.10")),
    ],
)
def test_tags_and_categories_are_their_text_as_written(
    site: Site, lines: str, keywords: tuple[str, ...]
) -> None:
    """A category YAML reads as a boolean, number or date is the word the file has: `no` and
    `on` were dropped, `1.10` became 1.1 and `0123` 83."""
    site.audio("sine-3s-cbr.mp3")
    front = f"title: T\ndate: 2024-01-01\n{lines}\naudio: audio/sine-3s-cbr.mp3"
    episode, problems = _read(site, site.episode("e", f"---\n{front}\n---\nBody\n"))
    assert episode is not None, problems
    assert episode.keywords == keywords


@pytest.mark.parametrize(
    ("written", "number", "link"),
    [
        ("010", 10, "https://example.org/010"),  # YAML 1.1's octal: 8, episode 8's number
        ("017", 17, "https://example.org/017"),
        ("008", 8, "https://example.org/008"),
        ("12", 12, "https://example.org/12"),
    ],
)
def test_zero_padded_numbers_are_decimal_and_a_permalink_is_as_written(
    site: Site, written: str, number: int, link: str
) -> None:
    """`episode: 010` is episode 10 (it was 8 where `episode: 008` is 8: two episodes 8), the
    season likewise, and `permalink: 010` the page /010 (it was /8)."""
    site.audio("sine-3s-cbr.mp3")
    front = (
        f"title: T\ndate: 2024-01-01\nseason: {written}\nepisode: {written}\n"
        f"permalink: {written}\naudio: audio/sine-3s-cbr.mp3"
    )
    episode, problems = _read(site, site.episode("e", f"---\n{front}\n---\nBody\n"))
    assert episode is not None, problems
    assert (episode.season, episode.number, episode.link) == (number, number, link)


@pytest.mark.parametrize("written", ["0x10", "1_0", "12:30", "yes"])
def test_a_number_yaml_reads_from_another_spelling_is_an_error_at_its_line(
    site: Site, written: str
) -> None:
    """`episode: 0x10` was 16, `1_0` 10, `12:30` 750 (sexagesimal), `yes` True, silently."""
    site.audio("sine-3s-cbr.mp3")
    front = f"title: T\ndate: 2024-01-01\nepisode: {written}\naudio: audio/sine-3s-cbr.mp3"
    _episode, problems = _read(site, site.episode("e", f"---\n{front}\n---\nBody\n"))
    assert _only_error(problems) == (
        f"episodes/e.md:4: error: 'episode' must be a number above 0, like 12 or 12.5 "
        f"(got '{written}')"
    )


@pytest.mark.parametrize("permalink", ["", "guid_is_permalink: true\n"])
def test_a_guid_that_is_no_text_is_one_error(site: Site, permalink: str) -> None:
    """The guid is read once: a list there was two identical errors (the guid, then whether it
    is a link), with guid_is_permalink or without."""
    site.audio("sine-3s-cbr.mp3")
    front = f"title: T\ndate: 2024-01-01\nguid: [a, b]\n{permalink}audio: audio/sine-3s-cbr.mp3"
    _episode, problems = _read(site, site.episode("e", f"---\n{front}\n---\nBody\n"))
    assert _only_error(problems) == "episodes/e.md:4: error: 'guid' must be text (got list)"


def test_draft_true_beside_status_publish_is_a_draft_with_a_warning(site: Site) -> None:
    """Two keys that disagree: the episode stays out (the safe reading), and the warning says
    why (it was left out without a word)."""
    site.audio("sine-3s-cbr.mp3")
    front = "title: T\ndate: 2024-01-01\nstatus: publish\ndraft: true\naudio: audio/sine-3s-cbr.mp3"
    episode, problems = _read(site, site.episode("e", f"---\n{front}\n---\nBody\n"))
    assert episode is not None
    assert not episode.is_published
    assert [str(p) for p in problems] == [
        "episodes/e.md:5: warning: 'draft' is true while 'status' says publish: left out as a "
        "draft\n  hint: delete one of the two keys"
    ]
