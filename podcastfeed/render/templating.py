"""The Jinja2 environment of the show page and episode pages, and what becomes of a
template's errors: the show's own templates first (none read from outside their folder), then
the packaged ones; sandboxed; an error in a template named with its file and line.
"""

from __future__ import annotations

import contextlib
import os
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from podcastfeed.errors import ConfigError


def guarded(
    render: Callable[[], Iterator[str]], templates_dir: Path | None, config_path: Path | None
) -> Callable[[], Iterator[str]]:
    def run() -> Iterator[str]:
        with template_errors(templates_dir, config_path):
            yield from render()

    return run


@contextlib.contextmanager
def template_errors(templates_dir: Path | None, config_path: Path | None) -> Iterator[None]:
    """Jinja2's errors as ConfigErrors naming the template and line."""
    try:
        yield
    except jinja2.TemplateSyntaxError as exc:
        where = Path(exc.filename) if exc.filename else templates_dir
        raise ConfigError(f"template: {exc.message}", source=where, line=exc.lineno) from exc
    except jinja2.TemplateError as exc:
        raise ConfigError(f"template: {exc}", source=templates_dir or config_path) from exc
    except RecursionError as exc:
        raise ConfigError(
            "template: a template extends or includes itself",
            source=templates_dir,
            hint='extend the packaged one by name: {% extends "podcastfeed/index.html" %}',
        ) from exc
    except (ArithmeticError, LookupError, TypeError, ValueError) as exc:
        place = _template_frame(exc)  # `{{ 1 / 0 }}`, `{{ "%d" % "a" }}` in a template
        if place is None:
            raise  # not the template's doing: a bug, with its traceback
        message = f"template: {type(exc).__name__}: {exc}"
        raise ConfigError(message, source=place[0], line=place[1]) from exc


def _template_frame(exc: BaseException) -> tuple[Path, int] | None:
    """The template file and line an error was raised from, when it was raised by a
    template's own code or by Jinja2 for it (not by podcastfeed's code a template called)."""
    found: tuple[Path, int] | None = None
    last = ""
    for frame, line in traceback.walk_tb(exc.__traceback__):
        last = frame.f_code.co_filename
        if last.endswith((".html", ".htm", ".xml", ".txt")):
            found = (Path(last), line)
    mine = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    return None if found is None or last.startswith(mine + os.sep) else found


class _InsideLoader(jinja2.FileSystemLoader):
    """The show's templates, refusing a template that a symbolic link leads out of the folder
    (it would be published: `{% include "notes.txt" %}` linked to /etc/passwd)."""

    def __init__(self, folder: Path) -> None:
        super().__init__(folder)
        self.folder = folder.resolve()

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        source, filename, uptodate = super().get_source(environment, template)
        if not Path(filename).resolve().is_relative_to(self.folder):
            raise jinja2.TemplateError(
                f"{template} is outside the templates folder (a link leads to "
                f"{Path(filename).resolve()})"
            )
        return source, filename, uptodate


def environment(templates_dir: Path | None) -> jinja2.Environment:
    # The package's templates also answer as "podcastfeed/<name>", so a show's own index.html
    # can extend the one it replaces.
    package = jinja2.PackageLoader("podcastfeed", "templates")
    loaders: list[jinja2.BaseLoader] = [package, jinja2.PrefixLoader({"podcastfeed": package})]
    if templates_dir is not None:
        loaders.insert(0, _InsideLoader(templates_dir))
    # Sandboxed: a template from a theme found online cannot reach Python's internals
    # (`{{ show.__class__.__init__.__globals__ }}` and on to os.system) while CI builds.
    return SandboxedEnvironment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
        auto_reload=False,  # one build: not a stat of each included template for each page
    )
