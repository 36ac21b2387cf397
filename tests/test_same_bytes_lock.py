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


def test_pin_is_dataclasses_replace() -> None:
    """lock.pin copies an episode without its __init__: valid while Episode has no
    __post_init__ (a check a replace would run again)."""
    assert not hasattr(Episode, "__post_init__")
    episode = Episode(Path("/a.md"), "a", datetime(2024, 1, 1, tzinfo=UTC), Audio("a", "u"))
    entry = lock.Entry("urn:uuid:1", "episodes/a.md", "u", "2024-01-01T00:00:00+00:00")
    (pinned,) = lock.pin([lock.Match(episode, "episodes/a.md", entry)])
    assert pinned == dataclasses.replace(episode, guid="urn:uuid:1")
    assert episode.guid is None
