"""The faster ways of issue 18 give the very bytes of the slower ones they replaced."""

from __future__ import annotations

import random
import re

import pytest

from podcastfeed.source import cleanup

ATOMS = (
    "<br/>", " ", "\n", "\t", "\xa0", "\u2003", "\r", "\x0c", "<p>", "</p>", "<li>", "<hr/>",
    '<img src="x"/>', "<b>", "</b>", "x", "y z", ">", "<", '<p class="a<b">', "<h2>", "</h3>",
    "<brx>", "<pre>", "<blockquote>", "<table>", "<br/><br/>", "  \n  ",
)  # fmt: skip


def _strings(seed: int, count: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choices(ATOMS, k=rng.randint(0, 16))) for _ in range(count)]


@pytest.mark.parametrize("seed", range(4))
def test_blank_lines_is_the_regex(seed: int) -> None:
    for text in _strings(seed, 5000):
        assert cleanup._blank_lines(text) == cleanup._BLANK.sub("\n", text), repr(text)


@pytest.mark.parametrize("seed", range(4))
def test_br_at_blocks_is_the_regex(seed: int) -> None:
    def old(m: re.Match[str]) -> str:
        return (m[1] or "") + "\n" + (m[2] or "")

    for text in _strings(seed, 5000):
        assert cleanup._br_at_blocks(text) == cleanup._BR_AT_BLOCK.sub(old, text), repr(text)
