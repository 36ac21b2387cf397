"""Template syntax in Markdown show notes that the site's generator replaces before anyone reads
them: Hugo's shortcodes (`{{< youtube ID >}}`, `{{% notice %}}…{{% /notice %}}`) and Jekyll's
Liquid (`{% include audio.html %}`, `{{ page.podcast_link }}`). What the site's page would show
is kept (a video, a front-matter value, a paired shortcode's text); the rest is left out rather
than published as `{{< … >}}`. Code spans and fenced code stay as written. Pure."""

from __future__ import annotations

import re
from collections.abc import Mapping
from html import escape

_SYNTAX = re.compile(
    r"(?P<fence>^[ ]{0,3}(?P<mark>```+|~~~+)[^\n]*\n.*?(?:^[ ]{0,3}(?P=mark)[ \t]*$|\Z))"
    r"|(?P<code>(?P<ticks>`+)[^`].*?(?P=ticks))"
    r"|\{\{(?P<hkind>[<%])/\*(?P<escaped>.*?)\*/(?P<hend>[>%])\}\}"
    # (arguments of at most 200 characters: no rescanning of the notes for each `{{<`)
    r"|\{\{<\s*(?P<sclose>/)?\s*(?P<sname>[\w./-]+)(?P<sargs>.{0,200}?)\s*>\}\}"
    r"|\{\{%\s*(?P<pclose>/)?\s*(?P<pname>[\w./-]+)(?P<pargs>.{0,200}?)\s*%\}\}"
    # (an unclosed raw or comment keeps the rest as written: one scan, however many)
    r"|\{%-?\s*raw\s*-?%\}(?P<raw>.*?)(?:\{%-?\s*endraw\s*-?%\}|\Z)"
    r"|\{%-?\s*comment\s*-?%\}.*?(?P<endc>\{%-?\s*endcomment\s*-?%\}|\Z)"
    r"|\{%-?\s*[a-z_]+\b[^%]*?-?%\}"
    r"|\{\{-?\s*(?P<var>[A-Za-z_][\w]*(?:\.[\w-]+)*)\s*(?:\|[^{}]*?)?-?\}\}",
    re.MULTILINE | re.DOTALL,
)

#: A shortcode's arguments: `ID`, `id="ID"`, `src='x.png'`.
_ARG = re.compile(r"""(?:([\w-]+)=)?(?:"([^"]*)"|'([^']*)'|([^\s"']+))""")

#: Jekyll's Liquid objects: `{{ page.x }}` and its kin are the site's; any other `{{ name }}`
#: is left as written (notes about Vue, Angular or Handlebars write `{{ message }}` as text, and
#: Hugo or a show without a site generator never replaces it).
_LIQUID_OBJECTS = frozenset({"page", "site", "layout", "include", "content", "paginator", "jekyll"})

_PLAYERS = {
    "youtube": "https://www.youtube.com/embed/{}",
    "vimeo": "https://player.vimeo.com/video/{}",
}


def expand_templates(body: str, meta: Mapping[str, object]) -> str:
    """`body` with Hugo's shortcodes and Liquid's tags replaced by what the page shows;
    `meta`: the front matter, for `{{ page.key }}`. Text without `{{` or `{%` is returned
    as it is."""
    brace = body.find("{")  # (one memchr: `"{{" in body` is 20x slower on non-ASCII notes)
    if brace < 0 or ("{{" not in body[brace:] and "{%" not in body[brace:]):
        return body
    return _SYNTAX.sub(lambda m: _replace(m, meta), body)


def _replace(m: re.Match[str], meta: Mapping[str, object]) -> str:
    if m["fence"] is not None or m["code"] is not None:
        return m[0]
    if m["escaped"] is not None:  # {{</* x */>}}: Hugo's way to show a shortcode
        return "{{" + m["hkind"] + m["escaped"] + m["hend"] + "}}"
    if m["raw"] is not None:
        return m["raw"]
    if m["endc"] == "":  # an unclosed comment: Jekyll would stop; the text stays
        return m[0]
    if m["sname"] is not None:
        return "" if m["sclose"] else _shortcode(m["sname"], m["sargs"])
    if m["var"] is not None:
        scope, _, key = m["var"].partition(".")
        if scope not in _LIQUID_OBJECTS:  # `{{ message }}` in a Vue episode's notes: text
            return m[0]
        value = meta.get(key) if scope == "page" else None
        return str(value) if isinstance(value, str | int | float) else ""
    return ""  # {{% x %}} markers (their text stays), other Liquid tags, comments


def _shortcode(name: str, args: str) -> str:
    """What Hugo's built-in shortcode `name` shows: a player, a picture; others nothing."""
    found = [(key, next((v for v in values if v), "")) for key, *values in _ARG.findall(args)]
    named = {key: value for key, value in found if key}
    plain = [value for key, value in found if not key]
    if name in _PLAYERS:
        video = named.get("id") or next(iter(plain), "")
        if re.fullmatch(r"[\w-]+", video):
            return f'<iframe src="{_PLAYERS[name].format(video)}"></iframe>'
        return ""
    if name == "figure" and named.get("src"):
        alt = named.get("alt") or named.get("caption") or named.get("title") or ""
        return f'<img src="{escape(named["src"])}" alt="{escape(alt)}"/>'
    return ""
