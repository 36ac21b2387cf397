"""Issue 15: what a migration changes without changing the show (docs/diff.md, "What a
migration leaves out or adds"), and what import keeps so that nothing is lost: value-for-value
and podping survive `import` → `build --offline`, read back with lxml."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from lxml import etree
from typer.testing import CliRunner

from podcastfeed.cli import app
from podcastfeed.ids import podcast_guid
from podcastfeed.xmlns import PODCAST

DATA = Path(__file__).parent / "data"
runner = CliRunner()
P = f"{{{PODCAST}}}"

HEAD = (
    '<?xml version="1.0"?><rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast'
    '-1.0.dtd" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:podcast="https://podcastindex.org'
    '/namespace/1.0" xmlns:acast="https://schema.acast.com/1.0/" xmlns:dc="http://purl.org/dc/'
    'elements/1.1/"><channel><title>T</title><link>https://e.org/</link>'
    "<description>About.</description><language>en</language>"
    '<atom:link href="https://e.org/feed.xml" rel="self" type="application/rss+xml"/>'
    '<itunes:image href="https://e.org/a.jpg"/><itunes:explicit>false</itunes:explicit>'
    "<itunes:author>A</itunes:author><itunes:owner><itunes:name>A</itunes:name>"
    "<itunes:email>a@e.org</itunes:email></itunes:owner>"
)
ITEM = (
    "<item><title>E1</title><guid>g1</guid><pubDate>Sat, 01 Jan 2022 10:00:00 GMT</pubDate>"
    '<enclosure url="https://e.org/1.mp3" length="5" type="audio/mpeg"/>{item}</item>'
)


def feed(channel: str = "", item: str = "", category: str = "Technology") -> bytes:
    cat = f'<itunes:category text="{category}"/>'
    return (HEAD + cat + channel + ITEM.format(item=item) + "</channel></rss>").encode()


def diff(tmp_path: Path, old: bytes, new: bytes, *more: str) -> tuple[int, dict[str, object]]:
    (tmp_path / "old.xml").write_bytes(old)
    (tmp_path / "new.xml").write_bytes(new)
    args = ["diff", "--format", "json", *more, str(tmp_path / "old.xml"), str(tmp_path / "new.xml")]
    result = runner.invoke(app, args)
    return result.exit_code, json.loads(result.stdout)


@pytest.mark.parametrize(
    ("channel", "item"),
    [
        ("<pubDate>Tue, 14 Mar 2023 10:00:00 +0000</pubDate>", ""),  # when the file was made
        ("<ttl>60</ttl>", ""),
        ("<webMaster>w@e.org (W)</webMaster><managingEditor>m@e.org (M)</managingEditor>", ""),
        ("<author>T</author>", ""),  # Anchor's: no RSS 2.0 channel element
        ("<itunes:summary>Other words.</itunes:summary>", ""),  # Apple reads description
        ("<itunes:subtitle>S</itunes:subtitle><itunes:keywords>a,b</itunes:keywords>", ""),
        ("", "<itunes:subtitle>S</itunes:subtitle><itunes:keywords>k</itunes:keywords>"),
        ("", "<itunes:order>1</itunes:order>"),
        ("", "<comments>https://old.example/e1#comments</comments>"),
        ("", "<author>a@e.org (A)</author><dc:creator>A</dc:creator>"),
        ("", "<atom:updated>2022-01-02T00:00:00Z</atom:updated>"),
        ("<acast:showId>5f1a</acast:showId>", "<acast:episodeId>62</acast:episodeId>"),
        ('<atom:link href="https://e.org/feed.xml?page=2" rel="next"/>', ""),
        ("<category>Leisure:Home &amp; Garden</category>", ""),
        ("<itunes:new-feed-url>https://e.org/feed.xml</itunes:new-feed-url>", ""),
        ("", "<description>E1</description>"),  # the title again
    ],
)
def test_what_a_migration_leaves_out_is_no_change_but_exact_shows_it(
    channel: str, item: str, tmp_path: Path
) -> None:
    assert diff(tmp_path, feed(channel, item), feed())[0] == 0
    assert diff(tmp_path, feed(), feed(channel, item))[0] == 0
    assert diff(tmp_path, feed(channel, item), feed(), "--exact")[0] == 1


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("Technology&gt;Podcasting", "Technology"),
        ("Games &amp; Hobbies", "Leisure"),
    ],
)
def test_a_category_apple_retired_equals_the_one_it_became(
    old: str, new: str, tmp_path: Path
) -> None:
    legacy = feed(category=old).replace(
        b'text="Technology&gt;Podcasting"/>',
        b'text="Technology"><itunes:category text="Podcasting"/></itunes:category>',
    )
    assert diff(tmp_path, legacy, feed(category=new))[0] == 0
    assert diff(tmp_path, legacy, feed(category="Music"))[0] == 1  # another category: a change


def test_notes_compare_without_what_only_styles_them(tmp_path: Path) -> None:
    """Acast's footer: `style`, `target`, `rel`, single quotes, `<br />` before `<hr>` (what
    the build's sanitizer and cleanup drop) say nothing; a word or a link still does."""
    styled = (
        "<content:encoded><![CDATA[<p>Q.</p><br /><hr><p style='color:grey'> See <a "
        "style='color:grey;' target='_blank' rel='noopener' href='https://e.org/p'>p</a>.</p>"
        "]]></content:encoded>"
    )
    plain = '<content:encoded><![CDATA[<p>Q.</p>\n<hr/><p> See <a href="https://e.org/p">p</a>.</p>]]></content:encoded>'
    code_ = 'xmlns:content="http://purl.org/rss/1.0/modules/content/" '

    def with_notes(notes: str) -> bytes:
        return feed(item=notes).replace(b"<rss ", b"<rss " + code_.encode())

    assert diff(tmp_path, with_notes(styled), with_notes(plain))[0] == 0
    assert diff(tmp_path, with_notes(styled), with_notes(plain), "--exact")[0] == 1
    for changed in (plain.replace("See", "Read"), plain.replace("e.org/p", "e.org/q")):
        assert diff(tmp_path, with_notes(styled), with_notes(changed))[0] == 1


