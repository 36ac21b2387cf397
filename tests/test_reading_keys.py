"""read_all keys each episode file by its content: in a cold build (nothing cached) the file is
read once, by its parser, and keyed there; what is recorded must be what a build with a cache
records, so the next build parses nothing (issue 18)."""

from __future__ import annotations

from conftest import Site

from podcastfeed import cache
from podcastfeed.errors import Problem
from podcastfeed.source.config import load_config
from podcastfeed.source.reading import read_all


def _read(site: Site, store: cache.BuildCache) -> tuple[list[str], list[str], int]:
    problems: list[Problem] = []
    episodes, parsed = read_all(load_config(site.config), store, problems, 1)
    return [e.title for e in episodes], [p.message for p in problems], parsed


def _show(site: Site) -> None:
    site.episode("a")
    site.episode("b", title="Bee")
    (site.episodes / "b.vtt").write_text("WEBVTT\n\n00:00.000 --> 00:01.000\nHi\n")
    site.episode("broken", "---\ntitle: [unclosed\n---\nNotes.\n")
    site.episode("draft", status="draft")


def test_a_cold_read_records_what_a_read_with_a_cache_records(site: Site) -> None:
    _show(site)
    cold = cache.BuildCache("x")
    cold_result = _read(site, cold)
    warm = cache.BuildCache("x", episodes={"other\0key": cold.episodes[next(iter(cold.episodes))]})
    assert _read(site, warm) == cold_result
    assert list(cold.keys.items()) == list(warm.keys.items())
    assert list(cold.identities.items()) == list(warm.identities.items())
    assert cold.used_episodes == warm.used_episodes
    assert set(cold.episodes) == set(warm.episodes) - {"other\0key"}
    assert len(cold.keys) == 4
    assert any("b.md\0b.vtt\0" in key for key in cold.keys.values())
    assert cold_result[2] == 4
    assert any("not valid YAML" in m for m in cold_result[1])


def test_after_a_cold_read_nothing_is_parsed_again(site: Site) -> None:
    _show(site)
    store = cache.BuildCache("x")
    first = _read(site, store)
    store.trusted_before = store.started + 10**12  # the files are older than the next build
    again = _read(site, store)
    assert again[:2] == first[:2]
    assert again[2] == 1  # the broken one: errors are not cached
