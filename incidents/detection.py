"""A detection: a rule fired for one group in one window. The rules themselves live in ``incidents.rules``."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

AFFECTED_KINDS = ("accounts", "users", "files", "records")  # names a rule's ``affected:`` spec may use


@dataclass(frozen=True, slots=True)
class Affected:
    """Who and what a breach touches: taken-over ``accounts``, acting ``users``, ``files``, and record counts
    per event (``records``: (event id, count) pairs, so a count reported twice is counted once).

    These are personal data: shown to the people handling the incident, never in alerts or logs.
    """

    accounts: frozenset[str] = frozenset()
    users: frozenset[str] = frozenset()
    files: frozenset[str] = frozenset()
    records: tuple[tuple[str, int], ...] = ()

    def __bool__(self) -> bool:
        return bool(self.accounts or self.users or self.files or self.records)

    @property
    def record_count(self) -> int | None:
        """Records the events report, summed over distinct events; None when no event said it."""
        return sum(n for _, n in self.records) if self.records else None

    def merge(self, other: Affected) -> Affected:
        """Union of both (idempotent: merging the same value twice changes nothing)."""
        if not other:
            return self
        counts = dict(self.records)
        for event_id, n in other.records:
            counts[event_id] = max(n, counts.get(event_id, 0))
        return Affected(self.accounts | other.accounts, self.users | other.users, self.files | other.files,
                        tuple(sorted(counts.items())))

    def to_dict(self) -> dict[str, Any]:
        """The stored and shown form; empty kinds are left out."""
        data: dict[str, Any] = {k: sorted(getattr(self, k)) for k in ("accounts", "users", "files")
                                if getattr(self, k)}
        if self.records:
            data["records"] = self.record_count
            data["records_by_event"] = dict(self.records)
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> Affected:
        if not data:
            return cls()
        by_event = data.get("records_by_event") or {}
        accounts, users, files = (frozenset(map(str, data.get(k) or ())) for k in ("accounts", "users", "files"))
        return cls(accounts, users, files, tuple(sorted((str(e), int(n)) for e, n in by_event.items())))

    @classmethod
    def of(cls, values: Iterable[tuple[str, Any]], *, event_id: str) -> Affected:
        """From (kind, value) pairs taken from one event; ``records`` values count for that event."""
        sets: dict[str, set[str]] = {"accounts": set(), "users": set(), "files": set()}
        records: tuple[tuple[str, int], ...] = ()
        for kind, value in values:
            if kind == "records":
                records = ((event_id, int(value)),)
            else:
                sets[kind].add(str(value))
        return cls(frozenset(sets["accounts"]), frozenset(sets["users"]), frozenset(sets["files"]), records)


# the longest values the store keeps (incidents.persistence.rows); longer ones come from hostile or odd events
LIMITS = {"key": 400, "rule_id": 120, "entity": 300, "asset": 120, "summary": 300, "extends": 400}
EVENT_ID_LIMIT = 128


@dataclass(frozen=True, slots=True)
class Detection:
    """A rule fired for one group in one window.

    ``key`` is ``rule|asset|group|window_start`` (stable), so replays and redeliveries are idempotent.
    ``entity`` is the group (``source.ip=...``); ``summary`` holds counts and titles only, no personal data.
    ``asset_known`` is False when the data inventory does not know the asset (it may hold personal data).
    ``affected`` names who and what the events touch (personal data: never in alerts or logs).
    ``extends`` makes this an update, not a detection: a later event of a group whose rule fired (and is
    now suppressed) adds its ``affected`` entities to the incident holding the detection ``extends``.
    """

    key: str
    rule_id: str
    entity: str
    asset: str | None
    breach_type: str
    window_start: datetime
    window_end: datetime
    detected_at: datetime
    count: int
    event_ids: tuple[str, ...]
    summary: str
    severity: str = "medium"  # the rule's severity hint: low | medium | high | critical
    asset_known: bool = True
    affected: Affected = Affected()
    extends: str | None = None


def fit(text: str, size: int) -> str:
    """``text`` if it fits, else a prefix plus ``~`` and a hash of the whole, so distinct values stay distinct
    and the same value always gives the same result (detection keys stay idempotent)."""
    if len(text) <= size:
        return text
    return f"{text[:size - 17]}~{hashlib.sha256(text.encode('utf-8', 'surrogatepass')).hexdigest()[:16]}"


def bounded(d: Detection) -> Detection:
    """The detection with every stored text within its column's size: an over-long asset or entity (a hostile
    host name, a 500-character user name) must not lose the detection."""
    texts = {name: getattr(d, name) for name in LIMITS}
    fitted = {name: fit(value, LIMITS[name]) for name, value in texts.items() if value is not None}
    ids = tuple(fit(i, EVENT_ID_LIMIT) for i in d.event_ids)
    if fitted == {k: v for k, v in texts.items() if v is not None} and ids == d.event_ids:
        return d
    return replace(d, event_ids=ids, **fitted)  # type: ignore[arg-type]  # only the str fields of LIMITS
