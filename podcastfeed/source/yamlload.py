"""The safe YAML of front matter: every load goes through LimitedLoader (alias bombs refused
before anything is built, issue 12; numbers bounded; a date that does not exist left as its
text), and the file lines of what YAML could not read."""

from __future__ import annotations

from typing import Any

import yaml

from podcastfeed.errors import shorten
from podcastfeed.source.yamlfast import MAX_INT_BITS, NOT_PLAIN, fast_load

#: Issue 12: the most nodes YAML aliases may add to a document (a 2 KB "billion laughs" adds
#: 9**9); a scalar counts one node per 100 characters. Nesting is capped by libyaml (1,000).
ALIAS_BUDGET = 10_000
_SafeLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml: 10x faster


class YAMLLimitError(yaml.MarkedYAMLError):
    """YAML refused before it is built: aliases that expand too far, or refer to themselves."""


class _AliasLimit:
    """yaml's safe loader, refusing alias bombs after composing, in milliseconds and before any
    value is built (PyYAML builds shared values cheaply; our checks and messages then walked
    them for minutes)."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)  # type: ignore[call-arg]
        self._has_anchor = "&" in stream  # no anchor, no alias: nothing to count (the hot path)

    def get_single_node(self) -> yaml.Node | None:
        node: yaml.Node | None = super().get_single_node()  # type: ignore[misc]
        if node is not None and self._has_anchor:
            _check_aliases(node)
        return node


class LimitedLoader(_AliasLimit, _SafeLoader):  # type: ignore[misc]
    """The safe loader on libyaml with the alias limit. Every YAML load in podcastfeed goes
    through it."""


class PurePythonLoader(_AliasLimit, yaml.SafeLoader):
    """The same on PyYAML's pure-Python parser: the values are the same as LimitedLoader's
    (tests/test_front_matter_yaml.py); LimitedLoader is this one where libyaml is missing."""


class WrittenLoader(LimitedLoader):
    """LimitedLoader, but booleans, numbers and dates come back as the text the file has."""


def _as_written(loader: WrittenLoader, node: yaml.ScalarNode) -> str:
    return str(loader.construct_scalar(node))


def _bounded_int(loader: Any, node: yaml.ScalarNode) -> int:
    """YAML's int, refused past MAX_INT_BITS: `0x` and 5,000 digits was a number that str()
    and every message quoting it refused with a traceback."""
    try:  # (int() refuses more than 4,300 decimal digits, in Python's words)
        value = int(yaml.SafeLoader.construct_yaml_int(loader, node))
    except ValueError:
        value = 1 << (MAX_INT_BITS + 1)
    if value.bit_length() > MAX_INT_BITS:
        problem = "has a number too large to read (over 4,000 decimal digits)"
        raise yaml.constructor.ConstructorError(None, None, problem, node.start_mark)
    return value


def _timestamp_or_text(loader: Any, node: yaml.ScalarNode) -> object:
    """YAML's date, or its text when it names none (`2024-02-30`, an offset of 25 hours): the
    field that reads it says what is wrong at its line ("front matter is not valid YAML",
    of valid YAML, and for any key holding such text)."""
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except (ValueError, TypeError):
        return str(loader.construct_scalar(node))


for _loader in (LimitedLoader, PurePythonLoader):
    _loader.add_constructor("tag:yaml.org,2002:int", _bounded_int)
    _loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_or_text)
for _tag in ("bool", "int", "float", "timestamp"):
    WrittenLoader.add_constructor(f"tag:yaml.org,2002:{_tag}", _as_written)


#: What reading YAML front matter can raise (a syntax error, a refused alias bomb, a bad value).
YAML_ERRORS = (yaml.YAMLError, ValueError, TypeError)


def load_yaml(text: str) -> Any:
    """Safe YAML with the alias budget and depth limit (raises yaml.YAMLError): a plain
    mapping straight from libyaml's events (yamlfast.py), anything else through LimitedLoader."""
    value = fast_load(text)
    return yaml.load(text, Loader=LimitedLoader) if value is NOT_PLAIN else value


class _SelfReference(Exception):
    pass


def _check_aliases(root: yaml.Node) -> None:
    """Refuse a document whose aliases add more than ALIAS_BUDGET nodes, or refer to
    themselves; blames the top-level key whose value crosses the budget."""
    sizes: dict[int, int] = {}  # id(node) -> expanded size, so shared nodes are counted once
    active: set[int] = set()
    own = 0  # the size of the document as written

    def expanded(node: yaml.Node) -> int:
        nonlocal own
        key = id(node)
        if key in sizes:
            return sizes[key]
        if key in active:
            raise _SelfReference
        active.add(key)
        if isinstance(node, yaml.ScalarNode):
            size = 1 + len(node.value) // 100
            own += size
        elif isinstance(node, yaml.SequenceNode):
            own += 1
            size = 1 + sum(expanded(child) for child in node.value)
        else:
            own += 1
            size = 1 + sum(expanded(k) + expanded(v) for k, v in node.value)
        active.discard(key)
        sizes[key] = size
        return size

    pairs = root.value if isinstance(root, yaml.MappingNode) else [(None, root)]
    total = 0
    for name, value in pairs:
        label = f"{shorten(name.value)} " if isinstance(name, yaml.ScalarNode) else ""
        mark = (name or value).start_mark
        try:
            total += (expanded(name) if name is not None else 0) + expanded(value)
        except _SelfReference:
            problem = f"{label}uses a YAML alias inside its own anchor"
            raise YAMLLimitError(None, None, problem.strip(), mark) from None
        except RecursionError:  # libyaml allows 1,000 levels, more than Python's stack here
            problem = f"{label}nests too deeply to count its YAML aliases"
            raise YAMLLimitError(None, None, problem.strip(), mark) from None
        if total - own > ALIAS_BUDGET:
            problem = f"{label}uses YAML aliases that expand past {ALIAS_BUDGET:,} nodes"
            raise YAMLLimitError(None, None, problem.strip(), mark)


def yaml_error_line(exc: yaml.YAMLError, fm_text: str) -> int | None:
    """The file line of a YAML error; an error at the end points at where the open thing began."""
    mark = getattr(exc, "problem_mark", None)
    if mark is None:
        return None
    end = len(fm_text.rstrip())
    if mark.index >= end:  # ran off the end: blame where the open thing began, or the last line
        context = getattr(exc, "context_mark", None)
        if context is not None and context.index < end:
            return int(context.line) + 2
        return fm_text.rstrip().count("\n") + 2
    return int(mark.line) + 2  # +1: 1-based, +1: the opening ---


def bad_value_line(fm_text: str) -> int | None:
    """The file line of the first scalar YAML parses but cannot build (`date: 2024-13-05`)."""
    try:
        pending = [yaml.compose(fm_text, Loader=LimitedLoader)]
    except YAML_ERRORS:
        return None
    builder = yaml.SafeLoader("")
    while pending:  # depth first, in the document's order
        node = pending.pop()
        if isinstance(node, yaml.ScalarNode):
            try:
                builder.construct_object(node)
            except YAML_ERRORS:
                return int(node.start_mark.line) + 2  # +1: 1-based, +1: the opening ---
        elif isinstance(node, yaml.CollectionNode):
            pairs = node.value if isinstance(node, yaml.MappingNode) else [(v,) for v in node.value]
            pending += [item for pair in reversed(pairs) for item in reversed(pair)]
    return None
