"""The breach register (Art. 33(5)): every incident, notified or not, with facts, effects, measures and
the decision with its rationale. One entry per incident: JSON keeps it whole; CSV gives flat spreadsheet cells;
Markdown gives the same cells as a table per incident, for reading and printing."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from incidents.assessment import BreachFacts, assess
from incidents.assessment.deadlines import format_amsterdam
from incidents.model import Incident
from incidents.text import markdown_text, spreadsheet_cell

COLUMNS = ("id", "title", "status", "related_to", "opened_at", "became_aware_at", "asset", "breach_types",
           "severity_hints", "rule_ids", "data_inventory", "facts", "severity", "decision", "decided_at",
           "reported_at", "meldnummer", "delay_reason", "subjects_informed_at", "closed_at", "audit_trail")


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
    """One row per incident with flat columns for a spreadsheet: lists joined with "; ", times in UTC (ISO) and
    Europe/Amsterdam, no JSON in any cell. The JSON export is the complete form, for machines."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=FLAT_COLUMNS)
    writer.writeheader()
    for e in entries:
        writer.writerow({k: _cell(v) for k, v in flat(e).items()})
    return out.getvalue()


def to_markdown(entries: Iterable[Mapping[str, Any]]) -> str:
    """Per incident a heading, its flat cells (see ``FLAT_COLUMNS``) as a two-column table, and the audit trail."""
    parts = []
    for e in entries:
        rows = [f"| {name} | {markdown_text(str(value))} |" for name, value in flat(e).items() if value is not None]
        trail = [f"- {markdown_text(' '.join(str(a.get(k) or '') for k in ('at', 'action', 'actor', 'reason')))}"
                 for a in e["audit_trail"]]
        parts.append("\n".join([f"## {markdown_text(str(e['id']))}: {markdown_text(str(e['title']))}", "",
                                "| field | value |", "|---|---|", *rows, "", "### Audit trail", "",
                                *(trail or ["- (none)"])]))
    return "# Register of personal-data breaches (Art. 33(5) GDPR)\n\n" + "\n\n".join(parts) + "\n"


TEXT_FORMATS = {"md": to_markdown, "json": to_json, "csv": to_csv}  # xlsx: datalek.register_xlsx


FLAT_COLUMNS = (
    "id", "title", "status", "related_to", "asset", "rule_ids", "breach_types", "severity_hints",
    "opened_at", "opened_at_amsterdam", "became_aware_at", "became_aware_at_amsterdam",
    "nature", "data_categories", "special_categories", "subject_groups", "data_subjects", "groups", "records",
    "recipients", "recipient_trusted", "recipient_deletion_confirmed", "protection_method", "protection_effective",
    "service_outage", "service_essential", "service_hours", "measures",
    "inventory_assets", "inventory_data_categories", "severity_level", "severity_score", "proposed_risk",
    "proposal_notify_ap", "proposal_notify_subjects", "decision_notify_ap", "decision_notify_subjects",
    "decision_overridden", "decision_reason", "decided_by", "decided_at", "decided_at_amsterdam",
    "reported_at", "reported_at_amsterdam", "meldnummer", "delay_reason", "subjects_informed_at", "closed_at",
    "audit_entries", "last_audit_action", "last_audit_at")


