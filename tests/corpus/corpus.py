"""The labelled corpus as data: load manifest.yml, replay a case, score it against its labels.

Shared by ``bench/detection_quality.py`` (the table) and ``tests/unit/test_detection_corpus.py`` (the
table-driven test). A case is replayed by ``datalek.replay.run``: the same parsers, rules, inventory and
correlation as the stream.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from datalek.replay import ReplayOptions, run
from tests.corpus.generate import ROOT, materialise

MANIFEST = Path(__file__).resolve().parent / "manifest.yml"


@dataclass(frozen=True, slots=True)
class Case:
    file: str
    format: str
    dialect: str
    expect: tuple[str, ...]  # empty: a near miss
    incidents: int
    near: tuple[str, ...] = ()
    options: dict[str, Any] = field(default_factory=dict)

    @property
    def is_near_miss(self) -> bool:
        return not self.expect

    @property
    def path(self) -> Path:
        return ROOT / self.file


@dataclass(frozen=True, slots=True)
class Outcome:
    """What the replay of one case gave, next to its labels."""

    case: Case
    fired: Counter[str]  # rule id -> detections
    incident_rules: tuple[tuple[str, ...], ...]  # per incident, its rules
    events: int
    rejected: int

    @property
    def missed(self) -> list[str]:
        return [rule for rule in self.case.expect if not self.fired[rule]]

    @property
    def unexpected(self) -> list[str]:
        return sorted(rule for rule in self.fired if rule not in self.case.expect)

    @property
    def false_incidents(self) -> int:
        """Incidents none of whose rules the case expects (every incident of a near miss)."""
        return sum(1 for rules in self.incident_rules if not set(rules) & set(self.case.expect))

    @property
    def ok(self) -> bool:
        return not self.missed and not self.unexpected and len(self.incident_rules) == self.case.incidents


def load(manifest: Path = MANIFEST) -> list[Case]:
    data = yaml.safe_load(manifest.read_text(encoding="utf-8"))
    defaults = data.get("defaults") or {}
    cases = []
    for entry in data["cases"]:
        expect = entry["expect"]
        cases.append(Case(
            file=entry["file"], format=entry["format"], dialect=entry["dialect"],
            expect=() if expect == "none" else tuple(expect), incidents=int(entry.get("incidents", 0)),
            near=tuple(entry.get("near") or ()),
            options=_options({**(defaults.get("options") or {}), **(entry.get("options") or {})})))
    return cases


def _options(options: dict[str, Any]) -> dict[str, Any]:
    """``rules_dirs`` (e.g. a folder of exceptions) are relative to the manifest's folder."""
    if "rules_dirs" in options:
        options["rules_dirs"] = tuple(MANIFEST.parent / d for d in options["rules_dirs"])
    return options


def replay(case: Case) -> Outcome:
    """Replay one case (its file is written first if it is a generated bulk file)."""
    if not case.path.exists():
        materialise()
    records = list(run(case.path, ReplayOptions(fmt=case.format, **case.options)))
    summary = records[-1]
    return Outcome(
        case=case,
        fired=Counter(r["rule_id"] for r in records if r["kind"] == "detection"),
        incident_rules=tuple(tuple(r["rule_ids"]) for r in records if r["kind"] == "incident"),
        events=summary["events"], rejected=summary["rejected"])
