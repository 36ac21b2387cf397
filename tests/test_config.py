import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SHOW_TOML, Site

from podcastfeed.errors import BuildFailed, ConfigError
from podcastfeed.model import Category
from podcastfeed.source.config import load_config


def _errors(exc: BuildFailed) -> list[str]:
    return [str(p) for p in exc.problems if p.is_error]


def test_load_config_reads_the_show_and_defaults(site: Site) -> None:
    config = load_config(site.config)
    show = config.show
    assert show.title == "Test Show"
    assert show.owner.email == "ada@example.org"
    assert show.categories == (Category("Technology"),)
    assert show.is_explicit is False
    assert show.type == "episodic"
    assert show.timezone == "UTC"
    assert config.build.episodes_dir == site.root.resolve() / "episodes"
    assert config.build.output == site.root.resolve() / "public" / "feed.xml"
    assert config.warnings == ()


def test_load_config_missing_file_names_it_with_a_hint(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as info:
        load_config(tmp_path / "feed.toml")
    assert str(info.value).startswith(f"{tmp_path / 'feed.toml'}: no such file")
    assert "--config" in str(info.value)


def test_load_config_toml_syntax_error_has_a_line(site: Site) -> None:
    site.config.write_text('[show]\ntitle = "x"\nbroken = \n', encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(site.config)
    assert info.value.line == 3
    assert str(info.value).startswith(f"{site.config}:3: not valid TOML")


def test_load_config_reports_every_bad_key_at_once_with_lines(site: Site) -> None:
    site.show(
        explicit='"no"',
        language='"english please"',
        categories='["Games & Hobbies", "Technology > Podcasting", "Nope"]',
    )
    site.config.write_text(
        site.config.read_text().replace('title = "Test Show"\n', ""), encoding="utf-8"
    )
    with pytest.raises(BuildFailed) as info:
        load_config(site.config)
    errors = "\n".join(_errors(info.value))
    assert "[show] 'title' is required" in errors
    assert "'explicit' must be true or false (got 'no')" in errors
    assert "Apple's spec now wants true/false" in errors
    assert "'language' must be a language code" in errors
    assert "'Games & Hobbies' is a pre-2019 Apple category; Apple now calls it 'Leisure'" in errors
    assert "'Technology > Podcasting' is a pre-2019 Apple category" in errors
    assert "'Nope' is not a category in Apple's list" in errors
    lines = site.config.read_text().splitlines()
    explicit_line = next(i for i, line in enumerate(lines, 1) if line.startswith("explicit"))
    assert f"{site.config}:{explicit_line}: error: [show] 'explicit'" in errors


def test_load_config_unknown_keys_warn(site: Site) -> None:
    site.show(extra='[build]\noutptu = "x.xml"\n', titel='"typo"')
    config = load_config(site.config)
    warnings = [str(w) for w in config.warnings]
    assert any("unknown key 'titel'" in w for w in warnings)
    assert any("[build] unknown key 'outptu'" in w for w in warnings)


def test_load_config_unknown_keys_say_what_was_meant(site: Site) -> None:
    """A typo gets the closest key, a key of the other table (or above [show]) its table."""
    site.config.write_text(
        'title = "Above"\n[shwo]\n'
        + SHOW_TOML.replace("explicit =", "explicti =")
        + 'output = "x.xml"\n[build]\nfeed_url = "https://example.org/f.xml"\n'
    )
    with pytest.raises(BuildFailed) as info:
        load_config(site.config)
    hints = {p.message: p.hint for p in info.value.problems if p.level == "warning"}
    assert hints == {
        "unknown table or key 'title' (ignored)": "'title' belongs in [show]",
        "unknown table or key 'shwo' (ignored)": "did you mean 'show'?",
        "[show] unknown key 'explicti' (ignored)": "did you mean 'explicit'?",
        "[show] unknown key 'output' (ignored)": "'output' belongs in [build]",
        "[build] unknown key 'feed_url' (ignored)": "'feed_url' belongs in [show]",
    }


def test_load_config_reads_a_windows_editor_s_bom_and_crlf(site: Site) -> None:
    """Notepad's 'UTF-8 with BOM' and CRLF lines: read, and lines still right; UTF-16 is
    refused with the hint to save as UTF-8."""
    text = SHOW_TOML + 'titel = "typo"\n'
    site.config.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode())
    config = load_config(site.config)
    assert config.show.title == "Test Show"
    assert [w.line for w in config.warnings] == [text.count("\n")]
    site.config.write_text(text, encoding="utf-16")
    with pytest.raises(ConfigError) as info:
        load_config(site.config)
    assert info.value.hint == "save the file as UTF-8"


def test_load_config_categories_are_canonical_and_nested(site: Site) -> None:
    site.show(categories='["technology", "business > careers", "Business > Investing"]')
    show = load_config(site.config).show
    assert show.categories == (
        Category("Technology"),
        Category("Business", "Careers"),
        Category("Business", "Investing"),
    )


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("link", '"example.org"', "'link' must be an absolute http(s) URL"),
        ("owner", '{ name = "A" }', "'owner.email' must be an e-mail address"),
        ("owner", '"ada@example.org"', "'owner' must be a table"),
        ("type", '"weekly"', "'type' must be 'episodic' or 'serial'"),
        ("timezone", '"Mars/Olympus"', "'timezone' is not a known time zone"),
        ("guid", '"not-a-uuid"', "'guid' must be a UUID"),
        ("title", "42", "'title' must be text (got 42)"),
    ],
)
def test_load_config_invalid_values(site: Site, key: str, value: str, message: str) -> None:
    site.show(**{key: value})
    with pytest.raises(BuildFailed) as info:
        load_config(site.config)
    assert any(message in e for e in _errors(info.value)), _errors(info.value)


