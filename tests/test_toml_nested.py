"""Hugo's TOML front matter: text inside tables and arrays of tables as the file spells it, as
the top-level text fields (source/written.py) and the YAML side have it."""

from __future__ import annotations

from conftest import Site

NODE = "02d5c1bf8b940dc9cadca86d1b0a3c37fbe39cee4c7e839e33bef9174531d27f52"


def _build(site: Site, front: str) -> str:
    site.episode(
        "ep",
        '+++\ntitle = "t"\ndate = 2024-01-01\naudio = "https://e.org/a.mp3"\nduration = 3\n'
        f"length = 5\n{front}+++\nN.\n",
    )
    result = site.build_cli("-o", "-")
    assert result.exit_code == 0, result.output
    return result.stdout


def test_toml_text_in_tables_keeps_the_text_written(site: Site) -> None:
    """`persons = [{name = 1.10}]` was published as "1.1" (a chapter's title, a value
    recipient's name, a keyword too); `name = true` and a date were refused as 'must be text'
    (got True, datetime.date(…))."""
    feed = _build(
        site,
        'persons = [{name = 1.10, role = "host"}, {name = true}, {name = 1979-05-27T07:32:00Z}]\n'
        "location = {name = 2024-01-02, country = 'NO'}\n"
        "chapters = [{start = 0, title = 2.50}]\n"
        'tags = ["x", 1.10, 1_000]\n'
        '[[value]]\ntype = "lightning"\nmethod = "keysend"\n'
        f'[[value.recipients]]\nname = 1.10\ntype = "node"\naddress = "{NODE}"\nsplit = 1_00\n',
    )
    assert '<podcast:person role="host">1.10</podcast:person>' in feed
    assert "<podcast:person>true</podcast:person>" in feed
    assert "<podcast:person>1979-05-27T07:32:00Z</podcast:person>" in feed
    assert '<podcast:location country="NO">2024-01-02</podcast:location>' in feed
    assert '<psc:chapter start="00:00:00" title="2.50"/>' in feed
    assert "<category>1.10</category>" in feed
    assert "<category>1_000</category>" in feed
    assert f'name="1.10" type="node" address="{NODE}" split="100"' in feed


def test_toml_text_in_tables_is_found_in_order(site: Site) -> None:
    """Two values TOML reads alike (1.1 and 1.10) keep their own spellings."""
    feed = _build(
        site,
        "persons = [\n  { name = 1.1 }, # 1.10\n  { name = 1.10 },\n]\ntags = [1.1,\n  1.10]\n",
    )
    assert "<podcast:person>1.1</podcast:person>" in feed
    assert "<podcast:person>1.10</podcast:person>" in feed
    assert "<category>1.1</category>\n      <category>1.10</category>" in feed


def test_toml_numbers_in_tables_stay_numbers(site: Site) -> None:
    """TOML writes its bases on purpose: a chapter at `start = 0x10` is at 16 seconds."""
    feed = _build(site, "chapters = [{start = 0, title = 'a'}, {start = 0x10, title = 'b'}]\n")
    assert '<psc:chapter start="00:00:16" title="b"/>' in feed


def test_feed_toml_numbers_in_text_keys_keep_the_text_written(site: Site) -> None:
    """feed.toml's `persons = [{name = 1.10}]` (a funding text, a trailer's title, a value
    recipient's name …) was published as "1.1"; a boolean there is still refused, as at the
    top level."""
    site.show(
        'persons = [{ name = 1.10 }]\nfunding = [{ url = "https://e.org/f", text = 2.50 }]\n'
        'txt = [{ text = 1_000 }]\n[show.license]\nname = "x"\nurl = "https://e.org/l"\n'
        '[[show.value]]\ntype = "lightning"\nmethod = "keysend"\n'
        f'[[show.value.recipients]]\nname = 1.10\ntype = "node"\naddress = "{NODE}"\nsplit = 1\n'
    )
    feed = _build(site, "")
    assert "<podcast:person>1.10</podcast:person>" in feed
    assert '<podcast:funding url="https://e.org/f">2.50</podcast:funding>' in feed
    assert "<podcast:txt>1_000</podcast:txt>" in feed
    assert f'name="1.10" type="node" address="{NODE}" split="1"' in feed
    site.show("persons = [{ name = true }]\n")
    result = site.build_cli("-o", "-")
    assert result.exit_code == 1
    assert "feed.toml:13: error: [show] 'persons' must be text (got True)" in result.stderr
