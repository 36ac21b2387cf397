"""Issue 16: value-for-value blocks from feed.toml and front matter, compared tag by tag with the
Podcast Index namespace's own examples, and every problem at its file and line."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from conftest import REPO, Site
from feedcheck import parse_both
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from podcastfeed.build import build
from podcastfeed.errors import BuildFailed, Problem
from podcastfeed.lint.runner import lint_data, run
from podcastfeed.source.valueparse import VALUE_TABLE_KEYS, parse_value
from podcastfeed.xmlns import PODCAST

NOW = datetime(2026, 1, 1, tzinfo=UTC)
NS = {"podcast": PODCAST}
ALICE = "02d5c1bf8b940dc9cadca86d1b0a3c37fbe39cee4c7e839e33bef9174531d27f52"
BOB = "032f4ffbbafffbe51726ad3c164a3d0d37ec27bc67b29a159b0f49ae8ac21b8508"
CAROL = "02dd306e68c46681aa21d88a436fb35355a8579dd30201581cefa17cb179fc4c15"
HOST = "03ae9f91a0cb8ff43840e3c322c4c61f019d8c1c3cea15a25cfc425ac605e61a4a"
WRAP = f'<rss xmlns:podcast="{PODCAST}" version="2.0"><channel>{{}}</channel></rss>'

# Podcastindex-org/podcast-namespace, docs/tags/value-recipient.md, "Examples"
SPEC_RECIPIENTS = f"""
<podcast:value type="lightning" method="keysend" suggested="0.00000015000">
  <podcast:valueRecipient name="Alice (Podcaster)" type="node" address="{ALICE}" split="40" />
  <podcast:valueRecipient name="Bob (Podcaster)" type="node" address="{BOB}" split="40" />
  <podcast:valueRecipient name="Carol (Producer)" type="node" address="{CAROL}" split="15" />
  <podcast:valueRecipient name="Hosting Provider" type="node" address="{HOST}" split="5"
      fee="true" />
</podcast:value>"""

# Podcastindex-org/podcast-namespace, docs/tags/value-time-split.md, "Example (Remote Item)"
SPEC_REMOTE = f"""
<podcast:value type="lightning" method="keysend">
  <podcast:valueRecipient name="Alice (Podcaster)" type="node" address="{ALICE}" split="95" />
  <podcast:valueRecipient name="Hosting Provider" type="node" address="{HOST}" split="5"
      fee="true" />
  <podcast:valueTimeSplit startTime="60" duration="237" remotePercentage="95">
    <podcast:remoteItem itemGuid="https://podcastindex.org/podcast/4148683#1"
        feedGuid="a94f5cc9-8c58-55fc-91fe-a324087a655b" medium="music" />
  </podcast:valueTimeSplit>
  <podcast:valueTimeSplit startTime="330" duration="53" remoteStartTime="174"
      remotePercentage="95">
    <podcast:remoteItem itemGuid="https://podcastindex.org/podcast/4148683#3"
        feedGuid="a94f5cc9-8c58-55fc-91fe-a324087a655b" medium="music" />
  </podcast:valueTimeSplit>
</podcast:value>"""

# Podcastindex-org/podcast-namespace, docs/tags/value-time-split.md, "Example (Locally
# Specified)"
SPEC_LOCAL = f"""
<podcast:value type="lightning" method="keysend">
  <podcast:valueRecipient name="Alice (Podcaster)" type="node" address="{ALICE}" split="95" />
  <podcast:valueRecipient name="Hosting Provider" type="node" address="{HOST}" split="5"
      fee="true" />
  <podcast:valueTimeSplit startTime="63" duration="388">
    <podcast:valueRecipient name="Alice (Podcaster)" type="node" address="{ALICE}" split="85" />
    <podcast:valueRecipient name="Jimbob (Guest)" type="node" address="{CAROL}" split="10" />
  </podcast:valueTimeSplit>
  <podcast:valueTimeSplit startTime="367" duration="246">
    <podcast:valueRecipient name="Alice (Podcaster)" type="node" address="{ALICE}" split="85" />
    <podcast:valueRecipient name="Bobjim (Guest)" type="node" address="{BOB}" split="10" />
  </podcast:valueTimeSplit>
