"""PURE: the static show page, `index.html` beside the feed, and a page per episode.

Rendered with Jinja2 (autoescaping on) from the templates in podcastfeed/templates/, or from a
show's own folder searched first. Show notes are HTML already sanitized by source/shownotes.py:
they are the one value marked safe. Same inputs, same bytes: no clock, episodes in feed order.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Protocol, TypeVar
from urllib.parse import quote

import jinja2
from markupsafe import Markup

from podcastfeed.model import AudioInfo, Episode, Linked, LocalImage, Show
from podcastfeed.render import pagefast, templating
from podcastfeed.render.feed import enclosure_for, sort_episodes
from podcastfeed.values import format_clock

#: How the page names the apps of `[show] subscribe`; any other key is shown as written.
APP_NAMES = {
    "apple": "Apple Podcasts",
    "spotify": "Spotify",
    "podcastindex": "Podcast Index",
    "pocketcasts": "Pocket Casts",
    "overcast": "Overcast",
    "youtube": "YouTube Music",
    "amazon": "Amazon Music",
    "castbox": "Castbox",
    "podcastaddict": "Podcast Addict",
    "antennapod": "AntennaPod",
    "fountain": "Fountain",
}
_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


@dataclass(frozen=True)
class Page:
    """One HTML file of the site: where it goes (relative to the output folder) and how to
    render it. Rendered on demand and in pieces: the index of a 10,000-episode show is hundreds
    of MB, which is never held whole unless `content` is asked for."""

    path: str
    render: Callable[[], Iterator[str]]

    def pieces(self) -> Iterator[bytes]:
        for piece in self.render():
            yield piece.encode("utf-8")

    @property
    def content(self) -> bytes:
        return b"".join(self.pieces())


class Blocks(Protocol):
    """Episodes' blocks of the show page as last rendered (output/fragments.ShowBlocks)."""

    def get(self, episode: Episode, assets_path: str) -> str | None: ...

    def put(self, episode: Episode, assets_path: str, html: str) -> None: ...


def episode_slug(episode: Episode) -> str:
    """The episode's page folder: its path in the episodes folder without the suffix, so
    `season1/intro.md` and `season2/intro.md` get pages of their own, which stay where they
    are when other episodes come and go."""
    return episode.slug or episode.source.stem


def render_pages(
    show: Show,
    episodes: Sequence[Episode],
    audio: Mapping[str, AudioInfo],
    *,
    pages: bool = True,
    templates_dir: Path | None = None,
    audio_src: Callable[[Episode], str] | None = None,
    assets_path: str = "",
    config_path: Path | None = None,
    blocks: Blocks | None = None,
) -> list[Page]:
    """The show page and (with `pages`) one page per episode.

    Args:
        audio_src: the player's source for an episode; default the enclosure URL (`serve`
            points it at the local file).
        assets_path: the feed's folder (where transcripts and chapters are) relative to the
            pages' folder, "" when they are the same, else ending in "/".
        blocks: each episode's block of the show page as rendered before, taken instead of
            rendering it again while the packaged `_episode.html` is the one used (issue 18).

    Raises:
        ConfigError: a template of the show's own folder is broken or extends itself (naming
            the template and line; `config_path` when there is no better place). A template
            that another includes is loaded while the page renders: the Page raises it then.
    """
    with templating.template_errors(templates_dir, config_path):
        found = _render(show, episodes, audio, pages, templates_dir, audio_src, assets_path, blocks)
    return [Page(p.path, templating.guarded(p.render, templates_dir, config_path)) for p in found]


