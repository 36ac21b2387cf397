"""An episode's key (output/episodekeys.episode_keys) is made from digests the cache keeps of
the episode as parsed; a field the build replaced after parsing (a pinned guid, a local image,
measured alternate enclosures, chapters dropped) must still change the key (issue 18)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from conftest import Site

from podcastfeed import cache
from podcastfeed.model import AudioInfo, Episode, EpisodeTags, Linked, pack_notes
from podcastfeed.output import episodekeys
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
    first, tags = episodekeys.episode_keys([episode], store, audio, site.root)
    assert store.digests  # kept for the next build
    assert store.changed
    again, _tags = episodekeys.episode_keys([episode], store, audio, site.root)  # from the digests
    assert again == first
    fresh = cache.BuildCache("x", keys=store.keys)  # no parsed episode: all digested anew
    assert episodekeys.episode_keys([episode], fresh, audio, site.root)[0] == first
    assert set(first) == set(tags) == {episode.source}


@pytest.mark.parametrize("name", sorted(CHANGES))
def test_a_field_replaced_after_parsing_changes_the_key(site: Site, name: str) -> None:
    site.episode("a")
    store, episode, audio = _parsed(site)
    before = episodekeys.episode_keys([episode], store, audio, site.root)
    value = CHANGES[name]
    if name == "date":
        value = episode.date.replace(day=episode.date.day + 1)
    changed = dataclasses.replace(episode, **{name: value})
    after = episodekeys.episode_keys([changed], store, audio, site.root)
    assert after[0] != before[0]
    assert (after[1] != before[1]) == (name == "tags")
    # the same value in a new object: the same key is not required, a different one is safe
    assert episodekeys.episode_keys([episode], store, audio, site.root) == before


def test_measured_audio_and_file_content_are_in_the_key(site: Site) -> None:
    site.episode("a")
    store, episode, audio = _parsed(site)
    before = episodekeys.episode_keys([episode], store, audio, site.root)[0]
    other = {url: dataclasses.replace(info, duration=4.0) for url, info in audio.items()}
    assert episodekeys.episode_keys([episode], store, other, site.root)[0] != before
    store.keys[episode.source] += "x"  # another content (it would not be found in the cache)
    assert episodekeys.episode_keys([episode], store, audio, site.root)[0] != before


def test_a_transcript_made_from_the_notes_is_keyed_by_its_content() -> None:
    def tags(text: str) -> EpisodeTags:
        made = Linked("https://x/t.html", "text/html", content=pack_notes(text * 100))
        return EpisodeTags(transcripts=(made,))

    here = Path("episodes")
    assert episodekeys.tags_key(tags("a"), here) == episodekeys.tags_key(tags("a"), here)
    assert episodekeys.tags_key(tags("a"), here) != episodekeys.tags_key(tags("b"), here)


def test_local_files_are_keyed_by_their_path_in_the_show_not_by_the_show_s_folder() -> None:
    """The tags' digest goes into the committed manifest (the pages' inputs): a clone of the
    show in another folder has the same (it wrote another manifest when a transcript, chapters
    or alternate enclosure was a local file); another file is another key; a file in a source
    folder outside the show keeps its absolute path (relative to the show, it would change
    with each clone's place)."""

    def tags(root: str, name: str = "t.vtt") -> EpisodeTags:
        local = Linked("https://x/t.vtt", "text/vtt", source=Path(root, "episodes", name))
        return EpisodeTags(transcripts=(local,), chapters=local)

    here, there = Path("/home/me/show"), Path("/builds/ci/show")
    key = episodekeys.tags_key
    assert key(tags("/home/me/show"), here) == key(tags("/builds/ci/show"), there)
    assert key(tags("/home/me/show"), here) != key(tags("/home/me/show", "u.vtt"), here)
    assert key(tags("/srv/shared"), here) == key(tags("/srv/shared"), there)
