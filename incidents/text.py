"""Values from events are data, never markup or terminal control: make them safe to show.

``visible`` turns C0/C1 control characters and bidirectional overrides into visible ``\\uXXXX`` escapes, so an
ESC sequence or a right-to-left override in a host or user name cannot recolour a terminal or reorder text.
``spreadsheet_cell`` neutralises cells that a spreadsheet would run as a formula (OWASP CSV injection).
``markdown_text`` keeps a value literal inside Markdown (a table cell): no links, emphasis, HTML or new cells.
"""

from __future__ import annotations

import unicodedata

_HIDDEN = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})  # control, format (bidi, zero-width), surrogates, separators
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def visible(text: str) -> str:
    return "".join(f"\\u{ord(c):04x}" if unicodedata.category(c) in _HIDDEN else c for c in text)


def spreadsheet_cell(value: str) -> str:
    """A leading quote keeps ``=HYPERLINK(...)``, ``+cmd``, ``@SUM`` from being evaluated."""
    return f"'{value}" if value.startswith(FORMULA_START) else value



_MARKDOWN = str.maketrans({c: f"\\{c}" for c in "\\`*_[]<>|#!~"})


def markdown_text(value: str) -> str:
    """A value as literal Markdown text on one line: markup characters escaped, control characters visible."""
    return visible(value).translate(_MARKDOWN)
