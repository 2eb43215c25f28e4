"""AP form chapters 9-10: consequences, severity and follow-up actions. Pure.

Consequences the FG has not given are derived from the facts (``notifications.consequences``).
"""

from __future__ import annotations

from incidents.assessment import BreachFacts, FactorCode, Measure, Proposal, RiskLevel
from notifications import dutch, labels
from notifications.answers import Answer, Chapter, DraftInputs, derived, missing, recorded, when
from notifications.consequences import HARM_AP, controller_consequences, harms, outage_hours

_NO_FACTS = "feiten nog niet vastgelegd"


def chapter_9(inp: DraftInputs) -> Chapter:
    facts, s = inp.incident.facts, inp.supplement
    q1 = "(Mogelijke) gevolgen voor de verwerkingsverantwoordelijke en de persoonsgegevens"
    q2 = "(Mogelijke) gevolgen voor de betrokkene(n)"
    a1 = _consequences("9.1", q1, s.consequences_controller, None if facts is None else _controller_lines(facts))
    a2 = _consequences("9.2", q2, s.consequences_subjects,
                       None if facts is None else tuple(HARM_AP[h] for h in harms(facts)))
    return Chapter(9, "Gevolgen", (a1, a2, _severity(inp)))


def _controller_lines(facts: BreachFacts) -> tuple[str, ...]:
    """AP 9.1 options, and the duration of an essential service's outage when it is known."""
    lines = tuple(c.value for c in controller_consequences(facts))
    hours = outage_hours(facts)
    return lines + ((f"Duur van de onderbreking van de dienst: {hours:g} uur",) if hours is not None else ())


def _consequences(number: str, question: str, given: tuple[str, ...] | None,
                  derived_lines: tuple[str, ...] | None) -> Answer:
    if given:
        return recorded(number, question, given)
    if derived_lines:
        return derived(number, question, derived_lines, "afgeleid uit de aard en de gegevens; controleer")
    return missing(number, question, _NO_FACTS if derived_lines is None else "geef de gevolgen aan")


def _severity(inp: DraftInputs) -> Answer:
    question = "Inschatting ernst van de mogelijke gevolgen"
    a = inp.assessment
    if a is None:
        return missing("9.3", question, _NO_FACTS)
    note = f"{dutch.method(a)}; voorgestelde risico-inschatting: {dutch.RISK[a.proposal.risk]}; de FG bevestigt"
    return derived("9.3", question, a.ap_answer.text_nl, note)


def chapter_10(inp: DraftInputs) -> Chapter:
    informed = inp.incident.subjects_informed_at is not None
    return Chapter(10, "Vervolgacties", (_informed(inp), *_informed_details(inp, informed), _measures(inp)))


_GROUND = {
    FactorCode.DATA_UNINTELLIGIBLE: "De gegevens waren onbegrijpelijk voor onbevoegden (art. 34 lid 3 onder a AVG)",
    FactorCode.ART34_3B_MEASURES: ("Na het lek genomen maatregelen maken het hoge risico niet langer "
                                   "waarschijnlijk (art. 34 lid 3 onder b AVG)"),
    FactorCode.ART34_3C_DISPROPORTIONATE_EFFORT: ("Individueel informeren vergt een onevenredige inspanning; "
                                                  "openbare mededeling (art. 34 lid 3 onder c AVG)"),
}


def _not_informing_reason(proposal: Proposal) -> str:
    for factor in proposal.rationale:
        if factor.code in _GROUND:
            return _GROUND[factor.code]
    if proposal.risk is not RiskLevel.HIGH:
        return "Het datalek leidt waarschijnlijk niet tot een hoog risico voor de betrokkenen (art. 34 lid 1 AVG)"
    return "Zie de toelichting van de FG"


def _subject_lines(notify: bool, public: bool, proposal: Proposal) -> tuple[str, ...]:
    if notify:
        return ("Nee, maar de betrokkenen worden nog geïnformeerd",)
    if public:
        return ("Nee; in plaats daarvan volgt een openbare mededeling", f"Reden: {_not_informing_reason(proposal)}")
    return ("Nee, en de betrokkenen worden niet geïnformeerd", f"Reden: {_not_informing_reason(proposal)}")


def _informed(inp: DraftInputs) -> Answer:
    question = "Heeft u de inbreuk gemeld aan de betrokkene(n)? (zo nee: waarom niet?)"
    i = inp.incident
    if i.subjects_informed_at is not None:
        return recorded("10.1.1", question, f"Ja, geïnformeerd op {when(i.subjects_informed_at)}")
    d = i.decision
    if d is not None:
        lines = _subject_lines(d.notify_subjects, d.public_communication, d.proposal)
        extra = (f"Toelichting FG: {d.reason}",) if d.reason else ()
        return recorded("10.1.1", question, lines + extra, f"besluit van {dutch.decided_by(d.actor)}")
    if inp.assessment is not None:
        p = inp.assessment.proposal
        return derived("10.1.1", question, _subject_lines(p.notify_subjects, p.public_communication, p),
                       "voorstel van datalek; de FG beslist")
    return missing("10.1.1", question, "nog geen beoordeling of besluit")


def _informed_details(inp: DraftInputs, informed: bool) -> tuple[Answer, Answer]:
    q3, q7 = "Aan hoeveel personen heeft u de inbreuk gemeld?", "Op welke wijze zijn de betrokkenen geïnformeerd?"
    if not informed:
        na = "Niet van toepassing (nog niet geïnformeerd)"
        return derived("10.1.3", q3, na), derived("10.1.7", q7, na)
    s, facts = inp.supplement, inp.incident.facts
    if s.subjects_informed_count is not None:
        count = recorded("10.1.3", q3, str(s.subjects_informed_count))
    elif facts is not None and facts.data_subjects is not None and facts.data_subjects.is_exact:
        count = derived("10.1.3", q3, str(facts.data_subjects.minimum), "aangenomen: alle betrokkenen (7.3)")
    else:
        count = missing("10.1.3", q3, "aantal geïnformeerde personen")
    means = (recorded("10.1.7", q7, s.subjects_informed_means) if s.subjects_informed_means
             else missing("10.1.7", q7, "bijvoorbeeld per e-mail, per brief, mededeling op de website"))
    return count, means


def _measures(inp: DraftInputs) -> Answer:
    question = "Welke maatregelen heeft u getroffen?"
    facts = inp.incident.facts
    if facts is None:
        return missing("10.2", question, _NO_FACTS)
    lines = [labels.MEASURE_NL[m] for m in Measure if m in facts.measures]
    if facts.measures_description:
        lines.append(f"Toelichting: {facts.measures_description}")
    if not lines:
        return missing("10.2", question, "maatregelen om het lek te dichten en herhaling te voorkomen")
    return recorded("10.2", question, tuple(lines))