def flat(e: Mapping[str, Any]) -> dict[str, Any]:
    """The register entry as flat spreadsheet cells (see ``FLAT_COLUMNS``)."""
    facts, severity, decision = _facts_columns(e.get("facts")), e.get("severity") or {}, e.get("decision") or {}
    proposal, inventory, trail = decision.get("proposal") or {}, e.get("data_inventory") or {}, e["audit_trail"]
    subjects = facts.get("data_subjects")
    row = {k: e.get(k) for k in ("id", "title", "status", "related_to", "asset", "meldnummer", "delay_reason",
                                 "subjects_informed_at", "closed_at")}
    row |= {k: _joined(e.get(k)) for k in ("rule_ids", "breach_types", "severity_hints")}
    for name in ("opened_at", "became_aware_at", "decided_at", "reported_at"):
        row[name], row[f"{name}_amsterdam"] = e.get(name), _amsterdam(e.get(name))
    row |= {k: _joined(facts.get(k)) for k in ("nature", "data_categories", "special_categories",
                                              "subject_groups", "measures")}
    row |= {"data_subjects": f"{subjects['min']}-{subjects['max']}" if isinstance(subjects, dict) else subjects,
            "records": facts.get("records"), **_new_facts(e.get("facts")),
            "inventory_assets": _joined(inventory.get("assets")),
            "inventory_data_categories": _joined(inventory.get("data_categories")),
            "severity_level": severity.get("level"), "severity_score": severity.get("score"),
            "proposed_risk": proposal.get("risk"), "proposal_notify_ap": _yes(proposal.get("notify_regulator")),
            "proposal_notify_subjects": _yes(proposal.get("notify_subjects")),
            "decision_notify_ap": _yes(decision.get("notify_regulator")),
            "decision_notify_subjects": _yes(decision.get("notify_subjects")),
            "decision_overridden": _yes(decision.get("overridden")), "decision_reason": decision.get("reason"),
            "decided_by": decision.get("actor"), "audit_entries": len(trail),
            "last_audit_action": trail[-1]["action"] if trail else None,
            "last_audit_at": trail[-1]["at"] if trail else None}
    return {k: row.get(k) for k in FLAT_COLUMNS}


def _facts_columns(stored: Mapping[str, Any] | None) -> dict[str, Any]:
    """The facts as the flat columns read them: the groups' categories and kinds together, their counts added."""
    if not stored:
        return {}
    facts = BreachFacts.from_dict(stored)
    count = facts.data_subjects
    return {**stored, "data_categories": sorted(c.value for c in facts.data_categories),
            "special_categories": sorted(c.value for c in facts.special_categories),
            "subject_groups": sorted(g.value for g in facts.subject_groups),
            "data_subjects": None if count is None else count.to_json()}


def _new_facts(stored: Mapping[str, Any] | None) -> dict[str, Any]:
    """Groups, recipients, protection and the effect on services as flat cells (codes; ja/nee; empty: not known)."""
    if not stored:
        return {}
    f = BreachFacts.from_dict(stored)
    r, p, e = f.recipients, f.protection, f.service_effect
    return {"groups": _groups(f) if len(f.groups) > 1 else None, "recipients": r.received.value,
            "recipient_trusted": _yes(r.trusted), "recipient_deletion_confirmed": _yes(r.deletion_confirmed),
            "protection_method": p.method.value, "protection_effective": _yes(p.effective),
            "service_outage": None if e is None else e.outage.value,
            "service_essential": None if e is None else _yes(e.essential), "service_hours": e and e.hours}


def _groups(facts: BreachFacts) -> str:
    """Each group of data subjects: kinds, count, categories ("customers 13: insurance, name | ...")."""
    cells = []
    for g in facts.groups:
        n = g.data_subjects
        count = "?" if n is None else str(n.minimum) if n.is_exact else f"{n.minimum}-{n.maximum}"
        kinds = ", ".join(sorted(k.value for k in g.subject_groups)) or "-"
        cells.append(f"{kinds} {count}: {', '.join(sorted(c.value for c in g.all_categories))}")
    return " | ".join(cells)


def _joined(values: Any) -> str | None:
    return "; ".join(str(v) for v in values) if values else None


def _yes(value: Any) -> str | None:
    return None if value is None else ("ja" if value else "nee")


def _amsterdam(value: str | None) -> str | None:
    return format_amsterdam(datetime.fromisoformat(value)) if value else None


def _cell(value: Any) -> Any:
    return spreadsheet_cell(value) if isinstance(value, str) else value
