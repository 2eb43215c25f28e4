"""Breach facts: what is known about a personal-data breach, as the assessment needs it.

Facts are categories and counts only, never the personal data themselves. ``BreachFacts.from_dict`` reads the
JSON facts file of ``datalek assess`` and names the offending field in every error; ``problems`` lists every
error of a document at once. Keys starting with ``_`` (``_comment``) are notes and ignored at every level. A
document of the first shape (one count and the categories at the top level) is converted (``facts_legacy``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from enum import StrEnum
from functools import reduce
from typing import Any

from . import _coerce as c
from . import facts_legacy as legacy
from .errors import InvalidFacts
from .facts_legacy import upgrade
from .facts_parts import (
    AffectedGroup,
    DpcAdjustment,
    Protection,
    RecipientFacts,
    ServiceEffect,
    SubjectCount,
    group_problems,
)
from .vocabulary import (
    BreachNature,
    DataCategory,
    Identifiability,
    IncidentType,
    Measure,
    ServiceOutage,
    SpecialCategory,
    SubjectGroup,
)

_AVAILABILITY = frozenset({BreachNature.AVAILABILITY_TEMPORARY, BreachNature.AVAILABILITY_PERMANENT})
_COUNTRY = re.compile(r"[A-Z]{2}")


@dataclass(frozen=True, slots=True)
class BreachFacts:
    """Facts of one breach as issue 3 lists them; only ``nature`` and a group with a category are mandatory."""

    nature: frozenset[BreachNature]
    incident_type: IncidentType = IncidentType.OTHER
    groups: tuple[AffectedGroup, ...] = ()  # who was affected and which data of theirs, group by group
    credentials_access: frozenset[DataCategory] = frozenset()  # what leaked credentials open (ENISA)
    dpc_adjustments: tuple[DpcAdjustment, ...] = ()
    records: int | None = None
    identifiability: Identifiability | None = None  # None: not assessed, treated as maximum
    protection: Protection = Protection()
    backup_available: bool | None = None  # a copy (backup or other source) the data can be restored from
    restore_hours: float | None = None  # hours until availability was (or will be) restored
    altered_data_misused: bool = False  # altered data may have been used incorrectly or unlawfully
    malicious: bool = False
    recipients: RecipientFacts = RecipientFacts()
    service_effect: ServiceEffect | None = None  # AP 9.1; None: not answered
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
    def data_categories(self) -> frozenset[DataCategory]:
        """Ordinary categories of all groups."""
        return frozenset().union(*(g.data_categories for g in self.groups))

    @property
    def special_categories(self) -> frozenset[SpecialCategory]:
        """Special categories of all groups."""
        return frozenset().union(*(g.special_categories for g in self.groups))

    @property
    def all_categories(self) -> frozenset[DataCategory | SpecialCategory]:
        """Ordinary and special categories together."""
        return frozenset((*self.data_categories, *self.special_categories))

    @property
    def subject_groups(self) -> frozenset[SubjectGroup]:
        """Kinds of data subjects (AP 7.1) of all groups."""
        return frozenset().union(*(g.subject_groups for g in self.groups))

    @property
    def data_subjects(self) -> SubjectCount | None:
        """All data subjects (AP 7.3): the groups' counts added; None while a group's count is not known."""
        counts = [g.data_subjects for g in self.groups if g.data_subjects is not None]
        if not counts or len(counts) < len(self.groups):
            return None
        return reduce(SubjectCount.__add__, counts)

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> BreachFacts:
        """Build facts from a JSON object (either shape); raises ``InvalidFacts`` naming the field."""
        d = c.mapping(d, "facts")
        c.reject_unknown(d, _KNOWN)
        try:
            new = upgrade(c.without_annotations(d))
            if "nature" not in new:
                raise InvalidFacts("nature", "required field is missing")
            return cls(**{key: _READERS[key](value, key) for key, value in new.items()})
        except InvalidFacts as e:
            if legacy.is_old(d):
                raise legacy.old_error(e) from e
            raise

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict that ``from_dict`` reads back to equal facts."""
        return {f.name: _to_json(getattr(self, f.name)) for f in fields(self)}


def problems(d: Mapping[str, Any]) -> tuple[InvalidFacts, ...]:
    """Every problem of a facts object at once (a form shows them together); empty when ``from_dict`` accepts it.

    Each field (each group) is read on its own; the checks across fields run only when every field could be
    read."""
    if not isinstance(d, Mapping):
        return (InvalidFacts("facts", "expected an object"),)
    found = _problems(d)
    return tuple(legacy.old_error(e) for e in found) if legacy.is_old(d) else found


