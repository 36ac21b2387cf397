"""Apple Podcasts' category tree (2019+) and the names it replaced. Pure: reads package data."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources

from podcastfeed.errors import shorten
from podcastfeed.model import Category

CATEGORIES_HINT = "see https://podcasters.apple.com/support/1691-apple-podcasts-categories"

#: Pre-2019 names (and common mistakes) mapped to the current category they became.
LEGACY: dict[str, str] = {
    "games & hobbies": "Leisure",
    "games & hobbies > video games": "Leisure > Video Games",
    "games & hobbies > hobbies": "Leisure > Hobbies",
    "games & hobbies > automotive": "Leisure > Automotive",
    "games & hobbies > aviation": "Leisure > Aviation",
    "games & hobbies > other games": "Leisure > Games",
    "science & medicine": "Science",
    "science & medicine > medicine": "Health & Fitness > Medicine",
    "science & medicine > natural sciences": "Science > Natural Sciences",
    "science & medicine > social sciences": "Science > Social Sciences",
    "sports & recreation": "Sports",
    "government & organizations": "Government",
    "health": "Health & Fitness",
    "health > alternative health": "Health & Fitness > Alternative Health",
    "health > fitness & nutrition": "Health & Fitness > Fitness",
    "health > self-help": "Education > Self-Improvement",
    "health > sexuality": "Health & Fitness > Sexuality",
    "arts > literature": "Arts > Books",
    "arts > food": "Arts > Food",
    "business > business news": "News > Business News",
    "business > shopping": "Leisure",
    "education > educational technology": "Education",
    "education > higher education": "Education > Courses",
    "education > k-12": "Education",
    "education > training": "Education > How To",
    "technology > podcasting": "Technology",
    "technology > tech news": "News > Tech News",
    "technology > gadgets": "Technology",
    "technology > software how-to": "Technology",
    "religion & spirituality > other": "Religion & Spirituality",
    "society & culture > history": "History",
    "tv & film": "TV & Film",
    "news & politics": "News",
    "business > management & marketing": "Business > Management",
    "education > language courses": "Education > Language Learning",
    "government & organizations > local": "Government",
    "government & organizations > national": "Government",
    "government & organizations > non-profit": "Business > Non-Profit",
    "government & organizations > regional": "Government",
    "sports & recreation > amateur": "Sports",
    "sports & recreation > college & high school": "Sports",
    "sports & recreation > outdoor": "Sports > Wilderness",
    "sports & recreation > professional": "Sports",
    "society & culture > gadgets": "Technology",
}


@cache
def apple_tree() -> dict[str, tuple[str, ...]]:
    """Apple's current categories: parent name -> its subcategories."""
    data = json.loads(
        resources.files("podcastfeed").joinpath("data/apple-categories.json").read_text("utf-8")
    )
    return {parent: tuple(children) for parent, children in data["categories"].items()}


def _canonical(name: str, choices: tuple[str, ...] | list[str]) -> str | None:
    folded = name.strip().casefold()
    for choice in choices:
        if choice.casefold() == folded:
            return choice
    return None


def current_name(text: str) -> str | None:
    """The current category for a name Apple no longer lists (`Technology > Podcasting` ->
    `Technology`, `News & Politics` -> `News`), or its parent when only the subcategory is
    unknown; None when nothing is known (import then asks the user, issue 15)."""
    parts = [p.strip() for p in text.split(">")]
    key = " > ".join(p.casefold() for p in parts)
    found = LEGACY.get(key) or LEGACY.get(parts[0].casefold())
    if found is None and len(parts) == 2:
        found = _canonical(parts[0], list(apple_tree()))
    return found


def parse_category(text: str) -> Category:
    """`"Business > Careers"` -> Category in Apple's spelling.

    Raises:
        ValueError: not a current Apple category; the message says what it became if it is a
            legacy name.
    """
    parts = [p.strip() for p in text.split(">")]
    if len(parts) > 2 or not all(parts):
        raise ValueError(f"must be 'Category' or 'Category > Subcategory' (got {shorten(text)})")
    tree = apple_tree()
    parent = _canonical(parts[0], list(tree))
    sub = None
    if parent is not None and len(parts) == 2:
        sub = _canonical(parts[1], tree[parent])
    if parent is None or (len(parts) == 2 and sub is None):
        legacy = LEGACY.get(" > ".join(p.casefold() for p in parts)) or LEGACY.get(
            parts[0].casefold()
        )
        if legacy:
            raise ValueError(
                f"{shorten(text)} is a pre-2019 Apple category; "
                f"Apple now calls it {shorten(legacy)}"
            )
        where = f"under {shorten(parent)}" if parent else "in Apple's list"
        raise ValueError(f"{shorten(text)} is not a category {where}")
    return Category(parent, sub)
