"""JSON export with the field names of the EDPB draft common breach-notification template (June 2026). Pure.

Field keys and option letters follow the machine-readable transcription of template v1.0
(``field_<row>``, see ``shared/reference/edpb_template_2026.md``); the template is a consultation draft,
so the numbering may still change. Each field carries its value, the option's label and its provenance.
Free text stays in Dutch, as in the AP draft.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from incidents.assessment import BreachFacts, BreachNature, IncidentType, Recipients, SubjectGroup
from incidents.assessment.deadlines import as_utc, is_late
from notifications import dutch
from notifications import edpb_options as opt
from notifications.answers import DraftInputs, FollowUp, Provenance
from notifications.consequences import HARM_EDPB, exposed_widely, harms
from notifications.report import ApDraft

R, D, M = Provenance.RECORDED, Provenance.DERIVED, Provenance.MISSING
Field = dict[str, Any]
TEMPLATE = "EDPB template for personal data breach notification v1.0 (draft adopted June 2026)"


def _field(title: str, value: Any, provenance: Provenance, options: dict[str, str] | None = None) -> Field:
    f: Field = {"title": title, "value": value, "provenance": provenance.value}
    if options is not None and value is not None:
        f["label"] = [options[v] for v in value] if isinstance(value, list) else options[value]
    return f


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else as_utc(moment).isoformat()


def edpb_export(inputs: DraftInputs, draft: ApDraft) -> dict[str, Any]:
    """The draft as EDPB template fields; the AP draft's completeness decides complete/incomplete."""
    fields: dict[str, Field] = {}
    for part in (_notification, _organisation, _timeline, _nature, _subjects_and_data, _risk, _communication,
                 _other_authorities):
        fields.update(part(inputs, draft))
    ordered = dict(sorted(fields.items(), key=lambda item: int(item[0].removeprefix("field_"))))
    return {"template": TEMPLATE, "status": "concept ter beoordeling door de FG; niet ingediend",
            "incident_id": inputs.incident.id, "generated_at": _iso(inputs.now),
            "missing_ap_answers": [a.number for a in draft.missing],
            "unconfirmed_ap_answers": [a.number for a in draft.unconfirmed], "time_warnings": list(draft.warnings),
            "fields": ordered}


def _notification(inp: DraftInputs, draft: ApDraft) -> dict[str, Field]:
    follow = inp.follow_up
    sub = "c" if follow is FollowUp.WITHDRAW else ("a" if draft.complete else "b")
    out = {"field_3": _field("Type of notification", "b" if follow else "a", D, opt.F3),
           "field_4": _field("Sub-type of notification", sub, D, opt.F4),
           "field_7": _field("Data controller's internal reference number", inp.incident.id, R)}
    if follow:
        number = inp.incident.meldnummer
        out["field_6"] = _field("ID of previously notified personal data breach", number, R if number else M)
    if follow is FollowUp.WITHDRAW:
        reason = inp.supplement.withdraw_reason
        out["field_5"] = _field("Reasons for withdrawing a previous notification", reason, R if reason else M)
    return out


def _text(title: str, value: str | None) -> Field:
    return _field(title, value or None, R if value else M)


def _organisation(inp: DraftInputs, _: ApDraft) -> dict[str, Field]:
    org = inp.organisation
    out = {"field_12": _field("Name of the organisation", org.name, R),
           "field_13": _text("Contact details", org.address),
           "field_21": _text("Name of the reporting person", org.reporter.name),
           "field_22": _text("Contact details", ", ".join(v for v in (org.reporter.email, org.reporter.phone) if v)),
           "field_23": _field("Function of the reporting person", "c", D, opt.F23),
           "field_24": _text("Description of the function of the reporting person", org.reporter.function)}
    if org.kvk:
        out["field_10"] = _field("Type of Identifier", "b", R, opt.F10)
        out["field_11"] = _field("Identifier", f"KvK {org.kvk}", R)
    if org.sector_type:
        out["field_14"] = _field("Sector", opt.SECTOR[org.sector_type], R, opt.F14)
    if org.size and org.sector_type == "private":
        out["field_15"] = _field("Type of organisation", opt.SIZE[org.size], R, opt.F15)
    if org.dpo_designated is not None:
        out["field_29"] = _field("Is a data protection officer designated?", "yes" if org.dpo_designated else "no", R)
    return {**out, **_contact(inp), **_other_parties(inp.supplement.other_organisations)}


