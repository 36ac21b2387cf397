"""podcastfeed.lock writes its values without json.dumps (issue 18): the very same bytes."""

from __future__ import annotations

import dataclasses
import json
import random
from datetime import UTC, datetime
from pathlib import Path

import pytest

from podcastfeed import lock
from podcastfeed.model import Audio, Episode

TEXTS = ("", "a", '"', "\\", "\n", "\t", "\x00", "\x1f", "\x7f", "é", "\u2028", "\ud800", "😀", "/")
NUMBERS = (0, 1, -1, 10**30, 0.1, 1.5, -2.25, 1e300, 5e-324, float("nan"), float("inf"), -1e999)


def _value(rng: random.Random, depth: int = 0) -> object:
    kind = rng.randrange(7 if depth < 2 else 4)
    if kind == 0:
        return "".join(rng.choices(TEXTS, k=rng.randint(0, 6)))
    if kind == 1:
        return rng.choice(NUMBERS)
    if kind == 2:
        return rng.choice((True, False, None))
    if kind == 3:
        return rng.uniform(-1e6, 1e6)
    if kind in (4, 5):
        return {"".join(rng.choices(TEXTS, k=2)): _value(rng, depth + 1) for _ in range(3)}
    return [_value(rng, depth + 1) for _ in range(rng.randint(0, 3))]


@pytest.mark.parametrize("seed", range(4))
def test_json_is_json_dumps(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(5000):
        value = _value(rng)
        assert lock._json(value) == json.dumps(value, ensure_ascii=False), repr(value)


def test_a_lock_reads_back_as_written() -> None:
    probe = lock.Probe(1234.5, 99, "audio/mpeg", "Xing header", path="a/é.mp3", fingerprint="b2:x")
    entry = lock.Entry("g\u2028", 'f"1', "https://x/1.mp3", "2024-01-01T00:00:00+00:00",
                       permalink="/p", probe=probe, alternates=(probe,))  # fmt: skip
    text = lock.dumps(lock.Lock([entry]))
    assert json.loads(text)["episodes"][0]["audio"]["duration"] == 1234.5
    assert text == lock.dumps(lock.Lock([entry]))


def _old_dumps(found: lock.Lock) -> str:
    """lock.dumps as it was before its entries were written by hand (a dict per entry)."""
    blocks = []
    for entry in found.entries:
        item: dict[str, object] = {
            "guid": entry.guid,
            "file": entry.file,
            "pub_date": entry.pub_date,
            "url": entry.url,
        }
        if entry.permalink:
            item["permalink"] = entry.permalink
        if entry.probe:
            item["audio"] = _old_probe(entry.probe)
        if entry.alternates:
            item["alternates"] = [_old_probe(alt) for alt in entry.alternates]
        lines = (f"      {json.dumps(k, ensure_ascii=False)}: " + json.dumps(v, ensure_ascii=False)
                 for k, v in item.items())  # fmt: skip
        blocks.append("    {\n" + ",\n".join(lines) + "\n    }")
    episodes = "[\n" + ",\n".join(blocks) + "\n  ]" if blocks else "[]"
    prefix = found.enclosure_prefix
    about = json.dumps(lock.ABOUT, ensure_ascii=False)
    return (
        f'{{\n  "podcastfeed_lock": {lock.FORMAT},\n  "about": {about},\n'
        + (f'  "enclosure_prefix": {json.dumps(prefix, ensure_ascii=False)},\n' if prefix else "")
        + f'  "episodes": {episodes}\n}}\n'
    )


def _old_probe(probe: lock.Probe) -> dict[str, object]:
    return {k: v for k, v in dataclasses.asdict(probe).items() if v is not None}


def _text(rng: random.Random) -> str:
    return "".join(rng.choices(TEXTS, k=rng.randint(0, 4)))


def _probe(rng: random.Random) -> lock.Probe:
    maybe = [_text(rng) if rng.random() < 0.5 else None for _ in range(5)]
    number = rng.choice((*NUMBERS[:9], rng.uniform(0, 1e5)))
    return lock.Probe(number, rng.randrange(10**9), _text(rng), _text(rng), *maybe)


@pytest.mark.parametrize("seed", range(3))
def test_dumps_is_the_json_it_was(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(300):
        entries = [
            lock.Entry(
                _text(rng),
                _text(rng),
                _text(rng),
                _text(rng),
                permalink=rng.choice((None, "", _text(rng))),
                probe=rng.choice((None, _probe(rng))),
                alternates=tuple(_probe(rng) for _ in range(rng.randrange(3))),
            )
            for _ in range(rng.randrange(4))
        ]
        found = lock.Lock(entries, rng.choice((None, "", _text(rng))))
        assert lock.dumps(found) == _old_dumps(found)


def test_pin_is_dataclasses_replace() -> None:
    """lock.pin copies an episode without its __init__: valid while Episode has no
    __post_init__ (a check a replace would run again)."""
    assert not hasattr(Episode, "__post_init__")
    episode = Episode(Path("/a.md"), "a", datetime(2024, 1, 1, tzinfo=UTC), Audio("a", "u"))
    entry = lock.Entry("urn:uuid:1", "episodes/a.md", "u", "2024-01-01T00:00:00+00:00")
    (pinned,) = lock.pin([lock.Match(episode, "episodes/a.md", entry)])
    assert pinned == dataclasses.replace(episode, guid="urn:uuid:1")
    assert episode.guid is None
