"""AP form chapters 1-4: the notification, cross-border aspects, the controller and the timeline. Pure."""

from __future__ import annotations

from incidents.assessment.deadlines import as_utc, regulator_deadline
from incidents.assessment.vocabulary import Measure
from incidents.model import Incident
from notifications import dutch
from notifications.answers import (
    Answer,
    Chapter,
    DraftInputs,
    FollowUp,
    derived,
    missing,
    recorded,
    when,
)
from notifications.organisation import Person

_CONFIG = "uit de organisatieconfiguratie"


def chapter_1(inp: DraftInputs) -> Chapter:
    s = inp.supplement
    q13 = "Heeft u de inbreuk gemeld bij toezichthouders op andere meldplichten?"
    if s.other_supervisors is None:
        a13 = missing("1.3", q13, "bijvoorbeeld DNB, AFM, IGJ, NCTV; antwoord 'Nee' als dat niet zo is")
    else:
        a13 = recorded("1.3", q13, s.other_supervisors or ("Nee",))
    basis = recorded("1.2", "Op grond van welke wettelijke bepaling doet u deze melding?",
                     inp.organisation.legal_basis, _CONFIG)
    return Chapter(1, "Introductie", (_kind(inp), basis, a13))


def _kind(inp: DraftInputs) -> Answer:
    question = "Wat voor soort melding wilt u doen?"
    number = inp.incident.meldnummer
    if inp.follow_up is None:
        return derived("1.1", question, "Ik wil één inbreuk melden (reguliere melding)",
                       "eerste melding: nog geen meldnummer vastgelegd")
    text = f"Vervolgmelding: melding {number or '?'} {inp.follow_up.text_nl}"
    if number is None:
        return missing("1.1", question, "het meldnummer van de eerdere melding ontbreekt", text)
    if inp.follow_up is FollowUp.WITHDRAW:
        reason = inp.supplement.withdraw_reason
        if not reason:
            return missing("1.1", question, "geef de reden om de melding in te trekken", text)
        return recorded("1.1", question, (text, f"Reden: {reason}"))
    return recorded("1.1", question, text)


def chapter_2(inp: DraftInputs) -> Chapter:
    facts = inp.incident.facts
    q1 = "Heeft de inbreuk gevolgen voor personen in meerdere landen? (om welke landen gaat het?)"
    if facts is None:
        a1 = missing("2.1.1", q1, "feiten nog niet vastgelegd")
    elif facts.cross_border:
        a1 = recorded("2.1.1", q1, f"Ja: {', '.join(facts.countries) or 'landen nog onbekend'}")
    else:
        a1 = recorded("2.1.1", q1, "Nee")
    q2 = "Heeft uw organisatie de inbreuk gemeld bij andere privacytoezichthouders?"
    if inp.supplement.other_dpas is not None:
        a2 = recorded("2.2.1", q2, inp.supplement.other_dpas)
    elif facts is not None and not facts.cross_border:
        a2 = derived("2.2.1", q2, "Nee", "geen gevolgen in andere landen vastgelegd")
    else:
        a2 = missing("2.2.1", q2, "bij grensoverschrijdende gevolgen: welke toezichthouders?")
    return Chapter(2, "Internationale aspecten", (a1, a2))


def chapter_3(inp: DraftInputs) -> Chapter:
    org = inp.organisation
    q = "Naam van het bedrijf of de organisatie; "
    answers = [
        recorded("3.1.1a", q + "naam", org.name, _CONFIG),
        recorded("3.1.1b", q + "verwerkingsverantwoordelijke(n)", org.controllers, _CONFIG) if org.controllers
        else derived("3.1.1b", q + "verwerkingsverantwoordelijke(n)", org.name, "de organisatie zelf"),
        _optional("3.1.1c", q + "adres, postcode en plaats", org.address),
        _fg_number(org.fg_registration_number, org.dpo_designated),
        _optional("3.1.1e", q + "KvK-nummer", org.kvk),
        _optional("3.1.2", "In welke sector is de organisatie actief?", org.sector),
        _person("3.2.1", "Wie meldt de inbreuk? (naam, functie, e-mailadres, telefoonnummer)", org.reporter,
                ("name", "function", "email", "phone")),
        _contact(org.contact),
        _other_orgs(inp.supplement.other_organisations),
    ]
    return Chapter(3, "De verwerkingsverantwoordelijke", tuple(answers))


_PARTS_NL = {"name": "naam", "function": "functie", "email": "e-mailadres", "phone": "telefoonnummer"}


def _optional(number: str, question: str, value: str | None) -> Answer:
    if value:
        return recorded(number, question, value, _CONFIG)
    return missing(number, question, "niet in de organisatieconfiguratie")