def _other_parties(other: str | None) -> dict[str, Field]:
    title = "Are other parties such as data processors or joint controllers involved?"
    if other is None:
        return {"field_38": _field(title, None, M)}
    if other.strip().lower() in {"nee", "no", "geen", "none"}:
        return {"field_38": _field(title, "b", R, opt.YES_NO)}
    return {"field_38": _field(title, "a", R, opt.YES_NO),
            "field_40": _field("Name of the other involved party", other, R)}


def _contact(inp: DraftInputs) -> dict[str, Field]:
    c = inp.organisation.contact
    if c.is_empty:
        return {"field_33": _field("More information about the incident can be obtained at", "b", D, opt.F33)}
    return {"field_33": _field("More information about the incident can be obtained at", "c", R, opt.F33),
            "field_34": _text("Name of the contact person", c.name),
            "field_35": _text("Function of the contact person", c.function),
            "field_36": _text("Contact details", ", ".join(v for v in (c.email, c.phone) if v))}


def _timeline(inp: DraftInputs, draft: ApDraft) -> dict[str, Field]:
    i, s = inp.incident, inp.supplement
    end = next(a for a in draft.answers if a.number == "4.1.2")
    ended_at = s.ended_at or (i.last_activity_at if end.provenance is D else None)
    when = "b" if ended_at else ("c" if s.ongoing else "e")
    out = {"field_44": _field("When did the personal data breach occur?", when, end.provenance, opt.F44),
           "field_45": _field("Only estimated dates are possible", s.started_at is None, D),
           "field_46": _field("Beginning date and time of personal data breach",
                              _iso(s.started_at or i.opened_at), R if s.started_at else D),
           "field_48": _field("Date and time of awareness of the data controller of the personal data breach",
                              _iso(i.became_aware_at), R if i.became_aware_at else M),
           "field_50": _field("How was the personal data breach discovered?", "a", D, opt.F50),
           "field_51": _field("Further description of the discovery of the personal data breach",
                              next(a for a in draft.answers if a.number == "4.3").lines[0], D)}
    if ended_at:
        out["field_47"] = _field("Ending date and time of personal data breach", _iso(ended_at), end.provenance)
    if i.became_aware_at and is_late(i.became_aware_at, reported_at=i.reported_at or inp.now):
        out["field_49"] = _text("Reasons for late notification of the personal data breach", i.delay_reason)
    return out


_INCIDENT = {IncidentType.EMAIL_WRONG_RECIPIENT: "r", IncidentType.EMAIL_CC_NOT_BCC: "s",
             IncidentType.MAIL_WRONG_RECIPIENT: "l", IncidentType.MAIL_RETURNED_OPENED: "l",
             IncidentType.MAIL_LOST: "l", IncidentType.AUTHORISATION_MISCONFIGURED: "n",
             IncidentType.NETWORK_SHARE_TOO_BROAD: "n", IncidentType.DEVICE_OR_PAPER_LOST_OR_STOLEN: "i",
             IncidentType.ACCIDENTAL_PUBLICATION: "v", IncidentType.HACKING_MALWARE_PHISHING: "c",
             IncidentType.WRONG_FILE: "h", IncidentType.OTHER: "y"}
_NATURE = {BreachNature.CONFIDENTIALITY: "a", BreachNature.INTEGRITY: "b",
           BreachNature.AVAILABILITY_TEMPORARY: "c", BreachNature.AVAILABILITY_PERMANENT: "c"}


