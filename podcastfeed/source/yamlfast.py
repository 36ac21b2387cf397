"""Plain YAML front matter built straight from libyaml's events: the happy path of every
episode file, without composing nodes and running PyYAML's Python constructor over them
(about half the time of reading a front matter).

Only what front matter needs is built here: mappings of plain or quoted scalars, lists and
nested tables, scalars resolved and constructed exactly as PyYAML's safe loader does (YAML 1.1:
`yes` is True, `1.10` is 1.1, `2024-01-02` a date). Anything else (anchors and aliases, merge
keys, explicit tags, several documents, a top level that is not a mapping, a key that is a
list) or any error gives NOT_PLAIN: the caller reads the text with the full loader, which keeps
the alias limit, its values and its error messages with their lines.
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.events import (
    DocumentEndEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
    StreamStartEvent,
)
from yaml.nodes import ScalarNode
from yaml.resolver import Resolver

#: What fast_load returns when the full loader must read the text.
NOT_PLAIN: Any = object()

_Parser: Any = getattr(getattr(yaml, "_yaml", None), "CParser", None)  # None without libyaml
_RESOLVERS: dict[Any, list[tuple[str, Any]]] = Resolver.yaml_implicit_resolvers
_ANY_FIRST = _RESOLVERS.get(None, [])
_STR = "tag:yaml.org,2002:str"
_CONSTRUCTOR = SafeConstructor()
#: The implicit tags a plain scalar may resolve to, and how the safe loader builds each; any
#: other (`<<` merge, `=` value) goes to the full loader.
_BUILD = {
    f"tag:yaml.org,2002:{name}": getattr(_CONSTRUCTOR, f"construct_yaml_{name}")
    for name in ("null", "bool", "int", "float", "timestamp")
}
#: Python's str() refuses an int of more than 4,300 digits (a ValueError); YAML builds one
#: from `0x` and 5,000 hex digits: yamlload.py refuses it, so this hands it over.
MAX_INT_BITS = 14_000


def _build_int(node: ScalarNode) -> int:
    value = int(_CONSTRUCTOR.construct_yaml_int(node))
    if value.bit_length() > MAX_INT_BITS:
        raise _NotPlain
    return value


_BUILD["tag:yaml.org,2002:int"] = _build_int
_STARTS = (MappingStartEvent, SequenceStartEvent)
_ENDS = (MappingEndEvent, SequenceEndEvent)
assert not Resolver.yaml_path_resolvers  # resolve() below matches the safe loader's only so


class _NotPlain(Exception):
    pass


def fast_load(text: str) -> Any:
    """The front matter `text` as yaml.load(text, Loader=LimitedLoader) gives it, or NOT_PLAIN
    when it is not a plain mapping (then the full loader must read it)."""
    if _Parser is None:
        return NOT_PLAIN
    parser = _Parser(text)
    try:
        return _document(parser)
    except (_NotPlain, yaml.YAMLError, ValueError, TypeError, KeyError, RecursionError):
        return NOT_PLAIN
    finally:
        parser.dispose()


def _document(parser: Any) -> Any:
    get = parser.get_event
    if type(get()) is not StreamStartEvent or type(get()) is not DocumentStartEvent:
        raise _NotPlain
    start = get()
    if type(start) is not MappingStartEvent or start.anchor is not None or start.tag is not None:
        raise _NotPlain
    root = _mapping(get)
    if type(get()) is not DocumentEndEvent or type(get()) is not StreamEndEvent:
        raise _NotPlain  # a second document: the full loader says why it is refused
    return root


def _mapping(get: Any) -> dict[Any, Any]:
    built: dict[Any, Any] = {}
    while True:
        event = get()
        kind = type(event)
        if kind is MappingEndEvent:
            return built
        if kind is not ScalarEvent:
            raise _NotPlain  # a key that is a list or a table (unhashable), or an alias
        key = _scalar(event)
        if key.__hash__ is None:
            raise _NotPlain
        built[key] = _value(get)


def _sequence(get: Any) -> list[Any]:
    built: list[Any] = []
    while True:
        value = _value(get)
        if value is _END:
            return built
        built.append(value)


_END: Any = object()


def _value(get: Any) -> Any:
    event = get()
    kind = type(event)
    if kind is ScalarEvent:
        return _scalar(event)
    if kind in _STARTS:
        if event.anchor is not None or event.tag is not None:
            raise _NotPlain
        return _mapping(get) if kind is MappingStartEvent else _sequence(get)
    if kind in _ENDS:
        return _END
    raise _NotPlain  # an alias


def _scalar(event: ScalarEvent) -> Any:
    if event.anchor is not None or event.tag is not None:
        raise _NotPlain
    value: str = event.value
    if not event.implicit[0]:  # quoted or a block: text
        return value
    for tag, pattern in _RESOLVERS.get(value[0] if value else "", []) + _ANY_FIRST:
        if pattern.match(value):
            if tag == _STR:
                return value
            build = _BUILD.get(tag)
            if build is None:
                raise _NotPlain
            return build(ScalarNode(tag, value))
    return value
