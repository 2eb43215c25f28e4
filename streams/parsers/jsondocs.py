"""JSON input for the JSON formats: JSON Lines, pretty-printed documents, arrays and vendor envelopes.

Framing rule: a line that starts with "{" or "[" starts a document. When it does not parse alone, the
following lines are added until a line starting at column 0 with "}" or "]" completes it (as
``json.dumps(indent=...)`` and the vendors' exports write them). A new document starting while one is
open rejects the open one as incomplete, so one broken line cannot swallow the rest of a file.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from streams.parsers.base import (
    Event,
    ParseContext,
    ParseResult,
    Rejected,
    Unparseable,
    numbered,
    parsed,
)

MAX_DOCUMENT_CHARS = 64 * 1024 * 1024
_CLOSER = {"{": "}", "[": "]"}

Mapper = Callable[[Mapping[str, Any], ParseContext], dict[str, Any]]


@dataclass(frozen=True, slots=True)
class Document:
    value: Any
    position: str
    text: str


def parse_records(lines: Iterable[str], *, context: ParseContext, mapper: Mapper,
                  envelopes: tuple[str, ...] = ()) -> Iterator[ParseResult]:
    """Apply ``mapper`` to every record of every document; its Unparseable becomes a Rejected.

    A top-level array holds records; so does an object whose ``envelopes`` path (e.g. "Records") is a list.
    """
    for item in documents(lines, context=context):
        if isinstance(item, Rejected):
            yield item
            continue
        for position, record, raw in records(item, envelopes):
            yield _mapped(record, position, raw, context, mapper)


def _mapped(record: Any, position: str, raw: str, context: ParseContext, mapper: Mapper) -> ParseResult:
    if not isinstance(record, Mapping):
        return Rejected("record is not a JSON object", position, raw)
    try:
        event: Event = mapper(record, context)
    except Unparseable as e:
        return Rejected(str(e), position, raw)
    except RecursionError:  # decoded, but too deep to flatten
        return Rejected("record is nested too deeply to read", position, raw)
    return parsed(event, context=context, position=position, raw=raw)


def records(document: Document, envelopes: tuple[str, ...] = ()) -> Iterator[tuple[str, Any, str]]:
    """(position, record, raw text) for a bare record, an array, or an envelope such as {"Records": [...]}."""
    items = _envelope(document.value, envelopes)
    if items is None:
        yield document.position, document.value, document.text
        return
    for index, item in enumerate(items):
        yield f"{document.position}#{index}", item, json.dumps(item, sort_keys=True, separators=(",", ":"))


def _envelope(value: Any, envelopes: tuple[str, ...]) -> list[Any] | None:
    if isinstance(value, list):
        return value
    for path in envelopes:
        inner = flat_get(value, path)
        if isinstance(inner, list):
            return inner
    return None


def documents(lines: Iterable[str], *, context: ParseContext) -> Iterator[Document | Rejected]:
    """Each JSON document in the input, by the framing rule in the module docstring."""
    buffer: list[str] = []
    size = start = 0
    for number, text in numbered(lines, context):
        if buffer and buffer[0].lstrip()[:1] == "{" and text[:1] in ("{", "["):
            yield Rejected("incomplete JSON document", context.position(start), "\n".join(buffer))
            buffer = []
        if not buffer:
            if text.lstrip()[:1] not in ("{", "["):
                yield Rejected("not JSON (expected an object or array)", context.position(number), text)
                continue
            buffer, size, start = [text], len(text), number
            if _complete_line(text):
                yield _decoded(buffer, context.position(start))
                buffer = []
            continue
        buffer.append(text)
        size += len(text)
        if text[:1] == _CLOSER[buffer[0].lstrip()[0]] or size > MAX_DOCUMENT_CHARS:
            yield _decoded(buffer, context.position(start))
            buffer = []
    if buffer:
        yield Rejected("incomplete JSON document at end of input", context.position(start), "\n".join(buffer))


def _complete_line(text: str) -> bool:
    """Whether a first line can be a whole document (a lone "{" or "[" opens a multi-line one)."""
    stripped = text.strip()
    return stripped not in ("{", "[") and stripped[-1:] in ("}", "]")


def _decoded(buffer: list[str], position: str) -> Document | Rejected:
    text = "\n".join(buffer)
    try:
        return Document(json.loads(text), position, text)
    except ValueError as e:
        reason = e.msg if isinstance(e, json.JSONDecodeError) else "undecodable text"
        return Rejected(f"invalid JSON: {reason}", position, text)
    except RecursionError:  # the decoder's recursion limit: arrays or objects nested thousands deep
        return Rejected("invalid JSON: nested too deeply to decode", position, text)


def flat_get(record: Any, path: str) -> Any:
    """``record["a"]["b"]`` for path "a.b"; a literal dotted key "a.b" also counts; None when absent."""
    if not isinstance(record, Mapping):
        return None
    if path in record:
        return record[path]
    head, dot, rest = path.partition(".")
    return flat_get(record.get(head), rest) if dot else None


def first(record: Mapping[str, Any], *paths: str) -> Any:
    """The first present, non-empty value among ``paths`` (aliases of one field in different products)."""
    for path in paths:
        value = flat_get(record, path)
        if value not in (None, "", [], {}):
            return value
    return None


def flatten(value: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """Nested objects to dotted keys; raise Unparseable when nested and dotted forms disagree."""
    flat: dict[str, Any] = {}
    for key, item in value.items():
        name = f"{prefix}{key}"
        pairs = flatten(item, f"{name}.").items() if isinstance(item, Mapping) else [(name, item)]
        for flat_name, flat_value in pairs:
            if flat_name in flat and flat[flat_name] != flat_value:
                raise Unparseable(f"conflicting values for field {flat_name}")
            flat[flat_name] = flat_value
    return flat