def test_empty_categories_warn_once_and_the_show_builds_but_check_fails(site: Site) -> None:
    """Issue 15: a show imported without a category builds the first time with one warning
    (apple/required-tags, at feed.toml's line), not two; `podcastfeed check` still reports
    Apple's requirement as an error."""
    from datetime import UTC, datetime

    from podcastfeed.build import build, feed_for
    from podcastfeed.lint.runner import run

    site.show(categories="[]")
    site.episode("a")
    line = site.config.read_text().splitlines().index("categories = []") + 1
    config = load_config(site.config)
    assert not config.warnings
    now = datetime(2030, 1, 1, tzinfo=UTC)
    report = build(site.config, now=now)
    assert b"itunes:category" not in report.feed
    assert [(p.level, p.line) for p in report.problems if "categor" in p.message] == [
        ("warning", line)
    ]
    found = run(feed_for(report, now))
    assert [(f.rule, f.severity) for f in found if f.rule == "apple/required-tags"] == [
        ("apple/required-tags", "error")
    ]


def test_load_config_fields_mapping(site: Site) -> None:
    site.show(extra='[fields]\naudio = "podcast_file"\nnonsense = "x"\n')
    with pytest.raises(BuildFailed) as info:
        load_config(site.config)
    assert any("[fields] unknown field 'nonsense'" in e for e in _errors(info.value))
    site.show(extra='[fields]\naudio = "podcast_file"\n')
    assert load_config(site.config).build.fields == {"audio": "podcast_file"}


@pytest.mark.parametrize(
    ("cache", "why"),
    [
        (".", "is the show's folder"),
        ("..", "holds the show's folder"),
        ("episodes", "is episodes/"),
        ("episodes/cache", "overlaps episodes/"),
        ("public", "is public/"),
        ("public/.cache", "overlaps public/"),
        ("templates", "is templates/"),
    ],
)
def test_load_config_cache_must_be_a_folder_of_its_own(site: Site, cache: str, why: str) -> None:
    """A build writes a .gitignore of "*" into its cache folder, its pickles, and deletes its
    packs there: the show's folder, its sources or its published folder would suffer."""
    site.show(extra=f'[build]\ncache = "{cache}"\ntemplates = "templates"\n')
    _refused_at(
        site,
        f'cache = "{cache}"',
        f"[build] 'cache' {why}: it must be a folder of its own\n"
        '  hint: the default is ".podcastfeed-cache"',
    )


@pytest.mark.parametrize("episodes", ["..", "../..", "/"])
def test_load_config_episodes_holding_the_show_is_refused_as_such(
    site: Site, episodes: str
) -> None:
    """An episodes folder above the show (`..`, `/`) reads all of it, the show's own outputs and
    cache among them: named as the episodes folder's problem (it was "'cache' overlaps //")."""
    site.show(extra=f'[build]\nepisodes = "{episodes}"\n')
    above = os.path.abspath(site.root / episodes)
    _refused_at(
        site,
        f'episodes = "{episodes}"',
        f"[build] 'episodes' holds the show's folder ({above}): all of it is read\n"
        '  hint: name a folder inside the show ("episodes"), or "." for the show folder itself',
    )


@pytest.mark.parametrize("cache", [".podcastfeed-cache", "cache/build", "/tmp/elsewhere"])
def test_load_config_cache_elsewhere_is_fine(site: Site, cache: str) -> None:
    site.show(extra=f'[build]\ncache = "{cache}"\noutput = "feed.xml"\n')
    assert load_config(site.config).build.cache_dir == (site.root / cache).resolve()


@pytest.mark.parametrize(
    ("episodes", "templates", "refused"),
    [
        ("episodes", "episodes/templates", True),
        ("episodes", "episodes", True),
        (".", "templates", True),
        ("episodes", "episodes/_templates", False),
        ("episodes", "episodes/.theme/templates", False),
        ("episodes", "templates", False),
    ],
)
def test_load_config_templates_inside_the_episodes_folder(
    site: Site, episodes: str, templates: str, refused: bool
) -> None:
    """Episode discovery reads every .html under the episodes folder but `_` and `.` folders:
    a templates folder there had its index.html fail as an episode without front matter."""
    site.show(extra=f'[build]\nepisodes = "{episodes}"\ntemplates = "{templates}"\n')
    if not refused:
        assert load_config(site.config).build.templates_dir == (site.root / templates).resolve()
        return
    _refused_at(
        site,
        f'templates = "{templates}"',
        "[build] the templates would be read as episodes\n"
        "  hint: move it out of the episodes folder, or start its name with _ (_templates)",
    )


def _refused_at(site: Site, line_text: str, message: str) -> None:
    """load_config fails with one error, at the line `line_text` of feed.toml, that begins
    with `message`."""
    with pytest.raises(BuildFailed) as info:
        load_config(site.config)
    line = site.config.read_text().splitlines().index(line_text) + 1
    [error] = _errors(info.value)
    assert error.startswith(f"{site.config}:{line}: error: {message}")


def test_config_that_is_a_pipe_is_refused_without_waiting(tmp_path: Path) -> None:
    """`-c <(cat feed.toml)` (a pipe, read once: the second reading found no [show] table), or
    a FIFO named feed.toml (its reading waited for a writer forever): not a file."""
    fifo = tmp_path / "feed.toml"
    os.mkfifo(fifo)
    command = [sys.executable, "-m", "podcastfeed", "build", "-c", str(fifo)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 1
    assert done.stderr == (
        f"Error: {fifo}: not a file: the show is the folder its feed.toml is in\n"
        "  hint: pass the show's feed.toml\n"
    )
