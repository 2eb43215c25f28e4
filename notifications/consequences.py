"""Likely consequences of a breach, derived from its facts. Pure.

The C/I/A nature and the effect on services give the consequences for the organisation and the data (AP 9.1);
the data categories
give the harm to people (AP 9.2, Recital 85 GDPR). Each harm knows its AP text, its EDPB field-85 option
and the plain-language sentence for the notice to data subjects.
"""

from __future__ import annotations

from enum import StrEnum

from incidents.assessment import BreachFacts, BreachNature, DataCategory, Recipients, ServiceOutage


class ControllerConsequence(StrEnum):
    """AP 9.1 options."""

    DISCLOSED = "Onbevoegden hebben kennis kunnen nemen van de gegevens"
    MISUSED = "De gegevens kunnen op een onbehoorlijke of onrechtmatige manier worden gebruikt"
    INACCURATE = ("Binnen uw eigen organisatie worden mogelijk onjuiste, onvolledige of achterhaalde "
                  "persoonsgegevens gebruikt")
    SERVICE_TEMPORARY = "Een essentiële dienst kan tijdelijk niet meer worden verleend"
    SERVICE_PERMANENT = "Een essentiële dienst kan permanent niet meer worden verleend"


class Harm(StrEnum):
    """Harm to data subjects: stable codes; texts in the tables below."""

    DISCRIMINATION = "discrimination"
    IDENTITY_FRAUD = "identity_fraud"
    FINANCIAL_LOSS = "financial_loss"
    REPUTATION = "reputation"
    LOSS_OF_CONTROL = "loss_of_control"
    PHISHING = "phishing"
    NO_ACCESS = "no_access"


HARM_AP: dict[Harm, str] = {
    Harm.DISCRIMINATION: "Discriminatie of uitsluiting",
    Harm.IDENTITY_FRAUD: "Identiteitsdiefstal of -fraude",
    Harm.FINANCIAL_LOSS: "Financieel verlies",
    Harm.REPUTATION: "Reputatieschade",
    Harm.LOSS_OF_CONTROL: "Betrokkenen verliezen het overzicht van welke organisaties hun persoonsgegevens "
                          "verwerken",
    Harm.PHISHING: "Anders, namelijk: gerichte phishing of oplichting via de bekende contactgegevens",
    Harm.NO_ACCESS: "Betrokkenen kunnen hun persoonsgegevens niet inzien of op verzoek laten verwijderen",
}

HARM_EDPB: dict[Harm, str] = {  # EDPB template field 85 options
    Harm.DISCRIMINATION: "c", Harm.IDENTITY_FRAUD: "d", Harm.FINANCIAL_LOSS: "f", Harm.REPUTATION: "h",
    Harm.LOSS_OF_CONTROL: "a", Harm.PHISHING: "e", Harm.NO_ACCESS: "b",
}

HARM_PLAIN: dict[Harm, tuple[str, str]] = {  # (Dutch, English) for the notice
    Harm.DISCRIMINATION: ("Iemand kan deze gevoelige gegevens gebruiken om u anders te behandelen.",
                          "Someone could use these sensitive data to treat you unfairly."),
    Harm.IDENTITY_FRAUD: ("Iemand kan zich als u voordoen, bijvoorbeeld door in te loggen op uw account.",
                          "Someone could pretend to be you, for example by logging in to your account."),
    Harm.FINANCIAL_LOSS: ("Iemand kan proberen geld van u te krijgen of uw betaalgegevens te misbruiken.",
                          "Someone could try to get money from you or misuse your payment details."),
    Harm.REPUTATION: ("Als deze gegevens bekend worden, kan dat uw naam schaden.",
                      "If these data became known, it could harm your reputation."),
    Harm.LOSS_OF_CONTROL: ("U weet niet meer zeker wie uw gegevens heeft.",
                           "You can no longer be sure who has your data."),
    Harm.PHISHING: ("U kunt nep-e-mails, sms'jes of telefoontjes krijgen die echt lijken (phishing).",
                    "You may receive fake e-mails, text messages or calls that look genuine (phishing)."),
    Harm.NO_ACCESS: ("U kunt uw gegevens een tijd niet inzien of laten aanpassen.",
                     "For a while you may not be able to see or change your data."),
}

_IDENTITY = frozenset({DataCategory.ACCESS_CREDENTIALS, DataCategory.BSN, DataCategory.IDENTITY_DOCUMENT})
_FINANCIAL = frozenset({DataCategory.BANK_ACCOUNT, DataCategory.CREDIT_CARD, DataCategory.INSURANCE,
                        DataCategory.FINANCIAL_OTHER, DataCategory.DEBTS, DataCategory.BENEFITS})
_REACHABLE = frozenset({DataCategory.EMAIL, DataCategory.PHONE, DataCategory.CONTACT_DETAILS})
_UNAVAILABLE = frozenset({BreachNature.AVAILABILITY_TEMPORARY, BreachNature.AVAILABILITY_PERMANENT})


def exposed_widely(facts: BreachFacts) -> bool:
    """Malicious, or disclosed to an unknown number of recipients: misuse has to be assumed."""
    return facts.malicious or facts.recipients.received is Recipients.UNKNOWN


def controller_consequences(facts: BreachFacts) -> tuple[ControllerConsequence, ...]:
    """AP 9.1 options that follow from the nature of the breach."""
    c, nature = ControllerConsequence, facts.nature
    found = {
        c.DISCLOSED: BreachNature.CONFIDENTIALITY in nature,
        c.MISUSED: BreachNature.CONFIDENTIALITY in nature and exposed_widely(facts),
        c.INACCURATE: BreachNature.INTEGRITY in nature,
        c.SERVICE_TEMPORARY: _service_down(facts, ServiceOutage.TEMPORARY, BreachNature.AVAILABILITY_TEMPORARY),
        c.SERVICE_PERMANENT: _service_down(facts, ServiceOutage.PERMANENT, BreachNature.AVAILABILITY_PERMANENT),
    }
    return tuple(k for k, applies in found.items() if applies)


def _service_down(facts: BreachFacts, outage: ServiceOutage, nature: BreachNature) -> bool:
    """An essential service down as the FG answered (service_effect); before that answer, from the nature."""
    effect = facts.service_effect
    if effect is None:
        return nature in facts.nature
    return effect.essential and effect.outage is outage


def outage_hours(facts: BreachFacts) -> float | None:
    """How long an essential service was (or is expected to be) down, when the FG gave it."""
    effect = facts.service_effect
    return effect.hours if effect is not None and effect.essential else None


def harms(facts: BreachFacts) -> tuple[Harm, ...]:
    """Harm to data subjects: from the categories when confidentiality is lost, from the nature otherwise."""
    seen = facts.data_categories | facts.credentials_access
    disclosed = BreachNature.CONFIDENTIALITY in facts.nature
    sensitive = bool(facts.special_categories) or DataCategory.CRIMINAL_DATA in seen
    found = {
        Harm.DISCRIMINATION: disclosed and sensitive,
        Harm.IDENTITY_FRAUD: disclosed and bool(seen & _IDENTITY),
        Harm.FINANCIAL_LOSS: disclosed and bool(seen & _FINANCIAL),
        Harm.REPUTATION: disclosed and (sensitive or DataCategory.DEBTS in seen),
        Harm.LOSS_OF_CONTROL: disclosed and exposed_widely(facts),
        Harm.PHISHING: disclosed and bool(seen & _REACHABLE),
        Harm.NO_ACCESS: bool(facts.nature & _UNAVAILABLE),
    }
    return tuple(k for k, applies in found.items() if applies)
