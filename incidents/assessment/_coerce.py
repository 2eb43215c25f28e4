"""Strict readers for JSON-like values; every failure names the field it was reading."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any, TypeVar

from .errors import InvalidFacts

E = TypeVar("E", bound=StrEnum)


def mapping(value: Any, field: str) -> Mapping[str, Any]:
    """Return ``value`` if it is a JSON object."""
    if not isinstance(value, Mapping):
        raise InvalidFacts(field, f"expected an object, got {_kind(value)}")
    return value


def is_annotation(key: Any) -> bool:
    """Keys starting with ``_`` (``_comment``) are notes for people, ignored at every level of a document."""
    return isinstance(key, str) and key.startswith("_")


def without_annotations(d: Mapping[str, Any]) -> dict[str, Any]:
    """The object without its annotation keys."""
    return {k: v for k, v in d.items() if not is_annotation(k)}


def reject_unknown(d: Mapping[str, Any], known: frozenset[str], prefix: str = "") -> None:
    """Refuse keys we do not know, so a typo is an error rather than a silent default; names every one."""
    unknown = sorted(k for k in set(d) - known if not is_annotation(k))
    if unknown:
        raise unknown_fields(unknown, known, prefix)


def unknown_fields(unknown: list[str], known: frozenset[str], prefix: str = "") -> InvalidFacts:
    """The error for keys we do not know, naming each and what is known."""
    names = ", ".join(repr(k) for k in unknown)
    hint = f"known: {', '.join(sorted(known))}; notes go in keys starting with '_'"
    return InvalidFacts(f"{prefix}{unknown[0]}", f"unknown field{'s' * (len(unknown) > 1)} {names} ({hint})")


def fields_of(value: Any, field: str, known: frozenset[str]) -> dict[str, Any]:
    """Read a JSON object with only ``known`` keys, its annotations dropped."""
    d = mapping(value, field)
    reject_unknown(d, known, f"{field}.")
    return without_annotations(d)


def enum(value: Any, kind: type[E], field: str) -> E:
    """Read one enum member by its stable value."""
    if isinstance(value, str):
        try:
            return kind(value)
        except ValueError:
            pass
    allowed = ", ".join(repr(m.value) for m in kind)
    raise InvalidFacts(field, f"{value!r} is not one of {allowed}")


def enum_set(value: Any, kind: type[E], field: str) -> frozenset[E]:
    """Read a JSON list of enum values."""
    if not isinstance(value, list):
        raise InvalidFacts(field, f"expected a list, got {_kind(value)}")
    return frozenset(enum(v, kind, f"{field}[{i}]") for i, v in enumerate(value))


def boolean(value: Any, field: str) -> bool:
    """Read a JSON boolean (no truthy strings or numbers)."""
    if not isinstance(value, bool):
        raise InvalidFacts(field, f"expected true or false, got {_kind(value)}")
    return value


def optional_boolean(value: Any, field: str) -> bool | None:
    """Read a JSON boolean or null (null: not known)."""
    return None if value is None else boolean(value, field)


def integer(value: Any, field: str) -> int:
    """Read a JSON integer (booleans are not integers here)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidFacts(field, f"expected an integer, got {_kind(value)}")
    return value


def optional_number(value: Any, field: str) -> float | None:
    """Read a JSON number or null."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidFacts(field, f"expected a number, got {_kind(value)}")
    return float(value)


def text(value: Any, field: str) -> str:
    """Read a JSON string."""
    if not isinstance(value, str):
        raise InvalidFacts(field, f"expected a string, got {_kind(value)}")
    return value


def text_list(value: Any, field: str) -> tuple[str, ...]:
    """Read a JSON list of strings."""
    if not isinstance(value, list):
        raise InvalidFacts(field, f"expected a list, got {_kind(value)}")
    return tuple(text(v, f"{field}[{i}]") for i, v in enumerate(value))


def _kind(value: Any) -> str:
    """Name a JSON type for an error message; the value itself is not echoed."""
    names = {bool: "a boolean", int: "an integer", float: "a number", str: "a string", list: "a list"}
    if value is None:
        return "null"
    return names.get(type(value), "an object" if isinstance(value, Mapping) else type(value).__name__)
