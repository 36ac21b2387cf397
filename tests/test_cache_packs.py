"""The build cache's packs (issue 18): a build writes only its new and changed episodes; a build
killed while saving leaves a cache the next one uses; packs that pile up or hold mostly garbage
are merged, and packs no header names are deleted."""

from __future__ import annotations

import gc
import pickle
import random
import shutil
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from conftest import Site

from podcastfeed import cache, packs
from podcastfeed.build import build
from podcastfeed.model import Audio, Episode

NOW = datetime(2026, 1, 1, tzinfo=UTC)
DAY = datetime(2024, 1, 1, tzinfo=UTC)


def _packs(folder: Path) -> list[Path]:
    return sorted(folder.glob(f"{packs.PREFIX}*{packs.SUFFIX}"))


def _episode(title: str) -> Episode:
    return Episode(Path("/show/episodes/a.md"), title, DAY, Audio("a.mp3", "https://x/a.mp3"))


def _save(folder: Path, store: cache.BuildCache, add: dict[str, str], drop: set[str]) -> None:
    """Save `store` as a build would that used all it holds but `drop`, and read `add`."""
    for key, title in add.items():
        store.episodes[key] = (_episode(title), ())
    store.used_episodes = set(store.episodes) - drop
    store.changed = True
    cache.save(folder, store)


def _loaded(folder: Path) -> dict[str, str]:
    store, warning = cache.load(folder, "f")
    assert warning is None
    return {key: entry[0].title for key, entry in store.episodes.items()}


def _four_episodes(site: Site) -> Path:
    site.episode("a")
    for name in "bde":
        site.episode(name, date="2024-02-01", audio=site.audio("sine-3s-cbr.mp3", f"{name}.mp3"))
    assert build(site.config, now=NOW).parsed == 4
    return site.root / ".podcastfeed-cache"


def test_a_build_writes_only_its_new_episode_to_a_new_pack(site: Site) -> None:
    folder = _four_episodes(site)
    [first] = _packs(folder)
    before = first.read_bytes()
    site.episode("c", date="2024-03-01", audio=site.audio("sine-3s-cbr.mp3", "c.mp3"))
    assert build(site.config, now=NOW).parsed == 1
    assert first.read_bytes() == before  # never written again
    [new] = [path for path in _packs(folder) if path != first]
    with (folder / cache.FILE_NAME).open("rb") as stream:
        blocks = pickle.load(stream)["blocks"]
    [(_name, _offset, _length, keys)] = [block for block in blocks if block[0] == new.name]
    assert [key.split("\0")[0] for key in keys] == ["episodes/c.md"]


def test_a_build_killed_while_writing_a_pack_leaves_a_cache_the_next_one_uses(
    site: Site,
) -> None:
    """What kill -9 leaves mid-save: part of a new pack and part of a new header, beside the
    previous header and its packs. The next build reads only the edited episode, says nothing,
    makes the feed a build without the cache makes, and deletes the leftovers."""
    folder = _four_episodes(site)
    [pack] = _packs(folder)
    partial = folder / f"{packs.PREFIX}0123456789abcdef{packs.SUFFIX}"
    partial.write_bytes(pack.read_bytes()[:50])
    header = folder / f".{cache.FILE_NAME}.x1y2z3.tmp"
    header.write_bytes((folder / cache.FILE_NAME).read_bytes()[:100])
    site.episode("a", title="Edited")
    report = build(site.config, now=NOW)
    assert (report.parsed, report.warnings) == (1, [])
    assert report.feed == build(site.config, now=NOW, use_cache=False).feed
    assert not partial.exists()
    assert not header.exists()
    assert pack.exists()  # the unchanged episode still lies where it was


def test_a_build_killed_before_deleting_old_packs_leaves_a_cache_the_next_one_uses(
    site: Site, tmp_path: Path
) -> None:
    """Killed after the new header replaced the old one: the packs only the old one named are
    still there. They are never read, and the next save deletes them."""
    folder = _four_episodes(site)
    kept = tmp_path / "kept"
    shutil.copytree(folder, kept)
    site.episode("a", title="Edited")
    site.episode("b", title="Edited too", date="2024-02-01", audio="audio/b.mp3")
    assert build(site.config, now=NOW).parsed == 2  # half its pack garbage: merged
    old = [path for path in _packs(kept) if not (folder / path.name).exists()]
    assert old  # merged away: deleted
    for path in old:
        shutil.copy2(path, folder / path.name)
        (folder / path.name).write_bytes(b"not read")
    site.episode("c", date="2024-03-01", audio=site.audio("sine-3s-cbr.mp3", "c.mp3"))
    report = build(site.config, now=NOW)
    assert (report.parsed, report.warnings) == (1, [])
    assert report.feed == build(site.config, now=NOW, use_cache=False).feed
    assert not any((folder / path.name).exists() for path in old)


def test_packs_that_pile_up_are_merged(tmp_path: Path) -> None:
    store = cache.BuildCache("f")
    _save(tmp_path, store, {"k0": "zero"}, set())
    expected = {"k0": "zero"}
    for n in range(1, 3 * packs.MAX_PACKS):
        store, _warning = cache.load(tmp_path, "f")
        _save(tmp_path, store, {f"k{n}": f"n{n}"}, set())
        expected[f"k{n}"] = f"n{n}"
        assert len(_packs(tmp_path)) <= packs.MAX_PACKS
        assert _loaded(tmp_path) == expected


