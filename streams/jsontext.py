"""JSON text from outside (Kafka messages, files, HTTP bodies) decoded for the event schema.

Two things ``json.loads`` lets through that nothing downstream can handle: bytes are decoded with
"surrogatepass", so CESU-8 bytes such as ED A0 80 (not UTF-8) become lone surrogates; and an escape such as
"\\ud800" without its pair is one too. A lone surrogate cannot be encoded as UTF-8, so the rule engine's
hashes, the database and Kafka would fail on the event (fuzzed: issue 12). Here bytes must be UTF-8, and
lone surrogates from escapes become U+FFFD (looked for only when the text holds a surrogate escape).
"""

from __future__ import annotations

import json
import re
from typing import Any

_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def loads(data: bytes | bytearray | str) -> Any:
    """``json.loads`` of strict UTF-8 (UnicodeDecodeError otherwise) without lone surrogates; raises what
    ``json.loads`` raises (ValueError, RecursionError)."""
    text = data.decode("utf-8") if isinstance(data, bytes | bytearray) else data
    value = json.loads(text)
    return without_surrogates(value) if _SURROGATE_ESCAPE.search(text) else value


def without_surrogates(value: Any) -> Any:
    """``value`` with every lone surrogate in its strings and keys replaced by U+FFFD."""
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value)
    if isinstance(value, list):
        return [without_surrogates(item) for item in value]
    if isinstance(value, dict):
        return {without_surrogates(key): without_surrogates(item) for key, item in value.items()}
    return value
