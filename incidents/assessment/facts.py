"""Breach facts: what is known about a personal-data breach, as the assessment needs it.

Facts are categories and counts only, never the personal data themselves. ``BreachFacts.from_dict`` reads the
JSON facts file of ``datalek assess`` and names the offending field in every error.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from enum import StrEnum
from typing import Any

from . import _coerce as c
from .errors import InvalidFacts
from .vocabulary import (
    BreachNature,
    DataCategory,
    DpcFactor,
    Identifiability,
    IncidentType,
    Measure,
    ProtectionMethod,
    Recipients,
    SpecialCategory,
    SubjectGroup,
)

_INCREASING = frozenset({DpcFactor.VOLUME, DpcFactor.CONTROLLER, DpcFactor.INDIVIDUALS})
_DECREASING = frozenset({DpcFactor.INACCURACY, DpcFactor.PUBLIC_AVAILABILITY})
_COUNTRY = re.compile(r"[A-Z]{2}")


@dataclass(frozen=True, slots=True)
class SubjectCount:
    """Number of data subjects: exact (minimum == maximum) or a range, as the AP form asks (7.3)."""

    minimum: int
    maximum: int

    def __post_init__(self) -> None:
        if not 0 <= self.minimum <= self.maximum:
            raise InvalidFacts("data_subjects", "need 0 <= min <= max")

    @classmethod
    def exact(cls, n: int) -> SubjectCount:
        """An exactly known number."""
        return cls(n, n)

    @property
    def is_exact(self) -> bool:
        """True when the number is known exactly."""
        return self.minimum == self.maximum

    def to_json(self) -> int | dict[str, int]:
        """An integer when exact, else ``{"min": .., "max": ..}``."""
        return self.minimum if self.is_exact else {"min": self.minimum, "max": self.maximum}

    @classmethod
    def from_json(cls, value: Any, field: str) -> SubjectCount:
        """Read an integer, ``{"exact": n}`` or ``{"min": a, "max": b}``."""
        if not isinstance(value, Mapping):
            return cls.exact(c.integer(value, field))
        c.reject_unknown(value, frozenset({"exact", "min", "max"}), f"{field}.")
        if "exact" in value:
            return cls.exact(c.integer(value["exact"], f"{field}.exact"))
        if "min" not in value or "max" not in value:
            raise InvalidFacts(field, "give an integer, {'exact': n} or both 'min' and 'max'")
        return cls(c.integer(value["min"], f"{field}.min"), c.integer(value["max"], f"{field}.max"))


@dataclass(frozen=True, slots=True)
class Protection:
    """Protection applied beforehand (AP 8.1) and whether it still holds."""

    method: ProtectionMethod = ProtectionMethod.NONE
    state_of_the_art: bool = False  # strong algorithm and implementation (salted hash, current cipher)
    key_safe: bool = False  # key, salt or other means of reversal not compromised nor derivable
    # Did it protect against THIS breach? Encryption at rest does not protect data read through a valid
    # account (EDPB 01/2021: only when the data obtained are unintelligible). None: not answered yet, which
    # never lowers the risk (an inventory's "encrypted at rest" is a suggestion, not this answer).
    effective: bool | None = None

    def __post_init__(self) -> None:
        if self.method is ProtectionMethod.NONE and (self.state_of_the_art or self.key_safe):
            raise InvalidFacts("protection.method", "state_of_the_art/key_safe need a protection method")
        if self.method is ProtectionMethod.NONE and self.effective is not None:
            raise InvalidFacts("protection.effective", "effective needs a protection method; leave it out")

    @property
    def renders_unintelligible(self) -> bool:
        """Unintelligible to anyone unauthorised (Art. 34(3)(a)): strong protection with a safe key that the FG
        says was effective against this breach."""
        strong = self.method is not ProtectionMethod.NONE and self.state_of_the_art and self.key_safe
        return strong and self.effective is True

    @classmethod
    def from_json(cls, value: Any, field: str) -> Protection:
        """Read ``{"method": .., "state_of_the_art": .., "key_safe": .., "effective": true|false|null}``."""
        d = c.mapping(value, field)
        c.reject_unknown(d, frozenset({"method", "state_of_the_art", "key_safe", "effective"}), f"{field}.")
        return cls(
            method=c.enum(d.get("method", "none"), ProtectionMethod, f"{field}.method"),
            state_of_the_art=c.boolean(d.get("state_of_the_art", False), f"{field}.state_of_the_art"),
            key_safe=c.boolean(d.get("key_safe", False), f"{field}.key_safe"),
            effective=c.optional_boolean(d.get("effective"), f"{field}.effective"),
        )


@dataclass(frozen=True, slots=True)
class DpcAdjustment:
    """One ENISA contextual factor moving the DPC score by whole steps, with the analyst's note."""

    factor: DpcFactor
    steps: int
    note: str = ""

    def __post_init__(self) -> None:
        if self.steps == 0 or abs(self.steps) > 3:
            raise InvalidFacts("dpc_adjustments", "steps must be -3..-1 or 1..3")
        if (self.factor in _INCREASING and self.steps < 0) or (self.factor in _DECREASING and self.steps > 0):
            raise InvalidFacts(
                "dpc_adjustments", f"factor {self.factor.value!r} cannot move the score that way"
            )

    @classmethod
    def from_json(cls, value: Any, field: str) -> DpcAdjustment:
        """Read ``{"factor": .., "steps": .., "note": ..}``."""
        d = c.mapping(value, field)
        c.reject_unknown(d, frozenset({"factor", "steps", "note"}), f"{field}.")
        factor = c.enum(d.get("factor"), DpcFactor, f"{field}.factor")
        steps = c.integer(d.get("steps"), f"{field}.steps")
        try:
            return cls(factor, steps, c.text(d.get("note", ""), f"{field}.note"))
        except InvalidFacts as e:
            raise InvalidFacts(f"{field}.steps", e.problem) from e