def test_a_player_of_the_episodes_own_audio_is_no_part_of_the_notes(tmp_path: Path) -> None:
    """PowerPress' player (which the build's cleanup drops) plays the enclosure the app plays;
    an HTML comment shows nothing. A player of other audio is part of the notes."""
    player = (
        '<!-- powerpress_player --><div class="powerpress_player"><audio class="wp-audio-'
        'shortcode" controls="controls"><source type="audio/mpeg" src="{src}?_=1" /></audio></div>'
    )
    content = 'xmlns:content="http://purl.org/rss/1.0/modules/content/" '

    def with_notes(extra: str) -> bytes:
        notes = f"<content:encoded><![CDATA[<p>Talk.</p>{extra}]]></content:encoded>"
        return feed(item=notes).replace(b"<rss ", b"<rss " + content.encode())

    own = player.format(src="https://e.org/1.mp3")
    assert diff(tmp_path, with_notes(own), with_notes(""))[0] == 0
    assert diff(tmp_path, with_notes(own), with_notes(""), "--exact")[0] == 1
    other = player.format(src="https://e.org/2.mp3")
    assert diff(tmp_path, with_notes(other), with_notes(""))[0] == 1


def test_what_the_build_derives_is_a_note_not_a_change(tmp_path: Path) -> None:
    """podcast:guid from the feed's URL, the self link, `<image>` from itunes:image: derived
    from what the source says, so `diff` exits 0 and lists them as notes."""
    guid = podcast_guid("https://e.org/feed.xml")
    old = feed().replace(
        b'<atom:link href="https://e.org/feed.xml" rel="self" type="application/rss+xml"/>', b""
    )
    new = feed(
        f"<podcast:guid>{guid}</podcast:guid>"
        "<image><url>https://e.org/a.jpg</url><title>T</title><link>https://e.org/</link></image>"
    )
    code, found = diff(tmp_path, old, new)
    assert (code, found["channel"]) == (0, [])
    notes = {note["field"] for note in found["notes"]}  # type: ignore[union-attr]
    assert {"podcast:guid", "atom:link href", "image url"} <= notes
    assert diff(tmp_path, old, new, "--exact")[0] == 1


