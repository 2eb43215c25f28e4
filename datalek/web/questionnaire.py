"""The facts questionnaire: the allowed values of ``incidents.assessment.vocabulary`` as choices with short
help (AP meldformulier, EDPB 9/2022), every problem shown at once, inventory pre-fills marked for confirmation.

``parse(form)`` turns the posted form into the facts JSON of ``datalek assess``; the core validates it."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from datalek.web import facts_nl, i18n
from incidents.assessment import facts as core
from incidents.assessment import vocabulary as v
from incidents.model import Incident


@dataclass(frozen=True, slots=True)
class Question:
    key: str  # the facts field
    kind: str  # multi | one | optional_one | groups | count | hours | protection | recipients | service | tristate
    #            | flag | countries | text
    label: tuple[str, str]  # nl, en
    help: tuple[str, str]
    choices: tuple[str, ...] = ()


def _values(kind: type[Any]) -> tuple[str, ...]:
    return tuple(m.value for m in kind)


Q = Question
QUESTIONS: tuple[Question, ...] = (
    Q("nature", "multi", ("Aard van de inbreuk (5.1)", "Nature of the breach (5.1)"),
      ("Vertrouwelijkheid: (mogelijk) ingezien door onbevoegden; integriteit: gewijzigd; beschikbaarheid: "
       "kwijt of onbereikbaar.", "Confidentiality: (possibly) seen by the unauthorised; integrity: altered; "
       "availability: lost or unreachable."), _values(v.BreachNature)),
    Q("incident_type", "one", ("Wat is er gebeurd (5.2)", "What happened (5.2)"),
      ("Kies de omschrijving van het AP-formulier die het beste past.", "The AP form's closest description."),
      _values(v.IncidentType)),
    Q("groups", "groups", ("Getroffen groepen en hun gegevens (6.1, 6.2, 7.1, 7.3)",
                           "Affected groups and their data (6.1, 6.2, 7.1, 7.3)"),
      ("Eén blok per groep; tel iedereen in één groep (bijvoorbeeld 13 klanten met naam en e-mail, en 2 klanten "
       "met ook gezondheidsgegevens). Aantal: exact (alleen minimum) of een bandbreedte, leeg als onbekend. "
       "'unknown' als de soorten nog niet bekend zijn; een leeg blok wordt overgeslagen.",
       "One block per group; count everyone in one group (for example 13 customers with name and e-mail, and 2 "
       "customers with health data too). Number: exact (minimum only) or a range, empty if unknown. 'unknown' "
       "if the categories are not known yet; an empty block is skipped.")),
    Q("credentials_access", "multi", ("Waar geven gelekte inloggegevens toegang toe?",
                                      "What do leaked credentials give access to?"),
      ("Alleen bij 'access_credentials': de gegevens achter het account (ENISA).",
       "Only with 'access_credentials': the data behind the account (ENISA)."), _values(v.DataCategory)),
    Q("records", "count", ("Aantal gegevensrecords (6.3)", "Number of records (6.3)"),
      ("Leeg als onbekend.", "Empty if unknown.")),
    Q("identifiability", "optional_one", ("Identificeerbaarheid (ENISA)", "Ease of identification (ENISA)"),
      ("Hoe makkelijk zijn de personen te herkennen? Leeg: niet beoordeeld, telt als maximaal.",
       "How easily are the people identified? Empty: not assessed, counted as maximum."),
      _values(v.Identifiability)),
    Q("protection", "protection", ("Beveiliging vooraf (8.1)", "Protection beforehand (8.1)"),
      ("Versleuteling door ransomware telt niet. Geef aan of de beveiliging tegen déze inbreuk werkte: "
       "versleuteling van opgeslagen gegevens beschermt niet als via een geldig (overgenomen) account is gelezen. "
       "De inventaris doet alleen een voorstel; pas uw antwoord telt.",
       "Ransomware encryption does not count. Say whether the protection worked against this breach: encryption "
       "at rest does not protect data read through a valid (taken-over) account. The inventory only suggests; "
       "your answer counts."),
      _values(v.ProtectionMethod)),
    Q("recipients", "recipients", ("Ontvangers", "Recipients"),
      ("Wie heeft de gegevens (mogelijk) gekregen? Een bekende, betrouwbare ontvanger die bevestigt de gegevens te "
       "hebben verwijderd, verlaagt het risico (EDPB 01/2021, 9/2022).", "Who (may have) received the data? A "
       "known, trusted recipient who confirms deleting them lowers the risk (EDPB 01/2021, 9/2022)."),
      _values(v.Recipients)),
    Q("malicious", "flag", ("Kwade opzet", "Malicious intent"),
      ("Aanval, diefstal of opzettelijk misbruik.", "An attack, theft or deliberate misuse.")),
    Q("backup_available", "tristate", ("Reservekopie beschikbaar", "Backup available"),
      ("Kunnen de gegevens worden hersteld?", "Can the data be restored?")),
    Q("restore_hours", "hours", ("Uren tot herstel", "Hours until restored"), ("Bij beschikbaarheid.",
                                                                               "For availability.")),
    Q("service_effect", "service", ("Gevolg voor de dienstverlening (9.1)", "Effect on services (9.1)"),
      ("Kon een dienst tijdelijk of blijvend niet worden verleend, was die essentieel voor de betrokkenen (zorg, "
       "betalingen), en hoe lang (uren)? Leeg: nog niet beantwoord.", "Could a service not be provided for a "
       "while or for good, was it essential to the data subjects (care, payments), and for how long (hours)? "
       "Empty: not answered yet."), _values(v.ServiceOutage)),
    Q("altered_data_misused", "flag", ("Gewijzigde gegevens misbruikt", "Altered data misused"),
      ("Alleen bij integriteit.", "Only with integrity.")),
    Q("cross_border", "flag", ("Grensoverschrijdend", "Cross-border"),
      ("Betrokkenen in andere EU-landen (2.2).", "Data subjects in other EU countries (2.2).")),
    Q("countries", "countries", ("Landen (ISO-codes)", "Countries (ISO codes)"),
      ("Bijvoorbeeld: BE, DE", "For example: BE, DE")),
    Q("measures", "multi", ("Genomen maatregelen (10.2)", "Measures taken (10.2)"),
      ("Wat is er na de inbreuk gedaan?", "What was done after the breach?"), _values(v.Measure)),
    Q("measures_description", "text", ("Toelichting maatregelen", "Measures explained"),
      ("Kort; geen persoonsgegevens.", "Short; no personal data.")),
    Q("high_risk_mitigated", "flag", ("Hoog risico weggenomen (art. 34(3)(b))", "High risk removed (Art. 34(3)(b))"),
      ("Latere maatregelen maken het hoge risico onwaarschijnlijk.", "Later measures make the high risk unlikely.")),
    Q("disproportionate_effort", "flag", ("Individueel informeren onevenredig (art. 34(3)(c))",
                                          "Individual communication disproportionate (Art. 34(3)(c))"),
      ("Dan volgt een openbare mededeling.", "A public communication follows instead.")),
)
INVENTORY_FIELDS = frozenset({"groups", "records", "protection"})
GROUP_CHOICES = {"subject_groups": _values(v.SubjectGroup), "data_categories": _values(v.DataCategory),
                 "special_categories": _values(v.SpecialCategory)}
_GROUP_KEY = re.compile(r"g(\d{1,2})\.[a-z_]+")  # g0.data_categories, g1.data_subjects_min, ...


def _number(raw: str, key: str, errors: dict[str, str] | None, cast: type[int] | type[float]) -> Any:
    """The number, or (not a number) the text kept for the form with an error; ``errors`` None: no answer."""
    text = raw.strip()
    if not text:
        return None
    try:
        return cast(text)
    except ValueError:
        if errors is None:
            return None
        errors[key] = "give a number"
        return text


def _answer(q: Question, form: Mapping[str, Any], getall: Any, errors: dict[str, str] | None) -> Any:
    raw = str(form.get(q.key, ""))
    if q.kind == "multi":
        return [str(x) for x in getall(q.key, [])]
    if q.kind in ("one", "optional_one"):
        return raw or (None if q.kind == "optional_one" else q.choices[-1] if q.key == "incident_type" else "none")
    if q.kind == "flag":
        return bool(raw)
    if q.kind == "tristate":
        return {"yes": True, "no": False}.get(raw)
    if q.kind in ("count", "hours"):
        return _number(raw, q.key, errors, int if q.kind == "count" else float)
    if q.kind == "countries":
        return [c.strip().upper() for c in raw.replace(";", ",").split(",") if c.strip()]
    if q.kind == "text":
        return raw.strip()
    if q.kind == "protection":
        protection = {"method": raw or "none", "state_of_the_art": bool(form.get("protection_sota")),
                      "key_safe": bool(form.get("protection_key_safe"))}
        effective = {"yes": True, "no": False}.get(str(form.get("protection_effective", "")))
        return protection if effective is None or protection["method"] == "none" else {
            **protection, "effective": effective}
    if q.kind == "recipients":
        return {"received": raw or "none", "trusted": bool(form.get("recipients_trusted")),
                "deletion_confirmed": bool(form.get("recipients_deletion_confirmed"))}
    if q.kind == "service":
        hours = _number(str(form.get("service_hours", "")), q.key, errors, float)
        effect = {"outage": raw, "essential": bool(form.get("service_essential"))}
        return None if not raw else effect if hours is None else {**effect, "hours": hours}
    return _groups(form, getall, errors)


def _groups(form: Mapping[str, Any], getall: Any, errors: dict[str, str] | None) -> list[dict[str, Any]]:
    """The group blocks of the form (``g0.*``, ``g1.*``, ...), empty blocks skipped."""
    found = []
    for i in sorted({int(m.group(1)) for key in form if (m := _GROUP_KEY.fullmatch(str(key)))}):
        group: dict[str, Any] = {k: [str(x) for x in getall(f"g{i}.{k}", [])] for k in GROUP_CHOICES}
        group["data_subjects"] = _count(form, f"g{i}.data_subjects", errors)
        if any(group.values()):
            found.append(group)
    return found


def _count(form: Mapping[str, Any], key: str, errors: dict[str, str] | None) -> Any:
    low = _number(str(form.get(f"{key}_min", "")), "groups", errors, int)
    high = _number(str(form.get(f"{key}_max", "")), "groups", errors, int)
    if low is None and high is None:
        return None
    return low if high is None or high == low else {"min": low if low is not None else 0, "max": high}


def parse(form: Any, *, lang: str = "en") -> tuple[dict[str, Any], dict[str, str]]:
    """(facts JSON, errors by field): every problem at once, from the form and from the core's checks, in
    ``lang``."""
    errors: dict[str, str] = {}
    answers = {q.key: _answer(q, form, form.getall, errors) for q in QUESTIONS}
    if lang == "nl":
        errors = {k: "geef een getal" for k in errors}  # so far only numbers that are not numbers
    unreadable = frozenset(errors)  # not a number: the core checks everything else, those read as not given
    checked = {q.key: _answer(q, form, form.getall, None) for q in QUESTIONS} if errors else answers
    for problem in core.problems(checked):
        key = _field(problem.field)
        if key in unreadable:
            continue
        said = facts_nl.problem(problem.problem, lang)
        shown = said if key == problem.field else f"{_readable(problem.field, lang)}: {said}"
        errors[key] = f"{errors[key]}; {shown}" if key in errors else shown
    return answers, errors


def _field(path: str) -> str:
    return path.split(".", 1)[0].split("[", 1)[0]


def _readable(path: str, lang: str = "en") -> str:
    """``groups[1].data_subjects`` -> ``groep 2, aantal betrokkenen`` (the form numbers groups from 1)."""
    m = re.fullmatch(r"groups\[(\d+)\]\.?(.*)", path)
    if not m:
        return path
    index = 0 if lang == "nl" else 1
    part = i18n.TEXT.get(m.group(2), (m.group(2), m.group(2)))[index] if m.group(2) else ""
    return f"{('groep', 'group')[index]} {int(m.group(1)) + 1}{', ' + part if part else ''}"


def starting_values(incident: Incident) -> tuple[dict[str, Any], frozenset[str]]:
    """The form's first values: the recorded facts, else the inventory's draft (marked), else empty."""
    if incident.facts is not None:
        return incident.facts.to_dict(), frozenset()
    draft = incident.inventory.facts(incident.breach_types) if incident.inventory else None
    if draft is None:
        return {}, frozenset()
    values = draft.to_dict()
    marked = {k for k in INVENTORY_FIELDS if values.get(k) not in (None, [], {"method": "none",
                                                                              "state_of_the_art": False,
                                                                              "key_safe": False})}
    return values, frozenset(marked)


def _selected(value: Any) -> set[str]:
    if isinstance(value, list):
        return {x for x in value if isinstance(x, str)}
    return {value} if isinstance(value, str) else set()


def view(values: Mapping[str, Any], *, lang: str) -> list[dict[str, Any]]:
    """The questions with their current answers, for the template."""
    index = 0 if lang == "nl" else 1
    out = []
    for q in QUESTIONS:
        value = values.get(q.key)
        out.append({"key": q.key, "kind": q.kind, "label": q.label[index], "help": q.help[index],
                    "choices": [{"value": c, "label": i18n.choice(c, lang)} for c in q.choices],
                    "value": value, "selected": _selected(value.get("received") if q.kind == "recipients"
                                                          and isinstance(value, Mapping) else value),
                    "groups": _group_blocks(value, lang) if q.kind == "groups" else [],
                    "countries": ", ".join(value) if q.kind == "countries" and value else ""})
    return out


def _group_blocks(value: Any, lang: str) -> list[dict[str, Any]]:
    """The recorded groups and one empty block to add a group."""
    groups = [g for g in value if isinstance(g, Mapping)] if isinstance(value, list) else []
    blocks = []
    for i, g in enumerate([*groups, {}]):
        count = g.get("data_subjects")
        blocks.append({"index": i, "number": i + 1,
                       "subjects": count if isinstance(count, Mapping) else {"min": count, "max": None},
                       "fields": [{"key": k, "selected": set(g.get(k) or []),
                                   "choices": [{"value": c, "label": i18n.choice(c, lang)} for c in choices]}
                                  for k, choices in GROUP_CHOICES.items()]})
    return blocks
