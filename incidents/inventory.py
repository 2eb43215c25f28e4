"""The data inventory: which systems hold which personal data, about whom, how many, how protected.

Pure (standard library and the assessment vocabulary). ``Inventory.from_dict`` validates a decoded YAML
document and names the offending field; ``Inventory.prefill(assets)`` gives the categories and counts an
incident on those assets starts its assessment with (``BreachFacts`` pre-fill, issue 3). The inventory
also tells the rule engine which asset an event belongs to and whether it may hold personal data: an asset
the inventory does not know may (fail safe, until the FG says otherwise); a listed asset without data
categories does not.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from incidents.assessment import (
    AffectedGroup,
    BreachFacts,
    BreachNature,
    DataCategory,
    Protection,
    ProtectionMethod,
    SpecialCategory,
    SubjectCount,
    SubjectGroup,
)
from incidents.errors import IncidentError
from incidents.security_event import SecurityEvent

ASSET_KEYS = frozenset({"id", "name", "description", "owner", "data_categories", "special_categories",
                        "subject_groups", "data_subjects", "records", "encrypted_at_rest", "hosts", "aliases"})
NATURE = {"confidentiality": BreachNature.CONFIDENTIALITY, "integrity": BreachNature.INTEGRITY,
          "availability": BreachNature.AVAILABILITY_TEMPORARY}  # permanent loss is the analyst's call


class InvalidInventory(IncidentError):
    """The inventory file is invalid; the message names the file and the field."""


@dataclass(frozen=True, slots=True)
class Asset:
    """A system of the organisation. ``hosts`` (wildcards allowed) and ``aliases`` map events to it. One listed
    without data categories is known to hold no personal data."""

    id: str
    name: str
    owner: str
    data_categories: frozenset[DataCategory]
    special_categories: frozenset[SpecialCategory] = frozenset()
    subject_groups: frozenset[SubjectGroup] = frozenset()
    data_subjects: SubjectCount | None = None
    records: int | None = None
    encrypted_at_rest: bool = False
    hosts: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    description: str = ""

    @property
    def holds_personal_data(self) -> bool:
        return bool(self.data_categories or self.special_categories)


@dataclass(frozen=True, slots=True)
class Prefill:
    """What the inventory says about the data an incident on some assets may concern."""

    assets: tuple[str, ...]
    data_categories: frozenset[DataCategory]
    special_categories: frozenset[SpecialCategory]
    subject_groups: frozenset[SubjectGroup]
    data_subjects: SubjectCount | None
    records: int | None
    protection: Protection

    def facts(self, breach_types: Iterable[str]) -> BreachFacts | None:
        """Draft facts for the assessment, or None when no known asset or breach type is involved."""
        nature = frozenset(NATURE[t] for t in breach_types if t in NATURE)
        if not nature or not (self.data_categories or self.special_categories):
            return None
        group = AffectedGroup(subject_groups=self.subject_groups, data_subjects=self.data_subjects,
                              data_categories=self.data_categories, special_categories=self.special_categories)
        return BreachFacts(nature=nature, groups=(group,), records=self.records, protection=self.protection)

    def to_dict(self) -> dict[str, Any]:
        return {"assets": list(self.assets), "data_categories": sorted(c.value for c in self.data_categories),
                "special_categories": sorted(c.value for c in self.special_categories),
                "subject_groups": sorted(g.value for g in self.subject_groups),
                "data_subjects": self.data_subjects.to_json() if self.data_subjects else None,
                "records": self.records, "encrypted_at_rest": self.protection.method is ProtectionMethod.ENCRYPTED}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Prefill:
        """Read back what ``to_dict`` wrote (stored on the incident)."""
        count = data["data_subjects"]
        subjects = SubjectCount.exact(count) if isinstance(count, int) else (
            SubjectCount(count["min"], count["max"]) if count else None)
        method = ProtectionMethod.ENCRYPTED if data["encrypted_at_rest"] else ProtectionMethod.NONE
        return cls(assets=tuple(data["assets"]), data_categories=frozenset(map(DataCategory, data["data_categories"])),
                   special_categories=frozenset(map(SpecialCategory, data["special_categories"])),
                   subject_groups=frozenset(map(SubjectGroup, data["subject_groups"])), data_subjects=subjects,
                   records=data["records"], protection=Protection(method))


@dataclass(frozen=True, slots=True)
class Inventory:
    organisation: str
    assets: tuple[Asset, ...]

    def get(self, name: str | None) -> Asset | None:
        """The asset with this id or alias."""
        if name is None:
            return None
        return next((a for a in self.assets if name == a.id or name in a.aliases), None)

    def asset_of(self, event: SecurityEvent) -> str | None:
        """The inventory id of the event's asset (by id, alias or host), else its own asset or host."""
        known = self.get(event.asset)
        if known:
            return known.id
        if event.asset:
            return event.asset
        host = event.host
        found = next((a for a in self.assets if host and any(fnmatch.fnmatch(host.lower(), p.lower())
                                                               for p in a.hosts)), None)
        return found.id if found else host

    def knows(self, asset: str | None) -> bool:
        """Whether the asset is in the inventory (by id or alias)."""
        return self.get(asset) is not None

    def holds_personal_data(self, asset: str | None) -> bool:
        """May the asset hold personal data? Fail safe: an asset the inventory does not know may."""
        found = self.get(asset)
        return found is None or found.holds_personal_data

    def unknown(self, assets: Iterable[str | None]) -> list[str]:
        """The assets (or hosts) the inventory lacks, sorted, once each: for the FG to complete it."""
        return sorted({a for a in assets if a and not self.knows(a)})

    def prefill(self, assets: Iterable[str | None]) -> Prefill:
        """Union of categories and groups over the known assets; subjects as a range (they may overlap)."""
        known = [a for a in dict.fromkeys(filter(None, map(self.get, assets)))]
        counts = [a.data_subjects for a in known if a.data_subjects]
        records = [a.records for a in known if a.records is not None]
        encrypted = bool(known) and all(a.encrypted_at_rest for a in known)
        return Prefill(
            assets=tuple(a.id for a in known),
            data_categories=frozenset().union(*(a.data_categories for a in known)),
            special_categories=frozenset().union(*(a.special_categories for a in known)),
            subject_groups=frozenset().union(*(a.subject_groups for a in known)),
            data_subjects=SubjectCount(max(c.minimum for c in counts), sum(c.maximum for c in counts))
            if counts else None,
            records=sum(records) if records else None,
            protection=Protection(ProtectionMethod.ENCRYPTED if encrypted else ProtectionMethod.NONE),
        )

    @classmethod
    def from_dict(cls, data: Any, *, source: str = "-") -> Inventory:
        """Validate a decoded inventory document: ``{organisation, assets: [...]}``."""
        if not isinstance(data, Mapping) or not isinstance(data.get("assets"), list):
            raise InvalidInventory(f"{source}: expected a mapping with 'organisation' and a list 'assets'")
        assets = tuple(_asset(item, f"{source}: assets[{i}]") for i, item in enumerate(data["assets"]))
        names = [n for a in assets for n in (a.id, *a.aliases)]
        duplicate = next((n for n in names if names.count(n) > 1), None)
        if duplicate:
            raise InvalidInventory(f"{source}: asset id or alias {duplicate!r} is used twice")
        return cls(str(data.get("organisation", "")), assets)


