"""Helpers that had drifted copies now have one definition each (issue 13); these tests pin
the places that used to disagree."""

from __future__ import annotations

import pytest
from conftest import Site
from test_checks import make_feed, rules_of

from podcastfeed.errors import BuildFailed
from podcastfeed.source.config import load_config
from podcastfeed.values import EMAIL

EMAILS = [
    ("ada@example.org", True),
    ("ada.lovelace+pod@mail.example.co.uk", True),
    ("ada@example.c", False),  # feed.toml took this one-letter TLD; check rejected it
    ("ada@example", False),
    ("ada at example.org", False),
    ("ada@@example.org", False),
]


@pytest.mark.parametrize(("email", "valid"), EMAILS)
def test_email_feed_toml_and_check_agree(email: str, valid: bool, site: Site) -> None:
    site.show(owner=f'{{ name = "Ada Lovelace", email = "{email}" }}')
    if valid:
        assert load_config(site.config).show.owner.email == email
    else:
        with pytest.raises(BuildFailed) as failed:
            load_config(site.config)
        assert ["owner.email" in p.message for p in failed.value.problems] == [True]
    owner = f"<itunes:owner><itunes:name>Ada</itunes:name><itunes:email>{email}</itunes:email>"
    flagged = "spotify/owner-email" in rules_of(make_feed({"owner": owner + "</itunes:owner>"}))
    assert flagged is not valid
    assert bool(EMAIL.match(email)) is valid