def _problems(d: Mapping[str, Any]) -> tuple[InvalidFacts, ...]:
    found = [c.unknown_fields([key], _KNOWN) for key in d if key not in _KNOWN and not c.is_annotation(key)]
    try:
        d = upgrade(c.without_annotations(d))
    except InvalidFacts as e:
        return (*found, e)
    if "nature" not in d:
        found.append(InvalidFacts("nature", "required field is missing"))
    if "groups" not in d:
        found.append(InvalidFacts("groups", "required field is missing"))
    values: dict[str, Any] = {}
    for key, value in d.items():
        if key in _READERS:
            try:
                values[key] = _READERS[key](value, key)
            except InvalidFacts as e:
                found.extend(_each_group_problem(value, e) if key == "groups" else [e])
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


def _each_group_problem(value: Any, first: InvalidFacts) -> list[InvalidFacts]:
    """Every problem of a ``groups`` list, entry by entry (``first`` is the one reading the list raised)."""
    if not isinstance(value, list):
        return [first]
    found = [e for i, entry in enumerate(value) for e in group_problems(entry, f"groups[{i}]")]
    return found or [first]


def _check_required(f: BreachFacts) -> None:
    if not f.nature:
        raise InvalidFacts("nature", "give at least one of " + ", ".join(m.value for m in BreachNature))
    if not f.groups:
        raise InvalidFacts("groups", "give at least one group with a category (use 'unknown' if not known yet)")


def _check_counts(f: BreachFacts) -> None:
    if f.records is not None and f.records < 0:
        raise InvalidFacts("records", "must not be negative")
    if f.restore_hours is not None and f.restore_hours < 0:
        raise InvalidFacts("restore_hours", "must not be negative")


def _check_recipients(f: BreachFacts) -> None:
    if f.recipients != RecipientFacts() and BreachNature.CONFIDENTIALITY not in f.nature:
        raise InvalidFacts("recipients", "recipients imply a loss of confidentiality; add it to nature")


def _check_service(f: BreachFacts) -> None:
    outage = f.service_effect is not None and f.service_effect.outage is not ServiceOutage.NONE
    if outage and not _AVAILABILITY & f.nature:
        raise InvalidFacts("service_effect.outage", "an outage needs availability_temporary or "
                           "availability_permanent in nature")


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
    _check_service,
    _check_misuse,
    _check_credentials,
    _check_adjustments,
    _check_countries,
)


def _optional_int(value: Any, field: str) -> int | None:
    return None if value is None else c.integer(value, field)


def _groups(value: Any, field: str) -> tuple[AffectedGroup, ...]:
    if not isinstance(value, list) or not value:
        raise InvalidFacts(field, "expected a list of groups {subject_groups, data_subjects, data_categories, "
                           "special_categories}, at least one")
    return tuple(AffectedGroup.from_json(v, f"{field}[{i}]") for i, v in enumerate(value))


def _adjustments(value: Any, field: str) -> tuple[DpcAdjustment, ...]:
    if not isinstance(value, list):
        raise InvalidFacts(field, "expected a list of {factor, steps, note}")
    return tuple(DpcAdjustment.from_json(v, f"{field}[{i}]") for i, v in enumerate(value))


_READERS: Mapping[str, Callable[[Any, str], Any]] = {
    "nature": lambda v, f: c.enum_set(v, BreachNature, f),
    "incident_type": lambda v, f: c.enum(v, IncidentType, f),
    "groups": _groups,
    "credentials_access": lambda v, f: c.enum_set(v, DataCategory, f),
    "dpc_adjustments": _adjustments,
    "records": _optional_int,
    "identifiability": lambda v, f: None if v is None else c.enum(v, Identifiability, f),
    "protection": Protection.from_json,
    "backup_available": c.optional_boolean,
    "restore_hours": c.optional_number,
    "altered_data_misused": c.boolean,
    "malicious": c.boolean,
    "recipients": RecipientFacts.from_json,
    "service_effect": lambda v, f: None if v is None else ServiceEffect.from_json(v, f),
    "cross_border": c.boolean,
    "countries": c.text_list,
    "measures": lambda v, f: c.enum_set(v, Measure, f),
    "measures_description": c.text,
    "high_risk_mitigated": c.boolean,
    "disproportionate_effort": c.boolean,
}
# Accepted on input: the current fields and those of the first shape (converted by ``facts_legacy``).
_KNOWN = frozenset((*_READERS, "data_categories", "special_categories", "subject_groups", "data_subjects"))


def _to_json(value: Any) -> Any:
    """Translate a facts value into plain JSON types (sets become sorted lists)."""
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, frozenset):
        return sorted(v.value for v in value)
    if isinstance(value, SubjectCount | AffectedGroup):
        return value.to_json()
    if isinstance(value, Protection | DpcAdjustment | RecipientFacts | ServiceEffect):  # None values left out
        return {f.name: _to_json(v) for f in fields(value) if (v := getattr(value, f.name)) is not None}
    if isinstance(value, tuple):
        return [_to_json(v) for v in value]
    return value