def _nature(inp: DraftInputs, draft: ApDraft) -> dict[str, Field]:
    facts = inp.incident.facts
    summary = next(a for a in draft.answers if a.number == "5.3")
    out = {"field_62": _field("Further description of the nature of the incident", summary.lines[0],
                              summary.provenance),
           "field_63": _text("Description of the systems involved in the personal data breach", inp.incident.asset)}
    if facts is None:
        return {**out, "field_55": _field("Nature of the personal data breach", None, M),
                "field_60": _field("Nature of the incident", "x", M, opt.F60)}
    nature = sorted({_NATURE[n] for n in facts.nature})
    out["field_55"] = _field("Nature of the personal data breach", nature, R, opt.F55)
    out["field_60"] = _field("Nature of the incident", _INCIDENT[facts.incident_type], R, opt.F60)
    cause = ("d" if facts.incident_type is IncidentType.HACKING_MALWARE_PHISHING else "f") if facts.malicious else "a"
    out["field_61"] = _field("Cause of the personal data breach", cause, D, opt.F61)
    return {**out, **_breach_types(facts)}


def _breach_types(facts: BreachFacts) -> dict[str, Field]:
    """Fields 56-59 and 79: the sub-type of each C/I/A loss."""
    out: dict[str, Field] = {}
    if BreachNature.CONFIDENTIALITY in facts.nature:
        seen = facts.recipients.received is not Recipients.NONE
        out["field_56"] = _field("Type of confidentiality breach", "a" if seen else "b", D, opt.F56)
        p = facts.protection
        unintelligible = "a" if p.renders_unintelligible else ("c" if p.method.value == "none" else "b")
        out["field_57"] = _field("Was the data unintelligible or were individuals not identifiable?",
                                 unintelligible, R, opt.F57)
        out["field_79"] = _field("Likely consequences in case of breach of confidentiality",
                                 ["a", "c"] if exposed_widely(facts) else ["a"], D, opt.F79)
    if BreachNature.INTEGRITY in facts.nature:
        kind = "c" if facts.altered_data_misused and not facts.backup_available else (
            "b" if facts.altered_data_misused else "a")
        out["field_58"] = _field("Type of integrity breach", kind, R, opt.F58)
    if facts.nature & {BreachNature.AVAILABILITY_TEMPORARY, BreachNature.AVAILABILITY_PERMANENT}:
        permanent = BreachNature.AVAILABILITY_PERMANENT in facts.nature
        out["field_59"] = _field("Type of availability breach", "b" if permanent else "a", R, opt.F59)
    return out


_GROUP = {SubjectGroup.CUSTOMERS: "a", SubjectGroup.EMPLOYEES: "b", SubjectGroup.MINORS: "d",
          SubjectGroup.PATIENTS: "e", SubjectGroup.STUDENTS: "f", SubjectGroup.VULNERABLE: "i",
          SubjectGroup.OTHER: "j"}


def _subjects_and_data(inp: DraftInputs, draft: ApDraft) -> dict[str, Field]:
    facts = inp.incident.facts
    if facts is None:
        return {n: _field(t, None, M) for n, t in (("field_65", "Categories of concerned data subjects"),
                                                    ("field_70", "Type of breached data"))}
    groups = sorted({_GROUP[g] for g in facts.subject_groups}) or ["k"]
    count = facts.data_subjects
    types = sorted({opt.DATA_TYPE[c] for c in facts.data_categories}
                   | {opt.SPECIAL[c] for c in facts.special_categories})
    described = next(a for a in draft.answers if a.number == "6.1").lines
    return {
        "field_65": _field("Categories of concerned data subjects", groups, R if facts.subject_groups else M,
                           opt.F65),
        "field_67": _field("Data subjects concerned by the personal data breach",
                           "d" if count is None else ("a" if count.is_exact else "b"), R if count else M, opt.F67),
        "field_68": _field("Number of data subjects concerned by the personal data breach",
                           None if count is None else count.maximum, R if count else M),
        "field_70": _field("Type of breached data", types, R, opt.F70),
        "field_71": _field("Further description of breached data", "; ".join(described), R),
        "field_72": _field("Personal data records concerned by the personal data breach",
                           "d" if facts.records is None else "a", R if facts.records is not None else M, opt.F67),
        "field_73": _field("Number of personal data records concerned", facts.records,
                           R if facts.records is not None else M),
        "field_85": _field("Nature of the potential impact for the data subject",
                           [HARM_EDPB[h] for h in harms(facts)] or ["o"], D, opt.F85),
    }


