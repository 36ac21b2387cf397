"""Each offline rule: a minimal feed that breaks it, and the clean base feed that does not."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from podcastfeed.checks import Finding, all_rules, run
from podcastfeed.checks_run import lint_data
from podcastfeed.ids import podcast_guid

NOW = datetime(2026, 1, 1, tzinfo=UTC)
NAMESPACES = (
    'xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd" '
    'xmlns:podcast="https://podcastindex.org/namespace/1.0" '
    'xmlns:atom="http://www.w3.org/2005/Atom"'
)
CHANNEL = {
    "title": "<title>Test Show</title>",
    "link": "<link>https://example.org/</link>",
    "description": "<description>About the show.</description>",
    "language": "<language>en</language>",
    "category": '<itunes:category text="Technology"/>',
    "explicit": "<itunes:explicit>false</itunes:explicit>",
    "image": '<itunes:image href="https://example.org/cover.jpg"/>',
    "owner": "<itunes:owner><itunes:name>Ada</itunes:name>"
    "<itunes:email>ada@example.org</itunes:email></itunes:owner>",
    "author": "<itunes:author>Ada Lovelace</itunes:author>",
    "self": '<atom:link href="https://example.org/feed.xml" rel="self"/>',
    "guid": f"<podcast:guid>{podcast_guid('https://example.org/feed.xml')}</podcast:guid>",
}
ITEM = {
    "title": "<title>Episode {n}</title>",
    "guid": '<guid isPermaLink="false">ep-{n}</guid>',
    "enclosure": '<enclosure url="https://cdn.example.org/ep{n}.mp3" length="1234" '
    'type="audio/mpeg"/>',
    "pubDate": "<pubDate>Tue, 04 Apr 2023 06:00:00 +0200</pubDate>",
    "duration": "<itunes:duration>300</itunes:duration>",
    "description": "<description>Notes for episode {n}.</description>",
}


def make_feed(
    channel: dict[str, str] | None = None, items: list[dict[str, str]] | None = None
) -> bytes:
    """The base feed with channel parts and items replaced (a value of "" drops the part)."""
    parts = [v for v in ({**CHANNEL, **(channel or {})}).values() if v]
    for n, changes in enumerate(items if items is not None else [{}], start=1):
        fields = {**ITEM, **changes}
        parts.append("<item>" + "".join(v.format(n=n) for v in fields.values() if v) + "</item>")
    body = "\n".join(parts)
    head = f'<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" {NAMESPACES}>'
    return f"{head}<channel>\n{body}\n</channel></rss>\n".encode()


def findings(data: bytes, base: Path | None = None) -> list[Finding]:
    return run(lint_data(data, "feed.xml", NOW, base=base))


def rules_of(data: bytes) -> set[str]:
    return {f.rule for f in findings(data)}


def test_checks_base_feed_is_clean() -> None:
    assert findings(make_feed()) == []


CH, IT = "channel", "items"
# (rule id, what breaks it, what passes); the pass side is the base feed plus its changes.
CASES: list[tuple[str, dict[str, object], dict[str, object]]] = [
    ("apple/required-tags", {CH: {"language": ""}}, {}),
    ("apple/required-tags", {CH: {"link": "<link></link>"}}, {}),
    (
        "apple/category",
        {CH: {"category": '<itunes:category text="Games &amp; Hobbies"/>'}},
        {
            CH: {
                "category": '<itunes:category text="Leisure"><itunes:category text="Games"/>'
                "</itunes:category>"
            }
        },
    ),
    (
        "apple/language-code",
        {CH: {"language": "<language>English</language>"}},
        {CH: {"language": "<language>de-AT</language>"}},
    ),
    ("spotify/owner-email", {CH: {"owner": ""}}, {}),
    (
        "spotify/owner-email",
        {CH: {"owner": "<itunes:owner><itunes:email>ada at example</itunes:email></itunes:owner>"}},
        {},
    ),
    ("podcastindex/https", {CH: {"link": "<link>http://example.org/</link>"}}, {}),
    (
        "apple/description-length",
        {CH: {"description": f"<description>{'x' * 4001}</description>"}},
        {CH: {"description": f"<description>{'x' * 4000}</description>"}},
    ),
    (
        "apple/description-length",
        {IT: [{"description": f"<description>{'é' * 2001}</description>"}]},
        {IT: [{"description": f"<description>{'é' * 2000}</description>"}]},
    ),
    ("apple/text-length", {CH: {"title": f"<title>{'Long ' * 60}</title>"}}, {}),
    (
        "apple/all-caps",
        {CH: {"author": "<itunes:author>ADA LOVELACE</itunes:author>"}},
        {CH: {"author": "<itunes:author>NASA Ames</itunes:author>"}},
    ),
    ("podcastindex/guid-format", {CH: {"guid": "<podcast:guid>not-a-uuid</podcast:guid>"}}, {}),
    (
        "podcastindex/guid-format",
        {CH: {"guid": "<podcast:guid>b9d4b2a2-5f3e-4b8e-9d8e-0c6f1a2b3c4d</podcast:guid>"}},
        {},
    ),
    (
        "podcastindex/guid-derived",
        {CH: {"guid": f"<podcast:guid>{podcast_guid('podnews.net/rss')}</podcast:guid>"}},
        {},
    ),
    ("apple/explicit-value", {CH: {"explicit": "<itunes:explicit>clean</itunes:explicit>"}}, {}),
    (
        "apple/explicit-value",
        {IT: [{"x": "<itunes:explicit>yes</itunes:explicit>"}]},
        {IT: [{"x": "<itunes:explicit>true</itunes:explicit>"}]},
    ),
    (
        "apple/block-value",
        {CH: {"block": "<itunes:block>no</itunes:block>"}},
        {CH: {"block": "<itunes:block>yes</itunes:block>"}},
    ),
    (
        "apple/complete-value",
        {CH: {"complete": "<itunes:complete>No</itunes:complete>"}},
        {CH: {"complete": "<itunes:complete>yes</itunes:complete>"}},
    ),
    (
        "apple/duplicate-image",
        {CH: {"image2": '<itunes:image href="https://example.org/other.jpg"/>'}},
        {},
    ),
    ("apple/item-title", {IT: [{"title": "<title> </title>"}]}, {}),
    ("apple/enclosure", {IT: [{"enclosure": ""}]}, {}),
    ("apple/enclosure", {IT: [{"enclosure": '<enclosure url="https://e.org/a.mp3"/>'}]}, {}),
    (
        "apple/enclosure-length",
        {
            IT: [
                {"enclosure": '<enclosure url="https://e.org/a.mp3" length="0" type="audio/mpeg"/>'}
            ]
        },
        {},
    ),
    (
        "apple/enclosure-type",
        {IT: [{"enclosure": '<enclosure url="https://e.org/a.mp3" length="9" type="audio/mp3"/>'}]},
        {IT: [{"enclosure": '<enclosure url="https://e.org/a.m4a" length="9" type="audio/mp4"/>'}]},
    ),
    (
        "apple/enclosure-type",
        {
            IT: [
                {"enclosure": '<enclosure url="https://e.org/a.m4a" length="9" type="audio/mpeg"/>'}
            ]
        },
        {
            IT: [
                {
                    "enclosure": '<enclosure url="https://pdst.fm/e/x?id=1" length="9" '
                    'type="audio/mpeg"/>'
                }
            ]
        },
    ),
    (
        "apple/media-format",
        {
            IT: [
                {"enclosure": '<enclosure url="https://e.org/a.opus" length="9" type="audio/ogg"/>'}
            ]
        },
        {IT: [{"enclosure": '<enclosure url="https://e.org/a.m4a" length="9" type="audio/mp4"/>'}]},
    ),
    ("podcastindex/item-guid", {IT: [{"guid": "<guid></guid>"}]}, {}),
    ("podcastindex/item-guid", {IT: [{"guid": ""}]}, {}),
    ("podcastindex/guid-unique", {IT: [{"guid": "<guid>same</guid>"}] * 2}, {IT: [{}, {}]}),
    ("apple/pubdate", {IT: [{"pubDate": "<pubDate>2023-04-04</pubDate>"}]}, {}),
    ("apple/pubdate", {IT: [{"pubDate": ""}]}, {}),
    (
        "podcastindex/future-date",
        {IT: [{"pubDate": "<pubDate>Fri, 01 Jan 2027 06:00:00 +0000</pubDate>"}]},
        {},
    ),
    (
        "apple/description-html",
        {IT: [{"description": "<description><![CDATA[<h2>Hi</h2><p>x</p>]]></description>"}]},
        {
            IT: [
                {
                    "description": '<description><![CDATA[<p><a href="https://e.org">x</a><br/>'
                    "<strong>y</strong></p>]]></description>"
                }
            ]
        },
    ),
    (
        "apple/duration",
        {IT: [{"duration": ""}]},
        {IT: [{"duration": "<itunes:duration>1:02:03</itunes:duration>"}]},
    ),
    (
        "apple/duration",
        {IT: [{"duration": "<itunes:duration>5 min</itunes:duration>"}]},
        {IT: [{"duration": "<itunes:duration>12:34</itunes:duration>"}]},
    ),
    (
        "apple/serial-episode-number",
        {CH: {"type": "<itunes:type>serial</itunes:type>"}},
        {
            CH: {"type": "<itunes:type>serial</itunes:type>"},
            IT: [
                {"number": "<itunes:episode>1</itunes:episode>"},
                {"kind": "<itunes:episodeType>trailer</itunes:episodeType>"},
            ],
        },
    ),
    (
        "apple/episode-season-number",
        {IT: [{"number": "<itunes:episode>0</itunes:episode>"}]},
        {IT: [{"number": "<itunes:episode>3</itunes:episode>"}]},
    ),
    (
        "apple/episode-season-number",
        {IT: [{"season": "<itunes:season>one</itunes:season>"}]},
        {IT: [{"season": "<itunes:season>1</itunes:season>"}]},
    ),
    ("podcastfeed/duplicate-title", {IT: [{"title": "<title>Same</title>"}] * 2}, {IT: [{}, {}]}),
    (
        "podcastfeed/mojibake",
        {IT: [{"title": "<title>Lucaâ€™s LinkedIn</title>"}]},
        {IT: [{"title": "<title>Luca’s café — Ça va</title>"}]},
    ),
]


@pytest.mark.parametrize(("rule", "bad", "good"), CASES, ids=[c[0] for c in CASES])
def test_checks_rule_fails_and_passes(
    rule: str, bad: dict[str, object], good: dict[str, object]
) -> None:
    broken = make_feed(bad.get(CH), bad.get(IT))  # type: ignore[arg-type]
    assert rule in rules_of(broken)
    fine = make_feed(good.get(CH), good.get(IT))  # type: ignore[arg-type]
    assert rule not in rules_of(fine), [str(f) for f in findings(fine)]


def test_checks_every_offline_rule_has_a_case() -> None:
    offline = {r.id for r in all_rules().values() if not r.online}
    artwork = {
        "apple/artwork-format",
        "apple/artwork-size",
        "apple/artwork-color",
        "apple/artwork-file-size",
    }  # in test_checks_artwork.py
    own_build = {"podcastfeed/mp3-frame-scan"}  # in test_checks_cli.py: needs the probe method
    assert offline - artwork - own_build == {c[0] for c in CASES}


def test_checks_messages_name_value_and_hint() -> None:
    data = make_feed({"explicit": "<itunes:explicit>yes</itunes:explicit>"})
    [finding] = findings(data)
    assert finding.message == "itunes:explicit must be true or false (got 'yes')"
    assert finding.hint == "write <itunes:explicit>true</itunes:explicit>"
    assert (finding.file, finding.line, finding.severity) == ("feed.xml", 8, "error")


def test_checks_legacy_category_hint_names_the_new_one() -> None:
    data = make_feed({"category": '<itunes:category text="Games &amp; Hobbies"/>'})
    [finding] = findings(data)
    assert finding.hint == "use 'Leisure'"


def test_checks_enclosure_type_hint_gives_the_fix() -> None:
    data = make_feed(
        items=[{"enclosure": '<enclosure url="https://e.org/a.mp3" length="9" type="audio/mp3"/>'}]
    )
    [finding] = findings(data)
    assert finding.message == "enclosure type 'audio/mp3' does not fit 'a.mp3'"
    assert finding.hint == 'write type="audio/mpeg"'


def test_checks_mojibake_hint_is_the_repaired_text() -> None:
    data = make_feed(
        items=[{"description": "<description>Find Lucaâ€™s LinkedIn here</description>"}]
    )
    [finding] = findings(data)
    assert finding.rule == "podcastfeed/mojibake"
    assert finding.hint == "it should read 'Find Luca’s LinkedIn here'"


def test_checks_ignore_skips_rules() -> None:
    data = make_feed({"explicit": "<itunes:explicit>no</itunes:explicit>"})
    assert run(lint_data(data, "f", NOW), ignore=["apple/explicit-value"]) == []


def test_checks_legacy_podcast_namespace_guid_is_read() -> None:
    data = make_feed({"guid": ""}).replace(
        b"<channel>",
        b'<channel><podcast:guid xmlns:podcast="https://github.com/Podcastindex-org/'
        b'podcast-namespace/blob/main/docs/1.0.md">nope</podcast:guid>',
    )
    assert "podcastindex/guid-format" in rules_of(data)


def test_checks_not_xml_or_not_rss_is_an_error() -> None:
    from podcastfeed.errors import PodcastfeedError

    with pytest.raises(PodcastfeedError, match=r"not well-formed XML"):
        lint_data(b"<rss><channel>", "x.xml", NOW)
    with pytest.raises(PodcastfeedError, match=r"not an RSS feed \(the root element is <feed>\)"):
        lint_data(b"<feed/>", "x.xml", NOW)


def test_checks_parse_pieces_drops_the_full_notes() -> None:
    from podcastfeed.checks import parse_pieces

    data = make_feed().replace(
        b"</item>",
        b'<content:encoded xmlns:content="http://purl.org/rss/1.0/modules/content/">'
        + b"notes " * 1000
        + b"</content:encoded></item>",
    )
    pieces = [data[i : i + 100] for i in range(0, len(data), 100)]
    root = parse_pieces(pieces, "feed.xml")
    [encoded] = root.iter("{http://purl.org/rss/1.0/modules/content/}encoded")
    assert encoded.text is None
    assert run(lint_data(data, "feed.xml", NOW)) == []
