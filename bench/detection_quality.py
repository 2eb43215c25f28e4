"""Detection quality on the labelled corpus (tests/corpus): recall and false incidents per rule and per dialect.

    .venv/bin/python bench/detection_quality.py [--json] [--min-recall 0.95] [--cases] [--only SUBSTRING]

Every case of tests/corpus/manifest.yml is replayed with ``datalek.replay.run`` (the stream's parsers,
rules, inventory and correlation, offline) and compared with its labels:

- recall: of the (attack case, expected rule) pairs, the share where the rule fired;
- false incidents: incidents none of whose rules the case expects (on a near miss: every incident);
- unexpected: cases where a rule fired that the case does not expect (also inside a true incident);
- incidents: cases whose number of incidents differs from the label (one attack should be one incident).

Exit status 1 when recall < --min-recall or a near miss opened an incident; 0 otherwise.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from datalek.rules import load_rules  # noqa: E402
from tests.corpus.corpus import Outcome, load, replay  # noqa: E402


def score(outcomes: list[Outcome], rule_ids: list[str]) -> dict[str, Any]:
    """Per rule, per dialect and overall figures (plain JSON)."""
    rules = {rule: _blank() for rule in rule_ids}
    dialects: dict[str, dict[str, Any]] = defaultdict(_blank)
    for outcome in outcomes:
        case = outcome.case
        row = dialects[case.dialect]
        for rule in case.expect:
            hit = int(bool(outcome.fired[rule]))
            for bucket in (rules.setdefault(rule, _blank()), row):
                bucket["expected"] += 1
                bucket["detected"] += hit
        for bucket in {id(b): b for b in [*(rules[r] for r in case.expect), row]}.values():
            bucket["attack_cases" if case.expect else "near_misses"] += 1
        if case.is_near_miss:
            for rule in case.near:
                rules.setdefault(rule, _blank())["near_misses"] += 1
        for rule in outcome.unexpected:
            rules.setdefault(rule, _blank())["unexpected"] += 1
            row["unexpected"] += 1
        false = outcome.false_incidents
        row["false_incidents"] += false
        if case.is_near_miss:
            row["near_miss_incidents"] += false
        for rules_of_incident in outcome.incident_rules:
            if not set(rules_of_incident) & set(case.expect):
                for rule in rules_of_incident:
                    rules.setdefault(rule, _blank())["false_incidents"] += 1
                    if case.is_near_miss:
                        rules[rule]["near_miss_incidents"] += 1
        if case.expect and len(outcome.incident_rules) != case.incidents:
            row["incident_count_off"] += 1
    expected = sum(r["expected"] for r in dialects.values())
    detected = sum(r["detected"] for r in dialects.values())
    total = {
        "cases": len(outcomes), "attack_cases": sum(1 for o in outcomes if o.case.expect),
        "near_misses": sum(1 for o in outcomes if o.case.is_near_miss), "expected": expected,
        "detected": detected, "recall": _ratio(detected, expected),
        "false_incidents": sum(o.false_incidents for o in outcomes),
        "near_miss_incidents": sum(o.false_incidents for o in outcomes if o.case.is_near_miss),
        "unexpected": sum(len(o.unexpected) for o in outcomes),
        "incident_count_off": sum(1 for o in outcomes if o.case.expect and len(o.incident_rules) != o.case.incidents),
        "events": sum(o.events for o in outcomes), "rejected": sum(o.rejected for o in outcomes),
    }
    for bucket in (*rules.values(), *dialects.values()):
        bucket["recall"] = _ratio(bucket["detected"], bucket["expected"])
    return {"total": total, "rules": rules, "dialects": dict(sorted(dialects.items())),
            "cases": [_case_record(o) for o in outcomes]}


def _blank() -> dict[str, Any]:
    return {"attack_cases": 0, "near_misses": 0, "expected": 0, "detected": 0, "false_incidents": 0,
            "near_miss_incidents": 0, "unexpected": 0, "incident_count_off": 0}


def _ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 3) if whole else None


def _case_record(outcome: Outcome) -> dict[str, Any]:
    case = outcome.case
    return {"file": case.file, "format": case.format, "dialect": case.dialect, "expect": list(case.expect),
            "fired": dict(sorted(outcome.fired.items())), "missed": outcome.missed, "unexpected": outcome.unexpected,
            "incidents": len(outcome.incident_rules), "expected_incidents": case.incidents,
            "false_incidents": outcome.false_incidents, "events": outcome.events, "rejected": outcome.rejected,
            "ok": outcome.ok}


def table(title: str, rows: dict[str, dict[str, Any]], *, key: str) -> str:
    head = f"{key:<28} {'attacks':>7} {'found':>7} {'recall':>7} {'near':>5} {'false inc':>9} {'unexp':>6}"
    lines = [title, head, "-" * len(head)]
    for name, row in rows.items():
        recall = "-" if row["recall"] is None else f"{row['recall']:.2f}"
        lines.append(f"{name:<28} {row['expected']:>7} {row['detected']:>7} {recall:>7} {row['near_misses']:>5} "
                     f"{row['false_incidents']:>9} {row['unexpected']:>6}")
    return "\n".join(lines)


def report(result: dict[str, Any], *, cases: bool) -> str:
    total = result["total"]
    recall = "-" if total["recall"] is None else f"{total['recall']:.3f}"
    parts = [
        table("Per rule (attacks = expected (case, rule) pairs; near = near misses of the rule)", result["rules"],
              key="rule"),
        table("Per dialect", result["dialects"], key="dialect"),
        (f"Total: {total['cases']} cases ({total['attack_cases']} attacks, {total['near_misses']} near misses), "
         f"{total['events']} events, {total['rejected']} rejected; recall {recall} "
         f"({total['detected']}/{total['expected']}); false incidents {total['false_incidents']} "
         f"(on near misses {total['near_miss_incidents']}); unexpected rule detections {total['unexpected']}; "
         f"cases with another incident count than labelled {total['incident_count_off']}"),
    ]
    if cases:
        lines = ["Cases (ok / MISS / FALSE / COUNT):"]
        for c in result["cases"]:
            flag = "ok" if c["ok"] else ("MISS" if c["missed"] else "FALSE" if c["unexpected"] or c["false_incidents"]
                                         else "COUNT")
            lines.append(f"  {flag:<5} {c['file']:<52} {c['format']:<10} events={c['events']:<5} "
                         f"rejected={c['rejected']:<5} incidents={c['incidents']}/{c['expected_incidents']} "
                         f"fired={','.join(c['fired']) or '-'}")
        parts.append("\n".join(lines))
    return "\n\n".join(parts) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--min-recall", type=float, default=0.95, help="exit 1 below this recall (default 0.95)")
    parser.add_argument("--cases", action="store_true", help="also list every case")
    parser.add_argument("--only", default="", help="only cases whose file contains this text")
    args = parser.parse_args(argv)
    selected = [case for case in load() if args.only in case.file]
    outcomes = [replay(case) for case in selected]
    result = score(outcomes, sorted(rule.id for rule in load_rules(())))
    sys.stdout.write(json.dumps(result, indent=2) + "\n" if args.json else report(result, cases=args.cases))
    total = result["total"]
    failed = (total["recall"] or 0.0) < args.min_recall or total["near_miss_incidents"] > 0
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
