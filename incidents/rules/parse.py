"""Native rules: validate a decoded YAML document into a ``Rule``; every error names file, rule and field.

Conditions are mappings of ``field|modifier...: value`` (a list of values means any of them), ANDed;
``any:``/``all:`` take lists of such mappings, ``not:`` one mapping, ``outside_hours:`` office hours.
Modifiers follow Sigma: contains, startswith, endswith, re, cidr, gt, gte, lt, lte, exists, all, cased.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import time
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from incidents.detection import AFFECTED_KINDS
from incidents.rules.conditions import AllOf, AnyOf, Condition, Field, Not, Op, OutsideHours
from incidents.rules.errors import RuleError
from incidents.rules.spec import Baseline, BreachType, Kind, Rule, Step, Travel

RULE_KEYS = frozenset({
    "id", "title", "description", "breach_type", "severity", "kind", "match", "count", "distinct",
    "personal_data", "steps", "group_by", "per_asset", "window", "lateness", "suppress", "min_steps",
    "baseline", "travel", "sum", "evidence", "examples", "tags", "references", "affected",
})
STEP_KEYS = frozenset({"name", "match", "count", "distinct", "personal_data", "group_by", "affected"})
SEVERITIES = ("low", "medium", "high", "critical")
MODIFIERS = {"contains": Op.CONTAINS, "startswith": Op.STARTSWITH, "endswith": Op.ENDSWITH, "re": Op.RE,
             "cidr": Op.CIDR, "gt": Op.GT, "gte": Op.GTE, "lt": Op.LT, "lte": Op.LTE, "exists": Op.EXISTS}
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_DURATION = re.compile(r"^(\d+)\s*([smhd])$")
_ID = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
SINGLE = (Kind.MATCH, Kind.COUNT, Kind.DISTINCT, Kind.BASELINE, Kind.TRAVEL)


@dataclass(frozen=True, slots=True)
class _Where:
    """Where a value sits, for error messages."""

    source: str
    rule: str

    def error(self, field: str, problem: str) -> RuleError:
        return RuleError(problem, source=self.source, rule=self.rule, field=field)


def rule_from_dict(data: Any, *, source: str = "-") -> Rule:
    """Validate one native rule document."""
    if not isinstance(data, Mapping):
        raise RuleError(f"a rule must be a mapping, got {type(data).__name__}", source=source)
    where = _Where(source, str(data.get("id", "-")))
    unknown = sorted(set(map(str, data)) - RULE_KEYS)
    if unknown:
        raise where.error(unknown[0], f"unknown key (known: {', '.join(sorted(RULE_KEYS))})")
    rule_id = _text(data, "id", where)
    if not _ID.match(rule_id):
        raise where.error("id", "use lower-case letters, digits, '.', '_' and '-'")
    kind = _choice(data, "kind", Kind, where)
    _check_shape(data, kind, where)
    return Rule(
        id=rule_id, title=_text(data, "title", where), kind=kind, steps=_steps(data, kind, where),
        breach_type=_choice(data, "breach_type", BreachType, where),
        description=str(data.get("description", "")).strip(),
        severity=_severity(data, where), group_by=_fields(data.get("group_by", []), "group_by", where),
        per_asset=_bool(data, "per_asset", True, where), window=_duration(data, "window", "5m", where),
        lateness=_duration(data, "lateness", "5m", where), suppress=_duration(data, "suppress", "1h", where),
        min_steps=_optional_int(data, "min_steps", where),
        baseline=_baseline(data, kind, where), travel=_travel(data, kind, where),
        volume_field=_sum(data, kind, where),
        evidence=_int(data, "evidence", 50, where), source=source,
    )


def _check_shape(data: Mapping[str, Any], kind: Kind, where: _Where) -> None:
    if kind in SINGLE and "steps" in data:
        raise where.error("steps", f"kind {kind.value} takes 'match', not 'steps'")
    if kind not in SINGLE and "match" in data:
        raise where.error("match", f"kind {kind.value} takes 'steps', not 'match'")
    if kind is Kind.DISTINCT and "distinct" not in data:
        raise where.error("distinct", "kind distinct needs the field whose distinct values are counted")
    if kind is Kind.COUNT and "count" not in data:
        raise where.error("count", "kind count needs a threshold")


def _steps(data: Mapping[str, Any], kind: Kind, where: _Where) -> tuple[Step, ...]:
    if kind in SINGLE:
        count = _int(data, "count", 1, where) if kind in (Kind.COUNT, Kind.DISTINCT) else 1
        distinct = _text(data, "distinct", where) if kind is Kind.DISTINCT else None
        return (Step("match", condition(data.get("match"), "match", where), count, distinct,
                     _bool(data, "personal_data", False, where), affected=_affected(data, "affected", where)),)
    if "affected" in data:
        raise where.error("affected", f"kind {kind.value} takes 'affected' per step (the step whose events name "
                                      "them)")
    raw = data.get("steps")
    if not isinstance(raw, list) or len(raw) < 2:
        raise where.error("steps", f"kind {kind.value} needs a list of at least two steps")
    if kind is Kind.ABSENCE and len(raw) != 2:
        raise where.error("steps", "kind absence takes exactly two steps: the event and the one that excuses it")
    group_by = _fields(data.get("group_by", []), "group_by", where)
    return tuple(_step(item, f"steps[{i}]", group_by, where) for i, item in enumerate(raw))


def _step(item: Any, path: str, group_by: tuple[str, ...], where: _Where) -> Step:
    if not isinstance(item, Mapping):
        raise where.error(path, "a step must be a mapping with 'match'")
    unknown = sorted(set(map(str, item)) - STEP_KEYS)
    if unknown:
        raise where.error(f"{path}.{unknown[0]}", f"unknown key (known: {', '.join(sorted(STEP_KEYS))})")
    own = _fields(item["group_by"], f"{path}.group_by", where) if "group_by" in item else None
    if own is not None and len(own) != len(group_by):
        raise where.error(f"{path}.group_by", "must name as many fields as the rule's group_by")
    return Step(
        name=str(item.get("name", path)), condition=condition(item.get("match"), f"{path}.match", where),
        count=_int(item, "count", 1, where, prefix=path), distinct=_optional_text(item, "distinct", path, where),
        personal_data=_bool(item, "personal_data", False, where, prefix=path), group_by=own,
        affected=_affected(item, f"{path}.affected", where),
    )


def _affected(data: Mapping[str, Any], path: str, where: _Where) -> tuple[tuple[str, str], ...]:
    """``affected: {accounts: user.name, files: file.name, ...}``: what the incident should list."""
    raw = data.get("affected", {})
    if not isinstance(raw, Mapping) or any(not isinstance(v, str) or not v for v in raw.values()):
        raise where.error(path, f"expected a mapping of {', '.join(AFFECTED_KINDS)} to an event field")
    unknown = sorted(set(map(str, raw)) - set(AFFECTED_KINDS))
    if unknown:
        raise where.error(f"{path}.{unknown[0]}", f"unknown kind (known: {', '.join(AFFECTED_KINDS)})")
    return tuple((str(k), str(v)) for k, v in raw.items())


def condition(raw: Any, path: str, where: _Where) -> Condition:
    """A condition from its YAML form (see the module docstring)."""
    if isinstance(raw, list):
        if not raw:
            raise where.error(path, "an empty list matches nothing")
        return AnyOf(tuple(condition(item, f"{path}[{i}]", where) for i, item in enumerate(raw)))
    if not isinstance(raw, Mapping) or not raw:
        raise where.error(path, "expected a mapping of field: value (or any/all/not)")
    items = tuple(_item(str(key), value, f"{path}.{key}", where) for key, value in raw.items())
    return items[0] if len(items) == 1 else AllOf(items)


def _item(key: str, value: Any, path: str, where: _Where) -> Condition:
    special: dict[str, Callable[[], Condition]] = {
        "any": lambda: AnyOf(_list_of_conditions(value, path, where)),
        "all": lambda: AllOf(_list_of_conditions(value, path, where)),
        "not": lambda: Not(condition(value, path, where)),
        "outside_hours": lambda: _hours(value, path, where),
    }
    if key in special:
        return special[key]()
    name, *mods = key.split("|")
    return _field(name, mods, value, path, where)


def _list_of_conditions(value: Any, path: str, where: _Where) -> tuple[Condition, ...]:
    if not isinstance(value, list) or not value:
        raise where.error(path, "expected a non-empty list of conditions")
    return tuple(condition(v, f"{path}[{i}]", where) for i, v in enumerate(value))


def _field(name: str, mods: list[str], value: Any, path: str, where: _Where) -> Field:
    ops = [MODIFIERS[m] for m in mods if m in MODIFIERS]
    unknown = [m for m in mods if m not in MODIFIERS and m not in ("all", "cased")]
    if unknown or len(ops) > 1 or not name:
        raise where.error(path, f"unknown or conflicting modifiers {mods} (known: {', '.join(MODIFIERS)}, "
                                "all, cased)")
    values = tuple(value) if isinstance(value, list) else (value,)
    if not values or any(isinstance(v, Mapping | list) for v in values):
        raise where.error(path, "expected a value or a list of values")
    op = ops[0] if ops else Op.EQ
    _check_values(op, values, path, where)
    return Field(name, op, values, cased="cased" in mods, every="all" in mods)


def _check_values(op: Op, values: tuple[Any, ...], path: str, where: _Where) -> None:
    for v in values:
        try:
            if op is Op.CIDR:
                ipaddress.ip_network(str(v), strict=False)
            elif op in (Op.GT, Op.GTE, Op.LT, Op.LTE):
                float(v)
            elif op is Op.RE:
                re.compile(str(v))
        except (ValueError, re.error) as e:
            raise where.error(path, f"invalid value {v!r}: {e}") from e


def _hours(value: Any, path: str, where: _Where) -> OutsideHours:
    if not isinstance(value, Mapping):
        raise where.error(path, "expected {tz, start, end, days}")
    tz = str(value.get("tz", "Europe/Amsterdam"))
    try:
        ZoneInfo(tz)
        start, end = (time.fromisoformat(str(value.get(k, d))) for k, d in (("start", "08:00"), ("end", "18:00")))
    except (ZoneInfoNotFoundError, ValueError) as e:
        raise where.error(path, f"invalid time zone or time: {e}") from e
    days = value.get("days", ["mon", "tue", "wed", "thu", "fri"])
    if not isinstance(days, list) or any(d not in DAYS for d in days):
        raise where.error(f"{path}.days", f"expected a list of {', '.join(DAYS)}")
    return OutsideHours(tz, start, end, frozenset(DAYS.index(d) for d in days))


def _baseline(data: Mapping[str, Any], kind: Kind, where: _Where) -> Baseline | None:
    raw = data.get("baseline")
    if kind is not Kind.BASELINE:
        if raw is not None:
            raise where.error("baseline", "only kind baseline takes a baseline")
        return None
    raw = raw or {}
    if not isinstance(raw, Mapping):
        raise where.error("baseline", "expected {history, factor, min_volume}")
    try:
        return Baseline(history=int(raw.get("history", 24)), factor=float(raw.get("factor", 10)),
                        min_volume=float(raw.get("min_volume", 100)))
    except (TypeError, ValueError) as e:
        raise where.error("baseline", f"invalid number: {e}") from e


def _sum(data: Mapping[str, Any], kind: Kind, where: _Where) -> str | None:
    if "sum" not in data:
        return None
    if kind not in (Kind.COUNT, Kind.BASELINE):
        raise where.error("sum", "only kinds count and baseline can sum a field")
    return _text(data, "sum", where)


def _travel(data: Mapping[str, Any], kind: Kind, where: _Where) -> Travel | None:
    raw = data.get("travel")
    if kind is not Kind.TRAVEL:
        if raw is not None:
            raise where.error("travel", "only kind travel takes travel")
        return None
    raw = raw or {}
    try:
        return Travel(max_kmh=float(raw.get("max_kmh", 1000)), min_km=float(raw.get("min_km", 500)))
    except (TypeError, ValueError, AttributeError) as e:
        raise where.error("travel", f"expected {{max_kmh, min_km}} numbers: {e}") from e


def _text(data: Mapping[str, Any], key: str, where: _Where) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        raise where.error(key, "required text is missing")
    return value.strip()


def _optional_text(data: Mapping[str, Any], key: str, path: str, where: _Where) -> str | None:
    value = data.get(key)
    if value is not None and (not isinstance(value, str) or not value):
        raise where.error(f"{path}.{key}", "expected a field name")
    return value


def _choice(data: Mapping[str, Any], key: str, enum: Any, where: _Where) -> Any:
    try:
        return enum(data.get(key))
    except ValueError as e:
        raise where.error(key, f"{data.get(key)!r} is not one of {', '.join(m.value for m in enum)}") from e


def _severity(data: Mapping[str, Any], where: _Where) -> str:
    value = data.get("severity", "medium")
    if value not in SEVERITIES:
        raise where.error("severity", f"{value!r} is not one of {', '.join(SEVERITIES)}")
    return str(value)


def _fields(value: Any, path: str, where: _Where) -> tuple[str, ...]:
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(v, str) and v for v in items):
        raise where.error(path, "expected a field name or a list of field names")
    return tuple(items)


def _int(data: Mapping[str, Any], key: str, default: int, where: _Where, *, prefix: str = "") -> int:
    value = data.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise where.error(f"{prefix}.{key}" if prefix else key, f"expected a positive integer, got {value!r}")
    return value


def _optional_int(data: Mapping[str, Any], key: str, where: _Where) -> int | None:
    return None if data.get(key) is None else _int(data, key, 1, where)


def _bool(data: Mapping[str, Any], key: str, default: bool, where: _Where, *, prefix: str = "") -> bool:
    value = data.get(key, default)
    if not isinstance(value, bool):
        raise where.error(f"{prefix}.{key}" if prefix else key, f"expected true or false, got {value!r}")
    return value


def duration(value: Any) -> int:
    """Whole seconds from an integer or ``30s``/``5m``/``1h``/``2d``; raise ValueError otherwise."""
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    match = _DURATION.match(str(value).strip())
    if not match:
        raise ValueError(f"{value!r} is not a duration such as 30s, 5m, 1h or 1d")
    return int(match[1]) * _UNITS[match[2]]


def _duration(data: Mapping[str, Any], key: str, default: str, where: _Where) -> int:
    try:
        seconds = duration(data.get(key, default))
    except ValueError as e:
        raise where.error(key, str(e)) from e
    if key == "window" and seconds == 0:
        raise where.error(key, "a window must be longer than 0 s")
    return seconds