</podcast:value>"""

# Podcastindex-org/podcast-namespace, docs/examples/value/value.md, "Example: <Item> Override"
JOHN = "02a9cd2bca29dd7e29bdfdf485a8e78b8ccf9327517afa03a59be8f62a58792e1b"
GIGI = "02e12fea95f576a680ec1938b7ed98ef0855eadeced493566877d404e404bfbf52"
SPEC_OVERRIDE_CHANNEL = f"""
<podcast:value type="lightning" method="keysend" suggested="0.00000021000">
  <podcast:valueRecipient name="John Vallis (Host)" type="node" address="{JOHN}" split="100" />
</podcast:value>"""
SPEC_OVERRIDE_ITEM = f"""
<podcast:value type="lightning" method="keysend" suggested="0.00000021000">
  <podcast:valueRecipient name="John Vallis (Host)" type="node" address="{JOHN}" split="50" />
  <podcast:valueRecipient name="Gigi (Guest)" type="node" address="{GIGI}" split="50" />
</podcast:value>"""


def _spec(xml: str) -> etree._Element:
    return etree.fromstring(WRAP.format(xml))[0][0]


def _same(ours: etree._Element, theirs: etree._Element, where: str = "") -> None:
    """Tag by tag: the same tag, the same attributes, the same children in order."""
    here = f"{where}/{etree.QName(theirs).localname}"
    assert ours.tag == theirs.tag, here
    assert dict(ours.attrib) == dict(theirs.attrib), here
    assert len(ours) == len(theirs), here
    for mine, spec in zip(ours, theirs, strict=True):
        _same(mine, spec, here)


def _episode(site: Site, name: str, value: str, *, date: str = "2024-01-01", **more: str) -> None:
    extra = "".join(f"{k}: {v}\n" for k, v in more.items())
    audio = site.audio("sine-3s-cbr.mp3", f"{name}.mp3")
    text = f"---\ntitle: {name}\ndate: {date}\naudio: {audio}\n{extra}{value}---\nNotes.\n"
    site.episode(name, text=text)


def _feed(site: Site) -> tuple[etree._Element, list[Problem]]:
    report = build(site.config, now=NOW, use_cache=False)
    parse_both(report.feed)  # feedparser and podcastparser still read every item alike
    return etree.fromstring(report.feed), report.problems


def test_value_recipient_example_from_feed_toml(site: Site) -> None:
    site.show(
        extra=f"""
[show.value]
type = "lightning"
method = "keysend"
suggested = "0.00000015000"
recipients = [
  {{ name = "Alice (Podcaster)", type = "node", address = "{ALICE}", split = 40 }},
  {{ name = "Bob (Podcaster)", type = "node", address = "{BOB}", split = 40 }},
  {{ name = "Carol (Producer)", type = "node", address = "{CAROL}", split = 15 }},
  {{ name = "Hosting Provider", type = "node", address = "{HOST}", split = 5, fee = true }},
]
"""
    )
    _episode(site, "one", "")
    root, problems = _feed(site)
    (block,) = root.findall("channel/podcast:value", NS)
    _same(block, _spec(SPEC_RECIPIENTS))
    assert root.find("channel/item/podcast:value", NS) is None  # the channel's applies
    assert problems == []


def test_value_time_split_examples_from_front_matter(site: Site) -> None:
    """Both examples of value-time-split.md, written with the namespace's own attribute names
    (customKey, startTime, remoteItem …) and with podcastfeed's, build the same XML."""
    remote = f"""value:
  type: lightning
  method: keysend
  recipients:
    - {{name: Alice (Podcaster), type: node, address: {ALICE}, split: 95}}
    - {{name: Hosting Provider, type: node, address: {HOST}, split: 5, fee: true}}
  valueTimeSplit:
    - startTime: 60
      duration: 237
      remotePercentage: 95
      remoteItem:
        itemGuid: "https://podcastindex.org/podcast/4148683#1"
        feedGuid: a94f5cc9-8c58-55fc-91fe-a324087a655b
        medium: music
    - start: "00:05:30"
      duration: 53
      remote_start: 174
      remote_percentage: 95
      remote_item: {{item_guid: "https://podcastindex.org/podcast/4148683#3", feed_guid: a94f5cc9-8c58-55fc-91fe-a324087a655b, medium: music}}
"""  # noqa: E501 - one recipient a line, as the spec writes them
    local = f"""value:
  recipients:
    - {{name: Alice (Podcaster), address: {ALICE}, split: 95}}
    - {{name: Hosting Provider, address: {HOST}, split: 5, fee: "true"}}
  time_splits:
    - start: 63
      duration: 388
      recipients:
        - {{name: Alice (Podcaster), address: {ALICE}, split: 85}}
        - {{name: Jimbob (Guest), address: {CAROL}, split: 10}}
    - start: 367
      duration: 246
      recipients:
        - {{name: Alice (Podcaster), address: {ALICE}, split: 85}}
        - {{name: Bobjim (Guest), address: {BOB}, split: 10}}
"""
    _episode(site, "remote", remote, date="2024-01-02", duration="700")
    _episode(site, "local", local, duration="700")
    root, problems = _feed(site)
    blocks = [item.find("podcast:value", NS) for item in root.iterfind("channel/item")]
    _same(blocks[0], _spec(SPEC_REMOTE))
    _same(blocks[1], _spec(SPEC_LOCAL))
    # the spec's own local example overlaps (63 + 388 > 367): valid, but worth a warning
    overlap = [p for p in problems if "starts before" in p.message]
    assert [(p.level, p.source, p.line) for p in overlap] == [("warning", "episodes/local.md", 16)]


