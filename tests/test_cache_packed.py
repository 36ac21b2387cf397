"""The build cache keeps each episode pickled on its own and saves an unchanged one as it was
loaded (issue 18); an entry the build replaced is pickled again, a damaged one is not trusted."""

from __future__ import annotations

import dataclasses
import pickle
from datetime import UTC, datetime
from pathlib import Path

from podcastfeed import cache
from podcastfeed.model import Audio, Episode

DAY = datetime(2024, 1, 1, tzinfo=UTC)


def _episode(title: str) -> Episode:
    return Episode(Path("/show/episodes/a.md"), title, DAY, Audio("a.mp3", "https://x/a.mp3"))


def _saved(folder: Path, entries: dict[str, Episode]) -> None:
    store = cache.BuildCache("f")
    for key, episode in entries.items():
        store.episodes[key] = (episode, ())
        store.used_episodes.add(key)
    store.changed = True
    cache.save(folder, store)


def test_an_unchanged_entry_is_saved_as_loaded_and_a_replaced_one_anew(tmp_path: Path) -> None:
    _saved(tmp_path, {"k1": _episode("one"), "k2": _episode("two")})
    store, warning = cache.load(tmp_path, "f")
    assert warning is None
    assert store.episodes["k1"][0] == _episode("one")
    kept = store.packed["k1"][0]
    store.used_episodes |= {"k1", "k2"}
    store.episodes["k2"] = (dataclasses.replace(_episode("two"), title="changed"), ())
    store.changed = True
    cache.save(tmp_path, store)
    raw = pickle.loads((tmp_path / cache.FILE_NAME).read_bytes())["episodes"]
    assert raw["k1"] is not None
    assert raw["k1"] == kept
    again, _warning = cache.load(tmp_path, "f")
    assert again.episodes["k2"][0].title == "changed"
    assert again.episodes["k1"][0].source == Path("/show/episodes/a.md")


def test_a_damaged_entry_makes_the_cache_unreadable(tmp_path: Path) -> None:
    _saved(tmp_path, {"k1": _episode("one")})
    path = tmp_path / cache.FILE_NAME
    data = pickle.loads(path.read_bytes())
    data["episodes"]["k1"] = data["episodes"]["k1"][:-5]
    path.write_bytes(pickle.dumps(data))
    store, warning = cache.load(tmp_path, "f")
    assert store.episodes == {}
    assert warning is not None
    assert "unreadable build cache" in warning