def _risk(inp: DraftInputs, draft: ApDraft) -> dict[str, Field]:
    a = inp.assessment
    measures = next(x for x in draft.answers if x.number == "10.2")
    out = {"field_92": _field("Measures taken to address the personal data breach and to mitigate its consequences",
                              "; ".join(measures.lines) or None, measures.provenance)}
    if a is None:
        return {**out, "field_87": _field("Severity of the potential impacts", "d", M, opt.F87),
                "field_89": _field("Outcome of the risk assessment carried out by the controller", None, M)}
    d = inp.incident.decision
    risk = a.proposal.risk.value if d is None else (
        "high" if d.notify_subjects or d.public_communication else ("risk" if d.notify_regulator else "unlikely"))
    s = a.severity
    method = f"{dutch.method(a)}. " + " ".join(dutch.rationale(a))  # the AP reads it: Dutch
    out["field_87"] = _field("Severity of the potential impacts", opt.SEVERITY[s.level.value], D, opt.F87)
    out["field_89"] = _field("Outcome of the risk assessment carried out by the controller", opt.RISK[risk],
                             R if d else D, opt.F89)
    out["field_90"] = _field("Further description of the risk assessment carried out by the data controller",
                             method, D)
    return out


def _communication(inp: DraftInputs, draft: ApDraft) -> dict[str, Field]:
    i, answer = inp.incident, next(x for x in draft.answers if x.number == "10.1.1")
    title = "Has the personal data breach been communicated to data subjects?"
    if i.subjects_informed_at is not None:
        return {"field_97": _field(title, "a", R, opt.F97),
                "field_98": _field("Date of when information was given to data subjects",
                                   as_utc(i.subjects_informed_at).date().isoformat(), R)}
    if answer.provenance is M:
        return {"field_97": _field(title, "c", M, opt.F97)}
    proposal = i.decision.proposal if i.decision else inp.assessment.proposal  # type: ignore[union-attr]
    notify = i.decision.notify_subjects if i.decision else proposal.notify_subjects
    if notify:
        return {"field_97": _field(title, "b", answer.provenance, opt.F97)}
    ground = next((opt.GROUND[f.code.value] for f in proposal.rationale if f.code.value in opt.GROUND), None)
    out = {"field_97": _field(title, "e" if ground else "d", answer.provenance, opt.F97)}
    if ground:
        out["field_100"] = _field("Conditions of Art. 34(3) GDPR that are met", ground, answer.provenance, opt.F100)
        out["field_101"] = _field("Why the conditions of Art. 34(3) GDPR are met", " ".join(answer.lines[1:]),
                                  answer.provenance)
    return out


def _other_authorities(inp: DraftInputs, _: ApDraft) -> dict[str, Field]:
    facts, s = inp.incident.facts, inp.supplement
    police = ("a" if facts and any(m.value == "police_report" for m in facts.measures)
              else {True: "a", False: "b", None: "c"}[s.police_report])
    out = {"field_109": _field("Has the incident been reported to the police as a criminal offence?", police,
                               D if police == "c" else R, opt.YES_NO_UNKNOWN)}
    others = s.other_supervisors
    out["field_110"] = _field("Has the incident been notified to other authorities under other legislation?",
                              None if others is None else ("a" if others else "b"), M if others is None else R,
                              opt.YES_NO_UNKNOWN)
    if others:
        out["field_111"] = _field("Further information about notification to other authorities", "; ".join(others), R)
    if facts is not None:
        out["field_113"] = _field("Does the breach involve cross-border processing?",
                                  "a" if facts.cross_border else "b", R, opt.YES_NO_UNKNOWN)
        if facts.countries:
            out["field_116"] = _field("EEA countries where affected data subjects are located",
                                      ", ".join(facts.countries), R)
    return out