def _render(
    show: Show,
    episodes: Sequence[Episode],
    audio: Mapping[str, AudioInfo],
    pages: bool,
    templates_dir: Path | None,
    audio_src: Callable[[Episode], str] | None,
    assets_path: str,
    blocks: Blocks | None,
) -> list[Page]:
    env = templating.environment(templates_dir)
    env.globals["episode_block"] = _episode_block(env, None if audio_src else blocks, assets_path)
    views = [
        _EpisodeView(episode, episode_slug(episode), audio, audio_src, pages)
        for episode in sort_episodes(episodes)
    ]
    apps = [(APP_NAMES.get(key.lower(), key), url) for key, url in show.subscribe]
    if not any(key.lower() == "podcastindex" for key, _url in show.subscribe):
        search = "https://podcastindex.org/search?type=url&q=" + quote(show.feed_url, safe="")
        apps.append(("Podcast Index", search))
    if show.image_file is not None:  # its name as a URL path, as the episodes' files'
        show = replace(show, image_file=_as_url(show.image_file))
    context = {"show": show, "episodes": views, "root": "", "assets": assets_path, "apps": apps}
    fast = _fast_pages(env, show, apps) if pages else None
    index = env.get_template("index.html")
    episode_page = env.get_template("episode.html") if pages and fast is None else None
    found = [Page("index.html", lambda: index.generate(context))]
    for view in views if pages else ():
        up = "../" * (2 + view.slug.count("/"))  # episodes/<slug>/index.html
        page = {"show": show, "e": view, "root": up, "assets": up + assets_path, "apps": apps}
        page["home"] = up + "index.html"
        # one piece: a page is small, and a write per template fragment is slow
        made: Callable[[], str]
        if fast is not None:
            made = functools.partial(fast.render, view, up + "index.html", up + assets_path)
        else:
            made = functools.partial(episode_page.render, page)  # type: ignore[union-attr]
        found.append(Page(f"episodes/{view.slug}/index.html", functools.partial(_one, made)))
    return found


def _one(made: Callable[[], str]) -> Iterator[str]:
    yield made()


def _fast_pages(env: jinja2.Environment, show: Show, apps: Any) -> pagefast.EpisodePages | None:
    """The episode pages made without Jinja2 (pagefast.py), while base.html, episode.html,
    _episode.html and _subscribe.html are the packaged ones it was written for."""
    if not _packaged(env, pagefast.NAMES):
        return None
    try:
        return pagefast.EpisodePages(env, show, apps)
    except ValueError:
        return None


def _packaged(env: jinja2.Environment, names: Sequence[str]) -> bool:
    """Whether the templates `names` are the packaged ones pagefast.py renders."""
    assert env.loader is not None
    for name in names:
        try:
            source, filename, _uptodate = env.loader.get_source(env, name)
        except jinja2.TemplateError:
            return False
        if filename != str(_TEMPLATES / name):
            return False
        if pagefast.templates_digest(name, source) != pagefast.DIGESTS.get(name):
            return False
    return True


def _episode_block(env: jinja2.Environment, blocks: Blocks | None, assets_path: str) -> Any:
    """The show page's `episode_block(e, loop)`: the episode's `_episode.html` as an include
    inside the loop would render it, or its block as rendered before (`blocks`) when that
    template is the packaged one, whose output is made of the episode and the assets path
    alone (a show's own may read `loop` or anything else)."""
    state: list[bool] = []  # [the packaged template, rendered by pagefast.py]

    @jinja2.pass_context
    def render(context: jinja2.runtime.Context, view: _EpisodeView, loop: Any) -> Markup:
        if not state:
            fast = _packaged(env, ("_episode.html",))
            template = None if fast else env.get_template("_episode.html")
            state[:] = [fast or template.filename == _PACKAGED_EPISODE, fast]  # type: ignore[union-attr]
        packaged, fast = state
        episode = view._episode
        if packaged and blocks is not None:
            found = blocks.get(episode, assets_path)
            if found is not None:
                return Markup(found)
        assets = context.get("assets")
        if fast and isinstance(assets, str):
            html = pagefast.episode_block(view, 3, view.page_href, assets)
        else:
            names = {"e": view, "loop": loop, "level": 3, "title_href": view.page_href}
            html = env.get_template("_episode.html").render({**context.get_all(), **names})
        if packaged and blocks is not None:
            blocks.put(episode, assets_path, html)
        return Markup(html)

    return render


