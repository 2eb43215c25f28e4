"""AP form chapters 5-8: the breach, the personal data, the data subjects and the measures beforehand. Pure."""

from __future__ import annotations

from incidents.assessment import (
    BreachFacts,
    BreachNature,
    IncidentType,
    ProtectionMethod,
    SpecialCategory,
    SubjectGroup,
)
from incidents.detection import Affected
from notifications import dutch, groups, labels
from notifications.answers import Answer, Chapter, DraftInputs, derived, missing, recorded, when, yes_no

_NO_FACTS = "feiten nog niet vastgelegd"


def chapter_5(inp: DraftInputs) -> Chapter:
    return Chapter(5, "Gegevens over de inbreuk", (
        _nature(inp), _incident_type(inp), _summary(inp),
        derived("5.4", "Ondersteunende documentatie", "Geen bijlagen",
                "voeg alleen bijlagen toe waarin persoonsgegevens van betrokkenen onleesbaar zijn gemaakt"),
    ))


def _nature(inp: DraftInputs) -> Answer:
    question = "Aard van de inbreuk"
    facts = inp.incident.facts
    if facts is not None:
        return recorded("5.1", question, tuple(labels.AP_NATURE[n] for n in BreachNature if n in facts.nature))
    seen = [n for n in BreachNature if n.value in inp.incident.breach_types]
    if seen:
        return derived("5.1", question, tuple(labels.AP_NATURE[n] for n in seen), "uit het type detectie")
    return missing("5.1", question, _NO_FACTS)


def _incident_type(inp: DraftInputs) -> Answer:
    question = "Aard van het incident"
    facts = inp.incident.facts
    if facts is None:
        return missing("5.2", question, _NO_FACTS)
    if facts.incident_type is not IncidentType.OTHER:
        return recorded("5.2", question, labels.AP_INCIDENT_TYPE[facts.incident_type])
    other = inp.supplement.incident_type_other
    if other:
        return recorded("5.2", question, f"Overig, namelijk: {other}")
    return missing("5.2", question, "'Overig' vraagt een omschrijving", "Overig")


def _summary(inp: DraftInputs) -> Answer:
    question = "Beschrijving van het incident (samenvatting)"
    if inp.supplement.summary:
        return recorded("5.3", question, inp.supplement.summary)
    return derived("5.3", question, summary_text(inp),
                   "opgesteld uit de detecties en de feiten; controleer en bevestig, of schrijf een eigen beschrijving")


def summary_text(inp: DraftInputs) -> str:
    """What happened, in plain Dutch: what was seen, on which system, when, how often, how many accounts or
    records (counts only: the accounts themselves are personal data), when the organisation knew."""
    i = inp.incident
    events, detections = len(i.event_ids), len(i.detection_keys)
    text = (f"De automatische detectie van datalek heeft {system_phrase(i.asset)} het volgende waargenomen: "
            f"{'; daarnaast '.join(dutch.rule_text(r).seen for r in i.rule_ids)}. "
            f"De eerste detectie was op {when(i.opened_at)}")
    if i.last_activity_at != i.opened_at:
        text += f", de laatste waargenomen activiteit op {when(i.last_activity_at)}"
    total = f"{_count(events, 'gebeurtenis', 'gebeurtenissen')} in {_count(detections, 'detectie', 'detecties')}"
    text += f"; in totaal {total}."
    text += _affected_sentence(i.affected)
    if i.became_aware_at:
        text += f" De organisatie heeft er op {when(i.became_aware_at)} kennis van genomen."
    if i.facts is not None:
        natures = "; ".join(labels.AP_NATURE[n].lower() for n in BreachNature if n in i.facts.nature)
        text += f" Aard van de inbreuk: {natures}."
        if i.facts.malicious:
            text += " Het gaat om opzettelijk handelen van een buitenstaander of medewerker."
    return text


def system_phrase(asset: str | None) -> str:
    return f"op systeem {asset}" if asset else "op een systeem dat niet in de gegevensinventaris staat"


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _affected_sentence(a: Affected) -> str:
    parts = [_count(len(a.accounts), "gebruikersaccount", "gebruikersaccounts") if a.accounts else "",
             _count(len(a.users), "gebruiker", "gebruikers") if a.users else "",
             _count(len(a.files), "bestand", "bestanden") if a.files else "",
             _count(a.record_count, "gegevensrecord", "gegevensrecords") if a.record_count is not None else ""]
    named = [p for p in parts if p]
    if not named:
        return ""
    listed = named[0] if len(named) == 1 else ", ".join(named[:-1]) + " en " + named[-1]
    return f" Volgens de gebeurtenissen gaat het om {listed}."