def test_value_item_overrides_the_channel(site: Site) -> None:
    """docs/examples/value/value.md: the item's block replaces the channel's for that episode;
    an episode without one keeps the channel's (no block on the item)."""
    site.show(
        extra=f"""
[show.value]
suggested = 0.00000021
recipients = [{{ name = "John Vallis (Host)", address = "{JOHN}", split = 100 }}]
"""
    )
    guest = f"""value:
  suggested: "0.00000021000"
  recipients:
    - {{name: John Vallis (Host), address: {JOHN}, split: 50}}
    - {{name: Gigi (Guest), address: {GIGI}, split: 50}}
"""
    _episode(site, "solo", "")
    _episode(site, "gigi", guest, date="2024-01-02")
    root, _problems = _feed(site)
    channel = _spec(SPEC_OVERRIDE_CHANNEL)
    channel.set("suggested", "0.00000021")  # a TOML float is written without its zeros
    _same(root.find("channel/podcast:value", NS), channel)
    gigi, solo = root.findall("channel/item")
    _same(gigi.find("podcast:value", NS), _spec(SPEC_OVERRIDE_ITEM))
    assert solo.find("podcast:value", NS) is None


BAD_EPISODES = [
    ("      split: 0\n", "'value' 'split' must be a whole number of shares above 0 (got 0)", 9),
    ("      split: many\n", "'split' must be a whole number of shares above 0", 9),
    ("      address: 02abc\n", "'address' of a node must be its public key", 9),
    ("      type: lnaddress\n", "'address' of an lnaddress must be a Lightning address", 8),
    ("      address: bob@\n", "'address' of an lnaddress must be a Lightning address", 9),
    ("      type: wallet\n", "'type' must be node or lnaddress for lightning (got 'wallet')", 10),
    ("      custom_key: 696969\n", "needs 'custom_value' too", 7),
    ("      custom_key: 12\n      custom_value: x\n", "'custom_key' must be a TLV record type", 10),
    ("      color: red\n", "has unknown key 'color'", 10),
]


@pytest.mark.parametrize(("line", "message", "at"), BAD_EPISODES)
def test_value_bad_recipient_is_an_error_at_its_line(
    site: Site, line: str, message: str, at: int
) -> None:
    recipient = f"    - name: Ann\n      address: {ALICE}\n      split: 10\n"
    key = line.split(":")[0].strip()
    recipient = "".join(r for r in recipient.splitlines(True) if f" {key}:" not in r) + line
    _episode(site, "bad", "value:\n  recipients:\n" + recipient)
    with pytest.raises(BuildFailed) as failed:
        build(site.config, now=NOW, use_cache=False)
    errors = [p for p in failed.value.problems if p.is_error]
    assert len(errors) == 1, [str(p) for p in errors]
    assert message in errors[0].message
    assert (errors[0].source, errors[0].line) == ("episodes/bad.md", at)