def _fg_number(number: str | None, designated: bool | None) -> Answer:
    question = "Naam van het bedrijf of de organisatie; registratienummer van de FG"
    if number:
        return recorded("3.1.1d", question, number, _CONFIG)
    if designated is False:
        return recorded("3.1.1d", question, "Geen FG aangesteld", _CONFIG)
    return missing("3.1.1d", question, "registratienummer uit het FG-register van de AP, of: geen FG")


def _person(number: str, question: str, person: Person, required: tuple[str, ...]) -> Answer:
    absent = person.missing(required)
    if absent:
        parts = ", ".join(_PARTS_NL[p] for p in absent)
        return missing(number, question, f"nog aan te vullen in de organisatieconfiguratie: {parts}", person.lines())
    return recorded(number, question, person.lines(), _CONFIG)


def _contact(contact: Person) -> Answer:
    question = "Contactpersoon voor de AP, indien afwijkend van de melder"
    if contact.is_empty:
        return derived("3.2.2", question, "Gelijk aan de melder", "geen aparte contactpersoon ingesteld")
    return _person("3.2.2", question, contact, ("name", "function", "email"))


def _other_orgs(value: str | None) -> Answer:
    question = "Waren er andere organisaties betrokken bij de inbreuk?"
    if value is None:
        return missing("3.3", question, "verwerker, gezamenlijk verwerkingsverantwoordelijke of ontvanger; "
                                        "of 'Nee'")
    return recorded("3.3", question, value)


def chapter_4(inp: DraftInputs) -> Chapter:
    i, s = inp.incident, inp.supplement
    q411 = "(Mogelijke) startdatum van de inbreuk"
    start = (recorded("4.1.1", q411, when(s.started_at)) if s.started_at else
             derived("4.1.1", q411, when(i.opened_at), "eerste detectie; de inbreuk kan eerder zijn begonnen"))
    q42 = "Wanneer is het incident ontdekt?"
    aware = (recorded("4.2", q42, when(i.became_aware_at),
                      f"kennisname: start van de 72-uurstermijn; eerste detectie {when(i.opened_at)}")
             if i.became_aware_at else missing("4.2", q42, "het moment van kennisname is niet vastgelegd"))
    q43 = "Geef (kort) aan hoe u de inbreuk heeft ontdekt"
    how = (recorded("4.3", q43, s.how_discovered) if s.how_discovered else
           derived("4.3", q43, discovery_text(i), "uit de detectieregels; vul zo nodig aan"))
    return Chapter(4, "Tijdlijn", (start, _end(inp), aware, how, _late(inp)))


def discovery_text(i: Incident) -> str:
    """How datalek found it, in Dutch: what the rules saw, on which system, how often; never the entity value."""
    seen = "; daarnaast ".join(dutch.rule_text(r).seen for r in i.rule_ids) or "een verdacht patroon"
    events, detections = len(i.event_ids), len(i.detection_keys)
    where = f"op systeem {i.asset}" if i.asset else "op een systeem dat niet in de gegevensinventaris staat"
    return (f"Automatische detectie door datalek {where}: {seen}; "
            f"{events} {'gebeurtenis' if events == 1 else 'gebeurtenissen'} in {detections} "
            f"{'detectie' if detections == 1 else 'detecties'}.")


def _end(inp: DraftInputs) -> Answer:
    i, s = inp.incident, inp.supplement
    question = "(Mogelijke) einddatum van de inbreuk"
    if s.ended_at:
        return recorded("4.1.2", question, when(s.ended_at))
    if s.ongoing:
        return recorded("4.1.2", question, "De inbreuk duurt nog voort")
    if contained(i):
        return derived("4.1.2", question, when(i.last_activity_at),
                       "laatste waargenomen activiteit; de inbreuk is als beëindigd vastgelegd")
    return missing("4.1.2", question, "einddatum, of: de inbreuk duurt nog voort")


def contained(i: Incident) -> bool:
    """The facts say the breach was stopped: its last observed activity is then its derived end (4.1.2)."""
    return i.facts is not None and Measure.CONTAINED in i.facts.measures


def _late(inp: DraftInputs) -> Answer:
    i = inp.incident
    question = "Indien later dan 72 uur gemeld: waarom?"
    if i.became_aware_at is None:
        return missing("4.5", question, "zonder moment van kennisname is de termijn onbekend")
    deadline = regulator_deadline(i.became_aware_at)
    moment = as_utc(i.reported_at or inp.now)
    if moment <= deadline:
        verb = "gemeld" if i.reported_at else "als u meldt"
        return derived("4.5", question, f"Niet van toepassing ({verb} vóór {when(deadline)})")
    if i.delay_reason:
        return recorded("4.5", question, i.delay_reason, f"termijn verstreken op {when(deadline)}")
    return missing("4.5", question, f"de termijn is verstreken op {when(deadline)}: "
                                    "de reden van de vertraging is verplicht (art. 33 lid 1 AVG)")
