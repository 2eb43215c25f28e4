"""Sigma-style wildcard patterns matched in linear time: ``*`` any run, ``?`` one character, ``\\`` escapes.

A pattern is split on its unescaped ``*`` into fixed-length segments (literal characters and ``?``). The first
segment must match at the start of the value, the last at its end, and the ones between are found left to
right, each at its leftmost place after the previous one. Taking the leftmost place is never wrong, since a
``*`` accepts whatever lies between, so nothing is ever retried: the work is the value's length times the
pattern's, where the regex ``.*a.*b.*`` backtracks quadratically in the value's length on a value full of
``a`` without a ``b``. Each segment is a small regex of single characters (``.`` for ``?``), so case folding
is exactly the ``re.IGNORECASE`` of the regex this replaces.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TypeAlias

Matcher: TypeAlias = Callable[[str], bool]
Segment: TypeAlias = tuple[re.Pattern[str], int]  # a fixed-length segment's regex and its length in characters
ANY = object()  # a ``?`` token: any one character
STAR = object()  # a ``*`` token: any run of characters


def tokens(pattern: str) -> list[object]:
    """The pattern as literal characters, ANY and STAR; a backslash makes the next character literal (a
    trailing one is itself literal)."""
    out: list[object] = []
    escaped = False
    for ch in pattern:
        if escaped:
            out.append(ch)
            escaped = False
        elif ch == "\\":
            escaped = True
        else:
            out.append({"*": STAR, "?": ANY}.get(ch, ch))
    if escaped:
        out.append("\\")
    return out


def wildcard_matcher(pattern: str, *, cased: bool = False, prefix: bool = False, suffix: bool = False) -> Matcher:
    """A test whether a whole value matches ``pattern``; ``prefix``/``suffix`` add a leading/trailing ``*``
    (contains: both; startswith: ``suffix``; endswith: ``prefix``)."""
    parts = [STAR] * prefix + tokens(pattern) + [STAR] * suffix
    flags = re.DOTALL | (0 if cased else re.IGNORECASE)
    segments = [(re.compile(_segment(seg), flags), len(seg)) for seg in _split(parts)]
    if len(segments) == 1:
        only = segments[0][0]
        return lambda value: only.fullmatch(value) is not None
    return _shortcut(segments) or _Chain(segments[0], tuple(segments[1:-1]), segments[-1])


def _shortcut(segments: list[Segment]) -> Matcher | None:
    """One regex call for the common shapes (``*x*``, ``x*``, ``*x``): what a rule runs on every event."""
    (head, head_len), (tail, tail_len) = segments[0], segments[-1]
    middle = [rx for rx, length in segments[1:-1] if length]
    if not head_len and not tail_len and len(middle) == 1:
        needle = middle[0]
        return lambda value: needle.search(value) is not None
    if not middle and not tail_len:
        return lambda value: head.match(value) is not None
    if not middle and not head_len:
        return lambda value: len(value) >= tail_len and tail.fullmatch(value, len(value) - tail_len) is not None
    return None


def _split(parts: list[object]) -> list[list[object]]:
    segments: list[list[object]] = [[]]
    for part in parts:
        if part is STAR:
            segments.append([])
        else:
            segments[-1].append(part)
    return segments


def _segment(parts: list[object]) -> str:
    return "".join("." if part is ANY else re.escape(str(part)) for part in parts)


class _Chain:
    """Head at the start, tail at the end, the middle segments leftmost in order between them."""

    __slots__ = ("_head", "_middle", "_tail", "_head_len", "_tail_len")

    def __init__(self, head: Segment, middle: tuple[Segment, ...], tail: Segment) -> None:
        (self._head, self._head_len), (self._tail, self._tail_len) = head, tail
        self._middle = tuple(rx for rx, length in middle if length)  # "**" leaves empty ones: they match anywhere

    def __call__(self, value: str) -> bool:
        start, end = self._head_len, len(value) - self._tail_len
        if start > end or not self._head.match(value) or not self._tail.fullmatch(value, end):
            return False
        for segment in self._middle:
            found = segment.search(value, start, end)
            if found is None:
                return False
            start = found.end()
        return True
