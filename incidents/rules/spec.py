"""Rules as data: what a rule looks for, in which shape, over which window. Built by ``parse`` (native YAML)
or by the Sigma adapter; run by ``engine.Engine``."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from incidents.rules.conditions import Condition


class Kind(StrEnum):
    """The shapes of rule the engine evaluates. Values appear in rule files: never change them."""

    MATCH = "match"  # one event is enough
    COUNT = "count"  # N matching events per group in a window (Sigma event_count)
    DISTINCT = "distinct"  # N distinct values of a field per group in a window (Sigma value_count)
    SEQUENCE = "sequence"  # steps in this order within a window (Sigma temporal_ordered)
    ALL = "all"  # steps in any order within a window (Sigma temporal)
    BASELINE = "baseline"  # volume in a window far above the group's own recent average
    ABSENCE = "absence"  # the first step without the second one shortly before it ("A and not B")
    TRAVEL = "travel"  # two events of one group too far apart for the time between them


class BreachType(StrEnum):
    """The GDPR breach type a rule suggests (Art. 4(12); AP form 5.1)."""

    CONFIDENTIALITY = "confidentiality"
    INTEGRITY = "integrity"
    AVAILABILITY = "availability"


@dataclass(frozen=True, slots=True)
class Step:
    """One thing to see: a condition, how often (``count``), optionally of distinct ``distinct`` values."""

    name: str
    condition: Condition
    count: int = 1
    distinct: str | None = None
    personal_data: bool = False  # only on an inventory asset that holds personal data
    group_by: tuple[str, ...] | None = None  # this step's fields for the rule's group (Sigma aliases)
    # (kind, event field) pairs collected from the step's events onto the incident: ("accounts", "user.name")
    affected: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Baseline:
    """Fire when a window's volume >= max(min_volume, factor x the mean of the previous ``history`` windows)."""

    history: int = 24
    factor: float = 10.0
    min_volume: float = 100.0


@dataclass(frozen=True, slots=True)
class Travel:
    """Fire when the speed between two events of a group exceeds ``max_kmh`` over at least ``min_km``."""

    max_kmh: float = 1000.0
    min_km: float = 500.0
    lat_field: str = "source.geo.location.lat"
    lon_field: str = "source.geo.location.lon"


@dataclass(frozen=True, slots=True)
class Rule:
    """A detection rule. Durations are whole seconds; ``suppress`` keeps a group quiet after it fired."""

    id: str
    title: str
    kind: Kind
    steps: tuple[Step, ...]
    breach_type: BreachType = BreachType.CONFIDENTIALITY
    description: str = ""
    severity: str = "medium"
    group_by: tuple[str, ...] = ()
    per_asset: bool = True  # the asset is part of the group
    window: int = 300
    lateness: int = 300
    suppress: int = 3600
    min_steps: int | None = None  # ALL: how many different steps must be seen (default: every step)
    baseline: Baseline | None = None
    travel: Travel | None = None
    volume_field: str | None = None  # COUNT/BASELINE: sum this field (e.g. datalek.records); 1 when absent
    evidence: int = 50  # event ids kept per detection
    source: str = "-"  # the file the rule came from
    exceptions: int = 0  # reviewed exceptions folded into its steps (incidents.rules.exceptions)
