"""Helpers that had drifted copies now have one definition each (issue 13); these tests pin
the places that used to disagree."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from conftest import Site
from test_checks import make_feed, rules_of

from podcastfeed.errors import BuildFailed
from podcastfeed.source.config import load_config
from podcastfeed.values import (
    EMAIL,
    make_aware,
    parse_bool,
    parse_date,
    parse_positive_int,
    parse_rfc822,
    require_bool,
    require_positive_int,
)

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


def test_make_aware_gives_naive_values_the_zone() -> None:
    zone = ZoneInfo("Europe/Berlin")
    assert make_aware(date(2024, 3, 12), zone) == datetime(2024, 3, 12, tzinfo=zone)
    assert make_aware(datetime(2024, 3, 12, 9), zone) == datetime(2024, 3, 12, 9, tzinfo=zone)
    fixed = datetime(2024, 3, 12, 9, tzinfo=UTC)
    assert make_aware(fixed, zone) is fixed


def test_parse_rfc822_is_what_parse_date_and_check_read() -> None:
    text = "Tue, 04 Apr 2023 06:00:00 +0200"
    assert parse_rfc822(text) == parse_date(text, UTC) == datetime(2023, 4, 4, 4, tzinfo=UTC)
    assert parse_rfc822("Tue, 04 Apr 2023 06:00:00 -0000").tzinfo is UTC
    with pytest.raises(ValueError, match="RFC 2822"):
        parse_rfc822("2023-04-04")


def test_lenient_and_typed_parsers_differ_only_in_what_they_read() -> None:
    """parse_* read front matter's words and digit strings; require_* take typed values."""
    assert parse_bool("yes") is require_bool(True) is True
    assert parse_positive_int("7") == require_positive_int(7) == 7
    with pytest.raises(ValueError, match=r"must be true or false \(got 'yes'\)"):
        require_bool("yes")
    with pytest.raises(ValueError, match=r"above 0 \(got '7'\)"):
        require_positive_int("7")
