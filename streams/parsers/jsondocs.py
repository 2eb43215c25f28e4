"""JSON input for the JSON formats: JSON Lines, pretty-printed documents, arrays and vendor envelopes.

Framing rule: a line that starts with "{" or "[" starts a document. When it does not parse alone, the
following lines are added until a line starting at column 0 with "}" or "]" completes it (as
``json.dumps(indent=...)`` and the vendors' exports write them). A new document starting while one is
open rejects the open one as incomplete, so one broken line cannot swallow the rest of a file; only an
array opened by a lone "[" line holds column-0 records, each after a "," (see ``_Framer``).
"""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from streams import jsontext
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
# what a mapper raises on a value of another type than documented (a number for a name, a list for a time)
WRONG_SHAPE = (AttributeError, TypeError, ValueError, KeyError, IndexError, OverflowError)
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
        return parsed(event, context=context, position=position, raw=raw)
    except Unparseable as e:
        return Rejected(str(e), position, raw)
    except RecursionError:  # decoded, but too deep to flatten
        return Rejected("record is nested too deeply to read", position, raw)
    except WRONG_SHAPE as e:  # a field of another type or form than the vendor documents (fuzzed: issue 12)
        return Rejected(f"record has a field of an unexpected type or form ({type(e).__name__})", position, raw)


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
    framer = _Framer(context)
    for number, text in numbered(lines, context):
        yield from framer.feed(number, text)
    yield from framer.end()


class _Framer:
    """The framing rule, line by line. A column-0 line that starts with "{" or "[" cannot belong to the open
    document unless that document opened with a lone "[" (an array of column-0 records, "[", "{...},",
    "{...}", "]") and the line before ended with "," or was that "[". Otherwise the open document is rejected
    as incomplete; when it was such an array, only its "[" is, and its records are read again as lines of
    their own (once: lines read again never cause another re-reading), so a truncated "[" or "[[[" line
    cannot swallow the JSON Lines after it."""

    def __init__(self, context: ParseContext) -> None:
        self._context = context
        self._buffer: list[tuple[int, str, bool]] = []  # (line number, text, read again)
        self._reread_lines: list[tuple[int, str, bool]] = []
        self._size = 0

    def feed(self, number: int, text: str) -> Iterator[Document | Rejected]:
        yield from self._run(deque([(number, text, False)]))

    def end(self) -> Iterator[Document | Rejected]:
        if self._buffer and (opener := self._reread()) is not None:
            yield opener
            yield from self._run(deque(self._reread_lines))
        if self._buffer:
            yield self._rejected("incomplete JSON document at end of input")

    def _run(self, pending: deque[tuple[int, str, bool]]) -> Iterator[Document | Rejected]:
        while pending:
            number, text, again = pending.popleft()
            if self._buffer and text[:1] in ("{", "[") and not self._continues(text):
                if (opener := self._reread()) is not None:
                    yield opener
                    pending.extendleft(reversed([*self._reread_lines, (number, text, again)]))
                    continue
                yield self._rejected("incomplete JSON document")
            yield from self._add(number, text, again)

    def _reread(self) -> Rejected | None:
        """For an open array of column-0 records never read again: the rejection of its lone "[" (its other
        lines are left in ``_reread_lines``, marked to be read again); None for any other open document."""
        (number, text, again), rest = self._buffer[0], self._buffer[1:]
        if text.strip() != "[" or again or not rest:
            return None
        self._buffer, self._reread_lines = [], [(n, t, True) for n, t, _ in rest]
        return Rejected("incomplete JSON document", self._context.position(number), text)

    def _continues(self, text: str) -> bool:
        return text[:1] == "{" and self._array_opener() and self._buffer[-1][1].rstrip()[-1:] in (",", "[")

    def _array_opener(self) -> bool:
        return self._buffer[0][1].strip() == "["

    def _rejected(self, reason: str) -> Rejected:
        found = Rejected(reason, self._context.position(self._buffer[0][0]), "\n".join(t for _, t, _ in self._buffer))
        self._buffer = []
        return found

    def _add(self, number: int, text: str, again: bool) -> Iterator[Document | Rejected]:
        if not self._buffer:
            if text.lstrip()[:1] not in ("{", "["):
                yield Rejected("not JSON (expected an object or array)", self._context.position(number), text)
                return
            self._buffer, self._size = [(number, text, again)], len(text)
            if _complete_line(text):
                yield self._decoded()
            return
        self._buffer.append((number, text, again))
        self._size += len(text)
        if text[:1] == _CLOSER[self._buffer[0][1].lstrip()[0]] or self._size > MAX_DOCUMENT_CHARS:
            yield self._decoded()

    def _decoded(self) -> Document | Rejected:
        found = _decoded([t for _, t, _ in self._buffer], self._context.position(self._buffer[0][0]))
        self._buffer = []
        return found


def _complete_line(text: str) -> bool:
    """Whether a first line can be a whole document (a lone "{" or "[" opens a multi-line one)."""
    stripped = text.strip()
    return stripped not in ("{", "[") and stripped[-1:] in ("}", "]")


def _decoded(buffer: list[str], position: str) -> Document | Rejected:
    text = "\n".join(buffer)
    try:
        return Document(jsontext.loads(text), position, text)  # no lone surrogates (streams.jsontext)
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
