"""Values from events are data, never markup or terminal control: make them safe to show.

``visible`` turns C0/C1 control characters and bidirectional overrides into visible ``\\uXXXX`` escapes, so an
ESC sequence or a right-to-left override in a host or user name cannot recolour a terminal or reorder text.
``spreadsheet_cell`` neutralises cells that a spreadsheet would run as a formula (OWASP CSV injection).
"""

from __future__ import annotations

import re

_INVISIBLE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def visible(text: str) -> str:
    return _INVISIBLE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def spreadsheet_cell(value: str) -> str:
    """A leading quote keeps ``=HYPERLINK(...)``, ``+cmd``, ``@SUM`` from being evaluated."""
    return f"'{value}" if value.startswith(FORMULA_START) else value

