"""PURE: the packaged episode templates (`episode.html`, `_episode.html`) as plain Python, for
the pages of a build whose templates are all the packaged ones (issue 18).

Jinja2 costs ~0.5 ms per episode page (a context, an attribute lookup through the environment
and an escape call per value); these functions make the same bytes in a tenth of that. They
are used only while the packaged templates are the very ones they were written for
(`DIGESTS`, checked at run time): an edited template is rendered by Jinja2 until this
module follows it, and tests/test_pagefast.py compares both on many hostile episodes. The
parts of the page that depend on the show alone (base.html around the blocks, the subscribe
box) are rendered once per build by Jinja2 itself.
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

import jinja2
from markupsafe import escape

#: What the packaged templates hold, as this module renders them (`templates_digest`).
DIGESTS = {
    "base.html": "c59bc900dd2b900801a86aa24240ad08",
    "episode.html": "828b8633586b454756cc3a3db2d620d2",
    "_episode.html": "3fc5d3f46f23ea8057fee5d5ea007a8c",
    "_subscribe.html": "6602288a3ffffd3d5a22d09d22e7d11d",
}
NAMES = tuple(DIGESTS)


def templates_digest(name: str, source: str) -> str:
    """A template's digest, as DIGESTS holds it."""
    data = name.encode() + b"\0" + source.encode("utf-8")
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def episode_block(e: Any, level: int, title_href: str | None, assets: str) -> str:
    """`_episode.html` for the view `e` (render/page.py's _EpisodeView)."""
    slug = escape(e.slug)
    src = escape(e.audio_src)
    title = escape(e.title)
    out = ['<article class="episode" id="', slug, '">\n<h', str(level), ">"]
    if title_href:
        out += ['<a href="', escape(title_href), '">', title, "</a>"]
    else:
        out.append(title)
    out += [
        "</h",
        str(level),
        '>\n<p class="meta"><time datetime="',
        escape(e.iso_date),
        '">',
        escape(e.date),
        '</time> · <span class="duration" title="duration">',
        escape(e.duration),
        "</span>",
    ]
    if e.number:
        out += [" · episode ", escape(e.number)]
    out += [
        '</p>\n<audio id="player-',
        slug,
        '" controls preload="none" src="',
        src,
        '"><a href="',
        src,
        '">Download the episode (',
        escape(e.mime_type),
        ')</a></audio>\n<div class="notes">\n',
    ]
    if level == 1:
        out.append(escape(e.page_notes))
    elif e.page_href:
        out += ['<div class="summary">', escape(e.summary), '</div>\n<p><a href="']
        out += [escape(e.page_href), '">Show notes</a></p>']
    else:
        out.append(escape(e.notes))
    out.append("</div>\n")
    sub = str(level + 1)
    if e.chapters:
        out += ["<h", sub, ">Chapters</h", sub, '>\n<ol class="chapters">\n']
        for c in e.chapters:
            seconds = escape(c["seconds"])
            out += ['<li><a href="', src, "#t=", seconds, '" data-seek="', seconds]
            out += ['" data-player="player-', slug, '">', escape(c["start"]), "</a> "]
            if c["url"]:
                out += ['<a href="', escape(c["url"]), '">', escape(c["title"]), "</a>"]
            else:
                out.append(escape(c["title"]))
            out.append("</li>\n")
        out.append("</ol>\n")
    if e.persons:
        out += ["<h", sub, ">People</h", sub, '>\n<ul class="persons">\n']
        for p in e.persons:
            out.append("<li>")
            if p.href:
                out += ['<a href="', escape(p.href), '">', escape(p.name), "</a>"]
            else:
                out.append(escape(p.name))
            if p.role:
                out += [" (", escape(p.role), ")"]
            out.append("</li>\n")
        out.append("</ul>\n")
    if e.transcripts or e.chapters_file:
        out.append('<p class="links">\n')
        for t in e.transcripts:
            href = _join(assets, t.published_as) if t.published_as else t.url
            out += ['<a href="', escape(href), '" type="', escape(t.mime_type), '">Transcript']
            if t.language:
                out += [" (", escape(t.language), ")"]
            out.append("</a> ")
        c = e.chapters_file
        if c:
            href = _join(assets, c.published_as) if c.published_as else c.url
            out += ['<a href="', escape(href), '" type="application/json">Chapters (JSON)</a>']
        out.append("</p>\n")
    out.append("</article>\n")
    return "".join(out)


def _join(left: Any, right: Any) -> Any:
    """Jinja2's `~` under autoescape (markup_join): Markup when either side is."""
    if hasattr(left, "__html__") or hasattr(right, "__html__"):
        return escape(left) + escape(right)
    return str(left) + str(right)


class EpisodePages:
    """`episode.html` for one show: base.html's parts and the subscribe box rendered once."""

    def __init__(self, env: jinja2.Environment, show: Any, apps: Any) -> None:
        mark = "@@podcastfeed-" + secrets.token_hex(8) + "@@"
        source = (
            '{% extends "base.html" %}{% block title %}' + mark + "{% endblock %}"
            "{% block body %}" + mark + "{% endblock %}"
        )
        parts = env.from_string(source).render(show=show).split(mark)
        if len(parts) != 3:  # a show value holding the mark: not to be cut at it
            raise ValueError("base.html could not be cut")
        self.head, self.middle, self.tail = parts
        self.subscribe = env.get_template("_subscribe.html").render(show=show, apps=apps)
        self.title = escape(show.title)

    def render(self, e: Any, home: str, assets: str) -> str:
        return "".join(
            (
                self.head,
                escape(e.title),
                " · ",
                self.title,
                self.middle,
                '<main>\n<p><a href="',
                escape(home),
                '">← ',
                self.title,
                "</a></p>\n",
                episode_block(e, 1, None, assets),
                self.subscribe,
                "</main>\n",
                self.tail,
            )
        )
