"""The build cache keeps episodes in immutable packs and leaves an unchanged one where it was
loaded (issue 18); an entry the build replaced is pickled again, a damaged one is not trusted."""

from __future__ import annotations

import dataclasses
import pickle
import zlib
from datetime import UTC, datetime
from pathlib import Path

from podcastfeed import cache, packs
from podcastfeed.model import Audio, Episode, pack_notes, unpack

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


def _entry_bytes(folder: Path, store: cache.BuildCache, key: str) -> tuple[str, bytes]:
    """The pack that holds `key`'s entry, and the bytes of its block."""
    index, _position, _entry = store.packed[key]
    name, offset, length, _keys = store.blocks[index]
    return name, (folder / name).read_bytes()[offset : offset + length]


def _packs(folder: Path) -> list[Path]:
    return sorted(folder.glob(f"{packs.PREFIX}*{packs.SUFFIX}"))


def test_an_unchanged_entry_is_saved_as_loaded_and_a_replaced_one_anew(tmp_path: Path) -> None:
    _saved(tmp_path, {f"k{n}": _episode(f"n{n}") for n in range(4)} | {"k1": _episode("one")})
    store, warning = cache.load(tmp_path, "f")
    assert warning is None
    assert store.episodes["k1"][0] == _episode("one")
    kept = _entry_bytes(tmp_path, store, "k1")
    assert _episode("one") in [entry[0] for entry in pickle.loads(kept[1])]
    store.used_episodes |= set(store.episodes)  # a quarter replaced: the pack kept
    store.episodes["k2"] = (dataclasses.replace(_episode("two"), title="changed"), ())
    store.changed = True
    cache.save(tmp_path, store)
    again, warning = cache.load(tmp_path, "f")
    assert warning is None
    assert _entry_bytes(tmp_path, again, "k1") == kept
    assert again.episodes["k2"][0].title == "changed"
    assert again.episodes["k1"][0].source == Path("/show/episodes/a.md")


def test_entries_are_not_kept_in_a_pack_deleted_since_it_was_loaded(tmp_path: Path) -> None:
    _saved(tmp_path, {"k1": _episode("one")})
    store, _warning = cache.load(tmp_path, "f")
    _saved(tmp_path, {"k1": _episode("other"), "k0": _episode("zero")})  # another build
    store.used_episodes.add("k1")
    store.changed = True
    cache.save(tmp_path, store)  # k1's pack was deleted by that build: pickled anew
    again, warning = cache.load(tmp_path, "f")
    assert warning is None
    assert again.episodes["k1"][0].title == "one"


def test_an_older_format_is_rebuilt_without_a_word(tmp_path: Path) -> None:
    path = tmp_path / cache.FILE_NAME
    path.write_bytes(pickle.dumps({"format": 6, "episodes": {"k1": b"x"}}))
    store, warning = cache.load(tmp_path, "f")
    assert (store.episodes, warning) == ({}, None)
    # format 7: the episodes' pickles, the header, then its trailer and the header's offset
    episode = pickle.dumps((_episode("one"), ()))
    header = pickle.dumps({"format": 7, "episodes": [("k1", 0, len(episode))]})
    trailer = b"podcastfeed-cache-7" + len(episode).to_bytes(8, "little")
    path.write_bytes(episode + header + trailer)
    store, warning = cache.load(tmp_path, "f")
    assert (store.episodes, warning) == ({}, None)


def test_a_damaged_entry_makes_the_cache_unreadable(tmp_path: Path) -> None:
    _saved(tmp_path, {"k1": _episode("one")})
    [path] = _packs(tmp_path)
    data = bytearray(path.read_bytes())
    data[2:12] = b"\xff" * 10  # inside the episode's pickle
    path.write_bytes(bytes(data))
    store, warning = cache.load(tmp_path, "f")
    assert store.episodes == {}
    assert warning is not None
    assert "unreadable build cache" in warning


def test_a_truncated_cache_is_rebuilt(tmp_path: Path) -> None:
    _saved(tmp_path, {"k1": _episode("one"), "k2": _episode("two")})
    path = tmp_path / cache.FILE_NAME
    path.write_bytes(path.read_bytes()[:-40])
    store, _warning = cache.load(tmp_path, "f")
    assert store.episodes == {}


def test_episodes_of_another_configuration_are_not_unpickled(tmp_path: Path) -> None:
    """The header is read first: a cache made under another feed.toml keeps its probes, and its
    episodes (here a damaged one, which would be said if read) are never unpickled."""
    store = cache.BuildCache("f")
    store.episodes["k1"] = (_episode("one"), ())
    store.used_episodes.add("k1")
    store.changed = True
    cache.save(tmp_path, store)
    [path] = _packs(tmp_path)
    data = bytearray(path.read_bytes())
    data[2:12] = b"\xff" * 10  # inside the episode's pickle
    path.write_bytes(bytes(data))
    assert cache.load(tmp_path, "f")[1] is not None  # read under its own configuration: said
    other, warning = cache.load(tmp_path, "g")
    assert (other.episodes, warning) == ({}, None)


def test_unchanged_entries_stay_in_their_pack_around_dropped_and_replaced_ones(
    tmp_path: Path,
) -> None:
    names = [f"k{n}" for n in range(16)]  # 3 of 16 no longer used as saved: the pack kept
    _saved(tmp_path, {name: _episode(name) for name in names})
    store, _warning = cache.load(tmp_path, "f")
    kept = {name: _entry_bytes(tmp_path, store, name) for name in names}
    store.used_episodes |= set(names) - {"k2", "k7"}  # k2 and k7 are no longer used
    store.episodes["k5"] = (_episode("replaced"), ())
    store.episodes["new"] = (_episode("new"), ())
    store.used_episodes.add("new")
    store.changed = True
    cache.save(tmp_path, store)
    again, warning = cache.load(tmp_path, "f")
    assert warning is None
    assert sorted(again.episodes) == sorted({*names, "new"} - {"k2", "k7"})
    for name in set(names) - {"k2", "k5", "k7"}:
        assert _entry_bytes(tmp_path, again, name) == kept[name]
        assert again.episodes[name][0] == _episode(name)
    assert again.episodes["k5"][0].title == "replaced"
    assert again.episodes["new"][0].title == "new"


def test_packed_notes_are_a_zlib_stream_the_standard_library_reads() -> None:
    """ISA-L packs them (issue 18), but any zlib reads them back: the writer processes and
    a cache left by an older build share the format."""
    notes = "<p>Caf\u00e9 \u2019notes\u2019</p>\n" * 100
    packed = pack_notes(notes)
    assert packed.startswith(b"\0z")
    assert len(packed) < len(notes) // 4
    assert zlib.decompress(packed[2:]) == notes.encode("utf-8") == unpack(packed)
    old = b"\0z" + zlib.compress(notes.encode("utf-8"), 1)
    assert unpack(old) == notes.encode("utf-8")
    assert unpack(pack_notes("<p>short</p>")) == b"<p>short</p>"
