"""The controller's details used in drafts (AP form chapter 3, EDPB fields 10-36, the notice's contact).

Pure: ``Organisation.from_mapping`` reads an already-parsed mapping (``notifications.config`` reads the
YAML file). A value that is not known is ``None``, so drafts can mark the answer as missing instead of
inventing one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

from notifications.errors import ConfigError


@dataclass(frozen=True, slots=True)
class Person:
    """A person or function mailbox the AP or data subjects can contact."""

    name: str | None = None
    function: str | None = None
    email: str | None = None
    phone: str | None = None

    def missing(self, required: tuple[str, ...] = ("name", "function", "phone")) -> tuple[str, ...]:
        """Names of the required parts that are not known."""
        return tuple(part for part in required if not getattr(self, part))

    def lines(self) -> tuple[str, ...]:
        """The known parts, one per line, in the AP's order."""
        return tuple(v for v in (self.name, self.function, self.email, self.phone) if v)

    @property
    def is_empty(self) -> bool:
        """True when nothing about the person is known."""
        return not self.lines()


@dataclass(frozen=True, slots=True)
class Organisation:
    """The controller (verwerkingsverantwoordelijke) as drafts name it."""

    name: str
    controllers: tuple[str, ...] = ()  # joint controllers, if any; empty: the organisation alone
    address: str | None = None
    kvk: str | None = None
    vat: str | None = None
    sector: str | None = None  # AP 3.1.2 picklist value
    sector_type: str | None = None  # EDPB field 14: "private" | "public"
    size: str | None = None  # EDPB field 15: micro | sme | large | other
    fg_registration_number: str | None = None  # the AP's FG register number, when an FG is designated
    dpo_designated: bool | None = None
    legal_basis: str = "Algemene verordening gegevensbescherming (AVG)"  # AP 1.2
    reporter: Person = Person()  # AP 3.2.1: who files the notification
    contact: Person = Person()  # AP 3.2.2 / Art. 33(3)(b): FG or other contact point
    subject_contact: Person = Person()  # where data subjects go with questions (notice)
    website: str | None = None
    source: str | None = None  # where these details come from (shown in drafts)

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> Organisation:
        """Build from a parsed config mapping; unknown keys are refused so typos do not go unnoticed."""
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ConfigError(f"organisation: unknown key {unknown[0]!r} (known: {', '.join(sorted(known))})")
        if not isinstance(data.get("name"), str) or not data["name"].strip():
            raise ConfigError("organisation: 'name' is required")
        values = {k: _value(k, v) for k, v in data.items()}
        return cls(**values)


_PEOPLE = frozenset({"reporter", "contact", "subject_contact"})


def _value(key: str, value: Any) -> Any:
    if key in _PEOPLE:
        return _person(key, value)
    if key == "controllers":
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError("organisation: 'controllers' must be a list of names")
        return tuple(value)
    if key == "dpo_designated":
        if value is not None and not isinstance(value, bool):
            raise ConfigError("organisation: 'dpo_designated' must be true, false or null")
        return value
    if value is not None and not isinstance(value, str | int):
        raise ConfigError(f"organisation: {key!r} must be text")
    return None if value is None else str(value)


def _person(key: str, value: Any) -> Person:
    if value is None:
        return Person()
    if not isinstance(value, Mapping):
        raise ConfigError(f"organisation: {key!r} must be a mapping of name/function/email/phone")
    unknown = sorted(set(value) - {"name", "function", "email", "phone"})
    if unknown:
        raise ConfigError(f"organisation: {key}.{unknown[0]} is not a known field")
    return Person(**{k: None if v is None else str(v) for k, v in value.items()})