def test_a_pack_mostly_garbage_is_written_again(tmp_path: Path) -> None:
    store = cache.BuildCache("f")
    _save(tmp_path, store, {f"k{n}": f"n{n}" for n in range(8)}, set())
    [first] = _packs(tmp_path)
    store, _warning = cache.load(tmp_path, "f")
    _save(tmp_path, store, {}, {"k0", "k1"})  # a quarter garbage: kept as it is
    assert _packs(tmp_path) == [first]
    store, _warning = cache.load(tmp_path, "f")
    _save(tmp_path, store, {}, {"k2"})  # over a quarter: the rest written to a new pack
    [second] = _packs(tmp_path)
    assert second != first
    assert _loaded(tmp_path) == {f"k{n}": f"n{n}" for n in range(3, 8)}
    store, _warning = cache.load(tmp_path, "f")
    _save(tmp_path, store, {}, set(store.episodes))  # nothing used: no pack at all
    assert (_packs(tmp_path), _loaded(tmp_path)) == ([], {})


def test_a_block_holds_up_to_block_entries(tmp_path: Path) -> None:
    store = cache.BuildCache("f")
    titles = {f"k{n}": f"n{n}" for n in range(packs.BLOCK + 1)}
    _save(tmp_path, store, titles, set())
    again, _warning = cache.load(tmp_path, "f")
    assert [len(block[3]) for block in again.blocks] == [packs.BLOCK, 1]
    assert _loaded(tmp_path) == titles


def test_a_pack_not_as_the_header_says_is_said_and_rebuilt(tmp_path: Path) -> None:
    store = cache.BuildCache("f")
    _save(tmp_path, store, {"k0": "zero"}, set())
    [pack] = _packs(tmp_path)
    pack.write_bytes(pack.read_bytes()[:-1])
    store, warning = cache.load(tmp_path, "f")
    assert store.episodes == {}
    assert warning is not None
    assert "unreadable build cache (ValueError)" in warning
    pack.unlink()
    store, warning = cache.load(tmp_path, "f")
    assert warning is not None
    assert "unreadable build cache (FileNotFoundError)" in warning
    _save(tmp_path, store, {"k1": "one"}, set())
    assert _loaded(tmp_path) == {"k1": "one"}


CHILD = """
import random, sys
from datetime import UTC, datetime
from pathlib import Path
from podcastfeed import cache
from podcastfeed.model import Audio, Episode

folder, rng = Path(sys.argv[1]), random.Random(int(sys.argv[2]))
day = datetime(2024, 1, 1, tzinfo=UTC)
while True:
    store, warning = cache.load(folder, "f")
    assert warning is None, warning
    made = [f"k{n}" for n in range(600)] if not store.episodes else []
    made += [f"k{rng.randrange(10**9)}" for _n in range(rng.randrange(30))]
    for key in made:
        episode = Episode(Path(f"/s/{key}.md"), key, day, Audio("a.mp3", "https://x/a.mp3"))
        store.episodes[key] = (episode, ())
    keys = list(store.episodes)
    store.used_episodes = set(keys) - set(rng.sample(keys, rng.randrange(20)))
    store.changed = True
    cache.save(folder, store)
    print(len(store.used_episodes), flush=True)
"""


@pytest.mark.slow
def test_saves_killed_at_random_moments_leave_a_cache_that_loads(tmp_path: Path) -> None:
    """kill -9 of a process that loads and saves in a loop (each save adding, changing and
    dropping entries), at 25 moments: the cache loads each time, without a warning, every
    entry is the one saved under its key, and the next save deletes what the kills left."""
    rng = random.Random(20261201)
    for attempt in range(25):
        process = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(tmp_path), str(attempt)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        assert process.stdout is not None
        for _saved in range(rng.randrange(1, 4)):  # let it save once or more, then kill it
            assert process.stdout.readline(), process.communicate()[1]
        time.sleep(rng.uniform(0, 0.2))
        process.kill()
        process.communicate()
        store, warning = cache.load(tmp_path, "f")
        assert warning is None
        assert len(store.episodes) > 400  # 600 made first, then more added than dropped
        assert all(entry[0].title == key for key, entry in store.episodes.items())
    _save(tmp_path, store, {"last": "last"}, set())  # the next save deletes what was left
    assert {path.name for path in _packs(tmp_path)} == set(store.packs)
    assert [path.name for path in tmp_path.iterdir() if path.suffix == ".tmp"] == []


def test_loaded_entries_are_frozen_until_saved(tmp_path: Path) -> None:
    """The garbage collector leaves the loaded entries alone (gc.freeze) until save(), or the
    next load() after a build that failed between them; not when something else froze."""
    store = cache.BuildCache("f")
    _save(tmp_path, store, {"k0": "zero"}, set())  # (a save thaws what a load froze)
    assert gc.get_freeze_count() == 0
    store, _warning = cache.load(tmp_path, "f")
    frozen = gc.get_freeze_count()
    assert frozen > 0
    store, _warning = cache.load(tmp_path, "f")  # a build that failed, then another
    assert gc.get_freeze_count() > 0
    cache.save(tmp_path, store)
    assert gc.get_freeze_count() == 0
    gc.freeze()  # someone else's
    try:
        frozen = gc.get_freeze_count()
        store, _warning = cache.load(tmp_path, "f")
        assert 0 < gc.get_freeze_count() <= frozen  # (frozen objects freed meanwhile)
        cache.save(tmp_path, store)
        assert 0 < gc.get_freeze_count() <= frozen
    finally:
        gc.unfreeze()
