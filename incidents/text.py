"""Values from events are data, never markup or terminal control: make them safe to show.

``visible`` turns C0/C1 control characters and bidirectional overrides into visible ``\\uXXXX`` escapes, so an
ESC sequence or a right-to-left override in a host or user name cannot recolour a terminal or reorder text.
``spreadsheet_cell`` neutralises cells that a spreadsheet would run as a formula (OWASP CSV injection).
``markdown_text`` keeps a value literal inside Markdown (a table cell): no links, emphasis, HTML or new cells.
``strip_controls`` is applied once, where events enter (``streams.schema.to_event``): control and bidi
characters are removed from event values, so every display (console, CLI, alerts, drafts) gets them clean.
"""

from __future__ import annotations

import re
import unicodedata

_HIDDEN = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})  # control, format (bidi, zero-width), surrogates, separators
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def visible(text: str) -> str:
    return "".join(f"\\u{ord(c):04x}" if unicodedata.category(c) in _HIDDEN else c for c in text)


# C0 controls, DEL, C1 controls, the bidi controls (embeddings, overrides, isolates, marks) and the line and
# paragraph separators. Removed, except that those separating words or lines become a space ("a\tb": two words).
_CONTROLS = (*range(0x20), *range(0x7F, 0xA0), 0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A),
             0x2028, 0x2029)
_SPACED = frozenset(map(ord, "\t\n\v\f\r\x1c\x1d\x1e\x1f\x85\u2028\u2029"))
_STRIP = {c: " " if c in _SPACED else None for c in _CONTROLS}
_ANY_CONTROL = re.compile("[" + "".join(re.escape(chr(c)) for c in _CONTROLS) + "]")


def strip_controls(text: str) -> str:
    """``text`` without control and bidi characters: an ESC sequence or a right-to-left override in a host or
    user name can neither recolour a terminal nor reorder what a reader sees, nor split one name in two."""
    return text.translate(_STRIP) if _ANY_CONTROL.search(text) else text


def spreadsheet_cell(value: str) -> str:
    """A leading quote keeps ``=HYPERLINK(...)``, ``+cmd``, ``@SUM`` from being evaluated."""
    return f"'{value}" if value.startswith(FORMULA_START) else value


_MARKDOWN = str.maketrans({c: f"\\{c}" for c in "\\`*_[]<>|#!~"})


def markdown_text(value: str) -> str:
    """A value as literal Markdown text on one line: markup characters escaped, control characters visible."""
    return visible(value).translate(_MARKDOWN)
