"""Exceptions: events a security team has reviewed and does not want a rule to count again.

A scheduled job is no attack, but it looks like one every night: the reporting account that exports every
customer record at 03:00 (a mass access and an export after hours), the backup that reads the file share,
the vulnerability scanner that tries logins. An exception names the rules, the events (the rules' own
condition language), why, who owns it and until when; those events then do not count for those rules, on
every path (the stream, its route stage, ``datalek replay``). It sits in a rules folder, in a file of its own:

    exceptions:
      - rules: [data.mass_access, data.export_after_hours]
        match: {user.name: svc-rapportage, service.name: crm, event.action: export}
        reason: nightly export to the reporting warehouse (CHG-2026-114)
        owner: security@24online.nl
        until: 2027-06-30          # optional: events from that day on count again (event time, Amsterdam)

An exception is narrow on purpose: a rule id list (no wildcard), a non-empty match on the event's own fields
(``host.name``, ``service.name``: the asset the inventory derives is not one), a reason and an owner; ``until``
is compared with each event's time, so a replay of old events gives what the stream gave then.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from incidents.rules.conditions import AllOf, AnyOf, Before, Condition, Not
from incidents.rules.errors import RuleError
from incidents.rules.parse import _Where, condition
from incidents.rules.spec import Rule

KEYS = frozenset({"rules", "match", "reason", "owner", "until"})
ZONE = ZoneInfo("Europe/Amsterdam")


@dataclass(frozen=True, slots=True)
class RuleException:
    rules: tuple[str, ...]
    condition: Condition
    reason: str
    owner: str
    until: date | None = None
    source: str = "-"
    match: Any = None  # the match as written, for ``datalek rules``

    def applies(self) -> Condition:
        """The events it takes out: its match, before ``until`` when it has one."""
        if self.until is None:
            return self.condition
        end = datetime.combine(self.until, time(), ZONE).timestamp()
        return AllOf((self.condition, Before(end)))


def exceptions_from_dict(data: Any, *, source: str = "-") -> list[RuleException]:
    """The entries of one ``exceptions:`` document."""
    entries = data.get("exceptions") if isinstance(data, Mapping) else None
    if not isinstance(entries, list) or not entries:
        raise RuleError("expected exceptions: a non-empty list", source=source)
    return [_entry(item, source, f"exceptions[{n}]") for n, item in enumerate(entries)]


def _entry(item: Any, source: str, path: str) -> RuleException:
    where = _Where(source, path)
    if not isinstance(item, Mapping):
        raise where.error(path, "expected a mapping with rules, match, reason, owner (and until)")
    unknown = sorted(set(map(str, item)) - KEYS)
    if unknown:
        raise where.error(f"{path}.{unknown[0]}", f"unknown key (known: {', '.join(sorted(KEYS))})")
    rules = item.get("rules")
    rules = [rules] if isinstance(rules, str) else rules
    if not isinstance(rules, list) or not rules or not all(isinstance(r, str) and r and r != "*" for r in rules):
        raise where.error(f"{path}.rules", "expected a rule id or a list of rule ids (no wildcard)")
    texts = {}
    for key in ("reason", "owner"):
        value = item.get(key)
        if not isinstance(value, str) or not value.strip():
            raise where.error(f"{path}.{key}", "required: who may read this exception must see why and whose it is")
        texts[key] = value.strip()
    if "match" not in item:
        raise where.error(f"{path}.match", "required: the events it takes out")
    return RuleException(tuple(rules), condition(item["match"], f"{path}.match", where), texts["reason"],
                         texts["owner"], _until(item.get("until"), f"{path}.until", where), source, item["match"])


def _until(value: Any, path: str, where: _Where) -> date | None:
    if value is None or isinstance(value, date) and not isinstance(value, datetime):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError as e:
        raise where.error(path, "expected a date (YYYY-MM-DD)") from e


def apply_exceptions(rules: Sequence[Rule], exceptions: Iterable[RuleException]) -> list[Rule]:
    """The rules with their exceptions folded into every step's condition; an exception naming a rule that
    is not loaded is an error (a typo would silently except nothing)."""
    by_rule: dict[str, list[RuleException]] = {}
    for exception in exceptions:
        for rule_id in exception.rules:
            by_rule.setdefault(rule_id, []).append(exception)
    known = {r.id for r in rules}
    for rule_id, found in by_rule.items():
        if rule_id not in known:
            raise RuleError(f"exception for a rule that is not loaded: {rule_id}", source=found[0].source)
    out = []
    for rule in rules:
        found = by_rule.get(rule.id)
        if not found:
            out.append(rule)
            continue
        taken = AnyOf(tuple(e.applies() for e in found))
        steps = tuple(dataclasses.replace(s, condition=AllOf((s.condition, Not(taken)))) for s in rule.steps)
        out.append(dataclasses.replace(rule, steps=steps, exceptions=len(found)))
    return out