ANN = "  recipients: [{address: a@b.io, split: 1, name: A}]\n"
BAD_BLOCKS = [
    ("value:\n  method: zap\n" + ANN, "'method' must be keysend or amp", 6),
    ("value:\n  recipients: []\n", "needs at least one recipient (got an empty list)", 6),
    ("value:\n  suggested: -1\n" + ANN, "'suggested' must be a number above 0", 6),
    ("value:\n  suggested: 1\n", "needs at least one recipient ('recipients')", 5),
    (
        "value:\n  recipients: [{address: a@b.io, split: 1, name: A}]\n  time_splits:\n"
        "    - {start: 10, duration: 0, recipients: [{address: a@b.io, split: 1, name: A}]}\n",
        "'duration' must be above 0 (got 0)",
        8,
    ),
    (
        "value:\n  recipients: [{address: a@b.io, split: 1, name: A}]\n  time_splits:\n"
        "    - {start: 10, duration: 5}\n",
        "needs either 'remote_item' or 'recipients' (one of them, not both)",
        8,
    ),
    (
        "value:\n  recipients: [{address: a@b.io, split: 1, name: A}]\n  time_splits:\n"
        "    - {start: 1, duration: 1, remote_item: {feed_guid: nope}}\n",
        "'feed_guid' must be the podcast:guid of the remote feed",
        8,
    ),
    (
        "value:\n  recipients: [{address: a@b.io, split: 1, name: A}]\n  time_splits:\n"
        "    - start: 1\n      duration: 1\n      remote_percentage: 101\n"
        "      remote_item: {feed_guid: a94f5cc9-8c58-55fc-91fe-a324087a655b}\n",
        "'remote_percentage' must be a whole number from 0 to 100 (got 101)",
        10,
    ),
]  # fmt: skip


@pytest.mark.parametrize(("value", "message", "at"), BAD_BLOCKS)
def test_value_bad_block_is_an_error_at_its_line(
    site: Site, value: str, message: str, at: int
) -> None:
    _episode(site, "bad", value)
    with pytest.raises(BuildFailed) as failed:
        build(site.config, now=NOW, use_cache=False)
    errors = [p for p in failed.value.problems if p.is_error]
    assert [(message in p.message, p.source, p.line) for p in errors] == [
        (True, "episodes/bad.md", at)
    ], [str(p) for p in errors]


def test_value_in_feed_toml_is_reported_at_the_recipient_line(site: Site) -> None:
    site.show(
        extra=f"""
[show.value]
recipients = [
  {{ name = "Alice", address = "{ALICE}", split = 40 }},
  {{ name = "Bob", address = "{BOB[:-1]}", split = 40 }},
]
"""
    )
    _episode(site, "one", "")
    with pytest.raises(BuildFailed) as failed:
        build(site.config, now=NOW, use_cache=False)
    (error,) = [p for p in failed.value.problems if p.is_error]
    lines = site.config.read_text(encoding="utf-8").splitlines()
    assert error.line is not None
    assert BOB[:-1] in lines[error.line - 1]
    assert str(error).startswith(f"{site.config}:{error.line}: error: [show] 'value' 'address'")


def test_value_warnings_where_the_spec_recommends(site: Site) -> None:
    value = f"""value:
  type: hive
  recipients:
    - {{address: {ALICE}, split: 1}}
    - {{name: Fee, address: {HOST}, split: 1, fee: true}}
"""
    _episode(site, "warn", value)
    _root, problems = _feed(site)
    shown = sorted((p.line, p.message) for p in problems if p.source == "episodes/warn.md")
    assert [line for line, _ in shown] == [6, 8]
    assert "is not in the namespace's list of value types" in shown[0][1]
    assert "has no 'name' (recommended" in shown[1][1]


