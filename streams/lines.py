"""Input lines with a size cap, read before any parser sees them (files, stdin, raw topics).

A line is read with a bounded ``readline``, so a 5 MB line (or one without any line end) never sits in
memory whole: past ``max_bytes`` the rest of it is skipped in chunks and only its size is kept. A line over
the cap, or one that is not UTF-8, becomes a Rejected naming its line number and the problem (never its
content); the parser gets an empty line in its place, so the line numbers of the lines after it stay right.
"""

from __future__ import annotations

import io
from collections import deque
from collections.abc import Iterator
from typing import Protocol

from streams.parsers import ParseContext, Parser, ParseResult, Rejected

DEFAULT_MAX_LINE_BYTES = 1024 * 1024
SKIP_CHUNK = 64 * 1024  # bytes read at a time while skipping the rest of an oversized line


class ReadLine(Protocol):
    def readline(self, size: int = -1, /) -> bytes: ...


class BoundedLines:
    """Iterate over the text lines of a binary source; ``take_rejected()`` hands over the refused ones."""

    def __init__(self, source: ReadLine, *, context: ParseContext,
                 max_bytes: int = DEFAULT_MAX_LINE_BYTES) -> None:
        if max_bytes < 1:
            raise ValueError("max_bytes must be positive")
        self._source, self._context, self._max = source, context, max_bytes
        self._rejected: deque[Rejected] = deque()

    def __iter__(self) -> Iterator[str]:
        for number, chunk in enumerate(iter(lambda: self._source.readline(self._max + 2), b""),
                                       self._context.first_line):
            yield self._checked(number, chunk)

    def take_rejected(self) -> Iterator[Rejected]:
        while self._rejected:
            yield self._rejected.popleft()

    def _checked(self, number: int, chunk: bytes) -> str:
        content = chunk.rstrip(b"\r\n")  # up to max + 2 bytes read: a line of max bytes and CR LF fits
        if len(content) > self._max:
            size = len(content) + (0 if chunk.endswith(b"\n") else self._skip_rest())
            self._reject(number, f"line {number} of {size:,} bytes is over the limit of {self._max:,} bytes",
                         content[: self._max])
            return "\n"
        try:
            return chunk.decode("utf-8")
        except UnicodeDecodeError as e:
            self._reject(number, f"line {number} is not UTF-8 text (invalid byte at offset {e.start})", chunk)
            return "\n"

    def _skip_rest(self) -> int:
        """Read and drop the rest of the current line; its size in bytes (without the line end)."""
        skipped = 0
        while chunk := self._source.readline(SKIP_CHUNK):
            if chunk.endswith(b"\n"):
                return skipped + len(chunk.rstrip(b"\r\n"))
            skipped += len(chunk)
        return skipped

    def _reject(self, number: int, reason: str, raw: bytes) -> None:
        text = raw.decode("utf-8", errors="replace").rstrip("\r\n")
        self._rejected.append(Rejected(reason, self._context.position(number), text))


def parse_bounded(parse: Parser, source: ReadLine, *, context: ParseContext,
                  max_bytes: int = DEFAULT_MAX_LINE_BYTES) -> Iterator[ParseResult]:
    """``parse`` over the capped lines of ``source``; a refused line's Rejected comes before the results of
    the lines read after it, and the lines after it are parsed as usual."""
    lines = BoundedLines(source, context=context, max_bytes=max_bytes)
    for result in parse(iter(lines), context=context):
        yield from lines.take_rejected()
        yield result
    yield from lines.take_rejected()


def parse_bytes(parse: Parser, data: bytes, *, context: ParseContext,
                max_bytes: int = DEFAULT_MAX_LINE_BYTES) -> Iterator[ParseResult]:
    """``parse_bounded`` over bytes already in memory (a Kafka message)."""
    return parse_bounded(parse, io.BytesIO(data), context=context, max_bytes=max_bytes)