@pytest.mark.parametrize(
    "channel",
    [
        "<podcast:guid>9b024349-ccf0-5f69-a609-6b82873eab3c</podcast:guid>",  # another feed's
        "<image><url>https://e.org/b.jpg</url><title>T</title><link>https://e.org/</link></image>",
        '<podcast:podping usesPodping="true"/>',
    ],
)
def test_what_the_build_does_not_derive_is_still_a_change(channel: str, tmp_path: Path) -> None:
    code, found = diff(tmp_path, feed(), feed(channel))
    assert code == 1
    assert found["channel"]
    assert not found["notes"]


def test_value_and_podping_survive_import_and_build(tmp_path: Path) -> None:
    """The channel's and an item's podcast:value (recipients, splits, a time split) and
    podcast:podping are written by the build as the source had them."""
    value = (
        '<podcast:value type="lightning" method="keysend" suggested="0.00000005000">'
        '<podcast:valueRecipient name="Host" type="node" split="90" address="03ae9f91a0cb8ff438'
        '40e3c322c4c61f019d8c1c3cea15a25cfc425ac605e61a4a"/><podcast:valueRecipient name="App" '
        'type="lnaddress" split="10" address="app@getalby.com" fee="true"/></podcast:value>'
    )
    item_value = (
        '<podcast:value type="lightning" method="keysend"><podcast:valueRecipient name="Guest" '
        'type="lnaddress" split="1" address="guest@getalby.com" customKey="696969" '
        'customValue="w7"/>'
        '<podcast:valueTimeSplit startTime="1" duration="2"><podcast:valueRecipient name="Band" '
        'type="lnaddress" split="1" address="band@getalby.com"/></podcast:valueTimeSplit>'
        "</podcast:value>"
    )
    source = feed(
        value + '<podcast:podping usesPodping="true"/>',
        item_value + "<itunes:duration>60</itunes:duration>",
    )
    (tmp_path / "src.xml").write_bytes(source)
    show = tmp_path / "show"
    imported = runner.invoke(app, ["import", str(tmp_path / "src.xml"), "--dir", str(show)])
    assert imported.exit_code == 0, imported.stderr
    built = runner.invoke(app, ["build", "--offline", "-c", str(show / "feed.toml")])
    assert built.exit_code == 0, built.stderr
    channel = etree.parse(str(show / "public" / "feed.xml")).getroot().find("channel")
    original = etree.fromstring(source).find("channel")
    assert channel is not None
    assert original is not None

    def blocks(parent: etree._Element) -> list[object]:
        return [
            (
                dict(v.attrib),
                [
                    (etree.QName(c).localname, dict(c.attrib), [dict(r.attrib) for r in c])
                    for c in v
                ],
            )
            for v in parent.iterchildren(f"{P}value")
        ]

    assert blocks(channel) == blocks(original)
    assert blocks(channel.find("item")) == blocks(original.find("item"))  # type: ignore[arg-type]
    podping = channel.find(f"{P}podping")
    assert podping is not None
    assert podping.get("usesPodping") == "true"
    assert (
        runner.invoke(
            app, ["diff", str(tmp_path / "src.xml"), str(show / "public" / "feed.xml")]
        ).exit_code
        == 0
    )


def test_podping_false_is_written_and_absent_writes_nothing(tmp_path: Path) -> None:
    from podcastfeed.model import ShowTags
    from podcastfeed.render.podcast_ns import write_channel_tags

    for setting, expected in ((False, ["false"]), (None, [])):
        channel = etree.Element("channel")
        write_channel_tags(channel, ShowTags(uses_podping=setting))
        assert [e.get("usesPodping") for e in channel.iter(f"{P}podping")] == expected