_TEMPLATES = Path(__file__).parent.parent / "templates"
_PACKAGED_EPISODE = str(_TEMPLATES / "_episode.html")


_HEADING = re.compile(r"<(/?)h([1-6])\b", re.IGNORECASE)
_PLAIN = re.compile(r"[A-Za-z0-9_./~-]*")  # what quote() leaves as it is


def _demote(html: str, level: int) -> str:
    """The notes' headings go below the episode title's level (`level`), their levels made
    consecutive (h2, h4 -> h4, h5 under an h3), so the page's outline stays in order."""
    used = sorted({int(m[2]) for m in _HEADING.finditer(html)})
    new = {old: min(6, level + 1 + rank) for rank, old in enumerate(used)}
    return _HEADING.sub(lambda m: f"<{m[1]}h{new[int(m[2])]}", html)


_Published = TypeVar("_Published", Linked | None, LocalImage | None)


def _as_url(found: _Published) -> _Published:
    """A transcript, chapters file or image with its name in the feed's folder as a URL path
    (templates join it to the assets path in an href), for a name with spaces, `#`, `?`, `%`."""
    name = found.published_as if found is not None else None
    if found is None or name is None or (url := quote(name)) == name:
        return found
    return replace(found, published_as=url)


class _EpisodeView:
    """What the templates read of an episode; the notes are made only when a template asks
    (holding them for every episode of a large show at once would take GBs)."""

    def __init__(
        self,
        episode: Episode,
        slug: str,
        audio: Mapping[str, AudioInfo],
        audio_src: Callable[[Episode], str] | None,
        pages: bool,
    ) -> None:
        self._episode = episode
        self.slug = slug
        # (hrefs are URLs: a file named "a #1.md" is at "episodes/a%20%231/index.html")
        href = slug if _PLAIN.fullmatch(slug) else quote(slug)  # (10,000 quote calls: 6 ms)
        self.page_href = f"episodes/{href}/index.html" if pages else None
        self._made = (audio, audio_src)  # the rest when a template first asks (_make): the
        # show page takes most episodes' blocks as rendered before (fragments.ShowBlocks)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_") or "_made" not in self.__dict__:
            raise AttributeError(name)
        self._make(*self.__dict__.pop("_made"))
        return getattr(self, name)

    def _make(
        self, audio: Mapping[str, AudioInfo], audio_src: Callable[[Episode], str] | None
    ) -> None:
        episode = self._episode
        assert episode.audio is not None  # published episodes have audio
        enclosure = enclosure_for(episode, audio.get(episode.audio.url))
        tags = episode.tags
        day = episode.date
        self.title = episode.title
        self.iso_date = day.date().isoformat()
        self.date = f"{day.day} {_MONTHS[day.month - 1]} {day.year}"
        self.duration = format_clock(enclosure.duration)
        self.number = episode.number
        self.audio_src = audio_src(episode) if audio_src else enclosure.url
        self.mime_type = enclosure.mime_type
        self.chapters = [
            {
                "seconds": int(c.start),
                "start": format_clock(c.start),
                "title": c.title,
                "url": c.url,
            }
            for c in tags.inline_chapters
        ]
        self.chapters_file = _as_url(tags.chapters)
        self.transcripts = [_as_url(t) for t in tags.transcripts]
        self.persons = list(tags.persons)

    # sanitized by shownotes.py (nh3): the one value not escaped
    @property
    def notes(self) -> Markup:
        return Markup(_demote(self._episode.notes_html, 3))  # under the index's <h3> title

    @property
    def summary(self) -> Markup:
        """The short description (sanitized, <= 4,000 bytes): what the index shows when the
        episode has a page of its own for the full notes."""
        return Markup(self._episode.description or "")

    @property
    def page_notes(self) -> Markup:
        return Markup(_demote(self._episode.notes_html, 1))  # under the page's <h1>
