"""render/pagefast.py makes the very bytes Jinja2 makes of the packaged episode templates
(issue 18), on thousands of hostile episodes, and is used only while those templates are the
ones it was written for."""

from __future__ import annotations

import random
from importlib import resources
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from markupsafe import Markup

from podcastfeed.render import page, pagefast, templating

NASTY = [
    "",
    "plain",
    "A & B",
    "<b>bold</b>",
    "\"quoted\" 'single'",
    "{{ e.title }} {% if %}",
    "Ünïcödé · – ✓ 😀",
    "&amp; already",
    "x" * 300,
    "line\nbreak\ttab",
    "javascript:alert('x')",
    "https://example.org/a?b=1&c=<2>",
]


def _text(rng: random.Random) -> str:
    return "".join(rng.choice(NASTY) for _ in range(rng.randint(1, 3)))


def _maybe(rng: random.Random) -> str | None:
    return rng.choice([None, "", _text(rng)])


def _view(rng: random.Random) -> SimpleNamespace:
    chapters = [
        {
            "seconds": rng.choice([0, 1, 59, 3600, 99999]),
            "start": _text(rng),
            "title": _text(rng),
            "url": _maybe(rng),
        }
        for _ in range(rng.choice([0, 0, 1, 3]))
    ]
    persons = [
        SimpleNamespace(name=_text(rng), href=_maybe(rng), role=_maybe(rng))
        for _ in range(rng.choice([0, 0, 1, 2]))
    ]
    transcripts = [
        SimpleNamespace(
            published_as=_maybe(rng),
            url=_text(rng),
            mime_type=_text(rng),
            language=_maybe(rng),
        )
        for _ in range(rng.choice([0, 0, 1, 2]))
    ]
    chapters_file = rng.choice([None, SimpleNamespace(published_as=_maybe(rng), url=_text(rng))])
    notes = Markup(_text(rng) + "<h2>Heading</h2><p>x</p>")
    return SimpleNamespace(
        slug=_text(rng),
        title=_text(rng),
        iso_date=_text(rng),
        date=_text(rng),
        duration=_text(rng),
        number=rng.choice([None, 0, 1, 42, 100000]),
        audio_src=_text(rng),
        mime_type=_text(rng),
        page_href=rng.choice([None, "", _text(rng)]),
        page_notes=notes,
        notes=notes,
        summary=Markup(_text(rng)),
        chapters=chapters,
        persons=persons,
        transcripts=transcripts,
        chapters_file=chapters_file,
    )


def _show(rng: random.Random) -> SimpleNamespace:
    return SimpleNamespace(
        title=_text(rng), language=_text(rng), description=_text(rng), feed_url=_text(rng)
    )


def test_pagefast_blocks_are_jinjas_on_hostile_episodes() -> None:
    env = templating.environment(None)
    template = env.get_template("_episode.html")
    rng = random.Random(18)
    for _ in range(3000):
        view = _view(rng)
        level = rng.choice([1, 3])
        title_href = rng.choice([None, "", _text(rng)])
        assets = rng.choice(["", "../../", _text(rng), Markup("<m>/")])
        names: dict[str, Any] = {"e": view, "level": level, "title_href": title_href}
        expected = template.render(**names, assets=assets, loop=None)
        assert pagefast.episode_block(view, level, title_href, assets) == expected


def test_pagefast_pages_are_jinjas_on_hostile_episodes() -> None:
    env = templating.environment(None)
    template = env.get_template("episode.html")
    rng = random.Random(1818)
    for _ in range(100):
        show = _show(rng)
        apps = [(_text(rng), _text(rng)) for _ in range(rng.randint(0, 3))]
        pages = pagefast.EpisodePages(env, show, apps)
        for _ in range(20):
            view = _view(rng)
            up = "../" * rng.randint(2, 4)
            home, assets = up + "index.html", up + rng.choice(["", "feed/"])
            context = {"show": show, "e": view, "root": up, "assets": assets, "apps": apps}
            expected = template.render(**context, home=home)
            assert pages.render(view, home, assets) == expected


@pytest.mark.parametrize("name", pagefast.NAMES)
def test_pagefast_digests_are_the_packaged_templates(name: str) -> None:
    """Fails when a packaged template is edited: make pagefast.py render it as it now reads
    (the two tests above say whether it does), then update DIGESTS."""
    source = resources.files("podcastfeed").joinpath("templates", name).read_text("utf-8")
    assert pagefast.templates_digest(name, source) == pagefast.DIGESTS[name]


def test_pagefast_not_used_for_a_shows_own_episode_template(tmp_path: Path) -> None:
    (tmp_path / "_episode.html").write_text("<p>own {{ e.title }}</p>\n", encoding="utf-8")
    assert page._packaged(templating.environment(None), pagefast.NAMES)
    assert not page._packaged(templating.environment(tmp_path), pagefast.NAMES)
    assert page._packaged(templating.environment(tmp_path), ("base.html", "episode.html"))