def chapter_6(inp: DraftInputs) -> Chapter:
    facts = inp.incident.facts
    q1, q2 = "Persoonsgegevens in het algemeen", "Bijzondere categorieën van persoonsgegevens"
    q3 = "Hoeveel gegevensrecords zijn getroffen? (+ toelichting)"
    if facts is None:
        return Chapter(6, "Welke persoonsgegevens", (
            missing("6.1", q1, _NO_FACTS), missing("6.2", q2, _NO_FACTS), missing("6.3.1", q3, _NO_FACTS)))
    general = labels.ap_categories(facts.data_categories) or ("Geen (alleen bijzondere persoonsgegevens)",)
    special = tuple(groups.special_line(facts, c) for c in SpecialCategory if c in facts.special_categories)
    special = special or ("Geen",)
    return Chapter(6, "Welke persoonsgegevens", (
        recorded("6.1", q1, general), recorded("6.2", q2, special), _records(inp, facts, q3)))


def _records(inp: DraftInputs, facts: BreachFacts, question: str) -> Answer:
    if facts.records is None:
        return missing("6.3.1", question, "aantal getroffen records (een schatting mag)")
    note = inp.supplement.records_explanation
    return recorded("6.3.1", question, (str(facts.records), *((f"Toelichting: {note}",) if note else ())))


def chapter_7(inp: DraftInputs) -> Chapter:
    facts = inp.incident.facts
    q1 = "Welke groep(en) betrokkenen zijn getroffen?"
    q2 = "Nadere omschrijving van de groep(en) betrokkenen"
    q3 = "Aantal betrokkenen (exact, of minimum en maximum)"
    kinds = tuple(labels.AP_GROUP[g] for g in SubjectGroup if facts and g in facts.subject_groups)
    a1 = recorded("7.1", q1, kinds) if kinds else missing("7.1", q1, "groepen betrokkenen")
    if inp.supplement.subject_description:
        a2 = recorded("7.2", q2, inp.supplement.subject_description)
    elif facts and len(facts.groups) > 1:
        a2 = derived("7.2", q2, groups.group_lines(facts), "per groep uit de vastgelegde feiten")
    elif kinds:
        asset = inp.incident.asset or "het getroffen systeem"
        a2 = derived("7.2", q2, f"{', '.join(kinds)} met gegevens in {asset}", "uit 7.1 en het systeem")
    else:
        a2 = missing("7.2", q2, "omschrijving van de betrokkenen")
    count = facts.data_subjects if facts else None
    if count is None:
        a3 = missing("7.3", q3, "exact aantal, of een minimum en maximum")
    elif count.is_exact:
        a3 = recorded("7.3", q3, f"Exact: {count.minimum}")
    else:
        a3 = recorded("7.3", q3, f"Minimaal {count.minimum}, maximaal {count.maximum}")
    return Chapter(7, "Getroffen personen", (a1, a2, a3))


_PROTECTED_NL = {ProtectionMethod.ENCRYPTED: "versleuteld (encryptie)", ProtectionMethod.HASHED: "gehasht",
                 ProtectionMethod.OTHERWISE_UNINTELLIGIBLE: "op een andere manier onbegrijpelijk gemaakt"}


def chapter_8(inp: DraftInputs) -> Chapter:
    question = ("Waren de persoonsgegevens vooraf versleuteld, gehasht of anderszins onbegrijpelijk of "
                "ontoegankelijk voor onbevoegden? (+ toelichting op de toegepaste techniek)")
    facts = inp.incident.facts
    if facts is None:
        return Chapter(8, "Maatregelen vooraf", (missing("8.1", question, _NO_FACTS),))
    return Chapter(8, "Maatregelen vooraf", (_protection(inp, facts, question),))


def _protection(inp: DraftInputs, facts: BreachFacts, question: str) -> Answer:
    """8.1 follows the FG's answer whether the protection worked against this breach, never the inventory."""
    p, given = facts.protection, inp.supplement.protection_explanation
    own = (f"Toelichting: {given}",) if given else ()
    if p.method is ProtectionMethod.NONE:
        return recorded("8.1", question, ("Nee", *own))
    if p.effective is None:
        return missing("8.1", question, f"de gegevens waren {_PROTECTED_NL[p.method]}: werkte dat tegen deze "
                                        "inbreuk? (versleuteling van opgeslagen gegevens beschermt niet tegen lezen "
                                        "via een geldig account); beantwoord het in de vragenlijst",
                       f"Suggestie, nog geen antwoord: {labels.AP_PROTECTION[p.method]}")
    if not p.effective:
        return recorded("8.1", question, ("Nee", f"Toelichting: de gegevens waren {_PROTECTED_NL[p.method]}, maar "
                                                 "dat was niet effectief tegen deze inbreuk: wie de gegevens inzag, "
                                                 "kreeg ze leesbaar te zien", *own))
    how = own or (f"Toelichting: effectief tegen deze inbreuk; stand van de techniek: {yes_no(p.state_of_the_art)}; "
                  f"sleutel of salt buiten bereik van onbevoegden: {yes_no(p.key_safe)}",)
    return recorded("8.1", question, (labels.AP_PROTECTION[p.method], *how))
