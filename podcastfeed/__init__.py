"""podcastfeed: episode files and their audio in, a correct podcast RSS feed out.

The library API is every name in `__all__`, imported on first use (PEP 562), so that
`import podcastfeed` and `podcastfeed --help` load none of lxml, Jinja2, requests or mutagen
(issue 13). README.md, "As a library", shows it at work.
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

#: Public name -> "module:attribute". The one place that says where each name lives.
_API = {
    # build: load -> probe -> check -> render; write_report writes what it made
    "build": "podcastfeed.build:build",
    "write_report": "podcastfeed.build:write_report",
    "BuildReport": "podcastfeed.build:BuildReport",
    "ProbeOptions": "podcastfeed.media.probing:ProbeOptions",
    # a show and its episodes
    "load_config": "podcastfeed.source.config:load_config",
    "Config": "podcastfeed.source.config:Config",
    "BuildSettings": "podcastfeed.source.config:BuildSettings",
    "read_episode": "podcastfeed.source.episodes:read_episode",
    # audio: a file, or a URL through a session
    "probe_file": "podcastfeed.media.audio:probe_file",
    "probe_url": "podcastfeed.media.remote:probe_url",
    "RemoteAudio": "podcastfeed.media.remote:RemoteAudio",
    "make_session": "podcastfeed.net.fetch:make_session",
    "USER_AGENT": "podcastfeed.net.limits:USER_AGENT",
    # the rules of `podcastfeed check`
    "lint_data": "podcastfeed.lint.runner:lint_data",
    "feed_for": "podcastfeed.build:feed_for",
    "run_rules": "podcastfeed.lint.runner:run",
    "all_rules": "podcastfeed.lint.runner:all_rules",
    "Feed": "podcastfeed.lint.base:Feed",
    "Finding": "podcastfeed.lint.base:Finding",
    "Rule": "podcastfeed.lint.base:Rule",
    # errors and exit codes
    "PodcastfeedError": "podcastfeed.errors:PodcastfeedError",
    "ConfigError": "podcastfeed.errors:ConfigError",
    "EpisodeError": "podcastfeed.errors:EpisodeError",
    "ProbeError": "podcastfeed.errors:ProbeError",
    "BuildFailed": "podcastfeed.errors:BuildFailed",
    "Problem": "podcastfeed.errors:Problem",
    "ExitCode": "podcastfeed.errors:ExitCode",
    # the model
    "Show": "podcastfeed.model:Show",
    "Owner": "podcastfeed.model:Owner",
    "Category": "podcastfeed.model:Category",
    "Person": "podcastfeed.model:Person",
    "Episode": "podcastfeed.model:Episode",
    "Audio": "podcastfeed.model:Audio",
    "AudioInfo": "podcastfeed.model:AudioInfo",
    "Chapter": "podcastfeed.model:Chapter",
}

__all__ = [
    "USER_AGENT",
    "Audio",
    "AudioInfo",
    "BuildFailed",
    "BuildReport",
    "BuildSettings",
    "Category",
    "Chapter",
    "Config",
    "ConfigError",
    "Episode",
    "EpisodeError",
    "ExitCode",
    "Feed",
    "Finding",
    "Owner",
    "Person",
    "PodcastfeedError",
    "ProbeError",
    "ProbeOptions",
    "Problem",
    "RemoteAudio",
    "Rule",
    "Show",
    "all_rules",
    "build",
    "feed_for",
    "lint_data",
    "load_config",
    "make_session",
    "probe_file",
    "probe_url",
    "read_episode",
    "run_rules",
    "write_report",
]

if TYPE_CHECKING:
    from podcastfeed.build import BuildReport, build, feed_for, write_report
    from podcastfeed.errors import (
        BuildFailed,
        ConfigError,
        EpisodeError,
        ExitCode,
        PodcastfeedError,
        ProbeError,
        Problem,
    )
    from podcastfeed.lint.base import Feed, Finding, Rule
    from podcastfeed.lint.runner import all_rules, lint_data
    from podcastfeed.lint.runner import run as run_rules
    from podcastfeed.media.audio import probe_file
    from podcastfeed.media.probing import ProbeOptions
    from podcastfeed.media.remote import RemoteAudio, probe_url
    from podcastfeed.model import Audio, AudioInfo, Category, Chapter, Episode, Owner, Person, Show
    from podcastfeed.net.fetch import make_session
    from podcastfeed.net.limits import USER_AGENT
    from podcastfeed.source.config import BuildSettings, Config, load_config
    from podcastfeed.source.episodes import read_episode


def __getattr__(name: str) -> Any:
    try:
        module, _, attribute = _API[name].partition(":")
    except KeyError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
    value = getattr(importlib.import_module(module), attribute)
    globals()[name] = value  # found directly from now on
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_API})


class _Package(types.ModuleType):
    """Keeps `podcastfeed.build` the function when the module podcastfeed.build is loaded: the
    import system then sets the package's attribute to the submodule, as an eager
    `from podcastfeed.build import build` here would have overridden it."""

    def __setattr__(self, name: str, value: Any) -> None:
        module, _, attribute = _API.get(name, "").partition(":")
        if isinstance(value, types.ModuleType) and value.__name__ == module:
            value = getattr(value, attribute)
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
