"""The breach register (Art. 33(5)): every incident, notified or not, with facts, effects, measures and
the decision with its rationale. One entry per incident; CSV flattens nested values to JSON cells."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from incidents.assessment import assess
from incidents.model import Incident
from incidents.text import from_spreadsheet_cell, spreadsheet_cell

COLUMNS = ("id", "title", "status", "related_to", "opened_at", "became_aware_at", "asset", "breach_types",
           "severity_hints", "rule_ids", "data_inventory", "facts", "severity", "decision", "decided_at",
           "reported_at", "meldnummer", "delay_reason", "subjects_informed_at", "closed_at", "audit_trail")
_NESTED = ("breach_types", "severity_hints", "rule_ids", "data_inventory", "facts", "severity", "decision",
           "audit_trail")


def _when(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def entry(incident: Incident, audit_trail: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """The register entry of one incident; severity is derived from the recorded facts."""
    i = incident
    severity = assess(i.facts).to_dict()["severity"] if i.facts else None
    return {
        "id": i.id, "title": i.title, "status": i.status.value, "related_to": i.related_to,
        "opened_at": _when(i.opened_at),
        "became_aware_at": _when(i.became_aware_at), "asset": i.asset,
        "breach_types": sorted(i.breach_types), "severity_hints": sorted(i.severity_hints),
        "rule_ids": list(i.rule_ids),
        "data_inventory": i.inventory.to_dict() if i.inventory else None,
        "facts": i.facts.to_dict() if i.facts else None, "severity": severity,
        "decision": i.decision.to_dict() if i.decision else None, "decided_at": _when(i.decided_at),
        "reported_at": _when(i.reported_at), "meldnummer": i.meldnummer, "delay_reason": i.delay_reason,
        "subjects_informed_at": _when(i.subjects_informed_at), "closed_at": _when(i.closed_at),
        "audit_trail": [dict(a) for a in audit_trail],
    }


def to_json(entries: Iterable[Mapping[str, Any]]) -> str:
    return json.dumps({"register": list(entries)}, indent=2, ensure_ascii=False)


def to_csv(entries: Iterable[Mapping[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    for e in entries:
        writer.writerow({k: _cell(json.dumps(e[k], ensure_ascii=False) if k in _NESTED else e[k]) for k in COLUMNS})
    return out.getvalue()


def from_csv(text: str) -> list[dict[str, Any]]:
    """Read an exported CSV back (for checks and migrations between installations)."""
    rows = []
    for row in csv.DictReader(io.StringIO(text)):
        rows.append({k: json.loads(from_spreadsheet_cell(v)) if k in _NESTED else (from_spreadsheet_cell(v) or None)
                     for k, v in row.items()})
    return rows


def _cell(value: Any) -> Any:
    return spreadsheet_cell(value) if isinstance(value, str) else value
