"""Dutch texts for what the AP reads: rule titles and observations, levels, the decision's rationale, roles. Pure.

Tables keyed by stable ids (rule id, ``FactorCode``, enum values). A rule missing from ``RULES`` gets a neutral
Dutch phrase with its id as an identifier, so no English rule title ever reaches a Dutch draft.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from incidents.assessment import Assessment, Factor, FactorCode, RiskLevel, SeverityLevel


@dataclass(frozen=True, slots=True)
class RuleText:
    title: str  # a short Dutch title, as the incident's internal description
    seen: str  # what was seen, to follow "waargenomen: "


RULES: Mapping[str, RuleText] = {
    "access.denied_burst": RuleText(
        "Reeks geweigerde toegangspogingen tot een opslag met persoonsgegevens",
        "een reeks geweigerde pogingen om toegang te krijgen tot een opslag met persoonsgegevens"),
    "auth.repeated_failures": RuleText(
        "Wachtwoord raden: herhaalde mislukte inlogpogingen vanaf één bron",
        "herhaalde mislukte inlogpogingen vanaf één netwerkadres in korte tijd (het raden van wachtwoorden)"),
    "auth.impossible_travel": RuleText(
        "Onmogelijke reis tussen twee aanmeldingen op één gebruikersaccount",
        "twee aanmeldingen op hetzelfde gebruikersaccount vanaf plaatsen die in de tijd daartussen niet te "
        "bereizen zijn"),
    "auth.password_spraying": RuleText(
        "Wachtwoordsproeien: mislukte inlogpogingen op veel gebruikersaccounts vanaf één bron",
        "mislukte inlogpogingen op veel verschillende gebruikersaccounts vanaf één netwerkadres"),
    "auth.stuffing_then_success": RuleText(
        "Inlogpogingen met elders buitgemaakte inloggegevens, gevolgd door een geslaagde aanmelding",
        "een reeks mislukte inlogpogingen met vermoedelijk elders buitgemaakte inloggegevens, gevolgd door een "
        "geslaagde aanmelding"),
    "data.export_after_hours": RuleText(
        "Grote uitvoer van persoonsgegevens buiten kantooruren",
        "het in grote hoeveelheden ophalen van persoonsgegevens buiten kantooruren"),
    "data.export_without_ticket": RuleText(
        "Grote uitvoer van gegevens zonder goedgekeurd verzoek",
        "het in grote hoeveelheden ophalen van gegevens zonder goedgekeurd verzoek"),
    "data.mass_access": RuleText(
        "Massaal inzien of ophalen van klantgegevens door één gebruiker",
        "het inzien of ophalen van veel klantgegevens door één medewerker of gebruikersaccount"),
    "data.mass_deletion": RuleText(
        "Massaal verwijderen van bestanden of gegevens",
        "het verwijderen van veel bestanden of gegevens in korte tijd"),
    "device.lost_or_stolen": RuleText(
        "Melding van een verloren of gestolen apparaat",
        "de melding dat een apparaat verloren of gestolen is"),
    "dlp.external_mail": RuleText(
        "Persoonsgegevens naar buiten de organisatie verstuurd, niet tegengehouden",
        "het versturen van persoonsgegevens naar buiten de organisatie, dat de controle op gegevenslekken "
        "niet heeft tegengehouden"),
    "iam.privilege_then_access": RuleText(
        "Uitbreiding van rechten, gevolgd door toegang tot persoonsgegevens",
        "een uitbreiding van toegangsrechten, kort daarna gevolgd door toegang tot persoonsgegevens"),
    "malware.personal_data_host": RuleText(
        "Ransomware of andere schadelijke software op een systeem met persoonsgegevens",
        "een melding van ransomware of andere schadelijke software op een systeem met persoonsgegevens"),
    "storage.made_public": RuleText(
        "Opslag of gedeelde map openbaar gemaakt",
        "het openbaar maken van een opslag of gedeelde map"),
}


def rule_text(rule_id: str) -> RuleText:
    """The Dutch text of a rule; an unknown rule gets a neutral phrase naming its id."""
    return RULES.get(rule_id) or RuleText(f"Automatische detectie (regel {rule_id})",
                                          f"een patroon dat de detectieregel met kenmerk {rule_id} herkent")


def incident_title(rule_ids: tuple[str, ...], asset: str | None) -> str:
    """The incident's internal description in Dutch: the rules' titles and the system."""
    titles = "; ".join(rule_text(r).title for r in rule_ids) or "Automatische detectie"
    return f"{titles} op {asset}" if asset else titles


SEVERITY: Mapping[SeverityLevel, str] = {
    SeverityLevel.LOW: "laag", SeverityLevel.MEDIUM: "gemiddeld", SeverityLevel.HIGH: "hoog",
    SeverityLevel.VERY_HIGH: "zeer hoog",
}
RISK: Mapping[RiskLevel, str] = {
    RiskLevel.UNLIKELY: "waarschijnlijk geen risico (alleen vastleggen)",
    RiskLevel.RISK: "risico (melden aan de AP)",
    RiskLevel.HIGH: "hoog risico (melden aan de AP en de betrokkenen informeren)",
}
ROLE: Mapping[str, str] = {  # incidents.workflow.Role values
    "privacy_officer": "functionaris gegevensbescherming (FG)", "analyst": "analist", "admin": "beheerder",
}


def decided_by(actor: str, role: str = "privacy_officer") -> str:
    """Who decided, by name and role; only the privacy officer may decide (incidents.workflow)."""
    return f"{actor}, {ROLE.get(role, 'functie onbekend')}"


def _severity(a: Assessment, verb: str, which: str, level: SeverityLevel) -> str:
    s = a.severity
    return (f"ENISA-ernst {s.score:g} ({SEVERITY[s.level]}) {verb} de drempel voor {which} "
            f"({SEVERITY[level]}).")


_TEXTS: Mapping[FactorCode, Callable[[Assessment], str]] = {
    FactorCode.DATA_UNINTELLIGIBLE: lambda a: (
        "De gegevens waren onbegrijpelijk voor onbevoegden (beveiliging volgens de stand van de techniek, "
        "sleutel veilig en effectief tegen deze inbreuk), bleven intact en onder controle: waarschijnlijk geen "
        "risico (AP: vooraf getroffen maatregelen; art. 34 lid 3 onder a AVG)."),
    FactorCode.SEVERITY_BELOW_THRESHOLD: lambda a: _severity(
        a, "ligt onder", "melding aan de AP", a.threshold.notify_regulator_from),
    FactorCode.SEVERITY_REACHES_REGULATOR_THRESHOLD: lambda a: _severity(
        a, "bereikt", "melding aan de AP", a.threshold.notify_regulator_from),
    FactorCode.SEVERITY_REACHES_SUBJECT_THRESHOLD: lambda a: _severity(
        a, "bereikt", "het informeren van de betrokkenen", a.threshold.notify_subjects_from),
    FactorCode.PROMPTLY_RESTORED: lambda a: (
        f"Alleen tijdelijk niet beschikbaar, binnen {a.facts.restore_hours or 0:g} uur hersteld uit een kopie "
        "(EDPB-richtsnoeren 01/2021, casus 1)."),
    FactorCode.TEMPORARY_UNAVAILABILITY_ONLY: lambda a: (
        "Alleen tijdelijk niet beschikbaar: niets ingezien of gewijzigd, dus geen hoog risico "
        "(EDPB-richtsnoeren 01/2021, casus 2)."),
    FactorCode.TRUSTED_RECIPIENT: lambda a: (
        "De ontvanger is bekend en betrouwbaar en heeft bevestigd de gegevens te hebben verwijderd of "
        "teruggegeven: risico één stap lager (EDPB-richtsnoeren 01/2021 en 9/2022; AP)."),
    FactorCode.MALICIOUS_EXPOSURE: lambda a: (
        "Herleidbare gegevens in handen van iemand die opzettelijk handelt, met onbekende bedoelingen "
        "(EDPB-richtsnoeren 01/2021, casus 8)."),
    FactorCode.PROLONGED_UNAVAILABILITY: lambda a: (
        "Gegevens blijvend verloren of niet snel hersteld (EDPB-richtsnoeren 01/2021, casus 2)."),
    FactorCode.ESSENTIAL_SERVICE_INTERRUPTED: lambda a: (
        "Een essentiële dienst kon lang of helemaal niet worden verleend (AP-vraag 9.1; EDPB-richtsnoeren "
        "01/2021, casus 2, en 9/2022: de duur en het gevolg van de onbeschikbaarheid bepalen het risico)."),
    FactorCode.ALTERED_DATA_MISUSED: lambda a: (
        "Gewijzigde gegevens kunnen onjuist of onrechtmatig zijn gebruikt (EDPB-richtsnoeren 9/2022: soort "
        "inbreuk)."),
    FactorCode.SPECIAL_DATA_AFFECTED: lambda a: (
        "Bijzondere of strafrechtelijke persoonsgegevens getroffen: schade moet waarschijnlijk worden geacht "
        "(EDPB-richtsnoeren 9/2022)."),
    FactorCode.VULNERABLE_SUBJECTS_AFFECTED: lambda a: (
        "Minderjarigen of kwetsbare personen onder de betrokkenen (EDPB-richtsnoeren 9/2022: bijzondere "
        "kenmerken van de betrokkenen)."),
    FactorCode.LARGE_SCALE_EXPOSURE: lambda a: (
        "Herleidbare gegevens van veel personen blootgesteld (ENISA: aantal personen; WP250, bijlage B)."),
    FactorCode.IDENTITY_FRAUD_EXPOSURE: lambda a: (
        "Gegevens waarmee identiteitsfraude mogelijk is, opzettelijk of op grote schaal blootgesteld "
        "(overweging 85 AVG; EDPB-richtsnoeren 01/2021, casussen 11, 14 en 17)."),
    FactorCode.HIGH_RISK_TO_SUBJECTS: lambda a: (
        "Waarschijnlijk hoog risico en geen grond uit art. 34 lid 3 AVG: de betrokkenen informeren "
        "(art. 34 lid 1 AVG)."),
    FactorCode.ART34_3B_MEASURES: lambda a: (
        "Latere maatregelen zorgen ervoor dat het hoge risico zich waarschijnlijk niet meer voordoet "
        "(art. 34 lid 3 onder b AVG)."),
    FactorCode.ART34_3C_DISPROPORTIONATE_EFFORT: lambda a: (
        "Individueel informeren zou een onevenredige inspanning vergen: openbare mededeling "
        "(art. 34 lid 3 onder c AVG)."),
}


def factor(f: Factor, assessment: Assessment) -> str:
    """One reason of the rationale in Dutch; a code without a text gets a neutral phrase naming the code."""
    text = _TEXTS.get(f.code)
    return text(assessment) if text else f"Beoordelingsfactor (kenmerk {f.code.value})."


def rationale(assessment: Assessment) -> tuple[str, ...]:
    """The proposal's rationale in Dutch, in the same order."""
    return tuple(factor(f, assessment) for f in assessment.proposal.rationale)


def method(assessment: Assessment) -> str:
    """The ENISA computation in one Dutch line."""
    s = assessment.severity
    return (f"ENISA-methode (2013): ernst = DPC × EI + CB = {s.dpc.score:g} × {s.ei.score:g} + {s.cb.score:g} = "
            f"{s.score:g} ({SEVERITY[s.level]})")