def _asset(item: Any, where: str) -> Asset:
    if not isinstance(item, Mapping):
        raise InvalidInventory(f"{where}: expected a mapping")
    where = f"{where} ({item.get('id')})"
    unknown = sorted(set(item) - ASSET_KEYS)
    if unknown:
        raise InvalidInventory(f"{where}.{unknown[0]}: unknown field (known: {', '.join(sorted(ASSET_KEYS))})")
    for key in ("id", "name", "owner"):
        if not isinstance(item.get(key), str) or not item[key]:
            raise InvalidInventory(f"{where}.{key}: required text is missing")
    return Asset(
        id=item["id"], name=item["name"], owner=item["owner"], description=str(item.get("description", "")),
        data_categories=_enums(item, "data_categories", DataCategory, where),
        special_categories=_enums(item, "special_categories", SpecialCategory, where),
        subject_groups=_enums(item, "subject_groups", SubjectGroup, where),
        data_subjects=_count(item.get("data_subjects"), f"{where}.data_subjects"),
        records=_optional_int(item.get("records"), f"{where}.records"),
        encrypted_at_rest=_flag(item.get("encrypted_at_rest", False), f"{where}.encrypted_at_rest"),
        hosts=_texts(item.get("hosts", []), f"{where}.hosts"), aliases=_texts(item.get("aliases", []),
                                                                              f"{where}.aliases"),
    )


def _enums(item: Mapping[str, Any], key: str, kind: Any, where: str) -> frozenset[Any]:
    values = item.get(key, [])
    if not isinstance(values, list):
        raise InvalidInventory(f"{where}.{key}: expected a list")
    try:
        return frozenset(kind(v) for v in values)
    except ValueError as e:
        raise InvalidInventory(f"{where}.{key}: {e} (known: {', '.join(m.value for m in kind)})") from e


def _count(value: Any, where: str) -> SubjectCount | None:
    if value is None:
        return None
    try:
        return SubjectCount.from_json(value, where)
    except IncidentError as e:
        raise InvalidInventory(f"{where}: {e}") from e


def _optional_int(value: Any, where: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidInventory(f"{where}: expected a non-negative integer")
    return value


def _flag(value: Any, where: str) -> bool:
    if not isinstance(value, bool):
        raise InvalidInventory(f"{where}: expected true or false")
    return value


def _texts(value: Any, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise InvalidInventory(f"{where}: expected a list of names")
    return tuple(value)
