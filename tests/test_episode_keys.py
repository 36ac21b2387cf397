"""An episode's key (output/fragments.episode_keys) is made from digests the cache keeps of
the episode as parsed; a field the build replaced after parsing (a pinned guid, a local image,
measured alternate enclosures, chapters dropped) must still change the key (issue 18)."""

from __future__ import annotations

import dataclasses

import pytest
from conftest import Site

from podcastfeed import cache
from podcastfeed.model import AudioInfo, Episode, EpisodeTags, Linked, pack_notes
from podcastfeed.output import fragments
from podcastfeed.source.config import load_config
from podcastfeed.source.reading import read_all

CHANGES: dict[str, object] = {
    "title": "Another title",
    "guid": "urn:uuid:pinned-by-the-lock",
    "image": "https://example.org/artwork/a-123.jpg",
    "permalink": "/other",
    "number": 7,
    "date": None,  # (a day later, below)
    "tags": EpisodeTags(transcripts=(Linked("https://x/t.vtt", "text/vtt"),)),
}


def _parsed(site: Site) -> tuple[cache.BuildCache, Episode, dict[str, AudioInfo]]:
    config = load_config(site.config)
    store = cache.BuildCache("x")
    episodes, _parsed_count = read_all(config, store, [], 1)
    assert len(episodes) == 1
    assert episodes[0].audio is not None
    audio = {episodes[0].audio.url: AudioInfo(3.0, 100, "audio/mpeg", "Xing header")}
    return store, episodes[0], audio


def test_the_stored_digests_give_the_key_of_a_fresh_computation(site: Site) -> None:
    site.episode("a")
    store, episode, audio = _parsed(site)
    first, tags = fragments.episode_keys([episode], store, audio)
    assert store.digests  # kept for the next build
    assert store.changed
    again, _tags = fragments.episode_keys([episode], store, audio)  # from the digests
    assert again == first
    fresh = cache.BuildCache("x", keys=store.keys)  # no parsed episode: all digested anew
    assert fragments.episode_keys([episode], fresh, audio)[0] == first
    assert set(first) == set(tags) == {episode.source}


@pytest.mark.parametrize("name", sorted(CHANGES))
def test_a_field_replaced_after_parsing_changes_the_key(site: Site, name: str) -> None:
    site.episode("a")
    store, episode, audio = _parsed(site)
    before = fragments.episode_keys([episode], store, audio)
    value = CHANGES[name]
    if name == "date":
        value = episode.date.replace(day=episode.date.day + 1)
    changed = dataclasses.replace(episode, **{name: value})
    after = fragments.episode_keys([changed], store, audio)
    assert after[0] != before[0]
    assert (after[1] != before[1]) == (name == "tags")
    # the same value in a new object: the same key is not required, a different one is safe
    assert fragments.episode_keys([episode], store, audio) == before


def test_measured_audio_and_file_content_are_in_the_key(site: Site) -> None:
    site.episode("a")
    store, episode, audio = _parsed(site)
    before = fragments.episode_keys([episode], store, audio)[0]
    other = {url: dataclasses.replace(info, duration=4.0) for url, info in audio.items()}
    assert fragments.episode_keys([episode], store, other)[0] != before
    store.keys[episode.source] += "x"  # another content (it would not be found in the cache)
    assert fragments.episode_keys([episode], store, audio)[0] != before


def test_a_transcript_made_from_the_notes_is_keyed_by_its_content() -> None:
    def tags(text: str) -> EpisodeTags:
        made = Linked("https://x/t.html", "text/html", content=pack_notes(text * 100))
        return EpisodeTags(transcripts=(made,))

    assert fragments.tags_key(tags("a")) == fragments.tags_key(tags("a"))
    assert fragments.tags_key(tags("a")) != fragments.tags_key(tags("b"))
