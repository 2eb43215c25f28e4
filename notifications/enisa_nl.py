"""The ENISA components (DPC, EI, CB) of an assessment in Dutch, part by part. Pure.

The scores are the core's (``incidents.assessment.severity``); only their explanation is written here, from the
part codes, the scores and the facts. The FG's own notes on adjustments are shown as written.
"""

from __future__ import annotations

from collections.abc import Mapping

from incidents.assessment import Assessment, BreachFacts, BreachNature, DataCategory, Identifiability, Recipients
from incidents.assessment.enisa import CATEGORY_TYPE, DataType
from incidents.assessment.severity import Score, restored_promptly

from .labels import AP_CATEGORY, AP_OTHER_CATEGORY, AP_SPECIAL

CLASS: Mapping[DataType, str] = {
    DataType.SIMPLE: "eenvoudige gegevens", DataType.BEHAVIOURAL: "gedragsgegevens",
    DataType.FINANCIAL: "financiële gegevens", DataType.SENSITIVE: "gevoelige gegevens",
}
FACTOR: Mapping[str, str] = {  # DpcFactor values
    "volume": "meer gegevens over dezelfde persoon", "controller": "wat de aard van de organisatie onthult",
    "individuals": "bijzondere kenmerken van de betrokkenen", "inaccuracy": "gegevens onjuist of verouderd",
    "public_availability": "al openbaar vóór de inbreuk", "insight": "inzicht dat de gegevens geven",
}
EI: Mapping[Identifiability | None, str] = {
    Identifiability.NEGLIGIBLE: "verwaarloosbaar: uiterst moeilijk aan een persoon te koppelen",
    Identifiability.LIMITED: "beperkt: identificatie mogelijk, maar alleen met andere bronnen",
    Identifiability.SIGNIFICANT: "aanzienlijk: identificatie redelijk eenvoudig",
    Identifiability.MAXIMUM: "maximaal: identificatie direct uit de gegevens, zonder verder onderzoek",
    None: "niet beoordeeld: maximaal aangenomen (identificatie direct uit de gegevens)",
}
RECEIVED: Mapping[Recipients, str] = {
    Recipients.NONE: "blootgesteld, geen aanwijzing dat iemand de gegevens onrechtmatig verwerkte",
    Recipients.KNOWN: "verstrekt aan een bekend aantal ontvangers",
    Recipients.UNKNOWN: "verstrekt aan een onbekend aantal ontvangers of gepubliceerd",
}


def components(a: Assessment) -> dict[str, str]:
    """``{"dpc": .., "ei": .., "cb": ..}``: each component's explanation in Dutch, ending in its score."""
    s, f = a.severity, a.facts
    return {"dpc": _dpc(s.dpc, f), "ei": f"{EI[f.identifiability]} -> EI {s.ei.score:g}", "cb": _cb(s.cb, f)}


def _dpc(dpc: Score, f: BreachFacts) -> str:
    base, *moves = dpc.parts
    top = next(t for t in DataType if t.base_score == base.score)
    parts = [f"{CLASS[top]} ({', '.join(_names(f, top))}): basisscore {base.score:g}"]
    for m in moves:
        factor = m.code.removeprefix("dpc.")
        note = next((a.note for a in f.dpc_adjustments if a.factor.value == factor), "")
        default = " (minderjarigen of kwetsbare personen; standaardstap)" if not note and factor == "individuals" \
            else ""
        parts.append(f"{FACTOR.get(factor, factor)} {m.score:+g}{default}{f': {note}' if note else ''}")
    raw = base.score + sum(m.score for m in moves)
    bounded = "" if raw == dpc.score else f" (begrensd van {raw:g} tot 1..4)"
    return f"{'; '.join(parts)} -> DPC {dpc.score:g}{bounded}"


def _names(f: BreachFacts, top: DataType) -> list[str]:
    """The Dutch names of the categories that put the data in class ``top``."""
    names = [_label(c) for c in f.data_categories
             if c is not DataCategory.ACCESS_CREDENTIALS and CATEGORY_TYPE[c] is top]
    if DataCategory.ACCESS_CREDENTIALS in f.data_categories and not f.credentials_access and top is DataType.SIMPLE:
        names.append("inloggegevens (waartoe ze toegang geven is niet opgegeven)")
    names += [f"inloggegevens voor {_label(c)}" for c in f.credentials_access if CATEGORY_TYPE[c] is top]
    if top is DataType.SENSITIVE:
        names += [AP_SPECIAL[s].lower() for s in f.special_categories]
    return sorted(names)


def _label(c: DataCategory) -> str:
    text = AP_CATEGORY.get(c) or AP_OTHER_CATEGORY.get(c) or c.value
    return text[0].lower() + text[1:]


def _cb(cb: Score, f: BreachFacts) -> str:
    texts = {"cb.confidentiality": ("vertrouwelijkheid", _confidentiality(f)),
             "cb.integrity": ("integriteit", _integrity(f)), "cb.availability": ("beschikbaarheid", _availability(f)),
             "cb.malicious": ("opzet", "opzettelijk handelen (diefstal, hacken, verkoop, schade)" if f.malicious
                              else "vergissing of ongeluk")}
    parts = [f"{texts[p.code][0]} {p.score:g} ({texts[p.code][1]})" for p in cb.parts]
    return f"{'; '.join(parts)} -> CB {cb.score:g}"


def _confidentiality(f: BreachFacts) -> str:
    if BreachNature.CONFIDENTIALITY not in f.nature:
        return "geen verlies van vertrouwelijkheid"
    r = f.recipients
    said = [t for t, yes in (("betrouwbaar", r.trusted), ("verwijdering bevestigd", r.deletion_confirmed)) if yes]
    return RECEIVED[r.received] + (f"; {', '.join(said)}" if said else "")


def _integrity(f: BreachFacts) -> str:
    if BreachNature.INTEGRITY not in f.nature:
        return "geen verlies van integriteit"
    if not f.altered_data_misused:
        return "gewijzigd, geen onjuist of onrechtmatig gebruik vastgesteld"
    original = "origineel te herstellen" if f.backup_available else "origineel niet te herstellen"
    return f"gewijzigd en mogelijk misbruikt, {original}"


def _availability(f: BreachFacts) -> str:
    if BreachNature.AVAILABILITY_PERMANENT in f.nature:
        return "blijvend niet beschikbaar"
    if BreachNature.AVAILABILITY_TEMPORARY not in f.nature:
        return "geen verlies van beschikbaarheid"
    if restored_promptly(f):
        return f"binnen {f.restore_hours or 0:g} uur zonder moeite hersteld uit een kopie"
    return "tijdelijk niet beschikbaar"