def test_value_time_split_past_the_measured_end_fails_the_build(site: Site) -> None:
    """The audio measures 3 s: a split from 2 s for 5 s is never reached in full."""
    value = (
        "value:\n  recipients: [{address: a@b.io, split: 1, name: A}]\n  time_splits:\n"
        "    - {start: 2, duration: 5, recipients: [{address: c@d.io, split: 1, name: C}]}\n"
    )
    _episode(site, "short", value)
    with pytest.raises(BuildFailed) as failed:
        build(site.config, now=NOW, use_cache=False)
    (error,) = [p for p in failed.value.problems if p.is_error]
    assert "ends after the episode's 3 s [podcastindex/value-time-split]" in error.message
    assert (error.source, error.line) == ("episodes/short.md", 5)


def test_value_docs_name_every_key() -> None:
    doc = (REPO / "docs" / "configuration.md").read_text(encoding="utf-8")
    section = doc.split("### Value for value", 1)[1].split("\n### ", 1)[0]
    for table, keys in VALUE_TABLE_KEYS.items():
        row = re.search(rf"^\| `{table}` \|[^\n]*$", section, re.MULTILINE)
        assert row, table
        for key in keys:
            assert f"`{key} =" in row.group(0), f"{table}.{key}"


_SCALARS = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=70)
_KEYS = st.sampled_from(
    sorted({k for keys in VALUE_TABLE_KEYS.values() for k in keys} | {"customKey", "startTime"})
)
_DATA = st.recursive(
    _SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_KEYS, inner, max_size=6),
    max_leaves=25,
)


@given(_DATA)
@settings(max_examples=150, deadline=None)
def test_value_any_data_gives_blocks_or_problems(data: object) -> None:
    """Whatever YAML or TOML holds under `value`, parsing returns blocks and problems (each
    with its place in the data), never an exception."""
    blocks, issues = parse_value(data)
    assert all(level in ("error", "warning") for level, _message, _where in issues)
    assert blocks or issues or data in ([], None)


def test_value_hostile_yaml_keys_and_numbers_are_problems(site: Site) -> None:
    value = (
        "value:\n  suggested: 1e999999\n  recipients:\n"
        "    - {7: c, address: a@b.io, split: 1, name: A}\n"
    )
    _episode(site, "odd", value)
    with pytest.raises(BuildFailed) as failed:
        build(site.config, now=NOW, use_cache=False)
    shown = sorted((p.line, p.message) for p in failed.value.problems if p.is_error)
    assert [line for line, _ in shown] == [6, 8]
    assert "at most 30 characters" in shown[0][1]
    assert "has unknown key" in shown[1][1]


def test_value_rules_take_huge_numbers_in_any_feed() -> None:
    """A foreign feed's split or customKey of 5,000 digits is a finding, not a crash (int()
    refuses more than 4,300 digits)."""
    digits = "9" * 5000
    block = (
        '<podcast:value type="lightning" method="keysend">'
        f'<podcast:valueRecipient name="A" type="node" address="{ALICE}" split="{digits}" '
        f'customKey="{digits}" customValue="x"/></podcast:value>'
    )
    feed = WRAP.format(f"<title>T</title>{block}").encode()
    found = run(lint_data(feed, "feed.xml", NOW))
    messages = [f.message for f in found if f.rule == "podcastindex/value-recipient"]
    assert len(messages) == 2
    assert "split must be a whole number above 0" in messages[0]
    assert "customKey must be a TLV record type" in messages[1]


def test_value_in_hugo_toml_front_matter_is_reported_at_its_line(site: Site) -> None:
    audio = site.audio("sine-3s-cbr.mp3", "hugo.mp3")
    site.episode(
        "hugo",
        text=(
            f'+++\ntitle = "Hugo"\ndate = 2024-01-01\naudio = "{audio}"\n\n[[value]]\n'
            f'[[value.recipients]]\nname = "Ann"\naddress = "{ALICE}"\nsplit = 1\n'
            '[[value.recipients]]\nname = "Bo"\naddress = "bo@@example.com"\nsplit = 1\n+++\n'
        ),
    )
    with pytest.raises(BuildFailed) as failed:
        build(site.config, now=NOW, use_cache=False)
    (error,) = [p for p in failed.value.problems if p.is_error]
    assert (error.source, error.line) == ("episodes/hugo.md", 13)
    assert "'address' of an lnaddress must be a Lightning address" in error.message
