"""The parts of a facts document: counts, groups of data subjects, protection, recipients, service effect and
ENISA adjustments. Each reads its own JSON object, ignores ``_`` annotations and names the field in errors.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from . import _coerce as c
from .errors import InvalidFacts
from .vocabulary import (
    DataCategory,
    DpcFactor,
    ProtectionMethod,
    Recipients,
    ServiceOutage,
    SpecialCategory,
    SubjectGroup,
)

RAISING = frozenset({DpcFactor.VOLUME, DpcFactor.CONTROLLER, DpcFactor.INDIVIDUALS})
LOWERING = frozenset({DpcFactor.INACCURACY, DpcFactor.PUBLIC_AVAILABILITY})
OLD_FACTOR_NAMES = {"nature": DpcFactor.INSIGHT.value}  # accepted on input, stored under the new name


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

    def __add__(self, other: SubjectCount) -> SubjectCount:
        return SubjectCount(self.minimum + other.minimum, self.maximum + other.maximum)

    def to_json(self) -> int | dict[str, int]:
        """An integer when exact, else ``{"min": .., "max": ..}``."""
        return self.minimum if self.is_exact else {"min": self.minimum, "max": self.maximum}

    @classmethod
    def from_json(cls, value: Any, field: str) -> SubjectCount:
        """Read an integer, ``{"exact": n}`` or ``{"min": a, "max": b}``."""
        if not isinstance(value, Mapping):
            return cls.exact(c.integer(value, field))
        d = c.fields_of(value, field, frozenset({"exact", "min", "max"}))
        if "exact" in d:
            return cls.exact(c.integer(d["exact"], f"{field}.exact"))
        if "min" not in d or "max" not in d:
            raise InvalidFacts(field, "give an integer, {'exact': n} or both 'min' and 'max'")
        low, high = c.integer(d["min"], f"{field}.min"), c.integer(d["max"], f"{field}.max")
        try:
            return cls(low, high)
        except InvalidFacts as e:
            raise InvalidFacts(field, e.problem) from e


@dataclass(frozen=True, slots=True)
class AffectedGroup:
    """One group of data subjects and what was breached about them (AP 6 and 7 per group). Groups do not
    overlap: each data subject is counted in one group, so "special data of 2 of the 15" is a group of 13 and
    a group of 2."""

    subject_groups: frozenset[SubjectGroup] = frozenset()  # AP 7.1: employees, customers, ...; empty: not stated
    data_subjects: SubjectCount | None = None  # None: not known yet
    data_categories: frozenset[DataCategory] = frozenset()
    special_categories: frozenset[SpecialCategory] = frozenset()

    @property
    def all_categories(self) -> frozenset[DataCategory | SpecialCategory]:
        """Ordinary and special categories of this group together."""
        return frozenset((*self.data_categories, *self.special_categories))

    def to_json(self) -> dict[str, Any]:
        """``{"subject_groups": [..], "data_subjects": .., "data_categories": [..], "special_categories": [..]}``."""
        count = None if self.data_subjects is None else self.data_subjects.to_json()
        return {
            "subject_groups": sorted(k.value for k in self.subject_groups),
            "data_subjects": count,
            "data_categories": sorted(k.value for k in self.data_categories),
            "special_categories": sorted(k.value for k in self.special_categories),
        }

    @classmethod
    def from_json(cls, value: Any, field: str) -> AffectedGroup:
        """Read one entry of ``groups``; raises the first of ``group_problems``."""
        found = group_problems(value, field)
        if found:
            raise found[0]
        d = c.without_annotations(value)
        return cls(**{key: read(d[key], key) for key, read in _GROUP_READERS.items() if key in d})


def group_problems(value: Any, field: str) -> list[InvalidFacts]:
    """Every problem of one entry of ``groups``, each of its fields read on its own."""
    try:
        d = c.fields_of(value, field, frozenset(_GROUP_READERS))
    except InvalidFacts as e:
        return [e]
    found = []
    for key, read in _GROUP_READERS.items():
        try:
            read(d.get(key, [] if key != "data_subjects" else None), f"{field}.{key}")
        except InvalidFacts as e:
            found.append(e)
    if not d.get("data_categories") and not d.get("special_categories"):
        hint = "give at least one category (use 'unknown' if not known yet)"
        found.append(InvalidFacts(f"{field}.data_categories", hint))
    return found


_GROUP_READERS: Mapping[str, Callable[[Any, str], Any]] = {
    "subject_groups": lambda v, f: c.enum_set(v, SubjectGroup, f),
    "data_subjects": lambda v, f: None if v is None else SubjectCount.from_json(v, f),
    "data_categories": lambda v, f: c.enum_set(v, DataCategory, f),
    "special_categories": lambda v, f: c.enum_set(v, SpecialCategory, f),
}


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
        d = c.fields_of(value, field, frozenset({"method", "state_of_the_art", "key_safe", "effective"}))
        return cls(
            method=c.enum(d.get("method", "none"), ProtectionMethod, f"{field}.method"),
            state_of_the_art=c.boolean(d.get("state_of_the_art", False), f"{field}.state_of_the_art"),
            key_safe=c.boolean(d.get("key_safe", False), f"{field}.key_safe"),
            effective=c.optional_boolean(d.get("effective"), f"{field}.effective"),
        )


@dataclass(frozen=True, slots=True)
class RecipientFacts:
    """Who received the data (ENISA CB), and whether a known recipient is trusted and confirmed deleting them
    (EDPB 01/2021 and 9/2022: that lowers the risk)."""

    received: Recipients = Recipients.NONE
    trusted: bool = False  # a recipient the controller can trust (an employee, a partner under contract)
    deletion_confirmed: bool = False  # the recipient confirmed deleting or returning the data

    def __post_init__(self) -> None:
        if (self.trusted or self.deletion_confirmed) and self.received is not Recipients.KNOWN:
            raise InvalidFacts("recipients.received", "trusted/deletion_confirmed need received 'known'")

    @property
    def contained(self) -> bool:
        """A trusted recipient confirmed deleting the data."""
        return self.trusted and self.deletion_confirmed

    @classmethod
    def from_json(cls, value: Any, field: str) -> RecipientFacts:
        """Read ``{"received": "none"|"known"|"unknown", "trusted": .., "deletion_confirmed": ..}``; a bare
        ``"none"``, ``"known"`` or ``"unknown"`` (the old shape) is ``{"received": ..}``."""
        if isinstance(value, str):
            return cls(c.enum(value, Recipients, field))
        d = c.fields_of(value, field, frozenset({"received", "trusted", "deletion_confirmed"}))
        return cls(
            received=c.enum(d.get("received", "none"), Recipients, f"{field}.received"),
            trusted=c.boolean(d.get("trusted", False), f"{field}.trusted"),
            deletion_confirmed=c.boolean(d.get("deletion_confirmed", False), f"{field}.deletion_confirmed"),
        )


@dataclass(frozen=True, slots=True)
class ServiceEffect:
    """Effect on a service (AP 9.1): was a service interrupted, was it essential, and for how long."""

    outage: ServiceOutage = ServiceOutage.NONE
    essential: bool = False  # an essential service for the data subjects (care, payments, utilities)
    hours: float | None = None  # duration of a temporary outage, so far or expected; None: not known

    def __post_init__(self) -> None:
        if self.hours is not None and (self.hours < 0 or self.outage is not ServiceOutage.TEMPORARY):
            raise InvalidFacts("service_effect.hours", "give hours >= 0, and only for outage 'temporary'")
        if self.essential and self.outage is ServiceOutage.NONE:
            raise InvalidFacts("service_effect.essential", "essential needs outage 'temporary' or 'permanent'")

    @classmethod
    def from_json(cls, value: Any, field: str) -> ServiceEffect:
        """Read ``{"outage": "none"|"temporary"|"permanent", "essential": .., "hours": ..}``."""
        d = c.fields_of(value, field, frozenset({"outage", "essential", "hours"}))
        return cls(
            outage=c.enum(d.get("outage", "none"), ServiceOutage, f"{field}.outage"),
            essential=c.boolean(d.get("essential", False), f"{field}.essential"),
            hours=c.optional_number(d.get("hours"), f"{field}.hours"),
        )


@dataclass(frozen=True, slots=True)
class DpcAdjustment:
    """One ENISA contextual factor moving the DPC score by whole steps, with the analyst's note."""

    factor: DpcFactor
    steps: int
    note: str = ""

    def __post_init__(self) -> None:
        if self.steps == 0 or abs(self.steps) > 3:
            raise InvalidFacts("dpc_adjustments", f"steps must be {_allowed_steps(self.factor)}")
        if (self.factor in RAISING and self.steps < 0) or (self.factor in LOWERING and self.steps > 0):
            way = "raise" if self.factor in RAISING else "lower"
            raise InvalidFacts(
                "dpc_adjustments",
                f"factor {self.factor.value!r} can only {way} the score: steps {_allowed_steps(self.factor)}",
            )

    @classmethod
    def from_json(cls, value: Any, field: str) -> DpcAdjustment:
        """Read ``{"factor": .., "steps": .., "note": ..}``; the old factor name "nature" reads as "insight"."""
        d = c.fields_of(value, field, frozenset({"factor", "steps", "note"}))
        name = d.get("factor")
        factor = c.enum(OLD_FACTOR_NAMES.get(name, name) if isinstance(name, str) else name, DpcFactor,
                        f"{field}.factor")
        steps = c.integer(d.get("steps"), f"{field}.steps")
        try:
            return cls(factor, steps, c.text(d.get("note", ""), f"{field}.note"))
        except InvalidFacts as e:
            raise InvalidFacts(f"{field}.steps", e.problem) from e


def _allowed_steps(factor: DpcFactor) -> str:
    if factor in RAISING:
        return "1..3"
    return "-3..-1" if factor in LOWERING else "-3..-1 or 1..3"