@dataclass(frozen=True, slots=True)
class BreachFacts:
    """Facts of one breach as issue 3 lists them; only ``nature`` and a data category are mandatory."""

    nature: frozenset[BreachNature]
    incident_type: IncidentType = IncidentType.OTHER
    data_categories: frozenset[DataCategory] = frozenset()
    special_categories: frozenset[SpecialCategory] = frozenset()
    credentials_access: frozenset[DataCategory] = frozenset()  # what leaked credentials open (ENISA)
    dpc_adjustments: tuple[DpcAdjustment, ...] = ()
    data_subjects: SubjectCount | None = None  # None: not known yet
    records: int | None = None
    subject_groups: frozenset[SubjectGroup] = frozenset()
    identifiability: Identifiability | None = None  # None: not assessed, treated as maximum
    protection: Protection = Protection()
    backup_available: bool | None = None  # a copy (backup or other source) the data can be restored from
    restore_hours: float | None = None  # hours until availability was (or will be) restored
    altered_data_misused: bool = False  # altered data may have been used incorrectly or unlawfully
    malicious: bool = False
    recipients: Recipients = Recipients.NONE
    cross_border: bool = False
    countries: tuple[str, ...] = ()  # ISO 3166-1 alpha-2 codes of affected countries
    measures: frozenset[Measure] = frozenset()
    measures_description: str = ""
    high_risk_mitigated: bool = False  # Art. 34(3)(b): later measures make the high risk unlikely
    disproportionate_effort: bool = False  # Art. 34(3)(c): individual communication disproportionate

    def __post_init__(self) -> None:
        for check in _CHECKS:
            check(self)

    @property
    def all_categories(self) -> frozenset[DataCategory | SpecialCategory]:
        """Ordinary and special categories together."""
        return frozenset((*self.data_categories, *self.special_categories))

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> BreachFacts:
        """Build facts from a JSON object; raises ``InvalidFacts`` naming the field."""
        d = c.mapping(d, "facts")
        c.reject_unknown(d, frozenset(_READERS))
        if "nature" not in d:
            raise InvalidFacts("nature", "required field is missing")
        return cls(**{key: _READERS[key](value, key) for key, value in d.items()})

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict that ``from_dict`` reads back to equal facts."""
        return {f.name: _to_json(getattr(self, f.name)) for f in fields(self)}


def problems(d: Mapping[str, Any]) -> tuple[InvalidFacts, ...]:
    """Every problem of a facts object at once (a form shows them together); empty when ``from_dict`` accepts it.

    Each field is read on its own; the checks across fields run only when every field could be read."""
    found = [InvalidFacts(key, "unknown field") for key in d if key not in _READERS]
    if "nature" not in d:
        found.append(InvalidFacts("nature", "required field is missing"))
    values: dict[str, Any] = {}
    for key, value in d.items():
        if key in _READERS:
            try:
                values[key] = _READERS[key](value, key)
            except InvalidFacts as e:
                found.append(e)
    if found:
        return tuple(found)
    draft = object.__new__(BreachFacts)  # unchecked, so that every check below runs
    for f in fields(BreachFacts):
        object.__setattr__(draft, f.name, values.get(f.name, f.default))
    for check in _CHECKS:
        try:
            check(draft)
        except InvalidFacts as e:
            found.append(e)
    return tuple(found)


def _check_required(f: BreachFacts) -> None:
    if not f.nature:
        raise InvalidFacts("nature", "give at least one of " + ", ".join(m.value for m in BreachNature))
    if not f.all_categories:
        raise InvalidFacts("data_categories", "give at least one category (use 'unknown' if not known yet)")


def _check_counts(f: BreachFacts) -> None:
    if f.records is not None and f.records < 0:
        raise InvalidFacts("records", "must not be negative")
    if f.restore_hours is not None and f.restore_hours < 0:
        raise InvalidFacts("restore_hours", "must not be negative")


def _check_recipients(f: BreachFacts) -> None:
    if f.recipients is not Recipients.NONE and BreachNature.CONFIDENTIALITY not in f.nature:
        raise InvalidFacts("recipients", "recipients imply a loss of confidentiality; add it to nature")


def _check_misuse(f: BreachFacts) -> None:
    if f.altered_data_misused and BreachNature.INTEGRITY not in f.nature:
        raise InvalidFacts("altered_data_misused", "misuse of altered data needs 'integrity' in nature")


def _check_credentials(f: BreachFacts) -> None:
    if f.credentials_access and DataCategory.ACCESS_CREDENTIALS not in f.data_categories:
        raise InvalidFacts("credentials_access", "needs 'access_credentials' in data_categories")
    if DataCategory.ACCESS_CREDENTIALS in f.credentials_access:
        raise InvalidFacts("credentials_access", "list the data the credentials open, not credentials")


def _check_adjustments(f: BreachFacts) -> None:
    seen = [a.factor for a in f.dpc_adjustments]
    if len(seen) != len(set(seen)):
        raise InvalidFacts("dpc_adjustments", "give each factor at most once")


def _check_countries(f: BreachFacts) -> None:
    for i, code in enumerate(f.countries):
        if not _COUNTRY.fullmatch(code):
            raise InvalidFacts(f"countries[{i}]", "expected an ISO 3166-1 alpha-2 code such as 'BE'")
    if f.countries and not f.cross_border:
        raise InvalidFacts("countries", "countries are listed but cross_border is false")


_CHECKS: tuple[Callable[[BreachFacts], None], ...] = (
    _check_required,
    _check_counts,
    _check_recipients,
    _check_misuse,
    _check_credentials,
    _check_adjustments,
    _check_countries,
)


def _optional_int(value: Any, field: str) -> int | None:
    return None if value is None else c.integer(value, field)


def _adjustments(value: Any, field: str) -> tuple[DpcAdjustment, ...]:
    if not isinstance(value, list):
        raise InvalidFacts(field, "expected a list of {factor, steps, note}")
    return tuple(DpcAdjustment.from_json(v, f"{field}[{i}]") for i, v in enumerate(value))


_READERS: Mapping[str, Callable[[Any, str], Any]] = {
    "nature": lambda v, f: c.enum_set(v, BreachNature, f),
    "incident_type": lambda v, f: c.enum(v, IncidentType, f),
    "data_categories": lambda v, f: c.enum_set(v, DataCategory, f),
    "special_categories": lambda v, f: c.enum_set(v, SpecialCategory, f),
    "credentials_access": lambda v, f: c.enum_set(v, DataCategory, f),
    "dpc_adjustments": _adjustments,
    "data_subjects": lambda v, f: None if v is None else SubjectCount.from_json(v, f),
    "records": _optional_int,
    "subject_groups": lambda v, f: c.enum_set(v, SubjectGroup, f),
    "identifiability": lambda v, f: None if v is None else c.enum(v, Identifiability, f),
    "protection": Protection.from_json,
    "backup_available": c.optional_boolean,
    "restore_hours": c.optional_number,
    "altered_data_misused": c.boolean,
    "malicious": c.boolean,
    "recipients": lambda v, f: c.enum(v, Recipients, f),
    "cross_border": c.boolean,
    "countries": c.text_list,
    "measures": lambda v, f: c.enum_set(v, Measure, f),
    "measures_description": c.text,
    "high_risk_mitigated": c.boolean,
    "disproportionate_effort": c.boolean,
}


def _to_json(value: Any) -> Any:
    """Translate a facts value into plain JSON types (sets become sorted lists)."""
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, frozenset):
        return sorted(v.value for v in value)
    if isinstance(value, SubjectCount):
        return value.to_json()
    if isinstance(value, Protection | DpcAdjustment):  # an unanswered effectiveness is left out
        return {f.name: _to_json(v) for f in fields(value) if (v := getattr(value, f.name)) is not None}
    if isinstance(value, tuple):
        return [_to_json(v) for v in value]
    return value
