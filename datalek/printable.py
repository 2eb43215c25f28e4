"""Text from log lines made safe for a terminal: control characters (ESC, CR, BEL, ...) escaped."""

from __future__ import annotations

import unicodedata


def printable(text: str) -> str:
    """``text`` with every control or format character written as a Python escape (``\\x1b``, ``\\u202e``),
    so a log line cannot move the cursor, recolour or rewrite the terminal it is shown on."""
    return "".join(_escape(char) if unicodedata.category(char) in ("Cc", "Cf", "Cs", "Zl", "Zp") else char
                   for char in text)


def _escape(char: str) -> str:
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
